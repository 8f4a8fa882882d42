/*
 * Closed-form statistics: Gaussian tail and inverse, incomplete beta, binomial tails and
 * confidence intervals, PAM symbol error rate in AWGN. Equations and sources: docs/statistics.md.
 *
 *  - Q(x) = erfc(x / sqrt 2) / 2 with the rounding error of x / sqrt 2 compensated to first order
 *    (erfc'(t) = -2/sqrt(pi) exp(-t^2)).
 *  - Q^-1: P. J. Acklam's rational approximation of the normal quantile (2003, rel. error
 *    1.15e-9), refined by Halley steps on Q (as Acklam suggests).
 *  - I_x(a, b): the continued fraction of DiDonato & Morris (TOMS 708) on the tail nearer x
 *    (the sign of lambda = a - (a+b) x decides). Its prefactor x^a (1-x)^b / B(a,b) is written
 *    without lgamma differences, in the saddle-point form of C. Loader, "Fast and accurate
 *    computation of binomial probabilities" (2000):
 *        ln[x^a (1-x)^b / B(a,b)] = -bd0(a, s x) - bd0(b, s (1-x)) + ln sqrt(a b / (2 pi s))
 *                                   + d(s) - d(a) - d(b),      s = a + b,
 *    with the deviance bd0(x, m) = x ln(x/m) + m - x (series near x = m) and the Stirling error
 *    d(z) = ln Gamma(z+1) - ln(sqrt(2 pi z) (z/e)^z). Every term is O(1) near the bulk, so no
 *    digits are lost for a, b up to ~1e15, where lgamma differences would lose ~10.
 *  - Clopper-Pearson (Biometrika 26, 1934) by the beta-quantile relations, solved by Newton's
 *    method safeguarded by a bisection bracket; Wilson (JASA 22, 1927) in closed form.
 *  - Binomial tail: Loader's log-pmf for the first term, then the term ratio.
 *  - PAM-M SER in AWGN: Proakis & Salehi, Digital Communications (5th ed., 2008), ch. 4,
 *    with SNR = Es / sigma^2 = 2 Es / N0.
 */
#include "lanesim/stats.h"

#include <float.h>
#include <math.h>
#include <stddef.h>

#define LN_SQRT_2PI 0.9189385332046727417803297 /* ln sqrt(2 pi) */
#define LN_2PI 1.837877066409345483560659       /* ln(2 pi) */
#define SQRT_2PI 2.506628274631000502415765     /* sqrt(2 pi) */
#define TWO_OVER_SQRTPI 1.128379167095512573896159
#define SQRT1_2_HI 0x1.6a09e667f3bcdp-1   /* 1/sqrt 2 rounded to double */
#define SQRT1_2_LO -0x1.bdd3413b26456p-55 /* 1/sqrt 2 - SQRT1_2_HI */
#define TWO_POW_53 9007199254740992.0

/* ---- Gaussian tail ---------------------------------------------------------------------- */

double ls_q(double x)
{
    if (isnan(x))
        return x;
    if (isinf(x))
        return x > 0 ? 0.0 : 1.0;
    /* t + e = x / sqrt 2 to ~2^-106 relative: fma gives the exact error of the product. */
    const double t = x * SQRT1_2_HI;
    const double e = fma(x, SQRT1_2_HI, -t) + x * SQRT1_2_LO;
    return 0.5 * (erfc(t) - TWO_OVER_SQRTPI * exp(-t * t) * e);
}

/* Normal quantile Phi^-1(p) for p in (0, 0.5], Acklam's approximation (rel. error 1.15e-9). */
static double acklam_lower(double p)
{
    static const double a[6] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                -2.759285104469687e+02, 1.383577518672690e+02,
                                -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[5] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                -1.556989798598866e+02, 6.680131188771972e+01,
                                -1.328068155288572e+01};
    static const double c[6] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                -2.400758277161838e+00, -2.549732539343734e+00,
                                4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[4] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                3.754408661907416e+00};
    if (p < 0.02425) {
        const double q = sqrt(-2.0 * log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    }
    const double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

double ls_qinv(double p)
{
    if (isnan(p) || p < 0.0 || p > 1.0)
        return NAN;
    if (p == 0.0)
        return INFINITY;
    if (p == 1.0)
        return -INFINITY;
    if (p > 0.5)
        return -ls_qinv(1.0 - p); /* exact subtraction (Sterbenz) */
    double x = -acklam_lower(p);
    for (int it = 0; it < 2; it++) {
        /* Halley on f(x) = Q(x) - p: f' = -phi, f'' = x phi; u = f / phi. */
        const double u = (ls_q(x) - p) * SQRT_2PI * exp(0.5 * x * x);
        if (!isfinite(u))
            break; /* p below DBL_MIN: keep the approximation */
        x += u / (1.0 - 0.5 * x * u);
    }
    return x;
}

/* ---- incomplete beta -------------------------------------------------------------------- */

/* Stirling error d(z) = lgamma(z+1) - (z+1/2) ln z + z - ln sqrt(2 pi), z > 0 (Loader 2000):
 * exact values at half-integers up to 15, the asymptotic series above 15. */
static double stirlerr(double z)
{
    /* halves[j] = d(j / 2) (j = 0 is unused), 20 digits (mpmath) */
    /* clang-format off */
    static const double halves[31] = {
        0.0, 0.15342640972002734529, 0.08106146679532725822,
        0.054814121051917653896, 0.041340695955409294094, 0.033162873519936287485,
        0.027677925684998339149, 0.023746163656297495971, 0.020790672103765093112,
        0.018488450532673185231, 0.016644691189821192163, 0.015134973221917378874,
        0.013876128823070747999, 0.012810465242920226924, 0.011896709945891770095,
        0.011104559758206917327, 0.010411265261972096497, 0.0097994161261588032984,
        0.0092554621827127329177, 0.008768700134139385463, 0.0083305634333628712565,
        0.0079341145643140205472, 0.007573675487951840795, 0.0072445543013203831795,
        0.0069428401072095298657, 0.0066652470327076824424, 0.0064089941880042070684,
        0.0061717122630394576475, 0.0059513701127588477356, 0.005746216513010115682,
        0.005554733551962801371,
    };
    /* clang-format on */
    static const double s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680,
                        s4 = 1.0 / 1188;
    if (z <= 15.0) {
        const double z2 = z + z;
        if (z2 == floor(z2) && z2 >= 1.0)
            return halves[(int)z2];
        return lgamma(z + 1.0) - (z + 0.5) * log(z) + z - LN_SQRT_2PI;
    }
    const double zz = z * z;
    if (z > 500)
        return (s0 - s1 / zz) / z;
    if (z > 80)
        return (s0 - (s1 - s2 / zz) / zz) / z;
    if (z > 35)
        return (s0 - (s1 - (s2 - s3 / zz) / zz) / zz) / z;
    return (s0 - (s1 - (s2 - (s3 - s4 / zz) / zz) / zz) / zz) / z;
}

/* Deviance bd0(x, m) = x ln(x/m) + m - x >= 0, accurate when x ~ m (Loader 2000). */
static double bd0(double x, double m)
{
    if (x == 0.0)
        return m;
    if (fabs(x - m) < 0.1 * (x + m)) {
        double v = (x - m) / (x + m);
        double s = (x - m) * v;
        double ej = 2.0 * x * v;
        v *= v;
        for (int j = 1; j < 1000; j++) {
            ej *= v;
            const double s1 = s + ej / (2 * j + 1);
            if (s1 == s)
                return s1;
            s = s1;
        }
        return s;
    }
    return x * log(x / m) + m - x;
}

/* ln Gamma(b) - ln Gamma(a + b) for 0 < a < 1 <= b, without cancellation for large b. */
static double lgamma_ratio(double a, double b)
{
    if (b < 15.0)
        return lgamma(b) - lgamma(a + b);
    const double s = a + b;
    return -(b - 0.5) * log1p(a / b) - a * log(s) + a + stirlerr(b) - stirlerr(s);
}

/* ln[x^a y^b / B(a, b)], y = 1 - x, both in (0, 1). */
static double log_front(double a, double b, double x, double y)
{
    if (a >= 1.0 && b >= 1.0) {
        const double s = a + b;
        return -bd0(a, s * x) - bd0(b, s * y) + 0.5 * (log(a) + log(b) - log(s)) - LN_SQRT_2PI +
               stirlerr(s) - stirlerr(a) - stirlerr(b);
    }
    double lbeta;
    if (a < 1.0 && b >= 1.0)
        lbeta = lgamma(a) + lgamma_ratio(a, b);
    else if (b < 1.0 && a >= 1.0)
        lbeta = lgamma(b) + lgamma_ratio(b, a);
    else
        lbeta = lgamma(a) + lgamma(b) - lgamma(a + b);
    const double lx = x < 0.5 ? log(x) : log1p(-y);
    const double ly = x < 0.5 ? log1p(-x) : log(y);
    return a * lx + b * ly - lbeta;
}

/* Continued fraction of DiDonato & Morris (ACM TOMS 18(3), 1992, Algorithm 708, "bfrac") for
 * I_x(a,b) / [x^a y^b / B(a,b)], valid for lambda = a - (a+b) x >= 0. TOMS 708 uses it for
 * a, b > 1; measured against 40-digit references it is as accurate for a, b down to 1e-6
 * (tests/test_stats.c), so it serves all parameters here. x, y = 1 - x and lambda are passed
 * separately, each computed where it is exact, so the fraction never forms 1 - (something
 * near 1): that is what keeps the relative accuracy at x ~ 1e-15 with a + b ~ 1e13, where the
 * Numerical Recipes fraction on 1 - x loses eps / x. Forward recurrence for the convergents,
 * renormalised every step; about sqrt(a b / (a + b)) terms at the mean, a few hundred or
 * fewer two standard deviations away. */
static double dm_fraction(double a, double b, double x, double y, double lambda)
{
    const double eps = 4.0 * DBL_EPSILON;
    const double c = lambda + 1.0, c0 = b / a, c1 = 1.0 / a + 1.0, yp1 = y + 1.0;
    const double maxit = 1000.0 + 4.0 * sqrt(a > b ? a : b);
    double p = 1.0, s = a + 1.0;
    double an = 0.0, bn = 1.0, anp1 = 1.0, bnp1 = c / c1, r = c1 / c;
    for (double n = 1.0; n <= maxit; n += 1.0) {
        double t = n / a, e = a / s;
        const double w = n * (b - n) * x;
        const double alpha = p * (p + c0) * e * e * (w * x);
        e = (t + 1.0) / (c1 + t + t);
        const double beta = n + w / s + e * (c + n * yp1);
        p = t + 1.0;
        s += 2.0;
        t = alpha * an + beta * anp1;
        an = anp1;
        anp1 = t;
        t = alpha * bn + beta * bnp1;
        bn = bnp1;
        bnp1 = t;
        const double r0 = r;
        r = anp1 / bnp1;
        if (fabs(r - r0) <= eps * r)
            break;
        an /= bnp1;
        bn /= bnp1;
        anp1 = r;
        bnp1 = 1.0;
    }
    return r;
}

/* I = I_x(a,b) and its complement Ic = 1 - I, and the density dI/dx; a, b > 0, 0 < x < 1.
 * The tail on the near side of the mean a/(a+b) is computed directly (relative accuracy) and
 * the other one as 1 minus it (that tail is then >= ~0.3, so nothing is lost). */
static void betai_pair(double a, double b, double x, double *i_out, double *ic_out,
                       double *dens_out)
{
    const double y = 1.0 - x; /* exact for x >= 1/2; for x < 1/2 only used near 1 */
    const double s = a + b;
    const double lf = log_front(a, b, x, y);
    const double front = exp(lf);
    const double lambda = x <= 0.5 ? a - s * x : s * y - b; /* (a+b)(mean - x) */
    const int lower = lambda >= 0.0; /* 1: the fraction gives I, 0: it gives Ic */
    double t = front * (lower ? dm_fraction(a, b, x, y, lambda) : dm_fraction(b, a, y, x, -lambda));
    if (!(t <= 1.0)) /* NaN from an underflowed prefactor times an overflowed fraction */
        t = front > 0.0 ? 1.0 : 0.0;
    *i_out = lower ? t : 1.0 - t;
    *ic_out = lower ? 1.0 - t : t;
    if (dens_out)
        *dens_out = exp(lf - log(x) - (x <= 0.5 ? log1p(-x) : log(y)));
}

double ls_betai(double a, double b, double x)
{
    if (!(a > 0.0) || !(b > 0.0) || !(x >= 0.0) || !(x <= 1.0) || isinf(a) || isinf(b))
        return NAN;
    if (x == 0.0)
        return 0.0;
    if (x == 1.0)
        return 1.0;
    double i, ic;
    betai_pair(a, b, x, &i, &ic, NULL);
    return i < 0.0 ? 0.0 : i > 1.0 ? 1.0 : i;
}

/* ---- binomial confidence intervals ------------------------------------------------------ */

/* Root of g(x) = I_x(a,b) - target (upper = 0) or target - (1 - I_x(a,b)) (upper = 1), both
 * increasing in x, in (0, 1). Newton from x0, kept inside a bracket that every evaluation
 * shrinks; a step that leaves the bracket is replaced by bisection (geometric once the lower
 * end is positive, since the roots can be ~1e-15). */
static double beta_root(double a, double b, double target, int upper, double x0)
{
    double xl = 0.0, xh = 1.0, x = x0;
    for (int it = 0; it < 300; it++) {
        double i, ic, dens;
        betai_pair(a, b, x, &i, &ic, &dens);
        const double g = upper ? target - ic : i - target;
        if (g == 0.0)
            return x;
        if (g < 0.0)
            xl = x;
        else
            xh = x;
        double xn = x - g / dens;
        if (!(xn > xl && xn < xh)) {
            if (xl > 0.0)
                xn = xh > 4.0 * xl ? sqrt(xl * xh) : 0.5 * (xl + xh);
            else
                xn = 0.0625 * xh;
        }
        if (fabs(xn - x) <= 1e-14 * x || xh - xl <= 4.0 * DBL_EPSILON * xh)
            return xn;
        x = xn;
    }
    return x;
}

static int ci_args_ok(uint64_t k, uint64_t n, double conf)
{
    return k <= n && n <= (uint64_t)TWO_POW_53 && conf > 0.0 && conf < 1.0;
}

/* Wilson bounds for k <= n/2 (hi by the stable sum, lo from the product of the roots). */
static ls_interval wilson_half(double k, double n, double z)
{
    const double ph = k / n, z2 = z * z;
    const double denom = 1.0 + z2 / n;
    const double center = (ph + 0.5 * z2 / n) / denom;
    const double half = z * sqrt(ph * (1.0 - ph) / n + 0.25 * z2 / (n * n)) / denom;
    ls_interval ci;
    ci.hi = center + half;
    ci.lo = k > 0.0 ? ph * ph / (denom * ci.hi) : 0.0;
    return ci;
}

ls_interval ls_ci_wilson(uint64_t k, uint64_t n, double conf)
{
    if (!ci_args_ok(k, n, conf))
        return (ls_interval){NAN, NAN};
    if (n == 0)
        return (ls_interval){0.0, 1.0};
    const double z = ls_qinv(0.5 * (1.0 - conf));
    if (2 * k > n) {
        const ls_interval m = wilson_half((double)(n - k), (double)n, z);
        return (ls_interval){m.hi < 1.0 ? 1.0 - m.hi : 0.0, 1.0 - m.lo};
    }
    ls_interval ci = wilson_half((double)k, (double)n, z);
    if (ci.hi > 1.0)
        ci.hi = 1.0;
    return ci;
}

/* Clopper-Pearson bounds for 0 <= k <= n/2. */
static ls_interval cp_half(uint64_t k, uint64_t n, double alpha)
{
    const double nd = (double)n, kd = (double)k;
    ls_interval ci;
    if (k == 0) {
        ci.lo = 0.0;
        ci.hi = -expm1(log(0.5 * alpha) / nd); /* I_x(1, n) = 1 - (1-x)^n */
        return ci;
    }
    /* Starting points from the Wilson interval (clamped inside (0, 1)). */
    const ls_interval w = wilson_half(kd, nd, ls_qinv(0.5 * alpha));
    const double lo0 = w.lo > 0.0 ? w.lo : 0.5 * kd / nd;
    const double hi0 = w.hi < 1.0 ? w.hi : 0.5 * (1.0 + kd / nd);
    ci.lo = beta_root(kd, nd - kd + 1.0, 0.5 * alpha, 0, lo0);
    ci.hi = beta_root(kd + 1.0, nd - kd, 0.5 * alpha, 1, hi0);
    return ci;
}

ls_interval ls_ci_clopper_pearson(uint64_t k, uint64_t n, double conf)
{
    if (!ci_args_ok(k, n, conf))
        return (ls_interval){NAN, NAN};
    if (n == 0)
        return (ls_interval){0.0, 1.0};
    const double alpha = 1.0 - conf;
    if (2 * k > n) { /* mirror: CP(k, n) = 1 - CP(n - k, n) reversed */
        const ls_interval m = cp_half(n - k, n, alpha);
        return (ls_interval){1.0 - m.hi, 1.0 - m.lo};
    }
    return cp_half(k, n, alpha);
}

/* ---- binomial tail ---------------------------------------------------------------------- */

/* ln P[X = x], X ~ Bin(n, p), q = 1 - p, 0 <= x <= n (Loader 2000, dbinom_raw). */
static double log_dbinom(double x, double n, double p, double q)
{
    if (x == 0.0)
        return n * log1p(-p);
    if (x == n)
        return n * log(p);
    const double lc =
        stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
    const double lf = LN_2PI + log(x) + log1p(-x / n);
    return lc - 0.5 * lf;
}

double ls_binom_tail(unsigned n, unsigned k, double p)
{
    if (!(p >= 0.0 && p <= 1.0))
        return NAN;
    if (k == 0)
        return 1.0;
    if (k > n || p == 0.0)
        return 0.0;
    if (p == 1.0)
        return 1.0;
    const double nd = n, q = 1.0 - p, odds = p / q;
    const double mode = floor((nd + 1.0) * p); /* terms rise up to the mode, then fall */
    const double eps = 0x1.0p-60;
    double sum = 1.0, t = 1.0;
    if ((double)k > mode) { /* P[X >= k] = t_k (1 + t_{k+1}/t_k + ...), falling terms */
        for (double i = k; i < nd; i += 1.0) {
            t *= (nd - i) / (i + 1.0) * odds;
            sum += t;
            if (t < eps * sum)
                break;
        }
        return exp(log_dbinom(k, nd, p, q) + log(sum));
    }
    /* k <= mode: P[X >= k] = 1 - P[X <= k-1] (>= ~1/2), summing t_{k-1}, t_{k-2}, ... */
    for (double i = (double)k - 1.0; i > 0.0; i -= 1.0) {
        t *= i / (nd - i + 1.0) / odds;
        sum += t;
        if (t < eps * sum)
            break;
    }
    const double lower = exp(log_dbinom((double)k - 1.0, nd, p, q) + log(sum));
    return lower >= 1.0 ? 0.0 : 1.0 - lower;
}

/* ---- PAM in AWGN ------------------------------------------------------------------------ */

double ls_pam_ser_awgn(unsigned m, double snr_db)
{
    if (m < 2 || isnan(snr_db))
        return NAN;
    const double md = m;
    const double snr = pow(10.0, snr_db / 10.0);
    return 2.0 * (1.0 - 1.0 / md) * ls_q(sqrt(3.0 * snr / (md * md - 1.0)));
}

double ls_pam_snr_for_ser(unsigned m, double ser)
{
    if (m < 2)
        return NAN;
    const double md = m, scale = 2.0 * (1.0 - 1.0 / md);
    if (!(ser > 0.0 && ser < 0.5 * scale)) /* SER < 1 - 1/M, the rate of guessing */
        return NAN;
    const double x = ls_qinv(ser / scale);
    return 10.0 * log10(x * x * (md * md - 1.0) / 3.0);
}

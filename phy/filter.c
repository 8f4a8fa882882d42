/*
 * Analog low-pass models as LTI blocks: transfer functions, impulse-response spans, adapter.
 *
 * With w = 2 pi f and w3 = 2 pi f3db (s = j w):
 *  - Butterworth of order N [Butterworth 1930; Williams & Taylor, Electronic Filter Design
 *    Handbook, ch. 2]: H(s) = prod_k (-p_k) / (s - p_k), p_k = w3 exp(j pi (2k + N - 1) / (2N)),
 *    k = 1..N, so |H|^2 = 1 / (1 + (f/f3)^(2N)).
 *  - Bessel-Thomson of order N [Thomson 1949; Storch 1954]: H(s) = theta_N(0) / theta_N(s / w0),
 *    theta_N(s) = sum_k a_k s^k with a_k = (2N-k)! / (2^(N-k) k! (N-k)!) (the reverse Bessel
 *    polynomial, delay-normalized: group delay 1 s at DC), and w0 = w3 / W_N where W_N is the
 *    -3 dB frequency (rad/s) of theta_N(0)/theta_N(s), found once by bisection (1.0, 1.3617,
 *    1.7557, 2.1139, 2.4274, 2.7034, 2.9517, 3.1796 for N = 1..8). The 4th order is the IEEE 802.3
 *    reference receiver (clauses 52.9.7, 121.8.5).
 *  - Gaussian: H = exp(-(ln 2 / 2) (f/f3)^2), real and even (zero phase, non-causal).
 *  - RC: H = 1 / (1 + j f/f3).
 *
 * Span: a rational H with distinct poles p_k has h(t) = sum_k r_k exp(p_k t) for t >= 0, with
 * r_k = K / prod_{l != k} (p_k - p_l), K = prod_l (-p_l). Its energy after T is exactly
 *     E(T) = Re sum_{k,l} r_k conj(r_l) exp((p_k + conj p_l) T) / -(p_k + conj p_l),
 * and the span is the T (bisection) with E(T) = 1e-10 E(0): 10x inside the 1e-9 contract. For
 * the Gaussian, |h(t)|^2 is a Gaussian of standard deviation sqrt(ln 2) / (2 pi f3 sqrt 2), and
 * span = pre = the T whose one-sided tail is 1e-10. Spans are computed once per (type, order)
 * in normalized units (w3 = 1 rad/s) and scaled by 1/w3. Bessel poles come from Durand-Kerner
 * iteration polished by Newton's method.
 */
#include "lanesim/filter.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "ls_internal.h"

#define MAXN LS_LOWPASS_MAX_ORDER
#define SPAN_TAIL 1e-10 /* energy fraction left outside the span (contract: < 1e-9) */

/* Normalized tables (w3 = 1 rad/s), filled once. */
static struct {
    double bessel_coef[MAXN + 1][MAXN + 1];      /* [N][k] = a_k of theta_N */
    double bessel_w3[MAXN + 1];                  /* W_N */
    double complex bessel_poles[MAXN + 1][MAXN]; /* poles of H for w3 = 1 */
    double span_butter[MAXN + 1], span_bessel[MAXN + 1], span_rc, span_gauss;
} tab;
static pthread_once_t tab_once = PTHREAD_ONCE_INIT;

static bool cfg_valid(const ls_lowpass_config *cfg)
{
    if (!cfg)
        return false;
    switch (cfg->type) {
    case LS_LP_NONE: return true;
    case LS_LP_BUTTERWORTH:
    case LS_LP_BESSEL:
        if (cfg->order < 1 || cfg->order > MAXN)
            return false;
        break;
    case LS_LP_GAUSSIAN:
    case LS_LP_RC: break;
    default: return false;
    }
    return isfinite(cfg->f3db_hz) && cfg->f3db_hz > 0.0;
}

/* theta_N(s) by Horner. */
static double complex bessel_poly(unsigned n, double complex s)
{
    double complex acc = 0.0;
    for (unsigned k = n + 1; k-- > 0;)
        acc = acc * s + tab.bessel_coef[n][k];
    return acc;
}

/* |theta_N(j w)|^2 / theta_N(0)^2: increasing in w (a polynomial in w^2 with positive
 * coefficients), equal to 2 at the -3 dB frequency. */
static double bessel_gain2_inv(unsigned n, double w)
{
    double complex v = bessel_poly(n, I * w) / tab.bessel_coef[n][0];
    return creal(v) * creal(v) + cimag(v) * cimag(v);
}

/* Roots of the degree-n polynomial with real coefficients c[0..n] (c[n] != 0). */
static void poly_roots(unsigned n, const double *c, double complex *z)
{
    double complex monic[MAXN + 1];
    for (unsigned k = 0; k <= n; k++)
        monic[k] = c[k] / c[n];
    double radius = 0.0; /* Cauchy bound */
    for (unsigned k = 0; k < n; k++)
        radius = fmax(radius, cabs(monic[k]));
    radius += 1.0;
    for (unsigned k = 0; k < n; k++) /* Durand-Kerner start: off-axis points on a circle */
        z[k] = 0.5 * radius * cexp(I * (2.0 * M_PI * k / n + 0.4));
    for (int it = 0; it < 2000; it++) {
        double change = 0.0;
        for (unsigned k = 0; k < n; k++) {
            double complex num = 1.0, den = 1.0; /* monic polynomial and prod (z_k - z_m) */
            for (unsigned m = n; m-- > 0;)
                num = num * z[k] + monic[m];
            for (unsigned m = 0; m < n; m++)
                if (m != k)
                    den *= z[k] - z[m];
            double complex d = num / den;
            z[k] -= d;
            change = fmax(change, cabs(d) / fmax(1.0, cabs(z[k])));
        }
        if (change < 1e-15)
            break;
    }
    for (unsigned k = 0; k < n; k++) { /* Newton polish on the original polynomial */
        for (int it = 0; it < 4; it++) {
            double complex p = 0.0, dp = 0.0;
            for (unsigned m = n + 1; m-- > 0;) {
                dp = dp * z[k] + p;
                p = p * z[k] + c[m];
            }
            if (dp == 0.0)
                break;
            z[k] -= p / dp;
        }
    }
}

/* Energy of h after T, for H = K / prod (s - p_k), K = prod(-p_k), distinct poles. */
static double tail_energy(unsigned n, const double complex *p, double t)
{
    double complex r[MAXN], k0 = 1.0;
    for (unsigned k = 0; k < n; k++)
        k0 *= -p[k];
    for (unsigned k = 0; k < n; k++) {
        double complex den = 1.0;
        for (unsigned l = 0; l < n; l++)
            if (l != k)
                den *= p[k] - p[l];
        r[k] = k0 / den;
    }
    double e = 0.0;
    for (unsigned k = 0; k < n; k++)
        for (unsigned l = 0; l < n; l++) {
            double complex a = p[k] + conj(p[l]);
            e += creal(r[k] * conj(r[l]) * cexp(a * t) / -a);
        }
    return e;
}

/* The T with tail_energy(T) = SPAN_TAIL * tail_energy(0). */
static double rational_span(unsigned n, const double complex *p)
{
    const double target = SPAN_TAIL * tail_energy(n, p, 0.0);
    double lo = 0.0, hi = 1.0;
    while (tail_energy(n, p, hi) > target)
        hi *= 2.0;
    for (int it = 0; it < 200 && hi - lo > 1e-14 * hi; it++) {
        double mid = 0.5 * (lo + hi);
        if (tail_energy(n, p, mid) > target)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

static void butter_poles(unsigned n, double complex *p)
{
    for (unsigned k = 1; k <= n; k++)
        p[k - 1] = cexp(I * M_PI * (2.0 * k + n - 1.0) / (2.0 * n));
}

static void tab_init(void)
{
    for (unsigned n = 1; n <= MAXN; n++) {
        /* a_k = (2n-k)! / (2^(n-k) k! (n-k)!), via a_n = 1 and a_{k-1} / a_k. */
        double a = 1.0;
        tab.bessel_coef[n][n] = 1.0;
        for (unsigned k = n; k >= 1; k--) {
            a *= (double)(2 * n - k + 1) * (double)k / (2.0 * (double)(n - k + 1));
            tab.bessel_coef[n][k - 1] = a;
        }
        double lo = 0.0, hi = 16.0;
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi)
                break;
            if (bessel_gain2_inv(n, mid) < 2.0)
                lo = mid;
            else
                hi = mid;
        }
        tab.bessel_w3[n] = 0.5 * (lo + hi);

        double complex z[MAXN];
        poly_roots(n, tab.bessel_coef[n], z);
        for (unsigned k = 0; k < n; k++)
            tab.bessel_poles[n][k] = z[k] / tab.bessel_w3[n];
        tab.span_bessel[n] = rational_span(n, tab.bessel_poles[n]);

        double complex pb[MAXN];
        butter_poles(n, pb);
        tab.span_butter[n] = rational_span(n, pb);
    }
    tab.span_rc = tab.span_butter[1];
    /* Gaussian: |h|^2 has standard deviation sigma = sqrt(ln 2 / 2) / w3, and its one-sided
     * tail beyond T = x sqrt(2) sigma is 0.5 erfc(x). */
    double lo = 0.0, hi = 20.0;
    for (int it = 0; it < 200; it++) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi)
            break;
        if (0.5 * erfc(mid) > SPAN_TAIL)
            lo = mid;
        else
            hi = mid;
    }
    tab.span_gauss = hi * sqrt(2.0) * sqrt(log(2.0) / 2.0);
}

static void tab_ready(void)
{
    pthread_once(&tab_once, tab_init);
}

void ls_lowpass_config_init(ls_lowpass_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_lowpass_config){.type = LS_LP_BESSEL, .order = 4, .f3db_hz = 26.5625e9};
}

ls_status ls_lowpass_response(const ls_lowpass_config *cfg, const double *f_hz, double complex *h,
                              size_t n)
{
    if (!cfg_valid(cfg) || (n && (!f_hz || !h)))
        return LS_EINVAL;
    tab_ready();
    const unsigned order = cfg->order;
    double complex pb[MAXN];
    if (cfg->type == LS_LP_BUTTERWORTH)
        butter_poles(order, pb);
    for (size_t i = 0; i < n; i++) {
        const double u = f_hz[i] / cfg->f3db_hz; /* normalized frequency, w / w3 */
        switch (cfg->type) {
        case LS_LP_NONE: h[i] = 1.0; break;
        case LS_LP_BUTTERWORTH: {
            double complex num = 1.0, den = 1.0;
            for (unsigned k = 0; k < order; k++) {
                num *= -pb[k];
                den *= I * u - pb[k];
            }
            h[i] = num / den;
            break;
        }
        case LS_LP_BESSEL:
            h[i] = tab.bessel_coef[order][0] / bessel_poly(order, I * u * tab.bessel_w3[order]);
            break;
        case LS_LP_GAUSSIAN: h[i] = exp(-0.5 * log(2.0) * u * u); break;
        case LS_LP_RC: h[i] = 1.0 / (1.0 + I * u); break;
        }
    }
    return LS_OK;
}

double ls_lowpass_span_s(const ls_lowpass_config *cfg)
{
    if (!cfg_valid(cfg))
        return NAN;
    if (cfg->type == LS_LP_NONE)
        return 0.0;
    tab_ready();
    double t = 0.0;
    switch (cfg->type) {
    case LS_LP_BUTTERWORTH: t = tab.span_butter[cfg->order]; break;
    case LS_LP_BESSEL: t = tab.span_bessel[cfg->order]; break;
    case LS_LP_GAUSSIAN: t = tab.span_gauss; break;
    case LS_LP_RC: t = tab.span_rc; break;
    case LS_LP_NONE: break;
    }
    return t / (2.0 * M_PI * cfg->f3db_hz);
}

double ls_lowpass_pre_s(const ls_lowpass_config *cfg)
{
    if (!cfg_valid(cfg))
        return NAN;
    if (cfg->type != LS_LP_GAUSSIAN)
        return 0.0;
    tab_ready();
    return tab.span_gauss / (2.0 * M_PI * cfg->f3db_hz);
}

/* Block adapter: self is an ls_alloc'd ls_lowpass_config. */

static ls_status blk_response(const void *self, const double *f_hz, double complex *h, size_t n)
{
    return ls_lowpass_response(self, f_hz, h, n);
}

static double blk_span(const void *self)
{
    return ls_lowpass_span_s(self);
}

static double blk_pre(const void *self)
{
    return ls_lowpass_pre_s(self);
}

static const ls_block_ops lowpass_ops = {
    .name = "lowpass",
    .kind = LS_KIND_LTI,
    .in = LS_T_F32,
    .out = LS_T_F32,
    .response = blk_response,
    .span_s = blk_span,
    .pre_s = blk_pre,
    .destroy = ls_free,
};

ls_status ls_lowpass_into_block(const ls_lowpass_config *cfg, ls_block *out)
{
    if (!out)
        return LS_EINVAL;
    out->ops = NULL;
    out->self = NULL;
    if (!cfg_valid(cfg))
        return LS_EINVAL;
    return lsi_block_copy_of(&lowpass_ops, cfg, sizeof *cfg, out);
}

static const char *const lp_names[] = {"none", "butterworth", "bessel", "gaussian", "rc"};

int ls_lowpass_parse(const char *name, ls_lp_type *t)
{
    if (!name || !t)
        return -1;
    for (size_t k = 0; k < sizeof lp_names / sizeof lp_names[0]; k++)
        if (!strcasecmp(name, lp_names[k])) {
            *t = (ls_lp_type)k;
            return 0;
        }
    return -1;
}

const char *ls_lowpass_name(ls_lp_type t)
{
    if ((unsigned)t < sizeof lp_names / sizeof lp_names[0])
        return lp_names[t];
    return "unknown";
}

/*
 * Tests for lanesim/stats.h against independent references: 50-digit values (mpmath) for Q,
 * Q^-1, I_x(a,b) and the Clopper-Pearson bounds (for n up to 1e13, computed by summing
 * binomial terms exactly), the closed-form PAM SER table, the RS(544,514) symbol-error tail,
 * and exact coverage of the confidence intervals (summed over the binomial pmf, no sampling).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "lanesim/rng.h"
#include "lanesim/stats.h"
#include "util.h"

#define DEFAULT_SEED 977u

static double rel(double got, double want)
{
    return want == 0.0 ? fabs(got) : fabs(got - want) / fabs(want);
}

/* ---- Q and its inverse ------------------------------------------------------------------- */

Test(stats, q_matches_high_precision_values)
{
    static const struct {
        double x, q;
    } ref[] = {
        {0.0, 0.5},
        {1.0, 0.15865525393145705141},
        {3.0, 1.3498980316300945267e-3},
        {5.0, 2.8665157187919391167e-7},
        {7.0, 1.2798125438858350044e-12},
        {10.0, 7.6198530241605260660e-24},
        {20.0, 2.7536241186062336951e-89},
        {37.0, 5.7255712225245768227e-300},
        {-1.0, 0.84134474606854294859},
        {-5.0, 0.99999971334842812081},
    };
    for (size_t i = 0; i < sizeof ref / sizeof *ref; i++)
        cr_assert(rel(ls_q(ref[i].x), ref[i].q) < 1e-14, "Q(%g) = %.17g, want %.17g", ref[i].x,
                  ls_q(ref[i].x), ref[i].q);
    cr_assert(eq(dbl, ls_q(INFINITY), 0.0));
    cr_assert(eq(dbl, ls_q(-INFINITY), 1.0));
    cr_assert(isnan(ls_q(NAN)));
}

Test(stats, qinv_matches_high_precision_values)
{
    /* Includes the COM detector-error arguments of docs/references.md §2.3: Q^-1(DER0 / 1.5) for
     * PAM4 at DER0 = 2e-4, 1e-4, 2.4e-4, 1e-5 is 3.646, 3.820, 3.599, 4.355. */
    static const struct {
        double p, x;
    } ref[] = {
        {1e-300, 37.047096299361199237},       {2.2250738585072014e-308, 37.519379347144499821},
        {1e-15, 7.9413453261709967713},        {0.1, 1.2815515655446004353},
        {2e-4 / 1.5, 3.6456983209707691798},   {1e-4 / 1.5, 3.8202188139793778086},
        {2.4e-4 / 1.5, 3.5985470207163292621}, {1e-5 / 1.5, 4.3545618482399445513},
        {0.75, -0.6744897501960817432},        {0.999, -3.0902323061678132778},
    };
    for (size_t i = 0; i < sizeof ref / sizeof *ref; i++)
        cr_assert(rel(ls_qinv(ref[i].p), ref[i].x) < 1e-12, "Qinv(%g) = %.17g, want %.17g",
                  ref[i].p, ls_qinv(ref[i].p), ref[i].x);
    cr_assert(eq(dbl, ls_qinv(0.5), 0.0));
    cr_assert(eq(dbl, ls_qinv(0.0), INFINITY));
    cr_assert(eq(dbl, ls_qinv(1.0), -INFINITY));
    cr_assert(isnan(ls_qinv(-0.1)));
    cr_assert(isnan(ls_qinv(1.1)));
    cr_assert(isnan(ls_qinv(NAN)));
}

Test(stats, qinv_inverts_q_from_0_1_to_37)
{
    /* Q(x) rounded to double perturbs the round trip by ~1e-16 / (x phi(x) / Q(x)) <= 2e-15. */
    for (int i = 1; i <= 370; i++) {
        const double x = 0.1 * i;
        const double back = ls_qinv(ls_q(x));
        cr_assert(rel(back, x) < 1e-12, "x %g -> %.17g", x, back);
        /* p = 1 - Q(x) carries an absolute rounding error of 1.1e-16, which moves the
         * inverse by 1.1e-16 / phi(x): allow that (it dominates beyond x ~ 4). */
        const double phi = exp(-0.5 * x * x) / sqrt(2.0 * M_PI);
        const double tol = 1e-12 + 2.0 * 1.2e-16 / (phi * x);
        if (x <= 8.0) /* beyond, 1 - Q(x) rounds to 1 */
            cr_assert(rel(ls_qinv(1.0 - ls_q(x)), -x) < tol, "x %g (upper half)", x);
    }
}

/* ---- PAM SER ----------------------------------------------------------------------------- */

Test(stats, pam_ser_closed_form_table)
{
    static const double snr_db[8] = {10, 12, 14, 16, 18, 20, 22, 24};
    static const double ser4[8] = {1.180e-1, 5.626e-2, 1.875e-2, 3.582e-3,
                                   2.864e-4, 5.808e-6, 1.351e-8, 1.022e-12};
    for (int i = 0; i < 8; i++)
        cr_assert(rel(ls_pam_ser_awgn(4, snr_db[i]), ser4[i]) < 5e-3, "PAM4 %g dB: %.4e", snr_db[i],
                  ls_pam_ser_awgn(4, snr_db[i]));
    cr_assert(rel(ls_pam_ser_awgn(2, 10.0), 7.827e-4) < 5e-3, "PAM2: %.4e", ls_pam_ser_awgn(2, 10));
    cr_assert(rel(ls_pam_ser_awgn(8, 20.0), 2.546e-2) < 5e-3, "PAM8: %.4e", ls_pam_ser_awgn(8, 20));
    /* PAM2 is BPSK: Q(sqrt(SNR)) exactly. */
    cr_assert(rel(ls_pam_ser_awgn(2, 7.0), ls_q(sqrt(pow(10.0, 0.7)))) < 1e-14);
    cr_assert(isnan(ls_pam_ser_awgn(1, 10.0)));
    cr_assert(isnan(ls_pam_ser_awgn(0, 10.0)));
    cr_assert(rel(ls_pam_ser_awgn(4, -200.0), 0.75) < 1e-9); /* no signal: guess, 1 - 1/M */
}

Test(stats, pam_snr_for_ser_inverts_ser)
{
    /* KP4 limit: BER 2.4e-4 with Gray coding is SER 4.8e-4 for PAM4. */
    const double snr = ls_pam_snr_for_ser(4, 4.8e-4);
    cr_assert(fabs(snr - 17.66) < 0.01, "PAM4 SNR for SER 4.8e-4: %.4f dB", snr);
    static const unsigned ms[] = {2, 4, 8, 16};
    static const double sers[] = {1e-1, 1e-3, 2.4e-4, 1e-9, 1e-15, 1e-100};
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 6; j++) {
            const double d = ls_pam_snr_for_ser(ms[i], sers[j]);
            cr_assert(rel(ls_pam_ser_awgn(ms[i], d), sers[j]) < 1e-11, "M %u SER %g: %.17g dB",
                      ms[i], sers[j], d);
        }
    cr_assert(isnan(ls_pam_snr_for_ser(4, 0.0)));
    cr_assert(isnan(ls_pam_snr_for_ser(4, 0.75))); /* 1 - 1/M: reached only at SNR 0 */
    cr_assert(isnan(ls_pam_snr_for_ser(4, 1.0)));
    cr_assert(ls_pam_snr_for_ser(4, 0.7499) < -30.0);
    cr_assert(isnan(ls_pam_snr_for_ser(4, -1e-3)));
    cr_assert(isnan(ls_pam_snr_for_ser(1, 1e-3)));
}

/* ---- incomplete beta --------------------------------------------------------------------- */

Test(stats, betai_matches_reference_values)
{
    static const struct {
        double a, b, x, i;
    } ref[] = {
        /* mpmath betainc, 40 digits */
        {2.5, 3.5, 0.3, 0.29675298929566637832},
        {0.5, 0.5, 0.2, 0.29516723530086655719},
        {10, 20, 0.4, 0.78531838976282617771},
        {100, 900, 0.08, 0.013147929052280233225},
        {0.01, 0.01, 0.3, 0.49582361360238203442},
        {1e-3, 5, 0.2, 0.99978344564642765807},
        {5, 1e-3, 0.9, 0.00059078068970573707789},
        {0.05, 200, 0.01, 0.99738045021297941702},
        {0.5, 1e6, 2e-6, 0.95449981709014027982},
        {0.5, 1e9, 2e-9, 0.95449973618462804214},
        {1000, 250, 0.5, 3.47777525679811605380012e-107},
        {100, 1e5, 1e-6, 1.019736488265640389675828e-258},
    };
    for (size_t i = 0; i < sizeof ref / sizeof *ref; i++) {
        const double got = ls_betai(ref[i].a, ref[i].b, ref[i].x);
        const double tol = ref[i].i < 1e-100 ? 1e-12 : 1e-13; /* exp of a ~600 log: 1e-13 */
        cr_assert(rel(got, ref[i].i) < tol, "I_%g(%g, %g) = %.17g", ref[i].x, ref[i].a, ref[i].b,
                  got);
    }
    /* Closed forms: I_x(1, b) = 1 - (1-x)^b, I_x(a, 1) = x^a, I_1/2(a, a) = 1/2. */
    static const double xs[] = {1e-12, 1e-6, 0.01, 0.3, 0.5, 0.9};
    static const double ps[] = {1, 2.5, 40, 1e4, 1e7};
    for (size_t i = 0; i < 6; i++)
        for (size_t j = 0; j < 5; j++) {
            const double x = xs[i], b = ps[j];
            const double want1 = -expm1(b * log1p(-x));
            cr_assert(rel(ls_betai(1.0, b, x), want1) < 1e-13, "I_%g(1, %g)", x, b);
            const double want2 = pow(x, b);
            if (want2 > 1e-300)
                cr_assert(rel(ls_betai(b, 1.0, x), want2) < 1e-12, "I_%g(%g, 1)", x, b);
            cr_assert(fabs(ls_betai(b, b, 0.5) - 0.5) < 1e-14, "I_0.5(%g, %g)", b, b);
        }
    cr_assert(eq(dbl, ls_betai(3, 4, 0.0), 0.0));
    cr_assert(eq(dbl, ls_betai(3, 4, 1.0), 1.0));
    cr_assert(isnan(ls_betai(0.0, 1.0, 0.5)));
    cr_assert(isnan(ls_betai(1.0, -1.0, 0.5)));
    cr_assert(isnan(ls_betai(1.0, 1.0, 1.5)));
    cr_assert(isnan(ls_betai(1.0, 1.0, NAN)));
}

Test(stats, betai_reflection_and_large_parameters)
{
    /* I_x(a,b) + I_{1-x}(b,a) = 1 with both sides computed, over sizes up to 1e13, in the
     * bulk (+-3 sd around the mean), where both terms are >= 1e-3. x is put on a 2^-45 grid
     * so that 1 - x is exact: a rounded 1 - x would move I by density * 1e-16 (~1e-11 at
     * a = 1e6, b = 1e9), which is the input's conditioning, not the function's error. */
    static const double ab[][2] = {{3, 7},     {40, 2},     {1e3, 1e6},
                                   {1e6, 1e9}, {1e9, 1e13}, {1e12, 1e12}};
    for (size_t i = 0; i < sizeof ab / sizeof *ab; i++) {
        const double a = ab[i][0], b = ab[i][1], s = a + b;
        const double mu = a / s, sd = sqrt(a * b / (s * s * (s + 1)));
        for (double z = -3.0; z <= 3.0; z += 0.5) {
            const double x = ldexp(nearbyint(ldexp(mu + z * sd, 45)), -45);
            if (!(x > 0.0 && x < 1.0))
                continue;
            const double y = 1.0 - x;
            const double sum = ls_betai(a, b, x) + ls_betai(b, a, y);
            cr_assert(fabs(sum - 1.0) < 1e-13, "a %g b %g z %g: %.17g", a, b, z, sum);
            /* Normal limit of the beta distribution: rough check of the scale only. */
            if (a > 1e5 && b > 1e5)
                cr_assert(fabs(ls_betai(a, b, x) - ls_q(-z)) < 1e-3, "a %g z %g", a, z);
        }
    }
}

/* ---- binomial tail ----------------------------------------------------------------------- */

Test(stats, binom_tail_rs544_codeword_failure)
{
    /* RS(544,514): a codeword fails with more than 15 of 544 10-bit symbols in error;
     * symbol error probability p = 1 - (1 - BER)^10 for independent bit errors. */
    static const struct {
        double ber, want, tol;
    } ref[] = {{2.4e-4, 8.15e-13, 0.01}, {1e-3, 1.53e-4, 0.01}, {1e-4, 1.36e-18, 0.02}};
    for (size_t i = 0; i < 3; i++) {
        const double p = -expm1(10.0 * log1p(-ref[i].ber));
        const double got = ls_binom_tail(544, 16, p);
        cr_assert(rel(got, ref[i].want) < ref[i].tol, "BER %g: %.4e", ref[i].ber, got);
    }
    /* 50-digit values (mpmath, direct sum). */
    cr_assert(rel(ls_binom_tail(544, 16, -expm1(10.0 * log1p(-2.4e-4))), 8.151573399e-13) < 1e-9);
    cr_assert(rel(ls_binom_tail(544, 16, -expm1(10.0 * log1p(-1e-4))), 1.359811065e-18) < 1e-9);
}

/* Direct sum with lgamma, fine for small n: an independent reference. */
static double tail_direct(unsigned n, unsigned k, double p)
{
    double s = 0;
    for (unsigned i = k; i <= n; i++)
        s += exp(lgamma(n + 1.0) - lgamma(i + 1.0) - lgamma(n - i + 1.0) + i * log(p) +
                 (n - i) * log1p(-p));
    return s;
}

Test(stats, binom_tail_agrees_with_direct_sum_and_betai)
{
    const uint64_t seed = ls_test_seed(DEFAULT_SEED);
    ls_rng r;
    ls_rng_seed(&r, seed, 1, 0);
    for (int t = 0; t < 2000; t++) {
        const unsigned n = 1 + ls_rng_below(&r, 300);
        const unsigned k = 1 + ls_rng_below(&r, n);
        const double p = pow(10.0, -6.0 * ls_rng_uniform(&r));
        const double got = ls_binom_tail(n, k, p);
        const double want = tail_direct(n, k, p);
        if (want > 1e-290)
            ls_assert_seeded(rel(got, want) < 1e-11, seed, "n %u k %u p %g: %.17g vs %.17g", n, k, p, got, want);
        ls_assert_seeded(rel(got, ls_betai(k, n - k + 1.0, p)) < 1e-11 || got < 1e-290, seed, "betai n %u k %u p %g",
                         n, k, p);
    }
    /* Large n, both summation directions (k above and below the mode). */
    static const struct {
        unsigned n, k;
        double p;
    } big[] = {{4000000000u, 400100u, 1e-4},
               {4000000000u, 399000u, 1e-4},
               {4000000000u, 2000030000u, 0.5},
               {100000u, 30u, 2.4e-4}};
    for (size_t i = 0; i < 4; i++) {
        const double got = ls_binom_tail(big[i].n, big[i].k, big[i].p);
        const double want = ls_betai(big[i].k, big[i].n - big[i].k + 1.0, big[i].p);
        cr_assert(rel(got, want) < 1e-9, "n %u k %u: %.17g vs %.17g", big[i].n, big[i].k, got,
                  want);
    }
}

Test(stats, binom_tail_edges_and_deep_tail)
{
    cr_assert(eq(dbl, ls_binom_tail(10, 0, 0.3), 1.0));
    cr_assert(eq(dbl, ls_binom_tail(10, 11, 0.3), 0.0));
    cr_assert(eq(dbl, ls_binom_tail(10, 3, 0.0), 0.0));
    cr_assert(eq(dbl, ls_binom_tail(10, 3, 1.0), 1.0));
    cr_assert(isnan(ls_binom_tail(10, 3, -0.1)));
    cr_assert(isnan(ls_binom_tail(10, 3, 1.1)));
    cr_assert(isnan(ls_binom_tail(10, 3, NAN)));
    /* P[X >= n] = p^n: 1e-300 at n = 100, p = 1e-3, and its neighbour in closed form. */
    cr_assert(rel(ls_binom_tail(100, 100, 1e-3), 1e-300) < 1e-12);
    cr_assert(rel(ls_binom_tail(100, 99, 1e-3), 100 * 1e-297 * (1 - 1e-3) + 1e-300) < 1e-12);
    cr_assert(rel(ls_binom_tail(1000, 1, 1e-9), -expm1(1000 * log1p(-1e-9))) < 1e-12);
}

/* ---- confidence intervals ---------------------------------------------------------------- */

Test(stats, clopper_pearson_known_values)
{
    ls_interval ci = ls_ci_clopper_pearson(0, 1000, 0.95);
    cr_assert(eq(dbl, ci.lo, 0.0));
    cr_assert(rel(ci.hi, 1.0 - pow(0.025, 1.0 / 1000)) < 1e-12, "hi %.17g", ci.hi);
    cr_assert(fabs(ci.hi - 3.6821e-3) < 5e-8, "hi %.17g", ci.hi);
    ci = ls_ci_clopper_pearson(5, 100, 0.95);
    cr_assert(fabs(ci.lo - 0.01643) < 5e-6 && fabs(ci.hi - 0.11283) < 5e-6, "[%g, %g]", ci.lo,
              ci.hi);
    ci = ls_ci_clopper_pearson(50, 100, 0.95);
    cr_assert(fabs(ci.lo - 0.3983) < 5e-5 && fabs(ci.hi - 0.6017) < 5e-5, "[%g, %g]", ci.lo, ci.hi);
    /* 50-digit references: beta quantiles for n <= 100 (mpmath betainc, bisection) and, for
     * the large cases, the binomial tail summed term by term at 30 digits and Newton-refined. */
    static const struct {
        uint64_t k, n;
        double lo, hi;
    } ref[] = {
        {5, 100, 0.016431879182052, 0.11283491110546},
        {50, 100, 0.3983211295033, 0.6016788704967},
        {1, 10, 0.0025285785444618, 0.4450161170282},
        {3, 1000000, 6.1867255019063986e-7, 8.7672477881452235e-6},
        {10000, 1000000000, 9.8049534185760484e-6, 1.0197950615308479e-5},
        {1000000, 10000000000ull, 9.9804108105178758e-5, 1.0019618136549299e-4},
        {1, 10000000000000ull, 2.5317807984289844e-15, 5.5716433909376237e-13},
        {1000000000, 10000000000000ull, 9.9993802454269114e-5, 1.0000619783510669e-4},
    };
    for (size_t i = 0; i < sizeof ref / sizeof *ref; i++) {
        ci = ls_ci_clopper_pearson(ref[i].k, ref[i].n, 0.95);
        const double tol = i < 3 ? 1e-12 : 1e-10; /* the n <= 100 references have 14 digits */
        cr_assert(rel(ci.lo, ref[i].lo) < tol && rel(ci.hi, ref[i].hi) < tol,
                  "k %llu n %llu: [%.17g, %.17g]", (unsigned long long)ref[i].k,
                  (unsigned long long)ref[i].n, ci.lo, ci.hi);
    }
}

Test(stats, clopper_pearson_solves_its_defining_equations)
{
    /* P[Bin(n, lo) >= k] = alpha/2 and P[Bin(n, hi) <= k] = alpha/2, checked with the
     * independent summation of ls_binom_tail. */
    const uint64_t seed = ls_test_seed(DEFAULT_SEED);
    ls_rng r;
    ls_rng_seed(&r, seed, 2, 0);
    static const double confs[] = {0.68, 0.9, 0.95, 0.99, 0.9999};
    for (int t = 0; t < 500; t++) {
        const unsigned n = 1 + ls_rng_below(&r, 100000);
        const unsigned k = ls_rng_below(&r, n + 1);
        const double conf = confs[ls_rng_below(&r, 5)], a2 = 0.5 * (1.0 - conf);
        const ls_interval ci = ls_ci_clopper_pearson(k, n, conf);
        ls_assert_seeded(ci.lo >= 0.0 && ci.lo <= (double)k / n && ci.hi >= (double)k / n && ci.hi <= 1.0, seed,
                         "k %u n %u conf %g: [%.17g, %.17g]", k, n, conf, ci.lo, ci.hi);
        if (k > 0)
            ls_assert_seeded(rel(ls_binom_tail(n, k, ci.lo), a2) < 1e-9, seed, "lo: k %u n %u conf %g", k, n, conf);
        if (k < n)
            ls_assert_seeded(rel(1.0 - ls_binom_tail(n, k + 1, ci.hi), a2) < 1e-9, seed, "hi: k %u n %u conf %g", k,
                             n, conf);
    }
}

Test(stats, clopper_pearson_edges_and_symmetry)
{
    ls_interval ci = ls_ci_clopper_pearson(0, 0, 0.95);
    cr_assert(eq(dbl, ci.lo, 0.0));
    cr_assert(eq(dbl, ci.hi, 1.0));
    ci = ls_ci_clopper_pearson(20, 20, 0.95);
    cr_assert(eq(dbl, ci.hi, 1.0));
    cr_assert(rel(ci.lo, pow(0.025, 1.0 / 20)) < 1e-12, "lo %.17g", ci.lo);
    ci = ls_ci_clopper_pearson(5, 4, 0.95);
    cr_assert(isnan(ci.lo) && isnan(ci.hi));
    ci = ls_ci_clopper_pearson(1, 4, 1.0);
    cr_assert(isnan(ci.lo));
    ci = ls_ci_clopper_pearson(1, 4, 0.0);
    cr_assert(isnan(ci.lo));
    ci = ls_ci_clopper_pearson(1, 4, NAN);
    cr_assert(isnan(ci.lo));
    ci = ls_ci_clopper_pearson(1, (1ull << 53) + 2, 0.95);
    cr_assert(isnan(ci.lo));
    for (uint64_t n = 1; n <= 60; n += 7) {
        double prev_lo = -1, prev_hi = -1;
        for (uint64_t k = 0; k <= n; k++) {
            const ls_interval a = ls_ci_clopper_pearson(k, n, 0.95);
            const ls_interval m = ls_ci_clopper_pearson(n - k, n, 0.95);
            cr_assert(fabs(a.lo - (1.0 - m.hi)) < 1e-13 && fabs(a.hi - (1.0 - m.lo)) < 1e-13,
                      "mirror k %llu n %llu", (unsigned long long)k, (unsigned long long)n);
            cr_assert(a.lo > prev_lo && a.hi > prev_hi, "monotone in k");
            const ls_interval w = ls_ci_clopper_pearson(k, n, 0.99);
            cr_assert(w.lo <= a.lo && w.hi >= a.hi, "99%% contains 95%%");
            prev_lo = a.lo;
            prev_hi = a.hi;
        }
    }
}

/* P[X = k], X ~ Bin(n, p), by lgamma (n small): independent of the library. */
static double pmf(unsigned n, unsigned k, double p)
{
    if (p == 0.0)
        return k == 0;
    if (p == 1.0)
        return k == n;
    return exp(lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0) + k * log(p) +
               (n - k) * log1p(-p));
}

Test(stats, interval_coverage)
{
    /* Exact coverage C(p) = sum_k pmf(k) [lo_k <= p <= hi_k]. Clopper-Pearson guarantees
     * C(p) >= conf for every p; Wilson is only near conf on average (within 0.01 here). */
    static const unsigned ns[] = {10, 50, 200};
    static ls_interval cp[201], wi[201];
    for (size_t a = 0; a < 3; a++) {
        const unsigned n = ns[a];
        for (unsigned k = 0; k <= n; k++) {
            cp[k] = ls_ci_clopper_pearson(k, n, 0.95);
            wi[k] = ls_ci_wilson(k, n, 0.95);
        }
        double wsum = 0;
        const int np = 999;
        for (int j = 1; j <= np; j++) {
            const double p = j / (np + 1.0);
            double ccp = 0, cw = 0;
            for (unsigned k = 0; k <= n; k++) {
                const double w = pmf(n, k, p);
                ccp += (cp[k].lo <= p && p <= cp[k].hi) ? w : 0.0;
                cw += (wi[k].lo <= p && p <= wi[k].hi) ? w : 0.0;
            }
            cr_assert(ccp >= 0.95 - 1e-12, "CP coverage %g at n %u p %g", ccp, n, p);
            wsum += cw;
        }
        cr_assert(fabs(wsum / np - 0.95) < 0.01, "Wilson mean coverage %g at n %u", wsum / np, n);
    }
}

Test(stats, wilson_matches_closed_form)
{
    static const struct {
        uint64_t k, n;
        double conf;
    } cs[] = {{5, 100, 0.95},      {50, 100, 0.95}, {1, 10, 0.9},    {3, 1000000, 0.99},
              {250, 1000, 0.6827}, {97, 100, 0.95}, {0, 1000, 0.95}, {1, 10000000000ull, 0.95}};
    for (size_t i = 0; i < sizeof cs / sizeof *cs; i++) {
        const double n = (double)cs[i].n, ph = cs[i].k / n;
        const double z = ls_qinv(0.5 * (1.0 - cs[i].conf)), z2 = z * z;
        const double center = (ph + z2 / (2 * n)) / (1 + z2 / n);
        const double half = z / (1 + z2 / n) * sqrt(ph * (1 - ph) / n + z2 / (4 * n * n));
        const ls_interval ci = ls_ci_wilson(cs[i].k, cs[i].n, cs[i].conf);
        /* The textbook difference center - half cancels for small k; compare absolutely
         * there and check the score equation (ph - p)^2 = z^2 p (1 - p) / n instead. */
        cr_assert(rel(ci.hi, center + half) < 1e-12, "hi case %zu: %.17g", i, ci.hi);
        cr_assert(fabs(ci.lo - (center - half)) < 1e-12 * (center + half), "lo case %zu", i);
        for (int b = 0; b < 2; b++) {
            const double p = b ? ci.hi : ci.lo;
            const double lhs = (ph - p) * (ph - p), rhs = z2 * p * (1 - p) / n;
            cr_assert(fabs(lhs - rhs) <= 1e-10 * (lhs + rhs) || (p == 0.0 && cs[i].k == 0),
                      "score equation case %zu bound %d: %g vs %g", i, b, lhs, rhs);
        }
    }
    ls_interval ci = ls_ci_wilson(0, 0, 0.95);
    cr_assert(eq(dbl, ci.lo, 0.0));
    cr_assert(eq(dbl, ci.hi, 1.0));
    ci = ls_ci_wilson(0, 10, 0.95);
    cr_assert(eq(dbl, ci.lo, 0.0));
    ci = ls_ci_wilson(10, 10, 0.95);
    cr_assert(eq(dbl, ci.hi, 1.0));
    ci = ls_ci_wilson(11, 10, 0.95);
    cr_assert(isnan(ci.lo) && isnan(ci.hi));
    ci = ls_ci_wilson(1, 10, 1.5);
    cr_assert(isnan(ci.lo));
}

/*
 * Tests of phy/core/ls_fastmath.h: the inline exp, expm1, sincos and tanh of the optical blocks
 * against libm's long-double functions (64-bit significand on x86-64, so the reference error
 * is 2^11 below the double results checked), on dense grids, random arguments and the special
 * values. Each test states the bound that the header documents and fails above it; the
 * measured maxima are printed. The last test checks that the kernels give the same bits in a
 * vectorized loop (compiled like the blocks' loops, with the AVX2 clone where the CPU has AVX2)
 * as one at a time.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ls_fastmath.h"
#include "util.h"

/* xorshift64* uniform in [0, 1), independent of lanesim's generator */
static double unif(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (double)((*s * UINT64_C(2685821657736338717)) >> 11) * 0x1.0p-53;
}

static double rel_err(double got, long double want)
{
    if (want == 0.0L)
        return got == 0.0 ? 0.0 : INFINITY;
    return (double)fabsl(((long double)got - want) / want);
}

Test(fastmath, exp_relative_error_below_1e_15)
{
    double worst = 0, at = 0;
    const uint64_t seed = ls_test_seed(91u);
    uint64_t s = seed | 1u;
    for (int i = 0; i <= 2000000; i++) { /* dense over (-708, 708), then random */
        double x = i < 1000000 ? -708.0 + 1416.0 * i / 1000000.0 : -708.0 + 1416.0 * unif(&s);
        if (!(x > -708.0 && x < 708.0))
            continue;
        double e = rel_err(lsi_exp(x), expl((long double)x));
        if (e > worst) {
            worst = e;
            at = x;
        }
    }
    for (int i = -2000; i <= 2000; i++) { /* near 0 and near the reduction boundaries k ln2/2 */
        double x = i * 0.5 * M_LN2 * (1.0 + 1e-9 * (i & 7));
        double e = rel_err(lsi_exp(x), expl((long double)x));
        if (e > worst) {
            worst = e;
            at = x;
        }
    }
    printf("fastmath exp: max relative error %.3g at %.17g\n", worst, at);
    ls_assert_seeded(lt(dbl, worst, 1e-15), seed, "exp: relative error %g at %.17g", worst, at);
    /* outside the range: libm's exp, exactly */
    static const double far[] = {-1000.0, -745.0, -708.5, -708.0, 708.0, 709.7, 710.0};
    for (size_t i = 0; i < sizeof far / sizeof far[0]; i++)
        cr_assert(eq(dbl, lsi_exp(far[i]), exp(far[i])), "x = %g", far[i]);
    cr_assert(eq(dbl, lsi_exp(-INFINITY), 0.0));
    int inf = isinf(lsi_exp(INFINITY)) && lsi_exp(INFINITY) > 0, nan = isnan(lsi_exp(NAN));
    cr_assert(inf);
    cr_assert(nan);
    cr_assert(eq(dbl, lsi_exp(0.0), 1.0));
}

Test(fastmath, expm1_relative_error_below_1e_15)
{
    double worst = 0, at = 0;
    const uint64_t seed = ls_test_seed(92u);
    uint64_t s = seed | 1u;
    for (int i = 0; i <= 1000000; i++) {
        double x;
        if (i < 400000)
            x = -50.0 + 100.0 * i / 400000.0;
        else if (i < 800000) /* around the branch point ln2/2 and tiny arguments */
            x = (unif(&s) - 0.5) * 1.6;
        else
            x = ((i & 1) ? 1 : -1) * pow(10.0, -300.0 + 300.0 * unif(&s));
        if (x == 0.0)
            continue;
        double e = rel_err(lsi_expm1(x), expm1l((long double)x));
        if (e > worst) {
            worst = e;
            at = x;
        }
    }
    printf("fastmath expm1: max relative error %.3g at %.17g\n", worst, at);
    ls_assert_seeded(lt(dbl, worst, 1e-15), seed, "expm1: relative error %g at %.17g", worst, at);
}

Test(fastmath, tanh_relative_error_below_1_5e_15)
{
    double worst = 0, at = 0;
    const uint64_t seed = ls_test_seed(93u);
    uint64_t s = seed | 1u;
    for (int i = 0; i <= 1000000; i++) {
        double x;
        if (i < 500000)
            x = -25.0 + 50.0 * i / 500000.0;
        else if (i < 900000)
            x = (unif(&s) - 0.5) * 2.0;
        else
            x = ((i & 1) ? 1 : -1) * pow(10.0, -300.0 + 300.0 * unif(&s));
        if (x == 0.0)
            continue;
        double e = rel_err(lsi_tanh(x), tanhl((long double)x));
        if (e > worst) {
            worst = e;
            at = x;
        }
    }
    printf("fastmath tanh: max relative error %.3g at %.17g\n", worst, at);
    ls_assert_seeded(lt(dbl, worst, 1.5e-15), seed, "tanh: relative error %g at %.17g", worst, at);
    cr_assert(eq(dbl, lsi_tanh(1e3), 1.0));
    cr_assert(eq(dbl, lsi_tanh(-INFINITY), -1.0));
    int nan = isnan(lsi_tanh(NAN));
    cr_assert(nan);
    cr_assert(eq(dbl, lsi_tanh(-0.0), 0.0)); /* +0: the sign of a zero is not kept */
}

Test(fastmath, sincos_absolute_error_below_1e_15)
{
    double worst = 0, at = 0;
    const uint64_t seed = ls_test_seed(94u);
    uint64_t s = seed | 1u;
    for (int i = 0; i <= 2000000; i++) {
        double x;
        if (i < 800000)
            x = -20.0 + 40.0 * i / 800000.0;
        else if (i < 1200000) /* next to multiples of pi/4, where the quadrant changes */
            x = (i - 1000000) * 0.25 * M_PI + (unif(&s) - 0.5) * 1e-6;
        else
            x = (unif(&s) - 0.5) * 2e6 * pow(10.0, -6.0 * unif(&s));
        double sn, cs;
        lsi_sincos(x, &sn, &cs);
        const long double xl = (long double)x;
        double e = fmax(fabs((double)((long double)sn - sinl(xl))), fabs((double)((long double)cs - cosl(xl))));
        if (e > worst) {
            worst = e;
            at = x;
        }
    }
    printf("fastmath sincos: max absolute error %.3g at %.17g\n", worst, at);
    ls_assert_seeded(lt(dbl, worst, 1e-15), seed, "sincos: absolute error %g at %.17g", worst, at);
    /* beyond 1e6 and the special values: libm */
    double sn, cs;
    lsi_sincos(3e7, &sn, &cs);
    cr_assert(eq(dbl, sn, sin(3e7)));
    cr_assert(eq(dbl, cs, cos(3e7)));
    lsi_sincos(0.0, &sn, &cs);
    cr_assert(eq(dbl, sn, 0.0));
    cr_assert(eq(dbl, cs, 1.0));
    lsi_sincos(NAN, &sn, &cs);
    int nan = isnan(sn) && isnan(cs);
    cr_assert(nan);
}

/* The kernels in a loop as the blocks use them: vectorized (this file is compiled with the
 * blocks' -fno-trapping-math, tests/CMakeLists.txt), and cloned for AVX2. */
LSI_SIMD_CLONES static void kernels_block(const double *restrict x, double *restrict e, double *restrict m,
                                          double *restrict t, double *restrict sn, double *restrict cs,
                                          size_t n)
{
    for (size_t i = 0; i < n; i++) {
        e[i] = lsi_exp_core(x[i]);
        m[i] = lsi_expm1_core(x[i]);
        t[i] = lsi_tanh(x[i]);
        lsi_sincos_core(x[i], &sn[i], &cs[i]);
    }
}

/* One element at a time, baseline ISA, never vectorized (a call per element). */
__attribute__((noinline)) static void kernels_one(double x, double *e, double *m, double *t, double *sn,
                                                  double *cs)
{
    *e = lsi_exp_core(x);
    *m = lsi_expm1_core(x);
    *t = lsi_tanh(x);
    lsi_sincos_core(x, sn, cs);
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

Test(fastmath, vectorized_and_cloned_loops_give_the_scalar_bits)
{
    enum { N = 100003 };
    static double x[N], e[N], m[N], t[N], sn[N], cs[N];
    const uint64_t seed = ls_test_seed(95u);
    uint64_t s = seed | 1u;
    for (size_t i = 0; i < N; i++)
        x[i] = (unif(&s) - 0.5) * ((i % 3) ? 3.0 : 1400.0);
    kernels_block(x, e, m, t, sn, cs, N);
    for (size_t i = 0; i < N; i++) {
        double e1, m1, t1, s1, c1;
        kernels_one(x[i], &e1, &m1, &t1, &s1, &c1);
        int ok = same_bits(e[i], e1) && same_bits(m[i], m1) && same_bits(t[i], t1) && same_bits(sn[i], s1) &&
                 same_bits(cs[i], c1);
        ls_assert_seeded(ok, seed, "x = %a: exp %a/%a expm1 %a/%a tanh %a/%a sin %a/%a cos %a/%a", x[i], e[i], e1, m[i],
                         m1, t[i], t1, sn[i], s1, cs[i], c1);
    }
}

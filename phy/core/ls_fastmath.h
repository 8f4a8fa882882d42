/*
 * Internal: inline exp, expm1, sincos and tanh for the per-sample loops of the optical blocks
 * (never installed). Each is a textbook argument reduction followed by a truncated Taylor series,
 * in double precision, with branches only for the rare out-of-range arguments (which go to libm).
 * glibc's cexp/sincos save and restore the rounding mode on every call, which made them the
 * largest single cost of an optical link; these run in a few nanoseconds and are accurate to a
 * few units in the last place of a double, far below the float samples they produce.
 *
 * Error bounds (tests/test_fastmath.c checks each against the long-double libm functions on
 * dense and random grids):
 *   lsi_exp(x)      relative error < 1e-15 (any x; |x| > 708 is libm's exp)
 *   lsi_expm1(x)    relative error < 2.5e-15 (any x)
 *   lsi_sincos(x)   absolute error < 1e-15 for both outputs (any x; |x| > 1e6 is libm's)
 *   lsi_tanh(x)     relative error < 3e-15 (any x)
 *
 * The series are summed by Estrin's scheme (pairs, then pairs of pairs in r^2, r^4, r^8), whose
 * dependency chain is a third of Horner's: the per-sample loops are latency bound otherwise.
 *
 * exp: x = k ln2 + r, k = nearest integer to x/ln2, |r| <= ln2/2; ln2 = LN2_HI + LN2_LO with
 *   LN2_HI carrying 32 significant bits, so k LN2_HI is exact for |k| < 2^21 and r is accurate
 *   to one rounding. exp(r) = sum_{n<=12} r^n / n!: the omitted tail is below
 *   r^13/13! (1 + r/14 + ...) < 2.6e-16 of the result. 2^k is assembled in the exponent field.
 * expm1: for |x| < ln2/2 the series x (1 + x/2 + ... + x^12/13!) (no cancellation; tail
 *   < 2e-17 relative); otherwise exp(x) - 1, which loses at most 2 bits (|e^x - 1| > 0.29).
 * sincos: x = k pi/2 + r, |r| <= pi/4, pi/2 = PIO2_1 + PIO2_2 + PIO2_3 (33 + 33 + 53 bits;
 *   Cody & Waite, "Software Manual for the Elementary Functions", 1980), exact products for
 *   |k| < 2^20. sin r = sum of 8 terms to r^15/15! (tail < r^17/17! < 5e-17 relative),
 *   cos r = sum of 9 terms to r^16/16! (tail < r^18/18! < 3e-18); the quadrant k mod 4 swaps and
 *   negates them.
 * tanh: tanh x = e / (e + 2), e = expm1(2x), for |x| <= 20; beyond, tanh x rounds to +-1.
 *
 * The nearest-integer step adds and subtracts 1.5 2^52 (valid for |v| < 2^51): with C11's
 * default FLT_EVAL_METHOD 0 on x86-64 and no FP contraction (-std=c11), every operation here
 * rounds once to double, so results are the same on every such machine.
 */
#ifndef LS_FASTMATH_H
#define LS_FASTMATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#define LSI_FM_RND 0x1.8p52 /* 1.5 2^52: x + RND - RND rounds x to the nearest integer */

static inline uint64_t lsi_fm_bits(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static inline double lsi_fm_double(uint64_t b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

/** exp(x) for |x| < 708 only (no checks, no branches: the loops that call it vectorize). */
static inline double lsi_exp_core(double x)
{
    const double t = x * 0x1.71547652b82fep+0 + LSI_FM_RND; /* x / ln2 + RND */
    const double k = t - LSI_FM_RND;
    const int64_t ki = (int64_t)(lsi_fm_bits(t) - lsi_fm_bits(LSI_FM_RND)); /* k, |k| <= 1022 */
    const double r = (x - k * 0x1.62e42fee00000p-1) - k * 0x1.a39ef35793c76p-33;
    /* sum_{n<=12} r^n/n! by Estrin's scheme (a short dependency chain) */
    const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    const double q0 = 1.0 + r, q1 = 0.5 + r * (1.0 / 6.0), q2 = 1.0 / 24.0 + r * (1.0 / 120.0),
                 q3 = 1.0 / 720.0 + r * (1.0 / 5040.0), q4 = 1.0 / 40320.0 + r * (1.0 / 362880.0),
                 q5 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0);
    const double s0 = q0 + r2 * q1, s1 = q2 + r2 * q3, s2 = q4 + r2 * q5;
    const double p = (s0 + r4 * s1) + r8 * (s2 + r4 * (1.0 / 479001600.0));
    return p * lsi_fm_double((uint64_t)(ki + 1023) << 52);
}

/** exp(x), relative error < 1e-15. */
static inline double lsi_exp(double x)
{
    if (!(x > -708.0 && x < 708.0)) /* overflow, gradual underflow, NaN: libm */
        return exp(x);
    return lsi_exp_core(x);
}

/** exp(x) - 1, relative error < 2.5e-15. */
static inline double lsi_expm1(double x)
{
    if (!(fabs(x) < 0x1.62e42fefa39efp-2)) /* |x| >= ln2/2 (or NaN) */
        return lsi_exp(x) - 1.0;
    /* x sum_{n<=12} x^n/(n+1)! (Estrin) */
    const double x2 = x * x, x4 = x2 * x2, x8 = x4 * x4;
    const double q0 = 1.0 + x * 0.5, q1 = 1.0 / 6.0 + x * (1.0 / 24.0),
                 q2 = 1.0 / 120.0 + x * (1.0 / 720.0), q3 = 1.0 / 5040.0 + x * (1.0 / 40320.0),
                 q4 = 1.0 / 362880.0 + x * (1.0 / 3628800.0),
                 q5 = 1.0 / 39916800.0 + x * (1.0 / 479001600.0);
    const double s0 = q0 + x2 * q1, s1 = q2 + x2 * q3, s2 = q4 + x2 * q5;
    const double p = (s0 + x4 * s1) + x8 * (s2 + x4 * (1.0 / 6227020800.0));
    return x * p;
}

/** tanh(x), relative error < 3e-15. */
static inline double lsi_tanh(double x)
{
    if (fabs(x) > 20.0) /* tanh(20) = 1 - 8.5e-18 */
        return x > 0 ? 1.0 : -1.0;
    const double e = lsi_expm1(2.0 * x);
    return e / (e + 2.0);
}

/** sin and cos for |x| < 1e6 only (no checks, no branches). */
static inline void lsi_sincos_core(double x, double *s, double *c)
{
    const double k = (x * 0x1.45f306dc9c883p-1 + LSI_FM_RND) - LSI_FM_RND; /* nearest to x 2/pi */
    const double r =
        ((x - k * 0x1.921fb54400000p+0) - k * 0x1.0b4611a600000p-34) - k * 0x1.3198a2e037073p-69;
    /* Estrin in z = r^2: sin r = r (1 + z S(z)), cos r = 1 + z C(z) */
    const double z = r * r, z2 = z * z, z4 = z2 * z2;
    const double sa = -1.0 / 6.0 + z * (1.0 / 120.0), sb = -1.0 / 5040.0 + z * (1.0 / 362880.0),
                 sc = -1.0 / 39916800.0 + z * (1.0 / 6227020800.0);
    const double sp = (sa + z2 * sb) + z4 * (sc + z2 * (-1.0 / 1307674368000.0));
    const double ca = -0.5 + z * (1.0 / 24.0), cb = -1.0 / 720.0 + z * (1.0 / 40320.0),
                 cc = -1.0 / 3628800.0 + z * (1.0 / 479001600.0),
                 cd = -1.0 / 87178291200.0 + z * (1.0 / 20922789888000.0);
    const double cp = (ca + z2 * cb) + z4 * (cc + z2 * cd);
    const double sn = r + r * (z * sp), cs = 1.0 + z * cp;
    /* quadrant qd = k mod 4, in double arithmetic (compares and selects vectorize where 64-bit
     * integer compares do not): floor(k/4) = nearest((k - 1.5)/4), never a tie for integer k.
     * (sin, cos)(k pi/2 + r) = (sn, cs), (cs, -sn), (-sn, -cs), (-cs, sn) for qd = 0, 1, 2, 3. */
    const double qd = k - 4.0 * (((k - 1.5) * 0.25 + LSI_FM_RND) - LSI_FM_RND);
    const int odd = qd == 1.0 || qd == 3.0;
    const double a = odd ? cs : sn, b = odd ? sn : cs;
    *s = qd >= 2.0 ? -a : a;
    *c = (qd == 1.0 || qd == 2.0) ? -b : b;
}

/** *s = sin(x), *c = cos(x), absolute error < 1e-15. */
static inline void lsi_sincos(double x, double *s, double *c)
{
    if (!(fabs(x) < 1e6)) { /* large arguments, inf, NaN: libm */
        *s = sin(x);
        *c = cos(x);
        return;
    }
    lsi_sincos_core(x, s, c);
}

#endif

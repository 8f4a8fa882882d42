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
 *   lsi_expm1(x)    relative error < 1e-15 (any x)
 *   lsi_sincos(x)   absolute error < 1e-15 for both outputs (any x; |x| > 1e6 is libm's)
 *   lsi_tanh(x)     relative error < 1.5e-15 (any x; tanh(-0) is +0)
 *
 * The series are summed by Estrin's scheme (pairs, then pairs of pairs in r^2, r^4, r^8), whose
 * dependency chain is a third of Horner's: the per-sample loops are latency bound otherwise.
 *
 * exp: x = k ln2 + r, k = nearest integer to x/ln2, |r| <= ln2/2; ln2 = LN2_HI + LN2_LO with
 *   LN2_HI carrying 32 significant bits, so k LN2_HI is exact for |k| < 2^21 and r is accurate
 *   to one rounding. e^r - 1 = r (1 + r/2 + ... + r^12/13!): the omitted tail is below
 *   r^14/14! (1 + r/15 + ...) < 5e-18 of e^r and < 2e-17 of e^r - 1. 2^k is assembled in the
 *   exponent field; exp = 2^k (1 + (e^r - 1)).
 * expm1: (2^k - 1) + 2^k (e^r - 1): exact series for k = 0 (|x| < ln2/2, no cancellation);
 *   otherwise |e^x - 1| > 0.29 and the sum loses at most 2 bits.
 * sincos: x = k pi/2 + r, |r| <= pi/4, pi/2 = PIO2_1 + PIO2_2 + PIO2_3 (33 + 33 + 53 bits;
 *   Cody & Waite, "Software Manual for the Elementary Functions", 1980), exact products for
 *   |k| < 2^20. sin r = sum of 8 terms to r^15/15! (tail < r^17/17! < 5e-17 relative),
 *   cos r = sum of 9 terms to r^16/16! (tail < r^18/18! < 3e-18); the quadrant k mod 4 swaps and
 *   negates them.
 * tanh: tanh x = e / (e + 2), e = expm1(2x), with x clamped to [-20, 20] (tanh(+-20) rounds
 *   to +-1 already).
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

/*
 * LSI_SIMD_CLONES on a loop function: GCC compiles it three times, for AVX-512F, AVX2 and the
 * baseline ISA, and picks one at load time (an ifunc). The wider vectors halve or quarter the
 * instruction count of the loops (AVX-512 doubles the speed of the EML's map and phasor on an
 * AMD Zen 4 even though it executes 512-bit operations in two halves). Every clone rounds every
 * operation identically: the files that use it are compiled with -ffp-contract=off (no fused
 * multiply-add; CMakeLists.txt), and IEEE add, multiply, divide, sqrt and conversions do not
 * depend on the vector width, so the results are bit-identical (tests/test_fastmath.c).
 */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    !defined(LSI_NO_SIMD_CLONES)
#define LSI_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#define LSI_SIMD_CLONES_AVX2 __attribute__((target_clones("avx2", "default")))
#else
#define LSI_SIMD_CLONES
#define LSI_SIMD_CLONES_AVX2
#endif
/* LSI_SIMD_CLONES_AVX2: AVX2 and the baseline only, for loops GCC 12 would fuse in an AVX-512F clone: it
 * matches a complex product (a[0] b[0] - a[1] b[1], a[0] b[1] + a[1] b[0] over interleaved pairs) to
 * vfmaddsub there, one rounding instead of two, even under -ffp-contract=off (seen on lsi_sym_cmul;
 * the engines' bit-identity checks caught it). */

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

/* e^r - 1 = r sum_{n<=12} r^n/(n+1)! for |r| <= ln2/2 (Estrin's scheme: a short dependency chain) */
static inline double lsi_fm_expq(double r)
{
    const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    const double q0 = 1.0 + r * 0.5, q1 = 1.0 / 6.0 + r * (1.0 / 24.0),
                 q2 = 1.0 / 120.0 + r * (1.0 / 720.0), q3 = 1.0 / 5040.0 + r * (1.0 / 40320.0),
                 q4 = 1.0 / 362880.0 + r * (1.0 / 3628800.0),
                 q5 = 1.0 / 39916800.0 + r * (1.0 / 479001600.0);
    const double s0 = q0 + r2 * q1, s1 = q2 + r2 * q3, s2 = q4 + r2 * q5;
    return r * ((s0 + r4 * s1) + r8 * (s2 + r4 * (1.0 / 6227020800.0)));
}

/* x = k ln2 + r: returns r and sets *scale = 2^k (|x| < 708). */
static inline double lsi_fm_reduce_ln2(double x, double *scale)
{
    const double t = x * 0x1.71547652b82fep+0 + LSI_FM_RND; /* x / ln2 + RND */
    const double k = t - LSI_FM_RND;
    const int64_t ki = (int64_t)(lsi_fm_bits(t) - lsi_fm_bits(LSI_FM_RND)); /* k, |k| <= 1022 */
    *scale = lsi_fm_double((uint64_t)(ki + 1023) << 52);
    return (x - k * 0x1.62e42fee00000p-1) - k * 0x1.a39ef35793c76p-33;
}

/** exp(x) for |x| < 708 only (no checks, no branches: the loops that call it vectorize). */
static inline double lsi_exp_core(double x)
{
    double sc;
    const double r = lsi_fm_reduce_ln2(x, &sc);
    return sc * (1.0 + lsi_fm_expq(r));
}

/** exp(x), relative error < 1e-15. */
static inline double lsi_exp(double x)
{
    if (!(x > -708.0 && x < 708.0)) /* overflow, gradual underflow, NaN: libm */
        return exp(x);
    return lsi_exp_core(x);
}

/** exp(x) - 1 for |x| < 708 only (no branches): (2^k - 1) + 2^k (e^r - 1), exact for k = 0. */
static inline double lsi_expm1_core(double x)
{
    double sc;
    const double r = lsi_fm_reduce_ln2(x, &sc);
    return (sc - 1.0) + sc * lsi_fm_expq(r);
}

/** exp(x) - 1, relative error < 1e-15. */
static inline double lsi_expm1(double x)
{
    if (!(fabs(x) < 708.0)) /* overflow, -1, NaN: libm */
        return expm1(x);
    return lsi_expm1_core(x);
}

/** tanh(x), relative error < 1.5e-15; branch-free (selects only). */
static inline double lsi_tanh(double x)
{
    /* tanh(20) = 1 - 8.5e-18 rounds to 1, as does the formula there: clamping changes nothing */
    const double xc = x > 20.0 ? 20.0 : (x < -20.0 ? -20.0 : x);
    const double e = lsi_expm1_core(2.0 * xc);
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

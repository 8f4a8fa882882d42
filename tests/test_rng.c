/*
 * Tests for lanesim/rng.h: xoshiro256** against the published algorithm, the jump polynomial
 * against the generator's own characteristic polynomial, seeding, uniform and bounded integers,
 * and the ziggurat normal generator (tables re-derived, moments, tails, histogram).
 *
 * Statistical checks use a fixed seed ($LS_TEST_SEED overrides; it is printed on failure).
 * Unless stated, a tolerance is 5 standard errors of the estimator (two-sided false-alarm
 * probability 5.7e-7 per check, so any seed passes); the chi-square tests use their 1e-6
 * critical value. The tail counts use 3 binomial standard deviations, as specified: with five
 * (correlated) counts about 1 % of override seeds fail by chance (LS_TEST_SEED=11 gives
 * P(x > r) at +3.6 sd); 1.8e10 samples over six seeds showed no bias in any tail bin.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanesim/rng.h"
#include "ls_internal.h"
#include "util.h"

/* Internal hook in phy/core/rng.c (read-only view of the ziggurat tables). */
void lsi_rng_zig_tables(const double **w, const uint64_t **k, const double **f, double *r,
                        double *v);

#define DEFAULT_SEED 20240611u

/* ---- test-local reference of the published xoshiro256** ------------------------------- */

static uint64_t ref_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* Straight transcription of the published next(): result = rotl(s1 * 5, 7) * 9. */
static uint64_t ref_next(uint64_t s[4])
{
    const uint64_t result = ref_rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = ref_rotl(s[3], 45);
    return result;
}

/* sum_k poly_k T^k s over GF(2), bit k of poly = word k/64, bit k%64: the published jump loop. */
static void ref_apply_poly(uint64_t s[4], const uint64_t poly[4])
{
    uint64_t acc[4] = {0, 0, 0, 0}, cur[4];
    memcpy(cur, s, sizeof cur);
    for (int k = 0; k < 256; k++) {
        if ((poly[k / 64] >> (k % 64)) & 1u)
            for (int j = 0; j < 4; j++)
                acc[j] ^= cur[j];
        (void)ref_next(cur);
    }
    memcpy(s, acc, sizeof acc);
}

static const uint64_t published_jump[4] = {0x180ec6d33cfd0abaull, 0xd5a61266f0c9392cull,
                                           0xa9582618e03fc9aaull, 0x39abdc4529b1661cull};

Test(rng, xoshiro_matches_published_algorithm)
{
    /* First outputs for s = {1, 2, 3, 4}, derived by hand from rotl(s1 * 5, 7) * 9 and the
     * state update: 10 -> rotl 7 -> 1280 * 9 = 11520; then s1 = 0 gives 0; ... */
    static const uint64_t first3[3] = {11520u, 0u, 1509978240u};
    ls_rng r = {{1, 2, 3, 4}};
    uint64_t ref[4] = {1, 2, 3, 4};
    for (int i = 0; i < 3; i++)
        cr_assert(eq(u64, ls_rng_u64(&r), first3[i]), "output %d", i);
    memcpy(r.s, (uint64_t[4]){1, 2, 3, 4}, sizeof r.s);
    for (int i = 0; i < 100000; i++) {
        const uint64_t want = ref_next(ref);
        cr_assert(eq(u64, ls_rng_u64(&r), want), "output %d", i);
    }
    cr_assert(eq(u64, r.s[0], ref[0]));
    cr_assert(eq(u64, r.s[3], ref[3]));
}

/* ---- jump -------------------------------------------------------------------------------- */

Test(rng, reference_poly_apply_is_powers_of_the_step)
{
    /* Validates ref_apply_poly's convention: x^5 is five steps, 1 + x^3 is s + T^3 s. */
    uint64_t a[4] = {0x0123456789abcdefull, 42, 7, 0xfeedfacecafebeefull}, b[4], c[4];
    memcpy(b, a, sizeof b);
    ref_apply_poly(a, (const uint64_t[4]){1u << 5, 0, 0, 0});
    for (int i = 0; i < 5; i++)
        (void)ref_next(b);
    cr_assert(eq(int, memcmp(a, b, sizeof a), 0));
    memcpy(b, a, sizeof b);
    memcpy(c, a, sizeof c);
    ref_apply_poly(a, (const uint64_t[4]){1u | (1u << 3), 0, 0, 0});
    for (int i = 0; i < 3; i++)
        (void)ref_next(c);
    for (int j = 0; j < 4; j++)
        cr_assert(eq(u64, a[j], b[j] ^ c[j]));
}

Test(rng, jump_equals_published_polynomial_applied)
{
    const uint64_t seed = ls_test_seed(DEFAULT_SEED);
    for (uint64_t st = 0; st < 8; st++) {
        ls_rng r;
        ls_rng_seed(&r, seed, st, 0);
        uint64_t ref[4];
        memcpy(ref, r.s, sizeof ref);
        ls_rng_jump(&r);
        ref_apply_poly(ref, published_jump);
        for (int j = 0; j < 4; j++)
            ls_assert_seeded(eq(u64, r.s[j], ref[j]), seed, "stream %llu word %d", (unsigned long long)st, j);
    }
}

Test(rng, jump_commutes_with_step)
{
    const uint64_t seed = ls_test_seed(DEFAULT_SEED);
    ls_rng a, b;
    ls_rng_seed(&a, seed, 3, 9);
    b = a;
    (void)ls_rng_u64(&a);
    ls_rng_jump(&a);
    ls_rng_jump(&b);
    (void)ls_rng_u64(&b);
    ls_assert_seeded(eq(int, memcmp(a.s, b.s, sizeof a.s), 0), seed, "step then jump differs from jump then step");
}

/* Berlekamp-Massey over GF(2): connection polynomial c[0..L] of the bit sequence s[0..n). */
static int berlekamp_massey(const uint8_t *s, int n, uint8_t *c)
{
    uint8_t b[513], t[513];
    cr_assert(n <= 512);
    memset(c, 0, (size_t)n + 1);
    memset(b, 0, sizeof b);
    c[0] = b[0] = 1;
    int len = 0, m = -1;
    for (int i = 0; i < n; i++) {
        int d = s[i];
        for (int j = 1; j <= len; j++)
            d ^= c[j] & s[i - j];
        if (!d)
            continue;
        memcpy(t, c, (size_t)n + 1);
        for (int j = 0; j + i - m <= n; j++)
            c[j + i - m] ^= b[j];
        if (2 * len <= i) {
            len = i + 1 - len;
            m = i;
            memcpy(b, t, (size_t)n + 1);
        }
    }
    return len;
}

static int getbit(const uint64_t *v, int k)
{
    return (int)((v[k / 64] >> (k % 64)) & 1u);
}

static void flipbit(uint64_t *v, int k)
{
    v[k / 64] ^= (uint64_t)1 << (k % 64);
}

Test(rng, jump_polynomial_is_x_pow_2_128_mod_characteristic_polynomial)
{
    /* The characteristic polynomial P of the 256-bit linear state map T, from 512 output bits
     * of one state bit (P is primitive, so that sequence's minimal polynomial is P itself). */
    uint64_t s[4] = {0x9e3779b97f4a7c15ull, 1, 2, 3};
    uint8_t bits[512], conn[513];
    for (int t = 0; t < 512; t++) {
        bits[t] = (uint8_t)(s[0] & 1u);
        (void)ref_next(s);
    }
    const int deg = berlekamp_massey(bits, 512, conn);
    cr_assert(eq(int, deg, 256), "linear complexity %d", deg);
    uint64_t p[5] = {0}; /* P(x) = x^256 + c1 x^255 + ... + c256: coefficient j = c[256 - j] */
    for (int j = 0; j <= 256; j++)
        if (conn[256 - j])
            flipbit(p, j);
    /* J(x) = x^(2^128) mod P by 128 squarings of x. */
    uint64_t r[4] = {2, 0, 0, 0};
    for (int sq = 0; sq < 128; sq++) {
        uint64_t w[8] = {0};
        for (int k = 0; k < 256; k++)
            if (getbit(r, k))
                flipbit(w, 2 * k); /* (sum r_k x^k)^2 = sum r_k x^2k over GF(2) */
        for (int d = 511; d >= 256; d--)
            if (getbit(w, d))
                for (int j = 0; j <= 256; j++)
                    if (getbit(p, j))
                        flipbit(w, d - 256 + j);
        memcpy(r, w, sizeof r);
    }
    for (int j = 0; j < 4; j++)
        cr_assert(eq(u64, r[j], published_jump[j]), "word %d: %016llx", j,
                  (unsigned long long)r[j]);
}

/* ---- seeding ----------------------------------------------------------------------------- */

Test(rng, seed_is_reproducible)
{
    /* Golden outputs: a given (seed, stream, substream) must give this sequence forever. */
    static const uint64_t golden[4] = {0x02363a93fd5db8fdull, 0x3a05a35124d937e2ull,
                                       0xb7d0828f3ea0879eull, 0x7f4daecf3ae0e780ull};
    ls_rng a, b;
    ls_rng_seed(&a, 42, 7, 3);
    ls_rng_seed(&b, 42, 7, 3);
    for (int i = 0; i < 4; i++) {
        const uint64_t x = ls_rng_u64(&a);
        cr_assert(eq(u64, x, golden[i]), "output %d = 0x%016llxull", i, (unsigned long long)x);
    }
    for (int i = 0; i < 4; i++)
        (void)ls_rng_u64(&b);
    cr_assert(eq(int, memcmp(a.s, b.s, sizeof a.s), 0));
}

static int cmp_u64(const void *x, const void *y)
{
    const uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

Test(rng, distinct_triples_give_distinct_nonzero_states)
{
    const uint64_t seed = ls_test_seed(DEFAULT_SEED);
    enum { M = 16 };
    static uint64_t first[M * M * M * 2];
    size_t n = 0;
    for (uint64_t a = 0; a < M; a++)
        for (uint64_t b = 0; b < M; b++)
            for (uint64_t c = 0; c < M; c++)
                for (uint64_t half = 0; half < 2; half++) { /* small values, and near seed */
                    ls_rng r;
                    ls_rng_seed(&r, half ? seed + a : a, half ? b + M : b, c);
                    const int nonzero = (r.s[0] | r.s[1] | r.s[2] | r.s[3]) != 0;
                    ls_assert_seeded(nonzero, seed, "zero state for half %llu, (%llu, %llu, %llu)",
                                     (unsigned long long)half, (unsigned long long)a, (unsigned long long)b,
                                     (unsigned long long)c);
                    first[n++] = ls_rng_u64(&r);
                }
    qsort(first, n, sizeof *first, cmp_u64);
    for (size_t i = 1; i < n; i++)
        ls_assert_seeded(first[i] != first[i - 1], seed, "collision");
}

Test(rng, seed_bits_avalanche_into_the_state)
{
    /* Flipping any one input bit flips each of the 256 state bits with probability 1/2:
     * mean Hamming distance over the 192 flips is 128 +- 5 * 8 / sqrt(192). */
    const uint64_t seed = ls_test_seed(DEFAULT_SEED);
    ls_rng base;
    ls_rng_seed(&base, seed, 5, 6);
    double total = 0;
    for (int w = 0; w < 3; w++)
        for (int bit = 0; bit < 64; bit++) {
            uint64_t in[3] = {seed, 5, 6};
            in[w] ^= (uint64_t)1 << bit;
            ls_rng r;
            ls_rng_seed(&r, in[0], in[1], in[2]);
            int d = 0;
            for (int j = 0; j < 4; j++)
                for (uint64_t diff = r.s[j] ^ base.s[j]; diff; diff &= diff - 1)
                    d++;
            ls_assert_seeded(d > 64 && d < 192, seed, "word %d bit %d distance %d", w, bit, d);
            total += d;
        }
    const double mean = total / 192.0;
    ls_assert_seeded(fabs(mean - 128.0) < 5.0 * 8.0 / sqrt(192.0), seed, "mean distance %g", mean);
}

/* ---- uniform and bounded ----------------------------------------------------------------- */

static double corr(const double *x, const double *y, size_t n)
{
    double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    for (size_t i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    return sxy / sqrt(sxx * syy);
}

Test(rng, streams_are_uncorrelated)
{
    /* Under independence the sample correlation of N pairs has standard error 1/sqrt(N). */
    enum { N = 1000000 };
    const uint64_t seed = ls_test_seed(DEFAULT_SEED);
    static double x[N], y[N];
    ls_rng ref, other[5];
    ls_rng_seed(&ref, seed, 0, 0);
    ls_rng_seed(&other[0], seed, 1, 0);
    ls_rng_seed(&other[1], seed, 0, 1);
    ls_rng_seed(&other[2], seed + 1, 0, 0);
    ls_rng_seed(&other[3], seed, 1, 1);
    other[4] = ref;
    ls_rng_jump(&other[4]);
    for (size_t i = 0; i < N; i++)
        x[i] = ls_rng_uniform(&ref);
    const double tol = 5.0 / sqrt((double)N);
    for (int k = 0; k < 5; k++) {
        for (size_t i = 0; i < N; i++)
            y[i] = ls_rng_uniform(&other[k]);
        for (size_t lag = 0; lag < 3; lag++) {
            const double c = corr(x, y + lag, N - lag);
            ls_assert_seeded(fabs(c) < tol, seed, "pair %d lag %zu corr %g", k, lag, c);
        }
    }
    const double c1 = corr(x, x + 1, N - 1); /* serial correlation inside one stream */
    ls_assert_seeded(fabs(c1) < tol, seed, "lag-1 autocorrelation %g", c1);
    for (size_t i = 0; i < N; i++) { /* and for normal deviates of two streams */
        x[i] = ls_rng_gauss(&ref);
        y[i] = ls_rng_gauss(&other[0]);
    }
    const double cg = corr(x, y, N);
    ls_assert_seeded(fabs(cg) < tol, seed, "gauss corr %g", cg);
}

Test(rng, uniform_mean_variance_and_range)
{
    /* U(0,1): mean 1/2 (s.e. sqrt(1/12/N)), variance 1/12 (s.e. sqrt((1/80 - 1/144)/N)). */
    const size_t n = 10000000;
    const uint64_t seed = ls_test_seed(DEFAULT_SEED);
    ls_rng r;
    ls_rng_seed(&r, seed, 11, 0);
    double s1 = 0, s2 = 0, lo = 1, hi = 0;
    for (size_t i = 0; i < n; i++) {
        const double u = ls_rng_uniform(&r);
        s1 += u;
        s2 += u * u;
        lo = u < lo ? u : lo;
        hi = u > hi ? u : hi;
    }
    const double mean = s1 / (double)n, var = s2 / (double)n - mean * mean;
    cr_assert(lo >= 0.0 && hi < 1.0);
    ls_assert_seeded(fabs(mean - 0.5) < 5.0 * sqrt(1.0 / 12.0 / (double)n), seed, "mean %.8f", mean);
    ls_assert_seeded(fabs(var - 1.0 / 12.0) < 5.0 * sqrt((1.0 / 80 - 1.0 / 144) / (double)n), seed, "variance %.8f",
                     var);
}

/* Lemire's method written out independently (same draws, same rejections). */
static uint32_t ref_below(uint64_t s[4], uint32_t n)
{
    for (;;) {
        const uint64_t x = ref_next(s) >> 32;
        const uint64_t m = x * n;
        const uint32_t low = (uint32_t)m;
        if (low >= (uint32_t)(((uint64_t)1 << 32) % n))
            return (uint32_t)(m >> 32);
    }
}

/* Chi-square critical value for df degrees of freedom at upper probability ~1e-6
 * (Wilson-Hilferty, z = 4.753). */
static double chi2_crit(double df)
{
    const double z = 4.753, h = 2.0 / (9.0 * df);
    const double c = 1.0 - h + z * sqrt(h);
    return df * c * c * c;
}

Test(rng, below_is_unbiased)
{
    const uint64_t seed = ls_test_seed(DEFAULT_SEED);
    ls_rng r;
    ls_rng_seed(&r, seed, 12, 0);
    /* Same draws as the reference, including the rejection path (n close to 2^32). */
    static const uint32_t ns[] = {1, 2, 3, 7, 1000, 0x80000001u, 0xc0000000u, 0xffffffffu};
    uint64_t ref[4];
    memcpy(ref, r.s, sizeof ref);
    for (size_t j = 0; j < sizeof ns / sizeof *ns; j++)
        for (int i = 0; i < 20000; i++) {
            const uint32_t got = ls_rng_below(&r, ns[j]), want = ref_below(ref, ns[j]);
            ls_assert_seeded(eq(u32, got, want), seed, "n %u draw %d", ns[j], i);
            ls_assert_seeded(got < ns[j], seed, "n %u draw %d: %u", ns[j], i, got);
        }
    cr_assert(eq(u32, ls_rng_below(&r, 0), 0));
    /* n = 3 * 2^30: a plain (x >> 32) % n would put 1/2 of the mass below 2^30, not 1/3. */
    const int trials = 1000000;
    int below = 0;
    for (int i = 0; i < trials; i++)
        below += ls_rng_below(&r, 0xc0000000u) < 0x40000000u;
    const double frac = below / (double)trials;
    ls_assert_seeded(fabs(frac - 1.0 / 3.0) < 5.0 * sqrt(2.0 / 9.0 / trials), seed, "fraction %g", frac);
    /* Small n: chi-square of the counts. */
    enum { K = 7 };
    long cnt[K] = {0};
    const long m = 700000;
    for (long i = 0; i < m; i++)
        cnt[ls_rng_below(&r, K)]++;
    double chi2 = 0;
    for (int k = 0; k < K; k++)
        chi2 += (cnt[k] - m / (double)K) * (cnt[k] - m / (double)K) / (m / (double)K);
    ls_assert_seeded(chi2 < chi2_crit(K - 1), seed, "chi2 %g", chi2);
}

/* ---- ziggurat ---------------------------------------------------------------------------- */

/* Base-strip area for tail start r: r f(r) + integral_r^inf f. */
static long double zig_area(long double r)
{
    return r * expl(-0.5L * r * r) + sqrtl(acosl(-1.0L) / 2.0L) * erfcl(r / sqrtl(2.0L));
}

/* Residual of the top-layer condition after the recurrence from r (> 0: r too small). */
static long double zig_residual(long double r)
{
    const long double v = zig_area(r);
    long double x = r;
    for (int i = 1; i < 255; i++) {
        const long double y = v / x + expl(-0.5L * x * x);
        if (y >= 1.0L)
            return 1.0L;
        x = sqrtl(-2.0L * logl(y));
    }
    return v / x + expl(-0.5L * x * x) - 1.0L;
}

Test(rng, ziggurat_tables_match_their_definition)
{
    const double *w, *f;
    const uint64_t *k;
    double r, v;
    lsi_rng_zig_tables(&w, &k, &f, &r, &v);
    /* r from scratch, by bisection on the top-layer condition. */
    long double lo = 3.0L, hi = 4.0L;
    for (int it = 0; it < 100; it++) {
        const long double mid = 0.5L * (lo + hi);
        if (zig_residual(mid) > 0)
            lo = mid;
        else
            hi = mid;
    }
    const long double r_ref = 0.5L * (lo + hi);
    cr_assert(fabsl(r - r_ref) < 1e-13L * r_ref, "r %.17g vs %.17Lg", r, r_ref);
    cr_assert(fabsl(v - zig_area(r_ref)) < 1e-13L * v, "v %.17g", v);
    long double x[257];
    for (int i = 0; i < 256; i++)
        x[i] = (long double)w[i] * 0x1.0p53L; /* exact: w = X 2^-53 */
    x[256] = 0.0L;
    cr_assert(eq(dbl, (double)x[1], r));
    cr_assert(fabsl(x[0] * expl(-0.5L * r * r) - v) < 1e-14L * v, "base layer");
    for (int i = 1; i < 256; i++) {
        cr_assert(x[i + 1] < x[i]);
        const long double area =
            x[i] * (expl(-0.5L * x[i + 1] * x[i + 1]) - expl(-0.5L * x[i] * x[i]));
        cr_assert(fabsl(area - v) < 1e-12L * v, "layer %d area %.17Lg", i, area);
    }
    for (int i = 0; i < 256; i++) {
        const long double fi = expl(-0.5L * x[i] * x[i]);
        cr_assert(fabsl(f[i] - fi) <= 4e-15L * fi, "f[%d]", i);
        const long double kk = floorl(0x1.0p53L * x[i + 1] / x[i]);
        cr_assert(fabsl((long double)k[i] - kk) <= 2.0L, "k[%d] %llu vs %.1Lf", i,
                  (unsigned long long)k[i], kk);
    }
    cr_assert(eq(u64, k[255], 0));
    cr_assert(eq(dbl, f[256], 1.0));
}

Test(rng, gauss_fill_and_add_equal_repeated_gauss)
{
    enum { N = 5000 };
    static float y[N], z[N], y0[N];
    const uint64_t seed = ls_test_seed(DEFAULT_SEED);
    const float sigma = 0.37f;
    ls_rng a, b;
    ls_rng_seed(&a, seed, 2, 5);
    b = a;
    ls_rng_gauss_fill(&a, y, N, sigma);
    for (size_t i = 0; i < N; i++)
        z[i] = (float)((double)sigma * ls_rng_gauss(&b));
    for (size_t i = 0; i < N; i++)
        ls_assert_seeded(eq(flt, y[i], z[i]), seed, "sample %zu", i);
    ls_assert_seeded(eq(int, memcmp(a.s, b.s, sizeof a.s), 0), seed, "fill: end state");

    fill_uniform(y0, N, seed);
    memcpy(y, y0, sizeof y);
    ls_rng_gauss_add(&a, y, N, sigma);
    for (size_t i = 0; i < N; i++)
        z[i] = (float)((double)y0[i] + (double)sigma * ls_rng_gauss(&b));
    for (size_t i = 0; i < N; i++)
        ls_assert_seeded(eq(flt, y[i], z[i]), seed, "sample %zu", i);
    ls_assert_seeded(eq(int, memcmp(a.s, b.s, sizeof a.s), 0), seed, "add: end state");

    ls_rng_gauss_fill(&a, NULL, 0, 1.0f); /* n = 0: no draw */
    ls_rng_gauss_add(&a, NULL, 0, 1.0f);
    ls_assert_seeded(eq(int, memcmp(a.s, b.s, sizeof a.s), 0), seed, "n = 0 drew");
    /* Chunking does not matter: 1 + 7 + rest equals one call. */
    ls_rng c = a;
    ls_rng_gauss_fill(&a, y, N, 2.0f);
    ls_rng_gauss_fill(&c, z, 1, 2.0f);
    ls_rng_gauss_fill(&c, z + 1, 7, 2.0f);
    ls_rng_gauss_fill(&c, z + 8, N - 8, 2.0f);
    for (size_t i = 0; i < N; i++)
        ls_assert_seeded(eq(flt, y[i], z[i]), seed, "chunked: sample %zu", i);
}

/* Test-local transcription of the documented ziggurat (rng.c header comment), on the library's
 * tables: bits 0-7 layer, bit 8 sign, bits 11-63 abscissa; fast path u < k[i]; layer 0 samples
 * the tail by Marsaglia's 1964 method, layers 1..255 test the wedge against exp(-x^2/2); a
 * rejection draws a new candidate. */
static double ref_gauss(ls_rng *r, const double *w, const uint64_t *k, const double *f, double rr)
{
    for (;;) {
        const uint64_t b = ls_rng_u64(r);
        const unsigned i = (unsigned)(b & 0xffu);
        const uint64_t u = b >> 11;
        const double sign = (b & 0x100u) ? -1.0 : 1.0, x = (double)(int64_t)u * w[i];
        if (u < k[i])
            return sign * x;
        if (i == 0) {
            if (x < rr)
                return sign * x;
            double t, e;
            do {
                t = -log(1.0 - ls_rng_uniform(r)) * (1.0 / rr);
                e = -log(1.0 - ls_rng_uniform(r));
            } while (e + e < t * t);
            return sign * (rr + t);
        }
        if (f[i] + ls_rng_uniform(r) * (f[i + 1] - f[i]) < exp(-0.5 * x * x))
            return sign * x;
    }
}

/* The optimized generator (signed table, state in registers, bulk fills) draws exactly the
 * documented sequence: 10^6 deviates bit for bit, slow paths included, and the same end state. */
Test(rng, gauss_equals_the_documented_ziggurat_bit_for_bit, .timeout = 30)
{
    enum { N = 1 << 18 };
    static double y[N];
    const double *w, *f;
    const uint64_t *k;
    double rr, v;
    lsi_rng_zig_tables(&w, &k, &f, &rr, &v);
    const uint64_t seed = ls_test_seed(DEFAULT_SEED);
    ls_rng a, b;
    ls_rng_seed(&a, seed, 7, 1);
    b = a;
    size_t slow = 0;
    for (int rep = 0; rep < 4; rep++) {
        if (rep & 1) {
            lsi_rng_gauss_fill_d(&a, y, N);
        } else {
            for (size_t i = 0; i < N; i++)
                y[i] = ls_rng_gauss(&a);
        }
        for (size_t i = 0; i < N; i++) {
            ls_rng before = b;
            const double want = ref_gauss(&b, w, k, f, rr);
            ls_rng once = before;
            (void)ls_rng_u64(&once);
            slow += memcmp(once.s, b.s, sizeof b.s) != 0; /* took more than one draw */
            uint64_t got_bits, want_bits;
            memcpy(&got_bits, &y[i], sizeof got_bits);
            memcpy(&want_bits, &want, sizeof want_bits);
            ls_assert_seeded(eq(u64, got_bits, want_bits), seed, "rep %d deviate %zu: %.17g want %.17g", rep, i, y[i],
                             want);
        }
        ls_assert_seeded(eq(int, memcmp(a.s, b.s, sizeof a.s), 0), seed, "rep %d: end state", rep);
    }
    printf("rng: %zu of %d deviates took the slow path\n", slow, 4 * N);
    /* the comparison covered slow paths */
    ls_assert_seeded(gt(sz, slow, (size_t)(0.005 * 4 * N)), seed, "only %zu slow paths", slow);
}

Test(rng, gauss_moments, .timeout = 60)
{
    /* N = 1e7 standard normals. Standard errors: mean 1/sqrt(N) = 3.2e-4, variance
     * sqrt(2/N) = 4.5e-4, skewness sqrt(6/N) = 7.7e-4, excess kurtosis sqrt(24/N) = 1.5e-3. */
    const size_t n = 10000000;
    const uint64_t seed = ls_test_seed(DEFAULT_SEED);
    ls_rng r;
    ls_rng_seed(&r, seed, 20, 0);
    long double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
    for (size_t i = 0; i < n; i++) {
        const long double x = ls_rng_gauss(&r), x2 = x * x;
        s1 += x;
        s2 += x2;
        s3 += x2 * x;
        s4 += x2 * x2;
    }
    const long double nn = (long double)n, m = s1 / nn;
    const long double m2 = s2 / nn - m * m;
    const long double m3 = s3 / nn - 3 * m * s2 / nn + 2 * m * m * m;
    const long double m4 = s4 / nn - 4 * m * s3 / nn + 6 * m * m * s2 / nn - 3 * m * m * m * m;
    const double mean = (double)m, var = (double)m2;
    const double skew = (double)(m3 / powl(m2, 1.5L)), kurt = (double)(m4 / (m2 * m2) - 3.0L);
    const double sn = sqrt((double)n);
    ls_assert_seeded(fabs(mean) < 5.0 / sn, seed, "mean %g", mean);
    ls_assert_seeded(fabs(var - 1.0) < 5.0 * sqrt(2.0) / sn, seed, "var %g", var);
    ls_assert_seeded(fabs(skew) < 5.0 * sqrt(6.0) / sn, seed, "skew %g", skew);
    ls_assert_seeded(fabs(kurt) < 5.0 * sqrt(24.0) / sn, seed, "excess kurtosis %g", kurt);
}

static double q_ref(double x)
{
    return 0.5 * erfc(x / sqrt(2.0));
}

Test(rng, gauss_tail_probabilities, .timeout = 60)
{
    /* 1e8 samples (so that P(x > 5) = 2.9e-7 expects 29 counts): each count within 3 binomial
     * standard deviations of n p, p from Q(x). P(x > r) checks the tail sampler's seam. */
    const size_t n = 100000000;
    const uint64_t seed = ls_test_seed(DEFAULT_SEED);
    double r_zig;
    {
        const double *w, *f;
        const uint64_t *k;
        double v;
        lsi_rng_zig_tables(&w, &k, &f, &r_zig, &v);
    }
    ls_rng r;
    ls_rng_seed(&r, seed, 21, 0);
    size_t c_abs3 = 0, c4 = 0, c5 = 0, c_r = 0, c_neg4 = 0;
    for (size_t i = 0; i < n; i++) {
        const double x = ls_rng_gauss(&r);
        c_abs3 += fabs(x) > 3.0;
        c4 += x > 4.0;
        c5 += x > 5.0;
        c_r += x > r_zig;
        c_neg4 += x < -4.0;
    }
    const struct {
        const char *what;
        size_t count;
        double p;
    } chk[] = {{"P(|x|>3)", c_abs3, 2.0 * q_ref(3.0)},
               {"P(x>4)", c4, q_ref(4.0)},
               {"P(x<-4)", c_neg4, q_ref(4.0)},
               {"P(x>5)", c5, q_ref(5.0)},
               {"P(x>r)", c_r, q_ref(r_zig)}};
    for (size_t j = 0; j < sizeof chk / sizeof *chk; j++) {
        const double mu = (double)n * chk[j].p, sd = sqrt(mu * (1.0 - chk[j].p));
        ls_assert_seeded(fabs((double)chk[j].count - mu) < 3.0 * sd, seed, "%s: %zu counts, expected %.1f +- %.1f",
                         chk[j].what, chk[j].count, mu, sd);
    }
}

Test(rng, gauss_histogram_chi_square, .timeout = 60)
{
    /* 160 bins of 0.05 over [-4, 4] plus the two tails; expected counts from Q; >= 26 per bin. */
    enum { B = 160 };
    const size_t n = 10000000;
    const uint64_t seed = ls_test_seed(DEFAULT_SEED);
    static long cnt[B + 2];
    ls_rng r;
    ls_rng_seed(&r, seed, 22, 0);
    for (size_t i = 0; i < n; i++) {
        const double x = ls_rng_gauss(&r);
        int b = x < -4.0 ? 0 : x >= 4.0 ? B + 1 : 1 + (int)floor((x + 4.0) / 0.05);
        if (x < 4.0 && b > B) /* x just below 4 can round up into the tail bin */
            b = B;
        cnt[b]++;
    }
    double chi2 = 0;
    for (int b = 0; b < B + 2; b++) {
        double p;
        if (b == 0)
            p = q_ref(4.0);
        else if (b == B + 1)
            p = q_ref(4.0);
        else
            p = q_ref(-4.0 + 0.05 * (b - 1)) - q_ref(-4.0 + 0.05 * b);
        const double e = p * (double)n;
        chi2 += (cnt[b] - e) * (cnt[b] - e) / e;
    }
    ls_assert_seeded(chi2 < chi2_crit(B + 1), seed, "chi2 %g, critical %g", chi2, chi2_crit(B + 1));
}

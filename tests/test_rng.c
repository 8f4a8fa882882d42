/*
 * Tests for lanesim/rng.h: xoshiro256** against the published algorithm, the jump polynomial
 * against the generator's own characteristic polynomial, seeding, uniform and bounded integers.
 * The ziggurat normal generator: test_rng_gauss.c.
 *
 * Statistical checks use a fixed seed ($LS_TEST_SEED overrides; it is printed on failure).
 * Unless stated, a tolerance is 5 standard errors of the estimator (two-sided false-alarm
 * probability 5.7e-7 per check, so any seed passes); the chi-square tests use their 1e-6
 * critical value.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "rng_util.h"

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

/*
 * Tests for lanesim/rng.h: the ziggurat normal generator (tables re-derived, bulk fills, the
 * documented algorithm bit for bit, moments, tails, histogram).
 *
 * Seeds and tolerances as in test_rng.c. The tail counts use 3 binomial standard deviations, as
 * specified: with five (correlated) counts about 1 % of override seeds fail by chance
 * (LS_TEST_SEED=11 gives P(x > r) at +3.6 sd); 1.8e10 samples over six seeds showed no bias in
 * any tail bin.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "rng_util.h"

/* Internal hook in phy/core/rng.c (read-only view of the ziggurat tables). */
void lsi_rng_zig_tables(const double **w, const uint64_t **k, const double **f, double *r,
                        double *v);

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
Test(rng, gauss_equals_the_documented_ziggurat_bit_for_bit, .timeout = LS_TIMEOUT(30))
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

Test(rng, gauss_moments, .timeout = LS_TIMEOUT(60))
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

Test(rng, gauss_tail_probabilities, .timeout = LS_TIMEOUT(60))
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

Test(rng, gauss_histogram_chi_square, .timeout = LS_TIMEOUT(60))
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

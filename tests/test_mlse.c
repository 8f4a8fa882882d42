/*
 * MLSE (1 + alpha D Viterbi detector): SER against the symbol-by-symbol slicer after zero-forcing
 * equalization and against the minimum-distance error-event approximation, noiseless decoding
 * with the documented delay, streaming, reset, no allocation. The partial-response MMSE FFE, the
 * receiver and the copper link: test_mlse_receiver.c.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "mlse_util.h"

enum { N = 400000 };

static double qfunc(double x)
{
    return 0.5 * erfc(x / sqrt(2.0));
}

/* Symbol errors of the detector on (a, y), aligned by the delay. */
static uint64_t mlse_errors(ls_mlse *q, const uint8_t *a, const float *y, size_t n, uint8_t *dec)
{
    size_t no;
    cr_assert(eq(int, ls_mlse_process(q, y, n, dec, &no), LS_OK));
    const size_t D = ls_mlse_latency(q);
    cr_assert(eq(sz, no, n - D));
    uint64_t e = 0;
    for (size_t k = 0; k < no; k++)
        e += dec[k] != a[k];
    return e;
}

/* Zero-forcing inverse 1/(g0 (1 + alpha D)) by recursion, then the slicer at the level midpoints. */
static uint64_t zf_slicer_errors(unsigned m, double g0, double alpha, const uint8_t *a, const float *y, size_t n)
{
    double v[8];
    ls_pam_levels(m, 1.0, v);
    float th[7];
    for (unsigned i = 0; i + 1 < m; i++)
        th[i] = (float)(0.5 * (v[i] + v[i + 1]));
    double zp = 0;
    uint64_t e = 0;
    for (size_t k = 0; k < n; k++) {
        double z = y[k] / g0 - alpha * zp;
        zp = z;
        float zf = (float)z;
        uint8_t d;
        ls_pam_slice(&zf, &d, 1, th, m);
        e += d != a[k];
    }
    return e;
}

/*
 * Union bound over the error events of a memory-1 trellis: an event is a run of L non-zero level
 * errors eps_k (index units); output distance d^2 = sum_k (g0 Delta (eps_k + alpha eps_{k-1}))^2
 * over the L + 1 affected outputs; admissible for a fraction prod (M - |eps_k|)/M of the data;
 * L symbol errors. Enumerates eps in {-(M-1)..M-1}\{0} up to length lmax.
 */
static double union_bound(unsigned m, double g0, double alpha, double sigma, unsigned lmax)
{
    const double delta = 2.0 / (m - 1);
    double total = 0;
    for (unsigned L = 1; L <= lmax; L++) {
        const unsigned b = 2 * (m - 1);
        unsigned long cnt = 1;
        for (unsigned i = 0; i < L; i++)
            cnt *= b;
        for (unsigned long idx = 0; idx < cnt; idx++) {
            unsigned long t = idx;
            double d2 = 0, padm = 1, prev = 0;
            for (unsigned i = 0; i < L; i++) {
                int u = (int)(t % b);
                t /= b;
                int eps = u < (int)(m - 1) ? u - (int)(m - 1) : u - (int)(m - 1) + 1; /* -(M-1)..-1, 1..M-1 */
                double o = g0 * delta * (eps + alpha * prev);
                d2 += o * o;
                padm *= (double)(m - (unsigned)abs(eps)) / m;
                prev = eps;
            }
            double o = g0 * delta * alpha * prev;
            d2 += o * o;
            total += L * padm * qfunc(sqrt(d2) / (2 * sigma));
        }
    }
    return total;
}

/*
 * PAM2, 1 + 0.5 D, g0 = 1, sigma for Q(d_min / 2 sigma) = 1e-3: the single-error event (d_min^2 =
 * 4 (1 + alpha^2) g0^2) dominates; the simulated SER lies within a factor 2 of Q(d_min / 2 sigma)
 * (K = 1 for PAM2) and below the union bound; the ZF slicer, whose noise is enhanced by
 * 1/(1 - alpha^2), is worse by ~6x and matches its own closed form.
 */
Test(mlse, pam2_ser_beats_the_zf_slicer_and_matches_the_error_event_approximation, .timeout = LS_TIMEOUT(60))
{
    static uint8_t a[N], dec[N];
    static float y[N];
    const uint64_t seed = ls_test_seed(11);
    const double g0 = 1.0, alpha = 0.5;
    const double sigma = g0 * sqrt(1 + alpha * alpha) / 3.0902; /* Q(3.0902) = 1e-3 */
    pr_channel(2, g0, alpha, sigma, seed, N, a, y);
    ls_mlse *q = make(2, g0, alpha, 64, N);
    const uint64_t em = mlse_errors(q, a, y, N, dec);
    const uint64_t ez = zf_slicer_errors(2, g0, alpha, a, y, N);
    const double ser_m = (double)em / (N - 64), ser_z = (double)ez / N;
    const double approx = qfunc(g0 * sqrt(1 + alpha * alpha) / sigma);
    const double ub = union_bound(2, g0, alpha, sigma, 14);
    const double zf_th = qfunc(g0 * sqrt(1 - alpha * alpha) / sigma);
    printf("[mlse] PAM2 1+0.5D sigma %.4f: SER MLSE %.3e (K Q(dmin/2s) %.3e, union bound %.3e), "
           "ZF slicer %.3e (theory %.3e), seed %llu\n",
           sigma, ser_m, approx, ub, ser_z, zf_th, (unsigned long long)seed);
    ls_assert_seeded(lt(dbl, ser_m, 0.5 * ser_z), seed, "MLSE %.3e not below half the slicer's %.3e", ser_m, ser_z);
    ls_assert_seeded(ser_m > 0.5 * approx && ser_m < 2.0 * approx, seed, "MLSE SER %.3e vs approximation %.3e",
                     ser_m, approx);
    ls_assert_seeded(lt(dbl, ser_m, 1.2 * ub), seed, "MLSE SER %.3e above the union bound %.3e", ser_m, ub);
    /* ZF slicer: binomial count, 3 sigma */
    const double sd = sqrt(zf_th * (1 - zf_th) / N);
    ls_assert_seeded(fabs(ser_z - zf_th) < 3 * sd, seed, "ZF slicer SER %.4e vs %.4e +- %.1e", ser_z, zf_th, sd);
    ls_mlse_destroy(q);
}

/*
 * PAM4, 1 + 0.6 D: the MLSE beats the ZF slicer; here the longer (alternating) error events are
 * nearly as close as the single-error one (d^2 ratio 1.52 / 1.36), so the first-term
 * approximation K Q(d_min / 2 sigma) (K = 2 (M-1)/M, d_min = g0 (2/3) sqrt(1 + alpha^2)) is
 * printed but the reference is the union bound over events up to 7 symbols.
 */
Test(mlse, pam4_ser_beats_the_zf_slicer, .timeout = LS_TIMEOUT(60))
{
    static uint8_t a[N], dec[N];
    static float y[N];
    const uint64_t seed = ls_test_seed(12);
    const double g0 = 1.0, alpha = 0.6;
    const double sigma = g0 * sqrt(1 + alpha * alpha) / 3.0 / 3.0902;
    pr_channel(4, g0, alpha, sigma, seed, N, a, y);
    ls_mlse *q = make(4, g0, alpha, 64, N);
    const double ser_m = (double)mlse_errors(q, a, y, N, dec) / (N - 64);
    const double ser_z = (double)zf_slicer_errors(4, g0, alpha, a, y, N) / N;
    const double approx = 1.5 * qfunc(g0 * sqrt(1 + alpha * alpha) / 3.0 / sigma);
    const double ub = union_bound(4, g0, alpha, sigma, 7);
    printf("[mlse] PAM4 1+0.6D sigma %.4f: SER MLSE %.3e (K Q(dmin/2s) %.3e, union bound %.3e), ZF slicer %.3e, "
           "seed %llu\n",
           sigma, ser_m, approx, ub, ser_z, (unsigned long long)seed);
    ls_assert_seeded(lt(dbl, ser_m, 0.5 * ser_z), seed, "MLSE %.3e not below half the slicer's %.3e", ser_m, ser_z);
    ls_assert_seeded(ser_m > 0.5 * ub && ser_m < 1.2 * ub, seed, "MLSE SER %.3e vs union bound %.3e", ser_m, ub);
    ls_mlse_destroy(q);
}

Test(mlse, noiseless_input_decodes_perfectly_after_depth_symbols)
{
    enum { n = 5000 };
    static uint8_t a[n], dec[n];
    static float y[n];
    static const unsigned ms[] = { 2, 4, 8 };
    static const double al[] = { 0.0, 0.5, 1.0 };
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            pr_channel(ms[i], 0.3, al[j], 0.0, 5, n, a, y);
            ls_mlse *q = make(ms[i], 0.3, al[j], 16, n);
            size_t no;
            cr_assert(eq(int, ls_mlse_process(q, y, 16, dec, &no), LS_OK));
            cr_assert(eq(sz, no, 0), "nothing before depth inputs");
            cr_assert(eq(int, ls_mlse_process(q, y + 16, n - 16, dec, &no), LS_OK));
            cr_assert(eq(sz, no, n - 16));
            for (size_t k = 0; k < no; k++)
                cr_assert(eq(u8, dec[k], a[k]), "PAM%u alpha %g symbol %zu", ms[i], al[j], k);
            ls_mlse_destroy(q);
        }
}

Test(mlse, chunked_equals_one_shot)
{
    enum { n = 50000 };
    static uint8_t a[n], d1[n], d2[n];
    static float y[n];
    pr_channel(4, 1.0, 0.5, 0.12, 21, n, a, y);
    ls_mlse *p = make(4, 1.0, 0.5, 32, n), *q = make(4, 1.0, 0.5, 32, 4096);
    size_t n1, tot = 0;
    cr_assert(eq(int, ls_mlse_process(p, y, n, d1, &n1), LS_OK));
    static const size_t chunk[] = { 1, 7, 4096 };
    for (size_t i = 0, j = 0; i < n; j++) {
        size_t m = LS_MIN(chunk[j % 3], n - i), no;
        cr_assert(eq(int, ls_mlse_process(q, y + i, m, d2 + tot, &no), LS_OK));
        tot += no;
        i += m;
    }
    cr_assert(eq(sz, tot, n1));
    cr_assert(eq(int, memcmp(d1, d2, n1), 0));
    ls_mlse_destroy(p);
    ls_mlse_destroy(q);
}

Test(mlse, reset_equals_fresh_and_process_never_allocates)
{
    enum { n = 20000 };
    static uint8_t a[n], d1[n], d2[n];
    static float y[n], junk[n];
    pr_channel(8, 1.0, 0.7, 0.05, 31, n, a, y);
    pr_channel(8, 1.0, 0.7, 0.3, 32, n, a + 0, junk);
    pr_channel(8, 1.0, 0.7, 0.05, 31, n, a, y);
    ls_mlse *q = make(8, 1.0, 0.7, 40, n), *f = make(8, 1.0, 0.7, 40, n);
    size_t n1, n2;
    const uint64_t before = lsi_alloc_count();
    cr_assert(eq(int, ls_mlse_process(q, junk, 1234, d1, &n1), LS_OK));
    cr_assert(eq(int, ls_mlse_reset(q), LS_OK));
    cr_assert(eq(int, ls_mlse_process(q, y, n, d1, &n1), LS_OK));
    cr_assert(eq(u64, lsi_alloc_count(), before), "process/reset allocated");
    cr_assert(eq(int, ls_mlse_process(f, y, n, d2, &n2), LS_OK));
    cr_assert(eq(sz, n1, n2));
    cr_assert(eq(int, memcmp(d1, d2, n1), 0));
    ls_mlse_destroy(q);
    ls_mlse_destroy(f);
}

/* Tests of the complex overlap-save FIR engine (ls_cfftfilt), its FIR design from LTI blocks and
 * the internal complex FFT pair (lsi_cfft). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <complex.h>
#include <math.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim/cfftfilt.h"
#include "lanesim/filter.h"
#include "ls_internal.h"
#include "util.h"

#define N 30000 /* stream length: several blocks for every n_h below */

static void fill_cplx(float complex *x, size_t n, uint64_t seed)
{
    static float re[N], im[N];
    cr_assert(n <= N);
    fill_uniform(re, n, seed);
    fill_uniform(im, n, seed ^ 0x9e3779b97f4a7c15ull);
    for (size_t i = 0; i < n; i++)
        x[i] = re[i] + I * im[i];
}

static ls_cfftfilt *make(const float complex *h, size_t n_h, size_t nfft)
{
    ls_cfftfilt_config cfg;
    ls_cfftfilt_config_init(&cfg);
    cfg.h = h;
    cfg.n_h = n_h;
    cfg.nfft = nfft;
    ls_status st = LS_EINTERNAL;
    ls_cfftfilt *q = ls_cfftfilt_create(&cfg, &st);
    cr_assert(q != NULL, "create(n_h %zu, nfft %zu): %s", n_h, nfft, ls_strerror(st));
    cr_assert(eq(int, st, LS_OK));
    return q;
}

/* yref[i] = sum_k h[k] x[i - lat - k], in double. */
static void direct(const float complex *h, size_t n_h, const float complex *x, double complex *yref,
                   size_t n, size_t lat)
{
    for (size_t i = 0; i < n; i++) {
        double complex acc = 0.0;
        if (i >= lat) {
            size_t j = i - lat;
            size_t kmax = LS_MIN(n_h - 1, j);
            for (size_t k = 0; k <= kmax; k++)
                acc += (double complex)h[k] * (double complex)x[j - k];
        }
        yref[i] = acc;
    }
}

/* Filter and input drawn from seed + offset (seed: the test's, reported on failure). */
static void check_against_direct(size_t n_h, size_t nfft, uint64_t seed, uint64_t offset)
{
    static float complex h[2048], x[N], y[N];
    static double complex yref[N];
    fill_cplx(h, n_h, seed + offset);
    fill_cplx(x, N, seed + offset + 1);
    ls_cfftfilt *q = make(h, n_h, nfft);
    const size_t lat = ls_cfftfilt_latency(q);
    cr_assert(eq(sz, lat, ls_cfftfilt_nfft(q) - n_h + 1));
    cr_assert(eq(int, ls_cfftfilt_process(q, x, y, N), LS_OK));
    direct(h, n_h, x, yref, N, lat);
    double num = 0.0, den = 0.0, maxerr = 0.0, maxref = 0.0;
    for (size_t i = 0; i < N; i++) {
        double e = cabs((double complex)y[i] - yref[i]);
        num += e * e;
        den += cabs(yref[i]) * cabs(yref[i]);
        maxerr = fmax(maxerr, e);
        maxref = fmax(maxref, cabs(yref[i]));
    }
    for (size_t i = 0; i < lat && i < N; i++)
        cr_assert(y[i] == 0.0f, "n_h %zu: output %zu before the latency", n_h, i);
    const double rel = sqrt(num / den);
    ls_assert_seeded(lt(dbl, rel, 1e-5), seed, "n_h %zu nfft %zu: rms relative error %g", n_h,
                     ls_cfftfilt_nfft(q), rel);
    ls_assert_seeded(lt(dbl, maxerr / maxref, 1e-5), seed, "n_h %zu: max relative error %g", n_h,
                     maxerr / maxref);
    ls_cfftfilt_destroy(q);
}

Test(cfftfilt, matches_direct_complex_convolution, .timeout = LS_TIMEOUT(60))
{
    const uint64_t seed = ls_test_seed(20250301u);
    static const size_t nh[] = {1, 17, 2048};
    for (size_t k = 0; k < 3; k++) {
        size_t small = 2;
        while (small < 2 * nh[k])
            small *= 2;
        check_against_direct(nh[k], 0, seed, 10 * k);
        check_against_direct(nh[k], small, seed, 10 * k + 5);
    }
}

Test(cfftfilt, measured_plan_matches_direct_convolution, .timeout = LS_TIMEOUT(60))
{
    static float complex h[300], x[N], y[N];
    static double complex yref[N];
    fill_cplx(h, 300, 7u);
    fill_cplx(x, N, 8u);
    ls_cfftfilt_config cfg;
    ls_cfftfilt_config_init(&cfg);
    cfg.h = h;
    cfg.n_h = 300;
    cfg.measure = 1;
    ls_status st;
    ls_cfftfilt *q = ls_cfftfilt_create(&cfg, &st);
    cr_assert(q != NULL, "%s", ls_strerror(st));
    cr_assert(eq(int, ls_cfftfilt_process(q, x, y, N), LS_OK));
    direct(h, 300, x, yref, N, ls_cfftfilt_latency(q));
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < N; i++) {
        num += pow(cabs((double complex)y[i] - yref[i]), 2);
        den += pow(cabs(yref[i]), 2);
    }
    cr_assert(lt(dbl, sqrt(num / den), 1e-5));
    ls_cfftfilt_destroy(q);
}

Test(cfftfilt, auto_nfft_rule)
{
    static float complex h[5000];
    h[0] = 1.0f;
    static const size_t nh[] = {1, 256, 257, 2049};
    static const size_t want[] = {1024, 1024, 2048, 16384};
    for (size_t k = 0; k < 4; k++) {
        ls_cfftfilt *q = make(h, nh[k], 0);
        cr_assert(eq(sz, ls_cfftfilt_nfft(q), want[k]), "n_h %zu", nh[k]);
        cr_assert(eq(sz, ls_cfftfilt_latency(q), want[k] - nh[k] + 1));
        ls_cfftfilt_destroy(q);
    }
}

static void run_chunked(ls_cfftfilt *q, const float complex *x, float complex *y, size_t n,
                        const size_t *chunk, size_t nc)
{
    for (size_t i = 0, j = 0; i < n; j++) {
        size_t m = LS_MIN(chunk[j % nc], n - i);
        cr_assert(eq(int, ls_cfftfilt_process(q, x + i, y + i, m), LS_OK));
        i += m;
    }
}

Test(cfftfilt, chunked_equals_one_shot_bit_for_bit, .timeout = LS_TIMEOUT(60))
{
    static float complex h[2048], x[N], y1[N], y2[N];
    static const size_t nh[] = {1, 17, 2048};
    static const size_t fixed[] = {1, 7, 4096};
    static const size_t ragged[] = {1, 7, 300, 4096, 0, 64, 13, 5000, 2, 6145, 6146, 999};
    fill_cplx(x, N, 99u);
    for (size_t a = 0; a < 3; a++) {
        fill_cplx(h, nh[a], 100u + a);
        ls_cfftfilt *one = make(h, nh[a], 0);
        cr_assert(eq(int, ls_cfftfilt_process(one, x, y1, N), LS_OK));
        for (size_t c = 0; c < 4; c++) {
            ls_cfftfilt *q = make(h, nh[a], 0);
            memset(y2, 0xff, sizeof y2);
            if (c < 3)
                run_chunked(q, x, y2, N, &fixed[c], 1);
            else
                run_chunked(q, x, y2, N, ragged, sizeof ragged / sizeof ragged[0]);
            cr_assert(eq(int, memcmp(y1, y2, sizeof y1), 0), "n_h %zu chunking %zu", nh[a], c);
            ls_cfftfilt_destroy(q);
        }
        ls_cfftfilt_destroy(one);
    }
}

Test(cfftfilt, impulse_appears_after_exact_latency)
{
    static float complex h[17], x[8192], y[8192];
    fill_cplx(h, 17, 5u);
    static const size_t at[] = {0, 1, 1007, 1008, 3000}; /* L = 1008 for n_h 17 */
    for (size_t a = 0; a < 5; a++) {
        ls_cfftfilt *q = make(h, 17, 0);
        const size_t lat = ls_cfftfilt_latency(q);
        cr_assert(eq(sz, lat, 1008));
        memset(x, 0, sizeof x);
        x[at[a]] = 1.0f;
        cr_assert(eq(int, ls_cfftfilt_process(q, x, y, 8192), LS_OK));
        for (size_t i = 0; i < 8192; i++) {
            const size_t p = at[a] + lat;
            float complex want = (i >= p && i < p + 17) ? h[i - p] : 0.0f;
            cr_assert(lt(flt, cabsf(y[i] - want), 2e-6f), "impulse at %zu: y[%zu]", at[a], i);
        }
        ls_cfftfilt_destroy(q);
    }
}

Test(cfftfilt, reset_and_in_place)
{
    static float complex h[129], x[N], y1[N], y2[N], z[N];
    fill_cplx(h, 129, 31u);
    fill_cplx(x, N, 32u);
    ls_cfftfilt *q = make(h, 129, 0);
    cr_assert(eq(int, ls_cfftfilt_process(q, x, y1, N), LS_OK));
    cr_assert(eq(int, ls_cfftfilt_process(q, x, y2, 777), LS_OK)); /* dirty the state */
    cr_assert(eq(int, ls_cfftfilt_reset(q), LS_OK));
    memcpy(z, x, sizeof z);
    cr_assert(eq(int, ls_cfftfilt_process(q, z, z, N), LS_OK)); /* in place after reset */
    cr_assert(eq(int, memcmp(y1, z, sizeof z), 0));
    ls_cfftfilt *fresh = make(h, 129, 0);
    cr_assert(eq(int, ls_cfftfilt_process(fresh, x, y2, N), LS_OK));
    cr_assert(eq(int, memcmp(y1, y2, sizeof y2), 0));
    ls_cfftfilt_destroy(q);
    ls_cfftfilt_destroy(fresh);
}

Test(cfftfilt, is_linear_and_time_invariant)
{
    static float complex h[129], x1[N], x2[N], xs[N], y1[N], y2[N], ys[N];
    fill_cplx(h, 129, 41u);
    fill_cplx(x1, N, 42u);
    fill_cplx(x2, N, 43u);
    const float complex a = 0.75f - 0.5f * I, b = -2.5f + 1.0f * I;
    for (size_t i = 0; i < N; i++)
        xs[i] = a * x1[i] + b * x2[i];
    ls_cfftfilt *q = make(h, 129, 0);
    cr_assert(eq(int, ls_cfftfilt_process(q, x1, y1, N), LS_OK));
    cr_assert(eq(int, ls_cfftfilt_reset(q), LS_OK));
    cr_assert(eq(int, ls_cfftfilt_process(q, x2, y2, N), LS_OK));
    cr_assert(eq(int, ls_cfftfilt_reset(q), LS_OK));
    cr_assert(eq(int, ls_cfftfilt_process(q, xs, ys, N), LS_OK));
    for (size_t i = 0; i < N; i++)
        cr_assert(lt(flt, cabsf(ys[i] - (a * y1[i] + b * y2[i])), 2e-4f), "sample %zu", i);
    /* time shift by 5 samples */
    memmove(xs + 5, x1, (N - 5) * sizeof *xs);
    memset(xs, 0, 5 * sizeof *xs);
    cr_assert(eq(int, ls_cfftfilt_reset(q), LS_OK));
    cr_assert(eq(int, ls_cfftfilt_process(q, xs, ys, N), LS_OK));
    for (size_t i = 5; i < N; i++)
        cr_assert(lt(flt, cabsf(ys[i] - y1[i - 5]), 2e-5f), "shift sample %zu", i);
    ls_cfftfilt_destroy(q);
}

Test(cfftfilt, process_never_allocates)
{
    static float complex h[300], x[N], y[N];
    fill_cplx(h, 300, 3u);
    fill_cplx(x, N, 4u);
    ls_cfftfilt *q = make(h, 300, 0);
    const uint64_t before = lsi_alloc_count();
    cr_assert(eq(int, ls_cfftfilt_process(q, x, y, N), LS_OK));
    cr_assert(eq(int, ls_cfftfilt_process(q, x, y, 1), LS_OK));
    cr_assert(eq(int, ls_cfftfilt_reset(q), LS_OK));
    cr_assert(eq(u64, lsi_alloc_count(), before));
    ls_cfftfilt_destroy(q);
}

Test(cfftfilt, rejects_bad_configurations)
{
    static float complex h[64];
    h[0] = 1.0f;
    ls_cfftfilt_config cfg;
    ls_status st = LS_OK;
    cr_assert(ls_cfftfilt_create(NULL, &st) == NULL);
    cr_assert(eq(int, st, LS_EINVAL));
    ls_cfftfilt_config_init(&cfg);
    cr_assert(ls_cfftfilt_create(&cfg, &st) == NULL); /* h NULL */
    cr_assert(eq(int, st, LS_EINVAL));
    cfg.h = h;
    cr_assert(ls_cfftfilt_create(&cfg, &st) == NULL); /* n_h 0 */
    cr_assert(eq(int, st, LS_EINVAL));
    cfg.n_h = 64;
    cfg.nfft = 100; /* not a power of two */
    cr_assert(ls_cfftfilt_create(&cfg, &st) == NULL);
    cr_assert(eq(int, st, LS_EINVAL));
    cfg.nfft = 64; /* < 2 n_h */
    cr_assert(ls_cfftfilt_create(&cfg, &st) == NULL);
    cr_assert(eq(int, st, LS_EINVAL));
    cfg.nfft = 0;
    cfg.n_h = LS_CFFTFILT_MAX_TAPS + 1;
    cr_assert(ls_cfftfilt_create(&cfg, &st) == NULL);
    cr_assert(eq(int, st, LS_EINVAL));
    cfg.n_h = 64;
    h[3] = NAN + I * 0.0f;
    cr_assert(ls_cfftfilt_create(&cfg, &st) == NULL);
    cr_assert(eq(int, st, LS_EINVAL));
    h[3] = 0.0f + I * INFINITY;
    cr_assert(ls_cfftfilt_create(&cfg, &st) == NULL);
    cr_assert(eq(int, st, LS_EINVAL));
    h[3] = 0.0f;
    ls_cfftfilt *q = ls_cfftfilt_create(&cfg, NULL);
    cr_assert(q != NULL);
    float complex x = 1.0f;
    cr_assert(eq(int, ls_cfftfilt_process(q, NULL, &x, 1), LS_EINVAL));
    cr_assert(eq(int, ls_cfftfilt_process(q, &x, NULL, 1), LS_EINVAL));
    cr_assert(eq(int, ls_cfftfilt_process(q, NULL, NULL, 0), LS_OK));
    cr_assert(eq(int, ls_cfftfilt_process(NULL, &x, &x, 1), LS_EINVAL));
    cr_assert(eq(int, ls_cfftfilt_reset(NULL), LS_EINVAL));
    cr_assert(eq(sz, ls_cfftfilt_latency(NULL), 0));
    cr_assert(eq(sz, ls_cfftfilt_nfft(NULL), 0));
    ls_cfftfilt_destroy(q);
    ls_cfftfilt_destroy(NULL);
}

Test(cfftfilt, complex_fft_pair_round_trip)
{
    ls_status st;
    lsi_cfft *p = lsi_cfft_create(48, 0, &st); /* not a power of two */
    cr_assert(p != NULL, "%s", ls_strerror(st));
    cr_assert(eq(sz, lsi_cfft_size(p), 48));
    float complex *t = lsi_cfft_time(p), *f = lsi_cfft_freq(p);
    for (size_t m = 0; m < 48; m++)
        t[m] = cexpf(2.0f * (float)M_PI * I * 5.0f * (float)m / 48.0f); /* bin 5 */
    lsi_cfft_forward(p);
    for (size_t k = 0; k < 48; k++)
        cr_assert(lt(flt, cabsf(f[k] - (k == 5 ? 48.0f : 0.0f)), 1e-4f), "bin %zu", k);
    lsi_cfft_inverse(p);
    for (size_t m = 0; m < 48; m++)
        cr_assert(lt(flt,
                     cabsf(t[m] / 48.0f - cexpf(2.0f * (float)M_PI * I * 5.0f * (float)m / 48.0f)),
                     1e-5f));
    lsi_cfft_destroy(p);
    lsi_cfft_destroy(NULL);
    cr_assert(lsi_cfft_create(0, 0, &st) == NULL);
    cr_assert(eq(int, st, LS_EINVAL));
}

/* An LTI test block: H(f) = exp(-j 2 pi f tau) exp(-(f/f0)^2) (complex-asymmetric when the
 * "tilt" term is added: H *= 1 + 0.3 j f / f0, which is not conj-symmetric). */
typedef struct {
    double tau, f0;
} tblk;

static ls_status tblk_response(const void *self, const double *f, double complex *h, size_t n)
{
    const tblk *t = self;
    for (size_t i = 0; i < n; i++) {
        const double u = f[i] / t->f0;
        h[i] = cexp(-2.0 * M_PI * I * f[i] * t->tau) * exp(-u * u) * (1.0 + 0.3 * I * u);
    }
    return LS_OK;
}
static double tblk_span(const void *self)
{
    const tblk *t = self;
    return t->tau + 8.0 / t->f0;
}
static double tblk_pre(const void *self)
{
    const tblk *t = self;
    return 8.0 / t->f0;
}
static const ls_block_ops tblk_ops = {.name = "test",
                                      .kind = LS_KIND_LTI,
                                      .in = LS_T_CF32,
                                      .out = LS_T_CF32,
                                      .response = tblk_response,
                                      .span_s = tblk_span,
                                      .pre_s = tblk_pre};

Test(cfftfilt, design_matches_analytic_impulse_response)
{
    /* h(t) of H = exp(-u^2)(1 + 0.3 j u) e^{-j w tau}, u = f/f0: with g(t) = sqrt(pi) f0
     * exp(-(pi f0 t)^2), h = g(t') + 0.3 j/(f0 2 pi j) g'(t') = g(t') + (0.3 / (2 pi f0)) g'(t'),
     * t' = t - tau. */
    tblk t = {.tau = 3e-12, .f0 = 40e9};
    ls_block b = {.ops = &tblk_ops, .self = &t};
    const double fs = 1e12;
    size_t n_h = 0, d = 0;
    cr_assert(eq(int, ls_cfftfilt_design_size(&b, 1, fs, &n_h, &d), LS_OK));
    /* the blocks' pre_s and span_s plus the design's margins (phy/core/fuse.c: 2 m each side, m >= 4) */
    cr_assert(ge(sz, d, (size_t)ceil(8.0 / t.f0 * fs) + 8));
    cr_assert(ge(sz, n_h - 1 - d, (size_t)ceil((t.tau + 8.0 / t.f0) * fs) + 8));
    static float complex h[4096];
    cr_assert(le(sz, n_h, 4096));
    cr_assert(eq(int, ls_cfftfilt_design(&b, 1, fs, h, n_h, d), LS_OK));
    for (size_t m = 0; m < n_h; m++) {
        const double tt = ((double)m - (double)d) / fs - t.tau, a = M_PI * t.f0 * tt;
        const double g = sqrt(M_PI) * t.f0 * exp(-a * a);
        const double gp = g * (-2.0 * M_PI * M_PI * t.f0 * t.f0 * tt);
        const double want = (g + 0.3 / (2.0 * M_PI * t.f0) * gp) / fs; /* taps = h(t) / fs */
        cr_assert(lt(dbl, cabs(h[m] - want), 1e-5), "tap %zu: %g%+gi vs %g", m, crealf(h[m]),
                  cimagf(h[m]), want);
    }
    /* rejections */
    cr_assert(eq(int, ls_cfftfilt_design_size(&b, 0, fs, &n_h, &d), LS_EINVAL));
    cr_assert(eq(int, ls_cfftfilt_design_size(&b, 1, 0.0, &n_h, &d), LS_EINVAL));
    cr_assert(eq(int, ls_cfftfilt_design_size(&b, 1, NAN, &n_h, &d), LS_EINVAL));
    cr_assert(eq(int, ls_cfftfilt_design(&b, 1, fs, h, n_h, n_h), LS_EINVAL));
    cr_assert(eq(int, ls_cfftfilt_design(&b, 1, fs, NULL, n_h, d), LS_EINVAL));
    ls_lowpass_config lp;
    ls_lowpass_config_init(&lp);
    ls_block rb;
    cr_assert(eq(int, ls_lowpass_into_block(&lp, &rb), LS_OK));
    ls_block two[2] = {b, rb};
    cr_assert(eq(int, ls_cfftfilt_design_size(two, 2, fs, &n_h, &d), LS_OK));
    cr_assert(eq(int, ls_cfftfilt_design(two, 2, fs, h, LS_MIN(n_h, 4096), d), LS_OK));
    ls_block_destroy(&rb);
}

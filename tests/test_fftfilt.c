/* Tests of the overlap-save FIR engine (ls_fftfilt) and the internal FFT pair (lsi_rfft). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim/fftfilt.h"
#include "ls_internal.h"
#include "util.h"

#define N 40000 /* stream length: several blocks for every n_h below */

static ls_fftfilt *make(const float *h, size_t n_h, size_t nfft)
{
    ls_fftfilt_config cfg;
    ls_fftfilt_config_init(&cfg);
    cfg.h = h;
    cfg.n_h = n_h;
    cfg.nfft = nfft;
    ls_status st = LS_EINTERNAL;
    ls_fftfilt *q = ls_fftfilt_create(&cfg, &st);
    cr_assert(q != NULL, "create(n_h %zu, nfft %zu): %s", n_h, nfft, ls_strerror(st));
    cr_assert(eq(int, st, LS_OK));
    return q;
}

/* yref[i] = sum_k h[k] x[i - lat - k], in double. */
static void direct(const float *h, size_t n_h, const float *x, double *yref, size_t n, size_t lat)
{
    for (size_t i = 0; i < n; i++) {
        double acc = 0.0;
        if (i >= lat) {
            size_t j = i - lat; /* x index for k = 0 */
            size_t kmax = LS_MIN(n_h - 1, j);
            for (size_t k = 0; k <= kmax; k++)
                acc += (double)h[k] * (double)x[j - k];
        }
        yref[i] = acc;
    }
}

/* Filter and input drawn from seed + offset (seed: the test's, reported on failure). */
static void check_against_direct(size_t n_h, size_t nfft, uint64_t seed, uint64_t offset)
{
    static float h[4096], x[N], y[N];
    static double yref[N];
    fill_uniform(h, n_h, seed + offset);
    fill_uniform(x, N, seed + offset + 1);
    ls_fftfilt *q = make(h, n_h, nfft);
    const size_t lat = ls_fftfilt_latency(q);
    cr_assert(eq(sz, lat, ls_fftfilt_nfft(q) - n_h + 1));
    cr_assert(eq(int, ls_fftfilt_process(q, x, y, N), LS_OK));
    direct(h, n_h, x, yref, N, lat);
    double num = 0.0, den = 0.0, maxerr = 0.0, maxref = 0.0;
    for (size_t i = 0; i < N; i++) {
        double e = (double)y[i] - yref[i];
        num += e * e;
        den += yref[i] * yref[i];
        maxerr = fmax(maxerr, fabs(e));
        maxref = fmax(maxref, fabs(yref[i]));
    }
    for (size_t i = 0; i < lat && i < N; i++)
        cr_assert(eq(flt, y[i], 0.0f), "n_h %zu: output %zu before the latency", n_h, i);
    double rel = sqrt(num / den);
    ls_assert_seeded(lt(dbl, rel, 1e-5), seed, "n_h %zu nfft %zu: rms relative error %g", n_h,
                     ls_fftfilt_nfft(q), rel);
    ls_assert_seeded(lt(dbl, maxerr / maxref, 1e-5), seed, "n_h %zu: max relative error %g", n_h,
                     maxerr / maxref);
    ls_fftfilt_destroy(q);
}

Test(fftfilt, matches_direct_convolution, .timeout = LS_TIMEOUT(60))
{
    const uint64_t seed = ls_test_seed(20240611u);
    static const size_t nh[] = {1, 17, 2048};
    for (size_t k = 0; k < 3; k++) {
        size_t small = 2; /* the smallest legal nfft: power of two >= 2 n_h */
        while (small < 2 * nh[k])
            small *= 2;
        check_against_direct(nh[k], 0 /* auto */, seed, 10 * k);
        check_against_direct(nh[k], small, seed, 10 * k + 5);
    }
    check_against_direct(2048, 16384, seed, 100); /* 8 n_h */
}

/* The FFTW wisdom shipped in phy/core/fft_wisdom.inc: FFTW accepts it whenever it was made by
 * the running version, and the plans it yields convolve correctly (32768 points is one of its
 * sizes; 1024 .. 16384 are covered by the test above). */
Test(fftfilt, shipped_wisdom_imports_and_its_plans_convolve, .timeout = LS_TIMEOUT(60))
{
    const uint64_t seed = ls_test_seed(20240612u);
    check_against_direct(4000, 32768, seed, 0);
    const int status = lsi_fft_wisdom_status();
    cr_assert(status >= 0, "no plan made, or the wisdom never loaded");
    if (lsi_fft_wisdom_for_this_fftw())
        cr_assert(eq(int, status, 1), "FFTW refused wisdom made by its own version");
}

Test(fftfilt, measured_plan_matches_direct_convolution, .timeout = LS_TIMEOUT(60))
{
    static float h[300], x[N], y[N];
    static double yref[N];
    fill_uniform(h, 300, 7u);
    fill_uniform(x, N, 8u);
    ls_fftfilt_config cfg;
    ls_fftfilt_config_init(&cfg);
    cfg.h = h;
    cfg.n_h = 300;
    cfg.measure = 1;
    ls_status st;
    ls_fftfilt *q = ls_fftfilt_create(&cfg, &st);
    cr_assert(q != NULL, "%s", ls_strerror(st));
    cr_assert(eq(int, ls_fftfilt_process(q, x, y, N), LS_OK));
    direct(h, 300, x, yref, N, ls_fftfilt_latency(q));
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < N; i++) {
        num += ((double)y[i] - yref[i]) * ((double)y[i] - yref[i]);
        den += yref[i] * yref[i];
    }
    cr_assert(lt(dbl, sqrt(num / den), 1e-5));
    ls_fftfilt_destroy(q);
}

/* The automatic size (phy/core/fftfilt.c): from lo = max(1024, 2 n_h) to 4 lo, the least T(N) / (N - n_h + 1) on
   the measured block times T (us: 2^10 1.89, 2^11 3.98, 2^12 10.7, 2^13 24.0, 2^14 44.0, 2^15 79.5, 2^16 182,
   2^17 393, 2^18 1000, 2^19 2930, 2^20 6350, 2^21 17800), the smallest within 3 %. By hand: n_h = 255: 2.45
   (1024), 2.22 (2048), 2.75 (4096) ns per sample; 72000: 5.26 (2^18), 6.48 (2^19), 6.50 (2^20); 213270:
   9.42 (2^19), 7.60 (2^20), 9.45 (2^21). */
Test(fftfilt, auto_nfft_rule)
{
    static float h[213270];
    h[0] = 1.0f;
    static const size_t nh[] = {1, 255, 256, 257, 2048, 2049, 5000, 72000, 213270};
    static const size_t want[] = {1024, 2048, 2048, 2048, 16384, 32768, 32768, 262144, 1048576};
    for (size_t k = 0; k < sizeof nh / sizeof nh[0]; k++) {
        ls_fftfilt *q = make(h, nh[k], 0);
        cr_assert(eq(sz, ls_fftfilt_nfft(q), want[k]), "n_h %zu", nh[k]);
        cr_assert(eq(sz, ls_fftfilt_latency(q), want[k] - nh[k] + 1));
        ls_fftfilt_destroy(q);
    }
}

/* Processes x in the chunk sequence chunk[0..nc) (cycled) into y. */
static void run_chunked(ls_fftfilt *q, const float *x, float *y, size_t n, const size_t *chunk,
                        size_t nc)
{
    for (size_t i = 0, j = 0; i < n; j++) {
        size_t m = LS_MIN(chunk[j % nc], n - i);
        cr_assert(eq(int, ls_fftfilt_process(q, x + i, y + i, m), LS_OK));
        i += m;
    }
}

Test(fftfilt, chunked_equals_one_shot, .timeout = LS_TIMEOUT(60))
{
    static float h[2048], x[N], y1[N], y2[N];
    static const size_t nh[] = {1, 17, 2048};
    static const size_t fixed[] = {1, 7, 4096};
    static const size_t ragged[] = {1, 7, 300, 4096, 0, 64, 13, 5000, 2, 6145, 6146, 999};
    fill_uniform(x, N, 99u);
    for (size_t a = 0; a < 3; a++) {
        fill_uniform(h, nh[a], 100u + a);
        ls_fftfilt *one = make(h, nh[a], 0);
        cr_assert(eq(int, ls_fftfilt_process(one, x, y1, N), LS_OK));
        for (size_t c = 0; c < 4; c++) {
            ls_fftfilt *q = make(h, nh[a], 0);
            memset(y2, 0xff, sizeof y2);
            if (c < 3)
                run_chunked(q, x, y2, N, &fixed[c], 1);
            else
                run_chunked(q, x, y2, N, ragged, sizeof ragged / sizeof ragged[0]);
            for (size_t i = 0; i < N; i++)
                cr_assert(eq(flt, y2[i], y1[i]), "n_h %zu chunking %zu sample %zu", nh[a], c, i);
            ls_fftfilt_destroy(q);
        }
        ls_fftfilt_destroy(one);
    }
}

Test(fftfilt, impulse_appears_after_exact_latency)
{
    static float h[17], x[8192], y[8192];
    fill_uniform(h, 17, 5u);
    static const size_t at[] = {0, 1, 1007, 1008, 3000}; /* L = 1008 for n_h 17 */
    for (size_t a = 0; a < 5; a++) {
        ls_fftfilt *q = make(h, 17, 0);
        const size_t lat = ls_fftfilt_latency(q);
        cr_assert(eq(sz, lat, 1008));
        memset(x, 0, sizeof x);
        x[at[a]] = 1.0f;
        cr_assert(eq(int, ls_fftfilt_process(q, x, y, 8192), LS_OK));
        for (size_t i = 0; i < 8192; i++) {
            const size_t p = at[a] + lat;
            float want = (i >= p && i < p + 17) ? h[i - p] : 0.0f;
            cr_assert(epsilon_eq(flt, y[i], want, 2e-6f), "impulse at %zu: y[%zu] = %g, want %g",
                      at[a], i, y[i], want);
        }
        ls_fftfilt_destroy(q);
    }
}

Test(fftfilt, is_linear)
{
    static float h[129], x1[N], x2[N], xs[N], y1[N], y2[N], ys[N];
    fill_uniform(h, 129, 31u);
    fill_uniform(x1, N, 32u);
    fill_uniform(x2, N, 33u);
    const float a = 0.75f, b = -2.5f;
    for (size_t i = 0; i < N; i++)
        xs[i] = a * x1[i] + b * x2[i];
    ls_fftfilt *q = make(h, 129, 0);
    cr_assert(eq(int, ls_fftfilt_process(q, x1, y1, N), LS_OK));
    cr_assert(eq(int, ls_fftfilt_reset(q), LS_OK));
    cr_assert(eq(int, ls_fftfilt_process(q, x2, y2, N), LS_OK));
    cr_assert(eq(int, ls_fftfilt_reset(q), LS_OK));
    cr_assert(eq(int, ls_fftfilt_process(q, xs, ys, N), LS_OK));
    for (size_t i = 0; i < N; i++)
        cr_assert(epsilon_eq(dbl, ys[i], a * (double)y1[i] + b * (double)y2[i], 1e-4), "sample %zu",
                  i);
    ls_fftfilt_destroy(q);
}

Test(fftfilt, is_time_invariant)
{
    static float h[129], x[N], xd[N], y[N], yd[N];
    fill_uniform(h, 129, 41u);
    fill_uniform(x, N, 42u);
    ls_fftfilt *q = make(h, 129, 0);
    const size_t lat = ls_fftfilt_latency(q);
    const size_t sh[2] = {37, lat}; /* 37: off the block grid; L: on it (bit-exact) */
    for (size_t s = 0; s < 2; s++) {
        const size_t d = sh[s];
        memset(xd, 0, sizeof xd);
        memcpy(xd + d, x, (N - d) * sizeof *x);
        cr_assert(eq(int, ls_fftfilt_reset(q), LS_OK));
        cr_assert(eq(int, ls_fftfilt_process(q, x, y, N), LS_OK));
        cr_assert(eq(int, ls_fftfilt_reset(q), LS_OK));
        cr_assert(eq(int, ls_fftfilt_process(q, xd, yd, N), LS_OK));
        for (size_t i = 0; i < d; i++)
            cr_assert(eq(flt, yd[i], 0.0f));
        for (size_t i = d; i < N; i++) {
            if (d == lat)
                cr_assert(eq(flt, yd[i], y[i - d]), "shift %zu sample %zu", d, i);
            else
                cr_assert(epsilon_eq(flt, yd[i], y[i - d], 2e-5f), "shift %zu sample %zu", d, i);
        }
    }
    ls_fftfilt_destroy(q);
}

Test(fftfilt, in_place_equals_out_of_place)
{
    static float h[257], x[N], y[N], z[N];
    static const size_t ragged[] = {3, 1000, 1, 2049, 77};
    fill_uniform(h, 257, 51u);
    fill_uniform(x, N, 52u);
    memcpy(z, x, sizeof z);
    ls_fftfilt *a = make(h, 257, 0), *b = make(h, 257, 0);
    cr_assert(eq(int, ls_fftfilt_process(a, x, y, N), LS_OK));
    run_chunked(b, z, z, N, ragged, 5);
    for (size_t i = 0; i < N; i++)
        cr_assert(eq(flt, z[i], y[i]), "sample %zu", i);
    ls_fftfilt_destroy(a);
    ls_fftfilt_destroy(b);
}

Test(fftfilt, reset_equals_fresh)
{
    static float h[100], x[N], junk[N], y1[N], y2[N];
    fill_uniform(h, 100, 61u);
    fill_uniform(x, N, 62u);
    fill_uniform(junk, N, 63u);
    ls_fftfilt *fresh = make(h, 100, 0), *used = make(h, 100, 0);
    cr_assert(eq(int, ls_fftfilt_process(used, junk, junk, 12345), LS_OK)); /* mid-block */
    cr_assert(eq(int, ls_fftfilt_reset(used), LS_OK));
    cr_assert(eq(int, ls_fftfilt_process(fresh, x, y1, N), LS_OK));
    cr_assert(eq(int, ls_fftfilt_process(used, x, y2, N), LS_OK));
    for (size_t i = 0; i < N; i++)
        cr_assert(eq(flt, y2[i], y1[i]), "sample %zu", i);
    ls_fftfilt_destroy(fresh);
    ls_fftfilt_destroy(used);
}

Test(fftfilt, process_does_not_allocate)
{
    static float h[2048], x[N], y[N];
    fill_uniform(h, 2048, 71u);
    fill_uniform(x, N, 72u);
    ls_fftfilt *q = make(h, 2048, 0);
    cr_assert(eq(int, ls_fftfilt_process(q, x, y, 100), LS_OK)); /* warm-up */
    const uint64_t before = lsi_alloc_count();
    struct mallinfo2 m0 = mallinfo2();
    cr_assert(eq(int, ls_fftfilt_process(q, x, y, N), LS_OK)); /* several blocks */
    cr_assert(eq(int, ls_fftfilt_process(q, x, x, 7), LS_OK));
    cr_assert(eq(int, ls_fftfilt_reset(q), LS_OK));
    struct mallinfo2 m1 = mallinfo2();
    cr_assert(eq(u64, lsi_alloc_count(), before));
    cr_assert(eq(sz, m1.uordblks, m0.uordblks), "heap in use changed during process");
    cr_assert(eq(sz, m1.hblkhd, m0.hblkhd), "mmapped heap changed during process");
    ls_fftfilt_destroy(q);
}

Test(fftfilt, rejects_invalid_config)
{
    static float h[64];
    h[0] = 1.0f;
    ls_fftfilt_config good;
    ls_fftfilt_config_init(&good);
    good.h = h;
    good.n_h = 17;
    struct {
        const char *what;
        ls_fftfilt_config c;
    } bad[8];
    size_t nb = 0;
    for (size_t k = 0; k < 8; k++)
        bad[k].c = good;
    bad[nb].what = "h NULL";
    bad[nb++].c.h = NULL;
    bad[nb].what = "n_h 0";
    bad[nb++].c.n_h = 0;
    bad[nb].what = "n_h > max";
    bad[nb++].c.n_h = LS_FFTFILT_MAX_TAPS + 1;
    bad[nb].what = "nfft not a power of two";
    bad[nb++].c.nfft = 1000;
    bad[nb].what = "nfft < 2 n_h";
    bad[nb++].c.nfft = 32;
    bad[nb].what = "nfft too large";
    bad[nb++].c.nfft = LS_FFTFILT_MAX_NFFT * 2;
    for (size_t k = 0; k < nb; k++) {
        ls_status st = LS_OK;
        ls_fftfilt *q = ls_fftfilt_create(&bad[k].c, &st);
        cr_assert(eq(ptr, q, NULL), "%s accepted", bad[k].what);
        cr_assert(eq(int, st, LS_EINVAL), "%s: %s", bad[k].what, ls_strerror(st));
    }
    ls_status st = LS_OK;
    cr_assert(eq(ptr, ls_fftfilt_create(NULL, &st), NULL));
    cr_assert(eq(int, st, LS_EINVAL));
    cr_assert(eq(ptr, ls_fftfilt_create(NULL, NULL), NULL)); /* err may be NULL */

    float hn[3] = {1.0f, NAN, 0.0f};
    ls_fftfilt_config c = good;
    c.h = hn;
    c.n_h = 3;
    cr_assert(eq(ptr, ls_fftfilt_create(&c, &st), NULL), "non-finite tap accepted");
    cr_assert(eq(int, st, LS_EINVAL));

    ls_fftfilt_destroy(NULL);
    cr_assert(eq(sz, ls_fftfilt_latency(NULL), 0));
    cr_assert(eq(int, ls_fftfilt_reset(NULL), LS_EINVAL));
    float buf[4] = {0};
    cr_assert(eq(int, ls_fftfilt_process(NULL, buf, buf, 4), LS_EINVAL));
    ls_fftfilt *q = ls_fftfilt_create(&good, &st);
    cr_assert(q != NULL);
    cr_assert(eq(int, ls_fftfilt_process(q, NULL, buf, 4), LS_EINVAL));
    cr_assert(eq(int, ls_fftfilt_process(q, buf, NULL, 4), LS_EINVAL));
    cr_assert(eq(int, ls_fftfilt_process(q, NULL, NULL, 0), LS_OK));
    ls_fftfilt_destroy(q);
}

Test(fftfilt, rfft_round_trip)
{
    static const size_t sizes[] = {1, 2, 6, 1024, 1000};
    static float ref[1024];
    for (size_t s = 0; s < 5; s++) {
        const size_t n = sizes[s];
        ls_status st;
        lsi_rfft *p = lsi_rfft_create(n, &st);
        cr_assert(p != NULL, "n %zu: %s", n, ls_strerror(st));
        cr_assert(eq(sz, lsi_rfft_size(p), n));
        float *t = lsi_rfft_time(p);
        fill_uniform(ref, n, 80u + s);
        memcpy(t, ref, n * sizeof *t);
        lsi_rfft_forward(p);
        double sum = 0.0;
        for (size_t i = 0; i < n; i++)
            sum += ref[i];
        cr_assert(epsilon_eq(dbl, crealf(lsi_rfft_freq(p)[0]), sum, 1e-4), "DC bin, n %zu", n);
        lsi_rfft_inverse(p);
        for (size_t i = 0; i < n; i++)
            cr_assert(epsilon_eq(flt, t[i] / (float)n, ref[i], 1e-5f), "n %zu i %zu", n, i);
        lsi_rfft_destroy(p);
    }
    ls_status st = LS_OK;
    cr_assert(eq(ptr, lsi_rfft_create(0, &st), NULL));
    cr_assert(eq(int, st, LS_EINVAL));
    lsi_rfft_destroy(NULL);
}

static void *create_many(void *arg)
{
    const float *h = arg;
    static float x[3000];
    float y[64];
    for (int k = 0; k < 20; k++) {
        ls_fftfilt_config cfg;
        ls_fftfilt_config_init(&cfg);
        cfg.h = h;
        cfg.n_h = (size_t)(5 + 37 * k);
        ls_fftfilt *q = ls_fftfilt_create(&cfg, NULL);
        if (!q)
            return (void *)1;
        if (ls_fftfilt_process(q, x, y, 64) != LS_OK)
            return (void *)1;
        ls_fftfilt_destroy(q);
    }
    return NULL;
}

Test(fftfilt, create_and_destroy_from_many_threads, .timeout = LS_TIMEOUT(60))
{
    static float h[1024];
    fill_uniform(h, 1024, 90u);
    pthread_t th[4];
    for (int k = 0; k < 4; k++)
        cr_assert(eq(int, pthread_create(&th[k], NULL, create_many, h), 0));
    for (int k = 0; k < 4; k++) {
        void *r;
        pthread_join(th[k], &r);
        cr_assert(eq(ptr, r, NULL), "thread %d failed", k);
    }
}

/*
 * The sample path's noise drawn on every d-th sample (phy/link/link_nstride.c, docs/engines.md "Noise drawn
 * at the rate it needs"). The bound eps_d against the strided process's covariances computed directly (every
 * phase and lag of a band-limited response, and the exact d - 1 of a one-tap response); the strided draw
 * (d = 1: ls_rng_gauss_add bit for bit; d > 1: sqrt(d) sigma times the same deviates on every d-th sample,
 * nothing between); the awgn block's stride across chunks of any size; the strides the links choose (cable:
 * > 1, run.noise_rate = full and the optical lpo link: 1) and the symbol error ratios of 20 seeds, strided
 * against every sample, by Welch's t.
 */
#include <complex.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../noise_internal.h"
#include "engine_util.h"
#include "lanesim.h"
#include "link_internal.h"
#include "ls_internal.h"

/* max over phases n < d and lags |l| < len of |C_n(l) - R(l)| / R(0), C_n(l) = d sum_{j = n mod d} g[j] g[j + l] */
static double brute_dev(const double *g, size_t len, unsigned d)
{
    double r0 = 0, worst = 0;
    for (size_t j = 0; j < len; j++)
        r0 += g[j] * g[j];
    for (size_t l = 0; l < len; l++) /* C_n(-l) = C_{n - l}(l): the non-negative lags cover all */
        for (unsigned n = 0; n < d; n++) {
            double c = 0, r = 0;
            for (size_t j = 0; j + l < len; j++) {
                r += g[j] * g[j + l];
                if (j % d == n)
                    c += g[j] * g[j + l];
            }
            worst = fmax(worst, fabs(d * c - r) / r0);
        }
    return worst;
}

/* A low-pass response: a Hann-windowed sinc of cutoff fc (cycles per sample), len taps */
static void lowpass(double *g, size_t len, double fc)
{
    for (size_t k = 0; k < len; k++) {
        const double t = (double)k - 0.5 * (double)(len - 1), w = 0.5 - 0.5 * cos(2 * M_PI * (double)k / (double)(len - 1));
        g[k] = w * (t == 0 ? 2 * fc : sin(2 * M_PI * fc * t) / (M_PI * t));
    }
}

Test(noise_stride, bound_holds_at_every_phase_and_lag)
{
    enum { LEN = 240 };
    double g[LEN], eps[8];
    double complex gc[LEN];
    const double fcs[] = { 0.02, 0.05, 0.12 };
    for (size_t c = 0; c < sizeof fcs / sizeof *fcs; c++) {
        lowpass(g, LEN, fcs[c]);
        for (size_t k = 0; k < LEN; k++)
            gc[k] = g[k];
        cr_assert(eq(int, lsi_noise_stride_bounds(gc, LEN, 16, eps), LS_OK));
        cr_assert(eq(dbl, eps[0], 0.0));
        for (unsigned d = 2, i = 1; d <= 16 && isfinite(eps[i]); d *= 2, i++) {
            const double dev = brute_dev(g, LEN, d);
            cr_log_info("fc %.2f d %u: deviation %.3g, bound %.3g", fcs[c], d, dev, eps[i]);
            cr_assert(le(dbl, dev, eps[i] * (1 + 1e-4) + 1e-7), "fc %.2f d %u: %.3g > bound %.3g", fcs[c], d, dev, eps[i]);
        }
    }
    /* fc 0.02 (a band far below 1/(2 8)): strides to 8 within 1e-4; fc 0.12 at d = 4 (aliases at 1/4 reach the
       band's edge): the bound says no, and the larger strides are not computed */
    lowpass(g, LEN, 0.02);
    for (size_t k = 0; k < LEN; k++)
        gc[k] = g[k];
    lsi_noise_stride_bounds(gc, LEN, 16, eps);
    cr_assert(le(dbl, eps[3], LSI_NSTRIDE_TOL), "fc 0.02, d 8: %.3g", eps[3]);
    lowpass(g, LEN, 0.12);
    for (size_t k = 0; k < LEN; k++)
        gc[k] = g[k];
    lsi_noise_stride_bounds(gc, LEN, 16, eps);
    cr_assert(gt(dbl, eps[2], LSI_NSTRIDE_TOL), "fc 0.12, d 4: %.3g", eps[2]);
    cr_assert(eq(dbl, eps[3], INFINITY));
    /* one tap (noise straight to the sampler): C_0(0) = d, the deviation d - 1, the bound exactly that */
    const double complex one = 1.0;
    lsi_noise_stride_bounds(&one, 1, 16, eps);
    cr_assert(le(dbl, fabs(eps[1] - 1.0), 1e-6), "d 2: %.9g", eps[1]);
    cr_assert(eq(dbl, eps[2], INFINITY));
}

Test(noise_stride, strided_draws)
{
    enum { N = 1000 };
    static float a[N], b[N];
    ls_rng r1, r2;
    for (size_t i = 0; i < N; i++)
        a[i] = b[i] = (float)sin(0.01 * (double)i);
    ls_rng_seed(&r1, 7, 1, 2);
    r2 = r1;
    lsi_rng_gauss_add_strided(&r1, a, N, 1, 0, 0.3);
    ls_rng_gauss_add(&r2, b, N, 0.3f);
    cr_assert(eq(int, memcmp(a, b, sizeof a), 0), "d = 1 is ls_rng_gauss_add");
    cr_assert(eq(int, memcmp(&r1, &r2, sizeof r1), 0));
    double g[N];
    for (size_t i = 0; i < N; i++)
        a[i] = b[i] = (float)sin(0.01 * (double)i);
    ls_rng_seed(&r1, 7, 1, 2);
    r2 = r1;
    lsi_rng_gauss_add_strided(&r1, a, N, 4, 3, 0.3); /* 3, 7, .. 999: 250 draws */
    lsi_rng_gauss_fill_d(&r2, g, 250);
    const double s = (float)(2.0 * 0.3);
    for (size_t i = 0; i < N; i++) {
        const float want = i % 4 == 3 ? (float)((double)b[i] + s * g[i / 4]) : b[i];
        cr_assert(eq(flt, a[i], want), "sample %zu", i);
    }
    cr_assert(eq(int, memcmp(&r1, &r2, sizeof r1), 0), "250 deviates drawn");
}

Test(noise_stride, awgn_block_chunks)
{
    enum { N = 5000 };
    static float one[N], part[N];
    ls_awgn_config c = { .sigma = 0.1, .stream = 9 };
    ls_block b1, b2;
    cr_assert(eq(int, ls_awgn_into_block(&c, &b1), LS_OK));
    cr_assert(eq(int, ls_awgn_into_block(&c, &b2), LS_OK));
    cr_assert(eq(int, lsi_awgn_set_stride(&b1, 8), LS_OK));
    cr_assert(eq(int, lsi_awgn_set_stride(&b2, 8), LS_OK));
    b1.ops->reseed(b1.self, 3, 4);
    b2.ops->reseed(b2.self, 3, 4);
    memset(one, 0, sizeof one);
    memset(part, 0, sizeof part);
    cr_assert(eq(int, b1.ops->process(b1.self, one, one, N), LS_OK));
    srand(5);
    for (size_t i = 0; i < N;) {
        const size_t n = LS_MIN((size_t)(1 + rand() % 37), N - i);
        b2.ops->process(b2.self, part + i, part + i, n);
        i += n;
    }
    cr_assert(eq(int, memcmp(one, part, sizeof one), 0), "chunks of 1..37 samples = one call");
    size_t nz = 0;
    for (size_t i = 0; i < N; i++)
        nz += one[i] != 0.0f;
    cr_assert(eq(sz, nz, (size_t)N / 8), "noise on every 8th sample only");
    ls_block tx = { 0 };
    cr_assert(eq(int, lsi_awgn_set_stride(&tx, 2), LS_EINVAL), "not an awgn block");
    ls_block_destroy(&b1);
    ls_block_destroy(&b2);
}

Test(noise_stride, links_choose_their_strides)
{
    const char *full[] = { "run.noise_rate=full", NULL };
    ls_link *a = ls_test_link("copper", NULL, NULL, 1024), *f = ls_test_link("copper", NULL, full, 1024),
            *o = ls_test_link("lpo", NULL, NULL, 1024);
    const ls_link_info *ia = ls_link_get_info(a), *iff = ls_link_get_info(f), *io = ls_link_get_info(o);
    cr_log_info("copper (sps %u): TX every %u, receiver every %u; full %u %u; lpo %u %u", ia->sps,
                ia->noise_stride[0], ia->noise_stride[1], iff->noise_stride[0], iff->noise_stride[1],
                io->noise_stride[0], io->noise_stride[1]);
    cr_assert(gt(uint, ia->noise_stride[0], 1u));
    cr_assert(gt(uint, ia->noise_stride[1], 1u));
    cr_assert(eq(uint, ia->sps % ia->noise_stride[0], 0u));
    cr_assert(eq(uint, iff->noise_stride[0] * iff->noise_stride[1], 1u));
    cr_assert(eq(uint, io->noise_stride[0] * io->noise_stride[1], 1u), "a non-linear link draws every sample");
    ls_link_destroy(a);
    ls_link_destroy(f);
    ls_link_destroy(o);
}

/* SER of 20 seeds, noise on every d-th sample against every sample (TX noise, RX noise, MM CDR): Welch's t */
Test(noise_stride, ser_welch_20_seeds, .timeout = LS_TIMEOUT(120))
{
    const char *base[] = { "link.sps=16", "ctle.auto=false", "ctle.gdc_db=-13", "adc.enable=false", "cdr.type=mm",
                           "tx.snr_db=22", "rx.eta0_v2_ghz=1e-8", "jitter.rj_ui=0.01", "jitter.dj_ui=0.04", NULL };
    const char *kv[2][2] = { { "run.noise_rate=auto", NULL }, { "run.noise_rate=full", NULL } };
    enum { SEEDS = 20, N = 20000 };
    double m[2], v[2];
    for (int e = 0; e < 2; e++) {
        ls_link *l = ls_test_engine_link("copper", base, kv[e], LS_ENGINE_SAMPLE, 1024);
        if (e == 0)
            cr_assert(gt(uint, ls_link_get_info(l)->noise_stride[0], 1u));
        ls_test_ser_seeds(l, SEEDS, N, &m[e], &v[e]);
        ls_link_destroy(l);
    }
    const double t = (m[0] - m[1]) / sqrt(v[0] / SEEDS + v[1] / SEEDS);
    cr_log_info("SER strided %.4g +- %.2g, every sample %.4g +- %.2g (sd), Welch t %.2f", m[0], sqrt(v[0]), m[1],
                sqrt(v[1]), t);
    cr_assert(gt(dbl, m[0], 1e-4), "the case must make errors");
    cr_assert(lt(dbl, fabs(t), 3.6), "Welch t = %.2f", t);
}

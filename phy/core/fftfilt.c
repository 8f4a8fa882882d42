/*
 * The overlap-save FIR engine ls_fftfilt (on lsi_rfft, fft.c) and lsi_convolve.
 *
 * ls_fftfilt: overlap-save block convolution [Oppenheim & Schafer, Discrete-Time Signal
 * Processing, 3rd ed., sec. 8.7.3]. With n_h taps and FFT size N, each block takes
 * L = N - n_h + 1 new samples. The frame [previous n_h-1 samples | L new samples] is transformed,
 * multiplied by the precomputed spectrum H = FFT(h zero-padded to N) / N, and transformed back;
 * the last L points of the circular convolution equal the linear convolution and go to the
 * output queue. Blocks are aligned to the absolute stream position (block b holds samples
 * [bL, bL+L)), and the output queue starts with L zeros, so
 *
 *     y[i] = sum_k h[k] x[i - L - k]
 *
 * exactly L samples late, and the arithmetic done for every output sample is the same whatever
 * the caller's chunk sizes: the output is bit-identical for any chunking.
 *
 * Queue bookkeeping: each input sample consumed releases one output sample, so with `fill`
 * samples of the current block buffered, exactly L - fill outputs are pending, at positions
 * out[fill..L). The outputs of the last block are read straight from the inverse transform's
 * output array: it is next overwritten only when the following block is full, by which time all
 * of them have been released. The frame itself is the forward transform's input array and the
 * inverse writes a separate one (a split lsi_rfft), so a block copies nothing but its history.
 */
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim/fftfilt.h"
#include "ls_internal.h"

/* ---------------------------------------------------------------------------------------------
 * ls_fftfilt
 */

struct ls_fftfilt {
    size_t n_h;   /* taps */
    size_t nfft;  /* FFT size N */
    size_t L;     /* new samples per block = latency */
    size_t nbins; /* N/2 + 1 */
    size_t fill;  /* samples of the current block buffered, 0..L-1 between calls */
    lsi_rfft *fft; /* split pair: forward reads the frame, inverse writes a separate array */
    float *hspec; /* [2 * nbins] interleaved re/im of FFT(h) / N (ls_alloc) */
    float *in;    /* [N] frame: [previous n_h-1 samples | L new]: the forward input array */
    float *out;   /* output queue: the last L points of the inverse output array */
};

static int is_pow2(size_t n)
{
    return n && !(n & (n - 1));
}

/* The automatic FFT size: the power of two N from lo = max(1024, 2 n_h) to 4 lo with the least cost per output sample,
   T(N) / (N - n_h + 1), T(N) the measured time of one block (forward and inverse transform with the shipped
   wisdom, spectrum product, history copy). BLOCK_US[k] is T(2^(10 + k)) in microseconds: ls_fftfilt_process on
   random taps, median of 5 runs of >= 0.4 s of thread CPU time, AMD EPYC (Zen 4, AVX-512), gcc 12 -O3, FFTW
   3.3.10, a 2-core machine at load ~12 (so +-15 %). Above 2^21, T grows as N log2 N from the last entry. Among
   sizes within 3 % of the least cost the smallest is taken (less latency). A fixed table, so the size, and
   with it the rounding, is a fixed function of n_h. docs/filters.md. */
static const double BLOCK_US[] = { 1.89, 3.98, 10.7, 24.0, 44.0, 79.5, 182.0, 393.0, 1000.0, 2930.0, 6350.0,
                                   17800.0 };
#define BLOCK_LOG2_MIN 10

static double block_us(size_t n)
{
    unsigned k = 0;
    while (((size_t)1 << (BLOCK_LOG2_MIN + k)) < n)
        k++;
    const unsigned last = sizeof BLOCK_US / sizeof BLOCK_US[0] - 1;
    if (k <= last)
        return BLOCK_US[k];
    const double lg = BLOCK_LOG2_MIN + last;
    return BLOCK_US[last] * (double)((size_t)1 << (k - last)) * (BLOCK_LOG2_MIN + k) / lg;
}

double lsi_fftfilt_block_us(size_t nfft)
{
    return block_us(nfft);
}

size_t lsi_fftfilt_auto_nfft(size_t n_h)
{
    size_t lo = (size_t)1 << BLOCK_LOG2_MIN;
    while (lo < 2 * n_h)
        lo *= 2;
    double best = INFINITY;
    size_t pick = lo;
    for (size_t n = lo; n <= 4 * lo && n <= LS_FFTFILT_MAX_NFFT; n *= 2)
        best = fmin(best, block_us(n) / (double)(n - n_h + 1));
    for (size_t n = lo; n <= 4 * lo && n <= LS_FFTFILT_MAX_NFFT; n *= 2)
        if (block_us(n) / (double)(n - n_h + 1) <= 1.03 * best) {
            pick = n;
            break;
        }
    return pick;
}

void ls_fftfilt_config_init(ls_fftfilt_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_fftfilt_config){.h = NULL, .n_h = 0, .nfft = 0, .measure = 0};
}

ls_fftfilt *ls_fftfilt_create(const ls_fftfilt_config *cfg, ls_status *err)
{
    ls_status st = LS_EINVAL;
    ls_fftfilt *q = NULL;
    if (!cfg || !cfg->h || !cfg->n_h || cfg->n_h > LS_FFTFILT_MAX_TAPS)
        goto fail;
    for (size_t k = 0; k < cfg->n_h; k++)
        if (!isfinite(cfg->h[k]))
            goto fail;
    const size_t nfft = cfg->nfft ? cfg->nfft : lsi_fftfilt_auto_nfft(cfg->n_h);
    if (!is_pow2(nfft) || nfft < 2 * cfg->n_h || nfft > LS_FFTFILT_MAX_NFFT)
        goto fail;

    st = LS_ENOMEM;
    if (!(q = calloc(1, sizeof *q)))
        goto fail;
    q->n_h = cfg->n_h;
    q->nfft = nfft;
    q->L = nfft - cfg->n_h + 1;
    q->nbins = nfft / 2 + 1;
    q->hspec = ls_alloc_n(2 * q->nbins, sizeof *q->hspec);
    if (!q->hspec)
        goto fail;
    if (!(q->fft = lsi_rfft_create_split(nfft, cfg->measure ? LSI_FFT_MEASURE : LSI_FFT_ESTIMATE, &st)))
        goto fail;
    q->in = lsi_rfft_time(q->fft);

    /* Spectrum of h zero-padded to N, with the inverse transform's 1/N folded in (exact: N is a
     * power of two). */
    float *t = lsi_rfft_time(q->fft);
    float *f = (float *)lsi_rfft_freq(q->fft); /* C11 6.2.5p13: complex = float[2] */
    memcpy(t, cfg->h, q->n_h * sizeof *t);
    lsi_rfft_forward(q->fft);
    const float scale = (float)(1.0 / (double)nfft);
    for (size_t k = 0; k < 2 * q->nbins; k++)
        q->hspec[k] = f[k] * scale;
    q->out = lsi_rfft_out(q->fft) + (q->n_h - 1);
    st = ls_fftfilt_reset(q);
    if (st != LS_OK)
        goto fail;
    if (err)
        *err = LS_OK;
    return q;
fail:
    ls_fftfilt_destroy(q);
    if (err)
        *err = st;
    return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * The overlap-save queue and spectrum product shared with ls_cfftfilt (cfft.c; fft_internal.h)
 */

void lsi_os_cmul(float *restrict f, const float *restrict hs, size_t n)
{
    for (size_t k = 0; k < 2 * n; k += 2) {
        const float xr = f[k], xi = f[k + 1], hr = hs[k], hi = hs[k + 1];
        f[k] = xr * hr - xi * hi;
        f[k + 1] = xr * hi + xi * hr;
    }
}

void lsi_os_process(const lsi_os_queue *o, size_t *fill, const void *xv, void *yv, size_t n)
{
    const size_t esz = o->esz, hist = o->hist * esz;
    const unsigned char *x = xv;
    unsigned char *y = yv;
    while (n) {
        size_t m = o->L - *fill;
        if (m > n)
            m = n;
        /* Read x before writing y over the same positions: x == y works. */
        memcpy(o->in + hist + *fill * esz, x, m * esz);
        memcpy(y, o->out + *fill * esz, m * esz);
        *fill += m;
        x += m * esz;
        y += m * esz;
        n -= m;
        if (*fill == o->L) {
            o->block(o->ctx);
            /* L >= n_h + 1 > n_h - 1 (nfft >= 2 n_h): source and destination do not overlap. */
            memcpy(o->in, o->in + o->L * esz, hist);
            *fill = 0;
        }
    }
}

/* ---------------------------------------------------------------------------------------------
 * ls_fftfilt (continued)
 */

/* One block: the frame q->in is full. Leaves L new outputs in q->out (lsi_os_process then moves the
 * last n_h-1 input samples to the head of q->in). */
static void run_block(void *ctx)
{
    ls_fftfilt *q = ctx;
    lsi_rfft_forward(q->fft); /* out of place r2c keeps its input, the frame */
    lsi_os_cmul((float *)lsi_rfft_freq(q->fft), q->hspec, q->nbins);
    lsi_rfft_inverse(q->fft);
}

ls_status ls_fftfilt_process(ls_fftfilt *q, const float *x, float *y, size_t n)
{
    if (!q || (n && (!x || !y)))
        return LS_EINVAL;
    const lsi_os_queue o = { (unsigned char *)q->in, (const unsigned char *)q->out, sizeof *x, q->L, q->n_h - 1,
                             run_block, q };
    lsi_os_process(&o, &q->fill, x, y, n);
    return LS_OK;
}

size_t ls_fftfilt_latency(const ls_fftfilt *q)
{
    return q ? q->L : 0;
}

size_t ls_fftfilt_nfft(const ls_fftfilt *q)
{
    return q ? q->nfft : 0;
}

ls_status ls_fftfilt_reset(ls_fftfilt *q)
{
    if (!q)
        return LS_EINVAL;
    memset(q->in, 0, q->nfft * sizeof *q->in);
    memset(lsi_rfft_out(q->fft), 0, q->nfft * sizeof(float));
    q->fill = 0;
    return LS_OK;
}

void ls_fftfilt_destroy(ls_fftfilt *q)
{
    if (!q)
        return;
    lsi_rfft_destroy(q->fft);
    ls_free(q->hspec);
    free(q);
}

/* Linear convolution c = a * b (lengths na, nb -> na + nb - 1) by FFT. */
ls_status lsi_convolve(const float *a, size_t na, const float *b, size_t nb, float *c)
{
    size_t nc = na + nb - 1, n = lsi_pow2_at_least(nc);
    ls_status st;
    lsi_rfft *fa = lsi_rfft_create(n, &st), *fb = fa ? lsi_rfft_create(n, &st) : NULL;
    if (!fa || !fb) {
        lsi_rfft_destroy(fa);
        return st;
    }
    float *ta = lsi_rfft_time(fa), *tb = lsi_rfft_time(fb);
    memset(ta, 0, n * sizeof *ta);
    memset(tb, 0, n * sizeof *tb);
    memcpy(ta, a, na * sizeof *a);
    memcpy(tb, b, nb * sizeof *b);
    lsi_rfft_forward(fa);
    lsi_rfft_forward(fb);
    float complex *A = lsi_rfft_freq(fa), *B = lsi_rfft_freq(fb);
    for (size_t k = 0; k <= n / 2; k++)
        A[k] *= B[k];
    lsi_rfft_inverse(fa);
    for (size_t i = 0; i < nc; i++)
        c[i] = ta[i] / (float)n;
    lsi_rfft_destroy(fa);
    lsi_rfft_destroy(fb);
    return LS_OK;
}

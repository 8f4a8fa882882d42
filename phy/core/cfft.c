/*
 * Complex FFT layer (lsi_cfft) and the complex overlap-save FIR engine ls_cfftfilt; with fft.c
 * the only files that include fftw3.h. Every FFTW planner call made here (plan creation,
 * fftwf_destroy_plan, fftwf_malloc/fftwf_free) holds the process-wide planner mutex of fft.c
 * (lsi_fft_planner_lock/unlock) [FFTW 3.3.10 manual, sec. 5.4 "Thread safety"].
 *
 * lsi_cfft: fftwf_plan_dft_1d FFTW_FORWARD / FFTW_BACKWARD, out of place between two arrays it
 * owns (c2c out-of-place plans preserve their input by default), executed with fftwf_execute
 * on those arrays only.
 *
 * ls_cfftfilt: overlap-save block convolution [Oppenheim & Schafer, Discrete-Time Signal
 * Processing, 3rd ed., sec. 8.7.3], identical in structure to ls_fftfilt (fftfilt.c, whose queue and
 * spectrum product it shares: lsi_os_process, lsi_os_cmul) with a complex
 * DFT of size N instead of a real one: each block takes L = N - n_h + 1 new samples; the frame
 * [previous n_h-1 samples | L new] is transformed, multiplied by H = DFT(h zero-padded) / N and
 * transformed back; its last L points are the linear convolution. Blocks are aligned to the
 * absolute stream position and the output queue starts with L zeros, so y[i] = sum_k h[k]
 * x[i - L - k] exactly L samples late, with the same arithmetic for every output sample
 * whatever the chunking (bit-identical). The outputs of the last block are read from the
 * inverse transform's output array, next overwritten only when the following block is full; the
 * frame is the forward's input array itself (a split lsi_cfft), so a block copies only its history.
 *
 * ls_cfftfilt_design (the taps from LTI blocks) is in phy/core/fuse.c, with the link's fusion.
 */
#include <complex.h> /* before fftw3.h: fftwf_complex is then float complex */
#include <fftw3.h>

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim/cfftfilt.h"
#include "ls_internal.h"

/* ---------------------------------------------------------------------------------------------
 * lsi_cfft
 */

struct lsi_cfft {
    lsi_fft_pair q; /* the first member (lsi_fft_pair_new): complex, time, out and freq fftwf_complex[n] */
};

lsi_cfft *lsi_cfft_create(size_t n, int measure, ls_status *err)
{
    return lsi_fft_pair_new(sizeof(lsi_cfft), n, measure, 0, 1, err);
}

lsi_cfft *lsi_cfft_create_split(size_t n, int measure, ls_status *err)
{
    return lsi_fft_pair_new(sizeof(lsi_cfft), n, measure, 1, 1, err);
}

float complex *lsi_cfft_time(lsi_cfft *p)
{
    return p->q.time;
}

float complex *lsi_cfft_out(lsi_cfft *p)
{
    return p->q.out;
}

float complex *lsi_cfft_freq(lsi_cfft *p)
{
    return p->q.freq;
}

void lsi_cfft_forward(lsi_cfft *p)
{
    fftwf_execute(p->q.fwd);
}

void lsi_cfft_inverse(lsi_cfft *p)
{
    fftwf_execute(p->q.inv);
}

size_t lsi_cfft_size(const lsi_cfft *p)
{
    return p->q.n;
}

void lsi_cfft_destroy(lsi_cfft *p)
{
    lsi_fft_pair_delete(p);
}

/* ---------------------------------------------------------------------------------------------
 * ls_cfftfilt
 */

struct ls_cfftfilt {
    size_t n_h;  /* taps */
    size_t nfft; /* FFT size N */
    size_t L;    /* new samples per block = latency */
    size_t fill; /* samples of the current block buffered, 0..L-1 between calls */
    lsi_cfft *fft;        /* split pair: forward reads the frame, inverse writes a separate array */
    float complex *hspec; /* [N] DFT(h) / N (ls_alloc) */
    float complex *in;    /* [N] frame: [previous n_h-1 samples | L new]: the forward input array */
    float complex *out;   /* output queue: the last L points of the inverse output array */
};

static int is_pow2(size_t n)
{
    return n && !(n & (n - 1));
}

void ls_cfftfilt_config_init(ls_cfftfilt_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_cfftfilt_config){.h = NULL, .n_h = 0, .nfft = 0, .measure = 0};
}

ls_cfftfilt *ls_cfftfilt_create(const ls_cfftfilt_config *cfg, ls_status *err)
{
    ls_status st = LS_EINVAL;
    ls_cfftfilt *q = NULL;
    if (!cfg || !cfg->h || !cfg->n_h || cfg->n_h > LS_CFFTFILT_MAX_TAPS)
        goto fail;
    for (size_t k = 0; k < cfg->n_h; k++)
        if (!isfinite(crealf(cfg->h[k])) || !isfinite(cimagf(cfg->h[k])))
            goto fail;
    size_t nfft = cfg->nfft;
    if (!nfft)
        nfft = lsi_pow2_at_least(LS_MAX(4 * cfg->n_h, (size_t)1024));
    if (!is_pow2(nfft) || nfft < 2 * cfg->n_h || nfft > LS_CFFTFILT_MAX_NFFT)
        goto fail;

    st = LS_ENOMEM;
    if (!(q = calloc(1, sizeof *q)))
        goto fail;
    q->n_h = cfg->n_h;
    q->nfft = nfft;
    q->L = nfft - cfg->n_h + 1;
    q->hspec = ls_alloc_n(nfft, sizeof *q->hspec);
    if (!q->hspec)
        goto fail;
    if (!(q->fft = lsi_cfft_create_split(nfft, cfg->measure ? LSI_FFT_MEASURE : LSI_FFT_ESTIMATE, &st)))
        goto fail;
    q->in = lsi_cfft_time(q->fft);

    /* Spectrum of h zero-padded to N with the inverse transform's 1/N folded in (exact: N is a
     * power of two). */
    float complex *t = lsi_cfft_time(q->fft), *f = lsi_cfft_freq(q->fft);
    memcpy(t, cfg->h, q->n_h * sizeof *t);
    lsi_cfft_forward(q->fft);
    const float scale = (float)(1.0 / (double)nfft);
    for (size_t k = 0; k < nfft; k++)
        q->hspec[k] = f[k] * scale;
    q->out = lsi_cfft_out(q->fft) + (q->n_h - 1);
    st = ls_cfftfilt_reset(q);
    if (st != LS_OK)
        goto fail;
    if (err)
        *err = LS_OK;
    return q;
fail:
    ls_cfftfilt_destroy(q);
    if (err)
        *err = st;
    return NULL;
}

/* One block: the frame q->in is full. Leaves L new outputs in q->out (the queue, lsi_os_process in
 * fftfilt.c, then moves the last n_h-1 input samples to the head of q->in). */
static void run_block(void *ctx)
{
    ls_cfftfilt *q = ctx;
    lsi_cfft_forward(q->fft); /* out of place: keeps its input, the frame */
    lsi_os_cmul((float *)lsi_cfft_freq(q->fft), (const float *)q->hspec, q->nfft); /* complex = float[2] */
    lsi_cfft_inverse(q->fft);
}

ls_status ls_cfftfilt_process(ls_cfftfilt *q, const float complex *x, float complex *y, size_t n)
{
    if (!q || (n && (!x || !y)))
        return LS_EINVAL;
    const lsi_os_queue o = { (unsigned char *)q->in, (const unsigned char *)q->out, sizeof *x, q->L, q->n_h - 1,
                             run_block, q };
    lsi_os_process(&o, &q->fill, x, y, n);
    return LS_OK;
}

size_t ls_cfftfilt_latency(const ls_cfftfilt *q)
{
    return q ? q->L : 0;
}

size_t ls_cfftfilt_nfft(const ls_cfftfilt *q)
{
    return q ? q->nfft : 0;
}

ls_status ls_cfftfilt_reset(ls_cfftfilt *q)
{
    if (!q)
        return LS_EINVAL;
    memset(q->in, 0, q->nfft * sizeof *q->in);
    memset(lsi_cfft_out(q->fft), 0, q->nfft * sizeof(float complex));
    q->fill = 0;
    return LS_OK;
}

void ls_cfftfilt_destroy(ls_cfftfilt *q)
{
    if (!q)
        return;
    lsi_cfft_destroy(q->fft);
    ls_free(q->hspec);
    free(q);
}

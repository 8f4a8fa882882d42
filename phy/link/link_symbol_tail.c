/*
 * The symbol-rate engine's long tail (docs/engines.md "Head and tail"). The one-UI pulse g is split at
 * RH UIs after its start (the main pulse plus 40 UI): the head is summed directly at the two grid
 * samples the receiver interpolates (link_symbol.c), the tail
 *   T_j[q] = sum_{r >= RH} g[t_lo + j + r sps] u_{q-r}  -  sum_{r >= RH} h[t_lo + j + r sps] v_{q-r},
 * v_n = d_n delta_n (the edge's step times its offset in samples: TX jitter to first order, whose
 * second-order rest d delta^2 h'/2 is negligible that far from the main pulse), by overlap-save FFT
 * convolution at the symbol rate for P + 1 phases j = k sps / P (k = 0..P, P = min(8, sps)), linearly
 * interpolated between them. The blocks lie on a fixed grid of B outputs from the frame start and run
 * when all their inputs exist, so the values do not depend on the chunk size.
 */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "fft_internal.h"
#include "link_internal.h"
#include "link_symbol.h"
#include "ls_internal.h"

void lsi_sym_tail_free(lsi_sym_tail *tl)
{
    lsi_rfft_destroy(tl->fft);
    ls_free(tl->Fg);
    ls_free(tl->Fh);
    ls_free(tl->U);
    ls_free(tl->T);
    ls_free(tl->out_tag);
    memset(tl, 0, sizeof *tl);
}

/* The FFT of kernel x[0..Lt) (zero-padded to N) into F. */
static void kernel_fft(lsi_sym_tail *tl, const float *x, float complex *F)
{
    float *t = lsi_rfft_time(tl->fft);
    memset(t, 0, tl->N * sizeof *t);
    memcpy(t, x, tl->Lt * sizeof *t);
    lsi_rfft_forward(tl->fft);
    memcpy(F, lsi_rfft_freq(tl->fft), (tl->N / 2 + 1) * sizeof *F);
}

ls_status lsi_sym_tail_build(lsi_sym *e, const double *g, long hi, const float *h, size_t nh, size_t RH, size_t Lt,
                             size_t slack)
{
    lsi_sym_tail *tl = &e->tl;
    const long sps = e->sps;
    size_t N = lsi_pow2_at_least(2 * Lt);
    while (N - Lt + 1 > slack && N / 2 >= Lt + 64)
        N /= 2;
    if (N - Lt + 1 > slack || N < Lt + 64)
        return LS_OK; /* no room for a block: the whole pulse is summed directly */
    ls_status st;
    tl->N = N;
    tl->Lt = Lt;
    tl->B = N - Lt + 1;
    tl->RH = RH;
    tl->P = (unsigned)sps;
    const size_t nf = N / 2 + 1, np = tl->P + 1;
    float *kg = ls_alloc_n(Lt, sizeof *kg), *kh = ls_alloc_n(Lt, sizeof *kh);
    if (!kg || !kh || !(tl->fft = lsi_rfft_create(N, &st)) || !(tl->Fg = ls_alloc_n(np * nf, sizeof *tl->Fg)) ||
        !(tl->Fh = ls_alloc_n(np * nf, sizeof *tl->Fh)) || !(tl->U = ls_alloc_n(4 * nf, sizeof *tl->U)) ||
        !(tl->T = ls_alloc_n(2 * np * tl->B, sizeof *tl->T)) || !(tl->out_tag = ls_alloc_n(2 * np, sizeof *tl->out_tag))) {
        ls_free(kg);
        ls_free(kh);
        return LS_ENOMEM;
    }
    const double scale = 1.0 / (double)N;
    for (size_t k = 0; k < np; k++) {
        const long j = (long)k * sps / (long)tl->P;
        for (size_t r = 0; r < Lt; r++) {
            const long t = e->t_lo + j + (long)(RH + r) * sps;
            kg[r] = t < hi ? (float)(g[t] * scale) : 0.0f;
            kh[r] = t >= 0 && t < (long)nh ? (float)(-h[t] * scale) : 0.0f;
        }
        kernel_fft(tl, kg, tl->Fg + k * nf);
        kernel_fft(tl, kh, tl->Fh + k * nf);
    }
    ls_free(kg);
    ls_free(kh);
    return LS_OK;
}

/* The FFT of the history sequence idx -> x(idx) over [y0 - Lt + 1, y0 + B) into dst (and the freq array). */
static void input_fft(lsi_sym *e, int64_t y0, int jit, float complex *dst)
{
    lsi_sym_tail *tl = &e->tl;
    float *t = lsi_rfft_time(tl->fft);
    const int64_t a = y0 - (int64_t)tl->Lt + 1;
    for (size_t i = 0; i < tl->N; i++) {
        const int64_t m = a + (int64_t)i - e->ubase;
        if (m < 0) {
            t[i] = 0;
            continue;
        }
        t[i] = jit ? e->ed[m] * ((float)e->en[m] + e->ef[m]) : e->u[m];
    }
    lsi_rfft_forward(tl->fft);
    memcpy(dst, lsi_rfft_freq(tl->fft), (tl->N / 2 + 1) * sizeof *dst);
}

/* Phase j's outputs of block bi (y = bi B .. bi B + B - 1) into its slot, the block's input spectra first. */
static void tail_block(lsi_sym *e, int64_t bi, long j)
{
    lsi_sym_tail *tl = &e->tl;
    const size_t nf = tl->N / 2 + 1, sl = (size_t)(bi & 1);
    float complex *U = tl->U + sl * 2 * nf, *V = U + nf;
    if (tl->in_tag[sl] != bi) {
        input_fft(e, bi * (int64_t)tl->B, 0, U);
        if (e->jitter)
            input_fft(e, bi * (int64_t)tl->B, 1, V);
        tl->in_tag[sl] = bi;
    }
    const float complex *G = tl->Fg + (size_t)j * nf, *H = tl->Fh + (size_t)j * nf;
    float complex *X = lsi_rfft_freq(tl->fft);
    if (e->jitter)
        for (size_t f = 0; f < nf; f++)
            X[f] = G[f] * U[f] + H[f] * V[f];
    else
        for (size_t f = 0; f < nf; f++)
            X[f] = G[f] * U[f];
    lsi_rfft_inverse(tl->fft);
    memcpy(tl->T + ((size_t)j * 2 + sl) * tl->B, lsi_rfft_out(tl->fft) + tl->Lt - 1, tl->B * sizeof *tl->T);
    tl->out_tag[(size_t)j * 2 + sl] = bi;
}

void lsi_sym_tail_start(lsi_sym *e)
{
    lsi_sym_tail *tl = &e->tl;
    if (!tl->fft)
        return;
    tl->in_tag[0] = tl->in_tag[1] = -1;
    for (size_t k = 0; k < 2 * (tl->P + 1); k++)
        tl->out_tag[k] = -1;
}

double lsi_sym_tail_at(lsi_sym *e, int64_t y, long j, int64_t last)
{
    lsi_sym_tail *tl = &e->tl;
    if (y < 0)
        return 0; /* every input before the frame: zero */
    const int64_t bi = y / (int64_t)tl->B;
    const size_t k = (size_t)j * 2 + (size_t)(bi & 1);
    if (tl->out_tag[k] != bi) {
        if ((bi + 1) * (int64_t)tl->B - 1 > last) {
            e->bad = 1; /* its inputs are not generated yet: a bug */
            return 0;
        }
        tail_block(e, bi, j);
    }
    return tl->T[k * tl->B + (size_t)(y - bi * (int64_t)tl->B)];
}

/*
 * The FFT form of a crosstalk aggressor in the symbol-rate engine (docs/engines.md "Crosstalk
 * aggressors"), for an aggressor without TX jitter: its DAC holds u_m on UI m, and within block b of B
 * UIs the UIs lie on one grid, UI bB + k from start_b + k sps (receiver positions; start_b the block's
 * regular start, link_symbol_xtalk.c), except that the first d_b samples of the block's first UI were
 * dropped. With S the step response of the aggressor's path to the sampler and G[x] = S[x] - S[x - sps]
 * its one-UI pulse, the receiver reads at sample ti (x = ti - start_b)
 *   x_A[ti] = b_0 (Stot - S[ti - start_0 - d_0])
 *           + sum_b ( sum_k u_{bB+k} G[x - k sps]  -  u_{bB} (S[x] - S[x - d_b]) ),
 * the first term the level before block 0, the last the dropped part of each block's first UI. With
 * x = Q sps + j the inner sum is the linear convolution of the block's B values with the phase-j kernel
 * K_j[r] = G[(r + r0) sps + j] at Q - r0: one forward FFT (size N >= B + Lt - 1, no wrap) per block
 * and one product and inverse per block and phase read, kept in a small cache of phases per block.
 * Exact up to float rounding (the same S, cut, as the direct sum).
 */
#include <math.h>
#include <string.h>

#include "link_internal.h"
#include "link_symbol.h"
#include "ls_internal.h"

static int64_t fdiv(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* S at any x: 0 before the cut span, Stot after it */
static double s_at(const lsi_sym_xt *x, int64_t k)
{
    return k < x->s_lo ? 0.0 : k >= x->s_hi ? x->Stot : x->S[k - (x->s_lo - 2)];
}

ls_status lsi_sym_xtf_build(lsi_sym_xt *x)
{
    const int64_t sps = x->sps;
    x->r0 = (long)fdiv(x->s_lo, sps);
    x->Lt = (size_t)(fdiv(x->s_hi + sps - 1, sps) - x->r0 + 1);
    x->N = lsi_pow2_at_least(x->B + x->Lt - 1);
    x->nslot = (x->B * (size_t)sps + (size_t)(x->s_hi - x->s_lo) + 2 * (size_t)sps) / (x->B * (size_t)sps - (size_t)sps) + 3;
    const size_t nf = x->N / 2 + 1;
    ls_status st = LS_OK;
    if (!(x->fft = lsi_rfft_create(x->N, &st)))
        return st != LS_OK ? st : LS_EFFT;
    if (!(x->Fk = ls_alloc_n((size_t)sps * nf, sizeof *x->Fk)) || !(x->U = ls_alloc_n(x->nslot * nf, sizeof *x->U)) ||
        !(x->start = ls_alloc_n(x->nslot, sizeof *x->start)) || !(x->drop = ls_alloc_n(x->nslot, sizeof *x->drop)) ||
        !(x->ufirst = ls_alloc_n(x->nslot, sizeof *x->ufirst)) ||
        !(x->out = ls_alloc_n(x->nslot * LSI_XT_NPH * x->N, sizeof *x->out)) ||
        !(x->out_ph = ls_alloc_n(x->nslot * LSI_XT_NPH, sizeof *x->out_ph)) ||
        !(x->out_next = ls_alloc_n(x->nslot, sizeof *x->out_next)))
        return LS_ENOMEM;
    float *t = lsi_rfft_time(x->fft);
    for (int64_t j = 0; j < sps; j++) {
        memset(t, 0, x->N * sizeof *t);
        for (size_t r = 0; r < x->Lt; r++) {
            const int64_t k = ((int64_t)r + x->r0) * sps + j;
            t[r] = (float)((s_at(x, k) - s_at(x, k - sps)) / (double)x->N);
        }
        lsi_rfft_forward(x->fft);
        memcpy(x->Fk + (size_t)j * nf, lsi_rfft_freq(x->fft), nf * sizeof *x->Fk);
    }
    return LS_OK;
}

void lsi_sym_xtf_free(lsi_sym_xt *x)
{
    lsi_rfft_destroy(x->fft);
    ls_free(x->Fk);
    ls_free(x->U);
    ls_free(x->start);
    ls_free(x->drop);
    ls_free(x->ufirst);
    ls_free(x->out);
    ls_free(x->out_ph);
    ls_free(x->out_next);
}

/* Block b (its B UI values u) into its slot: the grid, the drop, the input spectrum. */
void lsi_sym_xtf_block(lsi_sym_xt *x, int64_t b, const double *u, int64_t start, uint32_t drop)
{
    const size_t sl = (size_t)b % x->nslot, nf = x->N / 2 + 1;
    float *t = lsi_rfft_time(x->fft);
    for (size_t k = 0; k < x->B; k++)
        t[k] = (float)u[k];
    memset(t + x->B, 0, (x->N - x->B) * sizeof *t);
    lsi_rfft_forward(x->fft);
    memcpy(x->U + sl * nf, lsi_rfft_freq(x->fft), nf * sizeof *x->U);
    x->start[sl] = start;
    x->drop[sl] = drop;
    x->ufirst[sl] = u[0];
    for (size_t k = 0; k < LSI_XT_NPH; k++)
        x->out_ph[sl * LSI_XT_NPH + k] = -1;
    x->out_next[sl] = 0;
    if (!b)
        x->start0 = start + drop;
}

int lsi_sym_xtf_need(const lsi_sym_xt *x, int64_t ti)
{
    return !x->blk || x->start[(size_t)(x->blk - 1) % x->nslot] + x->s_lo <= ti + 1;
}

/* The block in slot sl through phase j's kernel at output n (computed when not in the cache). */
static double conv_at(lsi_sym_xt *x, size_t sl, int32_t j, int64_t n)
{
    int32_t *ph = x->out_ph + sl * LSI_XT_NPH;
    size_t e = 0;
    while (e < LSI_XT_NPH && ph[e] != j)
        e++;
    if (e == LSI_XT_NPH) {
        const size_t nf = x->N / 2 + 1;
        e = x->out_next[sl];
        x->out_next[sl] = (uint32_t)((e + 1) % LSI_XT_NPH);
        lsi_sym_cmul((float *)lsi_rfft_freq(x->fft), (const float *)(x->U + sl * nf),
                     (const float *)(x->Fk + (size_t)j * nf), nf, 0);
        lsi_rfft_inverse(x->fft);
        memcpy(x->out + (sl * LSI_XT_NPH + e) * x->N, lsi_rfft_time(x->fft), x->N * sizeof *x->out);
        ph[e] = j;
    }
    return x->out[(sl * LSI_XT_NPH + e) * x->N + (size_t)n];
}

/* the blocks that reach ti + 1 are made (lsi_sym_xtf_need, by the caller) */
int lsi_sym_xtf_pair(lsi_sym_xt *x, int64_t ti, double *c0, double *c1)
{
    const int64_t sps = x->sps, L = (int64_t)x->B * sps, nout = (int64_t)(x->B + x->Lt - 1);
    double a[2] = { 0, 0 };
    for (int64_t b = x->blk - 1; b >= 0; b--) {
        if (b < x->blk - (int64_t)x->nslot)
            return 0;
        const size_t sl = (size_t)b % x->nslot;
        const int64_t x0 = ti - x->start[sl];
        if (x0 > L + x->s_hi + sps) /* every UI of it (and of the older blocks) has passed its pulse */
            break;
        for (int k = 0; k < 2; k++) {
            const int64_t xk = x0 + k, q = fdiv(xk, sps), n = q - x->r0;
            double v = n >= 0 && n < nout ? conv_at(x, sl, (int32_t)(xk - q * sps), n) : 0.0;
            v -= x->ufirst[sl] * (s_at(x, xk) - s_at(x, xk - x->drop[sl]));
            a[k] += v;
        }
    }
    *c0 = a[0] + x->b0 * (x->Stot - s_at(x, ti - x->start0));
    *c1 = a[1] + x->b0 * (x->Stot - s_at(x, ti + 1 - x->start0));
    return 1;
}

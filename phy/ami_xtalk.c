/*
 * AMI_Init of a receiver model with crosstalk aggressors (docs/ibis-ami.md "Aggressors"; IBIS 7.x
 * AMI_Init's impulse matrix: column 0 the victim's impulse response, columns 1..n the aggressors',
 * row_size samples each, in 1/s at the model's sample interval, n <= Max_Init_Aggressors).
 * Aggressor k's column is its response from its DAC to the model's input:
 *     h_k[n] = sum_m a_k[m] h_c[n - m],
 * a_k the xtalk block's path FIR of the aggressor (TX filter, packages, coupling; taps, sum = DC gain)
 * and h_c the impulse response (1/s) of the blocks between the xtalk block and the model. The model
 * returns its equalized responses g_k; the aggressor's pulse at the model's output, its TX pulse
 * convolved with g_k / fs (ls_xtalk_set_end_pulse), replaces in the statistical analysis the
 * propagation of the aggressor through the later stages. For an LTI model the model's answer is the
 * equalization fitted on the victim (lsi_ami_fit); for a model whose Init is not LTI (adaptation, a
 * crosstalk canceller) the model's own answer is used, as the specification intends. Aggressors beyond
 * Max_Init_Aggressors get the fitted equalization, h_k convolved with its taps, likewise as an end pulse
 * (a GetWave block is no FIR stage, so the link's propagation would pass over it).
 */
#include <complex.h>
#include <stdlib.h>
#include <string.h>

#include "ami_internal.h"
#include "lanesim/xtalk.h"
#include "ls_internal.h"

/* out[0..rows) = (a * h_c)[pre..pre + rows) by FFT (N >= na + rows points: linear, not circular); a is
   float (fa) or double (da). */
static ls_status conv_column(const float *fa, const double *da, size_t na, size_t pre, const double *hc, size_t rows,
                             double *out)
{
    const size_t N = lsi_pow2_at_least(na + rows);
    double complex *A = calloc(N, sizeof *A), *C = calloc(N, sizeof *C);
    if (!A || !C) {
        free(A);
        free(C);
        return LS_ENOMEM;
    }
    for (size_t i = 0; i < na; i++)
        A[i] = fa ? fa[i] : da[i];
    for (size_t i = 0; i < rows; i++)
        C[i] = hc[i];
    lsi_ami_fft(A, N, 0);
    lsi_ami_fft(C, N, 0);
    for (size_t k = 0; k < N; k++)
        A[k] *= C[k];
    lsi_ami_fft(A, N, 1);
    for (size_t i = 0; i < rows; i++)
        out[i] = i + pre < N ? creal(A[i + pre]) / (double)N : 0.0;
    free(A);
    free(C);
    return LS_OK;
}

/* The impulse matrix: the victim's column over blocks[0..i_ami), the aggressors' over their path FIR
   and blocks (i_xt..i_ami); *rows holds the longest of them. */
static ls_status make_matrix(const ls_block *blocks, size_t i_xt, size_t i_ami, size_t n_agg, double fs,
                             double **mat, size_t *rows)
{
    const ls_block *after = n_agg ? blocks + i_xt + 1 : blocks;
    const size_t n_after = n_agg ? i_ami - i_xt - 1 : 0;
    size_t n = ls_ami_chain_length(blocks, i_ami, fs), nc = n_agg ? ls_ami_chain_length(after, n_after, fs) : 0;
    for (size_t k = 0; k < n_agg; k++) {
        size_t na;
        ls_xtalk_path_fir(&blocks[i_xt], k, &na);
        n = LS_MAX(n, lsi_pow2_at_least(na + nc));
    }
    double *m = ls_alloc_n(n * (1 + n_agg), sizeof *m), *hc = ls_alloc_n(n, sizeof *hc);
    ls_status st = m && hc ? LS_OK : LS_ENOMEM;
    if (st == LS_OK)
        st = ls_ami_chain_impulse(blocks, i_ami, fs, m, n);
    if (st == LS_OK && n_agg)
        st = ls_ami_chain_impulse(after, n_after, fs, hc, n);
    for (size_t k = 0; st == LS_OK && k < n_agg; k++) {
        size_t na;
        const float *a = ls_xtalk_path_fir(&blocks[i_xt], k, &na);
        st = conv_column(a, NULL, na, 0, hc, n, m + (k + 1) * n);
    }
    ls_free(hc);
    if (st != LS_OK) {
        ls_free(m);
        return st;
    }
    *mat = m;
    *rows = n;
    return LS_OK;
}

ls_status ls_ami_block_init_rx(ls_block *blocks, size_t n_blocks, size_t i_ami, double fs, char *msg, size_t cap)
{
    if (!blocks || i_ami >= n_blocks || !ls_ami_block_is(&blocks[i_ami]) || !(fs > 0))
        return LS_EINVAL;
    size_t i_xt = SIZE_MAX, n_all = 0, n_agg = 0;
    for (size_t i = 0; i < i_ami; i++)
        if (ls_xtalk_count(&blocks[i]))
            i_xt = i;
    /* the returned pulses are the aggressors' at the chain's end: only for the last block */
    if (i_xt != SIZE_MAX && i_ami + 1 == n_blocks)
        n_all = ls_xtalk_count(&blocks[i_xt]);
    n_agg = LS_MIN(n_all, ls_ami_block_max_aggressors(&blocks[i_ami]));
    double *m = NULL, *y = NULL;
    size_t rows = 0;
    char why[1400] = "";
    ls_status st = make_matrix(blocks, i_xt, i_ami, n_all, fs, &m, &rows);
    if (st != LS_OK)
        lsi_say(why, sizeof why, "the chain's impulse response: %s", ls_strerror(st));
    else
        st = ls_ami_block_init_matrix(&blocks[i_ami], m, rows, n_agg, why, sizeof why);
    /* aggressors the model does not take: through its fitted equalization (a GetWave block is no FIR
       stage of the link, so the link's own propagation would skip it) */
    const double *g = NULL;
    size_t ng = 0, g_pre = 0;
    if (st == LS_OK && n_all > n_agg && (st = lsi_ami_block_taps(&blocks[i_ami], &g, &ng, &g_pre)) == LS_OK &&
        !(y = ls_alloc_n(rows, sizeof *y)))
        st = LS_ENOMEM;
    for (size_t k = 0; st == LS_OK && k < n_all; k++) {
        size_t r = rows;
        const double *out = k < n_agg ? ls_ami_block_aggressor(&blocks[i_ami], k, &r) : y;
        if (k >= n_agg)
            st = conv_column(NULL, g, ng, g_pre, m + (k + 1) * rows, rows, y);
        if (st == LS_OK)
            st = ls_xtalk_set_end_pulse(&blocks[i_xt], k, out, r, fs);
        if (st != LS_OK)
            lsi_say(why, sizeof why, "aggressor %zu: %s", k + 1, ls_strerror(st));
    }
    ls_free(m);
    ls_free(y);
    if (st != LS_OK)
        lsi_say(msg, cap, "%s", why);
    return st;
}

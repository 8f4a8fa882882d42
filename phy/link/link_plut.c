/*
 * Pattern-dependent levels of a non-linear (optical) chain for the statistical analysis
 * (docs/statistical.md "Pattern-dependent levels"). A chain with an EML, a ring, a square-law
 * photodiode or a limiting driver answers a symbol with a level that depends on its neighbours
 * (ISI ahead of the non-linearity is compressed unevenly), and its shot noise and RIN depend on the
 * level. The link's own chain is run once over PT_SYMBOLS symbols of its pattern (the blocks'
 * process ops: every non-linearity and memory exactly as in a Monte Carlo run), sampled at the
 * ideal-CDR phase through the receiver's ADC and FFE (a private receiver: fixed taps, no DFE, no
 * adaptation); with the DFE fed the transmitted symbols' nominal values vd,
 *     y_k = FFE_k - dcq - sum_j b_j vd(a_{k-j}),
 * and the linear ISI of the cursors outside the neighbourhood removed with the small-signal pulse,
 *     r_k = y_k - sum_{j outside [-pre, post]} (c_j - b_j) u(a_{k-j})     (u the static levels),
 * the table is the mean of r_k per neighbourhood (a_{k-pre} .. a_{k+post}) -- a look-up-table
 * (zeroth-order) Volterra model of the chain, the noise averaging out as 1/sqrt(count) -- and the
 * per-level noise the variance of r_k about its table entry given a_k (signal-dependent noise, ADC,
 * TX RJ and the unexplained non-linear ISI). The run's transmitter has no dual-Dirac jitter (DJ): bounded,
 * it is no Gaussian, and the analysis adds it as a discrete mixture (link_stat.c, stateye_dfe.c).
 * Cost: one Monte Carlo run of PT_SYMBOLS symbols.
 */
#include <math.h>
#include <string.h>

#include "lanesim/pam.h"
#include "lanesim/rx.h"
#include "lanesim/tx.h"
#include "link_internal.h"
#include "ls_internal.h"

#define PT_SYMBOLS 32768u /* counted symbols (about 500 per pattern of three PAM4 symbols) */
#define PT_PRE 1u
#define PT_POST 1u
#define PT_MIN_COUNT 16u  /* a pattern seen fewer times leaves the chain to the static levels */
#define PT_SEED 0x5EEDC0DEull

/* The chain's FFE outputs y[0..n) (no DC) for the transmitted levels lv[0..n) (private receiver). */
static ls_status pt_simulate(ls_link *l, const ls_rx_config *rc0, size_t warm, size_t n, double *y, uint8_t *lv)
{
    ls_rx_config rc = *rc0;
    rc.cdr = LS_CDR_IDEAL;
    rc.cdr_init_ui = 0;
    rc.adapt = LS_ADAPT_NONE;
    rc.level_mu = 0;
    rc.dfe_taps = 0;
    rc.stream = 201;
    ls_status st;
    ls_rx *rx = ls_rx_create(&rc, &st);
    float *yo = rx ? ls_alloc_n(l->rx_cap, sizeof *yo) : NULL;
    /* the dual-Dirac TX jitter is bounded: the analysis adds it as a discrete mixture, so the per-level
       noise measured here must not carry it (a private transmitter without DJ, swapped in for the run) */
    ls_tx_config tc = l->pat_tx;
    tc.dj_ui = 0;
    ls_tx *tx_keep = l->tx, *tx = NULL;
    if (rx && yo && l->pat_tx.dj_ui > 0) {
        if (!(tx = ls_tx_create(&tc, &st)))
            goto done;
        l->tx = tx;
    }
    if (!rx || !yo) {
        st = rx ? LS_ENOMEM : st;
        goto done;
    }
    const size_t k_end = warm + n, C = l->chunk, sps = l->info.sps;
    if ((st = ls_tx_start(l->tx, PT_SEED, 0, -(int64_t)warm)) != LS_OK ||
        (st = lsi_link_reset_stages(l, PT_SEED, 0)) != LS_OK || (st = ls_rx_start(rx, PT_SEED, 0, k_end)) != LS_OK)
        goto done;
    size_t k_gen = 0, k_done = 0;
    while (k_done < k_end && st == LS_OK) {
        if ((st = lsi_link_generate_chunk(l, k_gen, C)) != LS_OK || (st = lsi_link_run_stages(l, l->n_st, C * sps, NULL)) != LS_OK)
            break;
        k_gen += C;
        if (l->invert)
            for (size_t i = 0; i < C * sps; i++)
                l->wave[i] = -l->wave[i];
        size_t nd;
        uint64_t k0;
        if ((st = ls_rx_process(rx, l->wave, C * sps, l->rx_level, yo, l->rx_cap, &nd, &k0)) != LS_OK)
            break;
        for (size_t i = 0; i < nd && k0 + i < k_end; i++) {
            const size_t k = (size_t)k0 + i;
            if (k >= warm) {
                y[k - warm] = (double)yo[i] - l->dcq;
                lv[k - warm] = l->ring_level[k & l->ring_mask];
            }
            k_done = k + 1;
        }
    }
done:
    l->tx = tx_keep;
    ls_tx_destroy(tx);
    ls_free(yo);
    ls_rx_destroy(rx);
    return st;
}

/* r_k of the file comment in place over k in [lo, n - hi), from y and the levels: per cursor j and level a
   the subtracted amount w_j(a) = b_j vd(a) + c_j u(a) (c_j = 0 inside the neighbourhood) is tabulated
   once, so the loop over k is a look-up and an add per cursor; cursors whose every w_j(a) is below 1e-7 of
   the main cursor are left out (the FIR tails of a fused group span thousands of samples at 1e-9 and
   less). Returns LS_ENOMEM or LS_OK. */
static ls_status pt_residual(const ls_link *l, double *y, const uint8_t *lv, size_t n, long jlo, long jhi)
{
    double vd[LS_PAM_MAX_LEVELS];
    ls_pam_levels(l->info.levels, 1.0, vd);
    const long sps = (long)l->info.sps, m = (long)l->peq_main, M = (long)l->info.levels;
    double *w = ls_alloc_n((size_t)(jhi - jlo + 1) * (size_t)M, sizeof *w);
    long *keep = ls_alloc_n((size_t)(jhi - jlo + 1), sizeof *keep), nk = 0;
    if (!w || !keep) {
        ls_free(w);
        ls_free(keep);
        return LS_ENOMEM;
    }
    const double floor_v = 1e-7 * fabs((double)l->peq[l->peq_main]);
    for (long j = jlo; j <= jhi; j++) {
        const double b = j >= 1 && (unsigned)j <= l->n_dfe ? l->dfe[j - 1] : 0.0;
        const long i = m + j * sps;
        const int outside = j > (long)PT_PRE || j < -(long)PT_POST; /* cursor j: symbol a_{k-j} */
        const double c = outside && i >= 0 && i < (long)l->n_peq ? (double)l->peq[i] : 0.0;
        double big = 0;
        for (long a = 0; a < M; a++) {
            w[(j - jlo) * M + a] = j ? b * vd[a] + c * l->lv_eff[a] : 0.0;
            big = fmax(big, fabs(w[(j - jlo) * M + a]));
        }
        if (big > floor_v)
            keep[nk++] = j - jlo;
    }
    for (size_t k = (size_t)jhi; k + (size_t)(-jlo) < n; k++) { /* lv[k - j] in range for every j */
        double r = y[k];
        const uint8_t *q = lv + (long)k - jlo; /* q[-(j - jlo)] = lv[k - j] */
        for (long i = 0; i < nk; i++)
            r -= w[keep[i] * M + q[-keep[i]]];
        y[k] = r;
    }
    ls_free(w);
    ls_free(keep);
    return LS_OK;
}

ls_status lsi_link_pattern_table(ls_link *l, const ls_rx_config *rc, char *msg, size_t cap)
{
    const unsigned M = l->info.levels, W = PT_PRE + 1 + PT_POST;
    if (!l->cwave || rc->mlse_on || M > 8)
        return LS_OK; /* electrical chains: the static levels are exact (no non-linear block) */
    unsigned npat = 1;
    for (unsigned i = 0; i < W; i++)
        npat *= M;
    const long sps = (long)l->info.sps, jlo = -(long)(l->peq_main / (size_t)sps),
               jhi = (long)((l->n_peq - 1 - l->peq_main) / (size_t)sps);
    const long jl = LS_MIN(jlo, -(long)PT_POST), jh = LS_MAX(jhi, LS_MAX((long)PT_PRE, (long)l->n_dfe));
    const size_t n = PT_SYMBOLS + (size_t)(jh - jl), warm = l->info.memory_symbols + 64;
    double *y = ls_alloc_n(n, sizeof *y), *sum = ls_alloc_n(npat, sizeof *sum), *var = ls_alloc_n(npat, sizeof *var);
    uint8_t *lv = ls_alloc_n(n, 1);
    size_t *cnt = ls_alloc_n(npat, sizeof *cnt);
    ls_status st = LS_ENOMEM;
    if (!y || !sum || !var || !lv || !cnt)
        goto done;
    if ((st = pt_simulate(l, rc, warm, n, y, lv)) != LS_OK) {
        lsi_say(msg, cap, "pattern-dependent levels: chain simulation failed (%s)", ls_strerror(st));
        goto done;
    }
    if ((st = pt_residual(l, y, lv, n, jl, jh)) != LS_OK)
        goto done;
    for (size_t k = (size_t)jh; k + (size_t)(-jl) < n; k++) {
        unsigned p = 0;
        for (long j = -(long)PT_PRE; j <= (long)PT_POST; j++)
            p = p * M + lv[(long)k + j];
        sum[p] += y[k];
        var[p] += y[k] * y[k];
        cnt[p]++;
    }
    double s2[8] = {0}, c2[8] = {0};
    for (unsigned p = 0; p < npat; p++) {
        if (cnt[p] < PT_MIN_COUNT)
            goto done; /* st = LS_OK: no table */
        const unsigned a = (p / M) % M; /* the centre symbol (PT_POST = 1) */
        sum[p] /= (double)cnt[p];
        s2[a] += var[p] - (double)cnt[p] * sum[p] * sum[p];
        c2[a] += (double)cnt[p] - 1.0;
    }
    for (unsigned a = 0; a < M; a++)
        l->pat_sigma[a] = sqrt(LS_MAX(0.0, s2[a] / c2[a]));
    l->pat_pre = PT_PRE;
    l->pat_post = PT_POST;
    l->pat_v = sum;
    sum = NULL;
done:
    ls_free(y);
    ls_free(sum);
    ls_free(var);
    ls_free(lv);
    ls_free(cnt);
    return st;
}

/*
 * The statistical analysis of an assembled link (ls_link_stat: the statistical eye of the
 * equalized pulse with the link's noise, jitter and crosstalk, phy/stateye) and the COM-style
 * margin read off it (ls_link_com: COM = 20 log10(A_s / A_ni), IEEE 802.3 Annex 93A eq. 93A-45
 * family). Equations: docs/statistical.md.
 */
#include <math.h>
#include <string.h>

#include "lanesim/pam.h"
#include "lanesim/stateye.h"
#include "ls_internal.h"
#include "link_internal.h"

/*
 * Crosstalk in the statistical analysis (docs/crosstalk.md): the aggressors' symbol-spaced samples enter
 * as extra cursors with their own independent symbols (the COM crosstalk PMFs, 93A-33/44), appended to
 * the victim's pulse so that the engine convolves their PAM distributions with the ISI; the Gaussian
 * noise keeps every other source. An aggressor's phase against the victim's clock is uniform (as in the
 * Monte Carlo), so probabilities are averaged over XT_PHASES phase draws, aggressor i taking phase
 * index (j (2i + 1) + i) mod n in draw j (each aggressor sees every phase once); eye heights and widths
 * are those of the worst draw.
 */
#define XT_PHASES 8u

static ls_status stat_with_xtalk(const ls_link *l, ls_stateye_config *sc, ls_stateye_result *r)
{
    const size_t sps = l->info.sps, nph = LS_MIN(sps, XT_PHASES), c = l->peq_main;
    size_t total = l->n_peq;
    for (size_t i = 0; i < l->n_xt; i++)
        total += 2 * sps + l->xt_n[i];
    float *p = ls_alloc_n(total, sizeof *p);
    if (!p)
        return LS_ENOMEM;
    const double xv = l->info.xtalk_rms_v, nv = l->info.noise_rms_v;
    sc->sigma_noise = sqrt(LS_MAX(nv * nv - xv * xv, 0.0) + l->info.jitter_rms_v * l->info.jitter_rms_v);
    ls_stateye_result acc, one;
    memset(&acc, 0, sizeof acc);
    ls_status st = LS_OK;
    for (size_t j = 0; j < nph && st == LS_OK; j++) {
        memset(p, 0, total * sizeof *p);
        memcpy(p, l->peq, l->n_peq * sizeof *p);
        size_t end = l->n_peq;
        for (size_t i = 0; i < l->n_xt; i++) {
            /* aggressor sample phi + k sps lands on the cursor grid c + m sps: offset o = c - phi (mod sps) */
            const size_t phi = (j * (2 * i + 1) + i) % nph * sps / nph, want = (c % sps + sps - phi) % sps;
            size_t o = end + sps;
            o += (want + sps - o % sps) % sps;
            memcpy(p + o, l->xt_g[i], l->xt_n[i] * sizeof *p);
            end = o + l->xt_n[i];
        }
        sc->pulse = p;
        sc->n_pulse = end;
        if ((st = ls_stateye_run(sc, &one)) != LS_OK)
            break;
        acc.ser += one.ser / (double)nph;
        acc.ber += one.ber / (double)nph;
        for (size_t e = 0; e < 7; e++) {
            acc.ser_eye[e] += one.ser_eye[e] / (double)nph;
            if (!j || one.eye[e].opening_v < acc.eye[e].opening_v)
                acc.eye[e] = one.eye[e];
        }
        for (size_t k = 0; k < 128; k++) {
            acc.bathtub_ber[k] += one.bathtub_ber[k] / (double)nph;
            acc.phase_ui[k] = one.phase_ui[k];
        }
        acc.n_phase = one.n_phase;
    }
    ls_free(p);
    if (st != LS_OK)
        return st;
    acc.vertical_opening_v = INFINITY;
    for (unsigned e = 0; e + 1 < l->info.levels; e++)
        acc.vertical_opening_v = LS_MIN(acc.vertical_opening_v, acc.eye[e].height_v);
    *r = acc;
    return LS_OK;
}

ls_status ls_link_stat(const ls_link *l, double target_ber, ls_stateye_result *r)
{
    if (!l || !r)
        return LS_EINVAL;
    ls_stateye_config sc;
    ls_stateye_config_init(&sc);
    sc.pulse = l->peq;
    sc.n_pulse = l->n_peq;
    sc.sps = l->info.sps;
    sc.main_index = l->peq_main;
    sc.levels = l->info.levels;
    sc.rlm = l->rlm;
    sc.level_values = l->lv_eff;
    sc.dfe = l->n_dfe ? l->dfe : NULL;
    sc.n_dfe = l->n_dfe;
    float th[7];
    for (unsigned i = 0; i + 1 < l->info.levels; i++) /* the engine's levels carry no DC */
        th[i] = (float)(l->info.thresholds[i] - l->dcq);
    sc.thresholds = th;
    sc.sigma_noise = sqrt(l->info.noise_rms_v * l->info.noise_rms_v + l->info.jitter_rms_v * l->info.jitter_rms_v);
    sc.rj_ui = 0; /* TX jitter enters as noise (tx_jitter_var); no RX sampling jitter is modelled */
    sc.dj_ui = 0;
    sc.target_ber = target_ber;
    return l->n_xt ? stat_with_xtalk(l, &sc, r) : ls_stateye_run(&sc, r);
}


ls_status ls_link_com(const ls_link *l, double der0, double *com_db)
{
    if (!l || !com_db || !(der0 > 0 && der0 <= 0.1))
        return LS_EINVAL;
    const unsigned M = l->info.levels;
    /* the stat eye's contour sits where tail / (2 log2 M) = target: tail = DER0 / (2 (1 - 1/M)) */
    const double tail = der0 / (2.0 * (1.0 - 1.0 / M)), target = tail / (2.0 * ls_pam_bits(M));
    ls_stateye_result r;
    ls_status st = ls_link_stat(l, LS_MAX(target, 1e-15), &r);
    if (st != LS_OK)
        return st;
    const double h0 = l->peq[l->peq_main];
    double com = INFINITY;
    for (unsigned e = 0; e + 1 < M; e++) {
        /* the unclamped opening: a closed eye (A_ni > A_s) gives a negative COM */
        double as = 0.5 * h0 * (l->lv_eff[e + 1] - l->lv_eff[e]), ani = as - 0.5 * r.eye[e].opening_v;
        com = LS_MIN(com, ani > 0 && as > 0 ? 20.0 * log10(as / ani) : ani <= 0 ? INFINITY : -99.0);
    }
    *com_db = isfinite(com) ? com : 99.0; /* no interference at all: a large finite margin */
    return LS_OK;
}

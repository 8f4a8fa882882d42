/*
 * The statistical analysis of an assembled link (ls_link_stat: the statistical eye of the
 * equalized pulse with the link's noise, jitter and crosstalk, phy/stateye) and the COM-style
 * margin read off it (ls_link_com: COM = 20 log10(A_s / A_ni), IEEE 802.3 Annex 93A eq. 93A-45
 * family). Equations: docs/statistical.md.
 */
#include <math.h>
#include <string.h>

#include "lanesim/fec.h"
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

/*
 * One statistical evaluation: the eye, bathtub and error-free-history error probabilities of the
 * engine (ls_stateye_run), then SER, BER and the error events at the nominal phase with DFE error
 * propagation, precoding, the pattern-dependent levels and the per-level noise of a non-linear
 * chain (ls_stateye_errprop; docs/statistical.md), which replace the engine's ser, ber and ser_eye.
 * The DFE feeds back the nominal level values, as the receiver does (phy/rx.c); the KP4 CER comes
 * from the events (ls_fec_cer_events).
 */
static ls_status stat_one(const ls_link *l, const ls_stateye_config *sc, ls_stateye_result *r)
{
    ls_status st = ls_stateye_run(sc, r);
    if (st != LS_OK)
        return st;
    double vd[8];
    if ((st = ls_pam_levels(l->info.levels, 1.0, vd)) != LS_OK)
        return st;
    ls_stateye_errprop_config ec = {.precoding = l->precoding, .dfe_values = vd};
    double sig[8];
    if (l->pat_v) {
        ec.pattern_v = l->pat_v;
        ec.pat_pre = l->pat_pre;
        ec.pat_post = l->pat_post;
        /* the table's noise was measured without DJ (link_plut.c): the two edges of the symbol enter as
           a dual-Dirac mixture, the other edges' DJ as Gaussian variance (DJ/2)^2 2E[v^2] sum s'_k^2 */
        double g[2] = {0, 0}, rest2 = 0, ev2 = 0;
        if (l->dj_ui > 0 && l->pat_pre >= 1 && l->pat_post >= 1)
            lsi_link_tx_edge_slopes(l, g, &rest2);
        for (unsigned i = 0; i < l->info.levels; i++)
            ev2 += l->lv_eff[i] * l->lv_eff[i] / l->info.levels;
        const double hdj = 0.5 * l->dj_ui, vrest = hdj * hdj * 2.0 * ev2 * rest2;
        for (unsigned i = 0; i < l->info.levels; i++)
            sig[i] = sqrt(l->pat_sigma[i] * l->pat_sigma[i] + vrest);
        ec.level_sigma_v = sig;
        ec.edge_dj_v[0] = hdj * g[0];
        ec.edge_dj_v[1] = hdj * g[1];
    }
    ls_stateye_errprop_result e;
    if ((st = ls_stateye_errprop(sc, &ec, &e)) != LS_OK)
        return st;
    r->ser = e.ser;
    r->ber = e.ber;
    for (unsigned i = 0; i + 1 < l->info.levels; i++)
        r->ser_eye[i] = e.ser_eye[i];
    r->events_per_symbol = e.event_rate;
    r->errors_per_event = e.errors_per_event;
    const double per_cw = e.event_rate * (double)LS_RS_KP4_BITS / (double)ls_pam_bits(l->info.levels);
    r->cer_kp4 = e.event_rate > 0 ? ls_fec_cer_events(&LS_RS_KP4, per_cw, e.rs_hist, LS_STATEYE_RS_HIST) : 0.0;
    return LS_OK;
}

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
        if ((st = stat_one(l, sc, &one)) != LS_OK)
            break;
        acc.ser += one.ser / (double)nph;
        acc.events_per_symbol += one.events_per_symbol / (double)nph;
        acc.errors_per_event += one.errors_per_event / (double)nph;
        acc.cer_kp4 += one.cer_kp4 / (double)nph;
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

/* The statistical eye's inputs for this link: the equalized pulse, level values, DFE, thresholds
   (without the DC the engine's levels do not carry; th[] holds them), noise and TX jitter. */
static void stat_config(const ls_link *l, double target_ber, ls_stateye_config *sc, float *th)
{
    ls_stateye_config_init(sc);
    sc->pulse = l->peq;
    sc->n_pulse = l->n_peq;
    sc->sps = l->info.sps;
    sc->main_index = l->peq_main;
    sc->levels = l->info.levels;
    sc->rlm = l->rlm;
    sc->level_values = l->lv_eff;
    sc->dfe = l->n_dfe ? l->dfe : NULL;
    sc->n_dfe = l->n_dfe;
    for (unsigned i = 0; i + 1 < l->info.levels; i++) /* the engine's levels carry no DC */
        th[i] = (float)(l->info.thresholds[i] - l->dcq);
    sc->thresholds = th;
    sc->sigma_noise = sqrt(l->info.noise_rms_v * l->info.noise_rms_v + l->info.jitter_rms_v * l->info.jitter_rms_v);
    sc->rj_ui = 0; /* TX jitter enters as noise (tx_jitter_var); no RX sampling jitter is modelled */
    sc->dj_ui = 0;
    sc->target_ber = target_ber;
}

ls_status ls_link_stat(const ls_link *l, double target_ber, ls_stateye_result *r)
{
    if (!l || !r)
        return LS_EINVAL;
    if (!l->pat_done) {
        /* the pattern-dependent levels cost one chain run (link_plut.c): made once, at the first analysis,
           not for every link that is only simulated or probed (the CTLE search builds ~10) */
        ls_link *lw = (ls_link *)l; /* the link is never defined const: the table is a cache */
        lw->pat_done = 1;
        ls_status pst = lsi_link_pattern_table(lw, &lw->pat_rc, NULL, 0);
        if (pst != LS_OK)
            return pst;
    }
    ls_stateye_config sc;
    float th[7];
    stat_config(l, target_ber, &sc, th);
    ls_status st = l->n_xt ? stat_with_xtalk(l, &sc, r) : stat_one(l, &sc, r);
    for (unsigned e = 0; st == LS_OK && e + 1 < l->info.levels; e++)
        r->eye[e].center_v += l->dcq; /* at the slicer, as the Monte Carlo eye's */
    return st;
}

ls_status ls_link_stat_map(const ls_link *l, double target_ber, unsigned n_v, double v_min, double v_max,
                           double *ber_map)
{
    if (!l || !ber_map || !(v_min < v_max))
        return LS_EINVAL;
    ls_stateye_config sc;
    float th[7];
    stat_config(l, target_ber, &sc, th);
    return ls_stateye_map(&sc, n_v, v_min - l->dcq, v_max - l->dcq, ber_map);
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

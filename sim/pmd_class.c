/*
 * IEEE PMD class runs (docs/classes.md): the budget modes of the class presets
 * (channels/presets/pmd_class.c) and the class verdict of `run`.
 *
 * Worst case (class.budget = worst), per lane:
 *  - wavelength and fibre at the dispersion corner: the lane's wavelength at either end of its
 *    range (class.lanes_nm +- class.lane_window_nm) and the fibre's lambda0 at either corner
 *    (class.lambda0_min/max_nm, S0 = fibre.s0_ps_nm2_km), whichever pair gives the largest |D|,
 *    D = S0/4 (lambda - lambda0^4 / lambda^3) (ls_fibre_d_model);
 *  - fibre loss at the channel's maximum insertion loss: attenuation IL_max / reach, no
 *    connectors; the MPI/DGD/reflection allocation (class.penalty_db) as one lumped loss;
 *  - transmitter tuned to the class's TDECQ: modulator.bw_ghz bisected (log scale) until the
 *    TDECQ engine (phy/tdecq.c, 200G reference equalizer) measures class.tdecq_db at TP3 on the
 *    worst lane's fibre (once, on the lane with the largest |CD|; the other lanes use that
 *    transmitter); then laser.power_dbm set so that OMA_outer = OMA_min = class.oma_minus_tdecq_dbm
 *    + the TDECQ reached (the EML's OMA is proportional to the laser power: exact in one step);
 *  - receiver at its sensitivity (sim/class_rx.c): the TIA noise bisected until the whole receiver
 *    meets class.target_ber at OMA_outer = SRS with the SRS test signal (the class's transmitter
 *    back to back, tuned to TDECQ = SECQ); class.rx_calibrate = false: the thermal-noise closed form.
 * Typical (class.budget = typical): the preset's devices and fibre at the lane's centre wavelength.
 *
 * Verdict: every lane runs the Monte Carlo at the class reach; the worst lane's BER (after the
 * inner code where the class has one) against class.target_ber gives pass. Margin: the extra
 * optical loss (dB) that brings the statistical BER (after the inner code: its hard-decision
 * closed form) of the worst lane to the target, by bisection; negative when it fails. Where the
 * lane's statistical BER lies outside its Monte Carlo's 95 % interval, the bisection runs on
 * r BER_stat(x), r = BER_mc / BER_stat at x = 0 (mc_anchor): the margin starts from the measured BER
 * and so has the verdict's sign; margin_stat_db keeps the statistical one. Penalties
 * (dB) as the budget counts them: loss = IL, mpi = the allocation, tdecq = TECQ at TP2,
 * dispersion = TDECQ at TP3 - TECQ, receiver = the received OMA needed at the target minus the
 * ideal sensitivity SRS - SECQ and minus the TDECQ at TP3 (the receiver's implementation penalty:
 * equalizer noise, ADC, jitter, RIN, shot noise). limited_by: when the margin is negative, the
 * term furthest over its allocation (loss and mpi sit at theirs; tdecq + dispersion against
 * class.tdecq_db; receiver against 0); else the largest term.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanesim/fec.h"
#include "lanesim/optrx.h"
#include "lanesim/stateye.h"
#include "lanesim/stats.h"
#include "ls_internal.h"
#include "sim_internal.h"

/* The lane's wavelength and lambda0 at the corner of largest |D|. */
static void corner(const ls_config *c, double lane, double *lam, double *l0)
{
    const double w = ls_config_real(c, "class.lane_window_nm"), s0 = ls_config_real(c, "fibre.s0_ps_nm2_km");
    const double lams[2] = { lane - w, lane + w };
    const double l0s[2] = { ls_config_real(c, "class.lambda0_min_nm"), ls_config_real(c, "class.lambda0_max_nm") };
    double best = -1;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            const double d = fabs(ls_fibre_d_model(lams[i], l0s[j], s0));
            if (d > best) {
                best = d;
                *lam = lams[i];
                *l0 = l0s[j];
            }
        }
}

/* The fibre, receiver and wavelength of lane i in mode worst/typical; into c. */
static ls_status lane_setup(ls_config *c, double lane, int worst, double *cd, char *msg, size_t cap)
{
    /* the run's length is link.length_m (the class reach by default); the worst-case fibre has the
       class's IL_max over the class reach */
    const double reach = ls_config_real(c, "class.reach_m"), len = ls_config_real(c, "link.length_m");
    double lam = lane, l0 = ls_config_real(c, "fibre.lambda0_nm");
    ls_status st;
    if (worst)
        corner(c, lane, &lam, &l0);
    *cd = ls_fibre_d_model(lam, l0, ls_config_real(c, "fibre.s0_ps_nm2_km")) * len * 1e-3;
    if ((st = lsi_class_setv(c, "laser.wavelength_nm", lam, msg, cap)) != LS_OK ||
        (st = lsi_class_setv(c, "fibre.lambda0_nm", l0, msg, cap)) != LS_OK)
        return st;
    if (!worst)
        return LS_OK;
    if ((st = lsi_class_setv(c, "fibre.atten_db_km", ls_config_real(c, "class.il_max_db") / (reach * 1e-3), msg, cap)) != LS_OK ||
        (st = ls_config_set_assignment(c, "fibre.connectors=0", msg, cap)) != LS_OK ||
        (st = lsi_class_setv(c, "fibre.penalty_db", ls_config_real(c, "class.penalty_db"), msg, cap)) != LS_OK)
        return st;
    return LS_OK;
}

/* Extra loss x (dB) at which bias x the statistical BER of c reaches the target: bisection on log BER
   of the fibre attenuation (x may be negative down to the fibre's whole loss). NAN if not found. */
static double margin_db(const ls_config *c0, double target, int inner, double bias, char *msg, size_t cap)
{
    ls_config *c = ls_config_copy(c0);
    if (!c)
        return NAN;
    const double km = ls_config_real(c, "link.length_m") * 1e-3, a0 = ls_config_real(c, "fibre.atten_db_km");
    double lo = -a0 * km, hi = 0, m = NAN;
#define AT(x) (lsi_class_setv(c, "fibre.atten_db_km", a0 + (x) / km, msg, cap) == LS_OK ? bias * lsi_class_stat_ber(c, target, inner, msg, cap) : NAN)
    double b = AT(0.0);
    if (isnan(b))
        goto done;
    if (b <= target) { /* passes: grow the loss until it fails */
        lo = 0;
        for (hi = 1; hi < 40 && !(AT(hi) > target); hi *= 2)
            lo = hi;
        if (hi >= 40)
            goto done;
    } else if (!(AT(lo) <= target)) { /* fails even with a lossless fibre */
        m = -INFINITY;
        goto done;
    }
    for (int it = 0; it < 12; it++) {
        const double x = 0.5 * (lo + hi), bx = AT(x);
        if (isnan(bx))
            goto done;
        if (bx > target)
            hi = x;
        else
            lo = x;
    }
    m = 0.5 * (lo + hi);
#undef AT
done:
    ls_config_destroy(c);
    return m;
}

/* The margin's anchor (docs/classes.md "Margin"): the worst lane's Monte Carlo BER (r, the lane's run)
   over its statistical BER at the run's length when the statistical BER lies outside the Monte Carlo's
   95 % interval (their disagreement is significant), 1 otherwise. */
static double mc_anchor(const ls_config *wc, const ls_run_result *r, const ls_class_result *k, char *msg, size_t cap)
{
    const double s = lsi_class_stat_ber(wc, k->target_ber, k->inner, msg, cap);
    const double lo = k->inner ? r->ber.inner_ber_ci95_lo : r->ber.ber_ci95_lo,
                 hi = k->inner ? r->ber.inner_ber_ci95_hi : r->ber.ber_ci95_hi;
    if (!(s > 0) || !isfinite(s) || (s >= lo && s <= hi))
        return 1.0;
    const double mc = k->ber > 0 ? k->ber : hi;
    return mc > 0 ? mc / s : 1.0;
}

/* The penalties of the worst lane (resolved config c) and the limiting term. */
static void penalties(const ls_config *c, ls_class_result *k, char *msg, size_t cap)
{
    const int worst = !strcmp(ls_config_str(c, "class.budget"), "worst");
    const double tecq = lsi_class_tdecq_at(c, LS_LINK_TP2, msg, cap), tdecq = lsi_class_tdecq_at(c, LS_LINK_TP3, msg, cap);
    ls_status st;
    ls_link *l = ls_link_create(c, 64, msg, cap, &st);
    const double rx_oma = l ? ls_link_get_info(l)->received_oma_dbm : NAN;
    k->fibre_loss_db = l ? ls_link_get_info(l)->launch_oma_dbm - rx_oma : NAN;
    ls_link_destroy(l);
    const double ideal = ls_config_real(c, "class.srs_dbm") - ls_config_real(c, "class.secq_db");
    k->pen_db[LS_CLASS_MPI] = worst ? ls_config_real(c, "class.penalty_db") : 0.0;
    k->pen_db[LS_CLASS_LOSS] = k->fibre_loss_db - k->pen_db[LS_CLASS_MPI];
    k->pen_db[LS_CLASS_TDECQ] = tecq;
    k->pen_db[LS_CLASS_DISPERSION] = tdecq - tecq;
    k->pen_db[LS_CLASS_RECEIVER] = (rx_oma - k->margin_db) - ideal - tdecq;
    k->tecq_db = tecq;
    k->tdecq_tp3_db = tdecq;
    const double alloc[LS_CLASS_TERMS] = { k->pen_db[LS_CLASS_LOSS], k->pen_db[LS_CLASS_MPI],
                                           ls_config_real(c, "class.tdecq_db"), 0.0, 0.0 };
    int best = -1;
    double bv = -INFINITY;
    for (int i = 0; i < LS_CLASS_TERMS; i++) {
        double v = k->pen_db[i];
        if (k->margin_db < 0) /* over the allocation; TDECQ and dispersion share class.tdecq_db */
            v = i == LS_CLASS_TDECQ ? tdecq - alloc[i] : i == LS_CLASS_DISPERSION ? -INFINITY : v - alloc[i];
        if (isfinite(v) && v > bv) {
            bv = v;
            best = i;
        }
    }
    if (k->tx_noncompliant) /* no transmitter meets the TDECQ limit on this fibre corner */
        best = tecq <= ls_config_real(c, "class.tdecq_db") ? LS_CLASS_DISPERSION : LS_CLASS_TDECQ;
    static const char *const names[LS_CLASS_TERMS] = { "loss", "mpi", "tdecq", "dispersion", "receiver" };
    snprintf(k->limited_by, sizeof k->limited_by, "%s", best >= 0 ? names[best] : "unknown");
}

/* The class keys of c into k, and c resolved for lane i (a copy, into *out). */
static ls_status resolve_lane(const ls_config *c, const ls_config *tx, unsigned i, ls_class_result *k, ls_config **out,
                              char *msg, size_t cap)
{
    ls_config *r = ls_config_copy(tx ? tx : c);
    ls_status st = r ? LS_OK : LS_ENOMEM;
    double cd = 0;
    if (st == LS_OK)
        st = lane_setup(r, k->lane_nm[i], k->worst, &cd, msg, cap);
    if (st == LS_OK && k->tx_ready) /* the lane's own worst-case transmitter */
        if ((st = lsi_class_setv(r, "modulator.bw_ghz", k->lane_tx_bw_ghz[i], msg, cap)) == LS_OK)
            st = lsi_class_setv(r, "laser.power_dbm", k->lane_laser_dbm[i], msg, cap);
    k->lane_cd_ps_nm[i] = cd;
    k->lane_wavelength_nm[i] = ls_config_real(r, "laser.wavelength_nm");
    if (st != LS_OK) {
        ls_config_destroy(r);
        return st;
    }
    *out = r;
    return LS_OK;
}

/* The worst case's receiver (into base) and each lane's transmitter (a WDM module has one per lane):
   tuned to the class's TDECQ at TP3 on the lane's own fibre corner, at OMA_min for the TDECQ
   reached (capped at class.tdecq_db: a transmitter over the limit is not compliant and fails the
   class). Into k->lane_tx_bw_ghz, lane_laser_dbm, lane_tdecq_db. */
static ls_status worst_tx_rx(ls_config *base, double baud, ls_class_result *k, char *msg, size_t cap)
{
    ls_status st = lsi_class_receiver(base, baud, k, msg, cap);
    const double tmax = ls_config_real(base, "class.tdecq_db");
    k->tdecq_db = -INFINITY;
    for (unsigned i = 0; st == LS_OK && i < k->lanes; i++) {
        ls_config *t = NULL;
        if ((st = resolve_lane(base, NULL, i, k, &t, msg, cap)) != LS_OK)
            break;
        if (ls_config_bool(base, "class.tune_tx"))
            st = lsi_class_tune_tx(t, baud, tmax, &k->tdecq_db, &k->tx_bw_ghz, msg, cap);
        else
            k->tdecq_db = lsi_class_tdecq_at(t, LS_LINK_TP3, msg, cap), k->tx_bw_ghz = ls_config_real(t, "modulator.bw_ghz");
        const double td = k->tdecq_db;
        k->lane_tdecq_db[i] = td;
        if (st == LS_OK && !isfinite(td))
            st = LS_EINVAL;
        const double oma = ls_config_real(base, "class.oma_minus_tdecq_dbm") + LS_MIN(td, tmax);
        if (st == LS_OK)
            st = lsi_class_set_oma(t, oma, msg, cap);
        k->lane_tx_bw_ghz[i] = ls_config_real(t, "modulator.bw_ghz");
        k->lane_laser_dbm[i] = ls_config_real(t, "laser.power_dbm");
        ls_config_destroy(t);
    }
    double worst = -INFINITY;
    for (unsigned i = 0; i < k->lanes; i++)
        if (k->lane_tdecq_db[i] > worst) {
            worst = k->lane_tdecq_db[i];
            k->tx_bw_ghz = k->lane_tx_bw_ghz[i];
            k->oma_min_dbm = ls_config_real(base, "class.oma_minus_tdecq_dbm") + LS_MIN(worst, tmax);
        }
    k->tdecq_db = worst;
    k->tx_noncompliant = worst > tmax + 0.05;
    k->tx_ready = st == LS_OK;
    return st;
}

/* Every lane through the Monte Carlo; r = the worst lane's run. */
static ls_status run_lanes(const ls_config *base, ls_progress_fn progress, void *ctx, ls_class_result *k,
                           ls_config **worst_cfg, ls_run_result *r, char *msg, size_t cap)
{
    ls_status st = LS_OK;
    double worst = -1;
    for (unsigned i = 0; i < k->lanes && st == LS_OK; i++) {
        ls_config *lc = NULL;
        ls_run_result rl;
        memset(&rl, 0, sizeof rl);
        if ((st = resolve_lane(base, NULL, i, k, &lc, msg, cap)) != LS_OK)
            break;
        if ((st = lsi_run_plain(lc, progress, ctx, &rl, msg, cap)) != LS_OK) {
            ls_config_destroy(lc);
            break;
        }
        k->lane_ber[i] = k->inner ? rl.ber.inner_ber : rl.ber.ber;
        if (k->lane_ber[i] > worst || i == 0) {
            worst = k->lane_ber[i];
            k->worst_lane = i;
            ls_run_result_free(r);
            *r = rl;
            ls_config_destroy(*worst_cfg);
            *worst_cfg = lc;
        } else {
            ls_run_result_free(&rl);
            ls_config_destroy(lc);
        }
    }
    k->ber = worst;
    return st;
}

ls_status lsi_class_run(const ls_config *c, ls_progress_fn progress, void *ctx, ls_run_result *r, char *msg, size_t cap)
{
    ls_class_result k;
    memset(&k, 0, sizeof k);
    memset(r, 0, sizeof *r);
    k.on = 1;
    k.mc = 1;
    snprintf(k.name, sizeof k.name, "%s", ls_config_str(c, "class.name"));
    snprintf(k.budget, sizeof k.budget, "%s", ls_config_str(c, "class.budget"));
    k.worst = !strcmp(k.budget, "worst");
    k.reach_m = ls_config_real(c, "class.reach_m");
    k.target_ber = ls_config_real(c, "class.target_ber");
    k.inner = ls_config_find(c, "link.inner_fec") && ls_config_bool(c, "link.inner_fec");
    k.lanes = (unsigned)ls_config_list(c, "class.lanes_nm", k.lane_nm, LS_CLASS_MAX_LANES);
    if (!k.lanes) {
        k.lane_nm[0] = ls_config_real(c, "laser.wavelength_nm");
        k.lanes = 1;
    }
    ls_config *base = ls_config_copy(c), *wc = NULL;
    ls_status st = base ? LS_OK : LS_ENOMEM;
    ls_link *l = st == LS_OK ? ls_link_create(base, 64, msg, cap, &st) : NULL;
    const double baud = l ? ls_link_get_info(l)->baud : 0;
    ls_link_destroy(l);
    k.tdecq_db = NAN;
    if (st == LS_OK && k.worst)
        st = worst_tx_rx(base, baud, &k, msg, cap);
    if (st == LS_OK)
        st = run_lanes(base, progress, ctx, &k, &wc, r, msg, cap);
    if (st == LS_OK) {
        k.fibre_loss_db = r->link.launch_oma_dbm - r->link.received_oma_dbm;
        k.length_m = ls_config_real(c, "link.length_m");
        k.pass = k.ber <= k.target_ber && !k.tx_noncompliant;
        k.mc_stat_ratio = mc_anchor(wc, r, &k, msg, cap);
        k.margin_stat_db = margin_db(wc, k.target_ber, k.inner, 1.0, msg, cap);
        k.margin_db = k.mc_stat_ratio == 1.0 ? k.margin_stat_db
                                             : margin_db(wc, k.target_ber, k.inner, k.mc_stat_ratio, msg, cap);
        if (ls_config_bool(c, "class.limiting"))
            penalties(wc, &k, msg, cap);
        else
            snprintf(k.limited_by, sizeof k.limited_by, "not evaluated");
        if (!k.worst)
            k.tdecq_db = k.tdecq_tp3_db;
        r->cls = k;
    } else {
        ls_run_result_free(r);
    }
    ls_config_destroy(wc);
    ls_config_destroy(base);
    return st;
}

ls_status ls_class_resolve(const ls_config *c, ls_config **out, ls_class_result *k, char *msg, size_t cap)
{
    if (!c || !out || !k || !ls_config_find(c, "class.budget"))
        return LS_EINVAL;
    *out = NULL;
    memset(k, 0, sizeof *k);
    k->on = 1;
    snprintf(k->name, sizeof k->name, "%s", ls_config_str(c, "class.name"));
    snprintf(k->budget, sizeof k->budget, "%s", ls_config_str(c, "class.budget"));
    k->worst = !strcmp(k->budget, "worst");
    k->reach_m = ls_config_real(c, "class.reach_m");
    k->target_ber = ls_config_real(c, "class.target_ber");
    k->inner = ls_config_find(c, "link.inner_fec") && ls_config_bool(c, "link.inner_fec");
    k->lanes = (unsigned)ls_config_list(c, "class.lanes_nm", k->lane_nm, LS_CLASS_MAX_LANES);
    if (!k->lanes) {
        k->lane_nm[0] = ls_config_real(c, "laser.wavelength_nm");
        k->lanes = 1;
    }
    k->tdecq_db = NAN;
    ls_config *base = ls_config_copy(c), *lc = NULL;
    ls_status st = base ? LS_OK : LS_ENOMEM;
    ls_link *l = st == LS_OK ? ls_link_create(base, 64, msg, cap, &st) : NULL;
    const double baud = l ? ls_link_get_info(l)->baud : 0;
    ls_link_destroy(l);
    if (st == LS_OK && k->worst)
        st = worst_tx_rx(base, baud, k, msg, cap);
    unsigned w = 0; /* the lane of largest |CD| */
    for (unsigned i = 0; st == LS_OK && i < k->lanes; i++) {
        ls_config *t = NULL;
        if ((st = resolve_lane(base, NULL, i, k, &t, msg, cap)) != LS_OK)
            break;
        ls_config_destroy(t);
        if (fabs(k->lane_cd_ps_nm[i]) > fabs(k->lane_cd_ps_nm[w]))
            w = i;
    }
    if (st == LS_OK)
        st = resolve_lane(base, NULL, w, k, &lc, msg, cap);
    if (st == LS_OK)
        st = ls_config_set_assignment(lc, "class.resolved=true", msg, cap);
    if (st == LS_OK) {
        k->worst_lane = w;
        k->length_m = ls_config_real(c, "link.length_m");
        k->mc_stat_ratio = 1.0;
        k->margin_db = k->margin_stat_db = margin_db(lc, k->target_ber, k->inner, 1.0, msg, cap);
        if (ls_config_bool(c, "class.limiting"))
            penalties(lc, k, msg, cap);
        k->pass = k->margin_db >= 0 && !k->tx_noncompliant;
        if (!k->worst)
            k->tdecq_db = k->tdecq_tp3_db;
        *out = lc;
    } else {
        ls_config_destroy(lc);
    }
    ls_config_destroy(base);
    return st;
}

/* The public entry of every run: a class preset (not yet resolved) through its budget, any other
   link straight to the Monte Carlo of run.c. */
ls_status ls_run(const ls_config *c, ls_progress_fn progress, void *ctx, ls_run_result *r, char *msg, size_t cap)
{
    if (c && r && ls_config_find(c, "class.budget") && !ls_config_bool(c, "class.resolved"))
        return lsi_class_run(c, progress, ctx, r, msg, cap);
    return lsi_run_plain(c, progress, ctx, r, msg, cap);
}

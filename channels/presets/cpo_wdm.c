/*
 * The `cpo-wdm` preset: one victim line of a multi-wavelength microring CPO lane group
 * (include/lanesim/ring_wdm.h, docs/cpo-wdm.md). The cpo chain (optical.c) with the lane group around
 * the victim's ring:
 *
 *   ASIC SerDes TX -> XSR trace -> driver -> ring modulator v (line v of wdm.channels on a grid of
 *   wdm.spacing_ghz around laser.wavelength_nm; external laser array or comb, laser.power_dbm per line)
 *   -> wdm_bus: the other N - 1 rings' through ports at line v (insertion loss and its spectral shape)
 *   -> SMF of link.length_m -> wdm_drop: the victim's add-drop demultiplexer ring (its Lorentzian pass
 *   band) -> PIN -> crosstalk: each other line as an aggressor with its own data, its modulation
 *   imprinted on the victim by its ring's through port plus its light leaking through the victim's drop
 *   ring (linearized over the drive swing; the 7 strongest explicit, the rest as one aggregate of the
 *   same variance when N > 8) -> TIA -> XSR trace -> ASIC SerDes RX.
 *
 * Heaters: the modulator ring and the drop ring of each lane, ls_ring_heater_mw each (modulator.heater_mw
 * is replaced by their sum). wdm.victim = -1 simulates the line with the largest closed-form crosstalk
 * (ls_wdm_xtalk_db at the nominal drive +-modulator.vpp_v / 2).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim/ring_wdm.h"
#include "lanesim/xtalk.h"
#include "ls_internal.h"
#include "ls_presets.h"

#define C_LIGHT 299792458.0

const char *const lsi_cpo_wdm_sections[] = { "link", "link_length", "tx", "jitter", "host", "driver", "laser",
                                             "modulator", "fibre", "pd", "wdm", "rx", "ctle", "ami", "adc", "ffe",
                                             "dfe", "cdr", "noise", "slicer", "eye", "power", "module_power", "run",
                                             NULL };
const char *const lsi_cpo_wdm_overrides[] = { "link.length_m=500", "host.pcb_mm=10", "host.connector_ff=0",
                                              "package.zp_mm=5", "modulator.type=ring", "modulator.il_db=1",
                                              "modulator.fsr_ghz=3600", "laser.power_dbm=7", "laser.coupling_db=3",
                                              "laser.tec_mw=100", "tx.swing_vpp=0.5", "tx.ffe_pre=-0.05",
                                              "tx.snr_db=33", "tx.filter=gaussian", "tx.bw_ghz=0", "jitter.rj_ui=0.01",
                                              "jitter.dj_ui=0.04", "rx.filter=butterworth", "rx.bw_ghz=0",
                                              "rx.eta0_v2_ghz=6e-9", "adc.enable=true", "ffe.taps=16", "ffe.pre=5",
                                              "dfe.taps=1", "dfe.limit=0.85", "cdr.type=mm", "ffe.level_mu=0.004",
                                              "run.warmup_symbols=2048", NULL };

typedef struct {
    ls_wdm_config w;
    double fibre_loss; /* the fibre's power transmission (after-fibre hook) */
} wdm_ctx;

/* Power of each line (mW): laser.power_dbm, a comb's lines falling off parabolically in dB. */
static void line_powers(const ls_config *c, ls_wdm_config *w)
{
    const double p0 = ls_config_real(c, "laser.power_dbm"), roll = ls_config_real(c, "wdm.comb_rolloff_db");
    const int comb = !strcmp(ls_config_str(c, "wdm.source"), "comb");
    for (unsigned k = 0; k < w->n_ch; k++) {
        const double x = ((double)k - 0.5 * (w->n_ch - 1.0)) / (0.5 * (w->n_ch - 1.0));
        w->line_mw[k] = pow(10.0, (p0 - (comb ? roll * x * x : 0.0)) / 10.0);
    }
}

/* The lane group from the keys (nominal drive +-vpp/2 until the chain knows the real levels) and the
   victim (wdm.victim, or the line with the most crosstalk). */
static ls_status wdm_setup(const ls_config *c, ls_wdm_config *w, char *msg, size_t cap)
{
    ls_wdm_config_init(w);
    w->n_ch = (unsigned)ls_config_int(c, "wdm.channels");
    w->spacing_hz = ls_config_real(c, "wdm.spacing_ghz") * 1e9;
    w->nu_c_hz = C_LIGHT / (ls_config_real(c, "laser.wavelength_nm") * 1e-9);
    w->fsr_hz = ls_config_real(c, "modulator.fsr_ghz") * 1e9;
    w->mod_q_loaded = ls_config_real(c, "modulator.q_loaded");
    w->mod_q_intrinsic = 2.4 * w->mod_q_loaded; /* as the cpo ring (optical.c) */
    w->drop_q_loaded = ls_config_real(c, "wdm.drop_q_loaded");
    w->drop_q_intrinsic = ls_config_real(c, "wdm.drop_q_intrinsic");
    w->bias_detune_hz = ls_config_real(c, "modulator.bias_detune_ghz") * 1e9;
    w->detune_hz_per_v = ls_config_real(c, "modulator.detune_ghz_per_v") * 1e9;
    w->drive_hi_v = 0.5 * ls_config_real(c, "modulator.vpp_v");
    w->drive_lo_v = -w->drive_hi_v;
    w->il = pow(10.0, -ls_config_real(c, "modulator.il_db") / 10.0);
    line_powers(c, w);
    if (!(w->n_ch * w->spacing_hz < w->fsr_hz)) {
        lsi_say(msg, cap, "wdm.channels x wdm.spacing_ghz = %g GHz: must be below modulator.fsr_ghz (%g GHz), or "
                "the rings' next resonances fall on the grid", w->n_ch * w->spacing_hz / 1e9, w->fsr_hz / 1e9);
        return LS_EINVAL;
    }
    if (!(w->drop_q_intrinsic > w->drop_q_loaded)) {
        lsi_say(msg, cap, "wdm.drop_q_intrinsic (%g) must exceed wdm.drop_q_loaded (%g)", w->drop_q_intrinsic,
                w->drop_q_loaded);
        return LS_EINVAL;
    }
    const long v = ls_config_int(c, "wdm.victim");
    if (v >= (long)w->n_ch) {
        lsi_say(msg, cap, "wdm.victim = %ld: the lines are 0..%u (wdm.channels = %u)", v, w->n_ch - 1, w->n_ch);
        return LS_EINVAL;
    }
    w->victim = 0;
    if (v >= 0) {
        w->victim = (unsigned)v;
    } else {
        double best = -INFINITY;
        for (unsigned k = 0; k < w->n_ch; k++) {
            ls_wdm_config t = *w;
            t.victim = k;
            const double x = ls_wdm_xtalk_db(&t);
            if (x > best + 1e-9) {
                best = x;
                w->victim = k;
            }
        }
    }
    if (ls_wdm_validate(w) != LS_OK) {
        lsi_say(msg, cap, "wdm: invalid lane group (check modulator.q_loaded, wdm.drop_q_*, modulator.fsr_ghz)");
        return LS_EINVAL;
    }
    return LS_OK;
}

/* After the PD/TIA front end: the other lines as crosstalk aggressors (V per volt of their TX output:
   responsivity x TIA transimpedance x (imprint on the victim's mean power + leak through the drop ring)
   x the drive swing per TX swing), each through the victim's own TX-to-ring path, its ring's low-pass
   and the photodiode's and TIA's bandwidths (the TIA's compression is left out: the crosstalk is small). */
static ls_status add_aggressors(const ls_config *c, lsi_link_spec *s, const lsi_optical_chain *o,
                                const wdm_ctx *x, char *msg, size_t cap)
{
    const ls_wdm_config *w = &x->w;
    double pv = 0, g[LS_WDM_MAX_CH];
    for (unsigned i = 0; i < s->levels; i++)
        pv += 1e-3 * o->lev_mw[i] * o->loss / s->levels;
    const double per_tx_v = (w->drive_hi_v - w->drive_lo_v) / s->tx.swing_vpp;
    const double resp = ls_config_real(c, "pd.responsivity_a_w") * ls_config_real(c, "tia.zt_ohm");
    unsigned n = 0;
    for (unsigned k = 0; k < w->n_ch; k++) {
        double imp, leak;
        if (k == w->victim)
            continue;
        if (ls_wdm_aggressor(w, k, &imp, &leak) != LS_OK)
            return LS_EINVAL;
        g[n++] = resp * (pv * imp + x->fibre_loss * leak) * per_tx_v;
    }
    for (unsigned i = 1; i < n; i++) /* strongest first */
        for (unsigned j = i; j > 0 && fabs(g[j]) > fabs(g[j - 1]); j--) {
            const double t = g[j];
            g[j] = g[j - 1];
            g[j - 1] = t;
        }
    if (n > LS_XTALK_MAX_AGG) { /* the weakest as one aggressor of their summed variance */
        double rest = 0;
        for (unsigned i = LS_XTALK_MAX_AGG - 1; i < n; i++)
            rest += g[i] * g[i];
        g[LS_XTALK_MAX_AGG - 1] = sqrt(rest);
        n = LS_XTALK_MAX_AGG;
    }
    ls_xtalk_config xc;
    ls_xtalk_config_init(&xc);
    xc.tx = s->tx;
    xc.tx.rj_ui = xc.tx.dj_ui = xc.tx.sj_ui = xc.tx.dcd_ui = 0.0;
    xc.tx.snr_db = INFINITY;
    for (size_t i = o->i_tx; i < o->i_mod && xc.n_tx_path < LS_XTALK_MAX_PATH; i++)
        if (s->blocks[i].ops->kind == LS_KIND_LTI && s->blocks[i].ops->in == LS_T_F32)
            xc.tx_path[xc.n_tx_path++] = &s->blocks[i];
    ls_icn_config_init(&xc.icn, s->baud);
    ls_block cb[LS_XTALK_MAX_AGG], xb;
    ls_status st = LS_OK;
    const double f_ring = ls_wdm_nu_hz(w, w->victim) / w->mod_q_loaded;
    for (unsigned i = 0; i < n && st == LS_OK; i++) {
        if ((st = ls_wdm_coupling_into_block(g[i], f_ring, &cb[i])) != LS_OK)
            break;
        ls_xtalk_aggressor *a = &xc.agg[xc.n_agg++];
        *a = (ls_xtalk_aggressor){ .type = LS_XT_FEXT, .swing_vpp = s->tx.swing_vpp, .coupling = { &cb[i] },
                                   .n_coupling = 1 };
        for (size_t j = o->i_pd; j < s->n_blocks && a->n_coupling < LS_XTALK_MAX_PATH; j++)
            if (s->blocks[j].ops->kind == LS_KIND_LTI && s->blocks[j].ops->in == LS_T_F32)
                a->coupling[a->n_coupling++] = &s->blocks[j];
    }
    char m[256] = "";
    if (st == LS_OK)
        st = ls_xtalk_into_block(&xc, &xb, m, sizeof m);
    for (unsigned i = 0; i < xc.n_agg; i++)
        ls_block_destroy(&cb[i]);
    if (st != LS_OK) {
        lsi_say(msg, cap, "wdm: crosstalk aggressors: %s", m[0] ? m : ls_strerror(st));
        return st;
    }
    return lsi_spec_push(s, xb, msg, cap);
}

static ls_status wdm_hook(const ls_config *c, lsi_link_spec *s, lsi_optical_chain *o, lsi_opt_stage stage,
                          char *msg, size_t cap)
{
    wdm_ctx *x = o->hook_ctx;
    ls_block b;
    ls_status st;
    double t;
    switch (stage) {
    case LSI_OPT_AFTER_MODULATOR:
        x->w.drive_lo_v = o->drive[0];
        x->w.drive_hi_v = o->drive[s->levels - 1];
        x->w.drive_mean_v = 0;
        for (unsigned i = 0; i < s->levels; i++)
            x->w.drive_mean_v += o->drive[i] / s->levels;
        if ((st = ls_wdm_bus_into_block(&x->w, &b)) != LS_OK) {
            lsi_say(msg, cap, "wdm: invalid lane group (the drive levels at the rings)");
            return st;
        }
        t = cabs(ls_wdm_bus_field(&x->w, 0));
        for (unsigned i = 0; i < s->levels; i++)
            o->lev_mw[i] *= t * t;
        return lsi_spec_push(s, b, msg, cap);
    case LSI_OPT_AFTER_FIBRE:
        x->fibre_loss = o->loss;
        if ((st = ls_wdm_drop_into_block(&x->w, &b)) != LS_OK) {
            lsi_say(msg, cap, "wdm: invalid drop filter (wdm.drop_q_*)");
            return st;
        }
        t = cabs(ls_wdm_drop_field(&x->w, 0));
        o->loss *= t * t;
        return lsi_spec_push(s, b, msg, cap);
    default: return add_aggressors(c, s, o, x, msg, cap);
    }
}

static ls_status set_real(ls_config *c, const char *key, double v, char *msg, size_t cap)
{
    char t[48];
    snprintf(t, sizeof t, "%.17g", v);
    return ls_config_set(c, key, t, msg, cap);
}

ls_status lsi_cpo_wdm_group(const ls_config *c, ls_wdm_config *w, double *heater_mw, char *msg, size_t cap)
{
    ls_status st = wdm_setup(c, w, msg, cap);
    if (st == LS_OK && heater_mw)
        *heater_mw = ls_ring_heater_mw(ls_config_real(c, "wdm.spread_nm"), ls_config_real(c, "wdm.temp_range_k"),
                                       ls_config_real(c, "wdm.dlambda_dt_nm_k"),
                                       ls_config_real(c, "wdm.tuning_nm_per_mw"));
    return st;
}

ls_status lsi_build_cpo_wdm(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    wdm_ctx x = { .fibre_loss = 1 };
    double heater;
    ls_status st = lsi_cpo_wdm_group(c, &x.w, &heater, msg, cap);
    if (st != LS_OK)
        return st;
    ls_config *cc = ls_config_copy(c);
    if (!cc) {
        lsi_say(msg, cap, "out of memory");
        return LS_ENOMEM;
    }
    /* the victim's laser line, its power, and the heaters of its modulator and drop rings */
    if ((st = set_real(cc, "laser.wavelength_nm", 1e9 * C_LIGHT / ls_wdm_nu_hz(&x.w, x.w.victim), msg, cap)) ==
            LS_OK &&
        (st = set_real(cc, "laser.power_dbm", 10.0 * log10(x.w.line_mw[x.w.victim]), msg, cap)) == LS_OK &&
        (st = set_real(cc, "modulator.heater_mw", 2.0 * heater, msg, cap)) == LS_OK)
        st = lsi_build_optical_hooked(cc, s, wdm_hook, &x, msg, cap);
    ls_config_destroy(cc);
    return st;
}

/*
 * The builders every preset shares: link.*, tx.*, jitter.* (symbol rate, sampling, the
 * transmitter), a low-pass from <section>.filter/.bw_ghz/.order, the RX input noise and the
 * receiver back end (rx.*, adc.*, ffe.*, dfe.*, cdr.*, mlse.*, slicer.*, eye.*). Each reads
 * validated keys and fills the link specification (phy/core/ls_link_spec.h); docs/link.md.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lanesim/filter.h"
#include "lanesim/noise.h"
#include "lanesim/pam.h"
#include "lanesim/prbs.h"
#include "ls_internal.h"
#include "ls_presets.h"

/* link.*, tx.*, jitter.*: symbol rate, sampling and the transmitter. */
ls_status lsi_build_common(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    const char *mod = ls_config_str(c, "link.modulation");
    s->levels = !strcmp(mod, "pam2") ? 2 : !strcmp(mod, "pam8") ? 8 : 4;
    s->sps = (unsigned)ls_config_int(c, "link.sps");
    s->noise_full = ls_config_find(c, "run.noise_rate") && !strcmp(ls_config_str(c, "run.noise_rate"), "full");
    s->baud = ls_config_real(c, "link.rate_gbps") * 1e9 / ls_pam_bits(s->levels);
    ls_tx_config *t = &s->tx;
    ls_tx_config_init(t);
    t->levels = s->levels;
    t->sps = s->sps;
    t->baud = s->baud;
    const char *pat = ls_config_str(c, "tx.pattern");
    if (!strcmp(pat, "random")) {
        t->source = LS_TX_RANDOM;
    } else if (!strcmp(pat, "ssprq")) {
        if (s->levels != 4) {
            lsi_say(msg, cap, "tx.pattern: ssprq is a PAM4 pattern (link.modulation is not pam4)");
            return LS_EINVAL;
        }
        t->source = LS_TX_SSPRQ;
    } else {
        ls_prbs_type pt;
        if (ls_prbs_parse(pat, &pt)) {
            lsi_say(msg, cap, "tx.pattern: unknown pattern '%s'", pat);
            return LS_EINVAL;
        }
        t->source = LS_TX_PRBS;
        t->prbs = (int)pt;
    }
    t->precoding = ls_config_bool(c, "tx.precoding");
    t->swing_vpp = ls_config_real(c, "tx.swing_vpp");
    t->rlm = ls_config_real(c, "tx.rlm");
    t->n_pre = (unsigned)ls_config_list(c, "tx.ffe_pre", t->ffe_pre, 3);
    t->n_post = (unsigned)ls_config_list(c, "tx.ffe_post", t->ffe_post, 4);
    double sum = 0;
    for (unsigned i = 0; i < t->n_pre; i++)
        sum += fabs(t->ffe_pre[i]);
    for (unsigned i = 0; i < t->n_post; i++)
        sum += fabs(t->ffe_post[i]);
    if (sum >= 1.0) {
        lsi_say(msg, cap, "tx.ffe_pre/tx.ffe_post: sum of |taps| = %g leaves no main cursor (must be < 1)", sum);
        return LS_EINVAL;
    }
    t->snr_db = ls_config_real(c, "tx.snr_db");
    t->rj_ui = ls_config_real(c, "jitter.rj_ui");
    t->dj_ui = ls_config_real(c, "jitter.dj_ui");
    t->sj_ui = ls_config_real(c, "jitter.sj_ui");
    t->sj_hz = ls_config_real(c, "jitter.sj_mhz") * 1e6;
    t->dcd_ui = ls_config_real(c, "jitter.dcd_ui");
    if (t->dj_ui / 2 + t->sj_ui / 2 + t->dcd_ui / 2 + 6 * t->rj_ui > 0.49) {
        lsi_say(msg, cap, "jitter: DJ/2 + SJ/2 + DCD/2 + 6 RJ = %.3g UI reaches half a UI (edges would cross)",
            t->dj_ui / 2 + t->sj_ui / 2 + t->dcd_ui / 2 + 6 * t->rj_ui);
        return LS_EINVAL;
    }
    int jitter = t->rj_ui > 0 || t->dj_ui > 0 || t->sj_ui > 0 || t->dcd_ui > 0;
    if (jitter && s->sps < 8) {
        lsi_say(msg, cap, "link.sps: %u is too few samples per UI for jitter (use 8..128)", s->sps);
        return LS_EINVAL;
    }
    t->stream = 1;
    s->ctle_gdc_db = ls_config_find(c, "ctle.gdc_db") && !strcmp(ls_config_str(c, "ctle.form"), "com")
                         ? ls_config_real(c, "ctle.gdc_db")
                         : NAN;
    return lsi_ami_add_tx(c, s, msg, cap);
}

/* Appends a low-pass LTI block from <section>.filter/.bw_ghz/.order unless it is "none";
   bw_ghz = 0 means auto_baud x the symbol rate (presets that scale with the lane rate). */
ls_status lsi_add_lowpass(const ls_config *c, lsi_link_spec *s, const char *section, double auto_baud, char *msg,
                          size_t cap)
{
    char k_filter[64], k_bw[64], k_order[64];
    snprintf(k_filter, sizeof k_filter, "%s.filter", section);
    snprintf(k_bw, sizeof k_bw, "%s.bw_ghz", section);
    snprintf(k_order, sizeof k_order, "%s.order", section);
    ls_lowpass_config lp;
    ls_lowpass_config_init(&lp);
    if (ls_lowpass_parse(ls_config_str(c, k_filter), &lp.type)) {
        lsi_say(msg, cap, "%s: unknown filter '%s'", k_filter, ls_config_str(c, k_filter));
        return LS_EINVAL;
    }
    if (lp.type == LS_LP_NONE)
        return LS_OK;
    if (s->sps < 8) {
        lsi_say(msg, cap, "link.sps: %u is too few samples per UI for %s (use 8..128)", s->sps, k_filter);
        return LS_EINVAL;
    }
    lp.f3db_hz = ls_config_real(c, k_bw) * 1e9;
    if (lp.f3db_hz == 0) {
        if (!(auto_baud > 0)) {
            lsi_say(msg, cap, "%s: 0 (scaled with the symbol rate) is not available in this preset", k_bw);
            return LS_EINVAL;
        }
        lp.f3db_hz = auto_baud * s->baud;
    }
    lp.order = lp.type == LS_LP_RC ? 1 : (unsigned)ls_config_int(c, k_order);
    double fs = s->baud * s->sps;
    if (lp.f3db_hz >= 0.5 * fs) {
        lsi_say(msg, cap, "%s: %g GHz is at or above half the sample rate (%g GHz): raise link.sps", k_bw,
            lp.f3db_hz / 1e9, 0.5 * fs / 1e9);
        return LS_EINVAL;
    }
    ls_block b;
    ls_status st = ls_lowpass_into_block(&lp, &b);
    if (st != LS_OK) {
        lsi_say(msg, cap, "%s: %s", k_filter, ls_strerror(st));
        return st;
    }
    return lsi_spec_push(s, b, msg, cap);
}

/* RX input noise: one-sided PSD eta0 (V^2/GHz) white up to fs/2: variance eta0 fs/2 per sample. */
ls_status lsi_add_rx_noise(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    double eta0 = ls_config_real(c, "rx.eta0_v2_ghz") * 1e-9;
    if (!(eta0 > 0))
        return LS_OK;
    ls_awgn_config ac = { .sigma = sqrt(eta0 * 0.5 * s->baud * s->sps), .stream = 50 };
    ls_block b;
    ls_status st = ls_awgn_into_block(&ac, &b);
    if (st != LS_OK) {
        lsi_say(msg, cap, "rx.eta0_v2_ghz: %s", ls_strerror(st));
        return st;
    }
    return lsi_spec_push(s, b, msg, cap);
}

/* slicer.thresholds_v: explicit thresholds, levels - 1 of them, increasing (none: the link's own). */
static ls_status receiver_thresholds(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    double th[7];
    size_t n = ls_config_list(c, "slicer.thresholds_v", th, 7);
    if (n && n != s->levels - 1) {
        lsi_say(msg, cap, "slicer.thresholds_v: %zu values given, %u needed for PAM%u", n, s->levels - 1, s->levels);
        return LS_EINVAL;
    }
    for (size_t i = 0; i < n; i++) {
        if (i && !(th[i] > th[i - 1])) {
            lsi_say(msg, cap, "slicer.thresholds_v: thresholds must increase");
            return LS_EINVAL;
        }
        s->thresholds[i] = (float)th[i];
    }
    s->n_thresholds = (unsigned)n;
    return LS_OK;
}

/* adc.* */
static ls_status receiver_adc(const ls_config *c, ls_rx_config *r, char *msg, size_t cap)
{
    r->adc_on = ls_config_bool(c, "adc.enable");
    r->adc_bits = (unsigned)ls_config_int(c, "adc.bits");
    r->adc_enob = ls_config_real(c, "adc.enob");
    r->adc_fs_v = ls_config_real(c, "adc.fs_v");
    if (r->adc_on && r->adc_enob > r->adc_bits) {
        lsi_say(msg, cap, "adc.enob: %g exceeds adc.bits = %u", r->adc_enob, r->adc_bits);
        return LS_EINVAL;
    }
    return LS_OK;
}

/* ffe.*: taps, given coefficients (or a unit main cursor) or the MMSE solution, adaptation. */
static ls_status receiver_ffe(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    ls_rx_config *r = &s->rx;
    r->ffe_taps = (unsigned)ls_config_int(c, "ffe.taps");
    r->ffe_pre = (unsigned)ls_config_int(c, "ffe.pre");
    if (r->ffe_pre >= r->ffe_taps) {
        lsi_say(msg, cap, "ffe.pre: %u pre-cursor taps need ffe.taps > %u", r->ffe_pre, r->ffe_pre);
        return LS_EINVAL;
    }
    s->ffe_mode = !strcmp(ls_config_str(c, "ffe.mode"), "mmse");
    memset(r->ffe, 0, sizeof r->ffe);
    r->ffe[r->ffe_pre] = 1.0;
    if (!s->ffe_mode) {
        size_t nc = ls_config_list(c, "ffe.coeffs", r->ffe, LS_RX_MAX_FFE);
        if (nc && nc != r->ffe_taps) {
            lsi_say(msg, cap, "ffe.coeffs: %zu taps given, ffe.taps = %u", nc, r->ffe_taps);
            return LS_EINVAL;
        }
        if (!nc) {
            memset(r->ffe, 0, sizeof r->ffe);
            r->ffe[r->ffe_pre] = 1.0;
        }
    }
    const char *ad = ls_config_str(c, "ffe.adapt");
    r->adapt = !strcmp(ad, "lms") ? LS_ADAPT_LMS : !strcmp(ad, "sign-sign") ? LS_ADAPT_SIGN_SIGN : LS_ADAPT_NONE;
    r->mu = ls_config_real(c, "ffe.mu");
    r->level_mu = ls_config_real(c, "ffe.level_mu");
    return LS_OK;
}

/* dfe.*, and mlse.*: the Viterbi detector that replaces DFE + slicer (phy/mlse.c). */
static ls_status receiver_dfe(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    ls_rx_config *r = &s->rx;
    r->dfe_taps = (unsigned)ls_config_int(c, "dfe.taps");
    /* a shorter limit list repeats its last value; extra values are ignored */
    size_t nl = ls_config_list(c, "dfe.limit", s->dfe_limit_rel, LS_RX_MAX_DFE);
    for (size_t j = nl; nl && j < r->dfe_taps; j++)
        s->dfe_limit_rel[j] = s->dfe_limit_rel[nl - 1];
    if (ls_config_find(c, "mlse.enable") && ls_config_bool(c, "mlse.enable")) {
        r->mlse_on = 1;
        r->mlse_alpha = ls_config_real(c, "mlse.alpha");
        r->mlse_depth = (unsigned)ls_config_int(c, "mlse.depth");
        if (r->dfe_taps) {
            lsi_say(msg, cap, "mlse.enable: the MLSE replaces the DFE (set dfe.taps=0)");
            return LS_EINVAL;
        }
    }
    return LS_OK;
}

/* cdr.* */
static ls_status receiver_cdr(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    ls_rx_config *r = &s->rx;
    const char *cd = ls_config_str(c, "cdr.type");
    r->cdr = !strcmp(cd, "mm") ? LS_CDR_MM : !strcmp(cd, "bangbang") ? LS_CDR_BANGBANG : LS_CDR_IDEAL;
    r->cdr_bw_hz = ls_config_real(c, "cdr.bw_mhz") * 1e6;
    r->cdr_zeta = ls_config_real(c, "cdr.zeta");
    r->cdr_init_ui = ls_config_real(c, "cdr.init_ui");
    if (r->cdr != LS_CDR_IDEAL && r->cdr_bw_hz > 0.1 * s->baud) {
        lsi_say(msg, cap, "cdr.bw_mhz: %g MHz exceeds a tenth of the symbol rate", r->cdr_bw_hz / 1e6);
        return LS_EINVAL;
    }
    if (r->cdr == LS_CDR_BANGBANG && s->sps < 2) {
        lsi_say(msg, cap, "cdr.type: bangbang needs edge samples (link.sps >= 2)");
        return LS_EINVAL;
    }
    return LS_OK;
}

/* noise.*, rx.phase_ui, slicer.*, eye.*, and the receiver back end (adc.*, ffe.*, dfe.*, mlse.*, cdr.*) */
ls_status lsi_build_receiver(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    ls_status st;
    s->noise_snr_db = ls_config_real(c, "noise.snr_db");
    s->rx_phase_ui = ls_config_real(c, "rx.phase_ui");
    if ((st = receiver_thresholds(c, s, msg, cap)) != LS_OK)
        return st;
    ls_rx_config_init(&s->rx);
    s->rj_ui = s->tx.rj_ui;
    s->dj_ui = s->tx.dj_ui;
    if ((st = receiver_adc(c, &s->rx, msg, cap)) != LS_OK || (st = receiver_ffe(c, s, msg, cap)) != LS_OK ||
        (st = receiver_dfe(c, s, msg, cap)) != LS_OK || (st = receiver_cdr(c, s, msg, cap)) != LS_OK)
        return st;
    s->eye_bins = (unsigned)ls_config_int(c, "eye.bins");
    s->eye_target_ber = ls_config_real(c, "eye.target_ber");
    s->rx.eye = !strcmp(ls_config_str(c, "eye.at"), "input") ? LS_RX_EYE_INPUT : LS_RX_EYE_SLICER;
    return lsi_ami_add_rx(c, s, msg, cap);
}

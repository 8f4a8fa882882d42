/*
 * The `copper` preset: a 212.5 Gb/s PAM4 host SerDes over a passive copper channel.
 *
 *   TX (FFE, swing 0.826 Vpp, Gaussian edge T_r = 0.425 UI (4 ps at 106.25 GBd), SNR_TX 33 dB,
 *   RJ 0.01 UI rms, dual-Dirac DJ 0.04 UI pp)
 *   -> TX package (IEEE 802.3 COM model, 802.3dj Clause 178 values) -> host PCB -> connector ->
 *   paddle card -> twinax cable of link.length_m (26/28/30/34 AWG) -> paddle card -> connector ->
 *   host PCB -> RX package          [or: package -> channel.touchstone (SDD21) -> package]
 *   -> crosstalk (xtalk.*: FEXT/NEXT aggressors from Touchstone files or analytic couplings, each
 *   with its own transmitter and data; docs/crosstalk.md)
 *   -> RX input noise eta0 (6e-9 V^2/GHz) -> CTLE (COM form, g_DC chosen by ctle.auto) ->
 *   4th-order Butterworth at 0.58 baud -> ADC (7 b, 6 ENOB) -> 16-tap FFE (5 pre, MMSE) ->
 *   1-tap DFE (|b1| <= 0.85) -> Mueller-Muller CDR (10 MHz).
 * Reference-receiver values: docs/references.md §2.2 (PyChOpMarg ieee_8023dj.py). Bandwidths
 * and CTLE frequencies scale with the symbol rate, so the preset runs at every lane rate.
 */
#include <complex.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim/ctle.h"
#include "lanesim/tline.h"
#include "lanesim/touchstone.h"
#include "lanesim/xtalk.h"
#include "ls_internal.h"
#include "ls_presets.h"

const char *const lsi_copper_sections[] = { "link", "link_length", "tx", "jitter", "channel", "host", "xtalk", "rx", "ctle",
                                            "ami", "adc", "ffe", "dfe", "cdr", "mlse", "noise", "slicer", "eye", "power", "run", NULL };
const char *const lsi_copper_overrides[] = { "tx.swing_vpp=0.826", "tx.ffe_pre=-0.08", "tx.snr_db=33",
                                             "tx.filter=gaussian", "tx.bw_ghz=0", "jitter.rj_ui=0.01",
                                             "jitter.dj_ui=0.04", "rx.filter=butterworth", "rx.bw_ghz=0",
                                             "rx.eta0_v2_ghz=6e-9", "adc.enable=true", "ffe.taps=16", "ffe.pre=5",
                                             "dfe.taps=1", "dfe.limit=0.85", "cdr.type=mm",
                                             "run.warmup_symbols=2048", NULL };

ls_status lsi_push_cascade(lsi_link_spec *s, const ls_cascade_config *cas, char *msg, size_t cap)
{
    ls_block b;
    ls_status st = ls_cascade_into_block(cas, &b);
    if (st != LS_OK) {
        lsi_say(msg, cap, "channel: invalid cascade (%s)", ls_strerror(st));
        return st;
    }
    return lsi_spec_push(s, b, msg, cap);
}

ls_status lsi_add_package(const ls_config *c, ls_pkg_side side, ls_cascade_config *cas, char *msg, size_t cap)
{
    if (!ls_config_bool(c, "package.enable"))
        return LS_OK;
    ls_package_config pkg;
    ls_package_config_init(&pkg);
    pkg.z_p_mm[0] = ls_config_real(c, "package.zp_mm");
    if (ls_package_append(&pkg, side, cas) != LS_OK) {
        lsi_say(msg, cap, "package: invalid package model");
        return LS_EINVAL;
    }
    return LS_OK;
}

ls_status lsi_add_line(ls_cascade_config *cas, const char *preset, double length_m, char *msg, size_t cap)
{
    if (!(length_m > 0))
        return LS_OK;
    ls_tline_config t;
    if (ls_tline_preset(preset, &t) != LS_OK) {
        lsi_say(msg, cap, "channel: unknown line model %s", preset);
        return LS_EINVAL;
    }
    t.length_m = length_m;
    if (ls_cascade_add(cas, ls_seg_line(&t)) != LS_OK) {
        lsi_say(msg, cap, "channel: too many segments");
        return LS_EINVAL;
    }
    return LS_OK;
}

ls_status lsi_add_shunt(ls_cascade_config *cas, double c_f, char *msg, size_t cap)
{
    if (!(c_f > 0))
        return LS_OK;
    if (ls_cascade_add(cas, ls_seg_shunt_c(c_f)) != LS_OK) {
        lsi_say(msg, cap, "channel: too many segments");
        return LS_EINVAL;
    }
    return LS_OK;
}

/* The analytic channel (also ls_com_preset's, com_preset.c): package, host PCB, connector, paddle card, cable, and the mirror image. */
ls_status lsi_cable_cascade(const ls_config *c, ls_cascade_config *cas, char *msg, size_t cap)
{
    ls_cascade_config_init(cas);
    char twinax[32];
    snprintf(twinax, sizeof twinax, "twinax%s", ls_config_str(c, "cable.awg"));
    const double pcb = ls_config_real(c, "host.pcb_mm") * 1e-3, paddle = ls_config_real(c, "host.paddle_mm") * 1e-3;
    const double conn = ls_config_real(c, "host.connector_ff") * 1e-15;
    ls_status st;
    if ((st = lsi_add_package(c, LS_PKG_TX, cas, msg, cap)) != LS_OK ||
        (st = lsi_add_line(cas, "pcb_lowloss", pcb, msg, cap)) != LS_OK || (st = lsi_add_shunt(cas, conn, msg, cap)) ||
        (st = lsi_add_line(cas, "pcb_lowloss", paddle, msg, cap)) != LS_OK ||
        (st = lsi_add_line(cas, twinax, ls_config_real(c, "link.length_m"), msg, cap)) != LS_OK ||
        (st = lsi_add_line(cas, "pcb_lowloss", paddle, msg, cap)) != LS_OK || (st = lsi_add_shunt(cas, conn, msg, cap)) ||
        (st = lsi_add_line(cas, "pcb_lowloss", pcb, msg, cap)) != LS_OK ||
        (st = lsi_add_package(c, LS_PKG_RX, cas, msg, cap)) != LS_OK)
        return st;
    return LS_OK;
}

static ls_status build_cable(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    ls_cascade_config cas;
    ls_status st = lsi_cable_cascade(c, &cas, msg, cap);
    return st != LS_OK ? st : lsi_push_cascade(s, &cas, msg, cap);
}

/* An S-parameter block configuration for path, with the port map from ports_key (1-based in+,in-,out+,out-;
   empty = detected from the through paths). */
static ls_status sparam_config(const ls_config *c, const char *ports_key, const char *path, double fs_hz,
                               ls_sparam_config *sc, char *msg, size_t cap)
{
    *sc = (ls_sparam_config){ .path = path, .auto_map = 1, .fs_hint_hz = fs_hz };
    double ports[4];
    size_t np = ls_config_list(c, ports_key, ports, 4);
    if (!np)
        return LS_OK;
    if (np != 4) {
        lsi_say(msg, cap, "%s: 4 ports expected (in+,in-,out+,out-), %zu given", ports_key, np);
        return LS_EINVAL;
    }
    sc->auto_map = 0;
    sc->map = (ls_port_map){ (unsigned)ports[0] - 1, (unsigned)ports[1] - 1, (unsigned)ports[2] - 1,
                             (unsigned)ports[3] - 1 };
    return LS_OK;
}

/* A measured or standards-body channel: packages around the file's SDD21. */
static ls_status build_touchstone(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    const char *path = ls_config_str(c, "channel.touchstone");
    if (!path || !*path) {
        lsi_say(msg, cap, "channel.touchstone: no file given (channel.type = touchstone)");
        return LS_EINVAL;
    }
    ls_cascade_config pk;
    ls_status st;
    ls_cascade_config_init(&pk);
    if ((st = lsi_add_package(c, LS_PKG_TX, &pk, msg, cap)) != LS_OK)
        return st;
    if (pk.n_seg && (st = lsi_push_cascade(s, &pk, msg, cap)) != LS_OK)
        return st;
    ls_sparam_config sc;
    if ((st = sparam_config(c, "channel.ports", path, s->baud * s->sps, &sc, msg, cap)) != LS_OK)
        return st;
    ls_block b;
    char m[512] = "";
    if ((st = ls_sparam_into_block(&sc, &b, m, sizeof m)) != LS_OK) {
        lsi_say(msg, cap, "%s", m[0] ? m : "channel.touchstone: cannot use the file");
        return st;
    }
    const char *w[LSI_MAX_WARN];
    const size_t nw = ls_sparam_warnings(&b, w, LSI_MAX_WARN);
    for (size_t i = 0; i < nw && i < LSI_MAX_WARN; i++)
        lsi_spec_warn(s, w[i]);
    if ((st = lsi_spec_push(s, b, msg, cap)) != LS_OK)
        return st;
    ls_cascade_config_init(&pk);
    if ((st = lsi_add_package(c, LS_PKG_RX, &pk, msg, cap)) != LS_OK)
        return st;
    return pk.n_seg ? lsi_push_cascade(s, &pk, msg, cap) : LS_OK;
}

ls_status lsi_add_ctle(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    const char *form = ls_config_str(c, "ctle.form");
    if (!strcmp(form, "none") || lsi_ami_on(c, s, "rx")) /* an AMI receiver replaces the CTLE */
        return LS_OK;
    ls_ctle_config cc;
    ls_ctle_config_init(&cc);
    const double baud = s->baud;
#define GHZ_OR(key, rel) (ls_config_real(c, key) > 0 ? ls_config_real(c, key) * 1e9 : (rel) * baud)
    if (!strcmp(form, "peaking")) {
        cc.form = LS_CTLE_PEAKING;
        cc.fpk_hz = GHZ_OR("ctle.fpk_ghz", 0.5);
        cc.peaking_db = ls_config_real(c, "ctle.peak_db");
    } else {
        cc.form = LS_CTLE_COM;
        cc.fz_hz = GHZ_OR("ctle.fz_ghz", 0.4);
        cc.fp1_hz = GHZ_OR("ctle.fp1_ghz", 0.4);
        cc.fp2_hz = GHZ_OR("ctle.fp2_ghz", 1.0);
        cc.flf_hz = GHZ_OR("ctle.flf_ghz", 1.0 / 80);
        cc.gdc_db = ls_config_real(c, "ctle.gdc_db");
        cc.gdc2_db = ls_config_real(c, "ctle.gdc2_db");
    }
#undef GHZ_OR
    ls_block b;
    ls_status st = ls_ctle_into_block(&cc, &b);
    if (st != LS_OK) {
        lsi_say(msg, cap, "ctle: invalid CTLE (check the ctle.* frequencies and gains)");
        return st;
    }
    return lsi_spec_push(s, b, msg, cap);
}

/* ---- crosstalk (xtalk.*): FEXT/NEXT aggressors added after the victim channel (docs/crosstalk.md) ---- */

#define XT_TMP (4 * LS_XTALK_MAX_AGG)

typedef struct {
    ls_block b[XT_TMP]; /* blocks that exist only while the xtalk block is built */
    size_t n;
} xt_tmp;

static ls_block *xt_keep(xt_tmp *t, ls_block b)
{
    t->b[t->n] = b;
    return &t->b[t->n++];
}

/* Splits a comma-separated list of file names into names[] (cap entries of len bytes); count out. */
static ls_status xt_files(const char *key, const char *list, char names[][512], size_t cap, size_t *count, char *msg,
                          size_t mcap)
{
    *count = 0;
    if (!list || !*list)
        return LS_OK;
    for (const char *p = list;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && isspace((unsigned char)*p))
            p++, len--;
        while (len && isspace((unsigned char)p[len - 1]))
            len--;
        if (!len) {
            lsi_say(msg, mcap, "%s: empty file name in the list", key);
            return LS_EINVAL;
        }
        if (*count >= cap) {
            lsi_say(msg, mcap, "%s: more than %zu files (at most %u aggressors in all)", key, cap, LS_XTALK_MAX_AGG);
            return LS_EINVAL;
        }
        if (len >= 512) {
            lsi_say(msg, mcap, "%s: file name too long", key);
            return LS_EINVAL;
        }
        memcpy(names[*count], p, len);
        names[(*count)++][len] = '\0';
        if (!e)
            return LS_OK;
        p = e + 1;
    }
}

/* One aggressor from a Touchstone file: its SDD21 (coupling, ICN) between the two packages (extra). */
static ls_status xt_file_aggressor(const ls_config *c, const char *key, const char *path, const lsi_link_spec *s,
                                   xt_tmp *t, ls_xtalk_aggressor *a, char *msg, size_t cap)
{
    ls_sparam_config sc;
    ls_status st = sparam_config(c, "xtalk.ports", path, s->baud * s->sps, &sc, msg, cap);
    if (st != LS_OK)
        return st;
    ls_block b;
    char m[512] = "";
    st = ls_sparam_into_block(&sc, &b, m, sizeof m);
    if (st != LS_OK) {
        lsi_say(msg, cap, "%s: %s", key, m[0] ? m : "cannot use the file");
        return st;
    }
    a->coupling[a->n_coupling++] = xt_keep(t, b);
    for (int side = 0; side < 2; side++) {
        ls_cascade_config pk;
        ls_cascade_config_init(&pk);
        if ((st = lsi_add_package(c, side ? LS_PKG_RX : LS_PKG_TX, &pk, msg, cap)) != LS_OK)
            return st;
        if (!pk.n_seg)
            continue;
        if ((st = ls_cascade_into_block(&pk, &b)) != LS_OK) {
            lsi_say(msg, cap, "%s: invalid package cascade (%s)", key, ls_strerror(st));
            return st;
        }
        a->extra[a->n_extra++] = xt_keep(t, b);
    }
    return LS_OK;
}

/* |prod H_b(f)| of blocks b[0..n) at one frequency. */
static double xt_gain(const ls_block *b, size_t n, double f)
{
    double complex h = 1.0;
    for (size_t i = 0; i < n; i++) {
        double complex hb;
        if (b[i].ops->response(b[i].self, &f, &hb, 1) != LS_OK)
            return NAN;
        h *= hb;
    }
    return cabs(h);
}

/* blocks [i_tx, i_ch) are the TX filter, [i_ch, n_blocks) the victim channel. */
static ls_status xt_build(const ls_config *c, lsi_link_spec *s, size_t i_tx, size_t i_ch, xt_tmp *t, char *msg,
                          size_t cap)
{
    char names[2][LS_XTALK_MAX_AGG][512];
    static const char *const file_key[2] = { "xtalk.fext", "xtalk.next" };
    static const char *const db_key[2] = { "xtalk.fext_db", "xtalk.next_db" };
    static const char *const count_key[2] = { "xtalk.fext_count", "xtalk.next_count" };
    static const char *const vpp_key[2] = { "xtalk.fext_vpp", "xtalk.next_vpp" };
    size_t n_file[2], n_ana[2];
    ls_status st;
    for (int k = 0; k < 2; k++) {
        if ((st = xt_files(file_key[k], ls_config_str(c, file_key[k]), names[k], LS_XTALK_MAX_AGG, &n_file[k], msg,
                           cap)) != LS_OK)
            return st;
        n_ana[k] = ls_config_real(c, db_key[k]) > 0 ? (size_t)ls_config_int(c, count_key[k]) : 0;
    }
    const size_t total = n_file[0] + n_file[1] + n_ana[0] + n_ana[1];
    if (!total)
        return LS_OK;
    if (total > LS_XTALK_MAX_AGG) {
        lsi_say(msg, cap, "xtalk: %zu aggressors (xtalk.fext %zu + xtalk.next %zu files, xtalk.fext_count %zu + "
                "xtalk.next_count %zu analytic): at most %u", total, n_file[0], n_file[1], n_ana[0], n_ana[1],
                LS_XTALK_MAX_AGG);
        return LS_EINVAL;
    }
    ls_xtalk_config xc;
    ls_xtalk_config_init(&xc);
    xc.tx = s->tx;
    if (!ls_config_bool(c, "xtalk.tx_jitter")) /* aggressor jitter and noise: second order, off by default */
        xc.tx.rj_ui = xc.tx.dj_ui = xc.tx.sj_ui = xc.tx.dcd_ui = 0.0;
    xc.tx.snr_db = ls_config_real(c, "xtalk.snr_db");
    for (size_t i = i_tx; i < i_ch; i++)
        xc.tx_path[xc.n_tx_path++] = &s->blocks[i];
    ls_icn_config_init(&xc.icn, s->baud);
    const double fn = 0.5 * s->baud;
    for (int k = 0; k < 2; k++) {
        const ls_xt_type type = k ? LS_XT_NEXT : LS_XT_FEXT;
        const double vpp = ls_config_real(c, vpp_key[k]);
        for (size_t i = 0; i < n_file[k]; i++) {
            ls_xtalk_aggressor *a = &xc.agg[xc.n_agg++];
            *a = (ls_xtalk_aggressor){ .type = type, .swing_vpp = vpp };
            if ((st = xt_file_aggressor(c, file_key[k], names[k][i], s, t, a, msg, cap)) != LS_OK)
                return st;
        }
        if (!n_ana[k])
            continue;
        /* FEXT rides on the victim channel: g (j f / f_n) H_thru(f) / |H_thru(f_n)|; NEXT: g (j f / f_n)^0.75 */
        double g = pow(10.0, -ls_config_real(c, db_key[k]) / 20.0);
        if (!k) {
            const double thru = xt_gain(&s->blocks[i_ch], s->n_blocks - i_ch, fn);
            if (!(thru > 0) || !isfinite(thru) || s->n_blocks - i_ch + 1 > LS_XTALK_MAX_PATH) {
                lsi_say(msg, cap, "%s: the channel has no usable response at the Nyquist frequency", db_key[k]);
                return LS_EINVAL;
            }
            g /= thru;
        }
        ls_block b;
        if ((st = ls_xtalk_shape_into_block(type, g, fn, s->baud, &b)) != LS_OK) {
            lsi_say(msg, cap, "%s: invalid coupling (%s)", db_key[k], ls_strerror(st));
            return st;
        }
        const ls_block *shape = xt_keep(t, b);
        for (size_t i = 0; i < n_ana[k]; i++) {
            ls_xtalk_aggressor *a = &xc.agg[xc.n_agg++];
            *a = (ls_xtalk_aggressor){ .type = type, .swing_vpp = vpp };
            for (size_t j = i_ch; !k && j < s->n_blocks; j++)
                a->coupling[a->n_coupling++] = &s->blocks[j];
            a->coupling[a->n_coupling++] = shape;
        }
    }
    ls_block xb;
    char m[512] = "";
    if ((st = ls_xtalk_into_block(&xc, &xb, m, sizeof m)) != LS_OK) {
        lsi_say(msg, cap, "xtalk: %s", m[0] ? m : ls_strerror(st));
        return st;
    }
    return lsi_spec_push(s, xb, msg, cap);
}

static ls_status add_xtalk(const ls_config *c, lsi_link_spec *s, size_t i_tx, size_t i_ch, char *msg, size_t cap)
{
    xt_tmp t = { .n = 0 };
    ls_status st = xt_build(c, s, i_tx, i_ch, &t, msg, cap);
    for (size_t i = 0; i < t.n; i++)
        ls_block_destroy(&t.b[i]);
    return st;
}

/* channel.touchstone names a file while channel.type = cable would ignore it: an error naming the
   conflict (the file was silently ignored, and the default 1 m cable ran). LS_OK otherwise. */
static ls_status touchstone_conflict(const ls_config *c, char *msg, size_t cap)
{
    const char *path = ls_config_str(c, "channel.touchstone");
    if (path && *path && !strcmp(ls_config_str(c, "channel.type"), "cable")) {
        lsi_say(msg, cap, "channel.touchstone = %s, but channel.type = cable ignores it: set channel.type=touchstone "
                "to use the file, or leave channel.touchstone empty", path);
        return LS_EINVAL;
    }
    return LS_OK;
}

ls_status lsi_build_copper(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    ls_status st;
    if ((st = lsi_build_common(c, s, msg, cap)) != LS_OK)
        return st;
    if (s->sps < 8) {
        lsi_say(msg, cap, "link.sps: %u is too few samples per UI for a copper channel (use 8..128)", s->sps);
        return LS_EINVAL;
    }
    if ((st = touchstone_conflict(c, msg, cap)) != LS_OK)
        return st;
    const int ts = !strcmp(ls_config_str(c, "channel.type"), "touchstone");
    const size_t i_tx = s->n_blocks;
    if ((st = lsi_add_lowpass(c, s, "tx", 0.525, msg, cap)) != LS_OK)
        return st;
    const size_t i_ch = s->n_blocks;
    if ((st = (ts ? build_touchstone : build_cable)(c, s, msg, cap)) != LS_OK ||
        (st = add_xtalk(c, s, i_tx, i_ch, msg, cap)) != LS_OK ||
        (st = lsi_add_rx_noise(c, s, msg, cap)) != LS_OK || (st = lsi_add_ctle(c, s, msg, cap)) != LS_OK ||
        (st = lsi_add_lowpass(c, s, "rx", 0.58, msg, cap)) != LS_OK || (st = lsi_build_receiver(c, s, msg, cap)) != LS_OK)
        return st;
    return LS_OK;
}

ls_status ls_channel_sparams(const ls_config *c, const double *f_hz, size_t n, double complex *s21,
                             double complex *s11, double *delay_s, char *msg, size_t cap)
{
    if (!c || (n && (!f_hz || !s21 || !s11))) {
        lsi_say(msg, cap, "invalid arguments");
        return LS_EINVAL;
    }
    if (!ls_config_find(c, "channel.type") || strcmp(ls_config_str(c, "channel.type"), "cable")) {
        lsi_say(msg, cap, "preset %s has no analytic channel (channel.type = cable)", ls_config_preset(c));
        return LS_EINVAL;
    }
    ls_status st = touchstone_conflict(c, msg, cap);
    if (st != LS_OK)
        return st;
    ls_cascade_config cas;
    st = lsi_cable_cascade(c, &cas, msg, cap);
    if (st == LS_OK)
        st = ls_cascade_sparams(&cas, f_hz, n, s21, s11);
    if (st == LS_OK && delay_s)
        *delay_s = ls_cascade_bulk_delay_s(&cas);
    return st;
}

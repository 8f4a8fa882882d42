/*
 * Optical link presets.
 *
 * lpo (linear-drive pluggable optics): the host SerDes drives the optics directly; nothing in the
 * module retimes. Electrical path to the module: TX (FFE, 0.826 Vpp, Gaussian edge 0.525 baud,
 * SNR_TX 33 dB, RJ 0.01 UI, DJ 0.04 UI) -> host channel of host.loss_db at baud/2 (package ->
 * host PCB -> connector, host_channel.c). Module: linear driver (input CTLE undoing the host
 * channel, 4th-order Bessel at driver.bw_ghz, gain mapping the host swing onto the modulator's
 * drive range, tanh compression, output noise) -> modulator (default a SiPh push-pull MZM at
 * quadrature, docs/lpo.md; 2nd-order Butterworth at modulator.bw_ghz, static transfer, laser RIN
 * and linewidth) -> SMF of
 * link.length_m (attenuation, chromatic dispersion D(lambda) = (S0/4)(lambda - lambda0^4 /
 * lambda^3), connector losses) -> PIN photodiode (responsivity, shot noise, first-order bandwidth)
 * -> AC-coupled linear TIA (input noise density, 2nd-order bandwidth) -> connector -> host PCB ->
 * package -> host SerDes RX as in the copper preset (RX noise, COM CTLE with the g_DC search,
 * 0.58 baud Butterworth, ADC, 16-tap FFE, 1-tap DFE, MM CDR).
 * cpo (co-packaged optics): the same chain with the optical engine beside the switch ASIC (see
 * lsi_cpo_overrides): XSR trace, microring modulator, external laser source with coupling loss.
 * Bandwidths scale with the symbol rate (0 = the rule in each key's help), so the preset runs at
 * every lane rate. Component models and sources: docs/optics_tx.md, docs/optics_rx.md.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim/ctle.h"
#include "lanesim/fec.h"
#include "lanesim/filter.h"
#include "lanesim/optrx.h"
#include "lanesim/optx.h"
#include "ls_internal.h"
#include "ls_presets.h"

typedef lsi_optical_chain optical_chain; /* ls_presets.h: what the stages hand on to one another */

const char *const lsi_lpo_sections[] = { "link", "link_length", "tx", "jitter", "host", "driver", "laser",
                                         "modulator", "fibre", "pd", "rx", "ctle", "ami", "adc", "ffe", "dfe", "cdr",
                                         "noise", "slicer", "eye", "power", "module_power", "run", NULL };
static ls_status build_optical(const ls_config *c, lsi_link_spec *s, int host, optical_chain *o, char *msg, size_t cap);

/* An IEEE PMD class (pmd_class.c): the module's optical lane alone, TP2 to TP3 and the module DSP */
ls_status lsi_build_pmd(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    optical_chain o = { .hook = NULL };
    return build_optical(c, s, 0, &o, msg, cap);
}

ls_status lsi_build_lpo(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    optical_chain o = { .hook = NULL };
    return build_optical(c, s, 1, &o, msg, cap);
}

ls_status lsi_build_cpo(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    optical_chain o = { .hook = NULL };
    return build_optical(c, s, 1, &o, msg, cap);
}

ls_status lsi_build_optical_hooked(const ls_config *c, lsi_link_spec *s, lsi_optical_hook hook, void *ctx, char *msg,
                                   size_t cap)
{
    optical_chain o = { .hook = hook, .hook_ctx = ctx };
    return build_optical(c, s, 1, &o, msg, cap);
}

/* the hook of a preset built on this chain (cpo-wdm), at a stage; LS_OK without one */
static ls_status hook_at(const ls_config *c, lsi_link_spec *s, optical_chain *o, lsi_opt_stage stage, char *msg,
                         size_t cap)
{
    return o->hook ? o->hook(c, s, o, stage, msg, cap) : LS_OK;
}

/*
 * cpo (co-packaged optics): the same chain with an optical engine on the switch package: a very
 * short XSR trace (10 mm, no connector, 5 mm package line), a microring modulator fed by an external
 * laser source through a 3 dB coupling loss, low-power driver and TIA.
 */
const char *const lsi_cpo_overrides[] = { "link.length_m=500", "host.pcb_mm=10", "host.connector_ff=0",
                                          "package.zp_mm=5", "modulator.type=ring", "modulator.il_db=1",
                                          "laser.power_dbm=7", "laser.coupling_db=3", "laser.tec_mw=100", "tx.swing_vpp=0.5", "tx.ffe_pre=-0.05",
                                          "tx.snr_db=33", "tx.filter=gaussian", "tx.bw_ghz=0", "jitter.rj_ui=0.01",
                                          "jitter.dj_ui=0.04", "rx.filter=butterworth", "rx.bw_ghz=0",
                                          "rx.eta0_v2_ghz=6e-9", "adc.enable=true", "ffe.taps=16", "ffe.pre=5",
                                          "dfe.taps=1", "dfe.limit=0.85", "cdr.type=mm", "ffe.level_mu=0.004",
                                          "run.warmup_symbols=2048", NULL };

/* the operating point of docs/lpo.md: SiPh travelling-wave MZM (50 GHz, V_pi 5 V, 2 Vpp drive at
   quadrature on the rising slope: not inverting), 10 dBm CW laser, host channel of 8 dB at baud/2
   each side, the driver's CTLE undoing it */
const char *const lsi_lpo_overrides[] = { "link.length_m=500", "host.loss_db=8", "modulator.type=mzm",
                                          "modulator.vpi_v=5", "modulator.vpp_v=2", "modulator.bias_vpi=-0.5",
                                          "modulator.bw_ghz=50", "laser.power_dbm=10", "tx.swing_vpp=0.826",
                                          "tx.ffe_pre=-0.08", "tx.snr_db=33", "tx.filter=gaussian", "tx.bw_ghz=0",
                                          "jitter.rj_ui=0.01", "jitter.dj_ui=0.04", "rx.filter=butterworth",
                                          "rx.bw_ghz=0", "rx.eta0_v2_ghz=6e-9", "adc.enable=true", "ffe.taps=16",
                                          "ffe.pre=5", "dfe.taps=1", "dfe.limit=0.85", "cdr.type=mm", "ffe.level_mu=0.004",
                                          "laser.wpe=0.05", "laser.tec_mw=250", "run.warmup_symbols=2048", NULL };

static double ghz_or(const ls_config *c, const char *key, double rel, double baud)
{
    double g = ls_config_real(c, key);
    return g > 0 ? g * 1e9 : rel * baud;
}

static ls_status push_lowpass(lsi_link_spec *s, ls_lp_type type, unsigned order, double f3db_hz, const char *key,
                              char *msg, size_t cap)
{
    if (f3db_hz >= 0.5 * s->baud * s->sps) {
        lsi_say(msg, cap, "%s: %g GHz is at or above half the sample rate: raise link.sps", key, f3db_hz / 1e9);
        return LS_EINVAL;
    }
    ls_lowpass_config lp = { .type = type, .order = order, .f3db_hz = f3db_hz };
    ls_block b;
    ls_status st = ls_lowpass_into_block(&lp, &b);
    if (st != LS_OK) {
        lsi_say(msg, cap, "%s: invalid bandwidth", key);
        return st;
    }
    return lsi_spec_push(s, b, msg, cap);
}

/* supply power (docs/energy.md): given, or V_dd (I_out + I_gain). Output stage: into a back-
   terminated modulator (EML, MZM) a class-A stage of tail current bias_ratio x the current swing
   2 Vpp / R_L; into the ring's capacitance C the charge (M+1)/(3M) C Vpp per symbol (the mean
   level step of random PAM-M). Gain stages: driver.mw_per_ghz per GHz of the driver's bandwidth. */
static void driver_supply(const ls_config *c, const lsi_link_spec *s, const optical_chain *o, double f_drv,
                          ls_driver_config *dc)
{
    const double baud = o->baud;
    const double *drive = o->drive;
    if (ls_config_real(c, "driver.power_mw") > 0) {
        dc->supply_v = 1.0;
        dc->current_ma = ls_config_real(c, "driver.power_mw");
    } else {
        const double vdd = ls_config_real(c, "driver.vdd_v"), swing = drive[s->levels - 1] - drive[0];
        const double i_out = o->ring ? (s->levels + 1.0) / (3.0 * s->levels) *
                                           ls_config_real(c, "driver.load_ff") * 1e-15 * swing * baud
                                     : ls_config_real(c, "driver.bias_ratio") * 2.0 * swing /
                                           ls_config_real(c, "driver.load_ohm");
        dc->supply_v = vdd;
        dc->current_ma = 1e3 * i_out + ls_config_real(c, "driver.mw_per_ghz") * f_drv / 1e9 / vdd;
    }
}

/* The linear driver's input equalizer (a module with a host side): a peaking CTLE (ctle.c, one zero
   and a double pole, peak at baud/2) whose peaking driver.ctle_db undoes the host channel's loss at
   the Nyquist frequency; -1 = that loss less the channel's DC loss (host_channel.c), capped at
   LS_CTLE_PEAKING_MAX_DB (docs/lpo.md). */
static ls_status push_driver_ctle(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    double pk = ls_config_real(c, "driver.ctle_db");
    ls_status st;
    if (pk < 0) {
        ls_cascade_config cas;
        if ((st = lsi_host_channel(c, s->baud, LS_PKG_TX, &cas, msg, cap)) != LS_OK)
            return st;
        pk = lsi_cascade_loss_db(&cas, 0.5 * s->baud) - lsi_cascade_loss_db(&cas, 1e6);
        pk = fmin(fmax(pk, 0.0), LS_CTLE_PEAKING_MAX_DB);
    }
    if (!(pk > 0))
        return LS_OK;
    ls_ctle_config cc;
    ls_ctle_config_init(&cc);
    cc.form = LS_CTLE_PEAKING;
    cc.fpk_hz = 0.5 * s->baud;
    cc.peaking_db = pk;
    ls_block b;
    if ((st = ls_ctle_into_block(&cc, &b)) != LS_OK) {
        lsi_say(msg, cap, "driver.ctle_db: invalid driver CTLE");
        return st;
    }
    return lsi_spec_push(s, b, msg, cap);
}

/* The linear driver, and the modulator type and drive range it is set up for. Fills o->vpp,
   o->mzm, o->ring and o->drive. */
static ls_status push_driver(const ls_config *c, lsi_link_spec *s, optical_chain *o, int host, char *msg, size_t cap)
{
    ls_status st;
    if (host && (st = push_driver_ctle(c, s, msg, cap)) != LS_OK)
        return st;
    /* linear driver: gain mapping the outer TX level (swing/2 at DC) onto the modulator's +-vpp/2 */
    o->vpp = ls_config_real(c, "modulator.vpp_v");
    ls_driver_config dc;
    ls_driver_config_init(&dc);
    double g_db = ls_config_real(c, "driver.gain_db");
    dc.gain_db = g_db > 0 ? g_db : 20.0 * log10(o->vpp / s->tx.swing_vpp);
    dc.vsat_v = ls_config_real(c, "driver.vsat_v");
    dc.noise_v_rthz = ls_config_real(c, "driver.noise_v_rthz");
    dc.stream = 60;
    const char *mt = ls_config_str(c, "modulator.type");
    o->mzm = !strcmp(mt, "mzm");
    o->ring = !strcmp(mt, "ring");
    double v[LS_PAM_MAX_LEVELS], *drive = o->drive;
    ls_pam_levels(s->levels, s->tx.rlm, v);
    /* the drive each level produces (DC path: driver gain and compression), for the static levels */
    const double g_lin = pow(10.0, dc.gain_db / 20.0);
    for (unsigned i = 0; i < s->levels; i++) {
        double x = g_lin * 0.5 * s->tx.swing_vpp * v[i];
        drive[i] = isfinite(dc.vsat_v) ? dc.vsat_v * tanh(x / dc.vsat_v) : x;
    }
    const double f_drv = ghz_or(c, "driver.bw_ghz", 0.7, o->baud);
    driver_supply(c, s, o, f_drv, &dc);
    ls_block b;
    if ((st = push_lowpass(s, LS_LP_BESSEL, 4, f_drv, "driver.bw_ghz", msg, cap)) != LS_OK)
        return st;
    if ((st = ls_driver_into_block(&dc, o->fs, &b)) != LS_OK) {
        lsi_say(msg, cap, "driver: invalid driver configuration");
        return st;
    }
    return lsi_spec_push(s, b, msg, cap);
}

/* The modulator block of modulator.type (ring, MZM or EML) fed by the laser lc, into *b. */
static ls_status modulator_into_block(const ls_config *c, const optical_chain *o, const ls_laser_config *lc,
                                      lsi_link_spec *s, ls_block *b, char *msg, size_t cap)
{
    const double fs = o->fs, vpp = o->vpp;
    const int dml = lsi_dml_type(c);
    snprintf(s->drive_keys, sizeof s->drive_keys, "%s, driver.gain_db, tx.swing_vpp",
             o->ring  ? "modulator.bias_detune_ghz, modulator.detune_ghz_per_v"
             : o->mzm ? "modulator.vpp_v, modulator.vpi_v, modulator.bias_vpi"
             : dml == 2 ? "modulator.vpp_v, vcsel.ma_per_v, vcsel.ibias_ma"
             : dml    ? "modulator.vpp_v, modulator.ma_per_v, laser.power_dbm"
                      : "modulator.vpp_v, modulator.er_db");
    if (dml)
        return lsi_dml_block(c, lc, fs, b, msg, cap); /* with its own messages */
    if (o->ring) {
        ls_ring_config rc;
        ls_ring_config_init(&rc);
        rc.laser = *lc;
        rc.q_loaded = ls_config_real(c, "modulator.q_loaded");
        rc.detune_ghz_per_v = ls_config_real(c, "modulator.detune_ghz_per_v");
        rc.bias_detune_ghz = ls_config_real(c, "modulator.bias_detune_ghz");
        rc.il_db = ls_config_real(c, "modulator.il_db");
        rc.heater_mw = ls_config_real(c, "modulator.heater_mw");
        rc.fsr_ghz = ls_config_real(c, "modulator.fsr_ghz");
        if (!(rc.q_intrinsic > rc.q_loaded))
            rc.q_intrinsic = 2.4 * rc.q_loaded;
        return ls_ring_into_block(&rc, fs, b);
    } else if (o->mzm) {
        ls_mzm_config mc;
        ls_mzm_config_init(&mc);
        mc.laser = *lc;
        /* the bias follows V_pi: the operating point modulator.bias_vpi is a fraction of it */
        const double vpi = ls_config_real(c, "modulator.vpi_v");
        mc.vpi_v = vpi > 0 ? vpi : vpp;
        mc.bias_v = ls_config_real(c, "modulator.bias_vpi") * mc.vpi_v;
        mc.il_db = ls_config_real(c, "modulator.il_db");
        return ls_mzm_into_block(&mc, fs, b);
    } else {
        ls_eml_config ec;
        ls_eml_config_init(&ec);
        ec.laser = *lc;
        ec.er_db = ls_config_real(c, "modulator.er_db");
        ec.vpp_v = vpp;
        ec.alpha = ls_config_real(c, "modulator.alpha");
        ec.il_db = ls_config_real(c, "modulator.il_db");
        return ls_eml_into_block(&ec, fs, b);
    }
}

/* The laser and modulator, with the launch power of each level. Fills o->lev_mw and o->wavelength_nm. */
static ls_status push_modulator(const ls_config *c, lsi_link_spec *s, optical_chain *o, char *msg, size_t cap)
{
    ls_status st;
    ls_block b;
    /* laser and modulator: laser.power_dbm reaches the modulator; the laser emits coupling_db more */
    ls_laser_config lc;
    ls_laser_config_init(&lc);
    lc.laser_mw = pow(10.0, ls_config_real(c, "laser.power_dbm") / 10.0);
    lc.coupling_db = ls_config_real(c, "laser.coupling_db");
    lc.rin_db_hz = ls_config_bool(c, "laser.rin") ? ls_config_real(c, "laser.rin_db_hz") : -INFINITY;
    lc.linewidth_hz = ls_config_real(c, "laser.linewidth_mhz") * 1e6;
    lc.wavelength_nm = ls_config_real(c, "laser.wavelength_nm");
    lc.wall_plug_eff = ls_config_real(c, "laser.wpe");
    lc.stream = 70;
    o->wavelength_nm = lc.wavelength_nm;
    const double f_mod = ghz_or(c, "modulator.bw_ghz", 0.75, o->baud);
    if ((st = push_lowpass(s, LS_LP_BUTTERWORTH, 2, f_mod, "modulator.bw_ghz", msg, cap)) != LS_OK)
        return st;
    if ((st = modulator_into_block(c, o, &lc, s, &b, msg, cap)) != LS_OK) {
        if (!lsi_dml_type(c))
            lsi_say(msg, cap, "modulator: invalid modulator configuration (check modulator.* and laser.*)");
        return st;
    }
    if ((st = ls_optx_levels(&b, o->drive, s->levels, o->lev_mw)) != LS_OK)
        return st;
    o->i_mod = s->n_blocks;
    return lsi_spec_push(s, b, msg, cap);
}

/* The fibre; records the launch powers and the fibre loss in the spec. Fills o->loss. */
static ls_status push_fibre(const ls_config *c, lsi_link_spec *s, optical_chain *o, char *msg, size_t cap)
{
    ls_block b;
    ls_fibre_config fc;
    ls_fibre_config_init(&fc);
    fc.length_m = ls_config_real(c, "link.length_m");
    fc.wavelength_nm = o->wavelength_nm;
    fc.lambda0_nm = ls_config_real(c, "fibre.lambda0_nm");
    fc.s0_ps_nm2_km = ls_config_real(c, "fibre.s0_ps_nm2_km");
    fc.atten_db_km = ls_config_real(c, "fibre.atten_db_km");
    fc.n_connectors = (unsigned)ls_config_int(c, "fibre.connectors");
    if (ls_config_find(c, "fibre.penalty_db")) { /* a penalty allocation as one lumped loss */
        fc.splice_db = ls_config_real(c, "fibre.penalty_db");
        fc.n_splices = fc.splice_db > 0;
    }
    fc.span_bw_hz = 0.5 * o->fs;
    lsi_mpi_keys(c, &fc);
    ls_status st;
    double loss_db = ls_fibre_loss_db(&fc);
    if (lsi_mmf_on(c)) {
        if ((st = lsi_mmf_block(c, &fc, &b, &loss_db, msg, cap)) != LS_OK)
            return st;
    } else if ((st = ls_fibre_into_block(&fc, &b)) != LS_OK) {
        lsi_say(msg, cap, "fibre: invalid fibre configuration (check link.length_m and fibre.*)");
        return st;
    }
    o->loss = pow(10.0, -loss_db / 10.0);
    o->fc = fc;
    s->optical = 1;
    s->fibre_loss_db = loss_db;
    for (unsigned i = 0; i < s->levels; i++)
        s->launch_p_mw[i] = o->lev_mw[i];
    return lsi_spec_push(s, b, msg, cap);
}

/* The receiver front end: photodiode and TIA (AC coupled: the mean photocurrent of the received
   levels is removed), each with its bandwidth. */
static ls_status push_front_end(const ls_config *c, lsi_link_spec *s, optical_chain *o, char *msg, size_t cap)
{
    const double fs = o->fs, baud = o->baud;
    ls_status st;
    ls_block b;
    double p_avg = 0;
    for (unsigned i = 0; i < s->levels; i++)
        p_avg += o->lev_mw[i] * 1e-3 * o->loss / s->levels;
    ls_photodiode_config pc;
    ls_photodiode_config_init(&pc);
    pc.responsivity_a_w = ls_config_real(c, "pd.responsivity_a_w");
    pc.fs_hz = fs;
    pc.p_op_w = p_avg;
    pc.shot_noise = ls_config_bool(c, "pd.shot_noise");
    pc.stream = 80;
    lsi_pd_keys(c, &o->fc, baud, &pc); /* APD, dark current, mode partition noise */
    if ((st = ls_photodiode_into_block(&pc, &b)) != LS_OK) {
        lsi_say(msg, cap, "pd: invalid photodiode configuration");
        return st;
    }
    o->i_pd = s->n_blocks;
    if ((st = lsi_spec_push(s, b, msg, cap)) != LS_OK ||
        (st = push_lowpass(s, LS_LP_RC, 1, ghz_or(c, "pd.bw_ghz", 0.75, baud), "pd.bw_ghz", msg, cap)) != LS_OK)
        return st;
    ls_tia_config tc;
    ls_tia_config_init(&tc);
    tc.zt_ohm = ls_config_real(c, "tia.zt_ohm");
    tc.noise_pa_rthz = ls_config_bool(c, "tia.thermal_noise") ? ls_config_real(c, "tia.noise_pa_rthz") : 0.0;
    tc.fs_hz = fs;
    tc.ac_coupled = 1;
    tc.i_dc_a = pc.apd_gain * (pc.responsivity_a_w * p_avg + pc.dark_a);
    /* supply power: given, or tia.mw_per_ghz per GHz of the TIA's bandwidth (docs/energy.md) */
    const double f_tia = ghz_or(c, "tia.bw_ghz", 0.6, baud);
    tc.power_mw = ls_config_real(c, "tia.power_mw") > 0 ? ls_config_real(c, "tia.power_mw")
                                                        : ls_config_real(c, "tia.mw_per_ghz") * f_tia / 1e9;
    tc.stream = 90;
    if ((st = ls_tia_into_block(&tc, &b)) != LS_OK) {
        lsi_say(msg, cap, "tia: invalid TIA configuration");
        return st;
    }
    if ((st = lsi_spec_push(s, b, msg, cap)) != LS_OK ||
        (st = push_lowpass(s, LS_LP_BUTTERWORTH, 2, f_tia, "tia.bw_ghz", msg, cap)) != LS_OK)
        return st;
    return hook_at(c, s, o, LSI_OPT_AFTER_FRONT_END, msg, cap);
}

static ls_status build_optical(const ls_config *c, lsi_link_spec *s, int host, optical_chain *o_in, char *msg,
                               size_t cap)
{
    ls_status st;
    if ((st = lsi_build_common(c, s, msg, cap)) != LS_OK)
        return st;
    if (!host && ls_config_find(c, "link.inner_fec") && ls_config_bool(c, "link.inner_fec")) {
        /* 200G/lane IM-DD optics with the Hamming(128,120) inner code: 113.4375 GBd for 106.25 GBd */
        s->baud *= LS_IFEC_RATE_RATIO;
        s->tx.baud = s->baud;
        s->inner_fec = strcmp(ls_config_str(c, "link.inner_fec_decoder"), "chase") ? LS_IFEC_HARD : LS_IFEC_CHASE;
        s->inner_chase_l = (unsigned)ls_config_int(c, "link.inner_fec_chase_l");
        if (s->levels != 4) {
            lsi_say(msg, cap, "link.inner_fec: the inner code is defined for PAM4 (link.modulation=pam4)");
            return LS_EINVAL;
        }
    }
    if (s->sps < 8) {
        lsi_say(msg, cap, "link.sps: %u is too few samples per UI for an optical link (use 8..128)", s->sps);
        return LS_EINVAL;
    }
    optical_chain o = *o_in;
    o.fs = s->baud * s->sps;
    o.baud = s->baud;
    o.i_tx = s->n_blocks;
    if ((st = lsi_add_lowpass(c, s, "tx", 0.525, msg, cap)) != LS_OK ||
        (host && (st = lsi_host_side(c, s, LS_PKG_TX, msg, cap)) != LS_OK))
        return st;
    if ((st = push_driver(c, s, &o, host, msg, cap)) != LS_OK || (st = push_modulator(c, s, &o, msg, cap)) != LS_OK ||
        (st = hook_at(c, s, &o, LSI_OPT_AFTER_MODULATOR, msg, cap)) != LS_OK ||
        (st = push_fibre(c, s, &o, msg, cap)) != LS_OK || (st = hook_at(c, s, &o, LSI_OPT_AFTER_FIBRE, msg, cap)) != LS_OK ||
        (st = push_front_end(c, s, &o, msg, cap)) != LS_OK)
        return st;

    /* back to the host SerDes (or, in a retimed module, straight into the module's ADC and DSP) */
    if ((host && (st = lsi_host_side(c, s, LS_PKG_RX, msg, cap)) != LS_OK) || (st = lsi_add_rx_noise(c, s, msg, cap)) != LS_OK ||
        (st = lsi_add_ctle(c, s, msg, cap)) != LS_OK || (st = lsi_add_lowpass(c, s, "rx", 0.58, msg, cap)) != LS_OK ||
        (st = lsi_build_receiver(c, s, msg, cap)) != LS_OK)
        return st;
    return LS_OK;
}

/*
 * dsp-retimed (pluggable with a DSP): three segments, each ending in a decision, so their bit errors
 * add (sim/run.c). 0: host SerDes TX -> package -> host PCB -> connector -> module PCB -> module
 * receiver (CTLE, ADC, FFE, DFE, CDR); 1: module DSP TX (FFE, DAC) -> driver -> modulator -> SMF ->
 * PIN/TIA -> ADC + DSP FFE (+ MLSE) + CDR, optionally at the inner-FEC rate; 2: module TX -> module
 * PCB -> connector -> host PCB -> package -> host SerDes RX. The segments share the TX and receiver
 * keys; each regenerates the symbols, so a segment's channel never reaches the next one.
 */
const char *const lsi_retimed_sections[] = { "link", "link_length", "segment", "tx", "jitter", "host", "driver",
                                             "laser", "modulator", "fibre", "pd", "rx", "ctle", "ami", "adc", "ffe",
                                             "dfe", "cdr", "mlse", "noise", "slicer", "eye", "power", "module_power",
                                             "run", NULL };
const char *const lsi_retimed_overrides[] = { "link.length_m=500", "host.pcb_mm=120", "tx.swing_vpp=0.826",
                                              "tx.ffe_pre=-0.08", "tx.snr_db=33", "tx.filter=gaussian",
                                              "tx.bw_ghz=0", "jitter.rj_ui=0.01", "jitter.dj_ui=0.04",
                                              "rx.filter=butterworth", "rx.bw_ghz=0", "rx.eta0_v2_ghz=6e-9",
                                              "adc.enable=true", "ffe.taps=16", "ffe.pre=5", "dfe.taps=1",
                                              "dfe.limit=0.85", "cdr.type=mm", "ffe.level_mu=0.004",
                                              "laser.wpe=0.05", "laser.tec_mw=250", "run.warmup_symbols=2048", NULL };
const char *const lsi_retimed_segments[] = { "host-to-module", "optical", "module-to-host", NULL };

/* An electrical segment between the host SerDes and the module DSP (seg 0: host to module; 2: back). */
static ls_status build_electrical(const ls_config *c, lsi_link_spec *s, int to_module, char *msg, size_t cap)
{
    ls_status st;
    if ((st = lsi_build_common(c, s, msg, cap)) != LS_OK || (st = lsi_add_lowpass(c, s, "tx", 0.525, msg, cap)) != LS_OK)
        return st;
    ls_cascade_config cas;
    ls_cascade_config_init(&cas);
    cas.span_max_s = 3e-9; /* as host_channel.c */
    const double pcb = ls_config_real(c, "host.pcb_mm") * 1e-3, conn = ls_config_real(c, "host.connector_ff") * 1e-15;
    const double mod = ls_config_real(c, "module.pcb_mm") * 1e-3;
    if (to_module) {
        if ((st = lsi_add_package(c, LS_PKG_TX, &cas, msg, cap)) != LS_OK ||
            (st = lsi_add_line(&cas, "pcb_lowloss", pcb, msg, cap)) != LS_OK ||
            (st = lsi_add_shunt(&cas, conn, msg, cap)) != LS_OK ||
            (st = lsi_add_line(&cas, "pcb_lowloss", mod, msg, cap)) != LS_OK)
            return st;
    } else {
        if ((st = lsi_add_line(&cas, "pcb_lowloss", mod, msg, cap)) != LS_OK ||
            (st = lsi_add_shunt(&cas, conn, msg, cap)) != LS_OK ||
            (st = lsi_add_line(&cas, "pcb_lowloss", pcb, msg, cap)) != LS_OK ||
            (st = lsi_add_package(c, LS_PKG_RX, &cas, msg, cap)) != LS_OK)
            return st;
    }
    if ((cas.n_seg && (st = lsi_push_cascade(s, &cas, msg, cap)) != LS_OK) ||
        (st = lsi_add_rx_noise(c, s, msg, cap)) != LS_OK || (st = lsi_add_ctle(c, s, msg, cap)) != LS_OK ||
        (st = lsi_add_lowpass(c, s, "rx", 0.58, msg, cap)) != LS_OK || (st = lsi_build_receiver(c, s, msg, cap)) != LS_OK)
        return st;
    return LS_OK;
}

ls_status lsi_build_retimed(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    switch (s->segment) {
    case 0: return build_electrical(c, s, 1, msg, cap);
    case 1: {
        optical_chain o = { .hook = NULL };
        return build_optical(c, s, 0, &o, msg, cap);
    }
    default: return build_electrical(c, s, 0, msg, cap);
    }
}

/*
 * The four modulator devices (docs/optics_tx.md; the full model statement is modulator.c's
 * header): EML/EAM, Mach-Zehnder, DML/VCSEL and microring. Each has its documented defaults
 * (_config_init), validates its configuration and derives the constants of its static map and
 * dynamics (_into_block):
 *
 *  - EML: c = ER ln10/10, V_on = Vpp/2, ln T_on = -IL ln10/10.
 *  - MZM: amplitude loss L = 10^(-IL/20), pi / Vpi.
 *  - DML: dP/du = eta g_m; H(s) = wr^2 / (s^2 + gamma s + wr^2) (small-signal rate equations,
 *    Coldren & Corzine ch. 5) by the bilinear transform prewarped at f_r; adiabatic phase per
 *    sample alpha/2 kappa / fs [Koch & Bowers, Electron. Lett. 20(25) 1984].
 *  - ring: a = exp(-pi nu0 / (Q_i FSR)), r = exp(-pi nu0 / (Q_c FSR)), 1/Q_c = 1/Q_l - 1/Q_i
 *    [Bogaerts et al., Laser Photonics Rev. 6(1) 2012]; photon lifetime tau = Q_l lambda / (2 pi c)
 *    and the step-invariant low-pass coefficient 1 - e^{-1/(fs tau)}.
 */
#include <math.h>

#include "modulator_internal.h"

#define C_LIGHT 299792458.0

static int fin(double v)
{
    return isfinite(v);
}

static int fin_gt0(double v)
{
    return isfinite(v) && v > 0;
}

static int fin_ge0(double v)
{
    return isfinite(v) && v >= 0;
}

static int fs_ok(double fs)
{
    return fin_gt0(fs);
}

static ls_status finish(lsi_mod *q, ls_block *out)
{
    out->ops = &q->ops;
    out->self = q;
    return LS_OK;
}

static ls_status begin(ls_block *out)
{
    if (!out)
        return LS_EINVAL;
    out->ops = NULL;
    out->self = NULL;
    return LS_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* EML                                                                                      */

void ls_eml_config_init(ls_eml_config *cfg)
{
    if (!cfg)
        return;
    ls_laser_config_init(&cfg->laser);
    cfg->er_db = 5.2;
    cfg->vpp_v = 2.0;
    cfg->il_db = 3.0;
    cfg->alpha = 0.5;
    cfg->shape = 1.0;
}

ls_status ls_eml_into_block(const ls_eml_config *cfg, double fs_hz, ls_block *out)
{
    if (begin(out) != LS_OK)
        return LS_EINVAL;
    if (!cfg || !fs_ok(fs_hz) || !lsi_laser_valid(&cfg->laser) || !fin_gt0(cfg->er_db) ||
        cfg->er_db > 60.0 || !fin_gt0(cfg->vpp_v) || !fin_ge0(cfg->il_db) || !fin(cfg->alpha) ||
        fabs(cfg->alpha) > 20.0 || !(cfg->shape >= 1.0 && cfg->shape <= 4.0))
        return LS_EINVAL;
    lsi_mod *q = lsi_mod_new(LSI_MOD_EML, &cfg->laser, fs_hz);
    if (!q)
        return LS_ENOMEM;
    q->cfg.eml = *cfg;
    q->eml_c = cfg->er_db * M_LN10 / 10.0;
    q->eml_von = 0.5 * cfg->vpp_v;
    q->eml_ivpp = 1.0 / cfg->vpp_v;
    q->eml_lnton = -cfg->il_db * M_LN10 / 10.0;
    return finish(q, out);
}

/* ---------------------------------------------------------------------------------------- */
/* MZM                                                                                      */

void ls_mzm_config_init(ls_mzm_config *cfg)
{
    if (!cfg)
        return;
    ls_laser_config_init(&cfg->laser);
    cfg->drive = LS_MZM_PUSH_PULL;
    cfg->vpi_v = 4.0;
    cfg->bias_v = 2.0;
    cfg->il_db = 3.0;
}

ls_status ls_mzm_into_block(const ls_mzm_config *cfg, double fs_hz, ls_block *out)
{
    if (begin(out) != LS_OK)
        return LS_EINVAL;
    if (!cfg || !fs_ok(fs_hz) || !lsi_laser_valid(&cfg->laser) ||
        (cfg->drive != LS_MZM_PUSH_PULL && cfg->drive != LS_MZM_SINGLE_ARM) ||
        !fin_gt0(cfg->vpi_v) || !fin(cfg->bias_v) || !fin_ge0(cfg->il_db))
        return LS_EINVAL;
    lsi_mod *q = lsi_mod_new(LSI_MOD_MZM, &cfg->laser, fs_hz);
    if (!q)
        return LS_ENOMEM;
    q->cfg.mzm = *cfg;
    q->loss = pow(10.0, -cfg->il_db / 20.0);
    q->mzm_k = M_PI / cfg->vpi_v;
    return finish(q, out);
}

/* ---------------------------------------------------------------------------------------- */
/* DML / VCSEL                                                                              */

void ls_dml_config_init(ls_dml_config *cfg)
{
    if (!cfg)
        return;
    ls_laser_config_init(&cfg->laser);
    cfg->laser.rin_db_hz = -145.0;
    cfg->laser.linewidth_hz = 2e6;
    cfg->fr_hz = 30e9;
    cfg->gamma_per_s = 2.3e11;
    cfg->slope_w_per_a = 0.3;
    cfg->ma_per_v = 20.0;
    cfg->alpha = 3.0;
    cfg->kappa_per_w_s = 4e12;
    cfg->rollover_ma = 0.0;
}

void ls_dml_config_init_vcsel(ls_dml_config *cfg)
{
    if (!cfg)
        return;
    ls_dml_config_init(cfg);
    cfg->laser.laser_mw = 2.0;
    cfg->laser.rin_db_hz = -135.0;
    cfg->laser.linewidth_hz = 50e6;
    cfg->laser.wavelength_nm = 850.0;
    cfg->laser.wall_plug_eff = 0.3;
    cfg->fr_hz = 25e9;
    cfg->gamma_per_s = 1.9e11;
    cfg->slope_w_per_a = 0.6;
    cfg->kappa_per_w_s = 2e13;
}

ls_status ls_dml_into_block(const ls_dml_config *cfg, double fs_hz, ls_block *out)
{
    if (begin(out) != LS_OK)
        return LS_EINVAL;
    if (!cfg || !fs_ok(fs_hz) || !lsi_laser_valid(&cfg->laser) || !fin_gt0(cfg->fr_hz) ||
        !(cfg->fr_hz < 0.5 * fs_hz) || !fin_gt0(cfg->gamma_per_s) || !fin_gt0(cfg->slope_w_per_a) ||
        !fin_gt0(cfg->ma_per_v) || !fin(cfg->alpha) || fabs(cfg->alpha) > 20.0 ||
        !fin_ge0(cfg->kappa_per_w_s) || !fin_ge0(cfg->rollover_ma) ||
        (cfg->rollover_ma > 0 && !(cfg->laser.laser_mw < 0.5 * cfg->slope_w_per_a * cfg->rollover_ma)))
        return LS_EINVAL;
    lsi_mod *q = lsi_mod_new(LSI_MOD_DML, &cfg->laser, fs_hz);
    if (!q)
        return LS_ENOMEM;
    q->cfg.dml = *cfg;
    q->dml_k = cfg->slope_w_per_a * cfg->ma_per_v;
    /* rollover: the bias current above threshold j_b solves eta (j_b - j_b^2 / (2 j_r)) = P0 on the
       rising branch, j_b = j_r (1 - sqrt(1 - 2 P0 / (eta j_r))) */
    q->dml_jr = cfg->rollover_ma;
    if (q->dml_jr > 0)
        q->dml_jb = q->dml_jr * (1.0 - sqrt(1.0 - 2.0 * cfg->laser.laser_mw / (cfg->slope_w_per_a * q->dml_jr)));
    q->dml_ad = 0.5 * cfg->alpha * cfg->kappa_per_w_s / fs_hz;
    /* H(s) = wr^2 / (s^2 + gamma s + wr^2), s = K (1 - z^-1) / (1 + z^-1), K prewarped at wr */
    const double wr = 2.0 * M_PI * cfg->fr_hz, g = cfg->gamma_per_s;
    const double k = wr / tan(wr / (2.0 * fs_hz)), a0 = k * k + g * k + wr * wr;
    q->bq_b[0] = wr * wr / a0;
    q->bq_b[1] = 2.0 * wr * wr / a0;
    q->bq_b[2] = wr * wr / a0;
    q->bq_a[0] = 1.0;
    q->bq_a[1] = (2.0 * wr * wr - 2.0 * k * k) / a0;
    q->bq_a[2] = (k * k - g * k + wr * wr) / a0;
    return finish(q, out);
}

/* ---------------------------------------------------------------------------------------- */
/* Ring                                                                                     */

void ls_ring_config_init(ls_ring_config *cfg)
{
    if (!cfg)
        return;
    ls_laser_config_init(&cfg->laser);
    cfg->q_loaded = 5000.0;
    cfg->q_intrinsic = 12000.0;
    cfg->fsr_ghz = 2000.0;
    cfg->bias_detune_ghz = -20.0;
    cfg->detune_ghz_per_v = 8.0;
    cfg->il_db = 1.0;
    cfg->heater_mw = 2.0;
}

ls_status ls_ring_into_block(const ls_ring_config *cfg, double fs_hz, ls_block *out)
{
    if (begin(out) != LS_OK)
        return LS_EINVAL;
    if (!cfg || !fs_ok(fs_hz) || !lsi_laser_valid(&cfg->laser) || !fin_gt0(cfg->q_loaded) ||
        isnan(cfg->q_intrinsic) || !(cfg->q_intrinsic > cfg->q_loaded) || !fin_gt0(cfg->fsr_ghz) ||
        !fin(cfg->bias_detune_ghz) || !fin(cfg->detune_ghz_per_v) || !fin_ge0(cfg->il_db) ||
        !fin_ge0(cfg->heater_mw))
        return LS_EINVAL;
    const double nu0 = C_LIGHT / (cfg->laser.wavelength_nm * 1e-9), fsr = cfg->fsr_ghz * 1e9;
    if (!(nu0 / cfg->q_loaded < 0.5 * fsr)) /* finesse > 2 */
        return LS_EINVAL;
    lsi_mod *q = lsi_mod_new(LSI_MOD_RING, &cfg->laser, fs_hz);
    if (!q)
        return LS_ENOMEM;
    q->cfg.ring = *cfg;
    q->loss = pow(10.0, -cfg->il_db / 20.0);
    const double qc = 1.0 / (1.0 / cfg->q_loaded - 1.0 / cfg->q_intrinsic);
    q->ring_a = isinf(cfg->q_intrinsic) ? 1.0 : exp(-M_PI * nu0 / (cfg->q_intrinsic * fsr));
    q->ring_r = exp(-M_PI * nu0 / (qc * fsr));
    const double tau = cfg->q_loaded / (2.0 * M_PI * nu0);
    q->ring_c = -expm1(-1.0 / (fs_hz * tau));
    q->ring_dth = 2.0 * M_PI * cfg->detune_ghz_per_v / cfg->fsr_ghz;
    return finish(q, out);
}

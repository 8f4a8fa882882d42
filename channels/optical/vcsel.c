/*
 * VCSEL (directly modulated vertical-cavity laser) as an F32 -> CF32 block; statement in
 * include/lanesim/vcsel.h and docs/optics_tx.md "VCSEL". A Wiener model realised by the DML block
 * (modulator_devices.c, modulator.c):
 *
 *  - small signal at the bias point (Coldren, Corzine & Masanovic, Diode Lasers and Photonic
 *    Integrated Circuits, 2nd ed., ch. 5; Westbergh et al., Semicond. Sci. Technol. 26, 2011):
 *      f_r = D sqrt(I_bias - I_th),  gamma = K f_r^2 + gamma_0,
 *      H(f) = f_r^2 / (f_r^2 - f^2 + j f gamma / (2 pi));
 *    -3 dB bandwidth: with x = f^2, g = gamma / (2 pi), |H|^2 = 1/2 gives
 *      x^2 + (g^2 - 2 f_r^2) x - f_r^4 = 0,  f_3dB = sqrt(((2 f_r^2 - g^2) + sqrt((2 f_r^2 - g^2)^2 + 4 f_r^4)) / 2);
 *  - static L-I curve with thermal rollover (empirical quadratic, self-heating):
 *      P(j) = eta (j - j^2 / (2 j_r)) for 0 <= j <= j_r (peak eta j_r / 2), j = I - I_th,
 *    so the small-signal slope at bias is eta (1 - j_b / j_r); the compression of the outer PAM4
 *    levels is the non-linearity that the small-signal model lacks;
 *  - chirp (alpha, kappa), RIN and linewidth as the DML (Koch & Bowers 1984; the laser of laser.c).
 */
#include <math.h>

#include "lanesim/vcsel.h"

void ls_vcsel_config_init(ls_vcsel_config *cfg)
{
    if (!cfg)
        return;
    ls_laser_config_init(&cfg->laser);
    cfg->laser.rin_db_hz = -150.0;
    cfg->laser.linewidth_hz = 50e6;
    cfg->laser.wavelength_nm = 850.0;
    cfg->laser.wall_plug_eff = 0.3;
    cfg->ith_ma = 0.5;
    cfg->ibias_ma = 6.0;
    cfg->d_ghz_rtma = 15.0;
    cfg->k_ns = 0.15;
    cfg->gamma0_per_ns = 10.0;
    cfg->slope_w_per_a = 0.6;
    cfg->rollover_ma = 30.0;
    cfg->ma_per_v = 5.0;
    cfg->alpha = 3.0;
    cfg->kappa_per_w_s = 2e13;
}

static int fin_in(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

ls_status ls_vcsel_validate(const ls_vcsel_config *cfg)
{
    if (!cfg || !fin_in(cfg->ith_ma, 0.0, 100.0) || !fin_in(cfg->ibias_ma, 0.0, 1000.0) ||
        !(cfg->ibias_ma > cfg->ith_ma) || !fin_in(cfg->d_ghz_rtma, 1e-3, 1000.0) || !fin_in(cfg->k_ns, 0.0, 100.0) ||
        !fin_in(cfg->gamma0_per_ns, 0.0, 1e5) || !(cfg->k_ns > 0 || cfg->gamma0_per_ns > 0) ||
        !fin_in(cfg->slope_w_per_a, 1e-6, 10.0) || !fin_in(cfg->rollover_ma, 0.0, 1e4) ||
        (cfg->rollover_ma > 0 && !(cfg->rollover_ma > cfg->ibias_ma - cfg->ith_ma)) ||
        !fin_in(cfg->ma_per_v, 1e-6, 1e4) || !fin_in(cfg->alpha, -20.0, 20.0) ||
        !fin_in(cfg->kappa_per_w_s, 0.0, 1e18))
        return LS_EINVAL;
    return LS_OK;
}

double ls_vcsel_fr_hz(const ls_vcsel_config *cfg)
{
    if (ls_vcsel_validate(cfg) != LS_OK)
        return NAN;
    return cfg->d_ghz_rtma * 1e9 * sqrt(cfg->ibias_ma - cfg->ith_ma);
}

double ls_vcsel_gamma_per_s(const ls_vcsel_config *cfg)
{
    const double fr_ghz = ls_vcsel_fr_hz(cfg) * 1e-9;
    if (!isfinite(fr_ghz))
        return NAN;
    return (cfg->k_ns * fr_ghz * fr_ghz + cfg->gamma0_per_ns) * 1e9;
}

double ls_vcsel_p0_mw(const ls_vcsel_config *cfg)
{
    if (ls_vcsel_validate(cfg) != LS_OK)
        return NAN;
    const double j = cfg->ibias_ma - cfg->ith_ma;
    return cfg->rollover_ma > 0 ? cfg->slope_w_per_a * (j - 0.5 * j * j / cfg->rollover_ma) : cfg->slope_w_per_a * j;
}

double ls_vcsel_slope_at_bias(const ls_vcsel_config *cfg)
{
    if (ls_vcsel_validate(cfg) != LS_OK)
        return NAN;
    const double j = cfg->ibias_ma - cfg->ith_ma;
    return cfg->rollover_ma > 0 ? cfg->slope_w_per_a * (1.0 - j / cfg->rollover_ma) : cfg->slope_w_per_a;
}

ls_status ls_vcsel_response(const ls_vcsel_config *cfg, const double *f_hz, double complex *h, size_t n)
{
    if (ls_vcsel_validate(cfg) != LS_OK || (n && (!f_hz || !h)))
        return LS_EINVAL;
    const double fr = ls_vcsel_fr_hz(cfg), g = ls_vcsel_gamma_per_s(cfg) / (2.0 * M_PI);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(f_hz[i]))
            return LS_EINVAL;
        h[i] = fr * fr / (fr * fr - f_hz[i] * f_hz[i] + I * f_hz[i] * g);
    }
    return LS_OK;
}

double ls_vcsel_f3db_hz(const ls_vcsel_config *cfg)
{
    const double fr = ls_vcsel_fr_hz(cfg), g = ls_vcsel_gamma_per_s(cfg) / (2.0 * M_PI);
    if (!isfinite(fr))
        return NAN;
    const double b = 2.0 * fr * fr - g * g;
    return sqrt(0.5 * (b + sqrt(b * b + 4.0 * fr * fr * fr * fr)));
}

ls_status ls_vcsel_to_dml(const ls_vcsel_config *cfg, ls_dml_config *dml)
{
    if (!dml || ls_vcsel_validate(cfg) != LS_OK)
        return LS_EINVAL;
    ls_dml_config_init(dml);
    dml->laser = cfg->laser;
    dml->laser.laser_mw = ls_vcsel_p0_mw(cfg);
    dml->fr_hz = ls_vcsel_fr_hz(cfg);
    dml->gamma_per_s = ls_vcsel_gamma_per_s(cfg);
    dml->slope_w_per_a = cfg->slope_w_per_a;
    dml->ma_per_v = cfg->ma_per_v;
    dml->alpha = cfg->alpha;
    dml->kappa_per_w_s = cfg->kappa_per_w_s;
    dml->rollover_ma = cfg->rollover_ma;
    return LS_OK;
}

ls_status ls_vcsel_into_block(const ls_vcsel_config *cfg, double fs_hz, ls_block *out)
{
    ls_dml_config d;
    if (out) {
        out->ops = NULL;
        out->self = NULL;
    }
    if (ls_vcsel_to_dml(cfg, &d) != LS_OK)
        return LS_EINVAL;
    return ls_dml_into_block(&d, fs_hz, out);
}

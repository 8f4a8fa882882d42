/*
 * Multi-wavelength microring lane group (include/lanesim/ring_wdm.h; docs/cpo-wdm.md).
 *
 * Rings [Bogaerts et al., "Silicon microring resonators", Laser Photonics Rev. 6(1) 47-73, 2012]:
 *   all-pass through   t = (a - r z) / (1 - a r z),                         z = e^{j theta}
 *   add-drop through   t = (r2 a z - r1) / (1 - r1 r2 a z)                  (eq. 5, field form)
 *   add-drop drop      d = -sqrt((1 - r1^2)(1 - r2^2)) sqrt(a) e^{j theta/2} / (1 - r1 r2 a z)
 *   theta = 2 pi delta / FSR, FSR = c / (n_g L) (= lambda^2 / (n_g L) in wavelength), Q = nu / FWHM;
 *   a = exp(-pi nu / (Q_i FSR)), r = exp(-pi nu / (Q_c FSR)), 1/Q_l = 1/Q_i + n_bus / Q_c (the round
 *   trip's field loss a r1 r2 = exp(-pi nu / (Q_l FSR)) gives the photon lifetime Q_l / (2 pi nu)).
 *   Near resonance |d|^2 = D0 / (1 + (2 delta / FWHM)^2), D0 = (1 - Q_l / Q_i)^2 (symmetric).
 * Lane group: line k at nu_k = nu_c + (k - (N-1)/2) Delta. Modulator ring k sits at
 * nu_k - bias - detune_per_v u_k on the one bus; on the victim v's line it acts through
 * t_k(2 pi (nu_v - nu_k + bias + detune_per_v u_k) / FSR). Linearized over the drive swing (secants),
 * aggressor k changes the victim's received power by P_v imprint_k du_k (the imprint) and leaks its
 * own modulation |t_k,own|^2 through the victim's drop ring, |d(nu_k - nu_v)|^2 (adjacent-channel
 * crosstalk). Heater: P = (spread + dlambda/dT Delta T) / (2 eta) on average.
 */
#include <math.h>

#include "lanesim/ring_wdm.h"
#include "ls_internal.h"

#define C_LIGHT 299792458.0

double complex ls_ring_allpass(double a, double r, double theta)
{
    const double complex z = cexp(I * theta);
    return (a - r * z) / (1.0 - a * r * z);
}

void ls_ring_add_drop(double a, double r1, double r2, double theta, double complex *thru, double complex *drop)
{
    const double complex z = cexp(I * theta), den = 1.0 - r1 * r2 * a * z;
    if (thru)
        *thru = (r2 * a * z - r1) / den;
    if (drop)
        *drop = -sqrt((1.0 - r1 * r1) * (1.0 - r2 * r2)) * sqrt(a) * cexp(0.5 * I * theta) / den;
}

static int fin_gt0(double v)
{
    return isfinite(v) && v > 0;
}

ls_status ls_ring_coeffs(double nu_hz, double fsr_hz, double q_loaded, double q_intrinsic, unsigned n_bus,
                         double *a, double *r)
{
    if (!a || !r || !fin_gt0(nu_hz) || !fin_gt0(fsr_hz) || !fin_gt0(q_loaded) || isnan(q_intrinsic) ||
        !(q_intrinsic > q_loaded) || (n_bus != 1 && n_bus != 2) || !(nu_hz / q_loaded < 0.5 * fsr_hz))
        return LS_EINVAL;
    const double inv_qc = (1.0 / q_loaded - 1.0 / q_intrinsic) / n_bus;
    *a = isinf(q_intrinsic) ? 1.0 : exp(-M_PI * nu_hz / (q_intrinsic * fsr_hz));
    *r = exp(-M_PI * nu_hz * inv_qc / fsr_hz);
    return LS_OK;
}

double ls_ring_fsr_hz(double n_g, double length_m)
{
    return C_LIGHT / (n_g * length_m);
}

double ls_ring_fsr_nm(double lambda_nm, double n_g, double length_m)
{
    return lambda_nm * lambda_nm / (n_g * length_m * 1e9);
}

double ls_ring_q(double lambda_nm, double fwhm_nm)
{
    return lambda_nm / fwhm_nm;
}

double ls_ring_lorentzian(double delta_hz, double fwhm_hz)
{
    const double x = 2.0 * delta_hz / fwhm_hz;
    return 1.0 / (1.0 + x * x);
}

double ls_ring_heater_mw(double spread_nm, double range_k, double dldt_nm_k, double eff_nm_per_mw)
{
    return (spread_nm + dldt_nm_k * range_k) / (2.0 * eff_nm_per_mw);
}

/* ---- the lane group ---- */

void ls_wdm_config_init(ls_wdm_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_wdm_config){ .n_ch = 8, .victim = 3, .nu_c_hz = C_LIGHT / 1311e-9, .spacing_hz = 400e9,
                            .fsr_hz = 3600e9, .mod_q_loaded = 3000, .mod_q_intrinsic = 7200, .drop_q_loaded = 3000,
                            .drop_q_intrinsic = 30000, .bias_detune_hz = 20e9, .detune_hz_per_v = 8e9,
                            .drive_lo_v = -1, .drive_hi_v = 1, .drive_mean_v = 0, .il = 1 };
    for (unsigned k = 0; k < LS_WDM_MAX_CH; k++)
        cfg->line_mw[k] = 5.0;
}

ls_status ls_wdm_validate(const ls_wdm_config *c)
{
    double a, r;
    if (!c || c->n_ch < 2 || c->n_ch > LS_WDM_MAX_CH || c->victim >= c->n_ch || !fin_gt0(c->nu_c_hz) ||
        !fin_gt0(c->spacing_hz) || !fin_gt0(c->fsr_hz) || !(c->n_ch * c->spacing_hz < c->fsr_hz) ||
        !isfinite(c->bias_detune_hz) || !isfinite(c->detune_hz_per_v) || !isfinite(c->drive_lo_v) ||
        !isfinite(c->drive_hi_v) || !(c->drive_hi_v != c->drive_lo_v) || !isfinite(c->drive_mean_v) ||
        !fin_gt0(c->il) || c->il > 1)
        return LS_EINVAL;
    for (unsigned k = 0; k < c->n_ch; k++)
        if (!fin_gt0(c->line_mw[k]))
            return LS_EINVAL;
    if (ls_ring_coeffs(c->nu_c_hz, c->fsr_hz, c->mod_q_loaded, c->mod_q_intrinsic, 1, &a, &r) != LS_OK ||
        ls_ring_coeffs(c->nu_c_hz, c->fsr_hz, c->drop_q_loaded, c->drop_q_intrinsic, 2, &a, &r) != LS_OK)
        return LS_EINVAL;
    return LS_OK;
}

double ls_wdm_nu_hz(const ls_wdm_config *c, unsigned k)
{
    return c->nu_c_hz + ((double)k - 0.5 * (c->n_ch - 1.0)) * c->spacing_hz;
}

/* Modulator ring k's through field for light at nu with drive u. */
static double complex mod_t(const ls_wdm_config *c, unsigned k, double nu, double u)
{
    double a, r;
    if (ls_ring_coeffs(ls_wdm_nu_hz(c, k), c->fsr_hz, c->mod_q_loaded, c->mod_q_intrinsic, 1, &a, &r) != LS_OK)
        return NAN;
    const double delta = nu - ls_wdm_nu_hz(c, k) + c->bias_detune_hz + c->detune_hz_per_v * u;
    return ls_ring_allpass(a, r, 2.0 * M_PI * delta / c->fsr_hz);
}

/* The static through field at nu of every modulator but skip (at their mean drive). */
static double complex bus_except(const ls_wdm_config *c, unsigned skip, double nu)
{
    double complex h = 1.0;
    for (unsigned k = 0; k < c->n_ch; k++)
        if (k != skip)
            h *= mod_t(c, k, nu, c->drive_mean_v);
    return h;
}

double complex ls_wdm_bus_field(const ls_wdm_config *c, double f_hz)
{
    return bus_except(c, c->victim, ls_wdm_nu_hz(c, c->victim) + f_hz);
}

double complex ls_wdm_drop_field(const ls_wdm_config *c, double f_hz)
{
    double a, r;
    const double nu = ls_wdm_nu_hz(c, c->victim);
    if (ls_ring_coeffs(nu, c->fsr_hz, c->drop_q_loaded, c->drop_q_intrinsic, 2, &a, &r) != LS_OK)
        return NAN;
    double complex d;
    ls_ring_add_drop(a, r, r, 2.0 * M_PI * f_hz / c->fsr_hz, NULL, &d);
    return -d; /* the sign of the drop port is a constant phase: removed so that d(0) > 0 */
}

/* secant of |t_k|^2 at nu over the drive swing (1/V) */
static double slope(const ls_wdm_config *c, unsigned k, double nu)
{
    const double hi = cabs(mod_t(c, k, nu, c->drive_hi_v)), lo = cabs(mod_t(c, k, nu, c->drive_lo_v));
    return (hi * hi - lo * lo) / (c->drive_hi_v - c->drive_lo_v);
}

ls_status ls_wdm_aggressor(const ls_wdm_config *c, unsigned k, double *imprint_per_v, double *leak_w_per_v)
{
    if (ls_wdm_validate(c) != LS_OK || k >= c->n_ch || k == c->victim || !imprint_per_v || !leak_w_per_v)
        return LS_EINVAL;
    const double nu_v = ls_wdm_nu_hz(c, c->victim), nu_k = ls_wdm_nu_hz(c, k);
    const double t0 = cabs(mod_t(c, k, nu_v, c->drive_mean_v));
    *imprint_per_v = slope(c, k, nu_v) / (t0 * t0);
    const double others = cabs(bus_except(c, k, nu_k)), d = cabs(ls_wdm_drop_field(c, nu_k - nu_v));
    *leak_w_per_v = 1e-3 * c->line_mw[k] * c->il * others * others * slope(c, k, nu_k) * d * d;
    return LS_OK;
}

/* The victim's drop-output power factor: il x |bus(0)|^2 x |d(0)|^2. */
static double victim_path(const ls_wdm_config *c)
{
    const double b = cabs(ls_wdm_bus_field(c, 0)), d = cabs(ls_wdm_drop_field(c, 0));
    return 1e-3 * c->line_mw[c->victim] * c->il * b * b * d * d;
}

double ls_wdm_victim_slope(const ls_wdm_config *c)
{
    return victim_path(c) * slope(c, c->victim, ls_wdm_nu_hz(c, c->victim));
}

double ls_wdm_victim_mean_w(const ls_wdm_config *c)
{
    const double t = cabs(mod_t(c, c->victim, ls_wdm_nu_hz(c, c->victim), c->drive_mean_v));
    return victim_path(c) * t * t;
}

double ls_wdm_xtalk_db(const ls_wdm_config *c)
{
    if (ls_wdm_validate(c) != LS_OK)
        return NAN;
    const double pm = ls_wdm_victim_mean_w(c), gv = ls_wdm_victim_slope(c);
    double sum = 0;
    for (unsigned k = 0; k < c->n_ch; k++) {
        double imp, leak;
        if (k == c->victim || ls_wdm_aggressor(c, k, &imp, &leak) != LS_OK)
            continue;
        const double g = pm * imp + leak;
        sum += g * g;
    }
    return 10.0 * log10(sum / (gv * gv));
}

/* ---- blocks ---- */

typedef struct {
    ls_wdm_config cfg;
    int drop;           /* 0: wdm_bus; 1: wdm_drop */
    double g, f_ring;   /* wdm_xt */
} wdm_blk;

static ls_status field_response(const void *self, const double *f_hz, double complex *h, size_t n)
{
    const wdm_blk *q = self;
    for (size_t i = 0; i < n; i++)
        h[i] = q->drop ? ls_wdm_drop_field(&q->cfg, f_hz[i]) : ls_wdm_bus_field(&q->cfg, f_hz[i]);
    return LS_OK;
}

/* field energy left after t decays as exp(-2 pi FWHM t) for the slowest ring: 1e-9 after 20.7 / (2 pi FWHM) */
static double field_span(const void *self)
{
    const wdm_blk *q = self;
    const double ql = q->drop ? q->cfg.drop_q_loaded : q->cfg.mod_q_loaded;
    return 1.2 * log(1e9) * ql / (2.0 * M_PI * q->cfg.nu_c_hz);
}

static ls_status xt_response(const void *self, const double *f_hz, double complex *h, size_t n)
{
    const wdm_blk *q = self;
    for (size_t i = 0; i < n; i++)
        h[i] = q->g / (1.0 + I * f_hz[i] / q->f_ring);
    return LS_OK;
}

static double xt_span(const void *self)
{
    const wdm_blk *q = self;
    return 1.2 * log(1e9) / (2.0 * M_PI * q->f_ring);
}

static const ls_block_ops bus_ops = { .name = "wdm_bus", .kind = LS_KIND_LTI, .in = LS_T_CF32, .out = LS_T_CF32,
                                      .response = field_response, .span_s = field_span, .destroy = ls_free };
static const ls_block_ops drop_ops = { .name = "wdm_drop", .kind = LS_KIND_LTI, .in = LS_T_CF32, .out = LS_T_CF32,
                                       .response = field_response, .span_s = field_span, .destroy = ls_free };
static const ls_block_ops xt_ops = { .name = "wdm_xt", .kind = LS_KIND_LTI, .in = LS_T_F32, .out = LS_T_F32,
                                     .response = xt_response, .span_s = xt_span, .destroy = ls_free };

static ls_status field_block(const ls_wdm_config *cfg, int drop, ls_block *out)
{
    if (!out)
        return LS_EINVAL;
    *out = (ls_block){ NULL, NULL };
    if (ls_wdm_validate(cfg) != LS_OK)
        return LS_EINVAL;
    wdm_blk *q = ls_alloc(sizeof *q);
    if (!q)
        return LS_ENOMEM;
    q->cfg = *cfg;
    q->drop = drop;
    *out = (ls_block){ drop ? &drop_ops : &bus_ops, q };
    return LS_OK;
}

ls_status ls_wdm_bus_into_block(const ls_wdm_config *cfg, ls_block *out)
{
    return field_block(cfg, 0, out);
}

ls_status ls_wdm_drop_into_block(const ls_wdm_config *cfg, ls_block *out)
{
    return field_block(cfg, 1, out);
}

ls_status ls_wdm_coupling_into_block(double g, double f_ring_hz, ls_block *out)
{
    if (!out)
        return LS_EINVAL;
    *out = (ls_block){ NULL, NULL };
    if (!isfinite(g) || !fin_gt0(f_ring_hz))
        return LS_EINVAL;
    wdm_blk *q = ls_alloc(sizeof *q);
    if (!q)
        return LS_ENOMEM;
    q->g = g;
    q->f_ring = f_ring_hz;
    *out = (ls_block){ &xt_ops, q };
    return LS_OK;
}

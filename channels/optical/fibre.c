/*
 * Optical fibre as an LTI block on the field envelope (CF32 -> CF32).
 *
 * Dispersion [Agrawal, Fiber-Optic Communication Systems, 4th ed., ch. 2 (group-velocity
 * dispersion, D and beta2, propagation of the envelope) and ch. 5 (dispersion penalties);
 * Keiser, Optical Fiber Communications, ch. 3]: expanding the propagation constant about the
 * carrier, beta(w0 + W) = beta0 + beta1 W + beta2 W^2 / 2 + ..., the envelope (phasor e^{+j w t},
 * propagation e^{-j beta z}) is multiplied by exp(-j beta(w0 + W) L). beta0 is a constant phase
 * and beta1 L the bulk (group) delay: both are removed, leaving
 *
 *     H_d(f) = exp(-j (beta2 / 2) (2 pi f)^2 L),    beta2 = -D lambda^2 / (2 pi c),
 *
 * whose group delay -dphi/dW = beta2 W L spreads a band +-B over |beta2| L 2 pi B either side of
 * t = 0 (symmetric: the envelope response is non-causal once the bulk delay is removed). D from
 * the IEEE 802.3 (cl. 121/124 table footnotes) / ITU-T G.652 model
 * D(lambda) = (S0/4) (lambda - lambda0^4 / lambda^3), or given. The dispersion slope (beta3)
 * is neglected: at 1311 nm over 2 km and +-56 GHz its phase is about 1e-3 rad.
 *
 * Loss: 10^(-(alpha L + n_c c + n_s s) / 20) on the field (dB of optical power).
 * Multimode: a Gaussian low-pass of -3 dB bandwidth B_modal = EMB L-product / L on the field
 * (filter.h LS_LP_GAUSSIAN); for a small modulation depth the detected intensity then sees the
 * same Gaussian (the intensity's small-signal response equals the field's real, even H).
 * MPI: one coherent echo, (1 + r e^{j phi} e^{-j 2 pi f tau}) with r = 10^(mpi_db / 20), the
 * phase fixed per block (document: docs/optics_rx.md "MPI").
 *
 * Span: T_d = |beta2| L 2 pi B with B = span_bw_hz; span = pre = 1.1 T_d + 8 / (2 pi B) (the
 * dispersive spread, 10 % and 8 / (2 pi B) for the Fresnel ripple of the band edge), plus the
 * modal Gaussian's span/pre (filter.h) and the MPI delay (span only).
 */
#include <math.h>

#include "lanesim/filter.h"
#include "lanesim/optrx.h"
#include "ls_internal.h"

void ls_fibre_config_init(ls_fibre_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_fibre_config){
        .length_m = 500.0,
        .wavelength_nm = 1311.0,
        .dmode = LS_FIBRE_D_MODEL,
        .lambda0_nm = 1310.0,
        .s0_ps_nm2_km = 0.093,
        .d_ps_nm_km = 0.0,
        .atten_db_km = 0.5,
        .connector_db = 0.75,
        .n_connectors = 0,
        .splice_db = 0.3,
        .n_splices = 0,
        .modal_bw_mhz_km = 0.0,
        .mpi_db = -INFINITY,
        .mpi_delay_s = 0.0,
        .mpi_phase_rad = 0.0,
        .span_bw_hz = 1e12,
    };
}

static int in_range(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

ls_status ls_fibre_validate(const ls_fibre_config *cfg)
{
    if (!cfg)
        return LS_EINVAL;
    if (!in_range(cfg->length_m, 0.0, 1e6) || !in_range(cfg->wavelength_nm, 800.0, 1700.0))
        return LS_EINVAL;
    if (cfg->dmode == LS_FIBRE_D_MODEL) {
        if (!in_range(cfg->lambda0_nm, 1000.0, 1700.0) || !in_range(cfg->s0_ps_nm2_km, 0.0, 1.0))
            return LS_EINVAL;
    } else if (cfg->dmode == LS_FIBRE_D_FIXED) {
        if (!in_range(cfg->d_ps_nm_km, -1000.0, 1000.0))
            return LS_EINVAL;
    } else {
        return LS_EINVAL;
    }
    if (!in_range(cfg->atten_db_km, 0.0, 100.0) || !in_range(cfg->connector_db, 0.0, 10.0) ||
        !in_range(cfg->splice_db, 0.0, 10.0) || cfg->n_connectors > 1000 || cfg->n_splices > 1000)
        return LS_EINVAL;
    if (!in_range(cfg->modal_bw_mhz_km, 0.0, 1e9))
        return LS_EINVAL;
    if (!(cfg->mpi_db == -INFINITY || in_range(cfg->mpi_db, -100.0, 0.0)))
        return LS_EINVAL;
    if (!in_range(cfg->mpi_delay_s, 0.0, 1e-6) || !isfinite(cfg->mpi_phase_rad))
        return LS_EINVAL;
    if (!in_range(cfg->span_bw_hz, 1e6, 1e15))
        return LS_EINVAL;
    return LS_OK;
}

double ls_fibre_d_model(double lambda_nm, double lambda0_nm, double s0_ps_nm2_km)
{
    if (!isfinite(lambda_nm) || !isfinite(lambda0_nm) || !isfinite(s0_ps_nm2_km) ||
        !(lambda_nm > 0.0))
        return NAN;
    const double r = lambda0_nm / lambda_nm, r2 = r * r;
    return 0.25 * s0_ps_nm2_km * lambda_nm * (1.0 - r2 * r2); /* = (S0/4)(l - l0^4 / l^3) */
}

double ls_fibre_d_ps_nm_km(const ls_fibre_config *cfg)
{
    if (ls_fibre_validate(cfg) != LS_OK)
        return NAN;
    if (cfg->dmode == LS_FIBRE_D_FIXED)
        return cfg->d_ps_nm_km;
    return ls_fibre_d_model(cfg->wavelength_nm, cfg->lambda0_nm, cfg->s0_ps_nm2_km);
}

double ls_fibre_cd_ps_nm(const ls_fibre_config *cfg)
{
    return ls_fibre_d_ps_nm_km(cfg) * (cfg ? cfg->length_m : NAN) * 1e-3;
}

double ls_fibre_beta2_s2_m(const ls_fibre_config *cfg)
{
    const double d = ls_fibre_d_ps_nm_km(cfg) * 1e-6; /* ps/(nm km) -> s/m^2 */
    if (!isfinite(d))
        return NAN;
    const double lam = cfg->wavelength_nm * 1e-9;
    return -d * lam * lam / (2.0 * M_PI * LS_C0_M_S);
}

double ls_fibre_loss_db(const ls_fibre_config *cfg)
{
    if (ls_fibre_validate(cfg) != LS_OK)
        return NAN;
    return cfg->atten_db_km * cfg->length_m * 1e-3 + (double)cfg->n_connectors * cfg->connector_db +
           (double)cfg->n_splices * cfg->splice_db;
}

/* The modal Gaussian of a multimode fibre (f3 = EMB / L); type NONE for single-mode or L = 0. */
static ls_lowpass_config modal_filter(const ls_fibre_config *cfg)
{
    ls_lowpass_config lp = {.type = LS_LP_NONE, .order = 1, .f3db_hz = 1.0};
    if (cfg->modal_bw_mhz_km > 0.0 && cfg->length_m > 0.0) {
        lp.type = LS_LP_GAUSSIAN;
        lp.f3db_hz = cfg->modal_bw_mhz_km * 1e6 / (cfg->length_m * 1e-3);
    }
    return lp;
}

ls_status ls_fibre_response(const ls_fibre_config *cfg, const double *f_hz, double complex *h,
                            size_t n)
{
    if (ls_fibre_validate(cfg) != LS_OK || (n && (!f_hz || !h)))
        return LS_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(f_hz[i]))
            return LS_EINVAL;
    const double g = pow(10.0, -ls_fibre_loss_db(cfg) / 20.0);
    const double k2 = 0.5 * ls_fibre_beta2_s2_m(cfg) * cfg->length_m * 4.0 * M_PI * M_PI;
    const ls_lowpass_config lp = modal_filter(cfg);
    const double r = cfg->mpi_db == -INFINITY ? 0.0 : pow(10.0, cfg->mpi_db / 20.0);
    const double complex echo = r * cexp(I * cfg->mpi_phase_rad);
    for (size_t i = 0; i < n; i++) {
        const double f = f_hz[i];
        double complex v = g * cexp(-I * k2 * f * f);
        if (lp.type == LS_LP_GAUSSIAN) {
            const double u = f / lp.f3db_hz;
            v *= exp(-0.5 * log(2.0) * u * u);
        }
        if (r > 0.0)
            v *= 1.0 + echo * cexp(-2.0 * M_PI * I * f * cfg->mpi_delay_s);
        h[i] = v;
    }
    return LS_OK;
}

/* Dispersive spread with its margin (s), or NaN. */
static double disp_spread(const ls_fibre_config *cfg)
{
    const double b2 = ls_fibre_beta2_s2_m(cfg);
    if (!isfinite(b2))
        return NAN;
    const double w = 2.0 * M_PI * cfg->span_bw_hz;
    return 1.1 * fabs(b2) * cfg->length_m * w + 8.0 / w;
}

double ls_fibre_span_s(const ls_fibre_config *cfg)
{
    const double t = disp_spread(cfg);
    if (!isfinite(t))
        return NAN;
    const ls_lowpass_config lp = modal_filter(cfg);
    const double modal = lp.type == LS_LP_GAUSSIAN ? ls_lowpass_span_s(&lp) : 0.0;
    const double mpi = cfg->mpi_db == -INFINITY ? 0.0 : cfg->mpi_delay_s;
    return t + modal + mpi;
}

double ls_fibre_pre_s(const ls_fibre_config *cfg)
{
    const double t = disp_spread(cfg);
    if (!isfinite(t))
        return NAN;
    const ls_lowpass_config lp = modal_filter(cfg);
    return t + (lp.type == LS_LP_GAUSSIAN ? ls_lowpass_pre_s(&lp) : 0.0);
}

/* Block adapter: self is an ls_alloc'd ls_fibre_config. */

static ls_status blk_response(const void *self, const double *f_hz, double complex *h, size_t n)
{
    return ls_fibre_response(self, f_hz, h, n);
}

static double blk_span(const void *self)
{
    return ls_fibre_span_s(self);
}

static double blk_pre(const void *self)
{
    return ls_fibre_pre_s(self);
}

static const ls_block_ops fibre_ops = {
    .name = "fibre",
    .kind = LS_KIND_LTI,
    .in = LS_T_CF32,
    .out = LS_T_CF32,
    .response = blk_response,
    .span_s = blk_span,
    .pre_s = blk_pre,
    .destroy = ls_free,
};

ls_status ls_fibre_into_block(const ls_fibre_config *cfg, ls_block *out)
{
    if (!out)
        return LS_EINVAL;
    out->ops = NULL;
    out->self = NULL;
    if (ls_fibre_validate(cfg) != LS_OK)
        return LS_EINVAL;
    return lsi_block_copy_of(&fibre_ops, cfg, sizeof *cfg, out);
}

/*
 * Multimode fibre (OM3/OM4/OM5) as an LTI block on the field envelope; statement in
 * include/lanesim/mmf.h and docs/optics_rx.md "Multimode fibre".
 *
 *  - Coherent part: the single-mode fibre block (fibre.c) on the same length, wavelength,
 *    lambda0/S0, attenuation, connectors and MPI echo: exp(-j (beta2/2) (2 pi f)^2 L) and losses.
 *  - Modal and chromatic spread: two Gaussian impulse responses of the intensity, rms widths
 *    sigma_m (from the effective modal bandwidth) and sigma_cd = |D| L sigma_lambda (source rms
 *    spectral width [Agrawal, Fiber-Optic Communication Systems, sec. 2.4 / 5.4]); a Gaussian of rms
 *    sigma has H(f) = exp(-2 pi^2 sigma^2 f^2) = exp(-ln2 (f/B)^2), B = sqrt(ln2 / 2) / (pi sigma),
 *    H(B) = 1/2: the -3 dB optical bandwidth (TIA-492AAAD EMB; IEEE 802.3 link model). Widths add
 *    in quadrature, so 1/B^2 = 1/B_modal^2 + 1/B_chrom^2.
 *  - Mode partition noise (Ogawa, IEEE JQE 18(5) 1982; Agrawal sec. 5.4):
 *    sigma_mpn = (k / sqrt 2) (1 - exp(-(pi B L D sigma_lambda)^2)).
 *  - Span: the fibre block's span plus that of the Gaussian (filter.h LS_LP_GAUSSIAN at B / sqrt 2,
 *    whose G(f) = exp(-(ln2/2)(f/B')^2) is this H).
 */
#include <math.h>

#include "lanesim/filter.h"
#include "lanesim/mmf.h"
#include "lanesim/optrx.h"
#include "ls_internal.h"

void ls_mmf_config_init(ls_mmf_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_mmf_config){
        .length_m = 100.0,
        .wavelength_nm = 850.0,
        .emb_mhz_km = 4700.0,
        .lambda0_nm = 1316.0,
        .s0_ps_nm2_km = 0.10,
        .atten_db_km = 3.0,
        .n_connectors = 0,
        .connector_db = 0.75,
        .source_rms_nm = 0.15,
        .mpn_k = 0.3,
        .mpi_db = -INFINITY,
        .mpi_delay_s = 0.0,
        .mpi_phase_rad = 0.0,
        .span_bw_hz = 1e12,
    };
}

/* The single-mode part as a fibre configuration (no modal filter of its own). */
static ls_fibre_config smf_part(const ls_mmf_config *c)
{
    ls_fibre_config f;
    ls_fibre_config_init(&f);
    f.length_m = c->length_m;
    f.wavelength_nm = c->wavelength_nm;
    f.dmode = LS_FIBRE_D_MODEL;
    f.lambda0_nm = c->lambda0_nm;
    f.s0_ps_nm2_km = c->s0_ps_nm2_km;
    f.atten_db_km = c->atten_db_km;
    f.n_connectors = c->n_connectors;
    f.connector_db = c->connector_db;
    f.modal_bw_mhz_km = 0.0;
    f.mpi_db = c->mpi_db;
    f.mpi_delay_s = c->mpi_delay_s;
    f.mpi_phase_rad = c->mpi_phase_rad;
    f.span_bw_hz = c->span_bw_hz;
    return f;
}

static int in_range(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

ls_status ls_mmf_validate(const ls_mmf_config *cfg)
{
    if (!cfg || !in_range(cfg->length_m, 0.0, 1e5) || !in_range(cfg->emb_mhz_km, 1.0, 1e7) ||
        !in_range(cfg->source_rms_nm, 0.0, 10.0) || !in_range(cfg->mpn_k, 0.0, 1.0))
        return LS_EINVAL;
    const ls_fibre_config f = smf_part(cfg);
    return ls_fibre_validate(&f);
}

double ls_mmf_d_ps_nm_km(const ls_mmf_config *cfg)
{
    if (ls_mmf_validate(cfg) != LS_OK)
        return NAN;
    return ls_fibre_d_model(cfg->wavelength_nm, cfg->lambda0_nm, cfg->s0_ps_nm2_km);
}

double ls_mmf_modal_bw_hz(const ls_mmf_config *cfg)
{
    if (ls_mmf_validate(cfg) != LS_OK)
        return NAN;
    return cfg->length_m > 0 ? cfg->emb_mhz_km * 1e6 / (cfg->length_m * 1e-3) : INFINITY;
}

/* rms chromatic spread |D| L sigma_lambda (s) */
static double sigma_cd_s(const ls_mmf_config *c)
{
    return fabs(ls_fibre_d_model(c->wavelength_nm, c->lambda0_nm, c->s0_ps_nm2_km)) * c->length_m * 1e-3 *
           c->source_rms_nm * 1e-12;
}

double ls_mmf_chromatic_bw_hz(const ls_mmf_config *cfg)
{
    if (ls_mmf_validate(cfg) != LS_OK)
        return NAN;
    const double s = sigma_cd_s(cfg);
    return s > 0 ? sqrt(0.5 * M_LN2) / (M_PI * s) : INFINITY;
}

double ls_mmf_bw_hz(const ls_mmf_config *cfg)
{
    const double bm = ls_mmf_modal_bw_hz(cfg), bc = ls_mmf_chromatic_bw_hz(cfg);
    if (isnan(bm) || isnan(bc))
        return NAN;
    const double inv2 = 1.0 / (bm * bm) + 1.0 / (bc * bc); /* 1/inf = 0 */
    return inv2 > 0 ? 1.0 / sqrt(inv2) : INFINITY;
}

double ls_mmf_loss_db(const ls_mmf_config *cfg)
{
    if (ls_mmf_validate(cfg) != LS_OK)
        return NAN;
    const ls_fibre_config f = smf_part(cfg);
    return ls_fibre_loss_db(&f);
}

double ls_mmf_mpn_sigma(const ls_mmf_config *cfg, double baud_hz)
{
    if (ls_mmf_validate(cfg) != LS_OK || !in_range(baud_hz, 0.0, 1e15))
        return NAN;
    const double x = M_PI * baud_hz * sigma_cd_s(cfg);
    return cfg->mpn_k / M_SQRT2 * -expm1(-x * x);
}

ls_status ls_mmf_response(const ls_mmf_config *cfg, const double *f_hz, double complex *h, size_t n)
{
    if (ls_mmf_validate(cfg) != LS_OK)
        return LS_EINVAL;
    const ls_fibre_config f = smf_part(cfg);
    ls_status st = ls_fibre_response(&f, f_hz, h, n);
    if (st != LS_OK)
        return st;
    const double b = ls_mmf_bw_hz(cfg);
    if (isinf(b))
        return LS_OK;
    for (size_t i = 0; i < n; i++) {
        const double u = f_hz[i] / b;
        h[i] *= exp(-M_LN2 * u * u);
    }
    return LS_OK;
}

/* The Gaussian as a filter.h low-pass (G(f) = exp(-(ln2/2)(f/B')^2), B' = B / sqrt 2), for its span. */
static ls_lowpass_config gauss_lp(const ls_mmf_config *c)
{
    const double b = ls_mmf_bw_hz(c);
    ls_lowpass_config lp = {.type = LS_LP_NONE, .order = 1, .f3db_hz = 1.0};
    if (isfinite(b)) {
        lp.type = LS_LP_GAUSSIAN;
        lp.f3db_hz = b / M_SQRT2;
    }
    return lp;
}

static ls_status blk_response(const void *self, const double *f_hz, double complex *h, size_t n)
{
    return ls_mmf_response(self, f_hz, h, n);
}

static double blk_span(const void *self)
{
    const ls_fibre_config f = smf_part(self);
    const ls_lowpass_config lp = gauss_lp(self);
    return ls_fibre_span_s(&f) + (lp.type == LS_LP_GAUSSIAN ? ls_lowpass_span_s(&lp) : 0.0);
}

static double blk_pre(const void *self)
{
    const ls_fibre_config f = smf_part(self);
    const ls_lowpass_config lp = gauss_lp(self);
    return ls_fibre_pre_s(&f) + (lp.type == LS_LP_GAUSSIAN ? ls_lowpass_pre_s(&lp) : 0.0);
}

static const ls_block_ops mmf_ops = {
    .name = "mmf",
    .kind = LS_KIND_LTI,
    .in = LS_T_CF32,
    .out = LS_T_CF32,
    .response = blk_response,
    .span_s = blk_span,
    .pre_s = blk_pre,
    .destroy = ls_free,
};

ls_status ls_mmf_into_block(const ls_mmf_config *cfg, ls_block *out)
{
    if (!out)
        return LS_EINVAL;
    out->ops = NULL;
    out->self = NULL;
    if (ls_mmf_validate(cfg) != LS_OK)
        return LS_EINVAL;
    return lsi_block_copy_of(&mmf_ops, cfg, sizeof *cfg, out);
}

/*
 * Analytic copper channels: causal RLGC transmission line, lumped elements, IEEE 802.3 COM
 * package line, ABCD cascade, S-parameters and the "cascade" LTI block.
 * This file: the RLGC line model (skin effect, Djordjevic-Sarkar, roughness), the line queries
 * and the line presets. cascade.c holds the segments, the ABCD cascade, S-parameters, the bulk
 * delay and the COM package; cascade_block.c the span measurement, the span and response caches
 * and the cascade LTI block (shared types: tline_internal.h). The statement below covers all three.
 *
 * Line (per metre, differential mode, s = j w, w = 2 pi f):
 *   Z = R_dc + K R_s sqrt(f) (1 + j) + j w L_ext,   Y = j w C_ref eps(w) / eps_r,
 *   L_ext = z0 sqrt(eps_r) / c0,  C_ref = sqrt(eps_r) / (c0 z0).
 * R_s sqrt(f) (1 + j) = R_s sqrt(s / pi) is the causal skin-effect surface impedance [Wheeler,
 * Proc. IRE 30, 1942]. Dielectric: Djordjevic-Sarkar wideband Debye [IEEE Trans. EMC 43(4), 2001]
 *   eps(w) = eps_inf + d_eps ln((w2 + j w) / (w1 + j w)) / ln(w2 / w1),
 *   w1 = 2 pi 1e3, w2 = 2 pi 1e12,
 * with d_eps = -eps_r tan_d / Im F(w_ref), eps_inf = eps_r - d_eps Re F(w_ref), F the log term,
 * so eps(w_ref) = eps_r (1 - j tan_d). Roughness: Hammerstad-Jensen
 *   K = 1 + (2/pi) atan(1.4 (D/delta)^2)
 * [Hammerstad & Jensen, IEEE MTT-S 1980] (real multiplier, as most tools apply it: not strictly
 * causal), or Huray [Huray et al., IEEE Trans. EMC 52(4) 2010] in the causal form
 *   K = 1 + 1.5 SR / (1 + (1 - j) delta / (2 a))
 * [Bracken, DesignCon 2012]: (1 - j) delta = 2 sqrt(rho / (mu0 s)) is analytic in Re s > 0,
 * 1 + sqrt(rho / (mu0 s)) / a never vanishes there, and
 *   Re[(1 + j) / (1 + (1 - j) delta / (2 a))] = 1 / (1 + delta/a + delta^2 / (2 a^2)),
 * Huray's loss ratio exactly. AWG twinax:
 *   d = 0.127 mm 92^((36 - AWG) / 39), R_dc = 8 rho / (pi d^2), R_s = p 2 sqrt(rho mu0 / pi) / d.
 *
 * ABCD of a line of length l, x = gamma l = sqrt(Z l Y l):
 *   [cosh x, Z l sinhc x; Y l sinhc x, cosh x],  sinhc x = sinh(x) / x,
 * which is finite at DC (Y = 0). When Re x > 1 the matrix is stored as e^{x} [(1 + e^{-2x}) / 2,
 * Zc (1 - e^{-2x}) / 2; (1 - e^{-2x}) / (2 Zc), (1 + e^{-2x}) / 2] with Zc = Z l / x, and the
 * exponents are summed separately (with a renormalization of the running product), so S21 of a
 * very lossy cascade underflows gracefully to 0 instead of overflowing to NaN.
 *
 * COM package line (802.3 93A-9..14 as coded in PyChOpMarg sPkgTline), f in GHz:
 *   gamma = gamma0 + a1 (1 + j) sqrt(f) + f [a2 (1 - j (2/pi) ln f) + j 2 pi tau]  (1/mm), zc real.
 * Lumped: series Z -> [1, Z; 0, 1]; shunt Y -> [1, 0; Y, 1].
 * S-parameters between real Z1, Z2: S21 = 2 sqrt(Z1 Z2) / (A Z2 + B + C Z1 Z2 + D Z1),
 * S11 = (A Z2 + B - C Z1 Z2 - D Z1) / (A Z2 + B + C Z1 Z2 + D Z1) [Pozar, Microwave Engineering,
 * 4th ed., Table 4.2, generalized to unequal real references; Frickey, IEEE MTT 42(2), 1994].
 *
 * Block span: S21 e^{+j 2 pi f tau_bulk} under a Gaussian window (sigma fs/12 = 34 GHz, so the
 * window's own time kernel, sigma 4.7 ps, stays inside pre_s) on a grid sampled at 409.6 GHz with
 * a period of max(40 ns, 2 span_max) is inverse-FFT'd in double precision (a small radix-2 FFT
 * here: create-time analysis only, so FFTW stays confined to phy/core/fft.c); the last eighth of
 * the period is treated as negative time. The skin effect's h ~ t^-1.5 tail holds k^4 / (8 T^2)
 * of the energy after T (H = e^{-k sqrt(s)}), so a metre of cable needs ~60 ns for 1e-9: most
 * cables stop at span_max_s (default 20 ns).
 * Equations and calibration of the presets: docs/channels.md.
 */
#include "lanesim/tline.h"

#include <math.h>
#include <string.h>

#include "ls_internal.h"
#include "tline_internal.h"

#define C0 299792458.0
#define MU0 (4e-7 * M_PI)
#define RHO_CU 1.72e-8
#define DS_W1 (2.0 * M_PI * 1e3)
#define DS_W2 (2.0 * M_PI * 1e12)

/* ---------------------------------------------------------------------------------------------
 * Line constants
 */

/* The Djordjevic-Sarkar log term F(w) = ln((w2 + j w) / (w1 + j w)) / ln(w2 / w1). */
static double complex ds_term(double w)
{
    return clog((DS_W2 + I * w) / (DS_W1 + I * w)) / log(DS_W2 / DS_W1);
}

static double awg_diameter_m(unsigned awg)
{
    return 0.127e-3 * pow(92.0, (36.0 - (double)awg) / 39.0);
}

/* Validates and derives the constants of a line; 0 on success. */
int lsi_line_prep(const ls_tline_config *c, pline *p)
{
    if (!c)
        return -1;
    if (!finite_ge(c->length_m, 0.0) || !(isfinite(c->z0_ohm) && c->z0_ohm > 0.0) ||
        !finite_ge(c->eps_r, 1.0) || !finite_ge(c->tan_d, 0.0) || c->tan_d > 0.5 ||
        !(isfinite(c->f_ref_hz) && c->f_ref_hz >= 1e4 && c->f_ref_hz <= 1e11) ||
        !finite_ge(c->prox_factor, 1.0) || !finite_ge(c->rs_ohm_rthz, 0.0) ||
        !finite_ge(c->rdc_ohm_m, 0.0) || !finite_ge(c->rough_rms_um, 0.0) ||
        !finite_ge(c->huray_a_um, 0.0) || !finite_ge(c->huray_sr, 0.0))
        return -1;
    if (c->awg != 0 && (c->awg < 10 || c->awg > 40))
        return -1;
    if (c->diel != LS_DIEL_DJORDJEVIC_SARKAR && c->diel != LS_DIEL_CONST_TAND)
        return -1;
    if (c->rough != LS_ROUGH_NONE && c->rough != LS_ROUGH_HAMMERSTAD && c->rough != LS_ROUGH_HURAY)
        return -1;
    if (c->rough == LS_ROUGH_HURAY && !(c->huray_a_um > 0.0))
        return -1;
    memset(p, 0, sizeof *p);
    p->len = c->length_m;
    p->lext = c->z0_ohm * sqrt(c->eps_r) / C0;
    p->cref = sqrt(c->eps_r) / (C0 * c->z0_ohm);
    p->eps_r = c->eps_r;
    p->tan_d = c->tan_d;
    p->diel = c->diel;
    if (c->diel == LS_DIEL_DJORDJEVIC_SARKAR) {
        double complex fr = ds_term(2.0 * M_PI * c->f_ref_hz);
        p->deps = -c->eps_r * c->tan_d / cimag(fr);
        p->eps_inf = c->eps_r - p->deps * creal(fr);
        if (!(p->eps_inf > 0.0))
            return -1;
    } else {
        p->eps_inf = c->eps_r;
    }
    if (c->awg) {
        double d = awg_diameter_m(c->awg);
        p->rdc = 8.0 * RHO_CU / (M_PI * d * d);
        p->rs = c->prox_factor * 2.0 * sqrt(RHO_CU * MU0 / M_PI) / d;
    } else {
        p->rdc = c->rdc_ohm_m;
        p->rs = c->rs_ohm_rthz;
    }
    p->rough = c->rough;
    if (c->rough == LS_ROUGH_HAMMERSTAD) {
        double dm = c->rough_rms_um * 1e-6;
        if (dm > 0.0)
            p->ham_fr = RHO_CU / (M_PI * MU0 * dm * dm);
        else
            p->rough = LS_ROUGH_NONE;
    } else if (c->rough == LS_ROUGH_HURAY) {
        p->hu_k = 1.5 * c->huray_sr;
        p->hu_c = sqrt(RHO_CU / (M_PI * MU0)) / (2.0 * c->huray_a_um * 1e-6);
    }
    return 0;
}

/* Z (ohm/m) and Y (S/m) at f >= 0. */
void lsi_line_zy(const pline *p, double f, double complex *z, double complex *y)
{
    const double w = 2.0 * M_PI * f;
    double complex zs = p->rs * sqrt(f) * (1.0 + I);
    if (f > 0.0) {
        if (p->rough == LS_ROUGH_HAMMERSTAD)
            zs *= 1.0 + (2.0 / M_PI) * atan(1.4 * f / p->ham_fr);
        else if (p->rough == LS_ROUGH_HURAY)
            zs *= 1.0 + p->hu_k / (1.0 + (1.0 - I) * (p->hu_c / sqrt(f)));
    }
    *z = p->rdc + zs + I * w * p->lext;
    if (p->diel == LS_DIEL_DJORDJEVIC_SARKAR) {
        double complex eps = p->eps_inf + p->deps * ds_term(w);
        *y = I * w * p->cref * eps / p->eps_r;
    } else {
        *y = I * w * p->cref * (1.0 - I * p->tan_d);
    }
}

double lsi_line_front_s(const pline *p)
{
    return p->len * sqrt(p->eps_inf) / C0;
}

/* ---------------------------------------------------------------------------------------------
 * Public line functions
 */

void ls_tline_config_init(ls_tline_config *cfg)
{
    if (!cfg)
        return;
    ls_status st = ls_tline_preset("twinax26", cfg);
    (void)st;
}

ls_status ls_tline_validate(const ls_tline_config *cfg)
{
    pline p;
    return lsi_line_prep(cfg, &p) ? LS_EINVAL : LS_OK;
}

ls_status ls_tline_rlgc(const ls_tline_config *cfg, double f_hz, double complex *z,
                        double complex *y)
{
    pline p;
    if (lsi_line_prep(cfg, &p) || !isfinite(f_hz))
        return LS_EINVAL;
    double complex zz, yy;
    lsi_line_zy(&p, fabs(f_hz), &zz, &yy);
    if (z)
        *z = zz;
    if (y)
        *y = yy;
    return LS_OK;
}

ls_status ls_tline_gamma(const ls_tline_config *cfg, double f_hz, double complex *gamma,
                         double complex *zc)
{
    pline p;
    if (lsi_line_prep(cfg, &p) || !isfinite(f_hz) || !(f_hz > 0.0))
        return LS_EINVAL;
    double complex zz, yy;
    lsi_line_zy(&p, f_hz, &zz, &yy);
    double complex g = csqrt(zz * yy);
    if (gamma)
        *gamma = g;
    if (zc)
        *zc = zz / g;
    return LS_OK;
}

double ls_tline_loss_db_per_m(const ls_tline_config *cfg, double f_hz)
{
    double complex g;
    if (ls_tline_gamma(cfg, f_hz, &g, NULL) != LS_OK)
        return NAN;
    return 20.0 / log(10.0) * creal(g);
}

double ls_tline_delay_s(const ls_tline_config *cfg)
{
    pline p;
    if (lsi_line_prep(cfg, &p))
        return NAN;
    return lsi_line_front_s(&p);
}

/* ---------------------------------------------------------------------------------------------
 * Presets (calibration: docs/channels.md)
 */

typedef struct {
    const char *name;
    ls_tline_config cfg;
} preset;

/* Twinax: 100 ohm, foamed FEP (eps_r 1.7, tan_d 4e-4 at 10 GHz: 4.35 ns/m), silver-plated
 * copper, one proximity/plating/shield factor calibrated so that 26 AWG loses 7.3 dB/m at
 * 26.5625 GHz (802.3ck 2 m cable assembly: 19.75 dB = 2 x 7.3 dB bulk + ~2.6 dB per plug). */
#define TWINAX(g)                                                                                  \
    {                                                                                              \
        .length_m = 1.0, .z0_ohm = 100.0, .eps_r = 1.7, .tan_d = 4e-4, .f_ref_hz = 10e9,           \
        .diel = LS_DIEL_DJORDJEVIC_SARKAR, .awg = (g), .prox_factor = TWINAX_PROX,                 \
        .rs_ohm_rthz = 0.0, .rdc_ohm_m = 0.0, .rough = LS_ROUGH_NONE, .rough_rms_um = 0.0,         \
        .huray_a_um = 0.0, .huray_sr = 0.0                                                         \
    }
#define TWINAX_PROX 2.1

static const preset presets[] = {
    {"twinax26", TWINAX(26)},
    {"twinax28", TWINAX(28)},
    {"twinax30", TWINAX(30)},
    {"twinax34", TWINAX(34)},
    /* 100 ohm differential stripline, Megtron-7 class laminate (eps_r 3.4, tan_d 0.002 at
     * 10 GHz), HVLP copper (Huray a = 0.5 um, SR = 0.4), 0.5 oz ~5.5 mil traces (R_dc 14 ohm/m
     * for the pair); R_s calibrated to 0.90 dB/in at 26.5625 GHz. */
    {"pcb_lowloss",
     {.length_m = 1.0,
      .z0_ohm = 100.0,
      .eps_r = 3.4,
      .tan_d = 0.002,
      .f_ref_hz = 10e9,
      .diel = LS_DIEL_DJORDJEVIC_SARKAR,
      .awg = 0,
      .prox_factor = 1.0,
      .rs_ohm_rthz = 2.9e-3,
      .rdc_ohm_m = 14.0,
      .rough = LS_ROUGH_HURAY,
      .rough_rms_um = 0.0,
      .huray_a_um = 0.5,
      .huray_sr = 0.4}},
};

ls_status ls_tline_preset(const char *name, ls_tline_config *cfg)
{
    if (!name || !cfg)
        return LS_EINVAL;
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
        if (!strcmp(name, presets[i].name)) {
            *cfg = presets[i].cfg;
            return LS_OK;
        }
    return LS_EINVAL;
}

const char *ls_tline_preset_name(size_t i)
{
    return i < sizeof presets / sizeof presets[0] ? presets[i].name : NULL;
}

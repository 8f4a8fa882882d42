/*
 * Analytic copper channels: causal RLGC transmission line, lumped elements, IEEE 802.3 COM
 * package line, ABCD cascade, S-parameters and the "cascade" LTI block.
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
#include <pthread.h>
#include <string.h>

#include "ls_internal.h"

#define C0 299792458.0
#define MU0 (4e-7 * M_PI)
#define RHO_CU 1.72e-8
#define DS_W1 (2.0 * M_PI * 1e3)
#define DS_W2 (2.0 * M_PI * 1e12)

#define SPAN_N 16384u   /* span analysis: smallest FFT size */
#define SPAN_FS 409.6e9 /* span analysis: sample rate (Hz); 16384 samples = 40 ns */
#define SPAN_TAIL 1e-10 /* energy fraction left after the span (contract: < 1e-9) */
#define SPAN_MIN_S 50e-12
#define SPAN_MAX_DEFAULT_S 20e-9
#define SPAN_MAX_LO_S 1e-10
#define SPAN_MAX_HI_S 5e-8
#define PRE_S 20e-12

/* ---------------------------------------------------------------------------------------------
 * Line constants
 */

typedef struct {
    double len;        /* m */
    double lext, cref; /* H/m, F/m */
    double eps_r, eps_inf, deps, tan_d;
    ls_diel_model diel;
    double rs, rdc; /* ohm/m/sqrt(Hz), ohm/m */
    ls_rough_model rough;
    double ham_fr;     /* Hammerstad: (D/delta)^2 = f / ham_fr */
    double hu_k, hu_c; /* Huray: K = 1 + hu_k / (1 + (1 - j) hu_c / sqrt(f)) */
} pline;

static int finite_ge(double v, double lo)
{
    return isfinite(v) && v >= lo;
}

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
static int line_prep(const ls_tline_config *c, pline *p)
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
static void line_zy(const pline *p, double f, double complex *z, double complex *y)
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

static double line_front_s(const pline *p)
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
    return line_prep(cfg, &p) ? LS_EINVAL : LS_OK;
}

ls_status ls_tline_rlgc(const ls_tline_config *cfg, double f_hz, double complex *z,
                        double complex *y)
{
    pline p;
    if (line_prep(cfg, &p) || !isfinite(f_hz))
        return LS_EINVAL;
    double complex zz, yy;
    line_zy(&p, fabs(f_hz), &zz, &yy);
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
    if (line_prep(cfg, &p) || !isfinite(f_hz) || !(f_hz > 0.0))
        return LS_EINVAL;
    double complex zz, yy;
    line_zy(&p, f_hz, &zz, &yy);
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
    if (line_prep(cfg, &p))
        return NAN;
    return line_front_s(&p);
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

/* ---------------------------------------------------------------------------------------------
 * Segments
 */

ls_seg ls_seg_line(const ls_tline_config *cfg)
{
    ls_seg s;
    memset(&s, 0, sizeof s);
    if (cfg) {
        s.type = LS_SEG_LINE;
        s.line = *cfg;
    }
    return s;
}

static ls_seg lumped(ls_seg_type t, double v)
{
    ls_seg s;
    memset(&s, 0, sizeof s);
    s.type = t;
    s.value = v;
    return s;
}

ls_seg ls_seg_series_l(double h)
{
    return lumped(LS_SEG_SERIES_L, h);
}

ls_seg ls_seg_shunt_c(double c)
{
    return lumped(LS_SEG_SHUNT_C, c);
}

ls_seg ls_seg_series_r(double r)
{
    return lumped(LS_SEG_SERIES_R, r);
}

ls_seg ls_seg_com_line(const ls_com_line *com)
{
    ls_seg s;
    memset(&s, 0, sizeof s);
    if (com) {
        s.type = LS_SEG_COM_LINE;
        s.com = *com;
    }
    return s;
}

typedef struct {
    ls_seg_type type;
    double value;
    pline line;
    ls_com_line com;
} pseg;

typedef struct {
    pseg s[LS_CASCADE_MAX_SEGS];
    size_t n;
    double z1, z2, span_max;
} pcas;

static int com_valid(const ls_com_line *c)
{
    return isfinite(c->zc_ohm) && c->zc_ohm > 0.0 && finite_ge(c->length_mm, 0.0) &&
           finite_ge(c->gamma0_per_mm, 0.0) && finite_ge(c->a1_rtns_per_mm, 0.0) &&
           finite_ge(c->a2_ns_per_mm, 0.0) && isfinite(c->tau_ns_per_mm) && c->tau_ns_per_mm > 0.0;
}

static int seg_prep(const ls_seg *s, pseg *p)
{
    memset(p, 0, sizeof *p);
    p->type = s->type;
    switch (s->type) {
    case LS_SEG_LINE: return line_prep(&s->line, &p->line);
    case LS_SEG_SERIES_L:
    case LS_SEG_SHUNT_C:
    case LS_SEG_SERIES_R: p->value = s->value; return finite_ge(s->value, 0.0) ? 0 : -1;
    case LS_SEG_COM_LINE: p->com = s->com; return com_valid(&s->com) ? 0 : -1;
    }
    return -1;
}

static int cas_prep(const ls_cascade_config *c, pcas *p)
{
    if (!c || c->n_seg > LS_CASCADE_MAX_SEGS || !(isfinite(c->z_src_ohm) && c->z_src_ohm > 0.0) ||
        !(isfinite(c->z_load_ohm) && c->z_load_ohm > 0.0) ||
        !(c->span_max_s >= SPAN_MAX_LO_S && c->span_max_s <= SPAN_MAX_HI_S))
        return -1;
    p->n = c->n_seg;
    p->span_max = c->span_max_s;
    p->z1 = c->z_src_ohm;
    p->z2 = c->z_load_ohm;
    for (size_t i = 0; i < c->n_seg; i++)
        if (seg_prep(&c->seg[i], &p->s[i]))
            return -1;
    return 0;
}

void ls_cascade_config_init(ls_cascade_config *cfg)
{
    if (!cfg)
        return;
    memset(cfg, 0, sizeof *cfg);
    cfg->z_src_ohm = 100.0;
    cfg->z_load_ohm = 100.0;
    cfg->span_max_s = SPAN_MAX_DEFAULT_S;
}

ls_status ls_cascade_add(ls_cascade_config *cfg, ls_seg seg)
{
    pseg p;
    if (!cfg || cfg->n_seg >= LS_CASCADE_MAX_SEGS || seg_prep(&seg, &p))
        return LS_EINVAL;
    cfg->seg[cfg->n_seg++] = seg;
    return LS_OK;
}

ls_status ls_cascade_validate(const ls_cascade_config *cfg)
{
    pcas p;
    return cas_prep(cfg, &p) ? LS_EINVAL : LS_OK;
}

/* ---------------------------------------------------------------------------------------------
 * ABCD cascade
 */

/* A chain matrix times e^{lg}. */
typedef struct {
    double complex a, b, c, d, lg;
} abcd;

static double complex sinhc(double complex x)
{
    return cabs(x) < 1e-4 ? 1.0 + x * x / 6.0 : csinh(x) / x;
}

/* Line with x = gamma l, zl = Z l, yl = Y l (x^2 = zl yl). */
static abcd line_abcd(double complex x, double complex zl, double complex yl)
{
    abcd m;
    if (creal(x) > 1.0) {
        double complex e = cexp(-2.0 * x), zc = zl / x;
        m.a = m.d = 0.5 * (1.0 + e);
        m.b = 0.5 * zc * (1.0 - e);
        m.c = 0.5 * (1.0 - e) / zc;
        m.lg = x;
    } else {
        double complex sc = sinhc(x);
        m.a = m.d = ccosh(x);
        m.b = zl * sc;
        m.c = yl * sc;
        m.lg = 0.0;
    }
    return m;
}

static double complex com_gamma_per_mm(const ls_com_line *c, double f_hz)
{
    const double fg = f_hz * 1e-9;
    double complex g = c->gamma0_per_mm;
    if (fg > 0.0)
        g += c->a1_rtns_per_mm * (1.0 + I) * sqrt(fg) +
             fg * (c->a2_ns_per_mm * (1.0 - I * (2.0 / M_PI) * log(fg)) +
                   I * 2.0 * M_PI * c->tau_ns_per_mm);
    return g;
}

static abcd seg_abcd(const pseg *s, double f)
{
    const double w = 2.0 * M_PI * f;
    abcd m = {1.0, 0.0, 0.0, 1.0, 0.0};
    switch (s->type) {
    case LS_SEG_LINE: {
        double complex z, y;
        line_zy(&s->line, f, &z, &y);
        double complex zl = z * s->line.len, yl = y * s->line.len;
        return line_abcd(csqrt(zl * yl), zl, yl);
    }
    case LS_SEG_SERIES_L: m.b = I * w * s->value; break;
    case LS_SEG_SERIES_R: m.b = s->value; break;
    case LS_SEG_SHUNT_C: m.c = I * w * s->value; break;
    case LS_SEG_COM_LINE: {
        double complex x = com_gamma_per_mm(&s->com, f) * s->com.length_mm;
        return line_abcd(x, s->com.zc_ohm * x, x / s->com.zc_ohm);
    }
    }
    return m;
}

/* A scale of the matrix for overflow control: the largest |Re| or |Im| of its entries (within a
   factor sqrt 2 of the largest modulus; any scale serves, this one needs no hypot). */
static double cmax4(const abcd *m)
{
    const double complex e[4] = {m->a, m->b, m->c, m->d};
    double mx = 0.0;
    for (int i = 0; i < 4; i++) {
        double r = fabs(creal(e[i])), q = fabs(cimag(e[i]));
        mx = r > mx ? r : mx;
        mx = q > mx ? q : mx;
    }
    return mx;
}

/* S21, S11 of a prepared cascade at f >= 0. */
static void cas_eval(const pcas *p, double f, double complex *s21, double complex *s11)
{
    abcd t = {1.0, 0.0, 0.0, 1.0, 0.0};
    for (size_t i = 0; i < p->n; i++) {
        abcd m = seg_abcd(&p->s[i], f);
        abcd r = {t.a * m.a + t.b * m.c, t.a * m.b + t.b * m.d, t.c * m.a + t.d * m.c,
                  t.c * m.b + t.d * m.d, t.lg + m.lg};
        double mx = cmax4(&r);
        if (mx > 1e64) {
            r.a /= mx;
            r.b /= mx;
            r.c /= mx;
            r.d /= mx;
            r.lg += log(mx);
        }
        t = r;
    }
    const double z1 = p->z1, z2 = p->z2;
    double complex den = t.a * z2 + t.b + t.c * z1 * z2 + t.d * z1;
    *s21 = 2.0 * sqrt(z1 * z2) * cexp(-t.lg) / den;
    *s11 = (t.a * z2 + t.b - t.c * z1 * z2 - t.d * z1) / den;
}

ls_status ls_cascade_sparams(const ls_cascade_config *cfg, const double *f, size_t n,
                             double complex *s21, double complex *s11)
{
    pcas p;
    if (cas_prep(cfg, &p) || (n && !f))
        return LS_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(f[i]))
            return LS_EINVAL;
    for (size_t i = 0; i < n; i++) {
        double complex a, b;
        cas_eval(&p, fabs(f[i]), &a, &b);
        if (f[i] < 0.0) {
            a = conj(a);
            b = conj(b);
        }
        if (s21)
            s21[i] = a;
        if (s11)
            s11[i] = b;
    }
    return LS_OK;
}

static double pcas_delay(const pcas *p)
{
    double t = 0.0;
    for (size_t i = 0; i < p->n; i++) {
        if (p->s[i].type == LS_SEG_LINE)
            t += line_front_s(&p->s[i].line);
        else if (p->s[i].type == LS_SEG_COM_LINE)
            t += p->s[i].com.length_mm * p->s[i].com.tau_ns_per_mm * 1e-9;
    }
    return t;
}

double ls_cascade_bulk_delay_s(const ls_cascade_config *cfg)
{
    pcas p;
    if (cas_prep(cfg, &p))
        return NAN;
    return pcas_delay(&p);
}

/* ---------------------------------------------------------------------------------------------
 * Package
 */

void ls_package_config_init(ls_package_config *cfg)
{
    if (!cfg)
        return;
    memset(cfg, 0, sizeof *cfg);
    cfg->n_die = 3;
    cfg->c_d_f[0] = 40e-15;
    cfg->c_d_f[1] = 90e-15;
    cfg->c_d_f[2] = 110e-15;
    cfg->l_s_h[0] = 0.13e-9;
    cfg->l_s_h[1] = 0.15e-9;
    cfg->l_s_h[2] = 0.14e-9;
    cfg->c_b_f = 30e-15;
    cfg->n_line = 2;
    cfg->z_c_ohm[0] = 87.5;
    cfg->z_c_ohm[1] = 92.5;
    cfg->z_p_mm[0] = 33.0;
    cfg->z_p_mm[1] = 1.8;
    cfg->c_p_f = 40e-15;
    cfg->gamma0_per_mm = 5e-4;
    cfg->a1_rtns_per_mm = 8.9e-4;
    cfg->a2_ns_per_mm = 2e-4;
    cfg->tau_ns_per_mm = 6.141e-3;
}

ls_status ls_package_append(const ls_package_config *pkg, ls_pkg_side side, ls_cascade_config *cas)
{
    if (!pkg || !cas || (side != LS_PKG_TX && side != LS_PKG_RX) ||
        pkg->n_die > LS_PACKAGE_MAX_DIE || pkg->n_line > LS_PACKAGE_MAX_LINES ||
        !finite_ge(pkg->c_b_f, 0.0) || !finite_ge(pkg->c_p_f, 0.0))
        return LS_EINVAL;
    ls_seg s[2 * LS_PACKAGE_MAX_DIE + LS_PACKAGE_MAX_LINES + 2];
    size_t n = 0;
    for (size_t k = 0; k < pkg->n_die; k++) {
        s[n++] = ls_seg_shunt_c(0.5 * pkg->c_d_f[k]);
        s[n++] = ls_seg_series_l(2.0 * pkg->l_s_h[k]);
    }
    if (pkg->c_b_f > 0.0)
        s[n++] = ls_seg_shunt_c(0.5 * pkg->c_b_f);
    for (size_t k = 0; k < pkg->n_line; k++) {
        ls_com_line c = {.zc_ohm = pkg->z_c_ohm[k],
                         .length_mm = pkg->z_p_mm[k],
                         .gamma0_per_mm = pkg->gamma0_per_mm,
                         .a1_rtns_per_mm = pkg->a1_rtns_per_mm,
                         .a2_ns_per_mm = pkg->a2_ns_per_mm,
                         .tau_ns_per_mm = pkg->tau_ns_per_mm};
        s[n++] = ls_seg_com_line(&c);
    }
    if (pkg->c_p_f > 0.0)
        s[n++] = ls_seg_shunt_c(0.5 * pkg->c_p_f);
    if (cas->n_seg > LS_CASCADE_MAX_SEGS || n > LS_CASCADE_MAX_SEGS - cas->n_seg)
        return LS_EINVAL;
    pseg p;
    for (size_t k = 0; k < n; k++)
        if (seg_prep(&s[k], &p))
            return LS_EINVAL;
    for (size_t k = 0; k < n; k++)
        cas->seg[cas->n_seg++] = s[side == LS_PKG_TX ? k : n - 1 - k];
    return LS_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Block
 */

typedef struct {
    pcas p;
    double tau, span, pre;
} cblk;

/* In-place radix-2 complex FFT, x[k] <- sum_m x[m] e^{+2 pi i k m / n} (unnormalized inverse);
   tw[k] = e^{+2 pi i k / n} for k < n/2. */
static void fft_inverse(double complex *x, const double complex *tw, size_t n)
{
    for (size_t i = 1, j = 0; i < n; i++) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j |= bit;
        if (i < j) {
            double complex t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }
    for (size_t len = 2; len <= n; len <<= 1) {
        const size_t stride = n / len; /* w_len^k = w_n^(k stride), from the table */
        for (size_t i = 0; i < n; i += len)
            for (size_t k = 0; k < len / 2; k++) {
                double complex w = tw[k * stride];
                double complex u = x[i + k], v = x[i + k + len / 2] * w;
                x[i + k] = u + v;
                x[i + k + len / 2] = u - v;
            }
    }
}

/* Span (s) of the delay-removed response; negative on allocation failure. */
static double measure_span(const pcas *p, double tau)
{
    const double dt = 1.0 / SPAN_FS, fw = SPAN_FS / 12.0;
    size_t n = SPAN_N;
    while ((double)n * dt < 2.0 * p->span_max)
        n *= 2;
    const double df = SPAN_FS / (double)n;
    double complex *x = ls_alloc_n(n + n / 2, sizeof *x), *tw = x + n;
    if (!x)
        return -1.0;
    for (size_t k = 0; k < n / 2; k++)
        tw[k] = cexp(I * 2.0 * M_PI * (double)k / (double)n);
    for (size_t k = 0; k <= n / 2; k++) {
        const double f = (double)k * df, u = f / fw;
        double complex s21, s11;
        cas_eval(p, f, &s21, &s11);
        double complex h = s21 * cexp(I * 2.0 * M_PI * f * tau) * exp(-0.5 * u * u);
        if (k == 0 || k == n / 2)
            h = creal(h);
        x[k] = h;
        if (k > 0 && k < n / 2)
            x[n - k] = conj(h);
    }
    fft_inverse(x, tw, n);
    double etot = 0.0;
    for (size_t i = 0; i < n; i++)
        etot += creal(x[i]) * creal(x[i]);
    const size_t nend = n - n / 8; /* [nend, n): negative time */
    double tail = 0.0;
    size_t n0 = nend;
    while (n0 > 0) {
        double e = creal(x[n0 - 1]) * creal(x[n0 - 1]);
        if (tail + e > SPAN_TAIL * etot)
            break;
        tail += e;
        n0--;
    }
    ls_free(x);
    double span = (double)n0 * dt;
    return fmin(fmax(span, SPAN_MIN_S), p->span_max);
}

/* The span is a pure function of the prepared cascade, and the same channel is built many times over
   (the CTLE search, reach and sweeps change other blocks): a small process-wide memo keyed by the
   prepared cascade's bytes (segments are zero-filled before preparation, so equal cascades compare
   equal) saves the 8k-point span analysis. Deterministic: a hit returns what the analysis returns. */
#define SPAN_MEMO 32
static struct {
    pcas key[SPAN_MEMO];
    double span[SPAN_MEMO];
    unsigned n, next;
} span_memo;
static pthread_mutex_t span_lock = PTHREAD_MUTEX_INITIALIZER;

static int pcas_same(const pcas *a, const pcas *b)
{
    return a->n == b->n && a->z1 == b->z1 && a->z2 == b->z2 && a->span_max == b->span_max &&
           !memcmp(a->s, b->s, a->n * sizeof a->s[0]);
}

static double span_cached(const pcas *p, double tau)
{
    pthread_mutex_lock(&span_lock);
    for (unsigned i = 0; i < span_memo.n; i++)
        if (pcas_same(&span_memo.key[i], p)) {
            double s = span_memo.span[i];
            pthread_mutex_unlock(&span_lock);
            return s;
        }
    pthread_mutex_unlock(&span_lock);
    double s = measure_span(p, tau);
    if (s < 0.0)
        return s;
    pthread_mutex_lock(&span_lock);
    unsigned i = span_memo.next;
    span_memo.key[i] = *p;
    span_memo.span[i] = s;
    span_memo.next = (i + 1) % SPAN_MEMO;
    if (span_memo.n < SPAN_MEMO)
        span_memo.n++;
    pthread_mutex_unlock(&span_lock);
    return s;
}

/* The fused-filter design evaluates the cascade on the same frequency grid again and again (the CTLE
   g_DC search builds one link per candidate with the same channel): a small memo of the last responses,
   keyed by the prepared cascade and the exact grid, returns the stored values. Pure function memo: a hit
   gives bit-identical values, so results do not depend on it. */
#define RESP_MEMO 8
typedef struct {
    pcas key;
    size_t n;
    double *f;            /* [n] grid (Hz) */
    double complex *h;    /* [n] response */
} resp_entry;
static resp_entry resp_memo[RESP_MEMO];
static unsigned resp_next;
static pthread_mutex_t resp_lock = PTHREAD_MUTEX_INITIALIZER;

static int resp_lookup(const cblk *b, const double *f, double complex *h, size_t n)
{
    int hit = 0;
    pthread_mutex_lock(&resp_lock);
    for (unsigned i = 0; i < RESP_MEMO && !hit; i++) {
        const resp_entry *e = &resp_memo[i];
        if (e->n == n && e->f && pcas_same(&e->key, &b->p) && !memcmp(e->f, f, n * sizeof *f)) {
            memcpy(h, e->h, n * sizeof *h);
            hit = 1;
        }
    }
    pthread_mutex_unlock(&resp_lock);
    return hit;
}

static void resp_store(const cblk *b, const double *f, const double complex *h, size_t n)
{
    double *fc = ls_alloc_n(n, sizeof *fc);
    double complex *hc = ls_alloc_n(n, sizeof *hc);
    if (!fc || !hc) { /* the memo is an optimisation: on failure, just do not store */
        ls_free(fc);
        ls_free(hc);
        return;
    }
    memcpy(fc, f, n * sizeof *f);
    memcpy(hc, h, n * sizeof *h);
    pthread_mutex_lock(&resp_lock);
    resp_entry *e = &resp_memo[resp_next];
    resp_next = (resp_next + 1) % RESP_MEMO;
    ls_free(e->f);
    ls_free(e->h);
    e->key = b->p;
    e->n = n;
    e->f = fc;
    e->h = hc;
    pthread_mutex_unlock(&resp_lock);
}

static ls_status blk_response(const void *self, const double *f_hz, double complex *h, size_t n)
{
    const cblk *b = self;
    if (!b || (n && (!f_hz || !h)))
        return LS_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(f_hz[i]))
            return LS_EINVAL;
    const int memo = n >= 256; /* small grids are cheaper to evaluate than to compare */
    if (memo && resp_lookup(b, f_hz, h, n))
        return LS_OK;
    for (size_t i = 0; i < n; i++) {
        const double f = fabs(f_hz[i]);
        double complex s21, s11;
        cas_eval(&b->p, f, &s21, &s11);
        double complex v = s21 * cexp(I * 2.0 * M_PI * f * b->tau);
        h[i] = f_hz[i] < 0.0 ? conj(v) : v;
    }
    if (memo)
        resp_store(b, f_hz, h, n);
    return LS_OK;
}

static double blk_span(const void *self)
{
    return ((const cblk *)self)->span;
}

static double blk_pre(const void *self)
{
    return ((const cblk *)self)->pre;
}

static void blk_destroy(void *self)
{
    ls_free(self);
}

static const ls_block_ops cascade_ops = {
    .name = "cascade",
    .kind = LS_KIND_LTI,
    .in = LS_T_F32,
    .out = LS_T_F32,
    .response = blk_response,
    .span_s = blk_span,
    .pre_s = blk_pre,
    .destroy = blk_destroy,
};

ls_status ls_cascade_into_block(const ls_cascade_config *cfg, ls_block *out)
{
    if (!out)
        return LS_EINVAL;
    out->ops = NULL;
    out->self = NULL;
    pcas p;
    if (cas_prep(cfg, &p))
        return LS_EINVAL;
    cblk *b = ls_alloc(sizeof *b);
    if (!b)
        return LS_ENOMEM;
    b->p = p;
    b->tau = pcas_delay(&p);
    b->pre = PRE_S;
    b->span = span_cached(&p, b->tau);
    if (b->span < 0.0) {
        ls_free(b);
        return LS_ENOMEM;
    }
    out->ops = &cascade_ops;
    out->self = b;
    return LS_OK;
}

double ls_cascade_delay_s(const ls_block *b)
{
    if (!b || b->ops != &cascade_ops || !b->self)
        return NAN;
    return ((const cblk *)b->self)->tau;
}

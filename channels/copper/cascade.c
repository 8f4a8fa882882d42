/*
 * Copper cascades: segments (RLGC line, series L or R, shunt C, COM package line) and their
 * validation, the ABCD chain product, S-parameters between real source and load impedances, the
 * bulk delay, and the IEEE 802.3 COM package as a list of segments.
 *   Line of length l, x = gamma l = sqrt(Z l Y l): [cosh x, Z l sinhc x; Y l sinhc x, cosh x];
 *   for Re x > 1 held as e^{x} times the matrix in e^{-2x}, the exponents summed apart and the
 *   running product renormalized, so a very lossy S21 underflows to 0 instead of NaN.
 *   COM package line (802.3 93A-9..14 as coded in PyChOpMarg sPkgTline), f in GHz, per mm:
 *   gamma = gamma0 + a1 (1 + j) sqrt(f) + f [a2 (1 - j (2/pi) ln f) + j 2 pi tau], zc real.
 *   Series Z: [1, Z; 0, 1]. Shunt Y: [1, 0; Y, 1].
 *   S21 = 2 sqrt(Z1 Z2) / den, S11 = (A Z2 + B - C Z1 Z2 - D Z1) / den,
 *   den = A Z2 + B + C Z1 Z2 + D Z1 [Pozar, Microwave Engineering, 4th ed., Table 4.2,
 *   for unequal real references; Frickey, IEEE MTT 42(2), 1994].
 * The full model statement is in tline.c; equations and calibration in docs/channels.md.
 * Calls tline.c (line constants); called by cascade_block.c.
 */
#include "lanesim/tline.h"

#include <math.h>
#include <string.h>

#include "ls_internal.h"
#include "tline_internal.h"

#define SPAN_MAX_DEFAULT_S 20e-9
#define SPAN_MAX_LO_S 1e-10
#define SPAN_MAX_HI_S 5e-8

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
    case LS_SEG_LINE: return lsi_line_prep(&s->line, &p->line);
    case LS_SEG_SERIES_L:
    case LS_SEG_SHUNT_C:
    case LS_SEG_SERIES_R: p->value = s->value; return finite_ge(s->value, 0.0) ? 0 : -1;
    case LS_SEG_COM_LINE: p->com = s->com; return com_valid(&s->com) ? 0 : -1;
    }
    return -1;
}

int lsi_cas_prep(const ls_cascade_config *c, pcas *p)
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
    return lsi_cas_prep(cfg, &p) ? LS_EINVAL : LS_OK;
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
        lsi_line_zy(&s->line, f, &z, &y);
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
void lsi_cas_eval(const pcas *p, double f, double complex *s21, double complex *s11)
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
    if (lsi_cas_prep(cfg, &p) || (n && !f))
        return LS_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(f[i]))
            return LS_EINVAL;
    for (size_t i = 0; i < n; i++) {
        double complex a, b;
        lsi_cas_eval(&p, fabs(f[i]), &a, &b);
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

double lsi_pcas_delay(const pcas *p)
{
    double t = 0.0;
    for (size_t i = 0; i < p->n; i++) {
        if (p->s[i].type == LS_SEG_LINE)
            t += lsi_line_front_s(&p->s[i].line);
        else if (p->s[i].type == LS_SEG_COM_LINE)
            t += p->s[i].com.length_mm * p->s[i].com.tau_ns_per_mm * 1e-9;
    }
    return t;
}

double ls_cascade_bulk_delay_s(const ls_cascade_config *cfg)
{
    pcas p;
    if (lsi_cas_prep(cfg, &p))
        return NAN;
    return lsi_pcas_delay(&p);
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

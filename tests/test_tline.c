/* Tests of the analytic copper channels: RLGC line, ABCD cascade, COM package, presets and the
 * "cascade" LTI block (include/lanesim/tline.h, docs/channels.md). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lanesim/tline.h"
#include "ls_internal.h"

#define C0 299792458.0
#define MU0 (4e-7 * M_PI)
#define RHO_CU 1.72e-8
#define F26 26.5625e9
#define F53 53.125e9

static ls_tline_config preset(const char *name, double len)
{
    ls_tline_config c;
    cr_assert(eq(int, ls_tline_preset(name, &c), LS_OK), "preset %s", name);
    c.length_m = len;
    return c;
}

/* A lossless line: R = G = 0. */
static ls_tline_config lossless(double z0, double eps_r, double len)
{
    ls_tline_config c;
    ls_tline_config_init(&c);
    c.awg = 0;
    c.rs_ohm_rthz = 0.0;
    c.rdc_ohm_m = 0.0;
    c.tan_d = 0.0;
    c.rough = LS_ROUGH_NONE;
    c.z0_ohm = z0;
    c.eps_r = eps_r;
    c.length_m = len;
    return c;
}

static ls_cascade_config one_line(const ls_tline_config *l)
{
    ls_cascade_config c;
    ls_cascade_config_init(&c);
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_line(l)), LS_OK));
    return c;
}

static double complex s21_at(const ls_cascade_config *c, double f)
{
    double complex s21 = NAN, s11 = NAN;
    cr_assert(eq(int, ls_cascade_sparams(c, &f, 1, &s21, &s11), LS_OK));
    return s21;
}

static double complex s11_at(const ls_cascade_config *c, double f)
{
    double complex s21 = NAN, s11 = NAN;
    cr_assert(eq(int, ls_cascade_sparams(c, &f, 1, &s21, &s11), LS_OK));
    return s11;
}

static double il_db(double complex s21)
{
    return -20.0 * log10(cabs(s21));
}

/* In-place radix-2 FFT with exponent sign `sign` (unnormalized). */
static void fft(double complex *x, size_t n, int sign)
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
    for (size_t len = 2; len <= n; len <<= 1)
        for (size_t i = 0; i < n; i += len)
            for (size_t k = 0; k < len / 2; k++) {
                double complex w = cexp(sign * I * 2.0 * M_PI * (double)k / (double)len);
                double complex u = x[i + k], v = x[i + k + len / 2] * w;
                x[i + k] = u + v;
                x[i + k + len / 2] = u - v;
            }
}

/* Real impulse response h[0..n) (period 1/df) of S21(f) e^{+j 2 pi f t0} W(f), f = k df, with a
 * Gaussian window W of width fw (fw = 0: none). */
static double *impulse(const ls_cascade_config *c, double t0, size_t n, double df, double fw)
{
    double complex *x = calloc(n, sizeof *x);
    double *f = calloc(n / 2 + 1, sizeof *f), *h = calloc(n, sizeof *h);
    double complex *s = calloc(n / 2 + 1, sizeof *s);
    cr_assert(x && f && h && s);
    for (size_t k = 0; k <= n / 2; k++)
        f[k] = (double)k * df;
    cr_assert(eq(int, ls_cascade_sparams(c, f, n / 2 + 1, s, NULL), LS_OK));
    for (size_t k = 0; k <= n / 2; k++) {
        double w = fw > 0.0 ? exp(-0.5 * (f[k] / fw) * (f[k] / fw)) : 1.0;
        double complex v = s[k] * cexp(I * 2.0 * M_PI * f[k] * t0) * w;
        if (k == 0 || k == n / 2)
            v = creal(v);
        x[k] = v;
        if (k > 0 && k < n / 2)
            x[n - k] = conj(v);
    }
    fft(x, n, +1);
    for (size_t i = 0; i < n; i++)
        h[i] = creal(x[i]) / (double)n;
    free(x);
    free(f);
    free(s);
    return h;
}

/* Fraction of the energy of h (period n samples) in t in [-T/4, 0) (the wrapped end; the last
 * quarter only, so the wrapped tail of long responses does not count). */
static double energy_before_zero(const double *h, size_t n)
{
    double e = 0.0, before = 0.0;
    for (size_t i = 0; i < n; i++) {
        e += h[i] * h[i];
        if (i >= n - n / 4)
            before += h[i] * h[i];
    }
    return before / e;
}

/* ------------------------------------------------------------------------------------------ */

Test(tline, lossless_line_is_all_pass_with_exact_delay)
{
    ls_tline_config l = lossless(100.0, 3.2, 0.37);
    ls_cascade_config c = one_line(&l);
    const double tau = 0.37 * sqrt(3.2) / C0; /* length sqrt(L C) */
    double complex z, y;
    cr_assert(eq(int, ls_tline_rlgc(&l, 1e9, &z, &y), LS_OK));
    double lpm = cimag(z) / (2.0 * M_PI * 1e9), cpm = cimag(y) / (2.0 * M_PI * 1e9);
    cr_assert(lt(dbl, fabs(creal(z)), 1e-15));
    cr_assert(lt(dbl, fabs(creal(y)), 1e-15));
    cr_assert(lt(dbl, fabs(sqrt(lpm / cpm) - 100.0), 1e-9));
    cr_assert(lt(dbl, fabs(0.37 * sqrt(lpm * cpm) - tau), 1e-22));
    cr_assert(lt(dbl, fabs(ls_tline_delay_s(&l) - tau), 1e-22));
    for (double f = 0.0; f <= 200e9; f += 1.37e9) {
        double complex s21 = s21_at(&c, f);
        cr_assert(lt(dbl, fabs(cabs(s21) - 1.0), 1e-12), "f %g |S21| %.15f", f, cabs(s21));
        cr_assert(lt(dbl, cabs(s21 - cexp(-I * 2.0 * M_PI * f * tau)), 1e-10), "f %g", f);
        cr_assert(lt(dbl, cabs(s11_at(&c, f)), 1e-12));
    }
}

Test(tline, matched_line_loss_scales_with_length)
{
    static const char *names[] = {"twinax26", "twinax34", "pcb_lowloss"};
    for (size_t i = 0; i < 3; i++)
        for (double f = 5e9; f <= 60e9; f += 11e9) {
            ls_tline_config l1 = preset(names[i], 0.5), l3 = preset(names[i], 1.5);
            ls_cascade_config c1 = one_line(&l1), c3 = one_line(&l3);
            double a1 = il_db(s21_at(&c1, f)), a3 = il_db(s21_at(&c3, f));
            double per_m = ls_tline_loss_db_per_m(&l1, f);
            cr_assert(lt(dbl, fabs(a3 / a1 - 3.0), 3e-3), "%s f %g: %g vs %g", names[i], f, a3, a1);
            cr_assert(lt(dbl, fabs(a3 - 1.5 * per_m), 2e-3 * a3), "%s f %g", names[i], f);
        }
}

Test(tline, two_half_lines_equal_one_line)
{
    static const char *names[] = {"twinax26", "twinax30", "pcb_lowloss"};
    for (size_t i = 0; i < 3; i++) {
        ls_tline_config h = preset(names[i], 0.5), w = preset(names[i], 1.0);
        ls_cascade_config c2, c1 = one_line(&w);
        ls_cascade_config_init(&c2);
        cr_assert(eq(int, ls_cascade_add(&c2, ls_seg_line(&h)), LS_OK));
        cr_assert(eq(int, ls_cascade_add(&c2, ls_seg_line(&h)), LS_OK));
        for (double f = 0.0; f <= 300e9; f += 7.7e9) {
            double complex a = s21_at(&c1, f), b = s21_at(&c2, f);
            cr_assert(lt(dbl, cabs(a - b), 1e-9), "%s f %g: %g", names[i], f, cabs(a - b));
            cr_assert(lt(dbl, cabs(s11_at(&c1, f) - s11_at(&c2, f)), 1e-9));
        }
    }
}

Test(tline, quarter_wave_step_reflects_closed_form)
{
    const double z0 = 100.0, z1 = 50.0, eps = 2.5, len = 0.02;
    ls_tline_config l = lossless(z1, eps, len);
    ls_cascade_config c = one_line(&l);
    const double fq = 1.0 / (4.0 * len * sqrt(eps) / C0);
    const double rho = (z1 * z1 - z0 * z0) / (z1 * z1 + z0 * z0);
    for (int k = 1; k <= 5; k += 2) {
        double complex s11 = s11_at(&c, k * fq), s21 = s21_at(&c, k * fq);
        cr_assert(lt(dbl, fabs(creal(s11) - rho), 1e-10), "k %d: S11 %g%+gj", k, creal(s11),
                  cimag(s11));
        cr_assert(lt(dbl, fabs(cimag(s11)), 1e-10));
        cr_assert(lt(dbl, fabs(cabs(s21) * cabs(s21) + rho * rho - 1.0), 1e-12));
    }
    /* half-wave: transparent */
    cr_assert(lt(dbl, cabs(s11_at(&c, 2.0 * fq)), 1e-10));
    /* a step into a 50 ohm load: Gamma = (50 - 100) / 150 at every frequency */
    ls_cascade_config d;
    ls_cascade_config_init(&d);
    d.z_load_ohm = 50.0;
    double complex s11 = s11_at(&d, 3e9), s21 = s21_at(&d, 3e9);
    cr_assert(lt(dbl, cabs(s11 - (50.0 - 100.0) / 150.0), 1e-15));
    cr_assert(lt(dbl, cabs(s21 - 2.0 * sqrt(5000.0) / 150.0), 1e-15));
}

Test(tline, djordjevic_sarkar_matches_eps_and_tan_d_at_the_reference)
{
    ls_tline_config l = preset("pcb_lowloss", 1.0);
    double complex y;
    cr_assert(eq(int, ls_tline_rlgc(&l, l.f_ref_hz, NULL, &y), LS_OK));
    const double w = 2.0 * M_PI * l.f_ref_hz, cref = sqrt(l.eps_r) / (C0 * l.z0_ohm);
    double complex want = I * w * cref * (1.0 - I * l.tan_d);
    cr_assert(lt(dbl, cabs(y - want), 1e-12 * cabs(want)));
    /* eps' falls and the loss tangent stays within 15 % over 1..100 GHz (wideband Debye) */
    double prev = INFINITY;
    for (double f = 1e9; f <= 100e9; f *= 10.0) {
        cr_assert(eq(int, ls_tline_rlgc(&l, f, NULL, &y), LS_OK));
        double epsp = cimag(y) / (2.0 * M_PI * f * cref) * l.eps_r / l.eps_r;
        double tand = creal(y) / cimag(y);
        cr_assert(lt(dbl, epsp, prev));
        cr_assert(lt(dbl, fabs(tand / l.tan_d - 1.0), 0.15), "f %g tan_d %g", f, tand);
        prev = epsp;
    }
}

Test(tline, roughness_models_give_their_published_loss_ratios)
{
    ls_tline_config l;
    ls_tline_config_init(&l);
    l.awg = 0;
    l.rs_ohm_rthz = 2e-3;
    l.rdc_ohm_m = 10.0;
    for (double f = 1e9; f <= 100e9; f *= 3.0) {
        const double delta = sqrt(RHO_CU / (M_PI * f * MU0)), rs = 2e-3 * sqrt(f);
        double complex z;
        /* Huray: Re Z - R_dc = R_s sqrt(f) (1 + 1.5 SR / (1 + d/a + d^2 / (2 a^2))) */
        l.rough = LS_ROUGH_HURAY;
        l.huray_a_um = 0.7;
        l.huray_sr = 0.8;
        cr_assert(eq(int, ls_tline_rlgc(&l, f, &z, NULL), LS_OK));
        const double a = 0.7e-6;
        double k = 1.0 + 1.5 * 0.8 / (1.0 + delta / a + delta * delta / (2.0 * a * a));
        cr_assert(lt(dbl, fabs((creal(z) - 10.0) / (rs * k) - 1.0), 1e-12), "f %g", f);
        /* Hammerstad: real K on both parts */
        l.rough = LS_ROUGH_HAMMERSTAD;
        l.rough_rms_um = 1.2;
        cr_assert(eq(int, ls_tline_rlgc(&l, f, &z, NULL), LS_OK));
        const double dr = 1.2e-6 / delta;
        k = 1.0 + (2.0 / M_PI) * atan(1.4 * dr * dr);
        cr_assert(lt(dbl, fabs((creal(z) - 10.0) / (rs * k) - 1.0), 1e-12), "f %g", f);
    }
}

Test(tline, awg_conductor_follows_the_wire_diameter)
{
    static const unsigned g[] = {26, 28, 30, 34};
    for (size_t i = 0; i < 4; i++) {
        ls_tline_config l = preset("twinax26", 1.0);
        l.awg = g[i];
        l.tan_d = 0.0;
        const double d = 0.127e-3 * pow(92.0, (36.0 - g[i]) / 39.0);
        double complex z;
        cr_assert(eq(int, ls_tline_rlgc(&l, 0.0, &z, NULL), LS_OK));
        cr_assert(lt(dbl, fabs(creal(z) / (8.0 * RHO_CU / (M_PI * d * d)) - 1.0), 1e-12));
        const double f = 10e9, delta = sqrt(RHO_CU / (M_PI * f * MU0));
        cr_assert(eq(int, ls_tline_rlgc(&l, f, &z, NULL), LS_OK));
        /* two wires, each rho / (pi d delta), times the proximity factor, plus R_dc */
        double rac = l.prox_factor * 2.0 * RHO_CU / (M_PI * d * delta);
        cr_assert(lt(dbl, fabs((creal(z) - 8.0 * RHO_CU / (M_PI * d * d)) / rac - 1.0), 1e-9));
    }
    const double d26 = 0.127e-3 * pow(92.0, 10.0 / 39.0);
    cr_assert(lt(dbl, fabs(d26 - 0.405e-3), 0.001e-3));
}

Test(tline, skin_loss_grows_as_sqrt_f)
{
    ls_tline_config l = lossless(100.0, 2.0, 1.0);
    l.rs_ohm_rthz = 3e-4;
    for (double f = 10e9; f <= 100e9; f *= 2.0) {
        double r = ls_tline_loss_db_per_m(&l, 4.0 * f) / ls_tline_loss_db_per_m(&l, f);
        cr_assert(lt(dbl, fabs(r - 2.0), 2e-3), "f %g ratio %g", f, r);
    }
    /* and R/(2 Z0) in Np/m */
    double a = ls_tline_loss_db_per_m(&l, 20e9) * log(10.0) / 20.0;
    cr_assert(lt(dbl, fabs(a / (3e-4 * sqrt(20e9) / 200.0) - 1.0), 1e-3));
}

/* Causality check grid: 25 MHz x 65536 (period 40 ns, 1.6384 THz sampling), Gaussian window of
 * sigma 136.5 GHz (time kernel sigma 1.17 ps). */
#define CAUSAL_N 65536u
#define CAUSAL_DF 25e6
#define CAUSAL_FW (0.5 * CAUSAL_N * CAUSAL_DF / 6.0)

/* Time of flight from the wideband Debye model, computed here independently. */
static double ds_front_s(const ls_tline_config *l)
{
    const double w1 = 2.0 * M_PI * 1e3, w2 = 2.0 * M_PI * 1e12, wr = 2.0 * M_PI * l->f_ref_hz;
    double complex fr = clog((w2 + I * wr) / (w1 + I * wr)) / log(w2 / w1);
    double deps = -l->eps_r * l->tan_d / cimag(fr), einf = l->eps_r - deps * creal(fr);
    return l->length_m * sqrt(einf) / C0;
}

Test(tline, djordjevic_sarkar_and_skin_model_is_causal, .timeout = 30)
{
    static const struct {
        const char *name;
        double len;
    } cases[] = {{"twinax26", 2.0}, {"twinax34", 1.0}, {"pcb_lowloss", 0.5}};
    for (size_t i = 0; i < 3; i++) {
        ls_tline_config l = preset(cases[i].name, cases[i].len);
        ls_cascade_config c = one_line(&l);
        const double tof = ds_front_s(&l);
        cr_assert(lt(dbl, fabs(tof - ls_tline_delay_s(&l)), 1e-18));
        double *h = impulse(&c, tof, CAUSAL_N, CAUSAL_DF, CAUSAL_FW);
        double e = energy_before_zero(h, CAUSAL_N);
        cr_log_info("%s %.1f m: energy before the time of flight %.2e", cases[i].name, cases[i].len,
                    e);
        cr_assert(lt(dbl, e, 1e-4), "%s: %g", cases[i].name, e);
        free(h);
    }
}

/* Negative check: a constant loss tangent (loss without the matching dispersion) is not
 * causal, and the same measurement shows it. */
Test(tline, constant_tan_d_model_fails_the_causality_check, .timeout = 30)
{
    ls_tline_config l = preset("pcb_lowloss", 0.5);
    l.diel = LS_DIEL_CONST_TAND;
    ls_cascade_config c = one_line(&l);
    const double tof = l.length_m * sqrt(l.eps_r) / C0;
    cr_assert(lt(dbl, fabs(tof - ls_tline_delay_s(&l)), 1e-18));
    double *h = impulse(&c, tof, CAUSAL_N, CAUSAL_DF, CAUSAL_FW);
    double e = energy_before_zero(h, CAUSAL_N);
    cr_log_info("pcb_lowloss 0.5 m, constant tan_d: energy before the time of flight %.2e", e);
    cr_assert(gt(dbl, e, 1e-3), "%g", e);
    free(h);
}

Test(tline, preset_losses_are_the_documented_ones)
{
    /* docs/channels.md table (dB/m at 26.5625 and 53.125 GHz), to 0.01 dB/m */
    static const struct {
        const char *name;
        double l26, l53;
    } t[] = {{"twinax26", 7.34, 11.07},
             {"twinax28", 8.94, 13.32},
             {"twinax30", 10.95, 16.16},
             {"twinax34", 16.68, 24.26},
             {"pcb_lowloss", 35.64, 56.93}};
    for (size_t i = 0; i < 5; i++) {
        ls_tline_config l = preset(t[i].name, 1.0);
        double a = ls_tline_loss_db_per_m(&l, F26), b = ls_tline_loss_db_per_m(&l, F53);
        cr_log_info("%-12s %6.2f dB/m at 26.5625 GHz, %6.2f dB/m at 53.125 GHz, %.3f ns/m",
                    t[i].name, a, b, ls_tline_delay_s(&l) * 1e9);
        cr_assert(lt(dbl, fabs(a - t[i].l26), 0.01), "%s: %.4f", t[i].name, a);
        cr_assert(lt(dbl, fabs(b - t[i].l53), 0.01), "%s: %.4f", t[i].name, b);
    }
    /* ordering with the gauge: thinner wire, more loss, at both frequencies */
    static const char *g[] = {"twinax26", "twinax28", "twinax30", "twinax34"};
    for (size_t i = 0; i + 1 < 4; i++) {
        ls_tline_config a = preset(g[i], 1.0), b = preset(g[i + 1], 1.0);
        for (double f = 1e9; f <= 100e9; f *= 2.0)
            cr_assert(lt(dbl, ls_tline_loss_db_per_m(&a, f), ls_tline_loss_db_per_m(&b, f)));
    }
    /* pcb_lowloss: 0.8 .. 1.1 dB/in at 26.5625 GHz */
    ls_tline_config p = preset("pcb_lowloss", 0.0254);
    ls_cascade_config c = one_line(&p);
    double in = il_db(s21_at(&c, F26));
    cr_assert(gt(dbl, in, 0.8));
    cr_assert(lt(dbl, in, 1.1));
}

/* One plug of a cable assembly (docs/channels.md): host connector (series 0.1 nH, shunt 50 fF),
 * 50 mm of pcb_lowloss paddle-card and connector trace, cable termination pad (shunt 50 fF). */
static void add_plug(ls_cascade_config *c, int cable_side_last)
{
    ls_tline_config card = preset("pcb_lowloss", 0.050);
    ls_seg s[4] = {ls_seg_series_l(0.1e-9), ls_seg_shunt_c(50e-15), ls_seg_line(&card),
                   ls_seg_shunt_c(50e-15)};
    for (size_t i = 0; i < 4; i++)
        cr_assert(eq(int, ls_cascade_add(c, s[cable_side_last ? i : 3 - i]), LS_OK));
}

Test(tline, twinax26_two_metres_matches_the_802_3ck_cable_assembly)
{
    ls_tline_config l = preset("twinax26", 2.0);
    ls_cascade_config bulk = one_line(&l);
    double b = il_db(s21_at(&bulk, F26));
    cr_log_info("2 m twinax26 bulk: %.2f dB at 26.5625 GHz", b);
    cr_assert(gt(dbl, b, 13.5));
    cr_assert(lt(dbl, b, 16.0));
    ls_cascade_config ca;
    ls_cascade_config_init(&ca);
    add_plug(&ca, 1);
    cr_assert(eq(int, ls_cascade_add(&ca, ls_seg_line(&l)), LS_OK));
    add_plug(&ca, 0);
    double a = il_db(s21_at(&ca, F26));
    cr_log_info("2 m twinax26 assembly with two plugs: %.2f dB at 26.5625 GHz (802.3ck CA: 19.75)",
                a);
    cr_assert(gt(dbl, a, 19.75 - 2.0));
    cr_assert(lt(dbl, a, 19.75 + 2.0));
}

/* --- the COM package, recomputed with S-parameters (PyChOpMarg sCshunt / sLseries / sPkgTline,
 * single-ended R0 = 50 ohm), cascaded by the Redheffer star product: independent of ABCD. --- */

typedef struct {
    double complex s11, s12, s21, s22;
} sp2;

static sp2 star(sp2 a, sp2 b)
{
    double complex d = 1.0 - a.s22 * b.s11;
    return (sp2){a.s11 + a.s12 * b.s11 * a.s21 / d, a.s12 * b.s12 / d, a.s21 * b.s21 / d,
                 b.s22 + b.s21 * a.s22 * b.s12 / d};
}

static sp2 sp_shunt_c(double f, double c)
{
    double complex x = I * 2.0 * M_PI * f * c * 50.0;
    double complex s11 = -x / (2.0 + x), s21 = 2.0 / (2.0 + x);
    return (sp2){s11, s21, s21, s11};
}

static sp2 sp_series_l(double f, double l)
{
    const double w = 2.0 * M_PI * f, r0 = 50.0, den = 4.0 * r0 * r0 + w * w * l * l;
    double complex s11 = (w * w * l * l + 2.0 * I * w * r0 * l) / den;
    double complex s21 = 2.0 * (2.0 * r0 * r0 - I * w * r0 * l) / den;
    return (sp2){s11, s21, s21, s11};
}

static sp2 sp_tline(double f, const ls_package_config *p, double zc, double zp)
{
    const double fg = f / 1e9;
    double complex g = p->gamma0_per_mm;
    if (fg > 0.0)
        g = p->gamma0_per_mm + p->a1_rtns_per_mm * (1.0 + I) * sqrt(fg) +
            (p->a2_ns_per_mm * (1.0 - I * (2.0 / M_PI) * log(fg)) +
             I * 2.0 * M_PI * p->tau_ns_per_mm) *
                fg;
    const double rho = (zc - 100.0) / (zc + 100.0);
    double complex e1 = cexp(-g * zp), e2 = cexp(-2.0 * g * zp);
    double complex s11 = rho * (1.0 - e2) / (1.0 - rho * rho * e2);
    double complex s21 = (1.0 - rho * rho) * e1 / (1.0 - rho * rho * e2);
    return (sp2){s11, s21, s21, s11};
}

static sp2 sp_package_tx(double f, const ls_package_config *p)
{
    sp2 t = {0.0, 1.0, 1.0, 0.0};
    for (size_t k = 0; k < p->n_die; k++) {
        t = star(t, sp_shunt_c(f, p->c_d_f[k]));
        t = star(t, sp_series_l(f, p->l_s_h[k]));
    }
    t = star(t, sp_shunt_c(f, p->c_b_f));
    for (size_t k = 0; k < p->n_line; k++)
        t = star(t, sp_tline(f, p, p->z_c_ohm[k], p->z_p_mm[k]));
    return star(t, sp_shunt_c(f, p->c_p_f));
}

Test(tline, package_matches_a_direct_s_parameter_cascade)
{
    ls_package_config p;
    ls_package_config_init(&p);
    cr_assert(eq(sz, p.n_die, 3));
    cr_assert(eq(dbl, p.c_d_f[0], 40e-15));
    cr_assert(eq(dbl, p.z_p_mm[0], 33.0));
    ls_cascade_config tx, rx;
    ls_cascade_config_init(&tx);
    ls_cascade_config_init(&rx);
    cr_assert(eq(int, ls_package_append(&p, LS_PKG_TX, &tx), LS_OK));
    cr_assert(eq(int, ls_package_append(&p, LS_PKG_RX, &rx), LS_OK));
    cr_assert(eq(sz, tx.n_seg, 10));
    for (double f = 0.0; f <= 120e9; f += 2.65625e9) {
        sp2 want = sp_package_tx(f, &p);
        double complex a21, a11, b21, b11;
        cr_assert(eq(int, ls_cascade_sparams(&tx, &f, 1, &a21, &a11), LS_OK));
        cr_assert(eq(int, ls_cascade_sparams(&rx, &f, 1, &b21, &b11), LS_OK));
        cr_assert(lt(dbl, cabs(a21 - want.s21), 1e-12), "f %g: %g", f, cabs(a21 - want.s21));
        cr_assert(lt(dbl, cabs(a11 - want.s11), 1e-12), "f %g", f);
        /* the RX package is the mirror image: same S21, its S11 is the TX S22 */
        cr_assert(lt(dbl, cabs(b21 - want.s21), 1e-12), "f %g", f);
        cr_assert(lt(dbl, cabs(b11 - want.s22), 1e-12), "f %g", f);
    }
    double f = F26, f2 = F53;
    double complex s;
    cr_assert(eq(int, ls_cascade_sparams(&tx, &f, 1, &s, NULL), LS_OK));
    double il26 = il_db(s);
    cr_assert(eq(int, ls_cascade_sparams(&tx, &f2, 1, &s, NULL), LS_OK));
    cr_log_info("802.3dj package (TX): IL %.2f dB at 26.5625 GHz, %.2f dB at 53.125 GHz", il26,
                il_db(s));
    /* appending beyond the 32 segments fails and leaves the cascade untouched */
    ls_cascade_config full = tx;
    cr_assert(eq(int, ls_package_append(&p, LS_PKG_RX, &full), LS_OK));
    cr_assert(eq(int, ls_package_append(&p, LS_PKG_RX, &full), LS_OK));
    cr_assert(eq(sz, full.n_seg, 30));
    cr_assert(eq(int, ls_package_append(&p, LS_PKG_RX, &full), LS_EINVAL));
    cr_assert(eq(sz, full.n_seg, 30));
}

static ls_cascade_config link_channel(void)
{
    ls_package_config p;
    ls_package_config_init(&p);
    ls_cascade_config c;
    ls_cascade_config_init(&c);
    cr_assert(eq(int, ls_package_append(&p, LS_PKG_TX, &c), LS_OK));
    ls_tline_config l = preset("twinax26", 1.0);
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_line(&l)), LS_OK));
    cr_assert(eq(int, ls_package_append(&p, LS_PKG_RX, &c), LS_OK));
    return c;
}

Test(tline, block_response_is_sparams_with_the_bulk_delay_removed)
{
    ls_cascade_config c = link_channel();
    ls_block b;
    cr_assert(eq(int, ls_cascade_into_block(&c, &b), LS_OK));
    cr_assert(eq(str, (char *)b.ops->name, "cascade"));
    cr_assert(eq(int, b.ops->kind, LS_KIND_LTI));
    cr_assert(eq(int, b.ops->in, LS_T_F32));
    cr_assert(eq(int, b.ops->out, LS_T_F32));
    cr_assert(b.ops->response && b.ops->span_s && b.ops->pre_s && !b.ops->process);
    const double tau = ls_cascade_delay_s(&b);
    ls_tline_config l = preset("twinax26", 1.0);
    double want_tau = ls_tline_delay_s(&l) + 2.0 * (33.0 + 1.8) * 6.141e-12;
    cr_assert(lt(dbl, fabs(tau - want_tau), 1e-18));
    cr_assert(lt(dbl, fabs(ls_cascade_bulk_delay_s(&c) - tau), 1e-20));
    enum { N = 64 };
    double f[N];
    double complex h[N], s[N];
    for (size_t i = 0; i < N; i++)
        f[i] = ((double)i - 20.0) * 1.71e9;
    cr_assert(eq(int, ls_cascade_sparams(&c, f, N, s, NULL), LS_OK));
    uint64_t n0 = lsi_alloc_count();
    cr_assert(eq(int, b.ops->response(b.self, f, h, N), LS_OK));
    cr_assert(eq(u64, lsi_alloc_count(), n0));
    for (size_t i = 0; i < N; i++) {
        double complex want = s[i] * cexp(I * 2.0 * M_PI * f[i] * tau);
        cr_assert(lt(dbl, cabs(h[i] - want), 1e-13), "f %g", f[i]);
        if (f[i] < 0.0)
            cr_assert(lt(dbl, cabs(h[i] - conj(h[40 - i])), 1e-15)); /* H(-f) = conj H(f) */
    }
    double pre = b.ops->pre_s(b.self), span = b.ops->span_s(b.self);
    cr_assert(eq(dbl, pre, 20e-12));
    cr_assert(gt(dbl, span, 50e-12));
    cr_assert(le(dbl, span, 20e-9));
    cr_log_info("1 m twinax26 + two 802.3dj packages: tau %.4f ns, span %.3f ns", tau * 1e9,
                span * 1e9);
    ls_block_destroy(&b);
    cr_assert(eq(ptr, b.self, NULL));
    ls_block x = {NULL, NULL};
    cr_assert(isnan(ls_cascade_delay_s(&x)));
    cr_assert(isnan(ls_cascade_delay_s(NULL)));
}

/* The span holds the response. Reference: a finer, longer grid (3.125 MHz x 262144, period 320 ns)
 * under a narrower Gaussian window (sigma 68 GHz, time kernel 2.3 ps) than the block's. Below the
 * cap less than 1e-9 of the energy lies after span_s or in [-10 ns, -pre_s) (earlier times hold
 * the wrapped tail). At the cap (skin-effect tails, h ~ t^-1.5) what lies after the span is
 * logged and bounded: k^4 / (8 T^2) for H = e^{-k sqrt(s)} (docs/channels.md). */
static void check_span(const ls_cascade_config *c, const char *what, double after_cap_max)
{
    ls_block b;
    cr_assert(eq(int, ls_cascade_into_block(c, &b), LS_OK));
    const double span = b.ops->span_s(b.self), pre = b.ops->pre_s(b.self);
    const double tau = ls_cascade_delay_s(&b);
    const size_t n = 262144;
    const double df = 3.125e6, dt = 1.0 / ((double)n * df);
    double *h = impulse(c, tau, n, df, 0.5 * (double)n * df / 6.0);
    double e = 0.0, after = 0.0, before = 0.0;
    for (size_t k = 0; k < n; k++) {
        double t = k < n / 2 ? (double)k * dt : ((double)k - (double)n) * dt;
        e += h[k] * h[k];
        if (t > span)
            after += h[k] * h[k];
        if (t < -pre && t >= -10e-9)
            before += h[k] * h[k];
    }
    const int capped = span >= c->span_max_s;
    cr_log_info("%s: span %.3f ns%s, energy after it %.2e, before -pre %.2e", what, span * 1e9,
                capped ? " (cap)" : "", after / e, before / e);
    cr_assert(lt(dbl, before / e, 1e-9), "%s: %g", what, before / e);
    cr_assert(lt(dbl, after / e, capped ? after_cap_max : 1e-9), "%s: %g", what, after / e);
    free(h);
    ls_block_destroy(&b);
}

Test(tline, block_span_holds_the_impulse_response, .timeout = 60)
{
    ls_tline_config mis = lossless(80.0, 2.0, 0.3); /* reflections only: 80 ohm in 100 ohm */
    ls_cascade_config c = one_line(&mis);
    check_span(&c, "lossless 80 ohm 0.3 m", 0.0);
    ls_tline_config tw = preset("twinax26", 0.25);
    c = one_line(&tw);
    check_span(&c, "twinax26 0.25 m", 1e-9);
    ls_package_config p;
    ls_package_config_init(&p);
    ls_cascade_config_init(&c);
    cr_assert(eq(int, ls_package_append(&p, LS_PKG_TX, &c), LS_OK));
    check_span(&c, "802.3dj package", 1e-9);
    c = link_channel();
    check_span(&c, "package + 1 m twinax26 + package", 1e-6);
    c.span_max_s = 50e-9;
    check_span(&c, "the same, span_max 50 ns", 1e-7);
}

Test(tline, heavy_attenuation_underflows_to_zero)
{
    ls_tline_config l = preset("pcb_lowloss", 10.0);
    ls_cascade_config c = one_line(&l);
    for (double f = 100e9; f <= 5e12; f *= 3.0) {
        double complex s21 = s21_at(&c, f), s11 = s11_at(&c, f);
        cr_assert(isfinite(creal(s21)) && isfinite(cimag(s21)), "f %g", f);
        cr_assert(isfinite(creal(s11)) && isfinite(cimag(s11)));
        cr_assert(lt(dbl, cabs(s21), 1e-12));
        cr_assert(lt(dbl, cabs(s11), 0.2));
    }
}

Test(tline, presets_enumerate_and_unknown_names_fail)
{
    size_t n = 0;
    while (ls_tline_preset_name(n))
        n++;
    cr_assert(eq(sz, n, 5));
    for (size_t i = 0; i < n; i++) {
        ls_tline_config c;
        cr_assert(eq(int, ls_tline_preset(ls_tline_preset_name(i), &c), LS_OK));
        cr_assert(eq(int, ls_tline_validate(&c), LS_OK));
        cr_assert(eq(dbl, c.length_m, 1.0));
        cr_assert(eq(dbl, c.z0_ohm, 100.0));
    }
    ls_tline_config c, d;
    ls_tline_config_init(&c);
    cr_assert(eq(int, ls_tline_preset("twinax26", &d), LS_OK));
    cr_assert(eq(int, memcmp(&c, &d, sizeof c), 0));
    cr_assert(eq(int, ls_tline_preset("twinax27", &c), LS_EINVAL));
    cr_assert(eq(int, ls_tline_preset(NULL, &c), LS_EINVAL));
    cr_assert(eq(int, ls_tline_preset("twinax26", NULL), LS_EINVAL));
}

static void expect_line_rejected(ls_tline_config l, const char *what)
{
    cr_assert(eq(int, ls_tline_validate(&l), LS_EINVAL), "%s", what);
    ls_cascade_config c;
    ls_cascade_config_init(&c);
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_line(&l)), LS_EINVAL), "%s", what);
    cr_assert(eq(sz, c.n_seg, 0));
    c.seg[0] = ls_seg_line(&l);
    c.n_seg = 1;
    ls_block b = {(const ls_block_ops *)1, (void *)1};
    cr_assert(eq(int, ls_cascade_into_block(&c, &b), LS_EINVAL), "%s", what);
    cr_assert(eq(ptr, (void *)b.ops, NULL));
    cr_assert(eq(ptr, b.self, NULL));
    double f = 1e9;
    double complex s;
    cr_assert(eq(int, ls_cascade_sparams(&c, &f, 1, &s, NULL), LS_EINVAL), "%s", what);
    cr_assert(isnan(ls_tline_loss_db_per_m(&l, 1e9)), "%s", what);
    cr_assert(isnan(ls_tline_delay_s(&l)), "%s", what);
}

Test(tline, invalid_configurations_are_rejected)
{
    ls_tline_config ok;
    ls_tline_config_init(&ok);
    cr_assert(eq(int, ls_tline_validate(&ok), LS_OK));
    ls_tline_config l;
#define BAD(field, v)                                                                              \
    do {                                                                                           \
        l = ok;                                                                                    \
        l.field = (v);                                                                             \
        expect_line_rejected(l, #field " = " #v);                                                  \
    } while (0)
    BAD(length_m, -0.1);
    BAD(length_m, NAN);
    BAD(length_m, INFINITY);
    BAD(z0_ohm, 0.0);
    BAD(z0_ohm, -100.0);
    BAD(z0_ohm, NAN);
    BAD(eps_r, 0.99);
    BAD(eps_r, NAN);
    BAD(tan_d, -1e-4);
    BAD(tan_d, 0.6);
    BAD(tan_d, NAN);
    BAD(f_ref_hz, 0.0);
    BAD(f_ref_hz, 1e13);
    BAD(awg, 9);
    BAD(awg, 41);
    BAD(prox_factor, 0.5);
    BAD(rs_ohm_rthz, -1e-3);
    BAD(rdc_ohm_m, NAN);
    BAD(diel, (ls_diel_model)7);
    BAD(rough, (ls_rough_model)9);
    BAD(rough_rms_um, -1.0);
    BAD(huray_sr, -0.1);
    l = ok;
    l.rough = LS_ROUGH_HURAY;
    l.huray_a_um = 0.0;
    expect_line_rejected(l, "huray without a radius");
    l = ok; /* eps_inf <= 0: an absurd loss tangent on air */
    l.eps_r = 1.0;
    l.tan_d = 0.5;
    expect_line_rejected(l, "eps_inf <= 0");
#undef BAD
    /* per-frequency calls */
    double complex g;
    cr_assert(eq(int, ls_tline_gamma(&ok, 0.0, &g, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_tline_gamma(&ok, NAN, &g, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_tline_rlgc(&ok, NAN, &g, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_tline_rlgc(NULL, 1e9, &g, NULL), LS_EINVAL));
    /* lumped and COM segments */
    ls_cascade_config c;
    ls_cascade_config_init(&c);
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_series_l(-1e-9)), LS_EINVAL));
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_shunt_c(NAN)), LS_EINVAL));
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_series_r(INFINITY)), LS_EINVAL));
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_line(NULL)), LS_EINVAL));
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_com_line(NULL)), LS_EINVAL));
    ls_com_line com = {92.5, 10.0, 5e-4, 8.9e-4, 2e-4, 0.0};
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_com_line(&com)), LS_EINVAL));
    com.tau_ns_per_mm = 6.141e-3;
    com.zc_ohm = 0.0;
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_com_line(&com)), LS_EINVAL));
    com.zc_ohm = 92.5;
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_com_line(&com)), LS_OK));
    cr_assert(eq(int, ls_cascade_add(NULL, ls_seg_series_r(1.0)), LS_EINVAL));
    /* terminations, segment count */
    ls_cascade_config d = c;
    d.z_src_ohm = 0.0;
    cr_assert(eq(int, ls_cascade_validate(&d), LS_EINVAL));
    d = c;
    d.z_load_ohm = NAN;
    cr_assert(eq(int, ls_cascade_validate(&d), LS_EINVAL));
    d = c;
    d.span_max_s = 1e-6;
    cr_assert(eq(int, ls_cascade_validate(&d), LS_EINVAL));
    d.span_max_s = NAN;
    cr_assert(eq(int, ls_cascade_validate(&d), LS_EINVAL));
    d = c;
    d.n_seg = LS_CASCADE_MAX_SEGS + 1;
    cr_assert(eq(int, ls_cascade_validate(&d), LS_EINVAL));
    d = c;
    d.seg[0].type = (ls_seg_type)0;
    cr_assert(eq(int, ls_cascade_validate(&d), LS_EINVAL));
    for (size_t i = 1; i < LS_CASCADE_MAX_SEGS; i++)
        cr_assert(eq(int, ls_cascade_add(&c, ls_seg_series_r(0.1)), LS_OK));
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_series_r(0.1)), LS_EINVAL));
    cr_assert(eq(sz, c.n_seg, LS_CASCADE_MAX_SEGS));
    double f = 1e9;
    double complex s;
    cr_assert(eq(int, ls_cascade_sparams(&c, NULL, 1, &s, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_cascade_sparams(&c, &f, 0, NULL, NULL), LS_OK));
    f = NAN;
    cr_assert(eq(int, ls_cascade_sparams(&c, &f, 1, &s, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_cascade_into_block(&c, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_cascade_into_block(NULL, &(ls_block){NULL, NULL}), LS_EINVAL));
    /* package */
    ls_package_config p;
    ls_package_config_init(&p);
    ls_cascade_config e;
    ls_cascade_config_init(&e);
    ls_package_config q = p;
    q.n_die = LS_PACKAGE_MAX_DIE + 1;
    cr_assert(eq(int, ls_package_append(&q, LS_PKG_TX, &e), LS_EINVAL));
    q = p;
    q.c_d_f[1] = -1e-15;
    cr_assert(eq(int, ls_package_append(&q, LS_PKG_TX, &e), LS_EINVAL));
    q = p;
    q.tau_ns_per_mm = NAN;
    cr_assert(eq(int, ls_package_append(&q, LS_PKG_TX, &e), LS_EINVAL));
    cr_assert(eq(int, ls_package_append(&p, (ls_pkg_side)5, &e), LS_EINVAL));
    cr_assert(eq(int, ls_package_append(&p, LS_PKG_TX, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_package_append(NULL, LS_PKG_TX, &e), LS_EINVAL));
    cr_assert(eq(sz, e.n_seg, 0));
    /* the block destroy path is NULL-safe */
    ls_block_destroy(NULL);
}

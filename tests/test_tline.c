/* Tests of the analytic copper channels: the RLGC line (loss, delay, reflections, dielectric,
 * roughness and conductor models) and its causality (include/lanesim/tline.h, docs/channels.md).
 * Presets, cable assembly and COM package: test_tline_package.c; the "cascade" LTI block and
 * configuration rejection: test_tline_block.c. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "tline_util.h"

#define C0 299792458.0

#define MU0 (4e-7 * M_PI)

#define RHO_CU 1.72e-8

static double complex s11_at(const ls_cascade_config *c, double f)
{
    double complex s21 = NAN, s11 = NAN;
    cr_assert(eq(int, ls_cascade_sparams(c, &f, 1, &s21, &s11), LS_OK));
    return s11;
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

Test(tline, djordjevic_sarkar_and_skin_model_is_causal, .timeout = LS_TIMEOUT(30))
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
Test(tline, constant_tan_d_model_fails_the_causality_check, .timeout = LS_TIMEOUT(30))
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

/* Tests of the analytic copper channels: presets, the cable assembly and the COM package against a
 * direct S-parameter cascade (include/lanesim/tline.h, docs/channels.md). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "tline_util.h"

#define F26 26.5625e9

#define F53 53.125e9

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

/*
 * Multi-wavelength microring lane group (channels/optical/ring_wdm.c, channels/presets/cpo_wdm.c,
 * sim/wdm_info.c; docs/cpo-wdm.md) and the cpc preset: ring transmission against Bogaerts et al. 2012's
 * power formulas, FSR and Q, a neighbour's crosstalk against the Lorentzian, the heater power, the
 * linearized aggressor couplings against direct ring products, and the presets end to end.
 */
#include <cjson/cJSON.h>
#include <complex.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lanesim/config.h"
#include "lanesim/energy.h"
#include "lanesim/link.h"
#include "lanesim/ring_wdm.h"
#include "lanesim/wdm.h"
#include "util.h"

#define C_LIGHT 299792458.0

static double rel(double a, double b)
{
    return fabs(a - b) / fabs(b);
}

/* Bogaerts eq. 2 (all-pass) and eq. 5 (add-drop) power forms, written out independently. */
Test(ring_wdm, transmission_at_and_off_resonance_matches_the_power_formulas)
{
    const double a = 0.995, r = 0.98, r2 = 0.97;
    for (double th = 0; th < 2 * M_PI; th += 0.37) {
        const double ap = (a * a - 2 * a * r * cos(th) + r * r) / (1 - 2 * a * r * cos(th) + a * a * r * r);
        const double t = cabs(ls_ring_allpass(a, r, th));
        cr_assert(lt(dbl, rel(t * t, ap), 1e-12), "all-pass at theta %g: %g vs %g", th, t * t, ap);
        double complex tt, dd;
        ls_ring_add_drop(a, r, r2, th, &tt, &dd);
        const double den = 1 - 2 * r * r2 * a * cos(th) + pow(r * r2 * a, 2);
        const double tp = (r2 * r2 * a * a - 2 * r * r2 * a * cos(th) + r * r) / den;
        const double dp = (1 - r * r) * (1 - r2 * r2) * a / den;
        cr_assert(lt(dbl, rel(cabs(tt) * cabs(tt), tp), 1e-12));
        cr_assert(lt(dbl, rel(cabs(dd) * cabs(dd), dp), 1e-12));
    }
    /* critical coupling (a = r) extinguishes the all-pass at resonance; a lossless add-drop conserves power */
    cr_assert(lt(dbl, cabs(ls_ring_allpass(0.99, 0.99, 0)), 1e-12));
    double complex tt, dd;
    ls_ring_add_drop(1.0, 0.9, 0.9, 0.3, &tt, &dd);
    cr_assert(lt(dbl, fabs(cabs(tt) * cabs(tt) + cabs(dd) * cabs(dd) - 1), 1e-12));
    ls_ring_add_drop(1.0, 0.9, 0.9, 0.0, &tt, &dd);
    cr_assert(lt(dbl, fabs(cabs(dd) - 1), 1e-12), "symmetric lossless drop is complete at resonance");
}

Test(ring_wdm, fsr_and_q)
{
    /* a 20 um ring at n_g 4.2: FSR = lambda^2 / (n_g L) = 1311^2 nm^2 / 84000 nm = 20.461 nm */
    cr_assert(lt(dbl, rel(ls_ring_fsr_nm(1311, 4.2, 20e-6), 1311.0 * 1311.0 / 84000.0), 1e-12));
    cr_assert(lt(dbl, rel(ls_ring_fsr_hz(4.2, 20e-6), C_LIGHT / 84e-6), 1e-12));
    /* the two agree through d nu = c d lambda / lambda^2 */
    cr_assert(lt(dbl, rel(ls_ring_fsr_hz(4.2, 20e-6), C_LIGHT * ls_ring_fsr_nm(1311, 4.2, 20e-6) * 1e-9 / pow(1311e-9, 2)),
                 1e-12));
    cr_assert(lt(dbl, rel(ls_ring_q(1311, 1311.0 / 5000), 5000), 1e-12));
    /* the FWHM of the drop response of a ring built from Q_l is nu / Q_l (half maximum by bisection) */
    const double nu = C_LIGHT / 1311e-9, fsr = 3600e9;
    for (double ql = 2000; ql <= 8000; ql *= 2) {
        double a, r;
        cr_assert(eq(int, ls_ring_coeffs(nu, fsr, ql, 30000, 2, &a, &r), LS_OK));
        double complex d0;
        ls_ring_add_drop(a, r, r, 0, NULL, &d0);
        double lo = 0, hi = 0.5 * fsr;
        for (int i = 0; i < 100; i++) {
            double mid = 0.5 * (lo + hi);
            double complex d;
            ls_ring_add_drop(a, r, r, 2 * M_PI * mid / fsr, NULL, &d);
            (cabs(d) * cabs(d) > 0.5 * cabs(d0) * cabs(d0) ? &lo : &hi)[0] = mid;
        }
        cr_assert(lt(dbl, rel(nu / (2 * lo), ql), 2e-3), "Q_l %g: measured %g", ql, nu / (2 * lo));
        /* drop peak (1 - Q_l / Q_i)^2 */
        cr_assert(lt(dbl, rel(cabs(d0) * cabs(d0), pow(1 - ql / 30000, 2)), 5e-3));
    }
    double a, r;
    cr_assert(eq(int, ls_ring_coeffs(nu, fsr, 100, 30000, 2, &a, &r), LS_EINVAL), "finesse below 2");
}

Test(ring_wdm, neighbour_crosstalk_is_the_lorentzian)
{
    ls_wdm_config w;
    ls_wdm_config_init(&w);
    const double fwhm = w.nu_c_hz / w.drop_q_loaded, d0 = pow(cabs(ls_wdm_drop_field(&w, 0)), 2);
    /* near resonance the drop is the Lorentzian; at a neighbour 400 GHz away (theta/2 = 0.35 rad) the exact
       Airy form 1 / (1 + (2 F / pi)^2 sin^2(theta / 2)) lies above it by (x / sin x)^2 - ... ~ 4 % */
    for (double df = 10e9; df <= 400e9; df *= 2) {
        const double x = pow(cabs(ls_wdm_drop_field(&w, df)), 2) / d0;
        const double lor = ls_ring_lorentzian(df, fwhm);
        const double th2 = M_PI * df / w.fsr_hz;
        const double airy = 1.0 / (1.0 + (1.0 / lor - 1.0) * pow(sin(th2) / th2, 2));
        cr_assert(lt(dbl, rel(x, airy), 2e-3), "%g GHz: %g vs Airy %g", df / 1e9, x, airy);
        cr_assert(lt(dbl, rel(x, lor), df < 50e9 ? 2e-3 : 0.06), "%g GHz: %g vs Lorentzian %g", df / 1e9, x, lor);
    }
    /* -20.5 dB at 400 GHz for FWHM 76 GHz: 1 / (1 + (800 / 76.2)^2) */
    cr_assert(lt(dbl, fabs(10 * log10(ls_ring_lorentzian(400e9, 76.2e9)) + 20.47), 0.02));
}

Test(ring_wdm, heater_power)
{
    /* (1 nm + 0.06 nm/K x 40 K) / (2 x 0.25 nm/mW) = 6.8 mW */
    cr_assert(lt(dbl, fabs(ls_ring_heater_mw(1, 40, 0.06, 0.25) - 6.8), 1e-12));
    /* the preset's energy carries two rings per lane (modulator and drop filter) */
    char msg[256];
    ls_config *c = ls_config_create("cpo-wdm", msg, sizeof msg, NULL);
    cr_assert(c != NULL, "%s", msg);
    ls_energy e;
    cr_assert(eq(int, ls_energy_compute(c, &e, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(lt(dbl, fabs(ls_energy_part_mw(&e, "ring_heater") - 2 * 6.8), 1e-9));
    cr_assert(eq(int, ls_config_set(c, "wdm.temp_range_k", "80", msg, sizeof msg), LS_OK));
    cr_assert(eq(int, ls_energy_compute(c, &e, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(lt(dbl, fabs(ls_energy_part_mw(&e, "ring_heater") - 2 * (1 + 0.06 * 80) / 0.5), 1e-9));
    ls_config_destroy(c);
}

/* ring k's all-pass through field at nu for drive u, built from the public closed forms */
static double complex ring_at(const ls_wdm_config *w, unsigned k, double nu, double u)
{
    double a, r;
    cr_assert(eq(int, ls_ring_coeffs(ls_wdm_nu_hz(w, k), w->fsr_hz, w->mod_q_loaded, w->mod_q_intrinsic, 1, &a, &r),
                 LS_OK));
    return ls_ring_allpass(a, r, 2 * M_PI * (nu - ls_wdm_nu_hz(w, k) + w->bias_detune_hz + w->detune_hz_per_v * u) /
                                     w->fsr_hz);
}

Test(ring_wdm, aggressor_couplings_match_direct_ring_products)
{
    ls_wdm_config w;
    ls_wdm_config_init(&w);
    w.victim = 2;
    const double nv = ls_wdm_nu_hz(&w, 2);
    double bus = 1;
    for (unsigned k = 0; k < w.n_ch; k++)
        bus *= k == 2 ? 1.0 : pow(cabs(ring_at(&w, k, nv, 0)), 2);
    cr_assert(lt(dbl, rel(pow(cabs(ls_wdm_bus_field(&w, 0)), 2), bus), 1e-12));
    for (unsigned k = 0; k < w.n_ch; k++) {
        double imp, leak;
        if (k == 2) {
            cr_assert(eq(int, ls_wdm_aggressor(&w, k, &imp, &leak), LS_EINVAL));
            continue;
        }
        cr_assert(eq(int, ls_wdm_aggressor(&w, k, &imp, &leak), LS_OK));
        /* the victim's power with ring k at its top and bottom drive, the others at rest */
        const double hi = pow(cabs(ring_at(&w, k, nv, 1)), 2), lo = pow(cabs(ring_at(&w, k, nv, -1)), 2);
        const double t0 = pow(cabs(ring_at(&w, k, nv, 0)), 2);
        cr_assert(lt(dbl, rel(imp, (hi - lo) / 2 / t0), 1e-9));
        /* line k's own modulation through the other rings and the victim's drop ring */
        const double nk = ls_wdm_nu_hz(&w, k);
        double others = 1;
        for (unsigned j = 0; j < w.n_ch; j++)
            others *= j == k ? 1.0 : pow(cabs(ring_at(&w, j, nk, 0)), 2);
        const double own = (pow(cabs(ring_at(&w, k, nk, 1)), 2) - pow(cabs(ring_at(&w, k, nk, -1)), 2)) / 2;
        const double drop = pow(cabs(ls_wdm_drop_field(&w, nk - nv)), 2);
        cr_assert(lt(dbl, rel(leak, 5e-3 * others * own * drop), 1e-9), "k %u", k);
        /* nearer neighbours couple more */
        if (k == 1 || k == 3) {
            double i2, l2;
            cr_assert(eq(int, ls_wdm_aggressor(&w, k == 1 ? 0 : 4, &i2, &l2), LS_OK));
            cr_assert(gt(dbl, fabs(leak), fabs(l2)));
        }
    }
}

static ls_wdm_info info_of(const char *const *sets)
{
    char msg[256];
    ls_config *c = ls_config_create("cpo-wdm", msg, sizeof msg, NULL);
    cr_assert(c != NULL, "%s", msg);
    for (size_t i = 0; sets && sets[i]; i++)
        cr_assert(eq(int, ls_config_set_assignment(c, sets[i], msg, sizeof msg), LS_OK), "%s", msg);
    ls_wdm_info in;
    cr_assert(eq(int, ls_wdm_info_get(c, &in, msg, sizeof msg), LS_OK), "%s", msg);
    ls_config_destroy(c);
    return in;
}

Test(ring_wdm, the_victim_is_the_line_with_the_most_crosstalk)
{
    /* laser array: the interior lines have neighbours on both sides, the edge lines one */
    ls_wdm_info a = info_of(NULL);
    cr_assert(gt(dbl, a.xtalk_db[a.victim], a.xtalk_db[0] + 1.0));
    cr_assert(a.victim > 0 && a.victim < a.n_ch - 1);
    for (unsigned k = 0; k < a.n_ch; k++)
        cr_assert(le(dbl, a.xtalk_db[k], a.xtalk_db[a.victim]));
    /* a comb's weak edge lines beside stronger neighbours become the worst */
    static const char *const comb[] = { "wdm.source=comb", "wdm.comb_rolloff_db=6", NULL };
    ls_wdm_info b = info_of(comb);
    cr_assert(b.victim == 0 || b.victim == b.n_ch - 1, "victim %u", b.victim);
    /* bandwidth: 8 x 212.5 Gb/s per fibre; 1.7 Tb/s / 0.127 mm */
    cr_assert(lt(dbl, fabs(a.tbps_per_fibre - 1.7), 1e-12));
    cr_assert(lt(dbl, rel(a.tbps_per_mm, 1.7 / 0.127), 1e-12));
    /* closer spacing: more crosstalk */
    static const char *const tight[] = { "wdm.spacing_ghz=200", NULL };
    ls_wdm_info t = info_of(tight);
    cr_assert(gt(dbl, t.xtalk_db[t.victim], a.xtalk_db[a.victim] + 5.0));
}

Test(ring_wdm, rejects_a_grid_wider_than_the_fsr)
{
    char msg[256];
    ls_config *c = ls_config_create("cpo-wdm", msg, sizeof msg, NULL);
    cr_assert(c != NULL);
    cr_assert(eq(int, ls_config_set(c, "wdm.channels", "16", msg, sizeof msg), LS_OK));
    ls_wdm_info in;
    cr_assert(eq(int, ls_wdm_info_get(c, &in, msg, sizeof msg), LS_EINVAL));
    cr_assert(strstr(msg, "modulator.fsr_ghz") != NULL, "%s", msg);
    ls_status st;
    ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st);
    cr_assert(l == NULL && st == LS_EINVAL);
    ls_config_destroy(c);
}

/* The link's crosstalk at the slicer grows as the grid tightens and vanishes as the drop rings sharpen;
   the statistical and Monte Carlo BER of a crosstalk-limited case agree. */
Test(ring_wdm, crosstalk_in_the_link, .timeout = LS_TIMEOUT(60))
{
    static const double spacing[] = { 400, 200, 100 };
    double prev = 0;
    for (int i = 0; i < 3; i++) {
        char msg[256], v[32];
        ls_config *c = ls_config_create("cpo-wdm", msg, sizeof msg, NULL);
        snprintf(v, sizeof v, "%g", spacing[i]);
        cr_assert(eq(int, ls_config_set(c, "wdm.spacing_ghz", v, msg, sizeof msg), LS_OK));
        cr_assert(eq(int, ls_config_set(c, "link.sps", "16", msg, sizeof msg), LS_OK));
        ls_status st;
        ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st);
        cr_assert(l != NULL, "%s", msg);
        const ls_link_info *in = ls_link_get_info(l);
        cr_assert(gt(dbl, in->xtalk_rms_v, prev * 2), "%g GHz: %g V after %g V", spacing[i], in->xtalk_rms_v, prev);
        prev = in->xtalk_rms_v;
        ls_link_destroy(l);
        ls_config_destroy(c);
    }
}

/* lanesim wdm: the table and JSON of the lane group (without BER: --mode none), and its errors (exit 2). */
Test(ring_wdm, wdm_command_reports_the_lane_group)
{
    char out[8192], cmd[512], js[64];
    snprintf(js, sizeof js, "/tmp/ls_wdm_%d.json", (int)getpid());
    snprintf(cmd, sizeof cmd, "%s wdm --mode none -s wdm.channels=4 --json %s", LS_CLI_PATH, js);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    cr_assert(ls_has(out, "Tb/s per mm"), "%s", out);
    FILE *f = fopen(js, "r");
    cr_assert(f != NULL);
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    unlink(js);
    cJSON *j = cJSON_Parse(text);
    cr_assert(j != NULL);
    cr_assert(eq(int, cJSON_GetArraySize(cJSON_GetObjectItem(j, "lines")), 4));
    cr_assert(lt(dbl, fabs(cJSON_GetObjectItem(j, "tbps_per_fibre")->valuedouble - 0.85), 1e-12));
    cr_assert(lt(dbl, fabs(cJSON_GetObjectItem(j, "heater_w_per_ring")->valuedouble - 6.8e-3), 1e-12));
    const int v = cJSON_GetObjectItem(j, "victim")->valueint;
    cr_assert(v == 1 || v == 2, "an interior line: %d", v);
    cJSON_Delete(j);
    snprintf(cmd, sizeof cmd, "%s wdm copper", LS_CLI_PATH);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 2));
    cr_assert(ls_has(out, "wdm"), "%s", out);
    snprintf(cmd, sizeof cmd, "%s wdm -s wdm.channels=16 --mode none", LS_CLI_PATH);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 2));
    cr_assert(ls_has(out, "modulator.fsr_ghz"), "%s", out);
}

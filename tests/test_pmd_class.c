/*
 * IEEE PMD class presets (channels/presets/pmd_class.c, sim/pmd_class.c, docs/classes.md): the
 * worst-case budget puts each lane at its dispersion corner (closed form D = S0/4 (l - l0^4/l^3)),
 * the fibre at IL_max plus the penalty allocation, the transmitter at OMA_min for its TDECQ and the
 * receiver noise at the closed-form sensitivity (class.rx_calibrate = false) or calibrated to SRS;
 * typical keeps the centre wavelength; the verdict's pass agrees with its BER and target.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>

#include "lanesim/fec.h"
#include "lanesim/link.h"
#include "lanesim/run.h"
#include "lanesim/stats.h"

static void class_run(const char *preset, const char *const *kv, ls_run_result *r)
{
    char msg[512] = "";
    ls_status st;
    ls_config *c = ls_config_create(preset, msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    static const char *const fast[] = { "class.tune_tx=false", "class.limiting=false", "class.rx_calibrate=false",
                                        "run.symbols=21760", "run.threads=2", NULL };
    for (const char *const *p = fast; *p; p++)
        cr_assert(eq(int, ls_config_set_assignment(c, *p, msg, sizeof msg), LS_OK), "%s: %s", *p, msg);
    for (; kv && *kv; kv++)
        cr_assert(eq(int, ls_config_set_assignment(c, *kv, msg, sizeof msg), LS_OK), "%s: %s", *kv, msg);
    cr_assert(eq(int, ls_run(c, NULL, NULL, r, msg, sizeof msg), LS_OK), "%s", msg);
    ls_config_destroy(c);
}

static double d_ps_nm_km(double l, double l0)
{
    return 0.093 / 4.0 * (l - l0 * l0 * l0 * l0 / (l * l * l));
}

Test(pmd_class, dr1_worst_case_budget_is_applied, .timeout = LS_TIMEOUT(240))
{
    ls_run_result r;
    class_run("200g-dr1", NULL, &r);
    const ls_class_result *k = &r.cls;
    cr_assert(k->on && k->worst && !k->inner);
    cr_assert(eq(u32, k->lanes, 1));
    /* corner: 1304.5 nm on a fibre with lambda0 = 1324 nm (|D| larger than 1317.5 / 1300) */
    cr_assert(epsilon_eq(dbl, k->lane_wavelength_nm[0], 1304.5, 1e-9));
    cr_assert(epsilon_eq(dbl, k->lane_cd_ps_nm[0], d_ps_nm_km(1304.5, 1324.0) * 0.5, 1e-9), "CD %g",
              k->lane_cd_ps_nm[0]);
    cr_assert(lt(dbl, fabs(k->lane_cd_ps_nm[0] + 0.93), 0.01)); /* the class's -0.93 ps/nm corner */
    /* IL_max 3.0 + penalty 0.1 between launch and receive */
    cr_assert(epsilon_eq(dbl, r.link.launch_oma_dbm - r.link.received_oma_dbm, 3.1, 1e-9));
    /* OMA_min = (OMA - TDECQ)_min + TDECQ (capped at the class maximum) */
    cr_assert(lt(dbl, fabs(r.link.launch_oma_dbm - (-1.2 + fmin(k->tdecq_db, 3.4))), 2e-3), "OMA %.4f, TDECQ %.3f",
              r.link.launch_oma_dbm, k->tdecq_db);
    /* receiver noise: the thermal-noise sensitivity at SRS - SECQ = -4.3 dBm, BER 2.4e-4, f_b/2 */
    const double want = 1e12 * 1e-3 * pow(10.0, -0.43) * 0.7 / (6.0 * ls_qinv(2.4e-4 / 0.75) * sqrt(0.5 * 106.25e9));
    cr_assert(lt(dbl, fabs(k->tia_noise_pa_rthz / want - 1.0), 1e-9), "%g vs %g", k->tia_noise_pa_rthz, want);
    cr_assert(eq(int, k->pass, k->ber <= k->target_ber));
    cr_assert(isfinite(k->margin_db));
    /* the Monte Carlo verdict and the statistical margin agree in sign unless the margin is small */
    cr_assert(fabs(k->margin_db) < 0.5 || k->pass == (k->margin_db > 0), "pass %d, margin %.2f dB", k->pass,
              k->margin_db);
    ls_run_result_free(&r);
}

Test(pmd_class, fr4_lanes_each_at_their_corner_and_typical_at_the_centre, .timeout = LS_TIMEOUT(300))
{
    ls_run_result r;
    class_run("800g-fr4", NULL, &r);
    const ls_class_result *k = &r.cls;
    cr_assert(eq(u32, k->lanes, 4));
    cr_assert(k->inner);
    for (unsigned i = 0; i < 4; i++) {
        double best = -1, bl = 0;
        for (int a = -1; a <= 1; a += 2)
            for (int b = 0; b < 2; b++) {
                const double l = k->lane_nm[i] + 6.5 * a, d = fabs(d_ps_nm_km(l, b ? 1324.0 : 1300.0));
                if (d > best) {
                    best = d;
                    bl = l;
                }
            }
        cr_assert(epsilon_eq(dbl, k->lane_wavelength_nm[i], bl, 1e-9), "lane %u", i);
        cr_assert(epsilon_eq(dbl, fabs(k->lane_cd_ps_nm[i]), best * 2.0, 1e-9), "lane %u", i);
        cr_assert(le(dbl, k->lane_ber[i], k->ber));
    }
    /* the 1271 nm lane at 2 km: the class's -11.9 ps/nm corner */
    cr_assert(lt(dbl, fabs(k->lane_cd_ps_nm[0] + 11.87), 0.05), "%g", k->lane_cd_ps_nm[0]);
    ls_run_result_free(&r);
    const char *typ[] = { "class.budget=typical", NULL };
    class_run("200g-dr1", typ, &r);
    cr_assert(r.cls.worst == 0);
    cr_assert(epsilon_eq(dbl, r.cls.lane_wavelength_nm[0], 1311.0, 1e-9));
    cr_assert(epsilon_eq(dbl, r.cls.lane_cd_ps_nm[0], d_ps_nm_km(1311.0, 1310.0) * 0.5, 1e-9));
    ls_run_result_free(&r);
}

/* The received OMA_outer (dBm) at which bias x the statistical BER of s (after the inner code's closed form
   if inner) is ber: a bisection on the laser power (not the variable the calibration moved). */
static double sensitivity_dbm(ls_config *s, double ber, int inner, double bias)
{
    char msg[512] = "", v[64];
    const double p0 = ls_config_real(s, "laser.power_dbm");
    double lo = p0 - 3, hi = p0 + 3, oma = NAN;
    for (int it = 0; it < 24; it++) {
        const double m = 0.5 * (lo + hi);
        snprintf(v, sizeof v, "%.12g", m);
        cr_assert(eq(int, ls_config_set(s, "laser.power_dbm", v, msg, sizeof msg), LS_OK), "%s", msg);
        ls_status st;
        ls_link *l = ls_link_create(s, 64, msg, sizeof msg, &st);
        cr_assert(l != NULL, "%s", msg);
        ls_stateye_result sr;
        cr_assert(eq(int, ls_link_stat(l, ber, &sr), LS_OK));
        oma = ls_link_get_info(l)->received_oma_dbm;
        ls_link_destroy(l);
        if (bias * (inner ? ls_ifec_post_ber_random(sr.ber) : sr.ber) > ber)
            lo = m;
        else
            hi = m;
    }
    return oma;
}

/* The worst-case receiver calibrated as a whole (sim/class_rx.c): with the SRS test signal it meets
   class.target_ber at SRS within 0.2 dB by an independent search (laser power, not TIA noise), its TIA
   noise is below the thermal-only closed form (the receiver's other noise is kept), and the Monte
   Carlo at that point agrees with the statistical BER within a factor 2. RS-only (DR1, 2.4e-4 at the
   slicer) and inner-FEC (DR1-2, 2.4e-4 after the inner code's hard decoder) classes. */
Test(pmd_class, calibrated_receiver_meets_its_sensitivity_at_srs, .timeout = LS_TIMEOUT(240))
{
    static const char *const presets[] = { "200g-dr1", "200g-dr1-2" };
    for (int p = 0; p < 2; p++) {
        char msg[512] = "";
        ls_status st;
        ls_config *c = ls_config_create(presets[p], msg, sizeof msg, &st), *s = NULL;
        cr_assert(c != NULL, "%s", msg);
        static const char *const fast[] = { "class.tune_tx=false", "run.symbols=87040", "run.threads=2", NULL };
        for (const char *const *f = fast; *f; f++)
            cr_assert(eq(int, ls_config_set_assignment(c, *f, msg, sizeof msg), LS_OK), "%s: %s", *f, msg);
        ls_class_result k;
        cr_assert(eq(int, ls_class_srs(c, &s, &k, msg, sizeof msg), LS_OK), "%s: %s", presets[p], msg);
        const double srs = ls_config_real(c, "class.srs_dbm"), ber = ls_config_real(c, "class.target_ber");
        cr_assert(k.rx_cal && k.rx_cal_ok, "%s", presets[p]);
        cr_assert(epsilon_eq(dbl, k.rx_cal_target_ber, ber, 0.0));
        cr_assert(epsilon_eq(dbl, k.rx_cal_oma_dbm, srs, 0.0));
        /* the test link: back to back, no loss and no dispersion, marked resolved */
        cr_assert(ls_config_bool(s, "class.resolved"));
        cr_assert(epsilon_eq(dbl, ls_config_real(s, "fibre.atten_db_km"), 0.0, 0.0));
        cr_assert(epsilon_eq(dbl, ls_config_real(s, "fibre.lambda0_nm"), ls_config_real(s, "laser.wavelength_nm"), 1e-9));
        cr_assert(epsilon_eq(dbl, ls_config_real(s, "tia.noise_pa_rthz"), k.tia_noise_pa_rthz, 1e-9 * k.tia_noise_pa_rthz));
        /* a statistical calibration the Monte Carlo refuted was redone on the statistical BER times the
           measured ratio: the first Monte Carlo put the target outside its interval */
        cr_log_info("%s: bias %.3f (first stat %.3e, first MC %.3e), TIA %.2f pA/rtHz, MC %.3e [%.3e, %.3e]",
                    presets[p], k.rx_cal_bias, k.rx_cal_stat0_ber, k.rx_cal_mc0_ber, k.tia_noise_pa_rthz,
                    k.rx_cal_mc_ber, k.rx_cal_mc_ci95_lo, k.rx_cal_mc_ci95_hi);
        if (k.rx_cal_bias != 1.0)
            cr_assert(epsilon_eq(dbl, k.rx_cal_bias, k.rx_cal_mc0_ber / k.rx_cal_stat0_ber, 1e-12 * k.rx_cal_bias));
        const double sens = sensitivity_dbm(s, ber, p == 1, k.rx_cal_bias);
        cr_assert(lt(dbl, fabs(sens - srs), 0.2), "%s: sensitivity %.3f dBm vs SRS %.2f dBm", presets[p], sens, srs);
        /* an ideal-signal thermal-only receiver at SRS - SECQ would need more TIA noise than the whole one */
        const double q = ls_qinv(ls_config_real(c, "class.srs_ber") / 0.75), baud = p ? 113.4375e9 : 106.25e9;
        const double n0 = 1e12 * 1e-3 * pow(10.0, (srs - ls_config_real(c, "class.secq_db")) / 10.0) * 0.7 /
                          (6.0 * q * sqrt(0.5 * baud));
        cr_assert(lt(dbl, k.tia_noise_pa_rthz, n0), "%s: %.2f pA/rtHz vs closed form %.2f", presets[p],
                  k.tia_noise_pa_rthz, n0);
        cr_assert(k.rx_cal_mc_ber > 0.5 * ber && k.rx_cal_mc_ber < 2.0 * ber,
                  "%s: Monte Carlo %.3e at the calibrated point vs %.3g", presets[p], k.rx_cal_mc_ber, ber);
        ls_config_destroy(s);
        ls_config_destroy(c);
    }
}

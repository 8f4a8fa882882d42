/*
 * Optical transmitter defects of issue 12: the MZM bias follows V_pi and the operating point
 * (modulator.vpi_v, modulator.bias_vpi), and the OMA / ER of an inverting modulator come from the
 * levels ordered by optical power.
 *
 * Closed form: a push-pull MZM at quadrature, P(v) = P_L L^2 cos^2(pi (v + V_pi/2) / (2 V_pi)),
 * driven by PAM levels symmetric about 0, has an average level power of exactly P_L L^2 / 2
 * (cos^2(pi/4 + x) + cos^2(pi/4 - x) = 1), whatever the swing.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>

#include "lanesim/link.h"
#include "util.h"

static ls_link *mk(const char *const *kv, char *msg, size_t cap)
{
    ls_status st;
    ls_config *c = ls_config_create("lpo", msg, cap, &st);
    cr_assert(c != NULL, "%s", msg);
    for (; kv && *kv; kv++)
        cr_assert(eq(int, ls_config_set_assignment(c, *kv, msg, cap), LS_OK), "%s: %s", *kv, msg);
    ls_link *l = ls_link_create(c, 64, msg, cap, &st);
    ls_config_destroy(c);
    return l;
}

Test(optstd, mzm_bias_follows_vpi_quadrature_at_every_drive, .timeout = LS_TIMEOUT(60))
{
    /* laser 10 dBm, IL 3 dB: the quadrature average is 10 - 3 - 10 log10(2) dBm */
    const double want = 10.0 - 3.0 - 10.0 * log10(2.0);
    const char *vpp[] = { "modulator.vpp_v=2", "modulator.vpp_v=3", "modulator.vpp_v=4" };
    for (unsigned i = 0; i < 3; i++) {
        const char *kv[] = { "link.sps=16", "modulator.type=mzm", vpp[i], "laser.power_dbm=10", "modulator.il_db=3",
                             NULL };
        char msg[512] = "";
        ls_link *l = mk(kv, msg, sizeof msg);
        cr_assert(l != NULL, "%s: %s", vpp[i], msg); /* old code: 2 V "folds over" */
        const ls_link_info *in = ls_link_get_info(l);
        cr_assert(in->optical);
        cr_assert(epsilon_eq(dbl, in->avg_power_dbm, want, 1e-6), "%s: average %.4f dBm, quadrature %.4f dBm",
                  vpp[i], in->avg_power_dbm, want);
        ls_link_destroy(l);
    }
}

Test(optstd, mzm_separate_vpi_and_operating_point, .timeout = LS_TIMEOUT(60))
{
    /* V_pi 6 V, bias at 0.25 V_pi: P_mid / P_max = cos^2(pi / 8); the four levels sit symmetric
       about the mid drive only to first order, so check the sign of the shift from quadrature */
    const char *kq[] = { "link.sps=16", "modulator.type=mzm", "modulator.vpi_v=6", "driver.gain_db=3",
                         "laser.power_dbm=10", "modulator.il_db=3", NULL };
    const char *kb[] = { "link.sps=16", "modulator.type=mzm", "modulator.vpi_v=6", "driver.gain_db=3",
                         "laser.power_dbm=10", "modulator.il_db=3", "modulator.bias_vpi=0.25", NULL };
    char msg[512] = "";
    ls_link *q = mk(kq, msg, sizeof msg), *b = mk(kb, msg, sizeof msg);
    cr_assert(q && b, "%s", msg);
    const double quad = 10.0 - 3.0 - 10.0 * log10(2.0);
    cr_assert(epsilon_eq(dbl, ls_link_get_info(q)->avg_power_dbm, quad, 1e-6));
    /* small drive about 0.25 V_pi: average close to cos^2(pi/8) of the peak */
    const double near = 10.0 - 3.0 + 10.0 * log10(pow(cos(M_PI / 8.0), 2.0));
    cr_assert(lt(dbl, fabs(ls_link_get_info(b)->avg_power_dbm - near), 0.15), "bias 0.25: %.3f dBm vs %.3f",
              ls_link_get_info(b)->avg_power_dbm, near);
    ls_link_destroy(q);
    ls_link_destroy(b);
}

Test(optstd, inverting_modulator_has_a_finite_oma_and_positive_er, .timeout = LS_TIMEOUT(60))
{
    /* bias 0.5 V_pi: the falling slope (more drive, less light); -0.5: the rising slope. The OMA
       and ER are the same for both (levels mirrored about quadrature). Old code: OMA NaN, ER < 0. */
    const char *kf[] = { "link.sps=16", "modulator.type=mzm", "modulator.vpp_v=3", NULL };
    const char *kr[] = { "link.sps=16", "modulator.type=mzm", "modulator.vpp_v=3", "modulator.bias_vpi=-0.5", NULL };
    char msg[512] = "";
    ls_link *f = mk(kf, msg, sizeof msg), *r = mk(kr, msg, sizeof msg);
    cr_assert(f && r, "%s", msg);
    const ls_link_info *a = ls_link_get_info(f), *b = ls_link_get_info(r);
    cr_assert(isfinite(a->launch_oma_dbm) && a->er_db > 0, "OMA %g dBm, ER %g dB", a->launch_oma_dbm, a->er_db);
    cr_assert(epsilon_eq(dbl, a->launch_oma_dbm, b->launch_oma_dbm, 1e-9));
    cr_assert(epsilon_eq(dbl, a->er_db, b->er_db, 1e-9));
    cr_assert(isfinite(a->received_oma_dbm));
    ls_link_destroy(f);
    ls_link_destroy(r);
}

/* ---------------------------------------------------------------------------------------------- */
/* Noise switches: laser.rin, pd.shot_noise, tia.thermal_noise                                   */

#include "lanesim/run.h"
#include "lanesim/stateye.h"

/* every noise source but the three off; QUIET also fixes the CTLE and FFE (else their design follows
   the noise mix, and the variances at the slicer would not add) */
#define QUIET_EQ "link.sps=16", "tx.snr_db=inf", "jitter.rj_ui=0", "jitter.dj_ui=0", "driver.noise_v_rthz=0", \
                 "rx.eta0_v2_ghz=0", "adc.enable=false", "laser.linewidth_mhz=0", "link.length_m=500",        \
                 LPO_EML
/* the EML operating point these were measured on (the lpo preset before docs/lpo.md) */
#define LPO_EML "modulator.type=eml", "modulator.vpp_v=2", "modulator.bw_ghz=0", "laser.power_dbm=7",             \
                "host.loss_db=0", "host.pcb_mm=50", "driver.ctle_db=0"
#define QUIET QUIET_EQ, "ctle.auto=false", "ffe.mode=fixed"

static double noise_v2(const char *rin, const char *shot, const char *th)
{
    const char *kv[] = { QUIET, rin, shot, th, NULL };
    char msg[512] = "";
    ls_link *l = mk(kv, msg, sizeof msg);
    cr_assert(l != NULL, "%s", msg);
    const double s = ls_link_get_info(l)->noise_rms_v;
    ls_link_destroy(l);
    return s * s;
}

Test(optstd, each_noise_switch_removes_its_term_and_the_terms_add, .timeout = LS_TIMEOUT(60))
{
    const double none = noise_v2("laser.rin=false", "pd.shot_noise=false", "tia.thermal_noise=false");
    const double rin = noise_v2("laser.rin=true", "pd.shot_noise=false", "tia.thermal_noise=false");
    const double shot = noise_v2("laser.rin=false", "pd.shot_noise=true", "tia.thermal_noise=false");
    const double th = noise_v2("laser.rin=false", "pd.shot_noise=false", "tia.thermal_noise=true");
    const double all = noise_v2("laser.rin=true", "pd.shot_noise=true", "tia.thermal_noise=true");
    cr_assert(eq(dbl, none, 0.0), "all off: %g V^2", none);
    cr_assert(rin > 0 && shot > 0 && th > 0, "rin %g shot %g thermal %g", rin, shot, th);
    /* independent sources: the variances add */
    cr_assert(lt(dbl, fabs(all - (rin + shot + th)), 1e-6 * all), "all %g vs sum %g", all, rin + shot + th);
    /* the thermal term scales with i_n^2 */
    const char *kv[] = { QUIET, "laser.rin=false", "pd.shot_noise=false", "tia.noise_pa_rthz=30", NULL };
    char msg[512] = "";
    ls_link *l = mk(kv, msg, sizeof msg);
    cr_assert(l != NULL, "%s", msg);
    const double s = ls_link_get_info(l)->noise_rms_v;
    ls_link_destroy(l);
    cr_assert(lt(dbl, fabs(s * s / th - 4.0), 1e-9), "30 vs 15 pA/rtHz: %g", s * s / th);
}

Test(optstd, thermal_only_monte_carlo_meets_the_gaussian_q_ber, .timeout = LS_TIMEOUT(120))
{
    /* thermal noise only, raised until the BER is ~1e-3 (50 pA/rtHz: MC 9.0e-4, Q 1.02e-3): the Monte Carlo BER against the BER from
       Q of the TIA noise propagated to the slicer (statistical analysis: Gaussian noise of the
       propagated PSD over the residual-ISI distribution); with every noise off, no error at all */
    const char *kv[] = { QUIET_EQ, "laser.rin=false", "pd.shot_noise=false", "tia.noise_pa_rthz=50", "dfe.taps=0",
                         "run.symbols=3e5", "run.threads=2", NULL };
    char msg[512] = "";
    ls_status st;
    ls_config *c = ls_config_create("lpo", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    for (const char *const *p = kv; *p; p++)
        cr_assert(eq(int, ls_config_set_assignment(c, *p, msg, sizeof msg), LS_OK), "%s: %s", *p, msg);
    ls_link *lk = ls_link_create(c, 64, msg, sizeof msg, &st);
    cr_assert(lk != NULL, "%s", msg);
    ls_stateye_result sr;
    cr_assert(eq(int, ls_link_stat(lk, 1e-6, &sr), LS_OK));
    ls_link_destroy(lk);
    ls_run_result r;
    cr_assert(eq(int, ls_run(c, NULL, NULL, &r, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(gt(u64, r.counts.bit_errors, 100), "BER %g", r.ber.ber);
    cr_assert(lt(dbl, fabs(log(sr.ber / r.ber.ber)), log(1.3)), "Q closed form %.3g vs Monte Carlo %.3g", sr.ber,
              r.ber.ber);
    ls_run_result_free(&r);
    cr_assert(eq(int, ls_config_set_assignment(c, "tia.thermal_noise=false", msg, sizeof msg), LS_OK));
    cr_assert(eq(int, ls_config_set_assignment(c, "run.symbols=1e5", msg, sizeof msg), LS_OK));
    cr_assert(eq(int, ls_run(c, NULL, NULL, &r, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(u64, r.counts.bit_errors, 0), "no noise: %llu errors", (unsigned long long)r.counts.bit_errors);
    ls_run_result_free(&r);
    ls_config_destroy(c);
}

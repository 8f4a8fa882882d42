/*
 * Statistical analysis against Monte Carlo, one test per preset (the results issue, symptom 3):
 * ls_link_stat's BER (DFE error propagation, precoding, pattern-dependent levels and per-level noise
 * of the non-linear optical chains; docs/statistical.md) within a stated factor of the Monte Carlo
 * BER counted to at least 100 bit errors, at lengths where the BER is 1e-4 .. 1e-3. The old analysis
 * (ideal DFE, one static level set, constant noise) failed each of them: copper 2 m 9.3e-5 vs
 * 4.2e-4, precoded 9.3e-5 vs 2.4e-4, lpo 5.1e-5 vs 7.5e-4, cpo 1 km 1.39e-4 vs 2.4e-4,
 * dsp-retimed 10 km 8.6e-5 vs 1.6e-4.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>

#include "lanesim/link.h"
#include "lanesim/run.h"
#include "lanesim/stats.h"
#include "util.h"

/* Statistical and Monte Carlo BER of preset with the given keys; the Monte Carlo runs until 150 bit
   errors (cap: run.symbols). */
static void compare(const char *preset, const char *const *kv, double factor)
{
    char msg[512] = "";
    ls_status st;
    ls_config *c = ls_config_create(preset, msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    static const char *const common[] = { "run.threads=2", "run.max_errors=150", "run.seed=5", NULL };
    for (const char *const *p = common; *p; p++)
        cr_assert(eq(int, ls_config_set_assignment(c, *p, msg, sizeof msg), LS_OK), "%s", msg);
    for (; *kv; kv++)
        cr_assert(eq(int, ls_config_set_assignment(c, *kv, msg, sizeof msg), LS_OK), "%s: %s", *kv, msg);
    ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st);
    int ok = l != NULL;
    cr_assert(ok, "%s", msg);
    ls_stateye_result sr;
    cr_assert(eq(int, ls_link_stat(l, 1e-6, &sr), LS_OK));
    ls_link_destroy(l);
    ls_run_result r;
    cr_assert(eq(int, ls_run(c, NULL, NULL, &r, msg, sizeof msg), LS_OK), "%s", msg);
    const uint64_t e = r.counts.bit_errors;
    const double mc = r.ber.ber;
    ls_run_result_free(&r);
    ls_config_destroy(c);
    cr_assert(ge(u64, e, 100), "%s: only %llu Monte Carlo errors", preset, (unsigned long long)e);
    cr_assert(lt(dbl, fabs(log(sr.ber / mc)), log(factor)), "%s: statistical %.3g vs Monte Carlo %.3g (%llu errors)",
              preset, sr.ber, mc, (unsigned long long)e);
}

Test(stat_mc, copper_with_dfe_error_propagation, .timeout = LS_TIMEOUT(60))
{
    static const char *const kv[] = { "link.length_m=2", "run.symbols=6e5", NULL };
    compare("copper", kv, 2.0);
}

Test(stat_mc, copper_precoded, .timeout = LS_TIMEOUT(60))
{
    static const char *const kv[] = { "link.length_m=2", "tx.precoding=true", "run.symbols=6e5", NULL };
    compare("copper", kv, 2.0);
}

Test(stat_mc, lpo_non_linear_levels, .timeout = LS_TIMEOUT(60))
{
    /* 1.79..1.83x at 10 m, 500 m and 2 km (Monte Carlo with 200 errors), 1.6..1.83x over seeds 1..5
       (1.52x at seed 5 since the TX DJ is a mixture, was 1.96x): pessimistic, the DFE chain's events longer than the Monte Carlo's (docs/statistical.md); 600
       errors here so that the Monte Carlo's own spread (+-4 %) stays inside the factor 2 */
    static const char *const kv[] = { "link.length_m=500", "run.symbols=2e6", "run.max_errors=600",
                                      /* the EML operating point this was measured on (before docs/lpo.md) */
                                      "modulator.type=eml", "modulator.vpp_v=2", "modulator.bw_ghz=0",
                                      "laser.power_dbm=7", "host.loss_db=0", "host.pcb_mm=50", "driver.ctle_db=0",
                                      NULL };
    compare("lpo", kv, 2.0);
}

Test(stat_mc, cpo_ring_modulator, .timeout = LS_TIMEOUT(60))
{
    /* 1e6 symbols: the driver's CTLE (docs/lpo.md) took the BER at 1 km to about 7.6e-5 */
    static const char *const kv[] = { "link.length_m=1000", "run.symbols=1e6", NULL };
    compare("cpo", kv, 1.5);
}

Test(stat_mc, dsp_retimed_optical_segment, .timeout = LS_TIMEOUT(60))
{
    static const char *const kv[] = { "link.length_m=10000", "run.symbols=6e5", NULL };
    compare("dsp-retimed", kv, 1.5);
}

Test(stat_mc, lpo_dual_dirac_tx_jitter, .timeout = LS_TIMEOUT(60))
{
    /* The default MZM lpo with the TIA noise off (shot noise, RIN, TX noise, RX eta0, TX RJ 0.01 and DJ 0.04 UI
       left), no ADC: the TX dual-Dirac jitter taken as a Gaussian of variance (DJ/2)^2 made the statistical
       BER 1.57x the Monte Carlo's here (2.52e-4 vs 1.60e-4, 335 errors); with its two dominant edges as a
       discrete mixture (docs/statistical.md "TX jitter in the decision-directed analysis") 1.48e-4, 0.92x */
    static const char *const kv[] = { "tia.noise_pa_rthz=0", "laser.power_dbm=-1", "adc.enable=false",
                                      "run.symbols=2e6", "run.max_errors=300", NULL };
    compare("lpo", kv, 1.3);
}

/*
 * The lpo preset end to end: BER and OMA bookkeeping against fibre loss, the dispersion penalty
 * at 1550 nm, statistical analysis against Monte Carlo with a linearly driven modulator,
 * determinism, and rejection of unphysical optical parameters.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim/link.h"
#include "lanesim/run.h"
#include "util.h"

/* the EML operating point of the earlier lpo preset (before docs/lpo.md's SiPh MZM), for the tests
   written for its static level compression and OMA bookkeeping */
#define EML                                                                                                        \
    "modulator.type=eml", "modulator.vpp_v=2", "modulator.bw_ghz=0", "laser.power_dbm=7", "host.loss_db=0",     \
        "host.pcb_mm=50", "driver.ctle_db=0"

static ls_config *cfg(const char *const *kv)
{
    char msg[512];
    ls_status st;
    ls_config *c = ls_config_create("lpo", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    for (; kv && *kv; kv++)
        cr_assert(eq(int, ls_config_set_assignment(c, *kv, msg, sizeof msg), LS_OK), "%s: %s", *kv, msg);
    return c;
}

static void run(const char *const *kv, ls_run_result *r)
{
    ls_config *c = cfg(kv);
    char msg[512] = "";
    cr_assert(eq(int, ls_run(c, NULL, NULL, r, msg, sizeof msg), LS_OK), "%s", msg);
    ls_config_destroy(c);
}

Test(lpo, oma_bookkeeping_follows_the_fibre_loss, .timeout = LS_TIMEOUT(60))
{
    ls_run_result a, b;
    const char *k1[] = { EML, "link.sps=16", "link.length_m=500", "run.symbols=20000", NULL };
    const char *k2[] = { EML, "link.sps=16", "link.length_m=4500", "run.symbols=20000", NULL };
    run(k1, &a);
    run(k2, &b);
    cr_assert(a.link.optical && b.link.optical);
    /* 4 km more at 0.5 dB/km: 2 dB less received OMA, the launch side unchanged */
    cr_assert(epsilon_eq(dbl, a.link.received_oma_dbm - b.link.received_oma_dbm, 2.0, 1e-9));
    cr_assert(epsilon_eq(dbl, a.link.launch_oma_dbm, b.link.launch_oma_dbm, 1e-12));
    /* two TIA-568 connectors at 0.75 dB and 0.25 dB of fibre */
    cr_assert(epsilon_eq(dbl, a.link.launch_oma_dbm - a.link.received_oma_dbm, 1.75, 1e-9));
    cr_assert(a.link.er_db > 4 && a.link.er_db < 5.3, "ER %.3f dB", a.link.er_db);
    ls_run_result_free(&a);
    ls_run_result_free(&b);
}

Test(lpo, ber_worsens_with_fibre_length_and_with_dispersion, .timeout = LS_TIMEOUT(120))
{
    ls_run_result s, l, d;
    const char *ks[] = { "link.sps=16", "link.length_m=500", "run.symbols=261120", "run.threads=2", NULL };
    const char *kl[] = { "link.sps=16", "link.length_m=20000", "run.symbols=261120", "run.threads=2", NULL };
    /* 1550 nm on G.652 (D ~ 17 ps/nm/km) over 2 km, fibre loss held equal to the 1311 nm case */
    const char *kd[] = { "link.sps=16", "link.length_m=2000", "laser.wavelength_nm=1550", "run.symbols=261120",
                         "run.threads=2", NULL };
    run(ks, &s);
    run(kl, &l);
    run(kd, &d);
    cr_assert(gt(dbl, l.ber.ber, 2 * s.ber.ber), "20 km %.3g vs 500 m %.3g", l.ber.ber, s.ber.ber);
    cr_assert(gt(dbl, d.ber.ber, 2 * s.ber.ber), "1550 nm, 2 km %.3g vs 1311 nm, 500 m %.3g", d.ber.ber, s.ber.ber);
    ls_run_result_free(&s);
    ls_run_result_free(&l);
    ls_run_result_free(&d);
}

Test(lpo, statistical_ber_tracks_monte_carlo_with_a_linear_modulator, .timeout = LS_TIMEOUT(120))
{
    /* push-pull MZM at quadrature driven at a small fraction of V_pi: the small-signal model holds */
    const char *kv[] = { "link.sps=16", "modulator.type=mzm", "modulator.vpp_v=6", "modulator.vpi_v=0",
                         "modulator.bw_ghz=0", "host.loss_db=0", "driver.ctle_db=0", "driver.gain_db=3",
                         "laser.power_dbm=12", "dfe.taps=0", "run.symbols=5e5", "run.threads=2", NULL };
    ls_config *c = cfg(kv);
    char msg[512] = "";
    ls_status st;
    ls_link *lk = ls_link_create(c, 64, msg, sizeof msg, &st);
    int ok = lk != NULL;
    cr_assert(ok, "%s", msg);
    ls_stateye_result sr;
    cr_assert(eq(int, ls_link_stat(lk, 1e-6, &sr), LS_OK));
    ls_link_destroy(lk);
    ls_run_result r;
    cr_assert(eq(int, ls_run(c, NULL, NULL, &r, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(gt(u64, r.counts.bit_errors, 100));
    cr_assert(lt(dbl, fabs(log(sr.ber / r.ber.ber)), log(1.5)), "statistical %.3g vs Monte Carlo %.3g", sr.ber,
              r.ber.ber);
    ls_run_result_free(&r);
    ls_config_destroy(c);
}

Test(lpo, optical_results_do_not_depend_on_chunk_size, .timeout = LS_TIMEOUT(60))
{
    ls_run_result r[2];
    const char *k1[] = { "link.sps=16", "run.symbols=12000", "run.frame_symbols=10880", "run.chunk_symbols=7", NULL };
    const char *k2[] = { "link.sps=16", "run.symbols=12000", "run.frame_symbols=10880", "run.chunk_symbols=4096",
                         NULL };
    run(k1, &r[0]);
    run(k2, &r[1]);
    cr_assert(eq(int, memcmp(&r[0].counts, &r[1].counts, sizeof r[0].counts), 0));
    ls_run_result_free(&r[0]);
    ls_run_result_free(&r[1]);
}

Test(lpo, unphysical_optical_parameters_are_rejected)
{
    static const char *const bad[][2] = { { "link.length_m=-1", "link.length_m" },
                                          { "modulator.er_db=0", "modulator.er_db" },
                                          { "laser.wavelength_nm=1800", "laser.wavelength_nm" },
                                          { "laser.wavelength_nm=700", "laser.wavelength_nm" },
                                          { "pd.bw_ghz=-5", "pd.bw_ghz" },
                                          { "tia.zt_ohm=0", "tia.zt_ohm" },
                                          { "modulator.bw_ghz=5000", "modulator.bw_ghz" } };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char msg[512] = "";
        ls_status st;
        ls_config *c = ls_config_create("lpo", msg, sizeof msg, &st);
        cr_assert(c != NULL);
        st = ls_config_set_assignment(c, bad[i][0], msg, sizeof msg);
        if (st == LS_OK) { /* a value in range but inconsistent: the link rejects it */
            ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st);
            cr_assert(eq(ptr, l, NULL), "%s accepted", bad[i][0]);
        }
        cr_assert(eq(int, st, LS_EINVAL), "%s", bad[i][0]);
        cr_assert(ls_has(msg, bad[i][1]), "'%s' lacks %s", msg, bad[i][1]);
        ls_config_destroy(c);
    }
}

/* cpo: microring modulator with an external laser; its dynamics enter the pulse response */
Test(lpo, cpo_links_run_and_degrade_with_length, .timeout = LS_TIMEOUT(120))
{
    ls_run_result a, b;
    char msg[512] = "";
    ls_status st;
    static const char *const lens[] = { "link.length_m=500", "link.length_m=20000" };
    ls_run_result *r[] = { &a, &b };
    for (int i = 0; i < 2; i++) {
        ls_config *c = ls_config_create("cpo", msg, sizeof msg, &st);
        cr_assert(c != NULL, "%s", msg);
        cr_assert(eq(int, ls_config_set_assignment(c, lens[i], msg, sizeof msg), LS_OK));
        cr_assert(eq(int, ls_config_set_assignment(c, "link.sps=16", msg, sizeof msg), LS_OK));
        cr_assert(eq(int, ls_config_set_assignment(c, "run.symbols=261120", msg, sizeof msg), LS_OK));
        cr_assert(eq(int, ls_config_set_assignment(c, "run.threads=2", msg, sizeof msg), LS_OK));
        cr_assert(eq(int, ls_run(c, NULL, NULL, r[i], msg, sizeof msg), LS_OK), "%s", msg);
        ls_config_destroy(c);
    }
    cr_assert(a.link.optical && a.link.er_db > 1, "ring ER %.2f dB", a.link.er_db);
    cr_assert(lt(dbl, a.ber.ber, 1e-3), "cpo at 500 m: BER %.3g", a.ber.ber);
    cr_assert(gt(dbl, b.ber.ber, 2 * a.ber.ber), "20 km %.3g vs 500 m %.3g", b.ber.ber, a.ber.ber);
    ls_run_result_free(&a);
    ls_run_result_free(&b);
}

static void run_preset(const char *preset, const char *const *kv, ls_run_result *r)
{
    char msg[512] = "";
    ls_status st;
    ls_config *c = ls_config_create(preset, msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    for (; kv && *kv; kv++)
        cr_assert(eq(int, ls_config_set_assignment(c, *kv, msg, sizeof msg), LS_OK), "%s: %s", *kv, msg);
    cr_assert(eq(int, ls_run(c, NULL, NULL, r, msg, sizeof msg), LS_OK), "%s", msg);
    ls_config_destroy(c);
}

Test(lpo, retimed_segments_add_and_the_retimer_isolates_the_host_channel, .timeout = LS_TIMEOUT(180))
{
    /* a lossy optical segment (10 km) so that it makes errors */
    const char *k1[] = { "link.sps=16", "link.length_m=10000", "host.pcb_mm=50", "run.symbols=130560",
                         "run.threads=2", NULL };
    const char *k2[] = { "link.sps=16", "link.length_m=10000", "host.pcb_mm=250", "run.symbols=130560",
                         "run.threads=2", NULL };
    ls_run_result a, b;
    run_preset("dsp-retimed", k1, &a);
    run_preset("dsp-retimed", k2, &b);
    cr_assert(eq(u32, a.n_segments, 3));
    uint64_t sum = 0;
    for (unsigned k = 0; k < 3; k++)
        sum += a.segment[k].bit_errors;
    cr_assert(eq(u64, a.counts.bit_errors, sum), "total errors are the segments' sum");
    cr_assert(gt(u64, a.segment[1].bit_errors, 0), "the 10 km optical segment should make errors");
    /* the retimer regenerates the symbols: the optical segment does not see the host channel at all */
    cr_assert(eq(u64, a.segment[1].bit_errors, b.segment[1].bit_errors));
    cr_assert(eq(str, a.segment[1].name, "optical"));
    ls_run_result_free(&a);
    ls_run_result_free(&b);
}

Test(lpo, lpo_degrades_faster_than_dsp_retimed_with_host_channel_loss, .timeout = LS_TIMEOUT(180))
{
    const char *k1[] = { "link.sps=16", "host.pcb_mm=50", "run.symbols=261120", "run.threads=2", NULL };
    const char *k2[] = { "link.sps=16", "host.pcb_mm=250", "run.symbols=261120", "run.threads=2", NULL };
    const char *j1[] = { "link.sps=16", "host.loss_db=6", "run.symbols=261120", "run.threads=2", NULL };
    const char *j2[] = { "link.sps=16", "host.loss_db=15", "run.symbols=261120", "run.threads=2", NULL };
    ls_run_result l1, l2, r1, r2;
    run_preset("lpo", j1, &l1);
    run_preset("lpo", j2, &l2);
    run_preset("dsp-retimed", k1, &r1);
    run_preset("dsp-retimed", k2, &r2);
    double lpo_penalty = (l2.counts.bit_errors + 1.0) / (l1.counts.bit_errors + 1.0);
    double ret_penalty = (r2.counts.bit_errors + 1.0) / (r1.counts.bit_errors + 1.0);
    cr_assert(gt(dbl, lpo_penalty, 5.0), "lpo: %llu -> %llu errors", (unsigned long long)l1.counts.bit_errors,
              (unsigned long long)l2.counts.bit_errors);
    cr_assert(gt(dbl, lpo_penalty, 3.0 * ret_penalty), "lpo x%.1f vs retimed x%.1f", lpo_penalty, ret_penalty);
    ls_run_result_free(&l1);
    ls_run_result_free(&l2);
    ls_run_result_free(&r1);
    ls_run_result_free(&r2);
}

Test(lpo, static_level_compression_matches_the_adapted_slicer_levels, .timeout = LS_TIMEOUT(60))
{
    /* the default EML (exponential transfer, 5.2 dB ER over the full drive) compresses one side of
       the PAM4 levels. The link analysis predicts the level spacing from the static maps; the
       receiver's LMS-adapted slicer levels measure it on the simulated waveform (a second method). */
    const char *kv[] = { EML, "link.sps=16", "link.length_m=10", NULL };
    ls_config *c = cfg(kv);
    char msg[512] = "";
    ls_status st;
    ls_link *lk = ls_link_create(c, 4096, msg, sizeof msg, &st);
    int ok = lk != NULL;
    cr_assert(ok, "%s", msg);
    ls_ber *ber = ls_link_ber_create(lk, &st);
    ok = ber != NULL;
    cr_assert(ok);
    cr_assert(eq(int, ls_link_run_frame(lk, 1, 0, 0, 2000, 60000, ber, NULL), LS_OK));
    ls_rx_stats s;
    ls_link_get_rx_stats(lk, &s);
    const double *p = ls_link_get_info(lk)->level_v;
    double pred = (p[3] - p[2]) / (p[1] - p[0]), meas = (s.ref_v[3] - s.ref_v[2]) / (s.ref_v[1] - s.ref_v[0]);
    cr_assert(gt(dbl, fabs(log(meas)), log(1.2)), "the default EML should compress one side: ratio %.3f", meas);
    cr_assert(lt(dbl, fabs(log(pred / meas)), log(1.1)), "outer-eye spacing ratio: predicted %.3f, adapted %.3f",
              pred, meas);
    ls_ber_destroy(ber);
    ls_link_destroy(lk);
    ls_config_destroy(c);
}

/*
 * The lpo operating point of docs/lpo.md: the host channel fixed by its loss at the Nyquist
 * frequency (host.loss_db, channels/presets/host_channel.c), the BER at 500 m with the default
 * host loss (statistical analysis and Monte Carlo, two methods), and the BER rising with the host
 * channel's loss (the study's "LPO vs host loss" curve).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "lanesim/link.h"
#include "lanesim/run.h"
#include "lanesim/tdecq.h"
#include "lanesim/tline.h"
#include "ls_presets.h"
#include "util.h"

static ls_config *lpo(const char *const *kv)
{
    char msg[512];
    ls_status st;
    ls_config *c = ls_config_create("lpo", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    for (; kv && *kv; kv++)
        cr_assert(eq(int, ls_config_set_assignment(c, *kv, msg, sizeof msg), LS_OK), "%s: %s", *kv, msg);
    return c;
}

Test(lpo_host, host_channel_loss_at_nyquist_equals_the_key, .timeout = LS_TIMEOUT(30))
{
    const double baud = 106.25e9, f_n = 0.5 * baud;
    ls_tline_config pcb;
    cr_assert(eq(int, ls_tline_preset("pcb_lowloss", &pcb), LS_OK));
    const double db_per_m = ls_tline_loss_db_per_m(&pcb, f_n);
    static const double keys[] = { 5, 8, 14, 22 };
    double il0 = NAN;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char kv[64], msg[512] = "";
        snprintf(kv, sizeof kv, "host.loss_db=%g", keys[i]);
        const char *a[] = { kv, NULL };
        ls_config *c = lpo(a);
        ls_cascade_config tx, rx, none;
        double pcb_m;
        cr_assert(eq(int, lsi_host_channel(c, baud, LS_PKG_TX, &tx, msg, sizeof msg), LS_OK), "%s", msg);
        cr_assert(eq(int, lsi_host_channel(c, baud, LS_PKG_RX, &rx, msg, sizeof msg), LS_OK), "%s", msg);
        cr_assert(eq(int, lsi_host_pcb_m(c, baud, &pcb_m, msg, sizeof msg), LS_OK));
        /* host.loss_ghz (53.125 GHz) fixes the board: the same PCB at every lane rate */
        double pcb_425;
        cr_assert(eq(int, lsi_host_pcb_m(c, 2 * baud, &pcb_425, msg, sizeof msg), LS_OK), "%s", msg);
        cr_assert(eq(dbl, pcb_425, pcb_m));
        /* S21 of the whole cascade (package, PCB, connector) at f_N, both directions */
        cr_assert(epsilon_eq(dbl, lsi_cascade_loss_db(&tx, f_n), keys[i], 1e-6), "TX side %.6f dB for %g",
                  lsi_cascade_loss_db(&tx, f_n), keys[i]);
        cr_assert(epsilon_eq(dbl, lsi_cascade_loss_db(&rx, f_n), keys[i], 1e-6), "RX side (mirror) %.6f dB",
                  lsi_cascade_loss_db(&rx, f_n));
        /* closed form: the PCB's share is its length times the line's attenuation (dB/m) at f_N; the
           rest is the package and connector (the cascade with no PCB), up to the reflection ripple */
        ls_config *c0 = lpo((const char *[]){ "host.loss_db=0", "host.pcb_mm=0", NULL });
        cr_assert(eq(int, lsi_host_channel(c0, baud, LS_PKG_TX, &none, msg, sizeof msg), LS_OK));
        il0 = lsi_cascade_loss_db(&none, f_n);
        cr_assert(epsilon_eq(dbl, il0 + pcb_m * db_per_m, keys[i], 0.5), "%.3f + %.4f m x %.2f dB/m vs %g", il0,
                  pcb_m, db_per_m, keys[i]);
        ls_config_destroy(c0);
        ls_config_destroy(c);
    }
    /* a loss below the package's and connector's alone is refused, naming the key */
    char kv[64], msg[512] = "";
    snprintf(kv, sizeof kv, "host.loss_db=%g", 0.5 * il0);
    ls_config *c = lpo((const char *[]){ kv, NULL });
    ls_status st;
    ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st);
    cr_assert(eq(ptr, l, NULL));
    cr_assert(ls_has(msg, "host.loss_db"), "%s", msg);
    ls_config_destroy(c);
}

Test(lpo_host, default_lpo_at_500_m_meets_the_1e6_order, .timeout = LS_TIMEOUT(180))
{
    /* defaults: 212.5 Gb/s, 500 m, host.loss_db 8; docs/lpo.md measured 4e-6 (2e6 bits) */
    const char *kv[] = { "link.sps=16", "run.symbols=5e5", "run.threads=2", NULL };
    ls_config *c = lpo(kv);
    char msg[512] = "";
    ls_status st;
    ls_link *lk = ls_link_create(c, 64, msg, sizeof msg, &st);
    int ok = lk != NULL;
    cr_assert(ok, "%s", msg);
    ls_stateye_result sr;
    cr_assert(eq(int, ls_link_stat(lk, 2.4e-4, &sr), LS_OK));
    ls_link_destroy(lk);
    ls_run_result r;
    cr_assert(eq(int, ls_run(c, NULL, NULL, &r, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(lt(dbl, r.ber.ber_ci95_hi, 3e-5), "Monte Carlo BER %.3g [%.3g, %.3g] at 500 m", r.ber.ber, r.ber.ber_ci95_lo,
              r.ber.ber_ci95_hi);
    cr_assert(lt(dbl, sr.ber, 3e-5), "statistical BER %.3g at 500 m", sr.ber);
    /* the two methods agree on the order (the linear MZM keeps the small-signal model valid) */
    cr_assert(gt(dbl, r.ber.ber_ci95_hi, sr.ber / 10), "Monte Carlo [.., %.3g] vs statistical %.3g", r.ber.ber_ci95_hi, sr.ber);
    ls_run_result_free(&r);
    ls_config_destroy(c);
}

Test(lpo_host, ber_rises_monotonically_with_host_loss, .timeout = LS_TIMEOUT(240))
{
    static const double loss[] = { 6, 10, 13, 16 };
    double prev_stat = 0, prev_mc = 0;
    for (size_t i = 0; i < sizeof loss / sizeof loss[0]; i++) {
        char kv[64], msg[512] = "";
        snprintf(kv, sizeof kv, "host.loss_db=%g", loss[i]);
        const char *a[] = { kv, "link.sps=16", "run.symbols=2e5", "run.threads=2", NULL };
        ls_config *c = lpo(a);
        ls_status st;
        ls_link *lk = ls_link_create(c, 64, msg, sizeof msg, &st);
        int ok = lk != NULL;
        cr_assert(ok, "%s", msg);
        ls_stateye_result sr;
        cr_assert(eq(int, ls_link_stat(lk, 2.4e-4, &sr), LS_OK));
        ls_link_destroy(lk);
        ls_run_result r;
        cr_assert(eq(int, ls_run(c, NULL, NULL, &r, msg, sizeof msg), LS_OK), "%s", msg);
        cr_assert(gt(dbl, sr.ber, prev_stat), "statistical BER %.3g at %g dB vs %.3g before", sr.ber, loss[i],
                  prev_stat);
        cr_assert(ge(dbl, r.ber.ber, prev_mc), "Monte Carlo BER %.3g at %g dB vs %.3g before", r.ber.ber, loss[i],
                  prev_mc);
        prev_stat = sr.ber;
        prev_mc = r.ber.ber;
        ls_run_result_free(&r);
        ls_config_destroy(c);
    }
    /* the curve crosses the KP4 target within the range: LPO fails on a lossy host */
    cr_assert(gt(dbl, prev_mc, 2.4e-4), "Monte Carlo BER %.3g at 16 dB", prev_mc);
}

/* EECQ (docs/lpo.md): the TDECQ procedure (phy/tdecq.c, 200G reference equalizer) on the voltage at an
   electrical point of the lpo link, over one SSPRQ period. */
static double eecq(const char *const *kv, ls_link_tp tp)
{
    ls_config *c = lpo(kv);
    char msg[512] = "";
    ls_status st;
    cr_assert(eq(int, ls_config_set(c, "tx.pattern", "ssprq", msg, sizeof msg), LS_OK), "%s", msg);
    ls_link *l = ls_link_create(c, 4096, msg, sizeof msg, &st);
    int ok = l != NULL;
    cr_assert(ok, "%s", msg);
    const ls_link_info *in = ls_link_get_info(l);
    const size_t n_sym = 65535 + 256, n = n_sym * in->sps;
    float *v = malloc(n * sizeof *v);
    uint8_t *lev = malloc(n_sym);
    cr_assert(v && lev);
    cr_assert(eq(int, ls_link_capture_electrical(l, tp, 1, n_sym, v, lev, msg, sizeof msg), LS_OK), "%s", msg);
    ls_tdecq_config tc;
    ls_tdecq_config_init(&tc, LS_TDECQ_200G, in->baud, in->sps);
    tc.max_delay_ui = 512;
    ls_tdecq_results r;
    cr_assert(eq(int, ls_tdecq_measure(&tc, v, n, lev, n_sym, &r, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(gt(dbl, r.rlm, 0.9), "RLM %.3f: levels in order", r.rlm);
    free(v);
    free(lev);
    ls_link_destroy(l);
    ls_config_destroy(c);
    return r.tdecq_db;
}

Test(lpo_host, eecq_at_the_module_input_and_the_host_receiver_input, .timeout = LS_TIMEOUT(240))
{
    const char *def[] = { "link.sps=16", NULL };
    const double in = eecq(def, LS_LINK_MODULE_IN), rx = eecq(def, LS_LINK_HOST_RX_IN);
    /* LPO MSA (100G) host TX at TP1a: EECQ <= 3.5 dB; the driver's CTLE opens the module input */
    cr_assert(lt(dbl, in, 3.5), "module input EECQ %.3f dB", in);
    /* the host receiver input sees the optics' noise and the second host channel, unequalized */
    cr_assert(gt(dbl, rx, in + 1.0), "host RX input EECQ %.3f dB vs module input %.3f dB", rx, in);
    /* without the driver's CTLE, a lossy host channel closes the module input further */
    const char *lossy[] = { "link.sps=16", "host.loss_db=14", NULL };
    const char *lossy_off[] = { "link.sps=16", "host.loss_db=14", "driver.ctle_db=0", NULL };
    const double on = eecq(lossy, LS_LINK_MODULE_IN), off = eecq(lossy_off, LS_LINK_MODULE_IN);
    cr_assert(lt(dbl, on, off), "14 dB host: EECQ %.3f dB with the driver CTLE, %.3f dB without", on, off);
}

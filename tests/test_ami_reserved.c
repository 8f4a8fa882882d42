/*
 * IBIS-AMI reserved jitter, noise and sensitivity parameters (channels/presets/ami_reserved.c,
 * docs/ibis-ami.md "Reserved parameters"): a model's Tx_Rj / Tx_Dj give the link lanesim's own TX
 * jitter (RJ rms; DJ peak-to-peak = 2 Tx_Dj, IBIS's "half the peak to peak", seconds converted with
 * the symbol rate), Rx_Noise a slicer-referred noise of that rms, Rx_Receiver_Sensitivity a slicer
 * offset; each is checked against the same link built with lanesim's own keys, and against the link
 * without them (so that the test can fail).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim.h"

#define IBS LS_AMI_DIR "/lanesim_test.ibs"

typedef struct {
    double ber, stat_ber, noise_sigma, h0, th[3];
    char warn[512];
} outcome;

static outcome run(const char *const *extra)
{
    static const char *const base[] = { "link.length_m=0.5", "cdr.type=ideal",     "adc.enable=false", "ffe.taps=1",
                                        "ffe.pre=0",         "dfe.taps=1",         "tx.snr_db=inf",    "run.seed=3",
                                        "run.symbols=10880", "ami.isolate=false",  "run.threads=2",    "jitter.rj_ui=0",
                                        "jitter.dj_ui=0",    NULL };
    char msg[1400];
    ls_config *c = ls_config_create("copper", msg, sizeof msg, NULL);
    cr_assert(c, "%s", msg);
    for (const char *const *a = base; *a; a++)
        cr_assert_eq(ls_config_set_assignment(c, *a, msg, sizeof msg), LS_OK, "%s", msg);
    for (const char *const *a = extra; *a; a++)
        cr_assert_eq(ls_config_set_assignment(c, *a, msg, sizeof msg), LS_OK, "%s: %s", *a, msg);
    ls_run_result r;
    cr_assert_eq(ls_run(c, NULL, NULL, &r, msg, sizeof msg), LS_OK, "%s", msg);
    ls_status st;
    ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st);
    cr_assert(l, "%s", msg);
    ls_stateye_result sr;
    cr_assert_eq(ls_link_stat(l, 1e-6, &sr), LS_OK);
    const ls_link_info *in = ls_link_get_info(l);
    outcome o = { r.ber.ber, sr.ber, in->noise_sigma, in->h0, { in->thresholds[0], in->thresholds[1], in->thresholds[2] },
                  "" };
    const char *w[4];
    size_t nw = ls_link_warnings(l, w, 4);
    for (size_t i = 0; i < nw && i < 4; i++)
        snprintf(o.warn + strlen(o.warn), sizeof o.warn - strlen(o.warn), "%s;", w[i]);
    ls_link_destroy(l);
    ls_run_result_free(&r);
    ls_config_destroy(c);
    return o;
}

#define TXM(m) "tx.model=ami", "tx.ami=" IBS ":" m, "ami.tx.c_pre1=-0.1", "ctle.form=peaking", "ctle.peak_db=10", \
               "ctle.auto=false"

/* tx_ffe_jit declares Tx_Rj 0.01 UI (Type UI) and Tx_Dj 4.7059e-13 s (Type Float: 0.05 UI at 106.25 GBd):
   the same link as tx_ffe with jitter.rj_ui=0.01 and jitter.dj_ui=0.1, to the last error; not the link
   without jitter. */
Test(ami_reserved, tx_rj_and_dj_are_lanesims_tx_jitter, .timeout = LS_TIMEOUT(120))
{
    static const char *const model[] = { TXM("tx_ffe_jit"), NULL };
    static const char *const keys[] = { TXM("tx_ffe"), "jitter.rj_ui=0.01", "jitter.dj_ui=0.1", NULL };
    static const char *const none[] = { TXM("tx_ffe"), NULL };
    outcome m = run(model), k = run(keys), n = run(none);
    cr_expect(fabs(m.ber / k.ber - 1) < 1e-9 && fabs(m.stat_ber / k.stat_ber - 1) < 1e-6,
        "model's jitter: BER %g, statistical %g; lanesim's keys: %g, %g", m.ber, m.stat_ber, k.ber, k.stat_ber);
    cr_expect(m.stat_ber > 1.2 * n.stat_ber && m.ber > n.ber, "with jitter %g / %g, without %g / %g", m.ber,
        m.stat_ber, n.ber, n.stat_ber);
}

#define RXM(m) "rx.model=ami", "rx.ami=" IBS ":" m, "ami.rx.ctle.peak_db=10", "ami.rx.ctle.fpk_ghz=53.125", \
               "ami.rx.dfe.dfe_taps=0", "ami.rx_dfe=true", "ami.rx_flow=init"

/* rx_ctle_sens declares Rx_Receiver_Sensitivity 0.01 V, Rx_Noise 0.003 V rms and Rx_Rj: thresholds raised
   by 10 mV (the link of rx_ctle_dfe with slicer.thresholds_v at its midpoints + 10 mV gives the same
   statistical BER), a slicer-referred noise of 3 mV rms (noise.snr_db giving 3 mV: the same BERs), and
   a warning that Rx_Rj is not applied. */
Test(ami_reserved, rx_sensitivity_and_noise_act_on_the_slicer, .timeout = LS_TIMEOUT(120))
{
    static const char *const plain[] = { RXM("rx_ctle_dfe"), NULL };
    static const char *const sens[] = { RXM("rx_ctle_sens"), NULL };
    outcome p = run(plain), s = run(sens);
    for (int i = 0; i < 3; i++)
        cr_expect(fabs(s.th[i] - p.th[i] - 0.01) < 1e-6, "threshold %d: %g V against %g V", i, s.th[i], p.th[i]);
    cr_expect(fabs(s.noise_sigma - 0.003) < 1e-9 && p.noise_sigma == 0, "noise %g V rms", s.noise_sigma);
    cr_expect(strstr(s.warn, "Rx_Rj") != NULL, "warnings: %s", s.warn);
    cr_expect(s.stat_ber > 1.05 * p.stat_ber, "statistical BER %g with, %g without", s.stat_ber, p.stat_ber);
    /* the same with lanesim's keys: explicit thresholds and noise.snr_db = Es / sigma^2 at the main cursor */
    char th[128], snr[64];
    snprintf(th, sizeof th, "slicer.thresholds_v=%.17g,%.17g,%.17g", p.th[0] + 0.01, p.th[1] + 0.01, p.th[2] + 0.01);
    snprintf(snr, sizeof snr, "noise.snr_db=%.17g", 10 * log10(p.h0 * p.h0 * 5.0 / 9.0 / (0.003 * 0.003)));
    const char *const keys[] = { RXM("rx_ctle_dfe"), th, snr, NULL };
    outcome k = run(keys);
    cr_expect(fabs(k.noise_sigma - 0.003) < 1e-9, "noise.snr_db's noise %g V rms", k.noise_sigma);
    cr_expect(fabs(s.stat_ber / k.stat_ber - 1) < 1e-6 && fabs(s.ber / k.ber - 1) < 1e-6,
        "model: BER %g, statistical %g; lanesim's keys: %g, %g", s.ber, s.stat_ber, k.ber, k.stat_ber);
}

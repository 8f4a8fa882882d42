/*
 * IBIS-AMI clock times steer lanesim's sampler (docs/ibis-ami.md "Clock times"): a GetWave receiver
 * model's clock times (IBIS 7.x: each half a symbol time before the data is sampled) set where
 * lanesim samples the model's output, instead of lanesim's CDR. The test model rx_ctle_dfe (lanesim's
 * peaking CTLE and a zero-forcing DFE inside the model) recovers its clock at the pulse peak (to the
 * sample: the pulse's top is flat to 4e-4 between neighbouring samples, so the model's peak sample and
 * lanesim's may differ by one), plus its parameter phase_ui; lanesim's own CTLE + DFE with the ideal CDR
 * samples at the pulse peak plus rx.phase_ui. The test reads where lanesim sampled the model's output
 * (the receiver's phase, set by the clock times) and runs lanesim's own receiver there: same settings,
 * same sampling instant, the same Monte Carlo BER within the 95 % intervals.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim.h"

#define IBS LS_AMI_DIR "/lanesim_test.ibs"

typedef struct {
    double ber, lo, hi, phase; /* the sampling phase of the last symbol of frame 0 (UI) */
} outcome;

/* Copper 0.5 m without the TX FFE (the model's slicer levels assume its pulse from the DAC), peaking CTLE
   10 dB at 53.125 GHz, 1-tap DFE, ideal CDR, 54400 counted symbols after a warm-up that covers the
   model's Ignore_Bits (1000). */
static outcome run(const char *const *extra)
{
    static const char *const base[] = { "link.length_m=0.5",      "cdr.type=ideal",  "adc.enable=false",
                                        "ffe.taps=1",             "ffe.pre=0",       "dfe.taps=1",
                                        "dfe.limit=1",            "tx.snr_db=inf",   "jitter.rj_ui=0",
                                        "jitter.dj_ui=0",         "run.symbols=54400", "run.seed=7",
                                        "run.warmup_symbols=1500", "ami.isolate=false", "run.threads=2",
                                        "tx.ffe_pre=0",
                                        NULL };
    char msg[1400];
    ls_config *c = ls_config_create("copper", msg, sizeof msg, NULL);
    cr_assert(c, "%s", msg);
    for (const char *const *a = base; *a; a++)
        cr_assert_eq(ls_config_set_assignment(c, *a, msg, sizeof msg), LS_OK, "%s", msg);
    for (const char *const *a = extra; *a; a++)
        cr_assert_eq(ls_config_set_assignment(c, *a, msg, sizeof msg), LS_OK, "%s: %s", *a, msg);
    ls_run_result r;
    cr_assert_eq(ls_run(c, NULL, NULL, &r, msg, sizeof msg), LS_OK, "%s", msg);
    outcome o = { r.ber.ber, r.ber.ber_ci95_lo, r.ber.ber_ci95_hi, r.rx.phase_ui };
    ls_run_result_free(&r);
    ls_config_destroy(c);
    return o;
}

static int overlap(outcome a, outcome b)
{
    return b.ber >= a.lo && b.ber <= a.hi && a.ber >= b.lo && a.ber <= b.hi;
}

#define OWN "ctle.form=peaking", "ctle.peak_db=10", "ctle.auto=false"
#define AMI "rx.model=ami", "rx.ami=" IBS ":rx_ctle_dfe", "ami.rx.ctle.peak_db=10", "ami.rx.ctle.fpk_ghz=53.125", \
            "ami.rx.dfe.dfe_taps=1", "ami.rx_flow=getwave", "ami.rx.vpp=0.826"

/* lanesim's own receiver at the phase (UI) where the AMI run sampled. */
static outcome own_at(double phase_ui)
{
    char ph[64];
    snprintf(ph, sizeof ph, "rx.phase_ui=%.17g", phase_ui);
    const char *const own[] = { OWN, ph, NULL };
    return run(own);
}

/* At the pulse peak: lanesim samples where the model decides (within a sample of lanesim's peak), and
   the model's DFE gives lanesim's DFE BER there. */
Test(ami_clock, model_dfe_matches_lanesims_dfe_at_the_models_clock, .timeout = LS_TIMEOUT(60))
{
    static const char *const ami[] = { AMI, NULL };
    outcome m = run(ami), a = own_at(m.phase);
    cr_expect(fabs(m.phase) < 1.5 / 32, "the model's clock %g UI from lanesim's pulse peak", m.phase);
    cr_expect(fabs(m.phase * 32 - round(m.phase * 32)) < 1e-9, "sampled between samples: %.12g UI", m.phase);
    cr_expect(a.ber > 1e-3, "a BER to compare: %g", a.ber);
    cr_expect(overlap(a, m), "own DFE %g [%g, %g], AMI GetWave DFE %g [%g, %g] at %g UI", a.ber, a.lo, a.hi, m.ber,
        m.lo, m.hi, m.phase);
}

/* An eighth of a UI early (the BER is steep in phase here): the clock times move lanesim's sampler by
   that much, and the BER agrees with lanesim's own DFE sampled there; with ami.rx_clock=false (lanesim's
   sampler at its pulse peak, as before the clock times were used) the model's decisions and lanesim's
   samples part, and the BER is not the same. */
Test(ami_clock, an_offset_model_clock_moves_lanesims_sampler, .timeout = LS_TIMEOUT(60))
{
    static const char *const ami[] = { AMI, "ami.rx.phase_ui=-0.125", NULL };
    static const char *const old[] = { AMI, "ami.rx.phase_ui=-0.125", "ami.rx_clock=false", NULL };
    static const char *const at0[] = { AMI, NULL };
    outcome m = run(ami), z = run(at0), a = own_at(m.phase), o = run(old);
    cr_expect(fabs(m.phase - z.phase + 0.125) < 1e-9, "sampling phase %.12g UI, %.12g UI without the offset", m.phase,
        z.phase);
    cr_expect(overlap(a, m), "own DFE at %g UI %g [%g, %g], AMI %g [%g, %g]", m.phase, a.ber, a.lo, a.hi, m.ber,
        m.lo, m.hi);
    cr_expect(!overlap(m, o) && o.phase == 0, "clock used %g [%g, %g], not used %g [%g, %g]", m.ber, m.lo, m.hi,
        o.ber, o.lo, o.hi);
}

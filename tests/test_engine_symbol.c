/*
 * The symbol-rate engine against the sample path (phy/link/link_symbol*.c, docs/engines.md).
 * Noise-free, every value the receiver reads (ls_link_trace_samples) equals the sample path's within
 * 1e-4 of the main cursor, at the same instants, with the same decisions and the same final CDR phase:
 * analytic cable with the ideal and Mueller-Muller CDRs and the 802.3ck CA Touchstone channel (skipped
 * when ../shared is absent); with TX jitter (RJ, DJ, SJ, DCD; MM and bang-bang CDRs; exact by the DAC's
 * perturbation sequences in the FFT part) within 1e-4 too, the same decisions,
 * phases within 1e-5 UI; with the ADC the same
 * decisions and phases within 1e-3 UI (a code can flip). With noise: the noise the
 * receiver reads has the sample path's variance and lag-1/2 correlation (ideal CDR: same instants, the
 * noise being the noisy read minus the noise-free one), and the symbol error ratios of 20 seeds per
 * engine agree by Welch's t test at the 0.1 % level (|t| < 3.6). Crosstalk aggressors:
 * tests/test_engine_symbol_xtalk.c. AUTO takes the symbol engine without per-sample output
 * and the sample path with it; with noise and jitter the symbol engine's reads do not depend on the chunk
 * size (bit for bit). Each would fail on the old code: the engine did not exist (and the
 * jitter cases at 1e-4 on the first-order tail, 5.6e-4 to 7.2e-4).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_util.h"
#include "lanesim.h"
#include "util.h"

#ifndef LS_SHARED_DIR
#define LS_SHARED_DIR "../shared"
#endif

#define MAXKV 24

/* quiet 16 samples/UI copper: fixed CTLE, no noise, no ADC; the caller adds keys */
static const char *const quiet[] = { "link.sps=16", "ctle.auto=false", "ctle.gdc_db=-13", "rx.eta0_v2_ghz=0",
                                     "tx.snr_db=inf", "adc.enable=false", "jitter.rj_ui=0", "jitter.dj_ui=0", NULL };

static size_t chunk_symbols = 1024; /* the links' processing chunk (the chunk test changes it) */

static ls_link *make(const char *const *base, const char *const *kv, ls_link_engine eng)
{
    return ls_test_engine_link("copper", base, kv, eng, chunk_symbols);
}

typedef ls_test_trace trace;

/* One frame of n symbols after the link's memory, every read recorded. */
static void run_trace(ls_link *l, uint64_t seed, size_t n, trace *tr)
{
    ls_test_trace_run(l, seed, n, tr);
}

static void trace_free(trace *tr)
{
    ls_test_trace_free(tr);
}

/* Noise-free equality of the two engines for the keys kv (on top of base): reads within dx_tol of the main
   cursor (0: not compared, the ADC), the same errors, phases within phase_tol UI. */
static void equal_engines(const char *const *base, const char *const *kv, double dx_tol, double phase_tol)
{
    ls_link *a = make(base, kv, LS_ENGINE_SAMPLE), *b = make(base, kv, LS_ENGINE_SYMBOL);
    trace ta, tb;
    ls_test_equal_reads(a, b, kv[0], dx_tol, phase_tol, &ta, &tb);
    trace_free(&ta);
    trace_free(&tb);
    ls_link_destroy(a);
    ls_link_destroy(b);
}

Test(engine_symbol, cable_ideal_cdr, .timeout = LS_TIMEOUT(30))
{
    const char *kv[] = { "cdr.type=ideal", NULL };
    equal_engines(quiet, kv, 1e-4, 0);
}

Test(engine_symbol, cable_mm_cdr, .timeout = LS_TIMEOUT(30))
{
    const char *kv[] = { "cdr.type=mm", NULL };
    equal_engines(quiet, kv, 1e-4, 1e-6);
}

/* TX jitter: exact, the DAC's perturbation sequences through h in the FFT part (docs/engines.md) */
Test(engine_symbol, cable_mm_cdr_tx_jitter, .timeout = LS_TIMEOUT(30))
{
    const char *kv[] = { "cdr.type=mm", "jitter.rj_ui=0.01", "jitter.dj_ui=0.04", "jitter.sj_ui=0.1",
                         "jitter.dcd_ui=0.02", NULL };
    equal_engines(quiet, kv, 1e-4, 1e-5);
}

Test(engine_symbol, cable_bangbang_cdr_tx_jitter, .timeout = LS_TIMEOUT(30))
{
    const char *kv[] = { "cdr.type=bangbang", "jitter.rj_ui=0.01", "jitter.dj_ui=0.04", "jitter.sj_ui=0.1",
                         "jitter.dcd_ui=0.02", "link.sps=32", NULL };
    equal_engines(quiet, kv, 1e-4, 1e-5);
}

/* The symbol engine with noise and jitter gives the same reads, bit for bit, whatever the chunk size (its
   FFT blocks and noise blocks lie on fixed grids from the frame start) */
Test(engine_symbol, symbol_engine_chunk_independent, .timeout = LS_TIMEOUT(30))
{
    const char *kv[] = { "cdr.type=mm", "tx.snr_db=24", "rx.eta0_v2_ghz=1e-8", "jitter.rj_ui=0.01", "jitter.dj_ui=0.04",
                         NULL };
    trace t[2];
    const size_t chunks[2] = { 1024, 333 };
    for (int k = 0; k < 2; k++) {
        chunk_symbols = chunks[k];
        ls_link *l = make(quiet, kv, LS_ENGINE_SYMBOL);
        run_trace(l, 11, 8000, &t[k]);
        ls_link_destroy(l);
    }
    chunk_symbols = 1024;
    cr_assert(eq(sz, t[0].n, t[1].n));
    for (size_t i = 0; i < t[0].n; i++) {
        cr_assert(eq(i64, t[0].slot[i], t[1].slot[i]), "read %zu", i);
        cr_assert(eq(flt, t[0].x[i], t[1].x[i]), "read %zu: %.9g vs %.9g", i, t[0].x[i], t[1].x[i]);
    }
    cr_assert(eq(u64, t[0].sym_err, t[1].sym_err));
    trace_free(&t[0]);
    trace_free(&t[1]);
}

/* Jitter near the config limit (DJ/2 + SJ/2 + DCD/2 + 6 RJ < 0.5 UI): offsets k of about -6..5 samples in the
   FFT part, edges moved both ways */
Test(engine_symbol, cable_mm_cdr_large_tx_jitter, .timeout = LS_TIMEOUT(30))
{
    const char *kv[] = { "cdr.type=mm", "jitter.rj_ui=0.05", "jitter.dcd_ui=0.3", NULL };
    equal_engines(quiet, kv, 1e-4, 1e-5);
}

/* The ADC quantizes: a read differing by 1e-6 can flip a code, so the decisions and the phase are compared */
Test(engine_symbol, cable_adc_mm_cdr, .timeout = LS_TIMEOUT(30))
{
    const char *kv[] = { "adc.enable=true", "cdr.type=mm", "jitter.rj_ui=0.01", NULL };
    equal_engines(quiet, kv, 0, 1e-3);
}

Test(engine_symbol, touchstone_ca_mm_cdr, .timeout = LS_TIMEOUT(60))
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/channels/ieee3ck_mellitz_CA_19p75dB_thru.s4p", LS_SHARED_DIR);
    if (access(path, R_OK))
        cr_skip("../shared/channels absent");
    static char key[1100];
    snprintf(key, sizeof key, "channel.touchstone=%s", path);
    const char *kv[] = { "channel.type=touchstone", key, "cdr.type=mm", NULL };
    equal_engines(quiet, kv, 1e-4, 1e-6);
}

/* AUTO on a linear link: the symbol engine without per-sample output, the sample path (and why) with it */
Test(engine_symbol, auto_rule, .timeout = LS_TIMEOUT(30))
{
    ls_link *l = make(quiet, NULL, LS_ENGINE_SAMPLE);
    char msg[512] = "";
    ls_link_engine got = LS_ENGINE_SAMPLE;
    cr_assert(eq(int, ls_link_set_engine(l, LS_ENGINE_AUTO, 0, &got, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(int, (int)got, (int)LS_ENGINE_SYMBOL), "%s", msg);
    cr_assert(eq(int, ls_link_set_engine(l, LS_ENGINE_AUTO, 1, &got, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(int, (int)got, (int)LS_ENGINE_SAMPLE));
    cr_assert(strstr(msg, "eye") != NULL, "%s", msg);
    cr_assert(eq(int, ls_link_set_engine(l, LS_ENGINE_SYMBOL, 1, &got, msg, sizeof msg), LS_EINVAL));
    ls_link_destroy(l);
}

/* noise of the reads: (noisy - noise-free) at the same instants (ideal CDR), variance and lag-1, 2 correlation */
static void noise_stats(ls_link_engine eng, double *var, double *rho1, double *rho2)
{
    const char *clean[] = { "cdr.type=ideal", NULL };
    const char *noisy[] = { "cdr.type=ideal", "tx.snr_db=24", "rx.eta0_v2_ghz=1e-8", "noise.snr_db=30", NULL };
    ls_link *a = make(quiet, clean, eng), *b = make(quiet, noisy, eng);
    ls_test_read_noise(a, b, 40000, var, rho1, rho2);
    ls_link_destroy(a);
    ls_link_destroy(b);
}

Test(engine_symbol, noise_autocorrelation, .timeout = LS_TIMEOUT(60))
{
    double va, r1a, r2a, vb, r1b, r2b;
    noise_stats(LS_ENGINE_SAMPLE, &va, &r1a, &r2a);
    noise_stats(LS_ENGINE_SYMBOL, &vb, &r1b, &r2b);
    cr_log_info("noise variance %.4g / %.4g V^2, rho1 %.4f / %.4f, rho2 %.4f / %.4f", va, vb, r1a, r1b, r2a, r2b);
    cr_assert(le(dbl, fabs(vb / va - 1.0), 0.05), "variance %.4g vs %.4g", vb, va);
    cr_assert(le(dbl, fabs(r1a - r1b), 0.03), "rho1 %.4f vs %.4f", r1a, r1b);
    cr_assert(le(dbl, fabs(r2a - r2b), 0.03), "rho2 %.4f vs %.4f", r2a, r2b);
}

/* SER of 20 seeds per engine (MM CDR, TX/RX noise, jitter): Welch's t on the per-seed SERs */
Test(engine_symbol, ser_welch_20_seeds, .timeout = LS_TIMEOUT(120))
{
    const char *kv[] = { "cdr.type=mm", "tx.snr_db=22", "rx.eta0_v2_ghz=1e-8", "jitter.rj_ui=0.01",
                         "jitter.dj_ui=0.04", NULL };
    enum { SEEDS = 20, N = 20000 };
    double m[2], v[2];
    for (int e = 0; e < 2; e++) {
        ls_link *l = make(quiet, kv, e ? LS_ENGINE_SYMBOL : LS_ENGINE_SAMPLE);
        ls_test_ser_seeds(l, SEEDS, N, &m[e], &v[e]);
        ls_link_destroy(l);
    }
    const double t = (m[0] - m[1]) / sqrt(v[0] / SEEDS + v[1] / SEEDS);
    cr_log_info("SER sample %.4g +- %.2g, symbol %.4g +- %.2g (sd), Welch t %.2f", m[0], sqrt(v[0]), m[1], sqrt(v[1]), t);
    cr_assert(gt(dbl, m[0], 1e-4), "the case must make errors");
    cr_assert(lt(dbl, fabs(t), 3.6), "Welch t = %.2f", t);
}

/*
 * The symbol-rate engine with crosstalk aggressors against the sample path (phy/link/link_symbol_xtalk.c,
 * docs/engines.md "Crosstalk aggressors"). Noise-free, every value the receiver reads equals the sample
 * path's within 1e-4 of the main cursor, with the same decisions and CDR phase: one analytic FEXT and one
 * NEXT aggressor (36 and 38 dB: a few errors; the same frame with the aggressors 40 dB weaker reads differently by far more than the tolerance) on the analytic cable with the
 * MM and bang-bang CDRs, with the aggressors' own TX jitter (xtalk.tx_impairments), over several 1024-UI
 * blocks (the random clock phase step per block), and on the 802.3ck CA Touchstone channel (skipped when
 * ../shared is absent). With the aggressors' TX noise only: the noise the receiver reads has the sample
 * path's variance and lag-1/2 correlation; with victim and aggressor noise and jitter, the symbol error
 * ratios of 20 seeds per engine agree by Welch's t test (|t| < 3.6). AUTO picks the symbol engine for such
 * a link. Each would fail on the old code (the engine refused crosstalk aggressors) and on a model that
 * drew the aggressors' data, start offset or phase steps in another order (reads off by the aggressor's
 * amplitude, ~1e-2 of the main cursor here).
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

/* quiet 16 samples/UI copper with a FEXT and a NEXT aggressor: fixed CTLE, no noise, no ADC */
static const char *const quiet[] = { "link.sps=16", "ctle.auto=false", "ctle.gdc_db=-13", "rx.eta0_v2_ghz=0",
                                     "tx.snr_db=inf", "adc.enable=false", "jitter.rj_ui=0", "jitter.dj_ui=0",
                                     "xtalk.fext_db=36", "xtalk.next_db=38", NULL };

static ls_link *make(const char *const *kv, ls_link_engine eng)
{
    return ls_test_engine_link("copper", quiet, kv, eng, 1024);
}

typedef ls_test_trace trace;

static void run_trace(ls_link *l, uint64_t seed, size_t n, trace *tr)
{
    ls_test_trace_run(l, seed, n, tr);
}

static void trace_free(trace *tr)
{
    ls_test_trace_free(tr);
}

/* Noise-free equality of the two engines; also that the aggressors matter (the reads without them differ by
   more than 20 times the tolerance), so the comparison can fail. */
static void equal_engines(const char *const *kv, double dx_tol, double phase_tol)
{
    ls_link *a = make(kv, LS_ENGINE_SAMPLE), *b = make(kv, LS_ENGINE_SYMBOL);
    trace ta, tb;
    const double h0 = ls_test_equal_reads(a, b, kv[0], dx_tol, phase_tol, &ta, &tb);
    /* the same frame with the aggressors 40 dB down: far off */
    const char *off[16];
    size_t n_off = 0;
    for (; kv[n_off] && n_off < 13; n_off++)
        off[n_off] = kv[n_off];
    off[n_off++] = "xtalk.fext_vpp=0.01"; /* the same link and receiver, aggressors 40 dB weaker */
    off[n_off++] = "xtalk.next_vpp=0.01";
    off[n_off] = NULL;
    ls_link *c = make(off, LS_ENGINE_SYMBOL);
    trace tc;
    run_trace(c, 3, 6000, &tc);
    double dn = 0;
    for (size_t i = 0; i < tc.n && i < tb.n; i++)
        dn = fmax(dn, fabs((double)tc.x[i] - tb.x[i]));
    cr_log_info("without the aggressors: max |dx| %.3g of h0", dn / h0);
    cr_assert(gt(dbl, dn, 20 * dx_tol * h0), "the aggressors add only %.3g of the main cursor", dn / h0);
    trace_free(&tc);
    ls_link_destroy(c);
    trace_free(&ta);
    trace_free(&tb);
    ls_link_destroy(a);
    ls_link_destroy(b);
}

Test(engine_symbol_xtalk, cable_mm_cdr, .timeout = LS_TIMEOUT(60))
{
    const char *kv[] = { "cdr.type=mm", NULL };
    equal_engines(kv, 1e-4, 1e-5);
}

/* the aggressors' own TX jitter (RJ, DJ, SJ, DCD as the victim's): their edges at fractional positions */
Test(engine_symbol_xtalk, cable_mm_cdr_aggressor_jitter, .timeout = LS_TIMEOUT(60))
{
    const char *kv[] = { "cdr.type=mm", "xtalk.tx_jitter=true", "jitter.rj_ui=0.01", "jitter.dj_ui=0.04",
                         "jitter.sj_ui=0.1", "jitter.dcd_ui=0.02", NULL };
    equal_engines(kv, 1e-4, 1e-5);
}

/* bang-bang (edge reads: more phases per block), the FFT form at 32 samples/UI, victim jitter only */
Test(engine_symbol_xtalk, cable_bangbang_cdr, .timeout = LS_TIMEOUT(60))
{
    const char *kv[] = { "cdr.type=bangbang", "link.sps=32", "jitter.rj_ui=0.01", "jitter.sj_ui=0.1",
                         "xtalk.fext_count=2", NULL };
    equal_engines(kv, 1e-4, 1e-5);
}

Test(engine_symbol_xtalk, cable_bangbang_cdr_aggressor_jitter, .timeout = LS_TIMEOUT(60))
{
    const char *kv[] = { "cdr.type=bangbang", "link.sps=32", "xtalk.tx_jitter=true", "jitter.rj_ui=0.02",
                         "jitter.dcd_ui=0.2", "xtalk.fext_count=2", NULL };
    equal_engines(kv, 1e-4, 1e-5);
}

Test(engine_symbol_xtalk, touchstone_ca_mm_cdr, .timeout = LS_TIMEOUT(90))
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/channels/ieee3ck_mellitz_CA_19p75dB_thru.s4p", LS_SHARED_DIR);
    if (access(path, R_OK))
        cr_skip("../shared/channels absent");
    static char key[1100];
    snprintf(key, sizeof key, "channel.touchstone=%s", path);
    const char *kv[] = { "channel.type=touchstone", key, "cdr.type=mm", "jitter.rj_ui=0.01", "jitter.dj_ui=0.04", NULL };
    equal_engines(kv, 1e-4, 1e-5);
}

/* AUTO takes the symbol engine for a link with aggressors when no per-sample output is asked for; not when an
   aggressor jitters (summed edge by edge: slower than the sample path), saying why */
Test(engine_symbol_xtalk, auto_rule, .timeout = LS_TIMEOUT(30))
{
    ls_link *l = make(NULL, LS_ENGINE_SAMPLE);
    char msg[512] = "";
    ls_link_engine got = LS_ENGINE_SAMPLE;
    cr_assert(eq(int, ls_link_set_engine(l, LS_ENGINE_AUTO, 0, &got, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(int, (int)got, (int)LS_ENGINE_SYMBOL), "%s", msg);
    ls_link_destroy(l);
    const char *kv[] = { "xtalk.tx_jitter=true", "jitter.rj_ui=0.01", NULL };
    l = make(kv, LS_ENGINE_SAMPLE);
    got = LS_ENGINE_SYMBOL;
    cr_assert(eq(int, ls_link_set_engine(l, LS_ENGINE_AUTO, 0, &got, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(int, (int)got, (int)LS_ENGINE_SAMPLE), "%s", msg);
    cr_assert(strstr(msg, "xtalk.tx_jitter") != NULL, "%s", msg);
    ls_link_destroy(l);
}

/* The symbol engine's reads with aggressors (FFT form and edge sum, with noise) do not depend on the chunk
   size, bit for bit: the aggressors' blocks are made on demand from their own streams */
static void chunk_independent(const char *const *kv)
{
    trace t[2];
    for (int k = 0; k < 2; k++) {
        char msg[512] = "";
        ls_status st;
        ls_config *c = ls_config_create("copper", msg, sizeof msg, &st);
        for (const char *const *q = quiet; *q; q++)
            cr_assert(eq(int, ls_config_set_assignment(c, *q, msg, sizeof msg), LS_OK));
        for (const char *const *q = kv; *q; q++)
            cr_assert(eq(int, ls_config_set_assignment(c, *q, msg, sizeof msg), LS_OK), "%s", msg);
        ls_link *l = ls_link_create(c, k ? 333 : 1024, msg, sizeof msg, &st);
        ls_config_destroy(c);
        cr_assert(l != NULL, "%s", msg);
        cr_assert(eq(int, ls_link_set_engine(l, LS_ENGINE_SYMBOL, 0, NULL, msg, sizeof msg), LS_OK), "%s", msg);
        run_trace(l, 11, 5000, &t[k]);
        ls_link_destroy(l);
    }
    cr_assert(eq(sz, t[0].n, t[1].n));
    for (size_t i = 0; i < t[0].n; i++) {
        cr_assert(eq(i64, t[0].slot[i], t[1].slot[i]), "read %zu", i);
        cr_assert(eq(flt, t[0].x[i], t[1].x[i]), "read %zu: %.9g vs %.9g", i, t[0].x[i], t[1].x[i]);
    }
    trace_free(&t[0]);
    trace_free(&t[1]);
}

Test(engine_symbol_xtalk, chunk_independent, .timeout = LS_TIMEOUT(60))
{
    const char *fft[] = { "cdr.type=mm", "tx.snr_db=24", "xtalk.snr_db=20", NULL };
    const char *edges[] = { "cdr.type=mm", "tx.snr_db=24", "xtalk.snr_db=20", "xtalk.tx_jitter=true",
                            "jitter.rj_ui=0.01", NULL };
    chunk_independent(fft);
    chunk_independent(edges);
}

/* The aggressors' TX noise alone (victim noise-free, strong aggressors, ideal CDR: the same instants): the
   noisy read minus the noise-free one, its variance and lag-1, 2 correlation */
static void noise_stats(ls_link_engine eng, double *var, double *rho1, double *rho2)
{
    const char *clean[] = { "cdr.type=ideal", "xtalk.fext_db=12", "xtalk.next_db=15", NULL };
    const char *noisy[] = { "cdr.type=ideal", "xtalk.fext_db=12", "xtalk.next_db=15", "xtalk.snr_db=15", NULL };
    ls_link *a = make(clean, eng), *b = make(noisy, eng);
    ls_test_read_noise(a, b, 40000, var, rho1, rho2);
    ls_link_destroy(a);
    ls_link_destroy(b);
}

Test(engine_symbol_xtalk, aggressor_noise_autocorrelation, .timeout = LS_TIMEOUT(90))
{
    double va, r1a, r2a, vb, r1b, r2b;
    noise_stats(LS_ENGINE_SAMPLE, &va, &r1a, &r2a);
    noise_stats(LS_ENGINE_SYMBOL, &vb, &r1b, &r2b);
    cr_log_info("aggressor noise variance %.4g / %.4g V^2, rho1 %.4f / %.4f, rho2 %.4f / %.4f", va, vb, r1a, r1b,
                r2a, r2b);
    cr_assert(gt(dbl, va, 0.0));
    cr_assert(le(dbl, fabs(vb / va - 1.0), 0.05), "variance %.4g vs %.4g", vb, va);
    cr_assert(le(dbl, fabs(r1a - r1b), 0.03), "rho1 %.4f vs %.4f", r1a, r1b);
    cr_assert(le(dbl, fabs(r2a - r2b), 0.03), "rho2 %.4f vs %.4f", r2a, r2b);
}

/* SER of 20 seeds per engine (MM CDR; victim and aggressor TX noise and jitter, RX noise): Welch's t */
Test(engine_symbol_xtalk, ser_welch_20_seeds, .timeout = LS_TIMEOUT(240))
{
    const char *kv[] = { "cdr.type=mm", "tx.snr_db=26", "rx.eta0_v2_ghz=1e-8", "jitter.rj_ui=0.01",
                         "jitter.dj_ui=0.04", "xtalk.tx_jitter=true", "xtalk.snr_db=26", "xtalk.fext_db=34", NULL };
    enum { SEEDS = 20, N = 20000 };
    double m[2], v[2];
    for (int e = 0; e < 2; e++) {
        ls_link *l = make(kv, e ? LS_ENGINE_SYMBOL : LS_ENGINE_SAMPLE);
        ls_test_ser_seeds(l, SEEDS, N, &m[e], &v[e]);
        ls_link_destroy(l);
    }
    const double t = (m[0] - m[1]) / sqrt(v[0] / SEEDS + v[1] / SEEDS);
    cr_log_info("SER sample %.4g +- %.2g, symbol %.4g +- %.2g (sd), Welch t %.2f", m[0], sqrt(v[0]), m[1], sqrt(v[1]),
                t);
    cr_assert(gt(dbl, m[0], 1e-4), "the case must make errors");
    cr_assert(lt(dbl, fabs(t), 3.6), "Welch t = %.2f", t);
}

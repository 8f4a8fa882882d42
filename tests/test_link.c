/*
 * Link and run engine: PAM-M SER over AWGN against the closed form, determinism whatever the chunk
 * size and thread count, the error stop rule, peak-distortion eye against the pulse response (a
 * second method), and rejection of inconsistent links.
 */
#include <complex.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim/link.h"
#include "lanesim/run.h"
#include "lanesim/stats.h"
#include "ls_internal.h"
#include "util.h"

static ls_config *cfg(const char *preset, const char *const *kv)
{
    char msg[256];
    ls_status st;
    ls_config *c = ls_config_create(preset, msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    for (; kv && *kv; kv++)
        cr_assert(eq(int, ls_config_set_assignment(c, *kv, msg, sizeof msg), LS_OK), "%s: %s", *kv, msg);
    return c;
}

static void run_ok(const ls_config *c, ls_run_result *r)
{
    char msg[256] = "";
    cr_assert(eq(int, ls_run(c, NULL, NULL, r, msg, sizeof msg), LS_OK), "%s", msg);
}

static void check_ser(unsigned levels, double snr_db, uint64_t symbols)
{
    uint64_t seed = ls_test_seed(11);
    char mod[32], snr[64], sym[48], sd[48];
    snprintf(mod, sizeof mod, "link.modulation=pam%u", levels);
    snprintf(snr, sizeof snr, "noise.snr_db=%.17g", snr_db);
    snprintf(sym, sizeof sym, "run.symbols=%llu", (unsigned long long)symbols);
    snprintf(sd, sizeof sd, "run.seed=%llu", (unsigned long long)seed);
    const char *kv[] = { mod, snr, sym, sd, "link.sps=1", "tx.pattern=random", "run.max_errors=400", "run.threads=2",
                         NULL };
    ls_config *c = cfg("awgn", kv);
    ls_run_result r;
    run_ok(c, &r);
    double want = ls_pam_ser_awgn(levels, snr_db);
    ls_interval ci = ls_ci_clopper_pearson(r.counts.symbol_errors, r.counts.symbols, 0.99);
    ls_assert_seeded(ge(u64, r.counts.symbol_errors, 200), seed, "PAM%u %g dB: only %llu errors", levels, snr_db,
                     (unsigned long long)r.counts.symbol_errors);
    ls_assert_seeded(want >= ci.lo && want <= ci.hi, seed, "PAM%u %g dB: SER %.4e [%.4e, %.4e] vs closed form %.4e",
                     levels, snr_db, r.ber.ser, ci.lo, ci.hi, want);
    /* Gray: nearly every symbol error is one level, one bit: BER = SER / log2(M) */
    double bps = log2(levels);
    ls_assert_seeded(lt(dbl, fabs(r.ber.ber * bps / r.ber.ser - 1.0), snr_db < 13 ? 0.08 : 0.03), seed,
                     "PAM%u %g dB: BER %.4e vs SER/bps %.4e", levels, snr_db, r.ber.ber, r.ber.ser / bps);
    ls_run_result_free(&r);
    ls_config_destroy(c);
}

Test(link, pam4_ser_matches_closed_form_at_12_db, .timeout = LS_TIMEOUT(60))
{
    check_ser(4, 12, 1000000);
}
Test(link, pam4_ser_matches_closed_form_at_14_db, .timeout = LS_TIMEOUT(60))
{
    check_ser(4, 14, 1000000);
}
Test(link, pam4_ser_matches_closed_form_at_16_db, .timeout = LS_TIMEOUT(60))
{
    check_ser(4, 16, 1000000);
}
Test(link, pam4_ser_matches_closed_form_at_18_db, .timeout = LS_TIMEOUT(120))
{
    check_ser(4, 18, 4000000);
}
Test(link, pam2_ser_matches_closed_form, .timeout = LS_TIMEOUT(60))
{
    check_ser(2, 10, 2000000);
}
Test(link, pam8_ser_matches_closed_form, .timeout = LS_TIMEOUT(60))
{
    check_ser(8, 22, 1000000);
}

/* A band-limited, jittered, noisy link exercising every stage. */
static const char *const busy[] = { "link.sps=16", "tx.filter=bessel", "tx.bw_ghz=60", "rx.filter=butterworth",
                                    "rx.bw_ghz=45", "jitter.rj_ui=0.01", "jitter.sj_ui=0.05", "jitter.dj_ui=0.04",
                                    "tx.snr_db=30", "noise.snr_db=17", "tx.precoding=true", "tx.ffe_pre=-0.05",
                                    "tx.ffe_post=-0.1", "run.frame_symbols=10880", NULL };

static void assert_same(const ls_run_result *a, const ls_run_result *b, const char *what)
{
    cr_assert(eq(int, memcmp(&a->counts, &b->counts, sizeof a->counts), 0), "%s: counts differ (%llu vs %llu errors)",
              what, (unsigned long long)a->counts.bit_errors, (unsigned long long)b->counts.bit_errors);
    unsigned ca, ra, cb, rb;
    const uint64_t *ha = ls_eye_histogram(a->eye_hist, &ca, &ra), *hb = ls_eye_histogram(b->eye_hist, &cb, &rb);
    cr_assert(ca == cb && ra == rb);
    cr_assert(eq(int, memcmp(ha, hb, (size_t)ca * ra * sizeof *ha), 0), "%s: eye histograms differ", what);
}

Test(link, results_do_not_depend_on_chunk_size, .timeout = LS_TIMEOUT(120))
{
    ls_run_result r[3];
    static const char *const chunks[] = { "run.chunk_symbols=1", "run.chunk_symbols=7", "run.chunk_symbols=4096" };
    for (int i = 0; i < 3; i++) {
        ls_config *c = cfg("awgn", busy);
        char msg[128];
        cr_assert(eq(int, ls_config_set_assignment(c, "run.symbols=25000", msg, sizeof msg), LS_OK));
        cr_assert(eq(int, ls_config_set_assignment(c, chunks[i], msg, sizeof msg), LS_OK));
        run_ok(c, &r[i]);
        ls_config_destroy(c);
    }
    cr_assert(gt(u64, r[0].counts.bit_errors, 10), "the link should make errors");
    assert_same(&r[0], &r[1], "chunk 1 vs 7");
    assert_same(&r[0], &r[2], "chunk 1 vs 4096");
    for (int i = 0; i < 3; i++)
        ls_run_result_free(&r[i]);
}

Test(link, results_do_not_depend_on_thread_count, .timeout = LS_TIMEOUT(120))
{
    ls_run_result r1, r2;
    ls_config *c = cfg("awgn", busy);
    char msg[128];
    cr_assert(eq(int, ls_config_set_assignment(c, "run.symbols=70000", msg, sizeof msg), LS_OK));
    run_ok(c, &r1);
    cr_assert(eq(int, ls_config_set_assignment(c, "run.threads=2", msg, sizeof msg), LS_OK));
    run_ok(c, &r2);
    cr_assert(eq(u64, r1.frames, 7));
    assert_same(&r1, &r2, "threads 1 vs 2");
    /* another seed changes the result */
    ls_run_result r3;
    cr_assert(eq(int, ls_config_set_assignment(c, "run.seed=2", msg, sizeof msg), LS_OK));
    run_ok(c, &r3);
    cr_assert(ne(int, memcmp(&r1.counts, &r3.counts, sizeof r1.counts), 0));
    ls_run_result_free(&r1);
    ls_run_result_free(&r2);
    ls_run_result_free(&r3);
    ls_config_destroy(c);
}

Test(link, error_target_stops_after_the_frame_that_reaches_it, .timeout = LS_TIMEOUT(60))
{
    const char *kv[] = { "link.sps=1", "noise.snr_db=14", "run.symbols=1e7", "run.max_errors=500",
                         "run.frame_symbols=5440", NULL };
    ls_config *c = cfg("awgn", kv);
    ls_run_result r1, r2;
    run_ok(c, &r1);
    char msg[64];
    cr_assert(eq(int, ls_config_set_assignment(c, "run.threads=2", msg, sizeof msg), LS_OK));
    run_ok(c, &r2);
    cr_assert(r1.stopped_on_errors);
    cr_assert(ge(u64, r1.counts.bit_errors, 500));
    /* one frame of 5440 symbols at SER 1.9e-2 makes ~100 errors: the stop came within a frame of 500 */
    cr_assert(lt(u64, r1.counts.bit_errors, 500 + 400));
    cr_assert(eq(u64, r1.counts.symbols, r1.frames * 5440));
    assert_same(&r1, &r2, "stop rule with 1 and 2 threads");
    ls_run_result_free(&r1);
    ls_run_result_free(&r2);
    ls_config_destroy(c);
}

Test(link, noiseless_eye_height_equals_peak_distortion_of_the_pulse, .timeout = LS_TIMEOUT(60))
{
    /* PAM2, PRBS15 (every 15-bit pattern occurs), Bessel RX at 0.4 baud: the strict eye height at the
       sampling instant is 2 (p0 - sum_{j != 0} |p_j|) from the pulse response (peak distortion analysis).
       Read from the eye's extremes at the decision columns (sps and 0) of each level: the lowest sample
       of level 1 and the highest of level 0 (the contour's Gaussian tail fit would extrapolate beyond
       the bounded ISI). */
    const char *kv[] = { "link.modulation=pam2", "link.rate_gbps=100", "link.sps=16", "rx.filter=bessel",
                         "rx.bw_ghz=40", "noise.snr_db=inf", "tx.pattern=prbs15", "eye.bins=4096",
                         "run.symbols=65535", "run.frame_symbols=70720", NULL };
    ls_config *c = cfg("awgn", kv);
    ls_run_result r;
    run_ok(c, &r);
    double p0 = r.pulse[r.link.pulse_peak], isi = 0;
    for (size_t i = r.link.pulse_peak % 16; i < r.n_pulse; i += 16)
        if (i != r.link.pulse_peak)
            isi += fabs(r.pulse[i]);
    double want = 2 * (p0 - isi), bin = (r.link.eye_vmax - r.link.eye_vmin) / 4096;
    cr_assert(eq(u64, r.counts.bit_errors, 0));
    const uint64_t *h0 = ls_eye_level_histogram(r.eye_hist, 0), *h1 = ls_eye_level_histogram(r.eye_hist, 1);
    double top0 = -INFINITY, bot1 = INFINITY;
    for (unsigned col = 0; col <= 16; col += 16)
        for (unsigned row = 0; row < 4096; row++) {
            if (h0[col * 4096 + row])
                top0 = fmax(top0, ls_eye_bin_voltage(r.eye_hist, row));
            if (h1[col * 4096 + row])
                bot1 = fmin(bot1, ls_eye_bin_voltage(r.eye_hist, row));
        }
    cr_assert(lt(dbl, fabs(bot1 - top0 - want), 2 * bin + 1e-4 * p0), "eye %.6f V, peak distortion %.6f V",
              bot1 - top0, want);
    cr_assert(r.eye.eye[0].height_v > 0 && r.eye.eye[0].height_v <= bot1 - top0 + 2 * bin, "contour %.6f V",
              r.eye.eye[0].height_v);
    /* the slicer levels are +-p0 and the threshold their midpoint */
    cr_assert(epsilon_eq(dbl, r.link.level_v[1], p0, 1e-7));
    cr_assert(epsilon_eq(flt, r.link.thresholds[0], 0.0f, 1e-7));
    ls_run_result_free(&r);
    ls_config_destroy(c);
}

Test(link, fused_filters_keep_unit_dc_gain)
{
    /* A long run of one level through TX and RX filters settles at the outer level: sum of pulse over a UI grid
       (the step response) is swing/2. */
    const char *kv[] = { "link.sps=32", "tx.filter=gaussian", "tx.bw_ghz=50", "rx.filter=bessel", "rx.bw_ghz=40",
                         "tx.swing_vpp=1", NULL };
    ls_config *c = cfg("awgn", kv);
    char msg[256];
    ls_status st;
    ls_link *l = ls_link_create(c, 256, msg, sizeof msg, &st);
    cr_assert(l != NULL, "%s", msg);
    size_t n;
    const float *p = ls_link_pulse(l, &n);
    const ls_link_info *in = ls_link_get_info(l);
    double step = 0;
    for (size_t i = in->pulse_peak % 32; i < n; i += 32)
        step += p[i];
    cr_assert(epsilon_eq(dbl, step, 0.5, 1e-4), "step %g", step);
    cr_assert(eq(sz, in->n_lti_blocks, 2));
    cr_assert(eq(sz, in->n_stages, 2), "two LTI blocks fuse into one stage, plus the noise");
    ls_link_destroy(l);
    ls_config_destroy(c);
}

/*
 * ls_link_response against independent figures on a copper link without TX/RX filters: the channel the CTLE
 * sees (chain / CTLE) is the analytic channel's S21 (ls_channel_sparams, packages + PCB + cable); the CTLE is
 * the COM closed form (93A-22 with the low-frequency stage) written out here; and the chain times the TX pulse
 * spectrum (an NRZ hold of one UI, A sum_j e^{-j 2 pi f j / fs}) is the DFT of the link's pulse response
 * (computed by time-domain propagation: a second method).
 */
Test(link, frequency_response_matches_s21_ctle_closed_form_and_pulse, .timeout = LS_TIMEOUT(60))
{
    /* no RX noise source: the CTLE fuses with the channel into one FIR (a CTLE alone in a stage loses the
       pre-cursor ringing of its t = 0 step to the FIR's causal window, ~0.2 dB at DC: see docs/link.md) */
    const char *kv[] = { "link.length_m=1", "tx.filter=none", "rx.filter=none", "tx.ffe_pre=", "ctle.auto=false",
                         "ctle.gdc_db=-7", "ctle.gdc2_db=-2", "rx.eta0_v2_ghz=0", NULL };
    ls_config *c = cfg("copper", kv);
    char msg[256] = "";
    ls_status st;
    ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st);
    cr_assert(l != NULL, "%s", msg);
    const ls_link_info *in = ls_link_get_info(l);
    const double baud = in->baud, fs = baud * in->sps;
    enum { NF = 24 };
    double f[NF];
    double complex chain[NF], ctle[NF], ffe[NF], s21[NF], s11[NF];
    for (int i = 0; i < NF; i++)
        f[i] = (i + 0.5) / NF * baud; /* up to the baud rate: twice Nyquist */
    cr_assert(eq(int, ls_link_response(l, f, NF, chain, ctle, ffe), LS_OK));
    cr_assert(eq(int, ls_channel_sparams(c, f, NF, s21, s11, NULL, msg, sizeof msg), LS_OK), "%s", msg);
    const double g1 = pow(10, -7 / 20.0), g2 = pow(10, -2 / 20.0), fz = 0.4 * baud, fp1 = 0.4 * baud, fp2 = baud,
                 flf = baud / 80;
    size_t np;
    const float *p = ls_link_pulse(l, &np);
    for (int i = 0; i < NF; i++) {
        double ch_db = 20 * log10(cabs(chain[i] / ctle[i])), il_db = 20 * log10(cabs(s21[i]));
        cr_assert(lt(dbl, fabs(ch_db - il_db), 0.05), "%.2f GHz: channel %.3f dB, S21 %.3f dB", f[i] / 1e9, ch_db, il_db);
        double complex jf = I * f[i];
        double complex h = (g1 + jf / fz) / ((1 + jf / fp1) * (1 + jf / fp2)) * (g2 + jf / flf) / (1 + jf / flf);
        cr_assert(lt(dbl, cabs(ctle[i] / h - 1), 1e-9), "%.2f GHz: CTLE %g, closed form %g", f[i] / 1e9, cabs(ctle[i]),
                  cabs(h));
        /* pulse DFT / hold = A chain, A the outer level: the ratio to the chain is the same real constant.
           The pulse is float: rounding its samples alone moves its DFT by up to 2^-24 sum |p[n]|, which near
           the baud rate (the chain 90 dB down) exceeds 1e-3 of it, so the tolerance adds that floor. */
        double complex pf = 0, hold = 0;
        double pabs = 0;
        for (size_t n = 0; n < np; n++) {
            pf += p[n] * cexp(-2 * I * M_PI * f[i] * n / fs);
            pabs += fabs(p[n]);
        }
        for (unsigned j = 0; j < in->sps; j++)
            hold += cexp(-2 * I * M_PI * f[i] * j / fs);
        double a = cabs(pf / hold / chain[i]), tol = 1e-3 + 0x1p-24 * pabs / cabs(pf);
        cr_assert(lt(dbl, fabs(a / 0.413 - 1), tol), "%.2f GHz: pulse / (hold chain) = %g, outer level 0.413 V (tol %g)",
                  f[i] / 1e9, a, tol);
        /* the FFE as designed: sum_k w_k e^{-j 2 pi f (k - pre) T}, its DC value the sum of the JSON-reported taps */
    }
    double complex f0 = 0;
    double z = 0;
    cr_assert(eq(int, ls_link_response(l, &z, 1, NULL, NULL, &f0), LS_OK));
    ls_rx_stats rs;
    ls_link_get_rx_stats(l, &rs);
    double sum = 0;
    for (int k = 0; k < LS_RX_MAX_FFE; k++)
        sum += rs.ffe[k];
    cr_assert(lt(dbl, cabs(f0 - sum), 1e-12 * fabs(sum)), "FFE at DC %g, sum of taps %g", creal(f0), sum);
    ls_link_destroy(l);
    ls_config_destroy(c);
}

Test(link, run_frame_does_not_allocate)
{
    const char *kv[] = { "link.sps=16", "rx.filter=bessel", "rx.bw_ghz=50", "jitter.rj_ui=0.01", NULL };
    ls_config *c = cfg("awgn", kv);
    char msg[256];
    ls_status st;
    ls_link *l = ls_link_create(c, 512, msg, sizeof msg, &st);
    cr_assert(l != NULL, "%s", msg);
    ls_ber *b = ls_link_ber_create(l, &st);
    ls_eye *e = ls_link_eye_create(l, &st);
    cr_assert(b && e);
    uint64_t before = lsi_alloc_count();
    cr_assert(eq(int, ls_link_run_frame(l, 1, 0, 0, 100, 5440, b, e), LS_OK));
    cr_assert(eq(u64, lsi_alloc_count(), before));
    ls_ber_destroy(b);
    ls_eye_destroy(e);
    ls_link_destroy(l);
    ls_config_destroy(c);
}

static void expect_link_error(const char *const *kv, const char *needle)
{
    ls_config *c = cfg("awgn", kv);
    char msg[256] = "";
    ls_status st;
    cr_assert(eq(ptr, ls_link_create(c, 64, msg, sizeof msg, &st), NULL));
    cr_assert(eq(int, st, LS_EINVAL));
    cr_assert(ls_has(msg, needle), "message '%s' should name '%s'", msg, needle);
    ls_config_destroy(c);
}

Test(link, inconsistent_links_are_rejected_with_the_key)
{
    const char *a[] = { "link.sps=4", "rx.filter=bessel", NULL };
    expect_link_error(a, "link.sps");
    const char *b[] = { "link.sps=8", "rx.filter=bessel", "rx.bw_ghz=500", NULL };
    expect_link_error(b, "rx.bw_ghz");
    const char *d[] = { "link.sps=4", "jitter.rj_ui=0.01", NULL };
    expect_link_error(d, "link.sps");
    const char *e[] = { "slicer.thresholds_v=0.1,0.2", NULL };
    expect_link_error(e, "slicer.thresholds_v");
    const char *f[] = { "jitter.dj_ui=0.5", "jitter.sj_ui=0.5", NULL };
    expect_link_error(f, "jitter");
    const char *g[] = { "tx.ffe_pre=-0.5", "tx.ffe_post=-0.5", NULL };
    expect_link_error(g, "tx.ffe");
    const char *h[] = { "slicer.thresholds_v=0.2,0.1,0.3", NULL };
    expect_link_error(h, "increase");
    /* frame size must hold whole codewords */
    const char *kv[] = { "run.frame_symbols=6000", NULL };
    ls_config *c = cfg("awgn", kv);
    ls_run_result r;
    char msg[256] = "";
    cr_assert(eq(int, ls_run(c, NULL, NULL, &r, msg, sizeof msg), LS_EINVAL));
    cr_assert(ls_has(msg, "run.frame_symbols"), "%s", msg);
    ls_run_result_free(&r);
    ls_config_destroy(c);
}

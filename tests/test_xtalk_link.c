/*
 * Crosstalk in the copper link (phy/xtalk.c, xtalk.* keys of the copper preset): the crosstalk
 * variance at the slicer and the BER against the statistical analysis, thread and chunk
 * invariance, zero coupling, a Touchstone FEXT aggressor, and bad keys.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "xtalk_util.h"

/* ---------------------------------------------------------------------------------------------
 * The copper link with crosstalk
 */

/* copper at 16 samples/UI with a fixed CTLE and every noise source off: only ISI and crosstalk */
static const char *const quiet[] = {"link.sps=16",
                                    "ctle.auto=false",
                                    "ctle.gdc_db=-13",
                                    "rx.eta0_v2_ghz=0",
                                    "tx.snr_db=inf",
                                    "adc.enable=false",
                                    "jitter.rj_ui=0",
                                    "jitter.dj_ui=0",
                                    "cdr.type=ideal",
                                    "dfe.taps=0",
                                    NULL};

static ls_config *cfg(const char *const *base, const char *const *kv)
{
    char msg[512];
    ls_status st;
    ls_config *c = ls_config_create("copper", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    for (; base && *base; base++)
        cr_assert(eq(int, ls_config_set_assignment(c, *base, msg, sizeof msg), LS_OK), "%s: %s",
                  *base, msg);
    for (; kv && *kv; kv++)
        cr_assert(eq(int, ls_config_set_assignment(c, *kv, msg, sizeof msg), LS_OK), "%s: %s", *kv,
                  msg);
    return c;
}

static void run(const char *const *base, const char *const *kv, ls_run_result *r)
{
    ls_config *c = cfg(base, kv);
    char msg[512] = "";
    cr_assert(eq(int, ls_run(c, NULL, NULL, r, msg, sizeof msg), LS_OK), "%s", msg);
    ls_config_destroy(c);
}

/* Second moment (V^2) of the samples at the sampling instant (eye column sps), Sheppard-corrected.
 */
static double sampler_power(const ls_run_result *r)
{
    unsigned cols, rows;
    const uint64_t *h = ls_eye_histogram(r->eye_hist, &cols, &rows);
    const unsigned col = cols / 2;
    double s = 0, n = 0;
    for (unsigned k = 0; k < rows; k++) {
        const double v = ls_eye_bin_voltage(r->eye_hist, k), c = (double)h[(size_t)col * rows + k];
        s += c * v * v;
        n += c;
    }
    const double bw = ls_eye_bin_voltage(r->eye_hist, 1) - ls_eye_bin_voltage(r->eye_hist, 0);
    return s / n - bw * bw / 12.0;
}

Test(xtalk, crosstalk_variance_at_the_slicer_matches_the_link_prediction, .timeout = LS_TIMEOUT(60))
{
    /* 1-tap receiver (the slicer sees the eye's samples): added second moment = sum of the
       aggressors' phase-averaged variance through CTLE and RX filter */
    const uint64_t seed = ls_test_seed(1);
    char ks[64];
    snprintf(ks, sizeof ks, "run.seed=%llu", (unsigned long long)seed);
    const char *k0[] = {"ffe.mode=fixed",  "ffe.taps=1",    "ffe.pre=0", "eye.bins=4096",
                        "run.symbols=1e6", "run.threads=2", ks,          NULL};
    const char *k1[] = {"ffe.mode=fixed",
                        "ffe.taps=1",
                        "ffe.pre=0",
                        "eye.bins=4096",
                        "run.symbols=1e6",
                        "run.threads=2",
                        "xtalk.fext_db=30",
                        "xtalk.next_db=40",
                        ks,
                        NULL};
    ls_run_result r0, r1;
    run(quiet, k0, &r0);
    run(quiet, k1, &r1);
    const double added = sampler_power(&r1) - sampler_power(&r0),
                 pred = r1.link.xtalk_rms_v * r1.link.xtalk_rms_v;
    cr_log_info("crosstalk at the slicer: %.4f mV rms measured, %.4f mV predicted; ICN FEXT %.3f, "
                "NEXT %.3f mV",
                1e3 * sqrt(added), 1e3 * r1.link.xtalk_rms_v, 1e3 * r1.link.icn_v[0],
                1e3 * r1.link.icn_v[1]);
    cr_assert(eq(dbl, r0.link.xtalk_rms_v, 0.0));
    ls_assert_seeded(lt(dbl, fabs(added / pred - 1), 0.08), seed, "added %.5g V^2, predicted %.5g V^2", added, pred);
    /* the noise at the slicer is the crosstalk alone here */
    cr_assert(lt(dbl, fabs(r1.link.noise_rms_v / r1.link.xtalk_rms_v - 1), 1e-9));
    ls_run_result_free(&r0);
    ls_run_result_free(&r1);
}

Test(xtalk, fext_raises_the_monte_carlo_ber_as_the_statistical_analysis_predicts, .timeout = LS_TIMEOUT(90))
{
    /* MMSE FFE, no DFE, ideal CDR, no noise: ISI plus one analytic FEXT aggressor */
    const uint64_t seed = ls_test_seed(1);
    char ks[64];
    snprintf(ks, sizeof ks, "run.seed=%llu", (unsigned long long)seed);
    const char *k0[] = {"run.symbols=1e6", "run.threads=2", ks, NULL};
    const char *k1[] = {"run.symbols=1e6", "run.threads=2", "xtalk.fext_db=35", ks, NULL};
    ls_run_result r0, r1;
    run(quiet, k0, &r0);
    run(quiet, k1, &r1);
    ls_config *c = cfg(quiet, k1);
    char msg[512] = "";
    ls_status st;
    ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st);
    int ok = l != NULL;
    cr_assert(ok, "%s", msg);
    ls_stateye_result sr;
    cr_assert(eq(int, ls_link_stat(l, 1e-6, &sr), LS_OK));
    ls_link_destroy(l);
    ls_config_destroy(c);
    const ls_interval ci = ls_ci_clopper_pearson(r1.counts.bit_errors, r1.counts.bits, 0.95);
    cr_log_info("FEXT 35 dB at Nyquist (ICN %.3f mV, %.3f mV rms at the slicer): BER %.3g -> %.3g "
                "[%.3g, %.3g], "
                "statistical %.3g",
                1e3 * r1.link.icn_v[0], 1e3 * r1.link.xtalk_rms_v, r0.ber.ber, r1.ber.ber, ci.lo,
                ci.hi, sr.ber);
    ls_assert_seeded(gt(u64, r1.counts.bit_errors, 100 + 10 * r0.counts.bit_errors), seed, "errors %llu -> %llu",
                     (unsigned long long)r0.counts.bit_errors, (unsigned long long)r1.counts.bit_errors);
    const int inside = sr.ber >= ci.lo && sr.ber <= ci.hi;
    const double mc = r1.ber.ber;
    ls_assert_seeded(inside || fabs(log(sr.ber / mc)) < log(1.5), seed,
                     "statistical %.4g vs Monte Carlo %.4g [%.4g, %.4g]", sr.ber, mc, ci.lo, ci.hi);
    ls_run_result_free(&r0);
    ls_run_result_free(&r1);
}

static int same_results(const ls_run_result *a, const ls_run_result *b)
{
    unsigned ca, ra, cb, rb;
    const uint64_t *ha = ls_eye_histogram(a->eye_hist, &ca, &ra),
                   *hb = ls_eye_histogram(b->eye_hist, &cb, &rb);
    return a->counts.bit_errors == b->counts.bit_errors &&
           a->counts.symbol_errors == b->counts.symbol_errors && a->counts.bits == b->counts.bits &&
           ca == cb && ra == rb && !memcmp(ha, hb, (size_t)ca * ra * sizeof *ha);
}

Test(xtalk, link_results_do_not_depend_on_threads_or_chunks, .timeout = LS_TIMEOUT(60))
{
    /* 8 frames: two threads share them */
    static const char *const xt[] = {"run.symbols=43520",  "run.frame_symbols=5440",
                                     "xtalk.fext_db=28",   "xtalk.next_db=35",
                                     "xtalk.next_count=2", NULL};
    const char *k1[] = {"run.threads=1", NULL};
    const char *k2[] = {"run.threads=2", NULL};
    const char *k3[] = {"run.threads=2", "run.chunk_symbols=1000", NULL};
    const char *const *kv[] = {k1, k2, k3};
    ls_run_result res[3];
    for (int i = 0; i < 3; i++) {
        ls_config *c = cfg(quiet, xt);
        char msg[512] = "";
        for (const char *const *k = kv[i]; *k; k++)
            cr_assert(eq(int, ls_config_set_assignment(c, *k, msg, sizeof msg), LS_OK), "%s", msg);
        cr_assert(eq(int, ls_run(c, NULL, NULL, &res[i], msg, sizeof msg), LS_OK), "%s", msg);
        ls_config_destroy(c);
    }
    ls_run_result a = res[0], b = res[1], c = res[2];
    cr_assert(gt(u64, a.counts.bit_errors, 0), "the crosstalk should cause errors here");
    cr_assert(same_results(&a, &b), "1 vs 2 threads: %llu vs %llu errors",
              (unsigned long long)a.counts.bit_errors, (unsigned long long)b.counts.bit_errors);
    cr_assert(same_results(&a, &c), "chunks 4096 vs 1000: %llu vs %llu errors",
              (unsigned long long)a.counts.bit_errors, (unsigned long long)c.counts.bit_errors);
    ls_run_result_free(&a);
    ls_run_result_free(&b);
    ls_run_result_free(&c);
}

Test(xtalk, zero_coupling_changes_nothing, .timeout = LS_TIMEOUT(60))
{
    const char *k0[] = {"run.symbols=43520", "link.length_m=2.5", NULL};
    const char *k1[] = {
        "run.symbols=43520", "link.length_m=2.5", "xtalk.fext_db=0",    "xtalk.next_db=0",
        "xtalk.fext=",       "xtalk.next=",       "xtalk.fext_count=8", NULL};
    ls_run_result a, b;
    run(NULL, k0, &a);
    run(NULL, k1, &b);
    cr_assert(gt(u64, a.counts.bit_errors, 0), "pick a link with errors");
    cr_assert(same_results(&a, &b));
    cr_assert(eq(dbl, a.link.snr_eq_db, b.link.snr_eq_db));
    cr_assert(eq(dbl, b.link.icn_v[0], 0.0));
    cr_assert(eq(dbl, b.link.icn_v[1], 0.0));
    ls_run_result_free(&a);
    ls_run_result_free(&b);
}

/* A 4-port FEXT file: S31 = S13 = S42 = S24 = a e^{-j 2 pi f tau} (1 -> 3 and 2 -> 4 the coupled
   pairs), everything else 1e-6: SDD21 = a e^{-j 2 pi f tau}. */
static void write_fext_s4p(const char *path, double a)
{
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL);
    fprintf(f, "! synthetic FEXT: flat %g coupling, 0.3 ns delay\n# GHz S RI R 50\n", a);
    for (int k = 0; k <= 2400; k++) {
        const double fg = 0.1 * k;
        const double complex c = a * cexp(-2.0 * M_PI * I * fg * 0.3);
        fprintf(f, "%.4f", fg);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) {
                const int coupled = (i == 2 && j == 0) || (i == 0 && j == 2) ||
                                    (i == 3 && j == 1) || (i == 1 && j == 3);
                const double complex s = coupled ? c : 1e-6;
                fprintf(f, " %.9e %.9e", creal(s), cimag(s));
            }
        fputc('\n', f);
    }
    fclose(f);
}

Test(xtalk, a_touchstone_fext_aggressor_has_the_icn_of_its_sdd21, .timeout = LS_TIMEOUT(60))
{
    char path[256], kv_file[300];
    snprintf(path, sizeof path, "/tmp/ls_xtalk_fext_%d.s4p", (int)getpid());
    write_fext_s4p(path, 0.01);
    snprintf(kv_file, sizeof kv_file, "xtalk.fext=%s", path);
    const char *kv[] = {"run.symbols=21760", kv_file, NULL};
    ls_run_result r;
    run(quiet, kv, &r);
    unlink(path);
    /* the ICN is taken on the file's SDD21 (packages are in the path but not in the ICN) */
    double a = 0.01, ref;
    ls_block flat = {&flat_ops, &a};
    const ls_block *fl[] = {&flat};
    ls_icn_config ic;
    ls_icn_config_init(&ic, r.link.baud);
    cr_assert(eq(int, ls_xtalk_icn(&ic, 0.826 / 2, fl, 1, &ref), LS_OK));
    cr_log_info("Touchstone FEXT (flat -40 dB): ICN %.4f mV (expected %.4f), %.4f mV rms at the "
                "slicer, BER %.3g",
                1e3 * r.link.icn_v[0], 1e3 * ref, 1e3 * r.link.xtalk_rms_v, r.ber.ber);
    cr_assert(lt(dbl, fabs(r.link.icn_v[0] / ref - 1), 1e-3), "ICN %.6g vs %.6g V", r.link.icn_v[0],
              ref);
    cr_assert(eq(dbl, r.link.icn_v[1], 0.0));
    cr_assert(gt(dbl, r.link.xtalk_rms_v, 1e-4));
    ls_run_result_free(&r);
}

static void expect_reject(const char *const *kv, const char *key)
{
    char msg[512] = "";
    ls_status st;
    ls_config *c = ls_config_create("copper", msg, sizeof msg, &st);
    cr_assert(c != NULL);
    for (; *kv; kv++)
        if (ls_config_set_assignment(c, *kv, msg, sizeof msg) != LS_OK) {
            cr_assert(ls_has(msg, key), "'%s' rejected without naming %s: %s", *kv, key, msg);
            ls_config_destroy(c);
            return;
        }
    ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st);
    ls_config_destroy(c);
    cr_assert(l == NULL, "accepted, expected a complaint about %s", key);
    cr_assert(st == LS_EINVAL || st == LS_EIO, "status %d", (int)st);
    cr_assert(ls_has(msg, key), "message does not name %s: %s", key, msg);
}

Test(xtalk, bad_crosstalk_keys_are_rejected_with_the_key_named)
{
    expect_reject((const char *[]){"xtalk.fext_db=-3", NULL}, "xtalk.fext_db");
    expect_reject((const char *[]){"xtalk.next_vpp=0", NULL}, "xtalk.next_vpp");
    expect_reject((const char *[]){"xtalk.next_count=9", NULL}, "xtalk.next_count");
    expect_reject((const char *[]){"ctle.auto=false", "xtalk.fext=/nonexistent/fext.s4p", NULL},
                  "xtalk.fext");
    expect_reject((const char *[]){"ctle.auto=false", "xtalk.next=a.s4p,,b.s4p", NULL},
                  "xtalk.next");
    expect_reject(
        (const char *[]){"ctle.auto=false",
                         "xtalk.fext=1.s4p,2.s4p,3.s4p,4.s4p,5.s4p,6.s4p,7.s4p,8.s4p,9.s4p", NULL},
        "xtalk.fext");
    expect_reject((const char *[]){"ctle.auto=false", "xtalk.fext=1.s4p,2.s4p,3.s4p,4.s4p,5.s4p",
                                   "xtalk.next_db=40", "xtalk.next_count=4", NULL},
                  "xtalk.next_count");
    expect_reject(
        (const char *[]){"ctle.auto=false", "xtalk.fext=x.s4p", "xtalk.ports=1,2,3", NULL},
        "xtalk.ports");
}

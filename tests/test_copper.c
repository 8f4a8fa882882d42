/*
 * The copper preset: channel loss against its documented range, BER and equalized SNR worsening
 * with cable length and with lane rate, the CTLE search following the loss, a real 802.3ck cable
 * assembly (Touchstone) through the full SerDes, and the channel command.
 */
#include <cjson/cJSON.h>
#include <complex.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lanesim/link.h"
#include "lanesim/run.h"
#include "lanesim/stats.h"
#include "util.h"

static ls_config *cfg(const char *const *kv)
{
    char msg[512];
    ls_status st;
    ls_config *c = ls_config_create("copper", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    for (; kv && *kv; kv++)
        cr_assert(eq(int, ls_config_set_assignment(c, *kv, msg, sizeof msg), LS_OK), "%s: %s", *kv, msg);
    return c;
}

static double il_db(const char *const *kv, double f)
{
    ls_config *c = cfg(kv);
    double complex s21, s11;
    double d;
    char msg[256];
    cr_assert(eq(int, ls_channel_sparams(c, &f, 1, &s21, &s11, &d, msg, sizeof msg), LS_OK), "%s", msg);
    ls_config_destroy(c);
    return -20 * log10(cabs(s21));
}

Test(copper, channel_loss_grows_with_length_and_gauge)
{
    double prev = 0;
    static const char *const len[] = { "link.length_m=0.5", "link.length_m=1", "link.length_m=2", "link.length_m=3" };
    for (int i = 0; i < 4; i++) {
        const char *kv[] = { len[i], NULL };
        double il = il_db(kv, 26.5625e9);
        cr_assert(gt(dbl, il, prev), "%s: IL %.2f dB not above %.2f", len[i], il, prev);
        prev = il;
    }
    /* the 2 m, 26 AWG assembly with 60 mm host traces and 12 mm packages: docs/channels.md gives ~23 dB */
    const char *two[] = { "link.length_m=2", NULL };
    double il2 = il_db(two, 26.5625e9);
    cr_assert(il2 > 18 && il2 < 28, "2 m channel IL %.2f dB at 26.56 GHz", il2);
    static const char *const awg[] = { "cable.awg=26", "cable.awg=28", "cable.awg=30", "cable.awg=34" };
    prev = 0;
    for (int i = 0; i < 4; i++) {
        const char *kv[] = { awg[i], NULL };
        double il = il_db(kv, 53.125e9);
        cr_assert(gt(dbl, il, prev), "%s", awg[i]);
        prev = il;
    }
}

static const ls_link_info *info_of(ls_link **l, const char *const *kv)
{
    ls_config *c = cfg(kv);
    char msg[512];
    ls_status st;
    *l = ls_link_create(c, 64, msg, sizeof msg, &st);
    int ok = *l != NULL;
    cr_assert(ok, "%s", msg);
    ls_config_destroy(c);
    return ls_link_get_info(*l);
}

Test(copper, equalized_snr_falls_and_ctle_gain_rises_with_length, .timeout = LS_TIMEOUT(120))
{
    static const char *const len[] = { "link.length_m=0.5", "link.length_m=1", "link.length_m=2", "link.length_m=3" };
    double prev_snr = INFINITY, prev_g = 1;
    for (int i = 0; i < 4; i++) {
        const char *kv[] = { len[i], "link.sps=16", NULL };
        ls_link *l;
        const ls_link_info *in = info_of(&l, kv);
        cr_assert(lt(dbl, in->snr_eq_db, prev_snr), "%s: SNR %.2f dB", len[i], in->snr_eq_db);
        cr_assert(le(dbl, in->ctle_gdc_db, prev_g), "%s: g_DC %g after %g", len[i], in->ctle_gdc_db, prev_g);
        prev_snr = in->snr_eq_db;
        prev_g = in->ctle_gdc_db;
        ls_link_destroy(l);
    }
}

Test(copper, equalized_snr_falls_with_lane_rate, .timeout = LS_TIMEOUT(120))
{
    static const char *const rate[] = { "link.rate_gbps=53.125", "link.rate_gbps=106.25", "link.rate_gbps=212.5",
                                        "link.rate_gbps=425" };
    double prev = INFINITY;
    for (int i = 0; i < 4; i++) {
        const char *kv[] = { rate[i], "link.sps=16", NULL };
        ls_link *l;
        const ls_link_info *in = info_of(&l, kv);
        cr_assert(lt(dbl, in->snr_eq_db, prev), "%s: SNR %.2f dB after %.2f", rate[i], in->snr_eq_db, prev);
        prev = in->snr_eq_db;
        ls_link_destroy(l);
    }
}

static double ber_at(const char *length)
{
    const char *kv[] = { length, "link.sps=16", "run.symbols=261120", "run.threads=2", NULL };
    ls_config *c = cfg(kv);
    ls_run_result r;
    char msg[512] = "";
    cr_assert(eq(int, ls_run(c, NULL, NULL, &r, msg, sizeof msg), LS_OK), "%s", msg);
    double b = (r.counts.bit_errors + 0.5) / (double)r.counts.bits;
    ls_run_result_free(&r);
    ls_config_destroy(c);
    return b;
}

Test(copper, monte_carlo_ber_worsens_with_cable_length, .timeout = LS_TIMEOUT(180))
{
    double b1 = ber_at("link.length_m=1.5"), b2 = ber_at("link.length_m=2.25"), b3 = ber_at("link.length_m=3");
    cr_assert(b1 < b2 && b2 < b3, "BER %.3g, %.3g, %.3g at 1.5, 2.25, 3 m", b1, b2, b3);
    cr_assert(gt(dbl, b3, 1e-3), "3 m should be beyond reach at 212.5 Gb/s (BER %.3g)", b3);
}

Test(copper, a_real_802_3ck_cable_assembly_runs_through_the_serdes, .timeout = LS_TIMEOUT(120))
{
    const char *dir = ls_test_shared_dir();
    if (!dir)
        cr_skip_test("../shared not present");
    char path[1024], ts[1100];
    snprintf(path, sizeof path, "%s/channels/ieee3ck_mellitz_CA_19p75dB_thru.s4p", dir);
    if (!ls_test_file_exists(path))
        cr_skip_test("%s not present", path);
    snprintf(ts, sizeof ts, "channel.touchstone=%s", path);
    /* 100G/lane: 106.25 Gb/s PAM4 over the 2 m CR cable assembly (19.74 dB at 26.56 GHz) */
    const char *kv[] = { "channel.type=touchstone", ts, "link.rate_gbps=106.25", "link.sps=16", "run.symbols=130560",
                         NULL };
    ls_config *c = cfg(kv);
    ls_run_result r;
    char msg[512] = "";
    cr_assert(eq(int, ls_run(c, NULL, NULL, &r, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(gt(dbl, r.link.snr_eq_db, 18.0), "equalized SNR %.2f dB", r.link.snr_eq_db);
    cr_assert(lt(dbl, r.ber.ber, 2.4e-4), "BER %.3g", r.ber.ber);
    ls_run_result_free(&r);
    /* at 212.5 Gb/s the same file is used beyond its validity (README: sensible to 53 GHz) and loses more */
    ls_config_destroy(c);
}

Test(copper, channel_command_reports_a_preset_and_rejects_bad_keys)
{
    char out[8192], cmd[512], js[64];
    snprintf(js, sizeof js, "/tmp/ls_copper_ch_%d.json", (int)getpid());
    snprintf(cmd, sizeof cmd, "%s channel copper -s link.length_m=2 --at 26.5625 --json %s", LS_CLI_PATH, js);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    cr_assert(ls_has(out, "IL (dB)"));
    FILE *f = fopen(js, "r");
    cr_assert(f != NULL);
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    unlink(js);
    cJSON *j = cJSON_Parse(text);
    cr_assert(j != NULL);
    cJSON *p0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "points"), 0);
    cr_assert(epsilon_eq(dbl, cJSON_GetObjectItem(p0, "freq_hz")->valuedouble, 26.5625e9, 1));
    cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(j, "delay_s")));
    cJSON_Delete(j);
    snprintf(cmd, sizeof cmd, "%s channel copper -s cable.awg=27", LS_CLI_PATH);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 2));
    cr_assert(ls_has(out, "cable.awg"), "%s", out);
}

/* Statistical analysis against Monte Carlo on the same link: three cable lengths with BER 1e-5 .. 1e-3. */
static void stat_vs_mc(const char *length, double *stat, ls_interval *ci, uint64_t *errs, const char *extra1,
                       const char *extra2)
{
    const char *kv[] = { length, "link.sps=16", "run.symbols=1e6", "run.threads=2", extra1, extra2, NULL };
    ls_config *c = cfg(kv);
    char msg[512] = "";
    ls_status st;
    ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st);
    int ok = l != NULL;
    cr_assert(ok, "%s", msg);
    ls_stateye_result sr;
    cr_assert(eq(int, ls_link_stat(l, 1e-6, &sr), LS_OK));
    ls_link_destroy(l);
    ls_run_result r;
    cr_assert(eq(int, ls_run(c, NULL, NULL, &r, msg, sizeof msg), LS_OK), "%s", msg);
    *stat = sr.ber;
    *ci = ls_ci_clopper_pearson(r.counts.bit_errors, r.counts.bits, 0.95);
    *errs = r.counts.bit_errors;
    ls_run_result_free(&r);
    ls_config_destroy(c);
}

Test(copper, statistical_ser_lies_in_the_monte_carlo_interval, .timeout = LS_TIMEOUT(240))
{
    /* FFE-only receiver, ideal CDR, no TX jitter: both methods model the same physics
       (TX noise, RX noise, ADC as noise, ISI); docs/statistical.md lists what only Monte Carlo sees.
       Compared on symbols, whose errors are independent here (no DFE), with a 99.9 % interval per
       length: bit errors come in pairs (a two-level error costs two bits), so a binomial interval on
       bits is too narrow, and three 95 % intervals fail one seed in seven on a correct model. The
       statistical side takes the ADC's quantization and ENOB noise as Gaussian (a uniform part has
       lighter tails): measured +6 % on SER at 2 m (1.62e-3 vs 1.53e-3 in 2e6 symbols), 0.7x with the
       ADC off; the interval is widened by that stated model tolerance, 10 %, and no more */
    static const char *const len[] = { "link.length_m=1.5", "link.length_m=1.75", "link.length_m=2" };
    for (int i = 0; i < 3; i++) {
        double s;
        ls_interval ci;
        uint64_t e;
        const char *k2[] = { len[i], "link.sps=16", "run.symbols=1e6", "run.threads=2", "dfe.taps=0", "cdr.type=ideal",
                             "jitter.rj_ui=0", "jitter.dj_ui=0", NULL };
        ls_config *c = cfg(k2);
        char msg[512] = "";
        ls_status st;
        ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st);
        int ok = l != NULL;
        cr_assert(ok, "%s", msg);
        ls_stateye_result sr;
        cr_assert(eq(int, ls_link_stat(l, 1e-6, &sr), LS_OK));
        ls_link_destroy(l);
        ls_run_result r;
        cr_assert(eq(int, ls_run(c, NULL, NULL, &r, msg, sizeof msg), LS_OK), "%s", msg);
        s = sr.ser;
        ci = ls_ci_clopper_pearson(r.counts.symbol_errors, r.counts.symbols, 0.999);
        e = r.counts.symbol_errors;
        ls_run_result_free(&r);
        ls_config_destroy(c);
        cr_assert(ge(u64, e, 10), "%s: too few errors (%llu) to compare", len[i], (unsigned long long)e);
        int inside = s >= ci.lo / 1.1 && s <= ci.hi * 1.1;
        cr_assert(inside, "%s: statistical SER %.4g outside the Monte Carlo 99.9 %% interval (+-10 %%) [%.4g, %.4g]", len[i], s, ci.lo,
                  ci.hi);
    }
}

Test(copper, monte_carlo_shows_what_the_statistical_method_cannot, .timeout = LS_TIMEOUT(240))
{
    double s, s_nodfe;
    ls_interval ci, ci_nodfe;
    uint64_t e;
    /* default receiver (1-tap DFE, MM CDR, TX jitter): DFE error propagation, modelled by the Markov chain */
    stat_vs_mc("link.length_m=2", &s, &ci, &e, "run.seed=3", "run.seed=3");
    double mc_dfe = 0.5 * (ci.lo + ci.hi); /* now modelled (tests/test_stat_mc.c): within a factor 2 */
    cr_assert(lt(dbl, fabs(log(s / mc_dfe)), log(2.0)), "with a DFE: statistical %.3g vs Monte Carlo %.3g", s, mc_dfe);
    /* without the DFE the two stay within a factor 1.5 with TX jitter and the CDR in place */
    stat_vs_mc("link.length_m=2", &s_nodfe, &ci_nodfe, &e, "dfe.taps=0", "run.seed=3");
    double mc = 0.5 * (ci_nodfe.lo + ci_nodfe.hi);
    cr_assert(lt(dbl, fabs(log(s_nodfe / mc)), log(1.5)), "statistical %.3g vs Monte Carlo %.3g", s_nodfe, mc);
}

Test(copper, statistical_analysis_is_fast)
{
    const char *kv[] = { "link.length_m=2", NULL };
    ls_config *c = cfg(kv);
    char msg[512];
    ls_status st;
    ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st);
    int ok = l != NULL;
    cr_assert(ok, "%s", msg);
    struct timespec a, b;
    ls_stateye_result sr;
    clock_gettime(CLOCK_MONOTONIC, &a);
    cr_assert(eq(int, ls_link_stat(l, 1e-12, &sr), LS_OK));
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) * 1e-6;
    /* a loose bound (sanitizer builds are slow); bench/bench_stateye measures it */
    cr_assert(lt(dbl, ms, 2000), "%.1f ms", ms);
    cr_assert(gt(dbl, sr.ber, 0));
    ls_link_destroy(l);
    ls_config_destroy(c);
}

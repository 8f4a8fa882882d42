/* Reach search: a synthetic link with a closed-form BER versus length, monotonicity and range flags, the CLI. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lanesim/reach.h"
#include "lanesim/stats.h"
#include "util.h"

static ls_config *flat(const char *const *kv)
{
    char msg[512];
    ls_status st;
    ls_config *c = ls_config_create("flat", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    for (; kv && *kv; kv++)
        cr_assert(eq(int, ls_config_set_assignment(c, *kv, msg, sizeof msg), LS_OK), "%s: %s", *kv, msg);
    return c;
}

/* SNR(L) = Es 10^(-a L / 10) / sigma^2 with Es = (swing/2)^2 E[v^2] and sigma^2 = eta0 fs / 2: L* from the PAM4 SNR
   the target needs (BER = SER / 2, Gray). */
static double closed_form_reach(double a_db_m, double target_ber)
{
    double es = 0.4 * 0.4 * 5.0 / 9.0, sigma2 = 1.7e-6 * 1e-9 * 0.5 * 106.25e9;
    return (10 * log10(es / sigma2) - ls_pam_snr_for_ser(4, 2 * target_ber)) / a_db_m;
}

Test(reach, finds_the_closed_form_reach_to_one_percent, .timeout = LS_TIMEOUT(60))
{
    static const double loss[] = { 2.0, 5.0 };
    static const double target[] = { 2.4e-4, 1e-6 };
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 2; k++) {
            char a[64];
            snprintf(a, sizeof a, "flat.loss_db_per_m=%g", loss[i]);
            const char *kv[] = { a, NULL };
            ls_config *c = flat(kv);
            ls_reach_options o;
            ls_reach_options_init(&o);
            o.target_value = target[k];
            o.confirm = 0; /* the statistical search against its closed form */
            ls_reach_result r;
            char msg[256] = "";
            cr_assert(eq(int, ls_reach(c, &o, &r, msg, sizeof msg), LS_OK), "%s", msg);
            double want = closed_form_reach(loss[i], target[k]);
            cr_assert(lt(dbl, fabs(r.reach_m / want - 1), 0.01), "loss %g, target %g: reach %.4f m, closed form %.4f m",
                      loss[i], target[k], r.reach_m, want);
            cr_assert(le(dbl, r.ber_at_reach, target[k]));
            cr_assert(eq(int, r.nonmonotonic, 0));
            cr_assert(lt(dbl, fabs(r.margin_db), 0.1), "a Gaussian link has no margin at its reach: %.3f dB", r.margin_db);
            cr_assert(lt(dbl, fabs(r.penalty_db), 0.05), "a Gaussian link has no penalty: %.3f dB", r.penalty_db);
            cr_assert(eq(int, r.check, LS_REACH_UNCONFIRMED));
            cr_assert(eq(str, (char *)r.limited_by, "noise"));
            ls_config_destroy(c);
        }
}

/* Every recorded evaluation is the closed-form BER at its length (SNR falls a L dB: BER = SER/2 of PAM4 at SNR0 - a L),
   the grid comes first on a log scale, and the reach is the longest recorded length that passes. */
Test(reach, records_each_evaluation_with_its_ber, .timeout = LS_TIMEOUT(60))
{
    const char *kv[] = { "flat.loss_db_per_m=5", NULL };
    ls_config *c = flat(kv);
    ls_reach_options o;
    ls_reach_options_init(&o);
    o.confirm = 0;
    ls_reach_result r;
    char msg[256] = "";
    cr_assert(eq(int, ls_reach(c, &o, &r, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(gt(u32, r.evaluations, o.grid));
    cr_assert(le(u32, r.evaluations, LS_REACH_MAX_EVALS));
    double es = 0.4 * 0.4 * 5.0 / 9.0, sigma2 = 1.7e-6 * 1e-9 * 0.5 * 106.25e9, best = 0;
    for (unsigned i = 0; i < r.evaluations; i++) {
        double len = r.eval_length_m[i], ber = r.eval_metric[i];
        if (i < o.grid)
            cr_assert(ieee_ulp_eq(dbl, len, 0.05 * pow(200.0, (double)i / (o.grid - 1)), 64), "grid point %u: %g m", i, len);
        double snr_db = 10 * log10(es / sigma2) - 5.0 * len;
        double want = 0.5 * ls_pam_ser_awgn(4, snr_db);
        /* the statistical BER counts a two-level error as two bits (Gray), which SER/2 does not: 2.2 % more at
           BER 0.15, 30 % at 0.3, nothing below 1e-2 */
        if (want > 1e-300 && want < 1e-2)
            cr_assert(lt(dbl, fabs(ber / want - 1), 0.02), "%.4g m: BER %.4e, closed form %.4e", len, ber, want);
        else if (want >= 1e-2)
            cr_assert(ge(dbl, ber, want * 0.98), "%.4g m: BER %.4e, closed form %.4e", len, ber, want);
        if (ber <= o.target_value && len > best)
            best = len;
    }
    cr_assert(eq(dbl, best, r.reach_m));
    ls_config_destroy(c);
}

Test(reach, reports_when_the_range_does_not_bracket_the_reach)
{
    const char *lossy[] = { "flat.loss_db_per_m=500", NULL }; /* closed-form reach 0.025 m < 0.05 m */
    ls_config *c = flat(lossy);
    ls_reach_options o;
    ls_reach_options_init(&o);
    ls_reach_result r;
    char msg[256];
    cr_assert(eq(int, ls_reach(c, &o, &r, msg, sizeof msg), LS_OK));
    cr_assert(r.below_range && r.reach_m == 0);
    ls_config_destroy(c);
    const char *clean[] = { "flat.loss_db_per_m=0.1", NULL };
    c = flat(clean);
    cr_assert(eq(int, ls_reach(c, &o, &r, msg, sizeof msg), LS_OK));
    cr_assert(r.above_range && r.reach_m == 10);
    ls_config_destroy(c);
    /* a preset without link.length_m */
    ls_status st;
    c = ls_config_create("awgn", msg, sizeof msg, &st);
    cr_assert(eq(int, ls_reach(c, &o, &r, msg, sizeof msg), LS_EINVAL));
    cr_assert(ls_has(msg, "link.length_m"), "%s", msg);
    ls_config_destroy(c);
}

static cJSON *read_json(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert(f != NULL, "%s", path);
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    unlink(path);
    cJSON *j = cJSON_Parse(text);
    cr_assert(j != NULL);
    return j;
}

Test(reach, cli_writes_the_json_contract, .timeout = LS_TIMEOUT(60))
{
    char js[64], cmd[512], out[8192];
    snprintf(js, sizeof js, "/tmp/ls_reach_%d.json", (int)getpid());
    snprintf(cmd, sizeof cmd, "%s reach flat -s run.symbols=2e5 --json %s", LS_CLI_PATH, js);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    cJSON *j = read_json(js);
    static const char *const keys[] = { "reach_m", "stat_reach_m", "ber_at_reach", "evaluations", "margin_db",
                                        "penalty_db" };
    for (int i = 0; i < 6; i++)
        cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(j, keys[i])), "%s", keys[i]);
    cr_assert(cJSON_IsString(cJSON_GetObjectItem(j, "limited_by")));
    cr_assert(cJSON_IsObject(cJSON_GetObjectItem(j, "target")));
    cr_assert(cJSON_GetObjectItem(j, "com_db") == NULL, "com_db only with the COM target");
    /* the Monte Carlo check ran, and its run at the reach meets the target (upper 95 % bound) */
    const char *check = cJSON_GetStringValue(cJSON_GetObjectItem(j, "check"));
    cr_assert(check && (!strcmp(check, "confirmed") || !strcmp(check, "mc-limited")), "check %s", check ? check : "-");
    cJSON *mc = cJSON_GetObjectItem(j, "mc");
    double hi = cJSON_GetArrayItem(cJSON_GetObjectItem(mc, "ber_ci95"), 1)->valuedouble;
    cr_assert(le(dbl, hi, 2.4e-4), "Monte Carlo upper bound %.3g at the reach", hi);
    cJSON_Delete(j);
    snprintf(cmd, sizeof cmd, "%s reach flat --target rx-com --mode mc", LS_CLI_PATH);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 2));
    cr_assert(ls_has(out, "--mode stat"), "%s", out);
    snprintf(cmd, sizeof cmd, "%s reach flat --target nosuch", LS_CLI_PATH);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 2));
    snprintf(cmd, sizeof cmd, "%s reach awgn", LS_CLI_PATH);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 2));
    cr_assert(ls_has(out, "link.length_m"), "%s", out);
}

/* Every reach confirmed (results issue, symptom 3): the reach that `lanesim reach` states is one its
   own Monte Carlo does not refute. An independent `lanesim run` at the stated length (the same seed
   and symbol rule) must have the upper end of its 95 % interval at or below the target. Before the
   check, copper at 212.5 Gb/s (sps 8) stated its statistical 2.17 m, where Monte Carlo measures 1.1e-3 (the
   DFE's error propagation is not in the statistical analysis). With --no-confirm the statistical
   figure comes back, flagged. */
Test(reach, the_stated_reach_is_not_refuted_by_monte_carlo, .timeout = LS_TIMEOUT(120))
{
    char js[64], cmd[768], out[16384];
    snprintf(js, sizeof js, "/tmp/ls_reach_mc_%d.json", (int)getpid());
    snprintf(cmd, sizeof cmd, "%s reach copper -s link.sps=8 --json %s", LS_CLI_PATH, js);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    cJSON *j = read_json(js);
    double reach = cJSON_GetObjectItem(j, "reach_m")->valuedouble;
    double stat = cJSON_GetObjectItem(j, "stat_reach_m")->valuedouble;
    const char *check = cJSON_GetStringValue(cJSON_GetObjectItem(j, "check"));
    cr_assert(check != NULL);
    cr_assert(le(dbl, reach, stat));
    cr_assert(strcmp(check, "mc-limited") || reach < stat, "mc-limited with the statistical length");
    cJSON_Delete(j);
    snprintf(cmd, sizeof cmd, "%s run copper -s link.sps=8 -s link.length_m=%.9g -s run.decide_ber=2.4e-4 "
             "--json %s", LS_CLI_PATH, reach, js);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    j = read_json(js);
    double hi = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "ber_ci95"), 1)->valuedouble;
    cr_assert(le(dbl, hi, 2.4e-4), "Monte Carlo at the stated reach %.4g m: upper bound %.3g > target", reach, hi);
    cJSON_Delete(j);
    /* --no-confirm: the statistical reach, flagged unconfirmed in the table and the JSON */
    snprintf(cmd, sizeof cmd, "%s reach copper -s link.sps=8 --no-confirm --json %s", LS_CLI_PATH, js);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    cr_assert(ls_has(out, "UNCONFIRMED"), "%s", out);
    j = read_json(js);
    cr_assert(eq(str, cJSON_GetStringValue(cJSON_GetObjectItem(j, "check")), "unconfirmed"));
    cr_assert(eq(dbl, cJSON_GetObjectItem(j, "reach_m")->valuedouble, stat));
    cJSON_Delete(j);
}

/* Honest fields (results issue, symptom 5): COM in com_db, not clamped at 0 when the eye is closed, and
   the margin signed: COM minus the target. */
Test(reach, com_target_reports_com_db_and_a_signed_margin, .timeout = LS_TIMEOUT(60))
{
    char js[64], cmd[512], out[8192];
    snprintf(js, sizeof js, "/tmp/ls_reach_com_%d.json", (int)getpid());
    /* the whole range passes (COM above 3 dB at 10 m): the margin is COM(10 m) - 3 dB, not 0 */
    snprintf(cmd, sizeof cmd, "%s reach flat -s flat.loss_db_per_m=0.1 --target rx-com --json %s", LS_CLI_PATH, js);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    cJSON *j = read_json(js);
    cJSON *com = cJSON_GetObjectItem(j, "com_db");
    cr_assert(cJSON_IsNumber(com), "no com_db");
    cr_assert(gt(dbl, com->valuedouble, 3.5), "COM %.3f dB", com->valuedouble);
    cr_assert(lt(dbl, fabs(cJSON_GetObjectItem(j, "margin_db")->valuedouble - (com->valuedouble - 3.0)), 1e-9));
    cr_assert(lt(dbl, cJSON_GetObjectItem(j, "ber_at_reach")->valuedouble, 1e-3), "ber_at_reach holds a BER");
    cJSON_Delete(j);
    /* even 0.05 m fails: the eye is closed at the COM's probability, so COM and the margin are negative */
    snprintf(cmd, sizeof cmd, "%s reach flat -s flat.loss_db_per_m=500 --target rx-com --json %s", LS_CLI_PATH, js);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    j = read_json(js);
    double c = cJSON_GetObjectItem(j, "com_db")->valuedouble;
    cr_assert(lt(dbl, c, 0.0), "a closed eye's COM is negative, got %.3f dB", c);
    cr_assert(lt(dbl, fabs(cJSON_GetObjectItem(j, "margin_db")->valuedouble - (c - 3.0)), 1e-9));
    cJSON_Delete(j);
}

/* 200g-sr's reach (statistical) with its key overrides kv, searched on [lo, hi] m; *why its limited_by. */
static double sr_reach(const char *const *kv, double lo, double hi, const char **why)
{
    char msg[512] = "";
    ls_status st;
    ls_config *c = ls_config_create("200g-sr", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    for (; kv && *kv; kv++)
        cr_assert(eq(int, ls_config_set_assignment(c, *kv, msg, sizeof msg), LS_OK), "%s: %s", *kv, msg);
    ls_reach_options o;
    ls_reach_options_init(&o);
    o.confirm = 0;
    o.min_m = lo;
    o.max_m = hi;
    o.rel_tol = 0.02;
    ls_reach_result r;
    cr_assert(eq(int, ls_reach(c, &o, &r, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(int, r.below_range + r.above_range, 0), "[%g, %g] m does not bracket the reach %g m", lo, hi, r.reach_m);
    *why = r.limited_by;
    ls_config_destroy(c);
    return r.reach_m;
}

/* A VCSEL over OM4 is not limited by its power budget (0.15 dB of fibre at 50 m): the attribution names the term
   whose growth with length sets the reach, and removing that term (a second method: a new reach search) must
   lengthen the reach more than removing the others. */
Test(reach, multimode_reach_names_mpn_or_modal_bandwidth, .timeout = LS_TIMEOUT(120))
{
    const char *why = NULL, *w2 = NULL;
    const char *def[] = { NULL }, *no_mpn[] = { "mmf.mpn_k=0", NULL }, *no_rin[] = { "laser.rin=false", NULL };
    double r0 = sr_reach(def, 30, 80, &why);
    cr_assert(eq(str, (char *)why, "mpn"), "200g-sr at %.1f m: limited by %s", r0, why);
    double r_mpn = sr_reach(no_mpn, 30, 200, &w2), r_rin = sr_reach(no_rin, 30, 80, &w2);
    cr_assert(gt(dbl, r_mpn, 1.5 * r0), "without MPN %.1f m vs %.1f m", r_mpn, r0);
    cr_assert(lt(dbl, r_rin, 1.15 * r0), "without RIN %.1f m vs %.1f m", r_rin, r0);
    /* a low-EMB fibre without MPN: the equalizer's noise enhancement grows with length */
    const char *low[] = { "mmf.mpn_k=0", "mmf.emb_mhz_km=1500", NULL };
    const char *low_wide[] = { "mmf.mpn_k=0", "mmf.emb_mhz_km=6000", NULL };
    double r_low = sr_reach(low, 15, 60, &why);
    cr_assert(eq(str, (char *)why, "modal bandwidth"), "EMB 1500 at %.1f m: limited by %s", r_low, why);
    double r_wide = sr_reach(low_wide, 15, 200, &w2);
    cr_assert(gt(dbl, r_wide, 2.0 * r_low), "EMB 6000: %.1f m vs 1500: %.1f m", r_wide, r_low);
}

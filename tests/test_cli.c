/*
 * The lanesim command: help, version, exit codes, JSON and CSV contents, and bad input (one line,
 * exit 2, no output file left behind).
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static char out[1 << 16];

static int cli(const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s %s", LS_CLI_PATH, args);
    return ls_test_run(cmd, out, sizeof out);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void tmpname(char *buf, size_t cap, const char *tag)
{
    snprintf(buf, cap, "/tmp/ls_cli_%s_%d", tag, (int)getpid());
}

Test(cli, help_and_version)
{
    cr_assert(eq(int, cli("--help"), 0));
    cr_assert(ls_has(out, "usage: lanesim"));
    cr_assert(eq(int, cli("--version"), 0));
    cr_assert(ls_has(out, "lanesim 0."));
    cr_assert(eq(int, cli("run --help"), 0));
    cr_assert(ls_has(out, "--max-errors"));
    cr_assert(eq(int, cli(""), 2));
    cr_assert(eq(int, cli("frobnicate"), 2));
    cr_assert(ls_has(out, "unknown command 'frobnicate'"));
}

/* `study --help` prints its usage and runs nothing (it once went on to the "LPO vs host loss" curve and failed
   writing study/lpo_vs_host_loss.csv). */
Test(cli, study_help_runs_nothing)
{
    char d[256], sub[300], cmd[1024];
    tmpname(d, sizeof d, "studyhelp");
    cr_assert(eq(int, mkdir(d, 0755), 0));
    snprintf(cmd, sizeof cmd, "cd %s && %s study --help", d, LS_CLI_PATH);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    cr_assert(ls_has(out, "usage: lanesim study"));
    cr_assert(eq(int, ls_has(out, "cannot write"), 0), "%s", out);
    struct stat sb;
    snprintf(sub, sizeof sub, "%s/study", d);
    cr_assert(stat(sub, &sb) != 0, "study --help created %s", sub);
    rmdir(d);
}

Test(cli, presets_lists_keys_with_defaults_and_units)
{
    cr_assert(eq(int, cli("presets"), 0));
    cr_assert(ls_has(out, "awgn"));
    cr_assert(eq(int, cli("presets awgn"), 0));
    cr_assert(ls_has(out, "link.rate_gbps"));
    cr_assert(ls_has(out, "212.5"));
    cr_assert(ls_has(out, "Gb/s"));
    cr_assert(ls_has(out, "noise.snr_db"));
    cr_assert(eq(int, cli("presets nosuch"), 2));
}

Test(cli, run_writes_json_and_csv_with_the_contract_keys, .timeout = LS_TIMEOUT(60))
{
    char js[128], cs[128], ey[128];
    tmpname(js, sizeof js, "json");
    tmpname(cs, sizeof cs, "csv");
    tmpname(ey, sizeof ey, "eye");
    char args[1024];
    snprintf(args, sizeof args, "run awgn --symbols 3e5 --seed 5 -s noise.snr_db=16 --json %s --csv %s --dump eye=%s",
             js, cs, ey);
    cr_assert(eq(int, cli(args), 0), "%s", out);
    cr_assert(ls_has(out, "BER"));
    FILE *f = fopen(js, "r");
    cr_assert(f != NULL);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    cJSON *j = cJSON_Parse(text);
    cr_assert(j != NULL, "JSON does not parse");
    static const char *const num[] = { "ber", "ser", "bits", "bit_errors", "symbols", "symbol_errors", "seed" };
    for (size_t i = 0; i < sizeof num / sizeof num[0]; i++)
        cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(j, num[i])), "key %s", num[i]);
    cr_assert(eq(dbl, cJSON_GetObjectItem(j, "seed")->valuedouble, 5));
    cr_assert(eq(dbl, cJSON_GetObjectItem(j, "symbols")->valuedouble, 3e5));
    cJSON *ci = cJSON_GetObjectItem(j, "ber_ci95");
    cr_assert(cJSON_IsArray(ci) && cJSON_GetArraySize(ci) == 2);
    cr_assert(le(dbl, cJSON_GetArrayItem(ci, 0)->valuedouble, cJSON_GetObjectItem(j, "ber")->valuedouble));
    cJSON *eyes = cJSON_GetObjectItem(j, "eyes");
    cr_assert(cJSON_IsArray(eyes) && cJSON_GetArraySize(eyes) == 3);
    cJSON *e0 = cJSON_GetArrayItem(eyes, 0);
    cr_assert(eq(str, cJSON_GetObjectItem(e0, "name")->valuestring, "upper"));
    cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(e0, "height_v")));
    cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(e0, "height_sigma_v")));
    cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(e0, "width_s")));
    cr_assert(eq(dbl, cJSON_GetObjectItem(j, "eye_target_ber")->valuedouble, 2.4e-4));
    cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(e0, "width_ui")));
    cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(e0, "errors")));
    cJSON *fec = cJSON_GetObjectItem(j, "fec");
    static const char *const fk[] = { "pre_fec_ber", "post_fec_cer_random", "codewords", "codewords_failed" };
    for (size_t i = 0; i < 4; i++)
        cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(fec, fk[i])), "fec.%s", fk[i]);
    cJSON *cfg = cJSON_GetObjectItem(j, "config");
    cr_assert(eq(dbl, cJSON_GetObjectItem(cfg, "noise.snr_db")->valuedouble, 16));
    cr_assert(eq(dbl, cJSON_GetObjectItem(cfg, "link.rate_gbps")->valuedouble, 212.5));
    cr_assert(cJSON_IsString(cJSON_GetObjectItem(cfg, "tx.snr_db")), "inf is written as a string");
    /* sum of eye errors >= symbol errors (an error crosses at least one threshold) */
    double se = 0;
    for (int i = 0; i < 3; i++)
        se += cJSON_GetObjectItem(cJSON_GetArrayItem(eyes, i), "errors")->valuedouble;
    cr_assert(ge(dbl, se, cJSON_GetObjectItem(j, "symbol_errors")->valuedouble));
    cJSON_Delete(j);
    f = fopen(cs, "r");
    cr_assert(f != NULL);
    n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    cr_assert(eq(int, count_lines(text), 2));
    cr_assert(eq(int, strncmp(text, "preset,rate_gbps", 16), 0));
    f = fopen(ey, "r");
    cr_assert(f != NULL);
    cr_assert(fgets(text, sizeof text, f) != NULL && text[0] == 35);
    fclose(f);
    unlink(js);
    unlink(cs);
    unlink(ey);
}

static void expect_usage_error(const char *args, const char *needle, const char *json)
{
    cr_assert(eq(int, cli(args), 2), "'%s' -> %s", args, out);
    cr_assert(eq(int, count_lines(out), 1), "one line expected, got: %s", out);
    cr_assert(ls_has(out, needle), "'%s': '%s' lacks '%s'", args, out, needle);
    if (json)
        cr_assert(ls_test_file_exists(json) == 0, "%s left behind", json);
}

Test(cli, bad_input_is_one_line_exit_2_and_no_output_file)
{
    char js[128], args[512];
    tmpname(js, sizeof js, "bad");
    unlink(js);
    snprintf(args, sizeof args, "run awgn -s tx.nosuch=1 --json %s", js);
    expect_usage_error(args, "unknown key 'tx.nosuch'", js);
    snprintf(args, sizeof args, "run awgn -s link.sps=1000 --json %s", js);
    expect_usage_error(args, "link.sps", js);
    snprintf(args, sizeof args, "run nosuch --json %s", js);
    expect_usage_error(args, "unknown preset 'nosuch'", js);
    snprintf(args, sizeof args, "run awgn --symbols lots --json %s", js);
    expect_usage_error(args, "run.symbols", js);
    snprintf(args, sizeof args, "run awgn -s link.sps=4 -s rx.filter=bessel --json %s", js);
    expect_usage_error(args, "link.sps", js);
    expect_usage_error("run awgn --bogus", "unknown option '--bogus'", NULL);
    expect_usage_error("run", "missing PRESET", NULL);
    expect_usage_error("run awgn awgn", "exactly one", NULL);
    expect_usage_error("run awgn --dump spectrum=x", "--dump", NULL);
    expect_usage_error("run awgn --json /nonexistent-dir/x.json", "/nonexistent-dir/x.json", NULL);
    /* INI errors name file and line */
    char ini[128];
    tmpname(ini, sizeof ini, "cfg.ini");
    FILE *f = fopen(ini, "w");
    cr_assert(f != NULL);
    fputs("preset = awgn\n[noise]\nsnr_db = 17\n[rx]\nbandwidth = 3\n", f);
    fclose(f);
    char want[256];
    snprintf(want, sizeof want, "%s:5: unknown key 'rx.bandwidth'", ini);
    snprintf(args, sizeof args, "run %s --json %s", ini, js);
    expect_usage_error(args, want, js);
    unlink(ini);
    /* no temporary files left in /tmp for the failed runs */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls /tmp | grep -c 'ls_cli_bad_%d.tmp' || true", (int)getpid());
    ls_test_run(cmd, out, sizeof out);
    cr_assert(eq(int, atoi(out), 0), "temporary files left: %s", out);
}

Test(cli, statistical_mode_writes_the_stat_object, .timeout = LS_TIMEOUT(60))
{
    char js[128], args[512];
    tmpname(js, sizeof js, "stat");
    snprintf(args, sizeof args, "run awgn -s link.sps=16 -s rx.filter=bessel -s rx.bw_ghz=40 -s noise.snr_db=17 "
                                "--mode both --symbols 2e5 --json %s", js);
    cr_assert(eq(int, cli(args), 0), "%s", out);
    cr_assert(ls_has(out, "statistical analysis"));
    cr_assert(ls_has(out, "Monte Carlo"));
    FILE *f = fopen(js, "r");
    cr_assert(f != NULL);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    unlink(js);
    cJSON *j = cJSON_Parse(text);
    cr_assert(j != NULL);
    cr_assert(eq(str, cJSON_GetObjectItem(j, "mode")->valuestring, "both"));
    cJSON *st = cJSON_GetObjectItem(j, "stat");
    cr_assert(cJSON_IsObject(st));
    cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(st, "ber")));
    cr_assert(eq(dbl, cJSON_GetObjectItem(st, "target_ber")->valuedouble, 2.4e-4));
    cJSON *eyes = cJSON_GetObjectItem(st, "eyes");
    cr_assert(cJSON_IsArray(eyes) && cJSON_GetArraySize(eyes) == 3);
    cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(cJSON_GetArrayItem(eyes, 0), "height_v")));
    cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(cJSON_GetArrayItem(eyes, 0), "width_ui")));
    /* slicer-referred AWGN on a band-limited link: the two methods agree within the MC interval or x1.5 */
    double s = cJSON_GetObjectItem(st, "ber")->valuedouble, m = cJSON_GetObjectItem(j, "ber")->valuedouble;
    cr_assert(lt(dbl, fabs(log(s / m)), log(1.5)), "stat %.3g vs MC %.3g", s, m);
    cJSON_Delete(j);
    snprintf(args, sizeof args, "run awgn --mode stat -s eye.target_ber=1e-12 --json %s", js);
    cr_assert(eq(int, cli(args), 0), "%s", out);
    unlink(js);
    expect_usage_error("run awgn --mode fast", "--mode fast", NULL);
    expect_usage_error("run awgn -s eye.target_ber=1e-20", "eye.target_ber", NULL);
}

Test(cli, special_output_files_are_written_in_place, .timeout = LS_TIMEOUT(30))
{
    /* a FIFO (like /dev/null or /dev/stdout) must be written, not replaced by the temporary file's rename */
    char fifo[64], got[64], cmd[512];
    tmpname(fifo, sizeof fifo, "fifo");
    tmpname(got, sizeof got, "fifo_got");
    unlink(fifo);
    cr_assert(eq(int, mkfifo(fifo, 0600), 0));
    snprintf(cmd, sizeof cmd, "timeout 20 cat %s > %s &", fifo, got);
    cr_assert(eq(int, system(cmd), 0));
    snprintf(cmd, sizeof cmd, "run awgn --symbols 1e4 --json %s", fifo);
    cr_assert(eq(int, cli(cmd), 0), "%s", out);
    struct stat sb;
    cr_assert(eq(int, stat(fifo, &sb), 0));
    int is_fifo = S_ISFIFO(sb.st_mode);
    cr_assert(is_fifo, "the FIFO was replaced");
    cr_assert(eq(int, system("sleep 0.2"), 0));
    FILE *f = fopen(got, "r");
    cr_assert(f != NULL);
    char buf[256] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cr_assert(ls_has(buf, "lanesim_version"), "%s", buf);
    unlink(fifo);
    unlink(got);
}

/* The ERL gate's keywords out of range (a negative record N, TDR_duration <= 0, AUTO_TFX not 0 or 1): one line
   naming them, exit 2, no JSON written (the preset's analytic channel: no ../shared needed) */
Test(cli, com_erl_gate_keywords_out_of_range, .timeout = LS_TIMEOUT(60))
{
    const char *bad[] = { "N=-5", "TDR_duration=-1", "TDR_duration=0", "AUTO_TFX=2" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char js[128], args[400];
        tmpname(js, sizeof js, "erlgate.json");
        remove(js);
        snprintf(args, sizeof args, "com copper -s '%s' --json %s", bad[i], js);
        cr_expect(eq(int, cli(args), 2), "%s: %s", bad[i], out);
        cr_expect(ls_has(out, "'TDR_duration'") && ls_has(out, "out of range"), "%s: %s", bad[i], out);
        cr_expect(access(js, F_OK) != 0, "%s: %s written", bad[i], js);
        remove(js);
    }
}

/* lanesim com --pulse: each package case's equalized pulse as CSV, time 0 at the sampling point, whose sample gives
   the case's A_s = R_LM h(t_s) / (L - 1) (the preset's analytic channel under 802.3dj-kr-pychopmarg: R_LM 0.95, PAM4);
   nothing written on bad input */
Test(cli, com_pulse_csv, .timeout = LS_TIMEOUT(60))
{
    char pu[128], js[128], args[400];
    tmpname(pu, sizeof pu, "pulse.csv");
    tmpname(js, sizeof js, "pulse.json");
    snprintf(args, sizeof args, "com copper --pulse %s --json %s", pu, js);
    cr_assert(eq(int, cli(args), 0), "%s", out);
    const char *text = ls_test_slurp(js);
    cr_assert(text != NULL);
    cJSON *j = cJSON_Parse(text);
    remove(js);
    cr_assert(j != NULL);
    cJSON *c1 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "cases"), 0);
    double a_s = cJSON_GetNumberValue(cJSON_GetObjectItem(c1, "a_s_v"));
    cJSON_Delete(j);
    FILE *f = fopen(pu, "r");
    cr_assert(f != NULL);
    char line[256];
    cr_assert(fgets(line, sizeof line, f) != NULL);
    cr_expect(eq(str, line, "time_s,time_ui,case1_v\n"));
    double t, tu, v, v0 = NAN, vmax = 0;
    long rows = 0;
    while (fgets(line, sizeof line, f) && sscanf(line, "%lf,%lf,%lf", &t, &tu, &v) == 3) {
        rows++;
        cr_expect(fabs(tu - t * 106.25e9) < 1e-6 * (1 + fabs(tu)), "time %g s is %g UI", t, tu);
        if (t == 0) v0 = v;
        vmax = fmax(vmax, fabs(v));
    }
    fclose(f);
    remove(pu);
    cr_expect(gt(long, rows, 1000));
    cr_expect(fabs(0.95 * v0 / 3 - a_s) <= 1e-7 * a_s, "h(t_s) %.9g, A_s %.9g", v0, a_s);
    cr_expect(le(dbl, v0, vmax));
    snprintf(args, sizeof args, "com copper -s N=-5 --pulse %s", pu);
    cr_expect(eq(int, cli(args), 2), "%s", out);
    cr_expect(access(pu, F_OK) != 0, "%s written on bad input", pu);
    remove(pu);
    /* an output that cannot be written fails before the run, and the other outputs are not written either */
    snprintf(args, sizeof args, "com copper --pulse /nonexistent_dir/p.csv --json %s", js);
    cr_expect(eq(int, cli(args), 2), "%s", out);
    cr_expect(ls_has(out, "/nonexistent_dir/p.csv"), "%s", out);
    cr_expect(not(ls_has(out, "COM ")), "the run went ahead: %s", out);
    cr_expect(access(js, F_OK) != 0, "%s written", js);
    remove(js);
}

/* lanesim com on a channel the reference receiver cannot equalize (no sampling point): a failing
   COM, exit 0, JSON pass false and com_db null, the warning on stdout (it used to exit 2) */
Test(cli, com_unequalizable_channel_exits_0_and_fails, .timeout = LS_TIMEOUT(60))
{
    const char *dir = ls_test_shared_dir();
    if (!dir && access(LS_SHARED_DIR "/channels", R_OK) == 0) dir = LS_SHARED_DIR;
    char thru[700], js[128], args[1200];
    if (dir) snprintf(thru, sizeof thru, "%s/channels/te_SMT_IO_42GHz_Thru_B5B6_10in.s4p", dir);
    if (!dir || access(thru, R_OK)) cr_skip("../shared/channels absent");
    tmpname(js, sizeof js, "com.json");
    /* without the sheet's Rx FFE and with the Mueller-Mueller point (its peak anchor always has one) */
    snprintf(args, sizeof args, "com %s --config 802.3dj-pychopmarg-vs-matlab -s ffe_pre_tap_len=0 -s ffe_post_tap_len=0 "
             "-s ts_anchor=0 --json %s", thru, js);
    cr_assert(eq(int, cli(args), 0), "%s", out);
    cr_expect(ls_has(out, "equalization failed"), "%s", out);
    cr_expect(ls_has(out, "FAIL"), "%s", out);
    const char *text = ls_test_slurp(js);
    cr_assert(text != NULL);
    cJSON *j = cJSON_Parse(text);
    remove(js);
    cr_assert(j != NULL);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(j, "pass")));
    cr_expect(cJSON_IsNull(cJSON_GetObjectItem(j, "com_db")));
    cJSON_Delete(j);
}

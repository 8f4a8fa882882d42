/*
 * lanesim sweep and lanesim merge: one row per point; a point equals `lanesim run` with the same keys
 * and seed (BER and eye, Monte Carlo and statistical, the statistical eye also against its closed form
 * on the flat preset); the reach metric; shards joined by merge equal the single-process CSV byte for
 * byte; merge rejects what does not join; the JSON contract; the progress bar only on a terminal.
 * (The MPI build adds tests/mpi_sweep.sh: mpirun -n 2 against the single-process CSV and JSON.)
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lanesim/energy.h"
#include "lanesim/stats.h"
#include "util.h"

static char out[1 << 16];

static int cli(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int cli(const char *fmt, ...)
{
    char args[3072], cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "%s %s", LS_CLI_PATH, args);
    return ls_test_run(cmd, out, sizeof out);
}

static void tmpname(char *buf, size_t cap, const char *tag)
{
    snprintf(buf, cap, "/tmp/ls_sweep_%s_%d", tag, (int)getpid());
}

/* The whole file (malloc'd), then removed. */
static char *take(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL, "%s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    cr_assert(s != NULL);
    cr_assert(eq(sz, fread(s, 1, (size_t)n, f), (size_t)n));
    s[n] = '\0';
    fclose(f);
    unlink(path);
    return s;
}

static cJSON *take_json(const char *path)
{
    char *s = take(path);
    cJSON *j = cJSON_Parse(s);
    cr_assert(j != NULL, "%s: %s", path, s);
    free(s);
    return j;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Line k (0 = first) of s. */
static const char *line(const char *s, int k)
{
    for (; k > 0 && s; k--)
        if ((s = strchr(s, '\n')))
            s++;
    cr_assert(s != NULL);
    return s;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    cr_assert(cJSON_IsNumber(v), "no number '%s'", key);
    return v->valuedouble;
}

Test(sweep, one_row_per_point_equal_to_single_runs, .timeout = LS_TIMEOUT(120))
{
    char csv[64], js[64];
    tmpname(csv, sizeof csv, "rows.csv");
    tmpname(js, sizeof js, "run.json");
    cr_assert(eq(int, cli("sweep flat -s run.symbols=2e5 --param link.length_m=4,6 --param flat.loss_db_per_m=1:3:3 "
                          "--threads 2 --csv %s", csv), 0), "%s", out);
    char *text = take(csv);
    cr_assert(eq(int, count_lines(text), 1 + 6), "%s", text);
    cr_assert(eq(int, strncmp(text, "point,link.length_m,flat.loss_db_per_m,ber,", 43), 0), "%s", text);
    /* row 4 (6 m, 2 dB/m; the last parameter varies fastest) against a single run with the same keys and seed */
    unsigned long long errs = 0;
    const char *row = line(text, 5);
    cr_assert(eq(int, sscanf(row, "4,6,2,%*[^,],%*[^,],%*[^,],%*[^,],%llu", &errs), 1), "%s", row);
    free(text);
    cr_assert(eq(int, cli("run flat -s link.length_m=6 -s flat.loss_db_per_m=2 --symbols 2e5 --json %s", js), 0), "%s",
              out);
    cJSON *j = take_json(js);
    cr_assert(eq(dbl, num(j, "bit_errors"), (double)errs));
    cr_assert(gt(u64, errs, 10));
    cJSON_Delete(j);
}

Test(sweep, reach_metric_and_bad_parameters, .timeout = LS_TIMEOUT(60))
{
    char csv[64];
    tmpname(csv, sizeof csv, "reach.csv");
    cr_assert(eq(int, cli("sweep flat --metric reach --param flat.loss_db_per_m=2,5 --csv %s", csv), 0), "%s", out);
    char *text = take(csv);
    double r2 = 0, r5 = 0;
    cr_assert(eq(int, sscanf(line(text, 1), "0,2,%lf", &r2), 1), "%s", text);
    cr_assert(eq(int, sscanf(line(text, 2), "1,5,%lf", &r5), 1), "%s", text);
    free(text);
    cr_assert(lt(dbl, fabs(r2 / r5 - 2.5), 0.05), "reach scales as 1/loss: %.4g m vs %.4g m", r2, r5);
    static const char *const bad[][2] = { { "--param nosuch.key=1,2", "nosuch.key" },
                                          { "--param link.length_m=1:2", "--param" },
                                          { "--param link.length_m=-1,2", "link.length_m" },
                                          { "--metric power --param link.length_m=1", "--metric" },
                                          { "--metric energy --param link.length_m=1", "no power model" },
                                          { "--metric ber,,eye --param link.length_m=1", "--metric" },
                                          { "--shard 2/2 --param link.length_m=1", "--shard" },
                                          { "--shard 1 --param link.length_m=1", "--shard" },
                                          { "--shard -1/2 --param link.length_m=1", "--shard" },
                                          { "--threads 2x --param link.length_m=1", "--threads" } };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cr_assert(eq(int, cli("sweep flat %s --csv %s --json %s.json", bad[i][0], csv, csv), 2), "%s: %s", bad[i][0],
                  out);
        cr_assert(ls_has(out, bad[i][1]), "'%s' lacks %s", out, bad[i][1]);
        cr_assert(eq(int, count_lines(out), 1), "one line: %s", out);
        cr_assert(eq(int, ls_test_file_exists(csv), 0), "no CSV after a rejected sweep");
    }
}

/* The flat preset has no ISI: eye height = h0 (2/3) - 2 sigma Qinv(2 log2(4) target) per sub-eye (stateye.h),
   h0 = (swing/2) 10^(-a L / 20), sigma^2 = eta0 fs / 2 (the constants of tests/test_reach.c). */
static double flat_eye_mv(double a_db_m, double len_m)
{
    double h0 = 0.4 * pow(10, -a_db_m * len_m / 20), sigma = sqrt(1.7e-6 * 1e-9 * 0.5 * 106.25e9);
    return 1e3 * (h0 * 2.0 / 3.0 - 2 * sigma * ls_qinv(4 * 1e-6));
}

/* Each sub-eye of point p of a sweep's JSON against the "eyes" array of a run's JSON (heights in V in both). */
static void same_eyes(const cJSON *p, const cJSON *eyes, double tol_v)
{
    double hmin = INFINITY;
    int n = 0;
    for (const cJSON *e = eyes->child; e; e = e->next, n++) {
        char key[64];
        const char *name = cJSON_GetObjectItem(e, "name")->valuestring;
        snprintf(key, sizeof key, "eye_%s_height_v", name);
        double h = num(e, "height_v");
        cr_assert(le(dbl, fabs(num(p, key) - h), tol_v), "%s: sweep %.6g V, run %.6g V", key, num(p, key), h);
        snprintf(key, sizeof key, "eye_%s_width_ui", name);
        cr_assert(le(dbl, fabs(num(p, key) - num(e, "width_ui")), 1e-4), "%s", key);
        hmin = fmin(hmin, h);
    }
    cr_assert(eq(int, n, 3));
    cr_assert(le(dbl, fabs(num(p, "eye_height_v") - hmin), tol_v), "the worst sub-eye");
}

Test(sweep, statistical_eye_equals_run_and_the_closed_form, .timeout = LS_TIMEOUT(60))
{
    char js[64], rj[64];
    tmpname(js, sizeof js, "eye.json");
    tmpname(rj, sizeof rj, "eyerun.json");
    /* --eye-ber is eye.target_ber, applied after the -s overrides */
    cr_assert(eq(int, cli("sweep flat --mode stat --metric eye,ber -s flat.loss_db_per_m=1 -s eye.target_ber=1e-3 "
                          "--eye-ber 1e-6 --param link.length_m=4,6 --json %s", js), 0), "%s", out);
    cJSON *j = take_json(js);
    /* the JSON contract */
    cr_assert(eq(str, cJSON_GetObjectItem(j, "mode")->valuestring, "stat"));
    cr_assert(eq(dbl, num(j, "points_total"), 2));
    cr_assert(eq(dbl, num(cJSON_GetObjectItem(j, "fixed"), "flat.loss_db_per_m"), 1));
    cr_assert(eq(dbl, num(cJSON_GetObjectItem(j, "fixed"), "eye.target_ber"), 1e-6));
    cr_assert(eq(int, cJSON_GetArraySize(cJSON_GetObjectItem(j, "metrics")), 2));
    const cJSON *prm = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "params"), 0);
    cr_assert(eq(str, cJSON_GetObjectItem(prm, "key")->valuestring, "link.length_m"));
    cr_assert(eq(int, cJSON_GetArraySize(cJSON_GetObjectItem(prm, "values")), 2));
    const cJSON *pts = cJSON_GetObjectItem(j, "points");
    cr_assert(eq(int, cJSON_GetArraySize(pts), 2));
    for (int i = 0; i < 2; i++) {
        const cJSON *p = cJSON_GetArrayItem(pts, i);
        double len = i ? 6 : 4;
        cr_assert(eq(dbl, num(p, "point"), i));
        cr_assert(eq(dbl, num(p, "link.length_m"), len));
        double want = flat_eye_mv(1, len);
        cr_assert(lt(dbl, fabs(1e3 * num(p, "eye_height_v") / want - 1), 1e-3), "%g m: %.6g V, closed form %.4f mV",
                  len, num(p, "eye_height_v"), want);
        cr_assert(eq(int, cli("run flat -s flat.loss_db_per_m=1 -s link.length_m=%g --eye-ber 1e-6 --mode stat --json %s",
                              len, rj), 0),
                  "%s", out);
        cJSON *r = take_json(rj);
        const cJSON *st = cJSON_GetObjectItem(r, "stat");
        same_eyes(p, cJSON_GetObjectItem(st, "eyes"), 1e-9);
        cr_assert(eq(dbl, num(p, "stat_ber"), num(st, "ber")));
        cJSON_Delete(r);
    }
    cJSON_Delete(j);
}

Test(sweep, monte_carlo_eye_equals_run, .timeout = LS_TIMEOUT(60))
{
    char csv[64], js[64], rj[64];
    tmpname(csv, sizeof csv, "mceye.csv");
    tmpname(js, sizeof js, "mceye.json");
    tmpname(rj, sizeof rj, "mcrun.json");
    cr_assert(eq(int, cli("sweep awgn -s run.symbols=2e4 --metric eye --param noise.snr_db=16,22 --threads 2 "
                          "--csv %s --json %s", csv, js), 0), "%s", out);
    char *text = take(csv);
    cr_assert(eq(int, strncmp(text, "point,noise.snr_db,eye_height_v,eye_width_ui,eye_upper_height_v,", 63), 0),
              "%s", text);
    cr_assert(eq(int, count_lines(text), 3));
    free(text);
    cJSON *j = take_json(js);
    const cJSON *p = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "points"), 1);
    cr_assert(eq(int, cli("run awgn -s noise.snr_db=22 --symbols 2e4 --json %s", rj), 0), "%s", out);
    cJSON *r = take_json(rj);
    same_eyes(p, cJSON_GetObjectItem(r, "eyes"), 1e-9);
    /* more noise, smaller eye */
    const cJSON *p16 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "points"), 0);
    cr_assert(lt(dbl, num(p16, "eye_height_v"), num(p, "eye_height_v")));
    cJSON_Delete(r);
    cJSON_Delete(j);
}

Test(sweep, shards_merge_into_the_single_process_csv, .timeout = LS_TIMEOUT(60))
{
    char full[64], s0[64], s1[64], merged[64];
    tmpname(full, sizeof full, "full.csv");
    tmpname(s0, sizeof s0, "s0.csv");
    tmpname(s1, sizeof s1, "s1.csv");
    tmpname(merged, sizeof merged, "merged.csv");
    static const char args[] = "sweep flat -s run.symbols=1e5 --metric ber,eye --param link.length_m=3,5.5 "
                               "--param flat.loss_db_per_m=1:3:5 --threads 2";
    cr_assert(eq(int, cli("%s --csv %s", args, full), 0), "%s", out);
    cr_assert(eq(int, cli("%s --shard 0/2 --csv %s", args, s0), 0), "%s", out);
    cr_assert(eq(int, cli("%s --shard 1/2 --threads 1 --csv %s", args, s1), 0), "%s", out);
    /* a shard holds its own rows (i % 2 == 1) under the shard line and the header */
    char *t1 = take(s1);
    cr_assert(eq(int, strncmp(t1, "# lanesim sweep shard 1/2: 10 points, sweep ", 44), 0), "%s", t1);
    cr_assert(eq(int, count_lines(t1), 2 + 5), "%s", t1);
    for (int k = 0; k < 5; k++)
        cr_assert(eq(int, atoi(line(t1, 2 + k)), 2 * k + 1));
    FILE *f = fopen(s1, "w");
    cr_assert(f != NULL);
    fputs(t1, f);
    fclose(f);
    free(t1);
    cr_assert(eq(int, cli("merge %s %s %s", merged, s1, s0), 0), "%s", out);
    char *a = take(full), *b = take(merged);
    cr_assert(eq(str, b, a), "merged:\n%s\nsingle process:\n%s", b, a);
    cr_assert(eq(int, count_lines(a), 1 + 10));
    free(a);
    free(b);
    /* three shards of two points: shard 2/3 is empty and still joins */
    char t[3][64];
    for (int k = 0; k < 3; k++) {
        snprintf(t[k], sizeof t[k], "/tmp/ls_sweep_t%d_%d.csv", k, (int)getpid());
        cr_assert(eq(int, cli("sweep flat --mode stat --param link.length_m=4,6 --shard %d/3 --csv %s", k, t[k]), 0),
                  "%s", out);
    }
    cr_assert(eq(int, cli("sweep flat --mode stat --param link.length_m=4,6 --csv %s", full), 0), "%s", out);
    cr_assert(eq(int, cli("merge %s %s %s %s", merged, t[2], t[0], t[1]), 0), "%s", out);
    a = take(full);
    b = take(merged);
    cr_assert(eq(str, b, a));
    free(a);
    free(b);
    for (int k = 0; k < 3; k++)
        unlink(t[k]);
    unlink(s0);
    unlink(s1);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "%s", path);
    fputs(text, f);
    fclose(f);
}

Test(merge, rejects_what_does_not_join, .timeout = LS_TIMEOUT(60))
{
    char s0[64], s1[64], other[64], bad[64], merged[64];
    tmpname(s0, sizeof s0, "m0.csv");
    tmpname(s1, sizeof s1, "m1.csv");
    tmpname(other, sizeof other, "mo.csv");
    tmpname(bad, sizeof bad, "mb.csv");
    tmpname(merged, sizeof merged, "mm.csv");
    static const char args[] = "sweep flat --mode stat --param link.length_m=3:6:4";
    cr_assert(eq(int, cli("%s --shard 0/2 --csv %s", args, s0), 0), "%s", out);
    cr_assert(eq(int, cli("%s --shard 1/2 --csv %s", args, s1), 0), "%s", out);
    cr_assert(eq(int, cli("%s -s flat.loss_db_per_m=3 --shard 1/2 --csv %s", args, other), 0), "%s", out);
    char *t0 = take(s0), *t1 = take(s1);
    write_text(s0, t0);
    write_text(s1, t1);
    struct {
        const char *files, *says;
    } cases[8];
    char files[8][256];
    int n = 0;
    /* a point missing; a shard given twice; a shard of another sweep; the single-process CSV */
    snprintf(files[n], 256, "%s", s0), cases[n++].says = "point 1 is missing";
    snprintf(files[n], 256, "%s %s %s", s0, s1, s1), cases[n++].says = "twice";
    snprintf(files[n], 256, "%s %s", s0, other), cases[n++].says = "not the sweep of";
    cr_assert(eq(int, cli("%s --csv %s", args, bad), 0), "%s", out);
    char *single = take(bad);
    write_text(bad, single);
    free(single);
    snprintf(files[n], 256, "%s %s", s0, bad), cases[n++].says = ":1: not a shard";
    for (int k = 0; k < n; k++) {
        cases[k].files = files[k];
        cr_assert(eq(int, cli("merge %s %s", merged, cases[k].files), 2), "%s: %s", cases[k].files, out);
        cr_assert(ls_has(out, cases[k].says), "'%s' lacks '%s'", out, cases[k].says);
        cr_assert(eq(int, count_lines(out), 1), "one line: %s", out);
        cr_assert(eq(int, ls_test_file_exists(merged), 0), "no output after a rejected merge");
    }
    /* a different header; a row twice in one file; a row of another shard; a truncated last line */
    char *edit = malloc(strlen(t1) + 64);
    cr_assert(edit != NULL);
    const char *hdr = line(t1, 1), *rows = line(t1, 2);
    snprintf(edit, strlen(t1) + 64, "%.*spoint,link.length_m,ber,snr_eq_db\n%s", (int)(hdr - t1), t1, rows);
    const char *edits_say[4] = { ":2: the header differs", "appears twice", "does not belong to shard 1/2",
                                 "no end of line" };
    for (int k = 0; k < 4; k++) {
        if (k == 1)
            snprintf(edit, strlen(t1) + 64, "%s%s", t1, rows);
        else if (k == 2)
            snprintf(edit, strlen(t1) + 64, "%s2%s", t1, strchr(rows, ','));
        else if (k == 3)
            snprintf(edit, strlen(t1) + 64, "%.*s", (int)strlen(t1) - 1, t1);
        write_text(bad, edit);
        cr_assert(eq(int, cli("merge %s %s %s", merged, s0, bad), 2), "%d: %s", k, out);
        cr_assert(ls_has(out, edits_say[k]), "'%s' lacks '%s'", out, edits_say[k]);
        cr_assert(ls_has(out, bad), "names the file: %s", out);
        cr_assert(eq(int, ls_test_file_exists(merged), 0));
    }
    free(edit);
    cr_assert(eq(int, cli("merge %s", merged), 2), "%s", out);
    cr_assert(eq(int, cli("merge %s %s /nonexistent/shard.csv", merged, s0), 2), "%s", out);
    cr_assert(ls_has(out, "/nonexistent/shard.csv"), "%s", out);
    cr_assert(eq(int, cli("merge %s %s %s", merged, s1, s0), 0), "%s", out);
    unlink(merged);
    free(t0);
    free(t1);
    unlink(s0);
    unlink(s1);
    unlink(other);
    unlink(bad);
}

Test(sweep, progress_bar_only_on_a_terminal, .timeout = LS_TIMEOUT(60))
{
    static const char args[] = "sweep flat --mode stat --param link.length_m=1:6:6";
    cr_assert(eq(int, cli("%s", args), 0), "%s", out);
    cr_assert(eq(int, ls_has(out, "points"), 0), "quiet when stderr is not a terminal: %s", out);
    if (system("command -v script >/dev/null 2>&1") != 0)
        cr_skip_test("util-linux 'script' (a pseudo-terminal) is not installed");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "script -qec '%s %s >/dev/null' /dev/null </dev/null", LS_CLI_PATH, args);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    cr_assert(ls_has(out, "6/6 points"), "a bar on a terminal: %s", out);
}

Test(sweep, energy_metric_equals_the_power_model_and_scales_with_rate, .timeout = LS_TIMEOUT(60))
{
    char js[64];
    tmpname(js, sizeof js, "energy.json");
    cr_assert(eq(int, cli("sweep lpo --param link.rate_gbps=106.25,212.5 --metric energy --json %s", js), 0), "%s",
              out);
    cJSON *j = take_json(js);
    const cJSON *pts = cJSON_GetObjectItemCaseSensitive(j, "points");
    cr_assert(eq(int, cJSON_GetArraySize(pts), 2));
    for (int i = 0; i < 2; i++) {
        const cJSON *p = cJSON_GetArrayItem(pts, i);
        char msg[256] = "";
        ls_status st;
        ls_config *c = ls_config_create("lpo", msg, sizeof msg, &st);
        cr_assert(c != NULL);
        cr_assert(eq(int, ls_config_set(c, "link.rate_gbps", i ? "212.5" : "106.25", msg, sizeof msg), LS_OK));
        ls_energy e;
        cr_assert(eq(int, ls_energy_compute(c, &e, msg, sizeof msg), LS_OK), "%s", msg);
        cr_assert(lt(dbl, fabs(num(p, "pj_per_bit") - e.pj_per_bit), 1e-3), "point %d", i);
        cr_assert(lt(dbl, fabs(num(p, "module_pj_per_bit") - e.module_pj_per_bit), 1e-3), "point %d", i);
        cr_assert(lt(dbl, fabs(num(p, "total_mw") - e.total_mw), 0.01), "point %d", i);
        ls_config_destroy(c);
    }
    /* fixed-power parts (laser, TEC, control) are shared by more bits at the higher rate */
    cr_assert(lt(dbl, num(cJSON_GetArrayItem(pts, 1), "module_pj_per_bit"),
                 num(cJSON_GetArrayItem(pts, 0), "module_pj_per_bit")));
    cJSON_Delete(j);
}

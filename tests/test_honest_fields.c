/*
 * Honest fields (results issue, symptoms 5 and 6): link.inner_fec = true raises the signalling rate
 * and decodes the inner code (issue 12), and says so in the run table, JSON and CSV; the run
 * JSON's levels_v / thresholds_v are where the adaptive slicer ended, the starting values are under
 * levels_start_v / thresholds_start_v. (COM in com_db and the signed margins: tests/test_reach.c.)
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert(f != NULL, "%s", path);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    unlink(path);
    return text;
}

Test(honest_fields, inner_fec_says_it_is_decoded_and_levels_are_the_adapted_ones, .timeout = LS_TIMEOUT(60))
{
    char js[64], csv[64], cmd[1024];
    static char out[1 << 16];
    snprintf(js, sizeof js, "/tmp/ls_honest_%d.json", (int)getpid());
    snprintf(csv, sizeof csv, "/tmp/ls_honest_%d.csv", (int)getpid());
    snprintf(cmd, sizeof cmd,
             "%s run dsp-retimed -s link.inner_fec=true -s link.sps=8 -s run.symbols=5440 --json %s --csv %s",
             LS_CLI_PATH, js, csv);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    cr_assert(ls_has(out, "inner code, decoded in the Monte Carlo"), "%s", out);
    cr_assert(ls_has(out, "BER after inner code"), "%s", out);
    cJSON *j = cJSON_Parse(slurp(js));
    cr_assert(j != NULL);
    cJSON *f = cJSON_GetObjectItem(j, "inner_fec");
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(f, "decoded")), "JSON lacks inner_fec.decoded = true");
    cJSON *inner = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "fec"), "inner");
    cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(inner, "post_inner_ber")), "JSON lacks fec.inner.post_inner_ber");
    /* the slicer adapts its levels in this preset: levels_v are the adapted ones, thresholds_v their midpoints */
    cJSON *ln = cJSON_GetObjectItem(j, "link");
    cJSON *lv = cJSON_GetObjectItem(ln, "levels_v"), *l0 = cJSON_GetObjectItem(ln, "levels_start_v");
    cJSON *tv = cJSON_GetObjectItem(ln, "thresholds_v");
    cr_assert(cJSON_IsArray(l0) && cJSON_IsArray(cJSON_GetObjectItem(ln, "thresholds_start_v")));
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(ln, "levels_adapted")));
    double moved = 0;
    for (int i = 0; i < 4; i++)
        moved = fmax(moved, fabs(cJSON_GetArrayItem(lv, i)->valuedouble - cJSON_GetArrayItem(l0, i)->valuedouble));
    cr_assert(gt(dbl, moved, 0.0), "levels_v are the starting values");
    for (int i = 0; i < 3; i++) {
        double mid = 0.5 * (cJSON_GetArrayItem(lv, i)->valuedouble + cJSON_GetArrayItem(lv, i + 1)->valuedouble);
        cr_assert(lt(dbl, fabs(cJSON_GetArrayItem(tv, i)->valuedouble - mid), 1e-12), "threshold %d", i);
    }
    cJSON_Delete(j);
    const char *t = slurp(csv);
    cr_assert(ls_has(t, ",inner_fec"), "%s", t);
    cr_assert(ls_has(strchr(t, '\n'), ",decoded"), "%s", t);
    /* without it: no notice */
    snprintf(cmd, sizeof cmd, "%s run dsp-retimed -s link.sps=8 -s run.symbols=5440", LS_CLI_PATH);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    cr_assert(ls_has(out, "inner code, decoded") == 0, "%s", out);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "%s", path);
    fputs(text, f);
    fclose(f);
}

/* The study's plots mark the reaches Monte Carlo limited (and those it did not check): the reach-rate
   and energy-reach templates get those points in their own data blocks (a spy template prints what it
   receives). */
Test(honest_fields, plots_mark_monte_carlo_limited_reaches, .timeout = LS_TIMEOUT(60))
{
    char o[256];
    if (ls_test_run("command -v gnuplot", o, sizeof o) != 0)
        cr_skip_test("gnuplot is not on PATH (Debian package gnuplot-nox)");
    char dir[128], csv[160], img[160], p[200], cmd[1024];
    static char out[1 << 16];
    snprintf(dir, sizeof dir, "/tmp/ls_honest_spy_%d", (int)getpid());
    mkdir(dir, 0755);
    static const char *const names[] = { "reach_rate", "energy_reach" };
    for (int i = 0; i < 2; i++) {
        snprintf(p, sizeof p, "%s/%s.gp", dir, names[i]);
        write_text(p, "set print out\n"
                      "print sprintf('anymc=%d anyun=%d', anymc, anyun)\n"
                      "if (exists('imc')) { print sprintf('imc=%d iun=%d', imc, iun) }\n"
                      "print '--in'\nprint system('cat \"' . in . '\"')\n");
    }
    snprintf(csv, sizeof csv, "%s/study.csv", dir);
    write_text(csv, "architecture,rate_gbps,reach_m,stat_reach_m,check,pj_per_bit,module_pj_per_bit\n"
                    "copper,106.25,3.8,4.2,mc-limited,4.3,0\n"
                    "copper,212.5,1.9,1.9,confirmed,4.2,0\n"
                    "lpo,212.5,500,500,unconfirmed,13,9\n");
    snprintf(img, sizeof img, "%s/out.png", dir);
    snprintf(cmd, sizeof cmd, "env LANESIM_PLOTS_DIR=%s %s plot reach-rate %s -o %s", dir, LS_CLI_PATH, csv, img);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    const char *got = slurp(img);
    cr_assert(ls_has(got, "anymc=1 anyun=1\nimc=2 iun=3\n"), "%s", got);
    cr_assert(ls_has(got, "106.25 3.8\n212.5 1.9\n\n\n212.5 500\n\n\n106.25 3.8 1\n\n\n212.5 500 2\n"), "%s", got);
    snprintf(cmd, sizeof cmd, "env LANESIM_PLOTS_DIR=%s %s plot energy-reach %s -o %s", dir, LS_CLI_PATH, csv, img);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    got = slurp(img);
    cr_assert(ls_has(got, "anymc=1 anyun=1\n"), "%s", got);
    cr_assert(ls_has(got, "\n\n\n3.8 4.3 1\n\n\n500 13 2\n"), "%s", got);
    for (int i = 0; i < 2; i++) {
        snprintf(p, sizeof p, "%s/%s.gp", dir, names[i]);
        unlink(p);
    }
    unlink(csv);
    rmdir(dir);
}

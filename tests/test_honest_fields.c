/*
 * Honest fields (results issue, symptoms 5 and 6): link.inner_fec = true, which only raises the
 * signalling rate (nothing decodes the inner code), says so in the run table, JSON and CSV; the run
 * JSON's levels_v / thresholds_v are where the adaptive slicer ended, the starting values are under
 * levels_start_v / thresholds_start_v. (COM in com_db and the signed margins: tests/test_reach.c.)
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
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

Test(honest_fields, inner_fec_says_only_the_rate_changed_and_levels_are_the_adapted_ones, .timeout = 60)
{
    char js[64], csv[64], cmd[1024];
    static char out[1 << 16];
    snprintf(js, sizeof js, "/tmp/ls_honest_%d.json", (int)getpid());
    snprintf(csv, sizeof csv, "/tmp/ls_honest_%d.csv", (int)getpid());
    snprintf(cmd, sizeof cmd,
             "%s run dsp-retimed -s link.inner_fec=true -s link.sps=8 -s run.symbols=5440 --json %s --csv %s",
             LS_CLI_PATH, js, csv);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    cr_assert(ls_has(out, "inner code is not decoded"), "%s", out);
    cJSON *j = cJSON_Parse(slurp(js));
    cr_assert(j != NULL);
    cJSON *f = cJSON_GetObjectItem(j, "inner_fec");
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(f, "decoded")), "JSON lacks inner_fec.decoded = false");
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
    cr_assert(ls_has(strchr(t, '\n'), ",rate_only"), "%s", t);
    /* without it: no notice */
    snprintf(cmd, sizeof cmd, "%s run dsp-retimed -s link.sps=8 -s run.symbols=5440", LS_CLI_PATH);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    cr_assert(ls_has(out, "inner code is not decoded") == 0, "%s", out);
}

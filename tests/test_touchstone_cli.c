/*
 * The Touchstone channel on the command line: `lanesim channel` on a real file (loss table and JSON),
 * a malformed file (exit 2 naming file and line), a Touchstone channel with a conflicting channel type,
 * reach on a fixed channel, and the channel's warnings in a run's output (skipped without ../shared).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "touchstone_real.h"

/* ------------------------------------------------------------------------------------------ */
/* the command line */

static char out[1 << 16];

static int cli(const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s", LS_CLI_PATH, args);
    return ls_test_run(cmd, out, sizeof out);
}

Test(touchstone, cli_channel_prints_loss_and_writes_json, .timeout = LS_TIMEOUT(60))
{
    char path[1024], json[512], args[2048];
    int is_tmp;
    if (!real_path(0, path, sizeof path, &is_tmp))
        cr_skip_test("shared channel files not found");
    tmpname(json, sizeof json, "cli", ".json");
    snprintf(args, sizeof args, "channel '%s' --json '%s'", path, json);
    cr_assert(eq(int, cli(args), 0), "%s", out);
    cr_assert(ls_has(out, "19.74"), "IL at 26.5625 GHz: %s", out);
    cr_assert(ls_has(out, "26.5625"));
    cr_assert(ls_has(out, "10.3"), "delay: %s", out);
    cr_assert(ls_has(out, "fmax"));
    cr_assert(ls_has(out, "106.25") && ls_has(out, "above fmax"));
    const char *text = ls_test_slurp(json);
    cr_assert(text != NULL, "%s missing", json);
    cJSON *j = cJSON_Parse(text);
    cr_assert(j != NULL, "bad JSON: %s", text);
    cJSON *pts = cJSON_GetObjectItem(j, "points");
    cr_assert(cJSON_IsArray(pts));
    cr_assert(eq(int, cJSON_GetArraySize(pts), 3));
    cJSON *p0 = cJSON_GetArrayItem(pts, 0);
    cr_assert(epsilon_eq(dbl, cJSON_GetObjectItem(p0, "freq_hz")->valuedouble, 26.5625e9, 1));
    cr_assert(fabs(cJSON_GetObjectItem(p0, "il_db")->valuedouble - 19.74) < 0.1);
    cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(p0, "rl_db")));
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(pts, 2), "il_db")));
    cr_assert(fabs(cJSON_GetObjectItem(j, "delay_s")->valuedouble / 10.36e-9 - 1) < 0.05);
    cr_assert(eq(dbl, cJSON_GetObjectItem(j, "fmax_hz")->valuedouble, 60e9));
    cJSON *w = cJSON_GetObjectItem(j, "warnings");
    cr_assert(cJSON_IsArray(w));
    cr_assert(eq(int, cJSON_GetArraySize(w), 1), "only the range warning");
    cr_assert(ls_has(cJSON_GetArrayItem(w, 0)->valuestring, path));
    cJSON *ports = cJSON_GetObjectItem(j, "ports");
    cr_assert(cJSON_IsObject(ports));
    cr_assert(eq(int, cJSON_GetObjectItem(ports, "in_p")->valueint, 1));
    cr_assert(eq(int, cJSON_GetObjectItem(ports, "in_n")->valueint, 3));
    cr_assert(eq(int, cJSON_GetObjectItem(ports, "out_p")->valueint, 2));
    cr_assert(eq(int, cJSON_GetObjectItem(ports, "out_n")->valueint, 4));
    cJSON_Delete(j);
    unlink(json);

    snprintf(args, sizeof args, "channel '%s' --at 13.28125,40 --ports 1,3,2,4", path);
    cr_assert(eq(int, cli(args), 0), "%s", out);
    cr_assert(ls_has(out, "11.62") && ls_has(out, "32.19"), "%s", out);
    cr_assert(0 == (ls_has(out, "warnings")), "all frequencies inside the data: %s", out);
    snprintf(args, sizeof args, "channel '%s' --ports 1,1,2,4", path);
    cr_assert(eq(int, cli(args), 2));
    cr_assert(ls_has(out, "--ports"));
    snprintf(args, sizeof args, "channel '%s' --at 10,abc", path);
    cr_assert(eq(int, cli(args), 2));
    cr_assert(eq(int, cli("channel --help"), 0));
    cr_assert(ls_has(out, "--at") && ls_has(out, "PRESET"));
    cr_assert(eq(int, cli("channel"), 2));
    cr_assert(eq(int, cli("--help"), 0));
    cr_assert(ls_has(out, "channel FILE.sNp"));
    if (is_tmp)
        unlink(path);
}

Test(touchstone, cli_malformed_file_exits_2_with_file_and_line, .timeout = LS_TIMEOUT(30))
{
    char p[512], json[512], args[2048];
    tmpname(p, sizeof p, "clibad", ".s2p");
    tmpname(json, sizeof json, "clibad", ".json");
    write_text(p, "# GHz S RI R 50\n" TWO_PORT_LINE(1) TWO_PORT_LINE(0.5));
    snprintf(args, sizeof args, "channel '%s' --json '%s'", p, json);
    cr_assert(eq(int, cli(args), 2));
    char want[700];
    snprintf(want, sizeof want, "lanesim: %s:3: ", p);
    cr_assert(0 == (strncmp(out, want, strlen(want))), "got: %s", out);
    cr_assert(eq(int, (int)(strchr(out, '\n') - out), (int)strlen(out) - 1), "one line: %s", out);
    cr_assert(0 == (ls_test_file_exists(json)), "no JSON file left");
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "ls '%s'.tmp* 2>/dev/null | grep -q .", json);
    cr_assert(system(cmd) != 0, "no temporary file left");
    unlink(p);
}

/* ------------------------------------------------------------------------------------------ */
/* the Touchstone channel of the copper preset is honoured (no silent fallback to the cable) */

Test(touchstone, a_touchstone_file_with_channel_type_cable_is_a_conflict)
{
    /* before: the file was ignored and the default 1 m cable ran (BER 3.2e-7 on a 42.7 dB channel) */
    cr_assert(eq(int, cli("run copper -s channel.touchstone=some.s4p --symbols 100"), 2), "%s", out);
    cr_assert(ls_has(out, "channel.touchstone = some.s4p, but channel.type = cable ignores it"), "%s", out);
    cr_assert(eq(int, cli("channel copper -s channel.touchstone=some.s4p"), 2), "%s", out);
    cr_assert(ls_has(out, "channel.type = cable ignores it"), "%s", out);
}

Test(touchstone, reach_refuses_a_fixed_channel)
{
    /* before: 16 evaluations of a length that does not apply, "reach >= 10 m, margin 0.00" */
    cr_assert(eq(int, cli("reach copper -s channel.type=touchstone -s channel.touchstone=some.s4p"), 2), "%s", out);
    cr_assert(ls_has(out, "fixed channel"), "%s", out);
}

Test(touchstone, run_prints_and_stores_the_channel_warnings, .timeout = LS_TIMEOUT(120))
{
    char path[512], json[512], args[2048];
    tmpname(path, sizeof path, "warn", ".s2p");
    tmpname(json, sizeof json, "warn", ".json");
    /* a 2-port that ends at 40 GHz, far below the simulated band: the block warns */
    write_text(path, "# GHz S RI R 50\n0.01 0 0 0.95 0 0.95 0 0 0\n20 0 0 0.5 0 0.5 0 0 0\n"
                     "40 0 0 0.3 0 0.3 0 0 0\n");
    snprintf(args, sizeof args,
             "run copper -s channel.type=touchstone -s channel.touchstone='%s' --symbols 500 --json '%s'", path, json);
    cr_assert(eq(int, cli(args), 0), "%s", out);
    cr_assert(ls_has(out, "warning: ") && ls_has(out, "data end at fmax = 40 GHz"), "%s", out);
    const char *text = ls_test_slurp(json);
    cr_assert(text != NULL, "%s missing", json);
    cJSON *j = cJSON_Parse(text);
    cr_assert(j != NULL, "bad JSON: %s", text);
    const cJSON *w = cJSON_GetObjectItem(j, "warnings");
    cr_assert(cJSON_IsArray(w) && cJSON_GetArraySize(w) >= 1, "no warnings in the JSON");
    cr_assert(ls_has(cJSON_GetArrayItem(w, 0)->valuestring, "40 GHz") ||
              ls_has(cJSON_GetArrayItem(w, cJSON_GetArraySize(w) - 1)->valuestring, "40 GHz"));
    cJSON_Delete(j);
    unlink(path);
    unlink(json);
}

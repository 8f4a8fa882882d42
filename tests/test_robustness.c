/*
 * Bad input at the edges (the robustness issue; docs/touchstone.md "Errors"): each reproducer gives
 * one line naming the file and line and exit 2, within a time bound, through the API and the CLI.
 * The crafted files of ../shared/robustness are used when present (skipped otherwise); the same
 * defects are also written here, so the tests run without them.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lanesim/config.h"
#include "lanesim/touchstone.h"
#include "util.h"

#ifndef LS_CLI_PATH
#define LS_CLI_PATH "lanesim"
#endif

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* ls_touchstone_read refuses the file with LS_EINVAL and a message holding `phrase`. */
static void api_refuses(const char *path, const char *phrase)
{
    char msg[512] = "";
    ls_status st = LS_OK;
    ls_touchstone *t = ls_touchstone_read(path, msg, sizeof msg, &st);
    ls_touchstone_destroy(t);
    cr_assert(t == NULL, "%s was accepted", path);
    cr_assert(eq(int, st, LS_EINVAL), "%s: status %d (%s)", path, st, msg);
    cr_assert(ls_has(msg, phrase), "%s: '%s' lacks '%s'", path, msg, phrase);
}

/* `lanesim channel FILE` exits 2 within 20 s with one line naming the file and `phrase`. */
static void cli_refuses(const char *path, const char *phrase)
{
    char cmd[1024], out[2048];
    snprintf(cmd, sizeof cmd, "timeout 20 %s channel '%s'", LS_CLI_PATH, path);
    int rc = ls_test_run(cmd, out, sizeof out);
    cr_assert(eq(int, rc, 2), "%s: exit %d: %s", cmd, rc, out);
    cr_assert(ls_has(out, path) && ls_has(out, phrase), "%s: %s", cmd, out);
    const char *nl = strchr(out, '\n');
    cr_assert(nl && nl[1] == '\0', "%s: not one line: %s", cmd, out);
}

typedef struct {
    const char *name, *text, *phrase;
} bad_ts;

/* The four Touchstone reproducers of ../shared/robustness, as text. */
static const bad_ts bad[] = {
    { "freq_overflow.s2p", "# GHz S RI R 50\n1 0.1 0 0.9 0 0.9 0 0.1 0\n1e300 0.1 0 0.9 0 0.9 0 0.1 0\n",
      "overflows once scaled to Hz" },
    { "fmax_1e308.s2p", "# Hz S RI R 50\n1e9 0.1 0 0.9 0 0.9 0 0.1 0\n1e308 0.1 0 0.9 0 0.9 0 0.1 0\n",
      "is above 1e+13 Hz" },
    { "denormal_step.s2p", "# Hz S RI R 50\n0 0.1 0 0.9 0 0.9 0 0.1 0\n5e-324 0.1 0 0.9 0 0.9 0 0.1 0\n",
      "below 1 Hz" },
    { "inf_freq.s2p", "# MHz S RI R 50\n1 0.1 0 0.9 0 0.9 0 0.1 0\n1e303 0.1 0 0.9 0 0.9 0 0.1 0\n",
      "overflows once scaled to Hz" },
};

Test(robustness, touchstone_frequencies_out_of_bounds_are_refused)
{
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "/tmp/ls_rob_%d_%s", (int)getpid(), bad[i].name);
        write_text(path, bad[i].text);
        api_refuses(path, bad[i].phrase);
        cli_refuses(path, bad[i].phrase);
        unlink(path);
    }
}

Test(robustness, shared_touchstone_reproducers_are_refused)
{
    const char *sd = ls_test_shared_dir();
    if (!sd)
        cr_skip_test("../shared not present");
    static const char *const files[][2] = {
        { "ts_freq_overflow_hang.s2p", "overflows once scaled to Hz" },
        { "ts_fmax_1e308_hang.s2p", "is above 1e+13 Hz" },
        { "ts_denormal_step_ub.s2p", "below 1 Hz" },
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/robustness/%s", sd, files[i][0]);
        if (!ls_test_file_exists(path))
            cr_skip_test("%s not present", path);
        api_refuses(path, files[i][1]);
        cli_refuses(path, files[i][1]);
    }
}

Test(robustness, a_directory_named_as_touchstone_is_bad_input)
{
    char dir[256];
    snprintf(dir, sizeof dir, "/tmp/ls_rob_%d_dir.s4p", (int)getpid());
    cr_assert(eq(int, mkdir(dir, 0700), 0));
    api_refuses(dir, "is a directory");
    cli_refuses(dir, "is a directory");
    char cmd[1024], out[2048];
    snprintf(cmd, sizeof cmd,
             "timeout 60 %s run copper -s channel.type=touchstone -s channel.touchstone='%s' --symbols 100",
             LS_CLI_PATH, dir);
    int rc = ls_test_run(cmd, out, sizeof out);
    cr_assert(eq(int, rc, 2), "%s: exit %d: %s", cmd, rc, out);
    cr_assert(ls_has(out, "is a directory"), "%s", out);
    rmdir(dir);
}

/* ---- INI files (sim/config_load.c: the line reader under inih) ---- */

/* Loads text as an INI file; returns the configuration (or NULL with msg). */
static ls_config *load_text(const char *text, char *msg, size_t cap, ls_status *st)
{
    char path[256];
    snprintf(path, sizeof path, "/tmp/ls_rob_%d.ini", (int)getpid());
    write_text(path, text);
    ls_config *c = ls_config_load_ini(path, msg, cap, st);
    unlink(path);
    return c;
}

Test(robustness, ini_long_comment_is_a_comment_and_lines_keep_their_numbers)
{
    char text[1024], msg[512] = "";
    ls_status st;
    memset(text, 0, sizeof text);
    strcpy(text, "; ");
    memset(text + 2, 'c', 400);
    strcat(text, "\npreset = awgn\n[noise]\nsnr_db = 17\n");
    ls_config *c = load_text(text, msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    cr_assert(eq(dbl, ls_config_real(c, "noise.snr_db"), 17.0));
    ls_config_destroy(c);
    /* an error after the long comment is reported at its own line */
    strcpy(strstr(text, "snr_db = 17"), "bogus = 1\n");
    cr_assert(load_text(text, msg, sizeof msg, &st) == NULL);
    cr_assert(ls_has(msg, ":4: unknown key 'noise.bogus'"), "%s", msg);
}

Test(robustness, ini_overlong_value_line_names_the_limit)
{
    char text[1024] = "preset = awgn\n[tx]\npattern = ", msg[512] = "";
    ls_status st;
    memset(text + strlen(text), 'p', 300);
    strcat(text, "\n");
    cr_assert(load_text(text, msg, sizeof msg, &st) == NULL);
    cr_assert(eq(int, st, LS_EINVAL));
    cr_assert(ls_has(msg, ":3: line of 310 bytes is longer than"), "%s", msg);
}

Test(robustness, ini_continuation_line_is_an_error_not_an_override)
{
    char msg[512] = "";
    ls_status st;
    cr_assert(load_text("preset = awgn\n[noise]\nsnr_db = 30\n    12\n", msg, sizeof msg, &st) == NULL);
    cr_assert(eq(int, st, LS_EINVAL));
    cr_assert(ls_has(msg, ":4: an indented line without '='"), "%s", msg);
}

Test(robustness, ini_indented_keys_are_keys)
{
    char msg[512] = "";
    ls_status st;
    ls_config *c = load_text("preset = awgn\n[tx]\n  swing_vpp = 0.8\n\trlm = 0.9\n", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    cr_assert(eq(dbl, ls_config_real(c, "tx.swing_vpp"), 0.8));
    cr_assert(eq(dbl, ls_config_real(c, "tx.rlm"), 0.9));
    ls_config_destroy(c);
}

/* ---- memory exhaustion: a clean "out of memory", exit 1, never FFTW's abort (exit 134) ---- */

Test(robustness, tight_memory_gives_out_of_memory_not_an_abort, .timeout = LS_TIMEOUT(240))
{
    if (getenv("LS_SANITIZED"))
        cr_skip_test("address-space limits do not apply under AddressSanitizer");
    static const char *const presets[] = { "copper", "lpo" };
    static const int limits_kb[] = { 9000, 12000, 16000, 22000, 30000 };
    for (size_t p = 0; p < 2; p++)
        for (size_t i = 0; i < sizeof limits_kb / sizeof limits_kb[0]; i++) {
            char cmd[1024], out[4096];
            snprintf(cmd, sizeof cmd, "(ulimit -v %d; timeout 60 %s run %s --symbols 2000 --mode both >/dev/null)",
                     limits_kb[i], LS_CLI_PATH, presets[p]);
            int rc = ls_test_run(cmd, out, sizeof out);
            cr_assert(rc == 0 || (rc == 1 && ls_has(out, "out of memory")) || (rc == 127 && ls_has(out, "shared")),
                      "%s: exit %d: %s", cmd, rc, out);
        }
}

/* ---- a physically impossible drive names the keys that set it ---- */

/* `lanesim run FILE.ini --symbols 100` on the INI text: its exit status, its output in out. */
static int run_ini_text(const char *text, char *out, size_t cap)
{
    char path[256], cmd[1024];
    snprintf(path, sizeof path, "/tmp/ls_rob_%d_run.ini", (int)getpid());
    write_text(path, text);
    snprintf(cmd, sizeof cmd, "timeout 60 %s run '%s' --symbols 100", LS_CLI_PATH, path);
    int rc = ls_test_run(cmd, out, cap);
    unlink(path);
    return rc;
}

Test(robustness, ring_biased_on_resonance_names_its_keys)
{
    char out[2048];
    int rc = run_ini_text("preset = cpo\n[modulator]\nbias_detune_ghz = 0\n", out, sizeof out);
    cr_assert(eq(int, rc, 2), "exit %d: %s", rc, out);
    cr_assert(ls_has(out, "modulator.bias_detune_ghz"), "%s", out);
}

/* ---- a file cannot ask for an absurd analysis grid (channels/copper/sparam_build.c) ---- */

Test(robustness, one_hertz_step_is_analysed_on_a_bounded_grid, .timeout = LS_TIMEOUT(120))
{
    char path[256], cmd[1024], out[8192];
    snprintf(path, sizeof path, "/tmp/ls_rob_%d_1hz.s2p", (int)getpid());
    write_text(path, "# Hz S RI R 50\n0 0.1 0 0.9 0 0.9 0 0.1 0\n1 0.1 0 0.9 0 0.9 0 0.1 0\n"
                     "60e9 0.1 0 0.5 0 0.5 0 0.1 0\n");
    /* before the bound: 727 MB and 7 s in 'channel', 774 MB and 47 s in 'run' */
    const char *lim = getenv("LS_SANITIZED") ? "" : "ulimit -v 400000; "; /* ASan needs its address space */
    snprintf(cmd, sizeof cmd, "(%stimeout 20 %s channel '%s')", lim, LS_CLI_PATH, path);
    int rc = ls_test_run(cmd, out, sizeof out);
    cr_assert(eq(int, rc, 0), "%s: exit %d: %s", cmd, rc, out);
    cr_assert(ls_has(out, "analysed on a 1 MHz grid"), "%s", out);
    if (!getenv("LS_SANITIZED")) {
        snprintf(cmd, sizeof cmd,
                 "(ulimit -v 400000; timeout 60 %s run copper -s channel.type=touchstone -s channel.touchstone='%s' "
                 "--symbols 2000 >/dev/null)",
                 LS_CLI_PATH, path);
        rc = ls_test_run(cmd, out, sizeof out);
        cr_assert(eq(int, rc, 0), "%s: exit %d: %s", cmd, rc, out);
    }
    unlink(path);
}

/* ---- errors about keys name the INI line that set them (ls_config_origin / ls_config_blame) ---- */

Test(robustness, ini_values_remember_their_line)
{
    char msg[512] = "";
    ls_status st;
    ls_config *c = load_text("preset = awgn\n[link]\nsps = 4\n[rx]\nfilter = bessel\n", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    const char *o = ls_config_origin(c, "link.sps");
    cr_assert(o && ls_has(o, ".ini:3"), "%s", o ? o : "(null)");
    cr_assert(ls_config_origin(c, "noise.snr_db") == NULL, "a default has no origin");
    o = ls_config_blame(c, "link.sps: 4 is too few samples per UI for rx.filter (use 8..128)");
    cr_assert(o && ls_has(o, ".ini:3"), "%s", o ? o : "(null)");
    o = ls_config_blame(c, "too few samples per UI for rx.filter");
    cr_assert(o && ls_has(o, ".ini:5"), "%s", o ? o : "(null)");
    ls_config *d = ls_config_copy(c);
    cr_assert(d && ls_config_origin(d, "rx.filter") && ls_has(ls_config_origin(d, "rx.filter"), ".ini:5"));
    cr_assert(eq(int, ls_config_set(d, "link.sps", "16", msg, sizeof msg), LS_OK));
    cr_assert(ls_config_origin(d, "link.sps") == NULL, "a later set clears the origin");
    ls_config_destroy(d);
    ls_config_destroy(c);
}

/* ---- fuzz findings, fixed (tests/fuzz, docs/robustness.md) ---- */

Test(robustness, touchstone_db_value_that_overflows_is_refused)
{
    char path[256];
    snprintf(path, sizeof path, "/tmp/ls_rob_%d_db.s2p", (int)getpid());
    write_text(path, "#DB\n1 0 0 7000 0 0 0 0 0\n");
    api_refuses(path, "S-parameter magnitude");
    cli_refuses(path, "S-parameter magnitude");
    unlink(path);
}

Test(robustness, tiny_file_spanning_ten_terahertz_is_cheap, .timeout = LS_TIMEOUT(120))
{
    char path[256], cmd[1024], out[8192];
    snprintf(path, sizeof path, "/tmp/ls_rob_%d_thz.s2p", (int)getpid());
    write_text(path, "# Hz S RI R 50\n1 0.1 0 0.9 0 0.9 0 0.1 0\n2 0.1 0 0.9 0 0.9 0 0.1 0\n"
                     "1e13 0.1 0 0.5 0 0.5 0 0.1 0\n");
    /* the analysis ran on 2^25 points (83 s, 1.1 GB under ASan); now at most 2^21 */
    snprintf(cmd, sizeof cmd, "timeout 60 %s channel '%s'", LS_CLI_PATH, path);
    int rc = ls_test_run(cmd, out, sizeof out);
    unlink(path);
    cr_assert(eq(int, rc, 0), "%s: exit %d: %s", cmd, rc, out);
}

/* ---- the command line: argv tables, signals, output sets ---- */

Test(robustness, thousands_of_repeated_flags_are_refused_not_a_crash)
{
    char cmd[1024], out[2048];
    /* the shell builds the 3000 repeats (ls_test_run's command line is short); a crashed before at ~600 */
    snprintf(cmd, sizeof cmd,
             "a=''; i=0; while [ $i -lt 3000 ]; do a=\"$a --seed 1\"; i=$((i+1)); done; %s run awgn --symbols 100 $a",
             LS_CLI_PATH);
    int rc = ls_test_run(cmd, out, sizeof out);
    cr_assert(eq(int, rc, 2), "exit %d: %s", rc, out);
    cr_assert(ls_has(out, "too many"), "%s", out);
}

/* Empty folder D for a test; the caller removes it. */
static void scratch_dir(char *d, size_t cap, const char *tag)
{
    snprintf(d, cap, "/tmp/ls_rob_%d_%s", (int)getpid(), tag);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", d, d);
    cr_assert(eq(int, system(cmd), 0));
}

static int dir_entries(const char *d)
{
    char cmd[600], out[256];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", d);
    ls_test_run(cmd, out, sizeof out);
    return atoi(out);
}

static void rm_dir(const char *d)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    cr_assert(eq(int, system(cmd), 0));
}

Test(robustness, signals_leave_no_temporary_and_exit_128_plus_the_signal, .timeout = LS_TIMEOUT(120))
{
    static const struct {
        const char *sig;
        int rc;
    } sigs[] = { { "INT", 130 }, { "TERM", 143 } };
    for (size_t k = 0; k < 2; k++) {
        char d[256], cmd[1024], out[2048];
        scratch_dir(d, sizeof d, "sig");
        snprintf(cmd, sizeof cmd,
                 "timeout --preserve-status -s %s 2 %s run lpo --symbols 100000000 --json '%s/r.json' "
                 "--csv '%s/r.csv' --dump eye='%s/eye.dat' >/dev/null",
                 sigs[k].sig, LS_CLI_PATH, d, d, d);
        int rc = ls_test_run(cmd, out, sizeof out);
        cr_assert(eq(int, rc, sigs[k].rc), "%s: exit %d: %s", cmd, rc, out);
        cr_assert(eq(int, dir_entries(d), 0), "SIG%s left files in %s", sigs[k].sig, d);
        /* study: the --out folder it made is removed again while still empty */
        snprintf(cmd, sizeof cmd, "timeout --preserve-status -s %s 2 %s study --out '%s/new' >/dev/null",
                 sigs[k].sig, LS_CLI_PATH, d);
        rc = ls_test_run(cmd, out, sizeof out);
        cr_assert(eq(int, rc, sigs[k].rc), "%s: exit %d: %s", cmd, rc, out);
        cr_assert(eq(int, dir_entries(d), 0), "study SIG%s left %s/new", sigs[k].sig, d);
        rm_dir(d);
    }
}

Test(robustness, a_failing_output_leaves_none_of_the_others)
{
    char d[256], cmd[1024], out[4096];
    scratch_dir(d, sizeof d, "set");
    snprintf(cmd, sizeof cmd, "%s run awgn --symbols 1000 --json '%s/r.json' --dump eye='%s/e.dat' --csv /dev/full",
             LS_CLI_PATH, d, d);
    int rc = ls_test_run(cmd, out, sizeof out);
    cr_assert(eq(int, rc, 1), "%s: exit %d: %s", cmd, rc, out);
    cr_assert(ls_has(out, "/dev/full: write failed"), "%s", out);
    cr_assert(eq(int, dir_entries(d), 0), "a failed run left outputs in %s", d);
    /* and the same command with a writable CSV writes all three */
    snprintf(cmd, sizeof cmd, "%s run awgn --symbols 1000 --json '%s/r.json' --dump eye='%s/e.dat' --csv '%s/r.csv'",
             LS_CLI_PATH, d, d, d);
    rc = ls_test_run(cmd, out, sizeof out);
    cr_assert(eq(int, rc, 0), "%s: exit %d: %s", cmd, rc, out);
    cr_assert(eq(int, dir_entries(d), 3));
    rm_dir(d);
}

Test(robustness, exit_codes_follow_one_rule)
{
    char cmd[1024], out[4096], d[256];
    /* a missing input file is bad input (2), named on the command line or by a key */
    snprintf(cmd, sizeof cmd, "%s channel /nonexistent/ch.s4p", LS_CLI_PATH);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 2), "%s", out);
    snprintf(cmd, sizeof cmd,
             "%s run copper -s channel.type=touchstone -s channel.touchstone=/nonexistent/ch.s4p --symbols 10",
             LS_CLI_PATH);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 2), "%s", out);
    cr_assert(ls_has(out, "/nonexistent/ch.s4p: cannot read"), "%s", out);
    /* an output that cannot be opened is refused before anything runs (2), in every subcommand */
    static const char *const outs[] = { "run awgn --symbols 10 --json", "reach flat --json",
                                        "sweep flat --param link.length_m=1,2 --mode stat --csv",
                                        "channel copper --json" };
    for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++) {
        snprintf(cmd, sizeof cmd, "%s %s /nonexistent/out.x", LS_CLI_PATH, outs[i]);
        int rc = ls_test_run(cmd, out, sizeof out);
        cr_assert(eq(int, rc, 2), "%s: exit %d: %s", cmd, rc, out);
    }
    /* a frequency out of any channel's range, with a hint about the unit */
    snprintf(cmd, sizeof cmd, "%s channel copper --at 1e300", LS_CLI_PATH);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 2), "%s", out);
    cr_assert(ls_has(out, "in GHz"), "%s", out);
    /* a shard row of the wrong width is bad input, and nothing is written */
    scratch_dir(d, sizeof d, "merge");
    char shard[300];
    snprintf(shard, sizeof shard, "%s/s.csv", d);
    write_text(shard, "# lanesim sweep shard 0/1: 2 points, sweep 0123456789abcdef\n"
                      "point,link.length_m,stat_ber,snr_eq_db\n0,1,2.852943e-29,27.9310\n1,garbage\n");
    snprintf(cmd, sizeof cmd, "%s merge '%s/out.csv' '%s'", LS_CLI_PATH, d, shard);
    int rc = ls_test_run(cmd, out, sizeof out);
    cr_assert(eq(int, rc, 2), "%s: exit %d: %s", cmd, rc, out);
    cr_assert(ls_has(out, ":4: 2 fields, but the header has 4"), "%s", out);
    cr_assert(eq(int, dir_entries(d), 1), "merge wrote something");
    rm_dir(d);
}

Test(robustness, an_inconsistent_link_from_an_ini_names_its_line)
{
    char out[2048];
    int rc = run_ini_text("preset = awgn\n[link]\nsps = 4\n[rx]\nfilter = bessel\n", out, sizeof out);
    cr_assert(eq(int, rc, 2), "exit %d: %s", rc, out);
    cr_assert(ls_has(out, ".ini:3: link.sps: 4 is too few samples per UI"), "%s", out);
}

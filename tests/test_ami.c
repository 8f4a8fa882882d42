/*
 * IBIS-AMI (include/lanesim/ami.h, docs/ibis-ami.md): the .ami tree and the parameter strings, the
 * .ibs reader, running models (errors, NaN, crashes contained by the child process), and the models in
 * links against lanesim's own blocks. The test models are tests/ami_models/ (one .c each), built as shared
 * libraries in LS_AMI_DIR next to copies of tests/data/ami/.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "lanesim.h"
#include "util.h"

#define IBS LS_AMI_DIR "/lanesim_test.ibs"

/* Every Format of IBIS 7.x that carries values (Value, Range, List, Corner, Increment, Steps), every
   Type, a nested branch, Usage Out/Info that must not be passed, and an old-style "(name value)". */
static const char *const ALL_FORMATS =
    "| comment line\n"
    "(probe (Description \"all formats\")\n"
    " (Reserved_Parameters (Init_Returns_Impulse (Usage Info) (Type Boolean) (Value True))\n"
    "   (GetWave_Exists (Usage Info) (Type Boolean) (Value False)) (Ignore_Bits 123))\n"
    " (Model_Specific\n"
    "  (v (Usage In) (Type Float) (Value 0.5))\n"
    "  (r (Usage In) (Type Float) (Range 1 -2 3))\n"
    "  (r5 (Usage InOut) (Type Integer) (Format Range 2 0 9))\n"
    "  (l (Usage In) (Type Integer) (List 1 2 4 8) (Default 4))\n"
    "  (ls (Usage In) (Type String) (List \"fast\" \"slow\"))\n"
    "  (c (Usage In) (Type Float) (Corner 10 8 12))\n"
    "  (inc (Usage In) (Type Float) (Increment 0.5 0 2 0.25))\n"
    "  (st (Usage In) (Type Float) (Steps 1 0 4 8))\n"
    "  (b (Usage In) (Type Boolean) (Value False))\n"
    "  (tap (Usage In) (Type Tap) (Range 0 -1 1))\n"
    "  (ui (Usage In) (Type UI) (Value 0.25))\n"
    "  (grp (sub (Usage In) (Type Float) (Range 3 0 5)) (out_only (Usage Out) (Type Float) (Value 0)))\n"
    "  (info (Usage Info) (Type Float) (Value 7))\n"
    "  (o (Usage Out) (Type Float) (Value 0))))\n";

static ls_ami_params *parse_all(void)
{
    char msg[512] = "";
    ls_status st;
    ls_ami_params *p = ls_ami_params_parse(ALL_FORMATS, strlen(ALL_FORMATS), "all.ami", msg, sizeof msg, &st);
    cr_assert(p, "parse failed: %s", msg);
    return p;
}

Test(ami, ami_tree_reads_usage_type_format_default)
{
    ls_ami_params *p = parse_all();
    cr_expect_str_eq(ls_ami_params_root(p), "probe");
    const ls_ami_param *l = ls_ami_params_find(p, "l");
    cr_assert(l);
    cr_expect_eq(l->format, LS_AMI_LIST);
    cr_expect_eq(l->type, LS_AMI_INTEGER);
    cr_expect_str_eq(l->value, "4"); /* Default wins over the first entry */
    const ls_ami_param *sub = ls_ami_params_find(p, "grp.sub");
    cr_assert(sub);
    cr_expect_eq(sub->format, LS_AMI_RANGE);
    cr_expect_str_eq(sub->value, "3");
    cr_expect_eq(ls_ami_params_find(p, "r5")->usage, LS_AMI_INOUT);
    cr_expect_eq(ls_ami_params_find(p, "st")->format, LS_AMI_STEPS);
    cr_expect_eq(ls_ami_params_flag(p, "Init_Returns_Impulse", 0), 1);
    cr_expect_eq(ls_ami_params_flag(p, "GetWave_Exists", 1), 0);
    cr_expect_float_eq(ls_ami_params_number(p, "Ignore_Bits", 0), 123, 0);
    ls_ami_params_destroy(p);
}

/* Overrides of every Format, the input string built, parsed back: each In/InOut value round-trips,
   strings quoted, Out and Info parameters absent. */
Test(ami, parameter_string_round_trips_every_format)
{
    ls_ami_params *p = parse_all();
    static const char *const set[][2] = { { "v", "0.75" },  { "r", "-1.5" },  { "r5", "9" },    { "l", "8" },
                                          { "ls", "slow" }, { "c", "12" },    { "inc", "1.75" }, { "st", "3.5" },
                                          { "b", "True" },  { "tap", "-0.2" }, { "ui", "0.125" }, { "grp.sub", "4.5" } };
    char msg[512];
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        cr_assert_eq(ls_ami_params_set(p, set[i][0], set[i][1], msg, sizeof msg), LS_OK, "%s: %s", set[i][0], msg);
    char in[4096];
    cr_assert_eq(ls_ami_params_input_string(p, in, sizeof in), LS_OK);
    cr_expect(strstr(in, "(ls \"slow\")"), "string not quoted: %s", in);
    cr_expect(!strstr(in, "out_only") && !strstr(in, "(info") && !strstr(in, "(o "), "Out/Info passed: %s", in);
    cr_expect(!strstr(in, "Model_Specific") && !strstr(in, "Reserved_Parameters"), "branch names passed: %s", in);
    ls_ami_kv kv[64];
    size_t n;
    cr_assert_eq(ls_ami_output_parse(in, kv, 64, &n, msg, sizeof msg), LS_OK, "%s", msg);
    cr_expect_eq(n, sizeof set / sizeof set[0], "%zu values in %s", n, in);
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++) {
        int found = 0;
        for (size_t k = 0; k < n; k++)
            found |= !strcmp(kv[k].name, set[i][0]) && !strcmp(kv[k].value, set[i][1]);
        cr_expect(found, "%s=%s not in %s", set[i][0], set[i][1], in);
    }
    ls_ami_params_destroy(p);
}

Test(ami, bad_values_are_refused_with_file_line_and_reason)
{
    ls_ami_params *p = parse_all();
    static const char *const bad[][3] = {
        { "r", "3.5", "outside the Range" },   { "l", "3", "not one of the List" },
        { "inc", "0.3", "Increment grid" },    { "st", "0.3", "Steps grid" },
        { "c", "9", "not one of the Corner" }, { "r5", "1.5", "not an Integer" },
        { "b", "maybe", "not a Boolean" },     { "o", "1", "Usage Out" },
        { "info", "1", "Usage Info" },         { "nosuch", "1", "no parameter" },
        { "v", "abc", "not a number" },        { "ls", "a\"b", "quote" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char msg[512] = "";
        cr_expect_eq(ls_ami_params_set(p, bad[i][0], bad[i][1], msg, sizeof msg), LS_EINVAL, "%s=%s accepted",
            bad[i][0], bad[i][1]);
        cr_expect(strstr(msg, bad[i][2]) && strstr(msg, "all.ami"), "%s=%s: '%s'", bad[i][0], bad[i][1], msg);
    }
    ls_ami_params_destroy(p);
}

Test(ami, malformed_trees_give_one_line_with_file_and_line)
{
    static const char *const cases[][2] = {
        { "", "empty" },
        { "(a (b 1)", "not closed" },
        { "(a (b 1)))", "after the parameter tree" },
        { "x (a)", "before the parameter tree" },
        { "(a\n(b \"open\n", "unterminated" },
        { "(a (\"q\" 1))", "must start with a name" },
        { "(a (Model_Specific (p (Usage Sideways))))", "unknown Usage" },
        { "(a (Model_Specific (p (Usage In) (Type Float) (Range 9 0 1))))", "default" },
        { "(a (Bogus (p 1)))", "unknown branch" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char msg[512] = "";
        ls_status st;
        ls_ami_params *p = ls_ami_params_parse(cases[i][0], strlen(cases[i][0]), "m.ami", msg, sizeof msg, &st);
        cr_expect_null(p, "case %zu parsed", i);
        cr_expect_eq(st, LS_EINVAL);
        cr_expect(strstr(msg, cases[i][1]) && !strncmp(msg, "m.ami:", 6) && !strchr(msg, '\n'), "case %zu: '%s'", i,
            msg);
        ls_ami_params_destroy(p);
    }
    char deep[400] = "";
    for (int i = 0; i < 100; i++)
        strcat(deep, "(a ");
    char msg[256];
    cr_expect_null(ls_ami_params_parse(deep, strlen(deep), "d.ami", msg, sizeof msg, NULL));
    cr_expect(strstr(msg, "deeper than 64"), "%s", msg);
}

/* Random byte edits of a valid tree never crash the readers (run under the sanitizers in CI). */
Test(ami, readers_survive_random_edits)
{
    const uint64_t seed = ls_test_seed(14);
    ls_rng rng, *r = &rng;
    ls_rng_seed(r, seed, 0, 0);
    const size_t n = strlen(ALL_FORMATS);
    char *t = malloc(n + 1);
    static const char alphabet[] = "()\" |\n\tab.1-9eEInOutRangeListValue\0";
    for (int k = 0; k < 3000; k++) {
        memcpy(t, ALL_FORMATS, n + 1);
        for (int e = 0; e < 1 + k % 6; e++)
            t[ls_rng_u64(r) % n] = alphabet[ls_rng_u64(r) % (sizeof alphabet - 1)];
        size_t len = ls_rng_u64(r) % (n + 1);
        char msg[256];
        ls_ami_params *p = ls_ami_params_parse(t, len, "f.ami", msg, sizeof msg, NULL);
        if (p) {
            char in[8192];
            ls_status s1 = ls_ami_params_input_string(p, in, sizeof in);
            cr_expect(s1 == LS_OK || s1 == LS_EINVAL);
            ls_ami_params_destroy(p);
        }
        ls_ami_kv kv[8];
        size_t nk;
        ls_status s2 = ls_ami_output_parse(t, kv, 8, &nk, msg, sizeof msg);
        ls_ami_ibs_entry e;
        ls_status s3 = ls_ami_ibs_parse(t, len, "f.ibs", NULL, &e, msg, sizeof msg);
        cr_expect((s2 == LS_OK || s2 == LS_EINVAL) && (s3 == LS_OK || s3 == LS_EINVAL));
    }
    free(t);
}

Test(ami, ibs_reader_picks_this_platform_and_names_problems)
{
    ls_ami_ibs_entry e;
    char msg[1024] = "";
    cr_assert_eq(ls_ami_ibs_find(IBS, "tx_ffe", &e, msg, sizeof msg), LS_OK, "%s", msg);
    cr_expect_str_eq(e.library, LS_AMI_DIR "/ami_tx_ffe.so"); /* the Linux line, not the Windows one */
    cr_expect_str_eq(e.ami, LS_AMI_DIR "/tx_ffe.ami");
    cr_expect_str_eq(e.platform, "Linux_gcc_64");
    cr_expect_eq(ls_ami_ibs_find(IBS, NULL, &e, msg, sizeof msg), LS_EINVAL);
    cr_expect(strstr(msg, "7 models have an [Algorithmic Model]") && strstr(msg, "FILE") == NULL, "%s", msg);
    cr_expect_eq(ls_ami_ibs_find(IBS, "winonly", &e, msg, sizeof msg), LS_EINVAL);
    cr_expect(strstr(msg, "no Executable for Linux 64-bit") && strstr(msg, "Windows_VisualStudio_64"), "%s", msg);
    cr_expect_eq(ls_ami_ibs_find(IBS, "nosuch", &e, msg, sizeof msg), LS_EINVAL);
    cr_expect(strstr(msg, "no [Model] nosuch"), "%s", msg);
    cr_expect_eq(ls_ami_ibs_find(LS_AMI_DIR "/missing.ibs", NULL, &e, msg, sizeof msg), LS_EIO);
    static const char one[] = "[Model] only\n[Algorithmic Model]\nExecutable Linux_x_64 lib.so m.ami\n";
    cr_expect_eq(ls_ami_ibs_parse(one, strlen(one), "/d/one.ibs", NULL, &e, msg, sizeof msg), LS_OK, "%s", msg);
    cr_expect_str_eq(e.library, "/d/lib.so");
    static const char badline[] = "[Model] m\n[Algorithmic Model]\nExecutable Linux_gcc_64 lib.so\n";
    cr_expect_eq(ls_ami_ibs_parse(badline, strlen(badline), "b.ibs", "m", &e, msg, sizeof msg), LS_EINVAL);
    cr_expect(!strncmp(msg, "b.ibs:3:", 8), "%s", msg);
}

/* A block of the bad model in `mode`, AMI_Init on a short decaying impulse: the status, msg filled. */
static ls_status bad_block(const char *mode, int isolate, ls_block *b, char *msg, size_t cap)
{
    char ov[64];
    snprintf(ov, sizeof ov, "mode=%s", mode);
    ls_ami_block_config c;
    ls_ami_block_config_init(&c);
    c.ibs = IBS ":bad";
    c.overrides = ov;
    c.isolate = isolate;
    c.flow = LS_AMI_FLOW_GETWAVE;
    ls_status st = ls_ami_block_create(&c, b, msg, cap);
    if (st != LS_OK)
        return st;
    double h[256];
    for (int i = 0; i < 256; i++)
        h[i] = exp(-i / 8.0);
    return ls_ami_block_init(b, h, 256, msg, cap);
}

Test(ami, model_errors_carry_the_file_and_the_models_message)
{
    for (int iso = 0; iso < 2; iso++) {
        ls_block b;
        char msg[1400] = "";
        cr_expect_eq(bad_block("init_error", iso, &b, msg, sizeof msg), LS_EINVAL);
        cr_expect(strstr(msg, "gain setting 99 is out of range") && strstr(msg, "lanesim_test.ibs:bad"), "%s", msg);
        ls_block_destroy(&b);
        cr_expect_eq(bad_block("nan", iso, &b, msg, sizeof msg), LS_EINVAL);
        cr_expect(strstr(msg, "non-finite"), "%s", msg);
        ls_block_destroy(&b);
        cr_assert_eq(bad_block("nan_wave", iso, &b, msg, sizeof msg), LS_OK, "%s", msg);
        float x[512] = { 0 };
        (void)ls_ami_last_error(NULL, 0, 1);
        cr_expect_eq(b.ops->process(b.self, x, x, 512), LS_EINVAL);
        cr_expect(ls_ami_last_error(msg, sizeof msg, 1) && strstr(msg, "non-finite sample"), "%s", msg);
        ls_block_destroy(&b);
    }
    ls_ami_block_config c;
    ls_ami_block_config_init(&c);
    c.ibs = IBS ":nosuch";
    ls_block b;
    char msg[1400];
    cr_expect_eq(ls_ami_block_create(&c, &b, msg, sizeof msg), LS_EINVAL);
    ls_ami_model *m = ls_ami_model_open(LS_AMI_DIR "/no_such.so", "x.ibs", 0, msg, sizeof msg, NULL);
    cr_expect_null(m);
    cr_expect(strstr(msg, "x.ibs: cannot load"), "%s", msg);
    m = ls_ami_model_open("libm.so.6", "libm", 0, msg, sizeof msg, NULL); /* a library, not a model */
    cr_expect_null(m);
    cr_expect(strstr(msg, "lacks AMI_Init"), "%s", msg);
}

Test(ami, a_crashing_model_is_contained_by_the_child_process)
{
    ls_block b;
    char msg[1400] = "";
    cr_expect_neq(bad_block("crash_init", 1, &b, msg, sizeof msg), LS_OK);
    cr_expect(strstr(msg, "crashed") || strstr(msg, "process ended"), "%s", msg);
    ls_block_destroy(&b);
    cr_assert_eq(bad_block("crash_getwave", 1, &b, msg, sizeof msg), LS_OK, "%s", msg);
    float x[256] = { 0 };
    cr_expect_neq(b.ops->process(b.self, x, x, 256), LS_OK);
    cr_expect(ls_ami_last_error(msg, sizeof msg, 1) && (strstr(msg, "crashed") || strstr(msg, "process ended")), "%s",
        msg);
    cr_expect_neq(b.ops->process(b.self, x, x, 256), LS_OK); /* stays failed, no hang */
    ls_block_destroy(&b);
}

/* The command line: a crash with --ami-isolate is one line, exit status 1, and no JSON file. */
Test(ami, cli_reports_a_crash_and_writes_no_output)
{
    char out[4096], cmd[2048], json[] = "/tmp/ls_ami_crash_XXXXXX";
    int fd = mkstemp(json);
    cr_assert(fd >= 0);
    close(fd);
    unlink(json);
    snprintf(cmd, sizeof cmd, "%s run awgn -s run.symbols=10000 > /dev/null && %s run copper -s rx.model=ami "
             "-s rx.ami=%s:bad -s ami.rx.mode=crash_getwave --ami-isolate -s run.symbols=20000 --json %s",
             LS_CLI_PATH, LS_CLI_PATH, IBS, json);
    int rc = ls_test_run(cmd, out, sizeof out);
    cr_expect_eq(rc, 1, "exit %d: %s", rc, out);
    cr_expect(strstr(out, "AMI_GetWave: the model") && strstr(out, "lanesim_test.ibs:bad"), "%s", out); /* "crashed (signal 11 ...)", or under AddressSanitizer "process ended (exit status 1)" */
    cr_expect_eq(access(json, F_OK), -1, "the JSON file was written");
}

/* A run of the copper preset at 0.5 m with ideal CDR, 1-tap FFE, no ADC, no TX noise/jitter. */
static ls_config *copper(const char *const *extra)
{
    static const char *const base[] = { "link.length_m=0.5", "cdr.type=ideal", "adc.enable=false", "ffe.taps=1",
                                        "ffe.pre=0",         "dfe.taps=1",     "dfe.limit=1",       "tx.snr_db=inf",
                                        "jitter.rj_ui=0",    "jitter.dj_ui=0", "run.symbols=54400", "run.seed=7",
                                        "ami.isolate=false", "run.threads=2",  NULL };
    char msg[512];
    ls_config *c = ls_config_create("copper", msg, sizeof msg, NULL);
    cr_assert(c, "%s", msg);
    for (const char *const *a = base; *a; a++)
        cr_assert_eq(ls_config_set_assignment(c, *a, msg, sizeof msg), LS_OK, "%s", msg);
    for (const char *const *a = extra; a && *a; a++)
        cr_assert_eq(ls_config_set_assignment(c, *a, msg, sizeof msg), LS_OK, "%s: %s", *a, msg);
    return c;
}

typedef struct {
    double ber, lo, hi, stat_ber, main_v;
} outcome;

static outcome run_both(const char *const *extra)
{
    ls_config *c = copper(extra);
    ls_run_result r;
    char msg[1400];
    cr_assert_eq(ls_run(c, NULL, NULL, &r, msg, sizeof msg), LS_OK, "%s", msg);
    ls_status st;
    ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st);
    cr_assert(l, "%s", msg);
    ls_stateye_result sr;
    cr_assert_eq(ls_link_stat(l, 1e-6, &sr), LS_OK);
    outcome o = { r.ber.ber, r.ber.ber_ci95_lo, r.ber.ber_ci95_hi, sr.ber, r.link.h0 };
    ls_link_destroy(l);
    ls_run_result_free(&r);
    ls_config_destroy(c);
    return o;
}

#define AMI_RX "rx.model=ami", "rx.ami=" IBS ":rx_ctle_dfe", "ami.rx.ctle.peak_db=10", "ami.rx.ctle.fpk_ghz=53.125", \
               "ami.rx.dfe.dfe_taps=0", "ami.rx_dfe=true"

/* The AMI CTLE (lanesim's peaking form, bilinear IIR inside the model) with lanesim's DFE gives lanesim's
   own CTLE + DFE figures: Monte Carlo BER within the 95 % intervals, statistical BER within 2 %, and
   the same main cursor; the Init-only and GetWave flows agree with each other likewise. */
Test(ami, ami_ctle_matches_lanesims_ctle_in_both_flows, .timeout = LS_TIMEOUT(120))
{
    static const char *const own[] = { "ctle.form=peaking", "ctle.peak_db=10", "ctle.auto=false", NULL };
    static const char *const init[] = { AMI_RX, "ami.rx_flow=init", NULL };
    static const char *const gw[] = { AMI_RX, "ami.rx_flow=getwave", NULL };
    outcome a = run_both(own), b = run_both(init), g = run_both(gw);
    cr_expect(a.ber > 1e-3, "a BER to compare: %g", a.ber);
    cr_expect(b.ber >= a.lo && b.ber <= a.hi && a.ber >= b.lo && a.ber <= b.hi, "own %g [%g, %g], AMI init %g [%g, %g]",
        a.ber, a.lo, a.hi, b.ber, b.lo, b.hi);
    cr_expect(g.ber >= b.lo && g.ber <= b.hi, "AMI init %g [%g, %g], getwave %g", b.ber, b.lo, b.hi, g.ber);
    cr_expect(fabs(b.stat_ber / a.stat_ber - 1) < 0.02 && fabs(g.stat_ber / b.stat_ber - 1) < 1e-3,
        "statistical BER own %g, init %g, getwave %g", a.stat_ber, b.stat_ber, g.stat_ber);
    cr_expect(fabs(b.main_v / a.main_v - 1) < 2e-3, "main cursor own %g, AMI %g", a.main_v, b.main_v);
}

/* An LTI model (the TX FFE) in the Init-only and GetWave flows, and lanesim's own TX FFE. */
Test(ami, tx_ffe_model_matches_lanesims_ffe_and_flows_agree, .timeout = LS_TIMEOUT(120))
{
    static const char *const own[] = { "tx.ffe_pre=-0.1", "tx.ffe_post=-0.05", "ctle.form=peaking", "ctle.auto=false", NULL };
    static const char *const init[] = { "tx.model=ami",   "tx.ami=" IBS ":tx_ffe", "ami.tx.c_pre1=-0.1",
                                        "ami.tx.c_post1=-0.05", "ctle.form=peaking", "ctle.auto=false",
                                        "ami.tx_flow=init", NULL };
    static const char *const gw[] = { "tx.model=ami",   "tx.ami=" IBS ":tx_ffe", "ami.tx.c_pre1=-0.1",
                                      "ami.tx.c_post1=-0.05", "ctle.form=peaking", "ctle.auto=false",
                                      "ami.tx_flow=getwave", NULL };
    outcome a = run_both(own), b = run_both(init), g = run_both(gw);
    cr_expect(b.ber >= a.lo && b.ber <= a.hi, "own %g [%g, %g], AMI init %g", a.ber, a.lo, a.hi, b.ber);
    cr_expect(g.ber >= b.lo && g.ber <= b.hi, "AMI init %g [%g, %g], getwave %g", b.ber, b.lo, b.hi, g.ber);
    cr_expect(fabs(b.stat_ber / a.stat_ber - 1) < 0.02, "statistical BER own %g, AMI %g", a.stat_ber, b.stat_ber);
}

/* The GetWave DFE model: clock times once per UI after its acquisition, output parameters with its taps. */
Test(ami, getwave_model_returns_clock_times_and_output_parameters)
{
    ls_ami_block_config c;
    ls_ami_block_config_init(&c);
    c.ibs = IBS ":rx_ctle_dfe";
    c.overrides = "dfe.dfe_taps=2;dfe.adapt=True;vpp=1;acquire_ui=100";
    c.baud = 53.125e9;
    c.sps = 16;
    ls_block b;
    char msg[1400];
    cr_assert_eq(ls_ami_block_create(&c, &b, msg, sizeof msg), LS_OK, "%s", msg);
    const double fs = c.baud * c.sps, tau = 8e-12;
    double h[4096];
    for (int i = 0; i < 4096; i++)
        h[i] = exp(-i / (fs * tau)) / tau; /* RC channel, 1/s */
    cr_assert_eq(ls_ami_block_init(&b, h, 4096, msg, sizeof msg), LS_OK, "%s", msg);
    const size_t nsym = 2000, n = nsym * c.sps;
    float *x = malloc(n * sizeof *x);
    uint64_t s = 12345;
    for (size_t k = 0; k < nsym; k++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        float v = (float)((int)(s >> 62) * 2 - 3) / 3.0f * 0.5f;
        for (unsigned i = 0; i < c.sps; i++)
            x[k * c.sps + i] = v;
    }
    cr_assert_eq(b.ops->process(b.self, x, x, n), LS_OK);
    ls_ami_block_info info;
    cr_assert_eq(ls_ami_block_get_info(&b, &info), LS_OK);
    cr_expect(info.clock_count >= nsym - 102 && info.clock_count <= nsym - 99, "clock times %llu",
        (unsigned long long)info.clock_count);
    cr_expect(fabs(info.clock_period_s * c.baud - 1) < 1e-9, "period %g s", info.clock_period_s);
    cr_expect(info.clock_jitter_s < 1e-15, "jitter %g s", info.clock_jitter_s);
    cr_expect(strstr(info.params_out, "(dfe_b1 ") && strstr(info.params_out, "(dfe_b2 "), "%s", info.params_out);
    cr_expect_float_eq(info.ignore_bits, 1000, 0);
    cr_expect_eq(info.flow, LS_AMI_FLOW_GETWAVE);
    free(x);
    ls_block_destroy(&b);
}

Test(ami, config_map_keys_take_ami_parameters)
{
    char msg[512];
    ls_config *c = ls_config_create("copper", msg, sizeof msg, NULL);
    cr_assert(c);
    cr_expect_eq(ls_config_set_assignment(c, "ami.rx.ctle.peak_db=3", msg, sizeof msg), LS_OK, "%s", msg);
    cr_expect_eq(ls_config_set_assignment(c, "ami.rx.vpp=0.8", msg, sizeof msg), LS_OK, "%s", msg);
    cr_expect_eq(ls_config_set_assignment(c, "ami.rx.ctle.peak_db=4", msg, sizeof msg), LS_OK, "%s", msg);
    cr_expect_str_eq(ls_config_str(c, "ami.rx.ctle.peak_db"), "4"); /* an entry is a key of its own */
    cr_expect_str_eq(ls_config_str(c, "ami.rx.vpp"), "0.8");
    cr_expect(ls_config_find(c, "ami.rx.vpp") && ls_config_find(c, "ami.rx.vpp")->type == LS_P_STRING);
    cr_expect_eq(ls_config_set_assignment(c, "ami.rx.*=x", msg, sizeof msg), LS_EINVAL);
    ls_config *cc = ls_config_copy(c); /* the copy owns its entries' declarations */
    cr_assert(cc);
    cr_expect_eq(ls_config_set_assignment(c, "ami.rx.vpp=0.9", msg, sizeof msg), LS_OK);
    cr_expect_str_eq(ls_config_str(cc, "ami.rx.vpp"), "0.8");
    cr_expect_eq(ls_config_set_assignment(cc, "ami.rx.x=a;b", msg, sizeof msg), LS_OK);
    cr_expect_eq(ls_config_set_assignment(cc, "rx.model=ami", msg, sizeof msg), LS_OK);
    cr_expect_eq(ls_config_set_assignment(cc, "rx.ami=" IBS ":rx_ctle_dfe", msg, sizeof msg), LS_OK);
    ls_status st0;
    cr_expect_null(ls_link_create(cc, 64, msg, sizeof msg, &st0));
    cr_expect(strstr(msg, "ami.rx.x: a value holding ';'"), "%s", msg);
    ls_config_destroy(cc);
    cr_expect_eq(ls_config_set_assignment(c, "rx.model=ami", msg, sizeof msg), LS_OK);
    ls_status st;
    ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st); /* rx.ami not set */
    cr_expect_null(l);
    cr_expect(strstr(msg, "rx.model=ami needs rx.ami"), "%s", msg);
    cr_expect_eq(ls_config_set_assignment(c, "rx.ami=" IBS ":rx_ctle_dfe", msg, sizeof msg), LS_OK);
    cr_expect_eq(ls_config_set_assignment(c, "ami.rx.ctle.peak_db=25", msg, sizeof msg), LS_OK);
    l = ls_link_create(c, 64, msg, sizeof msg, &st); /* the .ami file refuses 25 dB */
    cr_expect_null(l);
    cr_expect(strstr(msg, "rx.ami: ") && strstr(msg, "rx_ctle_dfe.ami:") && strstr(msg, "outside the Range"), "%s",
        msg);
    ls_config_destroy(c);
    ls_config *a = ls_config_create("awgn", msg, sizeof msg, NULL);
    cr_assert(a);
    cr_expect_eq(ls_config_set_assignment(a, "rx.model=ami", msg, sizeof msg), LS_OK);
    cr_expect_null(ls_link_create(a, 64, msg, sizeof msg, &st));
    cr_expect(strstr(msg, "not available in preset awgn"), "%s", msg);
    ls_config_destroy(a);
}

/* The run's JSON carries the models' output parameters after AMI_Init under link.ami.tx / link.ami.rx. */
Test(ami, run_json_has_the_output_parameters)
{
    char out[4096], cmd[2048], json[] = "/tmp/ls_ami_json_XXXXXX";
    int fd = mkstemp(json);
    cr_assert(fd >= 0);
    close(fd);
    snprintf(cmd, sizeof cmd, "%s run copper -s link.length_m=0.5 -s tx.model=ami -s tx.ami=%s:tx_ffe "
             "-s ami.tx.c_pre1=-0.1 -s rx.model=ami -s rx.ami=%s:rx_ctle_dfe -s run.symbols=5440 --json %s",
             LS_CLI_PATH, IBS, IBS, json);
    cr_assert_eq(ls_test_run(cmd, out, sizeof out), 0, "%s", out);
    FILE *f = fopen(json, "r");
    cr_assert(f);
    char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    unlink(json);
    text[n] = '\0';
    cJSON *j = cJSON_Parse(text);
    cr_assert(j);
    const cJSON *ami = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "link"), "ami");
    const cJSON *cm = cJSON_GetObjectItem(cJSON_GetObjectItem(ami, "tx"), "c_main");
    const cJSON *b1 = cJSON_GetObjectItem(cJSON_GetObjectItem(ami, "rx"), "dfe_b1");
    cr_expect(cJSON_IsNumber(cm) && fabs(cm->valuedouble - 0.9) < 1e-9, "tx c_main");
    cr_expect(cJSON_IsNumber(b1) && b1->valuedouble > 0, "rx dfe_b1");
    cJSON_Delete(j);
}

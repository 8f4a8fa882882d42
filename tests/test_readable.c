/*
 * What a reader sees (results issue: plots people can read, exact rate headers, channel --at units,
 * reach progress): the words of plots/plotlabel.c checked directly (compiled into this test), and
 * the command end to end.
 *
 * - every part the energy model emits (sim/energy.c, every preset with a power model and the
 * receiver variants) falls in one of the groups of the power plot, host parts in the host groups,
 * module parts in the module groups, and the groups add up to the total;
 * - numbers print exactly (106.25 / 53.125, not 106.2 / 53.12 or 106.250000) in run, reach and the
 *   energy table;
 * - axis labels are words and units, not key names;
 * - a one-rate study and the study plot kinds on one-rate data draw with nothing on stderr (no
 * gnuplot warning such as "empty x range"); every failing architecture is drawn;
 * - channel --at takes units, keeps refusing a bare value above 10000 GHz with a hint;
 * - reach draws a progress bar on a terminal and nothing on a pipe.
 * Tests needing gnuplot (or script(1) for a terminal) skip without it.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lanesim.h"
#include "plotdata.h"
#include "util.h"

static char out[1 << 16];

static int cli(const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s", LS_CLI_PATH, args);
    return ls_test_run(cmd, out, sizeof out);
}

/* The command's standard error alone (its standard output discarded) into out; the exit status. */
static int cli_stderr(const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "( %s %s 2>&1 >/dev/null )", LS_CLI_PATH, args);
    return ls_test_run(cmd, out, sizeof out);
}

static int have(const char *tool)
{
    char cmd[128], o[256];
    snprintf(cmd, sizeof cmd, "command -v %s", tool);
    return ls_test_run(cmd, o, sizeof o) == 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "%s", path);
    fputs(text, f);
    fclose(f);
}

Test(readable, every_energy_part_has_its_group)
{
    static const char *const cases[][3] = {
        {"copper", NULL, NULL},
        {"copper", "adc.enable=false", NULL},
        {"copper", "mlse.enable=true", "dfe.taps=0"},
        {"lpo", NULL, NULL},
        {"cpo", NULL, NULL},
        {"dsp-retimed", NULL, NULL},
        {"dsp-retimed", "adc.enable=false", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char msg[512];
        ls_config *c = ls_config_create(cases[i][0], msg, sizeof msg, NULL);
        cr_assert(c != NULL, "%s: %s", cases[i][0], msg);
        for (int k = 1; k < 3 && cases[i][k]; k++)
            cr_assert(eq(int, ls_config_set_assignment(c, cases[i][k], msg, sizeof msg), LS_OK),
                      "%s", msg);
        ls_energy e;
        cr_assert(eq(int, ls_energy_compute(c, &e, msg, sizeof msg), LS_OK), "%s: %s", cases[i][0],
                  msg);
        double group_mw[LSP_POWER_GROUPS] = {0};
        for (size_t k = 0; k < e.n_parts; k++) {
            const int g = lsp_power_group(e.part[k].name);
            cr_assert(ge(int, g, 0), "%s: part %s is in no group of the power plot", cases[i][0],
                      e.part[k].name);
            /* the host's SerDes are the host's; every other group is inside the module */
            cr_assert(eq(int, g <= 1, !e.part[k].module), "%s: part %s (%s) in group %s",
                      cases[i][0], e.part[k].name, e.part[k].module ? "module" : "host",
                      lsp_power_group_label(g));
            group_mw[g] += e.part[k].mw;
        }
        double sum = 0;
        for (int g = 0; g < LSP_POWER_GROUPS; g++)
            sum += group_mw[g];
        cr_assert(fabs(sum - e.total_mw) <= 1e-12 * e.total_mw, "%s: groups %g mW, total %g mW",
                  cases[i][0], sum, e.total_mw);
        /* a retimed link draws DSP power; the host SerDes are on both ends of every link */
        cr_assert(gt(dbl, group_mw[0], 0), "%s", cases[i][0]);
        cr_assert(gt(dbl, group_mw[1], 0), "%s", cases[i][0]);
        cr_assert(eq(int, group_mw[2] > 0, !strcmp(cases[i][0], "dsp-retimed")), "%s", cases[i][0]);
        ls_config_destroy(c);
    }
    /* the names' edges: a prefix covers its sub-parts, not a longer word */
    cr_assert(eq(int, lsp_power_group("host_tx"), 0));
    cr_assert(eq(int, lsp_power_group("host_tx_ffe"), 0));
    cr_assert(eq(int, lsp_power_group("host_txx"), -1));
    cr_assert(eq(int, lsp_power_group("retimer_rx_cdr"), 2));
    cr_assert(eq(int, lsp_power_group("laser_tec"), 4));
    cr_assert(eq(int, lsp_power_group("serdes"), -1));
    /* seven distinct colours */
    for (int a = 0; a < LSP_POWER_GROUPS; a++)
        for (int b = a + 1; b < LSP_POWER_GROUPS; b++)
            cr_assert(ne(str, (char *)lsp_power_group_colour(a), (char *)lsp_power_group_colour(b)),
                      "%d %d", a, b);
}

Test(readable, numbers_and_axis_labels_in_words)
{
    static const struct {
        double x;
        const char *s;
    } nums[] = {{106.25, "106.25"}, {53.125, "53.125"}, {26.5625, "26.5625"},
                {212.5, "212.5"},   {425, "425"},       {113.4375, "113.4375"},
                {0.1 + 0.2, "0.3"}, {2.4e-4, "0.00024"}};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        cr_assert(eq(str, lsp_num(nums[i].x).s, (char *)nums[i].s));
    /* a computed baud: 212.5 Gb/s with the inner code's 544/514, two bits a symbol */
    cr_assert(eq(str, lsp_num(212.5e9 * 544 / 514 / 2 / 1e9).s, "112.4513619"));
    static const char *const labels[][2] = {
        {"link.length_m", "link length (m)"},
        {"link.rate_gbps", "lane rate (Gb/s)"},
        {"ctle.gdc_db", "CTLE DC gain (dB)"},
        {"flat.loss_db_per_m", "flat loss (dB/m)"},
        {"jitter.rj_ui", "random jitter (UI)"},
        {"laser.power_dbm", "laser power (dBm)"},
        {"fibre.atten_db_km", "fibre atten (dB/km)"},
        {"tia.noise_pa_rthz", "TIA noise (pA/sqrt(Hz))"},
        {"ber", "BER"},
        {"reach_m", "reach (m)"},
    };
    char b[256];
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        lsp_axis_label(labels[i][0], b, sizeof b);
        cr_assert(eq(str, b, (char *)labels[i][1]), "%s", labels[i][0]);
    }
}

Test(readable, headers_print_rates_exactly, .timeout = LS_TIMEOUT(60))
{
    cr_assert(eq(int, cli("run copper -s link.rate_gbps=106.25 --mode stat"), 0), "%s", out);
    cr_assert(ls_has(out, " 106.25 Gb/s (53.125 GBd) "), "%s", out);
    cr_assert(ls_has(out, "energy per bit at 106.25 Gb/s"), "%s", out);
    cr_assert(ls_has(out, "host_rx_adc") && ls_has(out, "host SerDes RX"), "the part's group: %s",
              out);
    cr_assert(eq(int, cli("run awgn -s link.rate_gbps=53.125 --symbols 2e4"), 0), "%s", out);
    cr_assert(ls_has(out, " 53.125 Gb/s (26.5625 GBd) "), "%s", out);
    cr_assert(eq(int, cli("reach flat -s link.rate_gbps=106.25"), 0), "%s", out);
    cr_assert(ls_has(out, "reach of preset flat at 106.25 Gb/s"), "%s", out);
}

Test(readable, channel_at_accepts_units_and_refuses_bare_hertz, .timeout = LS_TIMEOUT(60))
{
    static const char *const same[] = {"26.5625",    "26.5625GHz",  "26.5625e9Hz",
                                       "26562.5MHz", "26.5625 ghz", "0.0265625THz"};
    char ref[4096] = "", args[256];
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        snprintf(args, sizeof args, "channel copper --at '%s,500MHz'", same[i]);
        cr_assert(eq(int, cli(args), 0), "%s: %s", args, out);
        const char *t = strstr(out, "f (GHz)");
        cr_assert(t != NULL, "%s", out);
        cr_assert(ls_has(t, "26.5625") && ls_has(t, "\n           0.5 "), "%s: %s", args, out);
        if (!i)
            snprintf(ref, sizeof ref, "%s", t);
        else
            cr_assert(eq(str, (char *)t, ref), "%s: the same table as in GHz", args);
    }
    /* a bare number is in GHz: 26.5625e9 is refused, with the hint to write hertz */
    cr_assert(eq(int, cli("channel copper --at 26.5625e9"), 2), "%s", out);
    cr_assert(ls_has(out, "above 10000 GHz") && ls_has(out, "26.5625e9Hz") &&
                  ls_has(out, "26.5625 GHz"),
              "%s", out);
    cr_assert(eq(int, cli("channel copper --at 10.5THz"), 2), "%s", out);
    cr_assert(ls_has(out, "above 10000 GHz"), "%s", out);
    cr_assert(eq(int, cli("channel copper --at 26.5625Gb"), 2), "%s", out);
    cr_assert(ls_has(out, "unknown unit 'Gb'"), "%s", out);
    cr_assert(eq(int, cli("channel copper --at 10000"), 0), "the bound itself passes: %s", out);
}

Test(readable, reach_progress_on_a_terminal_only, .timeout = LS_TIMEOUT(60))
{
    cr_assert(eq(int, cli_stderr("reach flat"), 0), "%s", out);
    cr_assert(eq(str, out, ""), "nothing on a pipe: %s", out);
    if (!have("script"))
        cr_skip_test("script(1) is not on PATH: no terminal to test the bar on");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "script -qec '%s reach flat' /dev/null", LS_CLI_PATH);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    cr_assert(ls_has(out, "\r  reach [") && ls_has(out, " evaluations "), "%s", out);
    /* the bar ends full, once: done == total */
    const char *last = strstr(out, "reach of preset");
    cr_assert(last != NULL, "%s", out);
    int n_full = 0;
    for (const char *p = out; (p = strstr(p, "[##############################]")); p++)
        n_full++;
    cr_assert(eq(int, n_full, 1), "%s", out);
}

/* One-rate study data: a failing architecture (reach 0) beside passing ones. */
static void one_rate_data(const char *base)
{
    char p[512];
    snprintf(p, sizeof p, "%s.csv", base);
    write_file(p, "architecture,rate_gbps,reach_m,ber_at_reach,margin_db,limited_by,pj_per_bit,"
                  "module_pj_per_bit\n"
                  "copper-26awg,212.5,2.1,2.3e-4,0.1,noise,4.25,0\n"
                  "copper-30awg,212.5,0,0.3,0,range,4.25,0\n"
                  "lpo,212.5,0,0.3,0,range,13.1,8.87\n"
                  "cpo,212.5,1310,2.3e-4,0.1,power budget,9.99,5.77\n");
}

Test(readable, one_rate_plots_draw_every_architecture_without_warnings, .timeout = LS_TIMEOUT(60))
{
    if (!have("gnuplot"))
        cr_skip_test("gnuplot is not on PATH (Debian package gnuplot-nox)");
    char base[256], args[2048], img[300], dir[300];
    snprintf(base, sizeof base, "/tmp/ls_readable_%d", (int)getpid());
    one_rate_data(base);
    snprintf(img, sizeof img, "%s.png", base);
    static const char *const kinds[] = {"reach-rate", "energy-reach"};
    for (int k = 0; k < 2; k++) {
        snprintf(args, sizeof args, "plot %s %s.csv -o %s", kinds[k], base, img);
        cr_assert(eq(int, cli_stderr(args), 0), "%s: %s", args, out);
        cr_assert(eq(str, out, ""), "%s printed: %s", args, out);
    }
    /* what the templates receive (a template that prints its input): the failing rows drawn */
    snprintf(dir, sizeof dir, "%s_spy", base);
    mkdir(dir, 0755);
    for (int k = 0; k < 2; k++) {
        snprintf(args, sizeof args, "%s/%s.gp", dir, k ? "energy_reach" : "reach_rate");
        write_file(args, "set print out\nprint sprintf('anyfail=%d', anyfail)\nprint ttl\n"
                         "print system('cat \"' . in . '\"')\n");
    }
    snprintf(args, sizeof args, "env LANESIM_PLOTS_DIR=%s %s plot reach-rate %s.csv -o %s", dir,
             LS_CLI_PATH, base, img);
    cr_assert(eq(int, ls_test_run(args, out, sizeof out), 0), "%s", out);
    const char *got = ls_test_slurp(img);
    cr_assert(got && ls_has(got, "anyfail=1\nreach at 212.5 Gb/s\n"), "%s", got);
    /* two failures at one rate, side by side at the foot (0.1 = a decade below the shortest reach)
     */
    cr_assert(ls_has(got, "\n\n\n208.8493772 0.2 2\n216.2144346 0.2 3\n"), "%s", got);
    snprintf(args, sizeof args, "env LANESIM_PLOTS_DIR=%s %s plot energy-reach %s.csv -o %s", dir,
             LS_CLI_PATH, base, img);
    cr_assert(eq(int, ls_test_run(args, out, sizeof out), 0), "%s", out);
    got = ls_test_slurp(img);
    /* every row drawn: the failures in the "no reach" column at 0.1 m, a decade below 1 m; lane
       points filled circles (7), module points open (6) */
    cr_assert(got && ls_has(got, "anyfail=1\nenergy per bit vs reach at 212.5 Gb/s\n"), "%s", got);
    cr_assert(ls_has(got, "2.1 4.25 7 1\n0.1 4.25 7 2\n0.1 13.1 7 3\n1310 9.99 7 4\n\n\n0.1 8.87 6 "
                          "3\n1310 5.77 6 4\n"),
              "%s", got);
    snprintf(args, sizeof args, "rm -rf %s %s.csv %s", dir, base, img);
    cr_assert(eq(int, system(args), 0));
}

Test(readable, one_rate_study_plots_without_gnuplot_warnings, .timeout = LS_TIMEOUT(300))
{
    if (!have("gnuplot"))
        cr_skip_test("gnuplot is not on PATH (Debian package gnuplot-nox)");
    char dir[256], args[1024];
    snprintf(dir, sizeof dir, "/tmp/ls_readable_study_%d", (int)getpid());
    snprintf(args, sizeof args,
             "study --out %s --arch copper-30awg --rates 212.5 --sps 8 --symbols 10000 --threads 2 --no-com",
             dir);
    cr_assert(eq(int, cli_stderr(args), 0), "%s", out);
    cr_assert(eq(str, out, ""), "the study printed on stderr: %s", out);
    static const char *const pngs[] = {"reach_vs_rate.png", "energy_vs_reach.png",
                                       "power_breakdown.png", "eye_copper-30awg.png",
                                       "bathtub_copper-30awg.png"};
    for (size_t i = 0; i < sizeof pngs / sizeof pngs[0]; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, pngs[i]);
        cr_assert(eq(int, access(p, R_OK), 0), "%s missing", p);
    }
    snprintf(args, sizeof args, "rm -rf %s", dir);
    cr_assert(eq(int, system(args), 0));
}

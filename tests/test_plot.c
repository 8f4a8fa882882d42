/*
 * lanesim plot and --plot (docs/plots.md), through the CLI binary: every kind renders a non-empty
 * PNG (and SVG) from small data; the data each template receives is what the data file says (a test
 * template, through LANESIM_PLOTS_DIR, prints its variables and its gnuplot-ready file: the eye
 * marks, the sweep lines sorted and grouped, the power pivot); the run dumps, sweep --plot and
 * reach --plot end to end; without gnuplot one line naming gnuplot-nox, exit 1, data files
 * untouched; malformed data: exit 2 with FILE:LINE and no output. Tests needing gnuplot skip when
 * it is not on PATH.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static char out[1 << 16];

static int cli(const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s", LS_CLI_PATH, args);
    return ls_test_run(cmd, out, sizeof out);
}

static void need_gnuplot(void)
{
    char o[256];
    if (ls_test_run("command -v gnuplot", o, sizeof o) != 0)
        cr_skip_test("gnuplot is not on PATH (Debian package gnuplot-nox)");
}

/* /tmp/ls_plot_<pid>_<tag> */
static void tmpname(char *buf, size_t cap, const char *tag)
{
    snprintf(buf, cap, "/tmp/ls_plot_%d_%s", (int)getpid(), tag);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "%s", path);
    fputs(text, f);
    fclose(f);
}

static size_t read_file(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
    return n;
}

/* A PNG of more than 1 kB (signature checked), or an SVG document. */
static void check_image(const char *path)
{
    static char b[1 << 20];
    size_t n = read_file(path, b, sizeof b);
    const char *ext = strrchr(path, '.');
    if (!strcmp(ext, ".png")) {
        cr_assert(gt(sz, n, 1000), "%s: %zu bytes", path, n);
        cr_assert(eq(int, memcmp(b, "\x89PNG\r\n\x1a\n", 8), 0), "%s: not a PNG", path);
    } else {
        cr_assert(ls_has(b, "<svg"), "%s: not an SVG", path);
        cr_assert(ls_has(b, "</svg>"), "%s: incomplete SVG", path);
    }
}

/* Small data of every kind, written beside base: base.eye, .bath, .pulse, .compulse, .resp, .sweep, .study,
 * .power */
static const char *const kinds[][2] = {{"eye", "eye"},
                                       {"bathtub", "bath"},
                                       {"pulse", "pulse"},
                                       {"com-pulse", "compulse"},
                                       {"response", "resp"},
                                       {"ber-length", "sweep"},
                                       {"reach-rate", "study"},
                                       {"energy-reach", "study"},
                                       {"power", "power"}};

static void write_samples(const char *base)
{
    char p[512], *t = malloc(1 << 16);
    cr_assert(t != NULL);
    size_t k =
        (size_t)sprintf(t, "# lanesim test eye\n# preset awgn seed 1 rate_gbps 212.5 sps 4\n"
                           "# eye upper threshold_v 0.2 center_v 0.2 height_v 0.08 width_ui 0.5\n"
                           "# eye middle threshold_v 0 center_v 0.001 height_v 0.09 width_ui 0.6\n"
                           "# eye lower threshold_v -0.2 center_v -0.2 height_v 0 width_ui 0\n");
    for (int c = 0; c < 8; c++) {
        for (int r = 0; r < 16; r++)
            k += (size_t)sprintf(t + k, "%g %g %d\n", (c - 4) / 4.0, -0.4 + r * 0.05,
                                 (r * 7 + c * 3) % 5);
        k += (size_t)sprintf(t + k, "\n");
    }
    snprintf(p, sizeof p, "%s.eye", base);
    write_file(p, t);
    k = (size_t)sprintf(t, "# preset copper rate_gbps 212.5\n# target_ber 1e-06\n");
    for (int i = 0; i < 16; i++)
        k += (size_t)sprintf(t + k, "%g %g\n", (i - 8) / 16.0,
                             i == 8 ? 0.0 : 1e-9 * (i - 8) * (i - 8) * 1e6);
    snprintf(p, sizeof p, "%s.bath", base);
    write_file(p, t);
    k = 0;
    for (int i = 0; i < 64; i++)
        k += (size_t)sprintf(t + k, "%g %g\n", (i - 16) / 8.0,
                             i == 16 ? 0.3 : 0.3 / (1 + (i - 16) * (i - 16)));
    snprintf(p, sizeof p, "%s.pulse", base);
    write_file(p, t);
    /* lanesim com --pulse: two cases at 8 samples per UI, the second with no samples at its start */
    k = (size_t)sprintf(t, "time_s,time_ui,case1_v,case2_v\n");
    for (int i = -40; i < 120; i++)
        k += (size_t)sprintf(t + k, "%g,%g,%g,%s\n", i / 8.0 / 53.125e9, i / 8.0, 0.08 / (1 + (i / 8.0) * (i / 8.0)),
                             i < -30 ? "nan" : i % 3 ? "0.05" : "0.049");
    snprintf(p, sizeof p, "%s.compulse", base);
    write_file(p, t);
    k = (size_t)sprintf(t, "# preset copper rate_gbps 212.5 baud_gbd 106.25 sps 32\n");
    for (int i = 0; i < 12; i++)
        k += (size_t)sprintf(t + k, "%g %g %g %g %g %s\n", i * 10.0, -i * 3.0, -6 + i * 0.5,
                             -6 - 2.5 * i, -5 - 2.0 * i, i % 2 ? "?" : "-1");
    snprintf(p, sizeof p, "%s.resp", base);
    write_file(p, t);
    snprintf(p, sizeof p, "%s.sweep", base);
    write_file(
        p,
        "# a comment line\npoint,link.length_m,cable.awg,ber,ber_ci95_lo,ber_ci95_hi,ser,bit_errors,bits,snr_eq_db\n"
        "0,2,26,1e-5,8e-6,1.2e-5,2e-5,10,1000000,20\n"
        "1,2,30,1e-4,9e-5,1.1e-4,2e-4,100,1000000,18\n"
        "2,1,26,0,0,3.7e-6,0,0,1000000,22\n"
        "3,1,30,2e-6,1e-7,9e-6,4e-6,2,1000000,21\n"
        "4,3,26,1e-3,9e-4,1.1e-3,2e-3,1000,1000000,16\n"
        "5,3,30,1e-2,9e-3,1.1e-2,2e-2,10000,1000000,14\n");
    snprintf(p, sizeof p, "%s.study", base);
    write_file(p, "architecture,rate_gbps,reach_m,ber_at_reach,margin_db,limited_by,pj_per_bit,"
                  "module_pj_per_bit\n"
                  "copper,106.25,3.9,2.3e-4,0.1,isi,3.8,0\n"
                  "copper,212.5,2.1,2.3e-4,0.1,isi,4.5,0\n"
                  "copper,425,0,0.4,0,range,6.1,0\n"
                  "lpo,212.5,2500,2.3e-4,0.1,dispersion,10,8\n"
                  "lpo,106.25,8000,2.3e-4,0.1,power budget,9.5,7.5\n"
                  "\"cpo, ring\",212.5,2000,2.3e-4,0.1,power budget,7.5,6\n");
    snprintf(p, sizeof p, "%s.power", base);
    write_file(
        p, "architecture,part,mw\ncopper,serdes tx,250\ncopper,serdes rx,600\nlpo,serdes tx,250\n"
           "lpo,laser,200\nlpo,serdes rx,600\nlpo,laser,50\n");
    free(t);
}

static void remove_samples(const char *base)
{
    static const char *const ext[] = {"eye", "bath", "pulse", "compulse", "resp", "sweep", "study", "power"};
    char p[512];
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        snprintf(p, sizeof p, "%s.%s", base, ext[i]);
        unlink(p);
    }
}

Test(plot, every_kind_renders_a_png_and_an_svg, .timeout = LS_TIMEOUT(60))
{
    need_gnuplot();
    char base[256], data[300], img[300], args[1024];
    tmpname(base, sizeof base, "kinds");
    write_samples(base);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        for (int svg = 0; svg < 2; svg++) {
            snprintf(data, sizeof data, "%s.%s", base, kinds[i][1]);
            snprintf(img, sizeof img, "%s_%s.%s", base, kinds[i][0], svg ? "svg" : "png");
            snprintf(args, sizeof args, "plot %s %s -o %s", kinds[i][0], data, img);
            cr_assert(eq(int, cli(args), 0), "%s: %s", args, out);
            /* no gnuplot warning of data it could not use (font warnings of a bare system are
               not ours) */
            cr_assert(not(ls_has(out, "Skipping data file")), "%s printed: %s", args, out);
            cr_assert(not(ls_has(out, "undefined")), "%s printed: %s", args, out);
            check_image(img);
            unlink(img);
        }
    /* the default output: DATA with its extension replaced by .png */
    snprintf(args, sizeof args, "plot pulse %s.pulse", base);
    cr_assert(eq(int, cli(args), 0), "%s", out);
    snprintf(img, sizeof img, "%s.png", base);
    check_image(img);
    unlink(img);
    remove_samples(base);
}

/* A template that prints its variables and its input file into the output (LANESIM_PLOTS_DIR). */
static void spy_templates(const char *dir)
{
    static const char *const names[] = {"eye", "ber_length", "power", "reach_rate", "energy_reach"};
    mkdir(dir, 0755);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s.gp", dir, names[i]);
        write_file(
            p, "set print out\n"
               "if (exists('n')) { print sprintf('n=%d', n) }\n"
               "if (exists('names')) { print 'names=' . names }\n"
               "if (exists('xl')) { print 'xl=' . xl . ' yl=' . yl . sprintf(' logx=%d logy=%d "
               "ci=%d anyub=%d', logx, logy, ci, anyub) }\n"
               "if (exists('ymin')) { print sprintf('ymin=%g', ymin) }\n"
               "if (exists('haveop')) { print sprintf('haveop=%d', haveop) }\n"
               "print '--in'\n"
               "print system('cat \"' . in . '\"')\n"
               "if (exists('marks')) { print '--marks'; print system('cat \"' . marks . '\"') }\n");
    }
}

Test(plot, templates_receive_the_checked_grouped_and_pivoted_data, .timeout = LS_TIMEOUT(60))
{
    need_gnuplot();
    char base[256], dir[256], args[2048], img[300];
    static char got[1 << 16];
    tmpname(base, sizeof base, "spy");
    tmpname(dir, sizeof dir, "spydir");
    write_samples(base);
    spy_templates(dir);
    snprintf(img, sizeof img, "%s_out.png", base);

    /* sweep: x = the first swept key (sorted), a line per cable.awg, the zero-error point as an
     * upper bound */
    snprintf(args, sizeof args, "env LANESIM_PLOTS_DIR=%s %s plot ber-length %s.sweep -o %s", dir,
             LS_CLI_PATH, base, img);
    cr_assert(eq(int, ls_test_run(args, out, sizeof out), 0), "%s", out);
    read_file(img, got, sizeof got);
    cr_assert(ls_has(got, "n=2\nnames=\"cable gauge (AWG) = 26\" \"cable gauge (AWG) = 30\"\n"), "%s",
              got);
    cr_assert(ls_has(got, "xl=link length (m) yl=BER logx=0 logy=1 ci=1 anyub=1"), "%s", got);
    cr_assert(
        ls_has(
            got,
            "--in\n1 ? ? ?\n2 1e-05 8e-06 1.2e-05\n3 0.001 0.0009 0.0011\n\n\n"
            "1 2e-06 1e-07 9e-06\n2 0.0001 9e-05 0.00011\n3 0.01 0.009 0.011\n\n\n1 3.7e-06 1\n"),
        "%s", got);

    /* power: one row per architecture; the groups of the power account first (laser), then the
       parts of no group in first-seen order; repeated parts added; totals */
    snprintf(args, sizeof args, "env LANESIM_PLOTS_DIR=%s %s plot power %s.power -o %s", dir,
             LS_CLI_PATH, base, img);
    cr_assert(eq(int, ls_test_run(args, out, sizeof out), 0), "%s", out);
    read_file(img, got, sizeof got);
    cr_assert(ls_has(got, "n=3\n--in\narchitecture \"laser, TEC and heaters\" \"serdes tx\" \"serdes rx\" "
                          "total\n\"copper\" 0 250 600 850\n\"lpo\" 250 250 600 1100\n"),
              "%s", got);

    /* study: architectures in first-seen order (a quoted name with a comma), rates sorted, a
     * failure marked */
    snprintf(args, sizeof args, "env LANESIM_PLOTS_DIR=%s %s plot reach-rate %s.study -o %s", dir,
             LS_CLI_PATH, base, img);
    cr_assert(eq(int, ls_test_run(args, out, sizeof out), 0), "%s", out);
    read_file(img, got, sizeof got);
    cr_assert(ls_has(got, "n=3\nnames=\"copper\" \"lpo\" \"cpo, ring\"\nymin=0.1\n"), "%s", got);
    cr_assert(
        ls_has(
            got,
            "--in\n106.25 3.9\n212.5 2.1\n425 ?\n\n\n106.25 8000\n212.5 2500\n\n\n212.5 2000\n\n\n"
            "425 0.2 1\n"),
        "%s", got);

    /* eye: thresholds, labels (closed eye named so), openings: height at t = 0, width through the
     * opening's centre */
    snprintf(args, sizeof args, "env LANESIM_PLOTS_DIR=%s %s plot eye %s.eye -o %s", dir,
             LS_CLI_PATH, base, img);
    cr_assert(eq(int, ls_test_run(args, out, sizeof out), 0), "%s", out);
    read_file(img, got, sizeof got);
    cr_assert(ls_has(got, "haveop=1"), "%s", got);
    cr_assert(
        ls_has(got,
               "--marks\n-1 0.2 2 0\n-1 0 2 0\n-1 -0.2 2 0\n\n\n"
               "-0.97 0.2 \"upper: 80.0 mV, 0.50 UI\"\n-0.97 0.001 \"middle: 90.0 mV, 0.60 UI\"\n"
               "-0.97 -0.2 \"lower: closed\"\n\n\n"
               "0 0.16 0 0.08\n-0.25 0.2 0.5 0\n0 -0.044 0 0.09\n-0.3 0.001 0.6 0\n"),
        "%s", got);
    unlink(img);
    remove_samples(base);
    static const char *const names[] = {"eye", "ber_length", "power", "reach_rate", "energy_reach"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(args, sizeof args, "%s/%s.gp", dir, names[i]);
        unlink(args);
    }
    rmdir(dir);
}

Test(plot, run_dumps_sweep_and_reach_plot_end_to_end, .timeout = LS_TIMEOUT(60))
{
    need_gnuplot();
    char base[256], args[2048], img[300], p[300];
    tmpname(base, sizeof base, "e2e");
    snprintf(
        args, sizeof args,
        "run awgn --mode both --symbols 1e5 -s link.sps=16 -s rx.filter=bessel -s rx.bw_ghz=60 -s "
        "noise.snr_db=22 "
        "--dump eye=%s.eye --dump pulse=%s.pulse --dump bathtub=%s.bath --dump response=%s.resp",
        base, base, base, base);
    cr_assert(eq(int, cli(args), 0), "%s", out);
    static const char *const k[][2] = {
        {"eye", "eye"}, {"pulse", "pulse"}, {"bathtub", "bath"}, {"response", "resp"}};
    for (int i = 0; i < 4; i++) {
        snprintf(img, sizeof img, "%s_%s.png", base, k[i][0]);
        snprintf(args, sizeof args, "plot %s %s.%s -o %s", k[i][0], base, k[i][1], img);
        cr_assert(eq(int, cli(args), 0), "%s: %s", args, out);
        check_image(img);
        unlink(img);
        snprintf(p, sizeof p, "%s.%s", base, k[i][1]);
        unlink(p);
    }
    /* sweep --plot without --csv (a temporary CSV), reach --plot */
    snprintf(img, sizeof img, "%s_sweep.svg", base);
    snprintf(args, sizeof args,
             "sweep flat --param link.length_m=0.5:3:4 --param flat.loss_db_per_m=4,6 --mode stat "
             "--plot %s",
             img);
    cr_assert(eq(int, cli(args), 0), "%s", out);
    check_image(img);
    unlink(img);
    snprintf(img, sizeof img, "%s_reach.png", base);
    snprintf(args, sizeof args, "reach flat -s flat.loss_db_per_m=5 --plot %s", img);
    cr_assert(eq(int, cli(args), 0), "%s", out);
    check_image(img);
    unlink(img);
    /* nothing temporary left beside the outputs */
    snprintf(args, sizeof args, "ls %s* 2>/dev/null | wc -l", base);
    cr_assert(eq(int, ls_test_run(args, out, sizeof out), 0));
    cr_assert(eq(int, atoi(out), 0), "left behind: %s", out);
}

Test(plot, without_gnuplot_one_line_exit_1_and_data_kept, .timeout = LS_TIMEOUT(60))
{
    char base[256], args[2048], img[300], data[300], csv[300];
    static char before[1 << 16], after[1 << 16];
    tmpname(base, sizeof base, "nognu");
    write_samples(base);
    snprintf(data, sizeof data, "%s.pulse", base);
    snprintf(img, sizeof img, "%s.png", base);
    size_t n0 = read_file(data, before, sizeof before);
    snprintf(args, sizeof args, "env PATH=/nonexistent %s plot pulse %s -o %s", LS_CLI_PATH, data,
             img);
    cr_assert(eq(int, ls_test_run(args, out, sizeof out), 1), "%s", out);
    cr_assert(ls_has(out, "gnuplot-nox"), "%s", out);
    cr_assert(eq(int, (int)(strchr(out, '\n') - out + 1), (int)strlen(out)), "one line: %s", out);
    cr_assert(eq(int, access(img, F_OK), -1), "no plot file");
    cr_assert(eq(sz, read_file(data, after, sizeof after), n0));
    cr_assert(eq(int, memcmp(before, after, n0), 0), "the data file is untouched");
    /* sweep: the CSV is written, then the plot fails */
    snprintf(csv, sizeof csv, "%s_sweep.csv", base);
    snprintf(args, sizeof args,
             "env PATH=/nonexistent %s sweep flat --param link.length_m=1,2 --mode stat --csv %s "
             "--plot %s",
             LS_CLI_PATH, csv, img);
    cr_assert(eq(int, ls_test_run(args, out, sizeof out), 1), "%s", out);
    cr_assert(
        ls_has(out, "lanesim: gnuplot not found on PATH: install the Debian package gnuplot-nox"),
        "%s", out);
    cr_assert(gt(sz, read_file(csv, after, sizeof after), 20), "the CSV is still written");
    cr_assert(ls_has(after, "link.length_m,"), "%s", after);
    cr_assert(eq(int, access(img, F_OK), -1), "no plot file");
    unlink(csv);
    remove_samples(base);
    snprintf(args, sizeof args, "ls %s* 2>/dev/null | wc -l", base);
    cr_assert(eq(int, ls_test_run(args, out, sizeof out), 0));
    cr_assert(eq(int, atoi(out), 0), "left behind: %s", out);
}

Test(plot, malformed_data_exit_2_naming_file_and_line, .timeout = LS_TIMEOUT(30))
{
    char base[256], data[300], img[300], args[2048];
    tmpname(base, sizeof base, "bad");
    snprintf(img, sizeof img, "%s.png", base);
    static const char *const cases[][3] = {
        {"pulse", "# pulse\n0 1\n0.5 x\n", ":3: expected 2 numbers"},
        {"bathtub", "0 1e-3\n0.1 2\n", ":2: BER 2 outside [0, 1]"},
        {"eye", "0 0 1\n0 1 2\n\n1 0 1\n\n", ":5: a block of 1 rows, the first has 2"},
        {"eye", "0 0 1\n0.5 1 2\n", ":2: t_ui changes inside a block"},
        {"eye", "# eye upper threshold_v x\n0 0 1\n", ":1: expected '# eye NAME"},
        {"response", "0 1 2 3\n", ":1: expected 6 numbers"},
        {"com-pulse", "time_s,case1_v\n0,1\n", ":1: expected the columns time_ui and case<N>_v"},
        {"com-pulse", "time_s,time_ui,case1_v\n0,0,1\n1,1,x\n", ":3: column case1_v: 'x' is not a number"},
        {"ber-length", "link.length_m,ber\n1,1e-3\n2,1e-4,5\n", ":3: 3 fields, the header has 2"},
        {"ber-length", "link.length_m,ber\n1,abc\n", ":2: column ber: 'abc' is not a number"},
        {"ber-length", "ber,snr\n1,2\n", ":1: no swept key column"},
        {"reach-rate", "architecture,rate_gbps\nx,1\n", ":1: no column 'reach_m'"},
        {"power", "architecture,part,mw\na,b,-1\n", ":2: negative power"},
        {"power", "architecture,part,mw\n\"a,b,1\n", ":2: malformed CSV row"},
        {"power", "", ": empty"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(data, sizeof data, "%s_%zu.dat", base, i);
        write_file(data, cases[i][1]);
        snprintf(args, sizeof args, "plot %s %s -o %s", cases[i][0], data, img);
        cr_assert(eq(int, cli(args), 2), "case %zu (%s): %s", i, cases[i][0], out);
        char want[512];
        snprintf(want, sizeof want, "lanesim: %s%s", data, cases[i][2]);
        cr_assert(ls_has(out, want), "case %zu: want '%s', got: %s", i, want, out);
        cr_assert(eq(int, access(img, F_OK), -1), "case %zu: no plot file", i);
        unlink(data);
    }
    /* usage errors */
    cr_assert(eq(int, cli("plot eye"), 2), "%s", out);
    cr_assert(eq(int, cli("plot nosuch x.dat"), 2), "%s", out);
    cr_assert(ls_has(out, "unknown kind 'nosuch'"), "%s", out);
    snprintf(args, sizeof args, "plot eye %s.dat -o %s.pdf", base, base);
    cr_assert(eq(int, cli(args), 2), "%s", out);
    cr_assert(ls_has(out, ".pdf: a plot is written as FILE.png or FILE.svg"), "%s", out);
    cr_assert(eq(int, cli("sweep flat --param link.length_m=1,2 --plot x.jpg"), 2), "%s", out);
    cr_assert(eq(int, cli("reach flat --plot x"), 2), "%s", out);
    cr_assert(eq(int, cli("run awgn --mode mc --dump bathtub=/tmp/x"), 2), "%s", out);
    cr_assert(ls_has(out, "--dump bathtub needs the statistical analysis"), "%s", out);
    snprintf(args, sizeof args, "ls %s* 2>/dev/null | wc -l", base);
    cr_assert(eq(int, ls_test_run(args, out, sizeof out), 0));
    cr_assert(eq(int, atoi(out), 0), "left behind: %s", out);
}

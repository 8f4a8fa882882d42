/*
 * Touchstone reader, mixed-mode conversion, checks, the "touchstone" LTI block and the
 * `lanesim channel` command. Real channels: the files of ../shared/channels and the figures of
 * its README (computed there by an independent parser); synthetic files are written here.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lanesim/filter.h"
#include "lanesim/touchstone.h"
#include "util.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ------------------------------------------------------------------------------------------ */
/* helpers */

static void tmpname(char *buf, size_t cap, const char *tag, const char *ext)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, cap, "%s/ls_ts_%s_%d%s", dir && *dir ? dir : "/tmp", tag, (int)getpid(), ext);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* Reads a file that must be malformed; checks the status and "PATH:LINE: " + a phrase. */
static void expect_bad(const char *path, unsigned line, const char *phrase)
{
    char msg[1024] = "", head[1200];
    ls_status st = LS_OK;
    ls_touchstone *t = ls_touchstone_read(path, msg, sizeof msg, &st);
    cr_assert(t == NULL, "%s should be rejected", path);
    cr_assert(eq(int, st, LS_EINVAL), "%s: %s", path, msg);
    snprintf(head, sizeof head, "%s:%u: ", path, line);
    cr_assert(0 == (strncmp(msg, head, strlen(head))), "expected '%s...', got '%s'", head, msg);
    cr_assert(ls_has(msg, phrase), "expected '%s' in '%s'", phrase, msg);
}

static void write_and_expect_bad(const char *tag, const char *ext, const char *text, unsigned line,
                                 const char *phrase)
{
    char path[512];
    tmpname(path, sizeof path, tag, ext);
    write_text(path, text);
    expect_bad(path, line, phrase);
    unlink(path);
}

static ls_touchstone *read_ok(const char *path)
{
    char msg[1024] = "";
    ls_status st = LS_EINTERNAL;
    ls_touchstone *t = ls_touchstone_read(path, msg, sizeof msg, &st);
    cr_assert(t != NULL, "%s: %s", path, msg);
    cr_assert(eq(int, st, LS_OK));
    return t;
}

static double complex response1(const ls_block *b, double f)
{
    double complex h = NAN;
    cr_assert(eq(int, b->ops->response(b->self, &f, &h, 1), LS_OK));
    return h;
}

static int has_warning(const ls_block *b, const char *phrase)
{
    const char *w[16];
    size_t n = ls_sparam_warnings(b, w, 16);
    for (size_t i = 0; i < n && i < 16; i++)
        if (strstr(w[i], phrase))
            return 1;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* the shared real channels */

typedef struct {
    const char *file; /* under shared/channels */
    int gz;           /* stored gzip-compressed */
    size_t points;
    double fmax_ghz;
    const char *thru; /* README "thru" column, 1-based */
    double il26_db;   /* README IL at 26.5625 GHz */
    double delay_ns;  /* README delay */
    int lecroy;       /* measured, passivity 1.0043 */
} real_file;

static const real_file reals[] = {
    {"ieee3ck_mellitz_CA_19p75dB_thru.s4p", 0, 6001, 60, "3->4, 1->2", 19.74, 10.36, 0},
    {"ieee3ck_mellitz_Tp0_Tp5_28p5db_FQSFP_thru.s4p", 0, 6001, 60, "3->4, 1->2", 28.43, 13.18, 0},
    {"ieee3ck_gore_C2C_PCB_SYSVIA_12dB_thru.s4p", 0, 6000, 60, "3->4, 1->2", 12.17, 1.47, 0},
    {"ieee3ck_tracy_DPO_12in_Meg7_THRU.s4p.gz", 1, 6001, 60, "1->2, 3->4", 28.25, 4.39, 0},
    {"ieee3ck_C2M_Z100_IL14_WC_BOR_H_L_H_THRU.s4p", 0, 5001, 50, "1->2, 3->4", 13.94, 2.77, 0},
    {"te_Whisper27in_M6_THRU_G14G15_measured.s4p", 0, 4001, 40, "1->2, 3->4", 42.66, 5.00, 0},
    {"te_SMT_IO_42GHz_Thru_B5B6_10in.s4p", 0, 4201, 42, "1->2, 3->4", 16.25, 1.85, 0},
    {"lecroy_WavePulserDemoBoard_measured.s4p", 0, 1601, 40, "2->3, 1->4", 12.14, 0.91, 1},
};

/* The shared folder: ls_test_shared_dir() looks for ../shared from the working directory; the
 * test executable also knows the folder beside the source tree (LS_SHARED_DIR), which is what
 * works under ctest (run from the build tree). */
static const char *shared_dir(void)
{
    const char *dir = ls_test_shared_dir();
#ifdef LS_SHARED_DIR
    if (!dir && ls_test_file_exists(LS_SHARED_DIR))
        dir = LS_SHARED_DIR;
#endif
    return dir;
}

/* Path of real file i (decompressed to a temp file if needed); 0 if the shared folder is absent. */
static int real_path(size_t i, char *path, size_t cap, int *is_tmp)
{
    const char *dir = shared_dir();
    *is_tmp = 0;
    if (!dir)
        return 0;
    char src[1024];
    snprintf(src, sizeof src, "%s/channels/%s", dir, reals[i].file);
    if (!ls_test_file_exists(src))
        return 0;
    if (!reals[i].gz) {
        snprintf(path, cap, "%s", src);
        return 1;
    }
    tmpname(path, cap, "dpo", ".s4p");
    char cmd[2600];
    snprintf(cmd, sizeof cmd, "gzip -dc '%s' > '%s'", src, path);
    cr_assert(eq(int, system(cmd), 0), "%s", cmd);
    *is_tmp = 1;
    return 1;
}

/* True when the map's thrus {in_p,out_p}, {in_n,out_n} are the README pairs "a->b, c->d". */
static int map_matches_thru(const ls_port_map *m, const char *thru)
{
    unsigned a, b, c, d;
    if (sscanf(thru, "%u->%u, %u->%u", &a, &b, &c, &d) != 4)
        return 0;
    unsigned p1[2] = {m->in_p + 1, m->out_p + 1}, p2[2] = {m->in_n + 1, m->out_n + 1};
#define SAME(x, y, u, v) (((x) == (u) && (y) == (v)) || ((x) == (v) && (y) == (u)))
    return (SAME(p1[0], p1[1], a, b) && SAME(p2[0], p2[1], c, d)) ||
           (SAME(p1[0], p1[1], c, d) && SAME(p2[0], p2[1], a, b));
#undef SAME
}

static void check_real(size_t i)
{
    char path[1024];
    int is_tmp;
    if (!real_path(i, path, sizeof path, &is_tmp))
        cr_skip_test("shared channel files not found");
    const real_file *r = &reals[i];
    ls_touchstone *t = read_ok(path);
    cr_assert(eq(u32, ls_touchstone_ports(t), 4));
    cr_assert(eq(sz, ls_touchstone_points(t), r->points));
    cr_assert(epsilon_eq(dbl, ls_touchstone_freq_hz(t)[r->points - 1], r->fmax_ghz * 1e9, 1.0));
    cr_assert(eq(dbl, ls_touchstone_z0(t, 3), 50.0));

    ls_port_map m;
    cr_assert(eq(int, ls_touchstone_detect_map(t, &m), LS_OK));
    cr_assert(map_matches_thru(&m, r->thru), "%s: map in (%u,%u) out (%u,%u), README %s", r->file,
              m.in_p + 1, m.in_n + 1, m.out_p + 1, m.out_n + 1, r->thru);
    cr_assert(m.in_p < m.out_p && m.in_n < m.out_n, "each thru runs from its lower port");

    double il, rl;
    cr_assert(eq(int, ls_touchstone_loss_db(t, &m, 26.5625e9, &il, &rl), LS_OK));
    cr_assert(fabs(il - r->il26_db) <= 0.1, "%s: IL %.3f dB, README %.2f dB", r->file, il,
              r->il26_db);
    cr_assert(rl > 0 && rl < 60);

    ls_block b;
    char msg[1024] = "";
    cr_assert(eq(int, ls_sparam_from_touchstone(t, NULL, 0.0, &b, msg, sizeof msg), LS_OK), "%s",
              msg);
    double il_b = -20.0 * log10(cabs(response1(&b, 26.5625e9)));
    cr_assert(fabs(il_b - r->il26_db) <= 0.1, "%s: block IL %.3f dB", r->file, il_b);
    double tau = ls_sparam_delay_s(&b);
    cr_assert(fabs(tau / (r->delay_ns * 1e-9) - 1.0) <= 0.05, "%s: delay %.4f ns, README %.2f ns",
              r->file, tau * 1e9, r->delay_ns);
    double span = b.ops->span_s(b.self), pre = b.ops->pre_s(b.self);
    cr_assert(span > 0 && span <= 20e-9 + 1e-15, "span %g", span);
    cr_assert(pre >= 20e-12 && pre <= 2e-9 + 1e-15, "pre %g", pre);
    cr_assert(0 == (has_warning(&b, "non-causal")), "%s: causality warning on a physical channel",
              r->file);
    cr_assert(0 == (has_warning(&b, "fmax")), "no range warning without fs_hint_hz");
    ls_block_destroy(&b);
    ls_touchstone_destroy(t);
    if (is_tmp)
        unlink(path);
}

Test(touchstone, real_ca_19p75db_matches_readme, .timeout = 30)
{
    check_real(0);
}
Test(touchstone, real_tp0_tp5_matches_readme, .timeout = 30)
{
    check_real(1);
}
Test(touchstone, real_c2c_matches_readme, .timeout = 30)
{
    check_real(2);
}
Test(touchstone, real_dpo_12in_gz_matches_readme, .timeout = 30)
{
    check_real(3);
}
Test(touchstone, real_c2m_matches_readme, .timeout = 30)
{
    check_real(4);
}
Test(touchstone, real_whisper27in_matches_readme, .timeout = 30)
{
    check_real(5);
}
Test(touchstone, real_smt_io_matches_readme, .timeout = 30)
{
    check_real(6);
}
Test(touchstone, real_wavepulser_matches_readme, .timeout = 30)
{
    check_real(7);
}

Test(touchstone, lecroy_port_map_is_thru_2_3_and_1_4)
{
    char path[1024];
    int is_tmp;
    if (!real_path(7, path, sizeof path, &is_tmp))
        cr_skip_test("shared channel files not found");
    ls_touchstone *t = read_ok(path);
    ls_port_map m;
    cr_assert(eq(int, ls_touchstone_detect_map(t, &m), LS_OK));
    cr_assert(eq(u32, m.in_p, 0));
    cr_assert(eq(u32, m.out_p, 3));
    cr_assert(eq(u32, m.in_n, 1));
    cr_assert(eq(u32, m.out_n, 2));
    ls_touchstone_destroy(t);
}

Test(touchstone, loads_a_6001_point_4_port_file_fast, .timeout = 30)
{
    char path[1024];
    int is_tmp;
    if (!real_path(0, path, sizeof path, &is_tmp))
        cr_skip_test("shared channel files not found");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ls_touchstone *t = read_ok(path);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    cr_assert(s < 0.5, "reading took %.3f s", s);
    cr_assert(eq(sz, ls_touchstone_points(t), 6001));
    ls_touchstone_destroy(t);
}

Test(touchstone, passivity_flags_lecroy_but_not_the_ieee_files, .timeout = 60)
{
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
        char path[1024];
        int is_tmp;
        if (!real_path(i, path, sizeof path, &is_tmp))
            cr_skip_test("shared channel files not found");
        ls_touchstone *t = read_ok(path);
        double sig, f;
        size_t n_over;
        cr_assert(eq(int, ls_touchstone_passivity(t, &sig, &f, &n_over), LS_OK));
        ls_sparam_config c = {.path = path, .auto_map = 1};
        ls_block b;
        char msg[1024];
        cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_OK), "%s", msg);
        if (reals[i].lecroy) {
            cr_assert(fabs(sig - 1.0043) < 2e-4, "LeCroy sigma %.5f", sig);
            cr_assert(eq(dbl, f, 0.0));
            cr_assert(n_over > 0);
            cr_assert(has_warning(&b, "not passive"));
            cr_assert(has_warning(&b, path), "the warning names the file");
        } else {
            cr_assert(sig <= 1.0005 + 1e-5, "%s: sigma %.5f", reals[i].file, sig);
            cr_assert(eq(sz, n_over, 0));
            cr_assert(0 == (has_warning(&b, "not passive")), "%s", reals[i].file);
        }
        ls_block_destroy(&b);
        ls_touchstone_destroy(t);
        if (is_tmp)
            unlink(path);
    }
}

Test(touchstone, rolls_off_above_fmax_with_a_warning_naming_the_file, .timeout = 30)
{
    char path[1024];
    int is_tmp;
    if (!real_path(6, path, sizeof path, &is_tmp)) /* SMT I/O: ends at 42 GHz */
        cr_skip_test("shared channel files not found");
    ls_sparam_config c = {.path = path, .auto_map = 1, .fs_hint_hz = 32 * 106.25e9};
    ls_block b;
    char msg[1024];
    cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_OK), "%s", msg);
    const double fmax = ls_sparam_fmax_hz(&b);
    cr_assert(eq(dbl, fmax, 42e9));
    double g_fmax = 20.0 * log10(cabs(response1(&b, fmax))), prev = g_fmax;
    for (double f = fmax + 0.5e9; f <= 2.0 * fmax; f += 0.5e9) {
        double g = 20.0 * log10(cabs(response1(&b, f)));
        cr_assert(g < prev, "not rolling off at %g GHz", f / 1e9);
        prev = g;
    }
    cr_assert(prev <= g_fmax - 100.0 + 1e-9, "at least 100 dB down at 2 fmax: %g", prev - g_fmax);
    cr_assert(eq(dbl, cabs(response1(&b, 5.0 * fmax)), 0.0));
    const char *w[8];
    size_t n = ls_sparam_warnings(&b, w, 8);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        found |= strstr(w[i], path) && strstr(w[i], "fmax = 42 GHz");
    cr_assert(found, "a warning names the file and fmax");
    ls_block_destroy(&b);
    if (is_tmp)
        unlink(path);
}

/* ------------------------------------------------------------------------------------------ */
/* synthetic files */

typedef enum { W_RI, W_MA, W_DB } wfmt;

/* 2-port with S21 = S12 = h(f), S11 = S22 = 0, frequencies f0 + k df (k < n) in unit u. */
static void write_2port(const char *path, wfmt fm, double unit, const char *unit_name, double f0,
                        double df, size_t n, double complex (*h)(double, const void *),
                        const void *ctx)
{
    static const char *fmt_name[] = {"RI", "MA", "DB"};
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL);
    fprintf(f, "! synthetic 2-port\n# %s S %s R 50\n", unit_name, fmt_name[fm]);
    for (size_t k = 0; k < n; k++) {
        double fr = f0 + (double)k * df;
        double complex s = h(fr, ctx);
        double a, b, z0a, z0b;
        switch (fm) {
        case W_RI:
            a = creal(s);
            b = cimag(s);
            z0a = 0;
            z0b = 0;
            break;
        case W_MA:
            a = cabs(s);
            b = carg(s) * 180.0 / M_PI;
            z0a = 0;
            z0b = 0;
            break;
        default:
            a = 20.0 * log10(cabs(s));
            b = carg(s) * 180.0 / M_PI;
            z0a = -300;
            z0b = 0;
            break;
        }
        fprintf(f, "%.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g\n", fr / unit, z0a, z0b,
                a, b, a, b, z0a, z0b);
    }
    fclose(f);
}

static double complex delay_line(double f, const void *ctx)
{
    double tau = *(const double *)ctx;
    return cexp(-2.0 * M_PI * I * f * tau);
}

Test(touchstone, ideal_delay_line_round_trips_in_every_format, .timeout = 30)
{
    static const struct {
        wfmt fm;
        double unit;
        const char *name;
    } cases[] = {{W_RI, 1.0, "Hz"},  {W_MA, 1e9, "GHz"}, {W_DB, 1e6, "MHz"},
                 {W_RI, 1e9, "ghz"}, {W_MA, 1e3, "kHz"}, {W_DB, 1.0, "HZ"}};
    const double tau = 1.234e-9;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char path[512];
        tmpname(path, sizeof path, "delay", c % 2 ? ".S2P" : ".s2p");
        write_2port(path, cases[c].fm, cases[c].unit, cases[c].name, 0.0, 50e6, 1001, delay_line,
                    &tau);
        ls_touchstone *t = read_ok(path);
        cr_assert(eq(u32, ls_touchstone_ports(t), 2));
        cr_assert(eq(sz, ls_touchstone_points(t), 1001));
        const double *f = ls_touchstone_freq_hz(t);
        for (size_t k = 0; k < 1001; k += 37) {
            cr_assert(fabs(f[k] - 50e6 * (double)k) <= 1e-6 * 50e6, "case %zu freq %zu", c, k);
            double complex s = delay_line(f[k], &tau);
            cr_assert(cabs(ls_touchstone_s(t, k, 1, 0) - s) < 1e-12, "case %zu S21 at %zu", c, k);
            cr_assert(cabs(ls_touchstone_s(t, k, 0, 1) - s) < 1e-12);
            cr_assert(cabs(ls_touchstone_s(t, k, 0, 0)) < 1e-12);
        }
        ls_port_map m;
        cr_assert(eq(int, ls_touchstone_detect_map(t, &m), LS_OK));
        cr_assert(eq(u32, m.in_p, 0));
        cr_assert(eq(u32, m.out_p, 1));
        cr_assert(eq(u32, m.in_n, LS_PORT_NONE));
        ls_block b;
        char msg[1024];
        cr_assert(eq(int, ls_sparam_from_touchstone(t, NULL, 0.0, &b, msg, sizeof msg), LS_OK),
                  "%s", msg);
        cr_assert(fabs(ls_sparam_delay_s(&b) - tau) < 0.1e-12, "case %zu delay %.6f ns", c,
                  ls_sparam_delay_s(&b) * 1e9);
        for (double fr = 0.0; fr <= 50e9; fr += 0.7777e9) {
            double complex h = response1(&b, fr);
            cr_assert(cabs(h - 1.0) < 1e-6, "case %zu: H(%g GHz) = %g%+gj", c, fr / 1e9, creal(h),
                      cimag(h));
        }
        cr_assert(b.ops->span_s(b.self) < 0.5e-9, "span %g", b.ops->span_s(b.self));
        cr_assert(b.ops->pre_s(b.self) < 0.5e-9, "pre %g", b.ops->pre_s(b.self));
        cr_assert(eq(sz, ls_sparam_warnings(&b, NULL, 0), 0));
        ls_block_destroy(&b);
        ls_touchstone_destroy(t);
        unlink(path);
    }
}

Test(touchstone, response_below_the_first_point_reaches_a_real_dc)
{
    const double tau = 0.5e-9;
    char path[512];
    tmpname(path, sizeof path, "nodc", ".s2p");
    write_2port(path, W_RI, 1e9, "GHz", 0.1e9, 0.1e9, 400, delay_line, &tau);
    ls_sparam_config c = {.path = path, .auto_map = 1};
    ls_block b;
    char msg[1024];
    cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_OK), "%s", msg);
    double complex h0 = response1(&b, 0.0), h1 = response1(&b, 0.05e9);
    cr_assert(eq(dbl, cimag(h0), 0.0));
    cr_assert(fabs(creal(h0) - 1.0) < 1e-9);
    cr_assert(cabs(h1 - 1.0) < 1e-6);
    double fs[3] = {-3e9, 3e9, 0.0};
    double complex hs[3];
    cr_assert(eq(int, b.ops->response(b.self, fs, hs, 3), LS_OK));
    cr_assert(eq(dbl, creal(hs[0]), creal(hs[1])), "H(-f) = conj H(f)");
    cr_assert(eq(dbl, cimag(hs[0]), -cimag(hs[1])));
    ls_block_destroy(&b);
    unlink(path);
}

/* First-order low-pass, optionally time-reversed (anti-causal), delayed by 1 ns. */
typedef struct {
    double fc;
    int anti;
} rc_ctx;

static double complex rc_line(double f, const void *ctx)
{
    const rc_ctx *r = ctx;
    double complex h = 1.0 / (1.0 + I * f / r->fc);
    return (r->anti ? conj(h) : h) * cexp(-2.0 * M_PI * I * f * 1e-9);
}

Test(touchstone, causality_check_flags_an_anti_causal_response_only, .timeout = 30)
{
    for (int anti = 0; anti < 2; anti++) {
        rc_ctx r = {1e9, anti};
        char path[512];
        tmpname(path, sizeof path, anti ? "anti" : "causal", ".s2p");
        write_2port(path, W_RI, 1e9, "GHz", 0.0, 10e6, 5001, rc_line, &r);
        ls_sparam_config c = {.path = path, .auto_map = 1};
        ls_block b;
        char msg[1024];
        cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_OK), "%s", msg);
        cr_assert(eq(int, has_warning(&b, "non-causal"), anti), "anti = %d", anti);
        if (anti) {
            cr_assert(has_warning(&b, path));
        } else {
            /* h(t) = wc exp(-wc t): energy after T is exp(-2 wc T) = 1e-9 at T = 1.65 ns */
            double want = log(1e9) / (2.0 * 2.0 * M_PI * r.fc);
            double span = b.ops->span_s(b.self);
            cr_assert(fabs(span - want) < 0.1e-9, "span %.3f ns, expected %.3f ns", span * 1e9,
                      want * 1e9);
            cr_assert(fabs(ls_sparam_delay_s(&b) - 1e-9) < 20e-12, "delay %g",
                      ls_sparam_delay_s(&b));
        }
        ls_block_destroy(&b);
        unlink(path);
    }
}

Test(touchstone, v1_two_port_order_is_11_21_12_22_and_v2_follows_its_keyword)
{
    char p1[512], p2[512];
    tmpname(p1, sizeof p1, "order1", ".s2p");
    tmpname(p2, sizeof p2, "order2", ".ts");
    write_text(p1, "# Hz S RI R 75\n1 0.1 0 0.2 0 0.3 0 0.4 0\n2 0.1 0 0.2 0 0.3 0 0.4 0\n"
                   "! noise parameters follow the network data\n1 1.5 0.3 20 0.4\n2 1.6 0.3 21 0.4\n");
    write_text(p2, "! v2 with 12_21 order\n[Version] 2.0\n# GHz S RI R 50\n"
                   "[Number of Ports] 2\n[Two-Port Data Order] 12_21\n"
                   "[Number of Frequencies] 2\n[Reference] 50 25\n[Network Data]\n"
                   "1 0.1 0 0.2 0 0.3 0 0.4 0\n2 0.1 0 0.2 0 0.3 0\n 0.4 0\n[End]\n");
    ls_touchstone *a = read_ok(p1), *b = read_ok(p2);
    cr_assert(eq(sz, ls_touchstone_points(a), 2), "v1 noise data skipped");
    cr_assert(eq(dbl, creal(ls_touchstone_s(a, 0, 1, 0)), 0.2), "v1: second pair is S21");
    cr_assert(eq(dbl, creal(ls_touchstone_s(a, 0, 0, 1)), 0.3));
    cr_assert(eq(dbl, ls_touchstone_z0(a, 1), 75.0));
    cr_assert(eq(dbl, creal(ls_touchstone_s(b, 1, 0, 1)), 0.2), "12_21: second pair is S12");
    cr_assert(eq(dbl, creal(ls_touchstone_s(b, 1, 1, 0)), 0.3));
    cr_assert(eq(dbl, creal(ls_touchstone_s(b, 1, 1, 1)), 0.4));
    cr_assert(eq(dbl, ls_touchstone_freq_hz(b)[1], 2e9));
    cr_assert(eq(dbl, ls_touchstone_z0(b, 0), 50.0));
    cr_assert(eq(dbl, ls_touchstone_z0(b, 1), 25.0));
    cr_assert(isnan(ls_touchstone_z0(b, 2)));
    cr_assert(isnan(creal(ls_touchstone_s(b, 2, 0, 0))));
    ls_touchstone_destroy(a);
    ls_touchstone_destroy(b);
    unlink(p1);
    unlink(p2);
}

Test(touchstone, v2_four_port_with_reference_information_and_lower_matrix)
{
    char p[512], q[512];
    tmpname(p, sizeof p, "v2full", ".s4p");
    tmpname(q, sizeof q, "v2lower", ".ts");
    /* full 4-port: S_ij = (10 i + j) / 100 + j (i + j) / 1000 (1-based i, j), DB format */
    FILE *f = fopen(p, "w");
    cr_assert(f != NULL);
    fprintf(f, "[Version] 2.0\n# MHz S DB R 50\n[Number of Ports] 4\n[Number of Frequencies] 2\n"
               "[Reference] 50 50\n 40 60 ! continued\n[Begin Information]\n"
               "this text is skipped 1 2 3\n[End Information]\n[Network Data]\n");
    for (int k = 1; k <= 2; k++) {
        fprintf(f, "%d", 100 * k);
        for (int i = 1; i <= 4; i++) {
            for (int j = 1; j <= 4; j++) {
                double complex s = (10 * i + j) / 100.0 + I * (i + j) / 1000.0;
                fprintf(f, " %.17g %.17g", 20 * log10(cabs(s)), carg(s) * 180 / M_PI);
            }
            fputc('\n', f);
        }
    }
    fprintf(f, "[End]\n");
    fclose(f);
    write_text(q, "[Version] 2.0\n# Hz S RI\n[Number of Ports] 3\n"
                  "[Number of Frequencies] 1\n[Network Data]\n"
                  "5 1 0\n 2 0 3 0\n 4 0 5 0 6 0\n[End]\n");
    ls_touchstone *t = read_ok(p);
    cr_assert(eq(u32, ls_touchstone_ports(t), 4));
    cr_assert(eq(sz, ls_touchstone_points(t), 2));
    cr_assert(eq(dbl, ls_touchstone_freq_hz(t)[1], 200e6));
    for (unsigned i = 0; i < 4; i++)
        for (unsigned j = 0; j < 4; j++) {
            double complex s = (10.0 * (i + 1) + (j + 1)) / 100.0 + I * (i + j + 2) / 1000.0;
            cr_assert(cabs(ls_touchstone_s(t, 1, i, j) - s) < 1e-12, "S%u%u", i + 1, j + 1);
        }
    cr_assert(eq(dbl, ls_touchstone_z0(t, 2), 40.0));
    cr_assert(eq(dbl, ls_touchstone_z0(t, 3), 60.0));
    ls_touchstone_destroy(t);
    /* [Matrix Format] must precede [Number of Ports]: this file omits it, so it is full 3x3 */
    expect_bad(q, 8, "incomplete data");
    write_text(q, "[Version] 2.0\n# Hz S RI\n[Matrix Format] Lower\n[Number of Ports] 3\n"
                  "[Number of Frequencies] 1\n[Network Data]\n"
                  "5 1 0\n 2 0 3 0\n 4 0 5 0 6 0\n[End]\n");
    t = read_ok(q);
    cr_assert(eq(dbl, creal(ls_touchstone_s(t, 0, 1, 0)), 2.0));
    cr_assert(eq(dbl, creal(ls_touchstone_s(t, 0, 0, 1)), 2.0));
    cr_assert(eq(dbl, creal(ls_touchstone_s(t, 0, 2, 1)), 5.0));
    cr_assert(eq(dbl, creal(ls_touchstone_s(t, 0, 1, 2)), 5.0));
    cr_assert(eq(dbl, creal(ls_touchstone_s(t, 0, 2, 2)), 6.0));
    ls_touchstone_destroy(t);
    unlink(p);
    unlink(q);
}

Test(touchstone, v1_eight_port_rows_wrap_at_four_pairs)
{
    char p[512];
    tmpname(p, sizeof p, "eight", ".S8P");
    FILE *f = fopen(p, "w");
    cr_assert(f != NULL);
    fputs("# GHz S RI R 50\n", f);
    for (int k = 0; k < 3; k++) {
        fprintf(f, "%d", k);
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++) {
                fprintf(f, " %d %d", 100 * k + 8 * i + j, -(8 * i + j));
                if (j == 3 || j == 7)
                    fputc('\n', f);
            }
    }
    fclose(f);
    ls_touchstone *t = read_ok(p);
    cr_assert(eq(u32, ls_touchstone_ports(t), 8));
    cr_assert(eq(sz, ls_touchstone_points(t), 3));
    cr_assert(eq(dbl, creal(ls_touchstone_s(t, 2, 5, 6)), 200 + 46));
    cr_assert(eq(dbl, cimag(ls_touchstone_s(t, 2, 5, 6)), -46));
    ls_touchstone_destroy(t);
    unlink(p);
}

Test(touchstone, detect_map_and_mixed_mode_formulas)
{
    /* 4-port with thrus 1->3 and 2->4, plus small coupling terms */
    char p[512];
    tmpname(p, sizeof p, "mixed", ".s4p");
    double complex S[4][4];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            S[i][j] = 0.01 * (i + 1) + I * 0.003 * (j + 1);
    S[2][0] = S[0][2] = 0.9 - 0.1 * I;
    S[3][1] = S[1][3] = 0.8 + 0.05 * I;
    FILE *f = fopen(p, "w");
    cr_assert(f != NULL);
    fputs("# GHz S RI R 50\n", f);
    for (int k = 0; k < 2; k++) {
        fprintf(f, "%d", k);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++)
                fprintf(f, " %.17g %.17g", creal(S[i][j]), cimag(S[i][j]));
            fputc('\n', f);
        }
    }
    fclose(f);
    ls_touchstone *t = read_ok(p);
    ls_port_map m;
    cr_assert(eq(int, ls_touchstone_detect_map(t, &m), LS_OK));
    cr_assert(eq(u32, m.in_p, 0));
    cr_assert(eq(u32, m.in_n, 1));
    cr_assert(eq(u32, m.out_p, 2));
    cr_assert(eq(u32, m.out_n, 3));
    double complex d21, d11, c21;
    cr_assert(eq(int, ls_touchstone_mixed(t, &m, 1, &d21, &d11, &c21), LS_OK));
    const int ip = 0, in = 1, op = 2, on = 3;
    double complex w21 = (S[op][ip] - S[op][in] - S[on][ip] + S[on][in]) / 2;
    double complex w11 = (S[ip][ip] - S[ip][in] - S[in][ip] + S[in][in]) / 2;
    double complex wc = (S[op][ip] - S[op][in] + S[on][ip] - S[on][in]) / 2;
    cr_assert(cabs(d21 - w21) < 1e-14);
    cr_assert(cabs(d11 - w11) < 1e-14);
    cr_assert(cabs(c21 - wc) < 1e-14);
    cr_assert(eq(int, ls_touchstone_mixed(t, &m, 1, NULL, NULL, NULL), LS_OK));
    cr_assert(eq(int, ls_touchstone_mixed(t, &m, 2, &d21, NULL, NULL), LS_EINVAL));
    ls_port_map bad = {0, 0, 2, 3};
    cr_assert(eq(int, ls_touchstone_mixed(t, &bad, 0, &d21, NULL, NULL), LS_EINVAL));
    bad = (ls_port_map){0, 1, 2, 4};
    cr_assert(eq(int, ls_touchstone_check_map(t, &bad), LS_EINVAL));
    ls_touchstone_destroy(t);
    unlink(p);
}

/* ------------------------------------------------------------------------------------------ */
/* malformed files */

#define TWO_PORT_LINE(f) #f " 0.1 0 0.9 0 0.9 0 0.1 0\n"

Test(touchstone, truncated_file_is_rejected_at_its_last_line)
{
    write_and_expect_bad("trunc2", ".s2p",
                         "! c\n# GHz S RI R 50\n" TWO_PORT_LINE(1) TWO_PORT_LINE(2) "3 0.1 0 0.9\n",
                         5, "incomplete data");
    write_and_expect_bad("trunc4", ".s4p",
                         "# Hz S RI R 50\n"
                         "1 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n"
                         "2 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n",
                         7, "incomplete data");
}

Test(touchstone, non_finite_and_unparsable_numbers_are_rejected_at_their_line)
{
    write_and_expect_bad("nan", ".s2p",
                         "# GHz S RI R 50\n" TWO_PORT_LINE(1) "2 0.1 0 NaN 0 0.9 0 0.1 0\n", 3,
                         "not a finite number 'NaN'");
    write_and_expect_bad("inf", ".s2p",
                         "# GHz S RI R 50\n\n" TWO_PORT_LINE(1) "2 0.1 0 0.9 0 inf 0 0.1 0\n", 4,
                         "not a finite number");
    write_and_expect_bad("junk", ".s2p", "# GHz S RI R 50\n" TWO_PORT_LINE(1) "2 0.1 0 0.9x\n", 3,
                         "cannot parse number '0.9x'");
}

Test(touchstone, non_increasing_frequency_is_rejected_at_its_line)
{
    write_and_expect_bad("mono", ".s2p",
                         "# GHz S RI R 50\n" TWO_PORT_LINE(1) TWO_PORT_LINE(2) TWO_PORT_LINE(2)
                             TWO_PORT_LINE(3),
                         4, "not above the previous one");
    write_and_expect_bad("negf", ".s1p", "# GHz S RI R 50\n-1 0.5 0\n", 2, "negative frequency");
}

Test(touchstone, wrong_value_count_is_rejected_at_the_line_that_leaves_the_layout)
{
    write_and_expect_bad("count2", ".s2p",
                         "# GHz S RI R 50\n" TWO_PORT_LINE(1) "2 0.1 0 0.9 0 0.9 0 0.1 0 7\n", 3,
                         "wrong number of values");
    write_and_expect_bad(
        "count2b", ".s2p",
        "# GHz S RI R 50\n" TWO_PORT_LINE(1) "2 0.1 0 0.9 0 0.9 0 0.1\n" TWO_PORT_LINE(3), 3,
        "8 on this line, 9 expected");
    /* 4-port: one value missing on the second line of the second record */
    write_and_expect_bad(
        "count4", ".s4p",
        "# Hz S RI R 50\n"
        "1 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n"
        "2 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4\n 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n"
        "3 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n",
        7, "7 on this line, 8 expected");
}

Test(touchstone, bad_duplicate_or_unsupported_option_lines_are_rejected)
{
    write_and_expect_bad("opt1", ".s2p", "! x\n# GHz S XX R 50\n" TWO_PORT_LINE(1), 2,
                         "bad option line");
    write_and_expect_bad("opt2", ".s2p", "# GHz S RI R\n" TWO_PORT_LINE(1), 1, "R needs a value");
    write_and_expect_bad("opt3", ".s2p", "# GHz S RI R 50\n# GHz S RI R 50\n" TWO_PORT_LINE(1), 2,
                         "duplicate option line");
    write_and_expect_bad("opt4", ".s2p", "# GHz Y RI R 50\n" TWO_PORT_LINE(1), 1,
                         "unsupported parameter type 'Y'");
    write_and_expect_bad("opt5", ".s2p", "# GHz MHz S RI R 50\n" TWO_PORT_LINE(1), 1,
                         "two frequency units");
    write_and_expect_bad("opt6", ".s2p", TWO_PORT_LINE(1) "# GHz S RI R 50\n" TWO_PORT_LINE(2), 2,
                         "option line after the data");
    write_and_expect_bad("opt7", ".s2p", "# GHz S RI R -5\n" TWO_PORT_LINE(1), 1,
                         "reference impedance");
}

Test(touchstone, empty_unnamed_and_unreadable_files_are_rejected)
{
    write_and_expect_bad("empty", ".s2p", "! only comments\n# GHz S RI R 50\n\n", 3, "no data");
    write_and_expect_bad("v2nodata", ".ts", "[Version] 2.0\n[Number of Ports] 1\n[End]\n", 3,
                         "no data");
    write_and_expect_bad("v2count", ".ts",
                         "[Version] 2.0\n[Number of Ports] 1\n[Number of Frequencies] 3\n"
                         "[Network Data]\n1 0.5 0\n2 0.5 0\n[End]\n",
                         6, "[Number of Frequencies] is 3 but 2 were read");
    write_and_expect_bad("v2mixed", ".ts",
                         "[Version] 2.0\n[Number of Ports] 4\n[Mixed-Mode Order] D2,1 D1,2\n", 3,
                         "Mixed-Mode");
    char p[512], msg[512] = "";
    ls_status st = LS_OK;
    tmpname(p, sizeof p, "noext", ".txt");
    write_text(p, TWO_PORT_LINE(1));
    cr_assert(ls_touchstone_read(p, msg, sizeof msg, &st) == NULL);
    cr_assert(eq(int, st, LS_EINVAL));
    cr_assert(ls_has(msg, "number of ports"), "%s", msg);
    unlink(p);
    cr_assert(ls_touchstone_read(p, msg, sizeof msg, &st) == NULL);
    cr_assert(eq(int, st, LS_EIO));
    cr_assert(ls_has(msg, p) && ls_has(msg, "cannot read"), "%s", msg);
    cr_assert(ls_touchstone_read(NULL, NULL, 0, &st) == NULL);
    cr_assert(eq(int, st, LS_EINVAL));
    ls_touchstone_destroy(NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* block contract */

Test(touchstone, block_contract_and_rejections)
{
    const double tau = 0.3e-9;
    char p[512], msg[1024];
    tmpname(p, sizeof p, "blk", ".s2p");
    write_2port(p, W_MA, 1e9, "GHz", 0.0, 20e6, 2001, delay_line, &tau);
    ls_block b = {(const ls_block_ops *)1, (void *)1};
    cr_assert(eq(int, ls_sparam_into_block(NULL, &b, msg, sizeof msg), LS_EINVAL));
    cr_assert(b.ops == NULL && b.self == NULL, "cleared on failure");
    cr_assert(eq(
        int,
        ls_sparam_into_block(&(ls_sparam_config){.path = p, .auto_map = 1}, NULL, msg, sizeof msg),
        LS_EINVAL));
    ls_sparam_config c = {.path = p, .auto_map = 0, .map = {0, 1, 2, 3}};
    cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_EINVAL), "4 ports of 2");
    c = (ls_sparam_config){.path = p, .auto_map = 1, .fs_hint_hz = -1};
    cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_EINVAL));
    c.fs_hint_hz = 0;
    c.path = "/nonexistent/dir/x.s2p";
    cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_EIO));

    c = (ls_sparam_config){.path = p, .auto_map = 0, .map = {1, LS_PORT_NONE, 0, LS_PORT_NONE}};
    cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(str, (char *)b.ops->name, "touchstone"));
    cr_assert(eq(int, b.ops->kind, LS_KIND_LTI));
    cr_assert(eq(int, b.ops->in, LS_T_F32));
    cr_assert(eq(int, b.ops->out, LS_T_F32));
    cr_assert(b.ops->process == NULL);
    /* a vector call equals single calls, and H(-f) = conj H(f) */
    double f[64];
    double complex h[64];
    for (int i = 0; i < 64; i++)
        f[i] = (i - 32) * 1.37e9;
    cr_assert(eq(int, b.ops->response(b.self, f, h, 64), LS_OK));
    for (int i = 0; i < 64; i++) {
        double complex hi = response1(&b, f[i]);
        cr_assert(eq(dbl, creal(h[i]), creal(hi)));
        cr_assert(eq(dbl, cimag(h[i]), cimag(hi)));
    }
    for (int i = 1; i < 64; i++) { /* f[64 - i] = -f[i] */
        cr_assert(eq(dbl, creal(h[i]), creal(h[64 - i])));
        cr_assert(eq(dbl, cimag(h[i]), -cimag(h[64 - i])));
    }
    cr_assert(eq(int, b.ops->response(b.self, NULL, h, 1), LS_EINVAL));
    cr_assert(eq(int, b.ops->response(b.self, NULL, NULL, 0), LS_OK));
    cr_assert(fabs(ls_sparam_delay_s(&b) - tau) < 0.1e-12);
    cr_assert(eq(dbl, ls_sparam_fmax_hz(&b), 40e9));
    ls_block_destroy(&b);
    ls_block_destroy(&b); /* safe on a cleared block */

    ls_lowpass_config lp;
    ls_lowpass_config_init(&lp);
    cr_assert(eq(int, ls_lowpass_into_block(&lp, &b), LS_OK));
    cr_assert(isnan(ls_sparam_delay_s(&b)), "not a touchstone block");
    cr_assert(isnan(ls_sparam_fmax_hz(&b)));
    cr_assert(eq(sz, ls_sparam_warnings(&b, NULL, 0), 0));
    ls_block_destroy(&b);
    cr_assert(isnan(ls_sparam_delay_s(NULL)));

    /* a malformed file reaches the caller as FILE:LINE */
    write_text(p, "# GHz S RI R 50\n" TWO_PORT_LINE(1) "2 nan\n");
    c = (ls_sparam_config){.path = p, .auto_map = 1};
    cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_EINVAL));
    char head[600];
    snprintf(head, sizeof head, "%s:3: ", p);
    cr_assert(0 == (strncmp(msg, head, strlen(head))), "%s", msg);
    unlink(p);
}

/* ------------------------------------------------------------------------------------------ */
/* the command line */

static char out[1 << 16];

static int cli(const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s", LS_CLI_PATH, args);
    return ls_test_run(cmd, out, sizeof out);
}

static cJSON *load_json(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert(f != NULL, "%s missing", path);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cJSON *j = cJSON_Parse(buf);
    cr_assert(j != NULL, "bad JSON: %s", buf);
    return j;
}

Test(touchstone, cli_channel_prints_loss_and_writes_json, .timeout = 60)
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
    cJSON *j = load_json(json);
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

Test(touchstone, cli_malformed_file_exits_2_with_file_and_line, .timeout = 30)
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

/*
 * Touchstone reader on synthetic files written here: every number format, the response below
 * the first point, the causality check, v1/v2 port orders and layouts, port-map detection and the
 * mixed-mode formulas.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "touchstone_util.h"

/* ------------------------------------------------------------------------------------------ */
/* synthetic files */

Test(touchstone, ideal_delay_line_round_trips_in_every_format, .timeout = LS_TIMEOUT(30))
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

Test(touchstone, causality_check_flags_an_anti_causal_response_only, .timeout = LS_TIMEOUT(30))
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

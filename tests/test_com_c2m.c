/**
 * The C2M eye of the COM engine (IEEE 802.3ck Annex 120G.3.1; channels/copper/com_vec.c, com_search.c):
 * EH and VEC against closed forms on synthetic pulses, the eye on a real channel (skipped without
 * ../shared), the Min_VEO_Test floor inside the equalizer search, and VEC/EH in the CSV output.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "com_internal.h"
#include "com_util.h"
#include "lanesim/com.h"
#include "util.h"

/* Phi^-1 of the lower tail by bisection on erfc */
static double qinv_t(double p)
{
    double lo = 0, hi = 40;
    for (int k = 0; k < 200; k++) {
        double m = 0.5 * (lo + hi);
        if (0.5 * erfc(m / sqrt(2)) > p) lo = m; else hi = m;
    }
    return 0.5 * (lo + hi);
}

/* C2M eye (120G.3.1) on a synthetic pulse with Gaussian noise only and no ISI: (a) a flat top, any window:
   EH = 2 (A_s - Q^-1(DER0) sigma), VEC = 20 log10(A_s / (EH / 2)); (b) a pulse with slope k per UI around
   the cursor and a rectangle window over +-T_O: the eye edge is the equal mixture of N(A_s (1 - k |d|), sigma),
   d = j / S, whose DER0 point is found by bisection on erfc. */
Test(com_c2m, eye_closed_form)
{
    lsi_com_param p;
    memset(&p, 0, sizeof p);
    p.M = 32; p.L = 4; p.der0 = 1e-5; p.t_o = 0.05; p.t_o_mui = 50; p.s_c2m = 100; p.sigma_r = 0.02; p.c2m = 1;
    enum { N = 32 * 40 };
    static double h[N];
    const double h0 = 0.09, a_s = h0 / 3, sg = 2e-3, k = 2.0;
    lsi_com_eq eq;
    memset(&eq, 0, sizeof eq);
    eq.sbr = h; eq.n_sbr = N; eq.cursor = 32 * 10 + 7; eq.a_s = a_s;
    lsi_pdf g = {0};
    cr_assert(eq(int, lsi_pdf_gauss(&g, sg, qinv_t(1e-5) + 3, 1e-5), LS_OK));
    const lsi_pdf *gs[11]; /* the same noise at each of the 2 J + 1 = 11 offsets (T_O 50 mUI, 100 per UI) */
    for (int i = 0; i < 11; i++) gs[i] = &g;
    double eh, vec;
    p.ql = 2.5;
    for (int w = 0; w < 4; w++) {
        for (size_t i = 0; i < N; i++) h[i] = i >= eq.cursor - 16 && i <= eq.cursor + 16 ? h0 : 0;
        p.hist_w = w;
        cr_assert(eq(int, lsi_com_eye(&p, &eq, gs, &eh, &vec), LS_OK));
        double q = a_s - qinv_t(1e-5) * sg;
        cr_expect(fabs(eh - 2 * q) < 4e-5, "window %d: EH %.6g vs %.6g", w, eh, 2 * q);
        cr_expect(fabs(vec - 20 * log10(a_s / q)) < 0.01, "window %d: VEC %.4f vs %.4f", w, vec, 20 * log10(a_s / q));
    }
    for (size_t i = 0; i < N; i++) {
        double x = fabs(((double)i - (double)eq.cursor) / 32.0);
        h[i] = x <= 0.5 ? h0 * (1 - k * x) : 0;
    }
    /* the slope k: A_s(d) = a_s (1 - k |d|); level mu (-3, -1, 1, 3) at offset d is mu A_s(d) + Gaussian, the eye
       between levels mu and mu + 2 is lq(mu + 2) + lq(-mu) (lq the lower DER_0 quantile of the window's mixture,
       bisected on erfc): the middle eye 2 lq(1), the outer ones lq(3) + lq(-1), smaller (3 A_s(d) falls 3 times as
       fast); EH the smallest. Rectangle, then dual Rayleigh (sigma = T_O / QL = 0.02 UI) */
    for (int w = 1; w <= 3; w += 2) {
        p.hist_w = w;
        cr_assert(eq(int, lsi_com_eye(&p, &eq, gs, &eh, &vec), LS_OK));
        double lq[3]; /* mu = -1, 1, 3 */
        for (int m = 0; m < 3; m++) {
            const double mu = m == 0 ? -1 : m == 1 ? 1 : 3;
            double lo = -0.3, hi = 0.3;
            for (int it = 0; it < 200; it++) {
                double q = 0.5 * (lo + hi), F = 0, W = 0, s = 0.02;
                for (int jj = -5; jj <= 5; jj++) {
                    double d = jj / 100.0, a = d + 0.05, b = d - 0.05;
                    double wj = w == 1 ? 1 : a / (s * s) * exp(-a * a / (2 * s * s)) - b / (s * s) * exp(-b * b / (2 * s * s));
                    F += wj * 0.5 * erfc(-(q - mu * a_s * (1 - k * fabs(d))) / (sg * sqrt(2)));
                    W += wj;
                }
                if (F / W > 1e-5) hi = q; else lo = q;
            }
            lq[m] = lo;
        }
        const double mid = 2 * lq[1], outer = lq[2] + lq[0], want = fmin(mid, outer);
        cr_log_info("window %d: EH %.4f mV vs %.4f mV (middle eye %.4f, outer %.4f), VEC %.3f dB", w, eh * 1e3, want * 1e3,
                    mid * 1e3, outer * 1e3, vec);
        cr_expect(outer < mid - 1e-4, "window %d: the outer eyes (%.6g) are the smaller: middle %.6g", w, outer, mid);
        cr_expect(fabs(eh - want) < 4e-5, "window %d: EH %.6g vs %.6g", w, eh, want);
        cr_expect(fabs(vec - 20 * log10(2 * a_s / want)) < 0.01, "window %d: VEC %.4f vs %.4f", w, vec, 20 * log10(2 * a_s / want));
    }
    p.hist_w = 1;
    /* closed eye: VEC = +inf */
    for (size_t i = 0; i < N; i++) h[i] *= 0.1;
    eq.a_s = a_s * 0.1;
    cr_assert(eq(int, lsi_com_eye(&p, &eq, gs, &eh, &vec), LS_OK));
    cr_expect(eh < 0 && isinf(vec), "EH %g VEC %g", eh, vec);
    lsi_pdf_free(&g);
}

/* The eye's noise per offset (lsi_com_eye_noises, the reference's h_j_full): on a triangular pulse of slope k h0 per UI
   either side of the cursor (zero elsewhere), the slope vector at d != 0 is k h0 at the cursor's UI and 0 in the others,
   so the noise there is a Gaussian of sigma sqrt((sigma_RJ sigma_X k h0)^2 + sigma_N^2 + sigma_TX^2) (A_DD 0); at
   d = 0 the case's own noise is used (the same pointer), where the central difference of 93A-28 is 0 */
Test(com_c2m, eye_noise_per_offset)
{
    lsi_com_param p;
    memset(&p, 0, sizeof p);
    p.M = 32; p.L = 4; p.der0 = 1e-5; p.t_o = 0.05; p.t_o_mui = 50; p.s_c2m = 100; p.sigma_r = 0.02; p.c2m = 1;
    p.sigma_rj = 0.02; p.a_dd = 0; p.snr_tx = 1000; p.r_lm = 1;
    enum { N = 32 * 40 };
    static double h[N], hj[40];
    const double h0 = 0.09, k = 2.0;
    lsi_com_eq eq;
    memset(&eq, 0, sizeof eq);
    eq.sbr = h; eq.n_sbr = N; eq.cursor = 32 * 10 + 7; eq.a_s = h0 / 3; eq.sigma_n = 1e-3;
    for (size_t i = 0; i < N; i++) {
        double x = fabs(((double)i - (double)eq.cursor) / 32.0);
        h[i] = x <= 0.5 ? h0 * (1 - k * x) : 0;
    }
    long so = (long)(eq.cursor + 1) % 32;
    if (so <= 1) so += 32;
    for (long i = so; i < N; i += 32) hj[eq.n_hj++] = (h[i] - h[i - 2]) / 2 * 32; /* 93A-28, as com_search.c */
    eq.h_j = hj;
    lsi_pdf n0 = {0}, xt = {0}, own[11];
    memset(own, 0, sizeof own);
    const lsi_pdf *out[11];
    cr_assert(eq(int, lsi_pdf_delta(&n0, 1e-5), LS_OK));
    cr_assert(eq(int, lsi_pdf_delta(&xt, 1e-5), LS_OK));
    cr_assert(eq(int, lsi_com_eye_noises(&p, &eq, &n0, &xt, 5, own, out), LS_OK));
    const double sx = sqrt(15.0 / 27.0), s_tx = 3 * eq.a_s * pow(10, -50.0);
    const double want = sqrt(pow(p.sigma_rj * sx * k * h0, 2) + eq.sigma_n * eq.sigma_n + s_tx * s_tx);
    cr_expect(out[5] == &n0, "d = 0 uses the case's noise");
    for (int j = 0; j < 11; j++) {
        if (j == 5) continue;
        double r = lsi_pdf_rms(out[j]);
        cr_expect(fabs(r / want - 1) < 0.01, "offset %d: rms %.6g vs %.6g", j - 5, r, want);
    }
    cr_log_info("noise at d != 0: rms %.4g mV vs %.4g mV (the cursor's: sigma_N %.4g mV)", lsi_pdf_rms(out[0]) * 1e3,
                want * 1e3, eq.sigma_n * 1e3);
    for (int j = 0; j < 11; j++) lsi_pdf_free(&own[j]);
    lsi_pdf_free(&n0); lsi_pdf_free(&xt);
}

static int c2m_run_veo(const char *t_o, const char *vec_thr, const char *min_veo, ls_com_result *r);
static int c2m_run(const char *t_o, const char *vec_thr, ls_com_result *r)
{
    return c2m_run_veo(t_o, vec_thr, NULL, r);
}

/* The shared C2M channel's path into thru[cap] and the 120G C2M set; NULL when ../shared is absent */
static ls_com_config *c2m_config(char *thru, size_t cap)
{
    char msg[512] = "";
    if (ls_test_com_channel("ieee3ck_C2M_Z100_IL14_WC_BOR_H_L_H_THRU.s4p", thru, cap)) return NULL;
    ls_status st;
    ls_com_config *c = ls_com_config_read(LS_SOURCE_DIR "/channels/copper/com/802.3ck-120g-c2m.csv", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    return c;
}

/* the same with Min_VEO_Test (mV) set when min_veo is given */
static int c2m_run_veo(const char *t_o, const char *vec_thr, const char *min_veo, ls_com_result *r)
{
    char thru[1024], msg[512] = "";
    ls_com_config *c = c2m_config(thru, sizeof thru);
    if (!c) return 0;
    cr_assert(eq(int, ls_com_config_set(c, "T_O", t_o, msg, sizeof msg), LS_OK));
    cr_assert(eq(int, ls_com_config_set(c, "ERL", "0", msg, sizeof msg), LS_OK));
    if (vec_thr) cr_assert(eq(int, ls_com_config_set(c, "VEC Pass threshold", vec_thr, msg, sizeof msg), LS_OK));
    if (min_veo) cr_assert(eq(int, ls_com_config_set(c, "Min_VEO_Test", min_veo, msg, sizeof msg), LS_OK));
    const ls_status st = ls_com_run(c, thru, NULL, 0, NULL, 0, r, msg, sizeof msg);
    ls_com_config_destroy(c);
    cr_assert(eq(int, st, LS_OK), "%s", msg);
    return 1;
}

/* the 120G C2M set on the shared C2M channel (skipped without ../shared): with T_O = 0 the eye is the COM eye,
   EH = 2 (A_s - A_ni); widening the window closes it monotonically; the pass flag follows VEC */
Test(com_c2m, eye_real_channel, .timeout = LS_TIMEOUT(30))
{
    static ls_com_result r0, r50, r100, rt;
    if (!c2m_run("0", NULL, &r0)) cr_skip("../shared/channels absent");
    cr_assert(c2m_run("50", NULL, &r50) && c2m_run("100", NULL, &r100) && c2m_run("50", "9", &rt));
    for (size_t c = 0; c < r0.n_cases; c++) {
        const ls_com_case *a = &r0.cases[c], *b = &r50.cases[c], *d = &r100.cases[c];
        cr_log_info("case %d: COM %.3f; T_O 0: VEC %.3f EH %.3f mV; 50: %.3f %.3f; 100: %.3f %.3f", a->package_case, a->com_db,
                    a->vec_db, a->eh_v * 1e3, b->vec_db, b->eh_v * 1e3, d->vec_db, d->eh_v * 1e3);
        cr_expect(fabs(a->eh_v - 2 * (a->a_s_v - a->a_ni_v)) < 2.5e-5, "EH %.6g vs 2 (A_s - A_ni) %.6g", a->eh_v,
                  2 * (a->a_s_v - a->a_ni_v));
        cr_expect(fabs(a->vec_db - 20 * log10(a->a_s_v / (a->a_s_v - a->a_ni_v))) < 0.02);
        cr_expect(b->eh_v < a->eh_v && d->eh_v < b->eh_v, "EH falls with T_O");
        cr_expect(b->vec_db > a->vec_db && d->vec_db > b->vec_db, "VEC grows with T_O");
        cr_expect(b->vec_db > 9 && b->vec_db < 12, "VEC %.3f", b->vec_db);
    }
    cr_expect(r50.pass, "VEC below 12 dB, EH above 10 mV, ERL off: pass");
    cr_expect(rt.pass == 0, "VEC above a 9 dB threshold: fail");
}

/* Gaussian eye estimate of a case, EH_1st = 2 (A_s - Q^-1(DER_0) sigma_total) (DER_0 1e-5 in the 120G C2M set) */
static double eh_1st(const ls_com_case *a)
{
    double tot = sqrt(a->sigma_isi_v * a->sigma_isi_v + a->sigma_n_v * a->sigma_n_v + a->sigma_tx_v * a->sigma_tx_v +
                      a->sigma_j_v * a->sigma_j_v + a->sigma_xt_v * a->sigma_xt_v);
    return 2 * (a->a_s_v - lsi_com_qinv(1e-5) * tot);
}

static int has_warn(const ls_com_result *r, const char *s)
{
    for (size_t k = 0; k < r->n_warnings; k++) if (strstr(r->warnings[k], s)) return 1;
    return 0;
}

/* The C2M floor inside the search (the reference's rule with T_O and Min_VEO_Test: a setting whose Gaussian eye
   estimate 2 (A_s - Q^-1(DER_0) sigma) is <= Min_VEO_Test - 1 mV is rejected). Checked against the FOM-only
   search (Min_VEO_Test 0): the shipped 5 mV floor keeps its optimum; a floor just above the optimum's own estimate
   rejects it, and the new choice meets the floor with a FOM no larger; an unreachable floor falls back to the
   FOM-only choice with a warning. */
Test(com_c2m, min_veo_floor_in_the_search, .timeout = LS_TIMEOUT(60))
{
    static ls_com_result r0, r5, r1, rx;
    if (!c2m_run_veo("50", NULL, "0", &r0)) cr_skip("../shared/channels absent");
    cr_assert(c2m_run_veo("50", NULL, "5", &r5));
    const ls_com_case *a = &r0.cases[0];
    double tot = a->a_s_v / pow(10, a->fom_db / 20), eh0 = eh_1st(a);
    cr_assert(fabs(20 * log10(a->a_s_v / tot) - a->fom_db) < 1e-9);
    for (size_t c = 0; c < r0.n_cases; c++) {
        cr_expect(eh_1st(&r0.cases[c]) > 5e-3 - 1e-3, "the FOM optimum meets the shipped floor");
        cr_expect(eq(dbl, r5.cases[c].fom_db, r0.cases[c].fom_db), "same optimum with the shipped 5 mV floor");
    }
    char floor_mv[64];
    snprintf(floor_mv, sizeof floor_mv, "%.6f", eh0 * 1e3 + 1 + 0.01); /* 0.01 mV above the optimum's estimate */
    cr_assert(c2m_run_veo("50", NULL, floor_mv, &r1));
    const ls_com_case *b = &r1.cases[0];
    cr_log_info("EH_1st of the optimum %.4f mV, FOM %.4f dB; with the floor %s mV: EH_1st %.4f mV, FOM %.4f dB", eh0 * 1e3,
                a->fom_db, floor_mv, eh_1st(b) * 1e3, b->fom_db);
    if (!has_warn(&r1, "package case 1: no equalizer setting meets")) {
        cr_expect(eh_1st(b) > eh0 + 0.01e-3 - 1e-9, "the choice meets the floor: %.5f mV", eh_1st(b) * 1e3);
        cr_expect(b->fom_db < a->fom_db, "the optimum was rejected: FOM %.4f vs %.4f", b->fom_db, a->fom_db);
    }
    cr_assert(c2m_run_veo("50", NULL, "1000", &rx));
    cr_expect(has_warn(&rx, "package case 1: no equalizer setting meets"));
    for (size_t c = 0; c < r0.n_cases; c++) cr_expect(eq(dbl, rx.cases[c].fom_db, r0.cases[c].fom_db));
}

/* `lanesim com --csv` carries the C2M eye: vec_db, eh_v per case equal to the library's (120G C2M on the shared C2M
   channel, ERL off); a non-C2M configuration writes nan there */
Test(com_c2m, eye_in_the_csv, .timeout = LS_TIMEOUT(60))
{
    static ls_com_result r;
    if (!c2m_run("50", NULL, &r)) cr_skip("../shared/channels absent");
    const char *dir = ls_test_shared_dir();
    if (!dir) dir = LS_SHARED_DIR;
    char csv[256], cmd[2048], out[8192];
    snprintf(csv, sizeof csv, "/tmp/ls_com_c2m_%d.csv", (int)getpid());
    for (int kr = 0; kr < 2; kr++) {
        snprintf(cmd, sizeof cmd, "'%s' com '%s/channels/ieee3ck_C2M_Z100_IL14_WC_BOR_H_L_H_THRU.s4p' --config %s -s ERL=0 "
                 "-s 'z_p select=[1]' --csv %s 2>&1", LS_CLI_PATH, dir, kr ? "802.3ck-kr" : "802.3ck-120g-c2m", csv);
        cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
        const char *buf = ls_test_slurp(csv);
        cr_assert(buf != NULL);
        cr_assert(ls_has(buf, ",erl_db,pass,vec_db,eh_v\n"), "%s", buf);
        const char *row = strchr(buf, '\n') + 1;
        double v[15];
        for (int i = 0; i < 15; i++) {
            v[i] = strtod(row, NULL);
            row = strchr(row, i < 14 ? ',' : '\n');
            cr_assert(row != NULL);
            row++;
        }
        if (kr) {
            cr_expect(isnan(v[13]) && isnan(v[14]), "no C2M eye for a KR set");
        } else {
            cr_expect(fabs(v[13] - r.cases[0].vec_db) < 1e-4, "CSV VEC %.6g, library %.6g", v[13], r.cases[0].vec_db);
            cr_expect(fabs(v[14] - r.cases[0].eh_v) < 1e-5 * fabs(r.cases[0].eh_v), "CSV EH %.6g, library %.6g", v[14], r.cases[0].eh_v);
        }
    }
    remove(csv);
}

/* The reference's C2M FOM in the search (C2M_eye_FOM = 1, com_c2msearch.c) on a small grid of the 120G C2M set
   (package case 1, ERL off) with the shared C2M channel: kv the grid's keywords */
static int c2m_eye_run(const char *const *kv, ls_com_result *r)
{
    char thru[1024], msg[512] = "";
    ls_com_config *c = c2m_config(thru, sizeof thru);
    if (!c) return 0;
    static const char *const base[] = {"ERL", "0", "z_p select", "[1]", "C2M_eye_FOM", "1", "c(-3)", "0", "c(1)", "0", NULL};
    for (size_t k = 0; base[k]; k += 2) cr_assert(eq(int, ls_com_config_set(c, base[k], base[k + 1], msg, sizeof msg), LS_OK));
    for (size_t k = 0; kv[k]; k += 2) cr_assert(eq(int, ls_com_config_set(c, kv[k], kv[k + 1], msg, sizeof msg), LS_OK), "%s", msg);
    const ls_status st = ls_com_run(c, thru, NULL, 0, NULL, 0, r, msg, sizeof msg);
    ls_com_config_destroy(c);
    cr_assert(eq(int, st, LS_OK), "%s", msg);
    return 1;
}

/* (1) the chosen setting's eye FOM is the largest over the grid, found by brute force: one run per setting with a
   grid of that one point (a setting that fails the eye tests falls back with a warning and is not counted); the
   first setting in the reference's loop order wins a tie. (2) The chosen FOM is 20 log10(A_s / (A_s - EH/2)) of the
   report's own EH (no crosstalk here, so the report's eye is the search's), bit for bit. */
Test(com_c2m, eye_fom_search_is_the_grid_maximum, .timeout = LS_TIMEOUT(120))
{
    static ls_com_result r, s;
    static const char *gd[] = {"-7", "-6"}, *g2[] = {"-2.5", "-2"}, *c1[] = {"-0.16", "-0.14", "-0.12"}, *c2[] = {"0", "0.02"};
    static const char *const grid[] = {"g_DC", "[-7 -6]", "g_DC_HP", "[-2.5 -2]", "c(-1)", "[-0.16:0.02:-0.12]",
                                       "c(-2)", "[0 0.02]", NULL};
    if (!c2m_eye_run(grid, &r)) cr_skip("../shared/channels absent");
    const ls_com_case *a = &r.cases[0];
    cr_assert(has_warn(&r, "no equalizer setting meets") == 0);
    double ni = a->a_s_v - a->eh_v / 2;
    cr_log_info("chosen: g_DC %g g_DC2 %g: FOM %.4f dB, EH %.4f mV, A_s %.4f mV", a->g_dc_db, a->g_dc2_db, a->fom_db,
                a->eh_v * 1e3, a->a_s_v * 1e3);
    cr_expect(eq(dbl, a->fom_db, 20 * log10(a->a_s_v / ni)), "FOM %.15g vs 20 log10(A_s / (A_s - EH/2)) %.15g", a->fom_db,
              20 * log10(a->a_s_v / ni));
    cr_expect(a->eh_v > 5e-3, "EH above Min_VEO_Test");
    double best = -INFINITY;
    int nbest = -1, n = 0, valid = 0;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            for (int u = 0; u < 2; u++)      /* c(-2) before c(-1): the odometer's tap order c(-3) c(-2) c(-1) c(1) */
                for (int v = 0; v < 3; v++, n++) {
                    const char *const one[] = {"g_DC", gd[i], "g_DC_HP", g2[j], "c(-1)", c1[v], "c(-2)", c2[u], NULL};
                    cr_assert(c2m_eye_run(one, &s));
                    if (has_warn(&s, "no equalizer setting meets")) continue;
                    valid++;
                    if (s.cases[0].fom_db > best) { best = s.cases[0].fom_db; nbest = n; }
                }
    cr_log_info("brute force: %d of %d settings pass the eye tests, best FOM %.4f dB (setting %d)", valid, n, best, nbest);
    /* the single-point grids parse their tap values from text, the grid from [a:s:b]: equal to rounding */
    cr_expect(fabs(best - a->fom_db) < 1e-9, "grid maximum %.12f vs search %.12f", best, a->fom_db);
    int bi = nbest / 12, bj = nbest / 6 % 2, bu = nbest / 3 % 2, bv = nbest % 3;
    cr_expect(a->g_dc_db == strtod(gd[bi], NULL) && a->g_dc2_db == strtod(g2[bj], NULL), "CTLE of the maximum");
    size_t m = 0; /* c(0): the largest tap */
    for (size_t k = 1; k < a->n_tx_ffe; k++) m = a->tx_ffe[k] > a->tx_ffe[m] ? k : m;
    cr_assert(m >= 2);
    cr_expect(fabs(a->tx_ffe[m - 2] - strtod(c2[bu], NULL)) < 1e-12 && fabs(a->tx_ffe[m - 1] - strtod(c1[bv], NULL)) < 1e-12,
              "Tx FFE of the maximum: c(-2) %g c(-1) %g", a->tx_ffe[m - 2], a->tx_ffe[m - 1]);
}

/* The bound of com_c2msearch.c only skips settings that cannot win: on a synthetic channel, the search with it
   equals the search that computes the eye of every setting passing EH_1st (the same setting, FOM bit for bit),
   computes no more eyes, and no setting's eye FOM exceeds its bound. */
Test(com_c2m, eye_search_pruned_equals_exhaustive, .timeout = LS_TIMEOUT(120))
{
    char msg[256] = "";
    ls_status st;
    ls_com_config *c = ls_com_config_read(LS_SOURCE_DIR "/channels/copper/com/802.3ck-120g-c2m.csv", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    static const char *const kv[] = {"g_DC", "[-8:2:-4]", "g_DC_HP", "[-2.5 -2]", "c(-3)", "0", "c(-2)", "[0 0.04]",
                                     "c(-1)", "[-0.3:0.06:0]", "c(1)", "[-0.1 0]", "C2M_eye_FOM", "1", NULL};
    for (size_t k = 0; kv[k]; k += 2) cr_assert(eq(int, ls_com_config_set(c, kv[k], kv[k + 1], msg, sizeof msg), LS_OK));
    static ls_com_result res;
    lsi_com_param p;
    cr_assert(eq(int, lsi_com_param_fill(c, &p, &res, msg, sizeof msg), LS_OK), "%s", msg);
    p.c2m_search = lsi_com_c2m_search_hook; /* as com.c sets it */
    size_t n = 32 * 120;
    double *ir = calloc(n, sizeof *ir);
    for (size_t k = 0; k < n; k++) {
        double t = ((double)k - 32 * 10) / 32.0; /* UI */
        if (t > 0) ir[k] = 0.2 * t * t * exp(-t / 0.3) + (k > 32 * 30 ? 0.0005 * exp(-(t - 20) / 4) * cos(t) : 0);
    }
    lsi_com_chan ch = {0, ir, n, NULL};
    double f[600];
    for (size_t k = 0; k < 600; k++) f[k] = 0.1e9 * (double)k;
    lsi_com_eq a, b;
    cr_assert(eq(int, lsi_com_optimize(&p, &ch, 1, f, 600, &a, msg, sizeof msg), LS_OK), "%s", msg);
    p.exhaustive = 1;
    cr_assert(eq(int, lsi_com_optimize(&p, &ch, 1, f, 600, &b, msg, sizeof msg), LS_OK), "%s", msg);
    cr_log_info("FOM %.6f dB (exhaustive %.6f), eyes %zu (exhaustive %zu) of %zu settings", a.fom_db, b.fom_db, a.eyes,
                b.eyes, a.evals);
    cr_assert(a.veo_relaxed == 0 && b.veo_relaxed == 0, "some setting passes the eye tests");
    cr_expect(eq(dbl, a.fom_db, b.fom_db));
    cr_expect(a.i_gdc == b.i_gdc && a.i_gdc2 == b.i_gdc2 && a.cursor == b.cursor);
    for (size_t k = 0; k < a.n_tx; k++) cr_expect(a.txffe[k] == b.txffe[k], "tap %zu", k);
    cr_expect(a.eyes <= b.eyes && b.eyes > 1);
    cr_expect(eq(sz, b.ub_violations, 0), "the bound held for every eye of the exhaustive search");
    cr_expect(eq(sz, a.ub_violations, 0));
    lsi_com_eq_free(&a); lsi_com_eq_free(&b);
    lsi_com_param_free(&p);
    ls_com_config_destroy(c);
    free(ir);
}

/* The C2M eye's histogram window as the reference's COM_eye_width sets it: the public SiCoPR project pins COM
   Octave's weights for T_O = 5 samples, QL = 2.5 (its com_functions/fn/COM_eye_width/test_verify.py; the gaussian
   and triangle peak at 1, the dual Rayleigh divided by its largest value) */
static void window_of(lsi_com_param *p, int hw, double t_o_mui, int s, double ql)
{
    memset(p, 0, sizeof *p);
    p->hist_w = hw; p->t_o_mui = t_o_mui; p->t_o = t_o_mui * 1e-3; p->s_c2m = s; p->ql = ql;
}

Test(com_c2m, window_weights_match_the_reference_script)
{
    static const double g[] = {0.04393693362340742, 0.1353352832366127, 0.32465246735834974, 0.60653065971263342,
                               0.88249690258459546, 1.0};
    static const double t[] = {0.0, 0.20000000000000001, 0.40000000000000002, 0.60000000000000009, 0.80000000000000004,
                               1.0};
    static const double d[] = {3.065324644063862e-05, 0.72618639222182202, 1.0, 0.81371490177881944,
                               0.50010084511932928, 0.36139924806929608};
    lsi_com_param p;
    const double *want[] = {g, NULL, t, d};
    for (int hw = 0; hw < 4; hw++) {
        window_of(&p, hw, 50, 100, 2.5); /* floor(50 / 1000 x 100) = 5 samples */
        cr_assert(eq(int, lsi_com_eye_half(&p), 5));
        for (int j = -5; j <= 5; j++) {
            double w = lsi_com_eye_weight(&p, j), ref = hw == 1 ? 1 : want[hw][5 - abs(j)];
            cr_expect(fabs(w - ref) <= 1e-15, "window %d, offset %d: %.17g, script %.17g", hw, j, w, ref);
        }
    }
}

/* The window's sigma is the reference's T_O / QL in samples with QL = T_O / Qr / 1000 (Qr = sigma_r unless given),
   not sigma_r itself: they differ when T_O floors (T_O 55 mUI at 100 samples per UI: 5 samples, QL = 2.75, sigma 1.818
   samples where sigma_r is 2); a Histogram_Window_Weight the script does not know is its error (exit 2 in lanesim
   com), and without the keyword the window is the script's default, rectangle */
Test(com_c2m, window_sigma_and_names_as_the_reference_script)
{
    char msg[256] = "";
    static const char *const t_o[] = {"T_O", "55", NULL};
    ls_com_config *c = ls_test_com_config("802.3ck-120g-c2m", t_o);
    static ls_com_result res;
    lsi_com_param p;
    cr_assert(eq(int, lsi_com_param_fill(c, &p, &res, msg, sizeof msg), LS_OK), "%s", msg);
    cr_expect(eq(int, lsi_com_eye_half(&p), 5));
    cr_expect(fabs(p.ql - 2.75) < 1e-12, "QL %.15g", p.ql);
    double s = 5 / 2.75;
    cr_expect(fabs(lsi_com_eye_weight(&p, 3) - exp(-0.5 * (3 / s) * (3 / s))) < 1e-15);
    lsi_com_param_free(&p);
    cr_assert(eq(int, ls_com_config_set(c, "Qr", "0.025", msg, sizeof msg), LS_OK));
    cr_assert(eq(int, lsi_com_param_fill(c, &p, &res, msg, sizeof msg), LS_OK), "%s", msg);
    cr_expect(fabs(p.ql - 2.2) < 1e-12, "QL from Qr %.15g", p.ql);
    lsi_com_param_free(&p);
    cr_assert(eq(int, ls_com_config_set(c, "Histogram_Window_Weight", "cosine", msg, sizeof msg), LS_OK));
    cr_expect(ne(int, lsi_com_param_fill(c, &p, &res, msg, sizeof msg), LS_OK));
    cr_expect(strstr(msg, "Histogram_Window_Weight") != NULL, "%s", msg);
    ls_com_config_destroy(c);
    static const char *const normal[] = {"Histogram_Window_Weight", "normal", NULL};
    c = ls_test_com_config("802.3ck-120g-c2m", normal);
    cr_assert(eq(int, lsi_com_param_fill(c, &p, &res, msg, sizeof msg), LS_OK), "%s", msg);
    cr_expect(eq(int, p.hist_w, 0), "normal is the script's gaussian");
    lsi_com_param_free(&p);
    ls_com_config_destroy(c);
}

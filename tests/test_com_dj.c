/**
 * The 802.3dj elements of the COM engine (channels/copper/com_rxffe.c, com_rxsearch.c, com_sig.c)
 * against independent checks: the Bessel-Thomson and raised-cosine filters against their closed
 * forms; the MMSE Rx FFE + DFE against a direct solve of the full Lagrange (KKT) system and
 * against perturbations that keep the constraints; the applied FFE against the convolution the
 * MMSE assumes; the dj KR set on a shared channel (skipped without ../shared) within its time, and the
 * search's coarse first pass reaching the all-pairs optimum on SMT IO (9.2415 dB; the former pass: 9.072).
 */
#include <complex.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "com_internal.h"
#include "com_util.h"
#include "lanesim/com.h"
#include "util.h"

Test(com_dj, bessel_thomson_closed_form)
{
    double f3 = 40e9;
    cr_expect(cabs(lsi_com_bessel_thomson(0, f3) - 1) < 1e-15);
    cr_expect(fabs(cabs(lsi_com_bessel_thomson(f3, f3)) - sqrt(0.5)) < 1e-6, "|H(f3db)| %.8f", cabs(lsi_com_bessel_thomson(f3, f3)));
    /* maximally flat delay: the group delay at DC is 2.1139 / (2 pi f3db) (unit delay of the
     * normalised polynomial) and within 1 % of it up to half f3db */
    double tau0 = 2.113917674904216 / (2 * M_PI * f3), df = 1e6;
    for (double f = 1e8; f < 0.5 * f3; f += 2e9) {
        double gd = -(carg(lsi_com_bessel_thomson(f + df, f3)) - carg(lsi_com_bessel_thomson(f - df, f3))) / (2 * M_PI * 2 * df);
        cr_expect(fabs(gd - tau0) < 0.01 * tau0, "group delay %.4g vs %.4g at %.3g GHz", gd, tau0, f / 1e9);
    }
    /* fourth order: -80 dB/decade far above */
    double r = cabs(lsi_com_bessel_thomson(100 * f3, f3)) / cabs(lsi_com_bessel_thomson(1000 * f3, f3));
    cr_expect(fabs(20 * log10(r) - 80) < 0.5, "%.2f dB/decade", 20 * log10(r));
}

Test(com_dj, raised_cosine_closed_form)
{
    double f1 = 67e9, f2 = 79.6875e9;
    cr_expect(lsi_com_raised_cosine(f1, f1, f2) == 1 && lsi_com_raised_cosine(0, f1, f2) == 1);
    cr_expect(lsi_com_raised_cosine(f2, f1, f2) == 0 && lsi_com_raised_cosine(2 * f2, f1, f2) == 0);
    cr_expect(fabs(lsi_com_raised_cosine(0.5 * (f1 + f2), f1, f2) - 0.5) < 1e-15);
    /* the roll-off is a cos^2: H(f1 + x) + H(f2 - x) = 1 */
    for (double x = 0; x <= f2 - f1; x += 1e9)
        cr_expect(fabs(lsi_com_raised_cosine(f1 + x, f1, f2) + lsi_com_raised_cosine(f2 - x, f1, f2) - 1) < 1e-12);
    /* H_r is the product of the switched-on parts */
    lsi_com_param p;
    memset(&p, 0, sizeof p);
    p.fb = 106.25e9; p.f_r = 0.75; p.butterworth = 1; p.raised_cosine = 1; p.rc_start = f1; p.rc_end = f2;
    double f = 70e9;
    double complex want = lsi_com_butterworth(f, p.f_r * p.fb) * lsi_com_raised_cosine(f, f1, f2);
    cr_expect(cabs(lsi_com_hr(&p, f) - want) < 1e-15);
    p.butterworth = 0; p.raised_cosine = 0; p.bessel_thomson = 1;
    cr_expect(cabs(lsi_com_hr(&p, f) - lsi_com_bessel_thomson(f, p.f_r * p.fb)) < 1e-15);
}

/* ---- MMSE: a direct solve of the Lagrange system and perturbations ---- */

#define NWT 6
#define NBT 2

static double hget(const double *h, long n, long i) { return i >= 0 && i < n ? h[i] : 0; }

/* J(w, b) = varX ||H w - e_d - E b||^2 + w' Rn w, H the full convolution matrix of h */
static double cost(const double *h, long nh, long dh, int dw, const double *rn, double varx, const double *w, const double *b)
{
    double e = 0, n = 0;
    for (long o = 0; o < nh + NWT - 1; o++) {
        double y = 0;
        for (int k = 0; k < NWT; k++) y += w[k] * hget(h, nh, o - k);
        long rel = o - (dh + dw);
        double t = rel == 0 ? 1 : rel >= 1 && rel <= NBT ? b[rel - 1] : 0;
        e += (y - t) * (y - t);
    }
    for (int i = 0; i < NWT; i++)
        for (int j = 0; j < NWT; j++) n += w[i] * w[j] * rn[abs(i - j)];
    return varx * e + n;
}

/* Gaussian elimination with partial pivoting, n <= 16 */
static void gauss(double *A, double *y, int n)
{
    for (int c = 0; c < n; c++) {
        int pv = c;
        for (int r = c + 1; r < n; r++) if (fabs(A[r * n + c]) > fabs(A[pv * n + c])) pv = r;
        for (int k = 0; k < n; k++) { double t = A[c * n + k]; A[c * n + k] = A[pv * n + k]; A[pv * n + k] = t; }
        double t = y[c]; y[c] = y[pv]; y[pv] = t;
        for (int r = c + 1; r < n; r++) {
            double m = A[r * n + c] / A[c * n + c];
            for (int k = c; k < n; k++) A[r * n + k] -= m * A[c * n + k];
            y[r] -= m * y[c];
        }
    }
    for (int r = n; r-- > 0;) {
        for (int k = r + 1; k < n; k++) y[r] -= A[r * n + k] * y[k];
        y[r] /= A[r * n + r];
    }
}

static void setup(double *h, long *nh, double *rn, double *a, lsi_com_rxspec *s)
{
    static const double hv[] = {0.01, -0.03, 0.12, 0.45, 1.0, 0.62, 0.31, 0.12, 0.05, -0.02, 0.015, 0.004};
    *nh = 12;
    memcpy(h, hv, sizeof hv);
    for (int k = 0; k < NWT; k++) rn[k] = 0.02 * exp(-k / 1.5) * (k % 2 ? -0.5 : 1); /* a coloured noise */
    rn[0] = 0.03;
    lsi_com_autocorr(h, *nh, NWT, a);
    memset(s, 0, sizeof *s);
    s->nw = NWT; s->dw = 2; s->nb = NBT; s->L = 4; s->varx = 5.0 / 9; s->r_lm = 0.95;
    s->pre1 = s->post1 = s->tapn = 100;
    for (int l = 0; l < NBT; l++) { s->bmin[l] = -10; s->bmax[l] = 10; }
}

Test(com_dj, mmse_matches_the_lagrange_system)
{
    double h[16], rn[NWT], a[NWT], w[NWT], b[NBT], ei, en;
    long nh, dh = 4;
    lsi_com_rxspec s;
    setup(h, &nh, rn, a, &s);
    double fom = lsi_com_rxffe_mmse(&s, h, nh, dh, a, rn, w, b, &ei, &en);
    cr_assert(isfinite(fom));
    /* KKT of min J s.t. h0'w = 1 over (w, b, lambda), built from H explicitly */
    int n = NWT + NBT + 1, d = (int)dh + s.dw;
    double A[(NWT + NBT + 1) * (NWT + NBT + 1)] = {0}, y[NWT + NBT + 1] = {0};
    for (int i = 0; i < NWT; i++) {
        for (int j = 0; j < NWT; j++) {
            double hh = 0;
            for (long o = 0; o < nh + NWT - 1; o++) hh += hget(h, nh, o - i) * hget(h, nh, o - j);
            A[i * n + j] = s.varx * hh + rn[abs(i - j)];
        }
        for (int l = 0; l < NBT; l++) A[i * n + NWT + l] = A[(NWT + l) * n + i] = -s.varx * hget(h, nh, d + l + 1 - i);
        A[i * n + n - 1] = A[(n - 1) * n + i] = hget(h, nh, d - i);
        y[i] = s.varx * hget(h, nh, d - i);
    }
    for (int l = 0; l < NBT; l++) A[(NWT + l) * n + NWT + l] = s.varx;
    y[n - 1] = 1;
    gauss(A, y, n);
    for (int k = 0; k < NWT; k++) cr_expect(fabs(w[k] - y[k]) < 1e-9, "w%d %.12f vs %.12f", k, w[k], y[k]);
    for (int l = 0; l < NBT; l++) cr_expect(fabs(b[l] - y[NWT + l]) < 1e-9, "b%d %.12f vs %.12f", l, b[l], y[NWT + l]);
    /* the error it reports is J at its solution */
    double J = cost(h, nh, dh, s.dw, rn, s.varx, w, b);
    cr_expect(fabs(ei + en - J) < 1e-12 * fmax(1, J), "%.15g vs %.15g", ei + en, J);
    cr_expect(fabs(fom - 20 * log10(0.95 / (3 * sqrt(J)))) < 1e-9);
}

/* with the DFE limited, the reference script's rule (its MMSE_FOM; PyChOpMarg's mmse): every DFE tap is held at
 * clip(b) of the unconstrained solution (b1 at its limit, b2 at its unconstrained value) and w is the best for
 * those b: no feasible perturbation of w (h0' dw = 0) lowers J */
Test(com_dj, mmse_with_clipped_dfe_is_the_scripts_rule)
{
    double h[16], rn[NWT], a[NWT], w[NWT], b[NBT], wu[NWT], bu[NBT], ei, en;
    long nh, dh = 4;
    lsi_com_rxspec s;
    setup(h, &nh, rn, a, &s);
    cr_assert(isfinite(lsi_com_rxffe_mmse(&s, h, nh, dh, a, rn, wu, bu, &ei, &en)));
    s.bmax[0] = 0.3; s.bmin[0] = 0; /* the unconstrained b1 is ~0.6 */
    cr_assert(gt(dbl, bu[0], 0.3));
    cr_assert(isfinite(lsi_com_rxffe_mmse(&s, h, nh, dh, a, rn, w, b, &ei, &en)));
    cr_expect(b[0] == 0.3, "b1 %.4f", b[0]);
    cr_expect(fabs(b[1] - bu[1]) < 1e-12, "b2 %.12f held at the unconstrained %.12f", b[1], bu[1]);
    double J = cost(h, nh, dh, s.dw, rn, s.varx, w, b), h0[NWT], hn = 0, h0w = 0;
    cr_expect(fabs(ei + en - J) < 1e-12 * fmax(1, J), "reported error %.15g, J %.15g", ei + en, J);
    for (int k = 0; k < NWT; k++) { h0[k] = hget(h, nh, dh + s.dw - k); hn += h0[k] * h0[k]; h0w += h0[k] * w[k]; }
    cr_expect(fabs(h0w - 1) < 1e-12, "unit cursor");
    unsigned seed = 7;
    for (int t = 0; t < 2000; t++) {
        double v[NWT], wp[NWT], pr = 0;
        for (int k = 0; k < NWT; k++) { seed = seed * 1103515245u + 12345u; v[k] = ((double)(seed >> 8) / 16777216.0 - 0.5) * 1e-3; pr += v[k] * h0[k]; }
        for (int k = 0; k < NWT; k++) wp[k] = w[k] + v[k] - pr / hn * h0[k];
        double Jp = cost(h, nh, dh, s.dw, rn, s.varx, wp, b);
        cr_expect(Jp >= J - 1e-12, "perturbation %d lowers J: %.12g < %.12g", t, Jp, J);
        if (Jp < J - 1e-12) break;
    }
}

/* the FFE applied to an oversampled pulse is the convolution the MMSE assumes: at the cursor it
 * gives h0' w (= 1), one UI later (H w)[d + 1] */
Test(com_dj, applied_ffe_is_the_mmse_convolution)
{
    double h[16], rn[NWT], a[NWT], w[NWT], b[NBT], ei, en;
    long nh, dh = 4;
    int M = 8;
    lsi_com_rxspec s;
    setup(h, &nh, rn, a, &s);
    cr_assert(isfinite(lsi_com_rxffe_mmse(&s, h, nh, dh, a, rn, w, b, &ei, &en)));
    double P[12 * 8], Y[12 * 8];
    for (int i = 0; i < 12 * M; i++) P[i] = i % M == 3 ? h[i / M] : 0.5 * h[i / M]; /* phase 3 carries h */
    lsi_com_apply_rxffe(P, (size_t)(12 * M), M, w, NWT, (size_t)s.dw, Y);
    cr_expect(fabs(Y[dh * M + 3] - 1) < 1e-12, "cursor %.12f", Y[dh * M + 3]);
    double y1 = 0;
    for (int k = 0; k < NWT; k++) y1 += w[k] * hget(h, nh, dh + s.dw + 1 - k);
    cr_expect(fabs(Y[(dh + 1) * M + 3] - y1) < 1e-12);
    cr_expect(fabs(b[0] - y1) < 1e-12, "the unclipped DFE tap 1 cancels the first post-cursor");
}

/* ffe_tap_step_size: the taps relative to the main tap are multiples of the step and within their limits; with
 * free DFE taps the unquantised w is the minimum of J over h0' w = 1, so the quantised one (J evaluated
 * directly from H) cannot do better, and a vanishing step gives the unquantised FOM back */
Test(com_dj, mmse_quantised_taps)
{
    double h[16], rn[NWT], a[NWT], w0[NWT], b0[NBT], w[NWT], b[NBT], ei, en;
    long nh, dh = 4;
    lsi_com_rxspec s;
    setup(h, &nh, rn, a, &s);
    double f0 = lsi_com_rxffe_mmse(&s, h, nh, dh, a, rn, w0, b0, &ei, &en);
    s.tapn = 0.2;
    s.pre1 = s.post1 = 1;
    for (int t = 0; t < 3; t++) {
        s.step = t == 0 ? 1e-9 : t == 1 ? 1.0 / 64 : 0.05;
        double fq = lsi_com_rxffe_mmse(&s, h, nh, dh, a, rn, w, b, &ei, &en);
        cr_assert(isfinite(fq));
        double h0w = 0;
        for (int k = 0; k < NWT; k++) {
            h0w += hget(h, nh, dh + s.dw - k) * w[k];
            if (k == s.dw) continue;
            double r = w[k] / w[s.dw], m = k == s.dw - 1 || k == s.dw + 1 ? 1 : 0.2;
            if (t > 0) cr_expect(fabs(r / s.step - round(r / s.step)) < 1e-9, "step %g: tap %d = %.12f", s.step, k, r);
            cr_expect(fabs(r) <= m + 1e-12, "tap %d = %.6f beyond %.2f", k, r, m);
        }
        cr_expect(fabs(h0w - 1) < 1e-12, "unit cursor");
        double J = cost(h, nh, dh, s.dw, rn, s.varx, w, b);
        cr_expect(fabs(ei + en - J) < 1e-12 * fmax(1, J), "reported error %.15g, J %.15g", ei + en, J);
        cr_log_info("step %g: FOM %.6f dB (unquantised, no tap limit %.6f)", s.step, fq, f0);
        if (t > 0) cr_expect(fq <= f0 + 1e-12);
        if (t == 0) {
            s.step = 0;
            double fu = lsi_com_rxffe_mmse(&s, h, nh, dh, a, rn, w0, b0, &ei, &en);
            cr_expect(fabs(fq - fu) < 1e-6, "step 1e-9: %.9f vs unquantised %.9f", fq, fu);
        }
    }
}

/* tap limits relative to the main tap are met after the renormalisation */
Test(com_dj, mmse_tap_limits)
{
    double h[16], rn[NWT], a[NWT], w[NWT], b[NBT], ei, en;
    long nh, dh = 4;
    lsi_com_rxspec s;
    setup(h, &nh, rn, a, &s);
    s.pre1 = 0.1; s.post1 = 0.1; s.tapn = 0.05;
    cr_assert(isfinite(lsi_com_rxffe_mmse(&s, h, nh, dh, a, rn, w, b, &ei, &en)));
    double h0w = 0;
    for (int k = 0; k < NWT; k++) h0w += w[k] * hget(h, nh, dh + s.dw - k);
    cr_expect(fabs(h0w - 1) < 1e-12);
    for (int k = 0; k < NWT; k++) {
        if (k == s.dw) continue;
        double lim = k == s.dw - 1 ? s.pre1 : k == s.dw + 1 ? s.post1 : s.tapn;
        cr_expect(fabs(w[k]) <= lim * w[s.dw] * (1 + 1e-12), "tap %d %.4f > %.4f", k, w[k] / w[s.dw], lim);
    }
}

/* the PyChOpMarg 802.3dj KR set (Rx FFE, 176 CTLE pairs, 919 425-point Tx FFE grid) on a shared
 * channel: an Rx FFE in the result, and within the 3 s (measured 0.6 s) */
Test(com_dj, dj_kr_runs_with_rx_ffe, .timeout = LS_TIMEOUT(60))
{
    char thru[1024], msg[512] = "";
    if (ls_test_com_channel("ieee3ck_mellitz_CA_19p75dB_thru.s4p", thru, sizeof thru))
        cr_skip("../shared/channels absent");
    ls_status st;
    ls_com_config *c = ls_com_config_read(LS_SOURCE_DIR "/channels/copper/com/802.3dj-kr-pychopmarg.csv", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    static ls_com_result r;
    clock_t t0 = clock();
    st = ls_com_run(c, thru, NULL, 0, NULL, 0, &r, msg, sizeof msg);
    double sec = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ls_com_config_destroy(c);
    cr_assert(eq(int, st, LS_OK), "%s", msg);
    cr_assert(eq(sz, r.n_cases, 1));
    cr_expect(eq(sz, r.cases[0].n_rx_ffe, 16));
    cr_expect(r.cases[0].rx_ffe[5] == 1, "main tap %g", r.cases[0].rx_ffe[5]);
    cr_expect(isfinite(r.com_db));
#ifndef LS_TEST_SANITIZED /* the bound is about the plain build (it ran 20-100x under it); the sanitizers' slow-down
                            varies with the machine's load, so there only the results are checked */
    cr_expect(sec < 3.0, "%.2f s", sec);
#else
    (void)sec;
#endif
    for (size_t k = 0; k < r.n_warnings; k++) cr_expect(strstr(r.warnings[k], "ffe_") == NULL, "%s", r.warnings[k]);
    /* the search over its Tx FFE grid is a local one and says so; with every Tx tap fixed nothing is left out */
    cr_expect(eq(int, r.cases[0].search_local, 1));
    c = ls_com_config_read(LS_SOURCE_DIR "/channels/copper/com/802.3dj-kr-pychopmarg.csv", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    static const char *const taps[] = { "c(-3)", "c(-2)", "c(-1)", "c(1)" };
    for (size_t k = 0; k < 4; k++) cr_assert(eq(int, ls_com_config_set(c, taps[k], "0", msg, sizeof msg), LS_OK), "%s", msg);
    static ls_com_result rf;
    st = ls_com_run(c, thru, NULL, 0, NULL, 0, &rf, msg, sizeof msg);
    ls_com_config_destroy(c);
    cr_assert(eq(int, st, LS_OK), "%s", msg);
    cr_expect(eq(int, rf.cases[0].search_local, 0));
    cr_expect(rf.cases[0].fom_db <= r.cases[0].fom_db + 1e-9, "fixed Tx FFE %.4f dB above the grid's %.4f dB", rf.cases[0].fom_db,
              r.cases[0].fom_db);
}

/* crosstalk in the MMSE noise (178A, PyChOpMarg's Sxn): the autocorrelation from the rows' circular autocorrelations
   and the Tx FFE equals the one of the FFE'd aggressor pulse formed explicitly (circular whole-UI shifts), sampled at
   its phase of largest energy found by brute force */
Test(com_dj, xtalk_autocorrelation_brute_force)
{
    enum { M = 8, NQ = 24, NP = M * NQ, NT = 5, NWX = 7, NL = NWX + 2 * NT };
    static double P[NP], Pc[NP], XA[M * NL];
    for (int i = 0; i < NP; i++) { double t = (double)i / M - 6; P[i] = t > 0 ? t * exp(-t / 1.3) * (1 + 0.3 * sin(3 * t)) : 0; }
    for (int m = 0; m < M; m++)
        for (int k = 0; k < NL; k++) {
            double a = 0;
            for (int q = 0; q < NQ; q++) a += P[m + q * M] * P[m + ((q + k) % NQ) * M];
            XA[m * NL + k] = a;
        }
    const double c[NT] = {0.02, -0.08, 0.72, -0.14, -0.04}, varx = 5.0 / 9;
    const int cur = 2;
    for (int i = 0; i < NP; i++) {
        Pc[i] = 0;
        for (int k = 0; k < NT; k++) Pc[i] += c[k] * P[((i - (k - cur) * M) % NP + NP) % NP];
    }
    int bm = 0;
    double be = -1;
    for (int m = 0; m < M; m++) {
        double e = 0;
        for (int q = 0; q < NQ; q++) e += Pc[m + q * M] * Pc[m + q * M];
        if (e > be) { be = e; bm = m; }
    }
    double out[NWX];
    lsi_com_xt_acorr(XA, M, NL, c, NT, NWX, varx, out);
    for (int k = 0; k < NWX; k++) {
        double a = 0;
        for (int q = 0; q < NQ; q++) a += Pc[bm + q * M] * Pc[bm + ((q + k) % NQ) * M];
        cr_expect(fabs(out[k] - varx * a) < 1e-12 * fmax(1, be), "lag %d: %.15g vs %.15g", k, out[k], varx * a);
    }
    lsi_com_xt_acorr(XA, M, NL, NULL, NT, NWX, varx, out); /* NEXT: no Tx FFE */
    int bn = 0;
    for (int m = 1; m < M; m++) if (XA[m * NL] > XA[bn * NL]) bn = m;
    for (int k = 0; k < NWX; k++) cr_expect(fabs(out[k] - varx * XA[bn * NL + k]) < 1e-15);
}

/* the dj KR set with a FEXT aggressor (the shared TP0-TP5 file on the CA channel, A_fe 0.1 V): the MMSE sees it
   (sigma_XT > 0, a lower MMSE FOM); with A_fe = 0 the result is the one without an aggressor, exactly */
Test(com_dj, xtalk_in_the_mmse_noise, .timeout = LS_TIMEOUT(60))
{
    char thru[1024], agg[1024], msg[512] = "";
    if (ls_test_com_channel("ieee3ck_mellitz_CA_19p75dB_thru.s4p", thru, sizeof thru) ||
        ls_test_com_channel("ieee3ck_mellitz_Tp0_Tp5_28p5db_FQSFP_thru.s4p", agg, sizeof agg))
        cr_skip("../shared/channels absent");
    static ls_com_result r0, r1, rz;
    const char *fx[1] = {agg};
    ls_status st;
    ls_com_config *c = ls_com_config_read(LS_SOURCE_DIR "/channels/copper/com/802.3dj-kr-pychopmarg.csv", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    cr_assert(eq(int, ls_com_config_set(c, "g_DC", "[-16:1:-13]", msg, sizeof msg), LS_OK)); /* around the optimum: faster */
    cr_assert(eq(int, ls_com_run(c, thru, NULL, 0, NULL, 0, &r0, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(int, ls_com_config_set(c, "A_fe", "0.1", msg, sizeof msg), LS_OK));
    cr_assert(eq(int, ls_com_run(c, thru, fx, 1, NULL, 0, &r1, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(int, ls_com_config_set(c, "A_fe", "0", msg, sizeof msg), LS_OK));
    cr_assert(eq(int, ls_com_run(c, thru, fx, 1, NULL, 0, &rz, msg, sizeof msg), LS_OK), "%s", msg);
    ls_com_config_destroy(c);
    const ls_com_case *a = &r0.cases[0], *b = &r1.cases[0], *z = &rz.cases[0];
    cr_log_info("no aggressor: FOM %.3f COM %.3f; FEXT 0.1 V: FOM %.3f COM %.3f sigma_XT %.4f mV", a->fom_db, a->com_db,
                b->fom_db, b->com_db, b->sigma_xt_v * 1e3);
    cr_expect(eq(dbl, a->sigma_xt_v, 0));
    cr_expect(b->sigma_xt_v > 1e-4, "sigma_XT %.3g", b->sigma_xt_v);
    cr_expect(b->fom_db < a->fom_db - 1, "FOM %.3f vs %.3f", b->fom_db, a->fom_db);
    cr_expect(b->com_db < a->com_db, "COM %.3f vs %.3f", b->com_db, a->com_db);
    cr_expect(eq(dbl, z->fom_db, a->fom_db));
    cr_expect(eq(dbl, z->com_db, a->com_db));
}

/* The shipped 802.3ck KR set read and filled into *p (the ERL tests' parameters); the caller frees both */
static ls_com_config *kr_param(lsi_com_param *p)
{
    char msg[256] = "";
    ls_status st;
    static ls_com_result res;
    ls_com_config *c = ls_com_config_read(LS_SOURCE_DIR "/channels/copper/com/802.3ck-kr.csv", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    cr_assert(eq(int, lsi_com_param_fill(c, p, &res, msg, sizeof msg), LS_OK), "%s", msg);
    return c;
}

/* ERL with fixture delay -1 (93A.5 T_fx found from the TDR): a return loss made of a weak fixture ripple, the
   device's reflection at a known round-trip delay tau and a later one. The detected T_fx is within one sample
   (UI/M) of tau, and ERL equals ERL with T_fx = tau given explicitly; with T_fx = 0 (the old treatment of -1)
   the device reflection falls under the N_bx de-weighting at the wrong place and ERL differs. */
Test(com_dj, erl_fixture_delay_auto)
{
    char msg[256] = "";
    lsi_com_param p;
    ls_com_config *c = kr_param(&p);
    enum { NF = 4001 };
    static double f[NF];
    static double complex rl[NF];
    const double tau = 0.437e-9, dt = 1 / p.fb / p.M;
    for (size_t k = 0; k < NF; k++) {
        f[k] = 25e6 * (double)k;
        double w = 2 * M_PI * f[k];
        rl[k] = 0.01 * cexp(-I * w * 0.1e-9) + 0.2 * cexp(-I * w * tau) - 0.08 * cexp(-I * w * (tau + 0.35e-9));
    }
    double erl_auto, erl_tau, erl_0, tfx = -1;
    p.tfx[0] = -1;
    cr_assert(eq(int, lsi_com_erl(&p, rl, f, NF, 0, &erl_auto, &tfx, msg, sizeof msg), LS_OK), "%s", msg);
    p.tfx[0] = tau;
    cr_assert(eq(int, lsi_com_erl(&p, rl, f, NF, 0, &erl_tau, NULL, msg, sizeof msg), LS_OK), "%s", msg);
    p.tfx[0] = 0;
    cr_assert(eq(int, lsi_com_erl(&p, rl, f, NF, 0, &erl_0, NULL, msg, sizeof msg), LS_OK), "%s", msg);
    cr_log_info("T_fx %.4g ERL auto %.3f tau %.3f zero %.3f", tfx, erl_auto, erl_tau, erl_0);
    cr_expect(fabs(tfx - tau) <= dt, "T_fx %.4g s vs %.4g s (dt %.3g)", tfx, tau, dt);
    cr_expect(fabs(erl_auto - erl_tau) < 0.1, "ERL auto %.3f vs explicit %.3f dB", erl_auto, erl_tau);
    cr_expect(fabs(erl_0 - erl_tau) > 0.5, "ERL with T_fx 0 %.3f vs %.3f dB", erl_0, erl_tau);
    lsi_com_param_free(&p);
    ls_com_config_destroy(c);
}

/* The reference's automatic gate times (AUTO_TFX = 1, N = 0; lsi_com_erl_gate): the raw FIR's peak moves with a pure delay
   by exactly that delay (to a sample), port 2's T_fx is twice SDD12's peak time, N = TDR_duration x SDD21's + 500 ps,
   each from its own path (s12 and s21 given different delays); without the keywords the configuration's values stay */
Test(com_dj, erl_gate_auto_times)
{
    char msg[256] = "";
    lsi_com_param p;
    ls_com_config *c = kr_param(&p);
    enum { NF = 4001 };
    static double f[NF];
    static double complex one[NF], s12[NF], s21[NF];
    const double t12 = 0.437e-9, t21 = 1.234e-9, dt = 1 / p.fb / p.M;
    for (size_t k = 0; k < NF; k++) {
        f[k] = 25e6 * (double)k;
        double w = 2 * M_PI * f[k];
        one[k] = 1;
        s12[k] = 0.9 * cexp(-I * w * t12);
        s21[k] = 0.7 * cexp(-I * w * t21) + 0.05 * cexp(-I * w * (t21 + 8e-9)); /* an echo: the record outlasts 5 t_pk */
    }
    double t0, t1, t2, tend;
    cr_assert(eq(int, lsi_com_raw_fir_peak(&p, one, f, NF, 1e-5, &t0, &tend, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(int, lsi_com_raw_fir_peak(&p, s12, f, NF, 1e-5, &t1, NULL, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(int, lsi_com_raw_fir_peak(&p, s21, f, NF, 1e-5, &t2, NULL, msg, sizeof msg), LS_OK), "%s", msg);
    cr_log_info("raw FIR peaks: Butterworth alone %.4g ns, +%.4g ns, +%.4g ns; record %.4g ns", t0 * 1e9, (t1 - t0) * 1e9,
                (t2 - t0) * 1e9, tend * 1e9);
    /* the 4th-order Butterworth alone peaks after 0 and well inside its first UI-scale ring */
    cr_expect(t0 > 0 && t0 < 2 / p.fb, "Butterworth peak at %.4g ns", t0 * 1e9);
    cr_expect(fabs(t1 - t0 - t12) <= dt, "delay %.5g ns vs %.5g ns", (t1 - t0) * 1e9, t12 * 1e9);
    cr_expect(fabs(t2 - t0 - t21) <= dt, "delay %.5g ns vs %.5g ns", (t2 - t0) * 1e9, t21 * 1e9);
    lsi_com_param q = p;
    q.tfx[0] = 0.1e-9;
    q.tfx[1] = 0.2e-9;
    cr_assert(eq(int, lsi_com_erl_gate(&q, s12, s21, f, NF, msg, sizeof msg), LS_OK), "%s", msg);
    cr_expect(q.tfx[0] == 0.1e-9 && q.tfx[1] == 0.2e-9 && q.n_erl == p.n_erl, "no keyword: T_fx %g %g N %g", q.tfx[0],
              q.tfx[1], q.n_erl);
    q.auto_tfx = 1;
    q.n_erl = 0;
    q.tdr_duration = 5;
    cr_assert(eq(int, lsi_com_erl_gate(&q, s12, s21, f, NF, msg, sizeof msg), LS_OK), "%s", msg);
    cr_expect(q.tfx[0] == 0.1e-9, "port 1 keeps its T_fx: %g", q.tfx[0]);
    cr_expect(fabs(q.tfx[1] - 2 * t1) < 1e-15, "AUTO_TFX: T_fx %.5g ns vs 2 x %.5g ns", q.tfx[1] * 1e9, t1 * 1e9);
    cr_expect(fabs(q.n_erl - (5 * t2 + 500e-12) * p.fb) < 1e-6, "N = 0: %.4f UI vs %.4f", q.n_erl, (5 * t2 + 500e-12) * p.fb);
    /* the record is at most the raw FIR's: a pure delay's ends 1.5 ns after its peak */
    q.n_erl = 0;
    cr_assert(eq(int, lsi_com_erl_gate(&q, s12, s12, f, NF, msg, sizeof msg), LS_OK), "%s", msg);
    double t3, tend3;
    cr_assert(eq(int, lsi_com_raw_fir_peak(&p, s12, f, NF, 1e-5, &t3, &tend3, msg, sizeof msg), LS_OK), "%s", msg);
    cr_expect(tend3 < 5 * t3 + 500e-12 && fabs(q.n_erl - tend3 * p.fb) < 1e-6, "N = 0 capped: %.4f UI vs %.4f", q.n_erl,
              tend3 * p.fb);
    lsi_com_param_free(&p);
    ls_com_config_destroy(c);
}

/* 178A ts_anchor 2 (largest cursor minus first pre-cursor) against a brute-force scan on an asymmetric pulse (1 - e^-t
   rise over 6 UI, fast fall: h(t) - h(t - UI) is largest 1 UI after the start, the peak 6 UI after it); 1 is the peak */
Test(com_dj, ts_anchor_rules)
{
    enum { M = 32, N = 32 * 12 };
    static double h[N];
    for (long i = 0; i < N; i++) {
        double t = (double)i / M - 2;
        h[i] = t <= 0 ? 0 : t < 6 ? 1 - exp(-t) : (1 - exp(-6.0)) * exp(-(t - 6) * 3);
    }
    long pk = 0, b2 = M;
    for (long i = 0; i < N; i++) if (h[i] > h[pk]) pk = i;
    double bv = -1e300;
    for (long i = M; i < N; i++) {
        double v = h[i] - h[i - M];
        if (v > bv) { bv = v; b2 = i; }
    }
    cr_expect(eq(long, lsi_com_ts_anchor(1, h, N, M), pk));
    cr_expect(eq(long, lsi_com_ts_anchor(2, h, N, M), b2));
    cr_expect(b2 != pk, "the two rules differ on this pulse (%ld, %ld)", b2, pk);
}

/* ts_anchor 2 with the dj KR set on a shared channel (skipped without ../shared): accepted and finite, and not
   better than the best of a wider sample_adjustment search around the peak that contains its sampling points */
Test(com_dj, ts_anchor_2_runs, .timeout = LS_TIMEOUT(60))
{
    char thru[1024], msg[512] = "";
    if (ls_test_com_channel("ieee3ck_gore_C2C_PCB_SYSVIA_12dB_thru.s4p", thru, sizeof thru))
        cr_skip("../shared/channels absent");
    static ls_com_result r1, r2;
    for (int k = 0; k < 2; k++) {
        ls_status st;
        ls_com_config *c = ls_com_config_read(LS_SOURCE_DIR "/channels/copper/com/802.3dj-kr-pychopmarg.csv", msg, sizeof msg, &st);
        cr_assert(c != NULL, "%s", msg);
        cr_assert(eq(int, ls_com_config_set(c, "ts_anchor", k ? "2" : "1", msg, sizeof msg), LS_OK));
        cr_assert(eq(int, ls_com_config_set(c, "sample_adjustment", k ? "[-8 8]" : "[-64 64]", msg, sizeof msg), LS_OK));
        st = ls_com_run(c, thru, NULL, 0, NULL, 0, k ? &r2 : &r1, msg, sizeof msg);
        ls_com_config_destroy(c);
        cr_assert(eq(int, st, LS_OK), "%s", msg);
    }
    cr_log_info("FOM: peak +-2 UI %.3f dB, ts_anchor 2 +-8 %.3f dB; COM %.3f / %.3f dB", r1.cases[0].fom_db,
                r2.cases[0].fom_db, r1.com_db, r2.com_db);
    cr_expect(isfinite(r2.com_db));
    cr_expect(r2.cases[0].fom_db <= r1.cases[0].fom_db + 1e-9);
}

/* The search's coarse first pass (com_rxsearch.c, docs/com.md "802.3dj receiver", session 10) on the shared SMT IO
   channel (skipped without ../shared): the dj KR set reaches the FOM that polishing every one of the 176 CTLE pairs
   reached (9.2415 dB, an experiment build), where the former single-tap first pass ranked the winning pair 53rd
   and stopped at 9.072 dB. */
Test(com_dj, coarse_first_pass_finds_the_all_pairs_optimum, .timeout = LS_TIMEOUT(60))
{
    static ls_com_result r;
    double sec;
    if (ls_test_com_shared("802.3dj-kr-pychopmarg", "te_SMT_IO_42GHz_Thru_B5B6_10in.s4p", NULL, &r, &sec))
        cr_skip("../shared/channels absent");
    cr_log_info("SMT IO, dj KR: FOM %.4f dB, COM %.3f dB, g_DC %g, g_DC2 %g", r.cases[0].fom_db, r.com_db,
                r.cases[0].g_dc_db, r.cases[0].g_dc2_db);
    cr_expect(ge(dbl, r.cases[0].fom_db, 9.2415 - 1e-3), "FOM %.4f dB", r.cases[0].fom_db);
}

/* The IEEE script's own MMSE_FOM (the 802.3dj Rx FFE and DFE by MMSE, 178A) on a small problem, as COM Octave
   (the reference .m file run under GNU Octave, 4p16p0) computes it: the case and its outputs are those of the
   public SiCoPR project's com_functions/fn/MMSE_FOM/test_verify.py (its `_mmse_case`: 6 taps with 2 pre-cursor
   taps, 2 DFE taps within +-1.5, tap limits 50 x the main tap, i.e. none binding; noise autocorrelation
   0.02^2 0.6^k; PAM4, R_LM 1), outputs to 17 digits. lanesim's taps w and the DFE are the script's to 1e-11. */
Test(com_dj, mmse_matches_the_reference_script)
{
    static const double h[] = {0.02, 0.10, 0.62, 0.21, 0.07, 0.03, 0.01, 0.004};
    static const double w_ref[] = {-0.014103779473300368, -0.26701831323151454, 1.8175850688600781,
                                   -0.66633231905166135, -0.16042002231666302, 0.048413130609700268};
    static const double b_ref[] = {-0.065621308281290938, -0.11546952014768284};
    const double sigma_e_ref = 0.028074115085696169, fom_ref = 21.491453387493173;
    lsi_com_rxspec s;
    memset(&s, 0, sizeof s);
    s.nw = 6; s.dw = 2; s.nb = 2; s.L = 4; s.varx = 15.0 / 27.0; s.r_lm = 1;
    s.pre1 = s.post1 = s.tapn = 50;
    for (int l = 0; l < 2; l++) { s.bmin[l] = -1.5; s.bmax[l] = 1.5; }
    double a[6], rn[6], w[6], b[2], ei, en;
    lsi_com_autocorr(h, 8, 6, a);
    for (int k = 0; k < 6; k++) rn[k] = 0.02 * 0.02 * pow(0.6, k);
    /* the script's d = 4 is the row of the cursor in the full convolution matrix: h's peak (index 2) + dw */
    double fom = lsi_com_rxffe_mmse(&s, h, 8, 2, a, rn, w, b, &ei, &en);
    cr_expect(fabs(fom - fom_ref) < 1e-9, "FOM %.15g, script %.15g", fom, fom_ref);
    cr_expect(fabs(sqrt(ei + en) - sigma_e_ref) < 1e-11 * sigma_e_ref, "sigma_e %.15g, script %.15g", sqrt(ei + en),
              sigma_e_ref);
    for (int k = 0; k < 6; k++) cr_expect(fabs(w[k] - w_ref[k]) < 1e-11, "w[%d] %.15g, script %.15g", k, w[k], w_ref[k]);
    for (int l = 0; l < 2; l++) cr_expect(fabs(b[l] - b_ref[l]) < 1e-11, "b[%d] %.15g, script %.15g", l, b[l], b_ref[l]);
}

/* The script's MMSE (its Rx FFE step: UI samples of the pulse at the cursor's phase, num_ui_RXFF_noise of them,
   the noise autocorrelation Rn = real(ifft(S_n)) f_b at whole-UI lags, tap limits ffe_*_max relative to the main
   tap, then MMSE_FOM) on the public SiCoPR project's com_functions/fn/MMSE/test_verify.py case, outputs of COM Octave
   (4p16p0) to 17 digits: a pulse of three Gaussians at M = 4, cursor sample 33 (1-based), 20 UI, 2 pre- and 3
   post-cursor taps within 0.7, 2 DFE taps within 0.85, S_n = 1e-15 0.85^min(k, 64 - k), f_b 100 GHz. The taps are
   reported relative to the main tap (C = w / w_main), as lanesim's rx_ffe. */
Test(com_dj, mmse_step_matches_the_reference_script)
{
    enum { M = 4, NUI = 20, N = 80, NW = 6, DW = 2 };
    const long cur = 32; /* 0-based */
    double sbr[N], h[NUI], rn[NW], a[NW], w[NW], b[2], ei, en;
    for (int i = 0; i < N; i++) {
        double t = i;
        sbr[i] = 0.62 * exp(-pow((t - (double)cur) / 3, 2)) + 0.18 * exp(-pow((t - (double)cur - M) / 4, 2)) +
                 0.06 * exp(-pow((t - (double)cur + M) / 4, 2));
        if (t < (double)cur - 3 * M) sbr[i] = 0;
    }
    /* UI samples from the first sample of the cursor's phase; the cursor is sample dh of them */
    long dh = cur / M;
    for (int j = 0; j < NUI; j++) h[j] = sbr[cur % M + (long)j * M];
    for (int k = 0; k < NW; k++) {
        double s = 0;
        for (int n = 0; n < 64; n++) s += 1e-15 * pow(0.85, n < 64 - n ? n : 64 - n) * cos(2 * M_PI * n * k / 64.0);
        rn[k] = s / 64 * 100e9;
    }
    lsi_com_autocorr(h, NUI, NW, a);
    lsi_com_rxspec s;
    memset(&s, 0, sizeof s);
    s.nw = NW; s.dw = DW; s.nb = 2; s.L = 4; s.varx = 15.0 / 27.0; s.r_lm = 1;
    s.pre1 = s.post1 = s.tapn = 0.7;
    for (int l = 0; l < 2; l++) { s.bmin[l] = -0.85; s.bmax[l] = 0.85; }
    double fom = lsi_com_rxffe_mmse(&s, h, NUI, dh, a, rn, w, b, &ei, &en);
    static const double c_ref[] = {0.024779655353426432, -0.23660340681708794, 1.0,
                                   -0.34203316613344914, 0.1246626902634681, -0.022967639699143588};
    static const double b_ref[] = {0.082293084489047597, 0.08952650178632432};
    const double sigma_e_ref = 0.0051408709476177131, fom_ref = 36.236840869273557;
    cr_expect(fabs(fom - fom_ref) < 1e-8, "FOM %.15g, script %.15g", fom, fom_ref);
    cr_expect(fabs(sqrt(ei + en) - sigma_e_ref) < 1e-10 * sigma_e_ref, "sigma_e %.15g, script %.15g", sqrt(ei + en),
              sigma_e_ref);
    for (int k = 0; k < NW; k++)
        cr_expect(fabs(w[k] / w[DW] - c_ref[k]) < 1e-10, "C[%d] %.15g, script %.15g", k, w[k] / w[DW], c_ref[k]);
    for (int l = 0; l < 2; l++) cr_expect(fabs(b[l] - b_ref[l]) < 1e-10, "b[%d] %.15g, script %.15g", l, b[l], b_ref[l]);
}

/* FOM_bound = 1 (lanesim's keyword): the local dj search also reports the largest CTLE pair bound, so the
   configuration's best FOM lies in [fom_db, fom_bound_db]; on the CA channel 7.484 .. 7.740 dB (docs/com.md "Bound per
   CTLE pair"); without the keyword no bound (NaN) */
Test(com_dj, fom_bound_brackets_the_local_search, .timeout = LS_TIMEOUT(120))
{
    static const char *const on[] = {"FOM_bound", "1", NULL};
    static ls_com_result r, r0;
    double sec;
    if (ls_test_com_shared("802.3dj-kr-pychopmarg", "ieee3ck_mellitz_CA_19p75dB_thru.s4p", on, &r, &sec))
        cr_skip("../shared/channels absent");
    cr_assert(ls_test_com_shared("802.3dj-kr-pychopmarg", "ieee3ck_mellitz_CA_19p75dB_thru.s4p", NULL, &r0, &sec) == 0);
    const ls_com_case *a = &r.cases[0];
    cr_expect(isfinite(a->fom_bound_db), "bound %g", a->fom_bound_db);
    cr_expect(a->fom_bound_db >= a->fom_db, "bound %.4f below the FOM found %.4f", a->fom_bound_db, a->fom_db);
    cr_expect(a->fom_bound_db < a->fom_db + 1, "bound %.4f, FOM %.4f: the bracket is the documented 0.26 dB",
              a->fom_bound_db, a->fom_db);
    cr_expect(eq(dbl, a->fom_db, r0.cases[0].fom_db), "the bound does not change the search");
    cr_expect(isnan(r0.cases[0].fom_bound_db));
    cr_expect(eq(sz, r.n_warnings, r0.n_warnings), "no bound violation warned");
}

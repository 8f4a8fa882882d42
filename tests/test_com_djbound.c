/**
 * The upper bound of the 802.3dj MMSE FOM over every Tx FFE (channels/copper/com_rxbound.c) against
 * explicit (Tx FFE, Rx FFE, DFE) settings: random Tx FFEs of the dj KR grid's ranges, the MMSE Rx FFE
 * of each (tap limits, DFE box) and random perturbations of it never exceed the bound; the bound
 * is the MMSE itself when nothing is relaxed (exact DFE box); and inside the search
 * (dj_bound_check) no evaluated FOM exceeds its CTLE pair's bound.
 */
#include <complex.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "com_internal.h"
#include "lanesim/com.h"
#include "util.h"

#define LEN 48  /* UI samples of the pulse */
#define PAD 24
#define NTX 5   /* c(-3) c(-2) c(-1) c(0) c(1), cursor 3 */
#define CUR 3
#define NWR 16
#define DWR 5

static double urand(unsigned *s) { *s = *s * 1103515245u + 12345u; return (double)((*s >> 8) & 0xffffff) / 16777216.0; }

/* y = c * x on the padded grid: y[u] = sum_m c[m] x[u - m + CUR] */
static void txffe(const double *c, const double *x, double *y)
{
    for (int u = 0; u < LEN + 2 * PAD; u++) {
        y[u] = 0;
        for (int m = 0; m < NTX; m++) {
            int i = u - m + CUR;
            if (i >= 0 && i < LEN + 2 * PAD) y[u] += c[m] * x[i];
        }
    }
}

/* J(w) with b = clip(Hb w) (nb = 1) and the FOM, w unit cursor at u0 of y */
static double fom_of(const lsi_com_rxspec *s, const double *y, int u0, const double *a, const double *rn, const double *w)
{
    double v = 0, waw = 0, wrw = 0;
    for (int k = 0; k < NWR; k++) v += w[k] * y[u0 + DWR + 1 - k];
    double b = fmin(fmax(v, s->bmin[0]), s->bmax[0]);
    for (int i = 0; i < NWR; i++)
        for (int j = 0; j < NWR; j++) { waw += w[i] * w[j] * a[abs(i - j)]; wrw += w[i] * w[j] * rn[abs(i - j)]; }
    double e = s->varx * (waw - 1 - 2 * b * v + b * b) + wrw;
    return 20 * log10(s->r_lm / ((s->L - 1) * sqrt(e)));
}

static void window(const double *y, int u0, int n, int d, int nb, double *h) /* as lsi_com_rxffe_mmse reads it */
{
    for (int j = 0; j < n + nb; j++) h[j] = y[u0 + j - (n - 1 - d)];
}

Test(com_djbound, bound_above_every_tx_rx_setting)
{
    static double hp[LEN + 2 * PAD], hj[LEN + 2 * PAD], hc[LEN + 2 * PAD], jc[LEN + 2 * PAD];
    for (int q = 0; q < LEN; q++) { /* a lossy pulse: slow rise, long tail, a reflection at 20 UI */
        double t = q - 6.7;
        hp[PAD + q] = t > 0 ? 2.5 * t * t * exp(-t / 0.55) + (q > 20 ? 0.01 * exp(-(q - 20) / 3.0) * cos(q) : 0) : 0;
    }
    for (int q = 1; q + 1 < LEN + 2 * PAD; q++) hj[q] = (hp[q + 1] - hp[q - 1]) / 2;
    lsi_com_rxspec s = {0};
    s.nw = NWR; s.dw = DWR; s.nb = 1; s.L = 4; s.varx = 5.0 / 9; s.r_lm = 0.95;
    s.pre1 = s.post1 = s.tapn = 0.7; s.bmin[0] = 0; s.bmax[0] = 0.85;
    int n = NWR + NTX - 1, d = DWR + CUR;
    double ap[64], aj[64], rth[64], rnb[64], hb[64], ktx = 5e-4, jit = 2e-3;
    lsi_com_autocorr(hp, LEN + 2 * PAD, n, ap);
    lsi_com_autocorr(hj, LEN + 2 * PAD, n, aj);
    for (int k = 0; k < n; k++) { /* thermal-like: a non-negative spectrum at whole-UI lags */
        rth[k] = 0;
        for (int i = 1; i <= 40; i++) rth[k] += 1e-4 * exp(-i / 15.0) * cos(2 * M_PI * (i / 40.0) * k) / 40;
        rnb[k] = rth[k] + ktx * ap[k] + jit * aj[k];
    }
    unsigned seed = 7;
    double worst = -INFINITY, gap_best = INFINITY;
    int nfail = 0;
    for (int u0 = PAD + 7; u0 <= PAD + 10; u0++) { /* the peak is at 8; the bound ignores the Rx tap limits, so it
                                                   hardly falls off the peak where they cost the real FFE ~20 dB */
        window(hp, u0, n, d, 1, hb);
        double bound = lsi_com_rxffe_bound(&s, n, d, hb, n + 1, n - 1 - d, ap, rnb), best = -INFINITY;
        cr_assert(isfinite(bound));
        for (int trial = 0; trial < 300; trial++) {
            double c[NTX] = {-0.06 * urand(&seed), 0.12 * urand(&seed), -0.34 * urand(&seed), 0, -0.2 * urand(&seed)};
            if (trial == 0) memset(c, 0, sizeof c);
            double sum = fabs(c[0]) + fabs(c[1]) + fabs(c[2]) + fabs(c[4]);
            if (1 - sum < 0.5) continue;
            c[CUR] = 1 - sum;
            txffe(c, hp, hc);
            txffe(c, hj, jc);
            double a[NWR], ajc[NWR], rn[NWR], h[NWR + 1], w[NWR], b[1], ei, en;
            lsi_com_autocorr(hc, LEN + 2 * PAD, NWR, a);
            lsi_com_autocorr(jc, LEN + 2 * PAD, NWR, ajc);
            for (int k = 0; k < NWR; k++) rn[k] = rth[k] + ktx * ap[k] + jit * ajc[k]; /* Tx noise and thermal not through c */
            window(hc, u0, NWR, DWR, 1, h);
            double fo = lsi_com_rxffe_mmse(&s, h, NWR + 1, NWR - 1 - DWR, a, rn, w, b, &ei, &en);
            if (!isfinite(fo)) { nfail++; continue; } /* no unit-cursor solution inside the tap limits */
            cr_assert(fabs(fom_of(&s, hc, u0, a, rn, w) - fo) < 1e-9, "the FOM as the test evaluates it: %.12f vs %.12f", fom_of(&s, hc, u0, a, rn, w), fo);
            best = fmax(best, fo);
            worst = fmax(worst, fo - bound);
            for (int r = 0; r < 5; r++) { /* other Rx FFEs with unit cursor */
                double wp[NWR], cc = 0;
                for (int k = 0; k < NWR; k++) wp[k] = w[k] + 0.05 * (urand(&seed) - 0.5) * fabs(w[DWR]);
                for (int k = 0; k < NWR; k++) cc += wp[k] * h[NWR - 1 - DWR + DWR - k];
                for (int k = 0; k < NWR; k++) wp[k] /= cc;
                double fp = fom_of(&s, hc, u0, a, rn, wp);
                worst = fmax(worst, fp - bound);
            }
        }
        gap_best = fmin(gap_best, bound - best);
        cr_log_info("cursor %d: bound %.4f dB, best of 300 random Tx FFEs %.4f dB (gap %.3f dB)", u0 - PAD, bound, best, bound - best);
    }
    cr_expect(nfail < 100, "%d settings without a solution", nfail);
    cr_expect(worst <= 1e-9, "a setting above the bound by %.3g dB", worst);
    cr_expect(gap_best > 0 && gap_best < 0.1, "not trivially loose at the best cursor: gap %.3f dB", gap_best);
}

/* with nothing relaxed (one-tap Tx FFE, no Rx tap limits) the bound is the MMSE of lsi_com_rxffe_mmse,
   whose active set is exact for one DFE tap: also when the DFE box binds (b_max 0.1, b_min 0.95) */
Test(com_djbound, bound_is_the_mmse_when_nothing_is_relaxed)
{
    static const double hv[] = {0.01, -0.03, 0.12, 0.45, 1.0, 0.62, 0.31, 0.12, 0.05, -0.02, 0.015, 0.004};
    double rn[8], a[8], w[8], b[1], ei, en;
    for (int k = 0; k < 8; k++) rn[k] = 0.02 * exp(-k / 1.5) * (k % 2 ? -0.5 : 1);
    rn[0] = 0.03;
    lsi_com_autocorr(hv, 12, 8, a);
    lsi_com_rxspec s = {0};
    s.nw = 8; s.dw = 2; s.nb = 1; s.L = 4; s.varx = 5.0 / 9; s.r_lm = 0.95;
    s.pre1 = s.post1 = s.tapn = 100;
    double lims[3][2] = {{-10, 10}, {-10, 0.1}, {0.95, 10}};
    for (int l = 0; l < 3; l++) {
        s.bmin[0] = lims[l][0]; s.bmax[0] = lims[l][1];
        double fo = lsi_com_rxffe_mmse(&s, hv, 12, 4, a, rn, w, b, &ei, &en);
        double bo = lsi_com_rxffe_bound(&s, 8, 2, hv, 12, 4, a, rn);
        cr_expect(fabs(fo - bo) < 1e-9, "box [%g %g]: MMSE %.12f, bound %.12f", s.bmin[0], s.bmax[0], fo, bo);
        if (l) cr_expect(b[0] == s.bmin[0] || b[0] == s.bmax[0], "the box binds: b %g", b[0]);
    }
}

/* inside the search (dj KR set, six CTLE pairs, a synthetic channel with a reflection): every FOM the search
   evaluates (every Tx FFE, every sampling point) is below the bound of its CTLE pair, and the chosen pair's
   bound is above the FOM found */
Test(com_djbound, search_never_exceeds_the_pair_bound, .timeout = LS_TIMEOUT(120))
{
    char msg[256] = "";
    ls_status st;
    ls_com_config *c = ls_com_config_read(LS_SOURCE_DIR "/channels/copper/com/802.3dj-kr-pychopmarg.csv", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    static const char *const kv[] = {"g_DC", "[-10:4:-2]", "g_DC_HP", "[-3 0]", NULL};
    for (size_t k = 0; kv[k]; k += 2) cr_assert(eq(int, ls_com_config_set(c, kv[k], kv[k + 1], msg, sizeof msg), LS_OK));
    static ls_com_result res;
    lsi_com_param p;
    cr_assert(eq(int, lsi_com_param_fill(c, &p, &res, msg, sizeof msg), LS_OK), "%s", msg);
    p.dj_bound_check = 1;
    size_t n = 32 * 120;
    double *ir = calloc(n, sizeof *ir);
    for (size_t k = 0; k < n; k++) {
        double t = ((double)k - 32 * 10) / 32.0; /* UI */
        if (t > 0) ir[k] = 0.05 * t * t * exp(-t / 0.6) + (k > 32 * 30 ? 0.0005 * exp(-(t - 20) / 4) * cos(t) : 0);
    }
    lsi_com_chan ch = {0, ir, n, NULL};
    double f[1200];
    for (size_t k = 0; k < 1200; k++) f[k] = 0.1e9 * (double)k;
    lsi_com_eq e;
    cr_assert(eq(int, lsi_com_optimize(&p, &ch, 1, f, 1200, &e, msg, sizeof msg), LS_OK), "%s", msg);
    cr_log_info("FOM %.4f dB, bound of its pair %.4f dB, %zu of %zu pairs dominated, %zu evaluations", e.fom_db, e.bound_fom,
                e.bound_dominated, e.bound_pairs, e.evals);
    cr_expect(eq(sz, e.bound_pairs, 6));
    cr_expect(e.evals > 100);
    cr_expect(eq(sz, e.ub_violations, 0), "evaluations above their pair's bound");
    cr_expect(e.bound_fom >= e.fom_db && e.bound_fom < e.fom_db + 3, "FOM %.4f, bound %.4f", e.fom_db, e.bound_fom);
    free(e.sbr); free(e.h_j); free(ir);
    ls_com_config_destroy(c);
}

/**
 * @file com_rxffe.c
 * The 802.3dj receiver (Annex 178A as amended; Healey & Hegde, "Reference receiver framework for
 * 200G/lane electrical interfaces and PHYs", P802.3dj Jan 2024): an Rx FFE of N_w = pre + 1 + post
 * UI-spaced taps and a DFE of N_b taps, found by minimum mean-squared error (MMSE), and the search
 * of CTLE x Tx FFE x sampling point with it (docs/com.md, "802.3dj receiver").
 *
 * MMSE (178A): with h the UI-spaced pulse at the sampling phase (cursor h[dh]), H its full
 * convolution matrix for N_w taps, h0 = row d = dh + dw of H (dw pre-cursor taps) and Hb the
 * N_b rows after it, the error of FFE w and DFE b is
 *   e = varX ||H w - e_d - Hb' b||^2 + w' R_n w,            subject to h0' w = 1 (unit cursor),
 * varX = (L^2 - 1) / (3 (L - 1)^2) the symbol variance (93A-31) and R_n the noise autocorrelation
 * at the FFE input at whole-UI lags (Toeplitz). Unconstrained b gives b = Hb w and then
 *   w = Q^-1 h0 / (h0' Q^-1 h0),  Q = H'H - Hb'Hb + R_n / varX.
 * When a tap of b = Hb w leaves [b_min, b_max], every tap is held at clip(b) and w re-solved,
 * w = R^-1 (Hb' b + mu h0), R = H'H + R_n / varX (the reference script's MMSE_FOM and PyChOpMarg's mmse).
 * Tap limits (ffe_pre_tap1_max, ffe_post_tap1_max, ffe_tapn_max) are relative to the main tap:
 * w is clipped to them (178A-26 as PyChOpMarg reads it), renormalised to h0' w = 1 and the DFE
 * set to clip(Hb w); without that clip the DFE keeps the values above.
 * FOM = 20 log10(R_LM / ((L - 1) sqrt(e))) (the MMSE form of 93A-36).
 * R_n: thermal eta_0 |H_r H_ctf|^2 (93A-35) at lag kT, Tx noise varX 10^(-SNR_TX/10) times the
 * autocorrelation of the pulse before the Tx FFE (93A-30 generalised to all cursors), jitter
 * varX (A_DD^2 + sigma_RJ^2) times the autocorrelation of h_J (93A-28, 93A-32), crosstalk varX times
 * each aggressor's autocorrelation at its phase of largest energy (com_rxsearch.c; COM still takes the
 * crosstalk through its PDF, 93A-43, equalized by the same FFE). ffe_tap_step_size > 0: the taps
 * relative to the main tap are rounded to multiples of the step after the limits. Also here: the
 * ts_anchor rule (lsi_com_ts_anchor) and a UI-spaced FFE applied to a pulse (lsi_com_apply_rxffe).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "com_internal.h"

#define NW LSI_COM_MAX_RXFFE

/* Cholesky of the n x n symmetric a (row-major) in place; 0 when not positive definite (also com_rxbound.c) */
int lsi_com_chol(double *a, int n)
{
    for (int j = 0; j < n; j++) {
        double s = a[j * n + j];
        for (int k = 0; k < j; k++) s -= a[j * n + k] * a[j * n + k];
        if (!(s > 0)) return 0;
        a[j * n + j] = sqrt(s);
        for (int i = j + 1; i < n; i++) {
            double t = a[i * n + j];
            for (int k = 0; k < j; k++) t -= a[i * n + k] * a[j * n + k];
            a[i * n + j] = t / a[j * n + j];
        }
    }
    return 1;
}

/* x = (L L')^-1 b from lsi_com_chol's factor */
void lsi_com_chol_solve(const double *l, int n, const double *b, double *x)
{
    for (int i = 0; i < n; i++) {
        double s = b[i];
        for (int k = 0; k < i; k++) s -= l[i * n + k] * x[k];
        x[i] = s / l[i * n + i];
    }
    for (int i = n; i-- > 0;) {
        double s = x[i];
        for (int k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
        x[i] = s / l[i * n + i];
    }
}

double lsi_com_hget(const double *h, long nh, long i) { return i >= 0 && i < nh ? h[i] : 0; }

double lsi_com_rxffe_mmse(const lsi_com_rxspec *s, const double *h, long nh, long dh, const double *a, const double *rn,
                          double *w, double *b, double *e_isi, double *e_noise)
{
    int nw = s->nw, dw = s->dw, nb = s->nb;
    double Q[NW * NW], R[NW * NW], h0[NW], hb[LSI_COM_MAX_DFE][NW], y[NW], z[NW];
    if (nw < 1 || nw > NW || nb > LSI_COM_MAX_DFE) return -INFINITY;
    for (int k = 0; k < nw; k++) {
        h0[k] = lsi_com_hget(h, nh, dh + dw - k);
        for (int l = 0; l < nb; l++) hb[l][k] = lsi_com_hget(h, nh, dh + dw + l + 1 - k);
    }
    for (int i = 0; i < nw; i++)
        for (int j = 0; j < nw; j++) {
            double v = a[abs(i - j)] + rn[abs(i - j)] / s->varx, d = 0;
            for (int l = 0; l < nb; l++) d += hb[l][i] * hb[l][j];
            R[i * nw + j] = v;
            Q[i * nw + j] = v - d;
        }
    if (!lsi_com_chol(Q, nw)) return -INFINITY;
    lsi_com_chol_solve(Q, nw, h0, y);
    double g = 0;
    for (int k = 0; k < nw; k++) g += h0[k] * y[k];
    if (!(g > 0)) return -INFINITY;
    for (int k = 0; k < nw; k++) w[k] = y[k] / g;
    /* DFE limits as the reference script's MMSE_FOM (and PyChOpMarg's mmse) take them: b from the solution
     * (b = Hb w); when any tap leaves [b_min, b_max], every tap is held at clip(b) and w re-solved with them:
     * w = R^-1 (Hb' b + mu h0), mu such that h0' w = 1 */
    int clipped = 0;
    for (int l = 0; l < nb; l++) {
        double v = 0;
        for (int k = 0; k < nw; k++) v += hb[l][k] * w[k];
        b[l] = fmin(fmax(v, s->bmin[l]), s->bmax[l]);
        clipped |= b[l] != v;
    }
    if (clipped) {
        double hbb[NW];
        for (int i = 0; i < nw; i++) {
            hbb[i] = 0;
            for (int l = 0; l < nb; l++) hbb[i] += hb[l][i] * b[l];
        }
        memcpy(Q, R, (size_t)(nw * nw) * sizeof *Q);
        if (!lsi_com_chol(Q, nw)) return -INFINITY;
        lsi_com_chol_solve(Q, nw, hbb, z);
        lsi_com_chol_solve(Q, nw, h0, y);
        double p = 0, q = 0;
        for (int k = 0; k < nw; k++) { p += h0[k] * z[k]; q += h0[k] * y[k]; }
        double mu = (1 - p) / q;
        for (int k = 0; k < nw; k++) w[k] = z[k] + mu * y[k];
    }
    /* tap limits relative to the main tap, then unit cursor again */
    double wm = w[dw];
    int lim = 0;
    for (int k = 0; k < nw; k++) {
        if (k == dw) continue;
        double m = (k == dw - 1 ? s->pre1 : k == dw + 1 ? s->post1 : s->tapn) * fabs(wm);
        double v = fmin(fmax(w[k], -m), m);
        lim |= v != w[k];
        w[k] = v;
    }
    /* ffe_tap_step_size: the taps relative to the main tap rounded to the nearest multiple of the
     * step (the main tap keeps its value; the limits are multiples of the step in the sets, and a
     * rounded tap is clipped to its limit again so that it never exceeds it), then unit cursor */
    if (s->step > 0) {
        for (int k = 0; k < nw; k++) {
            if (k == dw) continue;
            double m = (k == dw - 1 ? s->pre1 : k == dw + 1 ? s->post1 : s->tapn), r = round(w[k] / wm / s->step) * s->step;
            if (fabs(r) > m) r = copysign(floor(m / s->step + 1e-9) * s->step, r);
            w[k] = r * wm;
        }
        lim = 1;
    }
    /* a clipped (or quantised) FFE: unit cursor again and the DFE from it, clip(Hb w) (the script's refresh inside
     * its FFE-limit branch); otherwise b stays as above */
    if (lim) {
        double c = 0;
        for (int k = 0; k < nw; k++) c += h0[k] * w[k];
        if (!(c > 0)) return -INFINITY;
        for (int k = 0; k < nw; k++) w[k] /= c;
    }
    double bhw = 0, bb = 0, waw = 0, wrw = 0;
    for (int l = 0; l < nb; l++) {
        double v = 0;
        for (int k = 0; k < nw; k++) v += hb[l][k] * w[k];
        if (lim) b[l] = fmin(fmax(v, s->bmin[l]), s->bmax[l]);
        bhw += b[l] * v;
        bb += b[l] * b[l];
    }
    for (int i = 0; i < nw; i++)
        for (int j = 0; j < nw; j++) { waw += w[i] * w[j] * a[abs(i - j)]; wrw += w[i] * w[j] * rn[abs(i - j)]; }
    *e_isi = s->varx * fmax(waw - 1 - 2 * bhw + bb, 0);
    *e_noise = wrw;
    return 20 * log10(s->r_lm / ((s->L - 1) * sqrt(*e_isi + *e_noise)));
}

void lsi_com_autocorr(const double *h, long n, int nlag, double *a)
{
    for (int k = 0; k < nlag; k++) {
        double s = 0;
        for (long i = 0; i + k < n; i++) s += h[i] * h[i + k];
        a[k] = s;
    }
}

void lsi_com_apply_rxffe(const double *in, size_t n, int M, const double *w, size_t nw, size_t dw, double *out)
{
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (size_t k = 0; k < nw; k++) {
            long j = (long)i - ((long)k - (long)dw) * M;
            if (j >= 0 && j < (long)n) s += w[k] * in[j];
        }
        out[i] = s;
    }
}

/* 178A ts_anchor: 1 = the pulse peak, argmax h(t); 2 = the largest cursor minus first pre-cursor,
   argmax h(t) - h(t - UI) over t with t - UI inside h[0..n) */
long lsi_com_ts_anchor(int anchor, const double *h, long n, long M)
{
    long best = 0;
    if (anchor == 2 && n > M) {
        best = M;
        for (long i = M + 1; i < n; i++) if (h[i] - h[i - M] > h[best] - h[best - M]) best = i;
    } else
        for (long i = 1; i < n; i++) if (h[i] > h[best]) best = i;
    return best;
}

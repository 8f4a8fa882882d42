/**
 * @file com_casepdf.c
 * The distributions of one COM package case (IEEE 802.3 Annex 93A.1.7) for the equalized pulse: the bin rule,
 * the residual ISI at the sampling phase (93A-39, 93A-40), the Gaussian of RJ, eta_0 and SNR_TX (93A-41, 93A-42),
 * the A_DD dual-Dirac (93A-43) and the crosstalk (93A-42). Used by the report (com.c) and, without aggressors, by
 * the C2M search (com_c2msearch.c): one code for both.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "com_internal.h"

/* PDF of a residual pulse at one phase (1-based ph) over UI 1 .. nui-2 (93A-39) */
static ls_status phase_pdf(const double *r, size_t n, int M, int ph, int L, double bin, lsi_pdf *out)
{
    size_t nui = (size_t)llround((double)n / M), cnt = 0;
    double *v = malloc((nui + 1) * sizeof *v);
    if (!v) return LS_ENOMEM;
    for (size_t j = 1; j + 2 <= nui; j++) {
        size_t i = (size_t)M * j + (size_t)ph - 1;
        v[cnt++] = i < n ? r[i] : 0;
    }
    ls_status st = lsi_pdf_from_samples(out, v, cnt, L, bin);
    free(v);
    return st;
}

/* crosstalk PDF: the aggressor's equalized pulse, the phase with the largest RMS */
static ls_status xtalk_pdf(const lsi_com_param *p, const lsi_com_chan *c, const lsi_com_eq *eq, double bin, lsi_pdf *out)
{
    double *y = malloc(c->n_ir * sizeof *y), *sbr = NULL, one = 1;
    size_t ns = 0;
    if (!y) return LS_ENOMEM;
    memcpy(y, c->ir, c->n_ir * sizeof *y);
    lsi_com_td_ctle(y, c->n_ir, p->fb, p->M, p->fz, p->fp1, p->fp2, p->gdc[eq->i_gdc]);
    if (p->f_lf > 0) lsi_com_td_ctle(y, c->n_ir, p->fb, p->M, p->f_lf, p->f_lf, 1e101, p->gdc2[eq->i_gdc2]);
    ls_status st = c->type == 1 ? lsi_com_eq_pulse(y, c->n_ir, p->M, eq->txffe, eq->n_tx, eq->cur, &sbr, &ns)
                                : lsi_com_eq_pulse(y, c->n_ir, p->M, &one, 1, 0, &sbr, &ns);
    free(y);
    if (!st && eq->n_rx) {
        /* the victim's Rx FFE equalizes the aggressor too (802.3dj) */
        double *z = malloc(ns * sizeof *z);
        if (!z) st = LS_ENOMEM;
        else {
            lsi_com_apply_rxffe(sbr, ns, p->M, eq->rx_wv, eq->n_rx, eq->rx_dw, z);
            free(sbr);
            sbr = z;
        }
    }
    if (st) { free(sbr); return st; }
    double best = -1;
    for (int ph = 1; ph <= p->M && !st; ph++) {
        lsi_pdf t = {0};
        st = phase_pdf(sbr, ns, p->M, ph, p->L, bin, &t);
        double r = lsi_pdf_rms(&t);
        if (!st && r > best) { best = r; lsi_pdf_free(out); *out = t; } else lsi_pdf_free(&t);
    }
    free(sbr);
    return st;
}

static ls_status conv_into(lsi_pdf *acc, const lsi_pdf *b)
{
    lsi_pdf o;
    ls_status st = lsi_pdf_conv(&o, acc, b);
    if (st) return st;
    lsi_pdf_free(acc);
    *acc = o;
    return LS_OK;
}

/*
 * Bin size of the PDFs (93A-39..45). The reference's: min(A_s / 1000, delta_y). With a closed eye
 * A_s is tiny and the ISI PDF would span millions of such bins, so the bin is tied to the larger of
 * A_s and a lower bound A_lb of A_ni instead: bin = min(delta_y, max(A_s, A_lb) / 1000). A_lb holds
 * because every component is symmetric and independent of the rest (the rest is <= 0 with probability
 * >= 1/2): A_ni >= the largest residual ISI sample (that value alone has probability 1/L >> DER0),
 * and A_ni >= Q^-1(2 DER0) sigma_G. So each value is rounded by at most A_ni / 2000, as the
 * reference's rounds by A_s / 2000 (< A_ni / 2000 only when the eye is open, where A_lb <= A_s and
 * the bin is the reference's exactly).
 */
static double pdf_bin(const lsi_com_param *p, double a_s, const double *res, size_t n, int ph, double s_g)
{
    size_t nui = (size_t)llround((double)n / p->M);
    double lb = lsi_com_qinv(2 * p->der0) * s_g;
    for (size_t j = 1; j + 2 <= nui; j++) {
        size_t i = (size_t)p->M * j + (size_t)ph - 1;
        if (i < n) lb = fmax(lb, fabs(res[i]));
    }
    return fmin(fmax(a_s, lb) / 1000, p->bin_size);
}

/* sigma_G of 93A-41..42 with the jitter slope vector h_J of squared norm hj2: RJ through h_J, eta_0 (eq->sigma_n) and
   SNR_TX */
static double gauss_sigma(const lsi_com_param *p, const lsi_com_eq *eq, double hj2)
{
    double sx = sqrt((p->L * p->L - 1.0) / (3.0 * (p->L - 1) * (p->L - 1)));
    double s_tx = (p->L - 1) * eq->a_s / p->r_lm * pow(10, -p->snr_tx / 20);
    return sqrt(pow(p->sigma_rj * sx * sqrt(hj2), 2) + eq->sigma_n * eq->sigma_n + s_tx * s_tx);
}

/* The noise of the jitter slope vector hj[n] (93A-41..43): Gaussian sigma_G (gauss_sigma) convolved with the A_DD
   dual-Dirac through hj, on bins of bin */
static ls_status jitter_noise(const lsi_com_param *p, const lsi_com_eq *eq, const double *hj, size_t n, double bin,
                              lsi_pdf *out)
{
    double hj2 = 0;
    for (size_t k = 0; k < n; k++) hj2 += hj[k] * hj[k];
    double *hdd = malloc((n + 1) * sizeof *hdd);
    if (!hdd) return LS_ENOMEM;
    for (size_t k = 0; k < n; k++) hdd[k] = p->a_dd * hj[k];
    lsi_pdf g = {0}, dd = {0};
    ls_status st = lsi_pdf_gauss(&g, gauss_sigma(p, eq, hj2), lsi_com_qinv(p->der0), bin);
    if (!st) st = lsi_pdf_from_samples(&dd, hdd, n, p->L, bin);
    if (!st) st = lsi_pdf_conv(out, &g, &dd);
    free(hdd);
    lsi_pdf_free(&g); lsi_pdf_free(&dd);
    return st;
}

/* The case's PDFs (93A-39..45) of the equalized pulse eq: bin (pdf_bin), the residual ISI at the sampling phase
 * (93A-39, 93A-40; isi NULL: not formed) and the noise (Gaussian sigma_G of RJ, eta_0 and SNR_TX, 93A-41, 93A-42,
 * the A_DD dual-Dirac of 93A-43, then the crosstalk of ch[1 .. n_ch), 93A-42). The C2M search calls it with
 * n_ch = 1: the reference's eye of a search candidate has no crosstalk (com_c2msearch.c). */
ls_status lsi_com_case_pdfs(const lsi_com_param *p, const lsi_com_chan *ch, size_t n_ch, const lsi_com_eq *eq,
                            double *bin_out, lsi_pdf *isi, lsi_pdf *noise, lsi_pdf *xt)
{
    double a_s = eq->a_s;
    double *res = malloc(eq->n_sbr * sizeof *res);
    if (!res) return LS_ENOMEM;
    memcpy(res, eq->sbr, eq->n_sbr * sizeof *res);
    double h0 = res[eq->cursor];
    for (int n = 0; n <= eq->ndfe; n++) {
        size_t i = eq->cursor + (size_t)n * (size_t)p->M;
        if (i >= eq->n_sbr) break;
        double v = res[i], lim = n == 0 ? v : fmin(fmax(v, h0 * eq->use_bmin[n - 1]), h0 * eq->use_bmax[n - 1]);
        res[i] = v - lim;
    }
    int ph = (int)((eq->cursor + 1) % (size_t)p->M);
    if (ph == 0) ph = p->M;
    double hj = 0;
    for (size_t k = 0; k < eq->n_hj; k++) hj += eq->h_j[k] * eq->h_j[k];
    double bin = pdf_bin(p, a_s, res, eq->n_sbr, ph, gauss_sigma(p, eq, hj));
    ls_status st = isi ? phase_pdf(res, eq->n_sbr, p->M, ph, p->L, bin, isi) : LS_OK;
    free(res);
    if (!st) st = jitter_noise(p, eq, eq->h_j, eq->n_hj, bin, noise);
    /* the noise PDF with the crosstalk (the part that does not depend on the sampling offset); xt: the crosstalk
       alone as well (a unit impulse without aggressors) */
    if (xt && !st) st = lsi_pdf_delta(xt, bin);
    for (size_t i = 1; i < n_ch && !st; i++) {
        lsi_pdf x = {0};
        st = xtalk_pdf(p, &ch[i], eq, bin, &x);
        if (!st) st = conv_into(noise, &x);
        if (!st && xt) st = conv_into(xt, &x);
        lsi_pdf_free(&x);
    }
    *bin_out = bin;
    return st;
}

/* The C2M eye's noise at each window offset d_j = (j - J) / samples_for_C2M UI (lsi_com_eye), as the reference's
   COM_eye_width forms it: the jitter slope vector at d, h_J(d)_k = (h(x_k + 1/S) - h(x_k - 1/S)) S / 2 on the pulse
   read linearly between its samples (S = samples_for_C2M per UI; x_k = the cursor phase of UI k plus d, the UIs of
   eq->h_j), through the Gaussian of RJ, eta_0 and SNR_TX and the A_DD dual-Dirac (jitter_noise), convolved with the
   crosstalk xt. At d = 0 that is the case's noise itself (noise0): (h(c + 1/S) - h(c - 1/S)) S / 2 with S >= M is
   the central difference (h(c + 1) - h(c - 1)) M / 2 of 93A-28 exactly. out[j] points at noise0 or at own[j]. */
ls_status lsi_com_eye_noises(const lsi_com_param *p, const lsi_com_eq *eq, const lsi_pdf *noise0, const lsi_pdf *xt,
                             int J, lsi_pdf *own, const lsi_pdf **out)
{
    const double M = p->M, S = p->s_c2m, e = M / S;
    double *hj = malloc((eq->n_hj + 1) * sizeof *hj);
    if (!hj) return LS_ENOMEM;
    long so = (long)(eq->cursor + 1) % p->M;
    if (so <= 1) so += p->M;
    ls_status st = LS_OK;
    for (int j = 0; j < 2 * J + 1 && !st; j++) {
        out[j] = noise0;
        if (j == J) continue;
        const double dM = (double)(j - J) / S * M;
        for (size_t k = 0; k < eq->n_hj; k++) {
            double x = (double)(so - 1) + (double)k * M + dM;
            hj[k] = (lsi_com_interp(eq->sbr, eq->n_sbr, x + e) - lsi_com_interp(eq->sbr, eq->n_sbr, x - e)) * S / 2;
        }
        lsi_pdf jn = {0};
        st = jitter_noise(p, eq, hj, eq->n_hj, noise0->bin, &jn);
        if (!st) st = lsi_pdf_conv(&own[j], &jn, xt);
        lsi_pdf_free(&jn);
        if (!st) out[j] = &own[j];
    }
    free(hj);
    return st;
}

ls_status lsi_com_eye_of(const lsi_com_param *p, const lsi_com_eq *eq, const lsi_pdf *noise0, const lsi_pdf *xt,
                         double *eh_v, double *vec_db)
{
    const int J = lsi_com_eye_half(p), nd = 2 * J + 1;
    lsi_pdf *own = calloc((size_t)nd, sizeof *own);
    const lsi_pdf **nz = calloc((size_t)nd, sizeof *nz);
    ls_status st = own && nz ? lsi_com_eye_noises(p, eq, noise0, xt, J, own, nz) : LS_ENOMEM;
    if (!st) st = lsi_com_eye(p, eq, nz, eh_v, vec_db);
    for (int j = 0; own && j < nd; j++) lsi_pdf_free(&own[j]);
    free(own); free(nz);
    return st;
}

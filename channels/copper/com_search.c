/**
 * @file com_search.c
 * The FOM of one equalizer setting (93A-25..36) and the search over CTLE x Tx FFE (93A.1.6); the
 * search's speed-ups are described in com_fom.c. Noise terms: sigma_N from eta_0 through H_r and
 * H_ctf (93A-35), sigma_TX from SNR_TX (93A-30), sigma_J from A_DD, sigma_RJ and the pulse slope
 * h_J (93A-28, 93A-32), sigma_XT from the crosstalk spectra (the reference's ICN-type estimate).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "com_internal.h"

#define NT (LSI_COM_MAX_TXTAPS + 1)


typedef struct {
    double fom, a_s, s_isi, s_j, s_xt, s_tx;
    long cursor;
    double bmax[LSI_COM_MAX_DFE], bmin[LSI_COM_MAX_DFE], dfe[LSI_COM_MAX_DFE];
} evalr;

/* Mueller-Mueller sampling point (93A-25 as the reference implements it); -1: no zero crossing */
static long cursor_mm(const lsi_com_ctx *x, const double *c, double *peak_out)
{
    long a = x->pk0, b = x->pk1, M = x->M;
    double mx = -INFINITY;
    long pk = a;
    /* exact maximum over [a, b]: blocks whose upper bound cannot reach the best so far are skipped
     * (the bound sums each tap's block max or min by the sign of the tap); the block with the
     * largest bound goes first */
    long q0 = (a - x->w0) / 32, q1 = (b - x->w0) / 32, bestb = q0;
    double ub[4096], bu = -INFINITY;
    for (long q = q0; q <= q1 && q - q0 < 4096; q++) {
        double u = 0;
        for (size_t k = 0; k < x->nt; k++)
            u += c[k] * (c[k] >= 0 ? x->bmx[k * (size_t)x->nblk + (size_t)q] : x->bmn[k * (size_t)x->nblk + (size_t)q]);
        ub[q - q0] = u;
        if (u > bu) { bu = u; bestb = q; }
    }
    for (int pass = 0; pass < 2; pass++)
        for (long q = pass ? q0 : bestb; q <= (pass ? q1 : bestb); q++) {
            if (pass && (q == bestb || ub[q - q0] < mx)) continue;
            long i0 = x->w0 + q * 32, i1 = i0 + 31;
            if (i0 < a) i0 = a;
            if (i1 > b) i1 = b;
            for (long i = i0; i <= i1; i++) {
                double v = lsi_com_smp(x, c, i);
                if (v > mx || (v == mx && i < pk)) { mx = v; pk = i; }
            }
        }
    *peak_out = mx;
    long s0 = pk - 4 * M < 0 ? 0 : pk - 4 * M, zx = -1;
    double thr = 0.01 * mx, prev = lsi_com_smp(x, c, s0) - thr;
    for (long i = s0; i < pk; i++) {
        double nx = lsi_com_smp(x, c, i + 1) - thr;
        int sp = (prev > 0) - (prev < 0), sn = (nx > 0) - (nx < 0);
        if (sn - sp >= 1) zx = i;
        prev = nx;
    }
    if (zx < 0) return -1;
    double b1 = x->p->n_b ? x->p->bmax[0] : 0, best = INFINITY;
    long cur = zx;
    for (long i = zx; i <= zx + 2 * M; i++) {
        double h0 = lsi_com_smp(x, c, i), hm = lsi_com_smp(x, c, i - M), hp = lsi_com_smp(x, c, i + M);
        double m = fabs(hm - fmax(hp - b1 * h0, 0));
        if (m < best) { best = m; cur = i; }
    }
    return cur;
}

static double evaluate(const lsi_com_ctx *x, const double *c, double best, evalr *e, int full)
{
    const lsi_com_param *p = x->p;
    double pkv;
    long cur = cursor_mm(x, c, &pkv), M = x->M;
    if (cur < 0) return -INFINITY;
    int nd = x->ndfe;
    double h[LSI_COM_MAX_DFE + 1];
    for (int n = 0; n <= nd; n++) h[n] = lsi_com_smp(x, c, cur + n * M);
    double a_s = p->r_lm * h[0] / (p->L - 1), sx2 = (double)(p->L * p->L - 1) / (3.0 * (p->L - 1) * (p->L - 1));
    double E = lsi_com_quad(x, x->G, cur % M, c), win = 0;
    for (int n = 0; n <= nd; n++) if (cur + n * M < (long)x->Np) win += h[n] * h[n];
    double pf = fmax(E - win, 0);
    if (!full && 20 * log10(a_s / sqrt(sx2 * pf)) < best) return -INFINITY;
    double bx[LSI_COM_MAX_DFE], bn[LSI_COM_MAX_DFE];
    for (int n = 0; n < p->n_b; n++) { bx[n] = p->bmax[n]; bn[n] = p->bmin[n]; }
    for (int n = p->n_b; n < nd; n++) bx[n] = bn[n] = 0;
    if (p->n_bg > 0) {
        int idx[LSI_COM_MAX_DFE];
        lsi_com_findbank(h + 1, p->n_b + 1, p->n_f, p->n_bf, h[0], p->bmaxg, p->n_bg, idx);
        for (int k = 0; k < p->n_bg * p->n_bf; k++)
            if (idx[k] >= 1 && idx[k] <= nd) { bx[idx[k] - 1] = p->bmaxg; bn[idx[k] - 1] = -p->bmaxg; }
    }
    double act[LSI_COM_MAX_DFE], ex2 = 0;
    for (int n = 0; n < nd; n++) act[n] = fmin(fmax(h[n + 1], h[0] * bn[n]), h[0] * bx[n]);
    if (p->n_tail_start > 0 && nd >= p->n_tail_start) {
        double rss = 0;
        for (int n = p->n_tail_start - 1; n < nd; n++) rss += (act[n] / h[0]) * (act[n] / h[0]);
        rss = sqrt(rss);
        if (rss != 0 && rss >= p->b_float_rss_max) {
            for (int n = p->n_tail_start - 1; n < nd; n++) {
                double d = fabs(act[n] / h[0]);
                bx[n] = p->b_float_rss_max * d / rss;
                bn[n] = -p->b_float_rss_max * d / rss;
                act[n] = fmin(fmax(h[n + 1], h[0] * bn[n]), h[0] * bx[n]);
            }
        }
    }
    for (int n = 0; n < nd; n++) ex2 += (h[n + 1] - act[n]) * (h[n + 1] - act[n]);
    double s_isi = sqrt(sx2 * (pf + ex2));
    if (!full && 20 * log10(a_s / s_isi) < best) return -INFINITY;
    long so = (cur + 1) % M;
    if (so <= 1) so += M;
    double hj2 = lsi_com_quad(x, x->GD, (so - 1) % M, c) * (M / 2.0) * (M / 2.0);
    double s_j = sqrt(p->a_dd * p->a_dd + p->sigma_rj * p->sigma_rj) * sqrt(sx2) * sqrt(fmax(hj2, 0));
    double s_tx = h[0] * pow(10, -p->snr_tx / 20), xt2 = x->sigma_xt_next2;
    if (x->w_fext) {
        double ff = 0;
        for (size_t k = 0; k < x->nf_fext; k++) {
            double complex ht = 0;
            for (size_t t = 0; t < x->nt; t++)
                if (c[t] != 0) ht += c[t] * cexp(-I * 2 * M_PI * ((double)t - (double)x->cur) * x->f[k] / p->fb);
            ff += x->w_fext[k] * cabs(ht);
        }
        xt2 += ff;
    }
    double s_xt = sqrt(xt2 * sx2);
    double tot = sqrt(s_isi * s_isi + s_j * s_j + s_xt * s_xt + x->sigma_n * x->sigma_n + s_tx * s_tx);
    double fom = 20 * log10(a_s / tot);
    if (e) {
        e->fom = fom; e->a_s = a_s; e->s_isi = s_isi; e->s_j = s_j; e->s_xt = s_xt; e->s_tx = s_tx; e->cursor = cur;
        for (int n = 0; n < nd; n++) { e->bmax[n] = bx[n]; e->bmin[n] = bn[n]; e->dfe[n] = act[n] / h[0]; }
    }
    return fom;
}

static double sigma_n_of(const lsi_com_param *p, double gdc, double gdc2, const double *f, size_t nf)
{
    double s = 0;
    for (size_t k = 1; k < nf; k++) {
        double complex h = lsi_com_butterworth(f[k], p->f_r * p->fb) * lsi_com_ctle(p, gdc, gdc2, f[k]);
        s += creal(h * conj(h)) * (f[k] - f[k - 1]) / 1e9;
    }
    return sqrt(p->eta0 * s);
}

/* crosstalk: NEXT variance (FFE independent) and FEXT weights (times |H_txffe|) for one CTLE */
static void xtalk_prep(lsi_com_ctx *x, const lsi_com_chan *ch, size_t n_ch, const double *f, size_t nf, double gdc,
                       double gdc2)
{
    const lsi_com_param *p = x->p;
    size_t kf2 = nf - 1;
    for (size_t k = 0; k < nf; k++) if (f[k] > p->fb) { kf2 = k; break; }
    double df = nf > 10 ? f[10] - f[9] : f[1] - f[0], sn = 0;
    int has_fext = 0;
    for (size_t k = 0; k <= kf2; k++) {
        double ang = M_PI * f[k] / p->fb, sinc = f[k] == 0 ? 1 : sin(ang) / ang;
        double complex hc = lsi_com_ctle(p, gdc, gdc2, f[k]);
        double pn = 0, pf = 0;
        for (size_t i = 1; i < n_ch; i++) {
            double complex h = ch[i].h[k] * hc;
            double a2 = creal(h * conj(h));
            if (ch[i].type == 2) pn += a2; else { pf += a2; has_fext = 1; }
        }
        sn += p->a_ne * p->a_ne * sinc * sinc * pn;
        if (x->w_fext) x->w_fext[k] = 2 * df / p->f2 * p->a_fe * p->a_fe * sinc * sinc * pf;
    }
    x->sigma_xt_next2 = 2 * df / p->f2 * sn;
    x->nf_fext = has_fext ? kf2 + 1 : 0;
    if (!has_fext) x->nf_fext = 0;
}

static void finish(const lsi_com_ctx *x, const double *c, const evalr *e, lsi_com_eq *eq)
{
    const lsi_com_param *p = x->p;
    long M = x->M;
    eq->fom_db = e->fom; eq->a_s = e->a_s; eq->sigma_isi = e->s_isi; eq->sigma_j = e->s_j; eq->sigma_xt = e->s_xt;
    eq->sigma_tx = e->s_tx; eq->sigma_n = x->sigma_n;
    eq->n_tx = x->nt; eq->cur = x->cur;
    for (size_t k = 0; k < x->nt; k++) eq->txffe[k] = c[k];
    eq->cursor = (size_t)e->cursor;
    eq->ndfe = x->ndfe;
    for (int n = 0; n < x->ndfe; n++) { eq->use_bmax[n] = e->bmax[n]; eq->use_bmin[n] = e->bmin[n]; eq->dfe[n] = e->dfe[n]; }
    eq->n_sbr = x->Np;
    eq->sbr = malloc(x->Np * sizeof *eq->sbr);
    eq->h_j = malloc((x->Np / (size_t)M + 1) * sizeof *eq->h_j);
    if (!eq->sbr || !eq->h_j) return;
    for (size_t i = 0; i < x->Np; i++) eq->sbr[i] = lsi_com_smp(x, c, (long)i);
    long so = (e->cursor + 1) % M;
    if (so <= 1) so += M;
    eq->n_hj = 0;
    for (long i = so; i < (long)x->Np; i += M) eq->h_j[eq->n_hj++] = (eq->sbr[i] - eq->sbr[i - 2]) / 2 * (double)M;
    (void)p;
}

ls_status lsi_com_optimize(const lsi_com_param *p, const lsi_com_chan *ch, size_t n_ch, const double *f, size_t nf,
                           lsi_com_eq *eq, char *msg, size_t cap)
{
    memset(eq, 0, sizeof *eq);
    lsi_com_ctx x = {0};
    x.p = p; x.M = p->M; x.nt = p->n_pre + 1 + p->n_post; x.cur = p->n_pre; x.f = f;
    x.ndfe = p->n_bg > 0 ? p->n_f : p->n_b;
    const double *ir = ch[0].ir;
    size_t n_ir = ch[0].n_ir, Np = (n_ir + (size_t)p->M - 1) / (size_t)p->M * (size_t)p->M, w = 2 * x.nt - 1;
    x.P = calloc(Np, sizeof *x.P);
    x.G = calloc((size_t)p->M * w, sizeof *x.G);
    x.GD = calloc((size_t)p->M * w, sizeof *x.GD);
    x.w_fext = n_ch > 1 ? calloc(nf, sizeof *x.w_fext) : NULL;
    ls_status st = LS_OK;
    if (!x.P || !x.G || !x.GD || (n_ch > 1 && !x.w_fext)) { st = LS_ENOMEM; goto out; }
    double acc = 0, mx = -INFINITY;
    long init = 0;
    for (size_t i = 0; i < n_ir; i++) {
        acc += ir[i];
        if (i >= (size_t)p->M) acc -= ir[i - (size_t)p->M];
        if (acc > mx) { mx = acc; init = (long)i; }
    }
    x.pk0 = init - 20L * p->M < 0 ? 0 : init - 20L * p->M;
    x.pk1 = init + 20L * p->M > (long)n_ir - 1 ? (long)n_ir - 1 : init + 20L * p->M;
    x.w0 = x.pk0 - 6L * p->M < 0 ? 0 : x.pk0 - 6L * p->M;
    x.wn = x.pk1 + 4L * p->M - x.w0 + 1;
    if (x.w0 + x.wn > (long)Np) x.wn = (long)Np - x.w0;
    x.nblk = (x.wn + 31) / 32;
    x.Pw = malloc(x.nt * (size_t)x.wn * sizeof *x.Pw);
    x.bmx = malloc(x.nt * (size_t)x.nblk * sizeof *x.bmx);
    x.bmn = malloc(x.nt * (size_t)x.nblk * sizeof *x.bmn);
    if (!x.Pw || !x.bmx || !x.bmn || x.nblk > 4096) { st = LS_ENOMEM; goto out; }
    double best = -INFINITY, bc[NT] = {0};
    size_t bi = 0, bj = 0, evals = 0;
    for (size_t i = 0; i < p->n_gdc; i++)
        for (size_t j = 0; j < p->n_gdc2; j++) {
            st = lsi_com_prep_ctle(&x, ir, n_ir, p->gdc[i], p->gdc2[j]);
            if (st) goto out;
            x.sigma_n = sigma_n_of(p, p->gdc[i], p->gdc2[j], f, nf);
            x.sigma_xt_next2 = 0;
            x.nf_fext = 0;
            if (n_ch > 1) xtalk_prep(&x, ch, n_ch, f, nf, p->gdc[i], p->gdc2[j]);
            size_t ntap = p->n_pre + p->n_post, odo[LSI_COM_MAX_TXTAPS] = {0};
            for (;;) {
                double c[NT], sum = 0;
                for (size_t t = 0; t < ntap; t++) sum += fabs(p->tx_vals[t][odo[t]]);
                for (size_t t = 0; t < p->n_pre; t++) c[t] = p->tx_vals[t][odo[t]];
                c[p->n_pre] = 1 - sum;
                for (size_t t = 0; t < p->n_post; t++) c[p->n_pre + 1 + t] = p->tx_vals[p->n_pre + t][odo[p->n_pre + t]];
                if (c[p->n_pre] >= p->c0_min) {
                    evals++;
                    double fom = evaluate(&x, c, best, NULL, 0);
                    if (fom > best) { best = fom; bi = i; bj = j; memcpy(bc, c, sizeof bc); }
                }
                size_t t = ntap;
                int done = 1;
                while (t-- > 0) { if (++odo[t] < p->tx_n[t]) { done = 0; break; } odo[t] = 0; }
                if (done) break;
            }
        }
    if (!isfinite(best)) { if (msg) snprintf(msg, cap, "COM: equalization failed (no sampling point found)"); st = LS_EINVAL; goto out; }
    st = lsi_com_prep_ctle(&x, ir, n_ir, p->gdc[bi], p->gdc2[bj]);
    if (st) goto out;
    x.sigma_n = sigma_n_of(p, p->gdc[bi], p->gdc2[bj], f, nf);
    x.sigma_xt_next2 = 0; x.nf_fext = 0;
    if (n_ch > 1) xtalk_prep(&x, ch, n_ch, f, nf, p->gdc[bi], p->gdc2[bj]);
    evalr e;
    evaluate(&x, bc, -INFINITY, &e, 1);
    finish(&x, bc, &e, eq);
    eq->i_gdc = bi; eq->i_gdc2 = bj; eq->evals = evals;
    if (!eq->sbr || !eq->h_j) st = LS_ENOMEM;
out:
    free(x.P); free(x.G); free(x.GD); free(x.w_fext); free(x.Pw); free(x.bmx); free(x.bmn);
    return st;
}

void lsi_com_eq_free(lsi_com_eq *eq)
{
    free(eq->sbr); free(eq->h_j);
    eq->sbr = eq->h_j = NULL;
}

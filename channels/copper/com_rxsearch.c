/**
 * @file com_rxsearch.c
 * Equalizer search of the 802.3dj receiver (178A; docs/com.md "802.3dj receiver"): per CTLE
 * pair (g_DC, g_DC2) the Tx FFE grid is searched on a coarse lattice (every COARSE_DV = 0.04 of each tap's
 * value) from the previous pair's best grid point (line searches per tap and two-tap moves), and at each
 * Tx FFE the sampling point is the anchor (ts_anchor 1: pulse peak; 2: largest h(t) - h(t - UI)) moved by every offset of
 * sample_adjustment; at each sampling point the Rx FFE and DFE are the MMSE solution of
 * com_rxffe.c. The setting with the largest MMSE FOM decides. Unlike the 802.3ck search
 * (com_search.c, every grid point) this is a local search: the Tx FFE grid of the dj sets
 * (~10^6 points) times an MMSE solve per sampling point is out of reach otherwise. The POLISH_K
 * pairs the first pass ranks best are searched again by polish (the same search on the full grid), which
 * found the exhaustive grid's optimum where a steepest ascent stopped 0.27 dB short (docs/com.md
 * "802.3dj receiver"); still a local search, not a proven optimum. With dj_bound_check (tests)
 * each pair's FOM bound of com_rxbound.c is computed and every evaluated FOM checked against it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "com_internal.h"

#define NW LSI_COM_MAX_RXFFE
#define NT (LSI_COM_MAX_TXTAPS + 1)
#define NB LSI_COM_MAX_RXBOUND
#define POLISH_K 8 /* CTLE pairs given the full-resolution Tx FFE search (polish) */
#define COARSE_DV 0.04 /* the first pass's Tx FFE lattice spacing (tap value; 8 steps of the dj grids' 0.005) */

typedef struct {
    lsi_com_ctx *x;
    const lsi_com_param *p;
    lsi_com_rxspec s;
    double *Pc, *h, *hj;  /* FFE'd pulse [Np]; UI rows of the pulse and of its slope h_J [nq] */
    double *A, *AJ;       /* [M][nl] circular autocorrelations of those rows (no Tx FFE) per phase */
    double *CB;           /* [16][2][M][nl] the basis rows' cross-correlations */
    double *cosk;         /* [nf][NB] cos(2 pi f k / f_b) */
    double rth[NB], k_tx2, jit; /* thermal at lags 0..max(nw, bn) */
    int bn, bd, nth;      /* the bound's FFE (com_rxbound.c): taps, pre-cursor taps; thermal lags */
    long nq, nl;
    size_t evals;
    const lsi_com_chan *agg; /* crosstalk aggressors [nagg] (ch + 1) */
    size_t nagg;
    double *XA;           /* [nagg][M][nl] circular autocorrelations of each aggressor's CTLE'd pulse rows */
    double *ybuf;         /* scratch for an aggressor's impulse response through the CTLE */
    double rxt[NW];       /* crosstalk autocorrelation of the Tx FFE last evaluated */
    double cb, *pb;       /* dj_bound_check: bound of the current pair, of every pair [n_gdc][n_gdc2] (NaN: skipped) */
    size_t viol;          /* evaluations whose FOM exceeded cb */
} rxs;

typedef struct {
    double fom, e_isi, e_noise;
    long ts;
    double w[NW], b[LSI_COM_MAX_DFE];
} rxbest;

/* Pc = P with Tx FFE c: circular whole-UI shifts (as lsi_com_smp) */
static void ffe_pulse(const lsi_com_ctx *x, const double *c, double *Pc)
{
    long Np = (long)x->Np;
    memset(Pc, 0, (size_t)Np * sizeof *Pc);
    for (size_t k = 0; k < x->nt; k++) {
        if (c[k] == 0) continue;
        long sh = (((long)k - (long)x->cur) * x->M % Np + Np) % Np;
        for (long i = 0; i < Np; i++) { long j = i - sh; Pc[i] += c[k] * x->P[j < 0 ? j + Np : j]; }
    }
}

/* thermal noise autocorrelation at whole-UI lags: eta_0 int |H_r H_ctf|^2 cos(2 pi f k T) df (93A-35) */
static void thermal(rxs *r, double gdc, double gdc2, const double *f, size_t nf)
{
    const lsi_com_param *p = r->p;
    for (int k = 0; k < r->nth; k++) r->rth[k] = 0;
    for (size_t i = 1; i < nf; i++) {
        double complex h = lsi_com_hr(p, f[i]) * lsi_com_ctle(p, gdc, gdc2, f[i]);
        double g = creal(h * conj(h)) * (f[i] - f[i - 1]) / 1e9 * p->eta0;
        for (int k = 0; k < r->nth; k++) r->rth[k] += g * r->cosk[i * NB + (size_t)k];
    }
}

/* a[k] (k < nw) of the UI rows with Tx FFE c from the rows' own circular autocorrelation A[0..NL):
 * the Tx FFE is a circular whole-UI convolution, so a[k] = sum_m sum_n c_m c_n A[|k + m - n|] exactly */
static void acorr_ffe(const double *A, const double *c, int nt, int nw, double *a)
{
    for (int k = 0; k < nw; k++) {
        double s = 0;
        for (int m = 0; m < nt; m++) {
            if (c[m] == 0) continue;
            double t = 0;
            for (int n = 0; n < nt; n++) t += c[n] * A[abs(k + m - n)];
            s += c[m] * t;
        }
        a[k] = s;
    }
}

void lsi_com_xt_acorr(const double *xa, long M, long nl, const double *c, int nt, int nw, double varx, double *out)
{
    static const double one = 1;
    long bm = 0;
    double be = -1, t[1];
    if (!c) { c = &one; nt = 1; }
    for (long m = 0; m < M; m++) {
        acorr_ffe(xa + m * nl, c, nt, 1, t);
        if (t[0] > be) { be = t[0]; bm = m; }
    }
    acorr_ffe(xa + bm * nl, c, nt, nw, out);
    for (int k = 0; k < nw; k++) out[k] *= varx;
}

/* the crosstalk part of R_n for Tx FFE c: every aggressor at its own phase of largest energy, FEXT
 * with the victim's Tx FFE, NEXT without (as its PDF, 93A-42), into r->rxt */
static void xt_noise(rxs *r, const double *c)
{
    int nw = r->s.nw, nt = (int)r->x->nt;
    double t[NW];
    for (int k = 0; k < nw; k++) r->rxt[k] = 0;
    for (size_t a = 0; a < r->nagg; a++) {
        lsi_com_xt_acorr(r->XA + a * (size_t)r->x->M * (size_t)r->nl, r->x->M, r->nl, r->agg[a].type == 1 ? c : NULL, nt, nw,
                         r->s.varx, t);
        for (int k = 0; k < nw; k++) r->rxt[k] += t[k];
    }
}

/* best MMSE FOM of Tx FFE c over the sampling points (anchor + sample_adjustment) */
static double eval_c(rxs *r, const double *c, rxbest *out)
{
    const lsi_com_ctx *x = r->x;
    long M = x->M, pk = x->pk0, nw = r->s.nw, dw = r->s.dw, nb = r->s.nb, n = x->pk1 - x->pk0 + 1;
    lsi_com_fill(x, c, x->pk0, x->pk1, r->Pc);
    pk = x->pk0 + lsi_com_ts_anchor(r->p->ts_anchor, r->Pc, n, M);
    double best = -INFINITY;
    r->evals++;
    if (r->nagg) xt_noise(r, c);
    for (long off = r->p->sample_adj[0]; off <= r->p->sample_adj[1]; off++) {
        long ts = pk + off, ph = ts % M;
        if (ts < 1 || ts >= (long)x->Np - 1) continue;
        double a[NW], aj[NW], rn[NW], w[NW], b[LSI_COM_MAX_DFE], hw[NW + LSI_COM_MAX_DFE], ei, en;
        /* the UI samples the solution reads: cursor - (nw - 1 - dw) .. cursor + dw + nb */
        for (long j = 0; j < nw + nb; j++) hw[j] = lsi_com_smp(x, c, ts + (j - (nw - 1 - dw)) * M);
        acorr_ffe(r->A + ph * r->nl, c, (int)x->nt, (int)nw, a);
        acorr_ffe(r->AJ + ph * r->nl, c, (int)x->nt, (int)nw, aj);
        for (long k = 0; k < nw; k++) rn[k] = r->rth[k] + r->k_tx2 * r->A[ph * r->nl + k] + r->jit * aj[k] + r->rxt[k];
        double fom = lsi_com_rxffe_mmse(&r->s, hw, nw + nb, nw - 1 - dw, a, rn, w, b, &ei, &en);
        if (fom > r->cb + 1e-9) r->viol++; /* dj_bound_check: the pair's bound violated */
        if (fom > best) {
            best = fom;
            if (out) {
                out->fom = fom; out->e_isi = ei; out->e_noise = en; out->ts = ts;
                memcpy(out->w, w, sizeof w);
                memcpy(out->b, b, sizeof b);
            }
        }
    }
    return best;
}

/* upper bound of the pair's FOM over every Tx FFE and every sampling point eval_c can reach (com_rxbound.c):
 * NEXT in the noise, FEXT left out (its phase follows the Tx FFE; leaving it out only loosens) */
static double bound_pair(rxs *r)
{
    const lsi_com_ctx *x = r->x;
    long M = x->M, nl = r->nl;
    double rnx[NB] = {0}, t[NB];
    if (r->bn > NB || r->bn > nl || !(r->p->c0_min >= 0)) return INFINITY; /* c_0 < 0: sum |c| > 1, |C| <= 1 fails */
    for (size_t a = 0; a < r->nagg; a++) {
        if (r->agg[a].type == 1) continue;
        lsi_com_xt_acorr(r->XA + a * (size_t)M * (size_t)nl, M, nl, NULL, (int)x->nt, r->bn, r->s.varx, t);
        for (int k = 0; k < r->bn; k++) rnx[k] += t[k];
    }
    long ts0 = x->pk0 + r->p->sample_adj[0], ts1 = x->pk1 + r->p->sample_adj[1];
    ts0 = ts0 < 1 ? 1 : ts0;
    ts1 = ts1 > (long)x->Np - 2 ? (long)x->Np - 2 : ts1;
    return lsi_com_rx_pair_bound(x, &r->s, r->bn, r->bd, r->A, r->AJ, nl, r->rth, r->k_tx2, r->jit, rnx, ts0, ts1);
}

/* A local search from odo (updated) on the lattice of every st[t]-th value of tap t through odo[t]:
 * rounds of a line search over the lattice's values of each tap in turn, then the best move of one
 * tap by +-st[t] or of two taps by +-st each (a ridge single-tap moves cannot follow), until neither
 * improves the FOM. With st = 1 (polish) measured against the exhaustive Tx FFE grid of the chosen pair
 * (docs/com.md "802.3dj receiver"); the first pass runs it on the coarse lattice (COARSE_DV). */
static double lattice_search(rxs *r, size_t *odo, const size_t *st)
{
    const lsi_com_param *p = r->p;
    size_t ntap = p->n_pre + p->n_post;
    double c[NT], best = lsi_com_tx_setting(p, odo, c) ? eval_c(r, c, NULL) : -INFINITY;
    for (int round = 0; round < 1000; round++) {
        for (size_t t = 0; t < ntap; t++) { /* line search, tap by tap */
            size_t keep = odo[t], bv = keep;
            for (size_t v = keep % st[t]; v < p->tx_n[t]; v += st[t]) {
                if (v == keep) continue;
                odo[t] = v;
                if (lsi_com_tx_setting(p, odo, c)) {
                    double fo = eval_c(r, c, NULL);
                    if (fo > best) { best = fo; bv = v; }
                }
            }
            odo[t] = bv;
        }
        size_t bo[LSI_COM_MAX_TXTAPS], o[LSI_COM_MAX_TXTAPS];
        double bf = best;
        memcpy(bo, odo, sizeof bo);
        for (size_t t1 = 0; t1 < ntap; t1++) /* one or two taps by one step */
            for (size_t t2 = t1; t2 < ntap; t2++)
                for (int d1 = -1; d1 <= 1; d1++)
                    for (int d2 = -1; d2 <= 1; d2++) {
                        if ((t1 == t2 && d2) || (!d1 && !d2)) continue;
                        long v1 = (long)odo[t1] + d1 * (long)st[t1], v2 = (long)odo[t2] + d2 * (long)st[t2];
                        if (v1 < 0 || v1 >= (long)p->tx_n[t1] || v2 < 0 || v2 >= (long)p->tx_n[t2]) continue;
                        memcpy(o, odo, sizeof o);
                        o[t1] = (size_t)v1;
                        if (t2 != t1) o[t2] = (size_t)v2;
                        if (lsi_com_tx_setting(p, o, c)) {
                            double fo = eval_c(r, c, NULL);
                            if (fo > bf) { bf = fo; memcpy(bo, o, sizeof bo); }
                        }
                    }
        if (!(bf > best)) break;
        best = bf;
        memcpy(odo, bo, sizeof bo);
    }
    return best;
}

static double polish(rxs *r, size_t *odo)
{
    size_t one[LSI_COM_MAX_TXTAPS];
    for (size_t t = 0; t < LSI_COM_MAX_TXTAPS; t++)
        one[t] = 1;
    return lattice_search(r, odo, one);
}

/* circular cross-correlation sum_i u[i] v[(i + k) mod n] at lags 0..nl-1 */
static void ccorr(const double *u, const double *v, long n, long nl, double *A)
{
    for (long k = 0; k < nl; k++) {
        double s = 0;
        long i = 0;
        for (; i + k < n; i++) s += u[i] * v[i + k];
        for (; i < n; i++) s += u[i] * v[i + k - n];
        A[k] = s;
    }
}

/* the UI rows of phase ph of pulse P[0..Np) and of its slope (P[i+1] - P[i-1]) M / 2 */
static void rows(const double *P, long Np, long M, long ph, long nq, double *h, double *hj)
{
    for (long q = 0; q < nq; q++) {
        long u = ph + q * M;
        h[q] = P[u];
        hj[q] = (P[(u + 1) % Np] - P[(u - 1 + Np) % Np]) * (double)M / 2;
    }
}

/* The CTLE'd pulse is sum_u beta_u B_u over the four basis pulses of lsi_com_ctle_basis (beta =
 * 1, g2l, gl, gl g2l), so the rows' autocorrelations are sum_u sum_v beta_u beta_v C_uv with the
 * basis rows' cross-correlations C_uv, computed once per package case (exact, no approximation). */
static ls_status basis_corr(rxs *r)
{
    const lsi_com_ctx *x = r->x;
    long M = x->M, nq = r->nq, Np = nq * M, nl = r->nl;
    double *t = malloc(4 * (size_t)nq * sizeof *t);
    if (!t) return LS_ENOMEM;
    for (long ph = 0; ph < M; ph++)
        for (int u = 0; u < 4; u++) {
            rows(x->basis + (size_t)u * (size_t)Np, Np, M, ph, nq, t, t + nq);
            for (int v = 0; v < 4; v++) {
                rows(x->basis + (size_t)v * (size_t)Np, Np, M, ph, nq, t + 2 * nq, t + 3 * nq);
                ccorr(t, t + 2 * nq, nq, nl, r->CB + (((size_t)(u * 4 + v) * 2) * (size_t)M + (size_t)ph) * (size_t)nl);
                ccorr(t + nq, t + 3 * nq, nq, nl, r->CB + (((size_t)(u * 4 + v) * 2 + 1) * (size_t)M + (size_t)ph) * (size_t)nl);
            }
        }
    free(t);
    return LS_OK;
}

/* each aggressor's impulse response through the CTLE (the reference's filter, as its PDF), its pulse
 * (sum of M samples), the UI rows per phase and their circular autocorrelations into r->XA */
static void agg_corr(rxs *r, double gdc, double gdc2)
{
    const lsi_com_param *p = r->p;
    long M = r->x->M, nl = r->nl;
    for (size_t a = 0; a < r->nagg; a++) {
        const lsi_com_chan *c = &r->agg[a];
        size_t n = c->n_ir;
        long nq = (long)((n + (size_t)M - 1) / (size_t)M), Np = nq * M;
        double *y = r->ybuf, *P = y + n, *row = P + Np;
        memcpy(y, c->ir, n * sizeof *y);
        lsi_com_td_ctle(y, n, p->fb, (int)M, p->fz, p->fp1, p->fp2, gdc);
        if (p->f_lf > 0) lsi_com_td_ctle(y, n, p->fb, (int)M, p->f_lf, p->f_lf, 1e101, gdc2);
        double acc = 0;
        for (long i = 0; i < Np; i++) {
            if (i < (long)n) acc += y[i];
            if (i >= M && i - M < (long)n) acc -= y[i - M];
            P[i] = i < (long)n ? acc : 0;
        }
        for (long m = 0; m < M; m++) {
            for (long q = 0; q < nq; q++) row[q] = P[m + q * M];
            ccorr(row, row, nq, nl < nq ? nl : nq, r->XA + (a * (size_t)M + (size_t)m) * (size_t)nl);
            for (long k = nq; k < nl; k++) r->XA[(a * (size_t)M + (size_t)m) * (size_t)nl + (size_t)k] = 0;
        }
    }
}

static ls_status prep(rxs *r, const double *ir, size_t n_ir, size_t i, size_t j, const double *f, size_t nf)
{
    const lsi_com_param *p = r->p;
    lsi_com_ctx *x = r->x;
    ls_status st = lsi_com_prep_ctle(x, ir, n_ir, p->gdc[i], p->gdc2[j]);
    if (st) return st;
    if (r->nagg) agg_corr(r, p->gdc[i], p->gdc2[j]);
    thermal(r, p->gdc[i], p->gdc2[j], f, nf);
    double gl = pow(10, p->gdc[i] / 20), g2l = p->f_lf > 0 ? pow(10, p->gdc2[j] / 20) : 0;
    double beta[4] = {1, g2l, gl, gl * g2l};
    long M = x->M, nl = r->nl;
    for (long ph = 0; ph < M; ph++)
        for (int d = 0; d < 2; d++) {
            double *A = (d ? r->AJ : r->A) + ph * nl;
            for (long k = 0; k < nl; k++) A[k] = 0;
            for (int u = 0; u < 4; u++)
                for (int v = 0; v < 4; v++) {
                    double bb = beta[u] * beta[v];
                    if (bb == 0) continue;
                    const double *C = r->CB + (((size_t)(u * 4 + v) * 2 + (size_t)d) * (size_t)M + (size_t)ph) * (size_t)nl;
                    for (long k = 0; k < nl; k++) A[k] += bb * C[k];
                }
        }
    return LS_OK;
}

static void fill_eq(rxs *r, const double *c, const rxbest *bst, lsi_com_eq *eq)
{
    const lsi_com_param *p = r->p;
    lsi_com_ctx *x = r->x;
    int M = x->M;
    size_t Np = x->Np, nw = (size_t)r->s.nw, dw = (size_t)r->s.dw;
    lsi_com_pulse_full(x);
    ffe_pulse(x, c, r->Pc);
    double h0 = r->Pc[bst->ts], wv[NW];
    for (size_t k = 0; k < nw; k++) wv[k] = bst->w[k] * h0; /* equalized cursor = h0 (V) */
    eq->sbr = malloc(Np * sizeof *eq->sbr);
    eq->h_j = malloc((Np / (size_t)M + 1) * sizeof *eq->h_j);
    if (!eq->sbr || !eq->h_j) return;
    lsi_com_apply_rxffe(r->Pc, Np, M, wv, nw, dw, eq->sbr);
    eq->n_sbr = Np;
    eq->cursor = (size_t)bst->ts;
    eq->n_rx = nw; eq->rx_dw = dw;
    for (size_t k = 0; k < nw; k++) { eq->rxffe[k] = bst->w[k] / bst->w[dw]; eq->rx_wv[k] = wv[k]; }
    eq->n_tx = x->nt; eq->cur = x->cur;
    for (size_t k = 0; k < x->nt; k++) eq->txffe[k] = c[k];
    eq->ndfe = r->s.nb;
    for (int n = 0; n < r->s.nb; n++) { eq->use_bmax[n] = r->s.bmax[n]; eq->use_bmin[n] = r->s.bmin[n]; eq->dfe[n] = bst->b[n]; }
    double y = eq->sbr[eq->cursor], sn2 = 0, hj2 = 0;
    for (size_t a = 0; a < nw; a++)
        for (size_t b = 0; b < nw; b++) sn2 += wv[a] * wv[b] * r->rth[a > b ? a - b : b - a];
    long so = (long)(eq->cursor + 1) % M;
    if (so <= 1) so += M;
    eq->n_hj = 0;
    for (long i = so; i < (long)Np; i += M) {
        double v = (eq->sbr[i] - eq->sbr[i - 2]) / 2 * (double)M;
        eq->h_j[eq->n_hj++] = v;
        hj2 += v * v;
    }
    eq->fom_db = bst->fom;
    eq->a_s = p->r_lm * y / (p->L - 1);
    eq->sigma_n = sqrt(sn2);
    eq->sigma_tx = y * sqrt(r->k_tx2);
    eq->sigma_isi = sqrt(bst->e_isi) * y;
    eq->sigma_j = sqrt(r->jit * hj2);
    double sx2 = 0;
    for (size_t a = 0; a < nw; a++)
        for (size_t b = 0; b < nw; b++) sx2 += wv[a] * wv[b] * r->rxt[a > b ? a - b : b - a];
    eq->sigma_xt = sqrt(fmax(sx2, 0)); /* the crosstalk the MMSE saw (the COM uses its PDF, 93A-42) */
}

ls_status lsi_com_rx_search(lsi_com_ctx *x, const lsi_com_chan *ch, size_t n_ch, const double *f, size_t nf, lsi_com_eq *eq)
{
    const lsi_com_param *p = x->p;
    const double *ir = ch[0].ir;
    size_t n_ir = ch[0].n_ir;
    rxs r = {0};
    r.x = x; r.p = p;
    r.agg = ch + 1; r.nagg = n_ch > 1 ? n_ch - 1 : 0;
    r.s.nw = (int)(p->n_rxpre + 1 + p->n_rxpost); r.s.dw = (int)p->n_rxpre; r.s.nb = p->n_b; r.s.L = p->L;
    if (r.s.nw > NW) return LS_EINVAL;
    r.s.varx = (p->L * p->L - 1.0) / (3.0 * (p->L - 1) * (p->L - 1));
    r.s.r_lm = p->r_lm; r.s.pre1 = p->rx_pre1_max; r.s.post1 = p->rx_post1_max; r.s.tapn = p->rx_tapn_max; r.s.step = p->rx_step;
    for (int n = 0; n < p->n_b; n++) { r.s.bmin[n] = p->bmin[n]; r.s.bmax[n] = p->bmax[n]; }
    r.k_tx2 = pow(10, -p->snr_tx / 10);
    r.cb = INFINITY;
    if (p->dj_bound_check) {
        if (!(r.pb = malloc(p->n_gdc * p->n_gdc2 * sizeof *r.pb))) return LS_ENOMEM;
        for (size_t k = 0; k < p->n_gdc * p->n_gdc2; k++) r.pb[k] = NAN;
    }
    int lo = (int)x->cur, hi = (int)x->cur; /* the Tx FFE taps that can be non-zero */
    for (size_t t = 0; t < p->n_pre + p->n_post; t++)
        for (size_t v = 0; v < p->tx_n[t]; v++) {
            int k = (int)t + (t >= p->n_pre); /* index in c (c_0 at cur = n_pre) */
            if (p->tx_vals[t][v] != 0) { lo = k < lo ? k : lo; hi = k > hi ? k : hi; }
        }
    r.bn = r.s.nw + hi - lo; r.bd = r.s.dw + (int)x->cur - lo;
    r.nth = r.bn <= NB ? (r.bn > r.s.nw ? r.bn : r.s.nw) : r.s.nw;
    r.jit = (p->a_dd * p->a_dd + p->sigma_rj * p->sigma_rj) * r.s.varx;
    size_t Np = (n_ir + (size_t)p->M - 1) / (size_t)p->M * (size_t)p->M;
    r.nq = (long)(Np / (size_t)p->M);
    r.Pc = malloc(Np * sizeof *r.Pc);
    r.h = malloc(2 * (size_t)r.nq * sizeof *r.h);
    r.nl = r.s.nw + 2 * (long)x->nt;
    r.A = malloc(2 * (size_t)p->M * (size_t)r.nl * sizeof *r.A);
    ls_status st = LS_OK;
    if (!r.Pc || !r.h || !r.A) { st = LS_ENOMEM; goto out; }
    r.AJ = r.A + (size_t)p->M * (size_t)r.nl;
    r.CB = malloc(32 * (size_t)p->M * (size_t)r.nl * sizeof *r.CB);
    r.cosk = malloc(nf * NB * sizeof *r.cosk);
    if (!r.CB || !r.cosk || !x->basis) { st = LS_ENOMEM; goto out; }
    if ((st = basis_corr(&r))) goto out;
    if (r.nagg) {
        size_t mx = 0;
        for (size_t a = 0; a < r.nagg; a++) mx = r.agg[a].n_ir > mx ? r.agg[a].n_ir : mx;
        r.XA = malloc(r.nagg * (size_t)p->M * (size_t)r.nl * sizeof *r.XA);
        r.ybuf = malloc((3 * mx + 2 * (size_t)p->M) * sizeof *r.ybuf);
        if (!r.XA || !r.ybuf) { st = LS_ENOMEM; goto out; }
    }
    for (size_t i = 0; i < nf; i++)
        for (int k = 0; k < r.nth; k++) r.cosk[i * NB + (size_t)k] = cos(2 * M_PI * f[i] * k / p->fb);
    r.hj = r.h + r.nq;
    size_t coarse[LSI_COM_MAX_TXTAPS]; /* the first pass's lattice: every COARSE_DV of tap value */
    for (size_t t = 0; t < LSI_COM_MAX_TXTAPS; t++) {
        const double dv = t < p->n_pre + p->n_post && p->tx_n[t] > 1 ? fabs(p->tx_vals[t][1] - p->tx_vals[t][0]) : 0;
        coarse[t] = dv > 0 ? (size_t)fmax(1.0, floor(COARSE_DV / dv + 0.5)) : 1;
    }
    size_t odo[LSI_COM_MAX_TXTAPS] = {0}, bodo[LSI_COM_MAX_TXTAPS] = {0}, bi = 0, bj = 0;
    for (size_t t = 0; t < p->n_pre + p->n_post; t++)
        for (size_t v = 0; v < p->tx_n[t]; v++)
            if (fabs(p->tx_vals[t][v]) < fabs(p->tx_vals[t][odo[t]])) odo[t] = v;
    double best = -INFINITY;
    /* the first pass's POLISH_K best pairs (FOM, CTLE indices, Tx FFE grid point) */
    struct { double fom; size_t i, j, odo[LSI_COM_MAX_TXTAPS]; } top[POLISH_K];
    size_t ntop = 0;
    for (size_t i = 0; i < p->n_gdc; i++)
        for (size_t j = 0; j < p->n_gdc2; j++) {
            if (!lsi_com_gqual_ok(p, p->gdc[i], p->gdc2[j])) continue;
            if ((st = prep(&r, ir, n_ir, i, j, f, nf))) goto out;
            if (r.pb) r.cb = r.pb[i * p->n_gdc2 + j] = bound_pair(&r);
            double fo = lattice_search(&r, odo, coarse);
            if (fo > best) { best = fo; bi = i; bj = j; memcpy(bodo, odo, sizeof odo); }
            size_t k = ntop < POLISH_K ? ntop++ : POLISH_K;
            if (k == POLISH_K && !(fo > top[POLISH_K - 1].fom)) continue;
            if (k == POLISH_K) k = POLISH_K - 1;
            for (; k > 0 && fo > top[k - 1].fom; k--) top[k] = top[k - 1];
            top[k].fom = fo; top[k].i = i; top[k].j = j;
            memcpy(top[k].odo, odo, sizeof odo);
        }
    for (size_t k = 0; k < ntop && isfinite(top[k].fom); k++) { /* the stronger search on the best pairs */
        if ((st = prep(&r, ir, n_ir, top[k].i, top[k].j, f, nf))) goto out;
        if (r.pb) r.cb = r.pb[top[k].i * p->n_gdc2 + top[k].j];
        double fo = polish(&r, top[k].odo);
        if (fo > best) { best = fo; bi = top[k].i; bj = top[k].j; memcpy(bodo, top[k].odo, sizeof bodo); }
    }
    eq->evals = r.evals;
    eq->search_local = 0; /* one Tx FFE point: every CTLE pair and sampling offset evaluated, nothing left out */
    for (size_t t = 0; t < p->n_pre + p->n_post; t++)
        eq->search_local |= p->tx_n[t] > 1;
    eq->bound_pairs = eq->bound_dominated = 0;
    eq->bound_all = NAN;
    for (size_t k = 0; r.pb && k < p->n_gdc * p->n_gdc2; k++) /* dj_bound_check: pairs the bound proves dominated */
        if (!isnan(r.pb[k])) {
            eq->bound_pairs++;
            eq->bound_dominated += r.pb[k] <= best;
            eq->bound_all = isnan(eq->bound_all) ? r.pb[k] : fmax(eq->bound_all, r.pb[k]);
        }
    if (r.pb) { r.cb = r.pb[bi * p->n_gdc2 + bj]; eq->bound_fom = r.cb; eq->ub_violations = r.viol; }
    if (!isfinite(best)) { eq->failed = 1; goto out; }
    if ((st = prep(&r, ir, n_ir, bi, bj, f, nf))) goto out;
    double c[NT];
    rxbest bst;
    memset(&bst, 0, sizeof bst);
    (void)lsi_com_tx_setting(p, bodo, c);
    eval_c(&r, c, &bst);
    eq->i_gdc = bi; eq->i_gdc2 = bj;
    fill_eq(&r, c, &bst, eq);
    if (!eq->sbr || !eq->h_j) st = LS_ENOMEM;
out:
    free(r.pb); free(r.Pc); free(r.h); free(r.A); free(r.CB); free(r.cosk); free(r.XA); free(r.ybuf);
    return st;
}


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
#include "ls_fastmath.h"

#define NT (LSI_COM_MAX_TXTAPS + 1)


typedef lsi_com_evalr evalr;

static inline double dmax(double a, double b) { return a > b ? a : b; }
static inline double dmin(double a, double b) { return a < b ? a : b; }

/* 20 log10(a_s / sqrt(var)) < thr_db (the threshold's power ratio cached in x) */
static inline int below(lsi_com_ctx *x, double a_s, double var, double thr_db)
{
    if (thr_db != x->thr_db) { x->thr_db = thr_db; x->thr_lin = pow(10, thr_db / 10); }
    return a_s * a_s < x->thr_lin * var;
}

/* A lower bound of the DFE residual energy (before the floating-tap placement): the fixed taps'
 * clipping exactly; in the floating span the residual without a tap, less the k = n_bg n_bf largest
 * reductions a floating tap could make there, v = h^2 - (|h| - bmaxg h0)+^2 (the banks cover at most
 * that many positions; the RSS limit only adds residual). With `quick` the sum of the k largest is
 * replaced by its upper bound sum_i (v_i - tau)+ + k tau, which holds for every tau (the k largest
 * minus tau are at most their positive parts, at most all positive parts) and is exact when tau is the
 * k-th largest: tau is the last exact call's k-th largest (*tau, updated by the exact call), close to
 * this one's as the search moves one tap at a time. Branch-free; the exact selection only follows when
 * the quick bound does not already prune. */
static double dfe_residual_lb(const lsi_com_param *p, const double *h, int nd, const double *bx, const double *bn,
                              int quick, double *tau)
{
    double lb = 0, top[LSI_COM_MAX_DFE + 1], tmin = 0, g = p->bmaxg * h[0];
    int nt = 0, at = 0, ntop = p->n_bg > 0 ? p->n_bg * p->n_bf : 0;
    if (ntop > LSI_COM_MAX_DFE) ntop = LSI_COM_MAX_DFE;
    int nfix = p->n_b < nd ? p->n_b : nd;
    for (int n = 0; n < nfix; n++) {
        double r = h[n + 1] - dmin(dmax(h[n + 1], h[0] * bn[n]), h[0] * bx[n]);
        lb += r * r;
    }
    if (quick) {
        double t = *tau, s = 0;
        for (int n = nfix; n < nd; n++) {
            double r = dmax(fabs(h[n + 1]) - g, 0), h2 = h[n + 1] * h[n + 1];
            lb += h2;
            s += dmax(h2 - r * r - t, 0);
        }
        return ntop ? dmax(lb - s - ntop * t, 0) : lb;
    }
    for (int n = nfix; n < nd; n++) {
        double r = dmax(fabs(h[n + 1]) - g, 0), v = h[n + 1] * h[n + 1] - r * r;
        lb += h[n + 1] * h[n + 1];
        /* the ntop largest reductions, unsorted in top[0..nt) with the smallest, tmin, at
         * top[at]: most taps of the span are below it and cost one comparison; a larger one
         * replaces it and the smallest is found again (no shifting of a sorted list) */
        if (!ntop || (nt == ntop && !(v > tmin))) continue;
        if (nt < ntop) top[nt++] = v;
        else top[at] = v;
        if (nt < ntop) continue;
        at = 0;
        for (int q = 1; q < nt; q++) at = top[q] < top[at] ? q : at;
        tmin = top[at];
    }
    *tau = nt == ntop ? tmin : 0;
    for (int t = 0; t < nt; t++) lb -= top[t];
    return dmax(lb, 0);
}

/* C2M (T_O and Min_VEO_Test given): the reference's first eye test, the Gaussian eye estimate
 * EH_1st = 2 (A_s - Q^-1(DER_0) sigma_total) > Min_VEO_Test - 1 mV; with var a lower bound of
 * sigma_total^2 a failure is already certain */
static inline int eh_1st_ok(const lsi_com_ctx *x, double a_s, double var)
{
    return 2 * (a_s - x->q_der0 * sqrt(var)) > x->p->min_veo - 1e-3;
}

/*
 * FOM of Tx FFE c at the current CTLE (93A-36). When !full, the setting is abandoned as soon as an
 * upper bound of its FOM falls below `best` (returns -INFINITY): the bounds leave out terms that
 * can only add noise (sigma_XT; the DFE residual beyond its exact lower bound), so no setting whose
 * FOM could reach `best` is dropped. `best` already carries a margin for rounding.
 */
LSI_SIMD_CLONES static double evaluate(lsi_com_ctx *x, const double *c, double best, evalr *e, int full)
{
    const lsi_com_param *p = x->p;
    long cur = lsi_com_cursor_mm(x, c, &x->hint), M = x->M;
    if (cur < 0) return -INFINITY;
    int nd = x->ndfe;
    double h[LSI_COM_MAX_DFE + 1];
    lsi_com_fill_ui(x, c, cur, nd + 1, h);
    double a_s = p->r_lm * h[0] / (p->L - 1), sx2 = (double)(p->L * p->L - 1) / (3.0 * (p->L - 1) * (p->L - 1));
    double E = lsi_com_quad(x, x->G, cur % M, c), win = 0;
    for (int n = 0; n <= nd; n++) if (cur + n * M < (long)x->Np) win += h[n] * h[n];
    double pf = dmax(E - win, 0);
    double s_tx = h[0] * x->k_tx, var0 = x->sigma_n * x->sigma_n + s_tx * s_tx;
    if (!full && (!(a_s > 0) || below(x, a_s, sx2 * pf + var0, best))) return -INFINITY;
    if (x->veo_gate && !eh_1st_ok(x, a_s, sx2 * pf + var0)) return -INFINITY; /* the floor fails already */
    long so = (cur + 1) % M;
    if (so <= 1) so += M;
    double hj2 = lsi_com_quad(x, x->GD, (so - 1) % M, c) * (M / 2.0) * (M / 2.0);
    double s_j = sqrt(p->a_dd * p->a_dd + p->sigma_rj * p->sigma_rj) * sqrt(sx2) * sqrt(dmax(hj2, 0));
    var0 += s_j * s_j;
    double bx[LSI_COM_MAX_DFE], bn[LSI_COM_MAX_DFE];
    for (int n = 0; n < p->n_b; n++) { bx[n] = p->bmax[n]; bn[n] = p->bmin[n]; }
    for (int n = p->n_b; n < nd; n++) bx[n] = bn[n] = 0;
    if (!full && p->n_bg > 0 &&
        below(x, a_s, sx2 * (pf + dfe_residual_lb(p, h, nd, bx, bn, 1, &x->lb_tau)) + var0, best))
        return -INFINITY;
    if (!full && below(x, a_s, sx2 * (pf + dfe_residual_lb(p, h, nd, bx, bn, 0, &x->lb_tau)) + var0, best))
        return -INFINITY;
    if (x->veo_gate && !eh_1st_ok(x, a_s, sx2 * (pf + dfe_residual_lb(p, h, nd, bx, bn, 0, &x->lb_tau)) + var0))
        return -INFINITY;
    if (p->n_bg > 0) {
        int idx[LSI_COM_MAX_DFE];
        lsi_com_findbank(h + 1, p->n_b + 1, p->n_f, p->n_bf, h[0], p->bmaxg, p->n_bg, idx);
        for (int k = 0; k < p->n_bg * p->n_bf; k++)
            if (idx[k] >= 1 && idx[k] <= nd) { bx[idx[k] - 1] = p->bmaxg; bn[idx[k] - 1] = -p->bmaxg; }
    }
    double act[LSI_COM_MAX_DFE], ex2 = 0;
    for (int n = 0; n < nd; n++) act[n] = dmin(dmax(h[n + 1], h[0] * bn[n]), h[0] * bx[n]);
    if (p->n_tail_start > 0 && nd >= p->n_tail_start) {
        double rss = 0;
        for (int n = p->n_tail_start - 1; n < nd; n++) rss += (act[n] / h[0]) * (act[n] / h[0]);
        rss = sqrt(rss);
        if (rss != 0 && rss >= p->b_float_rss_max) {
            for (int n = p->n_tail_start - 1; n < nd; n++) {
                double d = fabs(act[n] / h[0]);
                bx[n] = p->b_float_rss_max * d / rss;
                bn[n] = -p->b_float_rss_max * d / rss;
                act[n] = dmin(dmax(h[n + 1], h[0] * bn[n]), h[0] * bx[n]);
            }
        }
    }
    for (int n = 0; n < nd; n++) ex2 += (h[n + 1] - act[n]) * (h[n + 1] - act[n]);
    double s_isi = sqrt(sx2 * (pf + ex2));
    double xt2 = x->sigma_xt_next2;
    if (x->w_fext) {
        double ff = 0;
        for (size_t k = 0; k < x->nf_fext; k++) ff += x->w_fext[k] * lsi_com_xt_txw(p, x->f[k], c, x->nt, x->cur);
        xt2 += ff;
    }
    double s_xt = sqrt(xt2 * sx2);
    double tot = sqrt(s_isi * s_isi + s_j * s_j + s_xt * s_xt + x->sigma_n * x->sigma_n + s_tx * s_tx);
    if (x->veo_gate && !eh_1st_ok(x, a_s, tot * tot)) return -INFINITY;
    double fom = 20 * log10(a_s / tot);
    if (e) {
        e->fom = fom; e->a_s = a_s; e->s_isi = s_isi; e->s_j = s_j; e->s_xt = s_xt; e->s_tx = s_tx; e->cursor = cur;
        for (int n = 0; n < nd; n++) { e->bmax[n] = bx[n]; e->bmin[n] = bn[n]; e->dfe[n] = act[n] / h[0]; }
    }
    return fom;
}

/* sigma_N (93A-35) as a function of the CTLE: |H_ctf|^2 = |gl + j f/f_z|^2 |g2l + j f/f_LF|^2 / |den|^2
 * = (gl^2 + a^2)(g2l^2 + b^2)/|den|^2 (a = f/f_z, b = f/f_LF; the second factor is 1 without the
 * f_LF stage), so eta_0 int |H_r H_ctf|^2 df is a combination of four sums over the grid, formed
 * once per package case: s[0] weights gl^2 g2l^2, s[1] gl^2, s[2] g2l^2, s[3] 1 */
static void sigma_n_sums(const lsi_com_param *p, const double *f, size_t nf, double s[4])
{
    s[0] = s[1] = s[2] = s[3] = 0;
    for (size_t k = 1; k < nf; k++) {
        double complex hr = lsi_com_hr(p, f[k]);
        double a = f[k] / p->fz, b = p->f_lf > 0 ? f[k] / p->f_lf : 0;
        double complex den = (1 + I * f[k] / p->fp1) * (1 + I * f[k] / p->fp2);
        if (p->f_lf > 0) den *= 1 + I * b;
        double w = creal(hr * conj(hr)) / creal(den * conj(den)) * (f[k] - f[k - 1]) / 1e9;
        if (p->f_lf > 0) { s[0] += w; s[1] += w * b * b; s[2] += w * a * a; s[3] += w * a * a * b * b; }
        else { s[1] += w; s[3] += w * a * a; }
    }
}

static double sigma_n_of(const lsi_com_param *p, const double s[4], double gdc, double gdc2)
{
    double g1 = pow(10, gdc / 10), g2 = p->f_lf > 0 ? pow(10, gdc2 / 10) : 0;
    return sqrt(p->eta0 * dmax(g1 * g2 * s[0] + g1 * s[1] + g2 * s[2] + s[3], 0));
}

/* The reference script's get_xtlk_noise (its lines 7844-7938, the crosstalk term of the FOM): over the grid up to and
   including the first point above f_b (all of it when none is), sigma_XT^2 = varX 2 df / f2 sum_f PWF_data
   (A_ne^2 sum |H_next|^2 + A_fe^2 sum |H_fext|^2 |PWF_tx|), H the aggressors through the CTLE, PWF_data =
   sinc^2(pi f / f_b), PWF_tx the Tx FFE's response (its magnitude, not squared, as there) */
size_t lsi_com_xt_last(const lsi_com_param *p, const double *f, size_t nf)
{
    for (size_t k = 0; k < nf; k++) if (f[k] > p->fb) return k;
    return nf - 1;
}

double lsi_com_xt_pwf(const lsi_com_param *p, double f, double df)
{
    double ang = M_PI * f / p->fb, sinc = f == 0 ? 1 : sin(ang) / ang;
    return 2 * df / p->f2 * sinc * sinc;
}

double lsi_com_xt_txw(const lsi_com_param *p, double f, const double *c, size_t nt, size_t cur)
{
    double complex ht = 0;
    for (size_t t = 0; t < nt; t++)
        if (c[t] != 0) ht += c[t] * cexp(-I * 2 * M_PI * ((double)t - (double)cur) * f / p->fb);
    return cabs(ht);
}

/* crosstalk: NEXT variance (FFE independent) and FEXT weights (times |H_txffe|) for one CTLE */
static void xtalk_prep(lsi_com_ctx *x, const lsi_com_chan *ch, size_t n_ch, const double *f, size_t nf, double gdc,
                       double gdc2)
{
    const lsi_com_param *p = x->p;
    size_t kf2 = lsi_com_xt_last(p, f, nf);
    double df = nf > 10 ? f[10] - f[9] : f[1] - f[0], sn = 0;
    int has_fext = 0;
    for (size_t k = 0; k <= kf2; k++) {
        double pwf = lsi_com_xt_pwf(p, f[k], df);
        double complex hc = lsi_com_ctle(p, gdc, gdc2, f[k]);
        double pn = 0, pf = 0;
        for (size_t i = 1; i < n_ch; i++) {
            double complex h = ch[i].h[k] * hc;
            double a2 = creal(h * conj(h));
            if (ch[i].type == 2) pn += a2; else { pf += a2; has_fext = 1; }
        }
        sn += p->a_ne * p->a_ne * pwf * pn;
        if (x->w_fext) x->w_fext[k] = p->a_fe * p->a_fe * pwf * pf;
    }
    x->sigma_xt_next2 = sn;
    x->nf_fext = has_fext ? kf2 + 1 : 0;
    if (!has_fext) x->nf_fext = 0;
}

void lsi_com_finish(lsi_com_ctx *x, const double *c, const lsi_com_evalr *e, lsi_com_eq *eq)
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
    lsi_com_pulse_full(x);
    for (size_t i = 0; i < x->Np; i++) eq->sbr[i] = lsi_com_smp(x, c, (long)i);
    long so = (e->cursor + 1) % M;
    if (so <= 1) so += M;
    eq->n_hj = 0;
    for (long i = so; i < (long)x->Np; i += M) eq->h_j[eq->n_hj++] = (eq->sbr[i] - eq->sbr[i - 2]) / 2 * (double)M;
    (void)p;
}

double lsi_com_eval_full(lsi_com_ctx *x, const double *c, lsi_com_evalr *e)
{
    return evaluate(x, c, -INFINITY, e, 1);
}

ls_status lsi_com_ctle_setup(lsi_com_ctx *x, const lsi_com_chan *ch, size_t n_ch, const double *f, size_t nf,
                             const double *ns, size_t i, size_t j)
{
    const lsi_com_param *p = x->p;
    ls_status st = lsi_com_prep_ctle(x, ch[0].ir, ch[0].n_ir, p->gdc[i], p->gdc2[j]);
    if (st) return st;
    x->sigma_n = sigma_n_of(p, ns, p->gdc[i], p->gdc2[j]);
    x->sigma_xt_next2 = 0;
    x->nf_fext = 0;
    if (n_ch > 1) xtalk_prep(x, ch, n_ch, f, nf, p->gdc[i], p->gdc2[j]);
    return LS_OK;
}

/* coordinate search over the Tx FFE grid from odo (updated to the best point found): the FOM of
 * a grid point, a lower bound of the grid's maximum for this CTLE */
static double local_seed(lsi_com_ctx *x, size_t *odo)
{
    const lsi_com_param *p = x->p;
    size_t ntap = p->n_pre + p->n_post;
    double c[NT], best = -INFINITY;
    if (lsi_com_tx_setting(p, odo, c)) best = evaluate(x, c, -INFINITY, NULL, 0);
    for (int sweep = 0, moved = 1; moved && sweep < 8; sweep++) {
        moved = 0;
        for (size_t t = 0; t < ntap; t++) {
            size_t keep = odo[t], bv = keep;
            for (size_t v = 0; v < p->tx_n[t]; v++) {
                if (v == keep) continue;
                odo[t] = v;
                if (!lsi_com_tx_setting(p, odo, c)) continue;
                double f = evaluate(x, c, best, NULL, 0);
                if (f > best) { best = f; bv = v; }
            }
            odo[t] = bv;
            moved |= bv != keep;
        }
    }
    return best;
}

ls_status lsi_com_optimize(const lsi_com_param *p, const lsi_com_chan *ch, size_t n_ch, const double *f, size_t nf,
                           lsi_com_eq *eq, char *msg, size_t cap)
{
    memset(eq, 0, sizeof *eq);
    (void)msg; (void)cap;
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
    x.wn = x.pk1 + (4L + x.ndfe) * p->M - x.w0 + 1; /* the DFE span after the latest cursor too */
    if (x.w0 + x.wn > (long)Np) x.wn = (long)Np - x.w0;
    x.nblk = (x.wn + 31) / 32;
    x.Pw = malloc(x.nt * (size_t)x.wn * sizeof *x.Pw);
    x.bmx = malloc(x.nt * (size_t)x.nblk * sizeof *x.bmx);
    x.bmn = malloc(x.nt * (size_t)x.nblk * sizeof *x.bmn);
    x.nsblk = (x.nblk + 7) / 8;
    x.nu = x.wn / p->M;
    x.Pu = malloc(x.nt * (size_t)p->M * (size_t)x.nu * sizeof *x.Pu);
    if (!x.Pu) { st = LS_ENOMEM; goto out; }
    x.sbmx = malloc(x.nt * (size_t)x.nsblk * sizeof *x.sbmx);
    x.sbmn = malloc(x.nt * (size_t)x.nsblk * sizeof *x.sbmn);
    x.k_tx = pow(10, -p->snr_tx / 20);
    x.hint = x.pk0;
    x.thr_db = -INFINITY;
    x.basis = malloc(4 * Np * sizeof *x.basis);
    if (!x.basis || lsi_com_ctle_basis(p, ir, n_ir, Np, x.basis)) { st = LS_ENOMEM; goto out; }
    x.thr_lin = 0;
    if (!x.sbmx || !x.sbmn) { st = LS_ENOMEM; goto out; }
    if (!x.Pw || !x.bmx || !x.bmn || x.nblk > 4096) { st = LS_ENOMEM; goto out; }
    if (p->n_rxpre + p->n_rxpost > 0) { /* 802.3dj receiver: Rx FFE by MMSE (com_rxsearch.c) */
        st = lsi_com_rx_search(&x, ch, n_ch, f, nf, eq);
        goto out;
    }
    double best = -INFINITY, bc[NT] = {0}, gseed = -INFINITY, ns[4];
    size_t bi = 0, bj = 0, evals = 0, seed_odo[LSI_COM_MAX_TXTAPS] = {0};
    for (size_t t = 0; t < p->n_pre + p->n_post; t++)
        for (size_t v = 0; v < p->tx_n[t]; v++)
            if (fabs(p->tx_vals[t][v]) < fabs(p->tx_vals[t][seed_odo[t]])) seed_odo[t] = v;
    sigma_n_sums(p, f, nf, ns);
    /* C2M eye floor (Min_VEO_Test with T_O): the search without it first; when its optimum meets the
     * floor it is also the optimum of the floored search (the floor only removes settings), else
     * the search again with the floor, and when nothing meets it, the first result (warned) */
    int want_gate = p->c2m && p->t_o > 0 && p->min_veo > 0;
    double ub_best = -INFINITY, ubc[NT] = {0};
    size_t ubi = 0, ubj = 0;
    x.veo_gate = 0;
    x.q_der0 = want_gate ? lsi_com_qinv(p->der0) : 0;
    if (want_gate && p->c2m_eye_fom && p->c2m_search) {
        /* the reference's C2M FOM (com_c2msearch.c, C2M_eye_FOM = 1); when no setting passes its two eye
         * tests, the 93A-36 search without them (lanesim's rule, warned) */
        int found = 0;
        st = p->c2m_search(&x, ch, n_ch, f, nf, ns, eq, &found);
        if (st || found) goto out;
        eq->veo_relaxed = 1;
        want_gate = 0;
    }
search:
    /* pass 0: a good FOM of every CTLE first (a coordinate search over the Tx FFE grid per CTLE):
     * the largest is a grid point's FOM, a lower bound of the optimum, so pass 1 prunes every
     * setting against it from the first CTLE on, and still decides the optimum exactly in the
     * reference's loop order (the first setting with the largest FOM) */
    for (int pass = p->exhaustive ? 1 : 0; pass < 2; pass++)
        for (size_t i = 0; i < p->n_gdc; i++)
            for (size_t j = 0; j < p->n_gdc2; j++) {
                if (!lsi_com_gqual_ok(p, p->gdc[i], p->gdc2[j])) continue;
                st = lsi_com_prep_ctle(&x, ir, n_ir, p->gdc[i], p->gdc2[j]);
                if (st) goto out;
                x.sigma_n = sigma_n_of(p, ns, p->gdc[i], p->gdc2[j]);
                x.sigma_xt_next2 = 0;
                x.nf_fext = 0;
                if (n_ch > 1) xtalk_prep(&x, ch, n_ch, f, nf, p->gdc[i], p->gdc2[j]);
                if (pass == 0) { gseed = dmax(gseed, local_seed(&x, seed_odo)); continue; }
                size_t ntap = p->n_pre + p->n_post, odo[LSI_COM_MAX_TXTAPS] = {0};
                for (;;) {
                    double c[NT];
                    if (lsi_com_tx_setting(p, odo, c)) {
                        evals++;
                        double fom = evaluate(&x, c, dmax(best, gseed) - 1e-9, NULL, p->exhaustive);
                        if (fom > best) { best = fom; bi = i; bj = j; memcpy(bc, c, sizeof bc); }
                    }
                    size_t t = ntap;
                    int done = 1;
                    while (t-- > 0) { if (++odo[t] < p->tx_n[t]) { done = 0; break; } odo[t] = 0; }
                    if (done) break;
                }
            }
    if (want_gate && !x.veo_gate && isfinite(best)) {
        st = lsi_com_prep_ctle(&x, ir, n_ir, p->gdc[bi], p->gdc2[bj]);
        if (st) goto out;
        x.sigma_n = sigma_n_of(p, ns, p->gdc[bi], p->gdc2[bj]);
        x.sigma_xt_next2 = 0; x.nf_fext = 0;
        if (n_ch > 1) xtalk_prep(&x, ch, n_ch, f, nf, p->gdc[bi], p->gdc2[bj]);
        evalr e0;
        x.veo_gate = 1;
        if (!isfinite(evaluate(&x, bc, -INFINITY, &e0, 1))) { /* the optimum fails the floor */
            ub_best = best; ubi = bi; ubj = bj; memcpy(ubc, bc, sizeof ubc);
            best = gseed = -INFINITY;
            goto search;
        }
    } else if (want_gate && x.veo_gate && !isfinite(best) && isfinite(ub_best)) {
        /* no setting meets the C2M eye floor: the optimum without it (lanesim's rule; warned) */
        x.veo_gate = 0;
        eq->veo_relaxed = 1;
        best = ub_best; bi = ubi; bj = ubj; memcpy(bc, ubc, sizeof bc);
    }
    /* no setting has a sampling point: a channel that cannot be equalized fails COM (not bad input) */
    if (!isfinite(best)) { eq->failed = 1; eq->evals = evals; goto out; }
    st = lsi_com_prep_ctle(&x, ir, n_ir, p->gdc[bi], p->gdc2[bj]);
    if (st) goto out;
    x.sigma_n = sigma_n_of(p, ns, p->gdc[bi], p->gdc2[bj]);
    x.sigma_xt_next2 = 0; x.nf_fext = 0;
    if (n_ch > 1) xtalk_prep(&x, ch, n_ch, f, nf, p->gdc[bi], p->gdc2[bj]);
    evalr e;
    memset(&e, 0, sizeof e);
    evaluate(&x, bc, -INFINITY, &e, 1);
    lsi_com_finish(&x, bc, &e, eq);
    eq->i_gdc = bi; eq->i_gdc2 = bj; eq->evals = evals;
    if (!eq->sbr || !eq->h_j) st = LS_ENOMEM;
out:
    free(x.P); free(x.G); free(x.GD); free(x.w_fext); free(x.Pw); free(x.bmx); free(x.bmn); free(x.sbmx); free(x.sbmn); free(x.Pu); free(x.basis); free(x.CG);
    return st;
}

void lsi_com_eq_free(lsi_com_eq *eq)
{
    free(eq->sbr); free(eq->h_j);
    eq->sbr = eq->h_j = NULL;
}

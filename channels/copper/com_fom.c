/**
 * @file com_fom.c
 * The equalizer search of COM (IEEE 802.3 Annex 93A.1.6): for every CTLE setting (g_DC, g_DC2)
 * and every Tx FFE setting of the configuration's grid with c(0) >= c(0)_min, the figure of merit
 * FOM = 20 log10(A_s / sqrt(sigma_ISI^2 + sigma_J^2 + sigma_XT^2 + sigma_N^2 + sigma_TX^2)) (93A-36)
 * at the Mueller-Mueller sampling point (93A-25) with the DFE (93A-27) is evaluated; the setting
 * with the largest FOM is kept (first one on ties, in the reference's loop order).
 *
 * Speed without skipping settings: the Tx FFE is a sum of whole-UI shifts of the CTLE pulse, so
 * the energy of the pulse at one sampling phase, and the energy of the jitter derivative at that
 * phase, are quadratic forms c' G c with 9x9-at-most Gram matrices computed once per CTLE setting
 * (exact for circular shifts). Only the samples that the cursor search, the DFE and the floating
 * taps read are formed explicitly. A setting whose ISI alone already gives a FOM below the best is
 * abandoned (the other noise terms can only lower it): the optimum is kept exactly.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "com_internal.h"
#include "ls_fastmath.h"

#define NT (LSI_COM_MAX_TXTAPS + 1)

ls_status lsi_com_eq_pulse(const double *ir, size_t n_ir, int M, const double *c, size_t n_c, size_t cur, double **out,
                           size_t *n_out)
{
    size_t Np = (n_ir + (size_t)M - 1) / (size_t)M * (size_t)M;
    double *P = calloc(Np, sizeof *P), *s = calloc(Np, sizeof *s);
    if (!P || !s) { free(P); free(s); return LS_ENOMEM; }
    double acc = 0;
    for (size_t i = 0; i < n_ir; i++) {
        acc += ir[i];
        if (i >= (size_t)M) acc -= ir[i - (size_t)M];
        P[i] = acc;
    }
    for (size_t k = 0; k < n_c; k++) {
        if (c[k] == 0) continue;
        long sh = ((long)k - (long)cur) * M;
        for (size_t i = 0; i < Np; i++) {
            long j = ((long)i - sh) % (long)Np;
            if (j < 0) j += (long)Np;
            s[i] += c[k] * P[j];
        }
    }
    free(P);
    *out = s;
    *n_out = Np;
    return LS_OK;
}

/* stable descending order of v[0..n-1] into idx: by (value descending, index ascending), the
 * order a stable sort of the identity gives; bottom-up merge sort (n <= LSI_COM_MAX_DFE + 16) */
void lsi_com_sort_desc(const double *v, size_t n, int *idx)
{
    int tmp[LSI_COM_MAX_DFE + 16], *a = idx, *b = tmp;
    for (size_t i = 0; i < n; i++) idx[i] = (int)i;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n, i = lo, j = mid, k = lo;
            while (i < mid && j < hi) b[k++] = v[a[j]] > v[a[i]] ? a[j++] : a[i++];
            while (i < mid) b[k++] = a[i++];
            while (j < hi) b[k++] = a[j++];
        }
        int *t = a; a = b; b = t;
    }
    if (a != idx) memcpy(idx, a, n * sizeof *idx);
}

/* (value descending, index ascending): the order sort_desc gives (values are never NaN here) */
static inline int before(const double *v, int a, int b) { return v[a] > v[b] || (v[a] == v[b] && a < b); }

/* vs <- the sort_desc order of v[0..n-1], given vs holding it for v before the entries listed in
 * dl[0..ndl) changed (entries at or beyond the old length are among them): the unchanged entries keep
 * their relative order, so the changed ones, sorted among themselves, are merged in. The order is a
 * total one, so the result is sort_desc's, element for element, in O(n) instead of O(n log n). */
void lsi_com_resort(const double *v, int n, int *vs, int n_old, int *dl, int ndl, unsigned char *dirty)
{
    int keep[LSI_COM_MAX_DFE + 16], nk = 0;
    for (int i = 0; i < n_old; i++) if (!dirty[vs[i]]) keep[nk++] = vs[i];
    for (int i = 1; i < ndl; i++) { /* insertion sort of the few changed entries */
        int e = dl[i], j = i;
        for (; j > 0 && before(v, e, dl[j - 1]); j--) dl[j] = dl[j - 1];
        dl[j] = e;
    }
    int a = 0, b = 0, k = 0;
    while (a < nk && b < ndl) vs[k++] = before(v, dl[b], keep[a]) ? dl[b++] : keep[a++];
    while (a < nk) vs[k++] = keep[a++];
    while (b < ndl) vs[k++] = dl[b++];
    for (int i = 0; i < ndl; i++) dirty[dl[i]] = 0;
    (void)n;
}

void lsi_com_findbank(const double *hisi, int idx_st, int idx_en, int bank, double curval, double bmaxg, int n_bg,
                      int *idx)
{
    int len = idx_en - idx_st + 1, nd = len - bank + 1, cap = len + 2 * bank + 2;
    double nd_v[LSI_COM_MAX_DFE + 16];
    int vs[LSI_COM_MAX_DFE + 16];
    if (nd < 1 || cap > LSI_COM_MAX_DFE + 16) { for (int k = 0; k < n_bg * bank; k++) idx[k] = idx_st + k; return; }
    for (int i = 0; i < cap; i++) nd_v[i] = 0;
    for (int i = 0; i < nd; i++) {
        double e0 = 0, e1 = 0;
        for (int j = 0; j < bank; j++) {
            double h0 = fabs(hisi[idx_st - 1 + i + j]), h1 = curval < 0 ? 0 : fmax(0, h0 - bmaxg * curval);
            e0 += h0 * h0; e1 += h1 * h1;
        }
        nd_v[i] = e0 - e1;
    }
    int n = nd; /* current length of ndiff (grows when the reference writes past it) */
    for (int k = 0; k < n_bg * bank; k++) idx[k] = 0;
    int set_next = 0;
    /* the entries changed since the last sort (SORT re-sorts incrementally, resort()) */
    unsigned char dirty[LSI_COM_MAX_DFE + 16] = {0};
    int dl[LSI_COM_MAX_DFE + 16], ndl = 0, n_sorted = -1;
#define MARK(i) do { if (!dirty[i]) { dirty[i] = 1; dl[ndl++] = (i); } } while (0)
#define SETND(pos, val) do { int p_ = (pos); if (p_ >= 1) { if (p_ > n) { for (int q_ = n; q_ < p_; q_++) { nd_v[q_] = 0; MARK(q_); } n = p_; } nd_v[p_ - 1] = (val); MARK(p_ - 1); } } while (0)
#define SORT() do { if (n_sorted < 0) lsi_com_sort_desc(nd_v, (size_t)n, vs); else lsi_com_resort(nd_v, n, vs, n_sorted, dl, ndl, dirty); \
                    n_sorted = n; ndl = 0; } while (0)
    for (int k = 1; k <= n_bg; k++) {
        SORT();
        if (k == 1) {
            int m = (n_bg - 1) * bank + 1, ok = m <= n;
            for (int a = 0; ok && a < m; a++) ok = vs[a] + 1 <= m;
            if (ok) { for (int a = 0; a < n_bg * bank; a++) idx[a] = a + 1; break; }
        }
        int nb1, bad[64], nbad = 0;
        if (set_next > 0) {
            nb1 = set_next; set_next = 0;
            for (int j = 0; j < bank; j++) { idx[bank * (k - 1) + j] = nb1 + j; SETND(nb1 + j, -INFINITY); }
            for (int b = nb1 - bank + 1; b <= nb1 - 1; b++) if (b >= 1) SETND(b, -INFINITY);
            continue;
        }
        nb1 = vs[0] + 1;
        if (k == n_bg) { for (int j = 0; j < bank; j++) idx[bank * (k - 1) + j] = nb1 + j; break; }
        int again = 1, first = 1, loops = 0;
        while (again) {
            again = 0;
            if (loops > n) break;
            nbad = 0;
            for (int b = nb1 - bank + 1; b <= nb1 - 1; b++) {
                if (b < 1) continue;
                int inidx = 0;
                for (int q = 0; q < n_bg * bank; q++) inidx |= idx[q] == b;
                if (!inidx && nbad < 64) bad[nbad++] = b;
            }
            int good = nb1 - bank;
            if (nbad) {
                if (!first) SORT();
                first = 0;
                int minpos = 1 << 30, ii, found = 0;
                for (int j = 0; j < nbad; j++)
                    for (int q = 0; q < n; q++) if (vs[q] + 1 == bad[j] && q + 1 < minpos) minpos = q + 1;
                for (ii = 1; ii <= n; ii++) {
                    int v = vs[ii - 1] + 1, inchk = 0;
                    if (v == good) { found = 1; break; }
                    for (int j = 0; j < nbad; j++) inchk |= v == bad[j];
                    for (int j = 0; j < bank; j++) inchk |= v == nb1 + j;
                    if (!inchk) break;
                }
                if (!found && minpos < ii) { again = 1; SETND(nb1, -INFINITY); nb1 = vs[1] + 1; }
                if (found) set_next = good;
            }
            loops++;
        }
        for (int j = 0; j < bank; j++) { SETND(nb1 + j, -INFINITY); idx[bank * (k - 1) + j] = nb1 + j; }
        for (int j = 0; j < nbad; j++) SETND(bad[j], -INFINITY);
    }
#undef SETND
#undef SORT
#undef MARK
    for (int k = 0; k < n_bg * bank; k++) idx[k] += idx_st - 1;
}


/* samples i0..i1 (inclusive) of the FFE'd pulse into out[]: from the pre-shifted window where it
 * covers them (one contiguous multiply-add per tap), else sample by sample */
LSI_SIMD_CLONES void lsi_com_fill(const lsi_com_ctx *x, const double *c, long i0, long i1, double *out)
{
    if (x->Pw && i0 >= x->w0 && i1 < x->w0 + x->wn) {
        size_t n = (size_t)(i1 - i0 + 1), off = (size_t)(i0 - x->w0);
        const double *p0 = x->Pw + off;
        for (size_t i = 0; i < n; i++) out[i] = c[0] * p0[i];
        for (size_t k = 1; k < x->nt; k++) {
            const double *pk = x->Pw + k * (size_t)x->wn + off;
            double ck = c[k];
            if (ck != 0)
                for (size_t i = 0; i < n; i++) out[i] += ck * pk[i];
        }
        return;
    }
    for (long i = i0; i <= i1; i++) out[i - i0] = lsi_com_smp(x, c, i);
}

LSI_SIMD_CLONES void lsi_com_fill_ui(const lsi_com_ctx *x, const double *c, long i, long n, double *out)
{
    long off = i - x->w0, M = x->M;
    if (x->Pu && off >= 0 && off / M + n <= x->nu) {
        const double *p0 = x->Pu + ((size_t)(off % M) * x->nt) * (size_t)x->nu + (size_t)(off / M);
        for (long j = 0; j < n; j++) out[j] = c[0] * p0[j];
        for (size_t k = 1; k < x->nt; k++) {
            const double *pk = p0 + k * (size_t)x->nu;
            double ck = c[k];
            if (ck != 0)
                for (long j = 0; j < n; j++) out[j] += ck * pk[j];
        }
        return;
    }
    for (long j = 0; j < n; j++) out[j] = lsi_com_smp(x, c, i + j * M);
}

LSI_SIMD_CLONES long lsi_com_mm_argmin(const double *h, long M, double b1)
{
    double m[2 * LSI_COM_MAX_M + 1], best = INFINITY;
    long n = 2 * M + 1, at = 0;
    for (long i = 0; i < n; i++) {
        double d = h[i + 2 * M] - b1 * h[i + M];
        d = d > 0 ? d : 0;
        m[i] = fabs(h[i] - d);
    }
    /* the minimum in four independent chains (exact in any order), then its first index */
    double b4[4] = {best, best, best, best};
    long i = 0;
    for (; i + 4 <= n; i += 4)
        for (int u = 0; u < 4; u++) b4[u] = m[i + u] < b4[u] ? m[i + u] : b4[u];
    for (; i < n; i++) b4[0] = m[i] < b4[0] ? m[i] : b4[0];
    for (int u = 0; u < 4; u++) best = b4[u] < best ? b4[u] : best;
    for (i = 0; i < n; i++) if (m[i] == best) { at = i; break; }
    return at;
}

/* sample j of the CTLE'd pulse: from x->P where it was formed, else from the basis pulses */
static inline double pval(const lsi_com_ctx *x, long j)
{
    long Np = (long)x->Np, o = j - x->p_lo;
    if (o < 0) o += Np;
    if (o < x->p_len || !x->basis) return x->P[j];
    const double *b = x->basis;
    return x->p_gl * x->p_g2l * b[3 * Np + j] + x->p_gl * b[2 * Np + j] + x->p_g2l * b[Np + j] + b[j];
}

void lsi_com_pulse_full(lsi_com_ctx *x)
{
    if (!x->basis || x->p_len >= (long)x->Np) return;
    for (long j = 0; j < (long)x->Np; j++) x->P[j] = pval(x, j);
    x->p_lo = 0;
    x->p_len = (long)x->Np;
}

double lsi_com_smp(const lsi_com_ctx *x, const double *c, long i)
{
    if (i < 0 || (size_t)i >= x->Np) return 0;
    double s = 0;
    if (x->Pw && i >= x->w0 && i < x->w0 + x->wn) {
        for (size_t k = 0; k < x->nt; k++) s += c[k] * x->Pw[k * (size_t)x->wn + (size_t)(i - x->w0)];
        return s;
    }
    for (size_t k = 0; k < x->nt; k++) {
        if (c[k] == 0) continue;
        long j = (i - ((long)k - (long)x->cur) * x->M) % (long)x->Np;
        if (j < 0) j += (long)x->Np;
        s += c[k] * pval(x, j);
    }
    return s;
}

double lsi_com_quad(const lsi_com_ctx *x, const double *G, long r, const double *c)
{
    size_t w = 2 * x->nt - 1;
    const double *g = G + (size_t)r * w;
    double s = 0;
    for (size_t a = 0; a < x->nt; a++)
        for (size_t b = 0; b < x->nt; b++) s += c[a] * c[b] * g[(size_t)((long)a - (long)b + (long)x->nt - 1)];
    return s;
}

static ls_status preshift(lsi_com_ctx *x);

/* CG: circular cross-correlations at lags 0..nt-1 of the UI rows of the four basis pulses and of
 * their central differences, per phase (lsi_com_ctx.CG) */
static ls_status basis_gram(lsi_com_ctx *x)
{
    long M = x->M, Np = (long)x->Np, nq = Np / M;
    double *t = malloc(4 * (size_t)nq * sizeof *t);
    if (!t) return LS_ENOMEM;
    for (int d = 0; d < 2; d++)
        for (long r = 0; r < M; r++)
            for (int u = 0; u < 4; u++)
                for (int v = 0; v < 4; v++) {
                    const double *bu = x->basis + (size_t)u * (size_t)Np, *bv = x->basis + (size_t)v * (size_t)Np;
                    for (long q = 0; q < nq; q++) {
                        long i = r + q * M;
                        t[q] = d ? bu[(i + 1) % Np] - bu[(i - 1 + Np) % Np] : bu[i];
                        t[nq + q] = d ? bv[(i + 1) % Np] - bv[(i - 1 + Np) % Np] : bv[i];
                    }
                    for (size_t l = 0; l < x->nt; l++) {
                        long ll = (long)l % nq;
                        double s = 0;
                        for (long q = 0; q < nq; q++) s += t[q] * t[nq + (q + ll < nq ? q + ll : q + ll - nq)];
                        x->CG[(((size_t)(u * 4 + v) * 2 + (size_t)d) * (size_t)M + (size_t)r) * x->nt + l] = s;
                    }
                }
    free(t);
    return LS_OK;
}

ls_status lsi_com_prep_ctle(lsi_com_ctx *x, const double *ir, size_t n_ir, double gdc, double gdc2)
{
    const lsi_com_param *p = x->p;
    int M = x->M;
    x->Np = (n_ir + (size_t)M - 1) / (size_t)M * (size_t)M;
    if (x->basis && !x->CG) {
        x->CG = malloc(32 * (size_t)M * x->nt * sizeof *x->CG);
        if (!x->CG) return LS_ENOMEM;
        ls_status st = basis_gram(x);
        if (st) return st;
    }
    if (x->basis) {
        /* the CTLE is affine in each stage's DC gain: P = gl g2l P11 + gl P10 + g2l P01 + P00 */
        double gl = pow(10, gdc / 20), g2l = p->f_lf > 0 ? pow(10, gdc2 / 20) : 0;
        const double *b = x->basis;
        long Np = (long)x->Np;
        /* only the samples preshift copies (every tap's shift of the search window); the others
         * come from the basis when read (pval), or all of them by lsi_com_pulse_full */
        long lo = x->w0 - ((long)x->nt - 1 - (long)x->cur) * M, len = x->wn + ((long)x->nt - 1) * M;
        if (!x->Pw || len >= Np) { lo = 0; len = Np; }
        lo %= Np;
        if (lo < 0) lo += Np;
        x->p_lo = lo; x->p_len = len; x->p_gl = gl; x->p_g2l = g2l;
        for (long t = 0, i = lo; t < len; t++, i = i + 1 == Np ? 0 : i + 1)
            x->P[i] = gl * g2l * b[3 * Np + i] + gl * b[2 * Np + i] + g2l * b[Np + i] + b[i];
    } else {
        x->p_lo = 0; x->p_len = (long)x->Np;
        double *y = malloc(n_ir * sizeof *y);
        if (!y) return LS_ENOMEM;
        memcpy(y, ir, n_ir * sizeof *y);
        lsi_com_td_ctle(y, n_ir, p->fb, M, p->fz, p->fp1, p->fp2, gdc);
        if (p->f_lf > 0) lsi_com_td_ctle(y, n_ir, p->fb, M, p->f_lf, p->f_lf, 1e101, gdc2);
        memset(x->P, 0, x->Np * sizeof *x->P);
        double acc = 0;
        for (size_t i = 0; i < n_ir; i++) { acc += y[i]; if (i >= (size_t)M) acc -= y[i - (size_t)M]; x->P[i] = acc; }
        free(y);
    }
    size_t w = 2 * x->nt - 1, Np = x->Np, nq = Np / (size_t)M;
    if (x->basis && x->CG) {
        /* the pulse is sum_u beta_u B_u (beta = 1, g2l, gl, gl g2l), so each Gram entry is
         * sum_u sum_v beta_u beta_v C_uv with the basis rows' cross-correlations C_uv (exact) */
        double gl = pow(10, gdc / 20), g2l = p->f_lf > 0 ? pow(10, gdc2 / 20) : 0, beta[4] = {1, g2l, gl, gl * g2l};
        for (int d = 0; d < 2; d++)
            for (int r = 0; r < M; r++)
                for (size_t l = 0; l < x->nt; l++) {
                    double s = 0;
                    for (int u = 0; u < 4; u++)
                        for (int v = 0; v < 4; v++)
                            if (beta[u] * beta[v] != 0)
                                s += beta[u] * beta[v] * x->CG[(((size_t)(u * 4 + v) * 2 + (size_t)d) * (size_t)M + (size_t)r) * x->nt + l];
                    double *g = d ? x->GD : x->G;
                    g[(size_t)r * w + x->nt - 1 + l] = g[(size_t)r * w + x->nt - 1 - l] = s;
                }
        return preshift(x);
    }
    /* Gram matrices per phase r: the samples r, r + M, ... form a circular sequence of length
     * Np/M, and a whole-UI lag d keeps the phase, so G[r][d] is its circular autocorrelation
     * (symmetric in d); GD the same for the central difference P[i+1] - P[i-1] */
    double *q = malloc((2 * nq + Np) * sizeof *q);
    if (!q) return LS_ENOMEM;
    double *qd = q + nq, *D = qd + nq;
    for (size_t u = 1; u + 1 < Np; u++) D[u] = x->P[u + 1] - x->P[u - 1];
    D[0] = x->P[1 % Np] - x->P[Np - 1];
    D[Np - 1] = x->P[0] - x->P[(Np + Np - 2) % Np];
    for (int r = 0; r < M; r++) {
        for (size_t j = 0; j < nq; j++) {
            q[j] = x->P[(size_t)r + j * (size_t)M];
            qd[j] = D[(size_t)r + j * (size_t)M];
        }
        for (size_t l = 0; l < x->nt; l++) {
            /* four partial sums each (independent chains); the order is fixed, so results do
             * not depend on the machine */
            double s4[4] = {0, 0, 0, 0}, d4[4] = {0, 0, 0, 0};
            size_t ll = l % nq, j = 0, e = nq - ll;
            for (; j + 4 <= e; j += 4)
                for (int m = 0; m < 4; m++) { s4[m] += q[j + m] * q[j + m + ll]; d4[m] += qd[j + m] * qd[j + m + ll]; }
            for (; j < e; j++) { s4[0] += q[j] * q[j + ll]; d4[0] += qd[j] * qd[j + ll]; }
            for (j = e; j < nq; j++) { s4[1] += q[j] * q[j + ll - nq]; d4[1] += qd[j] * qd[j + ll - nq]; }
            double s = (s4[0] + s4[1]) + (s4[2] + s4[3]), sd = (d4[0] + d4[1]) + (d4[2] + d4[3]);
            x->G[(size_t)r * w + x->nt - 1 + l] = x->G[(size_t)r * w + x->nt - 1 - l] = s;
            x->GD[(size_t)r * w + x->nt - 1 + l] = x->GD[(size_t)r * w + x->nt - 1 - l] = sd;
        }
    }
    free(q);
    return preshift(x);
}

/* the pre-shifted pulses over the cursor-search window, with per-block bounds */
static ls_status preshift(lsi_com_ctx *x)
{
    long M = x->M, Np = (long)x->Np;
    for (size_t k = 0; k < x->nt; k++) {
        double *pw = x->Pw + k * (size_t)x->wn;
        long src = (x->w0 - ((long)k - (long)x->cur) * M) % Np;
        if (src < 0) src += Np;
        for (long i = 0; i < x->wn; i++) {
            pw[i] = x->P[src];
            if (++src == Np) src = 0;
        }
        for (long b = 0; b < x->nblk; b++) {
            double hi = -INFINITY, lo = INFINITY;
            for (long i = b * 32; i < (b + 1) * 32 && i < x->wn; i++) { hi = fmax(hi, pw[i]); lo = fmin(lo, pw[i]); }
            x->bmx[k * (size_t)x->nblk + (size_t)b] = hi;
            x->bmn[k * (size_t)x->nblk + (size_t)b] = lo;
        }
        for (long r = 0; x->Pu && r < M; r++) {
            double *pu = x->Pu + ((size_t)r * x->nt + k) * (size_t)x->nu;
            for (long j = 0; j < x->nu; j++) pu[j] = r + j * M < x->wn ? pw[r + j * M] : 0;
        }
        for (long sbk = 0; x->sbmx && sbk < x->nsblk; sbk++) {
            double hi = -INFINITY, lo = INFINITY;
            for (long b = sbk * 8; b < (sbk + 1) * 8 && b < x->nblk; b++) {
                hi = fmax(hi, x->bmx[k * (size_t)x->nblk + (size_t)b]);
                lo = fmin(lo, x->bmn[k * (size_t)x->nblk + (size_t)b]);
            }
            x->sbmx[k * (size_t)x->nsblk + (size_t)sbk] = hi;
            x->sbmn[k * (size_t)x->nsblk + (size_t)sbk] = lo;
        }
    }
    return LS_OK;
}

/**
 * @file com_rxbound.c
 * An upper bound of the 802.3dj MMSE FOM (com_rxffe.c) over every Tx FFE of a CTLE pair
 * (docs/com.md, "802.3dj receiver", "Bound per CTLE pair").
 *
 * For a Tx FFE c with sum |c_k| = 1 (c_0 = 1 - sum_{k != 0} |c_k| >= 0, the grid's rule) and an Rx
 * FFE w, the combined g = c * w (N_w + N_c - 1 taps, pre-cursor span the sum of both) applied to the
 * pulse without the Tx FFE gives the same cursor, ISI and DFE terms (the Tx FFE is a whole-UI
 * convolution). A noise term whose autocorrelation passes through c in the model (jitter h_J, FEXT)
 * is g' R g; one that does not (thermal, Tx noise, NEXT) has a non-negative spectrum S and
 * w' R w = int |W|^2 S >= int |C W|^2 S = g' R g since |C(f)| <= sum |c_k| = 1. Hence the error of
 * every (c, w, b) with b in the DFE box is >= the minimum over (g, b in the box) of
 *   e(g, b) = varX (g' A g - 1 - 2 b' Hb g + b' b) + g' R g,   h0' g = 1,
 * with A, h0, Hb those of the pulse without Tx FFE, and FOM = 20 log10(R_LM / ((L - 1) sqrt(e)))
 * decreases with e. The Rx FFE tap limits and the tap quantisation are dropped (a relaxation).
 * The minimum is exact for N_b <= 4: every pattern of DFE taps (free, at b_min, at b_max) is solved
 * with the fixed taps at their limits and the others free (equality-constrained, closed form); the
 * true optimum is the solution of its own pattern (convex problem, KKT), so it is the smallest error
 * over the patterns whose free taps fall inside the box. N_b > 4: the DFE limits are dropped too.
 */
#include <math.h>
#include <stdlib.h>

#include "com_internal.h"

#define NB LSI_COM_MAX_RXBOUND

double lsi_com_rxffe_bound(const lsi_com_rxspec *s, int n, int d, const double *h, long nh, long dh, const double *a,
                           const double *rn)
{
    int nb = s->nb, exact = nb <= 4, npat = 1;
    double Q[NB * NB], h0[NB], hb[4][NB], y[NB], z[NB], zz[NB], g[NB], best = INFINITY;
    if (n < 1 || n > NB || nb > LSI_COM_MAX_DFE) return INFINITY;
    if (exact) for (int l = 0; l < nb; l++) npat *= 3;
    int any = 0;
    for (int k = 0; k < n; k++) {
        h0[k] = lsi_com_hget(h, nh, dh + d - k);
        any |= h0[k] != 0;
        for (int l = 0; l < nb && l < 4; l++) hb[l][k] = lsi_com_hget(h, nh, dh + d + l + 1 - k);
    }
    if (!any) return -INFINITY; /* no FFE has a unit cursor here (lsi_com_rxffe_mmse: -inf too) */
    for (int pat = 0; pat < npat; pat++) {
        int st[4] = {0}; /* 0 free, 1 at b_min, 2 at b_max */
        for (int l = 0, q = pat; exact && l < nb; l++, q /= 3) st[l] = q % 3;
        double bf[4] = {0}, bb = 0;
        for (int i = 0; i < n; i++) {
            z[i] = 0;
            for (int j = 0; j < n; j++) Q[i * n + j] = a[abs(i - j)] + rn[abs(i - j)] / s->varx;
        }
        if (!exact) { /* DFE limits dropped: every tap free, Hb' Hb over all N_b rows */
            for (int l = 0; l < nb; l++)
                for (int i = 0; i < n; i++) {
                    double ri = lsi_com_hget(h, nh, dh + d + l + 1 - i);
                    for (int j = 0; j < n; j++) Q[i * n + j] -= ri * lsi_com_hget(h, nh, dh + d + l + 1 - j);
                }
        } else
            for (int l = 0; l < nb; l++) {
                if (st[l]) {
                    bf[l] = st[l] == 1 ? s->bmin[l] : s->bmax[l];
                    bb += bf[l] * bf[l];
                    for (int i = 0; i < n; i++) z[i] += hb[l][i] * bf[l];
                } else
                    for (int i = 0; i < n; i++)
                        for (int j = 0; j < n; j++) Q[i * n + j] -= hb[l][i] * hb[l][j];
            }
        if (!lsi_com_chol(Q, n)) return INFINITY; /* no bound */
        lsi_com_chol_solve(Q, n, h0, y);
        lsi_com_chol_solve(Q, n, z, zz);
        double p = 0, q = 0;
        for (int k = 0; k < n; k++) { p += h0[k] * zz[k]; q += h0[k] * y[k]; }
        if (!(q > 0)) return INFINITY;
        double mu = (1 - p) / q, isi = -1 + bb, nse = 0;
        for (int k = 0; k < n; k++) g[k] = zz[k] + mu * y[k];
        int ok = 1;
        for (int l = 0; exact && l < nb; l++) {
            double v = 0;
            for (int k = 0; k < n; k++) v += hb[l][k] * g[k];
            if (st[l]) isi -= 2 * bf[l] * v;
            else {
                ok &= v >= s->bmin[l] && v <= s->bmax[l];
                isi -= v * v;
            }
        }
        if (!ok) continue;
        for (int l = 0; !exact && l < nb; l++) {
            double v = 0;
            for (int k = 0; k < n; k++) v += lsi_com_hget(h, nh, dh + d + l + 1 - k) * g[k];
            isi -= v * v;
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) { isi += g[i] * g[j] * a[abs(i - j)]; nse += g[i] * g[j] * rn[abs(i - j)]; }
        double e = s->varx * isi + nse;
        if (e < best) best = e;
        if (pat == 0) break; /* the unconstrained optimum is inside the box: the minimum */
    }
    if (!(best > 0)) return INFINITY;
    return 20 * log10(s->r_lm / ((s->L - 1) * sqrt(best)));
}

double lsi_com_rx_pair_bound(const lsi_com_ctx *x, const lsi_com_rxspec *s, int n, int d, const double *A, const double *AJ,
                             long nl, const double *rth, double k_tx2, double jit, const double *rnx, long ts0, long ts1)
{
    double unit[LSI_COM_MAX_TXTAPS + 1] = {0}, hw[NB + LSI_COM_MAX_DFE], rn[NB], best = -INFINITY;
    long M = x->M, nb = s->nb;
    if (n > NB || n > nl) return INFINITY;
    unit[x->cur] = 1;
    for (long ts = ts0; ts <= ts1; ts++) {
        long ph = ts % M;
        const double *a = A + ph * nl, *aj = AJ + ph * nl;
        for (long j = 0; j < n + nb; j++) hw[j] = lsi_com_smp(x, unit, ts + (j - (n - 1 - d)) * M);
        for (int k = 0; k < n; k++) rn[k] = rth[k] + k_tx2 * a[k] + jit * aj[k] + (rnx ? rnx[k] : 0);
        double b = lsi_com_rxffe_bound(s, n, d, hw, n + nb, n - 1 - d, a, rn);
        if (b > best) best = b;
    }
    return best;
}

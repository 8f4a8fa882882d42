/**
 * @file com_cursor.c
 * The sampling point of one equalizer setting in the COM search (IEEE 802.3 Annex 93A-25 as the
 * reference script implements it): the peak of the FFE'd pulse, the last rise through 1 % of the peak
 * in the 4 UI before it, and the Mueller-Mueller point after that crossing (lsi_com_mm_argmin). Only
 * the samples read are formed (lsi_com_fill from the pre-shifted tap pulses); the peak search skips
 * blocks whose upper bound cannot reach the peak (docs/com.md "Speed"). Same indices as a full scan.
 */
#include <math.h>

#include "com_internal.h"
#include "ls_fastmath.h"

static inline double dmax(double a, double b) { return a > b ? a : b; }

/* upper bound of the FFE'd pulse over block q: sum of c(k) times the block max of tap k's pulse
 * (its min where c(k) < 0); tab[k] points at the table row chosen by the sign of c(k) */
static inline double block_ub(const double *c, const double *const *tab, size_t nt, long q)
{
    double u = 0;
    for (size_t k = 0; k < nt; k++) u += c[k] * tab[k][q];
    return u;
}

/* the exact maximum of the FFE'd pulse over [a, b] (first index on ties): the 32-sample block of
 * the last peak first, then only blocks (and 256-sample super-blocks) whose upper bound reaches it */
static long peak_search(const lsi_com_ctx *x, const double *c, long a, long b, long hint, double *mx_out)
{
    double mx = -INFINITY, buf[32];
    const double *tb[LSI_COM_MAX_TXTAPS + 1], *ts[LSI_COM_MAX_TXTAPS + 1];
    for (size_t k = 0; k < x->nt; k++) {
        tb[k] = (c[k] >= 0 ? x->bmx : x->bmn) + k * (size_t)x->nblk;
        ts[k] = x->sbmx ? (c[k] >= 0 ? x->sbmx : x->sbmn) + k * (size_t)x->nsblk : NULL;
    }
    long pk = a, q0 = (a - x->w0) / 32, q1 = (b - x->w0) / 32;
    long h0 = (hint - x->w0) / 32;
    if (h0 < q0 || h0 > q1) h0 = q0;
    for (int pass = 0; pass < 2; pass++)
        for (long q = pass ? q0 : h0; q <= (pass ? q1 : h0); q++) {
            if (pass) {
                if (q == h0) continue;
                if (x->sbmx && q % 8 == 0 && q + 7 <= q1 && !(h0 >= q && h0 < q + 8) &&
                    block_ub(c, ts, x->nt, q / 8) < mx) { q += 7; continue; }
                if (block_ub(c, tb, x->nt, q) < mx) continue;
            }
            long i0 = x->w0 + q * 32, i1 = i0 + 31;
            if (i0 < a) i0 = a;
            if (i1 > b) i1 = b;
            lsi_com_fill(x, c, i0, i1, buf);
            /* the block's maximum first (a branch-free reduction), its first index only when it
             * can replace the peak: the same (value, first index) result as a scan */
            long nb = i1 - i0 + 1, i = 4;
            double m4[4] = {buf[0], buf[0], buf[0], buf[0]};
            for (; i + 4 <= nb; i += 4) /* four independent chains (max is exact in any order) */
                for (int u = 0; u < 4; u++) m4[u] = buf[i + u] > m4[u] ? buf[i + u] : m4[u];
            for (; i < nb; i++) m4[0] = buf[i] > m4[0] ? buf[i] : m4[0];
            for (int u = 1; u < 4 && u < nb; u++) m4[0] = buf[u] > m4[0] ? buf[u] : m4[0];
            double bm = dmax(dmax(m4[0], m4[1]), dmax(m4[2], m4[3]));
            if (bm < mx) continue;
            long at = 0;
            while (buf[at] != bm) at++;
            if (bm > mx || i0 + at < pk) { mx = bm; pk = i0 + at; }
        }
    *mx_out = mx;
    return pk;
}

LSI_SIMD_CLONES long lsi_com_cursor_mm(const lsi_com_ctx *x, const double *c, long *hint)
{
    long M = x->M, pk;
    double mx, buf[6 * LSI_COM_MAX_M + 1], mm[4 * LSI_COM_MAX_M + 2];
    pk = peak_search(x, c, x->pk0, x->pk1, *hint, &mx);
    *hint = pk;
    /* the last rise through 1 % of the peak in [pk - 4M, pk] (sign(v - thr) steps up), searched
     * backwards from the peak: the same index as the reference's forward scan, which keeps the
     * last one. One buffer over [pk - 3M, pk + 3M] serves this scan and the Mueller-Mueller search
     * around it in the usual case; it is filled only where they read: backwards from the peak
     * one UI at a time as the scan goes, then the rest of [zx - M, zx + 3M]. */
    long s0 = pk - 4 * M < 0 ? 0 : pk - 4 * M, zx = -1, b0 = pk - 3 * M < 0 ? 0 : pk - 3 * M;
    long flo = pk - M < b0 ? b0 : pk - M; /* buf holds [flo, pk] */
    double thr = 0.01 * mx, nxt;
    lsi_com_fill(x, c, flo, pk, buf + (flo - b0));
    /* within the buffer in chunks of 8 (a branch-free test of the chunk, then the chunk's last
     * crossing), below it sample by sample */
    long lo = s0 > b0 ? s0 : b0, i = pk - 1;
    double keep = buf[pk - b0];
    buf[pk - b0] = mx; /* the scan compares with the peak value itself */
    for (; i >= lo && zx < 0; i -= 8) {
        long j0 = i - 7 < lo ? lo : i - 7;
        while (j0 < flo) {
            long nf = flo - M < b0 ? b0 : flo - M;
            lsi_com_fill(x, c, nf, flo - 1, buf + (nf - b0));
            flo = nf;
        }
        int any = 0;
        for (long j = j0; j <= i; j++) {
            double v = buf[j - b0], w = buf[j + 1 - b0];
            any |= ((v < thr) & (w >= thr)) | ((v == thr) & (w > thr));
        }
        if (!any) continue;
        for (long j = i; j >= j0; j--) {
            double v = buf[j - b0], w = buf[j + 1 - b0];
            if ((v < thr && w >= thr) || (v == thr && w > thr)) { zx = j; break; }
        }
    }
    buf[pk - b0] = keep;
    if (zx < 0) {
        nxt = lo < pk ? buf[lo - b0] : mx;
        for (i = lo - 1; i >= s0; i--) {
            double v = lsi_com_smp(x, c, i);
            if ((v < thr && nxt >= thr) || (v == thr && nxt > thr)) { zx = i; break; }
            nxt = v;
        }
    }
    if (zx < 0) return -1;
    double b1 = x->p->n_b ? x->p->bmax[0] : 0;
    const double *h = buf + (zx - M - b0);
    if (zx - M < b0) { lsi_com_fill(x, c, zx - M, zx + 3 * M, mm); h = mm; }
    else {
        if (zx - M < flo) lsi_com_fill(x, c, zx - M, flo - 1, buf + (zx - M - b0));
        if (zx + 3 * M > pk) lsi_com_fill(x, c, pk + 1, zx + 3 * M, buf + (pk + 1 - b0));
    }
    return zx + lsi_com_mm_argmin(h, M, b1);
}


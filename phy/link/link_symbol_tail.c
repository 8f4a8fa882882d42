/*
 * The symbol-rate engine's FFT part (docs/engines.md "The FFT part"; at the end, lsi_cut_span, the
 * span cut the engines share). The receiver's grid sample at
 * t = t_lo + j + q sps (relative to the DAC's sample 0 through the FIRs) is
 *   x = sum_r g[t_lo + j + r sps] u_{q-r}  +  sum_r sum_k h[t_lo + j - k + r sps] v_{q-r}[k],
 * r the UI lag of a symbol (or edge) behind the read's UI q. The second sum is TX edge jitter, exact:
 * an edge into UI n at n sps + dn + f (samples, dn = floor) changes the DAC's area samples from the
 * nominal ones by the short perturbation sequence v_n[k] at samples n sps + k:
 *   dn >= 0:  v[k] = -d for 0 <= k < dn,  v[dn] = -f d;
 *   dn <  0:  v[dn] = (1 - f) d,  v[k] = d for dn < k < 0;          (d = u_n - u_{n-1}, 0 elsewhere)
 * and the FIRs respond to it by h (their impulse response): sum_k v[k] h[x - k]. |tau| <= 0.49 UI
 * (tx.c clamps it) so |k| <= D = sps/2 + 1. Every lag r in [r0, r0 + Lt) (r0 <= 0: the edges jittered
 * into the read's UI; the pre-cursor span, the main pulse and the tail) runs here, by overlap-save FFT
 * at the symbol rate: for phase j, X = G_j U + sum_k H_{j-k} V_k (U, V_k the input sequences' spectra;
 * the k of the block's edges only), one inverse FFT per block and phase, on the phases the receiver
 * reads. The blocks lie on a fixed grid of B outputs from the frame start and run when all their
 * inputs exist, so the values do not depend on the chunk size. The plan, the kernel and input spectra
 * and the block cache (lsi_tail_*) are shared with the pattern engine's far tail (link_pattern_run.c),
 * which brings its own fill function.
 */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "fft_internal.h"
#include "link_internal.h"
#include "link_symbol.h"
#include "ls_fastmath.h"
#include "ls_internal.h"

void lsi_sym_tail_free(lsi_sym_tail *tl)
{
    lsi_rfft_destroy(tl->fft);
    ls_free(tl->Fg);
    ls_free(tl->Fh);
    ls_free(tl->U);
    ls_free(tl->V);
    ls_free(tl->T);
    ls_free(tl->out_tag);
    memset(tl, 0, sizeof *tl);
}

/* The overlap-save plan (shared with the pattern engine's far tail, link_pattern_run.c): the largest
   N = 2^m <= pow2(2 Lt) with N >= Lt + 64 and at most slack outputs per block (N - Lt + 1); none (fft
   NULL) when no N fits. Allocates the FFT, np = P + 1 kernel spectra Fg, nh more Fh, nin input spectra
   per block parity U, and the outputs T. */
ls_status lsi_tail_plan(lsi_sym_tail *tl, size_t Lt, size_t slack, unsigned P, size_t nh, size_t nin)
{
    size_t N = lsi_pow2_at_least(2 * Lt);
    while (N - Lt + 1 > slack && N / 2 >= Lt + 64)
        N /= 2;
    if (N - Lt + 1 > slack || N < Lt + 64)
        return LS_OK; /* no room for a block */
    ls_status st;
    tl->N = N;
    tl->Lt = Lt;
    tl->B = N - Lt + 1;
    tl->P = P;
    const size_t nf = N / 2 + 1, np = (size_t)P + 1;
    tl->us = (nf + 7) & ~(size_t)7;
    if (!(tl->fft = lsi_rfft_create(N, &st)) || !(tl->Fg = ls_alloc_n(np * nf, sizeof *tl->Fg)) ||
        (nh && !(tl->Fh = ls_alloc_n(nh * nf, sizeof *tl->Fh))) || !(tl->U = ls_alloc_n(2 * nin * tl->us, sizeof *tl->U)) ||
        !(tl->T = ls_alloc_n(2 * np * N, sizeof *tl->T)) || !(tl->out_tag = ls_alloc_n(2 * np, sizeof *tl->out_tag)))
        return LS_ENOMEM;
    return LS_OK;
}

void lsi_tail_kernel(lsi_sym_tail *tl, const float *x, float complex *F)
{
    float *t = lsi_rfft_time(tl->fft);
    memset(t, 0, tl->N * sizeof *t);
    memcpy(t, x, tl->Lt * sizeof *t);
    lsi_rfft_forward(tl->fft);
    memcpy(F, lsi_rfft_freq(tl->fft), (tl->N / 2 + 1) * sizeof *F);
}

void lsi_tail_input(lsi_sym_tail *tl, const float *x, int64_t a, float complex *U)
{
    float *t = lsi_rfft_time(tl->fft);
    const size_t i0 = a < 0 ? (size_t)-a : 0, N = tl->N;
    memset(t, 0, LS_MIN(i0, N) * sizeof *t);
    if (i0 < N)
        memcpy(t + i0, x + a + (int64_t)i0, (N - i0) * sizeof *t);
    lsi_rfft_forward_arrays(tl->fft, t, U); /* the spectrum straight into its slot (stride us: aligned) */
}

ls_status lsi_sym_tail_build(lsi_sym *e, const double *g, long hi, const float *h, long h_lo, long h_hi, long r0,
                             size_t Lt, size_t slack)
{
    lsi_sym_tail *tl = &e->tl;
    const long sps = e->sps, D = sps / 2 + 1;
    const size_t np = (size_t)sps + 1, nk = 2 * (size_t)D + 1, nphi = np + nk - 1;
    ls_status st = lsi_tail_plan(tl, Lt, slack, (unsigned)sps, nphi, 1 + nk);
    if (st != LS_OK || !tl->fft)
        return st; /* none: the whole pulse is summed directly */
    const size_t N = tl->N, nf = N / 2 + 1;
    tl->r0 = r0;
    tl->D = D;
    float *kg = ls_alloc_n(Lt, sizeof *kg);
    if (!kg || !(tl->V = ls_alloc_n(nk * N, sizeof *tl->V))) {
        ls_free(kg);
        return LS_ENOMEM;
    }
    const double scale = 1.0 / (double)N;
    for (size_t p = 0; p < nphi; p++) { /* the pulse for p < np (phase j = p), h at phase p - D */
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 0 && p >= np)
                continue;
            const long phi = pass ? (long)p - tl->D : (long)p;
            for (size_t r = 0; r < Lt; r++) {
                const long t = e->t_lo + phi + (r0 + (long)r) * sps;
                if (pass)
                    kg[r] = t >= h_lo && t < h_hi ? (float)(h[t] * scale) : 0.0f;
                else
                    kg[r] = t >= e->t_lo && t < hi ? (float)(g[t] * scale) : 0.0f;
            }
            lsi_tail_kernel(tl, kg, pass ? tl->Fh + p * nf : tl->Fg + p * nf);
        }
    }
    ls_free(kg);
    return LS_OK;
}

/* Row k of the block's perturbation sequences over n edges (|k| <= D; dn = k has dn's sign), without
   branches (the same values as scattering them): dn >= 0: -d on [0, dn), -f d at dn; dn < 0: (1 - f) d
   at dn, d on (dn, 0); 0 elsewhere and where d = 0 (no edge). */
LSI_SIMD_CLONES static void perturbation_row(float *row, const float *ed, const float *ef, const int32_t *en,
                                             size_t n, int32_t kk)
{
    if (kk >= 0)
        for (size_t i = 0; i < n; i++) {
            const float d = ed[i], at = -ef[i] * d, in = -d;
            const int32_t dn = en[i];
            float v = dn > kk ? in : 0.0f;
            v = dn == kk ? at : v;
            row[i] = d == 0.0f ? 0.0f : v;
        }
    else
        for (size_t i = 0; i < n; i++) {
            const float d = ed[i], at = (1.0f - ef[i]) * d;
            const int32_t dn = en[i];
            float v = dn < kk ? d : 0.0f;
            v = dn == kk ? at : v;
            row[i] = d == 0.0f ? 0.0f : v;
        }
}

/* The range [*lo, *hi] of the rows k that n edges use (edge i: [min(dn, 0), max(dn, -1)] where d != 0); empty
   (lo > hi) when none has d != 0. A min/max reduction without branches: a non-edge enters as the identity of each
   (INT32_MAX, INT32_MIN) through an all-ones mask, so the loop vectorizes (SIMD clones; with `on && ...` GCC kept it
   scalar, with two branches per edge). */
LSI_SIMD_CLONES static void edge_rows(const float *ed, const int32_t *en, size_t n, int32_t *lo, int32_t *hi)
{
    int32_t a = INT32_MAX, b = INT32_MIN;
    for (size_t i = 0; i < n; i++) {
        const int32_t dn = en[i], a0 = dn < 0 ? dn : 0, a1 = dn > -1 ? dn : -1, on = -(int32_t)(ed[i] != 0.0f);
        const int32_t am = (a0 & on) | (INT32_MAX & ~on), bm = (a1 & on) | (INT32_MIN & ~on);
        a = am < a ? am : a;
        b = bm > b ? bm : b;
    }
    *lo = a;
    *hi = b;
}

/* The block's input spectra: u, and v_k for the k its edges use, over history [y0 - Lt + 1, y0 + B). */
static void block_inputs(lsi_sym *e, int64_t y0, float complex *U, long *k_lo, long *k_hi)
{
    lsi_sym_tail *tl = &e->tl;
    const size_t N = tl->N;
    const int64_t a = y0 - (int64_t)tl->Lt + 1 - e->ubase; /* history index of t[0] */
    const size_t i0 = a < 0 ? (size_t)-a : 0;
    lsi_tail_input(tl, e->u, a, U);
    long lo = tl->D + 1, hi = -tl->D - 1;
    if (e->jitter && i0 < N) {
        int32_t l32, h32;
        const size_t m0 = (size_t)(a + (int64_t)i0);
        edge_rows(e->ed + m0, e->en + m0, N - i0, &l32, &h32);
        if (l32 <= h32)
            lo = l32, hi = h32;
    }
    if (lo < -tl->D || hi > tl->D) { /* tx.c clamps |tau| to 0.49 UI: cannot happen */
        if (lo <= hi)
            e->bad = 1;
        lo = tl->D + 1, hi = -tl->D - 1;
    }
    *k_lo = lo;
    *k_hi = hi;
    if (lo > hi)
        return;
    /* v_k[i] for the block's edges, row by row (perturbation_row) */
    float *V = tl->V - lo * (long)N; /* V[k N + i] */
    const size_t iz = LS_MIN(i0, N), o = (size_t)(a + (int64_t)iz); /* history index of t[iz] */
    const float *ed = e->ed + o, *ef = e->ef + o;
    const int32_t *en = e->en + o;
    for (long k = lo; k <= hi; k++) {
        float *row = V + k * (long)N;
        memset(row, 0, iz * sizeof *row);
        perturbation_row(row + iz, ed, ef, en, N - iz, (int32_t)k);
    }
    for (long k = lo; k <= hi; k++) /* each row's spectrum straight into its slot (the row is the whole window) */
        lsi_rfft_forward_arrays(tl->fft, V + k * (long)N, U + (size_t)(1 + k + tl->D) * tl->us);
}

/* x[f] (+)= a[f] b[f] over n complex values, on their real and imaginary parts (no NaN-checking complex
   multiply); x may be a or b: each element is read before it is written */
LSI_SIMD_CLONES_AVX2 void lsi_sym_cmul(float *x, const float *a, const float *b, size_t n, int add)
{
    if (add)
        for (size_t f = 0; f < n; f++) {
            const float re = a[2 * f] * b[2 * f] - a[2 * f + 1] * b[2 * f + 1],
                        im = a[2 * f] * b[2 * f + 1] + a[2 * f + 1] * b[2 * f];
            x[2 * f] = x[2 * f] + re;
            x[2 * f + 1] = x[2 * f + 1] + im;
        }
    else
        for (size_t f = 0; f < n; f++) {
            const float re = a[2 * f] * b[2 * f] - a[2 * f + 1] * b[2 * f + 1],
                        im = a[2 * f] * b[2 * f + 1] + a[2 * f + 1] * b[2 * f];
            x[2 * f] = re;
            x[2 * f + 1] = im;
        }
}

/* Phase j's spectrum of block bi (y = bi B .. bi B + B - 1) into the FFT's input, the block's input
   spectra first (in slot sl). */
void lsi_sym_tail_fill(void *ctx, int64_t bi, long j, size_t sl)
{
    lsi_sym *e = ctx;
    lsi_sym_tail *tl = &e->tl;
    const size_t nf = tl->N / 2 + 1, nk = 2 * (size_t)tl->D + 1;
    float complex *U = tl->U + sl * (1 + nk) * tl->us;
    if (tl->in_tag[sl] != bi) {
        block_inputs(e, bi * (int64_t)tl->B, U, &tl->k_lo[sl], &tl->k_hi[sl]);
        tl->in_tag[sl] = bi;
    }
    float *X = (float *)lsi_rfft_freq(tl->fft);
    lsi_sym_cmul(X, (const float *)(tl->Fg + (size_t)j * nf), (const float *)U, nf, 0);
    for (long k = tl->k_lo[sl]; k <= tl->k_hi[sl]; k++)
        lsi_sym_cmul(X, (const float *)(tl->Fh + (size_t)(j - k + tl->D) * nf), (const float *)(U + (size_t)(1 + k + tl->D) * tl->us),
             nf, 1);
}

void lsi_tail_start(lsi_sym_tail *tl)
{
    if (!tl->fft)
        return;
    tl->in_tag[0] = tl->in_tag[1] = -1;
    tl->hint_bi = 0;
    tl->hint_y0 = 0;
    for (size_t k = 0; k < 2 * ((size_t)tl->P + 1); k++)
        tl->out_tag[k] = -1;
}

double lsi_tail_at(lsi_sym_tail *tl, int64_t y, long j, int64_t last, int *bad, lsi_tail_fill_fn *fill, void *ctx)
{
    if (y < 0)
        return 0; /* every input before the frame: zero */
    const int64_t bi = y / (int64_t)tl->B;
    const size_t k = (size_t)j * 2 + (size_t)(bi & 1);
    if (tl->out_tag[k] != bi) {
        if ((bi + 1) * (int64_t)tl->B - 1 > last) {
            *bad = 1; /* its inputs are not generated yet: a bug */
            return 0;
        }
        fill(ctx, bi, j, (size_t)(bi & 1));
        lsi_rfft_inverse_to(tl->fft, tl->T + k * tl->N); /* straight into the slot */
        tl->out_tag[k] = bi;
    }
    return tl->T[k * tl->N + tl->Lt - 1 + (size_t)(y - bi * (int64_t)tl->B)];
}

/* [lo, hi) of x[0..n) after dropping from each end the samples whose squares sum to at most (rel peak)^2. */
void lsi_cut_span(const double *x, size_t n, double rel, long *lo, long *hi)
{
    double pk = 0;
    for (size_t i = 0; i < n; i++)
        pk = fmax(pk, fabs(x[i]));
    const double lim = rel * rel * pk * pk;
    double acc = 0;
    size_t a = 0, b = n;
    while (a < n && acc + x[a] * x[a] <= lim)
        acc += x[a] * x[a], a++;
    acc = 0;
    while (b > a && acc + x[b - 1] * x[b - 1] <= lim)
        acc += x[b - 1] * x[b - 1], b--;
    *lo = (long)a;
    *hi = (long)b;
}

/*
 * The sample path's noise drawn at the rate it needs (docs/engines.md "Noise drawn at the rate it needs").
 *
 * A noise source adds white noise of variance var per sample at its place (the TX at the DAC, an awgn
 * block after itself). Drawing it on every d-th sample only, as sqrt(d) sigma N(0,1) there and nothing
 * between, keeps it Gaussian after the filters (a linear combination of Gaussians) with the same
 * autocorrelation on average over the d phases; at the sampler, g the source's response there, sample n
 * and n + l have the covariance (a periodic, cyclostationary process)
 *   C_n(l) = d var sum_{j = n mod d} g[j] g[j + l] = var (R(l) + sum_{p=1}^{d-1} e^{-2 pi i p n / d} R_p(l)),
 *   R_p(l) = sum_j g[j] g[j + l] e^{2 pi i p j / d}   (R = R_0, the every-sample autocorrelation),
 * and |R_p(l)| <= (1/N) sum_k |G[k]| |G[k - p N / d]| (G the N-point DFT of g, N >= 2 len g: the circular
 * correlation is the linear one at every lag). So every covariance of the strided process, at every phase
 * and lag, is within eps_d var R(0) of the every-sample one, R(0) = (1/N) sum |G|^2:
 *   eps_d = sum_{p=1}^{d-1} sum_k |G[k]| |G[k - p N/d]| / sum_k |G[k]|^2,
 * small when g's spectrum is confined below the sample rate / (2 d) (the aliased copies do not overlap
 * it). lsi_link_noise_stride takes, for each source of a linear link (the TX, an awgn block), the
 * largest power of two d dividing the samples per UI with eps_2, eps_4, .. eps_d <= LSI_NSTRIDE_TOL; a
 * non-linear link (optical) keeps d = 1. The link calls it with the response it propagates for the noise
 * at the sampler (link_noise.c), once per source at create.
 */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "../noise_internal.h"
#include "fft_internal.h"
#include "lanesim/xtalk.h"
#include "link_internal.h"
#include "ls_internal.h"

/* Why the link is not linear with Gaussian noise (NULL: it is). */
const char *lsi_link_not_linear(const ls_link *l)
{
    for (size_t i = 0; i < l->n_st; i++) {
        const stage *sg = &l->st[i];
        if (sg->fir)
            continue;
        if (sg->cfir)
            return "an optical field (fibre) stage";
        if (!strcmp(sg->blk.ops->name, "awgn") || ls_xtalk_count(&sg->blk))
            continue; /* additive noise; crosstalk aggressors (link_symbol_xtalk.c) */
        return sg->blk.ops->name;
    }
    return NULL;
}

ls_status lsi_noise_stride_bounds(const double complex *g, size_t n, unsigned dmax, double *eps)
{
    size_t N = 64;
    while (N < 2 * n || N < dmax)
        N <<= 1;
    ls_status st;
    lsi_cfft *f = lsi_cfft_create(N, 0, &st);
    double *a = ls_alloc_n(N, sizeof *a);
    if (!f || !a) {
        lsi_cfft_destroy(f);
        ls_free(a);
        return f ? LS_ENOMEM : st;
    }
    float complex *t = lsi_cfft_time(f);
    memset(t, 0, N * sizeof *t);
    for (size_t k = 0; k < n; k++)
        t[k] = (float complex)g[k];
    lsi_cfft_forward(f);
    const float complex *G = lsi_cfft_freq(f);
    double e = 0;
    for (size_t k = 0; k < N; k++) {
        a[k] = cabs((double complex)G[k]);
        e += a[k] * a[k];
    }
    for (unsigned d = 1; d <= dmax; d <<= 1) { /* eps_d; d = 1: 0; past the tolerance: not computed (INFINITY) */
        double s = 0;
        for (unsigned p = 1; p < d && e > 0; p++) {
            const size_t sh = (size_t)p * (N / d); /* a[k - sh], circularly */
            for (size_t k = 0; k < sh; k++)
                s += a[k] * a[k + N - sh];
            for (size_t k = sh; k < N; k++)
                s += a[k] * a[k - sh];
        }
        eps[__builtin_ctz(d)] = e > 0 ? s / e : 0.0;
        if (eps[__builtin_ctz(d)] > LSI_NSTRIDE_TOL)
            for (unsigned k = 2 * d; k <= dmax; k <<= 1)
                eps[__builtin_ctz(k)] = INFINITY;
        if (eps[__builtin_ctz(d)] > LSI_NSTRIDE_TOL)
            break;
    }
    lsi_cfft_destroy(f);
    ls_free(a);
    return LS_OK;
}

/* The TX (p = 0) or the awgn block of stage p - 1 draws on every d-th sample. */
static ls_status set_stride(ls_link *l, size_t p, unsigned d)
{
    ls_status st = p == 0 ? lsi_tx_set_noise_stride(l->tx, d) : lsi_awgn_set_stride(&l->st[p - 1].blk, d);
    unsigned *o = &l->info.noise_stride[p > 0];
    *o = p == 0 || d > *o ? d : *o;
    return st;
}

ls_status lsi_link_noise_stride(ls_link *l, size_t p, const double complex *g, size_t ng, int full)
{
    if (p > 0 && (l->st[p - 1].fir || l->st[p - 1].cfir || strcmp(l->st[p - 1].blk.ops->name, "awgn")))
        return LS_OK; /* not a source that can draw with a stride */
    const unsigned sps = l->info.sps;
    unsigned dmax = 1, d = 1;
    while (dmax * 2 <= sps && sps % (dmax * 2) == 0)
        dmax *= 2;
    if (!full && dmax > 1 && !lsi_link_not_linear(l)) {
        double eps[32];
        ls_status st = lsi_noise_stride_bounds(g, ng, dmax, eps);
        if (st != LS_OK)
            return st;
        while (d < dmax && eps[__builtin_ctz(2 * d)] <= LSI_NSTRIDE_TOL)
            d *= 2;
    }
    return set_stride(l, p, d);
}

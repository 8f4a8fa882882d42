/*
 * The symbol-rate engine's noise at the sampler (docs/engines.md "Noise"). Every noise source of the
 * sample path (the TX's white noise at the DAC, each additive noise block) adds white noise of
 * variance var per sample at its place; its response g at the sampler (lsi_link_propagate) gives the
 * autocorrelation R(l) = var sum_n g[n] g[n + l] at sample lag l. The sources are independent and
 * Gaussian, so their sum is Gaussian with the summed R: the engine draws one process at the instants
 * the receiver reads, spaced by step = sps / rate (rate 1; rate 2 when the bang-bang detector also
 * reads the edge half a UI before each symbol), from white N(0,1) through the zero-phase FIR
 *   c[n] = (1/N) sum_f sqrt(S(f)) cos(2 pi f n / N),   S(f) = R_0 + 2 sum_k R(k step) cos(2 pi f k / N),
 * whose autocorrelation is R(k step) for |k| < N/2 (N >= 4 K, K the lags above 1e-7 R_0; c cut where
 * less than 1e-6 of its energy is left). A source after the last filter (ng = 1) is white per sample:
 * drawn afresh for the grid samples floor(t) and floor(t) + 1 and interpolated with the receiver's
 * weights, as the receiver interpolates its ring. The colouring runs by overlap-save FFT (blocks of
 * N - nc + 1 outputs, N the power of two >= 4 nc): the same convolution as the direct sum, in
 * O(log N) per sample instead of nc. The coloured part is taken at the grid sample the
 * slot names, so a phase between grid samples sees R(0) where the sample path sees
 * (1 - a)^2 R(0) + a^2 R(0) + 2 a (1 - a) R(1): equal within 1 - R(1)/R(0) (docs/engines.md).
 */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "../xtalk_internal.h"
#include "fft_internal.h"
#include "lanesim/rx.h"
#include "lanesim/tx.h"
#include "link_internal.h"
#include "link_symbol.h"
#include "ls_internal.h"

#define MAX_LAGS 1024

void lsi_sym_noise_free(lsi_sym_noise *nz)
{
    ls_free(nz->c);
    lsi_rfft_destroy(nz->fft);
    ls_free(nz->Fc);
    ls_free(nz->wb);
    ls_free(nz->ring);
    ls_free(nz->gbuf);
    memset(nz, 0, sizeof *nz);
}

/* R(k step), k = 0..MAX_LAGS, of one source (g its response at the sampler) added into r; or its white
   variance into *white when it reaches the sampler unfiltered. */
static ls_status source_acf(const double complex *g, size_t ng, double var, unsigned step, double *r, double *white)
{
    if (ng <= 1) {
        *white += ng ? var * creal(g[0]) * creal(g[0]) : 0.0;
        return LS_OK;
    }
    float *a = ls_alloc_n(ng, sizeof *a), *b = ls_alloc_n(ng, sizeof *b), *c = ls_alloc_n(2 * ng - 1, sizeof *c);
    ls_status st = a && b && c ? LS_OK : LS_ENOMEM;
    if (st == LS_OK) {
        for (size_t n = 0; n < ng; n++) {
            a[n] = (float)creal(g[n]);
            b[ng - 1 - n] = a[n];
        }
        st = lsi_convolve(a, ng, b, ng, c);
    }
    for (size_t k = 0; st == LS_OK && k <= MAX_LAGS && k * step < ng; k++)
        r[k] += var * c[ng - 1 + k * step];
    ls_free(a);
    ls_free(b);
    ls_free(c);
    return st;
}

/* The zero-phase colouring FIR of the lags r[0..K] (K + 1 <= MAX_LAGS + 1). */
static ls_status colour_fir(lsi_sym_noise *nz, const double *r, size_t K)
{
    size_t N = 64;
    while (N < 4 * K)
        N <<= 1;
    const size_t H = N / 2;
    double *C = ls_alloc_n(H + 1, sizeof *C), *c = ls_alloc_n(H + 1, sizeof *c);
    if (!C || !c) {
        ls_free(C);
        ls_free(c);
        return LS_ENOMEM;
    }
    for (size_t f = 0; f <= H; f++) {
        double s = r[0];
        for (size_t k = 1; k <= K; k++)
            s += 2.0 * r[k] * cos(2.0 * M_PI * (double)(f * k % N) / (double)N);
        C[f] = sqrt(s > 0 ? s : 0.0);
    }
    double tot = 0;
    for (size_t n = 0; n <= H; n++) {
        double s = C[0] + C[H] * ((n & 1) ? -1.0 : 1.0);
        for (size_t f = 1; f < H; f++)
            s += 2.0 * C[f] * cos(2.0 * M_PI * (double)(f * n % N) / (double)N);
        c[n] = s / (double)N;
        tot += (n ? 2.0 : 1.0) * c[n] * c[n];
    }
    size_t L = H;
    double tail = 0;
    while (L > 0 && tail + 2.0 * c[L] * c[L] <= 1e-6 * tot)
        tail += 2.0 * c[L] * c[L], L--;
    nz->nc = 2 * L + 1;
    ls_status st = LS_OK;
    if (!(nz->c = ls_alloc_n(nz->nc, sizeof *nz->c)))
        st = LS_ENOMEM;
    for (size_t n = 0; st == LS_OK && n < nz->nc; n++)
        nz->c[n] = (float)c[n > L ? n - L : L - n];
    ls_free(C);
    ls_free(c);
    return st;
}

/* One source's variance per sample at stage input p (0: the TX), 0 when it adds none. */
static double source_var(const ls_link *l, size_t p)
{
    if (p == 0)
        return ls_tx_noise_var(l->tx);
    const stage *sg = &l->st[p - 1];
    return !sg->fir && !sg->cfir && sg->blk.ops->noise_var ? sg->blk.ops->noise_var(sg->blk.self) : 0.0;
}

/* Each crosstalk aggressor's TX noise (white at its DAC, variance var per sample): a source through its
   path FIR h and the FIRs after its xtalk block (stage p). */
static ls_status xt_noise(const ls_link *l, unsigned step, double *r, double *white)
{
    for (size_t p = 0; p < l->n_st; p++) {
        const ls_block *b = &l->st[p].blk;
        for (size_t i = 0; !l->st[p].fir && !l->st[p].cfir && i < ls_xtalk_count(b); i++) {
            lsi_xtalk_src src;
            ls_status st = lsi_xtalk_source(b, i, &src);
            if (st != LS_OK)
                return st;
            if (!(src.noise_var > 0))
                continue;
            double complex *in = ls_alloc_n(src.n_h, sizeof *in), *g = NULL;
            size_t ng = 0;
            if (!in)
                return LS_ENOMEM;
            for (size_t k = 0; k < src.n_h; k++)
                in[k] = src.h[k];
            st = lsi_link_propagate(l, p + 1, in, src.n_h, &g, &ng);
            if (st == LS_OK)
                st = source_acf(g, ng, src.noise_var, step, r, white);
            ls_free(in);
            ls_free(g);
            if (st != LS_OK)
                return st;
        }
    }
    return LS_OK;
}

ls_status lsi_sym_noise_build(ls_link *l, lsi_sym *e, char *msg, size_t cap)
{
    lsi_sym_noise *nz = &e->nz;
    nz->rate = l->pat_rc.cdr == LS_CDR_BANGBANG ? 2 : 1;
    const unsigned step = (e->sps + nz->rate - 1) / nz->rate;
    double r[MAX_LAGS + 1] = { 0 }, white = 0;
    for (size_t p = 0; p <= l->n_st; p++) {
        const double var = source_var(l, p);
        if (!(var > 0))
            continue;
        const double complex one = lsi_link_noise_input(l, p);
        double complex *g = NULL;
        size_t ng = 0;
        ls_status st = lsi_link_propagate(l, p, &one, 1, &g, &ng);
        if (st == LS_OK)
            st = source_acf(g, ng, var, step, r, &white);
        ls_free(g);
        if (st != LS_OK) {
            lsi_say(msg, cap, "symbol engine: noise at the sampler (%s)", ls_strerror(st));
            return st;
        }
    }
    ls_status xst = xt_noise(l, step, r, &white);
    if (xst != LS_OK) {
        lsi_say(msg, cap, "symbol engine: crosstalk noise at the sampler (%s)", ls_strerror(xst));
        return xst;
    }
    nz->white_sigma = sqrt(white);
    if (!(nz->gbuf = ls_alloc_n(LSI_SYM_NBLK, sizeof *nz->gbuf)))
        return LS_ENOMEM;
    if (!(r[0] > 0))
        return LS_OK;
    size_t K = MAX_LAGS;
    while (K > 0 && fabs(r[K]) <= 1e-7 * r[0])
        K--;
    ls_status st = colour_fir(nz, r, K);
    if (st != LS_OK)
        return st;
    const size_t N = lsi_pow2_at_least(4 * nz->nc), nf = N / 2 + 1;
    nz->blk = N - nz->nc + 1;
    if (!(nz->fft = lsi_rfft_create(N, &st)) || !(nz->Fc = ls_alloc_n(nf, sizeof *nz->Fc)) ||
        !(nz->wb = ls_alloc_n(N, sizeof *nz->wb)) || !(nz->ring = ls_alloc_n(LSI_SYM_NRING, sizeof *nz->ring)))
        return st != LS_OK ? st : LS_ENOMEM;
    float *t = lsi_rfft_time(nz->fft);
    memset(t, 0, N * sizeof *t);
    for (size_t n = 0; n < nz->nc; n++)
        t[n] = nz->c[n] / (float)N;
    lsi_rfft_forward(nz->fft);
    memcpy(nz->Fc, lsi_rfft_freq(nz->fft), nf * sizeof *nz->Fc);
    return LS_OK;
}

void lsi_sym_noise_start(lsi_sym_noise *nz, uint64_t seed, uint64_t frame)
{
    ls_rng_seed(&nz->rng_c, seed, 0x5e0, frame);
    ls_rng_seed(&nz->rng_w, seed, 0x5e1, frame);
    nz->end = 0;
    nz->gpos = LSI_SYM_NBLK;
    if (nz->c) /* stationary from the first sample */
        ls_rng_gauss_fill(&nz->rng_c, nz->wb, nz->nc - 1, 1.0f);
}

/* The next blk coloured samples into the ring: v[b] = sum_n c[n] w[b + n] (c symmetric), by overlap-save. */
static void coloured_block(lsi_sym_noise *nz)
{
    const size_t nc = nz->nc, N = nz->blk + nc - 1, nf = N / 2 + 1;
    ls_rng_gauss_fill(&nz->rng_c, nz->wb + nc - 1, nz->blk, 1.0f);
    memcpy(lsi_rfft_time(nz->fft), nz->wb, N * sizeof *nz->wb);
    lsi_rfft_forward(nz->fft);
    float *X = (float *)lsi_rfft_freq(nz->fft);
    lsi_sym_cmul(X, X, (const float *)nz->Fc, nf, 0);
    lsi_rfft_inverse(nz->fft);
    const float *y = lsi_rfft_out(nz->fft) + nc - 1;
    for (size_t b = 0; b < nz->blk; b++)
        nz->ring[(nz->end + b) & (LSI_SYM_NRING - 1)] = y[b];
    memmove(nz->wb, nz->wb + nz->blk, (nc - 1) * sizeof *nz->wb);
    nz->end += nz->blk;
}

/* The coloured samples up to idx (out of line: a block every blk reads) and the white draws' refill. */
void lsi_sym_noise_fill(lsi_sym_noise *nz, uint64_t idx)
{
    while (idx >= nz->end)
        coloured_block(nz);
}

void lsi_sym_noise_refill(lsi_sym_noise *nz)
{
    ls_rng_gauss_fill(&nz->rng_w, nz->gbuf, LSI_SYM_NBLK, 1.0f);
    nz->gpos = 0;
}

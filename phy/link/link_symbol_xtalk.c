/*
 * Crosstalk aggressors in the symbol-rate engine (docs/engines.md "Crosstalk aggressors"). The sample
 * path's xtalk block (phy/xtalk.c) adds aggressor i's waveform A[n] = sum_k h[k] z[n + c - k] at its
 * sample n: z the aggressor's DAC stream (its own ls_tx, random symbols, its TX jitter) with the first
 * d_b samples of each block b of B UIs dropped (d_b uniform in [0, sps)), h its path FIR, and
 * c = n_h - 1 + sps + r (the filter's steady state, the TX latency and a random start offset r in
 * [0, sps); the filter latency cancels). The DAC area-samples a piecewise-constant waveform, so z is
 * area-sampled too: the continuous waveform with the dropped stretch of each block cut out. An edge
 * of the transmitter (from b_{m-1} to b_m at Y = (m + 1 + tau_m) sps, ls_tx) moves to
 *   Z = Y - D_{g-1} - min(Y - g B sps, d_g)   (Y in block g = floor(Y / (B sps)), D the drops before),
 * i.e. an edge inside a dropped stretch lands on its end. The receiver's sample ti (after the FIRs that
 * follow the block: impulse response h_A = h * those FIRs, step response S) then reads
 *   x_A[ti] = Stot L + sum_e d_e ((1 - f_e) S[ti - p_e] + f_e S[ti - p_e - 1]),
 *   p_e + f_e = Z_e - c + shift,   shift = K + (latencies of the FIRs after the block),
 * K the samples the FIRs before the block skip at the frame start (their fill, link_frame.c), the sum
 * over the edges whose step has not settled (ti - p_e <= s_hi), L the level after the newest settled
 * edge. The same random draws in the same order as the block: the transmitter's data and jitter
 * streams, then r, d_0, d_1, ... from the block's phase stream; noise-free this is the sample path's
 * value up to float rounding and the cut of h_A (CUT_REL of its peak at each end, as the victim's). The
 * aggressor's TX noise (white at its DAC) is a noise source of link_symbol_noise.c through h_A.
 * Edges are made a block at a time when a read needs them. An aggressor without TX jitter takes the FFT
 * form of this sum (link_symbol_xtfft.c); one with jitter the direct sum here, over a ring of edges by
 * aggressor UI (exact, but the span of h_A can be thousands of samples: slower than the sample path).
 */
#include <math.h>
#include <string.h>

#include "../xtalk_internal.h"
#include "link_internal.h"
#include "link_symbol.h"
#include "ls_internal.h"

#define CUT_REL 1e-5 /* as link_symbol.c */

void lsi_sym_xt_free(lsi_sym *e)
{
    for (size_t i = 0; e->xt && i < e->n_xt; i++) {
        lsi_sym_xt *x = &e->xt[i];
        ls_free(x->S);
        ls_free(x->ep);
        ls_free(x->ef);
        ls_free(x->ed);
        ls_free(x->el);
        ls_free(x->b);
        ls_free(x->tau);
        ls_free(x->u);
        lsi_sym_xtf_free(x);
    }
    ls_free(e->xt);
    e->xt = NULL;
    e->n_xt = 0;
}

/* Latency of stage i (a fused FIR's overlap-save delay, else 0). */
static long stage_lat(const ls_link *l, size_t i)
{
    return l->st[i].fir ? (long)ls_fftfilt_latency(l->st[i].fir) : 0;
}

/* Aggressor src of the xtalk block at stage p into x: h_A, its step table, the shift, the buffers. */
static ls_status agg_build(const ls_link *l, size_t p, const lsi_xtalk_src *src, lsi_sym_xt *x)
{
    const long sps = (long)src->sps;
    x->tx = src->tx;
    x->phase_stream = src->phase_stream;
    x->sps = src->sps;
    x->B = src->block_ui;
    x->c_base = (int64_t)src->n_h - 1 + sps;
    x->shift = 0;
    for (size_t i = 0; i < l->n_st; i++)
        x->shift += i < p ? stage_lat(l, i) / sps * sps : i > p ? stage_lat(l, i) : 0;
    double complex *in = ls_alloc_n(src->n_h, sizeof *in), *g = NULL;
    size_t ng = 0;
    if (!in)
        return LS_ENOMEM;
    for (size_t k = 0; k < src->n_h; k++)
        in[k] = src->h[k];
    ls_status st = lsi_link_propagate(l, p + 1, in, src->n_h, &g, &ng);
    ls_free(in);
    double *h = st == LS_OK ? ls_alloc_n(ng, sizeof *h) : NULL;
    if (!h) {
        ls_free(g);
        return st == LS_OK ? LS_ENOMEM : st;
    }
    for (size_t k = 0; k < ng; k++)
        h[k] = creal(g[k]);
    ls_free(g);
    lsi_cut_span(h, ng, CUT_REL, &x->s_lo, &x->s_hi);
    const long n_s = x->s_hi - x->s_lo + 4;
    if (!(x->S = ls_alloc_n((size_t)n_s, sizeof *x->S))) {
        ls_free(h);
        return LS_ENOMEM;
    }
    double run = 0;
    for (long k = x->s_lo - 2; k < x->s_hi + 2; k++) {
        run += k >= x->s_lo && k < x->s_hi ? h[k] : 0.0;
        x->S[k - (x->s_lo - 2)] = run;
    }
    x->Stot = run;
    ls_free(h);
    /* the ring: a block, the edges one read spans (a UI is at least one sample), the reads' reach back */
    const size_t need = 2 * (x->B + (size_t)(n_s / (sps > 1 ? sps - 1 : 1)) + 16) + 64;
    const size_t n = lsi_pow2_at_least(need);
    x->mask = n - 1;
    if (!(x->ep = ls_alloc_n(n, sizeof *x->ep)) || !(x->ef = ls_alloc_n(n, sizeof *x->ef)) ||
        !(x->ed = ls_alloc_n(n, sizeof *x->ed)) || !(x->el = ls_alloc_n(n, sizeof *x->el)) ||
        !(x->b = ls_alloc_n(x->B, sizeof *x->b)) || !(x->tau = ls_alloc_n(x->B, sizeof *x->tau)) ||
        !(x->u = ls_alloc_n(x->B, sizeof *x->u)))
        return LS_ENOMEM;
    return src->jitter ? LS_OK : lsi_sym_xtf_build(x); /* the FFT form without jitter */
}

ls_status lsi_sym_xt_build(ls_link *l, lsi_sym *e, char *msg, size_t cap)
{
    size_t n = 0;
    for (size_t p = 0; p < l->n_st; p++)
        n += l->st[p].fir || l->st[p].cfir ? 0 : ls_xtalk_count(&l->st[p].blk);
    if (!n)
        return LS_OK;
    if (!(e->xt = ls_alloc_n(n, sizeof *e->xt)))
        return LS_ENOMEM;
    e->n_xt = n;
    size_t j = 0;
    for (size_t p = 0; p < l->n_st; p++) {
        const ls_block *b = &l->st[p].blk;
        for (size_t i = 0; !l->st[p].fir && !l->st[p].cfir && i < ls_xtalk_count(b); i++, j++) {
            lsi_xtalk_src src;
            ls_status st = lsi_xtalk_source(b, i, &src);
            if (st == LS_OK && ls_xtalk_end_pulse(b, i, &(size_t){ 0 })) {
                lsi_say(msg, cap, "symbol engine: aggressor %zu has a receiver model's own response", i);
                return LS_EINVAL;
            }
            if (st == LS_OK)
                st = agg_build(l, p, &src, &e->xt[j]);
            if (st != LS_OK) {
                lsi_say(msg, cap, "symbol engine: crosstalk aggressor %zu (%s)", j, ls_strerror(st));
                return st;
            }
        }
    }
    return LS_OK;
}

ls_status lsi_sym_xt_start(lsi_sym *e, uint64_t seed, uint64_t frame)
{
    for (size_t i = 0; i < e->n_xt; i++) {
        lsi_sym_xt *x = &e->xt[i];
        ls_status st = ls_tx_start(x->tx, seed, frame, 0);
        if (st != LS_OK)
            return st;
        ls_rng_seed(&x->rng, seed, x->phase_stream, frame);
        x->c = x->c_base + (int64_t)ls_rng_below(&x->rng, x->sps); /* + r */
        x->d_next = ls_rng_below(&x->rng, x->sps);
        x->blk = x->dcum = x->m_gen = x->m_hint = 0;
        x->b0 = x->b_prev = 0;
    }
    return LS_OK;
}

/* The next block's edges: B symbols of the transmitter, each edge moved as the block's drops move it. */
int lsi_sym_xt_next_block(lsi_sym_xt *x)
{
    const int64_t sps = x->sps, L = (int64_t)x->B * sps, g0 = x->blk * L;
    const uint32_t d0 = x->d_next, d1 = ls_rng_below(&x->rng, x->sps); /* this block's drop, the next one's */
    if (ls_tx_generate_symbols(x->tx, x->B, NULL, NULL, x->b, x->tau) != LS_OK)
        return 0;
    if (x->fft) { /* the UI values (UI m holds b_{m-1}; UI 0 b_0) and the block's regular grid */
        if (!x->blk)
            x->b0 = x->b_prev = x->b[0];
        x->u[0] = x->b_prev;
        for (size_t k = 1; k < x->B; k++)
            x->u[k] = x->b[k - 1];
        x->b_prev = x->b[x->B - 1];
        lsi_sym_xtf_block(x, x->blk, x->u, g0 - x->dcum - d0 - x->c + x->shift, d0);
        x->dcum += d0;
        x->d_next = d1;
        x->blk++;
        return 1;
    }
    for (size_t k = 0; k < x->B; k++) {
        const int64_t m = x->blk * (int64_t)x->B + (int64_t)k;
        const double bk = x->b[k], bp = m ? x->b_prev : bk, dl = x->tau[k] * (double)sps, fl = floor(dl);
        if (!m)
            x->b0 = bk;
        int64_t yi = (m + 1) * sps + (int64_t)fl; /* the edge from b_{m-1} to b_m at yi + f (samples) */
        double f = dl - fl;
        const int next = yi >= g0 + L; /* in the next block (whose first d1 samples are dropped) */
        const int64_t start = next ? g0 + L : g0, dprev = next ? x->dcum + d0 : x->dcum, d = next ? d1 : d0;
        if (yi - start < d) { /* inside the dropped stretch: onto its end */
            yi = start + d;
            f = 0;
        }
        const size_t s = (size_t)m & x->mask;
        x->ep[s] = yi - dprev - d - x->c + x->shift;
        x->ef[s] = (float)f;
        x->ed[s] = bk - bp;
        x->el[s] = bk;
        x->b_prev = bk;
    }
    x->dcum += d0;
    x->d_next = d1;
    x->blk++;
    x->m_gen += (int64_t)x->B;
    return 1;
}

/* Aggressor x at receiver samples ti, ti + 1 (0: the edges are no longer in the ring). */
static int agg_pair(lsi_sym_xt *x, int64_t ti, double *c0, double *c1)
{
    const int64_t top = ti + 1 - x->s_lo; /* the newest edge position that reaches sample ti + 1 */
    while (!x->m_gen || x->ep[(size_t)(x->m_gen - 1) & x->mask] <= top)
        if (!lsi_sym_xt_next_block(x))
            return 0;
    const int64_t oldest = x->m_gen - (int64_t)x->mask - 1;
    int64_t m = x->m_hint;
    while (m + 1 < x->m_gen && x->ep[(size_t)(m + 1) & x->mask] <= top)
        m++;
    while (m >= 0 && m >= oldest && x->ep[(size_t)m & x->mask] > top)
        m--;
    x->m_hint = m < 0 ? 0 : m;
    const double *S = x->S - (x->s_lo - 2);
    double a0 = 0, a1 = 0, lv = x->b0;
    for (; m >= 0; m--) {
        if (m < oldest)
            return 0;
        const size_t k = (size_t)m & x->mask;
        const int64_t d = ti - x->ep[k];
        if (d > x->s_hi) { /* settled: it and every older edge give Stot times the level after it */
            lv = x->el[k];
            break;
        }
        const double dv = x->ed[k], f = x->ef[k];
        a0 += dv * ((1.0 - f) * S[d] + f * S[d - 1]);
        a1 += dv * ((1.0 - f) * S[d + 1] + f * S[d]);
    }
    *c0 = a0 + lv * x->Stot;
    *c1 = a1 + lv * x->Stot;
    return 1;
}

int lsi_sym_xt_pair(lsi_sym *e, int64_t ti, double *c0, double *c1)
{
    double s0 = 0, s1 = 0;
    for (size_t i = 0; i < e->n_xt; i++) {
        double a0, a1;
        lsi_sym_xt *x = &e->xt[i];
        if (x->fft) {
            while (lsi_sym_xtf_need(x, ti))
                if (!lsi_sym_xt_next_block(x))
                    return 0;
            if (!lsi_sym_xtf_pair(x, ti, &a0, &a1))
                return 0;
        } else if (!agg_pair(x, ti, &a0, &a1)) {
            return 0;
        }
        s0 += a0;
        s1 += a1;
    }
    *c0 = s0;
    *c1 = s1;
    return 1;
}

int lsi_sym_xt_direct(const lsi_sym *e)
{
    for (size_t i = 0; e && i < e->n_xt; i++)
        if (!e->xt[i].fft)
            return 1;
    return 0;
}

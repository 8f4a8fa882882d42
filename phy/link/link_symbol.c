/*
 * The symbol-rate engine of a linear link (docs/engines.md). When every stage between the DAC and the
 * sampler is a fused real FIR or an additive Gaussian noise block, the receiver input is
 *   x[i] = sum_m u_m g[i - off - m sps]  +  sum_n d_n (s_{E_n}[i - off] - s[i - off - n sps])  +  noise,
 * u_m the DAC's value on UI m (ls_tx_generate_symbols), g the FIRs' response to a one-UI rectangle,
 * off the FIRs' overlap-save latency; the second sum is TX edge jitter, exact: the DAC area-samples a
 * step at E = n0 + f (samples), so its response is (1 - f) s[x - n0] + f s[x - n0 - 1], s the discrete
 * step response of the FIRs; an edge n moves from its nominal n sps by tau_{n-1} sps and changes the
 * level by d_n = u_n - u_{n-1}. The receiver (phy/rx.c, unchanged) asks x(t) only at its sampling
 * instants (ls_rx_set_sampler); each ask reads the grid samples floor(t) and floor(t) + 1 (interpolated
 * as the receiver interpolates its ring) from an overlap-save FFT at the symbol rate that holds every
 * symbol's pulse and every edge's jitter exactly (link_symbol_tail.c), two table reads per ask. A link
 * whose latency leaves no room for an FFT block sums them directly instead (two polyphase dot products
 * over the pulse and the step-table jitter of every edge that reaches the samples). g and h are cut
 * where the dropped samples' squares sum to (CUT_REL of the peak)^2 at each end (the bulk delay and the
 * far tail): the dropped energy is at most 1e-10 peak^2 <= 1e-10 of the pulse's energy per end. The noise:
 * link_symbol_noise.c. Crosstalk aggressors (xtalk blocks) are added to both grid samples of a read:
 * link_symbol_xtalk.c, link_symbol_xtfft.c.
 */
#include <math.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim/rx.h"
#include "lanesim/tx.h"
#include "link_internal.h"
#include "link_symbol.h"
#include "ls_fastmath.h"
#include "ls_internal.h"

#if defined(__GNUC__) || defined(__clang__)
#define LS_NOINLINE __attribute__((noinline))
#else
#define LS_NOINLINE
#endif

#define CUT_REL 1e-5 /* the dropped samples of g (and h) at each end: root of their sum of squares, relative to the peak */

void lsi_link_symbol_destroy(lsi_sym *e)
{
    if (!e)
        return;
    ls_free(e->G);
    ls_free(e->S);
    ls_free(e->u);
    ls_free(e->ed);
    ls_free(e->ef);
    ls_free(e->en);
    ls_free(e->b);
    ls_free(e->tau);
    lsi_sym_noise_free(&e->nz);
    lsi_sym_tail_free(&e->tl);
    lsi_sym_xt_free(e);
    ls_free(e);
}

/* The FIRs' impulse response h[0..nh) (product of the stages', by convolution) and their latency. */
static ls_status total_response(const ls_link *l, float **h, size_t *nh, long *off)
{
    float *a = ls_alloc_n(1, sizeof *a);
    size_t na = 1;
    if (!a)
        return LS_ENOMEM;
    a[0] = 1.0f;
    *off = 0;
    for (size_t i = 0; i < l->n_st; i++) {
        if (!l->st[i].fir)
            continue;
        float *c = ls_alloc_n(na + l->st[i].nh - 1, sizeof *c);
        ls_status st = c ? lsi_convolve(a, na, l->st[i].h, l->st[i].nh, c) : LS_ENOMEM;
        ls_free(a);
        if (st != LS_OK) {
            ls_free(c);
            return st;
        }
        a = c;
        na += l->st[i].nh - 1;
        *off += (long)ls_fftfilt_latency(l->st[i].fir);
    }
    *h = a;
    *nh = na;
    return LS_OK;
}

/* The one-UI pulse g = h * rect(sps) [0, ng), and its span [lo, hi) with bulk delay and tail cut. */
static ls_status one_ui_pulse(const lsi_sym *e, const float *h, size_t nh, double **gp, long *lo, long *hi)
{
    const long sps = e->sps, ng = (long)nh + sps - 1;
    double *g = ls_alloc_n((size_t)ng, sizeof *g);
    if (!g)
        return LS_ENOMEM;
    double run = 0;
    for (long t = 0; t < ng; t++) {
        run += t < (long)nh ? h[t] : 0.0;
        run -= t - sps >= 0 && t - sps < (long)nh ? h[t - sps] : 0.0;
        g[t] = run;
    }
    lsi_cut_span(g, (size_t)ng, CUT_REL, lo, hi);
    *gp = g;
    return LS_OK;
}

/* The direct polyphase table: G[j][R-1-r] = g[t_lo + j + r sps], r < R, j = 0..sps. */
static ls_status pulse_table(lsi_sym *e, const double *g, long hi)
{
    const long sps = e->sps, lo = e->t_lo;
    if (!(e->G = ls_alloc_n((size_t)(sps + 1) * e->R, sizeof *e->G)))
        return LS_ENOMEM;
    for (long j = 0; j <= sps; j++)
        for (size_t r = 0; r < e->R; r++) {
            long t = lo + j + (long)r * sps;
            e->G[(size_t)j * e->R + (e->R - 1 - r)] = t < hi ? (float)g[t] : 0.0f;
        }
    return LS_OK;
}

/* The discrete step response of h over its span (cut as g), padded by two UIs each side. */
static ls_status step_table(lsi_sym *e, const float *h, size_t nh)
{
    const long sps = e->sps;
    double *hd = ls_alloc_n(nh, sizeof *hd);
    if (!hd)
        return LS_ENOMEM;
    for (size_t i = 0; i < nh; i++)
        hd[i] = h[i];
    long lo, hi;
    lsi_cut_span(hd, nh, CUT_REL, &lo, &hi);
    e->h_lo = lo;
    e->h_hi = hi;
    e->s_lo = lo - 2 * sps - 4;
    e->s_hi = hi + 2 * sps + 4;
    e->e_lo = lo - sps - 2;
    e->e_hi = hi + sps + 2;
    if (!(e->S = ls_alloc_n((size_t)(e->s_hi - e->s_lo), sizeof *e->S))) {
        ls_free(hd);
        return LS_ENOMEM;
    }
    double run = 0;
    for (long x = e->s_lo; x < e->s_hi; x++) {
        run += x >= lo && x < hi ? hd[x] : 0.0;
        e->S[x - e->s_lo] = run;
    }
    ls_free(hd);
    return LS_OK;
}

static ls_status history(ls_link *l, lsi_sym *e, size_t r_full) /* r_full: the UI lags the pulse and h reach */
{
    const size_t C = l->chunk;
    e->hu = (long)r_full + 2 * (long)lsi_pow2_at_least(2 * r_full) + (long)(l->info.latency / e->sps) +
            (long)e->ahead + (e->e_hi - e->e_lo) / (long)e->sps + 64 + (long)LS_RX_MAX_FFE;
    e->ulen = (size_t)e->hu + (C > (size_t)e->hu ? C : (size_t)e->hu) + 4; /* slides (memmove) every ~hu UIs */
    if (!(e->u = ls_alloc_n(e->ulen, sizeof *e->u)) || !(e->ed = ls_alloc_n(e->ulen, sizeof *e->ed)) ||
        !(e->ef = ls_alloc_n(e->ulen, sizeof *e->ef)) || !(e->en = ls_alloc_n(e->ulen, sizeof *e->en)) ||
        !(e->b = ls_alloc_n(C, sizeof *e->b)) || !(e->tau = ls_alloc_n(C, sizeof *e->tau)))
        return LS_ENOMEM;
    return LS_OK;
}

/* The link's symbol ring grown by extra UIs (setup only; the frame generates them ahead of the receiver):
   the generated symbols must not overwrite undecided ones. Empty at frame start. */
static ls_status ring_grow(ls_link *l, size_t extra)
{
    const size_t need = lsi_pow2_at_least(l->ring_mask + 1 + extra + l->chunk);
    if (need <= l->ring_mask + 1)
        return LS_OK;
    uint8_t *b = ls_alloc(need), *v = ls_alloc(need);
    if (!b || !v) {
        ls_free(b);
        ls_free(v);
        return LS_ENOMEM;
    }
    ls_free(l->ring_bits);
    ls_free(l->ring_level);
    l->ring_bits = b;
    l->ring_level = v;
    l->ring_mask = need - 1;
    return LS_OK;
}

/* floor(a / b), b > 0 */
static long floor_div(long a, long b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* The whole pulse (and every edge's jitter) by FFT when the latency leaves room for a block
   (link_symbol_tail.c); else summed directly (the polyphase pulse table and the step table, per read). */
static ls_status split(ls_link *l, lsi_sym *e, const double *g, long hi, const float *h)
{
    const long sps = e->sps, lo = e->t_lo, D = sps / 2 + 1;
    /* the UI lags any sample of g or of a jittered edge's response reaches: [r0, r1) */
    const long r0 = floor_div(e->h_lo - lo - sps - D, sps) < 0 ? floor_div(e->h_lo - lo - sps - D, sps) : 0,
               lead = r0 + (e->off + lo) / sps - 2; /* UIs the history holds beyond the FFT's output */
    long r1 = (hi - lo) / sps + 2;
    r1 = (e->h_hi - lo + D) / sps + 2 > r1 ? (e->h_hi - lo + D) / sps + 2 : r1;
    /* the frame generates e->ahead UIs (whole chunks) before the receiver starts, so that the history
       holds the block of the largest FFT the plan takes (N = pow2(2 Lt), B = N - Lt + 1 outputs) even
       where the FIRs' latency is shorter than B (a short latency would force small blocks) */
    const size_t Lt = (size_t)(r1 - r0), have = lead > 0 ? (size_t)lead : 0, C = l->chunk;
    const size_t want = Lt > 64 ? lsi_pow2_at_least(2 * Lt) - Lt + 1 : 0;
    e->ahead = want > have ? (want - have + C - 1) / C * C : 0;
    ls_status st = history(l, e, Lt);
    if (st == LS_OK && Lt > 64)
        st = lsi_sym_tail_build(e, g, hi, h, e->h_lo, e->h_hi, r0, Lt, have + e->ahead);
    if (st == LS_OK && !e->tl.fft)
        e->ahead = 0;
    if (st == LS_OK && e->ahead)
        st = ring_grow(l, e->ahead);
    if (st != LS_OK || e->tl.fft)
        return st;
    e->R = ((size_t)((hi - lo + sps - 1) / sps + 2) + 7) & ~(size_t)7; /* all of it directly */
    return pulse_table(e, g, hi);
}

ls_status lsi_link_symbol_build(ls_link *l, char *msg, size_t cap)
{
    if (l->sym)
        return LS_OK;
    const char *why = lsi_link_not_linear(l);
    if (why) {
        lsi_say(msg, cap, "the link is not linear with Gaussian noise: stage '%s' (the symbol engine needs fused "
                          "FIRs and additive noise only)", why);
        return LS_EINVAL;
    }
    lsi_sym *e = ls_alloc(sizeof *e);
    if (!e)
        return LS_ENOMEM;
    e->sps = l->info.sps;
    e->sps_log2 = -1;
    for (int b = 0; b < 31; b++)
        e->sps_log2 = e->sps == 1u << b ? b : e->sps_log2;
    e->sign = l->invert ? -1.0 : 1.0;
    float *h = NULL;
    double *g = NULL;
    size_t nh = 0;
    long hi = 0;
    ls_status st = total_response(l, &h, &nh, &e->off);
    if (st == LS_OK)
        st = one_ui_pulse(e, h, nh, &g, &e->t_lo, &hi);
    if (st == LS_OK)
        st = step_table(e, h, nh);
    if (st == LS_OK)
        st = split(l, e, g, hi, h);
    ls_free(h);
    ls_free(g);
    if (st == LS_OK)
        st = lsi_sym_xt_build(l, e, msg, cap);
    if (st == LS_OK)
        st = lsi_sym_noise_build(l, e, msg, cap);
    if (st != LS_OK) {
        if (st == LS_ENOMEM && msg && !msg[0])
            lsi_say(msg, cap, "out of memory");
        lsi_link_symbol_destroy(e);
        return st;
    }
    l->sym = e;
    return LS_OK;
}

ls_status lsi_link_symbol_start(ls_link *l, uint64_t seed, uint64_t frame)
{
    lsi_sym *e = l->sym;
    memset(e->u, 0, e->ulen * sizeof *e->u);
    memset(e->ed, 0, e->ulen * sizeof *e->ed);
    memset(e->ef, 0, e->ulen * sizeof *e->ef);
    memset(e->en, 0, e->ulen * sizeof *e->en);
    e->ubase = -(int64_t)e->hu;
    e->jitter = 0;
    e->bad = 0;
    e->b_last = 0;
    lsi_read_pred_reset(&e->pred);
    lsi_sym_noise_start(&e->nz, seed, frame);
    lsi_tail_start(&e->tl);
    return lsi_sym_xt_start(e, seed, frame);
}

/* The history moves down so that UIs up to k_gen + C + 1 fit, keeping hu UIs before k_gen. */
static void slide(lsi_sym *e, size_t k_gen, size_t C)
{
    if ((int64_t)(k_gen + C + 2) - e->ubase <= (int64_t)e->ulen)
        return;
    const int64_t nb = (int64_t)k_gen - e->hu, sh = nb - e->ubase;
    const size_t keep = e->ulen - (size_t)sh;
    memmove(e->u, e->u + sh, keep * sizeof *e->u);
    memmove(e->ed, e->ed + sh, keep * sizeof *e->ed);
    memmove(e->ef, e->ef + sh, keep * sizeof *e->ef);
    memmove(e->en, e->en + sh, keep * sizeof *e->en);
    memset(e->ed + keep, 0, (size_t)sh * sizeof *e->ed);
    e->ubase = nb;
}

/* The DAC values u and the edges (step ed, shift en, fraction ef) of n symbols with FFE outputs b and edge
   offsets tau (UI), b_prev the one before b[0]: the edge into UI k + 1 goes from b_{k-1} to b_k at
   (k + 1 + tau_k) UI. Returns whether any edge moves. A loop over k in SIMD clones (the same values). */
LSI_SIMD_CLONES static int edges_block(const double *b, const double *tau, double b_prev, double sps, size_t n,
                                       float *u, float *ed, int32_t *en, float *ef)
{
    int moved = 0;
    for (size_t i = 0; i < n; i++) {
        const double bk = b[i], bp = i ? b[i - 1] : b_prev;
        const double dl = tau[i] * sps, fl = floor(dl);
        u[i] = (float)bk;
        ed[i] = (float)(bk - bp);
        en[i] = (int32_t)fl;
        ef[i] = (float)(dl - fl);
        moved |= dl != 0.0;
    }
    return moved;
}

ls_status lsi_link_symbol_chunk(ls_link *l, size_t k_gen)
{
    lsi_sym *e = l->sym;
    const size_t C = l->chunk;
    ls_status st = ls_tx_generate_symbols(l->tx, C, l->gen_bits, l->gen_level, e->b, e->tau);
    if (st != LS_OK)
        return st;
    lsi_link_ring_put(l, k_gen, C);
    slide(e, k_gen, C);
    if (!k_gen)
        e->u[-e->ubase] = (float)e->b[0]; /* UI 0 holds b_0 too */
    /* symbol k's values at history index k + 1 - ubase (the edge into UI k + 1); b_{-1} = b_0 */
    const size_t x = (size_t)((int64_t)(k_gen + 1) - e->ubase);
    e->jitter |= edges_block(e->b, e->tau, k_gen ? e->b_last : e->b[0], (double)e->sps, C, e->u + x, e->ed + x,
                             e->en + x, e->ef + x);
    e->b_last = e->b[C - 1];
    e->last = (int64_t)(k_gen + C);
    return LS_OK;
}

/* The jitter correction at samples t and t + 1 (relative to the DAC's sample 0) into c[0], c[1]: every
   edge that reaches them (the direct sum, without the FFT part). */
static void jitter_at(const lsi_sym *e, long t, double *c)
{
    const long sps = e->sps;
    long n_hi = t + 1 - e->e_lo >= 0 ? (t + 1 - e->e_lo) / sps : -1;
    long n_lo = t - e->e_hi > 0 ? (t - e->e_hi + sps - 1) / sps : 0;
    if (n_lo < e->ubase)
        n_lo = (long)e->ubase;
    if (n_hi >= e->ubase + (long)e->ulen)
        n_hi = (long)e->ubase + (long)e->ulen - 1;
    const double *S = e->S - e->s_lo;
    double a0 = 0, a1 = 0;
    for (long n = n_lo; n <= n_hi; n++) {
        const size_t i = (size_t)(n - e->ubase);
        const double d = e->ed[i];
        if (d == 0.0)
            continue;
        const long x = t - n * sps, y = x - e->en[i];
        const double f = e->ef[i], sm = S[y - 1], s0 = S[y], sp = S[y + 1];
        a0 += d * ((1.0 - f) * s0 + f * sm - S[x]);
        a1 += d * ((1.0 - f) * sp + f * s0 - S[x + 1]);
    }
    c[0] = a0;
    c[1] = a1;
}

/* The direct path's two grid samples (no FFT part): two polyphase dot products of R taps and the
   jitter's step table; out of line, so the FFT path's read keeps a small frame. */
static LS_NOINLINE int direct_pair(lsi_sym *e, long i, long q, long j, double *x0, double *x1)
{
    const int64_t m0 = q - (int64_t)e->R + 1 - e->ubase;
    if (m0 < 0 || q - e->ubase >= (int64_t)e->ulen)
        return 0;
    const float *u = e->u + m0, *g0 = e->G + (size_t)j * e->R, *g1 = g0 + e->R;
    float s0[8] = { 0 }, s1[8] = { 0 };
    for (size_t r = 0; r < e->R; r += 8)
        for (unsigned k = 0; k < 8; k++) {
            s0[k] += g0[r + k] * u[r + k];
            s1[k] += g1[r + k] * u[r + k];
        }
    double a0 = 0, a1 = 0;
    for (unsigned k = 0; k < 8; k++) {
        a0 += s0[k];
        a1 += s1[k];
    }
    if (e->jitter) {
        double c[2];
        jitter_at(e, i, c);
        a0 += c[0];
        a1 += c[1];
    }
    *x0 = a0;
    *x1 = a1;
    return 1;
}

/* The crosstalk aggressors at grid samples ti, ti + 1 added (link_symbol_xtalk.c); out of line. */
static LS_NOINLINE int xt_add(lsi_sym *e, long ti, double *x0, double *x1)
{
    double c0, c1;
    if (!lsi_sym_xt_pair(e, ti, &c0, &c1)) {
        e->bad = 1;
        return 0;
    }
    *x0 += c0;
    *x1 += c1;
    return 1;
}

/* The read at t = ti + a (ti = floor(t), 0 <= a < 1): the grid samples ti, ti + 1 interpolated, the noise. */
static inline double sample_at(lsi_sym *e, long ti, double a, int64_t slot)
{
    const long sps = e->sps;
    const long i = ti - e->off, p = i - e->t_lo;
    const long q = p >= 0 && e->sps_log2 >= 0 ? p >> e->sps_log2 : floor_div(p, sps), j = p - q * sps;
    double x0 = 0, x1 = 0;
    if (e->tl.fft) { /* everything by FFT (link_symbol_tail.c) */
        const int64_t y = q - e->tl.r0;
        x0 = lsi_tail_get(&e->tl, y, j, e->last, &e->bad, lsi_sym_tail_fill, e);
        x1 = lsi_tail_get(&e->tl, y, j + 1, e->last, &e->bad, lsi_sym_tail_fill, e);
    } else if (!direct_pair(e, i, q, j, &x0, &x1)) {
        e->bad = 1;
        return 0;
    }
    if (e->n_xt && !xt_add(e, ti, &x0, &x1))
        return 0;
    const double v = x0 + a * (x1 - x0); /* times sign (+-1): the same value as the product */
    return (e->sign < 0 ? -v : v) + lsi_sym_noise_at(&e->nz, slot, a);
}

/* The receiver asks at t (its sampling instant, in samples); floor(t) predicted (lsi_read_floor), so
   every table address is known before t is: the same ti and a as floor(t) gives. */
double lsi_link_symbol_sample(void *ctx, double t, int64_t slot)
{
    ls_link *l = ctx;
    lsi_sym *e = l->sym;
    double fl;
    const long ti = (long)lsi_read_floor(&e->pred, t, slot, e->sps, &fl);
    return sample_at(e, ti, t - fl, slot);
}

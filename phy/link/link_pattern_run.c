/*
 * The pattern engine's frames (docs/engines.md "The pattern engine"; tables: link_pattern.c). The
 * transmitter gives the symbols, the DAC values b and the edge offsets tau (ls_tx_generate_symbols,
 * the same random streams as the sample path); the history keeps per symbol m its level a_m, its
 * centred level value v~(a_m) and its edge strength e_m = -(b_m - b_{m-1}) tau_m sps. The receiver
 * (phy/rx.c, unchanged) asks x(t) at its instants (ls_rx_set_sampler): the grid samples floor(t)
 * and floor(t) + 1, x[i] = T_j[pattern(q)] + sum_r TT_j[r] v~_{q - ct_hi + r} + sum_r JH_j[r] e_{q
 * - ct_hi + r}, interpolated as the receiver interpolates its ring, plus the noise process scaled
 * by S_j. The sums' cursors c0 .. ct_hi (table index r < Lt) run by overlap-save FFT at the symbol
 * rate (link_symbol_tail.c, lsi_pat_far_fill: per phase X = TT~_j V~ + JH~_j E over a block of B UIs,
 * y = q - c0), the rest directly; the blocks lie on a fixed grid from the frame start, so the reads do
 * not depend on the chunk size. After each read the next one's two grid samples (UI q + 1, the same
 * phases) are computed ahead from what is already there and kept (ahead): the receiver's next instant
 * waits on this read's decision, so this work runs beside the receiver's; a read that finds its UI and
 * phase kept takes those values, bit for bit what it would compute (docs/engines.md "Speed").
 */
#include <math.h>
#include <string.h>

#include "lanesim/rx.h"
#include "lanesim/tx.h"
#include "link_internal.h"
#include "link_pattern.h"
#include "ls_fastmath.h"
#include "ls_internal.h"

ls_status lsi_link_pattern_start(ls_link *l, uint64_t seed, uint64_t frame)
{
    lsi_pat *e = l->pat;
    memset(e->hl, 0, e->hlen);
    memset(e->hv, 0, e->hlen * sizeof *e->hv);
    memset(e->he, 0, e->hlen * sizeof *e->he);
    memset(e->hp, 0, e->hlen * sizeof *e->hp); /* the symbols before the frame: level 0, index 0 */
    memset(e->hg, 0, e->hlen * sizeof *e->hg);
    memset(e->hn, 0, e->hlen * sizeof *e->hn);
    e->hbase = -(int64_t)e->hkeep;
    e->last = -1;
    e->jitter = 0;
    e->bad = 0;
    e->b_last = 0;
    lsi_sym_noise_start(&e->nsrc->nz, seed, frame);
    lsi_tail_start(&e->ft);
    e->sp_q = INT64_MIN;
    lsi_read_pred_reset(&e->pred);
    return LS_OK;
}

/* The history moves down so that symbols up to k_gen + C fit, keeping hkeep symbols before k_gen.
 */
static void slide(lsi_pat *e, size_t k_gen, size_t C)
{
    if ((int64_t)(k_gen + C) - e->hbase < (int64_t)e->hlen)
        return;
    const int64_t nb = (int64_t)k_gen - (int64_t)e->hkeep, sh = nb - e->hbase;
    const size_t keep = e->hlen - (size_t)sh;
    memmove(e->hl, e->hl + sh, keep);
    memmove(e->hv, e->hv + sh, keep * sizeof *e->hv);
    memmove(e->he, e->he + sh, keep * sizeof *e->he);
    memmove(e->hp, e->hp + sh, keep * sizeof *e->hp);
    memmove(e->hg, e->hg + sh, keep * sizeof *e->hg);
    memmove(e->hn, e->hn + sh, keep * sizeof *e->hn);
    e->hbase = nb;
}

ls_status lsi_link_pattern_chunk(ls_link *l, size_t k_gen)
{
    lsi_pat *e = l->pat;
    const size_t C = l->chunk;
    ls_status st = ls_tx_generate_symbols(l->tx, C, l->gen_bits, l->gen_level, e->b, e->tau);
    if (st != LS_OK)
        return st;
    slide(e, k_gen, C);
    lsi_link_ring_put(l, k_gen, C);
    for (size_t i = 0; i < C; i++) {
        const size_t k = k_gen + i, x = (size_t)((int64_t)k - e->hbase);
        const double bk = e->b[i], bp = k ? e->b_last : bk;
        e->hl[x] = l->gen_level[i];
        e->hv[x] = (float)e->vlc[l->gen_level[i]];
        e->he[x] = (float)(-(bk - bp) * e->tau[i] * e->sps);
        e->jitter |= e->tau[i] != 0.0;
        e->b_last = bk;
    }
    e->last = (int64_t)(k_gen + C) - 1;
    /* the indices of the UIs whose newest symbol came in this chunk */
    const unsigned M = e->M;
    for (int64_t q = (int64_t)k_gen - e->dq; q <= e->last - e->dq; q++) {
        const int64_t x = q - e->hbase;
        const uint8_t *hl = e->hl + (x - e->c_lo - (int)e->k + 1), *h3 = e->hl + x;
        unsigned pat = 0, vs = 0;
        for (unsigned r = 0; r < e->k; r++)
            pat = pat * M + hl[r];
        for (int c = (int)LSI_PAT_SW; c >= -(int)LSI_PAT_SW; c--) /* symbol q - c: q - sw first, as trained */
            vs = vs * M + h3[-c];
        e->hp[x] = (uint16_t)pat;
        e->hg[x] = (uint16_t)((h3[1] * M + h3[0]) * M + h3[-1]);
        e->hn[x] = (uint16_t)vs;
    }
    return LS_OK;
}

/* The far tail's phase j spectrum of block bi (link_symbol_tail.c): TT_j V~ + JH_j E, the inputs' spectra
   (v~ and e over symbols y0 - Lt + 1 .. y0 + B - 1) first. */
void lsi_pat_far_fill(void *ctx, int64_t bi, long j, size_t sl)
{
    lsi_pat *e = ctx;
    lsi_sym_tail *tl = &e->ft;
    const size_t nf = tl->N / 2 + 1;
    float complex *U = tl->U + sl * 2 * tl->us;
    if (tl->in_tag[sl] != bi) {
        const int64_t a = bi * (int64_t)tl->B - (int64_t)tl->Lt + 1 - e->hbase; /* history index */
        if ((a < 0 && e->hbase != -(int64_t)e->hkeep) || a + (int64_t)tl->N > (int64_t)e->hlen) {
            e->bad = 1; /* the history no longer (or not yet) holds the block's inputs: a bug */
            memset(lsi_rfft_freq(tl->fft), 0, nf * sizeof *U);
            return;
        }
        lsi_tail_input(tl, e->hv, a, U);
        int jit = 0;
        for (int64_t i = a < 0 ? 0 : a; e->jitter && !jit && i < a + (int64_t)tl->N && i < (int64_t)e->hlen; i++)
            jit = e->he[i] != 0.0f;
        if (jit)
            lsi_tail_input(tl, e->he, a, U + tl->us);
        e->ft_jit[sl] = jit;
        tl->in_tag[sl] = bi;
    }
    float *X = (float *)lsi_rfft_freq(tl->fft);
    lsi_sym_cmul(X, (const float *)(tl->Fg + (size_t)j * nf), (const float *)U, nf, 0);
    if (e->ft_jit[sl])
        lsi_sym_cmul(X, (const float *)(tl->Fh + (size_t)j * nf), (const float *)(U + tl->us), nf, 1);
}

/* floor(a / b) for b > 0 */
static inline int64_t fdiv(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* UI q and phase j of grid sample i: p = i - off - t0, q = floor(p / sps) (a shift when sps is a power
   of two and p >= 0: the same integers without the division) */
static inline int64_t ui_of(const lsi_pat *e, int64_t i, long *jo)
{
    const int64_t sps = e->sps, p = i - e->off - e->t0;
    const int64_t q = p >= 0 && !(sps & (sps - 1)) ? (int64_t)((uint64_t)p >> e->sps_log2) : fdiv(p, sps);
    *jo = (long)(p - q * sps);
    return q;
}

/* The model's last step at UI q, phase j from the linear tail x: T + (G + Q x) x. */
static inline double finish(const lsi_pat *e, int64_t q, long j, double x)
{
    const int64_t x0 = q - e->hbase;
    const size_t g = (size_t)j * e->M * e->M * e->M + e->hg[x0];
    return e->T[(size_t)j * e->npat + e->hp[x0]] + (e->G[g] + e->Q[g] * x) * x;
}

/* The history index of UI q's cursor ct_hi, or -1 when the history does not hold q's symbols. */
static inline int64_t hist_at(const lsi_pat *e, int64_t q)
{
    const int64_t m0 = q - e->ct_hi - e->hbase;
    return m0 < 0 || q - e->ct_lo > e->last || m0 + (int64_t)e->nt > (int64_t)e->hlen ? -1 : m0;
}

/* The linear tail's direct part (cursors ct_lo .. c0 - 1) and jitter at phase j, history index m0 of
   cursor ct_hi. */
static inline double direct(const lsi_pat *e, long j, int64_t m0)
{
    const size_t r0 = e->ft.Lt; /* cursors c0 .. ct_hi by FFT; the rest directly */
    const float *tt = e->TT + (size_t)j * e->nt, *v = e->hv + m0;
    float s[8] = {0};
    for (size_t r = r0; r < e->nt; r += 8)
        for (unsigned u = 0; u < 8; u++)
            s[u] += tt[r + u] * v[r + u];
    if (e->jitter) {
        const size_t ja = LS_MAX(e->jr0, r0), jb = e->jr0 + e->jnr;
        const float *jh = e->JH + (size_t)j * e->nt, *w = e->he + m0;
        for (size_t r = ja; r < jb; r += 8)
            for (unsigned u = 0; u < 8; u++)
                s[u] += jh[r + u] * w[r + u];
    }
    double x = 0;
    for (unsigned u = 0; u < 8; u++)
        x += s[u];
    return x;
}

/* The noiseless model at UI q, phase j (history index m0 of cursor ct_hi). */
static inline double model(lsi_pat *e, int64_t q, long j, int64_t m0)
{
    double x = direct(e, j, m0);
    if (e->ft.fft)
        x += lsi_tail_get(&e->ft, q - e->c0, j, e->last, &e->bad, lsi_pat_far_fill, e);
    return finish(e, q, j, x);
}

/* The noiseless model at grid sample i of the frame. */
static double grid(lsi_pat *e, int64_t i)
{
    long j;
    const int64_t q = ui_of(e, i, &j), m0 = hist_at(e, q);
    if (m0 < 0) {
        e->bad = 1;
        return 0;
    }
    return model(e, q, j, m0);
}

/* The far tail's value at output y, phase j when its block is there (1), without computing one. */
static inline int tail_peek(const lsi_sym_tail *tl, int64_t y, long j, double *v)
{
    if (y < 0)
        return 0;
    const int64_t bi = y / (int64_t)tl->B;
    const size_t k = (size_t)j * 2 + (size_t)(bi & 1);
    if (tl->out_tag[k] != bi)
        return 0;
    *v = tl->T[k * tl->N + tl->Lt - 1 + (size_t)(y - bi * (int64_t)tl->B)];
    return 1;
}

/* The next read's two grid samples, computed ahead (docs/engines.md "Speed"): the receiver's next read is
   most often UI q + 1 at the same phases j, j + 1, and its sampling instant waits on this read's
   decision (CDR), so the model's sums for it run here, beside the receiver's work on this read (in SIMD
   clones: the same eight partial sums in wider vectors, the same values). Only
   from what is already there (its symbols and indices, the far tail's block): the same values as
   computing them at the read. */
LSI_SIMD_CLONES static void ahead(lsi_pat *e, int64_t q, long j)
{
    e->sp_q = INT64_MIN;
    const int64_t m0 = hist_at(e, q);
    double t0 = 0, t1 = 0;
    if (m0 < 0 || q > e->last - e->dq ||
        (e->ft.fft && !(tail_peek(&e->ft, q - e->c0, j, &t0) && tail_peek(&e->ft, q - e->c0, j + 1, &t1))))
        return;
    e->sp_x0 = finish(e, q, j, direct(e, j, m0) + t0);
    e->sp_x1 = finish(e, q, j + 1, direct(e, j + 1, m0) + t1);
    e->sp_q = q;
    e->sp_j = j;
    e->sp_jit = e->jitter;
}

/* floor(t) predicted (lsi_read_floor): the indices are known before t is and only a = t - floor(t)
   waits for the receiver's instant; the same values either way. */
double lsi_link_pattern_sample(void *ctx, double t, int64_t slot)
{
    ls_link *l = ctx;
    lsi_pat *e = l->pat;
    double fl;
    const int64_t i = lsi_read_floor(&e->pred, t, slot, (unsigned)e->sps, &fl);
    const double a = t - fl;
    long j;
    const int64_t q = ui_of(e, i, &j);
    double x;
    const int64_t m0 = a != 0.0 && j + 1 < (long)e->sps ? hist_at(e, q) : -1;
    if (m0 >= 0 && q == e->sp_q && j == e->sp_j && e->jitter == e->sp_jit) { /* computed ahead */
        x = e->sp_x0 + a * (e->sp_x1 - e->sp_x0);
        ahead(e, q + 1, j);
    } else if (m0 >= 0) { /* both grid samples in UI q: the index and the checks once */
        const double x0 = model(e, q, j, m0);
        x = x0 + a * (model(e, q, j + 1, m0) - x0);
        ahead(e, q + 1, j);
    } else {
        const double x0 = grid(e, i);
        x = a != 0.0 ? x0 + a * (grid(e, i + 1) - x0) : x0;
    }
    if (e->noise_r0 > 0) {
        const unsigned vs = e->hn[q - e->hbase];
        x += e->S[(size_t)j * e->nsp + vs] * lsi_sym_noise_at(&e->nsrc->nz, slot, a);
    }
    return x;
}

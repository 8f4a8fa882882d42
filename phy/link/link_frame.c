/*
 * The per-chunk hot loop (ls_link_run_frame, include/lanesim/link.h): a frame of symbols from the
 * transmitter through every stage (fused FIRs by overlap-save, other blocks by their process op)
 * to the receiver, chunk by chunk on the link's own buffers (no allocation), the decisions compared
 * with the transmitted symbols delayed by the link's latency; bit errors into the BER counter, and
 * each counted symbol's eye row from the receiver (the equalized slicer input at every phase of its
 * UI, or the receiver input: docs/eye.md) into the eye under the level transmitted. docs/link.md
 * "Frames". The stages themselves run in link_stages.c (lsi_link_run_stages). The sample path runs
 * what the decisions read, no more (docs/link.md "What a frame runs"): each fused FIR is filled ahead
 * by floor(L / sps) symbols so its L zero outputs skip the stages after it (ls_rx_skip), the
 * transmitter stops where receiver sample j - sum L passes the last sample read
 * (ls_rx_samples_left), and the last chunks run each stage on the outputs a decision reads only.
 */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "lanesim/ber.h"
#include "lanesim/cfftfilt.h"
#include "lanesim/eye.h"
#include "lanesim/fftfilt.h"
#include "lanesim/link.h"
#include "lanesim/pam.h"
#include "lanesim/rx.h"
#include "lanesim/tx.h"
#include "link_internal.h"
#include "ls_internal.h"

/* The next C <= l->chunk symbols from the transmitter into l->wave, their bits and levels into the rings at
   k_gen. */
ls_status lsi_link_generate_chunk(ls_link *l, size_t k_gen, size_t C)
{
    ls_status st;
    if ((st = ls_tx_generate(l->tx, C, l->gen_bits, l->gen_level, l->wave)) != LS_OK)
        return st;
    lsi_link_ring_put(l, k_gen, C);
    return LS_OK;
}

/* Latency of stage i: a fused FIR's overlap-save delay (its first outputs are zeros), else 0. */
static size_t stage_latency(const ls_link *l, size_t i)
{
    return l->st[i].fir ? ls_fftfilt_latency(l->st[i].fir) : l->st[i].cfir ? ls_cfftfilt_latency(l->st[i].cfir) : 0;
}

/* c symbols through stages 0 .. stop-1 into l->wave, the transmitter's from symbol *k_gen; from symbol k_tx
   on zeros instead (no decision reads what they become). left: the receiver's samples still to come
   (ls_rx_samples_left), or UINT64_MAX: where fewer than c sps, each stage runs only on the samples that
   reach a decision: the last stage on left, a FIR's input on its output's count less its latency. */
static ls_status feed(ls_link *l, size_t *k_gen, size_t c, size_t k_tx, size_t stop, uint64_t left)
{
    const size_t sps = l->info.sps, g = k_tx > *k_gen ? (k_tx - *k_gen < c ? k_tx - *k_gen : c) : 0, n = c * sps;
    size_t q[MAX_STAGES];
    ls_status st;
    if (g && (st = lsi_link_generate_chunk(l, *k_gen, g)) != LS_OK)
        return st;
    if (g < c)
        memset(l->wave + g * sps, 0, (c - g) * sps * sizeof *l->wave);
    *k_gen += c;
    if (left == UINT64_MAX || !stop)
        return lsi_link_run_stages(l, stop, n, NULL);
    uint64_t m = left; /* what stage i's outputs must give, from this chunk on */
    for (size_t i = stop; i-- > 0;) {
        q[i] = m < n ? (size_t)m : n;
        const size_t lat = stage_latency(l, i);
        m = m > lat ? m - lat : 0;
    }
    if ((st = lsi_link_run_stages(l, stop, n, q)) != LS_OK)
        return st;
    memset(l->wave + q[stop - 1], 0, (n - q[stop - 1]) * sizeof *l->wave); /* past the last read */
    return LS_OK;
}

/* The fill (docs/link.md "Frames"): each fused FIR in chain order is fed floor(L / sps) symbols of its
   latency L through the stages before it, so its zero outputs never run through the stages after it;
   the receiver skips them (ls_rx_skip). Not when the last block gives the receiver its clock (an IBIS-AMI
   model counts its instants from its own first sample). The skipped samples are returned. */
static ls_status fill(ls_link *l, size_t *k_gen, size_t k_tx, size_t *skip)
{
    const size_t sps = l->info.sps;
    const stage *last = l->n_st ? &l->st[l->n_st - 1] : NULL;
    ls_status st;
    *skip = 0;
    if (last && !last->fir && !last->cfir && last->blk.ops->clock_times)
        return LS_OK;
    for (size_t i = 0; i < l->n_st; i++) {
        const size_t p = stage_latency(l, i) / sps;
        for (size_t done = 0, c; done < p; done += c) {
            c = p - done < l->chunk ? p - done : l->chunk;
            if ((st = feed(l, k_gen, c, k_tx, i + 1, UINT64_MAX)) != LS_OK)
                return st;
        }
        *skip += p * sps;
    }
    return LS_OK;
}

/* The sampling instants the chain's last block recovered in this chunk (an IBIS-AMI receiver model's
   clock times) to the receiver's sampler (ls_rx_push_clock; a receiver without ext_clock ignores them). */
static ls_status push_clock(ls_link *l)
{
    const stage *sg = l->n_st ? &l->st[l->n_st - 1] : NULL;
    if (!sg || sg->fir || sg->cfir || !sg->blk.ops->clock_times)
        return LS_OK;
    const double *t;
    size_t n;
    sg->blk.ops->clock_times(sg->blk.self, &t, &n);
    ls_status st = n ? ls_rx_push_clock(l->rx, t, n) : LS_OK;
    return st == LS_ESTATE ? LS_OK : st;
}

/* The nd decisions from symbol k_first: levels to Gray bits (precoding undone) into l->rx_bits, and the
   transmitted bits and levels of the same symbols from the rings into l->tx_bits_c, l->tx_level_c. */
static void collect_decisions(ls_link *l, uint64_t k_first, size_t nd, unsigned M, uint8_t *dec_state)
{
    /* locals: through l, every byte stored would make the compiler read l's fields again (uint8_t aliases all) */
    uint8_t *restrict rb = l->rx_bits, *restrict tb = l->tx_bits_c, *restrict tl = l->tx_level_c;
    const uint8_t *rbits = l->ring_bits, *rlev = l->ring_level;
    const uint64_t mask = l->ring_mask;
    memcpy(rb, l->rx_level, nd);
    if (l->precoding)
        ls_pam_decode(rb, nd, M, dec_state);
    for (size_t i = 0; i < nd; i++)
        rb[i] = ls_pam_level_to_gray(rb[i]);
    for (size_t i = 0; i < nd; i++) {
        tb[i] = rbits[(k_first + i) & mask];
        tl[i] = rlev[(k_first + i) & mask];
    }
}

/* Decisions a .. nd of the chunk into the error counter; with the inner code, with the slicer inputs
   and the slicer's current reference levels (the inner decoder's reliabilities). */
static ls_status count_errors(ls_link *l, ls_ber *ber, size_t a, size_t nd)
{
    if (!l->rx_y)
        return ls_ber_update(ber, l->tx_level_c + a, l->rx_level + a, l->tx_bits_c + a, l->rx_bits + a, nd - a);
    ls_rx_stats rs;
    ls_rx_get_stats(l->rx, &rs);
    return ls_ber_update_soft(ber, l->tx_level_c + a, l->rx_level + a, l->tx_bits_c + a, l->rx_bits + a, l->rx_y + a,
                              rs.ref_v, nd - a);
}

ls_status ls_link_set_engine(ls_link *l, ls_link_engine e, int need_samples, ls_link_engine *chosen, char *msg,
                             size_t cap)
{
    return ls_link_set_engine_from(l, NULL, e, need_samples, chosen, msg, cap);
}

ls_status ls_link_set_engine_from(ls_link *l, const ls_link *src, ls_link_engine e, int need_samples,
                                  ls_link_engine *chosen, char *msg, size_t cap)
{
    if (msg && cap)
        msg[0] = 0;
    if (!l || (e != LS_ENGINE_SAMPLE && e != LS_ENGINE_SYMBOL && e != LS_ENGINE_AUTO && e != LS_ENGINE_PATTERN))
        return LS_EINVAL;
    l->engine_symbol = 0;
    l->engine_pattern = 0;
    if (chosen)
        *chosen = LS_ENGINE_SAMPLE;
    if (e == LS_ENGINE_SAMPLE)
        return LS_OK;
    if (need_samples) {
        lsi_say(msg, cap, "per-sample output is asked for (the Monte Carlo eye): the sample path runs");
        return e == LS_ENGINE_AUTO ? LS_OK : LS_EINVAL;
    }
    if (e == LS_ENGINE_PATTERN) { /* the pattern engine (link_pattern.c) */
        ls_status st = lsi_link_pattern_build(l, src && src != l ? src->pat : NULL, msg, cap);
        if (st != LS_OK)
            return st;
        l->engine_pattern = 1;
        if (chosen)
            *chosen = LS_ENGINE_PATTERN;
        return LS_OK;
    }
    ls_status st = lsi_link_symbol_build(l, msg, cap);
    if (st != LS_OK)
        return e == LS_ENGINE_AUTO && st == LS_EINVAL ? LS_OK : st;
    if (e == LS_ENGINE_AUTO && lsi_sym_xt_direct(l->sym)) {
        lsi_say(msg, cap, "a crosstalk aggressor with TX jitter (xtalk.tx_jitter) is summed edge by edge in the "
                          "symbol engine, slower than the sample path: the sample path runs");
        return LS_OK;
    }
    l->engine_symbol = 1;
    if (chosen)
        *chosen = LS_ENGINE_SYMBOL;
    return LS_OK;
}

ls_status ls_link_run_frame(ls_link *l, uint64_t seed, uint64_t frame, int64_t first_ui, size_t n_warm,
                            size_t n_count, ls_ber *ber, ls_eye *eye)
{
    if (!l)
        return LS_EINVAL;
    const unsigned sps = l->info.sps, M = l->info.levels;
    const size_t C = l->chunk;
    const int pat = l->engine_pattern && l->pat && !eye; /* the pattern engine (link_pattern_run.c) */
    const int sym = (l->engine_symbol && l->sym && !eye) || pat; /* a symbol-rate engine (link_symbol.c) */
    l->tr.sym = pat ? 2 : sym;
    l->tr.wn = l->tr.n = 0;
    ls_status st = ls_tx_start(l->tx, seed, frame, first_ui - (int64_t)n_warm);
    if (st != LS_OK)
        return st;
    if ((st = pat   ? lsi_link_pattern_start(l, seed, frame)
               : sym ? lsi_link_symbol_start(l, seed, frame)
                     : lsi_link_reset_stages(l, seed, frame)) != LS_OK)
        return st;
    if ((st = ls_rx_set_eye(l->rx, eye != NULL)) != LS_OK ||
        (st = ls_rx_set_sampler(l->rx,
                                l->tr.cap ? lsi_link_trace_sample
                                : pat     ? lsi_link_pattern_sample
                                : sym     ? lsi_link_symbol_sample
                                          : NULL,
                                l)) != LS_OK ||
        (st = ls_rx_start(l->rx, seed, frame, n_warm + n_count)) != LS_OK)
        return st;
    const size_t k_end = n_warm + n_count;        /* decide symbols 0 .. k_end-1 */
    size_t k_gen = 0, k_done = 0;                 /* generated symbols; decided symbols */
    uint8_t dec_state = 0;
    /* the sample path (docs/link.md "Frames"): receiver sample j reads transmitter samples <= j - (sum of
       the FIR latencies), so the transmitter's symbols from k_tx on are zeros; the FIRs are filled ahead */
    size_t k_tx = SIZE_MAX, skip = 0;
    if (!sym) {
        const uint64_t need = ls_rx_samples_left(l->rx);
        size_t lat = 0;
        for (size_t i = 0; i < l->n_st; i++)
            lat += stage_latency(l, i);
        k_tx = need == UINT64_MAX ? SIZE_MAX : need > lat ? (size_t)((need - lat + sps - 1) / sps) : 0;
        if ((st = fill(l, &k_gen, k_tx, &skip)) != LS_OK || (st = ls_rx_skip(l->rx, skip)) != LS_OK)
            return st;
        if (l->tr.cap)
            lsi_link_trace_wave(l, NULL, skip);
    }
    for (size_t g = 0; sym && !pat && g < l->sym->ahead; g += C) { /* the symbol engine's lead (link_symbol.c) */
        if ((st = lsi_link_symbol_chunk(l, k_gen)) != LS_OK)
            return st;
        k_gen += C;
    }
    while (k_done < k_end) {
        size_t c = C;
        if (sym) {
            if ((st = pat ? lsi_link_pattern_chunk(l, k_gen) : lsi_link_symbol_chunk(l, k_gen)) != LS_OK)
                return st;
            k_gen += C;
        } else {
            const uint64_t left = ls_rx_samples_left(l->rx); /* the last chunk stops at the last sample read */
            if (left && left < (uint64_t)C * sps)
                c = (size_t)((left + sps - 1) / sps);
            if ((st = feed(l, &k_gen, c, k_tx, l->n_st, left ? left : UINT64_MAX)) != LS_OK)
                return st;
            if (l->invert)
                for (size_t i = 0; i < c * sps; i++)
                    l->wave[i] = -l->wave[i];
            if (l->tr.cap)
                lsi_link_trace_wave(l, l->wave, c * sps);
        }
        const size_t n = c * sps;
        if ((st = push_clock(l)) != LS_OK)
            return st;
        size_t nd;
        uint64_t k_first;
        if ((st = ls_rx_process(l->rx, sym || l->tr.cap ? NULL : l->wave, n, l->rx_level, l->rx_y, l->rx_cap, &nd,
                                &k_first)) != LS_OK)
            return st;
        if ((pat && l->pat->bad) || (sym && !pat && l->sym->bad))
            return LS_EINTERNAL;
        if (nd && k_first + nd > k_end)
            nd = k_first < k_end ? (size_t)(k_end - k_first) : 0;
        if (!nd)
            continue;
        collect_decisions(l, k_first, nd, M, &dec_state);
        k_done = (size_t)k_first + nd;
        if (k_done > n_warm) {
            size_t a = k_first >= n_warm ? 0 : (size_t)(n_warm - k_first);
            if (ber && (st = count_errors(l, ber, a, nd)) != LS_OK)
                return st;
            if (eye && (st = ls_eye_add_rows(eye, ls_rx_eye_rows(l->rx, NULL) + a * sps, l->tx_level_c + a, nd - a,
                                             k_first + a)) != LS_OK)
                return st;
        }
    }
    return LS_OK;
}

/*
 * Error counter: SER, BER, per-eye errors, error bursts and KP4 codeword statistics.
 *
 * Per symbol: a level mismatch is a symbol error; it extends the open burst and adds one to
 * every decision threshold between the sent and the decided level. A matching symbol closes
 * the open burst (histogram bin min(L, 64) - 1). Bit errors are the popcount of tx ^ rx.
 *
 * FEC counting follows the error-position model of an RS(544,514) decoder (IEEE 802.3 cl. 91,
 * 119): the serial bit stream (MSB of each symbol first) is cut into 10-bit RS symbols and
 * 544-symbol codewords from the first symbol after create/reset. State across calls: the bit
 * offset inside the current codeword, its count of RS symbols in error, and the index of the
 * last RS symbol already counted (so two bit errors in one RS symbol count once). Symbols with
 * no bit error that do not reach the codeword end take an O(1) fast path. The counting runs eight symbols
 * at a time (XOR of 64-bit words: popcounts for the bit and symbol errors, the burst and sub-eye
 * bookkeeping only at the errors), the same counts as the symbol-by-symbol loop that does the rest.
 *
 * Error-density alarm (ls_ber_set_alarm): symbol errors per window of W symbols aligned to the first
 * symbol after reset; the alarm records the first symbol at which a window reaches its count.
 *
 * Intervals: Clopper-Pearson (exact binomial) at 95 %, from lanesim/stats.h.
 */
#include "lanesim/ber.h"

#include <stdlib.h>
#include <string.h>

#include "lanesim/fec.h"
#include "lanesim/pam.h"
#include "lanesim/stats.h"
#include "ls_internal.h"

#define FEC_SYM_BITS 10u
#define FEC_CW_BITS LS_RS_KP4_BITS
#define FEC_T LS_RS_KP4_T
#define NO_SYMBOL 0xffffffffu

struct ls_ber {
    unsigned bps;      /* bits per symbol, 1..3 */
    unsigned mask;     /* 2^bps - 1: largest valid level and bit value */
    int fec;           /* count codewords */
    ls_ber_counts c;   /* cumulative counts (open burst not yet included) */
    uint64_t run;      /* length of the open burst, 0 if none */
    unsigned cw_bit;   /* bits already in the current codeword, 0..FEC_CW_BITS-1 */
    unsigned cw_errs;  /* RS symbols in error in the current codeword */
    unsigned last_sym; /* RS symbol (index in codeword) last counted as in error, or NO_SYMBOL */
    uint64_t win, win_alarm;   /* alarm window (symbols, 0 = off) and its error count */
    uint64_t win_pos, win_errs; /* symbols and symbol errors in the current window */
    int inner;                  /* ls_ifec_mode */
    unsigned chase_l;
    unsigned blk_n;             /* symbols in the open inner block */
    uint8_t blk_tx[LS_IFEC_SYMBOLS], blk_rx[LS_IFEC_SYMBOLS], blk_alt[LS_IFEC_SYMBOLS];
    double blk_cost[LS_IFEC_SYMBOLS];
};

static const unsigned char popcount3[8] = {0, 1, 1, 2, 1, 2, 2, 3};

void ls_ber_config_init(ls_ber_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_ber_config){.bits_per_symbol = 2u, .levels = 4u, .fec = 1};
}

static void clear_state(ls_ber *q)
{
    memset(&q->c, 0, sizeof q->c);
    q->run = 0;
    q->cw_bit = 0;
    q->cw_errs = 0;
    q->last_sym = NO_SYMBOL;
    q->win_pos = q->win_errs = 0;
    q->blk_n = 0;
}

ls_ber *ls_ber_create(const ls_ber_config *cfg, ls_status *err)
{
    ls_status st = LS_EINVAL;
    ls_ber *q = NULL;
    if (!cfg || cfg->bits_per_symbol < 1u || cfg->bits_per_symbol > 3u ||
        cfg->levels != (1u << cfg->bits_per_symbol))
        goto fail;
    st = LS_ENOMEM;
    if (!(q = calloc(1, sizeof *q)))
        goto fail;
    q->bps = cfg->bits_per_symbol;
    q->mask = cfg->levels - 1u;
    q->fec = cfg->fec != 0;
    q->inner = cfg->inner;
    q->chase_l = cfg->chase_l;
    if (q->inner != LS_IFEC_NONE &&
        ((q->inner != LS_IFEC_HARD && q->inner != LS_IFEC_CHASE) || cfg->levels != 4u ||
         (q->inner == LS_IFEC_CHASE && (q->chase_l < 1u || q->chase_l > LS_IFEC_MAX_CHASE)))) {
        st = LS_EINVAL;
        goto fail;
    }
    clear_state(q);
    if (err)
        *err = LS_OK;
    return q;
fail:
    ls_ber_destroy(q);
    if (err)
        *err = st;
    return NULL;
}

static void add_burst(ls_ber_counts *c, uint64_t len)
{
    c->bursts++;
    c->burst_hist[len < LS_BER_BURST_BINS ? len - 1u : LS_BER_BURST_BINS - 1u]++;
    if (len > c->max_burst)
        c->max_burst = len;
}

/* One bit of the serial stream into the codeword tracker. */
static void fec_bit(ls_ber *q, unsigned bit_err)
{
    if (bit_err) {
        unsigned sym = q->cw_bit / FEC_SYM_BITS;
        if (sym != q->last_sym) {
            q->last_sym = sym;
            q->cw_errs++;
        }
    }
    if (++q->cw_bit == FEC_CW_BITS) {
        ls_ber_counts *c = &q->c;
        c->codewords++;
        c->fec_symbol_errors += q->cw_errs;
        if (q->cw_errs > c->max_fec_symbol_errors)
            c->max_fec_symbol_errors = q->cw_errs;
        c->fec_hist[q->cw_errs > FEC_T ? FEC_T + 1u : q->cw_errs]++;
        c->codewords_failed += q->cw_errs > FEC_T;
        q->cw_bit = 0;
        q->cw_errs = 0;
        q->last_sym = NO_SYMBOL;
    }
}

/* A symbol sent at level a and decided at b != a: one error in every eye between them. */
static inline void eye_count(ls_ber_counts *c, unsigned a, unsigned b)
{
    const unsigned lo = a < b ? a : b, hi = a < b ? b : a;
    for (unsigned e = lo; e < hi; e++)
        c->eye_errors[e]++;
}

/* One symbol's bit errors e (MSB first) into the codeword tracker, the codeword's bit count cw_bit held by the
   caller in a local (no store and reload per symbol): the new count. No error short of the codeword's end: the
   count moves on, nothing else. */
static inline unsigned fec_symbol(ls_ber *q, unsigned cw_bit, unsigned e)
{
    const unsigned bps = q->bps;
    if (!e && cw_bit + bps < FEC_CW_BITS)
        return cw_bit + bps;
    q->cw_bit = cw_bit;
    for (unsigned k = bps; k-- > 0;)
        fec_bit(q, (e >> k) & 1u);
    return q->cw_bit;
}

ls_status ls_ber_set_alarm(ls_ber *q, uint64_t window, uint64_t errors)
{
    if (!q || (window && (!errors || errors > window)))
        return LS_EINVAL;
    q->win = window;
    q->win_alarm = errors;
    q->win_pos = q->win_errs = 0;
    return LS_OK;
}

/* The alarm window over n symbols: err[i] != 0 for a symbol error (the first symbol is counts.symbols). */
static void window_update(ls_ber *q, const uint8_t *tx_level, const uint8_t *rx_level, size_t n)
{
    ls_ber_counts *c = &q->c;
    for (size_t i = 0; i < n; i++) {
        if (tx_level[i] != rx_level[i]) {
            q->win_errs++;
            if (q->win_errs > c->max_window_errors)
                c->max_window_errors = q->win_errs;
            if (q->win_errs == q->win_alarm && !c->alarm) {
                c->alarm = 1;
                c->alarm_symbol = c->symbols + i;
            }
        }
        if (++q->win_pos == q->win)
            q->win_pos = q->win_errs = 0;
    }
}

ls_status ls_ber_update(ls_ber *q, const uint8_t *tx_level, const uint8_t *rx_level,
                        const uint8_t *tx_bits, const uint8_t *rx_bits, size_t n)
{
    if (!q)
        return LS_EINVAL;
    if (!n)
        return LS_OK;
    if (!tx_level || !rx_level || !tx_bits || !rx_bits)
        return LS_EINVAL;

    /* Range check first, so a rejected call changes nothing. levels = 2^bps, so a value is
     * valid iff it has no bit above mask. */
    unsigned any = 0;
    for (size_t i = 0; i < n; i++)
        any |= (unsigned)(tx_level[i] | rx_level[i] | tx_bits[i] | rx_bits[i]);
    if (any & ~q->mask)
        return LS_EINVAL;

    ls_ber_counts *c = &q->c;
    const unsigned bps = q->bps;
    uint64_t sym_errs = 0, bit_errs = 0, run = q->run;
    unsigned cw_bit = q->cw_bit;
    size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Eight symbols at a time (byte j of a word = symbol i + j): the bit errors are the popcount of the
       bits' XOR (every value <= 7: each byte's three bits summed); the symbol errors are the
       non-zero bytes of the levels' XOR, visited in order by their lowest bit. A burst goes on through an
       error right after the previous symbol's (run > 0 then, or a new one from 0), else the open one
       closes and a new one starts; a correct last symbol closes it. FEC: a word that stays inside the
       codeword counts the RS symbols of its bit errors (in stream order) and moves the bit count by 8 bps;
       one that reaches the codeword's end goes symbol by symbol. */
    for (; i + 8 <= n; i += 8) {
        uint64_t ta, ra, tb, rb;
        memcpy(&ta, tx_level + i, 8);
        memcpy(&ra, rx_level + i, 8);
        memcpy(&tb, tx_bits + i, 8);
        memcpy(&rb, rx_bits + i, 8);
        const uint64_t lx = ta ^ ra, bx = tb ^ rb;
        const uint64_t b1 = 0x0101010101010101ull; /* byte sums by a product (no popcnt in the baseline ISA) */
        bit_errs += (((bx & b1) + (bx >> 1 & b1) + (bx >> 2 & b1)) * b1) >> 56;
        if (lx) {
            uint64_t m = (lx | lx >> 1 | lx >> 2) & b1;
            unsigned prev = ~0u; /* the last error's byte in this word (~0u: none; prev + 1 = 0) */
            sym_errs += (m * b1) >> 56;
            do {
                const unsigned p = (unsigned)__builtin_ctzll(m) >> 3;
                m &= m - 1;
                eye_count(c, tx_level[i + p], rx_level[i + p]);
                if (p == prev + 1u) {
                    run++;
                } else {
                    if (run)
                        add_burst(c, run);
                    run = 1;
                }
                prev = p;
            } while (m);
            if (prev != 7u) {
                add_burst(c, run);
                run = 0;
            }
        } else if (run) {
            add_burst(c, run);
            run = 0;
        }
        if (!q->fec)
            continue;
        if (cw_bit + 8u * bps < FEC_CW_BITS) { /* inside the codeword: its RS symbols at the bit errors */
            uint64_t mb = (bx | bx >> 1 | bx >> 2) & b1;
            while (mb) {
                const unsigned j = (unsigned)__builtin_ctzll(mb) >> 3, e = (unsigned)(bx >> (8u * j)) & 7u;
                mb &= mb - 1;
                for (unsigned k = bps; k-- > 0;) /* the serial stream: MSB first */
                    if ((e >> k) & 1u) {
                        const unsigned sym = (cw_bit + j * bps + (bps - 1u - k)) / FEC_SYM_BITS;
                        q->cw_errs += sym != q->last_sym;
                        q->last_sym = sym;
                    }
            }
            cw_bit += 8u * bps;
            continue;
        }
        for (unsigned j = 0; j < 8; j++)
            cw_bit = fec_symbol(q, cw_bit, (unsigned)(tx_bits[i + j] ^ rx_bits[i + j]));
    }
#endif
    for (; i < n; i++) {
        unsigned a = tx_level[i], b = rx_level[i];
        if (a != b) {
            sym_errs++;
            run++;
            eye_count(c, a, b);
        } else if (run) {
            add_burst(c, run);
            run = 0;
        }

        unsigned e = (unsigned)(tx_bits[i] ^ rx_bits[i]);
        bit_errs += popcount3[e];
        if (q->fec)
            cw_bit = fec_symbol(q, cw_bit, e);
    }
    q->cw_bit = cw_bit;
    q->run = run;
    if (q->win)
        window_update(q, tx_level, rx_level, n);
    c->symbols += n;
    c->bits += (uint64_t)n * bps;
    c->symbol_errors += sym_errs;
    c->bit_errors += bit_errs;
    return LS_OK;
}

/* A complete inner block: decode, then count its 60 message symbols before and after. */
static void inner_block(ls_ber *q)
{
    ls_ber_counts *c = &q->c;
    uint8_t rx[LS_IFEC_SYMBOLS];
    memcpy(rx, q->blk_rx, sizeof rx);
    const int r = ls_ifec_decode(rx, q->blk_tx, q->blk_alt, q->blk_cost, (ls_ifec_mode)q->inner, q->chase_l);
    c->inner_blocks++;
    c->inner_corrected += r == 1;
    c->inner_detected += r == 2;
    for (unsigned k = 0; k < LS_IFEC_MSG_SYMBOLS; k++) {
        const uint8_t g = ls_pam_level_to_gray(q->blk_tx[k]);
        c->inner_pre_bit_errors += popcount3[g ^ ls_pam_level_to_gray(q->blk_rx[k])];
        c->inner_bit_errors += popcount3[g ^ ls_pam_level_to_gray(rx[k])];
        c->inner_symbol_errors += rx[k] != q->blk_tx[k];
    }
    c->inner_bits += 2u * LS_IFEC_MSG_SYMBOLS;
    c->inner_symbols += LS_IFEC_MSG_SYMBOLS;
    q->blk_n = 0;
}

ls_status ls_ber_update_soft(ls_ber *q, const uint8_t *tx_level, const uint8_t *rx_level, const uint8_t *tx_bits,
                             const uint8_t *rx_bits, const float *y, const double *ref_v, size_t n)
{
    ls_status st = ls_ber_update(q, tx_level, rx_level, tx_bits, rx_bits, n);
    if (st != LS_OK || !n || q->inner == LS_IFEC_NONE)
        return st;
    if (!y || !ref_v)
        return LS_EINVAL;
    for (size_t i = 0; i < n; i++) {
        const unsigned d = rx_level[i];
        const double v = y[i];
        /* the neighbour on the sample's side of the decided level (the only one at the ends) */
        const unsigned a = d == 0u ? 1u : d == 3u ? 2u : (v >= ref_v[d] ? d + 1u : d - 1u);
        const double cost = (v - ref_v[a]) * (v - ref_v[a]) - (v - ref_v[d]) * (v - ref_v[d]);
        q->blk_tx[q->blk_n] = tx_level[i];
        q->blk_rx[q->blk_n] = (uint8_t)d;
        q->blk_alt[q->blk_n] = (uint8_t)a;
        q->blk_cost[q->blk_n] = cost > 0 ? cost : 0.0;
        if (++q->blk_n == LS_IFEC_SYMBOLS)
            inner_block(q);
    }
    return LS_OK;
}

ls_status ls_ber_reset(ls_ber *q)
{
    if (!q)
        return LS_EINVAL;
    clear_state(q);
    return LS_OK;
}

void ls_ber_get_counts(const ls_ber *q, ls_ber_counts *c)
{
    if (!q || !c)
        return;
    *c = q->c;
    if (q->run)
        add_burst(c, q->run);
}

void ls_ber_counts_add(ls_ber_counts *acc, const ls_ber_counts *c)
{
    if (!acc || !c)
        return;
    acc->symbols += c->symbols;
    acc->symbol_errors += c->symbol_errors;
    acc->bits += c->bits;
    acc->bit_errors += c->bit_errors;
    for (size_t i = 0; i < LS_BER_MAX_EYES; i++)
        acc->eye_errors[i] += c->eye_errors[i];
    acc->bursts += c->bursts;
    for (size_t i = 0; i < LS_BER_BURST_BINS; i++)
        acc->burst_hist[i] += c->burst_hist[i];
    acc->max_burst = LS_MAX(acc->max_burst, c->max_burst);
    acc->codewords += c->codewords;
    acc->codewords_failed += c->codewords_failed;
    acc->fec_symbol_errors += c->fec_symbol_errors;
    acc->max_fec_symbol_errors = LS_MAX(acc->max_fec_symbol_errors, c->max_fec_symbol_errors);
    for (size_t i = 0; i < LS_BER_FEC_HIST; i++)
        acc->fec_hist[i] += c->fec_hist[i];
    acc->max_window_errors = LS_MAX(acc->max_window_errors, c->max_window_errors);
    acc->inner_blocks += c->inner_blocks;
    acc->inner_corrected += c->inner_corrected;
    acc->inner_detected += c->inner_detected;
    acc->inner_bits += c->inner_bits;
    acc->inner_pre_bit_errors += c->inner_pre_bit_errors;
    acc->inner_bit_errors += c->inner_bit_errors;
    acc->inner_symbols += c->inner_symbols;
    acc->inner_symbol_errors += c->inner_symbol_errors;
    if (!acc->alarm && c->alarm) {
        acc->alarm = 1;
        acc->alarm_symbol = c->alarm_symbol;
    }
}

static double ratio(uint64_t k, uint64_t n)
{
    return n ? (double)k / (double)n : 0.0;
}

void ls_ber_results_from_counts(const ls_ber_counts *c, ls_ber_results *r)
{
    if (!c || !r)
        return;
    ls_ber_counts cc = *c; /* r->c may be *c */
    ls_interval bi = ls_ci_clopper_pearson(cc.bit_errors, cc.bits, 0.95);
    ls_interval si = ls_ci_clopper_pearson(cc.symbol_errors, cc.symbols, 0.95);
    ls_rs_code kp4 = LS_RS_KP4_INIT;
    *r = (ls_ber_results){.c = cc};
    r->ber = ratio(cc.bit_errors, cc.bits);
    r->ber_ci95_lo = bi.lo;
    r->ber_ci95_hi = bi.hi;
    r->ser = ratio(cc.symbol_errors, cc.symbols);
    r->ser_ci95_lo = si.lo;
    r->ser_ci95_hi = si.hi;
    r->post_fec_cer_random = ls_fec_cer_random(&kp4, r->ber);
    r->cer_counted = ratio(cc.codewords_failed, cc.codewords);
    if (cc.inner_blocks) {
        ls_interval ii = ls_ci_clopper_pearson(cc.inner_bit_errors, cc.inner_bits, 0.95);
        r->inner_ber = ratio(cc.inner_bit_errors, cc.inner_bits);
        r->inner_ber_ci95_lo = ii.lo;
        r->inner_ber_ci95_hi = ii.hi;
        r->inner_pre_ber = ratio(cc.inner_pre_bit_errors, cc.inner_bits);
        r->post_inner_cer_random = ls_fec_cer_random(&kp4, r->inner_ber);
        r->post_inner_rs_ber_random = ls_fec_post_ber_random(&kp4, r->inner_ber);
    }
}

void ls_ber_destroy(ls_ber *q)
{
    free(q);
}

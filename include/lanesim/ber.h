/**
 * @file ber.h
 * Error counter: symbol and bit errors, errors per sub-eye, bursts of consecutive symbol errors,
 * and RS(544,514) "KP4" codeword statistics from the positions of the bit errors.
 *
 * The counter compares what was sent with what the slicer decided, symbol by symbol:
 *  - symbol errors (SER, bursts, eye_errors) compare level indices (0 = lowest level);
 *  - bit errors (BER, FEC) compare the data bits after Gray demapping / precoding undo.
 * FEC counting (cfg.fec): the bit stream, first-transmitted bit first, is cut into 10-bit RS
 * symbols and 5440-bit codewords, aligned to the first symbol after create or reset. An RS
 * symbol is in error when any of its bits is; a codeword fails with more than 15 RS symbol
 * errors. Only complete codewords are counted. No decoding is done: this is the error-position
 * model of IEEE 802.3 cl. 91/119 RS(544,514) (docs/measurement.md, "FEC").
 *
 * Counts are cumulative since create or reset. Frames of a run can be counted by separate
 * objects and merged with ls_ber_counts_add (exact for FEC when a frame is a whole number of
 * codewords; a burst spanning two frames counts as two bursts).
 *
 * Not thread-safe: one object per stream. Only create allocates.
 */
#ifndef LS_BER_H
#define LS_BER_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Sub-eyes of PAM8, the largest alphabet (levels - 1). */
#define LS_BER_MAX_EYES 7
/** Burst histogram bins: [L-1] for length L = 1..63, [63] for L >= 64. */
#define LS_BER_BURST_BINS 64
/** FEC histogram bins: [i] for i = 0..15 RS symbol errors per codeword, [16] for more. */
#define LS_BER_FEC_HIST 17

/** Error counter (opaque). */
typedef struct ls_ber ls_ber;

/** Counter configuration. */
typedef struct {
    unsigned bits_per_symbol; /**< data bits per symbol, 1..3 (NRZ, PAM4, PAM8) */
    unsigned levels;          /**< levels, must equal 2^bits_per_symbol */
    int fec;                  /**< nonzero: count KP4 codewords from the bit-error positions */
    int inner;                /**< inner code (ls_ifec_mode, fec.h; PAM4 only): decode 64-symbol
                                   blocks in ls_ber_update_soft and count the errors after it */
    unsigned chase_l;         /**< Chase-2 test set size with inner = LS_IFEC_CHASE, 1..8 */
} ls_ber_config;

/** Raw counts, cumulative since create/reset. All are sums except the max_* fields. */
typedef struct {
    uint64_t symbols;       /**< symbols compared */
    uint64_t symbol_errors; /**< symbols whose decided level differs from the sent one */
    uint64_t bits;          /**< bits compared (symbols * bits_per_symbol) */
    uint64_t bit_errors;    /**< differing data bits */
    /** Per decision threshold crossed: eye i lies between levels i and i+1 (0 = lowest). A symbol
     *  sent at level a and decided at b != a adds one to every eye between them. */
    uint64_t eye_errors[LS_BER_MAX_EYES];
    uint64_t bursts; /**< maximal runs of consecutive symbol errors */
    /** Runs by length: [L-1] for L = 1..63, [63] for L >= 64. */
    uint64_t burst_hist[LS_BER_BURST_BINS];
    uint64_t max_burst;             /**< longest run, symbols */
    uint64_t codewords;             /**< complete KP4 codewords (0 when FEC counting is off) */
    uint64_t codewords_failed;      /**< codewords with more than 15 RS symbol errors */
    uint64_t fec_symbol_errors;     /**< RS symbol errors in complete codewords */
    uint64_t max_fec_symbol_errors; /**< most RS symbol errors in one codeword */
    /** Codewords by RS symbol errors: [i] for i = 0..15, [16] for more (= codewords_failed). */
    uint64_t fec_hist[LS_BER_FEC_HIST];
    /** Error-density alarm (ls_ber_set_alarm; all 0 when it is off): the most symbol errors in one
     *  window of the alarm's length (windows aligned to the first symbol after create or reset), and
     *  whether a window reached the alarm's count: alarm_symbol is then the symbol (counted from
     *  that first symbol) at which it did, the first time. */
    uint64_t max_window_errors;
    int alarm;
    uint64_t alarm_symbol;
    /** Inner code (cfg.inner; all 0 when off): complete 64-symbol blocks, those corrected and those
     *  detected but left, and over their 120 message bits the bit and symbol errors before and
     *  after the inner decoder. */
    uint64_t inner_blocks, inner_corrected, inner_detected;
    uint64_t inner_bits, inner_pre_bit_errors, inner_bit_errors;
    uint64_t inner_symbols, inner_symbol_errors;
} ls_ber_counts;

/** Figures derived from counts by ls_ber_results_from_counts. */
typedef struct {
    ls_ber_counts c; /**< the counts the figures come from */
    double ber;      /**< bit_errors / bits (0 if no bits) */
    /** 95 % Clopper-Pearson interval of the BER ([0, 1] if no bits). */
    double ber_ci95_lo, ber_ci95_hi;
    double ser; /**< symbol_errors / symbols (0 if no symbols) */
    /** 95 % Clopper-Pearson interval of the SER ([0, 1] if no symbols). */
    double ser_ci95_lo, ser_ci95_hi;
    /** ls_fec_cer_random(KP4, ber): the CER if the bit errors were independent. */
    double post_fec_cer_random;
    double cer_counted; /**< codewords_failed / codewords (0 if no codewords) */
    /** Inner code (counts.inner_blocks > 0): message BER after the inner decoder with its 95 %
     *  interval, and RS(544,514) after both as the random-error closed form at that BER (the
     *  draft's interleaver puts the 12 RS symbols of a block into 12 RS codewords). */
    double inner_ber, inner_ber_ci95_lo, inner_ber_ci95_hi;
    double inner_pre_ber; /**< message BER before the inner decoder, same bits */
    double post_inner_cer_random, post_inner_rs_ber_random;
} ls_ber_results;

/** Defaults: PAM4 (2 bits, 4 levels), FEC counting on. */
void ls_ber_config_init(ls_ber_config *cfg);

/**
 * Creates a counter with zero counts.
 * @param cfg  configuration (not kept)
 * @param err  status out (may be NULL): LS_EINVAL for a NULL cfg, bits_per_symbol outside 1..3
 *             or levels != 2^bits_per_symbol; LS_ENOMEM.
 * @return the counter, or NULL on error. Free with ls_ber_destroy.
 */
LS_NODISCARD ls_ber *ls_ber_create(const ls_ber_config *cfg, ls_status *err);

/**
 * Counts n consecutive symbols; successive calls continue the same stream (bursts and
 * codewords run across calls, so any chunking gives the same counts).
 * @param tx_level  [n] sent level index, 0..levels-1
 * @param rx_level  [n] decided level index, 0..levels-1
 * @param tx_bits   [n] sent data bits of each symbol, 0..2^bps-1, first-transmitted bit in the MSB
 * @param rx_bits   [n] decided data bits, same layout
 * @param n         symbols; 0 is a no-op (the pointers may then be NULL)
 * @return LS_OK; LS_EINVAL for a NULL q or array, or any value out of range (checked before any
 *         count changes, so a rejected call leaves the counter as it was).
 * The arrays may alias each other. Never allocates; O(n).
 */
LS_NODISCARD ls_status ls_ber_update(ls_ber *q, const uint8_t *tx_level, const uint8_t *rx_level,
                                     const uint8_t *tx_bits, const uint8_t *rx_bits, size_t n);

/**
 * ls_ber_update plus the inner decoder (cfg.inner): y[n] the slicer inputs and ref_v[levels] the
 * slicer's reference levels (the same units), from which each symbol's second most likely level
 * and its cost come. The raw counts are ls_ber_update's; the inner_* counts come from complete
 * 64-symbol blocks aligned to the first symbol after create or reset. With cfg.inner off it is
 * ls_ber_update. Never allocates.
 */
LS_NODISCARD ls_status ls_ber_update_soft(ls_ber *q, const uint8_t *tx_level, const uint8_t *rx_level,
                                          const uint8_t *tx_bits, const uint8_t *rx_bits, const float *y,
                                          const double *ref_v, size_t n);

/**
 * Error-density alarm: counts the symbol errors in consecutive windows of `window` symbols (the first
 * starting at the first symbol after create or reset) and raises counts.alarm at the first symbol
 * whose window holds `errors` symbol errors. A receiver that has lost the data (a CDR run off its
 * range, a DFE whose wrong decisions feed more wrong decisions) decides about as often wrong as a
 * guess, (M-1)/M of its symbols; a working one cannot reach such a density. window 0 turns it off.
 * Takes effect from the next reset (or now, before any symbol). LS_EINVAL for NULL, errors 0 or
 * errors > window.
 */
LS_NODISCARD ls_status ls_ber_set_alarm(ls_ber *q, uint64_t window, uint64_t errors);

/** Zeroes the counts; the next symbol starts a new codeword, no burst is open. LS_EINVAL for NULL.
 */
LS_NODISCARD ls_status ls_ber_reset(ls_ber *q);

/**
 * Copies the counts into *c. A burst still open at the last symbol is included as ended (the
 * counter itself is unchanged, and the burst keeps growing if later symbols are errors too).
 * A partial trailing codeword is not included.
 */
void ls_ber_get_counts(const ls_ber *q, ls_ber_counts *c);

/** acc += c: sums every counter, takes the maximum of max_burst, max_fec_symbol_errors and
    max_window_errors; the alarm is acc's if acc has one, else c's (its alarm_symbol then counts
    from c's first symbol: a caller merging frames converts it first). */
void ls_ber_counts_add(ls_ber_counts *acc, const ls_ber_counts *c);

/**
 * Derived figures: BER and SER with 95 % Clopper-Pearson intervals (ls_ci_clopper_pearson),
 * the KP4 CER predicted for independent errors at the measured BER, and the counted CER.
 * c may point to r->c.
 */
void ls_ber_results_from_counts(const ls_ber_counts *c, ls_ber_results *r);

/** Frees the counter; NULL-safe. */
void ls_ber_destroy(ls_ber *q);

#ifdef __cplusplus
}
#endif
#endif

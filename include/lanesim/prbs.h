/**
 * @file prbs.h
 * PRBS pattern generator: the ITU-T O.150 / IEEE 802.3 maximal-length test sequences
 * PRBS7, 9, 11, 13, 15, 23, 31 and the PAM4 test patterns PRBS13Q / PRBS31Q.
 *
 * Convention (docs/prbs.md): the polynomial is read with x as a one-bit delay, so the
 * output bits y[k] satisfy y[k] = XOR of y[k - t] over every non-constant term x^t of p(x)
 * (PRBS7, x^7 + x^6 + 1: y[k] = y[k-6] ^ y[k-7]). This is the Fibonacci LFSR whose output is
 * its feedback bit, the form ITU-T O.150 draws, and the same recurrence liquid-dsp's
 * `msequence` runs when given the generator g = p(x) (bit i = coefficient of x^i).
 *
 * The LFSR state is the history of the last n output bits (before inversion): bit i of the
 * state is y[k-1-i], so bit 0 is the most recent bit. The seed is the state before the first
 * output bit. From the all-ones seed PRBS7 starts 0000001000001100001010001111001...
 *
 * PRBS13Q and PRBS31Q are, for this module, the bit streams of PRBS13 and PRBS31 with their own
 * default seeds; the caller takes them two bits per PAM4 symbol (first bit = MSB) and Gray
 * codes them (IEEE 802.3 cl. 120.5.11.2.1 / 120.5.11.2.2).
 *
 * Not thread-safe: one object per stream. Objects are independent of each other.
 */
#ifndef LS_PRBS_H
#define LS_PRBS_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Pattern. Polynomials (x = one-bit delay):
 *  PRBS7 x^7+x^6+1, PRBS9 x^9+x^5+1, PRBS11 x^11+x^9+1 (ITU-T O.150),
 *  PRBS13 x^13+x^12+x^2+x+1 (IEEE 802.3 cl. 94.2.9.1), PRBS15 x^15+x^14+1,
 *  PRBS23 x^23+x^18+1, PRBS31 x^31+x^28+1 (ITU-T O.150, IEEE 802.3 cl. 49.2.8);
 *  PRBS13Q / PRBS31Q: the PRBS13 / PRBS31 bit streams with their own default seeds. */
typedef enum {
    LS_PRBS7 = 0,
    LS_PRBS9,
    LS_PRBS11,
    LS_PRBS13,
    LS_PRBS15,
    LS_PRBS23,
    LS_PRBS31,
    LS_PRBS13Q,
    LS_PRBS31Q
} ls_prbs_type;

/** Number of pattern types (valid types are 0 .. LS_PRBS_N_TYPES - 1). */
#define LS_PRBS_N_TYPES 9

/** Default seed of PRBS13Q, in this module's state convention: the PRBS13 lane-0 seed of IEEE
 *  802.3 Table 94-11 (S0..S12 = 0000010101011) as the IEEE 802.3 COM reference script runs it,
 *  so PRBS13Q starts 1101010100000010... Confirmed from secondary sources only (docs/prbs.md). */
#define LS_PRBS13Q_SEED 0x1737u

typedef struct ls_prbs ls_prbs; /* opaque */

/** Configuration; fill with ls_prbs_config_init, then change fields. */
typedef struct {
    ls_prbs_type type; /**< pattern, LS_PRBS7 .. LS_PRBS31Q */
    uint64_t seed;     /**< initial LFSR state (history of the last n bits, bit 0 most recent);
                            0 = default: all ones, or LS_PRBS13Q_SEED for PRBS13Q (PRBS31Q:
                            all ones). Masked to n bits; must be nonzero after masking. */
    int invert;        /**< nonzero: output inverted (ITU-T O.150 specifies the inverted
                            signal for PRBS15/23/31); applies to any type. The state and
                            seed always refer to the non-inverted LFSR. */
} ls_prbs_config;

/** Defaults: type LS_PRBS31, seed 0 (the default seed), invert 0. */
void ls_prbs_config_init(ls_prbs_config *cfg);

/**
 * Creates a generator positioned at the seed.
 * @param cfg  configuration (copied; not kept)
 * @param err  status out (may be NULL): LS_OK; LS_EINVAL for a NULL cfg, a type outside
 *             LS_PRBS7 .. LS_PRBS31Q, or a nonzero seed whose low n bits are all zero;
 *             LS_ENOMEM
 * @return the object, or NULL on error. All memory comes from ls_alloc here; no later call
 *         allocates.
 */
ls_prbs *ls_prbs_create(const ls_prbs_config *cfg, ls_status *err);

/**
 * Next n bits, one bit per byte (0 or 1), in transmission order.
 * @param bits  [n] output, any alignment; may be NULL only when n == 0
 * @return LS_OK, or LS_EINVAL (NULL q, or NULL bits with n > 0). Never allocates.
 */
LS_NODISCARD ls_status ls_prbs_bits(ls_prbs *q, uint8_t *bits, size_t n);

/**
 * Next 64 * n_words bits packed into words: the first bit in the MSB of out[0], the 64th in
 * the LSB of out[0], the 65th in the MSB of out[1]. The fast path: 64 bits per step by word
 * recurrence. Calls may be mixed freely with ls_prbs_bits (the stream stays contiguous).
 * @param out  [n_words] output, any alignment; may be NULL only when n_words == 0
 * @return LS_OK, or LS_EINVAL (NULL q, or NULL out with n_words > 0). Never allocates.
 */
LS_NODISCARD ls_status ls_prbs_words(ls_prbs *q, uint64_t *out, size_t n_words);

/**
 * Skips the next n bits in O(log n) by GF(2) polynomial exponentiation (x^n mod the LFSR's
 * characteristic polynomial), so frame f of a run can start at bit f * L directly.
 * Equivalent to generating n bits and dropping them. Never allocates.
 * @return LS_OK, or LS_EINVAL (NULL q).
 */
LS_NODISCARD ls_status ls_prbs_advance(ls_prbs *q, uint64_t n);

/** Back to the seed (same stream as a fresh object). @return LS_OK or LS_EINVAL (NULL q). */
LS_NODISCARD ls_status ls_prbs_reset(ls_prbs *q);

/** Current LFSR state: the last n bits delivered (non-inverted), bit 0 the most recent; equals
 *  the seed after create/reset. A generator seeded with it continues this stream. 0 if q is NULL.
 */
uint64_t ls_prbs_state(const ls_prbs *q);

/** Bits delivered since the seed, modulo the period (advance counts). 0 if q is NULL. */
uint64_t ls_prbs_position(const ls_prbs *q);

/** Degree n of the polynomial (7 .. 31); 0 for an invalid type. */
unsigned ls_prbs_degree(ls_prbs_type t);

/** Period 2^n - 1 in bits; 0 for an invalid type. */
uint64_t ls_prbs_period(ls_prbs_type t);

/** Polynomial p(x) as a bit mask, bit i = coefficient of x^i (PRBS7: 0xC1); 0 if invalid. */
uint64_t ls_prbs_poly(ls_prbs_type t);

/** Default seed of the type (what seed 0 selects); 0 for an invalid type. */
uint64_t ls_prbs_default_seed(ls_prbs_type t);

/** Lower-case name: "prbs7" ... "prbs31", "prbs13q", "prbs31q"; NULL for an invalid type. */
const char *ls_prbs_name(ls_prbs_type t);

/** Parses a name as printed by ls_prbs_name, case-insensitive.
 *  @return 0 and *t set on success; -1 (t untouched) if name is NULL or unknown. */
int ls_prbs_parse(const char *name, ls_prbs_type *t);

/** Frees the object; NULL-safe. */
void ls_prbs_destroy(ls_prbs *q);

#ifdef __cplusplus
}
#endif
#endif

/**
 * @file pam.h
 * PAM-M symbol mapping: Gray coding, 1/(1+D) mod M precoding, level values with level
 * mismatch (RLM), and the slicer (decision against thresholds).
 *
 * Gray mapping (IEEE 802.3 cl. 120.5.7.1 for PAM4): the data bits of one symbol, first bit in
 * the MSB, map to the level index by Gray decoding: PAM4 00->0, 01->1, 11->2, 10->3.
 * Precoding (IEEE 802.3 cl. 120.5.7.2): P(k) = (G(k) - P(k-1)) mod M on level indices; the
 * receiver undoes it with G(k) = (P(k) + P(k-1)) mod M using its own previous decision, so one
 * slicer error becomes two data-symbol errors (the price of stopping DFE burst propagation).
 * Levels: index i has nominal value v_i = (2i - (M-1))/(M-1) in [-1, 1]; the inner levels are
 * multiplied by the RLM (IEEE 802.3 cl. 120D.3.1.2: RLM = min(3 ES1, 3 ES2, 2 - 3 ES1, 2 - 3 ES2)
 * for PAM4, so inner levels at +-RLM/3 give exactly that RLM).
 */
#ifndef LS_PAM_H
#define LS_PAM_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LS_PAM_MAX_LEVELS 8

/** Bits per symbol for M = 2, 4, 8; 0 for other M. */
unsigned ls_pam_bits(unsigned levels);
/** Level index (0..M-1) of the data bits b (0..M-1, first bit in the MSB): Gray decoding. */
static inline uint8_t ls_pam_gray_to_level(uint8_t b)
{
    uint8_t v = b;
    v ^= (uint8_t)(v >> 1);
    v ^= (uint8_t)(v >> 2);
    return v;
}
/** Data bits of a level index: Gray encoding (inverse of ls_pam_gray_to_level). */
static inline uint8_t ls_pam_level_to_gray(uint8_t level)
{
    return (uint8_t)(level ^ (level >> 1));
}
/** Nominal level values v[0..M-1] in [-1, 1] with inner levels scaled by rlm (0.5..1). */
ls_status ls_pam_levels(unsigned levels, double rlm, double *v);
/** Precodes n level indices in place: x[k] = (x[k] - *state) mod M, *state = x[k]. */
void ls_pam_precode(uint8_t *x, size_t n, unsigned levels, uint8_t *state);
/** Undoes precoding in place: x[k] = (x[k] + *state) mod M, *state = the received x[k]. */
void ls_pam_decode(uint8_t *x, size_t n, unsigned levels, uint8_t *state);
/** Slicer: level index of each sample against M-1 increasing thresholds (a sample equal to a threshold goes up). */
void ls_pam_slice(const float *x, uint8_t *level, size_t n, const float *thresholds, unsigned levels);

#ifdef __cplusplus
}
#endif
#endif

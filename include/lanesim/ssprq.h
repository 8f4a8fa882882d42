/**
 * @file ssprq.h
 * SSPRQ, the short stress pattern random quaternary of IEEE 802.3 cl. 120.5.11.2.3: the PAM4 test
 * pattern of the TDECQ measurement (cl. 121.8.5.1, 138.8.5, 151.8.5, 180.9.x), period 65535
 * symbols so that a sampling scope can lock to it.
 *
 * Construction (docs/tdecq.md "SSPRQ"):
 *  - three sections of the PRBS31 sequence of cl. 49 Figure 49-9 (G(x) = 1 + x^28 + x^31, output
 *    inverted), each started from a seed of Table 120-2: 0x00000002 for 10924 bits, 0x34013FF7
 *    for 10922 bits, 0x0CCCCCCC for 10922 bits; the seed is the register state S30..S0 before the
 *    section's first bit (in prbs.h's convention: the history state, bit i = y[-1-i]);
 *  - the 32768 bits a so obtained are sent as a, a, a without its first bit, a without its last
 *    bit (131070 bits = 65535 symbols), two bits per symbol, first bit the MSB, Gray coded
 *    (cl. 120.5.7.1: 00 -> 0, 01 -> 1, 11 -> 2, 10 -> 3);
 *  - the symbols of the second and fourth repetitions (symbols 16384..32767 and 49151..65534) are
 *    inverted, out = 3 - in.
 * Sources: the construction as two independent public transcriptions give it (one checked by its
 * author against IEEE's machine-readable SSPRQ_sequence.csv); secondary, see docs/tdecq.md.
 */
#ifndef LS_SSPRQ_H
#define LS_SSPRQ_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Period of the SSPRQ pattern in PAM4 symbols. */
#define LS_SSPRQ_PERIOD 65535u

/**
 * PAM4 level indices (0..3) of the SSPRQ pattern from symbol `phase` (taken modulo the period) on:
 * level[k] = SSPRQ symbol (phase + k) mod 65535. Thread-safe; no allocation (each call regenerates
 * the 32768-bit building block on the stack-free path: about 0.1 ms).
 * @param level  [n] output; may be NULL only when n == 0
 * @return LS_OK, or LS_EINVAL (NULL level with n > 0)
 */
LS_NODISCARD ls_status ls_ssprq_levels(uint8_t *level, size_t n, uint64_t phase);

#ifdef __cplusplus
}
#endif
#endif

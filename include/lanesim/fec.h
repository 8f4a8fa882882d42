/**
 * @file fec.h
 * Closed-form Reed-Solomon figures for independent bit errors: FEC symbol error probability,
 * codeword error ratio (CER) and post-FEC BER. The KP4 code of IEEE 802.3 clauses 91/119 is
 * RS(544,514) over GF(2^10): n = 544 symbols, k = 514, t = (n - k)/2 = 15.
 *
 * All functions are pure, thread-safe and allocation-free. Invalid arguments give NaN.
 * Formulas and sources: docs/measurement.md, "FEC"; test vectors: docs/references.md §4.2.
 */
#ifndef LS_FEC_H
#define LS_FEC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A Reed-Solomon code RS(n, k) over GF(2^m), correcting t = (n - k)/2 symbol errors. */
typedef struct {
    unsigned n; /**< codeword length, symbols; k < n <= 2^m - 1 (shortened codes allowed) */
    unsigned k; /**< message length, symbols; n - k even */
    unsigned m; /**< bits per symbol, 1..16 */
} ls_rs_code;

/* clang-format off */
/** Initializer for RS(544,514) "KP4" (IEEE 802.3 cl. 91/119): `ls_rs_code c = LS_RS_KP4_INIT;` */
#define LS_RS_KP4_INIT { 544u, 514u, 10u }
/* clang-format on */
/** RS(544,514) as an expression (compound literal): `ls_fec_cer_random(&LS_RS_KP4, ber)` */
#define LS_RS_KP4 ((ls_rs_code)LS_RS_KP4_INIT)
/** Bits per KP4 codeword (544 * 10). */
#define LS_RS_KP4_BITS 5440u
/** Symbol errors KP4 corrects per codeword. */
#define LS_RS_KP4_T 15u

/**
 * Probability that an m-bit FEC symbol holds at least one bit error when bits fail
 * independently: p_s = 1 - (1 - ber)^m = -expm1(m * log1p(-ber)) (accurate for tiny ber).
 * @param ber  bit error ratio, 0..1
 * @param m    bits per symbol, >= 1
 * @return p_s in [0, 1]; NaN if ber is outside [0, 1] or NaN, or m == 0.
 */
double ls_fec_symbol_error_prob(double ber, unsigned m);

/**
 * Codeword error ratio with independent bit errors: the probability that more than t of the
 * n symbols are in error, P[X > t] with X ~ Bin(n, p_s) (docs/references.md §4.2).
 * Decoder failure and miscorrection are both counted as codeword errors.
 * @param c    the code (not NULL, valid as documented on ls_rs_code)
 * @param ber  bit error ratio, 0..1
 * @return CER in [0, 1]; NaN on an invalid code or ber.
 */
double ls_fec_cer_random(const ls_rs_code *c, double ber);

/**
 * Post-FEC bit error ratio with independent bit errors (standard approximation).
 * A failed codeword keeps its i symbol errors (the others are corrected), and a symbol error
 * carries m * ber / p_s bit errors on average:
 *
 *     SER_post = sum_{i=t+1}^{n} (i/n) C(n,i) p_s^i (1-p_s)^(n-i)
 *     BER_post = SER_post * ber / p_s = ber * P[Bin(n-1, p_s) >= t]
 *
 * (the last step is i C(n,i) = n C(n-1,i-1)). Miscorrection, which adds at most t symbol errors
 * and happens with probability below 1/t! (McEliece & Swanson 1986), is ignored; BER_post <= ber.
 * @param c    the code (not NULL, valid)
 * @param ber  bit error ratio, 0..1
 * @return BER_post in [0, ber]; NaN on an invalid code or ber.
 */
double ls_fec_post_ber_random(const ls_rs_code *c, double ber);

/**
 * Codeword error ratio when errors come in independent events (error bursts, e.g. DFE error
 * propagation): events arrive as a Poisson process, events_per_cw per codeword on average, and an
 * event hits s FEC symbols with probability q[s-1] (s = 1..n_q). The symbol errors of a codeword
 * are then compound Poisson; CER = P[total > t], its distribution by Panjer's recursion
 * g(0) = exp(-lambda), g(j) = (lambda / j) sum_s s q[s-1] g(j - s) (H. H. Panjer, "Recursive
 * evaluation of a family of compound distributions", ASTIN Bulletin 12(1), 1981), summed over
 * j = t+1 .. t + 64 n_q. Events straddling two codewords are not split. q need not be normalised.
 * @return CER in [0, 1]; NaN on an invalid code, a negative or non-finite rate, n_q = 0 or > 64,
 *         or q with a negative entry or zero sum.
 */
double ls_fec_cer_events(const ls_rs_code *c, double events_per_cw, const double *q, unsigned n_q);

/* ------------------------------------------------------------------------------------------ */
/* Inner code of the 113.4375 GBd 802.3dj optical PMDs: Hamming(128,120) on the XOR of each PAM4 */
/* symbol's bits (phy/fec_inner.c, docs/fec.md)                                                  */

/** PAM4 symbols per inner codeword (128 bits) and message symbols (120 bits). */
#define LS_IFEC_SYMBOLS 64u
#define LS_IFEC_MSG_SYMBOLS 60u
/** Largest Chase-2 test set (2^L patterns). */
#define LS_IFEC_MAX_CHASE 8u
/** Signalling rate of the inner-coded lane over the RS-only lane: 113.4375 / 106.25. */
#define LS_IFEC_RATE_RATIO (113.4375 / 106.25)

/** Inner decoder. */
typedef enum {
    LS_IFEC_NONE = 0,  /**< no inner code */
    LS_IFEC_HARD = 1,  /**< syndrome decoding, one symbol corrected (to its neighbour toward the sample) */
    LS_IFEC_CHASE = 2  /**< Chase-2 soft decision over the L least reliable symbols */
} ls_ifec_mode;

/** The 8 parity bits (bit j = p_j) of 120 message bits msg_bits[0..119] (0/1, first sent first). */
unsigned ls_ifec_parity(const uint8_t *msg_bits);
/** The syndrome (8 bits) of an error at XOR position pos: 0..59 message symbols, 60..67 parity
    bits p0..p7; 0 for pos > 67. */
unsigned ls_ifec_column(unsigned pos);
/**
 * Decodes one block of LS_IFEC_SYMBOLS PAM4 symbols in place: rx[] the decided levels, tx[] the
 * sent levels (a codeword by the all-codeword argument: the syndrome is that of the difference),
 * alt[] each symbol's second most likely level (a neighbour of rx), cost[] its reliability
 * (y - r_alt)^2 - (y - r_rx)^2 >= 0 (CHASE only; may be NULL for HARD).
 * @return 0 clean syndrome, 1 corrected (rx changed), 2 detected but not corrected, -1 bad input.
 */
int ls_ifec_decode(uint8_t *rx, const uint8_t *tx, const uint8_t *alt, const double *cost, ls_ifec_mode mode,
                   unsigned chase_l);
/** Fraction of error triples over the 68 XOR positions that hard decoding miscorrects (one more error). */
double ls_ifec_miscorrect_fraction(void);
/** Hard-decision symbol error ratio after the inner code for independent one-level symbol errors
    of probability ser per symbol (closed form, phy/fec_inner.c). NaN outside [0, 1]. */
double ls_ifec_post_ser_random(double ser);
/** The same as a BER: Gray one-level errors carry one bit, so 0.5 ls_ifec_post_ser_random(2 ber). */
double ls_ifec_post_ber_random(double ber);

#ifdef __cplusplus
}
#endif
#endif

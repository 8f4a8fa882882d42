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

#ifdef __cplusplus
}
#endif
#endif

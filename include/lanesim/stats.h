/**
 * @file stats.h
 * Closed forms for measurement and tests: the Gaussian tail and its inverse, binomial confidence
 * intervals and tails, the regularized incomplete beta function, and PAM symbol error rates in
 * additive white Gaussian noise. See docs/statistics.md for the equations and sources.
 *
 * All functions are pure (no state, no allocation, thread-safe). Arguments outside the
 * documented domain give NaN (or a NaN interval); none of them prints, aborts or sets errno
 * beyond what libm does.
 */
#ifndef LS_STATS_H
#define LS_STATS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Gaussian tail Q(x) = P[N(0,1) > x] = erfc(x / sqrt 2) / 2, for any real x.
 * Relative error below 1e-14 for x <= 37 (Q(37) = 5.7e-300); the rounding of x / sqrt 2 is
 * compensated, which would otherwise cost x^2 ulps. Q(+inf) = 0, Q(-inf) = 1, Q(NaN) = NaN.
 */
double ls_q(double x);

/**
 * Inverse of Q: the x with Q(x) = p, for p in (0, 1); ls_qinv(0) = +inf, ls_qinv(1) = -inf,
 * NaN outside [0, 1]. Acklam's rational approximation (relative error 1.2e-9) refined by two
 * Halley steps on ls_q: relative error below 1e-12 for p >= DBL_MIN (x up to 37.5).
 */
double ls_qinv(double p);

/** A closed interval [lo, hi] of probabilities. */
typedef struct {
    double lo; /**< lower bound, in [0, 1] */
    double hi; /**< upper bound, in [lo, 1] */
} ls_interval;

/**
 * Exact (Clopper-Pearson 1934) two-sided confidence interval for a binomial proportion from
 * k successes in n trials: lo = BetaInv(alpha/2; k, n-k+1), hi = BetaInv(1-alpha/2; k+1, n-k),
 * alpha = 1 - conf. Coverage is at least conf for every true p. k = 0 gives lo = 0 and
 * hi = 1 - (alpha/2)^(1/n); k = n gives hi = 1; n = 0 gives [0, 1]. No approximation at any
 * size: the bounds are found by safeguarded Newton iteration on ls_betai, whose continued
 * fraction needs only a few hundred terms near the bounds even for k ~ 1e9, n ~ 1e13, and
 * whose prefactor is evaluated with Loader's saddle-point form. Relative error below 1e-10
 * for n <= 2^53.
 *
 * @param k     successes (errors), k <= n
 * @param n     trials (bits), n <= 2^53 (exact in double)
 * @param conf  confidence level in (0, 1), e.g. 0.95
 * @return      the interval; {NaN, NaN} when k > n, n > 2^53 or conf is not in (0, 1)
 */
ls_interval ls_ci_clopper_pearson(uint64_t k, uint64_t n, double conf);

/**
 * Wilson (1927) score interval for a binomial proportion:
 * (phat + z^2/2n -+ z sqrt(phat(1-phat)/n + z^2/4n^2)) / (1 + z^2/n), z = Q^-1((1-conf)/2).
 * Not exact (coverage is near conf on average, not at least conf) but never outside [0, 1].
 * Same arguments, edge cases (k = 0 gives lo = 0, k = n gives hi = 1, n = 0 gives [0, 1])
 * and errors as ls_ci_clopper_pearson.
 */
ls_interval ls_ci_wilson(uint64_t k, uint64_t n, double conf);

/**
 * Regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b).
 * The continued fraction of DiDonato & Morris (ACM TOMS Algorithm 708, 1992) on the tail
 * nearer x (I_x(a,b) below the mean a/(a+b), 1 - I_{1-x}(b,a) above), with the prefactor
 * x^a (1-x)^b / B(a,b) from Stirling-series corrections and the deviance bd0 (Loader 2000),
 * so that it stays accurate for a, b up to ~1e15. Relative error about 1e-13 against 40-digit
 * references for a, b in [1e-6, 1e13], 1e-12 for results below 1e-100 (down to 1e-300), and
 * absolute ~1e-16 where the result is near 1. Cost: a few hundred terms or fewer, except near
 * the mean of very large a, b (about sqrt(a b / (a + b)) terms: 1 ms at a = b = 1e13).
 *
 * @param a, b  shape parameters, > 0
 * @param x     in [0, 1]
 * @return      I_x(a, b) in [0, 1]; NaN for invalid arguments
 */
double ls_betai(double a, double b, double x);

/**
 * Binomial upper tail P[X >= k], X ~ Bin(n, p). The first term's log is computed with Loader's
 * saddle-point form (an exact rewriting of the lgamma expression that does not lose digits for
 * large n), the others by the term ratio, summed relative to the first term and exponentiated
 * once: results stay relatively accurate (~1e-13) down to 1e-300 and only underflow below
 * DBL_MIN. When k is below the mode the complement 1 - P[X <= k-1] is summed instead, so at
 * most ~10 standard deviations of terms are visited.
 *
 * @param n  trials
 * @param k  threshold; k = 0 gives 1, k > n gives 0
 * @param p  success probability in [0, 1]; NaN otherwise
 */
double ls_binom_tail(unsigned n, unsigned k, double p);

/**
 * Symbol error rate of M-level PAM with equiprobable, equally spaced levels in AWGN, with
 * minimum-distance detection (Proakis & Salehi, Digital Communications, 5th ed., ch. 4):
 * SER = 2 (1 - 1/M) Q(sqrt(3 SNR / (M^2 - 1))), SNR = Es / sigma^2 = mean symbol power over
 * noise variance (per real sample). With Gray coding BER ~ SER / log2(M) at high SNR.
 *
 * @param m       levels, >= 2 (4 for PAM4)
 * @param snr_db  10 log10(SNR), any real
 * @return        SER in [0, 1 - 1/M] (1 - 1/M, the rate of guessing, as SNR -> 0); NaN for
 *                m < 2
 */
double ls_pam_ser_awgn(unsigned m, double snr_db);

/**
 * Inverse of ls_pam_ser_awgn: the SNR (dB) at which PAM-M reaches the given SER.
 *
 * @param ser  in (0, 1 - 1/M); NaN otherwise
 * @return     SNR in dB (tends to -inf as ser approaches 1 - 1/M)
 */
double ls_pam_snr_for_ser(unsigned m, double ser);

#ifdef __cplusplus
}
#endif
#endif

/*
 * Reed-Solomon figures for independent bit errors (closed form, no decoding).
 *
 * An m-bit RS symbol is wrong when any of its bits is: p_s = 1 - (1 - ber)^m, evaluated as
 * -expm1(m log1p(-ber)) so that ber = 1e-15 keeps full precision. A bounded-distance decoder
 * fixes up to t = (n - k)/2 symbol errors, so the codeword error ratio is the binomial tail
 * P[Bin(n, p_s) > t] (IEEE 802.3 cl. 91 and 119, RS(544,514), t = 15; docs/references.md §4.2).
 * Post-FEC BER: a failed codeword keeps its i symbol errors, each carrying m*ber/p_s bit errors
 * on average; summing (i/n) P[X = i] over i > t gives p_s P[Bin(n-1, p_s) >= t], hence
 * BER_post = ber P[Bin(n-1, p_s) >= t] (the decoded symbol error probability of Sklar,
 * Digital Communications, 2nd ed., ch. 8 "Reed-Solomon performance", times ber/p_s). The binomial
 * tails come from ls_binom_tail (log space), which stays accurate down to 1e-300.
 */
#include "lanesim/fec.h"

#include <math.h>

#include "lanesim/stats.h"

static int code_ok(const ls_rs_code *c)
{
    return c && c->m >= 1u && c->m <= 16u && c->k >= 1u && c->k < c->n &&
           ((c->n - c->k) & 1u) == 0u && c->n <= (1u << c->m) - 1u;
}

static int ber_ok(double ber)
{
    return ber >= 0.0 && ber <= 1.0; /* false for NaN */
}

double ls_fec_symbol_error_prob(double ber, unsigned m)
{
    if (!ber_ok(ber) || m == 0u)
        return NAN;
    if (ber == 1.0)
        return 1.0;
    return -expm1((double)m * log1p(-ber));
}

double ls_fec_cer_random(const ls_rs_code *c, double ber)
{
    if (!code_ok(c) || !ber_ok(ber))
        return NAN;
    unsigned t = (c->n - c->k) / 2u;
    return ls_binom_tail(c->n, t + 1u, ls_fec_symbol_error_prob(ber, c->m));
}

double ls_fec_post_ber_random(const ls_rs_code *c, double ber)
{
    if (!code_ok(c) || !ber_ok(ber))
        return NAN;
    if (ber == 0.0)
        return 0.0;
    unsigned t = (c->n - c->k) / 2u;
    return ber * ls_binom_tail(c->n - 1u, t, ls_fec_symbol_error_prob(ber, c->m));
}

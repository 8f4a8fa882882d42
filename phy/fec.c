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

double ls_fec_cer_events(const ls_rs_code *c, double events_per_cw, const double *q, unsigned n_q)
{
    if (!code_ok(c) || !q || n_q == 0u || n_q > 64u || !(events_per_cw >= 0.0) || !isfinite(events_per_cw))
        return NAN;
    double sq = 0.0;
    for (unsigned s = 0; s < n_q; s++) {
        if (!(q[s] >= 0.0) || !isfinite(q[s]))
            return NAN;
        sq += q[s];
    }
    if (!(sq > 0.0))
        return NAN;
    if (events_per_cw == 0.0)
        return 0.0;
    if (events_per_cw > 700.0) /* exp(-lambda) underflows; far more than t events per codeword */
        return 1.0;
    const unsigned t = (c->n - c->k) / 2u, J = t + 64u * n_q;
    double g[16u + 64u * 64u + 1u];
    if (J >= sizeof g / sizeof g[0])
        return NAN;
    g[0] = exp(-events_per_cw);
    double cer = 0.0, below = g[0];
    for (unsigned j = 1; j <= J; j++) {
        double acc = 0.0;
        for (unsigned s = 1; s <= n_q && s <= j; s++)
            acc += (double)s * (q[s - 1] / sq) * g[j - s];
        g[j] = events_per_cw / (double)j * acc;
        if (j > t)
            cer += g[j];
        else
            below += g[j];
    }
    /* the direct tail sum is exact while small; 1 - head once the tail is large (J may cut it) */
    return cer < 1e-3 ? cer : (1.0 - below > 0.0 ? 1.0 - below : 0.0);
}

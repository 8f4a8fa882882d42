/*
 * The inner code of the 113.4375 GBd 802.3dj optical PMDs (200GBASE-DR1-2, 800GBASE-FR4/LR4, ...):
 * a Hamming(128,120) block over 64 PAM4 symbols, concatenated with the host's RS(544,514).
 *
 * Code (P802.3dj D0.1 Figure 177-5, as transcribed in Omer-Sella/802.3@8023dj_d0p1.py; docs/fec.md):
 * the 120 message bits m(0..119) are 60 PAM4 symbols; each symbol's two bits are XORed,
 * m_xor(k) = m(2k) ^ m(2k+1), k = 0..59, and a (68,60) Hamming encoder appends 8 parity bits
 * p = sum_k m_xor(k) G_k (GF(2)), sent as 4 more PAM4 symbols (p0 p1 | p2 p3 | ...). The rows of
 * the draft's generator are G_k = x^(67+k) mod g(x), g(x) = x^8+x^7+x^4+x^3+x+1 = (x+1)(x^7+x^3+1)
 * (bit j of G_k is the coefficient of x^j); this file computes them from g and tests/test_fec_inner.c
 * checks the draft's test vector. Every column of H = [G^T | I] has odd weight and all 68 are
 * distinct, so d_min = 4: one error corrected, two detected, an even number of errors never
 * miscorrected.
 *
 * Why the XOR: with Gray mapping a one-level PAM4 error flips exactly one of the symbol's bits, so
 * it flips m_xor; the syndrome locates the symbol and the decoder moves it to the neighbour on the
 * side of the received sample (its second most likely level). A two-level error flips both bits
 * and is invisible to the inner code.
 *
 * Decoding works on the error pattern: the code is linear, so the syndrome of the received block
 * is that of the transmitted codeword (zero) plus H e; the simulator's data are PRBS, not encoded,
 * and the decoder takes the syndrome of the difference between decided and sent symbols (the
 * all-codeword argument; the parity symbols are then PRBS symbols with the same level statistics).
 *  - hard: syndrome decoding, one correction;
 *  - chase (Chase-2, D. Chase, IEEE Trans. IT-18(1), 1972): the L least reliable symbols
 *    (reliability: the squared-distance cost of the second most likely level,
 *    (y - r_alt)^2 - (y - r_dec)^2) are flipped in all 2^L patterns, each completed by the hard
 *    decoder, and the candidate codeword of least total cost wins (max-log ML among them).
 *
 * Closed form (hard decision, independent one-level symbol errors of probability p per symbol):
 * a block with i >= 2 errors keeps them all, and an odd i >= 3 may be miscorrected into one more
 * error (for i = 3 with the fraction f3 of error triples whose syndrome is a column, computed by
 * enumeration over the 68 positions): post SER = p (1 - (1-p)^63) + f3 C(64,3) p^3 (1-p)^61 / 64;
 * with Gray one-level errors one bit per symbol, post BER = post SER / 2 at p = 2 BER.
 */
#include <math.h>
#include <string.h>

#include "lanesim/fec.h"
#include "lanesim/pam.h"

#define G_POLY 0x19bu /* x^8 + x^7 + x^4 + x^3 + x + 1 */
#define NPOS 68u      /* XOR positions: 60 message symbols, 8 parity bits */

static uint8_t mulx(unsigned v)
{
    v <<= 1;
    if (v & 0x100u)
        v ^= G_POLY;
    return (uint8_t)v;
}

/* col[p]: the syndrome of an error at XOR position p; inv[s]: the position of syndrome s or -1. */
typedef struct {
    uint8_t col[NPOS];
    int8_t inv[256];
} hcode;

static void hcode_init(hcode *h)
{
    unsigned v = 1;
    for (unsigned a = 0; a < 67; a++) /* x^67 mod g */
        v = mulx(v);
    for (unsigned k = 0; k < 60; k++, v = mulx(v))
        h->col[k] = (uint8_t)v;
    for (unsigned j = 0; j < 8; j++)
        h->col[60 + j] = (uint8_t)(1u << j);
    memset(h->inv, -1, sizeof h->inv);
    for (unsigned p = 0; p < NPOS; p++)
        h->inv[h->col[p]] = (int8_t)p;
}

unsigned ls_ifec_column(unsigned pos)
{
    hcode h;
    hcode_init(&h);
    return pos < NPOS ? h.col[pos] : 0u;
}

unsigned ls_ifec_parity(const uint8_t *msg_bits)
{
    if (!msg_bits)
        return 0;
    hcode h;
    hcode_init(&h);
    unsigned p = 0;
    for (unsigned k = 0; k < 60; k++)
        if ((msg_bits[2 * k] ^ msg_bits[2 * k + 1]) & 1u)
            p ^= h.col[k];
    return p;
}

/* The syndrome change of moving symbol k from level a to level b (Gray bits; MSB first sent). */
static unsigned flip_syndrome(const hcode *h, unsigned k, unsigned a, unsigned b)
{
    const unsigned d = (unsigned)(ls_pam_level_to_gray((uint8_t)a) ^ ls_pam_level_to_gray((uint8_t)b));
    if (k < LS_IFEC_MSG_SYMBOLS)
        return (d == 1u || d == 2u) ? h->col[k] : 0u;
    const unsigned j = 60u + 2u * (k - LS_IFEC_MSG_SYMBOLS);
    return ((d & 2u) ? h->col[j] : 0u) ^ ((d & 1u) ? h->col[j + 1] : 0u);
}

/* The block's syndrome: decided vs sent symbols. */
static unsigned syndrome(const hcode *h, const uint8_t *tx, const uint8_t *rx)
{
    unsigned s = 0;
    for (unsigned k = 0; k < LS_IFEC_SYMBOLS; k++)
        if (tx[k] != rx[k])
            s ^= flip_syndrome(h, k, tx[k], rx[k]);
    return s;
}

/* Symbol of the single-error position p that the move rx[k] -> alt[k] fixes, or -1. */
static int fixing_symbol(const hcode *h, unsigned s, const uint8_t *rx, const uint8_t *alt)
{
    const int p = h->inv[s & 0xffu];
    if (p < 0)
        return -1;
    const unsigned k = p < 60 ? (unsigned)p : LS_IFEC_MSG_SYMBOLS + (unsigned)(p - 60) / 2u;
    return flip_syndrome(h, k, rx[k], alt[k]) == s ? (int)k : -1;
}

/* Chase-2 over the L least reliable symbols; returns the flip mask over 64 symbols or 0 with *found 0. */
static uint64_t chase(const hcode *h, unsigned s, const uint8_t *rx, const uint8_t *alt, const double *cost,
                      unsigned L, int *found)
{
    unsigned idx[LS_IFEC_MAX_CHASE];
    unsigned n = 0;
    for (unsigned k = 0; k < LS_IFEC_SYMBOLS; k++) { /* the L smallest costs, ascending */
        unsigned i;
        if (n < L)
            i = n++;
        else if (cost[k] < cost[idx[L - 1]])
            i = L - 1;
        else
            continue;
        while (i > 0 && cost[idx[i - 1]] > cost[k]) {
            idx[i] = idx[i - 1];
            i--;
        }
        idx[i] = k;
    }
    double best = INFINITY;
    uint64_t best_mask = 0;
    *found = 0;
    for (unsigned t = 0; t < (1u << n); t++) {
        unsigned st = s;
        double c = 0;
        uint64_t mask = 0;
        for (unsigned i = 0; i < n; i++)
            if (t >> i & 1u) {
                st ^= flip_syndrome(h, idx[i], rx[idx[i]], alt[idx[i]]);
                c += cost[idx[i]];
                mask |= 1ull << idx[i];
            }
        if (st) {
            const int k = fixing_symbol(h, st, rx, alt);
            if (k < 0 || (mask >> k & 1u))
                continue;
            c += cost[k];
            mask |= 1ull << k;
        }
        if (c < best) {
            best = c;
            best_mask = mask;
            *found = 1;
        }
    }
    return best_mask;
}

int ls_ifec_decode(uint8_t *rx, const uint8_t *tx, const uint8_t *alt, const double *cost, ls_ifec_mode mode,
                   unsigned chase_l)
{
    if (!rx || !tx || !alt || (mode == LS_IFEC_CHASE && (!cost || chase_l < 1 || chase_l > LS_IFEC_MAX_CHASE)))
        return -1;
    hcode h;
    hcode_init(&h);
    const unsigned s = syndrome(&h, tx, rx);
    if (!s)
        return 0;
    if (mode == LS_IFEC_CHASE) {
        int found;
        const uint64_t m = chase(&h, s, rx, alt, cost, chase_l, &found);
        if (!found)
            return 2;
        for (unsigned k = 0; k < LS_IFEC_SYMBOLS; k++)
            if (m >> k & 1u)
                rx[k] = alt[k];
        return 1;
    }
    const int k = fixing_symbol(&h, s, rx, alt);
    if (k < 0)
        return 2;
    rx[k] = alt[k];
    return 1;
}

double ls_ifec_miscorrect_fraction(void)
{
    hcode h;
    hcode_init(&h);
    uint64_t n = 0, m = 0;
    for (unsigned a = 0; a < NPOS; a++)
        for (unsigned b = a + 1; b < NPOS; b++)
            for (unsigned c = b + 1; c < NPOS; c++, n++)
                m += h.inv[h.col[a] ^ h.col[b] ^ h.col[c]] >= 0;
    return (double)m / (double)n;
}

double ls_ifec_post_ser_random(double ser)
{
    if (!(ser >= 0.0 && ser <= 1.0))
        return NAN;
    const double q = log1p(-ser), f3 = ls_ifec_miscorrect_fraction();
    const double keep = ser * -expm1(63.0 * q);                               /* i >= 2: all kept */
    const double mis = f3 * (64.0 * 63.0 * 62.0 / 6.0) * ser * ser * ser * exp(61.0 * q) / 64.0; /* i = 3 */
    return keep + mis;
}

double ls_ifec_post_ber_random(double ber)
{
    if (!(ber >= 0.0 && ber <= 0.5))
        return NAN;
    return 0.5 * ls_ifec_post_ser_random(2.0 * ber);
}

/* RS(544,514) "KP4": closed forms against docs/references.md §4.2, and codeword counting in
   ls_ber. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <string.h>

#include "lanesim/ber.h"
#include "lanesim/fec.h"
#include "util.h"

#define CW_BITS 5440u /* bits per KP4 codeword */
#define CW_SYM4 2720u /* PAM4 symbols per codeword */

static const ls_rs_code kp4 = LS_RS_KP4_INIT;

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in (0, 1]. */
static double unif(uint64_t *s)
{
    return ((double)(splitmix(s) >> 11) + 1.0) * 0x1.0p-53;
}

static int rel_close(double x, double ref, double tol)
{
    return fabs(x - ref) <= tol * fabs(ref);
}

static ls_ber *make_ber(unsigned bps, int fec)
{
    ls_ber_config cfg;
    ls_ber_config_init(&cfg);
    cfg.bits_per_symbol = bps;
    cfg.levels = 1u << bps;
    cfg.fec = fec;
    ls_status st = LS_EINTERNAL;
    ls_ber *q = ls_ber_create(&cfg, &st);
    cr_assert(q != NULL && st == LS_OK, "create: %s", ls_strerror(st));
    return q;
}

/* Flips serial bit `bit` (MSB of each symbol first) of rx_bits, bps bits per symbol. */
static void flip_bit(uint8_t *rx_bits, size_t bit, unsigned bps)
{
    rx_bits[bit / bps] ^= (uint8_t)(1u << (bps - 1u - bit % bps));
}

/* Counts tx = 0 against rx_bits (levels equal; only bit errors) in one call. */
static void count_bits(ls_ber *q, const uint8_t *rx_bits, size_t n, ls_ber_counts *c)
{
    static uint8_t zero[4 * CW_BITS];
    cr_assert(n <= sizeof zero);
    cr_assert(eq(int, ls_ber_update(q, zero, zero, zero, rx_bits, n), LS_OK));
    ls_ber_get_counts(q, c);
}

Test(fec, cer_random_matches_reference_table)
{
    static const struct {
        double ber, cer;
    } ref[] = {
        {1e-3, 1.53e-4}, {5e-4, 2.79e-8}, {2.4e-4, 8.15e-13}, {2e-4, 5.39e-14}, {1e-4, 1.36e-18},
    };
    for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) {
        double cer = ls_fec_cer_random(&kp4, ref[i].ber);
        cr_expect(rel_close(cer, ref[i].cer, 0.02), "BER %g: CER %.4g, table %.3g", ref[i].ber, cer,
                  ref[i].cer);
    }
    ls_rs_code lit = LS_RS_KP4;
    cr_expect(lit.n == 544u && lit.k == 514u && lit.m == 10u);
    cr_expect(eq(dbl, ls_fec_cer_random(&LS_RS_KP4, 1e-3), ls_fec_cer_random(&kp4, 1e-3)));
}

Test(fec, symbol_error_prob_is_stable)
{
    static const struct {
        double ber, ps;
    } ref[] = {
        {1e-3, 9.955e-3}, {5e-4, 4.989e-3}, {2.4e-4, 2.397e-3}, {2e-4, 1.998e-3}, {1e-4, 9.996e-4},
    };
    for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) {
        double ps = ls_fec_symbol_error_prob(ref[i].ber, 10u);
        cr_expect(rel_close(ps, ref[i].ps, 1e-3), "BER %g: p_s %.6g, table %.4g", ref[i].ber, ps,
                  ref[i].ps);
    }
    /* Tiny BER: 1 - (1 - 1e-15)^10 = 1e-14 - 4.5e-29 + ...; naive evaluation loses ~10 % here. */
    double ps = ls_fec_symbol_error_prob(1e-15, 10u);
    cr_expect(rel_close(ps, 1e-14 - 45e-30, 1e-12), "p_s(1e-15) = %.17g", ps);
    cr_expect(rel_close(ls_fec_symbol_error_prob(0.25, 2u), 1.0 - 0.75 * 0.75, 1e-15));
    cr_expect(eq(dbl, ls_fec_symbol_error_prob(0.0, 10u), 0.0));
    cr_expect(eq(dbl, ls_fec_symbol_error_prob(1.0, 10u), 1.0));
    cr_expect(eq(dbl, ls_fec_symbol_error_prob(0.3, 1u), 0.3));
    cr_expect(isnan(ls_fec_symbol_error_prob(-1e-9, 10u)));
    cr_expect(isnan(ls_fec_symbol_error_prob(1.5, 10u)));
    cr_expect(isnan(ls_fec_symbol_error_prob(NAN, 10u)));
    cr_expect(isnan(ls_fec_symbol_error_prob(1e-3, 0u)));
}

Test(fec, cer_is_monotonic_in_ber)
{
    double prev = 0.0;
    for (int i = 0; i <= 80; i++) {
        double ber = pow(10.0, -6.0 + 4.0 * i / 80.0); /* 1e-6 .. 1e-2 */
        double cer = ls_fec_cer_random(&kp4, ber);
        cr_assert(cer > prev && cer <= 1.0, "BER %g: CER %g after %g", ber, cer, prev);
        prev = cer;
    }
    cr_expect(eq(dbl, ls_fec_cer_random(&kp4, 0.0), 0.0));
    cr_expect(rel_close(ls_fec_cer_random(&kp4, 1.0), 1.0, 1e-12));
    cr_expect(ls_fec_cer_random(&kp4, 0.05) > 0.999999);
}

/* log of sum_{i=t+1}^{n} (i/n) C(n,i) p^i (1-p)^(n-i), summed directly (reference for the
 * identity). */
static double post_ser_direct(unsigned n, unsigned t, double p)
{
    double s = 0.0;
    for (unsigned i = t + 1u; i <= n; i++) {
        double lt = lgamma(n + 1.0) - lgamma(i + 1.0) - lgamma(n - i + 1.0) + i * log(p) +
                    (n - i) * log1p(-p);
        s += (double)i / n * exp(lt);
    }
    return s;
}

Test(fec, post_ber_formula_sanity)
{
    for (int i = 0; i <= 40; i++) {
        double ber = pow(10.0, -5.0 + 4.0 * i / 40.0); /* 1e-5 .. 1e-1 */
        double post = ls_fec_post_ber_random(&kp4, ber);
        double cer = ls_fec_cer_random(&kp4, ber);
        double ps = ls_fec_symbol_error_prob(ber, 10u);
        cr_assert(post >= 0.0 && post <= ber, "BER %g: post %g", ber, post);
        /* A failed codeword has between t+1 and n symbol errors, each m*ber/p_s bit errors. */
        cr_expect(post <= cer * ber / ps * (1.0 + 1e-9), "BER %g: post %g, cer %g", ber, post, cer);
        cr_expect(post >= 16.0 / 544.0 * cer * ber / ps * (1.0 - 1e-9), "BER %g", ber);
        double direct = post_ser_direct(544u, 15u, ps) * ber / ps;
        cr_expect(rel_close(post, direct, 1e-9), "BER %g: post %.12g, direct sum %.12g", ber, post,
                  direct);
    }
    /* Well below the 2.4e-4 threshold the code wipes out nearly all errors. */
    double p24 = ls_fec_post_ber_random(&kp4, 2.4e-4); /* 2.41e-15 */
    cr_expect(p24 > 2.0e-15 && p24 < 3.0e-15, "post-FEC BER at 2.4e-4: %g", p24);
    cr_expect(ls_fec_post_ber_random(&kp4, 1e-4) < 1e-20);
    /* Far above it nothing is corrected. */
    cr_expect(rel_close(ls_fec_post_ber_random(&kp4, 0.05), 0.05, 1e-6));
    cr_expect(eq(dbl, ls_fec_post_ber_random(&kp4, 0.0), 0.0));
}

Test(fec, invalid_codes_give_nan)
{
    const ls_rs_code bad[] = {
        {514u, 514u, 10u},  /* n == k */
        {544u, 515u, 10u},  /* n - k odd */
        {1024u, 994u, 10u}, /* n > 2^m - 1 */
        {544u, 0u, 10u},    /* k == 0 */
        {544u, 514u, 0u},   /* m == 0 */
        {544u, 514u, 17u},  /* m too large */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_expect(isnan(ls_fec_cer_random(&bad[i], 1e-3)), "code %zu", i);
        cr_expect(isnan(ls_fec_post_ber_random(&bad[i], 1e-3)), "code %zu", i);
    }
    cr_expect(isnan(ls_fec_cer_random(NULL, 1e-3)));
    cr_expect(isnan(ls_fec_post_ber_random(NULL, 1e-3)));
    cr_expect(isnan(ls_fec_cer_random(&kp4, -0.1)));
    cr_expect(isnan(ls_fec_post_ber_random(&kp4, NAN)));
    const ls_rs_code rs255 = {255u, 223u, 8u}; /* CCSDS RS(255,223), t = 16: valid */
    cr_expect(ls_fec_cer_random(&rs255, 1e-3) > 0.0);
}

Test(fec, fifteen_symbol_errors_pass_sixteen_fail)
{
    static uint8_t rx[3 * CW_SYM4];
    memset(rx, 0, sizeof rx);
    for (size_t j = 0; j < 15; j++) /* codeword 0: RS symbols 0, 3, 6, ..., 42 */
        flip_bit(rx, 10u * 3u * j + j % 10u, 2u);
    for (size_t j = 0; j < 16;
         j++) /* codeword 1: 16 RS symbols, the last one the last of the codeword */
        flip_bit(rx, CW_BITS + 10u * (543u - 7u * j) + 9u, 2u);
    ls_ber *q = make_ber(2u, 1);
    ls_ber_counts c;
    count_bits(q, rx, 3 * CW_SYM4, &c);
    cr_expect(eq(u64, c.codewords, 3));
    cr_expect(eq(u64, c.codewords_failed, 1));
    cr_expect(eq(u64, c.fec_symbol_errors, 31));
    cr_expect(eq(u64, c.max_fec_symbol_errors, 16));
    cr_expect(eq(u64, c.fec_hist[0], 1));
    cr_expect(eq(u64, c.fec_hist[15], 1));
    cr_expect(eq(u64, c.fec_hist[16], 1));
    cr_expect(eq(u64, c.bit_errors, 31));
    cr_expect(eq(u64, c.symbol_errors, 0)); /* levels were equal */
    ls_ber_destroy(q);
}

Test(fec, bit_errors_in_one_rs_symbol_count_once)
{
    static uint8_t rx[CW_SYM4];
    memset(rx, 0, sizeof rx);
    flip_bit(rx, 10u, 2u); /* RS symbol 1: first and last bit */
    flip_bit(rx, 19u, 2u);
    rx[20] = 3u;           /* RS symbol 4 (bits 40..49): one PAM4 symbol, two bit errors */
    flip_bit(rx, 59u, 2u); /* bits 59 and 60: across the RS symbol 5 / 6 boundary */
    flip_bit(rx, 60u, 2u);
    ls_ber *q = make_ber(2u, 1);
    ls_ber_counts c;
    count_bits(q, rx, CW_SYM4, &c);
    cr_expect(eq(u64, c.bit_errors, 6));
    cr_expect(eq(u64, c.fec_symbol_errors, 4));
    cr_expect(eq(u64, c.fec_hist[4], 1));
    ls_ber_destroy(q);
}

Test(fec, codeword_split_across_calls)
{
    static uint8_t zero[2 * CW_SYM4], rx[2 * CW_SYM4];
    static const size_t cuts[] = {1, 999, 1, 1719, 3, 2717}; /* ends exactly on 2 codewords */
    memset(rx, 0, sizeof rx);
    for (size_t j = 0; j < 16; j++)
        flip_bit(rx, 340u * j + 3u, 2u);
    for (size_t j = 0; j < 15; j++)
        flip_bit(rx, CW_BITS + 360u * j + 5u, 2u);
    ls_ber *a = make_ber(2u, 1), *b = make_ber(2u, 1);
    ls_ber_counts ca, cb;
    count_bits(a, rx, 2 * CW_SYM4, &ca);
    size_t pos = 0;
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        cr_assert(eq(int, ls_ber_update(b, zero + pos, zero + pos, zero + pos, rx + pos, cuts[i]),
                     LS_OK));
        pos += cuts[i];
        ls_ber_get_counts(b, &cb);
        cr_expect(eq(u64, cb.codewords, pos / CW_SYM4), "after %zu symbols", pos);
    }
    cr_assert(eq(sz, pos, 2 * CW_SYM4));
    cr_expect(eq(u64, cb.codewords, 2));
    cr_expect(eq(u64, cb.codewords_failed, 1));
    cr_expect(eq(int, memcmp(&ca, &cb, sizeof ca), 0));
    ls_ber_destroy(a);
    ls_ber_destroy(b);
}

Test(fec, trailing_partial_codeword_not_counted)
{
    static uint8_t zero[1], rx[2 * CW_SYM4];
    memset(rx, 0, sizeof rx);
    for (size_t j = 0; j < 20; j++)
        flip_bit(rx, CW_BITS + 20u * j, 2u);
    ls_ber *q = make_ber(2u, 1);
    ls_ber_counts c;
    count_bits(q, rx, 2 * CW_SYM4 - 1, &c);
    cr_expect(eq(u64, c.codewords, 1));
    cr_expect(eq(u64, c.codewords_failed, 0));
    cr_expect(eq(u64, c.fec_symbol_errors, 0));
    cr_expect(eq(u64, c.bit_errors, 20)); /* bits are counted at once, codewords when complete */
    zero[0] = 0;
    cr_assert(eq(int, ls_ber_update(q, zero, zero, zero, rx + 2 * CW_SYM4 - 1, 1), LS_OK));
    ls_ber_get_counts(q, &c);
    cr_expect(eq(u64, c.codewords, 2));
    cr_expect(eq(u64, c.codewords_failed, 1));
    cr_expect(eq(u64, c.fec_symbol_errors, 20));
    ls_ber_destroy(q);
}

Test(fec, pam8_symbol_straddling_codewords)
{
    /* 5440 = 3 * 1813 + 1: PAM8 symbol 1813 holds bit 5439 (codeword 0) and bits 0, 1 of
     * codeword 1. */
    static uint8_t rx[3627];
    memset(rx, 0, sizeof rx);
    flip_bit(rx, CW_BITS - 1u, 3u); /* last bit of codeword 0 */
    flip_bit(rx, CW_BITS + 1u, 3u); /* second bit of codeword 1, same PAM8 symbol */
    cr_assert(eq(u32, rx[1813], 5u));
    ls_ber *q = make_ber(3u, 1);
    ls_ber_counts c;
    count_bits(q, rx, 3627, &c); /* 10881 bits: two codewords and one bit */
    cr_expect(eq(u64, c.codewords, 2));
    cr_expect(eq(u64, c.fec_symbol_errors, 2));
    cr_expect(eq(u64, c.fec_hist[1], 2));
    ls_ber_destroy(q);

    /* NRZ: one bit per symbol. */
    static uint8_t nrz[2 * CW_BITS];
    memset(nrz, 0, sizeof nrz);
    for (size_t j = 0; j < 16; j++)
        nrz[CW_BITS + 10u * j] = 1u;
    q = make_ber(1u, 1);
    count_bits(q, nrz, 2 * CW_BITS, &c);
    cr_expect(eq(u64, c.codewords, 2));
    cr_expect(eq(u64, c.codewords_failed, 1));
    ls_ber_destroy(q);
}

Test(fec, serial_bit_order_is_msb_first)
{
    /* PAM8 symbol 2 holds bits 6, 7, 8 and symbol 3 bits 9, 10, 11: the LSB of symbol 2 (bit 8) and
     * the MSB of symbol 3 (bit 9) are both in RS symbol 0; the LSB of symbol 3 (bit 11) is in RS 1.
     */
    static uint8_t rx[1814]; /* 5442 bits: one codeword */
    memset(rx, 0, sizeof rx);
    rx[2] = 1u;
    rx[3] = 4u;
    ls_ber *q = make_ber(3u, 1);
    ls_ber_counts c;
    count_bits(q, rx, sizeof rx, &c);
    cr_expect(eq(u64, c.codewords, 1));
    cr_expect(eq(u64, c.fec_symbol_errors, 1));
    ls_ber_destroy(q);
    rx[3] = 1u;
    q = make_ber(3u, 1);
    count_bits(q, rx, sizeof rx, &c);
    cr_expect(eq(u64, c.fec_symbol_errors, 2));
    ls_ber_destroy(q);
}

Test(fec, counting_off_gives_no_codewords)
{
    static uint8_t rx[2 * CW_SYM4];
    memset(rx, 0, sizeof rx);
    for (size_t j = 0; j < 20; j++)
        flip_bit(rx, 10u * j, 2u);
    ls_ber *q = make_ber(2u, 0);
    ls_ber_counts c;
    count_bits(q, rx, 2 * CW_SYM4, &c);
    cr_expect(eq(u64, c.codewords, 0));
    cr_expect(eq(u64, c.codewords_failed, 0));
    cr_expect(eq(u64, c.fec_symbol_errors, 0));
    cr_expect(eq(u64, c.bit_errors, 20));
    ls_ber_destroy(q);
}

/* log C(n,i) p^i (1-p)^(n-i) */
static double log_binom_pmf(unsigned n, unsigned i, double p)
{
    return lgamma(n + 1.0) - lgamma(i + 1.0) - lgamma(n - i + 1.0) + i * log(p) +
           (n - i) * log1p(-p);
}

Test(fec, counted_cer_matches_closed_form, .timeout = LS_TIMEOUT(60))
{
    /* BER 3e-3: p_s = 0.0296, 16.1 RS symbol errors per codeword on average, CER ~ 0.5 (so a
     * threshold off by one moves the CER by ~0.1, 30 sigma here). Independent bit errors drawn
     * with geometric gaps; fed in ragged chunks. */
    enum { N_CW = 100000, CHUNK = 4099 };
    const double ber = 3e-3;
    uint64_t seed = ls_test_seed(20240611u), s = seed;
    static uint8_t zero[CHUNK], rx[CHUNK];
    memset(zero, 0, sizeof zero);
    ls_ber *q = make_ber(2u, 1);
    const uint64_t n_sym = (uint64_t)N_CW * CW_SYM4, n_bits = 2 * n_sym;
    const double lq = log1p(-ber);
    uint64_t next = (uint64_t)floor(log(unif(&s)) / lq); /* serial index of the next bit error */
    for (uint64_t base = 0; base < n_sym;) {
        uint64_t want = CHUNK - base % 7u; /* ragged chunks */
        size_t m = (size_t)(want < n_sym - base ? want : n_sym - base);
        memset(rx, 0, m);
        while (next < 2 * (base + m)) {
            flip_bit(rx, (size_t)(next - 2 * base), 2u);
            next += 1u + (uint64_t)floor(log(unif(&s)) / lq);
        }
        cr_assert(eq(int, ls_ber_update(q, zero, zero, zero, rx, m), LS_OK));
        base += m;
    }
    ls_ber_counts c;
    ls_ber_get_counts(q, &c);
    ls_ber_destroy(q);
    cr_assert(eq(u64, c.codewords, N_CW));
    cr_assert(eq(u64, c.bits, n_bits));

    double sd_bits = sqrt(n_bits * ber * (1.0 - ber));
    ls_expect_seeded(fabs((double)c.bit_errors - n_bits * ber) < 3.0 * sd_bits, seed, "bit errors %llu",
                     (unsigned long long)c.bit_errors);

    double ps = ls_fec_symbol_error_prob(ber, 10u);
    double cer = ls_fec_cer_random(&kp4, ber);
    double got = (double)c.codewords_failed / N_CW;
    double sd = sqrt(cer * (1.0 - cer) / N_CW);
    cr_expect(cer > 0.3 && cer < 0.7, "closed-form CER %g", cer);
    ls_expect_seeded(fabs(got - cer) < 3.0 * sd, seed, "counted CER %g, closed form %g (3 sigma %g)", got, cer,
                     3.0 * sd);

    double mean = 544.0 * ps, sd_sym = sqrt(N_CW * 544.0 * ps * (1.0 - ps));
    ls_expect_seeded(fabs((double)c.fec_symbol_errors - N_CW * mean) < 3.0 * sd_sym, seed,
                     "RS symbol errors %llu, expected %g", (unsigned long long)c.fec_symbol_errors, N_CW * mean);

    /* Every histogram bin within 4 sigma of Bin(544, p_s) (17 bins: ~1e-3 false alarms). */
    double tail = 1.0;
    for (unsigned i = 0; i < 16; i++) {
        double p = exp(log_binom_pmf(544u, i, ps));
        tail -= p;
        double sdi = sqrt(N_CW * p * (1.0 - p));
        ls_expect_seeded(fabs((double)c.fec_hist[i] - N_CW * p) < 4.0 * sdi + 1.0, seed, "bin %u: %llu vs %g", i,
                         (unsigned long long)c.fec_hist[i], N_CW * p);
    }
    cr_expect(rel_close(tail, cer, 1e-9), "1 - P[X <= 15] = %.12g, CER %.12g", tail, cer);
    ls_expect_seeded(eq(u64, c.fec_hist[16], c.codewords_failed), seed, "failed codewords vs the last bin");
}

/* PRBS generator tests: periods, balance and runs, recurrences, known answers, agreement with
 * liquid-dsp msequence, streaming, advance, reset, config rejection, no allocation. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <liquid/liquid.h>
#include <stdlib.h>
#include <string.h>

#include "lanesim/prbs.h"
#include "ls_internal.h"
#include "util.h"

/* The test's own polynomial table (ITU-T O.150, IEEE 802.3), independent of phy/prbs.c. */
typedef struct {
    ls_prbs_type type;
    unsigned n;
    unsigned n_taps;
    unsigned taps[4];
} ref_poly;

static const ref_poly polys[] = {
    {LS_PRBS7, 7, 2, {7, 6}},      {LS_PRBS9, 9, 2, {9, 5}},
    {LS_PRBS11, 11, 2, {11, 9}},   {LS_PRBS13, 13, 4, {13, 12, 2, 1}},
    {LS_PRBS15, 15, 2, {15, 14}},  {LS_PRBS23, 23, 2, {23, 18}},
    {LS_PRBS31, 31, 2, {31, 28}},  {LS_PRBS13Q, 13, 4, {13, 12, 2, 1}},
    {LS_PRBS31Q, 31, 2, {31, 28}},
};
#define N_POLYS (sizeof polys / sizeof polys[0])

/* Straightforward reference: a shift register of n cells, cell[0] the newest bit; the
 * feedback (XOR of cells t-1 over the taps) is both the output and the new cell[0]. */
typedef struct {
    unsigned n;
    const ref_poly *p;
    uint8_t cell[32];
} ref_lfsr;

static void ref_init(ref_lfsr *r, const ref_poly *p, uint64_t state)
{
    r->n = p->n;
    r->p = p;
    for (unsigned i = 0; i < p->n; i++)
        r->cell[i] = (uint8_t)(state >> i & 1u);
}

static uint8_t ref_step(ref_lfsr *r)
{
    uint8_t y = 0;
    for (unsigned i = 0; i < r->p->n_taps; i++)
        y ^= r->cell[r->p->taps[i] - 1];
    memmove(r->cell + 1, r->cell, r->n - 1);
    r->cell[0] = y;
    return y;
}

static uint64_t ref_state(const ref_lfsr *r)
{
    uint64_t s = 0;
    for (unsigned i = 0; i < r->n; i++)
        s |= (uint64_t)r->cell[i] << i;
    return s;
}

static ls_prbs *make(ls_prbs_type t, uint64_t seed, int invert)
{
    ls_prbs_config cfg;
    ls_prbs_config_init(&cfg);
    cfg.type = t;
    cfg.seed = seed;
    cfg.invert = invert;
    ls_status st = LS_EINTERNAL;
    ls_prbs *q = ls_prbs_create(&cfg, &st);
    cr_assert(q != NULL, "create %s failed: %s", ls_prbs_name(t), ls_strerror(st));
    cr_assert(eq(int, st, LS_OK));
    return q;
}

/* n bits, one per byte, via ls_prbs_words (independent of the ls_prbs_bits path). */
static uint8_t *bits_via_words(ls_prbs *q, size_t n)
{
    size_t nw = (n + 63) / 64;
    uint64_t *w = malloc(nw * sizeof *w);
    uint8_t *b = malloc(nw * 64);
    cr_assert(w && b);
    cr_assert(eq(int, ls_prbs_words(q, w, nw), LS_OK));
    for (size_t i = 0; i < nw * 64; i++)
        b[i] = (uint8_t)(w[i / 64] >> (63 - i % 64) & 1u);
    free(w);
    return b;
}

static void check_string(ls_prbs *q, const char *want, const char *what)
{
    size_t n = strlen(want);
    uint8_t got[128];
    cr_assert(n <= sizeof got);
    cr_assert(eq(int, ls_prbs_bits(q, got, n), LS_OK));
    for (size_t i = 0; i < n; i++)
        cr_assert(eq(int, got[i], want[i] - '0'), "%s: bit %zu", what, i);
}

Test(prbs, polynomials_degrees_periods_and_names_match_the_standards)
{
    static const char *names[] = {"prbs7",  "prbs9",  "prbs11",  "prbs13", "prbs15",
                                  "prbs23", "prbs31", "prbs13q", "prbs31q"};
    for (size_t k = 0; k < N_POLYS; k++) {
        const ref_poly *p = &polys[k];
        uint64_t poly = 1;
        for (unsigned i = 0; i < p->n_taps; i++)
            poly |= (uint64_t)1 << p->taps[i];
        cr_assert(eq(u64, ls_prbs_poly(p->type), poly), "%s", names[k]);
        cr_assert(eq(uint, ls_prbs_degree(p->type), p->n));
        cr_assert(eq(u64, ls_prbs_period(p->type), ((uint64_t)1 << p->n) - 1));
        cr_assert(eq(str, (char *)ls_prbs_name(p->type), (char *)names[k]));
        ls_prbs_type t = LS_PRBS7;
        cr_assert(eq(int, ls_prbs_parse(names[k], &t), 0));
        cr_assert(eq(int, (int)t, (int)p->type));
    }
    cr_assert(eq(u64, ls_prbs_poly(LS_PRBS7), 0xc1));
    ls_prbs_type t = LS_PRBS7;
    cr_assert(eq(int, ls_prbs_parse("PRBS13Q", &t), 0));
    cr_assert(eq(int, (int)t, (int)LS_PRBS13Q));
    cr_assert(eq(int, ls_prbs_parse("Prbs31", &t), 0));
    cr_assert(eq(int, (int)t, (int)LS_PRBS31));
    static const char *bad[] = {"", "prbs", "prbs8", "prbs7x", "prbs31qq", "xprbs7", "prbs 7"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        t = LS_PRBS9;
        cr_assert(ne(int, ls_prbs_parse(bad[k], &t), 0), "'%s' parsed", bad[k]);
        cr_assert(eq(int, (int)t, (int)LS_PRBS9), "'%s' touched t", bad[k]);
    }
    cr_assert(ne(int, ls_prbs_parse(NULL, &t), 0));
    cr_assert(ne(int, ls_prbs_parse("prbs7", NULL), 0));
    cr_assert(eq(uint, ls_prbs_degree((ls_prbs_type)LS_PRBS_N_TYPES), 0));
    cr_assert(eq(u64, ls_prbs_period((ls_prbs_type)-1), 0));
    cr_assert(eq(u64, ls_prbs_poly((ls_prbs_type)99), 0));
    cr_assert(eq(ptr, (void *)ls_prbs_name((ls_prbs_type)99), NULL));
}

Test(prbs, known_answers_prbs7_prbs9_from_all_ones)
{
    /* Hand-derived from y[k] = y[k-6] ^ y[k-7] (resp. y[k-5] ^ y[k-9]) with seven (nine)
     * ones before the first bit; the first 31 PRBS7 bits are the commonly published ones. */
    static const char prbs7[] = "0000001000001100001010001111001000101100111010100111110100001110";
    static const char prbs9[] = "0000011110111110001011100110010000010010100111011010001111001111";
    ls_prbs *a = make(LS_PRBS7, 0, 0), *b = make(LS_PRBS9, 0, 0);
    check_string(a, prbs7, "prbs7");
    check_string(b, prbs9, "prbs9");
    ls_prbs_destroy(a);
    ls_prbs_destroy(b);

    /* the same strings from the test's own shift register */
    for (int k = 0; k < 2; k++) {
        ref_lfsr r;
        ref_init(&r, &polys[k], k ? 0x1ff : 0x7f);
        const char *want = k ? prbs9 : prbs7;
        for (size_t i = 0; want[i]; i++)
            cr_assert(eq(int, ref_step(&r), want[i] - '0'), "reference %d bit %zu", k, i);
    }
}

Test(prbs, prbs13q_default_seed_gives_the_ieee_com_reference_start)
{
    /* IEEE 802.3 COM reference script, PRBS13Q(): lane-0 seed 0000010101011, first 16 NRZ
     * bits 1101010100000010 (secondary source; see docs/prbs.md). */
    ls_prbs *q = make(LS_PRBS13Q, 0, 0);
    cr_assert(eq(u64, ls_prbs_state(q), LS_PRBS13Q_SEED));
    cr_assert(eq(u64, ls_prbs_default_seed(LS_PRBS13Q), LS_PRBS13Q_SEED));
    check_string(q, "1101010100000010", "prbs13q");
    ls_prbs_destroy(q);
    /* PRBS13Q is PRBS13 with another seed */
    ls_prbs *a = make(LS_PRBS13Q, 0, 0), *b = make(LS_PRBS13, LS_PRBS13Q_SEED, 0);
    uint8_t *x = bits_via_words(a, 20000), *y = bits_via_words(b, 20000);
    cr_assert(eq(int, memcmp(x, y, 20000), 0));
    free(x);
    free(y);
    ls_prbs_destroy(a);
    ls_prbs_destroy(b);
}

Test(prbs, every_type_follows_its_polynomial_recurrence_and_the_reference_lfsr)
{
    enum { N = 20000 };
    for (size_t k = 0; k < N_POLYS; k++) {
        const ref_poly *p = &polys[k];
        uint64_t seed = 0x5a5a5a5a5a5aull & (((uint64_t)1 << p->n) - 1);
        ls_prbs *q = make(p->type, seed, 0);
        uint8_t *y = bits_via_words(q, N);
        for (size_t i = p->n; i < N; i++) {
            uint8_t s = 0;
            for (unsigned t = 0; t < p->n_taps; t++)
                s ^= y[i - p->taps[t]];
            cr_assert(eq(int, y[i], s), "%s: recurrence fails at bit %zu", ls_prbs_name(p->type),
                      i);
        }
        ref_lfsr r;
        ref_init(&r, p, seed);
        for (size_t i = 0; i < N; i++)
            cr_assert(eq(int, y[i], ref_step(&r)), "%s: reference differs at bit %zu",
                      ls_prbs_name(p->type), i);
        free(y);
        ls_prbs_destroy(q);
    }
}

Test(prbs, period_is_exactly_2n_minus_1_up_to_prbs23, .timeout = 60)
{
    for (size_t k = 0; k < N_POLYS; k++) {
        const ref_poly *p = &polys[k];
        if (p->n > 23)
            continue;
        uint64_t period = ((uint64_t)1 << p->n) - 1, mask = period;
        ls_prbs *q = make(p->type, 0, 0);
        uint64_t seed = ls_prbs_state(q);
        size_t n = (size_t)period + 128;
        uint8_t *y = bits_via_words(q, n);
        /* the state (last n bits) leaves the seed and first comes back at bit 2^n - 1 */
        uint64_t s = seed, first = 0;
        for (uint64_t i = 0; i < period && !first; i++) {
            s = ((s << 1) | y[i]) & mask;
            if (s == seed)
                first = i + 1;
        }
        cr_assert(eq(u64, first, period), "%s: state returns to the seed after %llu bits",
                  ls_prbs_name(p->type), (unsigned long long)first);
        for (size_t i = 0; i < 128; i++)
            cr_assert(eq(int, y[period + i], y[i]), "%s: not periodic at %zu",
                      ls_prbs_name(p->type), i);
        free(y);
        /* the object's own view: after one period, position 0 and the seed state */
        cr_assert(eq(u64, ls_prbs_position(q), (uint64_t)(n + 63) / 64 * 64 % period));
        ls_prbs_destroy(q);
        q = make(p->type, 0, 0);
        uint8_t *z = malloc((size_t)period);
        cr_assert(z != NULL);
        cr_assert(eq(int, ls_prbs_bits(q, z, (size_t)period), LS_OK));
        cr_assert(eq(u64, ls_prbs_position(q), 0));
        cr_assert(eq(u64, ls_prbs_state(q), seed));
        free(z);
        ls_prbs_destroy(q);
    }
}

Test(prbs, prbs31_returns_to_the_seed_after_2_31_minus_1_bits)
{
    /* 2^31 - 1 is prime, so returning to the seed there (and not at 1) makes it the period. */
    const ls_prbs_type types[] = {LS_PRBS31, LS_PRBS31Q};
    for (int k = 0; k < 2; k++) {
        const uint64_t p = ((uint64_t)1 << 31) - 1;
        ls_prbs *q = make(types[k], 0x12345678, 0), *fresh = make(types[k], 0x12345678, 0);
        uint64_t seed = ls_prbs_state(q);
        cr_assert(eq(u64, seed, 0x12345678));
        cr_assert(eq(int, ls_prbs_advance(q, 1), LS_OK));
        cr_assert(ne(u64, ls_prbs_state(q), seed));
        cr_assert(eq(int, ls_prbs_advance(q, p - 1), LS_OK));
        cr_assert(eq(u64, ls_prbs_state(q), seed));
        cr_assert(eq(u64, ls_prbs_position(q), 0));
        uint8_t *a = bits_via_words(q, 4096), *b = bits_via_words(fresh, 4096);
        cr_assert(eq(int, memcmp(a, b, 4096), 0));
        free(a);
        free(b);
        /* the last 64 bits of the period followed by the first 64 again */
        ls_prbs_destroy(q);
        q = make(types[k], 0x12345678, 0);
        cr_assert(eq(int, ls_prbs_advance(q, p - 64), LS_OK));
        uint8_t wrap[128];
        cr_assert(eq(int, ls_prbs_bits(q, wrap, 128), LS_OK));
        cr_assert(eq(int, ls_prbs_reset(fresh), LS_OK));
        uint8_t head[64];
        cr_assert(eq(int, ls_prbs_bits(fresh, head, 64), LS_OK));
        cr_assert(eq(int, memcmp(wrap + 64, head, 64), 0));
        ls_prbs_destroy(q);
        ls_prbs_destroy(fresh);
    }
}

Test(prbs, advance_agrees_with_stepping)
{
    static const uint64_t skips[] = {
        0, 1, 7, 63, 64, 65, 127, 1000, 100000, (1u << 20) + 12345, 3000017};
    enum { M = 1000 };
    for (size_t k = 0; k < N_POLYS; k++) {
        const ref_poly *p = &polys[k];
        ls_prbs *q = make(p->type, 0, 0);
        uint8_t *all = bits_via_words(q, 3000017 + M);
        for (size_t s = 0; s < sizeof skips / sizeof skips[0]; s++) {
            cr_assert(eq(int, ls_prbs_reset(q), LS_OK));
            cr_assert(eq(int, ls_prbs_advance(q, skips[s]), LS_OK));
            uint8_t got[M];
            cr_assert(eq(int, ls_prbs_bits(q, got, M), LS_OK));
            cr_assert(eq(int, memcmp(got, all + skips[s], M), 0), "%s: advance(%llu)",
                      ls_prbs_name(p->type), (unsigned long long)skips[s]);
        }
        /* advance in the middle of a stream, from an unaligned position, twice */
        cr_assert(eq(int, ls_prbs_reset(q), LS_OK));
        uint8_t got[M];
        cr_assert(eq(int, ls_prbs_bits(q, got, 7), LS_OK));
        cr_assert(eq(int, ls_prbs_advance(q, 100000), LS_OK));
        cr_assert(eq(int, ls_prbs_advance(q, 3), LS_OK));
        cr_assert(eq(int, ls_prbs_bits(q, got, M), LS_OK));
        cr_assert(eq(int, memcmp(got, all + 100010, M), 0), "%s: chained advance",
                  ls_prbs_name(p->type));
        free(all);
        ls_prbs_destroy(q);
    }
}

Test(prbs, advance_state_matches_the_reference_after_100000_steps)
{
    for (size_t k = 0; k < N_POLYS; k++) {
        const ref_poly *p = &polys[k];
        uint64_t seed = 0x2468ace1u & (((uint64_t)1 << p->n) - 1);
        ls_prbs *q = make(p->type, seed, 0);
        cr_assert(eq(int, ls_prbs_advance(q, 100000), LS_OK));
        ref_lfsr r;
        ref_init(&r, p, seed);
        for (int i = 0; i < 100000; i++)
            (void)ref_step(&r);
        cr_assert(eq(u64, ls_prbs_state(q), ref_state(&r)), "%s", ls_prbs_name(p->type));
        ls_prbs_destroy(q);
    }
}

Test(prbs, frames_started_by_advance_tile_one_long_run)
{
    enum { L = 10007, F = 8 };
    ls_prbs *run = make(LS_PRBS31, 0, 0);
    uint8_t *all = bits_via_words(run, (size_t)L * F);
    for (uint64_t f = F; f-- > 0;) {
        ls_prbs *q = make(LS_PRBS31, 0, 0);
        cr_assert(eq(int, ls_prbs_advance(q, f * L), LS_OK));
        uint8_t *fr = bits_via_words(q, L);
        cr_assert(eq(int, memcmp(fr, all + f * L, L), 0), "frame %llu", (unsigned long long)f);
        free(fr);
        ls_prbs_destroy(q);
    }
    free(all);
    ls_prbs_destroy(run);
}

/* Runs in one cyclic period: starting just after a 1 -> 0 edge, count runs by length. */
static void check_runs(const uint8_t *y, uint64_t period, unsigned n, const char *name)
{
    uint64_t *zeros = calloc(n + 2, sizeof *zeros), *ones = calloc(n + 2, sizeof *ones);
    cr_assert(zeros && ones);
    uint64_t start = 0;
    while (!(y[start] == 0 && y[(start + period - 1) % period] == 1))
        start++;
    uint64_t len = 0;
    for (uint64_t i = 0; i < period; i++) {
        uint8_t b = y[(start + i) % period];
        len++;
        if (y[(start + i + 1) % period] != b) {
            cr_assert(le(u64, len, n), "%s: run of %llu", name, (unsigned long long)len);
            (b ? ones : zeros)[len]++;
            len = 0;
        }
    }
    for (unsigned k = 1; k + 1 < n; k++)
        cr_assert(eq(u64, zeros[k] + ones[k], (uint64_t)1 << (n - k - 1)),
                  "%s: %llu runs of length %u", name, (unsigned long long)(zeros[k] + ones[k]), k);
    cr_assert(eq(u64, ones[n], 1), "%s: one run of n ones", name);
    cr_assert(eq(u64, zeros[n - 1], 1), "%s: one run of n-1 zeros", name);
    cr_assert(eq(u64, ones[n - 1] + zeros[n], 0), "%s", name);
    free(zeros);
    free(ones);
}

Test(prbs, balance_and_run_lengths_over_one_period_up_to_prbs15)
{
    for (size_t k = 0; k < N_POLYS; k++) {
        const ref_poly *p = &polys[k];
        if (p->n > 15)
            continue;
        uint64_t period = ((uint64_t)1 << p->n) - 1;
        ls_prbs *q = make(p->type, 0, 0);
        uint8_t *y = bits_via_words(q, (size_t)period);
        uint64_t ones = 0;
        for (uint64_t i = 0; i < period; i++)
            ones += y[i];
        cr_assert(eq(u64, ones, (uint64_t)1 << (p->n - 1)), "%s: %llu ones", ls_prbs_name(p->type),
                  (unsigned long long)ones);
        check_runs(y, period, p->n, ls_prbs_name(p->type));
        free(y);
        ls_prbs_destroy(q);
    }
}

static uint64_t reverse_bits(uint64_t x, unsigned n)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < n; i++)
        r |= (x >> i & 1u) << (n - 1 - i);
    return r;
}

/*
 * liquid-dsp 1.5 msequence_create(m, g, a): register v = a bit-reversed over m bits; each step
 * b = parity(v & (g >> 1)), v = ((v << 1) | b) & (2^m - 1), output b. With g = p(x) (bit i =
 * coefficient of x^i, e.g. 0xC1 for PRBS7), v is exactly our state, so the two generators give
 * the SAME sequence, bit for bit, when a = reverse_m(seed). With the reciprocal polynomial
 * x^m p(1/x) liquid gives the time-reversed sequence.
 */
Test(prbs, matches_liquid_msequence_for_m_up_to_15)
{
    for (size_t k = 0; k < N_POLYS; k++) {
        const ref_poly *p = &polys[k];
        if (p->n > 15)
            continue;
        unsigned n = p->n;
        uint64_t period = ((uint64_t)1 << n) - 1;
        uint64_t seeds[2] = {period, 0x2b5u & period};
        for (int s = 0; s < 2; s++) {
            ls_prbs *q = make(p->type, seeds[s], 0);
            size_t len = (size_t)period + 100;
            uint8_t *y = bits_via_words(q, len);
            msequence ms = msequence_create(n, (unsigned)ls_prbs_poly(p->type),
                                            (unsigned)reverse_bits(seeds[s], n));
            cr_assert(ms != NULL);
            cr_assert(eq(uint, msequence_get_state(ms), (unsigned)seeds[s]));
            for (size_t i = 0; i < len; i++)
                cr_assert(eq(int, y[i], (int)msequence_advance(ms)), "%s seed %llx: bit %zu",
                          ls_prbs_name(p->type), (unsigned long long)seeds[s], i);
            msequence_destroy(ms);

            /* 2-bit symbols as liquid packs them: first bit = MSB (the PAM4 pairing) */
            ms = msequence_create(n, (unsigned)ls_prbs_poly(p->type),
                                  (unsigned)reverse_bits(seeds[s], n));
            for (size_t i = 0; i + 1 < 200; i += 2)
                cr_assert(
                    eq(uint, msequence_generate_symbol(ms, 2), (unsigned)(y[i] << 1 | y[i + 1])));
            msequence_destroy(ms);

            /* reciprocal polynomial: time reversal, y[(c - i) mod P] for some shift c */
            uint64_t recip = reverse_bits(ls_prbs_poly(p->type), n + 1);
            ms = msequence_create(n, (unsigned)recip, 1);
            uint8_t *z = malloc((size_t)period);
            cr_assert(z != NULL);
            for (uint64_t i = 0; i < period; i++)
                z[i] = (uint8_t)msequence_advance(ms);
            msequence_destroy(ms);
            uint64_t c, found = 0;
            for (c = 0; c < period && !found; c++) {
                uint64_t i = 0;
                while (i < period && z[i] == y[(c + period - i) % period])
                    i++;
                found = i == period;
            }
            cr_assert(found, "%s: reciprocal polynomial is not the time reversal",
                      ls_prbs_name(p->type));
            free(z);
            free(y);
            ls_prbs_destroy(q);
        }
    }
}

Test(prbs, words_and_bits_agree_for_every_type_and_inversion)
{
    enum { NW = 300 };
    for (size_t k = 0; k < N_POLYS; k++) {
        for (int inv = 0; inv < 2; inv++) {
            ls_prbs *a = make(polys[k].type, 0, inv), *b = make(polys[k].type, 0, inv);
            uint64_t w[NW];
            static uint8_t bits[NW * 64];
            cr_assert(eq(int, ls_prbs_words(a, w, NW), LS_OK));
            cr_assert(eq(int, ls_prbs_bits(b, bits, NW * 64), LS_OK));
            for (size_t i = 0; i < NW * 64; i++)
                cr_assert(eq(int, bits[i], (int)(w[i / 64] >> (63 - i % 64) & 1u)),
                          "%s inv %d bit %zu", ls_prbs_name(polys[k].type), inv, i);
            ls_prbs_destroy(a);
            ls_prbs_destroy(b);
        }
    }
}

Test(prbs, invert_complements_the_output_and_keeps_the_state)
{
    for (size_t k = 0; k < N_POLYS; k++) {
        ls_prbs *a = make(polys[k].type, 0, 0), *b = make(polys[k].type, 0, 1);
        uint8_t *x = bits_via_words(a, 5000), *y = bits_via_words(b, 5000);
        for (size_t i = 0; i < 5000; i++)
            cr_assert(eq(int, y[i], 1 - x[i]), "%s bit %zu", ls_prbs_name(polys[k].type), i);
        cr_assert(eq(u64, ls_prbs_state(a), ls_prbs_state(b)));
        free(x);
        free(y);
        ls_prbs_destroy(a);
        ls_prbs_destroy(b);
    }
}

/* Ragged mixture of bits and words calls equals one ls_prbs_bits call. */
Test(prbs, chunked_calls_equal_one_shot)
{
    enum { N = 200000 };
    static const size_t chunk[] = {1, 7, 4096, 64, 63, 129, 5000, 2, 4097, 640};
    static uint8_t one[N + 64 * 1024], got[N + 64 * 1024];
    for (size_t k = 0; k < N_POLYS; k++) {
        for (int inv = 0; inv < 2; inv++) {
            ls_prbs *a = make(polys[k].type, 0, inv), *b = make(polys[k].type, 0, inv);
            size_t i = 0, j = 0;
            while (i < N) {
                size_t m = chunk[j % 10];
                if (j % 3 == 2) { /* a words call of m / 8 + 1 words */
                    size_t nw = m / 8 + 1;
                    uint64_t w[1024];
                    cr_assert(eq(int, ls_prbs_words(b, w, nw), LS_OK));
                    for (size_t t = 0; t < nw * 64; t++)
                        got[i + t] = (uint8_t)(w[t / 64] >> (63 - t % 64) & 1u);
                    i += nw * 64;
                } else {
                    cr_assert(eq(int, ls_prbs_bits(b, got + i, m), LS_OK));
                    i += m;
                }
                j++;
            }
            cr_assert(eq(int, ls_prbs_bits(a, one, i), LS_OK));
            for (size_t t = 0; t < i; t++)
                cr_assert(eq(int, got[t], one[t]), "%s inv %d bit %zu", ls_prbs_name(polys[k].type),
                          inv, t);
            cr_assert(eq(u64, ls_prbs_position(a), ls_prbs_position(b)));
            cr_assert(eq(u64, ls_prbs_state(a), ls_prbs_state(b)));
            ls_prbs_destroy(a);
            ls_prbs_destroy(b);
        }
    }
}

Test(prbs, unaligned_words_calls_cover_buffered_and_generated_words)
{
    /* after 7 bits the 4096-bit buffer holds 4089 bits: 63 whole words + 57 bits */
    static const size_t nws[] = {1, 62, 63, 64, 200};
    for (size_t s = 0; s < sizeof nws / sizeof nws[0]; s++) {
        ls_prbs *a = make(LS_PRBS13, 0, 0), *b = make(LS_PRBS13, 0, 0);
        uint8_t *ref = bits_via_words(a, 7 + 64 * (nws[s] + 1) + 64);
        uint8_t head[7];
        uint64_t w[202];
        cr_assert(eq(int, ls_prbs_bits(b, head, 7), LS_OK));
        cr_assert(eq(int, ls_prbs_words(b, w, nws[s]), LS_OK));
        cr_assert(eq(int, ls_prbs_words(b, w + nws[s], 1), LS_OK));
        for (size_t t = 0; t < 64 * (nws[s] + 1); t++)
            cr_assert(eq(int, ref[7 + t], (int)(w[t / 64] >> (63 - t % 64) & 1u)), "nw %zu bit %zu",
                      nws[s], t);
        free(ref);
        ls_prbs_destroy(a);
        ls_prbs_destroy(b);
    }
}

Test(prbs, reset_equals_fresh)
{
    for (size_t k = 0; k < N_POLYS; k++) {
        ls_prbs *a = make(polys[k].type, 0x3c3c3c3, 1), *b = make(polys[k].type, 0x3c3c3c3, 1);
        uint8_t tmp[777];
        cr_assert(eq(int, ls_prbs_bits(a, tmp, 777), LS_OK));
        cr_assert(eq(int, ls_prbs_advance(a, 123456789), LS_OK));
        cr_assert(eq(int, ls_prbs_bits(a, tmp, 5), LS_OK));
        cr_assert(eq(int, ls_prbs_reset(a), LS_OK));
        cr_assert(eq(u64, ls_prbs_position(a), 0));
        cr_assert(eq(u64, ls_prbs_state(a), ls_prbs_state(b)));
        uint8_t *x = bits_via_words(a, 9000), *y = bits_via_words(b, 9000);
        cr_assert(eq(int, memcmp(x, y, 9000), 0), "%s", ls_prbs_name(polys[k].type));
        free(x);
        free(y);
        ls_prbs_destroy(a);
        ls_prbs_destroy(b);
    }
}

Test(prbs, seeds_are_masked_and_zero_selects_the_default)
{
    for (size_t k = 0; k < N_POLYS; k++) {
        const ref_poly *p = &polys[k];
        uint64_t mask = ((uint64_t)1 << p->n) - 1;
        ls_prbs *d = make(p->type, 0, 0);
        uint64_t want = p->type == LS_PRBS13Q ? LS_PRBS13Q_SEED : mask;
        cr_assert(eq(u64, ls_prbs_state(d), want), "%s default seed", ls_prbs_name(p->type));
        cr_assert(eq(u64, ls_prbs_default_seed(p->type), want));
        ls_prbs *a = make(p->type, 0x5ull | ((uint64_t)0xabc << p->n), 0);
        ls_prbs *b = make(p->type, 0x5, 0);
        cr_assert(eq(u64, ls_prbs_state(a), 0x5));
        uint8_t *x = bits_via_words(a, 1000), *y = bits_via_words(b, 1000);
        cr_assert(eq(int, memcmp(x, y, 1000), 0));
        free(x);
        free(y);
        ls_prbs_destroy(a);
        ls_prbs_destroy(b);
        ls_prbs_destroy(d);
    }
}

Test(prbs, config_rejection)
{
    ls_prbs_config cfg;
    ls_prbs_config_init(&cfg);
    cr_assert(eq(int, (int)cfg.type, (int)LS_PRBS31));
    cr_assert(eq(u64, cfg.seed, 0));
    cr_assert(eq(int, cfg.invert, 0));
    ls_prbs_config_init(NULL);

    ls_status st = LS_OK;
    cr_assert(eq(ptr, ls_prbs_create(NULL, &st), NULL));
    cr_assert(eq(int, st, LS_EINVAL));

    static const int bad_types[] = {-1, LS_PRBS_N_TYPES, 1000};
    for (size_t k = 0; k < 3; k++) {
        ls_prbs_config_init(&cfg);
        cfg.type = (ls_prbs_type)bad_types[k];
        st = LS_OK;
        cr_assert(eq(ptr, ls_prbs_create(&cfg, &st), NULL), "type %d", bad_types[k]);
        cr_assert(eq(int, st, LS_EINVAL));
    }
    /* a seed that is zero after masking to n bits */
    for (size_t k = 0; k < N_POLYS; k++) {
        ls_prbs_config_init(&cfg);
        cfg.type = polys[k].type;
        cfg.seed = (uint64_t)1 << polys[k].n;
        st = LS_OK;
        cr_assert(eq(ptr, ls_prbs_create(&cfg, &st), NULL), "%s", ls_prbs_name(cfg.type));
        cr_assert(eq(int, st, LS_EINVAL));
        cfg.seed = ~(((uint64_t)1 << polys[k].n) - 1);
        cr_assert(eq(ptr, ls_prbs_create(&cfg, NULL), NULL)); /* err may be NULL */
    }
    ls_prbs_destroy(NULL);

    /* NULL object / buffer */
    uint8_t b[4];
    uint64_t w[2];
    cr_assert(eq(int, ls_prbs_bits(NULL, b, 4), LS_EINVAL));
    cr_assert(eq(int, ls_prbs_words(NULL, w, 2), LS_EINVAL));
    cr_assert(eq(int, ls_prbs_advance(NULL, 5), LS_EINVAL));
    cr_assert(eq(int, ls_prbs_reset(NULL), LS_EINVAL));
    cr_assert(eq(u64, ls_prbs_state(NULL), 0));
    cr_assert(eq(u64, ls_prbs_position(NULL), 0));
    ls_prbs *q = make(LS_PRBS7, 0, 0);
    cr_assert(eq(int, ls_prbs_bits(q, NULL, 4), LS_EINVAL));
    cr_assert(eq(int, ls_prbs_words(q, NULL, 2), LS_EINVAL));
    cr_assert(eq(int, ls_prbs_bits(q, NULL, 0), LS_OK));
    cr_assert(eq(int, ls_prbs_words(q, NULL, 0), LS_OK));
    cr_assert(eq(u64, ls_prbs_position(q), 0));
    ls_prbs_destroy(q);
}

Test(prbs, no_allocation_after_create)
{
    ls_prbs *q = make(LS_PRBS31, 0, 1);
    static uint8_t b[100000];
    static uint64_t w[5000];
    uint64_t before = lsi_alloc_count();
    cr_assert(eq(int, ls_prbs_bits(q, b, 7), LS_OK));
    cr_assert(eq(int, ls_prbs_words(q, w, 5000), LS_OK));
    cr_assert(eq(int, ls_prbs_bits(q, b, 100000), LS_OK));
    cr_assert(eq(int, ls_prbs_advance(q, 987654321), LS_OK));
    cr_assert(eq(int, ls_prbs_words(q, w, 5000), LS_OK));
    cr_assert(eq(int, ls_prbs_reset(q), LS_OK));
    (void)ls_prbs_state(q);
    cr_assert(eq(u64, lsi_alloc_count(), before));
    ls_prbs_destroy(q);
}

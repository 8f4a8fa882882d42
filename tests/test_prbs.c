/* PRBS generator tests: polynomials, periods, balance and runs, recurrences, known answers,
 * agreement with liquid-dsp msequence. Advance and streaming: test_prbs_stream.c. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "prbs_util.h"

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

Test(prbs, period_is_exactly_2n_minus_1_up_to_prbs23, .timeout = LS_TIMEOUT(60))
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

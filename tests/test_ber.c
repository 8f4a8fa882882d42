/* Error counter: symbol/bit errors, sub-eyes, bursts, streaming, reset, merging, intervals. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <string.h>

#include "lanesim/ber.h"
#include "lanesim/fec.h"
#include "ls_internal.h"
#include "util.h"

static const uint8_t gray4[4] = {0u, 1u, 3u, 2u}; /* PAM4 level -> bits (Gray) */

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static ls_ber *make_ber(unsigned bps)
{
    ls_ber_config cfg;
    ls_ber_config_init(&cfg);
    cfg.bits_per_symbol = bps;
    cfg.levels = 1u << bps;
    ls_status st = LS_EINTERNAL;
    ls_ber *q = ls_ber_create(&cfg, &st);
    cr_assert(q != NULL && st == LS_OK, "create: %s", ls_strerror(st));
    return q;
}

/* PAM4 with Gray bits: counts the level sequences tx[], rx[] in one call. */
static void update_gray(ls_ber *q, const uint8_t *tx, const uint8_t *rx, size_t n)
{
    uint8_t tb[64], rb[64];
    cr_assert(n <= sizeof tb);
    for (size_t i = 0; i < n; i++) {
        tb[i] = gray4[tx[i]];
        rb[i] = gray4[rx[i]];
    }
    cr_assert(eq(int, ls_ber_update(q, tx, rx, tb, rb, n), LS_OK));
}

/* Symbol-error pattern e[] (1 = error: level 1 decided as 2) on PAM4, one call. */
static void update_pattern(ls_ber *q, const char *e)
{
    uint8_t tx[64], rx[64];
    size_t n = strlen(e);
    cr_assert(n <= sizeof tx);
    for (size_t i = 0; i < n; i++) {
        tx[i] = 1u;
        rx[i] = e[i] == '1' ? 2u : 1u;
    }
    update_gray(q, tx, rx, n);
}

/* Random stream with clustered errors: levels uniform; after an error the next symbol errs with
 * probability 1/2, else 1/20; an error moves the level by 1 (at times 2) up or down; bit errors
 * follow the Gray map, plus rare bit flips without a level error (precoding slips). */
static void make_stream(uint8_t *tl, uint8_t *rl, uint8_t *tb, uint8_t *rb, size_t n, unsigned bps,
                        uint64_t seed)
{
    uint64_t s = seed;
    unsigned L = 1u << bps;
    int prev = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t r = splitmix(&s);
        unsigned a = (unsigned)(r % L), b = a;
        int err = (r >> 32) % (prev ? 2u : 20u) == 0;
        if (err) {
            unsigned step = ((r >> 40) & 7u) == 0 && L > 2u ? 2u : 1u;
            unsigned up = (r >> 44) & 1u;
            if (up && a + step >= L)
                up = 0;
            if (!up && a < step)
                up = 1;
            b = up ? a + step : a - step;
        }
        prev = err;
        tl[i] = (uint8_t)a;
        rl[i] = (uint8_t)b;
        tb[i] = (uint8_t)(a ^ (a >> 1)); /* Gray */
        rb[i] = (uint8_t)(b ^ (b >> 1));
        if (((r >> 48) & 0x3ffu) == 0)
            rb[i] ^= (uint8_t)(1u << ((r >> 58) % bps));
    }
}

Test(ber, config_init_is_pam4_with_fec)
{
    ls_ber_config cfg;
    ls_ber_config_init(&cfg);
    cr_expect(eq(u32, cfg.bits_per_symbol, 2u));
    cr_expect(eq(u32, cfg.levels, 4u));
    cr_expect(cfg.fec != 0);
}

Test(ber, config_rejection)
{
    static const ls_ber_config bad[] = {
        {0u, 1u, 1, 0, 0}, {4u, 16u, 1, 0, 0}, {2u, 3u, 1, 0, 0}, {3u, 6u, 0, 0, 0}, {1u, 4u, 1, 0, 0},
        {2u, 0u, 1, 0, 0},
        /* inner code: an unknown mode, not PAM4, Chase with no or too many test symbols */
        {2u, 4u, 1, 3, 0}, {1u, 2u, 1, 1, 0}, {2u, 4u, 1, 2, 0}, {2u, 4u, 1, 2, 9},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ls_status st = LS_OK;
        ls_ber *q = ls_ber_create(&bad[i], &st);
        cr_expect(q == NULL, "config %zu accepted", i);
        cr_expect(eq(int, st, LS_EINVAL), "config %zu", i);
        cr_expect(ls_ber_create(&bad[i], NULL) == NULL);
    }
    ls_status st = LS_OK;
    cr_expect(ls_ber_create(NULL, &st) == NULL);
    cr_expect(eq(int, st, LS_EINVAL));
    ls_ber_destroy(NULL);
    for (unsigned b = 1; b <= 3; b++)
        ls_ber_destroy(make_ber(b));
}

Test(ber, update_rejects_bad_input_without_counting)
{
    ls_ber *q = make_ber(2u);
    uint8_t ok[4] = {0, 1, 2, 3}, bad_level[4] = {0, 1, 4, 3}, bad_bits[4] = {0, 1, 2, 8};
    cr_expect(eq(int, ls_ber_update(q, ok, bad_level, ok, ok, 4), LS_EINVAL));
    cr_expect(eq(int, ls_ber_update(q, bad_level, ok, ok, ok, 4), LS_EINVAL));
    cr_expect(eq(int, ls_ber_update(q, ok, ok, ok, bad_bits, 4), LS_EINVAL));
    cr_expect(eq(int, ls_ber_update(q, ok, ok, NULL, ok, 4), LS_EINVAL));
    cr_expect(eq(int, ls_ber_update(NULL, ok, ok, ok, ok, 4), LS_EINVAL));
    cr_expect(eq(int, ls_ber_update(q, NULL, NULL, NULL, NULL, 0), LS_OK));
    cr_expect(eq(int, ls_ber_reset(NULL), LS_EINVAL));
    ls_ber_counts c, zero;
    memset(&zero, 0, sizeof zero);
    ls_ber_get_counts(q, &c);
    cr_expect(eq(int, memcmp(&c, &zero, sizeof c), 0));
    ls_ber_destroy(q);
}

Test(ber, hand_made_symbol_and_bit_errors)
{
    /* PAM4 Gray 00 01 11 10. */
    static const uint8_t tx[] = {0, 1, 2, 3, 0, 0, 3, 2, 1};
    static const uint8_t rx[] = {0, 2, 2, 2, 2, 3, 3, 2, 0};
    /* errors: 1->2 (01/11: 1 bit, eye 1), 3->2 (10/11: 1 bit, eye 2), 0->2 (00/11: 2 bits, eyes 0,
     * 1), 0->3 (00/10: 1 bit, eyes 0, 1, 2), 1->0 (01/00: 1 bit, eye 0). */
    ls_ber *q = make_ber(2u);
    update_gray(q, tx, rx, sizeof tx);
    ls_ber_counts c;
    ls_ber_get_counts(q, &c);
    cr_expect(eq(u64, c.symbols, 9));
    cr_expect(eq(u64, c.bits, 18));
    cr_expect(eq(u64, c.symbol_errors, 5));
    cr_expect(eq(u64, c.bit_errors, 6));
    cr_expect(eq(u64, c.eye_errors[0], 3));
    cr_expect(eq(u64, c.eye_errors[1], 3));
    cr_expect(eq(u64, c.eye_errors[2], 2));
    for (size_t e = 3; e < LS_BER_MAX_EYES; e++)
        cr_expect(eq(u64, c.eye_errors[e], 0));
    /* runs: symbols 1, 3-5, 8 */
    cr_expect(eq(u64, c.bursts, 3));
    cr_expect(eq(u64, c.burst_hist[0], 2));
    cr_expect(eq(u64, c.burst_hist[2], 1));
    cr_expect(eq(u64, c.max_burst, 3));
    cr_expect(eq(u64, c.codewords, 0));
    ls_ber_destroy(q);
}

Test(ber, gray_neighbours_give_one_bit_error)
{
    ls_ber *q = make_ber(2u);
    for (unsigned a = 0; a < 3; a++) {
        uint8_t tx[2] = {(uint8_t)a, (uint8_t)(a + 1)}, rx[2] = {(uint8_t)(a + 1), (uint8_t)a};
        update_gray(q, tx, rx, 2);
    }
    ls_ber_counts c;
    ls_ber_get_counts(q, &c);
    cr_expect(eq(u64, c.symbol_errors, 6));
    cr_expect(eq(u64, c.bit_errors, 6));
    for (size_t e = 0; e < 3; e++)
        cr_expect(eq(u64, c.eye_errors[e], 2), "eye %zu", e);
    cr_expect(eq(u64, c.bursts, 1)); /* all six symbols in error */
    cr_expect(eq(u64, c.max_burst, 6));
    ls_ber_destroy(q);
}

Test(ber, bit_errors_without_symbol_errors)
{
    /* Equal levels, different bits (e.g. a precoder slip): a bit error but no symbol error. */
    ls_ber *q = make_ber(2u);
    uint8_t lv[3] = {1, 1, 1}, tb[3] = {1, 1, 1}, rb[3] = {1, 2, 1};
    cr_assert(eq(int, ls_ber_update(q, lv, lv, tb, rb, 3), LS_OK));
    ls_ber_counts c;
    ls_ber_get_counts(q, &c);
    cr_expect(eq(u64, c.symbol_errors, 0));
    cr_expect(eq(u64, c.bit_errors, 2));
    cr_expect(eq(u64, c.bursts, 0));
    ls_ber_destroy(q);
}

Test(ber, pam8_eyes_and_nrz)
{
    ls_ber *q = make_ber(3u);
    uint8_t tx[3] = {0, 7, 3}, rx[3] = {7, 6, 3}, tb[3], rb[3];
    for (size_t i = 0; i < 3; i++) {
        tb[i] = (uint8_t)(tx[i] ^ (tx[i] >> 1));
        rb[i] = (uint8_t)(rx[i] ^ (rx[i] >> 1));
    }
    cr_assert(eq(int, ls_ber_update(q, tx, rx, tb, rb, 3), LS_OK));
    ls_ber_counts c;
    ls_ber_get_counts(q, &c);
    cr_expect(eq(u64, c.eye_errors[0], 1));
    for (size_t e = 1; e < 6; e++)
        cr_expect(eq(u64, c.eye_errors[e], 1), "eye %zu", e);
    cr_expect(eq(u64, c.eye_errors[6], 2));
    cr_expect(eq(u64, c.bit_errors, 2)); /* Gray 000 -> 100, 100 -> 101 */
    cr_expect(eq(u64, c.bits, 9));
    ls_ber_destroy(q);

    q = make_ber(1u);
    uint8_t a[4] = {0, 1, 1, 0}, b[4] = {1, 1, 0, 0};
    cr_assert(eq(int, ls_ber_update(q, a, b, a, b, 4), LS_OK));
    ls_ber_get_counts(q, &c);
    cr_expect(eq(u64, c.symbol_errors, 2));
    cr_expect(eq(u64, c.bit_errors, 2));
    cr_expect(eq(u64, c.eye_errors[0], 2));
    cr_expect(eq(u64, c.bursts, 2));
    ls_ber_destroy(q);
}

Test(ber, burst_lengths)
{
    ls_ber *q = make_ber(2u);
    update_pattern(q, "110100111");
    ls_ber_counts c, c2;
    ls_ber_get_counts(q, &c);
    cr_expect(eq(u64, c.bursts, 3));
    cr_expect(eq(u64, c.burst_hist[0], 1));
    cr_expect(eq(u64, c.burst_hist[1], 1));
    cr_expect(eq(u64, c.burst_hist[2], 1));
    cr_expect(eq(u64, c.max_burst, 3));
    /* get_counts does not close the open burst in the object. */
    ls_ber_get_counts(q, &c2);
    cr_expect(eq(int, memcmp(&c, &c2, sizeof c), 0));
    update_pattern(q, "10");
    ls_ber_get_counts(q, &c);
    cr_expect(eq(u64, c.bursts, 3));
    cr_expect(eq(u64, c.burst_hist[2], 0));
    cr_expect(eq(u64, c.burst_hist[3], 1));
    cr_expect(eq(u64, c.max_burst, 4));
    ls_ber_destroy(q);
}

Test(ber, burst_open_across_calls)
{
    ls_ber *q = make_ber(2u);
    update_pattern(q, "011");
    update_pattern(q, "1");
    update_pattern(q, "");
    update_pattern(q, "10");
    ls_ber_counts c;
    ls_ber_get_counts(q, &c);
    cr_expect(eq(u64, c.bursts, 1));
    cr_expect(eq(u64, c.burst_hist[3], 1));
    cr_expect(eq(u64, c.max_burst, 4));
    ls_ber_destroy(q);
}

Test(ber, long_bursts_land_in_last_bin)
{
    static const size_t len[] = {63, 64, 100};
    char pat[64];
    for (size_t k = 0; k < 3; k++) {
        ls_ber *q = make_ber(2u);
        size_t left = len[k];
        while (left) { /* in pieces of up to 40 symbols */
            size_t m = left < 40 ? left : 40;
            memset(pat, '1', m);
            pat[m] = '\0';
            update_pattern(q, pat);
            left -= m;
        }
        update_pattern(q, "0");
        ls_ber_counts c;
        ls_ber_get_counts(q, &c);
        cr_expect(eq(u64, c.bursts, 1));
        cr_expect(eq(u64, c.max_burst, len[k]));
        cr_expect(eq(u64, c.burst_hist[len[k] < 64 ? len[k] - 1 : 63], 1), "length %zu", len[k]);
        ls_ber_destroy(q);
    }
}

#define N 60000

static uint8_t s_tl[N], s_rl[N], s_tb[N], s_rb[N];

Test(ber, chunked_equals_one_shot)
{
    static const size_t chunk[] = {1, 7, 300, 64, 2720, 5441, 2};
    uint64_t seed = ls_test_seed(777u);
    for (unsigned bps = 1; bps <= 3; bps++) {
        make_stream(s_tl, s_rl, s_tb, s_rb, N, bps, seed + bps);
        ls_ber *a = make_ber(bps), *b = make_ber(bps);
        ls_assert_seeded(eq(int, ls_ber_update(a, s_tl, s_rl, s_tb, s_rb, N), LS_OK), seed, "bps %u", bps);
        for (size_t i = 0, j = 0; i < N; j++) {
            size_t m = chunk[j % 7] < N - i ? chunk[j % 7] : N - i;
            ls_assert_seeded(eq(int, ls_ber_update(b, s_tl + i, s_rl + i, s_tb + i, s_rb + i, m), LS_OK), seed,
                             "bps %u, chunk at %zu", bps, i);
            i += m;
        }
        ls_ber_counts ca, cb;
        ls_ber_get_counts(a, &ca);
        ls_ber_get_counts(b, &cb);
        ls_expect_seeded(ca.symbol_errors > 1000 && ca.bursts > 500 && ca.max_burst > 5, seed,
                         "bps %u: stream too clean: %llu errors", bps, (unsigned long long)ca.symbol_errors);
        ls_expect_seeded(ca.codewords == (uint64_t)N * bps / 5440u && ca.codewords_failed > 0, seed, "bps %u", bps);
        ls_expect_seeded(eq(int, memcmp(&ca, &cb, sizeof ca), 0), seed, "bps %u", bps);
        ls_ber_destroy(a);
        ls_ber_destroy(b);
    }
}

/* The counts written out from their definitions, symbol by symbol and bit by bit (independent of the
 * counter's word-at-a-time loop): bursts as maximal runs of errors found by scanning the whole
 * stream, RS symbols as 10-bit slices of the serial bit stream by absolute bit position. */
static void reference_counts(const uint8_t *tl, const uint8_t *rl, const uint8_t *tb, const uint8_t *rb, size_t n,
                             unsigned bps, ls_ber_counts *c)
{
    memset(c, 0, sizeof *c);
    c->symbols = n;
    c->bits = (uint64_t)n * bps;
    for (size_t i = 0; i < n; i++) {
        if (tl[i] != rl[i]) {
            c->symbol_errors++;
            for (unsigned e = 0; e + 1 < (1u << bps); e++)
                c->eye_errors[e] += (e >= tl[i] && e < rl[i]) || (e >= rl[i] && e < tl[i]);
            if (i == 0 || tl[i - 1] == rl[i - 1]) { /* a burst starts: its length */
                size_t len = 0;
                while (i + len < n && tl[i + len] != rl[i + len])
                    len++;
                c->bursts++;
                c->burst_hist[len < LS_BER_BURST_BINS ? len - 1 : LS_BER_BURST_BINS - 1]++;
                if (len > c->max_burst)
                    c->max_burst = len;
            }
        }
        for (unsigned k = 0; k < bps; k++)
            c->bit_errors += ((tb[i] ^ rb[i]) >> k) & 1u;
    }
    const uint64_t ncw = c->bits / LS_RS_KP4_BITS;
    for (uint64_t w = 0; w < ncw; w++) {
        uint64_t errs = 0;
        for (unsigned r = 0; r < LS_RS_KP4_BITS / 10u; r++) {
            unsigned bad = 0;
            for (unsigned j = 0; j < 10u; j++) {
                const uint64_t bit = w * LS_RS_KP4_BITS + r * 10u + j; /* serial: MSB of each symbol first */
                const size_t i = (size_t)(bit / bps);
                const unsigned k = bps - 1u - (unsigned)(bit % bps);
                bad |= ((tb[i] ^ rb[i]) >> k) & 1u;
            }
            errs += bad;
        }
        c->codewords++;
        c->fec_symbol_errors += errs;
        if (errs > c->max_fec_symbol_errors)
            c->max_fec_symbol_errors = errs;
        c->fec_hist[errs > LS_RS_KP4_T ? LS_RS_KP4_T + 1 : errs]++;
        c->codewords_failed += errs > LS_RS_KP4_T;
    }
}

/* Error densities from none to every symbol (independent errors of rate p, and the clustered stream),
   in chunks of every length mod 8: the counter's counts equal the reference's field by field. */
Test(ber, counts_equal_the_definitions)
{
    static const double dens[] = { 0.0, 1e-3, 0.02, 0.13, 0.5, 1.0 };
    static const size_t chunk[] = { 8, 1, 4096, 13, 64, 9, 3000, 7, 16, 5 };
    uint64_t seed = ls_test_seed(4242u);
    for (unsigned bps = 1; bps <= 3; bps++)
        for (unsigned di = 0; di <= sizeof dens / sizeof dens[0]; di++) {
            const unsigned L = 1u << bps;
            uint64_t x = seed + 31u * bps + di;
            if (di == sizeof dens / sizeof dens[0]) {
                make_stream(s_tl, s_rl, s_tb, s_rb, N, bps, x);
            } else {
                for (size_t i = 0; i < N; i++) {
                    const uint64_t r = splitmix(&x);
                    const unsigned a = (unsigned)(r % L);
                    unsigned b = a;
                    if ((double)(r >> 11) * 0x1p-53 < dens[di])
                        b = (a + 1u + (unsigned)((r >> 3) % (L - 1u))) % L;
                    s_tl[i] = (uint8_t)a;
                    s_rl[i] = (uint8_t)b;
                    s_tb[i] = (uint8_t)(a ^ (a >> 1));
                    s_rb[i] = (uint8_t)(b ^ (b >> 1));
                }
            }
            ls_ber *q = make_ber(bps);
            for (size_t i = 0, j = 0; i < N; j++) {
                const size_t m = chunk[j % 10] < N - i ? chunk[j % 10] : N - i;
                ls_assert_seeded(eq(int, ls_ber_update(q, s_tl + i, s_rl + i, s_tb + i, s_rb + i, m), LS_OK), seed,
                                 "bps %u, density %u, chunk at %zu", bps, di, i);
                i += m;
            }
            ls_ber_counts got, want;
            ls_ber_get_counts(q, &got);
            reference_counts(s_tl, s_rl, s_tb, s_rb, N, bps, &want);
            ls_expect_seeded(eq(int, memcmp(&got, &want, sizeof got), 0), seed,
                             "bps %u, density %u: symbol errors %llu / %llu, bursts %llu / %llu, bits %llu / %llu, "
                             "RS %llu / %llu",
                             bps, di, (unsigned long long)got.symbol_errors, (unsigned long long)want.symbol_errors,
                             (unsigned long long)got.bursts, (unsigned long long)want.bursts,
                             (unsigned long long)got.bit_errors, (unsigned long long)want.bit_errors,
                             (unsigned long long)got.fec_symbol_errors, (unsigned long long)want.fec_symbol_errors);
            if (di == 5) /* every symbol in error: one burst over the stream */
                ls_expect_seeded(want.bursts == 1 && want.max_burst == N, seed, "bps %u: %llu bursts", bps,
                                 (unsigned long long)want.bursts);
            else if (di >= 2)
                ls_expect_seeded(want.bursts > 100 && want.codewords_failed > 0, seed, "bps %u, density %u: too clean",
                                 bps, di);
            ls_ber_destroy(q);
        }
}

Test(ber, reset_equals_fresh)
{
    uint64_t seed = ls_test_seed(4242u);
    make_stream(s_tl, s_rl, s_tb, s_rb, N, 2u, seed);
    ls_ber *a = make_ber(2u), *b = make_ber(2u);
    /* Leave b mid-codeword and, with s_rl shifted, most likely mid-burst. */
    ls_assert_seeded(eq(int, ls_ber_update(b, s_tl, s_rl + 1, s_tb, s_rb + 1, 1001), LS_OK), seed, "first part");
    cr_assert(eq(int, ls_ber_reset(b), LS_OK));
    ls_assert_seeded(eq(int, ls_ber_update(a, s_tl, s_rl, s_tb, s_rb, N), LS_OK), seed, "fresh");
    ls_assert_seeded(eq(int, ls_ber_update(b, s_tl, s_rl, s_tb, s_rb, N), LS_OK), seed, "after reset");
    ls_ber_counts ca, cb;
    ls_ber_get_counts(a, &ca);
    ls_ber_get_counts(b, &cb);
    ls_expect_seeded(eq(int, memcmp(&ca, &cb, sizeof ca), 0), seed, "counts after reset differ from fresh");
    ls_ber_destroy(a);
    ls_ber_destroy(b);
}

Test(ber, counts_add_merges_frames)
{
    /* Two frames of whole codewords; at the frame boundary no error on either side, so the
     * merged counts equal one object fed both frames. */
    enum { F = 5 * 2720 };
    uint64_t seed = ls_test_seed(99u);
    make_stream(s_tl, s_rl, s_tb, s_rb, 2 * F, 2u, seed);
    for (size_t i = F - 1; i <= F; i++) {
        s_rl[i] = s_tl[i];
        s_rb[i] = s_tb[i];
    }
    ls_ber *all = make_ber(2u), *f0 = make_ber(2u), *f1 = make_ber(2u);
    ls_assert_seeded(eq(int, ls_ber_update(all, s_tl, s_rl, s_tb, s_rb, 2 * F), LS_OK), seed, "both frames");
    ls_assert_seeded(eq(int, ls_ber_update(f0, s_tl, s_rl, s_tb, s_rb, F), LS_OK), seed, "frame 0");
    ls_assert_seeded(eq(int, ls_ber_update(f1, s_tl + F, s_rl + F, s_tb + F, s_rb + F, F), LS_OK), seed, "frame 1");
    ls_ber_counts ca, acc, c;
    ls_ber_get_counts(all, &ca);
    memset(&acc, 0, sizeof acc);
    ls_ber_get_counts(f0, &c);
    ls_ber_counts_add(&acc, &c);
    ls_ber_get_counts(f1, &c);
    ls_ber_counts_add(&acc, &c);
    ls_expect_seeded(eq(int, memcmp(&ca, &acc, sizeof ca), 0), seed, "merged counts differ from one object's");
    ls_expect_seeded(eq(u64, acc.codewords, 10), seed, "codewords");
    ls_ber_destroy(all);
    ls_ber_destroy(f0);
    ls_ber_destroy(f1);

    /* Sums and maxima, field by field. */
    ls_ber_counts x, y;
    memset(&x, 0, sizeof x);
    memset(&y, 0, sizeof y);
    x.symbols = 10;
    y.symbols = 5;
    x.max_burst = 3;
    y.max_burst = 7;
    x.max_fec_symbol_errors = 20;
    y.max_fec_symbol_errors = 4;
    x.eye_errors[6] = 1;
    y.eye_errors[6] = 2;
    x.burst_hist[63] = 1;
    y.burst_hist[63] = 1;
    x.fec_hist[16] = 2;
    y.fec_hist[16] = 3;
    ls_ber_counts_add(&x, &y);
    cr_expect(eq(u64, x.symbols, 15));
    cr_expect(eq(u64, x.max_burst, 7));
    cr_expect(eq(u64, x.max_fec_symbol_errors, 20));
    cr_expect(eq(u64, x.eye_errors[6], 3));
    cr_expect(eq(u64, x.burst_hist[63], 2));
    cr_expect(eq(u64, x.fec_hist[16], 5));
}

Test(ber, results_and_clopper_pearson)
{
    ls_ber_counts c;
    memset(&c, 0, sizeof c);
    c.bits = 2000000;
    c.bit_errors = 400;
    c.symbols = 1000000;
    c.symbol_errors = 390;
    c.codewords = 367;
    c.codewords_failed = 3;
    ls_ber_results r;
    ls_ber_results_from_counts(&c, &r);
    cr_expect(eq(int, memcmp(&r.c, &c, sizeof c), 0));
    cr_expect(ieee_ulp_eq(dbl, r.ber, 2e-4, 4));
    cr_expect(ieee_ulp_eq(dbl, r.ser, 3.9e-4, 4));
    cr_expect(r.ber_ci95_lo < r.ber && r.ber < r.ber_ci95_hi);
    cr_expect(r.ser_ci95_lo < r.ser && r.ser < r.ser_ci95_hi);
    /* 400 events: the 95 % interval is about +-1.96 sqrt(400) = +-10 %. */
    cr_expect(r.ber_ci95_lo > 1.75e-4 && r.ber_ci95_hi < 2.25e-4, "[%g, %g]", r.ber_ci95_lo,
              r.ber_ci95_hi);
    const ls_rs_code kp4 = LS_RS_KP4_INIT;
    cr_expect(eq(dbl, r.post_fec_cer_random, ls_fec_cer_random(&kp4, 2e-4)));
    cr_expect(ieee_ulp_eq(dbl, r.cer_counted, 3.0 / 367.0, 4));

    /* No errors: lower bound 0, upper bound 1 - 0.025^(1/n) (two-sided 95 %). */
    memset(&c, 0, sizeof c);
    c.bits = 1000;
    c.symbols = 500;
    ls_ber_results_from_counts(&c, &r);
    cr_expect(eq(dbl, r.ber, 0.0));
    cr_expect(eq(dbl, r.ber_ci95_lo, 0.0));
    cr_expect(eq(dbl, r.ser_ci95_lo, 0.0));
    cr_expect(r.ber_ci95_hi > 0.0 && r.ser_ci95_hi > r.ber_ci95_hi);
    double hi = 1.0 - pow(0.025, 1.0 / 1000.0);
    cr_expect(fabs(r.ber_ci95_hi - hi) < 1e-6 * hi, "hi %.9g, expected %.9g", r.ber_ci95_hi, hi);
    cr_expect(eq(dbl, r.cer_counted, 0.0));
    cr_expect(eq(dbl, r.post_fec_cer_random, 0.0));

    /* In place: c may be r.c. */
    r.c.bit_errors = 10;
    ls_ber_results_from_counts(&r.c, &r);
    cr_expect(ieee_ulp_eq(dbl, r.ber, 0.01, 4));
}

Test(ber, no_allocation_after_create)
{
    make_stream(s_tl, s_rl, s_tb, s_rb, N, 2u, 5u);
    ls_ber *q = make_ber(2u);
    uint64_t before = lsi_alloc_count();
    cr_assert(eq(int, ls_ber_update(q, s_tl, s_rl, s_tb, s_rb, N), LS_OK));
    ls_ber_counts c;
    ls_ber_get_counts(q, &c);
    ls_ber_results r;
    ls_ber_results_from_counts(&c, &r);
    cr_assert(eq(int, ls_ber_reset(q), LS_OK));
    cr_expect(eq(u64, lsi_alloc_count(), before));
    ls_ber_destroy(q);
}

/*
 * Tests for lanesim/rng.h: the bulk normal fills (ls_rng_gauss_fill, ls_rng_gauss_add and the
 * internal lsi_rng_gauss_fill_d) against n single draws of ls_rng_gauss, over many seeds and
 * many call lengths, bit for bit, with the generator's state compared after every call.
 *
 * A fill may work on blocks of outputs drawn ahead (a vector kernel, rng.c): the lengths below
 * cross every block size up to 128 and run to thousands, and the test checks that the comparison
 * covered slow-path draws at every offset mod 64 from the start of a call and slow paths whose
 * extra words run past a 64-word boundary (the cases a block kernel gets wrong first).
 * Seeds as in test_rng.c (LS_TEST_SEED overrides the base seed).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "rng_util.h"

typedef enum { FILL_F, ADD_F, FILL_D } fill_kind;

enum { MAXN = 6000 };

/* How many 64-bit outputs took r from a to b (1..cap; cap + 1 if more). */
static unsigned words_between(ls_rng a, const ls_rng *b, unsigned cap)
{
    for (unsigned k = 1; k <= cap; k++) {
        (void)ls_rng_u64(&a);
        if (!memcmp(a.s, b->s, sizeof a.s))
            return k;
    }
    return cap + 1;
}

/* Call lengths: all of 0..130 in turn, then pseudo-random ones up to MAXN. */
static size_t call_length(ls_rng *len_rng, size_t call)
{
    if (call <= 130)
        return call;
    const uint32_t c = ls_rng_below(len_rng, 4);
    return c == 0 ? 1 + ls_rng_below(len_rng, 64) : c == 1 ? 60 + ls_rng_below(len_rng, 140)
                                                           : 1 + ls_rng_below(len_rng, MAXN);
}

Test(rng, fills_equal_single_draws_over_seeds_and_lengths, .timeout = LS_TIMEOUT(120))
{
    static float yf[MAXN], y0[MAXN];
    static double yd[MAXN];
    const uint64_t base = ls_test_seed(DEFAULT_SEED);
    uint64_t slow_at = 0; /* bit j: a slow path began at offset j mod 64 of a call */
    size_t slow = 0, straddle = 0, total = 0;
    for (uint64_t si = 0; si < 24; si++) {
        const uint64_t seed = base + 7919u * si;
        const fill_kind kind = (fill_kind)(si % 3);
        const float sigma = si % 4 == 3 ? -0.61f : 0.37f + 0.01f * (float)si;
        ls_rng a, b, len_rng;
        ls_rng_seed(&a, seed, 11, si);
        ls_rng_seed(&len_rng, seed, 12, si);
        b = a;
        for (size_t call = 0; total < (si + 1) * 250000u; call++) {
            const size_t n = call_length(&len_rng, call);
            fill_uniform(y0, n ? n : 1, seed + call);
            if (kind == FILL_F)
                ls_rng_gauss_fill(&a, n ? yf : NULL, n, sigma);
            else if (kind == ADD_F) {
                memcpy(yf, y0, n * sizeof *yf);
                ls_rng_gauss_add(&a, n ? yf : NULL, n, sigma);
            } else
                lsi_rng_gauss_fill_d(&a, n ? yd : NULL, n);
            size_t word = 0; /* outputs consumed since the start of the call */
            for (size_t i = 0; i < n; i++) {
                const ls_rng before = b;
                const double g = ls_rng_gauss(&b);
                const unsigned used = words_between(before, &b, 64);
                if (used > 1) {
                    slow++;
                    slow_at |= UINT64_C(1) << (word % 64);
                    straddle += word / 64 != (word + used - 1) / 64;
                }
                word += used;
                if (kind == FILL_D) {
                    ls_assert_seeded(eq(dbl, yd[i], g), seed, "fill_d call %zu (n %zu) deviate %zu", call,
                                     n, i);
                } else {
                    const float want = kind == FILL_F ? (float)((double)sigma * g)
                                                      : (float)((double)y0[i] + (double)sigma * g);
                    uint32_t gb, wb;
                    memcpy(&gb, &yf[i], sizeof gb);
                    memcpy(&wb, &want, sizeof wb);
                    ls_assert_seeded(eq(u32, gb, wb), seed, "%s call %zu (n %zu) deviate %zu: %.9g want %.9g",
                                     kind == FILL_F ? "fill" : "add", call, n, i, yf[i], want);
                }
            }
            ls_assert_seeded(eq(int, memcmp(a.s, b.s, sizeof a.s), 0), seed, "call %zu (n %zu): end state",
                             call, n);
            total += n;
        }
    }
    printf("rng: %zu deviates in fills, %zu slow paths, %zu across a 64-word boundary\n", total, slow,
           straddle);
    /* the comparison covered what a block kernel could get wrong */
    cr_assert(gt(sz, total, (size_t)5000000));
    cr_assert(eq(u64, slow_at, ~UINT64_C(0)), "slow paths at offsets mod 64: %016llx",
              (unsigned long long)slow_at);
    cr_assert(gt(sz, straddle, (size_t)100), "only %zu slow paths across a block boundary", straddle);
}

/* lsi_rng_draw_pairs (the transmitter's jitter draws): a normal deviate then a word per round, each
   present or not, equal to single draws in that order bit for bit, with the same end state. */
Test(rng, draw_pairs_equal_single_draws)
{
    static double g[700];
    static uint64_t u[700];
    size_t slow = 0;
    for (unsigned seed = 1; seed <= 40; seed++)
        for (int mode = 0; mode < 3; mode++) { /* both, normals only, words only */
            ls_rng a, b;
            ls_rng_seed(&a, seed, 3, 0);
            b = a;
            const size_t n = 1 + (size_t)seed * 17 % 700;
            double *gp = mode != 2 ? g : NULL;
            uint64_t *up = mode != 1 ? u : NULL;
            lsi_rng_draw_pairs(&a, gp, up, n);
            for (size_t i = 0; i < n; i++) {
                if (gp) {
                    ls_rng c = b;
                    const double x = ls_rng_gauss(&b);
                    (void)ls_rng_u64(&c);
                    slow += memcmp(b.s, c.s, sizeof b.s) != 0; /* more than one word: the slow path */
                    cr_assert(eq(dbl, g[i], x), "seed %u mode %d round %zu: normal", seed, mode, i);
                }
                if (up)
                    cr_assert(eq(u64, u[i], ls_rng_u64(&b)), "seed %u mode %d round %zu: word", seed, mode, i);
            }
            cr_assert(eq(int, memcmp(a.s, b.s, sizeof a.s), 0), "seed %u mode %d: end state", seed, mode);
        }
    cr_assert(gt(sz, slow, (size_t)10), "the slow path was compared (%zu)", slow);
}

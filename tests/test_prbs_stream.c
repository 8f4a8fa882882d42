/* PRBS generator tests: advance, streaming (words and bits, chunking, inversion), reset, seeds,
 * config rejection, no allocation. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "prbs_util.h"

static uint64_t ref_state(const ref_lfsr *r)
{
    uint64_t s = 0;
    for (unsigned i = 0; i < r->n; i++)
        s |= (uint64_t)r->cell[i] << i;
    return s;
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

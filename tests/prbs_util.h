/* Helpers shared by the PRBS generator tests (tests/test_prbs*.c). */
#ifndef LS_TEST_PRBS_UTIL_H
#define LS_TEST_PRBS_UTIL_H

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

static inline void ref_init(ref_lfsr *r, const ref_poly *p, uint64_t state)
{
    r->n = p->n;
    r->p = p;
    for (unsigned i = 0; i < p->n; i++)
        r->cell[i] = (uint8_t)(state >> i & 1u);
}

static inline uint8_t ref_step(ref_lfsr *r)
{
    uint8_t y = 0;
    for (unsigned i = 0; i < r->p->n_taps; i++)
        y ^= r->cell[r->p->taps[i] - 1];
    memmove(r->cell + 1, r->cell, r->n - 1);
    r->cell[0] = y;
    return y;
}

static inline ls_prbs *make(ls_prbs_type t, uint64_t seed, int invert)
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
static inline uint8_t *bits_via_words(ls_prbs *q, size_t n)
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

#endif

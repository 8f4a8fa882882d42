/*
 * Internals shared across lanesim source files (never installed).
 *
 * Memory: every block-owned buffer comes from ls_alloc (64-byte aligned, zeroed) and goes back
 * through ls_free. lsi_alloc_count() counts ls_alloc calls process-wide so tests can assert that
 * `process` never allocates.
 */
#ifndef LS_INTERNAL_H
#define LS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/rng.h"
#include "lanesim/status.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/** 64-byte aligned, zero-filled allocation; NULL on failure or size 0. Free with ls_free. */
void *ls_alloc(size_t size);
/** Aligned allocation for n elements of size sz, with overflow check. */
void *ls_alloc_n(size_t n, size_t sz);
/** Frees memory from ls_alloc; NULL-safe. */
void ls_free(void *p);
/** Number of successful ls_alloc calls since program start (all threads). */
uint64_t lsi_alloc_count(void);

/** Formats a one-line error message into msg[cap] (no-op when msg is NULL or cap is 0). */
void lsi_say(char *msg, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/** y[i] = N(0, 1), i in [0, n): the same values, in double, as n calls of ls_rng_gauss (rng.c). */
void lsi_rng_gauss_fill_d(ls_rng *r, double *y, size_t n);
/* n draws of the pair (a normal deviate into g[i] when g, then a 64-bit word into u[i] when u) in that
   order: the values of n rounds of ls_rng_gauss then ls_rng_u64, faster (the state stays in registers) */
void lsi_rng_draw_pairs(ls_rng *r, double *g, uint64_t *u, size_t n);

/** Smallest power of two >= n. */
static inline size_t lsi_pow2_at_least(size_t n)
{
    size_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

#define LS_MIN(a, b) ((a) < (b) ? (a) : (b))
#define LS_MAX(a, b) ((a) > (b) ? (a) : (b))

#endif

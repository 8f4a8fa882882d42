/*
 * Internals shared across lanesim source files (never installed).
 *
 * Memory: every block-owned buffer comes from ls_alloc (64-byte aligned, zeroed) and goes back
 * through ls_free. lsi_alloc_count() counts ls_alloc calls process-wide so tests can assert that
 * `process` never allocates.
 */
#ifndef LS_INTERNAL_H
#define LS_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "lanesim/block.h"
#include "lanesim/rng.h"
#include "lanesim/status.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/** 64-byte aligned, zero-filled allocation; NULL on failure or size 0. Free with ls_free. */
void *ls_alloc(size_t size);
/** Aligned allocation for n elements of size sz, with overflow check. */
void *ls_alloc_n(size_t n, size_t sz);
/** Frees memory from ls_alloc; NULL-safe. Also the destroy of the blocks whose state is one ls_alloc'd object. */
void ls_free(void *p);
/** *out = {ops, a copy of the size bytes at cfg (ls_alloc)}: a block whose state is its configuration (its ops' destroy
    is ls_free); LS_ENOMEM leaves *out cleared. */
ls_status lsi_block_copy_of(const ls_block_ops *ops, const void *cfg, size_t size, ls_block *out);
/** Number of successful ls_alloc calls since program start (all threads). */
uint64_t lsi_alloc_count(void);

/** Formats a one-line error message into msg[cap] (no-op when msg is NULL or cap is 0). */
void lsi_say(char *msg, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/** y[i] = N(0, 1), i in [0, n): the same values, in double, as n calls of ls_rng_gauss (rng.c). */
void lsi_rng_gauss_fill_d(ls_rng *r, double *y, size_t n);
/** y[i] += sqrt(d) sigma N(0, 1) at i = first, first + d, ... < n (first < d), nothing elsewhere; d = 1: exactly
    ls_rng_gauss_add(r, y, n, (float)sigma). Draws (n - first + d - 1) / d deviates in order (rng.c). */
void lsi_rng_gauss_add_strided(ls_rng *r, float *y, size_t n, unsigned d, size_t first, double sigma);
/* n draws of the pair (a normal deviate into g[i] when g, then a 64-bit word into u[i] when u) in that
   order: the values of n rounds of ls_rng_gauss then ls_rng_u64, faster (the state stays in registers) */
void lsi_rng_draw_pairs(ls_rng *r, double *g, uint64_t *u, size_t n);

/* floor(t) of a receiver read, predicted: the previous read of the same slot parity plus one UI of step
   samples (the CDR moves by far less than a sample per UI; a bang-bang detector's edge reads are the other
   parity). When t lies in [prediction, prediction + 1) the prediction is returned without waiting for t
   (a predicted branch: the callers' table and ring addresses leave the receiver's serial chain), else
   floor(t) (by truncation where that is exact, 0 <= t < 2^52). *fl: the same value as a double. */
typedef struct {
    int64_t i[2];
    double fl[2];
} lsi_read_pred;

static inline int64_t lsi_read_floor(lsi_read_pred *p, double t, int64_t slot, unsigned step, double *fl)
{
    const unsigned par = (unsigned)slot & 1u;
    int64_t i = p->i[par];
    double f = p->fl[par];
    if (!(t >= f && t < f + 1.0)) {
        if (t >= 0 && t < 0x1p52) {
            i = (int64_t)t;
            f = (double)i;
        } else {
            f = floor(t);
            i = (int64_t)f;
        }
    }
    p->i[par] = i + (int64_t)step;
    p->fl[par] = f + (double)step;
    *fl = f;
    return i;
}

static inline void lsi_read_pred_reset(lsi_read_pred *p)
{
    p->i[0] = p->i[1] = 0;
    p->fl[0] = p->fl[1] = 0.0;
}

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

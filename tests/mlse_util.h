/* Helpers shared by the MLSE tests (tests/test_mlse*.c). */
#ifndef LS_TEST_MLSE_UTIL_H
#define LS_TEST_MLSE_UTIL_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim/eqsolve.h"
#include "lanesim/link.h"
#include "lanesim/mlse.h"
#include "lanesim/pam.h"
#include "lanesim/rng.h"
#include "lanesim/run.h"
#include "lanesim/rx.h"
#include "ls_internal.h"
#include "util.h"

/* y_k = g0 (v[a_k] + alpha v[a_{k-1}]) + sigma n_k, a_{-1} absent (0 V); v the nominal PAM-M levels. */
static inline void pr_channel(unsigned m, double g0, double alpha, double sigma, uint64_t seed,
                              size_t n, uint8_t *a, float *y)
{
    ls_rng r;
    ls_rng_seed(&r, seed, 7, 0);
    double v[8];
    ls_pam_levels(m, 1.0, v);
    for (size_t k = 0; k < n; k++)
        a[k] = (uint8_t)ls_rng_below(&r, m);
    for (size_t k = 0; k < n; k++)
        y[k] = (float)(g0 * (v[a[k]] + (k ? alpha * v[a[k - 1]] : 0.0)) + sigma * ls_rng_gauss(&r));
}

static inline ls_mlse *make(unsigned m, double g0, double alpha, unsigned depth, size_t max_block)
{
    ls_mlse_config c;
    ls_mlse_config_init(&c);
    c.levels = m;
    c.alpha = alpha;
    c.depth = depth;
    c.max_block = max_block;
    ls_pam_levels(m, 1.0, c.ref);
    for (unsigned i = 0; i < m; i++)
        c.ref[i] *= g0;
    ls_status st;
    ls_mlse *q = ls_mlse_create(&c, &st);
    cr_assert(q != NULL, "mlse create: %s", ls_strerror(st));
    return q;
}

#endif

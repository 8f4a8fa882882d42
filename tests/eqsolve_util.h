/* Helpers shared by the equalizer solver tests (tests/test_eqsolve*.c). */
#ifndef LS_TEST_EQSOLVE_UTIL_H
#define LS_TEST_EQSOLVE_UTIL_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lanesim/eqsolve.h"
#include "ls_internal.h"
#include "util.h"

/* Equalized pulse g[q] = sum_i w[i] h[q - i], summed in tap order (as the DFE taps are). */
static inline double g_at(const double *h, size_t n, const double *w, unsigned nt, size_t q)
{
    double s = 0.0;
    for (unsigned i = 0; i < nt; i++)
        s += w[i] * ((q >= i && q - i < n) ? h[q - i] : 0.0);
    return s;
}

static const double pulse6[6] = {0.06, 0.22, 1.0, 0.47, 0.18, -0.07};

#endif

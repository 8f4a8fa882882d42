/* Helpers shared by the lanesim/rng.h tests (tests/test_rng*.c). */
#ifndef LS_TEST_RNG_UTIL_H
#define LS_TEST_RNG_UTIL_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanesim/rng.h"
#include "ls_internal.h"
#include "util.h"

#define DEFAULT_SEED 20240611u

/* Chi-square critical value for df degrees of freedom at upper probability ~1e-6
 * (Wilson-Hilferty, z = 4.753). */
static inline double chi2_crit(double df)
{
    const double z = 4.753, h = 2.0 / (9.0 * df);
    const double c = 1.0 - h + z * sqrt(h);
    return df * c * c * c;
}

#endif

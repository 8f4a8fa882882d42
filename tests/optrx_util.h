/* Helpers shared by the photodiode and TIA tests (tests/test_optrx*.c). */
#ifndef LS_TEST_OPTRX_UTIL_H
#define LS_TEST_OPTRX_UTIL_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim/optrx.h"
#include "lanesim/rng.h"
#include "lanesim/stats.h"
#include "ls_internal.h"
#include "util.h"

static inline ls_block pd_block(const ls_photodiode_config *c)
{
    ls_block b;
    ls_status st = ls_photodiode_into_block(c, &b);
    cr_assert(eq(int, st, LS_OK), "%s", ls_strerror(st));
    return b;
}

static inline ls_block tia_block(const ls_tia_config *c)
{
    ls_block b;
    ls_status st = ls_tia_into_block(c, &b);
    cr_assert(eq(int, st, LS_OK), "%s", ls_strerror(st));
    return b;
}

#endif

/* Helpers shared by the crosstalk tests (tests/test_xtalk*.c). */
#ifndef LS_TEST_XTALK_UTIL_H
#define LS_TEST_XTALK_UTIL_H

#include <complex.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lanesim/filter.h"
#include "lanesim/link.h"
#include "lanesim/run.h"
#include "lanesim/stats.h"
#include "lanesim/xtalk.h"
#include "ls_internal.h"
#include "util.h"

/* A flat coupling |H| = a (custom LTI block, not owned). */
static inline ls_status flat_response(const void *self, const double *f, double complex *h,
                                      size_t n)
{
    (void)f;
    for (size_t i = 0; i < n; i++)
        h[i] = *(const double *)self;
    return LS_OK;
}

static const ls_block_ops flat_ops = {.name = "flat",
                                      .kind = LS_KIND_LTI,
                                      .in = LS_T_F32,
                                      .out = LS_T_F32,
                                      .response = flat_response};

#endif

/* Helpers shared by the optical transmitter tests (tests/test_optx*.c). */
#ifndef LS_TEST_OPTX_UTIL_H
#define LS_TEST_OPTX_UTIL_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim/filter.h"
#include "lanesim/optx.h"
#include "ls_internal.h"
#include "util.h"

#define FS (32.0 * 113.4375e9) /* 32 samples per UI at the 200G/lane optical rate */

static inline ls_laser_config quiet_laser(void)
{
    ls_laser_config l;
    ls_laser_config_init(&l);
    l.rin_db_hz = -INFINITY;
    l.linewidth_hz = 0.0;
    return l;
}

static inline void run(ls_block *b, const float *x, void *y, size_t n)
{
    cr_assert(eq(int, b->ops->process(b->self, x, y, n), LS_OK));
}

static inline double cpow2(float complex e)
{
    return (double)crealf(e) * crealf(e) + (double)cimagf(e) * cimagf(e);
}

static inline double lockin_amp(const double *s, size_t n, double f, double fs)
{
    double ci = 0, cq = 0, mean = 0;
    for (size_t i = 0; i < n; i++)
        mean += s[i];
    mean /= n;
    for (size_t i = 0; i < n; i++) {
        ci += (s[i] - mean) * cos(2.0 * M_PI * f * i / fs);
        cq += (s[i] - mean) * sin(2.0 * M_PI * f * i / fs);
    }
    return 2.0 * sqrt(ci * ci + cq * cq) / n;
}

#endif

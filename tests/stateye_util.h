/* Helpers shared by the statistical eye tests (tests/test_stateye*.c). */
#ifndef LS_TEST_STATEYE_UTIL_H
#define LS_TEST_STATEYE_UTIL_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "lanesim/pam.h"
#include "lanesim/rng.h"
#include "lanesim/stateye.h"
#include "lanesim/stats.h"

#include "util.h"

#define SPS 32u

#define NUI 64u

#define NP (SPS * NUI)

#define MAIN (10u * SPS)

/* Closed forms with ISI: each cursor's deltas are placed on the bins by linear interpolation,
 * whose extra variance f(1-f) w^2 is compensated on average over the levels only, leaving a
 * relative error of about (z^2/2) (w/sigma)^2 / 8 in a tail (docs/statistical.md). With 16384
 * bins these cases stay below 2e-6. */
#define GRID_TOL 1e-5

static inline double rel_err(double a, double b)
{
    return fabs(a - b) / fabs(b);
}

/* A config around pulse p (NP samples, main cursor at MAIN). */
static inline ls_stateye_config make_cfg(const float *p, unsigned levels, double sigma)
{
    ls_stateye_config c;
    ls_stateye_config_init(&c);
    c.pulse = p;
    c.n_pulse = NP;
    c.sps = SPS;
    c.main_index = MAIN;
    c.levels = levels;
    c.sigma_noise = sigma;
    return c;
}

/* Pulse with a main cursor h0 and an optional symbol-spaced post-cursor a (other samples 0). */
static inline void impulse_pulse(float *p, float h0, float a)
{
    for (size_t i = 0; i < NP; i++)
        p[i] = 0.0f;
    p[MAIN] = h0;
    p[MAIN + SPS] = a;
}

/* Triangle pulse over +-1 UI: at phase phi, h0 = 1 - |phi| and one cursor |phi|. */
static inline void triangle_pulse(float *p)
{
    for (size_t i = 0; i < NP; i++) {
        const double d = fabs((double)i - MAIN) / SPS;
        p[i] = (float)(d < 1.0 ? 1.0 - d : 0.0);
    }
}

#endif

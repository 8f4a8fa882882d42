/* Helpers shared by the eye histogram tests (tests/test_eye*.c). */
#ifndef LS_TEST_EYE_UTIL_H
#define LS_TEST_EYE_UTIL_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lanesim/eye.h"
#include "ls_internal.h"
#include "util.h"

static inline uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* PAM-M config: levels -(M-1), ..., M-1 (step 2), thresholds at the midpoints. */
static inline ls_eye_config pam_config(unsigned levels, unsigned sps, unsigned n_bins, double v_min,
                                       double v_max)
{
    ls_eye_config cfg;
    ls_eye_config_init(&cfg);
    cfg.sps = sps;
    cfg.n_bins = n_bins;
    cfg.v_min = v_min;
    cfg.v_max = v_max;
    cfg.levels = levels;
    for (unsigned i = 0; i + 1u < levels; i++)
        cfg.thresholds[i] = 2.0 * i - (levels - 2.0);
    return cfg;
}

static inline ls_eye *make_eye(const ls_eye_config *cfg)
{
    ls_status st = LS_EINTERNAL;
    ls_eye *q = ls_eye_create(cfg, &st);
    cr_assert(q != NULL && st == LS_OK, "create: %s", ls_strerror(st));
    return q;
}

enum edge_shape { EDGE_STEP, EDGE_LINEAR, EDGE_RAISED_COSINE };

/*
 * Noiseless PAM-M waveform, n_sym UI at sps samples per UI: random levels -(M-1)..M-1, held
 * flat except for a transition of duration tr_ui centred on each UI boundary (step, linear or
 * raised cosine). Sample j is taken at t = (j + frac)/sps UI, so sample k*sps is symbol k's
 * sampling instant delayed by frac/sps UI. Returns the sample count n_sym * sps.
 */
static inline size_t pam_wave(float *x, size_t n_sym, unsigned sps, unsigned levels,
                              enum edge_shape shape, double tr_ui, double frac, uint64_t seed)
{
    uint64_t s = seed;
    double a = 2.0 * (double)(splitmix(&s) % levels) - (levels - 1.0);
    for (size_t k = 0; k < n_sym; k++) {
        double b = 2.0 * (double)(splitmix(&s) % levels) - (levels - 1.0);
        for (unsigned j = 0; j < sps; j++) {
            double u = (j + frac) / sps; /* time since symbol k's instant, UI */
            double z =
                shape == EDGE_STEP ? (u >= 0.5 ? 1.0 : 0.0) : (u - 0.5 + 0.5 * tr_ui) / tr_ui;
            z = z < 0.0 ? 0.0 : z > 1.0 ? 1.0 : z;
            if (shape == EDGE_RAISED_COSINE)
                z = 0.5 * (1.0 - cos(M_PI * z));
            x[k * sps + j] = (float)(a + (b - a) * z);
        }
        a = b;
    }
    return n_sym * sps;
}

/* The levels 0..M-1 of the symbols pam_wave draws with the same seed. */
static inline void pam_levels(uint8_t *lv, size_t n_sym, unsigned levels, uint64_t seed)
{
    uint64_t s = seed;
    for (size_t k = 0; k < n_sym; k++)
        lv[k] = (uint8_t)(splitmix(&s) % levels);
}

/*
 * A pam_wave stream as labelled rows: symbols 1 .. n_sym-2, each the sps samples at offsets
 * j - sps/2 from its instant, under its level. Returns the symbols added.
 */
static inline size_t add_wave_rows(ls_eye *q, const float *x, size_t n_sym, unsigned sps, unsigned levels,
                                   uint64_t seed)
{
    uint8_t *lv = malloc(n_sym), *rl = malloc(n_sym);
    float *rows = malloc(n_sym * sps * sizeof *rows);
    cr_assert(lv != NULL && rl != NULL && rows != NULL);
    pam_levels(lv, n_sym, levels, seed);
    const unsigned h = sps / 2u;
    for (size_t k = 1; k + 1 < n_sym; k++) {
        for (unsigned j = 0; j < sps; j++)
            rows[(k - 1) * sps + j] = x[k * sps + j - h];
        rl[k - 1] = lv[k];
    }
    cr_assert(eq(int, ls_eye_add_rows(q, rows, rl, n_sym - 2, 1), LS_OK));
    free(lv);
    free(rl);
    free(rows);
    return n_sym - 2;
}

#endif

/*
 * Internal to the S-parameter channel of channels/copper (never installed): the prepared channel
 * (gain and residual phase tables, delay, slopes, span, warnings) shared by sparam.c and
 * sparam_build.c, and the functions sparam_build.c offers to sparam.c.
 *
 * The model, H(f) = SDD21(f) exp(+j 2 pi f tau), is stated in sparam.c; equations and checks in
 * docs/touchstone.md. Call graph (one way): sparam.c (block ops, public API) -> sparam_build.c
 * (preparation from the Touchstone network, evaluation of the tables).
 */
#ifndef LS_SPARAM_INTERNAL_H
#define LS_SPARAM_INTERNAL_H

#include <stddef.h>

#include "lanesim/touchstone.h"

#define SP_MAX_WARN 8
#define SP_FLOOR_DB (-400.0) /* below this the response is 0 */

typedef struct {
    size_t k;
    double *f, *g, *ph; /* [k] Hz, dB, rad */
    double fmax, f0, phi_dc;
    double slope_g, slope_ph; /* dB/Hz (<= 0) and rad/Hz continued above fmax */
    double tau, span, pre;
    double precursor; /* causality metric: energy fraction before the first arrival */
    ls_port_map map;
    size_t n_warn;
    char *warn[SP_MAX_WARN];
} sparam;

/* Gain (dB) and phase (rad) of the prepared channel at a >= 0 (sparam.c's header comment). */
void lsi_sparam_eval(const sparam *q, double a, double *g, double *ph);

/* Fills q (q->map set, the rest zero) from t: tables, delay, slopes, span and pre, warnings. On
 * failure the arrays already allocated stay in q for the caller to free; msg says why. */
ls_status lsi_sparam_build(sparam *q, const ls_touchstone *t, double fs_hint_hz, char *msg,
                           size_t cap);

#endif

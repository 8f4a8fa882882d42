/*
 * Internal: the state shared by phy/tdecq.c (front end: reference receiver, timing, OMA, levels,
 * overshoot, eye) and phy/tdecq_eq.c (noise search, C_eq, reference equalizer). Not installed.
 */
#ifndef LS_TDECQ_INTERNAL_H
#define LS_TDECQ_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/tdecq.h"

#define LSI_TDECQ_MAX_INST (2u * LS_TDECQ_MAX_POINTS)
#define LSI_TDECQ_BINS (18u * 64u) /* over [P_ave - 1.5 OMA, P_ave + 1.5 OMA]: thresholds on bin edges */

typedef struct {
    const ls_tdecq_config *cfg;
    const uint8_t *lev;
    size_t n_sym, k_lo, k_hi;  /* scored symbols [k_lo, k_hi) */
    double p_ave, oma, lv[4];  /* nominal levels P_ave + (OMA/2) v */
    double thr[3], qt;
    unsigned n_inst;           /* window instants: [0, n/2) left, [n/2, n) right */
    double *s;                 /* [n_inst + 1][n_sym]: T-spaced samples, row n_inst = eye centre */
    double *e, *e2;            /* [n_inst][n_sym]: equalized samples, current and candidate */
    double R[LS_TDECQ_MAX_TAPS]; /* normalised noise autocorrelation at T lags */
    double cnt[2][LSI_TDECQ_BINS], sum[2][LSI_TDECQ_BINS]; /* histograms of the two windows */
    unsigned n_eval;
} lsi_tdecq;

/* phy/tdecq_eq.c */
/* Normalised autocorrelation R[0..n) at T-spaced lags of white noise through a BT4 at f3db_hz. */
void lsi_tdecq_noise_acf(double baud, double f3db_hz, double *R, unsigned n);
double lsi_tdecq_ceq(const double *R, const double *w, unsigned n);
/* The reference equalizer that minimizes TDECQ; fills r's taps, dfe, ceq, sigma_g, ser*, tdecq*. */
ls_status lsi_tdecq_equalize(lsi_tdecq *t, ls_tdecq_results *r, char *msg, size_t cap);
/* Equalized sample of row j (a row of t->s) at symbol k with taps w (n_pre pre-cursors) and DFE b. */
double lsi_tdecq_eq_at(const lsi_tdecq *t, const double *row, size_t k, const double *w, unsigned n_taps,
                       unsigned n_pre, double b);

#endif

/*
 * Internal: the symmetric positive-definite solver of phy/eqsolve.c, shared with the
 * partial-response MMSE FFE of phy/mlse.c (never installed).
 */
#ifndef LS_EQSOLVE_INTERNAL_H
#define LS_EQSOLVE_INTERNAL_H

#include "lanesim/eqsolve.h"

/**
 * Solves a x = b for a symmetric positive-definite n x n matrix (n <= LS_EQSOLVE_MAX_TAPS) by
 * Cholesky: a is overwritten by its factor (lower triangle), x holds b on entry and the solution
 * on return. Returns 0, or -1 when a pivot falls below 1e-14 of the mean diagonal (x is then
 * partly overwritten).
 */
int lsi_spd_solve(unsigned n, double a[LS_EQSOLVE_MAX_TAPS][LS_EQSOLVE_MAX_TAPS], double *x);

#endif

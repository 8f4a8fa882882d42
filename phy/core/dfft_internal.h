/**
 * @file dfft_internal.h
 * Double-precision real inverse FFT for the COM engine (never installed). phy/core/dfft.c is the
 * only file that includes FFTW's double-precision API; plans are made under the planner mutex of
 * fft_internal.h (FFTW_ESTIMATE), so the call is thread-safe.
 */
#ifndef LS_DFFT_INTERNAL_H
#define LS_DFFT_INTERNAL_H

#include <complex.h>
#include <stddef.h>

#include "lanesim/status.h"

/**
 * x[m] = (1/n) sum_k X[k] exp(+2 pi i k m / n), m = 0..n-1, for a Hermitian spectrum given by its
 * n/2+1 non-negative bins X (the imaginary parts of X[0] and, for even n, X[n/2] are ignored):
 * MATLAB's real(ifft(.)) of the symmetric extension. n >= 2.
 * @return LS_OK, LS_EINVAL, LS_ENOMEM, LS_EFFT
 */
LS_NODISCARD ls_status lsi_irfft_d(size_t n, const double complex *X, double *x);

#endif

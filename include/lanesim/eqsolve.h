/**
 * @file eqsolve.h
 * Equalizer solvers on a sampled pulse response, shared by the receiver (initial taps) and the
 * statistical analysis: MMSE and zero-forcing FFE taps with a DFE, DFE taps read off a pulse,
 * and an FFE applied to an oversampled pulse. Stateless, thread-safe, never allocate.
 *
 * Conventions (docs/receiver.md, "Equalizer solutions"):
 *  - cursors h[0..N) are the symbol-spaced samples of one pulse response (volts per unit
 *    symbol); h[main] is the main cursor, h[main + j] the j-th post-cursor.
 *  - FFE taps w[0..T), T = n_taps, tap n_pre is the cursor tap: the FFE output is
 *    y_k = sum_i w[i] x_{k + n_pre - i} (n_pre taps look ahead). The equalized pulse is
 *    g[q] = sum_i w[i] h[q - i], q = 0..N+T-2 (full convolution), and its main cursor sits at
 *    q = main + n_pre. Post-cursor j of the equalized pulse is g[main + n_pre + j].
 *  - DFE taps b[0..n_dfe) are in the units of the cursors: b[j-1] cancels post-cursor j, so a
 *    DFE subtracts sum_j b[j-1] a_{k-j}. Divide by the main cursor for COM's normalized b.
 */
#ifndef LS_EQSOLVE_H
#define LS_EQSOLVE_H

#include <stddef.h>

#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest FFE length handled by the solvers, and largest DFE length. */
#define LS_EQSOLVE_MAX_TAPS 64u
#define LS_EQSOLVE_MAX_DFE 64u

/**
 * MMSE FFE with a DFE. Minimizes, over the n_taps FFE taps,
 *     MSE(w) = sum_{q not in D} (g[q] - h[main] delta_{q,d})^2 + w' R w,   d = main + n_pre,
 * the mean squared error E[(y_k - DFE_k - h[main] a_k)^2] for independent symbols of unit
 * variance, where D = {d+1 .. d+n_dfe} are the post-cursors the DFE cancels (left out of the
 * ISI, as in COM Annex 178A) and R[i][j] = sigma2_noise rho[|i-j|] is the covariance of the noise
 * at the FFE input (rho = noise_acf / noise_acf[0], or white). The target is the original main
 * cursor, so the equalized cursor g[d] stays close to h[main] (it shrinks with noise: this is
 * the unconstrained, biased MMSE). COM's 178A solution instead forces g[d] = 1; without DFE
 * clipping it is proportional to this one: taps w / g[d], DFE taps b / g[d].
 * For symbols of variance s2 (PAM4 at levels +-1, +-3: s2 = 5), pass sigma2_noise / s2 and
 * multiply the returned MSE by s2. Normal equations solved by Cholesky.
 * @param cursors      [n_cursors] pulse samples, finite; cursors[main] != 0
 * @param n_cursors    >= 1
 * @param main         main-cursor index, < n_cursors
 * @param n_taps       1..LS_EQSOLVE_MAX_TAPS
 * @param n_pre        pre-cursor taps, < n_taps
 * @param sigma2_noise noise variance per sample at the FFE input, finite and >= 0, relative to
 *                     a unit symbol variance
 * @param noise_acf    [n_taps] noise autocorrelation at lags 0..n_taps-1 (symbol spacing), only
 *                     its shape is used (normalized by noise_acf[0] > 0; |noise_acf[k]| <=
 *                     noise_acf[0]); NULL: white noise
 * @param n_dfe        DFE taps, 0..LS_EQSOLVE_MAX_DFE
 * @param taps_out     [n_taps] FFE taps
 * @param dfe_out      [n_dfe] DFE taps = equalized post-cursors 1..n_dfe (NULL if n_dfe == 0)
 * @param mse_out      the minimum MSE (may be NULL)
 * @return LS_OK; LS_EINVAL for invalid arguments, or when the normal matrix is not positive
 *         definite (no unique solution: e.g. no noise and the DFE region covers the signal,
 *         or an invalid noise_acf); outputs untouched on error
 */
LS_NODISCARD ls_status ls_ffe_mmse(const double *cursors, size_t n_cursors, size_t main,
                                   unsigned n_taps, unsigned n_pre, double sigma2_noise,
                                   const double *noise_acf, unsigned n_dfe, double *taps_out,
                                   double *dfe_out, double *mse_out);

/**
 * Zero-forcing FFE with a DFE: the n_taps taps solve the n_taps equations
 *     g[d] = h[main];  g[d - k] = 0, k = 1..n_pre;  g[d + n_dfe + k] = 0, k = 1..n_taps-1-n_pre
 * (d = main + n_pre): pre-cursors and the post-cursors just beyond the DFE are forced to zero
 * within the FFE span; post-cursors 1..n_dfe are left to the DFE, whose taps are returned.
 * Gaussian elimination with partial pivoting.
 * @param cursors, n_cursors, main, n_taps, n_pre, n_dfe, taps_out, dfe_out  as ls_ffe_mmse
 * @return LS_OK; LS_EINVAL for invalid arguments or a singular system; outputs untouched on error
 */
LS_NODISCARD ls_status ls_ffe_zf(const double *cursors, size_t n_cursors, size_t main,
                                 unsigned n_taps, unsigned n_pre, unsigned n_dfe, double *taps_out,
                                 double *dfe_out);

/**
 * DFE taps read off a pulse: b[j-1] = clip(h[main + j], -L_j |h[main]|, +L_j |h[main]|),
 * j = 1..n_dfe, with L_j = limits[j-1] (no clipping when limits is NULL) and h[main + j] = 0
 * beyond the pulse.
 * @param cursors  [n] pulse samples, finite; cursors[main] != 0
 * @param n        >= 1
 * @param main     main-cursor index, < n
 * @param n_dfe    0..LS_EQSOLVE_MAX_DFE
 * @param limits   [n_dfe] finite, >= 0, relative to |h[main]| (COM b_max); NULL: none
 * @param dfe_out  [n_dfe] (may be NULL if n_dfe == 0)
 * @return LS_OK or LS_EINVAL (outputs untouched)
 */
LS_NODISCARD ls_status ls_dfe_from_pulse(const double *cursors, size_t n, size_t main,
                                         unsigned n_dfe, const double *limits, double *dfe_out);

/**
 * Applies symbol-spaced FFE taps to a pulse sampled at sps samples per UI (any phase):
 *     out[t] = sum_i taps[i] pulse[t - i sps],  t = 0 .. n + (n_taps-1) sps - 1,
 * accumulated in double (full convolution: a feature at input sample s, weighted by the cursor
 * tap n_pre, appears at output sample s + n_pre sps).
 * @param pulse   [n] samples, n >= 1
 * @param sps     samples per UI, >= 1
 * @param taps    [n_taps] finite
 * @param n_taps  1..LS_EQSOLVE_MAX_TAPS
 * @param n_pre   < n_taps (documents the alignment; no effect on the sums)
 * @param out     [n + (n_taps-1) sps]; must not overlap pulse
 * @return LS_OK or LS_EINVAL (NULL, sizes, overlap, non-finite taps)
 */
LS_NODISCARD ls_status ls_apply_ffe(const float *pulse, size_t n, unsigned sps, const double *taps,
                                    unsigned n_taps, unsigned n_pre, float *out);

#ifdef __cplusplus
}
#endif
#endif

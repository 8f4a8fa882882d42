/**
 * @file mlse.h
 * MLSE (Viterbi) detector for PAM-M through the partial-response target 1 + alpha D, and the MMSE
 * FFE that equalizes a channel to that target (docs/receiver.md, "MLSE").
 *
 * The FFE output is modelled as z_k = r_{a_k} + alpha r_{a_{k-1}} + n_k, where r_i = g0 v_i are the
 * expected levels for the main cursor g0 and a_k the level index of symbol k. The trellis state is
 * the previous symbol (M states, M^2 branches); the branch metric from state j to state i is the
 * Euclidean distance (z_k - (r_i + alpha r_j))^2 [G. D. Forney, "Maximum-likelihood sequence
 * estimation of digital sequences in the presence of intersymbol interference", IEEE Trans. Inf.
 * Theory 18(3), 1972; "The Viterbi algorithm", Proc. IEEE 61(3), 1973].
 *
 * Decisions come out with a fixed delay of `depth` symbols: after input k (counting from 0 since
 * create/reset) the detector traces back `depth` steps from the best state at time k and emits
 * the decision for symbol k - depth. The first `depth` inputs therefore produce no output and,
 * at the end of a stream, the last `depth` symbols stay inside the detector (there is no flush:
 * a caller that needs them feeds `depth` more inputs). The starting state is unknown (all path
 * metrics start equal).
 */
#ifndef LS_MLSE_H
#define LS_MLSE_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LS_MLSE_MIN_DEPTH 8
#define LS_MLSE_MAX_DEPTH 256

/** MLSE detector configuration. */
typedef struct {
    unsigned levels;    /**< PAM-M: 2, 4 or 8 (= number of trellis states) */
    double alpha;       /**< partial-response post-cursor relative to the main cursor, 0..1 */
    unsigned depth;     /**< traceback depth = decision delay (symbols), LS_MLSE_MIN_DEPTH..LS_MLSE_MAX_DEPTH */
    double ref[8];      /**< r_0..r_{M-1}: expected main-cursor levels at the detector input (V), finite */
    size_t max_block;   /**< largest n per ls_mlse_process call (>= 1); nothing is sized from it */
} ls_mlse_config;

/** Viterbi detector object. Not thread-safe: one object per stream. */
typedef struct ls_mlse ls_mlse;

/** Defaults: PAM4, alpha 0.5, depth 64, ref = nominal levels -1, -1/3, 1/3, 1, max_block 4096. */
void ls_mlse_config_init(ls_mlse_config *cfg);
/**
 * Creates a detector: validates cfg (levels, alpha in [0, 1], depth in range, finite ref,
 * max_block >= 1) and allocates the path metrics and the survivor ring (M x depth bytes).
 * @return the object, or NULL with *err = LS_EINVAL (invalid field) or LS_ENOMEM; err may be NULL
 */
ls_mlse *ls_mlse_create(const ls_mlse_config *cfg, ls_status *err);
/**
 * Feeds y[0..n) (detector inputs, V) and writes the decisions that become final:
 * decisions[0..*n_out) are the level indices of the symbols depth, depth+1, ... inputs back,
 * consecutive across calls (*n_out <= n; *n_out = n once depth inputs have been seen).
 * Never allocates; y and decisions are caller buffers of n elements and may not overlap.
 * @return LS_OK, or LS_EINVAL (NULL arguments, n > max_block, non-finite y)
 */
LS_NODISCARD ls_status ls_mlse_process(ls_mlse *q, const float *y, size_t n, uint8_t *decisions, size_t *n_out);
/** Decision delay in symbols (= depth). */
size_t ls_mlse_latency(const ls_mlse *q);
/** Clears the path metrics, survivors and counters: behaves like a fresh object. Never allocates. */
ls_status ls_mlse_reset(ls_mlse *q);
/** NULL-safe. */
void ls_mlse_destroy(ls_mlse *q);

/**
 * MMSE FFE for the partial-response target 1 + alpha D: minimizes over the n_taps FFE taps
 *     MSE(w) = sum_q (g[q] - h[main] (delta_{q,d} + alpha delta_{q,d+1}))^2 + w' R w,   d = main + n_pre,
 * i.e. E[(y_k - h[main] (a_k + alpha a_{k-1}))^2] for independent unit-variance symbols, with the
 * notation of ls_ffe_mmse (eqsolve.h): g = C w the equalized pulse, R = sigma2_noise P the noise
 * covariance at the FFE input (P Toeplitz of noise_acf / noise_acf[0], or identity). Normal
 * equations (C'C + R) w = h[main] (C[d] + alpha C[d+1])', solved by Cholesky. alpha = 0 gives
 * ls_ffe_mmse with no DFE.
 * @param cursors, n_cursors, main, n_taps, n_pre, sigma2_noise, noise_acf  as ls_ffe_mmse
 * @param alpha     partial-response post-cursor, 0..1
 * @param taps_out  [n_taps] FFE taps
 * @param mse_out   the minimum MSE (may be NULL)
 * @return LS_OK, or LS_EINVAL (invalid arguments, normal matrix not positive definite); outputs
 *         untouched on error. Stateless, thread-safe, never allocates.
 */
LS_NODISCARD ls_status ls_ffe_mmse_pr(const double *cursors, size_t n_cursors, size_t main, unsigned n_taps,
                                      unsigned n_pre, double sigma2_noise, const double *noise_acf, double alpha,
                                      double *taps_out, double *mse_out);

#ifdef __cplusplus
}
#endif
#endif

/**
 * @file filter.h
 * Analog low-pass filter models (Butterworth, Bessel-Thomson, Gaussian, first-order RC) as
 * linear time-invariant blocks: each is described by its transfer function H(f) only, and the
 * link assembler fuses it with its LTI neighbours and applies the product by FFT convolution
 * (ls_fftfilt). All models have unit DC gain and |H(f3db_hz)| = 1/sqrt(2) exactly.
 *
 * The 4th-order Bessel-Thomson response is the IEEE 802.3 reference receiver (e.g. clause
 * 121.8.5 for TDECQ, clause 52.9.7 for 10GBASE-R optical). Equations: docs/filters.md.
 */
#ifndef LS_FILTER_H
#define LS_FILTER_H

#include <complex.h>
#include <stddef.h>

#include "lanesim/block.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest Butterworth / Bessel order. */
#define LS_LOWPASS_MAX_ORDER 8u

/** Low-pass model. */
typedef enum {
    LS_LP_NONE = 0,        /**< H = 1 (no filtering) */
    LS_LP_BUTTERWORTH = 1, /**< |H|^2 = 1 / (1 + (f/f3)^(2N)), poles on a circle */
    LS_LP_BESSEL = 2,      /**< Bessel-Thomson: maximally flat group delay */
    LS_LP_GAUSSIAN = 3,    /**< H = exp(-(ln 2 / 2) (f/f3)^2), zero phase (non-causal) */
    LS_LP_RC = 4           /**< first order: H = 1 / (1 + j f/f3) */
} ls_lp_type;

/** Low-pass configuration. */
typedef struct {
    ls_lp_type type; /**< model */
    unsigned order;  /**< 1..LS_LOWPASS_MAX_ORDER for Butterworth and Bessel; ignored for
                          Gaussian, RC (always first order) and none */
    double f3db_hz;  /**< -3 dB frequency (Hz), finite and > 0; ignored for LS_LP_NONE */
} ls_lowpass_config;

/**
 * Defaults: Bessel-Thomson, order 4, f3db_hz = 26.5625e9 (the IEEE 802.3 reference receiver
 * for 53.125 GBd PAM4 lanes: 0.5 x the signalling rate).
 */
void ls_lowpass_config_init(ls_lowpass_config *cfg);

/**
 * Transfer function at n frequencies: h[i] = H(j 2 pi f_hz[i]). Negative frequencies give
 * H(-f) = conj(H(f)) (real impulse responses). Never allocates; thread-safe.
 * @param cfg   configuration
 * @param f_hz  [n] frequencies (Hz)
 * @param h     [n] output
 * @param n     count (f_hz and h may be NULL when n == 0)
 * @return LS_OK, or LS_EINVAL for an invalid configuration or NULL arrays
 */
LS_NODISCARD ls_status ls_lowpass_response(const ls_lowpass_config *cfg, const double *f_hz,
                                           double complex *h, size_t n);

/**
 * Time (s) after t = 0 beyond which the impulse response holds less than 1e-9 of its energy
 * (computed exactly from the poles with a 10x margin: the tail is < 1e-10). 0 for LS_LP_NONE.
 * @return the span, or NaN for an invalid configuration
 */
double ls_lowpass_span_s(const ls_lowpass_config *cfg);

/**
 * Time (s) before t = 0 that the (non-causal, zero-phase) Gaussian response needs, with the
 * same energy criterion as ls_lowpass_span_s; 0 for the causal models.
 * @return the pre-ringing time, or NaN for an invalid configuration
 */
double ls_lowpass_pre_s(const ls_lowpass_config *cfg);

/**
 * Fills *out with an LTI block ("lowpass", LS_T_F32 in and out) whose self is an ls_alloc'd
 * copy of *cfg; free it with ls_block_destroy(out). On failure *out is cleared.
 * @return LS_OK, LS_EINVAL (invalid configuration, out NULL), LS_ENOMEM
 */
LS_NODISCARD ls_status ls_lowpass_into_block(const ls_lowpass_config *cfg, ls_block *out);

/**
 * Parses a model name: "none", "butterworth", "bessel", "gaussian", "rc" (case-insensitive).
 * @return 0 and *t set when recognised; -1 otherwise (unknown or NULL name, NULL t; *t untouched)
 */
int ls_lowpass_parse(const char *name, ls_lp_type *t);

/** The name of a model as accepted by ls_lowpass_parse; "unknown" for other values. */
const char *ls_lowpass_name(ls_lp_type t);

#ifdef __cplusplus
}
#endif
#endif

/**
 * @file cfftfilt.h
 * Streaming FIR filter on complex samples (the optical field envelope, LS_T_CF32) by FFT
 * overlap-save, and the design of its taps from LTI blocks' transfer functions.
 *
 * Contract (the same as ls_fftfilt, on complex samples): with L = ls_cfftfilt_latency(q) =
 * nfft - n_h + 1, the output is the exact causal convolution delayed by L samples,
 *
 *     y[i] = sum_{k=0}^{n_h-1} h[k] * x[i - L - k]      (x before the stream start is 0),
 *
 * up to float rounding, and it is bit-identical whatever the chunk sizes of the calls: the
 * object always transforms fixed blocks of L new samples aligned to the absolute stream
 * position. The taps are complex, so the filter may be asymmetric in frequency (H(-f) need not
 * be conj H(f)): dispersion, optical filters detuned from the carrier. See docs/optics_rx.md.
 */
#ifndef LS_CFFTFILT_H
#define LS_CFFTFILT_H

#include <complex.h>
#include <stddef.h>

#include "lanesim/block.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest accepted number of taps. */
#define LS_CFFTFILT_MAX_TAPS ((size_t)1 << 22)
/** Largest accepted FFT size. */
#define LS_CFFTFILT_MAX_NFFT ((size_t)1 << 30)

/** Streaming overlap-save FIR filter (complex float samples). Not thread-safe: one object per
 *  stream. */
typedef struct ls_cfftfilt ls_cfftfilt;

/** Configuration of ls_cfftfilt_create. */
typedef struct {
    const float complex *h; /**< [n_h] impulse response, copied at create; finite */
    size_t n_h;             /**< number of taps, 1..LS_CFFTFILT_MAX_TAPS */
    size_t nfft;            /**< FFT size: 0 = auto (the power of two >= 4 * n_h, at least 1024);
                                 else a power of two with 2 * n_h <= nfft <= LS_CFFTFILT_MAX_NFFT */
    int measure;            /**< 0 = FFTW_ESTIMATE (default, deterministic plan); nonzero =
                                 FFTW_MEASURE (the plan, so the last bits, may differ between
                                 runs; within one object chunking never matters) */
} ls_cfftfilt_config;

/** Defaults: h = NULL, n_h = 0 (both must be set), nfft = 0 (auto), measure = 0. NULL-safe. */
void ls_cfftfilt_config_init(ls_cfftfilt_config *cfg);

/**
 * Creates the filter: copies h, plans the complex DFT pair (under the process-wide FFTW planner
 * mutex), precomputes the spectrum of h. Allocates everything the object will ever use.
 * Thread-safe.
 * @param cfg  configuration (not kept)
 * @param err  status out (may be NULL): LS_EINVAL (cfg or h NULL, n_h 0 or too large,
 *             non-finite tap, nfft not a power of two or < 2 n_h or too large), LS_ENOMEM, LS_EFFT
 * @return the object, or NULL on error
 */
ls_cfftfilt *ls_cfftfilt_create(const ls_cfftfilt_config *cfg, ls_status *err);

/**
 * Filters y[0..n) from x[0..n); any n >= 0 (x and y may be NULL when n == 0).
 * x == y (in place) is allowed; partial overlap is not. Never allocates, prints or exits.
 * @return LS_OK, or LS_EINVAL for q NULL or a NULL buffer with n > 0
 */
LS_NODISCARD ls_status ls_cfftfilt_process(ls_cfftfilt *q, const float complex *x, float complex *y,
                                           size_t n);

/** Latency L = nfft - n_h + 1 (samples): the delay of the output against the causal
 *  convolution. 0 for NULL. */
size_t ls_cfftfilt_latency(const ls_cfftfilt *q);

/** FFT size in use (after the auto rule). 0 for NULL. */
size_t ls_cfftfilt_nfft(const ls_cfftfilt *q);

/** Clears the input history and the output queue (the state after create); never allocates.
 *  @return LS_OK, or LS_EINVAL for NULL */
LS_NODISCARD ls_status ls_cfftfilt_reset(ls_cfftfilt *q);

/** Frees the object; NULL-safe; thread-safe. */
void ls_cfftfilt_destroy(ls_cfftfilt *q);

/**
 * Size of the FIR that ls_cfftfilt_design makes from blocks[0..nb) at sample rate fs_hz
 * (docs/link.md "Blocks and fusion"): *delay pre-cursor taps and *n_h taps in all, at least the
 * blocks' pre_s and span_s (sums; NULL ops count as 0) plus margins, found by the design's search
 * (the taps' DTFT within 2.5e-4 of the product of the responses, of its peak, on |f| <= 0.9 fs/2, and
 * the DC gain within 2.5e-5). Allocates its scratch (a create-time call); thread-safe.
 * @param b      [nb] LTI blocks (kind LS_KIND_LTI with a response op); 1 <= nb <= 256
 * @param fs_hz  sample rate (Hz), finite and > 0
 * @param n_h    taps out
 * @param delay  samples out: the FIR's t = 0 is tap *delay (the non-causal part comes first)
 * @return LS_OK; LS_EINVAL for NULL arguments, nb 0 or > 256, a non-LTI block, a bad fs, a non-finite
 *         or negative span/pre, more than LS_CFFTFILT_MAX_TAPS taps, or a response failing or not
 *         finite; LS_ENOMEM; LS_EFFT
 */
LS_NODISCARD ls_status ls_cfftfilt_design_size(const ls_block *b, size_t nb, double fs_hz,
                                               size_t *n_h, size_t *delay);

/**
 * Designs the complex FIR of the product of the blocks' responses, delayed by `delay` samples,
 * by windowed frequency sampling: with N the power of two >= max(4 n_h, 8192) and
 * f_k = k fs / N for k < N/2, (k - N) fs / N for k > N/2 (the bin N/2 takes the mean of the
 * responses at +fs/2 and -fs/2),
 *
 *     c[m] = (1/N) sum_k prod_blocks response(f_k) exp(2 pi i k m / N),
 *     h[i] = w(i - delay) c[(i - delay) mod N],   i < n_h,
 *
 * w = 1 but for raised-cosine tapers over half of each side's taps beyond the blocks' pre_s and
 * span_s. With n_h and delay from ls_cfftfilt_design_size the taps are those of the link's fusion.
 * The output through ls_cfftfilt is then delayed by latency + delay samples against the blocks'
 * zero-delay response. Allocates its scratch (a create-time call); thread-safe.
 * @param h    [n_h] taps out, n_h and delay from ls_cfftfilt_design_size (or larger n_h)
 * @return LS_OK; LS_EINVAL (as design_size, h NULL, n_h 0 or > LS_CFFTFILT_MAX_TAPS,
 *         delay >= n_h, or a block's response failing or non-finite), LS_ENOMEM, LS_EFFT
 */
LS_NODISCARD ls_status ls_cfftfilt_design(const ls_block *b, size_t nb, double fs_hz,
                                          float complex *h, size_t n_h, size_t delay);

#ifdef __cplusplus
}
#endif
#endif

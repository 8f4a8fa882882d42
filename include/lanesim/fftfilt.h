/**
 * @file fftfilt.h
 * Streaming FIR filter by FFT overlap-save: the engine that applies every fused linear stage
 * of a link (docs/link.md, "The pipeline" and "Blocks and fusion").
 *
 * Contract: with L = ls_fftfilt_latency(q) = nfft - n_h + 1, the output is the exact causal
 * convolution delayed by L samples,
 *
 *     y[i] = sum_{k=0}^{n_h-1} h[k] * x[i - L - k]      (x before the stream start is 0),
 *
 * up to float rounding, and it is bit-identical whatever the chunk sizes of the calls: the
 * object always transforms fixed blocks of L new samples aligned to the absolute stream
 * position. See docs/filters.md.
 */
#ifndef LS_FFTFILT_H
#define LS_FFTFILT_H

#include <stddef.h>

#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest accepted number of taps. */
#define LS_FFTFILT_MAX_TAPS ((size_t)1 << 22)
/** Largest accepted FFT size. */
#define LS_FFTFILT_MAX_NFFT ((size_t)1 << 30)

/** Streaming overlap-save FIR filter (real float samples). Not thread-safe: one object per
 *  stream. */
typedef struct ls_fftfilt ls_fftfilt;

/** Configuration of ls_fftfilt_create. */
typedef struct {
    const float *h; /**< [n_h] impulse response, copied at create; must be finite */
    size_t n_h;     /**< number of taps, 1..LS_FFTFILT_MAX_TAPS */
    size_t nfft;    /**< FFT size: 0 = auto (the power of two >= 2 * n_h, at least 1024, of least
                         measured cost per output sample: phy/core/fft.c, docs/filters.md);
                         else a power of two with 2 * n_h <= nfft <= LS_FFTFILT_MAX_NFFT */
    int measure;    /**< 0 = FFTW_ESTIMATE (default: deterministic plan); nonzero = FFTW_MEASURE
                         (create takes longer and the plan may differ between runs, so the last
                         bits of the output may too; within one object chunking never matters) */
} ls_fftfilt_config;

/** Defaults: h = NULL, n_h = 0 (both must be set), nfft = 0 (auto), measure = 0. */
void ls_fftfilt_config_init(ls_fftfilt_config *cfg);

/**
 * Creates the filter: copies h, plans the FFT pair, precomputes the spectrum of h.
 * Allocates everything the object will ever use. Thread-safe (FFTW planning is serialized).
 * @param cfg  configuration (not kept)
 * @param err  status out (may be NULL): LS_EINVAL (h NULL, n_h 0 or too large, non-finite tap,
 *             nfft not a power of two or < 2 * n_h or too large), LS_ENOMEM, LS_EFFT
 * @return the object, or NULL on error
 */
ls_fftfilt *ls_fftfilt_create(const ls_fftfilt_config *cfg, ls_status *err);

/**
 * Filters y[0..n) from x[0..n); any n >= 0 (x and y may be NULL when n == 0).
 * x == y (in place) is allowed; partial overlap is not. Never allocates, prints or exits.
 * @return LS_OK, or LS_EINVAL for q NULL or a NULL buffer with n > 0
 */
LS_NODISCARD ls_status ls_fftfilt_process(ls_fftfilt *q, const float *x, float *y, size_t n);

/** Latency L = nfft - n_h + 1 (samples): the delay of the output against the causal
 *  convolution. 0 for NULL. */
size_t ls_fftfilt_latency(const ls_fftfilt *q);

/** FFT size in use (after the auto rule). 0 for NULL. */
size_t ls_fftfilt_nfft(const ls_fftfilt *q);

/** Clears the input history and the output queue (the state after create); never allocates. */
LS_NODISCARD ls_status ls_fftfilt_reset(ls_fftfilt *q);

/** Frees the object; NULL-safe; thread-safe. */
void ls_fftfilt_destroy(ls_fftfilt *q);

#ifdef __cplusplus
}
#endif
#endif

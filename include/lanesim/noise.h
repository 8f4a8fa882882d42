/**
 * @file noise.h
 * Additive white Gaussian noise block (stateful: owns an RNG stream).
 *
 * y[n] = x[n] + sigma * N(0,1) on every sample. Used as the slicer-referred noise of the `awgn`
 * preset: placed right before the sampler with sigma^2 = Es / SNR, where Es is the mean symbol
 * power at the slicer (main cursor times the level values), so each sampled symbol carries noise
 * of variance exactly sigma^2 (SNR = Es/sigma^2, as in Proakis' PAM SER formula).
 */
#ifndef LS_NOISE_H
#define LS_NOISE_H

#include <stdint.h>

#include "lanesim/block.h"

#ifdef __cplusplus
extern "C" {
#endif

/** AWGN block configuration. */
typedef struct {
    double sigma;     /**< noise rms per sample (signal units), >= 0, finite */
    uint64_t stream;  /**< RNG stream id (unique within a link) */
} ls_awgn_config;

/** Fills *out with a new AWGN block (kind LS_KIND_STATEFUL, F32 -> F32). */
ls_status ls_awgn_into_block(const ls_awgn_config *cfg, ls_block *out);

#ifdef __cplusplus
}
#endif
#endif

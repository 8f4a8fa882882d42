/*
 * Internal: the stride of the sample path's noise draws (docs/engines.md "Noise drawn at the rate it
 * needs"). A source that draws on every d-th sample only adds sqrt(d) sigma N(0,1) there and nothing
 * between: the same variance per sample on average, Gaussian after any filter; the link sets d where the
 * response from the source to the sampler bounds the error (phy/link/link_nstride.c).
 */
#ifndef LS_NOISE_INTERNAL_H
#define LS_NOISE_INTERNAL_H

#include "lanesim/block.h"
#include "lanesim/tx.h"

/** The TX's noise on every d-th sample from the frame start (d divides the TX's samples per UI; 1: every one). */
ls_status lsi_tx_set_noise_stride(ls_tx *q, unsigned d);
/** An awgn block's (phy/noise.c) noise on every d-th sample from its reset; LS_EINVAL when b is not one. */
ls_status lsi_awgn_set_stride(ls_block *b, unsigned d);

#endif

/*
 * Internal to the crosstalk code of phy/ (never installed): what xtalk_path.c (ICN, analytic
 * coupling shapes, path fusion) offers to xtalk.c (the aggressors and the xtalk block). The model
 * is stated in xtalk.c; details and numbers in docs/crosstalk.md. Call graph (one way):
 * xtalk.c -> xtalk_path.c.
 */
#ifndef LS_XTALK_INTERNAL_H
#define LS_XTALK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/block.h"
#include "lanesim/tx.h"
#include "lanesim/xtalk.h"

/* Nonzero when c is a valid ICN configuration (finite, ordered band, at most 1e7 points). */
int lsi_xtalk_icn_config_ok(const ls_icn_config *c);

/* Nonzero when b is an LTI block with real samples in and out and a frequency response. */
int lsi_xtalk_lti_ok(const ls_block *b);

/* FIR of the product of b[0..nb) (lsi_fuse_lti), trimmed: the spans are upper bounds, so the taps
   are kept up to where less than 1e-9 of the energy is left. *h (ls_alloc'd), *nh taps. */
ls_status lsi_xtalk_fuse(const ls_block *const *b, size_t nb, double fs, float **h, size_t *nh);

/* What the symbol-rate engine (phy/link/link_symbol_xtalk.c) needs to rebuild aggressor i's stream
   as the block's sample path makes it (xtalk.c file comment): its transmitter (borrowed: both paths
   restart it at their frame start), its path FIR, the block length and clock-phase RNG. */
typedef struct {
    ls_tx *tx;
    const float *h;
    size_t n_h, block_ui;
    unsigned sps;
    uint64_t phase_stream; /* the RNG stream of the clock phase steps (seeded with seed, frame) */
    double noise_var;      /* the transmitter's noise variance per sample */
    int jitter;            /* the transmitter jitters its edges */
} lsi_xtalk_src;

/* Aggressor i of the xtalk block b into *s; LS_EINVAL when b is no xtalk block or i is out of range. */
ls_status lsi_xtalk_source(const ls_block *b, size_t i, lsi_xtalk_src *s);

#endif

/*
 * Internal: the link specification, what a preset fills and the link engine consumes
 * (lsi_link_assemble, phy/link/link.c): the transmitter, the chain of blocks up to the sampler
 * and the receiver. phy reads no configuration key: everything the link needs from the keys is
 * in here, set by the preset builders (channels/presets/) and the configuration layer (sim/).
 */
#ifndef LS_LINK_SPEC_H
#define LS_LINK_SPEC_H

#include <stddef.h>

#include "lanesim/block.h"
#include "lanesim/rx.h"
#include "lanesim/tx.h"
#include "ls_internal.h"

#define LSI_MAX_BLOCKS 32
#define LSI_MAX_WARN 4      /* warnings about the link's inputs a specification carries */
#define LSI_WARN_LEN 400

/** What a preset builds: the transmitter and the chain of blocks up to the sampler. */
typedef struct {
    double baud;                        /**< symbol rate (Bd) */
    unsigned sps, levels;
    ls_tx_config tx;
    ls_block blocks[LSI_MAX_BLOCKS];    /**< between the TX DAC and the sampler, owned */
    size_t n_blocks;
    double noise_snr_db;                /**< slicer-referred AWGN appended by the link; INFINITY = off */
    double rx_phase_ui;                 /**< sampling phase offset from the pulse-response peak (UI) */
    double noise_v_rms;                 /**< slicer-referred AWGN (V rms) added to noise_snr_db's (IBIS-AMI Rx_Noise) */
    double slicer_offset_v;             /**< added to every slicer threshold (V; IBIS-AMI Rx_Receiver_Sensitivity) */
    float thresholds[7];                /**< explicit slicer thresholds (V) when n_thresholds > 0 */
    unsigned n_thresholds;
    unsigned eye_bins;
    double eye_target_ber;              /**< BER of the Monte Carlo eye's contour */
    /* receiver back end (defaults: ideal CDR, 1-tap FFE, no DFE, no ADC) */
    ls_rx_config rx;              /**< adc_*, ffe_taps/ffe_pre, dfe_taps/dfe_limit, adapt, mu, cdr* */
    int ffe_mode;                 /**< 0: taps given in rx.ffe; 1: MMSE solution from the pulse response */
    double dfe_limit_rel[LS_RX_MAX_DFE]; /**< DFE tap limits relative to the main cursor (0 = none) */
    double rj_ui, dj_ui;          /**< TX jitter the statistical analysis applies at the sampler */
    int segment;                  /**< segment being built (retimed presets), 0 otherwise */
    int optical;                  /**< optical link: the figures below are set */
    double launch_p_mw[8];        /**< static optical power of each level at the modulator output (mW) */
    double fibre_loss_db;         /**< fibre attenuation and connectors (dB) */
    double ctle_gdc_db;           /**< COM CTLE DC gain for the link's info (dB); NAN when not a COM CTLE */
    char drive_keys[128];         /**< the keys that place the drive on a static transfer (for messages), or "" */
    char warn[LSI_MAX_WARN][LSI_WARN_LEN]; /**< warnings about the inputs (a Touchstone channel's checks) */
    char ami_out[2][512];         /**< IBIS-AMI TX [0] / RX [1] output parameters after AMI_Init, or "" */
    unsigned n_warn;
    int inner_fec;                /**< ls_ifec_mode: the Monte Carlo decodes the inner code (fec.h) */
    unsigned inner_chase_l;       /**< Chase-2 test set with LS_IFEC_CHASE */
    int noise_full;               /**< the sample path draws its noise on every sample (run.noise_rate = full) */
} lsi_link_spec;

/** An empty specification: no blocks, ctle_gdc_db NAN, everything else zero. */
void lsi_link_spec_init(lsi_link_spec *spec);
/** Keeps a warning about the link's inputs (truncated to LSI_WARN_LEN; past LSI_MAX_WARN dropped). */
void lsi_spec_warn(lsi_link_spec *spec, const char *text);
/** Appends a block (taking ownership); LS_EINVAL when the chain is full. */
ls_status lsi_spec_push(lsi_link_spec *s, ls_block b, char *msg, size_t cap);
/** Frees the blocks of a spec (on a failed build or after the link took them). */
void lsi_link_spec_clear(lsi_link_spec *spec);

typedef struct ls_link ls_link;
/** The link engine (phy/link/link.c): assembles a link from a built specification, taking its
    blocks (spec is left empty, on failure too). max_chunk: symbols per chunk of ls_link_run_frame. */
ls_link *lsi_link_assemble(lsi_link_spec *spec, size_t max_chunk, char *msg, size_t cap, ls_status *err);

#endif

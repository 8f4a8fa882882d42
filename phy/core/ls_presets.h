/*
 * Internal: the key registry (channels/presets/keys.c), the presets (channels/presets/presets.c) and the link
 * specification a preset builds for phy/link/link.c.
 */
#ifndef LS_PRESETS_H
#define LS_PRESETS_H

#include <stddef.h>

#include "ls_internal.h"
#include "lanesim/block.h"
#include "lanesim/config.h"
#include "lanesim/rx.h"
#include "lanesim/tline.h"
#include "lanesim/tx.h"

#define LSI_MAX_BLOCKS 32

/** What a preset builds: the transmitter and the chain of blocks up to the sampler. */
typedef struct {
    double baud;                        /**< symbol rate (Bd) */
    unsigned sps, levels;
    ls_tx_config tx;
    ls_block blocks[LSI_MAX_BLOCKS];    /**< between the TX DAC and the sampler, owned */
    size_t n_blocks;
    double noise_snr_db;                /**< slicer-referred AWGN appended by the link; INFINITY = off */
    double rx_phase_ui;                 /**< sampling phase offset from the pulse-response peak (UI) */
    float thresholds[7];                /**< explicit slicer thresholds (V) when n_thresholds > 0 */
    unsigned n_thresholds;
    unsigned eye_bins;
    double eye_hit_ratio;
    /* receiver back end (defaults: ideal CDR, 1-tap FFE, no DFE, no ADC) */
    ls_rx_config rx;              /**< adc_*, ffe_taps/ffe_pre, dfe_taps/dfe_limit, adapt, mu, cdr* */
    int ffe_mode;                 /**< 0: taps given in rx.ffe; 1: MMSE solution from the pulse response */
    double dfe_limit_rel[LS_RX_MAX_DFE]; /**< DFE tap limits relative to the main cursor (0 = none) */
    double rj_ui, dj_ui;          /**< TX jitter the statistical analysis applies at the sampler */
    int segment;                  /**< segment being built (retimed presets), 0 otherwise */
    int optical;                  /**< optical link: the figures below are set */
    double launch_p_mw[8];        /**< static optical power of each level at the modulator output (mW) */
    double fibre_loss_db;         /**< fibre attenuation and connectors (dB) */
} lsi_link_spec;

typedef ls_status (*lsi_build_fn)(const ls_config *c, lsi_link_spec *spec, char *msg, size_t cap);

typedef struct {
    const char *name, *summary;
    const char *const *sections;   /* NULL-terminated section names */
    const char *const *overrides;  /* NULL-terminated "key=value" default overrides */
    lsi_build_fn build;
    unsigned n_segments;                 /* > 1: a retimed link of independent segments (run.segment selects) */
    const char *const *segment_names;
    unsigned main_segment;               /* the segment ls_link_create builds when run.segment = -1 */
} lsi_preset;

/* Shared preset builders (channels/presets/presets.c). */
ls_status lsi_build_common(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
ls_status lsi_add_lowpass(const ls_config *c, lsi_link_spec *s, const char *section, double auto_baud, char *msg,
                          size_t cap);
ls_status lsi_build_receiver(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
ls_status lsi_add_rx_noise(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
/** Appends a block (taking ownership); LS_EINVAL when the chain is full. */
ls_status lsi_spec_push(lsi_link_spec *s, ls_block b, char *msg, size_t cap);

/* channels/presets/copper.c: shared channel pieces (also used by the optical presets) */
ls_status lsi_push_cascade(lsi_link_spec *s, const ls_cascade_config *cas, char *msg, size_t cap);
ls_status lsi_add_package(const ls_config *c, ls_pkg_side side, ls_cascade_config *cas, char *msg, size_t cap);
ls_status lsi_add_line(ls_cascade_config *cas, const char *preset, double length_m, char *msg, size_t cap);
ls_status lsi_add_shunt(ls_cascade_config *cas, double c_f, char *msg, size_t cap);
ls_status lsi_add_ctle(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
ls_status lsi_build_copper(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
extern const char *const lsi_copper_sections[];
extern const char *const lsi_copper_overrides[];
#define LSI_COPPER_PRESET                                                                                          \
    { "copper",                                                                                                    \
      "212.5G PAM4 SerDes (TX FFE; RX CTLE, ADC, FFE, DFE, CDR after the 802.3dj COM reference) over package + "   \
      "host PCB + twinax cable of link.length_m (or channel.touchstone) + host PCB + package",                      \
      lsi_copper_sections, lsi_copper_overrides, lsi_build_copper, 1, NULL, 0 }

/* channels/presets/optical.c */
ls_status lsi_build_lpo(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
extern const char *const lsi_lpo_sections[];
extern const char *const lsi_lpo_overrides[];
#define LSI_LPO_PRESET                                                                                             \
    { "lpo",                                                                                                       \
      "linear-drive pluggable: host SerDes -> host PCB -> linear driver -> EML -> SMF of link.length_m -> PIN + "  \
      "linear TIA -> host PCB -> host SerDes RX (CTLE, ADC, FFE, DFE, CDR); no retiming in the module",           \
      lsi_lpo_sections, lsi_lpo_overrides, lsi_build_lpo, 1, NULL, 0 }

ls_status lsi_build_cpo(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
extern const char *const lsi_cpo_overrides[];
#define LSI_CPO_PRESET                                                                                             \
    { "cpo",                                                                                                       \
      "co-packaged optics: ASIC SerDes -> XSR trace -> driver -> microring (external laser) -> SMF of "            \
      "link.length_m -> PIN + TIA -> XSR trace -> ASIC SerDes RX",                                                 \
      lsi_lpo_sections, lsi_cpo_overrides, lsi_build_cpo, 1, NULL, 0 }

ls_status lsi_build_retimed(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
extern const char *const lsi_retimed_sections[];
extern const char *const lsi_retimed_overrides[];
extern const char *const lsi_retimed_segments[];
#define LSI_RETIMED_PRESET                                                                                         \
    { "dsp-retimed",                                                                                               \
      "DSP-retimed pluggable: host -> module electrical (module CDR), module optical (DSP TX, driver, EML, SMF of "  \
      "link.length_m, PIN/TIA, ADC + DSP), module -> host electrical; segment bit errors add",                      \
      lsi_retimed_sections, lsi_retimed_overrides, lsi_build_retimed, 3, lsi_retimed_segments, 1 }

/** Section declarations: the keys of `section`, or NULL (n = 0) if unknown. */
const ls_param_def *lsi_section_defs(const char *section, size_t *n);
size_t lsi_preset_count(void);
const lsi_preset *lsi_preset_at(size_t i);
const lsi_preset *lsi_preset_find(const char *name);
/** Frees the blocks of a spec (on a failed build or after the link took them). */
void lsi_link_spec_clear(lsi_link_spec *spec);

#endif

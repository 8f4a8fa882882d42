/*
 * Internal to channels/presets and sim/: the key registry (keys.c), the preset table
 * (preset_table.c) and the builders that turn a validated configuration into the link
 * specification of phy/core/ls_link_spec.h. The only channels header that names a key section.
 */
#ifndef LS_PRESETS_H
#define LS_PRESETS_H

#include <stddef.h>

#include "ls_internal.h"
#include "ls_link_spec.h"
#include "lanesim/block.h"
#include "lanesim/config.h"
#include "lanesim/optrx.h"
#include "lanesim/optx.h"
#include "lanesim/pam.h"
#include "lanesim/ring_wdm.h"
#include "lanesim/rx.h"
#include "lanesim/tline.h"
#include "lanesim/tx.h"

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

/* Shared preset builders (build_common.c). */
ls_status lsi_build_common(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
ls_status lsi_add_lowpass(const ls_config *c, lsi_link_spec *s, const char *section, double auto_baud, char *msg,
                          size_t cap);
ls_status lsi_build_receiver(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
ls_status lsi_add_rx_noise(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);

/* channels/presets/ami_link.c: IBIS-AMI models on the host side (tx.model / rx.model = ami) */
int lsi_ami_on(const ls_config *c, const lsi_link_spec *s, const char *side);
ls_status lsi_ami_add_tx(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
ls_status lsi_ami_add_rx(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
/* ami_reserved.c: the models' reserved jitter/noise/sensitivity parameters into the spec (after AMI_Init;
   an index >= s->n_blocks: no model on that side) */
ls_status lsi_ami_reserved(lsi_link_spec *s, size_t i_tx, size_t i_rx, char *msg, size_t cap);

/* channels/presets/copper.c: shared channel pieces (also used by the optical presets) */
ls_status lsi_push_cascade(lsi_link_spec *s, const ls_cascade_config *cas, char *msg, size_t cap);
ls_status lsi_add_package(const ls_config *c, ls_pkg_side side, ls_cascade_config *cas, char *msg, size_t cap);
ls_status lsi_add_line(ls_cascade_config *cas, const char *preset, double length_m, char *msg, size_t cap);
ls_status lsi_add_shunt(ls_cascade_config *cas, double c_f, char *msg, size_t cap);
ls_status lsi_add_ctle(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
ls_status lsi_build_copper(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
/* the analytic channel.type = cable cascade (packages when package.enable) */
ls_status lsi_cable_cascade(const ls_config *c, ls_cascade_config *cas, char *msg, size_t cap);
extern const char *const lsi_copper_sections[];
extern const char *const lsi_copper_overrides[];
#define LSI_COPPER_PRESET                                                                                          \
    { "copper",                                                                                                    \
      "212.5G PAM4 SerDes (TX FFE; RX CTLE, ADC, FFE, DFE, CDR after the 802.3dj COM reference) over package + "   \
      "host PCB + twinax cable of link.length_m (or channel.touchstone) + host PCB + package",                      \
      lsi_copper_sections, lsi_copper_overrides, lsi_build_copper, 1, NULL, 0 }

/* channels/presets/cpc.c: the copper builder with the host PCB and paddle card removed */
extern const char *const lsi_cpc_overrides[];
#define LSI_CPC_PRESET                                                                                             \
    { "cpc",                                                                                                       \
      "co-packaged copper: the copper preset's SerDes with the twinax cable attached at the package (no host PCB, " \
      "no paddle card): package + attach connector + twinax of link.length_m + attach connector + package",        \
      lsi_copper_sections, lsi_cpc_overrides, lsi_build_copper, 1, NULL, 0 }

/* channels/presets/host_channel.c: the host channel of lpo/cpo (package, host PCB, connector), its PCB
   length from host.loss_db (the loss at host.loss_ghz, die to module connector) or host.pcb_mm */
double lsi_cascade_loss_db(const ls_cascade_config *cas, double f_hz);
ls_status lsi_host_pcb_m(const ls_config *c, double baud, double *pcb_m, char *msg, size_t cap);
ls_status lsi_host_channel(const ls_config *c, double baud, ls_pkg_side side, ls_cascade_config *cas, char *msg,
                           size_t cap);
ls_status lsi_host_side(const ls_config *c, lsi_link_spec *s, ls_pkg_side side, char *msg, size_t cap);

/* channels/presets/optical.c */
/* What the stages of the optical chain hand on to one another (and to a hook). */
typedef enum { LSI_OPT_AFTER_MODULATOR, LSI_OPT_AFTER_FIBRE, LSI_OPT_AFTER_FRONT_END } lsi_opt_stage;
typedef struct lsi_optical_chain lsi_optical_chain;
typedef ls_status (*lsi_optical_hook)(const ls_config *c, lsi_link_spec *s, lsi_optical_chain *o, lsi_opt_stage stage,
                                      char *msg, size_t cap);
struct lsi_optical_chain {
    double fs, baud;                  /* sample rate and symbol rate (Hz) */
    double vpp;                       /* modulator.vpp_v */
    int mzm, ring;                    /* modulator.type */
    double drive[LS_PAM_MAX_LEVELS];  /* the drive each level produces at the modulator (V) */
    double lev_mw[LS_PAM_MAX_LEVELS]; /* the launch power of each level (mW) */
    double wavelength_nm;             /* the laser's */
    double loss;                      /* the fibre's power transmission (linear; a hook may scale it) */
    ls_fibre_config fc;               /* the fibre (length, wavelength, MPI; the multimode keys on top) */
    size_t i_tx, i_mod, i_pd;         /* block indices: the first TX block, the modulator, the photodiode */
    lsi_optical_hook hook;            /* NULL, or called after the modulator, the fibre and the PD/TIA front end */
    void *hook_ctx;
};
/* The cpo chain with a hook (cpo-wdm): the hook may push blocks and scale lev_mw (after the modulator)
   and loss (after the fibre) so that the launch and received powers stay right. */
ls_status lsi_build_optical_hooked(const ls_config *c, lsi_link_spec *s, lsi_optical_hook hook, void *ctx, char *msg,
                                   size_t cap);
ls_status lsi_build_lpo(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
extern const char *const lsi_lpo_sections[];
extern const char *const lsi_lpo_overrides[];
#define LSI_LPO_PRESET                                                                                             \
    { "lpo",                                                                                                       \
      "linear-drive pluggable: host SerDes -> host channel (host.loss_db) -> linear driver (CTLE) -> SiPh MZM -> " \
      "SMF of link.length_m -> PIN + linear TIA -> host channel -> host SerDes RX (CTLE, ADC, FFE, DFE, CDR); "   \
      "no retiming in the module",                                                                                \
      lsi_lpo_sections, lsi_lpo_overrides, lsi_build_lpo, 1, NULL, 0 }

ls_status lsi_build_cpo(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
extern const char *const lsi_cpo_overrides[];
#define LSI_CPO_PRESET                                                                                             \
    { "cpo",                                                                                                       \
      "co-packaged optics: ASIC SerDes -> XSR trace -> driver -> microring (external laser) -> SMF of "            \
      "link.length_m -> PIN + TIA -> XSR trace -> ASIC SerDes RX",                                                 \
      lsi_lpo_sections, lsi_cpo_overrides, lsi_build_cpo, 1, NULL, 0 }

/* channels/presets/cpo_wdm.c */
ls_status lsi_build_cpo_wdm(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
/* The lane group of a cpo-wdm configuration (victim resolved; nominal drive +-modulator.vpp_v / 2) and the
   heater power per ring (heater_mw may be NULL). */
ls_status lsi_cpo_wdm_group(const ls_config *c, ls_wdm_config *w, double *heater_mw, char *msg, size_t cap);
extern const char *const lsi_cpo_wdm_sections[];
extern const char *const lsi_cpo_wdm_overrides[];
#define LSI_CPO_WDM_PRESET                                                                                         \
    { "cpo-wdm",                                                                                                   \
      "multi-wavelength microring CPO: one victim line (wdm.victim) of wdm.channels rings on one bus, external "   \
      "laser array or comb, SMF, ring drop-filter demux, PIN + TIA; the other lines as modulated aggressors",     \
      lsi_cpo_wdm_sections, lsi_cpo_wdm_overrides, lsi_build_cpo_wdm, 1, NULL, 0 }

ls_status lsi_build_retimed(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
extern const char *const lsi_retimed_sections[];
extern const char *const lsi_retimed_overrides[];
extern const char *const lsi_retimed_segments[];
#define LSI_RETIMED_PRESET                                                                                         \
    { "dsp-retimed",                                                                                               \
      "DSP-retimed pluggable: host -> module electrical (module CDR), module optical (DSP TX, driver, EML, SMF of "  \
      "link.length_m, PIN/TIA, ADC + DSP), module -> host electrical; segment bit errors add",                      \
      lsi_retimed_sections, lsi_retimed_overrides, lsi_build_retimed, 3, lsi_retimed_segments, 1 }

/* pmd_class.c: IEEE 802.3dj PMD classes (draft values; budget modes in sim/pmd_class.c) */
ls_status lsi_build_pmd(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
extern const char *const lsi_class_sections[];
extern const char *const lsi_dr1_overrides[], *const lsi_dr1_2_overrides[], *const lsi_fr4_overrides[],
    *const lsi_lr4_overrides[];
#define LSI_CLASS_PRESETS                                                                                          \
    { "200g-dr1", "802.3dj 200GBASE-DR1 (draft): 500 m SMF, 106.25 GBd, RS(544,514) only; the module's optical lane "  \
                  "(DSP TX, EML, PIN/TIA, DSP); class.budget=worst|typical",                                       \
      lsi_class_sections, lsi_dr1_overrides, lsi_build_pmd, 1, NULL, 0 },                                            \
    { "200g-dr1-2", "802.3dj 200GBASE-DR1-2 (draft): 2 km SMF, 113.4375 GBd, Hamming(128,120) inner FEC; "           \
                    "class.budget=worst|typical",                                                                 \
      lsi_class_sections, lsi_dr1_2_overrides, lsi_build_pmd, 1, NULL, 0 },                                          \
    { "800g-fr4", "802.3dj 800GBASE-FR4 (draft): 2 km, 4 CWDM lanes (each simulated), 113.4375 GBd, inner FEC; "    \
                  "class.budget=worst|typical",                                                                   \
      lsi_class_sections, lsi_fr4_overrides, lsi_build_pmd, 1, NULL, 0 },                                            \
    { "800g-lr4", "802.3dj 800GBASE-LR4 (draft): 10 km, 4 LAN-WDM lanes (each simulated), 113.4375 GBd, inner "     \
                  "FEC; class.budget=worst|typical",                                                              \
      lsi_class_sections, lsi_lr4_overrides, lsi_build_pmd, 1, NULL, 0 }

/* optical_devices.c: the DML/VCSEL, multimode fibre, MPI and APD keys of the optical chain (optical.c) */
int lsi_dml_type(const ls_config *c); /* 0: not a DML; 1: modulator.type=dml; 2: vcsel */
ls_status lsi_dml_block(const ls_config *c, const ls_laser_config *lc, double fs, ls_block *b, char *msg, size_t cap);
void lsi_mpi_keys(const ls_config *c, ls_fibre_config *fc);
int lsi_mmf_on(const ls_config *c);
ls_status lsi_mmf_block(const ls_config *c, const ls_fibre_config *fc, ls_block *b, double *loss_db, char *msg,
                        size_t cap);
void lsi_pd_keys(const ls_config *c, const ls_fibre_config *fc, double baud, ls_photodiode_config *pc);

/* sr.c: the 200g-sr preset (VCSEL over OM4, the module lane of the class presets) */
extern const char *const lsi_sr_sections[];
extern const char *const lsi_sr_overrides[];
#define LSI_SR_PRESET                                                                                              \
    { "200g-sr", "200G/lane VCSEL SR (estimate [E], not an IEEE class): 106.25 GBd PAM4, 850 nm VCSEL (vcsel.*) -> "  \
                 "OM4 multimode fibre of link.length_m (mmf.*: modal bandwidth, dispersion, mode partition noise) -> " \
                 "PIN/TIA -> ADC + DSP FFE/DFE",                                                                 \
      lsi_sr_sections, lsi_sr_overrides, lsi_build_pmd, 1, NULL, 0 }

/* synthetic.c */
ls_status lsi_build_flat(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
extern const char *const lsi_flat_sections[];
extern const char *const lsi_flat_overrides[];
#define LSI_FLAT_PRESET                                                                                            \
    { "flat",                                                                                                      \
      "synthetic: frequency-flat attenuation flat.loss_db_per_m x link.length_m + fixed RX noise (closed-form "    \
      "BER vs length, for checking reach and sweeps)",                                                             \
      lsi_flat_sections, lsi_flat_overrides, lsi_build_flat, 1, NULL, 0 }

ls_status lsi_build_awgn(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap);
extern const char *const lsi_awgn_sections[];
extern const char *const lsi_awgn_overrides[];
#define LSI_AWGN_PRESET                                                                                            \
    { "awgn", "ideal channel + slicer-referred AWGN (noise.snr_db = Es/sigma^2), optional TX/RX low-pass and jitter", \
      lsi_awgn_sections, lsi_awgn_overrides, lsi_build_awgn, 1, NULL, 0 }

/* keys.c: section declarations, the keys of `section`, or NULL (n = 0) if unknown. */
const ls_param_def *lsi_section_defs(const char *section, size_t *n);
/** The sections of channels/presets/keys_sim.c (energy, classes, wdm); NULL and *n = 0 when not one of them. */
const ls_param_def *lsi_section_defs_sim(const char *section, size_t *n);
/* preset_table.c */
size_t lsi_preset_count(void);
const lsi_preset *lsi_preset_at(size_t i);
const lsi_preset *lsi_preset_find(const char *name);

#endif

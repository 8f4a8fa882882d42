/*
 * IEEE 802.3dj 200G/lane optical PMD classes as presets (docs/classes.md): 200g-dr1 (500 m, 106.25 GBd,
 * RS only), 200g-dr1-2 (2 km, 113.4375 GBd, inner FEC), 800g-fr4 (2 km, 4 CWDM lanes, inner FEC) and
 * 800g-lr4 (10 km, 4 LAN-WDM lanes, inner FEC). The link is the module's optical lane of dsp-retimed
 * (DSP TX, driver, EML, SMF, PIN/TIA, ADC + DSP FFE/DFE), built by lsi_build_pmd; the class keys
 * (class.*) carry the draft budget values, every one overridable. The budget modes (class.budget)
 * are applied by sim/pmd_class.c, which runs each lane at its own wavelength.
 *
 * Values and tags ([S] sourced, [M] recalled, [E] estimated): ../shared/standards/
 * optics_pmd_tdecq_com.md §1; the per-class table in docs/classes.md.
 */
#include "ls_presets.h"

const char *const lsi_class_sections[] = { "link", "link_length", "segment", "tx", "jitter", "driver", "laser",
                                           "modulator", "fibre", "pd", "rx", "ctle", "adc", "ffe", "dfe", "cdr",
                                           "mlse", "noise", "slicer", "eye", "power", "module_power", "run",
                                           "class", NULL };

/* the module DSP lane of dsp-retimed, at 16 samples per UI */
#define MODULE_LANE                                                                                               \
    "link.sps=16", "tx.swing_vpp=0.826", "tx.ffe_pre=-0.08", "tx.snr_db=33", "tx.filter=gaussian", "tx.bw_ghz=0", \
        "jitter.rj_ui=0.01", "jitter.dj_ui=0.04", "rx.filter=butterworth", "rx.bw_ghz=0", "rx.eta0_v2_ghz=6e-9",  \
        "adc.enable=true", "ffe.taps=16", "ffe.pre=5", "dfe.taps=1", "dfe.limit=0.85", "cdr.type=mm",            \
        "ffe.level_mu=0.004", "laser.wpe=0.05", "laser.tec_mw=250", "run.warmup_symbols=2048"

/* 200GBASE-DR1, P802.3dj cl. 180 (D1.3/D3.1): IL 3.0, MPI+DGD 0.1, TDECQ 3.4, OMA-TDECQ -1.2,
   SRS -0.9 at SECQ 3.4 [S secondary]; 1304.5-1317.5 nm */
const char *const lsi_dr1_overrides[] = { MODULE_LANE, "class.name=200GBASE-DR1", "class.reach_m=500",
                                          "link.length_m=500", "class.lanes_nm=1311", "class.lane_window_nm=6.5",
                                          "class.il_max_db=3.0", "class.penalty_db=0.1", "class.tdecq_db=3.4",
                                          "class.oma_minus_tdecq_dbm=-1.2", "class.srs_dbm=-0.9", "class.secq_db=3.4",
                                          "class.srs_ber=2.4e-4", "class.target_ber=2.4e-4", NULL };

/* 200GBASE-DR1-2, 2 km, 113.4375 GBd with the inner code: IL 4.0 [M]; OMA-TDECQ and SRS [E] from the
   budget identity with the inner decoder input at 4.8e-3 [S secondary, LIKELY] (docs/classes.md) */
const char *const lsi_dr1_2_overrides[] = { MODULE_LANE, "link.inner_fec=true", "class.name=200GBASE-DR1-2",
                                            "class.reach_m=2000", "link.length_m=2000", "class.lanes_nm=1311",
                                            "class.lane_window_nm=6.5", "class.il_max_db=4.0", "class.penalty_db=0.1",
                                            "class.tdecq_db=3.4", "class.oma_minus_tdecq_dbm=-2.8",
                                            "class.srs_dbm=-3.5", "class.secq_db=3.4", "class.srs_ber=4.8e-3",
                                            "class.target_ber=2.4e-4", NULL };

/* 800GBASE-FR4, 2 km, CWDM 1271/1291/1311/1331 nm [M] +-6.5 nm: IL 4.0 [M], penalty 0.5 (as FR4-500's
   MPI+DGD) [E], OMA-TDECQ and SRS [E] */
const char *const lsi_fr4_overrides[] = { MODULE_LANE, "link.inner_fec=true", "class.name=800GBASE-FR4",
                                          "class.reach_m=2000", "link.length_m=2000", "laser.wavelength_nm=1271",
                                          "class.lanes_nm=1271,1291,1311,1331", "class.lane_window_nm=6.5",
                                          "class.il_max_db=4.0", "class.penalty_db=0.5", "class.tdecq_db=3.4",
                                          "class.oma_minus_tdecq_dbm=-2.4", "class.srs_dbm=-3.5", "class.secq_db=3.4",
                                          "class.srs_ber=4.8e-3", "class.target_ber=2.4e-4", NULL };

/* 800GBASE-LR4, 10 km, LAN-WDM (800 GHz grid) [S], cooled lasers: OMA_min 4.4 dBm at max TDECQ [S proposal,
   msg00570]; TDECQ 3.9 (as 100G LR) [M]; IL 6.3 [M]; penalty 0.5 [E]; SRS [E] by the budget identity */
const char *const lsi_lr4_overrides[] = { MODULE_LANE, "link.inner_fec=true", "class.name=800GBASE-LR4",
                                          "class.reach_m=10000", "link.length_m=10000", "laser.wavelength_nm=1295.56",
                                          "class.lanes_nm=1295.56,1300.05,1304.58,1309.14",
                                          "class.lane_window_nm=1.03", "class.il_max_db=6.3", "class.penalty_db=0.5",
                                          "class.tdecq_db=3.9", "class.oma_minus_tdecq_dbm=0.5",
                                          "class.srs_dbm=-2.4", "class.secq_db=3.9", "class.srs_ber=4.8e-3",
                                          "class.target_ber=2.4e-4", "fibre.atten_db_km=0.5", NULL };

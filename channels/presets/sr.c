/*
 * 200g-sr: a 200G/lane VCSEL short-reach lane (issue 12), 212.5 Gb/s PAM4 at 106.25 GBd: the module's
 * optical lane of the class presets (DSP TX with its FFE, linear driver, ADC + DSP FFE/DFE; built by
 * lsi_build_pmd) with a VCSEL (modulator.type=vcsel, vcsel.*, channels/optical/vcsel.c) and OM4
 * multimode fibre (mmf.*, channels/optical/mmf.c: modal bandwidth, chromatic spread of the source
 * width, mode partition noise) into a PIN/TIA. Not an IEEE class: every device value is an estimate
 * [E] (docs/optics_tx.md "VCSEL", docs/optics_rx.md "Multimode fibre"); the operating point and its
 * check against the published 200G VCSEL TDECQ (3.22 dB at 30 m, 4.47 dB at 50 m,
 * ../shared/standards/optics_pmd_tdecq_com.md §4.4) are in docs/optics_link.md "200g-sr".
 */
#include "ls_presets.h"

const char *const lsi_sr_sections[] = { "link", "link_length", "segment", "tx", "jitter", "driver", "laser",
                                        "modulator", "vcsel", "fibre", "mmf", "pd", "rx", "ctle", "adc", "ffe",
                                        "dfe", "cdr", "mlse", "noise", "slicer", "eye", "power", "module_power",
                                        "run", NULL };

const char *const lsi_sr_overrides[] = {
    /* the module DSP lane of the class presets, at 16 samples per UI */
    "link.sps=16", "tx.swing_vpp=0.826", "tx.ffe_pre=-0.08", "tx.snr_db=33", "tx.filter=gaussian", "tx.bw_ghz=0",
    "jitter.rj_ui=0.01", "jitter.dj_ui=0.04", "rx.filter=butterworth", "rx.bw_ghz=0", "rx.eta0_v2_ghz=6e-9",
    "adc.enable=true", "ffe.taps=16", "ffe.pre=5", "dfe.taps=1", "dfe.limit=0.85", "cdr.type=mm",
    "ffe.level_mu=0.004", "run.warmup_symbols=2048",
    /* VCSEL [E]: 850 nm, uncooled, RIN -150 dB/Hz (the published 200G VCSEL: < -150), 6 mA pp */
    "link.length_m=50", "laser.wavelength_nm=850", "laser.rin_db_hz=-150", "laser.linewidth_mhz=50", "laser.wpe=0.3",
    "laser.tec_mw=0", "modulator.type=vcsel", "modulator.vpp_v=1.2", "modulator.bw_ghz=0",
    /* no coherent chirp: the multimode fibre's spread acts on the intensity of an incoherent source, and the
       mmf block applies it to the field, which the intensity sees only without chirp phase; the chirp's
       spectral broadening is in mmf.source_rms_nm, as in the IEEE 802.3 MMF link model (docs/optics_rx.md) */
    "vcsel.alpha=0",
    /* OM4 with two connections; GaAs PIN at 850 nm [E] */
    "fibre.connectors=2", "pd.responsivity_a_w=0.5", NULL
};

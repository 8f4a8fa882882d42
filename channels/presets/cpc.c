/*
 * The `cpc` preset (co-packaged copper): the twinax cable attached at the switch or XPU package, no
 * host PCB trace and no paddle card. The copper preset's builder (copper.c) with these segments
 * removed:
 *
 *   TX -> TX package (IEEE 802.3 COM model, package.zp_mm = 12 mm as copper) -> package-attach
 *   connector -> twinax cable of link.length_m (cable.awg) -> package-attach connector -> RX package
 *   -> the copper preset's receiver (CTLE with the g_DC search, ADC, 16-tap FFE, 1-tap DFE, MM CDR).
 *
 * Package-attach connector model: a differential shunt capacitance host.connector_ff (10 fF) at each
 * cable end, the same compensated-connector figure as copper's front-panel connector (return loss
 * Gamma = -j w C Z0 / (2 + j w C Z0), |Gamma| = 0.08 (22 dB) at 26.6 GHz, 0.17 (15 dB) at 53 GHz; its
 * insertion loss -20 log10 |1 + Gamma| is 0.12 dB at 53 GHz). [E]: no vendor publishes an S-parameter
 * model of a package-attach cable connector; keeping the copper preset's figure makes the comparison
 * isolate what co-packaging removes: 60 mm of host PCB and 12 mm of paddle card on each side
 * (host.pcb_mm = host.paddle_mm = 0). docs/channels.md, "The cpc preset".
 */
#include "ls_presets.h"

const char *const lsi_cpc_overrides[] = { "host.pcb_mm=0", "host.paddle_mm=0", "host.connector_ff=10",
                                          "tx.swing_vpp=0.826", "tx.ffe_pre=-0.08", "tx.snr_db=33",
                                          "tx.filter=gaussian", "tx.bw_ghz=0", "jitter.rj_ui=0.01",
                                          "jitter.dj_ui=0.04", "rx.filter=butterworth", "rx.bw_ghz=0",
                                          "rx.eta0_v2_ghz=6e-9", "adc.enable=true", "ffe.taps=16", "ffe.pre=5",
                                          "dfe.taps=1", "dfe.limit=0.85", "cdr.type=mm",
                                          "run.warmup_symbols=2048", NULL };

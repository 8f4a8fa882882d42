/*
 * Internal to sim/: the plain Monte Carlo run (run.c) and the PMD class runs (pmd_class.c).
 */
#ifndef LS_SIM_INTERNAL_H
#define LS_SIM_INTERNAL_H

#include "lanesim/link.h"
#include "lanesim/run.h"

/* ls_run without the class dispatch: the link of c as its keys say. */
ls_status lsi_run_plain(const ls_config *c, ls_progress_fn progress, void *ctx, ls_run_result *r, char *msg,
                        size_t cap);
/* A class preset's run (class.budget; docs/classes.md): every lane, r = the worst lane with r->cls. */
ls_status lsi_class_run(const ls_config *c, ls_progress_fn progress, void *ctx, ls_run_result *r, char *msg,
                        size_t cap);

/* The class runs' shared steps (sim/pmd_class.c): key=v into c; TDECQ (dB) at tp; modulator.bw_ghz tuned
   until the TDECQ at TP3 is want (the TDECQ and bandwidth reached into *tdecq_db, *bw_ghz); laser.power_dbm
   for a launch OMA_outer of oma_dbm; the statistical BER (after the inner code's closed form if inner). */
ls_status lsi_class_setv(ls_config *c, const char *key, double v, char *msg, size_t cap);
double lsi_class_tdecq_at(const ls_config *c, ls_link_tp tp, char *msg, size_t cap);
ls_status lsi_class_tune_tx(ls_config *c, double baud, double want, double *tdecq_db, double *bw_ghz, char *msg,
                            size_t cap);
ls_status lsi_class_set_oma(ls_config *c, double oma_dbm, char *msg, size_t cap);
double lsi_class_stat_ber(const ls_config *c, double target, int inner, char *msg, size_t cap);
/* The worst case's receiver into c (sim/class_rx.c): calibrated to SRS (class.rx_calibrate) or the
   thermal-noise closed form; into k's tia_noise_pa_rthz and rx_cal fields. */
ls_status lsi_class_receiver(ls_config *c, double baud, ls_class_result *k, char *msg, size_t cap);

#endif

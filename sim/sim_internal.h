/*
 * Internal to sim/: the plain Monte Carlo run (run.c) and the PMD class runs (pmd_class.c).
 */
#ifndef LS_SIM_INTERNAL_H
#define LS_SIM_INTERNAL_H

#include "lanesim/run.h"

/* ls_run without the class dispatch: the link of c as its keys say. */
ls_status lsi_run_plain(const ls_config *c, ls_progress_fn progress, void *ctx, ls_run_result *r, char *msg,
                        size_t cap);
/* A class preset's run (class.budget; docs/classes.md): every lane, r = the worst lane with r->cls. */
ls_status lsi_class_run(const ls_config *c, ls_progress_fn progress, void *ctx, ls_run_result *r, char *msg,
                        size_t cap);

#endif

/*
 * lanesim cluster (docs/cluster.md), shared between cli/cmd_cluster.c (options, the per-lane
 * figures, the runs), cli/cluster_out.c (table, JSON, CSV, plots) and the study's cluster summary
 * (cli/study_out.c).
 */
#ifndef LS_CLI_CLUSTER_H
#define LS_CLI_CLUSTER_H

#include <stddef.h>

#include "lanesim/cluster.h"

/** One run of the cluster: the policy it applies to the scale-out tiers (NULL: as configured). */
typedef struct {
    const char *policy;
    ls_cluster_result r;
} cluster_run;

/** Where the lane figures came from, for the reader. */
typedef struct {
    const ls_cluster_arch *a;
    size_t n;
    const char *source; /* "study.json", "recomputed (the study's code path)", "this study" */
} cluster_lanes;

/** The table on stdout: one run's tiers, or the runs side by side. */
void cluster_print(const ls_config *c, const cluster_lanes *l, const cluster_run *runs, size_t nr);
/** --json F, --csv F and --plot F (plot also F's "-energy" sibling): 0, or an exit status after
 * printing why. */
int cluster_write(const ls_config *c, const cluster_lanes *l, const cluster_run *runs, size_t nr,
                  const char *json, const char *csv, const char *plot);
/** Runs c under each policy (runs[i].policy; NULL: as configured): 0, or an exit status after
 * printing why. */
int cluster_compute_runs(const ls_config *c, const cluster_lanes *l, cluster_run *runs, size_t nr);

/** The study's cluster summary on stdout: the default cluster under lowest-energy and under each
    architecture, with the study's own reach and energy (a[0..n), its reach rows). */
void cluster_study_summary(const ls_cluster_arch *a, size_t n);

#endif

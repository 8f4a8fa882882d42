/*
 * Statistical eye, shared by the files of phy/stateye/ (model and pipeline: stateye.c's header
 * comment and docs/statistical.md): the tuning constants, a sample distribution (se_dist) and
 * its coarse view (se_view), the phase-grid context (se_ctx), and the cross-file calls.
 *
 * Calls go one way: in the order stateye_dfe.c, stateye.c, stateye_grid.c, stateye_jitter.c, stateye_tail.c a
 * file calls only files after it (the prototypes below are grouped by the file that defines them).
 */
#ifndef LS_STATEYE_INTERNAL_H
#define LS_STATEYE_INTERNAL_H

#include <stddef.h>

#include "lanesim/stateye.h"

#define SE_GH 64                          /* Gauss-Hermite nodes per Dirac */
#define SE_SKIP 0.5                       /* cursors with |c| lmax < SE_SKIP * w go to the Gaussian */
#define SE_RTOL 1e-13                     /* relative truncation of the tail sums */
#define SE_ZONE 9.0                       /* Q(z) taken as 1 for z < -9 (error 1.1e-19) */
#define SE_FLOOR 1e-300                   /* floor of a probability before its logarithm */
#define SE_LOG_FLOOR (-690.7755278982137) /* ln 1e-300: interpolated values below are 0 */
#define SE_JIT_PER_UI 64      /* with jitter the phase grid has at least 64 points per UI, */
#define SE_JIT_MAX_PER_UI 256 /* and a step <= rj down to 1/256 UI */
#define SE_RJ_TRUNC 13.0      /* sampled RJ Gaussian kept to +-13 rj (tail 1e-38) */
#define SE_MIX_CAP 4          /* a jitter mixture has at most SE_MIX_CAP * n_bins bins */
#define SE_COARSE 64.0        /* coarse views: points at most sigma/64 apart */

/* A sample distribution before noise: P(Y = y_k) = p[k] for k in [lo, hi], y_k = y0 + k w on a
 * uniform grid (mu NULL), or y_k = y0 + mu[k] for a coarse view whose bin k also carries its own
 * noise 1/sigma_k = is[k]; plus N(0, sigma^2). Positions increase with k. */
typedef struct {
    const double *p;
    const double *mu;
    const double *is;
    long lo, hi;
    double y0, w, sigma;
} se_dist;

/* Scratch for one coarse view. */
typedef struct {
    double *p, *mu, *is;
} se_view;

typedef struct {
    unsigned M, R;
    double bits; /* log2 M */
    double lv[LS_STATEYE_MAX_LEVELS];
    double lmax; /* max |lv|: the ISI support scales with it */
    double ev2;  /* E[v^2] */
    double th[LS_STATEYE_MAX_LEVELS - 1];
    double h0n; /* pulse[main_index] */
    double sn2; /* sigma_noise^2 */
    int jitter;
    int n_dirac;          /* 1 (no DJ) or 2 */
    double mu_g[2], rj_g; /* Dirac offsets and rj in grid steps */
    int n_node;           /* jitter nodes: offsets (grid units) and weights */
    double node_x[2 * SE_GH], node_w[2 * SE_GH];
    long jw; /* eye phases j/sps, |j| <= jw */
    long g0; /* grid index of array element 0 */
    long n_grid;
    long jmin, jmax; /* cursor index range */
    size_t n_cur;    /* jmax - jmin (j = 0 excluded) */
    size_t nb;
    long c0;       /* bin of ISI = 0 */
    double w;      /* bin width (V) */
    double *cur;   /* [n_grid][n_cur] */
    double *h0;    /* [n_grid] */
    double *pdf;   /* [n_grid][nb] */
    long *lo, *hi; /* [n_grid] supports */
    double *vex;   /* [n_grid] sigma_e^2 - sigma_noise^2 (unclamped) */
    double *sig;   /* [n_grid] sigma_e */
    double *sere;  /* [n_grid][M-1] ser_eye without jitter */
    double *tmp;   /* [nb] convolution scratch */
    double *srt;   /* [n_cur] sorted cursors */
    double *pm;    /* [n_grid] jitter PMF on the grid */
    double *mix;   /* [M][cap] mixtures */
    size_t mix_cap;
    double *vbuf; /* coarse-view storage */
    se_view view[LS_STATEYE_MAX_LEVELS];
} se_ctx;

/* ---- stateye.c ---------------------------------------------------------------------------- */

/* 1 when cfg is a valid configuration for ls_stateye_run (every field in range). */
int lsi_stateye_valid(const ls_stateye_config *c);

/* ---- stateye_grid.c: the phase grid (pipeline steps 1-3) -------------------------------- */

/* Fill *x for a validated config: levels and thresholds, jitter nodes, phase grid, cursors, bin
 * width, per-phase ISI PMFs and ser_eye at the fixed thresholds. LS_EINVAL (levels) or LS_ENOMEM;
 * on any return *x may hold allocations: release them with lsi_stateye_free. */
ls_status lsi_stateye_prepare(se_ctx *x, const ls_stateye_config *c);
void lsi_stateye_free(se_ctx *x);
se_dist lsi_stateye_grid_dist(const se_ctx *x, long gi, unsigned l);

/* ---- stateye_jitter.c: jitter nodes, bathtub, jitter mixtures (steps 1, 4, 5) ------------ */

long lsi_stateye_jitter_nodes(se_ctx *x, const ls_stateye_config *c);
void lsi_stateye_bathtub(const se_ctx *x, unsigned sps, double *ly, double *dy,
                         ls_stateye_result *res);
void lsi_stateye_jitter_pmf(se_ctx *x, long g, long *mlo, long *mhi);
se_dist lsi_stateye_mix_dist(se_ctx *x, long mlo, long mhi, unsigned l);

/* ---- stateye_tail.c: tail sums and eye edges of one distribution (steps 3, 5) ------------ */

se_dist lsi_stateye_coarsen(const se_dist *f, const se_view *v);
double lsi_stateye_tail_ge(const se_dist *d, double u, double *dens);
double lsi_stateye_tail_lt(const se_dist *d, double u, double *dens);
double lsi_stateye_edge_lo(const se_dist *d, double T);
double lsi_stateye_edge_hi(const se_dist *d, double T);

#endif

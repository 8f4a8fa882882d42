/*
 * lanesim sweep, shared between cli/cmd_sweep.c (options, grid, driver), cli/sweep_eval.c (evaluating
 * the points), cli/sweep_out.c (table, CSV, JSON) and, in MPI builds only, cli/sweep_mpi.c (spreading
 * the points over ranks, gathering on rank 0).
 */
#ifndef LS_CLI_SWEEP_H
#define LS_CLI_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lanesim/config.h"

#define SWEEP_MAX_PARAMS 8
#define SWEEP_MAX_VALUES 4096
#define SWEEP_MAX_POINTS 100000
#define SWEEP_MAX_EYES 7

/*
 * Metrics, as bits: a point evaluates every metric asked for, and the CSV columns follow this order
 * whatever the order on the command line. SW_BER and SW_EYE share one evaluation (one Monte Carlo run,
 * or one statistical analysis with --mode stat); SW_REACH is its own search; SW_ENERGY is the power
 * model of the point's configuration (lanesim/energy.h; no simulation); SW_COM is the IEEE 802.3 COM
 * of the point's analytic channel (ls_com_preset, docs/com.md).
 */
enum { SW_BER = 1u, SW_EYE = 2u, SW_REACH = 4u, SW_ENERGY = 8u, SW_COM = 16u };

/* One point's results. Plain data (no pointers), so MPI moves it between ranks as bytes. */
typedef struct {
    int32_t st;      /* ls_status of the evaluation */
    char msg[256];   /* its reason when st != LS_OK */
    double ber, lo, hi, ser, stat_ber, snr_eq_db;
    uint64_t bits, bit_errors;
    unsigned n_eyes; /* sub-eyes measured (levels - 1) */
    double eye_height_v[SWEEP_MAX_EYES], eye_width_ui[SWEEP_MAX_EYES];
    double reach_m, stat_reach_m, reach_ber, margin_db, penalty_db;
    char limited_by[32];
    char reach_check[16];  /* ls_reach_check_name */
    int32_t rx_failed;     /* Monte Carlo: the receiver lost the data (ls_run_result.rx_failed) */
    char rx_failed_reason[16];
    int32_t inner_fec;     /* link.inner_fec = true: only the rate changed (cli_inner_fec_rate_only) */
    double pj_per_bit, module_pj_per_bit, total_mw;
    double com_db, erl_db;  /* IEEE COM (worst package case) and ERL (NAN when the configuration has none) */
    int32_t com_pass;
    char com_config[64];    /* the COM configuration used */
} sweep_result;

typedef struct {
    char key[128];
    char *values[SWEEP_MAX_VALUES];
    unsigned n;
} sweep_param;

typedef struct {
    const char *input;        /* PRESET or FILE.ini as given */
    char **assign;            /* the -s overrides, in order */
    int n_assign;
    sweep_param prm[SWEEP_MAX_PARAMS];
    unsigned np;
    unsigned metrics;         /* SW_* bits */
    const char *com_config;   /* --com-config NAME|FILE; NULL: by each point's symbol rate (cli_com_default_config) */
    int stat;                 /* --mode stat */
    unsigned eye_levels;      /* PAM-M of every point, 0 when the modulation is swept over different M */
    unsigned shard_i, shard_n; /* --shard I/N (point i belongs to shard i % N); shard_n = 0 without */
    uint64_t id;              /* fingerprint of the sweep (configuration, grid, metrics, mode) */
    size_t n_pts;             /* the whole grid */
    ls_config **cfg;          /* [n_pts] each point's configuration */
    sweep_result *res;        /* [n_pts] results (only this shard's points are evaluated) */
} sweep;

/* 1 when point i belongs to this run's shard (every point without --shard). */
static inline int sweep_mine(const sweep *s, size_t i)
{
    return s->shard_n == 0 || i % s->shard_n == s->shard_i;
}

/* The MPI rank (of size) that evaluates point i of the shard: its position j among the shard's points,
   j % size (round robin, so ranks get similar shares of any region of the grid). */
static inline int sweep_rank_of(const sweep *s, size_t i, int size)
{
    size_t j = s->shard_n ? i / s->shard_n : i;
    return (int)(j % (size_t)size);
}

/* Evaluates this process's points (sweep_mine, sweep_rank_of) on up to `threads` threads, a progress
   bar on stderr when bar; each point's result into s->res. 0, or -1 when out of memory. */
int sweep_run_points(sweep *s, int rank, int size, long threads, int bar);

/* The stdout table (sep "  ") or the CSV (sep ","): a header line, then one row per point of the shard. */
void sweep_write_rows(const sweep *s, FILE *f, const char *sep);
/* The CSV file: for a shard, first the line "# lanesim sweep shard I/N: P points, sweep ID" that
   `lanesim merge` checks; then sweep_write_rows. */
void sweep_write_csv(const sweep *s, FILE *f);
struct cJSON;
/* The JSON document of --json (docs/cli.md). NULL when out of memory. */
struct cJSON *sweep_json(const sweep *s);

/*
 * MPI (cli/sweep_mpi.c, built with -DLANESIM_MPI=ON): sweep_mpi_init starts MPI when the process was
 * launched by mpirun/mpiexec or a PMI/PMIx launcher (it looks at their environment variables), and
 * returns the rank and the number of ranks (0 and 1 otherwise); local is the number of ranks on this
 * node. sweep_mpi_agree returns the largest rc over the ranks (every rank calls it). sweep_mpi_gather
 * moves every evaluated result to rank 0: rank r evaluated the shard's points at positions j with
 * j % size == r in point order. Without MPI these are no-ops for one rank.
 */
#ifdef LANESIM_HAVE_MPI
void sweep_mpi_init(int *rank, int *size, int *local);
int sweep_mpi_agree(int rc);
int sweep_mpi_gather(sweep *s, int rank, int size);
void sweep_mpi_finalize(void);
#else
static inline void sweep_mpi_init(int *rank, int *size, int *local)
{
    *rank = 0;
    *size = 1;
    *local = 1;
}
static inline int sweep_mpi_agree(int rc)
{
    return rc;
}
static inline int sweep_mpi_gather(sweep *s, int rank, int size)
{
    (void)s;
    (void)rank;
    (void)size;
    return 0;
}
static inline void sweep_mpi_finalize(void)
{
}
#endif

#endif

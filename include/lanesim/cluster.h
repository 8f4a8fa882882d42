/**
 * @file cluster.h
 * From lanes to clusters: the interconnect of an AI cluster (a scale-up domain and the tiers of a
 * scale-out Clos / fat-tree) counted link by link, with each link's architecture chosen by a policy
 * from per-lane reach and energy that lanesim's own study computed (docs/cluster.md).
 *
 * The cluster is a configuration store (lanesim/config.h) of the cluster's own keys: sections
 * cluster, scaleup, scaleout, tier1..tier4, cost, reliability, shoreline. It is read from an INI
 * file (ls_config_read_ini) and `-s section.key=value`, validated key by key as any configuration.
 *
 * The per-lane figures are an architecture table (ls_cluster_arch): a study's reach and energy per
 * bit per architecture and lane rate, never typed in by hand (the command takes them from a study
 * JSON or recomputes them with the study's code path).
 *
 * Counting conventions (one lane = one lane in one direction, as in lanesim/energy.h):
 *   lanes       = 2 m L                   (L links, m lanes per direction per link)
 *   power       = lanes x E_bit x R       (E_bit pJ/bit of the architecture at the lane rate R)
 *   cables      = lanes / w               (a twinax pair, or a fibre carrying w wavelengths)
 *   modules     = pluggable: 2 L ceil(m / n_mod); CPO: ceil(lanes / n_eng); copper: 0
 *   connection points = L x N_cp(class);   failures/day = 24e-9 (sum N_cp FIT_cp + modules FIT_mod)
 *   cost        = $/Gb/s x 2 m L r        (r the lane's payload rate: the capacity at both ends)
 */
#ifndef LS_CLUSTER_H
#define LS_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/config.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LS_CLUSTER_MAX_ARCH 64
#define LS_CLUSTER_MAX_OUT 4 /**< scale-out tiers at most */
#define LS_CLUSTER_MAX_TIERS                                                                       \
    (1 + LS_CLUSTER_MAX_OUT) /**< the scale-up tier, then the scale-out ones */
#define LS_CLUSTER_BINS 64   /**< equal-probability bins of a continuous length law */

/** What an architecture is made of, for the counts: a cable, pluggable modules, or co-packaged
 * engines. */
typedef enum { LS_CLUSTER_COPPER, LS_CLUSTER_PLUGGABLE, LS_CLUSTER_CPO } ls_cluster_class;

/** One architecture at one lane rate, from a study. */
typedef struct {
    char name[32];            /**< the study's architecture name (e.g. "dsp-retimed") */
    char preset[32];          /**< its preset (classifies it: ls_cluster_class_of) */
    double rate_gbps;         /**< lane (line) rate, Gb/s */
    double reach_m;           /**< the reach the study reports (0: none) */
    double pj_per_bit;        /**< end to end: host SerDes TX + RX and module (lanesim/energy.h) */
    double module_pj_per_bit; /**< the module / optical engine alone */
} ls_cluster_arch;

/** The class of an architecture by its preset and name: copper and cpc presets -> copper; a name or
    preset starting with "cpo" -> CPO; anything else -> pluggable. */
ls_cluster_class ls_cluster_class_of(const char *preset, const char *name);
/** "copper", "pluggable", "cpo". */
const char *ls_cluster_class_name(ls_cluster_class k);

/** A configuration of the cluster keys at their defaults (the 100,000-GPU default cluster of
    docs/cluster.md). NULL on allocation failure. Destroy with ls_config_destroy. */
ls_config *ls_cluster_config_create(void);

/** One architecture's share of a tier. */
typedef struct {
    int arch;        /**< index into the architecture table */
    double fraction; /**< of the tier's links */
    uint64_t links;
} ls_cluster_share;

/** One tier's counts and figures. */
typedef struct {
    char name[16];          /**< "scale-up", "tier1", ... */
    char architecture[128]; /**< the architecture, or several joined by '+' (lowest-energy, mixed
                               lengths) */
    char policy[32];        /**< as configured */
    double rate_gbps, payload_gbps; /**< lane (line) and payload rate */
    unsigned lanes_per_dir;         /**< m */
    double len_min_m, len_max_m;
    uint64_t links, lanes, modules, cables, connection_points, switches;
    double power_w, module_power_w, pj_per_bit, cost_usd, failures_per_day;
    double uncovered; /**< fraction of links longer than the chosen architecture's reach */
    size_t n_share;
    ls_cluster_share share[LS_CLUSTER_MAX_ARCH];
} ls_cluster_tier;

/** The whole cluster. */
typedef struct {
    uint64_t gpus, endpoints; /**< GPUs; scale-out NIC ports */
    size_t n_tiers;           /**< 1 (scale-up) + scale-out tiers */
    ls_cluster_tier tier[LS_CLUSTER_MAX_TIERS];
    double total_power_w, module_power_w, power_per_gpu_w, pj_per_bit, cost_usd, failures_per_day;
    double scaleout_power_w; /**< the scale-out tiers alone */
    int energy_module_scope; /**< 1: power counts modules / engines only (cluster.energy_scope =
                                module) */
    size_t n_arch;
    double shoreline_tbps_per_mm[LS_CLUSTER_MAX_ARCH]; /**< per architecture of the table,
                                                          bidirectional */
} ls_cluster_result;

/**
 * Counts the cluster c (from ls_cluster_config_create) with the architectures archs[0..n_arch).
 * LS_EINVAL with a one-line reason in msg ("key: reason", the key's INI line via ls_config_blame)
 * for a policy naming no architecture at the tier's lane rate, a lowest-energy tier whose longest
 * link no architecture reaches, too few scale-out tiers for the GPUs, or inconsistent keys.
 * Allocates nothing.
 */
LS_NODISCARD ls_status ls_cluster_compute(const ls_config *c, const ls_cluster_arch *archs,
                                          size_t n_arch, ls_cluster_result *r, char *msg,
                                          size_t cap);

#ifdef __cplusplus
}
#endif
#endif

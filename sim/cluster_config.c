/*
 * The cluster's keys (include/lanesim/cluster.h; every default and its source in docs/cluster.md):
 * a configuration store of its own schema (phy/config.c), not a link preset, so it is read by
 * ls_config_read_ini and `-s` like any configuration and validated key by key.
 *
 * Defaults: the workshop's cluster (../shared/REFERENCES.md §1): 100,000 GPUs; an NVL72-class
 * scale-up domain (72 GPUs, 18 links per GPU of 2 x 200G lanes per direction, 18 switch chips); a
 * three-tier scale-out fat-tree of 102.4 Tb/s switches (512 lanes x 200 Gb/s = 128 ports of 4
 * lanes) with an 800 Gb/s NIC per GPU.
 */
#include <stddef.h>

#include "lanesim/cluster.h"
#include "ls_config_internal.h"

#define LENGTH_KEYS(sec, lo, hi)                                                                   \
    {sec ".length",                                                                                \
     LS_P_ENUM,                                                                                    \
     "uniform",                                                                                    \
     "",                                                                                           \
     0,                                                                                            \
     0,                                                                                            \
     "uniform|triangular|list",                                                                    \
     0,                                                                                            \
     "link length law: uniform or triangular over [length_min_m, length_max_m], or length_list"},  \
        {sec ".length_min_m",                                                                      \
         LS_P_REAL,                                                                                \
         lo,                                                                                       \
         "m",                                                                                      \
         0,                                                                                        \
         1e5,                                                                                      \
         NULL,                                                                                     \
         0,                                                                                        \
         "shortest link (uniform, triangular)"},                                                   \
        {sec ".length_max_m",                                                                      \
         LS_P_REAL,                                                                                \
         hi,                                                                                       \
         "m",                                                                                      \
         0,                                                                                        \
         1e5,                                                                                      \
         NULL,                                                                                     \
         0,                                                                                        \
         "longest link (uniform, triangular)"},                                                    \
        {sec ".length_mode_m",                                                                     \
         LS_P_REAL,                                                                                \
         "0",                                                                                      \
         "m",                                                                                      \
         0,                                                                                        \
         1e5,                                                                                      \
         NULL,                                                                                     \
         0,                                                                                        \
         "most likely length (triangular; within [min, max])"},                                    \
        {sec ".length_list",                                                                       \
         LS_P_STRING,                                                                              \
         "",                                                                                       \
         "",                                                                                       \
         0,                                                                                        \
         0,                                                                                        \
         NULL,                                                                                     \
         0,                                                                                        \
         "length:fraction pairs, e.g. 2:0.25,10:0.75 (length = list; fractions sum to 1)"},        \
    {                                                                                              \
        sec ".policy", LS_P_STRING, "lowest-energy", "", 0, 0, NULL, 0,                            \
            "an architecture of the study (name or unique prefix: dsp, lpo, cpo, copper-26awg), "  \
            "or lowest-energy"                                                                     \
    }

#define TIER_KEYS(sec, lo, hi)                                                                     \
    LENGTH_KEYS(sec, lo, hi),                                                                      \
    {                                                                                              \
        sec ".oversubscription", LS_P_REAL, "1", "", 1, 64, NULL, 0,                               \
            "down:up bandwidth of the switches this tier's links rise from (tier1: the NIC, must " \
            "be 1)"                                                                                \
    }

static const ls_param_def defs[] = {
    {"cluster.gpus", LS_P_INT, "100000", "", 1, 1e9, NULL, 0, "GPUs in the cluster"},
    {"cluster.energy_scope", LS_P_ENUM, "link", "", 0, 0, "link|module", 0,
     "power of a lane: link = host SerDes TX + RX and module (end to end); module = module / "
     "engine alone"},
    {"scaleup.domain_gpus", LS_P_INT, "72", "", 1, 1e6, NULL, 0,
     "GPUs per scale-up domain (NVL72: 72)"},
    {"scaleup.links_per_gpu", LS_P_INT, "18", "", 0, 1e4, NULL, 0,
     "scale-up links per GPU (0: no scale-up tier)"},
    {"scaleup.lanes_per_dir", LS_P_INT, "2", "", 1, 64, NULL, 0,
     "lanes per link in each direction"},
    {"scaleup.lane_rate_gbps", LS_P_REAL, "212.5", "Gb/s", 1, 1e4, NULL, 0,
     "lane (line) rate: a rate of the study (212.5 = 200G lane)"},
    {"scaleup.switch_lanes", LS_P_INT, "144", "", 1, 1e6, NULL, 0,
     "lanes per direction of a scale-up switch chip (NVL72: 72 x 18 x 2 / 18 chips = 144)"},
    LENGTH_KEYS("scaleup", "0.3", "1"),
    {"scaleout.tiers", LS_P_INT, "3", "", 0, LS_CLUSTER_MAX_OUT, NULL, 0,
     "scale-out tiers of the fat-tree (0: none)"},
    {"scaleout.nic_gbps", LS_P_REAL, "800", "Gb/s", 1, 1e6, NULL, 0,
     "scale-out NIC bandwidth per GPU (payload; a multiple of the port's)"},
    {"scaleout.radix", LS_P_INT, "128", "", 2, 1e5, NULL, 0,
     "ports per switch (102.4 Tb/s: 128 x 800G)"},
    {"scaleout.lanes_per_port", LS_P_INT, "4", "", 1, 64, NULL, 0,
     "lanes per port in each direction"},
    {"scaleout.lane_rate_gbps", LS_P_REAL, "212.5", "Gb/s", 1, 1e4, NULL, 0,
     "lane (line) rate: a rate of the study (212.5 = 200G lane)"},
    TIER_KEYS("tier1", "3", "30"),
    TIER_KEYS("tier2", "20", "150"),
    TIER_KEYS("tier3", "100", "500"),
    TIER_KEYS("tier4", "200", "2000"),
    {"module.pluggable_lanes", LS_P_INT, "4", "", 1, 64, NULL, 0,
     "lanes per direction of a pluggable module (800G OSFP: 4 x 200G)"},
    {"module.cpo_engine_lanes", LS_P_INT, "32", "", 1, 4096, NULL, 0,
     "lanes per direction of a CPO optical engine (6.4 Tb/s: 32 x 200G)"},
    {"cost.copper_usd_per_gbps", LS_P_REAL, "0.05", "$/(Gb/s)", 0, 1e3, NULL, 0,
     "copper cable (DAC, cpc)"},
    {"cost.lpo_usd_per_gbps", LS_P_REAL, "0.35", "$/(Gb/s)", 0, 1e3, NULL, 0,
     "linear-drive pluggable"},
    {"cost.dsp_usd_per_gbps", LS_P_REAL, "0.5", "$/(Gb/s)", 0, 1e3, NULL, 0,
     "DSP pluggable (workshop: ~0.5 today); every other pluggable"},
    {"cost.cpo_usd_per_gbps", LS_P_REAL, "0.1", "$/(Gb/s)", 0, 1e3, NULL, 0,
     "co-packaged optics (the workshop's ~0.1 target)"},
    {"reliability.cp_copper", LS_P_REAL, "2", "", 0, 100, NULL, 0,
     "connection points per copper link"},
    {"reliability.cp_pluggable", LS_P_REAL, "6", "", 0, 100, NULL, 0,
     "connection points per pluggable link (workshop: 6)"},
    {"reliability.cp_cpo", LS_P_REAL, "1", "", 0, 100, NULL, 0,
     "connection points per CPO link (workshop: 1)"},
    {"reliability.fit_connection_point", LS_P_REAL, "20", "FIT", 0, 1e9, NULL, 0,
     "failures per 1e9 h of one connection point"},
    {"reliability.fit_pluggable", LS_P_REAL, "200", "FIT", 0, 1e9, NULL, 0,
     "failures per 1e9 h of one pluggable module"},
    {"reliability.fit_cpo_engine", LS_P_REAL, "400", "FIT", 0, 1e9, NULL, 0,
     "failures per 1e9 h of one CPO engine (its laser source included)"},
    {"shoreline.fibre_pitch_um", LS_P_REAL, "127", "um", 1, 1e4, NULL, 0,
     "fibre pitch at a CPO engine's edge"},
    {"shoreline.wavelengths_per_fibre", LS_P_INT, "1", "", 1, 64, NULL, 0,
     "wavelengths per fibre of a CPO engine (1: one lane per fibre, as the study's cpo)"},
    {"shoreline.panel_width_mm", LS_P_REAL, "440", "mm", 1, 1e4, NULL, 0,
     "usable front-panel width (19-inch rack)"},
    {"shoreline.panel_modules", LS_P_INT, "32", "", 1, 1e4, NULL, 0,
     "pluggable cages across one panel (1RU)"},
};

ls_config *ls_cluster_config_create(void)
{
    const size_t n = sizeof defs / sizeof defs[0];
    const ls_param_def *p[sizeof defs / sizeof defs[0]];
    for (size_t i = 0; i < n; i++)
        p[i] = &defs[i];
    ls_status st;
    return lsi_config_new("cluster", p, n, &st);
}

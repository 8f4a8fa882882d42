/*
 * The cluster roll-up (sim/cluster.c, `lanesim cluster`, docs/cluster.md) against closed forms: the
 * NVL72 scale-up domain's 72 x 18 x 4 = 5,184 copper lanes; k-ary fat-tree counts (k^2/2 hosts with
 * k leaves and k/2 spines; k^3/4 hosts with 5k^2/4 switches; an oversubscribed leaf-spine); the
 * 100,000-GPU three-tier DSP cluster's power as lanes x pJ/bit x rate, and CPO scaling it by the
 * ratio of pJ/bit; the policy and the power following the per-lane figures when a study's numbers
 * change; bad input naming file, line, key.
 *
 * The per-lane figures of the CLI tests are tests/data/cluster/study_212.json: the 212.5 Gb/s rows
 * of docs/study.md's results table in study.json's shape.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lanesim/cluster.h"
#include "util.h"

#define FIXTURE LS_SOURCE_DIR "/tests/data/cluster/study_212.json"

/* The 212.5 Gb/s lanes of the fixture (docs/study.md): name, preset, reach (m), pJ/bit end to end,
 * module. */
static const ls_cluster_arch LANES[] = {
    {"copper-26awg", "copper", 212.5, 1.89, 4.25, 0},
    {"copper-30awg", "copper", 212.5, 1.29, 4.25, 0},
    {"lpo", "lpo", 212.5, 0, 13.1, 8.87},
    {"dsp-retimed", "dsp-retimed", 212.5, 10600, 23.1, 18.9},
    {"cpo", "cpo", 212.5, 106, 9.99, 5.77},
};
#define N_LANES (sizeof LANES / sizeof LANES[0])

static ls_config *cfg(const char *const *set)
{
    ls_config *c = ls_cluster_config_create();
    cr_assert(c != NULL);
    char msg[256];
    for (; set && *set; set++)
        cr_assert(eq(int, ls_config_set_assignment(c, *set, msg, sizeof msg), LS_OK), "%s: %s",
                  *set, msg);
    return c;
}

static ls_cluster_result run(const char *const *set, const ls_cluster_arch *a, size_t n)
{
    ls_config *c = cfg(set);
    static ls_cluster_result r;
    char msg[512] = "";
    cr_assert(eq(int, ls_cluster_compute(c, a, n, &r, msg, sizeof msg), LS_OK), "%s", msg);
    ls_config_destroy(c);
    return r;
}

Test(cluster, nvl72_domain_is_5184_copper_lanes_and_cables, .timeout = LS_TIMEOUT(10))
{
    static const char *const set[] = {"cluster.gpus=72", "scaleout.tiers=0", NULL};
    ls_cluster_result r = run(set, LANES, N_LANES);
    const ls_cluster_tier *u = &r.tier[0];
    cr_assert(eq(sz, r.n_tiers, 1));
    cr_assert(eq(u64, u->links, 72 * 18));
    cr_assert(eq(u64, u->lanes, 72 * 18 * 4), "72 GPUs x 18 links x 2 lanes x 2 directions");
    cr_assert(eq(u64, u->cables, 5184), "one twinax pair per lane and direction");
    cr_assert(eq(u64, u->modules, 0));
    cr_assert(eq(u64, u->switches, 18), "NVL72: 18 switch chips of 144 lanes per direction");
    cr_assert(eq(str, (char *)u->architecture, "copper-26awg"),
              "lowest-energy over 0.3..1 m: copper (tie -> first)");
    cr_assert(eq(u64, u->connection_points, 72 * 18 * 2));
    /* power: lanes x pJ/bit x rate */
    cr_assert(ieee_ulp_eq(dbl, u->power_w, 5184 * 4.25 * 212.5e-3, 8), "%.10g W", u->power_w);
}

Test(cluster, leaf_spine_and_three_tier_fat_tree_counts_are_exact, .timeout = LS_TIMEOUT(10))
{
    /* 2 tiers, radix k = 8, one 200G lane per port: k^2/2 = 32 hosts, k = 8 leaves, k/2 = 4 spines
     */
    static const char *const two[] = {
        "cluster.gpus=32",  "scaleup.links_per_gpu=0",   "scaleout.tiers=2",
        "scaleout.radix=8", "scaleout.lanes_per_port=1", "scaleout.nic_gbps=200",
        "tier1.policy=dsp", "tier2.policy=dsp",          NULL};
    ls_cluster_result r = run(two, LANES, N_LANES);
    cr_assert(eq(u64, r.endpoints, 32));
    cr_assert(eq(u64, r.tier[1].links, 32));
    cr_assert(eq(u64, r.tier[1].switches, 8));
    cr_assert(eq(u64, r.tier[2].links, 32));
    cr_assert(eq(u64, r.tier[2].switches, 4));
    cr_assert(eq(u64, r.tier[1].modules, 64),
              "a pluggable at each end of each link (1 lane <= 4 per module)");
    cr_assert(eq(u64, r.tier[1].connection_points, 32 * 6));
    /* one host more than k^2/2 does not fit two tiers */
    static const char *const over[] = {"cluster.gpus=33",
                                       "scaleup.links_per_gpu=0",
                                       "scaleout.tiers=2",
                                       "scaleout.radix=8",
                                       "scaleout.lanes_per_port=1",
                                       "scaleout.nic_gbps=200",
                                       NULL};
    ls_config *c = cfg(over);
    char msg[512] = "";
    ls_cluster_result bad;
    cr_assert(eq(int, ls_cluster_compute(c, LANES, N_LANES, &bad, msg, sizeof msg), LS_EINVAL));
    cr_assert(ls_has(msg, "cluster.gpus") && ls_has(msg, "32"), "%s", msg);
    ls_config_destroy(c);
    /* 3 tiers, k = 8: k^3/4 = 128 hosts, k^2/2 leaves + k^2/2 aggregation + k^2/4 core = 5k^2/4 =
     * 80 switches */
    static const char *const three[] = {"cluster.gpus=128",          "scaleup.links_per_gpu=0",
                                        "scaleout.tiers=3",          "scaleout.radix=8",
                                        "scaleout.lanes_per_port=1", "scaleout.nic_gbps=200",
                                        "tier1.policy=dsp",          "tier2.policy=dsp",
                                        "tier3.policy=dsp",          NULL};
    r = run(three, LANES, N_LANES);
    cr_assert(eq(u64, r.tier[1].switches, 32));
    cr_assert(eq(u64, r.tier[2].switches, 32));
    cr_assert(eq(u64, r.tier[3].switches, 16));
    cr_assert(eq(u64, r.tier[1].switches + r.tier[2].switches + r.tier[3].switches, 5 * 8 * 8 / 4));
    for (int t = 1; t <= 3; t++)
        cr_assert(eq(u64, r.tier[t].links, 128));
    /* oversubscribed 3:1 leaf-spine, k = 8: 6 down, 2 up per leaf; k x 6 = 48 hosts, 8 leaves, 16
     * uplinks, 2 spines */
    static const char *const os[] = {"cluster.gpus=48",           "scaleup.links_per_gpu=0",
                                     "scaleout.tiers=2",          "scaleout.radix=8",
                                     "scaleout.lanes_per_port=1", "scaleout.nic_gbps=200",
                                     "tier2.oversubscription=3",  "tier1.policy=dsp",
                                     "tier2.policy=dsp",          NULL};
    r = run(os, LANES, N_LANES);
    cr_assert(eq(u64, r.tier[1].switches, 8));
    cr_assert(eq(u64, r.tier[2].links, 16));
    cr_assert(eq(u64, r.tier[2].switches, 2));
}

/* The brief's cluster: 100,000 GPUs, 800 Gb/s NIC (one port of 4 x 200G lanes), three non-blocking
   tiers of 102.4 Tb/s switches: 3 x 100,000 links of 8 lanes; DSP pluggables at 23.1 pJ/bit end to
   end, 212.5 Gb/s. */
Test(cluster, dsp_cluster_of_100k_gpus_is_tens_of_mw_and_cpo_scales_it_by_the_pj_ratio,
     .timeout = LS_TIMEOUT(10))
{
    static const char *const dsp[] = {"tier1.policy=dsp", "tier2.policy=dsp", "tier3.policy=dsp",
                                      NULL};
    static const char *const cpo[] = {"tier1.policy=cpo", "tier2.policy=cpo", "tier3.policy=cpo",
                                      NULL};
    ls_cluster_result d = run(dsp, LANES, N_LANES);
    const double expect = 3 * 100000.0 * 8 * 23.1 * 212.5e-3;
    cr_assert(eq(u64, d.gpus, 100000));
    cr_assert(eq(sz, d.n_tiers, 4));
    cr_assert(ieee_ulp_eq(dbl, d.scaleout_power_w, expect, 16), "%.10g W vs %.10g",
              d.scaleout_power_w, expect);
    cr_assert(d.scaleout_power_w >= 1e7 && d.scaleout_power_w < 1e8, "tens of MW: %.4g W",
              d.scaleout_power_w);
    cr_assert(eq(u64, d.tier[1].modules + d.tier[2].modules + d.tier[3].modules, 600000),
              "6 modules per GPU");
    ls_cluster_result c = run(cpo, LANES, N_LANES);
    cr_assert(ieee_ulp_eq(dbl, c.scaleout_power_w / d.scaleout_power_w, 9.99 / 23.1, 16),
              "ratio %.12g", c.scaleout_power_w / d.scaleout_power_w);
    cr_assert(ieee_ulp_eq(dbl, c.tier[0].power_w, d.tier[0].power_w, 1),
              "the scale-up tier is untouched");
    /* module scope: the optics alone */
    static const char *const mod[] = {"cluster.energy_scope=module", "tier1.policy=dsp",
                                      "tier2.policy=dsp", "tier3.policy=dsp", NULL};
    ls_cluster_result m = run(mod, LANES, N_LANES);
    cr_assert(ieee_ulp_eq(dbl, m.scaleout_power_w, 3 * 100000.0 * 8 * 18.9 * 212.5e-3, 16));
    cr_assert(eq(dbl, m.tier[0].power_w, 0.0), "passive copper has no module power");
    /* cost: $/Gb/s x capacity at both ends; failures: 24e-9 (N_cp FIT_cp + modules FIT_mod) per day
     */
    cr_assert(ieee_ulp_eq(dbl, d.tier[1].cost_usd, 0.5 * 800000 * 200, 16), "%.10g",
              d.tier[1].cost_usd);
    cr_assert(
        ieee_ulp_eq(dbl, d.tier[1].failures_per_day, 24e-9 * (600000 * 20.0 + 200000 * 200.0), 16));
    cr_assert(
        ieee_ulp_eq(dbl, c.tier[1].failures_per_day, 24e-9 * (100000 * 20.0 + 25000 * 400.0), 16));
}

Test(cluster, lowest_energy_follows_the_per_lane_figures, .timeout = LS_TIMEOUT(10))
{
    static const char *const list[] = {"tier1.length=list", "tier1.length_list=1:0.25,50:0.75",
                                       NULL};
    ls_cluster_result r = run(list, LANES, N_LANES);
    const ls_cluster_tier *t = &r.tier[1];
    cr_assert(eq(str, (char *)t->architecture, "copper-26awg+cpo"), "%s", t->architecture);
    cr_assert(eq(u64, t->share[0].links, 25000));
    cr_assert(eq(u64, t->share[1].links, 75000));
    cr_assert(eq(u64, t->modules, 75000 * 8 / 32), "CPO engines of 32 lanes");
    const double p0 = r.total_power_w;
    /* the study's CPO at 30 pJ/bit: tier1's 50 m links and tier2's go to DSP pluggables, the power
     * rises */
    ls_cluster_arch a[N_LANES];
    memcpy(a, LANES, sizeof a);
    a[4].pj_per_bit = 30;
    ls_cluster_result h = run(list, a, N_LANES);
    cr_assert(eq(str, h.tier[1].architecture, "copper-26awg+dsp-retimed"), "%s",
              h.tier[1].architecture);
    cr_assert(eq(str, h.tier[2].architecture, "dsp-retimed"), "%s", h.tier[2].architecture);
    cr_assert(h.total_power_w > p0);
    /* a CPO reach of 1 km: every scale-out tier goes to CPO */
    memcpy(a, LANES, sizeof a);
    a[4].reach_m = 1000;
    ls_cluster_result far = run(NULL, a, N_LANES);
    for (int k = 1; k <= 3; k++)
        cr_assert(eq(str, far.tier[k].architecture, "cpo"), "tier%d: %s", k,
                  far.tier[k].architecture);
    /* no architecture reaches a 20 km link: an error naming the tier's key */
    static const char *const too_far[] = {"tier3.length_max_m=20000", NULL};
    ls_config *c = cfg(too_far);
    char msg[512] = "";
    cr_assert(eq(int, ls_cluster_compute(c, LANES, N_LANES, &r, msg, sizeof msg), LS_EINVAL));
    cr_assert(ls_has(msg, "tier3.policy"), "%s", msg);
    ls_config_destroy(c);
}

Test(cluster, shoreline_density_closed_form, .timeout = LS_TIMEOUT(10))
{
    ls_cluster_result r = run(NULL, LANES, N_LANES);
    /* CPO: 2N lanes x 200 Gb/s over 2N fibres at 127 um; front panel: 32 modules x 4 lanes x 2 x
     * 200 / 440 mm */
    cr_assert(ieee_ulp_eq(dbl, r.shoreline_tbps_per_mm[4], 0.2 / 0.127, 8), "%.10g",
              r.shoreline_tbps_per_mm[4]);
    cr_assert(ieee_ulp_eq(dbl, r.shoreline_tbps_per_mm[3], 32 * 4 * 2 * 0.2 / 440, 8));
    static const char *const wdm[] = {"shoreline.wavelengths_per_fibre=8", NULL};
    ls_cluster_result w = run(wdm, LANES, N_LANES);
    cr_assert(ieee_ulp_eq(dbl, w.shoreline_tbps_per_mm[4], 8 * 0.2 / 0.127, 8));
}

static int cli(const char *args, char *out, size_t cap)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s cluster %s 2>&1", LS_CLI_PATH, args);
    return ls_test_run(cmd, out, cap);
}

static cJSON *read_json(const char *path)
{
    const char *text = ls_test_slurp(path);
    cr_assert(text != NULL, "%s", path);
    cJSON *j = cJSON_Parse(text);
    cr_assert(j != NULL, "%s: not JSON", path);
    return j;
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, k);
    cr_assert(cJSON_IsNumber(j), "no number %s", k);
    return j->valuedouble;
}

Test(cluster, command_reads_a_study_json_and_follows_its_numbers, .timeout = LS_TIMEOUT(20))
{
    static char out[1 << 16];
    char js[256], st[256], args[1024];
    snprintf(js, sizeof js, "/tmp/ls_cluster_%d.json", (int)getpid());
    snprintf(st, sizeof st, "/tmp/ls_cluster_study_%d.json", (int)getpid());
    snprintf(args, sizeof args, "--study %s --json %s", FIXTURE, js);
    cr_assert(eq(int, cli(args, out, sizeof out), 0), "%s", out);
    cJSON *j = read_json(js);
    static const char *const fields[] = {"gpus", "total_power_w", "power_per_gpu_w", "cost_usd",
                                         "failures_per_day"};
    for (size_t k = 0; k < 5; k++)
        cr_assert(cJSON_GetObjectItemCaseSensitive(j, fields[k]) != NULL, "%s", fields[k]);
    const cJSON *tiers = cJSON_GetObjectItemCaseSensitive(j, "tiers");
    cr_assert(eq(int, cJSON_GetArraySize(tiers), 4));
    static const char *const tf[] = {
        "links",   "lanes",      "modules",  "cables",          "connection_points",
        "power_w", "pj_per_bit", "cost_usd", "failures_per_day"};
    for (size_t k = 0; k < 9; k++)
        (void)num(cJSON_GetArrayItem(tiers, 1), tf[k]);
    cr_assert(cJSON_IsString(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(tiers, 1), "architecture")));
    cr_assert(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "shoreline_tbps_per_mm")));
    const double p0 = num(j, "total_power_w");
    cJSON_Delete(j);
    /* the same study with CPO at 30 pJ/bit: a different choice and a different power */
    cJSON *s = read_json(FIXTURE);
    const cJSON *row;
    cJSON_ArrayForEach(
        row, cJSON_GetObjectItemCaseSensitive(
                 s, "reach")) if (!strcmp(cJSON_GetObjectItemCaseSensitive(row, "architecture")
                                              ->valuestring,
                                          "cpo"))
        cJSON_SetNumberValue(cJSON_GetObjectItemCaseSensitive(
                                 cJSON_GetObjectItemCaseSensitive(row, "energy"), "pj_per_bit"),
                             30);
    char *text = cJSON_Print(s);
    FILE *f = fopen(st, "w");
    cr_assert(f && fputs(text, f) >= 0);
    fclose(f);
    free(text);
    cJSON_Delete(s);
    snprintf(args, sizeof args, "--study %s --json %s", st, js);
    cr_assert(eq(int, cli(args, out, sizeof out), 0), "%s", out);
    j = read_json(js);
    cr_assert(num(j, "total_power_w") > p0 * 1.05, "%.6g vs %.6g W", num(j, "total_power_w"), p0);
    const cJSON *t1 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "tiers"), 1);
    cr_assert(
        eq(str, cJSON_GetObjectItemCaseSensitive(t1, "architecture")->valuestring, "dsp-retimed"));
    cJSON_Delete(j);
    /* --compare prints the policies side by side */
    snprintf(args, sizeof args, "--study %s --compare dsp,lpo,cpo", FIXTURE);
    cr_assert(eq(int, cli(args, out, sizeof out), 0), "%s", out);
    cr_assert(ls_has(out, "policies side by side") && ls_has(out, "dsp-retimed") &&
                  ls_has(out, "total power (MW)"),
              "%s", out);
    unlink(js);
    unlink(st);
}

Test(cluster, bad_input_names_file_line_and_key, .timeout = LS_TIMEOUT(20))
{
    static char out[1 << 14];
    char ini[256], args[1024];
    snprintf(ini, sizeof ini, "/tmp/ls_cluster_bad_%d.ini", (int)getpid());
    static const char *const cases[][3] = {
        {"[cluster]\ngpus = 1000\n[tier2]\nradix = 64\n", ":4:", "tier2.radix"},
        {"[cluster]\ngpus = -3\n", ":2:", "cluster.gpus"},
        {"[tier1]\npolicy = warp-drive\n", ":2:", "tier1.policy"},
        {"[tier2]\nlength = list\nlength_list = 5:0.5,9:0.4\n", ":3:", "tier2.length_list"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        FILE *f = fopen(ini, "w");
        cr_assert(f != NULL);
        fputs(cases[k][0], f);
        fclose(f);
        snprintf(args, sizeof args, "%s --study %s", ini, FIXTURE);
        cr_assert(eq(int, cli(args, out, sizeof out), 2), "case %zu: %s", k, out);
        cr_assert(ls_has(out, ini) && ls_has(out, cases[k][1]) && ls_has(out, cases[k][2]),
                  "case %zu: %s", k, out);
    }
    unlink(ini);
    snprintf(args, sizeof args, "--study %s -s scaleout.nic_gbps=700", FIXTURE);
    cr_assert(eq(int, cli(args, out, sizeof out), 2), "%s", out);
    cr_assert(ls_has(out, "scaleout.nic_gbps"), "%s", out);
    cr_assert(eq(int, cli("--study /nonexistent.json", out, sizeof out), 2), "%s", out);
    snprintf(args, sizeof args, "--study %s --compare dsp,nope", FIXTURE);
    cr_assert(eq(int, cli(args, out, sizeof out), 2), "%s", out);
    cr_assert(ls_has(out, "nope"), "%s", out);
}

/*
 * lanesim cluster's runs and report (cli/cluster.h, docs/cluster.md): the runs under each policy,
 * the table on stdout (one run's tiers, or the
 * --compare runs side by side), the JSON and CSV (SI units: W, $, m, failures per day), the two
 * plots (cluster-power, cluster-energy: plots/plotcluster.c), and the study's cluster summary.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cluster.h"
#include "plotdata.h"

/* An architecture's label: its name, with "@rate" when the table holds more than one lane rate. */
static const char *arch_label(const cluster_lanes *l, size_t i, char *b, size_t cap)
{
    int several = 0;
    for (size_t k = 0; k < l->n; k++)
        several |= l->a[k].rate_gbps != l->a[0].rate_gbps;
    if (several)
        snprintf(b, cap, "%s@%s", l->a[i].name, lsp_num(l->a[i].rate_gbps).s);
    else
        snprintf(b, cap, "%s", l->a[i].name);
    return b;
}

static void print_lanes(const cluster_lanes *l, const ls_cluster_result *r)
{
    printf("lane figures (%s): reach, pJ/bit end to end (module alone), shoreline density\n",
           l->source);
    for (size_t i = 0; i < l->n; i++) {
        char b[64], reach[32];
        const ls_cluster_class k = ls_cluster_class_of(l->a[i].preset, l->a[i].name);
        if (l->a[i].reach_m > 0)
            snprintf(reach, sizeof reach, "%.4g m", l->a[i].reach_m);
        else
            snprintf(reach, sizeof reach, "none");
        printf("  %-26s %-10s %9s %7.3g (%.3g) pJ/bit  %6.3g Tb/s/mm %s\n",
               arch_label(l, i, b, sizeof b), ls_cluster_class_name(k), reach, l->a[i].pj_per_bit,
               l->a[i].module_pj_per_bit, r->shoreline_tbps_per_mm[i],
               k == LS_CLUSTER_CPO ? "(engine edge)" : "(front panel)");
    }
}

static void print_one(const ls_cluster_result *r)
{
    printf("\n%-9s %-14s %-28s %12s %9s %10s %9s %9s %9s %8s %9s %7s %9s %8s\n", "tier", "policy",
           "architecture", "length (m)", "links", "lanes", "modules", "cables", "conn.pts",
           "switches", "power MW", "pJ/bit", "cost $M", "fail/day");
    for (size_t t = 0; t < r->n_tiers; t++) {
        const ls_cluster_tier *x = &r->tier[t];
        char len[32];
        snprintf(len, sizeof len, "%.3g-%.3g", x->len_min_m, x->len_max_m);
        printf(
            "%-9s %-14s %-28s %12s %9llu %10llu %9llu %9llu %9llu %8llu %9.4g %7.3g %9.4g %8.3g\n",
            x->name, x->policy, x->architecture, len, (unsigned long long)x->links,
            (unsigned long long)x->lanes, (unsigned long long)x->modules,
            (unsigned long long)x->cables, (unsigned long long)x->connection_points,
            (unsigned long long)x->switches, x->power_w * 1e-6, x->pj_per_bit, x->cost_usd * 1e-6,
            x->failures_per_day);
    }
    printf("%-9s %-14s %-28s %12s %9s %10s %9s %9s %9s %8s %9.4g %7.3g %9.4g %8.3g\n", "total", "",
           "", "", "", "", "", "", "", "", r->total_power_w * 1e-6, r->pj_per_bit,
           r->cost_usd * 1e-6, r->failures_per_day);
    printf("\n%llu GPUs: %.4g W per GPU (%s), of which the modules / optical engines %.4g MW in "
           "all; scale-out "
           "%.4g MW\n",
           (unsigned long long)r->gpus, r->power_per_gpu_w,
           r->energy_module_scope ? "modules and engines only"
                                  : "end to end: host SerDes and modules",
           r->module_power_w * 1e-6, r->scaleout_power_w * 1e-6);
    for (size_t t = 0; t < r->n_tiers; t++)
        if (r->tier[t].uncovered > 0)
            printf("warning: %s: %.3g %% of the links are longer than %s reaches (policy %s)\n",
                   r->tier[t].name, 100 * r->tier[t].uncovered, r->tier[t].architecture,
                   r->tier[t].policy);
}

static void print_compare(const cluster_run *runs, size_t nr)
{
    printf("\npolicies side by side (applied to the scale-out tiers):\n%-22s", "");
    for (size_t i = 0; i < nr; i++)
        printf(" %20s", runs[i].policy);
    putchar('\n');
    const ls_cluster_result *r0 = &runs[0].r;
    for (size_t t = 0; t < r0->n_tiers; t++) {
        char h[48];
        snprintf(h, sizeof h, "%s architecture", r0->tier[t].name);
        printf("%-22s", h);
        for (size_t i = 0; i < nr; i++)
            printf(" %20.20s", runs[i].r.tier[t].architecture);
        putchar('\n');
        snprintf(h, sizeof h, "%s power (MW)", r0->tier[t].name);
        printf("%-22s", h);
        for (size_t i = 0; i < nr; i++)
            printf(" %20.4g", runs[i].r.tier[t].power_w * 1e-6);
        putchar('\n');
    }
    static const char *const rows[] = {"total power (MW)", "power per GPU (W)",
                                       "pJ/bit",           "cost ($M)",
                                       "failures per day", "links beyond reach (%)"};
    for (size_t k = 0; k < 6; k++) {
        printf("%-22s", rows[k]);
        for (size_t i = 0; i < nr; i++) {
            const ls_cluster_result *r = &runs[i].r;
            double unc = 0, links = 0;
            for (size_t t = 0; t < r->n_tiers; t++)
                unc += r->tier[t].uncovered * (double)r->tier[t].links,
                    links += (double)r->tier[t].links;
            const double v[] = {r->total_power_w * 1e-6, r->power_per_gpu_w,
                                r->pj_per_bit,           r->cost_usd * 1e-6,
                                r->failures_per_day,     links > 0 ? 100 * unc / links : 0};
            printf(" %20.4g", v[k]);
        }
        putchar('\n');
    }
}

void cluster_print(const ls_config *c, const cluster_lanes *l, const cluster_run *runs, size_t nr)
{
    const ls_cluster_result *r = &runs[0].r;
    printf("lanesim cluster: %llu GPUs; scale-up: %lld-GPU domains, %lld links per GPU of %lld "
           "lanes per direction "
           "at %s Gb/s;\n  scale-out: %lld tiers of radix-%lld switches, %lld lanes per port at %s "
           "Gb/s, %s Gb/s NIC "
           "per GPU (%llu NIC ports)\n",
           (unsigned long long)r->gpus, ls_config_int(c, "scaleup.domain_gpus"),
           ls_config_int(c, "scaleup.links_per_gpu"), ls_config_int(c, "scaleup.lanes_per_dir"),
           lsp_num(ls_config_real(c, "scaleup.lane_rate_gbps")).s,
           ls_config_int(c, "scaleout.tiers"), ls_config_int(c, "scaleout.radix"),
           ls_config_int(c, "scaleout.lanes_per_port"),
           lsp_num(ls_config_real(c, "scaleout.lane_rate_gbps")).s,
           lsp_num(ls_config_real(c, "scaleout.nic_gbps")).s, (unsigned long long)r->endpoints);
    print_lanes(l, r);
    if (nr == 1) {
        print_one(r);
        return;
    }
    print_compare(runs, nr);
    for (size_t i = 0; i < nr; i++) {
        char w[256] = "";
        size_t k = 0;
        for (size_t t = 0; t < runs[i].r.n_tiers && k < sizeof w; t++)
            if (runs[i].r.tier[t].uncovered > 0)
                k += (size_t)snprintf(w + k, sizeof w - k, "%s%s %.3g %%", k ? ", " : "",
                                      runs[i].r.tier[t].name, 100 * runs[i].r.tier[t].uncovered);
        if (k)
            printf("warning: %s: links longer than the architecture's reach: %s\n", runs[i].policy,
                   w);
    }
}

static cJSON *run_json(const cluster_lanes *l, const cluster_run *run)
{
    const ls_cluster_result *r = &run->r;
    cJSON *o = cJSON_CreateObject();
    if (run->policy)
        cJSON_AddStringToObject(o, "policy", run->policy);
    cJSON_AddNumberToObject(o, "gpus", (double)r->gpus);
    cJSON_AddNumberToObject(o, "total_power_w", r->total_power_w);
    cJSON_AddNumberToObject(o, "power_per_gpu_w", r->power_per_gpu_w);
    cJSON_AddNumberToObject(o, "pj_per_bit", r->pj_per_bit);
    cJSON_AddNumberToObject(o, "module_power_w", r->module_power_w);
    cJSON_AddStringToObject(o, "energy_scope", r->energy_module_scope ? "module" : "link");
    cJSON_AddNumberToObject(o, "cost_usd", r->cost_usd);
    cJSON_AddNumberToObject(o, "failures_per_day", r->failures_per_day);
    cJSON_AddNumberToObject(o, "nic_ports", (double)r->endpoints);
    cJSON *tiers = cJSON_AddArrayToObject(o, "tiers");
    for (size_t t = 0; t < r->n_tiers; t++) {
        const ls_cluster_tier *x = &r->tier[t];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "name", x->name);
        cJSON_AddStringToObject(j, "architecture", x->architecture);
        cJSON_AddStringToObject(j, "policy", x->policy);
        cJSON_AddNumberToObject(j, "links", (double)x->links);
        cJSON_AddNumberToObject(j, "lanes", (double)x->lanes);
        cJSON_AddNumberToObject(j, "modules", (double)x->modules);
        cJSON_AddNumberToObject(j, "cables", (double)x->cables);
        cJSON_AddNumberToObject(j, "connection_points", (double)x->connection_points);
        cJSON_AddNumberToObject(j, "switches", (double)x->switches);
        cJSON_AddNumberToObject(j, "power_w", x->power_w);
        cJSON_AddNumberToObject(j, "module_power_w", x->module_power_w);
        cJSON_AddNumberToObject(j, "pj_per_bit", x->pj_per_bit);
        cJSON_AddNumberToObject(j, "cost_usd", x->cost_usd);
        cJSON_AddNumberToObject(j, "failures_per_day", x->failures_per_day);
        cJSON_AddNumberToObject(j, "lane_rate_gbps", x->rate_gbps);
        cJSON_AddNumberToObject(j, "length_min_m", x->len_min_m);
        cJSON_AddNumberToObject(j, "length_max_m", x->len_max_m);
        cJSON_AddNumberToObject(j, "beyond_reach_fraction", x->uncovered);
        cJSON *mix = cJSON_AddArrayToObject(j, "mix");
        for (size_t s = 0; s < x->n_share; s++) {
            cJSON *m = cJSON_CreateObject();
            cJSON_AddStringToObject(m, "architecture", l->a[x->share[s].arch].name);
            cJSON_AddNumberToObject(m, "fraction", x->share[s].fraction);
            cJSON_AddNumberToObject(m, "links", (double)x->share[s].links);
            cJSON_AddItemToArray(mix, m);
        }
        cJSON_AddItemToArray(tiers, j);
    }
    cJSON *sh = cJSON_AddObjectToObject(o, "shoreline_tbps_per_mm");
    for (size_t i = 0; i < l->n; i++) {
        char b[64];
        cJSON_AddNumberToObject(sh, arch_label(l, i, b, sizeof b), r->shoreline_tbps_per_mm[i]);
    }
    return o;
}

static int write_json(const char *path, const cluster_lanes *l, const cluster_run *runs, size_t nr)
{
    cli_outfile f = {0};
    if (cli_out_open(&f, path))
        return EXIT_RUNTIME;
    cJSON *root = nr == 1 ? run_json(l, &runs[0]) : cJSON_CreateObject();
    if (nr > 1) {
        cJSON *arr = cJSON_AddArrayToObject(root, "compare");
        for (size_t i = 0; i < nr; i++)
            cJSON_AddItemToArray(arr, run_json(l, &runs[i]));
    }
    cJSON_AddStringToObject(root, "lane_figures", l->source);
    cJSON *arch = cJSON_AddArrayToObject(root, "architectures");
    for (size_t i = 0; i < l->n; i++) {
        cJSON *a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "name", l->a[i].name);
        cJSON_AddStringToObject(
            a, "class", ls_cluster_class_name(ls_cluster_class_of(l->a[i].preset, l->a[i].name)));
        cJSON_AddNumberToObject(a, "rate_gbps", l->a[i].rate_gbps);
        cJSON_AddNumberToObject(a, "reach_m", l->a[i].reach_m);
        cJSON_AddNumberToObject(a, "pj_per_bit", l->a[i].pj_per_bit);
        cJSON_AddNumberToObject(a, "module_pj_per_bit", l->a[i].module_pj_per_bit);
        cJSON_AddItemToArray(arch, a);
    }
    return cli_out_json(&f, root) ? EXIT_RUNTIME : 0;
}

static void csv_rows(FILE *f, const cluster_run *runs, size_t nr)
{
    fputs("policy,tier,architecture,length_min_m,length_max_m,links,lanes,modules,cables,"
          "connection_points,switches,"
          "power_w,module_power_w,pj_per_bit,cost_usd,failures_per_day,beyond_reach_fraction\n",
          f);
    for (size_t i = 0; i < nr; i++) {
        const ls_cluster_result *r = &runs[i].r;
        const char *p = runs[i].policy ? runs[i].policy : "as-configured";
        for (size_t t = 0; t < r->n_tiers; t++) {
            const ls_cluster_tier *x = &r->tier[t];
            fprintf(
                f,
                "%s,%s,%s,%.6g,%.6g,%llu,%llu,%llu,%llu,%llu,%llu,%.6e,%.6e,%.6g,%.6e,%.6e,%.6g\n",
                p, x->name, x->architecture, x->len_min_m, x->len_max_m,
                (unsigned long long)x->links, (unsigned long long)x->lanes,
                (unsigned long long)x->modules, (unsigned long long)x->cables,
                (unsigned long long)x->connection_points, (unsigned long long)x->switches,
                x->power_w, x->module_power_w, x->pj_per_bit, x->cost_usd, x->failures_per_day,
                x->uncovered);
        }
        fprintf(f, "%s,total,,,,,,,,,,%.6e,%.6e,%.6g,%.6e,%.6e,\n", p, r->total_power_w,
                r->module_power_w, r->pj_per_bit, r->cost_usd, r->failures_per_day);
    }
}

static int write_csv(const char *path, const cluster_run *runs, size_t nr)
{
    cli_outfile f = {0};
    if (cli_out_open(&f, path))
        return EXIT_RUNTIME;
    csv_rows(f.f, runs, nr);
    return cli_out_commit(&f) ? EXIT_RUNTIME : 0;
}

/* Writes a plot's CSV as a temporary beside out and draws it. */
static int plot_one(const char *kind, const char *out, const char *title, const cluster_lanes *l,
                    const cluster_run *runs, size_t nr)
{
    cli_outfile f = {0};
    if (cli_out_open(&f, out))
        return EXIT_RUNTIME;
    const ls_cluster_result *r0 = &runs[0].r;
    if (!strcmp(kind, "cluster-power")) {
        fputs("policy,tier,power_w\n", f.f);
        for (size_t i = 0; i < nr; i++)
            for (size_t t = 0; t < runs[i].r.n_tiers; t++)
                fprintf(f.f, "%s,%s,%.10g\n", runs[i].policy ? runs[i].policy : "as configured",
                        runs[i].r.tier[t].name, runs[i].r.tier[t].power_w);
    } else {
        fputs("kind,name,x1,x2,y\n", f.f);
        for (size_t t = 0; t < r0->n_tiers; t++)
            if (r0->tier[t].links && r0->tier[t].len_min_m > 0)
                fprintf(f.f, "tier,%s,%.10g,%.10g,\n", r0->tier[t].name, r0->tier[t].len_min_m,
                        r0->tier[t].len_max_m);
        for (size_t i = 0; i < l->n; i++) {
            char b[64];
            fprintf(f.f, "arch,%s,%.10g,,%.10g\n", arch_label(l, i, b, sizeof b), l->a[i].reach_m,
                    r0->energy_module_scope ? l->a[i].module_pj_per_bit : l->a[i].pj_per_bit);
        }
    }
    int rc = EXIT_RUNTIME;
    if (fflush(f.f) == 0 && !ferror(f.f))
        rc = cli_plot_ex(kind, f.tmp, out, NAN, title);
    else
        cli_error("%s: write failed", f.tmp);
    cli_out_abort(&f);
    return rc;
}

int cluster_write(const ls_config *c, const cluster_lanes *l, const cluster_run *runs, size_t nr,
                  const char *json, const char *csv, const char *plot)
{
    (void)c;
    int rc = 0;
    if (json && (rc = write_json(json, l, runs, nr)))
        return rc;
    if (csv && (rc = write_csv(csv, runs, nr)))
        return rc;
    if (!plot)
        return 0;
    char title[160], out2[4096];
    snprintf(title, sizeof title, "interconnect power of %llu GPUs by tier, per policy",
             (unsigned long long)runs[0].r.gpus);
    if ((rc = plot_one("cluster-power", plot, title, l, runs, nr)))
        return rc;
    const char *dot = strrchr(plot, '.');
    snprintf(out2, sizeof out2, "%.*s-energy%s", (int)(dot - plot), plot, dot);
    snprintf(title, sizeof title, "energy per bit (%s) vs reach; shaded: the tiers' link lengths",
             runs[0].r.energy_module_scope ? "module" : "end to end");
    if ((rc = plot_one("cluster-energy", out2, title, l, runs, nr)))
        return rc;
    printf("plots: %s, %s\n", plot, out2);
    return 0;
}

/* c under the scale-out policy of run (the whole of c when NULL); prints nothing. */
static ls_status run_policy(const ls_config *c, const cluster_lanes *l, cluster_run *run, char *msg,
                            size_t cap)
{
    if (!run->policy)
        return ls_cluster_compute(c, l->a, l->n, &run->r, msg, cap);
    ls_config *cc = ls_config_copy(c);
    ls_status st = cc ? LS_OK : LS_ENOMEM;
    for (unsigned t = 1; st == LS_OK && t <= LS_CLUSTER_MAX_OUT; t++) {
        char key[32];
        snprintf(key, sizeof key, "tier%u.policy", t);
        st = ls_config_set(cc, key, run->policy, msg, cap);
    }
    if (st == LS_OK)
        st = ls_cluster_compute(cc, l->a, l->n, &run->r, msg, cap);
    ls_config_destroy(cc);
    return st;
}

int cluster_compute_runs(const ls_config *c, const cluster_lanes *l, cluster_run *runs, size_t nr)
{
    for (size_t i = 0; i < nr; i++) {
        char msg[1024] = "";
        ls_status st = run_policy(c, l, &runs[i], msg, sizeof msg);
        if (st == LS_OK)
            continue;
        if (!runs[i].policy) /* as configured: errors name the key's INI line */
            return cli_fail(c, st, msg);
        cli_error("--compare %s: %s", runs[i].policy, msg[0] ? msg : ls_strerror(st));
        return cli_exit_status(st);
    }
    return 0;
}

void cluster_study_summary(const ls_cluster_arch *a, size_t n)
{
    cluster_run *runs = calloc(LS_CLUSTER_MAX_ARCH + 1, sizeof *runs);
    ls_config *c = runs ? ls_cluster_config_create() : NULL;
    const double rate = c ? ls_config_real(c, "scaleout.lane_rate_gbps") : 0;
    const char *cand[LS_CLUSTER_MAX_ARCH + 1];
    size_t nc = 0, nr = 0;
    cand[nc++] = "lowest-energy";
    for (size_t i = 0; i < n && nc <= LS_CLUSTER_MAX_ARCH; i++)
        if (a[i].rate_gbps == rate &&
            ls_cluster_class_of(a[i].preset, a[i].name) != LS_CLUSTER_COPPER)
            cand[nc++] =
                a[i].name; /* copper in every scale-out tier would be beyond its reach anyway */
    const cluster_lanes l = {a, n, "this study"};
    printf("\ncluster summary (lanesim cluster, docs/cluster.md): the default cluster under "
           "lowest-energy and each "
           "optical architecture in the scale-out tiers\n");
    /* the study prints nothing on stderr: a policy that cannot be counted is named here */
    for (size_t i = 0; c && i < nc; i++) {
        char msg[1024] = "";
        runs[nr].policy = cand[i];
        if (run_policy(c, &l, &runs[nr], msg, sizeof msg) == LS_OK)
            nr++;
        else
            printf("  %s: not counted: %s\n", cand[i], msg);
    }
    if (nr)
        cluster_print(c, &l, runs, nr);
    else
        printf("  (nothing to count: no architecture of this study serves the default cluster at "
               "%s Gb/s)\n",
               lsp_num(rate).s);
    ls_config_destroy(c);
    free(runs);
}

/*
 * lanesim cluster (docs/cluster.md): the interconnect of an AI cluster, counted tier by tier
 * (sim/cluster.c), with each tier's architecture chosen from the per-lane reach and energy of
 * lanesim's study: read from a study JSON (--study F.json, the file `lanesim study` writes), or
 * recomputed here with the study's own jobs (cli/cmd_study.c, study_rows: the reach search with its
 * Monte Carlo check, minutes of CPU). Stages: cluster_parse, cluster_lanes_json /
 * cluster_lanes_live, the runs (one per --compare policy), the report (cli/cluster_out.c, which
 * also runs the policies: cluster_compute_runs).
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cluster.h"
#include "plotdata.h"
#include "study.h"

typedef struct {
    const char *ini, *study, *json, *csv, *plot;
    char *assign[256];
    int n_assign;
    char *compare; /* --compare, as given (split in place) */
    const char *policies[16];
    size_t n_policies;
    long threads;
} cluster_opts;

static void cluster_usage(FILE *f)
{
    fputs(
        "usage: lanesim cluster [FILE.ini] [-s section.key=value]... [--study F.json] [--compare "
        "P1,P2,...]\n"
        "                       [--json F] [--csv F] [--plot F.png|F.svg] [--threads T]\n"
        "  The interconnect of an AI cluster (scale-up domain and scale-out fat-tree tiers): "
        "links, lanes,\n"
        "  modules, cables, connection points, power, energy per bit, cost, failures per day, "
        "shoreline\n"
        "  density, with each tier's architecture chosen by its policy from the study's reach and "
        "energy.\n"
        "      --study F.json        the lane figures from a study JSON ('lanesim study' writes "
        "DIR/study.json);\n"
        "                            without it they are recomputed with the study's code path "
        "(minutes)\n"
        "      --compare P1,P2,...   run once per policy for the scale-out tiers (an architecture, "
        "a unique\n"
        "                            prefix such as dsp, lpo, cpo, or lowest-energy), side by "
        "side\n"
        "  -s, --set section.key=value  override a cluster key (repeatable; 'lanesim cluster "
        "--keys' lists them)\n"
        "      --json F, --csv F     write the results (SI units: W, $, failures/day, m)\n"
        "      --plot F.png          power by tier per policy (stacked bars) into F, energy per "
        "bit vs\n"
        "                            reach with the tiers' length ranges shaded into F-energy.png\n"
        "      --threads T           jobs in parallel when recomputing (default: all cores)\n"
        "      --keys                list the keys with their defaults and units\n"
        "  -h, --help                this help\n"
        "See docs/cluster.md for every assumption and its source.\n",
        f);
}

static void list_keys(const ls_config *c)
{
    for (size_t i = 0; i < ls_config_count(c); i++) {
        const ls_param_def *d = ls_config_def(c, i);
        printf("  %-36s %-14s %-9s %s\n", d->key, ls_config_text(c, i), d->unit, d->help);
    }
}

static int cluster_parse(int argc, char **argv, cluster_opts *o, int *keys)
{
    enum { O_STUDY = 256, O_JSON, O_CSV, O_PLOT, O_COMPARE, O_THREADS, O_KEYS };
    static const struct option opts[] = {
        {"study", required_argument, NULL, O_STUDY},
        {"json", required_argument, NULL, O_JSON},
        {"csv", required_argument, NULL, O_CSV},
        {"plot", required_argument, NULL, O_PLOT},
        {"compare", required_argument, NULL, O_COMPARE},
        {"threads", required_argument, NULL, O_THREADS},
        {"set", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {"keys", no_argument, NULL, O_KEYS},
        {NULL, 0, NULL, 0},
    };
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":s:h", opts, NULL)) != -1) {
        char *end = NULL;
        switch (opt) {
        case 'h': cluster_usage(stdout); return EXIT_OK;
        case 's':
            if (cli_add_assign(o->assign, &o->n_assign, 256, optarg))
                return EXIT_USAGE;
            break;
        case O_STUDY: o->study = optarg; break;
        case O_JSON: o->json = optarg; break;
        case O_CSV: o->csv = optarg; break;
        case O_PLOT: o->plot = optarg; break;
        case O_KEYS: *keys = 1; break;
        case O_COMPARE:
            o->compare = optarg;
            o->n_policies = 0;
            for (char *save = NULL, *t = strtok_r(optarg, ",", &save); t;
                 t = strtok_r(NULL, ",", &save)) {
                if (o->n_policies == 16) {
                    cli_error("--compare: at most 16 policies");
                    return EXIT_USAGE;
                }
                o->policies[o->n_policies++] = t;
            }
            if (!o->n_policies) {
                cli_error("--compare: expected policies, comma-separated (e.g. dsp,lpo,cpo)");
                return EXIT_USAGE;
            }
            break;
        case O_THREADS:
            o->threads = strtol(optarg, &end, 10);
            if (!end || *end || o->threads < 1 || o->threads > 256) {
                cli_error("--threads %s: expected 1..256", optarg);
                return EXIT_USAGE;
            }
            break;
        case ':':
            cli_error("cluster: option '%s' needs a value", argv[optind - 1]);
            return EXIT_USAGE;
        default:
            cli_error("cluster: unknown option '%s' (see 'lanesim cluster --help')",
                      argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind < argc)
        o->ini = argv[optind++];
    if (optind != argc) {
        cli_error("cluster: unexpected argument '%s'", argv[optind]);
        return EXIT_USAGE;
    }
    if (o->plot && cli_plot_check_out(o->plot))
        return EXIT_USAGE;
    return CLI_CONTINUE;
}

/* The lane rates the cluster needs (the scale-up's and the scale-out's). */
static unsigned needed_rates(const ls_config *c, double *r)
{
    unsigned n = 0;
    if (ls_config_int(c, "scaleup.links_per_gpu") > 0)
        r[n++] = ls_config_real(c, "scaleup.lane_rate_gbps");
    const double ro = ls_config_real(c, "scaleout.lane_rate_gbps");
    if (ls_config_int(c, "scaleout.tiers") > 0 && !(n && r[0] == ro))
        r[n++] = ro;
    return n;
}

static int wanted(const double *rates, unsigned nr, double x)
{
    for (unsigned i = 0; i < nr; i++)
        if (fabs(rates[i] - x) <= 1e-9 * rates[i])
            return 1;
    return 0;
}

static const char *str_of(const cJSON *o, const char *k)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(j) ? j->valuestring : NULL;
}

static int num_of(const cJSON *o, const char *k, double *x)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(j))
        return -1;
    *x = j->valuedouble;
    return 0;
}

/* The study JSON's reach rows at the rates the cluster needs, into a[0..*n). 0, or EXIT_USAGE after
 * printing why. */
static int lanes_json(const char *path, const double *rates, unsigned nr, ls_cluster_arch *a,
                      size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    long len = -1;
    if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
        !(text = calloc((size_t)len + 1, 1)) || fread(text, 1, (size_t)len, f) != (size_t)len) {
        cli_error("--study %s: cannot read the file", path);
        if (f)
            fclose(f);
        free(text);
        return EXIT_USAGE;
    }
    fclose(f);
    cJSON *root = cJSON_Parse(text);
    free(text);
    const cJSON *rows = root ? cJSON_GetObjectItemCaseSensitive(root, "reach") : NULL;
    int rc = 0;
    if (!cJSON_IsArray(rows)) {
        cli_error("--study %s: not a study JSON (no \"reach\" array; 'lanesim study' writes "
                  "DIR/study.json)",
                  path);
        rc = EXIT_USAGE;
    }
    int i = 0;
    const cJSON *p;
    *n = 0;
    const cJSON *list = rc ? NULL : rows;
    cJSON_ArrayForEach(p, list)
    {
        i++;
        const char *name = str_of(p, "architecture"), *preset = str_of(p, "preset");
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(p, "energy");
        ls_cluster_arch x = {0};
        if (!name || !preset || num_of(p, "rate_gbps", &x.rate_gbps) ||
            num_of(p, "reach_m", &x.reach_m) || num_of(e, "pj_per_bit", &x.pj_per_bit) ||
            num_of(e, "module_pj_per_bit", &x.module_pj_per_bit) || !(x.reach_m >= 0) ||
            !(x.pj_per_bit >= 0) || !(x.module_pj_per_bit >= 0)) {
            cli_error("--study %s: reach row %d: expected architecture, preset, rate_gbps, reach_m "
                      ">= 0 and "
                      "energy.pj_per_bit, energy.module_pj_per_bit >= 0",
                      path, i);
            rc = EXIT_USAGE;
            break;
        }
        if (!wanted(rates, nr, x.rate_gbps))
            continue;
        if (*n == LS_CLUSTER_MAX_ARCH) {
            cli_error("--study %s: more than %d architectures at the cluster's lane rates", path,
                      LS_CLUSTER_MAX_ARCH);
            rc = EXIT_USAGE;
            break;
        }
        snprintf(x.name, sizeof x.name, "%s", name);
        snprintf(x.preset, sizeof x.preset, "%s", preset);
        a[(*n)++] = x;
    }
    cJSON_Delete(root);
    for (unsigned r = 0; !rc && r < nr; r++) {
        int any = 0;
        for (size_t k = 0; k < *n; k++)
            any |= fabs(a[k].rate_gbps - rates[r]) <= 1e-9 * rates[r];
        if (!any) {
            cli_error("--study %s: no row at %s Gb/s, the cluster's lane rate (run 'lanesim study "
                      "--rates %s')",
                      path, lsp_num(rates[r]).s, lsp_num(rates[r]).s);
            rc = EXIT_USAGE;
        }
    }
    return rc;
}

/* The lane figures recomputed with the study's jobs. 0, or an exit status after printing why. */
static int lanes_live(const double *rates, unsigned nr, long threads, ls_cluster_arch *a, size_t *n)
{
    study s;
    fprintf(stderr,
            "lanesim cluster: no --study file: recomputing reach and energy at %s Gb/s with the "
            "study's "
            "code path (Monte Carlo-checked reach: minutes)\n",
            lsp_num(rates[0]).s);
    int rc = study_rows(&s, rates, nr, threads);
    *n = 0;
    for (size_t i = 0; rc == CLI_CONTINUE && i < s.n && *n < LS_CLUSTER_MAX_ARCH; i++) {
        const job *j = &s.jobs[i];
        ls_cluster_arch *x = &a[(*n)++];
        *x = (ls_cluster_arch){.rate_gbps = j->rate_gbps,
                               .reach_m = j->r.below_range ? 0 : j->r.reach_m,
                               .pj_per_bit = j->e.pj_per_bit,
                               .module_pj_per_bit = j->e.module_pj_per_bit};
        snprintf(x->name, sizeof x->name, "%s", j->a->name);
        snprintf(x->preset, sizeof x->preset, "%s", j->a->preset);
    }
    study_free(&s);
    return rc == CLI_CONTINUE ? 0 : rc;
}

int cmd_cluster(int argc, char **argv)
{
    cluster_opts o = {.threads = sysconf(_SC_NPROCESSORS_ONLN)};
    int keys = 0, rc = cluster_parse(argc, argv, &o, &keys);
    if (rc != CLI_CONTINUE)
        return rc;
    ls_config *c = ls_cluster_config_create();
    ls_cluster_arch *a = calloc(LS_CLUSTER_MAX_ARCH, sizeof *a);
    cluster_run *runs = calloc(16, sizeof *runs);
    char msg[1024] = "";
    if (!c || !a || !runs) {
        ls_config_destroy(c);
        free(a);
        free(runs);
        cli_error("out of memory");
        return EXIT_RUNTIME;
    }
    ls_status st = o.ini ? ls_config_read_ini(c, o.ini, msg, sizeof msg) : LS_OK;
    if (st != LS_OK) {
        cli_error("%s", msg);
        rc = cli_exit_status(st);
        goto done;
    }
    for (int i = 0; i < o.n_assign; i++)
        if (ls_config_set_assignment(c, o.assign[i], msg, sizeof msg) != LS_OK) {
            cli_error("-s %s: %s", o.assign[i], msg);
            rc = EXIT_USAGE;
            goto done;
        }
    if (keys) {
        list_keys(c);
        rc = EXIT_OK;
        goto done;
    }
    double rates[2];
    const unsigned nr = needed_rates(c, rates);
    size_t n = 0;
    if (!nr) {
        cli_error("cluster: no scale-up links (scaleup.links_per_gpu = 0) and no scale-out tiers "
                  "(scaleout.tiers = 0)");
        rc = EXIT_USAGE;
        goto done;
    }
    if ((rc = o.study ? lanes_json(o.study, rates, nr, a, &n)
                      : lanes_live(rates, nr, o.threads, a, &n)) != 0)
        goto done;
    const cluster_lanes l = {a, n, o.study ? o.study : "recomputed with the study's code path"};
    size_t nruns = o.n_policies ? o.n_policies : 1;
    for (size_t i = 0; i < nruns; i++)
        runs[i].policy = o.n_policies ? o.policies[i] : NULL;
    if ((rc = cluster_compute_runs(c, &l, runs, nruns)) != 0)
        goto done;
    cluster_print(c, &l, runs, nruns);
    rc = cluster_write(c, &l, runs, nruns, o.json, o.csv, o.plot);
done:
    ls_config_destroy(c);
    free(a);
    free(runs);
    return rc;
}

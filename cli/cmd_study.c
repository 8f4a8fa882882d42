/*
 * lanesim study: the default main job. For every architecture (passive copper at 26 and 30 AWG,
 * linear-drive pluggable, DSP-retimed pluggable, co-packaged optics) and every lane rate, the reach
 * (the longest link.length_m meeting the BER target, sim/reach.c, statistical analysis) and the energy
 * per bit at that reach; then, at the eye rate, each architecture's Monte Carlo eye and statistical
 * bathtub at its preset length. Writes CSV, JSON, data files and plots into one folder and prints the
 * architecture x rate summary. All jobs are independent and run in parallel; each job is
 * deterministic, so the output does not depend on the thread count. See docs/study.md.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "dump.h"
#include "lanesim/energy.h"
#include "lanesim/link.h"
#include "lanesim/reach.h"
#include "lanesim/run.h"
#include "lanesim/version.h"

typedef struct {
    const char *name;    /* column/file name */
    const char *preset;
    const char *set[2];  /* the architecture's own overrides */
    const char *label;
} arch;

static const arch ARCHS[] = {
    { "copper-26awg", "copper", { "cable.awg=26", NULL }, "passive copper, 26 AWG twinax (DAC)" },
    { "copper-30awg", "copper", { "cable.awg=30", NULL }, "passive copper, 30 AWG twinax (DAC)" },
    { "lpo", "lpo", { NULL, NULL }, "linear-drive pluggable optics, SMF" },
    { "dsp-retimed", "dsp-retimed", { NULL, NULL }, "DSP-retimed pluggable optics, SMF" },
    { "cpo", "cpo", { NULL, NULL }, "co-packaged optics, SMF" },
};
#define N_ARCH (sizeof ARCHS / sizeof ARCHS[0])
#define MAX_RATES 16

typedef struct {
    const arch *a;
    double rate_gbps;
    int eye;             /* 0: reach job; 1: eye job */
    ls_config *c;
    ls_status st;
    char msg[512];
    ls_reach_result r;
    double length_m;     /* eye job: the length simulated */
    ls_run_result mc;    /* eye job */
    ls_stateye_result sr;
    ls_link_info info;
    int have_mc;
    ls_energy e;         /* power model of the job's configuration */
} job;

/* A study: its settings (from the command line), then its jobs. */
typedef struct {
    const char *out;           /* --out DIR */
    const char *sps, *symbols; /* --sps, --symbols, as given */
    double rates[MAX_RATES];   /* --rates */
    unsigned nr;
    double eye_rate;           /* --eye-rate; 0 = no eye jobs */
    int plots;                 /* 0 with --no-plot */
    ls_reach_options ro;       /* the reach search (--target-ber) */
    job *jobs;                 /* per selected architecture: a reach job per rate, then its eye job */
    size_t n;
    cli_bar bar;
} study;

/* The options that only build the jobs. */
typedef struct {
    char *assign[256];         /* -s */
    int n_assign;
    int use[N_ARCH];           /* --arch: 1 for each architecture selected */
    long threads;              /* --threads */
} study_opts;

static void study_usage(FILE *f)
{
    fputs("usage: lanesim study [options]\n"
          "  Reach and energy per bit versus lane rate for passive copper (26 and 30 AWG), LPO, DSP-retimed\n"
          "  pluggable and CPO links, plus each architecture's eye and bathtub at the eye rate.\n"
          "      --out DIR             output folder (default: study); created if missing\n"
          "      --rates R1,R2,...     lane rates in Gb/s (default 53.125,106.25,212.5,425)\n"
          "      --arch A1,A2,...      architectures (default all: copper-26awg,copper-30awg,lpo,dsp-retimed,cpo)\n"
          "      --target-ber X        pre-FEC BER the reach must meet (default 2.4e-4)\n"
          "      --sps N               samples per UI of the reach analysis (default 16)\n"
          "      --eye-rate R          lane rate of the eyes and bathtubs (default 212.5; 0 = none)\n"
          "      --symbols N           Monte Carlo symbols per eye (default 200000)\n"
          "  -s, --set section.key=value  override a key in every architecture that has it (repeatable)\n"
          "      --threads T           jobs in parallel (default: all cores)\n"
          "      --no-plot             write the data only (no gnuplot)\n"
          "  -h, --help                this help\n"
          "Writes DIR/reach_vs_rate.csv, study.json, power_breakdown.csv, eye_ARCH.dat, bathtub_ARCH.dat and their\n"
          "plots (.png: reach_vs_rate, energy_vs_reach, power_breakdown, eye_ARCH, bathtub_ARCH). See docs/study.md.\n",
          f);
}

/* The key of a "section.key=value" assignment into key; returns the key's length in the assignment. */
static size_t assign_key(const char *assignment, char *key, size_t cap)
{
    size_t k = strcspn(assignment, "=");
    snprintf(key, cap, "%.*s", (int)(k < cap ? k : cap - 1), assignment);
    return k;
}

/* The configuration of architecture a at a lane rate: the preset, the architecture's keys, then the
   user's -s keys where the preset has them. */
static ls_config *arch_config(const arch *a, double rate, char **assign, int n_assign, const char *extra, char *msg,
                              size_t cap)
{
    ls_config *c = ls_config_create(a->preset, msg, cap, NULL);
    char v[64];
    if (!c)
        return NULL;
    snprintf(v, sizeof v, "%.10g", rate);
    int bad = ls_config_set(c, "link.rate_gbps", v, msg, cap) != LS_OK;
    for (int i = 0; !bad && i < 2 && a->set[i]; i++)
        bad = ls_config_set_assignment(c, a->set[i], msg, cap) != LS_OK;
    for (int i = 0; !bad && i < n_assign; i++) {
        char key[128];
        assign_key(assign[i], key, sizeof key);
        if (ls_config_find(c, key))
            bad = ls_config_set_assignment(c, assign[i], msg, cap) != LS_OK;
    }
    if (!bad && extra)
        bad = ls_config_set_assignment(c, extra, msg, cap) != LS_OK;
    if (bad) {
        ls_config_destroy(c);
        return NULL;
    }
    return c;
}

static void run_job(void *ctx, size_t i)
{
    study *s = ctx;
    job *j = &s->jobs[i];
    if ((j->st = ls_energy_compute(j->c, &j->e, j->msg, sizeof j->msg)) != LS_OK)
        return;
    if (!j->eye) {
        j->st = ls_reach(j->c, &s->ro, &j->r, j->msg, sizeof j->msg);
        return;
    }
    /* eye job: Monte Carlo eye histogram and the statistical bathtub at the preset's length */
    j->length_m = ls_config_real(j->c, "link.length_m");
    ls_link *l = ls_link_create(j->c, 64, j->msg, sizeof j->msg, &j->st);
    if (!l || (j->st = ls_link_stat(l, ls_config_real(j->c, "eye.target_ber"), &j->sr)) != LS_OK) {
        ls_link_destroy(l);
        if (j->st == LS_OK)
            j->st = LS_EINTERNAL;
        return;
    }
    j->info = *ls_link_get_info(l);
    ls_link_destroy(l);
    if ((j->st = ls_run(j->c, NULL, NULL, &j->mc, j->msg, sizeof j->msg)) == LS_OK)
        j->have_mc = 1;
}

static void progress(void *ctx, size_t done, size_t n)
{
    cli_bar_draw(&((study *)ctx)->bar, done, n);
}

static void fmt_len(char *b, size_t cap, const ls_reach_result *r)
{
    if (r->below_range)
        snprintf(b, cap, "none");
    else if (r->reach_m >= 1000)
        snprintf(b, cap, "%s%.3g km", r->above_range ? ">" : "", r->reach_m / 1000);
    else
        snprintf(b, cap, "%s%.3g m", r->above_range ? ">" : "", r->reach_m);
}

static int make_dir(const char *d)
{
    if (mkdir(d, 0777) && errno != EEXIST) {
        cli_error("--out %s: %s", d, strerror(errno));
        return -1;
    }
    struct stat sb;
    if (stat(d, &sb) || !S_ISDIR(sb.st_mode)) {
        cli_error("--out %s: not a directory", d);
        return -1;
    }
    return 0;
}

/* Opens DIR/NAME (name a format with one %s for arg) as an atomic output file; 0 on success. */
static int open_in(cli_outfile *o, const char *dir, const char *name, const char *arg)
{
    char file[512], path[4096];
    snprintf(file, sizeof file, name, arg);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return cli_out_open(o, path);
}

static int write_csv(const char *dir, const job *jobs, size_t n)
{
    cli_outfile o = { 0 };
    if (open_in(&o, dir, "reach_vs_rate.csv", ""))
        return -1;
    fputs("architecture,rate_gbps,reach_m,ber_at_reach,margin_db,limited_by,pj_per_bit,module_pj_per_bit,evaluations,"
          "nonmonotonic\n",
          o.f);
    for (size_t i = 0; i < n; i++) {
        const job *j = &jobs[i];
        if (j->eye)
            continue;
        fprintf(o.f, "%s,%.10g,%.6g,%.6e,%.4f,%s,%.4f,%.4f,%u,%d\n", j->a->name, j->rate_gbps, j->r.reach_m,
                j->r.ber_at_reach, j->r.margin_db, j->r.limited_by, j->e.pj_per_bit, j->e.module_pj_per_bit,
                j->r.evaluations, j->r.nonmonotonic);
    }
    if (cli_out_commit(&o)) /* it cleans up after itself */
        return -1;
    return 0;
}

/* The power breakdown of every architecture at the eye rate: architecture,part,mw,scope (long format). */
static int write_power(const char *dir, const job *jobs, size_t n)
{
    cli_outfile o = { 0 };
    if (open_in(&o, dir, "power_breakdown.csv", ""))
        return -1;
    fputs("architecture,part,mw,scope\n", o.f);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; jobs[i].eye && k < jobs[i].e.n_parts; k++)
            fprintf(o.f, "%s,%s,%.3f,%s\n", jobs[i].a->name, jobs[i].e.part[k].name, jobs[i].e.part[k].mw,
                    jobs[i].e.part[k].module ? "module" : "host");
    if (cli_out_commit(&o)) /* it cleans up after itself */
        return -1;
    return 0;
}

/* Each eye job's Monte Carlo eye histogram and statistical bathtub, as `lanesim run --dump` writes them. */
static int write_eyes(const char *dir, const job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const job *j = &jobs[i];
        if (!j->eye)
            continue;
        cli_outfile o = { 0 };
        if (open_in(&o, dir, "eye_%s.dat", j->a->name))
            return -1;
        cli_dump_eye(o.f, j->c, &j->mc);
        if (cli_out_commit(&o)) /* it cleans up after itself */
            return -1;
        if (open_in(&o, dir, "bathtub_%s.dat", j->a->name))
            return -1;
        cli_dump_bathtub(o.f, j->c, &j->info, &j->sr, ls_config_real(j->c, "eye.target_ber"));
        if (cli_out_commit(&o)) /* it cleans up after itself */
            return -1;
    }
    return 0;
}

/* The plots of the study (gnuplot): an exit status, EXIT_RUNTIME (one line) when gnuplot is missing. */
static int plot_all(const char *dir, const job *jobs, size_t n, int eyes)
{
    static const char *const main_plots[][3] = { { "reach-rate", "reach_vs_rate.csv", "reach_vs_rate.png" },
                                                 { "energy-reach", "reach_vs_rate.csv", "energy_vs_reach.png" },
                                                 { "power", "power_breakdown.csv", "power_breakdown.png" } };
    char data[4096], out[4096];
    for (size_t k = 0; k < 3; k++) {
        if (k == 2 && !eyes)
            break;
        snprintf(data, sizeof data, "%s/%s", dir, main_plots[k][1]);
        snprintf(out, sizeof out, "%s/%s", dir, main_plots[k][2]);
        int rc = cli_plot(main_plots[k][0], data, out);
        if (rc != EXIT_OK)
            return rc;
    }
    for (size_t i = 0; i < n; i++) {
        if (!jobs[i].eye)
            continue;
        static const char *const kinds[] = { "eye", "bathtub" };
        for (int k = 0; k < 2; k++) {
            char title[256];
            snprintf(data, sizeof data, "%s/%s_%s.dat", dir, kinds[k], jobs[i].a->name);
            snprintf(out, sizeof out, "%s/%s_%s.png", dir, kinds[k], jobs[i].a->name);
            snprintf(title, sizeof title, "%s %s at %g Gb/s, %g m", jobs[i].a->name, kinds[k], jobs[i].rate_gbps,
                     jobs[i].length_m);
            int rc = cli_plot_ex(kinds[k], data, out, NAN, title);
            if (rc != EXIT_OK)
                return rc;
        }
    }
    return EXIT_OK;
}

static int write_json(const char *dir, const study *s, const double *rates, unsigned nr)
{
    cli_outfile o = { 0 };
    if (open_in(&o, dir, "study.json", ""))
        return -1;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "lanesim_version", LANESIM_VERSION);
    cJSON *t = cJSON_AddObjectToObject(root, "target");
    cJSON_AddStringToObject(t, "kind", "pre-fec");
    cJSON_AddNumberToObject(t, "ber", s->ro.target_value);
    cJSON_AddItemToObject(root, "rates_gbps", cJSON_CreateDoubleArray(rates, (int)nr));
    cJSON *pts = cJSON_AddArrayToObject(root, "reach");
    cJSON *eyes = cJSON_AddArrayToObject(root, "eyes");
    for (size_t i = 0; i < s->n; i++) {
        const job *j = &s->jobs[i];
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "architecture", j->a->name);
        cJSON_AddStringToObject(p, "preset", j->a->preset);
        cJSON_AddNumberToObject(p, "rate_gbps", j->rate_gbps);
        cJSON_AddItemToObject(p, "energy", cli_energy_json(&j->e));
        if (!j->eye) {
            cJSON_AddNumberToObject(p, "reach_m", j->r.reach_m);
            cJSON_AddNumberToObject(p, "ber_at_reach", j->r.ber_at_reach);
            cJSON_AddNumberToObject(p, "margin_db", j->r.margin_db);
            cJSON_AddStringToObject(p, "limited_by", j->r.limited_by);
            cJSON_AddNumberToObject(p, "evaluations", j->r.evaluations);
            cJSON_AddBoolToObject(p, "nonmonotonic", j->r.nonmonotonic);
            cJSON_AddBoolToObject(p, "below_range", j->r.below_range);
            cJSON_AddBoolToObject(p, "above_range", j->r.above_range);
            cJSON_AddItemToArray(pts, p);
        } else {
            cJSON_AddNumberToObject(p, "length_m", j->length_m);
            cJSON_AddNumberToObject(p, "stat_ber", j->sr.ber);
            cJSON_AddNumberToObject(p, "snr_eq_db", j->info.snr_eq_db);
            cJSON_AddNumberToObject(p, "vertical_opening_v", j->sr.vertical_opening_v);
            if (j->have_mc) {
                cJSON_AddNumberToObject(p, "mc_ber", j->mc.ber.ber);
                cJSON_AddNumberToObject(p, "mc_bits", (double)j->mc.counts.bits);
                cJSON_AddNumberToObject(p, "mc_bit_errors", (double)j->mc.counts.bit_errors);
                /* the 95 % interval lies above the BER target: the link fails at this length in Monte Carlo */
                cJSON_AddBoolToObject(p, "mc_fails_target", j->mc.ber.ber_ci95_lo > s->ro.target_value);
            }
            cJSON_AddItemToArray(eyes, p);
        }
    }
    return cli_out_json(&o, root);
}

/* --arch A1,A2,...: use[a] = 1 for each architecture named, 0 for the others. 0, or EXIT_USAGE after
   printing why. */
static int parse_arch(const char *list, int *use)
{
    for (size_t a = 0; a < N_ARCH; a++)
        use[a] = 0;
    char *copy = strdup(list), *save = NULL;
    int bad = !copy;
    for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && !bad; t = strtok_r(NULL, ",", &save)) {
        size_t a = 0;
        while (a < N_ARCH && strcmp(ARCHS[a].name, t))
            a++;
        if (a == N_ARCH) {
            cli_error("--arch %s: unknown architecture (copper-26awg, copper-30awg, lpo, dsp-retimed, cpo)", t);
            bad = 1;
        } else {
            use[a] = 1;
        }
    }
    free(copy);
    return bad ? EXIT_USAGE : 0;
}

/* The command line into s (settings) and o: CLI_CONTINUE, or the exit status (help printed, or a
   usage error). */
static int study_parse(int argc, char **argv, study *s, study_opts *o)
{
    enum { O_OUT = 256, O_RATES, O_ARCH, O_TBER, O_SPS, O_EYE_RATE, O_SYMBOLS, O_THREADS, O_NOPLOT };
    static const struct option opts[] = {
        { "out", required_argument, NULL, O_OUT },         { "rates", required_argument, NULL, O_RATES },
        { "arch", required_argument, NULL, O_ARCH },       { "target-ber", required_argument, NULL, O_TBER },
        { "sps", required_argument, NULL, O_SPS },         { "eye-rate", required_argument, NULL, O_EYE_RATE },
        { "symbols", required_argument, NULL, O_SYMBOLS }, { "threads", required_argument, NULL, O_THREADS },
        { "set", required_argument, NULL, 's' },           { "help", no_argument, NULL, 'h' },
        { "no-plot", no_argument, NULL, O_NOPLOT },
        { NULL, 0, NULL, 0 },
    };
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":s:h", opts, NULL)) != -1) {
        char *end = NULL;
        switch (opt) {
        case 'h': study_usage(stdout); return EXIT_OK;
        case 's':
            if (o->n_assign >= 256) {
                cli_error("too many -s options");
                return EXIT_USAGE;
            }
            o->assign[o->n_assign++] = optarg;
            break;
        case O_OUT: s->out = optarg; break;
        case O_RATES: {
            int got = cli_parse_list(optarg, s->rates, MAX_RATES, CLI_LIST_SKIP_EMPTY | CLI_LIST_POSITIVE);
            if (got < 1) {
                cli_error("--rates %s: expected positive lane rates in Gb/s, comma-separated (at most %d)", optarg,
                          MAX_RATES);
                return EXIT_USAGE;
            }
            s->nr = (unsigned)got;
            break;
        }
        case O_ARCH:
            if (parse_arch(optarg, o->use))
                return EXIT_USAGE;
            break;
        case O_TBER:
            s->ro.target_value = strtod(optarg, &end);
            if (!end || *end || !(s->ro.target_value > 0 && s->ro.target_value < 0.5)) {
                cli_error("--target-ber %s: expected a number in (0, 0.5)", optarg);
                return EXIT_USAGE;
            }
            break;
        case O_SPS: s->sps = optarg; break;
        case O_EYE_RATE:
            s->eye_rate = strtod(optarg, &end);
            if (!end || *end || !(s->eye_rate >= 0)) {
                cli_error("--eye-rate %s: expected a lane rate in Gb/s (0 = no eyes)", optarg);
                return EXIT_USAGE;
            }
            break;
        case O_SYMBOLS: s->symbols = optarg; break;
        case O_NOPLOT: s->plots = 0; break;
        case O_THREADS:
            o->threads = strtol(optarg, &end, 10);
            if (!end || *end || o->threads < 1 || o->threads > 256) {
                cli_error("--threads %s: expected 1..256", optarg);
                return EXIT_USAGE;
            }
            break;
        case ':': cli_error("study: option '%s' needs a value", argv[optind - 1]); return EXIT_USAGE;
        default: cli_error("study: unknown option '%s' (see 'lanesim study --help')", argv[optind - 1]); return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        cli_error("study: unexpected argument '%s'", argv[optind]);
        return EXIT_USAGE;
    }
    return CLI_CONTINUE;
}

/* Every -s key must exist in at least one selected architecture, and at least one must be selected.
   CLI_CONTINUE, or EXIT_USAGE after printing why. */
static int study_check(const study_opts *o)
{
    for (int i = 0; i < o->n_assign; i++) {
        char key[128], msg[256];
        size_t k = assign_key(o->assign[i], key, sizeof key);
        int found = 0;
        for (size_t a = 0; a < N_ARCH && !found; a++) {
            ls_config *c = o->use[a] ? ls_config_create(ARCHS[a].preset, msg, sizeof msg, NULL) : NULL;
            found = c && ls_config_find(c, key);
            ls_config_destroy(c);
        }
        if (!found || !o->assign[i][k]) {
            cli_error(!o->assign[i][k] ? "-s %s: expected section.key=value"
                                       : "-s %s: no selected architecture has key %s",
                      o->assign[i], key);
            return EXIT_USAGE;
        }
    }
    size_t n_arch = 0;
    for (size_t a = 0; a < N_ARCH; a++)
        n_arch += (size_t)o->use[a];
    if (!n_arch) {
        cli_error("--arch: no architecture selected");
        return EXIT_USAGE;
    }
    return CLI_CONTINUE;
}

/* The jobs and their configurations: for each selected architecture a reach job per rate, then its
   eye job (eye rate > 0). CLI_CONTINUE, or the exit status after printing why. */
static int study_build(study *s, study_opts *o)
{
    size_t n_arch = 0;
    for (size_t a = 0; a < N_ARCH; a++)
        n_arch += (size_t)o->use[a];
    size_t n = n_arch * s->nr + (s->eye_rate > 0 ? n_arch : 0);
    if (!(s->jobs = calloc(n, sizeof *s->jobs))) {
        cli_error("out of memory");
        return EXIT_RUNTIME;
    }
    s->n = n;
    cli_bar_start(&s->bar, "study", "jobs", isatty(STDERR_FILENO));
    size_t k = 0;
    char spsset[32], symset[48];
    snprintf(spsset, sizeof spsset, "link.sps=%s", s->sps);
    snprintf(symset, sizeof symset, "run.symbols=%s", s->symbols);
    for (size_t a = 0; a < N_ARCH; a++) {
        if (!o->use[a])
            continue;
        for (unsigned r = 0; r <= s->nr; r++) {
            if (r == s->nr && !(s->eye_rate > 0))
                break;
            job *j = &s->jobs[k++];
            j->a = &ARCHS[a];
            j->eye = r == s->nr;
            j->rate_gbps = j->eye ? s->eye_rate : s->rates[r];
            if (!(j->c = arch_config(j->a, j->rate_gbps, o->assign, o->n_assign, j->eye ? symset : spsset, j->msg,
                                     sizeof j->msg))) {
                cli_error("%s at %g Gb/s: %s", j->a->name, j->rate_gbps, j->msg);
                return EXIT_USAGE;
            }
            /* jobs run in parallel: each one single-threaded (results do not depend on it) */
            char m2[64];
            if (j->eye && ls_config_set(j->c, "run.threads", "1", m2, sizeof m2) != LS_OK) {
                cli_error("%s: %s", j->a->name, m2);
                return EXIT_USAGE;
            }
        }
    }
    return CLI_CONTINUE;
}

/* Creates the output folder, then runs every job. CLI_CONTINUE, or the exit status after printing
   why (the first failed job). */
static int study_run(study *s, const study_opts *o)
{
    if (make_dir(s->out))
        return EXIT_USAGE;
    cli_parallel(s->n, o->threads, run_job, progress, s);
    for (size_t i = 0; i < s->n; i++)
        if (s->jobs[i].st != LS_OK) {
            cli_error("%s at %g Gb/s: %s", s->jobs[i].a->name, s->jobs[i].rate_gbps,
                      s->jobs[i].msg[0] ? s->jobs[i].msg : ls_strerror(s->jobs[i].st));
            return EXIT_RUNTIME;
        }
    return CLI_CONTINUE;
}

/* The summary on stdout: architecture x rate -> reach and energy per bit, what limits each. */
static void print_reach(const study *s)
{
    printf("lanesim %s study: reach at pre-FEC BER <= %.3g (statistical analysis, %s samples/UI) / energy per bit\n"
           "(pJ/bit end to end, both host SerDes included; module / optical engine alone in parentheses)\n\n",
           LANESIM_VERSION, s->ro.target_value, s->sps);
    printf("%-14s", "architecture");
    for (unsigned r = 0; r < s->nr; r++) {
        char h[32];
        snprintf(h, sizeof h, "%g Gb/s", s->rates[r]);
        printf(" %22s", h);
    }
    printf("   limited by (at %g Gb/s)\n", s->rates[s->nr - 1]);
    const job *jobs = s->jobs;
    const size_t n = s->n;
    for (size_t i = 0; i < n;) {
        const job *j = &jobs[i];
        printf("%-14s", j->a->name);
        const char *lim = "";
        for (unsigned r = 0; r < s->nr; r++, i++) {
            char b[32], cell[64];
            fmt_len(b, sizeof b, &jobs[i].r);
            if (jobs[i].e.module_pj_per_bit > 0)
                snprintf(cell, sizeof cell, "%s %.3g(%.3g)", b, jobs[i].e.pj_per_bit, jobs[i].e.module_pj_per_bit);
            else
                snprintf(cell, sizeof cell, "%s %.3g", b, jobs[i].e.pj_per_bit);
            printf(" %22s", cell);
            lim = jobs[i].r.limited_by;
        }
        printf("   %s\n", lim);
        if (i < n && jobs[i].eye)
            i++;
    }
}

/* The eye jobs on stdout, and a warning where the Monte Carlo eye contradicts the statistical reach. */
static void print_eyes(const study *s)
{
    const job *jobs = s->jobs;
    const size_t n = s->n;
    if (s->eye_rate > 0) {
        printf("\neyes at %g Gb/s (Monte Carlo %s symbols, statistical bathtub):\n", s->eye_rate, s->symbols);
        for (size_t i = 0; i < n; i++) {
            const job *j = &jobs[i];
            if (j->eye)
                printf("  %-14s at %-8g m  stat BER %.3e  MC BER %.3e  (%llu errors)  SNR %.2f dB\n", j->a->name,
                       j->length_m, j->sr.ber, j->mc.ber.ber, (unsigned long long)j->mc.counts.bit_errors,
                       j->info.snr_eq_db);
        }
    }
    /* the Monte Carlo eye is a second opinion on the statistical reach: say so when they disagree */
    for (size_t i = 0; s->eye_rate > 0 && i < n; i++) {
        const job *e = &jobs[i];
        if (!e->eye || !e->have_mc || e->mc.counts.bit_errors < 10)
            continue;
        for (size_t q = 0; q < n; q++) {
            const job *r = &jobs[q];
            if (!r->eye && r->a == e->a && r->rate_gbps == e->rate_gbps && r->r.reach_m > e->length_m &&
                e->mc.ber.ber_ci95_lo > s->ro.target_value)
                printf("  warning: %s: Monte Carlo BER %.2e at %g m is above the target, yet the statistical reach is "
                       "%.3g m:\n           the statistical analysis is optimistic for this link (non-linear ISI, "
                       "docs/statistical.md)\n",
                       e->a->name, e->mc.ber.ber, e->length_m, r->r.reach_m);
        }
    }
}

/* The report: the files in the output folder, the summary on stdout, then the plots. The exit status
   (EXIT_RUNTIME after printing why). */
static int study_report(const study *s)
{
    const int eyes = s->eye_rate > 0;
    if (write_csv(s->out, s->jobs, s->n) || write_json(s->out, s, s->rates, s->nr) ||
        (eyes && (write_power(s->out, s->jobs, s->n) || write_eyes(s->out, s->jobs, s->n))))
        return EXIT_RUNTIME;
    print_reach(s);
    print_eyes(s);
    printf("\nwritten to %s/: reach_vs_rate.csv, study.json%s\n", s->out,
           eyes ? ", power_breakdown.csv, eye_*.dat, bathtub_*.dat" : "");
    fflush(stdout);
    int rc = s->plots ? plot_all(s->out, s->jobs, s->n, eyes) : EXIT_OK;
    if (s->plots && rc == EXIT_OK)
        printf("plots: %s/reach_vs_rate.png, energy_vs_reach.png%s\n", s->out,
               eyes ? ", power_breakdown.png, eye_*.png, bathtub_*.png" : "");
    return rc;
}

int cmd_study(int argc, char **argv)
{
    study s = { .out = "study", .sps = "16", .symbols = "200000", .rates = { 53.125, 106.25, 212.5, 425 },
                .nr = 4, .eye_rate = 212.5, .plots = 1 };
    study_opts o = { .threads = sysconf(_SC_NPROCESSORS_ONLN) };
    for (size_t a = 0; a < N_ARCH; a++)
        o.use[a] = 1;
    ls_reach_options_init(&s.ro);
    int rc = study_parse(argc, argv, &s, &o);
    if (rc == CLI_CONTINUE && (rc = study_check(&o)) == CLI_CONTINUE && (rc = study_build(&s, &o)) == CLI_CONTINUE &&
        (rc = study_run(&s, &o)) == CLI_CONTINUE)
        rc = study_report(&s);
    for (size_t i = 0; i < s.n; i++) {
        ls_config_destroy(s.jobs[i].c);
        if (s.jobs[i].have_mc)
            ls_run_result_free(&s.jobs[i].mc);
    }
    free(s.jobs);
    return rc;
}

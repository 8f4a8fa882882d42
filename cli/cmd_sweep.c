/*
 * lanesim sweep: the grid of all combinations of --param values (the last parameter varies fastest),
 * each point a full evaluation: the Monte Carlo run of `lanesim run` or the statistical analysis of
 * `lanesim run --mode stat` (BER and/or eye), and/or the reach search of `lanesim reach`. Every
 * point's configuration is built and validated before anything runs. Points run in parallel on
 * threads, each point single-threaded (run.threads = 1) with its own seed keys as given, so a point
 * equals `lanesim run` with the same keys and its result does not depend on where or when it ran;
 * the results are written in point order. Hence the same CSV from one process, from any thread
 * count, from --shard slices joined by `lanesim merge`, and from MPI ranks gathered on rank 0.
 *
 * Sharding is round robin: shard I/N holds the points i with i % N == I (neighbouring points, which
 * often cost alike, land on different shards). MPI ranks share a shard's points the same way by
 * their position among them. docs/cli.md documents the output.
 *
 * This file holds the options, the grid and the driver (sweep_main); the evaluation of the points is
 * cli/sweep_eval.c, the output cli/sweep_out.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "lanesim/com.h"
#include "plotdata.h"
#include "sweep.h"

static void sweep_usage(FILE *f)
{
    fputs("usage: lanesim sweep PRESET|FILE.ini --param KEY=V1,V2,...|START:STOP:N[:log] [--param ...] [options]\n"
          "  -s, --set section.key=value   fixed override (repeatable)\n"
          "      --param KEY=...           swept key: a list, or N values from START to STOP (linear or log)\n"
          "      --metric M[,M...]         per point: ber (default), eye (height and width of each sub-eye),\n"
          "                                reach (the search of 'lanesim reach' on link.length_m),\n"
          "                                energy (pJ/bit end to end and of the module, from the power model),\n"
          "                                com (IEEE 802.3 COM in dB of the point's analytic channel, docs/com.md)\n"
          "      --com-config NAME|FILE    COM configuration of --metric com (default by each point's symbol\n"
          "                                rate: <= 75 GBd " CLI_COM_CONFIG_CK ", above " CLI_COM_CONFIG_DJ ")\n"
          "      --mode mc|stat            BER and eye by Monte Carlo (default) or statistical analysis\n"
          "      --eye-ber P               BER at which the eye gives height and width (eye.target_ber; after\n"
          "                                the -s overrides)\n"
          "      --threads T               points evaluated in parallel (default: all cores)\n"
          "      --csv FILE                one row per point: point index, swept keys, then the metrics\n"
          "      --json FILE               the same points as JSON, with the fixed overrides and the grid\n"
          "      --plot FILE.png|FILE.svg  the metric vs the first --param, a line per value of the others (gnuplot)\n"
          "      --shard I/N               only the points with index % N == I (join with 'lanesim merge')\n"
          "  -h, --help                    this help\n"
          "Under mpirun (MPI builds) the points are spread over the ranks and rank 0 writes the output.\n",
          f);
}

static int parse_param(const char *spec, sweep_param *p)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || (size_t)(eq - spec) >= sizeof p->key)
        return -1;
    memcpy(p->key, spec, (size_t)(eq - spec));
    p->key[eq - spec] = '\0';
    const char *v = eq + 1;
    double a, b;
    unsigned n;
    char tail[8] = "";
    if (sscanf(v, "%lf:%lf:%u%7s", &a, &b, &n, tail) >= 3 && strchr(v, ':')) {
        int lg = !strcmp(tail, ":log");
        if ((tail[0] && !lg) || n < 1 || n > SWEEP_MAX_VALUES || (lg && !(a > 0 && b > 0)))
            return -1;
        for (unsigned i = 0; i < n; i++) {
            double t = n == 1 ? 0 : (double)i / (n - 1);
            double x = lg ? a * pow(b / a, t) : a + (b - a) * t;
            char buf[64];
            snprintf(buf, sizeof buf, "%s", lsp_num(x).s);
            if (!(p->values[i] = strdup(buf)))
                return -1;
            p->n = i + 1;
        }
        return 0;
    }
    char *copy = strdup(v), *save = NULL;
    if (!copy)
        return -1;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (p->n >= SWEEP_MAX_VALUES || !(p->values[p->n] = strdup(tok))) {
            free(copy);
            return -1;
        }
        p->n++;
    }
    free(copy);
    return p->n ? 0 : -1;
}

/* "ber,eye": the SW_* bits; 0 for an unknown name. */
static unsigned parse_metrics(const char *list)
{
    static const struct {
        const char *name;
        unsigned bit;
    } known[] = { { "ber", SW_BER }, { "eye", SW_EYE }, { "reach", SW_REACH }, { "energy", SW_ENERGY },
                  { "com", SW_COM } };
    unsigned m = 0;
    const char *p = list;
    for (;;) {
        size_t len = strcspn(p, ",");
        unsigned bit = 0;
        for (size_t k = 0; k < sizeof known / sizeof *known; k++)
            if (strlen(known[k].name) == len && !strncmp(p, known[k].name, len))
                bit = known[k].bit;
        if (!bit)
            return 0;
        m |= bit;
        if (!p[len])
            return m;
        p += len + 1;
    }
}

/* "I/N" with 0 <= I < N <= 1000000. */
static int parse_shard(const char *s, unsigned *i, unsigned *n)
{
    char *e1, *e2;
    unsigned long a = strtoul(s, &e1, 10);
    if (e1 == s || *e1 != '/' || s[0] == '-' || e1[1] == '-')
        return -1;
    unsigned long b = strtoul(e1 + 1, &e2, 10);
    if (e2 == e1 + 1 || *e2 || b < 1 || b > 1000000 || a >= b)
        return -1;
    *i = (unsigned)a;
    *n = (unsigned)b;
    return 0;
}

static unsigned levels_of(const ls_config *c)
{
    const char *m = ls_config_str(c, "link.modulation");
    return !m ? 0 : !strcmp(m, "pam2") ? 2 : !strcmp(m, "pam8") ? 8 : 4;
}

/* FNV-1a 64 of text, continuing from h. */
static uint64_t fnv(uint64_t h, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return (h ^ 0xff) * 1099511628211ull; /* a separator, so "ab","c" differs from "a","bc" */
}

/* The sweep's fingerprint: preset, every key of the base configuration but run.threads (which does not
   change results), the grid, the metrics and the mode. Shards of one sweep agree on it. */
static uint64_t fingerprint(const sweep *s, const ls_config *base)
{
    uint64_t h = fnv(14695981039346656037ull, ls_config_preset(base));
    for (size_t i = 0; i < ls_config_count(base); i++) {
        const char *k = ls_config_def(base, i)->key;
        if (strcmp(k, "run.threads")) {
            h = fnv(h, k);
            h = fnv(h, ls_config_text(base, i));
        }
    }
    for (unsigned k = 0; k < s->np; k++) {
        h = fnv(h, s->prm[k].key);
        for (unsigned v = 0; v < s->prm[k].n; v++)
            h = fnv(h, s->prm[k].values[v]);
    }
    char tail[32];
    snprintf(tail, sizeof tail, "%u %d", s->metrics, s->stat);
    if (s->com_config)
        h = fnv(h, s->com_config);
    return fnv(h, tail);
}

/* Every point's configuration: base plus its swept values, run.threads = 1. EXIT_* code. */
static int build_grid(sweep *s, const ls_config *base)
{
    char msg[512];
    if (!(s->cfg = calloc(s->n_pts, sizeof *s->cfg)) || !(s->res = calloc(s->n_pts, sizeof *s->res))) {
        cli_error("out of memory");
        return EXIT_RUNTIME;
    }
    s->eye_levels = levels_of(base);
    for (size_t i = 0; i < s->n_pts; i++) {
        if (!(s->cfg[i] = ls_config_copy(base))) {
            cli_error("out of memory");
            return EXIT_RUNTIME;
        }
        size_t r = i;
        for (unsigned k = s->np; k-- > 0;) {
            const char *v = s->prm[k].values[r % s->prm[k].n];
            r /= s->prm[k].n;
            if (ls_config_set(s->cfg[i], s->prm[k].key, v, msg, sizeof msg) != LS_OK) {
                cli_error("--param %s=%s: %s", s->prm[k].key, v, msg);
                return EXIT_USAGE;
            }
        }
        if (ls_config_find(s->cfg[i], "run.threads") &&
            ls_config_set(s->cfg[i], "run.threads", "1", msg, sizeof msg) != LS_OK) {
            cli_error("run.threads: %s", msg);
            return EXIT_RUNTIME;
        }
        if (levels_of(s->cfg[i]) != s->eye_levels)
            s->eye_levels = 0;
    }
    return EXIT_OK;
}

/* The options of one process that are not part of the sweep itself. */
typedef struct {
    char *assign[256];          /* -s, in order (sweep.assign points here) */
    long threads;               /* --threads */
    const char *csv, *json, *plot;
    char eye_ber[96];           /* "eye.target_ber=P" of --eye-ber P, an override after the -s ones */
    ls_config *base;            /* PRESET or FILE.ini, then the -s overrides */
    size_t n_pts;               /* the product of the --param value counts */
    cli_outfile oc, oj;         /* --csv (or the temporary CSV of --plot), --json; rank 0 only */
} sweep_opts;

/* 1 for an option that takes a value (the next argument). */
static int takes_value(const char *a)
{
    static const char *const valued[] = { "-s",      "--set", "--param", "--metric", "--mode",
                                          "--threads", "--csv", "--json", "--shard",  "--plot", "--eye-ber",
                                          "--com-config" };
    for (size_t k = 0; k < sizeof valued / sizeof *valued; k++)
        if (!strcmp(a, valued[k]))
            return 1;
    return 0;
}

/* Option a (takes_value) with its value v into s and o: 0, or EXIT_USAGE after printing why. */
static int sweep_option(sweep *s, sweep_opts *o, const char *a, char *v)
{
    if (!strcmp(a, "-s") || !strcmp(a, "--set")) {
        if (s->n_assign >= 256) {
            cli_error("sweep: at most 256 -s overrides");
            return EXIT_USAGE;
        }
        o->assign[s->n_assign++] = v;
    } else if (!strcmp(a, "--param")) {
        if (s->np >= SWEEP_MAX_PARAMS || parse_param(v, &s->prm[s->np])) {
            /* one --param too many is named by the option itself, not by its value */
            cli_error("--param %s: expected KEY=V1,V2,... or KEY=START:STOP:N[:log] (at most %d parameters)",
                      s->np >= SWEEP_MAX_PARAMS ? a : v, SWEEP_MAX_PARAMS);
            if (s->np < SWEEP_MAX_PARAMS)
                s->np++; /* its values are freed below */
            return EXIT_USAGE;
        }
        o->n_pts *= s->prm[s->np++].n;
        if (o->n_pts > SWEEP_MAX_POINTS) {
            cli_error("sweep: more than %d points", SWEEP_MAX_POINTS);
            return EXIT_USAGE;
        }
    } else if (!strcmp(a, "--metric")) {
        if (!(s->metrics = parse_metrics(v))) {
            cli_error("--metric %s: expected ber, eye, reach, energy or com, or a comma-separated list of them", v);
            return EXIT_USAGE;
        }
    } else if (!strcmp(a, "--mode")) {
        if (strcmp(v, "mc") && strcmp(v, "stat")) {
            cli_error("--mode %s: expected mc or stat", v);
            return EXIT_USAGE;
        }
        s->stat = !strcmp(v, "stat");
    } else if (!strcmp(a, "--threads")) {
        char *end;
        o->threads = strtol(v, &end, 10);
        if (*end || o->threads < 1 || o->threads > 256) {
            cli_error("--threads %s: expected 1..256", v);
            return EXIT_USAGE;
        }
    } else if (!strcmp(a, "--eye-ber")) {
        snprintf(o->eye_ber, sizeof o->eye_ber, "eye.target_ber=%s", v);
    } else if (!strcmp(a, "--com-config")) {
        s->com_config = v;
    } else if (!strcmp(a, "--csv")) {
        o->csv = v;
    } else if (!strcmp(a, "--json")) {
        o->json = v;
    } else if (!strcmp(a, "--plot")) {
        if (cli_plot_check_out(o->plot = v))
            return EXIT_USAGE;
    } else if (!strcmp(a, "--shard")) {
        if (parse_shard(v, &s->shard_i, &s->shard_n)) {
            cli_error("--shard %s: expected I/N with 0 <= I < N", v);
            return EXIT_USAGE;
        }
    }
    return 0;
}

/* The command line into s and o (the base configuration loaded): CLI_CONTINUE, or the exit status
   (help printed on rank 0, or a usage error). */
static int sweep_parse(int argc, char **argv, int rank, sweep *s, sweep_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            if (rank == 0)
                sweep_usage(stdout);
            return EXIT_OK;
        }
        if (takes_value(a)) {
            if (i + 1 >= argc) {
                cli_error("sweep: option '%s' needs a value", a);
                return EXIT_USAGE;
            }
            if (sweep_option(s, o, a, argv[++i]))
                return EXIT_USAGE;
        } else if (a[0] == '-') {
            cli_error("sweep: unknown option '%s' (see 'lanesim sweep --help')", a);
            return EXIT_USAGE;
        } else if (!o->base) {
            s->input = a;
            if (!(o->base = cli_load_config(a, NULL, 0)))
                return EXIT_USAGE;
        } else {
            cli_error("sweep: exactly one PRESET or FILE.ini expected");
            return EXIT_USAGE;
        }
    }
    if (!o->base || !s->np) {
        cli_error(!o->base ? "sweep: missing PRESET or FILE.ini" : "sweep: at least one --param is needed");
        return EXIT_USAGE;
    }
    if (o->eye_ber[0]) { /* after the -s overrides, so that the option wins */
        if (s->n_assign >= 256) {
            cli_error("sweep: at most 256 -s overrides");
            return EXIT_USAGE;
        }
        o->assign[s->n_assign++] = o->eye_ber;
    }
    return CLI_CONTINUE;
}

/* The -s overrides on the base, every point's configuration, the fingerprint, and on rank 0 the
   output files. EXIT_OK, or the exit status after printing why. */
static int sweep_setup(sweep *s, sweep_opts *o, int rank)
{
    char msg[512];
    for (int i = 0; i < s->n_assign; i++)
        if (ls_config_set_assignment(o->base, o->assign[i], msg, sizeof msg) != LS_OK) {
            if (o->assign[i] == o->eye_ber)
                cli_error("--eye-ber %s: %s", o->eye_ber + strlen("eye.target_ber="), msg);
            else
                cli_error("-s %s: %s", o->assign[i], msg);
            return EXIT_USAGE;
        }
    s->n_pts = o->n_pts;
    int rc = build_grid(s, o->base);
    if (rc != EXIT_OK)
        return rc;
    s->id = fingerprint(s, o->base);
    if (s->com_config && !(s->metrics & SW_COM)) {
        cli_error("--com-config needs --metric com");
        return EXIT_USAGE;
    }
    if (s->metrics & SW_COM) { /* the configuration(s) load before any point runs */
        for (size_t i = 0; i < s->n_pts; i++) {
            const char *name = s->com_config ? s->com_config : cli_com_default_config(s->cfg[i]);
            struct ls_com_config *cc = cli_com_config(name, NULL, 0, &rc);
            if (!cc)
                return rc;
            ls_com_config_destroy(cc);
            if (s->com_config)
                break;
        }
    }
    /* without --csv, --plot draws from a temporary CSV */
    if (rank == 0 && (((o->csv || o->plot) && cli_out_open(&o->oc, o->csv ? o->csv : o->plot)) ||
                      (o->json && cli_out_open(&o->oj, o->json))))
        return EXIT_USAGE;
    return EXIT_OK;
}

/* Evaluates the points of this process, then gathers the results on rank 0; every rank takes part
   and they agree whether everything arrived. EXIT_OK, or EXIT_RUNTIME (rank 0 says why). */
static int sweep_run(sweep *s, const sweep_opts *o, int rank, int size)
{
    int ran = sweep_run_points(s, rank, size, o->threads, rank == 0 && isatty(STDERR_FILENO));
    if (ran != 0)
        cli_error("out of memory");
    int gathered = sweep_mpi_gather(s, rank, size);
    int rc = sweep_mpi_agree(ran || gathered ? EXIT_RUNTIME : EXIT_OK);
    if (rc != EXIT_OK && rank == 0 && !ran)
        cli_error(gathered ? "sweep: gathering the results on rank 0 failed (out of memory)"
                           : "sweep: another MPI rank ran out of memory");
    return rc;
}

/* Rank 0: the first failed point, or the table on stdout, the CSV, the JSON and the plot. The exit
   status. */
static int sweep_report(sweep *s, sweep_opts *o)
{
    for (size_t i = 0; i < s->n_pts; i++)
        if (sweep_mine(s, i) && s->res[i].st != LS_OK) {
            cli_error("point %zu: %s", i, s->res[i].msg[0] ? s->res[i].msg : ls_strerror(s->res[i].st));
            return cli_exit_status(s->res[i].st);
        }
    int rc = EXIT_OK;
    sweep_write_rows(s, stdout, "  ");
    if (o->csv || o->plot)
        sweep_write_csv(s, o->oc.f);
    if (o->csv && cli_out_commit(&o->oc))
        rc = EXIT_RUNTIME;
    if (o->json && rc == EXIT_OK && cli_out_json(&o->oj, sweep_json(s)))
        rc = EXIT_RUNTIME;
    if (o->plot && !o->csv && rc == EXIT_OK && fflush(o->oc.f) != 0) {
        cli_error("%s: write failed", o->oc.tmp);
        rc = EXIT_RUNTIME;
    }
    if (o->plot && rc == EXIT_OK)
        rc = cli_plot("ber-length", o->csv ? o->csv : o->oc.tmp, o->plot);
    return rc;
}

static void sweep_free(sweep *s, sweep_opts *o)
{
    cli_out_abort(&o->oc);
    cli_out_abort(&o->oj);
    for (size_t i = 0; s->cfg && i < s->n_pts; i++)
        ls_config_destroy(s->cfg[i]);
    free(s->cfg);
    free(s->res);
    for (unsigned k = 0; k < s->np; k++)
        for (unsigned v = 0; v < s->prm[k].n; v++)
            free(s->prm[k].values[v]);
    ls_config_destroy(o->base);
}

/* The sweep of one process, or of one MPI rank (rank 0 writes): sweep_parse, sweep_setup, then on
   every rank's agreement sweep_run and sweep_report. Returns the EXIT_* code. */
static int sweep_main(int argc, char **argv, int rank, int size, int local)
{
    sweep s = { .metrics = SW_BER };
    sweep_opts o = { .threads = sysconf(_SC_NPROCESSORS_ONLN) / (local > 0 ? local : 1), .n_pts = 1 };
    s.assign = o.assign;
    if (o.threads < 1)
        o.threads = 1;
    int rc = sweep_parse(argc, argv, rank, &s, &o);
    if (rc == CLI_CONTINUE)
        rc = sweep_setup(&s, &o, rank);
    /* every rank agrees before any point runs: a rank that failed above stops them all */
    int agreed = sweep_mpi_agree(rc);
    if (agreed != EXIT_OK || rc != EXIT_OK || !s.cfg) {
        if (rank == 0 && rc == EXIT_OK && agreed != EXIT_OK)
            cli_error("sweep: the setup failed on another MPI rank");
        rc = agreed;
    } else {
        rc = sweep_run(&s, &o, rank, size);
        if (rank == 0 && rc == EXIT_OK)
            rc = sweep_report(&s, &o);
        rc = sweep_mpi_agree(rc); /* every rank exits with rank 0's verdict */
    }
    sweep_free(&s, &o);
    return rc;
}

int cmd_sweep(int argc, char **argv)
{
    int rank, size, local;
    sweep_mpi_init(&rank, &size, &local);
    if (rank != 0)
        cli_quiet = 1; /* rank 0 reports; the setup is the same on every rank */
    int rc = sweep_main(argc, argv, rank, size, local);
    sweep_mpi_finalize();
    return rc;
}

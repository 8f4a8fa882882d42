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
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "lanesim/link.h"
#include "lanesim/energy.h"
#include "lanesim/reach.h"
#include "lanesim/run.h"
#include "lanesim/stateye.h"
#include "sweep.h"

static void sweep_usage(FILE *f)
{
    fputs("usage: lanesim sweep PRESET|FILE.ini --param KEY=V1,V2,...|START:STOP:N[:log] [--param ...] [options]\n"
          "  -s, --set section.key=value   fixed override (repeatable)\n"
          "      --param KEY=...           swept key: a list, or N values from START to STOP (linear or log)\n"
          "      --metric M[,M...]         per point: ber (default), eye (height and width of each sub-eye),\n"
          "                                reach (the search of 'lanesim reach' on link.length_m),\n"
          "                                energy (pJ/bit end to end and of the module, from the power model)\n"
          "      --mode mc|stat            BER and eye by Monte Carlo (default) or statistical analysis\n"
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
            snprintf(buf, sizeof buf, "%.10g", x);
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
    } known[] = { { "ber", SW_BER }, { "eye", SW_EYE }, { "reach", SW_REACH }, { "energy", SW_ENERGY } };
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
    return fnv(h, tail);
}

/* One point, every metric asked for; r->st and r->msg say how it went. */
static void evaluate(const sweep *s, size_t i, sweep_result *r)
{
    const ls_config *c = s->cfg[i];
    ls_status st = LS_OK;
    if ((s->metrics & (SW_BER | SW_EYE)) && s->stat) {
        ls_link *l = ls_link_create(c, 64, r->msg, sizeof r->msg, &st);
        ls_stateye_result sr;
        if (l && (st = ls_link_stat(l, ls_config_real(c, "eye.target_ber"), &sr)) == LS_OK) {
            const ls_link_info *li = ls_link_get_info(l);
            r->stat_ber = sr.ber;
            r->snr_eq_db = li->snr_eq_db;
            r->n_eyes = li->levels - 1 <= SWEEP_MAX_EYES ? li->levels - 1 : SWEEP_MAX_EYES;
            for (unsigned e = 0; e < r->n_eyes; e++) {
                r->eye_height_v[e] = sr.eye[e].height_v;
                r->eye_width_ui[e] = sr.eye[e].width_ui;
            }
        }
        ls_link_destroy(l);
    } else if (s->metrics & (SW_BER | SW_EYE)) {
        ls_run_result rr;
        if ((st = ls_run(c, NULL, NULL, &rr, r->msg, sizeof r->msg)) == LS_OK) {
            r->ber = rr.ber.ber;
            r->lo = rr.ber.ber_ci95_lo;
            r->hi = rr.ber.ber_ci95_hi;
            r->ser = rr.ber.ser;
            r->bits = rr.counts.bits;
            r->bit_errors = rr.counts.bit_errors;
            r->snr_eq_db = rr.link.snr_eq_db;
            r->n_eyes = rr.eye.n_eyes <= SWEEP_MAX_EYES ? rr.eye.n_eyes : SWEEP_MAX_EYES;
            for (unsigned e = 0; e < r->n_eyes; e++) {
                r->eye_height_v[e] = rr.eye.eye[e].height_v;
                r->eye_width_ui[e] = rr.eye.eye[e].width_ui;
            }
            ls_run_result_free(&rr);
        }
    }
    if (st == LS_OK && (s->metrics & SW_REACH)) {
        ls_reach_options o;
        ls_reach_options_init(&o);
        ls_reach_result rr;
        if ((st = ls_reach(c, &o, &rr, r->msg, sizeof r->msg)) == LS_OK) {
            r->reach_m = rr.reach_m;
            r->margin_db = rr.margin_db;
            r->reach_ber = rr.ber_at_reach;
            snprintf(r->limited_by, sizeof r->limited_by, "%s", rr.limited_by ? rr.limited_by : "");
        }
    }
    if (st == LS_OK && (s->metrics & SW_ENERGY)) {
        ls_energy e;
        if ((st = ls_energy_compute(c, &e, r->msg, sizeof r->msg)) == LS_OK) {
            r->pj_per_bit = e.pj_per_bit;
            r->module_pj_per_bit = e.module_pj_per_bit;
            r->total_mw = e.total_mw;
        }
    }
    r->st = st;
}

/* The points of this process (its shard, its MPI rank), run by cli_parallel in index order. */
typedef struct {
    sweep *s;
    const size_t *mine;
    cli_bar bar;
} pool;

static void run_one(void *ctx, size_t j)
{
    pool *p = ctx;
    evaluate(p->s, p->mine[j], &p->s->res[p->mine[j]]);
}

static void one_done(void *ctx, size_t done, size_t n)
{
    cli_bar_draw(&((pool *)ctx)->bar, done, n);
}

/* Evaluates this process's points on up to `threads` threads. 0, or -1 when out of memory. */
static int run_points(sweep *s, int rank, int size, long threads, int bar)
{
    size_t *mine = malloc((s->n_pts ? s->n_pts : 1) * sizeof *mine), n = 0;
    if (!mine)
        return -1;
    for (size_t i = 0; i < s->n_pts; i++)
        if (sweep_mine(s, i) && sweep_rank_of(s, i, size) == rank)
            mine[n++] = i;
    pool p = { .s = s, .mine = mine };
    cli_bar_start(&p.bar, "sweep", "points", bar);
    cli_parallel(n, threads, run_one, one_done, &p);
    free(mine);
    return 0;
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

/* The sweep of one process, or of one MPI rank (rank 0 writes). Returns the EXIT_* code. */
static int sweep_main(int argc, char **argv, int rank, int size, int local)
{
    sweep s = { .metrics = SW_BER };
    char *assign[256];
    int rc = EXIT_USAGE;
    long threads = sysconf(_SC_NPROCESSORS_ONLN) / (local > 0 ? local : 1);
    const char *csv = NULL, *json = NULL, *plot = NULL;
    ls_config *base = NULL;
    size_t n_pts = 1;
    cli_outfile oc = { 0 }, oj = { 0 };
    s.assign = assign;
    if (threads < 1)
        threads = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            if (rank == 0)
                sweep_usage(stdout);
            rc = EXIT_OK;
            goto out;
        }
        if ((!strcmp(a, "-s") || !strcmp(a, "--set") || !strcmp(a, "--param") || !strcmp(a, "--metric") ||
             !strcmp(a, "--mode") || !strcmp(a, "--threads") || !strcmp(a, "--csv") || !strcmp(a, "--json") ||
             !strcmp(a, "--shard") || !strcmp(a, "--plot")) &&
            !val) {
            cli_error("sweep: option '%s' needs a value", a);
            goto out;
        }
        if (!strcmp(a, "-s") || !strcmp(a, "--set")) {
            if (s.n_assign >= 256) {
                cli_error("sweep: at most 256 -s overrides");
                goto out;
            }
            assign[s.n_assign++] = argv[++i];
        } else if (!strcmp(a, "--param")) {
            if (s.np >= SWEEP_MAX_PARAMS || parse_param(argv[++i], &s.prm[s.np])) {
                cli_error("--param %s: expected KEY=V1,V2,... or KEY=START:STOP:N[:log] (at most %d parameters)",
                          argv[i], SWEEP_MAX_PARAMS);
                if (s.np < SWEEP_MAX_PARAMS)
                    s.np++; /* its values are freed below */
                goto out;
            }
            n_pts *= s.prm[s.np++].n;
            if (n_pts > SWEEP_MAX_POINTS) {
                cli_error("sweep: more than %d points", SWEEP_MAX_POINTS);
                goto out;
            }
        } else if (!strcmp(a, "--metric")) {
            if (!(s.metrics = parse_metrics(argv[++i]))) {
                cli_error("--metric %s: expected ber, eye, reach or energy, or a comma-separated list of them", argv[i]);
                goto out;
            }
        } else if (!strcmp(a, "--mode")) {
            ++i;
            if (strcmp(argv[i], "mc") && strcmp(argv[i], "stat")) {
                cli_error("--mode %s: expected mc or stat", argv[i]);
                goto out;
            }
            s.stat = !strcmp(argv[i], "stat");
        } else if (!strcmp(a, "--threads")) {
            char *end;
            threads = strtol(argv[++i], &end, 10);
            if (*end || threads < 1 || threads > 256) {
                cli_error("--threads %s: expected 1..256", argv[i]);
                goto out;
            }
        } else if (!strcmp(a, "--csv")) {
            csv = argv[++i];
        } else if (!strcmp(a, "--json")) {
            json = argv[++i];
        } else if (!strcmp(a, "--plot")) {
            if (cli_plot_check_out(plot = argv[++i]))
                goto out;
        } else if (!strcmp(a, "--shard")) {
            if (parse_shard(argv[++i], &s.shard_i, &s.shard_n)) {
                cli_error("--shard %s: expected I/N with 0 <= I < N", argv[i]);
                goto out;
            }
        } else if (a[0] == '-') {
            cli_error("sweep: unknown option '%s' (see 'lanesim sweep --help')", a);
            goto out;
        } else if (!base) {
            s.input = a;
            if (!(base = cli_load_config(a, NULL, 0)))
                goto out;
        } else {
            cli_error("sweep: exactly one PRESET or FILE.ini expected");
            goto out;
        }
    }
    if (!base || !s.np) {
        cli_error(!base ? "sweep: missing PRESET or FILE.ini" : "sweep: at least one --param is needed");
        goto out;
    }
    char msg[512];
    for (int i = 0; i < s.n_assign; i++)
        if (ls_config_set_assignment(base, assign[i], msg, sizeof msg) != LS_OK) {
            cli_error("-s %s: %s", assign[i], msg);
            goto out;
        }
    s.n_pts = n_pts;
    if ((rc = build_grid(&s, base)) != EXIT_OK)
        goto out;
    s.id = fingerprint(&s, base);
    rc = EXIT_USAGE;
    /* without --csv, --plot draws from a temporary CSV */
    if (rank == 0 && (((csv || plot) && cli_out_open(&oc, csv ? csv : plot)) || (json && cli_out_open(&oj, json))))
        goto out;
    rc = EXIT_OK;
out:;
    /* every rank agrees before any point runs: a rank that failed above stops them all */
    int agreed = sweep_mpi_agree(rc);
    if (agreed != EXIT_OK || rc != EXIT_OK || !s.cfg) {
        if (rank == 0 && rc == EXIT_OK && agreed != EXIT_OK)
            cli_error("sweep: the setup failed on another MPI rank");
        rc = agreed;
        goto done;
    }
    /* every rank takes part in the gathering, then they agree whether everything arrived */
    int ran = run_points(&s, rank, size, threads, rank == 0 && isatty(STDERR_FILENO));
    if (ran != 0)
        cli_error("out of memory");
    int gathered = sweep_mpi_gather(&s, rank, size);
    rc = sweep_mpi_agree(ran || gathered ? EXIT_RUNTIME : EXIT_OK);
    if (rc != EXIT_OK && rank == 0 && !ran)
        cli_error(gathered ? "sweep: gathering the results on rank 0 failed (out of memory)"
                           : "sweep: another MPI rank ran out of memory");
    if (rank == 0 && rc == EXIT_OK) {
        for (size_t i = 0; i < s.n_pts && rc == EXIT_OK; i++)
            if (sweep_mine(&s, i) && s.res[i].st != LS_OK) {
                cli_error("point %zu: %s", i, s.res[i].msg[0] ? s.res[i].msg : ls_strerror(s.res[i].st));
                rc = s.res[i].st == LS_EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
            }
        if (rc == EXIT_OK) {
            sweep_write_rows(&s, stdout, "  ");
            if (csv || plot)
                sweep_write_csv(&s, oc.f);
            if (csv && cli_out_commit(&oc))
                rc = EXIT_RUNTIME;
            if (json && rc == EXIT_OK && cli_out_json(&oj, sweep_json(&s)))
                rc = EXIT_RUNTIME;
            if (plot && !csv && rc == EXIT_OK && fflush(oc.f) != 0) {
                cli_error("%s: write failed", oc.tmp);
                rc = EXIT_RUNTIME;
            }
            if (plot && rc == EXIT_OK)
                rc = cli_plot("ber-length", csv ? csv : oc.tmp, plot);
        }
    }
    rc = sweep_mpi_agree(rc); /* every rank exits with rank 0's verdict */
done:
    cli_out_abort(&oc);
    cli_out_abort(&oj);
    for (size_t i = 0; s.cfg && i < s.n_pts; i++)
        ls_config_destroy(s.cfg[i]);
    free(s.cfg);
    free(s.res);
    for (unsigned k = 0; k < s.np; k++)
        for (unsigned v = 0; v < s.prm[k].n; v++)
            free(s.prm[k].values[v]);
    ls_config_destroy(base);
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

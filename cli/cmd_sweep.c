/*
 * lanesim sweep: the grid of all combinations of --param values, each point a full evaluation
 * (Monte Carlo run, statistical analysis, or reach search), points in parallel, results written in
 * point order (one CSV row per point) so the output does not depend on --threads. Each point runs
 * single-threaded with the run.* keys as given, so it equals `lanesim run` with the same keys.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lanesim/link.h"
#include "lanesim/reach.h"
#include "lanesim/run.h"

#define MAX_PARAMS 8
#define MAX_VALUES 4096
#define MAX_POINTS 100000

typedef enum { M_BER, M_REACH } metric;

typedef struct {
    char key[128];
    char *values[MAX_VALUES];
    unsigned n;
} param;

typedef struct {
    ls_config *c;            /* the point's configuration */
    ls_status st;
    char msg[512];
    double ber, lo, hi, ser, stat_ber, reach_m, margin_db, snr_eq_db;
    uint64_t bits, bit_errors;
    const char *limited_by;
} point;

typedef struct {
    point *pts;
    size_t n, next;
    metric m;
    int stat;
    pthread_mutex_t lock;
} pool;

static void sweep_usage(FILE *f)
{
    fputs("usage: lanesim sweep PRESET|FILE.ini --param KEY=V1,V2,...|START:STOP:N[:log] [--param ...] [options]\n"
          "  -s, --set section.key=value   fixed override (repeatable)\n"
          "      --param KEY=...           swept key: a list, or N values from START to STOP (linear or log)\n"
          "      --metric ber|reach        per point: BER (default) or the reach search (link.length_m)\n"
          "      --mode mc|stat            BER by Monte Carlo (default) or statistical analysis\n"
          "      --threads T               points evaluated in parallel (default: all cores)\n"
          "      --csv FILE                one row per point: swept keys, then the metrics\n"
          "      --plot FILE.png|FILE.svg  the metric vs the first --param, a line per value of the others (gnuplot)\n"
          "  -h, --help                    this help\n",
          f);
}

static int parse_param(const char *spec, param *p)
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
        if ((tail[0] && !lg) || n < 1 || n > MAX_VALUES || (lg && !(a > 0 && b > 0)))
            return -1;
        for (unsigned i = 0; i < n; i++) {
            double t = n == 1 ? 0 : (double)i / (n - 1);
            double x = lg ? a * pow(b / a, t) : a + (b - a) * t;
            char buf[64];
            snprintf(buf, sizeof buf, "%.10g", x);
            if (!(p->values[i] = strdup(buf)))
                return -1;
        }
        p->n = n;
        return 0;
    }
    char *copy = strdup(v), *save = NULL;
    if (!copy)
        return -1;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (p->n >= MAX_VALUES || !(p->values[p->n++] = strdup(tok))) {
            free(copy);
            return -1;
        }
    }
    free(copy);
    return p->n ? 0 : -1;
}

static void *worker(void *arg)
{
    pool *pl = arg;
    for (;;) {
        pthread_mutex_lock(&pl->lock);
        size_t i = pl->next++;
        pthread_mutex_unlock(&pl->lock);
        if (i >= pl->n)
            return NULL;
        point *pt = &pl->pts[i];
        if (pl->m == M_REACH) {
            ls_reach_options o;
            ls_reach_options_init(&o);
            ls_reach_result r;
            if ((pt->st = ls_reach(pt->c, &o, &r, pt->msg, sizeof pt->msg)) == LS_OK) {
                pt->reach_m = r.reach_m;
                pt->margin_db = r.margin_db;
                pt->limited_by = r.limited_by;
                pt->ber = r.ber_at_reach;
            }
        } else if (pl->stat) {
            ls_link *l = ls_link_create(pt->c, 64, pt->msg, sizeof pt->msg, &pt->st);
            ls_stateye_result sr;
            if (l && (pt->st = ls_link_stat(l, 1e-6, &sr)) == LS_OK) {
                pt->stat_ber = sr.ber;
                pt->snr_eq_db = ls_link_get_info(l)->snr_eq_db;
            }
            ls_link_destroy(l);
        } else {
            ls_run_result r;
            if ((pt->st = ls_run(pt->c, NULL, NULL, &r, pt->msg, sizeof pt->msg)) == LS_OK) {
                pt->ber = r.ber.ber;
                pt->lo = r.ber.ber_ci95_lo;
                pt->hi = r.ber.ber_ci95_hi;
                pt->ser = r.ber.ser;
                pt->bits = r.counts.bits;
                pt->bit_errors = r.counts.bit_errors;
                pt->snr_eq_db = r.link.snr_eq_db;
                ls_run_result_free(&r);
            }
        }
    }
}

int cmd_sweep(int argc, char **argv)
{
    param prm[MAX_PARAMS];
    unsigned np = 0;
    char *assign[256];
    int n_assign = 0, rc = EXIT_USAGE, stat = 0;
    long threads = sysconf(_SC_NPROCESSORS_ONLN);
    metric m = M_BER;
    const char *csv = NULL, *plot = NULL;
    ls_config *base = NULL;
    point *pts = NULL;
    size_t n_pts = 1;
    cli_outfile oc = { 0 };
    memset(prm, 0, sizeof prm);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            sweep_usage(stdout);
            rc = EXIT_OK;
            goto out;
        }
        if ((!strcmp(a, "-s") || !strcmp(a, "--set") || !strcmp(a, "--param") || !strcmp(a, "--metric") ||
             !strcmp(a, "--mode") || !strcmp(a, "--threads") || !strcmp(a, "--csv") || !strcmp(a, "--plot")) && !val) {
            cli_error("sweep: option '%s' needs a value", a);
            goto out;
        }
        if (!strcmp(a, "-s") || !strcmp(a, "--set")) {
            if (n_assign < 256)
                assign[n_assign++] = argv[++i];
        } else if (!strcmp(a, "--param")) {
            if (np >= MAX_PARAMS || parse_param(argv[++i], &prm[np])) {
                cli_error("--param %s: expected KEY=V1,V2,... or KEY=START:STOP:N[:log] (at most %d parameters)",
                          argv[i], MAX_PARAMS);
                goto out;
            }
            n_pts *= prm[np++].n;
        } else if (!strcmp(a, "--metric")) {
            ++i;
            if (!strcmp(argv[i], "ber"))
                m = M_BER;
            else if (!strcmp(argv[i], "reach"))
                m = M_REACH;
            else {
                cli_error("--metric %s: expected ber or reach", argv[i]);
                goto out;
            }
        } else if (!strcmp(a, "--mode")) {
            ++i;
            if (strcmp(argv[i], "mc") && strcmp(argv[i], "stat")) {
                cli_error("--mode %s: expected mc or stat", argv[i]);
                goto out;
            }
            stat = !strcmp(argv[i], "stat");
        } else if (!strcmp(a, "--threads")) {
            threads = strtol(argv[++i], NULL, 10);
            if (threads < 1 || threads > 256) {
                cli_error("--threads %s: expected 1..256", argv[i]);
                goto out;
            }
        } else if (!strcmp(a, "--csv")) {
            csv = argv[++i];
        } else if (!strcmp(a, "--plot")) {
            if (cli_plot_check_out(plot = argv[++i]))
                goto out;
        } else if (a[0] == '-') {
            cli_error("sweep: unknown option '%s' (see 'lanesim sweep --help')", a);
            goto out;
        } else if (!base) {
            if (!(base = cli_load_config(a, NULL, 0)))
                goto out;
        } else {
            cli_error("sweep: exactly one PRESET or FILE.ini expected");
            goto out;
        }
    }
    if (!base || !np) {
        cli_error(!base ? "sweep: missing PRESET or FILE.ini" : "sweep: at least one --param is needed");
        goto out;
    }
    char msg[512];
    for (int i = 0; i < n_assign; i++)
        if (ls_config_set_assignment(base, assign[i], msg, sizeof msg) != LS_OK) {
            cli_error("-s %s: %s", assign[i], msg);
            goto out;
        }
    if (n_pts > MAX_POINTS) {
        cli_error("sweep: %zu points (at most %d)", n_pts, MAX_POINTS);
        goto out;
    }
    /* every point's configuration, validated before anything runs */
    if (!(pts = calloc(n_pts, sizeof *pts))) {
        cli_error("out of memory");
        rc = EXIT_RUNTIME;
        goto out;
    }
    for (size_t i = 0; i < n_pts; i++) {
        if (!(pts[i].c = ls_config_copy(base))) {
            cli_error("out of memory");
            rc = EXIT_RUNTIME;
            goto out;
        }
        size_t r = i;
        for (unsigned k = np; k-- > 0;) {
            const char *v = prm[k].values[r % prm[k].n];
            r /= prm[k].n;
            if (ls_config_set(pts[i].c, prm[k].key, v, msg, sizeof msg) != LS_OK) {
                cli_error("--param %s=%s: %s", prm[k].key, v, msg);
                goto out;
            }
        }
        if (ls_config_find(pts[i].c, "run.threads") && ls_config_set(pts[i].c, "run.threads", "1", msg, sizeof msg) != LS_OK)
            goto out;
    }
    if ((csv || plot) && cli_out_open(&oc, csv ? csv : plot)) /* without --csv, a temporary CSV for the plot */
        goto out;
    pool pl = { .pts = pts, .n = n_pts, .m = m, .stat = stat };
    pthread_mutex_init(&pl.lock, NULL);
    pthread_t tid[256];
    long nt = threads < (long)n_pts ? threads : (long)n_pts, started = 0;
    for (long t = 0; t < nt; t++)
        if (pthread_create(&tid[t], NULL, worker, &pl) == 0)
            started++;
    if (!started)
        worker(&pl);
    for (long t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&pl.lock);
    rc = EXIT_RUNTIME;
    for (size_t i = 0; i < n_pts; i++)
        if (pts[i].st != LS_OK) {
            cli_error("point %zu: %s", i, pts[i].msg[0] ? pts[i].msg : ls_strerror(pts[i].st));
            rc = pts[i].st == LS_EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
            goto out;
        }
    /* table and CSV, in point order */
    FILE *outs[2] = { stdout, oc.f };
    for (int o = 0; o < 2; o++) {
        FILE *f = outs[o];
        if (!f)
            continue;
        const char *sep = o ? "," : "  ";
        for (unsigned k = 0; k < np; k++)
            fprintf(f, "%s%s", k ? sep : "", prm[k].key);
        if (m == M_REACH)
            fprintf(f, "%sreach_m%sber_at_reach%smargin_db%slimited_by\n", sep, sep, sep, sep);
        else if (stat)
            fprintf(f, "%sstat_ber%ssnr_eq_db\n", sep, sep);
        else
            fprintf(f, "%sber%sber_ci95_lo%sber_ci95_hi%sser%sbit_errors%sbits%ssnr_eq_db\n", sep, sep, sep, sep, sep,
                    sep, sep);
        for (size_t i = 0; i < n_pts; i++) {
            const point *pt = &pts[i];
            for (unsigned k = 0; k < np; k++)
                fprintf(f, "%s%s", k ? sep : "", ls_config_str(pt->c, prm[k].key));
            if (m == M_REACH)
                fprintf(f, "%s%.6g%s%.6e%s%.4f%s%s\n", sep, pt->reach_m, sep, pt->ber, sep, pt->margin_db, sep,
                        pt->limited_by);
            else if (stat)
                fprintf(f, "%s%.6e%s%.4f\n", sep, pt->stat_ber, sep, pt->snr_eq_db);
            else
                fprintf(f, "%s%.6e%s%.6e%s%.6e%s%.6e%s%llu%s%llu%s%.4f\n", sep, pt->ber, sep, pt->lo, sep, pt->hi, sep,
                        pt->ser, sep, (unsigned long long)pt->bit_errors, sep, (unsigned long long)pt->bits, sep,
                        pt->snr_eq_db);
        }
    }
    if (csv && cli_out_commit(&oc))
        goto out;
    if (plot && !csv && fflush(oc.f) != 0) {
        cli_error("%s: write failed", oc.tmp);
        goto out;
    }
    rc = plot ? cli_plot("ber-length", csv ? csv : oc.tmp, plot) : EXIT_OK;
out:
    cli_out_abort(&oc);
    for (size_t i = 0; pts && i < n_pts; i++)
        ls_config_destroy(pts[i].c);
    free(pts);
    for (unsigned k = 0; k < MAX_PARAMS; k++)
        for (unsigned v = 0; v < prm[k].n; v++)
            free(prm[k].values[v]);
    ls_config_destroy(base);
    return rc;
}

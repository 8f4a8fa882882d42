/*
 * lanesim channel FILE.sNp|PRESET: insertion and return loss of a Touchstone channel at chosen
 * frequencies, its bulk delay, fmax, port map and warnings; a table on stdout, optional JSON
 * written atomically. Ports are 1-based here (as in the file), 0-based in the library. In stages:
 * channel_parse (the command line into channel_opts), then a preset's analytic channel
 * (channel_preset) or a Touchstone file: ts_open, ts_warnings, ts_print, ts_write_json.
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "lanesim/link.h"
#include "lanesim/touchstone.h"
#include "plotdata.h"

#define MAX_AT 256
#define MAX_WARN 64

static void channel_usage(FILE *f)
{
    fputs(
        "usage: lanesim channel FILE.sNp|PRESET|FILE.ini [options]\n"
        "  -s, --set section.key=value   override a key of a PRESET or FILE.ini\n"
        "  Loss, delay and checks of an S-parameter channel: IL = -20 log10 |SDD21| and\n"
        "  RL = -20 log10 |SDD11| (S21, S11 for 2-ports), linear in dB between file points.\n"
        "      --at F1,F2,...        frequencies (default 26.5625,53.125,106.25: the Nyquist\n"
        "                            frequencies of 53.125, 106.25 and 212.5 GBd); a bare\n"
        "                            number is in GHz, or give a unit: 26.5625GHz,\n"
        "                            26.5625e9Hz, 500MHz (up to 10000 GHz)\n"
        "      --ports ip,in,op,on   port map, 1-based: differential input (ip,in) and output\n"
        "                            (op,on) with thrus ip->op and in->on; ip,op for a\n"
        "                            single-ended path (default: the two strongest through\n"
        "                            paths at the lowest frequency)\n"
        "      --json FILE           write the results as JSON\n"
        "  -h, --help                this help\n"
        "A PRESET or FILE.ini (with -s section.key=value overrides) reports the preset's analytic\n"
        "channel (channel.type = cable), or its channel.touchstone file.\n"
        "follow. See docs/touchstone.md.\n",
        f);
}

static cJSON *port_json(unsigned p)
{
    return p == LS_PORT_NONE ? cJSON_CreateNull() : cJSON_CreateNumber(p + 1.0);
}

/* A Touchstone file name: ends in .sNp (any N; .sNp.gz too) or .ts, case-insensitive. */
static int is_touchstone_name(const char *p)
{
    size_t n = strlen(p);
    if (n > 3 && !strcasecmp(p + n - 3, ".ts"))
        return 1;
    return ls_touchstone_ports_from_name(p) > 0;
}

/* The analytic channel of a preset: IL/RL at the frequencies, delay. */
static int channel_preset(ls_config *c, const double *at, int n_at, const char *json)
{
    double f[MAX_AT], il[MAX_AT], rl[MAX_AT], delay = 0;
    double complex s21[MAX_AT], s11[MAX_AT];
    char msg[1024] = "";
    for (int i = 0; i < n_at; i++)
        f[i] = at[i] * 1e9;
    ls_status st = ls_channel_sparams(c, f, (size_t)n_at, s21, s11, &delay, msg, sizeof msg);
    if (st != LS_OK)
        return cli_fail(c, st, msg);
    printf("preset   %s (analytic channel: %s AWG twinax, %g m)\n", ls_config_preset(c), ls_config_str(c, "cable.awg"),
           ls_config_real(c, "link.length_m"));
    printf("delay    %.4f ns\n\n  %12s  %9s  %9s\n", delay * 1e9, "f (GHz)", "IL (dB)", "RL (dB)");
    for (int i = 0; i < n_at; i++) {
        il[i] = -20.0 * log10(cabs(s21[i]));
        rl[i] = -20.0 * log10(cabs(s11[i]));
        printf("  %12.10g  %9.2f  %9.2f\n", at[i], il[i], rl[i]);
    }
    if (!json)
        return EXIT_OK;
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "preset", ls_config_preset(c));
    cJSON *pts = cJSON_AddArrayToObject(j, "points");
    for (int i = 0; i < n_at; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "freq_hz", f[i]);
        cJSON_AddNumberToObject(o, "il_db", il[i]);
        cJSON_AddNumberToObject(o, "rl_db", rl[i]);
        cJSON_AddItemToArray(pts, o);
    }
    cJSON_AddNumberToObject(j, "delay_s", delay);
    cJSON_AddNullToObject(j, "fmax_hz");
    cJSON_AddArrayToObject(j, "warnings");
    cli_outfile oj;
    if (cli_out_open(&oj, json)) {
        cJSON_Delete(j);
        return EXIT_USAGE;
    }
    return cli_out_json(&oj, j) ? EXIT_RUNTIME : EXIT_OK;
}

/* What the command line asks for. */
typedef struct {
    const char *input;         /* FILE.sNp, PRESET or FILE.ini */
    char *assign[256];         /* -s */
    int n_assign;
    double at[MAX_AT];         /* --at, GHz */
    int n_at;
    ls_port_map map;           /* --ports, 0-based */
    int have_map;
    const char *json;          /* NULL when not asked for */
} channel_opts;

/* A Touchstone channel and what is reported of it. */
typedef struct {
    const char *path;
    ls_touchstone *t;
    ls_block b;                /* its SDD21 (S21) block */
    ls_port_map map;           /* as given, or detected */
    unsigned np;               /* ports */
    size_t K;                  /* frequency points */
    const double *f;           /* [K] Hz */
    double delay, f_top;       /* bulk delay (s), fmax (Hz) */
    const char *bw[MAX_WARN];  /* the block's warnings */
    size_t n_bw;
    char range_warn[1024];     /* frequencies asked for beyond the data; "" when none */
    double il[MAX_AT], rl[MAX_AT];
} ts_report;

/* --ports ip,in,op,on (or ip,op), 1-based, into o. 0, or EXIT_USAGE after printing why. */
static int parse_ports(const char *arg, channel_opts *o)
{
    double v[4];
    int n = cli_parse_list(arg, v, 4, CLI_LIST_FINITE);
    int ok = n == 2 || n == 4;
    for (int i = 0; ok && i < n; i++)
        ok = v[i] >= 1 && v[i] <= LS_TOUCHSTONE_MAX_PORTS && v[i] == floor(v[i]);
    if (!ok) {
        cli_error("--ports %s: expected ip,in,op,on (or ip,op), 1-based port numbers", arg);
        return EXIT_USAGE;
    }
    if (n == 4)
        o->map = (ls_port_map){(unsigned)v[0] - 1, (unsigned)v[1] - 1, (unsigned)v[2] - 1,
                               (unsigned)v[3] - 1};
    else
        o->map = (ls_port_map){(unsigned)v[0] - 1, LS_PORT_NONE, (unsigned)v[1] - 1, LS_PORT_NONE};
    o->have_map = 1;
    return 0;
}

/* One frequency of --at into *ghz: a number with an optional unit (Hz, kHz, MHz, GHz, THz, any
   case; a bare number is in GHz), 0 .. 10000 GHz. 0, or -1 after printing why (arg: the whole
   option). */
static int parse_freq(const char *tok, const char *arg, double *ghz)
{
    static const struct { /* GHz = value * mul / div, exact for a value given in whole GHz steps */
        const char *unit;
        double mul, div;
    } units[] = {{"Hz", 1, 1e9}, {"kHz", 1, 1e6}, {"MHz", 1, 1e3}, {"GHz", 1, 1}, {"THz", 1e3, 1}};
    char *end;
    double x = strtod(tok, &end);
    if (end == tok || isnan(x)) {
        cli_error("--at %s: '%s' is not a frequency (a number in GHz, or with a unit: 26.5625GHz, "
                  "26.5625e9Hz, 500MHz)",
                  arg, tok);
        return -1;
    }
    while (*end == ' ')
        end++;
    size_t u = 0, nu = sizeof units / sizeof units[0];
    while (*end && u < nu && strcasecmp(end, units[u].unit))
        u++;
    if (*end && u == nu) {
        cli_error("--at %s: unknown unit '%s' in '%s' (Hz, kHz, MHz, GHz or THz; a bare number "
                  "is in GHz)",
                  arg, end, tok);
        return -1;
    }
    *ghz = *end ? x * units[u].mul / units[u].div : x;
    if (!(*ghz >= 0)) {
        cli_error("--at %s: frequencies must be >= 0", arg);
        return -1;
    }
    if (*ghz > 1e4) {
        if (*end)
            cli_error("--at %s: %s is above 10000 GHz", arg, tok);
        else if (x / 1e9 <= 1e4) /* perhaps meant in hertz */
            cli_error("--at %s: %s GHz is above 10000 GHz (a bare number is in GHz; for hertz "
                      "write %sHz, which is %s GHz)",
                      arg, tok, tok, lsp_num(x / 1e9).s);
        else
            cli_error("--at %s: %s GHz is above 10000 GHz (a bare number is in GHz)", arg, tok);
        return -1;
    }
    return 0;
}

/* --at F1,F2,... into at[0..MAX_AT), in GHz: the count, or -1 after printing why. */
static int parse_at(const char *arg, double *at)
{
    char buf[4096];
    if (strlen(arg) >= sizeof buf) {
        cli_error("--at: the list is too long");
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", arg);
    int n = 0;
    for (char *p = buf;; n++) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        while (*p == ' ')
            p++;
        if (n == MAX_AT) {
            cli_error("--at %s: more than %d frequencies", arg, MAX_AT);
            return -1;
        }
        if (parse_freq(p, arg, &at[n]))
            return -1;
        if (!comma)
            return n + 1;
        p = comma + 1;
    }
}

/* The command line into o: CLI_CONTINUE, or the exit status (help printed, or a usage error). */
static int channel_parse(int argc, char **argv, channel_opts *o)
{
    enum { O_AT = 256, O_JSON, O_PORTS };
    static const struct option opts[] = {
        {"at", required_argument, NULL, O_AT},
        {"json", required_argument, NULL, O_JSON},
        {"ports", required_argument, NULL, O_PORTS},
        {"set", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":hs:", opts, NULL)) != -1) {
        switch (opt) {
        case 's':
            if (cli_add_assign(o->assign, &o->n_assign, 256, optarg))
                return EXIT_USAGE;
            break;
        case O_AT:
            if ((o->n_at = parse_at(optarg, o->at)) < 1)
                return EXIT_USAGE;
            break;
        case O_PORTS:
            if (parse_ports(optarg, o))
                return EXIT_USAGE;
            break;
        case O_JSON: o->json = optarg; break;
        case 'h': channel_usage(stdout); return EXIT_OK;
        case ':':
            cli_error("channel: option '%s' needs a value", argv[optind - 1]);
            return EXIT_USAGE;
        default:
            cli_error("channel: unknown option '%s' (see 'lanesim channel --help')",
                      argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        cli_error(optind >= argc ? "channel: missing FILE.sNp"
                                 : "channel: exactly one FILE.sNp expected");
        return EXIT_USAGE;
    }
    o->input = argv[optind];
    return CLI_CONTINUE;
}

/* Reads t->path, checks o's port map or detects one, and builds the through block. CLI_CONTINUE,
   or the exit status after printing why. */
static int ts_open(const channel_opts *o, ts_report *t)
{
    char msg[4096] = "";
    ls_status st;
    if (!(t->t = ls_touchstone_read(t->path, msg, sizeof msg, &st))) {
        cli_error("%s", msg[0] ? msg : ls_strerror(st));
        return st == LS_ENOMEM ? EXIT_RUNTIME : EXIT_USAGE;
    }
    t->np = ls_touchstone_ports(t->t);
    t->K = ls_touchstone_points(t->t);
    t->f = ls_touchstone_freq_hz(t->t);
    t->map = o->map;
    if (o->have_map && ls_touchstone_check_map(t->t, &t->map) != LS_OK) {
        cli_error("--ports: invalid port map for the %u-port file %s", t->np, t->path);
        return EXIT_USAGE;
    }
    st = ls_sparam_from_touchstone(t->t, o->have_map ? &t->map : NULL, 0.0, &t->b, msg, sizeof msg);
    if (st != LS_OK)
        return cli_fail(NULL, st, msg);
    if (!o->have_map && ls_touchstone_detect_map(t->t, &t->map) != LS_OK) {
        cli_error("%s: no through path", t->path);
        return EXIT_USAGE;
    }
    t->delay = ls_sparam_delay_s(&t->b);
    t->f_top = t->f[t->K - 1];
    return CLI_CONTINUE;
}

/* The warnings: the block's, then frequencies asked for beyond the data. */
static void ts_warnings(const channel_opts *o, ts_report *t)
{
    t->n_bw = ls_sparam_warnings(&t->b, t->bw, MAX_WARN);
    if (t->n_bw > MAX_WARN)
        t->n_bw = MAX_WARN;
    double above = -1;
    for (int i = 0; i < o->n_at; i++)
        if (o->at[i] * 1e9 > t->f_top)
            above = fmax(above, o->at[i]);
    if (above > 0)
        snprintf(t->range_warn, sizeof t->range_warn,
                 "%s: data end at fmax = %g GHz, below %g GHz: no loss is reported above fmax (a "
                 "simulation extrapolates: at least 100 dB down at %g GHz)",
                 t->path, t->f_top / 1e9, above, 2.0 * t->f_top / 1e9);
}

/* The table on stdout, evaluating the loss at each frequency, then the warnings. CLI_CONTINUE, or
   EXIT_RUNTIME after printing why. */
static int ts_print(const channel_opts *o, ts_report *t)
{
    const ls_port_map *map = &t->map;
    printf("file     %s\n", t->path);
    printf("data     %u ports, %zu points, %g .. %g GHz, z0 %g ohm\n", t->np, t->K, t->f[0] / 1e9,
           t->f_top / 1e9, ls_touchstone_z0(t->t, 0));
    if (map->in_n == LS_PORT_NONE)
        printf("ports    single-ended %u -> %u%s\n", map->in_p + 1, map->out_p + 1,
               o->have_map ? "" : " (detected)");
    else
        printf("ports    in (%u,%u) -> out (%u,%u): thrus %u->%u, %u->%u%s\n", map->in_p + 1,
               map->in_n + 1, map->out_p + 1, map->out_n + 1, map->in_p + 1, map->out_p + 1,
               map->in_n + 1, map->out_n + 1, o->have_map ? "" : " (detected)");
    printf("delay    %.4f ns\n", t->delay * 1e9);
    printf("fmax     %g GHz\n\n", t->f_top / 1e9);
    printf("  %12s  %9s  %9s\n", "f (GHz)", "IL (dB)", "RL (dB)");
    for (int i = 0; i < o->n_at; i++) {
        if (ls_touchstone_loss_db(t->t, map, o->at[i] * 1e9, &t->il[i], &t->rl[i]) != LS_OK) {
            cli_error("%s: cannot evaluate the loss at %g GHz", t->path, o->at[i]);
            return EXIT_RUNTIME;
        }
        if (isnan(t->il[i]))
            printf("  %12.10g  %9s  %9s   (above fmax)\n", o->at[i], "-", "-");
        else
            printf("  %12.10g  %9.2f  %9.2f\n", o->at[i], t->il[i], t->rl[i]);
    }
    if (t->n_bw || t->range_warn[0]) {
        printf("\nwarnings:\n");
        for (size_t i = 0; i < t->n_bw; i++)
            printf("  %s\n", t->bw[i]);
        if (t->range_warn[0])
            printf("  %s\n", t->range_warn);
    }
    return CLI_CONTINUE;
}

/* The JSON document of --json, or NULL when out of memory. */
static cJSON *ts_json(const channel_opts *o, const ts_report *t)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    cJSON_AddStringToObject(j, "file", t->path);
    cJSON *pj = cJSON_AddObjectToObject(j, "ports");
    cJSON_AddNumberToObject(pj, "count", t->np);
    cJSON_AddItemToObject(pj, "in_p", port_json(t->map.in_p));
    cJSON_AddItemToObject(pj, "in_n", port_json(t->map.in_n));
    cJSON_AddItemToObject(pj, "out_p", port_json(t->map.out_p));
    cJSON_AddItemToObject(pj, "out_n", port_json(t->map.out_n));
    cJSON_AddBoolToObject(pj, "detected", !o->have_map);
    cJSON *pts = cJSON_AddArrayToObject(j, "points");
    for (int i = 0; i < o->n_at; i++) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddNumberToObject(p, "freq_hz", o->at[i] * 1e9);
        cJSON_AddItemToObject(p, "il_db",
                              isnan(t->il[i]) ? cJSON_CreateNull() : cJSON_CreateNumber(t->il[i]));
        cJSON_AddItemToObject(p, "rl_db",
                              isnan(t->rl[i]) ? cJSON_CreateNull() : cJSON_CreateNumber(t->rl[i]));
        cJSON_AddItemToArray(pts, p);
    }
    cJSON_AddNumberToObject(j, "delay_s", t->delay);
    cJSON_AddNumberToObject(j, "fmax_hz", t->f_top);
    cJSON_AddNumberToObject(j, "fmin_hz", t->f[0]);
    cJSON *wj = cJSON_AddArrayToObject(j, "warnings");
    for (size_t i = 0; i < t->n_bw; i++)
        cJSON_AddItemToArray(wj, cJSON_CreateString(t->bw[i]));
    if (t->range_warn[0])
        cJSON_AddItemToArray(wj, cJSON_CreateString(t->range_warn));
    return j;
}

/* --json after the table. The exit status (after printing why). */
static int ts_write_json(const channel_opts *o, const ts_report *t)
{
    cJSON *j = ts_json(o, t);
    if (!j)
        return EXIT_RUNTIME;
    cli_outfile oj = {0};
    if (cli_out_open(&oj, o->json)) {
        cJSON_Delete(j);
        return EXIT_USAGE;
    }
    int bad = cli_out_json(&oj, j); /* it frees j */
    cli_out_abort(&oj);
    return bad ? EXIT_RUNTIME : EXIT_OK;
}

int cmd_channel(int argc, char **argv)
{
    channel_opts o = {.at = {26.5625, 53.125, 106.25},
                      .n_at = 3,
                      .map = {0, LS_PORT_NONE, 1, LS_PORT_NONE}};
    int rc = channel_parse(argc, argv, &o);
    if (rc != CLI_CONTINUE)
        return rc;
    ts_report t = {.path = o.input};
    ls_config *pc = NULL;
    if (!is_touchstone_name(t.path)) {
        if (!(pc = cli_load_config(t.path, o.assign, o.n_assign)))
            return EXIT_USAGE;
        if (!ls_config_find(pc, "channel.type") || strcmp(ls_config_str(pc, "channel.type"), "touchstone")) {
            rc = channel_preset(pc, o.at, o.n_at, o.json);
            ls_config_destroy(pc);
            return rc;
        }
        t.path = ls_config_str(pc, "channel.touchstone");
    } else if (o.n_assign) {
        cli_error("channel: -s applies to a PRESET or FILE.ini, not to a Touchstone file");
        return EXIT_USAGE;
    }
    if ((rc = ts_open(&o, &t)) == CLI_CONTINUE) {
        ts_warnings(&o, &t);
        if ((rc = ts_print(&o, &t)) == CLI_CONTINUE)
            rc = o.json ? ts_write_json(&o, &t) : EXIT_OK;
    }
    ls_block_destroy(&t.b);
    ls_touchstone_destroy(t.t);
    ls_config_destroy(pc);
    return rc;
}

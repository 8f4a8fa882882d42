/*
 * lanesim channel FILE.sNp|PRESET: insertion and return loss of a Touchstone channel at chosen
 * frequencies, its bulk delay, fmax, port map and warnings; a table on stdout, optional JSON
 * written atomically. Ports are 1-based here (as in the file), 0-based in the library.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "lanesim/link.h"
#include "lanesim/touchstone.h"

#define MAX_AT 256
#define MAX_WARN 64

static void channel_usage(FILE *f)
{
    fputs(
        "usage: lanesim channel FILE.sNp|PRESET|FILE.ini [options]\n"
        "  -s, --set section.key=value   override a key of a PRESET or FILE.ini\n"
        "  Loss, delay and checks of an S-parameter channel: IL = -20 log10 |SDD21| and\n"
        "  RL = -20 log10 |SDD11| (S21, S11 for 2-ports), linear in dB between file points.\n"
        "      --at F1,F2,...        frequencies in GHz (default 26.5625,53.125,106.25: the\n"
        "                            Nyquist frequencies of 53.125, 106.25 and 212.5 GBd)\n"
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

/* A Touchstone file name: ends in .sNp (any N) or .ts, case-insensitive. */
static int is_touchstone_name(const char *p)
{
    size_t n = strlen(p);
    if (n > 3 && !strcasecmp(p + n - 3, ".ts"))
        return 1;
    const char *dot = strrchr(p, '.');
    if (!dot || (dot[1] != 's' && dot[1] != 'S'))
        return 0;
    const char *q = dot + 2;
    if (!isdigit((unsigned char)*q))
        return 0;
    while (isdigit((unsigned char)*q))
        q++;
    return (*q == 'p' || *q == 'P') && !q[1];
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
    if (st != LS_OK) {
        cli_error("%s", msg[0] ? msg : ls_strerror(st));
        return st == LS_EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
    }
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

int cmd_channel(int argc, char **argv)
{
    char *assign[256];
    int n_assign = 0;
    enum { O_AT = 256, O_JSON, O_PORTS };
    static const struct option opts[] = {
        {"at", required_argument, NULL, O_AT},
        {"json", required_argument, NULL, O_JSON},
        {"ports", required_argument, NULL, O_PORTS},
        {"set", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    double at[MAX_AT] = {26.5625, 53.125, 106.25};
    int n_at = 3, have_map = 0, opt;
    const char *json = NULL;
    ls_port_map map = {0, LS_PORT_NONE, 1, LS_PORT_NONE};
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":hs:", opts, NULL)) != -1) {
        switch (opt) {
        case 's':
            if (n_assign >= 256) {
                cli_error("too many -s options");
                return EXIT_USAGE;
            }
            assign[n_assign++] = optarg;
            break;
        case O_AT:
            n_at = cli_parse_list(optarg, at, MAX_AT, CLI_LIST_FINITE);
            if (n_at < 1) {
                cli_error("--at %s: expected up to %d comma-separated frequencies in GHz", optarg,
                          MAX_AT);
                return EXIT_USAGE;
            }
            for (int i = 0; i < n_at; i++)
                if (!(at[i] >= 0)) {
                    cli_error("--at %s: frequencies must be >= 0", optarg);
                    return EXIT_USAGE;
                }
            break;
        case O_PORTS: {
            double v[4];
            int n = cli_parse_list(optarg, v, 4, CLI_LIST_FINITE);
            int ok = n == 2 || n == 4;
            for (int i = 0; ok && i < n; i++)
                ok = v[i] >= 1 && v[i] <= LS_TOUCHSTONE_MAX_PORTS && v[i] == floor(v[i]);
            if (!ok) {
                cli_error("--ports %s: expected ip,in,op,on (or ip,op), 1-based port numbers",
                          optarg);
                return EXIT_USAGE;
            }
            if (n == 4)
                map = (ls_port_map){(unsigned)v[0] - 1, (unsigned)v[1] - 1, (unsigned)v[2] - 1,
                                    (unsigned)v[3] - 1};
            else
                map = (ls_port_map){(unsigned)v[0] - 1, LS_PORT_NONE, (unsigned)v[1] - 1,
                                    LS_PORT_NONE};
            have_map = 1;
            break;
        }
        case O_JSON: json = optarg; break;
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
    const char *path = argv[optind];
    ls_config *pc = NULL;
    if (!is_touchstone_name(path)) {
        if (!(pc = cli_load_config(path, assign, n_assign)))
            return EXIT_USAGE;
        if (!ls_config_find(pc, "channel.type") || strcmp(ls_config_str(pc, "channel.type"), "touchstone")) {
            int r = channel_preset(pc, at, n_at, json);
            ls_config_destroy(pc);
            return r;
        }
        path = ls_config_str(pc, "channel.touchstone");
    } else if (n_assign) {
        cli_error("channel: -s applies to a PRESET or FILE.ini, not to a Touchstone file");
        return EXIT_USAGE;
    }

    char msg[4096] = "";
    ls_status st;
    ls_block b = {0};
    cli_outfile oj = {0};
    cJSON *j = NULL;
    int rc = EXIT_USAGE;
    ls_touchstone *t = ls_touchstone_read(path, msg, sizeof msg, &st);
    if (!t) {
        cli_error("%s", msg[0] ? msg : ls_strerror(st));
        ls_config_destroy(pc);
        return st == LS_ENOMEM ? EXIT_RUNTIME : EXIT_USAGE;
    }
    const unsigned np = ls_touchstone_ports(t);
    const size_t K = ls_touchstone_points(t);
    const double *f = ls_touchstone_freq_hz(t);
    if (have_map && ls_touchstone_check_map(t, &map) != LS_OK) {
        cli_error("--ports: invalid port map for the %u-port file %s", np, path);
        goto out;
    }
    st = ls_sparam_from_touchstone(t, have_map ? &map : NULL, 0.0, &b, msg, sizeof msg);
    if (st != LS_OK) {
        cli_error("%s", msg[0] ? msg : ls_strerror(st));
        rc = st == LS_EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
        goto out;
    }
    if (!have_map && ls_touchstone_detect_map(t, &map) != LS_OK) {
        cli_error("%s: no through path", path);
        goto out;
    }
    const double delay = ls_sparam_delay_s(&b), f_top = f[K - 1];

    /* warnings: the block's, then frequencies asked for beyond the data */
    const char *bw[MAX_WARN];
    size_t n_bw = ls_sparam_warnings(&b, bw, MAX_WARN);
    if (n_bw > MAX_WARN)
        n_bw = MAX_WARN;
    char range_warn[1024] = "";
    double above = -1;
    for (int i = 0; i < n_at; i++)
        if (at[i] * 1e9 > f_top)
            above = fmax(above, at[i]);
    if (above > 0)
        snprintf(range_warn, sizeof range_warn,
                 "%s: data end at fmax = %g GHz, below %g GHz: no loss is reported above fmax (a "
                 "simulation extrapolates: at least 100 dB down at %g GHz)",
                 path, f_top / 1e9, above, 2.0 * f_top / 1e9);

    /* table */
    printf("file     %s\n", path);
    printf("data     %u ports, %zu points, %g .. %g GHz, z0 %g ohm\n", np, K, f[0] / 1e9,
           f_top / 1e9, ls_touchstone_z0(t, 0));
    if (map.in_n == LS_PORT_NONE)
        printf("ports    single-ended %u -> %u%s\n", map.in_p + 1, map.out_p + 1,
               have_map ? "" : " (detected)");
    else
        printf("ports    in (%u,%u) -> out (%u,%u): thrus %u->%u, %u->%u%s\n", map.in_p + 1,
               map.in_n + 1, map.out_p + 1, map.out_n + 1, map.in_p + 1, map.out_p + 1,
               map.in_n + 1, map.out_n + 1, have_map ? "" : " (detected)");
    printf("delay    %.4f ns\n", delay * 1e9);
    printf("fmax     %g GHz\n\n", f_top / 1e9);
    printf("  %12s  %9s  %9s\n", "f (GHz)", "IL (dB)", "RL (dB)");
    double il[MAX_AT], rl[MAX_AT];
    for (int i = 0; i < n_at; i++) {
        if (ls_touchstone_loss_db(t, &map, at[i] * 1e9, &il[i], &rl[i]) != LS_OK) {
            cli_error("%s: cannot evaluate the loss at %g GHz", path, at[i]);
            rc = EXIT_RUNTIME;
            goto out;
        }
        if (isnan(il[i]))
            printf("  %12.10g  %9s  %9s   (above fmax)\n", at[i], "-", "-");
        else
            printf("  %12.10g  %9.2f  %9.2f\n", at[i], il[i], rl[i]);
    }
    if (n_bw || range_warn[0]) {
        printf("\nwarnings:\n");
        for (size_t i = 0; i < n_bw; i++)
            printf("  %s\n", bw[i]);
        if (range_warn[0])
            printf("  %s\n", range_warn);
    }

    if (json) {
        rc = EXIT_RUNTIME;
        if (!(j = cJSON_CreateObject()))
            goto out;
        cJSON_AddStringToObject(j, "file", path);
        cJSON *pj = cJSON_AddObjectToObject(j, "ports");
        cJSON_AddNumberToObject(pj, "count", np);
        cJSON_AddItemToObject(pj, "in_p", port_json(map.in_p));
        cJSON_AddItemToObject(pj, "in_n", port_json(map.in_n));
        cJSON_AddItemToObject(pj, "out_p", port_json(map.out_p));
        cJSON_AddItemToObject(pj, "out_n", port_json(map.out_n));
        cJSON_AddBoolToObject(pj, "detected", !have_map);
        cJSON *pts = cJSON_AddArrayToObject(j, "points");
        for (int i = 0; i < n_at; i++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "freq_hz", at[i] * 1e9);
            cJSON_AddItemToObject(o, "il_db",
                                  isnan(il[i]) ? cJSON_CreateNull() : cJSON_CreateNumber(il[i]));
            cJSON_AddItemToObject(o, "rl_db",
                                  isnan(rl[i]) ? cJSON_CreateNull() : cJSON_CreateNumber(rl[i]));
            cJSON_AddItemToArray(pts, o);
        }
        cJSON_AddNumberToObject(j, "delay_s", delay);
        cJSON_AddNumberToObject(j, "fmax_hz", f_top);
        cJSON_AddNumberToObject(j, "fmin_hz", f[0]);
        cJSON *wj = cJSON_AddArrayToObject(j, "warnings");
        for (size_t i = 0; i < n_bw; i++)
            cJSON_AddItemToArray(wj, cJSON_CreateString(bw[i]));
        if (range_warn[0])
            cJSON_AddItemToArray(wj, cJSON_CreateString(range_warn));
        if (cli_out_open(&oj, json)) {
            rc = EXIT_USAGE;
            goto out;
        }
        cJSON *jj = j;
        j = NULL; /* cli_out_json frees it */
        if (cli_out_json(&oj, jj))
            goto out;
    }
    rc = EXIT_OK;
out:
    cli_out_abort(&oj);
    cJSON_Delete(j);
    ls_block_destroy(&b);
    ls_touchstone_destroy(t);
    ls_config_destroy(pc);
    return rc;
}

/*
 * lanesim wdm: the lane group of a cpo-wdm configuration, line by line (docs/cpo-wdm.md): each line's
 * wavelength, power and closed-form crosstalk ratio, its BER as the victim (statistical analysis, or
 * Monte Carlo with --mode mc; none with --mode none), the worst line, the heaters and energy per bit of
 * the lane the preset simulates, and the bandwidth per fibre and per mm of shoreline. Stages: parse,
 * run (one job per line, in parallel), report (table, JSON).
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lanesim/energy.h"
#include "lanesim/link.h"
#include "lanesim/run.h"
#include "lanesim/version.h"
#include "lanesim/wdm.h"

typedef struct {
    const char *what, *json, *mode;
    char *assign[256];
    int n_assign;
    long threads;
} wdm_opts;

typedef struct {
    ls_config *c;       /* the configuration with wdm.victim = k */
    ls_status st;
    char msg[512];
    double ber, lo, hi; /* hi, lo: the Monte Carlo 95 % interval (mc) */
} wdm_line;

typedef struct {
    wdm_line line[LS_WDM_MAX_CH];
    int mc;
} wdm_jobs;

static void wdm_usage(FILE *f)
{
    fputs("usage: lanesim wdm [cpo-wdm|FILE.ini] [-s section.key=value]... [--mode stat|mc|none] [--json F]\n"
          "  The lane group of a cpo-wdm configuration line by line: wavelength, power, crosstalk ratio and the\n"
          "  BER with that line as the victim; the worst line; heaters, energy per bit; Tb/s per fibre and per\n"
          "  mm of shoreline. See docs/cpo-wdm.md.\n"
          "  -s, --set KEY=VALUE   override a key (repeatable)\n"
          "      --mode M          BER per line: stat (statistical analysis, default), mc (Monte Carlo, run.symbols),\n"
          "                        none\n"
          "      --threads T       lines in parallel (default: all cores)\n"
          "      --json FILE       the same as JSON (SI units)\n"
          "  -h, --help            this help\n",
          f);
}

static int wdm_parse(int argc, char **argv, wdm_opts *o)
{
    enum { O_JSON = 256, O_MODE, O_THREADS };
    static const struct option opts[] = { { "set", required_argument, NULL, 's' }, { "help", no_argument, NULL, 'h' },
                                          { "json", required_argument, NULL, O_JSON },
                                          { "mode", required_argument, NULL, O_MODE },
                                          { "threads", required_argument, NULL, O_THREADS }, { NULL, 0, NULL, 0 } };
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":s:h", opts, NULL)) != -1) {
        char *end = NULL;
        switch (opt) {
        case 'h': wdm_usage(stdout); return EXIT_OK;
        case 's':
            if (cli_add_assign(o->assign, &o->n_assign, 256, optarg))
                return EXIT_USAGE;
            break;
        case O_JSON: o->json = optarg; break;
        case O_MODE:
            if (strcmp(optarg, "stat") && strcmp(optarg, "mc") && strcmp(optarg, "none")) {
                cli_error("--mode %s: expected stat, mc or none", optarg);
                return EXIT_USAGE;
            }
            o->mode = optarg;
            break;
        case O_THREADS:
            o->threads = strtol(optarg, &end, 10);
            if (!end || *end || o->threads < 1 || o->threads > 256) {
                cli_error("--threads %s: expected 1..256", optarg);
                return EXIT_USAGE;
            }
            break;
        case ':': cli_error("wdm: option '%s' needs a value", argv[optind - 1]); return EXIT_USAGE;
        default: cli_error("wdm: unknown option '%s' (see 'lanesim wdm --help')", argv[optind - 1]); return EXIT_USAGE;
        }
    }
    if (optind < argc)
        o->what = argv[optind++];
    if (optind != argc) {
        cli_error("wdm: unexpected argument '%s'", argv[optind]);
        return EXIT_USAGE;
    }
    return CLI_CONTINUE;
}

static void line_job(void *ctx, size_t k)
{
    wdm_jobs *j = ctx;
    wdm_line *w = &j->line[k];
    if (j->mc) {
        ls_run_result r;
        if ((w->st = ls_run(w->c, NULL, NULL, &r, w->msg, sizeof w->msg)) != LS_OK)
            return;
        w->ber = r.ber.ber;
        w->lo = r.ber.ber_ci95_lo;
        w->hi = r.ber.ber_ci95_hi;
        ls_run_result_free(&r);
        return;
    }
    ls_link *l = ls_link_create(w->c, 64, w->msg, sizeof w->msg, &w->st);
    ls_stateye_result sr;
    if (l && (w->st = ls_link_stat(l, ls_config_real(w->c, "eye.target_ber"), &sr)) == LS_OK)
        w->ber = w->lo = w->hi = sr.ber;
    ls_link_destroy(l);
}

/* The table and the JSON. */
static int wdm_report(const wdm_opts *o, const ls_config *c, const ls_wdm_info *in, const wdm_jobs *j,
                      const ls_energy *e, int ber)
{
    unsigned worst = in->victim;
    for (unsigned k = 0; ber && k < in->n_ch; k++)
        if (j->line[k].ber > j->line[worst].ber)
            worst = k;
    printf("lanesim %s  cpo-wdm lane group: %u lines, %g GHz grid, FSR %g GHz, %s Gb/s per line\n\n", LANESIM_VERSION,
           in->n_ch, in->spacing_ghz, in->fsr_ghz, ls_config_str(c, "link.rate_gbps"));
    printf("  line  wavelength (nm)  power (dBm)  crosstalk (dB)%s\n", ber ? (j->mc ? "  BER (Monte Carlo)" : "  BER (statistical)") : "");
    cJSON *root = cJSON_CreateObject(), *lines = cJSON_AddArrayToObject(root, "lines");
    for (unsigned k = 0; k < in->n_ch; k++) {
        printf("  %4u  %15.3f  %11.2f  %14.2f", k, in->wavelength_nm[k], in->line_dbm[k], in->xtalk_db[k]);
        if (ber)
            printf("  %17.3e", j->line[k].ber);
        printf("%s\n", k == in->victim ? "   <- the preset's victim" : "");
        cJSON *l = cJSON_CreateObject();
        cJSON_AddNumberToObject(l, "line", k);
        cJSON_AddNumberToObject(l, "wavelength_m", in->wavelength_nm[k] * 1e-9);
        cJSON_AddNumberToObject(l, "power_w", 1e-3 * pow(10.0, in->line_dbm[k] / 10.0));
        cJSON_AddNumberToObject(l, "xtalk_db", in->xtalk_db[k]);
        if (ber) {
            cJSON_AddNumberToObject(l, "ber", j->line[k].ber);
            if (j->mc) {
                cJSON_AddNumberToObject(l, "ber_ci95_lo", j->line[k].lo);
                cJSON_AddNumberToObject(l, "ber_ci95_hi", j->line[k].hi);
            }
        }
        cJSON_AddItemToArray(lines, l);
    }
    if (ber)
        printf("\n  worst line %u: BER %.3e\n", worst, j->line[worst].ber);
    printf("  victim %u: bus loss %.3f dB, drop loss %.3f dB; ring FWHM %.1f GHz (modulator), %.1f GHz (drop)\n",
           in->victim, in->bus_il_db, in->drop_il_db, in->mod_fwhm_ghz, in->drop_fwhm_ghz);
    printf("  heaters %.2f mW per ring, %.2f mW per lane (modulator + drop ring)\n", in->heater_mw, 2 * in->heater_mw);
    printf("  energy %.3g pJ/bit end to end, %.3g pJ/bit optical engine (laser %.3g mW, heaters %.3g mW per lane)\n",
           e->pj_per_bit, e->module_pj_per_bit, ls_energy_part_mw(e, "laser"), ls_energy_part_mw(e, "ring_heater"));
    printf("  %.3g Tb/s per fibre, %.3g Tb/s per mm of shoreline (bidirectional, fibre pitch %s um)\n",
           in->tbps_per_fibre, in->tbps_per_mm, ls_config_str(c, "wdm.fibre_pitch_um"));
    cJSON_AddNumberToObject(root, "victim", in->victim);
    if (ber) {
        cJSON_AddNumberToObject(root, "worst_line", worst);
        cJSON_AddNumberToObject(root, "worst_ber", j->line[worst].ber);
        cJSON_AddStringToObject(root, "ber_mode", j->mc ? "mc" : "stat");
    }
    cJSON_AddNumberToObject(root, "spacing_hz", in->spacing_ghz * 1e9);
    cJSON_AddNumberToObject(root, "fsr_hz", in->fsr_ghz * 1e9);
    cJSON_AddNumberToObject(root, "bus_il_db", in->bus_il_db);
    cJSON_AddNumberToObject(root, "drop_il_db", in->drop_il_db);
    cJSON_AddNumberToObject(root, "heater_w_per_ring", 1e-3 * in->heater_mw);
    cJSON_AddNumberToObject(root, "pj_per_bit", e->pj_per_bit);
    cJSON_AddNumberToObject(root, "module_pj_per_bit", e->module_pj_per_bit);
    cJSON_AddNumberToObject(root, "tbps_per_fibre", in->tbps_per_fibre);
    cJSON_AddNumberToObject(root, "tbps_per_mm", in->tbps_per_mm);
    int rc = EXIT_OK;
    cli_outfile f;
    if (o->json) { /* cli_out_json takes root */
        if (cli_out_open(&f, o->json)) {
            cJSON_Delete(root);
            rc = EXIT_RUNTIME;
        } else if (cli_out_json(&f, root)) {
            rc = EXIT_RUNTIME;
        }
    } else {
        cJSON_Delete(root);
    }
    return rc;
}

int cmd_wdm(int argc, char **argv)
{
    wdm_opts o = { .what = "cpo-wdm", .mode = "stat", .threads = sysconf(_SC_NPROCESSORS_ONLN) };
    int rc = wdm_parse(argc, argv, &o);
    if (rc != CLI_CONTINUE)
        return rc;
    rc = EXIT_OK;
    ls_config *c = cli_load_config(o.what, o.assign, o.n_assign);
    if (!c)
        return EXIT_USAGE;
    ls_wdm_info in;
    ls_energy e;
    char msg[512];
    ls_status st = ls_wdm_info_get(c, &in, msg, sizeof msg);
    if (st == LS_OK)
        st = ls_energy_compute(c, &e, msg, sizeof msg);
    if (st != LS_OK) {
        rc = cli_fail(c, st, msg);
        ls_config_destroy(c);
        return rc;
    }
    wdm_jobs j = { .mc = !strcmp(o.mode, "mc") };
    const int ber = strcmp(o.mode, "none") != 0;
    for (unsigned k = 0; ber && k < in.n_ch && rc == EXIT_OK; k++) {
        char v[32];
        snprintf(v, sizeof v, "%u", k);
        j.line[k].c = ls_config_copy(c);
        if (!j.line[k].c || ls_config_set(j.line[k].c, "wdm.victim", v, msg, sizeof msg) != LS_OK ||
            (j.mc && ls_config_set(j.line[k].c, "run.threads", "1", msg, sizeof msg) != LS_OK))
            rc = cli_fail(c, LS_EINVAL, msg);
    }
    if (ber && rc == EXIT_OK) {
        cli_parallel(in.n_ch, o.threads, line_job, NULL, &j);
        for (unsigned k = 0; k < in.n_ch && rc == EXIT_OK; k++)
            if (j.line[k].st != LS_OK)
                rc = cli_fail(j.line[k].c, j.line[k].st, j.line[k].msg);
    }
    if (rc == EXIT_OK)
        rc = wdm_report(&o, c, &in, &j, &e, ber);
    for (unsigned k = 0; k < LS_WDM_MAX_CH; k++)
        ls_config_destroy(j.line[k].c);
    ls_config_destroy(c);
    return rc;
}

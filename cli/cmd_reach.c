/*
 * lanesim reach: the longest link.length_m meeting a BER target (sim/reach.c), checked by Monte Carlo
 * (sim/reach_mc.c; --no-confirm skips it and says so), with the margin and what limits the link. In
 * stages: reach_parse (the command line into reach_opts), reach_search, then the report:
 * reach_print, reach_energy and reach_write (JSON, plot).
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lanesim/com.h"
#include "lanesim/reach.h"
#include "lanesim/run.h"
#include "lanesim/version.h"
#include "plotdata.h"

static void reach_usage(FILE *f)
{
    fputs("usage: lanesim reach PRESET|FILE.ini [options]\n"
          "  -s, --set section.key=value   override a key\n"
          "      --target-ber X            BER to meet (pre-FEC, default 2.4e-4 = KP4) or codeword error ratio\n"
          "                                (post-FEC, default 1e-13)\n"
          "      --target pre-fec|post-fec|com|rx-com  what to meet (post-fec: RS(544,514) with random errors;\n"
          "                                com: IEEE 802.3 Annex 93A COM of the preset's analytic channel with the\n"
          "                                reference receiver of --com-config, docs/com.md; rx-com: the COM-style\n"
          "                                margin of lanesim's own receiver, statistical eye, docs/statistical.md)\n"
          "      --target-com DB           COM to reach with --target com|rx-com (default 3 dB)\n"
          "      --com-config NAME|FILE    COM configuration of --target com (default by symbol rate: <= 75 GBd\n"
          "                                " CLI_COM_CONFIG_CK ", above " CLI_COM_CONFIG_DJ "; 'lanesim com --list-configs')\n"
          "      --der0 X                  detector error ratio of the rx-com target (default 2e-4; com: DER_0\n"
          "                                of the configuration)\n"
          "      --mode stat|mc            BER from the statistical analysis (default) or Monte Carlo\n"
          "      --min M, --max M          search range for link.length_m (m)\n"
          "      --no-confirm              skip the Monte Carlo check of the statistical reach (the reach is then\n"
          "                                flagged unconfirmed); by default Monte Carlo must meet the target at\n"
          "                                the reach (upper 95 % bound), else the reach is searched down by Monte\n"
          "                                Carlo and flagged mc-limited (run.* keys apply; --confirm: the default)\n"
          "      --json FILE               write reach_m, stat_reach_m, check, target, ber_at_reach, com_db,\n"
          "                                margin_db, penalty_db, limited_by, evaluations, mc\n"
          "      --plot FILE.png|FILE.svg  the BER (or CER) of every length evaluated, with the target (gnuplot)\n"
          "  -h, --help                    this help\n",
          f);
}

enum { O_TBER = 256, O_TARGET, O_MODE, O_MIN, O_MAX, O_CONFIRM, O_NOCONFIRM, O_JSON, O_PLOT, O_TCOM, O_DER0, O_COMCFG };

/* What the command line asks for. */
typedef struct {
    const char *input;        /* PRESET or FILE.ini */
    char *assign[256];        /* -s */
    int n_assign;
    const char *json, *plot;  /* NULL when not asked for */
    const char *com_config;   /* --com-config; NULL: by symbol rate */
    double tber, tcom;        /* --target-ber, --target-com; 0 when not given */
    ls_reach_options ro;      /* the search: target, its value, mode, range, DER0 */
} reach_opts;

/* The search and what follows from it. */
typedef struct {
    ls_config *c;
    cli_outfile oj;
    char msg[1024];           /* the library's reason of a failure */
    ls_reach_result r;
    int com;                  /* the target is COM (IEEE or lanesim's receiver's) */
    struct ls_com_config *cc; /* the IEEE COM target's configuration */
    const char *com_name;
    const char *tname;        /* the target's name in the table */
    ls_energy en;
    int have_energy;          /* as cli_energy returned; 1 (none) without a reach */
    ls_class_result cls;      /* a class preset: its budget, applied before the search (.on = 0 otherwise) */
} reach_state;

/* The value of a number option into o: 0, or EXIT_USAGE after printing why. */
static int reach_number(int opt, const char *arg, reach_opts *o)
{
    char *end = NULL;
    const double v = strtod(arg, &end);
    const int num = end && !*end;
    switch (opt) {
    case O_TBER:
        if (!num || !(v > 0 && v < 0.5)) {
            cli_error("--target-ber %s: expected a number in (0, 0.5)", arg);
            return EXIT_USAGE;
        }
        o->tber = v;
        break;
    case O_TCOM:
        if (!num || !(v > 0 && v < 60)) {
            cli_error("--target-com %s: expected a margin in dB in (0, 60)", arg);
            return EXIT_USAGE;
        }
        o->tcom = v;
        break;
    case O_DER0:
        if (!num || !(v > 0 && v <= 0.1)) {
            cli_error("--der0 %s: expected a detector error ratio in (0, 0.1]", arg);
            return EXIT_USAGE;
        }
        o->ro.der0 = v;
        break;
    default: /* O_MIN, O_MAX */
        if (!num || !(v > 0)) {
            cli_error("%s %s: expected a positive length in metres", opt == O_MIN ? "--min" : "--max", arg);
            return EXIT_USAGE;
        }
        if (opt == O_MIN)
            o->ro.min_m = v;
        else
            o->ro.max_m = v;
    }
    return 0;
}

/* After the options: the target's consistency and value, then the one PRESET or FILE.ini.
   CLI_CONTINUE, or EXIT_USAGE after printing why. */
static int reach_target(int argc, char **argv, reach_opts *o)
{
    const int com = o->ro.target == LS_REACH_COM || o->ro.target == LS_REACH_IEEE_COM;
    if (o->com_config && o->ro.target != LS_REACH_IEEE_COM) {
        cli_error("--com-config needs --target com");
        return EXIT_USAGE;
    }
    if (com && (o->tber > 0 || o->ro.mode != LS_REACH_STAT)) {
        cli_error(o->tber > 0 ? "--target com: the margin to reach is --target-com DB, not --target-ber"
                              : "--target com: COM is a statistical figure (--mode stat)");
        return EXIT_USAGE;
    }
    if (!com && o->tcom > 0) {
        cli_error("--target-com needs --target com");
        return EXIT_USAGE;
    }
    o->ro.target_value = com ? (o->tcom > 0 ? o->tcom : 3.0)
                         : o->tber > 0                ? o->tber
                                                      : (o->ro.target == LS_REACH_POST_FEC ? 1e-13 : 2.4e-4);
    if (optind != argc - 1) {
        cli_error(optind >= argc ? "reach: missing PRESET or FILE.ini" : "reach: exactly one PRESET or FILE.ini expected");
        return EXIT_USAGE;
    }
    o->input = argv[optind];
    return CLI_CONTINUE;
}

/* The command line into o: CLI_CONTINUE, or the exit status (help printed, or a usage error). */
static int reach_parse(int argc, char **argv, reach_opts *o)
{
    static const struct option opts[] = {
        { "set", required_argument, NULL, 's' },         { "target-ber", required_argument, NULL, O_TBER },
        { "target", required_argument, NULL, O_TARGET }, { "mode", required_argument, NULL, O_MODE },
        { "min", required_argument, NULL, O_MIN },       { "max", required_argument, NULL, O_MAX },
        { "confirm", no_argument, NULL, O_CONFIRM },     { "json", required_argument, NULL, O_JSON },
        { "plot", required_argument, NULL, O_PLOT },      { "target-com", required_argument, NULL, O_TCOM },
        { "der0", required_argument, NULL, O_DER0 },      { "no-confirm", no_argument, NULL, O_NOCONFIRM },
        { "com-config", required_argument, NULL, O_COMCFG },
        { "help", no_argument, NULL, 'h' },              { NULL, 0, NULL, 0 },
    };
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":s:h", opts, NULL)) != -1) {
        switch (opt) {
        case 's':
            if (cli_add_assign(o->assign, &o->n_assign, 256, optarg))
                return EXIT_USAGE;
            break;
        case O_TBER:
        case O_TCOM:
        case O_DER0:
        case O_MIN:
        case O_MAX:
            if (reach_number(opt, optarg, o))
                return EXIT_USAGE;
            break;
        case O_TARGET:
            if (!strcmp(optarg, "pre-fec")) {
                o->ro.target = LS_REACH_PRE_FEC;
            } else if (!strcmp(optarg, "post-fec")) {
                o->ro.target = LS_REACH_POST_FEC;
            } else if (!strcmp(optarg, "com")) {
                o->ro.target = LS_REACH_IEEE_COM;
            } else if (!strcmp(optarg, "rx-com")) {
                o->ro.target = LS_REACH_COM;
            } else {
                cli_error("--target %s: expected pre-fec, post-fec, com or rx-com", optarg);
                return EXIT_USAGE;
            }
            break;
        case O_MODE:
            if (strcmp(optarg, "stat") && strcmp(optarg, "mc")) {
                cli_error("--mode %s: expected stat or mc", optarg);
                return EXIT_USAGE;
            }
            o->ro.mode = strcmp(optarg, "mc") ? LS_REACH_STAT : LS_REACH_MC;
            break;
        case O_CONFIRM: o->ro.confirm = 1; break;
        case O_NOCONFIRM: o->ro.confirm = 0; break;
        case O_JSON: o->json = optarg; break;
        case O_COMCFG: o->com_config = optarg; break;
        case O_PLOT:
            if (cli_plot_check_out(o->plot = optarg))
                return EXIT_USAGE;
            break;
        case 'h': reach_usage(stdout); return EXIT_OK;
        case ':': cli_error("reach: option '%s' needs a value", argv[optind - 1]); return EXIT_USAGE;
        default: cli_error("reach: unknown option '%s' (see 'lanesim reach --help')", argv[optind - 1]); return EXIT_USAGE;
        }
    }
    return reach_target(argc, argv, o);
}

/* The search's progress on stderr (the bar of cli/pool.c), evaluation by evaluation. */
static void reach_progress(void *bar, uint64_t done, uint64_t total)
{
    cli_bar_draw(bar, (size_t)done, (size_t)total);
}

/* Loads the configuration, opens the JSON file (a bad path fails before the search), then searches.
   CLI_CONTINUE, or the exit status after printing why. */
static int reach_search(reach_opts *o, reach_state *s)
{
    if (!(s->c = cli_load_config(o->input, o->assign, o->n_assign)))
        return EXIT_USAGE;
    if (ls_config_find(s->c, "class.budget") && !ls_config_bool(s->c, "class.resolved")) {
        ls_config *rc = NULL; /* the class budget (docs/classes.md) applied: the search runs on its lane */
        ls_status cs = ls_class_resolve(s->c, &rc, &s->cls, s->msg, sizeof s->msg);
        if (cs != LS_OK)
            return cli_fail(s->c, cs, s->msg);
        ls_config_destroy(s->c);
        s->c = rc;
    }
    int rc = EXIT_USAGE;
    if (o->ro.target == LS_REACH_IEEE_COM) {
        s->com_name = o->com_config ? o->com_config : cli_com_default_config(s->c);
        if (!(s->cc = cli_com_config(s->com_name, NULL, 0, &rc)))
            return rc;
        o->ro.com_config = s->cc;
    }
    if (o->json && cli_out_open(&s->oj, o->json))
        return EXIT_USAGE;
    cli_bar bar; /* drawn only when stderr is a terminal, as run's */
    cli_bar_start(&bar, "reach", "evaluations", isatty(STDERR_FILENO));
    o->ro.progress = bar.on ? reach_progress : NULL;
    o->ro.progress_ctx = &bar;
    ls_status st = ls_reach(s->c, &o->ro, &s->r, s->msg, sizeof s->msg);
    if (st != LS_OK)
        return cli_fail(s->c, st, s->msg);
    s->com = o->ro.target == LS_REACH_COM || o->ro.target == LS_REACH_IEEE_COM;
    s->tname = s->com ? "COM (dB)" : o->ro.target == LS_REACH_POST_FEC ? "post-FEC CER" : "pre-FEC BER";
    return CLI_CONTINUE;
}

static int s_com(const reach_opts *o)
{
    return o->ro.target == LS_REACH_COM || o->ro.target == LS_REACH_IEEE_COM;
}

/* The Monte Carlo check on stdout. */
static void reach_print_check(const reach_opts *o, const ls_reach_result *r)
{
    if (o->ro.mode == LS_REACH_MC)
        printf("  %-18s %12s   (the search itself was Monte Carlo)\n", "check", ls_reach_check_name(r->check));
    else if (r->check == LS_REACH_UNCONFIRMED)
        printf("  %-18s %12s   (%s)\n", "check", "UNCONFIRMED",
               s_com(o) ? "COM is a statistical figure: not checked by Monte Carlo"
               : !o->ro.confirm ? "--no-confirm: the statistical reach was not checked by Monte Carlo"
                                : "no reach to check");
    else if (r->check == LS_REACH_CONFIRMED)
        printf("  %-18s %12s   (Monte Carlo meets the target at the statistical reach)\n", "check", "confirmed");
    else
        printf("  %-18s %12s   (Monte Carlo BER %.3e, upper bound %.3e%s%s at the statistical reach %.4g m)\n",
               "check", "MC-LIMITED", r->mc_stat_ber, r->mc_stat_ber_ci95_hi,
               r->mc_stat_rx_failed[0] ? ", receiver failed: " : "", r->mc_stat_rx_failed, r->stat_reach_m);
    if (r->have_mc)
        printf("  %-18s %12.3e   [%.3e, %.3e] Monte Carlo at the reach, %llu errors in %llu bits (%u runs)\n",
               "Monte Carlo BER", r->mc_ber, r->mc_ber_ci95_lo, r->mc_ber_ci95_hi,
               (unsigned long long)r->mc_bit_errors, (unsigned long long)r->mc_bits, r->mc_evaluations);
}

/* The reach found, its margin and what limits it, on stdout. */
static void reach_print(const reach_opts *o, const reach_state *s)
{
    const ls_reach_result *r = &s->r;
    const int com = s->com;
    const char *tname = s->tname;
    const int ieee = o->ro.target == LS_REACH_IEEE_COM;
    if (ieee)
        printf("lanesim %s  reach of preset %s at %s Gb/s  (IEEE 802.3 COM >= %.3g dB, configuration %s: its reference "
               "package, transmitter and receiver, the preset's channel without its packages)\n\n",
               LANESIM_VERSION, ls_config_preset(s->c), lsp_num(ls_config_real(s->c, "link.rate_gbps")).s,
               o->ro.target_value, s->com_name);
    else if (com)
        printf("lanesim %s  reach of preset %s at %s Gb/s  (COM >= %.3g dB at DER0 %.3g, the preset's own equalizer)\n\n",
               LANESIM_VERSION, ls_config_preset(s->c), lsp_num(ls_config_real(s->c, "link.rate_gbps")).s,
               o->ro.target_value, o->ro.der0);
    else
        printf("lanesim %s  reach of preset %s at %s Gb/s  (%s <= %.3g, %s)\n\n", LANESIM_VERSION,
               ls_config_preset(s->c), lsp_num(ls_config_real(s->c, "link.rate_gbps")).s, tname, o->ro.target_value,
               o->ro.mode == LS_REACH_STAT ? "statistical analysis" : "Monte Carlo");
    if (cli_inner_fec_rate_only(s->c)) {
        cli_print_inner_fec(s->c, "  ");
        putchar('\n');
    }
    if (r->below_range && com)
        printf("  even the shortest length searched fails: COM %.2f dB\n", r->com_db);
    else if (r->below_range)
        printf("  even the shortest length searched fails: pre-FEC BER %.3e\n", r->ber_at_reach);
    else if (r->above_range)
        printf("  the longest length searched still passes: reach >= %.4g m\n", r->reach_m);
    printf("  %-18s %12.4g m\n", "reach", r->reach_m);
    if (r->check == LS_REACH_MC_LIMITED)
        printf("  %-18s %12.4g m   (refuted by Monte Carlo)\n", "statistical reach", r->stat_reach_m);
    reach_print_check(o, r);
    if (com)
        printf("  %-18s %12.2f dB\n", "COM", r->com_db);
    if (!ieee)
        printf("  %-18s %12.3e   (%s)\n", "pre-FEC BER", r->ber_at_reach,
               o->ro.mode == LS_REACH_STAT ? "statistical, at the reach" : "Monte Carlo, at the reach");
    if (o->ro.target == LS_REACH_POST_FEC)
        printf("  %-18s %12.3e   (random errors)\n", "post-FEC CER", r->cer_at_reach);
    printf("  %-18s %+12.2f dB   (%s)\n", "margin", r->margin_db,
           com ? "COM at the reach minus the target"
           : r->have_mc ? "above the target: Gaussian-equivalent SNR of the Monte Carlo upper bound minus the target's"
                        : "above the target: Gaussian-equivalent SNR of the BER minus the target's");
    if (!ieee)
        printf("  %-18s %12.2f dB   (equalized SNR %.2f dB minus the Gaussian SNR for the BER at the reach)\n",
               "non-Gaussian pen.", r->penalty_db, r->snr_eq_db);
    printf("  %-18s %12s\n", "limited by", r->limited_by);
    printf("  %-18s %12u\n", "evaluations", r->evaluations);
    if (r->nonmonotonic)
        printf("  warning: the BER is not monotonic in length: it passes again beyond the first failing length\n");
}

/* The energy per bit of the link at its reach (presets with a power model), one more line.
   CLI_CONTINUE, or EXIT_RUNTIME after printing why. */
static int reach_energy(reach_state *s)
{
    if (!(s->r.reach_m > 0))
        return CLI_CONTINUE;
    char v[48];
    snprintf(v, sizeof v, "%.9g", s->r.reach_m);
    if (ls_config_set(s->c, "link.length_m", v, s->msg, sizeof s->msg) != LS_OK) {
        cli_error("%s", s->msg);
        return EXIT_RUNTIME;
    }
    if ((s->have_energy = cli_energy(s->c, &s->en)) < 0)
        return EXIT_RUNTIME;
    if (s->have_energy == 0)
        printf("  %-18s %12.3g pJ/bit end to end, %.3g pJ/bit module alone\n", "energy at reach", s->en.pj_per_bit,
               s->en.module_pj_per_bit);
    return CLI_CONTINUE;
}

/* The JSON document of --json. */
static cJSON *reach_json(const reach_opts *o, const reach_state *s)
{
    const ls_reach_result *r = &s->r;
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "lanesim_version", LANESIM_VERSION);
    cJSON_AddStringToObject(j, "preset", ls_config_preset(s->c));
    cJSON_AddNumberToObject(j, "reach_m", r->reach_m);
    if (s->cls.on) { /* pass: the reach found covers the class reach; margin at the class reach */
        cJSON *k = cJSON_AddObjectToObject(j, "class");
        cJSON_AddStringToObject(k, "name", s->cls.name);
        cJSON_AddNumberToObject(k, "reach_m", s->cls.reach_m);
        cJSON_AddBoolToObject(k, "pass", r->reach_m >= s->cls.reach_m);
        cJSON_AddNumberToObject(k, "margin_db", s->cls.margin_db);
        cJSON_AddStringToObject(k, "limited_by", s->cls.limited_by);
        cJSON_AddStringToObject(k, "budget", s->cls.budget);
    }
    cJSON *t = cJSON_AddObjectToObject(j, "target");
    cJSON_AddStringToObject(t, "kind", o->ro.target == LS_REACH_IEEE_COM ? "com"
                                       : s->com                      ? "rx-com"
                                       : o->ro.target == LS_REACH_POST_FEC ? "post-fec" : "pre-fec");
    cJSON_AddNumberToObject(t, "value", o->ro.target_value);
    if (o->ro.target == LS_REACH_COM)
        cJSON_AddNumberToObject(t, "der0", o->ro.der0);
    if (o->ro.target == LS_REACH_IEEE_COM)
        cJSON_AddStringToObject(t, "com_config", s->com_name);
    cJSON_AddStringToObject(j, "mode", o->ro.mode == LS_REACH_STAT ? "stat" : "mc");
    cJSON_AddNumberToObject(j, "stat_reach_m", r->stat_reach_m);
    cJSON_AddStringToObject(j, "check", ls_reach_check_name(r->check));
    cJSON_AddNumberToObject(j, "ber_at_reach", r->ber_at_reach);
    if (s->com)
        cJSON_AddNumberToObject(j, "com_db", r->com_db);
    if (o->ro.target == LS_REACH_POST_FEC)
        cJSON_AddNumberToObject(j, "cer_at_reach", r->cer_at_reach);
    cJSON_AddNumberToObject(j, "margin_db", r->margin_db);
    cJSON_AddNumberToObject(j, "penalty_db", r->penalty_db);
    cJSON_AddNumberToObject(j, "snr_eq_db", r->snr_eq_db);
    cJSON_AddStringToObject(j, "limited_by", r->limited_by);
    cJSON_AddNumberToObject(j, "evaluations", r->evaluations);
    cJSON_AddBoolToObject(j, "nonmonotonic", r->nonmonotonic);
    cJSON_AddBoolToObject(j, "below_range", r->below_range);
    cJSON_AddBoolToObject(j, "above_range", r->above_range);
    cli_inner_fec_json(j, s->c);
    if (r->have_mc || r->have_mc_stat) {
        cJSON *m = cJSON_AddObjectToObject(j, "mc");
        if (r->have_mc) {
            cJSON_AddNumberToObject(m, "ber", r->mc_ber);
            double ci[2] = { r->mc_ber_ci95_lo, r->mc_ber_ci95_hi };
            cJSON_AddItemToObject(m, "ber_ci95", cJSON_CreateDoubleArray(ci, 2));
            cJSON_AddNumberToObject(m, "bits", (double)r->mc_bits);
            cJSON_AddNumberToObject(m, "bit_errors", (double)r->mc_bit_errors);
        }
        if (r->have_mc_stat) {
            cJSON *a = cJSON_AddObjectToObject(m, "at_stat_reach");
            cJSON_AddNumberToObject(a, "ber", r->mc_stat_ber);
            cJSON_AddNumberToObject(a, "ber_ci95_hi", r->mc_stat_ber_ci95_hi);
            cJSON_AddStringToObject(a, "rx_failed", r->mc_stat_rx_failed);
        }
        unsigned n = r->mc_evaluations < LS_REACH_MAX_MC ? r->mc_evaluations : LS_REACH_MAX_MC;
        cJSON_AddItemToObject(m, "length_m", cJSON_CreateDoubleArray(r->mc_length_m, (int)n));
        cJSON_AddItemToObject(m, "ber_ci95_hi", cJSON_CreateDoubleArray(r->mc_ber_hi, (int)n));
    }
    if (s->have_energy == 0)
        cJSON_AddItemToObject(j, "energy", cli_energy_json(&s->en));
    return j;
}

/* --json, then --plot (every length evaluated). The exit status (EXIT_RUNTIME after printing why). */
static int reach_write(const reach_opts *o, reach_state *s)
{
    const ls_reach_result *r = &s->r;
    if (o->json && cli_out_json(&s->oj, reach_json(o, s)))
        return EXIT_RUNTIME;
    if (!o->plot)
        return EXIT_OK;
    char t[256];
    snprintf(t, sizeof t, "reach of %s: %.4g m (%s) at %s %.3g (%u evaluations)", ls_config_preset(s->c), r->reach_m,
             ls_reach_check_name(r->check), s->tname, o->ro.target_value, r->evaluations);
    return cli_plot_xy("link.length_m", s->com ? "com_db" : o->ro.target == LS_REACH_POST_FEC ? "cer" : "ber",
                       r->eval_length_m, r->eval_metric,
                       r->evaluations < LS_REACH_MAX_EVALS ? r->evaluations : LS_REACH_MAX_EVALS, o->ro.target_value,
                       t, o->plot);
}

int cmd_reach(int argc, char **argv)
{
    reach_opts o = { 0 };
    ls_reach_options_init(&o.ro);
    int rc = reach_parse(argc, argv, &o);
    if (rc != CLI_CONTINUE)
        return rc;
    reach_state s = { .have_energy = 1 };
    if ((rc = reach_search(&o, &s)) == CLI_CONTINUE) {
        reach_print(&o, &s);
        if ((rc = reach_energy(&s)) == CLI_CONTINUE)
            rc = reach_write(&o, &s);
    }
    cli_out_abort(&s.oj);
    ls_config_destroy(s.c);
    ls_com_config_destroy(s.cc);
    return rc;
}

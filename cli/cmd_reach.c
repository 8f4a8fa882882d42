/*
 * lanesim reach: the longest link.length_m meeting a BER target (sim/reach.c), with the margin and
 * what limits the link; --confirm runs Monte Carlo at the found length.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lanesim/reach.h"
#include "lanesim/run.h"
#include "lanesim/version.h"

static void reach_usage(FILE *f)
{
    fputs("usage: lanesim reach PRESET|FILE.ini [options]\n"
          "  -s, --set section.key=value   override a key\n"
          "      --target-ber X            BER to meet (pre-FEC, default 2.4e-4 = KP4) or codeword error ratio\n"
          "                                (post-FEC, default 1e-13)\n"
          "      --target pre-fec|post-fec|com  what to meet (post-fec: RS(544,514) with random errors; com: the\n"
          "                                COM-style margin of the statistical eye, docs/statistical.md)\n"
          "      --target-com DB           COM to reach with --target com (default 3 dB)\n"
          "      --der0 X                  detector error ratio of the COM target (default 2e-4)\n"
          "      --mode stat|mc            BER from the statistical analysis (default) or Monte Carlo\n"
          "      --min M, --max M          search range for link.length_m (m)\n"
          "      --confirm                 Monte Carlo run at the reach found (run.* keys apply)\n"
          "      --json FILE               write reach_m, target, ber_at_reach, margin_db, limited_by, evaluations\n"
          "      --plot FILE.png|FILE.svg  the BER (or CER) of every length evaluated, with the target (gnuplot)\n"
          "  -h, --help                    this help\n",
          f);
}

int cmd_reach(int argc, char **argv)
{
    enum { O_TBER = 256, O_TARGET, O_MODE, O_MIN, O_MAX, O_CONFIRM, O_JSON, O_PLOT, O_TCOM, O_DER0 };
    static const struct option opts[] = {
        { "set", required_argument, NULL, 's' },         { "target-ber", required_argument, NULL, O_TBER },
        { "target", required_argument, NULL, O_TARGET }, { "mode", required_argument, NULL, O_MODE },
        { "min", required_argument, NULL, O_MIN },       { "max", required_argument, NULL, O_MAX },
        { "confirm", no_argument, NULL, O_CONFIRM },     { "json", required_argument, NULL, O_JSON },
        { "plot", required_argument, NULL, O_PLOT },      { "target-com", required_argument, NULL, O_TCOM },
        { "der0", required_argument, NULL, O_DER0 },
        { "help", no_argument, NULL, 'h' },              { NULL, 0, NULL, 0 },
    };
    char *assign[256];
    int n_assign = 0, opt, confirm = 0, rc = EXIT_USAGE;
    const char *json = NULL, *plot = NULL;
    double tber = 0, tcom = 0;
    ls_reach_options o;
    ls_reach_options_init(&o);
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":s:h", opts, NULL)) != -1) {
        char *end = NULL;
        switch (opt) {
        case 's':
            if (n_assign >= 256) {
                cli_error("too many -s options");
                return EXIT_USAGE;
            }
            assign[n_assign++] = optarg;
            break;
        case O_TBER:
            tber = strtod(optarg, &end);
            if (!end || *end || !(tber > 0 && tber < 0.5)) {
                cli_error("--target-ber %s: expected a number in (0, 0.5)", optarg);
                return EXIT_USAGE;
            }
            break;
        case O_TCOM:
            tcom = strtod(optarg, &end);
            if (!end || *end || !(tcom > 0 && tcom < 60)) {
                cli_error("--target-com %s: expected a margin in dB in (0, 60)", optarg);
                return EXIT_USAGE;
            }
            break;
        case O_DER0:
            o.der0 = strtod(optarg, &end);
            if (!end || *end || !(o.der0 > 0 && o.der0 <= 0.1)) {
                cli_error("--der0 %s: expected a detector error ratio in (0, 0.1]", optarg);
                return EXIT_USAGE;
            }
            break;
        case O_TARGET:
            if (!strcmp(optarg, "pre-fec")) {
                o.target = LS_REACH_PRE_FEC;
            } else if (!strcmp(optarg, "post-fec")) {
                o.target = LS_REACH_POST_FEC;
            } else if (!strcmp(optarg, "com")) {
                o.target = LS_REACH_COM;
            } else {
                cli_error("--target %s: expected pre-fec, post-fec or com", optarg);
                return EXIT_USAGE;
            }
            break;
        case O_MODE:
            if (strcmp(optarg, "stat") && strcmp(optarg, "mc")) {
                cli_error("--mode %s: expected stat or mc", optarg);
                return EXIT_USAGE;
            }
            o.mode = strcmp(optarg, "mc") ? LS_REACH_STAT : LS_REACH_MC;
            break;
        case O_MIN:
        case O_MAX: {
            double v = strtod(optarg, &end);
            if (!end || *end || !(v > 0)) {
                cli_error("%s %s: expected a positive length in metres", opt == O_MIN ? "--min" : "--max", optarg);
                return EXIT_USAGE;
            }
            if (opt == O_MIN)
                o.min_m = v;
            else
                o.max_m = v;
            break;
        }
        case O_CONFIRM: confirm = 1; break;
        case O_JSON: json = optarg; break;
        case O_PLOT:
            if (cli_plot_check_out(plot = optarg))
                return EXIT_USAGE;
            break;
        case 'h': reach_usage(stdout); return EXIT_OK;
        case ':': cli_error("reach: option '%s' needs a value", argv[optind - 1]); return EXIT_USAGE;
        default: cli_error("reach: unknown option '%s' (see 'lanesim reach --help')", argv[optind - 1]); return EXIT_USAGE;
        }
    }
    if (o.target == LS_REACH_COM && (tber > 0 || o.mode != LS_REACH_STAT)) {
        cli_error(tber > 0 ? "--target com: the margin to reach is --target-com DB, not --target-ber"
                           : "--target com: COM is a statistical figure (--mode stat)");
        return EXIT_USAGE;
    }
    if (o.target != LS_REACH_COM && tcom > 0) {
        cli_error("--target-com needs --target com");
        return EXIT_USAGE;
    }
    o.target_value = o.target == LS_REACH_COM ? (tcom > 0 ? tcom : 3.0)
                                              : tber > 0 ? tber : (o.target == LS_REACH_POST_FEC ? 1e-13 : 2.4e-4);
    if (optind != argc - 1) {
        cli_error(optind >= argc ? "reach: missing PRESET or FILE.ini" : "reach: exactly one PRESET or FILE.ini expected");
        return EXIT_USAGE;
    }
    ls_config *c = cli_load_config(argv[optind], assign, n_assign);
    if (!c)
        return EXIT_USAGE;
    cli_outfile oj = { 0 };
    ls_run_result mc = { 0 };
    int have_mc = 0;
    if (json && cli_out_open(&oj, json))
        goto out;
    char msg[1024] = "";
    ls_reach_result r;
    ls_status st = ls_reach(c, &o, &r, msg, sizeof msg);
    if (st != LS_OK) {
        cli_error("%s", msg[0] ? msg : ls_strerror(st));
        rc = st == LS_EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
        goto out;
    }
    rc = EXIT_RUNTIME;
    const int com = o.target == LS_REACH_COM;
    const char *tname = com ? "COM (dB)" : o.target == LS_REACH_POST_FEC ? "post-FEC CER" : "pre-FEC BER";
    if (com)
        printf("lanesim %s  reach of preset %s  (COM >= %.3g dB at DER0 %.3g, the preset's own equalizer)\n\n",
               LANESIM_VERSION, ls_config_preset(c), o.target_value, o.der0);
    else
        printf("lanesim %s  reach of preset %s  (%s <= %.3g, %s)\n\n", LANESIM_VERSION, ls_config_preset(c), tname,
               o.target_value, o.mode == LS_REACH_STAT ? "statistical analysis" : "Monte Carlo");
    if (r.below_range)
        printf(com ? "  even the shortest length searched fails: %s %.3g\n" : "  even the shortest length searched fails: %s %.3e\n",
               tname, r.ber_at_reach);
    else if (r.above_range)
        printf("  the longest length searched still passes: reach >= %.4g m\n", r.reach_m);
    printf("  %-18s %12.4g m\n", "reach", r.reach_m);
    printf(com ? "  %-18s %12.2f\n" : "  %-18s %12.3e\n", tname, r.ber_at_reach);
    printf("  %-18s %12.2f dB   (%s)\n", "margin", r.margin_db,
           com ? "COM at the reach minus the target" : "equalized SNR minus the Gaussian SNR for the target");
    printf("  %-18s %12s\n", "limited by", r.limited_by);
    printf("  %-18s %12u\n", "evaluations", r.evaluations);
    if (r.nonmonotonic)
        printf("  warning: the BER is not monotonic in length: it passes again beyond the first failing length\n");
    if (confirm && r.reach_m > 0) {
        char v[48];
        snprintf(v, sizeof v, "%.9g", r.reach_m);
        if (ls_config_set(c, "link.length_m", v, msg, sizeof msg) != LS_OK ||
            (st = ls_run(c, NULL, NULL, &mc, msg, sizeof msg)) != LS_OK) {
            cli_error("--confirm: %s", msg[0] ? msg : ls_strerror(st));
            goto out;
        }
        have_mc = 1;
        printf("  %-18s %12.3e   [%.3e, %.3e] Monte Carlo at the reach\n", "confirm BER", mc.ber.ber,
               mc.ber.ber_ci95_lo, mc.ber.ber_ci95_hi);
    }
    /* energy per bit of the link at its reach (presets with a power model) */
    ls_energy en;
    int have_energy = 1;
    if (r.reach_m > 0) {
        char v[48];
        snprintf(v, sizeof v, "%.9g", r.reach_m);
        if (ls_config_set(c, "link.length_m", v, msg, sizeof msg) != LS_OK) {
            cli_error("%s", msg);
            goto out;
        }
        if ((have_energy = cli_energy(c, &en)) < 0)
            goto out;
        if (have_energy == 0)
            printf("  %-18s %12.3g pJ/bit end to end, %.3g pJ/bit module alone\n", "energy at reach", en.pj_per_bit,
                   en.module_pj_per_bit);
    }
    if (json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "lanesim_version", LANESIM_VERSION);
        cJSON_AddStringToObject(j, "preset", ls_config_preset(c));
        cJSON_AddNumberToObject(j, "reach_m", r.reach_m);
        cJSON *t = cJSON_AddObjectToObject(j, "target");
        cJSON_AddStringToObject(t, "kind", com ? "com" : o.target == LS_REACH_POST_FEC ? "post-fec" : "pre-fec");
        cJSON_AddNumberToObject(t, "value", o.target_value);
        if (com)
            cJSON_AddNumberToObject(t, "der0", o.der0);
        cJSON_AddStringToObject(j, "mode", o.mode == LS_REACH_STAT ? "stat" : "mc");
        cJSON_AddNumberToObject(j, "ber_at_reach", r.ber_at_reach);
        cJSON_AddNumberToObject(j, "margin_db", r.margin_db);
        cJSON_AddStringToObject(j, "limited_by", r.limited_by);
        cJSON_AddNumberToObject(j, "evaluations", r.evaluations);
        cJSON_AddBoolToObject(j, "nonmonotonic", r.nonmonotonic);
        cJSON_AddBoolToObject(j, "below_range", r.below_range);
        cJSON_AddBoolToObject(j, "above_range", r.above_range);
        if (have_mc) {
            cJSON *m = cJSON_AddObjectToObject(j, "confirm");
            cJSON_AddNumberToObject(m, "ber", mc.ber.ber);
            double ci[2] = { mc.ber.ber_ci95_lo, mc.ber.ber_ci95_hi };
            cJSON_AddItemToObject(m, "ber_ci95", cJSON_CreateDoubleArray(ci, 2));
            cJSON_AddNumberToObject(m, "bits", (double)mc.counts.bits);
        }
        if (have_energy == 0)
            cJSON_AddItemToObject(j, "energy", cli_energy_json(&en));
        if (cli_out_json(&oj, j))
            goto out;
    }
    if (plot) {
        char t[256];
        snprintf(t, sizeof t, "reach of %s: %.4g m at %s %.3g (%u evaluations)", ls_config_preset(c), r.reach_m, tname,
                 o.target_value, r.evaluations);
        rc = cli_plot_xy("link.length_m", com ? "com_db" : o.target == LS_REACH_POST_FEC ? "cer" : "ber", r.eval_length_m,
                         r.eval_metric, r.evaluations < LS_REACH_MAX_EVALS ? r.evaluations : LS_REACH_MAX_EVALS,
                         o.target_value, t, plot);
        goto out;
    }
    rc = EXIT_OK;
out:
    cli_out_abort(&oj);
    ls_run_result_free(&mc);
    ls_config_destroy(c);
    return rc;
}

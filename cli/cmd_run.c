/*
 * lanesim run: one Monte Carlo simulation of a link and/or its statistical analysis; a table on
 * stdout, optional JSON, CSV and whitespace-column dumps (eye histogram, pulse response, bathtub,
 * frequency response) written atomically. In stages: run_parse (the command line into run_opts),
 * run_simulate (configuration, output files, the runs into run_state), then the report: run_print
 * on stdout, run_write into the files. The dump kinds are the table DUMPS, which the parser, the
 * help, the checks and the writer read. The tables, the CSV row and the JSON of the results are in
 * cli/run_out.c, the dumps in cli/dump.c.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "dump.h"
#include "lanesim/run.h"
#include "lanesim/version.h"
#include "plotdata.h"
#include "run_out.h"

enum { N_DUMPS = 5 }; /* the kinds of --dump (DUMPS) */

/* What the command line asks for. */
typedef struct {
    const char *input;         /* PRESET or FILE.ini */
    char *assign[512];         /* the -s assignments and those of --symbols, --max-errors, --seed, --threads */
    char flagbuf[4][96];       /* the text of the latter */
    int n_assign;
    const char *mode;          /* mc, stat or both */
    const char *json, *csv;    /* NULL when not asked for */
    const char *dump[N_DUMPS]; /* --dump KIND=FILE: FILE by kind in DUMPS order, NULL when not asked for */
    char eye_file[1024];       /* --dump eye=FILE,at=WHERE: FILE */
    char eye_at[32], eye_ber[96]; /* the assignments eye.at=WHERE and eye.target_ber=P (--eye-ber P) */
} run_opts;

/* The run: configuration, results and output files. */
typedef struct {
    ls_config *c;
    int do_mc, do_stat;        /* Monte Carlo, statistical analysis */
    double target;             /* eye.target_ber */
    ls_run_result r;           /* Monte Carlo */
    ls_link *sl;               /* the link of the statistical analysis and of the response dump */
    ls_config *rc;             /* a class preset: its resolved worst (or typical) lane, the link of sl */
    ls_class_result cls;       /* a class preset without the Monte Carlo: its statistical verdict */
    ls_link_info sli;
    ls_stateye_result sr;      /* statistical analysis */
    ls_energy en;
    int have_energy;           /* as cli_energy returned */
    cli_outfile oj, oc, od[N_DUMPS];
} run_state;

static int dump_eye(FILE *f, const run_state *s)
{
    cli_dump_eye(f, s->c, &s->r);
    return EXIT_OK;
}

static int dump_pulse(FILE *f, const run_state *s)
{
    cli_dump_pulse(f, s->c, &s->r);
    return EXIT_OK;
}

static int dump_bathtub(FILE *f, const run_state *s)
{
    cli_dump_bathtub(f, s->rc ? s->rc : s->c, &s->sli, &s->sr, s->target);
    return EXIT_OK;
}

static int dump_stateye(FILE *f, const run_state *s)
{
    return cli_dump_stateye(f, s->rc ? s->rc : s->c, s->sl, &s->sr, s->target);
}

static int dump_response(FILE *f, const run_state *s)
{
    return cli_dump_response(f, s->rc ? s->rc : s->c, s->sl);
}

/* What a dump needs: the Monte Carlo run, the statistical analysis, the link (cli/dump.h). */
enum { NEEDS_MC = 1, NEEDS_STAT = 2, NEEDS_LINK = 4 };

/* --dump KIND=FILE, in the order of the help, of the checks and of the writing. */
static const struct {
    const char *name;                          /* KIND */
    const char *help;                          /* for --help, as "KIND (HELP)" */
    int needs;                                 /* NEEDS_* */
    int (*write)(FILE *f, const run_state *s); /* EXIT_OK, or EXIT_RUNTIME after printing why */
} DUMPS[] = {
    { "eye", "histogram at the slicer; eye=FILE,at=input: at the receiver input", NEEDS_MC, dump_eye },
    { "pulse", "pulse response", NEEDS_MC, dump_pulse },
    { "bathtub", "BER vs phase, statistical analysis", NEEDS_STAT | NEEDS_LINK, dump_bathtub },
    { "response", "channel, CTLE and equalized response vs frequency", NEEDS_LINK, dump_response },
    { "stateye", "statistical eye: BER map at the slicer", NEEDS_STAT | NEEDS_LINK, dump_stateye },
};
_Static_assert(sizeof DUMPS / sizeof DUMPS[0] == N_DUMPS, "N_DUMPS is the size of DUMPS");

static void run_usage(FILE *f)
{
    enum { WIDTH = 120, INDENT = 32 }; /* the help's width, and the column of the option texts */
    fputs("usage: lanesim run PRESET|FILE.ini [options]\n"
          "  -s, --set section.key=value   override a key (repeatable; see 'lanesim presets PRESET')\n"
          "      --symbols N               symbols to simulate (run.symbols)\n"
          "      --max-errors M            stop after M bit errors (run.max_errors; 0 = no limit)\n"
          "      --seed S                  seed of every random stream (run.seed)\n"
          "      --threads T               worker threads, 0 = all cores (run.threads); results do not change\n"
          "      --mode mc|stat|both       Monte Carlo (default), statistical analysis, or both side by side\n"
          "      --eye-ber P               BER at which both eyes give height and width (eye.target_ber,\n"
          "                                default 2.4e-4; docs/eye.md)\n"
          "      --json FILE               write the results as JSON\n"
          "      --csv FILE                write the results as one CSV row with a header\n",
          f);
    /* the dump kinds as "KIND (HELP)", comma-separated, wrapped at WIDTH */
    int col = fprintf(f, "%-*swrite columns with a '#' header for plotting (repeatable):", INDENT,
                      "      --dump KIND=FILE");
    for (size_t k = 0; k < N_DUMPS; k++) {
        char item[160];
        int n = snprintf(item, sizeof item, "%s (%s)%s", DUMPS[k].name, DUMPS[k].help, k + 1 < N_DUMPS ? "," : "");
        if (col + 1 + n > WIDTH)
            col = fprintf(f, "\n%*s", INDENT, "") - 1;
        else
            col += fprintf(f, " ");
        col += fprintf(f, "%s", item);
    }
    fputs("\n  -h, --help                    this help\n", f);
}

static void progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx;
    fprintf(stderr, "\r  %6.2f %%  %llu / %llu symbols", total ? 100.0 * (double)done / (double)total : 100.0,
            (unsigned long long)done, (unsigned long long)total);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

/* --dump KIND=FILE into o->dump; 0, or EXIT_USAGE after printing why. */
static int parse_dump(run_opts *o, const char *arg)
{
    for (size_t k = 0; k < N_DUMPS; k++) {
        size_t n = strlen(DUMPS[k].name);
        if (!strncmp(arg, DUMPS[k].name, n) && arg[n] == '=' && arg[n + 1]) {
            o->dump[k] = arg + n + 1;
            const char *at = strstr(arg + n + 1, ",at=");
            if (k == 0 && at) { /* eye=FILE,at=slicer|input */
                if ((strcmp(at + 4, "slicer") && strcmp(at + 4, "input")) || at == arg + n + 1 ||
                    (size_t)(at - (arg + n + 1)) >= sizeof o->eye_file) {
                    cli_error("--dump %s: expected eye=FILE or eye=FILE,at=slicer|input", arg);
                    return EXIT_USAGE;
                }
                memcpy(o->eye_file, arg + n + 1, (size_t)(at - (arg + n + 1)));
                o->eye_file[at - (arg + n + 1)] = '\0';
                o->dump[k] = o->eye_file;
                snprintf(o->eye_at, sizeof o->eye_at, "eye.at=%s", at + 4);
            }
            return 0;
        }
    }
    char kinds[256] = "";
    size_t len = 0;
    for (size_t k = 0; k < N_DUMPS && len < sizeof kinds; k++)
        len += (size_t)snprintf(kinds + len, sizeof kinds - len, "%s%s=FILE",
                                k == 0 ? "" : k + 1 < N_DUMPS ? ", " : " or ", DUMPS[k].name);
    cli_error("--dump %s: expected %s", arg, kinds);
    return EXIT_USAGE;
}

/* The command line into o: CLI_CONTINUE, or the exit status (help printed, or a usage error). */
static int run_parse(int argc, char **argv, run_opts *o)
{
    enum { O_SYMBOLS = 256, O_MAXERR, O_SEED, O_THREADS, O_JSON, O_CSV, O_DUMP, O_MODE, O_EYE_BER };
    static const struct option opts[] = {
        { "set", required_argument, NULL, 's' },        { "symbols", required_argument, NULL, O_SYMBOLS },
        { "max-errors", required_argument, NULL, O_MAXERR }, { "seed", required_argument, NULL, O_SEED },
        { "threads", required_argument, NULL, O_THREADS }, { "json", required_argument, NULL, O_JSON },
        { "csv", required_argument, NULL, O_CSV },        { "dump", required_argument, NULL, O_DUMP },
        { "mode", required_argument, NULL, O_MODE },      { "eye-ber", required_argument, NULL, O_EYE_BER },
        { "help", no_argument, NULL, 'h' },               { NULL, 0, NULL, 0 },
    };
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":s:h", opts, NULL)) != -1) {
        const char *key = NULL;
        switch (opt) {
        case 's':
            if (o->n_assign >= (int)(sizeof o->assign / sizeof o->assign[0])) {
                cli_error("run: too many -s, --symbols, --max-errors, --seed and --threads options (at most %zu)",
                          sizeof o->assign / sizeof o->assign[0]);
                return EXIT_USAGE;
            }
            o->assign[o->n_assign++] = optarg;
            break;
        case O_SYMBOLS: key = "run.symbols"; break;
        case O_MAXERR: key = "run.max_errors"; break;
        case O_SEED: key = "run.seed"; break;
        case O_THREADS: key = "run.threads"; break;
        case O_JSON: o->json = optarg; break;
        case O_MODE:
            if (!strcmp(optarg, "mc") || !strcmp(optarg, "stat") || !strcmp(optarg, "both")) {
                o->mode = optarg;
                break;
            }
            cli_error("--mode %s: expected mc, stat or both", optarg);
            return EXIT_USAGE;
        case O_CSV: o->csv = optarg; break;
        case O_EYE_BER: snprintf(o->eye_ber, sizeof o->eye_ber, "eye.target_ber=%s", optarg); break;
        case O_DUMP:
            if (parse_dump(o, optarg))
                return EXIT_USAGE;
            break;
        case 'h': run_usage(stdout); return EXIT_OK;
        case ':': cli_error("run: option '%s' needs a value", argv[optind - 1]); return EXIT_USAGE;
        default: cli_error("run: unknown option '%s' (see 'lanesim run --help')", argv[optind - 1]); return EXIT_USAGE;
        }
        if (key && o->n_assign >= (int)(sizeof o->assign / sizeof o->assign[0])) {
            cli_error("run: too many -s, --symbols, --max-errors, --seed and --threads options (at most %zu)",
                      sizeof o->assign / sizeof o->assign[0]);
            return EXIT_USAGE;
        }
        if (key) {
            int slot = (opt - O_SYMBOLS) & 3;
            snprintf(o->flagbuf[slot], sizeof o->flagbuf[slot], "%s=%s", key, optarg);
            o->assign[o->n_assign++] = o->flagbuf[slot];
        }
    }
    if (optind != argc - 1) {
        cli_error(optind >= argc ? "run: missing PRESET or FILE.ini (see 'lanesim presets')"
                                 : "run: exactly one PRESET or FILE.ini expected");
        return EXIT_USAGE;
    }
    o->input = argv[optind];
    /* after the -s assignments, so that the options win */
    const char *extra[2] = { o->eye_at[0] ? o->eye_at : NULL, o->eye_ber[0] ? o->eye_ber : NULL };
    for (int i = 0; i < 2; i++) {
        if (!extra[i])
            continue;
        if (o->n_assign >= (int)(sizeof o->assign / sizeof o->assign[0])) {
            cli_error("run: too many -s options (at most %zu)", sizeof o->assign / sizeof o->assign[0]);
            return EXIT_USAGE;
        }
        o->assign[o->n_assign++] = (char *)extra[i];
    }
    return CLI_CONTINUE;
}

/* Loads the configuration and opens the output files (a bad path fails before the run), checks that
   the mode makes every dump asked for, then runs the statistical analysis and/or Monte Carlo.
   CLI_CONTINUE, or the exit status after printing why. */
static int run_simulate(run_opts *o, run_state *s)
{
    if (!(s->c = cli_load_config(o->input, o->assign, o->n_assign)))
        return EXIT_USAGE;
    if ((o->json && cli_out_open(&s->oj, o->json)) || (o->csv && cli_out_open(&s->oc, o->csv)))
        return EXIT_USAGE;
    for (size_t k = 0; k < N_DUMPS; k++)
        if (o->dump[k] && cli_out_open(&s->od[k], o->dump[k]))
            return EXIT_USAGE;
    char msg[1024] = "";
    s->do_mc = strcmp(o->mode, "stat") != 0;
    s->do_stat = strcmp(o->mode, "mc") != 0;
    s->target = ls_config_real(s->c, "eye.target_ber");
    int need_link = s->do_stat;
    for (size_t k = 0; k < N_DUMPS; k++) {
        if (!o->dump[k])
            continue;
        if ((DUMPS[k].needs & NEEDS_MC) && !s->do_mc) {
            cli_error("--dump %s needs the Monte Carlo run (--mode mc or both)", DUMPS[k].name);
            return EXIT_USAGE;
        }
        if ((DUMPS[k].needs & NEEDS_STAT) && !s->do_stat) {
            cli_error("--dump %s needs the statistical analysis (--mode stat or both)", DUMPS[k].name);
            return EXIT_USAGE;
        }
        need_link |= (DUMPS[k].needs & NEEDS_LINK) != 0;
    }
    ls_status st = LS_OK;
    if (need_link && ls_config_find(s->c, "class.budget") && !ls_config_bool(s->c, "class.resolved")) {
        /* a class preset: the statistical analysis runs on its budget's lane of largest |CD| (docs/classes.md) */
        if ((st = ls_class_resolve(s->c, &s->rc, &s->cls, msg, sizeof msg)) != LS_OK)
            return cli_fail(s->c, st, msg);
    }
    if (need_link) {
        if (!(s->sl = ls_link_create(s->rc ? s->rc : s->c, 64, msg, sizeof msg, &st)) ||
            (s->do_stat && (st = ls_link_stat(s->sl, s->target, &s->sr)) != LS_OK)) {
            return cli_fail(s->c, st, msg);
        }
        s->sli = *ls_link_get_info(s->sl);
    }
    if (s->do_mc) {
        st = ls_run(s->c, isatty(STDERR_FILENO) ? progress : NULL, NULL, &s->r, msg, sizeof msg);
        if (st != LS_OK)
            return cli_fail(s->c, st, msg);
    }
    return CLI_CONTINUE;
}

/* The link's warnings about its inputs (a Touchstone channel's checks), from the run or the link. */
static size_t run_warnings(const run_state *s, const char **w, size_t cap)
{
    if (s->do_mc) {
        size_t n = s->r.n_warnings < cap ? s->r.n_warnings : cap;
        for (size_t i = 0; i < n; i++)
            w[i] = s->r.warnings[i];
        return n;
    }
    size_t n = ls_link_warnings(s->sl, w, cap);
    return n < cap ? n : cap;
}

/* The results on stdout: the Monte Carlo table or a title line, the statistical analysis, the link's
   warnings, then the energy. CLI_CONTINUE, or the exit status after printing why. */
static int run_print(run_state *s)
{
    if (s->do_mc && (s->r.engine == LS_ENGINE_SYMBOL || s->r.engine == LS_ENGINE_PATTERN))
        fprintf(stderr, "lanesim: run.engine = %s: the %s engine ran; no Monte Carlo eye (docs/engines.md)\n",
                s->r.engine == LS_ENGINE_SYMBOL ? "symbol" : "pattern",
                s->r.engine == LS_ENGINE_SYMBOL ? "symbol-rate" : "pattern");
    else if (s->do_mc && s->r.engine_note[0] && ls_config_find(s->c, "eye.mc") && !ls_config_bool(s->c, "eye.mc"))
        fprintf(stderr, "lanesim: engine: the sample path ran (run.engine = auto): %s\n", s->r.engine_note);
    if (s->do_mc) {
        run_print_table(s->c, &s->r);
        run_print_class(&s->r.cls);
    } else {
        printf("lanesim %s  preset %s  PAM%u  %s Gb/s (%s GBd)  sps %u  statistical analysis\n", LANESIM_VERSION,
               ls_config_preset(s->c), s->sli.levels, lsp_num(s->sli.rate_bps / 1e9).s, lsp_num(s->sli.baud / 1e9).s,
               s->sli.sps);
        run_print_class(&s->cls);
    }
    if (s->do_stat)
        run_print_stat(&s->sli, &s->sr, s->target, s->do_mc ? &s->r : NULL);
    const char *w[4];
    const size_t nw = run_warnings(s, w, 4);
    if (nw)
        printf("\n");
    for (size_t i = 0; i < nw; i++)
        printf("  warning: %s\n", w[i]);
    /* after the run, so that a configuration that does not build is reported by the run */
    if ((s->have_energy = cli_energy(s->c, &s->en)) < 0)
        return EXIT_USAGE;
    if (s->have_energy == 0)
        cli_print_energy(&s->en);
    return CLI_CONTINUE;
}

/* The JSON document of --json. */
static cJSON *run_json(const run_opts *o, const run_state *s)
{
    cJSON *j;
    if (s->do_mc) {
        j = run_result_json(s->c, &s->r);
        cJSON_ReplaceItemInObject(j, "mode", cJSON_CreateString(o->mode));
    } else {
        j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "lanesim_version", LANESIM_VERSION);
        cJSON_AddStringToObject(j, "preset", ls_config_preset(s->c));
        cJSON_AddStringToObject(j, "mode", "stat");
        cJSON_AddNumberToObject(j, "ber", s->sr.ber);
        cJSON_AddNumberToObject(j, "ser", s->sr.ser);
        cJSON_AddItemToObject(j, "config", run_config_json(s->c));
        if (s->sli.ami_out[0][0] || s->sli.ami_out[1][0])
            run_ami_json(cJSON_AddObjectToObject(j, "link"), &s->sli);
        run_class_json(j, &s->cls);
    }
    if (s->do_stat)
        cJSON_AddItemToObject(j, "stat", run_stat_json(&s->sli, &s->sr, s->target));
    const char *w[4];
    const size_t nw = run_warnings(s, w, 4);
    cJSON_AddItemToObject(j, "warnings", cJSON_CreateStringArray(w, (int)nw));
    if (s->have_energy == 0)
        cJSON_AddItemToObject(j, "energy", cli_energy_json(&s->en));
    return j;
}

/* The output files: JSON, CSV, then the dumps. EXIT_OK, or EXIT_RUNTIME after printing why. */
static int run_write(const run_opts *o, run_state *s)
{
    if (o->json && cli_out_json(&s->oj, run_json(o, s)))
        return EXIT_RUNTIME;
    if (o->csv) {
        if (!s->do_mc)
            fprintf(s->oc.f,
                    "preset,rate_gbps,mode,stat_ber,stat_ser,vertical_opening_v,snr_eq_db\n%s,%.10g,stat,%.6e,%.6e,%.6e,%.4f\n",
                    ls_config_preset(s->c), s->sli.rate_bps / 1e9, s->sr.ber, s->sr.ser, s->sr.vertical_opening_v,
                    s->sli.snr_eq_db);
        else
            run_write_csv(s->oc.f, s->c, &s->r);
        if (cli_out_commit(&s->oc))
            return EXIT_RUNTIME;
    }
    for (size_t k = 0; k < N_DUMPS; k++)
        if (o->dump[k] && (DUMPS[k].write(s->od[k].f, s) || cli_out_commit(&s->od[k])))
            return EXIT_RUNTIME;
    return EXIT_OK;
}

static void run_free(run_state *s)
{
    cli_out_abort(&s->oj);
    cli_out_abort(&s->oc);
    for (size_t k = 0; k < N_DUMPS; k++)
        cli_out_abort(&s->od[k]);
    ls_run_result_free(&s->r);
    ls_link_destroy(s->sl);
    ls_config_destroy(s->rc);
    ls_config_destroy(s->c);
}

int cmd_run(int argc, char **argv)
{
    run_opts o = { .mode = "mc" };
    int rc = run_parse(argc, argv, &o);
    if (rc != CLI_CONTINUE)
        return rc;
    run_state s = { 0 };
    if ((rc = run_simulate(&o, &s)) == CLI_CONTINUE && (rc = run_print(&s)) == CLI_CONTINUE)
        rc = run_write(&o, &s);
    run_free(&s);
    return rc;
}

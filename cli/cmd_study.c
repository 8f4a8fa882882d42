/*
 * lanesim study: the default main job. For every architecture (passive copper at 26 and 30 AWG,
 * linear-drive pluggable, DSP-retimed pluggable, co-packaged optics) and every lane rate, the reach
 * (the longest link.length_m meeting the BER target, sim/reach.c: statistical analysis, checked by Monte
 * Carlo and searched down by it where Monte Carlo refutes it) and the energy
 * per bit at that reach; then, at the eye rate, each architecture's Monte Carlo eye and statistical
 * bathtub at its preset length. Writes CSV, JSON, data files and plots into one folder and prints the
 * architecture x rate summary. All jobs are independent and run in parallel; each job is
 * deterministic, so the output does not depend on the thread count. See docs/study.md.
 *
 * This file holds the architectures and the driver, in stages: study_parse, study_check,
 * study_build (the jobs), study_run; the report (files, summary, plots) is cli/study_out.c.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "lanesim/energy.h"
#include "lanesim/com.h"
#include "lanesim/link.h"
#include "lanesim/reach.h"
#include "lanesim/run.h"
#include "plotdata.h"
#include "study.h"

static const arch ARCHS[] = {
    { "copper-26awg", "copper", { "cable.awg=26", NULL }, "passive copper, 26 AWG twinax (DAC)" },
    { "copper-30awg", "copper", { "cable.awg=30", NULL }, "passive copper, 30 AWG twinax (DAC)" },
    { "lpo", "lpo", { NULL, NULL }, "linear-drive pluggable optics, SMF" },
    { "dsp-retimed", "dsp-retimed", { NULL, NULL }, "DSP-retimed pluggable optics, SMF" },
    { "cpo", "cpo", { NULL, NULL }, "co-packaged optics, SMF" },
    { "cpc", "cpc", { NULL, NULL }, "co-packaged copper, 26 AWG twinax attached at the package" },
    { "cpo-wdm", "cpo-wdm", { NULL, NULL }, "multi-wavelength microring CPO (8 lines, 400 GHz grid), SMF" },
};
#define N_ARCH (sizeof ARCHS / sizeof ARCHS[0])

/* The options that only build the jobs. */
typedef struct {
    char *assign[256];         /* -s, then --eye-ber's eye.target_ber=P */
    int n_assign;
    char eye_ber[96];          /* "eye.target_ber=P" of --eye-ber P */
    int use[N_ARCH];           /* --arch: 1 for each architecture selected */
    long threads;              /* --threads */
} study_opts;

static void study_usage(FILE *f)
{
    fputs("usage: lanesim study [options]\n"
          "  Reach and energy per bit versus lane rate for passive copper (26 and 30 AWG), LPO, DSP-retimed\n"
          "  pluggable, CPO, co-packaged copper and multi-wavelength microring CPO links, plus each\n"
          "  architecture's eye and bathtub at the eye rate.\n"
          "      --out DIR             output folder (default: study); created if missing\n"
          "      --rates R1,R2,...     lane rates in Gb/s (default 53.125,106.25,212.5,425)\n"
          "      --arch A1,A2,...      architectures (default all: copper-26awg,copper-30awg,lpo,dsp-retimed,cpo,\n"
          "                            cpc,cpo-wdm)\n"
          "      --target-ber X        pre-FEC BER the reach must meet (default 2.4e-4)\n"
          "      --sps N               samples per UI of the reach analysis (default 16)\n"
          "      --eye-rate R          lane rate of the eyes and bathtubs (default 212.5; 0 = none)\n"
          "      --symbols N           Monte Carlo symbols per eye (default 200000)\n"
          "      --eye-ber P           BER at which the eyes give height and width (eye.target_ber, default\n"
          "                            2.4e-4; after the -s overrides)\n"
          "  -s, --set section.key=value  override a key in every architecture that has it (repeatable)\n"
          "      --threads T           jobs in parallel (default: all cores)\n"
          "      --classes C1,C2,...   the 802.3dj class rows at 212.5 Gb/s (default all: 200g-dr1,200g-dr1-2,\n"
          "                            800g-fr4,800g-lr4; none = no class rows; docs/study.md)\n"
          "      --no-plot             write the data only (no gnuplot)\n"
          "      --no-confirm          skip the Monte Carlo check of each statistical reach (the reaches are\n"
          "                            then flagged unconfirmed in every output)\n"
          "      --no-com              skip the IEEE COM reach of the copper rows (com_reach_m: the longest\n"
          "                            length with COM >= 3 dB under " CLI_COM_CONFIG_CK " at 53.125 GBd, " CLI_COM_CONFIG_DJ "\n"
          "                            at 106.25 GBd; none at other symbol rates; docs/com.md)\n"
          "      --com-config NAME|FILE  the COM configuration of every copper row instead (any symbol rate)\n"
          "  -h, --help                this help\n"
          "Writes DIR/reach_vs_rate.csv, study.json, power_breakdown.csv, eye_ARCH.dat, stateye_ARCH.dat,\n"
          "bathtub_ARCH.dat and their plots (.png: reach_vs_rate, energy_vs_reach, power_breakdown, eye_ARCH,\n"
          "stateye_ARCH, bathtub_ARCH). See docs/study.md.\n",
          f);
}

/* The IEEE COM reach of a copper job: COM >= 3 dB, over the preset's length range on 5 points, then
   bisection to 3 %: about 11 COM evaluations of ~1 s. A failed search is a note, not a failed study. */
static void com_reach(const study *s, job *j)
{
    ls_reach_options o;
    ls_reach_options_init(&o);
    o.target = LS_REACH_IEEE_COM;
    o.target_value = 3.0;
    o.com_config = j->cc;
    o.grid = 5;
    o.rel_tol = 0.03;
    o.confirm = 0;
    o.min_m = s->ro.min_m;
    o.max_m = s->ro.max_m;
    ls_reach_result r;
    ls_status st = ls_reach(j->c, &o, &r, j->com_msg, sizeof j->com_msg);
    j->com_reach_m = st == LS_OK ? r.reach_m : NAN;
    if (st != LS_OK && !j->com_msg[0])
        snprintf(j->com_msg, sizeof j->com_msg, "%s", ls_strerror(st));
}

/* A copy of the shipped COM configuration whose f_b is the job's symbol rate (within 0.5 %), or none. */
static void com_pick(const study *s, job *j)
{
    j->com_reach_m = NAN;
    if (!s->com || j->eye || strcmp(j->a->preset, "copper"))
        return;
    const char *m = ls_config_str(j->c, "link.modulation");
    const double baud_g = j->rate_gbps / (!strcmp(m, "pam2") ? 1 : !strcmp(m, "pam8") ? 3 : 2);
    static const char *const names[2] = { CLI_COM_CONFIG_CK, CLI_COM_CONFIG_DJ };
    if (s->com_name) { /* --com-config: one configuration for every rate */
        if (!(j->cc = ls_com_config_copy(s->com_cfg[0])))
            snprintf(j->com_msg, sizeof j->com_msg, "out of memory");
        j->com_name = s->com_name;
        return;
    }
    for (int k = 0; k < 2; k++) {
        double fb = 0;
        if (s->com_cfg[k] && ls_com_config_get(s->com_cfg[k], "f_b", &fb) == LS_OK && fabs(fb / baud_g - 1) < 0.005) {
            if (!(j->cc = ls_com_config_copy(s->com_cfg[k])))
                snprintf(j->com_msg, sizeof j->com_msg, "out of memory");
            j->com_name = names[k];
        }
    }
}

static void run_job(void *ctx, size_t i)
{
    study *s = ctx;
    job *j = &s->jobs[i];
    if ((j->st = ls_energy_compute(j->c, &j->e, j->msg, sizeof j->msg)) != LS_OK)
        return;
    if (!j->eye) {
        ls_reach_options ro = s->ro; /* optics: up to the longest class reach (cli/study_class.c) */
        if (ls_config_find(j->c, "laser.power_dbm"))
            ro.max_m = study_class_cap_m(j->rate_gbps);
        j->st = ls_reach(j->c, &ro, &j->r, j->msg, sizeof j->msg);
        if (j->st == LS_OK && j->cc)
            com_reach(s, j);
        return;
    }
    /* eye job: Monte Carlo eye histogram, the statistical bathtub and eye at the preset's length
       (the link is kept for the statistical eye's map, drawn from the same analysis) */
    j->length_m = ls_config_real(j->c, "link.length_m");
    ls_link *l = j->link = ls_link_create(j->c, 64, j->msg, sizeof j->msg, &j->st);
    if (!l || (j->st = ls_link_stat(l, ls_config_real(j->c, "eye.target_ber"), &j->sr)) != LS_OK) {
        if (j->st == LS_OK)
            j->st = LS_EINTERNAL;
        return;
    }
    j->info = *ls_link_get_info(l);
    if ((j->st = ls_run(j->c, NULL, NULL, &j->mc, j->msg, sizeof j->msg)) == LS_OK)
        j->have_mc = 1;
}

static void progress(void *ctx, size_t done, size_t n)
{
    cli_bar_draw(&((study *)ctx)->bar, done, n);
}

static int make_dir(const char *d)
{
    if (mkdir(d, 0777) == 0)
        cli_made_dir(d); /* an interrupted or failed study removes it again while it is empty */
    else if (errno != EEXIST) {
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
            cli_error("--arch %s: unknown architecture (copper-26awg, copper-30awg, lpo, dsp-retimed, cpo, cpc, cpo-wdm)", t);
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
    enum { O_OUT = 256, O_RATES, O_ARCH, O_TBER, O_SPS, O_EYE_RATE, O_SYMBOLS, O_THREADS, O_NOPLOT, O_NOCONFIRM, O_EYE_BER, O_NOCOM, O_COMCFG,
           O_CLASSES };
    static const struct option opts[] = {
        { "out", required_argument, NULL, O_OUT },         { "rates", required_argument, NULL, O_RATES },
        { "arch", required_argument, NULL, O_ARCH },       { "target-ber", required_argument, NULL, O_TBER },
        { "sps", required_argument, NULL, O_SPS },         { "eye-rate", required_argument, NULL, O_EYE_RATE },
        { "symbols", required_argument, NULL, O_SYMBOLS }, { "threads", required_argument, NULL, O_THREADS },
        { "set", required_argument, NULL, 's' },           { "help", no_argument, NULL, 'h' },
        { "no-plot", no_argument, NULL, O_NOPLOT },        { "no-confirm", no_argument, NULL, O_NOCONFIRM },
        { "eye-ber", required_argument, NULL, O_EYE_BER }, { "no-com", no_argument, NULL, O_NOCOM },
        { "com-config", required_argument, NULL, O_COMCFG }, { "classes", required_argument, NULL, O_CLASSES },
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
            if (cli_add_assign(o->assign, &o->n_assign, 256, optarg))
                return EXIT_USAGE;
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
        case O_EYE_BER: snprintf(o->eye_ber, sizeof o->eye_ber, "eye.target_ber=%s", optarg); break;
        case O_NOPLOT: s->plots = 0; break;
        case O_NOCONFIRM: s->ro.confirm = 0; break;
        case O_NOCOM: s->com = 0; break;
        case O_COMCFG: s->com_name = optarg; break;
        case O_CLASSES: s->classes = optarg; break;
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
    if (o->eye_ber[0]) { /* after the -s overrides, so that the option wins */
        if (cli_add_assign(o->assign, &o->n_assign, 256, o->eye_ber))
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
        size_t k = study_assign_key(o->assign[i], key, sizeof key);
        int found = 0;
        for (size_t a = 0; a < N_ARCH && !found; a++) {
            ls_config *c = o->use[a] ? ls_config_create(ARCHS[a].preset, msg, sizeof msg, NULL) : NULL;
            found = c && ls_config_find(c, key);
            ls_config_destroy(c);
        }
        if (!found && !strncmp(key, "class.", 6)) { /* the class rows' keys (cli/study_class.c) */
            ls_config *c = ls_config_create("200g-dr1", msg, sizeof msg, NULL);
            found = c && ls_config_find(c, key);
            ls_config_destroy(c);
        }
        if (found && o->assign[i] == o->eye_ber) { /* its value checked here, named by the option */
            ls_config *c = ls_config_create(ARCHS[0].preset, msg, sizeof msg, NULL);
            const int bad = c && ls_config_set_assignment(c, o->eye_ber, msg, sizeof msg) != LS_OK;
            ls_config_destroy(c);
            if (bad) {
                cli_error("--eye-ber %s: %s", o->eye_ber + strlen("eye.target_ber="), msg);
                return EXIT_USAGE;
            }
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
    int rc = EXIT_USAGE, copper = 0;
    for (size_t a = 0; a < N_ARCH; a++)
        copper |= o->use[a] && !strcmp(ARCHS[a].preset, "copper");
    if (s->com && copper &&
        (!(s->com_cfg[0] = cli_com_config(s->com_name ? s->com_name : CLI_COM_CONFIG_CK, NULL, 0, &rc)) ||
         (!s->com_name && !(s->com_cfg[1] = cli_com_config(CLI_COM_CONFIG_DJ, NULL, 0, &rc)))))
        return rc;
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
            if (!(j->c = study_config(j->a, NULL, j->rate_gbps, o->assign, o->n_assign, j->eye ? symset : spsset, j->msg,
                                     sizeof j->msg))) {
                cli_error("%s at %s Gb/s: %s", j->a->name, lsp_num(j->rate_gbps).s, j->msg);
                return EXIT_USAGE;
            }
            com_pick(s, j);
            /* jobs run in parallel: each one single-threaded (results do not depend on it) */
            char m2[64];
            if (j->eye && ls_config_set(j->c, "run.threads", "1", m2, sizeof m2) != LS_OK) {
                cli_error("%s: %s", j->a->name, m2);
                return EXIT_USAGE;
            }
        }
    }
    const arch *sel[N_ARCH];
    size_t n_sel = 0;
    for (size_t a = 0; a < N_ARCH; a++)
        if (o->use[a])
            sel[n_sel++] = &ARCHS[a];
    return study_class_build(s, sel, n_sel, o->assign, o->n_assign);
}

/* Runs every job on threads. CLI_CONTINUE, or EXIT_RUNTIME after naming the first failed job. */
static int study_run_jobs(study *s, long threads)
{
    cli_parallel(s->n, threads, run_job, progress, s);
    for (size_t i = 0; i < s->n; i++)
        if (s->jobs[i].st != LS_OK) {
            cli_error("%s at %s Gb/s: %s", s->jobs[i].a->name, lsp_num(s->jobs[i].rate_gbps).s,
                      s->jobs[i].msg[0] ? s->jobs[i].msg : ls_strerror(s->jobs[i].st));
            return EXIT_RUNTIME;
        }
    return CLI_CONTINUE;
}

/* Creates the output folder, then runs every job. CLI_CONTINUE, or the exit status after printing
   why (the first failed job). */
static int study_run(study *s, const study_opts *o)
{
    if (make_dir(s->out))
        return EXIT_USAGE;
    int rc = study_run_jobs(s, o->threads);
    return rc == CLI_CONTINUE ? study_class_run(s, o->threads) : rc;
}


int cmd_study(int argc, char **argv)
{
    study s = { .out = "study", .sps = "16", .symbols = "200000", .rates = { 53.125, 106.25, 212.5, 425 },
                .nr = 4, .eye_rate = 212.5, .plots = 1, .com = 1 };
    study_opts o = { .threads = sysconf(_SC_NPROCESSORS_ONLN) };
    for (size_t a = 0; a < N_ARCH; a++)
        o.use[a] = 1;
    ls_reach_options_init(&s.ro);
    int rc = study_parse(argc, argv, &s, &o), ran = 0;
    if (rc == CLI_CONTINUE && (rc = study_check(&o)) == CLI_CONTINUE && (rc = study_build(&s, &o)) == CLI_CONTINUE &&
        (rc = study_run(&s, &o)) == CLI_CONTINUE) {
        rc = study_report(&s);
        ran = 1; /* not after --help */
    }
    for (size_t a = 0; ran && rc == EXIT_OK && s.eye_rate > 0 && a < N_ARCH; a++)
        if (o.use[a] && !strcmp(ARCHS[a].preset, "lpo")) /* the "LPO vs host loss" curve (study_hostloss.c) */
            rc = study_host_loss(&s, o.threads);
    study_free(&s);
    return rc;
}

void study_free(study *s)
{
    for (size_t i = 0; i < s->n; i++) {
        ls_config_destroy(s->jobs[i].c);
        ls_com_config_destroy(s->jobs[i].cc);
        ls_link_destroy(s->jobs[i].link);
        if (s->jobs[i].have_mc)
            ls_run_result_free(&s->jobs[i].mc);
    }
    free(s->jobs);
    s->jobs = NULL;
    s->n = 0;
    study_class_free(s);
    ls_com_config_destroy(s->com_cfg[0]);
    ls_com_config_destroy(s->com_cfg[1]);
    s->com_cfg[0] = s->com_cfg[1] = NULL;
}

int study_rows(study *s, const double *rates, unsigned nr, long threads)
{
    study_opts o = { .threads = threads };
    for (size_t a = 0; a < N_ARCH; a++)
        o.use[a] = 1;
    *s = (study){ .out = "", .sps = "16", .symbols = "200000", .nr = nr < MAX_RATES ? nr : MAX_RATES,
                  .classes = "none" };
    memcpy(s->rates, rates, s->nr * sizeof *rates);
    ls_reach_options_init(&s->ro);
    int rc = study_build(s, &o);
    if (rc != CLI_CONTINUE)
        return rc;
    return study_run_jobs(s, threads);
}

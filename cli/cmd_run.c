/*
 * lanesim run: one Monte Carlo simulation of a link and/or its statistical analysis; a table on
 * stdout, optional JSON, CSV and whitespace-column dumps (eye histogram, pulse response, bathtub,
 * frequency response) written atomically. In stages: run_parse (the command line into run_opts),
 * run_simulate (configuration, output files, the runs into run_state), then the report: run_print
 * on stdout, run_write into the files. The dump kinds are the table DUMPS, which the parser, the
 * help, the checks and the writer read.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "dump.h"
#include "lanesim/run.h"
#include "lanesim/version.h"

enum { N_DUMPS = 4 }; /* the kinds of --dump (DUMPS) */

/* What the command line asks for. */
typedef struct {
    const char *input;         /* PRESET or FILE.ini */
    char *assign[512];         /* the -s assignments and those of --symbols, --max-errors, --seed, --threads */
    char flagbuf[4][96];       /* the text of the latter */
    int n_assign;
    const char *mode;          /* mc, stat or both */
    const char *json, *csv;    /* NULL when not asked for */
    const char *dump[N_DUMPS]; /* --dump KIND=FILE: FILE by kind in DUMPS order, NULL when not asked for */
} run_opts;

/* The run: configuration, results and output files. */
typedef struct {
    ls_config *c;
    int do_mc, do_stat;        /* Monte Carlo, statistical analysis */
    double target;             /* eye.target_ber */
    ls_run_result r;           /* Monte Carlo */
    ls_link *sl;               /* the link of the statistical analysis and of the response dump */
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
    cli_dump_bathtub(f, s->c, &s->sli, &s->sr, s->target);
    return EXIT_OK;
}

static int dump_response(FILE *f, const run_state *s)
{
    return cli_dump_response(f, s->c, s->sl);
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
    { "eye", "histogram", NEEDS_MC, dump_eye },
    { "pulse", "pulse response", NEEDS_MC, dump_pulse },
    { "bathtub", "BER vs phase, statistical analysis", NEEDS_STAT | NEEDS_LINK, dump_bathtub },
    { "response", "channel, CTLE and equalized response vs frequency", NEEDS_LINK, dump_response },
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

static cJSON *config_json(const ls_config *c)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < ls_config_count(c); i++) {
        const ls_param_def *d = ls_config_def(c, i);
        cJSON_AddItemToObject(o, d->key, cli_config_item(c, d));
    }
    return o;
}

/* "fec" and "bursts" of the JSON of a run */
static void add_fec_json(cJSON *j, const ls_run_result *r)
{
    const ls_ber_results *b = &r->ber;
    const ls_ber_counts *k = &r->counts;
    cJSON *fec = cJSON_AddObjectToObject(j, "fec");
    cJSON_AddStringToObject(fec, "code", "RS(544,514)");
    cJSON_AddNumberToObject(fec, "pre_fec_ber", b->ber);
    cJSON_AddNumberToObject(fec, "post_fec_cer_random", b->post_fec_cer_random);
    cJSON_AddNumberToObject(fec, "codewords", (double)k->codewords);
    cJSON_AddNumberToObject(fec, "codewords_failed", (double)k->codewords_failed);
    cJSON_AddNumberToObject(fec, "cer_counted", b->cer_counted);
    cJSON_AddNumberToObject(fec, "max_symbol_errors_per_codeword", (double)k->max_fec_symbol_errors);
    double fh[17];
    for (int i = 0; i < 17; i++)
        fh[i] = (double)k->fec_hist[i];
    cJSON_AddItemToObject(fec, "symbol_errors_hist", cJSON_CreateDoubleArray(fh, 17));
    cJSON *bu = cJSON_AddObjectToObject(j, "bursts");
    cJSON_AddNumberToObject(bu, "count", (double)k->bursts);
    cJSON_AddNumberToObject(bu, "max_length", (double)k->max_burst);
    double bh[LS_BER_BURST_BINS];
    for (int i = 0; i < LS_BER_BURST_BINS; i++)
        bh[i] = (double)k->burst_hist[i];
    cJSON_AddItemToObject(bu, "length_hist", cJSON_CreateDoubleArray(bh, LS_BER_BURST_BINS));
}

/* "link", then "optical" (optical links) and "segments" (links with segments) of the JSON of a run */
static void add_link_json(cJSON *j, const ls_run_result *r)
{
    cJSON *ln = cJSON_AddObjectToObject(j, "link");
    cJSON_AddNumberToObject(ln, "rate_gbps", r->link.rate_bps / 1e9);
    cJSON_AddNumberToObject(ln, "baud_gbd", r->link.baud / 1e9);
    cJSON_AddNumberToObject(ln, "sps", r->link.sps);
    cJSON_AddNumberToObject(ln, "levels", r->link.levels);
    cJSON_AddNumberToObject(ln, "main_cursor_v", r->link.h0);
    cJSON_AddItemToObject(ln, "levels_v", cJSON_CreateDoubleArray(r->link.level_v, (int)r->link.levels));
    double th[7];
    for (unsigned i = 0; i + 1 < r->link.levels; i++)
        th[i] = r->link.thresholds[i];
    cJSON_AddItemToObject(ln, "thresholds_v", cJSON_CreateDoubleArray(th, (int)r->link.levels - 1));
    cJSON_AddNumberToObject(ln, "noise_sigma_v", r->link.noise_sigma);
    cJSON_AddNumberToObject(ln, "noise_rms_v", r->link.noise_rms_v);
    cJSON_AddNumberToObject(ln, "isi_rms_v", r->link.isi_rms_v);
    cJSON_AddNumberToObject(ln, "snr_eq_db", r->link.snr_eq_db);
    cJSON_AddNumberToObject(ln, "icn_mv", 1e3 * hypot(r->link.icn_v[0], r->link.icn_v[1]));
    if (r->link.icn_v[0] > 0 || r->link.icn_v[1] > 0) {
        cJSON *xt = cJSON_AddObjectToObject(ln, "crosstalk");
        cJSON_AddNumberToObject(xt, "icn_fext_mv", 1e3 * r->link.icn_v[0]);
        cJSON_AddNumberToObject(xt, "icn_next_mv", 1e3 * r->link.icn_v[1]);
        cJSON_AddNumberToObject(xt, "rms_v", r->link.xtalk_rms_v);
    }
    if (!isnan(r->link.ctle_gdc_db))
        cJSON_AddNumberToObject(ln, "ctle_gdc_db", r->link.ctle_gdc_db);
    cJSON_AddNumberToObject(ln, "latency_samples", (double)r->link.latency);
    cJSON_AddNumberToObject(ln, "fused_taps", (double)r->link.fused_taps);
    if (r->link.optical) {
        cJSON *op = cJSON_AddObjectToObject(j, "optical");
        cJSON_AddNumberToObject(op, "launch_oma_dbm", r->link.launch_oma_dbm);
        cJSON_AddNumberToObject(op, "er_db", r->link.er_db);
        cJSON_AddNumberToObject(op, "avg_power_dbm", r->link.avg_power_dbm);
        cJSON_AddNumberToObject(op, "received_oma_dbm", r->link.received_oma_dbm);
    }
    if (r->n_segments) {
        cJSON *sg = cJSON_AddArrayToObject(j, "segments");
        for (unsigned g = 0; g < r->n_segments; g++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "name", r->segment[g].name);
            cJSON_AddNumberToObject(o, "ber", r->segment[g].ber);
            cJSON_AddNumberToObject(o, "bit_errors", (double)r->segment[g].bit_errors);
            cJSON_AddNumberToObject(o, "bits", (double)r->segment[g].bits);
            cJSON_AddNumberToObject(o, "ser", r->segment[g].ser);
            cJSON_AddItemToArray(sg, o);
        }
    }
}

/* "rx" and "run" of the JSON of a run */
static void add_rx_run_json(cJSON *j, const ls_config *c, const ls_run_result *r)
{
    const ls_ber_counts *k = &r->counts;
    cJSON *rx = cJSON_AddObjectToObject(j, "rx");
    cJSON_AddNumberToObject(rx, "cdr_phase_ui", r->rx.phase_ui);
    cJSON_AddNumberToObject(rx, "cdr_phase_mean_ui", r->rx.phase_mean_ui);
    cJSON_AddNumberToObject(rx, "cdr_phase_rms_ui", r->rx.phase_rms_ui);
    cJSON_AddNumberToObject(rx, "cdr_lock_symbol", (double)r->rx.lock_symbol);
    cJSON_AddNumberToObject(rx, "adc_clipped", (double)r->rx.clipped);
    unsigned nf = (unsigned)(ls_config_find(c, "ffe.taps") ? ls_config_int(c, "ffe.taps") : 1);
    unsigned nd = (unsigned)(ls_config_find(c, "dfe.taps") ? ls_config_int(c, "dfe.taps") : 0);
    cJSON_AddItemToObject(rx, "ffe", cJSON_CreateDoubleArray(r->rx.ffe, (int)nf));
    cJSON_AddItemToObject(rx, "dfe", cJSON_CreateDoubleArray(r->rx.dfe, (int)nd));
    cJSON *ru = cJSON_AddObjectToObject(j, "run");
    cJSON_AddNumberToObject(ru, "frames", (double)r->frames);
    cJSON_AddNumberToObject(ru, "threads", r->threads);
    cJSON_AddNumberToObject(ru, "warmup_symbols", (double)r->warmup_symbols);
    cJSON_AddBoolToObject(ru, "stopped_on_errors", r->stopped_on_errors);
    cJSON_AddNumberToObject(ru, "elapsed_s", r->elapsed_s);
    cJSON_AddNumberToObject(ru, "symbols_per_s", r->elapsed_s > 0 ? (double)k->symbols / r->elapsed_s : 0);
}

static cJSON *result_json(const ls_config *c, const ls_run_result *r)
{
    const ls_ber_results *b = &r->ber;
    const ls_ber_counts *k = &r->counts;
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "lanesim_version", LANESIM_VERSION);
    cJSON_AddStringToObject(j, "preset", ls_config_preset(c));
    cJSON_AddStringToObject(j, "mode", "mc");
    cJSON_AddNumberToObject(j, "ber", b->ber);
    double ci[2] = { b->ber_ci95_lo, b->ber_ci95_hi };
    cJSON_AddItemToObject(j, "ber_ci95", cJSON_CreateDoubleArray(ci, 2));
    cJSON_AddNumberToObject(j, "ser", b->ser);
    double sci[2] = { b->ser_ci95_lo, b->ser_ci95_hi };
    cJSON_AddItemToObject(j, "ser_ci95", cJSON_CreateDoubleArray(sci, 2));
    cJSON_AddNumberToObject(j, "bits", (double)k->bits);
    cJSON_AddNumberToObject(j, "bit_errors", (double)k->bit_errors);
    cJSON_AddNumberToObject(j, "symbols", (double)k->symbols);
    cJSON_AddNumberToObject(j, "symbol_errors", (double)k->symbol_errors);
    cJSON_AddNumberToObject(j, "seed", (double)r->seed);
    cJSON *eyes = cJSON_AddArrayToObject(j, "eyes");
    for (unsigned i = r->eye.n_eyes; i-- > 0;) {
        char nb[16];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "name", cli_eye_name(r->link.levels, i, nb, sizeof nb));
        cJSON_AddNumberToObject(e, "height", r->eye.eye[i].height_v);
        cJSON_AddNumberToObject(e, "width_ui", r->eye.eye[i].width_ui);
        cJSON_AddNumberToObject(e, "center", r->eye.eye[i].center_v);
        cJSON_AddNumberToObject(e, "threshold", r->link.thresholds[i]);
        cJSON_AddNumberToObject(e, "errors", (double)k->eye_errors[i]);
        cJSON_AddItemToArray(eyes, e);
    }
    add_fec_json(j, r);
    add_link_json(j, r);
    add_rx_run_json(j, c, r);
    cJSON_AddItemToObject(j, "config", config_json(c));
    return j;
}

static cJSON *stat_json(const ls_link_info *li, const ls_stateye_result *s, double target)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "ber", s->ber);
    cJSON_AddNumberToObject(o, "ser", s->ser);
    cJSON_AddNumberToObject(o, "target_ber", target);
    cJSON_AddNumberToObject(o, "vertical_opening", s->vertical_opening_v);
    cJSON *eyes = cJSON_AddArrayToObject(o, "eyes");
    for (unsigned i = li->levels - 1; i-- > 0;) {
        char nb[16];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "name", cli_eye_name(li->levels, i, nb, sizeof nb));
        cJSON_AddNumberToObject(e, "height", s->eye[i].height_v);
        cJSON_AddNumberToObject(e, "width_ui", s->eye[i].width_ui);
        cJSON_AddNumberToObject(e, "ser", s->ser_eye[i]);
        cJSON_AddItemToArray(eyes, e);
    }
    if (li->icn_v[0] > 0 || li->icn_v[1] > 0) {
        cJSON *xt = cJSON_AddObjectToObject(o, "crosstalk");
        cJSON_AddNumberToObject(xt, "icn_fext_mv", 1e3 * li->icn_v[0]);
        cJSON_AddNumberToObject(xt, "icn_next_mv", 1e3 * li->icn_v[1]);
        cJSON_AddNumberToObject(xt, "rms_v", li->xtalk_rms_v);
    }
    cJSON *bt = cJSON_AddObjectToObject(o, "bathtub");
    cJSON_AddItemToObject(bt, "phase_ui", cJSON_CreateDoubleArray(s->phase_ui, (int)s->n_phase));
    cJSON_AddItemToObject(bt, "ber", cJSON_CreateDoubleArray(s->bathtub_ber, (int)s->n_phase));
    return o;
}

/* One line on the crosstalk, when the link has aggressors. */
static void print_xtalk(const ls_link_info *li)
{
    if (li->icn_v[0] > 0 || li->icn_v[1] > 0)
        printf("  crosstalk %.3g mV rms at the slicer (included in the noise), ICN %.3g mV (FEXT %.3g, NEXT %.3g)\n",
               1e3 * li->xtalk_rms_v, 1e3 * hypot(li->icn_v[0], li->icn_v[1]), 1e3 * li->icn_v[0],
               1e3 * li->icn_v[1]);
}

static void print_stat(const ls_link_info *li, const ls_stateye_result *s, double target, const ls_run_result *mc)
{
    printf("\n  statistical analysis (eye contour at BER %.0e)\n", target);
    if (mc)
        printf("  %-22s %14.4e   Monte Carlo %.4e [%.3e, %.3e]\n", "BER", s->ber, mc->ber.ber, mc->ber.ber_ci95_lo,
               mc->ber.ber_ci95_hi);
    else
        printf("  %-22s %14.4e\n", "BER", s->ber);
    printf("  %-22s %14.4e\n", "SER", s->ser);
    printf("  %-22s %14.2f mV\n", "vertical eye opening", 1e3 * s->vertical_opening_v);
    printf("\n  %-8s %12s %12s %12s\n", "eye", "height (mV)", "width (UI)", "SER");
    for (unsigned i = li->levels - 1; i-- > 0;) {
        char nb[16];
        printf("  %-8s %12.2f %12.3f %12.3e\n", cli_eye_name(li->levels, i, nb, sizeof nb), 1e3 * s->eye[i].height_v,
               s->eye[i].width_ui, s->ser_eye[i]);
    }
    printf("\n  main cursor %.4f V, noise %.3g mV rms, TX jitter %.3g mV rms, residual ISI %.3g mV rms, "
           "equalized SNR %.2f dB\n",
           li->h0, 1e3 * li->noise_rms_v, 1e3 * li->jitter_rms_v, 1e3 * li->isi_rms_v, li->snr_eq_db);
    print_xtalk(li);
}

static void print_table(const ls_config *c, const ls_run_result *r)
{
    const ls_ber_results *b = &r->ber;
    const ls_ber_counts *k = &r->counts;
    printf("lanesim %s  preset %s  PAM%u  %.4g Gb/s (%.4g GBd)  sps %u  seed %llu\n", LANESIM_VERSION,
           ls_config_preset(c), r->link.levels, r->link.rate_bps / 1e9, r->link.baud / 1e9, r->link.sps,
           (unsigned long long)r->seed);
    printf("\n  %-22s %14s   %-26s\n", "measure", "value", "95 % interval / detail");
    printf("  %-22s %14.4e   [%.3e, %.3e]\n", "BER", b->ber, b->ber_ci95_lo, b->ber_ci95_hi);
    printf("  %-22s %14.4e   [%.3e, %.3e]\n", "SER", b->ser, b->ser_ci95_lo, b->ser_ci95_hi);
    printf("  %-22s %14llu   of %llu bits\n", "bit errors", (unsigned long long)k->bit_errors,
           (unsigned long long)k->bits);
    printf("  %-22s %14llu   of %llu symbols\n", "symbol errors", (unsigned long long)k->symbol_errors,
           (unsigned long long)k->symbols);
    printf("  %-22s %14llu   longest %llu symbols\n", "error bursts", (unsigned long long)k->bursts,
           (unsigned long long)k->max_burst);
    printf("  %-22s %14.3e   random-error closed form at this BER\n", "KP4 CER (random)", b->post_fec_cer_random);
    printf("  %-22s %14llu   of %llu codewords (max %llu symbol errors)\n", "KP4 codewords failed",
           (unsigned long long)k->codewords_failed, (unsigned long long)k->codewords,
           (unsigned long long)k->max_fec_symbol_errors);
    printf("\n  %-8s %12s %12s %12s %10s\n", "eye", "height (mV)", "width (UI)", "threshold", "errors");
    for (unsigned i = r->eye.n_eyes; i-- > 0;) {
        char nb[16];
        printf("  %-8s %12.2f %12.3f %12.4f %10llu\n", cli_eye_name(r->link.levels, i, nb, sizeof nb),
               1e3 * r->eye.eye[i].height_v, r->eye.eye[i].width_ui, r->link.thresholds[i],
               (unsigned long long)k->eye_errors[i]);
    }
    for (unsigned g = 0; g < r->n_segments; g++)
        printf("%s  segment %-16s BER %.4e  (%llu errors in %llu bits)\n", g ? "" : "\n", r->segment[g].name,
               r->segment[g].ber, (unsigned long long)r->segment[g].bit_errors, (unsigned long long)r->segment[g].bits);
    if (r->link.optical)
        printf("\n  optical: launch OMA %.2f dBm, ER %.2f dB, average %.2f dBm, received OMA %.2f dBm\n",
               r->link.launch_oma_dbm, r->link.er_db, r->link.avg_power_dbm, r->link.received_oma_dbm);
    if (ls_config_find(c, "cdr.type") && strcmp(ls_config_str(c, "cdr.type"), "ideal"))
        printf("\n  CDR (frame 0): final phase %+.4f UI, mean %+.4f UI, rms %.4f UI, locked at symbol %lld\n",
               r->rx.phase_ui, r->rx.phase_mean_ui, r->rx.phase_rms_ui, (long long)r->rx.lock_symbol);
    printf("\n  main cursor %.4f V, noise %.3g mV rms, residual ISI %.3g mV rms, equalized SNR %.2f dB",
           r->link.h0, 1e3 * r->link.noise_rms_v, 1e3 * r->link.isi_rms_v, r->link.snr_eq_db);
    if (!isnan(r->link.ctle_gdc_db))
        printf(", CTLE g_DC %g dB", r->link.ctle_gdc_db);
    putchar('\n');
    print_xtalk(&r->link);
    printf("  %llu frames on %u thread(s), %.3g s (%.3g Msym/s)\n", (unsigned long long)r->frames, r->threads,
           r->elapsed_s,
           r->elapsed_s > 0 ? (double)k->symbols / r->elapsed_s / 1e6 : 0.0);
}

static void write_csv(FILE *f, const ls_config *c, const ls_run_result *r)
{
    const ls_ber_results *b = &r->ber;
    const ls_ber_counts *k = &r->counts;
    fputs("preset,rate_gbps,baud_gbd,levels,seed,symbols,symbol_errors,ser,bits,bit_errors,ber,ber_ci95_lo,"
          "ber_ci95_hi,post_fec_cer_random,codewords,codewords_failed",
          f);
    for (unsigned i = r->eye.n_eyes; i-- > 0;) {
        char nb[16];
        const char *n = cli_eye_name(r->link.levels, i, nb, sizeof nb);
        fprintf(f, ",eye_%s_height_v,eye_%s_width_ui,eye_%s_errors", n, n, n);
    }
    fputc('\n', f);
    fprintf(f, "%s,%.10g,%.10g,%u,%llu,%llu,%llu,%.6e,%llu,%llu,%.6e,%.6e,%.6e,%.6e,%llu,%llu", ls_config_preset(c),
            r->link.rate_bps / 1e9, r->link.baud / 1e9, r->link.levels, (unsigned long long)r->seed,
            (unsigned long long)k->symbols, (unsigned long long)k->symbol_errors, b->ser,
            (unsigned long long)k->bits, (unsigned long long)k->bit_errors, b->ber, b->ber_ci95_lo, b->ber_ci95_hi,
            b->post_fec_cer_random, (unsigned long long)k->codewords, (unsigned long long)k->codewords_failed);
    for (unsigned i = r->eye.n_eyes; i-- > 0;)
        fprintf(f, ",%.6e,%.6g,%llu", r->eye.eye[i].height_v, r->eye.eye[i].width_ui,
                (unsigned long long)k->eye_errors[i]);
    fputc('\n', f);
}

/* --dump KIND=FILE into o->dump; 0, or EXIT_USAGE after printing why. */
static int parse_dump(run_opts *o, const char *arg)
{
    for (size_t k = 0; k < N_DUMPS; k++) {
        size_t n = strlen(DUMPS[k].name);
        if (!strncmp(arg, DUMPS[k].name, n) && arg[n] == '=' && arg[n + 1]) {
            o->dump[k] = arg + n + 1;
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
    enum { O_SYMBOLS = 256, O_MAXERR, O_SEED, O_THREADS, O_JSON, O_CSV, O_DUMP, O_MODE };
    static const struct option opts[] = {
        { "set", required_argument, NULL, 's' },        { "symbols", required_argument, NULL, O_SYMBOLS },
        { "max-errors", required_argument, NULL, O_MAXERR }, { "seed", required_argument, NULL, O_SEED },
        { "threads", required_argument, NULL, O_THREADS }, { "json", required_argument, NULL, O_JSON },
        { "csv", required_argument, NULL, O_CSV },        { "dump", required_argument, NULL, O_DUMP },
        { "mode", required_argument, NULL, O_MODE },
        { "help", no_argument, NULL, 'h' },               { NULL, 0, NULL, 0 },
    };
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":s:h", opts, NULL)) != -1) {
        const char *key = NULL;
        switch (opt) {
        case 's':
            if (o->n_assign >= 500) {
                cli_error("too many -s options");
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
        case O_DUMP:
            if (parse_dump(o, optarg))
                return EXIT_USAGE;
            break;
        case 'h': run_usage(stdout); return EXIT_OK;
        case ':': cli_error("run: option '%s' needs a value", argv[optind - 1]); return EXIT_USAGE;
        default: cli_error("run: unknown option '%s' (see 'lanesim run --help')", argv[optind - 1]); return EXIT_USAGE;
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
    if (need_link) {
        if (!(s->sl = ls_link_create(s->c, 64, msg, sizeof msg, &st)) ||
            (s->do_stat && (st = ls_link_stat(s->sl, s->target, &s->sr)) != LS_OK)) {
            cli_error("%s", msg[0] ? msg : ls_strerror(st));
            return st == LS_EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
        }
        s->sli = *ls_link_get_info(s->sl);
    }
    if (s->do_mc) {
        st = ls_run(s->c, isatty(STDERR_FILENO) ? progress : NULL, NULL, &s->r, msg, sizeof msg);
        if (st != LS_OK) {
            cli_error("%s", msg[0] ? msg : ls_strerror(st));
            return st == LS_EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
        }
    }
    return CLI_CONTINUE;
}

/* The results on stdout: the Monte Carlo table or a title line, the statistical analysis, then the
   energy. CLI_CONTINUE, or the exit status after printing why. */
static int run_print(run_state *s)
{
    if (s->do_mc)
        print_table(s->c, &s->r);
    else
        printf("lanesim %s  preset %s  PAM%u  %.4g Gb/s (%.4g GBd)  sps %u  statistical analysis\n", LANESIM_VERSION,
               ls_config_preset(s->c), s->sli.levels, s->sli.rate_bps / 1e9, s->sli.baud / 1e9, s->sli.sps);
    if (s->do_stat)
        print_stat(&s->sli, &s->sr, s->target, s->do_mc ? &s->r : NULL);
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
        j = result_json(s->c, &s->r);
        cJSON_ReplaceItemInObject(j, "mode", cJSON_CreateString(o->mode));
    } else {
        j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "lanesim_version", LANESIM_VERSION);
        cJSON_AddStringToObject(j, "preset", ls_config_preset(s->c));
        cJSON_AddStringToObject(j, "mode", "stat");
        cJSON_AddNumberToObject(j, "ber", s->sr.ber);
        cJSON_AddNumberToObject(j, "ser", s->sr.ser);
        cJSON_AddItemToObject(j, "config", config_json(s->c));
    }
    if (s->do_stat)
        cJSON_AddItemToObject(j, "stat", stat_json(&s->sli, &s->sr, s->target));
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
            write_csv(s->oc.f, s->c, &s->r);
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

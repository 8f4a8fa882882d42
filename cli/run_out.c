/*
 * lanesim run's results as text (cli/run_out.h): the table of a Monte Carlo run and of the
 * statistical analysis on stdout, the CSV row of a Monte Carlo run and the JSON documents (the run,
 * the statistical analysis, the configuration). Used by cli/cmd_run.c.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lanesim/ami.h"
#include "lanesim/fec.h"
#include "lanesim/version.h"
#include "plotdata.h"
#include "run_out.h"

cJSON *run_config_json(const ls_config *c)
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
    if (k->inner_blocks) {
        cJSON *in = cJSON_AddObjectToObject(fec, "inner");
        cJSON_AddStringToObject(in, "code", "Hamming(128,120) on the XOR of each PAM4 symbol's bits");
        cJSON_AddNumberToObject(in, "pre_inner_ber", b->inner_pre_ber);
        cJSON_AddNumberToObject(in, "post_inner_ber", b->inner_ber);
        double ici[2] = { b->inner_ber_ci95_lo, b->inner_ber_ci95_hi };
        cJSON_AddItemToObject(in, "post_inner_ber_ci95", cJSON_CreateDoubleArray(ici, 2));
        cJSON_AddNumberToObject(in, "blocks", (double)k->inner_blocks);
        cJSON_AddNumberToObject(in, "blocks_corrected", (double)k->inner_corrected);
        cJSON_AddNumberToObject(in, "blocks_detected", (double)k->inner_detected);
        cJSON_AddNumberToObject(in, "post_inner_rs_cer_random", b->post_inner_cer_random);
        cJSON_AddNumberToObject(in, "post_inner_rs_ber_random", b->post_inner_rs_ber_random);
    }
    cJSON *bu = cJSON_AddObjectToObject(j, "bursts");
    cJSON_AddNumberToObject(bu, "count", (double)k->bursts);
    cJSON_AddNumberToObject(bu, "max_length", (double)k->max_burst);
    /* the densest window of the receiver-failure check (run.h; 0 when the check is off) */
    cJSON_AddNumberToObject(bu, "max_window_symbol_errors", (double)k->max_window_errors);
    cJSON_AddNumberToObject(bu, "window_symbols", LS_RUN_FAIL_WINDOW);
    double bh[LS_BER_BURST_BINS];
    for (int i = 0; i < LS_BER_BURST_BINS; i++)
        bh[i] = (double)k->burst_hist[i];
    cJSON_AddItemToObject(bu, "length_hist", cJSON_CreateDoubleArray(bh, LS_BER_BURST_BINS));
}

/* "ami": {"tx": {NAME: value, ...}, "rx": {...}}, the IBIS-AMI models' output parameters after AMI_Init
   (numbers as numbers), when a side runs a model that returned some (docs/ibis-ami.md). */
void run_ami_json(cJSON *ln, const ls_link_info *li)
{
    static const char *const side[2] = { "tx", "rx" };
    cJSON *am = NULL;
    for (int k = 0; k < 2; k++) {
        ls_ami_kv kv[32];
        size_t n = 0;
        char msg[256];
        if (!li->ami_out[k][0] || ls_ami_output_parse(li->ami_out[k], kv, 32, &n, msg, sizeof msg) != LS_OK)
            continue;
        if (!am)
            am = cJSON_AddObjectToObject(ln, "ami");
        cJSON *o = cJSON_AddObjectToObject(am, side[k]);
        for (size_t i = 0; i < n; i++) {
            char *end;
            double x = strtod(kv[i].value, &end);
            cJSON_AddItemToObject(o, kv[i].name, kv[i].value[0] && !*end && isfinite(x) ? cJSON_CreateNumber(x)
                                                                                     : cJSON_CreateString(kv[i].value));
        }
    }
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
    /* the slicer's levels and thresholds where the run left them (frame 0's end: every frame starts
       afresh), and where they started; with adaptive levels (rx level_mu > 0) the thresholds are the
       midpoints of the adapted levels */
    const unsigned M = r->link.levels;
    double th[7], th0[7];
    int adapted = 0;
    for (unsigned i = 0; i < M; i++)
        adapted |= r->rx.ref_v[i] != r->link.level_v[i];
    for (unsigned i = 0; i + 1 < M; i++) {
        th0[i] = r->link.thresholds[i];
        th[i] = adapted ? 0.5 * (r->rx.ref_v[i] + r->rx.ref_v[i + 1]) : th0[i];
    }
    cJSON_AddItemToObject(ln, "levels_v", cJSON_CreateDoubleArray(adapted ? r->rx.ref_v : r->link.level_v, (int)M));
    cJSON_AddItemToObject(ln, "thresholds_v", cJSON_CreateDoubleArray(th, (int)M - 1));
    cJSON_AddBoolToObject(ln, "levels_adapted", adapted);
    cJSON_AddItemToObject(ln, "levels_start_v", cJSON_CreateDoubleArray(r->link.level_v, (int)M));
    cJSON_AddItemToObject(ln, "thresholds_start_v", cJSON_CreateDoubleArray(th0, (int)M - 1));
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
    cJSON *ns = cJSON_AddArrayToObject(ln, "noise_stride");
    for (int k = 0; ns && k < 2; k++)
        cJSON_AddItemToArray(ns, cJSON_CreateNumber(r->link.noise_stride[k]));
    run_ami_json(ln, &r->link);
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
    cJSON_AddNumberToObject(rx, "cdr_limit_symbol", (double)r->rx.limit_symbol);
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

/* One sub-eye as both engines write it (docs/eye.md): name, height_v, width_ui, width_s, center_v. */
static cJSON *eye_json(const char *name, double height_v, double width_ui, double center_v, double baud)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "name", name);
    cJSON_AddNumberToObject(e, "height_v", height_v);
    cJSON_AddNumberToObject(e, "width_ui", width_ui);
    cJSON_AddNumberToObject(e, "width_s", width_ui / baud);
    cJSON_AddNumberToObject(e, "center_v", center_v);
    return e;
}

cJSON *run_failure_json(const ls_rx_failure *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "failed", f->failed);
    if (f->failed) {
        cJSON_AddStringToObject(o, "reason", f->reason);
        cJSON_AddNumberToObject(o, "symbol", (double)f->symbol);
        cJSON_AddNumberToObject(o, "frame", (double)f->frame);
        if (f->segment[0])
            cJSON_AddStringToObject(o, "segment", f->segment);
        cJSON_AddStringToObject(o, "detail", f->detail);
    }
    return o;
}

void run_print_failure(const ls_rx_failure *f)
{
    if (f->failed)
        printf("\n  RECEIVER FAILED (%s)%s%s: %s.\n  The BER above is that of a receiver that lost the data, not "
               "the link's; the run stopped after that frame.\n",
               f->reason, f->segment[0] ? " in segment " : "", f->segment, f->detail);
}


cJSON *run_result_json(const ls_config *c, const ls_run_result *r)
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
    cJSON_AddNumberToObject(j, "eye_target_ber", r->eye.target_ber);
    cJSON_AddStringToObject(j, "eye_at", r->link.eye_at_input ? "input" : "slicer");
    cJSON_AddItemToObject(j, "rx_failed", run_failure_json(&r->rx_failed));
    cJSON *eyes = cJSON_AddArrayToObject(j, "eyes");
    for (unsigned i = r->eye.n_eyes; i-- > 0;) {
        char nb[16];
        const ls_eye_opening *o = &r->eye.eye[i];
        cJSON *e = eye_json(cli_eye_name(r->link.levels, i, nb, sizeof nb), o->height_v, o->width_ui, o->center_v,
                            r->link.baud);
        cJSON_AddNumberToObject(e, "height_sigma_v", o->height_sigma_v);
        cJSON_AddNumberToObject(e, "threshold_v", r->link.thresholds[i]);
        cJSON_AddNumberToObject(e, "errors", (double)k->eye_errors[i]);
        cJSON_AddItemToArray(eyes, e);
    }
    add_fec_json(j, r);
    run_class_json(j, &r->cls);
    add_link_json(j, r);
    cli_inner_fec_json(j, c);
    add_rx_run_json(j, c, r);
    cJSON_AddItemToObject(j, "config", run_config_json(c));
    return j;
}

cJSON *run_stat_json(const ls_link_info *li, const ls_stateye_result *s, double target)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "ber", s->ber);
    cJSON_AddNumberToObject(o, "ser", s->ser);
    cJSON_AddNumberToObject(o, "target_ber", target);
    if (li->inner_fec) {
        cJSON_AddNumberToObject(o, "post_inner_ber", ls_ifec_post_ber_random(s->ber));
        cJSON_AddNumberToObject(o, "post_inner_rs_cer_random", ls_fec_cer_random(&LS_RS_KP4, ls_ifec_post_ber_random(s->ber)));
    }
    cJSON_AddNumberToObject(o, "vertical_opening_v", s->vertical_opening_v);
    cJSON *eyes = cJSON_AddArrayToObject(o, "eyes");
    for (unsigned i = li->levels - 1; i-- > 0;) {
        char nb[16];
        cJSON *e = eye_json(cli_eye_name(li->levels, i, nb, sizeof nb), s->eye[i].height_v, s->eye[i].width_ui,
                            s->eye[i].center_v, li->baud);
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

void run_print_stat(const ls_link_info *li, const ls_stateye_result *s, double target, const ls_run_result *mc)
{
    printf("\n  statistical analysis (eye contour at BER %.3g)\n", target);
    if (mc)
        printf("  %-22s %14.4e   Monte Carlo %.4e [%.3e, %.3e]\n", "BER", s->ber, mc->ber.ber, mc->ber.ber_ci95_lo,
               mc->ber.ber_ci95_hi);
    else
        printf("  %-22s %14.4e\n", "BER", s->ber);
    printf("  %-22s %14.4e\n", "SER", s->ser);
    if (li->inner_fec) /* the statistical path: the code's closed form at the statistical BER */
        printf("  %-22s %14.4e   hard-decision closed form at this BER (docs/fec.md); KP4 CER after both %.3e\n",
               "BER after inner code", ls_ifec_post_ber_random(s->ber),
               ls_fec_cer_random(&LS_RS_KP4, ls_ifec_post_ber_random(s->ber)));
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

void run_print_table(const ls_config *c, const ls_run_result *r)
{
    const ls_ber_results *b = &r->ber;
    const ls_ber_counts *k = &r->counts;
    printf("lanesim %s  preset %s  PAM%u  %s Gb/s (%s GBd)  sps %u  seed %llu\n", LANESIM_VERSION,
           ls_config_preset(c), r->link.levels, lsp_num(r->link.rate_bps / 1e9).s, lsp_num(r->link.baud / 1e9).s, r->link.sps,
           (unsigned long long)r->seed);
    if (cli_inner_fec_rate_only(c)) {
        putchar('\n');
        cli_print_inner_fec(c, "  ");
    }
    printf("\n  %-22s %14s   %-26s\n", "measure", "value", "95 % interval / detail");
    printf("  %-22s %14.4e   [%.3e, %.3e]\n", "BER", b->ber, b->ber_ci95_lo, b->ber_ci95_hi);
    printf("  %-22s %14.4e   [%.3e, %.3e]\n", "SER", b->ser, b->ser_ci95_lo, b->ser_ci95_hi);
    run_print_failure(&r->rx_failed);
    if (r->rx_failed.failed)
        putchar('\n');
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
    if (k->inner_blocks) {
        printf("  %-22s %14.4e   [%.3e, %.3e] message bits; before it %.4e\n", "BER after inner code", b->inner_ber,
               b->inner_ber_ci95_lo, b->inner_ber_ci95_hi, b->inner_pre_ber);
        printf("  %-22s %14llu   of %llu blocks corrected, %llu detected and left\n", "inner blocks",
               (unsigned long long)k->inner_corrected, (unsigned long long)k->inner_blocks,
               (unsigned long long)k->inner_detected);
        printf("  %-22s %14.3e   KP4 after the inner code (random-error closed form; post-RS BER %.3e)\n",
               "RS CER after both", b->post_inner_cer_random, b->post_inner_rs_ber_random);
    }
    printf("\n  eye at the %s, contour at BER %.3g (docs/eye.md)\n",
           r->link.eye_at_input ? "receiver input" : "slicer input (after ADC, FFE and DFE)", r->eye.target_ber);
    printf("  %-8s %12s %9s %12s %12s %10s\n", "eye", "height (mV)", "+- (mV)", "width (UI)", "threshold", "errors");
    for (unsigned i = r->eye.n_eyes; i-- > 0;) {
        char nb[16];
        printf("  %-8s %12.2f %9.2f %12.3f %12.4f %10llu\n", cli_eye_name(r->link.levels, i, nb, sizeof nb),
               1e3 * r->eye.eye[i].height_v, 1e3 * r->eye.eye[i].height_sigma_v, r->eye.eye[i].width_ui,
               r->link.thresholds[i], (unsigned long long)k->eye_errors[i]);
    }
    for (unsigned g = 0; g < r->n_segments; g++)
        printf("%s  segment %-16s BER %.4e  (%llu errors in %llu bits)\n", g ? "" : "\n", r->segment[g].name,
               r->segment[g].ber, (unsigned long long)r->segment[g].bit_errors, (unsigned long long)r->segment[g].bits);
    if (r->link.optical)
        printf("\n  optical: launch OMA %.2f dBm, ER %.2f dB, average %.2f dBm, received OMA %.2f dBm\n",
               r->link.launch_oma_dbm, r->link.er_db, r->link.avg_power_dbm, r->link.received_oma_dbm);
    if (ls_config_find(c, "cdr.type") && strcmp(ls_config_str(c, "cdr.type"), "ideal")) {
        printf("\n  CDR (frame 0): final phase %+.4f UI, mean %+.4f UI, rms %.4f UI, ", r->rx.phase_ui,
               r->rx.phase_mean_ui, r->rx.phase_rms_ui);
        if (r->rx.limit_symbol >= 0)
            printf("ran to its +-1 UI limit at symbol %lld (not locked)\n", (long long)r->rx.limit_symbol);
        else
            printf("locked at symbol %lld\n", (long long)r->rx.lock_symbol);
    }
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

void run_write_csv(FILE *f, const ls_config *c, const ls_run_result *r)
{
    const ls_ber_results *b = &r->ber;
    const ls_ber_counts *k = &r->counts;
    fputs("preset,rate_gbps,baud_gbd,levels,seed,symbols,symbol_errors,ser,bits,bit_errors,ber,ber_ci95_lo,"
          "ber_ci95_hi,post_fec_cer_random,codewords,codewords_failed,rx_failed,rx_failed_reason,rx_failed_symbol,"
          "inner_fec",
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
    fprintf(f, ",%d,%s,%lld,%s", r->rx_failed.failed, r->rx_failed.failed ? r->rx_failed.reason : "none",
            r->rx_failed.failed ? (long long)r->rx_failed.symbol : -1LL,
            cli_inner_fec_rate_only(c) ? "decoded" : "none");
    for (unsigned i = r->eye.n_eyes; i-- > 0;)
        fprintf(f, ",%.6e,%.6g,%llu", r->eye.eye[i].height_v, r->eye.eye[i].width_ui,
                (unsigned long long)k->eye_errors[i]);
    fputc('\n', f);
}

/*
 * Monte Carlo run engine: frames, worker threads, stop rules, deterministic merge (see run.h).
 */
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lanesim/fec.h"
#include "lanesim/run.h"
#include "lanesim/stats.h"
#include "ls_internal.h"
#include "ls_presets.h"
#include "sim_internal.h"

typedef struct {
    ls_link *link;
    ls_ber *ber;
    ls_eye *eye;
    uint64_t seed, frame;
    int64_t first_ui;
    size_t warm, count;
    ls_status st;
} worker;


static void *work(void *arg)
{
    worker *w = arg;
    w->st = ls_ber_reset(w->ber);
    if (w->st == LS_OK && w->eye)
        w->st = ls_eye_reset(w->eye);
    if (w->st == LS_OK)
        w->st = ls_link_run_frame(w->link, w->seed, w->frame, w->first_ui, w->warm, w->count, w->ber, w->eye);
    return NULL;
}

void ls_run_result_free(ls_run_result *r)
{
    if (!r)
        return;
    ls_eye_destroy(r->eye_hist);
    ls_free(r->pulse);
    memset(r, 0, sizeof *r);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Segment k of c alone into *out (its own seed; run.decide_ber = decide when > 0). */
static ls_status run_segment(const ls_config *c, unsigned k, uint64_t seed, double decide, ls_progress_fn progress,
                             void *ctx, ls_run_result *out, char *msg, size_t cap)
{
    ls_config *cs = ls_config_copy(c);
    char v[32];
    if (!cs)
        return LS_ENOMEM;
    snprintf(v, sizeof v, "%u", k);
    ls_status st = ls_config_set(cs, "run.segment", v, msg, cap);
    snprintf(v, sizeof v, "%llu", (unsigned long long)((seed * 40503u + k + 1) & ((1ull << 53) - 1)));
    if (st == LS_OK)
        st = ls_config_set(cs, "run.seed", v, msg, cap);
    snprintf(v, sizeof v, "%.17g", decide);
    if (st == LS_OK && decide > 0)
        st = ls_config_set(cs, "run.decide_ber", v, msg, cap);
    if (st == LS_OK)
        st = lsi_run_plain(cs, progress, ctx, out, msg, cap); /* a segment: never a class preset */
    ls_config_destroy(cs);
    return st;
}

/* The segments' figures, summed counts, BER and first receiver failure into r (which holds the main
   segment m's result). Segments that ran different symbol counts (decision or error stops) add their
   BERs and interval ends rather than their error counts. */
static void merge_segments(const lsi_preset *pp, ls_run_result *seg, unsigned n, unsigned m, ls_run_result *r)
{
    ls_ber_counts sum = r->counts;
    sum.bit_errors = sum.symbol_errors = sum.bursts = sum.codewords_failed = 0;
    double ber = 0, lo = 0, hi = 0, other = 0; /* other: the BER of the segments without the inner code */
    int equal = 1;
    const ls_rx_failure main_f = r->rx_failed;
    memset(&r->rx_failed, 0, sizeof r->rx_failed);
    for (unsigned k = 0; k < n; k++) {
        const ls_run_result *q = k == m ? r : &seg[k];
        snprintf(r->segment[k].name, sizeof r->segment[k].name, "%s", pp->segment_names[k]);
        r->segment[k].ber = q->ber.ber;
        r->segment[k].ser = q->ber.ser;
        r->segment[k].bits = q->counts.bits;
        r->segment[k].bit_errors = q->counts.bit_errors;
        r->segment[k].symbols = q->counts.symbols;
        r->segment[k].symbol_errors = q->counts.symbol_errors;
        sum.bit_errors += q->counts.bit_errors;
        sum.symbol_errors += q->counts.symbol_errors;
        sum.bursts += q->counts.bursts;
        sum.codewords_failed += q->counts.codewords_failed;
        equal &= q->counts.bits == r->counts.bits;
        ber += q->ber.ber, lo += q->ber.ber_ci95_lo, hi += q->ber.ber_ci95_hi;
        other += k == m ? 0 : q->ber.ber;
        r->elapsed_s += k == m ? 0 : q->elapsed_s;
        ls_rx_failure f = k == m ? main_f : q->rx_failed;
        if (f.failed && !r->rx_failed.failed) { /* the first segment (in link order) whose receiver failed */
            snprintf(f.segment, sizeof f.segment, "%s", pp->segment_names[k]);
            r->rx_failed = f;
        }
    }
    r->counts = sum;
    ls_ber_results_from_counts(&r->counts, &r->ber);
    if (!equal) {
        r->ber.ber = ber;
        r->ber.ber_ci95_lo = LS_MIN(lo, 1.0);
        r->ber.ber_ci95_hi = LS_MIN(hi, 1.0);
    }
    if (r->counts.inner_blocks) { /* the inner code ends in the module: RS sees the other segments' errors too */
        r->ber.post_inner_cer_random = ls_fec_cer_random(&LS_RS_KP4, LS_MIN(other + r->ber.inner_ber, 1.0));
        r->ber.post_inner_rs_ber_random = ls_fec_post_ber_random(&LS_RS_KP4, LS_MIN(other + r->ber.inner_ber, 1.0));
    }
}

/* Every segment on its own, the bit errors added. With run.decide_ber = B the other segments run
   first, each deciding against a tenth of B shared among them, and the main segment decides against
   what is left of B after their upper bounds, so that the sum of the upper bounds is <= B exactly when
   each segment's is within its share. */
static ls_status run_segments(const ls_config *c, const lsi_preset *pp, ls_progress_fn progress, void *ctx,
                              ls_run_result *r, char *msg, size_t cap)
{
    ls_run_result seg[8];
    const unsigned n = pp->n_segments < 8 ? pp->n_segments : 8;
    const unsigned m = pp->main_segment < n ? pp->main_segment : 0;
    const uint64_t seed = (uint64_t)ls_config_int(c, "run.seed");
    const double decide = ls_config_real(c, "run.decide_ber");
    ls_status st = LS_OK;
    int ran[8] = { 0 };
    double others_hi = 0;
    memset(seg, 0, sizeof seg);
    for (unsigned i = 0; i < n && st == LS_OK; i++) {
        const unsigned k = i < n - 1 ? (i < m ? i : i + 1) : m; /* the main segment last */
        double dk = decide <= 0 ? 0 : k != m ? 0.1 * decide / (n > 1 ? n - 1 : 1) : decide - others_hi;
        if (decide > 0 && dk < 1e-12)
            dk = 1e-12; /* nothing left: the main segment decides (above) at once */
        st = run_segment(c, k, seed, dk, progress, ctx, &seg[k], msg, cap);
        ran[k] = st == LS_OK;
        if (st == LS_OK && k != m)
            others_hi += seg[k].ber.ber_ci95_hi;
    }
    if (st != LS_OK) {
        for (unsigned k = 0; k < n; k++)
            if (ran[k])
                ls_run_result_free(&seg[k]);
        return st;
    }
    *r = seg[m];
    memset(&seg[m], 0, sizeof seg[m]);
    r->seed = seed;
    r->n_segments = n;
    merge_segments(pp, seg, n, m, r);
    for (unsigned k = 0; k < n; k++)
        ls_run_result_free(&seg[k]);
    return LS_OK;
}

/* run.*: the run's figures into r, and the worker thread count (0 = one per processor) into *th. */
static ls_status run_options(const ls_config *c, ls_run_result *r, long long *th, char *msg, size_t cap)
{
    r->symbols_requested = (uint64_t)ls_config_int(c, "run.symbols");
    r->max_errors = (uint64_t)ls_config_int(c, "run.max_errors");
    r->decide_ber = ls_config_find(c, "run.decide_ber") ? ls_config_real(c, "run.decide_ber") : 0;
    r->seed = (uint64_t)ls_config_int(c, "run.seed");
    r->frame_symbols = (size_t)ls_config_int(c, "run.frame_symbols");
    r->chunk_symbols = (size_t)ls_config_int(c, "run.chunk_symbols");
    *th = ls_config_int(c, "run.threads");
    if (*th == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        *th = n > 0 ? n : 1;
    }
    if (r->frame_symbols % 5440) {
        lsi_say(msg, cap, "run.frame_symbols: %zu is not a multiple of 5440 (frames must hold whole RS(544,514) codewords)",
            r->frame_symbols);
        return LS_EINVAL;
    }
    return LS_OK;
}

/* The error-density alarm (run.h): W (M-1)/(2M) symbol errors per window of W, or 0 (off) when the
   link's own equalized SNR predicts a symbol error ratio of a tenth of a guess's or more (such a link
   is merely bad: a dense window says nothing about its receiver). */
static uint64_t fail_alarm(const ls_link_info *in)
{
    const double guess = (in->levels - 1.0) / in->levels;
    if (!(ls_pam_ser_awgn(in->levels, in->snr_eq_db) < 0.1 * guess))
        return 0;
    return (uint64_t)ceil(LS_RUN_FAIL_WINDOW * guess / 2);
}

/* Frame w's receiver failure, if any, into r->rx_failed (the first one in frame order). */
static void check_failure(const worker *w, const ls_ber_counts *fc, const ls_rx_stats *rs, ls_run_result *r)
{
    ls_rx_failure *f = &r->rx_failed;
    const int64_t base = (int64_t)(w->frame * r->frame_symbols);
    int64_t cdr = rs->limit_symbol >= 0 ? base - (int64_t)w->warm + rs->limit_symbol : INT64_MAX;
    int64_t dens = fc->alarm ? base + (int64_t)fc->alarm_symbol : INT64_MAX;
    if (f->failed || (cdr == INT64_MAX && dens == INT64_MAX))
        return;
    f->failed = 1;
    f->frame = w->frame;
    if (cdr <= dens) {
        f->symbol = cdr;
        snprintf(f->reason, sizeof f->reason, "cdr_limit");
        snprintf(f->detail, sizeof f->detail,
                 "the CDR phase ran to its %+g UI limit at UI %lld (frame %llu): lock lost (a real CDR would slip "
                 "a cycle; the model does not)", rs->phase_ui >= 0 ? 1.0 : -1.0, (long long)cdr,
                 (unsigned long long)w->frame);
    } else {
        f->symbol = dens;
        snprintf(f->reason, sizeof f->reason, "error_density");
        snprintf(f->detail, sizeof f->detail,
                 "%llu symbol errors in a window of %d symbols at UI %lld (frame %llu), where the equalized SNR "
                 "%.1f dB predicts %.3g: the decisions ran away (DFE error propagation or adaptation)",
                 (unsigned long long)fc->max_window_errors, LS_RUN_FAIL_WINDOW, (long long)dens,
                 (unsigned long long)w->frame, r->link.snr_eq_db,
                 LS_RUN_FAIL_WINDOW * ls_pam_ser_awgn(r->link.levels, r->link.snr_eq_db));
    }
}

/* run.engine (docs/engines.md): the engine of every worker's link. The run's Monte Carlo eye (eye.mc,
   default on) is per-sample output, so auto takes the symbol-rate engine only with eye.mc = false; symbol
   runs it without the eye. Without the eye the workers' eyes are dropped: the merged eye stays empty. */
static ls_status run_engine(const ls_config *c, worker *w, unsigned T, ls_run_result *r, char *msg, size_t cap)
{
    const char *en = ls_config_find(c, "run.engine") ? ls_config_str(c, "run.engine") : "sample";
    const ls_link_engine want = !strcmp(en, "symbol")    ? LS_ENGINE_SYMBOL
                                : !strcmp(en, "pattern") ? LS_ENGINE_PATTERN
                                : !strcmp(en, "auto")    ? LS_ENGINE_AUTO
                                                         : LS_ENGINE_SAMPLE;
    const int eye = (want == LS_ENGINE_AUTO || want == LS_ENGINE_SAMPLE) &&
                    (!ls_config_find(c, "eye.mc") || ls_config_bool(c, "eye.mc"));
    for (unsigned t = 0; t < T; t++) {
        ls_link_engine got;
        char note[192] = "";
        /* the workers after the first reuse its tables (the pattern engine's training) */
        ls_status st = ls_link_set_engine_from(w[t].link, t ? w[0].link : NULL, want, eye, &got, note, sizeof note);
        if (st != LS_OK) {
            lsi_say(msg, cap, "run.engine = %s: %s", en, note[0] ? note : ls_strerror(st));
            return st;
        }
        r->engine = (int)got;
        snprintf(r->engine_note, sizeof r->engine_note, "%s", want == LS_ENGINE_AUTO ? note : "");
        if (!eye || got == LS_ENGINE_SYMBOL || got == LS_ENGINE_PATTERN) {
            ls_eye_destroy(w[t].eye);
            w[t].eye = NULL;
        }
    }
    return LS_OK;
}

/* A link, error counter and eye for each of the T workers; the link's info, the warm-up, the merged
   eye and the pulse into r. What it created is left for the caller to destroy. */
static ls_status run_setup(const ls_config *c, const ls_config *resolved, worker *w, unsigned T,
                           ls_run_result *r, char *msg, size_t cap)
{
    ls_status st;
    for (unsigned t = 0; t < T; t++) {
        if (!(w[t].link = ls_link_create(resolved, r->chunk_symbols, msg, cap, &st)))
            return st;
        if (!(w[t].ber = ls_link_ber_create(w[t].link, &st)) || !(w[t].eye = ls_link_eye_create(w[t].link, &st))) {
            lsi_say(msg, cap, "creating the error counter or eye: %s", ls_strerror(st));
            return st;
        }
    }
    if ((st = run_engine(c, w, T, r, msg, cap)) != LS_OK)
        return st;
    r->link = *ls_link_get_info(w[0].link);
    const uint64_t alarm = fail_alarm(&r->link);
    for (unsigned t = 0; t < T && alarm; t++)
        if ((st = ls_ber_set_alarm(w[t].ber, LS_RUN_FAIL_WINDOW, alarm)) != LS_OK)
            return st;
    const char *wt[4];
    r->n_warnings = (unsigned)LS_MIN(ls_link_warnings(w[0].link, wt, 4), 4);
    for (unsigned i = 0; i < r->n_warnings; i++)
        snprintf(r->warnings[i], sizeof r->warnings[i], "%s", wt[i]);
    size_t warm = (size_t)ls_config_int(c, "run.warmup_symbols");
    r->warmup_symbols = warm ? warm : r->link.memory_symbols;
    if (!(r->eye_hist = ls_link_eye_create(w[0].link, &st))) {
        lsi_say(msg, cap, "creating the eye: %s", ls_strerror(st));
        return st;
    }
    size_t np;
    const float *p = ls_link_pulse(w[0].link, &np);
    if (!(r->pulse = ls_alloc_n(np, sizeof *r->pulse)))
        return LS_ENOMEM;
    memcpy(r->pulse, p, np * sizeof *p);
    r->n_pulse = np;
    return LS_OK;
}

/* Frames f0 .. f0 + nw - 1, one a worker: on threads, or here for a single frame or when no thread
   starts. */
static void run_batch(worker *w, unsigned nw, uint64_t f0, const ls_run_result *r)
{
    pthread_t tid[256];
    unsigned char created[256] = { 0 };
    for (unsigned t = 0; t < nw; t++) {
        uint64_t f = f0 + t;
        w[t].seed = r->seed;
        w[t].frame = f;
        w[t].first_ui = (int64_t)(f * r->frame_symbols);
        w[t].warm = r->warmup_symbols;
        w[t].count = (size_t)LS_MIN((uint64_t)r->frame_symbols, r->symbols_requested - f * r->frame_symbols);
        created[t] = nw > 1 && pthread_create(&tid[t], NULL, work, &w[t]) == 0;
        if (!created[t])
            work(&w[t]); /* single frame, or no thread available: run it here */
    }
    for (unsigned t = 0; t < nw; t++)
        if (created[t])
            pthread_join(tid[t], NULL);
}

/* The batch's counts and eyes into r in frame order, up to the frame that reaches run.max_errors
   (then *stop). */
static ls_status merge_batch(const worker *w, unsigned nw, ls_run_result *r, uint64_t *done_sym, int *stop,
                             char *msg, size_t cap)
{
    ls_status st;
    for (unsigned t = 0; t < nw && !*stop; t++) {
        if ((st = w[t].st) != LS_OK) {
            lsi_say(msg, cap, "frame %llu: %s", (unsigned long long)w[t].frame, ls_strerror(st));
            return st;
        }
        ls_rx_stats rs;
        ls_link_get_rx_stats(w[t].link, &rs);
        if (w[t].frame == 0)
            r->rx = rs;
        ls_ber_counts fc;
        ls_ber_get_counts(w[t].ber, &fc);
        check_failure(&w[t], &fc, &rs, r);
        fc.alarm = 0; /* the run's failure is in r->rx_failed, with the symbol in the run's count */
        ls_ber_counts_add(&r->counts, &fc);
        if (w[t].eye && (st = ls_eye_merge(r->eye_hist, w[t].eye)) != LS_OK)
            return st;
        r->frames++;
        *done_sym += w[t].count;
        if (r->max_errors && r->counts.bit_errors >= r->max_errors) {
            *stop = 1;
            r->stopped_on_errors = 1;
        }
        if (r->rx_failed.failed)
            *stop = 1;
        if (r->decide_ber > 0 && !*stop) {
            ls_interval ci = ls_ci_clopper_pearson(r->counts.bit_errors, r->counts.bits, 0.95);
            if (ci.hi <= r->decide_ber || ci.lo > r->decide_ber)
                *stop = r->stopped_decided = 1;
        }
    }
    return LS_OK;
}

/* The n_frames frames, T at a time, then the BER and the eye measured. */
static ls_status run_frames(worker *w, unsigned T, uint64_t n_frames, ls_progress_fn progress, void *ctx,
                            ls_run_result *r, char *msg, size_t cap)
{
    ls_status st;
    double t0 = now_s();
    uint64_t done_sym = 0;
    int stop = 0;
    for (uint64_t f0 = 0; f0 < n_frames && !stop; f0 += T) {
        unsigned nw = (unsigned)LS_MIN((uint64_t)T, n_frames - f0);
        run_batch(w, nw, f0, r);
        if ((st = merge_batch(w, nw, r, &done_sym, &stop, msg, cap)) != LS_OK)
            return st;
        if (progress)
            progress(ctx, done_sym, r->symbols_requested);
    }
    r->elapsed_s = now_s() - t0;
    ls_ber_results_from_counts(&r->counts, &r->ber);
    return ls_eye_measure(r->eye_hist, &r->eye);
}

/* ls_run itself is in pmd_class.c: it sends a class preset's run there, any other here */
ls_status lsi_run_plain(const ls_config *c, ls_progress_fn progress, void *ctx, ls_run_result *r, char *msg,
                        size_t cap)
{
    if (c && r) {
        const lsi_preset *pp = lsi_preset_find(ls_config_preset(c));
        if (pp && pp->n_segments > 1 && ls_config_int(c, "run.segment") < 0)
            return run_segments(c, pp, progress, ctx, r, msg, cap);
    }
    ls_status st = LS_EINVAL;
    worker w[256];
    unsigned T = 0;
    ls_config *resolved = NULL;
    memset(w, 0, sizeof w);
    if (!r)
        return LS_EINVAL;
    memset(r, 0, sizeof *r);
    if (!c) {
        lsi_say(msg, cap, "no configuration");
        return LS_EINVAL;
    }
    if (msg && cap)
        msg[0] = '\0';
    long long th;
    if ((st = run_options(c, r, &th, msg, cap)) != LS_OK)
        return st;
    uint64_t n_frames = (r->symbols_requested + r->frame_symbols - 1) / r->frame_symbols;
    T = (unsigned)LS_MIN((uint64_t)th, LS_MIN(n_frames, (uint64_t)256));
    r->threads = (unsigned)th;
    if (!(resolved = ls_link_resolve(c, msg, cap, &st)))
        return st;
    if ((st = run_setup(c, resolved, w, T, r, msg, cap)) == LS_OK)
        st = run_frames(w, T, n_frames, progress, ctx, r, msg, cap);
    ls_config_destroy(resolved);
    for (unsigned t = 0; t < T; t++) {
        ls_link_destroy(w[t].link);
        ls_ber_destroy(w[t].ber);
        ls_eye_destroy(w[t].eye);
    }
    if (st != LS_OK)
        ls_run_result_free(r);
    return st;
}

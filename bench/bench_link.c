/*
 * End-to-end Monte Carlo throughput of a link (issue targets in brackets):
 *   mc_sps1         PRBS + PAM4 + TX FFE + AWGN + slicer + BER/FEC at 1 sample/UI   [>= 20 Msym/s/core]
 *   mc_sps32_fir    the same at 32 samples/UI through one fused ~2048-tap response    [>= 3 Msym/s/core]
 *   copper_sps32    copper preset, 1 m: channel + CTLE FIRs, ADC, 16-tap FFE, DFE, CDR  [>= 2 Msym/s/core]
 *   lpo_sps32       lpo preset, 500 m, one core                                       [>= 1 Msym/s/core]
 *   retimed_sps32   dsp-retimed preset: the three segments in turn, one core          [>= 0.7 Msym/s/core]
 *   memory_1e9      peak RSS of a 1e9-symbol run at 1 sample/UI (`--memory`)         [< 100 MB]
 * Only ls_link_run_frame is timed (setup outside, one warm-up frame, >= 0.5 s loop). msym_per_s uses the wall
 * clock; msym_per_cpu_s the thread's CPU time, which other processes on a shared machine do not inflate.
 * `--case NAME` runs one case.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench.h"
#include "lanesim/link.h"
#include "lanesim/run.h"

static ls_config *make_preset(const char *preset, const char *const *kv)
{
    char msg[256];
    ls_status st;
    ls_config *c = ls_config_create(preset, msg, sizeof msg, &st);
    for (; c && kv && *kv; kv++)
        if (ls_config_set_assignment(c, *kv, msg, sizeof msg) != LS_OK) {
            fprintf(stderr, "bench_link: %s\n", msg);
            exit(1);
        }
    if (!c) {
        fprintf(stderr, "bench_link: %s\n", msg);
        exit(1);
    }
    return c;
}

static ls_config *make(const char *const *kv)
{
    return make_preset("awgn", kv);
}

static const char *only; /* `--case NAME`: run that case alone */

static int want(const char *name)
{
    return !only || !strcmp(only, name);
}

static void time_link(const char *name, const ls_config *c, size_t chunk)
{
    if (!want(name))
        return;
    char msg[256];
    ls_status st;
    ls_link *l = ls_link_create(c, chunk, msg, sizeof msg, &st);
    if (!l) {
        fprintf(stderr, "bench_link: %s\n", msg);
        exit(1);
    }
    ls_ber *b = ls_link_ber_create(l, &st);
    ls_eye *e = ls_link_eye_create(l, &st);
    const ls_link_info *in = ls_link_get_info(l);
    const size_t frame = 130560;
    if (ls_link_run_frame(l, 1, 0, 0, in->memory_symbols, frame, b, e) != LS_OK)
        exit(1);
    uint64_t frames = 0;
    double t0 = bench_now_s(), c0 = bench_cpu_s(), t;
    do {
        if (ls_link_run_frame(l, 1, frames, (int64_t)(frames * frame), in->memory_symbols, frame, b, e) != LS_OK)
            exit(1);
        frames++;
    } while ((t = bench_now_s() - t0) < 0.5);
    const double cpu = bench_cpu_s() - c0;
    ls_ber_counts k;
    ls_ber_get_counts(b, &k);
    double sym = (double)frames * (double)frame;
    /* sanity: SER at the configured slicer SNR is near the closed form's order of magnitude */
    double ser = (double)k.symbol_errors / (double)k.symbols;
    printf("{\"bench\":\"link\",\"case\":\"%s\",\"sps\":%u,\"fused_taps\":%zu,\"block\":%zu,\"msym_per_s\":%.3f,"
           "\"msym_per_cpu_s\":%.3f,\"msamples_per_s\":%.2f,\"ns_per_symbol\":%.2f,\"ser\":%.3e,",
           name, in->sps, in->fused_taps, chunk, sym / t / 1e6, sym / cpu / 1e6, sym * in->sps / t / 1e6, t / sym * 1e9,
           ser);
    bench_json_tail();
    ls_ber_destroy(b);
    ls_eye_destroy(e);
    ls_link_destroy(l);
}

int main(int argc, char **argv)
{
    int memory = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--memory"))
            memory = 1;
        else if (!strcmp(argv[i], "--case") && i + 1 < argc)
            only = argv[++i];
        else {
            fprintf(stderr, "usage: bench_link [--memory] [--case NAME]\n");
            return 2;
        }
    }
    static const char *const sps1[] = { "link.sps=1", "tx.ffe_pre=-0.05", "tx.ffe_post=-0.1", "noise.snr_db=17",
                                        NULL };
    ls_config *c = make(sps1);
    for (size_t chunk = 256; chunk <= 16384; chunk *= 4)
        time_link("mc_sps1", c, chunk);
    ls_config_destroy(c);

    /* a Bessel RX filter narrow enough that the fused response spans ~2048 samples at sps 32 */
    char bw[64];
    double ghz = 30;
    ls_config *d = NULL;
    for (; want("mc_sps32_fir"); ghz *= 0.95) {
        static const char *base[] = { "link.sps=32", "tx.ffe_pre=-0.05", "tx.ffe_post=-0.1", "noise.snr_db=17",
                                      "rx.filter=bessel", NULL };
        ls_config_destroy(d);
        d = make(base);
        snprintf(bw, sizeof bw, "rx.bw_ghz=%.6g", ghz);
        char msg[128];
        if (ls_config_set_assignment(d, bw, msg, sizeof msg) != LS_OK)
            exit(1);
        ls_status st;
        ls_link *l = ls_link_create(d, 64, msg, sizeof msg, &st);
        size_t taps = l ? ls_link_get_info(l)->fused_taps : 0;
        ls_link_destroy(l);
        if (taps >= 2048 || ghz < 1)
            break;
    }
    for (size_t chunk = 256; chunk <= 4096; chunk *= 4)
        time_link("mc_sps32_fir", d, chunk);
    ls_config_destroy(d);

    static const char *const cu[] = { "link.length_m=1", NULL };
    ls_config *cc = make_preset("copper", cu);
    for (size_t chunk = 1024; chunk <= 4096; chunk *= 4)
        time_link("copper_sps32", cc, chunk);
    ls_config_destroy(cc);

    ls_config *lp = make_preset("lpo", NULL);
    time_link("lpo_sps32", lp, 4096);
    ls_config_destroy(lp);
    if (want("retimed_sps32")) {
        /* dsp-retimed: every segment simulates the same symbols, so the throughput is the harmonic sum */
        double inv = 0, inv_cpu = 0, seg_cpu[3];
        for (int seg = 0; seg < 3; seg++) {
            char kv[32];
            snprintf(kv, sizeof kv, "run.segment=%d", seg);
            const char *k[] = { kv, NULL };
            ls_config *rt = make_preset("dsp-retimed", k);
            char msg[256];
            ls_status st;
            ls_link *l = ls_link_create(rt, 4096, msg, sizeof msg, &st);
            if (!l)
                exit(1);
            ls_ber *b = ls_link_ber_create(l, &st);
            const size_t frame = 130560;
            uint64_t frames = 0;
            double t0 = bench_now_s(), c0 = bench_cpu_s(), t;
            do {
                if (ls_link_run_frame(l, 1, frames, (int64_t)(frames * frame), 2048, frame, b, NULL) != LS_OK)
                    exit(1);
                frames++;
            } while ((t = bench_now_s() - t0) < 0.5);
            inv += t / ((double)frames * frame);
            seg_cpu[seg] = ((double)frames * frame) / (bench_cpu_s() - c0) / 1e6;
            inv_cpu += 1.0 / seg_cpu[seg] / 1e6;
            ls_ber_destroy(b);
            ls_link_destroy(l);
            ls_config_destroy(rt);
        }
        printf("{\"bench\":\"link\",\"case\":\"retimed_sps32\",\"sps\":32,\"segments\":3,\"msym_per_s\":%.3f,"
               "\"msym_per_cpu_s\":%.3f,\"segment_msym_per_cpu_s\":[%.3f,%.3f,%.3f],",
               1e-6 / inv, 1e-6 / inv_cpu, seg_cpu[0], seg_cpu[1], seg_cpu[2]);
        bench_json_tail();
    }

    if (memory && want("memory_1e9")) {
        static const char *const big[] = { "link.sps=1", "tx.ffe_post=-0.1", "noise.snr_db=17", "run.symbols=1e9",
                                           "run.threads=0", NULL };
        ls_config *m = make(big);
        ls_run_result r;
        char msg[256];
        double t0 = bench_now_s();
        if (ls_run(m, NULL, NULL, &r, msg, sizeof msg) != LS_OK) {
            fprintf(stderr, "bench_link: %s\n", msg);
            return 1;
        }
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        printf("{\"bench\":\"link\",\"case\":\"memory_1e9\",\"symbols\":%llu,\"threads\":%u,\"seconds\":%.1f,"
               "\"peak_rss_mb\":%.1f,\"ber\":%.3e,",
               (unsigned long long)r.counts.symbols, r.threads, bench_now_s() - t0, ru.ru_maxrss / 1024.0, r.ber.ber);
        bench_json_tail();
        ls_run_result_free(&r);
        ls_config_destroy(m);
    }
    return 0;
}

/*
 * The two engines of ls_link_run_frame side by side (docs/engines.md; issue 15 targets in brackets):
 *   cable_sps16/32   copper preset, analytic 1 m cable           sample [>= 3], symbol [>= 15 Msym/s/core]
 *   ca_sps16/32      copper preset on the 802.3ck CA Touchstone channel (../shared/channels/
 *                    ieee3ck_mellitz_CA_19p75dB_thru.s4p; skipped when absent)
 *                                                                 sample [>= 2 at sps 32], symbol [>= 15]
 *   peer_sps32       the chain of the NumPy reference in bench/README.md, so the ratio can be quoted: the CA
 *                    channel without packages, TX FFE (c(-1) = -0.08), TX noise (33 dB), RX noise (eta0 6e-9
 *                    V^2/GHz), COM CTLE at g_DC = -14 dB, ideal CDR, 16-tap FFE (5 pre), 1-tap DFE; no filters,
 *                    jitter or ADC
 *   cable_xt7_sps16  cable_sps16 with 7 crosstalk aggressors (3 FEXT at 40 dB, 4 NEXT at 45 dB)
 *   ca_xt2_sps32     ca_sps32 with one FEXT (40 dB) and one NEXT (45 dB) aggressor
 *   lpo              lpo preset (optical, 500 m SMF, sps 32)       sample, pattern [>= 10]
 * The preset's defaults otherwise (TX noise, RX noise, RJ/DJ, MM CDR, ADC, FFE, DFE, COM CTLE search).
 * Only ls_link_run_frame is timed, without an eye (the symbol engine gives none), after one warm-up
 * frame; frames of 130560 counted symbols after the preset's run.warmup_symbols (2048 on copper; 0 = the
 * link's memory_symbols), as `lanesim run` runs them (sim/run.c; before session 11 every case warmed up
 * for memory_symbols, 6689 UI on the CA channel); each of 5 repetitions runs frames for >= 0.3 s of CPU; the JSON line gives the median Msym per
 * CPU second of the thread (msym_per_cpu_s) and the spread. `--case NAME` runs one case,
 * `--engine sample|symbol|pattern` one engine, `-s KEY=VALUE` (repeatable) a setting added to every case.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "lanesim/link.h"

#ifndef LS_BENCH_SHARED
#define LS_BENCH_SHARED "../shared"
#endif
#define REPS 5

static const char *only, *only_engine;
static const char *extra[16]; /* -s KEY=VALUE, applied to every case after its own settings */
static int n_extra;

static int cmp_d(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void time_case(const char *name, const char *const *kv, ls_link_engine eng)
{
    const char *ename = eng == LS_ENGINE_SYMBOL ? "symbol" : eng == LS_ENGINE_PATTERN ? "pattern" : "sample";
    const char *preset = strncmp(name, "lpo", 3) ? "copper" : "lpo";
    if ((only && strcmp(only, name)) || (only_engine && strcmp(only_engine, ename)))
        return;
    char msg[512];
    ls_status st;
    ls_config *c = ls_config_create(preset, msg, sizeof msg, &st);
    for (; c && *kv; kv++)
        if (ls_config_set_assignment(c, *kv, msg, sizeof msg) != LS_OK)
            break;
    for (int i = 0; c && !*kv && i < n_extra; i++)
        if (ls_config_set_assignment(c, extra[i], msg, sizeof msg) != LS_OK) {
            fprintf(stderr, "bench_engine: -s %s: %s\n", extra[i], msg);
            exit(2);
        }
    ls_link *l = c && !*kv ? ls_link_create(c, 4096, msg, sizeof msg, &st) : NULL;
    const long long wcfg = c && !*kv ? ls_config_int(c, "run.warmup_symbols") : 0;
    ls_config_destroy(c);
    if (!l || ls_link_set_engine(l, eng, 0, NULL, msg, sizeof msg) != LS_OK) {
        fprintf(stderr, "bench_engine: %s: %s\n", name, msg);
        exit(1);
    }
    ls_ber *b = ls_link_ber_create(l, &st);
    const ls_link_info *in = ls_link_get_info(l);
    const size_t frame = 130560, warm = wcfg > 0 ? (size_t)wcfg : in->memory_symbols; /* as sim/run.c */
    uint64_t fr = 0;
    if (ls_link_run_frame(l, 1, fr, 0, warm, frame, b, NULL) != LS_OK)
        exit(1);
    double rate[REPS];
    for (int r = 0; r < REPS; r++) {
        double c0 = bench_cpu_s(), cpu;
        uint64_t n = 0;
        do {
            fr++;
            if (ls_link_run_frame(l, 1, fr, (int64_t)(fr * frame), warm, frame, b, NULL) != LS_OK)
                exit(1);
            n++;
        } while ((cpu = bench_cpu_s() - c0) < 0.3);
        rate[r] = (double)n * (double)frame / cpu / 1e6; /* counted symbols per CPU second */
    }
    qsort(rate, REPS, sizeof rate[0], cmp_d);
    ls_ber_counts k;
    ls_ber_get_counts(b, &k);
    printf("{\"bench\":\"engine\",\"case\":\"%s\",\"engine\":\"%s\",\"sps\":%u,\"fused_taps\":%zu,\"reps\":%d,"
           "\"warmup_symbols\":%zu,\"msym_per_cpu_s\":%.3f,\"min\":%.3f,\"max\":%.3f,\"ser\":%.3e,",
           name, ename, in->sps, in->fused_taps, REPS, warm, rate[REPS / 2], rate[0], rate[REPS - 1],
           k.symbols ? (double)k.symbol_errors / (double)k.symbols : 0.0);
    bench_json_tail();
    fflush(stdout);
    ls_ber_destroy(b);
    ls_link_destroy(l);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--case") && i + 1 < argc)
            only = argv[++i];
        else if (!strcmp(argv[i], "--engine") && i + 1 < argc)
            only_engine = argv[++i];
        else if (!strcmp(argv[i], "-s") && i + 1 < argc && n_extra < 16)
            extra[n_extra++] = argv[++i];
        else {
            fprintf(stderr, "usage: bench_engine [--case NAME] [--engine sample|symbol|pattern] [-s KEY=VALUE]...\n");
            return 2;
        }
    }
    static char ts[1024];
    snprintf(ts, sizeof ts, "channel.touchstone=%s/channels/ieee3ck_mellitz_CA_19p75dB_thru.s4p", LS_BENCH_SHARED);
    const int have_ts = access(ts + strlen("channel.touchstone="), R_OK) == 0;
    const char *cab16[] = { "link.length_m=1", "link.sps=16", NULL };
    const char *cab32[] = { "link.length_m=1", "link.sps=32", NULL };
    const char *ca16[] = { "channel.type=touchstone", ts, "link.sps=16", NULL };
    const char *ca32[] = { "channel.type=touchstone", ts, "link.sps=32", NULL };
    const char *peer[] = { "channel.type=touchstone", ts, "link.sps=32", "package.enable=false", "tx.filter=none",
                           "rx.filter=none", "jitter.rj_ui=0", "jitter.dj_ui=0", "adc.enable=false", "cdr.type=ideal",
                           "ctle.auto=false", "ctle.gdc_db=-14", NULL };
    /* crosstalk (docs/crosstalk.md's example: 3 FEXT at 40 dB, 4 NEXT at 45 dB; on CA one of each) */
    const char *cabxt[] = { "link.length_m=1", "link.sps=16", "xtalk.fext_db=40", "xtalk.fext_count=3",
                            "xtalk.next_db=45", "xtalk.next_count=4", NULL };
    const char *caxt[] = { "channel.type=touchstone", ts, "link.sps=32", "xtalk.fext_db=40", "xtalk.next_db=45", NULL };
    for (int e = 0; e < 2; e++) {
        const ls_link_engine eng = e ? LS_ENGINE_SYMBOL : LS_ENGINE_SAMPLE;
        time_case("cable_sps16", cab16, eng);
        time_case("cable_sps32", cab32, eng);
        time_case("cable_xt7_sps16", cabxt, eng);
        if (have_ts) {
            time_case("ca_sps16", ca16, eng);
            time_case("ca_sps32", ca32, eng);
            time_case("peer_sps32", peer, eng);
            time_case("ca_xt2_sps32", caxt, eng);
        } else if (!e) {
            fprintf(stderr, "bench_engine: %s absent: the CA cases are skipped\n", ts + strlen("channel.touchstone="));
        }
    }
    const char *lpo[] = { NULL };
    time_case("lpo", lpo, LS_ENGINE_SAMPLE);
    time_case("lpo", lpo, LS_ENGINE_PATTERN);
    return 0;
}

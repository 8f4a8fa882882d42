/*
 * PRBS generator throughput: ls_prbs_words (the word-recurrence fast path) for PRBS31.
 *
 * Default: one JSON line, block = 4096 words. `bench_prbs --sweep` adds one line per block size
 * (64 .. 16384 words), per pattern, and the one-bit-per-byte ls_prbs_bits path.
 * Setup and a warm-up call stay outside the timer; each case runs for at least 0.5 s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "lanesim/prbs.h"




/* Words and bits from two objects agree, and about half the bits are ones. */
static int sanity(ls_prbs_type t)
{
    enum { NW = 1000 };
    static uint64_t w[NW];
    static uint8_t b[NW * 64];
    ls_prbs_config cfg;
    ls_prbs_config_init(&cfg);
    cfg.type = t;
    ls_prbs *x = ls_prbs_create(&cfg, NULL), *y = ls_prbs_create(&cfg, NULL);
    int ok = x && y && ls_prbs_words(x, w, NW) == LS_OK && ls_prbs_bits(y, b, NW * 64) == LS_OK;
    size_t ones = 0;
    for (size_t i = 0; ok && i < (size_t)NW * 64; i++) {
        ok = b[i] == (uint8_t)(w[i / 64] >> (63 - i % 64) & 1u);
        ones += b[i];
    }
    ok = ok && ones > NW * 30 && ones < NW * 34;
    ls_prbs_destroy(x);
    ls_prbs_destroy(y);
    return ok;
}

static int run_case(ls_prbs_type t, int use_bits, size_t block_words, const char *cpu)
{
    ls_prbs_config cfg;
    ls_prbs_config_init(&cfg);
    cfg.type = t;
    ls_prbs *q = ls_prbs_create(&cfg, NULL);
    uint64_t *w = malloc(block_words * sizeof *w);
    uint8_t *b = use_bits ? malloc(block_words * 64) : NULL;
    if (!q || !w || (use_bits && !b)) {
        fprintf(stderr, "bench_prbs: setup failed\n");
        ls_prbs_destroy(q);
        free(w);
        free(b);
        return 1;
    }
    uint64_t sink = 0, calls = 0;
    ls_status st = use_bits ? ls_prbs_bits(q, b, block_words * 64)
                            : ls_prbs_words(q, w, block_words); /* warm-up */
    double t0 = bench_now_s(), t1 = t0;
    while (st == LS_OK && t1 - t0 < 0.5) {
        for (int r = 0; r < 64 && st == LS_OK; r++, calls++) {
            if (use_bits) {
                st = ls_prbs_bits(q, b, block_words * 64);
                sink += b[block_words * 64 - 1];
            } else {
                st = ls_prbs_words(q, w, block_words);
                sink ^= w[block_words - 1];
            }
        }
        t1 = bench_now_s();
    }
    double bits = (double)calls * (double)block_words * 64.0, dt = t1 - t0;
    printf("{\"bench\":\"prbs\",\"pattern\":\"%s\",\"api\":\"%s\",\"block\":%zu,"
           "\"gbits_per_s\":%.3f,\"ns_per_word\":%.4f,\"seconds\":%.3f,\"sink\":%llu,"
           "\"git\":\"%s\",\"compiler\":\"%s\",\"flags\":\"%s\",\"cpu\":\"%s\"}\n",
           ls_prbs_name(t), use_bits ? "bits" : "words", block_words, bits / dt * 1e-9,
           dt * 1e9 * 64.0 / bits, dt, (unsigned long long)(sink & 1u), LS_BENCH_GIT,
#if defined(__clang__)
           "clang " __clang_version__,
#elif defined(__GNUC__)
           "gcc " __VERSION__,
#else
           "unknown",
#endif
           LS_BENCH_FLAGS, cpu);
    ls_prbs_destroy(q);
    free(w);
    free(b);
    return st != LS_OK;
}

int main(int argc, char **argv)
{
    char cpu[256];
    bench_cpu_name(cpu, sizeof cpu);
    int sweep = argc > 1 && strcmp(argv[1], "--sweep") == 0;
    for (int t = 0; t < LS_PRBS_N_TYPES; t++)
        if (!sanity((ls_prbs_type)t)) {
            fprintf(stderr, "bench_prbs: sanity check failed for %s\n",
                    ls_prbs_name((ls_prbs_type)t));
            return 1;
        }
    if (!sweep)
        return run_case(LS_PRBS31, 0, 4096, cpu);
    int rc = 0;
    static const size_t blocks[] = {64, 1024, 4096, 16384};
    for (size_t k = 0; k < sizeof blocks / sizeof blocks[0]; k++)
        rc |= run_case(LS_PRBS31, 0, blocks[k], cpu);
    static const ls_prbs_type others[] = {LS_PRBS7, LS_PRBS13, LS_PRBS23};
    for (size_t k = 0; k < 3; k++)
        rc |= run_case(others[k], 0, 4096, cpu);
    rc |= run_case(LS_PRBS31, 1, 256, cpu);
    return rc;
}

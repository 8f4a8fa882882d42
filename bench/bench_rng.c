/*
 * Benchmark of lanesim/rng.h: 64-bit outputs, uniforms and ziggurat normals, per block.
 *
 * Each case fills a caller buffer of `block` samples in a CLOCK_MONOTONIC loop of at least
 * 0.5 s after one warm-up call, and prints one JSON line (ns_per_cpu_sample from the thread's CPU
 * time: the figure to compare on a shared machine):
 *   {"bench":"rng","case":"gauss_fill","block":4096,"msamples_per_s":...,"ns_per_sample":...,
 *    "ns_per_cpu_sample":...,"git":...,"compiler":...,"flags":...,"cpu":...}
 * The output is sanity-checked (normal mean and variance, non-degenerate bits); a failed check
 * prints to stderr and exits with status 1.
 *
 * Usage: bench_rng [min_seconds]   (default 0.5)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "lanesim/rng.h"

enum { MAX_BLOCK = 16384 };

typedef enum { CASE_U64, CASE_UNIFORM, CASE_GAUSS, CASE_GAUSS_FILL, CASE_GAUSS_ADD } bench_case;

static const char *case_name[] = {"u64", "uniform", "gauss", "gauss_fill", "gauss_add"};

static uint64_t u64_buf[MAX_BLOCK];
static double dbl_buf[MAX_BLOCK];
static float flt_buf[MAX_BLOCK];

/* One block of the case, into a global buffer (so it cannot be optimised away). */
static double run_block(bench_case c, ls_rng *r, size_t block)
{
    switch (c) {
    case CASE_U64:
        for (size_t i = 0; i < block; i++)
            u64_buf[i] = ls_rng_u64(r);
        return (double)(u64_buf[block - 1] >> 11);
    case CASE_UNIFORM:
        for (size_t i = 0; i < block; i++)
            dbl_buf[i] = ls_rng_uniform(r);
        return dbl_buf[block - 1];
    case CASE_GAUSS:
        for (size_t i = 0; i < block; i++)
            dbl_buf[i] = ls_rng_gauss(r);
        return dbl_buf[block - 1];
    case CASE_GAUSS_FILL: ls_rng_gauss_fill(r, flt_buf, block, 1.0f); return flt_buf[block - 1];
    case CASE_GAUSS_ADD: ls_rng_gauss_add(r, flt_buf, block, 1e-3f); return flt_buf[block - 1];
    }
    return 0.0;
}

/* Checks the last block: normal cases have mean ~0 and variance ~1 (5 s.e. for the block,
 * plus slack); uniforms lie in [0, 1); 64-bit words are not all equal. */
static int sane(bench_case c, size_t block)
{
    double s1 = 0, s2 = 0;
    for (size_t i = 0; i < block; i++) {
        const double x = c == CASE_GAUSS_FILL ? flt_buf[i] : dbl_buf[i];
        s1 += x;
        s2 += x * x;
    }
    const double n = (double)block, mean = s1 / n, var = s2 / n - mean * mean;
    switch (c) {
    case CASE_U64: return u64_buf[0] != u64_buf[block - 1];
    case CASE_UNIFORM: return fabs(mean - 0.5) < 5.0 * sqrt(1.0 / 12.0 / n) + 0.01;
    case CASE_GAUSS:
    case CASE_GAUSS_FILL:
        return fabs(mean) < 5.0 / sqrt(n) + 0.01 && fabs(var - 1.0) < 5.0 * sqrt(2.0 / n) + 0.01;
    case CASE_GAUSS_ADD: return isfinite(flt_buf[0]) && isfinite(flt_buf[block - 1]);
    }
    return 0;
}

static int bench(bench_case c, size_t block, double min_s)
{
    ls_rng r;
    ls_rng_seed(&r, 12345u, (uint64_t)c, block);
    volatile double sink = run_block(c, &r, block); /* warm-up */
    uint64_t blocks = 0;
    const double t0 = bench_now_s(), c0 = bench_cpu_s();
    double t1;
    do {
        sink += run_block(c, &r, block);
        blocks++;
        t1 = bench_now_s();
    } while (t1 - t0 < min_s);
    const double cpu = bench_cpu_s() - c0;
    (void)sink;
    if (!sane(c, block)) {
        fprintf(stderr, "bench_rng: %s block %zu: output failed its sanity check\n", case_name[c],
                block);
        return 1;
    }
    const double samples = (double)blocks * (double)block, dt = t1 - t0;
    printf("{\"bench\":\"rng\",\"case\":\"%s\",\"block\":%zu,\"msamples_per_s\":%.2f,"
           "\"ns_per_sample\":%.3f,\"ns_per_cpu_sample\":%.3f,",
           case_name[c], block, samples / dt * 1e-6, dt / samples * 1e9, cpu / samples * 1e9);
    bench_json_tail();
    return 0;
}

int main(int argc, char **argv)
{
    const double min_s = argc > 1 ? atof(argv[1]) : 0.5;
    if (!(min_s > 0.0)) {
        fprintf(stderr, "usage: bench_rng [min_seconds > 0]\n");
        return 2;
    }
    static const size_t fill_blocks[] = {64, 256, 1024, 4096, 16384};
    int bad = 0;
    bad |= bench(CASE_U64, 4096, min_s);
    bad |= bench(CASE_UNIFORM, 4096, min_s);
    bad |= bench(CASE_GAUSS, 4096, min_s);
    for (size_t i = 0; i < sizeof fill_blocks / sizeof *fill_blocks; i++)
        bad |= bench(CASE_GAUSS_FILL, fill_blocks[i], min_s);
    bad |= bench(CASE_GAUSS_ADD, 4096, min_s);
    return bad;
}

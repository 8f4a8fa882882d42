/*
 * Throughput of ls_fftfilt_process (overlap-save FIR), one JSON line per case.
 *
 *   bench_fftfilt            the reference cases: n_h = 2048 and 256, auto nfft, block 4096
 *   bench_fftfilt --sweep    also nfft = 2, 4, 8, 16 x n_h with FFTW_ESTIMATE and FFTW_MEASURE,
 *                            and block = 64 ... 16384
 *
 * Setup is outside the timer; one warm-up call, then a CLOCK_MONOTONIC loop of >= 0.5 s. Each
 * case first checks that an impulse comes out as h after exactly the latency.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "lanesim/fftfilt.h"

#ifndef LS_BENCH_GIT
#define LS_BENCH_GIT "unknown"
#endif
#ifndef LS_BENCH_FLAGS
#define LS_BENCH_FLAGS "unknown"
#endif
#if defined(__clang__)
#define LS_BENCH_CC "clang " __clang_version__
#elif defined(__GNUC__)
#define LS_BENCH_CC "gcc " __VERSION__
#else
#define LS_BENCH_CC "unknown"
#endif



/* Deterministic uniform [-1, 1). */
static void fill(float *x, size_t n, uint64_t s)
{
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        x[i] = (float)((double)(s >> 11) * 0x1.0p-52 - 1.0);
    }
}

static ls_fftfilt *make(const float *h, size_t n_h, size_t nfft, int measure)
{
    ls_fftfilt_config cfg;
    ls_fftfilt_config_init(&cfg);
    cfg.h = h;
    cfg.n_h = n_h;
    cfg.nfft = nfft;
    cfg.measure = measure;
    ls_status st;
    ls_fftfilt *q = ls_fftfilt_create(&cfg, &st);
    if (!q)
        fprintf(stderr, "bench_fftfilt: create(n_h %zu, nfft %zu): %s\n", n_h, nfft,
                ls_strerror(st));
    return q;
}

/* Impulse in -> h out at offset L. */
static int sanity(const float *h, size_t n_h, size_t nfft, int measure)
{
    ls_fftfilt *q = make(h, n_h, nfft, measure);
    if (!q)
        return 0;
    const size_t lat = ls_fftfilt_latency(q), n = lat + n_h + 16;
    float *x = calloc(n, sizeof *x), *y = calloc(n, sizeof *y);
    int ok = x && y;
    if (ok) {
        x[0] = 1.0f;
        ok = ls_fftfilt_process(q, x, y, n) == LS_OK;
        for (size_t i = 0; ok && i < n; i++) {
            float want = (i >= lat && i < lat + n_h) ? h[i - lat] : 0.0f;
            ok = fabsf(y[i] - want) <= 1e-5f;
        }
    }
    if (!ok)
        fprintf(stderr, "bench_fftfilt: sanity check failed (n_h %zu nfft %zu)\n", n_h, nfft);
    free(x);
    free(y);
    ls_fftfilt_destroy(q);
    return ok;
}

static int run_case(size_t n_h, size_t nfft, int measure, size_t block, const char *cpu)
{
    float *h = malloc(n_h * sizeof *h);
    float *x = malloc(block * sizeof *x), *y = malloc(block * sizeof *y);
    if (!h || !x || !y)
        return 0;
    fill(h, n_h, 1u);
    for (size_t k = 0; k < n_h; k++)
        h[k] /= (float)n_h;
    fill(x, block, 2u);
    int ok = sanity(h, n_h, nfft, measure);
    ls_fftfilt *q = ok ? make(h, n_h, nfft, measure) : NULL;
    if (q) {
        ok = ls_fftfilt_process(q, x, y, block) == LS_OK; /* warm-up */
        uint64_t samples = 0;
        double t0 = bench_now_s(), t1 = t0;
        while (ok && t1 - t0 < 0.5) {
            for (int r = 0; r < 16 && ok; r++)
                ok = ls_fftfilt_process(q, x, y, block) == LS_OK;
            samples += 16u * block;
            t1 = bench_now_s();
        }
        for (size_t i = 0; ok && i < block; i++)
            ok = isfinite(y[i]);
        const double sec = t1 - t0;
        if (ok)
            printf("{\"bench\":\"fftfilt\",\"n_h\":%zu,\"nfft\":%zu,\"measure\":%d,\"block\":%zu,"
                   "\"msamples_per_s\":%.2f,\"ns_per_sample\":%.4f,\"git\":\"%s\","
                   "\"compiler\":\"%s\",\"flags\":\"%s\",\"cpu\":\"%s\"}\n",
                   n_h, ls_fftfilt_nfft(q), measure, block, (double)samples / sec / 1e6,
                   sec / (double)samples * 1e9, LS_BENCH_GIT, LS_BENCH_CC, LS_BENCH_FLAGS, cpu);
        fflush(stdout);
        ls_fftfilt_destroy(q);
    } else {
        ok = 0;
    }
    free(h);
    free(x);
    free(y);
    return ok;
}

int main(int argc, char **argv)
{
    const int sweep = argc > 1 && !strcmp(argv[1], "--sweep");
    char cpu[256];
    bench_cpu_name(cpu, sizeof cpu);
    static const size_t nh[] = {2048, 256};
    int ok = 1;
    for (size_t a = 0; a < 2; a++)
        ok &= run_case(nh[a], 0, 0, 4096, cpu);
    if (sweep) {
        for (size_t a = 0; a < 2; a++)
            for (size_t mult = 2; mult <= 16; mult *= 2)
                for (int measure = 0; measure <= 1; measure++)
                    ok &= run_case(nh[a], mult * nh[a], measure, 4096, cpu);
        for (size_t a = 0; a < 2; a++)
            for (size_t block = 64; block <= 16384; block *= 4)
                ok &= run_case(nh[a], 0, 0, block, cpu);
    }
    return ok ? 0 : 1;
}

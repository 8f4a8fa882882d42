/* Shared benchmark helpers: monotonic clock, CPU name, JSON line prefix (git, compiler, flags, CPU). */
#ifndef LS_BENCH_H
#define LS_BENCH_H

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lanesim/version.h"

#ifndef LS_BENCH_GIT
#define LS_BENCH_GIT LANESIM_GIT /* the commit built (lanesim/version.h, rewritten at every build) */
#endif
#ifndef LS_BENCH_FLAGS
#define LS_BENCH_FLAGS ""
#endif

static inline double bench_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline void bench_cpu_name(char *out, size_t cap)
{
    snprintf(out, cap, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            const char *v = strchr(line, ':');
            if (v) {
                v++;
                while (*v == ' ' || *v == '\t')
                    v++;
                snprintf(out, cap, "%s", v);
                out[strcspn(out, "\r\n\"\\")] = '\0';
            }
            break;
        }
    }
    fclose(f);
}

/** CPU time of the calling thread (s): unaffected by other processes sharing the cores. */
static inline double bench_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/** Prints the common tail of a JSON line: git, compiler, flags, cpu, and the closing brace. */
static inline void bench_json_tail(void)
{
    char cpu[256];
    bench_cpu_name(cpu, sizeof cpu);
    printf("\"git\":\"%s\",\"compiler\":\"%s\",\"flags\":\"%s\",\"cpu\":\"%s\"}\n", LS_BENCH_GIT, __VERSION__,
           LS_BENCH_FLAGS, cpu);
    fflush(stdout);
}

#endif

/* Shared test helpers: seeds, deterministic fills, shared-data lookup, running the CLI. */
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

uint64_t ls_test_seed(uint64_t dflt)
{
    const char *s = getenv("LS_TEST_SEED");
    if (!s || !*s)
        return dflt;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || *s == '-') {
        fprintf(stderr, "LS_TEST_SEED=%s is not a decimal number: using the default seed %llu\n", s,
                (unsigned long long)dflt);
        return dflt;
    }
    return (uint64_t)v;
}

const char *ls_test_msg(const char *fmt, ...)
{
    static _Thread_local char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return buf;
}

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void fill_uniform(float *x, size_t n, uint64_t seed)
{
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++)
        x[i] = (float)((double)(splitmix(&s) >> 11) * 0x1.0p-52 - 1.0);
}

int ls_test_file_exists(const char *path)
{
    return access(path, R_OK) == 0;
}

const char *ls_test_shared_dir(void)
{
#ifdef LS_SHARED_DIR
    static const char dir[] = LS_SHARED_DIR;
#else
    static const char dir[] = "../shared";
#endif
    return access(dir, R_OK) == 0 ? dir : NULL;
}

int ls_test_run(const char *cmd, char *out, size_t cap)
{
    char full[4096];
    snprintf(full, sizeof full, "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    if (!p)
        return -1;
    size_t len = 0;
    if (out && cap)
        out[0] = '\0';
    char buf[1024];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, p)) > 0) {
        if (out && len + 1 < cap) {
            size_t m = got < cap - 1 - len ? got : cap - 1 - len;
            memcpy(out + len, buf, m);
            len += m;
            out[len] = '\0';
        }
    }
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

const char *ls_test_slurp(const char *path)
{
    static char buf[1 << 20];
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

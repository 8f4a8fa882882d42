/* Helpers shared by the Touchstone tests (tests/test_touchstone*.c). */
#ifndef LS_TEST_TOUCHSTONE_UTIL_H
#define LS_TEST_TOUCHSTONE_UTIL_H

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lanesim/filter.h"
#include "lanesim/touchstone.h"
#include "util.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static inline void tmpname(char *buf, size_t cap, const char *tag, const char *ext)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, cap, "%s/ls_ts_%s_%d%s", dir && *dir ? dir : "/tmp", tag, (int)getpid(), ext);
}

static inline void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* Reads a file that must be malformed; checks the status and "PATH:LINE: " + a phrase. */
static inline void expect_bad(const char *path, unsigned line, const char *phrase)
{
    char msg[1024] = "", head[1200];
    ls_status st = LS_OK;
    ls_touchstone *t = ls_touchstone_read(path, msg, sizeof msg, &st);
    cr_assert(t == NULL, "%s should be rejected", path);
    cr_assert(eq(int, st, LS_EINVAL), "%s: %s", path, msg);
    snprintf(head, sizeof head, "%s:%u: ", path, line);
    cr_assert(0 == (strncmp(msg, head, strlen(head))), "expected '%s...', got '%s'", head, msg);
    cr_assert(ls_has(msg, phrase), "expected '%s' in '%s'", phrase, msg);
}

static inline ls_touchstone *read_ok(const char *path)
{
    char msg[1024] = "";
    ls_status st = LS_EINTERNAL;
    ls_touchstone *t = ls_touchstone_read(path, msg, sizeof msg, &st);
    cr_assert(t != NULL, "%s: %s", path, msg);
    cr_assert(eq(int, st, LS_OK));
    return t;
}

static inline double complex response1(const ls_block *b, double f)
{
    double complex h = NAN;
    cr_assert(eq(int, b->ops->response(b->self, &f, &h, 1), LS_OK));
    return h;
}

static inline int has_warning(const ls_block *b, const char *phrase)
{
    const char *w[16];
    size_t n = ls_sparam_warnings(b, w, 16);
    for (size_t i = 0; i < n && i < 16; i++)
        if (strstr(w[i], phrase))
            return 1;
    return 0;
}

typedef enum { W_RI, W_MA, W_DB } wfmt;

/* 2-port with S21 = S12 = h(f), S11 = S22 = 0, frequencies f0 + k df (k < n) in unit u. */
static inline void write_2port(const char *path, wfmt fm, double unit, const char *unit_name,
                               double f0, double df, size_t n,
                               double complex (*h)(double, const void *), const void *ctx)
{
    static const char *fmt_name[] = {"RI", "MA", "DB"};
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL);
    fprintf(f, "! synthetic 2-port\n# %s S %s R 50\n", unit_name, fmt_name[fm]);
    for (size_t k = 0; k < n; k++) {
        double fr = f0 + (double)k * df;
        double complex s = h(fr, ctx);
        double a, b, z0a, z0b;
        switch (fm) {
        case W_RI:
            a = creal(s);
            b = cimag(s);
            z0a = 0;
            z0b = 0;
            break;
        case W_MA:
            a = cabs(s);
            b = carg(s) * 180.0 / M_PI;
            z0a = 0;
            z0b = 0;
            break;
        default:
            a = 20.0 * log10(cabs(s));
            b = carg(s) * 180.0 / M_PI;
            z0a = -300;
            z0b = 0;
            break;
        }
        fprintf(f, "%.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g\n", fr / unit, z0a, z0b,
                a, b, a, b, z0a, z0b);
    }
    fclose(f);
}

static inline double complex delay_line(double f, const void *ctx)
{
    double tau = *(const double *)ctx;
    return cexp(-2.0 * M_PI * I * f * tau);
}

#define TWO_PORT_LINE(f) #f " 0.1 0 0.9 0 0.9 0 0.1 0\n"

#endif

/*
 * Touchstone reader, lowest level: the "FILE:LINE: reason" diagnostics, whitespace tokens,
 * finite numbers (strtod on a bounded copy of the token), the port count N of a ".sNp" name, and
 * the option line `# <Hz|kHz|MHz|GHz> S <RI|MA|DB> R <z0>`: fields in any order and any case,
 * defaults GHz S MA R 50, parameter type S only [IBIS Open Forum, "Touchstone File Format
 * Specification", version 2.0, 2009; version 1.1 for .sNp files].
 *
 * The model statement is in touchstone.c; the format and its diagnostics in docs/touchstone.md.
 * Calls nothing in the other touchstone files (touchstone_internal.h).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "touchstone_internal.h"

ls_status lsi_ts_fail_at(rd *r, unsigned long line, const char *fmt, ...)
{
    if (r->msg && r->cap) {
        int k = line ? snprintf(r->msg, r->cap, "%s:%lu: ", r->path, line)
                     : snprintf(r->msg, r->cap, "%s: ", r->path);
        if (k >= 0 && (size_t)k < r->cap) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(r->msg + k, r->cap - (size_t)k, fmt, ap);
            va_end(ap);
        }
    }
    return LS_EINVAL;
}

/* N from a ".sNp" suffix (case-insensitive; ".sNp.gz" too); 0 when the name has none. */
unsigned lsi_ts_ports_from_name(const char *path)
{
    size_t len = strlen(path);
    if (len > 3 && !strcasecmp(path + len - 3, ".gz"))
        len -= 3;
    const char *dot = NULL, *slash = NULL;
    for (size_t i = 0; i < len; i++) {
        if (path[i] == '.') dot = path + i;
        if (path[i] == '/') slash = path + i;
    }
    if (!dot || (slash && dot < slash) || tolower((unsigned char)dot[1]) != 's')
        return 0;
    const char *p = dot + 2;
    unsigned long v = 0;
    if (!isdigit((unsigned char)*p))
        return 0;
    while (isdigit((unsigned char)*p)) {
        v = v * 10 + (unsigned long)(*p - '0');
        if (v > 100000)
            return 0;
        p++;
    }
    if (tolower((unsigned char)*p) != 'p' || p + 1 != path + len)
        return 0;
    return (unsigned)v;
}

unsigned ls_touchstone_ports_from_name(const char *path)
{
    return path ? lsi_ts_ports_from_name(path) : 0;
}

int lsi_ts_is_sp(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Next whitespace-separated token in [*p, end): sets *a, *b; 0 at the end. */
int lsi_ts_next_tok(const char **p, const char *end, const char **a, const char **b)
{
    const char *q = *p;
    while (q < end && lsi_ts_is_sp(*q))
        q++;
    if (q >= end) {
        *p = q;
        return 0;
    }
    *a = q;
    while (q < end && !lsi_ts_is_sp(*q))
        q++;
    *b = q;
    *p = q;
    return 1;
}

/* Parses [a, b) as a finite number; writes a reason into why on failure. */
int lsi_ts_parse_num(const char *a, const char *b, double *v, const char **why)
{
    char tmp[64];
    size_t len = (size_t)(b - a);
    const char *s = a;
    char *e;
    if (len < sizeof tmp) { /* the token may not be followed by a delimiter strtod respects */
        memcpy(tmp, a, len);
        tmp[len] = '\0';
        s = tmp;
    } else {
        *why = "cannot parse number";
        return -1;
    }
    errno = 0;
    *v = strtod(s, &e);
    if (e == s || *e != '\0') {
        *why = "cannot parse number";
        return -1;
    }
    if (!isfinite(*v)) {
        *why = "not a finite number";
        return -1;
    }
    return 0;
}

int lsi_ts_tok_is(const char *a, const char *b, const char *word)
{
    size_t len = (size_t)(b - a);
    return strlen(word) == len && !strncasecmp(a, word, len);
}

ls_status lsi_ts_parse_option(rd *r, const char *p, const char *end)
{
    const char *a, *b;
    int have_unit = 0, have_par = 0, have_fmt = 0, have_r = 0;
    if (r->option_seen)
        return lsi_ts_fail_at(r, r->line, "duplicate option line");
    if (r->t->k || r->rc)
        return lsi_ts_fail_at(r, r->line, "option line after the data");
    r->option_seen = 1;
    while (lsi_ts_next_tok(&p, end, &a, &b)) {
        int len = (int)(b - a);
        double u = 0;
        if (lsi_ts_tok_is(a, b, "hz"))
            u = 1.0;
        else if (lsi_ts_tok_is(a, b, "khz"))
            u = 1e3;
        else if (lsi_ts_tok_is(a, b, "mhz"))
            u = 1e6;
        else if (lsi_ts_tok_is(a, b, "ghz"))
            u = 1e9;
        if (u > 0) {
            if (have_unit++)
                return lsi_ts_fail_at(r, r->line, "bad option line: two frequency units");
            r->unit = u;
            continue;
        }
        if (lsi_ts_tok_is(a, b, "s")) {
            if (have_par++)
                return lsi_ts_fail_at(r, r->line, "bad option line: two parameter types");
            continue;
        }
        if (lsi_ts_tok_is(a, b, "y") || lsi_ts_tok_is(a, b, "z") || lsi_ts_tok_is(a, b, "h") ||
            lsi_ts_tok_is(a, b, "g"))
            return lsi_ts_fail_at(
                r, r->line, "unsupported parameter type '%.*s' (only S is supported)", len, a);
        int fmt = -1;
        if (lsi_ts_tok_is(a, b, "ma"))
            fmt = FMT_MA;
        else if (lsi_ts_tok_is(a, b, "ri"))
            fmt = FMT_RI;
        else if (lsi_ts_tok_is(a, b, "db"))
            fmt = FMT_DB;
        if (fmt >= 0) {
            if (have_fmt++)
                return lsi_ts_fail_at(r, r->line, "bad option line: two data formats");
            r->fmt = fmt;
            continue;
        }
        if (lsi_ts_tok_is(a, b, "r")) {
            const char *why;
            double z;
            if (have_r++)
                return lsi_ts_fail_at(r, r->line, "bad option line: two reference impedances");
            if (!lsi_ts_next_tok(&p, end, &a, &b))
                return lsi_ts_fail_at(r, r->line, "bad option line: R needs a value");
            if (lsi_ts_parse_num(a, b, &z, &why) || !(z > 0))
                return lsi_ts_fail_at(r, r->line, "bad option line: reference impedance '%.*s'",
                                      (int)(b - a), a);
            r->r0 = z;
            continue;
        }
        return lsi_ts_fail_at(r, r->line, "bad option line: unknown field '%.*s'", len, a);
    }
    return LS_OK;
}

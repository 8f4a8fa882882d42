/*
 * Input and output helpers of the plot kinds (plots/plotdata.h): the message of a failed check, the
 * gnuplot variable assignments handed to a template, the data file reader (read whole, served line
 * by line) and the CSV reader on top of it (RFC 4180 quotes; blank and '#' lines skipped; fields by
 * column name, numbers checked). A leaf of plots/: it calls only the C library.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plotdata.h"

#define MAX_FILE (256u << 20) /* larger data files are refused */

int lsp_say(char *msg, size_t cap, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, cap, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- template variables ---- */

static void var_append(lsp_vars *v, const char *s)
{
    size_t n = strlen(s);
    if (v->len + n + 1 > sizeof v->text) {
        v->overflow = 1;
        return;
    }
    memcpy(v->text + v->len, s, n + 1);
    v->len += n;
}

void lsp_var_num(lsp_vars *v, const char *name, double x)
{
    char b[160];
    snprintf(b, sizeof b, "%s=%.10g\n", name, x);
    var_append(v, b);
}

void lsp_var_str(lsp_vars *v, const char *name, const char *s)
{
    char b[4096];
    size_t k = (size_t)snprintf(b, sizeof b, "%s='", name);
    for (; *s && k + 4 < sizeof b; s++) {
        if (*s == '\'')
            b[k++] = '\'';
        b[k++] = (*s == '\n' || *s == '\r') ? ' ' : *s;
    }
    if (*s)
        v->overflow = 1;
    b[k++] = '\'';
    b[k++] = '\n';
    b[k] = '\0';
    var_append(v, b);
}

/* ---- reading ---- */

int lsp_rd_open(lsp_reader *r, const char *path, char *msg, size_t cap)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    FILE *f = fopen(path, "rb");
    if (!f)
        return lsp_say(msg, cap, 2, "%s: cannot read: %s", path, strerror(errno));
    size_t alloc = 0;
    for (;;) {
        if (r->len + 65536 + 1 > alloc) {
            alloc = alloc ? 2 * alloc : 1 << 20;
            char *b = alloc <= MAX_FILE ? realloc(r->buf, alloc) : NULL;
            if (!b) {
                fclose(f);
                free(r->buf);
                r->buf = NULL;
                return lsp_say(msg, cap, 2, "%s: too large or out of memory", path);
            }
            r->buf = b;
        }
        size_t got = fread(r->buf + r->len, 1, 65536, f);
        r->len += got;
        if (got < 65536)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(r->buf);
        r->buf = NULL;
        return lsp_say(msg, cap, 2, "%s: read error", path);
    }
    r->buf[r->len] = '\0';
    return 0;
}

/* The next line (in place, without its end of line), or NULL at the end; r->line is its number. */
char *lsp_rd_line(lsp_reader *r)
{
    if (r->pos >= r->len)
        return NULL;
    char *s = r->buf + r->pos, *e = memchr(s, '\n', r->len - r->pos);
    size_t n = e ? (size_t)(e - s) : r->len - r->pos;
    s[n] = '\0';
    r->pos += n + 1;
    r->line++;
    if (n && s[n - 1] == '\r')
        s[n - 1] = '\0';
    return s;
}

char *lsp_skip_ws(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* ---- CSV ---- */

/* Splits a CSV line in place (RFC 4180 quotes; unquoted fields trimmed); the field count, or -1. */
static int csv_split(char *s, char **f, int max)
{
    int n = 0;
    for (;;) {
        if (n == max)
            return -1;
        s = lsp_skip_ws(s);
        if (*s == '"') {
            char *w = ++s;
            f[n++] = w;
            for (;; s++) {
                if (!*s)
                    return -1;
                if (*s == '"' && s[1] == '"')
                    *w++ = *s++;
                else if (*s == '"')
                    break;
                else
                    *w++ = *s;
            }
            *w = '\0';
            s = lsp_skip_ws(s + 1);
            if (*s && *s != ',')
                return -1;
        } else {
            f[n++] = s;
            while (*s && *s != ',')
                s++;
            char *e = s;
            while (e > f[n - 1] && (e[-1] == ' ' || e[-1] == '\t'))
                e--;
            if (*s == ',') {
                *e = '\0';
                s++;
                continue;
            }
            *e = '\0';
        }
        if (!*s)
            return n;
        s++; /* the comma after a quoted field */
    }
}

/* Blank lines and '#' comment lines (e.g. a shard CSV's first line) are skipped. */
static int skip_line(char *s)
{
    s = lsp_skip_ws(s);
    return !*s || *s == '#';
}

int lsp_csv_open(lsp_csv *c, const char *data, char *msg, size_t cap)
{
    memset(c, 0, sizeof *c);
    int rc = lsp_rd_open(&c->r, data, msg, cap);
    if (rc)
        return rc;
    char *s;
    while ((s = lsp_rd_line(&c->r)) && skip_line(s))
        ;
    if (!s)
        return lsp_say(msg, cap, 2, "%s: empty (a CSV with a header line is expected)", data);
    if ((c->n_hdr = csv_split(s, c->hdr, LSP_MAX_COLS)) < 1)
        return lsp_say(msg, cap, 2, "%s:%u: malformed CSV header", data, c->r.line);
    return 0;
}

/* The next row's fields in c->f (1 at the end, 0 on a row, 2 with msg set for a malformed row). */
int lsp_csv_row(lsp_csv *c, char *msg, size_t cap)
{
    char *s;
    while ((s = lsp_rd_line(&c->r)) && skip_line(s))
        ;
    if (!s)
        return 1;
    int n = csv_split(s, c->f, LSP_MAX_COLS);
    if (n != c->n_hdr)
        return n < 0
                   ? lsp_say(msg, cap, 2, "%s:%u: malformed CSV row (quotes)", c->r.path, c->r.line)
                   : lsp_say(msg, cap, 2, "%s:%u: %d fields, the header has %d", c->r.path,
                             c->r.line, n, c->n_hdr);
    return 0;
}

int lsp_csv_col(const lsp_csv *c, const char *name)
{
    for (int i = 0; i < c->n_hdr; i++)
        if (!strcmp(c->hdr[i], name))
            return i;
    return -1;
}

/* Field k of the current row as a number: 0, or 2 with msg set; empty and '?' give NAN when
 * allow_empty. */
int lsp_csv_num(const lsp_csv *c, int k, int allow_empty, double *x, char *msg, size_t cap)
{
    const char *s = c->f[k];
    char *end;
    if (allow_empty && (!*s || !strcmp(s, "?") || !strcmp(s, "nan"))) {
        *x = NAN;
        return 0;
    }
    *x = strtod(s, &end);
    if (end == s || *end || !isfinite(*x))
        return lsp_say(msg, cap, 2, "%s:%u: column %s: '%s' is not a number", c->r.path, c->r.line,
                       c->hdr[k], s);
    return 0;
}

/* Column indices of the names (NULL-terminated); 2 with msg set when one is missing. */
int lsp_csv_need(const lsp_csv *c, const char *data, const char *const *names, int *k, char *msg,
                 size_t cap)
{
    for (int i = 0; names[i]; i++)
        if ((k[i] = lsp_csv_col(c, names[i])) < 0)
            return lsp_say(msg, cap, 2, "%s:1: no column '%s'", data, names[i]);
    return 0;
}

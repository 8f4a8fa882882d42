/*
 * Input and output helpers of the plot kinds (plots/plotdata.h): the message of a failed check, the
 * gnuplot variable assignments handed to a template, and the data file reader (read whole, served
 * line by line). A leaf of plots/: it calls only the C library.
 */
#include <errno.h>
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

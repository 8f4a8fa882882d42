/*
 * Touchstone reader, top level: the file is loaded at once and walked line by line (`!` starts a
 * comment anywhere; a line is a `[Keyword]` line of version 2.0, the `#` option line or a data
 * line), and ls_touchstone_read returns the network (ls_touchstone_destroy frees it). Version 2.0
 * keywords [IBIS Open Forum, "Touchstone File Format Specification", version 2.0, 2009]:
 * [Version] first, [Number of Ports], [Two-Port Data Order], [Number of Frequencies],
 * [Matrix Format], [Reference], [Network Data], then [Noise Data] or [End]; [Begin Information]
 * blocks are skipped and [Mixed-Mode Order] is refused. A v1 file takes N from its .sNp name.
 *
 * The model statement is in touchstone.c; the format and its diagnostics in docs/touchstone.md.
 * Calls touchstone_record.c and touchstone_lex.c.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef LANESIM_HAVE_ZLIB
#include <zlib.h>
#endif

#include "touchstone_internal.h"

/* The keyword between '[' at p and ']' at close, in lower case with single spaces, into kw[cap]. */
static void keyword_name(const char *p, const char *close, char *kw, size_t cap)
{
    size_t len = (size_t)(close - p - 1), o = 0;
    for (size_t i = 0; i < len && o + 1 < cap; i++) { /* lower case, single spaces */
        char c = (char)tolower((unsigned char)p[1 + i]);
        if (lsi_ts_is_sp(c)) {
            if (o && kw[o - 1] != ' ')
                kw[o++] = ' ';
        } else {
            kw[o++] = c;
        }
    }
    while (o && kw[o - 1] == ' ')
        o--;
    kw[o] = '\0';
}

/* The v2 header and section keywords, from [Number of Ports] to [End]; kw as keyword_name made
 * it, arg the text after ']'. */
static ls_status v2_keyword(rd *r, const char *kw, const char *arg, const char *end)
{
    const char *a, *b, *why;
    double v;

    if (!strcmp(kw, "number of ports")) {
        if (r->n)
            return lsi_ts_fail_at(r, r->line, "duplicate [Number of Ports]");
        if (!lsi_ts_next_tok(&arg, end, &a, &b) || lsi_ts_parse_num(a, b, &v, &why) || v < 1 ||
            v != floor(v) || v > LS_TOUCHSTONE_MAX_PORTS)
            return lsi_ts_fail_at(r, r->line, "bad [Number of Ports]");
        unsigned from_name = lsi_ts_ports_from_name(r->path);
        if (from_name && from_name != (unsigned)v)
            return lsi_ts_fail_at(r, r->line,
                                  "[Number of Ports] %u disagrees with the file name (%u)",
                                  (unsigned)v, from_name);
        return lsi_ts_set_ports(r, (unsigned)v);
    }
    if (!strcmp(kw, "two-port data order")) {
        int have = lsi_ts_next_tok(&arg, end, &a, &b);
        if (have && lsi_ts_tok_is(a, b, "12_21"))
            r->order_12_21 = 1;
        else if (have && lsi_ts_tok_is(a, b, "21_12"))
            r->order_12_21 = 0;
        else
            return lsi_ts_fail_at(r, r->line, "bad [Two-Port Data Order] (12_21 or 21_12)");
        r->order_set = 1;
        return LS_OK;
    }
    if (!strcmp(kw, "number of frequencies")) {
        if (!lsi_ts_next_tok(&arg, end, &a, &b) || lsi_ts_parse_num(a, b, &v, &why) || v < 1 ||
            v != floor(v) || v > 1e9)
            return lsi_ts_fail_at(r, r->line, "bad [Number of Frequencies]");
        r->n_freq = (long)v;
        return LS_OK;
    }
    if (!strcmp(kw, "matrix format")) {
        if (r->n)
            return lsi_ts_fail_at(r, r->line, "[Matrix Format] must precede [Number of Ports]");
        int have = lsi_ts_next_tok(&arg, end, &a, &b);
        if (have && lsi_ts_tok_is(a, b, "full"))
            r->matrix = MAT_FULL;
        else if (have && lsi_ts_tok_is(a, b, "lower"))
            r->matrix = MAT_LOWER;
        else if (have && lsi_ts_tok_is(a, b, "upper"))
            r->matrix = MAT_UPPER;
        else
            return lsi_ts_fail_at(r, r->line, "bad [Matrix Format] (Full, Lower or Upper)");
        return LS_OK;
    }
    if (!strcmp(kw, "reference")) {
        if (!r->n)
            return lsi_ts_fail_at(r, r->line, "[Reference] before [Number of Ports]");
        free(r->ref);
        if (!(r->ref = malloc(r->n * sizeof *r->ref)))
            return LS_ENOMEM;
        r->ref_got = 0;
        r->ref_pending = r->n;
        return lsi_ts_data_line(r, arg, end);
    }
    if (!strcmp(kw, "mixed-mode order"))
        return lsi_ts_fail_at(r, r->line,
                              "[Mixed-Mode Order] is not supported (single-ended data only)");
    if (!strcmp(kw, "begin information")) {
        r->in_info = 1;
        return LS_OK;
    }
    if (!strcmp(kw, "network data")) {
        if (!r->n)
            return lsi_ts_fail_at(r, r->line, "[Network Data] before [Number of Ports]");
        if (r->ref_pending)
            return lsi_ts_fail_at(r, r->line, "[Reference] needs %u values", r->n);
        if (r->n == 2 && !r->order_set)
            return lsi_ts_fail_at(r, r->line, "a 2-port file needs [Two-Port Data Order]");
        r->in_data = 1;
        return LS_OK;
    }
    if (!strcmp(kw, "end")) {
        r->data_done = 1;
        return LS_OK;
    }
    return LS_OK; /* other keywords ([Number of Noise Frequencies], ...) carry nothing we use */
}

/* Parses "[Keyword] argument". */
static ls_status keyword_line(rd *r, const char *p, const char *end)
{
    const char *close = memchr(p, ']', (size_t)(end - p));
    if (!close)
        return lsi_ts_fail_at(r, r->line, "unterminated keyword");
    char kw[64];
    keyword_name(p, close, kw, sizeof kw);
    const char *arg = close + 1, *a, *b, *why;
    double v;

    if (r->in_info) {
        if (!strcmp(kw, "end information"))
            r->in_info = 0;
        return LS_OK;
    }
    if (!strcmp(kw, "version")) {
        if (r->version == 2 || r->option_seen || r->t->k || r->rc)
            return lsi_ts_fail_at(r, r->line, "[Version] must come first, once");
        if (!lsi_ts_next_tok(&arg, end, &a, &b) || lsi_ts_parse_num(a, b, &v, &why) || v < 2.0 ||
            v >= 3.0)
            return lsi_ts_fail_at(r, r->line, "unsupported [Version] (expected 2.x)");
        r->version = 2;
        return LS_OK;
    }
    if (r->version != 2)
        return lsi_ts_fail_at(r, r->line, "keyword [%s] in a file without [Version] 2.0", kw);
    if (r->data_done)
        return LS_OK;
    if (r->in_data) { /* network data ends at the next keyword */
        if (r->rc)
            return lsi_ts_count_error(r, 1);
        r->in_data = 0;
        if (!strcmp(kw, "noise data") || !strcmp(kw, "end")) {
            r->data_done = 1;
            return LS_OK;
        }
    }
    return v2_keyword(r, kw, arg, end);
}

static ls_status parse(rd *r, const char *buf, size_t len)
{
    const char *p = buf, *end = buf + len;
    ls_status st = LS_OK;
    while (p < end && st == LS_OK) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        r->line++;
        const char *le = memchr(p, '!', (size_t)(eol - p));
        if (!le)
            le = eol;
        const char *q = p;
        while (q < le && lsi_ts_is_sp(*q))
            q++;
        if (q < le) {
            if (r->in_info) {
                if (*q == '[')
                    st = keyword_line(r, q, le);
            } else if (*q == '[') {
                st = keyword_line(r, q, le);
            } else if (r->data_done) {
                ;
            } else if (*q == '#') {
                st = lsi_ts_parse_option(r, q + 1, le);
            } else {
                if (r->version == 1 && !r->n) {
                    unsigned n = lsi_ts_ports_from_name(r->path);
                    if (!n)
                        return lsi_ts_fail_at(
                            r, 0,
                            "cannot tell the number of ports: the name does not end in "
                            ".sNp and there is no [Version] 2.0 header");
                    if ((st = lsi_ts_set_ports(r, n)) != LS_OK)
                        return st;
                }
                st = lsi_ts_data_line(r, q, le);
            }
        }
        p = eol + 1;
    }
    if (st != LS_OK)
        return st;
    if (r->rc)
        return lsi_ts_count_error(r, 1);
    if (r->ref_pending)
        return lsi_ts_fail_at(r, r->line, "[Reference] needs %u values", r->n);
    if (r->version == 2 && !r->data_done && r->in_data)
        r->data_done = 1; /* a missing [End] is tolerated */
    if (!r->t->k)
        return lsi_ts_fail_at(r, r->line ? r->line : 1, "no data");
    if (r->n_freq >= 0 && (size_t)r->n_freq != r->t->k)
        return lsi_ts_fail_at(r, r->last_data_line,
                              "[Number of Frequencies] is %ld but %zu were read", r->n_freq,
                              r->t->k);
    return LS_OK;
}

/* A gzip-compressed file (RFC 1952; members concatenated as gzip(1) allows) inflated into a new
 * NUL-terminated buffer through zlib; NULL with *st and msg set on a damaged stream. */
static char *gunzip(const char *path, const char *in, size_t n_in, size_t *len, ls_status *st, char *msg, size_t cap)
{
#ifdef LANESIM_HAVE_ZLIB
    z_stream z;
    memset(&z, 0, sizeof z);
    size_t c = 4 * n_in + 4096, n = 0;
    char *out = malloc(c);
    *st = LS_ENOMEM;
    if (!out || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
        free(out);
        return NULL;
    }
    int zr = Z_OK;
    size_t fed = 0;
    for (;;) {
        if (n + 1 >= c) {
            char *x = realloc(out, 2 * c);
            if (!x) { free(out); inflateEnd(&z); return NULL; }
            out = x;
            c *= 2;
        }
        size_t chunk_in = n_in - fed > (1u << 30) ? (1u << 30) : n_in - fed;
        size_t chunk_out = c - n - 1 > (1u << 30) ? (1u << 30) : c - n - 1;
        z.next_in = (unsigned char *)(uintptr_t)(in + fed);
        z.avail_in = (uInt)chunk_in;
        z.next_out = (unsigned char *)out + n;
        z.avail_out = (uInt)chunk_out;
        zr = inflate(&z, Z_NO_FLUSH);
        fed += chunk_in - z.avail_in;
        n += chunk_out - z.avail_out;
        if (zr == Z_STREAM_END) {
            /* another member follows (gzip(1) concatenation), else done */
            if (fed + 2 <= n_in && (unsigned char)in[fed] == 0x1f && (unsigned char)in[fed + 1] == 0x8b &&
                inflateReset(&z) == Z_OK)
                continue;
            break;
        }
        if (zr != Z_OK && !(zr == Z_BUF_ERROR && z.avail_out == 0)) break;
    }
    inflateEnd(&z);
    if (zr != Z_STREAM_END) {
        free(out);
        if (msg && cap)
            snprintf(msg, cap, "%s: damaged gzip data after %zu bytes (%s)", path, fed,
                     zr == Z_BUF_ERROR ? "truncated" : zr == Z_DATA_ERROR ? "bad data" : "inflate failed");
        *st = LS_EINVAL;
        return NULL;
    }
    out[n] = '\0';
    *len = n;
    *st = LS_OK;
    return out;
#else
    (void)in; (void)n_in; (void)len;
    if (msg && cap)
        snprintf(msg, cap, "%s: gzip-compressed, and lanesim was built without zlib (install zlib1g-dev and rebuild)", path);
    *st = LS_EINVAL;
    return NULL;
#endif
}

static char *read_all(const char *path, size_t *len, ls_status *st, char *msg, size_t cap)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, c = 0;
    if (!f) {
        if (msg && cap)
            snprintf(msg, cap, "%s: cannot read: %s", path, strerror(errno));
        *st = LS_EIO;
        return NULL;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISFIFO(sb.st_mode) && !S_ISCHR(sb.st_mode)) {
        if (msg && cap)
            snprintf(msg, cap, "%s: %s, not a Touchstone file", path,
                     S_ISDIR(sb.st_mode) ? "is a directory" : "is not a regular file");
        fclose(f);
        *st = LS_EINVAL;
        return NULL;
    }
    size_t want = 1 << 16;
    if (fseek(f, 0, SEEK_END) == 0) {
        long sz = ftell(f);
        if (sz > 0)
            want = (size_t)sz + 2; /* one read, then one that sees the end */
        rewind(f);
    }
    for (;;) {
        if (n + 1 >= c) {
            size_t nc = c ? 2 * c : want;
            char *x = realloc(buf, nc);
            if (!x) {
                free(buf);
                fclose(f);
                *st = LS_ENOMEM;
                return NULL;
            }
            buf = x;
            c = nc;
        }
        size_t got = fread(buf + n, 1, c - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        if (msg && cap)
            snprintf(msg, cap, "%s: read error", path);
        *st = LS_EIO;
        return NULL;
    }
    if (n >= 2 && (unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b) { /* gzip magic */
        char *z = gunzip(path, buf, n, len, st, msg, cap);
        free(buf);
        return z;
    }
    buf[n] = '\0';
    *len = n;
    *st = LS_OK;
    return buf;
}

ls_touchstone *ls_touchstone_read(const char *path, char *msg, size_t cap, ls_status *err)
{
    ls_status st = LS_EINVAL;
    char *buf = NULL;
    size_t len = 0;
    rd r;
    memset(&r, 0, sizeof r);
    if (msg && cap)
        msg[0] = '\0';
    if (!path) {
        if (msg && cap)
            snprintf(msg, cap, "no file name");
        goto done;
    }
    if (!(buf = read_all(path, &len, &st, msg, cap)))
        goto done;
    st = LS_ENOMEM;
    if (!(r.t = calloc(1, sizeof *r.t)) || !(r.t->path = strdup(path)))
        goto done;
    r.path = path;
    r.msg = msg;
    r.cap = cap;
    r.version = 1;
    r.unit = 1e9;
    r.fmt = FMT_MA;
    r.r0 = 50.0;
    r.n_freq = -1;
    if ((st = parse(&r, buf, len)) != LS_OK)
        goto done;
    st = LS_ENOMEM;
    ls_touchstone *t = r.t;
    t->n = r.n;
    if (!(t->z0 = malloc(t->n * sizeof *t->z0)))
        goto done;
    for (unsigned i = 0; i < t->n; i++)
        t->z0[i] = r.ref && r.ref_got == t->n ? r.ref[i] : r.r0;
    st = LS_OK;
done:
    free(buf);
    free(r.rec);
    free(r.rl);
    free(r.rn);
    free(r.lay);
    free(r.lv);
    free(r.ref);
    if (st == LS_ENOMEM && msg && cap)
        snprintf(msg, cap, "%s: out of memory", path ? path : "?");
    if (st != LS_OK) {
        ls_touchstone_destroy(r.t);
        r.t = NULL;
    }
    if (err)
        *err = st;
    return r.t;
}

void ls_touchstone_destroy(ls_touchstone *t)
{
    if (!t)
        return;
    free(t->f);
    free(t->s);
    free(t->z0);
    free(t->path);
    free(t);
}

/*
 * Touchstone S-parameter files: reader, mixed-mode conversion, loss interpolation, passivity.
 *
 * Format [IBIS Open Forum, "Touchstone File Format Specification", version 2.0, 2009; version 1.1
 * for .sNp files]: `!` comments; one option line `# <unit> <parameter> <format> R <z0>` (defaults
 * GHz S MA R 50); per frequency one record of 1 + 2 M numbers (M = N^2, or N (N + 1) / 2 for the
 * v2 Lower/Upper matrix formats) that may span several lines. Record order: v1 2-ports
 * 11 21 12 22 (v2: as [Two-Port Data Order] says), otherwise row by row. Pairs are RI (real,
 * imaginary), MA (magnitude, angle in degrees) or DB (20 log10 |S|, angle in degrees).
 *
 * The reader loads the file at once and walks its lines, tokenizing each line and converting
 * with strtod (about 20 ms for a 6001-point 4-port file). A record must start at the beginning
 * of a line and end at the end of a line. When the count is wrong, the line blamed in the message
 * is the first one that differs from the standard layout (v1: a row of the matrix starts on a new
 * line, at most four pairs per line); a truncated record is reported at its last line.
 *
 * Mixed mode [D. E. Bockelman, W. R. Eisenstadt, "Combined differential and common-mode
 * scattering parameters: theory and simulation", IEEE Trans. MTT 43(7), 1995]: with the input
 * pair (ip, in) and output pair (op, on), the differential-mode and mode-conversion terms are the
 * half sums and differences written in touchstone.h.
 *
 * Passivity: sigma_max(S) = sqrt(lambda_max(S^H S)), by power iteration on the Hermitian positive
 * semi-definite S^H S from a fixed start vector (the Rayleigh quotient never exceeds lambda_max,
 * so the check never reports a violation that is not there).
 */
#include "lanesim/touchstone.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ls_internal.h"

struct ls_touchstone {
    unsigned n;        /* ports */
    size_t k;          /* frequency points */
    double *f;         /* [k] Hz */
    double complex *s; /* [k][n][n] */
    double *z0;        /* [n] ohm */
    char *path;
};

enum { FMT_MA, FMT_RI, FMT_DB };
enum { MAT_FULL, MAT_LOWER, MAT_UPPER };

/* Reader state. */
typedef struct {
    const char *path;
    char *msg;
    size_t cap;
    unsigned long line; /* current line (1-based) */
    int version;        /* 1 or 2 */
    int option_seen;
    double unit; /* Hz per frequency unit */
    int fmt;
    double r0;       /* option-line reference impedance */
    unsigned n;      /* ports, 0 until known */
    int order_12_21; /* v2 2-port data order 12_21 */
    int order_set;
    int matrix;           /* MAT_* */
    long n_freq;          /* v2 [Number of Frequencies], -1 unknown */
    int in_data;          /* v2: inside [Network Data] */
    int data_done;        /* noise data / [End] reached */
    int in_info;          /* inside [Begin Information] */
    unsigned ref_pending; /* v2 [Reference] values still expected */
    unsigned ref_got;
    double *ref; /* [n] v2 reference impedances */
    /* current record */
    size_t need;       /* 1 + 2 M */
    double *rec;       /* [need] */
    size_t rc;         /* values so far */
    unsigned long *rl; /* [need] line number of each record line */
    size_t *rn;        /* [need] value count of each record line */
    size_t nl;         /* record lines so far */
    size_t *lay;       /* [need] expected per-line counts of the standard layout */
    size_t n_lay;
    /* line tokens */
    double *lv;
    size_t lv_cap;
    /* result */
    ls_touchstone *t;
    size_t t_cap;
    unsigned long last_data_line;
} rd;

static ls_status fail_at(rd *r, unsigned long line, const char *fmt, ...)
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

/* N from a ".sNp" suffix (case-insensitive); 0 when the name has none. */
static unsigned ports_from_name(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
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
    if (tolower((unsigned char)*p) != 'p' || p[1] != '\0')
        return 0;
    return (unsigned)v;
}

static int is_sp(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Next whitespace-separated token in [*p, end): sets *a, *b; 0 at the end. */
static int next_tok(const char **p, const char *end, const char **a, const char **b)
{
    const char *q = *p;
    while (q < end && is_sp(*q))
        q++;
    if (q >= end) {
        *p = q;
        return 0;
    }
    *a = q;
    while (q < end && !is_sp(*q))
        q++;
    *b = q;
    *p = q;
    return 1;
}

/* Parses [a, b) as a finite number; writes a reason into why on failure. */
static int parse_num(const char *a, const char *b, double *v, const char **why)
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

static int tok_is(const char *a, const char *b, const char *word)
{
    size_t len = (size_t)(b - a);
    return strlen(word) == len && !strncasecmp(a, word, len);
}

static ls_status parse_option(rd *r, const char *p, const char *end)
{
    const char *a, *b;
    int have_unit = 0, have_par = 0, have_fmt = 0, have_r = 0;
    if (r->option_seen)
        return fail_at(r, r->line, "duplicate option line");
    if (r->t->k || r->rc)
        return fail_at(r, r->line, "option line after the data");
    r->option_seen = 1;
    while (next_tok(&p, end, &a, &b)) {
        int len = (int)(b - a);
        double u = 0;
        if (tok_is(a, b, "hz"))
            u = 1.0;
        else if (tok_is(a, b, "khz"))
            u = 1e3;
        else if (tok_is(a, b, "mhz"))
            u = 1e6;
        else if (tok_is(a, b, "ghz"))
            u = 1e9;
        if (u > 0) {
            if (have_unit++)
                return fail_at(r, r->line, "bad option line: two frequency units");
            r->unit = u;
            continue;
        }
        if (tok_is(a, b, "s")) {
            if (have_par++)
                return fail_at(r, r->line, "bad option line: two parameter types");
            continue;
        }
        if (tok_is(a, b, "y") || tok_is(a, b, "z") || tok_is(a, b, "h") || tok_is(a, b, "g"))
            return fail_at(r, r->line, "unsupported parameter type '%.*s' (only S is supported)",
                           len, a);
        int fmt = -1;
        if (tok_is(a, b, "ma"))
            fmt = FMT_MA;
        else if (tok_is(a, b, "ri"))
            fmt = FMT_RI;
        else if (tok_is(a, b, "db"))
            fmt = FMT_DB;
        if (fmt >= 0) {
            if (have_fmt++)
                return fail_at(r, r->line, "bad option line: two data formats");
            r->fmt = fmt;
            continue;
        }
        if (tok_is(a, b, "r")) {
            const char *why;
            double z;
            if (have_r++)
                return fail_at(r, r->line, "bad option line: two reference impedances");
            if (!next_tok(&p, end, &a, &b))
                return fail_at(r, r->line, "bad option line: R needs a value");
            if (parse_num(a, b, &z, &why) || !(z > 0))
                return fail_at(r, r->line, "bad option line: reference impedance '%.*s'",
                               (int)(b - a), a);
            r->r0 = z;
            continue;
        }
        return fail_at(r, r->line, "bad option line: unknown field '%.*s'", len, a);
    }
    return LS_OK;
}

/* Sets the port count and sizes the record buffers and the standard layout. */
static ls_status set_ports(rd *r, unsigned n)
{
    if (n < 1 || n > LS_TOUCHSTONE_MAX_PORTS)
        return fail_at(r, r->line, "unsupported number of ports %u (1..%u)", n,
                       LS_TOUCHSTONE_MAX_PORTS);
    r->n = n;
    size_t m = r->matrix == MAT_FULL ? (size_t)n * n : (size_t)n * (n + 1) / 2;
    r->need = 1 + 2 * m;
    free(r->rec);
    free(r->rl);
    free(r->rn);
    free(r->lay);
    r->rec = malloc(r->need * sizeof *r->rec);
    r->rl = malloc(r->need * sizeof *r->rl);
    r->rn = malloc(r->need * sizeof *r->rn);
    r->lay = malloc(r->need * sizeof *r->lay);
    if (!r->rec || !r->rl || !r->rn || !r->lay)
        return LS_ENOMEM;
    /* standard layout: 1- and 2-ports on one line; else each row on new lines, <= 4 pairs each */
    r->n_lay = 0;
    if (n <= 2) {
        r->lay[r->n_lay++] = r->need;
    } else {
        for (unsigned i = 0; i < n; i++) {
            size_t row = r->matrix == MAT_FULL ? n : r->matrix == MAT_LOWER ? i + 1 : n - i;
            size_t vals = 2 * row;
            for (size_t c = 0; c < vals; c += 8) {
                size_t cnt = (vals - c < 8 ? vals - c : 8) + (r->n_lay == 0);
                r->lay[r->n_lay++] = cnt;
            }
        }
    }
    return LS_OK;
}

/* The line to blame for a record with the wrong count: the first that leaves the layout. */
static unsigned long blame_line(const rd *r)
{
    for (size_t i = 0; i < r->nl; i++)
        if (i >= r->n_lay || r->rn[i] != r->lay[i])
            return r->rl[i];
    return r->rl[r->nl ? r->nl - 1 : 0];
}

static size_t blame_expected(const rd *r, unsigned long line, size_t *got)
{
    for (size_t i = 0; i < r->nl; i++)
        if (r->rl[i] == line) {
            *got = r->rn[i];
            return i < r->n_lay ? r->lay[i] : 0;
        }
    *got = 0;
    return 0;
}

static ls_status count_error(rd *r, int truncated)
{
    unsigned long line = blame_line(r);
    size_t got, exp = blame_expected(r, line, &got);
    if (truncated)
        return fail_at(r, r->rl[r->nl - 1],
                       "incomplete data: the frequency at line %lu has %zu of the %zu values of a "
                       "%u-port record (truncated file?)",
                       r->rl[0], r->rc, r->need, r->n);
    if (exp)
        return fail_at(r, line,
                       "wrong number of values: %zu on this line, %zu expected (%u-port data: "
                       "%zu values per frequency)",
                       got, exp, r->n, r->need);
    return fail_at(r, line,
                   "wrong number of values: the record from line %lu has more than the %zu values "
                   "per frequency of a %u-port file",
                   r->rl[0], r->need, r->n);
}

static double complex pair(const rd *r, double a, double b)
{
    switch (r->fmt) {
    case FMT_RI: return a + I * b;
    case FMT_DB: return pow(10.0, a / 20.0) * cexp(I * b * (M_PI / 180.0));
    default: return a * cexp(I * b * (M_PI / 180.0));
    }
}

static ls_status commit_record(rd *r)
{
    ls_touchstone *t = r->t;
    const unsigned n = r->n;
    double f = r->rec[0] * r->unit;
    if (f < 0)
        return fail_at(r, r->rl[0], "negative frequency %g Hz", f);
    if (t->k && !(f > t->f[t->k - 1]))
        return fail_at(r, r->rl[0], "frequency %.10g Hz is not above the previous one (%.10g Hz)",
                       f, t->f[t->k - 1]);
    if (t->k == r->t_cap) {
        size_t nc = r->t_cap ? 2 * r->t_cap : 256;
        double *nf = realloc(t->f, nc * sizeof *nf);
        if (!nf)
            return LS_ENOMEM;
        t->f = nf;
        double complex *ns = realloc(t->s, nc * (size_t)n * n * sizeof *ns);
        if (!ns)
            return LS_ENOMEM;
        t->s = ns;
        r->t_cap = nc;
    }
    t->f[t->k] = f;
    double complex *s = t->s + t->k * (size_t)n * n;
    const double *v = r->rec + 1;
    if (n == 2 && r->matrix == MAT_FULL) {
        double complex p0 = pair(r, v[0], v[1]), p1 = pair(r, v[2], v[3]);
        double complex p2 = pair(r, v[4], v[5]), p3 = pair(r, v[6], v[7]);
        s[0] = p0;
        s[3] = p3;
        if (r->order_12_21) {
            s[1] = p1;
            s[2] = p2;
        } else {
            s[2] = p1;
            s[1] = p2;
        }
    } else if (r->matrix == MAT_FULL) {
        for (size_t q = 0; q < (size_t)n * n; q++)
            s[q] = pair(r, v[2 * q], v[2 * q + 1]);
    } else {
        size_t q = 0;
        for (unsigned i = 0; i < n; i++) {
            unsigned j0 = r->matrix == MAT_LOWER ? 0 : i, j1 = r->matrix == MAT_LOWER ? i + 1 : n;
            for (unsigned j = j0; j < j1; j++, q++) {
                double complex x = pair(r, v[2 * q], v[2 * q + 1]);
                s[(size_t)i * n + j] = x;
                s[(size_t)j * n + i] = x;
            }
        }
    }
    t->k++;
    r->rc = 0;
    r->nl = 0;
    return LS_OK;
}

/* A data line (numbers only). */
static ls_status data_line(rd *r, const char *p, const char *end)
{
    const char *a, *b, *why;
    size_t nv = 0;
    while (next_tok(&p, end, &a, &b)) {
        if (nv == r->lv_cap) {
            size_t nc = r->lv_cap ? 2 * r->lv_cap : 64;
            double *x = realloc(r->lv, nc * sizeof *x);
            if (!x)
                return LS_ENOMEM;
            r->lv = x;
            r->lv_cap = nc;
        }
        if (parse_num(a, b, &r->lv[nv], &why))
            return fail_at(r, r->line, "%s '%.*s'", why, (int)(b - a > 40 ? 40 : b - a), a);
        nv++;
    }
    if (!nv)
        return LS_OK;
    if (r->ref_pending) { /* v2 [Reference] continued */
        for (size_t i = 0; i < nv; i++) {
            if (!r->ref_pending)
                return fail_at(r, r->line, "too many [Reference] values (%u ports)", r->n);
            if (!(r->lv[i] > 0))
                return fail_at(r, r->line, "[Reference] impedance must be > 0");
            r->ref[r->ref_got++] = r->lv[i];
            r->ref_pending--;
        }
        return LS_OK;
    }
    if (r->version == 2 && !r->in_data)
        return fail_at(r, r->line, "data outside [Network Data]");
    if (!r->n)
        return fail_at(r, r->line, "number of ports unknown");
    if (r->rc == 0 && r->version == 1 && r->n == 2 && nv == 5 && r->t->k &&
        r->lv[0] * r->unit <= r->t->f[r->t->k - 1]) {
        r->data_done = 1; /* v1 2-port noise parameters follow the network data */
        return LS_OK;
    }
    r->last_data_line = r->line;
    r->rl[r->nl] = r->line;
    r->rn[r->nl] = nv;
    r->nl++;
    for (size_t i = 0; i < nv; i++) {
        if (r->rc == r->need)
            return count_error(r, 0);
        r->rec[r->rc++] = r->lv[i];
    }
    if (r->rc == r->need)
        return commit_record(r);
    if (r->nl == r->need) /* more lines than values: cannot happen with nv >= 1 */
        return count_error(r, 0);
    return LS_OK;
}

/* Parses "[Keyword] argument". */
static ls_status keyword_line(rd *r, const char *p, const char *end)
{
    const char *close = memchr(p, ']', (size_t)(end - p));
    if (!close)
        return fail_at(r, r->line, "unterminated keyword");
    char kw[64];
    size_t len = (size_t)(close - p - 1), o = 0;
    for (size_t i = 0; i < len && o + 1 < sizeof kw; i++) { /* lower case, single spaces */
        char c = (char)tolower((unsigned char)p[1 + i]);
        if (is_sp(c)) {
            if (o && kw[o - 1] != ' ')
                kw[o++] = ' ';
        } else {
            kw[o++] = c;
        }
    }
    while (o && kw[o - 1] == ' ')
        o--;
    kw[o] = '\0';
    const char *arg = close + 1, *a, *b, *why;
    double v;

    if (r->in_info) {
        if (!strcmp(kw, "end information"))
            r->in_info = 0;
        return LS_OK;
    }
    if (!strcmp(kw, "version")) {
        if (r->version == 2 || r->option_seen || r->t->k || r->rc)
            return fail_at(r, r->line, "[Version] must come first, once");
        if (!next_tok(&arg, end, &a, &b) || parse_num(a, b, &v, &why) || v < 2.0 || v >= 3.0)
            return fail_at(r, r->line, "unsupported [Version] (expected 2.x)");
        r->version = 2;
        return LS_OK;
    }
    if (r->version != 2)
        return fail_at(r, r->line, "keyword [%s] in a file without [Version] 2.0", kw);
    if (r->data_done)
        return LS_OK;
    if (r->in_data) { /* network data ends at the next keyword */
        if (r->rc)
            return count_error(r, 1);
        r->in_data = 0;
        if (!strcmp(kw, "noise data") || !strcmp(kw, "end")) {
            r->data_done = 1;
            return LS_OK;
        }
    }
    if (!strcmp(kw, "number of ports")) {
        if (r->n)
            return fail_at(r, r->line, "duplicate [Number of Ports]");
        if (!next_tok(&arg, end, &a, &b) || parse_num(a, b, &v, &why) || v < 1 || v != floor(v) ||
            v > LS_TOUCHSTONE_MAX_PORTS)
            return fail_at(r, r->line, "bad [Number of Ports]");
        unsigned from_name = ports_from_name(r->path);
        if (from_name && from_name != (unsigned)v)
            return fail_at(r, r->line, "[Number of Ports] %u disagrees with the file name (%u)",
                           (unsigned)v, from_name);
        return set_ports(r, (unsigned)v);
    }
    if (!strcmp(kw, "two-port data order")) {
        int have = next_tok(&arg, end, &a, &b);
        if (have && tok_is(a, b, "12_21"))
            r->order_12_21 = 1;
        else if (have && tok_is(a, b, "21_12"))
            r->order_12_21 = 0;
        else
            return fail_at(r, r->line, "bad [Two-Port Data Order] (12_21 or 21_12)");
        r->order_set = 1;
        return LS_OK;
    }
    if (!strcmp(kw, "number of frequencies")) {
        if (!next_tok(&arg, end, &a, &b) || parse_num(a, b, &v, &why) || v < 1 || v != floor(v) ||
            v > 1e9)
            return fail_at(r, r->line, "bad [Number of Frequencies]");
        r->n_freq = (long)v;
        return LS_OK;
    }
    if (!strcmp(kw, "matrix format")) {
        if (r->n)
            return fail_at(r, r->line, "[Matrix Format] must precede [Number of Ports]");
        int have = next_tok(&arg, end, &a, &b);
        if (have && tok_is(a, b, "full"))
            r->matrix = MAT_FULL;
        else if (have && tok_is(a, b, "lower"))
            r->matrix = MAT_LOWER;
        else if (have && tok_is(a, b, "upper"))
            r->matrix = MAT_UPPER;
        else
            return fail_at(r, r->line, "bad [Matrix Format] (Full, Lower or Upper)");
        return LS_OK;
    }
    if (!strcmp(kw, "reference")) {
        if (!r->n)
            return fail_at(r, r->line, "[Reference] before [Number of Ports]");
        free(r->ref);
        if (!(r->ref = malloc(r->n * sizeof *r->ref)))
            return LS_ENOMEM;
        r->ref_got = 0;
        r->ref_pending = r->n;
        return data_line(r, arg, end);
    }
    if (!strcmp(kw, "mixed-mode order"))
        return fail_at(r, r->line, "[Mixed-Mode Order] is not supported (single-ended data only)");
    if (!strcmp(kw, "begin information")) {
        r->in_info = 1;
        return LS_OK;
    }
    if (!strcmp(kw, "network data")) {
        if (!r->n)
            return fail_at(r, r->line, "[Network Data] before [Number of Ports]");
        if (r->ref_pending)
            return fail_at(r, r->line, "[Reference] needs %u values", r->n);
        if (r->n == 2 && !r->order_set)
            return fail_at(r, r->line, "a 2-port file needs [Two-Port Data Order]");
        r->in_data = 1;
        return LS_OK;
    }
    if (!strcmp(kw, "end")) {
        r->data_done = 1;
        return LS_OK;
    }
    return LS_OK; /* other keywords ([Number of Noise Frequencies], ...) carry nothing we use */
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
        while (q < le && is_sp(*q))
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
                st = parse_option(r, q + 1, le);
            } else {
                if (r->version == 1 && !r->n) {
                    unsigned n = ports_from_name(r->path);
                    if (!n)
                        return fail_at(r, 0,
                                       "cannot tell the number of ports: the name does not end in "
                                       ".sNp and there is no [Version] 2.0 header");
                    if ((st = set_ports(r, n)) != LS_OK)
                        return st;
                }
                st = data_line(r, q, le);
            }
        }
        p = eol + 1;
    }
    if (st != LS_OK)
        return st;
    if (r->rc)
        return count_error(r, 1);
    if (r->ref_pending)
        return fail_at(r, r->line, "[Reference] needs %u values", r->n);
    if (r->version == 2 && !r->data_done && r->in_data)
        r->data_done = 1; /* a missing [End] is tolerated */
    if (!r->t->k)
        return fail_at(r, r->line ? r->line : 1, "no data");
    if (r->n_freq >= 0 && (size_t)r->n_freq != r->t->k)
        return fail_at(r, r->last_data_line, "[Number of Frequencies] is %ld but %zu were read",
                       r->n_freq, r->t->k);
    return LS_OK;
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

unsigned ls_touchstone_ports(const ls_touchstone *t)
{
    return t ? t->n : 0;
}

size_t ls_touchstone_points(const ls_touchstone *t)
{
    return t ? t->k : 0;
}

const double *ls_touchstone_freq_hz(const ls_touchstone *t)
{
    return t ? t->f : NULL;
}

const char *ls_touchstone_path(const ls_touchstone *t)
{
    return t ? t->path : NULL;
}

static double complex S(const ls_touchstone *t, size_t k, unsigned i, unsigned j)
{
    return t->s[(k * t->n + i) * t->n + j];
}

double complex ls_touchstone_s(const ls_touchstone *t, size_t k, unsigned i, unsigned j)
{
    if (!t || k >= t->k || i >= t->n || j >= t->n)
        return NAN;
    return S(t, k, i, j);
}

double ls_touchstone_z0(const ls_touchstone *t, unsigned port)
{
    if (!t || port >= t->n)
        return NAN;
    return t->z0[port];
}

ls_status ls_touchstone_check_map(const ls_touchstone *t, const ls_port_map *m)
{
    if (!t || !m || m->in_p >= t->n || m->out_p >= t->n || m->in_p == m->out_p)
        return LS_EINVAL;
    if (m->in_n == LS_PORT_NONE && m->out_n == LS_PORT_NONE)
        return LS_OK;
    if (m->in_n >= t->n || m->out_n >= t->n)
        return LS_EINVAL;
    unsigned p[4] = {m->in_p, m->in_n, m->out_p, m->out_n};
    for (int a = 0; a < 4; a++)
        for (int b = a + 1; b < 4; b++)
            if (p[a] == p[b])
                return LS_EINVAL;
    return LS_OK;
}

ls_status ls_touchstone_detect_map(const ls_touchstone *t, ls_port_map *m)
{
    if (!t || !m || t->n < 2)
        return LS_EINVAL;
    if (t->n == 2) {
        *m = (ls_port_map){0, LS_PORT_NONE, 1, LS_PORT_NONE};
        return LS_OK;
    }
    /* strongest path, then (N >= 4) the strongest path disjoint from it */
    unsigned a0 = 0, a1 = 1, b0 = LS_PORT_NONE, b1 = LS_PORT_NONE;
    double best = -1.0;
    for (unsigned i = 0; i < t->n; i++)
        for (unsigned j = i + 1; j < t->n; j++) {
            double g = 0.5 * (cabs(S(t, 0, i, j)) + cabs(S(t, 0, j, i)));
            if (g > best) {
                best = g;
                a0 = i;
                a1 = j;
            }
        }
    if (t->n == 3) {
        *m = (ls_port_map){a0, LS_PORT_NONE, a1, LS_PORT_NONE};
        return LS_OK;
    }
    best = -1.0;
    for (unsigned i = 0; i < t->n; i++)
        for (unsigned j = i + 1; j < t->n; j++) {
            if (i == a0 || i == a1 || j == a0 || j == a1)
                continue;
            double g = 0.5 * (cabs(S(t, 0, i, j)) + cabs(S(t, 0, j, i)));
            if (g > best) {
                best = g;
                b0 = i;
                b1 = j;
            }
        }
    if (b0 < a0) { /* the thru holding the lowest port is the positive one */
        unsigned x = a0, y = a1;
        a0 = b0;
        a1 = b1;
        b0 = x;
        b1 = y;
    }
    *m = (ls_port_map){a0, b0, a1, b1};
    return LS_OK;
}

ls_status ls_touchstone_mixed(const ls_touchstone *t, const ls_port_map *m, size_t k,
                              double complex *sdd21, double complex *sdd11, double complex *scd21)
{
    if (ls_touchstone_check_map(t, m) != LS_OK || k >= t->k)
        return LS_EINVAL;
    const unsigned ip = m->in_p, in = m->in_n, op = m->out_p, on = m->out_n;
    if (in == LS_PORT_NONE) {
        if (sdd21)
            *sdd21 = S(t, k, op, ip);
        if (sdd11)
            *sdd11 = S(t, k, ip, ip);
        if (scd21)
            *scd21 = 0;
        return LS_OK;
    }
    if (sdd21)
        *sdd21 = 0.5 * (S(t, k, op, ip) - S(t, k, op, in) - S(t, k, on, ip) + S(t, k, on, in));
    if (sdd11)
        *sdd11 = 0.5 * (S(t, k, ip, ip) - S(t, k, ip, in) - S(t, k, in, ip) + S(t, k, in, in));
    if (scd21)
        *scd21 = 0.5 * (S(t, k, op, ip) - S(t, k, op, in) + S(t, k, on, ip) - S(t, k, on, in));
    return LS_OK;
}

static double db20(double complex x)
{
    double a = cabs(x);
    return a > 1e-30 ? -20.0 * log10(a) : 600.0;
}

ls_status ls_touchstone_loss_db(const ls_touchstone *t, const ls_port_map *m, double f_hz,
                                double *il_db, double *rl_db)
{
    if (ls_touchstone_check_map(t, m) != LS_OK || !isfinite(f_hz) || f_hz < 0)
        return LS_EINVAL;
    if (f_hz > t->f[t->k - 1]) {
        if (il_db)
            *il_db = NAN;
        if (rl_db)
            *rl_db = NAN;
        return LS_OK;
    }
    size_t k0 = 0, k1 = 0;
    double w = 0.0;
    if (f_hz > t->f[0]) {
        size_t lo = 0, hi = t->k - 1; /* f[lo] < f_hz <= f[hi] */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (t->f[mid] < f_hz)
                lo = mid;
            else
                hi = mid;
        }
        k0 = lo;
        k1 = hi;
        w = (f_hz - t->f[lo]) / (t->f[hi] - t->f[lo]);
    }
    double complex d21a, d11a, d21b, d11b;
    if (ls_touchstone_mixed(t, m, k0, &d21a, &d11a, NULL) != LS_OK ||
        ls_touchstone_mixed(t, m, k1, &d21b, &d11b, NULL) != LS_OK)
        return LS_EINVAL;
    if (il_db)
        *il_db = (1.0 - w) * db20(d21a) + w * db20(d21b);
    if (rl_db)
        *rl_db = (1.0 - w) * db20(d11a) + w * db20(d11b);
    return LS_OK;
}

/* Largest eigenvalue of the Hermitian PSD n x n matrix a, by power iteration. */
static double lambda_max(const double complex *a, unsigned n, double complex *v, double complex *w)
{
    for (unsigned i = 0; i < n; i++) /* fixed start with no special symmetry */
        v[i] = 1.0 + 0.37 * i + I * 0.11 * ((i * 7u) % 5u);
    double lam = 0.0;
    for (int it = 0; it < 500; it++) {
        double nv = 0.0;
        for (unsigned i = 0; i < n; i++)
            nv += creal(v[i]) * creal(v[i]) + cimag(v[i]) * cimag(v[i]);
        if (!(nv > 0))
            return 0.0;
        double num = 0.0, nw = 0.0;
        for (unsigned i = 0; i < n; i++) {
            double complex acc = 0;
            for (unsigned j = 0; j < n; j++)
                acc += a[(size_t)i * n + j] * v[j];
            w[i] = acc;
            num += creal(conj(v[i]) * acc);
            nw += creal(acc) * creal(acc) + cimag(acc) * cimag(acc);
        }
        double l = num / nv;
        if (!(nw > 0))
            return 0.0;
        double sc = 1.0 / sqrt(nw);
        for (unsigned i = 0; i < n; i++)
            v[i] = w[i] * sc;
        if (it > 2 && fabs(l - lam) <= 1e-13 * fabs(l))
            return l;
        lam = l;
    }
    return lam;
}

ls_status ls_touchstone_passivity(const ls_touchstone *t, double *sigma_max, double *f_hz,
                                  size_t *n_over)
{
    if (!t || !sigma_max)
        return LS_EINVAL;
    const unsigned n = t->n;
    double complex *a = malloc((size_t)n * n * sizeof *a), *v = malloc(2 * (size_t)n * sizeof *v);
    if (!a || !v) {
        free(a);
        free(v);
        return LS_ENOMEM;
    }
    double best = -1.0, fbest = 0.0;
    size_t over = 0;
    for (size_t k = 0; k < t->k; k++) {
        const double complex *s = t->s + k * (size_t)n * n;
        for (unsigned i = 0; i < n; i++) /* a = S^H S */
            for (unsigned j = i; j < n; j++) {
                double complex acc = 0;
                for (unsigned q = 0; q < n; q++)
                    acc += conj(s[(size_t)q * n + i]) * s[(size_t)q * n + j];
                a[(size_t)i * n + j] = acc;
                a[(size_t)j * n + i] = conj(acc);
            }
        double sig = sqrt(fmax(0.0, lambda_max(a, n, v, v + n)));
        if (sig > 1.0 + LS_TOUCHSTONE_PASSIVITY_TOL)
            over++;
        if (sig > best) {
            best = sig;
            fbest = t->f[k];
        }
    }
    free(a);
    free(v);
    *sigma_max = best;
    if (f_hz)
        *f_hz = fbest;
    if (n_over)
        *n_over = over;
    return LS_OK;
}

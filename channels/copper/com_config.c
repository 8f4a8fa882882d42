/**
 * @file com_config.c
 * COM configurations as data: the CSV form of the IEEE COM workbooks (`keyword,value,unit,meaning`)
 * and a small evaluator for the MATLAB value syntax the workbooks use (scalars, `[a b; c d]`,
 * ranges `a:s:b`, `x*ones(1,n)`, `+ - * /`, parentheses). MATLAB's bracket rule is followed: inside
 * `[...]` a blank separates elements unless the blank is followed by a binary operator that is
 * itself followed by a blank, so `[ -0.15 - 0.15 ]` is one element (-0.30), as in the reference.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "com_internal.h"

typedef struct {
    size_t n;
    double *v;
} vec;

typedef struct {
    const char *s;
    size_t i;
    int in_br;
    int err;
} lex;

static void vfree(vec *a) { free(a->v); a->v = NULL; a->n = 0; }

static int vpush(vec *a, double x)
{
    double *t = realloc(a->v, (a->n + 1) * sizeof *t);
    if (!t)
        return -1;
    t[a->n++] = x;
    a->v = t;
    return 0;
}

static int vcat(vec *a, const vec *b)
{
    for (size_t k = 0; k < b->n; k++)
        if (vpush(a, b->v[k]))
            return -1;
    return 0;
}

static void skipws(lex *l) { while (l->s[l->i] == ' ' || l->s[l->i] == '\t') l->i++; }

static vec parse_expr(lex *l);

static vec parse_factor(lex *l)
{
    vec r = {0, NULL};
    skipws(l);
    char c = l->s[l->i];
    if (c == '-' || c == '+') {
        l->i++;
        r = parse_factor(l);
        if (c == '-')
            for (size_t k = 0; k < r.n; k++) r.v[k] = -r.v[k];
        return r;
    }
    if (c == '(') {
        l->i++;
        r = parse_expr(l);
        skipws(l);
        if (l->s[l->i] != ')') l->err = 1; else l->i++;
        return r;
    }
    if (isalpha((unsigned char)c)) {
        size_t b = l->i;
        while (isalpha((unsigned char)l->s[l->i])) l->i++;
        size_t len = l->i - b;
        int ones = len == 4 && !strncasecmp(l->s + b, "ones", 4);
        int zeros = len == 5 && !strncasecmp(l->s + b, "zeros", 5);
        skipws(l);
        if ((!ones && !zeros) || l->s[l->i] != '(') { l->err = 1; return r; }
        l->i++;
        char *e;
        double a1 = strtod(l->s + l->i, &e); l->i = (size_t)(e - l->s); skipws(l);
        if (l->s[l->i] != ',') { l->err = 1; return r; }
        l->i++;
        double a2 = strtod(l->s + l->i, &e); l->i = (size_t)(e - l->s); skipws(l);
        if (l->s[l->i] != ')' || a1 != 1 || a2 < 0 || a2 > 1e6) { l->err = 1; return r; }
        l->i++;
        for (size_t k = 0; k < (size_t)a2; k++) if (vpush(&r, ones ? 1.0 : 0.0)) l->err = 1;
        return r;
    }
    char *e;
    double x = strtod(l->s + l->i, &e);
    if (e == l->s + l->i || !isfinite(x)) { l->err = 1; return r; }
    l->i = (size_t)(e - l->s);
    if (vpush(&r, x)) l->err = 1;
    return r;
}

/* next binary operator among ops, honouring MATLAB's blank rule inside brackets */
static char peek_op(lex *l, const char *ops)
{
    size_t j = l->i;
    int ws = 0;
    while (l->s[j] == ' ' || l->s[j] == '\t') { j++; ws = 1; }
    char c = l->s[j];
    if (!c || !strchr(ops, c))
        return 0;
    if (ws && l->in_br && (c == '+' || c == '-') && l->s[j + 1] != ' ' && l->s[j + 1] != '\t')
        return 0; /* "a -b": a new element */
    l->i = j + 1;
    return c;
}

static vec binop(lex *l, vec a, vec b, char op)
{
    vec r = {0, NULL};
    size_t n = a.n > b.n ? a.n : b.n;
    if ((a.n != 1 && b.n != 1 && a.n != b.n) || !a.n || !b.n) { l->err = 1; vfree(&a); vfree(&b); return r; }
    for (size_t k = 0; k < n; k++) {
        double x = a.v[a.n == 1 ? 0 : k], y = b.v[b.n == 1 ? 0 : k];
        double z = op == '+' ? x + y : op == '-' ? x - y : op == '*' ? x * y : x / y;
        if (vpush(&r, z)) l->err = 1;
    }
    vfree(&a);
    vfree(&b);
    return r;
}

static vec parse_term(lex *l)
{
    vec a = parse_factor(l);
    char op;
    while (!l->err && (op = peek_op(l, "*/")))
        a = binop(l, a, parse_factor(l), op);
    return a;
}

static vec parse_sum(lex *l)
{
    vec a = parse_term(l);
    char op;
    while (!l->err && (op = peek_op(l, "+-")))
        a = binop(l, a, parse_term(l), op);
    return a;
}

/* a range a:s:b (or a:b) or a plain sum */
static vec parse_expr(lex *l)
{
    vec a = parse_sum(l);
    if (l->err || !peek_op(l, ":"))
        return a;
    vec b = parse_sum(l), s = {0, NULL};
    if (!l->err && peek_op(l, ":")) { s = b; b = parse_sum(l); }
    vec r = {0, NULL};
    double st = s.n ? s.v[0] : 1.0;
    if (l->err || a.n != 1 || b.n != 1 || (s.n && s.n != 1) || st == 0) {
        l->err = 1;
    } else {
        double n = floor((b.v[0] - a.v[0]) / st + 1e-10);
        for (long k = 0; k <= (long)n && k < 1000000; k++)
            if (vpush(&r, a.v[0] + (double)k * st)) l->err = 1;
    }
    vfree(&a); vfree(&b); vfree(&s);
    return r;
}

/* Evaluates a value; rows/cols out. Returns 0 on success. */
static int eval_value(const char *s, double **v, size_t *rows, size_t *cols)
{
    lex l = {s, 0, 0, 0};
    vec all = {0, NULL};
    size_t nr = 0, nc = 0;
    skipws(&l);
    if (s[l.i] == '[') {
        l.i++;
        l.in_br = 1;
        vec row = {0, NULL};
        for (;;) {
            skipws(&l);
            char c = s[l.i];
            if (c == ']' || c == ';') {
                if (row.n) {
                    if (nr && row.n != nc) l.err = 1;
                    nc = row.n; nr++;
                    if (vcat(&all, &row)) l.err = 1;
                }
                vfree(&row);
                l.i++;
                if (c == ']') break;
                continue;
            }
            if (c == ',') { l.i++; continue; }
            if (!c) { l.err = 1; break; }
            vec e = parse_expr(&l);
            if (vcat(&row, &e)) l.err = 1;
            vfree(&e);
            if (l.err) break;
        }
        vfree(&row);
    } else {
        vec e = parse_expr(&l);
        nr = 1; nc = e.n;
        all = e;
    }
    skipws(&l);
    if (l.err || s[l.i] || !all.n) { vfree(&all); return -1; }
    *v = all.v; *rows = nr; *cols = nc;
    return 0;
}

static lsi_com_kv *find(const ls_com_config *c, const char *key)
{
    for (size_t k = 0; k < c->n; k++)
        if (!strcasecmp(c->kv[k].key, key))
            return &c->kv[k];
    return NULL;
}

ls_status ls_com_config_set(ls_com_config *c, const char *key, const char *value, char *msg, size_t cap)
{
    if (!c || !key || !value || strlen(key) >= 64 || strlen(value) >= 256) {
        if (msg) snprintf(msg, cap, "COM keyword '%s': invalid", key ? key : "(null)");
        return LS_EINVAL;
    }
    lsi_com_kv *kv = find(c, key);
    if (!kv) {
        if (c->n == c->cap) {
            size_t nc = c->cap ? 2 * c->cap : 64;
            lsi_com_kv *t = realloc(c->kv, nc * sizeof *t);
            if (!t) return LS_ENOMEM;
            c->kv = t; c->cap = nc;
        }
        kv = &c->kv[c->n++];
        memset(kv, 0, sizeof *kv);
        snprintf(kv->key, sizeof kv->key, "%s", key);
    }
    free(kv->v);
    kv->v = NULL;
    snprintf(kv->text, sizeof kv->text, "%s", value);
    kv->is_text = eval_value(value, &kv->v, &kv->rows, &kv->cols) != 0;
    return LS_OK;
}

ls_status ls_com_config_get(const ls_com_config *c, const char *key, double *v)
{
    const lsi_com_kv *kv = c && key ? find(c, key) : NULL;
    if (!kv || kv->is_text || !kv->v || !kv->rows || !kv->cols) return LS_EINVAL;
    if (v) *v = kv->v[0];
    return LS_OK;
}

ls_com_config *ls_com_config_copy(const ls_com_config *c)
{
    ls_com_config *d = c ? calloc(1, sizeof *d) : NULL;
    if (!d) return NULL;
    memcpy(d->name, c->name, sizeof d->name);
    d->kv = calloc(c->n ? c->n : 1, sizeof *d->kv);
    d->cap = c->n ? c->n : 1;
    for (size_t k = 0; d->kv && k < c->n; k++) {
        d->kv[k] = c->kv[k];
        d->kv[k].v = NULL;
        size_t nv = c->kv[k].rows * c->kv[k].cols;
        if (c->kv[k].v && !(d->kv[k].v = malloc((nv ? nv : 1) * sizeof(double)))) { d->n = k; ls_com_config_destroy(d); return NULL; }
        if (c->kv[k].v) memcpy(d->kv[k].v, c->kv[k].v, nv * sizeof(double));
        d->n = k + 1;
    }
    if (!d->kv) { free(d); return NULL; }
    return d;
}

const char *ls_com_config_name(const ls_com_config *c)
{
    return c ? c->name : "";
}

void ls_com_config_destroy(ls_com_config *c)
{
    if (!c) return;
    for (size_t k = 0; k < c->n; k++) free(c->kv[k].v);
    free(c->kv);
    free(c);
}

/* one CSV field (RFC 4180) from *p; returns malloc'd text */
static char *csv_field(const char **p)
{
    const char *s = *p;
    size_t cap = strlen(s) + 1, n = 0;
    char *o = malloc(cap);
    if (!o) return NULL;
    if (*s == '"') {
        s++;
        while (*s) {
            if (*s == '"' && s[1] == '"') { o[n++] = '"'; s += 2; continue; }
            if (*s == '"') { s++; break; }
            o[n++] = *s++;
        }
        while (*s && *s != ',') s++;
    } else {
        while (*s && *s != ',' && *s != '\n' && *s != '\r') o[n++] = *s++;
    }
    if (*s == ',') s++;
    o[n] = 0;
    *p = s;
    while (n && isspace((unsigned char)o[n - 1])) o[--n] = 0;
    size_t b = 0;
    while (isspace((unsigned char)o[b])) b++;
    memmove(o, o + b, n - b + 1);
    return o;
}

static int looks_numeric(const char *v)
{
    if (v[0] == '[' || isdigit((unsigned char)v[0])) return 1;
    return (v[0] == '-' || v[0] == '+' || v[0] == '.') && isdigit((unsigned char)v[1]);
}

ls_com_config *ls_com_config_read(const char *path, char *msg, size_t cap, ls_status *err)
{
    ls_status st = LS_OK;
    ls_com_config *c = NULL;
    FILE *fp = path ? fopen(path, "r") : NULL;
    if (!fp) {
        if (msg) snprintf(msg, cap, "%s: cannot read", path ? path : "(null)");
        if (err) *err = LS_EIO;
        return NULL;
    }
    c = calloc(1, sizeof *c);
    char line[4096];
    unsigned ln = 0;
    while (c && fgets(line, sizeof line, fp)) {
        ln++;
        if (ln == 1 || line[0] == '\n' || line[0] == '\r' || line[0] == '#') continue;
        const char *p = line;
        char *key = csv_field(&p), *val = csv_field(&p);
        if (!key || !val) { st = LS_ENOMEM; free(key); free(val); break; }
        if (*key) {
            st = ls_com_config_set(c, key, val, msg, cap);
            if (st == LS_OK && find(c, key)->is_text && looks_numeric(val)) {
                /* a value that looks numeric but does not parse: malformed */
                if (msg) snprintf(msg, cap, "%s:%u: keyword '%s': malformed value '%s'", path, ln, key, val);
                st = LS_EINVAL;
            }
        }
        free(key);
        free(val);
        if (st) break;
    }
    fclose(fp);
    if (!c) st = LS_ENOMEM;
    if (st) { ls_com_config_destroy(c); c = NULL; }
    else {
        const char *b = strrchr(path, '/');
        snprintf(c->name, sizeof c->name, "%s", b ? b + 1 : path);
        char *dot = strrchr(c->name, '.');
        if (dot && !strcasecmp(dot, ".csv")) *dot = 0;
    }
    if (err) *err = st;
    return c;
}

void lsi_com_warn(ls_com_result *res, const char *fmt, ...)
{
    if (!res || res->n_warnings >= LS_COM_MAX_WARN) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->warnings[res->n_warnings++], sizeof res->warnings[0], fmt, ap);
    va_end(ap);
}

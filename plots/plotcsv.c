/*
 * Plot data preparation of the CSV kinds (plots/plotdata.h, docs/plots.md): sweep CSVs
 * (ber-length), the study CSV (reach-rate, energy-reach) and the long power CSV (power, pivoted to
 * one row per architecture). Rows are grouped into series (first-seen order) and sorted by x within
 * each; a gnuplot-ready file holds one block per series. The CSV reader is in plots/plotio.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plotdata.h"

#define MAX_SERIES 64

/* Rows of the CSV kinds, grouped in series (first-seen order) and sorted by x within each. */
typedef struct {
    double v[5];
    int series;
    size_t order;
} prow;

typedef struct {
    prow *rows;
    size_t n, alloc;
    char *names[MAX_SERIES];
    int n_series;
} series_set;

static int series_of(series_set *s, const char *name, const char *path, unsigned line, char *msg,
                     size_t cap)
{
    for (int i = 0; i < s->n_series; i++)
        if (!strcmp(s->names[i], name))
            return i;
    if (s->n_series == MAX_SERIES)
        return -lsp_say(msg, cap, 2, "%s:%u: more than %d lines to draw", path, line, MAX_SERIES);
    if (!(s->names[s->n_series] = strdup(name)))
        return -lsp_say(msg, cap, 1, "out of memory");
    return s->n_series++;
}

static int series_add(series_set *s, int series, const double *v, char *msg, size_t cap)
{
    if (s->n == s->alloc) {
        size_t a = s->alloc ? 2 * s->alloc : 256;
        prow *r = realloc(s->rows, a * sizeof *r);
        if (!r)
            return lsp_say(msg, cap, 1, "out of memory");
        s->rows = r;
        s->alloc = a;
    }
    s->rows[s->n] = (prow){.series = series, .order = s->n};
    memcpy(s->rows[s->n].v, v, sizeof s->rows[s->n].v);
    s->n++;
    return 0;
}

static int prow_cmp(const void *a, const void *b)
{
    const prow *x = a, *y = b;
    if (x->series != y->series)
        return x->series < y->series ? -1 : 1;
    if (x->v[0] != y->v[0])
        return x->v[0] < y->v[0] ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Writes the blocks (columns v[0..ncol), NAN as '?'; column label_col, if >= 0, as a quoted %g
 * label). */
static void series_write(series_set *s, FILE *aux, int ncol, int label_col)
{
    qsort(s->rows, s->n, sizeof *s->rows, prow_cmp);
    for (size_t i = 0; i < s->n; i++) {
        if (i && s->rows[i].series != s->rows[i - 1].series)
            fputs("\n\n", aux);
        for (int k = 0; k < ncol; k++) {
            double x = s->rows[i].v[k];
            if (k == label_col)
                fprintf(aux, " \"%.6g\"", x);
            else if (isfinite(x))
                fprintf(aux, "%s%.10g", k ? " " : "", x);
            else
                fputs(k ? " ?" : "?", aux);
        }
        fputc('\n', aux);
    }
}

/* After the series blocks: one more block of the rows with a finite v[col], columns x v[col] series
   (from 1), for markers drawn with `lc variable` (a series without any gets no empty block, which
   gnuplot warns of). */
static void marker_block(const series_set *s, FILE *aux, int col)
{
    fputs("\n\n", aux);
    for (size_t i = 0; i < s->n; i++)
        if (isfinite(s->rows[i].v[col]))
            fprintf(aux, "%.10g %.10g %d\n", s->rows[i].v[0], s->rows[i].v[col],
                    s->rows[i].series + 1);
}

/* names = the series as gnuplot words (double-quoted; quotes inside replaced) */
static void series_names(lsp_vars *v, const series_set *s)
{
    char b[4000];
    size_t k = 0;
    for (int i = 0; i < s->n_series && k + 8 < sizeof b; i++) {
        b[k++] = i ? ' ' : '"';
        if (i)
            b[k++] = '"';
        for (const char *c = s->names[i]; *c && k + 4 < sizeof b; c++)
            b[k++] = *c == '"' || *c == '\'' ? '_' : *c;
        b[k++] = '"';
    }
    b[k] = '\0';
    lsp_var_str(v, "names", b);
    lsp_var_num(v, "n", s->n_series);
}

static void series_free(series_set *s)
{
    free(s->rows);
    for (int i = 0; i < s->n_series; i++)
        free(s->names[i]);
}

/* ---- ber-length (sweep CSV): y against the first swept key (a column named section.key), one line
   per combination of the other swept keys ---- */

static const char *y_label(const char *y)
{
    static const char *const map[][2] = {{"ber", "BER"},
                                         {"stat_ber", "BER (statistical analysis)"},
                                         {"cer", "post-FEC codeword error ratio (RS(544,514))"},
                                         {"reach_m", "reach (m)"},
                                         {"ber_at_reach", "BER at the reach"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(y, map[i][0]))
            return map[i][1];
    return y;
}

/* The columns of a sweep CSV: the swept keys swept[0..n_swept) (named section.key) and the metric
   ky to plot (the first of pref, else the first other column but point). 0, or 2 with msg set. */
static int sweep_columns(const lsp_csv *c, const char *data, int *swept, int *n_swept, int *ky,
                         char *msg, size_t cap)
{
    static const char *const pref[] = {"ber", "stat_ber", "cer", "reach_m"};
    for (int i = 0; i < c->n_hdr; i++)
        if (strchr(c->hdr[i], '.'))
            swept[(*n_swept)++] = i;
    for (size_t i = 0; i < sizeof pref / sizeof pref[0] && *ky < 0; i++)
        *ky = lsp_csv_col(c, pref[i]);
    for (int i = 0; i < c->n_hdr && *ky < 0; i++)
        if (!strchr(c->hdr[i], '.') && strcmp(c->hdr[i], "point"))
            *ky = i;
    if (!*n_swept || *ky < 0)
        return lsp_say(msg, cap, 2, "%s:1: %s", data,
                       !*n_swept ? "no swept key column (section.key), as a sweep CSV has"
                                 : "no metric column to plot");
    return 0;
}

int lsp_prep_sweep(const char *data, FILE *aux, const char *aux_path, lsp_vars *v, char *msg,
                   size_t cap)
{
    lsp_csv c;
    series_set s = {.n = 0};
    int rc = lsp_csv_open(&c, data, msg, cap), swept[LSP_MAX_COLS], n_swept = 0, ky = -1, lo = -1,
        hi = -1;
    if (rc || (rc = sweep_columns(&c, data, swept, &n_swept, &ky, msg, cap)))
        goto done;
    const int kx = swept[0],
              logy = ky == lsp_csv_col(&c, "ber") || ky == lsp_csv_col(&c, "stat_ber") ||
                     ky == lsp_csv_col(&c, "cer") || ky == lsp_csv_col(&c, "reach_m");
    if (ky == lsp_csv_col(&c, "ber"))
        lo = lsp_csv_col(&c, "ber_ci95_lo"), hi = lsp_csv_col(&c, "ber_ci95_hi");
    const int ci = lo >= 0 && hi >= 0;
    int any_ub = 0, logx = 1;
    double xmin = INFINITY, xmax = -INFINITY;
    while ((rc = lsp_csv_row(&c, msg, cap)) == 0) {
        double r[5] = {NAN, NAN, NAN, NAN, NAN};
        if ((rc = lsp_csv_num(&c, kx, 0, &r[0], msg, cap)) ||
            (rc = lsp_csv_num(&c, ky, 0, &r[1], msg, cap)) ||
            (ci && ((rc = lsp_csv_num(&c, lo, 0, &r[2], msg, cap)) ||
                    (rc = lsp_csv_num(&c, hi, 0, &r[3], msg, cap)))))
            goto done;
        if (!ci)
            r[2] = r[3] = r[1];
        if (logy &&
            !(r[1] > 0)) { /* not on a log axis; with no errors the interval's upper end is shown */
            r[4] = ci && r[3] > 0 ? r[3] : NAN;
            any_ub |= isfinite(r[4]);
            r[1] = r[2] = r[3] = NAN;
        } else if (logy && !(r[2] > 0)) {
            r[2] = r[1];
        }
        char key[1024] = "";
        size_t k = 0;
        for (int j = 1; j < n_swept && k < sizeof key; j++)
            k += (size_t)snprintf(key + k, sizeof key - k, "%s%s=%s", j > 1 ? ", " : "",
                                  c.hdr[swept[j]], c.f[swept[j]]);
        int si = series_of(&s, n_swept > 1 ? key : y_label(c.hdr[ky]), data, c.r.line, msg, cap);
        if (si < 0 && (rc = -si))
            goto done;
        if ((rc = series_add(&s, si, r, msg, cap)))
            goto done;
        logx &= r[0] > 0;
        xmin = fmin(xmin, r[0]);
        xmax = fmax(xmax, r[0]);
    }
    if (rc != 1)
        goto done;
    if (!s.n) {
        rc = lsp_say(msg, cap, 2, "%s: no data rows", data);
        goto done;
    }
    rc = 0;
    series_write(&s, aux, 4, -1);
    if (any_ub)
        marker_block(&s, aux, 4);
    lsp_var_str(v, "in", aux_path);
    series_names(v, &s);
    lsp_var_str(v, "xl", c.hdr[kx]);
    lsp_var_str(v, "yl", y_label(c.hdr[ky]));
    lsp_var_num(v, "logx", logx && xmax >= 20 * xmin);
    lsp_var_num(v, "logy", logy);
    lsp_var_num(v, "ci", ci);
    lsp_var_num(v, "anyub", any_ub);
done:
    free(c.r.buf);
    series_free(&s);
    return rc;
}

/* ---- the study CSV: architecture,rate_gbps,reach_m,...,pj_per_bit,module_pj_per_bit; an optional
   column check (confirmed, mc-limited, unconfirmed) marks the reaches that Monte Carlo limited or
   did not check ---- */

int lsp_prep_reach_rate(const char *data, FILE *aux, const char *aux_path, lsp_vars *v, char *msg,
                        size_t cap)
{
    lsp_csv c;
    series_set s = {.n = 0};
    static const char *const names[] = {"architecture", "rate_gbps", "reach_m", NULL};
    int k[3], rc = lsp_csv_open(&c, data, msg, cap), any_fail = 0, any_mc = 0, any_un = 0;
    double minpos = INFINITY, rates[64];
    size_t n_rates = 0;
    if (rc || (rc = lsp_csv_need(&c, data, names, k, msg, cap)))
        goto done;
    /* optional: the Monte Carlo check of each reach (confirmed, mc-limited, unconfirmed) */
    const int kc = lsp_csv_col(&c, "check");
    while ((rc = lsp_csv_row(&c, msg, cap)) == 0) {
        double r[5] = {NAN, NAN, NAN, NAN, NAN};
        if ((rc = lsp_csv_num(&c, k[1], 0, &r[0], msg, cap)) ||
            (rc = lsp_csv_num(&c, k[2], 0, &r[1], msg, cap)))
            goto done;
        if (kc >= 0 && r[1] > 0 && !strcmp(c.f[kc], "mc-limited"))
            r[3] = r[1], any_mc = 1;
        else if (kc >= 0 && r[1] > 0 && !strcmp(c.f[kc], "unconfirmed"))
            r[4] = r[1], any_un = 1;
        if (!(r[0] > 0) || !(r[1] >= 0)) {
            rc = lsp_say(msg, cap, 2, "%s:%u: rate_gbps must be > 0 and reach_m >= 0", data,
                         c.r.line);
            goto done;
        }
        int si = series_of(&s, c.f[k[0]], data, c.r.line, msg, cap);
        if (si < 0 && (rc = -si))
            goto done;
        if (r[1] > 0)
            minpos = fmin(minpos, r[1]);
        else
            r[1] = NAN, r[2] = 0, any_fail = 1; /* the failure marker, placed at ymin below */
        size_t j = 0;
        while (j < n_rates && rates[j] != r[0])
            j++;
        if (j == n_rates && n_rates < 64)
            rates[n_rates++] = r[0];
        if ((rc = series_add(&s, si, r, msg, cap)))
            goto done;
    }
    if (rc != 1)
        goto done;
    if (!s.n) {
        rc = lsp_say(msg, cap, 2, "%s: no data rows", data);
        goto done;
    }
    rc = 0;
    const double ymin =
        isfinite(minpos) ? pow(10, floor(log10(minpos)) - (any_fail ? 1 : 0)) : 0.01;
    for (size_t i = 0; i < s.n; i++)
        if (s.rows[i].v[2] == 0)
            s.rows[i].v[2] = ymin;
    series_write(&s, aux, 2, -1);
    if (any_fail)
        marker_block(&s, aux, 2);
    if (any_mc)
        marker_block(&s, aux, 3);
    if (any_un)
        marker_block(&s, aux, 4);
    lsp_var_str(v, "in", aux_path);
    series_names(v, &s);
    lsp_var_num(v, "ymin", ymin);
    lsp_var_num(v, "anyfail", any_fail);
    lsp_var_num(v, "anymc", any_mc);
    lsp_var_num(v, "anyun", any_un);
    lsp_var_num(v, "imc", s.n_series + any_fail);
    lsp_var_num(v, "iun", s.n_series + any_fail + any_mc);
    char xt[1024] = "(";
    size_t len = 1;
    for (size_t i = 0; i < n_rates && len + 64 < sizeof xt; i++)
        len += (size_t)snprintf(xt + len, sizeof xt - len, "%s\"%.6g\" %.10g", i ? ", " : "",
                                rates[i], rates[i]);
    snprintf(xt + len, sizeof xt - len, ")");
    lsp_var_str(v, "xt", xt);
done:
    free(c.r.buf);
    series_free(&s);
    return rc;
}

int lsp_prep_energy_reach(const char *data, FILE *aux, const char *aux_path, lsp_vars *v, char *msg,
                          size_t cap)
{
    lsp_csv c;
    series_set s = {.n = 0};
    static const char *const names[] = {"architecture", "rate_gbps", "reach_m", "pj_per_bit", NULL};
    int k[4], rc = lsp_csv_open(&c, data, msg, cap), skipped = 0;
    if (rc || (rc = lsp_csv_need(&c, data, names, k, msg, cap)))
        goto done;
    const int km = lsp_csv_col(&c, "module_pj_per_bit"), kc = lsp_csv_col(&c, "check");
    while ((rc = lsp_csv_row(&c, msg, cap)) == 0) {
        double r[5] = {NAN, NAN, NAN, NAN, NAN};
        /* r[4]: 1 for a reach that Monte Carlo limited, 2 for one it did not check */
        r[4] = kc < 0 ? 0 : !strcmp(c.f[kc], "mc-limited") ? 1 : !strcmp(c.f[kc], "unconfirmed") ? 2 : 0;
        if ((rc = lsp_csv_num(&c, k[2], 0, &r[0], msg, cap)) ||
            (rc = lsp_csv_num(&c, k[3], 1, &r[1], msg, cap)) ||
            (km >= 0 && (rc = lsp_csv_num(&c, km, 1, &r[2], msg, cap))) ||
            (rc = lsp_csv_num(&c, k[1], 0, &r[3], msg, cap)))
            goto done;
        if (!(r[0] >= 0) || r[1] < 0 || r[2] < 0) {
            rc = lsp_say(msg, cap, 2, "%s:%u: reach_m and the pJ/bit figures must be >= 0", data,
                         c.r.line);
            goto done;
        }
        int si = series_of(&s, c.f[k[0]], data, c.r.line, msg, cap);
        if (si < 0 && (rc = -si))
            goto done;
        if (!(r[0] > 0) || !(isfinite(r[1]) || isfinite(r[2]))) {
            skipped++; /* no place on a log reach axis, or nothing to show */
            continue;
        }
        if (r[2] == 0)
            r[2] = NAN; /* no module (a passive cable) */
        if ((rc = series_add(&s, si, r, msg, cap)))
            goto done;
    }
    if (rc != 1)
        goto done;
    if (!s.n) {
        rc = lsp_say(msg, cap, 2, "%s: no row with reach_m > 0 and a pJ/bit figure", data);
        goto done;
    }
    rc = 0;
    /* index 0: lane points, index 1: module points (x y architecture), index 2: labels (x y "rate")
     */
    /* index 3: the Monte Carlo-limited points, index 4: the unchecked ones (x y architecture), each
       written only when it has a point */
    int any[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < s.n; i++)
        if (s.rows[i].v[4] > 0)
            any[1 + (int)s.rows[i].v[4]] = 1;
    for (int b = 0; b < 5; b++) {
        if (b >= 3 && !any[b - 1])
            continue;
        if (b)
            fputs("\n\n", aux);
        for (size_t i = 0; i < s.n; i++) {
            const double *r = s.rows[i].v, y = b == 0 || b == 1 ? r[1 + b] : (isfinite(r[1]) ? r[1] : r[2]);
            if (!isfinite(y) || (b >= 3 && r[4] != b - 2))
                continue;
            if (b == 2)
                fprintf(aux, "%.10g %.10g \"%.6g\"\n", r[0], y, r[3]);
            else
                fprintf(aux, "%.10g %.10g %d\n", r[0], y, s.rows[i].series + 1);
            if (b < 2)
                any[b] = 1;
        }
    }
    lsp_var_str(v, "in", aux_path);
    series_names(v, &s);
    lsp_var_num(v, "anylane", any[0]);
    lsp_var_num(v, "anymod", any[1]);
    lsp_var_num(v, "anymc", any[2]);
    lsp_var_num(v, "anyun", any[3]);
    lsp_var_num(v, "iun", 3 + any[2]);
    char t[160];
    snprintf(t, sizeof t, "energy per bit vs reach (labels: lane rate, Gb/s)%s",
             skipped ? "; rows with no reach not shown" : "");
    lsp_var_str(v, "ttl", t);
done:
    free(c.r.buf);
    series_free(&s);
    return rc;
}

/* ---- power: architecture,part,mw (long) -> one row per architecture, one column per part ---- */

int lsp_prep_power(const char *data, FILE *aux, const char *aux_path, lsp_vars *v, char *msg,
                   size_t cap)
{
    lsp_csv c;
    series_set arch = {.n = 0}, part = {.n = 0};
    static const char *const names[] = {"architecture", "part", "mw", NULL};
    int k[3], rc = lsp_csv_open(&c, data, msg, cap);
    static double mw[MAX_SERIES][MAX_SERIES];
    memset(mw, 0, sizeof mw);
    if (rc || (rc = lsp_csv_need(&c, data, names, k, msg, cap)))
        goto done;
    while ((rc = lsp_csv_row(&c, msg, cap)) == 0) {
        double x;
        if ((rc = lsp_csv_num(&c, k[2], 0, &x, msg, cap)))
            goto done;
        if (x < 0) {
            rc = lsp_say(msg, cap, 2, "%s:%u: negative power %g mW", data, c.r.line, x);
            goto done;
        }
        int a = series_of(&arch, c.f[k[0]], data, c.r.line, msg, cap);
        int p = a < 0 ? a : series_of(&part, c.f[k[1]], data, c.r.line, msg, cap);
        if (p < 0) {
            rc = -p;
            goto done;
        }
        mw[a][p] += x; /* repeated parts add */
    }
    if (rc != 1)
        goto done;
    if (!arch.n_series) {
        rc = lsp_say(msg, cap, 2, "%s: no data rows", data);
        goto done;
    }
    rc = 0;
    fputs("architecture", aux);
    for (int p = 0; p < part.n_series; p++) {
        fputs(" \"", aux);
        for (const char *q = part.names[p]; *q; q++)
            fputc(*q == '"' ? '\'' : *q, aux);
        fputc('"', aux);
    }
    fputs(" total\n", aux);
    for (int a = 0; a < arch.n_series; a++) {
        double total = 0;
        fputc('"', aux);
        for (const char *q = arch.names[a]; *q; q++)
            fputc(*q == '"' ? '\'' : *q, aux);
        fputc('"', aux);
        for (int p = 0; p < part.n_series; p++) {
            fprintf(aux, " %.10g", mw[a][p]);
            total += mw[a][p];
        }
        fprintf(aux, " %.10g\n", total);
    }
    lsp_var_str(v, "in", aux_path);
    lsp_var_num(v, "n", part.n_series);
done:
    free(c.r.buf);
    series_free(&arch);
    series_free(&part);
    return rc;
}

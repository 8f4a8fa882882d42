/*
 * Rows of the CSV kinds grouped in series (plots/plotdata.h): a series per distinct name, in
 * first-seen order; the rows sorted by x within each and written as one gnuplot block per series.
 * Used by plots/plotcsv.c and plots/plotenergy.c; calls only plots/plotio.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plotdata.h"

int lsp_series_of(lsp_series *s, const char *name, const char *path, unsigned line, char *msg,
                  size_t cap)
{
    for (int i = 0; i < s->n_series; i++)
        if (!strcmp(s->names[i], name))
            return i;
    if (s->n_series == LSP_MAX_SERIES)
        return -lsp_say(msg, cap, 2, "%s:%u: more than %d lines to draw", path, line,
                        LSP_MAX_SERIES);
    if (!(s->names[s->n_series] = strdup(name)))
        return -lsp_say(msg, cap, 1, "out of memory");
    return s->n_series++;
}

int lsp_series_add(lsp_series *s, int series, const double *v, char *msg, size_t cap)
{
    if (s->n == s->alloc) {
        size_t a = s->alloc ? 2 * s->alloc : 256;
        lsp_row *r = realloc(s->rows, a * sizeof *r);
        if (!r)
            return lsp_say(msg, cap, 1, "out of memory");
        s->rows = r;
        s->alloc = a;
    }
    s->rows[s->n] = (lsp_row){.series = series, .order = s->n};
    memcpy(s->rows[s->n].v, v, sizeof s->rows[s->n].v);
    s->n++;
    return 0;
}

static int row_cmp(const void *a, const void *b)
{
    const lsp_row *x = a, *y = b;
    if (x->series != y->series)
        return x->series < y->series ? -1 : 1;
    if (x->v[0] != y->v[0])
        return x->v[0] < y->v[0] ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Writes the blocks (columns v[0..ncol), NAN as '?'; column label_col, if >= 0, as a quoted %g
 * label). */
void lsp_series_write(lsp_series *s, FILE *aux, int ncol, int label_col)
{
    qsort(s->rows, s->n, sizeof *s->rows, row_cmp);
    for (size_t i = 0; i < s->n; i++) {
        if (i && s->rows[i].series != s->rows[i - 1].series)
            fputs("\n\n", aux);
        for (int k = 0; k < ncol; k++) {
            double x = s->rows[i].v[k];
            if (k == label_col)
                fprintf(aux, " \"%s\"", lsp_num(x).s);
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
void lsp_marker_block(const lsp_series *s, FILE *aux, int col)
{
    fputs("\n\n", aux);
    for (size_t i = 0; i < s->n; i++)
        if (isfinite(s->rows[i].v[col]))
            fprintf(aux, "%.10g %.10g %d\n", s->rows[i].v[0], s->rows[i].v[col],
                    s->rows[i].series + 1);
}

/* names = the series as gnuplot words (double-quoted; quotes inside replaced) */
void lsp_series_names(lsp_vars *v, const lsp_series *s)
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

void lsp_series_valid(lsp_vars *v, const lsp_series *s, int col)
{
    char b[1024];
    size_t k = 0;
    b[0] = '\0';
    for (int i = 0; i < s->n_series && k + 8 < sizeof b; i++) {
        int any = 0;
        for (size_t r = 0; r < s->n && !any; r++)
            any = s->rows[r].series == i && isfinite(s->rows[r].v[col]);
        if (any)
            k += (size_t)snprintf(b + k, sizeof b - k, " %d", i + 1);
    }
    lsp_var_str(v, "valid", b);
}

void lsp_series_free(lsp_series *s)
{
    free(s->rows);
    for (int i = 0; i < s->n_series; i++)
        free(s->names[i]);
}

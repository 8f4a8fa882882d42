/*
 * Plot data preparation for the gnuplot templates in plots/ (docs/plots.md): each kind reads its
 * data file, checks it (a malformed file gives one message "FILE:LINE: reason"), and writes what
 * its template needs: gnuplot variable assignments and, for the CSV kinds, a gnuplot-ready data
 * file. Used by cli/plot.c.
 *
 * The files of plots/, each calling only those below it: plotkinds.c (the kind table) ->
 * plotdata.c (the dump kinds), plotcsv.c (the CSV kinds) -> plotio.c (messages, variables, reader).
 */
#ifndef LS_PLOTDATA_H
#define LS_PLOTDATA_H

#include <stddef.h>
#include <stdio.h>

/** gnuplot assignments ("name=value; ...") for a template; appended with lsp_var_*. */
typedef struct {
    char text[8192];
    size_t len;
    int overflow;
} lsp_vars;

void lsp_var_num(lsp_vars *v, const char *name, double x);
/** A string variable, quoted for gnuplot (single quotes, '' inside). */
void lsp_var_str(lsp_vars *v, const char *name, const char *s);

/**
 * A kind's preparation: reads data, checks it, writes any gnuplot-ready data to aux (an open, empty
 * file at aux_path) and adds the template's variables, `in` included (data itself, or aux_path).
 * Returns 0, or 2 with msg set ("FILE:LINE: reason") for bad data, or 1 with msg set for a runtime
 * failure.
 */
typedef int lsp_prepare_fn(const char *data, FILE *aux, const char *aux_path, lsp_vars *v,
                           char *msg, size_t cap);

/** A plot kind: its template and its preparation. */
typedef struct {
    const char *name;        /**< as on the command line, e.g. "eye", "ber-length" */
    const char *tmpl;        /**< template file name without ".gp" */
    const char *what;        /**< one-line description of the data it reads (for --help) */
    lsp_prepare_fn *prepare; /**< its preparation */
} lsp_kind;

/** The kinds, NULL-terminated by name. Aliases: "sweep" = "ber-length". */
const lsp_kind *lsp_kind_find(const char *name);
const lsp_kind *lsp_kind_at(size_t i);

/** A built-in template: the text of plots/NAME.gp as of the build (cmake/embed_plots.cmake). */
typedef struct {
    const char *name;
    const unsigned char *text;
    size_t len;
} lsp_template;
extern const lsp_template lsp_templates[];
extern const size_t lsp_n_templates;

/* ---- internal to plots/ ---- */

/* plots/plotio.c */
/** Formats msg and returns rc. */
int lsp_say(char *msg, size_t cap, int rc, const char *fmt, ...);
/** A data file read whole (buf NUL-terminated), served line by line. */
typedef struct {
    const char *path;
    char *buf;
    size_t len, pos;
    unsigned line;
} lsp_reader;
/** 0, or 2 with msg set (cannot read, too large). Free r->buf after use. */
int lsp_rd_open(lsp_reader *r, const char *path, char *msg, size_t cap);
/** The next line in place (end of line removed), or NULL; r->line is its number (from 1). */
char *lsp_rd_line(lsp_reader *r);
char *lsp_skip_ws(char *s);

/** A CSV data file: the header's fields, then one row's fields at a time (both in r.buf). */
#define LSP_MAX_COLS 256
typedef struct {
    lsp_reader r;
    char *hdr[LSP_MAX_COLS], *f[LSP_MAX_COLS];
    int n_hdr;
} lsp_csv;
/** Opens data and reads its header line: 0, or 2 with msg set. Free c->r.buf after use. */
int lsp_csv_open(lsp_csv *c, const char *data, char *msg, size_t cap);
/** The next row's fields in c->f: 0 on a row, 1 at the end, 2 with msg set for a malformed row. */
int lsp_csv_row(lsp_csv *c, char *msg, size_t cap);
/** The index of the column named name, or -1. */
int lsp_csv_col(const lsp_csv *c, const char *name);
/** Field k of the current row as a number: 0, or 2 with msg set; empty, '?' and "nan" give NAN
    when allow_empty. */
int lsp_csv_num(const lsp_csv *c, int k, int allow_empty, double *x, char *msg, size_t cap);
/** The column indices k[] of the NULL-terminated names: 0, or 2 with msg set when one is missing.
 */
int lsp_csv_need(const lsp_csv *c, const char *data, const char *const *names, int *k, char *msg,
                 size_t cap);

/* The preparations (lsp_kind.prepare) of the dump kinds (plots/plotdata.c) and of the CSV kinds
   (plots/plotcsv.c) */
lsp_prepare_fn lsp_prep_eye, lsp_prep_stateye, lsp_prep_bathtub, lsp_prep_pulse, lsp_prep_response;
lsp_prepare_fn lsp_prep_tdecq; /* plots/plottdecq.c */
lsp_prepare_fn lsp_prep_sweep, lsp_prep_reach_rate, lsp_prep_energy_reach, lsp_prep_power;

#endif

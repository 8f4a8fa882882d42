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

/* ---- words for the reader (plots/plotlabel.c), also used by the command's tables ---- */

/** A number as text: lsp_num(x).s, valid to the end of the full expression (C11 6.2.4p8). */
typedef struct {
    char s[32];
} lsp_numstr;
/** x in its shortest exact form for a header or a title: "%.10g" (106.25, 53.125, 26.5625; never
    106.2 or 106.250000). Every lane and baud rate printed for a reader goes through it. */
lsp_numstr lsp_num(double x);
/** The axis label of a column name, in words and units: a configuration key section.key_unit
    ("link.length_m" -> "link length (m)", "ctle.gdc_db" -> "CTLE DC gain (dB)") or a metric
    ("ber" -> "BER", "reach_m" -> "reach (m)"). */
void lsp_axis_label(const char *name, char *buf, size_t cap);
/** The groups of the power account, in stacking order: host SerDes TX, host SerDes RX, retimer /
    DSP, modulator driver, laser and TEC, TIA, module control and DC-DC. */
#define LSP_POWER_GROUPS 7
/** The group (0..LSP_POWER_GROUPS-1) of a part named as sim/energy.c names them ("host_rx_adc",
    "dsp_tx_ffe", "laser_tec", ...), or -1 for a name of none of them. */
int lsp_power_group(const char *part);
/** A group's legend label and its colour ("#rrggbb"; grey for -1). */
const char *lsp_power_group_label(int g);
const char *lsp_power_group_colour(int g);

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

/* plots/plotseries.c: rows grouped in series (first-seen order), sorted by x within each */
#define LSP_MAX_SERIES 64
typedef struct {
    double v[5];
    int series;
    size_t order;
} lsp_row;
typedef struct {
    lsp_row *rows;
    size_t n, alloc;
    char *names[LSP_MAX_SERIES];
    int n_series;
} lsp_series;
/** The index of the series named name (a new one if unseen), or minus an exit status with msg set. */
int lsp_series_of(lsp_series *s, const char *name, const char *path, unsigned line, char *msg,
                  size_t cap);
/** Adds a row v[0..5) to series: 0, or 1 with msg set. */
int lsp_series_add(lsp_series *s, int series, const double *v, char *msg, size_t cap);
/** Sorts, then writes one block per series: columns v[0..ncol), NAN as '?', column label_col (if
    >= 0) as a quoted label. */
void lsp_series_write(lsp_series *s, FILE *aux, int ncol, int label_col);
/** One more block: the rows with a finite v[col], as "x v[col] series" (series from 1). */
void lsp_marker_block(const lsp_series *s, FILE *aux, int col);
/** The template's n and names (the series as double-quoted gnuplot words). */
void lsp_series_names(lsp_vars *v, const lsp_series *s);
/** The template's valid: " 1 3 ..." the series (from 1) with a finite v[col] in some row; the
    others' blocks hold no point gnuplot can draw (it would warn), so they get a legend entry only. */
void lsp_series_valid(lsp_vars *v, const lsp_series *s, int col);
void lsp_series_free(lsp_series *s);

/* The preparations (lsp_kind.prepare) of the dump kinds (plots/plotdata.c) and of the CSV kinds
   (plots/plotcsv.c) */
lsp_prepare_fn lsp_prep_eye, lsp_prep_stateye, lsp_prep_bathtub, lsp_prep_pulse, lsp_prep_response;
lsp_prepare_fn lsp_prep_tdecq; /* plots/plottdecq.c */
lsp_prepare_fn lsp_prep_sweep, lsp_prep_reach_rate, lsp_prep_energy_reach, lsp_prep_power, lsp_prep_com_pulse;
lsp_prepare_fn lsp_prep_cluster_power, lsp_prep_cluster_energy; /* plots/plotcluster.c */

#endif

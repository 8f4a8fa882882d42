/*
 * Plot data preparation of the dump kinds (plots/plotdata.h, docs/plots.md): eye, bathtub, pulse
 * and response, from the whitespace-column dumps of `lanesim run --dump`. Each reads its dump
 * whole, checks it line by line (the first fault is reported as "FILE:LINE: reason"), and hands its
 * template what gnuplot cannot derive itself: the sub-eye openings of an eye dump as vectors and
 * labels, and the axis ranges worth showing. The templates read the dump itself. The CSV kinds are
 * in plots/plotcsv.c, the reader and the variables in plots/plotio.c, the kind table in
 * plots/plotkinds.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plotdata.h"

/* Whitespace-separated numbers of s into x[0..max); '?' is NAN when allow_q. Returns the count (max
   + 1 when there are more), or -1 at a token that is not a number. */
static int nums(char *s, double *x, int max, int allow_q)
{
    int n = 0;
    for (;;) {
        s = lsp_skip_ws(s);
        if (!*s)
            return n;
        if (n == max)
            return max + 1;
        char *end;
        if (allow_q && *s == '?' && (s[1] == '\0' || s[1] == ' ' || s[1] == '\t')) {
            x[n++] = NAN;
            s++;
            continue;
        }
        x[n] = strtod(s, &end);
        if (end == s || (*end && *end != ' ' && *end != '\t') || !isfinite(x[n]))
            return -1;
        n++;
        s = end;
    }
}

/* ---- dump headers: "# preset NAME seed S rate_gbps R ...", "# target_ber X", "# baud_gbd X" */

typedef struct {
    char preset[64];
    double rate_gbps, target_ber, baud_gbd;
} dump_hdr;

static void hdr_scan(dump_hdr *h, const char *line)
{
    char copy[512], *save = NULL;
    snprintf(copy, sizeof copy, "%s", line);
    const char *prev = NULL;
    for (char *t = strtok_r(copy, " \t#", &save); t; prev = t, t = strtok_r(NULL, " \t", &save)) {
        if (!prev)
            continue;
        if (!strcmp(prev, "preset"))
            snprintf(h->preset, sizeof h->preset, "%s", t);
        else if (!strcmp(prev, "rate_gbps"))
            h->rate_gbps = strtod(t, NULL);
        else if (!strcmp(prev, "target_ber"))
            h->target_ber = strtod(t, NULL);
        else if (!strcmp(prev, "baud_gbd"))
            h->baud_gbd = strtod(t, NULL);
    }
}

static void hdr_title(lsp_vars *v, const dump_hdr *h, const char *what)
{
    char t[320];
    if (h->preset[0] && h->rate_gbps > 0)
        snprintf(t, sizeof t, "%s: %s, %s Gb/s", what, h->preset, lsp_num(h->rate_gbps).s);
    else
        snprintf(t, sizeof t, "%s", what);
    lsp_var_str(v, "ttl", t);
}

/* Reads a whitespace-column dump of ncol columns: "#" lines update h and go to ctx->comment (may be
   NULL), data rows to row, blank lines (and the end of the file, line NULL) to blank (may be NULL).
   A callback rejects its line by returning 2 with msg set. Returns 0 or an exit status. */
typedef struct {
    const char *data;
    int (*row)(void *self, const double *x, unsigned line, char *msg, size_t cap);
    int (*comment)(void *self, const char *text, unsigned line, char *msg, size_t cap);
    int (*blank)(void *self, const char *text, unsigned line, char *msg, size_t cap);
    void *self;
} dump_cb;

static int read_dump(const dump_cb *cb, int ncol, const char *cols, int allow_q, dump_hdr *h,
                     char *msg, size_t cap)
{
    lsp_reader r;
    int rc = lsp_rd_open(&r, cb->data, msg, cap);
    double x[16];
    for (char *s; !rc && (s = lsp_rd_line(&r));) {
        s = lsp_skip_ws(s);
        if (*s == '#') {
            hdr_scan(h, s);
            if (cb->comment)
                rc = cb->comment(cb->self, s, r.line, msg, cap);
        } else if (!*s) {
            if (cb->blank)
                rc = cb->blank(cb->self, s, r.line, msg, cap);
        } else {
            char keep[96];
            snprintf(keep, sizeof keep, "%s", s);
            if (nums(s, x, ncol, allow_q) != ncol)
                rc = lsp_say(msg, cap, 2, "%s:%u: expected %d numbers (%s), found '%s'", cb->data,
                             r.line, ncol, cols, keep);
            else if (!isfinite(x[0]))
                rc = lsp_say(msg, cap, 2, "%s:%u: the first column must be a number", cb->data,
                             r.line);
            else
                rc = cb->row(cb->self, x, r.line, msg, cap);
        }
    }
    if (!rc && cb->blank)
        rc = cb->blank(cb->self, NULL, r.line + 1, msg, cap);
    free(r.buf);
    return rc;
}

/* ---- eye: 2-UI histogram, one block per time column, and its "# eye" opening lines ---- */

typedef struct {
    char name[32];
    double th, center, height, width;
} eye_mark;

typedef struct {
    const char *data;
    size_t blocks, rows, rows_first;
    int in_block;
    double t;
    eye_mark m[8];
    char at[16];       /* "# eye_at": slicer or input ("" when absent) */
    double target_ber; /* its contour BER */
    unsigned n_m;
} eye_ctx;

static int eye_comment(void *self, const char *s, unsigned line, char *msg, size_t cap)
{
    eye_ctx *e = self;
    if (!strncmp(s, "# eye_at ", 9)) {
        if (sscanf(s, "# eye_at %15s target_ber %lf", e->at, &e->target_ber) != 2 ||
            (strcmp(e->at, "slicer") && strcmp(e->at, "input")) || !(e->target_ber > 0))
            return lsp_say(msg, cap, 2, "%s:%u: expected '# eye_at slicer|input target_ber P'", e->data, line);
        return 0;
    }
    if (strncmp(s, "# eye ", 6))
        return 0;
    eye_mark m;
    if (sscanf(s, "# eye %31s threshold_v %lf center_v %lf height_v %lf width_ui %lf", m.name,
               &m.th, &m.center, &m.height, &m.width) != 5 ||
        !isfinite(m.th) || !isfinite(m.center) || !(m.height >= 0) || !(m.width >= 0))
        return lsp_say(
            msg, cap, 2,
            "%s:%u: expected '# eye NAME threshold_v T center_v C height_v H width_ui W'", e->data,
            line);
    if (e->n_m == 8)
        return lsp_say(msg, cap, 2, "%s:%u: more than 8 eye lines", e->data, line);
    e->m[e->n_m++] = m;
    return 0;
}

static int eye_row(void *self, const double *x, unsigned line, char *msg, size_t cap)
{
    eye_ctx *e = self;
    if (!(x[2] >= 0))
        return lsp_say(msg, cap, 2, "%s:%u: hits must be a number >= 0", e->data, line);
    if (!e->in_block) {
        e->in_block = 1;
        e->blocks++;
        e->rows = 0;
        e->t = x[0];
    } else if (x[0] != e->t) {
        return lsp_say(
            msg, cap, 2,
            "%s:%u: t_ui changes inside a block (one block per time column, a blank line between)",
            e->data, line);
    }
    e->rows++;
    return 0;
}

static int eye_blank(void *self, const char *s, unsigned line, char *msg, size_t cap)
{
    (void)s;
    eye_ctx *e = self;
    if (!e->in_block)
        return 0;
    e->in_block = 0;
    if (e->blocks == 1)
        e->rows_first = e->rows;
    else if (e->rows != e->rows_first)
        return lsp_say(
            msg, cap, 2,
            "%s:%u: a block of %zu rows, the first has %zu (the histogram must be a full grid)",
            e->data, line, e->rows, e->rows_first);
    return 0;
}

/* Marks file: index 0 thresholds (vectors across the 2 UI), index 1 labels at the left edge (inside
   the previous symbol's eye), index 2 openings at the contour BER: height at t = 0 and width through
   the opening's centre, centred on t = 0. */
static int prep_eye(const char *data, FILE *aux, const char *aux_path, lsp_vars *v, char *msg, size_t cap,
                    int stat)
{
    eye_ctx e = {.data = data};
    dump_hdr h = {.rate_gbps = 0};
    dump_cb cb = {data, eye_row, eye_comment, eye_blank, &e};
    const char *cols = stat ? "t_ui v_volts ber" : "t_ui v_volts hits";
    int rc = read_dump(&cb, 3, cols, 0, &h, msg, cap);
    if (rc)
        return rc;
    if (e.blocks < 2 || e.rows_first < 2)
        return lsp_say(msg, cap, 2, "%s: no eye %s (blocks of '%s' rows, one per time column)", data,
                       stat ? "map" : "histogram", cols);
    lsp_var_str(v, "in", data);
    char what[96];
    snprintf(what, sizeof what, "%s", stat ? "statistical eye" : "eye diagram");
    if (e.at[0]) {
        snprintf(what, sizeof what, "%s (contour at BER %.2g)", stat ? "statistical eye" : "eye diagram",
                 e.target_ber);
        lsp_var_num(v, "target", e.target_ber);
        lsp_var_str(v, "ylab", strcmp(e.at, "input") ? "slicer input, equalized (mV)" : "receiver input (mV)");
    }
    hdr_title(v, &h, what);
    if (!e.n_m)
        return 0;
    int open = 0;
    for (unsigned i = 0; i < e.n_m; i++)
        fprintf(aux, "-1 %.9g 2 0\n", e.m[i].th);
    fputs("\n\n", aux);
    for (unsigned i = 0; i < e.n_m; i++) {
        if (e.m[i].height > 0)
            fprintf(aux, "-0.97 %.9g \"%s: %.1f mV, %.2f UI\"\n", e.m[i].center, e.m[i].name,
                    1e3 * e.m[i].height, e.m[i].width);
        else
            fprintf(aux, "-0.97 %.9g \"%s: closed\"\n", e.m[i].th, e.m[i].name);
        open |= e.m[i].height > 0;
    }
    fputs("\n\n", aux);
    for (unsigned i = 0; i < e.n_m; i++)
        if (e.m[i].height > 0) {
            fprintf(aux, "0 %.9g 0 %.9g\n", e.m[i].center - 0.5 * e.m[i].height, e.m[i].height);
            if (e.m[i].width > 0)
                fprintf(aux, "%.9g %.9g %.9g 0\n", -0.5 * e.m[i].width, e.m[i].center, e.m[i].width);
        }
    lsp_var_str(v, "marks", aux_path);
    lsp_var_num(v, "haveop", open);
    return 0;
}

int lsp_prep_eye(const char *data, FILE *aux, const char *aux_path, lsp_vars *v, char *msg, size_t cap)
{
    return prep_eye(data, aux, aux_path, v, msg, cap, 0);
}

int lsp_prep_stateye(const char *data, FILE *aux, const char *aux_path, lsp_vars *v, char *msg, size_t cap)
{
    return prep_eye(data, aux, aux_path, v, msg, cap, 1);
}

/* ---- pulse, bathtub, response: the template reads the dump; ranges and labels from it ---- */

typedef struct {
    const char *data;
    size_t n;
    double t_lo, t_hi, peak, lo, minpos;
    int any_s21;
} col_ctx;

static int pulse_row(void *self, const double *x, unsigned line, char *msg, size_t cap)
{
    (void)line, (void)msg, (void)cap;
    col_ctx *c = self;
    c->peak = fmax(c->peak, fabs(x[1]));
    c->n++;
    return 0;
}

/* second pass over the (already checked) pulse: the span where |v| exceeds 1 % of the peak */
static int pulse_span(void *self, const double *x, unsigned line, char *msg, size_t cap)
{
    (void)line, (void)msg, (void)cap;
    col_ctx *c = self;
    if (fabs(x[1]) >= 0.01 * c->peak) {
        c->t_lo = fmin(c->t_lo, x[0]);
        c->t_hi = fmax(c->t_hi, x[0]);
    }
    return 0;
}

int lsp_prep_pulse(const char *data, FILE *aux, const char *aux_path, lsp_vars *v, char *msg,
                   size_t cap)
{
    (void)aux, (void)aux_path;
    col_ctx c = {.data = data, .t_lo = INFINITY, .t_hi = -INFINITY};
    dump_hdr h = {.rate_gbps = 0};
    dump_cb cb = {data, pulse_row, NULL, NULL, &c};
    int rc = read_dump(&cb, 2, "t_ui volts", 0, &h, msg, cap);
    if (!rc && c.n < 2)
        rc = lsp_say(msg, cap, 2, "%s: fewer than 2 rows of 't_ui volts'", data);
    cb.row = pulse_span;
    if (rc || (c.peak > 0 && (rc = read_dump(&cb, 2, "t_ui volts", 0, &h, msg, cap))))
        return rc;
    lsp_var_str(v, "in", data);
    hdr_title(v, &h, "pulse response");
    if (c.t_lo < c.t_hi) {
        lsp_var_num(v, "xmin", floor(c.t_lo) - 2);
        lsp_var_num(v, "xmax", ceil(c.t_hi) + 2);
    }
    return 0;
}

static int bathtub_row(void *self, const double *x, unsigned line, char *msg, size_t cap)
{
    col_ctx *c = self;
    if (!(x[1] >= 0 && x[1] <= 1))
        return lsp_say(msg, cap, 2, "%s:%u: BER %g outside [0, 1]", c->data, line, x[1]);
    if (x[1] > 0)
        c->minpos = fmin(c->minpos, x[1]);
    c->n++;
    return 0;
}

int lsp_prep_bathtub(const char *data, FILE *aux, const char *aux_path, lsp_vars *v, char *msg,
                     size_t cap)
{
    (void)aux, (void)aux_path;
    col_ctx c = {.data = data, .minpos = INFINITY};
    dump_hdr h = {.rate_gbps = 0};
    dump_cb cb = {data, bathtub_row, NULL, NULL, &c};
    int rc = read_dump(&cb, 2, "phase_ui ber", 0, &h, msg, cap);
    if (rc)
        return rc;
    if (c.n < 2)
        return lsp_say(msg, cap, 2, "%s: fewer than 2 rows of 'phase_ui ber'", data);
    lsp_var_str(v, "in", data);
    hdr_title(v, &h, "bathtub");
    double floor_ber = h.target_ber > 0 ? fmin(1e-24, h.target_ber * 1e-6) : 1e-24,
           lowest = fmax(c.minpos < INFINITY ? c.minpos : floor_ber, floor_ber);
    if (h.target_ber > 0 && h.target_ber < 1) /* the target line inside the plot, a decade above its foot */
        lowest = fmin(lowest, h.target_ber / 10);
    lsp_var_num(v, "ymin", pow(10, floor(log10(lowest))));
    if (h.target_ber > 0 && h.target_ber < 1)
        lsp_var_num(v, "target", h.target_ber);
    return 0;
}

static int response_row(void *self, const double *x, unsigned line, char *msg, size_t cap)
{
    (void)line, (void)msg, (void)cap;
    col_ctx *c = self;
    for (int k = 1; k < 6; k++)
        if (isfinite(x[k]))
            c->lo = fmin(c->lo, x[k]);
    c->any_s21 |= isfinite(x[5]);
    c->n++;
    return 0;
}

int lsp_prep_response(const char *data, FILE *aux, const char *aux_path, lsp_vars *v, char *msg,
                      size_t cap)
{
    (void)aux, (void)aux_path;
    col_ctx c = {.data = data, .lo = INFINITY};
    dump_hdr h = {.rate_gbps = 0};
    dump_cb cb = {data, response_row, NULL, NULL, &c};
    int rc =
        read_dump(&cb, 6, "f_ghz channel_db ctle_db channel_ctle_db equalized_db s21_db; ? = none",
                  1, &h, msg, cap);
    if (rc)
        return rc;
    if (c.n < 2)
        return lsp_say(msg, cap, 2,
                       "%s: fewer than 2 rows of 'f_ghz channel_db ctle_db channel_ctle_db ...'",
                       data);
    lsp_var_str(v, "in", data);
    hdr_title(v, &h, "channel and equalizer response");
    if (isfinite(c.lo))
        lsp_var_num(v, "ymin", fmax(-100, 10 * floor(c.lo / 10)));
    if (h.baud_gbd > 0)
        lsp_var_num(v, "nyq", 0.5 * h.baud_gbd);
    lsp_var_num(v, "s21", c.any_s21);
    return 0;
}

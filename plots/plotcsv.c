/*
 * Plot data preparation of the series kinds (plots/plotdata.h, docs/plots.md): sweep CSVs
 * (ber-length) and the study CSV's reach against the lane rate (reach-rate). Rows are grouped into
 * series (plots/plotseries.c) and sorted by x within each; a gnuplot-ready file holds one block per
 * series. Axis labels are words and units (plots/plotlabel.c), never a bare column name. The energy
 * kinds are in plots/plotenergy.c, the CSV reader in plots/plotio.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plotdata.h"

/* ---- ber-length (sweep CSV): y against the first swept key (a column named section.key), one line
   per combination of the other swept keys ---- */

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

/* The range lo..hi around a single value x: a factor f either side on a log axis, else half of
   max(1, |x|). */
static void range_around(lsp_vars *v, const char *lo, const char *hi, double x, int log, double f)
{
    const int l = log && x > 0;
    lsp_var_num(v, lo, l ? x / f : x - fmax(1, fabs(x)) / 2);
    lsp_var_num(v, hi, l ? x * f : x + fmax(1, fabs(x)) / 2);
}

int lsp_prep_sweep(const char *data, FILE *aux, const char *aux_path, lsp_vars *v, char *msg,
                   size_t cap)
{
    lsp_csv c;
    lsp_series s = {.n = 0};
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
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
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
        for (int j = 1; j < n_swept && k < sizeof key; j++) {
            char kw[256];
            lsp_axis_label(c.hdr[swept[j]], kw, sizeof kw);
            k += (size_t)snprintf(key + k, sizeof key - k, "%s%s = %s", j > 1 ? ", " : "", kw,
                                  c.f[swept[j]]);
        }
        char yname[256];
        lsp_axis_label(c.hdr[ky], yname, sizeof yname);
        int si = lsp_series_of(&s, n_swept > 1 ? key : yname, data, c.r.line, msg, cap);
        if (si < 0 && (rc = -si))
            goto done;
        if ((rc = lsp_series_add(&s, si, r, msg, cap)))
            goto done;
        logx &= r[0] > 0;
        xmin = fmin(xmin, r[0]);
        for (int q = 1; q < 5; q++)
            if (isfinite(r[q])) {
                ymin = fmin(ymin, r[q]);
                ymax = fmax(ymax, r[q]);
            }
        xmax = fmax(xmax, r[0]);
    }
    if (rc != 1)
        goto done;
    if (!s.n) {
        rc = lsp_say(msg, cap, 2, "%s: no data rows", data);
        goto done;
    }
    rc = 0;
    lsp_series_write(&s, aux, 4, -1);
    if (any_ub)
        lsp_marker_block(&s, aux, 4);
    lsp_var_str(v, "in", aux_path);
    lsp_series_names(v, &s);
    lsp_series_valid(v, &s, 1);
    char label[256];
    lsp_axis_label(c.hdr[kx], label, sizeof label);
    lsp_var_str(v, "xl", label);
    lsp_axis_label(c.hdr[ky], label, sizeof label);
    lsp_var_str(v, "yl", label);
    lsp_var_num(v, "logx", logx && xmax >= 20 * xmin);
    lsp_var_num(v, "logy", logy);
    lsp_var_num(v, "ci", ci);
    lsp_var_num(v, "anyub", any_ub);
    if (ymin == ymax) /* one y: a range around it (gnuplot warns of an empty one) */
        range_around(v, "ylo", "yhi", ymin, logy, 10);
    if (xmin == xmax) /* one x: likewise */
        range_around(v, "xlo", "xhi", xmin, logx, 2);
done:
    free(c.r.buf);
    lsp_series_free(&s);
    return rc;
}

/* ---- the study CSV: architecture,rate_gbps,reach_m,...,pj_per_bit,module_pj_per_bit ---- */

/* The x of row i's marker: its rate, or for a row that fails even at the shortest length (v[2] ==
   0) its rate set off so that several failures at one rate stand side by side (a twentieth of an
   octave apart) and none hides another. */
static double marker_x(const lsp_series *s, size_t i)
{
    if (s->rows[i].v[2] != 0)
        return s->rows[i].v[0];
    size_t m = 0, k = 0;
    for (size_t j = 0; j < s->n; j++)
        if (s->rows[j].v[2] == 0 && s->rows[j].v[0] == s->rows[i].v[0]) {
            k += j < i;
            m++;
        }
    return s->rows[i].v[0] * pow(2, 0.05 * ((double)k - 0.5 * (double)(m - 1)));
}

/* After the series blocks: one block "x y series" of the rows with a finite v[col] (col 2: the
   failures, col 3: the reaches Monte Carlo limited, col 4: those it did not check), a failure at
   height yfail beside the others at its rate (marker_x), a reach at its own height. */
static void marker_rows(const lsp_series *s, FILE *aux, int col, double yfail)
{
    fputs("\n\n", aux);
    for (size_t i = 0; i < s->n; i++)
        if (isfinite(s->rows[i].v[col]))
            fprintf(aux, "%.10g %.10g %d\n", marker_x(s, i),
                    s->rows[i].v[2] == 0 ? yfail : s->rows[i].v[1], s->rows[i].series + 1);
}

int lsp_prep_reach_rate(const char *data, FILE *aux, const char *aux_path, lsp_vars *v, char *msg,
                        size_t cap)
{
    lsp_csv c;
    lsp_series s = {.n = 0};
    static const char *const names[] = {"architecture", "rate_gbps", "reach_m", NULL};
    int k[3], rc = lsp_csv_open(&c, data, msg, cap), any_fail = 0, any_mc = 0, any_un = 0;
    double minpos = INFINITY, rates[64];
    size_t n_rates = 0;
    if (rc || (rc = lsp_csv_need(&c, data, names, k, msg, cap)))
        goto done;
    const int kc = lsp_csv_col(&c, "check"); /* optional: confirmed, mc-limited, unconfirmed */
    while ((rc = lsp_csv_row(&c, msg, cap)) == 0) {
        double r[5] = {NAN, NAN, NAN, NAN, NAN};
        if ((rc = lsp_csv_num(&c, k[1], 0, &r[0], msg, cap)) ||
            (rc = lsp_csv_num(&c, k[2], 0, &r[1], msg, cap)))
            goto done;
        if (!(r[0] > 0) || !(r[1] >= 0)) {
            rc = lsp_say(msg, cap, 2, "%s:%u: rate_gbps must be > 0 and reach_m >= 0", data,
                         c.r.line);
            goto done;
        }
        int si = lsp_series_of(&s, c.f[k[0]], data, c.r.line, msg, cap);
        if (si < 0 && (rc = -si))
            goto done;
        if (r[1] > 0)
            minpos = fmin(minpos, r[1]);
        else
            r[1] = NAN, r[2] = 0, any_fail = 1; /* a failure: a marker near the bottom */
        /* r[3]: Monte Carlo limited the reach (a failure too: the statistical reach was refuted);
           r[4]: a reach Monte Carlo did not check (no reach has nothing to check) */
        if (kc >= 0 && !strcmp(c.f[kc], "mc-limited"))
            r[3] = 1, any_mc = 1;
        else if (kc >= 0 && r[1] > 0 && !strcmp(c.f[kc], "unconfirmed"))
            r[4] = 1, any_un = 1;
        size_t j = 0;
        while (j < n_rates && rates[j] != r[0])
            j++;
        if (j == n_rates && n_rates < 64)
            rates[n_rates++] = r[0];
        if ((rc = lsp_series_add(&s, si, r, msg, cap)))
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
    lsp_series_write(&s, aux, 2, -1);
    for (int col = 2; col < 5; col++)
        if ((int[]){any_fail, any_mc, any_un}[col - 2])
            marker_rows(&s, aux, col, 2 * ymin);
    lsp_var_str(v, "in", aux_path);
    lsp_series_names(v, &s);
    lsp_series_valid(v, &s, 1);
    lsp_var_num(v, "ymin", ymin);
    lsp_var_num(v, "anyfail", any_fail);
    lsp_var_num(v, "anymc", any_mc);
    lsp_var_num(v, "anyun", any_un);
    lsp_var_num(v, "imc", s.n_series + any_fail); /* the blocks of the boxes and diamonds */
    lsp_var_num(v, "iun", s.n_series + any_fail + any_mc);
    /* the lane rates as the x tics, exactly (106.25, 53.125); the x range a quarter of an octave
       beyond them, so one rate alone still has a range */
    char xt[1024] = "(";
    size_t len = 1;
    double rlo = INFINITY, rhi = 0;
    for (size_t i = 0; i < n_rates && len + 64 < sizeof xt; i++) {
        len += (size_t)snprintf(xt + len, sizeof xt - len, "%s\"%s\" %.10g", i ? ", " : "",
                                lsp_num(rates[i]).s, rates[i]);
        rlo = fmin(rlo, rates[i]);
        rhi = fmax(rhi, rates[i]);
    }
    snprintf(xt + len, sizeof xt - len, ")");
    lsp_var_str(v, "xt", xt);
    lsp_var_num(v, "xlo", rlo / pow(2, 0.25));
    lsp_var_num(v, "xhi", rhi * pow(2, 0.25));
    if (n_rates == 1) {
        char t[96];
        snprintf(t, sizeof t, "reach at %s Gb/s", lsp_num(rlo).s);
        lsp_var_str(v, "ttl", t);
    } else {
        lsp_var_str(v, "ttl", "reach vs lane rate");
    }
done:
    free(c.r.buf);
    lsp_series_free(&s);
    return rc;
}

/* ---- com-pulse: each package case's equalized pulse from 'lanesim com --pulse' (columns time_s, time_ui,
   case<N>_v); a gnuplot-ready file "t_ui v1 v2 ..." ('?' where a case has no sample) and the span where some
   case exceeds 1 % of the largest |v| ---- */
int lsp_prep_com_pulse(const char *data, FILE *aux, const char *aux_path, lsp_vars *v, char *msg, size_t cap)
{
    lsp_csv c;
    int rc = lsp_csv_open(&c, data, msg, cap), kc[8], n = 0;
    if (rc)
        return rc;
    const int kt = lsp_csv_col(&c, "time_ui");
    char ids[128] = "";
    size_t il = 0;
    for (int i = 0; i < c.n_hdr && n < 8; i++) {
        size_t l = strlen(c.hdr[i]);
        if (l > 6 && !strncmp(c.hdr[i], "case", 4) && !strcmp(c.hdr[i] + l - 2, "_v")) {
            kc[n++] = i;
            il += (size_t)snprintf(ids + il, sizeof ids - il, "%s%.*s", n > 1 ? " " : "", (int)(l - 6), c.hdr[i] + 4);
        }
    }
    if (kt < 0 || !n) {
        rc = lsp_say(msg, cap, 2, "%s:1: expected the columns time_ui and case<N>_v of 'lanesim com --pulse'", data);
        goto done;
    }
    double peak = 0, lo = INFINITY, hi = -INFINITY;
    size_t rows = 0, nalloc = 0;
    double *t = NULL, *y = NULL;
    while ((rc = lsp_csv_row(&c, msg, cap)) == 0) {
        if (rows == nalloc) {
            nalloc = nalloc ? 2 * nalloc : 1024;
            double *t2 = realloc(t, nalloc * sizeof *t), *y2 = t2 ? realloc(y, nalloc * (size_t)n * sizeof *y) : NULL;
            if (t2) t = t2;
            if (y2) y = y2;
            if (!t2 || !y2) { rc = lsp_say(msg, cap, 1, "%s: out of memory", data); break; }
        }
        if ((rc = lsp_csv_num(&c, kt, 0, &t[rows], msg, cap)))
            break;
        for (int k = 0; k < n && !rc; k++) {
            rc = lsp_csv_num(&c, kc[k], 1, &y[rows * (size_t)n + (size_t)k], msg, cap);
            if (!rc && isfinite(y[rows * (size_t)n + (size_t)k]))
                peak = fmax(peak, fabs(y[rows * (size_t)n + (size_t)k]));
        }
        if (rc)
            break;
        rows++;
    }
    if (rc == 1)
        rc = rows < 2 ? lsp_say(msg, cap, 2, "%s: fewer than 2 rows", data) : 0;
    for (size_t r = 0; !rc && r < rows; r++) {
        fprintf(aux, "%.9g", t[r]);
        for (int k = 0; k < n; k++) {
            double x = y[r * (size_t)n + (size_t)k];
            if (isfinite(x)) fprintf(aux, " %.9g", x); else fputs(" ?", aux);
            if (isfinite(x) && fabs(x) >= 0.01 * peak) { lo = fmin(lo, t[r]); hi = fmax(hi, t[r]); }
        }
        fputc('\n', aux);
    }
    free(t);
    free(y);
    if (rc)
        goto done;
    lsp_var_str(v, "in", aux_path);
    lsp_var_num(v, "n", n);
    lsp_var_str(v, "ids", ids);
    if (lo < hi) {
        lsp_var_num(v, "xmin", floor(lo) - 2);
        lsp_var_num(v, "xmax", ceil(hi) + 2);
    }
done:
    free(c.r.buf);
    return rc;
}

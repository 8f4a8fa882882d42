/*
 * Plot data preparation of the energy kinds (plots/plotdata.h, docs/plots.md): energy-reach from
 * the study CSV, and power from the long CSV architecture,part,mw.
 *
 * energy-reach: one colour per architecture, one marker shape per lane rate (filled: the lane end
 * to end, open: the module or optical engine alone), so no text label sits in the plot and none can
 * overlap another. A row whose reach is 0 (even the shortest length fails) has no place on the
 * logarithmic reach axis: it is drawn in a "no reach" column at the left edge, half a decade below
 * the shortest reach, never dropped.
 *
 * power: the parts (sim/energy.c) summed into their groups (plots/plotlabel.c: host SerDes TX and
 * RX, retimer / DSP, driver, laser and TEC, TIA, control and DC-DC), one stacked bar per
 * architecture, each group in its own colour; a part of none of the groups keeps its own column.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plotdata.h"

/* Marker shapes of the rates, gnuplot point types (filled, open): circle, square, triangle up,
   triangle down, diamond, pentagon; more rates than shapes repeat them. */
static const int SHAPES[][2] = {{7, 6}, {5, 4}, {9, 8}, {11, 10}, {13, 12}, {15, 14}};
#define N_SHAPES (sizeof SHAPES / sizeof SHAPES[0])
#define MAX_RATES 64

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The rows of the study CSV into s: v = {reach_m, lane pJ/bit, module pJ/bit (NAN: none), rate,
   check} (check, from the optional column check: 1 a reach Monte Carlo limited, 2 a reach > 0 it did
   not check, else 0); the distinct rates into rates (sorted). 0, or an exit status with msg set. */
static int energy_rows(lsp_csv *c, const char *data, lsp_series *s, double *rates, size_t *nr,
                       char *msg, size_t cap)
{
    static const char *const names[] = {"architecture", "rate_gbps", "reach_m", "pj_per_bit", NULL};
    int k[4], rc = lsp_csv_need(c, data, names, k, msg, cap);
    if (rc)
        return rc;
    const int km = lsp_csv_col(c, "module_pj_per_bit"), kc = lsp_csv_col(c, "check");
    while ((rc = lsp_csv_row(c, msg, cap)) == 0) {
        double r[5] = {NAN, NAN, NAN, NAN, 0};
        if ((rc = lsp_csv_num(c, k[2], 0, &r[0], msg, cap)) ||
            (rc = lsp_csv_num(c, k[3], 1, &r[1], msg, cap)) ||
            (km >= 0 && (rc = lsp_csv_num(c, km, 1, &r[2], msg, cap))) ||
            (rc = lsp_csv_num(c, k[1], 0, &r[3], msg, cap)))
            return rc;
        if (!(r[0] >= 0) || r[1] < 0 || r[2] < 0 || !(r[3] > 0))
            return lsp_say(msg, cap, 2,
                           "%s:%u: reach_m and the pJ/bit figures must be >= 0, rate_gbps > 0",
                           data, c->r.line);
        int si = lsp_series_of(s, c->f[k[0]], data, c->r.line, msg, cap);
        if (si < 0)
            return -si;
        if (!(isfinite(r[1]) || isfinite(r[2])))
            continue; /* no energy figure: nothing to draw */
        if (r[2] == 0)
            r[2] = NAN; /* no module (a passive cable) */
        if (kc >= 0 && !strcmp(c->f[kc], "mc-limited"))
            r[4] = 1;
        else if (kc >= 0 && r[0] > 0 && !strcmp(c->f[kc], "unconfirmed"))
            r[4] = 2;
        size_t j = 0;
        while (j < *nr && rates[j] != r[3])
            j++;
        if (j == *nr && *nr < MAX_RATES)
            rates[(*nr)++] = r[3];
        if ((rc = lsp_series_add(s, si, r, msg, cap)))
            return rc;
    }
    if (rc != 1)
        return rc;
    if (!s->n)
        return lsp_say(msg, cap, 2, "%s: no row with a pJ/bit figure", data);
    qsort(rates, *nr, sizeof *rates, dbl_cmp);
    return 0;
}

/* The shape index of a rate (its rank among the distinct rates). */
static size_t shape_of(const double *rates, size_t nr, double rate)
{
    size_t j = 0;
    while (j + 1 < nr && rates[j] != rate)
        j++;
    return j % N_SHAPES;
}

/* The legend of the shapes ("RATE Gb/s" words, their point types) and the title. */
static void rate_legend(lsp_vars *v, const double *rates, size_t nr)
{
    char rn[2048] = "", pts[512] = "";
    for (size_t j = 0, a = 0, b = 0; j < nr && a + 40 < sizeof rn && b + 8 < sizeof pts; j++) {
        a += (size_t)snprintf(rn + a, sizeof rn - a, "%s\"%s Gb/s\"", j ? " " : "",
                              lsp_num(rates[j]).s);
        b += (size_t)snprintf(pts + b, sizeof pts - b, "%s%d", j ? " " : "",
                              SHAPES[j % N_SHAPES][0]);
    }
    lsp_var_num(v, "nr", (double)nr);
    lsp_var_str(v, "rnames", rn);
    lsp_var_str(v, "rpts", pts);
    char t[160];
    if (nr == 1)
        snprintf(t, sizeof t, "energy per bit vs reach at %s Gb/s", lsp_num(rates[0]).s);
    else
        snprintf(t, sizeof t, "energy per bit vs reach");
    lsp_var_str(v, "ttl", t);
}

int lsp_prep_energy_reach(const char *data, FILE *aux, const char *aux_path, lsp_vars *v, char *msg,
                          size_t cap)
{
    lsp_csv c;
    lsp_series s = {.n = 0};
    double rates[MAX_RATES];
    size_t nr = 0;
    int rc = lsp_csv_open(&c, data, msg, cap);
    if (rc || (rc = energy_rows(&c, data, &s, rates, &nr, msg, cap)))
        goto done;
    double minpos = INFINITY, maxpos = 0;
    int any_fail = 0, any[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < s.n; i++) {
        for (int b = 0; b < 2; b++)
            any[b] |= isfinite(s.rows[i].v[1 + b]); /* lane, module points drawn */
        if (s.rows[i].v[4] > 0)
            any[1 + (int)s.rows[i].v[4]] = 1; /* the check markers drawn */
        if (s.rows[i].v[0] > 0) {
            minpos = fmin(minpos, s.rows[i].v[0]);
            maxpos = fmax(maxpos, s.rows[i].v[0]);
        } else {
            any_fail = 1;
        }
    }
    /* the decades spanned, and the "no reach" column a decade below the first */
    const double d0 = isfinite(minpos) ? floor(log10(minpos)) : 0,
                 d1 = maxpos > 0 ? fmax(d0 + 1, ceil(log10(maxpos))) : d0 + 1, dec = pow(10, d0),
                 xfail = dec / 10;
    /* the blocks, each only when it has a point (an empty one would not count as an index, and
       gnuplot warns of it): ilane the lane points, imod the module points, both "x y pointtype
       architecture"; imc the reaches Monte Carlo limited (boxed), iun those it did not check (open
       diamond), both "x y architecture" at the lane point (the module one without) */
    int idx[4], ni = 0;
    for (int b = 0; b < 4; b++) {
        idx[b] = any[b] ? ni++ : 0;
        if (!any[b])
            continue;
        if (idx[b])
            fputs("\n\n", aux);
        for (size_t i = 0; i < s.n; i++) {
            const double *r = s.rows[i].v, x = r[0] > 0 ? r[0] : xfail;
            if (b >= 2 && r[4] == b - 1)
                fprintf(aux, "%.10g %.10g %d\n", x, isfinite(r[1]) ? r[1] : r[2],
                        s.rows[i].series + 1);
            else if (b < 2 && isfinite(r[1 + b]))
                fprintf(aux, "%.10g %.10g %d %d\n", x, r[1 + b],
                        SHAPES[shape_of(rates, nr, r[3])][b], s.rows[i].series + 1);
        }
    }
    lsp_var_str(v, "in", aux_path);
    lsp_series_names(v, &s);
    lsp_var_num(v, "anylane", any[0]);
    lsp_var_num(v, "anymod", any[1]);
    lsp_var_num(v, "anymc", any[2]);
    lsp_var_num(v, "anyun", any[3]);
    static const char *const iname[] = {"ilane", "imod", "imc", "iun"};
    for (int b = 0; b < 4; b++)
        lsp_var_num(v, iname[b], idx[b]);
    lsp_var_num(v, "anyfail", any_fail);
    lsp_var_num(v, "xfail", xfail);
    lsp_var_num(v, "xlo", any_fail ? xfail / 2 : dec / 2);
    lsp_var_num(v, "xhi", pow(10, d1) * 2);
    /* the x tics: the decades, and "no reach" where the failing rows are */
    char xt[1024] = "(";
    size_t kx = 1;
    if (any_fail)
        kx += (size_t)snprintf(xt + kx, sizeof xt - kx, "\"no reach\" %.10g", xfail);
    for (double d = d0; d <= d1 && kx + 40 < sizeof xt; d++)
        kx += (size_t)snprintf(xt + kx, sizeof xt - kx, "%s\"%s\" %.10g", kx > 1 ? ", " : "",
                               lsp_num(pow(10, d)).s, pow(10, d));
    snprintf(xt + kx, sizeof xt - kx, ")");
    lsp_var_str(v, "xt", xt);
    rate_legend(v, rates, nr);
done:
    free(c.r.buf);
    lsp_series_free(&s);
    return rc;
}

/* ---- power: architecture,part,mw (long) -> one row per architecture, one column per group ---- */

/* The columns: the groups of the power account, then each part of no group by its own name. */
typedef struct {
    lsp_series arch, other;
    double mw[LSP_MAX_SERIES][LSP_POWER_GROUPS + LSP_MAX_SERIES];
} power_table;

static int power_rows(lsp_csv *c, const char *data, power_table *t, char *msg, size_t cap)
{
    static const char *const names[] = {"architecture", "part", "mw", NULL};
    int k[3], rc = lsp_csv_need(c, data, names, k, msg, cap);
    if (rc)
        return rc;
    while ((rc = lsp_csv_row(c, msg, cap)) == 0) {
        double x;
        if ((rc = lsp_csv_num(c, k[2], 0, &x, msg, cap)))
            return rc;
        if (x < 0)
            return lsp_say(msg, cap, 2, "%s:%u: negative power %g mW", data, c->r.line, x);
        int a = lsp_series_of(&t->arch, c->f[k[0]], data, c->r.line, msg, cap);
        if (a < 0)
            return -a;
        int g = lsp_power_group(c->f[k[1]]);
        if (g < 0) {
            int p = lsp_series_of(&t->other, c->f[k[1]], data, c->r.line, msg, cap);
            if (p < 0)
                return -p;
            g = LSP_POWER_GROUPS + p;
        }
        t->mw[a][g] += x; /* the parts of a group, and repeated parts, add */
    }
    if (rc != 1)
        return rc;
    if (!t->arch.n_series)
        return lsp_say(msg, cap, 2, "%s: no data rows", data);
    return 0;
}

static void put_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++)
        fputc(*s == '"' ? '\'' : *s, f);
    fputc('"', f);
}

int lsp_prep_power(const char *data, FILE *aux, const char *aux_path, lsp_vars *v, char *msg,
                   size_t cap)
{
    lsp_csv c;
    static power_table t;
    memset(&t, 0, sizeof t);
    int rc = lsp_csv_open(&c, data, msg, cap);
    if (rc || (rc = power_rows(&c, data, &t, msg, cap)))
        goto done;
    /* the columns drawn: those with power in some architecture */
    int col[LSP_POWER_GROUPS + LSP_MAX_SERIES], ncol = 0;
    const int nall = LSP_POWER_GROUPS + t.other.n_series;
    size_t longest = 0;
    for (int g = 0; g < nall; g++) {
        double sum = 0;
        for (int a = 0; a < t.arch.n_series; a++)
            sum += t.mw[a][g];
        if (sum > 0)
            col[ncol++] = g;
    }
    if (!ncol) {
        rc = lsp_say(msg, cap, 2, "%s: no part draws power (every mw is 0)", data);
        goto done;
    }
    char colours[1024] = "";
    size_t kc = 0;
    fputs("architecture", aux);
    for (int i = 0; i < ncol; i++) {
        const int g = col[i], own = g >= LSP_POWER_GROUPS;
        fputc(' ', aux);
        put_quoted(aux, own ? t.other.names[g - LSP_POWER_GROUPS] : lsp_power_group_label(g));
        static const char *const spare[] = {"#edc948", "#ff9da7", "#bab0ac", "#86bcb6", "#d4a6c8"};
        kc += (size_t)snprintf(colours + kc, kc < sizeof colours ? sizeof colours - kc : 0, "%s%s",
                               i ? " " : "",
                               own ? spare[(g - LSP_POWER_GROUPS) % 5] : lsp_power_group_colour(g));
    }
    fputs(" total\n", aux);
    for (int a = 0; a < t.arch.n_series; a++) {
        double total = 0;
        put_quoted(aux, t.arch.names[a]);
        for (int i = 0; i < ncol; i++) {
            fprintf(aux, " %.10g", t.mw[a][col[i]]);
            total += t.mw[a][col[i]];
        }
        fprintf(aux, " %.10g\n", total);
        longest = strlen(t.arch.names[a]) > longest ? strlen(t.arch.names[a]) : longest;
    }
    lsp_var_str(v, "in", aux_path);
    lsp_var_num(v, "n", ncol);
    lsp_var_str(v, "colours", colours);
    /* the architecture names across the bars, or slanted when they would not fit side by side */
    lsp_var_num(v, "slant", (double)(t.arch.n_series * (longest + 2) > 48));
    lsp_var_str(v, "ttl", "electrical power per lane, by part");
done:
    free(c.r.buf);
    lsp_series_free(&t.arch);
    lsp_series_free(&t.other);
    return rc;
}

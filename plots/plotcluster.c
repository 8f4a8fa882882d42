/*
 * The cluster plots (docs/cluster.md, docs/plots.md), from the CSV files `lanesim cluster --plot`
 * writes: cluster-power:  policy,tier,power_w (long) -> one stacked bar per policy, one colour per
 * tier (MW); cluster-energy: kind,name,x1,x2,y with kind "arch" (x1 = reach in m, y = pJ/bit; x1 =
 * 0: no reach) or "tier" (x1..x2 = the tier's link lengths in m) -> pJ/bit versus reach, one point
 * per architecture, each tier's length range shaded.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plotdata.h"

static void put_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++)
        fputc(*s == '"' ? '\'' : *s, f);
    fputc('"', f);
}

int lsp_prep_cluster_power(const char *data, FILE *aux, const char *aux_path, lsp_vars *v,
                           char *msg, size_t cap)
{
    static const char *const names[] = {"policy", "tier", "power_w", NULL};
    static double w[LSP_MAX_SERIES][LSP_MAX_SERIES];
    lsp_series pol = {0}, tier = {0};
    lsp_csv c;
    int k[3];
    memset(w, 0, sizeof w);
    int rc = lsp_csv_open(&c, data, msg, cap);
    if (rc || (rc = lsp_csv_need(&c, data, names, k, msg, cap)))
        goto done;
    while ((rc = lsp_csv_row(&c, msg, cap)) == 0) {
        double x;
        if ((rc = lsp_csv_num(&c, k[2], 0, &x, msg, cap)))
            goto done;
        if (!(x >= 0)) {
            rc = lsp_say(msg, cap, 2, "%s:%u: power %g W is not >= 0", data, c.r.line, x);
            goto done;
        }
        const int p = lsp_series_of(&pol, c.f[k[0]], data, c.r.line, msg, cap);
        const int t = p < 0 ? p : lsp_series_of(&tier, c.f[k[1]], data, c.r.line, msg, cap);
        if (p < 0 || t < 0) {
            rc = p < 0 ? -p : -t;
            goto done;
        }
        w[p][t] += x;
    }
    if (rc != 1)
        goto done;
    if (!pol.n_series) {
        rc = lsp_say(msg, cap, 2, "%s: no data rows", data);
        goto done;
    }
    rc = 0;
    fputs("policy", aux);
    for (int t = 0; t < tier.n_series; t++) {
        fputc(' ', aux);
        put_quoted(aux, tier.names[t]);
    }
    fputs(" total\n", aux);
    size_t longest = 0;
    for (int p = 0; p < pol.n_series; p++) {
        double total = 0;
        put_quoted(aux, pol.names[p]);
        for (int t = 0; t < tier.n_series; t++) {
            fprintf(aux, " %.10g", w[p][t] * 1e-6);
            total += w[p][t] * 1e-6;
        }
        fprintf(aux, " %.10g\n", total);
        longest = strlen(pol.names[p]) > longest ? strlen(pol.names[p]) : longest;
    }
    lsp_var_str(v, "in", aux_path);
    lsp_var_num(v, "n", tier.n_series);
    lsp_var_num(v, "slant", (double)(pol.n_series * (longest + 2) > 60));
done:
    free(c.r.buf);
    lsp_series_free(&pol);
    lsp_series_free(&tier);
    return rc;
}

int lsp_prep_cluster_energy(const char *data, FILE *aux, const char *aux_path, lsp_vars *v,
                            char *msg, size_t cap)
{
    static const char *const names[] = {"kind", "name", "x1", "x2", "y", NULL};
    lsp_csv c;
    int k[5], na = 0, nt = 0;
    double lo = INFINITY, hi = 0, tiers[LSP_MAX_SERIES][2];
    char tnames[LSP_MAX_SERIES][32], none[512] = "";
    int rc = lsp_csv_open(&c, data, msg, cap);
    if (rc || (rc = lsp_csv_need(&c, data, names, k, msg, cap)))
        goto done;
    fputs("# reach_m pj_per_bit name\n", aux);
    while ((rc = lsp_csv_row(&c, msg, cap)) == 0) {
        double x1, x2, y;
        if ((rc = lsp_csv_num(&c, k[2], 0, &x1, msg, cap)) ||
            (rc = lsp_csv_num(&c, k[3], 1, &x2, msg, cap)) ||
            (rc = lsp_csv_num(&c, k[4], 1, &y, msg, cap)))
            goto done;
        if (!strcmp(c.f[k[0]], "tier")) {
            if (!(x1 > 0 && x2 >= x1) || nt == LSP_MAX_SERIES) {
                rc = lsp_say(msg, cap, 2, "%s:%u: a tier's lengths must be 0 < x1 <= x2 (m)", data,
                             c.r.line);
                goto done;
            }
            tiers[nt][0] = x1, tiers[nt][1] = x2;
            snprintf(tnames[nt++], sizeof tnames[0], "%s", c.f[k[1]]);
            lo = fmin(lo, x1), hi = fmax(hi, x2);
        } else if (!strcmp(c.f[k[0]], "arch")) {
            if (!(y >= 0)) {
                rc = lsp_say(msg, cap, 2, "%s:%u: pJ/bit must be >= 0", data, c.r.line);
                goto done;
            }
            if (x1 > 0) {
                fprintf(aux, "%.10g %.10g ", x1, y);
                put_quoted(aux, c.f[k[1]]);
                fputc('\n', aux);
                lo = fmin(lo, x1), hi = fmax(hi, x1);
                na++;
            } else if (strlen(none) + strlen(c.f[k[1]]) + 3 < sizeof none) {
                strcat(strcat(none, none[0] ? ", " : ""), c.f[k[1]]);
            }
        } else {
            rc = lsp_say(msg, cap, 2, "%s:%u: kind '%s' is neither arch nor tier", data, c.r.line,
                         c.f[k[0]]);
            goto done;
        }
    }
    if (rc != 1)
        goto done;
    rc = 0;
    if (!na && !nt) {
        rc = lsp_say(msg, cap, 2, "%s: no data rows", data);
        goto done;
    }
    static const char *const fill[] = {"#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
    char rects[4096] = "";
    size_t kr = 0;
    for (int t = 0; t < nt && kr + 200 < sizeof rects; t++)
        kr += (size_t)snprintf(
            rects + kr, sizeof rects - kr,
            "set object %d rect from %.10g, graph 0 to %.10g, graph 1 fc rgb '%s' fs transparent "
            "solid 0.15 noborder behind; set label %d '%s' at %.10g, graph %.3f center front; ",
            t + 1, tiers[t][0], tiers[t][1] > tiers[t][0] ? tiers[t][1] : tiers[t][0] * 1.02,
            fill[t % 5], t + 1, tnames[t], sqrt(tiers[t][0] * fmax(tiers[t][1], tiers[t][0])),
            0.96 - 0.04 * (t % 3));
    lsp_var_str(v, "in", aux_path);
    lsp_var_str(v, "rects", rects);
    lsp_var_num(v, "na", na);
    lsp_var_num(v, "xlo", lo / 2);
    lsp_var_num(v, "xhi", hi * 2);
    lsp_var_str(v, "noreach", none);
done:
    free(c.r.buf);
    return rc;
}

/*
 * lanesim sweep output: the stdout table, the CSV and the JSON, all from one list of cells per point
 * (name, value, format), so the three agree column for column. Columns: `point` (the index in the
 * whole grid), the swept keys in --param order, then the metrics in the fixed order ber, eye, reach, energy, com
 * (docs/cli.md lists them).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "lanesim/version.h"
#include "sweep.h"

#define MAX_CELLS (8 + 2 * SWEEP_MAX_EYES + 22)

typedef struct {
    char name[48];
    enum { C_NUM, C_U64, C_STR } type;
    const char *fmt; /* C_NUM */
    double v;
    uint64_t u;
    const char *s;
} cell;

static cell *num(cell *c, const char *name, const char *fmt, double v)
{
    *c = (cell){ .type = C_NUM, .fmt = fmt, .v = v };
    snprintf(c->name, sizeof c->name, "%s", name);
    return c + 1;
}

/* The metric cells of a point (r = NULL: names only, values zero); returns their number. */
static size_t metric_cells(const sweep *s, const sweep_result *r, cell *c0)
{
    static const sweep_result zero;
    cell *c = c0;
    if (!r)
        r = &zero;
    if ((s->metrics & SW_BER) && s->stat) {
        c = num(c, "stat_ber", "%.6e", r->stat_ber);
        c = num(c, "snr_eq_db", "%.4f", r->snr_eq_db);
    } else if (s->metrics & SW_BER) {
        c = num(c, "ber", "%.6e", r->ber);
        c = num(c, "ber_ci95_lo", "%.6e", r->lo);
        c = num(c, "ber_ci95_hi", "%.6e", r->hi);
        c = num(c, "ser", "%.6e", r->ser);
        *c++ = (cell){ .name = "bit_errors", .type = C_U64, .u = r->bit_errors };
        *c++ = (cell){ .name = "bits", .type = C_U64, .u = r->bits };
        c = num(c, "snr_eq_db", "%.4f", r->snr_eq_db);
        *c++ = (cell){ .name = "rx_failed", .type = C_U64, .u = (uint64_t)r->rx_failed };
        *c++ = (cell){ .name = "rx_failed_reason", .type = C_STR, .s = r->rx_failed_reason };
    }
    if (s->metrics & SW_EYE) {
        /* the worst sub-eye, then each sub-eye (top first, as `lanesim run`) when every point has the same M */
        double h = r->n_eyes ? INFINITY : 0, w = r->n_eyes ? INFINITY : 0;
        for (unsigned e = 0; e < r->n_eyes; e++) {
            h = fmin(h, r->eye_height_v[e]);
            w = fmin(w, r->eye_width_ui[e]);
        }
        c = num(c, "eye_height_v", "%.6e", h);
        c = num(c, "eye_width_ui", "%.4f", w);
        unsigned ne = s->eye_levels > 1 ? s->eye_levels - 1 : 0;
        for (unsigned e = ne; e-- > 0;) {
            char nb[16], name[48];
            const char *n = cli_eye_name(s->eye_levels, e, nb, sizeof nb);
            snprintf(name, sizeof name, "eye_%s_height_v", n);
            c = num(c, name, "%.6e", e < r->n_eyes ? r->eye_height_v[e] : 0);
            snprintf(name, sizeof name, "eye_%s_width_ui", n);
            c = num(c, name, "%.4f", e < r->n_eyes ? r->eye_width_ui[e] : 0);
        }
    }
    if (s->metrics & SW_REACH) {
        c = num(c, "reach_m", "%.6g", r->reach_m);
        c = num(c, "stat_reach_m", "%.6g", r->stat_reach_m);
        *c++ = (cell){ .name = "check", .type = C_STR, .s = r->reach_check };
        c = num(c, "ber_at_reach", "%.6e", r->reach_ber);
        c = num(c, "margin_db", "%.4f", r->margin_db);
        c = num(c, "penalty_db", "%.4f", r->penalty_db);
        *c++ = (cell){ .name = "limited_by", .type = C_STR, .s = r->limited_by };
    }
    if (s->n_pts && ls_config_find(s->cfg[0], "link.inner_fec")) /* says that only the rate changed */
        *c++ = (cell){ .name = "inner_fec", .type = C_STR, .s = r->inner_fec ? "rate_only" : "none" };
    if (s->metrics & SW_ENERGY) {
        c = num(c, "pj_per_bit", "%.4f", r->pj_per_bit);
        c = num(c, "module_pj_per_bit", "%.4f", r->module_pj_per_bit);
        c = num(c, "total_mw", "%.2f", r->total_mw);
    }
    if (s->metrics & SW_COM) {
        c = num(c, "com_db", "%.4f", r->com_db);
        c = num(c, "erl_db", "%.4f", r->erl_db);
        *c++ = (cell){ .name = "com_pass", .type = C_U64, .u = (uint64_t)r->com_pass };
        *c++ = (cell){ .name = "com_config", .type = C_STR, .s = r->com_config };
    }
    return (size_t)(c - c0);
}

static void print_cell(FILE *f, const cell *c)
{
    if (c->type == C_NUM)
        fprintf(f, c->fmt, c->v);
    else if (c->type == C_U64)
        fprintf(f, "%llu", (unsigned long long)c->u);
    else
        fputs(c->s, f);
}

void sweep_write_rows(const sweep *s, FILE *f, const char *sep)
{
    cell c[MAX_CELLS];
    size_t n = metric_cells(s, NULL, c);
    fputs("point", f);
    for (unsigned k = 0; k < s->np; k++)
        fprintf(f, "%s%s", sep, s->prm[k].key);
    for (size_t m = 0; m < n; m++)
        fprintf(f, "%s%s", sep, c[m].name);
    fputc('\n', f);
    for (size_t i = 0; i < s->n_pts; i++) {
        if (!sweep_mine(s, i))
            continue;
        fprintf(f, "%zu", i);
        for (unsigned k = 0; k < s->np; k++)
            fprintf(f, "%s%s", sep, ls_config_str(s->cfg[i], s->prm[k].key));
        n = metric_cells(s, &s->res[i], c);
        for (size_t m = 0; m < n; m++) {
            fputs(sep, f);
            print_cell(f, &c[m]);
        }
        fputc('\n', f);
    }
}

void sweep_write_csv(const sweep *s, FILE *f)
{
    if (s->shard_n)
        fprintf(f, "# lanesim sweep shard %u/%u: %zu points, sweep %016llx\n", s->shard_i, s->shard_n, s->n_pts,
                (unsigned long long)s->id);
    sweep_write_rows(s, f, ",");
}

static const char *metric_list[] = { "ber", "eye", "reach", "energy", "com" };

cJSON *sweep_json(const sweep *s)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    char id[20];
    snprintf(id, sizeof id, "%016llx", (unsigned long long)s->id);
    cJSON_AddStringToObject(j, "lanesim_version", LANESIM_VERSION);
    cJSON_AddStringToObject(j, "command", "sweep");
    cJSON_AddStringToObject(j, "input", s->input);
    cJSON_AddStringToObject(j, "preset", ls_config_preset(s->cfg[0]));
    cJSON *ms = cJSON_AddArrayToObject(j, "metrics");
    for (unsigned b = 0; b < sizeof metric_list / sizeof metric_list[0]; b++)
        if (s->metrics & (1u << b))
            cJSON_AddItemToArray(ms, cJSON_CreateString(metric_list[b]));
    cJSON_AddStringToObject(j, "mode", s->stat ? "stat" : "mc");
    /* the -s overrides, with the value each key has (the last assignment wins) */
    cJSON *fixed = cJSON_AddObjectToObject(j, "fixed");
    for (int a = 0; a < s->n_assign; a++) {
        char key[160];
        size_t len = strcspn(s->assign[a], "=");
        snprintf(key, sizeof key, "%.*s", (int)len, s->assign[a]);
        for (char *p = key + strlen(key); p > key && (p[-1] == ' ' || p[-1] == '\t');)
            *--p = '\0';
        const char *k = key + strspn(key, " \t");
        const ls_param_def *d = ls_config_find(s->cfg[0], k);
        if (d && !cJSON_GetObjectItemCaseSensitive(fixed, d->key))
            cJSON_AddItemToObject(fixed, d->key, cli_config_item(s->cfg[0], d));
    }
    cJSON *prm = cJSON_AddArrayToObject(j, "params");
    for (unsigned k = 0; k < s->np; k++) {
        cJSON *p = cJSON_CreateObject(), *vals = cJSON_AddArrayToObject(p, "values");
        cJSON_AddStringToObject(p, "key", s->prm[k].key);
        const ls_param_def *d = ls_config_find(s->cfg[0], s->prm[k].key);
        for (unsigned v = 0; v < s->prm[k].n; v++) {
            char *end;
            double x = strtod(s->prm[k].values[v], &end);
            int number = d && (d->type == LS_P_REAL || d->type == LS_P_INT) && !*end && isfinite(x);
            cJSON_AddItemToArray(vals, number ? cJSON_CreateNumber(x) : cJSON_CreateString(s->prm[k].values[v]));
        }
        cJSON_AddItemToArray(prm, p);
    }
    cJSON_AddNumberToObject(j, "points_total", (double)s->n_pts);
    if (s->shard_n) {
        cJSON *sh = cJSON_AddObjectToObject(j, "shard");
        cJSON_AddNumberToObject(sh, "index", s->shard_i);
        cJSON_AddNumberToObject(sh, "count", s->shard_n);
    }
    cJSON_AddStringToObject(j, "sweep_id", id);
    cJSON *pts = cJSON_AddArrayToObject(j, "points");
    cell c[MAX_CELLS];
    for (size_t i = 0; i < s->n_pts; i++) {
        if (!sweep_mine(s, i))
            continue;
        cJSON *p = cJSON_CreateObject();
        cJSON_AddNumberToObject(p, "point", (double)i);
        for (unsigned k = 0; k < s->np; k++)
            cJSON_AddItemToObject(p, s->prm[k].key,
                                  cli_config_item(s->cfg[i], ls_config_find(s->cfg[i], s->prm[k].key)));
        size_t n = metric_cells(s, &s->res[i], c);
        for (size_t m = 0; m < n; m++) {
            cJSON *item;
            if (c[m].type == C_STR) {
                item = cJSON_CreateString(c[m].s);
            } else if (c[m].type == C_U64) {
                item = cJSON_CreateNumber((double)c[m].u);
            } else if (isfinite(c[m].v)) {
                item = cJSON_CreateNumber(c[m].v);
            } else {
                char t[32];
                snprintf(t, sizeof t, "%g", c[m].v);
                item = cJSON_CreateString(t);
            }
            cJSON_AddItemToObject(p, c[m].name, item);
        }
        cJSON_AddItemToArray(pts, p);
    }
    return j;
}

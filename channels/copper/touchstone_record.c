/*
 * Touchstone reader, records. The port count N sizes a record of 1 + 2 M numbers (M = N^2, or
 * N (N + 1) / 2 for the v2 Lower/Upper matrix formats) that may span several lines. Each pair is
 * converted to a complex S: RI is re + j im, MA is mag e^{j ang pi / 180}, DB is
 * 10^(dB / 20) e^{j ang pi / 180}. Order: v1 2-ports 11 21 12 22 (v2: per [Two-Port Data
 * Order]), otherwise row by row; Lower/Upper triangles are mirrored. Frequencies must be >= 0 and
 * strictly increasing. A record with the wrong count is blamed on the first line that leaves the
 * standard layout (1- and 2-ports on one line; otherwise each matrix row on new lines, at most
 * four pairs per line); a truncated record is reported at its last line.
 *
 * The model statement is in touchstone.c; the format and its diagnostics in docs/touchstone.md.
 * Calls touchstone_lex.c only.
 */
#include <math.h>
#include <stdlib.h>

#include "ls_internal.h"
#include "touchstone_internal.h"

/* Sets the port count and sizes the record buffers and the standard layout. */
ls_status lsi_ts_set_ports(rd *r, unsigned n)
{
    if (n < 1 || n > LS_TOUCHSTONE_MAX_PORTS)
        return lsi_ts_fail_at(r, r->line, "unsupported number of ports %u (1..%u)", n,
                              LS_TOUCHSTONE_MAX_PORTS);
    r->n = n;
    size_t m = r->matrix == MAT_FULL ? (size_t)n * n : (size_t)n * (n + 1) / 2;
    r->need = 1 + 2 * m;
    free(r->rec);
    free(r->rl);
    free(r->rn);
    free(r->lay);
    r->rec = malloc(r->need * sizeof *r->rec);
    r->rl = malloc(r->need * sizeof *r->rl);
    r->rn = malloc(r->need * sizeof *r->rn);
    r->lay = malloc(r->need * sizeof *r->lay);
    if (!r->rec || !r->rl || !r->rn || !r->lay)
        return LS_ENOMEM;
    /* standard layout: 1- and 2-ports on one line; else each row on new lines, <= 4 pairs each */
    r->n_lay = 0;
    if (n <= 2) {
        r->lay[r->n_lay++] = r->need;
    } else {
        for (unsigned i = 0; i < n; i++) {
            size_t row = r->matrix == MAT_FULL ? n : r->matrix == MAT_LOWER ? i + 1 : n - i;
            size_t vals = 2 * row;
            for (size_t c = 0; c < vals; c += 8) {
                size_t cnt = (vals - c < 8 ? vals - c : 8) + (r->n_lay == 0);
                r->lay[r->n_lay++] = cnt;
            }
        }
    }
    return LS_OK;
}

/* The line to blame for a record with the wrong count: the first that leaves the layout. */
static unsigned long blame_line(const rd *r)
{
    for (size_t i = 0; i < r->nl; i++)
        if (i >= r->n_lay || r->rn[i] != r->lay[i])
            return r->rl[i];
    return r->rl[r->nl ? r->nl - 1 : 0];
}

static size_t blame_expected(const rd *r, unsigned long line, size_t *got)
{
    for (size_t i = 0; i < r->nl; i++)
        if (r->rl[i] == line) {
            *got = r->rn[i];
            return i < r->n_lay ? r->lay[i] : 0;
        }
    *got = 0;
    return 0;
}

ls_status lsi_ts_count_error(rd *r, int truncated)
{
    unsigned long line = blame_line(r);
    size_t got, exp = blame_expected(r, line, &got);
    if (truncated)
        return lsi_ts_fail_at(
            r, r->rl[r->nl - 1],
            "incomplete data: the frequency at line %lu has %zu of the %zu values of a "
            "%u-port record (truncated file?)",
            r->rl[0], r->rc, r->need, r->n);
    if (exp)
        return lsi_ts_fail_at(
            r, line,
            "wrong number of values: %zu on this line, %zu expected (%u-port data: "
            "%zu values per frequency)",
            got, exp, r->n, r->need);
    return lsi_ts_fail_at(
        r, line,
        "wrong number of values: the record from line %lu has more than the %zu values "
        "per frequency of a %u-port file",
        r->rl[0], r->need, r->n);
}

static double complex pair(const rd *r, double a, double b)
{
    switch (r->fmt) {
    case FMT_RI: return a + I * b;
    case FMT_DB: return pow(10.0, a / 20.0) * cexp(I * b * (M_PI / 180.0));
    default: return a * cexp(I * b * (M_PI / 180.0));
    }
}

static ls_status commit_record(rd *r)
{
    ls_touchstone *t = r->t;
    const unsigned n = r->n;
    double f = r->rec[0] * r->unit;
    if (f < 0)
        return lsi_ts_fail_at(r, r->rl[0], "negative frequency %g Hz", f);
    if (!isfinite(f))
        return lsi_ts_fail_at(r, r->rl[0], "frequency %g overflows once scaled to Hz", r->rec[0]);
    if (!(f <= LSI_TS_FMAX_HZ))
        return lsi_ts_fail_at(r, r->rl[0], "frequency %g Hz is above %g Hz (no channel is measured there)", f,
                              LSI_TS_FMAX_HZ);
    if (t->k && !(f > t->f[t->k - 1]))
        return lsi_ts_fail_at(r, r->rl[0],
                              "frequency %.10g Hz is not above the previous one (%.10g Hz)", f,
                              t->f[t->k - 1]);
    if (t->k && f - t->f[t->k - 1] < LSI_TS_MIN_STEP_HZ)
        return lsi_ts_fail_at(r, r->rl[0],
                              "frequency step %.3g Hz from the previous point is below %g Hz (no instrument "
                              "resolves it)",
                              f - t->f[t->k - 1], LSI_TS_MIN_STEP_HZ);
    if (t->k == r->t_cap) {
        size_t nc = r->t_cap ? 2 * r->t_cap : 256;
        double *nf = realloc(t->f, nc * sizeof *nf);
        if (!nf)
            return LS_ENOMEM;
        t->f = nf;
        double complex *ns = realloc(t->s, nc * (size_t)n * n * sizeof *ns);
        if (!ns)
            return LS_ENOMEM;
        t->s = ns;
        r->t_cap = nc;
    }
    t->f[t->k] = f;
    double complex *s = t->s + t->k * (size_t)n * n;
    const double *v = r->rec + 1;
    if (n == 2 && r->matrix == MAT_FULL) {
        double complex p0 = pair(r, v[0], v[1]), p1 = pair(r, v[2], v[3]);
        double complex p2 = pair(r, v[4], v[5]), p3 = pair(r, v[6], v[7]);
        s[0] = p0;
        s[3] = p3;
        if (r->order_12_21) {
            s[1] = p1;
            s[2] = p2;
        } else {
            s[2] = p1;
            s[1] = p2;
        }
    } else if (r->matrix == MAT_FULL) {
        for (size_t q = 0; q < (size_t)n * n; q++)
            s[q] = pair(r, v[2 * q], v[2 * q + 1]);
    } else {
        size_t q = 0;
        for (unsigned i = 0; i < n; i++) {
            unsigned j0 = r->matrix == MAT_LOWER ? 0 : i, j1 = r->matrix == MAT_LOWER ? i + 1 : n;
            for (unsigned j = j0; j < j1; j++, q++) {
                double complex x = pair(r, v[2 * q], v[2 * q + 1]);
                s[(size_t)i * n + j] = x;
                s[(size_t)j * n + i] = x;
            }
        }
    }
    for (size_t q = 0; q < (size_t)n * n; q++)
        if (!(cabs(s[q]) <= LSI_TS_MAX_ABS_S))
            return lsi_ts_fail_at(r, r->rl[0], "S-parameter magnitude %g is not a channel's (above %g, or not finite "
                                  "once converted)", cabs(s[q]), LSI_TS_MAX_ABS_S);
    t->k++;
    r->rc = 0;
    r->nl = 0;
    return LS_OK;
}

/* A data line (numbers only). */
ls_status lsi_ts_data_line(rd *r, const char *p, const char *end)
{
    const char *a, *b, *why;
    size_t nv = 0;
    while (lsi_ts_next_tok(&p, end, &a, &b)) {
        if (nv == r->lv_cap) {
            size_t nc = r->lv_cap ? 2 * r->lv_cap : 64;
            double *x = realloc(r->lv, nc * sizeof *x);
            if (!x)
                return LS_ENOMEM;
            r->lv = x;
            r->lv_cap = nc;
        }
        if (lsi_ts_parse_num(a, b, &r->lv[nv], &why))
            return lsi_ts_fail_at(r, r->line, "%s '%.*s'", why, (int)(b - a > 40 ? 40 : b - a), a);
        nv++;
    }
    if (!nv)
        return LS_OK;
    if (r->ref_pending) { /* v2 [Reference] continued */
        for (size_t i = 0; i < nv; i++) {
            if (!r->ref_pending)
                return lsi_ts_fail_at(r, r->line, "too many [Reference] values (%u ports)", r->n);
            if (!(r->lv[i] > 0))
                return lsi_ts_fail_at(r, r->line, "[Reference] impedance must be > 0");
            r->ref[r->ref_got++] = r->lv[i];
            r->ref_pending--;
        }
        return LS_OK;
    }
    if (r->version == 2 && !r->in_data)
        return lsi_ts_fail_at(r, r->line, "data outside [Network Data]");
    if (!r->n)
        return lsi_ts_fail_at(r, r->line, "number of ports unknown");
    if (r->rc == 0 && r->version == 1 && r->n == 2 && nv == 5 && r->t->k &&
        r->lv[0] * r->unit <= r->t->f[r->t->k - 1]) {
        r->data_done = 1; /* v1 2-port noise parameters follow the network data */
        return LS_OK;
    }
    r->last_data_line = r->line;
    r->rl[r->nl] = r->line;
    r->rn[r->nl] = nv;
    r->nl++;
    for (size_t i = 0; i < nv; i++) {
        if (r->rc == r->need)
            return lsi_ts_count_error(r, 0);
        r->rec[r->rc++] = r->lv[i];
    }
    if (r->rc == r->need)
        return commit_record(r);
    if (r->nl == r->need) /* more lines than values: cannot happen with nv >= 1 */
        return lsi_ts_count_error(r, 0);
    return LS_OK;
}

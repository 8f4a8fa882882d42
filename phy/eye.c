/*
 * Eye diagram: 2-UI density histogram and per-sub-eye height and width (docs/eye.md).
 *
 * Accumulation: counts[col][row], row = trunc((x - v_min) / bw) over 0..n_bins-1. The sample is
 * first clamped to [v_min, centre of the last row] (two branch-free min/max; NaN goes to v_min),
 * then scaled by a precomputed 1/bw. The column walk is split into runs that end at the wrap, so
 * the inner loop has no column test.
 *
 * Measurement treats each bin as uniformly filled, which makes every cloud's CDF piecewise
 * linear in voltage: a bin straddling a threshold is split in proportion, and the hit-ratio
 * quantiles (the inner edges) interpolate linearly inside their bin. This is the hit-ratio
 * ("eye contour") reading of a sampled eye used by oscilloscope eye measurements, read
 * directly from the counts, with no statistical extrapolation to lower probabilities.
 *
 * Width is measured along the threshold: margin(c) = min(U(c) - th, th - L(c)), the distance
 * from the threshold to the nearer inner edge. Walking away from the sampling column, the eye
 * closes where the margin falls to half a bin (the vertical resolution), interpolated linearly
 * between columns. A clean edge moving more than a bin per column can jump across the threshold
 * between two columns without leaving a sample near it; such a crossing is predicted from the
 * edge's speed over the last two columns (linear extrapolation into the gap).
 */
#include "lanesim/eye.h"

#include <math.h>
#include <string.h>

#include "ls_internal.h"

struct ls_eye {
    unsigned sps;                     /* samples per UI */
    unsigned n_cols;                  /* 2 * sps */
    unsigned n_bins;                  /* rows */
    unsigned levels;                  /* PAM-M */
    double v_min;                     /* bottom of row 0 (V) */
    double v_max;                     /* top of the last row (V) */
    double bw;                        /* bin width (V) */
    double inv_bw;                    /* 1 / bw */
    double v_top;                     /* centre of the last row: the upper clamp of a sample (V) */
    double top;                       /* n_bins - 1, the clamp for a row index */
    double th[LS_EYE_MAX_LEVELS - 1]; /* thresholds (V) */
    double hit_ratio;                 /* contour quantile */
    uint64_t samples;                 /* samples since create/reset */
    uint64_t *counts;                 /* [n_cols][n_bins] */
};

/* One cloud (the samples of one region in one column). */
typedef struct {
    double n;    /* weight: samples, straddling bins counted in proportion */
    double edge; /* inner edge (V) */
    double mean; /* mean (V) */
} cloud;

void ls_eye_config_init(ls_eye_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_eye_config){.sps = 32u,
                           .n_bins = 256u,
                           .v_min = -1.5,
                           .v_max = 1.5,
                           .levels = 4u,
                           .thresholds = {-2.0 / 3.0, 0.0, 2.0 / 3.0},
                           .hit_ratio = 1e-4};
}

static int config_ok(const ls_eye_config *cfg)
{
    if (!cfg || cfg->sps < 1u || cfg->sps > LS_EYE_MAX_SPS || cfg->n_bins < 16u ||
        cfg->n_bins > 4096u || cfg->levels < 2u || cfg->levels > LS_EYE_MAX_LEVELS)
        return 0;
    if (!isfinite(cfg->v_min) || !isfinite(cfg->v_max) || !(cfg->v_min < cfg->v_max))
        return 0;
    if (!isfinite(cfg->v_max - cfg->v_min))
        return 0;
    double prev = cfg->v_min;
    for (unsigned i = 0; i + 1u < cfg->levels; i++) {
        if (!(cfg->thresholds[i] > prev))
            return 0;
        prev = cfg->thresholds[i];
    }
    if (!(prev < cfg->v_max))
        return 0;
    return cfg->hit_ratio >= 0.0 && cfg->hit_ratio < 0.5;
}

ls_eye *ls_eye_create(const ls_eye_config *cfg, ls_status *err)
{
    ls_status st = LS_EINVAL;
    ls_eye *q = NULL;
    if (!config_ok(cfg))
        goto fail;
    st = LS_ENOMEM;
    if (!(q = ls_alloc(sizeof *q)))
        goto fail;
    *q = (struct ls_eye){.sps = cfg->sps,
                         .n_cols = 2u * cfg->sps,
                         .n_bins = cfg->n_bins,
                         .levels = cfg->levels,
                         .v_min = cfg->v_min,
                         .v_max = cfg->v_max,
                         .bw = (cfg->v_max - cfg->v_min) / cfg->n_bins,
                         .inv_bw = cfg->n_bins / (cfg->v_max - cfg->v_min),
                         .v_top = cfg->v_max - 0.5 * (cfg->v_max - cfg->v_min) / cfg->n_bins,
                         .top = (double)(cfg->n_bins - 1u),
                         .hit_ratio = cfg->hit_ratio};
    for (unsigned i = 0; i + 1u < cfg->levels; i++)
        q->th[i] = cfg->thresholds[i];
    if (!(q->counts = ls_alloc_n((size_t)q->n_cols * q->n_bins, sizeof *q->counts)))
        goto fail;
    if (err)
        *err = LS_OK;
    return q;
fail:
    ls_eye_destroy(q);
    if (err)
        *err = st;
    return NULL;
}

ls_status ls_eye_add(ls_eye *q, const float *x, size_t n, unsigned col0)
{
    if (!q || (!x && n) || col0 >= q->n_cols)
        return LS_EINVAL;
    const size_t nb = q->n_bins;
    const double v_min = q->v_min, v_top = q->v_top, inv_bw = q->inv_bw;
    unsigned col = col0;
    size_t i = 0;
    while (i < n) {
        size_t run = LS_MIN(n - i, (size_t)(q->n_cols - col));
        uint64_t *c = q->counts + (size_t)col * nb;
        const float *xs = x + i;
        for (size_t k = 0; k < run; k++, c += nb) {
            double v = xs[k];
            v = v > v_min ? v : v_min; /* maxsd: NaN -> v_min */
            v = v < v_top ? v : v_top; /* minsd */
            c[(int)((v - v_min) * inv_bw)]++;
        }
        i += run;
        col = 0u;
    }
    q->samples += n;
    return LS_OK;
}

ls_status ls_eye_merge(ls_eye *dst, const ls_eye *src)
{
    if (!dst || !src || dst->sps != src->sps || dst->n_bins != src->n_bins ||
        dst->v_min != src->v_min || dst->v_max != src->v_max)
        return LS_EINVAL;
    size_t total = (size_t)dst->n_cols * dst->n_bins;
    for (size_t k = 0; k < total; k++)
        dst->counts[k] += src->counts[k];
    dst->samples += src->samples;
    return LS_OK;
}

ls_status ls_eye_reset(ls_eye *q)
{
    if (!q)
        return LS_EINVAL;
    memset(q->counts, 0, (size_t)q->n_cols * q->n_bins * sizeof *q->counts);
    q->samples = 0;
    return LS_OK;
}

/* Row holding voltage v, clamped to the histogram (infinities go to the edge rows). */
static unsigned row_of(const ls_eye *q, double v)
{
    double t = (v - q->v_min) * q->inv_bw;
    t = t > 0.0 ? t : 0.0;
    t = t < q->top ? t : q->top;
    return (unsigned)t;
}

/*
 * Part of row j inside the region [lo, hi): sets [*pl, *ph) and returns its share of the bin
 * (0 when the overlap is empty or a rounding sliver). Clamped samples are taken to lie inside
 * their edge row like any other.
 */
static double part_of(const ls_eye *q, unsigned j, double lo, double hi, double *pl, double *ph)
{
    double bl = q->v_min + j * q->bw, bh = q->v_min + (j + 1u) * q->bw;
    double a = bl > lo ? bl : lo, b = bh < hi ? bh : hi;
    if (b - a <= 1e-9 * q->bw)
        return 0.0;
    *pl = a;
    *ph = b;
    return (b - a) * q->inv_bw;
}

/*
 * The cloud of region [lo, hi) in one column: weight, mean, and the inner edge, i.e. the
 * quantile that leaves a fraction `ratio` of the weight on the inner side. from_below: the inner
 * side is the bottom (upper cloud, edge = ratio quantile); otherwise the top (lower cloud,
 * edge = 1 - ratio quantile). Empty cloud: n = 0, edge = NaN, mean = NaN.
 */
static cloud measure_cloud(const ls_eye *q, const uint64_t *h, double lo, double hi, int from_below)
{
    cloud c = {0.0, NAN, NAN};
    unsigned j0 = row_of(q, lo), j1 = row_of(q, hi);
    double sum = 0.0, pl = 0.0, ph = 0.0;
    for (unsigned j = j0; j <= j1; j++) {
        if (!h[j])
            continue;
        double f = part_of(q, j, lo, hi, &pl, &ph);
        c.n += (double)h[j] * f;
        sum += (double)h[j] * f * 0.5 * (pl + ph);
    }
    if (!(c.n > 0.0))
        return c;
    c.mean = sum / c.n;
    double target = q->hit_ratio * c.n, acc = 0.0;
    for (unsigned k = 0; k <= j1 - j0; k++) {
        unsigned j = from_below ? j0 + k : j1 - k;
        if (!h[j])
            continue;
        double w = (double)h[j] * part_of(q, j, lo, hi, &pl, &ph);
        if (!(w > 0.0))
            continue;
        double frac = (target - acc) / w;
        if (frac <= 1.0) {
            frac = frac > 0.0 ? frac : 0.0;
            c.edge = from_below ? pl + frac * (ph - pl) : ph - frac * (ph - pl);
            return c;
        }
        acc += w;
        c.edge = from_below ? ph : pl; /* rounding fallback: the far end */
    }
    return c;
}

/* Region bounds of sub-eye i's two clouds: lower [lo, th), upper [th, hi). */
static void eye_bounds(const ls_eye *q, unsigned i, double *lo, double *th, double *hi)
{
    *lo = i > 0u ? q->th[i - 1u] : -HUGE_VAL;
    *th = q->th[i];
    *hi = i + 2u < q->levels ? q->th[i + 1u] : HUGE_VAL;
}

/* Distances (V) from the threshold to the two inner edges in one column; `range` when empty. */
typedef struct {
    double u; /* U - th */
    double l; /* th - L */
} margins;

/*
 * Columns (0..1) after the column with margin m1 at which an edge, moving linearly from margin
 * m0 one column earlier to m1, reaches g; INFINITY if it does not within one column or either
 * column has no cloud.
 */
static double approach(double m0, double m1, double g, double range)
{
    double v = m0 - m1;
    if (!(m0 < range && m1 < range && v > 0.0 && m1 - g < v))
        return INFINITY;
    return (m1 - g) / v;
}

/*
 * Closure offset (columns, > 0) walking from the sampling column in direction dir (+1 / -1) over
 * the periodic margins mg[2 * sps]: the first point where an edge comes within g = bw/2 of the
 * threshold, either seen in a column (interpolated linearly from the previous one) or predicted
 * inside the gap from the edge's speed over the last two columns (an edge fast enough to jump
 * across the threshold between two columns). Returns sps if the eye never closes. The margin at
 * the sampling column must exceed g.
 */
static double closure(const margins *mg, unsigned sps, int dir, double bw, double range)
{
    const int n_cols = 2 * (int)sps;
    const double g = 0.5 * bw;
#define AT(k) (&mg[((int)sps + 2 * n_cols + dir * (k)) % n_cols])
    for (int k = 0; k < (int)sps; k++) {
        const margins *p = AT(k - 1), *c = AT(k), *n = AT(k + 1);
        double mc = LS_MIN(c->u, c->l), mn = LS_MIN(n->u, n->l), best = INFINITY;
        if (mn <= g)
            best = k + (mc - g) / (mc - mn);
        best = LS_MIN(best, k + approach(p->u, c->u, g, range));
        best = LS_MIN(best, k + approach(p->l, c->l, g, range));
        if (best <= k + 1)
            return best;
    }
#undef AT
    return (double)sps;
}

ls_status ls_eye_measure(const ls_eye *q, ls_eye_metrics *m)
{
    if (!q || !m)
        return LS_EINVAL;
    memset(m, 0, sizeof *m);
    m->n_eyes = q->levels - 1u;
    m->samples = q->samples;
    const double range = q->v_max - q->v_min;
    margins mg[2 * LS_EYE_MAX_SPS];
    for (unsigned i = 0; i < m->n_eyes; i++) {
        ls_eye_opening *e = &m->eye[i];
        double lo, th, hi;
        eye_bounds(q, i, &lo, &th, &hi);
        const uint64_t *hs = q->counts + (size_t)q->sps * q->n_bins;
        cloud cl = measure_cloud(q, hs, lo, th, 0), cu = measure_cloud(q, hs, th, hi, 1);
        e->level_lo_v = cl.mean;
        e->level_hi_v = cu.mean;
        if (!(cl.n > 0.0) || !(cu.n > 0.0)) {
            e->center_v = th;
            continue;
        }
        double height = cu.edge - cl.edge;
        e->height_v = height > 0.0 ? height : 0.0;
        e->center_v = 0.5 * (cu.edge + cl.edge);
        for (unsigned c = 0; c < q->n_cols; c++) {
            const uint64_t *h = q->counts + (size_t)c * q->n_bins;
            cloud a = measure_cloud(q, h, lo, th, 0), b = measure_cloud(q, h, th, hi, 1);
            mg[c].u = b.n > 0.0 ? LS_MIN(b.edge - th, range) : range;
            mg[c].l = a.n > 0.0 ? LS_MIN(th - a.edge, range) : range;
        }
        if (LS_MIN(mg[q->sps].u, mg[q->sps].l) <= 0.5 * q->bw)
            continue;
        double right = closure(mg, q->sps, 1, q->bw, range);
        double left = closure(mg, q->sps, -1, q->bw, range);
        e->width_ui = (right + left) / q->sps;
    }
    return LS_OK;
}

const uint64_t *ls_eye_histogram(const ls_eye *q, unsigned *cols, unsigned *rows)
{
    if (cols)
        *cols = q ? q->n_cols : 0u;
    if (rows)
        *rows = q ? q->n_bins : 0u;
    return q ? q->counts : NULL;
}

double ls_eye_bin_voltage(const ls_eye *q, unsigned row)
{
    if (!q || row >= q->n_bins)
        return NAN;
    return q->v_min + (row + 0.5) * q->bw;
}

void ls_eye_destroy(ls_eye *q)
{
    if (!q)
        return;
    ls_free(q->counts);
    ls_free(q);
}

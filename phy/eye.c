/*
 * Eye diagram: a 2-UI density histogram per transmitted level, and per-sub-eye height and width at
 * a stated BER (docs/eye.md; the same definition as the statistical eye, phy/stateye).
 *
 * Accumulation: counts[level][col][row], row = trunc((x - v_min) / bw) over 0..n_bins-1. The sample
 * is first clamped to [v_min, centre of the last row] (two branch-free min/max; NaN goes to v_min),
 * then scaled by a precomputed 1/bw. A symbol's row of sps samples (ls_eye_add_rows) lands in the
 * columns around column sps (even symbols) or around column 0 (odd symbols), in at most two runs.
 *
 * Measurement, sub-eye e between levels e and e+1, at each phase o of the UI around the decision
 * instant (columns sps + o and o, mod 2 sps, together: every symbol counts):
 *     L(o): P(y >= L | level e) = p,   U(o): P(y < U | level e+1) = p,   p = 2 log2(M) BER_eye,
 * the same contour as phy/stateye. Each inner tail is read on the Q scale: the empirical CDF F at
 * the bin boundaries, y = Phi^-1(F) over F in [max(p, 5/N), max(0.1, 4 max(p, 5/N))], fitted by
 * weighted least squares with a straight line (a Gaussian tail; weights N phi(y)^2 / (F (1 - F)),
 * the inverse variance of Phi^-1 of a binomial proportion), and the line read at Phi^-1(p). With
 * enough samples (N p >= 5) the fit ends at p itself and interpolates; with fewer it extrapolates
 * the measured tail, so the opening does not shrink as more symbols are simulated. A tail with
 * fewer than two points in that range (a noiseless level in one or two bins) is read directly:
 * the p-quantile with each bin uniformly filled. height(o) = U(o) - L(o), signed.
 * height_v = max(0, height(0)); the width is the span of phases around 0 where height > 0, walked
 * out from 0 to the first closed phase and interpolated linearly there, each side capped at half
 * a UI (so width <= 1 UI by construction).
 * Confidence: the fitted edge's standard error from the fit's covariance (scaled by the reduced
 * chi-square when above 1, and by the number of points, since cumulative points are correlated).
 */
#include "lanesim/eye.h"

#include <math.h>
#include <string.h>

#include "lanesim/stats.h"
#include "ls_internal.h"

#define TAIL_MIN_COUNT 5.0 /* samples below the first fitted point */
#define TAIL_SPAN 4.0      /* the fit spans F_lo .. max(0.1, 4 F_lo) */

struct ls_eye {
    unsigned sps;                     /* samples per UI */
    unsigned n_cols;                  /* 2 * sps */
    unsigned n_bins;                  /* rows */
    unsigned levels;                  /* PAM-M */
    unsigned h;                       /* sps / 2: a row's decision instant */
    double v_min;                     /* bottom of row 0 (V) */
    double v_max;                     /* top of the last row (V) */
    double bw;                        /* bin width (V) */
    double inv_bw;                    /* 1 / bw */
    double v_top;                     /* centre of the last row: the upper clamp of a sample (V) */
    double th[LS_EYE_MAX_LEVELS - 1]; /* thresholds (V) */
    double target_ber;                /* BER of the contour */
    double p;                         /* per-level tail probability 2 log2(M) target_ber */
    uint64_t samples;                 /* samples since create/reset */
    uint64_t *counts;                 /* [levels][n_cols][n_bins] */
    uint64_t *sum;                    /* [n_cols][n_bins]: all levels, for ls_eye_histogram */
};

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
                           .target_ber = 2.4e-4};
}

static unsigned log2u(unsigned m)
{
    unsigned b = 0;
    while ((1u << (b + 1u)) <= m)
        b++;
    return b;
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
    return cfg->target_ber >= 1e-300 && 2.0 * log2u(cfg->levels) * cfg->target_ber < 0.5;
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
                         .h = cfg->sps / 2u,
                         .v_min = cfg->v_min,
                         .v_max = cfg->v_max,
                         .bw = (cfg->v_max - cfg->v_min) / cfg->n_bins,
                         .inv_bw = cfg->n_bins / (cfg->v_max - cfg->v_min),
                         .v_top = cfg->v_max - 0.5 * (cfg->v_max - cfg->v_min) / cfg->n_bins,
                         .target_ber = cfg->target_ber,
                         .p = 2.0 * log2u(cfg->levels) * cfg->target_ber};
    for (unsigned i = 0; i + 1u < cfg->levels; i++)
        q->th[i] = cfg->thresholds[i];
    const size_t plane = (size_t)q->n_cols * q->n_bins;
    if (!(q->counts = ls_alloc_n(plane * q->levels, sizeof *q->counts)) ||
        !(q->sum = ls_alloc_n(plane, sizeof *q->sum)))
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

static inline size_t row_index(const ls_eye *q, double v)
{
    v = v > q->v_min ? v : q->v_min; /* maxsd: NaN -> v_min */
    v = v < q->v_top ? v : q->v_top; /* minsd */
    return (size_t)((v - q->v_min) * q->inv_bw);
}

ls_status ls_eye_add(ls_eye *q, const float *x, size_t n, unsigned col0)
{
    if (!q || (!x && n) || col0 >= q->n_cols)
        return LS_EINVAL;
    const size_t nb = q->n_bins, plane = (size_t)q->n_cols * nb;
    unsigned col = col0;
    for (size_t i = 0; i < n; i++) {
        const double v = x[i];
        unsigned lv = 0;
        for (unsigned j = 0; j + 1u < q->levels; j++)
            lv += v >= q->th[j];
        q->counts[lv * plane + (size_t)col * nb + row_index(q, v)]++;
        col = col + 1u < q->n_cols ? col + 1u : 0u;
    }
    q->samples += n;
    return LS_OK;
}

ls_status ls_eye_add_rows(ls_eye *q, const float *x, const uint8_t *level, size_t n, uint64_t k0)
{
    if (!q || (n && (!x || !level)))
        return LS_EINVAL;
    for (size_t r = 0; r < n; r++)
        if (level[r] >= q->levels)
            return LS_EINVAL;
    const size_t nb = q->n_bins, plane = (size_t)q->n_cols * nb;
    const unsigned sps = q->sps, h = q->h;
    for (size_t r = 0; r < n; r++) {
        const float *xs = x + r * sps;
        uint64_t *base = q->counts + level[r] * plane;
        /* even symbols: columns sps - h .. 2 sps - h - 1; odd: 2 sps - h .. 2 sps - 1, then 0 .. sps - h - 1 */
        const int odd = (int)((k0 + r) & 1u);
        unsigned c0 = odd ? q->n_cols - h : sps - h, run1 = odd ? h : sps;
        uint64_t *c = base + (size_t)c0 * nb;
        for (unsigned j = 0; j < run1; j++, c += nb)
            c[row_index(q, xs[j])]++;
        c = base;
        for (unsigned j = run1; j < sps; j++, c += nb)
            c[row_index(q, xs[j])]++;
    }
    q->samples += (uint64_t)n * sps;
    return LS_OK;
}

ls_status ls_eye_merge(ls_eye *dst, const ls_eye *src)
{
    if (!dst || !src || dst->sps != src->sps || dst->n_bins != src->n_bins ||
        dst->levels != src->levels || dst->v_min != src->v_min || dst->v_max != src->v_max)
        return LS_EINVAL;
    size_t total = (size_t)dst->n_cols * dst->n_bins * dst->levels;
    for (size_t k = 0; k < total; k++)
        dst->counts[k] += src->counts[k];
    dst->samples += src->samples;
    return LS_OK;
}

ls_status ls_eye_reset(ls_eye *q)
{
    if (!q)
        return LS_EINVAL;
    memset(q->counts, 0, (size_t)q->n_cols * q->n_bins * q->levels * sizeof *q->counts);
    q->samples = 0;
    return LS_OK;
}

/* One level's distribution at one phase: the two columns' counts (a + b), read from its inner tail. */
typedef struct {
    double n;     /* samples */
    double mean;  /* V; NaN if empty */
    double edge;  /* V: the contour; NaN if empty */
    double var;   /* variance of the edge estimate (V^2) */
} tail;

typedef struct {
    double s, sx, sy, sxx, sxy, x0; /* weighted sums, x relative to x0 */
    unsigned n;
    double px[512], py[512], pw[512]; /* the points, for the residual */
} fit;

static void fit_add(fit *f, double x, double y, double w)
{
    if (!f->n)
        f->x0 = x;
    x -= f->x0;
    f->s += w, f->sx += w * x, f->sy += w * y, f->sxx += w * x * x, f->sxy += w * x * y;
    if (f->n < 512u)
        f->px[f->n] = x, f->py[f->n] = y, f->pw[f->n] = w;
    f->n++;
}

/* The fitted line y = a + b (u - x0) read at y = yp: u and its variance; 0 if the fit is unusable. */
static int fit_read(const fit *f, double yp, double *u, double *var)
{
    const double d = f->s * f->sxx - f->sx * f->sx;
    if (f->n < 2u || !(d > 0.0))
        return 0;
    const double b = (f->s * f->sxy - f->sx * f->sy) / d, a = (f->sy - b * f->sx) / f->s;
    if (!(b > 0.0))
        return 0;
    const double x = (yp - a) / b;
    double chi2 = 0.0;
    const unsigned np = LS_MIN(f->n, 512u);
    for (unsigned i = 0; i < np; i++) {
        double r = f->py[i] - a - b * f->px[i];
        chi2 += f->pw[i] * r * r;
    }
    double s2 = f->n > 2u ? LS_MAX(1.0, chi2 / (f->n - 2u)) : 1.0;
    s2 *= f->n;
    const double va = s2 * f->sxx / d, vb = s2 * f->s / d, cab = -s2 * f->sx / d;
    *u = f->x0 + x;
    *var = (va + 2.0 * x * cab + x * x * vb) / (b * b);
    return 1;
}

/*
 * The contour of the distribution a + b (n_bins counts each): from_below, U with P(y < U) = p (the
 * lower tail of the upper level); otherwise L with P(y >= L) = p. Worked in u = +-v so that the
 * tail always runs upwards from the first bin walked.
 */
static tail read_tail(const ls_eye *q, const uint64_t *a, const uint64_t *b, int from_below)
{
    tail t = {0.0, NAN, NAN, 0.0};
    const unsigned nb = q->n_bins;
    double sum = 0.0;
    for (unsigned j = 0; j < nb; j++) {
        double c = (double)(a[j] + b[j]);
        t.n += c;
        sum += c * (q->v_min + (j + 0.5) * q->bw);
    }
    if (!(t.n > 0.0))
        return t;
    t.mean = sum / t.n;
    const double p = q->p, f_lo = LS_MAX(p, TAIL_MIN_COUNT / t.n);
    const double f_hi = LS_MIN(0.5, LS_MAX(0.1, TAIL_SPAN * f_lo));
    const double sgn = from_below ? 1.0 : -1.0;
    fit f;
    f.s = f.sx = f.sy = f.sxx = f.sxy = f.x0 = 0.0;
    f.n = 0;
    double acc = 0.0, emp = NAN;
    for (unsigned k = 0; k < nb; k++) {
        const unsigned j = from_below ? k : nb - 1u - k;
        const double c = (double)(a[j] + b[j]);
        if (c <= 0.0)
            continue;
        const double lo = sgn * (from_below ? q->v_min + j * q->bw : q->v_min + (j + 1u) * q->bw);
        if (isnan(emp) && acc + c >= p * t.n)
            emp = lo + (p * t.n - acc) / c * q->bw; /* bin uniformly filled */
        acc += c;
        const double F = acc / t.n;
        if (F > f_hi)
            break;
        if (F >= f_lo) {
            const double y = -ls_qinv(F), phi = exp(-0.5 * y * y) / sqrt(2.0 * M_PI);
            fit_add(&f, lo + q->bw, y, t.n * phi * phi / (F * (1.0 - F)));
        }
    }
    double u, var;
    if (fit_read(&f, -ls_qinv(p), &u, &var)) {
        t.edge = sgn * u;
        t.var = var;
    } else {
        t.edge = sgn * emp;
        t.var = q->bw * q->bw / 12.0;
    }
    return t;
}

/* Level lv's counts at phase o (samples from the decision instant, -h..sps-1-h): both columns. */
static void phase_columns(const ls_eye *q, unsigned lv, int o, const uint64_t **a, const uint64_t **b)
{
    const size_t nb = q->n_bins, plane = (size_t)q->n_cols * nb;
    const int n = (int)q->n_cols;
    *a = q->counts + lv * plane + (size_t)(((int)q->sps + o + n) % n) * nb;
    *b = q->counts + lv * plane + (size_t)((o + n) % n) * nb;
}

/* Sub-eye e at phase o: signed height U - L (NaN if a level is missing), and the tails. */
static double height_at(const ls_eye *q, unsigned e, int o, tail *lo, tail *hi)
{
    const uint64_t *a, *b;
    phase_columns(q, e, o, &a, &b);
    *lo = read_tail(q, a, b, 0);
    phase_columns(q, e + 1u, o, &a, &b);
    *hi = read_tail(q, a, b, 1);
    return hi->edge - lo->edge;
}

/* Columns (0 .. sps/2) from the decision instant to the closure in direction dir, from the signed
   heights hs[0..sps) (index j = phase + h); sps/2 if the eye stays open to the end of the UI. */
static double closure(const double *hs, unsigned sps, unsigned h, int dir)
{
    int prev = (int)h;
    for (int j = (int)h + dir; j >= 0 && j < (int)sps; j += dir) {
        if (!(hs[j] > 0.0)) {
            double f = isnan(hs[j]) ? 0.0 : hs[prev] / (hs[prev] - hs[j]);
            return LS_MIN(0.5 * sps, fabs((double)(prev - (int)h)) + f);
        }
        prev = j;
    }
    return 0.5 * sps;
}

ls_status ls_eye_measure(const ls_eye *q, ls_eye_metrics *m)
{
    if (!q || !m)
        return LS_EINVAL;
    memset(m, 0, sizeof *m);
    m->n_eyes = q->levels - 1u;
    m->samples = q->samples;
    m->target_ber = q->target_ber;
    m->probability = q->p;
    double hs[LS_EYE_MAX_SPS];
    for (unsigned i = 0; i < m->n_eyes; i++) {
        ls_eye_opening *e = &m->eye[i];
        tail lo, hi;
        double h0 = height_at(q, i, 0, &lo, &hi);
        e->level_lo_v = lo.mean;
        e->level_hi_v = hi.mean;
        if (isnan(h0)) {
            e->center_v = q->th[i];
            continue;
        }
        e->height_v = LS_MAX(0.0, h0);
        e->height_sigma_v = sqrt(lo.var + hi.var);
        e->center_v = 0.5 * (hi.edge + lo.edge);
        if (!(h0 > 0.0))
            continue;
        for (unsigned j = 0; j < q->sps; j++) {
            tail a, b;
            hs[j] = j == q->h ? h0 : height_at(q, i, (int)j - (int)q->h, &a, &b);
        }
        e->width_ui = (closure(hs, q->sps, q->h, 1) + closure(hs, q->sps, q->h, -1)) / q->sps;
    }
    return LS_OK;
}

const uint64_t *ls_eye_histogram(const ls_eye *q, unsigned *cols, unsigned *rows)
{
    if (cols)
        *cols = q ? q->n_cols : 0u;
    if (rows)
        *rows = q ? q->n_bins : 0u;
    if (!q)
        return NULL;
    const size_t plane = (size_t)q->n_cols * q->n_bins;
    memcpy(q->sum, q->counts, plane * sizeof *q->sum);
    for (unsigned lv = 1; lv < q->levels; lv++)
        for (size_t k = 0; k < plane; k++)
            q->sum[k] += q->counts[lv * plane + k];
    return q->sum;
}

const uint64_t *ls_eye_level_histogram(const ls_eye *q, unsigned level)
{
    if (!q || level >= q->levels)
        return NULL;
    return q->counts + (size_t)level * q->n_cols * q->n_bins;
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
    ls_free(q->sum);
    ls_free(q);
}

/*
 * Statistical eye: the phase grid (pipeline steps 1-3 of stateye.c; docs/statistical.md, "Model",
 * "ISI distribution" and "Jitter").
 *
 *  1. grid g*h, h = 1/(R sps) UI, over the output phases and the jitter reach (R and the reach
 *     from stateye_jitter.c); per grid phase h0(phi) = p(main + phi sps) and
 *     c_j(phi) = p(main + phi sps + j sps), p linear between samples, DFE residuals
 *     c_j - dfe[j-1] for j = 1..n_dfe;
 *  2. one bin width w for every phase: from w = S_max / c0, enlarged until every phase's support
 *     provably fits (a kept cursor widens it by at most floor(|c|/w) + 1 bins per side);
 *  3. per phase the ISI PMF X = sum_j c_j v(a_{k-j}) as the convolution of each cursor's PMF
 *     {c_j v_i w.p. 1/M} (IEEE 802.3 Annex 93A, 93A-26/27/45; the per-phase ISI PDF of StatEye,
 *     Casper et al. 2002), cursors in increasing |c|, each delta split (1 - f, f) over two bins;
 *     sigma_e^2 = sigma^2 + sum_skipped c^2 E[v^2] - sum_placed (1/M) sum_i f (1 - f) w^2;
 *     and ser_eye[e] = (P(y >= t_e | e) + P(y < t_e | e+1)) / M at the fixed thresholds.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lanesim/pam.h"
#include "ls_internal.h"
#include "stateye_internal.h"

/* Floor division and modulo for a positive divisor. */
static long se_fdiv(long a, long b)
{
    long q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Pulse at sample position i0 + f (0 <= f < 1), linear between samples, zero outside. */
static double se_pulse_at(const ls_stateye_config *c, long i0, double f)
{
    const long n = (long)c->n_pulse;
    const double a = (i0 >= 0 && i0 < n) ? (double)c->pulse[i0] : 0.0;
    if (f == 0.0)
        return a;
    const double b = (i0 + 1 >= 0 && i0 + 1 < n) ? (double)c->pulse[i0 + 1] : 0.0;
    return (1.0 - f) * a + f * b;
}

void lsi_stateye_free(se_ctx *x)
{
    ls_free(x->cur);
    ls_free(x->h0);
    ls_free(x->pdf);
    ls_free(x->lo);
    ls_free(x->hi);
    ls_free(x->vex);
    ls_free(x->sig);
    ls_free(x->sere);
    ls_free(x->tmp);
    ls_free(x->srt);
    ls_free(x->pm);
    ls_free(x->mix);
    ls_free(x->vbuf);
}

static int se_cmp_abs(const void *a, const void *b)
{
    const double x = fabs(*(const double *)a), y = fabs(*(const double *)b);
    return (x > y) - (x < y);
}

/* ISI PMF of grid phase gi into x->pdf, its support and excess variance. */
static void se_build_pdf(se_ctx *x, long gi)
{
    const double w = x->w, inv_w = 1.0 / w, invM = 1.0 / x->M;
    double *out = x->pdf + (size_t)gi * x->nb;
    double *a = out, *b = x->tmp;
    long lo = x->c0, hi = x->c0;
    double vskip = 0.0, vplace = 0.0;
    memcpy(x->srt, x->cur + (size_t)gi * x->n_cur, x->n_cur * sizeof *x->srt);
    qsort(x->srt, x->n_cur, sizeof *x->srt, se_cmp_abs);
    a[lo] = 1.0;
    for (size_t j = 0; j < x->n_cur; j++) {
        const double c = x->srt[j];
        if (fabs(c) * x->lmax < SE_SKIP * w) { /* the same rule as se_bin_width's count */
            vskip += c * c * x->ev2;
            continue;
        }
        long sh[2 * LS_STATEYE_MAX_LEVELS] = {0};
        double wt[2 * LS_STATEYE_MAX_LEVELS] = {0};
        int ns = 0;
        for (unsigned i = 0; i < x->M; i++) {
            const double pos = c * x->lv[i] * inv_w;
            const double fl = floor(pos), f = pos - fl;
            const long n = (long)fl;
            vplace += f * (1.0 - f) * w * w * invM;
            for (int side = 0; side < 2; side++) {
                const long s = n + side;
                const double v = side ? f * invM : (1.0 - f) * invM;
                if (v == 0.0)
                    continue;
                int t = 0;
                while (t < ns && sh[t] != s)
                    t++;
                if (t == ns) {
                    sh[ns] = s;
                    wt[ns++] = 0.0;
                }
                wt[t] += v;
            }
        }
        if (ns == 0)
            continue;
        long smin = sh[0], smax = sh[0];
        for (int t = 1; t < ns; t++) {
            smin = LS_MIN(smin, sh[t]);
            smax = LS_MAX(smax, sh[t]);
        }
        const long nlo = lo + smin, nhi = hi + smax;
        memset(b + nlo, 0, (size_t)(nhi - nlo + 1) * sizeof *b);
        for (int t = 0; t < ns; t++) {
            double *restrict o = b + sh[t];
            const double *restrict in = a;
            const double v = wt[t];
            for (long k = lo; k <= hi; k++)
                o[k] += v * in[k];
        }
        double *sw = a;
        a = b;
        b = sw;
        lo = nlo;
        hi = nhi;
    }
    if (a != out)
        memcpy(out + lo, a + lo, (size_t)(hi - lo + 1) * sizeof *out);
    x->lo[gi] = lo;
    x->hi[gi] = hi;
    x->vex[gi] = vskip - vplace;
    x->sig[gi] = sqrt(LS_MAX(0.0, x->sn2 + x->vex[gi]));
}

/* The distribution of level l's sample (before noise) at grid phase gi. */
se_dist lsi_stateye_grid_dist(const se_ctx *x, long gi, unsigned l)
{
    return (se_dist){.p = x->pdf + (size_t)gi * x->nb,
                     .lo = x->lo[gi],
                     .hi = x->hi[gi],
                     .y0 = x->h0[gi] * x->lv[l] - (double)x->c0 * x->w,
                     .w = x->w,
                     .sigma = x->sig[gi]};
}

/* Level values, their moments, the thresholds and the noise variance. */
static ls_status se_levels(se_ctx *x, const ls_stateye_config *c)
{
    x->M = c->levels;
    x->bits = (double)ls_pam_bits(c->levels);
    if (c->level_values)
        memcpy(x->lv, c->level_values, c->levels * sizeof x->lv[0]);
    else if (ls_pam_levels(c->levels, c->rlm, x->lv) != LS_OK)
        return LS_EINVAL;
    x->lmax = 0.0;
    for (unsigned i = 0; i < x->M; i++) {
        x->ev2 += x->lv[i] * x->lv[i] / x->M;
        x->lmax = LS_MAX(x->lmax, fabs(x->lv[i])); /* 1 for ls_pam_levels */
    }
    x->h0n = (double)c->pulse[c->main_index];
    for (unsigned i = 0; i + 1 < x->M; i++)
        x->th[i] =
            c->thresholds ? (double)c->thresholds[i] : 0.5 * x->h0n * (x->lv[i] + x->lv[i + 1]);
    x->sn2 = c->sigma_noise * c->sigma_noise;
    return LS_OK;
}

/* Grid extent (the eye phases plus the jitter reach J, in grid steps), cursor index range and
 * bin count. */
static void se_extent(se_ctx *x, const ls_stateye_config *c, long J)
{
    x->jw = (long)(c->sps + 1) / 2;
    x->g0 = -x->jw * (long)x->R - J;
    x->n_grid = 2 * (x->jw * (long)x->R + J) + 1;

    /* Cursor index range over the whole grid (positions main + g/R). */
    const double xmin = (double)c->main_index + (double)x->g0 / x->R;
    const double xmax = (double)c->main_index - (double)x->g0 / x->R;
    x->jmin = (long)floor((-1.0 - xmax) / c->sps);
    x->jmax = LS_MAX((long)ceil(((double)c->n_pulse - xmin) / c->sps), (long)c->n_dfe);
    x->jmin = LS_MIN(x->jmin, -1L);
    x->jmax = LS_MAX(x->jmax, 1L);
    x->n_cur = (size_t)(x->jmax - x->jmin); /* j = 0 excluded */
    x->nb = c->n_bins;
    x->c0 = (long)(x->nb - 1) / 2;
}

/* The per-phase arrays, mixture and coarse-view scratch. */
static ls_status se_alloc(se_ctx *x)
{
    const size_t ng = (size_t)x->n_grid;
    x->cur = ls_alloc_n(ng * x->n_cur, sizeof *x->cur);
    x->h0 = ls_alloc_n(ng, sizeof *x->h0);
    x->pdf = ls_alloc_n(ng * x->nb, sizeof *x->pdf);
    x->lo = ls_alloc_n(ng, sizeof *x->lo);
    x->hi = ls_alloc_n(ng, sizeof *x->hi);
    x->vex = ls_alloc_n(ng, sizeof *x->vex);
    x->sig = ls_alloc_n(ng, sizeof *x->sig);
    x->sere = ls_alloc_n(ng * (x->M - 1), sizeof *x->sere);
    x->tmp = ls_alloc_n(x->nb, sizeof *x->tmp);
    x->srt = ls_alloc_n(x->n_cur, sizeof *x->srt);
    x->pm = ls_alloc_n(ng + 2, sizeof *x->pm);
    x->mix_cap = SE_MIX_CAP * x->nb;
    x->mix = x->jitter ? ls_alloc_n((size_t)x->M * x->mix_cap, sizeof *x->mix) : NULL;
    const size_t vcap = x->mix_cap / 2 + 2; /* coarse views group at least 2 bins */
    x->vbuf = ls_alloc_n((size_t)x->M * 3 * vcap, sizeof *x->vbuf);
    if (!x->cur || !x->h0 || !x->pdf || !x->lo || !x->hi || !x->vex || !x->sig || !x->sere ||
        !x->tmp || !x->srt || !x->pm || (x->jitter && !x->mix) || !x->vbuf)
        return LS_ENOMEM;
    for (unsigned l = 0; l < x->M; l++)
        x->view[l] = (se_view){.p = x->vbuf + (size_t)(3 * l) * vcap,
                               .mu = x->vbuf + (size_t)(3 * l + 1) * vcap,
                               .is = x->vbuf + (size_t)(3 * l + 2) * vcap};
    return LS_OK;
}

/* Pass 1: cursors per grid phase, DFE residuals, spans; returns the largest span. */
static double se_cursors(se_ctx *x, const ls_stateye_config *c)
{
    double smax = 0.0;
    for (long gi = 0; gi < x->n_grid; gi++) {
        const long g = x->g0 + gi;
        const long q = se_fdiv(g, (long)x->R);
        const double f = (double)(g - q * (long)x->R) / x->R;
        const long i0 = (long)c->main_index + q;
        double *cu = x->cur + (size_t)gi * x->n_cur, span = 0.0;
        size_t n = 0;
        x->h0[gi] = se_pulse_at(c, i0, f);
        for (long j = x->jmin; j <= x->jmax; j++) {
            if (j == 0)
                continue;
            double v = se_pulse_at(c, i0 + j * (long)c->sps, f);
            if (j >= 1 && j <= (long)c->n_dfe)
                v -= c->dfe[j - 1];
            cu[n++] = v;
            span += fabs(v);
        }
        smax = LS_MAX(smax, span * x->lmax);
    }
    return smax;
}

/* Bin width: every phase's support must fit in c0 bins either side of c0. A kept cursor
 * widens the support by at most floor(|c|/w) + 1 bins per side, and kept cursors have
 * |c| >= w/2, so w = 3 smax / c0 always fits; start finer and enlarge as needed. */
static void se_bin_width(se_ctx *x, double smax)
{
    if (smax > 0.0) {
        double w = smax / (double)x->c0;
        int ok = 0;
        for (int it = 0; it < 100 && !ok; it++) {
            long worst = 0;
            for (long gi = 0; gi < x->n_grid; gi++) {
                const double *cu = x->cur + (size_t)gi * x->n_cur;
                long e = 0;
                for (size_t j = 0; j < x->n_cur; j++) {
                    const double r = fabs(cu[j]) * x->lmax / w;
                    if (r >= SE_SKIP)
                        e += (long)floor(r) + 1;
                }
                worst = LS_MAX(worst, e);
            }
            if (worst <= x->c0)
                ok = 1;
            else
                w *= LS_MAX(1.01, (double)worst / (double)x->c0);
        }
        x->w = ok ? w : 3.0 * smax / (double)x->c0;
    } else {
        x->w = 1.0;
    }
}

/* Pass 2: PMFs and the error probabilities at the fixed thresholds. */
static void se_threshold_errors(se_ctx *x)
{
    for (long gi = 0; gi < x->n_grid; gi++) {
        se_build_pdf(x, gi);
        double up[LS_STATEYE_MAX_LEVELS] = {0}, dn[LS_STATEYE_MAX_LEVELS] = {0};
        const se_dist fine = lsi_stateye_grid_dist(x, gi, 0);
        const se_dist view = lsi_stateye_coarsen(&fine, &x->view[0]);
        for (unsigned l = 0; l < x->M; l++) {
            se_dist d = view;
            d.y0 = lsi_stateye_grid_dist(x, gi, l).y0;
            if (l + 1 < x->M)
                up[l] = lsi_stateye_tail_ge(&d, x->th[l], NULL);
            if (l > 0)
                dn[l] = lsi_stateye_tail_lt(&d, x->th[l - 1], NULL);
        }
        for (unsigned e = 0; e + 1 < x->M; e++)
            x->sere[(size_t)gi * (x->M - 1) + e] = (up[e] + dn[e + 1]) / x->M;
    }
}

ls_status lsi_stateye_prepare(se_ctx *x, const ls_stateye_config *c)
{
    memset(x, 0, sizeof *x);
    const ls_status st = se_levels(x, c);
    if (st != LS_OK)
        return st;
    se_extent(x, c, lsi_stateye_jitter_nodes(x, c));
    if (se_alloc(x) != LS_OK)
        return LS_ENOMEM;
    se_bin_width(x, se_cursors(x, c));
    se_threshold_errors(x);
    return LS_OK;
}

/*
 * Statistical eye: jitter (docs/statistical.md, "Jitter"; pipeline steps 1, 4 and 5 of stateye.c).
 * The sampling instant is phi + tau, tau = +-dj/2 (dual Dirac, IEEE 802.3 93A-40) + N(0, rj^2).
 *
 *  - nodes: the 64-node Gauss-Hermite rule per Dirac, x_k and w_k / sqrt(pi) (Golub-Welsch /
 *    Numerical Recipes 4.6: Newton on the orthonormal Hermite recurrence); they also fix the
 *    grid step (h <= 1/64 UI and h <= rj, down to 1/256 UI) and the grid's reach;
 *  - bathtub and SER: BER_J(phi) = 1/2 sum_+- sum_k w_k BER(phi +- dj/2 + sqrt(2) rj x_k), with
 *    BER between grid phases from a monotone cubic interpolation of ln ser_eye (Fritsch and
 *    Butland, SIAM J. Sci. Stat. Comput. 5 (1984)), exact at grid phases;
 *  - eye distributions: level i's sample at phi is the mixture sum_m p_m [h0(phi + m h) v_i +
 *    X(phi + m h)] of the grid PMFs under the jitter PMF p_m on the grid (StatEye's convolution
 *    along the time axis, Casper et al. 2002), re-binned onto one grid with its placement
 *    variance compensated.
 */
#include <math.h>
#include <string.h>

#include "ls_internal.h"
#include "stateye_internal.h"

/* Gauss-Hermite nodes and weights for int e^{-x^2} f(x) dx (Numerical Recipes gauher). */
static void se_gauss_hermite(int n, double *x, double *wt)
{
    const double pim4 = 0.7511255444649425; /* pi^-1/4 */
    const int m = (n + 1) / 2;
    double z = 0.0, pp = 1.0;
    for (int i = 0; i < m; i++) {
        if (i == 0)
            z = sqrt(2.0 * n + 1.0) - 1.85575 * pow(2.0 * n + 1.0, -0.16667);
        else if (i == 1)
            z -= 1.14 * pow((double)n, 0.426) / z;
        else if (i == 2)
            z = 1.86 * z - 0.86 * x[0];
        else if (i == 3)
            z = 1.91 * z - 0.91 * x[1];
        else
            z = 2.0 * z - x[i - 2];
        for (int it = 0; it < 100; it++) {
            double p1 = pim4, p2 = 0.0;
            for (int j = 0; j < n; j++) {
                const double p3 = p2;
                p2 = p1;
                p1 = z * sqrt(2.0 / (j + 1)) * p2 - sqrt((double)j / (j + 1)) * p3;
            }
            pp = sqrt(2.0 * n) * p2;
            const double z1 = z;
            z = z1 - p1 / pp;
            if (fabs(z - z1) <= 1e-14 * (1.0 + fabs(z)))
                break;
        }
        x[i] = z;
        x[n - 1 - i] = -z;
        wt[i] = 2.0 / (pp * pp);
        wt[n - 1 - i] = wt[i];
    }
}

/* Jitter flag, grid points per UI step R, the Dirac offsets and rj in grid steps, and the
 * jitter nodes (in UI first); returns the jitter's reach J beyond the eye phases, in grid steps
 * (0 without jitter). */
long lsi_stateye_jitter_nodes(se_ctx *x, const ls_stateye_config *c)
{
    x->jitter = c->rj_ui > 0.0 || c->dj_ui > 0.0;
    x->R = 1u;
    if (x->jitter) {
        /* at least SE_JIT_PER_UI points per UI, and a step no larger than rj (within a cap) */
        const unsigned rmax = LS_MAX(1u, SE_JIT_MAX_PER_UI / c->sps);
        x->R = LS_MAX(1u, (SE_JIT_PER_UI + c->sps - 1) / c->sps);
        if (c->rj_ui > 0.0)
            x->R = LS_MAX(x->R, (unsigned)LS_MIN((double)rmax, ceil(1.0 / (c->rj_ui * c->sps))));
    }
    const double gpu = (double)x->R * c->sps; /* grid points per UI */
    const int n_dirac = c->dj_ui > 0.0 ? 2 : 1;
    x->n_dirac = n_dirac;
    x->rj_g = c->rj_ui * gpu;
    for (int s = 0; s < n_dirac; s++)
        x->mu_g[s] = n_dirac == 2 ? (s ? 0.5 : -0.5) * c->dj_ui * gpu : 0.0;
    if (c->rj_ui > 0.0) {
        double gx[SE_GH], gw[SE_GH];
        se_gauss_hermite(SE_GH, gx, gw);
        for (int s = 0; s < n_dirac; s++) {
            const double mu = n_dirac == 2 ? (s ? 0.5 : -0.5) * c->dj_ui : 0.0;
            for (int k = 0; k < SE_GH; k++) {
                x->node_x[x->n_node] = (mu + M_SQRT2 * c->rj_ui * gx[k]) * gpu;
                x->node_w[x->n_node++] = gw[k] / sqrt(M_PI) / n_dirac;
            }
        }
    } else {
        for (int s = 0; s < n_dirac; s++) {
            x->node_x[x->n_node] = n_dirac == 2 ? (s ? 0.5 : -0.5) * c->dj_ui * gpu : 0.0;
            x->node_w[x->n_node++] = 1.0 / n_dirac;
        }
    }
    double reach = x->rj_g >= 1.0 ? 0.5 * c->dj_ui * gpu + SE_RJ_TRUNC * x->rj_g + 1.0 : 0.0;
    for (int k = 0; k < x->n_node; k++)
        reach = LS_MAX(reach, fabs(x->node_x[k]));
    return x->jitter ? (long)ceil(reach) + 3 : 0;
}

/* Monotone cubic interpolation of ln y over the grid: y[k*stride], slopes d[k]; xi in array
 * units. Exact at grid points. */
static double se_interp(const double *y, size_t stride, const double *ly, const double *d, long n,
                        double xi)
{
    const double fl = floor(xi);
    long i = (long)fl;
    double t = xi - fl;
    if (i < 0) {
        i = 0;
        t = 0.0;
    } else if (i >= n - 1) {
        i = n - 1;
        t = 0.0;
    }
    if (t == 0.0)
        return y[(size_t)i * stride];
    if (y[(size_t)i * stride] == 0.0 && y[(size_t)(i + 1) * stride] == 0.0)
        return 0.0;
    const double t2 = t * t, t3 = t2 * t;
    const double v = (2 * t3 - 3 * t2 + 1) * ly[i] + (t3 - 2 * t2 + t) * d[i] +
                     (-2 * t3 + 3 * t2) * ly[i + 1] + (t3 - t2) * d[i + 1];
    return v < SE_LOG_FLOOR ? 0.0 : exp(v);
}

/* Fritsch-Butland slopes of ly[0..n) (unit spacing). */
static void se_slopes(const double *ly, double *d, long n)
{
    if (n < 2) {
        if (n == 1)
            d[0] = 0.0;
        return;
    }
    d[0] = ly[1] - ly[0];
    d[n - 1] = ly[n - 1] - ly[n - 2];
    for (long i = 1; i + 1 < n; i++) {
        const double a = ly[i] - ly[i - 1], b = ly[i + 1] - ly[i];
        d[i] = (a * b > 0.0) ? 2.0 * a * b / (a + b) : 0.0;
    }
}

/* Bathtub and SER into *res: jitter average of the interpolated ln ser_eye. ly and dy are
 * [M-1][n_grid] scratch. */
void lsi_stateye_bathtub(const se_ctx *x, unsigned sps, double *ly, double *dy,
                         ls_stateye_result *res)
{
    const unsigned ne = x->M - 1;
    const long ng = x->n_grid;
    for (unsigned e = 0; e < ne; e++) {
        double *le = ly + (size_t)e * ng, *de = dy + (size_t)e * ng;
        for (long gi = 0; gi < ng; gi++)
            le[gi] = log(LS_MAX(x->sere[(size_t)gi * ne + e], SE_FLOOR));
        se_slopes(le, de, ng);
    }
    for (unsigned i = 0; i < sps; i++) {
        const long j = (long)i - (long)(sps / 2);
        const double xi = (double)(j * (long)x->R - x->g0);
        double ser = 0.0;
        for (unsigned e = 0; e < ne; e++) {
            double s = 0.0;
            for (int k = 0; k < x->n_node; k++)
                s += x->node_w[k] * se_interp(x->sere + e, ne, ly + (size_t)e * ng,
                                              dy + (size_t)e * ng, ng, xi + x->node_x[k]);
            ser += s;
            if (j == 0)
                res->ser_eye[e] = s;
        }
        res->phase_ui[i] = (double)j / sps;
        res->bathtub_ber[i] = ser / x->bits;
        if (j == 0) {
            res->ser = ser;
            res->ber = ser / x->bits;
        }
    }
}

/* The jitter PMF of output grid phase g on the grid (nodes placed by linear interpolation). */
void lsi_stateye_jitter_pmf(se_ctx *x, long g, long *mlo, long *mhi)
{
    memset(x->pm, 0, ((size_t)x->n_grid + 2) * sizeof *x->pm);
    long a = x->n_grid, b = -1;
    if (x->rj_g >= 1.0) {
        /* rj at least one grid step: each Dirac's Gaussian sampled on the grid (normalised),
         * whose mean and variance are exact to ~exp(-2 pi^2 rj^2/h^2) < 3e-9 */
        for (int s = 0; s < x->n_dirac; s++) {
            const double cen = (double)(g - x->g0) + x->mu_g[s];
            const long i0 = (long)floor(cen - SE_RJ_TRUNC * x->rj_g);
            const long i1 = (long)ceil(cen + SE_RJ_TRUNC * x->rj_g);
            double sum = 0.0;
            for (long i = i0; i <= i1; i++) {
                const double z = ((double)i - cen) / x->rj_g;
                sum += exp(-0.5 * z * z);
            }
            for (long i = i0; i <= i1; i++) {
                const double z = ((double)i - cen) / x->rj_g;
                x->pm[i] += exp(-0.5 * z * z) / sum / x->n_dirac;
            }
            a = LS_MIN(a, i0);
            b = LS_MAX(b, i1);
        }
        *mlo = LS_MAX(a, 0L);
        *mhi = LS_MIN(b, x->n_grid - 1);
        return;
    }
    /* smaller rj or none: the Gauss-Hermite nodes placed by linear interpolation (this adds a
     * phase spread of up to h^2/4: conservative) */
    for (int k = 0; k < x->n_node; k++) {
        const double xi = (double)(g - x->g0) + x->node_x[k];
        const double fl = floor(xi), f = xi - fl;
        const long i = (long)fl;
        x->pm[i] += (1.0 - f) * x->node_w[k];
        x->pm[i + 1] += f * x->node_w[k];
        a = LS_MIN(a, i);
        b = LS_MAX(b, i + 1);
    }
    *mlo = LS_MAX(a, 0L);
    *mhi = LS_MIN(b, x->n_grid - 1);
}

/* Level l's sample distribution at grid phase g, the jitter mixture of the grid PMFs. */
se_dist lsi_stateye_mix_dist(se_ctx *x, long mlo, long mhi, unsigned l)
{
    double ymin = INFINITY, ymax = -INFINITY;
    for (long m = mlo; m <= mhi; m++) {
        if (x->pm[m] <= 0.0)
            continue;
        const double off = x->h0[m] * x->lv[l] - (double)x->c0 * x->w;
        ymin = LS_MIN(ymin, off + (double)x->lo[m] * x->w);
        ymax = LS_MAX(ymax, off + (double)x->hi[m] * x->w);
    }
    double wm = x->w;
    const size_t cap = x->mix_cap;
    if ((ymax - ymin) / wm + 6.0 > (double)cap)
        wm = (ymax - ymin) / ((double)cap - 6.0);
    const double y0 = ymin - wm;
    const long n_mix = (long)ceil((ymax - ymin) / wm) + 4;
    double *buf = x->mix + (size_t)l * cap;
    memset(buf, 0, (size_t)n_mix * sizeof *buf);
    double vex = 0.0, vplace = 0.0;
    const double r = x->w / wm;
    for (long m = mlo; m <= mhi; m++) {
        const double pw = x->pm[m];
        if (pw <= 0.0)
            continue;
        const double *p = x->pdf + (size_t)m * x->nb;
        const double a = (x->h0[m] * x->lv[l] - (double)x->c0 * x->w - y0) / wm;
        vex += pw * x->vex[m];
        if (r == 1.0) {
            const double fl = floor(a), f = a - fl;
            const long n0 = (long)fl;
            const double w0 = pw * (1.0 - f), w1 = pw * f;
            for (long k = x->lo[m]; k <= x->hi[m]; k++) {
                buf[n0 + k] += w0 * p[k];
                buf[n0 + k + 1] += w1 * p[k];
            }
            vplace += pw * f * (1.0 - f) * wm * wm;
        } else {
            for (long k = x->lo[m]; k <= x->hi[m]; k++) {
                const double pos = a + (double)k * r, fl = floor(pos), f = pos - fl;
                const long n = LS_MIN(LS_MAX((long)fl, 0L), n_mix - 2);
                buf[n] += pw * (1.0 - f) * p[k];
                buf[n + 1] += pw * f * p[k];
                vplace += pw * p[k] * f * (1.0 - f) * wm * wm;
            }
        }
    }
    const se_dist fine = {.p = buf,
                          .lo = 0,
                          .hi = n_mix - 1,
                          .y0 = y0,
                          .w = wm,
                          .sigma = sqrt(LS_MAX(0.0, x->sn2 + vex - vplace))};
    return lsi_stateye_coarsen(&fine, &x->view[l]);
}

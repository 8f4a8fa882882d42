/*
 * Statistical eye: SER/BER, eye height and width, bathtub and BER map of a PAM-M link from its
 * pulse response, Gaussian noise and sampling jitter (equations in include/lanesim/stateye.h and
 * docs/statistical.md). References: IEEE 802.3 Annex 93A (COM: ISI PMF as the convolution of
 * each cursor's PMF, 93A-26/27/45; dual-Dirac jitter 93A-40); B. Casper et al., "An accurate and
 * efficient analysis method for multi-Gb/s chip-to-chip signaling schemes", VLSI Circuits 2002
 * (StatEye: the per-phase ISI PDF and the time-axis convolution with the jitter PDF);
 * F. N. Fritsch and J. Butland, SIAM J. Sci. Stat. Comput. 5 (1984) (monotone cubic slopes);
 * Golub-Welsch / Numerical Recipes 4.6 (Gauss-Hermite nodes by Newton on the orthonormal
 * Hermite recurrence).
 *
 * Pipeline of one call:
 *  1. a phase grid g*h, h = 1/(R sps) UI, covering the output phases and the jitter reach;
 *     per grid phase the main cursor h0 and the cursors c_j (DFE residuals applied);
 *  2. a common bin width w from the largest ISI span, enlarged until every phase's support
 *     provably fits in n_bins bins;
 *  3. per grid phase the ISI PMF by sparse convolution (cursors in increasing |c|), the
 *     effective Gaussian sigma (noise + skipped cursors - grid placement variance), and the
 *     error probabilities at the fixed thresholds;
 *  4. bathtub/SER: Gauss-Hermite average over the jitter of a monotone cubic interpolation of
 *     ln SER between grid phases (exact grid values when there is no jitter);
 *  5. eye edges at phases j/sps: per level the sample distribution (the grid PMF, or with jitter
 *     the mixture of the grid PMFs under the jitter PMF placed on the grid), then the two
 *     one-sided edges by safeguarded Newton on ln P.
 */
#include "lanesim/stateye.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lanesim/pam.h"
#include "lanesim/stats.h"
#include "ls_internal.h"

#define SE_GH 64                          /* Gauss-Hermite nodes per Dirac */
#define SE_SKIP 0.5                       /* cursors with |c| < SE_SKIP * w go to the Gaussian */
#define SE_RTOL 1e-13                     /* relative truncation of the tail sums */
#define SE_ZONE 9.0                       /* Q(z) taken as 1 for z < -9 (error 1.1e-19) */
#define SE_FLOOR 1e-300                   /* floor of a probability before its logarithm */
#define SE_LOG_FLOOR (-690.7755278982137) /* ln 1e-300: interpolated values below are 0 */
#define SE_JIT_PER_UI 64      /* with jitter the phase grid has at least 64 points per UI, */
#define SE_JIT_MAX_PER_UI 256 /* and a step <= rj down to 1/256 UI */
#define SE_RJ_TRUNC 13.0      /* sampled RJ Gaussian kept to +-13 rj (tail 1e-38) */
#define SE_MIX_CAP 4          /* a jitter mixture has at most SE_MIX_CAP * n_bins bins */
#define SE_COARSE 64.0        /* coarse views: points at most sigma/64 apart */
#define SE_INV_SQRT_2PI 0.39894228040143267794

/* A sample distribution before noise: P(Y = y_k) = p[k] for k in [lo, hi], y_k = y0 + k w on a
 * uniform grid (mu NULL), or y_k = y0 + mu[k] for a coarse view whose bin k also carries its own
 * noise 1/sigma_k = is[k]; plus N(0, sigma^2). Positions increase with k. */
typedef struct {
    const double *p;
    const double *mu;
    const double *is;
    long lo, hi;
    double y0, w, sigma;
} se_dist;

/* Scratch for one coarse view. */
typedef struct {
    double *p, *mu, *is;
} se_view;

typedef struct {
    unsigned M, R;
    double bits; /* log2 M */
    double lv[LS_STATEYE_MAX_LEVELS];
    double lmax; /* max |lv|: the ISI support scales with it */
    double ev2; /* E[v^2] */
    double th[LS_STATEYE_MAX_LEVELS - 1];
    double h0n; /* pulse[main_index] */
    double sn2; /* sigma_noise^2 */
    int jitter;
    int n_dirac;          /* 1 (no DJ) or 2 */
    double mu_g[2], rj_g; /* Dirac offsets and rj in grid steps */
    int n_node;           /* jitter nodes: offsets (grid units) and weights */
    double node_x[2 * SE_GH], node_w[2 * SE_GH];
    long jw; /* eye phases j/sps, |j| <= jw */
    long g0; /* grid index of array element 0 */
    long n_grid;
    long jmin, jmax; /* cursor index range */
    size_t n_cur;    /* jmax - jmin (j = 0 excluded) */
    size_t nb;
    long c0;       /* bin of ISI = 0 */
    double w;      /* bin width (V) */
    double *cur;   /* [n_grid][n_cur] */
    double *h0;    /* [n_grid] */
    double *pdf;   /* [n_grid][nb] */
    long *lo, *hi; /* [n_grid] supports */
    double *vex;   /* [n_grid] sigma_e^2 - sigma_noise^2 (unclamped) */
    double *sig;   /* [n_grid] sigma_e */
    double *sere;  /* [n_grid][M-1] ser_eye without jitter */
    double *tmp;   /* [nb] convolution scratch */
    double *srt;   /* [n_cur] sorted cursors */
    double *pm;    /* [n_grid] jitter PMF on the grid */
    double *mix;   /* [M][cap] mixtures */
    size_t mix_cap;
    double *vbuf; /* coarse-view storage */
    se_view view[LS_STATEYE_MAX_LEVELS];
} se_ctx;

void ls_stateye_config_init(ls_stateye_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_stateye_config){.pulse = NULL,
                               .n_pulse = 0,
                               .sps = 32u,
                               .main_index = 0,
                               .levels = 4u,
                               .rlm = 1.0,
                               .dfe = NULL,
                               .n_dfe = 0,
                               .thresholds = NULL,
                               .sigma_noise = 0.0,
                               .rj_ui = 0.0,
                               .dj_ui = 0.0,
                               .target_ber = 1e-6,
                               .n_bins = 2048u};
}

static int se_valid(const ls_stateye_config *c)
{
    if (!c || !c->pulse || c->n_pulse == 0 || c->sps < 1 || c->sps > LS_STATEYE_MAX_SPS ||
        c->main_index >= c->n_pulse || ls_pam_bits(c->levels) == 0 ||
        !(c->rlm >= 0.5 && c->rlm <= 1.0) || c->n_dfe > LS_STATEYE_MAX_DFE ||
        (c->n_dfe && !c->dfe) || !isfinite(c->sigma_noise) || c->sigma_noise < 0.0 ||
        !(c->rj_ui >= 0.0 && c->rj_ui <= LS_STATEYE_MAX_RJ_UI) ||
        !(c->dj_ui >= 0.0 && c->dj_ui <= LS_STATEYE_MAX_DJ_UI) ||
        !(c->target_ber >= 1e-15 && c->target_ber <= 1e-2) || c->n_bins < LS_STATEYE_MIN_BINS ||
        c->n_bins > LS_STATEYE_MAX_BINS)
        return 0;
    for (size_t i = 0; i < c->n_pulse; i++)
        if (!isfinite(c->pulse[i]))
            return 0;
    for (unsigned i = 0; c->level_values && i < c->levels; i++)
        if (!(fabs(c->level_values[i]) <= 2.0) || (i && !(c->level_values[i] > c->level_values[i - 1])))
            return 0;
    if (!(c->pulse[c->main_index] > 0.0f))
        return 0;
    for (unsigned i = 0; i < c->n_dfe; i++)
        if (!isfinite(c->dfe[i]))
            return 0;
    if (c->thresholds) {
        for (unsigned i = 0; i + 1 < c->levels; i++) {
            if (!isfinite(c->thresholds[i]) ||
                (i > 0 && !(c->thresholds[i] > c->thresholds[i - 1])))
                return 0;
        }
    }
    return 1;
}

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

/* ---- tails and edges -------------------------------------------------------------------- */

static double se_pos(const se_dist *d, long k)
{
    return d->mu ? d->y0 + d->mu[k] : d->y0 + (double)k * d->w;
}

/* Coarse view of a uniform-grid distribution whose bins are much narrower than its noise:
 * groups of F = floor(sigma / (SE_COARSE w)) bins become one point at their centroid with
 * their variance added to the noise of that point, so mass, mean and variance are kept
 * exactly and only the third and higher moments inside a group (width <= sigma/64) are lost.
 * Tail sums then visit at most ~13 * 64 points whatever n_bins is. */
static se_dist se_coarsen(const se_dist *f, const se_view *v)
{
    if (f->mu || !(f->sigma > 0.0))
        return *f;
    const double ratio = f->sigma / (SE_COARSE * f->w);
    if (!(ratio >= 2.0))
        return *f;
    const long F = ratio > 1e9 ? 1000000000L : (long)ratio;
    const double s2 = f->sigma * f->sigma;
    long n = 0;
    for (long k0 = f->lo; k0 <= f->hi; k0 += F) {
        const long k1 = LS_MIN(k0 + F - 1, f->hi);
        double m = 0.0, s1 = 0.0, var = 0.0;
        for (long k = k0; k <= k1; k++) {
            m += f->p[k];
            s1 += f->p[k] * (double)(k - k0);
        }
        double mean = 0.5 * (double)(k1 - k0);
        if (m > 0.0) {
            mean = s1 / m;
            for (long k = k0; k <= k1; k++) {
                const double dx = (double)(k - k0) - mean;
                var += f->p[k] * dx * dx;
            }
            var = var / m * f->w * f->w;
        }
        v->p[n] = m;
        v->mu[n] = ((double)k0 + mean) * f->w;
        v->is[n] = 1.0 / sqrt(s2 + var);
        n++;
    }
    return (se_dist){.p = v->p,
                     .mu = v->mu,
                     .is = v->is,
                     .lo = 0,
                     .hi = n - 1,
                     .y0 = f->y0,
                     .w = f->w * (double)F,
                     .sigma = f->sigma};
}

/* P(Y + N >= u); *dens (if not NULL) = the density of Y + N at u. Summed from the top, where
 * the terms are largest, and stopped when Q at the current point is below SE_RTOL of the sum
 * (the rest is at most that Q times the remaining mass). */
static double se_tail_ge(const se_dist *d, double u, double *dens)
{
    const double *p = d->p;
    double s = 0.0, ds = 0.0;
    long k = d->hi;
    if (d->sigma <= 0.0) {
        for (; k >= d->lo && se_pos(d, k) >= u; k--)
            s += p[k];
        if (dens)
            *dens = 0.0;
        return LS_MIN(s, 1.0);
    }
    if (d->mu) {
        for (; k >= d->lo; k--) {
            const double z = (u - d->y0 - d->mu[k]) * d->is[k];
            if (z < -SE_ZONE) {
                s += p[k];
                continue;
            }
            const double q = 0.5 * erfc(z * M_SQRT1_2);
            s += p[k] * q;
            if (dens)
                ds += p[k] * exp(-0.5 * z * z) * d->is[k];
            if (q <= SE_RTOL * s)
                break;
        }
        if (dens)
            *dens = ds * SE_INV_SQRT_2PI;
        return LS_MIN(s, 1.0);
    }
    const double is = 1.0 / d->sigma;
    const double kf = ceil((u + SE_ZONE * d->sigma - d->y0) / d->w); /* bins with z < -9 */
    if (kf <= (double)d->hi) {
        const long kfast = kf < (double)d->lo ? d->lo : (long)kf;
        for (; k >= kfast; k--)
            s += p[k];
    }
    for (; k >= d->lo; k--) {
        const double z = (u - d->y0 - (double)k * d->w) * is;
        const double q = 0.5 * erfc(z * M_SQRT1_2);
        s += p[k] * q;
        if (dens)
            ds += p[k] * exp(-0.5 * z * z);
        if (q <= SE_RTOL * s)
            break;
    }
    if (dens)
        *dens = ds * is * SE_INV_SQRT_2PI;
    return LS_MIN(s, 1.0); /* the masses sum to 1 within rounding */
}

/* P(Y + N < u); *dens as in se_tail_ge. Summed from the bottom. */
static double se_tail_lt(const se_dist *d, double u, double *dens)
{
    const double *p = d->p;
    double s = 0.0, ds = 0.0;
    long k = d->lo;
    if (d->sigma <= 0.0) {
        for (; k <= d->hi && se_pos(d, k) < u; k++)
            s += p[k];
        if (dens)
            *dens = 0.0;
        return LS_MIN(s, 1.0);
    }
    if (d->mu) {
        for (; k <= d->hi; k++) {
            const double z = (d->y0 + d->mu[k] - u) * d->is[k];
            if (z < -SE_ZONE) {
                s += p[k];
                continue;
            }
            const double q = 0.5 * erfc(z * M_SQRT1_2);
            s += p[k] * q;
            if (dens)
                ds += p[k] * exp(-0.5 * z * z) * d->is[k];
            if (q <= SE_RTOL * s)
                break;
        }
        if (dens)
            *dens = ds * SE_INV_SQRT_2PI;
        return LS_MIN(s, 1.0);
    }
    const double is = 1.0 / d->sigma;
    const double kf = floor((u - SE_ZONE * d->sigma - d->y0) / d->w);
    if (kf >= (double)d->lo) {
        const long kfast = kf > (double)d->hi ? d->hi : (long)kf;
        for (; k <= kfast; k++)
            s += p[k];
    }
    for (; k <= d->hi; k++) {
        const double z = (d->y0 + (double)k * d->w - u) * is;
        const double q = 0.5 * erfc(z * M_SQRT1_2);
        s += p[k] * q;
        if (dens)
            ds += p[k] * exp(-0.5 * z * z);
        if (q <= SE_RTOL * s)
            break;
    }
    if (dens)
        *dens = ds * is * SE_INV_SQRT_2PI;
    return LS_MIN(s, 1.0); /* the masses sum to 1 within rounding */
}

/* Largest noise of a distribution (the coarse points carry a little more than sigma). */
static double se_sigma_max(const se_dist *d)
{
    if (!d->mu)
        return d->sigma;
    double m = d->is[d->lo];
    for (long k = d->lo + 1; k <= d->hi; k++)
        m = LS_MIN(m, d->is[k]);
    return 1.0 / m;
}

/* Lower edge: the L with P(Y + N >= L) = T (0 < T < 1), by Newton on ln P (safeguarded by
 * bisection inside a bracket that always holds the root). */
static double se_edge_lo(const se_dist *d, double T)
{
    if (d->sigma <= 0.0) {
        double s = 0.0;
        for (long k = d->hi; k >= d->lo; k--) {
            s += d->p[k];
            if (s > T)
                return se_pos(d, k);
        }
        return se_pos(d, d->lo);
    }
    const double sm = se_sigma_max(d);
    double a = se_pos(d, d->lo) - SE_ZONE * sm;    /* P ~ 1 > T */
    double b = se_pos(d, d->hi) + sm * ls_qinv(T); /* P <= T */
    const double tol = 1e-15 * (fabs(a) + fabs(b) + d->sigma);
    double u = b;
    for (int it = 0; it < 200; it++) {
        double dens;
        const double A = se_tail_ge(d, u, &dens);
        if (A > T)
            a = u;
        else
            b = u;
        double un = (A > 0.0 && dens > 0.0) ? u + log(A / T) * A / dens : NAN;
        if (!(un > a && un < b))
            un = 0.5 * (a + b);
        const int done = fabs(un - u) <= tol || b - a <= tol;
        u = un;
        if (done)
            break;
    }
    return u;
}

/* Upper edge: the U with P(Y + N < U) = T. */
static double se_edge_hi(const se_dist *d, double T)
{
    if (d->sigma <= 0.0) {
        double s = 0.0;
        for (long k = d->lo; k <= d->hi; k++) {
            s += d->p[k];
            if (s > T)
                return se_pos(d, k);
        }
        return se_pos(d, d->hi);
    }
    const double sm = se_sigma_max(d);
    double a = se_pos(d, d->lo) - sm * ls_qinv(T); /* P <= T */
    double b = se_pos(d, d->hi) + SE_ZONE * sm;    /* P ~ 1 > T */
    const double tol = 1e-15 * (fabs(a) + fabs(b) + d->sigma);
    double u = a;
    for (int it = 0; it < 200; it++) {
        double dens;
        const double B = se_tail_lt(d, u, &dens);
        if (B > T)
            b = u;
        else
            a = u;
        double un = (B > 0.0 && dens > 0.0) ? u - log(B / T) * B / dens : NAN;
        if (!(un > a && un < b))
            un = 0.5 * (a + b);
        const int done = fabs(un - u) <= tol || b - a <= tol;
        u = un;
        if (done)
            break;
    }
    return u;
}

/* ---- the phase grid ----------------------------------------------------------------------- */

static void se_free(se_ctx *x)
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
        if (fabs(c) < SE_SKIP * w) {
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
static se_dist se_grid_dist(const se_ctx *x, long gi, unsigned l)
{
    return (se_dist){.p = x->pdf + (size_t)gi * x->nb,
                     .lo = x->lo[gi],
                     .hi = x->hi[gi],
                     .y0 = x->h0[gi] * x->lv[l] - (double)x->c0 * x->w,
                     .w = x->w,
                     .sigma = x->sig[gi]};
}

static ls_status se_prepare(se_ctx *x, const ls_stateye_config *c)
{
    memset(x, 0, sizeof *x);
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

    /* Jitter nodes (in UI first). */
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
    const long J = x->jitter ? (long)ceil(reach) + 3 : 0;
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

    /* Pass 1: cursors per grid phase, DFE residuals, spans. */
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

    /* Bin width: every phase's support must fit in c0 bins either side of c0. A kept cursor
     * widens the support by at most floor(|c|/w) + 1 bins per side, and kept cursors have
     * |c| >= w/2, so w = 3 smax / c0 always fits; start finer and enlarge as needed. */
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

    /* Pass 2: PMFs and the error probabilities at the fixed thresholds. */
    for (long gi = 0; gi < x->n_grid; gi++) {
        se_build_pdf(x, gi);
        double up[LS_STATEYE_MAX_LEVELS] = {0}, dn[LS_STATEYE_MAX_LEVELS] = {0};
        const se_dist fine = se_grid_dist(x, gi, 0);
        const se_dist view = se_coarsen(&fine, &x->view[0]);
        for (unsigned l = 0; l < x->M; l++) {
            se_dist d = view;
            d.y0 = se_grid_dist(x, gi, l).y0;
            if (l + 1 < x->M)
                up[l] = se_tail_ge(&d, x->th[l], NULL);
            if (l > 0)
                dn[l] = se_tail_lt(&d, x->th[l - 1], NULL);
        }
        for (unsigned e = 0; e + 1 < x->M; e++)
            x->sere[(size_t)gi * (x->M - 1) + e] = (up[e] + dn[e + 1]) / x->M;
    }
    return LS_OK;
}

/* ---- jitter averaging ------------------------------------------------------------------- */

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

/* The jitter PMF of output grid phase g on the grid (nodes placed by linear interpolation). */
static void se_jitter_pmf(se_ctx *x, long g, long *mlo, long *mhi)
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
static se_dist se_mix_dist(se_ctx *x, long mlo, long mhi, unsigned l)
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
    return se_coarsen(&fine, &x->view[l]);
}

/* Per-level sample distributions at output grid phase g (grid units), for the levels in mask
 * (bit l; with jitter the others are left unset). */
static void se_level_dists(se_ctx *x, long g, se_dist *d, unsigned mask)
{
    if (!x->jitter) {
        const se_dist fine = se_grid_dist(x, g - x->g0, 0);
        const se_dist view = se_coarsen(&fine, &x->view[0]);
        for (unsigned l = 0; l < x->M; l++) {
            d[l] = view;
            d[l].y0 = se_grid_dist(x, g - x->g0, l).y0;
        }
        return;
    }
    long mlo, mhi;
    se_jitter_pmf(x, g, &mlo, &mhi);
    for (unsigned l = 0; l < x->M; l++)
        if (mask & (1u << l))
            d[l] = se_mix_dist(x, mlo, mhi, l);
}

/* ---- public calls ----------------------------------------------------------------------- */

ls_status ls_stateye_run(const ls_stateye_config *cfg, ls_stateye_result *r)
{
    if (!cfg || !r || !se_valid(cfg))
        return LS_EINVAL;
    se_ctx x;
    ls_status st = se_prepare(&x, cfg);
    const unsigned ne = x.M - 1, sps = cfg->sps;
    const long ng = x.n_grid;
    double *ly = NULL, *dy = NULL;
    if (st != LS_OK)
        goto done;
    st = LS_ENOMEM;
    ly = ls_alloc_n((size_t)ng * ne, sizeof *ly);
    dy = ls_alloc_n((size_t)ng * ne, sizeof *dy);
    if (!ly || !dy)
        goto done;

    ls_stateye_result res;
    memset(&res, 0, sizeof res);
    res.n_phase = sps;

    /* Bathtub and SER: jitter average of the interpolated ln ser_eye. */
    for (unsigned e = 0; e < ne; e++) {
        double *le = ly + (size_t)e * ng, *de = dy + (size_t)e * ng;
        for (long gi = 0; gi < ng; gi++)
            le[gi] = log(LS_MAX(x.sere[(size_t)gi * ne + e], SE_FLOOR));
        se_slopes(le, de, ng);
    }
    for (unsigned i = 0; i < sps; i++) {
        const long j = (long)i - (long)(sps / 2);
        const double xi = (double)(j * (long)x.R - x.g0);
        double ser = 0.0;
        for (unsigned e = 0; e < ne; e++) {
            double s = 0.0;
            for (int k = 0; k < x.n_node; k++)
                s += x.node_w[k] * se_interp(x.sere + e, ne, ly + (size_t)e * ng,
                                             dy + (size_t)e * ng, ng, xi + x.node_x[k]);
            ser += s;
            if (j == 0)
                res.ser_eye[e] = s;
        }
        res.phase_ui[i] = (double)j / sps;
        res.bathtub_ber[i] = ser / x.bits;
        if (j == 0) {
            res.ser = ser;
            res.ber = ser / x.bits;
        }
    }

    /* Eye edges: every sub-eye at phase 0, then outwards on each side one phase (j/sps) at a
     * time for the sub-eyes still open there. A walk ends at the first closed phase, which is all
     * the width interpolation needs (closed eyes are where the edge roots cost most). */
    const double T = 2.0 * x.bits * cfg->target_ber;
    double hc[LS_STATEYE_MAX_LEVELS - 1], ext[LS_STATEYE_MAX_LEVELS - 1][2];
    se_dist d[LS_STATEYE_MAX_LEVELS];
    se_level_dists(&x, 0, d, ~0u);
    res.vertical_opening_v = INFINITY;
    for (unsigned e = 0; e < ne; e++) {
        const double L = se_edge_lo(&d[e], T), U = se_edge_hi(&d[e + 1], T);
        hc[e] = U - L;
        res.eye[e].height_v = LS_MAX(0.0, hc[e]);
        res.eye[e].center_v = 0.5 * (U + L);
        res.vertical_opening_v = LS_MIN(res.vertical_opening_v, res.eye[e].height_v);
        ext[e][0] = ext[e][1] = 0.5;
    }
    for (int side = 0; side < 2; side++) {
        const long dir = side ? 1 : -1;
        unsigned walking = 0;
        double hp[LS_STATEYE_MAX_LEVELS - 1];
        for (unsigned e = 0; e < ne; e++) {
            hp[e] = hc[e];
            if (hc[e] > 0.0)
                walking |= 1u << e;
        }
        for (long k = 1; k <= x.jw && walking; k++) {
            se_level_dists(&x, dir * k * (long)x.R, d, walking | (walking << 1));
            for (unsigned e = 0; e < ne; e++) {
                if (!(walking & (1u << e)))
                    continue;
                const double hk = se_edge_hi(&d[e + 1], T) - se_edge_lo(&d[e], T);
                if (!(hk > 0.0)) {
                    ext[e][side] = LS_MIN(0.5, ((double)(k - 1) + hp[e] / (hp[e] - hk)) / sps);
                    walking &= ~(1u << e);
                } else {
                    hp[e] = hk;
                }
            }
        }
    }
    for (unsigned e = 0; e < ne; e++)
        res.eye[e].width_ui = hc[e] > 0.0 ? ext[e][0] + ext[e][1] : 0.0;
    *r = res;
    st = LS_OK;
done:
    ls_free(ly);
    ls_free(dy);
    se_free(&x);
    return st;
}

ls_status ls_stateye_map(const ls_stateye_config *cfg, unsigned n_v, double v_min, double v_max,
                         double *ber_map)
{
    if (!cfg || !ber_map || n_v < 2 || !isfinite(v_min) || !isfinite(v_max) || !(v_min < v_max) ||
        !se_valid(cfg))
        return LS_EINVAL;
    se_ctx x;
    ls_status st = se_prepare(&x, cfg);
    if (st == LS_OK) {
        const unsigned sps = cfg->sps;
        const double scale = 0.5 / x.bits;
        for (unsigned i = 0; i < sps; i++) {
            const long j = (long)i - (long)(sps / 2);
            se_dist d[LS_STATEYE_MAX_LEVELS];
            se_level_dists(&x, j * (long)x.R, d, ~0u);
            for (unsigned n = 0; n < n_v; n++) {
                const double v = v_min + (double)n * (v_max - v_min) / (double)(n_v - 1);
                unsigned e = 0;
                for (unsigned l = 1; l + 1 < x.M; l++)
                    e += v > x.h0n * x.lv[l];
                const double A = se_tail_ge(&d[e], v, NULL), B = se_tail_lt(&d[e + 1], v, NULL);
                ber_map[(size_t)i * n_v + n] = LS_MAX(A, B) * scale;
            }
        }
    }
    se_free(&x);
    return st;
}

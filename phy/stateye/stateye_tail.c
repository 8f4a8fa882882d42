/*
 * Statistical eye: tail sums and eye-edge search on one sample distribution (a PMF on a uniform
 * grid, or its coarse view, plus Gaussian noise). Model and pipeline: stateye.c and
 * docs/statistical.md ("Error probabilities", "Eye height and width at target BER").
 *
 *   P(y >= u | i) = sum_k P(X = x_k) Q((u - h0 v_i - x_k) / sigma_e),   Q(z) = erfc(z/sqrt 2)/2,
 *   summed from the bins nearest the crossing and stopped below SE_RTOL of the sum; bins with
 *   z < -SE_ZONE count with Q = 1;
 *   coarse view: groups of F = floor(sigma / (64 w)) bins become one point at their centroid with
 *   the group variance added to its noise (mass, mean and variance kept exactly);
 *   eye edges: P(y >= L | e) = P(y < U | e+1) = 2 log2(M) target_ber, each a single root found
 *   by safeguarded Newton on ln P inside a bracket that always holds it.
 * The edges trace the StatEye contour (Casper et al. 2002); full references in stateye.c.
 */
#include <math.h>

#include "lanesim/stats.h"
#include "ls_internal.h"
#include "stateye_internal.h"

#define SE_INV_SQRT_2PI 0.39894228040143267794

static double se_pos(const se_dist *d, long k)
{
    return d->mu ? d->y0 + d->mu[k] : d->y0 + (double)k * d->w;
}

/* Coarse view of a uniform-grid distribution whose bins are much narrower than its noise:
 * groups of F = floor(sigma / (SE_COARSE w)) bins become one point at their centroid with
 * their variance added to the noise of that point, so mass, mean and variance are kept
 * exactly and only the third and higher moments inside a group (width <= sigma/64) are lost.
 * Tail sums then visit at most ~13 * 64 points whatever n_bins is. */
se_dist lsi_stateye_coarsen(const se_dist *f, const se_view *v)
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
double lsi_stateye_tail_ge(const se_dist *d, double u, double *dens)
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

/* P(Y + N < u); *dens as in lsi_stateye_tail_ge. Summed from the bottom. */
double lsi_stateye_tail_lt(const se_dist *d, double u, double *dens)
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
double lsi_stateye_edge_lo(const se_dist *d, double T)
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
        const double A = lsi_stateye_tail_ge(d, u, &dens);
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
double lsi_stateye_edge_hi(const se_dist *d, double T)
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
        const double B = lsi_stateye_tail_lt(d, u, &dens);
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

/* Tests of the equalizer solvers: MMSE and zero-forcing FFE with DFE. DFE taps from a pulse, FFE
 * applied to an oversampled pulse and argument rejection: test_eqsolve_apply.c. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "eqsolve_util.h"

/* The MSE of eqsolve.h written out: residual ISI outside the DFE rows, cursor error, noise. */
typedef struct {
    const double *h;
    size_t n, main;
    unsigned nt, npre, ndfe;
    double s2;
    const double *acf; /* NULL: white */
} problem;

static double mse_of(const problem *p, const double *w)
{
    const size_t d = p->main + p->npre;
    double e = 0.0;
    for (size_t q = 0; q < p->n + p->nt - 1; q++) {
        if (q > d && q <= d + p->ndfe)
            continue;
        double err = g_at(p->h, p->n, w, p->nt, q) - (q == d ? p->h[p->main] : 0.0);
        e += err * err;
    }
    for (unsigned i = 0; i < p->nt; i++)
        for (unsigned j = 0; j < p->nt; j++) {
            unsigned l = i > j ? i - j : j - i;
            double rho = p->acf ? p->acf[l] / p->acf[0] : (l == 0);
            e += p->s2 * rho * w[i] * w[j];
        }
    return e;
}

/* Nelder-Mead [Nelder & Mead 1965; Lagarias et al. 1998 coefficients] in dim <= 8. */
static double nelder_mead(const problem *p, unsigned dim, double *x)
{
    double v[9][8], fv[9];
    for (unsigned k = 0; k <= dim; k++) {
        memcpy(v[k], x, dim * sizeof *x);
        if (k)
            v[k][k - 1] += 0.3;
        fv[k] = mse_of(p, v[k]);
    }
    for (int it = 0; it < 20000; it++) {
        for (unsigned a = 0; a <= dim; a++) /* sort ascending */
            for (unsigned b = a + 1; b <= dim; b++)
                if (fv[b] < fv[a]) {
                    double t = fv[a];
                    fv[a] = fv[b];
                    fv[b] = t;
                    for (unsigned j = 0; j < dim; j++) {
                        t = v[a][j];
                        v[a][j] = v[b][j];
                        v[b][j] = t;
                    }
                }
        double spread = 0.0;
        for (unsigned k = 1; k <= dim; k++)
            for (unsigned j = 0; j < dim; j++)
                spread = fmax(spread, fabs(v[k][j] - v[0][j]));
        if (spread < 1e-12)
            break;
        double c[8] = {0}, xr[8], xe[8], xc[8];
        for (unsigned k = 0; k < dim; k++)
            for (unsigned j = 0; j < dim; j++)
                c[j] += v[k][j] / dim;
        for (unsigned j = 0; j < dim; j++)
            xr[j] = c[j] + (c[j] - v[dim][j]);
        double fr = mse_of(p, xr);
        if (fr < fv[0]) {
            for (unsigned j = 0; j < dim; j++)
                xe[j] = c[j] + 2.0 * (c[j] - v[dim][j]);
            double fe = mse_of(p, xe);
            if (fe < fr) {
                memcpy(v[dim], xe, sizeof xe);
                fv[dim] = fe;
            } else {
                memcpy(v[dim], xr, sizeof xr);
                fv[dim] = fr;
            }
            continue;
        }
        if (fr < fv[dim - 1]) {
            memcpy(v[dim], xr, sizeof xr);
            fv[dim] = fr;
            continue;
        }
        const int outside = fr < fv[dim];
        for (unsigned j = 0; j < dim; j++)
            xc[j] = outside ? c[j] + 0.5 * (xr[j] - c[j]) : c[j] + 0.5 * (v[dim][j] - c[j]);
        double fc = mse_of(p, xc);
        if (fc < (outside ? fr : fv[dim])) {
            memcpy(v[dim], xc, sizeof xc);
            fv[dim] = fc;
            continue;
        }
        for (unsigned k = 1; k <= dim; k++) { /* shrink */
            for (unsigned j = 0; j < dim; j++)
                v[k][j] = v[0][j] + 0.5 * (v[k][j] - v[0][j]);
            fv[k] = mse_of(p, v[k]);
        }
    }
    memcpy(x, v[0], dim * sizeof *x);
    return fv[0];
}

Test(eqsolve, mmse_matches_brute_force_minimization)
{
    static const double acf[3] = {2.0, 1.1, 0.3}; /* shape only: rho = 1, 0.55, 0.15 */
    const struct {
        unsigned npre, ndfe;
        double s2;
        const double *acf;
    } cases[] = {
        {1, 1, 0.01, NULL}, {1, 1, 0.01, acf}, {1, 0, 0.05, acf}, {0, 2, 0.02, NULL},
        {2, 1, 0.1, acf},   {1, 3, 0.0, NULL}, {0, 0, 0.3, NULL},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        problem p = {pulse6, 6, 2, 3, cases[c].npre, cases[c].ndfe, cases[c].s2, cases[c].acf};
        double w[3], b[3], mse = NAN;
        cr_assert(
            eq(int, ls_ffe_mmse(pulse6, 6, 2, 3, p.npre, p.s2, p.acf, p.ndfe, w, b, &mse), LS_OK),
            "case %zu", c);
        double x[3] = {0.0, 0.0, 0.0};
        x[p.npre] = 1.0;
        double best = nelder_mead(&p, 3, x);
        for (unsigned i = 0; i < 3; i++)
            cr_assert(le(dbl, fabs(w[i] - x[i]), 1e-3), "case %zu tap %u: %.9f vs search %.9f", c,
                      i, w[i], x[i]);
        cr_assert(le(dbl, fabs(mse - best), 1e-6), "case %zu: mse %.12g vs search %.12g", c, mse,
                  best);
        cr_assert(le(dbl, mse, best + 1e-12), "case %zu: the solver is not beaten", c);
        cr_assert(le(dbl, fabs(mse - mse_of(&p, w)), 1e-12), "case %zu: reported mse", c);
    }
}

/* Standard normal from two uniforms of util.c's fill_uniform (Box-Muller). */
static void fill_gauss(double *x, size_t n, uint64_t seed)
{
    float *u = malloc(2 * n * sizeof *u);
    cr_assert(u != NULL);
    fill_uniform(u, 2 * n, seed);
    for (size_t i = 0; i < n; i++) {
        double u1 = (u[2 * i] + 1.0) * 0.5, u2 = (u[2 * i + 1] + 1.0) * 0.5;
        if (u1 <= 0.0)
            u1 = 0x1p-30;
        x[i] = sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
    }
    free(u);
}

Test(eqsolve, mmse_equals_simulated_error_power, .timeout = LS_TIMEOUT(60))
{
    /* Binary +-1 symbols (unit variance) through the pulse, white noise at the FFE input, the FFE,
     * and a DFE fed with the true symbols: the mean squared error against h[main] a_k. */
    enum { NSYM = 200000, NT = 5, NPRE = 1, NDFE = 2 };
    const uint64_t seed = ls_test_seed(20240611u);
    const double s2 = 0.02;
    double w[NT], b[NDFE], mse;
    cr_assert(eq(int, ls_ffe_mmse(pulse6, 6, 2, NT, NPRE, s2, NULL, NDFE, w, b, &mse), LS_OK));
    float *sym = malloc(NSYM * sizeof *sym);
    double *noise = malloc(NSYM * sizeof *noise), *x = malloc(NSYM * sizeof *x);
    cr_assert(sym && noise && x);
    fill_uniform(sym, NSYM, seed);
    fill_gauss(noise, NSYM, seed ^ 0x5555u);
    for (size_t k = 0; k < NSYM; k++)
        sym[k] = sym[k] < 0.0f ? -1.0f : 1.0f;
    for (size_t k = 0; k < NSYM; k++) { /* x_k = sum_j h[j] a_{k-j} + noise; main at j = 2 */
        double s = sqrt(s2) * noise[k];
        for (size_t j = 0; j < 6 && j <= k; j++)
            s += pulse6[j] * sym[k - j];
        x[k] = s;
    }
    double acc = 0.0;
    size_t cnt = 0;
    for (size_t k = 16; k + 16 < NSYM; k++) {
        /* Decision on a_{k-2} (main cursor delay): y = sum_i w[i] x_{k + NPRE - i}. */
        double y = 0.0;
        for (unsigned i = 0; i < NT; i++)
            y += w[i] * x[k + NPRE - i];
        for (unsigned j = 1; j <= NDFE; j++)
            y -= b[j - 1] * sym[k - 2 - j];
        double e = y - pulse6[2] * sym[k - 2];
        acc += e * e;
        cnt++;
    }
    const double sim = acc / (double)cnt;
    /* e is nearly Gaussian: the relative standard error of the mean of e^2 is ~sqrt(2/cnt)
     * = 0.32 %; allow 5 sigma. */
    ls_assert_seeded(le(dbl, fabs(sim / mse - 1.0), 5.0 * sqrt(2.0 / cnt)), seed, "simulated %.6g vs %.6g", sim,
                     mse);
    free(sym);
    free(noise);
    free(x);
}

Test(eqsolve, five_taps_invert_a_short_channel)
{
    /* h = [0, 1, 0.4]: the inverse of 1 + 0.4 D truncated to 5 taps, 1, -0.4, 0.16, -0.064,
     * 0.0256, leaves a single residual 0.4^5 (= 0.01024) after the cursor: the MMSE (no noise)
     * cannot do worse, so MSE <= 0.4^10 and every residual is below 0.4^5. */
    static const double h[3] = {0.0, 1.0, 0.4};
    const double bound = pow(0.4, 10.0);
    double w[5], mse;
    cr_assert(eq(int, ls_ffe_mmse(h, 3, 1, 5, 0, 0.0, NULL, 0, w, NULL, &mse), LS_OK));
    cr_assert(le(dbl, mse, bound * (1.0 + 1e-12)), "mse %g, bound %g", mse, bound);
    cr_assert(gt(dbl, mse, 0.0));
    for (size_t q = 0; q < 7; q++) {
        double r = g_at(h, 3, w, 5, q) - (q == 1 ? 1.0 : 0.0);
        cr_assert(le(dbl, fabs(r), pow(0.4, 5.0)), "residual at %zu: %g", q, r);
    }
    /* Zero forcing gives the truncated inverse itself. */
    double z[5];
    cr_assert(eq(int, ls_ffe_zf(h, 3, 1, 5, 0, 0, z, NULL), LS_OK));
    const double inv[5] = {1.0, -0.4, 0.16, -0.064, 0.0256};
    for (unsigned i = 0; i < 5; i++)
        cr_assert(le(dbl, fabs(z[i] - inv[i]), 1e-15), "zf tap %u: %.17g", i, z[i]);
    cr_assert(le(dbl, fabs(g_at(h, 3, z, 5, 6) - pow(0.4, 5.0)), 1e-15));
    /* With a 1-tap DFE the residual moves: ZF forces 2..5 after the cursor and returns
     * post-cursor 1 as the DFE tap. */
    double z2[5], b2;
    cr_assert(eq(int, ls_ffe_zf(h, 3, 1, 5, 0, 1, z2, &b2), LS_OK));
    cr_assert(eq(dbl, b2, g_at(h, 3, z2, 5, 2)));
    for (size_t q = 3; q <= 6; q++)
        cr_assert(le(dbl, fabs(g_at(h, 3, z2, 5, q)), 1e-15), "q %zu", q);
    cr_assert(le(dbl, fabs(g_at(h, 3, z2, 5, 1) - 1.0), 1e-15));
}

Test(eqsolve, zero_forcing_nulls_its_rows)
{
    static const double h[9] = {0.01, -0.03, 0.12, 0.35, 0.8, 0.5, 0.21, 0.06, -0.02};
    const unsigned nt = 9, npre = 3, ndfe = 2;
    const size_t mainc = 4, d = mainc + npre;
    double w[9], b[2];
    cr_assert(eq(int, ls_ffe_zf(h, 9, mainc, nt, npre, ndfe, w, b), LS_OK));
    cr_assert(le(dbl, fabs(g_at(h, 9, w, nt, d) - h[mainc]), 1e-12));
    for (size_t k = 1; k <= npre; k++)
        cr_assert(le(dbl, fabs(g_at(h, 9, w, nt, d - k)), 1e-12), "pre-cursor %zu", k);
    for (size_t k = 1; k < nt - npre; k++)
        cr_assert(le(dbl, fabs(g_at(h, 9, w, nt, d + ndfe + k)), 1e-12), "post %zu", ndfe + k);
    for (unsigned j = 1; j <= ndfe; j++)
        cr_assert(eq(dbl, b[j - 1], g_at(h, 9, w, nt, d + j)));
}

Test(eqsolve, dfe_taps_are_the_equalized_postcursors)
{
    static const double acf[7] = {1.0, 0.6, 0.25, 0.05, 0.0, 0.0, 0.0};
    for (unsigned ndfe = 0; ndfe <= 6; ndfe++) {
        double w[7], b[6], mse;
        cr_assert(eq(int, ls_ffe_mmse(pulse6, 6, 2, 7, 2, 0.01, acf, ndfe, w, b, &mse), LS_OK));
        for (unsigned j = 1; j <= ndfe; j++) /* g[d + j] - b_j == 0 exactly */
            cr_assert(eq(dbl, g_at(pulse6, 6, w, 7, 2 + 2 + j) - b[j - 1], 0.0), "ndfe %u j %u",
                      ndfe, j);
    }
    /* More DFE taps never increase the MSE (each frees one ISI term). */
    double prev = INFINITY;
    for (unsigned ndfe = 0; ndfe <= 8; ndfe++) {
        double w[7], b[8], mse;
        cr_assert(eq(int, ls_ffe_mmse(pulse6, 6, 2, 7, 2, 0.01, acf, ndfe, w, b, &mse), LS_OK));
        cr_assert(le(dbl, mse, prev * (1.0 + 1e-12)), "ndfe %u: %g after %g", ndfe, mse, prev);
        prev = mse;
    }
}

Test(eqsolve, scaled_taps_solve_the_unit_cursor_problem_of_com)
{
    /* COM 178A: minimize the ISI outside {d} and D plus noise subject to g[d] = 1. At the
     * constrained optimum u the gradient is parallel to the constraint: v = A' u = lambda c with
     * c_i = h[d - i] and A' the quadratic form without the cursor row. Claim: u = w / g[d]. */
    static const double acf[6] = {1.0, 0.5, 0.2, 0.05, 0.0, 0.0};
    const unsigned nt = 6, npre = 2, ndfe = 2;
    const double s2 = 0.03;
    const size_t d = 2 + npre, nq = 6 + nt - 1;
    double w[6], b[2];
    cr_assert(eq(int, ls_ffe_mmse(pulse6, 6, 2, nt, npre, s2, acf, ndfe, w, b, NULL), LS_OK));
    const double gd = g_at(pulse6, 6, w, nt, d);
    double u[6], v[6] = {0}, c[6];
    for (unsigned i = 0; i < nt; i++)
        u[i] = w[i] / gd;
    for (unsigned i = 0; i < nt; i++) {
        c[i] = (d >= i && d - i < 6) ? pulse6[d - i] : 0.0;
        for (size_t q = 0; q < nq; q++) {
            if (q == d || (q > d && q <= d + ndfe))
                continue;
            const double cqi = (q >= i && q - i < 6) ? pulse6[q - i] : 0.0;
            v[i] += g_at(pulse6, 6, u, nt, q) * cqi;
        }
        for (unsigned j = 0; j < nt; j++)
            v[i] += s2 * acf[i > j ? i - j : j - i] * u[j];
    }
    double vc = 0.0, cc = 0.0, vv = 0.0;
    for (unsigned i = 0; i < nt; i++) {
        vc += v[i] * c[i];
        cc += c[i] * c[i];
        vv += v[i] * v[i];
    }
    const double lambda = vc / cc;
    for (unsigned i = 0; i < nt; i++)
        cr_assert(le(dbl, fabs(v[i] - lambda * c[i]), 1e-12 * sqrt(vv)), "tap %u", i);
    cr_assert(le(dbl, fabs(g_at(pulse6, 6, u, nt, d) - 1.0), 1e-14));
}

Test(eqsolve, noise_shrinks_the_taps)
{
    static const double s2s[] = {0.0, 1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0};
    static const double acf[7] = {1.0, 0.4, 0.1, 0.0, 0.0, 0.0, 0.0};
    for (int colored = 0; colored < 2; colored++) {
        double prev_norm = INFINITY, prev_mse = -1.0;
        for (size_t k = 0; k < sizeof s2s / sizeof s2s[0]; k++) {
            double w[7], b[1], mse;
            cr_assert(eq(
                int, ls_ffe_mmse(pulse6, 6, 2, 7, 2, s2s[k], colored ? acf : NULL, 1, w, b, &mse),
                LS_OK));
            /* The noise gain w' rho w (|w|^2 when white) falls strictly as sigma2 grows:
             * d/ds2 (w' rho w) = -2 w' rho (G + s2 rho)^-1 rho w < 0. */
            double nrm = 0.0;
            for (unsigned i = 0; i < 7; i++)
                for (unsigned j = 0; j < 7; j++)
                    nrm += w[i] * w[j] * (colored ? acf[i > j ? i - j : j - i] : (i == j));
            cr_assert(lt(dbl, nrm, prev_norm), "sigma2 %g: |w| %g after %g", s2s[k], nrm,
                      prev_norm);
            cr_assert(gt(dbl, mse, prev_mse), "sigma2 %g", s2s[k]);
            cr_assert(le(dbl, mse, pulse6[2] * pulse6[2] * (1.0 + 1e-12)), "w = 0 bounds the mse");
            prev_norm = nrm;
            prev_mse = mse;
        }
    }
}

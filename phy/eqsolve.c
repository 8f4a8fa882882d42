/*
 * Equalizer solvers on a symbol-spaced pulse response.
 *
 * MMSE FFE with DFE [Proakis, Digital Communications, ch. 9 (MMSE linear and decision-feedback
 * equalizers); IEEE 802.3dj Annex 178A, Rx FFE by MMSE with the DFE post-cursors excluded from
 * the error]. With the convolution matrix C[q][i] = h[q - i] (q = 0..N+T-2), the equalized pulse
 * g = C w, the cursor row d = main + n_pre and the DFE rows D = {d+1..d+n_dfe}, the error for
 * independent unit-variance symbols and noise of covariance R is
 *     MSE(w) = || C_S w - t ||^2 + w' R w,   S = all rows but D,  t = h[main] e_d,
 * minimized by the normal equations (C_S' C_S + R) w = h[main] C[d]'. The Gram matrix C' C is the
 * Toeplitz autocorrelation r[|i-j|] = sum_k h[k] h[k + |i-j|]; the DFE rows are subtracted from
 * it. The system (size <= 64) is solved by Cholesky; a non-positive pivot means no unique
 * minimizer. The MSE is then evaluated directly from g (not via the t' t - b' w shortcut).
 *
 * Zero forcing: T equations g[q] = t[q] on the rows listed in eqsolve.h, solved by Gaussian
 * elimination with partial pivoting [Lucky 1965; PRZF in 802.3dj COM is its least-squares
 * relative].
 */
#include "lanesim/eqsolve.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "ls_eqsolve_internal.h"
#include "ls_internal.h"

#define MAXT LS_EQSOLVE_MAX_TAPS

static int all_finite(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return 0;
    return 1;
}

/* Shared argument checks of the FFE solvers. */
static int ffe_args_ok(const double *h, size_t n, size_t main_ix, unsigned n_taps, unsigned n_pre,
                       unsigned n_dfe, const double *taps_out, const double *dfe_out)
{
    if (!h || n == 0 || main_ix >= n || n_taps == 0 || n_taps > MAXT || n_pre >= n_taps ||
        n_dfe > LS_EQSOLVE_MAX_DFE || !taps_out || (n_dfe && !dfe_out))
        return 0;
    if (n > SIZE_MAX / 2 - MAXT) /* q indices below stay representable */
        return 0;
    return all_finite(h, n) && h[main_ix] != 0.0;
}

/* C[q][i] = h[q - i] (0 outside the pulse). */
static double cmat(const double *h, size_t n, size_t q, unsigned i)
{
    return (q >= i && q - i < n) ? h[q - i] : 0.0;
}

/* g[q] = sum_i w[i] h[q - i], summed in tap order. */
static double conv_at(const double *h, size_t n, const double *w, unsigned nt, size_t q)
{
    double s = 0.0;
    for (unsigned i = 0; i < nt; i++)
        s += w[i] * cmat(h, n, q, i);
    return s;
}

/* In-place Cholesky a = L L' (lower triangle), then solves L L' x = x. 0 on success. */
static int cholesky_solve(unsigned n, double a[MAXT][MAXT], double *x)
{
    double trace = 0.0;
    for (unsigned i = 0; i < n; i++)
        trace += fabs(a[i][i]);
    const double tiny = 1e-14 * trace / n;
    for (unsigned j = 0; j < n; j++) {
        double d = a[j][j];
        for (unsigned k = 0; k < j; k++)
            d -= a[j][k] * a[j][k];
        if (!(d > tiny))
            return -1;
        d = sqrt(d);
        a[j][j] = d;
        for (unsigned i = j + 1; i < n; i++) {
            double s = a[i][j];
            for (unsigned k = 0; k < j; k++)
                s -= a[i][k] * a[j][k];
            a[i][j] = s / d;
        }
    }
    for (unsigned i = 0; i < n; i++) { /* L y = x */
        double s = x[i];
        for (unsigned k = 0; k < i; k++)
            s -= a[i][k] * x[k];
        x[i] = s / a[i][i];
    }
    for (unsigned i = n; i-- > 0;) { /* L' x = y */
        double s = x[i];
        for (unsigned k = i + 1; k < n; k++)
            s -= a[k][i] * x[k];
        x[i] = s / a[i][i];
    }
    return 0;
}

/* Exported for phy/mlse.c (ls_eqsolve_internal.h). */
int lsi_spd_solve(unsigned n, double a[MAXT][MAXT], double *x)
{
    return cholesky_solve(n, a, x);
}

/* DFE taps = equalized post-cursors 1..n_dfe. */
static void dfe_from_equalized(const double *h, size_t n, const double *w, unsigned nt, size_t d,
                               unsigned n_dfe, double *dfe_out)
{
    for (unsigned j = 1; j <= n_dfe; j++)
        dfe_out[j - 1] = conv_at(h, n, w, nt, d + j);
}

ls_status ls_ffe_mmse(const double *cursors, size_t n_cursors, size_t main, unsigned n_taps,
                      unsigned n_pre, double sigma2_noise, const double *noise_acf, unsigned n_dfe,
                      double *taps_out, double *dfe_out, double *mse_out)
{
    const double *h = cursors;
    const size_t n = n_cursors;
    if (!ffe_args_ok(h, n, main, n_taps, n_pre, n_dfe, taps_out, dfe_out))
        return LS_EINVAL;
    if (!isfinite(sigma2_noise) || sigma2_noise < 0.0)
        return LS_EINVAL;
    double rho[MAXT];
    for (unsigned k = 0; k < n_taps; k++)
        rho[k] = (k == 0);
    if (noise_acf) {
        if (!all_finite(noise_acf, n_taps) || !(noise_acf[0] > 0.0))
            return LS_EINVAL;
        for (unsigned k = 0; k < n_taps; k++) {
            if (fabs(noise_acf[k]) > noise_acf[0])
                return LS_EINVAL;
            rho[k] = noise_acf[k] / noise_acf[0];
        }
    }

    const unsigned nt = n_taps;
    const size_t d = main + n_pre, nq = n + nt - 1;
    double r[MAXT]; /* autocorrelation of h at lags 0..nt-1 */
    for (unsigned l = 0; l < nt; l++) {
        double s = 0.0;
        for (size_t k = 0; k + l < n; k++)
            s += h[k] * h[k + l];
        r[l] = s;
    }
    double a[MAXT][MAXT], w[MAXT];
    for (unsigned i = 0; i < nt; i++)
        for (unsigned j = 0; j <= i; j++) {
            double s = r[i - j] + sigma2_noise * rho[i - j];
            for (unsigned k = 1; k <= n_dfe && d + k < nq; k++)
                s -= cmat(h, n, d + k, i) * cmat(h, n, d + k, j);
            a[i][j] = a[j][i] = s;
        }
    for (unsigned i = 0; i < nt; i++)
        w[i] = h[main] * cmat(h, n, d, i);
    if (cholesky_solve(nt, a, w))
        return LS_EINVAL;

    if (mse_out) {
        double e = 0.0;
        for (size_t q = 0; q < nq; q++) {
            if (q > d && q <= d + n_dfe)
                continue;
            const double err = conv_at(h, n, w, nt, q) - (q == d ? h[main] : 0.0);
            e += err * err;
        }
        for (unsigned i = 0; i < nt; i++)
            for (unsigned j = 0; j < nt; j++)
                e += sigma2_noise * rho[i > j ? i - j : j - i] * w[i] * w[j];
        *mse_out = e;
    }
    dfe_from_equalized(h, n, w, nt, d, n_dfe, dfe_out);
    memcpy(taps_out, w, nt * sizeof *w);
    return LS_OK;
}

ls_status ls_ffe_zf(const double *cursors, size_t n_cursors, size_t main, unsigned n_taps,
                    unsigned n_pre, unsigned n_dfe, double *taps_out, double *dfe_out)
{
    const double *h = cursors;
    const size_t n = n_cursors;
    if (!ffe_args_ok(h, n, main, n_taps, n_pre, n_dfe, taps_out, dfe_out))
        return LS_EINVAL;
    const unsigned nt = n_taps;
    const size_t d = main + n_pre;
    double a[MAXT][MAXT], x[MAXT];
    for (unsigned e = 0; e < nt; e++) {
        /* Rows d - n_pre .. d, then d + n_dfe + 1 .. */
        const size_t q = e <= n_pre ? d - n_pre + e : d + n_dfe + (e - n_pre);
        for (unsigned i = 0; i < nt; i++)
            a[e][i] = cmat(h, n, q, i);
        x[e] = q == d ? h[main] : 0.0;
    }
    for (unsigned col = 0; col < nt; col++) {
        unsigned piv = col;
        for (unsigned r = col + 1; r < nt; r++)
            if (fabs(a[r][col]) > fabs(a[piv][col]))
                piv = r;
        if (!(fabs(a[piv][col]) > 1e-14 * fabs(h[main])))
            return LS_EINVAL;
        if (piv != col) {
            for (unsigned j = 0; j < nt; j++) {
                const double t = a[col][j];
                a[col][j] = a[piv][j];
                a[piv][j] = t;
            }
            const double t = x[col];
            x[col] = x[piv];
            x[piv] = t;
        }
        for (unsigned r = col + 1; r < nt; r++) {
            const double f = a[r][col] / a[col][col];
            for (unsigned j = col; j < nt; j++)
                a[r][j] -= f * a[col][j];
            x[r] -= f * x[col];
        }
    }
    for (unsigned r = nt; r-- > 0;) {
        double s = x[r];
        for (unsigned j = r + 1; j < nt; j++)
            s -= a[r][j] * x[j];
        x[r] = s / a[r][r];
    }
    if (!all_finite(x, nt))
        return LS_EINVAL;
    dfe_from_equalized(h, n, x, nt, d, n_dfe, dfe_out);
    memcpy(taps_out, x, nt * sizeof *x);
    return LS_OK;
}

ls_status ls_dfe_from_pulse(const double *cursors, size_t n, size_t main, unsigned n_dfe,
                            const double *limits, double *dfe_out)
{
    if (!cursors || n == 0 || main >= n || n_dfe > LS_EQSOLVE_MAX_DFE || (n_dfe && !dfe_out))
        return LS_EINVAL;
    if (!all_finite(cursors, n) || cursors[main] == 0.0)
        return LS_EINVAL;
    if (limits) {
        if (!all_finite(limits, n_dfe))
            return LS_EINVAL;
        for (unsigned j = 0; j < n_dfe; j++)
            if (limits[j] < 0.0)
                return LS_EINVAL;
    }
    const double hm = fabs(cursors[main]);
    for (unsigned j = 1; j <= n_dfe; j++) {
        double b = (j < n - main) ? cursors[main + j] : 0.0;
        if (limits) {
            const double lim = limits[j - 1] * hm;
            b = fmin(fmax(b, -lim), lim);
        }
        dfe_out[j - 1] = b;
    }
    return LS_OK;
}

ls_status ls_apply_ffe(const float *pulse, size_t n, unsigned sps, const double *taps,
                       unsigned n_taps, unsigned n_pre, float *out)
{
    if (!pulse || !out || !taps || n == 0 || sps == 0 || n_taps == 0 || n_taps > MAXT ||
        n_pre >= n_taps)
        return LS_EINVAL;
    const size_t reach = (size_t)(n_taps - 1) * sps;
    if (n > SIZE_MAX / sizeof(float) - reach)
        return LS_EINVAL;
    const size_t n_out = n + reach;
    const uintptr_t p0 = (uintptr_t)pulse, p1 = p0 + n * sizeof *pulse;
    const uintptr_t o0 = (uintptr_t)out, o1 = o0 + n_out * sizeof *out;
    if (p0 < o1 && o0 < p1)
        return LS_EINVAL;
    if (!all_finite(taps, n_taps))
        return LS_EINVAL;
    for (size_t t = 0; t < n_out; t++) {
        double s = 0.0;
        for (unsigned i = 0; i < n_taps; i++) {
            const size_t off = (size_t)i * sps;
            if (off > t)
                break;
            if (t - off < n)
                s += taps[i] * (double)pulse[t - off];
        }
        out[t] = (float)s;
    }
    return LS_OK;
}

/*
 * MLSE for PAM-M through the partial-response target 1 + alpha D (equations in
 * include/lanesim/mlse.h and docs/receiver.md, "MLSE").
 *
 * Viterbi algorithm [G. D. Forney, "The Viterbi algorithm", Proc. IEEE 61(3), 1973; Forney,
 * IEEE Trans. Inf. Theory 18(3), 1972 for MLSE on an ISI channel]: the state is the previous
 * symbol, so each step is an add-compare-select over M x M branches with the precomputed
 * expected outputs e[i][j] = r_i + alpha r_j, then a traceback of `depth` steps through a ring of
 * M x depth survivor bytes (the predecessor of each state at each time). Path metrics are double
 * and renormalized to a zero minimum each step; ties go to the lower predecessor index, so the
 * output is a deterministic function of the input sequence (independent of how it is chunked).
 *
 * Partial-response MMSE FFE: the normal equations of eqsolve.c (Proakis, Digital
 * Communications, ch. 9) with the target h[main] (e_d + alpha e_{d+1}); solved by eqsolve.c's
 * Cholesky (lsi_spd_solve).
 */
#include "lanesim/mlse.h"

#include <math.h>
#include <string.h>

#include "lanesim/pam.h"
#include "ls_eqsolve_internal.h"
#include "ls_internal.h"

#define MAXM LS_PAM_MAX_LEVELS

struct ls_mlse {
    unsigned m, depth;
    size_t max_block;
    double exp[MAXM][MAXM]; /* expected detector input for state i (current) from state j (previous) */
    double pm[MAXM];        /* path metrics of the states at the last time */
    uint8_t *surv;          /* [depth][m] predecessor of each state, ring indexed by time mod depth */
    size_t pos;             /* ring slot of the next time */
    uint64_t n_in;          /* inputs since create/reset */
};

void ls_mlse_config_init(ls_mlse_config *c)
{
    *c = (ls_mlse_config){ .levels = 4, .alpha = 0.5, .depth = 64, .max_block = 4096 };
    ls_pam_levels(4, 1.0, c->ref);
}

void ls_mlse_destroy(ls_mlse *q)
{
    if (!q)
        return;
    ls_free(q->surv);
    ls_free(q);
}

ls_mlse *ls_mlse_create(const ls_mlse_config *c, ls_status *err)
{
    ls_status st = LS_EINVAL;
    ls_mlse *q = NULL;
    if (!c || !ls_pam_bits(c->levels) || !(c->alpha >= 0.0 && c->alpha <= 1.0) || c->depth < LS_MLSE_MIN_DEPTH ||
        c->depth > LS_MLSE_MAX_DEPTH || !c->max_block)
        goto fail;
    for (unsigned i = 0; i < c->levels; i++)
        if (!isfinite(c->ref[i]))
            goto fail;
    st = LS_ENOMEM;
    if (!(q = ls_alloc(sizeof *q)))
        goto fail;
    *q = (struct ls_mlse){ .m = c->levels, .depth = c->depth, .max_block = c->max_block };
    if (!(q->surv = ls_alloc_n((size_t)c->depth * c->levels, 1)))
        goto fail;
    for (unsigned i = 0; i < q->m; i++)
        for (unsigned j = 0; j < q->m; j++)
            q->exp[i][j] = c->ref[i] + c->alpha * c->ref[j];
    if (err)
        *err = LS_OK;
    return q;
fail:
    ls_mlse_destroy(q);
    if (err)
        *err = st;
    return NULL;
}

ls_status ls_mlse_reset(ls_mlse *q)
{
    if (!q)
        return LS_EINVAL;
    memset(q->pm, 0, sizeof q->pm);
    memset(q->surv, 0, (size_t)q->depth * q->m);
    q->pos = 0;
    q->n_in = 0;
    return LS_OK;
}

size_t ls_mlse_latency(const ls_mlse *q)
{
    return q ? q->depth : 0;
}

ls_status ls_mlse_process(ls_mlse *q, const float *y, size_t n, uint8_t *decisions, size_t *n_out)
{
    if (!q || (n && (!y || !decisions)) || !n_out || n > q->max_block)
        return LS_EINVAL;
    for (size_t k = 0; k < n; k++)
        if (!isfinite(y[k]))
            return LS_EINVAL;
    const unsigned m = q->m, depth = q->depth;
    size_t out = 0;
    for (size_t k = 0; k < n; k++) {
        const double yk = y[k];
        uint8_t *sv = q->surv + q->pos * m;
        double npm[MAXM], best = INFINITY;
        unsigned best_i = 0;
        /* add-compare-select: new state i (this symbol) from old state j (previous symbol) */
        for (unsigned i = 0; i < m; i++) {
            double mi = INFINITY;
            unsigned arg = 0;
            for (unsigned j = 0; j < m; j++) {
                const double e = yk - q->exp[i][j];
                const double mij = q->pm[j] + e * e;
                if (mij < mi) {
                    mi = mij;
                    arg = j;
                }
            }
            npm[i] = mi;
            sv[i] = (uint8_t)arg;
            if (mi < best) {
                best = mi;
                best_i = i;
            }
        }
        for (unsigned i = 0; i < m; i++)
            q->pm[i] = npm[i] - best;
        q->n_in++;
        if (q->n_in > depth) {
            /* the best state now is this symbol; depth predecessors back is symbol n_in-1-depth */
            unsigned s = best_i;
            size_t p = q->pos;
            for (unsigned t = 0; t < depth; t++) {
                s = q->surv[p * m + s];
                p = p ? p - 1 : depth - 1;
            }
            decisions[out++] = (uint8_t)s;
        }
        q->pos = q->pos + 1 == depth ? 0 : q->pos + 1;
    }
    *n_out = out;
    return LS_OK;
}

static double cmat(const double *h, size_t n, size_t q, unsigned i)
{
    return (q >= i && q - i < n) ? h[q - i] : 0.0;
}

ls_status ls_ffe_mmse_pr(const double *h, size_t n, size_t main, unsigned n_taps, unsigned n_pre, double sigma2,
                         const double *noise_acf, double alpha, double *taps_out, double *mse_out)
{
    const unsigned nt = n_taps;
    if (!h || !n || main >= n || !nt || nt > LS_EQSOLVE_MAX_TAPS || n_pre >= nt || !taps_out ||
        n > SIZE_MAX / 2 - LS_EQSOLVE_MAX_TAPS || !isfinite(sigma2) || sigma2 < 0.0 || !(alpha >= 0.0 && alpha <= 1.0))
        return LS_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(h[i]))
            return LS_EINVAL;
    if (h[main] == 0.0)
        return LS_EINVAL;
    double rho[LS_EQSOLVE_MAX_TAPS];
    for (unsigned k = 0; k < nt; k++)
        rho[k] = (k == 0);
    if (noise_acf) {
        if (!(noise_acf[0] > 0.0) || !isfinite(noise_acf[0]))
            return LS_EINVAL;
        for (unsigned k = 0; k < nt; k++) {
            if (!isfinite(noise_acf[k]) || fabs(noise_acf[k]) > noise_acf[0])
                return LS_EINVAL;
            rho[k] = noise_acf[k] / noise_acf[0];
        }
    }
    const size_t d = main + n_pre, nq = n + nt - 1;
    double a[LS_EQSOLVE_MAX_TAPS][LS_EQSOLVE_MAX_TAPS], w[LS_EQSOLVE_MAX_TAPS];
    for (unsigned l = 0; l < nt; l++) {
        double s = 0.0;
        for (size_t k = 0; k + l < n; k++)
            s += h[k] * h[k + l];
        for (unsigned i = l; i < nt; i++)
            a[i][i - l] = a[i - l][i] = s + sigma2 * rho[l];
    }
    for (unsigned i = 0; i < nt; i++)
        w[i] = h[main] * (cmat(h, n, d, i) + alpha * cmat(h, n, d + 1, i));
    if (lsi_spd_solve(nt, a, w))
        return LS_EINVAL;
    for (unsigned i = 0; i < nt; i++)
        if (!isfinite(w[i]))
            return LS_EINVAL;
    if (mse_out) {
        double e = 0.0;
        for (size_t q = 0; q < nq || q <= d + 1; q++) {
            double g = 0.0;
            for (unsigned i = 0; i < nt; i++)
                g += w[i] * cmat(h, n, q, i);
            const double err = g - (q == d ? h[main] : q == d + 1 ? alpha * h[main] : 0.0);
            e += err * err;
        }
        for (unsigned i = 0; i < nt; i++)
            for (unsigned j = 0; j < nt; j++)
                e += sigma2 * rho[i > j ? i - j : j - i] * w[i] * w[j];
        *mse_out = e;
    }
    memcpy(taps_out, w, nt * sizeof *w);
    return LS_OK;
}

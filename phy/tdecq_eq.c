/*
 * TDECQ reference equalizer and noise search (IEEE 802.3 cl. 121.8.5.3-121.8.5.4; 802.3dj draft
 * 1-tap DFE; include/lanesim/tdecq.h, docs/tdecq.md).
 *
 * Equalizer output at symbol k and instant j (rows of T-spaced samples s_j):
 *     e_j[k] = sum_i w_i s_j[k + n_pre - i] - b L(x[k-1]),  L(x) = P_ave + (OMA/2) v(x),  sum w = 1 + b
 * (the DFE subtracts b times the previous symbol's nominal level on the FFE-input scale, its decision
 * being the transmitted symbol: a pattern-locked measurement has no error propagation).
 * SER of a window under added Gaussian noise sigma at the equalizer output: the samples of the
 * window's points are binned on a grid whose edges hold the thresholds; a bin with mean m in the
 * region (t_lo, t_hi) contributes Q((m - t_lo)/sigma) + Q((t_hi - m)/sigma) (an outer region has
 * one term). sigma_eq = the largest sigma with max(SER_L, SER_R) <= target, by bisection in
 * log sigma; sigma_G = sigma_eq / C_eq with C_eq = sqrt(w' R w), R the normalised autocorrelation
 * of the input noise at T-spaced lags; TDECQ = 10 log10(OMA / (6 Q_t sqrt(sigma_G^2 + sigma_S^2))).
 * Taps: the constrained MMSE fit at the eye centre (least squares plus the noise the target allows,
 * sigma_t = OMA/(6 Q_t), weighted by R) for each allowed main-tap position, the
 * best one refined by a coordinate search on TDECQ itself (each move of a tap is balanced by the
 * main tap so that sum w - b stays 1; a DFE move adds the same amount to the main tap).
 */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "lanesim/filter.h"
#include "lanesim/stats.h"
#include "ls_internal.h"
#include "tdecq_internal.h"

#define MAXV (LS_TDECQ_MAX_TAPS + 1u)

void lsi_tdecq_noise_acf(double baud, double f3db_hz, double *R, unsigned n)
{
    memset(R, 0, n * sizeof *R);
    if (!isfinite(f3db_hz)) {
        R[0] = 1.0;
        return;
    }
    ls_lowpass_config lc = { .type = LS_LP_BESSEL, .order = 4, .f3db_hz = f3db_hz };
    const unsigned nf = 16000;
    const double df = 40.0 * f3db_hz / nf, T = 1.0 / baud;
    for (unsigned i = 0; i < nf; i++) {
        double f = (i + 0.5) * df;
        double complex h;
        if (ls_lowpass_response(&lc, &f, &h, 1) != LS_OK)
            return;
        double p = creal(h) * creal(h) + cimag(h) * cimag(h);
        for (unsigned m = 0; m < n; m++)
            R[m] += p * cos(2.0 * M_PI * f * m * T);
    }
    double r0 = R[0];
    for (unsigned m = 0; m < n; m++)
        R[m] /= r0;
}

double lsi_tdecq_ceq(const double *R, const double *w, unsigned n)
{
    double c = 0;
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < n; j++)
            c += w[i] * w[j] * R[i > j ? i - j : j - i];
    return sqrt(c > 0 ? c : 0);
}

double lsi_tdecq_eq_at(const lsi_tdecq *t, const double *row, size_t k, const double *w, unsigned n_taps,
                       unsigned n_pre, double b)
{
    double e = -b * t->lv[t->lev[k - 1]];
    for (unsigned i = 0; i < n_taps; i++)
        e += w[i] * row[k + n_pre - i];
    return e;
}

/* Histograms of the two windows from the equalized rows e. */
static void bin_windows(lsi_tdecq *t, const double *e)
{
    memset(t->cnt, 0, sizeof t->cnt);
    memset(t->sum, 0, sizeof t->sum);
    const double lo = t->p_ave - 1.5 * t->oma, scale = LSI_TDECQ_BINS / (3.0 * t->oma);
    const unsigned half = t->n_inst / 2;
    for (unsigned j = 0; j < t->n_inst; j++) {
        const double *row = e + j * t->n_sym;
        double *c = t->cnt[j >= half], *s = t->sum[j >= half];
        for (size_t k = t->k_lo; k < t->k_hi; k++) {
            double u = (row[k] - lo) * scale;
            long b = u < 0 ? 0 : (u >= LSI_TDECQ_BINS ? (long)LSI_TDECQ_BINS - 1 : (long)u);
            c[b] += 1.0;
            s[b] += row[k];
        }
    }
}

/* SER of window h at output noise sigma. */
static double window_ser(const lsi_tdecq *t, unsigned h, double sigma)
{
    double err = 0, n = 0;
    for (unsigned b = 0; b < LSI_TDECQ_BINS; b++) {
        double c = t->cnt[h][b];
        if (c == 0)
            continue;
        n += c;
        double m = t->sum[h][b] / c;
        unsigned reg = (m >= t->thr[0]) + (m >= t->thr[1]) + (m >= t->thr[2]);
        double q = 0;
        if (reg > 0)
            q += ls_q((m - t->thr[reg - 1]) / sigma);
        if (reg < 3)
            q += ls_q((t->thr[reg] - m) / sigma);
        err += c * q;
    }
    return n > 0 ? err / n : 1.0;
}

static double worst_ser(const lsi_tdecq *t, double sigma)
{
    return LS_MAX(window_ser(t, 0, sigma), window_ser(t, 1, sigma));
}

/* Largest sigma with worst SER <= target (0 when even a vanishing noise misses it). */
static double sigma_search(const lsi_tdecq *t, double guess)
{
    const double target = t->cfg->target_ser, ref = t->oma / (6.0 * t->qt);
    double lo = 1e-4 * ref, hi;
    if (guess > 0 && worst_ser(t, guess / 1.3) <= target && worst_ser(t, guess * 1.3) > target) {
        lo = guess / 1.3;
        hi = guess * 1.3;
    } else {
        if (worst_ser(t, lo) > target)
            return 0.0;
        hi = 2.0 * ref;
        while (worst_ser(t, hi) <= target && hi < 1e6 * ref)
            hi *= 2.0;
    }
    while (hi / lo > 1.0 + 1e-7) {
        double mid = sqrt(lo * hi);
        if (worst_ser(t, mid) <= target)
            lo = mid;
        else
            hi = mid;
    }
    return sqrt(lo * hi);
}

typedef struct {
    double w[LS_TDECQ_MAX_TAPS], b, tdecq, ceq, sig_eq, sig_g;
    unsigned pre;
} cand;

/* TDECQ of the equalized rows e with taps c (fills c's figures). */
static void evaluate(lsi_tdecq *t, const double *e, cand *c)
{
    const ls_tdecq_config *cfg = t->cfg;
    bin_windows(t, e);
    t->n_eval++;
    c->ceq = lsi_tdecq_ceq(t->R, c->w, cfg->n_taps);
    c->sig_eq = sigma_search(t, c->sig_eq);
    c->sig_g = c->ceq > 0 ? c->sig_eq / c->ceq : 0;
    double s = sqrt(c->sig_g * c->sig_g + cfg->sigma_s * cfg->sigma_s);
    c->tdecq = s > 0 ? 10.0 * log10(t->oma / (6.0 * t->qt * s)) : INFINITY;
}

static void equalize_rows(const lsi_tdecq *t, const cand *c, double *e)
{
    for (unsigned j = 0; j < t->n_inst; j++) {
        const double *row = t->s + j * t->n_sym;
        double *out = e + j * t->n_sym;
        for (size_t k = t->k_lo; k < t->k_hi; k++)
            out[k] = lsi_tdecq_eq_at(t, row, k, c->w, t->cfg->n_taps, c->pre, c->b);
    }
}

/* The tap limits of the configuration (docs/tdecq.md: draft values are parameters). */
static int within_limits(const ls_tdecq_config *cfg, const cand *c)
{
    const double wm = c->w[c->pre];
    if (!(wm > 0) || c->b < 0 || c->b > cfg->dfe_max + 1e-12)
        return 0;
    if (cfg->tap_ratio_max > 0)
        for (unsigned i = 0; i < cfg->n_taps; i++)
            if (i != c->pre && fabs(c->w[i]) > cfg->tap_ratio_max * wm)
                return 0;
    if (cfg->balance_max > 0 && c->pre > 0 && c->pre + 1 < cfg->n_taps &&
        fabs(c->w[c->pre + 1] - c->w[c->pre - 1]) / (1.0 + c->b) > cfg->balance_max)
        return 0;
    return 1;
}

/* Solves A x = y (n x n, row-major, destroyed) by Gaussian elimination with partial pivoting. */
static int solve(double *A, double *y, unsigned n)
{
    for (unsigned c = 0; c < n; c++) {
        unsigned p = c;
        for (unsigned r = c + 1; r < n; r++)
            if (fabs(A[r * n + c]) > fabs(A[p * n + c]))
                p = r;
        if (!(fabs(A[p * n + c]) > 1e-300))
            return -1;
        if (p != c) {
            for (unsigned k = 0; k < n; k++) {
                double tmp = A[c * n + k];
                A[c * n + k] = A[p * n + k];
                A[p * n + k] = tmp;
            }
            double tmp = y[c];
            y[c] = y[p];
            y[p] = tmp;
        }
        for (unsigned r = c + 1; r < n; r++) {
            double f = A[r * n + c] / A[c * n + c];
            for (unsigned k = c; k < n; k++)
                A[r * n + k] -= f * A[c * n + k];
            y[r] -= f * y[c];
        }
    }
    for (unsigned c = n; c-- > 0;) {
        for (unsigned k = c + 1; k < n; k++)
            y[c] -= A[c * n + k] * y[k];
        y[c] /= A[c * n + c];
    }
    return 0;
}

/* Constrained least squares at the eye centre: min sum (e[k] - L(x[k]))^2 with sum w - b = 1; with
   b_fix >= 0 the DFE is held at b_fix. Returns 0 on success. */
static int ls_fit(const lsi_tdecq *t, unsigned pre, double b_fix, int use_dfe, cand *c)
{
    const unsigned N = t->cfg->n_taps, nv = N + (use_dfe && b_fix < 0), n = nv + 1;
    double A[(MAXV + 1) * (MAXV + 1)] = { 0 }, y[MAXV + 1] = { 0 }, phi[MAXV];
    const double *row = t->s + t->n_inst * t->n_sym;
    const double bb = b_fix < 0 ? 0 : b_fix;
    for (size_t k = t->k_lo; k < t->k_hi; k++) {
        for (unsigned i = 0; i < N; i++)
            phi[i] = row[k + pre - i];
        if (nv > N)
            phi[N] = -t->lv[t->lev[k - 1]];
        double tgt = t->lv[t->lev[k]] + bb * t->lv[t->lev[k - 1]];
        for (unsigned a = 0; a < nv; a++) {
            y[a] += 2.0 * phi[a] * tgt;
            for (unsigned d = a; d < nv; d++)
                A[a * n + d] += 2.0 * phi[a] * phi[d];
        }
    }
    /* MMSE at the noise the target allows: + lambda w'Rw, lambda = count sigma_t^2 (sigma_t = OMA/(6 Q_t)) */
    const double sig = t->oma / (6.0 * t->qt), lam = (double)(t->k_hi - t->k_lo) * sig * sig;
    for (unsigned a = 0; a < N; a++)
        for (unsigned d = a; d < N; d++)
            A[a * n + d] += 2.0 * lam * t->R[d - a];
    for (unsigned a = 0; a < nv; a++) {
        for (unsigned d = 0; d < a; d++)
            A[a * n + d] = A[d * n + a];
        A[a * n + nv] = A[nv * n + a] = a < N ? 1.0 : -1.0;
    }
    y[nv] = 1.0 + bb;
    if (solve(A, y, n))
        return -1;
    memset(c, 0, sizeof *c);
    memcpy(c->w, y, N * sizeof *y);
    c->b = nv > N ? y[N] : bb;
    c->pre = pre;
    return 0;
}

/* The least-squares start for main-tap position pre (DFE clipped into [0, dfe_max] and refitted). */
static int start(const lsi_tdecq *t, unsigned pre, cand *c)
{
    const ls_tdecq_config *cfg = t->cfg;
    const int dfe = cfg->dfe_max > 0;
    if (ls_fit(t, pre, dfe ? -1.0 : 0.0, dfe, c))
        return -1;
    if (dfe && (c->b < 0 || c->b > cfg->dfe_max) && ls_fit(t, pre, LS_MIN(LS_MAX(c->b, 0.0), cfg->dfe_max), 1, c))
        return -1;
    if (!within_limits(cfg, c)) { /* a start the limits refuse: the unit main tap */
        memset(c, 0, sizeof *c);
        c->pre = pre;
        c->w[pre] = 1.0;
    }
    return 0;
}

/* One move of coordinate v (a tap, or the DFE when v == n_taps) by delta; 1 when TDECQ improved. */
static int try_move(lsi_tdecq *t, cand *best, unsigned v, double delta)
{
    const unsigned N = t->cfg->n_taps, m = best->pre;
    cand c = *best;
    if (v == N) {
        c.b += delta;
        c.w[m] += delta;
    } else {
        c.w[v] += delta;
        c.w[m] -= delta;
    }
    if (!within_limits(t->cfg, &c))
        return 0;
    for (unsigned j = 0; j < t->n_inst; j++) {
        const double *row = t->s + j * t->n_sym, *e = t->e + j * t->n_sym;
        double *o = t->e2 + j * t->n_sym;
        for (size_t k = t->k_lo; k < t->k_hi; k++) {
            double d = v == N ? row[k] - t->lv[t->lev[k - 1]] : row[k + m - v] - row[k];
            o[k] = e[k] + delta * d;
        }
    }
    evaluate(t, t->e2, &c);
    if (!(c.tdecq < best->tdecq - 1e-6))
        return 0;
    *best = c;
    double *tmp = t->e;
    t->e = t->e2;
    t->e2 = tmp;
    return 1;
}

static void coordinate_search(lsi_tdecq *t, cand *best)
{
    static const double steps[] = { 0.04, 0.02, 0.01, 0.005, 0.0025, 0.001 };
    const unsigned N = t->cfg->n_taps, nv = N + (t->cfg->dfe_max > 0);
    for (size_t si = 0; si < sizeof steps / sizeof steps[0] && t->n_eval < 3000; si++) {
        int improved = 1;
        for (unsigned round = 0; improved && round < 20; round++) {
            improved = 0;
            for (unsigned v = 0; v < nv; v++) {
                if (v == best->pre)
                    continue;
                if (try_move(t, best, v, steps[si]) || try_move(t, best, v, -steps[si]))
                    improved = 1;
            }
        }
    }
}

ls_status lsi_tdecq_equalize(lsi_tdecq *t, ls_tdecq_results *r, char *msg, size_t cap)
{
    const ls_tdecq_config *cfg = t->cfg;
    cand best = { .tdecq = INFINITY };
    for (unsigned pre = cfg->min_pre; pre <= cfg->max_pre; pre++) {
        cand c;
        if (start(t, pre, &c))
            continue;
        c.sig_eq = 0;
        equalize_rows(t, &c, t->e2);
        evaluate(t, t->e2, &c);
        if (c.tdecq < best.tdecq || !isfinite(best.tdecq)) {
            best = c;
            double *tmp = t->e;
            t->e = t->e2;
            t->e2 = tmp;
        }
    }
    if (best.w[best.pre] == 0) {
        lsi_say(msg, cap, "tdecq: no reference equalizer could be fitted (singular least-squares system)");
        return LS_EINVAL;
    }
    if (cfg->optimize && isfinite(best.tdecq))
        coordinate_search(t, &best);
    memcpy(r->taps, best.w, sizeof best.w);
    r->n_taps = cfg->n_taps;
    r->n_pre = best.pre;
    r->dfe = best.b;
    r->ceq = best.ceq;
    r->sigma_g = best.sig_g;
    r->tdecq_db = best.tdecq;
    r->tdecq_minus_ceq_db = best.tdecq - 10.0 * log10(best.ceq);
    bin_windows(t, t->e);
    double so = best.sig_eq > 0 ? best.sig_eq : 1e-30;
    r->ser_left = window_ser(t, 0, so);
    r->ser_right = window_ser(t, 1, so);
    r->ser = LS_MAX(r->ser_left, r->ser_right);
    return LS_OK;
}

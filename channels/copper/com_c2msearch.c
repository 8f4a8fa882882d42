/**
 * @file com_c2msearch.c
 * The equalizer search of COM with the C2M eye-based figure of merit: the reference script's OptFom_Calc_FOM
 * with do_C2M (IEEE COM rev 4.x, MATLAB lines 2817-2873 as a public Python port of it gives them; do_C2M is set
 * when T_O != 0 and Min_VEO_Test != 0, whatever PMD_type says). For every CTLE x Tx FFE setting of the grid
 * (93A.1.6, G_Qual as in com_search.c):
 *
 *  1. EH_1st = 2 (A_s - Q^-1(DER_0) sigma_total), sigma_total the root-sum-square of the 93A-36 terms; the setting
 *     is rejected when EH_1st <= Min_VEO_Test - 1 mV (`evaluate` with veo_gate, com_search.c);
 *  2. the C2M eye of the setting (the reference's COM_eye_width with pdf_range_flag 1: the histogram window
 *     +-T_O, the noise of sigma_N (93A-35), sigma_TX (93A-30), sigma_RJ (93A-28) and the A_DD dual-Dirac
 *     (93A-43) only: its ne_noise_pdf and cci_pdf are zero-width there, so no crosstalk), computed by lanesim's
 *     eye code (lsi_com_case_pdfs of com_casepdf.c without aggressors, lsi_com_eye); EH <= Min_VEO_Test rejects it;
 *  3. FOM = 20 log10(A_s / N_i), N_i = (2 A_s - EH) / 2, in place of 93A-36 (N_i <= 0: +inf, lanesim's rule;
 *     it needs a lower eye edge above A_s, which the symmetric interference does not give).
 *
 * The largest FOM wins, the first in the reference's loop order on ties. The eye costs milliseconds, so the
 * settings that pass step 1 are ranked by an upper bound of their FOM (ub_fom) and their eyes computed in that
 * order until the bound falls below the best FOM found (less 1e-9 dB): a setting is skipped only when its
 * FOM provably cannot reach the best, so the result is the exhaustive search's (test
 * com_c2m/eye_search_pruned_equals_exhaustive; the exhaustive flag of lsi_com_param switches the bound off).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "com_internal.h"

#define NT (LSI_COM_MAX_TXTAPS + 1)

typedef struct {
    double ub;      /* upper bound of the eye FOM */
    uint64_t key;   /* loop order: CTLE pair, then the Tx FFE odometer */
    uint32_t lin;   /* odometer as a mixed-radix number (last tap fastest) */
    uint16_t i, j;  /* g_DC, g_DC2 indices */
} cand;

static int by_ub(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->ub != y->ub) return x->ub > y->ub ? -1 : 1;
    return x->key < y->key ? -1 : x->key > y->key;
}

static double phi_lo(double z) { return 0.5 * erfc(-z / sqrt(2)); } /* P(N(0,1) <= z) */

/*
 * Upper bound of the eye FOM of an evaluated setting (lanesim's bound; docs/com.md "C2M eye", the C2M FOM point):
 * (a) mixture: the eye's q is the first grid value where sum_j w_j P(V_j <= q) > DER_0, so q <= the first value
 *     where P(V_0 <= q) > DER_0 / w_0 (w_0 the normalised weight of d = 0, V_0 = A_s + Y_0);
 * (b) Y_0 is a sum of independent binned parts, each symmetric about 0: the residual ISI terms of 93A-39, the
 *     Gaussian and the dual-Dirac. Any k ISI terms at their lowest level (probability L^-k, value
 *     <= -(|v| - bin/2) each), the Gaussian at <= -y and the rest <= 0 (probability >= 1/2) give
 *     P(Y_0 <= -(sum (|v_i| - bin/2) + y)) >= L^-k P(G <= -y) / 2;
 * (c) the binned, truncated Gaussian of lsi_pdf_gauss with sigma >= s and bin d <= D (pdf_bin never exceeds
 *     BinSize): P(G <= -y) >= r/(1 + r) [Phi(-(y + D)/s) - Phi(-(2 Q^-1(DER_0) - D/(2 s)))], r = sqrt(2 pi) s/D
 *     (the sum of a monotone function against its integral); s = sqrt(sigma_N^2 + sigma_TX^2) (RJ left out).
 * So N_i = A_s - q >= max_k [sum_{i<k} (|v_(i)| - D/2) + y_k] with y_k solving (c) = 2 L^k DER_0 / w_0, and
 * FOM <= 20 log10(A_s / that). Margins: 1e-6 relative on the probabilities, 1e-20 absolute (tail trims).
 */
static double ub_fom(const lsi_com_ctx *x, const double *c, const lsi_com_evalr *e, double w0)
{
    const lsi_com_param *p = x->p;
    long M = x->M, Np = (long)x->Np, cur = e->cursor, nui = Np / M;
    double D = p->bin_size, h0 = lsi_com_smp(x, c, cur), top[4] = {0, 0, 0, 0};
    long ph = (cur + 1) % M;
    if (ph == 0) ph = M;
    long j0 = (cur - (ph - 1)) / M;
    for (long j = 1; j + 2 <= nui; j++) { /* the UI range of 93A-39 as the eye reads it (com_vec.c isi_at) */
        long n = j - j0;
        if (n == 0) continue;
        double v = lsi_com_smp(x, c, M * j + ph - 1);
        if (n >= 1 && n <= x->ndfe) v -= fmin(fmax(v, h0 * e->bmin[n - 1]), h0 * e->bmax[n - 1]);
        double a = fabs(v);
        if (!(a > D)) continue; /* surely in the PDF (lsi_pdf_from_samples skips |v| <= bin only) */
        for (int t = 0; t < 4; t++)
            if (a > top[t]) { double s = top[t]; top[t] = a; a = s; }
    }
    double s = sqrt(x->sigma_n * x->sigma_n + e->s_tx * e->s_tx) * (1 - 1e-9), best = 0, sum = 0, lk = 1;
    if (!(s > 0)) s = 0;
    double r = sqrt(2 * M_PI) * s / D, rho = r / (1 + r);
    double trunc = s > 0 ? phi_lo(-(2 * lsi_com_qinv(p->der0) - D / (2 * s))) : 0;
    for (int k = 0; k <= 4; k++) {
        if (k > 0) {
            if (!(top[k - 1] > 0)) break;
            sum += top[k - 1] - D / 2;
            lk *= p->L;
        }
        double target = 2 * lk * p->der0 / w0 * (1 + 1e-6) + 1e-20, pr = rho > 0 ? target / rho + trunc : 1;
        if (!(s > 0) || !(pr < 0.5)) continue;
        double y = s * lsi_com_qinv(pr) * (1 - 1e-12) - D;
        if (sum + y > best) best = sum + y;
    }
    return best > 0 ? 20 * log10(e->a_s / best) : INFINITY;
}

/* the eye FOM of Tx FFE c at the prepared CTLE (steps 1-3); -inf when rejected. *eh_out: its EH */
static ls_status eye_fom(lsi_com_ctx *x, const lsi_com_chan *ch, const double *c, double *fom, double *eh_out)
{
    const lsi_com_param *p = x->p;
    lsi_com_evalr e;
    *fom = -INFINITY;
    if (!isfinite(lsi_com_eval_full(x, c, &e))) return LS_OK;
    lsi_com_eq q;
    memset(&q, 0, sizeof q);
    lsi_com_finish(x, c, &e, &q);
    q.a_s = e.a_s;
    ls_status st = q.sbr && q.h_j ? LS_OK : LS_ENOMEM;
    lsi_pdf noise = {0}, xt = {0};
    double bin = 0, eh = NAN, vec = NAN;
    if (!st) st = lsi_com_case_pdfs(p, ch, 1, &q, &bin, NULL, &noise, &xt);
    if (!st) st = lsi_com_eye_of(p, &q, &noise, &xt, &eh, &vec);
    lsi_pdf_free(&noise); lsi_pdf_free(&xt);
    lsi_com_eq_free(&q);
    if (st) return st;
    *eh_out = eh;
    if (!(eh > p->min_veo)) return LS_OK;
    double ni = e.a_s - eh / 2;
    *fom = ni > 0 ? 20 * log10(e.a_s / ni) : INFINITY;
    return LS_OK;
}

/* Tx FFE of odometer number lin into c; 0 when c(0) < c(0)_min */
static int tx_of(const lsi_com_param *p, uint32_t lin, double *c)
{
    size_t ntap = p->n_pre + p->n_post, odo[LSI_COM_MAX_TXTAPS] = {0};
    for (size_t t = ntap; t-- > 0;) { odo[t] = lin % p->tx_n[t]; lin /= (uint32_t)p->tx_n[t]; }
    return lsi_com_tx_setting(p, odo, c);
}

ls_status lsi_com_c2m_search(lsi_com_ctx *x, const lsi_com_chan *ch, size_t n_ch, const double *f, size_t nf,
                             const double *ns, lsi_com_eq *eq, int *found)
{
    const lsi_com_param *p = x->p;
    size_t ntap = p->n_pre + p->n_post, ncap = 1024, n = 0, evals = 0;
    uint64_t grid = 1;
    for (size_t t = 0; t < ntap; t++) grid *= p->tx_n[t];
    *found = 0;
    if (grid > UINT32_MAX || p->n_gdc > UINT16_MAX || p->n_gdc2 > UINT16_MAX) return LS_EINVAL;
    cand *cs = malloc(ncap * sizeof *cs);
    if (!cs) return LS_ENOMEM;
    double w0 = lsi_com_eye_weight0(p), c[NT];
    ls_status st = LS_OK;
    x->veo_gate = 1;
    /* every setting's 93A-36 terms and EH_1st gate; the survivors with their bound */
    for (size_t i = 0; i < p->n_gdc && !st; i++)
        for (size_t j = 0; j < p->n_gdc2 && !st; j++) {
            if (!lsi_com_gqual_ok(p, p->gdc[i], p->gdc2[j])) continue;
            if ((st = lsi_com_ctle_setup(x, ch, n_ch, f, nf, ns, i, j))) break;
            for (uint32_t lin = 0; lin < grid; lin++) {
                if (!tx_of(p, lin, c)) continue;
                evals++;
                lsi_com_evalr e;
                if (!isfinite(lsi_com_eval_full(x, c, &e))) continue;
                if (n == ncap) {
                    cand *t = realloc(cs, 2 * ncap * sizeof *cs);
                    if (!t) { st = LS_ENOMEM; break; }
                    cs = t;
                    ncap *= 2;
                }
                cs[n++] = (cand){ub_fom(x, c, &e, w0),
                                 ((uint64_t)(i * p->n_gdc2 + j)) * grid + lin, lin, (uint16_t)i, (uint16_t)j};
            }
        }
    if (!p->exhaustive) qsort(cs, n, sizeof *cs, by_ub); /* exhaustive (tests): every eye, in loop order */
    /* the eyes in the order of the bound, until it cannot reach the best */
    double best = -INFINITY;
    size_t bk = 0, ci = (size_t)-1, cj = 0, eyes = 0;
    for (size_t k = 0; k < n && !st; k++) {
        if (!p->exhaustive && cs[k].ub < best - 1e-9) break;
        if (cs[k].i != ci || cs[k].j != cj) {
            ci = cs[k].i; cj = cs[k].j;
            if ((st = lsi_com_ctle_setup(x, ch, n_ch, f, nf, ns, ci, cj))) break;
        }
        double fom, eh;
        (void)tx_of(p, cs[k].lin, c);
        eyes++;
        if ((st = eye_fom(x, ch, c, &fom, &eh))) break;
        if (fom > cs[k].ub) eq->ub_violations++; /* never, if the bound holds (tests read it) */
        if (fom > best || (fom == best && isfinite(best) && cs[k].key < cs[bk].key)) { best = fom; bk = k; }
    }
    if (!st && isfinite(best)) {
        lsi_com_evalr e;
        memset(&e, 0, sizeof e);
        if (!(st = lsi_com_ctle_setup(x, ch, n_ch, f, nf, ns, cs[bk].i, cs[bk].j))) {
            (void)tx_of(p, cs[bk].lin, c);
            (void)lsi_com_eval_full(x, c, &e);
            lsi_com_finish(x, c, &e, eq);
            eq->fom_db = best;
            eq->i_gdc = cs[bk].i; eq->i_gdc2 = cs[bk].j; eq->evals = evals; eq->eyes = eyes;
            if (!eq->sbr || !eq->h_j) st = LS_ENOMEM;
            *found = 1;
        }
    }
    x->veo_gate = 0;
    free(cs);
    return st;
}

ls_status lsi_com_c2m_search_hook(void *x, const void *ch, size_t n_ch, const double *f, size_t nf, const double *ns,
                                  void *eq, int *found)
{
    return lsi_com_c2m_search(x, ch, n_ch, f, nf, ns, eq, found);
}

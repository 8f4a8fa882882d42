/**
 * @file com_vec.c
 * C2M eye height EH and vertical eye closure VEC (IEEE 802.3ck Annex 120G.3.1 host output, as the COM
 * workbooks configure it: `T_O`, `samples_for_C2M`, `Histogram_Window_Weight`, `sigma_r`, `EH_min`,
 * `VEC Pass threshold`; docs/com.md "C2M eye").
 *
 * The equalized pulse h (eq->sbr, M samples per UI, cursor c, fixed DFE taps b_n) is read at the offsets
 * d_j = j / samples_for_C2M UI, |d_j| <= T_O, by linear interpolation between its samples. At each offset the
 * signal is A_s(d) = A_s h(c + d M) / h(c) and the interference Y_d is the residual ISI
 * h(c + nM + dM) - b_n h(c) (the DFE keeps its taps; n != 0, the UI range of 93A-39) convolved with the
 * case's noise PDF (Gaussian, A_DD dual-Dirac and crosstalk, as for A_ni). The sampled inner eye edge
 * V = A_s(d) + Y_d is a mixture over d with weights w(d): gaussian exp(-d^2 / (2 sigma_r^2)), rectangle 1,
 * triangle 1 - |d| / T_O, dual Rayleigh (a/s^2) e^(-a^2/2s^2) - (b/s^2) e^(-b^2/2s^2), a = d + T_O, b = d - T_O,
 * s = T_O / QL (QL 2.5 by default; the reference script's window), normalised. q = the first value where P(V <= q) exceeds DER_0 (the 93A-37 rule of
 * A_ni; each Y_d is computed from its lowest bin only as far as that read goes), EH = 2 q (the eye between adjacent levels +-A_s), VEC = 20 log10(A_s / q) = 20 log10(2 A_s / EH);
 * VEC = +inf when q <= 0 (closed eye). With T_O = 0 this is EH = 2 (A_s - A_ni), VEC = 20 log10(A_s / (A_s - A_ni)).
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "com_internal.h"

/* h at fractional sample position x (linear), 0 outside */
static double interp(const double *h, size_t n, double x)
{
    if (x < 0 || x > (double)(n - 1)) return 0;
    size_t i = (size_t)x;
    if (i + 1 >= n) return h[n - 1];
    double a = x - (double)i;
    return (1 - a) * h[i] + a * h[i + 1];
}

/* ISI PDF of the pulse at offset d (UI) from the cursor, with the DFE taps lim[1..ndfe] fixed */
static ls_status isi_at(const lsi_com_param *p, const lsi_com_eq *eq, const double *lim, double d, double bin,
                        lsi_pdf *out)
{
    size_t M = (size_t)p->M, nui = (size_t)llround((double)eq->n_sbr / p->M), cnt = 0;
    size_t ph = (eq->cursor + 1) % M;
    if (ph == 0) ph = M;
    long j0 = (long)((eq->cursor - (ph - 1)) / M);
    double *v = malloc((nui + 1) * sizeof *v);
    if (!v) return LS_ENOMEM;
    for (size_t j = 1; j + 2 <= nui; j++) {
        long n = (long)j - j0;
        if (n == 0) continue;
        double x = (double)(M * j + ph - 1) + d * p->M;
        v[cnt++] = interp(eq->sbr, eq->n_sbr, x) - (n >= 1 && n <= eq->ndfe ? lim[n] : 0);
    }
    ls_status st = lsi_pdf_from_samples(out, v, cnt, p->L, bin);
    free(v);
    return st;
}

static double weight(const lsi_com_param *p, double d)
{
    if (p->hist_w == 1) return 1;
    if (p->hist_w == 2) return p->t_o > 0 ? 1 - fabs(d) / p->t_o : 1;
    if (p->hist_w == 3) { /* dual Rayleigh: two Rayleigh densities rising from the window's edges */
        if (!(p->t_o > 0)) return 1;
        double s = p->t_o / p->ql, a = d + p->t_o, b = d - p->t_o;
        return a / (s * s) * exp(-a * a / (2 * s * s)) - b / (s * s) * exp(-b * b / (2 * s * s));
    }
    return exp(-d * d / (2 * p->sigma_r * p->sigma_r));
}

double lsi_com_eye_weight0(const lsi_com_param *p)
{
    int J = (int)floor(p->t_o * p->s_c2m + 1e-9);
    double ws = 0;
    for (int j = 0; j < 2 * J + 1; j++) ws += weight(p, (double)(j - J) / p->s_c2m);
    return weight(p, 0) / ws;
}

ls_status lsi_com_eye(const lsi_com_param *p, const lsi_com_eq *eq, const lsi_pdf *noise, double *eh_v, double *vec_db)
{
    double h0 = eq->sbr[eq->cursor], bin = noise->bin, lim[LSI_COM_MAX_DFE + 1] = {0};
    for (int n = 1; n <= eq->ndfe; n++) {
        size_t i = eq->cursor + (size_t)n * (size_t)p->M;
        double v = i < eq->n_sbr ? eq->sbr[i] : 0;
        lim[n] = fmin(fmax(v, h0 * eq->use_bmin[n - 1]), h0 * eq->use_bmax[n - 1]);
    }
    int J = (int)floor(p->t_o * p->s_c2m + 1e-9), nd = 2 * J + 1;
    lsi_pdf *isi = calloc((size_t)nd, sizeof *isi);
    lsi_pdf_lazy *y = calloc((size_t)nd, sizeof *y);
    double *w = malloc((size_t)nd * sizeof *w), *as = malloc((size_t)nd * sizeof *as), ws = 0;
    ls_status st = isi && y && w && as ? LS_OK : LS_ENOMEM;
    long lo = LONG_MAX, hi = LONG_MIN;
    for (int j = 0; j < nd && !st; j++) {
        double d = (double)(j - J) / p->s_c2m;
        w[j] = weight(p, d);
        ws += w[j];
        as[j] = eq->a_s * interp(eq->sbr, eq->n_sbr, (double)eq->cursor + d * p->M) / h0;
        st = isi_at(p, eq, lim, d, bin, &isi[j]);
        if (!st) st = lsi_pdf_lazy_init(&y[j], &isi[j], noise); /* the lower tail only, as read below */
        if (st) break;
        /* grid index m of q = A_s(0) + m bin covered by this component: V = A_s(d) + Y */
        long sh = lround((as[j] - eq->a_s) / bin);
        lo = lo < y[j].o.min + sh ? lo : y[j].o.min + sh;
        hi = hi > y[j].o.min + sh + (long)y[j].o.n ? hi : y[j].o.min + sh + (long)y[j].o.n;
    }
    if (!st) {
        /* F(q_m) = sum_j w_j P(Y_j <= q_m - A_s(d_j)); the first m with F > DER_0 */
        long *k = calloc((size_t)nd, sizeof *k);
        double *c = calloc((size_t)nd, sizeof *c), q = NAN;
        if (!k || !c) st = LS_ENOMEM;
        for (long m = lo; !st && m <= hi; m++) {
            double F = 0;
            for (int j = 0; j < nd; j++) {
                long idx = m - lround((as[j] - eq->a_s) / bin) - y[j].o.min; /* bins of Y_j up to q_m */
                if (idx >= 0) lsi_pdf_lazy_upto(&y[j], (size_t)idx < y[j].o.n ? (size_t)idx : y[j].o.n - 1);
                while (k[j] <= idx && (size_t)k[j] < y[j].o.n) c[j] += y[j].o.y[k[j]++];
                F += w[j] / ws * c[j];
            }
            if (F > p->der0) { q = eq->a_s + (double)m * bin; break; }
        }
        free(k); free(c);
        if (!st) {
            *eh_v = 2 * q;
            *vec_db = q > 0 ? 20 * log10(eq->a_s / q) : INFINITY;
        }
    }
    for (int j = 0; y && isi && j < nd; j++) { lsi_pdf_free(&y[j].o); lsi_pdf_free(&isi[j]); }
    free(y); free(isi); free(w); free(as);
    return st;
}

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
 * noise at that offset (Gaussian, A_DD dual-Dirac through the jitter slope vector at d, and crosstalk:
 * lsi_com_eye_noises in com_casepdf.c, the reference's h_j_full). Level k (mu_k = 2k - (L - 1)) has the value
 * V_k = mu_k A_s(d) + Y_d, a mixture over d with weights w(d), as the reference's COM_eye_width sets them over the
 * offsets j = -J..J samples, J = floor(T_O / 1000 samples_for_C2M): gaussian exp(-(j / s)^2 / 2) with s = J / QL
 * (QL = T_O / Qr / 1000 unless given, Qr = sigma_r unless given: s = sigma_r samples_for_C2M when nothing floors),
 * rectangle 1 (the default), triangle 1 - |j| / J, dual Rayleigh (a/s^2) e^(-a^2/2s^2) - (b/s^2) e^(-b^2/2s^2),
 * a = j + J, b = j - J, normalised. lq(mu) = the first value where
 * P(V <= q) exceeds DER_0 (the 93A-37 rule of A_ni; each Y_d is computed from its lowest bin only as far as that
 * read goes). The eye between levels k and k + 1 is EH_k = lq(mu_k + 2) + lq(-mu_k) (Y_d symmetric: the upper
 * DER_0 point of level k is -lq(-mu_k)); EH = the smallest eye (the reference's COM_eye_width, min of out_VT -
 * out_VB), VEC = 20 log10(2 A_s / EH), +inf when EH <= 0 (closed eye). With T_O = 0 this is EH = 2 (A_s - A_ni),
 * VEC = 20 log10(A_s / (A_s - A_ni)).
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "com_internal.h"

double lsi_com_interp(const double *h, size_t n, double x)
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
        v[cnt++] = lsi_com_interp(eq->sbr, eq->n_sbr, x) - (n >= 1 && n <= eq->ndfe ? lim[n] : 0);
    }
    ls_status st = lsi_pdf_from_samples(out, v, cnt, p->L, bin);
    free(v);
    return st;
}

/* The reference's COM_eye_width window over the offsets -J..J samples (T_O = J samples, QL_sigma = T_O / QL):
   gaussian exp(-(j / QL_sigma)^2 / 2), triangle 1 - |j| / T_O, rectangle 1, dual Rayleigh
   (a / QL_sigma^2) e^(-(a / QL_sigma)^2 / 2) - (b / QL_sigma^2) e^(-(b / QL_sigma)^2 / 2) with a = j + T_O,
   b = j - T_O, divided by its largest value (the weights only matter relative to their sum) */
static double dual_rayleigh(double j, double to, double s)
{
    double a = j + to, b = j - to;
    return a / (s * s) * exp(-0.5 * (a / s) * (a / s)) - b / (s * s) * exp(-0.5 * (b / s) * (b / s));
}

double lsi_com_eye_weight(const lsi_com_param *p, int j)
{
    int J = lsi_com_eye_half(p);
    if (J <= 0 || p->hist_w == 1) return 1;
    double to = J, s = to / p->ql;
    if (p->hist_w == 2) return 1 - fabs((double)j) / to;
    if (p->hist_w == 3) {
        double mx = 0;
        for (int k = -J; k <= J; k++) mx = fmax(mx, dual_rayleigh(k, to, s));
        return dual_rayleigh(j, to, s) / mx;
    }
    return exp(-0.5 * ((double)j / s) * ((double)j / s));
}

int lsi_com_eye_half(const lsi_com_param *p)
{
    return (int)floor(p->t_o_mui / 1000 * p->s_c2m); /* the reference's floor((T_O / 1000) * samples_for_C2M) */
}

double lsi_com_eye_weight0(const lsi_com_param *p)
{
    int J = lsi_com_eye_half(p);
    double ws = 0;
    for (int j = -J; j <= J; j++) ws += lsi_com_eye_weight(p, j);
    return lsi_com_eye_weight(p, 0) / ws;
}

/* The lower DER_0 quantile of the mixture over the offsets j (weights w_j / ws) of V = mu A_s(d_j) + Y_j: on the grid
   q_m = mu A_s(0) + m bin, F(q_m) = sum_j w_j P(Y_j <= q_m - mu A_s(d_j)), the first q_m with F > DER_0 (93A-37's rule),
   Y_j read from its lowest bin only as far as needed (lazy). [lo, hi] the grid range that covers every mu = 1
   component; it widens by |mu - 1| times the spread of A_s(d) around A_s(0). */
static ls_status lower_q(const lsi_com_param *p, const lsi_com_eq *eq, lsi_pdf_lazy *y, const double *w, double ws,
                         const double *as, int nd, int mu, long lo, long hi, double *q)
{
    const double bin = y[0].o.bin;
    long *k = calloc((size_t)nd, sizeof *k), spread = 0;
    double *c = calloc((size_t)nd, sizeof *c);
    if (!k || !c) { free(k); free(c); return LS_ENOMEM; }
    for (int j = 0; j < nd; j++) {
        long s = labs(lround((as[j] - eq->a_s) / bin));
        if (s > spread) spread = s;
    }
    const long ext = (labs(mu) + 1) * (spread + 1);
    *q = NAN;
    for (long m = lo - ext; m <= hi + ext; m++) {
        double F = 0;
        for (int j = 0; j < nd; j++) {
            long idx = m - lround(mu * (as[j] - eq->a_s) / bin) - y[j].o.min; /* bins of Y_j up to q_m */
            if (idx >= 0) lsi_pdf_lazy_upto(&y[j], (size_t)idx < y[j].o.n ? (size_t)idx : y[j].o.n - 1);
            while (k[j] <= idx && (size_t)k[j] < y[j].o.n) c[j] += y[j].o.y[k[j]++];
            F += w[j] / ws * c[j];
        }
        if (F > p->der0) { *q = mu * eq->a_s + (double)m * bin; break; }
    }
    free(k); free(c);
    return LS_OK;
}

ls_status lsi_com_eye(const lsi_com_param *p, const lsi_com_eq *eq, const lsi_pdf *const *noise, double *eh_v,
                      double *vec_db)
{
    double h0 = eq->sbr[eq->cursor], bin = noise[0]->bin, lim[LSI_COM_MAX_DFE + 1] = {0};
    for (int n = 1; n <= eq->ndfe; n++) {
        size_t i = eq->cursor + (size_t)n * (size_t)p->M;
        double v = i < eq->n_sbr ? eq->sbr[i] : 0;
        lim[n] = fmin(fmax(v, h0 * eq->use_bmin[n - 1]), h0 * eq->use_bmax[n - 1]);
    }
    int J = lsi_com_eye_half(p), nd = 2 * J + 1;
    lsi_pdf *isi = calloc((size_t)nd, sizeof *isi);
    lsi_pdf_lazy *y = calloc((size_t)nd, sizeof *y);
    double *w = malloc((size_t)nd * sizeof *w), *as = malloc((size_t)nd * sizeof *as), ws = 0;
    ls_status st = isi && y && w && as ? LS_OK : LS_ENOMEM;
    long lo = LONG_MAX, hi = LONG_MIN;
    for (int j = 0; j < nd && !st; j++) {
        double d = (double)(j - J) / p->s_c2m;
        w[j] = lsi_com_eye_weight(p, j - J);
        ws += w[j];
        as[j] = eq->a_s * lsi_com_interp(eq->sbr, eq->n_sbr, (double)eq->cursor + d * p->M) / h0;
        st = isi_at(p, eq, lim, d, bin, &isi[j]);
        if (!st) st = lsi_pdf_lazy_init(&y[j], &isi[j], noise[j]); /* the lower tail only, as read below */
        if (st) break;
        /* grid index m of q = A_s(0) + m bin covered by this component: V = A_s(d) + Y */
        long sh = lround((as[j] - eq->a_s) / bin);
        lo = lo < y[j].o.min + sh ? lo : y[j].o.min + sh;
        hi = hi > y[j].o.min + sh + (long)y[j].o.n ? hi : y[j].o.min + sh + (long)y[j].o.n;
    }
    if (!st) {
        /* the L - 1 eyes: level k (signal mu_k A_s(d), mu_k = 2 k - (L - 1)) has V = mu A_s(d) + Y_d; the eye between
           levels k and k + 1 is from the upper DER_0 quantile of level k's mixture to the lower of level k + 1's, and
           as every Y_d is symmetric the upper quantile of mu's is minus the lower of -mu's: EH_k = lq(mu_k + 2) +
           lq(-mu_k). The middle eye of PAM4 (mu -1, 1) is 2 lq(1); the reported EH is the smallest (the reference's
           COM_eye_width: min over the eyes of out_VT - out_VB) */
        double eh = INFINITY;
        for (int k = 0; k + 1 < p->L && !st; k++) {
            int mu = 2 * k - (p->L - 1);
            if (-mu > mu + 2) continue; /* the mirror of an eye above the middle: the same height */
            double a = NAN, b = NAN;
            st = lower_q(p, eq, y, w, ws, as, nd, mu + 2, lo, hi, &a);
            if (!st && mu + 2 == -mu) b = a; /* the middle eye: both edges from the same mixture */
            else if (!st) st = lower_q(p, eq, y, w, ws, as, nd, -mu, lo, hi, &b);
            if (!st) eh = eh < a + b ? eh : a + b; /* NaN (no DER_0 point found) stays NaN, as before */
        }
        if (!st) {
            *eh_v = eh;
            *vec_db = eh > 0 ? 20 * log10(2 * eq->a_s / eh) : INFINITY;
        }
    }
    for (int j = 0; y && isi && j < nd; j++) { lsi_pdf_free(&y[j].o); lsi_pdf_free(&isi[j]); }
    free(y); free(isi); free(w); free(as);
    return st;
}

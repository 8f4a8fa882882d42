/**
 * @file com_sig.c
 * Frequency-domain models of the COM method (IEEE 802.3 Annex 93A) and the conversion to an
 * impulse response, following the reference script com_ieee8023_93a rev 4.50 (docs/com.md):
 *  - two-port cascade (93A-4..7), shunt capacitance (93A-8), package line (93A-9..14), package
 *    (93A-15, with the die ladder C_d/L_s and the bump C_b of the 802.3ck/dj models);
 *  - receiver filter H_r (93A-20), transmitter edge filter H_t (93A-46 in the reference's FORCE_TR
 *    form), CTLE H_ctf (93A-22, and the low-frequency pole/zero stage of 802.3ck);
 *  - impulse response: interpolation onto 0 .. M f_b / 2, inverse FFT, truncation.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "com_internal.h"
#include "dfft_internal.h"

lsi_s2 lsi_com_cascade(lsi_s2 a, lsi_s2 b)
{
    double complex N = 1.0 - a.s22 * b.s11;
    lsi_s2 o;
    o.s11 = a.s11 + a.s12 * a.s21 * b.s11 / N;
    o.s12 = a.s12 * b.s12 / N;
    o.s21 = b.s21 * a.s21 / N;
    o.s22 = b.s22 + b.s12 * b.s21 * a.s22 / N;
    return o;
}

/* shunt capacitance c (single-ended, reference z0) 93A-8 */
static lsi_s2 shunt_c(double f, double c, double z0)
{
    double complex y = I * 2 * M_PI * f * c * z0;
    lsi_s2 s = {-y / (2 + y), 2 / (2 + y), 2 / (2 + y), -y / (2 + y)};
    return s;
}

/* series inductance l (reference z0) */
static lsi_s2 series_l(double f, double l, double z0)
{
    double complex z = I * 2 * M_PI * f * l / z0;
    lsi_s2 s = {z / (2 + z), 2 / (2 + z), 2 / (2 + z), z / (2 + z)};
    return s;
}

/* transmission line of length d mm, impedance zc (differential) against 2 z0: 93A-9..14 */
static lsi_s2 tline(double f, double zc, double z0, const double g[3], double tau, double d)
{
    double fg = f / 1e9;
    double complex gam1 = g[1] * (1 + I);
    double complex gam2 = g[2] * (1 - 2 * I / M_PI * log(fg)) + 2 * I * M_PI * tau;
    double complex gamma = g[0] + gam1 * sqrt(fg) + gam2 * fg;
    double rho = d == 0 ? 0 : (zc - 2 * z0) / (zc + 2 * z0);
    double complex e = cexp(-d * gamma), e2 = e * e;
    lsi_s2 s;
    s.s11 = s.s22 = rho * (1 - e2) / (1 - rho * rho * e2);
    s.s21 = s.s12 = (1 - rho * rho) * e / (1 - rho * rho * e2);
    return s;
}

lsi_s2 lsi_com_package(const lsi_com_param *p, int side, const double *len, double f)
{
    if (f < 2.220446049250313e-16) f = 2.220446049250313e-16;
    lsi_s2 s = {0, 1, 1, 0};
    for (size_t k = 0; k < p->n_die; k++) {
        if (p->cd[side][k] > 0) s = lsi_com_cascade(s, shunt_c(f, p->cd[side][k], p->r0));
        if (p->ls[side][k] > 0) s = lsi_com_cascade(s, series_l(f, p->ls[side][k], p->r0));
    }
    if (p->cb[side] > 0) s = lsi_com_cascade(s, shunt_c(f, p->cb[side], p->r0));
    for (size_t k = 0; k < p->n_seg; k++)
        if (len[k] != 0) s = lsi_com_cascade(s, tline(f, p->zc[side][k], p->r0, p->gamma, p->tau, len[k]));
    if (p->cp[side] > 0) s = lsi_com_cascade(s, shunt_c(f, p->cp[side], p->r0));
    return s;
}

lsi_s2 lsi_com_board(const lsi_com_param *p, int side, double len, double f)
{
    if (f < 2.220446049250313e-16) f = 2.220446049250313e-16;
    lsi_s2 s = {0, 1, 1, 0};
    if (p->c0b[side] > 0) s = lsi_com_cascade(s, shunt_c(f, p->c0b[side], p->r0));
    if (len > 0) s = lsi_com_cascade(s, tline(f, p->board_zc, p->r0, p->board_gamma, p->board_tau, len));
    if (p->c1b[side] > 0) s = lsi_com_cascade(s, shunt_c(f, p->c1b[side], p->r0));
    return s;
}

int lsi_com_gqual_ok(const lsi_com_param *p, double gdc, double gdc2)
{
    /* G2_Qual sorted descending gives the bands g_DC2 = e0, e1 <= g_DC2 < e0, e2 <= g_DC2 < e1, ...;
     * row i of G_Qual [high low] then allows low <= g_DC < high. A g_DC2 in no band is not
     * restricted. */
    if (!p->n_gq) return 1;
    double e[16];
    size_t n = p->n_gq < 16 ? p->n_gq : 16;
    for (size_t k = 0; k < n; k++) e[k] = p->g2_qual[k];
    for (size_t i = 1; i < n; i++) for (size_t j = i; j > 0 && e[j - 1] < e[j]; j--) { double t = e[j]; e[j] = e[j - 1]; e[j - 1] = t; }
    for (size_t b = 0; b < n; b++) {
        int in = b == 0 ? gdc2 == e[0] : gdc2 >= e[b] && gdc2 < e[b - 1];
        if (in) return gdc >= p->g_qual[2 * b + 1] && gdc < p->g_qual[2 * b];
    }
    return 1;
}

double complex lsi_com_butterworth(double f, double f3db)
{
    double complex s = I * f / f3db;
    return 1.0 / ((((s + 2.613126) * s + 3.414214) * s + 2.613126) * s + 1.0);
}

/* 4th-order Bessel-Thomson, H(s) = 105 / (s^4 + 10 s^3 + 45 s^2 + 105 s + 105) with s scaled so
 * that |H| = 1/sqrt(2) at f3db (the normalised 3 dB frequency of this polynomial is 2.11391767 rad/s):
 * the TP0v reference receiver (802.3ck 162.9.3 / 163.9.2 style measurement filter) */
double complex lsi_com_bessel_thomson(double f, double f3db)
{
    double complex s = I * 2.113917674904216 * f / f3db;
    return 105.0 / ((((s + 10) * s + 45) * s + 105) * s + 105);
}

/* raised-cosine roll-off of the 802.3df/dj sheets (Raised_Cosine, RC_Start, RC_end) */
double lsi_com_raised_cosine(double f, double f1, double f2)
{
    if (f <= f1) return 1;
    if (f >= f2) return 0;
    return 0.5 * (1 + cos(M_PI * (f - f1) / (f2 - f1)));
}

double complex lsi_com_hr(const lsi_com_param *p, double f)
{
    double complex h = 1;
    if (p->butterworth) h *= lsi_com_butterworth(f, p->f_r * p->fb);
    if (p->bessel_thomson) h *= lsi_com_bessel_thomson(f, p->f_r * p->fb);
    if (p->raised_cosine) h *= lsi_com_raised_cosine(f, p->rc_start, p->rc_end);
    return h;
}

double complex lsi_com_ht(double f, double tr_ns)
{
    double f9 = f / 1e9, a = M_PI * f9 * tr_ns / 1.6832;
    return exp(-2 * a * a) * cexp(-I * 2 * M_PI * f9 * tr_ns * 3);
}

double complex lsi_com_ctle(const lsi_com_param *p, double gdc, double gdc2, double f)
{
    double complex h = (pow(10, gdc / 20) + I * f / p->fz) / ((1 + I * f / p->fp1) * (1 + I * f / p->fp2));
    if (p->f_lf > 0) h *= (pow(10, gdc2 / 20) + I * f / p->f_lf) / (1 + I * f / p->f_lf);
    return h;
}

/* least-squares line through (x, y), k points */
static void polyfit1(const double *x, const double *y, size_t k, double *a, double *b)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (size_t i = 0; i < k; i++) { sx += x[i]; sy += y[i]; sxx += x[i] * x[i]; sxy += x[i] * y[i]; }
    double d = (double)k * sxx - sx * sx;
    *a = d != 0 ? ((double)k * sxy - sx * sy) / d : 0; /* slope */
    *b = (sy - *a * sx) / (double)k;
}

/* mean of the values within one standard deviation of their median (the reference's trend) */
static double robust_mean(const double *v, size_t n)
{
    double *s = malloc(n * sizeof *s), mean = 0, var = 0;
    if (!s) return 0;
    memcpy(s, v, n * sizeof *s);
    for (size_t i = 1; i < n; i++) for (size_t j = i; j > 0 && s[j - 1] > s[j]; j--) { double t = s[j]; s[j] = s[j - 1]; s[j - 1] = t; }
    double med = n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    for (size_t i = 0; i < n; i++) mean += v[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++) var += (v[i] - mean) * (v[i] - mean);
    double sd = n > 1 ? sqrt(var / (double)(n - 1)) : 0, acc = 0;
    size_t c = 0;
    for (size_t i = 0; i < n; i++) if (fabs(v[i] - med) < sd) { acc += v[i]; c++; }
    free(s);
    return c ? acc / (double)c : med;
}

/* linear interpolation with linear extrapolation at both ends; x increasing */
static double interp1(const double *x, const double *y, size_t n, double xq, size_t *hint)
{
    size_t i = *hint;
    while (i + 2 < n && x[i + 1] <= xq) i++;
    *hint = i;
    double t = (xq - x[i]) / (x[i + 1] - x[i]);
    return y[i] + t * (y[i + 1] - y[i]);
}

ls_status lsi_com_impulse(const double complex *H, const double *f, size_t n, double dt, double thr, double **ir,
                          size_t *n_ir, char *msg, size_t cap)
{
    *ir = NULL;
    *n_ir = 0;
    if (n < 60) { if (msg) snprintf(msg, cap, "COM: too few frequency points (%zu)", n); return LS_EINVAL; }
    double fmx = 1 / dt / 2, fstep = f[2] - f[1];
    size_t nout = (size_t)llround(fmx / fstep) + 1, L = 2 * (nout - 1);
    double df = fmx / (double)(nout - 1);
    double *mag = malloc((n + 2) * sizeof *mag), *fx = malloc((n + 2) * sizeof *fx), *ph = malloc(n * sizeof *ph);
    double complex *X = calloc(nout, sizeof *X);
    double *x = malloc(L * sizeof *x);
    ls_status st = LS_OK;
    if (!mag || !fx || !ph || !X || !x) { st = LS_ENOMEM; goto out; }
    /* magnitude: linear, with a linear trend to DC and beyond the data ('linear_trend_to_DC') */
    size_t m = 0;
    double a, b, dph = 0;
    for (size_t k = 0; k < n; k++) { mag[k + 1] = fmax(cabs(H[k]), 2.220446049250313e-16); fx[k + 1] = f[k]; }
    if (f[0] > 0) { polyfit1(f, mag + 1, 10, &a, &b); fx[0] = 0; mag[0] = b; m = 0; } else m = 1;
    size_t nm = n + 1;
    if (f[n - 1] < fmx) {
        size_t mid = (size_t)llround((double)n / 2) - 1;
        polyfit1(f + mid, mag + 1 + mid, n - mid, &a, &b);
        double hf = a * fmx + b;
        if (hf > mag[n]) hf = mag[n]; else if (hf < 2.220446049250313e-16) hf = 2.220446049250313e-16;
        fx[n + 1] = fmx; mag[n + 1] = hf; nm = n + 2;
    }
    /* phase: unwrapped; low-frequency group-delay trend for the first 10 points, linear inside the
     * data, the high-frequency group-delay trend beyond ('extrap_cubic_to_dc_linear_to_inf') */
    ph[0] = carg(H[0]);
    for (size_t k = 1; k < n; k++) {
        double d = carg(H[k]) - carg(H[k - 1]);
        d -= 2 * M_PI * floor((d + M_PI) / (2 * M_PI));
        ph[k] = ph[k - 1] + d;
        dph += d;
    }
    if (dph / (double)(n - 1) > 0) { if (msg) snprintf(msg, cap, "COM: anti-causal response (rising phase); a finer frequency step is needed"); st = LS_EINVAL; goto out; }
    double hf_trend = 0;
    if (f[0] != 0) {
        double gd[51];
        for (size_t k = 0; k < 50; k++) gd[k] = -(ph[k + 1] - ph[k]) / (f[k + 1] - f[k]);
        double lf = robust_mean(gd, 50);
        for (size_t k = 10; k-- > 0;) ph[k] = ph[k + 1] + lf * (f[k + 1] - f[k]);
        for (size_t k = 0; k < 51; k++) gd[k] = -(ph[n - 51 + k] - ph[n - 52 + k]) / (f[n - 51 + k] - f[n - 52 + k]);
        hf_trend = -robust_mean(gd, 51);
    }
    size_t hm = m, hp = 0, last = 0;
    double ph_last = 0;
    for (size_t k = 0; k < nout; k++) {
        double fq = (double)k * df, mg = interp1(fx + m, mag + m, nm - m, fq, &hm), p;
        if (f[0] != 0 && fq > f[n - 1]) {
            if (!last) { last = k - 1; ph_last = interp1(f, ph, n, (double)last * df, &hp); }
            p = ph_last + (fq - (double)last * df) * hf_trend;
        } else {
            p = interp1(f, ph, n, fq, &hp);
        }
        X[k] = mg * cexp(I * p);
    }
    st = lsi_irfft_d(L, X, x);
    if (st) goto out;
    double pk = 0;
    for (size_t k = 0; k < L; k++) pk = fmax(pk, fabs(x[k]));
    size_t e = 0;
    for (size_t k = 0; k < L; k++) if (fabs(x[k]) > pk * thr) e = k;
    *n_ir = e + 1;
    double *shrunk = realloc(x, *n_ir * sizeof *x);
    *ir = shrunk ? shrunk : x; /* a failed shrink keeps the longer block */
    x = NULL;
out:
    free(mag); free(fx); free(ph); free(X); free(x);
    return st;
}

void lsi_com_td_ctle(double *x, size_t n, double fb, int M, double fz, double fp1, double fp2, double gdc_db)
{
    double p1 = -2 * M_PI * fp1, z = -2 * M_PI * fz * pow(10, gdc_db / 20), fs = 2 * fb * M;
    double p1d = (1 + p1 / fs) / (1 - p1 / fs), zd = (1 + z / fs) / (1 - z / fs);
    double b0, b1, b2, a1, a2;
    if (fp2 > 1e30) {
        /* f_p2 -> infinity: the pole at z = -1 cancels the zero at -1 (first-order stage) */
        double g = (fs - z) / (fs - p1) * fp1 / fz;
        b0 = g; b1 = -g * zd; b2 = 0; a1 = -p1d; a2 = 0;
    } else {
        double p2 = -2 * M_PI * fp2, p2d = (1 + p2 / fs) / (1 - p2 / fs);
        double g = -p2 * (fs - z) / ((fs - p1) * (fs - p2)) * fp1 / fz;
        b0 = g; b1 = g * (1 - zd); b2 = -g * zd; a1 = -(p1d + p2d); a2 = p1d * p2d;
    }
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (size_t k = 0; k < n; k++) {
        double y = b0 * x[k] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
        x2 = x1; x1 = x[k]; y2 = y1; y1 = y;
        x[k] = y;
    }
}

/* y = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2) x */
static void biquad(const double *x, double *y, size_t n, const double b[3], double a1, double a2)
{
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (size_t k = 0; k < n; k++) {
        double v = b[0] * x[k] + b[1] * x1 + b[2] * x2 - a1 * y1 - a2 * y2;
        x2 = x1; x1 = x[k]; y2 = y1; y1 = v;
        y[k] = v;
    }
}

ls_status lsi_com_ctle_basis(const lsi_com_param *p, const double *ir, size_t n, size_t np, double *out)
{
    /* stage 1 of lsi_com_td_ctle with zero z = -2 pi f_z gl: numerator K [fs - z, -2 z, -(fs + z)]
     * = K fs [1 0 -1] + gl K 2 pi f_z [1 2 1]; stage 2 (f_p2 -> infinity) with z = -2 pi f_LF g2l:
     * K2 [fs - z, -(fs + z)] = K2 fs [1 -1] + g2l K2 2 pi f_LF [1 1] */
    double fs = 2 * p->fb * p->M, P1 = -2 * M_PI * p->fp1, P2 = -2 * M_PI * p->fp2;
    double p1d = (1 + P1 / fs) / (1 - P1 / fs), p2d = (1 + P2 / fs) / (1 - P2 / fs);
    double K = -P2 / ((fs - P1) * (fs - P2)) * p->fp1 / p->fz;
    double bA[3] = {K * 2 * M_PI * p->fz, 2 * K * 2 * M_PI * p->fz, K * 2 * M_PI * p->fz}, bB[3] = {K * fs, 0, -K * fs};
    double Q1 = -2 * M_PI * p->f_lf, q1d = (1 + Q1 / fs) / (1 - Q1 / fs), K2 = 1 / (fs - Q1);
    double bC[3] = {K2 * 2 * M_PI * p->f_lf, K2 * 2 * M_PI * p->f_lf, 0}, bD[3] = {K2 * fs, -K2 * fs, 0};
    double *t = malloc(2 * n * sizeof *t);
    if (!t) return LS_ENOMEM;
    double *u = t + n;
    memset(out, 0, 4 * np * sizeof *out);
    for (int a = 0; a < 2; a++) {
        biquad(ir, t, n, a ? bA : bB, -(p1d + p2d), p1d * p2d);
        for (int b = 0; b < 2; b++) {
            double *o = out + (size_t)(2 * a + b) * np;
            if (p->f_lf > 0) biquad(t, u, n, b ? bC : bD, -q1d, 0);
            else if (b) continue;
            else memcpy(u, t, n * sizeof *u);
            double acc = 0;
            for (size_t i = 0; i < n; i++) { acc += u[i]; if (i >= (size_t)p->M) acc -= u[i - (size_t)p->M]; o[i] = acc; }
        }
    }
    free(t);
    return LS_OK;
}

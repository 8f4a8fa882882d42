/**
 * @file com_erl.c
 * Effective return loss (IEEE 802.3 Annex 93A.5) as the reference script computes it: the port's
 * return loss with a Gaussian edge of TR_TDR (and 3 TR_TDR + 500 ps of delay), the receiver's
 * Butterworth and the Tukey window (f_r f_b .. f_b), to the time domain; the pulse (1 UI) TDR;
 * the gate starting at the fixture delay T_fx, the weight G_rr = (1 + rho_x) rho_x
 * exp(-(x - N_bx - 1)^2 / (1 + N_bx)^2) over the first N_bx + 1 UI (93A-61, 93A-62), 1 after; the
 * sampling phase with the largest RMS; ERL = -20 log10 of the value at DER_0 of the PDF of the
 * weighted reflections (93A-63). A negative fixture delay is found from the TDR (lsi_com_erl_tfx_auto: lanesim's
 * rule); AUTO_TFX = 1 and N = 0 set port 2's fixture delay and the record length from the through path's raw FIR as
 * the reference script does (lsi_com_erl_gate).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "com_internal.h"

/* the reflection rl through the TDR chain (Gaussian edge, 3 TR_TDR + 500 ps delay, Butterworth, Tukey) to the
   impulse response ir[n] at dt = UI/M; rl == NULL stands for a unit reflection at the reference plane */
static ls_status tdr_impulse(const lsi_com_param *p, const double complex *rl, const double *f, size_t nf,
                             double delay, double **ir, size_t *n, char *msg, size_t cap)
{
    double tr = p->tr_tdr, fr = p->f_r * p->fb;
    double complex *H = malloc(nf * sizeof *H);
    if (!H) return LS_ENOMEM;
    for (size_t k = 0; k < nf; k++) {
        double f9 = f[k] / 1e9, a = M_PI * f9 * tr / 1.6832, tw = 1;
        if (p->tukey) tw = f[k] < fr ? 1 : f[k] > p->fb ? 0 : 0.5 * cos(2 * M_PI * (f[k] - p->fb) / (2 * (p->fb - fr)) - M_PI) + 0.5;
        H[k] = (rl ? rl[k] : 1) * exp(-2 * a * a) * cexp(-I * 2 * M_PI * f9 * (delay / 1e-9 + 3 * tr)) *
               lsi_com_butterworth(f[k], fr) * tw;
    }
    ls_status st = lsi_com_impulse(H, f, nf, 1 / p->fb / p->M, 1e-5, ir, n, msg, cap);
    free(H);
    return st;
}

/* index of the first reflection: the first sample whose |h| reaches half the largest |h|, then up to the
   top of that lobe */
static size_t first_reflection(const double *h, size_t n)
{
    double mx = 0;
    for (size_t k = 0; k < n; k++) mx = fmax(mx, fabs(h[k]));
    size_t k = 0;
    while (k < n && fabs(h[k]) < 0.5 * mx) k++;
    while (k + 1 < n && fabs(h[k + 1]) >= fabs(h[k])) k++;
    return k < n ? k : 0;
}

/*
 * Fixture delay -1 (automatic, 93A.5 T_fx): the fixture is taken as the reflection-free lead-in, so T_fx is the
 * round-trip time of the first significant reflection (the first lobe of the port's TDR impulse reaching half
 * its largest magnitude), measured against the same detector applied to a unit reflection at the reference
 * plane (which removes the edge, Butterworth and Tukey delays). Resolution dt = UI/M.
 */
double lsi_com_erl_tfx_auto(const lsi_com_param *p, const double *ir, size_t n, const double *f, size_t nf)
{
    double *h0 = NULL, dt = 1 / p->fb / p->M;
    size_t n0 = 0;
    char m[8];
    if (tdr_impulse(p, NULL, f, nf, 500e-12, &h0, &n0, m, sizeof m)) return 0;
    double t = ((double)first_reflection(ir, n) - (double)first_reflection(h0, n0)) * dt;
    free(h0);
    return t > 0 ? t : 0;
}

ls_status lsi_com_raw_fir_peak(const lsi_com_param *p, const double complex *s, const double *f, size_t nf, double thr,
                               double *t_pk, double *t_end, char *msg, size_t cap)
{
    double complex *H = malloc(nf * sizeof *H);
    if (!H) return LS_ENOMEM;
    for (size_t k = 0; k < nf; k++) H[k] = s[k] * lsi_com_butterworth(f[k], 0.75 * p->fb);
    double *ir = NULL, dt = 1 / p->fb / p->M;
    size_t n = 0;
    ls_status st = lsi_com_impulse(H, f, nf, dt, thr, &ir, &n, msg, cap);
    free(H);
    if (st) return st;
    size_t pk = 0;
    for (size_t k = 1; k < n; k++)
        if (ir[k] > ir[pk]) pk = k;
    free(ir);
    *t_pk = (double)pk * dt;
    if (t_end) *t_end = (double)(n - 1) * dt;
    return LS_OK;
}

/*
 * The gate's automatic times, as the reference script (rev. 4.x, process_sxp and get_TDR) sets them:
 *   AUTO_TFX = 1:  T_fx(port 2) = 2 t_pk(SDD12)   (the round trip through the fixture, for device ERL; its raw FIR is
 *                  cut at the configuration's truncation threshold, which only moves its end);
 *   N = 0:         maxtime = TDR_duration t_pk(SDD21) + 500 ps, at most the raw FIR's last time (cut at 1e-5),
 *                  used as the record N UI (the reference compares it with the TDR time less its 500 ps delay,
 *                  as lsi_com_erl does with N UI).
 * t_pk is the time of the raw FIR's first largest value (lsi_com_raw_fir_peak).
 */
ls_status lsi_com_erl_gate(lsi_com_param *p, const double complex *s12, const double complex *s21, const double *f,
                           size_t nf, char *msg, size_t cap)
{
    double tpk, tend;
    ls_status st;
    if (p->auto_tfx) {
        if ((st = lsi_com_raw_fir_peak(p, s12, f, nf, p->trunc_thr, &tpk, NULL, msg, cap))) return st;
        p->tfx[1] = 2 * tpk;
    }
    if (p->n_erl == 0) {
        if ((st = lsi_com_raw_fir_peak(p, s21, f, nf, 1e-5, &tpk, &tend, msg, cap))) return st;
        p->n_erl = fmin(p->tdr_duration * tpk + 500e-12, tend) * p->fb;
    }
    return LS_OK;
}

ls_status lsi_com_erl(const lsi_com_param *p, const double complex *rl, const double *f, size_t nf, int port,
                      double *erl_db, double *tfx_used, char *msg, size_t cap)
{
    double tr = p->tr_tdr, ui = 1 / p->fb, dt = ui / p->M, delay = 500e-12;
    double *ir = NULL;
    size_t n = 0;
    ls_status st = tdr_impulse(p, rl, f, nf, delay, &ir, &n, msg, cap);
    if (st) return st;
    double tfx = p->tfx[port] < 0 ? lsi_com_erl_tfx_auto(p, ir, n, f, nf) : p->tfx[port], maxt = p->n_erl * ui;
    if (tfx_used) *tfx_used = tfx;
    size_t tend = n - 1, tstart = 0;
    for (size_t k = 0; k < n; k++) if ((double)k * dt - delay >= maxt + tfx) { tend = k; break; }
    for (size_t k = 0; k <= tend; k++) if ((double)k * dt - delay >= tr * 1e-9) { tstart = k; break; }
    size_t m = tend - tstart + 1;
    double *pl = malloc(m * sizeof *pl), acc = 0;
    if (!pl) { free(ir); return LS_ENOMEM; }
    for (size_t k = 0; k < m; k++) {
        acc += ir[tstart + k];
        if (k >= (size_t)p->M) acc -= ir[tstart + k - (size_t)p->M];
        pl[k] = acc;
    }
    free(ir);
    double t0 = tfx + 3 * tr * 1e-9, tk = (p->n_bx + 1) * ui + t0;
    size_t ntx = m, ndx = m - 1;
    for (size_t k = 0; k < m; k++) if ((double)(tstart + k) * dt - delay >= t0) { ntx = k; break; }
    for (size_t k = 0; k < m; k++) if ((double)(tstart + k) * dt - delay > tk) { ndx = k; break; }
    for (size_t k = 0; k < m; k++) {
        double w = 1;
        if (k < ntx) w = 0;
        else if (k <= ndx) {
            double x = ((double)(tstart + k) * dt - delay - t0) / ui, d = x - p->n_bx - 1;
            w = (1 + p->rho_x) * p->rho_x * exp(-d * d / ((1.0 + p->n_bx) * (1.0 + p->n_bx)));
        }
        pl[k] *= w;
    }
    int bk = 0;
    double bn = -1;
    for (int ph = 0; ph < p->M; ph++) {
        double s = 0;
        for (size_t k = (size_t)ph; k < m; k += (size_t)p->M) s += pl[k] * pl[k];
        if (s > bn) { bn = s; bk = ph; }
    }
    size_t ns = 0;
    for (size_t k = (size_t)bk; k < m; k += (size_t)p->M) pl[ns++] = pl[k];
    lsi_pdf pdf = {0};
    st = lsi_pdf_from_samples(&pdf, pl, ns, p->L, 1e-4);
    free(pl);
    if (st) return st;
    double c = 0, v = 0;
    for (size_t k = 0; k < pdf.n; k++) {
        c += pdf.y[k];
        if (c >= p->der0) { v = -(double)(pdf.min + (long)k) * pdf.bin; break; }
    }
    lsi_pdf_free(&pdf);
    *erl_db = -20 * log10(v);
    return LS_OK;
}

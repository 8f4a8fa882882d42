/*
 * Test IBIS-AMI model: a receiver CTLE followed by a decision-feedback equalizer.
 *
 * CTLE: lanesim's peaking form (include/lanesim/ctle.h), H(s) = (1 + s/w_z) / (1 + s/w_p)^2 with
 * P = 10^(peak_db/20), r = 2 P (P + sqrt(P^2 - 1)), f_z = f_pk / sqrt(r - 2), f_p = f_pk sqrt(r / (r - 2)),
 * realised by the bilinear transform at the sample rate (s = 2 fs (1 - z^-1) / (1 + z^-1)) with the
 * zero and pole pre-warped (a = 1 / tan(pi f_z / fs), b = 1 / tan(pi f_p / fs)):
 *   N(z) = (1 + a) + 2 z^-1 + (1 - a) z^-2,  D(z) = ((1 + b) + (1 - b) z^-1)^2.
 * peak_db = 0 is a flat CTLE. AMI_Init applies it to the impulse response and returns it, and to each
 * aggressor column of the impulse matrix (from rest), scaled by xt_gain (1: the model is LTI; another
 * value lets a test see that the simulator uses what the model returns for the aggressors).
 *
 * DFE (GetWave only): from the CTLE'd pulse response p (the impulse summed over one UI) Init finds the
 * main cursor at sample m; the DFE taps are zero-forcing, j = 1..dfe_taps (below).
 * Clock recovery: GetWave does not assume where the waveform's symbols start (a simulator delays it
 * by d samples). It waits for the signal (|y| above a quarter of the outer level's main cursor), then
 * over acquire_ui UIs sums y^2 at each of the S phases, en[phi]. For independent symbols its expected
 * value is E[a^2] E(phi - d) + noise, E(phi) = sum_k p[phi + k S]^2 from Init: a cyclostationary
 * profile. The delay is the phase difference of the two profiles' fundamentals over the UI
 * (d = -S/(2 pi) arg(EN_1 / E_1), the square-law timing estimate of Oerder and Meyr, 1988), precise to
 * ~0.1 sample here, rounded to whole samples (the delay of a sampled chain is whole samples). The
 * decision instant is then m + d plus phase_ui (rounded to samples; an offset for tests), md = m +
 * phase_ui S in the Init pulse; the slicer levels ({-1, ..., 1} x vpp/2 x p[md]) and the zero-forcing
 * DFE taps (b_j = p[md + j S]) are those of that instant. It decides at t = phase + k S and subtracts
 * sum_j b_j (vpp/2) a_{k-j} over the UI window [t - S/2, t + S/2); with adapt True the taps follow
 * sign-sign LMS, b_j += mu sign(e_k) sign(a_{k-j}). Clock times (IBIS 7.x: the recovered clock's
 * edges, half a symbol time before the data is sampled): t dt - T/2. Output parameters:
 * (rx_ctle_dfe (main_cursor ...) (dfe_b1 ...) ...).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_util.h"

#define MAXT 4

typedef struct {
    double n0, n1, n2, d1, d2;     /* IIR, d0 = 1 */
    double x1, x2, y1, y2;
    double dt, S_d;
    long S, m, n_taps, levels;
    double amp, main, b[MAXT], mu;
    int adapt;
    double a[MAXT];               /* past decisions, a[0] the latest */
    double pend;                  /* the latest decision, in effect from the next UI window */
    int pending;
    long long t;                  /* samples since Init */
    long long next, last;         /* next decision instant, the last one (samples) */
    long acquire_ui;              /* UIs of each clock acquisition step */
    long offset;                  /* decision instant after the pulse peak (samples; phase_ui S) */
    double en[256];               /* y^2 summed per phase during acquisition */
    double pe[256];               /* expected profile E(phi) from the pulse response */
    double peak;                  /* the Init pulse's peak p[m] */
    int locked;
    long long t_sig;              /* first sample of the signal (-1: not yet) */
    char out[512];
} rx;

static double iir(rx *r, double x)
{
    double y = r->n0 * x + r->n1 * r->x1 + r->n2 * r->x2 - r->d1 * r->y1 - r->d2 * r->y2;
    r->x2 = r->x1;
    r->x1 = x;
    r->y2 = r->y1;
    r->y1 = y;
    return y;
}

static void design(rx *r, double peak_db, double fpk)
{
    r->n0 = 1;
    r->n1 = r->n2 = r->d1 = r->d2 = 0;
    if (peak_db <= 0)
        return;
    double P = pow(10, peak_db / 20), q = 2 * P * (P + sqrt(P * P - 1));
    double fz = fpk / sqrt(q - 2), fp = fpk * sqrt(q / (q - 2));
    /* pre-warped: the digital zero and poles sit at the analog frequencies, a = 2 fs / W_z with
       W_z = 2 fs tan(pi f_z / fs) */
    double a = 1 / tan(M_PI * fz * r->dt), b = 1 / tan(M_PI * fp * r->dt), d0 = (1 + b) * (1 + b);
    r->n0 = (1 + a) / d0;
    r->n1 = 2 / d0;
    r->n2 = (1 - a) / d0;
    r->d1 = 2 * (1 + b) * (1 - b) / d0;
    r->d2 = (1 - b) * (1 - b) / d0;
}

static void say_out(rx *r)
{
    int n = snprintf(r->out, sizeof r->out, "(rx_ctle_dfe (main_cursor %.6g)", r->main);
    for (long j = 0; j < r->n_taps && n > 0 && (size_t)n < sizeof r->out - 40; j++)
        n += snprintf(r->out + n, sizeof r->out - (size_t)n, " (dfe_b%ld %.6g)", j + 1, r->b[j]);
    snprintf(r->out + n, sizeof r->out - (size_t)n, ")");
}

AMI_EXPORT long AMI_Init(double *h, long rows, long aggressors, double dt, double ui, char *in, char **out,
                         void **mem, char **msg)
{
    static char m[160];
    *msg = m;
    rx *r = calloc(1, sizeof *r);
    *mem = r;
    if (!r || rows < 4)
        return 0;
    r->dt = dt;
    r->S = lround(ui / dt);
    design(r, ami_real(in, "peak_db", 0), ami_real(in, "fpk_ghz", 26.5625) * 1e9);
    r->n_taps = lround(ami_real(in, "dfe_taps", 0));
    r->levels = lround(ami_real(in, "levels", 4));
    r->amp = ami_real(in, "vpp", 1) / 2;
    r->mu = ami_real(in, "mu", 1e-4);
    char ad[16] = "";
    r->adapt = !ami_param(in, "adapt", ad, sizeof ad) && (ad[0] == 'T' || ad[0] == 't');
    r->acquire_ui = lround(ami_real(in, "acquire_ui", 1000));
    r->t_sig = -1;
    r->offset = lround(ami_real(in, "phase_ui", 0) * (double)r->S);
    if (r->n_taps < 0 || r->n_taps > MAXT || r->levels < 2 || r->S < 2 || r->S > 256 || r->acquire_ui < 1) {
        snprintf(m, sizeof m, "rx_ctle_dfe: dfe_taps %ld outside 0..%d", r->n_taps, MAXT);
        return 0;
    }
    double *p = calloc((size_t)rows, sizeof *p);
    if (!p)
        return 0;
    const double xg = ami_real(in, "xt_gain", 1);
    for (long k = 1; k <= aggressors; k++) { /* the aggressors' columns: the same CTLE, each from rest */
        r->x1 = r->x2 = r->y1 = r->y2 = 0;
        for (long i = 0; i < rows; i++)
            h[k * rows + i] = xg * iir(r, h[k * rows + i]);
    }
    r->x1 = r->x2 = r->y1 = r->y2 = 0;
    for (long i = 0; i < rows; i++) {
        h[i] = iir(r, h[i]);
        p[i] = h[i] * dt;
    }
    for (long i = rows - 1; i >= 0; i--) { /* pulse: sum over the last S samples */
        double s = 0;
        for (long k = 0; k < r->S && i - k >= 0; k++)
            s += p[i - k];
        p[i] = s;
        if (i == 0)
            break;
    }
    r->m = 0;
    for (long i = 1; i < rows; i++)
        if (p[i] > p[r->m])
            r->m = i;
    for (long i = 0; i < rows; i++)
        r->pe[i % r->S] += p[i] * p[i];
    r->peak = p[r->m];
    const long md = r->m + r->offset; /* the decision instant in the pulse */
    r->main = md >= 0 && md < rows ? p[md] : 0;
    for (long j = 0; j < r->n_taps; j++)
        r->b[j] = md + (j + 1) * r->S >= 0 && md + (j + 1) * r->S < rows ? p[md + (j + 1) * r->S] : 0;
    free(p);
    r->x1 = r->x2 = r->y1 = r->y2 = 0;
    say_out(r);
    *out = r->out;
    snprintf(m, sizeof m, "rx_ctle_dfe: main cursor at %ld samples", r->m);
    return 1;
}

/* The nearest PAM level index to v (in units of the outer level), as a level in [-1, 1]. */
static double slice(const rx *r, double v)
{
    double L = (double)(r->levels - 1), k = round((v + 1) * L / 2);
    k = k < 0 ? 0 : k > L ? L : k;
    return 2 * k / L - 1;
}

/* Acquisition, from the signal's start over acquire_ui UIs: en[phi] = sum of y^2 at phase phi; its
   fundamental over the UI against that of the expected profile gives the delay d (rounded to samples). */
static void acquire(rx *r, double y)
{
    if (r->t_sig < 0) {
        if (fabs(y) < 0.25 * r->amp * r->peak)
            return;
        r->t_sig = r->t;
    }
    r->en[r->t % r->S] += y * y;
    if (r->t + 1 < r->t_sig + (long long)r->acquire_ui * r->S)
        return;
    double er = 0, ei = 0, pr = 0, pi = 0;
    for (long k = 0; k < r->S; k++) {
        const double w = 2 * M_PI * (double)k / (double)r->S;
        er += r->en[k] * cos(w);
        ei -= r->en[k] * sin(w);
        pr += r->pe[k] * cos(w);
        pi -= r->pe[k] * sin(w);
    }
    const long d = lround(-(atan2(ei, er) - atan2(pi, pr)) * (double)r->S / (2 * M_PI));
    const long ph = ((r->m + r->offset + d) % r->S + r->S) % r->S;
    r->locked = 1;
    r->next = r->t + 1 + (ph - (r->t + 1) % r->S + r->S) % r->S;
    r->last = -1;
}

AMI_EXPORT long AMI_GetWave(double *w, long n, double *clock, char **out, void *mem)
{
    rx *r = mem;
    long nc = 0;
    const long half = r->S / 2;
    for (long i = 0; i < n; i++, r->t++) {
        double y = iir(r, w[i]), fb = 0;
        if (!r->locked) {
            acquire(r, y);
            w[i] = y;
            continue;
        }
        if (r->pending && r->t == r->last + half) { /* the latest decision takes effect: next UI window */
            for (long j = MAXT - 1; j > 0; j--)
                r->a[j] = r->a[j - 1];
            r->a[0] = r->pend;
            r->pending = 0;
        }
        for (long j = 0; j < r->n_taps; j++)
            fb += r->b[j] * r->amp * r->a[j];
        y -= fb;
        if (r->t == r->next) {
            double a = slice(r, y / (r->amp * r->main)), e = y - a * r->amp * r->main;
            if (r->adapt)
                for (long j = 0; j < r->n_taps; j++)
                    r->b[j] += r->mu * (e > 0 ? 1 : -1) * (r->a[j] > 0 ? 1 : r->a[j] < 0 ? -1 : 0);
            r->pend = a;
            r->pending = 1;
            r->last = r->t;
            r->next += r->S;
            clock[nc++] = (double)r->t * r->dt - 0.5 * (double)r->S * r->dt;
        }
        w[i] = y;
    }
    clock[nc] = -1;
    say_out(r);
    *out = r->out;
    return 1;
}

AMI_EXPORT long AMI_Close(void *mem)
{
    free(mem);
    return 1;
}

/*
 * The S-parameter channel, preparation: from a Touchstone network to the tables and figures of the
 * "touchstone" block (H(f) = SDD21(f) exp(+j 2 pi f tau)), and the evaluation of those tables.
 * The full statement is in sparam.c's header comment; equations and checks in docs/touchstone.md.
 *
 * Stages of lsi_sparam_build, in order:
 *  - tables: g_k = 20 log10 |SDD21(f_k)| (dB) at each file frequency f_k;
 *  - (1) tau0 = minus the slope of a least-squares line through the unwrapped raw phase over
 *    0..min(5 GHz, fmax), then the residual phase phi_k = arg(SDD21 e^{j 2 pi f_k tau0}),
 *    unwrapped along k, with phi_DC = pi round(phi_0 / pi);
 *  - the slopes s_g (<= 0) and s_phi continued above fmax: least squares over the top 5 % of the
 *    band (at least 3 points);
 *  - the analysis grid j df, df = min(the smallest file step, 15.625 MHz) but at least 1 MHz
 *    (a 1 us period; finer file steps are warned about), N a power of two with N/2 df >= 2 fmax;
 *  - (2) tau = tau0 + t_peak, t_peak the peak of the impulse response of the residual windowed by
 *    w(f) = (1 + cos(pi f / fmax)) / 2 over 0..fmax, refined by a parabola through three samples;
 *  - causality: the energy of that windowed response in the negative half period before
 *    t_a - 3 / fmax (t_a the last time before the peak below 10 % of it), over the total;
 *  - span_s and pre_s: where less than 1e-9 of the energy of the plain (tapered) response is left
 *    after t (capped at 20 ns) and before t = 0 (20 ps .. 2 ns);
 *  - warnings: not passive, possibly non-causal (> 1e-3), frequency step too coarse for the delay,
 *    data ending below the simulation's Nyquist frequency.
 * Evaluation (lsi_sparam_eval), |f| = a: linear between file points; g_0 and phi linear from phi_DC
 * below f_0; above fmax g = g_K + s_g (a - fmax) - 100 ((a - fmax) / fmax)^2 dB and
 * phi = phi_K + s_phi (a - fmax).
 *
 * Called by sparam.c; calls no file of the S-parameter channel (sparam_internal.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fft_internal.h"
#include "ls_internal.h"
#include "sparam_internal.h"

#define SPAN_TAIL 1e-9       /* energy fraction outside [-pre, span] */
#define SPAN_CAP_S 20e-9     /* longest span */
#define PRE_MIN_S 20e-12     /* shortest pre-ringing allowance */
#define PRE_CAP_S 2e-9       /* longest pre-ringing allowance */
#define TAPER_DB 100.0       /* roll-off at 2 fmax */
#define CAUSAL_TOL 1e-3      /* energy before the first arrival that triggers a warning */
#define TAU0_BAND_HZ 5e9     /* band of the phase-slope delay estimate */
#define GRID_DF_MAX 15.625e6 /* coarsest IFFT grid step: 64 ns period */
/* finest IFFT grid step: a 1 us period holds the response of ~200 m of cable, far beyond any lane
   channel (span_s is capped at 20 ns), while a file's own step may ask for any finer grid (1 Hz
   would need 2^36 points at 60 GHz: the grid a file can ask for is bounded here, with a warning) */
#define GRID_DF_MIN 1e6

static ls_status add_warn(sparam *q, const char *fmt, ...)
{
    if (q->n_warn >= SP_MAX_WARN)
        return LS_OK;
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        return LS_EINTERNAL;
    char *s = malloc((size_t)len + 1);
    if (!s)
        return LS_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)len + 1, fmt, ap);
    va_end(ap);
    q->warn[q->n_warn++] = s;
    return LS_OK;
}

/* Gain (dB) and phase (rad) at a >= 0. */
void lsi_sparam_eval(const sparam *q, double a, double *g, double *ph)
{
    const size_t K = q->k;
    if (a >= q->fmax) {
        double d = a - q->fmax, u = d / q->fmax;
        *g = q->g[K - 1] + q->slope_g * d - TAPER_DB * u * u;
        *ph = q->ph[K - 1] + q->slope_ph * d;
        return;
    }
    if (a <= q->f0) {
        *g = q->g[0];
        *ph = q->f0 > 0 ? q->phi_dc + (q->ph[0] - q->phi_dc) * (a / q->f0) : q->ph[0];
        return;
    }
    size_t lo = 0, hi = K - 1; /* f[lo] < a < f[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (q->f[mid] <= a)
            lo = mid;
        else
            hi = mid;
    }
    double w = (a - q->f[lo]) / (q->f[hi] - q->f[lo]);
    *g = q->g[lo] + w * (q->g[hi] - q->g[lo]);
    *ph = q->ph[lo] + w * (q->ph[hi] - q->ph[lo]);
}

/* Impulse response of the block on the analysis grid into p's time array (scaled by 1/N);
 * hann != 0 multiplies by the Hann window over 0..fmax. */
static void impulse(const sparam *q, lsi_rfft *p, double df, int hann)
{
    const size_t N = lsi_rfft_size(p);
    float complex *F = lsi_rfft_freq(p);
    for (size_t j = 0; j <= N / 2; j++) {
        double f = (double)j * df, g, ph;
        double w = 1.0;
        if (hann)
            w = f < q->fmax ? 0.5 * (1.0 + cos(M_PI * f / q->fmax)) : 0.0;
        lsi_sparam_eval(q, f, &g, &ph);
        if (g < SP_FLOOR_DB || w == 0.0) {
            F[j] = 0;
            continue;
        }
        double m = w * pow(10.0, g / 20.0);
        F[j] = (float complex)(m * cos(ph) + I * m * sin(ph));
    }
    F[0] = crealf(F[0]);
    F[N / 2] = crealf(F[N / 2]);
    lsi_rfft_inverse(p);
    float *t = lsi_rfft_time(p);
    for (size_t i = 0; i < N; i++)
        t[i] /= (float)N;
}

/* Index of the largest |h| and its sub-sample offset (parabola through the neighbours). */
static double peak_offset(const float *h, size_t N, size_t *ipk)
{
    size_t best = 0;
    for (size_t i = 1; i < N; i++)
        if (fabsf(h[i]) > fabsf(h[best]))
            best = i;
    *ipk = best;
    double ym = fabsf(h[(best + N - 1) % N]), y0 = fabsf(h[best]), yp = fabsf(h[(best + 1) % N]);
    double den = ym - 2.0 * y0 + yp;
    return den < 0 ? 0.5 * (ym - yp) / den : 0.0;
}

/* The tables: frequencies, gains (dB) into q and the raw through response H[0..K) (K = q->k). */
static ls_status read_tables(sparam *q, const ls_touchstone *t, const double *f, double complex *H)
{
    const size_t K = q->k;
    ls_status st;
    for (size_t k = 0; k < K; k++) {
        if ((st = ls_touchstone_mixed(t, &q->map, k, &H[k], NULL, NULL)) != LS_OK)
            return st;
        q->f[k] = f[k];
        double m = cabs(H[k]);
        q->g[k] = m > 1e-30 ? 20.0 * log10(m) : -600.0;
    }
    q->f0 = f[0];
    q->fmax = f[K - 1];
    return LS_OK;
}

/* (1) tau0: least-squares slope of the unwrapped raw phase over 0..TAU0_BAND_HZ */
static double phase_slope_delay(const double *f, const double complex *H, size_t K)
{
    double ph = carg(H[0]), sx = 0, sy = 0, sxx = 0, sxy = 0;
    size_t cnt = 0;
    const double band = fmax(TAU0_BAND_HZ, f[LS_MIN(K - 1, (size_t)2)]);
    for (size_t k = 0; k < K && f[k] <= band; k++) {
        if (k)
            ph += carg(H[k] / H[k - 1]);
        sx += f[k];
        sy += ph;
        sxx += f[k] * f[k];
        sxy += f[k] * ph;
        cnt++;
    }
    double den = (double)cnt * sxx - sx * sx;
    double tau0 = cnt >= 2 && den > 0 ? -((double)cnt * sxy - sx * sy) / den / (2.0 * M_PI) : 0.0;
    if (!isfinite(tau0))
        tau0 = 0.0;
    return tau0;
}

/* residual phase, unwrapped */
static void residual_phase(sparam *q, const double *f, const double complex *H, double tau0)
{
    const size_t K = q->k;
    for (size_t k = 0; k < K; k++) {
        double r = carg(H[k] * cexp(I * 2.0 * M_PI * f[k] * tau0));
        q->ph[k] = k ? q->ph[k - 1] + remainder(r - q->ph[k - 1], 2.0 * M_PI) : r;
    }
    q->phi_dc = M_PI * round(q->ph[0] / M_PI);
    if (q->f0 == 0.0)
        q->ph[0] = q->phi_dc;
}

/* slopes continued above fmax: least squares over the top 5 % of the band (>= 3 points) */
static void continued_slopes(sparam *q, const double *f)
{
    const size_t K = q->k;
    size_t k0 = K - 1;
    while (k0 > 0 && (f[k0 - 1] >= 0.95 * q->fmax || K - k0 < 3))
        k0--;
    double mx = 0, mg = 0, mp = 0, sxx2 = 0, sxg = 0, sxp = 0;
    const double m = (double)(K - k0);
    for (size_t k = k0; k < K; k++) {
        mx += f[k] / m;
        mg += q->g[k] / m;
        mp += q->ph[k] / m;
    }
    for (size_t k = k0; k < K; k++) {
        sxx2 += (f[k] - mx) * (f[k] - mx);
        sxg += (f[k] - mx) * (q->g[k] - mg);
        sxp += (f[k] - mx) * (q->ph[k] - mp);
    }
    q->slope_g = sxx2 > 0 ? fmin(0.0, sxg / sxx2) : 0.0;
    q->slope_ph = sxx2 > 0 ? sxp / sxx2 : 0.0;
}

/* (2) peak of the Hann-windowed residual: tau = tau0 + t_peak, t_peak removed from the phase */
static void peak_delay(sparam *q, const double *f, lsi_rfft *p, double df, double dt, double tau0)
{
    const size_t K = q->k, N = lsi_rfft_size(p);
    const float *h = lsi_rfft_time(p);
    impulse(q, p, df, 1);
    size_t ipk;
    double frac = peak_offset(h, N, &ipk);
    double tpk = ((double)ipk + frac) * dt;
    if (ipk >= N / 2)
        tpk -= (double)N * dt;
    q->tau = tau0 + tpk;
    for (size_t k = 0; k < K; k++)
        q->ph[k] += 2.0 * M_PI * f[k] * tpk;
    q->slope_ph += 2.0 * M_PI * tpk;
}

/* causality: energy of the Hann-windowed response well before its first arrival */
static void causality(sparam *q, lsi_rfft *p, double df, double dt)
{
    const size_t N = lsi_rfft_size(p);
    const float *h = lsi_rfft_time(p);
    size_t ipk;
    impulse(q, p, df, 1);
    peak_offset(h, N, &ipk);
    double e_tot = 0.0, e_pre = 0.0;
    for (size_t i = 0; i < N; i++)
        e_tot += (double)h[i] * h[i];
    const double hp = fabsf(h[ipk]);
    size_t ia = ipk, steps = 0; /* walk back to the 10 % point */
    while (steps < N / 2 && fabsf(h[ia]) >= 0.1 * hp) {
        ia = (ia + N - 1) % N;
        steps++;
    }
    size_t guard = (size_t)ceil(3.0 / q->fmax / dt);
    if (steps + guard < N / 2) {
        size_t first = (ipk + N / 2) % N; /* half a period before the peak */
        size_t last = (ia + N - guard) % N;
        for (size_t i = first; i != last; i = (i + 1) % N)
            e_pre += (double)h[i] * h[i];
    }
    q->precursor = e_tot > 0 ? e_pre / e_tot : 0.0;
}

/* span and pre from the plain (tapered) response */
static void span_and_pre(sparam *q, lsi_rfft *p, double df, double dt)
{
    const size_t N = lsi_rfft_size(p);
    const float *h = lsi_rfft_time(p);
    impulse(q, p, df, 0);
    double e_tot = 0.0;
    for (size_t i = 0; i < N; i++)
        e_tot += (double)h[i] * h[i];
    double acc = 0.0;
    size_t is = N / 2;
    while (is > 1 && acc + (double)h[is - 1] * h[is - 1] <= SPAN_TAIL * e_tot) {
        acc += (double)h[is - 1] * h[is - 1];
        is--;
    }
    q->span = fmin((double)is * dt, SPAN_CAP_S);
    acc = 0.0;
    size_t ip = N / 2; /* samples N/2 .. N-1 are t = -N/2 dt .. -dt */
    while (ip < N - 1 && acc + (double)h[ip] * h[ip] <= SPAN_TAIL * e_tot) {
        acc += (double)h[ip] * h[ip];
        ip++;
    }
    q->pre = fmin(fmax((double)(N - ip) * dt, PRE_MIN_S), PRE_CAP_S);
}

/* warnings */
static ls_status warnings(sparam *q, const ls_touchstone *t, const double *f, double fs_hint_hz)
{
    const char *path = ls_touchstone_path(t);
    const size_t K = q->k;
    ls_status st;
    double sig, fsig;
    size_t n_over;
    if ((st = ls_touchstone_passivity(t, &sig, &fsig, &n_over)) != LS_OK)
        return st;
    if (n_over && (st = add_warn(q,
                                 "%s: not passive: largest singular value of S is %.5f at %g GHz "
                                 "(limit 1 + %g; exceeded at %zu of %zu frequencies)",
                                 path, sig, fsig / 1e9, LS_TOUCHSTONE_PASSIVITY_TOL, n_over, K)))
        return st;
    if (q->precursor > CAUSAL_TOL &&
        (st =
             add_warn(q,
                      "%s: possibly non-causal: %.3g %% of the SDD21 impulse-response energy "
                      "(Hann window to fmax = %g GHz) comes before the first arrival (limit %g %%)",
                      path, 100.0 * q->precursor, q->fmax / 1e9, 100.0 * CAUSAL_TOL)))
        return st;
    double step = 0.0, fine = INFINITY;
    for (size_t k = 1; k < K; k++) {
        step = fmax(step, f[k] - f[k - 1]);
        fine = fmin(fine, f[k] - f[k - 1]);
    }
    if (fine < GRID_DF_MIN &&
        (st = add_warn(q,
                       "%s: frequency step %g Hz is below %g MHz: the channel is analysed on a %g MHz grid "
                       "(a %g us period; no lane channel rings that long)",
                       path, fine, GRID_DF_MIN / 1e6, GRID_DF_MIN / 1e6, 1e6 / GRID_DF_MIN)))
        return st;
    if (step * fabs(q->tau) > 0.5 &&
        (st = add_warn(q,
                       "%s: the frequency step (%g MHz) is too coarse for the delay (%.4g ns): "
                       "the phase between points is ambiguous and the delay may be wrong",
                       path, step / 1e6, q->tau * 1e9)))
        return st;
    if (fs_hint_hz > 0 && 0.5 * fs_hint_hz > q->fmax &&
        (st = add_warn(q,
                       "%s: data end at fmax = %g GHz, below the simulation's Nyquist frequency "
                       "%g GHz: above fmax the response is extrapolated (last loss slope times "
                       "a Gaussian taper, at least 100 dB down at %g GHz)",
                       path, q->fmax / 1e9, 0.5 * fs_hint_hz / 1e9, 2.0 * q->fmax / 1e9)))
        return st;
    return LS_OK;
}

ls_status lsi_sparam_build(sparam *q, const ls_touchstone *t, double fs_hint_hz, char *msg,
                           size_t cap)
{
    const char *path = ls_touchstone_path(t);
    const size_t K = ls_touchstone_points(t);
    const double *f = ls_touchstone_freq_hz(t);
    ls_status st;
    lsi_rfft *p = NULL;
    double complex *H = NULL;
    if (K < 2) {
        lsi_say(msg, cap, "%s: a channel needs at least 2 frequency points", path);
        return LS_EINVAL;
    }
    q->k = K;
    q->f = ls_alloc_n(K, sizeof *q->f);
    q->g = ls_alloc_n(K, sizeof *q->g);
    q->ph = ls_alloc_n(K, sizeof *q->ph);
    H = malloc(K * sizeof *H);
    if (!q->f || !q->g || !q->ph || !H) {
        st = LS_ENOMEM;
        goto done;
    }
    if ((st = read_tables(q, t, f, H)) != LS_OK)
        goto done;
    const double tau0 = phase_slope_delay(f, H, K);
    residual_phase(q, f, H, tau0);
    continued_slopes(q, f);

    /* analysis grid */
    double df = GRID_DF_MAX;
    for (size_t k = 1; k < K; k++)
        df = fmin(df, f[k] - f[k - 1]);
    df = fmax(df, GRID_DF_MIN);
    df = fmax(df, 2.0 * q->fmax / (double)((size_t)1 << 20)); /* keeps N <= 2^21 (fmax above ~500 GHz) */
    const size_t N = lsi_pow2_at_least((size_t)ceil(2.0 * 2.0 * q->fmax / df) + 2);
    const double dt = 1.0 / ((double)N * df);
    if (!(p = lsi_rfft_create(N, &st)))
        goto done;

    peak_delay(q, f, p, df, dt, tau0);
    causality(q, p, df, dt);
    span_and_pre(q, p, df, dt);
    st = warnings(q, t, f, fs_hint_hz);
done:
    if (st == LS_ENOMEM)
        lsi_say(msg, cap, "%s: out of memory", path);
    else if (st == LS_EFFT)
        lsi_say(msg, cap, "%s: no FFT plan", path);
    lsi_rfft_destroy(p);
    free(H);
    return st;
}

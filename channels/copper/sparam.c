/*
 * The S-parameter channel as an LTI block ("touchstone"): H(f) = SDD21(f) exp(+j 2 pi f tau).
 *
 * Tables: at each file frequency f_k, the gain g_k = 20 log10 |SDD21| (dB) and the residual phase
 * phi_k = arg(SDD21 e^{j 2 pi f_k tau}), unwrapped along k. The bulk delay tau is found in two
 * steps: (1) tau0 = minus the slope of a least-squares line through the unwrapped raw phase
 * over 0..min(5 GHz, fmax) (unwrapped by summing arg(H_k / H_{k-1}), exact while the file step
 * times the delay stays under half a cycle); (2) the peak of the impulse response of the
 * residual, windowed by a Hann window over 0..fmax (w(f) = (1 + cos(pi f / fmax)) / 2), refined by
 * a parabola through the three samples at the peak: tau = tau0 + t_peak. On the shared 802.3ck,
 * TE and LeCroy files this matches the peak of the Hann-windowed impulse response of the raw data
 * (within one IFFT sample).
 *
 * response(f), |f| = a:
 *  - f_0 < a < fmax: g and phi linear in a between the neighbouring file points;
 *  - a <= f_0 (files that do not start at 0 Hz): g = g_0, phi linear from phi_DC = pi
 *    round(phi_0 / pi) at 0 Hz to phi_0 (a real DC value); a file point at 0 Hz is made real the
 *    same way;
 *  - a >= fmax: g = g_K + s_g (a - fmax) - 100 ((a - fmax) / fmax)^2 dB and
 *    phi = phi_K + s_phi (a - fmax), where s_g (clamped to <= 0) and s_phi are least-squares
 *    slopes over the top 5 % of the band (at least 3 points): the loss slope and the residual
 *    group delay continue, times a Gaussian taper in amplitude that is 100 dB down at 2 fmax.
 *    Matching the slopes at fmax keeps g and phi continuously differentiable there, so the
 *    impulse response does not ring for long around t = 0. Below -400 dB the response is 0;
 *  - H(-a) = conj H(a).
 *
 * Impulse response (span, pre, causality): the response is sampled on the grid j df, df = min(the
 * smallest file step, 15.625 MHz) (period 1/df >= 64 ns), up to N/2 df >= 2 fmax with N a power
 * of two, and inverse-FFT'd (real, N points, no further window: the Gaussian taper already
 * removes the truncation at fmax). With E the total energy, span_s is the smallest t > 0 with
 * less than 1e-9 E after it (within the positive half period), capped at 20 ns; pre_s the same
 * before t = 0 (negative half period), between 20 ps and 2 ns.
 *
 * Causality check: on the Hann-windowed impulse response h_w (peak at t = 0 after delay removal),
 * the first arrival t_a is the last time before the peak where |h_w| is below 10 % of the peak
 * |h_w|; the energy of h_w in the negative half period before t_a - 3 / fmax (three widths of the
 * window's own kernel) is compared with the total: more than 1e-3 gives a warning.
 */
#include "lanesim/touchstone.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fft_internal.h"
#include "ls_internal.h"

#define MAX_WARN 8
#define SPAN_TAIL 1e-9       /* energy fraction outside [-pre, span] */
#define SPAN_CAP_S 20e-9     /* longest span */
#define PRE_MIN_S 20e-12     /* shortest pre-ringing allowance */
#define PRE_CAP_S 2e-9       /* longest pre-ringing allowance */
#define TAPER_DB 100.0       /* roll-off at 2 fmax */
#define FLOOR_DB (-400.0)    /* below this the response is 0 */
#define CAUSAL_TOL 1e-3      /* energy before the first arrival that triggers a warning */
#define TAU0_BAND_HZ 5e9     /* band of the phase-slope delay estimate */
#define GRID_DF_MAX 15.625e6 /* coarsest IFFT grid step: 64 ns period */

typedef struct {
    size_t k;
    double *f, *g, *ph; /* [k] Hz, dB, rad */
    double fmax, f0, phi_dc;
    double slope_g, slope_ph; /* dB/Hz (<= 0) and rad/Hz continued above fmax */
    double tau, span, pre;
    double precursor; /* causality metric: energy fraction before the first arrival */
    ls_port_map map;
    size_t n_warn;
    char *warn[MAX_WARN];
} sparam;

static const ls_block_ops sparam_ops;

static void sp_destroy(void *self)
{
    sparam *q = self;
    if (!q)
        return;
    ls_free(q->f);
    ls_free(q->g);
    ls_free(q->ph);
    for (size_t i = 0; i < q->n_warn; i++)
        free(q->warn[i]);
    ls_free(q);
}

static ls_status add_warn(sparam *q, const char *fmt, ...)
{
    if (q->n_warn >= MAX_WARN)
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
static void eval(const sparam *q, double a, double *g, double *ph)
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

static ls_status sp_response(const void *self, const double *f_hz, double complex *h, size_t n)
{
    const sparam *q = self;
    if (!q || (n && (!f_hz || !h)))
        return LS_EINVAL;
    for (size_t i = 0; i < n; i++) {
        double a = fabs(f_hz[i]), g, ph;
        if (!isfinite(a))
            return LS_EINVAL;
        eval(q, a, &g, &ph);
        if (g < FLOOR_DB) {
            h[i] = 0;
            continue;
        }
        double m = pow(10.0, g / 20.0);
        h[i] = m * cos(ph) + I * (f_hz[i] < 0 ? -m * sin(ph) : m * sin(ph));
    }
    return LS_OK;
}

static double sp_span(const void *self)
{
    return ((const sparam *)self)->span;
}

static double sp_pre(const void *self)
{
    return ((const sparam *)self)->pre;
}

static const ls_block_ops sparam_ops = {
    .name = "touchstone",
    .kind = LS_KIND_LTI,
    .in = LS_T_F32,
    .out = LS_T_F32,
    .response = sp_response,
    .span_s = sp_span,
    .pre_s = sp_pre,
    .destroy = sp_destroy,
};

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
        eval(q, f, &g, &ph);
        if (g < FLOOR_DB || w == 0.0) {
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

static ls_status build(sparam *q, const ls_touchstone *t, double fs_hint_hz, char *msg, size_t cap)
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
    for (size_t k = 0; k < K; k++) {
        if ((st = ls_touchstone_mixed(t, &q->map, k, &H[k], NULL, NULL)) != LS_OK)
            goto done;
        q->f[k] = f[k];
        double m = cabs(H[k]);
        q->g[k] = m > 1e-30 ? 20.0 * log10(m) : -600.0;
    }
    q->f0 = f[0];
    q->fmax = f[K - 1];

    /* (1) tau0: least-squares slope of the unwrapped raw phase over 0..TAU0_BAND_HZ */
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

    /* residual phase, unwrapped */
    for (size_t k = 0; k < K; k++) {
        double r = carg(H[k] * cexp(I * 2.0 * M_PI * f[k] * tau0));
        q->ph[k] = k ? q->ph[k - 1] + remainder(r - q->ph[k - 1], 2.0 * M_PI) : r;
    }
    q->phi_dc = M_PI * round(q->ph[0] / M_PI);
    if (q->f0 == 0.0)
        q->ph[0] = q->phi_dc;

    /* slopes continued above fmax: least squares over the top 5 % of the band (>= 3 points) */
    {
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

    /* analysis grid */
    double df = GRID_DF_MAX;
    for (size_t k = 1; k < K; k++)
        df = fmin(df, f[k] - f[k - 1]);
    df = fmax(df, 2.0 * q->fmax / (double)((size_t)1 << 24)); /* keeps N <= 2^25 */
    const size_t N = lsi_pow2_at_least((size_t)ceil(2.0 * 2.0 * q->fmax / df) + 2);
    const double dt = 1.0 / ((double)N * df);
    if (!(p = lsi_rfft_create(N, &st)))
        goto done;
    float *h = lsi_rfft_time(p);

    /* (2) peak of the Hann-windowed residual */
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

    /* causality: energy of the Hann-windowed response well before its first arrival */
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

    /* span and pre from the plain (tapered) response */
    impulse(q, p, df, 0);
    e_tot = 0.0;
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

    /* warnings */
    double sig, fsig;
    size_t n_over;
    if ((st = ls_touchstone_passivity(t, &sig, &fsig, &n_over)) != LS_OK)
        goto done;
    if (n_over && (st = add_warn(q,
                                 "%s: not passive: largest singular value of S is %.5f at %g GHz "
                                 "(limit 1 + %g; exceeded at %zu of %zu frequencies)",
                                 path, sig, fsig / 1e9, LS_TOUCHSTONE_PASSIVITY_TOL, n_over, K)))
        goto done;
    if (q->precursor > CAUSAL_TOL &&
        (st =
             add_warn(q,
                      "%s: possibly non-causal: %.3g %% of the SDD21 impulse-response energy "
                      "(Hann window to fmax = %g GHz) comes before the first arrival (limit %g %%)",
                      path, 100.0 * q->precursor, q->fmax / 1e9, 100.0 * CAUSAL_TOL)))
        goto done;
    double step = 0.0;
    for (size_t k = 1; k < K; k++)
        step = fmax(step, f[k] - f[k - 1]);
    if (step * fabs(q->tau) > 0.5 &&
        (st = add_warn(q,
                       "%s: the frequency step (%g MHz) is too coarse for the delay (%.4g ns): "
                       "the phase between points is ambiguous and the delay may be wrong",
                       path, step / 1e6, q->tau * 1e9)))
        goto done;
    if (fs_hint_hz > 0 && 0.5 * fs_hint_hz > q->fmax &&
        (st = add_warn(q,
                       "%s: data end at fmax = %g GHz, below the simulation's Nyquist frequency "
                       "%g GHz: above fmax the response is extrapolated (last loss slope times "
                       "a Gaussian taper, at least 100 dB down at %g GHz)",
                       path, q->fmax / 1e9, 0.5 * fs_hint_hz / 1e9, 2.0 * q->fmax / 1e9)))
        goto done;
    st = LS_OK;
done:
    if (st == LS_ENOMEM)
        lsi_say(msg, cap, "%s: out of memory", path);
    else if (st == LS_EFFT)
        lsi_say(msg, cap, "%s: no FFT plan", path);
    lsi_rfft_destroy(p);
    free(H);
    return st;
}

ls_status ls_sparam_from_touchstone(const ls_touchstone *t, const ls_port_map *m, double fs_hint_hz,
                                    ls_block *out, char *msg, size_t cap)
{
    if (!out)
        return LS_EINVAL;
    out->ops = NULL;
    out->self = NULL;
    if (!t || !isfinite(fs_hint_hz) || fs_hint_hz < 0) {
        lsi_say(msg, cap, "invalid arguments");
        return LS_EINVAL;
    }
    ls_port_map map;
    if (m) {
        map = *m;
    } else if (ls_touchstone_detect_map(t, &map) != LS_OK) {
        lsi_say(msg, cap, "%s: a %u-port file has no through path", ls_touchstone_path(t),
            ls_touchstone_ports(t));
        return LS_EINVAL;
    }
    if (ls_touchstone_check_map(t, &map) != LS_OK) {
        lsi_say(msg, cap, "%s: invalid port map for a %u-port file", ls_touchstone_path(t),
            ls_touchstone_ports(t));
        return LS_EINVAL;
    }
    sparam *q = ls_alloc(sizeof *q);
    if (!q) {
        lsi_say(msg, cap, "out of memory");
        return LS_ENOMEM;
    }
    q->map = map;
    ls_status st = build(q, t, fs_hint_hz, msg, cap);
    if (st != LS_OK) {
        sp_destroy(q);
        return st;
    }
    out->ops = &sparam_ops;
    out->self = q;
    return LS_OK;
}

ls_status ls_sparam_into_block(const ls_sparam_config *cfg, ls_block *out, char *msg, size_t cap)
{
    if (!out)
        return LS_EINVAL;
    out->ops = NULL;
    out->self = NULL;
    if (!cfg || !cfg->path) {
        lsi_say(msg, cap, "no Touchstone file given");
        return LS_EINVAL;
    }
    ls_status st;
    ls_touchstone *t = ls_touchstone_read(cfg->path, msg, cap, &st);
    if (!t)
        return st;
    st = ls_sparam_from_touchstone(t, cfg->auto_map ? NULL : &cfg->map, cfg->fs_hint_hz, out, msg,
                                   cap);
    ls_touchstone_destroy(t);
    return st;
}

static const sparam *as_sparam(const ls_block *b)
{
    return b && b->ops == &sparam_ops ? b->self : NULL;
}

double ls_sparam_delay_s(const ls_block *b)
{
    const sparam *q = as_sparam(b);
    return q ? q->tau : NAN;
}

double ls_sparam_fmax_hz(const ls_block *b)
{
    const sparam *q = as_sparam(b);
    return q ? q->fmax : NAN;
}

size_t ls_sparam_warnings(const ls_block *b, const char **w, size_t cap)
{
    const sparam *q = as_sparam(b);
    if (!q)
        return 0;
    for (size_t i = 0; i < q->n_warn && i < cap; i++)
        if (w)
            w[i] = q->warn[i];
    return q->n_warn;
}

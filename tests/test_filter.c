/* Tests of the analog low-pass models (Butterworth, Bessel-Thomson, Gaussian, RC) and their
 * block adapter. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lanesim/filter.h"
#include "ls_internal.h"
#include "util.h"

static ls_lowpass_config lp(ls_lp_type t, unsigned order, double f3)
{
    ls_lowpass_config c;
    ls_lowpass_config_init(&c);
    c.type = t;
    c.order = order;
    c.f3db_hz = f3;
    return c;
}

static double complex resp1(const ls_lowpass_config *c, double f)
{
    double complex h = NAN;
    cr_assert(eq(int, ls_lowpass_response(c, &f, &h, 1), LS_OK));
    return h;
}

/* Every non-trivial (type, order) pair. */
typedef struct {
    ls_lp_type t;
    unsigned order;
} model;

static size_t all_models(model *m)
{
    size_t n = 0;
    for (unsigned k = 1; k <= LS_LOWPASS_MAX_ORDER; k++) {
        m[n++] = (model){LS_LP_BUTTERWORTH, k};
        m[n++] = (model){LS_LP_BESSEL, k};
    }
    m[n++] = (model){LS_LP_GAUSSIAN, 0};
    m[n++] = (model){LS_LP_RC, 1};
    return n;
}

Test(filter, config_init_is_the_802_3_reference_receiver)
{
    ls_lowpass_config c;
    ls_lowpass_config_init(&c);
    cr_assert(eq(int, c.type, LS_LP_BESSEL));
    cr_assert(eq(u32, c.order, 4));
    cr_assert(eq(dbl, c.f3db_hz, 26.5625e9));
}

Test(filter, gain_at_f3db_is_half_power)
{
    model m[20];
    size_t nm = all_models(m);
    static const double f3s[] = {1.0, 13.28125e9, 26.5625e9, 7.3e3};
    for (size_t i = 0; i < nm; i++)
        for (size_t j = 0; j < 4; j++) {
            ls_lowpass_config c = lp(m[i].t, m[i].order, f3s[j]);
            double g = cabs(resp1(&c, f3s[j]));
            double gn = cabs(resp1(&c, -f3s[j]));
            cr_assert(lt(dbl, fabs(g * M_SQRT2 - 1.0), 1e-9), "%s order %u f3 %g: |H(f3)| = %.15f",
                      ls_lowpass_name(m[i].t), m[i].order, f3s[j], g);
            cr_assert(lt(dbl, fabs(gn * M_SQRT2 - 1.0), 1e-9));
        }
}

Test(filter, dc_gain_is_one_and_response_is_hermitian)
{
    model m[20];
    size_t nm = all_models(m);
    for (size_t i = 0; i < nm; i++) {
        ls_lowpass_config c = lp(m[i].t, m[i].order, 5e9);
        cr_assert(epsilon_eq(dbl, creal(resp1(&c, 0.0)), 1.0, 1e-14), "%s %u",
                  ls_lowpass_name(m[i].t), m[i].order);
        cr_assert(epsilon_eq(dbl, cimag(resp1(&c, 0.0)), 0.0, 1e-14));
        for (double f = 1e7; f < 1e12; f *= 3.7) {
            double complex a = resp1(&c, f), b = resp1(&c, -f);
            cr_assert(le(dbl, cabs(a - conj(b)), 1e-15 * (1.0 + cabs(a))), "%s %u f %g",
                      ls_lowpass_name(m[i].t), m[i].order, f);
            cr_assert(le(dbl, cabs(a), 1.0 + 1e-12), "passive: |H| <= 1");
        }
    }
    ls_lowpass_config none = lp(LS_LP_NONE, 0, 0.0); /* order and f3db ignored */
    for (double f = -1e11; f < 1e11; f += 1.3e9)
        cr_assert(eq(dbl, creal(resp1(&none, f)), 1.0));
    cr_assert(eq(dbl, ls_lowpass_span_s(&none), 0.0));
    cr_assert(eq(dbl, ls_lowpass_pre_s(&none), 0.0));
}

Test(filter, butterworth_matches_closed_form)
{
    for (unsigned n = 1; n <= LS_LOWPASS_MAX_ORDER; n++) {
        ls_lowpass_config c = lp(LS_LP_BUTTERWORTH, n, 2e9);
        for (double u = 1e-3; u < 1e3; u *= 1.07) {
            double g2 = pow(cabs(resp1(&c, u * 2e9)), 2.0);
            double want = 1.0 / (1.0 + pow(u, 2.0 * n));
            cr_assert(lt(dbl, fabs(g2 / want - 1.0), 1e-10), "order %u u %g: %g vs %g", n, u, g2,
                      want);
        }
    }
}

Test(filter, gaussian_and_rc_match_closed_form)
{
    ls_lowpass_config g = lp(LS_LP_GAUSSIAN, 0, 3e9), r = lp(LS_LP_RC, 7 /* ignored */, 3e9);
    for (double u = -20.0; u <= 20.0; u += 0.0625) {
        double complex hg = resp1(&g, u * 3e9), hr = resp1(&r, u * 3e9);
        cr_assert(ieee_ulp_eq(dbl, creal(hg), exp(-0.5 * log(2.0) * u * u), 4), "u %g", u);
        cr_assert(eq(dbl, cimag(hg), 0.0), "Gaussian is zero phase");
        cr_assert(lt(dbl, cabs(hr - 1.0 / (1.0 + I * u)), 1e-15), "u %g", u);
    }
}

/* Group delay (s) at f by central difference of the phase. */
static double group_delay(const ls_lowpass_config *c, double f)
{
    const double d = 1e-4 * c->f3db_hz;
    double complex a = resp1(c, f + d), b = resp1(c, f - d);
    return -carg(a / b) / (2.0 * M_PI * 2.0 * d);
}

Test(filter, bessel_group_delay_is_maximally_flat)
{
    /* Delay-normalized theta_N has unit DC delay, so tau(0) * 2 pi f3 is the classic -3 dB
     * normalization W_N [Thomson 1949; Williams & Taylor table]. */
    static const double classic[9] = {0,      1.0,    1.3617, 1.7557, 2.1139,
                                      2.4274, 2.7034, 2.9517, 3.1796};
    const double f3 = 10e9;
    for (unsigned n = 1; n <= LS_LOWPASS_MAX_ORDER; n++) {
        ls_lowpass_config c = lp(LS_LP_BESSEL, n, f3);
        double wn = group_delay(&c, 0.0) * 2.0 * M_PI * f3;
        cr_assert(lt(dbl, fabs(wn - classic[n]), 1e-4 + 1e-6), "order %u: W = %.6f, classic %.4f",
                  n, wn, classic[n]);
    }
    ls_lowpass_config be = lp(LS_LP_BESSEL, 4, f3), bu = lp(LS_LP_BUTTERWORTH, 4, f3);
    double t0 = group_delay(&be, 0.0), t1 = group_delay(&be, 0.1 * f3);
    cr_assert(lt(dbl, fabs(t1 / t0 - 1.0), 1e-3), "Bessel-4 delay at 0.1 f3: %g vs %g", t1, t0);
    /* Contrast: the Butterworth delay is not that flat. */
    double b0 = group_delay(&bu, 0.0), b1 = group_delay(&bu, 0.1 * f3);
    cr_assert(gt(dbl, fabs(b1 / b0 - 1.0), 1e-3), "Butterworth-4: %g vs %g", b1, b0);
}

Test(filter, bessel4_matches_published_polynomial)
{
    /* H(s) = 105 / (s^4 + 10 s^3 + 45 s^2 + 105 s + 105) with s = j (f/f3) W4, where W4 is the
     * -3 dB frequency of that polynomial, found here independently by bisection. */
    double lo = 1.0, hi = 4.0;
    for (int it = 0; it < 200; it++) {
        double w = 0.5 * (lo + hi);
        double complex s = I * w;
        double g = cabs(105.0 / ((((s + 10.0) * s + 45.0) * s + 105.0) * s + 105.0));
        if (g > M_SQRT1_2)
            lo = w;
        else
            hi = w;
    }
    const double w4 = 0.5 * (lo + hi);
    cr_assert(lt(dbl, fabs(w4 - 2.1139), 1e-4), "W4 = %.8f", w4);
    const double f3 = 26.5625e9;
    ls_lowpass_config c = lp(LS_LP_BESSEL, 4, f3);
    for (double u = 0.0; u < 50.0; u += 0.01) {
        double complex s = I * u * w4;
        double complex want = 105.0 / ((((s + 10.0) * s + 45.0) * s + 105.0) * s + 105.0);
        double complex got = resp1(&c, u * f3);
        cr_assert(lt(dbl, cabs(got - want), 1e-12 * cabs(want)), "u %g: |diff| %g", u,
                  cabs(got - want));
    }
}

/* In-place radix-2 complex FFT (double), sign -1 forward, +1 inverse (unnormalized). */
static void fft_c(double complex *a, size_t n, int sign)
{
    for (size_t i = 1, j = 0; i < n; i++) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j |= bit;
        if (i < j) {
            double complex t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
    for (size_t len = 2; len <= n; len <<= 1) {
        double ang = sign * 2.0 * M_PI / (double)len;
        for (size_t i = 0; i < n; i += len)
            for (size_t k = 0; k < len / 2; k++) {
                double complex w = cexp(I * ang * (double)k);
                double complex u = a[i + k], v = a[i + k + len / 2] * w;
                a[i + k] = u + v;
                a[i + k + len / 2] = u - v;
            }
    }
}

#define NT ((size_t)1 << 18)
#define FS 256.0 /* sampling rate in units of f3: dt = 1 / (256 f3), record = 1024 / f3 */
#define FW 32.0  /* Gaussian frequency window exp(-(f / (FW f3))^2): smooths h by ~0.01 / f3 */

/* Energies of the impulse response (f3 = 1 Hz) from a windowed IFFT on a fine grid:
 * e[0] total, e[1] before t = -guard, e[2] after t = after_s, e[3] before t = -before_s. */
static void impulse_energies(const ls_lowpass_config *c, double guard, double after_s,
                             double before_s, double *e)
{
    double complex *a = malloc(NT * sizeof *a);
    double *f = malloc(NT * sizeof *f);
    cr_assert(a && f);
    const double df = FS / (double)NT, dt = 1.0 / FS;
    for (size_t k = 0; k < NT; k++)
        f[k] = (k < NT / 2 ? (double)k : (double)k - (double)NT) * df;
    cr_assert(eq(int, ls_lowpass_response(c, f, a, NT), LS_OK));
    for (size_t k = 0; k < NT; k++)
        a[k] *= exp(-(f[k] / FW) * (f[k] / FW)) * df;
    fft_c(a, NT, +1);
    memset(e, 0, 4 * sizeof *e);
    for (size_t n = 0; n < NT; n++) {
        double t = (n < NT / 2 ? (double)n : (double)n - (double)NT) * dt;
        double p = creal(a[n]) * creal(a[n]) + cimag(a[n]) * cimag(a[n]);
        e[0] += p;
        if (t < -guard)
            e[1] += p;
        if (t > after_s)
            e[2] += p;
        if (t < -before_s)
            e[3] += p;
    }
    free(a);
    free(f);
}

Test(filter, causal_models_have_no_energy_before_zero, .timeout = LS_TIMEOUT(60))
{
    model m[20];
    size_t nm = all_models(m);
    for (size_t i = 0; i < nm; i++) {
        if (m[i].t == LS_LP_GAUSSIAN)
            continue;
        ls_lowpass_config c = lp(m[i].t, m[i].order, 1.0);
        cr_assert(eq(dbl, ls_lowpass_pre_s(&c), 0.0));
        double e[4];
        impulse_energies(&c, 0.1, 1e9, 1e9, e);
        cr_assert(lt(dbl, e[1] / e[0], 1e-6), "%s %u: energy fraction before t=0: %g",
                  ls_lowpass_name(m[i].t), m[i].order, e[1] / e[0]);
    }
}

Test(filter, span_holds_the_energy, .timeout = LS_TIMEOUT(60))
{
    model m[20];
    size_t nm = all_models(m);
    for (size_t i = 0; i < nm; i++) {
        ls_lowpass_config c = lp(m[i].t, m[i].order, 1.0);
        const double span = ls_lowpass_span_s(&c), pre = ls_lowpass_pre_s(&c);
        cr_assert(gt(dbl, span, 0.0));
        cr_assert(lt(dbl, span, 20.0), "%s %u: span %g / f3 too long", ls_lowpass_name(m[i].t),
                  m[i].order, span);
        double e[4];
        impulse_energies(&c, 0.1, span, pre, e);
        double outside = (e[2] + (m[i].t == LS_LP_GAUSSIAN ? e[3] : 0.0)) / e[0];
        cr_assert(lt(dbl, outside, 1e-9), "%s %u: energy outside [-%g, %g]: %g",
                  ls_lowpass_name(m[i].t), m[i].order, pre, span, outside);
        /* and not grossly longer than needed: 0.7 span would break the 1e-9 contract */
        impulse_energies(&c, 0.1, 0.7 * span, 0.7 * pre, e);
        cr_assert(gt(dbl, e[2] / e[0], 1e-9), "%s %u: span %g is too generous",
                  ls_lowpass_name(m[i].t), m[i].order, span);
        /* scales as 1 / f3 */
        ls_lowpass_config c2 = lp(m[i].t, m[i].order, 25e9);
        cr_assert(ieee_ulp_eq(dbl, ls_lowpass_span_s(&c2) * 25e9, span, 8));
        cr_assert(ieee_ulp_eq(dbl, ls_lowpass_pre_s(&c2) * 25e9, pre, 8));
    }
    ls_lowpass_config g = lp(LS_LP_GAUSSIAN, 0, 1.0);
    cr_assert(eq(dbl, ls_lowpass_pre_s(&g), ls_lowpass_span_s(&g)), "symmetric");
}

Test(filter, block_adapter_reports_lti_and_same_response)
{
    ls_lowpass_config c = lp(LS_LP_BUTTERWORTH, 5, 12e9);
    ls_block b = {0};
    const uint64_t before = lsi_alloc_count();
    cr_assert(eq(int, ls_lowpass_into_block(&c, &b), LS_OK));
    cr_assert(eq(u64, lsi_alloc_count(), before + 1));
    cr_assert(b.ops != NULL && b.self != NULL);
    cr_assert(eq(int, b.ops->kind, LS_KIND_LTI));
    cr_assert(eq(str, (char *)b.ops->name, "lowpass"));
    cr_assert(eq(int, b.ops->in, LS_T_F32));
    cr_assert(eq(int, b.ops->out, LS_T_F32));
    cr_assert(b.ops->response && b.ops->span_s && b.ops->pre_s && b.ops->destroy);
    cr_assert(b.ops->process == NULL && b.ops->reset == NULL && b.ops->reseed == NULL);
    c.f3db_hz = 1.0; /* the block keeps its own copy */
    ls_lowpass_config c0 = lp(LS_LP_BUTTERWORTH, 5, 12e9);
    double f[64];
    double complex h1[64], h2[64];
    for (size_t k = 0; k < 64; k++)
        f[k] = ((double)k - 32.0) * 1e9;
    cr_assert(eq(int, b.ops->response(b.self, f, h1, 64), LS_OK));
    cr_assert(eq(int, ls_lowpass_response(&c0, f, h2, 64), LS_OK));
    for (size_t k = 0; k < 64; k++) {
        cr_assert(eq(dbl, creal(h1[k]), creal(h2[k])));
        cr_assert(eq(dbl, cimag(h1[k]), cimag(h2[k])));
    }
    cr_assert(eq(dbl, b.ops->span_s(b.self), ls_lowpass_span_s(&c0)));
    cr_assert(eq(dbl, b.ops->pre_s(b.self), 0.0));
    ls_block_destroy(&b);
    cr_assert(b.ops == NULL && b.self == NULL);
    ls_block_destroy(&b); /* safe on a cleared block */
}

Test(filter, rejects_invalid_config)
{
    ls_lowpass_config bad[12];
    size_t nb = 0;
    bad[nb++] = lp(LS_LP_BUTTERWORTH, 0, 1e9);
    bad[nb++] = lp(LS_LP_BUTTERWORTH, 9, 1e9);
    bad[nb++] = lp(LS_LP_BESSEL, 0, 1e9);
    bad[nb++] = lp(LS_LP_BESSEL, 9, 1e9);
    bad[nb++] = lp(LS_LP_BESSEL, 4, 0.0);
    bad[nb++] = lp(LS_LP_BESSEL, 4, -1e9);
    bad[nb++] = lp(LS_LP_GAUSSIAN, 4, NAN);
    bad[nb++] = lp(LS_LP_RC, 1, INFINITY);
    bad[nb++] = lp(LS_LP_BUTTERWORTH, 2, -0.0);
    bad[nb++] = lp((ls_lp_type)99, 4, 1e9);
    bad[nb++] = lp((ls_lp_type)-1, 4, 1e9);
    double f = 1e9;
    double complex h;
    for (size_t k = 0; k < nb; k++) {
        cr_assert(eq(int, ls_lowpass_response(&bad[k], &f, &h, 1), LS_EINVAL), "case %zu", k);
        cr_assert(isnan(ls_lowpass_span_s(&bad[k])), "case %zu", k);
        cr_assert(isnan(ls_lowpass_pre_s(&bad[k])), "case %zu", k);
        ls_block b = {(const ls_block_ops *)1, (void *)1};
        cr_assert(eq(int, ls_lowpass_into_block(&bad[k], &b), LS_EINVAL), "case %zu", k);
        cr_assert(b.ops == NULL && b.self == NULL, "failed into_block leaves the block cleared");
    }
    ls_lowpass_config good = lp(LS_LP_BESSEL, 4, 1e9);
    cr_assert(eq(int, ls_lowpass_response(NULL, &f, &h, 1), LS_EINVAL));
    cr_assert(eq(int, ls_lowpass_response(&good, NULL, &h, 1), LS_EINVAL));
    cr_assert(eq(int, ls_lowpass_response(&good, &f, NULL, 1), LS_EINVAL));
    cr_assert(eq(int, ls_lowpass_response(&good, NULL, NULL, 0), LS_OK));
    cr_assert(eq(int, ls_lowpass_into_block(&good, NULL), LS_EINVAL));
    ls_block b;
    cr_assert(eq(int, ls_lowpass_into_block(NULL, &b), LS_EINVAL));
    cr_assert(isnan(ls_lowpass_span_s(NULL)));
}

Test(filter, parse_and_name_round_trip)
{
    static const char *names[] = {"none", "butterworth", "bessel", "gaussian", "rc"};
    for (int k = 0; k < 5; k++) {
        ls_lp_type t = (ls_lp_type)77;
        cr_assert(eq(int, ls_lowpass_parse(names[k], &t), 0));
        cr_assert(eq(int, t, k));
        cr_assert(eq(str, (char *)ls_lowpass_name(t), (char *)names[k]));
    }
    ls_lp_type t = LS_LP_RC;
    cr_assert(eq(int, ls_lowpass_parse("Bessel", &t), 0));
    cr_assert(eq(int, t, LS_LP_BESSEL));
    t = LS_LP_RC;
    cr_assert(eq(int, ls_lowpass_parse("chebyshev", &t), -1));
    cr_assert(eq(int, ls_lowpass_parse("", &t), -1));
    cr_assert(eq(int, ls_lowpass_parse(NULL, &t), -1));
    cr_assert(eq(int, t, LS_LP_RC), "untouched on failure");
    cr_assert(eq(str, (char *)ls_lowpass_name((ls_lp_type)42), "unknown"));
}

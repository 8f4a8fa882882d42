/* Helpers shared by the analytic copper channel tests (tests/test_tline*.c). */
#ifndef LS_TEST_TLINE_UTIL_H
#define LS_TEST_TLINE_UTIL_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lanesim/tline.h"
#include "ls_internal.h"

static inline ls_tline_config preset(const char *name, double len)
{
    ls_tline_config c;
    cr_assert(eq(int, ls_tline_preset(name, &c), LS_OK), "preset %s", name);
    c.length_m = len;
    return c;
}

/* A lossless line: R = G = 0. */
static inline ls_tline_config lossless(double z0, double eps_r, double len)
{
    ls_tline_config c;
    ls_tline_config_init(&c);
    c.awg = 0;
    c.rs_ohm_rthz = 0.0;
    c.rdc_ohm_m = 0.0;
    c.tan_d = 0.0;
    c.rough = LS_ROUGH_NONE;
    c.z0_ohm = z0;
    c.eps_r = eps_r;
    c.length_m = len;
    return c;
}

static inline ls_cascade_config one_line(const ls_tline_config *l)
{
    ls_cascade_config c;
    ls_cascade_config_init(&c);
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_line(l)), LS_OK));
    return c;
}

static inline double complex s21_at(const ls_cascade_config *c, double f)
{
    double complex s21 = NAN, s11 = NAN;
    cr_assert(eq(int, ls_cascade_sparams(c, &f, 1, &s21, &s11), LS_OK));
    return s21;
}

static inline double il_db(double complex s21)
{
    return -20.0 * log10(cabs(s21));
}

/* In-place radix-2 FFT with exponent sign `sign` (unnormalized). */
static inline void fft(double complex *x, size_t n, int sign)
{
    for (size_t i = 1, j = 0; i < n; i++) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j |= bit;
        if (i < j) {
            double complex t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }
    for (size_t len = 2; len <= n; len <<= 1)
        for (size_t i = 0; i < n; i += len)
            for (size_t k = 0; k < len / 2; k++) {
                double complex w = cexp(sign * I * 2.0 * M_PI * (double)k / (double)len);
                double complex u = x[i + k], v = x[i + k + len / 2] * w;
                x[i + k] = u + v;
                x[i + k + len / 2] = u - v;
            }
}

/* Real impulse response h[0..n) (period 1/df) of S21(f) e^{+j 2 pi f t0} W(f), f = k df, with a
 * Gaussian window W of width fw (fw = 0: none). */
static inline double *impulse(const ls_cascade_config *c, double t0, size_t n, double df, double fw)
{
    double complex *x = calloc(n, sizeof *x);
    double *f = calloc(n / 2 + 1, sizeof *f), *h = calloc(n, sizeof *h);
    double complex *s = calloc(n / 2 + 1, sizeof *s);
    cr_assert(x && f && h && s);
    for (size_t k = 0; k <= n / 2; k++)
        f[k] = (double)k * df;
    cr_assert(eq(int, ls_cascade_sparams(c, f, n / 2 + 1, s, NULL), LS_OK));
    for (size_t k = 0; k <= n / 2; k++) {
        double w = fw > 0.0 ? exp(-0.5 * (f[k] / fw) * (f[k] / fw)) : 1.0;
        double complex v = s[k] * cexp(I * 2.0 * M_PI * f[k] * t0) * w;
        if (k == 0 || k == n / 2)
            v = creal(v);
        x[k] = v;
        if (k > 0 && k < n / 2)
            x[n - k] = conj(v);
    }
    fft(x, n, +1);
    for (size_t i = 0; i < n; i++)
        h[i] = creal(x[i]) / (double)n;
    free(x);
    free(f);
    free(s);
    return h;
}

#endif

/* Tests of the CTLE (COM and peaking forms) and its LTI block adapter. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lanesim/ctle.h"
#include "ls_internal.h"

static ls_ctle_config com(double fz, double fp1, double fp2, double flf, double g1, double g2)
{
    ls_ctle_config c;
    ls_ctle_config_init(&c);
    c.fz_hz = fz;
    c.fp1_hz = fp1;
    c.fp2_hz = fp2;
    c.flf_hz = flf;
    c.gdc_db = g1;
    c.gdc2_db = g2;
    return c;
}

static ls_ctle_config peaking(double fpk, double pk_db)
{
    ls_ctle_config c;
    ls_ctle_config_init(&c);
    c.form = LS_CTLE_PEAKING;
    c.fpk_hz = fpk;
    c.peaking_db = pk_db;
    return c;
}

static double complex resp1(const ls_ctle_config *c, double f)
{
    double complex h = NAN;
    cr_assert(eq(int, ls_ctle_response(c, &f, &h, 1), LS_OK));
    return h;
}

/* The COM form by magnitude and phase, written independently of the library's complex
 * arithmetic: |H|^2 from the squared factors, arg H from the sum of the factor angles. */
static double complex com_ref(const ls_ctle_config *c, double f)
{
    const double g1 = pow(10.0, c->gdc_db / 20.0), g2 = pow(10.0, c->gdc2_db / 20.0);
    const double xz = f / c->fz_hz, x1 = f / c->fp1_hz, x2 = f / c->fp2_hz, xl = f / c->flf_hz;
    const double mag2 = (g1 * g1 + xz * xz) * (g2 * g2 + xl * xl) /
                        ((1.0 + x1 * x1) * (1.0 + x2 * x2) * (1.0 + xl * xl));
    const double ph = atan2(xz, g1) + atan2(xl, g2) - atan(x1) - atan(x2) - atan(xl);
    return sqrt(mag2) * (cos(ph) + I * sin(ph));
}

Test(ctle, config_init_is_the_802_3dj_kr_reference)
{
    ls_ctle_config c;
    ls_ctle_config_init(&c);
    cr_assert(eq(int, c.form, LS_CTLE_COM));
    cr_assert(eq(dbl, c.fz_hz, 42.5e9));
    cr_assert(eq(dbl, c.fp1_hz, 42.5e9));
    cr_assert(eq(dbl, c.fp2_hz, 106.25e9));
    cr_assert(eq(dbl, c.flf_hz, 106.25e9 / 80.0));
    cr_assert(eq(dbl, c.gdc_db, 0.0));
    cr_assert(eq(dbl, c.gdc2_db, 0.0));
    ls_ctle_config_init(NULL); /* NULL-safe */
}

Test(ctle, com_form_matches_closed_form)
{
    const ls_ctle_config cfgs[] = {
        com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, 0.0, 0.0),
        com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, -9.0, -3.5),
        com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, -15.0, -5.0),
        com(10e9, 30e9, 80e9, 0.5e9, -6.0, -1.0),
        com(70e9, 20e9, 20e9, 2e9, -30.0, -30.0), /* zero above the poles, repeated pole */
    };
    for (size_t k = 0; k < sizeof cfgs / sizeof cfgs[0]; k++)
        for (double f = 1e5; f < 3e12; f *= 1.03) {
            for (int sgn = -1; sgn <= 1; sgn += 2) {
                double complex h = resp1(&cfgs[k], sgn * f), r = com_ref(&cfgs[k], sgn * f);
                cr_assert(le(dbl, cabs(h - r), 1e-12 * cabs(r)), "cfg %zu f %g: %g%+gj vs %g%+gj",
                          k, sgn * f, creal(h), cimag(h), creal(r), cimag(r));
            }
        }
}

Test(ctle, unit_gain_first_stage_leaves_the_second_pole)
{
    /* g_DC = 0 dB and f_z = f_p1 cancel the first stage; g_DC2 = 0 dB cancels the LF stage. */
    ls_ctle_config c = com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, 0.0, 0.0);
    for (double f = -2e12; f <= 2e12; f += 7.77e9) {
        double complex want = 1.0 / (1.0 + I * f / 106.25e9);
        cr_assert(le(dbl, cabs(resp1(&c, f) - want), 1e-15 * cabs(want) + 1e-300), "f %g", f);
    }
}

Test(ctle, dc_gain_is_the_product_of_the_stage_gains)
{
    for (double g1 = 0.0; g1 >= -30.0; g1 -= 2.5)
        for (double g2 = 0.0; g2 >= -30.0; g2 -= 7.5) {
            ls_ctle_config c = com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, g1, g2);
            double complex h0 = resp1(&c, 0.0);
            cr_assert(le(dbl, fabs(creal(h0) / pow(10.0, (g1 + g2) / 20.0) - 1.0), 1e-14),
                      "g_DC %g g_DC2 %g", g1, g2);
            cr_assert(eq(dbl, cimag(h0), 0.0));
            /* High-frequency referenced: with f_z = f_p1 the first stage tends to 1 above f_p1
             * whatever g_DC (checked at 20 f_p1, f_p2 moved out of the way). */
            ls_ctle_config d = c;
            d.fp2_hz = 1e15;
            cr_assert(le(dbl, fabs(cabs(resp1(&d, 850e9)) - 1.0), 2e-3), "g_DC %g", g1);
        }
    for (double pk = 0.0; pk <= 30.0; pk += 1.5) {
        ls_ctle_config p = peaking(53.125e9, pk);
        cr_assert(eq(dbl, creal(resp1(&p, 0.0)), 1.0), "peaking %g dB: DC referenced", pk);
    }
}

Test(ctle, peaking_form_peaks_at_fpk_with_the_requested_peaking)
{
    static const double pks[] = {1e-6, 0.25, 1.0, 3.0, 6.0, 9.5, 15.0, 20.0, 25.0, 30.0};
    static const double fpks[] = {13.28125e9, 26.5625e9, 53.125e9, 1.0};
    for (size_t i = 0; i < sizeof pks / sizeof pks[0]; i++)
        for (size_t j = 0; j < sizeof fpks / sizeof fpks[0]; j++) {
            ls_ctle_config c = peaking(fpks[j], pks[i]);
            const double a0 = cabs(resp1(&c, 0.0)), apk = cabs(resp1(&c, fpks[j]));
            const double got_db = 20.0 * log10(apk / a0);
            cr_assert(le(dbl, fabs(got_db - pks[i]), 1e-6), "peaking %g dB at %g Hz: got %.9f",
                      pks[i], fpks[j], got_db);
            /* f_pk is the maximum: a fine scan finds nothing higher. */
            for (double u = 1e-3; u < 1e3; u *= 1.001)
                cr_assert(le(dbl, cabs(resp1(&c, u * fpks[j])), apk * (1.0 + 1e-12)),
                          "peaking %g: |H(%g f_pk)| above |H(f_pk)|", pks[i], u);
            double fz, fp;
            cr_assert(eq(int, ls_ctle_peaking_zp(&c, &fz, &fp), LS_OK));
            cr_assert(le(dbl, fabs(fp * fp - 2.0 * fz * fz - fpks[j] * fpks[j]),
                         1e-9 * fpks[j] * fpks[j]));
            cr_assert(gt(dbl, fp, fz));
        }
    ls_ctle_config flat = peaking(53.125e9, 0.0);
    for (double f = -1e12; f < 1e12; f += 3.3e9)
        cr_assert(eq(dbl, creal(resp1(&flat, f)), 1.0));
    cr_assert(eq(dbl, ls_ctle_span_s(&flat), 0.0));
    double fz, fp;
    cr_assert(eq(int, ls_ctle_peaking_zp(&flat, &fz, &fp), LS_EINVAL), "flat: no zero or pole");
}

Test(ctle, block_response_equals_ls_ctle_response)
{
    const ls_ctle_config cfgs[] = {com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, -7.0, -2.5),
                                   peaking(26.5625e9, 8.0)};
    enum { N = 1001 };
    static double f[N];
    static double complex h1[N], h2[N];
    for (size_t i = 0; i < N; i++)
        f[i] = (double)((long)i - N / 2) * 0.3e9;
    for (size_t k = 0; k < 2; k++) {
        ls_block b = {0};
        cr_assert(eq(int, ls_ctle_into_block(&cfgs[k], &b), LS_OK));
        cr_assert(eq(str, (char *)b.ops->name, "ctle"));
        cr_assert(eq(int, b.ops->kind, LS_KIND_LTI));
        cr_assert(eq(int, b.ops->in, LS_T_F32));
        cr_assert(eq(int, b.ops->out, LS_T_F32));
        cr_assert(b.ops->process == NULL);
        cr_assert(eq(dbl, b.ops->pre_s(b.self), 0.0));
        cr_assert(eq(dbl, b.ops->span_s(b.self), ls_ctle_span_s(&cfgs[k])));
        cr_assert(eq(int, b.ops->response(b.self, f, h1, N), LS_OK));
        cr_assert(eq(int, ls_ctle_response(&cfgs[k], f, h2, N), LS_OK));
        for (size_t i = 0; i < N; i++) {
            cr_assert(eq(dbl, creal(h1[i]), creal(h2[i])), "cfg %zu f %g", k, f[i]);
            cr_assert(eq(dbl, cimag(h1[i]), cimag(h2[i])), "cfg %zu f %g", k, f[i]);
        }
        ls_block_destroy(&b);
        cr_assert(b.self == NULL && b.ops == NULL);
        ls_block_destroy(&b);
    }
}

/* In-place radix-2 inverse DFT: x[n] <- sum_k x[k] exp(+j 2 pi k n / N). */
static void idft_pow2(double complex *x, size_t n)
{
    for (size_t i = 1, j = 0; i < n; i++) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            double complex t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }
    for (size_t len = 2; len <= n; len <<= 1) {
        for (size_t i = 0; i < n; i += len)
            for (size_t k = 0; k < len / 2; k++) {
                double complex w = cexp(I * 2.0 * M_PI * (double)k / (double)len);
                double complex u = x[i + k], v = x[i + k + len / 2] * w;
                x[i + k] = u + v;
                x[i + k + len / 2] = u - v;
            }
    }
}

/* Fraction of the impulse-response energy after T, from H sampled on a fine grid and inverted
 * by FFT. The 1/f high-frequency tail of H (a jump h(0+) at t = 0) would ring through the
 * band-limited inverse, so it is split off: H = (H - R) + R with R = h0 / (s + a) (impulse
 * response h0 exp(-a t)), h0 = lim s H(s); the smooth remainder H - R is inverted by FFT. */
static double tail_fraction(const ls_ctle_config *c, double span, double win, double *e_half)
{
    enum { N = 1 << 18 };
    double complex *x = malloc(N * sizeof *x);
    cr_assert(x != NULL);
    const double dt = win / N, df = 1.0 / win;
    const double fbig = 1e21;
    const double h0 = creal(I * 2.0 * M_PI * fbig * resp1(c, fbig));
    const double a = 2.0 * M_PI * 50e9;
    for (size_t k = 0; k <= N / 2; k++) {
        const double f = (double)k * df;
        double complex r = h0 / (I * 2.0 * M_PI * f + a);
        x[k] = resp1(c, f) - r;
        if (k > 0 && k < N / 2)
            x[N - k] = conj(x[k]);
    }
    x[N / 2] = creal(x[N / 2]);
    idft_pow2(x, N);
    double e_all = 0.0, e_tail = 0.0, e_h = 0.0;
    for (size_t n = 0; n <= N / 2; n++) {
        const double t = (double)n * dt;
        const double v = creal(x[n]) * df + h0 * exp(-a * t);
        const double e = v * v * dt * (n == 0 ? 0.5 : 1.0); /* trapezoid from the right limit */
        e_all += e;
        if (t >= span)
            e_tail += e;
        if (t >= 0.5 * span)
            e_h += e;
    }
    free(x);
    *e_half = e_h / e_all;
    return e_tail / e_all;
}

Test(ctle, span_holds_all_but_1e_9_of_the_energy, .timeout = LS_TIMEOUT(60))
{
    const ls_ctle_config cfgs[] = {
        com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, 0.0, 0.0),
        com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, -12.0, 0.0),
        com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, -9.0, -3.0),
        com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, 0.0, -5.0),
        com(20e9, 40e9, 40e9, 2e9, -6.0, -1.0), /* repeated pole */
        peaking(53.125e9, 6.0),                 /* double pole */
        peaking(26.5625e9, 20.0),
    };
    for (size_t k = 0; k < sizeof cfgs / sizeof cfgs[0]; k++) {
        const double span = ls_ctle_span_s(&cfgs[k]);
        cr_assert(gt(dbl, span, 0.0), "cfg %zu", k);
        cr_assert(lt(dbl, span, 1e-7), "cfg %zu", k);
        double half;
        const double tail = tail_fraction(&cfgs[k], span, 8.0 * span, &half);
        cr_log_info("cfg %zu: span %.4g s, tail %.3g, tail after span/2 %.3g", k, span, tail, half);
        cr_assert(lt(dbl, tail, 1e-9), "cfg %zu: energy after span %g s: %g", k, span, tail);
        /* Not wastefully long: aimed at 1e-10, so the tail is not far below it... */
        cr_assert(gt(dbl, tail, 2e-11), "cfg %zu: tail %g", k, tail);
        /* ...and half the span would not do. */
        cr_assert(gt(dbl, half, 1e-9), "cfg %zu: tail after span/2 %g", k, half);
    }
}

Test(ctle, span_is_set_by_the_slowest_pole)
{
    /* Cancelled stages add nothing: defaults are one pole at f_p2, whose energy tail is
     * exp(-2 w T), so span = ln(1e10) / (2 w_p2). */
    ls_ctle_config c = com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, 0.0, 0.0);
    const double want = log(1e10) / (2.0 * 2.0 * M_PI * 106.25e9);
    cr_assert(le(dbl, fabs(ls_ctle_span_s(&c) / want - 1.0), 1e-6), "%g vs %g", ls_ctle_span_s(&c),
              want);
    /* An active LF stage makes the span much longer: several f_LF time constants (~1 ns). */
    c.gdc2_db = -3.0;
    const double tau_lf = 1.0 / (2.0 * M_PI * 1.328125e9);
    cr_assert(gt(dbl, ls_ctle_span_s(&c), 5.0 * tau_lf));
    cr_assert(lt(dbl, ls_ctle_span_s(&c), 12.0 * tau_lf));
}

Test(ctle, invalid_configurations_are_rejected)
{
    ls_ctle_config bad[40];
    size_t nb = 0;
    const double badf[] = {0.0, -1e9, NAN, INFINITY};
    for (size_t i = 0; i < 4; i++) {
        ls_ctle_config c = com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, 0, 0);
        c.fz_hz = badf[i];
        bad[nb++] = c;
        c = com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, 0, 0);
        c.fp1_hz = badf[i];
        bad[nb++] = c;
        c = com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, 0, 0);
        c.fp2_hz = badf[i];
        bad[nb++] = c;
        c = com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, 0, 0);
        c.flf_hz = badf[i];
        bad[nb++] = c;
        bad[nb++] = peaking(badf[i], 6.0);
    }
    const double badg[] = {0.1, -30.01, NAN, -INFINITY};
    for (size_t i = 0; i < 4; i++) {
        bad[nb++] = com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, badg[i], 0.0);
        bad[nb++] = com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, 0.0, badg[i]);
    }
    const double badpk[] = {-0.1, 30.01, NAN, INFINITY};
    for (size_t i = 0; i < 4; i++)
        bad[nb++] = peaking(53.125e9, badpk[i]);
    ls_ctle_config c = com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, 0, 0);
    c.form = (ls_ctle_form)7;
    bad[nb++] = c;
    bad[nb++] = com(1e-3, 1e12, 1e15, 1e-3, -30.0, -30.0); /* spread beyond 1e9 */
    bad[nb++] = com(42.5e9, 42.5e9, 106.25e9, 106.25e9 / 1.000001e9, 0, 0);

    double f = 1e9;
    for (size_t k = 0; k < nb; k++) {
        double complex h = 123.0;
        cr_assert(eq(int, ls_ctle_response(&bad[k], &f, &h, 1), LS_EINVAL), "bad %zu", k);
        cr_assert(eq(dbl, creal(h), 123.0));
        cr_assert(isnan(ls_ctle_span_s(&bad[k])), "bad %zu", k);
        ls_block b = {(const ls_block_ops *)1, (void *)1};
        cr_assert(eq(int, ls_ctle_into_block(&bad[k], &b), LS_EINVAL), "bad %zu", k);
        cr_assert(b.ops == NULL && b.self == NULL);
    }
    /* The other form's fields are ignored. */
    ls_ctle_config p = peaking(53.125e9, 6.0);
    p.fz_hz = NAN;
    p.gdc_db = 5.0;
    cr_assert(eq(int, ls_ctle_response(&p, &f, &(double complex){0}, 1), LS_OK));
    ls_ctle_config q = com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, 0, 0);
    q.fpk_hz = NAN;
    cr_assert(eq(int, ls_ctle_response(&q, &f, &(double complex){0}, 1), LS_OK));
    /* Boundaries are accepted. */
    ls_ctle_config e = com(42.5e9, 42.5e9, 106.25e9, 1.328125e9, -30.0, -30.0);
    cr_assert(eq(int, ls_ctle_response(&e, &f, &(double complex){0}, 1), LS_OK));
    e = com(1e11, 1e10, 1e11, 1e2, -30.0, -0.01); /* spread 1e9 */
    cr_assert(eq(int, ls_ctle_response(&e, &f, &(double complex){0}, 1), LS_OK));
    cr_assert(isfinite(ls_ctle_span_s(&e)));
    e = peaking(53.125e9, 30.0);
    cr_assert(eq(int, ls_ctle_response(&e, &f, &(double complex){0}, 1), LS_OK));
    /* Arguments. */
    double complex h;
    const double fnan = NAN;
    cr_assert(eq(int, ls_ctle_response(NULL, &f, &h, 1), LS_EINVAL));
    cr_assert(eq(int, ls_ctle_response(&q, NULL, &h, 1), LS_EINVAL));
    cr_assert(eq(int, ls_ctle_response(&q, &f, NULL, 1), LS_EINVAL));
    cr_assert(eq(int, ls_ctle_response(&q, NULL, NULL, 0), LS_OK));
    cr_assert(eq(int, ls_ctle_response(&q, &fnan, &h, 1), LS_EINVAL));
    cr_assert(eq(int, ls_ctle_into_block(&q, NULL), LS_EINVAL));
    ls_block b = {(const ls_block_ops *)1, (void *)1};
    cr_assert(eq(int, ls_ctle_into_block(NULL, &b), LS_EINVAL));
    cr_assert(b.ops == NULL && b.self == NULL);
    cr_assert(isnan(ls_ctle_span_s(NULL)));
    double fz, fp;
    cr_assert(eq(int, ls_ctle_peaking_zp(NULL, &fz, &fp), LS_EINVAL));
    ls_ctle_config pp = peaking(53.125e9, 6.0);
    cr_assert(eq(int, ls_ctle_peaking_zp(&pp, NULL, &fp), LS_EINVAL));
    cr_assert(eq(int, ls_ctle_peaking_zp(&pp, &fz, NULL), LS_EINVAL));
}

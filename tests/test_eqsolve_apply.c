/* Tests of the equalizer solvers: DFE taps from a pulse, FFE applied to an oversampled pulse, and
 * invalid arguments. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "eqsolve_util.h"

Test(eqsolve, dfe_from_pulse_clips_and_pads)
{
    static const double h[5] = {0.1, -2.0, 1.8, -1.0, 0.4};
    static const double lim[6] = {0.85, 0.3, 1.0, 1.0, 0.0, 1.0};
    double b[6];
    cr_assert(eq(int, ls_dfe_from_pulse(h, 5, 1, 6, lim, b), LS_OK));
    const double want[6] = {1.7, -0.6, 0.4, 0.0, 0.0, 0.0}; /* limits scale with |h[main]| = 2 */
    for (unsigned j = 0; j < 6; j++)
        cr_assert(le(dbl, fabs(b[j] - want[j]), 1e-15), "tap %u: %g", j + 1, b[j]);
    cr_assert(eq(int, ls_dfe_from_pulse(h, 5, 1, 6, NULL, b), LS_OK));
    const double raw[6] = {1.8, -1.0, 0.4, 0.0, 0.0, 0.0};
    for (unsigned j = 0; j < 6; j++)
        cr_assert(eq(dbl, b[j], raw[j]));
    cr_assert(eq(int, ls_dfe_from_pulse(h, 5, 4, 0, NULL, NULL), LS_OK));
}

/* |a - b| within one float ulp of b (both are double sums rounded once) plus double error. */
static int close_float(float a, float b)
{
    return fabsf(a - b) <= nextafterf(fabsf(b), INFINITY) - fabsf(b) + 1e-12f;
}

Test(eqsolve, apply_ffe_matches_a_direct_loop)
{
    enum { N = 333, SPS = 8, NT = 7 };
    static float pulse[N], out[N + (NT - 1) * SPS];
    static double ref[N + (NT - 1) * SPS];
    double taps[NT];
    float tf[NT];
    const uint64_t seed = ls_test_seed(77u);
    fill_uniform(pulse, N, seed);
    fill_uniform(tf, NT, 78u);
    for (unsigned i = 0; i < NT; i++)
        taps[i] = tf[i];
    cr_assert(eq(int, ls_apply_ffe(pulse, N, SPS, taps, NT, 2, out), LS_OK));
    for (size_t s = 0; s < N; s++) /* scatter form */
        for (unsigned i = 0; i < NT; i++)
            ref[s + (size_t)i * SPS] += taps[i] * pulse[s];
    for (size_t t = 0; t < N + (NT - 1) * SPS; t++)
        ls_assert_seeded(close_float(out[t], (float)ref[t]), seed, "t %zu: %.9g vs %.9g", t, out[t], ref[t]);
    /* sps = 1 is the plain symbol-spaced convolution. */
    static float o1[N + NT - 1];
    cr_assert(eq(int, ls_apply_ffe(pulse, N, 1, taps, NT, 0, o1), LS_OK));
    for (size_t t = 0; t < N + NT - 1; t++) {
        double s = 0.0;
        for (unsigned i = 0; i < NT; i++)
            if (t >= i && t - i < N)
                s += taps[i] * pulse[t - i];
        ls_assert_seeded(eq(flt, o1[t], (float)s), seed, "t %zu", t);
    }
}

Test(eqsolve, apply_ffe_at_the_cursor_phase_reproduces_the_equalized_cursors)
{
    /* An oversampled pulse whose samples at phase 5 are pulse6: the FFE output at that phase is
     * the symbol-spaced equalized pulse g. */
    enum { SPS = 16, NT = 5, NPRE = 1 };
    static float p[6 * SPS], out[6 * SPS + (NT - 1) * SPS];
    fill_uniform(p, 6 * SPS, 99u);
    for (size_t m = 0; m < 6; m++)
        p[m * SPS + 5] = (float)pulse6[m];
    double w[NT], b[1], hf[6];
    for (size_t m = 0; m < 6; m++)
        hf[m] = (float)pulse6[m];
    cr_assert(eq(int, ls_ffe_mmse(hf, 6, 2, NT, NPRE, 0.01, NULL, 1, w, b, NULL), LS_OK));
    cr_assert(eq(int, ls_apply_ffe(p, 6 * SPS, SPS, w, NT, NPRE, out), LS_OK));
    for (size_t q = 0; q < 6 + NT - 1; q++)
        cr_assert(close_float(out[q * SPS + 5], (float)g_at(hf, 6, w, NT, q)), "q %zu", q);
    cr_assert(close_float(out[(2 + 1 + NPRE) * SPS + 5], (float)b[0]), "DFE tap = post-cursor 1");
}

Test(eqsolve, invalid_arguments_are_rejected_and_outputs_untouched)
{
    const double nanv = NAN;
    double h[6];
    memcpy(h, pulse6, sizeof h);
    double w[3] = {7, 7, 7}, b[2] = {7, 7}, mse = 7;
#define MMSE(hh, n, m, nt, np, s2, acf, nd, ww, bb)                                                \
    cr_assert(eq(int, ls_ffe_mmse(hh, n, m, nt, np, s2, acf, nd, ww, bb, &mse), LS_EINVAL))
    MMSE(NULL, 6, 2, 3, 1, 0.1, NULL, 1, w, b);
    MMSE(h, 0, 0, 3, 1, 0.1, NULL, 1, w, b);
    MMSE(h, 6, 6, 3, 1, 0.1, NULL, 1, w, b); /* main out of range */
    MMSE(h, 6, 2, 0, 0, 0.1, NULL, 1, w, b); /* no taps */
    MMSE(h, 6, 2, 3, 3, 0.1, NULL, 1, w, b); /* n_pre >= n_taps */
    MMSE(h, 6, 2, 3, 7, 0.1, NULL, 1, w, b);
    MMSE(h, 6, 2, LS_EQSOLVE_MAX_TAPS + 1, 1, 0.1, NULL, 1, w, b);
    MMSE(h, 6, 2, 3, 1, -0.1, NULL, 1, w, b); /* negative noise */
    MMSE(h, 6, 2, 3, 1, nanv, NULL, 1, w, b);
    MMSE(h, 6, 2, 3, 1, INFINITY, NULL, 1, w, b);
    MMSE(h, 6, 2, 3, 1, 0.1, NULL, LS_EQSOLVE_MAX_DFE + 1, w, b);
    MMSE(h, 6, 2, 3, 1, 0.1, NULL, 1, NULL, b);
    MMSE(h, 6, 2, 3, 1, 0.1, NULL, 1, w, NULL); /* n_dfe > 0 needs dfe_out */
    const double acf0[3] = {0.0, 0.0, 0.0}, acfbig[3] = {1.0, 1.5, 0.0}, acfnan[3] = {1, NAN, 0};
    MMSE(h, 6, 2, 3, 1, 0.1, acf0, 1, w, b);
    MMSE(h, 6, 2, 3, 1, 0.1, acfbig, 1, w, b);
    MMSE(h, 6, 2, 3, 1, 0.1, acfnan, 1, w, b);
    h[4] = NAN;
    MMSE(h, 6, 2, 3, 1, 0.1, NULL, 1, w, b);
    h[4] = INFINITY;
    MMSE(h, 6, 2, 3, 1, 0.1, NULL, 1, w, b);
    memcpy(h, pulse6, sizeof h);
    h[2] = 0.0; /* zero main cursor */
    MMSE(h, 6, 2, 3, 1, 0.1, NULL, 1, w, b);
    memcpy(h, pulse6, sizeof h);
    /* Not positive definite: an indefinite noise shape with no channel energy to mask it. */
    const double acfind[3] = {1.0, 0.9, -0.9}; /* eigenvalues 1.9, 1.9, -0.8 */
    const double spike[1] = {1.0};
    MMSE(spike, 1, 0, 3, 0, 10.0, acfind, 0, w, b);
#undef MMSE
    for (unsigned i = 0; i < 3; i++)
        cr_assert(eq(dbl, w[i], 7.0));
    cr_assert(b[0] == 7.0 && b[1] == 7.0 && mse == 7.0);
    /* dfe_out and mse_out may be NULL when not needed. */
    cr_assert(eq(int, ls_ffe_mmse(h, 6, 2, 3, 1, 0.1, NULL, 0, w, NULL, NULL), LS_OK));

    double z[3] = {7, 7, 7};
    cr_assert(eq(int, ls_ffe_zf(h, 6, 2, 3, 3, 0, z, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_ffe_zf(h, 6, 6, 3, 1, 0, z, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_ffe_zf(h, 6, 2, 3, 1, 1, z, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_ffe_zf(NULL, 6, 2, 3, 1, 0, z, NULL), LS_EINVAL));
    const double hz[3] = {0.0, 1.0, 0.0};
    const double hsing[3] = {1.0, 0.0, 0.0}; /* main = 1 would be a zero cursor */
    cr_assert(eq(int, ls_ffe_zf(hsing, 3, 1, 3, 1, 0, z, NULL), LS_EINVAL));
    /* Singular: the forced rows beyond the DFE lie past a 1-cursor pulse reached by no tap. */
    double b5[5];
    cr_assert(eq(int, ls_ffe_zf(hz + 1, 1, 0, 2, 0, 5, z, b5), LS_EINVAL));
    for (unsigned i = 0; i < 3; i++)
        cr_assert(eq(dbl, z[i], 7.0));

    double d[3] = {7, 7, 7};
    const double limneg[3] = {0.5, -0.1, 1.0}, limnan[3] = {0.5, NAN, 1.0};
    cr_assert(eq(int, ls_dfe_from_pulse(NULL, 6, 2, 3, NULL, d), LS_EINVAL));
    cr_assert(eq(int, ls_dfe_from_pulse(h, 0, 0, 3, NULL, d), LS_EINVAL));
    cr_assert(eq(int, ls_dfe_from_pulse(h, 6, 6, 3, NULL, d), LS_EINVAL));
    cr_assert(eq(int, ls_dfe_from_pulse(h, 6, 2, 3, NULL, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_dfe_from_pulse(h, 6, 2, 3, limneg, d), LS_EINVAL));
    cr_assert(eq(int, ls_dfe_from_pulse(h, 6, 2, 3, limnan, d), LS_EINVAL));
    cr_assert(eq(int, ls_dfe_from_pulse(h, 6, 2, LS_EQSOLVE_MAX_DFE + 1, NULL, d), LS_EINVAL));
    cr_assert(eq(int, ls_dfe_from_pulse(hz, 3, 0, 2, NULL, d), LS_EINVAL)); /* zero cursor */
    h[3] = NAN;
    cr_assert(eq(int, ls_dfe_from_pulse(h, 6, 2, 3, NULL, d), LS_EINVAL));
    for (unsigned i = 0; i < 3; i++)
        cr_assert(eq(dbl, d[i], 7.0));

    float p[16] = {0}, o[64];
    const double t3[3] = {0.1, 1.0, -0.2}, tnan[3] = {0.1, NAN, 0.0};
    cr_assert(eq(int, ls_apply_ffe(NULL, 16, 2, t3, 3, 1, o), LS_EINVAL));
    cr_assert(eq(int, ls_apply_ffe(p, 16, 2, t3, 3, 1, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_apply_ffe(p, 16, 2, NULL, 3, 1, o), LS_EINVAL));
    cr_assert(eq(int, ls_apply_ffe(p, 0, 2, t3, 3, 1, o), LS_EINVAL));
    cr_assert(eq(int, ls_apply_ffe(p, 16, 0, t3, 3, 1, o), LS_EINVAL));
    cr_assert(eq(int, ls_apply_ffe(p, 16, 2, t3, 0, 0, o), LS_EINVAL));
    cr_assert(eq(int, ls_apply_ffe(p, 16, 2, t3, 3, 3, o), LS_EINVAL));
    cr_assert(eq(int, ls_apply_ffe(p, 16, 2, tnan, 3, 1, o), LS_EINVAL));
    cr_assert(eq(int, ls_apply_ffe(o, 16, 2, t3, 3, 1, o + 8), LS_EINVAL)); /* overlap */
    cr_assert(eq(int, ls_apply_ffe(o + 8, 16, 2, t3, 3, 1, o), LS_EINVAL));
    cr_assert(eq(int, ls_apply_ffe(o, 16, 2, t3, 3, 1, o + 20), LS_OK)); /* adjacent is fine */
}

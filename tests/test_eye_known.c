/* Eye histogram: known answers for height and width (noiseless PAM4/PAM8/NRZ eyes, off-centre
 * thresholds, Gaussian noise). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "eye_util.h"

/* Uniform in (0, 1]. */
static double unif(uint64_t *s)
{
    return ((double)(splitmix(s) >> 11) + 1.0) * 0x1.0p-53;
}

/* Standard normal (Box-Muller, one value per call). */
static double gauss(uint64_t *s)
{
    double u = unif(s), v = unif(s);
    return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* Q^-1(p) for the Gaussian tail Q(x) = 0.5 erfc(x / sqrt 2), by bisection. */
static double qinv(double p)
{
    double lo = 0.0, hi = 40.0;
    for (int k = 0; k < 200; k++) {
        double mid = 0.5 * (lo + hi);
        if (0.5 * erfc(mid / M_SQRT2) > p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/*
 * Noiseless PAM4 with raised-cosine transitions of duration tr centred on the UI boundaries.
 * Levels -3..3 and thresholds -2, 0, 2 sit at bin centres (bw = 1/32). Eye edges: the first
 * transition to cross a threshold after the sampling instant. Middle eye: -1 -> 3 and 1 -> -3
 * cross 0 at a quarter of their swing, t = 0.5 - tr/2 + tr/3; outer eyes: 3 -> -3 crosses 2 at a
 * sixth, t = 0.5 - tr/2 + tr acos(2/3)/pi. Symmetric before the instant, so the width is 2t.
 */
static void check_pam4_raised_cosine(double tr, double frac)
{
    enum { SPS = 32, NSYM = 4096 };
    static float x[SPS * NSYM];
    const double bw = 1.0 / 32.0;
    ls_eye_config cfg = pam_config(4, SPS, 256, -4.0 - 0.5 * bw, 4.0 - 0.5 * bw);
    ls_eye *q = make_eye(&cfg);
    size_t n = pam_wave(x, NSYM, SPS, 4, EDGE_RAISED_COSINE, tr, frac, 42u);
    cr_assert(eq(int, ls_eye_add(q, x, n, SPS), LS_OK));
    ls_eye_metrics m;
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    double t_mid = 0.5 - tr / 2.0 + tr / 3.0;
    double t_out = 0.5 - tr / 2.0 + tr * acos(2.0 / 3.0) / M_PI;
    const double want_w[3] = {2.0 * t_out, 2.0 * t_mid, 2.0 * t_out};
    for (unsigned i = 0; i < 3; i++) {
        const ls_eye_opening *e = &m.eye[i];
        cr_assert(fabs(e->height_v - 2.0) <= bw, "tr %g frac %g eye %u: height %.5f", tr, frac, i,
                  e->height_v);
        cr_assert(fabs(e->width_ui - want_w[i]) <= 1.0 / SPS,
                  "tr %g frac %g eye %u: width %.5f, want %.5f", tr, frac, i, e->width_ui,
                  want_w[i]);
        cr_assert(fabs(e->center_v - cfg.thresholds[i]) <= bw, "eye %u: centre %g", i, e->center_v);
        cr_assert(fabs(e->level_lo_v - (cfg.thresholds[i] - 1.0)) <= bw);
        cr_assert(fabs(e->level_hi_v - (cfg.thresholds[i] + 1.0)) <= bw);
    }
    ls_eye_destroy(q);
}

Test(eye, noiseless_pam4_raised_cosine_full_ui)
{
    check_pam4_raised_cosine(1.0, 0.0);
}

Test(eye, noiseless_pam4_raised_cosine_shifted_and_short)
{
    check_pam4_raised_cosine(1.0, 0.37);
    check_pam4_raised_cosine(0.6, 0.0);
    check_pam4_raised_cosine(0.6, 0.81);
}

Test(eye, noiseless_pam8_heights)
{
    enum { SPS = 16, NSYM = 8192 };
    static float x[SPS * NSYM];
    const double bw = 16.0 / 512.0;
    ls_eye_config cfg = pam_config(8, SPS, 512, -8.0 - 0.5 * bw, 8.0 - 0.5 * bw);
    ls_eye *q = make_eye(&cfg);
    size_t n = pam_wave(x, NSYM, SPS, 8, EDGE_RAISED_COSINE, 1.0, 0.0, 7u);
    cr_assert(eq(int, ls_eye_add(q, x, n, SPS), LS_OK));
    ls_eye_metrics m;
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    cr_assert(eq(u32, m.n_eyes, 7u));
    for (unsigned i = 0; i < 7; i++) {
        cr_assert(fabs(m.eye[i].height_v - 2.0) <= bw, "eye %u: %g", i, m.eye[i].height_v);
        cr_assert(m.eye[i].width_ui > 0.2 && m.eye[i].width_ui < 1.0, "eye %u: %g", i,
                  m.eye[i].width_ui);
    }
    ls_eye_destroy(q);
}

/*
 * NRZ (+-1, threshold 0) with linear edges of duration te centred on the UI boundaries. The
 * rising and falling edges cross the threshold exactly at +-0.5 UI, whatever te: the eye at the
 * threshold is 1 UI wide (te only shapes the hexagon: its flat top is 1 - te wide).
 */
static void check_nrz_linear(double te, double frac)
{
    enum { SPS = 32, NSYM = 2048 };
    static float x[SPS * NSYM];
    ls_eye_config cfg = pam_config(2, SPS, 256, -1.5, 1.5);
    ls_eye *q = make_eye(&cfg);
    size_t n = pam_wave(x, NSYM, SPS, 2, EDGE_LINEAR, te, frac, 99u);
    cr_assert(eq(int, ls_eye_add(q, x, n, SPS), LS_OK));
    ls_eye_metrics m;
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    const double bw = 3.0 / 256.0;
    cr_assert(fabs(m.eye[0].height_v - 2.0) <= bw, "te %g: height %g", te, m.eye[0].height_v);
    cr_assert(fabs(m.eye[0].width_ui - 1.0) <= 1.0 / SPS, "te %g frac %g: width %.5f", te, frac,
              m.eye[0].width_ui);
    ls_eye_destroy(q);
}

Test(eye, nrz_linear_edges_open_one_ui_at_the_threshold)
{
    check_nrz_linear(0.25, 0.0);
    check_nrz_linear(0.25, 0.4);
    check_nrz_linear(0.5, 0.0);
    check_nrz_linear(0.5, 0.73);
    check_nrz_linear(0.9, 0.5);
}

/*
 * A threshold off the centre: NRZ +-1 with linear edges of 0.5 UI and the threshold at 0.5, 3/4
 * of the way up. A rising edge crosses it 0.125 UI after the UI boundary, a falling edge 0.125 UI
 * before it; the eye is bounded by the falling edge at +0.375 UI and the rising edge at
 * -0.375 UI: width 0.75 UI.
 */
Test(eye, off_centre_threshold_width)
{
    enum { SPS = 32, NSYM = 2048 };
    static float x[SPS * NSYM];
    ls_eye_config cfg = pam_config(2, SPS, 256, -1.5, 1.5);
    cfg.thresholds[0] = 0.5;
    ls_eye *q = make_eye(&cfg);
    size_t n = pam_wave(x, NSYM, SPS, 2, EDGE_LINEAR, 0.5, 0.3, 5u);
    cr_assert(eq(int, ls_eye_add(q, x, n, SPS), LS_OK));
    ls_eye_metrics m;
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    cr_assert(fabs(m.eye[0].width_ui - 0.75) <= 1.0 / SPS, "width %.5f", m.eye[0].width_ui);
    cr_assert(fabs(m.eye[0].height_v - 2.0) <= 3.0 / 256.0);
    ls_eye_destroy(q);
}

/*
 * Flat PAM4 levels plus Gaussian noise sigma: each inner edge sits sigma Q^-1(r) inside its
 * level, so height = 2 - 2 sigma Q^-1(r). Tolerance: 5 standard deviations of two independent
 * quantile estimates, sqrt(r (1 - r) / n) / pdf(Q^-1(r)) sigma each (n = samples per cloud),
 * plus a tenth of a bin for the interpolation inside a bin.
 */
Test(eye, gaussian_noise_height_matches_qinv, .timeout = 60)
{
    enum { SPS = 4, NSYM = 1 << 21 };
    static float x[SPS * NSYM];
    const double sigma = 0.1;
    const uint64_t seed = ls_test_seed(20240611u);
    cr_assert(fabs(qinv(1e-3) - 3.0902) < 1e-4 && fabs(qinv(1e-2) - 2.3263) < 1e-4);
    size_t n = pam_wave(x, NSYM, SPS, 4, EDGE_STEP, 0.0, 0.0, seed);
    uint64_t s = seed ^ 0x5eedull;
    for (size_t k = 0; k < n; k++)
        x[k] += (float)(sigma * gauss(&s));
    static const double ratios[] = {1e-2, 1e-3};
    for (size_t r = 0; r < 2; r++) {
        ls_eye_config cfg = pam_config(4, SPS, 1024, -4.0, 4.0);
        cfg.hit_ratio = ratios[r];
        ls_eye *q = make_eye(&cfg);
        cr_assert(eq(int, ls_eye_add(q, x, n, SPS), LS_OK));
        ls_eye_metrics m;
        cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
        double z = qinv(ratios[r]);
        double per_cloud = (double)NSYM / 2.0 / 4.0; /* windows = NSYM/2, 4 levels */
        double pdf = exp(-0.5 * z * z) / sqrt(2.0 * M_PI);
        double sd = sqrt(ratios[r] * (1.0 - ratios[r]) / per_cloud) / pdf * sigma;
        double tol = 5.0 * M_SQRT2 * sd + 0.1 * (8.0 / 1024.0);
        double want = 2.0 - 2.0 * sigma * z;
        for (unsigned i = 0; i < 3; i++) {
            const ls_eye_opening *e = &m.eye[i];
            ls_assert_seeded(fabs(e->height_v - want) <= tol, seed,
                             "ratio %g eye %u: height %.5f want %.5f tol %.5f", ratios[r], i, e->height_v,
                             want, tol);
            ls_assert_seeded(fabs(e->center_v - cfg.thresholds[i]) <= tol, seed, "eye %u", i);
            ls_assert_seeded(fabs(e->level_lo_v - (cfg.thresholds[i] - 1.0)) <= 0.003, seed, "eye %u: %g", i,
                             e->level_lo_v);
            ls_assert_seeded(fabs(e->level_hi_v - (cfg.thresholds[i] + 1.0)) <= 0.003, seed, "eye %u: %g", i,
                             e->level_hi_v);
        }
        ls_eye_destroy(q);
    }
}

/* Noise widens the crossing: a noisy NRZ eye is narrower than the clean one, and opens again as
 * the noise goes down. */
Test(eye, noise_closes_width_monotonically)
{
    enum { SPS = 32, NSYM = 4096 };
    static float x[SPS * NSYM], y[SPS * NSYM];
    const uint64_t seed = ls_test_seed(77u);
    size_t n = pam_wave(x, NSYM, SPS, 2, EDGE_LINEAR, 0.5, 0.0, seed);
    double prev = 0.0;
    static const double sigmas[] = {0.3, 0.1, 0.03, 0.0};
    for (size_t k = 0; k < 4; k++) {
        uint64_t s = seed + 1u;
        for (size_t j = 0; j < n; j++)
            y[j] = x[j] + (float)(sigmas[k] * gauss(&s));
        ls_eye_config cfg = pam_config(2, SPS, 256, -2.5, 2.5);
        cfg.hit_ratio = 1e-3;
        ls_eye *q = make_eye(&cfg);
        cr_assert(eq(int, ls_eye_add(q, y, n, SPS), LS_OK));
        ls_eye_metrics m;
        cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
        ls_assert_seeded(m.eye[0].width_ui > prev, seed, "sigma %g: width %g after %g", sigmas[k],
                         m.eye[0].width_ui, prev);
        ls_assert_seeded(m.eye[0].width_ui <= 1.0 + 1.0 / SPS, seed, "sigma %g: width %g", sigmas[k],
                         m.eye[0].width_ui);
        prev = m.eye[0].width_ui;
        ls_eye_destroy(q);
    }
}

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
 * Noiseless PAM4 with raised-cosine transitions of duration tr centred on the UI boundaries, as
 * labelled rows. Levels -3..3 sit at bin centres (bw = 1/32). At phase t (UI from the instant) a
 * symbol at level a next to b reads a + (b - a) g(t), g rising from 0 at 0.5 - tr/2 to 1/2 at the
 * boundary. Sub-eye e: the lowest sample of level e+1 (neighbour -3) and the highest of level e
 * (neighbour 3) meet where 2 - 8 g = 0 for every eye (middle: 1 - 4g = -1 + 4g; outer:
 * 3 - 6g = 1 + 2g), g = 1/4: t = 0.5 - tr/2 + tr/3, width 2t = 1 - tr/3.
 */
static void check_pam4_raised_cosine(double tr, double frac)
{
    enum { SPS = 32, NSYM = 4096 };
    static float x[SPS * NSYM];
    const double bw = 1.0 / 32.0;
    ls_eye_config cfg = pam_config(4, SPS, 256, -4.0 - 0.5 * bw, 4.0 - 0.5 * bw);
    cfg.target_ber = 1e-12;
    ls_eye *q = make_eye(&cfg);
    pam_wave(x, NSYM, SPS, 4, EDGE_RAISED_COSINE, tr, frac, 42u);
    add_wave_rows(q, x, NSYM, SPS, 4, 42u);
    ls_eye_metrics m;
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    const double want_w = 1.0 - tr / 3.0;
    for (unsigned i = 0; i < 3; i++) {
        const ls_eye_opening *e = &m.eye[i];
        cr_assert(fabs(e->height_v - 2.0) <= bw, "tr %g frac %g eye %u: height %.5f", tr, frac, i,
                  e->height_v);
        cr_assert(fabs(e->width_ui - want_w) <= 1.0 / SPS,
                  "tr %g frac %g eye %u: width %.5f, want %.5f", tr, frac, i, e->width_ui, want_w);
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
    cfg.target_ber = 1e-12;
    ls_eye *q = make_eye(&cfg);
    pam_wave(x, NSYM, SPS, 8, EDGE_RAISED_COSINE, 1.0, 0.0, 7u);
    add_wave_rows(q, x, NSYM, SPS, 8, 7u);
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
 * NRZ (+-1) with linear edges of duration te centred on the UI boundaries: level 1 reads
 * 1 - 2g and level -1 reads -1 + 2g next to the other level, g reaching 1/2 at +-0.5 UI: the eye
 * is open over the whole UI whatever te, and by construction never wider (width 1 UI).
 */
static void check_nrz_linear(double te, double frac, double th)
{
    enum { SPS = 32, NSYM = 2048 };
    static float x[SPS * NSYM];
    ls_eye_config cfg = pam_config(2, SPS, 256, -1.5, 1.5);
    cfg.thresholds[0] = th;
    cfg.target_ber = 1e-12;
    ls_eye *q = make_eye(&cfg);
    pam_wave(x, NSYM, SPS, 2, EDGE_LINEAR, te, frac, 99u);
    add_wave_rows(q, x, NSYM, SPS, 2, 99u);
    ls_eye_metrics m;
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    const double bw = 3.0 / 256.0;
    cr_assert(fabs(m.eye[0].height_v - 2.0) <= bw, "te %g: height %g", te, m.eye[0].height_v);
    cr_assert(fabs(m.eye[0].width_ui - 1.0) <= 1.0 / SPS && m.eye[0].width_ui <= 1.0, "te %g frac %g: width %.5f",
              te, frac, m.eye[0].width_ui);
    ls_eye_destroy(q);
}

Test(eye, nrz_linear_edges_open_one_ui_and_never_more)
{
    check_nrz_linear(0.25, 0.0, 0.0);
    check_nrz_linear(0.25, 0.4, 0.0);
    check_nrz_linear(0.5, 0.0, 0.0);
    check_nrz_linear(0.5, 0.73, 0.0);
    check_nrz_linear(0.9, 0.5, 0.0);
    check_nrz_linear(0.5, 0.3, 0.5); /* the opening is the levels', not the threshold's */
}

/*
 * Flat PAM4 levels plus Gaussian noise sigma: each level's contour sits sigma Q^-1(p) inside it,
 * p = 2 log2(4) BER, so height = 2 - 2 sigma Q^-1(p). The tails are read by the Gaussian fit on
 * the Q scale, so the answer holds whether the run is long enough to see p (2^20 symbols: 262144
 * per level, 250 beyond the contour) or not (4000 symbols: 1000 per level, about one beyond it,
 * the fit extrapolating from 5 samples out). Tolerance: 4 of the reported standard errors.
 */
static void check_gaussian(size_t nsym, double ber, uint64_t seed)
{
    enum { SPS = 4 };
    float *x = malloc(SPS * nsym * sizeof *x);
    cr_assert(x != NULL);
    const double sigma = 0.1;
    pam_wave(x, nsym, SPS, 4, EDGE_STEP, 0.0, 0.0, seed);
    uint64_t s = seed ^ 0x5eedull;
    for (size_t k = 0; k < SPS * nsym; k++)
        x[k] += (float)(sigma * gauss(&s));
    ls_eye_config cfg = pam_config(4, SPS, 1024, -4.0, 4.0);
    cfg.target_ber = ber;
    ls_eye *q = make_eye(&cfg);
    add_wave_rows(q, x, nsym, SPS, 4, seed);
    ls_eye_metrics m;
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    cr_assert(ieee_ulp_eq(dbl, m.probability, 4.0 * ber, 4));
    const double want = 2.0 - 2.0 * sigma * qinv(4.0 * ber);
    for (unsigned i = 0; i < 3; i++) {
        const ls_eye_opening *e = &m.eye[i];
        const double tol = 4.0 * e->height_sigma_v + 0.1 * (8.0 / 1024.0);
        ls_assert_seeded(fabs(e->height_v - want) <= tol && e->height_sigma_v < 0.05 * want, seed,
                         "%zu symbols BER %g eye %u: height %.5f want %.5f tol %.5f", nsym, ber, i, e->height_v,
                         want, tol);
        ls_assert_seeded(fabs(e->level_lo_v - (cfg.thresholds[i] - 1.0)) <= 0.01, seed, "eye %u: %g", i,
                         e->level_lo_v);
    }
    ls_eye_destroy(q);
    free(x);
}

Test(eye, gaussian_noise_height_matches_qinv_whatever_the_symbol_count, .timeout = LS_TIMEOUT(60))
{
    const uint64_t seed = ls_test_seed(20240611u);
    cr_assert(fabs(qinv(1e-3) - 3.0902) < 1e-4 && fabs(qinv(1e-2) - 2.3263) < 1e-4);
    check_gaussian((size_t)1 << 20, 2.4e-4, seed);
    check_gaussian(4000, 2.4e-4, seed + 1u);
    check_gaussian(20000, 1e-6, seed + 2u);
}

/* Noise widens the crossing: a noisy NRZ eye is narrower than the clean one, and opens again as
 * the noise goes down; never wider than 1 UI. */
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
        cfg.target_ber = 1e-3;
        ls_eye *q = make_eye(&cfg);
        add_wave_rows(q, y, NSYM, SPS, 2, seed);
        ls_eye_metrics m;
        cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
        ls_assert_seeded(m.eye[0].width_ui > prev || (prev == 1.0 && m.eye[0].width_ui == 1.0), seed,
                         "sigma %g: width %g after %g", sigmas[k], m.eye[0].width_ui, prev);
        ls_assert_seeded(m.eye[0].width_ui <= 1.0, seed, "sigma %g: width %g", sigmas[k], m.eye[0].width_ui);
        prev = m.eye[0].width_ui;
        ls_eye_destroy(q);
    }
}

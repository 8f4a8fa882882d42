/* Statistical eye: bathtub, dual-Dirac and random jitter, eye width, and the noiseless eye as the
 * worst-case ISI opening.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "stateye_util.h"

/* PAM2 BER of the triangle pulse at phase phi without jitter. */
static double tri_ber(double phi, double s)
{
    const double a = fabs(phi);
    return 0.5 * (ls_q((1.0 - 2.0 * a) / s) + ls_q(1.0 / s));
}

Test(stateye, bathtub_without_jitter_is_the_per_phase_evaluation)
{
    static float p[NP];
    /* a smooth, lossy pulse: 1-UI rectangle through three one-pole sections */
    for (size_t i = 0; i < NP; i++)
        p[i] = (i >= 100 && i < 100 + SPS) ? 1.0f : 0.0f;
    for (int pass = 0; pass < 3; pass++) {
        double y = 0.0;
        for (size_t i = 0; i < NP; i++) {
            y += (p[i] - y) / 8.0;
            p[i] = (float)y;
        }
    }
    size_t mi = 0;
    for (size_t i = 0; i < NP; i++)
        if (p[i] > p[mi])
            mi = i;
    ls_stateye_config c = make_cfg(p, 4, 0.025);
    c.main_index = mi;
    c.n_bins = LS_STATEYE_MAX_BINS;
    float th[3];
    double v[4];
    cr_assert(eq(int, ls_pam_levels(4, 1.0, v), LS_OK));
    for (int e = 0; e < 3; e++)
        th[e] = (float)(0.5 * p[mi] * (v[e] + v[e + 1]));
    c.thresholds = th;
    ls_stateye_result r;
    cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
    for (unsigned i = 0; i < SPS; i++) {
        ls_stateye_config ci = c;
        ci.main_index = mi + i - SPS / 2;
        ls_stateye_result ri;
        cr_assert(eq(int, ls_stateye_run(&ci, &ri), LS_OK));
        cr_assert(eq(dbl, r.phase_ui[i], ((double)i - SPS / 2) / SPS));
        /* the two runs differ only in the bin width (from the largest ISI span over their own
         * phase ranges), hence in the placement error */
        if (ri.ber > 1e-200)
            cr_assert(rel_err(r.bathtub_ber[i], ri.ber) < GRID_TOL, "phase %u: %.10g vs %.10g", i,
                      r.bathtub_ber[i], ri.ber);
    }
    /* the triangle: closed form at every phase, rising away from the centre */
    triangle_pulse(p);
    c = make_cfg(p, 2, 0.05);
    c.n_bins = 16384;
    cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
    for (unsigned i = 0; i < SPS; i++) {
        const double ref = tri_ber(r.phase_ui[i], 0.05);
        cr_assert(rel_err(r.bathtub_ber[i], ref) < 1e-5, "phase %g: %.10g vs %.10g", r.phase_ui[i],
                  r.bathtub_ber[i], ref);
        if (i > SPS / 2)
            cr_assert(r.bathtub_ber[i] >= r.bathtub_ber[i - 1]);
        if (i < SPS / 2)
            cr_assert(r.bathtub_ber[i] >= r.bathtub_ber[i + 1]);
    }
}

Test(stateye, dual_dirac_averages_the_two_offsets)
{
    static float p[NP];
    triangle_pulse(p);
    const double s = 0.05, dj = 0.25; /* dj/2 = 4 samples: on the phase grid */
    ls_stateye_config c = make_cfg(p, 2, s);
    c.n_bins = 16384;
    c.dj_ui = dj;
    ls_stateye_result r, r0;
    cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
    c.dj_ui = 0.0;
    cr_assert(eq(int, ls_stateye_run(&c, &r0), LS_OK));
    for (unsigned i = 0; i < SPS; i++) {
        const double ph = r.phase_ui[i];
        const double ref = 0.5 * (tri_ber(ph + dj / 2, s) + tri_ber(ph - dj / 2, s));
        cr_assert(rel_err(r.bathtub_ber[i], ref) < 1e-5, "phase %g: %.10g vs %.10g", ph,
                  r.bathtub_ber[i], ref);
        if (fabs(ph) <=
            0.25) /* where the bathtub is convex, the average exceeds the centre value */
            cr_assert(r.bathtub_ber[i] > r0.bathtub_ber[i], "phase %g", ph);
        if (i > SPS / 2)
            cr_assert(r.bathtub_ber[i] >= r.bathtub_ber[i - 1]);
    }
    cr_assert(r.ber > 100.0 * r0.ber);
}

Test(stateye, random_jitter_matches_numerical_integral)
{
    static float p[NP];
    triangle_pulse(p);
    const double s = 0.05, rj = 0.02;
    ls_stateye_config c = make_cfg(p, 2, s);
    c.n_bins = 16384;
    c.rj_ui = rj;
    c.dj_ui = 0.1;
    ls_stateye_result r;
    cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
    for (unsigned i = 0; i < SPS; i++) {
        const double ph = r.phase_ui[i];
        /* Simpson over +-12 rj for each Dirac */
        const int n = 4000;
        const double hs = 24.0 * rj / n;
        double ref = 0.0;
        for (int side = -1; side <= 1; side += 2)
            for (int k = 0; k <= n; k++) {
                const double tau = -12.0 * rj + k * hs;
                const double wk = (k == 0 || k == n) ? 1.0 : (k % 2 ? 4.0 : 2.0);
                ref += 0.5 * wk * hs / 3.0 * tri_ber(ph + side * 0.05 + tau, s) *
                       exp(-0.5 * tau * tau / (rj * rj)) / (rj * sqrt(2.0 * M_PI));
            }
        if (ref > 1e-15)
            cr_assert(rel_err(r.bathtub_ber[i], ref) < 2e-3, "phase %g: %.10g vs %.10g", ph,
                      r.bathtub_ber[i], ref);
    }
}

Test(stateye, eye_width_of_the_triangle)
{
    static float p[NP];
    triangle_pulse(p);
    const double s = 0.02, t = 1e-12;
    ls_stateye_config c = make_cfg(p, 2, s);
    c.target_ber = t;
    ls_stateye_result r;
    cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
    /* height(phi) = 2(1 - 2|phi|) - 2 s Qinv(4t): zero at |phi| = (1 - s Qinv(4t))/2 */
    double ref = 1.0 - s * ls_qinv(4.0 * t);
    cr_assert(rel_err(r.eye[0].width_ui, ref) < 1e-5, "%.10g vs %.10g", r.eye[0].width_ui, ref);
    /* at phase 0 there is no ISI: height 2 - 2 s Qinv(2t) */
    cr_assert(rel_err(r.eye[0].height_v, 2.0 - 2.0 * s * ls_qinv(2.0 * t)) < 1e-9);
    /* dual Dirac: the worse offset alone, with half the weight: 1 - dj - s Qinv(8t) */
    c.dj_ui = 0.25;
    cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
    ref = 1.0 - 0.25 - s * ls_qinv(8.0 * t);
    cr_assert(rel_err(r.eye[0].width_ui, ref) < 1e-5, "DJ: %.10g vs %.10g", r.eye[0].width_ui, ref);
    /* adding random jitter closes it further */
    const double wdj = r.eye[0].width_ui;
    c.rj_ui = 0.01;
    cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
    cr_assert(r.eye[0].width_ui < wdj - 0.05, "RJ width %g", r.eye[0].width_ui);
}

/* The jittered PAM2 BER of the triangle at threshold 0: Simpson over +-12 rj per Dirac. */
static double tri_ber_jitter(double phi, double s, double rj, double dj)
{
    const int n = 4000;
    const double hs = 24.0 * rj / n;
    double b = 0.0;
    for (int side = -1; side <= 1; side += 2)
        for (int k = 0; k <= n; k++) {
            const double tau = -12.0 * rj + k * hs;
            const double wk = (k == 0 || k == n) ? 1.0 : (k % 2 ? 4.0 : 2.0);
            b += 0.5 * wk * hs / 3.0 * tri_ber(phi + side * 0.5 * dj + tau, s) *
                 exp(-0.5 * tau * tau / (rj * rj)) / (rj * sqrt(2.0 * M_PI));
        }
    return b;
}

Test(stateye, eye_width_with_random_jitter_matches_numerical_integral)
{
    /* PAM2 triangle, symmetric: L = -U, so the eye is open at phi while P(y >= 0 | -1), which is
     * the bathtub BER at threshold 0, stays below 2 target: the width edge solves
     * BER_J(phi) = 2 target, found here by bisection on the numerical jitter integral. */
    static float p[NP];
    triangle_pulse(p);
    const double s = 0.03, t = 1e-12;
    static const double rjs[] = {0.01, 0.03}, djs[] = {0.0, 0.08};
    for (unsigned k = 0; k < 2; k++) {
        ls_stateye_config c = make_cfg(p, 2, s);
        c.target_ber = t;
        c.rj_ui = rjs[k];
        c.dj_ui = djs[k];
        ls_stateye_result r;
        cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
        double a = 0.0, b = 0.5;
        for (int it = 0; it < 60; it++) {
            const double m = 0.5 * (a + b);
            if (tri_ber_jitter(m, s, rjs[k], djs[k]) < 2.0 * t)
                a = m;
            else
                b = m;
        }
        cr_assert(fabs(r.eye[0].width_ui - 2.0 * a) < 1e-4, "rj %g dj %g: width %.6f vs %.6f",
                  rjs[k], djs[k], r.eye[0].width_ui, 2.0 * a);
    }
}

Test(stateye, noiseless_eye_is_the_worst_case_isi_opening)
{
    /* sigma = 0: the sample set of level i is h0 v_i + a v_j; the edges are the extreme ISI
     * values (each carries probability 1/M > 2 log2(M) target), so height = h0 spacing - 2|a|,
     * to within the bin width (each delta is split over its two neighbouring bins). */
    static float p[NP];
    const double a = 0.1;
    impulse_pulse(p, 1.0f, (float)a);
    for (unsigned m = 2; m <= 8; m *= 2) {
        ls_stateye_config c = make_cfg(p, m, 0.0);
        ls_stateye_result r;
        cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
        const double w = 2.0 * a / (c.n_bins - 3); /* an upper bound on the bin width here */
        for (unsigned e = 0; e + 1 < m; e++)
            cr_assert(fabs(r.eye[e].height_v - (2.0 / (m - 1) - 2.0 * a)) <= 2.0 * w,
                      "M=%u eye %u: %g", m, e, r.eye[e].height_v);
        cr_assert(eq(dbl, r.ser, 0.0));
        cr_assert(eq(dbl, r.ber, 0.0));
    }
}

/* Statistical eye: closed forms, ideal DFE, Monte Carlo, eye height, concurrency, the map contour,
 * rejection and given level values. Bathtub, jitter and eye width: test_stateye_jitter.c.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "stateye_util.h"

/* Exact SER of PAM-M with one post-cursor a, midpoint thresholds: the double sum over the
 * current level i and the previous level j, (1/M^2) sum_ij [Q((h0 v_i + a v_j - t_{i-1})/s) +
 * Q((t_i - h0 v_i - a v_j)/s)]. */
static double ser_one_post(unsigned m, double rlm, double h0, double a, double s)
{
    double v[8], t[7], ser = 0.0;
    cr_assert(eq(int, ls_pam_levels(m, rlm, v), LS_OK));
    for (unsigned i = 0; i + 1 < m; i++)
        t[i] = 0.5 * h0 * (v[i] + v[i + 1]);
    for (unsigned i = 0; i < m; i++)
        for (unsigned j = 0; j < m; j++) {
            const double y = h0 * v[i] + a * v[j];
            if (i > 0)
                ser += ls_q((y - t[i - 1]) / s);
            if (i + 1 < m)
                ser += ls_q((t[i] - y) / s);
        }
    return ser / (m * m);
}

Test(stateye, config_init_defaults)
{
    ls_stateye_config c;
    ls_stateye_config_init(&c);
    cr_assert(eq(u32, c.sps, 32u));
    cr_assert(eq(u32, c.levels, 4u));
    cr_assert(eq(u32, c.n_bins, 2048u));
    cr_assert(eq(dbl, c.rlm, 1.0));
    cr_assert(eq(dbl, c.target_ber, 2.4e-4));
    cr_assert(eq(u32, c.n_dfe, 0u));
    cr_assert(c.pulse == NULL && c.dfe == NULL && c.thresholds == NULL);
    ls_stateye_config_init(NULL); /* no-op */
}

Test(stateye, ideal_pulse_matches_pam_closed_form)
{
    static float p[NP];
    static const double snr_db[3][4] = {{6, 10, 14, 17}, {12, 16, 20, 24}, {18, 22, 26, 30}};
    const double h0 = 0.8;
    impulse_pulse(p, (float)h0, 0.0f);
    for (unsigned mi = 0; mi < 3; mi++) {
        const unsigned m = 2u << mi;
        for (unsigned k = 0; k < 4; k++) {
            /* half-spacing d = h0/(M-1); ls_pam_ser_awgn uses d/s = sqrt(3 SNR/(M^2-1)) */
            const double snr = pow(10.0, snr_db[mi][k] / 10.0);
            const double s = h0 / (m - 1) / sqrt(3.0 * snr / (m * m - 1.0));
            ls_stateye_config c = make_cfg(p, m, s);
            ls_stateye_result r;
            cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
            const double ref = ls_pam_ser_awgn(m, snr_db[mi][k]);
            cr_assert(rel_err(r.ser, ref) < 1e-6, "M=%u SNR %g dB: %.10g vs %.10g", m,
                      snr_db[mi][k], r.ser, ref);
            cr_assert(rel_err(r.ber, ref / log2(m)) < 1e-6);
            double sum = 0.0;
            for (unsigned e = 0; e + 1 < m; e++)
                sum += r.ser_eye[e];
            cr_assert(rel_err(sum, r.ser) < 1e-12);
            cr_assert(eq(u32, r.n_phase, SPS));
            cr_assert(eq(dbl, r.phase_ui[SPS / 2], 0.0));
            cr_assert(eq(dbl, r.bathtub_ber[SPS / 2], r.ber));
        }
    }
}

Test(stateye, one_post_cursor_matches_closed_form)
{
    static float p[NP];
    const double h0 = 1.0, a = 0.25;
    impulse_pulse(p, (float)h0, (float)a);
    /* PAM2: 0.5 [Q((h0 - a)/s) + Q((h0 + a)/s)] */
    for (double s = 0.08; s < 0.5; s *= 1.6) {
        ls_stateye_config c = make_cfg(p, 2, s);
        ls_stateye_result r;
        cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
        const double ref = 0.5 * (ls_q((h0 - a) / s) + ls_q((h0 + a) / s));
        cr_assert(rel_err(r.ber, ref) < 1e-6, "s=%g: %.10g vs %.10g", s, r.ber, ref);
        cr_assert(rel_err(ref, ser_one_post(2, 1.0, h0, a, s)) < 1e-12);
    }
    /* PAM4, equal spacing: the six level/threshold pairs all sit at distance d + a v_j, so
     * SER = 2(1 - 1/M) (1/M) sum_j Q((h0/(M-1) + a v_j)/s); with RLM, the double sum. */
    const double v4[4] = {-1.0, -1.0 / 3, 1.0 / 3, 1.0};
    for (double s = 0.02; s < 0.12; s *= 1.5) {
        ls_stateye_config c = make_cfg(p, 4, s);
        c.n_bins = LS_STATEYE_MAX_BINS;
        ls_stateye_result r;
        cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
        double ref = 0.0;
        for (unsigned j = 0; j < 4; j++)
            ref += ls_q((h0 / 3.0 + a * v4[j]) / s);
        ref *= 1.5 / 4.0;
        cr_assert(rel_err(r.ser, ref) < GRID_TOL, "PAM4 s=%g: %.10g vs %.10g", s, r.ser, ref);
        cr_assert(rel_err(ref, ser_one_post(4, 1.0, h0, a, s)) < 1e-12);
        c.rlm = 0.85;
        cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
        ref = ser_one_post(4, 0.85, h0, a, s);
        cr_assert(rel_err(r.ser, ref) < GRID_TOL, "PAM4 RLM s=%g: %.10g vs %.10g", s, r.ser, ref);
    }
    ls_stateye_config c = make_cfg(p, 8, 0.01);
    ls_stateye_result r;
    c.n_bins = LS_STATEYE_MAX_BINS;
    c.rlm = 0.9;
    cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
    const double ref = ser_one_post(8, 0.9, h0, a, 0.01);
    cr_assert(rel_err(r.ser, ref) < GRID_TOL, "PAM8: %.10g vs %.10g", r.ser, ref);
}

Test(stateye, ideal_dfe_cancels_the_post_cursor)
{
    static float p[NP], q[NP];
    const double a = 0.25;
    impulse_pulse(p, 1.0f, (float)a);
    impulse_pulse(q, 1.0f, 0.0f);
    for (unsigned m = 2; m <= 8; m *= 2) {
        const double s = 0.15 / (m - 1);
        ls_stateye_config c = make_cfg(p, m, s), c0 = make_cfg(q, m, s);
        const double tap = a, half = a / 2;
        ls_stateye_result r, r0;
        c.dfe = &tap;
        c.n_dfe = 1;
        cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
        cr_assert(eq(int, ls_stateye_run(&c0, &r0), LS_OK));
        cr_assert(rel_err(r.ser, r0.ser) < 1e-12, "M=%u: %.12g vs %.12g", m, r.ser, r0.ser);
        for (unsigned e = 0; e + 1 < m; e++) {
            cr_assert(r0.eye[e].height_v > 0.0);
            cr_assert(rel_err(r.eye[e].height_v, r0.eye[e].height_v) < 1e-11);
        }
        /* a half-size tap leaves a residual a/2 */
        c.dfe = &half;
        c.n_bins = LS_STATEYE_MAX_BINS;
        cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
        const double ref = ser_one_post(m, 1.0, 1.0, a / 2, s);
        cr_assert(rel_err(r.ser, ref) < GRID_TOL, "M=%u residual: %.10g vs %.10g", m, r.ser, ref);
    }
    /* a tap beyond the pulse adds the ISI it subtracts */
    const double taps[3] = {a, 0.0, 0.1};
    ls_stateye_config c = make_cfg(p, 2, 0.1);
    c.n_bins = LS_STATEYE_MAX_BINS;
    c.dfe = taps;
    c.n_dfe = 3;
    ls_stateye_result r;
    cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
    cr_assert(rel_err(r.ser, ser_one_post(2, 1.0, 1.0, 0.1, 0.1)) < GRID_TOL);
}

Test(stateye, agrees_with_monte_carlo, .timeout = LS_TIMEOUT(120))
{
    /* symbol-spaced PAM4 cursors (pre, main, posts), 1e6 random symbols */
    static const float cur[] = {0.04f, 1.0f, 0.15f, 0.06f, -0.03f, 0.02f};
    enum { NC = 6, MAINC = 1, NSYM = 1000000 };
    const double s = 0.045; /* SER ~2e-3: ~2000 errors */
    const uint64_t seed = ls_test_seed(20240611u);
    ls_stateye_config c;
    ls_stateye_config_init(&c);
    c.pulse = cur;
    c.n_pulse = NC;
    c.sps = 1;
    c.main_index = MAINC;
    c.levels = 4;
    c.sigma_noise = s;
    ls_stateye_result r;
    cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));

    double v[4];
    cr_assert(eq(int, ls_pam_levels(4, 1.0, v), LS_OK));
    const double t[3] = {0.5 * (v[0] + v[1]), 0.5 * (v[1] + v[2]), 0.5 * (v[2] + v[3])};
    ls_rng g;
    ls_rng_seed(&g, seed, 1, 0);
    unsigned hist[NC] = {0};
    uint64_t errors = 0;
    for (unsigned k = 0; k < NSYM + NC; k++) {
        for (unsigned j = NC - 1; j > 0; j--)
            hist[j] = hist[j - 1];
        hist[0] = ls_rng_below(&g, 4);
        if (k < NC)
            continue;
        /* the symbol decided is hist[MAINC]; hist[0] is the pre-cursor's (next) symbol */
        double y = s * ls_rng_gauss(&g);
        for (unsigned j = 0; j < NC; j++)
            y += cur[j] * v[hist[j]];
        const unsigned d = (unsigned)(y >= t[0]) + (y >= t[1]) + (y >= t[2]);
        errors += d != hist[MAINC];
    }
    const ls_interval ci = ls_ci_clopper_pearson(errors, NSYM, 0.99);
    ls_assert_seeded(r.ser >= ci.lo && r.ser <= ci.hi, seed, "statistical SER %.4g, MC %llu/%u in [%.4g, %.4g]",
                     r.ser, (unsigned long long)errors, (unsigned)NSYM, ci.lo, ci.hi);
    cr_assert(r.ber > 3e-4 && r.ber < 3e-3, "BER %.3g not near 1e-3", r.ber);
}

Test(stateye, eye_height_without_isi_is_closed_form)
{
    static float p[NP];
    const double h0 = 0.625; /* exact in float */
    impulse_pulse(p, (float)h0, 0.0f);
    static const double targets[] = {1e-3, 1e-6, 1e-12, 1e-15};
    for (unsigned m = 2; m <= 8; m *= 2)
        for (unsigned ti = 0; ti < 4; ti++)
            for (int rl = 0; rl < 2; rl++) {
                const double rlm = rl ? 0.8 : 1.0, s = 0.01, t = targets[ti];
                ls_stateye_config c = make_cfg(p, m, s);
                c.rlm = rlm;
                c.target_ber = t;
                ls_stateye_result r;
                cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
                double v[8];
                cr_assert(eq(int, ls_pam_levels(m, rlm, v), LS_OK));
                /* each edge: (1/2) Q(dist/s) / log2 M = target */
                const double q = ls_qinv(2.0 * log2(m) * t);
                double vmin = INFINITY;
                for (unsigned e = 0; e + 1 < m; e++) {
                    const double ref = fmax(0.0, h0 * (v[e + 1] - v[e]) - 2.0 * s * q);
                    if (ref == 0.0) { /* closed (PAM8 with RLM at 1e-15) */
                        cr_assert(eq(dbl, r.eye[e].height_v, 0.0));
                        cr_assert(eq(dbl, r.eye[e].width_ui, 0.0));
                        vmin = 0.0;
                        continue;
                    }
                    cr_assert(rel_err(r.eye[e].height_v, ref) < 1e-9,
                              "M=%u t=%g eye %u: %.12g vs %.12g", m, t, e, r.eye[e].height_v, ref);
                    cr_assert(fabs(r.eye[e].center_v - 0.5 * h0 * (v[e] + v[e + 1])) < 1e-12);
                    vmin = fmin(vmin, ref);
                }
                cr_assert(vmin > 0.0 ? rel_err(r.vertical_opening_v, vmin) < 1e-9
                                     : r.vertical_opening_v == 0.0);
            }
}

struct par_arg {
    const ls_stateye_config *cfg;
    ls_stateye_result r;
    ls_status st;
};

static void *par_run(void *p)
{
    struct par_arg *a = p;
    a->st = ls_stateye_run(a->cfg, &a->r);
    return NULL;
}

Test(stateye, concurrent_calls_agree_with_a_serial_one)
{
    static float p[NP];
    triangle_pulse(p);
    ls_stateye_config c = make_cfg(p, 4, 0.02);
    c.rj_ui = 0.01;
    c.dj_ui = 0.05;
    ls_stateye_result ref;
    cr_assert(eq(int, ls_stateye_run(&c, &ref), LS_OK));
    enum { NT = 4 };
    pthread_t th[NT];
    static struct par_arg arg[NT];
    for (int i = 0; i < NT; i++) {
        arg[i].cfg = &c;
        cr_assert(eq(int, pthread_create(&th[i], NULL, par_run, &arg[i]), 0));
    }
    for (int i = 0; i < NT; i++) {
        pthread_join(th[i], NULL);
        cr_assert(eq(int, arg[i].st, LS_OK));
        const ls_stateye_result *q = &arg[i].r;
        cr_assert(eq(dbl, q->ser, ref.ser), "thread %d", i);
        cr_assert(eq(dbl, q->vertical_opening_v, ref.vertical_opening_v));
        for (unsigned e = 0; e < 3; e++) {
            cr_assert(eq(dbl, q->eye[e].height_v, ref.eye[e].height_v));
            cr_assert(eq(dbl, q->eye[e].width_ui, ref.eye[e].width_ui));
        }
        for (unsigned k = 0; k < SPS; k++)
            cr_assert(eq(dbl, q->bathtub_ber[k], ref.bathtub_ber[k]));
    }
}

Test(stateye, map_contour_meets_the_eye_edges)
{
    static float p[NP];
    impulse_pulse(p, 1.0f, 0.1f);
    ls_stateye_config c = make_cfg(p, 4, 0.02);
    c.target_ber = 1e-9;
    ls_stateye_result r;
    cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
    static double map[SPS * 2];
    for (unsigned e = 0; e < 3; e++) {
        const double L = r.eye[e].center_v - 0.5 * r.eye[e].height_v;
        const double U = r.eye[e].center_v + 0.5 * r.eye[e].height_v;
        cr_assert(eq(int, ls_stateye_map(&c, 2, L, U, map), LS_OK));
        cr_assert(rel_err(map[(SPS / 2) * 2 + 0], 1e-9) < 1e-6, "eye %u L: %g", e,
                  map[(SPS / 2) * 2]);
        cr_assert(rel_err(map[(SPS / 2) * 2 + 1], 1e-9) < 1e-6, "eye %u U: %g", e,
                  map[(SPS / 2) * 2 + 1]);
    }
}

Test(stateye, rejects_invalid_input)
{
    static float p[NP];
    impulse_pulse(p, 1.0f, 0.1f);
    ls_stateye_result r;
    const ls_stateye_config ok = make_cfg(p, 4, 0.05);
    cr_assert(eq(int, ls_stateye_run(&ok, &r), LS_OK));
    cr_assert(eq(int, ls_stateye_run(NULL, &r), LS_EINVAL));
    cr_assert(eq(int, ls_stateye_run(&ok, NULL), LS_EINVAL));
    const float bad_th[3] = {0.2f, 0.1f, 0.3f};
    const double nan_tap = NAN;
    for (int k = 0; k < 24; k++) {
        ls_stateye_config c = ok;
        switch (k) {
        case 0: c.pulse = NULL; break;
        case 1: c.n_pulse = 0; break;
        case 2: c.sps = 0; break;
        case 3: c.sps = 129; break;
        case 4: c.main_index = NP; break;
        case 5: c.levels = 3; break;
        case 6: c.levels = 16; break;
        case 7: c.rlm = 0.4; break;
        case 8: c.rlm = 1.1; break;
        case 9: c.n_dfe = 1; break; /* dfe NULL */
        case 10:
            c.dfe = &nan_tap;
            c.n_dfe = 1;
            break;
        case 11:
            c.n_dfe = LS_STATEYE_MAX_DFE + 1;
            c.dfe = &nan_tap;
            break;
        case 12: c.thresholds = bad_th; break;
        case 13: c.sigma_noise = -1e-3; break;
        case 14: c.sigma_noise = INFINITY; break;
        case 15: c.rj_ui = -0.01; break;
        case 16: c.rj_ui = 0.2; break;
        case 17: c.dj_ui = 0.6; break;
        case 18: c.target_ber = 1e-16; break;
        case 19: c.target_ber = 0.1; break;
        case 20: c.n_bins = 32; break;
        case 21: c.n_bins = 1u << 15; break;
        case 22: c.main_index = MAIN + 1; break; /* main cursor 0 */
        case 23: c.rlm = NAN; break;
        }
        cr_assert(eq(int, ls_stateye_run(&c, &r), LS_EINVAL), "case %d", k);
    }
    static float q[NP];
    impulse_pulse(q, 1.0f, 0.1f);
    q[5] = NAN;
    ls_stateye_config c = ok;
    c.pulse = q;
    cr_assert(eq(int, ls_stateye_run(&c, &r), LS_EINVAL));
    static double map[SPS * 4];
    cr_assert(eq(int, ls_stateye_map(&ok, 4, -1.0, 1.0, map), LS_OK));
    cr_assert(eq(int, ls_stateye_map(&ok, 1, -1.0, 1.0, map), LS_EINVAL));
    cr_assert(eq(int, ls_stateye_map(&ok, 4, 1.0, -1.0, map), LS_EINVAL));
    cr_assert(eq(int, ls_stateye_map(&ok, 4, -1.0, NAN, map), LS_EINVAL));
    cr_assert(eq(int, ls_stateye_map(&ok, 4, -1.0, 1.0, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_stateye_map(NULL, 4, -1.0, 1.0, map), LS_EINVAL));
}

Test(stateye, given_level_values_set_each_sub_eye_as_the_gaussian_closed_form)
{
    /* a single-cursor pulse (no ISI) and uneven levels (a compressing transmitter): threshold e
       between levels e and e+1, at their midpoint, is crossed with probability (2/M) Q(g_e / 2 sigma),
       g_e the gap between the two levels */
    const float pulse[] = { 0.0f, 1.0f, 0.0f };
    const double lv[4] = { -1.0, -0.25, 0.35, 1.0 };
    ls_stateye_config c;
    ls_stateye_config_init(&c);
    c.pulse = pulse;
    c.n_pulse = 3;
    c.sps = 1;
    c.main_index = 1;
    c.levels = 4;
    c.level_values = lv;
    c.sigma_noise = 0.08;
    ls_stateye_result r;
    cr_assert(eq(int, ls_stateye_run(&c, &r), LS_OK));
    double ser = 0;
    for (unsigned e = 0; e < 3; e++) {
        double want = 0.5 * ls_q((lv[e + 1] - lv[e]) / (2 * c.sigma_noise));
        cr_assert(lt(dbl, fabs(r.ser_eye[e] / want - 1), 0.02), "eye %u: %.4g vs %.4g", e, r.ser_eye[e], want);
        ser += want;
    }
    cr_assert(lt(dbl, fabs(r.ser / ser - 1), 0.02));
    const double bad[4] = { -1.0, 0.3, 0.2, 1.0 }; /* not increasing */
    c.level_values = bad;
    cr_assert(eq(int, ls_stateye_run(&c, &r), LS_EINVAL));
}

Test(stateye, compressed_levels_with_many_small_cursors_equal_the_rescaled_pulse, .timeout = LS_TIMEOUT(60))
{
    /* the same signal two ways: level values a*v with pulse p, and v with pulse a*p. The analysis
       must not depend on the split (its ISI support scales with the largest |level|). With |v| <= 0.3
       and many cursors below half a bin, the old rule kept cursors that the bin-width bound did not
       count and wrote past the PMF (heap overflow, seen on cpo-wdm at 100 GHz spacing). */
    enum { S4 = 4, N4 = 80 * S4 };
    static float p[N4], pa[N4];
    const double a = 0.3, lv[4] = { -1.0, -1.0 / 3, 1.0 / 3, 1.0 }, lva[4] = { -a, -a / 3, a / 3, a };
    for (size_t i = 0; i < N4; i++) {
        const double t = (double)i / S4 - 8.0; /* main cursor at 8 UI, a long slowly decaying tail */
        p[i] = (float)(t < -1 ? 0.0 : t < 0 ? 1.0 + t : 0.02 * (1 + 0.5 * sin(1.3 * t)) * exp(-t / 40.0) + (t < 1 ? 1 - t : 0));
        pa[i] = (float)(a * p[i]);
    }
    ls_stateye_config c;
    ls_stateye_config_init(&c);
    c.pulse = pa;
    c.n_pulse = N4;
    c.sps = S4;
    c.main_index = 8 * S4;
    c.levels = 4;
    c.level_values = lv;
    c.sigma_noise = 0.01;
    c.n_bins = 64;
    ls_stateye_result r1, r2;
    cr_assert(eq(int, ls_stateye_run(&c, &r1), LS_OK));
    c.pulse = p;
    c.level_values = lva;
    cr_assert(eq(int, ls_stateye_run(&c, &r2), LS_OK));
    cr_assert(gt(dbl, r1.ser, 1e-6));
    cr_assert(lt(dbl, fabs(r2.ser / r1.ser - 1), 0.05), "SER %.5g (levels x %.1f) vs %.5g (pulse x %.1f)", r2.ser, a,
              r1.ser, a);
}

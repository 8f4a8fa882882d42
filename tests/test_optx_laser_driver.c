/* Tests of the optical transmitter: laser noise (RIN, linewidth), OMA/ER/average-power
 * bookkeeping and the linear driver, against closed forms (docs/optics_tx.md). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "optx_util.h"

/* ---------------------------------------------------------------------------------------- */
/* Laser noise                                                                              */

Test(optx, rin_variance_and_whiteness, .timeout = LS_TIMEOUT(30))
{
    enum { N = 1 << 20, LAGS = 32 };
    static float x[N];
    static float complex y[N];
    static double r[N];
    const uint64_t seed = ls_test_seed(20261124u);
    ls_mzm_config c;
    ls_mzm_config_init(&c);
    c.laser.rin_db_hz = -140.0;
    c.laser.linewidth_hz = 0.0;
    ls_block b;
    cr_assert(eq(int, ls_mzm_into_block(&c, FS, &b), LS_OK));
    b.ops->reseed(b.self, seed, 3);
    run(&b, x, y, N); /* x = 0: quadrature */
    double p;
    const double v0 = 0.0;
    cr_assert(eq(int, ls_optx_levels(&b, &v0, 1, &p), LS_OK));
    double mean = 0, var = 0;
    for (size_t i = 0; i < N; i++) {
        r[i] = cpow2(y[i]) * 1e3 / p - 1.0;
        mean += r[i];
    }
    mean /= N;
    for (size_t i = 0; i < N; i++)
        var += r[i] * r[i];
    var /= N; /* about the known mean 0 */
    const double want = pow(10.0, c.laser.rin_db_hz / 10.0) * FS / 2.0;
    cr_assert(lt(dbl, fabs(ls_laser_rin_var(&c.laser, FS) / want - 1.0), 1e-15));
    const double sd = want * sqrt(2.0 / N); /* std of the variance estimate (Gaussian r) */
    printf("optx RIN: seed %llu var %.6g want %.6g (sigma %.3g) mean %.3g\n",
           (unsigned long long)seed, var, want, sd, mean);
    ls_assert_seeded(lt(dbl, fabs(var - want), 3.0 * sd), seed, "RIN variance %g want %g +- %g", var, want,
                     3.0 * sd);
    ls_assert_seeded(lt(dbl, fabs(mean), 3.0 * sqrt(want / N)), seed, "RIN mean %g", mean);
    /* white: normalized autocorrelation at lags 1..LAGS is N(0, 1/N); 4 sigma over 32 lags */
    for (size_t k = 1; k <= LAGS; k++) {
        double acc = 0;
        for (size_t i = 0; i + k < N; i++)
            acc += r[i] * r[i + k];
        double rho = acc / (N - k) / var;
        ls_assert_seeded(lt(dbl, fabs(rho), 4.0 / sqrt((double)N)), seed, "rho[%zu] = %g", k, rho);
    }
    ls_block_destroy(&b);
}

Test(optx, linewidth_phase_increment_variance, .timeout = LS_TIMEOUT(30))
{
    enum { W = 256, M = 4096, N = W * M };
    static float x[N];
    static float complex y[N];
    const uint64_t seed = ls_test_seed(777u);
    ls_mzm_config c;
    ls_mzm_config_init(&c);
    c.laser.rin_db_hz = -INFINITY;
    c.laser.linewidth_hz = 10e6;
    ls_block b;
    cr_assert(eq(int, ls_mzm_into_block(&c, FS, &b), LS_OK));
    b.ops->reseed(b.self, seed, 0);
    run(&b, x, y, N);
    /* increments over W samples, in M disjoint windows, and over 1 sample */
    double s2 = 0, s1 = 0;
    for (size_t j = 0; j + 1 < M; j++) {
        double d = carg((double complex)y[(j + 1) * W] * conj((double complex)y[j * W]));
        s2 += d * d;
    }
    s2 /= (M - 1);
    for (size_t i = 0; i + 1 < N; i++) {
        double d = carg((double complex)y[i + 1] * conj((double complex)y[i]));
        s1 += d * d;
    }
    s1 /= (N - 1);
    const double want2 = 2.0 * M_PI * c.laser.linewidth_hz * W / FS;
    const double want1 = 2.0 * M_PI * c.laser.linewidth_hz / FS;
    printf("optx linewidth: seed %llu var(W=%d) %.5g want %.5g; var(1) %.5g want %.5g\n",
           (unsigned long long)seed, W, s2, want2, s1, want1);
    ls_assert_seeded(lt(dbl, fabs(s2 / want2 - 1.0), 3.0 * sqrt(2.0 / (M - 1))), seed, "var(W=%d) %g want %g", W, s2,
                     want2);
    ls_assert_seeded(lt(dbl, fabs(s1 / want1 - 1.0), 3.0 * sqrt(2.0 / (N - 1)) + 1e-3), seed, "var(1) %g want %g", s1,
                     want1);
    ls_block_destroy(&b);
}

/* ---------------------------------------------------------------------------------------- */
/* Reporting                                                                                */

Test(optx, oma_er_and_average_power_bookkeeping_in_dbm)
{
    cr_assert(eq(dbl, ls_dbm(1.0), 0.0));
    cr_assert(eq(dbl, ls_dbm(1000.0), 30.0));
    cr_assert(eq(dbl, ls_dbm(0.1), -10.0));
    cr_assert(eq(dbl, ls_mw(0.0), 1.0));
    cr_assert(eq(dbl, ls_mw(-20.0), 0.01));
    cr_assert(eq(dbl, ls_mw(30.0), 1000.0));
    cr_assert(isinf(ls_dbm(0.0)) && ls_dbm(0.0) < 0);
    cr_assert(isnan(ls_dbm(-1.0)));
    for (double d = -30.0; d <= 20.0; d += 0.37)
        cr_assert(lt(dbl, fabs(ls_dbm(ls_mw(d)) - d), 1e-13), "%g dBm", d);

    ls_eml_config c;
    ls_eml_config_init(&c);
    c.laser = quiet_laser();
    ls_block b;
    cr_assert(eq(int, ls_eml_into_block(&c, FS, &b), LS_OK));
    const double h = c.vpp_v / 2.0;
    const double lv[4] = {-h, -h / 3.0, h / 3.0, h};
    double p[4];
    cr_assert(eq(int, ls_optx_levels(&b, lv, 4, p), LS_OK));
    for (size_t k = 1; k < 4; k++)
        cr_assert(gt(dbl, p[k], p[k - 1]));
    const double oma = p[3] - p[0];
    const double er = ls_dbm(p[3]) - ls_dbm(p[0]);
    cr_assert(lt(dbl, fabs(er - c.er_db), 1e-9));
    cr_assert(eq(dbl, ls_dbm(oma), 10.0 * log10(p[3] - p[0])));
    /* exponential law: levels equally spaced in dB, OMA = P3 (1 - 10^(-ER/10)) */
    cr_assert(lt(dbl, fabs(oma - p[3] * (1.0 - pow(10.0, -c.er_db / 10.0))), 1e-12));
    cr_assert(lt(dbl, fabs((ls_dbm(p[2]) - ls_dbm(p[1])) - c.er_db / 3.0), 1e-9));
    /* average power of an equiprobable PAM4 stream through process = mean of the levels */
    enum { N = 4000 };
    static float x[N];
    static float complex y[N];
    for (size_t i = 0; i < N; i++)
        x[i] = (float)lv[(i * 7 + i / 5) % 4];
    run(&b, x, y, N);
    double avg = 0, want = 0;
    for (size_t i = 0; i < N; i++) {
        avg += cpow2(y[i]) * 1e3;
        want += p[(i * 7 + i / 5) % 4];
    }
    cr_assert(lt(dbl, fabs(avg / want - 1.0), 1e-6));
    ls_block_destroy(&b);
}

/* ---------------------------------------------------------------------------------------- */
/* Driver                                                                                   */

static ls_block make_driver(double gain_db, double vsat, double noise)
{
    ls_driver_config c;
    ls_driver_config_init(&c);
    c.gain_db = gain_db;
    c.vsat_v = vsat;
    c.noise_v_rthz = noise;
    ls_block b;
    cr_assert(eq(int, ls_driver_into_block(&c, FS, &b), LS_OK));
    return b;
}

Test(optx, driver_small_signal_gain_and_saturation)
{
    ls_block b = make_driver(12.0, 1.5, 0.0);
    const double g = pow(10.0, 12.0 / 20.0);
    double complex y0, a, bb;
    cr_assert(eq(int, b.ops->linearize(b.self, 0.0, &y0, &a, &bb), LS_OK));
    cr_assert(lt(dbl, fabs(creal(a) - g), 1e-12 * g));
    cr_assert(eq(dbl, creal(y0), 0.0));
    float x[6] = {1e-4f, -1e-4f, 10.0f, -10.0f, 1e3f, 0.3f}, y[6];
    run(&b, x, y, 6);
    cr_assert(lt(dbl, fabs(y[0] / x[0] / g - 1.0), 1e-6));
    cr_assert(lt(dbl, fabs(y[1] / x[1] / g - 1.0), 1e-6));
    cr_assert(lt(dbl, fabs(y[2] - 1.5), 1e-6));
    cr_assert(lt(dbl, fabs(y[3] + 1.5), 1e-6));
    cr_assert(le(flt, y[4], 1.5f));
    cr_assert(lt(dbl, fabs(y[5] - 1.5 * tanh(g * 0.3 / 1.5)), 1e-6));
    cr_assert(eq(int, b.ops->kind, LS_KIND_MEMORYLESS));
    cr_assert(b.ops->noise_var == NULL);
    ls_block_destroy(&b);
    /* no compression */
    b = make_driver(6.0, INFINITY, 0.0);
    x[0] = 1e3f;
    run(&b, x, y, 1);
    cr_assert(lt(dbl, fabs(y[0] / 1e3 - pow(10.0, 0.3)), 1e-6));
    ls_block_destroy(&b);
}

Test(optx, driver_p1db_relation)
{
    const double v1db = 0.6, g_db = 10.0, g = pow(10.0, g_db / 20.0);
    const double vsat = ls_driver_vsat_from_p1db(v1db);
    cr_assert(isfinite(vsat) && vsat > v1db);
    cr_assert(isnan(ls_driver_vsat_from_p1db(0.0)) && isnan(ls_driver_vsat_from_p1db(NAN)));
    ls_block b = make_driver(g_db, vsat, 0.0);
    enum { P = 1000 };
    static float x[P], y[P];
    static double yd[P];
    /* bisection on the input amplitude for a 1 dB drop of the fundamental's gain */
    double lo = 1e-3, hi = 10.0 * vsat / g, out = 0;
    for (int it = 0; it < 50; it++) {
        double amp = 0.5 * (lo + hi);
        for (size_t i = 0; i < P; i++)
            x[i] = (float)(amp * sin(2.0 * M_PI * i / P));
        run(&b, x, y, P);
        for (size_t i = 0; i < P; i++)
            yd[i] = y[i];
        out = lockin_amp(yd, P, 1.0, P);
        if (20.0 * log10(out / (g * amp)) > -1.0)
            lo = amp;
        else
            hi = amp;
    }
    cr_assert(lt(dbl, fabs(out / v1db - 1.0), 1e-4), "fundamental at 1 dB compression %g want %g",
              out, v1db);
    ls_block_destroy(&b);
}

Test(optx, driver_noise_and_power)
{
    enum { N = 1 << 18 };
    static float x[N], y[N];
    const uint64_t seed = ls_test_seed(99u);
    ls_driver_config c;
    ls_driver_config_init(&c);
    ls_block b;
    cr_assert(eq(int, ls_driver_into_block(&c, FS, &b), LS_OK));
    cr_assert(eq(int, b.ops->kind, LS_KIND_STATEFUL));
    const double want = c.noise_v_rthz * c.noise_v_rthz * FS / 2.0;
    cr_assert(lt(dbl, fabs(b.ops->noise_var(b.self) / want - 1.0), 1e-12));
    cr_assert(lt(dbl, fabs(b.ops->power_mw(b.self) - c.supply_v * c.current_ma), 1e-12));
    b.ops->reseed(b.self, seed, 1);
    run(&b, x, y, N);
    double v = 0;
    for (size_t i = 0; i < N; i++)
        v += (double)y[i] * y[i];
    v /= N;
    ls_assert_seeded(lt(dbl, fabs(v / want - 1.0), 3.0 * sqrt(2.0 / N)), seed, "var %g want %g", v, want);
    ls_block_destroy(&b);
}

/* Tests of the optical transmitter blocks: linear driver, laser (RIN, linewidth), EML, MZM,
 * DML/VCSEL and microring modulator, against closed forms (docs/optics_tx.md). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim/filter.h"
#include "lanesim/optx.h"
#include "ls_internal.h"
#include "util.h"

#define FS (32.0 * 113.4375e9) /* 32 samples per UI at the 200G/lane optical rate */
#define C_LIGHT 299792458.0

static ls_laser_config quiet_laser(void)
{
    ls_laser_config l;
    ls_laser_config_init(&l);
    l.rin_db_hz = -INFINITY;
    l.linewidth_hz = 0.0;
    return l;
}

static void run(ls_block *b, const float *x, void *y, size_t n)
{
    cr_assert(eq(int, b->ops->process(b->self, x, y, n), LS_OK));
}

static double cpow2(float complex e)
{
    return (double)crealf(e) * crealf(e) + (double)cimagf(e) * cimagf(e);
}

static ls_block make_mzm(ls_mzm_drive drive, ls_laser_config las)
{
    ls_mzm_config c;
    ls_mzm_config_init(&c);
    c.laser = las;
    c.drive = drive;
    ls_block b;
    cr_assert(eq(int, ls_mzm_into_block(&c, FS, &b), LS_OK));
    return b;
}

/* ---------------------------------------------------------------------------------------- */
/* Mach-Zehnder                                                                             */

Test(optx, mzm_push_pull_is_cos2_and_chirp_free)
{
    enum { N = 2001 };
    static float x[N];
    static float complex y[N];
    ls_mzm_config c;
    ls_mzm_config_init(&c);
    ls_block b = make_mzm(LS_MZM_PUSH_PULL, quiet_laser());
    const double pl = c.laser.laser_mw * 1e-3 * pow(10.0, -c.il_db / 10.0);
    for (size_t i = 0; i < N; i++)
        x[i] = (float)(-2.0 * c.vpi_v + 4.0 * c.vpi_v * i / (N - 1));
    run(&b, x, y, N);
    for (size_t i = 0; i < N; i++) {
        double arg = M_PI * (x[i] + c.bias_v) / (2.0 * c.vpi_v);
        double want = pl * cos(arg) * cos(arg);
        cr_assert(lt(dbl, fabs(cpow2(y[i]) - want), 1e-6 * pl), "v %g: P %g want %g", x[i],
                  cpow2(y[i]), want);
        cr_assert(eq(flt, cimagf(y[i]), 0.0f), "chirp-free: imaginary part at v = %g", x[i]);
        if (fabs(cos(arg)) > 1e-3) /* the field changes sign through the null */
            cr_assert(eq(int, crealf(y[i]) > 0, cos(arg) > 0));
    }
    ls_block_destroy(&b);
}

Test(optx, mzm_single_arm_has_half_the_differential_phase)
{
    enum { N = 501 };
    static float x[N];
    static float complex y[N];
    ls_mzm_config c;
    ls_mzm_config_init(&c);
    ls_block b = make_mzm(LS_MZM_SINGLE_ARM, quiet_laser());
    const double el = sqrt(c.laser.laser_mw * 1e-3) * pow(10.0, -c.il_db / 20.0);
    for (size_t i = 0; i < N; i++)
        x[i] = (float)(-c.vpi_v + 2.0 * c.vpi_v * i / (N - 1));
    run(&b, x, y, N);
    for (size_t i = 0; i < N; i++) {
        double u = M_PI * (x[i] + c.bias_v) / c.vpi_v;
        double complex want = el * 0.5 * (1.0 + cexp(I * u));
        cr_assert(lt(dbl, cabs((double complex)y[i] - want), 1e-6 * el), "v %g", x[i]);
        double p = cpow2(y[i]), cu = cos(u / 2.0);
        cr_assert(lt(dbl, fabs(p - el * el * cu * cu), 1e-6 * el * el));
        if (cu > 0.1) /* documented phase: u / 2 */
            cr_assert(lt(dbl, fabs(cargf(y[i]) - u / 2.0), 1e-5), "v %g: phase %g want %g", x[i],
                      cargf(y[i]), u / 2.0);
    }
    ls_block_destroy(&b);
}

Test(optx, mzm_quadrature_slope_equals_linearize)
{
    ls_mzm_config c;
    ls_mzm_config_init(&c);
    cr_assert(eq(dbl, c.bias_v, c.vpi_v / 2.0)); /* default bias is quadrature */
    ls_block b = make_mzm(LS_MZM_PUSH_PULL, quiet_laser());
    double complex y0, a, bb;
    cr_assert(eq(int, b.ops->linearize(b.self, 0.0, &y0, &a, &bb), LS_OK));
    const double el = sqrt(c.laser.laser_mw * 1e-3) * pow(10.0, -c.il_db / 20.0);
    const double slope =
        -el * sin(M_PI / 4.0) * M_PI / (2.0 * c.vpi_v); /* d/dv cos(pi(v+vb)/2Vpi) */
    cr_assert(lt(dbl, cabs(a - slope), 1e-9 * fabs(slope)), "a %g%+gi want %g", creal(a), cimag(a),
              slope);
    cr_assert(lt(dbl, cabs(y0 - el * cos(M_PI / 4.0)), 1e-12 * el));
    cr_assert(eq(dbl, creal(bb), 0.0));
    /* the block itself: a small symmetric drive */
    const float d = 1e-3f, x[2] = {d, -d};
    float complex y[2];
    run(&b, x, y, 2);
    double fd = (crealf(y[0]) - crealf(y[1])) / (2.0 * d);
    cr_assert(lt(dbl, fabs(fd - slope), 1e-3 * fabs(slope)), "block slope %g want %g", fd, slope);
    /* quadrature: half the transmitted power */
    double p;
    const double v0 = 0.0;
    cr_assert(eq(int, ls_optx_levels(&b, &v0, 1, &p), LS_OK));
    cr_assert(lt(dbl, fabs(p - 0.5 * c.laser.laser_mw * pow(10.0, -c.il_db / 10.0)), 1e-12));
    ls_block_destroy(&b);
}

/* ---------------------------------------------------------------------------------------- */
/* EML                                                                                      */

Test(optx, eml_extinction_ratio_between_drive_extremes_is_configured)
{
    static const double ers[] = {1.0, 5.2, 12.0};
    static const double shapes[] = {1.0, 2.0, 3.5};
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++) {
            ls_eml_config c;
            ls_eml_config_init(&c);
            c.er_db = ers[i];
            c.shape = shapes[j];
            c.vpp_v = 1.5;
            ls_block b;
            cr_assert(eq(int, ls_eml_into_block(&c, FS, &b), LS_OK));
            const double v[2] = {-0.75, 0.75};
            double p[2];
            cr_assert(eq(int, ls_optx_levels(&b, v, 2, p), LS_OK));
            double er = 10.0 * log10(p[1] / p[0]);
            cr_assert(lt(dbl, fabs(er - c.er_db), 1e-9), "ER %.12f want %g (shape %g)", er, c.er_db,
                      c.shape);
            double pon = c.laser.laser_mw * pow(10.0, -c.il_db / 10.0);
            cr_assert(lt(dbl, fabs(p[1] - pon), 1e-12 * pon));
            ls_block_destroy(&b);
        }
}

Test(optx, eml_alpha_chirp_phase_is_half_alpha_log_power_ratio)
{
    ls_eml_config c;
    ls_eml_config_init(&c);
    c.laser = quiet_laser();
    c.alpha = 1.7;
    c.er_db = 8.0;
    ls_block b;
    cr_assert(eq(int, ls_eml_into_block(&c, FS, &b), LS_OK));
    static const double lv[4] = {-1.0, -1.0 / 3.0, 1.0 / 3.0, 0.9};
    double complex y[4], a, bb;
    for (size_t k = 0; k < 4; k++)
        cr_assert(eq(int, b.ops->linearize(b.self, lv[k], &y[k], &a, &bb), LS_OK));
    for (size_t k = 1; k < 4; k++) {
        double p1 = cabs(y[k]) * cabs(y[k]), p0 = cabs(y[0]) * cabs(y[0]);
        double dphi = carg(y[k] * conj(y[0]));
        cr_assert(lt(dbl, fabs(dphi - 0.5 * c.alpha * log(p1 / p0)), 1e-12));
    }
    /* and through process (float output) */
    float x[4];
    float complex e[4];
    for (size_t k = 0; k < 4; k++)
        x[k] = (float)lv[k];
    run(&b, x, e, 4);
    for (size_t k = 1; k < 4; k++) {
        double dphi = carg((double complex)e[k] * conj((double complex)e[0]));
        double want = 0.5 * c.alpha * log(cpow2(e[k]) / cpow2(e[0]));
        cr_assert(lt(dbl, fabs(dphi - want), 1e-5), "level %zu: %g want %g", k, dphi, want);
    }
    ls_block_destroy(&b);
}

/* ---------------------------------------------------------------------------------------- */
/* DML                                                                                      */

static double lockin_amp(const double *s, size_t n, double f, double fs)
{
    double ci = 0, cq = 0, mean = 0;
    for (size_t i = 0; i < n; i++)
        mean += s[i];
    mean /= n;
    for (size_t i = 0; i < n; i++) {
        ci += (s[i] - mean) * cos(2.0 * M_PI * f * i / fs);
        cq += (s[i] - mean) * sin(2.0 * M_PI * f * i / fs);
    }
    return 2.0 * sqrt(ci * ci + cq * cq) / n;
}

Test(optx, dml_small_signal_intensity_follows_relaxation_response)
{
    enum { SETTLE = 8192, M = 32768, N = SETTLE + M };
    static float x[N];
    static float complex y[N];
    static double p[M];
    ls_dml_config c;
    ls_dml_config_init(&c);
    c.laser = quiet_laser();
    c.laser.laser_mw = 10.0;
    const double fs = 128.0 * c.fr_hz; /* integer periods of every test tone in M samples */
    ls_block b;
    cr_assert(eq(int, ls_dml_into_block(&c, fs, &b), LS_OK));
    const double amp = 0.02, fr = c.fr_hz, g = c.gamma_per_s;
    static const double mult[] = {0.25, 1.0, 2.0};
    for (size_t k = 0; k < 3; k++) {
        const double f = mult[k] * fr;
        cr_assert(eq(int, b.ops->reset(b.self), LS_OK));
        for (size_t i = 0; i < N; i++)
            x[i] = (float)(amp * cos(2.0 * M_PI * f * i / fs));
        run(&b, x, y, N);
        for (size_t i = 0; i < M; i++)
            p[i] = cpow2(y[SETTLE + i]) * 1e3; /* mW */
        double ratio = lockin_amp(p, M, f, fs) / (c.slope_w_per_a * c.ma_per_v * amp);
        double h = fr * fr / cabs(fr * fr - f * f + I * f * g / (2.0 * M_PI));
        printf("optx DML: f = %.2f f_r: |H| measured %.5f, closed form %.5f\n", mult[k], ratio, h);
        cr_assert(lt(dbl, fabs(ratio / h - 1.0), 0.02),
                  "f = %g fr: |H| measured %g, closed form %g", mult[k], ratio, h);
        /* the reported small-signal response: intensity part = eta g_m D(f) */
        double complex af, y0, a, bb;
        cr_assert(eq(int, ls_optx_small_signal(&b, 0.0, &f, &af, 1), LS_OK));
        cr_assert(eq(int, b.ops->linearize(b.self, 0.0, &y0, &a, &bb), LS_OK));
        double complex afm;
        const double fm = -f;
        cr_assert(eq(int, ls_optx_small_signal(&b, 0.0, &fm, &afm, 1), LS_OK));
        double complex dp = (conj(y0) * af + y0 * conj(afm)) * 1e3; /* mW per V, e^{jwt} part */
        cr_assert(lt(dbl, fabs(cabs(dp) / (c.slope_w_per_a * c.ma_per_v) / h - 1.0), 0.02));
        cr_assert(lt(dbl, fabs(cabs(dp) / (c.slope_w_per_a * c.ma_per_v) - ratio), 2e-3 * ratio));
    }
    ls_block_destroy(&b);
}

Test(optx, dml_chirp_transient_and_adiabatic)
{
    enum { N = 4096 };
    static float x[N];
    static float complex y[N];
    ls_dml_config c;
    ls_dml_config_init(&c);
    c.laser = quiet_laser();
    ls_block b;
    /* transient only (kappa = 0): static phase difference = alpha/2 ln(P1/P0) */
    c.kappa_per_w_s = 0.0;
    cr_assert(eq(int, ls_dml_into_block(&c, FS, &b), LS_OK));
    double complex y0[2], a, bb;
    cr_assert(eq(int, b.ops->linearize(b.self, -0.2, &y0[0], &a, &bb), LS_OK));
    cr_assert(eq(int, b.ops->linearize(b.self, 0.3, &y0[1], &a, &bb), LS_OK));
    double p0 = cabs(y0[0]) * cabs(y0[0]), p1 = cabs(y0[1]) * cabs(y0[1]);
    cr_assert(lt(dbl, fabs(carg(y0[1] * conj(y0[0])) - 0.5 * c.alpha * log(p1 / p0)), 1e-12));
    cr_assert(lt(dbl, fabs(p1 - p0 - 0.5 * c.slope_w_per_a * c.ma_per_v * 1e-3), 1e-15));
    ls_block_destroy(&b);
    /* adiabatic: a constant drive offset shifts the frequency by alpha kappa dP / (4 pi) */
    ls_dml_config_init(&c);
    c.laser = quiet_laser();
    cr_assert(eq(int, ls_dml_into_block(&c, FS, &b), LS_OK));
    const double v = 0.5, dp_w = c.slope_w_per_a * c.ma_per_v * v * 1e-3;
    for (size_t i = 0; i < N; i++)
        x[i] = (float)v;
    run(&b, x, y, N);
    const size_t lag = 100, i0 = 1000;
    double complex acc = 0;
    for (size_t i = i0; i + lag < N; i++)
        acc += (double complex)y[i + lag] * conj((double complex)y[i]);
    double dnu = carg(acc) / lag * FS / (2.0 * M_PI);
    double want = c.alpha * c.kappa_per_w_s * dp_w / (4.0 * M_PI);
    cr_assert(lt(dbl, fabs(dnu / want - 1.0), 1e-4), "adiabatic chirp %g Hz want %g", dnu, want);
    ls_block_destroy(&b);
}

Test(optx, dml_clips_below_threshold)
{
    ls_dml_config c;
    ls_dml_config_init(&c);
    c.laser = quiet_laser();
    ls_block b;
    cr_assert(eq(int, ls_dml_into_block(&c, FS, &b), LS_OK));
    const double vth = -c.laser.laser_mw / (c.slope_w_per_a * c.ma_per_v); /* I = I_th */
    const double v[3] = {vth - 1.0, vth, vth + 0.1};
    double p[3];
    cr_assert(eq(int, ls_optx_levels(&b, v, 3, p), LS_OK));
    cr_assert(eq(dbl, p[0], 0.0));
    cr_assert(lt(dbl, p[1], 1e-12));
    cr_assert(lt(dbl, fabs(p[2] - 0.1 * c.slope_w_per_a * c.ma_per_v), 1e-9));
    ls_block_destroy(&b);
}

/* ---------------------------------------------------------------------------------------- */
/* Laser noise                                                                              */

Test(optx, rin_variance_and_whiteness, .timeout = 30)
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

Test(optx, linewidth_phase_increment_variance, .timeout = 30)
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
/* Ring                                                                                     */

typedef struct {
    double a, r, nu0, fsr, il;
} ring_ref;

static ring_ref ring_params(const ls_ring_config *c)
{
    ring_ref p;
    p.nu0 = C_LIGHT / (c->laser.wavelength_nm * 1e-9);
    p.fsr = c->fsr_ghz * 1e9;
    double qc = 1.0 / (1.0 / c->q_loaded - 1.0 / c->q_intrinsic);
    p.a = exp(-M_PI * p.nu0 / (c->q_intrinsic * p.fsr));
    p.r = exp(-M_PI * p.nu0 / (qc * p.fsr));
    p.il = pow(10.0, -c->il_db / 10.0);
    return p;
}

Test(optx, ring_static_transmission_is_lorentzian)
{
    ls_ring_config c;
    ls_ring_config_init(&c);
    c.laser = quiet_laser();
    c.bias_detune_ghz = 0.0;
    c.detune_ghz_per_v = 1.0; /* drive (V) = detuning (GHz) */
    ls_block b;
    cr_assert(eq(int, ls_ring_into_block(&c, FS, &b), LS_OK));
    ring_ref rp = ring_params(&c);
    const double pin = c.laser.laser_mw * rp.il;
    const double tmin = pow((rp.a - rp.r) / (1.0 - rp.a * rp.r), 2.0);
    const double fwhm_ghz = rp.nu0 / c.q_loaded * 1e-9;
    /* exact Airy half-depth point: sin(theta_h / 2) = sinh(x / 2), x = -ln(a r) */
    const double x = -log(rp.a * rp.r);
    const double half_ghz = 2.0 * asin(sinh(0.5 * x)) / (2.0 * M_PI) * c.fsr_ghz;
    const double v[5] = {0.0, 0.5 * fwhm_ghz, -0.5 * fwhm_ghz, half_ghz, -half_ghz};
    double p[5];
    cr_assert(eq(int, ls_optx_levels(&b, v, 5, p), LS_OK));
    cr_assert(lt(dbl, fabs(p[0] / pin - tmin), 1e-12), "T(0) %g want %g", p[0] / pin, tmin);
    /* Lorentzian: T(delta) = 1 - (1 - Tmin) / (1 + (2 delta / FWHM)^2), FWHM = nu0 / Q_l; it
       differs from the Airy function by O((pi / finesse)^2) ~ 1e-3 here */
    for (size_t k = 1; k <= 2; k++)
        cr_assert(lt(dbl, fabs(p[k] / pin - 0.5 * (1.0 + tmin)), 1e-3), "T(+-FWHM/2) %g want %g",
                  p[k] / pin, 0.5 * (1.0 + tmin));
    for (size_t k = 3; k <= 4; k++)
        cr_assert(lt(dbl, fabs(p[k] / pin - 0.5 * (1.0 + tmin)), 1e-12));
    cr_assert(lt(dbl, fabs(half_ghz / (0.5 * fwhm_ghz) - 1.0), 1e-3));
    ls_block_destroy(&b);
    /* critical coupling (Q_i = 2 Q_l): full extinction at resonance */
    c.q_intrinsic = 2.0 * c.q_loaded;
    cr_assert(eq(int, ls_ring_into_block(&c, FS, &b), LS_OK));
    cr_assert(eq(int, ls_optx_levels(&b, v, 1, p), LS_OK));
    cr_assert(lt(dbl, p[0], 1e-20));
    ls_block_destroy(&b);
}

Test(optx, ring_step_response_rises_with_photon_lifetime)
{
    enum { PRE = 64, N = 512 };
    static float x[N];
    static float complex y[N];
    ls_ring_config c;
    ls_ring_config_init(&c);
    c.laser = quiet_laser();
    ls_block b;
    cr_assert(eq(int, ls_ring_into_block(&c, FS, &b), LS_OK));
    ring_ref rp = ring_params(&c);
    const double el = sqrt(c.laser.laser_mw * 1e-3 * rp.il);
    for (size_t i = 0; i < N; i++)
        x[i] = i < PRE ? 0.0f : 1.0f;
    run(&b, x, y, N);
    /* recover the detuning from the field: u = e^{j theta} = (a - t) / (r (1 - a t)) */
    static double det[N];
    for (size_t i = 0; i < N; i++) {
        double complex t = (double complex)y[i] / el;
        double complex u = (rp.a - t) / (rp.r * (1.0 - rp.a * t));
        det[i] = carg(u) / (2.0 * M_PI) * c.fsr_ghz;
    }
    const double d0 = c.bias_detune_ghz, d1 = c.bias_detune_ghz + c.detune_ghz_per_v;
    cr_assert(lt(dbl, fabs(det[0] - d0), 1e-4));
    cr_assert(lt(dbl, fabs(det[N - 1] - d1), 1e-4));
    /* least-squares slope of ln(1 - s) against time since the step, over 5 % < 1 - s < 90 % */
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    unsigned m = 0;
    for (size_t i = PRE; i < N; i++) {
        double s = (det[i] - d0) / (d1 - d0);
        if (1.0 - s > 0.9 || 1.0 - s < 0.05)
            continue;
        double t = (double)(i - PRE + 1) / FS, l = log(1.0 - s);
        sx += t;
        sy += l;
        sxx += t * t;
        sxy += t * l;
        m++;
    }
    cr_assert(gt(u32, m, 10));
    double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
    double tau = -1.0 / slope,
           want = c.q_loaded * c.laser.wavelength_nm * 1e-9 / (2.0 * M_PI * C_LIGHT);
    printf("optx ring: tau %.4g s, Q lambda / (2 pi c) = %.4g s (%u points)\n", tau, want, m);
    cr_assert(lt(dbl, fabs(tau / want - 1.0), 0.05), "tau %g want %g", tau, want);
    /* the output power moves monotonically from one level to the other */
    double p[2];
    const double v[2] = {0.0, 1.0};
    cr_assert(eq(int, ls_optx_levels(&b, v, 2, p), LS_OK));
    cr_assert(lt(dbl, fabs(cpow2(y[N - 1]) * 1e3 / p[1] - 1.0), 1e-5));
    cr_assert(lt(dbl, fabs(cpow2(y[PRE - 1]) * 1e3 / p[0] - 1.0), 1e-5));
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

/* ---------------------------------------------------------------------------------------- */
/* Contract tests over every block                                                          */

enum { K_DRIVER, K_EML, K_EML2, K_MZM, K_MZM1, K_DML, K_VCSEL, K_RING, K_COUNT };

static ls_block make_kind(int k, int noisy)
{
    ls_block b = {0};
    ls_laser_config las;
    ls_laser_config_init(&las);
    if (!noisy) {
        las.rin_db_hz = -INFINITY;
        las.linewidth_hz = 0.0;
    } else {
        las.rin_db_hz = -135.0;
        las.linewidth_hz = 5e6;
        las.stream = 17;
    }
    ls_status st = LS_EINVAL;
    switch (k) {
    case K_DRIVER: {
        ls_driver_config c;
        ls_driver_config_init(&c);
        c.noise_v_rthz = noisy ? 4e-9 : 0.0;
        st = ls_driver_into_block(&c, FS, &b);
        break;
    }
    case K_EML:
    case K_EML2: {
        ls_eml_config c;
        ls_eml_config_init(&c);
        c.laser = las;
        c.shape = k == K_EML ? 1.0 : 2.5;
        c.alpha = -0.7;
        st = ls_eml_into_block(&c, FS, &b);
        break;
    }
    case K_MZM:
    case K_MZM1: {
        ls_mzm_config c;
        ls_mzm_config_init(&c);
        c.laser = las;
        c.drive = k == K_MZM ? LS_MZM_PUSH_PULL : LS_MZM_SINGLE_ARM;
        c.bias_v = 1.3;
        st = ls_mzm_into_block(&c, FS, &b);
        break;
    }
    case K_DML:
    case K_VCSEL: {
        ls_dml_config c;
        if (k == K_DML)
            ls_dml_config_init(&c);
        else
            ls_dml_config_init_vcsel(&c);
        double mw = c.laser.laser_mw, wl = c.laser.wavelength_nm;
        c.laser = las;
        c.laser.laser_mw = mw;
        c.laser.wavelength_nm = wl;
        st = ls_dml_into_block(&c, FS, &b);
        break;
    }
    case K_RING:
    default: {
        ls_ring_config c;
        ls_ring_config_init(&c);
        c.laser = las;
        st = ls_ring_into_block(&c, FS, &b);
        break;
    }
    }
    cr_assert(eq(int, st, LS_OK), "kind %d", k);
    return b;
}

static size_t out_size(const ls_block *b)
{
    return b->ops->out == LS_T_CF32 ? sizeof(float complex) : sizeof(float);
}

Test(optx, linearize_agrees_with_finite_difference_of_static_transfer)
{
    static const double x0s[] = {-0.8, -0.31, 0.0, 0.27, 0.55};
    for (int k = 0; k < K_COUNT; k++) {
        ls_block b = make_kind(k, 0);
        cr_assert(b.ops->linearize != NULL);
        for (size_t j = 0; j < 5; j++) {
            const double x0 = x0s[j], h = 1e-5;
            double complex y0, a, bb, yp, ym, t1, t2;
            cr_assert(eq(int, b.ops->linearize(b.self, x0, &y0, &a, &bb), LS_OK));
            cr_assert(eq(int, b.ops->linearize(b.self, x0 + h, &yp, &t1, &t2), LS_OK));
            cr_assert(eq(int, b.ops->linearize(b.self, x0 - h, &ym, &t1, &t2), LS_OK));
            double complex fd = (yp - ym) / (2.0 * h);
            double scale = fmax(cabs(a), 1e-3 * cabs(y0));
            cr_assert(le(dbl, cabs(fd - a), 1e-6 * scale), "kind %d x0 %g: a %g%+gi fd %g%+gi", k,
                      x0, creal(a), cimag(a), creal(fd), cimag(fd));
            cr_assert(eq(dbl, cabs(bb), 0.0));
            if (b.ops->out == LS_T_CF32) { /* small-signal response at DC = a */
                double complex a0;
                const double f0 = 0.0;
                cr_assert(eq(int, ls_optx_small_signal(&b, x0, &f0, &a0, 1), LS_OK));
                cr_assert(lt(dbl, cabs(a0 - a), 1e-12 * cabs(a) + 1e-300));
            }
            /* process with a constant input settles at y0 (dynamics have unit DC gain) */
            enum { N = 2048 };
            static float x[N];
            static float complex y[N];
            for (size_t i = 0; i < N; i++)
                x[i] = (float)x0;
            cr_assert(eq(int, b.ops->reset(b.self), LS_OK));
            run(&b, x, y, N);
            double complex last = b.ops->out == LS_T_CF32 ? (double complex)y[N - 1]
                                                          : (double complex)((float *)y)[N - 1];
            double complex ys;
            cr_assert(eq(int, b.ops->linearize(b.self, (double)(float)x0, &ys, &t1, &t2), LS_OK));
            if (k == K_DML || k == K_VCSEL) /* adiabatic chirp rotates the phase: compare |E| */
                cr_assert(le(dbl, fabs(cabs(last) - cabs(ys)), 1e-6 * cabs(ys)), "kind %d", k);
            else
                cr_assert(lt(dbl, cabs(last - ys), 1e-6 * fmax(cabs(ys), 1e-3)), "kind %d", k);
        }
        ls_block_destroy(&b);
    }
}

Test(optx, chunked_processing_equals_one_shot_and_in_place, .timeout = 30)
{
    enum { N = 20000 };
    static float x[N];
    static float complex y1[N], y2[N], y3[N];
    static const size_t chunk[] = {1, 7, 4096};
    fill_uniform(x, N, 4242u);
    for (int k = 0; k < K_COUNT; k++) {
        ls_block a = make_kind(k, 1), b = make_kind(k, 1), c = make_kind(k, 1);
        if (a.ops->reseed) {
            a.ops->reseed(a.self, 5, 9);
            b.ops->reseed(b.self, 5, 9);
            c.ops->reseed(c.self, 5, 9);
        }
        run(&a, x, y1, N);
        size_t j = 0;
        for (size_t i = 0; i < N; j++) {
            size_t m = chunk[j % 3] < N - i ? chunk[j % 3] : N - i;
            run(&b, x + i, (char *)y2 + i * out_size(&b), m);
            i += m;
        }
        cr_assert(eq(int, memcmp(y1, y2, N * out_size(&a)), 0), "kind %d: chunked differs", k);
        /* in place: the input in the first n floats of the output buffer */
        memset(y3, 0, sizeof y3);
        memcpy(y3, x, sizeof x);
        run(&c, (const float *)y3, y3, N);
        cr_assert(eq(int, memcmp(y1, y3, N * out_size(&a)), 0), "kind %d: in place differs", k);
        ls_block_destroy(&a);
        ls_block_destroy(&b);
        ls_block_destroy(&c);
    }
}

/* The per-sample loops of process (vectorized, and on AVX2 machines compiled a second time for
 * AVX2) compute exactly what the scalar static map computes: without noise, the memoryless
 * kinds' output equals the linearization point y0 rounded to float, bit for bit, over drives
 * that cover every branch of the maps (beyond V_on, far below it, both MZM slopes). */
Test(optx, process_equals_the_scalar_static_map_bit_for_bit)
{
    enum { N = 4099 };
    static float x[N];
    static float complex y[N];
    static const int kinds[] = {K_DRIVER, K_EML, K_EML2, K_MZM, K_MZM1};
    fill_uniform(x, N, 777u);
    for (size_t i = 0; i < N; i++)
        x[i] *= (i % 97 == 0) ? 1e4f : 4.0f; /* +-4 V, and some drives far outside (EML floor) */
    for (size_t kk = 0; kk < sizeof kinds / sizeof kinds[0]; kk++) {
        const int k = kinds[kk];
        ls_block b = make_kind(k, 0);
        run(&b, x, y, N);
        for (size_t i = 0; i < N; i++) {
            double complex y0, a, bb;
            cr_assert(eq(int, b.ops->linearize(b.self, x[i], &y0, &a, &bb), LS_OK));
            if (k == K_DRIVER) {
                const float got = ((const float *)y)[i], want = (float)creal(y0);
                cr_assert(eq(int, memcmp(&got, &want, sizeof got), 0), "driver x %g: %a want %a", x[i], got, want);
            } else {
                const float complex want = (float complex)y0;
                cr_assert(eq(int, memcmp(&y[i], &want, sizeof want), 0), "kind %d x %g: (%a, %a) want (%a, %a)", k,
                          x[i], crealf(y[i]), cimagf(y[i]), crealf(want), cimagf(want));
            }
        }
        ls_block_destroy(&b);
    }
}

Test(optx, reseed_and_reset_are_deterministic)
{
    enum { N = 5000 };
    static float x[N];
    static float complex y1[N], y2[N], y3[N];
    fill_uniform(x, N, 31u);
    for (int k = 0; k < K_COUNT; k++) {
        ls_block b = make_kind(k, 1);
        cr_assert(b.ops->reseed != NULL, "kind %d is random", k);
        cr_assert(eq(int, b.ops->kind, LS_KIND_STATEFUL));
        b.ops->reseed(b.self, 123, 4);
        run(&b, x, y1, N);
        cr_assert(eq(int, b.ops->reset(b.self), LS_OK)); /* back to (123, 4) */
        run(&b, x, y2, N);
        cr_assert(eq(int, memcmp(y1, y2, N * out_size(&b)), 0), "kind %d: reset", k);
        cr_assert(eq(int, b.ops->reset(b.self), LS_OK));
        b.ops->reseed(b.self, 123, 5);
        run(&b, x, y3, N);
        cr_assert(not(eq(int, memcmp(y1, y3, N * out_size(&b)), 0)), "kind %d: frame", k);
        cr_assert(eq(int, b.ops->reset(b.self), LS_OK));
        b.ops->reseed(b.self, 123, 4);
        run(&b, x, y3, N);
        cr_assert(eq(int, memcmp(y1, y3, N * out_size(&b)), 0), "kind %d: reseed", k);
        ls_block_destroy(&b);
    }
    /* noise-free external modulators are memoryless and not random */
    ls_block m = make_kind(K_MZM, 0);
    cr_assert(eq(int, m.ops->kind, LS_KIND_MEMORYLESS));
    cr_assert(m.ops->reseed == NULL);
    ls_block_destroy(&m);
}

Test(optx, process_never_allocates)
{
    enum { N = 3000 };
    static float x[N];
    static float complex y[N];
    fill_uniform(x, N, 8u);
    for (int k = 0; k < K_COUNT; k++) {
        ls_block b = make_kind(k, 1);
        uint64_t before = lsi_alloc_count();
        run(&b, x, y, N);
        run(&b, (const float *)y, y, N / 2);
        cr_assert(eq(int, b.ops->reset(b.self), LS_OK));
        b.ops->reseed(b.self, 1, 2);
        double complex y0, a, bb;
        cr_assert(eq(int, b.ops->linearize(b.self, 0.1, &y0, &a, &bb), LS_OK));
        cr_assert(eq(u64, lsi_alloc_count(), before), "kind %d", k);
        ls_block_destroy(&b);
    }
}

Test(optx, power_draw)
{
    ls_ring_config rc;
    ls_ring_config_init(&rc);
    ls_block b;
    cr_assert(eq(int, ls_ring_into_block(&rc, FS, &b), LS_OK));
    double want = rc.laser.laser_mw / rc.laser.wall_plug_eff + rc.heater_mw;
    cr_assert(lt(dbl, fabs(b.ops->power_mw(b.self) - want), 1e-12));
    ls_laser_config l;
    cr_assert(eq(int, ls_optx_get_laser(&b, &l), LS_OK));
    cr_assert(eq(dbl, l.wavelength_nm, rc.laser.wavelength_nm));
    ls_block_destroy(&b);
    ls_eml_config ec;
    ls_eml_config_init(&ec);
    ec.laser.laser_mw = 16.0;
    ec.laser.wall_plug_eff = 0.25;
    cr_assert(eq(int, ls_eml_into_block(&ec, FS, &b), LS_OK));
    cr_assert(lt(dbl, fabs(b.ops->power_mw(b.self) - 64.0), 1e-12));
    ls_block_destroy(&b);
    /* a coupling loss between laser and modulator: the laser emits 10^(3/10) more for the same light */
    ec.laser.coupling_db = 3.0;
    cr_assert(eq(int, ls_eml_into_block(&ec, FS, &b), LS_OK));
    double las, heat;
    cr_assert(eq(int, ls_optx_power_split(&b, &las, &heat), LS_OK));
    cr_assert(lt(dbl, fabs(las - 64.0 * pow(10.0, 0.3)), 1e-12));
    cr_assert(eq(dbl, heat, 0.0));
    cr_assert(lt(dbl, fabs(b.ops->power_mw(b.self) - las), 1e-12));
    ls_block_destroy(&b);
    cr_assert(eq(int, ls_ring_into_block(&rc, FS, &b), LS_OK));
    cr_assert(eq(int, ls_optx_power_split(&b, &las, &heat), LS_OK));
    cr_assert(eq(dbl, heat, rc.heater_mw));
    ls_block_destroy(&b);
    cr_assert(eq(int, ls_optx_power_split(NULL, &las, &heat), LS_EINVAL));
}

/* ---------------------------------------------------------------------------------------- */
/* Configuration rejection                                                                  */

#define REJECT(type, field, value)                                                                 \
    do {                                                                                           \
        ls_##type##_config c_;                                                                     \
        ls_##type##_config_init(&c_);                                                              \
        c_.field = (value);                                                                        \
        ls_block b_ = {(const ls_block_ops *)1, (void *)1};                                        \
        cr_assert(eq(int, ls_##type##_into_block(&c_, FS, &b_), LS_EINVAL), "%s.%s = %g", #type,   \
                  #field, (double)(value));                                                        \
        cr_assert(eq(ptr, (void *)b_.ops, NULL));                                                  \
        cr_assert(eq(ptr, b_.self, NULL));                                                         \
    } while (0)

#define REJECT_LASER(type)                                                                         \
    do {                                                                                           \
        REJECT(type, laser.laser_mw, 0.0);                                                         \
        REJECT(type, laser.laser_mw, -1.0);                                                        \
        REJECT(type, laser.laser_mw, NAN);                                                         \
        REJECT(type, laser.laser_mw, INFINITY);                                                    \
        REJECT(type, laser.rin_db_hz, NAN);                                                        \
        REJECT(type, laser.rin_db_hz, -90.0);                                                      \
        REJECT(type, laser.rin_db_hz, INFINITY);                                                   \
        REJECT(type, laser.linewidth_hz, -1.0);                                                    \
        REJECT(type, laser.linewidth_hz, NAN);                                                     \
        REJECT(type, laser.wavelength_nm, 799.0);                                                  \
        REJECT(type, laser.wavelength_nm, 1701.0);                                                 \
        REJECT(type, laser.wavelength_nm, NAN);                                                    \
        REJECT(type, laser.wall_plug_eff, 0.0);                                                    \
        REJECT(type, laser.wall_plug_eff, 1.5);                                                    \
        REJECT(type, laser.wall_plug_eff, NAN);                                                    \
        REJECT(type, laser.coupling_db, -1.0);                                                     \
        REJECT(type, laser.coupling_db, INFINITY);                                                 \
    } while (0)

Test(optx, config_rejection)
{
    REJECT_LASER(eml);
    REJECT_LASER(mzm);
    REJECT_LASER(dml);
    REJECT_LASER(ring);
    REJECT(eml, er_db, 0.0);
    REJECT(eml, er_db, -3.0);
    REJECT(eml, er_db, NAN);
    REJECT(eml, vpp_v, 0.0);
    REJECT(eml, vpp_v, -1.0);
    REJECT(eml, il_db, -0.5);
    REJECT(eml, alpha, NAN);
    REJECT(eml, shape, 0.5);
    REJECT(eml, shape, NAN);
    REJECT(mzm, vpi_v, 0.0);
    REJECT(mzm, vpi_v, NAN);
    REJECT(mzm, bias_v, NAN);
    REJECT(mzm, il_db, -1.0);
    REJECT(mzm, drive, (ls_mzm_drive)7);
    REJECT(dml, fr_hz, -1.0);
    REJECT(dml, fr_hz, 0.0);
    REJECT(dml, fr_hz, FS / 2.0);
    REJECT(dml, fr_hz, NAN);
    REJECT(dml, gamma_per_s, 0.0);
    REJECT(dml, gamma_per_s, -1e10);
    REJECT(dml, slope_w_per_a, -0.1);
    REJECT(dml, ma_per_v, NAN);
    REJECT(dml, alpha, INFINITY);
    REJECT(dml, kappa_per_w_s, -1.0);
    REJECT(ring, q_loaded, -100.0);
    REJECT(ring, q_loaded, NAN);
    REJECT(ring, q_intrinsic, 4000.0); /* <= q_loaded */
    REJECT(ring, q_intrinsic, NAN);
    REJECT(ring, fsr_ghz, 0.0);
    REJECT(ring, fsr_ghz, 50.0); /* FWHM 46 GHz > FSR / 2 */
    REJECT(ring, bias_detune_ghz, NAN);
    REJECT(ring, detune_ghz_per_v, INFINITY);
    REJECT(ring, il_db, -1.0);
    REJECT(ring, heater_mw, -1.0);
    REJECT(driver, gain_db, NAN);
    REJECT(driver, vsat_v, 0.0);
    REJECT(driver, vsat_v, -1.0);
    REJECT(driver, vsat_v, NAN);
    REJECT(driver, noise_v_rthz, -1e-9);
    REJECT(driver, supply_v, -1.0);
    REJECT(driver, current_ma, NAN);

    /* NULLs and the sample rate */
    ls_block b;
    ls_eml_config ec;
    ls_eml_config_init(&ec);
    cr_assert(eq(int, ls_eml_into_block(NULL, FS, &b), LS_EINVAL));
    cr_assert(eq(int, ls_eml_into_block(&ec, FS, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_eml_into_block(&ec, 0.0, &b), LS_EINVAL));
    cr_assert(eq(int, ls_eml_into_block(&ec, NAN, &b), LS_EINVAL));
    ls_driver_config dc;
    ls_driver_config_init(&dc);
    cr_assert(eq(int, ls_driver_into_block(&dc, -1.0, &b), LS_EINVAL));
    cr_assert(eq(int, ls_driver_into_block(NULL, FS, &b), LS_EINVAL));
    /* -INFINITY RIN, zero linewidth, infinite intrinsic Q are accepted */
    ls_ring_config rc;
    ls_ring_config_init(&rc);
    rc.laser.rin_db_hz = -INFINITY;
    rc.q_intrinsic = INFINITY;
    cr_assert(eq(int, ls_ring_into_block(&rc, FS, &b), LS_OK));
    ls_block_destroy(&b);
    ls_block_destroy(NULL);

    /* reporting on the wrong kind of block, or with bad arguments */
    ls_lowpass_config lc;
    ls_lowpass_config_init(&lc);
    cr_assert(eq(int, ls_lowpass_into_block(&lc, &b), LS_OK));
    double v = 0.0, p;
    double complex af;
    ls_laser_config l;
    cr_assert(eq(int, ls_optx_levels(&b, &v, 1, &p), LS_EINVAL));
    cr_assert(eq(int, ls_optx_small_signal(&b, 0.0, &v, &af, 1), LS_EINVAL));
    cr_assert(eq(int, ls_optx_get_laser(&b, &l), LS_EINVAL));
    ls_block_destroy(&b);
    ls_block d = make_kind(K_DRIVER, 0);
    cr_assert(eq(int, ls_optx_levels(&d, &v, 1, &p), LS_EINVAL));
    ls_block_destroy(&d);
    ls_block m = make_kind(K_MZM, 0);
    cr_assert(eq(int, ls_optx_levels(NULL, &v, 1, &p), LS_EINVAL));
    cr_assert(eq(int, ls_optx_levels(&m, NULL, 1, &p), LS_EINVAL));
    v = NAN;
    cr_assert(eq(int, ls_optx_levels(&m, &v, 1, &p), LS_EINVAL));
    cr_assert(eq(int, ls_optx_levels(&m, NULL, 0, NULL), LS_OK));
    cr_assert(eq(int, ls_optx_small_signal(&m, NAN, NULL, NULL, 0), LS_EINVAL));
    cr_assert(isnan(ls_laser_rin_var(NULL, FS)));
    ls_block_destroy(&m);
}

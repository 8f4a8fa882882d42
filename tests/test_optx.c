/* Tests of the optical modulators: MZM, EML, DML/VCSEL and microring, against closed forms
 * (docs/optics_tx.md). Laser noise and the driver: test_optx_laser_driver.c; contract tests over
 * every block and configuration rejection: test_optx_contract.c. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "optx_util.h"

#define C_LIGHT 299792458.0

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

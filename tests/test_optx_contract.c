/* Contract tests over every optical transmitter block (linearize, chunking, bit-exact process,
 * reseed/reset, no allocation, power draw) and configuration rejection (docs/optics_tx.md). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "optx_util.h"

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

Test(optx, chunked_processing_equals_one_shot_and_in_place, .timeout = LS_TIMEOUT(30))
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

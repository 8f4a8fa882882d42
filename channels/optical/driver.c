/*
 * Linear modulator driver: y = V_sat tanh(g x / V_sat) + n (docs/optics_tx.md, "Linear driver").
 *
 * The tanh law is the standard memoryless soft limiter for amplifier compression (a Taylor
 * expansion gives the third-order intercept: y ~ g x - g^3 x^3 / (3 V_sat^2)); its small-signal
 * gain is g and its output never exceeds V_sat. The output-referred noise density N (V/sqrt(Hz))
 * is white over the simulated one-sided bandwidth fs/2, so each sample carries variance
 * N^2 fs / 2. The 1 dB compression point of a sinusoid is found from the fundamental of
 * tanh(u sin t) by Simpson quadrature and bisection (ls_driver_vsat_from_p1db). The per-sample
 * tanh is ls_fastmath.h's (relative error < 1.5e-15 against libm, tests/test_fastmath.c).
 */
#include <math.h>

#include "lanesim/optx.h"
#include "lanesim/rng.h"
#include "ls_fastmath.h"
#include "ls_internal.h"

typedef struct {
    ls_block_ops ops; /* per-object copy: kind depends on the noise */
    ls_driver_config cfg;
    double g, vsat, sigma;
    ls_rng rng;
    uint64_t seed, frame;
    int quiet; /* set_quiet: no noise drawn */
} driver;

void ls_driver_config_init(ls_driver_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_driver_config){.gain_db = 12.0,
                              .vsat_v = 1.5,
                              .noise_v_rthz = 4e-9,
                              .supply_v = 2.5,
                              .current_ma = 80.0,
                              .stream = 0};
}

/* Fundamental amplitude of tanh(u sin t): (2/pi) int_0^pi tanh(u sin t) sin t dt (Simpson). */
static double tanh_fundamental(double u)
{
    const int n = 2048; /* even; the integrand is smooth and periodic: error far below 1e-12 */
    const double h = M_PI / n;
    double s = 0.0;
    for (int k = 1; k < n; k++) {
        double t = k * h;
        s += (k & 1 ? 4.0 : 2.0) * tanh(u * sin(t)) * sin(t);
    }
    return (2.0 / M_PI) * s * h / 3.0;
}

double ls_driver_vsat_from_p1db(double vout_1db_v)
{
    if (!isfinite(vout_1db_v) || !(vout_1db_v > 0))
        return NAN;
    const double target = pow(10.0, -1.0 / 20.0);
    double lo = 1e-3, hi = 4.0; /* A1(u)/u falls monotonically from 1 to 0 */
    for (int it = 0; it < 200 && hi - lo > 1e-15; it++) {
        double mid = 0.5 * (lo + hi);
        if (tanh_fundamental(mid) / mid > target)
            lo = mid;
        else
            hi = mid;
    }
    return vout_1db_v / tanh_fundamental(0.5 * (lo + hi));
}

static double drv_static(const driver *q, double x, double *slope)
{
    if (isinf(q->vsat)) {
        if (slope)
            *slope = q->g;
        return q->g * x;
    }
    double t = lsi_tanh(q->g * x / q->vsat);
    if (slope)
        *slope = q->g * (1.0 - t * t);
    return q->vsat * t;
}

/* drv_static over a block, spelled out so that it vectorizes (x == y is fine: one pass). */
LSI_SIMD_CLONES static void drv_tanh_block(double g, double vs, const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = (float)(vs * lsi_tanh(g * x[i] / vs));
}

static ls_status drv_process(void *self, const void *x, void *y, size_t n)
{
    driver *q = self;
    const float *xi = x;
    float *yo = y;
    if (n && (!x || !y))
        return LS_EINVAL;
    if (isinf(q->vsat)) {
        for (size_t i = 0; i < n; i++)
            yo[i] = (float)(q->g * xi[i]);
    } else {
        drv_tanh_block(q->g, q->vsat, xi, yo, n);
    }
    if (q->sigma > 0 && !q->quiet)
        ls_rng_gauss_add(&q->rng, yo, n, (float)q->sigma);
    return LS_OK;
}

static void drv_reseed(void *self, uint64_t seed, uint64_t frame)
{
    driver *q = self;
    q->seed = seed;
    q->frame = frame;
    ls_rng_seed(&q->rng, seed, q->cfg.stream, frame);
}

static ls_status drv_reset(void *self)
{
    driver *q = self;
    drv_reseed(q, q->seed, q->frame);
    return LS_OK;
}

static ls_status drv_linearize(const void *self, double complex x0, double complex *y0,
                               double complex *a, double complex *b)
{
    const driver *q = self;
    if (!y0 || !a || !b || !isfinite(creal(x0)))
        return LS_EINVAL;
    double s;
    *y0 = drv_static(q, creal(x0), &s);
    *a = s;
    *b = 0.0;
    return LS_OK;
}

static double drv_noise_var(const void *self)
{
    const driver *q = self;
    return q->sigma * q->sigma;
}

static void drv_set_quiet(void *self, int quiet)
{
    ((driver *)self)->quiet = quiet;
}

static double drv_power(const void *self)
{
    const driver *q = self;
    return q->cfg.supply_v * q->cfg.current_ma;
}

static int fin_ge0(double v)
{
    return isfinite(v) && v >= 0.0;
}

ls_status ls_driver_into_block(const ls_driver_config *cfg, double fs_hz, ls_block *out)
{
    if (!out)
        return LS_EINVAL;
    out->ops = NULL;
    out->self = NULL;
    if (!cfg || !isfinite(fs_hz) || !(fs_hz > 0) || !isfinite(cfg->gain_db) || isnan(cfg->vsat_v) ||
        !(cfg->vsat_v > 0) || !fin_ge0(cfg->noise_v_rthz) || !fin_ge0(cfg->supply_v) ||
        !fin_ge0(cfg->current_ma))
        return LS_EINVAL;
    driver *q = ls_alloc(sizeof *q);
    if (!q)
        return LS_ENOMEM;
    q->cfg = *cfg;
    q->g = pow(10.0, cfg->gain_db / 20.0);
    q->vsat = cfg->vsat_v;
    q->sigma = cfg->noise_v_rthz * sqrt(fs_hz / 2.0);
    q->ops = (ls_block_ops){
        .name = "driver",
        .kind = q->sigma > 0 ? LS_KIND_STATEFUL : LS_KIND_MEMORYLESS,
        .in = LS_T_F32,
        .out = LS_T_F32,
        .process = drv_process,
        .reset = drv_reset,
        .reseed = q->sigma > 0 ? drv_reseed : NULL,
        .linearize = drv_linearize,
        .noise_var = q->sigma > 0 ? drv_noise_var : NULL,
        .power_mw = drv_power,
        .destroy = ls_free,
        .set_quiet = q->sigma > 0 ? drv_set_quiet : NULL,
    };
    drv_reseed(q, 0, 0);
    out->ops = &q->ops;
    out->self = q;
    return LS_OK;
}

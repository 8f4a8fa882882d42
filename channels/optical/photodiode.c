/*
 * Optical receiver front end: photodiode (PIN/APD) and transimpedance amplifier blocks.
 *
 * Photodiode [Agrawal, Fiber-Optic Communication Systems, 4th ed., ch. 4 (photodetectors,
 * receiver noise, APD gain and excess noise); Keiser, Optical Fiber Communications, ch. 6-7]:
 *     i = M (R |E|^2 + I_d) + n,   var(n) = 2 q M^2 F (R P + I_d) fs/2 + M^2 (R P)^2 RIN fs/2
 * per sample, P = |E|^2 of that sample (signal-dependent shot noise, white over 0..fs/2), with
 * McIntyre's excess noise factor F = k_A M + (1 - k_A)(2 - 1/M) [R. J. McIntyre, "Multiplication
 * noise in uniform avalanche diodes", IEEE Trans. Electron Devices ED-13(1), 164-168, 1966].
 * The bulk dark current is multiplied with the photocurrent (surface leakage is not modelled).
 * RIN (optional) is the received light's relative intensity noise, one-sided PSD RIN (1/Hz).
 * One N(0,1) draw per sample whenever a noise term is enabled, so the stream position depends
 * only on the sample count: chunking never changes the output.
 *
 * TIA: v = Z_T (i + n_in - I_dc [AC coupling]) then optionally V_lim tanh(v / V_lim). The input
 * noise current n_in has one-sided PSD i_n^2 (1 + (f/f_c)^2). It is generated from one white
 * N(0,1) sequence w through the two-tap shaping filter n[k] = s (g0 w[k] + g1 w[k-1]),
 * s^2 = i_n^2 fs/2, g0 + g1 = 1, g0 g1 = -c^2, c = fs / (2 pi f_c):
 *     |g0 + g1 e^{-j W}|^2 = 1 + 4 c^2 sin^2(W/2) = 1 + (fs / (pi f_c))^2 sin^2(pi f / fs),
 * which is 1 + (f/f_c)^2 times (sin x / x)^2 on the f^2 term, x = pi f / fs (within 1.3 % below
 * fs/16: the whole signal band at 16+ samples per UI). g0 = (1 + sqrt(1 + 4 c^2)) / 2,
 * g1 = -c^2 / g0. The filter's memory w[k-1] is drawn at reseed, so the noise is stationary from
 * the first sample. The bandwidth is a separate filter.h low-pass block placed after the TIA.
 *
 * Both blocks draw their normals in bulk, a chunk at a time, from the same stream in the same
 * order as one draw per sample, and the limiter's tanh is ls_fastmath.h's (relative error
 * < 1.5e-15 against libm, tests/test_fastmath.c).
 */
#include <math.h>

#include "lanesim/optrx.h"
#include "lanesim/rng.h"
#include "ls_fastmath.h"
#include "ls_internal.h"

static int in_range(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

/* ---------------------------------------------------------------------------------------------
 * Photodiode
 */

void ls_photodiode_config_init(ls_photodiode_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_photodiode_config){
        .responsivity_a_w = 0.7,
        .dark_a = 0.0,
        .shot_noise = 1,
        .rin_db_hz = -INFINITY,
        .apd_gain = 1.0,
        .apd_k = 0.1,
        .fs_hz = 32.0 * 106.25e9,
        .p_op_w = 0.0,
        .stream = 0,
    };
}

ls_status ls_photodiode_validate(const ls_photodiode_config *cfg)
{
    if (!cfg)
        return LS_EINVAL;
    if (!in_range(cfg->responsivity_a_w, 0.0, 2.0) || !(cfg->responsivity_a_w > 0.0))
        return LS_EINVAL;
    if (!in_range(cfg->dark_a, 0.0, 1e-3) || !in_range(cfg->apd_gain, 1.0, 1000.0) ||
        !in_range(cfg->apd_k, 0.0, 1.0) || !in_range(cfg->fs_hz, 1e3, 1e15) ||
        !in_range(cfg->p_op_w, 0.0, 1.0))
        return LS_EINVAL;
    if (!(cfg->rin_db_hz == -INFINITY || in_range(cfg->rin_db_hz, -200.0, -80.0)))
        return LS_EINVAL;
    return LS_OK;
}

double ls_apd_excess_noise(double m, double k)
{
    if (!isfinite(m) || !isfinite(k) || m < 1.0 || k < 0.0 || k > 1.0)
        return NAN;
    return k * m + (1.0 - k) * (2.0 - 1.0 / m);
}

/* var = shot_k (R p + I_d) + rin_k (R p)^2. */
typedef struct {
    double shot_k, rin_k;
} pd_coef;

static pd_coef pd_coefs(const ls_photodiode_config *c)
{
    const double m = c->apd_gain, half = 0.5 * c->fs_hz;
    pd_coef k = {0.0, 0.0};
    if (c->shot_noise)
        k.shot_k = 2.0 * LS_Q_E * m * m * ls_apd_excess_noise(m, c->apd_k) * half;
    if (c->rin_db_hz != -INFINITY)
        k.rin_k = m * m * pow(10.0, c->rin_db_hz / 10.0) * half;
    return k;
}

double ls_photodiode_noise_var(const ls_photodiode_config *cfg, double p_w)
{
    if (ls_photodiode_validate(cfg) != LS_OK || !isfinite(p_w) || p_w < 0.0)
        return NAN;
    const pd_coef k = pd_coefs(cfg);
    const double ip = cfg->responsivity_a_w * p_w;
    return k.shot_k * (ip + cfg->dark_a) + k.rin_k * ip * ip;
}

#define PD_BLK 256 /* samples per internal chunk: the normals are drawn in bulk */

typedef struct {
    ls_photodiode_config cfg;
    pd_coef k;
    int noisy, quiet; /* quiet: set_quiet, no noise drawn */
    ls_rng rng;
    uint64_t seed, frame;
    double g[PD_BLK]; /* scratch: one chunk's N(0,1) draws */
} pd;

/* i = M (R |E|^2 + I_d) + sqrt(var) g over a chunk (g: N(0,1) draws); e may alias o as in
 * pd_process. */
LSI_SIMD_CLONES static void pd_noisy_block(double r, double id, double m, double ks, double kr,
                                           const float *e, const double *g, float *o, size_t nb)
{
    for (size_t i = 0; i < nb; i++) {
        const double re = e[2 * i], im = e[2 * i + 1];
        const double ip = r * (re * re + im * im);
        const double var = ks * (ip + id) + kr * ip * ip;
        o[i] = (float)(m * (ip + id) + sqrt(var) * g[i]);
    }
}

static ls_status pd_process(void *self, const void *x, void *y, size_t n)
{
    pd *q = self;
    const float *xi = x; /* interleaved re, im */
    float *yo = y;
    if (n && (!x || !y))
        return LS_EINVAL;
    const double r = q->cfg.responsivity_a_w, id = q->cfg.dark_a, m = q->cfg.apd_gain;
    const double ks = q->k.shot_k, kr = q->k.rin_k;
    for (size_t i0 = 0; i0 < n; i0 += PD_BLK) {
        const size_t nb = LS_MIN(PD_BLK, n - i0);
        const float *e = xi + 2 * i0;
        float *o = yo + i0;
        /* sample i is read before y[i] is written, and y[i] (float i0 + i) never lies above the
           input floats still unread (2 (i0 + i) and later): x == y works */
        if (!q->noisy || q->quiet) {
            for (size_t i = 0; i < nb; i++) {
                const double re = e[2 * i], im = e[2 * i + 1];
                o[i] = (float)(m * (r * (re * re + im * im) + id));
            }
            continue;
        }
        lsi_rng_gauss_fill_d(&q->rng, q->g, nb);
        pd_noisy_block(r, id, m, ks, kr, e, q->g, o, nb);
    }
    return LS_OK;
}

static void pd_reseed(void *self, uint64_t seed, uint64_t frame)
{
    pd *q = self;
    q->seed = seed;
    q->frame = frame;
    ls_rng_seed(&q->rng, seed, q->cfg.stream, frame);
}

static ls_status pd_reset(void *self)
{
    pd *q = self;
    pd_reseed(q, q->seed, q->frame);
    return LS_OK;
}

static ls_status pd_linearize(const void *self, double complex x0, double complex *y0,
                              double complex *a, double complex *b)
{
    const pd *q = self;
    if (!y0 || !a || !b)
        return LS_EINVAL;
    const double mr = q->cfg.apd_gain * q->cfg.responsivity_a_w;
    const double p = creal(x0) * creal(x0) + cimag(x0) * cimag(x0);
    *y0 = mr * p + q->cfg.apd_gain * q->cfg.dark_a;
    *a = mr * conj(x0);
    *b = mr * x0;
    return LS_OK;
}

static double pd_noise_var(const void *self)
{
    const pd *q = self;
    return ls_photodiode_noise_var(&q->cfg, q->cfg.p_op_w);
}

static void pd_set_quiet(void *self, int quiet)
{
    ((pd *)self)->quiet = quiet;
}

static const ls_block_ops pd_ops = {
    .name = "photodiode",
    .kind = LS_KIND_STATEFUL,
    .in = LS_T_CF32,
    .out = LS_T_F32,
    .process = pd_process,
    .reset = pd_reset,
    .reseed = pd_reseed,
    .linearize = pd_linearize,
    .noise_var = pd_noise_var,
    .destroy = ls_free,
    .set_quiet = pd_set_quiet,
};

ls_status ls_photodiode_into_block(const ls_photodiode_config *cfg, ls_block *out)
{
    if (!out)
        return LS_EINVAL;
    out->ops = NULL;
    out->self = NULL;
    if (ls_photodiode_validate(cfg) != LS_OK)
        return LS_EINVAL;
    pd *q = ls_alloc(sizeof *q);
    if (!q)
        return LS_ENOMEM;
    q->cfg = *cfg;
    q->k = pd_coefs(cfg);
    q->noisy = q->k.shot_k > 0.0 || q->k.rin_k > 0.0;
    pd_reseed(q, 0, 0);
    out->ops = &pd_ops;
    out->self = q;
    return LS_OK;
}

/* ---------------------------------------------------------------------------------------------
 * TIA
 */

void ls_tia_config_init(ls_tia_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_tia_config){
        .zt_ohm = 2000.0,
        .noise_pa_rthz = 15.0,
        .noise_fc_hz = 0.0,
        .fs_hz = 32.0 * 106.25e9,
        .vlim_v = 0.0,
        .ac_coupled = 0,
        .i_dc_a = 0.0,
        .power_mw = 0.0,
        .bw = {.type = LS_LP_BUTTERWORTH, .order = 2, .f3db_hz = 60e9},
        .stream = 0,
    };
}

ls_status ls_tia_validate(const ls_tia_config *cfg)
{
    if (!cfg)
        return LS_EINVAL;
    if (!in_range(cfg->zt_ohm, 0.0, 1e7) || !(cfg->zt_ohm > 0.0) ||
        !in_range(cfg->noise_pa_rthz, 0.0, 1e4) || !in_range(cfg->noise_fc_hz, 0.0, 1e15) ||
        !in_range(cfg->fs_hz, 1e3, 1e15) || !in_range(cfg->vlim_v, 0.0, 1e3) ||
        !in_range(cfg->i_dc_a, -1.0, 1.0) || !in_range(cfg->power_mw, 0.0, 1e6))
        return LS_EINVAL;
    if (isnan(ls_lowpass_span_s(&cfg->bw)))
        return LS_EINVAL;
    return LS_OK;
}

double ls_tia_noise_psd(const ls_tia_config *cfg, double f_hz)
{
    if (ls_tia_validate(cfg) != LS_OK || !isfinite(f_hz))
        return NAN;
    const double in = cfg->noise_pa_rthz * 1e-12;
    const double u = cfg->noise_fc_hz > 0.0 ? f_hz / cfg->noise_fc_hz : 0.0;
    return in * in * (1.0 + u * u);
}

double ls_tia_noise_psd_generated(const ls_tia_config *cfg, double f_hz)
{
    if (ls_tia_validate(cfg) != LS_OK || !isfinite(f_hz))
        return NAN;
    const double in = cfg->noise_pa_rthz * 1e-12;
    double shape = 1.0;
    if (cfg->noise_fc_hz > 0.0) {
        const double k = cfg->fs_hz / (M_PI * cfg->noise_fc_hz), s = sin(M_PI * f_hz / cfg->fs_hz);
        shape += k * k * s * s;
    }
    return in * in * shape;
}

#define TIA_BLK 256 /* samples per internal chunk: the normals are drawn in bulk */

typedef struct {
    ls_tia_config cfg;
    double sigma;  /* white input noise rms per sample (A) */
    double g0, g1; /* shaping taps (g1 = 0: white) */
    double w_prev; /* shaping filter memory */
    int quiet;     /* set_quiet: no noise drawn */
    ls_rng rng;
    uint64_t seed, frame;
    double w[TIA_BLK + 1]; /* scratch: w[0] = previous draw, then one chunk's N(0,1) draws */
} tia;

/* Output of the memoryless part for an input current (noise included in it). */
static inline double tia_map(const ls_tia_config *c, double i_in)
{
    double v = c->zt_ohm * (i_in - (c->ac_coupled ? c->i_dc_a : 0.0));
    if (c->vlim_v > 0.0)
        v = c->vlim_v * lsi_tanh(v / c->vlim_v);
    return v;
}

/* y = tia_map(x + n) over a chunk, n[k] = s (g0 w[k+1] + g1 w[k]) (w[0]: the previous draw);
 * x may alias y. */
LSI_SIMD_CLONES static void tia_noisy_block(const tia *q, const float *x, const double *w, float *y,
                                            size_t nb)
{
    const double sg = q->sigma, g0 = q->g0, g1 = q->g1, zt = q->cfg.zt_ohm, vl = q->cfg.vlim_v;
    const double idc = q->cfg.ac_coupled ? q->cfg.i_dc_a : 0.0;
    if (vl > 0.0) { /* tia_map, with its branches hoisted */
        for (size_t i = 0; i < nb; i++)
            y[i] = (float)(vl * lsi_tanh(zt * (x[i] + sg * (g0 * w[i + 1] + g1 * w[i]) - idc) / vl));
    } else {
        for (size_t i = 0; i < nb; i++)
            y[i] = (float)(zt * (x[i] + sg * (g0 * w[i + 1] + g1 * w[i]) - idc));
    }
}

static ls_status tia_process(void *self, const void *x, void *y, size_t n)
{
    tia *q = self;
    const float *xi = x;
    float *yo = y;
    if (n && (!x || !y))
        return LS_EINVAL;
    const ls_tia_config *c = &q->cfg;
    if (!(q->sigma > 0.0) || q->quiet) {
        for (size_t i = 0; i < n; i++)
            yo[i] = (float)tia_map(c, xi[i]);
        return LS_OK;
    }
    for (size_t i0 = 0; i0 < n; i0 += TIA_BLK) {
        const size_t nb = LS_MIN(TIA_BLK, n - i0);
        double *w = q->w;
        w[0] = q->w_prev;
        lsi_rng_gauss_fill_d(&q->rng, w + 1, nb);
        tia_noisy_block(q, xi + i0, w, yo + i0, nb);
        q->w_prev = w[nb];
    }
    return LS_OK;
}

static void tia_reseed(void *self, uint64_t seed, uint64_t frame)
{
    tia *q = self;
    q->seed = seed;
    q->frame = frame;
    ls_rng_seed(&q->rng, seed, q->cfg.stream, frame);
    q->w_prev = (q->sigma > 0.0 && q->g1 != 0.0) ? ls_rng_gauss(&q->rng) : 0.0;
}

static ls_status tia_reset(void *self)
{
    tia *q = self;
    tia_reseed(q, q->seed, q->frame);
    return LS_OK;
}

static ls_status tia_linearize(const void *self, double complex x0, double complex *y0,
                               double complex *a, double complex *b)
{
    const tia *q = self;
    if (!y0 || !a || !b)
        return LS_EINVAL;
    const ls_tia_config *c = &q->cfg;
    const double v = c->zt_ohm * (creal(x0) - (c->ac_coupled ? c->i_dc_a : 0.0));
    double gain = c->zt_ohm;
    if (c->vlim_v > 0.0) {
        const double t = lsi_tanh(v / c->vlim_v);
        gain *= 1.0 - t * t;
    }
    *y0 = tia_map(c, creal(x0));
    *a = gain;
    *b = 0.0;
    return LS_OK;
}

static double tia_noise_var(const void *self)
{
    const tia *q = self;
    return q->cfg.zt_ohm * q->cfg.zt_ohm * q->sigma * q->sigma;
}

static double tia_power(const void *self)
{
    const tia *q = self;
    return q->cfg.power_mw;
}

static void tia_set_quiet(void *self, int quiet)
{
    ((tia *)self)->quiet = quiet;
}

static const ls_block_ops tia_ops = {
    .name = "tia",
    .kind = LS_KIND_STATEFUL,
    .in = LS_T_F32,
    .out = LS_T_F32,
    .process = tia_process,
    .reset = tia_reset,
    .reseed = tia_reseed,
    .linearize = tia_linearize,
    .noise_var = tia_noise_var,
    .power_mw = tia_power,
    .destroy = ls_free,
    .set_quiet = tia_set_quiet,
};

ls_status ls_tia_into_block(const ls_tia_config *cfg, ls_block *out)
{
    if (!out)
        return LS_EINVAL;
    out->ops = NULL;
    out->self = NULL;
    if (ls_tia_validate(cfg) != LS_OK)
        return LS_EINVAL;
    tia *q = ls_alloc(sizeof *q);
    if (!q)
        return LS_ENOMEM;
    q->cfg = *cfg;
    q->sigma = cfg->noise_pa_rthz * 1e-12 * sqrt(0.5 * cfg->fs_hz);
    q->g0 = 1.0;
    q->g1 = 0.0;
    if (cfg->noise_fc_hz > 0.0) {
        const double c = cfg->fs_hz / (2.0 * M_PI * cfg->noise_fc_hz);
        q->g0 = 0.5 * (1.0 + sqrt(1.0 + 4.0 * c * c));
        q->g1 = -c * c / q->g0;
    }
    tia_reseed(q, 0, 0);
    out->ops = &tia_ops;
    out->self = q;
    return LS_OK;
}

ls_status ls_tia_bw_into_block(const ls_tia_config *cfg, ls_block *out)
{
    if (!out)
        return LS_EINVAL;
    out->ops = NULL;
    out->self = NULL;
    if (ls_tia_validate(cfg) != LS_OK)
        return LS_EINVAL;
    return ls_lowpass_into_block(&cfg->bw, out);
}

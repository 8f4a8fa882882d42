/*
 * Laser and optical modulators (EML/EAM, Mach-Zehnder, DML/VCSEL, microring) as F32 -> CF32 blocks.
 * Equations and sources: docs/optics_tx.md; summary:
 *
 *  - laser: E_L = sqrt(P0 (1 + r)) exp(j phi), r white Gaussian with variance 10^(RIN/10) fs/2
 *    per sample (one-sided RIN over the simulated band [Coldren, Corzine & Mashanovitch, Diode
 *    Lasers and Photonic Integrated Circuits, 2nd ed., ch. 5]); phi a Wiener process with
 *    increment variance 2 pi linewidth / fs (Lorentzian line of FWHM = linewidth [Henry, IEEE
 *    JQE 18(2) 1982]).
 *  - EML: T(v) = T_on exp(-c ((V_on - v)/Vpp)^s), c = ER ln10/10 (Beer-Lambert with an
 *    absorption that grows with reverse bias); E = E_L sqrt(T) exp(j alpha/2 ln T) (alpha-factor
 *    chirp: phi = alpha/2 ln P [Koyama & Iga, JLT 6(1) 1988]).
 *  - MZM: push-pull E = E_L L cos(pi (v + vb) / (2 Vpi)); single-arm E = E_L L (1 + e^{j u})/2
 *    [Seimetz, High-Order Modulation for Optical Fiber Transmission, Springer 2009].
 *  - DML: i_f = H(f) i, H = wr^2 / (wr^2 - w^2 + j w gamma) (small-signal rate equations,
 *    Coldren & Corzine ch. 5), implemented by the bilinear transform prewarped at f_r;
 *    P = max(0, P0 + eta i_f); chirp dnu = alpha/(4 pi) (d ln P/dt + kappa (P - P0))
 *    [Koch & Bowers, Electron. Lett. 20(25) 1984], integrated exactly for the transient part
 *    (alpha/2 ln(P/P0)) and by a running sum for the adiabatic part.
 *  - ring: t = (a - r e^{j theta}) / (1 - a r e^{j theta}) [Bogaerts et al., Laser Photonics Rev.
 *    6(1) 2012], theta = 2 pi delta / FSR; the detuning follows the drive through a
 *    first-order low-pass of time constant tau = Q_l lambda / (2 pi c) (photon lifetime),
 *    implemented with the step-invariant recursion u += (1 - e^{-1/(fs tau)}) (v - u).
 *
 * Every model is "drive -> dynamics (DML, ring) -> static field map -> laser noise". The static
 * map also serves linearize, small_signal and ls_optx_levels, so they agree with process
 * by construction. The laser noise draws, per sample, one normal from the RIN stream (if RIN is
 * on) and one from the phase stream (if the linewidth is > 0); the phase stream is the RIN stream
 * jumped by 2^128, so the two never overlap and switching one off leaves the other's realisation
 * unchanged. Computation is in double; outputs are rounded to float.
 *
 * Speed: the map is kept in polar form E = A exp(j th), so the chirp, laser and adiabatic phases
 * add into one angle and each sample costs one exp and one sincos (phy/core/ls_fastmath.h:
 * relative error < 1e-15, tested against libm), none when there is no phase at all. process
 * works in chunks of MOD_BLK samples, pass by pass (drive dynamics, map, noise, phasor), so the
 * map and phasor loops vectorize and the normals come from one bulk call per stream.
 *
 * Files (calls form a DAG; modulator_internal.h holds the shared state and prototypes):
 *  - modulator.c (this file): the chunked process, its SIMD-clone kernels, the block ops
 *    (linearize, small_signal, power, ...) and the object;
 *  - laser.c: laser defaults and validation, RIN variance, the RIN and phase streams;
 *  - modulator_map.c: the static field maps of the four devices and their derivatives;
 *  - modulator_devices.c: EML, MZM, DML/VCSEL, ring defaults, validation and _into_block;
 *  - optx.c: the ls_optx_* queries on a modulator block, dBm <-> mW.
 */
#include <math.h>
#include <string.h>

#include "ls_internal.h"
#include "modulator_internal.h"

/* ---------------------------------------------------------------------------------------- */
/* Chunked process: SIMD-clone kernels and the passes over one chunk                        */

/* eml_polar for shape 1 over a chunk, spelled out so that it vectorizes, times the RIN factor
 * sqrt(max(0, 1 + sig_rin g)) when g != NULL (the order of operations of the generic path). */
LSI_SIMD_CLONES static void eml_block(const lsi_mod *q, const float *restrict x,
                                      const double *restrict g, double *restrict ar,
                                      double *restrict th, size_t m)
{
    const double von = q->eml_von, ivpp = q->eml_ivpp, lnton = q->eml_lnton, c = q->eml_c, e0 = q->las.e0,
                 ha = 0.5 * q->cfg.eml.alpha, sr = q->las.sig_rin;
    for (size_t i = 0; i < m; i++) {
        double w = (von - (double)x[i]) * ivpp;
        w = w > 0.0 ? w : 0.0;
        double lnt = lnton - c * w;
        lnt = lnt > EML_LNT_MIN ? lnt : EML_LNT_MIN;
        ar[i] = e0 * lsi_exp_core(0.5 * lnt);
        th[i] = ha * lnt;
    }
    if (g)
        for (size_t i = 0; i < m; i++) {
            const double p = 1.0 + sr * g[i];
            ar[i] *= p > 0 ? sqrt(p) : 0.0;
        }
}

/* y = ar exp(j th) over a chunk (real amplitude), |th| < 1e6. */
LSI_SIMD_CLONES static void phasor_real_block(const double *restrict ar, const double *restrict th,
                                              float *restrict yf, size_t m)
{
    for (size_t i = 0; i < m; i++) {
        double sn, cs;
        lsi_sincos_core(th[i], &sn, &cs);
        yf[2 * i] = (float)(ar[i] * cs);
        yf[2 * i + 1] = (float)(ar[i] * sn);
    }
}

/* y = (ar + j ai) exp(j th) over a chunk, |th| < 1e6: phasor() without its branches. */
LSI_SIMD_CLONES static void phasor_block(const double *restrict ar, const double *restrict ai,
                                         const double *restrict th, float *restrict yf, size_t m)
{
    for (size_t i = 0; i < m; i++) {
        double sn, cs;
        lsi_sincos_core(th[i], &sn, &cs);
        yf[2 * i] = (float)(ar[i] * cs - ai[i] * sn);
        yf[2 * i + 1] = (float)(ar[i] * sn + ai[i] * cs);
    }
}

/* Drive dynamics over a chunk, u = x through the DML's biquad (transposed direct form II) or the
 * ring's first-order low-pass (serial); the MZM and the general EML have none. */
static void drive_dynamics(lsi_mod *q, const float *xi, double *restrict u, size_t m)
{
    for (size_t i = 0; i < m; i++)
        u[i] = xi[i];
    if (q->type == LSI_MOD_DML) {
        for (size_t i = 0; i < m; i++) {
            double o = q->bq_b[0] * u[i] + q->z1;
            q->z1 = q->bq_b[1] * u[i] - q->bq_a[1] * o + q->z2;
            q->z2 = q->bq_b[2] * u[i] - q->bq_a[2] * o;
            u[i] = o;
        }
    } else if (q->type == LSI_MOD_RING) {
        for (size_t i = 0; i < m; i++)
            u[i] = q->ring_u += q->ring_c * (u[i] - q->ring_u);
    }
}

/* DML adiabatic chirp: th[i] += the running phase alpha/2 kappa sum (P - P0) / fs (W), kept in
 * [-pi, pi]; P from the filtered drive u. */
static void dml_adiabatic(lsi_mod *q, const double *restrict u, double *restrict th, size_t m)
{
    const double p0 = q->las.cfg.laser_mw;
    for (size_t i = 0; i < m; i++) {
        double dp;
        const double p = lsi_dml_power(q, u[i], &dp);
        q->phi_ad += q->dml_ad * (p - p0) * 1e-3;
        if (fabs(q->phi_ad) > M_PI) /* remainder() is the identity on [-pi, pi] */
            q->phi_ad = remainder(q->phi_ad, 2.0 * M_PI);
        th[i] += q->phi_ad;
    }
}

/* Output of the fast EML path: y = ar exp(j th), real amplitude; no sincos without any phase. */
static void eml_out(const lsi_mod *q, const double *restrict ar, const double *restrict th,
                    float complex *yo, size_t m)
{
    if (q->cfg.eml.alpha == 0.0 && !(q->las.sig_phi > 0)) /* no phase at all */
        for (size_t i = 0; i < m; i++)
            yo[i] = (float complex)ar[i];
    else
        phasor_real_block(ar, th, (float *)yo, m);
}

/* Output of the general path: y = (ar + j ai) exp(j th); no sincos when every phase is 0, the
 * vectorized phasor when every |th| < 1e6, else phasor() per sample. */
static void field_out(const double *restrict ar, const double *restrict ai,
                      const double *restrict th, float complex *yo, size_t m)
{
    double mx = 0.0; /* max |th|, NaN if any is NaN */
    for (size_t i = 0; i < m; i++)
        mx = !(fabs(th[i]) <= mx) ? fabs(th[i]) : mx;
    if (mx == 0.0) {
        for (size_t i = 0; i < m; i++)
            yo[i] = (float complex)(ar[i] + I * ai[i]);
    } else if (mx < 1e6) {
        phasor_block(ar, ai, th, (float *)yo, m);
    } else {
        for (size_t i = 0; i < m; i++)
            yo[i] = (float complex)((ar[i] + I * ai[i]) * phasor(th[i]));
    }
}

/* One chunk of at most MOD_BLK samples, in passes over the scratch arrays: drive dynamics
 * (serial), static map (vectorizable for the EML) and RIN, laser and adiabatic phases (serial),
 * then one sincos per sample (vectorizable; skipped when every phase is 0). */
static void mod_chunk(lsi_mod *q, const float *xi, float complex *yo, size_t m)
{
    lsi_laser *l = &q->las;
    double *restrict u = q->s_u, *restrict ar = q->s_ar, *restrict ai = q->s_ai, *restrict th = q->s_th;
    const int rin = l->sig_rin > 0 && !q->quiet, eml = q->type == LSI_MOD_EML && q->cfg.eml.shape == 1.0;
    if (rin)
        lsi_rng_gauss_fill_d(&l->rng_rin, q->g_rin, m);
    if (eml) { /* real amplitude, bounded phase (|th| <= |alpha|/2 1414 + pi, alpha <= 20) */
        eml_block(q, xi, rin ? q->g_rin : NULL, ar, th, m);
    } else {
        drive_dynamics(q, xi, u, m);
        lsi_map_chunk(q, u, ar, ai, th, m);
        if (q->type == LSI_MOD_DML && q->dml_ad != 0)
            dml_adiabatic(q, u, th, m);
        if (rin) /* E_L = sqrt(P0 (1 + r)) */
            lsi_laser_rin_scale(l, q->g_rin, ar, ai, m);
    }
    if (l->sig_phi > 0 && !q->quiet) /* Wiener phase, kept in [-pi, pi] */
        lsi_laser_phase(l, q->g_phi, th, m);
    if (eml)
        eml_out(q, ar, th, yo, m);
    else
        field_out(ar, ai, th, yo, m);
}

/* ---------------------------------------------------------------------------------------- */
/* Block operations and the object                                                          */

static ls_status mod_process(void *self, const void *x, void *y, size_t n)
{
    lsi_mod *q = self;
    if (!n)
        return LS_OK;
    if (!x || !y)
        return LS_EINVAL;
    const float *xi = x;
    float complex *yo = y;
    if ((const void *)x == y) { /* widen in place: move the input to the upper half first */
        memmove((float *)y + n, x, n * sizeof(float));
        xi = (const float *)y + n;
    }
    /* chunk i reads x[i..] before writing y[i..]: in place, y[i] (floats 2i, 2i+1) lies below
       every input still unread (float n + i or later) */
    for (size_t i = 0; i < n; i += MOD_BLK)
        mod_chunk(q, xi + i, yo + i, LS_MIN(MOD_BLK, n - i));
    return LS_OK;
}

static void mod_reseed(void *self, uint64_t seed, uint64_t frame)
{
    lsi_mod *q = self;
    lsi_laser_reseed(&q->las, seed, frame);
}

static ls_status mod_reset(void *self)
{
    lsi_mod *q = self;
    lsi_laser_reseed(&q->las, q->las.seed, q->las.frame);
    q->z1 = q->z2 = q->phi_ad = q->ring_u = 0.0;
    return LS_OK;
}

static ls_status mod_linearize(const void *self, double complex x0, double complex *y0,
                               double complex *a, double complex *b)
{
    const lsi_mod *q = self;
    if (!y0 || !a || !b || !isfinite(creal(x0)))
        return LS_EINVAL;
    double complex d;
    *y0 = lsi_map_field(q, creal(x0), &d);
    *a = d;
    *b = 0.0;
    return LS_OK;
}

/* Frequency-dependent small-signal response dE/dv at the static drive v0 (block.h small_signal):
   the static map's derivative times the drive dynamics (DML biquad plus its adiabatic chirp,
   ring low-pass) evaluated at z^-1 = exp(-j 2 pi f / fs). */
static ls_status mod_small_signal(const void *self, double v0, const double *f_hz,
                                  double complex *a_f, size_t n)
{
    const lsi_mod *q = self;
    if (!isfinite(v0) || (n && (!f_hz || !a_f)))
        return LS_EINVAL;
    double complex d;
    const double complex e0 = lsi_map_field(q, v0, &d);
    for (size_t i = 0; i < n; i++) {
        const double complex z1 = cexp(-I * 2.0 * M_PI * f_hz[i] / q->fs); /* z^-1 */
        double complex h = d;
        if (q->type == LSI_MOD_DML) {
            double complex dyn = (q->bq_b[0] + z1 * (q->bq_b[1] + z1 * q->bq_b[2])) /
                                 (1.0 + z1 * (q->bq_a[1] + z1 * q->bq_a[2]));
            h = d * dyn;
            double dp;
            const double p = lsi_dml_power(q, v0, &dp);
            if (q->dml_ad != 0 && p > 0 && f_hz[i] != 0.0) /* j dphi_ad, dphi_ad = ad dP/(1-z^-1) */
                h += e0 * I * q->dml_ad * dp * 1e-3 * dyn / (1.0 - z1);
        } else if (q->type == LSI_MOD_RING) {
            h = d * q->ring_c / (1.0 - (1.0 - q->ring_c) * z1);
        }
        a_f[i] = h;
    }
    return LS_OK;
}

/* Laser: the power it must emit (laser_mw reaches the modulator through coupling_db) / wall-plug
   efficiency; the ring adds its heater (docs/energy.md). */
double lsi_laser_el_mw(const lsi_mod *q)
{
    return q->las.cfg.laser_mw * pow(10.0, q->las.cfg.coupling_db / 10.0) / q->las.cfg.wall_plug_eff;
}

double lsi_heater_mw(const lsi_mod *q)
{
    return q->type == LSI_MOD_RING ? q->cfg.ring.heater_mw : 0.0;
}

static double mod_power(const void *self)
{
    const lsi_mod *q = self;
    return lsi_laser_el_mw(q) + lsi_heater_mw(q);
}

static void mod_set_quiet(void *self, int quiet)
{
    ((lsi_mod *)self)->quiet = quiet;
}

/* Field-output blocks: noise_var is the variance of the relative intensity noise r per sample (block.h). */
static double mod_noise_var(const void *self)
{
    const lsi_mod *q = self;
    return q->las.sig_rin * q->las.sig_rin;
}

static const char *const mod_names[] = {"eml", "mzm", "dml", "ring"};

/* Allocates the object, sets the laser and the ops; the caller fills the model's fields. */
lsi_mod *lsi_mod_new(lsi_mod_type t, const ls_laser_config *lc, double fs)
{
    lsi_mod *q = ls_alloc(sizeof *q);
    if (!q)
        return NULL;
    q->type = t;
    q->fs = fs;
    lsi_laser_init(&q->las, lc, fs);
    lsi_laser_reseed(&q->las, 0, 0);
    const int random = lsi_laser_random(&q->las);
    q->ops = (ls_block_ops){
        .name = mod_names[t],
        .kind = (random || t == LSI_MOD_DML || t == LSI_MOD_RING) ? LS_KIND_STATEFUL
                                                                  : LS_KIND_MEMORYLESS,
        .in = LS_T_F32,
        .out = LS_T_CF32,
        .process = mod_process,
        .reset = mod_reset,
        .reseed = random ? mod_reseed : NULL,
        .linearize = mod_linearize,
        .noise_var = mod_noise_var,
        .power_mw = mod_power,
        .destroy = ls_free,
        .small_signal = mod_small_signal,
        .set_quiet = random ? mod_set_quiet : NULL,
    };
    return q;
}

/* The modulator object behind b, or NULL when b is not a modulator block. */
const lsi_mod *lsi_mod_of(const ls_block *b)
{
    if (!b || !b->ops || b->ops->process != mod_process || !b->self)
        return NULL;
    return b->self;
}

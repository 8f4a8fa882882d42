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
 */
#include <math.h>
#include <string.h>

#include "lanesim/optx.h"
#include "lanesim/rng.h"
#include "ls_fastmath.h"
#include "ls_internal.h"

#define C_LIGHT 299792458.0

typedef enum { LSI_MOD_EML, LSI_MOD_MZM, LSI_MOD_DML, LSI_MOD_RING } lsi_mod_type;

#define MOD_BLK 256 /* samples per internal chunk of process */

/* The laser: parameters and noise state, shared by every modulator. */
typedef struct {
    ls_laser_config cfg;
    double e0;               /* sqrt(P0 / 1 W) */
    double sig_rin, sig_phi; /* per-sample std of r and of the phase increment (rad) */
    ls_rng rng_rin, rng_phi;
    double phi; /* Wiener phase (rad), kept in [-pi, pi] */
    uint64_t seed, frame;
} lsi_laser;

typedef struct {
    ls_block_ops ops; /* per-object copy: the kind depends on the configuration */
    lsi_mod_type type;
    double fs;
    lsi_laser las;
    union {
        ls_eml_config eml;
        ls_mzm_config mzm;
        ls_dml_config dml;
        ls_ring_config ring;
    } cfg;
    /* derived constants */
    double loss; /* amplitude factor 10^(-il/20) (MZM, ring) */
    double eml_c, eml_von, eml_ivpp, eml_lnton; /* eml_ivpp = 1 / Vpp */
    double mzm_k;  /* pi / Vpi */
    double dml_k;  /* dP/du (mW/V) */
    double dml_ad; /* adiabatic phase per sample per W: alpha/2 kappa / fs */
    double bq_b[3], bq_a[3];
    double ring_a, ring_r, ring_c, ring_dth; /* ring_dth: d theta / d u (rad/V) */
    /* dynamic state */
    double z1, z2; /* DML biquad (transposed direct form II) */
    double phi_ad; /* DML adiabatic phase (rad) */
    double ring_u; /* ring: low-passed drive (V) */
    /* scratch for one chunk: drive, field amplitude (re, im), phase, normal draws */
    double s_u[MOD_BLK], s_ar[MOD_BLK], s_ai[MOD_BLK], s_th[MOD_BLK], g_rin[MOD_BLK], g_phi[MOD_BLK];
} lsi_mod;

/* ---------------------------------------------------------------------------------------- */
/* Laser                                                                                    */

void ls_laser_config_init(ls_laser_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_laser_config){.laser_mw = 10.0,
                             .rin_db_hz = -150.0,
                             .linewidth_hz = 1e6,
                             .wavelength_nm = 1311.0,
                             .wall_plug_eff = 0.2,
                             .coupling_db = 0.0,
                             .stream = 0};
}

static int lsi_laser_valid(const ls_laser_config *c)
{
    return isfinite(c->laser_mw) && c->laser_mw > 0 &&
           (c->rin_db_hz == -INFINITY || (isfinite(c->rin_db_hz) && c->rin_db_hz <= -100.0)) &&
           isfinite(c->linewidth_hz) && c->linewidth_hz >= 0 && c->wavelength_nm >= 800.0 &&
           c->wavelength_nm <= 1700.0 && isfinite(c->wall_plug_eff) && c->wall_plug_eff > 0 &&
           c->wall_plug_eff <= 1.0 && isfinite(c->coupling_db) && c->coupling_db >= 0.0;
}

double ls_laser_rin_var(const ls_laser_config *cfg, double fs_hz)
{
    if (!cfg || !isfinite(fs_hz) || !(fs_hz > 0) || isnan(cfg->rin_db_hz))
        return NAN;
    if (cfg->rin_db_hz == -INFINITY)
        return 0.0;
    return pow(10.0, cfg->rin_db_hz / 10.0) * fs_hz / 2.0;
}

static void lsi_laser_init(lsi_laser *l, const ls_laser_config *c, double fs)
{
    l->cfg = *c;
    l->e0 = sqrt(c->laser_mw * 1e-3);
    l->sig_rin = sqrt(ls_laser_rin_var(c, fs));
    l->sig_phi = sqrt(2.0 * M_PI * c->linewidth_hz / fs);
}

static void lsi_laser_reseed(lsi_laser *l, uint64_t seed, uint64_t frame)
{
    l->seed = seed;
    l->frame = frame;
    ls_rng_seed(&l->rng_rin, seed, l->cfg.stream, frame);
    l->rng_phi = l->rng_rin;
    ls_rng_jump(&l->rng_phi);
    l->phi = 0.0;
}

static int lsi_laser_random(const lsi_laser *l)
{
    return l->sig_rin > 0 || l->sig_phi > 0;
}

/* E_L = sqrt(P0 (1 + r)): (ar, ai)[0..m) times sqrt(max(0, 1 + sig_rin g)), g the RIN normals. */
static void lsi_laser_rin_scale(const lsi_laser *l, const double *restrict g, double *restrict ar,
                                double *restrict ai, size_t m)
{
    for (size_t i = 0; i < m; i++) {
        const double p = 1.0 + l->sig_rin * g[i], f = p > 0 ? sqrt(p) : 0.0;
        ar[i] *= f;
        ai[i] *= f;
    }
}

/* Wiener phase, kept in [-pi, pi], added to th[0..m); g: scratch for the m normals it draws. */
static void lsi_laser_phase(lsi_laser *l, double *g, double *th, size_t m)
{
    double phi = l->phi;
    lsi_rng_gauss_fill_d(&l->rng_phi, g, m);
    for (size_t i = 0; i < m; i++) {
        phi += l->sig_phi * g[i];
        if (phi > M_PI)
            phi -= 2.0 * M_PI;
        else if (phi < -M_PI)
            phi += 2.0 * M_PI;
        th[i] += phi;
    }
    l->phi = phi;
}

/* ---------------------------------------------------------------------------------------- */
/* Static field maps: E (sqrt(W)) at the effective drive u in polar form E = A exp(j th), A
 * complex (real except for the ring), so that process adds the chirp, laser and adiabatic
 * phases into one angle and evaluates one sincos per sample. With da/dth non-NULL also the
 * derivatives: dE/du = (dA/du + j A dth/du) exp(j th).                                      */

/* EML: ln T = ln T_on - c w^s, w = max(0, (V_on - u) / Vpp), floored at EML_LNT_MIN (a power
 * transmission of 1e-614, where the field is zero to double precision: it keeps exp() in range
 * and the chirp phase below alpha/2 1414 rad); |E| = e0 exp(ln T / 2), chirp phase alpha/2 ln T.
 * dlnt (optional): d ln T / du. */
#define EML_LNT_MIN (-1414.0)
static inline void eml_polar(const lsi_mod *q, double u, double *a, double *th, double *dlnt)
{
    const ls_eml_config *c = &q->cfg.eml;
    double w = (q->eml_von - u) * q->eml_ivpp;
    w = w > 0.0 ? w : 0.0; /* transparent (T_on) above V_on */
    double lnt = q->eml_lnton - q->eml_c * (c->shape == 1.0 ? w : pow(w, c->shape));
    lnt = lnt > EML_LNT_MIN ? lnt : EML_LNT_MIN;
    *a = q->las.e0 * lsi_exp_core(0.5 * lnt);
    *th = 0.5 * c->alpha * lnt;
    if (dlnt)
        *dlnt = w > 0.0 ? q->eml_c * c->shape * (c->shape == 1.0 ? 1.0 : pow(w, c->shape - 1.0)) * q->eml_ivpp
                        : 0.0;
}

static void map_polar(const lsi_mod *q, double u, double complex *a, double *th, double complex *da,
                      double *dth)
{
    const double e0 = q->las.e0;
    double complex dA = 0.0;
    double dTh = 0.0;
    switch (q->type) {
    case LSI_MOD_EML: { /* E = e0 exp(g lnt), g = (1 + j alpha) / 2 */
        double ar, dlnt;
        eml_polar(q, u, &ar, th, da ? &dlnt : NULL);
        *a = ar;
        if (da) {
            dA = ar * 0.5 * dlnt;
            dTh = 0.5 * q->cfg.eml.alpha * dlnt;
        }
        break;
    }
    case LSI_MOD_MZM: {
        /* push-pull: el cos(w/2); single arm: el (1 + e^{jw})/2 = el cos(w/2) e^{jw/2} */
        const double w = q->mzm_k * (u + q->cfg.mzm.bias_v), el = e0 * q->loss;
        double sh, ch;
        lsi_sincos(0.5 * w, &sh, &ch);
        *a = el * ch;
        dA = -el * sh * 0.5 * q->mzm_k;
        if (q->cfg.mzm.drive == LS_MZM_PUSH_PULL) {
            *th = 0.0;
        } else {
            *th = 0.5 * w;
            dTh = 0.5 * q->mzm_k;
        }
        break;
    }
    case LSI_MOD_DML: { /* E = sqrt(P) exp(j alpha/2 ln(P/P0)) above threshold */
        const double p0 = q->las.cfg.laser_mw, p = p0 + q->dml_k * u;
        if (!(p > 0)) {
            *a = 0.0;
            *th = 0.0;
            break;
        }
        *a = sqrt(p * 1e-3);
        *th = 0.5 * q->cfg.dml.alpha * log(p / p0);
        dA = *a * 0.5 * q->dml_k / p;
        dTh = 0.5 * q->cfg.dml.alpha * q->dml_k / p;
        break;
    }
    case LSI_MOD_RING:
    default: { /* t = (a - r z) / (1 - a r z), z = e^{j theta} */
        const ls_ring_config *c = &q->cfg.ring;
        const double tr = 2.0 * M_PI * (c->bias_detune_ghz + c->detune_ghz_per_v * u) / c->fsr_ghz;
        double zs, zc;
        lsi_sincos(tr, &zs, &zc);
        const double complex z = zc + I * zs, den = 1.0 - q->ring_a * q->ring_r * z;
        const double el = e0 * q->loss;
        /* num / den as num conj(den) / |den|^2: |den| >= 1 - a r > 0, so nothing over- or
           underflows and C's general complex division (a libgcc call) is not needed */
        const double nr = q->ring_a - q->ring_r * zc, ni = -q->ring_r * zs, dr = creal(den), di = cimag(den);
        const double s = el / (dr * dr + di * di);
        *a = ((nr * dr + ni * di) * s) + I * ((ni * dr - nr * di) * s);
        *th = 0.0;
        if (da)
            dA = el * q->ring_r * (q->ring_a * q->ring_a - 1.0) * I * z / (den * den) * q->ring_dth;
        break;
    }
    }
    if (da)
        *da = dA;
    if (dth)
        *dth = dTh;
}

/* exp(j th): the sincos is skipped at th == 0 (no chirp, no laser phase). */
static double complex phasor(double th)
{
    if (th == 0.0)
        return 1.0;
    double s, c;
    lsi_sincos(th, &s, &c);
    return c + I * s;
}

/* E at drive u, and dE/du when d != NULL: the arithmetic of process without the noise. */
static double complex lsi_map_field(const lsi_mod *q, double u, double complex *d)
{
    double complex a, da;
    double th, dth;
    map_polar(q, u, &a, &th, d ? &da : NULL, d ? &dth : NULL);
    const double complex p = phasor(th);
    if (d)
        *d = (da + I * a * dth) * p;
    return a * p;
}

/* The static map over a chunk of effective drives u[0..m): E = (ar + j ai) exp(j th), no noise. */
static void lsi_map_chunk(const lsi_mod *q, const double *restrict u, double *restrict ar,
                          double *restrict ai, double *restrict th, size_t m)
{
    for (size_t i = 0; i < m; i++) {
        double complex a;
        map_polar(q, u[i], &a, &th[i], NULL, NULL);
        ar[i] = creal(a);
        ai[i] = cimag(a);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Block operations                                                                         */

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
        const double p = p0 + q->dml_k * u[i];
        q->phi_ad += q->dml_ad * ((p > 0 ? p : 0.0) - p0) * 1e-3;
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
static void field_out(const double *restrict ar, const double *restrict ai, const double *restrict th,
                      float complex *yo, size_t m)
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
    const int rin = l->sig_rin > 0, eml = q->type == LSI_MOD_EML && q->cfg.eml.shape == 1.0;
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
    if (l->sig_phi > 0) /* Wiener phase, kept in [-pi, pi] */
        lsi_laser_phase(l, q->g_phi, th, m);
    if (eml)
        eml_out(q, ar, th, yo, m);
    else
        field_out(ar, ai, th, yo, m);
}

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
static ls_status mod_small_signal(const void *self, double v0, const double *f_hz, double complex *a_f,
                                  size_t n)
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
            const double p = q->las.cfg.laser_mw + q->dml_k * v0;
            if (q->dml_ad != 0 && p > 0 && f_hz[i] != 0.0) /* j dphi_ad, dphi_ad = ad dP/(1-z^-1) */
                h += e0 * I * q->dml_ad * q->dml_k * 1e-3 * dyn / (1.0 - z1);
        } else if (q->type == LSI_MOD_RING) {
            h = d * q->ring_c / (1.0 - (1.0 - q->ring_c) * z1);
        }
        a_f[i] = h;
    }
    return LS_OK;
}

/* Laser: the power it must emit (laser_mw reaches the modulator through coupling_db) / wall-plug
   efficiency; the ring adds its heater (docs/energy.md). */
static double lsi_laser_el_mw(const lsi_mod *q)
{
    return q->las.cfg.laser_mw * pow(10.0, q->las.cfg.coupling_db / 10.0) / q->las.cfg.wall_plug_eff;
}

static double lsi_heater_mw(const lsi_mod *q)
{
    return q->type == LSI_MOD_RING ? q->cfg.ring.heater_mw : 0.0;
}

static double mod_power(const void *self)
{
    const lsi_mod *q = self;
    return lsi_laser_el_mw(q) + lsi_heater_mw(q);
}

static void mod_destroy(void *self)
{
    ls_free(self);
}

/* Field-output blocks: noise_var is the variance of the relative intensity noise r per sample (block.h). */
static double mod_noise_var(const void *self)
{
    const lsi_mod *q = self;
    return q->las.sig_rin * q->las.sig_rin;
}

static const char *const mod_names[] = {"eml", "mzm", "dml", "ring"};

/* Allocates the object, sets the laser and the ops; the caller fills the model's fields. */
static lsi_mod *lsi_mod_new(lsi_mod_type t, const ls_laser_config *lc, double fs)
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
        .destroy = mod_destroy,
        .small_signal = mod_small_signal,
    };
    return q;
}

static int fin(double v)
{
    return isfinite(v);
}

static int fin_gt0(double v)
{
    return isfinite(v) && v > 0;
}

static int fin_ge0(double v)
{
    return isfinite(v) && v >= 0;
}

static int fs_ok(double fs)
{
    return fin_gt0(fs);
}

static ls_status finish(lsi_mod *q, ls_block *out)
{
    out->ops = &q->ops;
    out->self = q;
    return LS_OK;
}

static ls_status begin(ls_block *out)
{
    if (!out)
        return LS_EINVAL;
    out->ops = NULL;
    out->self = NULL;
    return LS_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* EML                                                                                      */

void ls_eml_config_init(ls_eml_config *cfg)
{
    if (!cfg)
        return;
    ls_laser_config_init(&cfg->laser);
    cfg->er_db = 5.2;
    cfg->vpp_v = 2.0;
    cfg->il_db = 3.0;
    cfg->alpha = 0.5;
    cfg->shape = 1.0;
}

ls_status ls_eml_into_block(const ls_eml_config *cfg, double fs_hz, ls_block *out)
{
    if (begin(out) != LS_OK)
        return LS_EINVAL;
    if (!cfg || !fs_ok(fs_hz) || !lsi_laser_valid(&cfg->laser) || !fin_gt0(cfg->er_db) ||
        cfg->er_db > 60.0 || !fin_gt0(cfg->vpp_v) || !fin_ge0(cfg->il_db) || !fin(cfg->alpha) ||
        fabs(cfg->alpha) > 20.0 || !(cfg->shape >= 1.0 && cfg->shape <= 4.0))
        return LS_EINVAL;
    lsi_mod *q = lsi_mod_new(LSI_MOD_EML, &cfg->laser, fs_hz);
    if (!q)
        return LS_ENOMEM;
    q->cfg.eml = *cfg;
    q->eml_c = cfg->er_db * M_LN10 / 10.0;
    q->eml_von = 0.5 * cfg->vpp_v;
    q->eml_ivpp = 1.0 / cfg->vpp_v;
    q->eml_lnton = -cfg->il_db * M_LN10 / 10.0;
    return finish(q, out);
}

/* ---------------------------------------------------------------------------------------- */
/* MZM                                                                                      */

void ls_mzm_config_init(ls_mzm_config *cfg)
{
    if (!cfg)
        return;
    ls_laser_config_init(&cfg->laser);
    cfg->drive = LS_MZM_PUSH_PULL;
    cfg->vpi_v = 4.0;
    cfg->bias_v = 2.0;
    cfg->il_db = 3.0;
}

ls_status ls_mzm_into_block(const ls_mzm_config *cfg, double fs_hz, ls_block *out)
{
    if (begin(out) != LS_OK)
        return LS_EINVAL;
    if (!cfg || !fs_ok(fs_hz) || !lsi_laser_valid(&cfg->laser) ||
        (cfg->drive != LS_MZM_PUSH_PULL && cfg->drive != LS_MZM_SINGLE_ARM) ||
        !fin_gt0(cfg->vpi_v) || !fin(cfg->bias_v) || !fin_ge0(cfg->il_db))
        return LS_EINVAL;
    lsi_mod *q = lsi_mod_new(LSI_MOD_MZM, &cfg->laser, fs_hz);
    if (!q)
        return LS_ENOMEM;
    q->cfg.mzm = *cfg;
    q->loss = pow(10.0, -cfg->il_db / 20.0);
    q->mzm_k = M_PI / cfg->vpi_v;
    return finish(q, out);
}

/* ---------------------------------------------------------------------------------------- */
/* DML / VCSEL                                                                              */

void ls_dml_config_init(ls_dml_config *cfg)
{
    if (!cfg)
        return;
    ls_laser_config_init(&cfg->laser);
    cfg->laser.rin_db_hz = -145.0;
    cfg->laser.linewidth_hz = 2e6;
    cfg->fr_hz = 30e9;
    cfg->gamma_per_s = 2.3e11;
    cfg->slope_w_per_a = 0.3;
    cfg->ma_per_v = 20.0;
    cfg->alpha = 3.0;
    cfg->kappa_per_w_s = 4e12;
}

void ls_dml_config_init_vcsel(ls_dml_config *cfg)
{
    if (!cfg)
        return;
    ls_dml_config_init(cfg);
    cfg->laser.laser_mw = 2.0;
    cfg->laser.rin_db_hz = -135.0;
    cfg->laser.linewidth_hz = 50e6;
    cfg->laser.wavelength_nm = 850.0;
    cfg->laser.wall_plug_eff = 0.3;
    cfg->fr_hz = 25e9;
    cfg->gamma_per_s = 1.9e11;
    cfg->slope_w_per_a = 0.6;
    cfg->kappa_per_w_s = 2e13;
}

ls_status ls_dml_into_block(const ls_dml_config *cfg, double fs_hz, ls_block *out)
{
    if (begin(out) != LS_OK)
        return LS_EINVAL;
    if (!cfg || !fs_ok(fs_hz) || !lsi_laser_valid(&cfg->laser) || !fin_gt0(cfg->fr_hz) ||
        !(cfg->fr_hz < 0.5 * fs_hz) || !fin_gt0(cfg->gamma_per_s) || !fin_gt0(cfg->slope_w_per_a) ||
        !fin_gt0(cfg->ma_per_v) || !fin(cfg->alpha) || fabs(cfg->alpha) > 20.0 ||
        !fin_ge0(cfg->kappa_per_w_s))
        return LS_EINVAL;
    lsi_mod *q = lsi_mod_new(LSI_MOD_DML, &cfg->laser, fs_hz);
    if (!q)
        return LS_ENOMEM;
    q->cfg.dml = *cfg;
    q->dml_k = cfg->slope_w_per_a * cfg->ma_per_v;
    q->dml_ad = 0.5 * cfg->alpha * cfg->kappa_per_w_s / fs_hz;
    /* H(s) = wr^2 / (s^2 + gamma s + wr^2), s = K (1 - z^-1) / (1 + z^-1), K prewarped at wr */
    const double wr = 2.0 * M_PI * cfg->fr_hz, g = cfg->gamma_per_s;
    const double k = wr / tan(wr / (2.0 * fs_hz)), a0 = k * k + g * k + wr * wr;
    q->bq_b[0] = wr * wr / a0;
    q->bq_b[1] = 2.0 * wr * wr / a0;
    q->bq_b[2] = wr * wr / a0;
    q->bq_a[0] = 1.0;
    q->bq_a[1] = (2.0 * wr * wr - 2.0 * k * k) / a0;
    q->bq_a[2] = (k * k - g * k + wr * wr) / a0;
    return finish(q, out);
}

/* ---------------------------------------------------------------------------------------- */
/* Ring                                                                                     */

void ls_ring_config_init(ls_ring_config *cfg)
{
    if (!cfg)
        return;
    ls_laser_config_init(&cfg->laser);
    cfg->q_loaded = 5000.0;
    cfg->q_intrinsic = 12000.0;
    cfg->fsr_ghz = 2000.0;
    cfg->bias_detune_ghz = -20.0;
    cfg->detune_ghz_per_v = 8.0;
    cfg->il_db = 1.0;
    cfg->heater_mw = 2.0;
}

ls_status ls_ring_into_block(const ls_ring_config *cfg, double fs_hz, ls_block *out)
{
    if (begin(out) != LS_OK)
        return LS_EINVAL;
    if (!cfg || !fs_ok(fs_hz) || !lsi_laser_valid(&cfg->laser) || !fin_gt0(cfg->q_loaded) ||
        isnan(cfg->q_intrinsic) || !(cfg->q_intrinsic > cfg->q_loaded) || !fin_gt0(cfg->fsr_ghz) ||
        !fin(cfg->bias_detune_ghz) || !fin(cfg->detune_ghz_per_v) || !fin_ge0(cfg->il_db) ||
        !fin_ge0(cfg->heater_mw))
        return LS_EINVAL;
    const double nu0 = C_LIGHT / (cfg->laser.wavelength_nm * 1e-9), fsr = cfg->fsr_ghz * 1e9;
    if (!(nu0 / cfg->q_loaded < 0.5 * fsr)) /* finesse > 2 */
        return LS_EINVAL;
    lsi_mod *q = lsi_mod_new(LSI_MOD_RING, &cfg->laser, fs_hz);
    if (!q)
        return LS_ENOMEM;
    q->cfg.ring = *cfg;
    q->loss = pow(10.0, -cfg->il_db / 20.0);
    const double qc = 1.0 / (1.0 / cfg->q_loaded - 1.0 / cfg->q_intrinsic);
    q->ring_a = isinf(cfg->q_intrinsic) ? 1.0 : exp(-M_PI * nu0 / (cfg->q_intrinsic * fsr));
    q->ring_r = exp(-M_PI * nu0 / (qc * fsr));
    const double tau = cfg->q_loaded / (2.0 * M_PI * nu0);
    q->ring_c = -expm1(-1.0 / (fs_hz * tau));
    q->ring_dth = 2.0 * M_PI * cfg->detune_ghz_per_v / cfg->fsr_ghz;
    return finish(q, out);
}

/* ---------------------------------------------------------------------------------------- */
/* Reporting                                                                                */

static const lsi_mod *lsi_mod_of(const ls_block *b)
{
    if (!b || !b->ops || b->ops->process != mod_process || !b->self)
        return NULL;
    return b->self;
}

ls_status ls_optx_levels(const ls_block *b, const double *drive_v, unsigned n, double *p_mw)
{
    const lsi_mod *q = lsi_mod_of(b);
    if (!q || (n && (!drive_v || !p_mw)))
        return LS_EINVAL;
    for (unsigned i = 0; i < n; i++)
        if (!isfinite(drive_v[i]))
            return LS_EINVAL;
    for (unsigned i = 0; i < n; i++) {
        double complex e = lsi_map_field(q, drive_v[i], NULL);
        p_mw[i] = (creal(e) * creal(e) + cimag(e) * cimag(e)) * 1e3;
    }
    return LS_OK;
}

ls_status ls_optx_small_signal(const ls_block *b, double v0, const double *f_hz,
                               double complex *a_f, size_t n)
{
    if (!b || !b->ops || !b->ops->small_signal || !b->self)
        return LS_EINVAL;
    return b->ops->small_signal(b->self, v0, f_hz, a_f, n);
}

ls_status ls_optx_get_laser(const ls_block *b, ls_laser_config *out)
{
    const lsi_mod *q = lsi_mod_of(b);
    if (!q || !out)
        return LS_EINVAL;
    *out = q->las.cfg;
    return LS_OK;
}

ls_status ls_optx_power_split(const ls_block *b, double *laser_mw, double *heater)
{
    const lsi_mod *q = lsi_mod_of(b);
    if (!q || !laser_mw || !heater)
        return LS_EINVAL;
    *laser_mw = lsi_laser_el_mw(q);
    *heater = lsi_heater_mw(q);
    return LS_OK;
}

double ls_dbm(double mw)
{
    return 10.0 * log10(mw);
}

double ls_mw(double dbm)
{
    return pow(10.0, dbm / 10.0);
}

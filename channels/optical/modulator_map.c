/*
 * Static field maps of the modulators: E (sqrt(W)) at the effective drive u (after the DML's or
 * the ring's dynamics), with the derivative dE/du, for process (one chunk at a time), linearize,
 * small_signal and ls_optx_levels, which therefore agree by construction. Full statement and
 * sources: modulator.c's header and docs/optics_tx.md.
 *
 *  - EML: T(v) = T_on exp(-c ((V_on - v)/Vpp)^s), c = ER ln10/10 (Beer-Lambert with an
 *    absorption that grows with reverse bias); E = E_L sqrt(T) exp(j alpha/2 ln T) (alpha-factor
 *    chirp: phi = alpha/2 ln P [Koyama & Iga, JLT 6(1) 1988]).
 *  - MZM: push-pull E = E_L L cos(pi (v + vb) / (2 Vpi)); single-arm E = E_L L (1 + e^{j u})/2
 *    [Seimetz, High-Order Modulation for Optical Fiber Transmission, Springer 2009].
 *  - DML: E = sqrt(P) exp(j alpha/2 ln(P/P0)), P = max(0, P0 + eta i_f) or the VCSEL's rollover
 *    L-I curve (lsi_dml_power in modulator_internal.h) (the transient chirp,
 *    integrated exactly [Koch & Bowers, Electron. Lett. 20(25) 1984]; the adiabatic part is a
 *    running sum in modulator.c).
 *  - ring: t = (a - r e^{j theta}) / (1 - a r e^{j theta}) [Bogaerts et al., Laser Photonics Rev.
 *    6(1) 2012], theta = 2 pi delta / FSR.
 */
#include <math.h>

#include "modulator_internal.h"

/* Static field maps: E (sqrt(W)) at the effective drive u in polar form E = A exp(j th), A
 * complex (real except for the ring), so that process adds the chirp, laser and adiabatic
 * phases into one angle and evaluates one sincos per sample. With da/dth non-NULL also the
 * derivatives: dE/du = (dA/du + j A dth/du) exp(j th).                                      */

/* EML: ln T = ln T_on - c w^s, w = max(0, (V_on - u) / Vpp), floored at EML_LNT_MIN (a power
 * transmission of 1e-614, where the field is zero to double precision: it keeps exp() in range
 * and the chirp phase below alpha/2 1414 rad); |E| = e0 exp(ln T / 2), chirp phase alpha/2 ln T.
 * dlnt (optional): d ln T / du. */
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
        const double p0 = q->las.cfg.laser_mw;
        double dp;
        const double p = lsi_dml_power(q, u, &dp);
        if (!(p > 0)) {
            *a = 0.0;
            *th = 0.0;
            break;
        }
        *a = sqrt(p * 1e-3);
        *th = 0.5 * q->cfg.dml.alpha * log(p / p0);
        dA = *a * 0.5 * dp / p;
        dTh = 0.5 * q->cfg.dml.alpha * dp / p;
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

/* E at drive u, and dE/du when d != NULL: the arithmetic of process without the noise. */
double complex lsi_map_field(const lsi_mod *q, double u, double complex *d)
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
void lsi_map_chunk(const lsi_mod *q, const double *restrict u, double *restrict ar,
                          double *restrict ai, double *restrict th, size_t m)
{
    for (size_t i = 0; i < m; i++) {
        double complex a;
        map_polar(q, u[i], &a, &th[i], NULL, NULL);
        ar[i] = creal(a);
        ai[i] = cimag(a);
    }
}

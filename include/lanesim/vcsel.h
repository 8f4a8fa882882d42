/**
 * @file vcsel.h
 * Vertical-cavity surface-emitting laser (VCSEL), directly modulated, as an F32 -> CF32 block
 * (docs/optics_tx.md "VCSEL"). The VCSEL is parameterised the way its data sheets and the VCSEL
 * literature give it, and realised by the DML block of optx.h (a Wiener model: the small-signal
 * rate-equation response, then the static L-I curve with thermal rollover):
 *
 *   j_b = I_bias - I_th (mA above threshold)
 *   f_r = D sqrt(j_b)                    (D-factor, GHz / sqrt(mA))
 *   gamma = K f_r^2 + gamma_0            (K-factor, ns; damping gamma in 1/ns, f_r in GHz)
 *   H(f) = f_r^2 / (f_r^2 - f^2 + j f gamma / (2 pi))
 *   P(j) = eta (j - j^2 / (2 j_r)),  0 <= j <= j_r  (thermal rollover at j_r; P0 = P(j_b))
 *
 * [L. A. Coldren, S. W. Corzine, M. L. Masanovic, Diode Lasers and Photonic Integrated Circuits,
 * 2nd ed., Wiley 2012, ch. 5 (small-signal response, D- and K-factors); P. Westbergh et al.,
 * "High-speed VCSELs for short reach communication", Semicond. Sci. Technol. 26, 014017, 2011
 * (D-, K-factor and gamma_0 of 850 nm VCSELs)]. The rollover is an empirical quadratic L-I law
 * (self-heating); the dynamics do not change with the instantaneous current.
 */
#ifndef LS_VCSEL_H
#define LS_VCSEL_H

#include <complex.h>
#include <stddef.h>

#include "lanesim/block.h"
#include "lanesim/optx.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** VCSEL configuration; laser.laser_mw is ignored (the power at bias follows from the L-I curve). */
typedef struct {
    ls_laser_config laser;  /**< RIN, linewidth, wavelength, wall-plug efficiency, stream */
    double ith_ma;          /**< threshold current (mA), finite, 0..100 */
    double ibias_ma;        /**< bias current (mA), > ith_ma, finite */
    double d_ghz_rtma;      /**< D-factor (GHz / sqrt(mA)), > 0, finite */
    double k_ns;            /**< K-factor (ns), >= 0, finite */
    double gamma0_per_ns;   /**< damping offset gamma_0 (1/ns), >= 0, finite (gamma > 0 overall) */
    double slope_w_per_a;   /**< slope efficiency eta at threshold (W/A), > 0, finite */
    double rollover_ma;     /**< j_r: current above threshold where the L-I curve peaks (mA);
                                 0 = no rollover, else > ibias_ma - ith_ma */
    double ma_per_v;        /**< drive transconductance (mA/V), > 0, finite */
    double alpha;           /**< linewidth enhancement factor, |alpha| <= 20 */
    double kappa_per_w_s;   /**< adiabatic chirp constant (1/(W s)), >= 0 */
} ls_vcsel_config;

/**
 * Defaults [E] (a 200G-class 850/1060 nm oxide VCSEL; docs/optics_tx.md): 850 nm, I_th 0.5 mA,
 * I_bias 6 mA, D 15 GHz/sqrt(mA) (f_r 35.2 GHz), K 0.15 ns, gamma_0 10 /ns, 0.6 W/A, rollover 30 mA, 5 mA/V,
 * alpha 3, kappa 2e13 /(W s), RIN -150 dB/Hz, linewidth 50 MHz, wall-plug efficiency 0.3.
 */
void ls_vcsel_config_init(ls_vcsel_config *cfg);

/** LS_OK when every field is in range (as documented on the fields), else LS_EINVAL. */
LS_NODISCARD ls_status ls_vcsel_validate(const ls_vcsel_config *cfg);

/** Relaxation frequency f_r = D sqrt(I_bias - I_th) (Hz); NaN for an invalid configuration. */
double ls_vcsel_fr_hz(const ls_vcsel_config *cfg);

/** Damping rate gamma = K f_r^2 + gamma_0 (1/s); NaN for an invalid configuration. */
double ls_vcsel_gamma_per_s(const ls_vcsel_config *cfg);

/** Optical power at the bias current (mW) on the L-I curve; NaN for an invalid configuration. */
double ls_vcsel_p0_mw(const ls_vcsel_config *cfg);

/** Small-signal slope dP/dI at bias (W/A): eta (1 - j_b / j_r), or eta without rollover. */
double ls_vcsel_slope_at_bias(const ls_vcsel_config *cfg);

/**
 * The closed-form intensity response H(f) = f_r^2 / (f_r^2 - f^2 + j f gamma / (2 pi)) at f[0..n)
 * (unit DC gain; continuous time, not the block's bilinear realisation). LS_EINVAL on bad input.
 */
LS_NODISCARD ls_status ls_vcsel_response(const ls_vcsel_config *cfg, const double *f_hz, double complex *h,
                                         size_t n);

/** -3 dB (electrical, |H|^2 = 1/2) modulation bandwidth of H (Hz), closed form; NaN if invalid. */
double ls_vcsel_f3db_hz(const ls_vcsel_config *cfg);

/** The DML configuration that realises the VCSEL (fr, gamma, laser_mw = P0, rollover). */
LS_NODISCARD ls_status ls_vcsel_to_dml(const ls_vcsel_config *cfg, ls_dml_config *dml);

/** Fills *out with the VCSEL block ("dml", F32 -> CF32, stateful); as ls_dml_into_block. */
LS_NODISCARD ls_status ls_vcsel_into_block(const ls_vcsel_config *cfg, double fs_hz, ls_block *out);

#ifdef __cplusplus
}
#endif

#endif

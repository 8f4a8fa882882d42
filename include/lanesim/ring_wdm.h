/**
 * @file ring_wdm.h
 * Multi-wavelength microring lane group (cpo-wdm): N lines on a DWDM grid, N all-pass ring modulators
 * in series on one bus, N add-drop rings demultiplexing at the receiver. Closed forms (Bogaerts et al.,
 * "Silicon microring resonators", Laser Photonics Rev. 6(1) 47-73, 2012, eqs. 1-5) and the blocks and
 * couplings the cpo-wdm preset builds its victim lane from. Equations: docs/cpo-wdm.md.
 *
 * Phase convention: theta = 2 pi delta / FSR, delta = light minus resonance frequency (Hz).
 *   all-pass through     t = (a - r e^{j theta}) / (1 - a r e^{j theta})
 *   add-drop through     t = (r2 a e^{j theta} - r1) / (1 - r1 r2 a e^{j theta})
 *   add-drop drop        d = -sqrt((1 - r1^2)(1 - r2^2)) sqrt(a) e^{j theta/2} / (1 - r1 r2 a e^{j theta})
 * a: round-trip amplitude; r, r1, r2: self-coupling. From the Qs (nu = c / lambda):
 *   a = exp(-pi nu / (Q_i FSR)),  r = exp(-pi nu / (Q_c FSR)),  1/Q_l = 1/Q_i + n_bus / Q_c.
 * FSR = c / (n_g L) = lambda^2 / (n_g L) in wavelength; Q = lambda / FWHM_lambda = nu / FWHM_nu; near
 * resonance |d|^2 = D0 / (1 + (2 delta / FWHM)^2) (the Lorentzian).
 */
#ifndef LS_RING_WDM_H
#define LS_RING_WDM_H

#include <complex.h>
#include <stddef.h>

#include "lanesim/block.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LS_WDM_MAX_CH 16u

/** All-pass through-port field t(theta) (a, r in (0, 1]). */
double complex ls_ring_allpass(double a, double r, double theta);
/** Add-drop ring: through and drop fields at theta (either pointer may be NULL). */
void ls_ring_add_drop(double a, double r1, double r2, double theta, double complex *thru, double complex *drop);
/** a and r of a ring with n_bus (1: all-pass, 2: symmetric add-drop) equal couplers, from the loaded and
    intrinsic Q (q_intrinsic > q_loaded; INFINITY = lossless), the optical frequency and the FSR.
    LS_EINVAL for invalid arguments or a finesse below 2. */
LS_NODISCARD ls_status ls_ring_coeffs(double nu_hz, double fsr_hz, double q_loaded, double q_intrinsic,
                                      unsigned n_bus, double *a, double *r);
/** FSR in frequency, c / (n_g L) (Hz). */
double ls_ring_fsr_hz(double n_g, double length_m);
/** FSR in wavelength, lambda^2 / (n_g L) (nm). */
double ls_ring_fsr_nm(double lambda_nm, double n_g, double length_m);
/** Q = lambda / FWHM (both in nm). */
double ls_ring_q(double lambda_nm, double fwhm_nm);
/** Lorentzian power transmission of a neighbour at detuning delta: 1 / (1 + (2 delta / FWHM)^2). */
double ls_ring_lorentzian(double delta_hz, double fwhm_hz);
/** Mean thermal tuning power of one ring (mW): the resonance must be moved red by up to the fabrication
    spread plus the temperature range times dlambda/dT; uniformly distributed, the mean shift is half of
    that: P = (spread_nm + dldt_nm_k range_k) / (2 eff_nm_per_mw). */
double ls_ring_heater_mw(double spread_nm, double range_k, double dldt_nm_k, double eff_nm_per_mw);

/** A lane group and the victim line the blocks and couplings below are for. */
typedef struct {
    unsigned n_ch;            /**< lines, 2..LS_WDM_MAX_CH */
    unsigned victim;          /**< victim line, < n_ch */
    double nu_c_hz;           /**< grid centre frequency */
    double spacing_hz;        /**< grid spacing; n_ch spacing_hz < fsr_hz */
    double fsr_hz;            /**< FSR of every ring */
    double mod_q_loaded, mod_q_intrinsic;   /**< modulator rings (all-pass) */
    double drop_q_loaded, drop_q_intrinsic; /**< receive drop rings (symmetric add-drop) */
    double bias_detune_hz;    /**< each modulator: its line minus its resonance at zero drive */
    double detune_hz_per_v;   /**< resonance shift per drive volt (as the ring block) */
    double drive_lo_v, drive_hi_v, drive_mean_v; /**< outer and mean drive at every ring */
    double line_mw[LS_WDM_MAX_CH]; /**< power of each line into the bus (mW) */
    double il;                /**< power transmission of bus waveguide and couplers (every line) */
} ls_wdm_config;

/** Defaults: 8 lines at 400 GHz around 228.7 THz (1311 nm), FSR 3600 GHz, modulator Q_l 3000 / Q_i 7200,
    drop Q_l 3000 / Q_i 30000, bias 20 GHz, 8 GHz/V, drive -1..1 V (mean 0), 5 mW per line, il 1. */
void ls_wdm_config_init(ls_wdm_config *cfg);
/** LS_OK or LS_EINVAL (every field checked). */
LS_NODISCARD ls_status ls_wdm_validate(const ls_wdm_config *cfg);
/** Frequency of line k: nu_c + (k - (n - 1)/2) spacing. */
double ls_wdm_nu_hz(const ls_wdm_config *cfg, unsigned k);
/** The other modulators on the bus at the victim's line (at their mean drive), field at baseband f. */
double complex ls_wdm_bus_field(const ls_wdm_config *cfg, double f_hz);
/** The victim's receive drop ring, field at baseband f (centred on the victim's line). */
double complex ls_wdm_drop_field(const ls_wdm_config *cfg, double f_hz);
/** LTI CF32 block "wdm_bus": ls_wdm_bus_field (insertion loss and its spectral shape on the victim). */
LS_NODISCARD ls_status ls_wdm_bus_into_block(const ls_wdm_config *cfg, ls_block *out);
/** LTI CF32 block "wdm_drop": ls_wdm_drop_field (the demultiplexer's pass band on the victim). */
LS_NODISCARD ls_status ls_wdm_drop_into_block(const ls_wdm_config *cfg, ls_block *out);

/** Aggressor k (!= victim), linearized over the drive swing (secants between drive_lo and drive_hi):
 *  imprint_per_v: the relative change of the victim's power per volt of ring k's drive (its through
 *    port at the victim's line: the aggressor's modulation imprinted on the victim);
 *  leak_w_per_v: the change of line k's power passing the victim's drop ring per volt of its drive (W/V,
 *    before the fibre: line power x il x the other rings' static through ports x ring k's own slope x
 *    |d(nu_k - nu_v)|^2). LS_EINVAL for k == victim or an invalid cfg. */
LS_NODISCARD ls_status ls_wdm_aggressor(const ls_wdm_config *cfg, unsigned k, double *imprint_per_v,
                                        double *leak_w_per_v);
/** The victim's own power slope at its drop output, W per volt of drive (secant), before the fibre. */
double ls_wdm_victim_slope(const ls_wdm_config *cfg);
/** The victim's mean power at its drop output (W), before the fibre. */
double ls_wdm_victim_mean_w(const ls_wdm_config *cfg);
/** Crosstalk ratio of the victim (dB): 10 log10(sum_k g_k^2 / g_v^2), g_k = P_mean imprint_k + leak_k and
    g_v the victim's own slope: the aggressors' summed power against the victim's signal. */
double ls_wdm_xtalk_db(const ls_wdm_config *cfg);

/** LTI F32 block "wdm_xt": g / (1 + j f / f_ring) (an aggressor's coupling into the victim's photocurrent,
    with its ring's photon-lifetime low-pass f_ring = nu / Q_l). LS_EINVAL for non-finite g or f_ring <= 0. */
LS_NODISCARD ls_status ls_wdm_coupling_into_block(double g, double f_ring_hz, ls_block *out);

#ifdef __cplusplus
}
#endif
#endif

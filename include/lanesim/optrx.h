/**
 * @file optrx.h
 * The optical channel and the optical receiver front end as pipeline blocks:
 *
 *  - fibre (LS_KIND_LTI, CF32 -> CF32): chromatic dispersion on the field envelope, attenuation,
 *    connector and splice losses, optional modal bandwidth (multimode) and a coherent multipath
 *    interference (MPI) echo;
 *  - photodiode (LS_KIND_STATEFUL, CF32 -> F32): square-law detection i = M (R |E|^2 + I_d)
 *    with signal-dependent shot noise (PIN or APD with McIntyre excess noise) and optional
 *    received intensity noise (RIN);
 *  - TIA (LS_KIND_STATEFUL, F32 -> F32): transimpedance gain, input-referred noise current
 *    (white, optionally rising as f^2 above a corner), optional AC coupling and tanh limiting;
 *    its bandwidth is a separate filter.h low-pass block (ls_tia_bw_into_block).
 *
 * Conventions (docs/optics_rx.md): the field envelope E (sqrt(W)) is the complex baseband of the
 * optical field about the carrier frequency c / wavelength, phasor e^{+j w t}, so a baseband
 * frequency f > 0 is an optical frequency above the carrier; |E|^2 is the optical power (W).
 * Propagation is e^{-j beta(w) z}. Noise variances are per sample at the block's sample rate
 * fs_hz: white noise of one-sided PSD S occupies 0..fs/2, variance S fs / 2.
 *
 * Thread safety: configuration functions and closed forms are re-entrant; a block is used by one
 * thread at a time; an LTI block's response may be called from any thread.
 */
#ifndef LS_OPTRX_H
#define LS_OPTRX_H

#include <complex.h>
#include <stddef.h>
#include <stdint.h>

#include "lanesim/block.h"
#include "lanesim/filter.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef LS_C0_M_S
/** Speed of light in vacuum (m/s), exact. */
#define LS_C0_M_S 299792458.0
#endif
#ifndef LS_Q_E
/** Elementary charge (C), exact (SI 2019). */
#define LS_Q_E 1.602176634e-19
#endif

/* =============================================================================================
 * Fibre
 */

/** How the fibre's chromatic dispersion coefficient D is obtained. */
typedef enum {
    LS_FIBRE_D_MODEL = 0, /**< D(lambda) = (S0/4) (lambda - lambda0^4 / lambda^3) (IEEE 802.3
                               cl. 121/124 footnote model, ITU-T G.652) */
    LS_FIBRE_D_FIXED = 1  /**< D = d_ps_nm_km as given */
} ls_fibre_dmode;

/** Fibre configuration. Losses are in dB of optical power. */
typedef struct {
    double length_m;        /**< fibre length (m), finite, 0..1e6 */
    double wavelength_nm;   /**< carrier wavelength (nm), finite, 800..1700 */
    ls_fibre_dmode dmode;   /**< dispersion source */
    double lambda0_nm;      /**< zero-dispersion wavelength (nm), finite, 1000..1700 (G.652:
                                 1300..1324) */
    double s0_ps_nm2_km;    /**< zero-dispersion slope S0 (ps/(nm^2 km)), finite, 0..1 */
    double d_ps_nm_km;      /**< LS_FIBRE_D_FIXED: D (ps/(nm km)), finite, |D| <= 1000 */
    double atten_db_km;     /**< attenuation (dB/km), finite, 0..100 */
    double connector_db;    /**< loss per connection (dB), finite, 0..10 */
    unsigned n_connectors;  /**< number of connections, 0..1000 */
    double splice_db;       /**< loss per splice (dB), finite, 0..10 */
    unsigned n_splices;     /**< number of splices, 0..1000 */
    double modal_bw_mhz_km; /**< 0: single-mode; > 0 (finite, <= 1e9): multimode, the field is
                                 also low-passed by a Gaussian of -3 dB bandwidth
                                 modal_bw / L (EMB x length product, MHz km) */
    double mpi_db;          /**< MPI ratio: power of the echo relative to the main signal (dB);
                                 -INFINITY (default) = none; else finite, -100..0 */
    double mpi_delay_s;     /**< echo delay (s), finite, 0..1e-6 */
    double mpi_phase_rad;   /**< echo optical phase (rad), finite: the echo is coherent with a
                                 fixed phase (0 = in phase, the worst case for intensity at DC) */
    double span_bw_hz;      /**< one-sided bandwidth (Hz) whose dispersive spread span_s and
                                 pre_s cover; set it to fs/2 of the link (exact) or to the
                                 signal's occupied bandwidth (shorter FIR); finite, 1e6..1e15 */
} ls_fibre_config;

/**
 * Defaults: 500 m of G.652 single-mode fibre at 1311 nm, lambda0 = 1310 nm, S0 = 0.093
 * ps/(nm^2 km) (docs/references.md §3.3), attenuation 0.5 dB/km (TIA-568 outside-plant maximum at
 * 1310 nm), no connections or splices counted (connector_db = 0.75, splice_db = 0.3 per item,
 * TIA-568 maxima, once counts are set), D from the model (d_ps_nm_km = 0), single-mode, no MPI
 * (mpi_delay_s = 0, mpi_phase_rad = 0), span_bw_hz = 1e12. NULL-safe.
 */
void ls_fibre_config_init(ls_fibre_config *cfg);

/** LS_OK when every field of cfg is in range (see the field comments), else LS_EINVAL. */
LS_NODISCARD ls_status ls_fibre_validate(const ls_fibre_config *cfg);

/**
 * The dispersion model D(lambda) = (S0/4) (lambda - lambda0^4 / lambda^3) (ps/(nm km)).
 * @return D, or NaN when an argument is not finite or lambda_nm <= 0
 */
double ls_fibre_d_model(double lambda_nm, double lambda0_nm, double s0_ps_nm2_km);

/** The D (ps/(nm km)) the fibre uses (model or fixed); NaN for an invalid configuration. */
double ls_fibre_d_ps_nm_km(const ls_fibre_config *cfg);

/** Accumulated chromatic dispersion D L (ps/nm); NaN for an invalid configuration. */
double ls_fibre_cd_ps_nm(const ls_fibre_config *cfg);

/** beta2 = -D lambda^2 / (2 pi c) (s^2/m); NaN for an invalid configuration. */
double ls_fibre_beta2_s2_m(const ls_fibre_config *cfg);

/** Total loss (dB): atten_db_km L/1000 + n_connectors connector_db + n_splices splice_db
 *  (the MPI echo and the modal filter do not count); NaN for an invalid configuration. */
double ls_fibre_loss_db(const ls_fibre_config *cfg);

/**
 * Transfer function of the field envelope (bulk delay beta1 L removed) at n frequencies:
 *     H(f) = 10^(-loss/20) exp(-j (beta2/2) (2 pi f)^2 L) G(f) (1 + r e^{j phi} e^{-j 2 pi f tau}),
 * G the modal Gaussian exp(-(ln 2/2)(f/B_modal)^2) (1 for single-mode), r = 10^(mpi_db/20),
 * tau = mpi_delay_s, phi = mpi_phase_rad. f may be negative. Never allocates; thread-safe.
 * @return LS_OK, or LS_EINVAL (invalid configuration, NULL arrays, non-finite frequency)
 */
LS_NODISCARD ls_status ls_fibre_response(const ls_fibre_config *cfg, const double *f_hz,
                                         double complex *h, size_t n);

/**
 * Time after t = 0 (s) holding the impulse response for signals within +-span_bw_hz:
 * the dispersive spread T_d = |beta2| L 2 pi span_bw_hz times 1.1 plus 8 / (2 pi span_bw_hz)
 * (the Fresnel ripple at the band edge), plus the modal Gaussian's span (filter.h), plus the
 * MPI delay. The bulk delay is not included (it is removed from the response).
 * @return the span, or NaN for an invalid configuration
 */
double ls_fibre_span_s(const ls_fibre_config *cfg);

/** Time before t = 0 (s): the same dispersive term (symmetric spread) plus the modal Gaussian's
 *  pre-ringing. NaN for an invalid configuration. */
double ls_fibre_pre_s(const ls_fibre_config *cfg);

/**
 * Fills *out with an LTI block ("fibre", LS_T_CF32 in and out) whose self is an ls_alloc'd
 * copy of *cfg; free it with ls_block_destroy(out). On failure *out is cleared.
 * @return LS_OK, LS_EINVAL (invalid configuration, out NULL), LS_ENOMEM
 */
LS_NODISCARD ls_status ls_fibre_into_block(const ls_fibre_config *cfg, ls_block *out);

/* =============================================================================================
 * Photodiode
 */

/** Photodiode (PIN or APD) configuration. */
typedef struct {
    double responsivity_a_w; /**< primary responsivity R (A/W), finite, (0, 2] */
    double dark_a;           /**< primary dark current I_d (A), finite, 0..1e-3 */
    int shot_noise;          /**< nonzero: add shot noise */
    double rin_db_hz;        /**< relative intensity noise of the received light (dB/Hz), for
                                  sources modelled without RIN (do not count it twice);
                                  -INFINITY = none (default), else finite, -200..-80 */
    double apd_gain;         /**< avalanche gain M, finite, 1..1000 (1 = PIN) */
    double apd_k;            /**< ionization-coefficient ratio k_A, finite, 0..1 */
    double fs_hz;            /**< sample rate (Hz), finite, 1e3..1e15: noise bandwidth fs/2 */
    double p_op_w;           /**< average received optical power (W) at which noise_var reports
                                  the noise, finite, 0..1 */
    uint64_t stream;         /**< RNG stream id (unique within a link) */
} ls_photodiode_config;

/**
 * Defaults: R = 0.7 A/W, I_d = 0, shot noise on, no RIN, PIN (M = 1, k_A = 0.1 for when M is
 * raised: Ge/Si class), fs = 32 x 106.25 GBd = 3.4e12 Hz, p_op_w = 0, stream = 0. NULL-safe.
 */
void ls_photodiode_config_init(ls_photodiode_config *cfg);

/** LS_OK when every field is in range, else LS_EINVAL. */
LS_NODISCARD ls_status ls_photodiode_validate(const ls_photodiode_config *cfg);

/**
 * McIntyre (1966) excess noise factor F = k M + (1 - k)(2 - 1/M).
 * @return F (>= 1 for M >= 1), or NaN for M < 1, k outside [0, 1] or non-finite input
 */
double ls_apd_excess_noise(double m, double k);

/**
 * Noise variance (A^2) per output sample at a constant optical power p_w (W):
 *     2 q M^2 F (R p + I_d) fs/2   [shot]   +   M^2 (R p)^2 10^(RIN/10) fs/2   [RIN]
 * (each only when enabled). This is what the block adds, sample by sample, at that power.
 * @return the variance, or NaN for an invalid configuration or p_w < 0 / not finite
 */
double ls_photodiode_noise_var(const ls_photodiode_config *cfg, double p_w);

/**
 * Fills *out with a photodiode block ("photodiode", LS_KIND_STATEFUL, CF32 -> F32): per sample
 * y = M (R |x|^2 + I_d) + sqrt(ls_photodiode_noise_var(|x|^2)) N(0,1) (A). Ops: process (x == y
 * allowed although the types differ: sample i is read before y[i] is written), reset, reseed,
 * linearize (y0 = M (R |x0|^2 + I_d), a = M R conj(x0), b = M R x0), noise_var (at p_op_w:
 * the link propagates it as white noise; the real shot noise follows the signal), destroy.
 * Initial stream: reseed(0, 0). On failure *out is cleared.
 * @return LS_OK, LS_EINVAL (invalid configuration, out NULL), LS_ENOMEM
 */
LS_NODISCARD ls_status ls_photodiode_into_block(const ls_photodiode_config *cfg, ls_block *out);

/* =============================================================================================
 * Transimpedance amplifier
 */

/** TIA configuration. */
typedef struct {
    double zt_ohm;        /**< transimpedance Z_T (ohm = V/A), finite, (0, 1e7] */
    double noise_pa_rthz; /**< input-referred noise current density i_n (pA/sqrt(Hz)), finite,
                               0..1e4; one-sided */
    double noise_fc_hz;   /**< 0: white noise; > 0 (finite): i_n^2(f) = i_n^2 (1 + (f/f_c)^2) */
    double fs_hz;         /**< sample rate (Hz), finite, 1e3..1e15 */
    double vlim_v;        /**< 0: linear; > 0 (finite): output v = V_lim tanh(v_lin / V_lim) */
    int ac_coupled;       /**< nonzero: subtract i_dc_a (the DC operating point) before the gain */
    double i_dc_a;        /**< DC input current removed by AC coupling (A), finite, |.| <= 1 */
    double power_mw;      /**< supply power (mW), finite, >= 0, reported by power_mw */
    ls_lowpass_config bw; /**< bandwidth (filter.h): a separate LTI block made by
                               ls_tia_bw_into_block; typically Butterworth or Bessel order 2/4 */
    uint64_t stream;      /**< RNG stream id (unique within a link) */
} ls_tia_config;

/**
 * Defaults: Z_T = 2000 ohm (66 dB ohm), i_n = 15 pA/sqrt(Hz) white (docs/references.md §6: 10.4
 * measured at 37 GHz, 15..25 estimated at 100+ GBd), fs = 3.4e12 Hz, linear, DC coupled, power
 * 0 mW (the preset sets it), bandwidth Butterworth order 2 at 60 GHz, stream 0. NULL-safe.
 */
void ls_tia_config_init(ls_tia_config *cfg);

/** LS_OK when every field (bw included) is in range, else LS_EINVAL. */
LS_NODISCARD ls_status ls_tia_validate(const ls_tia_config *cfg);

/** Input-referred noise current PSD at f (A^2/Hz, one-sided): i_n^2 (1 + (f/f_c)^2) (the f^2
 *  term only when f_c > 0). NaN for an invalid configuration. */
double ls_tia_noise_psd(const ls_tia_config *cfg, double f_hz);

/**
 * Noise the block generates, as the one-sided PSD of its input-referred noise current at f
 * (A^2/Hz): i_n^2 (1 + (fs / (pi f_c))^2 sin^2(pi f / fs)), the discrete shaping filter's exact
 * spectrum (equal to ls_tia_noise_psd within (sin x / x)^2, x = pi f / fs: 1.3 % of the f^2
 * term below fs/16). NaN for an invalid configuration.
 */
double ls_tia_noise_psd_generated(const ls_tia_config *cfg, double f_hz);

/**
 * Fills *out with a TIA block ("tia", LS_KIND_STATEFUL, F32 -> F32):
 *     v_lin = Z_T (x + n - (ac_coupled ? i_dc_a : 0)),
 *     y = vlim > 0 ? V_lim tanh(v_lin / V_lim) : v_lin,
 * with n the input-referred noise current (white variance i_n^2 fs/2 per sample, shaped by the
 * two-tap filter of docs/optics_rx.md when f_c > 0). Ops: process (x == y allowed), reset,
 * reseed, linearize (memoryless part at x0: y0 = y(v_lin(x0), n = 0), a = Z_T sech^2(v_lin/V_lim)
 * or Z_T, b = 0), noise_var (output-referred white part Z_T^2 i_n^2 fs/2, V^2: the f^2 excess is
 * not included), power_mw, destroy. Initial stream: reseed(0, 0). On failure *out is cleared.
 * @return LS_OK, LS_EINVAL (invalid configuration, out NULL), LS_ENOMEM
 */
LS_NODISCARD ls_status ls_tia_into_block(const ls_tia_config *cfg, ls_block *out);

/**
 * Fills *out with the TIA bandwidth: ls_lowpass_into_block(&cfg->bw, out) after validating the
 * whole configuration. Place it right after the TIA block.
 * @return LS_OK, LS_EINVAL (invalid configuration, out NULL), LS_ENOMEM
 */
LS_NODISCARD ls_status ls_tia_bw_into_block(const ls_tia_config *cfg, ls_block *out);

#ifdef __cplusplus
}
#endif
#endif

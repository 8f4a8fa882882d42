/**
 * @file optx.h
 * Optical transmitter components as pipeline blocks: the linear driver (electrical, F32 -> F32),
 * the laser (a CW source folded into every modulator) and four modulators (F32 -> CF32): the
 * electro-absorption modulated laser (EML / EAM), the Mach-Zehnder modulator (MZM), the directly
 * modulated laser (DML or VCSEL) and the microring modulator (CPO).
 *
 * Signals: the drive is a voltage (V) at the link's sample rate fs = sps * baud; the optical output
 * is the complex field envelope E (sqrt(W)) at the same rate, with the optical power P = |E|^2 (W).
 * The phase of E is relative to the laser's carrier at bias (chirp and laser phase noise).
 *
 * Bandwidth: the driver's and the EML's / MZM's electrical bandwidth are not modelled here: the
 * link preset places an LTI low-pass (filter.h) before the block. The DML's relaxation-oscillation
 * response and the ring's photon-lifetime limit are intrinsic to the device and are inside the
 * block (stateful, deterministic).
 *
 * Randomness: the laser's relative intensity noise (RIN) and phase noise (linewidth), and the
 * driver's output noise, each come from the block's own ls_rng stream (seed, stream, frame),
 * restarted by `reseed`: the output is a pure function of (seed, frame, input), whatever the
 * chunk sizes.
 *
 * Every `process` never allocates, prints or exits; x == y is allowed (for F32 -> CF32 the buffer
 * must hold n complex samples); partial overlap is not. Objects are not thread-safe: one per
 * stream. Equations and sources: docs/optics_tx.md.
 */
#ifndef LS_OPTX_H
#define LS_OPTX_H

#include <complex.h>
#include <stddef.h>
#include <stdint.h>

#include "lanesim/block.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Linear driver                                                                               */

/**
 * Linear (analog) modulator driver, F32 -> F32:
 *     y = V_sat tanh(g x / V_sat) + n,   g = 10^(gain_db / 20),
 * n white Gaussian of standard deviation noise_v_rthz * sqrt(fs / 2) per sample (output-referred,
 * one-sided density over the simulation bandwidth fs / 2). With vsat_v = INFINITY, y = g x + n.
 * Kind: LS_KIND_STATEFUL when noise_v_rthz > 0 (owns an RNG stream), else LS_KIND_MEMORYLESS.
 * The driver's bandwidth is a separate LTI low-pass (ls_lowpass_into_block) placed by the preset.
 */
typedef struct {
    double gain_db;      /**< small-signal voltage gain (dB, 20 log10), finite */
    double vsat_v;       /**< output saturation voltage V_sat (V), > 0; INFINITY = no compression.
                              See ls_driver_vsat_from_p1db for a P1dB-specified driver */
    double noise_v_rthz; /**< output-referred noise density (V/sqrt(Hz)), >= 0, finite */
    double supply_v;     /**< supply voltage (V), >= 0, finite */
    double current_ma;   /**< supply current (mA), >= 0, finite; power_mw = supply_v current_ma */
    uint64_t stream;     /**< RNG stream id (unique within a link) */
} ls_driver_config;

/**
 * Defaults [E, docs/optics_tx.md]: gain 12 dB, V_sat 1.5 V, noise 4e-9 V/sqrt(Hz)
 * (about 1 mV rms over 60 GHz), supply 2.5 V x 80 mA (200 mW), stream 0.
 */
void ls_driver_config_init(ls_driver_config *cfg);

/**
 * V_sat of the tanh law from the output 1 dB compression point measured with a sinusoid: the
 * fundamental's output amplitude (V peak) at which the large-signal gain is 1 dB below g.
 * V_sat = vout_1db_v / A1(u1), where A1(u) = (2/pi) int_0^pi tanh(u sin t) sin t dt and u1 solves
 * A1(u1) = 10^(-1/20) u1 (u1 = 0.71270, A1(u1) = 0.63519: V_sat = 1.5743 vout_1db_v). Computed
 * by quadrature and bisection; never allocates; thread-safe.
 * @param vout_1db_v  output amplitude at 1 dB compression (V peak), > 0 and finite
 * @return V_sat (V), or NaN for an invalid argument
 */
double ls_driver_vsat_from_p1db(double vout_1db_v);

/**
 * Fills *out with a driver block ("driver", F32 -> F32) at sample rate fs_hz.
 * @return LS_OK; LS_EINVAL (NULL cfg/out, invalid field, fs_hz not finite and > 0); LS_ENOMEM.
 *         On failure *out is cleared.
 */
LS_NODISCARD ls_status ls_driver_into_block(const ls_driver_config *cfg, double fs_hz,
                                            ls_block *out);

/* ------------------------------------------------------------------------------------------ */
/* Laser (shared by every modulator)                                                           */

/**
 * CW laser: power P0, relative intensity noise and phase noise. Its field is
 *     E_L[n] = sqrt(P0 (1 + r[n])) exp(j phi[n])   (the square root is clipped at 1 + r < 0),
 * r[n] white Gaussian, variance 10^(rin_db_hz / 10) fs / 2 (one-sided RIN over fs / 2);
 * phi[n] = phi[n-1] + sqrt(2 pi linewidth_hz / fs) N(0,1) (Wiener phase, Lorentzian line of FWHM
 * linewidth_hz), phi = 0 at the start of every frame. For the DML the RIN multiplies the modulated
 * power P(t), as for the external modulators it multiplies P0.
 */
typedef struct {
    double laser_mw;      /**< CW optical power (mW), > 0, finite. DML: the power at the bias
                               current (the average power for a DC-free drive) */
    double rin_db_hz;     /**< one-sided RIN (dB/Hz), <= -100 and finite, or -INFINITY (none) */
    double linewidth_hz;  /**< FWHM linewidth (Hz), >= 0, finite; 0 = no phase noise */
    double wavelength_nm; /**< vacuum wavelength (nm), 800..1700 */
    double wall_plug_eff; /**< optical / electrical power, (0, 1]: the laser draws its emitted power / eff */
    double coupling_db;   /**< loss (dB, >= 0, finite) between the laser and the modulator (the external
                               laser source of CPO): laser_mw arrives, laser_mw 10^(coupling_db / 10) is
                               emitted, so power_mw = laser_mw 10^(coupling_db / 10) / wall_plug_eff */
    uint64_t stream;      /**< RNG stream id (unique within a link) */
} ls_laser_config;

/**
 * Defaults [E, docs/optics_tx.md]: 10 mW, RIN -150 dB/Hz, linewidth 1 MHz, 1311 nm,
 * wall-plug efficiency 0.2, no coupling loss, stream 0.
 */
void ls_laser_config_init(ls_laser_config *cfg);

/**
 * Per-sample variance of the relative intensity noise r at sample rate fs_hz:
 * 10^(rin_db_hz / 10) fs_hz / 2 (0 when rin_db_hz = -INFINITY).
 * @return the variance, or NaN for NULL cfg or fs_hz not finite and > 0
 */
double ls_laser_rin_var(const ls_laser_config *cfg, double fs_hz);

/* ------------------------------------------------------------------------------------------ */
/* EML / EAM                                                                                   */

/**
 * Electro-absorption modulator with its laser (EML), F32 -> CF32. With v the drive (V) relative to
 * the bias, V_on = vpp_v / 2 the drive at the "on" (least absorbing) extreme, c = er_db ln(10)/10:
 *     T(v) = T_on exp(-c ((V_on - v) / vpp_v)^shape)  for v < V_on,  T(v) = T_on  for v >= V_on,
 *     T_on = 10^(-il_db / 10),
 * so 10 log10(T(+vpp/2) / T(-vpp/2)) = er_db exactly (Beer-Lambert absorption growing with reverse
 * bias; shape = 1 is the exponential law, dB-linear in v). Field (alpha-factor chirp):
 *     E = E_L sqrt(T(v)) exp(j (alpha / 2) ln T(v)).
 * The EAM's electrical bandwidth is an LTI low-pass before the block (the preset's job).
 */
typedef struct {
    ls_laser_config laser; /**< the DFB section */
    double er_db;          /**< static extinction ratio between v = -vpp/2 and +vpp/2 (dB), > 0,
                                <= 60 */
    double vpp_v;          /**< drive swing the ER refers to (V peak-to-peak), > 0, finite */
    double il_db;          /**< insertion loss at the on extreme (dB), >= 0, finite */
    double alpha;          /**< chirp (linewidth enhancement) factor, finite, |alpha| <= 20 */
    double shape;          /**< exponent of the absorption law, 1..4 (1 = exponential law) */
} ls_eml_config;

/**
 * Defaults: laser defaults; er_db 5.2, vpp_v 2.0 (the 200G/lane EML of docs/references.md §6, its
 * dynamic ER used as the static one [S, secondary]); il_db 3, alpha 0.5, shape 1 [E].
 */
void ls_eml_config_init(ls_eml_config *cfg);

/** Fills *out with an EML block ("eml", F32 -> CF32). Returns as ls_driver_into_block. */
LS_NODISCARD ls_status ls_eml_into_block(const ls_eml_config *cfg, double fs_hz, ls_block *out);

/* ------------------------------------------------------------------------------------------ */
/* Mach-Zehnder                                                                                */

/** MZM drive configuration. */
typedef enum {
    LS_MZM_PUSH_PULL = 0, /**< both arms driven in antiphase: chirp-free */
    LS_MZM_SINGLE_ARM = 1 /**< one arm driven: chirped (phase = half the differential phase) */
} ls_mzm_drive;

/**
 * Mach-Zehnder modulator with its laser, F32 -> CF32. With u = pi (v + bias_v) / vpi_v and the
 * amplitude loss L = 10^(-il_db / 20):
 *     push-pull:  E = E_L L cos(u / 2)                (real: no chirp; P = P_L L^2 cos^2(u/2))
 *     single-arm: E = E_L L (1 + exp(j u)) / 2 = E_L L cos(u / 2) exp(j u / 2).
 * vpi_v is the (differential) voltage that swings the output from maximum to null; bias_v =
 * vpi_v / 2 is quadrature (half power).
 */
typedef struct {
    ls_laser_config laser;
    ls_mzm_drive drive; /**< push-pull or single-arm */
    double vpi_v;       /**< half-wave voltage (V), > 0, finite */
    double bias_v;      /**< bias (V), finite; vpi_v / 2 = quadrature */
    double il_db;       /**< insertion loss (dB), >= 0, finite */
} ls_mzm_config;

/** Defaults: laser defaults; push-pull, vpi_v 4, bias_v 2 (quadrature), il_db 3 [E]. */
void ls_mzm_config_init(ls_mzm_config *cfg);

/** Fills *out with an MZM block ("mzm", F32 -> CF32). Returns as ls_driver_into_block. */
LS_NODISCARD ls_status ls_mzm_into_block(const ls_mzm_config *cfg, double fs_hz, ls_block *out);

/* ------------------------------------------------------------------------------------------ */
/* DML / VCSEL                                                                                 */

/**
 * Directly modulated laser (DFB DML or VCSEL), F32 -> CF32, from the small-signal solution of the
 * rate equations (Coldren & Corzine, Diode Lasers and Photonic Integrated Circuits, ch. 5):
 *   modulation current i(t) = ma_per_v v(t) (mA), filtered by the intensity response
 *     H(f) = f_r^2 / (f_r^2 - f^2 + j f gamma / (2 pi))
 *   (a biquad inside the block: bilinear transform prewarped at f_r, unit DC gain);
 *   power  P = max(0, P0 + slope_w_per_a i_f)  (mW; P0 = laser.laser_mw = slope (I_bias - I_th),
 *   so the clip at 0 is the threshold I = I_th);
 *   chirp  delta_nu = (alpha / (4 pi)) (d ln P / dt + kappa (P - P0))  (transient + adiabatic,
 *   Koch & Bowers 1984), integrated: phi = (alpha / 2) (ln(P / P0) + kappa int (P - P0) dt);
 *   E = sqrt(P (1 + r)) exp(j (phi + phi_L)) with the laser's RIN r and phase phi_L.
 * The adiabatic frequency is referred to the bias point (carrier at bias = the reference).
 */
typedef struct {
    ls_laser_config laser; /**< laser_mw = optical power at the bias current */
    double fr_hz;          /**< relaxation-oscillation frequency f_r (Hz), > 0, < fs / 2 */
    double gamma_per_s;    /**< damping rate gamma (1/s), > 0, finite */
    double slope_w_per_a;  /**< slope efficiency eta (W/A = mW/mA), > 0, finite */
    double ma_per_v;       /**< drive transconductance (mA/V), > 0, finite (20 = 50 ohm) */
    double alpha;          /**< linewidth enhancement factor, finite, |alpha| <= 20 */
    double kappa_per_w_s;  /**< adiabatic chirp constant kappa (1/(W s)), >= 0, finite; the
                                adiabatic chirp is alpha kappa / (4 pi) Hz per W */
    double rollover_ma;    /**< thermal rollover: the current above threshold j_r (mA) at which
                                the L-I curve peaks, P(j) = eta (j - j^2 / (2 j_r)) for 0 <= j <= j_r,
                                eta j_r / 2 above (VCSEL, lanesim/vcsel.h); 0 = linear (default);
                                else finite and laser_mw < eta j_r / 2 */
} ls_dml_config;

/**
 * Defaults, DFB DML [E]: 10 mW, RIN -145 dB/Hz, 1311 nm, linewidth 2 MHz; f_r 30 GHz,
 * gamma 2.3e11 /s (damping ratio gamma / (4 pi f_r) = 0.6), 0.3 W/A, 20 mA/V, alpha 3,
 * kappa 4e12 /(W s) (adiabatic chirp ~1 GHz/mW).
 */
void ls_dml_config_init(ls_dml_config *cfg);

/**
 * Defaults, 850 nm multimode VCSEL [E]: 2 mW, RIN -135 dB/Hz, linewidth 50 MHz, efficiency
 * 0.3; f_r 25 GHz, gamma 1.9e11 /s (damping ratio 0.6), 0.6 W/A, 20 mA/V, alpha 3, kappa 2e13.
 */
void ls_dml_config_init_vcsel(ls_dml_config *cfg);

/** Fills *out with a DML block ("dml", F32 -> CF32, stateful). Returns as ls_driver_into_block;
    LS_EINVAL also when fr_hz >= fs_hz / 2. */
LS_NODISCARD ls_status ls_dml_into_block(const ls_dml_config *cfg, double fs_hz, ls_block *out);

/* ------------------------------------------------------------------------------------------ */
/* Microring modulator                                                                         */

/**
 * All-pass microring modulator (CPO), F32 -> CF32. Through-port field transfer (Bogaerts et al.,
 * "Silicon microring resonators", Laser Photonics Rev. 6(1) 47-73, 2012):
 *     t(theta) = (a - r e^{j theta}) / (1 - a r e^{j theta}),   theta = 2 pi delta / FSR,
 * delta = laser minus resonance frequency (Hz). Round-trip amplitude a and self-coupling r from
 * the intrinsic and coupling Qs (1/Q_l = 1/Q_i + 1/Q_c, nu0 = c / lambda):
 *     a = exp(-pi nu0 / (Q_i FSR)),  r = exp(-pi nu0 / (Q_c FSR)).
 * The drive moves the resonance: delta(v) = bias_detune_ghz + detune_ghz_per_v v (GHz), with the
 * cavity dynamics as a first-order low-pass of the detuning (adiabatic approximation of coupled-
 * mode theory) of time constant the photon lifetime tau = Q_l lambda / (2 pi c), i.e.
 * f_3dB = 1 / (2 pi tau) = nu0 / Q_l. E = E_L 10^(-il_db / 20) t(theta).
 */
typedef struct {
    ls_laser_config laser;
    double q_loaded;         /**< loaded Q, > 0, finite; resonance FWHM nu0 / Q_l < FSR / 2 */
    double q_intrinsic;      /**< intrinsic Q, > q_loaded; INFINITY = lossless (all-pass) */
    double fsr_ghz;          /**< free spectral range (GHz), > 0, finite */
    double bias_detune_ghz;  /**< laser minus resonance at v = 0 (GHz), finite */
    double detune_ghz_per_v; /**< change of that detuning per drive volt (GHz/V), finite */
    double il_db;            /**< extra insertion loss (coupling, waveguide) (dB), >= 0, finite */
    double heater_mw;        /**< thermal tuning power (mW), >= 0, finite (added to power_mw) */
} ls_ring_config;

/**
 * Defaults [E]: laser defaults; Q_l 5000, Q_i 12000 (over-coupled), FSR 2000 GHz, bias detuning
 * -20 GHz (on the resonance's slope), 8 GHz/V (~46 pm/V at 1311 nm), il_db 1, heater 2 mW.
 */
void ls_ring_config_init(ls_ring_config *cfg);

/** Fills *out with a ring block ("ring", F32 -> CF32, stateful). Returns as
    ls_driver_into_block. */
LS_NODISCARD ls_status ls_ring_into_block(const ls_ring_config *cfg, double fs_hz, ls_block *out);

/* ------------------------------------------------------------------------------------------ */
/* Reporting and helpers (any modulator block made above)                                     */

/**
 * Static (DC, noise-free) optical power at each drive level: p_mw[i] = |E(drive_v[i])|^2 in mW,
 * with the block's dynamics at steady state (DML: H(0) = 1; ring: settled detuning). From four
 * PAM4 levels P0 < .. < P3: OMA_outer = P3 - P0, ER = 10 log10(P3 / P0), average = mean.
 * @param b        a modulator block (EML, MZM, DML, ring)
 * @param drive_v  [n] drive voltages (V), finite
 * @param n        count (arrays may be NULL when n == 0)
 * @param p_mw     [n] output (mW)
 * @return LS_OK, or LS_EINVAL (NULL, not a modulator block, non-finite drive)
 */
LS_NODISCARD ls_status ls_optx_levels(const ls_block *b, const double *drive_v, unsigned n,
                                      double *p_mw);

/**
 * Small-signal field response of a modulator around the static drive v0: a_f[i] = dE/dv (sqrt(W)
 * per V) for a drive perturbation at frequency f_hz[i], including the block's intrinsic dynamics
 * exactly as implemented (DML biquad and adiabatic chirp; ring low-pass); no RIN or laser phase.
 * At f = 0 it equals linearize's `a` (the DML's adiabatic term, an integrator, is left out at
 * f = 0 exactly). EML and MZM: a constant. A thin wrapper over the block's `small_signal` op
 * (block.h), which only the modulator blocks implement.
 * @return LS_OK, or LS_EINVAL (NULL arrays with n > 0, a block without the op, i.e. not a
 *         modulator block, v0 not finite)
 */
LS_NODISCARD ls_status ls_optx_small_signal(const ls_block *b, double v0, const double *f_hz,
                                            double complex *a_f, size_t n);

/** Copies the laser configuration of a modulator block into *laser (wavelength, RIN, ...).
    @return LS_OK, or LS_EINVAL (NULL or not a modulator block) */
LS_NODISCARD ls_status ls_optx_get_laser(const ls_block *b, ls_laser_config *laser);

/**
 * Electrical power of a modulator block, split into its laser (emitted power / wall-plug efficiency,
 * the coupling loss included: docs/energy.md) and the ring's thermal tuning heater (0 for the others).
 * Their sum is the block's power_mw. @return LS_OK, or LS_EINVAL (NULL or not a modulator block)
 */
LS_NODISCARD ls_status ls_optx_power_split(const ls_block *b, double *laser_mw, double *heater_mw);

/** mW -> dBm: 10 log10(mw) (-INFINITY for 0, NaN for negative). */
double ls_dbm(double mw);

/** dBm -> mW: 10^(dbm / 10). */
double ls_mw(double dbm);

#ifdef __cplusplus
}
#endif
#endif

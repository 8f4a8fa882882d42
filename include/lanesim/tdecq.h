/**
 * @file tdecq.h
 * TDECQ, the transmitter and dispersion eye closure for PAM4 of IEEE 802.3 cl. 121.8.5 (the method
 * every later PAM4 optical clause refers to: 138.8.5, 140.7.5, 151.8.5, and the 802.3dj drafts'
 * 180.9.x with the longer reference equalizer), measured on a sampled optical power waveform whose
 * symbols are known (a pattern-locked capture of SSPRQ or PRBS13Q). The same measurement gives TECQ
 * (at TP2, without the fibre) and SECQ (on a stressed-receiver test signal).
 *
 * Procedure (docs/tdecq.md, step by step, with the open points and the choices made):
 *  1. reference receiver: 4th-order Bessel-Thomson at f_ref = f_b/2 (121.8.5.1), bypassable;
 *  2. P_ave (mean power), OMA_outer = P3 - P0 (P3, P0: mean power over the central 2 UI of a run of
 *     seven 3s and six 0s; 121.8.4, 138.8.4), ER = 10 log10(P3/P0);
 *  3. time origin: the eye centre is half a UI after the mean crossing time of P_ave;
 *  4. the reference equalizer: T-spaced FFE w (n_taps, n_pre pre-cursors chosen in
 *     [min_pre, max_pre], sum w = 1 + b) and, 802.3dj, a 1-tap DFE b in [0, dfe_max] that subtracts
 *     b (P_ave + (OMA/2) v(previous symbol)); the taps minimize TDECQ;
 *  5. two vertical histograms, hist_width_ui wide, centred at 0.45 and 0.55 UI, of the equalized
 *     signal; thresholds P_ave - OMA/3, P_ave, P_ave + OMA/3 (121.8.5.3);
 *  6. the noise search: sigma_eq is the largest Gaussian rms at the equalizer output for which the
 *     SER of both histograms is <= target_ser; each sample contributes the probability that the
 *     noise carries it across the thresholds bounding its region;
 *  7. C_eq = sqrt(w' R w) with R the normalised autocorrelation, at T-spaced lags, of the noise at
 *     the equalizer input (white noise through a BT4 at noise_f3db_hz); sigma_G = sigma_eq / C_eq;
 *  8. TDECQ = 10 log10( OMA_outer / (6 Q_t sqrt(sigma_G^2 + sigma_S^2)) ) dB (cl. 121.8.5.3,
 *     equation (121-12) in IEEE Std 802.3-2022; docs/tdecq.md), Q_t = Q^-1(target_ser / 1.5)
 *     = 3.414 at 4.8e-4; TDECQ - 10 log10(C_eq) reported alongside.
 */
#ifndef LS_TDECQ_H
#define LS_TDECQ_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest reference FFE. */
#define LS_TDECQ_MAX_TAPS 31u
/** Largest number of points sampled across one histogram window. */
#define LS_TDECQ_MAX_POINTS 16u

/** Reference-equalizer class. */
typedef enum {
    LS_TDECQ_100G = 0, /**< 100G/lane (802.3cd/bs/cu/df): 5-tap T-spaced FFE, main tap 2nd or 3rd, no DFE */
    LS_TDECQ_200G = 1  /**< 200G/lane (802.3dj draft): 15-tap FFE, up to 3 pre-cursors, 1-tap DFE 0..0.3 */
} ls_tdecq_class;

/** Measurement configuration. */
typedef struct {
    double baud;           /**< signalling rate f_b (Bd), > 0 */
    unsigned sps;          /**< samples per UI of the waveform, 4..1024 */
    int ref_filter;        /**< nonzero: apply the BT4 reference receiver; 0: the waveform is taken as
                                already filtered */
    double f_ref_hz;       /**< reference receiver -3 dB frequency (Hz); 0 = f_b / 2 */
    double noise_f3db_hz;  /**< BT4 shaping the noise that C_eq weighs (Hz); 0 = f_ref; INFINITY =
                                white noise at the T-spaced equalizer input (C_eq = |w|) */
    unsigned n_taps;       /**< reference FFE taps, 1..LS_TDECQ_MAX_TAPS */
    unsigned min_pre, max_pre; /**< range of pre-cursor taps tried (main tap index), max_pre < n_taps */
    double dfe_max;        /**< DFE coefficient range [0, dfe_max]; 0 = no DFE; <= 1 */
    double tap_ratio_max;  /**< |w_i| / w_main <= this for i != main; 0 = no limit */
    double balance_max;    /**< |w(+1) - w(-1)| <= this (taps normalised to sum 1); 0 = no limit */
    double target_ser;     /**< target symbol error ratio, (0, 0.1); 4.8e-4 */
    double sigma_s;        /**< measurement system noise sigma_S (W), >= 0 */
    double hist_width_ui;  /**< histogram window width (UI), 0.01..0.1; 0.04 */
    double hist_left_ui, hist_right_ui; /**< window centres (UI); 0.45 and 0.55 */
    unsigned hist_points;  /**< sampling points across each window, 1..LS_TDECQ_MAX_POINTS; 5 */
    unsigned max_delay_ui; /**< symbol-sync search range: the waveform may lag the symbols by up to this
                                (or lead by up to it), in UI; 128 */
    unsigned skip_ui;      /**< UI left out at each end of the capture (filter edges); >= n_taps */
    int optimize;          /**< nonzero: minimize TDECQ over the taps (coordinate search after the
                                constrained least-squares start); 0: the least-squares taps only */
} ls_tdecq_config;

/** Results. Powers in W (the waveform's unit). */
typedef struct {
    double tdecq_db;       /**< TDECQ (dB); INFINITY when the eye does not meet the target without noise */
    double tdecq_minus_ceq_db; /**< TDECQ - 10 log10(C_eq) (dB) */
    double ceq;            /**< noise enhancement coefficient of the reference FFE */
    double sigma_g;        /**< largest noise at the equalizer input meeting the target (W) */
    double ser, ser_left, ser_right; /**< SER at sigma_G: the worse window, left, right */
    double q_t;            /**< Q_t */
    double p_ave_w, oma_outer_w, p0_w, p3_w; /**< mean power, OMA_outer, P0, P3 */
    double er_db;          /**< extinction ratio 10 log10(P3/P0) (dB); INFINITY when P0 <= 0 */
    double levels_w[4];    /**< mean equalized level of each symbol at the eye centre */
    double rlm;            /**< level separation mismatch ratio R_LM of levels_w (cl. 120D.3.1.2 form) */
    double overshoot, undershoot; /**< (P_hi - P3)/OMA and (P0 - P_lo)/OMA of the equalized waveform
                                       over the whole UI, P_hi/P_lo exceeded by 1e-2 of the samples */
    double thresholds_w[3];/**< decision thresholds */
    double taps[LS_TDECQ_MAX_TAPS]; /**< reference FFE taps (time order; sum = 1 + dfe) */
    unsigned n_taps, n_pre;/**< FFE length; pre-cursor taps (index of the main tap) */
    double dfe;            /**< DFE coefficient b */
    double t0_samples;     /**< eye centre of symbol 0 in the (filtered) waveform, samples */
    unsigned oma_run3, oma_run0; /**< run lengths of 3s and 0s the OMA was measured on */
    size_t n_symbols;      /**< symbols in the histograms (per sampling point) */
} ls_tdecq_results;

/** Defaults for a class at signalling rate baud_bd and sps: reference filter on at f_b/2, noise BT4
 *  at f_ref, target 4.8e-4, windows 0.04 UI at 0.45/0.55 UI, 5 points per window, sigma_S 0,
 *  optimize on; LS_TDECQ_100G: 5 taps, 1..2 pre-cursors, no DFE; LS_TDECQ_200G: 15 taps,
 *  0..3 pre-cursors, DFE 0..0.3; no tap-ratio or balance limit (docs/tdecq.md: draft values open). */
void ls_tdecq_config_init(ls_tdecq_config *cfg, ls_tdecq_class cls, double baud_bd, unsigned sps);

/** Q_t = Q^-1(ser / 1.5): the Q at which an ideal PAM4 eye has symbol error ratio ser (3.414 at
 *  4.8e-4); NaN outside (0, 1.5). */
double ls_tdecq_qt(double ser);

/**
 * Measures TDECQ (one shot; allocates its working memory and frees it before returning).
 * Symbol k of levels[] is expected around samples [k sps, (k+1) sps) of the waveform, give or take
 * max_delay_ui UI (the reference receiver's delay included): the engine finds the delay.
 * @param cfg    configuration (validated)
 * @param p_w    [n] optical power samples (W, or any linear unit: TDECQ is scale-invariant)
 * @param n      sample count
 * @param level  [n_sym] PAM4 level indices 0..3 of the transmitted symbols
 * @param n_sym  symbol count; the usable span (n_sym - 2 skip_ui) must be >= 1000 symbols
 * @param r      results out
 * @param msg    a one-line reason on failure (may be NULL)
 * @return LS_OK; LS_EINVAL (invalid configuration or inputs, no eye: OMA <= 0, too short, no run
 *         of at least three 0s and 3s); LS_ENOMEM; LS_EFFT
 */
LS_NODISCARD ls_status ls_tdecq_measure(const ls_tdecq_config *cfg, const float *p_w, size_t n,
                                        const uint8_t *level, size_t n_sym, ls_tdecq_results *r,
                                        char *msg, size_t cap);

/**
 * The equalized eye of a measurement: for n_ui symbols from the middle of the capture, every sample
 * of the two UI centred on each symbol's eye centre, after the reference receiver, FFE and DFE of r.
 * t_ui[i] in [0, 2) with the eye centres at 0.5 and 1.5 UI; p_w[i] the equalized power.
 * @param t_ui, p_w  [cap] outputs; *n_out = the count written (n_ui * 2 sps at most)
 * @return LS_OK; LS_EINVAL (bad arguments or r not from this waveform); LS_ENOMEM; LS_EFFT
 */
LS_NODISCARD ls_status ls_tdecq_eye(const ls_tdecq_config *cfg, const float *p_w, size_t n,
                                    const uint8_t *level, size_t n_sym, const ls_tdecq_results *r,
                                    size_t n_ui, float *t_ui, float *eq_w, size_t cap, size_t *n_out);

#ifdef __cplusplus
}
#endif
#endif

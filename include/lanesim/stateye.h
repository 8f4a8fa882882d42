/**
 * @file stateye.h
 * Statistical eye: symbol and bit error rate, eye height and width and a bathtub of a PAM-M link
 * computed from its pulse response, Gaussian noise and sampling jitter, without Monte Carlo
 * (docs/statistical.md gives the derivation, the accuracy budget and the costs).
 *
 * Model. The slicer input for symbol k sampled at phase phi (UI, 0 = the nominal instant) is
 *
 *     y_k = h0(phi) v(a_k) + sum_{j != 0} c_j(phi) v(a_{k-j}) + n_k,
 *
 * with v_i the level values of ls_pam_levels (outer levels +-1, inner ones scaled by rlm),
 * independent equiprobable symbols, n_k ~ N(0, sigma_noise^2), h0(phi) = p(main + phi sps) and
 * c_j(phi) = p(main + phi sps + j sps), p the pulse linearly interpolated between its samples and
 * zero outside them. An ideal DFE (correct past decisions) leaves the residual c_j - dfe[j-1] on
 * the post-cursors j = 1..n_dfe (dfe taps apply to v, like the cursors; taps beyond the pulse
 * add ISI). The receiver decides against fixed thresholds t_0 < ... < t_{M-2}.
 *
 * ISI distribution (IEEE 802.3 Annex 93A eqs. 93A-26/27/45, the COM PMF convolution). X = the
 * ISI sum is the convolution over cursors of {c_j v_i with probability 1/M}. It is built on a
 * uniform voltage grid of n_bins bins of width w, common to all phases (w from the largest ISI
 * span sum |c_j|), by direct sparse convolution: each cursor is M deltas, each placed on the two
 * neighbouring bins by linear interpolation (its mean is kept exactly); cursors are convolved in
 * increasing |c_j| so that the support grows late. Placement adds a known variance
 * sum f(1-f) w^2 / M per cursor (f the fractional bin position of c_j v_i); it is subtracted
 * from the Gaussian's variance, so the total variance is exact. Cursors with |c_j| < w/2, which
 * the grid cannot resolve, are not convolved: their variance c_j^2 E[v^2] goes to the Gaussian.
 * The effective noise is sigma_e^2 = sigma_noise^2 + sum_skipped c_j^2 E[v^2] - placement
 * variance (clamped at 0).
 *
 * Error probabilities, exact Gaussian tails: for level i,
 *     P(y >= u | i) = sum_k P(X = x_k) Q((u - h0 v_i - x_k) / sigma_e)   (and P(y < u | i) alike),
 * summed from the bins nearest the crossing and stopped when the rest is below 1e-13 of the sum
 * (Q = 1 is used where its argument is below -9). When sigma_e > 128 w the sum runs over a
 * coarse view: groups of bins at most sigma_e/64 wide, each a point at its centroid whose own
 * variance is added to its noise (mass, mean and variance kept exactly). SER = (1/M) sum_i
 * P(decision != i | i); ser_eye[e] = (1/M) [P(y >= t_e | e) + P(y < t_e | e+1)] (a multi-level
 * error is counted once, on the first threshold it crosses, so sum_e ser_eye[e] = ser; ls_ber's
 * eye_errors counts it in every eye crossed). BER = SER / log2(M): Gray mapping with
 * adjacent-level errors only (a two-level error is really two bits for PAM4; such errors matter
 * only at SER far above 1e-3). Probabilities below 1e-300 are reported as 0.
 *
 * Jitter: the sampling instant is phi + tau, tau = +-dj/2 (equiprobable, dual Dirac) + N(0, rj^2),
 * common to all cursors (receiver sampling jitter; TX edge jitter is not modelled). Everything is
 * evaluated on a phase grid of step h = 1/(R sps) UI: R = 1 without jitter; with jitter h <= 1/64
 * UI and h <= rj down to 1/256 UI. The BER and bathtub average over tau with a 64-node
 * Gauss-Hermite rule per Dirac on a monotone cubic (Fritsch-Butland) interpolation of ln SER
 * between grid phases. The eye height, width and map mix the per-level sample distributions of
 * the grid phases under the jitter PMF on the grid (the StatEye time-axis convolution): each
 * Dirac's Gaussian sampled at the grid points when rj >= h (mean and variance exact), otherwise
 * the Gauss-Hermite nodes placed on the two nearest grid phases (a spread of up to h^2/4 added:
 * conservative).
 *
 * Eye height (per sub-eye e, between levels e and e+1, at the nominal phase): the range [L, U] of
 * threshold voltages where each one-sided BER contribution conditional on the two adjacent
 * levels, (1/2) P(cross | level) / log2(M), is at most target_ber:
 *     P(y >= L | e) = 2 log2(M) target_ber,   P(y < U | e+1) = 2 log2(M) target_ber,
 * height_v = max(0, U - L), center_v = (U + L)/2. Without ISI, height_v = h0 (v_{e+1} - v_e) -
 * 2 sigma Qinv(2 log2(M) target_ber) exactly. Eye width: the span of phases around 0 over which
 * U - L > 0, from the signed heights at phases j/sps (|j| <= ceil(sps/2)), walking out from 0
 * to the first closed phase and interpolating linearly there; each side capped at 0.5 UI (so
 * the width is 0..1 UI).
 *
 * Accuracy: exact for no ISI; with ISI the placement leaves a relative tail error of about
 * (z^2/2) (w/sigma_e)^2 / 8 at Q(z): ~1e-3 at BER 1e-12..1e-17 with 2048 bins on a lossy
 * channel, 64 times less per 8x bins. Jitter averaging: < 2e-3 relative against direct
 * integration for rj up to 0.1 UI.
 *
 * Cost (bench/bench_stateye.c, 64-UI pulse at 32 sps, PAM4, 2048 bins, target 1e-12): about
 * 1.5-3.5 ms without jitter, 6-8 ms with RJ 0.01 + DJ 0.05 UI. Memory: 8 n_bins bytes per grid
 * phase (sps + 1 phases without jitter, (1 + dj + 30 rj) R sps with).
 *
 * Threads: pure functions; each call allocates and frees its own scratch, so concurrent calls
 * (with distinct result buffers) are safe.
 */
#ifndef LS_STATEYE_H
#define LS_STATEYE_H

#include <stddef.h>

#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LS_STATEYE_MAX_SPS 128    /**< largest samples per UI */
#define LS_STATEYE_MAX_LEVELS 8   /**< PAM8 */
#define LS_STATEYE_MIN_BINS 64    /**< smallest n_bins */
#define LS_STATEYE_MAX_BINS 16384 /**< largest n_bins */
#define LS_STATEYE_MAX_DFE 256    /**< largest n_dfe */
#define LS_STATEYE_MAX_RJ_UI 0.1  /**< largest rj_ui (rms) */
#define LS_STATEYE_MAX_DJ_UI 0.5  /**< largest dj_ui (peak to peak) */

/** Statistical-eye inputs; ls_stateye_config_init gives the defaults noted here. */
typedef struct {
    /** [n_pulse] pulse response of ONE outer-level symbol (the response to level value +1) at the
     *  slicer input, sampled at sps per UI, after all linear equalization (CTLE, RX FFE: applied by
     *  the caller). Finite values; pulse[main_index] > 0. Not kept. (default NULL) */
    const float *pulse;
    size_t n_pulse;    /**< samples, >= 1 (default 0) */
    unsigned sps;      /**< samples per UI, 1..128 (default 32) */
    size_t main_index; /**< nominal sampling index (the main cursor), < n_pulse (default 0) */
    unsigned levels;   /**< PAM-M: 2, 4 or 8 (default 4) */
    double rlm; /**< level mismatch 0.5..1: inner levels scaled (ls_pam_levels) (default 1) */
    /** [levels] level values (outer-level units, as ls_pam_levels gives them) replacing
     *  ls_pam_levels(levels, rlm): finite, strictly increasing, |v| <= 2. They stand for every
     *  symbol, the main cursor's and the interferers' (a static nonlinearity that compresses the
     *  levels, e.g. an EML). Not kept. NULL = ls_pam_levels (default NULL) */
    const double *level_values;
    /** [n_dfe] ideal DFE taps (V per outer-level unit): post-cursor j = 1..n_dfe is replaced by
     *  c_j - dfe[j-1] (correct past decisions). Finite. May be NULL when n_dfe = 0. (default NULL)
     */
    const double *dfe;
    unsigned n_dfe; /**< DFE taps, 0..256 (default 0) */
    /** [levels-1] decision thresholds (V), finite and strictly increasing; NULL = the midpoints of
     *  h0 v_i at the nominal phase, h0 = pulse[main_index]. Not kept. (default NULL) */
    const float *thresholds;
    double sigma_noise; /**< rms Gaussian noise at the slicer (V), finite, >= 0 (default 0) */
    double rj_ui;       /**< sampling-time random jitter rms (UI), 0..0.1 (default 0) */
    double dj_ui; /**< dual-Dirac DJ peak to peak (UI): offsets +-dj/2 equiprobable, 0..0.5 (default
                     0) */
    double target_ber; /**< BER for eye height and width, 1e-15..1e-2 (default 2.4e-4, the KP4 pre-FEC
                          target; the Monte Carlo eye reads its contour at the same BER, docs/eye.md) */
    unsigned n_bins;   /**< ISI voltage grid bins, 64..16384 (default 2048) */
} ls_stateye_config;

/** One sub-eye at target_ber (definitions in the file comment). */
typedef struct {
    double height_v; /**< vertical opening U - L at the nominal phase (V), >= 0 */
    double width_ui; /**< phases around 0 where U - L > 0 (UI), 0..1 */
    double center_v; /**< (U + L)/2 at the nominal phase (V); meaningful when height_v > 0 */
    double opening_v; /**< U - L at the nominal phase (V), unclamped: negative when the contours overlap
                           (how far the eye is closed; COM below 0 dB) */
} ls_stateye_eye;

/** Statistical-eye results. Entries past levels-1 (eyes) or sps (phases) are zero. */
typedef struct {
    double ser; /**< symbol error rate at the nominal phase and thresholds, jitter included */
    double ber; /**< ser / log2(levels) (Gray, adjacent-level errors) */
    double ser_eye[7];         /**< contribution of each threshold (0 = lowest); they sum to ser */
    ls_stateye_eye eye[7];     /**< per sub-eye at target_ber (0 = lowest) */
    double vertical_opening_v; /**< min over sub-eyes of height_v (V) */
    unsigned n_phase;          /**< = sps */
    double
        bathtub_ber[128]; /**< [n_phase] BER (as ber) at the fixed thresholds vs sampling phase */
    double
        phase_ui[128]; /**< [n_phase] phase (UI): (i - sps/2)/sps, integer sps/2; i = sps/2 is 0 */
    /** Filled by ls_link_stat (zero from ls_stateye_run): error events per symbol, slicer errors per
     *  event (DFE error propagation, ls_stateye_errprop) and the RS(544,514) codeword error ratio
     *  from those events (ls_fec_cer_events). */
    double events_per_symbol, errors_per_event, cer_kp4;
} ls_stateye_result;

/** Defaults as noted in ls_stateye_config (pulse NULL: the caller must set pulse and n_pulse). */
void ls_stateye_config_init(ls_stateye_config *cfg);

/**
 * Computes the statistical eye of cfg into *r (method in the file comment).
 * @param cfg  inputs (read only, nothing kept)
 * @param r    results (overwritten; unchanged on error)
 * @return LS_OK; LS_EINVAL for a NULL cfg or r, or any field out of range (see
 *         ls_stateye_config); LS_ENOMEM. Allocates and frees its own scratch (about
 *         8 n_bins bytes per grid phase); thread-safe for distinct r.
 */
LS_NODISCARD ls_status ls_stateye_run(const ls_stateye_config *cfg, ls_stateye_result *r);

/**
 * 2-D BER map for contour plots: at phase i (phase_ui as in ls_stateye_result, i < sps) and
 * threshold voltage v_n = v_min + n (v_max - v_min)/(n_v - 1),
 *     ber_map[i * n_v + n] = max(P(y >= v | e), P(y < v | e+1)) / (2 log2 M),
 * the larger one-sided BER contribution of sub-eye e conditional on its two levels, e the sub-eye
 * whose level pair (h0 v_e, h0 v_{e+1}) at the nominal phase brackets v (the outer sub-eyes
 * extend to +-infinity). Jitter is included as for the eye height, so the target_ber contour at
 * phase 0 crosses v exactly at the eye edges L and U.
 * @param n_v      voltages, >= 2
 * @param v_min, v_max  finite, v_min < v_max (V)
 * @param ber_map  [sps * n_v] out
 * @return LS_OK; LS_EINVAL as ls_stateye_run or for a bad n_v, range or NULL map; LS_ENOMEM.
 */
LS_NODISCARD ls_status ls_stateye_map(const ls_stateye_config *cfg, unsigned n_v, double v_min,
                                      double v_max, double *ber_map);

/**
 * Decision-directed extensions evaluated at the nominal phase (ls_stateye_errprop; docs/statistical.md,
 * "DFE error propagation" and "Pattern-dependent levels"). Zero-initialise, then set what applies.
 */
typedef struct {
    int precoding; /**< 1/(1+D) mod M precoding: bit errors counted on the decoded data (slicer errors
                        e_k give the data error (e_k + e_{k-1}) mod M) */
    /** [levels] the value the DFE feeds back per decided level (taps cfg->dfe multiply it); NULL =
     *  the level values. A receiver feeding back nominal levels while the true ones are compressed
     *  gives the residual c_j v(a) - b_j vdfe(a), which the pattern table below carries. */
    const double *dfe_values;
    /** Pattern-dependent levels: the noiseless slicer sample (V, no DC, after the FFE and a DFE fed
     *  with the transmitted symbols) of each neighbourhood (a_{k-pre} .. a_{k+post}), index
     *  sum_i a_{k-pre+i} M^(pre+post-i) (a_{k-pre} most significant). The cursors of those
     *  neighbours (post-cursors 1..pre with their DFE taps, pre-cursors -post..-1) are then taken
     *  from this table instead of the pulse. NULL = none. */
    const double *pattern_v;
    unsigned pat_pre, pat_post; /**< 0..2 each */
    /** [levels] noise rms per transmitted level (V), replacing sigma_noise (signal-dependent
     *  noise: shot, RIN); NULL = sigma_noise for every level. */
    const double *level_sigma_v;
    /** Dual-Dirac edge jitter of the two edges bounding symbol k (V per unit level-value step; needs
     *  pattern_v with pat_pre >= 1 and pat_post >= 1; 0 = none): the sample moves by
     *  +-edge_dj_v[0] (v(a_k) - v(a_{k-1})) +- edge_dj_v[1] (v(a_{k+1}) - v(a_k)), the two signs
     *  independent and equiprobable (an edge error of +-DJ/2 times the equalized step's slope). Bounded,
     *  so not a Gaussian: level_sigma_v must not carry it. */
    double edge_dj_v[2];
} ls_stateye_errprop_config;

#define LS_STATEYE_RS_HIST 32 /**< RS symbols hit per event: bins 1..32 (the last one: 32 or more) */

/** Error statistics with DFE error propagation (ls_stateye_errprop). */
typedef struct {
    double ser;                /**< slicer symbol error rate, propagation included */
    double ber;                /**< bit error rate of the (decoded) data */
    double ser_eye[7];         /**< slicer errors per symbol crossing threshold e (as ls_ber counts) */
    double event_rate;         /**< error events (a first error after an error-free DFE history) per symbol */
    double p_first;            /**< probability of an error with an error-free history (no propagation) */
    double errors_per_event;   /**< mean slicer symbol errors per event */
    double bits_per_event;     /**< mean data bit errors per event */
    double mean_span;          /**< mean span of an event's data errors (symbols, first to last) */
    double rs_hist[LS_STATEYE_RS_HIST]; /**< P(an event hits s 10-bit RS symbols), s = 1.. (alignment averaged) */
} ls_stateye_errprop_result;

/**
 * SER, BER and error-event statistics at the nominal phase with DFE error propagation: a Markov
 * chain over the (transmitted, decided) pairs of the last min(n_dfe, 6) symbols (docs/statistical.md).
 * cfg as ls_stateye_run (jitter, if any, enters through the per-level distributions at phase 0);
 * ext may be NULL (no precoding, no pattern table, level-independent noise).
 * @return LS_OK; LS_EINVAL for invalid inputs; LS_ENOMEM.
 */
LS_NODISCARD ls_status ls_stateye_errprop(const ls_stateye_config *cfg, const ls_stateye_errprop_config *ext,
                                          ls_stateye_errprop_result *r);

#ifdef __cplusplus
}
#endif
#endif

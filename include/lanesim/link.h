/**
 * @file link.h
 * A link: transmitter -> chain of blocks (consecutive LTI blocks fused into one H(f) and applied
 * by one overlap-save FFT convolution) -> slicer-referred noise -> sampler (ideal CDR) -> slicer
 * -> decoding -> error counting and eye histogram.
 *
 * Pulse response and ideal CDR. At create the link forms the pulse response p[n] of one outer-level
 * symbol (TX FFE * NRZ pulse of one UI * every fused impulse response; memoryless and random blocks
 * are taken as identity) on the sample grid. The sampling instant is the peak of p plus
 * rx.phase_ui; the main cursor h0 = p[n_s]. The expected levels at the slicer are h0 v_i and the
 * thresholds their midpoints unless given. Symbol k (counted from the frame start) is sampled at
 * sample index D + k sps, D = TX latency + fused-filter latencies + n_s.
 *
 * Frames. ls_link_run_frame simulates one independent frame: n_warm symbols whose errors are not
 * counted (they fill the link's memory), then n_count counted symbols. Every random stream is
 * restarted for (seed, frame) and the pattern continues from UI first_ui - n_warm, so a frame's
 * result depends only on (configuration, seed, frame), never on chunk size or thread.
 */
#ifndef LS_LINK_H
#define LS_LINK_H

#include <complex.h>
#include <stddef.h>
#include <stdint.h>

#include "lanesim/ber.h"
#include "lanesim/channel.h" /* ls_channel_sparams was declared here; kept for one release */
#include "lanesim/config.h"
#include "lanesim/eye.h"
#include "lanesim/rx.h"
#include "lanesim/stateye.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Figures the link derived at create. */
typedef struct {
    double baud;              /**< symbol rate (Bd) */
    double rate_bps;          /**< bit rate (b/s) */
    unsigned sps, levels, bits_per_symbol;
    double h0;                /**< main cursor of an outer-level symbol at the sampling instant (V) */
    double level_v[8];        /**< expected levels at the slicer (V) */
    float thresholds[7];      /**< decision thresholds (V) */
    double noise_sigma;       /**< slicer-referred AWGN rms (V); 0 = off */
    size_t latency;           /**< D: sample index of symbol 0's sampling instant */
    size_t pulse_peak;        /**< n_s: sampling index within the pulse response */
    size_t memory_symbols;    /**< span of the pulse response in UI (default warm-up) */
    size_t fused_taps;        /**< total FIR length of the fused LTI stages */
    size_t n_stages;          /**< processing stages after fusion */
    size_t n_lti_blocks;      /**< LTI blocks that were fused */
    double eye_vmin, eye_vmax;/**< eye histogram range at the slicer input (V); eye_at_input: at the receiver input */
    int eye_at_input;         /**< the Monte Carlo eye is the receiver input's (eye.at = input), else the slicer's */
    double noise_rms_v;       /**< rms noise at the slicer after the FFE (all sources, crosstalk included, V) */
    double isi_rms_v;         /**< rms residual ISI at the slicer after FFE and DFE (V) */
    double jitter_rms_v;      /**< rms of the TX RJ/DJ as noise at the slicer (V; statistical analysis) */
    double snr_eq_db;         /**< equalized SNR: mean symbol power / (noise + residual ISI) at the slicer; a post-cursor
                                   inside the DFE counts by what its (possibly clipped) tap leaves, g_j - b_j */
    double ctle_gdc_db;       /**< CTLE g_DC used (NAN without a COM CTLE) */
    int optical;              /**< optical link: the figures below are set */
    double launch_oma_dbm;    /**< OMA (outer) at the modulator output: P(top) - P(bottom) (dBm) */
    double er_db;             /**< extinction ratio P(top) / P(bottom) (dB) */
    double avg_power_dbm;     /**< average launched power (dBm) */
    double received_oma_dbm;  /**< OMA after the fibre (dBm) */
    double xtalk_rms_v;       /**< rms crosstalk at the slicer after the FFE, averaged over the aggressors'
                                   phase (V; part of noise_rms_v; docs/crosstalk.md) */
    double icn_v[2];          /**< integrated crosstalk noise (V) of the FEXT [0] and NEXT [1] aggressors */
    char ami_out[2][512];     /**< IBIS-AMI TX [0] and RX [1] models' AMI_parameters_out after AMI_Init, or ""
                                   (truncated; docs/ibis-ami.md) */
    int inner_fec;            /**< inner code decoded in the Monte Carlo (ls_ifec_mode, fec.h; 0 = none) */
    unsigned inner_chase_l;   /**< its Chase-2 test set (LS_IFEC_CHASE) */
    unsigned noise_stride[2]; /**< the sample path draws the TX's [0] and the receiver's [1] noise on every n-th
                                   sample (run.noise_rate; 1: every sample; docs/engines.md) */
} ls_link_info;

typedef struct ls_link ls_link;

/**
 * Builds the link described by c. max_chunk: symbols per processing chunk (>= 1).
 * NULL on failure, with a one-line reason in msg.
 */
ls_link *ls_link_create(const ls_config *c, size_t max_chunk, char *msg, size_t cap, ls_status *err);
/**
 * A copy of c with every automatic choice made (ctle.auto: g_DC from 0 to -15 dB in 1 dB steps,
 * keeping the largest equalized SNR, as COM's CTLE search does). ls_link_create calls it; callers
 * that build many links from one configuration call it once. NULL on failure (msg says why).
 */
ls_config *ls_link_resolve(const ls_config *c, char *msg, size_t cap, ls_status *err);
const ls_link_info *ls_link_get_info(const ls_link *l);
/** Warnings about the link's inputs (a Touchstone channel that is not passive, possibly non-causal, or
    whose data end below the simulated band: ls_sparam_warnings), at most 4: the first min(n, cap)
    into w (owned by the link); returns n. 0 for NULL. */
size_t ls_link_warnings(const ls_link *l, const char **w, size_t cap);
/** The pulse response (V, per sample) of one outer-level symbol; *n its length. */
const float *ls_link_pulse(const ls_link *l, size_t *n);
/** The pulse response after the RX FFE (V per sample); *main = the main cursor's index. */
const float *ls_link_pulse_eq(const ls_link *l, size_t *n, size_t *main);
/** A new eye histogram with this link's geometry (range, thresholds, bins). */
ls_eye *ls_link_eye_create(const ls_link *l, ls_status *err);
/** A new error counter for this link's modulation. */
ls_ber *ls_link_ber_create(const ls_link *l, ls_status *err);
/** The engine of ls_link_run_frame (docs/engines.md). */
typedef enum { LS_ENGINE_SAMPLE = 0, LS_ENGINE_SYMBOL = 1, LS_ENGINE_AUTO = 2, LS_ENGINE_PATTERN = 3 } ls_link_engine;
/**
 * Chooses how ls_link_run_frame simulates: LS_ENGINE_SAMPLE, every sample through every stage (the
 * default); LS_ENGINE_SYMBOL, the symbol-rate engine, for a link whose stages are fused FIRs and additive
 * Gaussian noise only: the receiver input at the receiver's sampling instants only, from the symbols,
 * the pulse response and the step response, with noise of the same autocorrelation (noise-free: equal to
 * the sample path's samples; with noise: equal in distribution); LS_ENGINE_AUTO, the symbol engine when
 * the link allows it and need_samples is 0. need_samples: the caller wants per-sample output (an eye).
 * *chosen (may be NULL) gets the engine in effect; msg why the sample path runs under AUTO. SYMBOL on a
 * link that does not allow it: LS_EINVAL and why. LS_ENGINE_PATTERN, the pattern engine of a non-linear
 * (optical) link: per phase, the noiseless response to each neighbourhood of k symbols (trained on the
 * link's own stages, silenced), a linear tail, first-order TX jitter and pattern-scaled Gaussian noise --
 * an approximation, its error against the sample path in docs/engines.md; LS_EINVAL with need_samples
 * or a noise block that cannot be silenced. A frame given an eye always runs the sample path.
 * Builds the engine's tables on first use (allocates); not concurrently with ls_link_run_frame.
 */
ls_status ls_link_set_engine(ls_link *l, ls_link_engine e, int need_samples, ls_link_engine *chosen, char *msg,
                             size_t cap);
/**
 * ls_link_set_engine, reusing what src (a link created from the same configuration, its engine already
 * set) has built where it is the same: the pattern engine's trained tables are copied instead of trained
 * again (training is deterministic, so the engine is the same either way; a geometry that differs is
 * trained). For the worker links of one run. src NULL: ls_link_set_engine.
 */
ls_status ls_link_set_engine_from(ls_link *l, const ls_link *src, ls_link_engine e, int need_samples,
                                  ls_link_engine *chosen, char *msg, size_t cap);
/**
 * A probe for the engines' equality tests: with max_reads > 0 every later frame records each value the
 * receiver reads (sampling instant t in samples, its slot as in ls_rx_sampler, the value x), up to
 * max_reads of them, from the frame start; the sample path keeps its first max_samples receiver-input
 * samples to read from (interpolated as the receiver does). 0, 0 turns it off. Allocates; tests only.
 */
ls_status ls_link_trace_samples(ls_link *l, size_t max_samples, size_t max_reads);
/** The last frame's recorded reads (ls_link_trace_samples): their count; arrays owned by l. */
size_t ls_link_trace_get(const ls_link *l, const int64_t **slot, const double **t, const float **x);
/**
 * Simulates one frame (see above) and adds its counted symbols to ber and eye (either may be NULL).
 * Never allocates.
 */
ls_status ls_link_run_frame(ls_link *l, uint64_t seed, uint64_t frame, int64_t first_ui, size_t n_warm,
                            size_t n_count, ls_ber *ber, ls_eye *eye);
/** Optical test points of a link (IEEE 802.3 cl. 121.5.1 / Figure 121-3). */
typedef enum {
    LS_LINK_TP2 = 2, /**< the transmitter's optical output: the first stage that makes an optical field */
    LS_LINK_TP3 = 3, /**< the receiver's optical input: the input of the stage that detects the field */
    LS_LINK_MODULE_IN = 10, /**< electrical: the linear driver's input (after the host channel and the driver's
                                 input equalizer; ls_link_capture_electrical) */
    LS_LINK_HOST_RX_IN = 11 /**< electrical: the host receiver's input (after the TIA and the host channel, before
                                 the receiver's input-referred noise and CTLE) */
} ls_link_tp;
/**
 * Captures the optical power |E|^2 (W) at a test point of an optical link while the transmitter runs
 * n_ui symbols of frame 0 from UI 0 (phy/link/link_probe.c, docs/tdecq.md). p_w[i] is the power at
 * sample i + (the transmitter's latency and the fused FIRs' buffer latency before the test point),
 * so symbol k lies near samples [k sps, (k+1) sps), the analog group delays still in. level[k] is the
 * transmitted level of symbol k. Runs the stages before the test point only, with their noise.
 * Allocates nothing; the link may run frames afterwards as usual.
 * @param p_w    [n_ui * sps] output (W)
 * @param level  [n_ui] output
 * @return LS_OK; LS_EINVAL (NULL arguments, n_ui 0, or a link without an optical field: msg says so);
 *         a stage's failure
 */
LS_NODISCARD ls_status ls_link_capture_optical(ls_link *l, ls_link_tp tp, uint64_t seed, size_t n_ui,
                                               float *p_w, uint8_t *level, char *msg, size_t cap);
/**
 * As ls_link_capture_optical at an electrical point of an optical link with a linear module
 * (LS_LINK_MODULE_IN, LS_LINK_HOST_RX_IN; docs/lpo.md "EECQ"): v[] is the differential voltage (V), with
 * the receive polarity swap of an inverting chain applied at the host receiver input.
 * @return LS_OK; LS_EINVAL (NULL arguments, n_ui 0, another tp, or a link without that point: msg says
 *         so); a stage's failure
 */
LS_NODISCARD ls_status ls_link_capture_electrical(ls_link *l, ls_link_tp tp, uint64_t seed, size_t n_ui, float *v,
                                                  uint8_t *level, char *msg, size_t cap);
/**
 * Statistical analysis of the link (docs/statistical.md): the pulse response after the FFE, the
 * DFE taps (the eye with correct past decisions; SER, BER and the error events from the DFE
 * error-propagation chain, ls_stateye_errprop, with precoding where it is on), the thresholds, the noise at the slicer
 * from every source (noise_rms_v) and the TX RJ/DJ as edge-jitter noise (jitter_rms_v), through
 * ls_stateye_run. target_ber sets the eye contour. Crosstalk aggressors enter as extra cursors with
 * their own symbols (not as Gaussian noise), averaged over their phase (docs/crosstalk.md).
 * On an optical (non-linear) link the first call also runs the chain once over 32768 symbols to
 * measure its pattern-dependent levels, and keeps them: not concurrently with ls_link_run_frame on
 * the same link.
 */
LS_NODISCARD ls_status ls_link_stat(const ls_link *l, double target_ber, ls_stateye_result *r);
/**
 * The statistical eye as a BER map over the slicer input (ls_stateye_map on the inputs of
 * ls_link_stat, crosstalk aggressors left out): ber_map[i * n_v + n] at phase (i - sps/2)/sps UI and
 * voltage v_min + n (v_max - v_min)/(n_v - 1) (V, with the DC of the slicer levels). The target_ber
 * contour is the eye's edge. LS_EINVAL for a NULL l or map, n_v < 2 or an empty range; LS_ENOMEM.
 */
LS_NODISCARD ls_status ls_link_stat_map(const ls_link *l, double target_ber, unsigned n_v, double v_min, double v_max,
                                        double *ber_map);
/**
 * COM-style channel operating margin with the link's own equalizer (docs/statistical.md):
 * COM = 20 log10(A_s / A_ni), A_s the half-distance between adjacent levels at the slicer
 * (h0 (u_{e+1} - u_e) / 2 per sub-eye e), A_ni the interference (ISI, noise, TX jitter, crosstalk)
 * amplitude whose one-sided exceedance probability is DER0 / (2 (1 - 1/M)) (IEEE 802.3 93A-45 with
 * the PAM-M symbol error relation), read off the statistical eye: A_ni = A_s - H_e / 2 with H_e the
 * sub-eye's opening U - L at that probability, unclamped. The smallest over the sub-eyes. A closed eye
 * (A_ni > A_s) gives a negative COM, not 0 dB. der0 in (0, 0.1]. Not the Annex 93A reference receiver: the preset's CTLE, FFE and
 * DFE are used as they are.
 */
LS_NODISCARD ls_status ls_link_com(const ls_link *l, double der0, double *com_db);
/**
 * Small-signal frequency responses of the link at n frequencies f_hz[] (Hz, finite; |f| < fs/2 is
 * meaningful, fs = sps baud), each output optional (NULL):
 *  - chain[i]: from the TX DAC output (after the TX FFE) to the sampler through every stage, CTLE
 *    included: the DTFT of the small-signal impulse response (the fused FIRs as simulated, non-linear
 *    blocks linearized at their operating points, optical E/O/E conversion included), with the
 *    receiver's polarity swap; V/V for electrical links;
 *  - ctle[i]: the receiver CTLE alone (the product of the chain's CTLE blocks; 1 without one), so
 *    chain / ctle is the channel the CTLE equalizes;
 *  - ffe[i]: the RX FFE as designed at create, sum_k w_k e^{-j 2 pi f (k - pre) / baud}.
 * docs/link.md "Frequency response". Allocates scratch and plans FFTs: call it from one thread at a time,
 * as ls_link_create.
 * @return LS_OK; LS_EINVAL (NULL link, NULL f_hz with n > 0, non-finite frequency); LS_ENOMEM.
 */
LS_NODISCARD ls_status ls_link_response(const ls_link *l, const double *f_hz, size_t n, double complex *chain,
                                        double complex *ctle, double complex *ffe);
/** Receiver state after the last frame (CDR phase and lock, adapted taps, ADC clipping). */
void ls_link_get_rx_stats(const ls_link *l, ls_rx_stats *s);
void ls_link_destroy(ls_link *l);

#ifdef __cplusplus
}
#endif
#endif

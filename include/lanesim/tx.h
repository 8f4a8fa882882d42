/**
 * @file tx.h
 * Transmitter: data pattern -> PAM-M symbols (Gray, optional precoding, RLM) -> symbol-spaced
 * FFE -> DAC waveform with jittered edges -> additive TX noise.
 *
 * Waveform. The DAC output is piecewise constant: value b_k = (swing/2) * sum_j c_j v(x_{k-j})
 * from edge t_k = (k + tau_k) T to t_{k+1}, where v() are the PAM level values (pam.h) and c the
 * FFE taps with c_0 = 1 - sum |c_j, j != 0| (so the peak output never exceeds swing/2, the COM
 * convention, IEEE 802.3 Annex 93A.1.6). Each output sample is the exact average of that waveform
 * over its sample interval (area sampling), so an edge moves with sub-sample precision and the
 * samples' values are never perturbed directly.
 *
 * Jitter (per edge, in UI): tau_k = RJ * N(0,1) + (DJ/2) * (+-1 equiprobable, dual-Dirac)
 *   + (SJ/2) sin(2 pi f_SJ k T + phi) + (DCD/2) (-1)^k, clamped to +-0.49 UI. RJ is rms, DJ, SJ and DCD
 *   are peak-to-peak. k is the absolute UI index of the run, so SJ and DCD are continuous across frames.
 *
 * TX noise: white Gaussian noise added to the DAC output whose power inside the Nyquist band
 * (0..baud/2) is P_s / SNR, P_s = (swing/2)^2 mean(v^2); per-sample variance sps * P_s / SNR.
 *
 * Latency: the waveform of UI k leaves the transmitter one UI after symbol k is generated
 * (the next edge must be known): output samples [(k+1) sps, (k+2) sps) hold UI k.
 */
#ifndef LS_TX_H
#define LS_TX_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/pam.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LS_TX_MAX_FFE 8

/** Data source of the transmitter. */
typedef enum {
    LS_TX_PRBS = 0,  /**< a PRBS bit stream (see prbs.h), bits taken MSB first per symbol */
    LS_TX_RANDOM = 1, /**< independent uniform random symbols from the TX data RNG stream */
    LS_TX_SSPRQ = 2   /**< the SSPRQ pattern (ssprq.h, IEEE 802.3 cl. 120.5.11.2.3), PAM4 only */
} ls_tx_source;

/** Transmitter configuration. */
typedef struct {
    unsigned levels;      /**< PAM-M: 2, 4 or 8 */
    unsigned sps;         /**< samples per UI, 1..128 */
    double baud;          /**< symbol rate (Bd) > 0 */
    ls_tx_source source;  /**< PRBS or random */
    int prbs;             /**< ls_prbs_type when source is LS_TX_PRBS */
    int precoding;        /**< 1/(1+D) mod M precoding on */
    double rlm;           /**< level mismatch ratio, 0.5..1 */
    double swing_vpp;     /**< peak-to-peak output swing (V), > 0 */
    double ffe_pre[LS_TX_MAX_FFE];  /**< pre-cursor taps c(-1), c(-2), ... (nearest first) */
    double ffe_post[LS_TX_MAX_FFE]; /**< post-cursor taps c(+1), c(+2), ... (nearest first) */
    unsigned n_pre, n_post;         /**< n_pre + n_post + 1 <= LS_TX_MAX_FFE */
    double rj_ui, dj_ui, sj_ui, sj_hz, dcd_ui; /**< jitter: RJ rms; DJ, SJ, DCD peak-to-peak (UI); f_SJ (Hz) */
    double snr_db;        /**< TX SNR (dB); INFINITY = no TX noise */
    size_t max_ui;        /**< largest n_ui per ls_tx_generate call, >= 1 */
    uint64_t stream;      /**< RNG stream id base for the data, jitter and noise streams */
} ls_tx_config;

typedef struct ls_tx ls_tx;

/** Defaults: PAM4, sps 32, 106.25 GBd, PRBS31Q, no precoding, RLM 1, 0.8 Vpp, no FFE/jitter/noise. */
void ls_tx_config_init(ls_tx_config *cfg);
/** Validates and allocates. NULL + LS_EINVAL on any invalid field. */
ls_tx *ls_tx_create(const ls_tx_config *cfg, ls_status *err);
/**
 * Starts a frame: the stream continues as if the run had started at UI 0 and this is UI first_ui
 * (may be negative: the PRBS wraps), with the random streams restarted for (seed, frame).
 * Clears the FFE history, precoder and edge state. Never allocates.
 */
ls_status ls_tx_start(ls_tx *q, uint64_t seed, uint64_t frame, int64_t first_ui);
/**
 * Generates the next n_ui symbols (n_ui <= max_ui). Writes bits[k] (data bits of symbol k,
 * first bit in the MSB), level[k] (transmitted level index after precoding) and y[0..n_ui*sps)
 * (the waveform, delayed by one UI). Any output pointer may be NULL except y. Never allocates.
 */
ls_status ls_tx_generate(ls_tx *q, size_t n_ui, uint8_t *bits, uint8_t *level, float *y);
/**
 * The next n_ui symbols as the DAC's input rather than its waveform (the symbol-rate engine,
 * docs/engines.md): bits and levels as ls_tx_generate, b[k] the FFE output of symbol k (V) and tau[k]
 * the offset of the edge that ends its UI (UI, clamped to +-0.49), with the same random streams (no TX
 * noise is drawn). The waveform ls_tx_generate writes is, for symbol k of the frame (k >= 1), b[k-1] on
 * UI k with the edge to b[k] at (k + 1 + tau[k]) UI, and b[0] on UIs 0 and 1. Never allocates.
 */
ls_status ls_tx_generate_symbols(ls_tx *q, size_t n_ui, uint8_t *bits, uint8_t *level, double *b, double *tau);
/** The FFE taps actually used, in time order c(-n_pre)..c(+n_post); returns the count; *main = index of c0. */
size_t ls_tx_ffe_taps(const ls_tx *q, double *taps, size_t *main);
/** Level values (V) before the FFE: (swing/2) v_i. */
void ls_tx_level_values(const ls_tx *q, double *v);
/** Variance of the TX noise added to each output sample (V^2); 0 when off. */
double ls_tx_noise_var(const ls_tx *q);
/** Latency of the waveform relative to symbol generation, in samples (= sps). */
size_t ls_tx_latency(const ls_tx *q);
void ls_tx_destroy(ls_tx *q);

#ifdef __cplusplus
}
#endif
#endif

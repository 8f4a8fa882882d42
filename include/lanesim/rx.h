/**
 * @file rx.h
 * Receiver back end at one operation per symbol: interpolating sampler steered by a CDR, ADC,
 * symbol-spaced FFE, DFE, slicer, and optional LMS adaptation of the FFE and DFE.
 *
 * Per symbol s (sampled) and k = s - ffe_pre (decided):
 *   t_s  = D + s sps + phi sps                       sampling instant (samples), phi in UI
 *   x_s  = x(t_s) by linear interpolation;  ADC: clip to +-FS/2, quantize to `bits`, add ENOB noise
 *   z_k  = sum_i w_i x_{k + n_pre - i}               FFE (w in time order, n_pre pre-cursor taps)
 *   y_k  = z_k - sum_j b_j v(d_{k-j})                DFE on decided level values v in [-1, 1]
 *   (summed as z_k = zold + w_0 x_{k+n_pre}, y_k = (zold - D) + w_0 x_{k+n_pre}: zold the older taps in
 *   four partial sums, D the DFE sum, both before the sample is taken; docs/receiver.md)
 *   d_k  = slicer(y_k);   e_k = y_k - r_{d_k}        r = expected levels at the slicer
 *   LMS:  w_i += mu e_k x_{k+n_pre-i},  b_j += mu e_k v(d_{k-j})   (sign-sign: signs of both)
 * CDR, baud-rate (Mueller & Muller 1976): the decision-directed estimate of the pre-cursor timing
 *   function f(tau) = g_-1(tau) - c_pre, u_k = (e_{k-1} - c_pre v(d_k)) r_{d_k}, whose mean is
 *   g0 E[v^2] (g_-1(tau) - c_pre): it locks where the equalized pre-cursor equals its value c_pre at
 *   the phase the FFE/DFE were designed for (the classic h_1 = h_-1 function would fight a DFE that
 *   takes h_1). Bang-bang (Alexander): u_k = -sign(x_edge) (sign(y_{k-1}) - sign(y_k))/2 on
 *   transitions between symmetric levels, x_edge the sample half a UI before symbol k. u > 0 means
 *   late. Second-order loop: I += Ki u_k, phi -= Kp u_k + I, with Kp = 2 pi f_bw / (baud K_pd)
 *   (K_pd = dE[u]/dtau per UI) and Ki = Kp (2 pi f_bw / baud) / (4 zeta^2); phi is limited to
 *   +-1 UI (cycle slips are not modelled; ls_rx_stats.limit_symbol is the first symbol that hits
 *   the limit). CDR_IDEAL keeps phi = 0 (the link's pulse-peak phase).
 * External clock (ext_clock, ls_rx_push_clock): sampling instants given from outside (an IBIS-AMI
 *   receiver model's clock times + T/2) set phi symbol by symbol instead of the CDR.
 * ADC ENOB: extra Gaussian noise so that the total (quantization + extra) noise power equals
 *   FS^2/8 / 10^((6.02 ENOB + 1.76)/10), the SINAD of a full-scale sine.
 * MLSE (mlse_on; include/lanesim/mlse.h): the FFE equalizes to the target g0 (a_k + alpha a_{k-1})
 *   and z_k goes to a Viterbi detector with levels r = ref_v, whose decisions come out mlse_depth
 *   symbols later; ls_rx_process still emits consecutive symbols (the extra delay is internal, so
 *   the first decisions of a frame appear depth symbols later). There is no DFE (dfe_taps must be
 *   0). The CDR and the LMS use a tentative decision d_k = slicer(y_k) on
 *   y_k = z_k - alpha r_{d_{k-1}} (a DFE with the fixed tap alpha g0 on tentative decisions) and
 *   its error e_k = y_k - r_{d_k}; the MLSE decisions are not fed back.
 * Eye rows (eye != LS_RX_EYE_NONE and ls_rx_set_eye on; docs/eye.md "The Monte Carlo eye"): for
 *   each decided symbol k, sps samples at the offsets j - h (j = 0..sps-1, h = floor(sps/2)
 *   samples) from its decision instant t_k (the CDR's phase). LS_RX_EYE_SLICER, the equalized
 *   signal the slicer sees at every phase: e_k(j) = sum_i w_i ADC(x(t_{k+n_pre-i} + j - h))
 *   - sum_j b_j v(d_{k-j}) (the FFE applied at each phase with the taps of the moment, the ADC's
 *   transfer with the ENOB noise of each symbol's own sample, minus symbol k's DFE feedback: a
 *   DFE-corrected eye), so e_k(h) = y_k exactly; LS_RX_EYE_INPUT, the receiver input x(t_k + j - h).
 */
#ifndef LS_RX_H
#define LS_RX_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LS_RX_MAX_FFE 64
#define LS_RX_MAX_DFE 8

typedef enum { LS_CDR_IDEAL = 0, LS_CDR_MM = 1, LS_CDR_BANGBANG = 2 } ls_cdr_type;
typedef enum { LS_ADAPT_NONE = 0, LS_ADAPT_LMS = 1, LS_ADAPT_SIGN_SIGN = 2 } ls_adapt_type;
/** Where the receiver's eye rows are taken (ls_rx_eye_rows). */
typedef enum { LS_RX_EYE_NONE = 0, LS_RX_EYE_SLICER = 1, LS_RX_EYE_INPUT = 2 } ls_rx_eye;

/** Receiver back-end configuration (filled by the link from the preset and the pulse response). */
typedef struct {
    unsigned sps, levels;        /**< samples per UI (1..128), PAM-M */
    double baud;                 /**< symbol rate (Bd) */
    size_t latency;              /**< D: sample index of symbol 0's nominal sampling instant */
    float thresholds[7];         /**< slicer thresholds at the FFE/DFE output (V) */
    double ref_v[8];             /**< expected levels at the slicer (V) */
    int adc_on;                  /**< ADC in the path */
    unsigned adc_bits;           /**< 2..16 */
    double adc_fs_v;             /**< full scale peak-to-peak (V) */
    double adc_enob;             /**< effective bits (<= adc_bits); >= adc_bits: quantization only */
    unsigned ffe_taps, ffe_pre;  /**< FFE length (1..64) and pre-cursor taps (< ffe_taps) */
    double ffe[LS_RX_MAX_FFE];   /**< initial FFE taps, time order */
    unsigned dfe_taps;           /**< 0..8 */
    double dfe[LS_RX_MAX_DFE];   /**< initial DFE taps (V per unit level value) */
    double dfe_limit[LS_RX_MAX_DFE]; /**< |b_j| <= limit (V); 0 = unlimited */
    ls_adapt_type adapt;         /**< LMS on FFE and DFE */
    double level_mu;             /**< adaptive slicer levels: r_d += level_mu (y - r_d) after each decision d,
                                      thresholds = midpoints of r (0 = fixed levels) */
    double mu;                   /**< LMS step */
    ls_cdr_type cdr;
    double cdr_bw_hz;            /**< loop bandwidth (Hz) */
    double cdr_kpd;              /**< detector slope (detector units per UI), > 0 for MM/BB */
    double cdr_target;           /**< MM: designed equalized pre-cursor c_pre (V) */
    double cdr_zeta;             /**< damping */
    double cdr_init_ui;          /**< initial phase offset (UI) */
    int mlse_on;                 /**< MLSE detector instead of DFE + slicer (needs dfe_taps = 0) */
    double mlse_alpha;           /**< MLSE partial-response post-cursor / main cursor, 0..1 */
    unsigned mlse_depth;         /**< MLSE traceback depth = extra decision delay (symbols), 8..256 */
    size_t max_samples;          /**< largest chunk passed to ls_rx_process */
    uint64_t stream;             /**< RNG stream id (ADC noise) */
    int ext_clock;               /**< sampling instants from ls_rx_push_clock when given (an IBIS-AMI
                                      receiver model's clock times): each sets the phase of the symbol
                                      within half a UI of it; lanesim's CDR stops at the first */
    double ext_gain[257];        /**< ext_clock: the main cursor at (j - sps) samples from the nominal
                                      instant relative to it's, j = 0..2 sps (0: none): where the clock puts
                                      the sampler the levels and thresholds scale by it (around ext_dc) */
    double ext_dc;               /**< the DC part of the levels and thresholds (V) */
    ls_rx_eye eye;               /**< eye rows: none (default), slicer input (equalized) or receiver input;
                                      not none: rows buffers allocated at create, decisions wait for
                                      half a UI more samples (their values do not change) */
} ls_rx_config;

/** CDR and equalizer state after a frame. */
typedef struct {
    double phase_ui;        /**< final CDR phase */
    double phase_mean_ui;   /**< mean phase over the frame's decided symbols */
    double phase_rms_ui;    /**< rms deviation from that mean */
    int64_t lock_symbol;    /**< first symbol after which the phase stayed settled (-1: never) */
    int64_t limit_symbol;   /**< first symbol whose CDR update hit the +-1 UI phase limit (-1: never): the
                                 loop has run off its range (lock lost; cycle slips are not modelled) */
    double ffe[LS_RX_MAX_FFE];
    double dfe[LS_RX_MAX_DFE];
    uint64_t clipped;       /**< ADC samples clipped */
    double ref_v[8];        /**< slicer reference levels (adapted when level_mu > 0) */
} ls_rx_stats;

typedef struct ls_rx ls_rx;

void ls_rx_config_init(ls_rx_config *cfg);
ls_rx *ls_rx_create(const ls_rx_config *cfg, ls_status *err);
/**
 * Restarts for a frame: initial taps and phase, RNG stream for (seed, frame); symbols k >= k_limit
 * are never decided (so the state at the end of a frame does not depend on chunking). With MLSE the
 * front end runs on to symbol k_limit + mlse_depth - 1 so that symbol k_limit - 1 is decided; the
 * caller must feed those samples. Never allocates.
 */
ls_status ls_rx_start(ls_rx *q, uint64_t seed, uint64_t frame, uint64_t k_limit);
/**
 * Consumes the next n samples of the stream (n <= max_samples) and decides every symbol whose
 * samples are now available: level[0..*n_out) for symbols *k_first ... (consecutive across calls);
 * y (may be NULL) receives the slicer inputs (with MLSE: the tentative slicer inputs of the
 * emitted symbols). cap >= n / sps + 2 + ffe_taps. Never allocates.
 */
ls_status ls_rx_process(ls_rx *q, const float *x, size_t n, uint8_t *level, float *y, size_t cap, size_t *n_out,
                        uint64_t *k_first);
/**
 * The samples still to pass (ls_rx_process, ls_rx_skip) before every symbol below the k_limit of
 * ls_rx_start is decided: 0 when none, UINT64_MAX when k_limit has no bound. Lets a caller stop its
 * chain at the last sample a decision reads.
 */
uint64_t ls_rx_samples_left(const ls_rx *q);
/**
 * The next n samples of the stream are 0 and are not passed (a chain whose filters were filled ahead
 * of the receiver: the stream's start, which only the filters' latency fills with zeros). Decides
 * nothing by itself; the next ls_rx_process call decides what they complete. Never allocates.
 */
ls_status ls_rx_skip(ls_rx *q, uint64_t n);
/**
 * External clock (cfg.ext_clock): sampling instants t[0..n) in samples of the stream since
 * ls_rx_start (sample i at i), increasing, pushed before the ls_rx_process call that consumes them.
 * Symbol s, nominally at D + s sps + phi sps, takes the first queued instant within half a UI of that
 * (phi = (t - D - s sps) / sps, limited to +-1 UI) and drops the earlier ones; a symbol without one
 * keeps phi. Once an instant was used in a frame, the CDR no longer moves phi. Instants beyond the
 * queue (max_samples + 64) are dropped. LS_ESTATE without ext_clock. Never allocates.
 */
ls_status ls_rx_push_clock(ls_rx *q, const double *t, size_t n);
void ls_rx_get_stats(const ls_rx *q, ls_rx_stats *s);
/**
 * The receiver input x(t) at sample instant t (samples from the frame start, as the ring's index), for
 * the symbol-rate engine (docs/engines.md). slot names the sample: 2 s for symbol s's data sample, 2 k - 1
 * for the bang-bang detector's edge sample half a UI before symbol k's.
 */
typedef double (*ls_rx_sampler)(void *ctx, double t, int64_t slot);
/**
 * With fn set, the sampler and the CDR's edge detector read x(t) from fn instead of interpolating the
 * samples passed to ls_rx_process, which may then be NULL (n still counts the samples that have
 * arrived). fn NULL restores the ring. Not with eye rows on (LS_EINVAL). Never allocates.
 */
ls_status ls_rx_set_sampler(ls_rx *q, ls_rx_sampler fn, void *ctx);
/**
 * Turns the eye rows on or off (cfg.eye must not be LS_RX_EYE_NONE to turn them on: else LS_EINVAL).
 * Set it before ls_rx_start of a frame; off costs nothing. Never allocates.
 */
ls_status ls_rx_set_eye(ls_rx *q, int on);
/**
 * The eye rows of the last ls_rx_process call, [n_out][sps] floats (V), row r for symbol k_first + r;
 * owned by q, overwritten by the next call. *center (may be NULL) = h, the index of the decision
 * instant in a row. NULL when cfg.eye is LS_RX_EYE_NONE. Contents are undefined when rows are off.
 */
const float *ls_rx_eye_rows(const ls_rx *q, unsigned *center);
void ls_rx_destroy(ls_rx *q);

#ifdef __cplusplus
}
#endif
#endif

/**
 * @file xtalk.h
 * Crosstalk: far-end (FEXT) and near-end (NEXT) aggressors added to the victim's signal, the
 * integrated crosstalk noise (ICN) of their coupling paths, and what the statistical analysis
 * needs to treat them as noise at the slicer. Equations and sources: docs/crosstalk.md.
 *
 * Aggressor. Each aggressor is a transmitter of its own (ls_tx: the victim's modulation, symbol
 * rate, samples per UI, level mismatch and FFE, its own swing) sending independent uniform random
 * symbols from its own RNG streams, through its path: the LTI blocks `tx_path` (the TX filter,
 * shared by all aggressors), its `extra` blocks (packages) and its `coupling` blocks (the
 * aggressor-to-victim transfer). The product of the path's responses is sampled on the link's
 * grid (fs = sps * baud) and inverse-FFT'd into one FIR, as the link fuses its own LTI stages;
 * bulk delays are left out (a constant time offset of an independent aggressor changes nothing).
 *
 * Block ("xtalk", LS_KIND_STATEFUL, F32 -> F32): y = x + sum_i a_i, a_i the waveform of aggressor
 * i. Its output is a pure function of (seed, frame, input): `reseed(seed, frame)` restarts every
 * aggressor's data stream for that frame, and the waveforms are generated in fixed blocks aligned
 * to the frame start, so chunk sizes and threads never change a bit. Each aggressor starts in
 * steady state at a random phase, and its clock phase takes a random step (a whole number of
 * samples in [0, sps)) once per block_ui symbols: the Monte Carlo averages the crosstalk over the
 * sampling phase, as the statistical analysis does (real aggressors are plesiochronous).
 *
 * ICN [IEEE 802.3 Annex 93A, eq. 93A-57 weighting; eqs. 92-46/92-47 integral]:
 *   sigma_x^2 = (2 df / f_b) sum_n A^2 W(f_n) |H_xt(f_n)|^2,
 *   W(f) = sinc^2(f / f_b) / (1 + (f / f_t)^4) / (1 + (f / f_r)^8),
 * f_n = f_1 + (n - 1/2) df over [f_1, f_2], A the aggressor's peak amplitude (swing / 2). The ICN
 * of a group (all FEXT, all NEXT) is the power sum of its aggressors'.
 */
#ifndef LS_XTALK_H
#define LS_XTALK_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/block.h"
#include "lanesim/status.h"
#include "lanesim/tx.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest number of aggressors of one xtalk block. */
#define LS_XTALK_MAX_AGG 8u
/** Largest number of LTI blocks in each list of a path (tx_path, extra, coupling). */
#define LS_XTALK_MAX_PATH 8u

/** Aggressor type: the ICN group it belongs to and the shape of ls_xtalk_shape_into_block. */
typedef enum {
    LS_XT_FEXT = 0, /**< far end: the aggressor transmits from the victim's TX end */
    LS_XT_NEXT = 1  /**< near end: the aggressor transmits from the victim's RX end */
} ls_xt_type;

/** Reference parameters of the ICN integral (all in Hz). */
typedef struct {
    double fb_hz; /**< symbol rate f_b, > 0 */
    double ft_hz; /**< transmitter reference f_t, > 0 (INFINITY: no transmitter term) */
    double fr_hz; /**< receiver reference f_r, > 0 (INFINITY: no receiver term) */
    double f1_hz; /**< lower end of the integral, >= 0 */
    double f2_hz; /**< upper end, > f1_hz */
    double df_hz; /**< frequency step, > 0 and <= (f2 - f1) */
} ls_icn_config;

/**
 * Defaults for symbol rate fb_hz: f_t = 0.2365 / T_r with T_r = 0.425 UI (the 20-80 % transition
 * time 4 ps of the 802.3dj COM reference at 106.25 GBd) = 0.5565 f_b; f_r = 0.58 f_b (802.3dj
 * COM f_r); f_1 = 0, f_2 = f_b, df = f_b / 2048.
 */
void ls_icn_config_init(ls_icn_config *cfg, double fb_hz);

/**
 * ICN of one aggressor of peak amplitude amp_v (V) whose coupling is the product of the n LTI
 * blocks b[0..n) (see the file comment). Allocates scratch; thread-safe.
 * @param icn_v  out: sigma_x (V)
 * @return LS_OK; LS_EINVAL (NULL argument, invalid cfg, amp_v negative or not finite, n = 0 or
 *         > LS_XTALK_MAX_PATH, a block that is not LTI F32, a response that fails or is not
 *         finite); LS_ENOMEM
 */
LS_NODISCARD ls_status ls_xtalk_icn(const ls_icn_config *cfg, double amp_v,
                                    const ls_block *const *b, size_t n, double *icn_v);

/**
 * The analytic coupling shapes as an LTI block ("xt_shape", F32, zero span, causal), after the
 * NEXT and FEXT models of ANSI T1.417 (Annex B) / Unger:
 *   FEXT: H(f) = g (j f / f_n)          (|H|^2 ~ f^2: put the victim's channel in the same path,
 *                                         so that |H_FEXT| = g (f / f_n) |H_thru(f)|)
 *   NEXT: H(f) = g (j f / f_n)^(3/4)    (|H|^2 ~ f^(3/2), a causal fractional differentiator)
 * g is the gain at f_n (linear, > 0); the NEXT shape's impulse response decays as t^-1.75, so its
 * span_s is 32 UI of the given symbol rate (the FIR built from it is truncated there).
 * @param fn_hz  reference frequency (normally the Nyquist frequency f_b / 2), > 0
 * @param fb_hz  symbol rate (sets the NEXT span), > 0
 * @return LS_OK; LS_EINVAL (bad type, g or frequencies not finite and > 0, out NULL); LS_ENOMEM
 */
LS_NODISCARD ls_status ls_xtalk_shape_into_block(ls_xt_type type, double g, double fn_hz,
                                                 double fb_hz, ls_block *out);

/** One aggressor. Blocks are only read during ls_xtalk_into_block (not kept, not owned). */
typedef struct {
    ls_xt_type type;  /**< FEXT or NEXT */
    double swing_vpp; /**< aggressor peak-to-peak swing (V), > 0 (COM: 2 A_fe, 2 A_ne) */
    /** The aggressor-to-victim transfer, on which the ICN is computed: e.g. a "touchstone" block
     *  of a FEXT or NEXT file, or the victim channel and an "xt_shape" block. */
    const ls_block *coupling[LS_XTALK_MAX_PATH];
    size_t n_coupling; /**< 1..LS_XTALK_MAX_PATH */
    /** More LTI blocks in this aggressor's path, not in its ICN (packages). */
    const ls_block *extra[LS_XTALK_MAX_PATH];
    size_t n_extra; /**< 0..LS_XTALK_MAX_PATH */
} ls_xtalk_aggressor;

/** Configuration of the xtalk block. */
typedef struct {
    /** Template of every aggressor's transmitter (levels, sps, baud, rlm, precoding, FFE, jitter,
     *  noise); source (random), swing_vpp, stream and max_ui are set per aggressor. */
    ls_tx_config tx;
    /** LTI blocks after every aggressor's DAC (the TX filter). */
    const ls_block *tx_path[LS_XTALK_MAX_PATH];
    size_t n_tx_path; /**< 0..LS_XTALK_MAX_PATH */
    ls_xtalk_aggressor agg[LS_XTALK_MAX_AGG];
    size_t n_agg; /**< 1..LS_XTALK_MAX_AGG */
    /** RNG stream base: aggressor i's transmitter uses ls_tx stream stream + i (RNG ids
     *  4 (stream + i) + 0..2) and its clock offset the id 4 (stream + i) + 3. */
    uint64_t stream;
    size_t block_ui; /**< symbols generated per refill, >= 1 (4 block_ui sps bytes per aggressor) */
    ls_icn_config icn; /**< ICN reference parameters */
} ls_xtalk_config;

/** Defaults: the ls_tx defaults, no blocks, no aggressors, stream 300, block_ui 1024, ICN defaults
 * for the ls_tx default symbol rate (set icn again when the rate changes). */
void ls_xtalk_config_init(ls_xtalk_config *cfg);

/**
 * Fills *out with a new xtalk block (see the file comment): evaluates every aggressor's path and
 * ICN, builds its FIR, transmitter and buffers. Allocates everything the block will use; process,
 * reset and reseed never allocate. Blocks in cfg are read here only.
 * @param msg  reason on failure (may be NULL), e.g. "aggressor 2: ..."
 * @return LS_OK; LS_EINVAL (NULL argument, n_agg 0 or > LS_XTALK_MAX_AGG, an invalid transmitter,
 *         swing, block list or ICN configuration, a path longer than 2^22 samples); LS_ENOMEM;
 *         LS_EFFT. On failure *out is cleared.
 */
LS_NODISCARD ls_status ls_xtalk_into_block(const ls_xtalk_config *cfg, ls_block *out, char *msg,
                                           size_t cap);

/** Number of aggressors of an "xtalk" block; 0 for NULL or any other block. */
size_t ls_xtalk_count(const ls_block *b);

/**
 * Aggressor i's pulse response at the block's output: one symbol of the outer level (the
 * aggressor's FFE taps, each held one UI, times (swing/2) v_max) through its FIR, per sample.
 * @param n     out: its length
 * @param ev2   out (may be NULL): E[v^2] of the normalized PAM levels (ls_pam_levels), so the
 *              aggressor's variance averaged over the sampling phase is ev2 / sps * sum p[k]^2
 * @param type  out (may be NULL)
 * @return the pulse (owned by the block), or NULL for a bad block or i >= count
 */
const float *ls_xtalk_pulse(const ls_block *b, size_t i, size_t *n, double *ev2, ls_xt_type *type);

/** Aggressor i's path FIR (TX filter, packages, coupling; per-sample taps, their sum the DC gain),
 *  owned by the block; NULL for a bad block or index. */
const float *ls_xtalk_path_fir(const ls_block *b, size_t i, size_t *n);

/**
 * Aggressor i's response at the end of the link's chain (the FFE input) as an IBIS-AMI receiver
 * model returned it from AMI_Init: h[0..n) is the impulse response (1/s, at fs) from the aggressor's
 * DAC; the block keeps its pulse (the aggressor's TX pulse, as in ls_xtalk_pulse, convolved with
 * h / fs, trimmed where less than 1e-9 of its energy lies at either end), which the link's
 * statistical analysis uses instead of propagating ls_xtalk_pulse through the later stages.
 * @return LS_OK; LS_EINVAL (bad block, index or arguments); LS_ENOMEM
 */
LS_NODISCARD ls_status ls_xtalk_set_end_pulse(ls_block *b, size_t i, const double *h, size_t n, double fs);

/** The pulse set by ls_xtalk_set_end_pulse (owned by the block), or NULL when none was set. */
const float *ls_xtalk_end_pulse(const ls_block *b, size_t i, size_t *n);

/** ICN (V) of aggressor i of an "xtalk" block; NaN for a bad block or index. */
double ls_xtalk_icn_agg_v(const ls_block *b, size_t i);

/** ICN (V) of all aggressors of a type (their power sum); 0 when there are none; NaN for a bad
 * block. */
double ls_xtalk_icn_v(const ls_block *b, ls_xt_type type);

#ifdef __cplusplus
}
#endif
#endif

/**
 * @file run.h
 * A Monte Carlo run: drives a link for run.symbols symbols (or until run.max_errors bit errors) in
 * independent frames of run.frame_symbols symbols and returns error counts, BER/SER with 95 %
 * confidence intervals, errors per sub-eye, error bursts, RS(544,514) figures and the eye.
 *
 * Retimed links (presets with segments, run.segment = -1): every segment ends in a decision, so each
 * runs as its own simulation (seed derived from run.seed and the segment) and the bit and symbol
 * errors add; the result holds the main (optical) segment's link, eye and pulse, the summed counts,
 * and each segment's figures. Codeword failures are summed too (an upper bound when segments fail
 * the same codeword, which at useful error rates is rare).
 *
 * Receiver failure: a receiver that has lost the data decides about as often wrong as a guess, and
 * its BER (0.2 .. 0.5) says nothing about the link. Each frame is checked, and the first failure in
 * frame order is reported in rx_failed and ends the run after that frame (docs/link.md, "Receiver
 * failure"):
 *  - "cdr_limit": the CDR phase hit its +-1 UI limit (ls_rx_stats.limit_symbol): the loop has run
 *    off its range (a real CDR would slip a cycle; the model does not);
 *  - "error_density": a window of LS_RUN_FAIL_WINDOW counted symbols held at least half the symbol
 *    errors of a guess, W (M-1)/(2M), while the link's equalized SNR predicts a symbol error ratio
 *    below a tenth of a guess's (ls_pam_ser_awgn at snr_eq_db): errors far above what its noise and
 *    residual ISI can give, i.e. DFE error propagation or adaptation run away (ls_ber_set_alarm).
 *
 * Decision stop (run.decide_ber = B > 0): the run also ends after the first frame at which the
 * BER's 95 % Clopper-Pearson interval lies wholly below B (the link meets B) or wholly above it (it
 * does not), so a pass/fail question takes only the symbols it needs, up to run.symbols. (Looking at
 * the interval after every frame makes the 95 % a little optimistic; the reach check accepts that.)
 *
 * Determinism: frame f simulates run.warmup_symbols (or the link's memory) uncounted symbols then
 * its counted symbols, with every random stream restarted for (seed, f). Threads run whole frames
 * and the results are merged in frame order, stopping after the first frame at which the error
 * target is met, so the result for a seed is identical whatever run.threads and run.chunk_symbols.
 */
#ifndef LS_RUN_H
#define LS_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/ber.h"
#include "lanesim/config.h"
#include "lanesim/eye.h"
#include "lanesim/link.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Progress callback: counted symbols done so far and the cap. Called from the calling thread. */
typedef void (*ls_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/** Symbols per window of the error-density check. */
#define LS_RUN_FAIL_WINDOW 1024

/** How the receiver failed (ls_run_result.rx_failed). */
typedef struct {
    int failed;           /**< 1: the receiver lost the data; the run's BER is not the link's */
    char reason[16];      /**< "cdr_limit" or "error_density" */
    int64_t symbol;       /**< where it was detected: the UI index in the run's pattern (frame f's counted
                               symbols are f * frame_symbols ...; its warm-up the UIs just before) */
    uint64_t frame;       /**< the frame */
    char segment[32];     /**< retimed links: the segment ("" otherwise) */
    char detail[256];     /**< one line: what was seen */
} ls_rx_failure;

/** Lanes of a WDM class at most, and the budget terms of a class verdict. */
#define LS_CLASS_MAX_LANES 8
enum { LS_CLASS_LOSS, LS_CLASS_MPI, LS_CLASS_TDECQ, LS_CLASS_DISPERSION, LS_CLASS_RECEIVER, LS_CLASS_TERMS };

/** The verdict of an IEEE PMD class preset (class.* keys; sim/pmd_class.c, docs/classes.md). */
typedef struct {
    int on;                 /**< 1: the run was a class preset's */
    int mc;                 /**< 1: pass and ber from the Monte Carlo of every lane (ls_run); 0: from the
                                 statistical margin of the lane of largest |CD| (ls_class_resolve) */
    char name[32], budget[16];
    int worst, inner;       /**< worst-case budget; the class has the inner code */
    double reach_m, target_ber;
    double length_m;        /**< where it ran: link.length_m (the class reach unless set) */
    double ber;             /**< worst lane's BER (after the inner code where the class has one) */
    int pass;               /**< ber <= target_ber */
    double margin_db;       /**< extra loss (dB) to the target on the worst lane (< 0: fails): the statistical
                                 BER versus loss, scaled by mc_stat_ratio so that it starts from the lane's
                                 Monte Carlo BER where the two disagree (docs/classes.md "Margin") */
    double margin_stat_db;  /**< the same from the statistical BER alone */
    double mc_stat_ratio;   /**< worst lane: Monte Carlo BER / statistical BER at the run's length when the
                                 statistical BER lies outside the Monte Carlo's 95 % interval; 1 otherwise
                                 (and without a Monte Carlo) */
    char limited_by[16];    /**< loss, mpi, tdecq, dispersion, receiver */
    double pen_db[LS_CLASS_TERMS]; /**< the budget terms (dB) */
    unsigned lanes, worst_lane;
    double lane_nm[LS_CLASS_MAX_LANES], lane_wavelength_nm[LS_CLASS_MAX_LANES], lane_cd_ps_nm[LS_CLASS_MAX_LANES],
        lane_ber[LS_CLASS_MAX_LANES];
    double tdecq_db;        /**< worst case: the TDECQ the transmitter was tuned to (TP3); typical: measured */
    double tecq_db, tdecq_tp3_db; /**< measured on the worst lane (TP2, TP3) */
    double tx_bw_ghz, oma_min_dbm, tia_noise_pa_rthz, fibre_loss_db;
    /** worst case: each lane's transmitter (modulator bandwidth, laser power) and its TDECQ at TP3 */
    double lane_tx_bw_ghz[LS_CLASS_MAX_LANES], lane_laser_dbm[LS_CLASS_MAX_LANES], lane_tdecq_db[LS_CLASS_MAX_LANES];
    int tx_noncompliant;    /**< no transmitter reaches class.tdecq_db on some lane's corner: the class fails */
    int tx_ready;           /**< the lanes' transmitters are set (internal to the class run) */
    /** worst case: the receiver calibrated to its stressed sensitivity (class.rx_calibrate, ls_class_srs) */
    int rx_cal;             /**< 1: tia_noise_pa_rthz from the SRS calibration; 0: the thermal-noise closed form */
    int rx_cal_ok;          /**< 1: the (bias-corrected) statistical BER met class.target_ber; 0: not even with
                                 a noiseless TIA */
    double rx_cal_secq_db;  /**< TDECQ (TP3) of the SRS test signal: the transmitter tuned to class.secq_db */
    double rx_cal_bw_ghz;   /**< its modulator bandwidth (GHz) */
    double rx_cal_oma_dbm;  /**< its received OMA_outer (dBm): class.srs_dbm */
    double rx_cal_target_ber; /**< the BER it meets there: class.target_ber (after the inner code if any) */
    double rx_cal_stat_ber; /**< statistical BER at the calibrated noise (after the inner code if any) */
    double rx_cal_mc_ber, rx_cal_mc_ci95_lo, rx_cal_mc_ci95_hi; /**< the Monte Carlo at that point (likewise) */
    double rx_cal_bias;     /**< 1, or when the Monte Carlo at the statistical calibration point put the target
                                 outside its 95 % interval: its BER / the statistical BER there, and the
                                 calibration was redone on the statistical BER times this (docs/classes.md) */
    double rx_cal_stat0_ber, rx_cal_mc0_ber; /**< with a bias: the first calibration's statistical and Monte
                                 Carlo BERs (the disagreement that was corrected) */
} ls_class_result;

/** Everything a run produces. Free with ls_run_result_free. */
typedef struct {
    ls_link_info link;        /**< the link's derived figures */
    ls_ber_counts counts;     /**< merged counts */
    ls_ber_results ber;       /**< BER, SER, intervals, FEC figures */
    ls_eye_metrics eye;       /**< eye height/width per sub-eye */
    ls_eye *eye_hist;         /**< the merged eye histogram (owned) */
    float *pulse;             /**< pulse response copy (owned), n_pulse samples */
    size_t n_pulse;
    uint64_t seed, frames, symbols_requested, max_errors;
    double decide_ber;        /**< run.decide_ber (0 = off) */
    int stopped_decided;      /**< 1 if the BER's 95 % interval left run.decide_ber and ended the run */
    unsigned threads;
    size_t frame_symbols, chunk_symbols, warmup_symbols;
    ls_rx_stats rx;           /**< receiver state at the end of frame 0 (CDR phase, lock, taps) */
    int engine;               /**< the engine that ran (ls_link_engine: LS_ENGINE_SAMPLE or LS_ENGINE_SYMBOL; run.engine) */
    char engine_note[192];    /**< why run.engine = auto took the sample path ("" otherwise) */
    int stopped_on_errors;    /**< 1 if the error target ended the run */
    ls_rx_failure rx_failed;  /**< the receiver lost the data (ended the run); .failed = 0 otherwise */
    unsigned n_segments;      /**< retimed links: segments run (their bit errors add); 0 otherwise */
    struct {
        char name[32];
        double ber, ser;
        uint64_t bits, bit_errors, symbols, symbol_errors;
    } segment[8];
    double elapsed_s;         /**< wall time of the simulation */
    char warnings[4][400];    /**< the link's warnings about its inputs (ls_link_warnings) */
    unsigned n_warnings;
    ls_class_result cls;      /**< class presets: the class verdict (.on = 0 otherwise) */
} ls_run_result;

/**
 * A class preset's budget applied without running (docs/classes.md): *out (free with
 * ls_config_destroy) is the link of the lane of largest |CD| with the worst-case (or typical)
 * devices and fibre, marked class.resolved; k gets the class figures, the statistical margin at
 * the run's length, the penalties and pass = margin >= 0 (no Monte Carlo: ber is 0).
 * LS_EINVAL for a preset without class keys.
 */
LS_NODISCARD ls_status ls_class_resolve(const ls_config *c, ls_config **out, ls_class_result *k, char *msg,
                                        size_t cap);

/**
 * The stressed receiver sensitivity (SRS) test of a class preset's worst-case receiver
 * (docs/classes.md): the test link is c's transmitter back to back (lane 0's centre wavelength,
 * a lossless fibre at zero dispersion), its modulator tuned to TDECQ = class.secq_db (unless
 * class.tune_tx = false), at received OMA_outer = class.srs_dbm; tia.noise_pa_rthz is bisected
 * (log scale, statistical analysis) until the BER is class.target_ber (at the slicer, or after the
 * inner code's hard-decision closed form where the class has one), then one Monte
 * Carlo run (run.* keys) checks that point. k gets tia_noise_pa_rthz and the rx_cal fields. *out
 * (may be NULL; free with ls_config_destroy) is the calibrated test link, marked class.resolved.
 * LS_EINVAL for a preset without class keys.
 */
LS_NODISCARD ls_status ls_class_srs(const ls_config *c, ls_config **out, ls_class_result *k, char *msg, size_t cap);

/**
 * Runs the link described by c with its run.* keys. On failure returns the status with a one-line
 * reason in msg; r is then empty (safe to free).
 */
LS_NODISCARD ls_status ls_run(const ls_config *c, ls_progress_fn progress, void *ctx, ls_run_result *r, char *msg,
                              size_t cap);
/** Frees what a result owns and clears it. NULL-safe. */
void ls_run_result_free(ls_run_result *r);

#ifdef __cplusplus
}
#endif
#endif

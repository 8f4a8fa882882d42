/**
 * @file reach.h
 * Reach: the longest link.length_m at which a link meets a BER target.
 *
 * The BER is evaluated on a logarithmic grid of lengths between min and max (statistical analysis by
 * default: milliseconds per point; or Monte Carlo), which brackets the first crossing of the target
 * and detects a BER that is not monotonic in length (reported, not hidden: the reach is then the end
 * of the first passing stretch). The crossing is refined by bisection in log length until the
 * bracket is within rel_tol.
 *
 * Monte Carlo check (confirm, on by default; docs/reach.md "Every reach confirmed"): a Monte Carlo run
 * at the statistical reach must show the upper end of the BER's 95 % interval at or below the target
 * (post-FEC: the random-error CER of that upper end), with the receiver not failed (ls_run_result
 * .rx_failed). The run stops as soon as the interval lies wholly below or above the target
 * (run.decide_ber), up to max(run.symbols, 10 times the symbols that a run without errors needs for
 * its bound to reach the target). If it passes, the reach is confirmed. If not, the lengths below are
 * searched by Monte Carlo alone (halving until one passes, then bisection to confirm_rel_tol) and
 * the reach is that length, flagged mc_limited; stat_reach_m keeps the statistical figure. The COM
 * target is a statistical figure: it is not checked.
 *
 * At the reach the result reports the BER, the margin (dB above the target, negative below it: the
 * Gaussian-equivalent SNR by which the BER that decided beats the target, or COM minus the target),
 * the non-Gaussian penalty (equalized SNR minus the SNR the PAM closed form needs for the BER at the
 * reach) and what limits the link: the largest of noise, residual ISI, TX jitter and crosstalk at the
 * slicer (for optical links: "power budget" for noise, "dispersion" for ISI when |D| L is the larger
 * cause).
 */
#ifndef LS_REACH_H
#define LS_REACH_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/config.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** LS_REACH_COM is lanesim's own receiver's COM-style margin (ls_link_com: the preset's equalizer,
    not a standard's reference receiver; CLI `--target rx-com`); LS_REACH_IEEE_COM is IEEE 802.3
    Annex 93A COM of the preset's analytic channel under com_config (ls_com_preset; CLI `--target com`). */
typedef enum { LS_REACH_PRE_FEC = 0, LS_REACH_POST_FEC = 1, LS_REACH_COM = 2, LS_REACH_IEEE_COM = 3 } ls_reach_target;
typedef enum { LS_REACH_STAT = 0, LS_REACH_MC = 1 } ls_reach_mode;

typedef struct {
    ls_reach_target target;  /**< pre-FEC BER, post-FEC codeword error ratio (RS(544,514), random errors), or
                                  the COM-style margin of ls_link_com (statistical mode only) */
    double target_value;     /**< the BER (default 2.4e-4) or CER (1e-13) not to exceed, or the COM (dB, 3) to reach */
    double der0;             /**< COM target: detector error ratio DER0 (default 2e-4, 802.3dj); the IEEE COM
                                  target takes DER_0 from com_config */
    const struct ls_com_config *com_config; /**< IEEE COM target: the configuration (not owned; required) */
    ls_reach_mode mode;      /**< statistical (default) or Monte Carlo (run.* keys apply) */
    double min_m, max_m;     /**< search range (m); 0 = the preset's (copper 0.05..10, optical 10..1e5) */
    unsigned grid;           /**< bracketing grid points, 4..64 (default 16) */
    double rel_tol;          /**< bisection tolerance on length, relative (default 0.005) */
    /** Called after each evaluation, from the calling thread, with the evaluations done and those
        planned (the grid, then the bisection steps its bracket needs; done == total at the end); NULL
        (the default) for none. The signature of ls_progress_fn (lanesim/run.h). */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;      /**< passed to progress */
    int confirm;             /**< Monte Carlo check of the statistical reach (default 1; 0 = unconfirmed) */
    double confirm_rel_tol;  /**< bisection tolerance of the Monte Carlo search down (default 0.02) */
} ls_reach_options;

/** How far the reach is backed by Monte Carlo. */
typedef enum {
    LS_REACH_UNCONFIRMED = 0, /**< not checked (confirm = 0, the COM target, or no reach to check) */
    LS_REACH_CONFIRMED = 1,   /**< Monte Carlo passes at the statistical reach (or the search was Monte Carlo) */
    LS_REACH_MC_LIMITED = 2   /**< Monte Carlo failed at the statistical reach: reach_m is the Monte Carlo one */
} ls_reach_check;

/** "unconfirmed", "confirmed", "mc-limited". */
const char *ls_reach_check_name(ls_reach_check k);

/** Most Monte Carlo evaluations a reach check records. */
#define LS_REACH_MAX_MC 32

/** Most evaluations a search records (a search makes at most grid + ~25 with the limits of the options). */
#define LS_REACH_MAX_EVALS 128

typedef struct {
    double reach_m;          /**< longest passing length; 0 if even min_m fails; max_m if max_m passes. With
                                  check = LS_REACH_MC_LIMITED the longest length Monte Carlo passes */
    double stat_reach_m;     /**< the statistical search's reach (= reach_m unless mc_limited; Monte Carlo search:
                                  the same as reach_m) */
    ls_reach_check check;    /**< confirmed, mc_limited or unconfirmed */
    double ber_at_reach;     /**< BER at reach_m: statistical (statistical mode), Monte Carlo (mode MC) */
    double cer_at_reach;     /**< post-FEC target: the random-error KP4 CER at reach_m (0 otherwise) */
    double com_db;           /**< COM target: COM at reach_m (dB, may be negative); NAN otherwise */
    double margin_db;        /**< dB above the target at reach_m, negative below it: COM - target, or
                                  SNR(target) - SNR(BER that decided) of the PAM closed form, with the BER that
                                  decided the Monte Carlo upper bound when checked, else ber_at_reach */
    double penalty_db;       /**< non-Gaussian penalty at reach_m: equalized SNR minus the closed-form SNR
                                  that gives ber_at_reach (0 for a Gaussian link) */
    double snr_eq_db;        /**< equalized SNR at reach_m */
    const char *limited_by;  /**< "noise", "isi", "jitter", "crosstalk", "power budget", "dispersion", "range" */
    unsigned evaluations;    /**< statistical (or, in mode MC, Monte Carlo) evaluations of the search */
    int nonmonotonic;        /**< the BER fell below the target again beyond the first failing length */
    int below_range;         /**< even min_m fails (with mc_limited: in Monte Carlo) */
    int above_range;         /**< max_m still passes */
    /** The evaluations in the order made (the first min(evaluations, LS_REACH_MAX_EVALS)): length (m) and
        its BER (or CER, or COM in dB); 0.5 where the link could not be built (no detectable signal). */
    double eval_length_m[LS_REACH_MAX_EVALS], eval_metric[LS_REACH_MAX_EVALS];
    /** The Monte Carlo check: the run at reach_m (have_mc), and at the statistical reach when it failed */
    int have_mc;
    double mc_ber, mc_ber_ci95_lo, mc_ber_ci95_hi;
    uint64_t mc_bits, mc_bit_errors;
    int have_mc_stat;              /**< mc_limited: the run at stat_reach_m that refuted it */
    double mc_stat_ber, mc_stat_ber_ci95_hi;
    char mc_stat_rx_failed[16];    /**< its receiver failure ("" none) */
    unsigned mc_evaluations;       /**< Monte Carlo runs of the check */
    double mc_length_m[LS_REACH_MAX_MC], mc_ber_hi[LS_REACH_MAX_MC]; /**< each run: length, BER upper bound */
} ls_reach_result;

void ls_reach_options_init(ls_reach_options *o);
/** Searches the reach of the link c (which must have link.length_m). msg gets a one-line reason on failure. */
LS_NODISCARD ls_status ls_reach(const ls_config *c, const ls_reach_options *o, ls_reach_result *r, char *msg,
                                size_t cap);

#ifdef __cplusplus
}
#endif
#endif

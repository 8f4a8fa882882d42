/**
 * @file reach.h
 * Reach: the longest link.length_m at which a link meets a BER target.
 *
 * The BER is evaluated on a logarithmic grid of lengths between min and max (statistical analysis by
 * default: milliseconds per point; or Monte Carlo), which brackets the first crossing of the target
 * and detects a BER that is not monotonic in length (reported, not hidden: the reach is then the end
 * of the first passing stretch). The crossing is refined by bisection in log length until the
 * bracket is within rel_tol. At the reach the result reports the BER, the Gaussian-equivalent margin
 * (equalized SNR minus the SNR the PAM closed form needs for the target) and what limits the link:
 * the largest of noise, residual ISI, TX jitter and crosstalk at the slicer (for optical links:
 * "power budget" for noise, "dispersion" for ISI when |D| L is the larger cause).
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

typedef enum { LS_REACH_PRE_FEC = 0, LS_REACH_POST_FEC = 1, LS_REACH_COM = 2 } ls_reach_target;
typedef enum { LS_REACH_STAT = 0, LS_REACH_MC = 1 } ls_reach_mode;

typedef struct {
    ls_reach_target target;  /**< pre-FEC BER, post-FEC codeword error ratio (RS(544,514), random errors), or
                                  the COM-style margin of ls_link_com (statistical mode only) */
    double target_value;     /**< the BER (default 2.4e-4) or CER (1e-13) not to exceed, or the COM (dB, 3) to reach */
    double der0;             /**< COM target: detector error ratio DER0 (default 2e-4, 802.3dj) */
    ls_reach_mode mode;      /**< statistical (default) or Monte Carlo (run.* keys apply) */
    double min_m, max_m;     /**< search range (m); 0 = the preset's (copper 0.05..10, optical 10..1e5) */
    unsigned grid;           /**< bracketing grid points, 4..64 (default 16) */
    double rel_tol;          /**< bisection tolerance on length, relative (default 0.005) */
    /** Called after each evaluation, from the calling thread, with the evaluations done and those
        planned (the grid, then the bisection steps its bracket needs; done == total at the end); NULL
        (the default) for none. The signature of ls_progress_fn (lanesim/run.h). */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;      /**< passed to progress */
} ls_reach_options;

/** Most evaluations a search records (a search makes at most grid + ~25 with the limits of the options). */
#define LS_REACH_MAX_EVALS 128

typedef struct {
    double reach_m;          /**< longest passing length; 0 if even min_m fails; max_m if max_m passes */
    double ber_at_reach;     /**< BER (or CER, or COM in dB) at reach_m */
    double margin_db;        /**< equalized SNR at reach minus the closed-form SNR for the target (COM target:
                                  COM at reach minus the target) */
    const char *limited_by;  /**< "noise", "isi", "jitter", "crosstalk", "power budget", "dispersion", "range" */
    unsigned evaluations;    /**< BER evaluations made */
    int nonmonotonic;        /**< the BER fell below the target again beyond the first failing length */
    int below_range;         /**< even min_m fails */
    int above_range;         /**< max_m still passes */
    /** The evaluations in the order made (the first min(evaluations, LS_REACH_MAX_EVALS)): length (m) and
        its BER (or CER); 0.5 where the link could not be built (no detectable signal). */
    double eval_length_m[LS_REACH_MAX_EVALS], eval_metric[LS_REACH_MAX_EVALS];
} ls_reach_result;

void ls_reach_options_init(ls_reach_options *o);
/** Searches the reach of the link c (which must have link.length_m). msg gets a one-line reason on failure. */
LS_NODISCARD ls_status ls_reach(const ls_config *c, const ls_reach_options *o, ls_reach_result *r, char *msg,
                                size_t cap);

#ifdef __cplusplus
}
#endif
#endif

/**
 * @file eye.h
 * Eye diagram: a 2-UI density histogram per transmitted level, and the height and width of each
 * sub-eye at a stated BER, by the definition the statistical eye uses (docs/eye.md gives it in
 * full, with its equations and limits).
 *
 * Geometry: the waveform has sps samples per unit interval (UI). The histogram has 2*sps columns
 * and n_bins rows, one plane per level. Column c holds samples at time (c - sps)/sps UI from a
 * decision instant, so column sps is the decision instant; decision instants sit at columns sps
 * (even symbols) and 0 (odd symbols). Row r covers [v_min + r*bw, v_min + (r+1)*bw),
 * bw = (v_max - v_min)/n_bins; samples below v_min (or NaN) count in row 0, samples at or above
 * v_max in row n_bins-1.
 *
 * Two ways in: ls_eye_add_rows takes each symbol's UI of samples around its decision instant
 * with the level transmitted (the link's eye); ls_eye_add takes a bare sample stream and files
 * each sample under the level its region decides (the slicer's decision without knowing the
 * symbol: clouds are then cut at the thresholds and eyes never read closed).
 *
 * Measurement (ls_eye_measure), sub-eye i between levels i and i+1 at phase o of the UI around
 * the decision instant (the two columns of that phase together), with p = 2 log2(M) target_ber:
 *  - L(o): P(y >= L | level i) = p and U(o): P(y < U | level i+1) = p, each read from its tail on
 *    the Q scale (a weighted straight-line fit of Phi^-1 of the empirical CDF between p, or 5
 *    samples when fewer, and max(0.1, 4x that), read at Phi^-1(p)), so the opening does not
 *    depend on the symbol count; a tail with fewer than two points there (a noiseless level) is
 *    its p-quantile with bins uniformly filled;
 *  - height_v = max(0, U(0) - L(0)), center_v = (U(0) + L(0))/2, level_lo_v / level_hi_v the
 *    means of the two levels at phase 0, height_sigma_v the standard error of height_v;
 *  - width_ui: the span of phases around 0 where U - L > 0, interpolated linearly at the first
 *    closed phase on each side, each side at most half a UI (0..1 UI); 0 if closed at phase 0.
 *  - a level with no samples gives height 0, width 0, center_v = th_i and a NaN mean.
 *
 * Not thread-safe for writing: ls_eye_add*, ls_eye_merge, ls_eye_reset and ls_eye_histogram
 * need exclusive use; ls_eye_measure and the other getters may run concurrently with each other.
 * Only create allocates.
 */
#ifndef LS_EYE_H
#define LS_EYE_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LS_EYE_MAX_LEVELS 8 /**< PAM8, the largest alphabet */
#define LS_EYE_MAX_SPS 128  /**< largest samples per UI */

/** Eye histogram (opaque). */
typedef struct ls_eye ls_eye;

/** Eye configuration; ls_eye_config_init gives the defaults noted here. */
typedef struct {
    unsigned sps;    /**< samples per UI, 1..128 (default 32); the histogram has 2*sps columns */
    unsigned n_bins; /**< vertical bins, 16..4096 (default 256) */
    double v_min, v_max; /**< vertical range (V), finite, v_min < v_max (default -1.5, 1.5);
                              samples outside count in the edge bins */
    unsigned levels;     /**< PAM-M levels, 2..8 (default 4) */
    /** levels-1 decision thresholds (V), strictly increasing and strictly inside (v_min, v_max)
     *  (default -2/3, 0, 2/3: PAM4 with levels -1, -1/3, 1/3, 1 as in lanesim/pam.h) */
    double thresholds[LS_EYE_MAX_LEVELS - 1];
    /** BER of the contour: each level's inner tail is read at p = 2 log2(levels) target_ber,
     *  which must be < 0.5; > 0 (default 2.4e-4, the KP4 FEC's pre-FEC BER) */
    double target_ber;
} ls_eye_config;

/** One sub-eye, measured at the sampling instant (column sps). */
typedef struct {
    double height_v;   /**< vertical opening U - L at the decision instant (V), >= 0 */
    double height_sigma_v; /**< standard error of height_v (V), from the tail fits */
    double width_ui;   /**< phases around the decision instant where U - L > 0 (UI), 0..1 */
    double center_v;   /**< (U + L)/2 (V) */
    double level_lo_v; /**< mean of level i at the decision instant (V); NaN if empty */
    double level_hi_v; /**< mean of level i+1 there (V); NaN if empty */
} ls_eye_opening;

/** All sub-eyes of a histogram. */
typedef struct {
    unsigned n_eyes;                           /**< levels - 1 */
    ls_eye_opening eye[LS_EYE_MAX_LEVELS - 1]; /**< [0] = lowest eye; entries >= n_eyes are zero */
    uint64_t samples;                          /**< samples accumulated since create/reset */
    double target_ber;                         /**< the contour's BER */
    double probability;                        /**< per-level tail probability 2 log2(M) target_ber */
} ls_eye_metrics;

/** Defaults: sps 32, 256 bins over [-1.5, 1.5] V, PAM4 thresholds -2/3, 0, 2/3, target BER 2.4e-4. */
void ls_eye_config_init(ls_eye_config *cfg);

/**
 * Creates an empty histogram ((levels + 1) x 2*sps x n_bins counts, 8 bytes each: 655 KiB at the
 * defaults, at most 72 MiB).
 * @param cfg  configuration (copied, not kept)
 * @param err  status out (may be NULL): LS_EINVAL for a NULL cfg or any field out of range
 *             (see ls_eye_config); LS_ENOMEM.
 * @return the histogram, or NULL on error. Free with ls_eye_destroy.
 */
LS_NODISCARD ls_eye *ls_eye_create(const ls_eye_config *cfg, ls_status *err);

/**
 * Accumulates n symbols' rows: row r, x[r*sps .. r*sps + sps), holds symbol k0 + r's samples (V) at
 * offsets j - sps/2 (integer division) samples from its decision instant, and level[r] (0..levels-1)
 * is the level transmitted. Even symbols land around column sps, odd ones around column 0 (wrapping).
 * @return LS_OK; LS_EINVAL for a NULL q, NULL x or level with n > 0, or a level out of range
 *         (nothing is counted). Never allocates; O(n sps).
 */
LS_NODISCARD ls_status ls_eye_add_rows(ls_eye *q, const float *x, const uint8_t *level, size_t n, uint64_t k0);

/**
 * Accumulates n samples (V) of a bare stream, each filed under the level of its region (as a
 * slicer with the thresholds decides): x[0] falls in column col0, each next sample in the next column,
 * wrapping after column 2*sps-1. Chunking is free: a stream cut anywhere, each chunk given the
 * column of its first sample, gives the same counts as one call.
 * @param x     [n] samples; any alignment; not kept. May be NULL when n is 0.
 * @param col0  column of x[0], 0..2*sps-1
 * @return LS_OK; LS_EINVAL for a NULL q, a NULL x with n > 0, or col0 out of range (nothing
 *         is counted). Never allocates; O(n), no division per sample.
 */
LS_NODISCARD ls_status ls_eye_add(ls_eye *q, const float *x, size_t n, unsigned col0);

/**
 * dst += src, count by count (and the sample totals). Requires the same sps, n_bins, levels, v_min
 * and v_max (else LS_EINVAL and dst is unchanged); dst keeps its own thresholds and target BER. dst == src doubles the counts. Never allocates.
 */
LS_NODISCARD ls_status ls_eye_merge(ls_eye *dst, const ls_eye *src);

/** Zeroes the counts (the configuration is kept). LS_EINVAL if q is NULL. Never allocates. */
LS_NODISCARD ls_status ls_eye_reset(ls_eye *q);

/**
 * Measures every sub-eye (definition in the file comment and docs/eye.md) into *m.
 * With no samples every sub-eye is empty (height 0, width 0).
 * @return LS_OK; LS_EINVAL for a NULL q or m. Never allocates; O(levels * sps * n_bins).
 */
LS_NODISCARD ls_status ls_eye_measure(const ls_eye *q, ls_eye_metrics *m);

/**
 * The counts of all levels together, row-major [col][row]: count(col, row) = h[col * rows + row],
 * row 0 at v_min, summed into a buffer of q at this call (not thread-safe; never allocates).
 * @param cols, rows  out: 2*sps and n_bins (each may be NULL)
 * @return a pointer owned by q, valid until ls_eye_destroy, refreshed by each call;
 *         NULL (and 0, 0) if q is NULL.
 */
const uint64_t *ls_eye_histogram(const ls_eye *q, unsigned *cols, unsigned *rows);

/** One level's counts, [col][row] as ls_eye_histogram, owned by q; NULL for a NULL q or a level out
 *  of range. */
const uint64_t *ls_eye_level_histogram(const ls_eye *q, unsigned level);

/** Centre voltage of row (V): v_min + (row + 0.5) * bw; NaN for a NULL q or row >= n_bins. */
double ls_eye_bin_voltage(const ls_eye *q, unsigned row);

/** Frees the histogram; NULL-safe. */
void ls_eye_destroy(ls_eye *q);

#ifdef __cplusplus
}
#endif
#endif

/**
 * @file eye.h
 * Eye diagram: a 2-UI density histogram of the slicer-input waveform, and the height and width
 * of each sub-eye measured from it (docs/eye.md gives the full definition and its limits).
 *
 * Geometry: the waveform has sps samples per unit interval (UI). The histogram has 2*sps
 * columns and n_bins rows. Column c holds the samples at time (c - sps)/sps UI from a sampling
 * instant, so column sps is the sampling instant; the caller says which column each chunk's
 * first sample falls in, and the columns then advance one per sample, wrapping after 2*sps-1
 * (consecutive 2-UI windows do not overlap). Row r covers [v_min + r*bw, v_min + (r+1)*bw),
 * bw = (v_max - v_min)/n_bins; samples below v_min (or NaN) count in row 0, samples at or above
 * v_max in row n_bins-1.
 *
 * Measurement (ls_eye_measure), for sub-eye i on threshold th_i (0 = lowest):
 *  - at a column, the lower cloud is the samples between th_{i-1} and th_i (-inf for i = 0) and
 *    the upper cloud those between th_i and th_{i+1} (+inf for the top eye), by value in that
 *    column; a sample on a threshold belongs to the region above it. Bins are treated as
 *    uniformly filled, so a bin that straddles a threshold is split in proportion;
 *  - inner edges: the upper cloud's hit_ratio quantile from below, U, and the lower cloud's
 *    (1 - hit_ratio) quantile, L (piecewise-linear CDF over the bins); height(c) = U - L;
 *  - height_v = height at column sps, center_v = (U + L)/2 there, level_lo_v / level_hi_v the
 *    means of the two clouds there (bin centres);
 *  - width_ui: the horizontal opening at the threshold. The eye is open at a column while both
 *    inner edges stay more than half a bin from th_i; the width is the span around column sps
 *    over which it stays open, with the ends interpolated linearly between columns. A clean
 *    edge fast enough to jump across the threshold between two columns is caught by
 *    extrapolating its speed over the last two columns. At most 2 UI; 0 if the eye is closed
 *    at the sampling column.
 *  - an empty cloud at the sampling column gives height 0, width 0, center_v = th_i and a NaN
 *    mean for that cloud.
 *
 * Not thread-safe for writing: ls_eye_add, ls_eye_merge and ls_eye_reset need exclusive use;
 * the read-only calls may run concurrently with each other. Only create allocates.
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
    /** eye contour: fraction of a cloud's samples allowed inside the opening, 0 <= r < 0.5
     *  (default 1e-4); 0 = strict extremes */
    double hit_ratio;
} ls_eye_config;

/** One sub-eye, measured at the sampling instant (column sps). */
typedef struct {
    double height_v;   /**< vertical opening U - L (V), >= 0 */
    double width_ui;   /**< horizontal opening at the threshold (UI), 0..2 */
    double center_v;   /**< (U + L)/2 (V) */
    double level_lo_v; /**< mean of the lower cloud (V); NaN if empty */
    double level_hi_v; /**< mean of the upper cloud (V); NaN if empty */
} ls_eye_opening;

/** All sub-eyes of a histogram. */
typedef struct {
    unsigned n_eyes;                           /**< levels - 1 */
    ls_eye_opening eye[LS_EYE_MAX_LEVELS - 1]; /**< [0] = lowest eye; entries >= n_eyes are zero */
    uint64_t samples;                          /**< samples accumulated since create/reset */
} ls_eye_metrics;

/** Defaults: sps 32, 256 bins over [-1.5, 1.5] V, PAM4 thresholds -2/3, 0, 2/3, hit ratio 1e-4. */
void ls_eye_config_init(ls_eye_config *cfg);

/**
 * Creates an empty histogram (2*sps x n_bins counts, 8 bytes each: at most 8 MiB).
 * @param cfg  configuration (copied, not kept)
 * @param err  status out (may be NULL): LS_EINVAL for a NULL cfg or any field out of range
 *             (see ls_eye_config); LS_ENOMEM.
 * @return the histogram, or NULL on error. Free with ls_eye_destroy.
 */
LS_NODISCARD ls_eye *ls_eye_create(const ls_eye_config *cfg, ls_status *err);

/**
 * Accumulates n samples (V): x[0] falls in column col0, each next sample in the next column,
 * wrapping after column 2*sps-1. Chunking is free: a stream cut anywhere, each chunk given the
 * column of its first sample, gives the same counts as one call.
 * @param x     [n] samples; any alignment; not kept. May be NULL when n is 0.
 * @param col0  column of x[0], 0..2*sps-1
 * @return LS_OK; LS_EINVAL for a NULL q, a NULL x with n > 0, or col0 out of range (nothing
 *         is counted). Never allocates; O(n), no division per sample.
 */
LS_NODISCARD ls_status ls_eye_add(ls_eye *q, const float *x, size_t n, unsigned col0);

/**
 * dst += src, count by count (and the sample totals). Requires the same sps, n_bins, v_min and
 * v_max (else LS_EINVAL and dst is unchanged); dst keeps its own levels, thresholds and hit
 * ratio. dst == src doubles the counts. Never allocates.
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
 * The counts, row-major [col][row]: count(col, row) = h[col * rows + row], row 0 at v_min.
 * @param cols, rows  out: 2*sps and n_bins (each may be NULL)
 * @return a pointer owned by q, valid until ls_eye_destroy, updated in place by add, merge and
 *         reset; NULL (and 0, 0) if q is NULL.
 */
const uint64_t *ls_eye_histogram(const ls_eye *q, unsigned *cols, unsigned *rows);

/** Centre voltage of row (V): v_min + (row + 0.5) * bw; NaN for a NULL q or row >= n_bins. */
double ls_eye_bin_voltage(const ls_eye *q, unsigned row);

/** Frees the histogram; NULL-safe. */
void ls_eye_destroy(ls_eye *q);

#ifdef __cplusplus
}
#endif
#endif

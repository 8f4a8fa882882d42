/**
 * @file touchstone.h
 * Measured channels from Touchstone S-parameter files: a reader (Touchstone v1 .sNp and v2.0),
 * mixed-mode (differential) conversion of 4-ports, a passivity check, and the channel as a linear
 * time-invariant block ("touchstone") whose H(f) is the interpolated SDD21 (or S21) with its bulk
 * delay removed. Equations, interpolation, roll-off and checks: docs/touchstone.md.
 *
 * Ports are 0-based in this API (port 1 of the file is 0). The S matrix is stored as read: no
 * renormalization to a common reference impedance is done.
 */
#ifndef LS_TOUCHSTONE_H
#define LS_TOUCHSTONE_H

#include <complex.h>
#include <limits.h>
#include <stddef.h>

#include "lanesim/block.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest port count the reader accepts. */
#define LS_TOUCHSTONE_MAX_PORTS 256u

/** "No port": the negative ports of a single-ended map (2-port files). */
#define LS_PORT_NONE UINT_MAX

/** Tolerance of the passivity check: warn when the largest singular value of S exceeds 1 + this. */
#define LS_TOUCHSTONE_PASSIVITY_TOL 1e-3

/** S-parameters read from one file: N ports, K frequencies. Immutable after reading. */
typedef struct ls_touchstone ls_touchstone;

/**
 * Reads a Touchstone file.
 *  - v1: the port count N comes from the extension .sNp (any N >= 1, case-insensitive); option
 *    line `# <Hz|kHz|MHz|GHz> S <RI|MA|DB> R <z0>` (any order, case-insensitive; defaults GHz S MA
 *    R 50; at most one, before the data); 2-port order 11 21 12 22, otherwise row by row
 *    (11 12 .. 1N 21 ..); one frequency's values may be spread over several lines.
 *  - v2.0: [Version] 2.0, [Number of Ports], [Two-Port Data Order] (12_21 or 21_12, required for
 *    2-ports), [Number of Frequencies], [Reference] (one z0 per port), [Matrix Format]
 *    (Full/Lower/Upper), [Network Data], [End]; [Begin Information] blocks and noise data are
 *    skipped; [Mixed-Mode Order] is rejected.
 * `!` starts a comment anywhere in a line. Frequencies must be >= 0 and strictly increasing.
 * @param path  file name (kept for messages)
 * @param msg   error text out (may be NULL): "FILE:LINE: reason" for a malformed file,
 *              "FILE: reason" when it cannot be read; truncated to cap
 * @param cap   size of msg
 * @param err   status out (may be NULL): LS_EINVAL (malformed: truncated, non-finite or
 *              unparsable number, non-increasing frequency, wrong value count, bad or duplicate
 *              option line, parameter other than S, no data), LS_EIO (unreadable), LS_ENOMEM
 * @return the object (free with ls_touchstone_destroy), or NULL on error. Thread-safe.
 */
ls_touchstone *ls_touchstone_read(const char *path, char *msg, size_t cap, ls_status *err);

/** Frees t; NULL-safe. */
void ls_touchstone_destroy(ls_touchstone *t);

/** N of a ".sNp" file name (case-insensitive; also ".sNp.gz", which ls_touchstone_read inflates);
 * 0 when the name has no such suffix. */
unsigned ls_touchstone_ports_from_name(const char *path);

/** Number of ports N (>= 1). */
unsigned ls_touchstone_ports(const ls_touchstone *t);

/** Number of frequency points K (>= 1). */
size_t ls_touchstone_points(const ls_touchstone *t);

/** The K frequencies (Hz), strictly increasing; owned by t. */
const double *ls_touchstone_freq_hz(const ls_touchstone *t);

/** S_ij at frequency index k (0-based ports i, j < N, k < K); NaN if out of range. */
double complex ls_touchstone_s(const ls_touchstone *t, size_t k, unsigned i, unsigned j);

/** Reference impedance (ohm) of port i (0-based); NaN if out of range. */
double ls_touchstone_z0(const ls_touchstone *t, unsigned port);

/** The path given to ls_touchstone_read; owned by t. */
const char *ls_touchstone_path(const ls_touchstone *t);

/**
 * Differential port map (0-based single-ended ports): the input pair (in_p, in_n) and the
 * output pair (out_p, out_n), with in_p -> out_p and in_n -> out_n the two through paths.
 * A single-ended map has in_n == out_n == LS_PORT_NONE: the channel is S(out_p, in_p).
 */
typedef struct {
    unsigned in_p, in_n, out_p, out_n;
} ls_port_map;

/**
 * Finds the through paths from the lowest frequency. N >= 4: the largest |S_ij| (i != j, using
 * (|S_ij| + |S_ji|) / 2), then the largest one disjoint from it; the thru holding the lowest port
 * is (in_p -> out_p), the other (in_n -> out_n), each from its lower to its higher port. E.g.
 * thrus 1-2 and 3-4 give in = (0, 2), out = (1, 3); 1-3 and 2-4 give in = (0, 1), out = (2, 3).
 * N = 2: {0, NONE, 1, NONE}. N = 3: the largest single-ended path.
 * @return LS_OK, LS_EINVAL (NULL argument, N = 1)
 */
LS_NODISCARD ls_status ls_touchstone_detect_map(const ls_touchstone *t, ls_port_map *m);

/** LS_OK when m is valid for t (ports < N; differential: four distinct ports), else LS_EINVAL. */
LS_NODISCARD ls_status ls_touchstone_check_map(const ls_touchstone *t, const ls_port_map *m);

/**
 * Mixed-mode parameters at frequency index k [Bockelman & Eisenstadt 1995]:
 *   SDD21 = (S_op,ip - S_op,in - S_on,ip + S_on,in) / 2
 *   SDD11 = (S_ip,ip - S_ip,in - S_in,ip + S_in,in) / 2
 *   SCD21 = (S_op,ip - S_op,in + S_on,ip - S_on,in) / 2
 * For a single-ended map: S(op,ip), S(ip,ip) and 0. Any output pointer may be NULL.
 * @return LS_OK, LS_EINVAL (invalid map or k >= K)
 */
LS_NODISCARD ls_status ls_touchstone_mixed(const ls_touchstone *t, const ls_port_map *m, size_t k,
                                           double complex *sdd21, double complex *sdd11,
                                           double complex *scd21);

/**
 * Insertion and return loss at f_hz: IL = -20 log10 |SDD21|, RL = -20 log10 |SDD11| (dB),
 * linearly interpolated in dB between the two neighbouring file points; below the first point
 * the first point's value; above the last point NaN (no data); |S| below 1e-30 counts as 600 dB.
 * Either output may be NULL.
 * @return LS_OK, LS_EINVAL (invalid map, f_hz negative or not finite)
 */
LS_NODISCARD ls_status ls_touchstone_loss_db(const ls_touchstone *t, const ls_port_map *m,
                                             double f_hz, double *il_db, double *rl_db);

/**
 * Passivity: the largest singular value of the full N x N matrix S over all frequencies (the
 * square root of the largest eigenvalue of S^H S, by power iteration).
 * @param sigma_max  largest value out
 * @param f_hz       its frequency out (may be NULL)
 * @param n_over     frequencies with sigma > 1 + LS_TOUCHSTONE_PASSIVITY_TOL out (may be NULL)
 * @return LS_OK, LS_EINVAL (NULL t or sigma_max)
 */
LS_NODISCARD ls_status ls_touchstone_passivity(const ls_touchstone *t, double *sigma_max,
                                               double *f_hz, size_t *n_over);

/** Configuration of the S-parameter channel block. */
typedef struct {
    const char *path;  /**< Touchstone file (.sNp or v2) */
    int auto_map;      /**< nonzero: find the port map with ls_touchstone_detect_map */
    ls_port_map map;   /**< used when auto_map == 0 */
    double fs_hint_hz; /**< sample rate of the simulation (Hz), 0 = unknown: when fs/2 > fmax a
                            warning says the response above fmax is extrapolated */
} ls_sparam_config;

/**
 * Reads cfg->path and fills *out with an LTI block ("touchstone", LS_T_F32 in and out) whose
 * response is SDD21 (S21 for single-ended maps) times exp(+j 2 pi f tau): the bulk delay tau is
 * removed (ls_sparam_delay_s) so that the fused FIR stays short. Between file points: linear in
 * dB and in unwrapped phase; below the first point (if > 0 Hz): magnitude held, phase linear to a
 * real DC value; above fmax: the dB and phase slopes of the top 5 % of the band continue, times a
 * Gaussian taper 100 dB down at 2 fmax. span_s (<= 20 ns) and pre_s (20 ps .. 2 ns) are measured
 * from the impulse response (docs/touchstone.md). Allocates; thread-safe. The block keeps no
 * pointer into cfg; its response never allocates and is thread-safe. Warnings (passivity,
 * causality, fmax below fs_hint_hz / 2) are kept in the block (ls_sparam_warnings).
 * @param msg  error text out (may be NULL), e.g. "FILE:LINE: reason"; cap its size
 * @return LS_OK; LS_EINVAL (NULL argument, malformed file, invalid map, fs_hint_hz negative);
 *         LS_EIO; LS_ENOMEM; LS_EFFT. On failure *out is cleared.
 */
LS_NODISCARD ls_status ls_sparam_into_block(const ls_sparam_config *cfg, ls_block *out, char *msg,
                                            size_t cap);

/**
 * As ls_sparam_into_block, from S-parameters already read (t is not kept; its path names the
 * file in warnings). m NULL means auto-detect.
 */
LS_NODISCARD ls_status ls_sparam_from_touchstone(const ls_touchstone *t, const ls_port_map *m,
                                                 double fs_hint_hz, ls_block *out, char *msg,
                                                 size_t cap);

/** Bulk delay (s) removed from the response of a "touchstone" block; NaN for any other block. */
double ls_sparam_delay_s(const ls_block *b);

/** Highest file frequency (Hz) of a "touchstone" block; NaN for any other block. */
double ls_sparam_fmax_hz(const ls_block *b);

/**
 * Warnings of a "touchstone" block, each naming the file: stores up to cap pointers (owned by
 * the block, valid until it is destroyed) in w and returns the total count (0 for other blocks).
 */
size_t ls_sparam_warnings(const ls_block *b, const char **w, size_t cap);

#ifdef __cplusplus
}
#endif
#endif

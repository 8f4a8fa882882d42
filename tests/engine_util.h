/* Shared helpers of the engine tests (tests/engine_util.c): links from a preset and key lists, and one
   frame with every receiver read recorded (ls_link_trace_samples). */
#ifndef LS_TEST_ENGINE_UTIL_H
#define LS_TEST_ENGINE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim.h"

/** A link of preset with the keys of base, then kv (either may be NULL), chunk symbols per chunk;
 *  asserts (Criterion) that every key is accepted and the link is made. */
ls_link *ls_test_link(const char *preset, const char *const *base, const char *const *kv, size_t chunk);
/** ls_test_link, then engine eng set (no per-sample output), asserted to be the one in effect. */
ls_link *ls_test_engine_link(const char *preset, const char *const *base, const char *const *kv, ls_link_engine eng,
                             size_t chunk);

/** One recorded frame: the reads (slot, instant, value), the symbol errors and the receiver's stats. */
typedef struct {
    size_t n;
    int64_t *slot;
    double *t;
    float *x;
    uint64_t sym_err;
    ls_rx_stats rx;
} ls_test_trace;

/** One frame of n counted symbols after the link's memory, from seed, every read recorded into tr. */
void ls_test_trace_run(ls_link *l, uint64_t seed, size_t n, ls_test_trace *tr);
void ls_test_trace_free(ls_test_trace *tr);

/** Noise-free equality of links a (sample path) and b (symbol engine): one recorded frame each (seed 3, 6000
 *  symbols) into ta, tb; asserted: the same number (> 6000) and slots of reads, the reads within dx_tol of
 *  the main cursor (0: not compared), the same symbol errors, the final and mean CDR phases within phase_tol
 *  UI. label names the case in the log. Returns the main cursor h0; the caller frees ta, tb. */
double ls_test_equal_reads(ls_link *a, ls_link *b, const char *label, double dx_tol, double phase_tol,
                           ls_test_trace *ta, ls_test_trace *tb);

/** The noise of the reads: a frame of n symbols (seed 5) on a noise-free link and on a noisy one read at the
 *  same instants (asserted), their difference's variance and lag-1, lag-2 correlation (past the first
 *  quarter: the start transients). */
void ls_test_read_noise(ls_link *clean, ls_link *noisy, size_t n, double *var, double *rho1, double *rho2);

/** The symbol error ratio of `seeds` frames (seeds 100, 101, ...) of n counted symbols each after the link's
 *  memory: their mean and sample variance (for a two-sample test between engines). */
void ls_test_ser_seeds(ls_link *l, int seeds, size_t n, double *mean, double *var);

#endif

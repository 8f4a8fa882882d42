/**
 * @file block.h
 * The block: one stage of the sample pipeline between the transmitter's DAC and the receiver's
 * sampler. Every block sees samples at the link's sample rate fs = sps * baud and keeps its
 * state between calls, so a run streams in bounded memory.
 *
 * Three kinds (docs/link.md, "The pipeline"):
 *  - LS_KIND_LTI: linear, time-invariant, described only by its transfer function H(f)
 *    (`response`). The link assembler multiplies consecutive LTI blocks into one H(f) and
 *    applies the product once by FFT overlap-save convolution (ls_fftfilt); an LTI block
 *    therefore has no `process`.
 *  - LS_KIND_MEMORYLESS: a pointwise map y = g(x) (`process`).
 *  - LS_KIND_STATEFUL: anything with memory or randomness (`process`, `reset`, `reseed`).
 *
 * Sample types: real float (electrical signals, volts) or complex float (optical field
 * envelope, sqrt(W)); the assembler checks that neighbouring blocks agree.
 *
 * Determinism: a random block draws from its own ls_rng stream, restarted by `reseed(seed,
 * frame)` at the start of every frame of a run; its output is then a pure function of (seed,
 * frame, input), whatever the chunk sizes and whatever thread runs the frame.
 */
#ifndef LS_BLOCK_H
#define LS_BLOCK_H

#include <complex.h>
#include <stddef.h>
#include <stdint.h>

#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How the link assembler treats a block. */
typedef enum {
    LS_KIND_LTI = 1,        /**< linear time-invariant: H(f) only, fused and FFT-convolved */
    LS_KIND_MEMORYLESS = 2, /**< pointwise non-linear map */
    LS_KIND_STATEFUL = 3    /**< memory and/or randomness */
} ls_block_kind;

/** Sample type on a block's input or output port. */
typedef enum {
    LS_T_F32 = 0,  /**< float: electrical signal (V) */
    LS_T_CF32 = 1  /**< float complex: optical field envelope (sqrt(W)) */
} ls_sample_type;

/** Operations of a block. Unused entries are NULL. */
typedef struct ls_block_ops {
    const char *name;       /**< model name, e.g. "lowpass", "awgn" */
    ls_block_kind kind;
    ls_sample_type in, out; /**< port types (LTI blocks: in == out) */

    /** LTI: H at n frequencies f_hz[] (Hz, may be negative for complex signals) into h[]. */
    ls_status (*response)(const void *self, const double *f_hz, double complex *h, size_t n);
    /** LTI: time (s) after t = 0 that holds the impulse response (energy beyond is < 1e-9). */
    double (*span_s)(const void *self);
    /** LTI: time (s) before t = 0 that a non-causal (zero-phase) response needs; 0 if causal. */
    double (*pre_s)(const void *self);

    /** Non-LTI: y[0..n) from x[0..n); x == y allowed; never allocates, prints or exits. */
    ls_status (*process)(void *self, const void *x, void *y, size_t n);
    /** Non-LTI: back to the state just after create (RNG stream included). */
    ls_status (*reset)(void *self);
    /** Random blocks: restart the RNG stream for (seed, frame). */
    void (*reseed)(void *self, uint64_t seed, uint64_t frame);
    /**
     * Small-signal model of a non-LTI block around an operating point, for the link's pulse
     * response (ideal CDR, thresholds, MMSE FFE, statistical analysis) through non-linear optics:
     * given the input operating point x0 (a real input is x0 + 0i), returns the output operating
     * point *y0 and the real-linear map of a small perturbation, dy = a dx + b conj(dx).
     * Examples: a memoryless F32 map y = g(x): y0 = g(x0), a = g'(x0), b = 0; a modulator
     * F32 -> CF32, E = f(v): y0 = f(x0), a = f'(x0), b = 0 (chirp makes a complex); a photodiode
     * CF32 -> F32, i = R |E|^2: y0 = R |x0|^2, a = R conj(x0), b = R x0; noise sources: y0 = x0,
     * a = 1, b = 0. NULL means the identity.
     */
    ls_status (*linearize)(const void *self, double complex x0, double complex *y0, double complex *a,
                           double complex *b);
    /** Noise sources: variance (signal units^2) of the white Gaussian noise added to each sample;
        NULL means none. The link propagates it through the following LTI stages to the slicer.
        For a block with an optical field output (LS_T_CF32) it is the variance of the relative
        intensity noise r (P -> P (1 + r)), which perturbs the field by dE = E0 r / 2. */
    double (*noise_var)(const void *self);
    /** Electrical power drawn by the block (mW); NULL means 0. */
    double (*power_mw)(const void *self);
    /** Frees self; NULL-safe. */
    void (*destroy)(void *self);
    /**
     * Frequency-dependent small-signal model of a non-LTI block with a real (F32) input and
     * memory, around the static input x0 (a real operating point): a_f[i] = dy/dx for an input
     * perturbation at frequency f_hz[i] (Hz, may be negative: two-sided grid), the block's own
     * dynamics included exactly as `process` implements them and no noise (b = 0). At f = 0 it
     * equals linearize's `a` at x0. Examples: a modulator F32 -> CF32 (DML relaxation oscillation
     * and adiabatic chirp, microring photon lifetime); EML and MZM: a constant. The link applies
     * a(f) to the drive perturbation by FFT for the pulse response and the noise propagation.
     * Returns LS_OK, or LS_EINVAL (x0 not finite, NULL arrays with n > 0). Never allocates.
     * NULL means no frequency dependence: the link uses linearize's constant `a` at every f.
     * (Appended last so that existing positional initializers keep their meaning.)
     */
    ls_status (*small_signal)(const void *self, double x0, const double *f_hz, double complex *a_f,
                              size_t n);
    /**
     * Sampling instants the block recovered during its last process call (a receiver's clock, e.g.
     * an IBIS-AMI model's clock times), in samples of its input stream since the last reset (sample i
     * at i), increasing: *t (owned by the block, valid until the next process or reset), *n of them
     * (0: none). The link samples the decisions there when the block is the chain's last
     * (ls_rx_push_clock). NULL: the block recovers no clock. (Appended last.)
     */
    void (*clock_times)(const void *self, const double **t, size_t *n);
    /**
     * Random blocks: quiet != 0 stops drawing noise (the output is the block's noiseless response,
     * its memory unchanged); 0 restores it. For the pattern engine's noiseless training runs
     * (docs/engines.md). NULL: the block cannot be silenced. Never allocates. (Appended last.)
     */
    void (*set_quiet)(void *self, int quiet);
} ls_block_ops;

/** A block instance: operations plus the object they act on (owned). */
typedef struct {
    const ls_block_ops *ops;
    void *self;
} ls_block;

/** Destroys b->self through its ops and clears *b; NULL-safe and safe on a cleared block. */
void ls_block_destroy(ls_block *b);

#ifdef __cplusplus
}
#endif
#endif

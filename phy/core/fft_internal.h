/*
 * Internal FFT helpers (never installed). phy/core/fft.c (real transforms, ls_fftfilt, planner
 * mutex) and phy/core/cfft.c (complex transforms, ls_cfftfilt) are the only files that include
 * fftw3.h; every other library file reaches FFTW through these functions.
 *
 * lsi_rfft is a real <-> complex single-precision transform pair of size n, planned once at
 * create on fftwf_malloc'd arrays that it owns. The transforms act on those arrays only
 * (`lsi_rfft_time`, `lsi_rfft_freq`): callers copy in, execute, copy out. Execution never
 * allocates and is safe from any thread (one object per thread at a time).
 *
 * Planner serialization: FFTW's planner is process-global and not thread-safe. fft.c guards
 * every planner call it makes (plan creation, fftwf_destroy_plan, fftwf_malloc/free) with one
 * process-wide mutex, so lsi_rfft and ls_fftfilt objects may be created and destroyed from any
 * thread. Code that makes FFTW plans indirectly (for example a liquid-dsp object built on FFTW)
 * should hold the same mutex around that create/destroy through lsi_fft_planner_lock/unlock.
 */
#ifndef LS_FFT_INTERNAL_H
#define LS_FFT_INTERNAL_H

#include <complex.h>
#include <stddef.h>

#include "lanesim/block.h"
#include "lanesim/fftfilt.h"
#include "lanesim/status.h"

/** A real <-> complex FFT pair of size n (float), owning its fftwf_malloc buffers. */
typedef struct lsi_rfft lsi_rfft;

/**
 * Plans a size-n real FFT pair with FFTW_ESTIMATE (deterministic, arrays untouched).
 * @param n    transform length, 1..2^30 (any length works; powers of two are fastest)
 * @param err  status out (may be NULL): LS_EINVAL for a bad n, LS_ENOMEM, LS_EFFT (no plan)
 * @return the object with both arrays zeroed, or NULL on error. Thread-safe.
 */
lsi_rfft *lsi_rfft_create(size_t n, ls_status *err);

/**
 * As lsi_rfft_create, but measure = LSI_FFT_MEASURE plans with FFTW_MEASURE (slower create,
 * possibly faster execution; without matching wisdom the plan, and so the rounding, may differ
 * from run to run) and LSI_FFT_PATIENT with FFTW_PATIENT (for the wisdom generator). Arrays are
 * zeroed after planning.
 */
lsi_rfft *lsi_rfft_create_planned(size_t n, int measure, ls_status *err);

/**
 * As lsi_rfft_create_planned, but the inverse writes a second array (lsi_rfft_out) and leaves the
 * time array, the forward's input, alone: an overlap-save frame can then stay in place.
 */
lsi_rfft *lsi_rfft_create_split(size_t n, int measure, ls_status *err);

/** The inverse transform's output: n floats; the time array unless the pair is split. */
float *lsi_rfft_out(lsi_rfft *p);

/** The time-domain array: n floats, 16-byte aligned or better. Forward input, inverse output. */
float *lsi_rfft_time(lsi_rfft *p);

/** The frequency-domain array: n/2+1 bins (DC first). Output of forward, input of inverse. */
float complex *lsi_rfft_freq(lsi_rfft *p);

/** time -> freq, unnormalized: X[k] = sum_m x[m] exp(-2 pi i k m / n). Keeps time intact. */
void lsi_rfft_forward(lsi_rfft *p);

/**
 * freq -> time, unnormalized (the caller scales by 1/n). Overwrites the freq array with
 * scratch values (FFTW c2r destroys its input).
 */
void lsi_rfft_inverse(lsi_rfft *p);

/** The forward transform of in[0..n) into out[0..n/2], other arrays than the plan's own (FFTW's new-array
 *  execute: the same plan, the same values); in and out must be aligned as ls_alloc's blocks (64 bytes)
 *  and not overlap; in is not changed. */
void lsi_rfft_forward_arrays(lsi_rfft *p, const float *in, float complex *out);

/** The inverse transform of the plan's own freq array into out[0..n) (another array than the plan's; aligned
 *  as ls_alloc's blocks): lsi_rfft_inverse's values there. Overwrites freq with scratch values. */
void lsi_rfft_inverse_to(lsi_rfft *p, float *out);

/** Transform length n. */
size_t lsi_rfft_size(const lsi_rfft *p);

/** Frees plans and arrays; NULL-safe; thread-safe. */
void lsi_rfft_destroy(lsi_rfft *p);

/** Linear convolution c[0..na+nb-1) = a * b by FFT (single precision). */
ls_status lsi_convolve(const float *a, size_t na, const float *b, size_t nb, float *c);

/* The overlap-save queue of ls_fftfilt and ls_cfftfilt (fftfilt.c): elements of esz bytes; the frame in = [hist
   previous inputs | L new] (the forward transform's input), out the last block's L outputs (the inverse's);
   block(ctx) transforms a full frame into out, the queue then moves the frame's last hist inputs to its head. */
typedef struct {
    unsigned char *in;
    const unsigned char *out;
    size_t esz, L, hist;
    void (*block)(void *ctx);
    void *ctx;
} lsi_os_queue;
/* n inputs x in and n outputs y out (x == y allowed; y[i] = the input L samples earlier, filtered); *fill: the
   current block's inputs buffered, 0..L-1 between calls */
void lsi_os_process(const lsi_os_queue *o, size_t *fill, const void *x, void *y, size_t n);
/* f[k] *= hs[k] over n complex values stored as (re, im) float pairs */
void lsi_os_cmul(float *restrict f, const float *restrict hs, size_t n);

/**
 * A complex <-> complex single-precision DFT pair of size n (phy/core/cfft.c), owning two
 * fftwf_malloc arrays: `time` (forward input, inverse output) and `freq` (forward output, inverse
 * input). Both transforms are out of place and keep their input (FFTW c2c default). Planned
 * under the planner mutex; execution never allocates and is safe from any thread (one object
 * per thread at a time).
 */
typedef struct lsi_cfft lsi_cfft;

/**
 * Plans the pair with the rigor `measure` (LSI_FFT_ESTIMATE, _MEASURE or _PATIENT below); both
 * arrays zeroed.
 * @param n    transform length, 1..2^30
 * @param err  status out (may be NULL): LS_EINVAL, LS_ENOMEM, LS_EFFT
 * @return the object, or NULL on error. Thread-safe.
 */
lsi_cfft *lsi_cfft_create(size_t n, int measure, ls_status *err);

/** As lsi_cfft_create, but the inverse writes a second array (lsi_cfft_out), not `time`. */
lsi_cfft *lsi_cfft_create_split(size_t n, int measure, ls_status *err);

/** The inverse transform's output: n values; the time array unless the pair is split. */
float complex *lsi_cfft_out(lsi_cfft *p);

/** The time-domain array: n values, index m is sample m. */
float complex *lsi_cfft_time(lsi_cfft *p);

/** The frequency-domain array: n bins, bin k is frequency k/n (k >= n/2: (k - n)/n). */
float complex *lsi_cfft_freq(lsi_cfft *p);

/** time -> freq, unnormalized: X[k] = sum_m x[m] exp(-2 pi i k m / n). */
void lsi_cfft_forward(lsi_cfft *p);

/** freq -> time, unnormalized: x[m] = sum_k X[k] exp(+2 pi i k m / n) (caller scales by 1/n). */
void lsi_cfft_inverse(lsi_cfft *p);

/** Transform length n. */
size_t lsi_cfft_size(const lsi_cfft *p);

/** Frees plans and arrays; NULL-safe; thread-safe. */
void lsi_cfft_destroy(lsi_cfft *p);

/** Planning rigor for lsi_rfft_create_planned and lsi_cfft_create (the `measure` argument). */
enum { LSI_FFT_ESTIMATE = 0, LSI_FFT_MEASURE = 1, LSI_FFT_PATIENT = 2 };

/**
 * Shipped FFTW wisdom (phy/core/fft_wisdom.inc, made by scripts/gen_fft_wisdom.c with
 * FFTW_PATIENT on the power-of-two real and complex transforms that the FIR engines use).
 * FFTW's estimate mode takes any wisdom that matches a problem [FFTW 3.3.10 manual, sec. 4.3.2
 * "Planner Flags"], so the plans, and with them the rounding, are a fixed function of the wisdom:
 * deterministic from run to run. Wisdom from another FFTW version or build is refused by
 * FFTW's import (estimate-mode plans then); a plan in it that the CPU cannot run is dropped by
 * the planner. Imported once, by the first plan; the caller holds the planner mutex.
 */
void lsi_fft_wisdom_load_locked(void);
/** Whether the address space holds the margin FFTW's own allocations for a size-n transform need
 *  (FFTW aborts when they fail); call with the planner lock held, before FFTW allocates. */
int lsi_fft_headroom_locked(size_t n);

/** -1: the shipped wisdom was not loaded yet (no plan made); 0: FFTW refused it; 1: imported. */
int lsi_fft_wisdom_status(void);

/** 1 when the shipped wisdom was made by the FFTW version running now (then it must import). */
int lsi_fft_wisdom_for_this_fftw(void);

/** FFTW planner flags for a rigor above (FFTW_ESTIMATE, FFTW_MEASURE or FFTW_PATIENT). */
unsigned lsi_fft_flags(int measure);

/** FFTW's wisdom now (a malloc'd string for free()), for scripts/gen_fft_wisdom.c. */
char *lsi_fft_wisdom_export(void);

/** Forgets all wisdom and marks the shipped wisdom as loaded (scripts/gen_fft_wisdom.c). */
void lsi_fft_wisdom_forget(void);

/** Takes the process-wide FFTW planner mutex (for FFTW planning done outside fft.c). */
void lsi_fft_planner_lock(void);

/** Releases the mutex taken by lsi_fft_planner_lock. */
void lsi_fft_planner_unlock(void);

#ifdef FFTW3_H
/** The arrays and plans of an FFT pair (lsi_rfft: real time and out, n/2 + 1 bins; lsi_cfft: complex, n bins). */
typedef struct {
    size_t n;
    void *time, *out;    /* [n] each, fftwf_malloc; out == time unless split */
    fftwf_complex *freq; /* [n/2 + 1] (real) or [n] (complex), fftwf_malloc */
    fftwf_plan fwd, inv;
} lsi_fft_pair;
/** Allocates the arrays (split: out an array of its own, else time) and plans the pair (cplx: c2c forward and backward,
    else r2c and c2r) with the rigor measure, under the planner lock and with the shipped wisdom, then zeroes the arrays
    (FFTW_MEASURE scribbles on them); LS_EINVAL (n outside 1..2^30), LS_ENOMEM, LS_EFFT (no plan). q zeroed before;
    lsi_fft_pair_free releases it whatever the outcome. */
ls_status lsi_fft_pair_make(lsi_fft_pair *q, size_t n, int measure, int split, int cplx);
void lsi_fft_pair_free(lsi_fft_pair *q);
#endif
/** An object of size bytes (calloc) whose first member is an lsi_fft_pair (lsi_rfft, lsi_cfft), the pair made in it
    (lsi_fft_pair_make); NULL and *err (may be NULL) on failure. Freed with lsi_fft_pair_delete (NULL-safe). */
void *lsi_fft_pair_new(size_t size, size_t n, int measure, int split, int cplx, ls_status *err);
void lsi_fft_pair_delete(void *obj);

/** ls_fftfilt's automatic FFT size for n_h taps: least measured cost per output sample (phy/core/fft.c). */
size_t lsi_fftfilt_auto_nfft(size_t n_h);

/** The measured time of one ls_fftfilt block of size nfft, in microseconds (the table of lsi_fftfilt_auto_nfft). */
double lsi_fftfilt_block_us(size_t nfft);

/* ---------------------------------------------------------------------------------------------
 * Two-rate FIR (phy/core/fir2.c, docs/link.md "The two-rate tail"): the head h[0..T) at the full rate
 * by an ls_fftfilt the caller owns, the tail h[T..) as its per-block means (blocks of D taps, DC kept)
 * at rate 1/D, interpolated linearly; the output has the head's latency. Its error against h is at most
 * B (l1 of the taps' change, for every output phase) at every frequency, the DC gain exact.
 */
typedef struct lsi_fir2 lsi_fir2;

/** A split: block length D, split tap T (a multiple of D), the FFT sizes, the bound B and the modelled costs. */
typedef struct {
    size_t D, T, head_nfft, tail_nfft;
    double bound;     /**< B = max over output phases of sum_k |k_r[k] - h[k]| (absolute, like h) */
    double cost_us;   /**< modelled cost per sample of the split, and of the single FIR (lsi_fftfilt_block_us) */
    double single_us;
} lsi_fir2_plan;

/** The split of h[0..nh) with B <= budget of least modelled cost, when it is >= 10 % cheaper than the single
 *  FIR and its latency no longer: 1 and *p, else 0 (also on a short FIR, D < 2, or no memory). */
int lsi_fir2_choose(const float *h, size_t nh, size_t D, double budget, lsi_fir2_plan *p);

/** B of the split at T (a multiple of D) computed directly (INFINITY on bad arguments): for tests. */
double lsi_fir2_bound(const float *h, size_t nh, size_t D, size_t T);

/** Creates the tail for plan p on h; head is the caller's ls_fftfilt of h[0..p->T) at p->head_nfft (not owned,
 *  reset by lsi_fir2_reset). NULL and *err on failure. */
lsi_fir2 *lsi_fir2_create(const float *h, size_t nh, const lsi_fir2_plan *p, ls_fftfilt *head, ls_status *err);

/** x[0..n) filtered in place (head + tail); bit-identical whatever the chunk sizes; never allocates. */
LS_NODISCARD ls_status lsi_fir2_process(lsi_fir2 *q, float *x, size_t n);

/** Head and tail back to the start state. */
LS_NODISCARD ls_status lsi_fir2_reset(lsi_fir2 *q);

/** The latency: the head's, L = head_nfft - T + 1. */
size_t lsi_fir2_latency(const lsi_fir2 *q);

/** The plan q was made with (NULL for NULL). */
const lsi_fir2_plan *lsi_fir2_plan_of(const lsi_fir2 *q);

/** Frees the tail (not the head); NULL-safe. */
void lsi_fir2_destroy(lsi_fir2 *q);

/** What a fused FIR is: tap `delay` is t = 0, and its errors against the analytic product H on the design grid. */
typedef struct {
    size_t delay;    /**< pre-cursor taps: the FIR's t = 0 is tap delay - lead */
    size_t lead;     /**< taps cut from the head (lsi_fuse_lti_cut; 0 otherwise) */
    double err_band; /**< max |DTFT(h) - H| / max |H| over |f| <= 0.9 fs/2 (DC included; <= LSI_FIR_TOL when met) */
    double err_dc;   /**< |sum h - H(0)| / |H(0)| (<= LSI_FIR_TOL / 10 when met) */
} lsi_fir_info;

/** The accuracy a fused FIR is designed to: relative in-band error on the design grid (phy/core/fuse.c). */
#define LSI_FIR_TOL 2.5e-4

/**
 * One FIR for the product of the real LTI blocks b[0..nb) at sample rate fs (phy/core/fuse.c, windowed
 * frequency sampling with pre-cursor taps, DC gain H(0) exact, in-band error checked): *h (ls_alloc'd,
 * *nh taps), *info (may be NULL). Used by the link's fused stages and the crosstalk paths.
 */
ls_status lsi_fuse_lti(const ls_block *const *b, size_t nb, double fs, float **h, size_t *nh, lsi_fir_info *info,
                       char *msg, size_t cap);

/**
 * The window of real taps h[0..nh) to keep: taps are dropped from the head while the dropped ones hold at most
 * head_frac of the energy sum h^2 and their sum |h| stays <= l1_max, from the tail likewise with tail_frac
 * (a fraction 0 keeps that end). *first is the first kept tap, *n (>= 1) the kept taps. phy/core/fir_window.c.
 */
void lsi_fir_energy_window(const float *h, size_t nh, double head_frac, double tail_frac, double l1_max,
                           size_t *first, size_t *n);

/**
 * As lsi_fuse_lti, then cut to the taps' energy (phy/core/fuse.c step 5: at most 1e-6 of the energy dropped,
 * both ends, while the design check still passes within 2.5e-5 more error): the link's fused stages. The FIR's
 * t = 0 is tap info->delay - info->lead, which is negative when the bulk delay was cut.
 */
ls_status lsi_fuse_lti_cut(const ls_block *const *b, size_t nb, double fs, float **h, size_t *nh,
                           lsi_fir_info *info, char *msg, size_t cap);

/** As lsi_fuse_lti on the optical field: complex taps, responses on the two-sided grid. */
ls_status lsi_fuse_field(const ls_block *const *b, size_t nb, double fs, float complex **h, size_t *nh,
                         lsi_fir_info *info, char *msg, size_t cap);

#endif

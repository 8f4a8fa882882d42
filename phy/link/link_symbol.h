/*
 * Internal: the symbol-rate engine of a linear link (phy/link/link_symbol.c, link_symbol_noise.c),
 * shared with link_frame.c and link.c. Not installed. Equations: docs/engines.md.
 */
#ifndef LS_LINK_LINK_SYMBOL_H
#define LS_LINK_LINK_SYMBOL_H

#include <stddef.h>
#include <stdint.h>

#include <complex.h>

#include "fft_internal.h"
#include "lanesim/rng.h"
#include "lanesim/status.h"
#include "lanesim/tx.h"
#include "ls_internal.h"

typedef struct ls_link ls_link;

/* Gaussian noise at the sampler: a coloured part (a symbol- or half-symbol-rate process from white
   noise through the zero-phase FIR c, whose autocorrelation is the sources' at those lags) and a white
   part (sources after the last filter: independent per sample, interpolated as the receiver does). */
typedef struct {
    float *c;            /* colouring FIR [nc] (NULL: no coloured noise) */
    size_t nc;
    unsigned rate;       /* coloured samples per UI: 1, or 2 when the CDR reads edge samples */
    double white_sigma;  /* white part per sample (V); 0 = none */
    float *wb;           /* white input, [nc - 1 + blk] */
    size_t blk;          /* coloured samples per block (overlap-save: FFT size - nc + 1) */
    lsi_rfft *fft;       /* the colouring by overlap-save FFT */
    float complex *Fc;   /* the spectrum of c / FFT size */
    float *ring;         /* coloured output ring [LSI_SYM_NRING] by index */
    uint64_t end;        /* coloured samples generated so far */
    float *gbuf;         /* buffered N(0,1) draws for the white part [LSI_SYM_NBLK] */
    size_t gpos;
    ls_rng rng_c, rng_w;
} lsi_sym_noise;

#define LSI_SYM_NBLK 1024u
#define LSI_SYM_NRING 16384u

/* The whole pulse and every edge's jitter by FFT at the symbol rate (link_symbol_tail.c); fft NULL: none (all direct).
   Kernel index r' = r - r0 (r the UI lag of a symbol or edge behind the read's UI q), output y = q - r0. */
typedef struct {
    long r0;             /* first UI lag of the kernels (<= 0: edges jittered into the read's UI) */
    size_t Lt, N, B;     /* kernel taps, FFT size, outputs per block */
    unsigned P;          /* = sps: phases j = 0..sps */
    long D;              /* DAC perturbation offsets k = -D..D (samples from the nominal edge) */
    lsi_rfft *fft;
    float complex *Fg;   /* [(P + 1)][N/2 + 1] pulse kernel spectra by phase j */
    float complex *Fh;   /* [(P + 2 D + 1)][N/2 + 1] impulse kernel spectra by phase j - k (+ D) */
    float complex *U;    /* [2 blocks][1 + 2 D + 1][us] input spectra (u; v_k) by block parity */
    size_t us;           /* their stride: N/2 + 1 rounded up to 8 bins (64 bytes: lsi_rfft_forward_arrays) */
    float *V;            /* [2 D + 1][N] the perturbation sequences v_k of one block (scratch) */
    int64_t in_tag[2];   /* their blocks (-1: none) */
    long k_lo[2], k_hi[2]; /* the offsets k the block's edges use (k_lo > k_hi: none) */
    float *T;            /* [(P + 1)][2][N] the inverse transforms by phase and block parity: outputs at Lt - 1 .. N - 1 */
    int64_t *out_tag;    /* [(P + 1)][2] their blocks */
    int64_t hint_bi, hint_y0; /* the block of the last read and its first output */
} lsi_sym_tail;

/* One crosstalk aggressor of the symbol engine (link_symbol_xtalk.c): its DAC stream as steps at the
   positions the sample path's xtalk block puts them (phy/xtalk.c: a random start offset, one dropped
   stretch of d < sps samples per block), summed directly through the step response S of its path. */
typedef struct {
    ls_tx *tx;            /* borrowed from the xtalk block (both paths restart it at their frame start) */
    ls_rng rng;           /* its clock phase steps, drawn in the xtalk block's order */
    uint64_t phase_stream;
    unsigned sps;
    size_t B;             /* symbols per block (block_ui) */
    int64_t shift;        /* receiver sample of the block's sample 0: skipped fills before it + later latencies */
    int64_t c_base;       /* n_h - 1 + sps */
    int64_t c;            /* c_base + r: the block's read-ahead into its filtered stream (r random) */
    long s_lo, s_hi;      /* the path's impulse response to the sampler, cut: [s_lo, s_hi) */
    double *S;            /* its step response on [s_lo - 2, s_hi + 2) (0 before, Stot after) */
    double Stot;
    size_t mask;          /* edge ring (by aggressor UI m) of mask + 1 entries */
    int64_t *ep;          /* integer sample position at the receiver */
    float *ef;            /* fractional part */
    double *ed, *el;      /* step and the level after it */
    int64_t m_gen, m_hint;
    int64_t blk;          /* the next block to generate */
    int64_t dcum;         /* samples dropped before it */
    uint32_t d_next;      /* its drop */
    double b0, b_prev;
    double *b, *tau;      /* [B] one block of the transmitter's FFE outputs and edge offsets */
    double *u;            /* [B] its UI values */
    /* the FFT form (no aggressor jitter; link_symbol_xtfft.c): block b's UIs u through the one-UI pulse
       G = S[x] - S[x - sps] at phase j by a linear convolution at the symbol rate (FFT of N) */
    lsi_rfft *fft;        /* NULL: the direct sum over the edges */
    size_t N, Lt, nslot;  /* FFT size, kernel taps (UI), block slots kept */
    long r0;              /* the kernels' first UI lag */
    float complex *Fk;    /* [sps][N/2 + 1] kernel spectra / N */
    float complex *U;     /* [nslot][N/2 + 1] block input spectra */
    int64_t *start;       /* [nslot] receiver position of the block's first UI on its regular grid */
    uint32_t *drop;       /* [nslot] its dropped samples d_b */
    double *ufirst;       /* [nslot] the value of its first UI */
    float *out;           /* [nslot][LSI_XT_NPH][N] outputs by phase (a small cache per block) */
    int32_t *out_ph;      /* [nslot][LSI_XT_NPH] their phases (-1: none) */
    uint32_t *out_next;   /* [nslot] the entry replaced next */
    int64_t start0;       /* the kept start of block 0 (z before it holds b_0) */
} lsi_sym_xt;
#define LSI_XT_NPH 8

typedef struct lsi_sym {
    unsigned sps;
    int sps_log2;      /* log2(sps) when sps is a power of two, else -1 */
    long off;          /* ring index of the DAC's sample 0 through the FIRs (their overlap-save latencies) */
    long t_lo;         /* first kept sample of the one-UI pulse g (bulk delay removed) */
    size_t R;          /* without the FFT part: polyphase taps per phase (0 with it) */
    float *G;          /* [(sps + 1) R]: G[j][R-1-r] = g[t_lo + j + r sps] (reversed for the dot product) */
    int jitter;        /* TX edge jitter: the step-response correction runs */
    long h_lo, h_hi;   /* h's span (cut as g) */
    long s_lo, s_hi;   /* step table span (relative to an edge), padded */
    double *S;         /* [s_hi - s_lo]: the discrete step response s[x] = sum_{n <= x} h[n] */
    long e_lo, e_hi;   /* edges that reach a sample: x = t - E0 in [e_lo, e_hi] */
    double sign;       /* -1 for an inverting chain */
    /* per UI history from ubase: u (the DAC value on the UI) and its starting edge (shift dn, fraction f, step d) */
    long hu;           /* history kept (UI) */
    size_t ulen;
    int64_t ubase;
    float *u, *ed, *ef;
    int32_t *en;
    double *b, *tau;   /* one chunk of the transmitter's FFE outputs and edge offsets */
    double b_last;     /* b of the previous symbol */
    lsi_sym_noise nz;
    lsi_sym_tail tl;
    int64_t last;      /* the newest UI of the history */
    lsi_sym_xt *xt;    /* crosstalk aggressors [n_xt] (link_symbol_xtalk.c) */
    size_t n_xt;
    int bad;           /* a sample was asked outside the history (a bug): the frame fails */
    lsi_read_pred pred; /* floor(t) of the next read of each slot parity, predicted (lsi_read_floor) */
    size_t ahead;      /* UIs generated before the receiver starts (whole chunks; split, link_symbol.c) */
} lsi_sym;

/* [lo, hi) of x[0..n) after dropping from each end the samples whose squares sum to at most (rel peak)^2
   (link_symbol_tail.c; also the pattern engine's cut, link_pattern.c, and the aggressors', link_symbol_xtalk.c) */
void lsi_cut_span(const double *x, size_t n, double rel, long *lo, long *hi);
/* Builds the engine if the link is linear; else LS_EINVAL and why in msg. */
ls_status lsi_link_symbol_build(ls_link *l, char *msg, size_t cap);
void lsi_link_symbol_destroy(lsi_sym *e);
/* Frame start and the next chunk (bits and levels into the link's rings at k_gen). */
ls_status lsi_link_symbol_start(ls_link *l, uint64_t seed, uint64_t frame);
ls_status lsi_link_symbol_chunk(ls_link *l, size_t k_gen);
double lsi_link_symbol_sample(void *ctx, double t, int64_t slot);
/* the recording sampler (ls_link_trace_samples) and the sample path's input to it */
double lsi_link_trace_sample(void *ctx, double t, int64_t slot);
void lsi_link_trace_wave(ls_link *l, const float *x, size_t n); /* x NULL: n zeros */
void lsi_link_trace_free(ls_link *l);
/* link_symbol_tail.c: the overlap-save machinery at the symbol rate (also the pattern engine's far tail).
   lsi_tail_plan: N, B and the buffers for Lt-tap kernels with at most slack outputs per block, phases
   0..P (P + 1 kernels Fg), nh more kernels (Fh) and nin input spectra per block parity; fft NULL when
   no block fits. lsi_tail_kernel: the spectrum of x[0..Lt) (zero-padded). lsi_tail_input: the spectrum
   of x[a .. a + N) (zeros where the index is negative) into U, a slot of tl->U (slots us bins apart:
   64-byte aligned, as the FFT's new-array execute needs); the inverse transforms go straight into T. A fill function puts phase j's spectrum of
   block bi (inputs in parity slot sl) into lsi_rfft_freq(fft); lsi_tail_at computes the block when it
   is not there (bad = 1 when its inputs are past last), lsi_tail_get reads it when it is. Output y =
   the newest input the kernel's first tap meets; the blocks lie on a fixed grid of B from y = 0. */
typedef void lsi_tail_fill_fn(void *ctx, int64_t bi, long j, size_t sl);
ls_status lsi_tail_plan(lsi_sym_tail *tl, size_t Lt, size_t slack, unsigned P, size_t nh, size_t nin);
void lsi_tail_kernel(lsi_sym_tail *tl, const float *x, float complex *F);
void lsi_tail_input(lsi_sym_tail *tl, const float *x, int64_t a, float complex *U);
void lsi_tail_start(lsi_sym_tail *tl);
double lsi_tail_at(lsi_sym_tail *tl, int64_t y, long j, int64_t last, int *bad, lsi_tail_fill_fn *fill, void *ctx);
static inline double lsi_tail_get(lsi_sym_tail *tl, int64_t y, long j, int64_t last, int *bad, lsi_tail_fill_fn *fill,
                                  void *ctx)
{
    if (y >= 0) {
        if ((uint64_t)(y - tl->hint_y0) >= tl->B) { /* another block than the last read's: divide */
            tl->hint_bi = y / (int64_t)tl->B;
            tl->hint_y0 = tl->hint_bi * (int64_t)tl->B;
        }
        const int64_t bi = tl->hint_bi;
        const size_t k = (size_t)j * 2 + (size_t)(bi & 1);
        if (tl->out_tag[k] == bi)
            return tl->T[k * tl->N + tl->Lt - 1 + (size_t)(y - tl->hint_y0)];
    }
    return lsi_tail_at(tl, y, j, last, bad, fill, ctx);
}
/* the symbol engine's: g [t_lo, hi) the one-UI pulse, h [h_lo, h_hi) the impulse response (both cut);
   UI lags [r0, r0 + Lt); its fill function (ctx: the lsi_sym) */
ls_status lsi_sym_tail_build(lsi_sym *e, const double *g, long hi, const float *h, long h_lo, long h_hi, long r0,
                             size_t Lt, size_t slack);
void lsi_sym_tail_fill(void *ctx, int64_t bi, long j, size_t sl);
void lsi_sym_tail_free(lsi_sym_tail *tl);
/* x[f] = a[f] b[f] (add: x[f] += ...) over n complex values stored as (re, im) floats; x may be a or b */
void lsi_sym_cmul(float *x, const float *a, const float *b, size_t n, int add);
/* link_symbol_noise.c */
ls_status lsi_sym_noise_build(ls_link *l, lsi_sym *e, char *msg, size_t cap);
void lsi_sym_noise_start(lsi_sym_noise *nz, uint64_t seed, uint64_t frame);
void lsi_sym_noise_fill(lsi_sym_noise *nz, uint64_t idx);
void lsi_sym_noise_refill(lsi_sym_noise *nz);
static inline double lsi_sym_noise_gauss(lsi_sym_noise *nz)
{
    if (nz->gpos == LSI_SYM_NBLK)
        lsi_sym_noise_refill(nz);
    return nz->gbuf[nz->gpos++];
}
/* The noise at the read of slot (fraction a between its grid samples): the coloured process's sample
   (blocks made out of line as the reads reach them) plus the white part interpolated as the receiver
   interpolates (inline: one read per receiver instant) */
static inline double lsi_sym_noise_at(lsi_sym_noise *nz, int64_t slot, double a)
{
    double v = 0;
    if (nz->c) {
        const uint64_t idx = (uint64_t)(nz->rate == 1 ? slot / 2 : slot + 1);
        if (idx >= nz->end)
            lsi_sym_noise_fill(nz, idx);
        v = nz->ring[idx & (LSI_SYM_NRING - 1)];
    }
    if (nz->white_sigma > 0) {
        double w = lsi_sym_noise_gauss(nz);
        if (a != 0)
            w = (1.0 - a) * w + a * lsi_sym_noise_gauss(nz);
        v += nz->white_sigma * w;
    }
    return v;
}
void lsi_sym_noise_free(lsi_sym_noise *nz);
/* link_symbol_xtalk.c: the aggressors of the link's xtalk blocks (none: n_xt = 0); their frame start; the
   sum of every aggressor at receiver samples ti and ti + 1 (0: outside the history, a bug) */
ls_status lsi_sym_xt_build(ls_link *l, lsi_sym *e, char *msg, size_t cap);
ls_status lsi_sym_xt_start(lsi_sym *e, uint64_t seed, uint64_t frame);
int lsi_sym_xt_pair(lsi_sym *e, int64_t ti, double *c0, double *c1);
void lsi_sym_xt_free(lsi_sym *e);
int lsi_sym_xt_direct(const lsi_sym *e);    /* an aggressor is summed edge by edge (it jitters): slow */
int lsi_sym_xt_next_block(lsi_sym_xt *x); /* the aggressor's next block of B UIs (0: the transmitter failed) */
/* link_symbol_xtfft.c: the FFT form of an aggressor without jitter (plan, a block in, a read pair, free) */
ls_status lsi_sym_xtf_build(lsi_sym_xt *x);
void lsi_sym_xtf_block(lsi_sym_xt *x, int64_t b, const double *u, int64_t start, uint32_t drop);
int lsi_sym_xtf_need(const lsi_sym_xt *x, int64_t ti); /* a newer block reaches ti + 1: make it first */
int lsi_sym_xtf_pair(lsi_sym_xt *x, int64_t ti, double *c0, double *c1);
void lsi_sym_xtf_free(lsi_sym_xt *x);

#endif

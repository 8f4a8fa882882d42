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

typedef struct ls_link ls_link;

/* Gaussian noise at the sampler: a coloured part (a symbol- or half-symbol-rate process from white
   noise through the zero-phase FIR c, whose autocorrelation is the sources' at those lags) and a white
   part (sources after the last filter: independent per sample, interpolated as the receiver does). */
typedef struct {
    float *c;            /* colouring FIR [nc] (NULL: no coloured noise) */
    size_t nc;
    unsigned rate;       /* coloured samples per UI: 1, or 2 when the CDR reads edge samples */
    double white_sigma;  /* white part per sample (V); 0 = none */
    float *wb;           /* white input, [nc - 1 + LSI_SYM_NBLK] */
    float *ring;         /* coloured output ring [LSI_SYM_NRING] by index */
    uint64_t end;        /* coloured samples generated so far */
    float *gbuf;         /* buffered N(0,1) draws for the white part [LSI_SYM_NBLK] */
    size_t gpos;
    ls_rng rng_c, rng_w;
} lsi_sym_noise;

#define LSI_SYM_NBLK 1024u
#define LSI_SYM_NRING 16384u

/* The pulse's tail by FFT at the symbol rate (link_symbol_tail.c); fft NULL: no tail. */
typedef struct {
    size_t RH, Lt, N, B; /* head UIs, tail taps, FFT size, outputs per block */
    unsigned P;          /* = sps: phases j = 0..sps */
    lsi_rfft *fft;
    float complex *Fg, *Fh; /* [(P + 1)][N/2 + 1] kernel spectra (pulse tail; minus h tail for jitter) */
    float complex *U;       /* [2 blocks][2][N/2 + 1] input spectra (u; v = d delta) by block parity */
    int64_t in_tag[2];      /* their blocks (-1: none) */
    float *T;               /* [(P + 1)][2][B] tail outputs by phase and block parity, y = q - RH */
    int64_t *out_tag;       /* [(P + 1)][2] their blocks */
} lsi_sym_tail;

typedef struct lsi_sym {
    unsigned sps;
    long off;          /* ring index of the DAC's sample 0 through the FIRs (their overlap-save latencies) */
    long t_lo;         /* first kept sample of the one-UI pulse g (bulk delay removed) */
    size_t R;          /* polyphase taps per phase */
    float *G;          /* [(sps + 1) R]: G[j][R-1-r] = g[t_lo + j + r sps] (reversed for the dot product) */
    int jitter;        /* TX edge jitter: the step-response correction runs */
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
    int bad;           /* a sample was asked outside the history (a bug): the frame fails */
} lsi_sym;

/* [lo, hi) of x[0..n) after dropping from each end the samples whose squares sum to at most (rel peak)^2
   (also the pattern engine's cut, link_pattern.c) */
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
void lsi_link_trace_wave(ls_link *l, const float *x, size_t n);
void lsi_link_trace_free(ls_link *l);
/* link_symbol_tail.c */
ls_status lsi_sym_tail_build(lsi_sym *e, const double *g, long hi, const float *h, size_t nh, size_t RH, size_t Lt,
                             size_t slack);
void lsi_sym_tail_free(lsi_sym_tail *tl);
void lsi_sym_tail_start(lsi_sym *e);
/* the tail at output y = q - RH, phase j (0..sps); last: the newest UI index the history holds */
double lsi_sym_tail_at(lsi_sym *e, int64_t y, long j, int64_t last);
/* link_symbol_noise.c */
ls_status lsi_sym_noise_build(ls_link *l, lsi_sym *e, char *msg, size_t cap);
void lsi_sym_noise_start(lsi_sym_noise *nz, uint64_t seed, uint64_t frame);
double lsi_sym_noise_at(lsi_sym_noise *nz, int64_t slot, double a);
void lsi_sym_noise_free(lsi_sym_noise *nz);

#endif

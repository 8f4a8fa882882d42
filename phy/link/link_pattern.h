/*
 * Internal: the pattern engine of a non-linear (optical) link (phy/link/link_pattern.c,
 * link_pattern_train.c: the tables from training runs of the link's own stages; link_pattern_run.c:
 * the frame's symbols and the receiver's reads). Shared with link_frame.c and link.c. Not
 * installed. Equations: docs/engines.md "The pattern engine".
 */
#ifndef LS_LINK_LINK_PATTERN_H
#define LS_LINK_LINK_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/status.h"
#include "link_symbol.h"

typedef struct ls_link ls_link;

#define LSI_PAT_MAX_K 8u          /* symbols per neighbourhood at most */
#define LSI_PAT_MAX_ENTRIES 4096u /* M^k at most */
#define LSI_PAT_SW 1u             /* the noise scale's symbols: q - 1 .. q + 1 */

typedef struct lsi_pat {
    unsigned sps, M, k; /* samples per UI, levels, neighbourhood */
    unsigned sps_log2;  /* log2(sps) when sps is a power of two */
    int c_lo;      /* the neighbourhood: cursors c_lo .. c_lo + k - 1 (cursor c: symbol q - c) */
    long off, t0;  /* grid sample i: p = i - off - t0, UI q = floor(p / sps), phase j = p - q sps */
    unsigned npat; /* M^k */
    float *T; /* [sps][npat] noiseless grid sample minus the linear tail (V, receiver polarity) */
    int ct_lo, ct_hi; /* the linear tail's and the jitter's cursors */
    size_t nt;        /* ct_hi - ct_lo + 1, padded to 8 */
    float *TT, *JH;   /* [sps][nt], reversed (r = ct_hi - c): tail pulse (zero inside the
                         neighbourhood)   and the small-signal impulse response at each edge */
    size_t jr0, jnr;  /* the jitter's span in r: [jr0, jr0 + jnr), multiples of 8 */
    float *S; /* [sps][nsp] noise scale by phase and symbols q+sw .. q-sw (nsp = M^(2 sw + 1)) */
    unsigned nsp;
    float *G, *Q;   /* [sps][M^3] the tail's (and jitter's) gain and curvature by phase and symbols
                       q+1, q, q-1: the tail s adds (G + Q s) s */
    double vlc[8];  /* the TX level values minus their mean (V) */
    double taps[8]; /* TX FFE in time order (for the training DAC) */
    size_t ntaps;
    double vlev[8];  /* TX level values (V) */
    lsi_sym *nsrc;   /* the symbol engine's noise process (its nz only) */
    double noise_r0; /* that process's variance at a grid sample (V^2) */
    /* per-symbol history from hbase: level index, centred level value, edge strength -d tau sps */
    size_t hlen, hkeep;
    int64_t hbase, last;
    uint8_t *hl;
    float *hv, *he;
    /* per UI q from hbase, once its symbols up to q + dq are there: the neighbourhood's index into T,
       the three-symbol index into G and Q, the noise scale's index into S */
    uint16_t *hp, *hg, *hn;
    int dq;
    double *b, *tau, b_last;
    int jitter, bad;
    /* the next read computed ahead (link_pattern_run.c): UI sp_q (INT64_MIN: none), phases sp_j and
       sp_j + 1, with the jitter flag sp_jit */
    int64_t sp_q;
    long sp_j;
    int sp_jit;
    lsi_read_pred pred; /* floor(t) of the next read of each slot parity, predicted (lsi_read_floor) */
    double sp_x0, sp_x1;
    /* the far tail, cursors c0 .. ct_hi (r < ft.Lt), by FFT at the symbol rate (link_symbol_tail.c's
       machinery, output y = q - c0; ft.fft NULL: all direct): kernels Fg = TT, Fh = JH per phase,
       inputs v~ and e per block parity (ft_jit: e's spectrum is there) */
    lsi_sym_tail ft;
    int c0, ft_jit[2];
    /* what the build measured (docs/engines.md) */
    double tail_frac; /* energy of the small-signal pulse outside the neighbourhood, of the whole */
    unsigned train_symbols, noise_reps;
} lsi_pat;

/* Builds the engine (training runs of the link's stages; from, when not NULL, the engine of a link of
   the same configuration whose trained tables are copied instead when the geometry matches); LS_EINVAL
   and why in msg when the link cannot use it. */
ls_status lsi_link_pattern_build(ls_link *l, const lsi_pat *from, char *msg, size_t cap);
void lsi_link_pattern_destroy(lsi_pat *e);
/* link_pattern_train.c: T, G, Q and S from training runs of the link's stages (the rest of e built)
 */
ls_status lsi_pat_train(ls_link *l, lsi_pat *e, char *msg, size_t cap);
/* link_pattern_run.c: frame start, the next chunk of symbols (into the link's rings at k_gen), a
 * read */
void lsi_pat_far_fill(void *ctx, int64_t bi, long j, size_t sl);
ls_status lsi_link_pattern_start(ls_link *l, uint64_t seed, uint64_t frame);
ls_status lsi_link_pattern_chunk(ls_link *l, size_t k_gen);
double lsi_link_pattern_sample(void *ctx, double t, int64_t slot);

#endif

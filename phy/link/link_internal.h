/*
 * Internal: the link object shared by the files of phy/link/ (link.c: assembly and getters;
 * link_stages.c, link_pulse.c, link_eq.c: assembly stages; link_frame.c: frames; link_ssm.c:
 * small-signal operating points and propagation; link_noise.c: noise and crosstalk at the sampler;
 * link_eq.c: equalizer solution, equalized SNR, CDR detector slope; link_stat.c: statistical
 * analysis). Not installed.
 */
#ifndef LS_LINK_LINK_INTERNAL_H
#define LS_LINK_LINK_INTERNAL_H

#include <complex.h>
#include <stddef.h>

#include "lanesim/cfftfilt.h"
#include "lanesim/fftfilt.h"
#include "lanesim/link.h"
#include "lanesim/rx.h"
#include "lanesim/tx.h"
#include "lanesim/xtalk.h"
#include "ls_link_spec.h"
#include "link_pattern.h"
#include "link_symbol.h"

#define MAX_STAGES (LSI_MAX_BLOCKS + 1)

typedef struct {
    ls_fftfilt *fir;   /* fused real LTI group, or NULL (with fir2: the two-rate FIR's head) */
    struct lsi_fir2 *fir2; /* its slow tail at the symbol rate (phy/core/fir2.c), or NULL */
    float *h;          /* its impulse response (kept for noise propagation) */
    size_t nh;
    ls_cfftfilt *cfir; /* fused complex (optical field) LTI group, or NULL */
    float complex *hc; /* its impulse response */
    size_t nhc;
    ls_block blk;      /* otherwise a non-LTI block */
} stage;

struct ls_link {
    ls_link_info info;
    ls_tx *tx;
    stage st[MAX_STAGES];
    size_t n_st;
    float *pulse;
    size_t n_pulse;
    size_t chunk;        /* symbols per chunk */
    float *wave;         /* chunk * sps */
    float complex *cwave;/* chunk * sps, when the chain carries an optical field */
    double complex *op;  /* small-signal operating point at each stage input, n_st + 1 */
    double dc_v;         /* operating point (DC) at the sampler */
    double dcq;          /* that DC at the FFE output (levels and thresholds include it) */
    int invert;          /* receive polarity swapped (an inverting chain, e.g. a push-pull MZM at quadrature) */
    double eye_lv[8];    /* analog levels at the sampler without DC: pulse peak x level values */
    double lv_eff[8];    /* level values after the static non-linearities (lsi_link_static_levels) */
    ls_rx *rx;           /* sampler, CDR, ADC, FFE, DFE, slicer */
    float *peq;          /* pulse response after the FFE (n_pulse + (ffe_taps-1) sps) */
    size_t n_peq, peq_main;
    double noise_acf[LS_RX_MAX_FFE]; /* noise autocorrelation at the FFE input, symbol lags (V^2) */
    double xt_acf[LS_RX_MAX_FFE];    /* its crosstalk share (V^2) */
    float *xt_g[LS_XTALK_MAX_AGG];   /* crosstalk: each aggressor's pulse at the FFE input, then after it */
    size_t xt_n[LS_XTALK_MAX_AGG], n_xt;
    double dfe[LS_RX_MAX_DFE];
    unsigned n_dfe;
    double ffe[LS_RX_MAX_FFE];       /* RX FFE taps as designed at create (time order), for ls_link_response */
    unsigned n_ffe, ffe_pre;
    ls_block ctle[4];                /* the CTLE blocks, kept after fusion for ls_link_response */
    unsigned n_ctle;
    double rj_ui, dj_ui, rlm;
    size_t rx_cap;
    uint8_t *rx_level, *rx_bits, *tx_level_c, *tx_bits_c; /* chunk + 2 */
    float *rx_y;         /* slicer inputs of the decisions (rx_cap), for the inner decoder; or NULL */
    uint8_t *ring_bits, *ring_level, *gen_bits, *gen_level;
    size_t ring_mask;
    unsigned eye_bins;
    double eye_ber;      /* the Monte Carlo eye's contour BER */
    double in_vmin, in_vmax; /* the receiver input's range (the input eye) */
    int precoding;
    double *pat_v;       /* pattern-dependent levels at the FFE output (no DC, correct DFE), or NULL (link_plut.c) */
    unsigned pat_pre, pat_post;
    double pat_sigma[8]; /* noise rms per transmitted level measured with the table */
    ls_rx_config pat_rc; /* the receiver the table is measured through */
    ls_tx_config pat_tx; /* the transmitter's configuration (the table's chain runs without DJ) */
    int pat_done;        /* the table was tried (at the first ls_link_stat: it costs a chain run) */
    lsi_sym *sym;        /* the symbol-rate engine's tables (link_symbol.c), or NULL */
    int engine_symbol;   /* ls_link_run_frame runs the symbol-rate engine (ls_link_set_engine) */
    lsi_pat *pat;        /* the pattern engine's tables (link_pattern.c), or NULL */
    int engine_pattern;  /* ls_link_run_frame runs the pattern engine */
    struct {             /* the receiver's reads, recorded (ls_link_trace_samples; link_symbol.c) */
        float *wave;     /* the sample path's receiver input of the frame [wcap] */
        size_t wcap, wn;
        int64_t *slot;
        double *t;
        float *x;
        size_t cap, n;
        int sym;         /* the frame runs the symbol engine (1) or the pattern engine (2) */
    } tr;
    char warn[LSI_MAX_WARN][LSI_WARN_LEN]; /* warnings about the inputs, from the specification */
    unsigned n_warn;
};


/* What the assembly stages of lsi_link_assemble pass on to each other. */
typedef struct {
    lsi_link_spec *spec; /* the link's own copy: its blocks move into the stages */
    size_t max_chunk;    /* symbols per chunk */
    double fs;           /* sample rate (Hz) */
    unsigned sps;
    size_t n_pulse;      /* the TX pulse's length, then the pulse response's at the sampler */
    size_t latency;      /* samples through the TX and the fused FIRs */
    int any_complex;     /* the chain carries an optical field */
    long ns;             /* sampling point in the pulse response */
    double ev2;          /* mean square PAM level value */
} lsi_assembly;

/* phy/link/link_pulse.c */
ls_status lsi_link_tx_pulse(ls_link *l, lsi_assembly *a);
ls_status lsi_link_pulse_response(ls_link *l, lsi_assembly *a, char *msg, size_t cap);
ls_status lsi_link_sampling_point(ls_link *l, lsi_assembly *a, char *msg, size_t cap);
/* phy/link/link_stages.c */
ls_status lsi_link_fuse(ls_link *l, lsi_assembly *a, char *msg, size_t cap);
/* phy/link/link_eq.c */
ls_status lsi_link_receiver(ls_link *l, lsi_assembly *a, char *msg, size_t cap);

/* phy/link/link_nstride.c: why the link is not linear with Gaussian noise (NULL: it is); the bounds eps_d
   (d = 1, 2, 4, .. dmax at eps[log2 d]; INFINITY past the first above LSI_NSTRIDE_TOL) of a source with
   response g[0..n) at the sampler drawn on every d-th sample; source p's stride (p = 0: the TX; an awgn
   block's stage + 1; others: unchanged), the largest d with eps_2 .. eps_d <= LSI_NSTRIDE_TOL; full: 1 */
#define LSI_NSTRIDE_TOL 1e-4
const char *lsi_link_not_linear(const ls_link *l);
ls_status lsi_noise_stride_bounds(const double complex *g, size_t n, unsigned dmax, double *eps);
ls_status lsi_link_noise_stride(ls_link *l, size_t p, const double complex *g, size_t ng, int full);

/* phy/link/link_ssm.c */
ls_status lsi_link_operating_points(ls_link *l);
ls_status lsi_link_propagate(const ls_link *l, size_t from, const double complex *x, size_t n, double complex **out,
                             size_t *n_out);
typedef ls_status (*lsi_stage_hook)(void *ctx, size_t k, const double complex *p, size_t np);
ls_status lsi_link_propagate_hook(const ls_link *l, size_t from, const double complex *x, size_t n,
                                  double complex **out, size_t *n_out, lsi_stage_hook hook, void *ctx);
/* effective level values u[0..M) at the sampler for the PAM level values v (TX pulse x[0..n)) */
ls_status lsi_link_static_levels(const ls_link *l, const double complex *x, size_t n, const double *v, unsigned M,
                                 double *u);
/* phy/link/link_frame.c: the frame helper (also used by link_plut.c) */
ls_status lsi_link_generate_chunk(ls_link *l, size_t k_gen, size_t n);
/* The bits and levels of the C symbols just generated (l->gen_bits, l->gen_level) into the rings at k_gen (inline:
   the three engines' files use it, and link_frame.c calls them). Through l, every byte stored would make the
   compiler read l's fields again (uint8_t aliases all): restrict locals, and the loop vectorizes. */
static inline void lsi_link_ring_put(ls_link *l, size_t k_gen, size_t C)
{
    uint8_t *restrict rb = l->ring_bits, *restrict rl = l->ring_level;
    const uint8_t *restrict gb = l->gen_bits, *restrict gl = l->gen_level;
    const size_t mask = l->ring_mask;
    for (size_t i = 0; i < C; i++) {
        rb[(k_gen + i) & mask] = gb[i];
        rl[(k_gen + i) & mask] = gl[i];
    }
}
/* phy/link/link_stages.c: the stages reset for a frame, and the chunk's n samples through stages
   0 .. stop-1 (l->n_st: all of them; q: stage i on its first q[i] samples only, or NULL); used by the
   frames, link_plut.c and link_pattern.c */
ls_status lsi_link_reset_stages(ls_link *l, uint64_t seed, uint64_t frame);
ls_status lsi_link_run_stages(ls_link *l, size_t stop, size_t n, const size_t *q);
/* phy/link/link_plut.c: pattern-dependent levels of a non-linear (optical) chain */
ls_status lsi_link_pattern_table(ls_link *l, const ls_rx_config *rc, char *msg, size_t cap);
/* phy/link/link_noise.c */
ls_status lsi_link_noise_at_sampler(ls_link *l, double tx_var, int full, char *msg, size_t cap);
double complex lsi_link_noise_input(const ls_link *l, size_t p);
ls_status lsi_link_xtalk_at_sampler(ls_link *l, char *msg, size_t cap);
ls_status lsi_link_xtalk_info(ls_link *l, const ls_rx_config *rc, char *msg, size_t cap);
double lsi_link_tx_jitter_var(const ls_link *l, double ev2);
void lsi_link_tx_edge_slopes(const ls_link *l, double g01[2], double *rest2);
/* phy/link/link_eq.c (with lsi_link_receiver above) */
ls_status lsi_link_solve_equalizer(ls_link *l, lsi_link_spec *spec, size_t ns, double ev2, char *msg, size_t cap);
void lsi_link_equalized_snr(ls_link *l, const ls_rx_config *rc, double ev2);
ls_status lsi_link_cdr_slope(ls_link *l, ls_rx_config *rc, double ev2, char *msg, size_t cap);

#endif

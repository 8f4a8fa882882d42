/*
 * Internal: the receiver's state, shared by phy/rx.c (sampler, equalizer, CDR, slicer) and
 * phy/rx_eye.c (the eye rows). Not installed.
 */
#ifndef LS_PHY_RX_INTERNAL_H
#define LS_PHY_RX_INTERNAL_H

#include <math.h>
#include <stdint.h>

#include "lanesim/mlse.h"
#include "lanesim/rng.h"
#include "lanesim/rx.h"

/* the ADC noise's draws are taken LSI_RX_NGAUSS at a time (lsi_rng_gauss_fill_d: the same values in the
   same order as one ls_rng_gauss per symbol), off the receiver's per-symbol loop */
#define LSI_RX_NGAUSS 256u

struct ls_rx {
    ls_rx_config cfg;
    float *ring;             /* sample history, power-of-two size */
    size_t mask;
    lsi_read_pred pred;      /* floor(t) of the next ring read of each slot parity, predicted (interp) */
    uint64_t m_end;          /* samples received so far */
    uint64_t s_next;         /* next symbol to sample */
    uint64_t k_limit;        /* decide symbols k < k_limit only */
    double ref[8];           /* slicer reference levels (adaptive when level_mu > 0) */
    float th[7];             /* slicer thresholds */
    double xr[2 * LS_RX_MAX_FFE]; /* FFE delay line, doubled ring: xr[xp + i] = x_{newest - i} */
    unsigned xp;             /* the newest sample's slot (slot j < ffe_taps also at j + ffe_taps) */
    double w[LS_RX_MAX_FFE], b[LS_RX_MAX_DFE];
    double dv[LS_RX_MAX_DFE]; /* decided level values v(d_{k-1..}) */
    double vlev[8];
    double cdr_tv[8];        /* MM CDR: cdr_target vlev[d], the phase detector's product by level */
    double phi, integ, kp, ki;
    double y_prev, r_prev;
    int have_prev;
    ls_rng rng;
    double adc_lsb, adc_sigma;
    double adc_inv;          /* 1 / adc_lsb: the code by a product (lsi_rx_adc_quant) */
    double adc_hinv, adc_ncode; /* (FS/2) adc_inv, 2^adc_bits: the fast path of lsi_rx_adc_quant */
    double *adc_out;         /* [2^adc_bits] (code + 0.5) adc_lsb - FS/2 by code when adc_bits <= 10, else NULL */
    double adc_clip_hi, adc_clip_lo; /* clip count limits: +-(FS/2 - LSB/2) */
    double *agb;             /* [LSI_RX_NGAUSS] the ADC's next Gaussian draws from rng, in stream order (adc_sigma > 0) */
    unsigned agpos;          /* the next unused draw in agb (LSI_RX_NGAUSS: empty) */
    ls_mlse *mlse;           /* MLSE detector (mlse_on), else NULL */
    uint64_t k_emit;         /* MLSE: next symbol to emit */
    float *y_ring;           /* MLSE: tentative slicer inputs awaiting their decision, [mlse_depth] */
    /* eye rows (cfg.eye != LS_RX_EYE_NONE): docs/eye.md "The Monte Carlo eye" */
    int eye_on;              /* rows computed (ls_rx_set_eye) */
    unsigned eh;             /* sps / 2: row sample j sits at offset j - eh from the decision instant */
    float *erow;             /* [2 ffe_taps][sps]: each sampled symbol's row at every phase, doubled ring */
    unsigned epos;           /* the newest row's slot in erow (rows i = 0..nf-1 at epos + i) */
    float *eacc;             /* [sps] FFE across phases */
    float *eout;             /* [eout_rows][sps]: rows of the last call's decisions */
    size_t eout_rows;
    float *e_ring;           /* MLSE: rows awaiting their decision, [mlse_depth][sps] */
    /* external clock (cfg.ext_clock): queued sampling instants (samples), a ring of clk_cap */
    double *clk;
    size_t clk_cap, clk_head, clk_n;
    int clk_used;            /* an instant set the phase in this frame: the CDR is bypassed */
    /* statistics of the frame */
    double ph_sum, ph_sum2, ema;
    uint64_t ph_n, settled, clipped;
    int64_t lock;
    int64_t limit;           /* first symbol whose CDR update hit the +-1 UI limit, -1 none */
    ls_rx_sampler sampler;   /* the receiver input at any instant instead of the ring (ls_rx_set_sampler), or NULL */
    void *sampler_ctx;
};

/* ADC transfer without noise: clip to +-FS/2, quantize to the code's centre. The code is
   floor((c + FS/2) / LSB); the product by 1 / LSB differs from that quotient by a few ulp, so its
   floor is the quotient's wherever the product is further than 1e-9 from an integer (codes < 2^16,
   ulp < 2^-36); closer (or NaN), the quotient decides. Bit for bit the quotient's floor, without
   its division. */
static inline double lsi_rx_adc_quant(const ls_rx *q, double x)
{
    if (q->adc_out) {
        /* fast path: tf = x / LSB + FS / (2 LSB) is within ~2^(adc_bits - 51) of the exact (x + FS/2) / LSB
           (and of the quotient below); where it lies in [0, 2^adc_bits) further than 1e-9 from an integer,
           x is inside +-FS/2 (no clipping) and its floor is the quotient's code: the same value, without
           the clip and the sum before the product on the receiver's serial chain */
        const double tf = x * q->adc_inv + q->adc_hinv;
        if (tf >= 0 && tf < q->adc_ncode) {
            const int64_t it = (int64_t)tf;
            const double fr = tf - (double)it;
            if (fr >= 1e-9 && fr <= 1.0 - 1e-9)
                return q->adc_out[it];
        }
    }
    const double half = 0.5 * q->cfg.adc_fs_v;
    double c = x > half ? half : (x < -half ? -half : x);
    const double a = c + half, t = a * q->adc_inv;
    /* floor by truncation: t >= 0 (NaN and huge t fall through to the quotient) */
    const int64_t it = t < 0x1p52 ? (int64_t)t : 0;
    double code = (double)it;
    const int64_t itop = (int64_t)(1u << q->cfg.adc_bits) - 1;
    if (!(t - code >= 1e-9 && t - code <= 1.0 - 1e-9))
        code = floor(a / q->adc_lsb);
    else if (q->adc_out) /* the same value by the integer code, off the receiver's serial chain's floats */
        return q->adc_out[it > itop ? itop : it];
    double top = (double)itop;
    code = code > top ? top : code;
    return (code + 0.5) * q->adc_lsb - half;
}

/* phy/rx_eye.c */
ls_status lsi_rx_eye_alloc(ls_rx *q);
void lsi_rx_eye_row(ls_rx *q, double t, double x0, double xs, unsigned sps, unsigned nf);
void lsi_rx_eye_emit(ls_rx *q, double z, double y, float *dst);

#endif

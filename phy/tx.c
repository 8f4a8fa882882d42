/*
 * Transmitter: pattern, PAM-M mapping, FFE, DAC with jittered edges, TX noise.
 *
 * Model (equations in include/lanesim/tx.h and docs/tx.md):
 *   b_k = (swing/2) sum_i h_i v(x_{k-i}),  h = [c(-n_pre) .. c0 .. c(+n_post)],  c0 = 1 - sum|c_j|
 *   DAC output: b_k on [t_k, t_{k+1}), t_k = (k + tau_k) T; each sample = mean of the waveform over it.
 *   tau_k = RJ N(0,1) + DJ/2 (+-1) + SJ/2 sin(2 pi f_SJ k T) + DCD/2 (-1)^k   (UI, clamped to +-0.49).
 * Sources: IEEE 802.3 Annex 93A.1.6 (TX FFE normalisation), cl. 120.5.7 (Gray, precoding),
 * dual-Dirac jitter model (Ransom Stephens, "Jitter analysis: the dual-Dirac model", Agilent 2004).
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "lanesim/prbs.h"
#include "lanesim/rng.h"
#include "lanesim/ssprq.h"
#include "lanesim/tx.h"
#include "ls_fastmath.h"
#include "ls_internal.h"
#include "noise_internal.h"

struct ls_tx {
    ls_tx_config cfg;
    unsigned bps;
    ls_prbs *prbs;
    ls_rng rng_data, rng_jit, rng_noise;
    double vlev[LS_PAM_MAX_LEVELS]; /* (swing/2) v_i */
    double taps[LS_TX_MAX_FFE];     /* time order */
    size_t n_taps;
    double hist[2 * LS_TX_MAX_FFE]; /* last n_taps levels, doubled ring: hist[hp + i], i old */
    size_t hp;                      /* the newest one's slot (slot j < n_taps also at j + n_taps) */
    uint8_t pre_state;              /* precoder state */
    uint8_t *bitbuf;                /* max_ui * bps unpacked PRBS bits */
    double *vb;                     /* max_ui + LS_TX_MAX_FFE level values (ls_tx_generate_symbols) */
    double *jg;                     /* max_ui normal deviates of the jitter stream (ls_tx_generate_symbols) */
    uint64_t *ju;                   /* max_ui words of the jitter stream (ls_tx_generate_symbols) */
    uint8_t *ssprq;                 /* one SSPRQ period of level indices, or NULL */
    size_t ssprq_pos;               /* index of the next symbol in it */
    int jitter_on;
    double dj_half[2];              /* -DJ/2, +DJ/2: picked by a random bit without a branch */
    double noise_sigma;             /* per-sample sigma, 0 = off */
    unsigned noise_stride;          /* the noise drawn on every noise_stride-th sample (lsi_tx_set_noise_stride) */
    double sj_step, sj_phase;       /* SJ phase in cycles */
    int64_t ui;                     /* absolute UI index of the next symbol */
    double prev_b, cur_b, cur_tau;  /* edge state: b_{k-1}, b_k, tau_k */
    int primed;                     /* first symbol of the frame seen */
};

void ls_tx_config_init(ls_tx_config *cfg)
{
    *cfg = (ls_tx_config){ .levels = 4, .sps = 32, .baud = 106.25e9, .source = LS_TX_PRBS,
                           .prbs = LS_PRBS31Q, .precoding = 0, .rlm = 1.0, .swing_vpp = 0.8,
                           .snr_db = INFINITY, .sj_hz = 10e6, .max_ui = 4096, .stream = 0 };
}

static int finite_nonneg(double x)
{
    return isfinite(x) && x >= 0.0;
}

void ls_tx_destroy(ls_tx *q)
{
    if (!q)
        return;
    ls_prbs_destroy(q->prbs);
    ls_free(q->bitbuf);
    ls_free(q->vb);
    ls_free(q->jg);
    ls_free(q->ju);
    ls_free(q->ssprq);
    ls_free(q);
}

ls_tx *ls_tx_create(const ls_tx_config *cfg, ls_status *err)
{
    ls_status st = LS_EINVAL;
    ls_tx *q = NULL;
    if (!cfg || !ls_pam_bits(cfg->levels) || cfg->sps < 1 || cfg->sps > 128 || !(cfg->baud > 0) ||
        !isfinite(cfg->baud) || !(cfg->rlm >= 0.5 && cfg->rlm <= 1.0) ||
        !(cfg->swing_vpp > 0 && cfg->swing_vpp < 100) || cfg->n_pre + cfg->n_post + 1 > LS_TX_MAX_FFE ||
        !finite_nonneg(cfg->rj_ui) || !finite_nonneg(cfg->dj_ui) || !finite_nonneg(cfg->sj_ui) ||
        !finite_nonneg(cfg->dcd_ui) || !finite_nonneg(cfg->sj_hz) || isnan(cfg->snr_db) ||
        cfg->max_ui < 1 || (cfg->source != LS_TX_PRBS && cfg->source != LS_TX_RANDOM && cfg->source != LS_TX_SSPRQ) ||
        (cfg->source == LS_TX_SSPRQ && cfg->levels != 4) ||
        cfg->dj_ui > 0.9 || cfg->sj_ui > 0.9 || cfg->dcd_ui > 0.9 || cfg->rj_ui > 0.2)
        goto fail;
    double sum_abs = 0;
    for (unsigned i = 0; i < cfg->n_pre; i++) {
        if (!isfinite(cfg->ffe_pre[i]))
            goto fail;
        sum_abs += fabs(cfg->ffe_pre[i]);
    }
    for (unsigned i = 0; i < cfg->n_post; i++) {
        if (!isfinite(cfg->ffe_post[i]))
            goto fail;
        sum_abs += fabs(cfg->ffe_post[i]);
    }
    if (sum_abs >= 1.0)
        goto fail;
    st = LS_ENOMEM;
    if (!(q = ls_alloc(sizeof *q)))
        goto fail;
    q->cfg = *cfg;
    q->bps = ls_pam_bits(cfg->levels);
    if (!(q->vb = ls_alloc_n(cfg->max_ui + LS_TX_MAX_FFE, sizeof *q->vb)) ||
        !(q->jg = ls_alloc_n(cfg->max_ui, sizeof *q->jg)) || !(q->ju = ls_alloc_n(cfg->max_ui, sizeof *q->ju)))
        goto fail;
    if (cfg->source == LS_TX_PRBS) {
        ls_prbs_config pc;
        ls_prbs_config_init(&pc);
        pc.type = (ls_prbs_type)cfg->prbs;
        if (!(q->prbs = ls_prbs_create(&pc, &st)))
            goto fail;
        st = LS_ENOMEM;
        if (!(q->bitbuf = ls_alloc_n(cfg->max_ui, q->bps)))
            goto fail;
    }
    if (cfg->source == LS_TX_SSPRQ) {
        st = LS_ENOMEM;
        if (!(q->ssprq = ls_alloc(LS_SSPRQ_PERIOD)))
            goto fail;
        if ((st = ls_ssprq_levels(q->ssprq, LS_SSPRQ_PERIOD, 0)) != LS_OK)
            goto fail;
    }
    double v[LS_PAM_MAX_LEVELS];
    ls_pam_levels(cfg->levels, cfg->rlm, v);
    double ps = 0;
    for (unsigned i = 0; i < cfg->levels; i++) {
        q->vlev[i] = 0.5 * cfg->swing_vpp * v[i];
        ps += q->vlev[i] * q->vlev[i] / cfg->levels;
    }
    q->n_taps = cfg->n_pre + cfg->n_post + 1;
    for (unsigned i = 0; i < cfg->n_pre; i++)
        q->taps[cfg->n_pre - 1 - i] = cfg->ffe_pre[i];
    q->taps[cfg->n_pre] = 1.0 - sum_abs;
    for (unsigned i = 0; i < cfg->n_post; i++)
        q->taps[cfg->n_pre + 1 + i] = cfg->ffe_post[i];
    q->jitter_on = cfg->rj_ui > 0 || cfg->dj_ui > 0 || (cfg->sj_ui > 0 && cfg->sj_hz > 0) || cfg->dcd_ui > 0;
    q->noise_stride = 1;
    q->noise_sigma = isinf(cfg->snr_db) && cfg->snr_db > 0 ? 0.0
                     : sqrt(cfg->sps * ps * pow(10.0, -cfg->snr_db / 10.0));
    q->sj_step = cfg->sj_hz / cfg->baud;
    q->dj_half[0] = -0.5 * cfg->dj_ui;
    q->dj_half[1] = 0.5 * cfg->dj_ui;
    st = ls_tx_start(q, 0, 0, 0);
    if (st != LS_OK)
        goto fail;
    if (err)
        *err = LS_OK;
    return q;
fail:
    ls_tx_destroy(q);
    if (err)
        *err = st;
    return NULL;
}

ls_status ls_tx_start(ls_tx *q, uint64_t seed, uint64_t frame, int64_t first_ui)
{
    if (!q)
        return LS_EINVAL;
    if (q->prbs) {
        ls_status st = ls_prbs_reset(q->prbs);
        if (st != LS_OK)
            return st;
        uint64_t period = ls_prbs_period((ls_prbs_type)q->cfg.prbs);
        int64_t r = first_ui % (int64_t)period; /* |r| < 2^31: the product below cannot overflow */
        int64_t pos = (r * (int64_t)q->bps) % (int64_t)period;
        if (pos < 0)
            pos += (int64_t)period;
        if ((st = ls_prbs_advance(q->prbs, (uint64_t)pos)) != LS_OK)
            return st;
    }
    if (q->ssprq) {
        int64_t r = first_ui % (int64_t)LS_SSPRQ_PERIOD;
        q->ssprq_pos = (size_t)(r < 0 ? r + (int64_t)LS_SSPRQ_PERIOD : r);
    }
    uint64_t s = q->cfg.stream * 4u;
    ls_rng_seed(&q->rng_data, seed, s + 0, frame);
    ls_rng_seed(&q->rng_jit, seed, s + 1, frame);
    ls_rng_seed(&q->rng_noise, seed, s + 2, frame);
    memset(q->hist, 0, sizeof q->hist);
    q->hp = 0;
    q->pre_state = 0;
    q->ui = first_ui;
    double ph = fmod((double)first_ui * q->sj_step, 1.0);
    q->sj_phase = ph < 0 ? ph + 1.0 : ph;
    q->prev_b = q->cur_b = q->cur_tau = 0.0;
    q->primed = 0;
    return LS_OK;
}

/* An edge offset within +-0.49 UI (the edges keep their order). */
static inline double tau_clamp(double t)
{
    return t > 0.49 ? 0.49 : (t < -0.49 ? -0.49 : t);
}

/* The edge offset (UI) of UI ui at SJ phase ph from the random jitter's draws g (normal) and u (its top bit
   picks the DJ side). */

static inline double edge_tau_at(const ls_tx *q, double g, uint64_t u, int64_t ui, double ph)
{
    const ls_tx_config *c = &q->cfg;
    double t = 0.0;
    if (c->rj_ui > 0)
        t += c->rj_ui * g;
    if (c->dj_ui > 0)
        t += q->dj_half[u >> 63]; /* no branch: it would mispredict */
    if (c->sj_ui > 0 && c->sj_hz > 0)
        t += 0.5 * c->sj_ui * sin(2.0 * M_PI * ph);
    if (c->dcd_ui > 0)
        t += (ui & 1) ? -0.5 * c->dcd_ui : 0.5 * c->dcd_ui;
    return tau_clamp(t);
}

/* edge_tau_at over a block of n edges without SJ (its term is the only one that is not a map over the edges): the
   same sums in the same order, each term present as in edge_tau_at (g, u NULL: no RJ, no DJ), so the same values;
   a loop GCC vectorizes (SIMD clones) where edge_tau_at's per-edge reads of the configuration kept it scalar */
LSI_SIMD_CLONES static void tau_block(const ls_tx *q, const double *restrict g, const uint64_t *restrict u, int64_t ui,
                                      size_t n, double *restrict tau)
{
    const double rj = q->cfg.rj_ui, d0 = q->dj_half[0], d1 = q->dj_half[1], dc = 0.5 * q->cfg.dcd_ui;
    const int dcd = q->cfg.dcd_ui > 0;
    for (size_t k = 0; k < n; k++) {
        double t = 0.0;
        if (g)
            t += rj * g[k];
        if (u)
            t += (u[k] >> 63) ? d1 : d0;
        if (dcd)
            t += ((ui + (int64_t)k) & 1) ? -dc : dc;
        tau[k] = tau_clamp(t);
    }
}

/* The SJ phase one UI later (cycles, in [0, 1)). */
static inline double sj_next(double ph, double step)
{
    if (step > 0) {
        ph += step;
        if (ph >= 1.0)
            ph -= 1.0;
    }
    return ph;
}

/* The edge offset of the next symbol, drawing from the jitter stream (normal first, then the word). */
static double edge_tau(ls_tx *q)
{
    const double g = q->cfg.rj_ui > 0 ? ls_rng_gauss(&q->rng_jit) : 0.0;
    const uint64_t u = q->cfg.dj_ui > 0 ? ls_rng_u64(&q->rng_jit) : 0;
    return edge_tau_at(q, g, u, q->ui, q->sj_phase);
}

/* Writes the sps samples of one UI: b_prev before edge a, b_cur, b_next after edge e (in samples). */
static void emit_ui(float *y, unsigned sps, double bp, double bc, double bn, double a, double e)
{
    for (unsigned j = 0; j < sps; j++)
        y[j] = (float)bc;
    if (a > 0) {
        unsigned jmax = (unsigned)ceil(a);
        for (unsigned j = 0; j < jmax && j < sps; j++) {
            double lp = LS_MIN(LS_MAX(a - j, 0.0), 1.0);
            double ln = LS_MIN(LS_MAX(j + 1.0 - e, 0.0), 1.0);
            y[j] = (float)(lp * bp + ln * bn + (1.0 - lp - ln) * bc);
        }
    }
    if (e < sps) {
        unsigned j0 = (unsigned)floor(e);
        for (unsigned j = j0; j < sps; j++) {
            double lp = LS_MIN(LS_MAX(a - j, 0.0), 1.0);
            double ln = LS_MIN(LS_MAX(j + 1.0 - e, 0.0), 1.0);
            y[j] = (float)(lp * bp + ln * bn + (1.0 - lp - ln) * bc);
        }
    }
}

/* Refills the PRBS bits of the next n_ui symbols. */
static ls_status fill_bits(ls_tx *q, size_t n_ui)
{
    return q->prbs ? ls_prbs_bits(q->prbs, q->bitbuf, n_ui * q->bps) : LS_OK;
}

/* Symbol k of the call: its bits and level index (returned). */
static inline uint8_t symbol_level(ls_tx *q, size_t k, uint8_t *bits, uint8_t *level)
{
    const unsigned bps = q->bps, M = q->cfg.levels;
    uint8_t b;
    if (q->prbs) {
        b = 0;
        for (unsigned i = 0; i < bps; i++)
            b = (uint8_t)((b << 1) | q->bitbuf[k * bps + i]);
    } else if (q->ssprq) {
        b = ls_pam_level_to_gray(q->ssprq[q->ssprq_pos]);
        if (++q->ssprq_pos == LS_SSPRQ_PERIOD)
            q->ssprq_pos = 0;
    } else {
        b = (uint8_t)(ls_rng_u64(&q->rng_data) >> (64 - bps));
    }
    uint8_t x = ls_pam_gray_to_level(b);
    if (q->cfg.precoding)
        ls_pam_precode(&x, 1, M, &q->pre_state);
    if (bits)
        bits[k] = b;
    if (level)
        level[k] = x;
    return x;
}

/* Symbol k of the call: its bits, level index, FFE output b_k (into *bn) and edge offset tau_k (UI, into *tn). */
static void next_symbol(ls_tx *q, size_t k, uint8_t *bits, uint8_t *level, double *bn, double *tn)
{
    const uint8_t x = symbol_level(q, k, bits, level);
    /* FFE over level values, h[0] = newest; the same sum in the same order, the newest value taken
       from a register (a vector load over a just-stored value would stall on store forwarding) */
    const size_t n = q->n_taps;
    const double vn = q->vlev[x];
    q->hp = (q->hp ? q->hp : n) - 1;
    q->hist[q->hp] = q->hist[q->hp + n] = vn;
    const double *h = q->hist + q->hp;
    double v = 0.0;
    v += q->taps[0] * vn;
    for (size_t i = 1; i < n; i++)
        v += q->taps[i] * h[i];
    *bn = v;
    *tn = q->jitter_on ? edge_tau(q) : 0.0;
}

/* The edge state after a symbol (b_k, tau_k), the UI count and the SJ phase. */
static void advance(ls_tx *q, double bn, double tn)
{
    q->prev_b = q->cur_b;
    q->cur_b = bn;
    q->cur_tau = tn;
    q->ui++;
    q->sj_phase = sj_next(q->sj_phase, q->sj_step);
}

ls_status ls_tx_generate(ls_tx *q, size_t n_ui, uint8_t *bits, uint8_t *level, float *y)
{
    if (!q || !y || n_ui > q->cfg.max_ui)
        return LS_EINVAL;
    const unsigned sps = q->cfg.sps;
    ls_status st = fill_bits(q, n_ui);
    if (st != LS_OK)
        return st;
    for (size_t k = 0; k < n_ui; k++) {
        double bn, tn;
        next_symbol(q, k, bits, level, &bn, &tn);
        float *yk = y + k * sps;
        if (!q->primed) {
            /* first symbol of the frame: the UI before it is flat at its value */
            q->prev_b = q->cur_b = bn;
            q->cur_tau = tn;
            q->primed = 1;
            for (unsigned j = 0; j < sps; j++)
                yk[j] = (float)bn;
        } else if (q->jitter_on) {
            emit_ui(yk, sps, q->prev_b, q->cur_b, bn, q->cur_tau * sps, sps + tn * sps);
        } else {
            for (unsigned j = 0; j < sps; j++)
                yk[j] = (float)q->cur_b;
        }
        advance(q, bn, tn);
    }
    if (q->noise_sigma > 0)
        lsi_rng_gauss_add_strided(&q->rng_noise, y, n_ui * sps, q->noise_stride, 0, q->noise_sigma);
    return LS_OK;
}

ls_status lsi_tx_set_noise_stride(ls_tx *q, unsigned d)
{
    if (!q || !d || q->cfg.sps % d)
        return LS_EINVAL;
    q->noise_stride = d;
    return LS_OK;
}

/* The FFE outputs of n symbols whose level values are vv[0..n) (vv[-1], vv[-2], ... the older ones):
   next_symbol's sum, term by term in its order, for every symbol at once (a loop over k that vectorizes). */
LSI_SIMD_CLONES static void ffe_block(const double *taps, size_t nt, const double *vv, size_t n, double *b)
{
    for (size_t k = 0; k < n; k++) {
        double v = 0.0;
        v += taps[0] * vv[k];
        b[k] = v;
    }
    for (size_t i = 1; i < nt; i++)
        for (size_t k = 0; k < n; k++)
            b[k] += taps[i] * vv[(ptrdiff_t)k - (ptrdiff_t)i];
}

/* The same symbols, FFE outputs and edge offsets as n_ui calls of next_symbol, in three passes: the
   symbols (every draw of the data stream in order), the FFE over the block (ffe_block), then the edge
   offsets (every draw of the jitter stream in order) and the edge state; the FFE's delay line is left as
   the per-symbol passes leave it. */
ls_status ls_tx_generate_symbols(ls_tx *q, size_t n_ui, uint8_t *bits, uint8_t *level, double *b, double *tau)
{
    if (!q || !b || !tau || n_ui > q->cfg.max_ui)
        return LS_EINVAL;
    ls_status st = fill_bits(q, n_ui);
    if (st != LS_OK || !n_ui)
        return st;
    const size_t n = q->n_taps;
    double *vv = q->vb + (n - 1); /* vv[-i] = hist[hp + i - 1]: the value i symbols before the block */
    for (size_t i = 1; i < n; i++)
        vv[-(ptrdiff_t)i] = q->hist[q->hp + i - 1];
    if (q->prbs && !q->cfg.precoding && q->bps == 2 && bits && level) { /* PAM4 from the PRBS: locals only */
        const uint8_t *bb = q->bitbuf;
        double vl[4];
        memcpy(vl, q->vlev, sizeof vl);
        for (size_t k = 0; k < n_ui; k++) {
            const uint8_t bk = (uint8_t)((bb[2 * k] << 1) | bb[2 * k + 1]), x = ls_pam_gray_to_level(bk);
            bits[k] = bk;
            level[k] = x;
            vv[k] = vl[x];
        }
    } else {
        for (size_t k = 0; k < n_ui; k++)
            vv[k] = q->vlev[symbol_level(q, k, bits, level)];
    }
    ffe_block(q->taps, n, vv, n_ui, b);
    /* the delay line: hp moves down by one per symbol (mod n); hist[hp + i] = the value i symbols back */
    q->hp = (q->hp + n - n_ui % n) % n;
    for (size_t i = 0; i < n; i++) {
        const size_t sl = (q->hp + i) % n;
        q->hist[sl] = q->hist[sl + n] = vv[(ptrdiff_t)n_ui - 1 - (ptrdiff_t)i];
    }
    /* the edge offsets (UI count and SJ phase in locals), then the edge state as n_ui calls of advance
       leave it */
    int64_t ui = q->ui;
    double ph = q->sj_phase;
    const double step = q->sj_step;
    if (q->jitter_on) {
        const double *g = q->cfg.rj_ui > 0 ? q->jg : NULL;
        const uint64_t *u = q->cfg.dj_ui > 0 ? q->ju : NULL;
        lsi_rng_draw_pairs(&q->rng_jit, q->cfg.rj_ui > 0 ? q->jg : NULL, q->cfg.dj_ui > 0 ? q->ju : NULL,
                           n_ui); /* the draws of edge_tau, in its order */
        if (q->cfg.sj_ui > 0 && q->cfg.sj_hz > 0) {
            for (size_t k = 0; k < n_ui; k++) {
                tau[k] = edge_tau_at(q, g ? g[k] : 0.0, u ? u[k] : 0, ui, ph);
                ui++;
                ph = sj_next(ph, step);
            }
        } else {
            tau_block(q, g, u, ui, n_ui, tau);
            ui += (int64_t)n_ui;
            for (size_t k = 0; step > 0 && k < n_ui; k++)
                ph = sj_next(ph, step);
        }
    } else {
        for (size_t k = 0; k < n_ui; k++) {
            tau[k] = 0.0;
            ph = sj_next(ph, step);
        }
        ui += (int64_t)n_ui;
    }
    q->prev_b = n_ui >= 2 ? b[n_ui - 2] : q->primed ? q->cur_b : b[0];
    q->cur_b = b[n_ui - 1];
    q->cur_tau = tau[n_ui - 1];
    q->primed = 1;
    q->ui = ui;
    q->sj_phase = ph;
    return LS_OK;
}

size_t ls_tx_ffe_taps(const ls_tx *q, double *taps, size_t *main)
{
    if (taps)
        memcpy(taps, q->taps, q->n_taps * sizeof *taps);
    if (main)
        *main = q->cfg.n_pre;
    return q->n_taps;
}

void ls_tx_level_values(const ls_tx *q, double *v)
{
    memcpy(v, q->vlev, q->cfg.levels * sizeof *v);
}

double ls_tx_noise_var(const ls_tx *q)
{
    return q->noise_sigma * q->noise_sigma;
}

size_t ls_tx_latency(const ls_tx *q)
{
    return q->cfg.sps;
}

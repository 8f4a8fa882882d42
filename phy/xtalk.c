/*
 * Crosstalk aggressors, their coupling shapes and the integrated crosstalk noise (ICN).
 *
 * Aggressor path: the LTI blocks (TX filter, packages, coupling) become one FIR by the fusion the
 * link applies to the victim's stages (lsi_fuse_lti, phy/core/fuse.c: windowed frequency sampling
 * with pre-cursor taps, within 1e-3 in band and 1e-4 at DC); the spans being upper bounds, the taps
 * after the point where less than 1e-9 of the energy is left are then dropped (a differentiated
 * channel tail decays fast). The FIR runs in an
 * overlap-save filter (ls_fftfilt) on the aggressor's DAC waveform (ls_tx, uniform random symbols),
 * generated in fixed blocks of block_ui symbols from the frame start. At each frame start (before
 * the first sample after reseed or reset) the aggressor is advanced, discarding its output, by the
 * filter latency plus n_h - 1 samples (steady state) plus the TX latency (one UI) plus a random
 * whole number of samples in [0, sps). Its clock then takes a random phase step once per block:
 * the first d samples of each generated block, d uniform in [0, sps), are dropped before the
 * filter (one short UI per block), so that within a frame the aggressor's phase against the
 * victim's sampling instant is uniform, as for a plesiochronous aggressor (a 100 ppm offset
 * drifts 0.1 UI per 1024 UI). The symbol-rate engine rebuilds this stream from the same draws
 * (lsi_xtalk_source; phy/link/link_symbol_xtalk.c): keep the two in step.
 *
 * ICN: IEEE 802.3 Annex 93A eq. 93A-57 (power weighting W(f): sinc^2 of the NRZ symbol, a 4th-power
 * transmitter roll-off at f_t, an 8th-power receiver roll-off at f_r) inside the integral of
 * eqs. 92-46 / 92-47 (Clause 92.10.7, cable-assembly ICN):
 *   sigma_x = sqrt((2 df / f_b) sum_n A^2 W(f_n) |H(f_n)|^2),
 * as the COM reference script computes MDFEXT_ICN / MDNEXT_ICN (its FD_Processing).
 * Coupling shapes: ANSI T1.417-2001 Annex B (Unger's NEXT f^(3/2) and FEXT f^2 |H_thru|^2 power
 * laws). Details and numbers: docs/crosstalk.md.
 *
 * This file holds the aggressors and the xtalk block (ls_xtalk_into_block, its ops and queries);
 * xtalk_path.c the ICN, the analytic coupling shapes and the path fusion. Calls go one way:
 * xtalk.c -> xtalk_path.c (xtalk_internal.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim/fftfilt.h"
#include "lanesim/pam.h"
#include "lanesim/rng.h"
#include "lanesim/xtalk.h"
#include "ls_internal.h"
#include "xtalk_internal.h"

#define MAX_FIR (1u << 22)
#define ALL_PATH (3 * LS_XTALK_MAX_PATH)

/* ---------------------------------------------------------------------------------------------
 * The xtalk block
 */

typedef struct {
    ls_xt_type type;
    ls_tx *tx;
    ls_fftfilt *fir;
    float *buf;   /* [len] the current block of filtered aggressor waveform */
    size_t pos;   /* next sample of buf to add; len = empty */
    size_t skip0; /* steady-state pre-roll (samples) */
    float *pulse; /* pulse response at the block output */
    size_t n_pulse;
    float *h; /* the path's FIR */
    size_t n_h;
    float *end_pulse; /* the pulse at the chain's end an AMI model returned (ls_xtalk_set_end_pulse), or NULL */
    size_t n_end;
    double icn_v;
    uint64_t phase_stream;
    ls_rng rng;  /* clock phase steps */
    size_t fill; /* valid samples in buf */
    int jitter;  /* its transmitter jitters its edges */
} aggr;

typedef struct {
    aggr a[LS_XTALK_MAX_AGG];
    size_t n;
    unsigned sps, levels;
    size_t block_ui, len;
    double ev2;
    uint64_t seed, frame;
    int pending; /* restart the aggressors for (seed, frame) before the next sample */
} xtalk;

/* The next block: block_ui symbols, of which the first d samples (d uniform in [0, sps)) are
   dropped before the filter, so the aggressor's clock phase takes a random step once per block. */
static ls_status refill(xtalk *q, aggr *a)
{
    const size_t d = ls_rng_below(&a->rng, q->sps);
    a->pos = a->fill = 0;
    ls_status st = ls_tx_generate(a->tx, q->block_ui, NULL, NULL, a->buf);
    if (st != LS_OK)
        return st;
    memmove(a->buf, a->buf + d, (q->len - d) * sizeof *a->buf);
    if ((st = ls_fftfilt_process(a->fir, a->buf, a->buf, q->len - d)) == LS_OK)
        a->fill = q->len - d;
    return st;
}

/* Frame start: every aggressor restarted for (seed, frame) and advanced to its steady state plus
   its random clock offset (file comment). */
static ls_status restart(xtalk *q)
{
    q->pending = 0;
    for (size_t i = 0; i < q->n; i++) {
        aggr *a = &q->a[i];
        ls_rng_seed(&a->rng, q->seed, a->phase_stream, q->frame);
        size_t skip = a->skip0 + ls_rng_below(&a->rng, q->sps);
        a->pos = a->fill = 0;
        ls_status st = ls_tx_start(a->tx, q->seed, q->frame, 0);
        if (st == LS_OK)
            st = ls_fftfilt_reset(a->fir);
        while (st == LS_OK && skip) {
            if (a->pos == a->fill && (st = refill(q, a)) != LS_OK)
                break;
            const size_t m = LS_MIN(skip, a->fill - a->pos);
            a->pos += m;
            skip -= m;
        }
        if (st != LS_OK)
            return st;
    }
    return LS_OK;
}

static ls_status xt_process(void *self, const void *x, void *y, size_t n)
{
    xtalk *q = self;
    const float *xi = x;
    float *yo = y;
    ls_status st;
    if (q->pending && n && (st = restart(q)) != LS_OK)
        return st;
    if (xi != yo)
        memcpy(yo, xi, n * sizeof *yo);
    for (size_t i = 0; i < q->n; i++) {
        aggr *a = &q->a[i];
        for (size_t done = 0; done < n;) {
            if (a->pos == a->fill && (st = refill(q, a)) != LS_OK)
                return st;
            const size_t m = LS_MIN(n - done, a->fill - a->pos);
            const float *s = a->buf + a->pos;
            float *o = yo + done;
            for (size_t k = 0; k < m; k++)
                o[k] += s[k];
            a->pos += m;
            done += m;
        }
    }
    return LS_OK;
}

/* reseed and reset only record the frame: the restart runs once, before the next sample */
static void xt_reseed(void *self, uint64_t seed, uint64_t frame)
{
    xtalk *q = self;
    q->seed = seed;
    q->frame = frame;
    q->pending = 1;
}

static ls_status xt_reset(void *self)
{
    ((xtalk *)self)->pending = 1;
    return LS_OK;
}

static void xt_destroy(void *self)
{
    xtalk *q = self;
    if (!q)
        return;
    for (size_t i = 0; i < LS_XTALK_MAX_AGG; i++) {
        ls_tx_destroy(q->a[i].tx);
        ls_fftfilt_destroy(q->a[i].fir);
        ls_free(q->a[i].buf);
        ls_free(q->a[i].pulse);
        ls_free(q->a[i].h);
        ls_free(q->a[i].end_pulse);
    }
    ls_free(q);
}

static const ls_block_ops xtalk_ops = {
    .name = "xtalk",
    .kind = LS_KIND_STATEFUL,
    .in = LS_T_F32,
    .out = LS_T_F32,
    .process = xt_process,
    .reset = xt_reset,
    .reseed = xt_reseed,
    .destroy = xt_destroy,
};

void ls_xtalk_config_init(ls_xtalk_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    ls_tx_config_init(&cfg->tx);
    cfg->stream = 300;
    cfg->block_ui = 1024;
    ls_icn_config_init(&cfg->icn, cfg->tx.baud);
}

static int list_ok(const ls_block *const *b, size_t n, size_t lo)
{
    if (n < lo || n > LS_XTALK_MAX_PATH)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!lsi_xtalk_lti_ok(b[i]))
            return 0;
    return 1;
}

/* Same coupling and extra blocks (the TX path is common): the same FIR. */
static int same_path(const ls_xtalk_aggressor *a, const ls_xtalk_aggressor *b)
{
    return a->n_coupling == b->n_coupling && a->n_extra == b->n_extra &&
           !memcmp(a->coupling, b->coupling, a->n_coupling * sizeof *a->coupling) &&
           !memcmp(a->extra, b->extra, a->n_extra * sizeof *a->extra);
}

/* The aggressor's pulse at the block output: its TX pulse (FFE taps held one UI, outer level) * h.
 */
static ls_status make_pulse(aggr *a, unsigned sps, unsigned levels, const float *h, size_t nh)
{
    double taps[LS_TX_MAX_FFE], vlev[LS_PAM_MAX_LEVELS];
    const size_t nt = ls_tx_ffe_taps(a->tx, taps, NULL), np = nt * sps;
    ls_tx_level_values(a->tx, vlev);
    a->n_pulse = np + nh - 1;
    if (!(a->pulse = ls_alloc_n(a->n_pulse, sizeof *a->pulse)))
        return LS_ENOMEM;
    for (size_t i = 0; i < a->n_pulse; i++) {
        double acc = 0.0;
        const size_t j0 = i >= nh - 1 ? i - (nh - 1) : 0, j1 = LS_MIN(i, np - 1);
        for (size_t j = j0; j <= j1; j++)
            acc += taps[j / sps] * h[i - j];
        a->pulse[i] = (float)(acc * vlev[levels - 1]);
    }
    return LS_OK;
}

/* The configuration and every aggressor checked; msg names what is invalid. */
static int config_ok(const ls_xtalk_config *cfg, char *msg, size_t cap)
{
    if (!cfg || !cfg->n_agg || cfg->n_agg > LS_XTALK_MAX_AGG || !cfg->block_ui ||
        cfg->block_ui > MAX_FIR || !list_ok(cfg->tx_path, cfg->n_tx_path, 0) || cfg->tx.sps < 1 ||
        cfg->tx.sps > 128 || !lsi_xtalk_icn_config_ok(&cfg->icn)) {
        lsi_say(msg, cap, "invalid crosstalk configuration");
        return 0;
    }
    for (size_t i = 0; i < cfg->n_agg; i++) {
        const ls_xtalk_aggressor *g = &cfg->agg[i];
        if ((g->type != LS_XT_FEXT && g->type != LS_XT_NEXT) || !isfinite(g->swing_vpp) ||
            !(g->swing_vpp > 0) || !list_ok(g->coupling, g->n_coupling, 1) ||
            !list_ok(g->extra, g->n_extra, 0)) {
            lsi_say(msg, cap, "aggressor %zu: invalid type, swing or block list", i);
            return 0;
        }
    }
    return 1;
}

/* The FIR of aggressor i's path (the TX path, its extra blocks, its coupling) into a->h, a->n_h:
   a copy of an earlier aggressor's FIR when the path is the same, else fused (sampling rate fs). */
static ls_status path_fir(xtalk *q, const ls_xtalk_config *cfg, size_t i, double fs)
{
    const ls_xtalk_aggressor *g = &cfg->agg[i];
    aggr *a = &q->a[i];
    const ls_block *path[ALL_PATH];
    size_t np = 0;
    for (size_t k = 0; k < cfg->n_tx_path; k++)
        path[np++] = cfg->tx_path[k];
    for (size_t k = 0; k < g->n_extra; k++)
        path[np++] = g->extra[k];
    for (size_t k = 0; k < g->n_coupling; k++)
        path[np++] = g->coupling[k];
    float *h = NULL;
    size_t nh = 0, same = i;
    ls_status st;
    for (size_t j = 0; j < i && same == i; j++)
        if (same_path(&cfg->agg[j], g))
            same = j;
    if (same < i) { /* identical path (e.g. several analytic aggressors): reuse its FIR */
        nh = q->a[same].n_h;
        st = (h = ls_alloc_n(nh, sizeof *h)) ? LS_OK : LS_ENOMEM;
        if (h)
            memcpy(h, q->a[same].h, nh * sizeof *h);
    } else {
        st = lsi_xtalk_fuse(path, np, fs, &h, &nh);
    }
    a->h = h; /* owned by a from here: xt_destroy frees it */
    a->n_h = nh;
    return st;
}

/* Aggressor i: its transmitter (uniform random symbols), path FIR and filter, steady-state
   pre-roll, pulse, ICN and block buffer. */
static ls_status aggr_create(xtalk *q, const ls_xtalk_config *cfg, size_t i, double fs, char *msg,
                             size_t cap)
{
    const ls_xtalk_aggressor *g = &cfg->agg[i];
    aggr *a = &q->a[i];
    ls_status st;
    a->type = g->type;
    a->phase_stream = 4u * (cfg->stream + i) + 3u;
    ls_tx_config tc = cfg->tx;
    tc.source = LS_TX_RANDOM;
    tc.swing_vpp = g->swing_vpp;
    tc.stream = cfg->stream + i;
    tc.max_ui = cfg->block_ui;
    a->jitter = tc.rj_ui > 0 || tc.dj_ui > 0 || (tc.sj_ui > 0 && tc.sj_hz > 0) || tc.dcd_ui > 0;
    if (!(a->tx = ls_tx_create(&tc, &st))) {
        lsi_say(msg, cap, "aggressor %zu: invalid transmitter", i);
        return st;
    }
    if ((st = path_fir(q, cfg, i, fs)) != LS_OK) {
        lsi_say(msg, cap, "aggressor %zu: cannot build the coupling path (response or span)", i);
        return st;
    }
    ls_fftfilt_config fc;
    ls_fftfilt_config_init(&fc);
    fc.h = a->h;
    fc.n_h = a->n_h;
    if (!(a->fir = ls_fftfilt_create(&fc, &st))) {
        lsi_say(msg, cap, "aggressor %zu: FFT filter", i);
        return st;
    }
    a->skip0 = ls_fftfilt_latency(a->fir) + a->n_h - 1 + ls_tx_latency(a->tx);
    if ((st = make_pulse(a, q->sps, cfg->tx.levels, a->h, a->n_h)) != LS_OK)
        return st;
    if ((st = ls_xtalk_icn(&cfg->icn, 0.5 * g->swing_vpp, g->coupling, g->n_coupling,
                           &a->icn_v)) != LS_OK) {
        lsi_say(msg, cap, "aggressor %zu: ICN of the coupling failed", i);
        return st;
    }
    if (!(a->buf = ls_alloc_n(q->len, sizeof *a->buf)))
        return LS_ENOMEM;
    return LS_OK;
}

ls_status ls_xtalk_into_block(const ls_xtalk_config *cfg, ls_block *out, char *msg, size_t cap)
{
    if (msg && cap)
        msg[0] = '\0';
    if (!out)
        return LS_EINVAL;
    *out = (ls_block){0};
    if (!config_ok(cfg, msg, cap))
        return LS_EINVAL;
    ls_status st = LS_ENOMEM;
    xtalk *q = ls_alloc(sizeof *q);
    if (!q)
        goto fail;
    q->n = cfg->n_agg;
    q->sps = cfg->tx.sps;
    q->levels = cfg->tx.levels;
    q->block_ui = cfg->block_ui;
    q->len = cfg->block_ui * cfg->tx.sps;
    double v[LS_PAM_MAX_LEVELS];
    if ((st = ls_pam_levels(cfg->tx.levels, cfg->tx.rlm, v)) != LS_OK) {
        lsi_say(msg, cap, "invalid modulation or level mismatch");
        goto fail;
    }
    for (unsigned i = 0; i < cfg->tx.levels; i++)
        q->ev2 += v[i] * v[i] / cfg->tx.levels;
    const double fs = cfg->tx.baud * cfg->tx.sps;
    for (size_t i = 0; i < q->n; i++)
        if ((st = aggr_create(q, cfg, i, fs, msg, cap)) != LS_OK)
            goto fail;
    xt_reseed(q, 0, 0);
    out->ops = &xtalk_ops;
    out->self = q;
    return LS_OK;
fail:
    if (st == LS_ENOMEM && msg && cap && !msg[0])
        snprintf(msg, cap, "out of memory");
    xt_destroy(q);
    return st;
}

size_t ls_xtalk_count(const ls_block *b)
{
    return b && b->ops == &xtalk_ops && b->self ? ((const xtalk *)b->self)->n : 0;
}

const float *ls_xtalk_pulse(const ls_block *b, size_t i, size_t *n, double *ev2, ls_xt_type *type)
{
    if (i >= ls_xtalk_count(b) || !n)
        return NULL;
    const xtalk *q = b->self;
    *n = q->a[i].n_pulse;
    if (ev2)
        *ev2 = q->ev2;
    if (type)
        *type = q->a[i].type;
    return q->a[i].pulse;
}

double ls_xtalk_icn_agg_v(const ls_block *b, size_t i)
{
    return i < ls_xtalk_count(b) ? ((const xtalk *)b->self)->a[i].icn_v : NAN;
}

double ls_xtalk_icn_v(const ls_block *b, ls_xt_type type)
{
    if (!b || b->ops != &xtalk_ops || !b->self)
        return NAN;
    const xtalk *q = b->self;
    double s = 0.0;
    for (size_t i = 0; i < q->n; i++)
        if (q->a[i].type == type)
            s += q->a[i].icn_v * q->a[i].icn_v;
    return sqrt(s);
}

const float *ls_xtalk_path_fir(const ls_block *b, size_t i, size_t *n)
{
    if (i >= ls_xtalk_count(b) || !n)
        return NULL;
    const aggr *a = &((const xtalk *)b->self)->a[i];
    *n = a->n_h;
    return a->h;
}

/* p = (TX pulse) * h / fs, then trimmed at both ends where less than 1e-9 of its energy lies (the
   path FIR's trim fraction, docs/crosstalk.md). */
ls_status ls_xtalk_set_end_pulse(ls_block *b, size_t i, const double *h, size_t n, double fs)
{
    if (i >= ls_xtalk_count(b) || !h || !n || !(fs > 0))
        return LS_EINVAL;
    xtalk *q = b->self;
    aggr *a = &q->a[i];
    double taps[LS_TX_MAX_FFE], vlev[LS_PAM_MAX_LEVELS];
    const size_t nt = ls_tx_ffe_taps(a->tx, taps, NULL), np = nt * q->sps, nall = np + n - 1;
    ls_tx_level_values(a->tx, vlev);
    double *p = ls_alloc_n(nall, sizeof *p), e = 0.0;
    if (!p)
        return LS_ENOMEM;
    for (size_t k = 0; k < nall; k++) {
        double acc = 0.0;
        const size_t j0 = k >= n - 1 ? k - (n - 1) : 0, j1 = LS_MIN(k, np - 1);
        for (size_t j = j0; j <= j1; j++)
            acc += taps[j / q->sps] * h[k - j];
        p[k] = acc * vlev[q->levels - 1] / fs;
        e += p[k] * p[k];
    }
    size_t lo = 0, hi = nall;
    for (double acc = 0.0; lo + 1 < hi && (acc += p[lo] * p[lo]) <= 0.5e-9 * e;)
        lo++;
    for (double acc = 0.0; hi > lo + 1 && (acc += p[hi - 1] * p[hi - 1]) <= 0.5e-9 * e;)
        hi--;
    float *f = ls_alloc_n(hi - lo, sizeof *f);
    if (!f) {
        ls_free(p);
        return LS_ENOMEM;
    }
    for (size_t k = lo; k < hi; k++)
        f[k - lo] = (float)p[k];
    ls_free(p);
    ls_free(a->end_pulse);
    a->end_pulse = f;
    a->n_end = hi - lo;
    return LS_OK;
}

const float *ls_xtalk_end_pulse(const ls_block *b, size_t i, size_t *n)
{
    if (i >= ls_xtalk_count(b) || !n)
        return NULL;
    const aggr *a = &((const xtalk *)b->self)->a[i];
    *n = a->n_end;
    return a->end_pulse;
}

ls_status lsi_xtalk_source(const ls_block *b, size_t i, lsi_xtalk_src *s)
{
    if (i >= ls_xtalk_count(b) || !s)
        return LS_EINVAL;
    const xtalk *q = b->self;
    const aggr *a = &q->a[i];
    *s = (lsi_xtalk_src){ .tx = a->tx, .h = a->h, .n_h = a->n_h, .block_ui = q->block_ui, .sps = q->sps,
                          .phase_stream = a->phase_stream, .noise_var = ls_tx_noise_var(a->tx),
                          .jitter = a->jitter };
    return LS_OK;
}

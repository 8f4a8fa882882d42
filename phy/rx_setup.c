/*
 * Receiver back end, setting up (include/lanesim/rx.h, docs/receiver.md): configuration defaults,
 * create and destroy, the start of a frame and the external (IBIS-AMI) clock queue. The per-sample
 * path is phy/rx.c.
 */
#include <math.h>
#include <string.h>

#include "lanesim/mlse.h"
#include "lanesim/pam.h"
#include "lanesim/rng.h"
#include "lanesim/rx.h"
#include "ls_internal.h"
#include "rx_internal.h"
void ls_rx_config_init(ls_rx_config *c)
{
    *c = (ls_rx_config){ .sps = 32, .levels = 4, .baud = 106.25e9, .latency = 0, .adc_bits = 8, .adc_fs_v = 1.0,
                         .adc_enob = 99, .ffe_taps = 1, .ffe_pre = 0, .ffe = { 1.0 }, .dfe_taps = 0, .mu = 1e-4,
                         .cdr = LS_CDR_IDEAL, .cdr_bw_hz = 10e6, .cdr_kpd = 1.0, .cdr_zeta = 0.707,
                         .mlse_alpha = 0.5, .mlse_depth = 64, .max_samples = 4096 * 32 };
    c->thresholds[0] = -2.0f / 3, c->thresholds[1] = 0, c->thresholds[2] = 2.0f / 3;
    c->ref_v[0] = -1, c->ref_v[1] = -1.0 / 3, c->ref_v[2] = 1.0 / 3, c->ref_v[3] = 1;
}

void ls_rx_destroy(ls_rx *q)
{
    if (!q)
        return;
    ls_free(q->ring);
    ls_mlse_destroy(q->mlse);
    ls_free(q->y_ring);
    ls_free(q->erow);
    ls_free(q->eacc);
    ls_free(q->eout);
    ls_free(q->e_ring);
    ls_free(q->clk);
    ls_free(q->adc_out);
    ls_free(q->agb);
    ls_free(q);
}

ls_rx *ls_rx_create(const ls_rx_config *c, ls_status *err)
{
    ls_status st = LS_EINVAL;
    ls_rx *q = NULL;
    if (!c || c->sps < 1 || c->sps > 128 || !ls_pam_bits(c->levels) || !(c->baud > 0) || !c->max_samples ||
        c->ffe_taps < 1 || c->ffe_taps > LS_RX_MAX_FFE || c->ffe_pre >= c->ffe_taps || c->dfe_taps > LS_RX_MAX_DFE ||
        (c->adc_on && (c->adc_bits < 2 || c->adc_bits > 16 || !(c->adc_fs_v > 0) || !(c->adc_enob > 0))) ||
        !(c->mu >= 0 && c->mu < 1) || (c->cdr != LS_CDR_IDEAL && (!(c->cdr_bw_hz > 0) || !(c->cdr_kpd > 0) ||
                                                              !(c->cdr_zeta > 0) || c->cdr_bw_hz > 0.1 * c->baud)) ||
        !(fabs(c->cdr_init_ui) <= 1.0) ||
        (c->mlse_on && (c->dfe_taps || !(c->mlse_alpha >= 0 && c->mlse_alpha <= 1) ||
                        c->mlse_depth < LS_MLSE_MIN_DEPTH || c->mlse_depth > LS_MLSE_MAX_DEPTH)))
        goto fail;
    if ((c->cdr != LS_CDR_IDEAL && c->cdr != LS_CDR_MM && c->cdr != LS_CDR_BANGBANG) ||
        (c->adapt != LS_ADAPT_NONE && c->adapt != LS_ADAPT_LMS && c->adapt != LS_ADAPT_SIGN_SIGN) ||
        (c->eye != LS_RX_EYE_NONE && c->eye != LS_RX_EYE_SLICER && c->eye != LS_RX_EYE_INPUT))
        goto fail;
    for (unsigned i = 0; i < c->ffe_taps; i++)
        if (!isfinite(c->ffe[i]))
            goto fail;
    for (unsigned i = 0; i < c->dfe_taps; i++)
        if (!isfinite(c->dfe[i]) || !(c->dfe_limit[i] >= 0))
            goto fail;
    for (unsigned i = 0; i < c->levels; i++)
        if (!isfinite(c->ref_v[i]))
            goto fail;
    for (unsigned i = 0; i + 2 < c->levels; i++)
        if (!(c->thresholds[i + 1] > c->thresholds[i]))
            goto fail;
    st = LS_ENOMEM;
    if (!(q = ls_alloc(sizeof *q)))
        goto fail;
    q->cfg = *c;
    size_t ring = 1;
    while (ring < c->max_samples + (c->ffe_pre + 6u) * c->sps + 16u)
        ring <<= 1;
    if (!(q->ring = ls_alloc_n(ring, sizeof *q->ring)))
        goto fail;
    q->mask = ring - 1;
    ls_pam_levels(c->levels, 1.0, q->vlev);
    for (unsigned j = 0; j < c->levels; j++)
        q->cdr_tv[j] = c->cdr_target * q->vlev[j];
    if (c->mlse_on) {
        ls_mlse_config mc;
        ls_mlse_config_init(&mc);
        mc.levels = c->levels;
        mc.alpha = c->mlse_alpha;
        mc.depth = c->mlse_depth;
        mc.max_block = 1;
        memcpy(mc.ref, c->ref_v, sizeof mc.ref);
        if (!(q->mlse = ls_mlse_create(&mc, &st)))
            goto fail;
        st = LS_ENOMEM;
        if (!(q->y_ring = ls_alloc_n(c->mlse_depth, sizeof *q->y_ring)))
            goto fail;
    }
    q->clk_cap = c->ext_clock ? c->max_samples + 64 : 0;
    if (q->clk_cap && !(q->clk = ls_alloc_n(q->clk_cap, sizeof *q->clk)))
        goto fail;
    if (c->eye != LS_RX_EYE_NONE && (st = lsi_rx_eye_alloc(q)) != LS_OK)
        goto fail;
    if (c->cdr != LS_CDR_IDEAL) {
        double wT = 2.0 * M_PI * c->cdr_bw_hz / c->baud;
        q->kp = wT / c->cdr_kpd;
        q->ki = q->kp * wT / (4.0 * c->cdr_zeta * c->cdr_zeta);
    }
    if (c->adc_on) {
        q->adc_lsb = c->adc_fs_v / (double)(1u << c->adc_bits);
        q->adc_inv = 1.0 / q->adc_lsb;
        q->adc_hinv = 0.5 * c->adc_fs_v * q->adc_inv;
        q->adc_ncode = (double)(1u << c->adc_bits);
        q->adc_clip_hi = 0.5 * c->adc_fs_v - 0.5 * q->adc_lsb;
        q->adc_clip_lo = -0.5 * c->adc_fs_v + 0.5 * q->adc_lsb;
        if (c->adc_bits <= 10) { /* the output by code (lsi_rx_adc_quant's formula, value for value) */
            const size_t nc = (size_t)1 << c->adc_bits;
            st = LS_ENOMEM;
            if (!(q->adc_out = ls_alloc_n(nc, sizeof *q->adc_out)))
                goto fail;
            for (size_t k = 0; k < nc; k++)
                q->adc_out[k] = ((double)k + 0.5) * q->adc_lsb - 0.5 * c->adc_fs_v;
        }
        double sinad = 6.02 * c->adc_enob + 1.76;
        double total = c->adc_fs_v * c->adc_fs_v / 8.0 / pow(10.0, sinad / 10.0);
        double extra = total - q->adc_lsb * q->adc_lsb / 12.0;
        q->adc_sigma = extra > 0 && c->adc_enob < c->adc_bits ? sqrt(extra) : 0.0;
        if (q->adc_sigma > 0 && !(q->agb = ls_alloc_n(LSI_RX_NGAUSS, sizeof *q->agb)))
            goto fail;
    }
    if ((st = ls_rx_start(q, 0, 0, UINT64_MAX)) != LS_OK)
        goto fail;
    if (err)
        *err = LS_OK;
    return q;
fail:
    ls_rx_destroy(q);
    if (err)
        *err = st;
    return NULL;
}

ls_status ls_rx_start(ls_rx *q, uint64_t seed, uint64_t frame, uint64_t k_limit)
{
    if (!q)
        return LS_EINVAL;
    q->k_limit = k_limit;
    memcpy(q->ref, q->cfg.ref_v, sizeof q->ref);
    memcpy(q->th, q->cfg.thresholds, sizeof q->th);
    q->k_emit = 0;
    if (q->mlse && ls_mlse_reset(q->mlse) != LS_OK)
        return LS_EINTERNAL;
    q->m_end = 0;
    q->s_next = 0;
    lsi_read_pred_reset(&q->pred);
    memset(q->xr, 0, sizeof q->xr);
    q->xp = 0;
    memset(q->dv, 0, sizeof q->dv);
    memcpy(q->w, q->cfg.ffe, sizeof q->w);
    memcpy(q->b, q->cfg.dfe, sizeof q->b);
    q->phi = q->cfg.cdr_init_ui;
    q->integ = 0;
    q->have_prev = 0;
    q->y_prev = q->r_prev = 0;
    ls_rng_seed(&q->rng, seed, q->cfg.stream, frame);
    q->agpos = LSI_RX_NGAUSS; /* the ADC noise buffer empty: refilled from the reseeded stream */
    q->ph_sum = q->ph_sum2 = 0;
    q->ema = q->phi;
    q->ph_n = q->settled = q->clipped = 0;
    q->lock = -1;
    q->epos = 0;
    if (q->erow)
        memset(q->erow, 0, (size_t)2 * q->cfg.ffe_taps * q->cfg.sps * sizeof *q->erow);
    q->limit = -1;
    q->clk_head = q->clk_n = 0;
    q->clk_used = 0;
    return LS_OK;
}

ls_status ls_rx_push_clock(ls_rx *q, const double *t, size_t n)
{
    if (!q || (n && !t))
        return LS_EINVAL;
    if (!q->cfg.ext_clock)
        return LS_ESTATE;
    for (size_t i = 0; i < n && q->clk_n < q->clk_cap; i++)
        if (isfinite(t[i]))
            q->clk[(q->clk_head + q->clk_n++) % q->clk_cap] = t[i];
    return LS_OK;
}

/* External clock: the levels and thresholds at the clock's phase, scaled by the main cursor there
   (ext_gain, linear between samples) around ext_dc; unchanged without ext_gain. */

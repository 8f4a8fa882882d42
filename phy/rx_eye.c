/*
 * The receiver's eye rows (include/lanesim/rx.h "Eye rows", docs/eye.md "The Monte Carlo eye"):
 * each sampled symbol's UI of samples at every phase through the ADC's transfer into a ring of
 * rows, and for each decided symbol the FFE applied at every phase minus its DFE feedback (the
 * equalized slicer input), or its receiver-input row.
 */
#include <math.h>
#include <string.h>

#include "ls_internal.h"
#include "rx_internal.h"

/* The eye's buffers (cfg.eye != LS_RX_EYE_NONE), at create. */
ls_status lsi_rx_eye_alloc(ls_rx *q)
{
    const ls_rx_config *c = &q->cfg;
    q->eh = c->sps / 2;
    q->eout_rows = c->max_samples / c->sps + c->ffe_taps + 8;
    q->erow = ls_alloc_n((size_t)2 * c->ffe_taps * c->sps, sizeof *q->erow);
    q->eacc = ls_alloc_n(c->sps, sizeof *q->eacc);
    q->eout = ls_alloc_n(q->eout_rows * c->sps, sizeof *q->eout);
    if (c->mlse_on)
        q->e_ring = ls_alloc_n((size_t)c->mlse_depth * c->sps, sizeof *q->e_ring);
    return q->erow && q->eacc && q->eout && (!c->mlse_on || q->e_ring) ? LS_OK : LS_ENOMEM;
}

ls_status ls_rx_set_eye(ls_rx *q, int on)
{
    if (!q || (on && q->cfg.eye == LS_RX_EYE_NONE))
        return LS_EINVAL;
    q->eye_on = on != 0;
    return LS_OK;
}

const float *ls_rx_eye_rows(const ls_rx *q, unsigned *center)
{
    if (center)
        *center = q && q->eout ? q->eh : 0u;
    return q ? q->eout : NULL;
}

/* Eye row of sampled symbol s (sampling instant t, samples): the waveform at every phase
   t + j - eh, j = 0..sps-1, into the newest slot of the row ring. Slicer eye: through the ADC's
   transfer, each phase with the same ENOB noise as the symbol's own sample xs (a histogram column
   holds one phase, so each column's statistics are exact; docs/eye.md), the sampling phase
   itself being xs exactly. Input eye: the samples as received (x0 at the sampling phase). */
void lsi_rx_eye_row(ls_rx *q, double t, double x0, double xs, unsigned sps, unsigned nf)
{
    const ls_rx_config *c = &q->cfg;
    q->epos = q->epos ? q->epos - 1 : nf - 1;
    float *r = q->erow + (size_t)q->epos * sps;
    /* every phase shares the sampling instant's fractional position a (linear interpolation) */
    const double tb = t - (double)q->eh, fl = floor(tb > 0 ? tb : 0);
    const float a = (float)((tb > 0 ? tb : 0) - fl);
    const uint64_t i0 = (uint64_t)fl;
    for (unsigned j = 0; j < sps; j++) {
        const float y0 = q->ring[(i0 + j) & q->mask], y1 = q->ring[(i0 + j + 1) & q->mask];
        r[j] = y0 + a * (y1 - y0);
    }
    if (c->eye == LS_RX_EYE_SLICER && c->adc_on) {
        /* the ADC's transfer in float (c + half >= 0, so truncation is floor), plus the symbol's noise */
        const float half = (float)(0.5 * c->adc_fs_v), lsb = (float)q->adc_lsb, inv = 1.0f / lsb;
        const float top = (float)((1u << c->adc_bits) - 1), noise = (float)(xs - lsi_rx_adc_quant(q, x0));
        for (unsigned j = 0; j < sps; j++) {
            float v = r[j] > -half ? r[j] : -half;
            v = v < half ? v : half;
            float code = (float)(int)((v + half) * inv);
            code = code < top ? code : top;
            r[j] = (code + 0.5f) * lsb - half + noise;
        }
    }
    r[q->eh] = (float)(c->eye == LS_RX_EYE_SLICER ? xs : x0);
    memcpy(r + (size_t)nf * sps, r, sps * sizeof *r);
}

/* The decided symbol's eye row into dst[0..sps): input eye, its own row (ffe_pre slots back); slicer
   eye, the FFE at every phase minus the symbol's DFE feedback (dfe = z - y, with MLSE the
   tentative cancellation), the sampling phase being the slicer input y itself. */
void lsi_rx_eye_emit(ls_rx *q, double z, double y, float *dst)
{
    const unsigned sps = q->cfg.sps, nf = q->cfg.ffe_taps;
    const float *rows = q->erow + (size_t)q->epos * sps;
    if (q->cfg.eye == LS_RX_EYE_INPUT) {
        memcpy(dst, rows + (size_t)q->cfg.ffe_pre * sps, sps * sizeof *dst);
        return;
    }
    float *acc = q->eacc;
    for (unsigned j = 0; j < sps; j++)
        acc[j] = 0.0f;
    for (unsigned i = 0; i < nf; i++) {
        const float w = (float)q->w[i], *r = rows + (size_t)i * sps;
        for (unsigned j = 0; j < sps; j++)
            acc[j] += w * r[j];
    }
    const float fb = (float)(z - y);
    for (unsigned j = 0; j < sps; j++)
        dst[j] = acc[j] - fb;
    dst[q->eh] = (float)y;
}

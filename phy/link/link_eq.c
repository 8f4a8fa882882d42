/*
 * Link assembly, stage 5 (lsi_link_assemble, link.c): the receiver set-up. The ADC's AGC full
 * scale (+-5 rms of signal plus noise) and its quantization plus ENOB noise, white at the symbol
 * rate (include/lanesim/rx.h); the FFE/DFE solution from the pulse (lsi_link_solve_equalizer), the
 * equalized SNR, crosstalk and TX-jitter figures; the levels and thresholds at the FFE output; the
 * CDR detector slope; the receiver; and the eye's voltage range. docs/receiver.md, docs/link.md.
 */
#include <math.h>

#include "lanesim/rx.h"
#include "link_internal.h"
#include "ls_internal.h"

/* ADC: the AGC full scale when not given, and the quantization plus ENOB noise at the sampler. */
static void adc_setup(ls_link *l, const lsi_assembly *a, ls_rx_config *rc)
{
    const unsigned sps = a->sps;
    if (!(rc->adc_fs_v > 0)) {
        /* AGC: +-5 rms of signal (all cursors at the sampling phase) plus noise: clipping below ~1e-6 */
        double p2 = 0;
        for (size_t i = (size_t)a->ns % sps; i < a->n_pulse; i += sps)
            p2 += (double)l->pulse[i] * l->pulse[i];
        rc->adc_fs_v = 2.0 * 5.0 * sqrt(a->ev2 * p2 + l->noise_acf[0]);
    }
    /* quantization plus ENOB noise, white at the symbol rate (rx.h) */
    double lsb = rc->adc_fs_v / (double)(1u << rc->adc_bits);
    double total = rc->adc_fs_v * rc->adc_fs_v / 8.0 / pow(10.0, (6.02 * rc->adc_enob + 1.76) / 10.0);
    l->noise_acf[0] += LS_MAX(total, lsb * lsb / 12.0);
}

/* Levels at the FFE output: the equalized main cursor on each level, plus the DC operating point
   through the FFE (non-zero only for DC-coupled optical receivers); thresholds midway unless given. */
static void levels_thresholds(ls_link *l, const lsi_link_spec *spec, ls_rx_config *rc)
{
    ls_link_info *in = &l->info;
    double dcq = 0;
    for (unsigned i = 0; i < rc->ffe_taps; i++)
        dcq += rc->ffe[i] * l->dc_v;
    l->dcq = dcq;
    for (unsigned i = 0; i < spec->levels; i++) {
        in->level_v[i] = dcq + in->h0 * l->lv_eff[i];
        rc->ref_v[i] = in->level_v[i];
    }
    for (unsigned i = 0; i + 1 < spec->levels; i++) {
        in->thresholds[i] = spec->n_thresholds ? spec->thresholds[i]
                                               : (float)(0.5 * (in->level_v[i] + in->level_v[i + 1]));
        rc->thresholds[i] = in->thresholds[i];
    }
}

/* The eye's voltage range (worst-case peak of the analog pulse over all phases, plus 6 sigma of
   noise); every threshold must lie inside it. */
static ls_status eye_range(ls_link *l, const lsi_assembly *a, char *msg, size_t cap)
{
    ls_link_info *in = &l->info;
    const lsi_link_spec *spec = a->spec;
    double amax = 0;
    for (unsigned ph = 0; ph < a->sps; ph++) {
        double s = 0;
        for (size_t i = ph; i < a->n_pulse; i += a->sps)
            s += fabs(l->pulse[i]);
        amax = LS_MAX(amax, s);
    }
    double range = 1.05 * amax + 6.0 * sqrt(l->noise_acf[0]);
    for (unsigned i = 0; i < spec->levels; i++)
        l->eye_lv[i] = l->pulse[a->ns] * l->lv_eff[i];
    in->eye_vmin = l->dc_v - range;
    in->eye_vmax = l->dc_v + range;
    for (unsigned i = 0; i + 1 < spec->levels; i++)
        if (!(in->thresholds[i] > in->eye_vmin && in->thresholds[i] < in->eye_vmax) && !l->cwave) {
            lsi_say(msg, cap, "slicer.thresholds_v: %g V lies outside the signal range +-%g V", in->thresholds[i], range);
            return LS_EINVAL;
        }
    return LS_OK;
}

ls_status lsi_link_receiver(ls_link *l, lsi_assembly *a, char *msg, size_t cap)
{
    lsi_link_spec *spec = a->spec;
    ls_link_info *in = &l->info;
    ls_rx_config *rc = &spec->rx;
    const unsigned sps = a->sps;
    ls_status st;
    if (rc->adc_on)
        adc_setup(l, a, rc);
    rc->sps = sps;
    rc->levels = spec->levels;
    rc->baud = spec->baud;
    rc->max_samples = a->max_chunk * sps;
    rc->stream = 200;
    if ((st = lsi_link_solve_equalizer(l, spec, (size_t)a->ns, a->ev2, msg, cap)) != LS_OK)
        return st;
    in->h0 = l->peq[l->peq_main];
    lsi_link_equalized_snr(l, &spec->rx, a->ev2);
    if ((st = lsi_link_xtalk_info(l, &spec->rx, msg, cap)) != LS_OK)
        return st;
    l->rj_ui = spec->rj_ui;
    l->dj_ui = spec->dj_ui;
    in->jitter_rms_v = sqrt(lsi_link_tx_jitter_var(l, a->ev2));
    levels_thresholds(l, spec, rc);
    if (rc->cdr != LS_CDR_IDEAL && (st = lsi_link_cdr_slope(l, rc, a->ev2, msg, cap)) != LS_OK)
        return st;
    in->latency = a->latency + (size_t)a->ns;
    rc->latency = in->latency;
    if (!(l->rx = ls_rx_create(rc, &st))) {
        lsi_say(msg, cap, "receiver: invalid configuration (%s)", ls_strerror(st));
        return st;
    }
    in->memory_symbols = (a->n_pulse + sps - 1) / sps + rc->ffe_taps + 2;
    l->rlm = spec->tx.rlm;
    return eye_range(l, a, msg, cap);
}

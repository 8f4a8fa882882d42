/*
 * The equalizer: the FFE/DFE solution from the pulse response (MMSE or partial-response FFE, DFE
 * taps, lsi_link_solve_equalizer), the equalized SNR and the CDR detector slope; and link assembly
 * stage 5 (lsi_link_assemble, link.c), the receiver set-up. The ADC's AGC full
 * scale (+-5 rms of signal plus noise) and its quantization plus ENOB noise, white at the symbol
 * rate (include/lanesim/rx.h); the FFE/DFE solution from the pulse (lsi_link_solve_equalizer), the
 * equalized SNR, crosstalk and TX-jitter figures; the levels and thresholds at the FFE output; the
 * CDR detector slope; the receiver; and the eye's voltage range. docs/receiver.md, docs/link.md.
 */
#include <math.h>
#include <string.h>

#include "lanesim/eqsolve.h"
#include "lanesim/mlse.h"
#include "lanesim/pam.h"

#include "lanesim/rx.h"
#include "link_internal.h"
#include "ls_internal.h"

/* Symbol-spaced cursors of a pulse around index main_idx: cur[0..*n), main cursor at *main. */
static size_t cursors_of(const float *p, size_t n, size_t main_idx, unsigned sps, double *cur, size_t cap, size_t *main)
{
    size_t before = LS_MIN(main_idx / sps, cap / 4), after = LS_MIN((n - 1 - main_idx) / sps, cap - before - 1);
    for (size_t i = 0; i < before + 1 + after; i++)
        cur[i] = p[main_idx + i * sps - before * sps];
    *main = before;
    return before + 1 + after;
}

/* FFE taps (given or MMSE), the equalized pulse, and DFE taps read off it. */
ls_status lsi_link_solve_equalizer(ls_link *l, lsi_link_spec *spec, size_t ns, double ev2, char *msg, size_t cap)
{
    ls_rx_config *rc = &spec->rx;
    const unsigned sps = l->info.sps, T = rc->ffe_taps;
    static const size_t CUR = 1024;
    double cur[1024];
    size_t main;
    size_t nc = cursors_of(l->pulse, l->n_pulse, ns, sps, cur, CUR, &main);
    if (spec->ffe_mode == 1 && T > 1) {
        double s2 = l->noise_acf[0] / ev2, floor2 = 1e-9 * cur[main] * cur[main];
        const double *acf = l->noise_acf[0] > 0 ? l->noise_acf : NULL;
        double dfe_mmse[LS_EQSOLVE_MAX_DFE];
        /* MLSE: target g0 (a_k + alpha a_{k-1}) (docs/receiver.md "MLSE") */
        ls_status st = rc->mlse_on ? ls_ffe_mmse_pr(cur, nc, main, T, rc->ffe_pre, s2 > floor2 ? s2 : floor2, acf,
                                                    rc->mlse_alpha, rc->ffe, NULL)
                                   : ls_ffe_mmse(cur, nc, main, T, rc->ffe_pre, s2 > floor2 ? s2 : floor2, acf,
                                                 rc->dfe_taps, rc->ffe, dfe_mmse, NULL);
        if (st != LS_OK) {
            lsi_say(msg, cap, "rx.ffe_taps: no MMSE solution for this pulse response");
            return st;
        }
    }
    l->n_peq = l->n_pulse + (T - 1) * sps;
    if (!(l->peq = ls_alloc_n(l->n_peq, sizeof *l->peq))) {
        lsi_say(msg, cap, "out of memory");
        return LS_ENOMEM;
    }
    ls_status st = ls_apply_ffe(l->pulse, l->n_pulse, sps, rc->ffe, T, rc->ffe_pre, l->peq);
    if (st != LS_OK) {
        lsi_say(msg, cap, "rx.ffe: invalid taps");
        return st;
    }
    l->peq_main = ns + rc->ffe_pre * sps;
    memcpy(l->ffe, rc->ffe, sizeof l->ffe);
    l->n_ffe = T;
    l->ffe_pre = rc->ffe_pre;
    if (!(l->peq[l->peq_main] > 0)) {
        lsi_say(msg, cap, "rx.ffe: the equalized main cursor is not positive");
        return LS_EINVAL;
    }
    nc = cursors_of(l->peq, l->n_peq, l->peq_main, sps, cur, CUR, &main);
    double lim[LS_RX_MAX_DFE];
    int any = 0;
    for (unsigned j = 0; j < rc->dfe_taps; j++) {
        lim[j] = spec->dfe_limit_rel[j] > 0 ? spec->dfe_limit_rel[j] : 1e9;
        any |= spec->dfe_limit_rel[j] > 0;
        rc->dfe_limit[j] = spec->dfe_limit_rel[j] > 0 ? spec->dfe_limit_rel[j] * cur[main] : 0;
    }
    if (rc->dfe_taps && (st = ls_dfe_from_pulse(cur, nc, main, rc->dfe_taps, any ? lim : NULL, rc->dfe)) != LS_OK) {
        lsi_say(msg, cap, "rx.dfe_taps: cannot read DFE taps off the pulse");
        return st;
    }
    l->n_dfe = rc->dfe_taps;
    memcpy(l->dfe, rc->dfe, sizeof l->dfe);
    if (rc->mlse_on) {
        /* MLSE: the detector uses the post-cursor the FFE reached, alpha' = g1/g0 in [0, 1]; SNR and
           statistical eye see the slicer equivalent, that post-cursor cancelled (docs/receiver.md "MLSE") */
        double a = main + 1 < nc ? cur[main + 1] / cur[main] : 0.0;
        rc->mlse_alpha = a < 0 ? 0 : a > 1 ? 1 : a;
        l->n_dfe = 1;
        l->dfe[0] = rc->mlse_alpha * cur[main];
    }
    return LS_OK;
}

/*
 * Equalized SNR at the slicer: noise = w' R w (R the noise autocorrelation at the FFE input),
 * residual ISI = E[v^2] sum_{j != 0} (g_j - b_j)^2 with b_j the DFE tap on post-cursor j (0 outside
 * the DFE; below g_j where dfe.limit clips it), signal = g_0^2 E[v^2]. Correct past decisions.
 */
void lsi_link_equalized_snr(ls_link *l, const ls_rx_config *rc, double ev2)
{
    const unsigned T = rc->ffe_taps, sps = l->info.sps;
    double nv = 0;
    for (unsigned i = 0; i < T; i++)
        for (unsigned j = 0; j < T; j++)
            nv += rc->ffe[i] * rc->ffe[j] * l->noise_acf[i > j ? i - j : j - i];
    double isi = 0;
    for (size_t n = l->peq_main % sps; n < l->n_peq; n += sps) {
        long j = ((long)n - (long)l->peq_main) / (long)sps;
        if (j == 0)
            continue;
        const double r = (double)l->peq[n] - (j > 0 && j <= (long)l->n_dfe ? l->dfe[j - 1] : 0.0);
        isi += r * r;
    }
    isi *= ev2;
    double g0 = l->peq[l->peq_main];
    l->info.noise_rms_v = sqrt(nv > 0 ? nv : 0);
    l->info.isi_rms_v = sqrt(isi);
    l->info.snr_eq_db = 10.0 * log10(g0 * g0 * ev2 / (nv + isi + 1e-300));
}

/* Phase-detector slope per UI at lock, from the equalized pulse (see rx.h). */
ls_status lsi_link_cdr_slope(ls_link *l, ls_rx_config *rc, double ev2, char *msg, size_t cap)
{
    const unsigned sps = l->info.sps;
    if (rc->cdr == LS_CDR_BANGBANG) {
        /* probability of a symmetric (zero-crossing) transition, over a 0.02 UI rms crossing spread */
        double ptr = rc->levels == 2 ? 0.5 : 1.0 / rc->levels;
        rc->cdr_kpd = 2.0 * ptr / (sqrt(2.0 * M_PI) * 0.02);
        return LS_OK;
    }
    const long c = (long)l->peq_main, n = (long)l->n_peq, t = (long)sps;
#define PEQ(i) ((i) >= 0 && (i) < n ? (double)l->peq[(i)] : 0.0)
    /* E[u] = g0 E[v^2] (g_-1(tau) - c_pre): slope per UI by central difference over one sample */
    double k = (PEQ(c - t + 1) - PEQ(c - t - 1)) / (2.0 / sps) * l->peq[c] * ev2;
    rc->cdr_target = PEQ(c - t);
#undef PEQ
    if (!(k > 0)) {
        lsi_say(msg, cap, "cdr.type: the pre-cursor does not grow with later sampling on this pulse: no MM lock point");
        return LS_EINVAL;
    }
    rc->cdr_kpd = k;
    return LS_OK;
}

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
   through the FFE (non-zero only for DC-coupled optical receivers); thresholds midway unless given, plus
   the slicer offset (IBIS-AMI Rx_Receiver_Sensitivity). */
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
        in->thresholds[i] = (float)((spec->n_thresholds ? spec->thresholds[i]
                                                        : 0.5 * (in->level_v[i] + in->level_v[i + 1])) +
                                    spec->slicer_offset_v);
        rc->thresholds[i] = in->thresholds[i];
    }
    /* an external clock (IBIS-AMI clock times) may sample within a UI of the pulse peak: the main cursor
       there, relative, for the receiver's levels (ls_rx_config.ext_gain) */
    const long ns = (long)in->pulse_peak, S = (long)rc->sps;
    rc->ext_dc = dcq;
    for (long j = 0; rc->ext_clock && S <= 128 && j <= 2 * S; j++) {
        const long i = ns + j - S;
        rc->ext_gain[j] = i >= 0 && i < (long)l->n_pulse ? l->pulse[i] / l->pulse[ns] : 0.0;
    }
}

/* The eyes' voltage ranges. Receiver input: the worst-case peak of the analog pulse over all
   phases, plus 6 sigma of noise. Slicer input: the worst-case peak over all phases of the equalized
   pulse with the DFE's post-cursors taken off, 25 % more for the adaptation's drift, plus 6 sigma
   of the noise and TX jitter after the FFE, around the middle of the expected levels; every
   threshold must lie inside it. */
static ls_status eye_range(ls_link *l, const lsi_assembly *a, const ls_rx_config *rc, char *msg, size_t cap)
{
    ls_link_info *in = &l->info;
    const lsi_link_spec *spec = a->spec;
    const unsigned sps = a->sps, M = spec->levels;
    double amax = 0, emax = 0;
    for (unsigned ph = 0; ph < sps; ph++) {
        double s = 0;
        for (size_t i = ph; i < a->n_pulse; i += sps)
            s += fabs(l->pulse[i]);
        amax = LS_MAX(amax, s);
        double e = 0;
        for (size_t i = ph; i < l->n_peq; i += sps) {
            long j = ((long)i - (long)l->peq_main + (long)(sps / 2)) / (long)sps; /* the nearest cursor */
            e += fabs(l->peq[i] - (j >= 1 && j <= (long)l->n_dfe ? l->dfe[j - 1] : 0.0));
        }
        emax = LS_MAX(emax, e);
    }
    double range = 1.05 * amax + 6.0 * sqrt(l->noise_acf[0]);
    for (unsigned i = 0; i < M; i++)
        l->eye_lv[i] = l->pulse[a->ns] * l->lv_eff[i];
    l->in_vmin = l->dc_v - range;
    l->in_vmax = l->dc_v + range;
    double var = in->jitter_rms_v * in->jitter_rms_v;
    for (unsigned i = 0; i < rc->ffe_taps; i++)
        for (unsigned k = 0; k < rc->ffe_taps; k++)
            var += rc->ffe[i] * rc->ffe[k] * l->noise_acf[i > k ? i - k : k - i];
    const double mid = 0.5 * (in->level_v[0] + in->level_v[M - 1]);
    const double er = 1.25 * emax + 6.0 * sqrt(LS_MAX(var, 0.0));
    in->eye_vmin = mid - er;
    in->eye_vmax = mid + er;
    for (unsigned i = 0; i + 1 < M; i++)
        if (!(in->thresholds[i] > in->eye_vmin && in->thresholds[i] < in->eye_vmax)) {
            lsi_say(msg, cap, "slicer.thresholds_v: %g V lies outside the signal range %g .. %g V", in->thresholds[i],
                    in->eye_vmin, in->eye_vmax);
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
    if (rc->eye == LS_RX_EYE_NONE)
        rc->eye = LS_RX_EYE_SLICER; /* a link can always record its eye */
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
    return eye_range(l, a, rc, msg, cap);
}

/*
 * Link assembly and frame simulation.
 *
 * Fusion: each maximal run of consecutive LTI blocks becomes one FIR. With fs = sps * baud, the
 * run's responses are multiplied on the grid f_k = k fs / N (N a power of two >= 4 n_h), delayed by
 * the whole-sample pre-ringing allowance of its zero-phase members, and inverse-FFT'd:
 *   h[n] = (1/N) sum_k prod_b H_b(f_k) e^{-j 2 pi f_k d / fs} e^{j 2 pi k n / N},  n < n_h,
 * n_h = ceil((sum span_s + sum pre_s) fs) + 1, so the FIR's DTFT matches the analog product at the
 * grid points and its DC gain is prod H_b(0). The FIR is applied by ls_fftfilt (overlap-save).
 * Pulse response, ideal CDR, thresholds and latency: see include/lanesim/link.h and docs/link.md.
 */
#include <complex.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim/cfftfilt.h"
#include "lanesim/eqsolve.h"
#include "lanesim/fftfilt.h"
#include "lanesim/link.h"
#include "lanesim/mlse.h"
#include "lanesim/noise.h"
#include "lanesim/optx.h"
#include "lanesim/pam.h"
#include "lanesim/rx.h"
#include "lanesim/stateye.h"
#include "lanesim/tx.h"
#include "lanesim/xtalk.h"
#include "ls_internal.h"
#include "ls_link_internal.h"

void ls_link_destroy(ls_link *l)
{
    if (!l)
        return;
    ls_tx_destroy(l->tx);
    for (size_t i = 0; i < l->n_st; i++) {
        ls_fftfilt_destroy(l->st[i].fir);
        ls_free(l->st[i].h);
        ls_cfftfilt_destroy(l->st[i].cfir);
        ls_free(l->st[i].hc);
        ls_block_destroy(&l->st[i].blk);
    }
    for (unsigned i = 0; i < l->n_ctle; i++)
        ls_block_destroy(&l->ctle[i]);
    ls_free(l->pulse);
    ls_free(l->wave);
    ls_free(l->cwave);
    ls_free(l->op);
    ls_rx_destroy(l->rx);
    ls_free(l->peq);
    ls_free(l->rx_level);
    ls_free(l->rx_bits);
    ls_free(l->tx_level_c);
    ls_free(l->tx_bits_c);
    ls_free(l->ring_bits);
    ls_free(l->ring_level);
    ls_free(l->gen_bits);
    ls_free(l->gen_level);
    for (size_t i = 0; i < l->n_xt; i++)
        ls_free(l->xt_g[i]);
    ls_free(l);
}

/* Moves a block of a fused LTI group into l->ctle when it is a CTLE (for ls_link_response), else destroys it. */
static void keep_or_destroy(ls_link *l, ls_block *b)
{
    if (b->ops && !strcmp(b->ops->name, "ctle") && l->n_ctle < sizeof l->ctle / sizeof l->ctle[0]) {
        l->ctle[l->n_ctle++] = *b;
        *b = (ls_block){ 0 };
        return;
    }
    ls_block_destroy(b);
}

ls_link *lsi_link_assemble(lsi_link_spec *spec_in, size_t max_chunk, char *msg, size_t cap, ls_status *err)
{
    ls_status st = LS_EINVAL;
    ls_link *l = NULL;
    float *h = NULL, *tmp = NULL;
    lsi_link_spec spec;
    lsi_link_spec_init(&spec);
    if (!spec_in || !max_chunk) {
        lsi_say(msg, cap, "invalid arguments");
        if (spec_in)
            lsi_link_spec_clear(spec_in);
        goto fail;
    }
    spec = *spec_in; /* the link owns the blocks from here */
    spec_in->n_blocks = 0;
    st = LS_ENOMEM;
    if (!(l = ls_alloc(sizeof *l)))
        goto fail;
    ls_link_info *in = &l->info;
    in->baud = spec.baud;
    in->sps = spec.sps;
    in->levels = spec.levels;
    in->bits_per_symbol = ls_pam_bits(spec.levels);
    in->rate_bps = spec.baud * in->bits_per_symbol;
    if (spec.optical) {
        const double top = spec.launch_p_mw[spec.levels - 1], bot = spec.launch_p_mw[0];
        double avg = 0;
        for (unsigned i = 0; i < spec.levels; i++)
            avg += spec.launch_p_mw[i] / spec.levels;
        in->optical = 1;
        in->launch_oma_dbm = 10.0 * log10(top - bot);
        in->er_db = 10.0 * log10(top / bot);
        in->avg_power_dbm = 10.0 * log10(avg);
        in->received_oma_dbm = in->launch_oma_dbm - spec.fibre_loss_db;
    }
    in->ctle_gdc_db = spec.ctle_gdc_db;
    l->chunk = max_chunk;
    l->eye_bins = spec.eye_bins;
    l->eye_hit = spec.eye_hit_ratio;
    l->precoding = spec.tx.precoding;
    spec.tx.max_ui = max_chunk;
    if (!(l->tx = ls_tx_create(&spec.tx, &st))) {
        lsi_say(msg, cap, "transmitter: %s", ls_strerror(st));
        goto fail;
    }
    const double fs = spec.baud * spec.sps;
    const unsigned sps = spec.sps;

    /* pulse response of the TX: FFE taps at UI spacing, each held for one UI, outer level */
    double taps[LS_TX_MAX_FFE];
    size_t n_taps = ls_tx_ffe_taps(l->tx, taps, NULL);
    double vlev[LS_PAM_MAX_LEVELS];
    ls_tx_level_values(l->tx, vlev);
    size_t n_pulse = n_taps * sps;
    if (!(l->pulse = ls_alloc_n(n_pulse, sizeof *l->pulse)))
        goto fail;
    for (size_t i = 0; i < n_taps; i++)
        for (unsigned j = 0; j < sps; j++)
            l->pulse[i * sps + j] = (float)(taps[i] * vlev[spec.levels - 1]);

    /* stages: fuse runs of LTI blocks */
    size_t latency = ls_tx_latency(l->tx);
    ls_sample_type cur = LS_T_F32;
    int any_complex = 0;
    for (size_t i = 0; i < spec.n_blocks;) {
        const ls_block_ops *o = spec.blocks[i].ops;
        if (o->in != cur) {
            st = LS_EINVAL;
            lsi_say(msg, cap, "block '%s' expects %s input but receives %s", o->name,
                o->in == LS_T_F32 ? "an electrical" : "an optical field", cur == LS_T_F32 ? "an electrical" : "a field");
            goto fail;
        }
        if (o->kind != LS_KIND_LTI) {
            l->st[l->n_st++].blk = spec.blocks[i];
            spec.blocks[i] = (ls_block){ 0 };
            cur = o->out;
            any_complex |= cur == LS_T_CF32;
            i++;
            continue;
        }
        size_t j = i;
        while (j < spec.n_blocks && spec.blocks[j].ops->kind == LS_KIND_LTI && spec.blocks[j].ops->in == cur)
            j++;
        if (cur == LS_T_CF32) {
            /* optical field: one complex FIR for the group (fibre dispersion and loss, ...) */
            size_t nhc = 0, delay = 0;
            if ((st = ls_cfftfilt_design_size(spec.blocks + i, j - i, fs, &nhc, &delay)) != LS_OK) {
                lsi_say(msg, cap, "optical LTI blocks: cannot size the FIR (%s)", ls_strerror(st));
                goto fail;
            }
            st = LS_ENOMEM;
            float complex *hc = ls_alloc_n(nhc, sizeof *hc);
            if (!hc)
                goto fail;
            ls_cfftfilt_config cc;
            ls_cfftfilt_config_init(&cc);
            cc.h = hc;
            cc.n_h = nhc;
            if ((st = ls_cfftfilt_design(spec.blocks + i, j - i, fs, hc, nhc, delay)) != LS_OK ||
                !(l->st[l->n_st].cfir = ls_cfftfilt_create(&cc, &st))) {
                ls_free(hc);
                lsi_say(msg, cap, "optical FIR of %zu taps: %s", nhc, ls_strerror(st));
                goto fail;
            }
            latency += ls_cfftfilt_latency(l->st[l->n_st].cfir);
            l->st[l->n_st].hc = hc;
            l->st[l->n_st].nhc = nhc;
            l->n_st++;
            in->fused_taps += nhc;
            in->n_lti_blocks += j - i;
            for (size_t k = i; k < j; k++)
                ls_block_destroy(&spec.blocks[k]);
            i = j;
            continue;
        }
        size_t nh = 0;
        const ls_block *grp[LSI_MAX_BLOCKS];
        for (size_t k = i; k < j; k++)
            grp[k - i] = &spec.blocks[k];
        if ((st = lsi_fuse_lti(grp, j - i, fs, &h, &nh, msg, cap)) != LS_OK)
            goto fail;
        ls_fftfilt_config fc;
        ls_fftfilt_config_init(&fc);
        fc.h = h;
        fc.n_h = nh;
        if (!(l->st[l->n_st].fir = ls_fftfilt_create(&fc, &st))) {
            lsi_say(msg, cap, "FFT filter of %zu taps: %s", nh, ls_strerror(st));
            goto fail;
        }
        latency += ls_fftfilt_latency(l->st[l->n_st].fir);
        l->st[l->n_st].h = h;
        l->st[l->n_st].nh = nh;
        h = NULL;
        l->n_st++;
        in->fused_taps += nh;
        in->n_lti_blocks += j - i;
        for (size_t k = i; k < j; k++)
            keep_or_destroy(l, &spec.blocks[k]);
        i = j;
    }
    spec.n_blocks = 0;
    if (cur != LS_T_F32) {
        st = LS_EINVAL;
        lsi_say(msg, cap, "the chain ends in an optical field: a photodetector is missing");
        goto fail;
    }
    /* pulse response: the TX pulse through every stage's small-signal model */
    st = LS_ENOMEM;
    if (!(l->op = ls_alloc_n(l->n_st + 2, sizeof *l->op)))
        goto fail;
    if ((st = lsi_link_operating_points(l)) != LS_OK) {
        lsi_say(msg, cap, "a block has no operating point (%s)", ls_strerror(st));
        goto fail;
    }
    {
        double complex *x = ls_alloc_n(n_pulse, sizeof *x), *y = NULL;
        size_t ny = 0;
        st = LS_ENOMEM;
        if (!x)
            goto fail;
        for (size_t i = 0; i < n_pulse; i++)
            x[i] = l->pulse[i];
        double v0[LS_PAM_MAX_LEVELS];
        ls_pam_levels(spec.levels, spec.tx.rlm, v0);
        st = lsi_link_static_levels(l, x, n_pulse, v0, spec.levels, l->lv_eff);
        if (st == LS_EINVAL) {
            ls_free(x);
            lsi_say(msg, cap, "the static transfer folds the PAM levels over (non-monotonic): drive too large");
            goto fail;
        }
        if (st == LS_OK)
            st = lsi_link_propagate(l, 0, x, n_pulse, &y, &ny);
        ls_free(x);
        if (st != LS_OK) {
            lsi_say(msg, cap, "pulse response: %s", ls_strerror(st));
            goto fail;
        }
        ls_free(l->pulse);
        if (!(l->pulse = ls_alloc_n(ny, sizeof *l->pulse))) {
            ls_free(y);
            st = LS_ENOMEM;
            goto fail;
        }
        for (size_t i = 0; i < ny; i++)
            l->pulse[i] = (float)creal(y[i]);
        ls_free(y);
        n_pulse = ny;
    }
    l->n_pulse = n_pulse;
    {
        /* an inverting chain gets the receiver's polarity swap, as SerDes lanes have */
        float mx = 0, mn = 0;
        for (size_t i = 0; i < n_pulse; i++) {
            mx = l->pulse[i] > mx ? l->pulse[i] : mx;
            mn = l->pulse[i] < mn ? l->pulse[i] : mn;
        }
        if (-mn > mx) {
            l->invert = 1;
            for (size_t i = 0; i < n_pulse; i++)
                l->pulse[i] = -l->pulse[i];
            l->dc_v = -l->dc_v;
        }
    }

    /* ideal CDR: peak of the pulse response plus the configured phase offset */
    size_t pk = 0;
    for (size_t i = 1; i < n_pulse; i++)
        if (l->pulse[i] > l->pulse[pk])
            pk = i;
    {
        /* a flat top (unfiltered NRZ) is sampled at the middle of its plateau, not at its edge */
        const float top = l->pulse[pk] * (1.0f - 1e-6f);
        size_t a = pk, b = pk;
        while (a > 0 && l->pulse[a - 1] >= top)
            a--;
        while (b + 1 < n_pulse && l->pulse[b + 1] >= top)
            b++;
        pk = (a + b) / 2;
    }
    long ns = (long)pk + lround(spec.rx_phase_ui * sps);
    if (ns < 0)
        ns = 0;
    if ((size_t)ns >= n_pulse)
        ns = (long)n_pulse - 1;
    in->pulse_peak = (size_t)ns;
    if (!(l->pulse[ns] > 0)) {
        st = LS_EINVAL;
        lsi_say(msg, cap, "the pulse response has no positive main cursor: nothing to detect");
        goto fail;
    }

    /* slicer-referred AWGN needs the main cursor; it is referred to the unequalized levels */
    double v[LS_PAM_MAX_LEVELS], ev2 = 0;
    ls_pam_levels(spec.levels, spec.tx.rlm, v);
    for (unsigned i = 0; i < spec.levels; i++)
        ev2 += v[i] * v[i] / spec.levels;
    if (isfinite(spec.noise_snr_db)) {
        double es = l->pulse[ns] * l->pulse[ns] * ev2;
        in->noise_sigma = sqrt(es * pow(10.0, -spec.noise_snr_db / 10.0));
        ls_awgn_config ac = { .sigma = in->noise_sigma, .stream = 100 };
        if ((st = ls_awgn_into_block(&ac, &l->st[l->n_st].blk)) != LS_OK)
            goto fail;
        l->n_st++;
    }
    in->n_stages = l->n_st;
    if ((st = lsi_link_noise_at_sampler(l, ls_tx_noise_var(l->tx), msg, cap)) != LS_OK ||
        (st = lsi_link_xtalk_at_sampler(l, msg, cap)) != LS_OK)
        goto fail;

    /* worst-case peak over all phases of the analog pulse (eye range, ADC full scale) */
    double amax = 0;
    for (unsigned ph = 0; ph < sps; ph++) {
        double a = 0;
        for (size_t i = ph; i < n_pulse; i += sps)
            a += fabs(l->pulse[i]);
        amax = LS_MAX(amax, a);
    }

    /* receiver back end: FFE/DFE from the pulse, equalized pulse, thresholds, CDR slope */
    ls_rx_config *rc = &spec.rx;
    if (rc->adc_on) {
        if (!(rc->adc_fs_v > 0)) {
            /* AGC: +-5 rms of signal (all cursors at the sampling phase) plus noise: clipping below ~1e-6 */
            double p2 = 0;
            for (size_t i = (size_t)ns % sps; i < n_pulse; i += sps)
                p2 += (double)l->pulse[i] * l->pulse[i];
            rc->adc_fs_v = 2.0 * 5.0 * sqrt(ev2 * p2 + l->noise_acf[0]);
        }
        /* quantization plus ENOB noise, white at the symbol rate (rx.h) */
        double lsb = rc->adc_fs_v / (double)(1u << rc->adc_bits);
        double total = rc->adc_fs_v * rc->adc_fs_v / 8.0 / pow(10.0, (6.02 * rc->adc_enob + 1.76) / 10.0);
        l->noise_acf[0] += LS_MAX(total, lsb * lsb / 12.0);
    }
    rc->sps = sps;
    rc->levels = spec.levels;
    rc->baud = spec.baud;
    rc->max_samples = max_chunk * sps;
    rc->stream = 200;
    if ((st = lsi_link_solve_equalizer(l, &spec, (size_t)ns, ev2, msg, cap)) != LS_OK)
        goto fail;
    in->h0 = l->peq[l->peq_main];
    lsi_link_equalized_snr(l, &spec.rx, ev2);
    if ((st = lsi_link_xtalk_info(l, &spec.rx, msg, cap)) != LS_OK)
        goto fail;
    l->rj_ui = spec.rj_ui;
    l->dj_ui = spec.dj_ui;
    in->jitter_rms_v = sqrt(lsi_link_tx_jitter_var(l, ev2));
    /* levels at the FFE output: the equalized main cursor on each level, plus the DC operating point
       through the FFE (non-zero only for DC-coupled optical receivers) */
    double dcq = 0;
    for (unsigned i = 0; i < rc->ffe_taps; i++)
        dcq += rc->ffe[i] * l->dc_v;
    l->dcq = dcq;
    for (unsigned i = 0; i < spec.levels; i++) {
        in->level_v[i] = dcq + in->h0 * l->lv_eff[i];
        rc->ref_v[i] = in->level_v[i];
    }
    for (unsigned i = 0; i + 1 < spec.levels; i++) {
        in->thresholds[i] = spec.n_thresholds ? spec.thresholds[i]
                                              : (float)(0.5 * (in->level_v[i] + in->level_v[i + 1]));
        rc->thresholds[i] = in->thresholds[i];
    }
    if (rc->cdr != LS_CDR_IDEAL && (st = lsi_link_cdr_slope(l, rc, ev2, msg, cap)) != LS_OK)
        goto fail;
    in->latency = latency + (size_t)ns;
    rc->latency = in->latency;
    if (!(l->rx = ls_rx_create(rc, &st))) {
        lsi_say(msg, cap, "receiver: invalid configuration (%s)", ls_strerror(st));
        goto fail;
    }
    in->memory_symbols = (n_pulse + sps - 1) / sps + rc->ffe_taps + 2;
    l->rlm = spec.tx.rlm;

    double range = 1.05 * amax + 6.0 * sqrt(l->noise_acf[0]);
    for (unsigned i = 0; i < spec.levels; i++)
        l->eye_lv[i] = l->pulse[ns] * l->lv_eff[i];
    in->eye_vmin = l->dc_v - range;
    in->eye_vmax = l->dc_v + range;
    for (unsigned i = 0; i + 1 < spec.levels; i++)
        if (!(in->thresholds[i] > in->eye_vmin && in->thresholds[i] < in->eye_vmax) && !l->cwave) {
            st = LS_EINVAL;
            lsi_say(msg, cap, "slicer.thresholds_v: %g V lies outside the signal range +-%g V", in->thresholds[i], range);
            goto fail;
        }

    /* buffers */
    st = LS_ENOMEM;
    size_t lat_sym = in->latency / sps + rc->ffe_taps + 4 + (rc->mlse_on ? rc->mlse_depth : 0); /* + MLSE delay */
    size_t ring = lsi_pow2_at_least(lat_sym + max_chunk + 4);
    l->ring_mask = ring - 1;
    l->rx_cap = max_chunk + rc->ffe_taps + 4;
    if ((any_complex && !(l->cwave = ls_alloc_n(max_chunk * sps, sizeof *l->cwave))) ||
        !(l->wave = ls_alloc_n(max_chunk * sps, sizeof *l->wave)) || !(l->rx_level = ls_alloc(l->rx_cap)) ||
        !(l->rx_bits = ls_alloc(l->rx_cap)) || !(l->tx_level_c = ls_alloc(l->rx_cap)) ||
        !(l->tx_bits_c = ls_alloc(l->rx_cap)) || !(l->ring_bits = ls_alloc(ring)) ||
        !(l->ring_level = ls_alloc(ring)) || !(l->gen_bits = ls_alloc(max_chunk)) ||
        !(l->gen_level = ls_alloc(max_chunk)))
        goto fail;
    if (err)
        *err = LS_OK;
    return l;
fail:
    if (st == LS_ENOMEM && msg && !msg[0])
        lsi_say(msg, cap, "out of memory");
    lsi_link_spec_clear(&spec);
    ls_free(h);
    ls_free(tmp);
    ls_link_destroy(l);
    if (err)
        *err = st;
    return NULL;
}

const float *ls_link_pulse_eq(const ls_link *l, size_t *n, size_t *main)
{
    *n = l->n_peq;
    *main = l->peq_main;
    return l->peq;
}

void ls_link_get_rx_stats(const ls_link *l, ls_rx_stats *s)
{
    ls_rx_get_stats(l->rx, s);
}

const ls_link_info *ls_link_get_info(const ls_link *l)
{
    return &l->info;
}

const float *ls_link_pulse(const ls_link *l, size_t *n)
{
    *n = l->n_pulse;
    return l->pulse;
}

ls_eye *ls_link_eye_create(const ls_link *l, ls_status *err)
{
    ls_eye_config ec;
    ls_eye_config_init(&ec);
    ec.sps = l->info.sps;
    ec.n_bins = l->eye_bins;
    ec.v_min = l->info.eye_vmin;
    ec.v_max = l->info.eye_vmax;
    ec.levels = l->info.levels;
    for (unsigned i = 0; i + 1 < l->info.levels; i++)
        ec.thresholds[i] = l->info.thresholds[i];
    ec.hit_ratio = l->eye_hit;
    if (l->cwave)
        for (unsigned i = 0; i + 1 < l->info.levels; i++) /* analog levels: DC + pulse peak on each level */
            ec.thresholds[i] = l->dc_v + 0.5 * (l->eye_lv[i] + l->eye_lv[i + 1]);
    return ls_eye_create(&ec, err);
}

ls_ber *ls_link_ber_create(const ls_link *l, ls_status *err)
{
    ls_ber_config bc;
    ls_ber_config_init(&bc);
    bc.bits_per_symbol = l->info.bits_per_symbol;
    bc.levels = l->info.levels;
    bc.fec = 1;
    return ls_ber_create(&bc, err);
}

ls_status ls_link_run_frame(ls_link *l, uint64_t seed, uint64_t frame, int64_t first_ui, size_t n_warm,
                            size_t n_count, ls_ber *ber, ls_eye *eye)
{
    if (!l)
        return LS_EINVAL;
    const unsigned sps = l->info.sps, M = l->info.levels;
    const size_t D = l->info.latency, C = l->chunk;
    ls_status st = ls_tx_start(l->tx, seed, frame, first_ui - (int64_t)n_warm);
    if (st != LS_OK)
        return st;
    for (size_t i = 0; i < l->n_st; i++) {
        if (l->st[i].fir) {
            st = ls_fftfilt_reset(l->st[i].fir);
        } else if (l->st[i].cfir) {
            st = ls_cfftfilt_reset(l->st[i].cfir);
        } else {
            const ls_block_ops *o = l->st[i].blk.ops;
            if (o->reset)
                st = o->reset(l->st[i].blk.self);
            if (o->reseed)
                o->reseed(l->st[i].blk.self, seed, frame);
        }
        if (st != LS_OK)
            return st;
    }
    if ((st = ls_rx_start(l->rx, seed, frame, n_warm + n_count)) != LS_OK)
        return st;
    const size_t k_end = n_warm + n_count;        /* decide symbols 0 .. k_end-1 */
    const size_t eye_lo = D - sps + n_warm * sps; /* eye window of the counted symbols */
    const size_t eye_hi = eye_lo + n_count * sps;
    size_t k_gen = 0, k_done = 0;                 /* generated symbols; decided symbols */
    uint8_t dec_state = 0;
    while (k_done < k_end) {
        size_t m0 = k_gen * sps;                  /* first sample index of this chunk */
        if ((st = ls_tx_generate(l->tx, C, l->gen_bits, l->gen_level, l->wave)) != LS_OK)
            return st;
        for (size_t i = 0; i < C; i++) {
            l->ring_bits[(k_gen + i) & l->ring_mask] = l->gen_bits[i];
            l->ring_level[(k_gen + i) & l->ring_mask] = l->gen_level[i];
        }
        k_gen += C;
        const size_t n = C * sps;
        for (size_t i = 0; i < l->n_st; i++) {
            const stage *sg = &l->st[i];
            if (sg->fir) {
                st = ls_fftfilt_process(sg->fir, l->wave, l->wave, n);
            } else if (sg->cfir) {
                st = ls_cfftfilt_process(sg->cfir, l->cwave, l->cwave, n);
            } else {
                const ls_block_ops *o = sg->blk.ops;
                void *xi = o->in == LS_T_F32 ? (void *)l->wave : (void *)l->cwave;
                void *yo = o->out == LS_T_F32 ? (void *)l->wave : (void *)l->cwave;
                st = o->process(sg->blk.self, xi, yo, n);
            }
            if (st != LS_OK)
                return st;
        }
        if (l->invert)
            for (size_t i = 0; i < n; i++)
                l->wave[i] = -l->wave[i];
        if (eye && m0 + n > eye_lo && m0 < eye_hi) {
            size_t a = LS_MAX(m0, eye_lo), b = LS_MIN(m0 + n, eye_hi);
            if ((st = ls_eye_add(eye, l->wave + (a - m0), b - a, (unsigned)((a - eye_lo) % (2u * sps)))) != LS_OK)
                return st;
        }
        size_t nd;
        uint64_t k_first;
        if ((st = ls_rx_process(l->rx, l->wave, n, l->rx_level, NULL, l->rx_cap, &nd, &k_first)) != LS_OK)
            return st;
        if (nd && k_first + nd > k_end)
            nd = k_first < k_end ? (size_t)(k_end - k_first) : 0;
        if (!nd)
            continue;
        memcpy(l->rx_bits, l->rx_level, nd);
        if (l->precoding)
            ls_pam_decode(l->rx_bits, nd, M, &dec_state);
        for (size_t i = 0; i < nd; i++) {
            l->rx_bits[i] = ls_pam_level_to_gray(l->rx_bits[i]);
            l->tx_bits_c[i] = l->ring_bits[(k_first + i) & l->ring_mask];
            l->tx_level_c[i] = l->ring_level[(k_first + i) & l->ring_mask];
        }
        k_done = (size_t)k_first + nd;
        if (ber && k_done > n_warm) {
            size_t a = k_first >= n_warm ? 0 : (size_t)(n_warm - k_first);
            if ((st = ls_ber_update(ber, l->tx_level_c + a, l->rx_level + a, l->tx_bits_c + a, l->rx_bits + a,
                                    nd - a)) != LS_OK)
                return st;
        }
    }
    return LS_OK;
}

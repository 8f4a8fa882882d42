/*
 * The link engine's top: lsi_link_assemble runs the named assembly stages on a built
 * specification (transmitter and its pulse here; fusion in link_stages.c; pulse response and
 * sampling point in link_pulse.c; noise here, with the noise maths in link_noise.c; receiver in
 * link_eq.c; buffers here), plus destroy, getters and the eye and BER factories. Frames run in
 * link_frame.c. The files use struct ls_link through link_internal.h.
 *
 * Fusion: each maximal run of consecutive LTI blocks becomes one FIR (phy/core/fuse.c, docs/link.md
 * "Fusion"): the run's responses multiplied on a grid f_k = k fs / N (fs = sps * baud), inverse-FFT'd,
 * windowed to P pre-cursor and Q post-cursor taps (the blocks' pre_s and span_s plus a margin, a
 * raised-cosine taper at both ends), scaled to the exact DC gain prod H_b(0), and checked: the FIR's
 * DTFT is within 2.5e-4 of the analog product (relative to its peak) on |f| <= 0.9 fs/2, else the
 * margin doubles. The FIR is applied by ls_fftfilt (overlap-save); its P-sample delay reaches the
 * sampler through the pulse response, as every FIR's does.
 * Pulse response, ideal CDR, thresholds and latency: see include/lanesim/link.h and docs/link.md.
 */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim/cfftfilt.h"
#include "lanesim/fftfilt.h"
#include "lanesim/link.h"
#include "lanesim/noise.h"
#include "lanesim/pam.h"
#include "lanesim/rx.h"
#include "lanesim/tx.h"
#include "ls_internal.h"
#include "link_internal.h"

void ls_link_destroy(ls_link *l)
{
    if (!l)
        return;
    ls_tx_destroy(l->tx);
    for (size_t i = 0; i < l->n_st; i++) {
        lsi_fir2_destroy(l->st[i].fir2);
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
    ls_free(l->pat_v);
    lsi_link_symbol_destroy(l->sym);
    lsi_link_pattern_destroy(l->pat);
    lsi_link_trace_free(l);
    ls_free(l->rx_level);
    ls_free(l->rx_y);
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

/* The link's figures that come straight from the specification. */
static void link_info(ls_link *l, const lsi_link_spec *spec, size_t max_chunk)
{
    ls_link_info *in = &l->info;
    in->baud = spec->baud;
    in->sps = spec->sps;
    in->levels = spec->levels;
    in->bits_per_symbol = ls_pam_bits(spec->levels);
    in->rate_bps = spec->baud * in->bits_per_symbol;
    if (spec->optical) {
        /* outer levels by optical power, not drive order: an inverting modulator (an MZM on its
           falling slope) puts the brightest level at the lowest drive */
        double top = spec->launch_p_mw[0], bot = top, avg = 0;
        for (unsigned i = 0; i < spec->levels; i++) {
            top = fmax(top, spec->launch_p_mw[i]);
            bot = fmin(bot, spec->launch_p_mw[i]);
            avg += spec->launch_p_mw[i] / spec->levels;
        }
        in->optical = 1;
        in->launch_oma_dbm = 10.0 * log10(top - bot);
        in->er_db = 10.0 * log10(top / bot);
        in->avg_power_dbm = 10.0 * log10(avg);
        in->received_oma_dbm = in->launch_oma_dbm - spec->fibre_loss_db;
    }
    in->ctle_gdc_db = spec->ctle_gdc_db;
    in->inner_fec = spec->inner_fec;
    in->inner_chase_l = spec->inner_chase_l;
    memcpy(in->ami_out, spec->ami_out, sizeof in->ami_out);
    l->chunk = max_chunk;
    l->eye_bins = spec->eye_bins;
    l->eye_ber = spec->eye_target_ber;
    l->info.eye_at_input = spec->rx.eye == LS_RX_EYE_INPUT;
    l->precoding = spec->tx.precoding;
    l->n_warn = spec->n_warn;
    memcpy(l->warn, spec->warn, sizeof l->warn);
}

/* Stage 4: slicer-referred AWGN (it needs the main cursor; referred to the unequalized levels), then
   the noise and crosstalk autocorrelation at the sampler. */
static ls_status link_noise(ls_link *l, lsi_assembly *a, char *msg, size_t cap)
{
    const lsi_link_spec *spec = a->spec;
    ls_link_info *in = &l->info;
    ls_status st;
    double v[LS_PAM_MAX_LEVELS], ev2 = 0;
    ls_pam_levels(spec->levels, spec->tx.rlm, v);
    for (unsigned i = 0; i < spec->levels; i++)
        ev2 += v[i] * v[i] / spec->levels;
    a->ev2 = ev2;
    if (isfinite(spec->noise_snr_db) || spec->noise_v_rms > 0) {
        double es = l->pulse[a->ns] * l->pulse[a->ns] * ev2;
        double v2 = isfinite(spec->noise_snr_db) ? es * pow(10.0, -spec->noise_snr_db / 10.0) : 0.0;
        in->noise_sigma = sqrt(v2 + spec->noise_v_rms * spec->noise_v_rms);
        ls_awgn_config ac = { .sigma = in->noise_sigma, .stream = 100 };
        if ((st = ls_awgn_into_block(&ac, &l->st[l->n_st].blk)) != LS_OK)
            return st;
        l->n_st++;
    }
    in->n_stages = l->n_st;
    if ((st = lsi_link_noise_at_sampler(l, ls_tx_noise_var(l->tx), spec->noise_full, msg, cap)) != LS_OK ||
        (st = lsi_link_xtalk_at_sampler(l, msg, cap)) != LS_OK)
        return st;
    return LS_OK;
}

/* Stage 6: the frame buffers, sized for the latency and the chunk. */
static ls_status link_buffers(ls_link *l, const lsi_assembly *a)
{
    const ls_rx_config *rc = &a->spec->rx;
    const size_t max_chunk = a->max_chunk, sps = a->sps;
    size_t lat_sym = l->info.latency / sps + rc->ffe_taps + 4 + (rc->mlse_on ? rc->mlse_depth : 0); /* + MLSE delay */
    size_t ring = lsi_pow2_at_least(lat_sym + max_chunk + 4);
    l->ring_mask = ring - 1;
    l->rx_cap = max_chunk + rc->ffe_taps + 4;
    if ((a->any_complex && !(l->cwave = ls_alloc_n(max_chunk * sps, sizeof *l->cwave))) ||
        !(l->wave = ls_alloc_n(max_chunk * sps, sizeof *l->wave)) || !(l->rx_level = ls_alloc(l->rx_cap)) ||
        !(l->rx_bits = ls_alloc(l->rx_cap)) || !(l->tx_level_c = ls_alloc(l->rx_cap)) ||
        !(l->tx_bits_c = ls_alloc(l->rx_cap)) || !(l->ring_bits = ls_alloc(ring)) ||
        !(l->ring_level = ls_alloc(ring)) || !(l->gen_bits = ls_alloc(max_chunk)) ||
        !(l->gen_level = ls_alloc(max_chunk)) ||
        (a->spec->inner_fec && !(l->rx_y = ls_alloc_n(l->rx_cap, sizeof *l->rx_y))))
        return LS_ENOMEM;
    return LS_OK;
}

/* The named stages in order: transmitter and its pulse, fusion (link_stages.c), pulse response and
   sampling point (link_pulse.c), noise, receiver (link_eq.c), buffers. */
ls_link *lsi_link_assemble(lsi_link_spec *spec_in, size_t max_chunk, char *msg, size_t cap, ls_status *err)
{
    ls_status st = LS_EINVAL;
    ls_link *l = NULL;
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
    link_info(l, &spec, max_chunk);
    spec.tx.max_ui = max_chunk;
    if (!(l->tx = ls_tx_create(&spec.tx, &st))) {
        lsi_say(msg, cap, "transmitter: %s", ls_strerror(st));
        goto fail;
    }
    lsi_assembly a = { .spec = &spec, .max_chunk = max_chunk, .fs = spec.baud * spec.sps, .sps = spec.sps };
    if ((st = lsi_link_tx_pulse(l, &a)) != LS_OK || (st = lsi_link_fuse(l, &a, msg, cap)) != LS_OK ||
        (st = lsi_link_pulse_response(l, &a, msg, cap)) != LS_OK ||
        (st = lsi_link_sampling_point(l, &a, msg, cap)) != LS_OK || (st = link_noise(l, &a, msg, cap)) != LS_OK ||
        (st = lsi_link_receiver(l, &a, msg, cap)) != LS_OK || (st = link_buffers(l, &a)) != LS_OK)
        goto fail;
    l->pat_tx = spec.tx;
    l->pat_rc = spec.rx; /* the pattern table waits for the first ls_link_stat (link_plut.c) */
    if (err)
        *err = LS_OK;
    return l;
fail:
    if (st == LS_ENOMEM && msg && !msg[0])
        lsi_say(msg, cap, "out of memory");
    lsi_link_spec_clear(&spec);
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

size_t ls_link_warnings(const ls_link *l, const char **w, size_t cap)
{
    if (!l)
        return 0;
    for (size_t i = 0; i < l->n_warn && i < cap; i++)
        w[i] = l->warn[i];
    return l->n_warn;
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
    if (!l) {
        if (err)
            *err = LS_EINVAL;
        return NULL;
    }
    ls_eye_config ec;
    ls_eye_config_init(&ec);
    const int input = l->info.eye_at_input;
    ec.sps = l->info.sps;
    ec.n_bins = l->eye_bins;
    ec.v_min = input ? l->in_vmin : l->info.eye_vmin;
    ec.v_max = input ? l->in_vmax : l->info.eye_vmax;
    ec.levels = l->info.levels;
    for (unsigned i = 0; i + 1 < l->info.levels; i++) /* at the input: DC + pulse peak on each level */
        ec.thresholds[i] = input ? l->dc_v + 0.5 * (l->eye_lv[i] + l->eye_lv[i + 1]) : l->info.thresholds[i];
    ec.target_ber = l->eye_ber;
    return ls_eye_create(&ec, err);
}

ls_ber *ls_link_ber_create(const ls_link *l, ls_status *err)
{
    if (!l) {
        if (err)
            *err = LS_EINVAL;
        return NULL;
    }
    ls_ber_config bc;
    ls_ber_config_init(&bc);
    bc.bits_per_symbol = l->info.bits_per_symbol;
    bc.levels = l->info.levels;
    bc.fec = 1;
    bc.inner = l->info.inner_fec;
    bc.chase_l = l->info.inner_chase_l;
    return ls_ber_create(&bc, err);
}


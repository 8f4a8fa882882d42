/*
 * Optical test-point capture (ls_link_capture_optical, include/lanesim/link.h; docs/tdecq.md): the
 * transmitter and the stages up to a test point, chunk by chunk on the link's buffers, the optical
 * power |E|^2 of the field there copied out. TP2 is the output of the first stage whose output is an
 * optical field (the modulator: block port type LS_T_CF32); TP3 the input of the first stage that
 * takes a field and gives a real signal (the photodiode). Stages are found by their port types only.
 * The capture starts after the latency of the transmitter and of the fused FIRs before the point
 * (their overlap-save buffer delay), so p_w[k sps] is near the start of symbol k.
 * Electrical points (ls_link_capture_electrical, docs/lpo.md "EECQ"): the module's electrical input is
 * the input of the linear driver (block "driver": after the host channel and the driver's input
 * equalizer and bandwidth, fused with them into one FIR); the host receiver's input the input of the
 * first noise block ("awgn", the receiver's input-referred noise) after the TIA, the chain's polarity
 * swap applied (an inverting modulator).
 */
#include <complex.h>
#include <string.h>

#include "lanesim/cfftfilt.h"
#include "lanesim/fftfilt.h"
#include "lanesim/link.h"
#include "lanesim/tx.h"
#include "fft_internal.h"
#include "link_internal.h"
#include "ls_internal.h"

static int stage_in_field(const stage *s)
{
    return s->cfir || (!s->fir && s->blk.ops->in == LS_T_CF32);
}

static int stage_out_field(const stage *s)
{
    return s->cfir || (!s->fir && s->blk.ops->out == LS_T_CF32);
}

static int stage_is(const stage *s, const char *name)
{
    return !s->fir && !s->cfir && s->blk.ops->name && !strcmp(s->blk.ops->name, name);
}

/* Stages to run before reading the signal: TP2 through the first field maker, TP3 up to the detector;
   the electrical points up to the driver, or up to the first noise block after the TIA. */
static size_t probe_stop(const ls_link *l, ls_link_tp tp)
{
    int after_tia = 0;
    for (size_t i = 0; i < l->n_st; i++) {
        const stage *s = &l->st[i];
        if (tp == LS_LINK_TP2 && !stage_in_field(s) && stage_out_field(s))
            return i + 1;
        if (tp == LS_LINK_TP3 && stage_in_field(s) && !stage_out_field(s))
            return i;
        if (tp == LS_LINK_MODULE_IN && stage_is(s, "driver"))
            return i;
        if (tp == LS_LINK_HOST_RX_IN && after_tia && stage_is(s, "awgn"))
            return i;
        after_tia |= stage_is(s, "tia");
    }
    return 0;
}

static ls_status probe_reset(ls_link *l, size_t stop, uint64_t seed)
{
    ls_status st = ls_tx_start(l->tx, seed, 0, 0);
    for (size_t i = 0; i < stop && st == LS_OK; i++) {
        if (l->st[i].fir) {
            st = l->st[i].fir2 ? lsi_fir2_reset(l->st[i].fir2) : ls_fftfilt_reset(l->st[i].fir);
        } else if (l->st[i].cfir) {
            st = ls_cfftfilt_reset(l->st[i].cfir);
        } else {
            const ls_block_ops *o = l->st[i].blk.ops;
            if (o->reset)
                st = o->reset(l->st[i].blk.self);
            if (st == LS_OK && o->reseed)
                o->reseed(l->st[i].blk.self, seed, 0);
        }
    }
    return st;
}

/* The capture loop shared by the optical and electrical points: |E|^2 of the field, or the real signal
   (sign swapped when inv). */
static ls_status capture(ls_link *l, size_t stop, int field, int inv, uint64_t seed, size_t n_ui,
                         float *p_w, uint8_t *level)
{
    const unsigned sps = l->info.sps;
    size_t lat = ls_tx_latency(l->tx);
    for (size_t i = 0; i < stop; i++)
        lat += l->st[i].fir ? ls_fftfilt_latency(l->st[i].fir) : l->st[i].cfir ? ls_cfftfilt_latency(l->st[i].cfir) : 0;
    ls_status st = probe_reset(l, stop, seed);
    const size_t C = l->chunk, n_out = n_ui * sps;
    size_t k_gen = 0;
    while (st == LS_OK && k_gen * sps < n_out + lat) {
        uint8_t *lv = l->gen_level;
        if ((st = ls_tx_generate(l->tx, C, NULL, lv, l->wave)) != LS_OK ||
            (st = lsi_link_run_stages(l, stop, C * sps, NULL)) != LS_OK)
            break;
        for (size_t i = 0; i < C && k_gen + i < n_ui; i++)
            level[k_gen + i] = lv[i];
        const size_t m0 = k_gen * sps;
        for (size_t j = 0; j < C * sps; j++) {
            size_t m = m0 + j;
            if (m >= lat && m - lat < n_out) {
                if (field) {
                    float complex e = l->cwave[j];
                    p_w[m - lat] = crealf(e) * crealf(e) + cimagf(e) * cimagf(e);
                } else {
                    p_w[m - lat] = inv ? -l->wave[j] : l->wave[j];
                }
            }
        }
        k_gen += C;
    }
    return st;
}

ls_status ls_link_capture_optical(ls_link *l, ls_link_tp tp, uint64_t seed, size_t n_ui, float *p_w, uint8_t *level,
                                  char *msg, size_t cap)
{
    if (!l || !p_w || !level || !n_ui || (tp != LS_LINK_TP2 && tp != LS_LINK_TP3))
        return LS_EINVAL;
    const size_t stop = probe_stop(l, tp);
    if (!stop || !l->cwave) {
        lsi_say(msg, cap, "the link carries no optical field: TP2/TP3 exist on optical links only");
        return LS_EINVAL;
    }
    return capture(l, stop, 1, 0, seed, n_ui, p_w, level);
}

ls_status ls_link_capture_electrical(ls_link *l, ls_link_tp tp, uint64_t seed, size_t n_ui, float *v, uint8_t *level,
                                     char *msg, size_t cap)
{
    if (!l || !v || !level || !n_ui || (tp != LS_LINK_MODULE_IN && tp != LS_LINK_HOST_RX_IN))
        return LS_EINVAL;
    const size_t stop = probe_stop(l, tp);
    if (!stop) {
        lsi_say(msg, cap, tp == LS_LINK_MODULE_IN
                              ? "the link has no linear driver: the module input exists on optical links only"
                              : "the link has no receiver input after a TIA (an optical link with a host side and "
                                "rx.eta0_v2_ghz > 0)");
        return LS_EINVAL;
    }
    return capture(l, stop, 0, tp == LS_LINK_HOST_RX_IN && l->invert, seed, n_ui, v, level);
}

/*
 * Link assembly, stages 1 and 3 (lsi_link_assemble, link.c): the pulse response and the
 * sampling point. The TX pulse is the FFE taps at UI spacing, each held for one UI, at the outer
 * level; it is walked through every stage's small-signal model at its operating point
 * (lsi_link_propagate, link_ssm.c) after the static maps have placed the PAM levels
 * (lsi_link_static_levels). An inverting chain gets the receiver's polarity swap. The ideal CDR
 * samples the pulse's peak (the middle of a flat top) plus rx_phase_ui. docs/link.md "Pulse
 * response" and "Sampling point".
 */
#include <complex.h>
#include <math.h>

#include "lanesim/pam.h"
#include "lanesim/tx.h"
#include "link_internal.h"
#include "ls_internal.h"

ls_status lsi_link_tx_pulse(ls_link *l, lsi_assembly *a)
{
    const unsigned sps = a->sps;
    double taps[LS_TX_MAX_FFE];
    size_t n_taps = ls_tx_ffe_taps(l->tx, taps, NULL);
    double vlev[LS_PAM_MAX_LEVELS];
    ls_tx_level_values(l->tx, vlev);
    a->n_pulse = n_taps * sps;
    if (!(l->pulse = ls_alloc_n(a->n_pulse, sizeof *l->pulse)))
        return LS_ENOMEM;
    for (size_t i = 0; i < n_taps; i++)
        for (unsigned j = 0; j < sps; j++)
            l->pulse[i * sps + j] = (float)(taps[i] * vlev[a->spec->levels - 1]);
    return LS_OK;
}

/* The TX pulse through every stage's small-signal model; the static levels on the way. */
static ls_status propagate_pulse(ls_link *l, lsi_assembly *a, char *msg, size_t cap)
{
    const lsi_link_spec *spec = a->spec;
    ls_status st;
    double complex *x = ls_alloc_n(a->n_pulse, sizeof *x), *y = NULL;
    size_t ny = 0;
    if (!x)
        return LS_ENOMEM;
    for (size_t i = 0; i < a->n_pulse; i++)
        x[i] = l->pulse[i];
    double v0[LS_PAM_MAX_LEVELS];
    ls_pam_levels(spec->levels, spec->tx.rlm, v0);
    st = lsi_link_static_levels(l, x, a->n_pulse, v0, spec->levels, l->lv_eff);
    if (st == LS_EINVAL) {
        ls_free(x);
        if (spec->drive_keys[0])
            lsi_say(msg, cap, "the static transfer folds the PAM levels over (non-monotonic): the drive swings past "
                              "the transfer's extremum (check %s)", spec->drive_keys);
        else
            lsi_say(msg, cap, "the static transfer folds the PAM levels over (non-monotonic): drive too large");
        return st;
    }
    if (st == LS_OK)
        st = lsi_link_propagate(l, 0, x, a->n_pulse, &y, &ny);
    ls_free(x);
    if (st != LS_OK) {
        lsi_say(msg, cap, "pulse response: %s", ls_strerror(st));
        return st;
    }
    ls_free(l->pulse);
    if (!(l->pulse = ls_alloc_n(ny, sizeof *l->pulse))) {
        ls_free(y);
        return LS_ENOMEM;
    }
    for (size_t i = 0; i < ny; i++)
        l->pulse[i] = (float)creal(y[i]);
    ls_free(y);
    a->n_pulse = ny;
    return LS_OK;
}

ls_status lsi_link_pulse_response(ls_link *l, lsi_assembly *a, char *msg, size_t cap)
{
    ls_status st;
    if (!(l->op = ls_alloc_n(l->n_st + 2, sizeof *l->op)))
        return LS_ENOMEM;
    if ((st = lsi_link_operating_points(l)) != LS_OK) {
        lsi_say(msg, cap, "a block has no operating point (%s)", ls_strerror(st));
        return st;
    }
    if ((st = propagate_pulse(l, a, msg, cap)) != LS_OK)
        return st;
    const size_t n_pulse = a->n_pulse;
    l->n_pulse = n_pulse;
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
    return LS_OK;
}

ls_status lsi_link_sampling_point(ls_link *l, lsi_assembly *a, char *msg, size_t cap)
{
    const size_t n_pulse = a->n_pulse;
    /* ideal CDR: peak of the pulse response plus the configured phase offset */
    size_t pk = 0;
    for (size_t i = 1; i < n_pulse; i++)
        if (l->pulse[i] > l->pulse[pk])
            pk = i;
    {
        /* a flat top (unfiltered NRZ) is sampled at the middle of its plateau, not at its edge */
        const float top = l->pulse[pk] * (1.0f - 1e-6f);
        size_t lo = pk, hi = pk;
        while (lo > 0 && l->pulse[lo - 1] >= top)
            lo--;
        while (hi + 1 < n_pulse && l->pulse[hi + 1] >= top)
            hi++;
        pk = (lo + hi) / 2;
    }
    long ns = (long)pk + lround(a->spec->rx_phase_ui * a->sps);
    if (ns < 0)
        ns = 0;
    if ((size_t)ns >= n_pulse)
        ns = (long)n_pulse - 1;
    l->info.pulse_peak = (size_t)ns;
    a->ns = ns;
    if (!(l->pulse[ns] > 0)) {
        lsi_say(msg, cap, "the pulse response has no positive main cursor: nothing to detect");
        return LS_EINVAL;
    }
    return LS_OK;
}

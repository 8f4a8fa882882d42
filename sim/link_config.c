/*
 * A link from a configuration: the preset builds the link specification (for a retimed preset,
 * of the segment run.segment selects), phy assembles it (lsi_link_assemble); ls_link_resolve
 * first fixes the COM CTLE's DC gain when ctle.auto asks for the search (docs/link.md).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim/config.h"
#include "lanesim/link.h"
#include "ls_internal.h"
#include "ls_presets.h"

/* The preset's specification of the selected segment, assembled. */
static ls_link *link_from_config(const ls_config *c, size_t max_chunk, char *msg, size_t cap, ls_status *err)
{
    ls_status st = LS_EINVAL;
    lsi_link_spec spec;
    lsi_link_spec_init(&spec);
    if (!c || !max_chunk) {
        lsi_say(msg, cap, "invalid arguments");
        goto fail;
    }
    const lsi_preset *p = lsi_preset_find(ls_config_preset(c));
    if (!p)
        goto fail;
    if (p->n_segments > 1) {
        long long sg = ls_config_find(c, "run.segment") ? ls_config_int(c, "run.segment") : -1;
        spec.segment = sg < 0 ? (int)p->main_segment : (int)sg;
        if (spec.segment >= (int)p->n_segments) {
            st = LS_EINVAL;
            lsi_say(msg, cap, "run.segment: %d, but preset %s has %u segments", spec.segment, p->name, p->n_segments);
            goto fail;
        }
    }
    if ((st = p->build(c, &spec, msg, cap)) != LS_OK)
        goto fail;
    return lsi_link_assemble(&spec, max_chunk, msg, cap, err);
fail:
    if (st == LS_ENOMEM && msg && !msg[0])
        lsi_say(msg, cap, "out of memory");
    lsi_link_spec_clear(&spec);
    if (err)
        *err = st;
    return NULL;
}

ls_config *ls_link_resolve(const ls_config *c, char *msg, size_t cap, ls_status *err)
{
    if (!c) {
        lsi_say(msg, cap, "invalid arguments");
        if (err)
            *err = LS_EINVAL;
        return NULL;
    }
    ls_config *r = ls_config_copy(c);
    if (!r) {
        lsi_say(msg, cap, "out of memory");
        if (err)
            *err = LS_ENOMEM;
        return NULL;
    }
    if (!ls_config_find(c, "ctle.auto") || !ls_config_bool(c, "ctle.auto") || strcmp(ls_config_str(c, "ctle.form"), "com") ||
        (ls_config_find(c, "rx.model") && !strcmp(ls_config_str(c, "rx.model"), "ami"))) { /* no CTLE to search */
        if (err)
            *err = LS_OK;
        return r;
    }
    /* COM-style search over g_DC = 0, -1, ... -15 dB for the best equalized SNR. The SNR is unimodal in
       g_DC (too little gain leaves ISI, too much amplifies noise), so an integer ternary search finds the
       grid optimum in ~8 evaluations; candidates are built at 8 samples/UI (the SNR barely depends on it). */
    ls_status st = LS_OK;
    ls_config *probe = ls_config_copy(c);
    double snr[16];
    for (int i = 0; i < 16; i++)
        snr[i] = NAN;
    if (!probe || (ls_config_int(c, "link.sps") > 8 && ls_config_set(probe, "link.sps", "8", msg, cap) != LS_OK) ||
        ls_config_set(probe, "ctle.auto", "false", msg, cap) != LS_OK)
        st = LS_ENOMEM;
#define EVAL(i)                                                                                                    \
    do {                                                                                                           \
        if (st == LS_OK && isnan(snr[i])) {                                                                        \
            char gv[16];                                                                                           \
            snprintf(gv, sizeof gv, "%d", -(i));                                                                   \
            ls_link *lk = NULL;                                                                                    \
            if ((st = ls_config_set(probe, "ctle.gdc_db", gv, msg, cap)) == LS_OK)                                 \
                lk = link_from_config(probe, 1, msg, cap, &st);                                                    \
            snr[i] = lk ? ls_link_get_info(lk)->snr_eq_db : -INFINITY;                                         \
            ls_link_destroy(lk);                                                                                   \
        }                                                                                                          \
    } while (0)
    int lo = 0, hi = 15;
    while (st == LS_OK && hi - lo > 2) {
        int m1 = lo + (hi - lo) / 3, m2 = hi - (hi - lo) / 3;
        EVAL(m1);
        EVAL(m2);
        if (snr[m1] < snr[m2])
            lo = m1 + 1;
        else /* m2 > m1 since hi - lo > 2; on a tie the maximum may lie between them */
            hi = snr[m1] > snr[m2] ? m2 - 1 : m2;
    }
    int best_i = lo;
    for (int i = lo; st == LS_OK && i <= hi; i++) {
        EVAL(i);
        if (snr[i] > snr[best_i])
            best_i = i;
    }
#undef EVAL
    ls_config_destroy(probe);
    double best_g = -best_i;
    char v[16];
    snprintf(v, sizeof v, "%g", best_g);
    /* the choice is made: links built from r must not search again */
    if (st != LS_OK || ls_config_set(r, "ctle.gdc_db", v, msg, cap) != LS_OK ||
        ls_config_set(r, "ctle.auto", "false", msg, cap) != LS_OK) {
        ls_config_destroy(r);
        if (err)
            *err = st != LS_OK ? st : LS_EINTERNAL;
        return NULL;
    }
    if (err)
        *err = LS_OK;
    return r;
}

ls_link *ls_link_create(const ls_config *c, size_t max_chunk, char *msg, size_t cap, ls_status *err)
{
    ls_status st;
    ls_config *r = c ? ls_link_resolve(c, msg, cap, &st) : NULL;
    if (!r) {
        if (err)
            *err = c ? st : LS_EINVAL;
        return NULL;
    }
    ls_link *l = link_from_config(r, max_chunk, msg, cap, err);
    ls_config_destroy(r);
    return l;
}


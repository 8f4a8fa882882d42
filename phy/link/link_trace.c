/*
 * The receiver's reads, recorded (ls_link_trace_samples): a probe for the engines' equality tests
 * (docs/engines.md "What the tests show"). With a trace set, the frame hands the receiver
 * lsi_link_trace_sample, which reads as the engine in use would (the symbol or pattern engine's read,
 * or the sample path's waveform interpolated as the receiver interpolates its ring) and keeps each
 * read's slot, instant and value.
 */
#include <math.h>
#include <string.h>

#include "link_internal.h"
#include "link_pattern.h"
#include "link_symbol.h"
#include "ls_internal.h"

void lsi_link_trace_free(ls_link *l)
{
    ls_free(l->tr.wave);
    ls_free(l->tr.slot);
    ls_free(l->tr.t);
    ls_free(l->tr.x);
    memset(&l->tr, 0, sizeof l->tr);
}

ls_status ls_link_trace_samples(ls_link *l, size_t max_samples, size_t max_reads)
{
    if (!l)
        return LS_EINVAL;
    lsi_link_trace_free(l);
    if (!max_samples || !max_reads)
        return LS_OK;
    if (!(l->tr.wave = ls_alloc_n(max_samples, sizeof *l->tr.wave)) ||
        !(l->tr.slot = ls_alloc_n(max_reads, sizeof *l->tr.slot)) || !(l->tr.t = ls_alloc_n(max_reads, sizeof *l->tr.t)) ||
        !(l->tr.x = ls_alloc_n(max_reads, sizeof *l->tr.x))) {
        lsi_link_trace_free(l);
        return LS_ENOMEM;
    }
    l->tr.wcap = max_samples;
    l->tr.cap = max_reads;
    return LS_OK;
}

size_t ls_link_trace_get(const ls_link *l, const int64_t **slot, const double **t, const float **x)
{
    *slot = l->tr.slot;
    *t = l->tr.t;
    *x = l->tr.x;
    return l->tr.n;
}

void lsi_link_trace_wave(ls_link *l, const float *x, size_t n)
{
    for (size_t i = 0; i < n && l->tr.wn < l->tr.wcap; i++)
        l->tr.wave[l->tr.wn++] = x ? x[i] : 0.0f;
}

double lsi_link_trace_sample(void *ctx, double t, int64_t slot)
{
    ls_link *l = ctx;
    double v;
    if (l->tr.sym) {
        v = l->tr.sym == 2 ? lsi_link_pattern_sample(l, t, slot) : lsi_link_symbol_sample(l, t, slot);
    } else { /* as the receiver interpolates its ring */
        const double fl = floor(t), a = t - fl;
        const size_t i = (size_t)fl;
        const double x0 = i < l->tr.wn ? l->tr.wave[i] : 0.0, x1 = i + 1 < l->tr.wn ? l->tr.wave[i + 1] : 0.0;
        v = x0 + a * (x1 - x0);
    }
    if (l->tr.n < l->tr.cap) {
        l->tr.slot[l->tr.n] = slot;
        l->tr.t[l->tr.n] = t;
        l->tr.x[l->tr.n++] = (float)v;
    }
    return v;
}

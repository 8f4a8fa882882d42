/* Shared helpers of the engine tests (see engine_util.h). */
#include "engine_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

ls_link *ls_test_link(const char *preset, const char *const *base, const char *const *kv, size_t chunk)
{
    char msg[512] = "";
    ls_status st;
    ls_config *c = ls_config_create(preset, msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    for (; base && *base; base++)
        cr_assert(eq(int, ls_config_set_assignment(c, *base, msg, sizeof msg), LS_OK), "%s: %s", *base, msg);
    for (; kv && *kv; kv++)
        cr_assert(eq(int, ls_config_set_assignment(c, *kv, msg, sizeof msg), LS_OK), "%s: %s", *kv, msg);
    ls_link *l = ls_link_create(c, chunk, msg, sizeof msg, &st);
    ls_config_destroy(c);
    cr_assert(l != NULL, "%s", msg);
    return l;
}

ls_link *ls_test_engine_link(const char *preset, const char *const *base, const char *const *kv, ls_link_engine eng,
                             size_t chunk)
{
    ls_link *l = ls_test_link(preset, base, kv, chunk);
    char msg[512] = "";
    ls_link_engine got;
    cr_assert(eq(int, ls_link_set_engine(l, eng, 0, &got, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(int, (int)got, (int)eng), "%s", msg);
    return l;
}

void ls_test_trace_run(ls_link *l, uint64_t seed, size_t n, ls_test_trace *tr)
{
    const ls_link_info *in = ls_link_get_info(l);
    const size_t warm = in->memory_symbols, reads = 2 * (warm + n) + 64;
    cr_assert(eq(int, ls_link_trace_samples(l, (warm + n + 2048) * in->sps + in->latency, reads), LS_OK));
    ls_status st;
    ls_ber *b = ls_link_ber_create(l, &st);
    cr_assert(eq(int, ls_link_run_frame(l, seed, 0, 0, warm, n, b, NULL), LS_OK));
    const int64_t *s;
    const double *t;
    const float *x;
    tr->n = ls_link_trace_get(l, &s, &t, &x);
    tr->slot = malloc(tr->n * sizeof *s);
    tr->t = malloc(tr->n * sizeof *t);
    tr->x = malloc(tr->n * sizeof *x);
    cr_assert(tr->slot && tr->t && tr->x);
    memcpy(tr->slot, s, tr->n * sizeof *s);
    memcpy(tr->t, t, tr->n * sizeof *t);
    memcpy(tr->x, x, tr->n * sizeof *x);
    ls_ber_counts k;
    ls_ber_get_counts(b, &k);
    tr->sym_err = k.symbol_errors;
    ls_link_get_rx_stats(l, &tr->rx);
    ls_ber_destroy(b);
}

void ls_test_trace_free(ls_test_trace *tr)
{
    free(tr->slot);
    free(tr->t);
    free(tr->x);
}

void ls_test_read_noise(ls_link *clean, ls_link *noisy, size_t n, double *var, double *rho1, double *rho2)
{
    ls_test_trace ta, tb;
    ls_test_trace_run(clean, 5, n, &ta);
    ls_test_trace_run(noisy, 5, n, &tb);
    const size_t m = ta.n < tb.n ? ta.n : tb.n;
    cr_assert(gt(sz, m, n));
    double s0 = 0, s1 = 0, s2 = 0;
    const size_t m0 = m / 4;
    for (size_t i = m0; i + 2 < m; i++) {
        cr_assert(eq(i64, ta.slot[i], tb.slot[i]));
        const double e0 = (double)tb.x[i] - ta.x[i], e1 = (double)tb.x[i + 1] - ta.x[i + 1],
                     e2 = (double)tb.x[i + 2] - ta.x[i + 2];
        s0 += e0 * e0, s1 += e0 * e1, s2 += e0 * e2;
    }
    *var = s0 / (double)(m - 2 - m0);
    *rho1 = s1 / s0;
    *rho2 = s2 / s0;
    ls_test_trace_free(&ta);
    ls_test_trace_free(&tb);
}

void ls_test_ser_seeds(ls_link *l, int seeds, size_t n, double *mean, double *var)
{
    const ls_link_info *in = ls_link_get_info(l);
    double *ser = malloc((size_t)seeds * sizeof *ser), m = 0, v = 0;
    cr_assert(ser != NULL && seeds > 1);
    for (int s = 0; s < seeds; s++) {
        ls_status st;
        ls_ber *b = ls_link_ber_create(l, &st);
        cr_assert(eq(int, ls_link_run_frame(l, 100 + (uint64_t)s, 0, 0, in->memory_symbols, n, b, NULL), LS_OK));
        ls_ber_counts k;
        ls_ber_get_counts(b, &k);
        ser[s] = (double)k.symbol_errors / (double)n;
        m += ser[s] / seeds;
        ls_ber_destroy(b);
    }
    for (int s = 0; s < seeds; s++)
        v += (ser[s] - m) * (ser[s] - m) / (seeds - 1);
    free(ser);
    *mean = m;
    *var = v;
}

double ls_test_equal_reads(ls_link *a, ls_link *b, const char *label, double dx_tol, double phase_tol,
                           ls_test_trace *ta, ls_test_trace *tb)
{
    const double h0 = ls_link_get_info(a)->h0;
    ls_test_trace_run(a, 3, 6000, ta);
    ls_test_trace_run(b, 3, 6000, tb);
    cr_assert(eq(sz, ta->n, tb->n), "reads: sample %zu, symbol %zu", ta->n, tb->n);
    cr_assert(ta->n > 6000);
    double dx = 0, dt = 0;
    for (size_t i = 0; i < ta->n; i++) {
        cr_assert(eq(i64, ta->slot[i], tb->slot[i]), "read %zu", i);
        dx = fmax(dx, fabs((double)ta->x[i] - tb->x[i]));
        dt = fmax(dt, fabs(ta->t[i] - tb->t[i]));
    }
    cr_log_info("%s: %zu reads, max |dx| %.3g of h0, max |dt| %.3g samples, phase %.6f / %.6f UI, errors %llu", label,
                ta->n, dx / h0, dt, ta->rx.phase_ui, tb->rx.phase_ui, (unsigned long long)ta->sym_err);
    if (dx_tol > 0) /* no ADC: the reads themselves */
        cr_assert(le(dbl, dx, dx_tol * h0), "max |dx| = %.3g of the main cursor", dx / h0);
    cr_assert(eq(u64, ta->sym_err, tb->sym_err));
    cr_assert(le(dbl, fabs(ta->rx.phase_ui - tb->rx.phase_ui), phase_tol + 1e-6), "phase %.9f vs %.9f",
              ta->rx.phase_ui, tb->rx.phase_ui);
    cr_assert(le(dbl, fabs(ta->rx.phase_mean_ui - tb->rx.phase_mean_ui), phase_tol + 1e-6));
    return h0;
}

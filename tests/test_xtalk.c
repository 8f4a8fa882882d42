/*
 * Crosstalk (phy/xtalk.c): configuration rejection, streaming and reset of the xtalk block, the
 * ICN against its closed form, the aggressor variance against its pulse energy. The copper link
 * with crosstalk (xtalk.* keys of the copper preset): test_xtalk_link.c.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "xtalk_util.h"

#define BAUD 106.25e9

#define SI_2PI 1.4181515761326284502 /* Si(2 pi) */

static ls_block lowpass(ls_lp_type t, double f3)
{
    ls_lowpass_config lp;
    ls_lowpass_config_init(&lp);
    lp.type = t;
    lp.order = 4;
    lp.f3db_hz = f3;
    ls_block b;
    cr_assert(eq(int, ls_lowpass_into_block(&lp, &b), LS_OK));
    return b;
}

/* A standalone block: two aggressors (NEXT shape; FEXT shape on a Butterworth "channel") behind a
   Gaussian TX filter. aux[0..3) are the helper blocks, destroyed by the caller. */
static ls_block make_block(unsigned sps, size_t block_ui, ls_block aux[3])
{
    aux[0] = lowpass(LS_LP_GAUSSIAN, 0.525 * BAUD);
    aux[1] = lowpass(LS_LP_BUTTERWORTH, 0.3 * BAUD);
    cr_assert(eq(int, ls_xtalk_shape_into_block(LS_XT_NEXT, 0.03, BAUD / 2, BAUD, &aux[2]), LS_OK));
    ls_block fext;
    cr_assert(eq(int, ls_xtalk_shape_into_block(LS_XT_FEXT, 0.05, BAUD / 2, BAUD, &fext), LS_OK));
    ls_xtalk_config xc;
    ls_xtalk_config_init(&xc);
    xc.tx.sps = sps;
    xc.tx.baud = BAUD;
    xc.tx.n_pre = 1;
    xc.tx.ffe_pre[0] = -0.1;
    xc.tx_path[0] = &aux[0];
    xc.n_tx_path = 1;
    xc.block_ui = block_ui;
    xc.n_agg = 2;
    xc.agg[0] = (ls_xtalk_aggressor){
        .type = LS_XT_NEXT, .swing_vpp = 0.9, .coupling = {&aux[2]}, .n_coupling = 1};
    xc.agg[1] = (ls_xtalk_aggressor){
        .type = LS_XT_FEXT, .swing_vpp = 0.826, .coupling = {&aux[1], &fext}, .n_coupling = 2};
    ls_icn_config_init(&xc.icn, BAUD);
    ls_block b;
    char msg[256] = "";
    ls_status st = ls_xtalk_into_block(&xc, &b, msg, sizeof msg);
    ls_block_destroy(&fext); /* read at create only */
    cr_assert(eq(int, st, LS_OK), "%s", msg);
    return b;
}

static void free_aux(ls_block aux[3])
{
    for (int i = 0; i < 3; i++)
        ls_block_destroy(&aux[i]);
}

Test(xtalk, invalid_configurations_are_rejected)
{
    double a = 0.01;
    ls_block flat = {&flat_ops, &a}, out, nonlti = {0};
    ls_xtalk_config xc;
    ls_xtalk_config_init(&xc);
    xc.n_agg = 1;
    xc.agg[0] = (ls_xtalk_aggressor){
        .type = LS_XT_FEXT, .swing_vpp = 0.8, .coupling = {&flat}, .n_coupling = 1};
    char msg[256];
    cr_assert(eq(int, ls_xtalk_into_block(&xc, &out, msg, sizeof msg), LS_OK), "%s", msg);
    ls_block_destroy(&out);
    cr_assert(eq(int, ls_xtalk_into_block(NULL, &out, msg, sizeof msg), LS_EINVAL));
    cr_assert(out.ops == NULL && out.self == NULL);
    ls_xtalk_config bad = xc;
    bad.n_agg = 0;
    cr_assert(eq(int, ls_xtalk_into_block(&bad, &out, msg, sizeof msg), LS_EINVAL));
    bad = xc;
    bad.n_agg = LS_XTALK_MAX_AGG + 1;
    cr_assert(eq(int, ls_xtalk_into_block(&bad, &out, msg, sizeof msg), LS_EINVAL));
    bad = xc;
    bad.agg[0].swing_vpp = 0;
    cr_assert(eq(int, ls_xtalk_into_block(&bad, &out, msg, sizeof msg), LS_EINVAL));
    cr_assert(ls_has(msg, "aggressor 0"), "%s", msg);
    bad = xc;
    bad.agg[0].n_coupling = 0;
    cr_assert(eq(int, ls_xtalk_into_block(&bad, &out, msg, sizeof msg), LS_EINVAL));
    bad = xc;
    bad.agg[0].coupling[0] = &nonlti;
    cr_assert(eq(int, ls_xtalk_into_block(&bad, &out, msg, sizeof msg), LS_EINVAL));
    bad = xc;
    bad.agg[0].type = (ls_xt_type)7;
    cr_assert(eq(int, ls_xtalk_into_block(&bad, &out, msg, sizeof msg), LS_EINVAL));
    bad = xc;
    bad.block_ui = 0;
    cr_assert(eq(int, ls_xtalk_into_block(&bad, &out, msg, sizeof msg), LS_EINVAL));
    bad = xc;
    bad.icn.df_hz = 0;
    cr_assert(eq(int, ls_xtalk_into_block(&bad, &out, msg, sizeof msg), LS_EINVAL));
    bad = xc;
    bad.tx.levels = 3;
    cr_assert(eq(int, ls_xtalk_into_block(&bad, &out, msg, sizeof msg), LS_EINVAL));
    cr_assert(eq(int, ls_xtalk_shape_into_block(LS_XT_NEXT, -1, 1e9, 1e9, &out), LS_EINVAL));
    cr_assert(eq(int, ls_xtalk_shape_into_block(LS_XT_FEXT, 1, 0, 1e9, &out), LS_EINVAL));
    double icn;
    const ls_block *fl[] = {&flat};
    cr_assert(eq(int, ls_xtalk_icn(&xc.icn, -1, fl, 1, &icn), LS_EINVAL));
    cr_assert(eq(int, ls_xtalk_icn(&xc.icn, 1, fl, 0, &icn), LS_EINVAL));
    cr_assert(eq(sz, ls_xtalk_count(NULL), 0));
    cr_assert(eq(sz, ls_xtalk_count(&flat), 0));
    cr_assert(isnan(ls_xtalk_icn_v(&flat, LS_XT_FEXT)));
    ls_block_destroy(NULL);
}

Test(xtalk, icn_of_a_flat_coupling_equals_the_closed_form)
{
    /* no transmitter / receiver roll-off, 0..f_b: sigma = A a sqrt(2 int_0^1 sinc^2) = A a sqrt(2
     * Si(2 pi) / pi) */
    double a = 0.01, icn;
    ls_block flat = {&flat_ops, &a};
    const ls_block *fl[] = {&flat};
    ls_icn_config ic;
    ls_icn_config_init(&ic, BAUD);
    ic.ft_hz = ic.fr_hz = INFINITY;
    cr_assert(eq(int, ls_xtalk_icn(&ic, 0.413, fl, 1, &icn), LS_OK));
    const double ref = 0.413 * a * sqrt(2.0 * SI_2PI / M_PI);
    cr_assert(lt(dbl, fabs(icn / ref - 1), 1e-6), "ICN %.9g V vs closed form %.9g V", icn, ref);
    /* with the 93A-57 roll-offs: against a fine Simpson integral of the same weighting */
    ls_icn_config_init(&ic, BAUD);
    cr_assert(eq(int, ls_xtalk_icn(&ic, 0.413, fl, 1, &icn), LS_OK));
    const int n = 200000;
    double s = 0;
    for (int k = 0; k <= n; k++) {
        const double f = BAUD * k / n, x = M_PI * f / BAUD, sinc = k ? sin(x) / x : 1.0;
        const double w = sinc * sinc / (1 + pow(f / ic.ft_hz, 4)) / (1 + pow(f / ic.fr_hz, 8));
        s += w * (k == 0 || k == n ? 1 : (k % 2 ? 4 : 2));
    }
    const double integral = s * (BAUD / n) / 3, ref2 = 0.413 * a * sqrt(2.0 / BAUD * integral);
    cr_assert(lt(dbl, fabs(icn / ref2 - 1), 1e-5), "ICN %.9g V vs %.9g V", icn, ref2);
    cr_log_info("flat -40 dB coupling, A = 413 mV: ICN %.4f mV (no roll-off %.4f mV)", 1e3 * icn,
                1e3 * ref);
    /* a block of two aggressors with that coupling reports their power sum */
    ls_xtalk_config xc;
    ls_xtalk_config_init(&xc);
    xc.n_agg = 3;
    for (int i = 0; i < 3; i++)
        xc.agg[i] = (ls_xtalk_aggressor){.type = i < 2 ? LS_XT_FEXT : LS_XT_NEXT,
                                         .swing_vpp = 0.826,
                                         .coupling = {&flat},
                                         .n_coupling = 1};
    ls_block b;
    char msg[256];
    cr_assert(eq(int, ls_xtalk_into_block(&xc, &b, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(lt(dbl, fabs(ls_xtalk_icn_agg_v(&b, 0) / icn - 1), 1e-12));
    cr_assert(lt(dbl, fabs(ls_xtalk_icn_v(&b, LS_XT_FEXT) / (sqrt(2.0) * icn) - 1), 1e-12));
    cr_assert(lt(dbl, fabs(ls_xtalk_icn_v(&b, LS_XT_NEXT) / icn - 1), 1e-12));
    ls_block_destroy(&b);
}

Test(xtalk, block_output_is_chunk_invariant_resettable_and_allocation_free)
{
    enum { N = 30000 };
    static float x[N], y1[N], y2[N], y3[N];
    static const size_t chunk[] = {1, 7, 4096, 7, 1};
    fill_uniform(x, N, 99u);
    ls_block aux[3];
    ls_block b = make_block(16, 64, aux); /* refills every 1024 samples: chunks cross them */
    const ls_block_ops *o = b.ops;
    cr_assert(eq(str, (char *)o->name, "xtalk"));
    cr_assert(eq(int, o->kind, LS_KIND_STATEFUL));
    o->reseed(b.self, 5, 3);
    cr_assert(eq(int, o->process(b.self, x, y1, N), LS_OK));
    o->reseed(b.self, 5, 3);
    const uint64_t before = lsi_alloc_count();
    for (size_t i = 0, j = 0; i < N; j++) {
        size_t m = LS_MIN(chunk[j % 5], N - i);
        cr_assert(eq(int, o->process(b.self, x + i, y2 + i, m), LS_OK));
        i += m;
    }
    cr_assert(eq(u64, lsi_alloc_count(), before), "process allocated");
    for (size_t i = 0; i < N; i++)
        cr_assert(eq(flt, y2[i], y1[i]), "sample %zu", i);
    /* reset: as after reseed with the same (seed, frame); in place allowed */
    cr_assert(eq(int, o->reset(b.self), LS_OK));
    memcpy(y3, x, sizeof y3);
    cr_assert(eq(int, o->process(b.self, y3, y3, N), LS_OK));
    for (size_t i = 0; i < N; i++)
        cr_assert(eq(flt, y3[i], y1[i]), "sample %zu after reset", i);
    /* another frame: other data, other phase; the victim passes unchanged under the sum */
    o->reseed(b.self, 5, 4);
    cr_assert(eq(int, o->process(b.self, x, y3, N), LS_OK));
    size_t diff = 0;
    for (size_t i = 0; i < N; i++)
        diff += y3[i] != y1[i];
    cr_assert(gt(sz, diff, N / 2));
    ls_block_destroy(&b);
    free_aux(aux);
}

Test(xtalk, aggressor_variance_equals_its_pulse_energy, .timeout = LS_TIMEOUT(60))
{
    /* zero victim: the mean square of the output over all samples is sum_i E[v^2] / sps sum_n
     * p_i[n]^2 */
    const unsigned sps = 16;
    ls_block aux[3];
    ls_block b = make_block(sps, 1024, aux);
    double pred = 0;
    for (size_t i = 0; i < ls_xtalk_count(&b); i++) {
        size_t n;
        double ev2;
        const float *p = ls_xtalk_pulse(&b, i, &n, &ev2, NULL);
        cr_assert(p != NULL);
        double e = 0;
        for (size_t k = 0; k < n; k++)
            e += (double)p[k] * p[k];
        pred += ev2 / sps * e;
    }
    enum { N = 32768, FRAMES = 48 };
    static float z[N], y[N];
    double acc = 0;
    const uint64_t seed = ls_test_seed(11);
    for (int f = 0; f < FRAMES; f++) {
        b.ops->reseed(b.self, seed, (uint64_t)f);
        cr_assert(eq(int, b.ops->process(b.self, z, y, N), LS_OK));
        for (size_t k = 0; k < N; k++)
            acc += (double)y[k] * y[k];
    }
    const double meas = acc / ((double)N * FRAMES);
    cr_log_info("aggressor rms %.4f mV measured, %.4f mV from the pulses", 1e3 * sqrt(meas),
                1e3 * sqrt(pred));
    ls_assert_seeded(lt(dbl, fabs(meas / pred - 1), 0.04), seed, "mean square %.5g vs %.5g V^2", meas, pred);
    ls_block_destroy(&b);
    free_aux(aux);
}

/*
 * MLSE in the receiver: the partial-response MMSE FFE, the receiver integration (consecutive
 * decisions, chunking), the copper link with MLSE versus DFE, and bad configurations.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "mlse_util.h"

/* Direct MSE of FFE taps w for the 1 + alpha D target (second method for the solver). */
static double pr_mse(const double *h, size_t n, size_t main, const double *w, unsigned nt, unsigned pre, double s2,
                     double alpha)
{
    const size_t d = main + pre;
    double e = 0;
    for (size_t q = 0; q < n + nt + 1; q++) {
        double g = 0;
        for (unsigned i = 0; i < nt; i++)
            if (q >= i && q - i < n)
                g += w[i] * h[q - i];
        double t = q == d ? h[main] : q == d + 1 ? alpha * h[main] : 0;
        e += (g - t) * (g - t);
    }
    for (unsigned i = 0; i < nt; i++)
        e += s2 * w[i] * w[i];
    return e;
}

Test(mlse, partial_response_mmse_ffe_is_the_minimizer)
{
    const double h[] = { 0.05, 0.25, 1.0, 0.55, 0.3, 0.12, 0.05 };
    const size_t n = 7, main = 2;
    double w[16], w0[16], b[1], mse, mse0;
    /* alpha = 0 is ls_ffe_mmse without DFE */
    cr_assert(eq(int, ls_ffe_mmse_pr(h, n, main, 9, 3, 0.01, NULL, 0.0, w, &mse), LS_OK));
    cr_assert(eq(int, ls_ffe_mmse(h, n, main, 9, 3, 0.01, NULL, 0, w0, b, &mse0), LS_OK));
    for (int i = 0; i < 9; i++)
        cr_assert(lt(dbl, fabs(w[i] - w0[i]), 1e-12));
    cr_assert(lt(dbl, fabs(mse - mse0), 1e-12));
    /* stationarity: the MSE rises when any tap moves, and the reported MSE is the direct one */
    for (int a = 0; a < 3; a++) {
        const double alpha = 0.3 + 0.3 * a;
        cr_assert(eq(int, ls_ffe_mmse_pr(h, n, main, 12, 4, 1e-3, NULL, alpha, w, &mse), LS_OK));
        double m0 = pr_mse(h, n, main, w, 12, 4, 1e-3, alpha);
        cr_assert(lt(dbl, fabs(m0 - mse), 1e-12 + 1e-9 * mse));
        for (int i = 0; i < 12; i++)
            for (int s = -1; s <= 1; s += 2) {
                double wp[16];
                memcpy(wp, w, sizeof wp);
                wp[i] += s * 1e-4;
                cr_assert(gt(dbl, pr_mse(h, n, main, wp, 12, 4, 1e-3, alpha), m0), "alpha %g tap %d", alpha, i);
            }
        /* the equalized pulse approaches the target: g[d] ~ h[main], g[d+1] ~ alpha h[main] */
        double g0 = 0, g1 = 0;
        for (int i = 0; i < 12; i++) {
            size_t q = main + 4;
            if (q >= (size_t)i && q - i < n)
                g0 += w[i] * h[q - i];
            if (q + 1 >= (size_t)i && q + 1 - i < n)
                g1 += w[i] * h[q + 1 - i];
        }
        cr_assert(lt(dbl, fabs(g0 - 1.0), 0.02), "g0 %g", g0);
        cr_assert(lt(dbl, fabs(g1 - alpha), 0.02), "g1 %g for alpha %g", g1, alpha);
    }
    cr_assert(eq(int, ls_ffe_mmse_pr(h, n, main, 12, 4, 1e-3, NULL, 1.5, w, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_ffe_mmse_pr(h, n, main, 12, 12, 1e-3, NULL, 0.5, w, NULL), LS_EINVAL));
}

/* The receiver at 1 sample per UI on a 1 + alpha D channel: MLSE decisions, consecutive, delay hidden. */
static ls_rx *make_rx(double alpha, unsigned depth, size_t max)
{
    ls_rx_config c;
    ls_rx_config_init(&c);
    c.sps = 1;
    c.max_samples = max;
    c.mlse_on = 1;
    c.mlse_alpha = alpha;
    c.mlse_depth = depth;
    ls_status st;
    ls_rx *q = ls_rx_create(&c, &st);
    cr_assert(q != NULL, "rx create: %s", ls_strerror(st));
    return q;
}

Test(mlse, receiver_emits_consecutive_mlse_decisions_for_any_chunking)
{
    enum { n = 30000 };
    static uint8_t a[n], d1[n], d2[n], dm[n];
    static float y[n], y1[n];
    pr_channel(4, 1.0, 0.5, 0.1, 41, n, a, y);
    const size_t limit = n - 100; /* decided symbols; the front end runs 32 beyond */
    ls_rx *p = make_rx(0.5, 32, n), *q = make_rx(0.5, 32, 4096);
    cr_assert(eq(int, ls_rx_start(p, 1, 0, limit), LS_OK));
    cr_assert(eq(int, ls_rx_start(q, 1, 0, limit), LS_OK));
    size_t n1;
    uint64_t k0;
    cr_assert(eq(int, ls_rx_process(p, y, n, d1, y1, n, &n1, &k0), LS_OK));
    cr_assert(eq(u64, k0, 0));
    cr_assert(eq(sz, n1, limit), "decided %zu of %zu", n1, limit);
    /* the same decisions as the detector alone on the FFE output (1-tap FFE: z = x) */
    ls_mlse *m = make(4, 1.0, 0.5, 32, n);
    size_t nm;
    cr_assert(eq(int, ls_mlse_process(m, y, n, dm, &nm), LS_OK));
    cr_assert(eq(int, memcmp(d1, dm, limit), 0));
    uint64_t err = 0;
    for (size_t k = 0; k < limit; k++)
        err += d1[k] != a[k];
    cr_assert(lt(u64, err, 20), "%llu errors", (unsigned long long)err);
    /* tentative slicer inputs of the emitted symbols: y - alpha r_prev sits near the sent level */
    double v[4];
    ls_pam_levels(4, 1.0, v);
    for (size_t k = 10; k < 200; k++)
        cr_assert(lt(dbl, fabs(y1[k] - v[a[k]]), 0.6), "y %zu", k);
    static const size_t chunk[] = { 1, 7, 4096 };
    size_t tot = 0;
    const uint64_t before = lsi_alloc_count();
    for (size_t i = 0, j = 0; i < n; j++) {
        size_t c = LS_MIN(chunk[j % 3], n - i), no;
        uint64_t kf;
        cr_assert(eq(int, ls_rx_process(q, y + i, c, d2 + tot, NULL, 4096, &no, &kf), LS_OK));
        cr_assert(eq(u64, kf, tot));
        tot += no;
        i += c;
    }
    cr_assert(eq(u64, lsi_alloc_count(), before), "ls_rx_process allocated");
    cr_assert(eq(sz, tot, limit));
    cr_assert(eq(int, memcmp(d1, d2, limit), 0));
    ls_mlse_destroy(m);
    ls_rx_destroy(p);
    ls_rx_destroy(q);
}

static ls_config *copper(const char *const *kv)
{
    char msg[512];
    ls_status st;
    ls_config *c = ls_config_create("copper", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    for (; kv && *kv; kv++)
        cr_assert(eq(int, ls_config_set_assignment(c, *kv, msg, sizeof msg), LS_OK), "%s: %s", *kv, msg);
    return c;
}

static void run_copper(const char *const *kv, ls_run_result *r)
{
    ls_config *c = copper(kv);
    char msg[512] = "";
    cr_assert(eq(int, ls_run(c, NULL, NULL, r, msg, sizeof msg), LS_OK), "%s", msg);
    ls_config_destroy(c);
}

Test(mlse, copper_link_with_mlse_is_no_worse_than_the_dfe, .timeout = LS_TIMEOUT(120))
{
    static const char *const dfe[] = { "link.length_m=2", "link.rate_gbps=212.5", "link.sps=16",
                                       "run.symbols=261120", "run.threads=2", NULL };
    static const char *const ml[] = { "link.length_m=2", "link.rate_gbps=212.5", "link.sps=16",
                                      "run.symbols=261120", "run.threads=2", "mlse.enable=true", "dfe.taps=0", NULL };
    ls_run_result rd, rm;
    run_copper(dfe, &rd);
    run_copper(ml, &rm);
    const double bd = (rd.counts.bit_errors + 0.5) / (double)rd.counts.bits;
    const double bm = (rm.counts.bit_errors + 0.5) / (double)rm.counts.bits;
    /* the FFE reaches the target: equalized post-cursor / main cursor ~ alpha */
    ls_config *c = copper(ml);
    char msg[512] = "";
    ls_status st;
    ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st);
    cr_assert(l != NULL, "%s", msg);
    size_t np, mi;
    const float *peq = ls_link_pulse_eq(l, &np, &mi);
    const double ratio = peq[mi + 16] / peq[mi];
    ls_stateye_result sr;
    cr_assert(eq(int, ls_link_stat(l, 1e-6, &sr), LS_OK));
    printf("[mlse] copper 2 m 212.5 Gb/s: BER DFE %.3e (%llu errors, SNR %.2f dB), MLSE alpha 0.5 %.3e "
           "(%llu errors, bursts %llu longest %llu), equalized g1/g0 %.3f, stat (slicer equivalent) %.3e\n",
           bd, (unsigned long long)rd.counts.bit_errors, rd.link.snr_eq_db, bm,
           (unsigned long long)rm.counts.bit_errors, (unsigned long long)rm.counts.bursts,
           (unsigned long long)rm.counts.max_burst, ratio, sr.ber);
    cr_assert(lt(dbl, bm, 1e-2));
    cr_assert(le(dbl, bm, 1.5 * bd), "MLSE BER %.3e vs DFE %.3e", bm, bd);
    cr_assert(lt(dbl, fabs(ratio - 0.5), 0.05), "g1/g0 = %.3f", ratio);
    ls_link_destroy(l);
    ls_config_destroy(c);
    ls_run_result_free(&rd);
    ls_run_result_free(&rm);
}

Test(mlse, copper_link_with_mlse_is_identical_for_chunks_7_and_4096, .timeout = LS_TIMEOUT(120))
{
    ls_run_result r[2];
    static const char *const ch[] = { "run.chunk_symbols=7", "run.chunk_symbols=4096" };
    for (int i = 0; i < 2; i++) {
        const char *kv[] = { "link.length_m=2.5", "link.sps=16", "run.symbols=10880", "run.frame_symbols=5440",
                             "run.threads=1", "mlse.enable=true", "dfe.taps=0", "mlse.depth=48", ch[i], NULL };
        run_copper(kv, &r[i]);
    }
    printf("[mlse] copper 2.5 m chunks 7/4096: %llu / %llu bit errors\n", (unsigned long long)r[0].counts.bit_errors,
           (unsigned long long)r[1].counts.bit_errors);
    cr_assert(gt(u64, r[0].counts.bit_errors, 0), "want some errors to compare");
    cr_assert(eq(u64, r[0].counts.bits, r[1].counts.bits));
    cr_assert(eq(u64, r[0].counts.bit_errors, r[1].counts.bit_errors));
    cr_assert(eq(u64, r[0].counts.symbol_errors, r[1].counts.symbol_errors));
    cr_assert(eq(u64, r[0].counts.bursts, r[1].counts.bursts));
    cr_assert(eq(dbl, r[0].rx.phase_ui, r[1].rx.phase_ui));
    for (int i = 0; i < 2; i++)
        ls_run_result_free(&r[i]);
}

/* With a 1-tap FFE on an ISI-free channel the FFE reaches alpha' = 0: the detector then decides
   symbol by symbol and the errors are the slicer's, one for one. */
Test(mlse, detector_follows_the_post_cursor_the_ffe_reached)
{
    ls_run_result r[2];
    for (int i = 0; i < 2; i++) {
        char msg[512] = "";
        ls_status st;
        ls_config *c = ls_config_create("awgn", msg, sizeof msg, &st);
        cr_assert(c != NULL, "%s", msg);
        const char *kv[] = { "noise.snr_db=16", "run.symbols=100000", i ? "mlse.enable=true" : "mlse.enable=false",
                             NULL };
        for (const char *const *k = kv; *k; k++)
            cr_assert(eq(int, ls_config_set_assignment(c, *k, msg, sizeof msg), LS_OK), "%s", msg);
        cr_assert(eq(int, ls_run(c, NULL, NULL, &r[i], msg, sizeof msg), LS_OK), "%s", msg);
        ls_config_destroy(c);
    }
    cr_assert(gt(u64, r[0].counts.symbol_errors, 50));
    cr_assert(eq(u64, r[1].counts.symbol_errors, r[0].counts.symbol_errors));
    cr_assert(eq(u64, r[1].counts.bit_errors, r[0].counts.bit_errors));
    ls_run_result_free(&r[0]);
    ls_run_result_free(&r[1]);
}

Test(mlse, bad_configurations_are_rejected_with_the_key_named)
{
    ls_mlse_config c;
    ls_status st;
    struct {
        double alpha;
        unsigned depth, levels;
        size_t max_block;
    } bad[] = { { -0.1, 64, 4, 64 }, { 1.01, 64, 4, 64 }, { NAN, 64, 4, 64 }, { 0.5, 7, 4, 64 },
                { 0.5, 257, 4, 64 }, { 0.5, 64, 3, 64 },  { 0.5, 64, 4, 0 } };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ls_mlse_config_init(&c);
        c.alpha = bad[i].alpha;
        c.depth = bad[i].depth;
        c.levels = bad[i].levels;
        c.max_block = bad[i].max_block;
        st = LS_OK;
        cr_assert(ls_mlse_create(&c, &st) == NULL, "case %zu", i);
        cr_assert(eq(int, st, LS_EINVAL), "case %zu", i);
    }
    ls_mlse_config_init(&c);
    c.ref[2] = NAN;
    cr_assert(ls_mlse_create(&c, &st) == NULL);
    cr_assert(ls_mlse_create(NULL, &st) == NULL);
    ls_mlse_destroy(NULL);
    ls_mlse_config_init(&c);
    ls_mlse *q = ls_mlse_create(&c, NULL);
    cr_assert(q != NULL);
    uint8_t d[8];
    float y[8] = { 0 };
    size_t no;
    cr_assert(eq(int, ls_mlse_process(q, y, 8, NULL, &no), LS_EINVAL));
    y[3] = NAN;
    cr_assert(eq(int, ls_mlse_process(q, y, 8, d, &no), LS_EINVAL));
    ls_mlse_destroy(q);
    c.max_block = 4;
    q = ls_mlse_create(&c, NULL);
    y[3] = 0;
    cr_assert(eq(int, ls_mlse_process(q, y, 5, d, &no), LS_EINVAL));
    ls_mlse_destroy(q);

    /* the receiver: MLSE with a DFE, alpha and depth out of range */
    ls_rx_config rc;
    for (int i = 0; i < 3; i++) {
        ls_rx_config_init(&rc);
        rc.mlse_on = 1;
        rc.dfe_taps = i == 0;
        rc.mlse_alpha = i == 1 ? 1.5 : 0.5;
        rc.mlse_depth = i == 2 ? 4 : 64;
        cr_assert(ls_rx_create(&rc, &st) == NULL, "rx case %d", i);
        cr_assert(eq(int, st, LS_EINVAL));
    }

    /* the keys */
    char msg[512];
    ls_config *cf = copper(NULL);
    static const char *const keys[][2] = { { "mlse.alpha=1.5", "mlse.alpha" }, { "mlse.alpha=-0.2", "mlse.alpha" },
                                           { "mlse.depth=4", "mlse.depth" }, { "mlse.depth=300", "mlse.depth" } };
    for (int i = 0; i < 4; i++) {
        msg[0] = 0;
        cr_assert(ne(int, ls_config_set_assignment(cf, keys[i][0], msg, sizeof msg), LS_OK), "%s", keys[i][0]);
        cr_assert(ls_has(msg, keys[i][1]), "'%s' does not name %s", msg, keys[i][1]);
    }
    /* the copper preset has a 1-tap DFE by default */
    cr_assert(eq(int, ls_config_set_assignment(cf, "mlse.enable=true", msg, sizeof msg), LS_OK), "%s", msg);
    msg[0] = 0;
    ls_link *l = ls_link_create(cf, 64, msg, sizeof msg, &st);
    cr_assert(l == NULL);
    cr_assert(eq(int, st, LS_EINVAL));
    cr_assert(ls_has(msg, "mlse.enable: the MLSE replaces the DFE (set dfe.taps=0)"), "message: %s", msg);
    ls_config_destroy(cf);
}

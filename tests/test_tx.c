/* Transmitter: mapping, FFE normalisation, jittered edges, TX noise, streaming and frames. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>

#include "lanesim/prbs.h"
#include "lanesim/tx.h"
#include "ls_internal.h"
#include "util.h"

static ls_tx *make(ls_tx_config *c)
{
    ls_status st;
    ls_tx *q = ls_tx_create(c, &st);
    cr_assert(q != NULL, "create failed: %s", ls_strerror(st));
    return q;
}

/* Zero crossings of a PAM2 waveform: exact edge positions (UI) when the waveform is area-sampled. */
static size_t crossings(const float *y, size_t n, unsigned sps, double *t, size_t cap)
{
    size_t m = 0;
    for (size_t i = 1; i + 1 < n && m < cap; i++) {
        if ((y[i - 1] < 0) == (y[i + 1] < 0))
            continue;
        if (y[i - 1] < 0 ? (y[i] > y[i - 1] && y[i] < y[i + 1]) || y[i] == y[i + 1]
                         : (y[i] < y[i - 1] && y[i] > y[i + 1]) || y[i] == y[i + 1]) {
            /* sample i straddles the edge (or is the last sample before it) */
            double lo = y[i - 1], hi = y[i + 1];
            double frac = (y[i] - hi) / (lo - hi); /* share of the old value inside sample i */
            t[m++] = ((double)i + frac) / sps;
            i++;
        }
    }
    return m;
}

Test(tx, config_rejection)
{
    ls_tx_config c;
    ls_status st;
    ls_tx_config_init(&c);
    ls_tx_config bad[12];
    for (int i = 0; i < 12; i++)
        bad[i] = c;
    bad[0].levels = 3;
    bad[1].sps = 0;
    bad[2].sps = 129;
    bad[3].baud = -1;
    bad[4].rlm = 0.3;
    bad[5].swing_vpp = 0;
    bad[6].n_pre = 4, bad[6].n_post = 4;
    bad[7].rj_ui = -0.1;
    bad[8].ffe_post[0] = 0.6, bad[8].ffe_pre[0] = 0.5, bad[8].n_post = 1, bad[8].n_pre = 1;
    bad[9].max_ui = 0;
    bad[10].snr_db = NAN;
    bad[11].dj_ui = INFINITY;
    for (int i = 0; i < 12; i++) {
        cr_assert(eq(ptr, ls_tx_create(&bad[i], &st), NULL), "case %d", i);
        cr_assert(eq(int, st, LS_EINVAL), "case %d", i);
    }
    ls_tx_destroy(NULL);
}

Test(tx, waveform_levels_follow_gray_mapping_and_swing)
{
    ls_tx_config c;
    ls_tx_config_init(&c);
    c.sps = 4;
    c.max_ui = 256;
    c.swing_vpp = 1.2;
    ls_tx *q = make(&c);
    uint8_t bits[256], lev[256];
    float y[1024];
    cr_assert(eq(int, ls_tx_generate(q, 256, bits, lev, y), LS_OK));
    for (int k = 0; k < 256; k++) {
        cr_assert(eq(u8, lev[k], ls_pam_gray_to_level(bits[k])));
        if (k + 1 < 256)
            for (int j = 0; j < 4; j++) /* UI k leaves one UI later */
                cr_assert(ieee_ulp_eq(flt, y[(k + 1) * 4 + j], (float)(0.6 * (2.0 * lev[k] - 3) / 3), 4), "k=%d", k);
    }
    ls_tx_destroy(q);
}

Test(tx, ffe_main_cursor_is_normalised_and_taps_apply_in_time_order)
{
    ls_tx_config c;
    ls_tx_config_init(&c);
    c.sps = 1;
    c.max_ui = 512;
    c.levels = 2;
    c.ffe_pre[0] = -0.1;
    c.n_pre = 1;
    c.ffe_post[0] = -0.2;
    c.ffe_post[1] = 0.05;
    c.n_post = 2;
    ls_tx *q = make(&c);
    double taps[8];
    size_t main;
    cr_assert(eq(sz, ls_tx_ffe_taps(q, taps, &main), 4));
    cr_assert(eq(sz, main, 1));
    cr_assert(ieee_ulp_eq(dbl, taps[1], 0.65, 4));
    uint8_t lev[512];
    float y[512];
    cr_assert(eq(int, ls_tx_generate(q, 512, NULL, lev, y), LS_OK));
    /* output UI k (at y[k+1]) = 0.4 * sum_i taps[i] * v(lev[k-i]) */
    for (int k = 3; k < 511; k++) {
        double want = 0;
        for (int i = 0; i < 4; i++)
            want += taps[i] * (lev[k - i] ? 1.0 : -1.0);
        cr_assert(epsilon_eq(flt, y[k + 1], (float)(0.4 * want), 1e-6), "k=%d", k);
    }
    ls_tx_destroy(q);
}

Test(tx, dcd_moves_edges_by_exactly_half_its_value)
{
    ls_tx_config c;
    ls_tx_config_init(&c);
    c.levels = 2;
    c.sps = 32;
    c.max_ui = 4096;
    c.dcd_ui = 0.1;
    ls_tx *q = make(&c);
    uint8_t lev[4096];
    static float y[4096 * 32];
    cr_assert(eq(int, ls_tx_generate(q, 4096, NULL, lev, y), LS_OK));
    static double t[4096];
    size_t m = crossings(y, 4096 * 32, 32, t, 4096);
    cr_assert(gt(sz, m, 1000));
    for (size_t i = 0; i < m; i++) {
        /* edge of UI k sits at k + 1 (TX latency) + tau; even k late, odd k early */
        double k = floor(t[i] + 0.5) - 1;
        double tau = t[i] - (k + 1);
        double want = ((long long)k & 1) ? -0.05 : 0.05;
        cr_assert(epsilon_eq(dbl, tau, want, 1e-5), "edge %zu at %.6f UI", i, t[i]);
    }
    ls_tx_destroy(q);
}

Test(tx, random_and_dual_dirac_jitter_have_the_configured_statistics)
{
    uint64_t seed = ls_test_seed(7);
    ls_tx_config c;
    ls_tx_config_init(&c);
    c.levels = 2;
    c.sps = 64;
    c.max_ui = 8192;
    c.rj_ui = 0.02;
    c.dj_ui = 0.1;
    ls_tx *q = make(&c);
    cr_assert(eq(int, ls_tx_start(q, seed, 0, 0), LS_OK));
    static float y[8192 * 64];
    cr_assert(eq(int, ls_tx_generate(q, 8192, NULL, NULL, y), LS_OK));
    static double t[8192];
    size_t m = crossings(y, 8192 * 64, 64, t, 8192);
    ls_assert_seeded(gt(sz, m, 3000), seed, "only %zu crossings", m);
    double s1 = 0, s2 = 0, s4 = 0;
    for (size_t i = 0; i < m; i++) {
        double tau = t[i] - floor(t[i] + 0.5);
        s1 += tau;
        s2 += tau * tau;
        s4 += tau * tau * tau * tau;
    }
    double mean = s1 / m, var = s2 / m - mean * mean;
    /* tau = RJ N + DJ/2 (+-1): var = RJ^2 + (DJ/2)^2 = 0.0029; E tau^4 = a^4 + 6 a^2 s^2 + 3 s^4 */
    double a = 0.05, s = 0.02, want_var = s * s + a * a, want4 = a * a * a * a + 6 * a * a * s * s + 3 * s * s * s * s;
    ls_assert_seeded(lt(dbl, fabs(mean), 4 * sqrt(want_var / m)), seed, "mean %g", mean);
    ls_assert_seeded(lt(dbl, fabs(var - want_var), 0.05 * want_var), seed, "var %g want %g", var, want_var);
    ls_assert_seeded(lt(dbl, fabs(s4 / m - want4), 0.08 * want4), seed, "m4 %g want %g", s4 / m, want4);
    ls_tx_destroy(q);
}

Test(tx, sinusoidal_jitter_follows_its_sine)
{
    ls_tx_config c;
    ls_tx_config_init(&c);
    c.levels = 2;
    c.sps = 32;
    c.max_ui = 4096;
    c.sj_ui = 0.2;
    c.sj_hz = c.baud / 1000.0; /* 1000 UI period */
    ls_tx *q = make(&c);
    static float y[4096 * 32];
    cr_assert(eq(int, ls_tx_generate(q, 4096, NULL, NULL, y), LS_OK));
    static double t[4096];
    size_t m = crossings(y, 4096 * 32, 32, t, 4096);
    cr_assert(gt(sz, m, 1000));
    for (size_t i = 0; i < m; i++) {
        double k = floor(t[i] + 0.5) - 1;
        double want = 0.1 * sin(2 * M_PI * k / 1000.0);
        cr_assert(epsilon_eq(dbl, t[i] - (k + 1), want, 1e-5), "edge at %.5f", t[i]);
    }
    ls_tx_destroy(q);
}

Test(tx, tx_noise_has_the_nyquist_referred_variance)
{
    ls_tx_config c;
    ls_tx_config_init(&c);
    c.sps = 8;
    c.max_ui = 4096;
    c.snr_db = 20;
    ls_tx *clean_tx, *noisy_tx;
    ls_tx_config c0 = c;
    c0.snr_db = INFINITY;
    clean_tx = make(&c0);
    noisy_tx = make(&c);
    static float a[4096 * 8], b[4096 * 8];
    double s2 = 0;
    size_t n = 0;
    for (int rep = 0; rep < 8; rep++) {
        cr_assert(eq(int, ls_tx_generate(clean_tx, 4096, NULL, NULL, a), LS_OK));
        cr_assert(eq(int, ls_tx_generate(noisy_tx, 4096, NULL, NULL, b), LS_OK));
        for (size_t i = 0; i < 4096 * 8; i++, n++)
            s2 += (double)(b[i] - a[i]) * (b[i] - a[i]);
    }
    /* Ps = 0.16 * mean(v^2) = 0.16 * 5/9; per-sample variance = sps Ps / SNR */
    double want = 8 * 0.16 * (5.0 / 9.0) / 100.0;
    cr_assert(lt(dbl, fabs(s2 / n - want), 4 * want * sqrt(2.0 / n)), "var %g want %g", s2 / n, want);
    ls_tx_destroy(clean_tx);
    ls_tx_destroy(noisy_tx);
}

/* A transmitter configuration with every jitter term but DCD on: RJ 0.01, DJ 0.05, SJ 0.05 UI at 100 MHz;
   sps, max_ui n, precoding, c(-1) = -0.05. */
static void jittered(ls_tx_config *c, unsigned sps, size_t n, int precoding)
{
    ls_tx_config_init(c);
    c->sps = sps;
    c->max_ui = n;
    c->rj_ui = 0.01;
    c->dj_ui = 0.05;
    c->sj_ui = 0.05;
    c->sj_hz = 1e8;
    c->precoding = precoding;
    c->ffe_pre[0] = -0.05;
    c->n_pre = 1;
}

Test(tx, chunked_generation_equals_one_shot)
{
    enum { N = 3000, SPS = 16 };
    ls_tx_config c;
    jittered(&c, SPS, N, 1);
    c.snr_db = 25;
    static float y1[N * SPS], y2[N * SPS];
    uint8_t b1[N], b2[N], l1[N], l2[N];
    ls_tx *a = make(&c), *b = make(&c);
    cr_assert(eq(int, ls_tx_start(a, 99, 3, 12345), LS_OK));
    cr_assert(eq(int, ls_tx_start(b, 99, 3, 12345), LS_OK));
    cr_assert(eq(int, ls_tx_generate(a, N, b1, l1, y1), LS_OK));
    static const size_t chunk[] = { 1, 7, 300, 64, 1024 };
    for (size_t i = 0, j = 0; i < N; j++) {
        size_t m = chunk[j % 5] < N - i ? chunk[j % 5] : N - i;
        cr_assert(eq(int, ls_tx_generate(b, m, b2 + i, l2 + i, y2 + i * SPS), LS_OK));
        i += m;
    }
    cr_assert(eq(int, memcmp(b1, b2, N), 0));
    cr_assert(eq(int, memcmp(l1, l2, N), 0));
    for (size_t i = 0; i < N * SPS; i++)
        cr_assert(eq(flt, y1[i], y2[i]), "sample %zu", i);
    ls_tx_destroy(a);
    ls_tx_destroy(b);
}

Test(tx, a_frame_started_at_ui_k_continues_the_pattern)
{
    ls_tx_config c;
    ls_tx_config_init(&c);
    c.sps = 1;
    c.max_ui = 5000;
    ls_tx *q = make(&c);
    uint8_t all[5000], part[1000];
    float y[5000];
    cr_assert(eq(int, ls_tx_generate(q, 5000, all, NULL, y), LS_OK));
    cr_assert(eq(int, ls_tx_start(q, 1, 7, 4000), LS_OK));
    cr_assert(eq(int, ls_tx_generate(q, 1000, part, NULL, y), LS_OK));
    cr_assert(eq(int, memcmp(all + 4000, part, 1000), 0));
    /* negative start wraps the PRBS: the symbols before UI 0 end at the period's end */
    cr_assert(eq(int, ls_tx_start(q, 1, 0, -10), LS_OK));
    cr_assert(eq(int, ls_tx_generate(q, 20, part, NULL, y), LS_OK));
    cr_assert(eq(int, memcmp(all, part + 10, 10), 0));
    ls_tx_destroy(q);
}

Test(tx, generate_does_not_allocate)
{
    ls_tx_config c;
    ls_tx_config_init(&c);
    c.max_ui = 512;
    c.rj_ui = 0.01;
    c.snr_db = 30;
    ls_tx *q = make(&c);
    static float y[512 * 32];
    uint64_t before = lsi_alloc_count();
    cr_assert(eq(int, ls_tx_generate(q, 512, NULL, NULL, y), LS_OK));
    cr_assert(eq(int, ls_tx_start(q, 5, 5, 5), LS_OK));
    cr_assert(eq(u64, lsi_alloc_count(), before));
    ls_tx_destroy(q);
}

/* ls_tx_generate_symbols (the symbol-rate engines' transmitter: symbols, block FFE, then the edge
   offsets from the jitter stream's draws in one pass) in chunks of 1 .. 1024 equals one call: the same
   bits, levels, FFE outputs and edge offsets bit for bit; the FFE outputs equal the FFE's sum over the
   level values written out here (taps in time order, the newest symbol first, in double); the levels
   are those of the per-symbol waveform generator from the same start; with and without precoding (the
   PAM4 PRBS's own loop and the general one), RJ, DJ, SJ and DCD on. */
Test(tx, symbol_generation_in_chunks_equals_one_call_and_the_ffe_sum)
{
    enum { N = 4000, SPS = 8 };
    for (int pre = 0; pre < 2; pre++) {
        ls_tx_config c;
        jittered(&c, SPS, N, pre);
        c.dcd_ui = 0.02;
        c.ffe_pre[1] = 0.02;
        c.n_pre = 2;
        c.ffe_post[0] = -0.1;
        c.n_post = 1;
        static float y[N * SPS];
        static double b1[N], b2[N], t1[N], t2[N];
        uint8_t s0[N], l0[N], s1[N], l1[N], s2[N], l2[N];
        ls_tx *w = make(&c), *a = make(&c), *b = make(&c);
        cr_assert(eq(int, ls_tx_start(w, 5, 2, 777), LS_OK));
        cr_assert(eq(int, ls_tx_start(a, 5, 2, 777), LS_OK));
        cr_assert(eq(int, ls_tx_start(b, 5, 2, 777), LS_OK));
        cr_assert(eq(int, ls_tx_generate(w, N, s0, l0, y), LS_OK));
        cr_assert(eq(int, ls_tx_generate_symbols(a, N, s1, l1, b1, t1), LS_OK));
        static const size_t chunk[] = { 1, 7, 300, 64, 1024, 2, 3 };
        for (size_t i = 0, j = 0; i < N; j++) {
            const size_t m = chunk[j % 7] < N - i ? chunk[j % 7] : N - i;
            cr_assert(eq(int, ls_tx_generate_symbols(b, m, s2 + i, l2 + i, b2 + i, t2 + i), LS_OK));
            i += m;
        }
        cr_assert(eq(int, memcmp(s0, s1, N), 0), "bits against the waveform generator");
        cr_assert(eq(int, memcmp(l0, l1, N), 0), "levels against the waveform generator");
        cr_assert(eq(int, memcmp(s1, s2, N), 0));
        cr_assert(eq(int, memcmp(l1, l2, N), 0));
        double taps[LS_TX_MAX_FFE], v[8];
        const size_t nt = ls_tx_ffe_taps(a, taps, NULL);
        ls_tx_level_values(a, v);
        size_t moved = 0;
        for (size_t k = 0; k < N; k++) {
            double s = 0.0;
            s += taps[0] * v[l1[k]];
            for (size_t i = 1; i < nt; i++)
                s += taps[i] * (k >= i ? v[l1[k - i]] : 0.0);
            cr_assert(eq(dbl, b1[k], s), "precoding %d: FFE output %zu", pre, k);
            cr_assert(eq(dbl, b2[k], b1[k]), "precoding %d: chunked FFE output %zu", pre, k);
            cr_assert(eq(dbl, t2[k], t1[k]), "precoding %d: chunked edge offset %zu", pre, k);
            moved += t1[k] != 0.0;
        }
        cr_assert(gt(sz, moved, (size_t)N / 2), "the edges move");
        ls_tx_destroy(w);
        ls_tx_destroy(a);
        ls_tx_destroy(b);
    }
}

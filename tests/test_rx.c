/*
 * Receiver back end: DFE cancels post-cursor ISI exactly, LMS converges to the MMSE solution (a
 * second method), ADC quantization (codes equal the quotient formula at every boundary) and ENOB
 * noise, CDR lock-in and sinusoidal-jitter tracking
 * below versus above the loop bandwidth, determinism with adaptation on, bad configurations, the external
 * clock (sampling instants pushed by an IBIS-AMI model).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim/eqsolve.h"
#include "lanesim/pam.h"
#include "lanesim/rng.h"
#include "lanesim/run.h"
#include "lanesim/rx.h"
#include "ls_internal.h"
#include "util.h"

enum { N = 200000 };

static ls_rx *make_rx(ls_rx_config *c)
{
    ls_status st;
    c->sps = 1;
    c->max_samples = N;
    ls_rx *q = ls_rx_create(c, &st);
    cr_assert(q != NULL, "rx create: %s", ls_strerror(st));
    return q;
}

/* PAM4 symbols (levels v in [-1, 1]) through symbol-spaced cursors h (main at index m) plus noise. */
static void channel(const double *h, int nh, int m, double sigma, uint8_t *sym, float *x, uint64_t seed)
{
    ls_rng r;
    ls_rng_seed(&r, seed, 1, 0);
    double v[4];
    ls_pam_levels(4, 1.0, v);
    for (int k = 0; k < N; k++)
        sym[k] = (uint8_t)ls_rng_below(&r, 4);
    for (int k = 0; k < N; k++) {
        double acc = 0;
        for (int j = 0; j < nh; j++) {
            int i = k + m - j;
            if (i >= 0 && i < N)
                acc += h[j] * v[sym[i]];
        }
        x[k] = (float)(acc + sigma * ls_rng_gauss(&r));
    }
}

Test(rx, dfe_with_ideal_taps_cancels_post_cursor_isi_exactly)
{
    static uint8_t sym[N], dec[N];
    static float x[N], y[N];
    const double h[] = { 1.0, 0.5, 0.2 };
    channel(h, 3, 0, 0.0, sym, x, 3);
    ls_rx_config c;
    ls_rx_config_init(&c);
    c.dfe_taps = 2;
    c.dfe[0] = 0.5;
    c.dfe[1] = 0.2;
    ls_rx *q = make_rx(&c);
    size_t n;
    uint64_t k0;
    cr_assert(eq(int, ls_rx_process(q, x, N, dec, y, N, &n, &k0), LS_OK));
    cr_assert(eq(u64, k0, 0));
    cr_assert(gt(sz, n, N - 5));
    double v[4];
    ls_pam_levels(4, 1.0, v);
    for (size_t k = 0; k < n; k++) {
        cr_assert(eq(u8, dec[k], sym[k]), "symbol %zu", k);
        cr_assert(epsilon_eq(dbl, y[k], v[sym[k]], 1e-6), "symbol %zu: %g vs %g", k, y[k], v[sym[k]]);
    }
    ls_rx_destroy(q);
}

Test(rx, lms_converges_to_the_mmse_solution, .timeout = LS_TIMEOUT(60))
{
    uint64_t seed = ls_test_seed(21);
    static uint8_t sym[N], dec[N];
    static float x[N];
    const double h[] = { 0.25, 1.0, 0.45 }, sigma = 0.05;
    channel(h, 3, 1, sigma, sym, x, seed);
    ls_rx_config c;
    ls_rx_config_init(&c);
    c.ffe_taps = 5;
    c.ffe_pre = 2;
    memset(c.ffe, 0, sizeof c.ffe);
    c.ffe[2] = 1.0;
    c.adapt = LS_ADAPT_LMS;
    c.mu = 1e-3;
    ls_rx *q = make_rx(&c);
    size_t n;
    uint64_t k0;
    cr_assert(eq(int, ls_rx_process(q, x, N, dec, NULL, N, &n, &k0), LS_OK));
    ls_rx_stats s;
    ls_rx_get_stats(q, &s);
    /* MMSE with unit-variance symbols: noise relative to E[v^2] = 5/9 */
    double w[5];
    cr_assert(eq(int, ls_ffe_mmse(h, 3, 1, 5, 2, sigma * sigma / (5.0 / 9.0), NULL, 0, w, NULL, NULL), LS_OK));
    for (int i = 0; i < 5; i++)
        ls_assert_seeded(epsilon_eq(dbl, s.ffe[i], w[i], 0.02), seed,
                         "tap %d: LMS %.4f MMSE %.4f (LMS %.4f %.4f %.4f %.4f %.4f)", i, s.ffe[i], w[i], s.ffe[0],
                         s.ffe[1], s.ffe[2], s.ffe[3], s.ffe[4]);
    /* the converged equalizer makes the errors its MSE predicts: SER ~ 1.5 Q((1/3) / sqrt(MSE)) */
    double mse;
    cr_assert(eq(int, ls_ffe_mmse(h, 3, 1, 5, 2, sigma * sigma / (5.0 / 9.0), NULL, 0, w, NULL, &mse), LS_OK));
    double want = 1.5 * 0.5 * erfc((1.0 / 3.0) / sqrt(mse * 5.0 / 9.0) / sqrt(2.0)) * (double)(n - N / 2);
    size_t errs = 0;
    for (size_t k = N / 2; k < n; k++)
        errs += dec[k] != sym[k];
    int within = (double)errs > want / 3 && (double)errs < want * 3;
    ls_assert_seeded(within, seed, "errors %zu, MSE predicts %.0f", errs, want);
    ls_rx_destroy(q);
}

Test(rx, adc_quantizes_to_half_an_lsb_and_counts_clipping)
{
    static uint8_t dec[N];
    static float x[N], y[N];
    for (int k = 0; k < N; k++)
        x[k] = (float)(1.2 * sin(0.001 * k)); /* beyond the +-1 V full scale at the peaks */
    ls_rx_config c;
    ls_rx_config_init(&c);
    c.adc_on = 1;
    c.adc_bits = 6;
    c.adc_fs_v = 2.0;
    c.adc_enob = 6;
    ls_rx *q = make_rx(&c);
    size_t n;
    uint64_t k0;
    cr_assert(eq(int, ls_rx_process(q, x, N, dec, y, N, &n, &k0), LS_OK));
    double lsb = 2.0 / 64;
    for (size_t k = 0; k < n; k++)
        if (fabs(x[k]) < 1.0 - lsb)
            cr_assert(le(dbl, fabs(y[k] - x[k]), lsb / 2 + 1e-6), "sample %zu: %g -> %g", k, x[k], y[k]);
    ls_rx_stats s;
    ls_rx_get_stats(q, &s);
    cr_assert(gt(u64, s.clipped, N / 10));
    ls_rx_destroy(q);
}

/* A 2-level receiver with an ADC of `bits` at full scale fs and no extra noise (ENOB = bits). */
static ls_rx *adc_rx(unsigned bits, double fs)
{
    ls_rx_config c;
    ls_rx_config_init(&c);
    c.adc_on = 1;
    c.adc_bits = bits;
    c.adc_fs_v = fs;
    c.adc_enob = bits;
    c.levels = 2;
    c.thresholds[0] = 0;
    return make_rx(&c);
}

/* The ADC's output for x by the quotient's formula: clip to +-fs/2, code floor((x + fs/2) / LSB), at most
   2^bits - 1, its centre. */
static float adc_quotient(double x, double fs, unsigned bits)
{
    const unsigned nb = 1u << bits;
    const double half = 0.5 * fs, lsb = fs / (double)nb;
    const double cl = x > half ? half : (x < -half ? -half : x);
    double code = floor((cl + half) / lsb);
    code = code > nb - 1 ? nb - 1 : code;
    return (float)((code + 0.5) * lsb - half);
}

/* The ADC code is floor((x + FS/2) / LSB). The receiver computes it by a product with 1 / LSB where
   that cannot change the floor: on the float nearest every code boundary and one float either side,
   with FS = 0.9 V (1 / LSB not exact), the output equals the quotient's formula bit for bit; the
   product alone gets some of these codes wrong (counted here: at 6 bits 18 of 195 inputs), so the
   inputs do test the fallback. */
Test(rx, adc_codes_equal_the_quotient_formula_at_every_code_boundary)
{
    static const unsigned bits[] = { 6, 10 };
    for (int b = 0; b < 2; b++) {
        const unsigned nb = 1u << bits[b], n = 3 * (nb + 1);
        const double fs = 0.9, half = 0.5 * fs, lsb = fs / (double)nb, inv = 1.0 / lsb;
        /* + 2: the receiver decides up to 2 samples before the end */
        static float x[3 * 1025 + 2], y[3 * 1025 + 2];
        static uint8_t dec[3 * 1025 + 2];
        unsigned product_wrong = 0;
        for (unsigned k = 0; k <= nb; k++) {
            const float e = (float)((double)k * lsb - half);
            x[3 * k] = nextafterf(e, -1.0f);
            x[3 * k + 1] = e;
            x[3 * k + 2] = nextafterf(e, 1.0f);
            for (unsigned j = 3 * k; j < 3 * k + 3; j++) {
                const double a = (double)x[j] + half;
                product_wrong += floor(a * inv) != floor(a / lsb);
            }
        }
        cr_assert(gt(u32, product_wrong, 0u), "the product misses no code (bits %u)", bits[b]);
        ls_rx *q = adc_rx(bits[b], fs);
        size_t m;
        uint64_t k0;
        x[n] = x[n + 1] = 0;
        cr_assert(eq(int, ls_rx_process(q, x, n + 2, dec, y, n + 2, &m, &k0), LS_OK));
        cr_assert(eq(sz, m, (size_t)n), "decisions");
        for (size_t i = 0; i < m; i++) {
            const float ref = adc_quotient(x[i], fs, bits[b]);
            cr_assert(eq(flt, y[i], ref), "bits %u, input %zu (%.9g): %.9g, quotient formula %.9g",
                      bits[b], i, (double)x[i], (double)y[i], (double)ref);
        }
        ls_rx_destroy(q);
    }
}

/* The same on random inputs over and beyond the full scale (the fast path, lsi_rx_adc_quant: x / LSB +
   FS / (2 LSB) taken where it is further than 1e-9 from a code boundary, inside the range only; the clip
   and the boundaries go to the quotient): every output equals the quotient's formula bit for bit. */
Test(rx, adc_random_inputs_equal_the_quotient_formula)
{
    static const unsigned bits[] = { 7, 10 };
    enum { NRND = 20000 };
    static float x[NRND + 2], y[NRND + 2];
    static uint8_t dec[NRND + 2];
    uint64_t s = 0x9E3779B97F4A7C15u;
    for (int b = 0; b < 2; b++) {
        const double fs = 0.9, half = 0.5 * fs;
        for (size_t i = 0; i < NRND; i++) {
            s = s * 6364136223846793005u + 1442695040888963407u;
            x[i] = (float)(-0.55 + 1.1 * (double)(s >> 11) * 0x1p-53);
        }
        ls_rx *q = adc_rx(bits[b], fs);
        size_t m, clipped = 0;
        uint64_t k0;
        x[NRND] = x[NRND + 1] = 0;
        cr_assert(eq(int, ls_rx_process(q, x, NRND + 2, dec, y, NRND + 2, &m, &k0), LS_OK));
        cr_assert(eq(sz, m, (size_t)NRND), "decisions");
        for (size_t i = 0; i < m; i++) {
            clipped += fabs((double)x[i]) > half;
            const float ref = adc_quotient(x[i], fs, bits[b]);
            cr_assert(eq(flt, y[i], ref), "bits %u, input %zu (%.9g): %.9g, quotient formula %.9g", bits[b], i,
                      (double)x[i], (double)y[i], (double)ref);
        }
        cr_assert(gt(sz, clipped, (size_t)NRND / 20), "the inputs reach beyond the full scale");
        ls_rx_destroy(q);
    }
}

Test(rx, adc_enob_noise_gives_the_sinad_of_a_full_scale_sine)
{
    static uint8_t dec[N];
    static float x[N], y[N];
    for (int k = 0; k < N; k++)
        x[k] = (float)(0.999 * sin(0.0123 * k));
    ls_rx_config c;
    ls_rx_config_init(&c);
    c.adc_on = 1;
    c.adc_bits = 10;
    c.adc_fs_v = 2.0;
    c.adc_enob = 7;
    ls_rx *q = make_rx(&c);
    size_t n;
    uint64_t k0;
    cr_assert(eq(int, ls_rx_process(q, x, N, dec, y, N, &n, &k0), LS_OK));
    double e2 = 0, s2 = 0;
    for (size_t k = 0; k < n; k++) {
        e2 += (y[k] - x[k]) * (y[k] - x[k]);
        s2 += x[k] * x[k];
    }
    double sinad = 10 * log10(s2 / e2), want = 6.02 * 7 + 1.76;
    cr_assert(lt(dbl, fabs(sinad - want), 0.15), "SINAD %.2f dB, want %.2f dB", sinad, want);
    ls_rx_destroy(q);
}

static ls_config *cfg(const char *const *kv)
{
    char msg[256];
    ls_status st;
    ls_config *c = ls_config_create("awgn", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    for (; kv && *kv; kv++)
        cr_assert(eq(int, ls_config_set_assignment(c, *kv, msg, sizeof msg), LS_OK), "%s: %s", *kv, msg);
    return c;
}

static void run_ok(const ls_config *c, ls_run_result *r)
{
    char msg[256] = "";
    cr_assert(eq(int, ls_run(c, NULL, NULL, r, msg, sizeof msg), LS_OK), "%s", msg);
}

/* a smooth band-limited pulse (Gaussian TX edge, 4th-order Bessel RX) with FFE and DFE */
#define EQ_LINK "link.sps=16", "tx.filter=gaussian", "tx.bw_ghz=50", "rx.filter=bessel", "rx.bw_ghz=30", \
        "ffe.taps=8", "ffe.pre=2", "dfe.taps=1"

Test(rx, mueller_muller_cdr_locks_from_an_offset, .timeout = LS_TIMEOUT(60))
{
    const char *kv[] = { EQ_LINK, "noise.snr_db=22", "cdr.type=mm", "cdr.init_ui=0.2", "cdr.bw_mhz=20",
                         "run.symbols=130560", "run.warmup_symbols=20000", NULL };
    ls_config *c = cfg(kv);
    ls_run_result r;
    run_ok(c, &r);
    cr_assert(ge(i64, r.rx.lock_symbol, 0), "never locked");
    cr_assert(lt(i64, r.rx.lock_symbol, 20000), "locked at %lld", (long long)r.rx.lock_symbol);
    cr_assert(lt(dbl, fabs(r.rx.phase_ui), 0.05), "final phase %g UI", r.rx.phase_ui);
    cr_assert(lt(dbl, r.ber.ber, 1e-4));
    ls_run_result_free(&r);
    ls_config_destroy(c);
}

Test(rx, bang_bang_cdr_locks_from_an_offset, .timeout = LS_TIMEOUT(60))
{
    /* a zero-phase (symmetric) pulse: the bang-bang lock point (edge crossing + 0.5 UI) is the pulse peak */
    const char *kv[] = { "link.sps=16", "tx.filter=gaussian", "tx.bw_ghz=35", "ffe.taps=8", "ffe.pre=2",
                         "noise.snr_db=22", "cdr.type=bangbang", "cdr.init_ui=0.25", "cdr.bw_mhz=20",
                         "run.symbols=130560", "run.warmup_symbols=20000", NULL };
    ls_config *c = cfg(kv);
    ls_run_result r;
    run_ok(c, &r);
    cr_assert(ge(i64, r.rx.lock_symbol, 0), "never locked");
    cr_assert(lt(dbl, fabs(r.rx.phase_mean_ui), 0.05), "mean phase %g UI", r.rx.phase_mean_ui);
    cr_assert(lt(dbl, r.ber.ber, 1e-4));
    ls_run_result_free(&r);
    ls_config_destroy(c);
}

/* SJ of 0.4 UI pp at f_sj: below the CDR bandwidth the CDR follows it, above it cannot. */
static void sj_run(const char *f_mhz, ls_run_result *r)
{
    char sj[64];
    snprintf(sj, sizeof sj, "jitter.sj_mhz=%s", f_mhz);
    const char *kv[] = { EQ_LINK, "noise.snr_db=21", "cdr.type=mm", "cdr.bw_mhz=20", "jitter.sj_ui=0.4", sj,
                         "run.symbols=261120", "run.warmup_symbols=30000", "run.threads=2", NULL };
    ls_config *c = cfg(kv);
    run_ok(c, r);
    ls_config_destroy(c);
}

Test(rx, sinusoidal_jitter_below_the_loop_bandwidth_is_tracked_above_it_is_not, .timeout = LS_TIMEOUT(120))
{
    ls_run_result lo, hi, none;
    sj_run("1", &lo);     /* 1 MHz << 20 MHz */
    sj_run("2000", &hi);  /* 2 GHz >> 20 MHz */
    const char *kv[] = { EQ_LINK, "noise.snr_db=21", "cdr.type=mm", "cdr.bw_mhz=20", "run.symbols=261120",
                         "run.warmup_symbols=30000", "run.threads=2", NULL };
    ls_config *c = cfg(kv);
    run_ok(c, &none);
    ls_config_destroy(c);
    /* tracked: the CDR phase follows the SJ (rms of a 0.2 UI-amplitude sine = 0.141 UI) */
    cr_assert(gt(dbl, lo.rx.phase_rms_ui, 0.10), "low-f SJ: phase rms %g", lo.rx.phase_rms_ui);
    cr_assert(lt(dbl, hi.rx.phase_rms_ui, 0.5 * lo.rx.phase_rms_ui), "high-f SJ: phase rms %g (low-f %g)",
              hi.rx.phase_rms_ui, lo.rx.phase_rms_ui);
    /* tracked SJ costs little; untracked SJ shows up as errors */
    cr_assert(gt(u64, hi.counts.bit_errors, 10 * (lo.counts.bit_errors + 5)), "errors: low-f %llu, high-f %llu",
              (unsigned long long)lo.counts.bit_errors, (unsigned long long)hi.counts.bit_errors);
    cr_assert(lt(u64, lo.counts.bit_errors, 5 * (none.counts.bit_errors + 20)), "low-f %llu vs no SJ %llu",
              (unsigned long long)lo.counts.bit_errors, (unsigned long long)none.counts.bit_errors);
    ls_run_result_free(&lo);
    ls_run_result_free(&hi);
    ls_run_result_free(&none);
}

Test(rx, adaptive_receiver_results_do_not_depend_on_chunk_size, .timeout = LS_TIMEOUT(60))
{
    ls_run_result r[2];
    static const char *const ch[] = { "run.chunk_symbols=7", "run.chunk_symbols=4096" };
    for (int i = 0; i < 2; i++) {
        const char *kv[] = { EQ_LINK, "noise.snr_db=17", "cdr.type=mm", "ffe.adapt=lms", "adc.enable=true",
                             "run.symbols=20000", "run.frame_symbols=10880", ch[i], NULL };
        ls_config *c = cfg(kv);
        run_ok(c, &r[i]);
        ls_config_destroy(c);
    }
    cr_assert(gt(u64, r[0].counts.bit_errors, 0));
    cr_assert(eq(int, memcmp(&r[0].counts, &r[1].counts, sizeof r[0].counts), 0));
    cr_assert(eq(int, memcmp(&r[0].rx, &r[1].rx, sizeof r[0].rx), 0));
    ls_run_result_free(&r[0]);
    ls_run_result_free(&r[1]);
}

Test(rx, bad_receiver_configurations_are_rejected)
{
    ls_rx_config c;
    ls_status st;
    ls_rx_config bad[6];
    ls_rx_config_init(&c);
    for (int i = 0; i < 6; i++)
        bad[i] = c;
    bad[0].ffe_pre = 1;
    bad[1].ffe_taps = 65;
    bad[2].cdr = LS_CDR_MM, bad[2].cdr_bw_hz = 0;
    bad[3].adc_on = 1, bad[3].adc_bits = 1;
    bad[4].dfe_taps = 9;
    bad[5].thresholds[1] = 5.0f;
    for (int i = 0; i < 6; i++) {
        cr_assert(eq(ptr, ls_rx_create(&bad[i], &st), NULL), "case %d", i);
        cr_assert(eq(int, st, LS_EINVAL));
    }
    ls_rx_destroy(NULL);
    static const char *const msgs[][2] = { { "ffe.pre=3", "ffe.pre" }, { "ffe.coeffs=1,0", "ffe.coeffs" },
                                           { "cdr.bw_mhz=50000", "cdr.bw_mhz" } };
    for (int i = 0; i < 3; i++) {
        const char *kv[] = { "ffe.taps=3", "ffe.mode=fixed", "cdr.type=mm", msgs[i][0], NULL };
        ls_config *cf = cfg(kv);
        ls_run_result r;
        char msg[256] = "";
        cr_assert(eq(int, ls_run(cf, NULL, NULL, &r, msg, sizeof msg), LS_EINVAL), "%s", msgs[i][0]);
        cr_assert(ls_has(msg, msgs[i][1]), "'%s' lacks %s", msg, msgs[i][1]);
        ls_run_result_free(&r);
        ls_config_destroy(cf);
    }
}

/* External clock (ls_rx_push_clock, an IBIS-AMI model's clock times): on a ramp x[i] = i linear
   interpolation is exact, so each symbol's slicer input is the instant it sampled. D = 8, sps = 4:
   symbols 0, 1 before the first instant sample at the nominal phase; 2, 3 at their instants (+1.25);
   4 has none and keeps the phase; 5 takes its instant (-0.5); an instant 2.9 samples after symbol 6
   (more than half a UI) is nearer symbol 7's window and becomes 7's (phase -0.275); the instant meant
   for 7 is then stale (before 8's window) and dropped, and 8 keeps the phase. Without ext_clock a push
   is LS_ESTATE. */
Test(rx, external_clock_sets_the_sampling_instants)
{
    ls_rx_config c;
    ls_rx_config_init(&c);
    c.sps = 4;
    c.latency = 8;
    c.max_samples = 4096;
    c.ext_clock = 1;
    ls_status st;
    ls_rx *q = ls_rx_create(&c, &st);
    cr_assert(q != NULL);
    cr_assert(eq(int, ls_rx_start(q, 1, 0, 100), LS_OK));
    const double t[] = { 17.25, 21.25, 27.5, 34.9, 35.25 };
    cr_assert(eq(int, ls_rx_push_clock(q, t, 5), LS_OK));
    float x[512], y[128];
    uint8_t lv[128];
    for (int i = 0; i < 512; i++)
        x[i] = (float)i;
    size_t n;
    uint64_t k0;
    cr_assert(eq(int, ls_rx_process(q, x, 512, lv, y, 128, &n, &k0), LS_OK));
    cr_assert(n >= 9 && k0 == 0);
    const double want[9] = { 8, 12, 17.25, 21.25, 25.25, 27.5, 31.5, 34.9, 38.9 };
    for (int k = 0; k < 9; k++)
        cr_expect(fabs(y[k] - want[k]) < 1e-4, "symbol %d sampled at %g, want %g", k, y[k], want[k]);
    ls_rx_destroy(q);
    c.ext_clock = 0;
    q = ls_rx_create(&c, &st);
    cr_assert(q != NULL);
    cr_expect(eq(int, ls_rx_push_clock(q, t, 1), LS_ESTATE));
    ls_rx_destroy(q);
}

/* ls_rx_samples_left against the closed form D + (ffe_pre + k_limit - 1) sps + sps + 2 and against the
   decisions themselves (one sample short of it leaves the last symbol undecided); ls_rx_skip against
   passing the same zeros (read by the first symbols), after a frame that left other samples in the ring. */
Test(rx, samples_left_is_the_last_sample_read_and_skip_equals_passing_zeros)
{
    enum { SPS = 4, K = 1000, LAT = 37, SKIP = 45, NS = LAT + (K + 8) * SPS };
    static float x[NS], z[NS];
    static uint8_t d1[K + 64], d2[K + 64];
    ls_rng r;
    ls_rng_seed(&r, 11, 1, 0);
    for (int i = 0; i < NS; i++)
        x[i] = i < SKIP ? 0.0f : (float)(ls_rng_below(&r, 4) - 1.5) + 0.05f * (float)ls_rng_gauss(&r);
    ls_rx_config c;
    ls_rx_config_init(&c);
    c.sps = SPS;
    c.latency = LAT;
    c.ffe_taps = 5;
    c.ffe_pre = 2;
    c.ffe[2] = 1.0;
    c.max_samples = NS;
    ls_status st;
    ls_rx *a = ls_rx_create(&c, &st), *b = ls_rx_create(&c, &st);
    cr_assert(a && b);
    size_t n, nb;
    uint64_t k0, kb;
    cr_assert(eq(int, ls_rx_start(a, 1, 0, K), LS_OK));
    const uint64_t left = ls_rx_samples_left(a);
    cr_assert(eq(u64, left, (uint64_t)LAT + (2 + K - 1) * SPS + SPS + 2));
    cr_assert(eq(int, ls_rx_process(a, x, (size_t)left - 1, d1, NULL, K + 64, &n, &k0), LS_OK));
    cr_assert(eq(sz, n, K - 1), "one sample short: %zu decided", n);
    cr_assert(eq(u64, ls_rx_samples_left(a), 1));
    cr_assert(eq(int, ls_rx_process(a, x + left - 1, 1, d1 + n, NULL, K + 64, &nb, &kb), LS_OK));
    cr_assert(eq(sz, nb, 1));
    cr_assert(eq(u64, ls_rx_samples_left(a), 0));
    /* b: a frame of other samples first (its ring is not cleared by ls_rx_start), then skip */
    for (int i = 0; i < NS; i++)
        z[i] = 1.0f;
    cr_assert(eq(int, ls_rx_start(b, 1, 0, K), LS_OK));
    cr_assert(eq(int, ls_rx_process(b, z, NS, d2, NULL, K + 64, &nb, &kb), LS_OK));
    cr_assert(eq(int, ls_rx_start(b, 1, 0, K), LS_OK));
    cr_assert(eq(int, ls_rx_skip(b, SKIP), LS_OK));
    cr_assert(eq(u64, ls_rx_samples_left(b), left - SKIP));
    cr_assert(eq(int, ls_rx_process(b, x + SKIP, (size_t)left - SKIP, d2, NULL, K + 64, &nb, &kb), LS_OK));
    cr_assert(eq(sz, nb, K));
    for (size_t k = 0; k < K; k++)
        cr_assert(eq(u8, d1[k], d2[k]), "symbol %zu", k);
    ls_rx_destroy(a);
    ls_rx_destroy(b);
}

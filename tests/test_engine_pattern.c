/*
 * The pattern engine against the sample path (phy/link/link_pattern*.c, docs/engines.md "The
 * pattern engine"). Noise-free on the lpo preset (ideal CDR, so both engines read at the same
 * instants): the rms of the read differences is a small fraction of the main cursor -- far below
 * the 8.5 % a linear model misses by (issue 15) -- and the decisions agree. With noise: the BERs of
 * both engines over a few seeds agree within the sampling error of their error counts. A noise
 * block that cannot be silenced is refused (crosstalk) and per-sample output is refused. Each would
 * fail on the old code: the engine did not exist. The far tail by FFT (link_symbol_tail.c's overlap-save
 * machinery): against a direct convolution, and the reads identical whatever the chunk size.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_util.h"
#include "lanesim.h"
#include "link_symbol.h"
#include "ls_internal.h"
#include "timeout.h"
#include "util.h"

/* lpo with every noise source off and no ADC (the reads themselves are compared) */
static const char *const quiet[] = {
    "tx.snr_db=inf",         "rx.eta0_v2_ghz=0",        "laser.rin=false",
    "pd.shot_noise=false",   "tia.thermal_noise=false", "driver.noise_v_rthz=0",
    "laser.linewidth_mhz=0", "jitter.rj_ui=0",          "jitter.dj_ui=0",
    "adc.enable=false",      "cdr.type=ideal",          NULL};

static ls_link *make_c(const char *preset, const char *const *base, const char *const *kv,
                       ls_link_engine eng, size_t chunk)
{
    return ls_test_engine_link(preset, base, kv, eng, chunk);
}

static ls_link *make(const char *preset, const char *const *base, const char *const *kv,
                     ls_link_engine eng)
{
    return make_c(preset, base, kv, eng, 1024);
}

/* One frame of n symbols after warm symbols, every read recorded; the reads into x (malloc'd),
   their count returned, the symbol errors into *err. */
static size_t run_trace(ls_link *l, uint64_t seed, size_t warm, size_t n, float **x, uint64_t *err)
{
    const ls_link_info *in = ls_link_get_info(l);
    const size_t reads = 2 * (warm + n) + 64;
    cr_assert(
        eq(int, ls_link_trace_samples(l, (warm + n + 2048) * in->sps + in->latency, reads), LS_OK));
    ls_status st;
    ls_ber *b = ls_link_ber_create(l, &st);
    cr_assert(eq(int, ls_link_run_frame(l, seed, 0, 0, warm, n, b, NULL), LS_OK));
    const int64_t *s;
    const double *t;
    const float *xs;
    const size_t m = ls_link_trace_get(l, &s, &t, &xs);
    *x = malloc(m * sizeof **x);
    memcpy(*x, xs, m * sizeof **x);
    ls_ber_counts k;
    ls_ber_get_counts(b, &k);
    *err = k.symbol_errors;
    ls_ber_destroy(b);
    cr_assert(eq(int, ls_link_trace_samples(l, 0, 0), LS_OK));
    return m;
}

/* Noise-free: rms and max of the read differences (of the main cursor) after the warm-up. */
static void noise_free(const char *preset, const char *const *kv, double rms_tol)
{
    ls_link *a = make(preset, quiet, kv, LS_ENGINE_SAMPLE),
            *b = make(preset, quiet, kv, LS_ENGINE_PATTERN);
    const double h0 = ls_link_get_info(a)->h0;
    const size_t warm = 2048, n = 6000;
    float *xa, *xb;
    uint64_t ea, eb;
    const size_t na = run_trace(a, 5, warm, n, &xa, &ea), nb = run_trace(b, 5, warm, n, &xb, &eb);
    cr_assert(eq(sz, na, nb));
    double s2 = 0, mx = 0;
    size_t m = 0;
    for (size_t i = na / 4; i < na; i++, m++) { /* past the warm-up */
        const double d = (double)xa[i] - xb[i];
        s2 += d * d;
        mx = fmax(mx, fabs(d));
    }
    const double rms = sqrt(s2 / (double)m) / fabs(h0);
    cr_log_info("%s noise-free: %zu reads, rms %.4g, max %.4g of the main cursor; symbol errors "
                "%llu / %llu",
                preset, m, rms, mx / fabs(h0), (unsigned long long)ea, (unsigned long long)eb);
    printf("%s noise-free: %zu reads, rms %.4g, max %.4g of the main cursor; symbol errors %llu / "
           "%llu\n",
           preset, m, rms, mx / fabs(h0), (unsigned long long)ea, (unsigned long long)eb);
    cr_assert(le(dbl, rms, rms_tol), "rms %.4g of the main cursor", rms);
    cr_assert(le(dbl, (double)(ea > eb ? ea - eb : eb - ea), 2.0 + 0.05 * (double)ea));
    free(xa);
    free(xb);
    ls_link_destroy(a);
    ls_link_destroy(b);
}

Test(engine_pattern, lpo_noise_free_reads, .timeout = LS_TIMEOUT(60))
{
    const char *kv[] = {NULL};
    noise_free("lpo", kv, 0.01);
}

/* The noise of the reads (noisy minus noise-free at the same instants, ideal CDR, no ADC): variance
   and correlation at lags 1..4 (slots of one read per UI). */
static void read_noise(const char *preset, ls_link_engine eng, double *var, double *rho)
{
    const char *base[] = {"adc.enable=false", "cdr.type=ideal", NULL};
    const char *none[] = {NULL};
    ls_link *a = make(preset, quiet, none, eng), *b = make(preset, base, none, eng);
    float *xa, *xb;
    uint64_t ea, eb;
    const size_t na = run_trace(a, 9, 2048, 20000, &xa, &ea),
                 nb = run_trace(b, 9, 2048, 20000, &xb, &eb);
    cr_assert(eq(sz, na, nb));
    double s[5] = {0};
    size_t m = 0;
    for (size_t i = na / 8 + 4; i < na; i++, m++)
        for (int k = 0; k < 5; k++)
            s[k] += ((double)xb[i] - xa[i]) * ((double)xb[i - (size_t)k] - xa[i - (size_t)k]);
    *var = s[0] / (double)m;
    for (int k = 1; k < 5; k++)
        rho[k - 1] = s[k] / s[0];
    free(xa);
    free(xb);
    ls_link_destroy(a);
    ls_link_destroy(b);
}

Test(engine_pattern, lpo_read_noise, .timeout = LS_TIMEOUT(60))
{
    double va, vb, ra[4], rb[4];
    read_noise("lpo", LS_ENGINE_SAMPLE, &va, ra);
    read_noise("lpo", LS_ENGINE_PATTERN, &vb, rb);
    printf("lpo read noise: rms %.4g / %.4g V; rho1..4 sample %.3f %.3f %.3f %.3f, pattern %.3f "
           "%.3f %.3f %.3f\n",
           sqrt(va), sqrt(vb), ra[0], ra[1], ra[2], ra[3], rb[0], rb[1], rb[2], rb[3]);
    cr_assert(le(dbl, fabs(vb / va - 1.0), 0.05), "variance %.4g vs %.4g", vb, va);
}

Test(engine_pattern, cpo_noise_free_reads, .timeout = LS_TIMEOUT(60))
{
    const char *kv[] = {NULL};
    noise_free("cpo", kv, 0.01);
}

Test(engine_pattern, cpo_read_noise, .timeout = LS_TIMEOUT(60))
{
    double va, vb, ra[4], rb[4];
    read_noise("cpo", LS_ENGINE_SAMPLE, &va, ra);
    read_noise("cpo", LS_ENGINE_PATTERN, &vb, rb);
    printf("cpo read noise: rms %.4g / %.4g V; rho1..4 sample %.3f %.3f %.3f %.3f, pattern %.3f "
           "%.3f %.3f %.3f\n",
           sqrt(va), sqrt(vb), ra[0], ra[1], ra[2], ra[3], rb[0], rb[1], rb[2], rb[3]);
    cr_assert(le(dbl, fabs(vb / va - 1.0), 0.05), "variance %.4g vs %.4g", vb, va);
}

/* Symbol errors of n symbols on each of the seeds 1..ns (preset defaults and kv: every noise source,
   TX jitter, MM CDR, ADC) */
static uint64_t errors(const char *preset, const char *const *kv, ls_link_engine eng, unsigned ns, size_t n)
{
    const char *none[] = {NULL};
    ls_link *l = make(preset, none, kv, eng);
    ls_status st;
    ls_ber *b = ls_link_ber_create(l, &st);
    for (unsigned s = 1; s <= ns; s++)
        cr_assert(eq(int, ls_link_run_frame(l, s, 0, 0, 2048, n, b, NULL), LS_OK));
    ls_ber_counts k;
    ls_ber_get_counts(b, &k);
    ls_ber_destroy(b);
    ls_link_destroy(l);
    return k.symbol_errors;
}

/* BER agreement: the error counts of the two engines over the same seeds differ by less than the
   sampling error of the counts (3 sigma of the difference of two Poisson counts) plus 20 % (issue
   15's x1.2). The first version of the engine (a de Bruijn-only training, the tail's gain fixed at
   1) gave twice the sample path's errors on lpo and fails this. The default lpo (500 m, 8 dB host
   channels) makes ~1e-6: its host channels at 16 dB per side (BER ~2e-3, docs/lpo.md) give the errors. */
Test(engine_pattern, lpo_ber_agrees, .timeout = LS_TIMEOUT(120))
{
    const char *lossy[] = {"host.loss_db=16", NULL};
    const uint64_t ns = errors("lpo", lossy, LS_ENGINE_SAMPLE, 4, 50000),
                   np = errors("lpo", lossy, LS_ENGINE_PATTERN, 4, 50000);
    printf("lpo symbol errors over 4 seeds x 50000 symbols: sample %llu, pattern %llu\n",
           (unsigned long long)ns, (unsigned long long)np);
    cr_assert(ge(u64, ns, 50), "too few errors to compare: %llu", (unsigned long long)ns);
    const double d = fabs((double)np - (double)ns),
                 lim = 3.0 * sqrt((double)(ns + np)) + 0.2 * (double)ns;
    cr_assert(le(dbl, d, lim), "sample %llu, pattern %llu errors", (unsigned long long)ns,
              (unsigned long long)np);
}

Test(engine_pattern, refuses_eye_and_unsilenced_noise, .timeout = LS_TIMEOUT(30))
{
    char msg[512] = "";
    ls_status st;
    ls_config *c = ls_config_create("copper", msg, sizeof msg, &st);
    cr_assert(c != NULL);
    cr_assert(eq(int, ls_config_set_assignment(c, "xtalk.fext_db=40", msg, sizeof msg), LS_OK),
              "%s", msg);
    ls_link *l = ls_link_create(c, 1024, msg, sizeof msg, &st);
    ls_config_destroy(c);
    cr_assert(l != NULL, "%s", msg);
    ls_link_engine got = LS_ENGINE_PATTERN;
    cr_assert(
        eq(int, ls_link_set_engine(l, LS_ENGINE_PATTERN, 1, &got, msg, sizeof msg), LS_EINVAL));
    cr_assert(eq(int, (int)got, (int)LS_ENGINE_SAMPLE));
    cr_assert(
        eq(int, ls_link_set_engine(l, LS_ENGINE_PATTERN, 0, &got, msg, sizeof msg), LS_EINVAL));
    cr_assert(strstr(msg, "xtalk") != NULL, "%s", msg);
    ls_link_destroy(l);
}

/* The shared overlap-save machinery (lsi_tail_*) against a direct convolution: phases j = 0..2, each
   with its random kernel of Lt taps, on a random input; reads in a wandering order (blocks recomputed
   after eviction), every phase, each output to within 1e-5 of the input's scale. A read whose block
   needs inputs past `last` is flagged bad. */
typedef struct {
    lsi_sym_tail tl;
    const float *x;
} conv_ctx;

static void conv_fill(void *ctx, int64_t bi, long j, size_t sl)
{
    conv_ctx *c = ctx;
    lsi_sym_tail *tl = &c->tl;
    const size_t nf = tl->N / 2 + 1;
    float complex *U = tl->U + sl * tl->us; /* the slots' stride (aligned for the FFT's new-array execute) */
    if (tl->in_tag[sl] != bi) {
        lsi_tail_input(tl, c->x, bi * (int64_t)tl->B - (int64_t)tl->Lt + 1, U);
        tl->in_tag[sl] = bi;
    }
    lsi_sym_cmul((float *)lsi_rfft_freq(tl->fft), (const float *)(tl->Fg + (size_t)j * nf), (const float *)U, nf, 0);
}

Test(engine_pattern, far_tail_is_a_convolution, .timeout = LS_TIMEOUT(30))
{
    enum { LT = 100, NX = 6000, NP = 3 };
    const uint64_t seed = 11;
    ls_rng r;
    ls_rng_seed(&r, seed, 0, 0);
    static float x[NX], k[NP][LT];
    for (size_t i = 0; i < NX; i++)
        x[i] = (float)ls_rng_gauss(&r);
    conv_ctx c = {.x = x};
    cr_assert(eq(int, lsi_tail_plan(&c.tl, LT, 300, NP - 1, 0, 1), LS_OK));
    cr_assert(c.tl.fft != NULL && c.tl.B <= 300 && c.tl.N >= LT + 64);
    float kn[LT];
    for (size_t j = 0; j < NP; j++) {
        for (size_t t = 0; t < LT; t++) {
            k[j][t] = (float)ls_rng_gauss(&r);
            kn[t] = k[j][t] / (float)c.tl.N;
        }
        lsi_tail_kernel(&c.tl, kn, c.tl.Fg + j * (c.tl.N / 2 + 1));
    }
    lsi_tail_start(&c.tl);
    int bad = 0;
    double worst = 0;
    for (int64_t y = 0, n = 0; n < 4000; n++) {
        const long j = (long)(ls_rng_u64(&r) % NP);
        double d = 0;
        for (int64_t t = 0; t < LT && t <= y; t++)
            d += (double)k[j][t] * x[y - t];
        const double f = lsi_tail_get(&c.tl, y, j, NX - 1, &bad, conv_fill, &c);
        worst = fmax(worst, fabs(f - d));
        y += (int64_t)(ls_rng_u64(&r) % 5) - 1; /* mostly forward, sometimes back */
        y = y < 0 ? 0 : y >= NX - 400 ? NX - 400 : y;
    }
    cr_assert(eq(int, bad, 0));
    cr_assert(le(dbl, worst, 1e-5 * sqrt((double)LT)), "seed %llu: worst %.3g", (unsigned long long)seed, worst);
    (void)lsi_tail_get(&c.tl, NX - 10, 0, NX - 20, &bad, conv_fill, &c); /* its block's inputs not there */
    cr_assert(eq(int, bad, 1));
    lsi_sym_tail_free(&c.tl);
}

/* The reads of a pattern-engine frame (every noise source, TX jitter, MM CDR) are identical, bit for
   bit, with chunks of 1024 and of 337 symbols: the far tail's blocks lie on a fixed grid. */
Test(engine_pattern, lpo_reads_do_not_depend_on_chunk, .timeout = LS_TIMEOUT(60))
{
    const char *none[] = {NULL};
    ls_link *a = make_c("lpo", none, none, LS_ENGINE_PATTERN, 1024),
            *b = make_c("lpo", none, none, LS_ENGINE_PATTERN, 337);
    float *xa, *xb;
    uint64_t ea, eb;
    const size_t na = run_trace(a, 3, 2048, 8000, &xa, &ea), nb = run_trace(b, 3, 2048, 8000, &xb, &eb);
    cr_assert(eq(sz, na, nb));
    cr_assert(eq(int, memcmp(xa, xb, na * sizeof *xa), 0));
    cr_assert(eq(u64, ea, eb));
    free(xa);
    free(xb);
    ls_link_destroy(a);
    ls_link_destroy(b);
}

/* A link of the run's configuration without an engine yet. */
static ls_link *bare(const char *const *kv)
{
    return ls_test_link("lpo", kv, NULL, 1024);
}

/* ls_link_set_engine_from (a run's worker links): the tables of a link of the same configuration are
   copied, not trained again (fewer allocations than a training: its scratch is never made), and the
   copy reads exactly what a link that trained itself reads (noise on: the noise scale S is copied too);
   a source of another geometry (sps 16 against 32) is not copied from: the link trains. */
Test(engine_pattern, worker_links_share_training, .timeout = LS_TIMEOUT(90))
{
    const char *none[] = {NULL}, *s16[] = {"link.sps=16", NULL};
    char msg[512] = "";
    ls_link_engine got;
    ls_link *a = make("lpo", none, none, LS_ENGINE_PATTERN), *b = bare(none), *c = bare(none), *d = bare(none),
            *e = make("lpo", s16, none, LS_ENGINE_PATTERN);
    const uint64_t n0 = lsi_alloc_count();
    cr_assert(eq(int, ls_link_set_engine(c, LS_ENGINE_PATTERN, 0, &got, msg, sizeof msg), LS_OK), "%s", msg);
    const uint64_t n1 = lsi_alloc_count();
    cr_assert(eq(int, ls_link_set_engine_from(b, a, LS_ENGINE_PATTERN, 0, &got, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(int, (int)got, (int)LS_ENGINE_PATTERN));
    const uint64_t n2 = lsi_alloc_count();
    cr_assert(eq(int, ls_link_set_engine_from(d, e, LS_ENGINE_PATTERN, 0, &got, msg, sizeof msg), LS_OK), "%s", msg);
    const uint64_t n3 = lsi_alloc_count();
    cr_log_info("allocations: trained %llu, copied %llu, other geometry %llu", (unsigned long long)(n1 - n0),
                (unsigned long long)(n2 - n1), (unsigned long long)(n3 - n2));
    cr_assert(le(u64, n2 - n1 + 8, n1 - n0), "copied %llu, trained %llu allocations", (unsigned long long)(n2 - n1),
              (unsigned long long)(n1 - n0));
    cr_assert(eq(u64, n3 - n2, n1 - n0));
    float *xb, *xc, *xd;
    uint64_t eb, ec, ed;
    const size_t nb = run_trace(b, 4, 2048, 8000, &xb, &eb), nc = run_trace(c, 4, 2048, 8000, &xc, &ec),
                 nd = run_trace(d, 4, 2048, 8000, &xd, &ed);
    cr_assert(eq(sz, nb, nc));
    cr_assert(eq(sz, nd, nc));
    cr_assert(eq(int, memcmp(xb, xc, nb * sizeof *xb), 0));
    cr_assert(eq(int, memcmp(xd, xc, nd * sizeof *xd), 0));
    cr_assert(eq(u64, eb, ec));
    cr_assert(eq(u64, ed, ec));
    free(xb);
    free(xc);
    free(xd);
    ls_link_destroy(a);
    ls_link_destroy(b);
    ls_link_destroy(c);
    ls_link_destroy(d);
    ls_link_destroy(e);
}

/* The spectra product shared by the engines' FFT blocks (lsi_sym_cmul, in SIMD clones): each product and
   each sum rounded to float on its own, as the scalar code is written, in every clone the machine runs
   (a fused multiply-add in a vector clone would change the engines' results: GCC 12 fuses this pattern in
   an AVX-512F clone even under -ffp-contract=off, so the function is not cloned for it). Inputs with
   products that cancel, where one rounding instead of two shows. */
Test(engine_pattern, spectra_product_rounds_each_operation)
{
    enum { NC = 4099 };
    static float a[2 * NC], b[2 * NC], x[2 * NC], y[2 * NC];
    uint64_t s = 12345;
    for (size_t i = 0; i < 2 * NC; i++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        a[i] = (float)((double)(s >> 11) * 0x1p-53 - 0.5);
        s = s * 6364136223846793005u + 1442695040888963407u;
        b[i] = (float)((double)(s >> 11) * 0x1p-53 - 0.5);
    }
    for (size_t f = 0; f < NC; f += 2) /* a0 b0 close to a1 b1: the difference cancels */
        a[2 * f + 1] = nextafterf(a[2 * f] * b[2 * f] / b[2 * f + 1], 1.0f);
    for (int add = 0; add < 2; add++) {
        for (size_t i = 0; i < 2 * NC; i++)
            x[i] = y[i] = add ? 0.25f : 0.0f;
        lsi_sym_cmul(x, a, b, NC, add);
        size_t differ = 0;
        for (size_t f = 0; f < NC; f++) {
            volatile float p0 = a[2 * f] * b[2 * f], p1 = a[2 * f + 1] * b[2 * f + 1];
            volatile float q0 = a[2 * f] * b[2 * f + 1], q1 = a[2 * f + 1] * b[2 * f];
            const float re = p0 - p1, im = q0 + q1;
            const float wr = add ? y[2 * f] + re : re, wi = add ? y[2 * f + 1] + im : im;
            differ += memcmp(&x[2 * f], &wr, sizeof wr) != 0 || memcmp(&x[2 * f + 1], &wi, sizeof wi) != 0;
        }
        cr_assert(eq(sz, differ, 0), "add %d: %zu of %d products differ from the scalar roundings", add, differ, NC);
    }
}

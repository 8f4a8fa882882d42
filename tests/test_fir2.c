/*
 * The two-rate FIR (phy/core/fir2.c, docs/link.md "The two-rate tail") against the single FIR it replaces,
 * with its own arithmetic redone here:
 *
 *   - the bound: B = max_r sum_k |k_r[k] - h[k]|, k_r the taps output phase r sees (the head, plus the tail's
 *     per-block means spread over two UIs with weights 1 - r/D and r/D), recomputed from the formula; the
 *     DC of every k_r equal to sum h;
 *   - time: on a random input, every output (of 600 drawn) within float rounding of the LPTV prediction
 *     sum_k k_r[k] x[n - L - k], and within B max|x| (+ rounding) of the full convolution
 *     sum_k h[k] x[n - L - k], both in double and direct; on a long constant run, the DC gain sum h to float
 *     rounding, where dropping the tail would miss it by ten times the tolerance or more (checked, so the
 *     test can fail); a step off the UI grid, against the LPTV prediction and the full FIR's step response
 *     (on a synthetic tail holding most of the DC gain a tail one sample late would fail it);
 *   - chunking: the same input in chunks of 1, 7, 4095 and random sizes, bit-identical to one call;
 *   - on a synthetic FIR with a slow t^-1.5 tail, on the 1 m cable at 32 samples/UI and on the 802.3ck CA
 *     channel (skipped when ../shared is absent), the stages' actual FIRs and plans: the plan's bound within
 *     the link's allowance, LSI_FIR_TOL / 10 of |sum h| (<= max |H| in band).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim.h"
#include "link_internal.h"
#include "ls_internal.h"
#include "util.h"

#define NPTS 600

/* Tail tap u as the split at T sees it: the least-squares line over u's block of D taps, 0 before T or past
   the taps' last block. */
static double tail_line(const float *h, size_t nh, size_t D, size_t T, long u)
{
    if (u < (long)T || (size_t)u >= (nh + D - 1) / D * D)
        return 0.0;
    const size_t b = (size_t)u / D * D;
    const double c = 0.5 * (double)(D - 1);
    double a = 0, m1 = 0, m2 = 0;
    for (size_t k = b; k < b + D; k++) {
        const double v = k < nh ? h[k] : 0.0, w = (double)(k - b) - c;
        a += v;
        m1 += w * v;
        m2 += w * w;
    }
    return a / (double)D + m1 / m2 * ((double)((size_t)u - b) - c);
}

/* k_r[k] for k in [0, nk): nk = the whole blocks of h, plus one. */
static void phase_taps(const float *h, size_t nh, size_t D, size_t T, size_t r, double *kr, size_t nk)
{
    const double w1 = (double)r / (double)D;
    for (size_t k = 0; k < nk; k++)
        kr[k] = (k < T ? (double)h[k] : 0.0) + (1.0 - w1) * tail_line(h, nh, D, T, (long)k - (long)r) +
                w1 * tail_line(h, nh, D, T, (long)k + (long)D - (long)r);
}

static double rel(double a, double b)
{
    return fabs(a - b) / fmax(fabs(b), 1e-300);
}

/* Runs the two-rate FIR for plan p over x[0..n) in chunks (chunk 0: one call) into y. */
static void run(const float *h, size_t nh, const lsi_fir2_plan *p, const float *x, float *y, size_t n,
                size_t chunk, uint64_t seed)
{
    ls_fftfilt_config fc;
    ls_fftfilt_config_init(&fc);
    fc.h = h;
    fc.n_h = p->T;
    fc.nfft = p->head_nfft;
    ls_status st;
    ls_fftfilt *head = ls_fftfilt_create(&fc, &st);
    cr_assert(head != NULL);
    lsi_fir2 *q = lsi_fir2_create(h, nh, p, head, &st);
    cr_assert(q != NULL, "create: %s", ls_strerror(st));
    cr_assert(eq(sz, lsi_fir2_latency(q), ls_fftfilt_latency(head)));
    memcpy(y, x, n * sizeof *y);
    uint64_t s = seed;
    for (size_t i = 0; i < n;) {
        size_t m = chunk ? chunk : n - i;
        if (chunk == 3) { /* random sizes */
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            m = 1 + (size_t)(s >> 33) % 20000;
        }
        m = LS_MIN(m, n - i);
        cr_assert(eq(int, lsi_fir2_process(q, y + i, m), LS_OK));
        i += m;
    }
    lsi_fir2_destroy(q);
    ls_fftfilt_destroy(head);
}

static void check_split(const float *h, size_t nh, const lsi_fir2_plan *p, const char *what)
{
    const size_t D = p->D, T = p->T, nk = (nh + D - 1) / D * D + D;
    double sum = 0, l1 = 0, tail = 0;
    for (size_t k = 0; k < nh; k++) {
        sum += h[k];
        l1 += fabs(h[k]);
        tail += k >= T ? h[k] : 0.0;
    }
    cr_log_info("%s: %zu taps, D %zu, split at %zu (head FFT %zu, tail %zu taps at FFT %zu), B %.3g of sum h %.6f "
                "(tail sum %.3g), modelled %.2f -> %.2f ns/sample",
                what, nh, D, T, p->head_nfft, (nh - T + D - 1) / D, p->tail_nfft, p->bound / fabs(sum), sum, tail,
                1e3 * p->single_us, 1e3 * p->cost_us);
    /* the bound, redone */
    double *kr = malloc(D * nk * sizeof *kr);
    cr_assert(kr != NULL);
    double B = 0;
    for (size_t r = 0; r < D; r++) {
        double *k_r = kr + r * nk, e = 0, s = 0;
        phase_taps(h, nh, D, T, r, k_r, nk);
        for (size_t k = 0; k < nk; k++) {
            e += fabs(k_r[k] - (k < nh ? (double)h[k] : 0.0));
            s += k_r[k];
        }
        cr_expect(le(dbl, rel(s, sum), 1e-12), "%s: DC of phase %zu %.12g vs %.12g", what, r, s, sum);
        B = fmax(B, e);
    }
    cr_expect(le(dbl, rel(p->bound, B), 1e-9), "%s: plan's bound %.6g vs %.6g", what, p->bound, B);
    cr_expect(le(dbl, rel(lsi_fir2_bound(h, nh, D, T), B), 1e-9), "%s: lsi_fir2_bound", what);

    /* a random input, past the whole FIR's span */
    const size_t L = p->head_nfft - T + 1, n = L + nh + 40000;
    float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
    cr_assert(x && y && y2);
    fill_uniform(x, n, 0x5eed);
    run(h, nh, p, x, y, n, 0, 0);
    const size_t chunks[] = { 1, 7, 4095, 3 };
    for (size_t c = 0; c < 4; c++) {
        if (chunks[c] == 1 && n > 600000)
            continue; /* one sample at a time: the smaller FIRs cover it */
        run(h, nh, p, x, y2, n, chunks[c], 99 + c);
        cr_expect(eq(int, memcmp(y, y2, n * sizeof *y), 0), "%s: chunks of %zu not bit-identical", what, chunks[c]);
    }
    const double round = 4e-6 * l1; /* float rounding of the overlap-saves, |x| <= 1 */
    double e_lptv = 0, e_full = 0;
    uint64_t s = 12345;
    for (size_t i = 0; i < NPTS; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        const size_t t = L + (size_t)(s >> 33) % (n - L);
        const long m = (long)t - (long)(L + T), u = m - (long)(D - 1);
        const long pp = u >= 0 ? u / (long)D : -((-u + (long)D - 1) / (long)D);
        const size_t r = (size_t)(u - pp * (long)D);
        double full = 0, lptv = 0;
        for (size_t k = 0; k < nk && k + L <= t; k++) {
            const double xv = x[t - L - k];
            full += (k < nh ? h[k] : 0.0) * xv;
            lptv += kr[r * nk + k] * xv;
        }
        e_lptv = fmax(e_lptv, fabs(y[t] - lptv));
        e_full = fmax(e_full, fabs(y[t] - full));
    }
    cr_log_info("%s: random input, max error against the LPTV prediction %.3g, against the full FIR %.3g "
                "(bound B + rounding %.3g)", what, e_lptv, e_full, B + round);
    cr_expect(le(dbl, e_lptv, round), "%s: two-rate output vs its LPTV taps: %.3g", what, e_lptv);
    cr_expect(le(dbl, e_full, B + round), "%s: two-rate output vs the full FIR: %.3g > B %.3g", what, e_full, B);

    /* a long constant run: the DC gain */
    for (size_t k = 0; k < n; k++)
        x[k] = 1.0f;
    run(h, nh, p, x, y, n, 3, 7);
    const double tol_dc = 2e-6 * l1;
    double e_dc = 0;
    for (size_t k = L + nh + D; k < n; k++)
        e_dc = fmax(e_dc, fabs(y[k] - sum));
    cr_log_info("%s: constant run, max |y - sum h| %.3g (tail sum %.3g)", what, e_dc, tail);
    cr_expect(le(dbl, e_dc, tol_dc), "%s: DC %.3g off", what, e_dc);
    cr_assert(gt(dbl, fabs(tail), 10.0 * tol_dc), "%s: the tail is too small for the DC check to tell", what);

    /* a step at a sample off the UI grid: the output ramps through the tail, where a tail misplaced by one
       sample would be off by its taps, one UI by D of them */
    const size_t s0 = 1234 + D / 3;
    for (size_t k = 0; k < n; k++)
        x[k] = k < s0 ? 0.0f : 1.0f;
    run(h, nh, p, x, y, n, 3, 11);
    double e_step = 0, e_stepf = 0, shift1 = 0;
    s = 777;
    for (size_t i = 0; i < NPTS / 2; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        const size_t t = L + s0 + T - D + (size_t)(s >> 33) % (nk + D);
        if (t >= n)
            continue;
        const long m = (long)t - (long)(L + T), u = m - (long)(D - 1);
        const long pp = u >= 0 ? u / (long)D : -((-u + (long)D - 1) / (long)D);
        const size_t r = (size_t)(u - pp * (long)D), last = t - L - s0;
        double pred = 0, full = 0, prev = 0;
        for (size_t k = 0; k < nk && k <= last; k++) {
            pred += kr[r * nk + k];
            full += k < nh ? h[k] : 0.0;
            prev += k + 1 <= last ? kr[r * nk + k] : 0.0;
        }
        e_step = fmax(e_step, fabs(y[t] - pred));
        e_stepf = fmax(e_stepf, fabs(y[t] - full));
        shift1 = fmax(shift1, fabs(pred - prev));
    }
    const double tol_step = 6e-7 * l1;
    cr_log_info("%s: step, max error against the LPTV prediction %.3g (tolerance %.3g; one sample late would be "
                "%.3g), against the full FIR %.3g", what, e_step, tol_step, shift1, e_stepf);
    cr_expect(le(dbl, e_step, tol_step), "%s: step vs its LPTV taps: %.3g", what, e_step);
    cr_expect(le(dbl, e_stepf, B + tol_step), "%s: step vs the full FIR: %.3g > B %.3g", what, e_stepf, B);
    free(x);
    free(y);
    free(y2);
    free(kr);
}

Test(fir2, synthetic_slow_tail, .timeout = LS_TIMEOUT(60))
{
    const size_t nh = 100000, D = 32;
    float *h = malloc(nh * sizeof *h);
    cr_assert(h != NULL);
    for (size_t k = 0; k < nh; k++) {
        const double t = (double)k - 500.0;
        h[k] = (float)(0.05 * exp(-0.5 * t * t / (40.0 * 40.0)) + (k > 600 ? 0.1 * pow(t - 90.0, -1.5) : 0.0));
    }
    double sum = 0;
    for (size_t k = 0; k < nh; k++)
        sum += h[k];
    lsi_fir2_plan p;
    cr_assert(eq(int, lsi_fir2_choose(h, nh, D, 0.1 * LSI_FIR_TOL * sum, &p), 1));
    cr_assert(le(dbl, p.bound, 0.1 * LSI_FIR_TOL * sum));
    cr_assert(eq(int, lsi_fir2_choose(h, nh, D, 1e-9 * sum, &p), 0), "a tiny budget admits no split");
    cr_assert(eq(int, lsi_fir2_choose(h, nh, D, 0.1 * LSI_FIR_TOL * sum, &p), 1));
    check_split(h, nh, &p, "synthetic");
    /* a strong tail (a raised-cosine bump holding ~0.8 of the DC gain): the step check sees a misplaced tail */
    for (size_t k = 30000; k < nh; k++)
        h[k] += (float)(2e-5 * (1.0 - cos(2.0 * M_PI * (double)(k - 30000) / (double)(nh - 30000))));
    sum = 0;
    for (size_t k = 0; k < nh; k++)
        sum += h[k];
    cr_assert(eq(int, lsi_fir2_choose(h, nh, D, 0.1 * LSI_FIR_TOL * sum, &p), 1));
    check_split(h, nh, &p, "synthetic, strong tail");
    free(h);
}

/* The copper preset's fused FIRs: each that the link split must be within the allowance, and pass check_split. */
static int link_splits(const char *const *set, const char *what)
{
    char msg[512] = "";
    ls_status st;
    ls_config *c = ls_config_create("copper", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    for (size_t i = 0; set[i]; i++)
        cr_assert(eq(int, ls_config_set_assignment(c, set[i], msg, sizeof msg), LS_OK), "%s", msg);
    ls_link *l = ls_link_create(c, 1024, msg, sizeof msg, &st);
    cr_assert(l != NULL, "%s", msg);
    int n = 0;
    for (size_t i = 0; i < l->n_st; i++) {
        if (!l->st[i].fir2)
            continue;
        const lsi_fir2_plan *p = lsi_fir2_plan_of(l->st[i].fir2);
        double sum = 0;
        for (size_t k = 0; k < l->st[i].nh; k++)
            sum += l->st[i].h[k];
        cr_expect(le(dbl, p->bound, 0.1 * LSI_FIR_TOL * fabs(sum)), "%s: bound %.3g", what, p->bound);
        cr_expect(eq(sz, p->D, (size_t)l->info.sps));
        check_split(l->st[i].h, l->st[i].nh, p, what);
        n++;
    }
    ls_link_destroy(l);
    ls_config_destroy(c);
    return n;
}

Test(fir2, cable_1m_sps32, .timeout = LS_TIMEOUT(120))
{
    const char *set[] = { "link.length_m=1", "link.sps=32", NULL };
    cr_log_info("1 m cable, sps 32: %d two-rate FIRs", link_splits(set, "cable sps 32"));
}

Test(fir2, ca_channel_sps32_and_16, .timeout = LS_TIMEOUT(300))
{
    char ts[1024];
    snprintf(ts, sizeof ts, "%s/channels/ieee3ck_mellitz_CA_19p75dB_thru.s4p", ls_test_shared_dir());
    if (!ls_test_file_exists(ts))
        cr_skip_test("%s not present", ts);
    char v[1100];
    snprintf(v, sizeof v, "channel.touchstone=%s", ts);
    const char *set[] = { "channel.type=touchstone", v, "link.sps=32", NULL };
    cr_expect(ge(int, link_splits(set, "CA sps 32"), 1), "the CA channel's FIR is split");
    const char *set16[] = { "channel.type=touchstone", v, "link.sps=16", NULL };
    cr_log_info("CA, sps 16: %d two-rate FIRs", link_splits(set16, "CA sps 16"));
}

/*
 * TDECQ (phy/tdecq.c, phy/tdecq_eq.c) against closed forms, and the SSPRQ pattern (phy/ssprq.c).
 *  - Q_t = Q^-1(4.8e-4 / 1.5) = 3.414 (the value cl. 121.8.5.3 states).
 * Waveforms carry two whole periods of PRBS13Q (a part period moves P_ave, hence the thresholds).
 *  - An ideal eye (levels exactly P_ave + (OMA/2){-1,-1/3,1/3,1}, reference filter bypassed): the noise
 *    search finds sigma_G = OMA / (6 Q_t) (the worst-case SER of an ideal PAM4 eye is 1.5 Q(OMA/(6 sigma))
 *    up to the pattern's level frequencies) so TDECQ = 0 dB.
 *  - The same eye with Gaussian noise sigma_S in the capture and sigma_S given: sigma_G^2 + sigma_S^2 =
 *    (OMA/(6 Q_t))^2, TDECQ = 0 dB again.
 *  - One post-cursor h (y_k = c + A (v_k + h v_{k-1})) with the 1-tap DFE and white input noise:
 *    OMA_outer = 2 A (1 + h); the FFE (1 + b) delta and DFE b = h give e_k = c + (1 + h) A v_k, an ideal
 *    eye of OMA_outer, with C_eq = 1 + h; sigma_eq = OMA/(6 Q_t), sigma_G = sigma_eq / (1 + h), so
 *    TDECQ = 10 log10(1 + h). No other FFE/DFE does better: C_eq >= |w_main| = cursor of the eye.
 *  - Scaling the waveform leaves TDECQ unchanged (OMA and sigma_G scale together).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lanesim/pam.h"
#include "lanesim/prbs.h"
#include "lanesim/rng.h"
#include "lanesim/ssprq.h"
#include "lanesim/stats.h"
#include "lanesim/tdecq.h"
#include "lanesim/tx.h"
#include "util.h"

#define NSYM (2u * 8191u + 128u) /* two whole PRBS13Q periods scored: skip_ui = 64 at each end */
#define SPS 16u

static const double vn[4] = { -1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0 };

/* Rectangular PAM4 power waveform: y = c + A (v_k + h v_{k-1}) held over UI k, plus Gaussian noise
   drawn once per UI (white at the T-spaced equalizer input). */
static float *waveform_n(const uint8_t *lev, size_t nsym, double c, double A, double h, double sigma, uint64_t seed)
{
    float *y = malloc(nsym * SPS * sizeof *y);
    ls_rng r;
    ls_rng_seed(&r, seed, 1, 0);
    for (size_t k = 0; k < nsym; k++) {
        double n = sigma > 0 ? sigma * ls_rng_gauss(&r) : 0.0; /* one draw per UI: the window points share it */
        for (unsigned j = 0; j < SPS; j++)
            y[k * SPS + j] = (float)(c + A * (vn[lev[k]] + (k ? h * vn[lev[k - 1]] : 0.0)) + n);
    }
    return y;
}

/* PRBS13Q level indices (Gray, two bits per symbol; period 8191 symbols, levels balanced over it). */
static float *waveform(const uint8_t *lev, double c, double A, double h, double sigma, uint64_t seed)
{
    return waveform_n(lev, NSYM, c, A, h, sigma, seed);
}

static uint8_t *symbols(void)
{
    uint8_t *lev = malloc(NSYM), b[2];
    ls_prbs_config pc;
    ls_prbs_config_init(&pc);
    pc.type = LS_PRBS13Q;
    ls_prbs *p = ls_prbs_create(&pc, NULL);
    cr_assert(p != NULL);
    for (size_t k = 0; k < NSYM; k++) {
        cr_assert(eq(int, ls_prbs_bits(p, b, 2), LS_OK));
        lev[k] = ls_pam_gray_to_level((uint8_t)(b[0] << 1 | b[1]));
    }
    ls_prbs_destroy(p);
    return lev;
}

Test(tdecq, qt_is_3_414)
{
    double q = ls_tdecq_qt(4.8e-4);
    cr_assert(fabs(q - 3.414) < 1e-3, "Q_t %.6f", q);
    cr_assert(fabs(1.5 * ls_q(q) / 4.8e-4 - 1.0) < 1e-9);
    cr_assert(isnan(ls_tdecq_qt(0)));
}

static void ideal_case(ls_tdecq_class cls)
{
    uint8_t *lev = symbols();
    float *y = waveform(lev, 1e-3, 4e-4, 0, 0, 1);
    ls_tdecq_config cfg;
    ls_tdecq_config_init(&cfg, cls, 106.25e9, SPS);
    cfg.ref_filter = 0;
    ls_tdecq_results r;
    char msg[256] = "";
    cr_assert(eq(int, ls_tdecq_measure(&cfg, y, NSYM * SPS, lev, NSYM, &r, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(fabs(r.tdecq_db) < 0.02, "class %d: TDECQ %.4f dB", cls, r.tdecq_db);
    cr_assert(fabs(r.oma_outer_w - 8e-4) < 1e-9, "OMA %.6g", r.oma_outer_w);
    cr_assert(fabs(r.er_db - 10 * log10(1.4e-3 / 0.6e-3)) < 1e-6);
    cr_assert(fabs(r.rlm - 1.0) < 1e-3 && fabs(r.overshoot) < 0.01, "RLM %.4f overshoot %.4f", r.rlm, r.overshoot);
    cr_assert(fabs(r.ceq - 1.0) < 0.01, "C_eq %.4f", r.ceq);
    free(lev);
    free(y);
}

Test(tdecq, ideal_eye_is_zero_db_100g) { ideal_case(LS_TDECQ_100G); }
Test(tdecq, ideal_eye_is_zero_db_200g) { ideal_case(LS_TDECQ_200G); }

Test(tdecq, scope_noise_is_credited)
{
    /* one SSPRQ period: its many runs of seven 3s and six 0s keep the OMA estimate's own noise small */
    const size_t ns = LS_SSPRQ_PERIOD + 128u;
    uint8_t *lev = malloc(ns);
    cr_assert(eq(int, ls_ssprq_levels(lev, ns, 0), LS_OK));
    const double A = 4e-4, st = 2 * A / (6 * ls_tdecq_qt(4.8e-4)), ss = 0.5 * st;
    float *y = waveform_n(lev, ns, 1e-3, A, 0, ss, 7);
    ls_tdecq_config cfg;
    ls_tdecq_config_init(&cfg, LS_TDECQ_100G, 106.25e9, SPS);
    cfg.ref_filter = 0;
    cfg.noise_f3db_hz = INFINITY;
    cfg.sigma_s = ss;
    ls_tdecq_results r;
    cr_assert(eq(int, ls_tdecq_measure(&cfg, y, ns * SPS, lev, ns, &r, NULL, 0), LS_OK));
    cr_assert(fabs(r.tdecq_db) < 0.1, "TDECQ %.4f dB (sigma_G %.4g, expected %.4g)", r.tdecq_db, r.sigma_g,
              sqrt(st * st - ss * ss));
    free(lev);
    free(y);
}

Test(tdecq, post_cursor_with_dfe_is_10log_1_plus_h)
{
    uint8_t *lev = symbols();
    const double hs[] = { 0.1, 0.2, 0.3 };
    for (unsigned i = 0; i < 3; i++) {
        float *y = waveform(lev, 1e-3, 3e-4, hs[i], 0, 1);
        ls_tdecq_config cfg;
        ls_tdecq_config_init(&cfg, LS_TDECQ_200G, 106.25e9, SPS);
        cfg.ref_filter = 0;
        cfg.noise_f3db_hz = INFINITY;
        ls_tdecq_results r;
        cr_assert(eq(int, ls_tdecq_measure(&cfg, y, NSYM * SPS, lev, NSYM, &r, NULL, 0), LS_OK));
        double want = 10 * log10(1 + hs[i]);
        cr_assert(fabs(r.tdecq_db - want) < 0.03, "h %.2f: TDECQ %.4f dB, closed form %.4f (b %.4f, C_eq %.4f)",
                  hs[i], r.tdecq_db, want, r.dfe, r.ceq);
        cr_assert(fabs(r.dfe - hs[i]) < 0.02 && fabs(r.ceq - (1 + hs[i])) < 0.03, "b %.4f C_eq %.4f", r.dfe, r.ceq);
        free(y);
    }
    free(lev);
}

Test(tdecq, invariant_to_amplitude_scaling)
{
    uint8_t *lev = symbols();
    float *y = waveform(lev, 1e-3, 4e-4, 0.15, 0, 1), *z = malloc(NSYM * SPS * sizeof *z);
    for (size_t i = 0; i < NSYM * SPS; i++)
        z[i] = 37.0f * y[i];
    ls_tdecq_config cfg;
    ls_tdecq_config_init(&cfg, LS_TDECQ_100G, 53.125e9, SPS);
    ls_tdecq_results a, b;
    cr_assert(eq(int, ls_tdecq_measure(&cfg, y, NSYM * SPS, lev, NSYM, &a, NULL, 0), LS_OK));
    cr_assert(eq(int, ls_tdecq_measure(&cfg, z, NSYM * SPS, lev, NSYM, &b, NULL, 0), LS_OK));
    cr_assert(a.tdecq_db > 0.3, "a closed eye: TDECQ %.4f dB", a.tdecq_db);
    cr_assert(fabs(a.tdecq_db - b.tdecq_db) < 2e-3, "%.5f vs %.5f dB", a.tdecq_db, b.tdecq_db);
    cr_assert(fabs(b.oma_outer_w / a.oma_outer_w - 37.0) < 1e-4);
    free(lev);
    free(y);
    free(z);
}

Test(tdecq, rejects_bad_input)
{
    uint8_t *lev = symbols();
    float *y = waveform(lev, 1e-3, 4e-4, 0, 0, 1);
    ls_tdecq_config cfg;
    ls_tdecq_results r;
    ls_tdecq_config_init(&cfg, LS_TDECQ_200G, 106.25e9, SPS);
    ls_tdecq_config bad[8];
    for (unsigned i = 0; i < 8; i++)
        bad[i] = cfg;
    bad[0].sps = 2;
    bad[1].n_taps = 0;
    bad[2].max_pre = 15;
    bad[3].dfe_max = -0.1;
    bad[4].target_ser = 0;
    bad[5].hist_width_ui = 0.5;
    bad[6].skip_ui = 3;
    bad[7].baud = NAN;
    for (unsigned i = 0; i < 8; i++)
        cr_assert(eq(int, ls_tdecq_measure(&bad[i], y, NSYM * SPS, lev, NSYM, &r, NULL, 0), LS_EINVAL), "case %u", i);
    cr_assert(eq(int, ls_tdecq_measure(&cfg, y, 500, lev, NSYM, &r, NULL, 0), LS_EINVAL));
    lev[100] = 4;
    cr_assert(eq(int, ls_tdecq_measure(&cfg, y, NSYM * SPS, lev, NSYM, &r, NULL, 0), LS_EINVAL));
    free(lev);
    free(y);
}

Test(ssprq, first_section_is_inverted_prbs31_from_seed_2)
{
    /* symbols 0..5461 are the first 10924 bits of the PRBS31 generator (output inverted) seeded with
       0x00000002, Gray coded: checked against the word-wise generator of phy/prbs.c */
    uint8_t lev[5462], bits[10924];
    ls_prbs_config pc;
    ls_prbs_config_init(&pc);
    pc.type = LS_PRBS31;
    pc.seed = 2;
    pc.invert = 1;
    ls_prbs *p = ls_prbs_create(&pc, NULL);
    cr_assert(p != NULL);
    cr_assert(eq(int, ls_prbs_bits(p, bits, 10924), LS_OK));
    cr_assert(eq(int, ls_ssprq_levels(lev, 5462, 0), LS_OK));
    for (unsigned k = 0; k < 5462; k++)
        cr_assert(eq(u8, lev[k], ls_pam_gray_to_level((uint8_t)(bits[2 * k] << 1 | bits[2 * k + 1]))), "symbol %u", k);
    ls_prbs_destroy(p);
}

Test(ssprq, repetitions_and_period)
{
    uint8_t *a = malloc(2 * LS_SSPRQ_PERIOD);
    cr_assert(eq(int, ls_ssprq_levels(a, 2 * LS_SSPRQ_PERIOD, 0), LS_OK));
    for (unsigned k = 0; k < 16384; k++)
        cr_assert(eq(u8, a[16384 + k], (uint8_t)(3 - a[k])), "second repetition, symbol %u", k);
    for (unsigned k = 0; k < LS_SSPRQ_PERIOD; k++)
        cr_assert(eq(u8, a[LS_SSPRQ_PERIOD + k], a[k]));
    /* the TDECQ OMA needs a run of seven 3s and six 0s (cl. 121.8.4) */
    unsigned run3 = 0, run0 = 0, cur = 0;
    for (unsigned k = 0; k < LS_SSPRQ_PERIOD; k++) {
        cur = k && a[k] == a[k - 1] ? cur + 1 : 1;
        if (a[k] == 3 && cur > run3)
            run3 = cur;
        if (a[k] == 0 && cur > run0)
            run0 = cur;
    }
    cr_assert(run3 >= 7 && run0 >= 6, "longest runs: %u threes, %u zeros", run3, run0);
    free(a);
}

/* lanesim tdecq --waveform on a raw float32 ideal eye: exit 0, JSON TDECQ ~ 0 dB; bad inputs exit 2. */
Test(tdecq, cli_waveform_and_bad_input, .timeout = LS_TIMEOUT(60))
{
    static char out[1 << 14];
    char raw[128], js[128], csv[128], cmd[1024];
    snprintf(raw, sizeof raw, "/tmp/ls_tdecq_%d.f32", (int)getpid());
    snprintf(js, sizeof js, "/tmp/ls_tdecq_%d.json", (int)getpid());
    snprintf(csv, sizeof csv, "/tmp/ls_tdecq_%d.csv", (int)getpid());
    uint8_t *lev = symbols();
    float *y = waveform(lev, 1e-3, 4e-4, 0, 0, 1);
    FILE *f = fopen(raw, "wb");
    cr_assert(f != NULL);
    cr_assert(eq(sz, fwrite(y, sizeof *y, NSYM * SPS, f), (size_t)NSYM * SPS));
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s tdecq --waveform %s --sps %u --pattern prbs13q --no-reference-filter --class 100g --json %s",
             LS_CLI_PATH, raw, SPS, js);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    f = fopen(js, "r");
    cr_assert(f != NULL);
    size_t m = fread(out, 1, sizeof out - 1, f);
    out[m] = 0;
    fclose(f);
    const char *p = strstr(out, "\"tdecq_db\":");
    cr_assert(p != NULL && fabs(atof(p + 11)) < 0.02, "%s", out);
    snprintf(cmd, sizeof cmd, "%s tdecq --waveform %s", LS_CLI_PATH, raw); /* raw without --sps */
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 2));
    f = fopen(csv, "w");
    fputs("time,power\n0,1e-3\n1e-12,oops\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s tdecq --waveform %s", LS_CLI_PATH, csv);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 2));
    cr_assert(strstr(out, ":3:") != NULL, "names the line: %s", out);
    snprintf(cmd, sizeof cmd, "%s tdecq copper", LS_CLI_PATH); /* no optical field */
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 2));
    remove(raw);
    remove(js);
    remove(csv);
    free(lev);
    free(y);
}

/* The transmitter's SSPRQ source sends the pattern from UI first_ui (wrapping, negative included). */
Test(ssprq, transmitter_source)
{
    ls_tx_config tc;
    ls_tx_config_init(&tc);
    tc.source = LS_TX_SSPRQ;
    tc.sps = 2;
    ls_tx *tx = ls_tx_create(&tc, NULL);
    cr_assert(tx != NULL);
    static uint8_t got[3000], want[3000];
    static float y[6000];
    const int64_t first[] = { 0, 65000, -5 };
    for (unsigned c = 0; c < 3; c++) {
        cr_assert(eq(int, ls_tx_start(tx, 1, 0, first[c]), LS_OK));
        cr_assert(eq(int, ls_tx_generate(tx, 3000, NULL, got, y), LS_OK));
        uint64_t ph = (uint64_t)((first[c] % 65535 + 65535) % 65535);
        cr_assert(eq(int, ls_ssprq_levels(want, 3000, ph), LS_OK));
        for (unsigned k = 0; k < 3000; k++)
            cr_assert(eq(u8, got[k], want[k]), "start %lld symbol %u", (long long)first[c], k);
    }
    ls_tx_destroy(tx);
    tc.levels = 2; /* SSPRQ is PAM4 only */
    cr_assert(ls_tx_create(&tc, NULL) == NULL);
}

/*
 * Statistical eye: milliseconds per ls_stateye_run for a 64-UI pulse at 32 samples/UI, PAM4,
 * target BER 1e-12, 2048 bins; DFE 0 or 1 tap, jitter off or on (RJ 0.01 UI rms, DJ 0.05 UI).
 *
 * The pulse is a 1-UI rectangle through three one-pole sections (time constant 0.3 UI each)
 * plus a small reflection 20 UI later, so the ISI has both a few large post-cursors and a long
 * tail. Sanity check: SER = sum of ser_eye, a finite BER below 0.5 and an open eye at DFE 1.
 * One warm-up call, then calls for at least 0.5 s. One JSON line per case.
 * `bench_stateye --sweep` adds PAM2/PAM8 and 512..16384 bins.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "lanesim/stateye.h"

#define SPS 32u
#define NUI 64u
#define NP (SPS * NUI)

static float pulse[NP];
static size_t main_idx;

static void make_pulse(void)
{
    for (size_t i = 0; i < NP; i++)
        pulse[i] = (i >= 3 * SPS && i < 4 * SPS) ? 1.0f : 0.0f;
    for (int pass = 0; pass < 3; pass++) {
        double y = 0.0;
        for (size_t i = 0; i < NP; i++) {
            y += ((double)pulse[i] - y) / (0.3 * SPS);
            pulse[i] = (float)y;
        }
    }
    main_idx = 0;
    for (size_t i = 0; i < NP; i++)
        if (pulse[i] > pulse[main_idx])
            main_idx = i;
    for (size_t i = main_idx + 20 * SPS; i < NP; i++) /* reflection */
        pulse[i] += 0.03f * pulse[i - 20 * SPS];
}

static int run_case(unsigned levels, unsigned n_bins, unsigned n_dfe, int jitter)
{
    ls_stateye_config c;
    ls_stateye_config_init(&c);
    c.pulse = pulse;
    c.n_pulse = NP;
    c.sps = SPS;
    c.main_index = main_idx;
    c.levels = levels;
    c.n_bins = n_bins;
    c.target_ber = 1e-12;
    c.sigma_noise = 0.066 / (levels - 1); /* PAM4 with DFE: BER ~1e-12 with jitter */
    const double tap = pulse[main_idx + SPS];
    c.dfe = n_dfe ? &tap : NULL;
    c.n_dfe = n_dfe;
    c.rj_ui = jitter ? 0.01 : 0.0;
    c.dj_ui = jitter ? 0.05 : 0.0;
    ls_stateye_result r;
    if (ls_stateye_run(&c, &r) != LS_OK)
        return 0;
    double sum = 0.0;
    for (unsigned e = 0; e + 1 < levels; e++)
        sum += r.ser_eye[e];
    if (!(fabs(sum - r.ser) <= 1e-9 * r.ser + 1e-300) || !(r.ber >= 0.0 && r.ber < 0.5) ||
        (n_dfe && levels == 4 && !(r.vertical_opening_v > 0.0))) {
        fprintf(stderr, "bench_stateye: sanity check failed (ser %g, sum %g, opening %g)\n", r.ser,
                sum, r.vertical_opening_v);
        return 0;
    }
    long calls = 0;
    const double t0 = bench_now_s();
    double t1 = t0;
    while (t1 - t0 < 0.5) {
        if (ls_stateye_run(&c, &r) != LS_OK)
            return 0;
        calls++;
        t1 = bench_now_s();
    }
    printf("{\"bench\":\"stateye\",\"sps\":%u,\"n_pulse_ui\":%u,\"levels\":%u,", SPS, NUI, levels);
    printf("\"n_bins\":%u,\"n_dfe\":%u,\"jitter\":%s,\"target_ber\":1e-12,", n_bins, n_dfe,
           jitter ? "true" : "false");
    printf("\"ber\":%.4g,\"vertical_opening_v\":%.5g,\"width_ui\":%.4g,", r.ber,
           r.vertical_opening_v, r.eye[levels / 2 - 1].width_ui);
    printf("\"ms_per_eval\":%.3f,", 1e3 * (t1 - t0) / (double)calls);
    bench_json_tail();
    return 1;
}

int main(int argc, char **argv)
{
    const int sweep = argc > 1 && strcmp(argv[1], "--sweep") == 0;
    make_pulse();
    int ok = 1;
    for (unsigned d = 0; d <= 1; d++)
        for (int j = 0; j <= 1; j++)
            ok &= run_case(4, 2048, d, j);
    if (sweep) {
        for (unsigned m = 2; m <= 8; m *= 4)
            for (int j = 0; j <= 1; j++)
                ok &= run_case(m, 2048, 1, j);
        for (unsigned nb = 512; nb <= 16384; nb *= 2)
            if (nb != 2048)
                ok &= run_case(4, nb, 1, 1);
    }
    return ok ? 0 : 1;
}

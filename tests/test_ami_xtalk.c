/*
 * IBIS-AMI receivers with crosstalk (phy/ami_xtalk.c, docs/ibis-ami.md "Aggressors"): AMI_Init's
 * impulse matrix carries the aggressors' responses (up to Max_Init_Aggressors), and the statistical
 * analysis uses what the model returns for them. The test model rx_ctle_dfe applies its CTLE to every
 * aggressor column, scaled by its parameter xt_gain (1: an LTI model).
 */
#include <complex.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lanesim.h"

#define IBS LS_AMI_DIR "/lanesim_test.ibs"

/* x[0..N) -> its DFT (sign -1) or inverse DFT without 1/N (sign +1), directly. */
static void dft(const double complex *x, double complex *y, size_t N, int sign)
{
    double complex *w = malloc(N * sizeof *w);
    cr_assert(w);
    for (size_t k = 0; k < N; k++)
        w[k] = cexp(sign * 2 * M_PI * I * (double)k / (double)N);
    for (size_t k = 0; k < N; k++) {
        double complex acc = 0;
        for (size_t j = 0, kj = 0; j < N; j++, kj = (kj + k) % N)
            acc += x[j] * w[kj];
        y[k] = acc;
    }
    free(w);
}

/* What the model returns for an aggressor is its filter applied to it: the same as the equalization
   lanesim fits from the victim's column (a second, independent route to the model's H(f), accurate to
   ~1e-3 of the peak: its taps end where 5e-8 of their energy is left, phy/ami_fit.c). A matrix
   with more aggressors than Max_Init_Aggressors (8) is refused. */
Test(ami_xtalk, aggressor_columns_come_back_filtered_by_the_model)
{
    ls_ami_block_config c;
    ls_ami_block_config_init(&c);
    c.ibs = IBS ":rx_ctle_dfe";
    c.overrides = "ctle.peak_db=10;ctle.fpk_ghz=53.125;dfe.dfe_taps=0";
    c.baud = 53.125e9;
    c.sps = 16;
    c.flow = LS_AMI_FLOW_INIT;
    ls_block b;
    char msg[1400];
    cr_assert_eq(ls_ami_block_create(&c, &b, msg, sizeof msg), LS_OK, "%s", msg);
    cr_assert_eq(ls_ami_block_max_aggressors(&b), 8);
    enum { n = 2048, N = 4096 };
    const double fs = c.baud * c.sps, tv = 8e-12, ta = 20e-12;
    double *h = calloc(3 * n, sizeof *h);
    for (int i = 0; i < n; i++) {
        h[i] = exp(-i / (fs * tv)) / tv;                              /* victim: RC, 1/s */
        h[n + i] = i < 40 ? 0 : (i - 40) / (fs * ta) * exp(-(i - 40) / (fs * ta)) / ta; /* a delayed 2nd order */
        h[2 * n + i] = i == 3 ? -fs : i == 5 ? fs : 0;                 /* a difference of impulses */
    }
    cr_assert_eq(ls_ami_block_init_matrix(&b, h, n, 9, msg, sizeof msg), LS_EINVAL);
    cr_assert_eq(ls_ami_block_init_matrix(&b, h, n, 2, msg, sizeof msg), LS_OK, "%s", msg);
    double f[N];
    double complex H[N], X[N], Y[N];
    for (int k = 0; k < N; k++)
        f[k] = (k <= N / 2 ? k : k - N) * fs / N;
    cr_assert_eq(b.ops->response(b.self, f, H, N), LS_OK);
    for (size_t a = 0; a < 2; a++) {
        size_t rows = 0;
        const double *g = ls_ami_block_aggressor(&b, a, &rows);
        cr_assert(g && rows == n);
        for (int i = 0; i < N; i++)
            X[i] = i < n ? h[(a + 1) * n + i] : 0;
        dft(X, Y, N, -1);
        for (int k = 0; k < N; k++)
            Y[k] *= H[k];
        dft(Y, X, N, 1);
        double err = 0, peak = 0;
        for (int i = 0; i < n; i++) {
            err = fmax(err, fabs(creal(X[i]) / N - g[i]));
            peak = fmax(peak, fabs(g[i]));
        }
        cr_log_info("aggressor %zu: max error %g of peak %g", a, err, peak);
        cr_expect(err < 3e-3 * peak, "aggressor %zu: returned vs fitted filter, max error %g of peak %g", a, err, peak);
    }
    cr_expect_null(ls_ami_block_aggressor(&b, 2, &(size_t){ 0 }));
    free(h);
    ls_block_destroy(&b);
}

typedef struct {
    double xt_v, main_v, ber;
} figures;

/* The copper link at 0.5 m with FEXT and NEXT aggressors: its crosstalk at the slicer, main cursor and
   statistical BER. */
static figures link_figures(const char *const *extra)
{
    static const char *const base[] = { "link.length_m=0.5", "cdr.type=ideal", "adc.enable=false", "ffe.taps=1",
                                        "ffe.pre=0", "dfe.taps=1", "dfe.limit=1", "tx.snr_db=inf", "jitter.rj_ui=0",
                                        "jitter.dj_ui=0", "ami.isolate=false", "xtalk.fext_db=30",
                                        "xtalk.next_db=36", "xtalk.fext_count=2", NULL };
    char msg[1400];
    ls_config *c = ls_config_create("copper", msg, sizeof msg, NULL);
    cr_assert(c, "%s", msg);
    for (const char *const *a = base; *a; a++)
        cr_assert_eq(ls_config_set_assignment(c, *a, msg, sizeof msg), LS_OK, "%s", msg);
    for (const char *const *a = extra; *a; a++)
        cr_assert_eq(ls_config_set_assignment(c, *a, msg, sizeof msg), LS_OK, "%s: %s", *a, msg);
    ls_status st;
    ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st);
    cr_assert(l, "%s", msg);
    ls_stateye_result r;
    cr_assert_eq(ls_link_stat(l, 1e-6, &r), LS_OK);
    figures o = { ls_link_get_info(l)->xtalk_rms_v, ls_link_get_info(l)->h0, r.ber };
    ls_link_destroy(l);
    ls_config_destroy(c);
    return o;
}

#define AMI_RX "rx.model=ami", "rx.ami=" IBS ":rx_ctle_dfe", "ami.rx.ctle.peak_db=10", "ami.rx.ctle.fpk_ghz=53.125", \
               "ami.rx.dfe.dfe_taps=0", "ami.rx_dfe=true"

/* The statistical crosstalk with the AMI CTLE (its responses to the three aggressors from AMI_Init)
   equals lanesim's own with the same CTLE; the statistical BER likewise. The model's answer is what
   counts: xt_gain = 0.5 halves the crosstalk at the slicer and leaves the victim's main cursor alone
   (in both flows: the GetWave flow's statistical analysis uses AMI_Init too). */
Test(ami_xtalk, statistical_crosstalk_with_an_ami_rx_is_the_models, .timeout = LS_TIMEOUT(120))
{
    static const char *const own[] = { "ctle.form=peaking", "ctle.peak_db=10", "ctle.auto=false", NULL };
    static const char *const ami[] = { AMI_RX, "ami.rx_flow=init", NULL };
    static const char *const half[] = { AMI_RX, "ami.rx_flow=init", "ami.rx.xt_gain=0.5", NULL };
    static const char *const gw_half[] = { AMI_RX, "ami.rx_flow=getwave", "ami.rx.xt_gain=0.5", NULL };
    figures a = link_figures(own), b = link_figures(ami), h = link_figures(half), g = link_figures(gw_half);
    cr_log_info("own: xt %g V, h0 %g V, BER %g; AMI: %g V, %g V, %g; xt_gain 0.5: %g V, %g V, %g; GetWave: %g V, %g",
        a.xt_v, a.main_v, a.ber, b.xt_v, b.main_v, b.ber, h.xt_v, h.main_v, h.ber, g.xt_v, g.ber);
    cr_expect(a.xt_v > 1e-3, "crosstalk to compare: %g V", a.xt_v);
    cr_expect(fabs(b.xt_v / a.xt_v - 1) < 0.01, "crosstalk rms own %g V, AMI %g V", a.xt_v, b.xt_v);
    cr_expect(fabs(b.ber / a.ber - 1) < 0.03, "statistical BER own %g, AMI %g", a.ber, b.ber);
    cr_expect(fabs(h.xt_v / b.xt_v - 0.5) < 1e-4, "xt_gain 0.5: crosstalk %g V against %g V", h.xt_v, b.xt_v);
    cr_expect(fabs(h.main_v / b.main_v - 1) < 1e-9, "main cursor %g V against %g V", h.main_v, b.main_v);
    cr_expect(fabs(g.xt_v / h.xt_v - 1) < 1e-3, "GetWave flow: crosstalk %g V, Init-only %g V", g.xt_v, h.xt_v);
    cr_expect(h.ber < b.ber, "less crosstalk, fewer errors: %g against %g", h.ber, b.ber);
}

#define AMI_RX1 "rx.model=ami", "rx.ami=" IBS ":rx_ctle_1agg", "ami.rx.ctle.peak_db=10", "ami.rx.ctle.fpk_ghz=53.125", \
                "ami.rx.dfe.dfe_taps=0", "ami.rx_dfe=true"

/* A model that takes one aggressor (Max_Init_Aggressors 1) of three: the others go through its fitted
   equalization, in the GetWave flow too (whose block is no FIR stage: before, the statistical crosstalk
   passed over the model, 9.7 mV instead of 24.6 mV here); xt_gain = 0.5 then halves the first only. */
Test(ami_xtalk, aggressors_beyond_max_init_aggressors_are_equalized_too, .timeout = LS_TIMEOUT(120))
{
    static const char *const own[] = { "ctle.form=peaking", "ctle.peak_db=10", "ctle.auto=false", NULL };
    static const char *const gw[] = { AMI_RX1, "ami.rx_flow=getwave", NULL };
    static const char *const gw_half[] = { AMI_RX1, "ami.rx_flow=getwave", "ami.rx.xt_gain=0.5", NULL };
    static const char *const all_half[] = { AMI_RX, "ami.rx_flow=getwave", "ami.rx.xt_gain=0.5", NULL };
    figures a = link_figures(own), g = link_figures(gw), h = link_figures(gw_half), q = link_figures(all_half);
    cr_log_info("own %g V, GetWave %g V, first aggressor halved %g V, all halved %g V", a.xt_v, g.xt_v, h.xt_v, q.xt_v);
    cr_expect(fabs(g.xt_v / a.xt_v - 1) < 0.01, "crosstalk rms own %g V, AMI GetWave %g V", a.xt_v, g.xt_v);
    cr_expect(h.xt_v < g.xt_v * (1 - 1e-3) && h.xt_v > q.xt_v * (1 + 1e-3), "one halved %g V, none %g V, all %g V",
        h.xt_v, g.xt_v, q.xt_v);
}

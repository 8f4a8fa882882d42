/* Tests of the photodiode and TIA blocks (channels/optical/photodiode.c): noise statistics against the
 * closed forms (shot, RIN, APD, thermal PAM4 sensitivity by Monte Carlo) and the TIA noise
 * spectrum. Small-signal models, streaming, determinism, allocation and configuration:
 * test_optrx_block.c. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "optrx_util.h"

/* Mean and unbiased variance of the photodiode output for a constant optical power p_w. */
static void pd_stats(ls_block *b, double p_w, size_t n, double *mean, double *var)
{
    static float complex x[4096];
    static float y[4096];
    for (size_t i = 0; i < 4096; i++)
        x[i] = (float)sqrt(p_w) * cexpf(I * 0.3f * (float)i); /* any phase: |E|^2 = p */
    double s1 = 0.0, s2 = 0.0;
    size_t done = 0;
    double shift = NAN;
    while (done < n) {
        const size_t m = LS_MIN((size_t)4096, n - done);
        cr_assert(eq(int, b->ops->process(b->self, x, y, m), LS_OK));
        if (isnan(shift))
            shift = y[0]; /* shifted sums: no cancellation */
        for (size_t i = 0; i < m; i++) {
            const double d = (double)y[i] - shift;
            s1 += d;
            s2 += d * d;
        }
        done += m;
    }
    *mean = shift + s1 / (double)n;
    *var = (s2 - s1 * s1 / (double)n) / (double)(n - 1);
}

Test(optrx, apd_excess_noise_factor)
{
    /* F = k M + (1 - k)(2 - 1/M): M = 10, k = 0.1 -> 1 + 0.9 x 1.9 = 2.71 */
    cr_assert(lt(dbl, fabs(ls_apd_excess_noise(10.0, 0.1) - 2.71), 1e-15));
    cr_assert(lt(dbl, fabs(ls_apd_excess_noise(10.0, 0.0) - 1.9), 1e-15)); /* 2 - 1/M */
    cr_assert(eq(dbl, ls_apd_excess_noise(10.0, 1.0), 10.0));              /* F = M */
    cr_assert(eq(dbl, ls_apd_excess_noise(1.0, 0.37), 1.0));               /* no gain */
    cr_assert(lt(dbl, fabs(ls_apd_excess_noise(20.0, 0.02) - (0.4 + 0.98 * 1.95)), 1e-14));
    cr_assert(isnan(ls_apd_excess_noise(0.5, 0.1)));
    cr_assert(isnan(ls_apd_excess_noise(10.0, 1.5)));
    cr_assert(isnan(ls_apd_excess_noise(NAN, 0.1)));
}

Test(optrx, shot_noise_mean_and_variance, .timeout = LS_TIMEOUT(30))
{
    const uint64_t seed = ls_test_seed(4242u);
    static const struct {
        double m, k, id, p;
    } cases[] = {
        {1.0, 0.1, 0.0, 1e-3},     {1.0, 0.1, 0.0, 50e-6},  {1.0, 0.1, 20e-9, 0.0},
        {10.0, 0.1, 10e-9, 20e-6}, {5.0, 0.5, 0.0, 100e-6},
    };
    const size_t n = 200000;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        ls_photodiode_config cfg;
        ls_photodiode_config_init(&cfg);
        cfg.apd_gain = cases[c].m;
        cfg.apd_k = cases[c].k;
        cfg.dark_a = cases[c].id;
        cfg.fs_hz = 1e12;
        ls_block b = pd_block(&cfg);
        b.ops->reseed(b.self, seed, c);
        double mean, var;
        pd_stats(&b, cases[c].p, n, &mean, &var);
        const double f = ls_apd_excess_noise(cases[c].m, cases[c].k);
        const double i0 = cfg.responsivity_a_w * cases[c].p + cases[c].id;
        const double want_var = 2.0 * LS_Q_E * cases[c].m * cases[c].m * f * i0 * 0.5e12;
        const double want_mean = cases[c].m * i0;
        cr_assert(
            lt(dbl, fabs(ls_photodiode_noise_var(&cfg, cases[c].p) - want_var), 1e-12 * want_var));
        const double sd_var = want_var * sqrt(2.0 / (double)(n - 1));
        const double sd_mean = sqrt(want_var / (double)n);
        ls_assert_seeded(lt(dbl, fabs(var - want_var), 3.0 * sd_var), seed, "case %zu: variance %g vs %g (sd %g)", c,
                         var, want_var, sd_var);
        ls_assert_seeded(lt(dbl, fabs(mean - want_mean), 3.0 * sd_mean + 1e-7 * want_mean), seed,
                         "case %zu: mean %g vs %g", c, mean, want_mean);
        ls_block_destroy(&b);
    }
}

/* Q of two levels measured from the block vs the closed form, within 3 sigma of the estimate. */
static void check_q(ls_photodiode_config *cfg, double p1, double p0, double q_want, uint64_t seed)
{
    const size_t n = 200000;
    ls_block b = pd_block(cfg);
    double m1, v1, m0, v0;
    b.ops->reseed(b.self, seed, 1);
    pd_stats(&b, p1, n, &m1, &v1);
    b.ops->reseed(b.self, seed, 2);
    pd_stats(&b, p0, n, &m0, &v0);
    const double s1 = sqrt(v1), s0 = sqrt(v0), q = (m1 - m0) / (s1 + s0);
    /* sd(s) = s / sqrt(2n); sd(m1 - m0) = sqrt(v1 + v0) / sqrt(n) */
    const double rel =
        sqrt((v1 + v0) / (2.0 * (double)n)) / (s1 + s0) + sqrt((v1 + v0) / (double)n) / (m1 - m0);
    printf("Q measured %.4f, closed form %.4f (3 sigma = %.4f)\n", q, q_want, 3.0 * rel * q_want);
    ls_assert_seeded(lt(dbl, fabs(q - q_want), 3.0 * rel * q_want), seed, "Q %g vs %g", q, q_want);
    ls_block_destroy(&b);
}

Test(optrx, shot_noise_limited_q, .timeout = LS_TIMEOUT(30))
{
    /* Q = R (P1 - P0) / (sqrt(2 q R P1 B) + sqrt(2 q R P0 B)), B = fs/2 */
    ls_photodiode_config cfg;
    ls_photodiode_config_init(&cfg);
    cfg.fs_hz = 2e12;
    const double r = cfg.responsivity_a_w, b = 1e12, p1 = 2e-6, p0 = 0.2e-6;
    const double q =
        r * (p1 - p0) / (sqrt(2 * LS_Q_E * r * p1 * b) + sqrt(2 * LS_Q_E * r * p0 * b));
    check_q(&cfg, p1, p0, q, ls_test_seed(11u));
}

Test(optrx, rin_limited_q, .timeout = LS_TIMEOUT(30))
{
    /* Q = (P1 - P0) / ((P1 + P0) sqrt(RIN B)), independent of R and of the power */
    ls_photodiode_config cfg;
    ls_photodiode_config_init(&cfg);
    cfg.shot_noise = 0;
    cfg.rin_db_hz = -140.0;
    cfg.fs_hz = 100e9;
    const double rin = 1e-14, b = 50e9, p1 = 1e-3, p0 = 0.25e-3;
    const double q = (p1 - p0) / ((p1 + p0) * sqrt(rin * b));
    check_q(&cfg, p1, p0, q, ls_test_seed(12u));
    cr_assert(lt(dbl, fabs(ls_photodiode_noise_var(&cfg, p1) - pow(0.7 * p1, 2) * rin * b),
                 1e-9 * pow(0.7 * p1, 2) * rin * b));
}

/*
 * Thermal-noise-limited PAM4 sensitivity. Ideal PD (no shot noise, no dark current),
 * responsivity R; TIA input noise i_n over a brick-wall noise bandwidth B_n: sampling white
 * noise at fs = 2 B_n gives exactly variance sigma^2 = i_n^2 B_n per symbol sample. Levels
 * P_low + k OMA/3 (k = 0..3) give currents R P spaced R OMA/3; decision thresholds halfway, so
 * the distance to a threshold is d = R OMA / 6. The inner levels err on two sides, the outer on
 * one: SER = (2 x 1 + 2 x 2)/4 Q(d/sigma) = 1.5 Q(R OMA / (6 sigma)); with Gray coding each
 * adjacent error costs one of two bits, BER = SER / 2 = 0.75 Q(.). For BER 2.4e-4:
 *     OMA = 6 Q^-1(2.4e-4 / 0.75) sigma / R = 3 x 2 x Q i_n sqrt(B_n) / R.
 */
static double pam4_ber(double oma_w, double p_low, const ls_photodiode_config *pc,
                       const ls_tia_config *tc, size_t nsym, uint64_t seed, uint64_t frame)
{
    static float complex x[4096];
    static float y[4096];
    static uint8_t sym[4096];
    static const unsigned gray[4] = {0, 1, 3, 2};
    ls_block pd = pd_block(pc), tia = tia_block(tc);
    pd.ops->reseed(pd.self, seed, frame);
    tia.ops->reseed(tia.self, seed, frame);
    ls_rng rng;
    ls_rng_seed(&rng, seed, 999u, frame);
    const double scale = tc->zt_ohm * pc->responsivity_a_w;
    double thr[3];
    for (int k = 0; k < 3; k++)
        thr[k] = scale * (p_low + (k + 0.5) * oma_w / 3.0);
    uint64_t errors = 0;
    for (size_t done = 0; done < nsym;) {
        const size_t m = LS_MIN((size_t)4096, nsym - done);
        for (size_t i = 0; i < m; i++) {
            sym[i] = (uint8_t)ls_rng_below(&rng, 4);
            x[i] = (float)sqrt(p_low + sym[i] * oma_w / 3.0);
        }
        cr_assert(eq(int, pd.ops->process(pd.self, x, y, m), LS_OK));
        cr_assert(eq(int, tia.ops->process(tia.self, y, y, m), LS_OK));
        for (size_t i = 0; i < m; i++) {
            const unsigned d = (unsigned)(y[i] > thr[0]) + (y[i] > thr[1]) + (y[i] > thr[2]);
            const unsigned e = gray[d] ^ gray[sym[i]];
            errors += (e & 1u) + (e >> 1);
        }
        done += m;
    }
    ls_block_destroy(&pd);
    ls_block_destroy(&tia);
    return (double)errors / (2.0 * (double)nsym);
}

Test(optrx, thermal_limited_pam4_sensitivity, .timeout = LS_TIMEOUT(60))
{
    const uint64_t seed = ls_test_seed(2024u);
    ls_photodiode_config pc;
    ls_photodiode_config_init(&pc);
    pc.shot_noise = 0;
    pc.responsivity_a_w = 0.7;
    ls_tia_config tc;
    ls_tia_config_init(&tc);
    const double bn = 113.4375e9 / 2.0; /* noise bandwidth: Nyquist of 113.4375 GBd */
    tc.noise_pa_rthz = 15.0;
    tc.fs_hz = 2.0 * bn;
    tc.zt_ohm = 1000.0;
    const double target = 2.4e-4;
    const double q = ls_qinv(target / 0.75);
    const double oma_cf = 3.0 * 2.0 * q * 15e-12 * sqrt(bn) / pc.responsivity_a_w;
    const double p_low = 0.5 * oma_cf; /* thermal noise: the offset does not matter */
    static const double delta_db[] = {-0.3, -0.15, 0.0, 0.15, 0.3};
    double lber[5];
    for (int i = 0; i < 5; i++) {
        const double ber = pam4_ber(oma_cf * pow(10.0, delta_db[i] / 10.0), p_low, &pc, &tc,
                                    2000000, seed, (uint64_t)i);
        ls_assert_seeded(gt(dbl, ber, 0.0), seed, "no error at %+g dB", delta_db[i]);
        lber[i] = log(ber);
    }
    /* where the measured log BER crosses the target (linear interpolation in dB) */
    double meas_db = NAN;
    for (int i = 1; i < 5; i++)
        if (lber[i - 1] >= log(target) && lber[i] < log(target))
            meas_db = delta_db[i - 1] + (delta_db[i] - delta_db[i - 1]) *
                                            (lber[i - 1] - log(target)) / (lber[i - 1] - lber[i]);
    printf("PAM4 thermal sensitivity: closed form OMA %.3f dBm (Q %.4f), Monte Carlo %+.4f dB "
           "from it (BER at closed form %.3e)\n",
           10.0 * log10(oma_cf * 1e3), q, meas_db, exp(lber[2]));
    ls_assert_seeded(lt(dbl, fabs(meas_db), 0.3), seed, "sensitivity error %g dB", meas_db);
}

/* One-sided PSD of the TIA output noise (V^2/Hz), Hann-windowed periodogram average. */
Test(optrx, tia_noise_psd_shape, .timeout = LS_TIMEOUT(30))
{
    const uint64_t seed = ls_test_seed(5150u);
    ls_tia_config tc;
    ls_tia_config_init(&tc);
    tc.fs_hz = 1e12;
    tc.noise_fc_hz = 25e9;
    tc.zt_ohm = 1000.0;
    tc.noise_pa_rthz = 20.0;
    ls_block b = tia_block(&tc);
    b.ops->reseed(b.self, seed, 0);
    enum { M = 1024, SEG = 4000 };
    static float x[M], y[M];
    static double psd[M / 2 + 1], win[M];
    double wsum2 = 0.0;
    for (size_t i = 0; i < M; i++) {
        win[i] = 0.5 - 0.5 * cos(2.0 * M_PI * (double)i / M);
        wsum2 += win[i] * win[i];
    }
    lsi_rfft *p = lsi_rfft_create(M, NULL);
    cr_assert(p != NULL);
    for (int s = 0; s < SEG; s++) {
        cr_assert(eq(int, b.ops->process(b.self, x, y, M), LS_OK));
        float *t = lsi_rfft_time(p);
        for (size_t i = 0; i < M; i++)
            t[i] = (float)(win[i] * y[i]);
        lsi_rfft_forward(p);
        const float complex *F = lsi_rfft_freq(p);
        for (size_t k = 0; k <= M / 2; k++)
            psd[k] += 2.0 * (double)(crealf(F[k] * conjf(F[k]))) / (tc.fs_hz * wsum2) / SEG;
    }
    lsi_rfft_destroy(p);
    const double white = pow(tc.zt_ohm * tc.noise_pa_rthz * 1e-12, 2);
    static const double fr[] = {0.0, 0.5, 1.0, 2.0, 4.0}; /* f / f_c; 4 f_c = fs / 10 */
    for (int j = 0; j < 5; j++) {
        const size_t k0 = (size_t)lround(fr[j] * tc.noise_fc_hz / tc.fs_hz * M);
        double meas = 0.0, want = 0.0, gen = 0.0; /* averages over the bins k0 +- 4 */
        int cnt = 0;
        for (long k = (long)k0 - 4; k <= (long)k0 + 4; k++)
            if (k >= 2) { /* the Hann window leaks DC into bins 0..1 */
                const double fk = tc.fs_hz * (double)k / M;
                meas += psd[k] / white;
                want += 1.0 + pow(fk / tc.noise_fc_hz, 2);
                gen += ls_tia_noise_psd_generated(&tc, fk) / pow(tc.noise_pa_rthz * 1e-12, 2);
                cr_assert(lt(dbl,
                             fabs(ls_tia_noise_psd(&tc, fk) / pow(20e-12, 2) -
                                  (1.0 + pow(fk / tc.noise_fc_hz, 2))),
                             1e-12));
                cnt++;
            }
        meas /= cnt;
        want /= cnt;
        gen /= cnt;
        const double f = tc.fs_hz * (double)k0 / M;
        printf("TIA PSD at %.1f GHz: measured %.3f, 1 + (f/fc)^2 = %.3f, generated %.3f\n",
               f * 1e-9, meas, want, gen);
        ls_assert_seeded(lt(dbl, fabs(meas / want - 1.0), 0.10), seed, "f %g: %g vs %g", f, meas, want);
        ls_assert_seeded(lt(dbl, fabs(meas / gen - 1.0), 0.05), seed, "f %g: %g vs %g", f, meas, gen);
    }
    ls_block_destroy(&b);
}

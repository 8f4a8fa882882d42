/* VCSEL (channels/optical/vcsel.c) and multimode fibre (channels/optical/mmf.c) against their closed
   forms; the APD keys of the optical presets against McIntyre's excess noise (docs/optics_tx.md "VCSEL",
   docs/optics_rx.md "Multimode fibre"). */
#include "optx_util.h"

#include "lanesim/cfftfilt.h"
#include "lanesim/config.h"
#include "lanesim/link.h"
#include "lanesim/mmf.h"
#include "lanesim/optrx.h"
#include "lanesim/vcsel.h"

static ls_vcsel_config quiet_vcsel(void)
{
    ls_vcsel_config v;
    ls_vcsel_config_init(&v);
    v.laser = quiet_laser();
    v.alpha = 0.0;
    return v;
}

/* The intensity response of the block to a small sinusoidal drive at f, relative to the DC slope
   ma_per_v * dP/dI at bias: |H(f)| as the block realises it. */
static double measured_h(const ls_vcsel_config *v, double f)
{
    ls_block b;
    cr_assert(eq(int, ls_vcsel_into_block(v, FS, &b), LS_OK));
    const size_t settle = 1 << 14, n = 1 << 16;
    static float x[(1 << 14) + (1 << 16)];
    static float complex y[(1 << 14) + (1 << 16)];
    static double p[1 << 16];
    const double a = 0.01; /* V: 0.05 mA, small against j_b = 5.5 mA */
    for (size_t i = 0; i < settle + n; i++)
        x[i] = (float)(a * sin(2.0 * M_PI * f * (double)i / FS));
    run(&b, x, y, settle + n);
    for (size_t i = 0; i < n; i++)
        p[i] = cpow2(y[settle + i]) * 1e3; /* mW */
    b.ops->destroy(b.self);
    return lockin_amp(p, n, f, FS) / (a * v->ma_per_v * ls_vcsel_slope_at_bias(v));
}

Test(vcsel, small_signal_response_is_the_two_pole_closed_form, .timeout = LS_TIMEOUT(20))
{
    ls_vcsel_config v = quiet_vcsel();
    const double fr = ls_vcsel_fr_hz(&v), f3 = ls_vcsel_f3db_hz(&v);
    /* f_r = D sqrt(I_b - I_th), gamma = K f_r^2 + gamma_0 (GHz, ns) */
    cr_assert(lt(dbl, fabs(fr - 15e9 * sqrt(5.5)), 1e-3));
    cr_assert(lt(dbl, fabs(ls_vcsel_gamma_per_s(&v) - (0.15 * 15 * 15 * 5.5 + 10) * 1e9), 1e-3));
    const double fs[] = { 0.25 * fr, fr, f3, 2.0 * fr };
    for (size_t k = 0; k < 4; k++) {
        double complex h;
        cr_assert(eq(int, ls_vcsel_response(&v, &fs[k], &h, 1), LS_OK));
        const double m = measured_h(&v, fs[k]);
        cr_expect(lt(dbl, fabs(m / cabs(h) - 1.0), 0.02), "f %.2f GHz: measured %.5f, |H| %.5f", fs[k] / 1e9, m,
                  cabs(h));
        if (k == 2) /* the closed-form -3 dB point */
            cr_expect(lt(dbl, fabs(cabs(h) - M_SQRT1_2), 1e-9), "|H(f3dB)| = %.9f", cabs(h));
    }
}

Test(vcsel, static_levels_follow_the_rollover_li_curve, .timeout = LS_TIMEOUT(10))
{
    ls_vcsel_config v = quiet_vcsel();
    ls_block b;
    cr_assert(eq(int, ls_vcsel_into_block(&v, FS, &b), LS_OK));
    const double drive[4] = { -0.6, -0.2, 0.2, 0.6 };
    double p[4];
    cr_assert(eq(int, ls_optx_levels(&b, drive, 4, p), LS_OK));
    /* P(j) = eta (j - j^2 / (2 j_r)) at j = I_bias - I_th + g_m v (the block solves j_b from P0) */
    for (int k = 0; k < 4; k++) {
        const double j = v.ibias_ma - v.ith_ma + v.ma_per_v * drive[k];
        const double want = v.slope_w_per_a * (j - j * j / (2.0 * v.rollover_ma));
        cr_expect(lt(dbl, fabs(p[k] / want - 1.0), 1e-9), "level %d: %.9f mW vs %.9f", k, p[k], want);
    }
    /* the rollover compresses the outer steps: RLM-like ratio of the step sizes */
    cr_expect(lt(dbl, p[3] - p[2], p[1] - p[0]));
    b.ops->destroy(b.self);
    v.ibias_ma = v.ith_ma; /* at threshold: no laser */
    cr_expect(eq(int, ls_vcsel_into_block(&v, FS, &b), LS_EINVAL));
    v = quiet_vcsel();
    v.rollover_ma = 5.0; /* the bias past the L-I peak */
    cr_expect(eq(int, ls_vcsel_into_block(&v, FS, &b), LS_EINVAL));
}

/* |H(f)| / |H(0)| = 1/2 by bisection on the block's response */
static double optical_3db(const ls_mmf_config *m)
{
    double lo = 1e6, hi = 1e13, h0c;
    double complex h0;
    const double z = 0.0;
    cr_assert(eq(int, ls_mmf_response(m, &z, &h0, 1), LS_OK));
    h0c = cabs(h0);
    for (int it = 0; it < 200; it++) {
        const double mid = sqrt(lo * hi);
        double complex h;
        cr_assert(eq(int, ls_mmf_response(m, &mid, &h, 1), LS_OK));
        if (cabs(h) / h0c > 0.5)
            lo = mid;
        else
            hi = mid;
    }
    return sqrt(lo * hi);
}

Test(mmf, optical_3db_bandwidth_is_emb_over_length, .timeout = LS_TIMEOUT(10))
{
    ls_mmf_config m;
    ls_mmf_config_init(&m);
    m.source_rms_nm = 0.0;
    m.n_connectors = 2;
    const double lens[] = { 30, 50, 100, 300 };
    for (size_t k = 0; k < 4; k++) {
        m.length_m = lens[k];
        const double want = 4700e6 / (lens[k] * 1e-3);
        cr_expect(lt(dbl, fabs(optical_3db(&m) / want - 1.0), 1e-6), "%g m: %.6g Hz vs %.6g", lens[k], optical_3db(&m),
                  want);
        double complex h0;
        const double z = 0.0;
        cr_assert(eq(int, ls_mmf_response(&m, &z, &h0, 1), LS_OK));
        const double loss = 3.0 * lens[k] * 1e-3 + 1.5; /* 3 dB/km and two 0.75 dB connections */
        cr_expect(lt(dbl, fabs(-20.0 * log10(cabs(h0)) - loss), 1e-9));
    }
    /* with the source's spectral width: rms widths add, 1/B^2 = 1/B_modal^2 + 1/B_chrom^2, with
       B_chrom = sqrt(ln2/2) / (pi |D| L sigma_lambda) and D = (S0/4)(lambda - lambda0^4/lambda^3) */
    m.length_m = 50.0;
    m.source_rms_nm = 0.3;
    const double d = 0.25 * 0.10 * (850.0 - pow(1316.0, 4) / pow(850.0, 3)); /* -100.9 ps/(nm km) */
    cr_expect(lt(dbl, fabs(ls_mmf_d_ps_nm_km(&m) - d), 1e-9));
    const double sig = fabs(d) * 0.05 * 0.3 * 1e-12, bc = sqrt(0.5 * log(2.0)) / (M_PI * sig), bm = 4700e6 / 0.05;
    const double want = 1.0 / sqrt(1.0 / (bm * bm) + 1.0 / (bc * bc));
    cr_expect(lt(dbl, fabs(optical_3db(&m) / want - 1.0), 1e-6), "%.6g vs %.6g", optical_3db(&m), want);
}

Test(mmf, mode_partition_noise_is_ogawas_closed_form, .timeout = LS_TIMEOUT(10))
{
    ls_mmf_config m;
    ls_mmf_config_init(&m);
    m.length_m = 50.0;
    m.source_rms_nm = 0.3;
    m.mpn_k = 0.3;
    const double baud = 106.25e9, d = fabs(ls_mmf_d_ps_nm_km(&m));
    const double x = M_PI * baud * 0.05 * d * 0.3e-12;
    const double want = 0.3 / sqrt(2.0) * (1.0 - exp(-x * x));
    cr_expect(lt(dbl, fabs(ls_mmf_mpn_sigma(&m, baud) / want - 1.0), 1e-12), "%.9g vs %.9g",
              ls_mmf_mpn_sigma(&m, baud), want);
    /* short fibre: (k / sqrt 2) x^2 (1 - x^2 / 2 + O(x^4)), x = pi B L D sigma: quadratic in L */
    m.length_m = 0.5;
    const double xs = M_PI * baud * 0.5e-3 * d * 0.3e-12;
    cr_expect(lt(dbl, fabs(ls_mmf_mpn_sigma(&m, baud) / (0.3 / sqrt(2.0) * xs * xs * (1.0 - 0.5 * xs * xs)) - 1.0),
                 1e-9));
    /* long fibre: the partition noise saturates at k / sqrt 2 */
    m.length_m = 5000.0;
    cr_expect(lt(dbl, fabs(ls_mmf_mpn_sigma(&m, baud) - 0.3 / sqrt(2.0)), 1e-9));
    m.source_rms_nm = 0.0; /* a single-frequency source has none */
    cr_expect(eq(dbl, ls_mmf_mpn_sigma(&m, baud), 0.0));
}

/* The slicer noise of lpo with shot noise alone, linear equalization, for a gain M and k_A */
static double shot_noise_rms(const char *m, const char *k)
{
    char msg[256], a[64], b[64];
    ls_status st;
    ls_config *c = ls_config_create("lpo", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    snprintf(a, sizeof a, "pd.apd_gain=%s", m);
    snprintf(b, sizeof b, "pd.apd_k=%s", k);
    const char *kv[] = { a, b, "laser.rin=false", "tia.thermal_noise=false", "tx.snr_db=inf", "jitter.rj_ui=0",
                         "jitter.dj_ui=0", "rx.eta0_v2_ghz=0", "adc.enable=false", "driver.noise_v_rthz=0",
                         "ffe.taps=1", "ffe.pre=0", "dfe.taps=0", "ctle.form=none", "laser.power_dbm=-3",
                         "link.length_m=100", NULL };
    for (const char **p = kv; *p; p++)
        cr_assert(eq(int, ls_config_set_assignment(c, *p, msg, sizeof msg), LS_OK), "%s: %s", *p, msg);
    ls_link *l = ls_link_create(c, 4096, msg, sizeof msg, &st);
    cr_assert(l != NULL, "%s", msg);
    const double r = ls_link_get_info(l)->noise_rms_v / ls_link_get_info(l)->h0;
    ls_link_destroy(l);
    ls_config_destroy(c);
    return r;
}

Test(apd, keys_scale_shot_noise_by_the_excess_noise_factor, .timeout = LS_TIMEOUT(30))
{
    /* signal ~ M, shot noise ~ M sqrt(F(M)): noise / cursor grows as sqrt(F), F = k M + (1 - k)(2 - 1/M) */
    const double r1 = shot_noise_rms("1", "0.1"), r10 = shot_noise_rms("10", "0.2");
    const double f = 0.2 * 10 + 0.8 * (2.0 - 0.1);
    cr_expect(lt(dbl, fabs(r10 / r1 - sqrt(f)), 0.01 * sqrt(f)), "ratio %.5f vs sqrt F %.5f", r10 / r1, sqrt(f));
}

Test(vcsel, rejects_each_invalid_field, .timeout = LS_TIMEOUT(10))
{
    ls_block b;
#define REJECT(stmt)                                                                                              \
    do {                                                                                                          \
        ls_vcsel_config v = quiet_vcsel();                                                                        \
        stmt;                                                                                                     \
        cr_expect(eq(int, ls_vcsel_into_block(&v, FS, &b), LS_EINVAL), #stmt);                                   \
        cr_expect(b.ops == NULL && b.self == NULL, #stmt);                                                        \
    } while (0)
    REJECT(v.ith_ma = -0.1);
    REJECT(v.ith_ma = NAN);
    REJECT(v.ibias_ma = v.ith_ma);
    REJECT(v.d_ghz_rtma = 0);
    REJECT(v.d_ghz_rtma = INFINITY);
    REJECT(v.k_ns = -1);
    REJECT((v.k_ns = 0, v.gamma0_per_ns = 0));
    REJECT(v.slope_w_per_a = 0);
    REJECT(v.rollover_ma = 5.5);  /* not above I_bias - I_th */
    REJECT(v.rollover_ma = -1);
    REJECT(v.ma_per_v = 0);
    REJECT(v.alpha = 21);
    REJECT(v.kappa_per_w_s = -1);
    REJECT(v.laser.wavelength_nm = 700);
    REJECT(v.d_ghz_rtma = 800); /* f_r = 1.9 THz above fs / 2 */
#undef REJECT
    ls_vcsel_config v = quiet_vcsel();
    cr_expect(eq(int, ls_vcsel_into_block(NULL, FS, &b), LS_EINVAL));
    cr_expect(eq(int, ls_vcsel_into_block(&v, FS, NULL), LS_EINVAL));
    cr_expect(isnan(ls_vcsel_f3db_hz(NULL)));
}

/* with RIN, rollover and chirp on: ragged chunks equal one call, reset replays, process never allocates */
Test(vcsel, chunked_equals_one_shot_and_reset_replays, .timeout = LS_TIMEOUT(10))
{
    ls_vcsel_config v;
    ls_vcsel_config_init(&v);
    ls_block a, c;
    cr_assert(eq(int, ls_vcsel_into_block(&v, FS, &a), LS_OK));
    cr_assert(eq(int, ls_vcsel_into_block(&v, FS, &c), LS_OK));
    enum { N = 5000 };
    static float x[N];
    static float complex y1[N], y2[N], y3[N];
    for (size_t i = 0; i < N; i++)
        x[i] = (float)(0.6 * sin(0.013 * (double)i) * cos(0.0071 * (double)i));
    a.ops->reseed(a.self, 7, 3);
    c.ops->reseed(c.self, 7, 3);
    const uint64_t n0 = lsi_alloc_count();
    run(&a, x, y1, N);
    static const size_t chunk[] = { 1, 7, 300, 64, 1000 };
    for (size_t i = 0, j = 0; i < N; j++) {
        const size_t m = LS_MIN(chunk[j % 5], N - i);
        run(&c, x + i, y2 + i, m);
        i += m;
    }
    cr_expect(eq(u64, lsi_alloc_count(), n0));
    for (size_t i = 0; i < N; i++)
        cr_assert(crealf(y1[i]) == crealf(y2[i]) && cimagf(y1[i]) == cimagf(y2[i]), "sample %zu", i);
    cr_assert(eq(int, a.ops->reset(a.self), LS_OK));
    run(&a, x, y3, N);
    for (size_t i = 0; i < N; i++)
        cr_assert(crealf(y1[i]) == crealf(y3[i]) && cimagf(y1[i]) == cimagf(y3[i]), "sample %zu", i);
    a.ops->destroy(a.self);
    c.ops->destroy(c.self);
}

Test(mmf, rejects_each_invalid_field, .timeout = LS_TIMEOUT(10))
{
    ls_block b;
#define REJECT(stmt)                                                                                              \
    do {                                                                                                          \
        ls_mmf_config m;                                                                                          \
        ls_mmf_config_init(&m);                                                                                   \
        stmt;                                                                                                     \
        cr_expect(eq(int, ls_mmf_into_block(&m, &b), LS_EINVAL), #stmt);                                         \
        cr_expect(isnan(ls_mmf_bw_hz(&m)), #stmt);                                                                \
    } while (0)
    REJECT(m.length_m = -1);
    REJECT(m.length_m = NAN);
    REJECT(m.emb_mhz_km = 0);
    REJECT(m.wavelength_nm = 700);
    REJECT(m.lambda0_nm = 900);
    REJECT(m.s0_ps_nm2_km = -0.1);
    REJECT(m.atten_db_km = -1);
    REJECT(m.source_rms_nm = -0.1);
    REJECT(m.mpn_k = 1.5);
    REJECT(m.mpi_db = 3);
    REJECT(m.span_bw_hz = 0);
#undef REJECT
    cr_expect(eq(int, ls_mmf_into_block(NULL, &b), LS_EINVAL));
}

/* The link's FIR of the block (fusion's design) reproduces H(f): the span and pre-cursor suffice. */
Test(mmf, fir_realises_the_response, .timeout = LS_TIMEOUT(20))
{
    ls_mmf_config m;
    ls_mmf_config_init(&m);
    m.length_m = 50.0;
    m.n_connectors = 2;
    const double fs = 16 * 106.25e9;
    m.span_bw_hz = 0.5 * fs;
    ls_block b;
    cr_assert(eq(int, ls_mmf_into_block(&m, &b), LS_OK));
    size_t nh, delay;
    cr_assert(eq(int, ls_cfftfilt_design_size(&b, 1, fs, &nh, &delay), LS_OK));
    float complex *h = malloc(nh * sizeof *h);
    cr_assert(h != NULL);
    cr_assert(eq(int, ls_cfftfilt_design(&b, 1, fs, h, nh, delay), LS_OK));
    double worst = 0, h0 = 0;
    for (int k = 0; k <= 64; k++) {
        const double f = 0.9 * 0.5 * fs * k / 64.0;
        double complex want, got = 0;
        cr_assert(eq(int, ls_mmf_response(&m, &f, &want, 1), LS_OK));
        for (size_t i = 0; i < nh; i++)
            got += h[i] * cexp(-2.0 * M_PI * I * f * ((double)i - (double)delay) / fs);
        if (k == 0)
            h0 = cabs(want);
        worst = fmax(worst, cabs(got - want) / h0);
    }
    cr_expect(lt(dbl, worst, 3e-4), "in-band error %.3g of |H(0)|, %zu taps", worst, nh);
    free(h);
    b.ops->destroy(b.self);
}

/* |chain(0)| of the optical segment of dsp-retimed, CTLE off, with extra keys */
static double dc_gain(const char *const *kv)
{
    char msg[256];
    ls_status st;
    ls_config *c = ls_config_create("dsp-retimed", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    const char *base[] = { "run.segment=1", "ctle.form=none", NULL };
    for (const char *const *p = base; *p; p++)
        cr_assert(eq(int, ls_config_set_assignment(c, *p, msg, sizeof msg), LS_OK), "%s: %s", *p, msg);
    for (const char *const *p = kv; p && *p; p++)
        cr_assert(eq(int, ls_config_set_assignment(c, *p, msg, sizeof msg), LS_OK), "%s: %s", *p, msg);
    ls_link *l = ls_link_create(c, 4096, msg, sizeof msg, &st);
    cr_assert(l != NULL, "%s", msg);
    const double f = 0.0;
    double complex h;
    cr_assert(eq(int, ls_link_response(l, &f, 1, &h, NULL, NULL), LS_OK));
    ls_link_destroy(l);
    ls_config_destroy(c);
    return cabs(h);
}

/* MPI keys: at DC the echo multiplies the field by 1 + r e^{j phi}, hence the detected small-signal gain by
   |1 + r e^{j phi}|^2; N reflector pairs add their powers: r = 10^((mpi_db + 10 log10 N) / 20). */
Test(mpi, keys_set_the_echo_level_phase_and_count, .timeout = LS_TIMEOUT(30))
{
    const double g0 = dc_gain(NULL);
    const char *in_phase[] = { "fibre.mpi_db=-20", "fibre.mpi_reflections=4", "fibre.mpi_phase_rad=0", NULL };
    const char *anti[] = { "fibre.mpi_db=-20", "fibre.mpi_reflections=4", NULL }; /* default phase pi */
    const double r = pow(10.0, (-20.0 + 10.0 * log10(4.0)) / 20.0);
    const double a = dc_gain(in_phase) / g0, b = dc_gain(anti) / g0;
    cr_expect(lt(dbl, fabs(a - (1 + r) * (1 + r)), 2e-3 * a), "in phase: %.5f vs %.5f", a, (1 + r) * (1 + r));
    cr_expect(lt(dbl, fabs(b - (1 - r) * (1 - r)), 2e-3 * b), "antiphase: %.5f vs %.5f", b, (1 - r) * (1 - r));
    const char *none[] = { "fibre.mpi_db=-150", NULL }; /* <= -100: none */
    cr_expect(eq(dbl, dc_gain(none), g0));
}

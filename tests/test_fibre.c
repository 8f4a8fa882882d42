/* Tests of the fibre block (channels/optical/fibre.c): the dispersion model against
 * docs/references.md §3.3, loss bookkeeping, the transfer function, and the IM/DD small-signal
 * response through the block (FIR designed by ls_cfftfilt_design, applied by ls_cfftfilt,
 * square-law detection) against the closed forms of the dispersion notch, chirp-free and chirped. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim/cfftfilt.h"
#include "lanesim/filter.h"
#include "lanesim/optrx.h"
#include "lanesim/rng.h"
#include "ls_internal.h"
#include "util.h"

static ls_fibre_config smf1550(double length_m)
{
    ls_fibre_config c;
    ls_fibre_config_init(&c);
    c.wavelength_nm = 1550.0;
    c.dmode = LS_FIBRE_D_FIXED;
    c.d_ps_nm_km = 17.0;
    c.atten_db_km = 0.2;
    c.length_m = length_m;
    return c;
}

Test(fibre, d_model_reproduces_reference_values)
{
    /* docs/references.md §3.3: D(1311 nm) = +1.010 (lambda0 1300) and -1.227 (lambda0 1324)
       ps/(nm km) */
    cr_assert(lt(dbl, fabs(ls_fibre_d_model(1311.0, 1300.0, 0.093) - 1.010), 5e-4));
    cr_assert(lt(dbl, fabs(ls_fibre_d_model(1311.0, 1324.0, 0.093) + 1.227), 5e-4));
    cr_assert(eq(dbl, ls_fibre_d_model(1310.0, 1310.0, 0.093), 0.0));
    cr_assert(isnan(ls_fibre_d_model(NAN, 1310.0, 0.093)));
    cr_assert(isnan(ls_fibre_d_model(0.0, 1310.0, 0.093)));

    /* CD extremes over a band and the lambda0 range: D increases with lambda and decreases
     * with lambda0, so the extremes are at the corners (checked on a grid too). */
    static const struct {
        double len_m, l1, l2, lo, hi;
    } band[] = {
        {500.0, 1304.5, 1317.5, -0.93, 0.80},  /* DR: 500 m */
        {2000.0, 1264.5, 1337.5, -11.9, 6.7},  /* FR4: 2 km CWDM */
        {2000.0, 1304.5, 1317.5, -3.71, 3.19}, /* 2 km, DR band */
        {10000.0, 1304.5, 1317.5, -18.5, 16.0},
    };
    for (size_t b = 0; b < sizeof band / sizeof band[0]; b++) {
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i <= 100; i++)
            for (int j = 0; j <= 24; j++) {
                ls_fibre_config c;
                ls_fibre_config_init(&c);
                c.length_m = band[b].len_m;
                c.wavelength_nm = band[b].l1 + (band[b].l2 - band[b].l1) * i / 100.0;
                c.lambda0_nm = 1300.0 + j;
                const double cd = ls_fibre_cd_ps_nm(&c);
                lo = fmin(lo, cd);
                hi = fmax(hi, cd);
            }
        /* the reference rounds to the digits given */
        const double q = band[b].lo == -0.93 || band[b].lo == -3.71 ? 100.0 : 10.0;
        cr_assert(eq(dbl, round(lo * q) / q, band[b].lo), "band %zu: min %.4f", b, lo);
        cr_assert(eq(dbl, round(hi * q) / q, band[b].hi), "band %zu: max %.4f", b, hi);
    }
}

Test(fibre, beta2_and_fixed_d)
{
    ls_fibre_config c = smf1550(1000.0);
    cr_assert(eq(dbl, ls_fibre_d_ps_nm_km(&c), 17.0));
    /* beta2 = -D lambda^2 / (2 pi c) = -21.68 ps^2/km at 1550 nm, 17 ps/(nm km) */
    const double b2 = ls_fibre_beta2_s2_m(&c) * 1e24 * 1e3;                  /* ps^2/km */
    const double want = -17.0 * 1550.0 * 1550.0 / (2.0 * M_PI * 299792.458); /* c in nm/ps */
    cr_assert(lt(dbl, fabs(b2 - want), 1e-12 * fabs(want)), "beta2 %.6f ps^2/km", b2);
    cr_assert(lt(dbl, fabs(b2 + 21.68), 0.01));
    cr_assert(lt(dbl, fabs(ls_fibre_cd_ps_nm(&c) - 17.0), 1e-12));
}

Test(fibre, loss_bookkeeping_is_exact_in_db)
{
    ls_fibre_config c;
    ls_fibre_config_init(&c);
    c.length_m = 2000.0;
    c.atten_db_km = 0.5;
    c.n_connectors = 2;
    c.connector_db = 0.75;
    c.n_splices = 3;
    c.splice_db = 0.3;
    const double want = 0.5 * 2.0 + 2 * 0.75 + 3 * 0.3; /* 3.4 dB */
    cr_assert(lt(dbl, fabs(ls_fibre_loss_db(&c) - want), 1e-13));
    double f[5] = {0.0, 1e9, -37e9, 100e9, -0.9e12};
    double complex h[5];
    cr_assert(eq(int, ls_fibre_response(&c, f, h, 5), LS_OK));
    for (int i = 0; i < 5; i++)
        cr_assert(lt(dbl, fabs(-20.0 * log10(cabs(h[i])) - want), 1e-12), "f %g: %.15f dB", f[i],
                  -20.0 * log10(cabs(h[i])));
    /* the default: 0.5 dB/km at 1310 nm, nothing else */
    ls_fibre_config_init(&c);
    cr_assert(lt(dbl, fabs(ls_fibre_loss_db(&c) - 0.25), 1e-15));
}

Test(fibre, response_is_the_quadratic_phase)
{
    ls_fibre_config c = smf1550(10000.0);
    c.atten_db_km = 0.0;
    const double b2l = ls_fibre_beta2_s2_m(&c) * c.length_m;
    double f[64];
    double complex h[64];
    for (int i = 0; i < 64; i++)
        f[i] = (i - 32) * 1.37e9;
    cr_assert(eq(int, ls_fibre_response(&c, f, h, 64), LS_OK));
    for (int i = 0; i < 64; i++) {
        const double w = 2.0 * M_PI * f[i];
        const double complex want = cexp(-I * 0.5 * b2l * w * w);
        cr_assert(lt(dbl, cabs(h[i] - want), 1e-12), "f %g", f[i]);
        cr_assert(lt(dbl, cabs(h[i] - h[64 - i < 64 ? 64 - i : 0]), i ? 1e-12 : 10.0)); /* even */
    }
    /* group delay -dphi/dw = beta2 w L: anomalous dispersion (beta2 < 0), higher optical
     * frequencies arrive earlier */
    double f2[2] = {10e9, 10e9 + 1e6};
    double complex h2[2];
    cr_assert(eq(int, ls_fibre_response(&c, f2, h2, 2), LS_OK));
    const double tau = -carg(h2[1] / h2[0]) / (2.0 * M_PI * 1e6);
    cr_assert(lt(dbl, fabs(tau - b2l * 2.0 * M_PI * 10.0005e9), 1e-3 * fabs(tau)));
    cr_assert(lt(dbl, tau, 0.0));
}

Test(fibre, multimode_gaussian_and_mpi)
{
    ls_fibre_config c;
    ls_fibre_config_init(&c);
    c.wavelength_nm = 850.0;
    c.length_m = 100.0;
    c.atten_db_km = 0.0;
    c.dmode = LS_FIBRE_D_FIXED;
    c.d_ps_nm_km = 0.0;
    c.modal_bw_mhz_km = 4700.0;     /* OM4 EMB */
    const double f3 = 4700e6 / 0.1; /* 47 GHz */
    double f[3] = {0.0, f3, -f3};
    double complex h[3];
    cr_assert(eq(int, ls_fibre_response(&c, f, h, 3), LS_OK));
    cr_assert(lt(dbl, fabs(cabs(h[1]) - M_SQRT1_2), 1e-12));
    cr_assert(lt(dbl, cabs(h[1] - h[2]), 1e-15));
    ls_lowpass_config g = {.type = LS_LP_GAUSSIAN, .order = 1, .f3db_hz = f3};
    cr_assert(lt(
        dbl, fabs(ls_fibre_pre_s(&c) - (8.0 / (2.0 * M_PI * c.span_bw_hz) + ls_lowpass_pre_s(&g))),
        1e-20));

    /* MPI: |H| = |1 + r e^{j (phi - w tau)}| ripples between 1 - r and 1 + r with period 1/tau */
    ls_fibre_config_init(&c);
    c.length_m = 0.0;
    c.mpi_db = -30.0;
    c.mpi_delay_s = 1e-9;
    c.mpi_phase_rad = 0.0;
    const double r = pow(10.0, -1.5);
    double fm[3] = {0.0, 0.5e9, 1e9};
    double complex hm[3];
    cr_assert(eq(int, ls_fibre_response(&c, fm, hm, 3), LS_OK));
    cr_assert(lt(dbl, fabs(cabs(hm[0]) - (1.0 + r)), 1e-12));
    cr_assert(lt(dbl, fabs(cabs(hm[1]) - (1.0 - r)), 1e-12));
    cr_assert(lt(dbl, fabs(cabs(hm[2]) - (1.0 + r)), 1e-12));
    /* the echo is within the span; the bulk delay is not */
    cr_assert(ge(dbl, ls_fibre_span_s(&c), 1e-9));
    cr_assert(lt(dbl, ls_fibre_span_s(&c), 1e-9 + 1e-11));
}

Test(fibre, span_covers_the_dispersive_spread)
{
    /* fibre x 4th-order Bessel TX response at 60 GHz, sampled at 3.4 THz with span_bw = 1 THz:
     * less than 1e-8 of the energy outside [-pre, span] (float FFT on a 2^20 grid). */
    static const double len[] = {0.0, 2000.0, 10000.0};
    static const double d[] = {-1.227, 17.0};
    const double fs = 3.4e12;
    const size_t n = (size_t)1 << 20;
    lsi_cfft *p = lsi_cfft_create(n, 0, NULL);
    static double f[(size_t)1 << 20];
    static double complex h1[(size_t)1 << 20], h2[(size_t)1 << 20];
    cr_assert(p != NULL);
    for (size_t k = 0; k < n; k++)
        f[k] = fs * ((k < n / 2) ? (double)k : (double)k - (double)n) / (double)n;
    ls_lowpass_config lp = {.type = LS_LP_BESSEL, .order = 4, .f3db_hz = 60e9};
    cr_assert(eq(int, ls_lowpass_response(&lp, f, h2, n), LS_OK));
    for (size_t a = 0; a < 3; a++)
        for (size_t b = 0; b < 2; b++) {
            ls_fibre_config c = smf1550(len[a]);
            c.d_ps_nm_km = d[b];
            c.wavelength_nm = b ? 1550.0 : 1311.0;
            cr_assert(eq(int, ls_fibre_response(&c, f, h1, n), LS_OK));
            float complex *F = lsi_cfft_freq(p), *t = lsi_cfft_time(p);
            for (size_t k = 0; k < n; k++)
                F[k] = (float complex)(h1[k] * h2[k]);
            lsi_cfft_inverse(p);
            const double span = (ls_fibre_span_s(&c) + ls_lowpass_span_s(&lp)) * fs;
            const double pre = ls_fibre_pre_s(&c) * fs;
            const double td = fabs(ls_fibre_beta2_s2_m(&c)) * c.length_m * 2.0 * M_PI * 1e12;
            cr_assert(
                lt(dbl, fabs(ls_fibre_pre_s(&c) - (1.1 * td + 8.0 / (2.0 * M_PI * 1e12))), 1e-24));
            double tot = 0.0, out = 0.0;
            for (size_t m = 0; m < n; m++) {
                const double e = (double)crealf(t[m] * conjf(t[m]));
                const double mm = m < n / 2 ? (double)m : (double)m - (double)n;
                tot += e;
                if (mm < -ceil(pre) || mm > ceil(span))
                    out += e;
            }
            printf("span: L %g m, D %g: %.2e of the energy outside [-pre, span]\n", len[a], d[b],
                   out / tot);
            cr_assert(lt(dbl, out / tot, 1e-8), "L %g D %g: %.3g of the energy outside", len[a],
                      d[b], out / tot);
        }
    lsi_cfft_destroy(p);
}

/*
 * IM/DD small-signal response through the fibre, measured with a multitone: the field
 *     E(t) = 1 + (1 + j alpha) eps s(t),   s(t) = sum_i cos(2 pi k_i t / W + phi_i),
 * periodic in W samples, with the tone bins k_i = 1 mod 3 so that no second-order product
 * (k_i +- k_j = 0 or 2 mod 3) lands on a tone: the detected |E_out|^2 at each tone bin is then
 * exactly the first-order (small-signal) response, whatever eps. For a quadratic-phase H with
 * loss g, |E|^2 tone / input intensity tone = g^2 (cos theta - alpha sin theta),
 * theta = pi lambda^2 D L f^2 / c (docs/optics_rx.md). The chirp is the small-signal form of
 * E = sqrt(P) exp(j (alpha/2) ln P) (phasor e^{+j w t}).
 */
#define W 65536u
#define FS 256e9
#define KMAX 6400u

typedef struct {
    double f;    /* tone frequency (Hz) */
    double resp; /* measured real response, normalized by g^2 */
    double imag; /* imaginary residue */
} tone_resp;

static size_t measure_imdd(const ls_fibre_config *c, double alpha, tone_resp *out)
{
    static float complex x[2 * W], y[2 * W];
    static double s[W];
    static float complex h[4096];
    ls_block blk;
    cr_assert(eq(int, ls_fibre_into_block(c, &blk), LS_OK));
    size_t n_h, d;
    cr_assert(eq(int, ls_cfftfilt_design_size(&blk, 1, FS, &n_h, &d), LS_OK));
    cr_assert(le(sz, n_h, 4096));
    cr_assert(eq(int, ls_cfftfilt_design(&blk, 1, FS, h, n_h, d), LS_OK));
    ls_block_destroy(&blk);
    ls_cfftfilt_config fc;
    ls_cfftfilt_config_init(&fc);
    fc.h = h;
    fc.n_h = n_h;
    ls_cfftfilt *q = ls_cfftfilt_create(&fc, NULL);
    cr_assert(q != NULL);
    const size_t delay = ls_cfftfilt_latency(q) + d;
    cr_assert(lt(sz, delay + n_h, W));

    /* the multitone, eps = 2e-4 per tone, random phases */
    ls_rng rng;
    ls_rng_seed(&rng, 77u, 1u, 0u);
    const double eps = 2e-4;
    lsi_rfft *ps = lsi_rfft_create(W, NULL);
    cr_assert(ps != NULL);
    float complex *S = lsi_rfft_freq(ps);
    memset(S, 0, (W / 2 + 1) * sizeof *S);
    for (size_t k = 1; k <= KMAX; k += 3) /* c2r: x[m] = 2 Re sum_k S[k] e^{2 pi i k m / W} */
        S[k] = 0.5f * cexpf(2.0f * (float)M_PI * I * (float)ls_rng_uniform(&rng));
    lsi_rfft_inverse(ps);
    for (size_t i = 0; i < W; i++)
        s[i] = lsi_rfft_time(ps)[i];
    lsi_rfft_destroy(ps);
    for (size_t i = 0; i < 2 * W; i++)
        x[i] = (float complex)(1.0 + (1.0 + I * alpha) * eps * s[i % W]);
    cr_assert(eq(int, ls_cfftfilt_process(q, x, y, 2 * W), LS_OK));
    ls_cfftfilt_destroy(q);

    lsi_rfft *p = lsi_rfft_create(W, NULL), *pin = lsi_rfft_create(W, NULL);
    cr_assert(p && pin);
    float *t = lsi_rfft_time(p), *tin = lsi_rfft_time(pin);
    for (size_t i = 0; i < W; i++) {
        const float complex e = y[W + i];
        t[i] = crealf(e) * crealf(e) + cimagf(e) * cimagf(e);
        tin[i] = crealf(x[i]) * crealf(x[i]) + cimagf(x[i]) * cimagf(x[i]);
    }
    lsi_rfft_forward(p);
    lsi_rfft_forward(pin);
    const float complex *Y = lsi_rfft_freq(p), *X = lsi_rfft_freq(pin);
    const double g2 = pow(10.0, -ls_fibre_loss_db(c) / 10.0);
    size_t nt = 0;
    for (size_t k = 1; k <= KMAX; k += 3) {
        /* y[W + i] = filtered x[W + i - delay]: undo the delay's linear phase */
        const double complex r = (double complex)Y[k] / (double complex)X[k] *
                                 cexp(2.0 * M_PI * I * (double)((k * (delay % W)) % W) / W) / g2;
        out[nt++] = (tone_resp){.f = FS * (double)k / W, .resp = creal(r), .imag = cimag(r)};
    }
    lsi_rfft_destroy(p);
    lsi_rfft_destroy(pin);
    return nt;
}

/* First zero crossing of resp (linear interpolation between neighbouring tones). */
static double first_notch(const tone_resp *r, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if ((r[i - 1].resp > 0) != (r[i].resp > 0))
            return r[i - 1].f + (r[i].f - r[i - 1].f) * r[i - 1].resp / (r[i - 1].resp - r[i].resp);
    return NAN;
}

static void check_imdd(double alpha)
{
    static tone_resp r[KMAX];
    const ls_fibre_config c = smf1550(10000.0);
    const double lam = 1550e-9, dsi = 17e-6, len = 10000.0, cc = LS_C0_M_S;
    const size_t n = measure_imdd(&c, alpha, r);
    double worst = 0.0, worst_im = 0.0;
    const double fnull0 = sqrt(cc / (2.0 * lam * lam * dsi * len));
    /* response shape: every tone below 0.9 x the (chirped) notch, relative to the closed form */
    const double theta_notch = M_PI_2 - atan(alpha);
    const double fnotch = fnull0 * sqrt(theta_notch / M_PI_2);
    for (size_t i = 0; i < n; i++) {
        const double th = M_PI * lam * lam * dsi * len * r[i].f * r[i].f / cc;
        const double want = cos(th) - alpha * sin(th);
        const double alt = sqrt(1.0 + alpha * alpha) * cos(th + atan(alpha));
        cr_assert(lt(dbl, fabs(want - alt), 1e-12));
        if (r[i].f < 0.9 * fnotch)
            worst = fmax(worst, fabs(r[i].resp - want) / fabs(want));
        worst_im = fmax(worst_im, fabs(r[i].imag));
    }
    const double meas = first_notch(r, n);
    const double err = meas / fnotch - 1.0;
    printf("alpha %+.1f: notch %.4f GHz (closed form %.4f GHz, error %+.2e); shape error %.2e; "
           "imaginary residue %.2e\n",
           alpha, meas * 1e-9, fnotch * 1e-9, err, worst, worst_im);
    cr_assert(lt(dbl, fabs(err), 0.02), "alpha %g: notch %g vs %g Hz", alpha, meas, fnotch);
    cr_assert(lt(dbl, worst, 0.05), "alpha %g: shape error %g", alpha, worst);
    cr_assert(lt(dbl, worst_im, 0.01), "alpha %g: imaginary part %g", alpha, worst_im);
}

Test(fibre, imdd_notch_chirp_free, .timeout = LS_TIMEOUT(60))
{
    check_imdd(0.0);
}

Test(fibre, imdd_notch_with_chirp, .timeout = LS_TIMEOUT(60))
{
    check_imdd(+1.5); /* positive chirp with D > 0: the notch moves down */
    check_imdd(-1.0); /* negative chirp: up (pre-compensation) */
}

Test(fibre, block_adapter)
{
    ls_fibre_config c;
    ls_fibre_config_init(&c);
    ls_block b;
    cr_assert(eq(int, ls_fibre_into_block(&c, &b), LS_OK));
    cr_assert(eq(int, b.ops->kind, LS_KIND_LTI));
    cr_assert(eq(int, b.ops->in, LS_T_CF32));
    cr_assert(eq(int, b.ops->out, LS_T_CF32));
    cr_assert(eq(str, (char *)b.ops->name, "fibre"));
    cr_assert(b.ops->process == NULL);
    double f = 20e9;
    double complex h1, h2;
    cr_assert(eq(int, b.ops->response(b.self, &f, &h1, 1), LS_OK));
    cr_assert(eq(int, ls_fibre_response(&c, &f, &h2, 1), LS_OK));
    cr_assert(h1 == h2);
    cr_assert(eq(dbl, b.ops->span_s(b.self), ls_fibre_span_s(&c)));
    cr_assert(eq(dbl, b.ops->pre_s(b.self), ls_fibre_pre_s(&c)));
    ls_block_destroy(&b);
    ls_block_destroy(&b);
    ls_block_destroy(NULL);
}

Test(fibre, rejects_bad_configurations)
{
    ls_fibre_config c;
    ls_block b = {0};
    double f = 0.0;
    double complex h;
#define REJECT(field, value)                                                                       \
    do {                                                                                           \
        ls_fibre_config_init(&c);                                                                  \
        c.field = value;                                                                           \
        cr_assert(eq(int, ls_fibre_validate(&c), LS_EINVAL), #field " = " #value);                 \
        cr_assert(eq(int, ls_fibre_into_block(&c, &b), LS_EINVAL), #field " = " #value);           \
        cr_assert(b.ops == NULL && b.self == NULL);                                                \
        cr_assert(eq(int, ls_fibre_response(&c, &f, &h, 1), LS_EINVAL));                           \
        cr_assert(isnan(ls_fibre_span_s(&c)) && isnan(ls_fibre_loss_db(&c)));                      \
    } while (0)
    REJECT(length_m, -1.0);
    REJECT(length_m, NAN);
    REJECT(length_m, INFINITY);
    REJECT(wavelength_nm, 799.0);
    REJECT(wavelength_nm, 1701.0);
    REJECT(wavelength_nm, NAN);
    REJECT(lambda0_nm, NAN);
    REJECT(s0_ps_nm2_km, -0.01);
    REJECT(atten_db_km, -0.1);
    REJECT(atten_db_km, NAN);
    REJECT(connector_db, -0.5);
    REJECT(splice_db, NAN);
    REJECT(n_connectors, 100000u);
    REJECT(modal_bw_mhz_km, -1.0);
    REJECT(mpi_db, 1.0);
    REJECT(mpi_db, NAN);
    REJECT(mpi_db, INFINITY);
    REJECT(mpi_delay_s, -1e-12);
    REJECT(mpi_phase_rad, NAN);
    REJECT(span_bw_hz, 0.0);
    REJECT(span_bw_hz, NAN);
    REJECT(dmode, (ls_fibre_dmode)7);
    ls_fibre_config_init(&c);
    c.dmode = LS_FIBRE_D_FIXED;
    c.d_ps_nm_km = NAN;
    cr_assert(eq(int, ls_fibre_validate(&c), LS_EINVAL));
    c.dmode = LS_FIBRE_D_MODEL; /* d ignored in model mode */
    cr_assert(eq(int, ls_fibre_validate(&c), LS_OK));
    ls_fibre_config_init(&c);
    f = NAN;
    cr_assert(eq(int, ls_fibre_response(&c, &f, &h, 1), LS_EINVAL));
    cr_assert(eq(int, ls_fibre_response(&c, NULL, &h, 1), LS_EINVAL));
    cr_assert(eq(int, ls_fibre_response(&c, NULL, NULL, 0), LS_OK));
    cr_assert(eq(int, ls_fibre_validate(NULL), LS_EINVAL));
    cr_assert(eq(int, ls_fibre_into_block(&c, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_fibre_into_block(NULL, &b), LS_EINVAL));
    ls_fibre_config_init(NULL);
#undef REJECT
}

/* Tests of the "cascade" LTI block (response, impulse-response span) and configuration rejection
 * of the analytic copper channels (include/lanesim/tline.h, docs/channels.md). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "tline_util.h"

static ls_cascade_config link_channel(void)
{
    ls_package_config p;
    ls_package_config_init(&p);
    ls_cascade_config c;
    ls_cascade_config_init(&c);
    cr_assert(eq(int, ls_package_append(&p, LS_PKG_TX, &c), LS_OK));
    ls_tline_config l = preset("twinax26", 1.0);
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_line(&l)), LS_OK));
    cr_assert(eq(int, ls_package_append(&p, LS_PKG_RX, &c), LS_OK));
    return c;
}

Test(tline, block_response_is_sparams_with_the_bulk_delay_removed)
{
    ls_cascade_config c = link_channel();
    ls_block b;
    cr_assert(eq(int, ls_cascade_into_block(&c, &b), LS_OK));
    cr_assert(eq(str, (char *)b.ops->name, "cascade"));
    cr_assert(eq(int, b.ops->kind, LS_KIND_LTI));
    cr_assert(eq(int, b.ops->in, LS_T_F32));
    cr_assert(eq(int, b.ops->out, LS_T_F32));
    cr_assert(b.ops->response && b.ops->span_s && b.ops->pre_s && !b.ops->process);
    const double tau = ls_cascade_delay_s(&b);
    ls_tline_config l = preset("twinax26", 1.0);
    double want_tau = ls_tline_delay_s(&l) + 2.0 * (33.0 + 1.8) * 6.141e-12;
    cr_assert(lt(dbl, fabs(tau - want_tau), 1e-18));
    cr_assert(lt(dbl, fabs(ls_cascade_bulk_delay_s(&c) - tau), 1e-20));
    enum { N = 64 };
    double f[N];
    double complex h[N], s[N];
    for (size_t i = 0; i < N; i++)
        f[i] = ((double)i - 20.0) * 1.71e9;
    cr_assert(eq(int, ls_cascade_sparams(&c, f, N, s, NULL), LS_OK));
    uint64_t n0 = lsi_alloc_count();
    cr_assert(eq(int, b.ops->response(b.self, f, h, N), LS_OK));
    cr_assert(eq(u64, lsi_alloc_count(), n0));
    for (size_t i = 0; i < N; i++) {
        double complex want = s[i] * cexp(I * 2.0 * M_PI * f[i] * tau);
        cr_assert(lt(dbl, cabs(h[i] - want), 1e-13), "f %g", f[i]);
        if (f[i] < 0.0)
            cr_assert(lt(dbl, cabs(h[i] - conj(h[40 - i])), 1e-15)); /* H(-f) = conj H(f) */
    }
    double pre = b.ops->pre_s(b.self), span = b.ops->span_s(b.self);
    cr_assert(eq(dbl, pre, 20e-12));
    cr_assert(gt(dbl, span, 50e-12));
    cr_assert(le(dbl, span, 20e-9));
    cr_log_info("1 m twinax26 + two 802.3dj packages: tau %.4f ns, span %.3f ns", tau * 1e9,
                span * 1e9);
    ls_block_destroy(&b);
    cr_assert(eq(ptr, b.self, NULL));
    ls_block x = {NULL, NULL};
    cr_assert(isnan(ls_cascade_delay_s(&x)));
    cr_assert(isnan(ls_cascade_delay_s(NULL)));
}

/* The span holds the response. Reference: a finer, longer grid (3.125 MHz x 262144, period 320 ns)
 * under a narrower Gaussian window (sigma 68 GHz, time kernel 2.3 ps) than the block's. Below the
 * cap less than 1e-9 of the energy lies after span_s or in [-10 ns, -pre_s) (earlier times hold
 * the wrapped tail). At the cap (skin-effect tails, h ~ t^-1.5) what lies after the span is
 * logged and bounded: k^4 / (8 T^2) for H = e^{-k sqrt(s)} (docs/channels.md). */
static void check_span(const ls_cascade_config *c, const char *what, double after_cap_max)
{
    ls_block b;
    cr_assert(eq(int, ls_cascade_into_block(c, &b), LS_OK));
    const double span = b.ops->span_s(b.self), pre = b.ops->pre_s(b.self);
    const double tau = ls_cascade_delay_s(&b);
    const size_t n = 262144;
    const double df = 3.125e6, dt = 1.0 / ((double)n * df);
    double *h = impulse(c, tau, n, df, 0.5 * (double)n * df / 6.0);
    double e = 0.0, after = 0.0, before = 0.0;
    for (size_t k = 0; k < n; k++) {
        double t = k < n / 2 ? (double)k * dt : ((double)k - (double)n) * dt;
        e += h[k] * h[k];
        if (t > span)
            after += h[k] * h[k];
        if (t < -pre && t >= -10e-9)
            before += h[k] * h[k];
    }
    const int capped = span >= c->span_max_s;
    cr_log_info("%s: span %.3f ns%s, energy after it %.2e, before -pre %.2e", what, span * 1e9,
                capped ? " (cap)" : "", after / e, before / e);
    cr_assert(lt(dbl, before / e, 1e-9), "%s: %g", what, before / e);
    cr_assert(lt(dbl, after / e, capped ? after_cap_max : 1e-9), "%s: %g", what, after / e);
    free(h);
    ls_block_destroy(&b);
}

Test(tline, block_span_holds_the_impulse_response, .timeout = LS_TIMEOUT(60))
{
    ls_tline_config mis = lossless(80.0, 2.0, 0.3); /* reflections only: 80 ohm in 100 ohm */
    ls_cascade_config c = one_line(&mis);
    check_span(&c, "lossless 80 ohm 0.3 m", 0.0);
    ls_tline_config tw = preset("twinax26", 0.25);
    c = one_line(&tw);
    check_span(&c, "twinax26 0.25 m", 1e-9);
    ls_package_config p;
    ls_package_config_init(&p);
    ls_cascade_config_init(&c);
    cr_assert(eq(int, ls_package_append(&p, LS_PKG_TX, &c), LS_OK));
    check_span(&c, "802.3dj package", 1e-9);
    c = link_channel();
    check_span(&c, "package + 1 m twinax26 + package", 1e-6);
    c.span_max_s = 50e-9;
    check_span(&c, "the same, span_max 50 ns", 1e-7);
}

static void expect_line_rejected(ls_tline_config l, const char *what)
{
    cr_assert(eq(int, ls_tline_validate(&l), LS_EINVAL), "%s", what);
    ls_cascade_config c;
    ls_cascade_config_init(&c);
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_line(&l)), LS_EINVAL), "%s", what);
    cr_assert(eq(sz, c.n_seg, 0));
    c.seg[0] = ls_seg_line(&l);
    c.n_seg = 1;
    ls_block b = {(const ls_block_ops *)1, (void *)1};
    cr_assert(eq(int, ls_cascade_into_block(&c, &b), LS_EINVAL), "%s", what);
    cr_assert(eq(ptr, (void *)b.ops, NULL));
    cr_assert(eq(ptr, b.self, NULL));
    double f = 1e9;
    double complex s;
    cr_assert(eq(int, ls_cascade_sparams(&c, &f, 1, &s, NULL), LS_EINVAL), "%s", what);
    cr_assert(isnan(ls_tline_loss_db_per_m(&l, 1e9)), "%s", what);
    cr_assert(isnan(ls_tline_delay_s(&l)), "%s", what);
}

Test(tline, invalid_configurations_are_rejected)
{
    ls_tline_config ok;
    ls_tline_config_init(&ok);
    cr_assert(eq(int, ls_tline_validate(&ok), LS_OK));
    ls_tline_config l;
#define BAD(field, v)                                                                              \
    do {                                                                                           \
        l = ok;                                                                                    \
        l.field = (v);                                                                             \
        expect_line_rejected(l, #field " = " #v);                                                  \
    } while (0)
    BAD(length_m, -0.1);
    BAD(length_m, NAN);
    BAD(length_m, INFINITY);
    BAD(z0_ohm, 0.0);
    BAD(z0_ohm, -100.0);
    BAD(z0_ohm, NAN);
    BAD(eps_r, 0.99);
    BAD(eps_r, NAN);
    BAD(tan_d, -1e-4);
    BAD(tan_d, 0.6);
    BAD(tan_d, NAN);
    BAD(f_ref_hz, 0.0);
    BAD(f_ref_hz, 1e13);
    BAD(awg, 9);
    BAD(awg, 41);
    BAD(prox_factor, 0.5);
    BAD(rs_ohm_rthz, -1e-3);
    BAD(rdc_ohm_m, NAN);
    BAD(diel, (ls_diel_model)7);
    BAD(rough, (ls_rough_model)9);
    BAD(rough_rms_um, -1.0);
    BAD(huray_sr, -0.1);
    l = ok;
    l.rough = LS_ROUGH_HURAY;
    l.huray_a_um = 0.0;
    expect_line_rejected(l, "huray without a radius");
    l = ok; /* eps_inf <= 0: an absurd loss tangent on air */
    l.eps_r = 1.0;
    l.tan_d = 0.5;
    expect_line_rejected(l, "eps_inf <= 0");
#undef BAD
    /* per-frequency calls */
    double complex g;
    cr_assert(eq(int, ls_tline_gamma(&ok, 0.0, &g, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_tline_gamma(&ok, NAN, &g, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_tline_rlgc(&ok, NAN, &g, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_tline_rlgc(NULL, 1e9, &g, NULL), LS_EINVAL));
    /* lumped and COM segments */
    ls_cascade_config c;
    ls_cascade_config_init(&c);
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_series_l(-1e-9)), LS_EINVAL));
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_shunt_c(NAN)), LS_EINVAL));
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_series_r(INFINITY)), LS_EINVAL));
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_line(NULL)), LS_EINVAL));
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_com_line(NULL)), LS_EINVAL));
    ls_com_line com = {92.5, 10.0, 5e-4, 8.9e-4, 2e-4, 0.0};
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_com_line(&com)), LS_EINVAL));
    com.tau_ns_per_mm = 6.141e-3;
    com.zc_ohm = 0.0;
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_com_line(&com)), LS_EINVAL));
    com.zc_ohm = 92.5;
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_com_line(&com)), LS_OK));
    cr_assert(eq(int, ls_cascade_add(NULL, ls_seg_series_r(1.0)), LS_EINVAL));
    /* terminations, segment count */
    ls_cascade_config d = c;
    d.z_src_ohm = 0.0;
    cr_assert(eq(int, ls_cascade_validate(&d), LS_EINVAL));
    d = c;
    d.z_load_ohm = NAN;
    cr_assert(eq(int, ls_cascade_validate(&d), LS_EINVAL));
    d = c;
    d.span_max_s = 1e-6;
    cr_assert(eq(int, ls_cascade_validate(&d), LS_EINVAL));
    d.span_max_s = NAN;
    cr_assert(eq(int, ls_cascade_validate(&d), LS_EINVAL));
    d = c;
    d.n_seg = LS_CASCADE_MAX_SEGS + 1;
    cr_assert(eq(int, ls_cascade_validate(&d), LS_EINVAL));
    d = c;
    d.seg[0].type = (ls_seg_type)0;
    cr_assert(eq(int, ls_cascade_validate(&d), LS_EINVAL));
    for (size_t i = 1; i < LS_CASCADE_MAX_SEGS; i++)
        cr_assert(eq(int, ls_cascade_add(&c, ls_seg_series_r(0.1)), LS_OK));
    cr_assert(eq(int, ls_cascade_add(&c, ls_seg_series_r(0.1)), LS_EINVAL));
    cr_assert(eq(sz, c.n_seg, LS_CASCADE_MAX_SEGS));
    double f = 1e9;
    double complex s;
    cr_assert(eq(int, ls_cascade_sparams(&c, NULL, 1, &s, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_cascade_sparams(&c, &f, 0, NULL, NULL), LS_OK));
    f = NAN;
    cr_assert(eq(int, ls_cascade_sparams(&c, &f, 1, &s, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_cascade_into_block(&c, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_cascade_into_block(NULL, &(ls_block){NULL, NULL}), LS_EINVAL));
    /* package */
    ls_package_config p;
    ls_package_config_init(&p);
    ls_cascade_config e;
    ls_cascade_config_init(&e);
    ls_package_config q = p;
    q.n_die = LS_PACKAGE_MAX_DIE + 1;
    cr_assert(eq(int, ls_package_append(&q, LS_PKG_TX, &e), LS_EINVAL));
    q = p;
    q.c_d_f[1] = -1e-15;
    cr_assert(eq(int, ls_package_append(&q, LS_PKG_TX, &e), LS_EINVAL));
    q = p;
    q.tau_ns_per_mm = NAN;
    cr_assert(eq(int, ls_package_append(&q, LS_PKG_TX, &e), LS_EINVAL));
    cr_assert(eq(int, ls_package_append(&p, (ls_pkg_side)5, &e), LS_EINVAL));
    cr_assert(eq(int, ls_package_append(&p, LS_PKG_TX, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_package_append(NULL, LS_PKG_TX, &e), LS_EINVAL));
    cr_assert(eq(sz, e.n_seg, 0));
    /* the block destroy path is NULL-safe */
    ls_block_destroy(NULL);
}

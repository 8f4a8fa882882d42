/* Tests of the photodiode and TIA blocks (channels/optical/photodiode.c): TIA gain, coupling and
 * limiting, small-signal models, streaming, determinism, allocation, block ops and configuration. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "optrx_util.h"

Test(optrx, tia_gain_coupling_limiting_and_white_variance, .timeout = LS_TIMEOUT(30))
{
    ls_tia_config tc;
    ls_tia_config_init(&tc);
    tc.noise_pa_rthz = 0.0;
    tc.zt_ohm = 500.0;
    tc.power_mw = 120.0;
    ls_block b = tia_block(&tc);
    float x[4] = {0.0f, 1e-4f, -2e-4f, 1e-3f}, y[4];
    cr_assert(eq(int, b.ops->process(b.self, x, y, 4), LS_OK));
    for (int i = 0; i < 4; i++)
        cr_assert(ieee_ulp_eq(flt, y[i], (float)(500.0 * x[i]), 4));
    cr_assert(eq(dbl, b.ops->power_mw(b.self), 120.0));
    cr_assert(eq(dbl, b.ops->noise_var(b.self), 0.0));
    ls_block_destroy(&b);

    tc.ac_coupled = 1;
    tc.i_dc_a = 5e-4;
    tc.vlim_v = 0.2;
    b = tia_block(&tc);
    cr_assert(eq(int, b.ops->process(b.self, x, y, 4), LS_OK));
    for (int i = 0; i < 4; i++) {
        const double want = 0.2 * tanh(500.0 * (x[i] - 5e-4) / 0.2);
        cr_assert(lt(dbl, fabs(y[i] - want), 1e-6), "sample %d: %g vs %g", i, y[i], want);
    }
    ls_block_destroy(&b);

    /* white noise: variance Z_T^2 i_n^2 fs/2 per sample, as noise_var reports */
    ls_tia_config_init(&tc);
    tc.fs_hz = 200e9;
    b = tia_block(&tc);
    const double want = pow(tc.zt_ohm * 15e-12, 2) * 100e9;
    cr_assert(lt(dbl, fabs(b.ops->noise_var(b.self) - want), 1e-12 * want));
    static float z[200000];
    memset(z, 0, sizeof z);
    cr_assert(eq(int, b.ops->process(b.self, z, z, 200000), LS_OK));
    double s2 = 0.0;
    for (size_t i = 0; i < 200000; i++)
        s2 += (double)z[i] * z[i];
    s2 /= 200000.0;
    cr_assert(lt(dbl, fabs(s2 - want), 3.0 * want * sqrt(2.0 / 200000.0)), "%g vs %g", s2, want);
    ls_block_destroy(&b);
}

Test(optrx, linearize_matches_finite_differences)
{
    ls_photodiode_config pc;
    ls_photodiode_config_init(&pc);
    pc.shot_noise = 0;
    pc.apd_gain = 4.0;
    pc.dark_a = 1e-8;
    ls_block pd = pd_block(&pc);
    const double complex x0 = 0.03 - 0.02 * I;
    double complex y0, a, b;
    cr_assert(eq(int, pd.ops->linearize(pd.self, x0, &y0, &a, &b), LS_OK));
    const double mr = 4.0 * 0.7;
    cr_assert(lt(dbl, cabs(y0 - (mr * cabs(x0) * cabs(x0) + 4e-8)), 1e-18));
    cr_assert(lt(dbl, cabs(a - mr * conj(x0)), 1e-15));
    cr_assert(lt(dbl, cabs(b - mr * x0), 1e-15));
    static const double complex dirs[] = {1.0, I, 0.6 - 0.8 * I};
    for (int k = 0; k < 3; k++) {
        const double h = 1e-4 * cabs(x0);
        const double complex dx = h * dirs[k];
        float complex xs[2] = {(float complex)(x0 + dx), (float complex)(x0 - dx)};
        float ys[2];
        cr_assert(eq(int, pd.ops->process(pd.self, xs, ys, 2), LS_OK));
        const double fd = ((double)ys[0] - (double)ys[1]) / 2.0;
        const double lin = creal(a * dx + b * conj(dx));
        cr_assert(lt(dbl, fabs(fd - lin), 2e-2 * fabs(lin)), "dir %d: %g vs %g", k, fd, lin);
    }
    ls_block_destroy(&pd);

    ls_tia_config tc;
    ls_tia_config_init(&tc);
    tc.noise_pa_rthz = 0.0;
    tc.vlim_v = 0.25;
    tc.ac_coupled = 1;
    tc.i_dc_a = 1e-4;
    ls_block tia = tia_block(&tc);
    static const double xs0[] = {0.0, 1e-4, 2e-4, -1e-4};
    for (int k = 0; k < 4; k++) {
        cr_assert(eq(int, tia.ops->linearize(tia.self, xs0[k], &y0, &a, &b), LS_OK));
        const double h = 1e-6;
        float xin[3] = {(float)xs0[k], (float)(xs0[k] + h), (float)(xs0[k] - h)}, yo[3];
        cr_assert(eq(int, tia.ops->process(tia.self, xin, yo, 3), LS_OK));
        cr_assert(lt(dbl, fabs(creal(y0) - yo[0]), 1e-6));
        const double fd = ((double)yo[1] - (double)yo[2]) / (2.0 * h);
        cr_assert(lt(dbl, fabs(fd - creal(a)), 2e-2 * creal(a)), "x0 %g: %g vs %g", xs0[k], fd,
                  creal(a));
        cr_assert(eq(dbl, cabs(b), 0.0));
    }
    ls_block_destroy(&tia);
}

/* Runs a block over x with the chunk sequence chunk[0..nc) cycled. */
static void run_chunked(ls_block *b, const void *x, void *y, size_t n, size_t in_sz, size_t out_sz,
                        const size_t *chunk, size_t nc)
{
    for (size_t i = 0, j = 0; i < n; j++) {
        const size_t m = LS_MIN(chunk[j % nc], n - i);
        cr_assert(eq(
            int, b->ops->process(b->self, (const char *)x + i * in_sz, (char *)y + i * out_sz, m),
            LS_OK));
        i += m;
    }
}

#define NS 20000

static void pd_tia_configs(ls_photodiode_config *pc, ls_tia_config *tc)
{
    ls_photodiode_config_init(pc);
    pc->apd_gain = 3.0;
    pc->rin_db_hz = -145.0;
    pc->dark_a = 5e-9;
    ls_tia_config_init(tc);
    tc->noise_fc_hz = 30e9;
    tc->vlim_v = 0.3;
}

Test(optrx, chunked_equals_one_shot_and_in_place)
{
    static float complex x[NS], xc[NS];
    static float y1[NS], y2[NS], t1[NS], t2[NS];
    fill_uniform((float *)x, 2 * NS, 17u);
    for (size_t i = 0; i < NS; i++)
        x[i] *= 0.03f; /* about 1 mW */
    ls_photodiode_config pc;
    ls_tia_config tc;
    pd_tia_configs(&pc, &tc);
    static const size_t chunks[3] = {1, 7, 4096};
    static const size_t ragged[] = {1, 7, 4096, 0, 13, 999};
    ls_block pd = pd_block(&pc), tia = tia_block(&tc);
    pd.ops->reseed(pd.self, 5, 9);
    tia.ops->reseed(tia.self, 5, 9);
    cr_assert(eq(int, pd.ops->process(pd.self, x, y1, NS), LS_OK));
    cr_assert(eq(int, tia.ops->process(tia.self, y1, t1, NS), LS_OK));
    for (int c = 0; c < 4; c++) {
        pd.ops->reseed(pd.self, 5, 9);
        tia.ops->reseed(tia.self, 5, 9);
        const size_t *ch = c < 3 ? &chunks[c] : ragged;
        const size_t nc = c < 3 ? 1 : sizeof ragged / sizeof ragged[0];
        run_chunked(&pd, x, y2, NS, sizeof *x, sizeof *y2, ch, nc);
        cr_assert(eq(int, memcmp(y1, y2, sizeof y2), 0), "photodiode, chunking %d", c);
        run_chunked(&tia, y2, t2, NS, sizeof *y2, sizeof *t2, ch, nc);
        cr_assert(eq(int, memcmp(t1, t2, sizeof t2), 0), "tia, chunking %d", c);
    }
    /* in place: the photodiode writes floats over its complex input */
    pd.ops->reseed(pd.self, 5, 9);
    memcpy(xc, x, sizeof xc);
    cr_assert(eq(int, pd.ops->process(pd.self, xc, xc, NS), LS_OK));
    cr_assert(eq(int, memcmp(xc, y1, sizeof y1), 0));
    tia.ops->reseed(tia.self, 5, 9);
    memcpy(y2, y1, sizeof y2);
    cr_assert(eq(int, tia.ops->process(tia.self, y2, y2, NS), LS_OK));
    cr_assert(eq(int, memcmp(t1, y2, sizeof y2), 0));
    ls_block_destroy(&pd);
    ls_block_destroy(&tia);
}

Test(optrx, deterministic_per_seed_and_frame_and_reset)
{
    static float complex x[NS];
    static float a[NS], b[NS], c[NS];
    fill_uniform((float *)x, 2 * NS, 3u);
    ls_photodiode_config pc;
    ls_tia_config tc;
    pd_tia_configs(&pc, &tc);
    ls_block pd = pd_block(&pc), pd2 = pd_block(&pc), tia = tia_block(&tc), tia2 = tia_block(&tc);
    pd.ops->reseed(pd.self, 123, 4);
    pd2.ops->reseed(pd2.self, 123, 4);
    cr_assert(eq(int, pd.ops->process(pd.self, x, a, NS), LS_OK));
    cr_assert(eq(int, pd2.ops->process(pd2.self, x, b, NS), LS_OK));
    cr_assert(eq(int, memcmp(a, b, sizeof a), 0));
    cr_assert(eq(int, pd.ops->reset(pd.self), LS_OK)); /* back to (123, 4) */
    cr_assert(eq(int, pd.ops->process(pd.self, x, c, NS), LS_OK));
    cr_assert(eq(int, memcmp(a, c, sizeof a), 0));
    pd2.ops->reseed(pd2.self, 123, 5);
    cr_assert(eq(int, pd2.ops->process(pd2.self, x, b, NS), LS_OK));
    cr_assert(memcmp(a, b, sizeof a) != 0);

    tia.ops->reseed(tia.self, 77, 1);
    tia2.ops->reseed(tia2.self, 77, 1);
    memset(c, 0, sizeof c);
    cr_assert(eq(int, tia.ops->process(tia.self, c, a, NS), LS_OK));
    cr_assert(eq(int, tia2.ops->process(tia2.self, c, b, NS), LS_OK));
    cr_assert(eq(int, memcmp(a, b, sizeof a), 0));
    cr_assert(eq(int, tia2.ops->reset(tia2.self), LS_OK));
    cr_assert(eq(int, tia2.ops->process(tia2.self, c, b, NS), LS_OK));
    cr_assert(eq(int, memcmp(a, b, sizeof a), 0));
    tia2.ops->reseed(tia2.self, 78, 1);
    cr_assert(eq(int, tia2.ops->process(tia2.self, c, b, NS), LS_OK));
    cr_assert(memcmp(a, b, sizeof a) != 0);
    ls_block_destroy(&pd);
    ls_block_destroy(&pd2);
    ls_block_destroy(&tia);
    ls_block_destroy(&tia2);
}

Test(optrx, process_never_allocates)
{
    static float complex x[NS];
    static float y[NS];
    fill_uniform((float *)x, 2 * NS, 8u);
    ls_photodiode_config pc;
    ls_tia_config tc;
    pd_tia_configs(&pc, &tc);
    ls_block pd = pd_block(&pc), tia = tia_block(&tc);
    const uint64_t before = lsi_alloc_count();
    cr_assert(eq(int, pd.ops->process(pd.self, x, y, NS), LS_OK));
    cr_assert(eq(int, tia.ops->process(tia.self, y, y, NS), LS_OK));
    cr_assert(eq(int, pd.ops->reset(pd.self), LS_OK));
    cr_assert(eq(int, tia.ops->reset(tia.self), LS_OK));
    pd.ops->reseed(pd.self, 1, 2);
    tia.ops->reseed(tia.self, 1, 2);
    cr_assert(eq(u64, lsi_alloc_count(), before));
    ls_block_destroy(&pd);
    ls_block_destroy(&tia);
}

Test(optrx, block_ops_and_noise_var)
{
    ls_photodiode_config pc;
    ls_photodiode_config_init(&pc);
    pc.p_op_w = 0.5e-3;
    ls_block pd = pd_block(&pc);
    cr_assert(eq(str, (char *)pd.ops->name, "photodiode"));
    cr_assert(eq(int, pd.ops->kind, LS_KIND_STATEFUL));
    cr_assert(eq(int, pd.ops->in, LS_T_CF32));
    cr_assert(eq(int, pd.ops->out, LS_T_F32));
    const double want = 2.0 * LS_Q_E * 0.7 * 0.5e-3 * pc.fs_hz / 2.0;
    cr_assert(lt(dbl, fabs(pd.ops->noise_var(pd.self) - want), 1e-12 * want));
    ls_block_destroy(&pd);

    ls_tia_config tc;
    ls_tia_config_init(&tc);
    ls_block tia = tia_block(&tc), bw;
    cr_assert(eq(str, (char *)tia.ops->name, "tia"));
    cr_assert(eq(int, tia.ops->in, LS_T_F32));
    cr_assert(eq(int, tia.ops->out, LS_T_F32));
    cr_assert(eq(int, ls_tia_bw_into_block(&tc, &bw), LS_OK));
    cr_assert(eq(int, bw.ops->kind, LS_KIND_LTI));
    double f = tc.bw.f3db_hz;
    double complex h;
    cr_assert(eq(int, bw.ops->response(bw.self, &f, &h, 1), LS_OK));
    cr_assert(lt(dbl, fabs(cabs(h) - M_SQRT1_2), 1e-12));
    ls_block_destroy(&bw);
    ls_block_destroy(&tia);
}

Test(optrx, rejects_bad_configurations)
{
    ls_block b = {0};
#define PD_REJECT(field, value)                                                                    \
    do {                                                                                           \
        ls_photodiode_config c;                                                                    \
        ls_photodiode_config_init(&c);                                                             \
        c.field = value;                                                                           \
        cr_assert(eq(int, ls_photodiode_into_block(&c, &b), LS_EINVAL), #field " = " #value);      \
        cr_assert(b.ops == NULL && b.self == NULL);                                                \
        cr_assert(isnan(ls_photodiode_noise_var(&c, 1e-3)));                                       \
    } while (0)
    PD_REJECT(responsivity_a_w, 0.0);
    PD_REJECT(responsivity_a_w, -0.5);
    PD_REJECT(responsivity_a_w, NAN);
    PD_REJECT(responsivity_a_w, 3.0);
    PD_REJECT(dark_a, -1e-9);
    PD_REJECT(dark_a, NAN);
    PD_REJECT(rin_db_hz, NAN);
    PD_REJECT(rin_db_hz, INFINITY);
    PD_REJECT(rin_db_hz, -20.0);
    PD_REJECT(apd_gain, 0.9);
    PD_REJECT(apd_gain, NAN);
    PD_REJECT(apd_k, 1.1);
    PD_REJECT(fs_hz, 0.0);
    PD_REJECT(fs_hz, NAN);
    PD_REJECT(p_op_w, -1e-3);
#define TIA_REJECT(field, value)                                                                   \
    do {                                                                                           \
        ls_tia_config c;                                                                           \
        ls_tia_config_init(&c);                                                                    \
        c.field = value;                                                                           \
        cr_assert(eq(int, ls_tia_into_block(&c, &b), LS_EINVAL), #field " = " #value);             \
        cr_assert(b.ops == NULL && b.self == NULL);                                                \
        cr_assert(eq(int, ls_tia_bw_into_block(&c, &b), LS_EINVAL), #field " = " #value);          \
        cr_assert(isnan(ls_tia_noise_psd(&c, 1e9)));                                               \
    } while (0)
    TIA_REJECT(zt_ohm, 0.0);
    TIA_REJECT(zt_ohm, NAN);
    TIA_REJECT(noise_pa_rthz, -1.0);
    TIA_REJECT(noise_pa_rthz, NAN);
    TIA_REJECT(noise_fc_hz, -1.0);
    TIA_REJECT(fs_hz, 0.0);
    TIA_REJECT(vlim_v, -0.1);
    TIA_REJECT(i_dc_a, NAN);
    TIA_REJECT(power_mw, -1.0);
    TIA_REJECT(bw.f3db_hz, 0.0);
    TIA_REJECT(bw.f3db_hz, -1e9);
    TIA_REJECT(bw.f3db_hz, NAN);
    TIA_REJECT(bw.order, 0u);
    cr_assert(eq(int, ls_photodiode_into_block(NULL, &b), LS_EINVAL));
    cr_assert(eq(int, ls_tia_into_block(NULL, &b), LS_EINVAL));
    ls_photodiode_config pc;
    ls_photodiode_config_init(&pc);
    cr_assert(eq(int, ls_photodiode_into_block(&pc, NULL), LS_EINVAL));
    cr_assert(isnan(ls_photodiode_noise_var(&pc, -1.0)));
    ls_photodiode_config_init(NULL);
    ls_tia_config_init(NULL);
#undef PD_REJECT
#undef TIA_REJECT
}

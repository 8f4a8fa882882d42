/* Eye histogram: configuration, binning, clamping, streaming, merge and reset. Known answers for
 * height and width: test_eye_known.c. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "eye_util.h"

static void assert_same_histogram(const ls_eye *a, const ls_eye *b)
{
    unsigned ca, ra, cb, rb;
    const uint64_t *ha = ls_eye_histogram(a, &ca, &ra), *hb = ls_eye_histogram(b, &cb, &rb);
    cr_assert(ca == cb && ra == rb);
    for (size_t k = 0; k < (size_t)ca * ra; k++)
        cr_assert(eq(u64, ha[k], hb[k]), "count %zu (col %zu row %zu)", k, k / ra, k % ra);
}

static void assert_same_metrics(const ls_eye_metrics *a, const ls_eye_metrics *b)
{
    cr_assert(eq(u32, a->n_eyes, b->n_eyes));
    cr_assert(eq(u64, a->samples, b->samples));
    for (unsigned i = 0; i < a->n_eyes; i++) {
        cr_assert(eq(dbl, a->eye[i].height_v, b->eye[i].height_v), "eye %u", i);
        cr_assert(eq(dbl, a->eye[i].width_ui, b->eye[i].width_ui), "eye %u", i);
        cr_assert(eq(dbl, a->eye[i].center_v, b->eye[i].center_v), "eye %u", i);
    }
}

Test(eye, config_init_is_valid_pam4)
{
    ls_eye_config cfg;
    ls_eye_config_init(&cfg);
    cr_assert(eq(u32, cfg.sps, 32u));
    cr_assert(eq(u32, cfg.n_bins, 256u));
    cr_assert(eq(u32, cfg.levels, 4u));
    cr_assert(eq(dbl, cfg.target_ber, 2.4e-4));
    cr_assert(cfg.thresholds[0] < cfg.thresholds[1] && cfg.thresholds[1] < cfg.thresholds[2]);
    ls_eye *q = make_eye(&cfg);
    unsigned cols = 0, rows = 0;
    cr_assert(ls_eye_histogram(q, &cols, &rows) != NULL);
    cr_assert(eq(u32, cols, 64u));
    cr_assert(eq(u32, rows, 256u));
    ls_eye_destroy(q);
    ls_eye_config_init(NULL);
}

Test(eye, config_rejection)
{
    ls_eye_config base = pam_config(4, 8, 64, -4.0, 4.0);
    ls_eye *ok = make_eye(&base);
    ls_eye_destroy(ok);

    ls_eye_config bad[24];
    size_t nb = 0;
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        bad[k] = base;
    bad[nb++].sps = 0;
    bad[nb++].sps = 129;
    bad[nb++].n_bins = 8;
    bad[nb++].n_bins = 15;
    bad[nb++].n_bins = 4097;
    bad[nb].v_min = 4.0, nb++;                       /* v_min == v_max */
    bad[nb].v_min = 5.0, bad[nb].v_max = -5.0, nb++; /* reversed */
    bad[nb++].v_min = NAN;
    bad[nb++].v_max = INFINITY;
    bad[nb++].levels = 1;
    bad[nb++].levels = 9;
    bad[nb].thresholds[1] = bad[nb].thresholds[0], nb++; /* not increasing */
    bad[nb].thresholds[2] = -1.0, nb++;                  /* decreasing */
    bad[nb++].thresholds[0] = -4.0;                      /* on v_min */
    bad[nb++].thresholds[2] = 4.0;                       /* on v_max */
    bad[nb++].thresholds[2] = 9.0;                       /* outside */
    bad[nb++].thresholds[1] = NAN;
    bad[nb++].target_ber = 0.0;
    bad[nb++].target_ber = 0.125; /* p = 2 log2(4) BER = 0.5 */
    bad[nb++].target_ber = NAN;
    for (size_t k = 0; k < nb; k++) {
        ls_status st = LS_OK;
        ls_eye *q = ls_eye_create(&bad[k], &st);
        cr_assert(q == NULL, "bad config %zu accepted", k);
        cr_assert(eq(int, st, LS_EINVAL), "bad config %zu", k);
    }
    ls_status st = LS_OK;
    cr_assert(ls_eye_create(NULL, &st) == NULL);
    cr_assert(eq(int, st, LS_EINVAL));
    cr_assert(ls_eye_create(&bad[0], NULL) == NULL);
    ls_eye_destroy(NULL);
}

Test(eye, thresholds_beyond_levels_are_ignored)
{
    ls_eye_config cfg = pam_config(2, 4, 16, -2.0, 2.0);
    cfg.thresholds[1] = -100.0; /* unused with 2 levels */
    cfg.thresholds[2] = NAN;
    ls_eye *q = make_eye(&cfg);
    ls_eye_destroy(q);
}

Test(eye, add_rejects_bad_arguments)
{
    ls_eye_config cfg = pam_config(2, 4, 16, -2.0, 2.0);
    ls_eye *q = make_eye(&cfg);
    float x[3] = {0.5f, 0.5f, 0.5f};
    cr_assert(eq(int, ls_eye_add(q, x, 3, 8), LS_EINVAL));
    cr_assert(eq(int, ls_eye_add(q, NULL, 3, 0), LS_EINVAL));
    cr_assert(eq(int, ls_eye_add(NULL, x, 3, 0), LS_EINVAL));
    cr_assert(eq(int, ls_eye_add(q, NULL, 0, 0), LS_OK));
    cr_assert(eq(int, ls_eye_add(q, x, 0, 7), LS_OK));
    unsigned cols, rows;
    const uint64_t *h = ls_eye_histogram(q, &cols, &rows);
    for (size_t k = 0; k < (size_t)cols * rows; k++)
        cr_assert(eq(u64, h[k], 0));
    ls_eye_metrics m;
    cr_assert(eq(int, ls_eye_measure(q, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_eye_measure(NULL, &m), LS_EINVAL));
    cr_assert(eq(int, ls_eye_reset(NULL), LS_EINVAL));
    cr_assert(eq(int, ls_eye_merge(q, NULL), LS_EINVAL));
    cr_assert(eq(int, ls_eye_merge(NULL, q), LS_EINVAL));
    cr_assert(ls_eye_histogram(NULL, &cols, &rows) == NULL);
    cr_assert(eq(u32, cols, 0u));
    cr_assert(eq(u32, rows, 0u));
    cr_assert(isnan(ls_eye_bin_voltage(NULL, 0)));
    ls_eye_destroy(q);
}

Test(eye, bins_columns_and_clamping)
{
    ls_eye_config cfg = pam_config(2, 1, 16, -1.0, 1.0); /* bw = 0.125, 2 columns */
    ls_eye *q = make_eye(&cfg);
    cr_assert(ieee_ulp_eq(dbl, ls_eye_bin_voltage(q, 0), -0.9375, 4));
    cr_assert(ieee_ulp_eq(dbl, ls_eye_bin_voltage(q, 15), 0.9375, 4));
    cr_assert(ieee_ulp_eq(dbl, ls_eye_bin_voltage(q, 8), 0.0625, 4));
    cr_assert(isnan(ls_eye_bin_voltage(q, 16)));
    /* column 0: clamped low (-5, -inf, NaN) and bottom-bin values; column 1: clamped high */
    const float x[] = {-5.0f, 0.3f,     -INFINITY, 7.0f,   NAN,  1.0f,
                       -1.0f, INFINITY, -0.99f,    0.999f, 0.0f, -0.0001f};
    cr_assert(eq(int, ls_eye_add(q, x, sizeof x / sizeof x[0], 0), LS_OK));
    unsigned cols, rows;
    const uint64_t *h = ls_eye_histogram(q, &cols, &rows);
    cr_assert(eq(u32, cols, 2u));
    cr_assert(eq(u32, rows, 16u));
    cr_assert(eq(u64, h[0 * 16 + 0], 5));  /* -5, -inf, NaN, -1.0, -0.99 */
    cr_assert(eq(u64, h[1 * 16 + 15], 4)); /* 7, 1.0, inf, 0.999 */
    cr_assert(eq(u64, h[1 * 16 + 10], 1)); /* 0.3 in [0.25, 0.375) */
    cr_assert(eq(u64, h[0 * 16 + 8], 1));  /* 0.0 in [0, 0.125) */
    cr_assert(eq(u64, h[1 * 16 + 7], 1));  /* -0.0001 in [-0.125, 0) */
    uint64_t total = 0;
    for (size_t k = 0; k < 32; k++)
        total += h[k];
    cr_assert(eq(u64, total, 12));
    ls_eye_metrics m;
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    cr_assert(eq(u64, m.samples, 12));
    ls_eye_destroy(q);
}

/* One labelled symbol per call at sps 1 (bw = 0.125, threshold 0 on a bin edge). */
static void add_one(ls_eye *q, float v, uint8_t level, uint64_t k)
{
    cr_assert(eq(int, ls_eye_add_rows(q, &v, &level, 1, k), LS_OK));
}

Test(eye, hand_computed_edges_with_interpolation)
{
    ls_eye_config cfg = pam_config(2, 1, 16, -1.0, 1.0);
    cfg.target_ber = 1e-15; /* p = 2e-15: the extremes */
    ls_eye *q = make_eye(&cfg);
    add_one(q, 0.3f, 1, 0), add_one(q, 0.5f, 1, 1), add_one(q, -0.2f, 0, 2), add_one(q, -0.6f, 0, 3);
    ls_eye_metrics m;
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    cr_assert(eq(u32, m.n_eyes, 1u));
    /* two samples a level: read directly. U = 0.25 (bottom of 0.3's bin), L = -0.125 (top of -0.2's) */
    cr_assert(fabs(m.eye[0].height_v - 0.375) < 1e-12, "%.15g", m.eye[0].height_v);
    cr_assert(fabs(m.eye[0].center_v - 0.0625) < 1e-12);
    /* means of bin centres: (0.3125 + 0.5625)/2, (-0.1875 - 0.5625)/2 */
    cr_assert(ieee_ulp_eq(dbl, m.eye[0].level_hi_v, 0.4375, 4));
    cr_assert(ieee_ulp_eq(dbl, m.eye[0].level_lo_v, -0.375, 4));
    cr_assert(eq(dbl, m.eye[0].width_ui, 1.0)); /* one phase, open: half a UI each side */
    ls_eye_destroy(q);

    /* BER 0.0625: p = 2 log2(2) BER = 0.125 of a 2-sample level, a quarter of the first bin */
    cfg.target_ber = 0.0625;
    q = make_eye(&cfg);
    add_one(q, 0.3f, 1, 0), add_one(q, 0.5f, 1, 1), add_one(q, -0.2f, 0, 2), add_one(q, -0.6f, 0, 3);
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    cr_assert(eq(dbl, m.probability, 0.125));
    cr_assert(fabs(m.eye[0].height_v - (0.375 + 2 * 0.25 * 0.125)) < 1e-12, "%.15g", m.eye[0].height_v);
    ls_eye_destroy(q);
}

Test(eye, overlapping_levels_read_closed)
{
    /* level 1 reaches below level 0's top: U - L < 0, height 0, width 0 */
    ls_eye_config cfg = pam_config(2, 1, 16, -1.0, 1.0);
    cfg.target_ber = 1e-15;
    ls_eye *q = make_eye(&cfg);
    add_one(q, -0.3f, 1, 0), add_one(q, 0.6f, 1, 1), add_one(q, 0.2f, 0, 2), add_one(q, -0.6f, 0, 3);
    ls_eye_metrics m;
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    cr_assert(eq(dbl, m.eye[0].height_v, 0.0));
    cr_assert(eq(dbl, m.eye[0].width_ui, 0.0));
    cr_assert(fabs(m.eye[0].center_v - 0.0) < 0.2);
    ls_eye_destroy(q);
}

Test(eye, stream_samples_are_filed_by_region)
{
    ls_eye_config cfg = pam_config(2, 1, 16, -1.0, 1.0); /* threshold 0 = bottom of row 8 */
    ls_eye *q = make_eye(&cfg);
    const float s[] = {0.0f, -0.5f};
    cr_assert(eq(int, ls_eye_add(q, s, 1, 1), LS_OK));
    cr_assert(eq(int, ls_eye_add(q, s + 1, 1, 1), LS_OK));
    const uint64_t *h0 = ls_eye_level_histogram(q, 0), *h1 = ls_eye_level_histogram(q, 1);
    cr_assert(eq(u64, h1[1 * 16 + 8], 1)); /* the 0 V sample is upper */
    cr_assert(eq(u64, h0[1 * 16 + 4], 1));
    cr_assert(ls_eye_level_histogram(q, 2) == NULL && ls_eye_level_histogram(NULL, 0) == NULL);
    ls_eye_destroy(q);
}

Test(eye, rows_land_around_the_decision_columns)
{
    ls_eye_config cfg = pam_config(2, 4, 16, -2.0, 2.0); /* 8 columns, h = 2, bw 0.25 */
    ls_eye *q = make_eye(&cfg);
    const float x[8] = {-1.9f, -0.9f, 0.1f, 1.1f, -1.9f, -0.9f, 0.1f, 1.1f};
    const uint8_t lv[2] = {1, 0};
    cr_assert(eq(int, ls_eye_add_rows(q, x, lv, 2, 6), LS_OK)); /* symbols 6 (even) and 7 (odd) */
    const uint64_t *a = ls_eye_level_histogram(q, 1), *b = ls_eye_level_histogram(q, 0);
    /* even: columns 2, 3, 4, 5; odd: 6, 7, 0, 1 */
    cr_assert(a[2 * 16 + 0] == 1 && a[3 * 16 + 4] == 1 && a[4 * 16 + 8] == 1 && a[5 * 16 + 12] == 1);
    cr_assert(b[6 * 16 + 0] == 1 && b[7 * 16 + 4] == 1 && b[0 * 16 + 8] == 1 && b[1 * 16 + 12] == 1);
    const uint8_t bad = 2;
    cr_assert(eq(int, ls_eye_add_rows(q, x, &bad, 1, 0), LS_EINVAL));
    cr_assert(eq(int, ls_eye_add_rows(q, NULL, lv, 1, 0), LS_EINVAL));
    cr_assert(eq(int, ls_eye_add_rows(NULL, x, lv, 1, 0), LS_EINVAL));
    cr_assert(eq(int, ls_eye_add_rows(q, NULL, NULL, 0, 0), LS_OK));
    ls_eye_destroy(q);
}

Test(eye, empty_clouds_give_zero)
{
    ls_eye_config cfg = pam_config(4, 4, 64, -4.0, 4.0);
    ls_eye *q = make_eye(&cfg);
    ls_eye_metrics m;
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    cr_assert(eq(u32, m.n_eyes, 3u));
    cr_assert(eq(u64, m.samples, 0));
    for (unsigned i = 0; i < 3; i++) {
        cr_assert(eq(dbl, m.eye[i].height_v, 0.0));
        cr_assert(eq(dbl, m.eye[i].width_ui, 0.0));
        cr_assert(eq(dbl, m.eye[i].center_v, cfg.thresholds[i]));
        cr_assert(isnan(m.eye[i].level_lo_v) && isnan(m.eye[i].level_hi_v));
    }
    for (unsigned i = 3; i < LS_EYE_MAX_LEVELS - 1; i++)
        cr_assert(eq(dbl, m.eye[i].height_v, 0.0));
    /* only levels 1 and 3: eye 2 (on threshold 2) is open, eyes 0 and 1 have an empty cloud */
    float x[8 * 64];
    for (size_t k = 0; k < 64; k++)
        for (size_t j = 0; j < 8; j++)
            x[k * 8 + j] = (k * 7u) % 3u ? 1.0f : 3.0f;
    cr_assert(eq(int, ls_eye_add(q, x, 8 * 64, 0), LS_OK));
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    cr_assert(eq(dbl, m.eye[0].height_v, 0.0));
    cr_assert(eq(dbl, m.eye[0].width_ui, 0.0));
    cr_assert(isnan(m.eye[0].level_lo_v) && isnan(m.eye[0].level_hi_v));
    cr_assert(eq(dbl, m.eye[1].height_v, 0.0));
    cr_assert(isnan(m.eye[1].level_lo_v) && !isnan(m.eye[1].level_hi_v));
    cr_assert(m.eye[2].height_v > 1.5);
    cr_assert(eq(dbl, m.eye[2].width_ui, 1.0), "flat levels: the whole UI: %g", m.eye[2].width_ui);
    ls_eye_destroy(q);
}

Test(eye, chunked_equals_one_shot)
{
    enum { N = 10007 };
    static float x[N];
    fill_uniform(x, N, 1234u);
    for (size_t k = 0; k < N; k++)
        x[k] *= 2.0f; /* some beyond the range, to exercise the clamp */
    ls_eye_config cfg = pam_config(4, 5, 64, -1.5, 1.5);
    cfg.thresholds[0] = -0.5, cfg.thresholds[1] = 0.0, cfg.thresholds[2] = 0.5;
    ls_eye *a = make_eye(&cfg), *b = make_eye(&cfg);
    const unsigned col0 = 3u;
    cr_assert(eq(int, ls_eye_add(a, x, N, col0), LS_OK));
    static const size_t chunk[] = {1, 7, 300, 64, 13, 1000, 9, 10};
    unsigned col = col0;
    for (size_t i = 0, j = 0; i < N; j++) {
        size_t m = chunk[j % 8] < N - i ? chunk[j % 8] : N - i;
        cr_assert(eq(int, ls_eye_add(b, x + i, m, col), LS_OK));
        col = (unsigned)((col + m) % 10u);
        i += m;
    }
    assert_same_histogram(a, b);
    ls_eye_metrics ma, mb;
    cr_assert(eq(int, ls_eye_measure(a, &ma), LS_OK));
    cr_assert(eq(int, ls_eye_measure(b, &mb), LS_OK));
    cr_assert(eq(u64, ma.samples, N));
    assert_same_metrics(&ma, &mb);
    ls_eye_destroy(a);
    ls_eye_destroy(b);
}

Test(eye, column_wraps_after_two_ui)
{
    ls_eye_config cfg = pam_config(2, 2, 16, -2.0, 2.0); /* 4 columns, bw 0.25 */
    ls_eye *q = make_eye(&cfg);
    const float x[] = {-1.9f, -0.9f, 0.1f, 1.1f, -1.9f, -0.9f};
    cr_assert(eq(int, ls_eye_add(q, x, 6, 2), LS_OK));
    const uint64_t *h = ls_eye_histogram(q, NULL, NULL);
    /* x[0..5] fall in columns 2, 3, 0, 1, 2, 3 */
    cr_assert(eq(u64, h[2 * 16 + 0], 2));  /* -1.9 twice in column 2 */
    cr_assert(eq(u64, h[3 * 16 + 4], 2));  /* -0.9 in [-1, -0.75) twice in column 3 */
    cr_assert(eq(u64, h[0 * 16 + 8], 1));  /* 0.1 in [0, 0.25), column 0 */
    cr_assert(eq(u64, h[1 * 16 + 12], 1)); /* 1.1 in [1, 1.25), column 1 */
    ls_eye_destroy(q);
}

Test(eye, merge_equals_one_accumulator)
{
    enum { SPS = 8, NSYM = 512 };
    static float x[SPS * NSYM], y[SPS * NSYM];
    size_t n = pam_wave(x, NSYM, SPS, 4, EDGE_RAISED_COSINE, 1.0, 0.0, 11u);
    pam_wave(y, NSYM, SPS, 4, EDGE_LINEAR, 0.5, 0.2, 12u);
    ls_eye_config cfg = pam_config(4, SPS, 128, -4.0, 4.0);
    ls_eye *a = make_eye(&cfg), *b = make_eye(&cfg), *all = make_eye(&cfg);
    cr_assert(eq(int, ls_eye_add(a, x, n, SPS), LS_OK));
    cr_assert(eq(int, ls_eye_add(b, y, n - 5, 3), LS_OK));
    cr_assert(eq(int, ls_eye_add(all, x, n, SPS), LS_OK));
    cr_assert(eq(int, ls_eye_add(all, y, n - 5, 3), LS_OK));
    cr_assert(eq(int, ls_eye_merge(a, b), LS_OK));
    assert_same_histogram(a, all);
    ls_eye_metrics ma, mall;
    cr_assert(eq(int, ls_eye_measure(a, &ma), LS_OK));
    cr_assert(eq(int, ls_eye_measure(all, &mall), LS_OK));
    assert_same_metrics(&ma, &mall);
    cr_assert(eq(u64, ma.samples, 2 * n - 5));

    /* merging with itself doubles every count */
    cr_assert(eq(int, ls_eye_merge(b, b), LS_OK));
    cr_assert(eq(int, ls_eye_merge(all, all), LS_OK));
    ls_eye_metrics mb;
    cr_assert(eq(int, ls_eye_measure(b, &mb), LS_OK));
    cr_assert(eq(u64, mb.samples, 2 * (n - 5)));

    /* other geometry: rejected, dst unchanged; other thresholds: accepted */
    ls_eye_config other[3] = {cfg, cfg, cfg};
    other[0].sps = 4;
    other[1].n_bins = 64;
    other[2].v_min = -4.5;
    for (size_t k = 0; k < 3; k++) {
        ls_eye *o = make_eye(&other[k]);
        cr_assert(eq(int, ls_eye_add(o, x, 100, 0), LS_OK));
        cr_assert(eq(int, ls_eye_merge(a, o), LS_EINVAL), "geometry %zu", k);
        cr_assert(eq(int, ls_eye_merge(o, a), LS_EINVAL), "geometry %zu", k);
        ls_eye_destroy(o);
    }
    ls_eye *c = make_eye(&cfg);
    cr_assert(eq(int, ls_eye_add(c, x, n, SPS), LS_OK));
    cr_assert(eq(int, ls_eye_add(c, y, n - 5, 3), LS_OK));
    assert_same_histogram(a, c);
    ls_eye_config th = cfg;
    th.thresholds[1] = 0.25;
    ls_eye *d = make_eye(&th);
    cr_assert(eq(int, ls_eye_merge(d, c), LS_OK));
    assert_same_histogram(d, c);
    ls_eye_destroy(a);
    ls_eye_destroy(b);
    ls_eye_destroy(c);
    ls_eye_destroy(d);
    ls_eye_destroy(all);
}

Test(eye, reset_equals_fresh)
{
    enum { SPS = 8, NSYM = 256 };
    static float x[SPS * NSYM], y[SPS * NSYM];
    size_t n = pam_wave(x, NSYM, SPS, 4, EDGE_RAISED_COSINE, 1.0, 0.0, 21u);
    pam_wave(y, NSYM, SPS, 4, EDGE_LINEAR, 0.7, 0.5, 22u);
    ls_eye_config cfg = pam_config(4, SPS, 128, -4.0, 4.0);
    ls_eye *q = make_eye(&cfg), *fresh = make_eye(&cfg);
    cr_assert(eq(int, ls_eye_add(q, x, n, 1), LS_OK));
    cr_assert(eq(int, ls_eye_reset(q), LS_OK));
    ls_eye_metrics m;
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    cr_assert(eq(u64, m.samples, 0));
    assert_same_histogram(q, fresh);
    cr_assert(eq(int, ls_eye_add(q, y, n, SPS), LS_OK));
    cr_assert(eq(int, ls_eye_add(fresh, y, n, SPS), LS_OK));
    assert_same_histogram(q, fresh);
    ls_eye_metrics mf;
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    cr_assert(eq(int, ls_eye_measure(fresh, &mf), LS_OK));
    assert_same_metrics(&m, &mf);
    ls_eye_destroy(q);
    ls_eye_destroy(fresh);
}

Test(eye, no_allocation_after_create)
{
    enum { SPS = 128, NSYM = 256 };
    static float x[SPS * NSYM];
    size_t n = pam_wave(x, NSYM, SPS, 8, EDGE_RAISED_COSINE, 1.0, 0.0, 31u);
    ls_eye_config cfg = pam_config(8, SPS, 4096, -8.0, 8.0);
    ls_eye *q = make_eye(&cfg), *r = make_eye(&cfg);
    uint64_t before = lsi_alloc_count();
    cr_assert(eq(int, ls_eye_add(q, x, n, 17), LS_OK));
    cr_assert(eq(int, ls_eye_add(r, x, n / 3, 0), LS_OK));
    ls_eye_metrics m;
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    cr_assert(eq(int, ls_eye_merge(q, r), LS_OK));
    cr_assert(eq(int, ls_eye_measure(q, &m), LS_OK));
    cr_assert(ls_eye_histogram(q, NULL, NULL) != NULL);
    cr_assert(eq(int, ls_eye_reset(q), LS_OK));
    cr_assert(eq(u64, lsi_alloc_count(), before));
    ls_eye_destroy(q);
    ls_eye_destroy(r);
}

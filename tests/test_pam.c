/* PAM-M mapping, precoding and slicing. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "lanesim/pam.h"

#include "util.h"

Test(pam, gray_mapping_is_the_ieee_table)
{
    /* IEEE 802.3 cl. 120.5.7.1: 00 -> 0, 01 -> 1, 11 -> 2, 10 -> 3 */
    cr_assert(eq(u8, ls_pam_gray_to_level(0), 0));
    cr_assert(eq(u8, ls_pam_gray_to_level(1), 1));
    cr_assert(eq(u8, ls_pam_gray_to_level(3), 2));
    cr_assert(eq(u8, ls_pam_gray_to_level(2), 3));
    for (uint8_t b = 0; b < 8; b++)
        cr_assert(eq(u8, ls_pam_level_to_gray(ls_pam_gray_to_level(b)), b));
}

Test(pam, neighbouring_levels_differ_in_one_bit)
{
    for (unsigned m = 2; m <= 8; m *= 2)
        for (unsigned l = 0; l + 1 < m; l++) {
            uint8_t d = ls_pam_level_to_gray((uint8_t)l) ^ ls_pam_level_to_gray((uint8_t)(l + 1));
            cr_assert(eq(int, __builtin_popcount(d), 1), "M=%u level %u", m, l);
        }
}

Test(pam, levels_span_minus_one_to_one_with_rlm_on_inner_levels)
{
    double v[8];
    cr_assert(eq(int, ls_pam_levels(4, 1.0, v), LS_OK));
    cr_assert(ieee_ulp_eq(dbl, v[0], -1.0, 4));
    cr_assert(ieee_ulp_eq(dbl, v[1], -1.0 / 3, 4));
    cr_assert(ieee_ulp_eq(dbl, v[2], 1.0 / 3, 4));
    cr_assert(ieee_ulp_eq(dbl, v[3], 1.0, 4));
    cr_assert(eq(int, ls_pam_levels(4, 0.9, v), LS_OK));
    /* RLM per IEEE 802.3 cl. 120D.3.1.2 from the levels */
    double vmid = 0.5 * (v[0] + v[3]);
    double es1 = (v[1] - vmid) / (v[0] - vmid), es2 = (v[2] - vmid) / (v[3] - vmid);
    double rlm = fmin(fmin(3 * es1, 3 * es2), fmin(2 - 3 * es1, 2 - 3 * es2));
    cr_assert(ieee_ulp_eq(dbl, rlm, 0.9, 8));
    cr_assert(eq(int, ls_pam_levels(3, 1.0, v), LS_EINVAL));
    cr_assert(eq(int, ls_pam_levels(4, 0.4, v), LS_EINVAL));
    cr_assert(eq(int, ls_pam_levels(4, 1.1, v), LS_EINVAL));
}

Test(pam, precoding_round_trip_and_error_doubling)
{
    enum { N = 1000 };
    uint8_t x[N], y[N], z[N];
    uint64_t s = 12345;
    for (int i = 0; i < N; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        x[i] = (uint8_t)(s >> 62);
    }
    memcpy(y, x, N);
    uint8_t st = 0;
    ls_pam_precode(y, N, 4, &st);
    /* definition: y[k] = (x[k] - y[k-1]) mod 4 */
    cr_assert(eq(u8, y[0], x[0]));
    for (int i = 1; i < N; i++)
        cr_assert(eq(u8, y[i], (uint8_t)((x[i] - y[i - 1]) & 3)));
    memcpy(z, y, N);
    st = 0;
    ls_pam_decode(z, N, 4, &st);
    cr_assert(eq(int, memcmp(z, x, N), 0));
    /* one slicer error becomes two decoded errors */
    memcpy(z, y, N);
    z[500] = (uint8_t)((z[500] + 1) & 3);
    st = 0;
    ls_pam_decode(z, N, 4, &st);
    int errs = 0;
    for (int i = 0; i < N; i++)
        errs += z[i] != x[i];
    cr_assert(eq(int, errs, 2));
    cr_assert(z[500] != x[500] && z[501] != x[501]);
}

Test(pam, slicer_uses_thresholds_and_ties_go_up)
{
    const float th4[3] = { -2, 0, 2 };
    const float x[] = { -3, -2, -1.999f, -0.001f, 0, 1.9f, 2, 5 };
    uint8_t l[8];
    ls_pam_slice(x, l, 8, th4, 4);
    const uint8_t want[8] = { 0, 1, 1, 1, 2, 2, 3, 3 };
    cr_assert(eq(int, memcmp(l, want, 8), 0));
    const float th8[7] = { -6, -4, -2, 0, 2, 4, 6 };
    const float x8[] = { -7, -5, -3, -1, 1, 3, 5, 7 };
    ls_pam_slice(x8, l, 8, th8, 8);
    for (uint8_t i = 0; i < 8; i++)
        cr_assert(eq(u8, l[i], i));
}

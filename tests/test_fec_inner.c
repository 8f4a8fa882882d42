/*
 * The 802.3dj inner code (phy/fec_inner.c): the draft's encoder test vector, the code's distance,
 * and the decoder inside the error counter against the closed form on random errors (PAM4 with
 * Gaussian noise) and on bursts of two symbol errors; Chase-2 against hard decision.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdint.h>

#include "lanesim/ber.h"
#include "lanesim/fec.h"
#include "lanesim/pam.h"

Test(fec_inner, draft_test_vector)
{
    /* P802.3dj D0.1 test vector 1 (120 message bits at TP4 and their 8 parity bits), as
       transcribed in Omer-Sella/802.3@8023dj_d0p1.py (tv1_tp4, tv1_parity) */
    static const uint8_t m[120] = {
        0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0,
        1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 0, 0, 1, 1,
        0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1,
        1, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0 };
    static const uint8_t want[8] = { 0, 1, 0, 1, 0, 0, 0, 1 };
    const unsigned p = ls_ifec_parity(m);
    for (unsigned j = 0; j < 8; j++)
        cr_assert(eq(uint, (p >> j) & 1u, want[j]), "parity bit %u", j);
    /* the first rows of the draft's generator matrix */
    cr_assert(eq(uint, ls_ifec_column(0), 0x29u)); /* 1 0 0 1 0 1 0 0 */
    cr_assert(eq(uint, ls_ifec_column(3), 0xd3u)); /* 1 1 0 0 1 0 1 1 */
    cr_assert(eq(uint, ls_ifec_column(59), 0xcdu)); /* 1 0 1 1 0 0 1 1 */
}

Test(fec_inner, distance_four)
{
    unsigned col[68];
    for (unsigned i = 0; i < 68; i++) {
        col[i] = ls_ifec_column(i);
        cr_assert(__builtin_popcount(col[i]) & 1, "column %u has even weight", i);
        for (unsigned j = 0; j < i; j++)
            cr_assert(ne(uint, col[i], col[j]));
    }
    for (unsigned i = 0; i < 68; i++)
        for (unsigned j = i + 1; j < 68; j++)
            for (unsigned k = 0; k < 68; k++)
                cr_assert(ne(uint, col[i] ^ col[j], col[k]), "two errors look like one");
    const double f3 = ls_ifec_miscorrect_fraction();
    cr_assert(f3 > 0.4 && f3 < 0.6, "f3 %.4f", f3);
}

static uint64_t rs = 0x9e3779b97f4a7c15ull;
static double uni(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return ((rs >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}
static double gauss(void)
{
    return sqrt(-2.0 * log(uni())) * cos(2.0 * M_PI * uni());
}

/* n blocks of PAM4 with Gaussian noise sigma on levels -3, -1, 1, 3 through counters of each mode. */
static void awgn(double sigma, size_t blocks, ls_ber_counts *hard, ls_ber_counts *chase)
{
    ls_ber_config c;
    ls_ber_config_init(&c);
    c.inner = LS_IFEC_HARD;
    ls_ber *h = ls_ber_create(&c, NULL);
    c.inner = LS_IFEC_CHASE;
    c.chase_l = 4;
    ls_ber *s = ls_ber_create(&c, NULL);
    cr_assert(h != NULL && s != NULL);
    static const double ref[4] = { -3, -1, 1, 3 };
    uint8_t tl[LS_IFEC_SYMBOLS], rl[LS_IFEC_SYMBOLS], tb[LS_IFEC_SYMBOLS], rb[LS_IFEC_SYMBOLS];
    float y[LS_IFEC_SYMBOLS];
    for (size_t b = 0; b < blocks; b++) {
        for (unsigned k = 0; k < LS_IFEC_SYMBOLS; k++) {
            tl[k] = (uint8_t)(uni() * 4.0);
            y[k] = (float)(ref[tl[k]] + sigma * gauss());
            rl[k] = y[k] < -2 ? 0 : y[k] < 0 ? 1 : y[k] < 2 ? 2 : 3;
            tb[k] = ls_pam_level_to_gray(tl[k]);
            rb[k] = ls_pam_level_to_gray(rl[k]);
        }
        cr_assert(eq(int, ls_ber_update_soft(h, tl, rl, tb, rb, y, ref, LS_IFEC_SYMBOLS), LS_OK));
        cr_assert(eq(int, ls_ber_update_soft(s, tl, rl, tb, rb, y, ref, LS_IFEC_SYMBOLS), LS_OK));
    }
    ls_ber_get_counts(h, hard);
    ls_ber_get_counts(s, chase);
    ls_ber_destroy(h);
    ls_ber_destroy(s);
}

Test(fec_inner, random_errors_match_the_closed_form_and_chase_beats_hard, .timeout = LS_TIMEOUT(30))
{
    ls_ber_counts h, s;
    awgn(0.345, 40000, &h, &s); /* SER ~ 4e-3 */
    ls_ber_results rh, rc;
    ls_ber_results_from_counts(&h, &rh);
    ls_ber_results_from_counts(&s, &rc);
    cr_assert(eq(u64, h.inner_blocks, 40000));
    const double pre = rh.inner_pre_ber, want = ls_ifec_post_ber_random(pre);
    cr_assert(gt(u64, h.inner_bit_errors, 1000));
    /* closed form at the measured pre-decoder BER, within the count's 95 % interval widened by 5 % */
    cr_assert(want > 0.95 * rh.inner_ber_ci95_lo && want < 1.05 * rh.inner_ber_ci95_hi,
              "pre %.4g: counted %.4g [%.4g, %.4g], closed form %.4g", pre, rh.inner_ber, rh.inner_ber_ci95_lo,
              rh.inner_ber_ci95_hi, want);
    cr_assert(rh.inner_ber < 0.3 * pre, "the code must gain: %.3g -> %.3g", pre, rh.inner_ber);
    /* soft decision: at least a factor 2 better than hard at this SER (Chase-2, L = 4) */
    cr_assert(rc.inner_ber < 0.5 * rh.inner_ber, "chase %.3g vs hard %.3g", rc.inner_ber, rh.inner_ber);
    cr_assert(eq(u64, s.inner_pre_bit_errors, h.inner_pre_bit_errors));
    /* RS after both: the random-error closed form at the post-inner BER */
    cr_assert(epsilon_eq(dbl, rh.post_inner_cer_random, ls_fec_cer_random(&LS_RS_KP4, rh.inner_ber), 1e-15));
}

Test(fec_inner, bursts_of_two_survive_unless_they_straddle_a_block, .timeout = LS_TIMEOUT(30))
{
    /* bursts of two one-level errors at random positions, one per 2048 symbols: a burst inside a
       block is detected and left (2 errors), one across a block boundary (probability 1/64) is
       two single errors, both corrected. */
    ls_ber_config c;
    ls_ber_config_init(&c);
    c.inner = LS_IFEC_HARD;
    ls_ber *q = ls_ber_create(&c, NULL);
    cr_assert(q != NULL);
    static const double ref[4] = { -3, -1, 1, 3 };
    enum { N = 4096 };
    static uint8_t tl[N], rl[N], tb[N], rb[N];
    static float y[N];
    uint64_t bursts = 0;
    for (unsigned rep = 0; rep < 12000; rep++) {
        for (unsigned k = 0; k < N; k++) {
            tl[k] = (uint8_t)(uni() * 4.0);
            rl[k] = tl[k];
            y[k] = (float)ref[tl[k]];
        }
        for (unsigned b = 0; b < 2; b++) {
            unsigned k = (unsigned)(uni() * (N / 2 - 2)) + b * (N / 2); /* apart: never overlapping */
            for (unsigned j = k; j < k + 2; j++) {
                rl[j] = tl[j] == 0 ? 1 : tl[j] == 3 ? 2 : (uni() < 0.5 ? tl[j] - 1 : tl[j] + 1);
                y[j] = (float)(0.5 * (ref[tl[j]] + ref[rl[j]]) + 0.3 * (ref[rl[j]] - ref[tl[j]]) * 0.5);
            }
            bursts++;
        }
        for (unsigned k = 0; k < N; k++) {
            tb[k] = ls_pam_level_to_gray(tl[k]);
            rb[k] = ls_pam_level_to_gray(rl[k]);
        }
        cr_assert(eq(int, ls_ber_update_soft(q, tl, rl, tb, rb, y, ref, N), LS_OK));
    }
    ls_ber_counts n;
    ls_ber_get_counts(q, &n);
    ls_ber_destroy(q);
    cr_assert(eq(u64, n.bit_errors, 2 * bursts));
    /* over the message symbols (0..59 of a block): a burst starting at k = 0..58 of a block puts
       2 errors there and keeps them, k = 59 one kept, k = 60..62 none, k = 63 one in the next
       block's symbol 0, corrected. Per burst, pre 120/64 and post 119/64 message bit errors. */
    const double ratio = (double)n.inner_bit_errors / (double)n.inner_pre_bit_errors;
    cr_assert(lt(dbl, fabs(n.inner_pre_bit_errors / (double)bursts - 120.0 / 64.0), 0.02));
    /* sd of the ratio ~ sqrt(bursts / 64) / (bursts 120/64) ~ 0.0004 */
    cr_assert(lt(dbl, fabs(ratio - 119.0 / 120.0), 0.002), "post/pre %.4f, closed form %.4f", ratio, 119.0 / 120.0);
    /* every burst inside a block is a detected block, every straddling one two corrected blocks */
    cr_assert(eq(u64, n.inner_corrected, 2 * (bursts - n.inner_detected)));
}

Test(fec_inner, single_errors_are_all_corrected)
{
    ls_ber_config c;
    ls_ber_config_init(&c);
    c.inner = LS_IFEC_HARD;
    ls_ber *q = ls_ber_create(&c, NULL);
    static const double ref[4] = { -3, -1, 1, 3 };
    uint8_t tl[64], rl[64], tb[64], rb[64];
    float y[64];
    for (unsigned pos = 0; pos < 64; pos++)
        for (unsigned lev = 0; lev < 4; lev++)
            for (int dir = -1; dir <= 1; dir += 2) {
                const int to = (int)lev + dir;
                if (to < 0 || to > 3)
                    continue;
                for (unsigned k = 0; k < 64; k++) {
                    tl[k] = rl[k] = (uint8_t)((k * 7 + pos) & 3u);
                    y[k] = (float)ref[tl[k]];
                }
                tl[pos] = (uint8_t)lev;
                rl[pos] = (uint8_t)to;
                y[pos] = (float)(0.6 * ref[to] + 0.4 * ref[lev]);
                for (unsigned k = 0; k < 64; k++) {
                    tb[k] = ls_pam_level_to_gray(tl[k]);
                    rb[k] = ls_pam_level_to_gray(rl[k]);
                }
                cr_assert(eq(int, ls_ber_update_soft(q, tl, rl, tb, rb, y, ref, 64), LS_OK));
            }
    ls_ber_counts n;
    ls_ber_get_counts(q, &n);
    ls_ber_destroy(q);
    cr_assert(eq(u64, n.inner_blocks, 64 * 6));
    cr_assert(eq(u64, n.inner_bit_errors, 0));
    cr_assert(eq(u64, n.inner_corrected, 64 * 6));
}

/* COM-style margin (ls_link_com) against the Gaussian closed form of docs/references.md §2.3. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>

#include "lanesim/link.h"
#include "lanesim/reach.h"
#include "lanesim/stats.h"
#include "util.h"

static double com_of(const char *snr_db, double der0)
{
    char msg[512] = "";
    ls_status st;
    ls_config *c = ls_config_create("awgn", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    cr_assert(eq(int, ls_config_set(c, "noise.snr_db", snr_db, msg, sizeof msg), LS_OK), "%s", msg);
    ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &st);
    cr_assert(l != NULL, "%s", msg);
    double com = NAN;
    cr_assert(eq(int, ls_link_com(l, der0, &com), LS_OK));
    cr_assert(eq(int, ls_link_com(l, 0.0, &com), LS_EINVAL));
    ls_link_destroy(l);
    ls_config_destroy(c);
    return com;
}

Test(com, gaussian_noise_matches_the_closed_form)
{
    /* PAM4, Es/sigma^2 = SNR with levels +-1, +-1/3: A_s / sigma = sqrt(SNR / 5);
       A_ni = sigma Q^-1(DER0 / (2 (1 - 1/M))): COM = 20 log10(sqrt(SNR/5) / Q^-1(DER0 / 1.5)) */
    static const double snr[] = { 20, 22, 26 };
    static const double der[] = { 2e-4, 1e-4 };
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 2; k++) {
            char v[16];
            snprintf(v, sizeof v, "%g", snr[i]);
            double want = 20 * log10(sqrt(pow(10, snr[i] / 10) / 5) / ls_qinv(der[k] / 1.5));
            double got = com_of(v, der[k]);
            cr_assert(lt(dbl, fabs(got - want), 0.05), "SNR %g dB, DER0 %g: COM %.3f dB, closed form %.3f dB", snr[i],
                      der[k], got, want);
        }
    /* docs/references.md §2.3: COM = 3 dB at DER0 = 2e-4 means A_s / sigma = 5.15 */
    double snr3 = 10 * log10(5 * 5.15 * 5.15);
    char v[16];
    snprintf(v, sizeof v, "%.4f", snr3);
    cr_assert(lt(dbl, fabs(com_of(v, 2e-4) - 3.0), 0.05));
}

Test(com, reach_to_a_com_target_on_the_flat_link)
{
    /* flat preset: SNR(L) = Es 10^(-a L / 10) / sigma^2 (tests/test_reach.c), so COM(L) = 3 dB at
       10 log10(Es / sigma^2) - a L = 10 log10(5 (10^(3/20) Q^-1(DER0 / 1.5))^2) */
    char msg[512] = "";
    ls_status st;
    ls_config *c = ls_config_create("flat", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    cr_assert(eq(int, ls_config_set(c, "flat.loss_db_per_m", "2", msg, sizeof msg), LS_OK), "%s", msg);
    ls_reach_options o;
    ls_reach_options_init(&o);
    o.target = LS_REACH_COM;
    o.target_value = 3.0;
    ls_reach_result r;
    cr_assert(eq(int, ls_reach(c, &o, &r, msg, sizeof msg), LS_OK), "%s", msg);
    double es = 0.4 * 0.4 * 5.0 / 9.0, sigma2 = 1.7e-6 * 1e-9 * 0.5 * 106.25e9;
    double need = 10 * log10(5 * pow(pow(10, 3.0 / 20) * ls_qinv(2e-4 / 1.5), 2));
    double want = (10 * log10(es / sigma2) - need) / 2.0;
    cr_assert(lt(dbl, fabs(r.reach_m / want - 1), 0.01), "COM reach %.4f m, closed form %.4f m", r.reach_m, want);
    cr_assert(lt(dbl, fabs(r.com_db - 3.0), 0.1), "COM at reach %.3f dB", r.com_db);
    cr_assert(lt(dbl, fabs(r.margin_db - (r.com_db - 3.0)), 1e-12), "margin %.3f dB", r.margin_db);
    cr_assert(lt(dbl, r.ber_at_reach, 1e-4), "ber_at_reach is a BER: %.3g", r.ber_at_reach);
    o.mode = LS_REACH_MC;
    cr_assert(eq(int, ls_reach(c, &o, &r, msg, sizeof msg), LS_EINVAL));
    ls_config_destroy(c);
}

/*
 * The reach's Monte Carlo side (include/lanesim/reach.h, docs/reach.md "Every reach confirmed"): one
 * Monte Carlo evaluation at a length, decided by the upper end of the BER's 95 % Clopper-Pearson
 * interval (run.decide_ber ends the run as soon as the interval lies wholly on one side of the
 * target), and the check of the statistical reach: Monte Carlo at that length, and where it fails,
 * halving the length until Monte Carlo passes, then bisection in log length.
 *
 * Symbols: a run with no error bounds the BER at 1 - 0.025^(1/n) ~ 3.69 / n (95 %), so a target B
 * needs n >= 3.69 / B bits before any run can pass; the cap is max(run.symbols, 10 times that), so
 * that a link whose BER is a few tenths below the target can still be told from one above it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim/fec.h"
#include "lanesim/run.h"
#include "ls_internal.h"
#include "reach_internal.h"

double lsi_reach_ber_target(const ls_reach_options *o)
{
    if (o->target != LS_REACH_POST_FEC)
        return o->target_value;
    /* the CER of random errors grows with the BER: bisection in log BER */
    const ls_rs_code kp4 = LS_RS_KP4_INIT;
    double lo = -15, hi = log10(0.5);
    for (int i = 0; i < 80; i++) {
        double mid = 0.5 * (lo + hi);
        if (ls_fec_cer_random(&kp4, pow(10, mid)) <= o->target_value)
            lo = mid;
        else
            hi = mid;
    }
    return pow(10, lo);
}

static ls_status set_real(ls_config *c, const char *key, double v, char *msg, size_t cap)
{
    char s[48];
    snprintf(s, sizeof s, "%.17g", v);
    return ls_config_set(c, key, s, msg, cap);
}

ls_status lsi_reach_mc(const ls_config *c, const ls_reach_options *o, double length_m, lsi_mc_point *p, char *msg,
                       size_t cap)
{
    memset(p, 0, sizeof *p);
    const double b = lsi_reach_ber_target(o);
    ls_config *cl = ls_config_copy(c);
    if (!cl) {
        lsi_say(msg, cap, "out of memory");
        return LS_ENOMEM;
    }
    /* bits = symbols x bits per symbol >= symbols: counting one bit a symbol errs on the long side */
    const double need = ceil(10 * 3.69 / b);
    const double sym = fmax((double)ls_config_int(c, "run.symbols"), need);
    ls_status st = set_real(cl, "link.length_m", length_m, msg, cap);
    if (st == LS_OK)
        st = set_real(cl, "run.decide_ber", b, msg, cap);
    if (st == LS_OK)
        st = set_real(cl, "run.symbols", fmin(sym, 1e13), msg, cap);
    ls_run_result r;
    if (st == LS_OK && (st = ls_run(cl, NULL, NULL, &r, msg, cap)) == LS_OK) {
        p->ber = r.ber.ber;
        p->lo = r.ber.ber_ci95_lo;
        p->hi = r.ber.ber_ci95_hi;
        p->bits = r.counts.bits;
        p->errors = r.counts.bit_errors;
        p->info = r.link;
        if (r.rx_failed.failed)
            snprintf(p->rx_failed, sizeof p->rx_failed, "%s", r.rx_failed.reason);
        p->pass = !r.rx_failed.failed && p->hi <= b;
        ls_run_result_free(&r);
    }
    ls_config_destroy(cl);
    return st;
}

/* One Monte Carlo evaluation of the check, recorded. */
static ls_status check_at(const ls_config *c, const ls_reach_options *o, double len, lsi_mc_point *p,
                          ls_reach_result *r, char *msg, size_t cap)
{
    ls_status st = lsi_reach_mc(c, o, len, p, msg, cap);
    if (st != LS_OK)
        return st;
    if (r->mc_evaluations < LS_REACH_MAX_MC) {
        r->mc_length_m[r->mc_evaluations] = len;
        r->mc_ber_hi[r->mc_evaluations] = p->hi;
    }
    r->mc_evaluations++;
    return LS_OK;
}

static void keep(ls_reach_result *r, const lsi_mc_point *p)
{
    r->have_mc = 1;
    r->mc_ber = p->ber;
    r->mc_ber_ci95_lo = p->lo;
    r->mc_ber_ci95_hi = p->hi;
    r->mc_bits = p->bits;
    r->mc_bit_errors = p->errors;
}

ls_status lsi_reach_confirm(const ls_config *c, const ls_reach_options *o, double lo, ls_reach_result *r, char *msg,
                            size_t cap)
{
    r->check = LS_REACH_UNCONFIRMED;
    if (o->mode == LS_REACH_MC) {
        r->check = r->below_range ? LS_REACH_UNCONFIRMED : LS_REACH_CONFIRMED; /* the search was Monte Carlo */
        return LS_OK;
    }
    if (!o->confirm || lsi_reach_is_com(o) || r->below_range || !(r->reach_m > 0))
        return LS_OK;
    lsi_mc_point p;
    ls_status st;
    if ((st = check_at(c, o, r->reach_m, &p, r, msg, cap)) != LS_OK)
        return st;
    keep(r, &p);
    if (p.pass) {
        r->check = LS_REACH_CONFIRMED;
        return LS_OK;
    }
    /* refuted: the Monte Carlo reach lies below */
    r->check = LS_REACH_MC_LIMITED;
    r->have_mc_stat = 1;
    r->mc_stat_ber = p.ber;
    r->mc_stat_ber_ci95_hi = p.hi;
    snprintf(r->mc_stat_rx_failed, sizeof r->mc_stat_rx_failed, "%s", p.rx_failed);
    r->above_range = 0;
    double lfail = r->reach_m, lpass = 0;
    while (!(lpass > 0) && lfail > lo) {
        double x = fmax(lfail / 2, lo);
        if ((st = check_at(c, o, x, &p, r, msg, cap)) != LS_OK)
            return st;
        keep(r, &p);
        if (p.pass)
            lpass = x;
        else
            lfail = x;
    }
    if (!(lpass > 0)) { /* even the shortest length fails in Monte Carlo */
        r->reach_m = 0;
        r->below_range = 1;
        r->limited_by = "range";
        return LS_OK;
    }
    lsi_mc_point best = p;
    const double tol = o->confirm_rel_tol > 0 ? o->confirm_rel_tol : 0.02;
    while (lfail / lpass - 1.0 > tol && r->mc_evaluations < LS_REACH_MAX_MC) {
        double mid = sqrt(lpass * lfail);
        if ((st = check_at(c, o, mid, &p, r, msg, cap)) != LS_OK)
            return st;
        if (p.pass) {
            lpass = mid;
            best = p;
        } else {
            lfail = mid;
        }
    }
    keep(r, &best);
    r->reach_m = lpass;
    return LS_OK;
}

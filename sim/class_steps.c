/*
 * The steps the PMD class runs share (sim/pmd_class.c, sim/class_rx.c; docs/classes.md): a key set
 * from a number; TDECQ at TP2/TP3 (phy/tdecq.c: SSPRQ, the 200G reference receiver and equalizer,
 * 802.3dj); the transmitter's modulator bandwidth tuned until its TDECQ at TP3 is a target (log
 * bisection in 0.3..2 f_b: TDECQ falls as the bandwidth grows; a closed eye counts as above the
 * target); the laser power for a launch OMA_outer (the EML's and ring's OMA are proportional to the
 * laser power: exact in one or two steps); the statistical BER, after the inner code's
 * hard-decision closed form (docs/fec.md) where the class has one.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "lanesim/fec.h"
#include "lanesim/ssprq.h"
#include "lanesim/stateye.h"
#include "lanesim/tdecq.h"
#include "ls_internal.h"
#include "sim_internal.h"

ls_status lsi_class_setv(ls_config *c, const char *key, double v, char *msg, size_t cap)
{
    char a[160];
    snprintf(a, sizeof a, "%s=%.12g", key, v);
    return ls_config_set_assignment(c, a, msg, cap);
}

/* TDECQ (dB) at tp of the link c (SSPRQ, the 200G reference receiver and equalizer). */
double lsi_class_tdecq_at(const ls_config *c0, ls_link_tp tp, char *msg, size_t cap)
{
    ls_config *c = ls_config_copy(c0);
    ls_status st = c ? ls_config_set_assignment(c, "tx.pattern=ssprq", msg, cap) : LS_ENOMEM;
    ls_link *l = st == LS_OK ? ls_link_create(c, 4096, msg, cap, &st) : NULL;
    ls_config_destroy(c);
    if (!l)
        return NAN;
    const ls_link_info *in = ls_link_get_info(l);
    const size_t n_sym = LS_SSPRQ_PERIOD + 256, n = n_sym * in->sps;
    float *p = malloc(n * sizeof *p);
    uint8_t *lev = malloc(n_sym);
    double t = NAN;
    if (p && lev && ls_link_capture_optical(l, tp, 1, n_sym, p, lev, msg, cap) == LS_OK) {
        ls_tdecq_config tc;
        ls_tdecq_results r;
        ls_tdecq_config_init(&tc, LS_TDECQ_200G, in->baud, in->sps);
        if (ls_tdecq_measure(&tc, p, n, lev, n_sym, &r, msg, cap) == LS_OK)
            t = r.tdecq_db;
    }
    free(p);
    free(lev);
    ls_link_destroy(l);
    return t;
}

/* modulator.bw_ghz whose TDECQ at TP3 is want (log bisection in 0.3..2 f_b); into c, the TDECQ reached
   into *tdecq_db and the bandwidth into *bw_ghz. */
ls_status lsi_class_tune_tx(ls_config *c, double baud, double want, double *tdecq_db, double *bw_ghz, char *msg,
                            size_t cap)
{
    double lo = log(0.3 * baud / 1e9), hi = log(2.0 * baud / 1e9), t_hi, t_lo;
    ls_status st;
    if ((st = lsi_class_setv(c, "modulator.bw_ghz", exp(hi), msg, cap)) != LS_OK || isnan(t_hi = lsi_class_tdecq_at(c, LS_LINK_TP3, msg, cap)))
        return LS_EINVAL;
    if (t_hi >= want) { /* even the fastest modulator: the rest of the transmitter is over the limit */
        *tdecq_db = t_hi;
        *bw_ghz = exp(hi);
        return LS_OK;
    }
    /* below 2 f_b a slow modulator may close the eye (no TDECQ: the engine finds no levels): TDECQ
       is then taken as infinite, above the target */
    if ((st = lsi_class_setv(c, "modulator.bw_ghz", exp(lo), msg, cap)) != LS_OK)
        return st;
    if (isnan(t_lo = lsi_class_tdecq_at(c, LS_LINK_TP3, msg, cap)))
        t_lo = INFINITY;
    double t = t_lo, x = lo;
    for (int it = 0; it < 8 && t_lo > want; it++) { /* TDECQ falls as the bandwidth grows */
        x = 0.5 * (lo + hi);
        if ((st = lsi_class_setv(c, "modulator.bw_ghz", exp(x), msg, cap)) != LS_OK)
            return st;
        if (isnan(t = lsi_class_tdecq_at(c, LS_LINK_TP3, msg, cap)))
            t = INFINITY;
        if (fabs(t - want) < 0.03)
            break;
        if (t > want)
            lo = x;
        else
            hi = x;
    }
    *tdecq_db = t;
    *bw_ghz = exp(x);
    return lsi_class_setv(c, "modulator.bw_ghz", exp(x), msg, cap);
}

/* laser.power_dbm for a launch OMA_outer of oma_dbm; into c. */
ls_status lsi_class_set_oma(ls_config *c, double oma_dbm, char *msg, size_t cap)
{
    for (int it = 0; it < 2; it++) {
        ls_status st;
        ls_link *l = ls_link_create(c, 64, msg, cap, &st);
        if (!l)
            return st;
        const double now = ls_link_get_info(l)->launch_oma_dbm;
        ls_link_destroy(l);
        if (fabs(now - oma_dbm) < 1e-3)
            return LS_OK;
        if ((st = lsi_class_setv(c, "laser.power_dbm", ls_config_real(c, "laser.power_dbm") + oma_dbm - now, msg, cap)) != LS_OK)
            return st;
    }
    return LS_OK;
}

/* BER of c's statistical analysis (after the inner code's hard-decision closed form if it has one). */
double lsi_class_stat_ber(const ls_config *c, double target, int inner, char *msg, size_t cap)
{
    ls_status st;
    ls_link *l = ls_link_create(c, 64, msg, cap, &st);
    if (!l)
        return NAN;
    ls_stateye_result sr;
    double b = ls_link_stat(l, target, &sr) == LS_OK ? sr.ber : NAN;
    ls_link_destroy(l);
    return inner ? ls_ifec_post_ber_random(LS_MIN(b, 0.5)) : b;
}


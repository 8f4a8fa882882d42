/*
 * Reach search internals shared by sim/reach.c (the search) and sim/reach_mc.c (the Monte Carlo
 * evaluations and the check of the statistical reach). Not installed.
 */
#ifndef LS_SIM_REACH_INTERNAL_H
#define LS_SIM_REACH_INTERNAL_H

#include <stdint.h>

#include "lanesim/config.h"
#include "lanesim/link.h"
#include "lanesim/reach.h"

/** A Monte Carlo evaluation at one length. */
typedef struct {
    double ber, lo, hi;      /* BER and its 95 % interval */
    uint64_t bits, errors;
    char rx_failed[16];      /* the receiver failure's reason, "" none */
    int pass;                /* the upper bound meets the target and the receiver did not fail */
    ls_link_info info;
} lsi_mc_point;

/** 1 for a COM target (lanesim's receiver margin or IEEE COM): COM must reach the target. */
static inline int lsi_reach_is_com(const ls_reach_options *o)
{
    return o->target == LS_REACH_COM || o->target == LS_REACH_IEEE_COM;
}

/** The BER that the target amounts to: the BER target itself, or for post-FEC the BER whose
    random-error KP4 CER is the target. */
double lsi_reach_ber_target(const ls_reach_options *o);
/** One Monte Carlo run of c at length_m, stopping as soon as the BER's 95 % interval lies wholly on one
    side of the target (run.decide_ber), up to max(run.symbols, 10 times the zero-error minimum). */
ls_status lsi_reach_mc(const ls_config *c, const ls_reach_options *o, double length_m, lsi_mc_point *p, char *msg,
                       size_t cap);
/** The Monte Carlo check of r->reach_m (reach.h): sets r->check, the mc_* fields, and where Monte
    Carlo fails there, r->reach_m (and r->below_range when even lo fails). */
ls_status lsi_reach_confirm(const ls_config *c, const ls_reach_options *o, double lo, ls_reach_result *r, char *msg,
                            size_t cap);

#endif

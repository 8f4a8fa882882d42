/*
 * Reach search: bracketing on a logarithmic length grid, then bisection in log length (see
 * include/lanesim/reach.h). Each evaluation builds the link at one length and takes its BER from
 * the statistical analysis (ls_link_stat) or a Monte Carlo run (ls_run).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim/fec.h"
#include "lanesim/link.h"
#include "lanesim/reach.h"
#include "lanesim/run.h"
#include "lanesim/stats.h"
#include "ls_internal.h"

void ls_reach_options_init(ls_reach_options *o)
{
    *o = (ls_reach_options){ .target = LS_REACH_PRE_FEC, .target_value = 2.4e-4, .mode = LS_REACH_STAT,
                             .grid = 16, .rel_tol = 0.005, .der0 = 2e-4 };
}

typedef struct {
    double metric;      /* BER (pre-FEC) or CER (post-FEC) */
    double ber;
    ls_link_info info;
} point;

static ls_status evaluate(const ls_config *c, const ls_reach_options *o, double length_m, point *pt, char *msg,
                          size_t cap)
{
    ls_status st;
    ls_config *cl = ls_config_copy(c);
    char v[48];
    if (!cl) {
        lsi_say(msg, cap, "out of memory");
        return LS_ENOMEM;
    }
    snprintf(v, sizeof v, "%.9g", length_m);
    if ((st = ls_config_set(cl, "link.length_m", v, msg, cap)) != LS_OK) {
        ls_config_destroy(cl);
        return st;
    }
    if (o->mode == LS_REACH_STAT) {
        ls_link *l = ls_link_create(cl, 64, msg, cap, &st);
        ls_stateye_result sr;
        if (l && (st = ls_link_stat(l, 1e-6, &sr)) == LS_OK) {
            pt->ber = sr.ber;
            pt->info = *ls_link_get_info(l);
            if (o->target == LS_REACH_COM)
                st = ls_link_com(l, o->der0, &pt->metric);
        }
        ls_link_destroy(l);
    } else {
        ls_run_result r;
        if ((st = ls_run(cl, NULL, NULL, &r, msg, cap)) == LS_OK) {
            /* no errors: the interval's upper end is the honest figure for a pass/fail decision */
            pt->ber = r.counts.bit_errors ? r.ber.ber : r.ber.ber_ci95_hi;
            pt->info = r.link;
            ls_run_result_free(&r);
        }
    }
    ls_config_destroy(cl);
    if (st != LS_OK)
        return st;
    if (o->target == LS_REACH_POST_FEC) {
        const ls_rs_code kp4 = LS_RS_KP4_INIT;
        pt->metric = ls_fec_cer_random(&kp4, pt->ber);
    } else if (o->target != LS_REACH_COM) {
        pt->metric = pt->ber;
    }
    return LS_OK;
}

/* BER and CER must not exceed the target; COM must reach it. */
static int passes(const ls_reach_options *o, double metric)
{
    return o->target == LS_REACH_COM ? metric >= o->target_value : metric <= o->target_value;
}

/* A link that cannot be built beyond the first length (no detectable signal left) fails. */
static point failed(const ls_reach_options *o)
{
    return (point){ .metric = o->target == LS_REACH_COM ? 0.0 : 0.5, .ber = 0.5 };
}

static const char *limiter(const ls_config *c, const ls_link_info *in, double length_m)
{
    double n2 = in->noise_rms_v * in->noise_rms_v, i2 = in->isi_rms_v * in->isi_rms_v;
    double j2 = in->jitter_rms_v * in->jitter_rms_v, x2 = in->xtalk_rms_v * in->xtalk_rms_v;
    const char *w = "noise";
    double m = n2;
    if (i2 > m)
        m = i2, w = "isi";
    if (j2 > m)
        m = j2, w = "jitter";
    if (x2 > m)
        w = "crosstalk";
    if (in->optical) {
        if (!strcmp(w, "noise"))
            return "power budget";
        if (!strcmp(w, "isi") && ls_config_find(c, "fibre.lambda0_nm")) {
            /* G.652 dispersion at the carrier: D = (S0/4)(lambda - lambda0^4/lambda^3) */
            double lam = ls_config_real(c, "laser.wavelength_nm"), l0 = ls_config_real(c, "fibre.lambda0_nm");
            double d = 0.25 * ls_config_real(c, "fibre.s0_ps_nm2_km") * (lam - pow(l0, 4) / pow(lam, 3));
            if (fabs(d) * length_m * 1e-3 >= 1.0)
                return "dispersion";
        }
    }
    return w;
}

static void record(ls_reach_result *r, double length_m, double metric)
{
    if (r->evaluations < LS_REACH_MAX_EVALS) {
        r->eval_length_m[r->evaluations] = length_m;
        r->eval_metric[r->evaluations] = metric;
    }
    r->evaluations++;
}

/* The options against the configuration; the search range into *lo, *hi. */
static ls_status reach_validate(const ls_config *c, const ls_reach_options *o, double *lo, double *hi, char *msg,
                                size_t cap)
{
    if (!ls_config_find(c, "link.length_m")) {
        lsi_say(msg, cap, "preset %s has no link.length_m: nothing to search", ls_config_preset(c));
        return LS_EINVAL;
    }
    if (ls_config_find(c, "channel.type") && !strcmp(ls_config_str(c, "channel.type"), "touchstone")) {
        lsi_say(msg, cap, "reach: channel.type = touchstone is a fixed channel (%s): link.length_m does not change "
                "it, so there is no length to search (use 'lanesim run' for its BER)",
                ls_config_str(c, "channel.touchstone"));
        return LS_EINVAL;
    }
    if ((o->target != LS_REACH_PRE_FEC && o->target != LS_REACH_POST_FEC && o->target != LS_REACH_COM) ||
        (o->mode != LS_REACH_STAT && o->mode != LS_REACH_MC) || !(o->min_m >= 0 && isfinite(o->min_m)) ||
        !(o->max_m >= 0 && isfinite(o->max_m))) {
        lsi_say(msg, cap, "reach: unknown target or mode, or a search bound not finite and >= 0");
        return LS_EINVAL;
    }
    const int com = o->target == LS_REACH_COM;
    if (com && (o->mode != LS_REACH_STAT || !(o->der0 > 0 && o->der0 <= 0.1))) {
        lsi_say(msg, cap, "reach: the COM target needs the statistical mode and DER0 in (0, 0.1] (got %g)", o->der0);
        return LS_EINVAL;
    }
    if (!(com ? o->target_value > 0 && o->target_value < 60 : o->target_value > 0 && o->target_value < 0.5) ||
        o->grid < 4 || o->grid > 64 ||
        !(o->rel_tol > 1e-6 && o->rel_tol < 0.5)) {
        lsi_say(msg, cap, "reach: target %g, grid %u or tolerance %g out of range", o->target_value, o->grid,
                o->rel_tol);
        return LS_EINVAL;
    }
    const int optical = ls_config_find(c, "fibre.atten_db_km") != NULL;
    *lo = o->min_m > 0 ? o->min_m : (optical ? 10.0 : 0.05);
    *hi = o->max_m > 0 ? o->max_m : (optical ? 1e5 : 10.0);
    const ls_param_def *d = ls_config_find(c, "link.length_m");
    if (!(*lo < *hi) || *lo < d->min || *hi > d->max) {
        lsi_say(msg, cap, "reach: range %g..%g m outside link.length_m [%g, %g]", *lo, *hi, d->min, d->max);
        return LS_EINVAL;
    }
    return LS_OK;
}

/* The reach lies between the last passing length before the first failing one and that one. */
typedef struct {
    point pass, fail;  /* at lpass and at lfail */
    double lpass, lfail;
    int first_fail;    /* the grid index of the first failing length; -1: none failed */
    unsigned planned;  /* evaluations planned: the grid and the bisection of one grid step */
} bracket;

/* o->progress after an evaluation, short of the plan; at the end (early or late) done == total, once */
static void tick(const ls_reach_options *o, const bracket *b, const ls_reach_result *r, int end)
{
    if (o->progress && (end || r->evaluations < b->planned))
        o->progress(o->progress_ctx, r->evaluations, end ? r->evaluations : b->planned);
}

/* The grid of o->grid lengths, lo to hi in equal ratios, evaluated into pts; the bracket into *b. */
static ls_status reach_grid(const ls_config *c, const ls_reach_options *o, double lo, double hi, point *pts,
                            bracket *b, ls_reach_result *r, char *msg, size_t cap)
{
    ls_status st;
    for (unsigned i = 0; i < o->grid; i++) {
        double len = lo * pow(hi / lo, (double)i / (o->grid - 1));
        if ((st = evaluate(c, o, len, &pts[i], msg, cap)) != LS_OK) {
            /* beyond the first point, a link that cannot be built (no detectable signal left) fails */
            if (i == 0 || st != LS_EINVAL)
                return st;
            pts[i] = failed(o);
        }
        record(r, len, pts[i].metric);
        tick(o, b, r, 0);
        int ok = passes(o, pts[i].metric);
        if (ok && b->first_fail >= 0)
            r->nonmonotonic = 1;
        if (!ok && b->first_fail < 0) {
            b->first_fail = (int)i;
            b->lfail = len;
            b->fail = pts[i];
        }
        if (ok && b->first_fail < 0) {
            b->lpass = len;
            b->pass = pts[i];
        }
    }
    return LS_OK;
}

/* Bisection in log length until the bracket is within o->rel_tol. */
static ls_status reach_bisect(const ls_config *c, const ls_reach_options *o, bracket *b, ls_reach_result *r,
                              char *msg, size_t cap)
{
    ls_status st;
    while (b->lfail / b->lpass - 1.0 > o->rel_tol) {
        double mid = sqrt(b->lpass * b->lfail);
        point pm;
        if ((st = evaluate(c, o, mid, &pm, msg, cap)) != LS_OK) {
            if (st != LS_EINVAL)
                return st;
            pm = failed(o);
        }
        record(r, mid, pm.metric);
        tick(o, b, r, 0);
        if (passes(o, pm.metric)) {
            b->lpass = mid;
            b->pass = pm;
        } else {
            b->lfail = mid;
        }
    }
    return LS_OK;
}

ls_status ls_reach(const ls_config *c, const ls_reach_options *o, ls_reach_result *r, char *msg, size_t cap)
{
    if (!c || !o || !r) {
        lsi_say(msg, cap, "invalid arguments");
        return LS_EINVAL;
    }
    memset(r, 0, sizeof *r);
    double lo, hi;
    ls_status st;
    if ((st = reach_validate(c, o, &lo, &hi, msg, cap)) != LS_OK)
        return st;
    const int com = o->target == LS_REACH_COM;
    point pts[64];
    bracket b = { .pass = { 0 }, .lpass = 0, .lfail = 0, .first_fail = -1 };
    /* the bisection halves the log of one grid step, log(hi/lo) / (grid - 1), down to log(1 + rel_tol) */
    b.planned = o->grid + (unsigned)fmax(0, ceil(log2(log(hi / lo) / (o->grid - 1) / log1p(o->rel_tol))));
    st = reach_grid(c, o, lo, hi, pts, &b, r, msg, cap);
    if (st == LS_OK && b.first_fail > 0)
        st = reach_bisect(c, o, &b, r, msg, cap);
    tick(o, &b, r, 1);
    if (st != LS_OK)
        return st;
    if (b.first_fail == 0) {
        r->below_range = 1;
        r->reach_m = 0;
        r->ber_at_reach = pts[0].metric;
        r->limited_by = "range";
        return LS_OK;
    }
    if (b.first_fail < 0) {
        r->above_range = 1;
        r->reach_m = hi;
        r->ber_at_reach = b.pass.metric;
        r->limited_by = "range";
        return LS_OK;
    }
    const point *pass = &b.pass;
    r->reach_m = b.lpass;
    r->ber_at_reach = pass->metric;
    unsigned levels = pass->info.levels, bps = pass->info.bits_per_symbol;
    double ber_target = o->target == LS_REACH_PRE_FEC ? o->target_value : pass->ber;
    r->margin_db = com ? pass->metric - o->target_value
                       : pass->info.snr_eq_db - ls_pam_snr_for_ser(levels, ber_target * bps);
    r->limited_by = limiter(c, &pass->info, b.lpass);
    return LS_OK;
}

/*
 * Reach search: bracketing on a logarithmic length grid, then bisection in log length (see
 * include/lanesim/reach.h). Each evaluation builds the link at one length and takes its BER from
 * the statistical analysis (ls_link_stat) or a Monte Carlo run (sim/reach_mc.c); then the Monte
 * Carlo check of the statistical reach (sim/reach_mc.c) and the figures at the reach.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim/channel.h"
#include "lanesim/com.h"
#include "lanesim/fec.h"
#include "lanesim/link.h"
#include "lanesim/mmf.h"
#include "lanesim/reach.h"
#include "lanesim/run.h"
#include "lanesim/stats.h"
#include "ls_internal.h"
#include "reach_internal.h"

void ls_reach_options_init(ls_reach_options *o)
{
    *o = (ls_reach_options){ .target = LS_REACH_PRE_FEC, .target_value = 2.4e-4, .mode = LS_REACH_STAT,
                             .grid = 16, .rel_tol = 0.005, .der0 = 2e-4, .confirm = 1, .confirm_rel_tol = 0.02 };
}

const char *ls_reach_check_name(ls_reach_check k)
{
    return k == LS_REACH_CONFIRMED ? "confirmed" : k == LS_REACH_MC_LIMITED ? "mc-limited" : "unconfirmed";
}

typedef struct {
    double metric;      /* what passes or fails: BER (pre-FEC), CER (post-FEC) or COM (dB); Monte Carlo: of the
                           BER's upper bound */
    double ber;         /* the BER (statistical, or Monte Carlo's estimate) */
    double decide;      /* Monte Carlo: the BER that decided (upper bound; 0.5 for a failed receiver) */
    lsi_mc_point mc;    /* Monte Carlo: the run */
    ls_link_info info;
} point;

/* IEEE COM at one length: the worst package case decides; its noise terms name what limits the link
   (noise: sigma_N and sigma_TX; isi; jitter; crosstalk). No BER is computed. */
static ls_status ieee_com(const ls_com_config *cc, const ls_config *c, point *pt, char *msg, size_t cap)
{
    ls_com_result r;
    ls_status st = ls_com_preset(cc, c, &r, msg, cap);
    if (st != LS_OK)
        return st;
    pt->metric = isfinite(r.com_db) ? r.com_db : -99.0;
    pt->ber = pt->decide = NAN;
    memset(&pt->info, 0, sizeof pt->info);
    pt->info.snr_eq_db = NAN;
    for (size_t k = 0; k < r.n_cases; k++) {
        const ls_com_case *w = &r.cases[k];
        if (w->com_db > r.com_db)
            continue;
        pt->info.noise_rms_v = hypot(w->sigma_n_v, w->sigma_tx_v);
        pt->info.isi_rms_v = w->sigma_isi_v;
        pt->info.jitter_rms_v = w->sigma_j_v;
        pt->info.xtalk_rms_v = w->sigma_xt_v;
        break;
    }
    return LS_OK;
}

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
    if (o->target == LS_REACH_IEEE_COM) {
        st = ieee_com(o->com_config, cl, pt, msg, cap);
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
        /* Monte Carlo: the interval's upper end decides (a failed receiver fails) */
        lsi_mc_point mp;
        if ((st = lsi_reach_mc(c, o, length_m, &mp, msg, cap)) == LS_OK) {
            pt->ber = mp.ber;
            pt->info = mp.info;
            pt->decide = mp.rx_failed[0] ? 0.5 : mp.hi;
            pt->mc = mp;
        }
    }
    ls_config_destroy(cl);
    if (st != LS_OK)
        return st;
    const double d = o->mode == LS_REACH_MC ? pt->decide : pt->ber;
    if (o->target == LS_REACH_POST_FEC) {
        const ls_rs_code kp4 = LS_RS_KP4_INIT;
        pt->metric = ls_fec_cer_random(&kp4, d);
    } else if (o->target != LS_REACH_COM) {
        pt->metric = d;
    }
    return LS_OK;
}

/* BER and CER must not exceed the target; COM must reach it. */
static int passes(const ls_reach_options *o, double metric)
{
    return lsi_reach_is_com(o) ? metric >= o->target_value : metric <= o->target_value;
}

/* A link that cannot be built beyond the first length (no detectable signal left) fails. */
static point failed(const ls_reach_options *o)
{
    return (point){ .metric = lsi_reach_is_com(o) ? -99.0 : 0.5, .ber = 0.5, .decide = 0.5 };
}

/* The slicer's noise + residual ISI + jitter variance relative to the main cursor squared (the gain ahead of
   the slicer varies with length) of c at length_m, with key = value when key is not
   NULL; NAN when the key does not exist or the link does not build. */
static double slicer_var(const ls_config *c, double length_m, const char *key, const char *value)
{
    if (key && !ls_config_find(c, key))
        return NAN;
    ls_config *cl = ls_config_copy(c);
    char v[48], msg[256];
    ls_status st = LS_ENOMEM;
    double var = NAN;
    snprintf(v, sizeof v, "%.9g", length_m);
    if (cl && ls_config_set(cl, "link.length_m", v, msg, sizeof msg) == LS_OK &&
        (!key || ls_config_set(cl, key, value, msg, sizeof msg) == LS_OK)) {
        ls_link *l = ls_link_create(cl, 64, msg, sizeof msg, &st);
        if (l) {
            const ls_link_info *x = ls_link_get_info(l);
            var = (x->noise_rms_v * x->noise_rms_v + x->isi_rms_v * x->isi_rms_v + x->jitter_rms_v * x->jitter_rms_v) /
                  (x->h0 * x->h0);
        }
        ls_link_destroy(l);
    }
    ls_config_destroy(cl);
    return var;
}

/* An optical link limited by noise: what makes the slicer's variance grow with length at the reach (a reach
   is where it grows past the target). The growth from 0.9 L to L is measured with and without the laser's RIN
   (laser.rin = false), the multimode fibre's mode partition noise (mmf.mpn_k = 0) and its modal bandwidth
   (mmf.emb_mhz_km = 1e7: the equalizer's noise enhancement); the share of the growth that goes with each
   term. "mpn", "rin" or "modal bandwidth" for the first that carries at least half of it, else "power
   budget" (the receiver's own noise against a signal that the fibre's loss lowers). */
static const char *optical_noise(const ls_config *c, const ls_link_info *in, double length_m)
{
    static const char *const key[3] = { "mmf.mpn_k", "laser.rin", "mmf.emb_mhz_km" };
    static const char *const off[3] = { "0", "false", "1e7" };
    static const char *const name[3] = { "mpn", "rin", "modal bandwidth" };
    const double l0 = 0.9 * length_m;
    const double full = (in->noise_rms_v * in->noise_rms_v + in->isi_rms_v * in->isi_rms_v +
                         in->jitter_rms_v * in->jitter_rms_v) / (in->h0 * in->h0);
    const double growth = full - slicer_var(c, l0, NULL, NULL);
    for (int k = 0; k < 3 && growth > 0; k++) {
        const double without = slicer_var(c, length_m, key[k], off[k]) - slicer_var(c, l0, key[k], off[k]);
        if (isfinite(without) && growth - without >= 0.5 * growth)
            return name[k];
    }
    return "power budget";
}

/* ISI of a multimode fibre: "modal bandwidth" when the fibre's modal bandwidth EMB/L is below its chromatic
   bandwidth (mmf.h), else "dispersion". */
static const char *mmf_isi(const ls_config *c, double length_m)
{
    ls_mmf_config m;
    ls_mmf_config_init(&m);
    m.length_m = length_m;
    m.wavelength_nm = ls_config_real(c, "laser.wavelength_nm");
    m.emb_mhz_km = ls_config_real(c, "mmf.emb_mhz_km");
    m.lambda0_nm = ls_config_real(c, "mmf.lambda0_nm");
    m.s0_ps_nm2_km = ls_config_real(c, "mmf.s0_ps_nm2_km");
    m.source_rms_nm = ls_config_real(c, "mmf.source_rms_nm");
    const double bm = ls_mmf_modal_bw_hz(&m), bc = ls_mmf_chromatic_bw_hz(&m);
    return isnan(bm) || isnan(bc) || bm <= bc ? "modal bandwidth" : "dispersion";
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
            return optical_noise(c, in, length_m);
        if (!strcmp(w, "isi") && ls_config_find(c, "mmf.emb_mhz_km"))
            return mmf_isi(c, length_m);
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
    if ((o->target != LS_REACH_PRE_FEC && o->target != LS_REACH_POST_FEC && o->target != LS_REACH_COM &&
         o->target != LS_REACH_IEEE_COM) ||
        (o->mode != LS_REACH_STAT && o->mode != LS_REACH_MC) || !(o->min_m >= 0 && isfinite(o->min_m)) ||
        !(o->max_m >= 0 && isfinite(o->max_m))) {
        lsi_say(msg, cap, "reach: unknown target or mode, or a search bound not finite and >= 0");
        return LS_EINVAL;
    }
    const int com = lsi_reach_is_com(o);
    if (o->target == LS_REACH_IEEE_COM && (o->mode != LS_REACH_STAT || !o->com_config)) {
        lsi_say(msg, cap, "reach: the IEEE COM target needs the statistical mode and a COM configuration");
        return LS_EINVAL;
    }
    if (o->target == LS_REACH_COM && (o->mode != LS_REACH_STAT || !(o->der0 > 0 && o->der0 <= 0.1))) {
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

/* The figures at r->reach_m from the point evaluated there: BER, CER, COM, margin, penalty, limiter. */
static void at_reach(const ls_config *c, const ls_reach_options *o, const point *p, ls_reach_result *r)
{
    const unsigned levels = p->info.levels ? p->info.levels : 4, bps = p->info.bits_per_symbol ? p->info.bits_per_symbol : 2;
    const ls_rs_code kp4 = LS_RS_KP4_INIT;
    r->ber_at_reach = p->ber;
    r->cer_at_reach = o->target == LS_REACH_POST_FEC ? ls_fec_cer_random(&kp4, p->ber) : 0;
    r->com_db = lsi_reach_is_com(o) ? p->metric : NAN;
    r->snr_eq_db = p->info.snr_eq_db;
    /* the closed-form SNR of a BER (Gaussian PAM, Gray: SER = BER bps), clamped to where it is defined */
    const double bt = lsi_reach_ber_target(o);
    double bd = r->have_mc ? r->mc_ber_ci95_hi : p->ber;
    bd = bd > 0.5 ? 0.5 : bd < 1e-300 ? 1e-300 : bd;
    if (lsi_reach_is_com(o))
        r->margin_db = p->metric - o->target_value;
    else
        r->margin_db = ls_pam_snr_for_ser(levels, fmin(bd * bps, 0.99 * (levels - 1.0) / levels)) -
                       ls_pam_snr_for_ser(levels, fmin(bt * bps, 0.99 * (levels - 1.0) / levels));
    double bp = p->ber > 1e-300 ? p->ber : 1e-300;
    r->penalty_db = o->target == LS_REACH_IEEE_COM ? NAN
                    : p->info.snr_eq_db - ls_pam_snr_for_ser(levels, fmin(bp * bps, 0.99 * (levels - 1.0) / levels));
    if (!r->limited_by)
        r->limited_by = limiter(c, &p->info, r->reach_m);
}

ls_status ls_reach(const ls_config *c, const ls_reach_options *o, ls_reach_result *r, char *msg, size_t cap)
{
    if (!c || !o || !r) {
        lsi_say(msg, cap, "invalid arguments");
        return LS_EINVAL;
    }
    memset(r, 0, sizeof *r);
    r->com_db = NAN;
    double lo, hi;
    ls_status st;
    if ((st = reach_validate(c, o, &lo, &hi, msg, cap)) != LS_OK)
        return st;
    point pts[64];
    bracket b = { .pass = { 0 }, .lpass = 0, .lfail = 0, .first_fail = -1 };
    /* the bisection halves the log of one grid step, log(hi/lo) / (grid - 1), down to log(1 + rel_tol) */
    b.planned = o->grid + (unsigned)fmax(0, ceil(log2(log(hi / lo) / (o->grid - 1) / log1p(o->rel_tol))));
    st = reach_grid(c, o, lo, hi, pts, &b, r, msg, cap);
    if (st == LS_OK && b.first_fail > 0)
        st = reach_bisect(c, o, &b, r, msg, cap);
    if (st != LS_OK) {
        tick(o, &b, r, 1);
        return st;
    }
    point at = b.pass;
    if (b.first_fail == 0) {
        r->below_range = 1;
        r->limited_by = "range";
        at = pts[0];
    } else if (b.first_fail < 0) {
        r->above_range = 1;
        r->reach_m = hi;
        r->limited_by = "range";
    } else {
        r->reach_m = b.lpass;
        at = b.pass;
    }
    r->stat_reach_m = r->reach_m;
    if (o->mode == LS_REACH_MC && !r->below_range)
        r->have_mc = 1, r->mc_ber = at.mc.ber, r->mc_ber_ci95_lo = at.mc.lo, r->mc_ber_ci95_hi = at.mc.hi,
        r->mc_bits = at.mc.bits, r->mc_bit_errors = at.mc.errors;
    st = lsi_reach_confirm(c, o, lo, r, msg, cap);
    tick(o, &b, r, 1);
    if (st != LS_OK)
        return st;
    if (r->check == LS_REACH_MC_LIMITED) {
        /* the statistical figures at the Monte Carlo reach (or at the shortest length, which failed) */
        ls_reach_options so = *o;
        so.mode = LS_REACH_STAT;
        r->limited_by = r->below_range ? "range" : NULL;
        if ((st = evaluate(c, &so, r->below_range ? lo : r->reach_m, &at, msg, cap)) != LS_OK)
            return st;
    }
    at_reach(c, o, &at, r);
    return LS_OK;
}

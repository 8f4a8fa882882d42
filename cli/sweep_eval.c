/*
 * lanesim sweep: evaluating the points (cli/sweep.h). One point runs every metric asked for on its
 * own configuration: the Monte Carlo run of `lanesim run` or the statistical analysis of `lanesim
 * run --mode stat` (BER and/or eye), the reach search of `lanesim reach`, the power model. The
 * points of this process (its shard, its MPI rank) run in index order on cli_parallel's threads,
 * each writing only its own result.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "lanesim/channel.h"
#include "lanesim/com.h"
#include "lanesim/energy.h"
#include "lanesim/link.h"
#include "lanesim/reach.h"
#include "lanesim/run.h"
#include "lanesim/stateye.h"
#include "sweep.h"

/* IEEE COM of the point's analytic channel, with the point's own copy of the configuration (a COM run
   marks keywords in it, and points run on several threads). */
static ls_status com_point(const sweep *s, const ls_config *c, sweep_result *r)
{
    const char *name = s->com_config ? s->com_config : cli_com_default_config(c);
    int rc = 0;
    struct ls_com_config *cc = cli_com_config(name, NULL, 0, &rc);
    if (!cc) {
        snprintf(r->msg, sizeof r->msg, "COM configuration %s cannot be read", name);
        return rc == EXIT_USAGE ? LS_EINVAL : LS_EIO;
    }
    ls_com_result cr;
    ls_status st = ls_com_preset(cc, c, &cr, r->msg, sizeof r->msg);
    ls_com_config_destroy(cc);
    if (st == LS_OK) {
        r->com_db = cr.com_db;
        r->erl_db = cr.erl_db;
        r->com_pass = cr.pass;
        snprintf(r->com_config, sizeof r->com_config, "%s", name);
    }
    return st;
}

/* One point, every metric asked for; r->st and r->msg say how it went. */
static void evaluate(const sweep *s, size_t i, sweep_result *r)
{
    const ls_config *c = s->cfg[i];
    ls_status st = LS_OK;
    r->inner_fec = cli_inner_fec_rate_only(c);
    if ((s->metrics & (SW_BER | SW_EYE)) && s->stat) {
        ls_link *l = ls_link_create(c, 64, r->msg, sizeof r->msg, &st);
        ls_stateye_result sr;
        if (l && (st = ls_link_stat(l, ls_config_real(c, "eye.target_ber"), &sr)) == LS_OK) {
            const ls_link_info *li = ls_link_get_info(l);
            r->stat_ber = sr.ber;
            r->snr_eq_db = li->snr_eq_db;
            r->n_eyes = li->levels - 1 <= SWEEP_MAX_EYES ? li->levels - 1 : SWEEP_MAX_EYES;
            for (unsigned e = 0; e < r->n_eyes; e++) {
                r->eye_height_v[e] = sr.eye[e].height_v;
                r->eye_width_ui[e] = sr.eye[e].width_ui;
            }
        }
        ls_link_destroy(l);
    } else if (s->metrics & (SW_BER | SW_EYE)) {
        ls_run_result rr;
        if ((st = ls_run(c, NULL, NULL, &rr, r->msg, sizeof r->msg)) == LS_OK) {
            r->ber = rr.ber.ber;
            r->lo = rr.ber.ber_ci95_lo;
            r->hi = rr.ber.ber_ci95_hi;
            r->ser = rr.ber.ser;
            r->bits = rr.counts.bits;
            r->bit_errors = rr.counts.bit_errors;
            r->snr_eq_db = rr.link.snr_eq_db;
            r->rx_failed = rr.rx_failed.failed;
            snprintf(r->rx_failed_reason, sizeof r->rx_failed_reason, "%s",
                     rr.rx_failed.failed ? rr.rx_failed.reason : "none");
            r->n_eyes = rr.eye.n_eyes <= SWEEP_MAX_EYES ? rr.eye.n_eyes : SWEEP_MAX_EYES;
            for (unsigned e = 0; e < r->n_eyes; e++) {
                r->eye_height_v[e] = rr.eye.eye[e].height_v;
                r->eye_width_ui[e] = rr.eye.eye[e].width_ui;
            }
            ls_run_result_free(&rr);
        }
    }
    if (st == LS_OK && (s->metrics & SW_REACH)) {
        ls_reach_options o;
        ls_reach_options_init(&o);
        ls_reach_result rr;
        if ((st = ls_reach(c, &o, &rr, r->msg, sizeof r->msg)) == LS_OK) {
            r->reach_m = rr.reach_m;
            r->stat_reach_m = rr.stat_reach_m;
            r->margin_db = rr.margin_db;
            r->penalty_db = rr.penalty_db;
            r->reach_ber = rr.ber_at_reach;
            snprintf(r->reach_check, sizeof r->reach_check, "%s", ls_reach_check_name(rr.check));
            snprintf(r->limited_by, sizeof r->limited_by, "%s", rr.limited_by ? rr.limited_by : "");
        }
    }
    if (st == LS_OK && (s->metrics & SW_ENERGY)) {
        ls_energy e;
        if ((st = ls_energy_compute(c, &e, r->msg, sizeof r->msg)) == LS_OK) {
            r->pj_per_bit = e.pj_per_bit;
            r->module_pj_per_bit = e.module_pj_per_bit;
            r->total_mw = e.total_mw;
        }
    }
    if (st == LS_OK && (s->metrics & SW_COM))
        st = com_point(s, c, r);
    r->st = st;
}

/* The points of this process (its shard, its MPI rank), run by cli_parallel in index order. */
typedef struct {
    sweep *s;
    const size_t *mine;
    cli_bar bar;
} pool;

static void run_one(void *ctx, size_t j)
{
    pool *p = ctx;
    evaluate(p->s, p->mine[j], &p->s->res[p->mine[j]]);
}

static void one_done(void *ctx, size_t done, size_t n)
{
    cli_bar_draw(&((pool *)ctx)->bar, done, n);
}

int sweep_run_points(sweep *s, int rank, int size, long threads, int bar)
{
    size_t *mine = malloc((s->n_pts ? s->n_pts : 1) * sizeof *mine), n = 0;
    if (!mine)
        return -1;
    for (size_t i = 0; i < s->n_pts; i++)
        if (sweep_mine(s, i) && sweep_rank_of(s, i, size) == rank)
            mine[n++] = i;
    pool p = { .s = s, .mine = mine };
    cli_bar_start(&p.bar, "sweep", "points", bar);
    cli_parallel(n, threads, run_one, one_done, &p);
    free(mine);
    return 0;
}

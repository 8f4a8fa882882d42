/*
 * Statistical eye: SER/BER, eye height and width, bathtub and BER map of a PAM-M link from its
 * pulse response, Gaussian noise and sampling jitter (equations in include/lanesim/stateye.h and
 * docs/statistical.md). References: IEEE 802.3 Annex 93A (COM: ISI PMF as the convolution of
 * each cursor's PMF, 93A-26/27/45; dual-Dirac jitter 93A-40); B. Casper et al., "An accurate and
 * efficient analysis method for multi-Gb/s chip-to-chip signaling schemes", VLSI Circuits 2002
 * (StatEye: the per-phase ISI PDF and the time-axis convolution with the jitter PDF);
 * F. N. Fritsch and J. Butland, SIAM J. Sci. Stat. Comput. 5 (1984) (monotone cubic slopes);
 * Golub-Welsch / Numerical Recipes 4.6 (Gauss-Hermite nodes by Newton on the orthonormal
 * Hermite recurrence).
 *
 * Pipeline of one call:
 *  1. a phase grid g*h, h = 1/(R sps) UI, covering the output phases and the jitter reach;
 *     per grid phase the main cursor h0 and the cursors c_j (DFE residuals applied);
 *  2. a common bin width w from the largest ISI span, enlarged until every phase's support
 *     provably fits in n_bins bins;
 *  3. per grid phase the ISI PMF by sparse convolution (cursors in increasing |c|), the
 *     effective Gaussian sigma (noise + skipped cursors - grid placement variance), and the
 *     error probabilities at the fixed thresholds;
 *  4. bathtub/SER: Gauss-Hermite average over the jitter of a monotone cubic interpolation of
 *     ln SER between grid phases (exact grid values when there is no jitter);
 *  5. eye edges at phases j/sps: per level the sample distribution (the grid PMF, or with jitter
 *     the mixture of the grid PMFs under the jitter PMF placed on the grid), then the two
 *     one-sided edges by safeguarded Newton on ln P.
 *
 * Files: this one (config defaults, validation, the public calls, steps 4-5 orchestration and the
 * eye-edge walk); stateye_grid.c (steps 1-3); stateye_jitter.c (jitter nodes, the bathtub
 * average of step 4, the jitter mixtures of step 5); stateye_tail.c (tail sums and edge roots on
 * one distribution); shared types and constants in stateye_internal.h. In the order
 * stateye.c, stateye_grid.c, stateye_jitter.c, stateye_tail.c a file calls only files after it.
 */
#include "lanesim/stateye.h"

#include <math.h>
#include <string.h>

#include "lanesim/pam.h"
#include "ls_internal.h"
#include "stateye_internal.h"

void ls_stateye_config_init(ls_stateye_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_stateye_config){.pulse = NULL,
                               .n_pulse = 0,
                               .sps = 32u,
                               .main_index = 0,
                               .levels = 4u,
                               .rlm = 1.0,
                               .dfe = NULL,
                               .n_dfe = 0,
                               .thresholds = NULL,
                               .sigma_noise = 0.0,
                               .rj_ui = 0.0,
                               .dj_ui = 0.0,
                               .target_ber = 2.4e-4,
                               .n_bins = 2048u};
}

int lsi_stateye_valid(const ls_stateye_config *c)
{
    if (!c || !c->pulse || c->n_pulse == 0 || c->sps < 1 || c->sps > LS_STATEYE_MAX_SPS ||
        c->main_index >= c->n_pulse || ls_pam_bits(c->levels) == 0 ||
        !(c->rlm >= 0.5 && c->rlm <= 1.0) || c->n_dfe > LS_STATEYE_MAX_DFE ||
        (c->n_dfe && !c->dfe) || !isfinite(c->sigma_noise) || c->sigma_noise < 0.0 ||
        !(c->rj_ui >= 0.0 && c->rj_ui <= LS_STATEYE_MAX_RJ_UI) ||
        !(c->dj_ui >= 0.0 && c->dj_ui <= LS_STATEYE_MAX_DJ_UI) ||
        !(c->target_ber >= 1e-15 && c->target_ber <= 1e-2) || c->n_bins < LS_STATEYE_MIN_BINS ||
        c->n_bins > LS_STATEYE_MAX_BINS)
        return 0;
    for (size_t i = 0; i < c->n_pulse; i++)
        if (!isfinite(c->pulse[i]))
            return 0;
    for (unsigned i = 0; c->level_values && i < c->levels; i++)
        if (!(fabs(c->level_values[i]) <= 2.0) ||
            (i && !(c->level_values[i] > c->level_values[i - 1])))
            return 0;
    if (!(c->pulse[c->main_index] > 0.0f))
        return 0;
    for (unsigned i = 0; i < c->n_dfe; i++)
        if (!isfinite(c->dfe[i]))
            return 0;
    if (c->thresholds) {
        for (unsigned i = 0; i + 1 < c->levels; i++) {
            if (!isfinite(c->thresholds[i]) ||
                (i > 0 && !(c->thresholds[i] > c->thresholds[i - 1])))
                return 0;
        }
    }
    return 1;
}

/* Per-level sample distributions at output grid phase g (grid units), for the levels in mask
 * (bit l; with jitter the others are left unset). */
static void se_level_dists(se_ctx *x, long g, se_dist *d, unsigned mask)
{
    if (!x->jitter) {
        const se_dist fine = lsi_stateye_grid_dist(x, g - x->g0, 0);
        const se_dist view = lsi_stateye_coarsen(&fine, &x->view[0]);
        for (unsigned l = 0; l < x->M; l++) {
            d[l] = view;
            d[l].y0 = lsi_stateye_grid_dist(x, g - x->g0, l).y0;
        }
        return;
    }
    long mlo, mhi;
    lsi_stateye_jitter_pmf(x, g, &mlo, &mhi);
    for (unsigned l = 0; l < x->M; l++)
        if (mask & (1u << l))
            d[l] = lsi_stateye_mix_dist(x, mlo, mhi, l);
}

/* Eye edges into *res: every sub-eye at phase 0, then outwards on each side one phase (j/sps) at a
 * time for the sub-eyes still open there. A walk ends at the first closed phase, which is all
 * the width interpolation needs (closed eyes are where the edge roots cost most). */
static void se_eye_edges(se_ctx *x, const ls_stateye_config *cfg, ls_stateye_result *res)
{
    const unsigned ne = x->M - 1, sps = cfg->sps;
    const double T = 2.0 * x->bits * cfg->target_ber;
    double hc[LS_STATEYE_MAX_LEVELS - 1], ext[LS_STATEYE_MAX_LEVELS - 1][2];
    se_dist d[LS_STATEYE_MAX_LEVELS];
    se_level_dists(x, 0, d, ~0u);
    res->vertical_opening_v = INFINITY;
    for (unsigned e = 0; e < ne; e++) {
        const double L = lsi_stateye_edge_lo(&d[e], T), U = lsi_stateye_edge_hi(&d[e + 1], T);
        hc[e] = U - L;
        res->eye[e].height_v = LS_MAX(0.0, hc[e]);
        res->eye[e].opening_v = hc[e];
        res->eye[e].center_v = 0.5 * (U + L);
        res->vertical_opening_v = LS_MIN(res->vertical_opening_v, res->eye[e].height_v);
        ext[e][0] = ext[e][1] = 0.5;
    }
    for (int side = 0; side < 2; side++) {
        const long dir = side ? 1 : -1;
        unsigned walking = 0;
        double hp[LS_STATEYE_MAX_LEVELS - 1];
        for (unsigned e = 0; e < ne; e++) {
            hp[e] = hc[e];
            if (hc[e] > 0.0)
                walking |= 1u << e;
        }
        for (long k = 1; k <= x->jw && walking; k++) {
            se_level_dists(x, dir * k * (long)x->R, d, walking | (walking << 1));
            for (unsigned e = 0; e < ne; e++) {
                if (!(walking & (1u << e)))
                    continue;
                const double hk = lsi_stateye_edge_hi(&d[e + 1], T) - lsi_stateye_edge_lo(&d[e], T);
                if (!(hk > 0.0)) {
                    ext[e][side] = LS_MIN(0.5, ((double)(k - 1) + hp[e] / (hp[e] - hk)) / sps);
                    walking &= ~(1u << e);
                } else {
                    hp[e] = hk;
                }
            }
        }
    }
    for (unsigned e = 0; e < ne; e++)
        res->eye[e].width_ui = hc[e] > 0.0 ? ext[e][0] + ext[e][1] : 0.0;
}

/* ---- public calls ----------------------------------------------------------------------- */

ls_status ls_stateye_run(const ls_stateye_config *cfg, ls_stateye_result *r)
{
    if (!cfg || !r || !lsi_stateye_valid(cfg))
        return LS_EINVAL;
    se_ctx x;
    ls_status st = lsi_stateye_prepare(&x, cfg);
    const unsigned ne = x.M - 1, sps = cfg->sps;
    const long ng = x.n_grid;
    double *ly = NULL, *dy = NULL;
    if (st != LS_OK)
        goto done;
    st = LS_ENOMEM;
    ly = ls_alloc_n((size_t)ng * ne, sizeof *ly);
    dy = ls_alloc_n((size_t)ng * ne, sizeof *dy);
    if (!ly || !dy)
        goto done;

    ls_stateye_result res;
    memset(&res, 0, sizeof res);
    res.n_phase = sps;
    lsi_stateye_bathtub(&x, sps, ly, dy, &res);
    se_eye_edges(&x, cfg, &res);
    *r = res;
    st = LS_OK;
done:
    ls_free(ly);
    ls_free(dy);
    lsi_stateye_free(&x);
    return st;
}

ls_status ls_stateye_map(const ls_stateye_config *cfg, unsigned n_v, double v_min, double v_max,
                         double *ber_map)
{
    if (!cfg || !ber_map || n_v < 2 || !isfinite(v_min) || !isfinite(v_max) || !(v_min < v_max) ||
        !lsi_stateye_valid(cfg))
        return LS_EINVAL;
    se_ctx x;
    ls_status st = lsi_stateye_prepare(&x, cfg);
    if (st == LS_OK) {
        const unsigned sps = cfg->sps;
        const double scale = 0.5 / x.bits;
        for (unsigned i = 0; i < sps; i++) {
            const long j = (long)i - (long)(sps / 2);
            se_dist d[LS_STATEYE_MAX_LEVELS];
            se_level_dists(&x, j * (long)x.R, d, ~0u);
            for (unsigned n = 0; n < n_v; n++) {
                const double v = v_min + (double)n * (v_max - v_min) / (double)(n_v - 1);
                unsigned e = 0;
                for (unsigned l = 1; l + 1 < x.M; l++)
                    e += v > x.h0n * x.lv[l];
                const double A = lsi_stateye_tail_ge(&d[e], v, NULL),
                             B = lsi_stateye_tail_lt(&d[e + 1], v, NULL);
                ber_map[(size_t)i * n_v + n] = LS_MAX(A, B) * scale;
            }
        }
    }
    lsi_stateye_free(&x);
    return st;
}

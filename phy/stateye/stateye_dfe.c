/*
 * Statistical eye, decision-directed part (ls_stateye_errprop; docs/statistical.md "DFE error
 * propagation" and "Pattern-dependent levels"): SER, BER and error-event statistics at the nominal
 * phase when past decisions may be wrong.
 *
 * Model. With a DFE of taps b_j fed with the values vd(.) of the decided symbols, the slicer input
 * is the error-free one plus the feedback error
 *     delta_k = sum_j b_j (vd(a_{k-j}) - vd(d_{k-j})),
 * so the decision d_k given a_k depends on the last n_dfe (transmitted, decided) pairs: a Markov
 * chain over those pairs (Duttweiler, Mazo and Messerschmitt, "An upper bound on the error
 * probability in decision-feedback equalization", IEEE Trans. Inf. Theory 20(4), 1974; the exact
 * chain of Altekar and Beaulieu, "Upper bounds to the error probability of decision feedback
 * equalization", IEEE Trans. Inf. Theory 39(1), 1993). The current symbol and the noise are taken
 * independent of the past errors (the residual ISI and the coloured noise are not conditioned on
 * them). Transition probabilities come from the engine's per-level sample distributions at phase 0
 * (ISI PMF + Gaussian): P(d >= m | a, delta) = P(y >= t_{m-1} - delta | a), P(d <= m | a, delta)
 * = P(y < t_m - delta | a).
 *
 * An error event starts with an error from the error-free state (probability p_first); the chain
 * then runs over the non-zero states until every tracked pair is correct again (absorption),
 * propagated step by step as a sparse distribution (pairs of the last min(n_dfe, 6) symbols, mass
 * below 1e-13 of the event dropped). Renewal: events per symbol r = p_first / (1 + p_first E[D]),
 * D the symbols spent outside the error-free state; SER = r E[slicer errors per event], BER = r
 * E[bit errors per event] / log2 M.
 *
 * Precoding 1/(1+D) mod M (IEEE 802.3 cl. 120.5.7.2): data symbol error (e_k + e_{k-1}) mod M from
 * the slicer errors e = d - a, its bits averaged over the data symbol (Gray); without precoding the
 * bits of the (a, d) pair. The events' data-error span S and count n give the RS(544,514) symbols
 * hit, averaged over the bit alignment o of the first error in a 10-bit RS symbol:
 * min(n, floor((o + S log2 M - 1) / 10) + 1).
 *
 * Pattern-dependent levels: with a table of the noiseless sample per neighbourhood
 * (a_{k-pre} .. a_{k+post}), the cursors -pre..post come from the table (their pulse samples and
 * DFE taps are zeroed in the ISI PMF), and P(y >= u | a) is the mixture over the unknown neighbours
 * of the shifted distribution; a tracked error at position 1 fixes a_{k-1}.
 *
 * Dual-Dirac TX edge jitter (edges at +-DJ/2, independent per edge) is bounded: as a Gaussian of
 * variance (DJ/2)^2 its tails would reach far past +-DJ/2. Its two dominant edges, those bounding
 * symbol k, move the sample by e0 (DJ/2) s'_0 (v(a_k) - v(a_{k-1})) + e1 (DJ/2) s'_1 (v(a_{k+1}) - v(a_k)),
 * e0, e1 = +-1 equiprobable, s' the equalized step response's slope per UI (docs/statistical.md); with
 * the neighbours known in each pattern the mixture is exact for those edges (edge_dj_v = (DJ/2) s'_{0,1}).
 */
#include <math.h>
#include <string.h>

#include "lanesim/pam.h"
#include "ls_internal.h"
#include "stateye_internal.h"

#define EP_POS 6          /* tracked DFE positions */
#define EP_CAP 8192       /* live states per step */
#define EP_STEPS 4096     /* steps per event */
#define EP_DROP 1e-13     /* mass dropped */
#define EP_NPAT 1024      /* largest pattern table (M^(pre+1+post)) */

typedef struct {
    uint64_t key; /* codes (7 bits each, position 1 lowest), then n (8 bits), then tlast (8 bits) */
    double m;
} ep_state;

typedef struct {
    unsigned M, L, bps, npat, pre, post, prec;
    double th[LS_STATEYE_MAX_LEVELS - 1];
    double b[EP_POS], vd[LS_STATEYE_MAX_LEVELS];
    se_dist d[LS_STATEYE_MAX_LEVELS];
    const double *pat; /* shifts: pattern value - level centre */
    double dj[2];      /* edge_dj_v of the configuration (0: no dual-Dirac edge jitter) */
    double lv[LS_STATEYE_MAX_LEVELS]; /* the engine's level values (edge steps) */
    double pbits[LS_STATEYE_MAX_LEVELS][LS_STATEYE_MAX_LEVELS]; /* bits of an (a, d) pair */
    double dbits[LS_STATEYE_MAX_LEVELS];                        /* bits of a data error of size e mod M */
} ep_ctx;

/* P(y >= u | a, prev) (ge) or P(y < u | a, prev), mixing the pattern shifts (prev < 0: unknown). */
static double ep_tail(const ep_ctx *c, unsigned a, int prev, double u, int ge)
{
    const se_dist *d = &c->d[a];
    if (!c->pat)
        return ge ? lsi_stateye_tail_ge(d, u, NULL) : lsi_stateye_tail_lt(d, u, NULL);
    const unsigned M = c->M, W = c->pre + 1 + c->post;
    unsigned n = 0;
    double s = 0;
    for (unsigned p = 0; p < c->npat; p++) {
        unsigned q = p, dig[8];
        for (unsigned i = W; i-- > 0;) {
            dig[i] = q % M;
            q /= M;
        }
        if (dig[c->pre] != a || (prev >= 0 && c->pre >= 1 && dig[c->pre - 1] != (unsigned)prev))
            continue;
        const double sh = c->pat[p];
        if (c->dj[0] != 0 || c->dj[1] != 0) {
            /* the two edges of symbol k, each +-DJ/2 (dual Dirac): four equiprobable shifts */
            const double x0 = c->dj[0] * (c->lv[a] - c->lv[dig[c->pre - 1]]),
                         x1 = c->dj[1] * (c->lv[dig[c->pre + 1]] - c->lv[a]);
            for (int k = 0; k < 4; k++) {
                const double v = u - sh - ((k & 1) ? x0 : -x0) - ((k & 2) ? x1 : -x1);
                s += 0.25 * (ge ? lsi_stateye_tail_ge(d, v, NULL) : lsi_stateye_tail_lt(d, v, NULL));
            }
        } else
            s += ge ? lsi_stateye_tail_ge(d, u - sh, NULL) : lsi_stateye_tail_lt(d, u - sh, NULL);
        n++;
    }
    return n ? s / n : 0.0;
}

/* P(d = m | a, delta, prev) for m = 0..M-1 into pr. */
static void ep_decide(const ep_ctx *c, unsigned a, int prev, double delta, double *pr)
{
    const unsigned M = c->M;
    double up[LS_STATEYE_MAX_LEVELS + 1], dn[LS_STATEYE_MAX_LEVELS + 1];
    for (unsigned m = a + 1; m < M; m++) /* P(d >= m) */
        up[m] = ep_tail(c, a, prev, c->th[m - 1] - delta, 1);
    up[M] = 0;
    for (unsigned m = 0; m < a; m++) /* P(d <= m) */
        dn[m] = ep_tail(c, a, prev, c->th[m] - delta, 0);
    double err = 0;
    for (unsigned m = 0; m < M; m++) {
        if (m > a)
            pr[m] = LS_MAX(0.0, up[m] - up[m + 1]);
        else if (m < a)
            pr[m] = LS_MAX(0.0, dn[m] - (m ? dn[m - 1] : 0.0));
        else
            continue;
        err += pr[m];
    }
    pr[a] = LS_MAX(0.0, 1.0 - err);
}

static unsigned ep_code(uint64_t key, unsigned pos)
{
    return (unsigned)(key >> (7 * pos)) & 127u;
}

/* Adds mass m at key to the sparse list s[0..*n) (linear probing in a power-of-two hash). */
static int ep_add(ep_state *s, size_t cap, size_t *n, uint64_t key, double m)
{
    size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 40) & (cap - 1);
    while (s[h].m != 0 && s[h].key != key)
        h = (h + 1) & (cap - 1);
    if (s[h].m == 0) {
        if (*n + 1 >= cap / 2)
            return -1;
        s[h].key = key;
        (*n)++;
    }
    s[h].m += m;
    return 0;
}

typedef struct {
    double err, bits, dur, span, eye[7], rs[LS_STATEYE_RS_HIST];
} ep_acc;

/* An event ends (mass m, n data errors, last at step tl): its span and RS symbols hit. */
static void ep_absorb(const ep_ctx *c, ep_acc *A, double m, unsigned n, unsigned tl)
{
    const unsigned S = tl + 1, g = c->bps == 2 ? 2 : 1;
    A->span += m * S;
    for (unsigned o = 0; o < 10; o += g) {
        unsigned hit = LS_MIN(n, (o + S * c->bps - 1) / 10 + 1);
        hit = LS_MAX(1u, LS_MIN(hit, (unsigned)LS_STATEYE_RS_HIST));
        A->rs[hit - 1] += m * (double)g / 10.0;
    }
}

/* The decision probabilities depend on a state's codes only (not on its error count or last-error step, the
   rest of the key): P(d | a) for every a, computed once per codes value (a deterministic function, so the
   memo changes no result). */
#define EP_MEMO 4096u
typedef struct {
    uint64_t *key; /* codes + 1; 0 = empty */
    double *pr;    /* [EP_MEMO][M * M] */
    double spare[LS_STATEYE_MAX_LEVELS * LS_STATEYE_MAX_LEVELS];
    size_t n;
} ep_memo;

static const double *ep_probs(const ep_ctx *c, ep_memo *mo, uint64_t codes, int prev, double delta)
{
    const unsigned M = c->M;
    size_t h = (size_t)((codes * 0x9E3779B97F4A7C15ull) >> 40) & (EP_MEMO - 1);
    while (mo->key[h] && mo->key[h] != codes + 1)
        h = (h + 1) & (EP_MEMO - 1);
    double *pr = mo->pr + h * M * M;
    if (mo->key[h])
        return pr;
    if (mo->n + 1 >= EP_MEMO / 2)
        pr = mo->spare; /* full: computed, not kept */
    else {
        mo->key[h] = codes + 1;
        mo->n++;
    }
    for (unsigned a = 0; a < M; a++)
        ep_decide(c, a, prev, delta, pr + a * M);
    return pr;
}

/* One decision from state key (mass m) at step t: children into nx, totals into A. */
static int ep_step(const ep_ctx *c, ep_memo *mo, uint64_t key, double m, unsigned t, ep_state *nx, size_t *nn,
                   ep_acc *A)
{
    const unsigned M = c->M, L = c->L;
    double delta = 0;
    for (unsigned j = 0; j < L; j++) {
        unsigned k = ep_code(key, j);
        if (k)
            delta += c->b[j] * (c->vd[(k - 1) / M] - c->vd[(k - 1) % M]);
    }
    const unsigned k1 = ep_code(key, 0);
    const int prev = k1 ? (int)((k1 - 1) / M) : -1, e1 = k1 ? (int)((k1 - 1) % M) - prev : 0;
    unsigned n = (unsigned)(key >> (7 * EP_POS)) & 255u, tl = (unsigned)(key >> (7 * EP_POS + 8)) & 255u;
    const uint64_t mask = ((uint64_t)1 << (7 * L)) - 1;
    const double *prs = ep_probs(c, mo, key & mask, prev, delta);
    for (unsigned a = 0; a < M; a++) {
        const double *pr = prs + a * M;
        for (unsigned d = 0; d < M; d++) {
            const double q = m * pr[d] / M;
            if (!(q > 0))
                continue;
            unsigned nn2 = n, tl2 = tl;
            if (d != a) {
                A->err += q;
                A->bits += c->prec ? 0 : q * c->pbits[a][d];
                for (unsigned e = LS_MIN(a, d); e < LS_MAX(a, d); e++)
                    A->eye[e] += q;
            }
            const int de = c->prec ? ((int)d - (int)a + e1 + 2 * (int)M) % (int)M : (d != a);
            if (de) {
                A->bits += c->prec ? q * c->dbits[de] : 0;
                nn2 = LS_MIN(255u, n + 1);
                tl2 = LS_MIN(255u, t);
            }
            const uint64_t codes = ((key & mask) << 7 | (d != a ? 1u + a * M + d : 0u)) & mask;
            if (!codes || q < EP_DROP) {
                ep_absorb(c, A, q, nn2, tl2);
                continue;
            }
            uint64_t nk = codes | (uint64_t)nn2 << (7 * EP_POS) | (uint64_t)tl2 << (7 * EP_POS + 8);
            if (ep_add(nx, EP_CAP, nn, nk, q) != 0)
                ep_absorb(c, A, q, nn2, tl2);
        }
    }
    return 0;
}

/* One error event from the error-free state: *p_first, and the per-event expectations in A. */
static ls_status ep_event(const ep_ctx *c, double *p_first, ep_acc *A)
{
    const unsigned M = c->M;
    ep_state *cur = ls_alloc_n(EP_CAP, sizeof *cur), *nx = ls_alloc_n(EP_CAP, sizeof *nx);
    ep_memo mo = {.key = ls_alloc_n(EP_MEMO, sizeof *mo.key), .pr = ls_alloc_n((size_t)EP_MEMO * M * M, sizeof *mo.pr)};
    if (!cur || !nx || !mo.key || !mo.pr) {
        ls_free(cur);
        ls_free(nx);
        ls_free(mo.key);
        ls_free(mo.pr);
        return LS_ENOMEM;
    }
    memset(A, 0, sizeof *A);
    double p0 = 0, pr[LS_STATEYE_MAX_LEVELS][LS_STATEYE_MAX_LEVELS];
    for (unsigned a = 0; a < M; a++) {
        ep_decide(c, a, -1, 0.0, pr[a]);
        for (unsigned d = 0; d < M; d++) /* the error terms themselves: 1 - pr[a][a] loses tiny values */
            p0 += d != a ? pr[a][d] / M : 0.0;
    }
    *p_first = p0;
    size_t n = 0;
    if (p0 > 0) {
        /* step 0: the first error, normalised to one event */
        for (unsigned a = 0; a < M; a++)
            for (unsigned d = 0; d < M; d++) {
                if (d == a || !(pr[a][d] > 0))
                    continue;
                const double q = pr[a][d] / M / p0;
                A->err += q;
                A->bits += q * (c->prec ? c->dbits[((int)d - (int)a + 2 * (int)M) % (int)M] : c->pbits[a][d]);
                for (unsigned e = LS_MIN(a, d); e < LS_MAX(a, d); e++)
                    A->eye[e] += q;
                const uint64_t key = (uint64_t)(1u + a * M + d) | (uint64_t)1 << (7 * EP_POS);
                if (q < EP_DROP || ep_add(cur, EP_CAP, &n, key, q) != 0)
                    ep_absorb(c, A, q, 1, 0);
            }
    }
    for (unsigned t = 1; t < EP_STEPS && n; t++) {
        size_t nn = 0;
        memset(nx, 0, EP_CAP * sizeof *nx);
        for (size_t i = 0; i < EP_CAP; i++) {
            if (cur[i].m == 0)
                continue;
            A->dur += cur[i].m;
            ep_step(c, &mo, cur[i].key, cur[i].m, t, nx, &nn, A);
        }
        ep_state *sw = cur;
        cur = nx;
        nx = sw;
        n = nn;
    }
    for (size_t i = 0; i < EP_CAP && n; i++) /* left at the step limit: ended there */
        if (cur[i].m != 0)
            ep_absorb(c, A, cur[i].m, (unsigned)(cur[i].key >> (7 * EP_POS)) & 255u,
                      (unsigned)(cur[i].key >> (7 * EP_POS + 8)) & 255u);
    A->dur += 1.0; /* the first error's own symbol */
    ls_free(cur);
    ls_free(nx);
    ls_free(mo.key);
    ls_free(mo.pr);
    return LS_OK;
}

/* Gray bits of pairs and of precoded data errors. */
static void ep_bits(ep_ctx *c)
{
    const unsigned M = c->M;
    for (unsigned a = 0; a < M; a++)
        for (unsigned d = 0; d < M; d++)
            c->pbits[a][d] = __builtin_popcount(ls_pam_level_to_gray((uint8_t)a) ^ ls_pam_level_to_gray((uint8_t)d));
    for (unsigned e = 0; e < M; e++) {
        double s = 0;
        for (unsigned g = 0; g < M; g++)
            s += c->pbits[g][(g + e) % M];
        c->dbits[e] = s / M;
    }
}

/* The per-level distributions at phase 0 of the prepared context, with per-level noise. */
static void ep_dists(ep_ctx *c, se_ctx *x, const ls_stateye_errprop_config *e)
{
    long mlo = 0, mhi = 0;
    if (x->jitter)
        lsi_stateye_jitter_pmf(x, 0, &mlo, &mhi);
    for (unsigned l = 0; l < c->M; l++) {
        se_dist f = x->jitter ? lsi_stateye_mix_dist(x, mlo, mhi, l) : lsi_stateye_grid_dist(x, -x->g0, l);
        if (e && e->level_sigma_v) {
            const double s2 = f.sigma * f.sigma - x->sn2 + e->level_sigma_v[l] * e->level_sigma_v[l];
            f.sigma = sqrt(LS_MAX(0.0, s2));
        }
        c->d[l] = f.mu ? f : lsi_stateye_coarsen(&f, &x->view[l]);
    }
}

static int ep_valid(const ls_stateye_config *cfg, const ls_stateye_errprop_config *e)
{
    if (!e)
        return 1;
    const unsigned M = cfg->levels;
    if (e->pattern_v) {
        if (e->pat_pre > 2 || e->pat_post > 2)
            return 0;
        unsigned n = 1;
        for (unsigned i = 0; i < e->pat_pre + 1 + e->pat_post; i++)
            n *= M;
        if (n > EP_NPAT)
            return 0;
        for (unsigned i = 0; i < n; i++)
            if (!isfinite(e->pattern_v[i]))
                return 0;
    }
    if (!(isfinite(e->edge_dj_v[0]) && isfinite(e->edge_dj_v[1])) ||
        ((e->edge_dj_v[0] != 0 || e->edge_dj_v[1] != 0) && (!e->pattern_v || e->pat_pre < 1 || e->pat_post < 1)))
        return 0;
    for (unsigned i = 0; i < M; i++)
        if ((e->dfe_values && !isfinite(e->dfe_values[i])) ||
            (e->level_sigma_v && !(e->level_sigma_v[i] >= 0 && isfinite(e->level_sigma_v[i]))))
            return 0;
    return 1;
}

ls_status ls_stateye_errprop(const ls_stateye_config *cfg, const ls_stateye_errprop_config *ext,
                             ls_stateye_errprop_result *r)
{
    if (!cfg || !r || !lsi_stateye_valid(cfg) || !ep_valid(cfg, ext))
        return LS_EINVAL;
    ep_ctx c = {.M = cfg->levels, .bps = ls_pam_bits(cfg->levels), .prec = ext && ext->precoding};
    c.L = LS_MIN(cfg->n_dfe, EP_POS);
    if (c.prec && !c.L)
        c.L = 1;
    ep_bits(&c);
    ls_stateye_config mc = *cfg;
    float *pulse = ls_alloc_n(cfg->n_pulse, sizeof *pulse);
    double dfe[LS_STATEYE_MAX_DFE], shift[EP_NPAT];
    if (!pulse)
        return LS_ENOMEM;
    memcpy(pulse, cfg->pulse, cfg->n_pulse * sizeof *pulse);
    for (unsigned j = 0; j < cfg->n_dfe; j++)
        dfe[j] = cfg->dfe[j];
    if (ext && ext->pattern_v) {
        c.pre = ext->pat_pre;
        c.post = ext->pat_post;
        /* cursor j multiplies a_{k-j}: the earlier neighbours are post-cursors 1..pre, the later ones
           pre-cursors -post..-1 */
        for (long j = -(long)c.post; j <= (long)c.pre; j++) {
            const long i = (long)cfg->main_index + j * (long)cfg->sps;
            if (j && i >= 0 && i < (long)cfg->n_pulse)
                pulse[i] = 0.0f;
            if (j > 0 && (unsigned)j <= cfg->n_dfe)
                dfe[j - 1] = 0.0;
        }
    }
    mc.pulse = pulse;
    mc.dfe = cfg->n_dfe ? dfe : NULL;
    se_ctx x;
    ls_status st = lsi_stateye_prepare(&x, &mc);
    if (st == LS_OK) {
        for (unsigned i = 0; i + 1 < c.M; i++)
            c.th[i] = x.th[i];
        for (unsigned j = 0; j < c.L && j < cfg->n_dfe; j++)
            c.b[j] = cfg->dfe[j];
        for (unsigned i = 0; i < c.M; i++)
            c.vd[i] = ext && ext->dfe_values ? ext->dfe_values[i] : x.lv[i];
        if (ext && ext->pattern_v) {
            const unsigned W = c.pre + 1 + c.post;
            c.npat = 1;
            for (unsigned i = 0; i < W; i++)
                c.npat *= c.M;
            for (unsigned p = 0; p < c.npat; p++) {
                unsigned a = p;
                for (unsigned i = 0; i < c.post; i++)
                    a /= c.M;
                shift[p] = ext->pattern_v[p] - x.h0n * x.lv[a % c.M];
            }
            c.pat = shift;
            c.dj[0] = fabs(ext->edge_dj_v[0]);
            c.dj[1] = fabs(ext->edge_dj_v[1]);
            for (unsigned i = 0; i < c.M; i++)
                c.lv[i] = x.lv[i];
        }
        ep_dists(&c, &x, ext);
        ep_acc A;
        double p0 = 0;
        if ((st = ep_event(&c, &p0, &A)) == LS_OK) {
            memset(r, 0, sizeof *r);
            const double rate = p0 > 0 ? p0 / (1.0 + p0 * A.dur - p0) : 0.0;
            r->p_first = p0;
            r->event_rate = rate;
            r->errors_per_event = A.err;
            r->bits_per_event = A.bits;
            r->mean_span = A.span;
            r->ser = rate * A.err;
            r->ber = rate * A.bits / c.bps;
            for (unsigned e = 0; e + 1 < c.M; e++)
                r->ser_eye[e] = rate * A.eye[e];
            for (unsigned s = 0; s < LS_STATEYE_RS_HIST; s++)
                r->rs_hist[s] = A.rs[s];
        }
    }
    lsi_stateye_free(&x);
    ls_free(pulse);
    return st;
}

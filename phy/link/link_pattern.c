/*
 * The pattern engine of a non-linear (optical) link, its tables (docs/engines.md "The pattern
 * engine"). A chain with a limiting driver, an EML or ring, a square-law photodiode or a limiting
 * TIA does not have a pulse response; the receiver input at grid sample i is modelled as x[i] =
 * T_j(a_{q-c_lo-k+1} .. a_{q-c_lo}) + (G_j(w) + Q_j(w) s) s + S_j(w) n(slot), s    = sum_{c
 * outside} P_j[c] v~(a_{q-c}) - sum_c H_j[c] d_{q-c} tau_{q-c} sps, p = i - off - t0, q = floor(p /
 * sps), j = p - q sps, w = (a_{q+1}, a_q, a_{q-1}): the noiseless response T per phase j for each
 * neighbourhood of k symbols (k = 4: 256 entries for PAM4; more while the small-signal pulse's
 * energy outside the neighbourhood exceeds PAT_TAIL), a linear tail s over the other symbols
 * through the small-signal symbol pulse P (the link's linearization at its operating point,
 * lsi_link_propagate, through the TX FFE; v~ the level value minus its mean) and TX edge jitter to
 * first order through the small-signal impulse response H (d the DAC step, tau the edge offset in
 * UI), with a gain G and curvature Q per three-symbol pattern (the non-linearity's local slope and
 * bend), plus a Gaussian noise process n (the symbol engine's: every source's autocorrelation at
 * the sampler, link_symbol_noise.c) scaled by S so that a read's variance is the one measured for
 * its pattern (signal-dependent noise: shot, RIN, APD excess). Training (link_pattern_train.c) runs
 * the link's own stages (lsi_link_run_stages) on a periodic sequence -- one de Bruijn cycle B(M, k)
 * (every neighbourhood once), then uniform random symbols, PAT_PER_ENTRY per neighbourhood
 * -- first with their noise silenced (ls_block_ops.set_quiet): T, G, Q by least squares; then with
 * noise on (and the TX noise added at the DAC): the noise is the noisy minus the quiet output,
 * sample by sample, its mean square per phase and three-symbol pattern over >= PAT_NOISE_DRAWS
 * draws gives S. Approximate: the non-linear interaction of symbols beyond the neighbourhood,
 * jitter's gain, the noise's correlation between reads (the stationary process's); docs/engines.md
 * gives the measured error against the sample path.
 */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "lanesim/tx.h"
#include "link_internal.h"
#include "link_pattern.h"
#include "ls_internal.h"

#define PAT_CUT 1e-5 /* the small-signal responses' cut per sample (link_symbol.c's rule) */
#define PAT_TAIL_REL                                                                               \
    1e-3 /* the tail's cursor cut: the dropped cursors' root sum of squares, of the peak */
#define PAT_TAIL 2e-3 /* largest energy fraction of the symbol pulse left to the linear tail */
#define PAT_K_MIN 4u

void lsi_link_pattern_destroy(lsi_pat *e)
{
    if (!e)
        return;
    ls_free(e->T);
    ls_free(e->TT);
    ls_free(e->JH);
    ls_free(e->S);
    ls_free(e->G);
    ls_free(e->Q);
    lsi_link_symbol_destroy(e->nsrc);
    ls_free(e->hl);
    ls_free(e->hv);
    ls_free(e->he);
    ls_free(e->hp);
    ls_free(e->hg);
    ls_free(e->hn);
    ls_free(e->b);
    ls_free(e->tau);
    lsi_sym_tail_free(&e->ft);
    ls_free(e);
}

/* The stage that stops the pattern engine (NULL: none): a random block that cannot be silenced for
   the noiseless training, or a block that recovers the receiver's clock (it would not run). */
static const char *not_quiet(const ls_link *l)
{
    for (size_t i = 0; i < l->n_st; i++) {
        const stage *sg = &l->st[i];
        if (!sg->fir && !sg->cfir &&
            ((sg->blk.ops->reseed && !sg->blk.ops->set_quiet) || sg->blk.ops->clock_times))
            return sg->blk.ops->name;
    }
    return NULL;
}

/* The small-signal responses: h (impulse at the DAC, receiver polarity) cut to [*hlo, *hhi), and
   the symbol pulse ps[x] = sum_i taps[i] g1[x - (i + 1) sps] (g1 = h * rect(sps)) on [0, *nps). */
static ls_status small_signal(ls_link *l, lsi_pat *e, double **hp, long *hlo, long *hhi,
                              double **psp, long *nps)
{
    const double complex one = 1.0;
    double complex *g = NULL;
    size_t ng = 0;
    ls_status st = lsi_link_propagate(l, 0, &one, 1, &g, &ng);
    if (st != LS_OK)
        return st;
    const long sps = e->sps;
    double *h = ls_alloc_n(ng, sizeof *h);
    const long n = (long)ng + ((long)e->ntaps + 2) * sps;
    double *ps = ls_alloc_n((size_t)n, sizeof *ps);
    if (!h || !ps) {
        ls_free(g);
        ls_free(h);
        ls_free(ps);
        return LS_ENOMEM;
    }
    const double sign = l->invert ? -1.0 : 1.0;
    for (size_t i = 0; i < ng; i++)
        h[i] = sign * creal(g[i]);
    ls_free(g);
    lsi_cut_span(h, ng, PAT_CUT, hlo, hhi);
    for (long x = 0; x < n; x++) {
        double s = 0;
        for (size_t i = 0; i < e->ntaps; i++)
            for (long r = 0; r < sps; r++) {
                const long y = x - ((long)i + 1) * sps - r;
                s += y >= *hlo && y < *hhi ? e->taps[i] * h[y] : 0.0;
            }
        ps[x] = s;
    }
    *hp = h;
    *psp = ps;
    *nps = n;
    return LS_OK;
}

static double at(const double *x, long n, long i)
{
    return i >= 0 && i < n ? x[i] : 0.0;
}

/* The tail's cursors [ct_lo, ct_hi] shrunk from each end while the dropped cursors' largest values
   (over the phases) have a root sum of squares below PAT_TAIL_REL of the pulse's peak: random
   symbols there would add at most that rms (times the rms level value) to a read. */
static void cursor_cut(lsi_pat *e, const double *ps, long nps)
{
    const long sps = e->sps;
    const size_t n = (size_t)(e->ct_hi - e->ct_lo + 1);
    double *a = ls_alloc_n(n, sizeof *a), pk = 0;
    if (!a)
        return; /* keep the wider span */
    for (size_t r = 0; r < n; r++) {
        for (long j = 0; j < sps; j++)
            a[r] = fmax(a[r], fabs(at(ps, nps, e->t0 + j + ((long)r + e->ct_lo) * sps)));
        pk = fmax(pk, a[r]);
    }
    long lo, hi;
    lsi_cut_span(a, n, PAT_TAIL_REL, &lo, &hi);
    e->ct_hi = e->ct_lo + (int)hi - 1;
    e->ct_lo += (int)lo;
    ls_free(a);
}

/* k, c_lo and the share of the pulse's energy left outside (e->tail_frac): the smallest k >=
   PAT_K_MIN (M^k <= LSI_PAT_MAX_ENTRIES) whose best-placed neighbourhood leaves at most PAT_TAIL.
 */
static void neighbourhood(lsi_pat *e, const double *ps, long nps)
{
    const long sps = e->sps;
    double en[512] = {0}, tot = 0; /* energy per cursor, c = ct_lo + index */
    for (int c = e->ct_lo; c <= e->ct_hi && c - e->ct_lo < 512; c++) {
        for (long j = 0; j < sps; j++) {
            const double v = at(ps, nps, e->t0 + j + (long)c * sps);
            en[c - e->ct_lo] += v * v;
        }
        tot += en[c - e->ct_lo];
    }
    unsigned kmax = 1;
    for (unsigned np = e->M; np * e->M <= LSI_PAT_MAX_ENTRIES && kmax < LSI_PAT_MAX_K; np *= e->M)
        kmax++;
    for (unsigned k = LS_MIN(PAT_K_MIN, kmax); k <= kmax; k++) {
        double best = -1;
        for (int lo = 1 - (int)k; lo <= 0; lo++) {
            double w = 0;
            for (int c = lo; c < lo + (int)k; c++)
                w += c >= e->ct_lo && c <= e->ct_hi ? en[c - e->ct_lo] : 0.0;
            if (w > best) {
                best = w;
                e->c_lo = lo;
            }
        }
        e->k = k;
        e->tail_frac = tot > 0 ? 1.0 - best / tot : 0.0;
        if (e->tail_frac <= PAT_TAIL)
            break;
    }
    e->npat = 1;
    for (unsigned i = 0; i < e->k; i++)
        e->npat *= e->M;
}

/* The tail and jitter tables, reversed (r = ct_hi - c), per phase. */
static ls_status tail_tables(lsi_pat *e, const double *h, long hlo, long hhi, const double *ps,
                             long nps)
{
    const long sps = e->sps;
    e->nt = ((size_t)(e->ct_hi - e->ct_lo + 1) + 7) & ~(size_t)7;
    if (!(e->TT = ls_alloc_n((size_t)sps * e->nt, sizeof *e->TT)) ||
        !(e->JH = ls_alloc_n((size_t)sps * e->nt, sizeof *e->JH)))
        return LS_ENOMEM;
    double *a = ls_alloc_n(e->nt, sizeof *a);
    if (!a)
        return LS_ENOMEM;
    for (long j = 0; j < sps; j++)
        for (int c = e->ct_lo; c <= e->ct_hi; c++) {
            const size_t r = (size_t)j * e->nt + (size_t)(e->ct_hi - c);
            const int in = c >= e->c_lo && c < e->c_lo + (int)e->k;
            e->TT[r] = in ? 0.0f : (float)at(ps, nps, e->t0 + j + (long)c * sps);
            const long y = e->t0 + j + (long)(c - 1) * sps;
            e->JH[r] = y >= hlo && y < hhi ? (float)h[y] : 0.0f;
            a[e->ct_hi - c] = fmax(a[e->ct_hi - c], fabs(e->JH[r]) * sps);
        }
    /* the jitter's cursors: an edge moves by at most 0.49 UI, so the dropped ones add below
       PAT_TAIL_REL of the symbol pulse's peak times the step (the same rule as the tail's) */
    double pk = 0;
    for (long x = 0; x < nps; x++)
        pk = fmax(pk, fabs(ps[x]));
    long lo = 0, hi = 0;
    for (size_t r = 0; r < e->nt; r++)
        a[r] *= 0.49 / pk;
    lsi_cut_span(a, e->nt, PAT_TAIL_REL, &lo, &hi);
    e->jr0 = (size_t)lo & ~(size_t)7;
    e->jnr = LS_MIN(((size_t)hi - e->jr0 + 7) & ~(size_t)7, e->nt - e->jr0);
    ls_free(a);
    return LS_OK;
}

/* The far tail by FFT (link_symbol_tail.c): cursors c0 .. ct_hi with c0 the first cursor past the
   neighbourhood (and 0) whose kernel length Lt = ct_hi - c0 + 1 is a multiple of 8 and whose block
   fits in the symbols the history holds beyond a read's UI plus c0. Those are at least -ct_lo (grid()
   asks them) and (off + t0) / sps - 2: the receiver reads sample i once the chunk that holds it was
   pushed, and i is UI q = (i - off - t0) / sps (link_symbol.c's lead, with t_lo). */
static ls_status far_tail(lsi_pat *e)
{
    const long lead = LS_MAX(-(long)e->ct_lo, (e->off + e->t0) / (long)e->sps - 2);
    const int cmin = LS_MAX(1, e->c_lo + (int)e->k);
    long Lt = ((long)e->ct_hi - cmin + 1) & ~7L;
    for (; Lt >= 64; Lt -= 8) {
        const size_t N = lsi_pow2_at_least((size_t)Lt + 64);
        if ((long)(N - (size_t)Lt + 1) <= e->ct_hi + 1 - Lt + lead)
            break;
    }
    if (Lt < 64)
        return LS_OK; /* all direct */
    e->c0 = e->ct_hi + 1 - (int)Lt;
    const long sps = e->sps;
    ls_status st = lsi_tail_plan(&e->ft, (size_t)Lt, (size_t)(e->c0 + lead), (unsigned)sps - 1, (size_t)sps, 2);
    if (st != LS_OK || !e->ft.fft)
        return st;
    const size_t nf = e->ft.N / 2 + 1;
    const float scale = 1.0f / (float)e->ft.N;
    float *k = ls_alloc_n((size_t)Lt, sizeof *k);
    if (!k)
        return LS_ENOMEM;
    for (long j = 0; j < sps; j++)
        for (int pass = 0; pass < 2; pass++) {
            for (long r = 0; r < Lt; r++) { /* cursor c0 + r at table index ct_hi - c0 - r */
                const size_t ri = (size_t)(Lt - 1 - r);
                const int in = !pass || (ri >= e->jr0 && ri < e->jr0 + e->jnr);
                k[r] = in ? (pass ? e->JH : e->TT)[(size_t)j * e->nt + ri] * scale : 0.0f;
            }
            lsi_tail_kernel(&e->ft, k, (pass ? e->ft.Fh : e->ft.Fg) + (size_t)j * nf);
        }
    ls_free(k);
    return LS_OK;
}

/* The noise process (the symbol engine's, every source at its operating point) and its variance. */
static ls_status noise_process(ls_link *l, lsi_pat *e, char *msg, size_t cap)
{
    if (!(e->nsrc = ls_alloc(sizeof *e->nsrc)))
        return LS_ENOMEM;
    e->nsrc->sps = e->sps;
    ls_status st = lsi_sym_noise_build(l, e->nsrc, msg, cap);
    if (st != LS_OK)
        return st;
    const lsi_sym_noise *nz = &e->nsrc->nz;
    double r0 = nz->white_sigma * nz->white_sigma;
    for (size_t n = 0; nz->c && n < nz->nc; n++)
        r0 += (double)nz->c[n] * nz->c[n];
    e->noise_r0 = r0;
    return LS_OK;
}

/* The frame's per-symbol history: the tail's cursors, the receiver's lag and a chunk. */
static ls_status history(ls_link *l, lsi_pat *e)
{
    const size_t C = l->chunk;
    e->hkeep = (size_t)(e->ct_hi - e->ct_lo) + 2 + l->info.latency / e->sps +
               (size_t)LS_MAX(0, -e->ct_lo) + 64 + LS_RX_MAX_FFE +
               (size_t)LS_MAX(0, (e->off + e->t0) / (long)e->sps) + e->ft.B;
    e->hlen = e->hkeep + C + 4;
    e->dq = LS_MAX(LS_MAX(-e->c_lo, 1), (int)LSI_PAT_SW); /* the newest symbol an index of UI q uses */
    if (!(e->hl = ls_alloc_n(e->hlen, 1)) || !(e->hv = ls_alloc_n(e->hlen, sizeof *e->hv)) ||
        !(e->he = ls_alloc_n(e->hlen, sizeof *e->he)) || !(e->hp = ls_alloc_n(e->hlen, sizeof *e->hp)) ||
        !(e->hg = ls_alloc_n(e->hlen, sizeof *e->hg)) || !(e->hn = ls_alloc_n(e->hlen, sizeof *e->hn)) ||
        !(e->b = ls_alloc_n(C, sizeof *e->b)) ||
        !(e->tau = ls_alloc_n(C, sizeof *e->tau)))
        return LS_ENOMEM;
    return LS_OK;
}

/* The trained tables of from (a link of the same configuration) into e when its geometry, fixed before
   training, is the same (training is deterministic: the copy equals what training would give); 1 when
   copied, 0 when e must be trained, -1 out of memory. */
static int copy_trained(lsi_pat *e, const lsi_pat *from)
{
    if (!from || from->sps != e->sps || from->M != e->M || from->k != e->k || from->npat != e->npat ||
        from->nsp != e->nsp || from->c_lo != e->c_lo || from->ct_lo != e->ct_lo || from->ct_hi != e->ct_hi ||
        from->off != e->off || from->t0 != e->t0 || from->ntaps != e->ntaps || from->noise_r0 != e->noise_r0 ||
        memcmp(from->taps, e->taps, sizeof e->taps) || memcmp(from->vlev, e->vlev, sizeof e->vlev))
        return 0;
    const size_t nt = (size_t)e->sps * e->npat, ns = (size_t)e->sps * e->nsp, nv = (size_t)e->sps * e->M * e->M * e->M;
    if (!(e->T = ls_alloc_n(nt, sizeof *e->T)) || !(e->S = ls_alloc_n(ns, sizeof *e->S)) ||
        !(e->G = ls_alloc_n(nv, sizeof *e->G)) || !(e->Q = ls_alloc_n(nv, sizeof *e->Q)))
        return -1;
    memcpy(e->T, from->T, nt * sizeof *e->T);
    memcpy(e->S, from->S, ns * sizeof *e->S);
    memcpy(e->G, from->G, nv * sizeof *e->G);
    memcpy(e->Q, from->Q, nv * sizeof *e->Q);
    e->train_symbols = from->train_symbols;
    e->noise_reps = from->noise_reps;
    return 1;
}

ls_status lsi_link_pattern_build(ls_link *l, const lsi_pat *from, char *msg, size_t cap)
{
    if (l->pat)
        return LS_OK;
    const char *why = not_quiet(l);
    if (why) {
        lsi_say(
            msg, cap,
            "stage '%s' has noise that cannot be silenced for the pattern engine's training, or "
            "recovers the receiver's clock",
            why);
        return LS_EINVAL;
    }
    if (l->info.levels > 8) {
        lsi_say(msg, cap, "the pattern engine takes PAM2..PAM8");
        return LS_EINVAL;
    }
    lsi_pat *e = ls_alloc(sizeof *e);
    if (!e)
        return LS_ENOMEM;
    e->sps = l->info.sps;
    while ((1u << e->sps_log2) < e->sps)
        e->sps_log2++;
    e->M = l->info.levels;
    e->nsp = 1;
    for (int c = -(int)LSI_PAT_SW; c <= (int)LSI_PAT_SW; c++)
        e->nsp *= e->M;
    size_t main_tap;
    e->ntaps = ls_tx_ffe_taps(l->tx, e->taps, &main_tap);
    ls_tx_level_values(l->tx, e->vlev);
    double vm = 0;
    for (unsigned a = 0; a < e->M; a++)
        vm += e->vlev[a] / e->M;
    for (unsigned a = 0; a < e->M; a++)
        e->vlc[a] = e->vlev[a] - vm;
    for (size_t i = 0; i < l->n_st; i++)
        e->off += l->st[i].fir    ? (long)ls_fftfilt_latency(l->st[i].fir)
                  : l->st[i].cfir ? (long)ls_cfftfilt_latency(l->st[i].cfir)
                                  : 0;
    double *h = NULL, *ps = NULL;
    long hlo = 0, hhi = 0, nps = 0;
    ls_status st = small_signal(l, e, &h, &hlo, &hhi, &ps, &nps);
    if (st == LS_OK) {
        const long sps = e->sps;
        long xp = 0, lo, hi;
        for (long x = 0; x < nps; x++)
            xp = fabs(ps[x]) > fabs(ps[xp]) ? x : xp;
        e->t0 = xp - sps / 2;
        lsi_cut_span(ps, (size_t)nps, PAT_CUT, &lo, &hi);
        /* cursors whose UI [t0 + c sps, t0 + (c + 1) sps) meets the pulse or (shifted one UI) the
         * impulse response */
        const long a = LS_MIN(lo, hlo + sps), b = LS_MAX(hi, hhi + sps);
        e->ct_lo = (int)floor((double)(a - e->t0 - sps + 1) / (double)sps);
        e->ct_hi = (int)floor((double)(b - 1 - e->t0) / (double)sps);
        cursor_cut(e, ps, nps);
        e->ct_lo =
            LS_MIN(e->ct_lo, 1 - (int)LSI_PAT_MAX_K); /* every neighbourhood and q +- 1 inside */
        e->ct_hi = LS_MAX(e->ct_hi, (int)LSI_PAT_MAX_K - 1);
        neighbourhood(e, ps, nps);
        st = tail_tables(e, h, hlo, hhi, ps, nps);
        if (st == LS_OK)
            st = far_tail(e);
    }
    ls_free(h);
    ls_free(ps);
    if (st == LS_OK)
        st = noise_process(l, e, msg, cap);
    if (st == LS_OK)
        st = history(l, e);
    if (st == LS_OK) {
        const int cp = copy_trained(e, from);
        st = cp < 0 ? LS_ENOMEM : cp ? LS_OK : lsi_pat_train(l, e, msg, cap);
    }
    if (st != LS_OK) {
        if (st == LS_ENOMEM && msg && !msg[0])
            lsi_say(msg, cap, "out of memory");
        lsi_link_pattern_destroy(e);
        return st;
    }
    l->pat = e;
    return LS_OK;
}

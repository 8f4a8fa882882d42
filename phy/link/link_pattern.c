/*
 * The pattern engine of a non-linear (optical) link, its tables (docs/engines.md "The pattern engine").
 * A chain with a limiting driver, an EML or ring, a square-law photodiode or a limiting TIA does not
 * have a pulse response; the receiver input at grid sample i is modelled as
 *     x[i] = T_j(a_{q-c_lo-k+1} .. a_{q-c_lo}) + (G_j(w) + Q_j(w) s) s + S_j(w) n(slot),
 *     s    = sum_{c outside} P_j[c] v~(a_{q-c}) - sum_c H_j[c] d_{q-c} tau_{q-c} sps,
 * p = i - off - t0, q = floor(p / sps), j = p - q sps, w = (a_{q+1}, a_q, a_{q-1}): the noiseless
 * response T per phase j for each neighbourhood of k symbols (k = 4: 256 entries for PAM4; more while
 * the small-signal pulse's energy outside the neighbourhood exceeds PAT_TAIL), a linear tail s over the
 * other symbols through the small-signal symbol pulse P (the link's linearization at its operating
 * point, lsi_link_propagate, through the TX FFE; v~ the level value minus its mean) and TX edge jitter
 * to first order through the small-signal impulse response H (d the DAC step, tau the edge offset in
 * UI), with a gain G and curvature Q per three-symbol pattern (the non-linearity's local slope and
 * bend), plus a Gaussian noise process n (the symbol engine's: every source's autocorrelation at the
 * sampler, link_symbol_noise.c) scaled by S so that a read's variance is the one measured for its
 * pattern (signal-dependent noise: shot, RIN, APD excess).
 * Training runs the link's own stages (lsi_link_run_stages) on a periodic sequence -- one de Bruijn
 * cycle B(M, k) (every neighbourhood once), then uniform random symbols, PAT_PER_ENTRY per neighbourhood
 * -- first with their noise silenced (ls_block_ops.set_quiet): T, G, Q by least squares; then with noise
 * on (and the TX noise added at the DAC): the noise is the noisy minus the quiet output, sample by
 * sample, its mean square per phase and three-symbol pattern over >= PAT_NOISE_DRAWS draws gives S.
 * Approximate: the non-linear interaction of symbols beyond the neighbourhood, jitter's gain, the
 * noise's correlation between reads (the stationary process's); docs/engines.md gives the measured
 * error against the sample path.
 */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "lanesim/rng.h"
#include "lanesim/tx.h"
#include "link_internal.h"
#include "link_pattern.h"
#include "ls_internal.h"

#define PAT_CUT 1e-5   /* the small-signal responses' cut per sample (link_symbol.c's rule) */
#define PAT_TAIL_REL 1e-3 /* the tail's cursor cut: the dropped cursors' root sum of squares, of the peak */
#define PAT_TAIL 2e-3     /* largest energy fraction of the symbol pulse left to the linear tail */
#define PAT_K_MIN 4u
#define PAT_SW ((int)LSI_PAT_SW) /* the noise scale's symbols: q - PAT_SW .. q + PAT_SW */
#define PAT_PER_ENTRY 16u  /* training symbols per neighbourhood */
#define PAT_MIN_TRAIN 16384u
#define PAT_NOISE_DRAWS 2048u /* noise draws per (phase, three-symbol pattern) at least */
#define PAT_SEED 0xB1D0E5ull

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
    ls_free(e->b);
    ls_free(e->tau);
    ls_free(e);
}

/* The stage that stops the pattern engine (NULL: none): a random block that cannot be silenced for the
   noiseless training, or a block that recovers the receiver's clock (it would not run). */
static const char *not_quiet(const ls_link *l)
{
    for (size_t i = 0; i < l->n_st; i++) {
        const stage *sg = &l->st[i];
        if (!sg->fir && !sg->cfir && ((sg->blk.ops->reseed && !sg->blk.ops->set_quiet) || sg->blk.ops->clock_times))
            return sg->blk.ops->name;
    }
    return NULL;
}

static void set_quiet(ls_link *l, int quiet)
{
    for (size_t i = 0; i < l->n_st; i++) {
        const stage *sg = &l->st[i];
        if (!sg->fir && !sg->cfir && sg->blk.ops->set_quiet)
            sg->blk.ops->set_quiet(sg->blk.self, quiet);
    }
}

/* The de Bruijn sequence B(M, n) into out[0 .. M^n): Lyndon words of lengths dividing n, in order (Duval). */
static size_t de_bruijn(unsigned M, unsigned n, uint8_t *out)
{
    int w[LSI_PAT_MAX_K + 3];
    size_t len = 0;
    unsigned m = 1;
    w[0] = -1;
    while (m > 0) {
        w[m - 1]++;
        if (n % m == 0)
            for (unsigned i = 0; i < m; i++)
                out[len++] = (uint8_t)w[i];
        for (unsigned t = m; t < n; t++)
            w[t] = w[t - m];
        m = n;
        while (m > 0 && w[m - 1] == (int)M - 1)
            m--;
    }
    return len;
}

/* The small-signal responses: h (impulse at the DAC, receiver polarity) cut to [*hlo, *hhi), and the
   symbol pulse ps[x] = sum_i taps[i] g1[x - (i + 1) sps] (g1 = h * rect(sps)) on [0, *nps). */
static ls_status small_signal(ls_link *l, lsi_pat *e, double **hp, long *hlo, long *hhi, double **psp, long *nps)
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

/* The tail's cursors [ct_lo, ct_hi] shrunk from each end while the dropped cursors' largest values (over
   the phases) have a root sum of squares below PAT_TAIL_REL of the pulse's peak: random symbols there
   would add at most that rms (times the rms level value) to a read. */
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

/* k, c_lo and the share of the pulse's energy left outside (e->tail_frac): the smallest k >= PAT_K_MIN
   (M^k <= LSI_PAT_MAX_ENTRIES) whose best-placed neighbourhood leaves at most PAT_TAIL. */
static void neighbourhood(lsi_pat *e, const double *ps, long nps)
{
    const long sps = e->sps;
    double en[512] = { 0 }, tot = 0; /* energy per cursor, c = ct_lo + index */
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
static ls_status tail_tables(lsi_pat *e, const double *h, long hlo, long hhi, const double *ps, long nps)
{
    const long sps = e->sps;
    e->nt = ((size_t)(e->ct_hi - e->ct_lo + 1) + 7) & ~(size_t)7;
    if (!(e->TT = ls_alloc_n((size_t)sps * e->nt, sizeof *e->TT)) || !(e->JH = ls_alloc_n((size_t)sps * e->nt, sizeof *e->JH)))
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
    /* the jitter's cursors: an edge moves by at most 0.49 UI, so the dropped ones add below PAT_TAIL_REL of
       the symbol pulse's peak times the step (the same rule as the tail's) */
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

/* Output samples [0, nx) of the link's stages for the periodic training sequence seq[0..L) (DAC sample N
   holds b_{N/sps - 1}, b the TX FFE over the sequence), stages silenced or with noise (seed; the TX
   noise added at the DAC), in the receiver's polarity. */
static ls_status train_run(ls_link *l, const lsi_pat *e, const double *bseq, size_t L, size_t nx, int noisy,
                           uint64_t seed, float *x)
{
    const size_t sps = e->sps, n = l->chunk * sps;
    set_quiet(l, !noisy);
    ls_status st = lsi_link_reset_stages(l, seed, 0);
    ls_rng rng;
    ls_rng_seed(&rng, seed, 0x9a7, 0);
    const double sig_tx = sqrt(ls_tx_noise_var(l->tx));
    for (size_t pos = 0; pos < nx && st == LS_OK; pos += n) {
        for (size_t s = 0; s < n; s++) {
            const size_t m = (pos + s) / sps;
            l->wave[s] = (float)bseq[(m + L - 1) % L];
        }
        if (noisy && sig_tx > 0)
            ls_rng_gauss_add(&rng, l->wave, n, (float)sig_tx);
        if ((st = lsi_link_run_stages(l, l->n_st, n)) != LS_OK)
            break;
        const size_t m = LS_MIN(n, nx - pos);
        for (size_t s = 0; s < m; s++)
            x[pos + s] = l->invert ? -l->wave[s] : l->wave[s];
    }
    set_quiet(l, 0);
    return st;
}

/* Symbol m of the periodic sequence seq[0..L). */
static unsigned sq(const uint8_t *seq, size_t L, int64_t m)
{
    return seq[(size_t)((m % (int64_t)L + (int64_t)L) % (int64_t)L)];
}

/* The pattern index of the neighbourhood of UI q in the periodic sequence (symbol q - c_lo in the lowest digit). */
static unsigned seq_pattern(const lsi_pat *e, const uint8_t *seq, size_t L, int64_t q)
{
    unsigned p = 0;
    for (int c = e->c_lo + (int)e->k - 1; c >= e->c_lo; c--)
        p = p * e->M + sq(seq, L, q - c);
    return p;
}

/* The three-symbol pattern (a_{q+1}, a_q, a_{q-1}) of UI q in the periodic sequence. */
static unsigned seq_vp(const lsi_pat *e, const uint8_t *seq, size_t L, int64_t q)
{
    return (sq(seq, L, q + 1) * e->M + sq(seq, L, q)) * e->M + sq(seq, L, q - 1);
}

/* The model's value at training sample r (tail t) with the gains of entry g. */
static double tail_model(const lsi_pat *e, size_t g, double t)
{
    return (e->G[g] + e->Q[g] * t) * t;
}

/* T, G and Q from the quiet run x: T = mean of x - (G + Q t) t per (phase, neighbourhood); G and Q, the
   tail's gain and curvature per (phase, three-symbol pattern), by least squares (the non-linearity's local
   slope and bend around that pattern); three passes from G = 1, Q = 0. */
static ls_status fit_table(lsi_pat *e, const uint8_t *seq, size_t L, int64_t W, const float *x)
{
    const long sps = e->sps;
    const unsigned M = e->M;
    const size_t nT = (size_t)sps * e->npat, nG = (size_t)sps * M * M * M;
    float *tail = ls_alloc_n(L * (size_t)sps, sizeof *tail), *v = ls_alloc_n(L + e->nt + 8, sizeof *v);
    double *sum = ls_alloc_n(nT, sizeof *sum), *mom = ls_alloc_n(5 * nG, sizeof *mom);
    size_t *cnt = ls_alloc_n(nT, sizeof *cnt);
    ls_status st = LS_ENOMEM;
    if (!tail || !v || !sum || !mom || !cnt)
        goto done;
    for (size_t m = 0; m < L + e->nt; m++) /* v[m]: centred level of symbol W - ct_hi + m */
        v[m] = (float)e->vlc[sq(seq, L, W - e->ct_hi + (int64_t)m)];
    for (int64_t q = W; q < W + (int64_t)L; q++)
        for (long j = 0; j < sps; j++) {
            const float *tt = e->TT + (size_t)j * e->nt, *w = v + (q - W);
            float s[8] = { 0 };
            for (size_t r = 0; r < e->nt; r += 8)
                for (unsigned u = 0; u < 8; u++)
                    s[u] += tt[r + u] * w[r + u];
            double t = 0;
            for (unsigned u = 0; u < 8; u++)
                t += s[u];
            tail[(size_t)(q - W) * (size_t)sps + (size_t)j] = (float)t;
        }
    for (size_t r = 0; r < nG; r++)
        e->G[r] = 1.0f;
    for (int pass = 0;; pass++) {
        memset(sum, 0, nT * sizeof *sum);
        memset(cnt, 0, nT * sizeof *cnt);
        for (int64_t q = W; q < W + (int64_t)L; q++) {
            const unsigned pat = seq_pattern(e, seq, L, q), vp = seq_vp(e, seq, L, q);
            for (long j = 0; j < sps; j++) {
                const size_t i = (size_t)(e->off + e->t0 + q * sps + j), r = (size_t)j * e->npat + pat;
                sum[r] += x[i] - tail_model(e, (size_t)j * M * M * M + vp, tail[(size_t)(q - W) * (size_t)sps + (size_t)j]);
                cnt[r]++;
            }
        }
        for (size_t r = 0; r < nT; r++)
            e->T[r] = cnt[r] ? (float)(sum[r] / (double)cnt[r]) : 0.0f;
        if (pass == 3)
            break;
        memset(mom, 0, 5 * nG * sizeof *mom);
        for (int64_t q = W; q < W + (int64_t)L; q++) {
            const unsigned pat = seq_pattern(e, seq, L, q), vp = seq_vp(e, seq, L, q);
            for (long j = 0; j < sps; j++) {
                const size_t i = (size_t)(e->off + e->t0 + q * sps + j), g = (size_t)j * M * M * M + vp;
                const double t = tail[(size_t)(q - W) * (size_t)sps + (size_t)j], d = x[i] - e->T[(size_t)j * e->npat + pat];
                double *m = mom + 5 * g;
                m[0] += t * t;
                m[1] += t * t * t;
                m[2] += t * t * t * t;
                m[3] += d * t;
                m[4] += d * t * t;
            }
        }
        for (size_t g = 0; g < nG; g++) {
            const double *m = mom + 5 * g, det = m[0] * m[2] - m[1] * m[1];
            if (m[0] > 0 && det > 1e-9 * m[0] * m[2]) {
                e->G[g] = (float)((m[3] * m[2] - m[4] * m[1]) / det);
                e->Q[g] = (float)((m[0] * m[4] - m[1] * m[3]) / det);
            }
        }
    }
    st = LS_OK;
done:
    ls_free(tail);
    ls_free(v);
    ls_free(sum);
    ls_free(mom);
    ls_free(cnt);
    return st;
}

/* T from the quiet run x (W the first UI used), and S from R noisy runs of the same input. */
static ls_status train(ls_link *l, lsi_pat *e, char *msg, size_t cap)
{
    const unsigned M = e->M;
    const size_t L = LS_MAX((size_t)PAT_PER_ENTRY * e->npat, (size_t)PAT_MIN_TRAIN);
    size_t span = 0;
    for (size_t i = 0; i < l->n_st; i++)
        span += l->st[i].nh + l->st[i].nhc;
    const long sps = e->sps;
    const int64_t W = (int64_t)(span / (size_t)sps) + (int64_t)e->ntaps + 2 - e->ct_lo + 8;
    const size_t nx = (size_t)(e->off + e->t0 + (W + (int64_t)L) * sps + 1), nv = (size_t)sps * M * M * M,
                 nsv = (size_t)sps * e->nsp;
    const double r0 = e->noise_r0;
    unsigned R = r0 > 0 ? (unsigned)((PAT_NOISE_DRAWS * (size_t)e->nsp + L - 1) / L) : 0;
    R = LS_MIN(R, 32u);
    uint8_t *seq = ls_alloc_n(L, 1);
    double *bseq = ls_alloc_n(L, sizeof *bseq), *sum = ls_alloc_n((size_t)sps * e->npat, sizeof *sum),
           *v2 = ls_alloc_n(nsv, sizeof *v2);
    float *xq = ls_alloc_n(nx, sizeof *xq), *xn = R ? ls_alloc_n(nx, sizeof *xn) : NULL;
    size_t *cnt = ls_alloc_n((size_t)sps * e->npat, sizeof *cnt), *cv = ls_alloc_n(nsv, sizeof *cv);
    ls_status st = LS_ENOMEM;
    if (!seq || !bseq || !sum || !v2 || !xq || (R && !xn) || !cnt || !cv ||
        !(e->T = ls_alloc_n((size_t)sps * e->npat, sizeof *e->T)) || !(e->S = ls_alloc_n(nsv, sizeof *e->S)) ||
        !(e->G = ls_alloc_n(nv, sizeof *e->G)) || !(e->Q = ls_alloc_n(nv, sizeof *e->Q)))
        goto done;
    /* every neighbourhood once (de Bruijn B(M, k)), then uniform random symbols: the far symbols of each
       neighbourhood vary independently of it, so their non-linear share averages out of T */
    const size_t nb = de_bruijn(M, e->k, seq);
    ls_rng rng;
    ls_rng_seed(&rng, PAT_SEED, 0x7a1, 0);
    for (size_t k = nb; k < L; k++)
        seq[k] = (uint8_t)ls_rng_below(&rng, M);
    for (size_t k = 0; k < L; k++) {
        double b = 0;
        for (size_t i = 0; i < e->ntaps; i++)
            b += e->taps[i] * e->vlev[seq[(k + L - i % L) % L]];
        bseq[k] = b;
    }
    if ((st = train_run(l, e, bseq, L, nx, 0, PAT_SEED, xq)) != LS_OK) {
        lsi_say(msg, cap, "pattern engine: training run failed (%s)", ls_strerror(st));
        goto done;
    }
    if ((st = fit_table(e, seq, L, W, xq)) != LS_OK)
        goto done;
    for (unsigned rep = 0; rep < R; rep++) {
        if ((st = train_run(l, e, bseq, L, nx, 1, PAT_SEED + 1 + rep, xn)) != LS_OK) {
            lsi_say(msg, cap, "pattern engine: noise training run failed (%s)", ls_strerror(st));
            goto done;
        }
        for (int64_t q = W; q < W + (int64_t)L; q++) {
            unsigned vs = 0;
            for (int c = PAT_SW; c >= -PAT_SW; c--)
                vs = vs * M + sq(seq, L, q - c);
            for (long j = 0; j < sps; j++) {
                const size_t i = (size_t)(e->off + e->t0 + q * sps + j), r = (size_t)j * e->nsp + vs;
                const double d = (double)xn[i] - (double)xq[i];
                v2[r] += d * d;
                cv[r]++;
            }
        }
    }
    for (size_t r = 0; r < nsv; r++)
        e->S[r] = R && cv[r] ? (float)sqrt(v2[r] / (double)cv[r] / r0) : 0.0f;
    e->train_symbols = (unsigned)L;
    e->noise_reps = R;
    st = LS_OK;
done:
    ls_free(seq);
    ls_free(bseq);
    ls_free(sum);
    ls_free(v2);
    ls_free(xq);
    ls_free(xn);
    ls_free(cnt);
    ls_free(cv);
    return st;
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
    e->hkeep = (size_t)(e->ct_hi - e->ct_lo) + 2 + l->info.latency / e->sps + (size_t)LS_MAX(0, -e->ct_lo) + 64 +
               LS_RX_MAX_FFE + (size_t)LS_MAX(0, (e->off + e->t0) / (long)e->sps);
    e->hlen = e->hkeep + C + 4;
    if (!(e->hl = ls_alloc_n(e->hlen, 1)) || !(e->hv = ls_alloc_n(e->hlen, sizeof *e->hv)) ||
        !(e->he = ls_alloc_n(e->hlen, sizeof *e->he)) || !(e->b = ls_alloc_n(C, sizeof *e->b)) ||
        !(e->tau = ls_alloc_n(C, sizeof *e->tau)))
        return LS_ENOMEM;
    return LS_OK;
}

ls_status lsi_link_pattern_build(ls_link *l, char *msg, size_t cap)
{
    if (l->pat)
        return LS_OK;
    const char *why = not_quiet(l);
    if (why) {
        lsi_say(msg, cap, "stage '%s' has noise that cannot be silenced for the pattern engine's training, or "
                          "recovers the receiver's clock", why);
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
    e->M = l->info.levels;
    e->nsp = 1;
    for (int c = -PAT_SW; c <= PAT_SW; c++)
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
        e->off += l->st[i].fir ? (long)ls_fftfilt_latency(l->st[i].fir)
                  : l->st[i].cfir ? (long)ls_cfftfilt_latency(l->st[i].cfir) : 0;
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
        /* cursors whose UI [t0 + c sps, t0 + (c + 1) sps) meets the pulse or (shifted one UI) the impulse response */
        const long a = LS_MIN(lo, hlo + sps), b = LS_MAX(hi, hhi + sps);
        e->ct_lo = (int)floor((double)(a - e->t0 - sps + 1) / (double)sps);
        e->ct_hi = (int)floor((double)(b - 1 - e->t0) / (double)sps);
        cursor_cut(e, ps, nps);
        e->ct_lo = LS_MIN(e->ct_lo, 1 - (int)LSI_PAT_MAX_K); /* every neighbourhood and q +- 1 inside */
        e->ct_hi = LS_MAX(e->ct_hi, (int)LSI_PAT_MAX_K - 1);
        neighbourhood(e, ps, nps);
        st = tail_tables(e, h, hlo, hhi, ps, nps);
    }
    ls_free(h);
    ls_free(ps);
    if (st == LS_OK)
        st = noise_process(l, e, msg, cap);
    if (st == LS_OK)
        st = history(l, e);
    if (st == LS_OK)
        st = train(l, e, msg, cap);
    if (st != LS_OK) {
        if (st == LS_ENOMEM && msg && !msg[0])
            lsi_say(msg, cap, "out of memory");
        lsi_link_pattern_destroy(e);
        return st;
    }
    l->pat = e;
    return LS_OK;
}

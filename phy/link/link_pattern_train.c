/*
 * The pattern engine's training (docs/engines.md "The pattern engine"; the model: link_pattern.c).
 * The link's own stages (lsi_link_run_stages) run on a periodic sequence -- one de Bruijn cycle
 * B(M, k), every neighbourhood once, then uniform random symbols, PAT_PER_ENTRY per neighbourhood
 * in all, so that the symbols beyond each neighbourhood vary independently of it -- whose DAC
 * waveform is the TX's (FFE, one-UI latency, no jitter). First with every noise block silenced
 * (ls_block_ops.set_quiet): T, and the tail's gain G and curvature Q per (phase, three-symbol
 * pattern), by least squares in three passes from G = 1, Q = 0. Then R times with noise on (the TX
 * noise added at the DAC): the noise is the noisy minus the quiet output sample by sample; its mean
 * square per (phase, three-symbol pattern) over >= PAT_NOISE_DRAWS draws, over the noise process's
 * variance, gives S^2.
 */
#include <math.h>
#include <string.h>

#include "lanesim/rng.h"
#include "lanesim/tx.h"
#include "link_internal.h"
#include "link_pattern.h"
#include "ls_internal.h"

#define PAT_SW ((int)LSI_PAT_SW) /* the noise scale's symbols: q - PAT_SW .. q + PAT_SW */
#define PAT_PER_ENTRY 16u        /* training symbols per neighbourhood */
#define PAT_MIN_TRAIN 16384u
#define PAT_NOISE_DRAWS 2048u /* noise draws per (phase, three-symbol pattern) at least */
#define PAT_SEED 0xB1D0E5ull

static void set_quiet(ls_link *l, int quiet)
{
    for (size_t i = 0; i < l->n_st; i++) {
        const stage *sg = &l->st[i];
        if (!sg->fir && !sg->cfir && sg->blk.ops->set_quiet)
            sg->blk.ops->set_quiet(sg->blk.self, quiet);
    }
}

/* The de Bruijn sequence B(M, n) into out[0 .. M^n): Lyndon words of lengths dividing n, in order
 * (Duval). */
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

/* Output samples [0, nx) of the link's stages for the periodic training sequence seq[0..L) (DAC
   sample N holds b_{N/sps - 1}, b the TX FFE over the sequence), stages silenced or with noise
   (seed; the TX noise added at the DAC), in the receiver's polarity. */
static ls_status train_run(ls_link *l, const lsi_pat *e, const double *bseq, size_t L, size_t nx,
                           int noisy, uint64_t seed, float *x)
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
        if ((st = lsi_link_run_stages(l, l->n_st, n, NULL)) != LS_OK)
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

/* The pattern index of the neighbourhood of UI q in the periodic sequence (symbol q - c_lo in the
 * lowest digit). */
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

/* T, G and Q from the quiet run x: T = mean of x - (G + Q t) t per (phase, neighbourhood); G and Q,
   the tail's gain and curvature per (phase, three-symbol pattern), by least squares (the
   non-linearity's local slope and bend around that pattern); three passes from G = 1, Q = 0. */
static ls_status fit_table(lsi_pat *e, const uint8_t *seq, size_t L, int64_t W, const float *x)
{
    const long sps = e->sps;
    const unsigned M = e->M;
    const size_t nT = (size_t)sps * e->npat, nG = (size_t)sps * M * M * M;
    float *tail = ls_alloc_n(L * (size_t)sps, sizeof *tail),
          *v = ls_alloc_n(L + e->nt + 8, sizeof *v);
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
            float s[8] = {0};
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
                const size_t i = (size_t)(e->off + e->t0 + q * sps + j),
                             r = (size_t)j * e->npat + pat;
                sum[r] += x[i] - tail_model(e, (size_t)j * M * M * M + vp,
                                            tail[(size_t)(q - W) * (size_t)sps + (size_t)j]);
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
                const size_t i = (size_t)(e->off + e->t0 + q * sps + j),
                             g = (size_t)j * M * M * M + vp;
                const double t = tail[(size_t)(q - W) * (size_t)sps + (size_t)j],
                             d = x[i] - e->T[(size_t)j * e->npat + pat];
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
ls_status lsi_pat_train(ls_link *l, lsi_pat *e, char *msg, size_t cap)
{
    const unsigned M = e->M;
    const size_t L = LS_MAX((size_t)PAT_PER_ENTRY * e->npat, (size_t)PAT_MIN_TRAIN);
    size_t span = 0;
    for (size_t i = 0; i < l->n_st; i++)
        span += l->st[i].nh + l->st[i].nhc;
    const long sps = e->sps;
    const int64_t W = (int64_t)(span / (size_t)sps) + (int64_t)e->ntaps + 2 - e->ct_lo + 8;
    const size_t nx = (size_t)(e->off + e->t0 + (W + (int64_t)L) * sps + 1),
                 nv = (size_t)sps * M * M * M, nsv = (size_t)sps * e->nsp;
    const double r0 = e->noise_r0;
    unsigned R = r0 > 0 ? (unsigned)((PAT_NOISE_DRAWS * (size_t)e->nsp + L - 1) / L) : 0;
    R = LS_MIN(R, 32u);
    uint8_t *seq = ls_alloc_n(L, 1);
    double *bseq = ls_alloc_n(L, sizeof *bseq),
           *sum = ls_alloc_n((size_t)sps * e->npat, sizeof *sum), *v2 = ls_alloc_n(nsv, sizeof *v2);
    float *xq = ls_alloc_n(nx, sizeof *xq), *xn = R ? ls_alloc_n(nx, sizeof *xn) : NULL;
    size_t *cnt = ls_alloc_n((size_t)sps * e->npat, sizeof *cnt), *cv = ls_alloc_n(nsv, sizeof *cv);
    ls_status st = LS_ENOMEM;
    if (!seq || !bseq || !sum || !v2 || !xq || (R && !xn) || !cnt || !cv ||
        !(e->T = ls_alloc_n((size_t)sps * e->npat, sizeof *e->T)) ||
        !(e->S = ls_alloc_n(nsv, sizeof *e->S)) || !(e->G = ls_alloc_n(nv, sizeof *e->G)) ||
        !(e->Q = ls_alloc_n(nv, sizeof *e->Q)))
        goto done;
    /* every neighbourhood once (de Bruijn B(M, k)), then uniform random symbols: the far symbols of
       each neighbourhood vary independently of it, so their non-linear share averages out of T */
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
                const size_t i = (size_t)(e->off + e->t0 + q * sps + j),
                             r = (size_t)j * e->nsp + vs;
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

/*
 * The FIR of a product of LTI responses (docs/link.md "Fusion"): the link's fused stages (real,
 * lsi_fuse_lti), the optical field's stages (complex, lsi_fuse_field, ls_cfftfilt_design) and the
 * crosstalk paths. Windowed frequency sampling, checked against the analytic response:
 *
 *  1. H(f) = prod_b H_b(f) on the grid f_k = k fs / N (two-sided for the field, k >= N/2 read as
 *     k - N; the Nyquist bin takes the mean of H(+fs/2) and H(-fs/2), or Re H(fs/2) when real);
 *  2. c[n] = (1/N) sum_k H_k e^{+j 2 pi k n / N}: the band-limited impulse response, periodic in N;
 *  3. the taps h[i] = w(i - P) c[(i - P) mod N], i = 0..P+Q: P pre-cursor taps (tap P is t = 0),
 *     Q post-cursor taps, w = 1 on [-(P - a_P), Q - a_Q] and a raised-cosine taper
 *     w = (1 + cos(pi u)) / 2 over the outer a_P (a_Q) taps, u the fraction of the taper;
 *  4. the check: the DFT of the taps on the same grid, X_k e^{+j 2 pi k P / N} (the DTFT of h at
 *     f_k with the delay P removed), against H_k on the band |f_k| <= 0.9 fs/2:
 *     e = max |X_k - H_k| / max |H_k|, and at DC e_0 = |sum h - H(0)| / |H(0)| (in double).
 *
 * Even a causal analog response has pre-cursor taps: the band-limited h is the analog one
 * convolved with fs sinc(fs t), which rings on both sides of t = 0 with amplitude
 * ~ |Im H(fs/2)| / (pi n) (first order: f3 / (pi fs/2) / n, alternating). Dropping them (the earlier
 * rectangular window from t = 0) left a DC gain up to 8 % high and an in-band ripple of several %.
 * With n_pre = ceil(sum pre_s fs) and n_span = ceil(sum span_s fs) (the responses' own non-causal part
 * and span), the search takes P = n_pre + 2 m_P, Q = n_span + 2 m_Q, a_P = m_P, a_Q = m_Q, starting at
 * m = 4 and doubling the margin of the side(s) whose response continues beyond the window (fir_search),
 * until e <= 2.5e-4 and e_0 <= 2.5e-5 (the link's contract is 1e-3 in band and 1e-4 at DC: a factor
 * 4 for the frequencies between grid points, which tests/test_fir_accuracy.c checks on a dense grid).
 * N is the power of two >= max(4 (P+Q+1), 8192) (2 (P+Q+1) above 2^21 taps). A search that reaches
 * m = 1024 unmet is limited by the blocks' span, not by the window (a tail beyond a capped span_s,
 * such as a copper cascade's 20 ns, docs/channels.md): it keeps its best taps and reports both
 * errors (lsi_fir_info), so the link can warn.
 */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim/cfftfilt.h"
#include "ls_internal.h"

#define LSI_MAX_FIR (1u << 22)
#define BAND 0.9        /* in band: |f| <= BAND fs/2 */
#define TOL LSI_FIR_TOL /* accepted error on the grid, relative to max |H| in band */
#define TOL_DC_RATIO 0.1 /* the DC error is held to a tenth of that, relative to |H(0)| */
#define M_FIRST 4
#define M_LAST 1024

typedef struct {
    const ls_block *const *b;
    size_t nb;
    double fs;
    int cplx;          /* two-sided grid, complex taps */
    size_t n_pre, n_span;
    size_t N;          /* grid size; 0 before the first grid */
    double complex *H; /* [N] (complex) or [N/2 + 1] (real): the analytic product */
    double complex *c; /* [N]: the periodic band-limited impulse response, 1/N applied */
    lsi_rfft *rf;
    lsi_cfft *cf;
    double hmax;       /* max |H_k| in band */
} fir_grid;

static void grid_free(fir_grid *g)
{
    ls_free(g->H);
    ls_free(g->c);
    lsi_rfft_destroy(g->rf);
    lsi_cfft_destroy(g->cf);
    g->H = g->c = NULL;
    g->rf = NULL;
    g->cf = NULL;
    g->N = 0;
}

static size_t grid_size(size_t L)
{
    return lsi_pow2_at_least(L <= ((size_t)1 << 21) ? LS_MAX(4 * L, (size_t)8192) : 2 * L);
}

/* The grid's frequency of bin k (index N: +fs/2 for the complex grid's Nyquist mean). */
static double bin_hz(const fir_grid *g, size_t k)
{
    const double N = (double)g->N;
    if (!g->cplx || k < g->N / 2 || k == g->N)
        return g->fs * (double)k / N;
    return g->fs * ((double)k - N) / N;
}

static int in_band(const fir_grid *g, size_t k)
{
    return fabs(bin_hz(g, k)) <= BAND * 0.5 * g->fs;
}

/* H on a grid of N points and its inverse DFT. */
static ls_status grid_make(fir_grid *g, size_t N, char *msg, size_t cap)
{
    grid_free(g);
    g->N = N;
    const size_t nf = g->cplx ? N + 1 : N / 2 + 1;
    ls_status st = LS_ENOMEM;
    double *f = ls_alloc_n(nf, sizeof *f);
    double complex *hb = ls_alloc_n(nf, sizeof *hb);
    g->H = ls_alloc_n(nf, sizeof *g->H);
    g->c = ls_alloc_n(N, sizeof *g->c);
    if (!f || !hb || !g->H || !g->c)
        goto done;
    if (g->cplx ? !(g->cf = lsi_cfft_create(N, 0, &st)) : !(g->rf = lsi_rfft_create(N, &st)))
        goto done;
    for (size_t k = 0; k < nf; k++) {
        f[k] = bin_hz(g, k);
        g->H[k] = 1.0;
    }
    st = LS_EINVAL;
    for (size_t i = 0; i < g->nb; i++) {
        if (g->b[i]->ops->response(g->b[i]->self, f, hb, nf) != LS_OK) {
            lsi_say(msg, cap, "%s: frequency response failed", g->b[i]->ops->name);
            goto done;
        }
        for (size_t k = 0; k < nf; k++)
            g->H[k] *= hb[k];
    }
    for (size_t k = 0; k < nf; k++)
        if (!isfinite(creal(g->H[k])) || !isfinite(cimag(g->H[k]))) {
            lsi_say(msg, cap, "linear blocks: non-finite frequency response");
            goto done;
        }
    const double inv = 1.0 / (double)N;
    if (g->cplx) {
        g->H[N / 2] = 0.5 * (g->H[N / 2] + g->H[N]);
        float complex *F = lsi_cfft_freq(g->cf);
        for (size_t k = 0; k < N; k++)
            F[k] = (float complex)g->H[k];
        lsi_cfft_inverse(g->cf);
        const float complex *t = lsi_cfft_time(g->cf);
        for (size_t n = 0; n < N; n++)
            g->c[n] = t[n] * inv;
    } else {
        g->H[N / 2] = creal(g->H[N / 2]);
        float complex *F = lsi_rfft_freq(g->rf);
        for (size_t k = 0; k <= N / 2; k++)
            F[k] = (float complex)g->H[k];
        lsi_rfft_inverse(g->rf);
        const float *t = lsi_rfft_time(g->rf);
        for (size_t n = 0; n < N; n++)
            g->c[n] = t[n] * inv;
    }
    g->hmax = 0;
    for (size_t k = 0; k < nf; k++)
        if (in_band(g, k))
            g->hmax = fmax(g->hmax, cabs(g->H[k]));
    st = LS_OK;
done:
    if (st == LS_ENOMEM || st == LS_EFFT)
        lsi_say(msg, cap, "linear blocks: out of memory (a %zu-point FFT grid)", N);
    ls_free(f);
    ls_free(hb);
    return st;
}

/* Raised-cosine taper: 1 at u <= 0, 0 at u >= 1. */
static double taper(double u)
{
    return u <= 0 ? 1.0 : u >= 1 ? 0.0 : 0.5 * (1.0 + cos(M_PI * u));
}

/* The errors of taps t[0..L) whose t = 0 is tap P on the grid (step 4): *edc at DC, the return value in band. */
static double grid_check(fir_grid *g, const double complex *t, size_t L, size_t P, double *edc)
{
    const size_t N = g->N;
    double e = 0;
    const float complex *X;
    if (g->cplx) {
        float complex *x = lsi_cfft_time(g->cf);
        memset(x, 0, N * sizeof *x);
        for (size_t i = 0; i < L; i++)
            x[(i + N - P % N) % N] = (float complex)t[i];
        lsi_cfft_forward(g->cf);
        X = lsi_cfft_freq(g->cf);
    } else {
        float *x = lsi_rfft_time(g->rf);
        memset(x, 0, N * sizeof *x);
        for (size_t i = 0; i < L; i++)
            x[(i + N - P % N) % N] = (float)creal(t[i]);
        lsi_rfft_forward(g->rf);
        X = lsi_rfft_freq(g->rf);
    }
    double complex dc = 0; /* the DC gain in double precision */
    for (size_t i = 0; i < L; i++)
        dc += t[i];
    for (size_t k = 1; k < (g->cplx ? N : N / 2 + 1); k++)
        if (in_band(g, k))
            e = fmax(e, cabs((double complex)X[k] - g->H[k]));
    const double h0 = cabs(g->H[0]) > 1e-9 * g->hmax ? cabs(g->H[0]) : g->hmax;
    *edc = h0 > 0 ? cabs(dc - g->H[0]) / h0 : 0.0;
    return g->hmax > 0 ? fmax(e / g->hmax, cabs(dc - g->H[0]) / g->hmax) : 0.0;
}

/* Taps t[0..P+Q] (step 3) and their errors on the grid (step 4): *edc at DC, the return value in band. */
static double grid_taps(fir_grid *g, size_t P, size_t Q, size_t ap, size_t aq, double complex *t, double *edc)
{
    const size_t N = g->N, L = P + Q + 1;
    const long fl = (long)(P - ap), fr = (long)(Q - aq);
    for (size_t i = 0; i < L; i++) {
        const long n = (long)i - (long)P;
        const double w = n < -fl ? taper((double)(-fl - n) / (double)(ap + 1))
                         : n > fr ? taper((double)(n - fr) / (double)(aq + 1))
                                  : 1.0;
        t[i] = w * g->c[(size_t)((n % (long)N + (long)N) % (long)N)];
    }
    return grid_check(g, t, L, P, edc);
}

/* Sums the blocks' spans into g->n_pre, g->n_span. */
static ls_status grid_spans(fir_grid *g, char *msg, size_t cap)
{
    double span = 0, pre = 0;
    for (size_t i = 0; i < g->nb; i++) {
        const ls_block_ops *o = g->b[i]->ops;
        if (!o || o->kind != LS_KIND_LTI || !o->response)
            return LS_EINVAL;
        span += o->span_s ? o->span_s(g->b[i]->self) : 0;
        pre += o->pre_s ? o->pre_s(g->b[i]->self) : 0;
    }
    if (!g->nb || !isfinite(g->fs) || !(g->fs > 0) || !(span >= 0) || !(pre >= 0) ||
        !(ceil((span + pre) * g->fs) + 4.0 * M_FIRST + 1 <= LSI_MAX_FIR)) {
        lsi_say(msg, cap, "linear blocks span %.3g s: more than %u samples", span + pre, LSI_MAX_FIR);
        return LS_EINVAL;
    }
    g->n_pre = (size_t)ceil(pre * g->fs);
    g->n_span = (size_t)ceil(span * g->fs);
    return LS_OK;
}

/* sum |c[n]| over n = from, from + step, ... (count terms), indices mod N. */
static double mass(const fir_grid *g, long from, long step, size_t count)
{
    double a = 0;
    for (size_t i = 0; i < count; i++) {
        const long n = from + step * (long)i;
        a += cabs(g->c[(size_t)((n % (long)g->N + (long)g->N) % (long)g->N)]);
    }
    return a;
}

/* The search: taps *t (ls_alloc'd, double complex), P, Q and the errors of the kept taps. After a trial
   that misses, each side's margin doubles when the response just beyond it (the next 2 m samples)
   holds at least a tenth of the larger side's |c| there: ringing about the Nyquist jump grows both
   sides, a slow causal tail (a CTLE's low-frequency pole) only the post-cursor side. Stops when both
   errors are met, else at M_LAST (then the blocks' span, not the window, limits it: a tail beyond a
   capped span_s), keeping the best taps. */
static ls_status fir_search(fir_grid *g, double complex **t, size_t *P, size_t *Q, lsi_fir_info *fi, char *msg,
                            size_t cap)
{
    ls_status st;
    size_t mp = M_FIRST, mq = M_FIRST;
    *t = NULL;
    fi->err_band = fi->err_dc = INFINITY;
    for (;;) {
        const size_t p = g->n_pre + 2 * mp, q = g->n_span + 2 * mq, L = p + q + 1;
        if (L > LSI_MAX_FIR)
            break;
        if (grid_size(L) != g->N && (st = grid_make(g, grid_size(L), msg, cap)) != LS_OK)
            return st;
        double complex *u = ls_alloc_n(L, sizeof *u);
        if (!u)
            return LS_ENOMEM;
        double edc;
        const double e = grid_taps(g, p, q, mp, mq, u, &edc);
        if (fmax(e, edc / TOL_DC_RATIO) < fmax(fi->err_band, fi->err_dc / TOL_DC_RATIO)) {
            ls_free(*t);
            *t = u;
            *P = p;
            *Q = q;
            fi->err_band = e;
            fi->err_dc = edc;
        } else {
            ls_free(u);
        }
        if (fmax(e, edc / TOL_DC_RATIO) <= TOL || (mp >= M_LAST && mq >= M_LAST))
            break;
        /* beyond each side (within half the grid, where the periodic response is still that side's) */
        const size_t room = g->N / 2 > L ? (g->N / 2 - L) / 2 : 0;
        const double out_p = mass(g, -(long)p - 1, -1, LS_MIN(2 * mp, room));
        const double out_q = mass(g, (long)q + 1, 1, LS_MIN(2 * mq, room));
        const double big = fmax(out_p, out_q);
        const int grow_p = mp < M_LAST && out_p >= 0.1 * big, grow_q = mq < M_LAST && out_q >= 0.1 * big;
        if (!grow_p && !grow_q) {
            mp = LS_MIN(2 * mp, (size_t)M_LAST);
            mq = LS_MIN(2 * mq, (size_t)M_LAST);
        } else {
            mp = grow_p ? 2 * mp : mp;
            mq = grow_q ? 2 * mq : mq;
        }
    }
    fi->delay = *P;
    return *t ? LS_OK : LS_ENOMEM;
}

/* max |DFT(d)| in band on the grid, relative to max |H| in band, of real taps d[0..L) whose t = 0 is tap P. */
static double grid_peak(fir_grid *g, const float *d, size_t L, size_t P)
{
    const size_t N = g->N;
    float *x = lsi_rfft_time(g->rf);
    memset(x, 0, N * sizeof *x);
    for (size_t i = 0; i < L; i++)
        x[(i + N - P % N) % N] = d[i];
    lsi_rfft_forward(g->rf);
    const float complex *X = lsi_rfft_freq(g->rf);
    double e = 0;
    for (size_t k = 0; k <= g->N / 2; k++)
        if (in_band(g, k))
            e = fmax(e, cabs((double complex)X[k]));
    return g->hmax > 0 ? e / g->hmax : 0.0;
}

/* Step 5 (lsi_fuse_lti_cut): the real taps h[0..*nh) cut to their energy, in place. The search's window (the
   blocks' spans added, a Touchstone file or a cascade each capped at 20 ns, plus the taper margins) holds the
   bulk delay before the response and a quiet tail. From CUT_LAST up to CUT_FIRST (factors of 10, stopping
   at the first that fails), the largest energy fraction eps is taken whose cut changes the FIR little enough: at most eps / 2 of the energy
   sum h^2 dropped from each end (lsi_fir_energy_window), the dropped taps' sum added to the largest tap (the DC
   gain stays as designed), and the change of the FIR's DFT, on the design grid in band, at most CUT_ADD of
   max |H| (a tenth of the design tolerance) at every frequency. No eps passing: the taps stay whole.
   fi->lead counts the taps dropped from the head: the FIR's t = 0 is tap delay - lead (negative when the bulk
   delay is cut too; the FIR then runs ahead of the analog response). */
#define CUT_FIRST 1e-6
#define CUT_LAST 1e-10
#define CUT_ADD (0.1 * TOL)
static void cut_taps(fir_grid *g, float *h, size_t *nh, lsi_fir_info *fi)
{
    const size_t L = *nh;
    size_t pk = 0;
    double sum = 0;
    for (size_t k = 0; k < L; k++) {
        sum += h[k];
        pk = fabsf(h[k]) > fabsf(h[pk]) ? k : pk;
    }
    float *d = ls_alloc_n(L, sizeof *d);
    if (!d)
        return; /* the whole taps are correct: the cut is an optimisation */
    size_t keep_first = 0, keep_n = L;
    double keep_e = 0;
    float keep_top = h[pk];
    for (double eps = CUT_LAST; eps <= 2.0 * CUT_FIRST; eps *= 10.0) { /* up while the cut passes */
        size_t first, n;
        lsi_fir_energy_window(h, L, 0.5 * eps, 0.5 * eps, INFINITY, &first, &n);
        if (pk < first || pk >= first + n)
            break;
        if (n == keep_n)
            continue;
        double kept = 0;
        for (size_t k = first; k < first + n; k++)
            kept += h[k];
        const float top = (float)((double)h[pk] + (sum - kept));
        for (size_t k = 0; k < L; k++) /* the change: the dropped taps, and the largest tap's */
            d[k] = k < first || k >= first + n ? h[k] : k == pk ? h[pk] - top : 0.0f;
        const double e = grid_peak(g, d, L, fi->delay);
        if (e > CUT_ADD)
            break;
        keep_first = first;
        keep_n = n;
        keep_e = e;
        keep_top = top;
    }
    if (keep_n < L) {
        h[pk] = keep_top;
        memmove(h, h + keep_first, keep_n * sizeof *h);
        *nh = keep_n;
        fi->lead = keep_first;
        fi->err_band += keep_e; /* a bound (the DC gain is kept) */
    }
    ls_free(d);
}

/* Search and convert: real (hr) or complex (hc) taps, ls_alloc'd; real taps cut to their energy when cut. */
static ls_status fuse(const ls_block *const *b, size_t nb, double fs, int cplx, int cut, float **hr,
                      float complex **hc, size_t *nh, lsi_fir_info *info, char *msg, size_t cap)
{
    fir_grid g = { .b = b, .nb = nb, .fs = fs, .cplx = cplx };
    double complex *t = NULL;
    size_t P = 0, Q = 0;
    lsi_fir_info fi = { 0 };
    ls_status st = grid_spans(&g, msg, cap);
    if (st == LS_OK)
        st = fir_search(&g, &t, &P, &Q, &fi, msg, cap);
    const size_t L = P + Q + 1;
    if (st == LS_OK && (cplx ? !(*hc = ls_alloc_n(L, sizeof **hc)) : !(*hr = ls_alloc_n(L, sizeof **hr))))
        st = LS_ENOMEM;
    if (st != LS_OK) {
        grid_free(&g);
        ls_free(t);
        return st;
    }
    for (size_t i = 0; i < L; i++) {
        if (cplx)
            (*hc)[i] = (float complex)t[i];
        else
            (*hr)[i] = (float)creal(t[i]);
    }
    ls_free(t);
    *nh = L;
    if (cut && !cplx)
        cut_taps(&g, *hr, nh, &fi);
    grid_free(&g);
    if (info)
        *info = fi;
    return LS_OK;
}

ls_status lsi_fuse_lti(const ls_block *const *b, size_t nb, double fs, float **h, size_t *nh, lsi_fir_info *info,
                       char *msg, size_t cap)
{
    *h = NULL;
    return fuse(b, nb, fs, 0, 0, h, NULL, nh, info, msg, cap);
}

ls_status lsi_fuse_lti_cut(const ls_block *const *b, size_t nb, double fs, float **h, size_t *nh, lsi_fir_info *info,
                           char *msg, size_t cap)
{
    *h = NULL;
    return fuse(b, nb, fs, 0, 1, h, NULL, nh, info, msg, cap);
}

ls_status lsi_fuse_field(const ls_block *const *b, size_t nb, double fs, float complex **h, size_t *nh,
                         lsi_fir_info *info, char *msg, size_t cap)
{
    *h = NULL;
    return fuse(b, nb, fs, 1, 0, NULL, h, nh, info, msg, cap);
}

/* ---------------------------------------------------------------------------------------------
 * The public complex design (include/lanesim/cfftfilt.h): the same taps, in two calls.
 */

#define MAX_DESIGN_BLOCKS 256

static int ptrs(const ls_block *b, size_t nb, const ls_block **p)
{
    if (!b || !nb || nb > MAX_DESIGN_BLOCKS)
        return 0;
    for (size_t i = 0; i < nb; i++) {
        if (!b[i].ops || b[i].ops->kind != LS_KIND_LTI || !b[i].ops->response)
            return 0;
        p[i] = &b[i];
    }
    return 1;
}

ls_status ls_cfftfilt_design_size(const ls_block *b, size_t nb, double fs_hz, size_t *n_h, size_t *delay)
{
    const ls_block *p[MAX_DESIGN_BLOCKS];
    if (!ptrs(b, nb, p) || !n_h || !delay || !isfinite(fs_hz) || !(fs_hz > 0.0))
        return LS_EINVAL;
    float complex *h = NULL;
    lsi_fir_info in;
    ls_status st = lsi_fuse_field(p, nb, fs_hz, &h, n_h, &in, NULL, 0);
    ls_free(h);
    if (st == LS_OK)
        *delay = in.delay;
    return st;
}

ls_status ls_cfftfilt_design(const ls_block *b, size_t nb, double fs_hz, float complex *h, size_t n_h,
                             size_t delay)
{
    const ls_block *p[MAX_DESIGN_BLOCKS];
    if (!ptrs(b, nb, p) || !h || !n_h || n_h > LS_CFFTFILT_MAX_TAPS || delay >= n_h || !isfinite(fs_hz) ||
        !(fs_hz > 0.0))
        return LS_EINVAL;
    fir_grid g = { .b = p, .nb = nb, .fs = fs_hz, .cplx = 1 };
    ls_status st = grid_spans(&g, NULL, 0);
    if (st != LS_OK)
        return st;
    /* the window of the search for these sizes: each side's taps beyond the blocks' span, half
       flat, half tapered */
    const size_t Q = n_h - 1 - delay;
    const size_t ap = delay > g.n_pre ? (delay - g.n_pre) / 2 : 0, aq = Q > g.n_span ? (Q - g.n_span) / 2 : 0;
    double complex *t = ls_alloc_n(n_h, sizeof *t);
    if (!t)
        return LS_ENOMEM;
    if ((st = grid_make(&g, grid_size(n_h), NULL, 0)) == LS_OK) {
        double edc;
        (void)grid_taps(&g, delay, Q, ap, aq, t, &edc);
        for (size_t i = 0; i < n_h; i++)
            h[i] = (float complex)t[i];
    }
    grid_free(&g);
    ls_free(t);
    return st;
}

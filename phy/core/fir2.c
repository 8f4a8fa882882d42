/*
 * Two-rate FIR (docs/link.md "The two-rate tail", bench/README.md "Fourth pass"): a long FIR h[0..n_h) whose
 * slow tail runs at 1/D of the sample rate, for the link's fused stages (phy/link/link_stages.c).
 *
 * Split at T = i D (a multiple of D; the block grid is absolute, block j = taps [jD, jD + D)):
 *   head: h[0..T) by overlap-save at the full rate (ls_fftfilt, latency L);
 *   tail: on each block of the taps h[T..) (zero past n_h), the least-squares line over the block,
 *             gt[jD + u] = a_j + b_j (u - c),  c = (D - 1) / 2,  a_j = (1/D) sum_u h[jD + u],
 *             b_j = sum_u (u - c) h[jD + u] / sum_u (u - c)^2,
 *         whose sum over the block is the taps' (sum_u (u - c) = 0): the tail's sum, so the DC gain, is kept
 *         exactly. With the input's UI sums and first moments (blocks of D input samples, v = 0..D-1)
 *             s0_p = sum_v x[pD + v],   s1_p = sum_v (c - v) x[pD + v],
 *         the tail's output at m = pD + D - 1 is exactly (blocks counted from the split)
 *             z_p = sum_j a_j s0_{p-j} + b_j s1_{p-j}       (two FIRs at rate 1/D, ls_fftfilt, latency Lt)
 *         and between those points it is interpolated linearly: m = pD + D - 1 + r, 0 <= r < D,
 *             q(m) = (1 - r/D) z_p + (r/D) z_{p+1}.
 *   output: y[n] = head(n) + q(n - L - T), so the whole has the head's latency L (the tail needs
 *         z_{p+1}, i.e. the input up to m + D - r, and Lt more UIs: L + T >= (Lt + 3) D is required, the head's
 *         FFT size is raised until it holds).
 *
 * The error. Output n of phase r (r as above) is an LTI function of the input, with the taps
 *     k_r[k] = h[k] [k < T] + (1 - r/D) gt[k - r] + (r/D) gt[k + D - r]      (gt = 0 outside the tail),
 * so for every phase r and every frequency f,
 *     |K_r(f) - H(f)| <= B = max_r sum_k |k_r[k] - h[k]|     (the l1 norm bounds the DTFT),
 * and sum_k k_r[k] = sum_k h[k] (each tail tap's weight is spread with weights 1 - r/D and r/D): the DC gain
 * is kept (to float rounding) and the band error is at most B, for each output phase. In time:
 * |y[n] - (h * x)[n - L]| <= B max |x|. Both steps are exact on a tail that is linear over two blocks, so B is
 * second order in D (~ h'' D^2 / 8 per tap): on the CA channel's FIR at 32 samples/UI, B ~ 1e-7 of the DC gain
 * from tap 70 k on, where the per-block mean alone (first order) leaves ~1e-4. lsi_fir2_choose computes B
 * exactly (in double) for every split and takes one only when B <= budget (the link: budget =
 * LSI_FIR_TOL / 10 |sum h|, the energy cut's allowance, |sum h| <= max |H| in band making it conservative),
 * when the cost model (lsi_fftfilt_block_us) says it is >= 10 % cheaper, and when its latency L is at most the
 * single FIR's (a longer one costs warm-up samples in every frame, which the model leaves out).
 *
 * Streaming: the input is taken in segments of at most SEG samples; every quantity depends on the absolute
 * sample index only (the UI sums in a fixed order, the block grid, both overlap-saves), so the output is
 * bit-identical whatever the chunk sizes. Nothing is allocated after create.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim/fftfilt.h"
#include "ls_internal.h"

#define SEG 8192          /* samples per inner segment */
#define WORTH 0.9        /* the split must cost at most this fraction of the single FIR */
#define MIN_TAPS 8192     /* shorter FIRs stay single */
/* The cost model's overhead of the split besides the FFTs, in us: per sample (the UI sums' and the interpolation's
   arithmetic) and per UI (a ui_sums call, an interpolation run): ~0.8 ns per sample at 32 samples/UI, from
   the profile of bench_engine --case ca_sps32 (ui_sums 4.1 %, lsi_fir2_process 2.1 % of ~13.5 ns per sample). */
#define OVERHEAD_SAMPLE_US 4e-4
#define OVERHEAD_UI_US 1.3e-2

struct lsi_fir2 {
    ls_fftfilt *head; /* not owned */
    ls_fftfilt *ta, *tb; /* owned: the a_j and b_j at rate 1/D */
    size_t D, T, L, Lt;
    float *blk;       /* [D] the current block's input samples, cnt of them so far */
    size_t cnt;
    float *w;         /* [D] the moment weights c - v */
    uint64_t pos;     /* input samples taken */
    uint64_t npush;   /* UI sums pushed into the tail */
    float *s, *s1;    /* [SEG / D + 2] the segment's UI sums and moments, then the tails' outputs */
    float *ring;      /* z_p at p & mask */
    size_t mask;
    float *frac;      /* [D] r / D */
    lsi_fir2_plan plan;
};

static size_t pow2_at_least(size_t n)
{
    size_t p = 1;
    while (p < n)
        p *= 2;
    return p;
}

/* The least-squares line of each block of D taps (zero past nh): hb[2j] = a_j, hb[2j + 1] = b_j. */
static void block_fit(const float *h, size_t nh, size_t D, double *hb, size_t nb)
{
    const double c = 0.5 * (double)(D - 1);
    double m2 = 0;
    for (size_t u = 0; u < D; u++)
        m2 += ((double)u - c) * ((double)u - c);
    for (size_t j = 0; j < nb; j++) {
        double a = 0, b = 0;
        for (size_t u = 0; u < D && j * D + u < nh; u++) {
            a += (double)h[j * D + u];
            b += ((double)u - c) * (double)h[j * D + u];
        }
        hb[2 * j] = a / (double)D;
        hb[2 * j + 1] = b / m2;
    }
}

/* Tail taps as seen from split block i: gt(u) = the line of u's block when i D <= u < nb D, else 0. */
static double gt(const double *hb, size_t nb, size_t D, size_t i, long u)
{
    if (u < (long)(i * D) || u >= (long)(nb * D))
        return 0.0;
    const size_t j = (size_t)u / D;
    return hb[2 * j] + hb[2 * j + 1] * ((double)((size_t)u - j * D) - 0.5 * (double)(D - 1));
}

static double tap(const float *h, size_t nh, long k)
{
    return k >= 0 && (size_t)k < nh ? (double)h[k] : 0.0;
}

/* sum over k in [k0, k1) of |k_r[k] - h[k]| restricted to the tail's part, for split block i. */
static double err_range(const float *h, size_t nh, const double *hb, size_t nb, size_t D, size_t i, size_t r,
                        long k0, long k1)
{
    const double w1 = (double)r / (double)D, w0 = 1.0 - w1;
    const long T = (long)(i * D);
    double e = 0;
    for (long k = k0; k < k1; k++) {
        const double ht = k >= T ? tap(h, nh, k) : 0.0;
        e += fabs(w0 * gt(hb, nb, D, i, k - (long)r) + w1 * gt(hb, nb, D, i, k + (long)D - (long)r) - ht);
    }
    return e;
}

double lsi_fir2_bound(const float *h, size_t nh, size_t D, size_t T)
{
    if (!h || D < 2 || T % D || T >= nh)
        return INFINITY;
    const size_t nb = (nh + D - 1) / D, i = T / D;
    double *hb = ls_alloc_n(2 * nb, sizeof *hb);
    if (!hb)
        return INFINITY;
    block_fit(h, nh, D, hb, nb);
    double B = 0;
    for (size_t r = 0; r < D; r++)
        B = fmax(B, err_range(h, nh, hb, nb, D, i, r, (long)T - (long)D, (long)(nb * D + D)));
    ls_free(hb);
    return B;
}

/* The FFT sizes of a split at block i (J tail blocks): the tail's least size, the head's auto size raised
   until L + T >= (Lt + 3) D; the cost (us per sample) from the measured block times. */
static double split_cost(size_t T, size_t J, size_t D, size_t *nh_fft, size_t *nt_fft)
{
    const size_t nt = pow2_at_least(LS_MAX((size_t)1024, 2 * J));
    const size_t Lt = nt - J + 1;
    size_t nf = lsi_fftfilt_auto_nfft(T);
    while (nf - T + 1 + T < (Lt + 3) * D)
        nf *= 2;
    if (nf > LS_FFTFILT_MAX_NFFT)
        return INFINITY;
    *nh_fft = nf;
    *nt_fft = nt;
    return lsi_fftfilt_block_us(nf) / (double)(nf - T + 1) + 2.0 * lsi_fftfilt_block_us(nt) / (double)Lt / (double)D +
           OVERHEAD_SAMPLE_US + OVERHEAD_UI_US / (double)D;
}

int lsi_fir2_choose(const float *h, size_t nh, size_t D, double budget, lsi_fir2_plan *p)
{
    if (!h || !p || D < 2 || nh < MIN_TAPS || !(budget > 0.0))
        return 0;
    const size_t n1 = lsi_fftfilt_auto_nfft(nh);
    const double c1 = lsi_fftfilt_block_us(n1) / (double)(n1 - nh + 1);
    const size_t nb = (nh + D - 1) / D;
    size_t pk = 0;
    for (size_t k = 0; k < nh; k++)
        pk = fabsf(h[k]) > fabsf(h[pk]) ? k : pk;
    const size_t i0 = pk / D + 2; /* the first split considered: the peak stays in the head */
    if (i0 + 2 >= nb)
        return 0;
    double *hb = ls_alloc_n(2 * nb, sizeof *hb);
    double *suf = ls_alloc_n(D * (nb + 2), sizeof *suf); /* suf[r (nb + 2) + j]: error of blocks >= j */
    int ok = 0;
    if (!hb || !suf)
        goto done;
    block_fit(h, nh, D, hb, nb);
    /* Blocks >= i + 1 see the same k_r for every split i >= i0: their errors once, as suffix sums. */
    for (size_t r = 0; r < D; r++) {
        double *sr = suf + r * (nb + 2);
        for (size_t j = i0 + 1; j <= nb; j++)
            sr[j] = err_range(h, nh, hb, nb, D, i0, r, (long)(j * D), (long)(j * D + D));
        for (size_t j = nb; j-- > i0 + 1;)
            sr[j] += sr[j + 1];
    }
    double best = WORTH * c1;
    for (size_t i = i0; i + 1 < nb; i++) {
        const size_t T = i * D, J = nb - i;
        size_t nf = 0, nt = 0;
        const double c = split_cost(T, J, D, &nf, &nt);
        if (!(c < best) || nf - T > n1 - nh)
            continue; /* not cheaper, or a longer latency (more warm-up per frame) than the single FIR's */
        double B = 0;
        for (size_t r = 0; r < D && B <= budget; r++)
            B = fmax(B, suf[r * (nb + 2) + i + 1] +
                            err_range(h, nh, hb, nb, D, i, r, (long)T - (long)D, (long)(T + D)));
        if (B > budget)
            continue;
        best = c;
        *p = (lsi_fir2_plan){ .D = D, .T = T, .head_nfft = nf, .tail_nfft = nt, .bound = B, .cost_us = c,
                              .single_us = c1 };
        ok = 1;
    }
done:
    ls_free(hb);
    ls_free(suf);
    return ok;
}

lsi_fir2 *lsi_fir2_create(const float *h, size_t nh, const lsi_fir2_plan *p, ls_fftfilt *head, ls_status *err)
{
    ls_status st = LS_EINVAL;
    lsi_fir2 *q = NULL;
    float *gb = NULL;
    if (!h || !p || !head || p->D < 2 || p->T % p->D || p->T >= nh || p->D > SEG)
        goto fail;
    st = LS_ENOMEM;
    if (!(q = ls_alloc_n(1, sizeof *q)))
        goto fail;
    q->head = head;
    q->plan = *p;
    q->D = p->D;
    q->T = p->T;
    q->L = ls_fftfilt_latency(head);
    const size_t nb = (nh + q->D - 1) / q->D, i = q->T / q->D, J = nb - i;
    double *hb = ls_alloc_n(2 * nb, sizeof *hb);
    if (!hb || !(gb = ls_alloc_n(2 * J, sizeof *gb))) {
        ls_free(hb);
        goto fail;
    }
    block_fit(h, nh, q->D, hb, nb);
    for (size_t j = 0; j < J; j++) {
        gb[j] = (float)hb[2 * (i + j)];
        gb[J + j] = (float)hb[2 * (i + j) + 1];
    }
    ls_free(hb);
    ls_fftfilt_config fc;
    ls_fftfilt_config_init(&fc);
    fc.h = gb;
    fc.n_h = J;
    fc.nfft = p->tail_nfft;
    if (!(q->ta = ls_fftfilt_create(&fc, &st)))
        goto fail;
    fc.h = gb + J;
    if (!(q->tb = ls_fftfilt_create(&fc, &st)))
        goto fail;
    q->Lt = ls_fftfilt_latency(q->ta);
    st = LS_EINVAL;
    if (q->L + q->T < (q->Lt + 3) * q->D)
        goto fail;
    st = LS_ENOMEM;
    const size_t ring = pow2_at_least((q->L + q->T) / q->D + SEG / q->D + 8);
    q->mask = ring - 1;
    if (!(q->s = ls_alloc_n(SEG / q->D + 2, sizeof *q->s)) || !(q->s1 = ls_alloc_n(SEG / q->D + 2, sizeof *q->s1)) ||
        !(q->ring = ls_alloc_n(ring, sizeof *q->ring)) ||
        !(q->frac = ls_alloc_n(q->D, sizeof *q->frac)) || !(q->blk = ls_alloc_n(q->D, sizeof *q->blk)) ||
        !(q->w = ls_alloc_n(q->D, sizeof *q->w)))
        goto fail;
    for (size_t r = 0; r < q->D; r++) {
        q->frac[r] = (float)r / (float)q->D;
        q->w[r] = (float)(0.5 * (double)(q->D - 1) - (double)r);
    }
    ls_free(gb);
    if ((st = lsi_fir2_reset(q)) != LS_OK)
        goto fail;
    if (err)
        *err = LS_OK;
    return q;
fail:
    ls_free(gb);
    lsi_fir2_destroy(q);
    if (err)
        *err = st;
    return NULL;
}

static float zget(const lsi_fir2 *q, int64_t p)
{
    return p < 0 ? 0.0f : q->ring[(uint64_t)p & q->mask];
}

/* The sum and the first moment sum_v w[v] x[v] of one block of D samples, in a fixed order (8 lanes, then the
   rest): a function of the D values only, so of the absolute block, whatever the chunks. */
static void ui_sums(const float *restrict x, const float *restrict w, size_t D, float *s0, float *s1)
{
    float a[8] = { 0 }, b[8] = { 0 };
    size_t v = 0;
    for (; v + 8 <= D; v += 8)
        for (size_t l = 0; l < 8; l++) {
            a[l] += x[v + l];
            b[l] += w[v + l] * x[v + l];
        }
    float sa = 0, sb = 0;
    for (size_t l = 0; l < 8; l++) {
        sa += a[l];
        sb += b[l];
    }
    for (; v < D; v++) {
        sa += x[v];
        sb += w[v] * x[v];
    }
    *s0 = sa;
    *s1 = sb;
}

/* One segment of n <= SEG samples, in place. */
static ls_status segment(lsi_fir2 *q, float *x, size_t n)
{
    const size_t D = q->D;
    /* 1. The UI sums and first moments (before the head overwrites x), into the tails at rate 1/D: every block
       by ui_sums on its D samples, from x or, when it straddles segments, from q->blk (the same arithmetic). */
    size_t ns = 0, k = 0;
    if (q->cnt) {
        k = LS_MIN(D - q->cnt, n);
        memcpy(q->blk + q->cnt, x, k * sizeof *x);
        q->cnt += k;
        if (q->cnt == D) {
            ui_sums(q->blk, q->w, D, &q->s[ns], &q->s1[ns]);
            ns++;
            q->cnt = 0;
        }
    }
    for (; k + D <= n; k += D, ns++)
        ui_sums(x + k, q->w, D, &q->s[ns], &q->s1[ns]);
    if (k < n) {
        memcpy(q->blk, x + k, (n - k) * sizeof *x);
        q->cnt = n - k;
    }
    ls_status st = ls_fftfilt_process(q->ta, q->s, q->s, ns);
    if (st == LS_OK)
        st = ls_fftfilt_process(q->tb, q->s1, q->s1, ns);
    if (st != LS_OK)
        return st;
    for (size_t i = 0; i < ns; i++, q->npush++) /* push index P gives z_{P - Lt} */
        if (q->npush >= q->Lt)
            q->ring[(q->npush - q->Lt) & q->mask] = q->s[i] + q->s1[i];
    const int64_t zmax = (int64_t)q->npush - 1 - (int64_t)q->Lt;
    /* 2. The head, in place. */
    if ((st = ls_fftfilt_process(q->head, x, x, n)) != LS_OK)
        return st;
    /* 3. The tail's interpolated output at m = n - L - T, by runs of one UI. */
    int64_t m = (int64_t)q->pos - (int64_t)(q->L + q->T);
    k = m < 0 ? (size_t)LS_MIN((int64_t)n, -m) : 0; /* q(m < 0) = 0 */
    while (k < n) {
        const int64_t mk = m + (int64_t)k, u = mk - (int64_t)(D - 1);
        const int64_t p = u >= 0 ? u / (int64_t)D : -((-u + (int64_t)D - 1) / (int64_t)D);
        size_t r = (size_t)(u - p * (int64_t)D);
        if (p + 1 > zmax)
            return LS_EINTERNAL; /* the latency condition of create was not met */
        const float a = zget(q, p), b = zget(q, p + 1) - a;
        const size_t run = LS_MIN(D - r, n - k);
        const float *fr = q->frac + r;
        float *y = x + k;
        for (size_t t = 0; t < run; t++)
            y[t] += a + b * fr[t];
        k += run;
    }
    q->pos += n;
    return LS_OK;
}

ls_status lsi_fir2_process(lsi_fir2 *q, float *x, size_t n)
{
    if (!q || (n && !x))
        return LS_EINVAL;
    while (n) {
        const size_t m = LS_MIN(n, (size_t)SEG);
        ls_status st = segment(q, x, m);
        if (st != LS_OK)
            return st;
        x += m;
        n -= m;
    }
    return LS_OK;
}

ls_status lsi_fir2_reset(lsi_fir2 *q)
{
    if (!q)
        return LS_EINVAL;
    ls_status st = ls_fftfilt_reset(q->head);
    if (st == LS_OK)
        st = ls_fftfilt_reset(q->ta);
    if (st == LS_OK)
        st = ls_fftfilt_reset(q->tb);
    memset(q->ring, 0, (q->mask + 1) * sizeof *q->ring);
    q->cnt = 0;
    q->pos = 0;
    q->npush = 0;
    return st;
}

const lsi_fir2_plan *lsi_fir2_plan_of(const lsi_fir2 *q)
{
    return q ? &q->plan : NULL;
}

size_t lsi_fir2_latency(const lsi_fir2 *q)
{
    return q ? q->L : 0;
}

void lsi_fir2_destroy(lsi_fir2 *q)
{
    if (!q)
        return;
    ls_fftfilt_destroy(q->ta);
    ls_fftfilt_destroy(q->tb);
    ls_free(q->s);
    ls_free(q->s1);
    ls_free(q->ring);
    ls_free(q->frac);
    ls_free(q->blk);
    ls_free(q->w);
    ls_free(q);
}

/*
 * IBIS-AMI numerics (docs/ibis-ami.md): the impulse response of a chain of blocks at the model's
 * sample interval, and the model's equalization fitted from AMI_Init's impulse in and out.
 *
 * AMI_Init receives the impulse response h_in of the chain the model sees (1/s, at the sample
 * interval 1/fs) and returns the equalized impulse h_out (Init_Returns_Impulse). The model's
 * equalization as a filter is fitted from the pair by a regularized (Wiener) deconvolution on an
 * FFT grid of N >= 2 n points:
 *     G(f) = H_out(f) conj(H_in(f)) / (|H_in(f)|^2 + eps max|H_in|^2),   eps = 1e-12,
 * so that G H_in = H_out wherever the chain passes signal (relative error ~eps |H_in|max^2/|H_in|^2),
 * and G -> 0 where the chain passes none (where its product with the signal is negligible anyway).
 * For an LTI model (a CTLE, an FFE) G is the model's transfer function exactly where the chain passes
 * signal. G is not tapered where the chain passes nothing: noise that enters after the chain's
 * band-limiting blocks still sees the model's gain (a taper there would under-count it). The taps
 * g = IFFT(G) are kept over [-pre, post) outside which less than 1e-7 of their energy lies; the
 * steep edge of G where the chain's response ends rings at a tiny amplitude, so g is often the whole
 * window (the Init-only flow's fused FIR is then longer than the CTLE's own; docs/ibis-ami.md).
 */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ami_internal.h"
#include "ls_internal.h"


/* In-place radix-2 complex FFT of length N (a power of two); inverse without the 1/N. */
void lsi_ami_fft(double complex *a, size_t N, int inverse)
{
    for (size_t i = 1, j = 0; i < N; i++) {
        size_t bit = N >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            double complex t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
    for (size_t len = 2; len <= N; len <<= 1) {
        double ang = (inverse ? 2 : -2) * M_PI / (double)len;
        for (size_t k = 0; k < len / 2; k++) {
            const double complex w = cexp(I * ang * (double)k);
            for (size_t i = 0; i < N; i += len) {
                double complex u = a[i + k], v = a[i + k + len / 2] * w;
                a[i + k] = u + v;
                a[i + k + len / 2] = u - v;
            }
        }
    }
}

static double freq(size_t k, size_t N, double fs)
{
    return (k <= N / 2 ? (double)k : (double)k - (double)N) * fs / (double)N;
}

size_t ls_ami_chain_length(const ls_block *blocks, size_t n, double fs)
{
    double t = 0;
    for (size_t i = 0; i < n; i++)
        if (blocks[i].ops->kind == LS_KIND_LTI)
            t += blocks[i].ops->span_s(blocks[i].self) + (blocks[i].ops->pre_s ? blocks[i].ops->pre_s(blocks[i].self) : 0);
    double s = t * fs + 4096;
    size_t N = lsi_pow2_at_least(s < 1 << 20 ? (size_t)s : (size_t)1 << 20);
    return N < 8192 ? 8192 : N;
}

/* p (time domain, N samples) through an LTI response or a frequency-dependent small-signal gain. */
static ls_status apply_freq(const ls_block *blk, int lti, double x0, double complex *p, size_t N, double fs,
                           double *f, double complex *t)
{
    for (size_t k = 0; k < N; k++)
        f[k] = freq(k, N, fs);
    ls_status st = lti ? blk->ops->response(blk->self, f, t, N) : blk->ops->small_signal(blk->self, x0, f, t, N);
    if (st != LS_OK)
        return st;
    lsi_ami_fft(p, N, 0);
    for (size_t k = 0; k < N; k++)
        p[k] *= t[k] / (double)N;
    lsi_ami_fft(p, N, 1);
    return LS_OK;
}

/*
 * The small-signal response of blocks[0..n) to a unit sample at index D, as the link linearizes the
 * chain (phy/link/link_ssm.c): the static operating point op (a zero drive) carried through each block
 * (LTI: op H(0); others: linearize's y0), LTI blocks and frequency-dependent small-signal gains by
 * FFT, the others by dy = a dx + b conj(dx) at their operating point. Circular over N samples.
 */
static ls_status chain_response(const ls_block *blocks, size_t n, double fs, size_t N, size_t D, double complex *p)
{
    double *f = malloc(N * sizeof *f);
    double complex *t = malloc(N * sizeof *t), op = 0;
    ls_status st = f && t ? LS_OK : LS_ENOMEM;
    for (size_t k = 0; k < N; k++)
        p[k] = k == D % N;
    for (size_t i = 0; st == LS_OK && i < n; i++) {
        const ls_block *blk = &blocks[i];
        const ls_block_ops *o = blk->ops;
        if (o->kind == LS_KIND_LTI) {
            double z = 0;
            double complex h0;
            if ((st = apply_freq(blk, 1, 0, p, N, fs, f, t)) == LS_OK && (st = o->response(blk->self, &z, &h0, 1)) == LS_OK)
                op *= h0;
            continue;
        }
        double complex y0 = op, a = 1, b = 0;
        if (o->linearize && (st = o->linearize(blk->self, op, &y0, &a, &b)) != LS_OK)
            break;
        if (o->small_signal && o->in == LS_T_F32)
            st = apply_freq(blk, 0, creal(op), p, N, fs, f, t);
        else
            for (size_t k = 0; k < N; k++)
                p[k] = a * p[k] + b * conj(p[k]);
        op = y0;
    }
    free(f);
    free(t);
    return st;
}

ls_status ls_ami_chain_impulse(const ls_block *blocks, size_t n, double fs, double *h, size_t len)
{
    if ((n && !blocks) || !h || len < 2 || (len & (len - 1)) || !(fs > 0))
        return LS_EINVAL;
    double pre = 0;
    for (size_t i = 0; i < n; i++)
        if (blocks[i].ops->kind == LS_KIND_LTI && blocks[i].ops->pre_s)
            pre += blocks[i].ops->pre_s(blocks[i].self);
    size_t D = (size_t)ceil(pre * fs);
    double complex *p = malloc(len * sizeof *p);
    if (!p)
        return LS_ENOMEM;
    ls_status st = chain_response(blocks, n, fs, len, D, p);
    for (size_t i = 0; st == LS_OK && i < len; i++)
        h[i] = creal(p[i]) * fs; /* a unit sample per 1/fs: h(t) in 1/s */
    free(p);
    return st;
}

/* g[] from G on the grid of N: the taps over [-pre, post) outside which less than 1e-7 of their energy
   lies, the outer fifth of each side tapered by a half-Hann window. The Wiener fit's G falls to 0
   steeply where the chain's response ends, which rings in time with a tiny amplitude; keeping only the
   concentrated taps makes the block's H(f) a smooth, short DTFT at any frequency (the ringing's
   spectrum lies where the chain passes no signal). */
static ls_status keep_taps(double complex *G, size_t N, double **g, size_t *ng, size_t *g_pre)
{
    lsi_ami_fft(G, N, 1);
    double e = 0, acc = 0;
    for (size_t i = 0; i < N; i++)
        e += creal(G[i]) * creal(G[i]) / ((double)N * N);
    size_t post = N / 2, pre = N / 2;
    for (acc = 0; post > 1; post--) { /* the positive-time tail [post, N/2) */
        double v = creal(G[post - 1]) / (double)N;
        if ((acc += v * v) > 5e-8 * e)
            break;
    }
    for (acc = 0; pre > 0; pre--) { /* the negative-time tail: indices N - pre .. N - 1 */
        double v = creal(G[N - pre]) / (double)N;
        if ((acc += v * v) > 5e-8 * e)
            break;
    }
    double *t = ls_alloc_n(pre + post, sizeof *t);
    if (!t)
        return LS_ENOMEM;
    for (size_t i = 0; i < pre; i++)
        t[i] = creal(G[N - pre + i]) / (double)N;
    for (size_t i = 0; i < post; i++)
        t[pre + i] = creal(G[i]) / (double)N;
    const size_t tp = pre / 5, tq = post / 5;
    for (size_t i = 0; i < tp; i++) /* taper: 0 at the outermost tap, 1 a fifth inside */
        t[i] *= 0.5 - 0.5 * cos(M_PI * (double)(i + 1) / (double)(tp + 1));
    for (size_t i = 0; i < tq; i++)
        t[pre + post - 1 - i] *= 0.5 - 0.5 * cos(M_PI * (double)(i + 1) / (double)(tq + 1));
    ls_free(*g);
    *g = t;
    *ng = pre + post;
    *g_pre = pre;
    return LS_OK;
}

ls_status lsi_ami_fit(const double *h_in, const double *h_out, size_t n, double **g, size_t *ng, size_t *g_pre)
{
    size_t N = lsi_pow2_at_least(2 * n);
    double complex *X = calloc(N, sizeof *X), *Y = calloc(N, sizeof *Y);
    if (!X || !Y) {
        free(X);
        free(Y);
        return LS_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        X[i] = h_in[i];
        Y[i] = h_out[i];
    }
    lsi_ami_fft(X, N, 0);
    lsi_ami_fft(Y, N, 0);
    double mx = 0;
    for (size_t k = 0; k < N; k++)
        mx = fmax(mx, creal(X[k] * conj(X[k])));
    for (size_t k = 0; k < N; k++)
        Y[k] = Y[k] * conj(X[k]) / (creal(X[k] * conj(X[k])) + 1e-12 * mx);
    ls_status st = keep_taps(Y, N, g, ng, g_pre);
    free(X);
    free(Y);
    return st;
}


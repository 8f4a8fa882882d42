/*
 * The small-signal model of an assembled link: operating points and small-signal propagation
 * through FIR stages and non-linear blocks (dy = a dx + b conj(dx); modulator dynamics from the
 * small_signal block op), used for the pulse response and for every noise source; the static PAM
 * levels at the sampler (lsi_link_static_levels); the chain's frequency response
 * (ls_link_response). Equations: docs/link.md, docs/optics_link.md.
 */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "fft_internal.h"
#include "ls_internal.h"
#include "link_internal.h"


/* c = a * h for a complex sequence a[0..na) and a real (h) or complex (hc) FIR of nh taps, by FFT. */
static ls_status cconvolve(const double complex *a, size_t na, const float *h, const float complex *hc, size_t nh,
                           double complex *c)
{
    size_t nc = na + nh - 1, n = lsi_pow2_at_least(nc);
    ls_status st;
    lsi_cfft *fa = lsi_cfft_create(n, 0, &st), *fb = fa ? lsi_cfft_create(n, 0, &st) : NULL;
    if (!fa || !fb) {
        lsi_cfft_destroy(fa);
        return st;
    }
    float complex *ta = lsi_cfft_time(fa), *tb = lsi_cfft_time(fb);
    for (size_t i = 0; i < n; i++) {
        ta[i] = i < na ? (float complex)a[i] : 0.0f;
        tb[i] = i < nh ? (hc ? hc[i] : (float complex)h[i]) : 0.0f;
    }
    lsi_cfft_forward(fa);
    lsi_cfft_forward(fb);
    float complex *A = lsi_cfft_freq(fa), *B = lsi_cfft_freq(fb);
    for (size_t k = 0; k < n; k++)
        A[k] *= B[k];
    lsi_cfft_inverse(fa);
    for (size_t i = 0; i < nc; i++)
        c[i] = (double complex)ta[i] / (double)n;
    lsi_cfft_destroy(fa);
    lsi_cfft_destroy(fb);
    return LS_OK;
}

/*
 * Small-signal operating points: op[k] at the input of stage k (op[0] = 0, the TX DAC's mean for
 * symmetric levels), propagated through FIR DC gains and each block's `linearize`; op[n_st] is the
 * DC at the sampler.
 */
ls_status lsi_link_operating_points(ls_link *l)
{
    l->op[0] = 0;
    for (size_t k = 0; k < l->n_st; k++) {
        const stage *s = &l->st[k];
        double complex x0 = l->op[k], y0 = x0;
        if (s->fir) {
            double g = 0;
            for (size_t i = 0; i < s->nh; i++)
                g += s->h[i];
            y0 = x0 * g;
        } else if (s->cfir) {
            double complex g = 0;
            for (size_t i = 0; i < s->nhc; i++)
                g += s->hc[i];
            y0 = x0 * g;
        } else if (s->blk.ops->linearize) {
            double complex a, b;
            ls_status st = s->blk.ops->linearize(s->blk.self, x0, &y0, &a, &b);
            if (st != LS_OK)
                return st;
        }
        l->op[k + 1] = y0;
    }
    l->dc_v = creal(l->op[l->n_st]);
    return LS_OK;
}

/*
 * A modulator's frequency-dependent small-signal response applied to a (real) drive perturbation
 * p[0..*np): FFT, multiply by a(f) from the block's small_signal op (block.h) on the two-sided
 * grid, inverse FFT; the sequence is extended by 2048 samples for the device's own memory. Falls
 * back to linearize's constant `a` for a block without the op (or whose op fails).
 */
static ls_status modulator_response(const ls_link *l, const ls_block *b, double v0, double complex **p, size_t *np)
{
    const double fs = l->info.baud * l->info.sps;
    size_t n_out = *np + 2048, N = lsi_pow2_at_least(n_out);
    ls_status st;
    lsi_cfft *f = lsi_cfft_create(N, 0, &st);
    double *fr = ls_alloc_n(N, sizeof *fr);
    double complex *af = ls_alloc_n(N, sizeof *af), *q = ls_alloc_n(n_out, sizeof *q);
    if (!f || !fr || !af || !q) {
        st = f ? LS_ENOMEM : st;
        goto done;
    }
    for (size_t k = 0; k < N; k++)
        fr[k] = (k <= N / 2 ? (double)k : (double)k - (double)N) * fs / (double)N;
    if (!b->ops->small_signal || b->ops->small_signal(b->self, v0, fr, af, N) != LS_OK) {
        double complex y0, a, bb;
        if ((st = b->ops->linearize(b->self, v0, &y0, &a, &bb)) != LS_OK)
            goto done;
        for (size_t k = 0; k < N; k++)
            af[k] = a;
    }
    float complex *t = lsi_cfft_time(f), *F = lsi_cfft_freq(f);
    for (size_t i = 0; i < N; i++)
        t[i] = i < *np ? (float complex)(*p)[i] : 0.0f;
    lsi_cfft_forward(f);
    for (size_t k = 0; k < N; k++)
        F[k] *= (float complex)af[k];
    lsi_cfft_inverse(f);
    for (size_t i = 0; i < n_out; i++)
        q[i] = (double complex)t[i] / (double)N;
    ls_free(*p);
    *p = q;
    *np = n_out;
    q = NULL;
    st = LS_OK;
done:
    lsi_cfft_destroy(f);
    ls_free(fr);
    ls_free(af);
    ls_free(q);
    return st;
}

/*
 * Small-signal response at the sampler to a perturbation x[0..n) entering stage `from`: FIR stages
 * convolve, non-linear blocks apply their linearization dy = a dx + b conj(dx) at the operating
 * point (block.h). *out is ls_alloc'd (*n_out samples); its real part is the electrical response.
 */
ls_status lsi_link_propagate(const ls_link *l, size_t from, const double complex *x, size_t n, double complex **out,
                           size_t *n_out)
{
    return lsi_link_propagate_hook(l, from, x, n, out, n_out, NULL, NULL);
}

/* As lsi_link_propagate; hook(ctx, k, p, np) sees the response at the input of every stage k that is a
   block with a linearization (not a FIR), before that stage applies. */
ls_status lsi_link_propagate_hook(const ls_link *l, size_t from, const double complex *x, size_t n,
                                  double complex **out, size_t *n_out, lsi_stage_hook hook, void *ctx)
{
    double complex *p = ls_alloc_n(n, sizeof *p);
    if (!p)
        return LS_ENOMEM;
    memcpy(p, x, n * sizeof *p);
    size_t np = n;
    for (size_t k = from; k < l->n_st; k++) {
        const stage *s = &l->st[k];
        if (s->fir || s->cfir) {
            size_t nh = s->fir ? s->nh : s->nhc;
            double complex *t = ls_alloc_n(np + nh - 1, sizeof *t);
            ls_status st = t ? cconvolve(p, np, s->h, s->hc, nh, t) : LS_ENOMEM;
            ls_free(p);
            if (st != LS_OK) {
                ls_free(t);
                return st;
            }
            p = t;
            np += nh - 1;
            continue;
        }
        if (hook && s->blk.ops->linearize) {
            ls_status st = hook(ctx, k, p, np);
            if (st != LS_OK) {
                ls_free(p);
                return st;
            }
        }
        if (s->blk.ops->in == LS_T_F32 && s->blk.ops->linearize &&
            (s->blk.ops->out == LS_T_CF32 || s->blk.ops->small_signal)) {
            /* a modulator: its small-signal response includes its dynamics (DML, ring), dE(f) = a(f) dv(f);
               likewise any real block with a frequency-dependent small-signal gain (an AMI GetWave model) */
            ls_status st = modulator_response(l, &s->blk, creal(l->op[k]), &p, &np);
            if (st != LS_OK) {
                ls_free(p);
                return st;
            }
        } else if (s->blk.ops->linearize) {
            double complex y0, a, b;
            ls_status st = s->blk.ops->linearize(s->blk.self, l->op[k], &y0, &a, &b);
            if (st != LS_OK) {
                ls_free(p);
                return st;
            }
            for (size_t i = 0; i < np; i++)
                p[i] = a * p[i] + b * conj(p[i]);
        }
    }
    *out = p;
    *n_out = np;
    return LS_OK;
}

/*
 * Frequency responses (docs/link.md "Frequency response"). The chain's small-signal impulse response g
 * at the sampler to a unit sample entering stage 0 (lsi_link_propagate: the fused FIRs as simulated,
 * each non-linear block linearized at its operating point, modulator dynamics included), and its
 * DTFT H(f) = sum_n g[n] e^{-j 2 pi f n / fs}, evaluated by a rotating phasor in double precision.
 * The CTLE is the product of its blocks' H(f); the FFE sum_k w_k e^{-j 2 pi f (k - pre) / baud}.
 */
ls_status ls_link_response(const ls_link *l, const double *f_hz, size_t n, double complex *chain,
                           double complex *ctle, double complex *ffe)
{
    if (!l || (n && !f_hz))
        return LS_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(f_hz[i]))
            return LS_EINVAL;
    const double fs = l->info.baud * l->info.sps;
    if (chain && n) {
        const double complex one = 1.0;
        double complex *g = NULL;
        size_t ng = 0;
        ls_status st = lsi_link_propagate(l, 0, &one, 1, &g, &ng);
        if (st != LS_OK)
            return st;
        for (size_t i = 0; i < n; i++) {
            const double complex w = cexp(-2.0 * I * M_PI * f_hz[i] / fs);
            double complex z = 1.0, acc = 0.0;
            for (size_t k = 0; k < ng; k++, z *= w)
                acc += creal(g[k]) * z;
            chain[i] = l->invert ? -acc : acc;
        }
        ls_free(g);
    }
    for (size_t i = 0; ctle && i < n; i++) {
        ctle[i] = 1.0;
        for (unsigned c = 0; c < l->n_ctle; c++) {
            double complex h;
            ls_status st = l->ctle[c].ops->response(l->ctle[c].self, &f_hz[i], &h, 1);
            if (st != LS_OK)
                return st;
            ctle[i] *= h;
        }
    }
    for (size_t i = 0; ffe && i < n; i++) {
        ffe[i] = 0.0;
        for (unsigned k = 0; k < l->n_ffe; k++)
            ffe[i] += l->ffe[k] * cexp(-2.0 * I * M_PI * f_hz[i] * ((double)k - l->ffe_pre) / l->info.baud);
    }
    return LS_OK;
}

/*
 * Static level compression (docs/link.md): the small-signal model puts level i at h0 v_i. A block
 * with a non-linear static map f (driver compression, EML exponential, MZM sine, square-law PD)
 * turns the excursion of level i at its input, e_i = r_i P_k v_i (P_k the outer-level pulse peak at
 * that input, r_i the compression of the stages before), into f(op_k + e_i) - f(op_k) instead of
 * the linear a e + b conj(e); that ratio, times r_i, is the new r_i. Linear stages keep r. At the
 * sampler the effective level is u_i = Re(r_i) v_i. Approximation: each symbol's excursion is taken
 * at the isolated pulse peak (ISI ahead of the non-linearity moves the levels only to first order).
 */
typedef struct {
    const ls_link *l;
    const double *v;
    unsigned M;
    double complex r[LS_PAM_MAX_LEVELS];
} levels_ctx;

static ls_status levels_hook(void *vctx, size_t k, const double complex *p, size_t np)
{
    levels_ctx *c = vctx;
    const ls_block *b = &c->l->st[k].blk;
    size_t pk = 0;
    for (size_t i = 1; i < np; i++)
        if (cabs(p[i]) > cabs(p[pk]))
            pk = i;
    const double complex op = c->l->op[k];
    double complex y0, a, bb;
    ls_status st = b->ops->linearize(b->self, op, &y0, &a, &bb);
    for (unsigned i = 0; st == LS_OK && i < c->M; i++) {
        double complex lin = p[pk] * c->v[i], e = c->r[i] * lin, yi, ai, bi;
        if (b->ops->in == LS_T_F32)
            e = creal(e); /* a real port: the excursion is a voltage */
        if ((st = b->ops->linearize(b->self, op + e, &yi, &ai, &bi)) != LS_OK)
            break;
        double complex out_lin = a * lin + bb * conj(lin);
        if (cabs(out_lin) > 1e-30)
            c->r[i] = (yi - y0) / out_lin;
    }
    return st;
}

ls_status lsi_link_static_levels(const ls_link *l, const double complex *x, size_t n, const double *v, unsigned M,
                                 double *u)
{
    levels_ctx c = { .l = l, .v = v, .M = M };
    for (unsigned i = 0; i < M; i++)
        c.r[i] = 1.0;
    double complex *y = NULL;
    size_t ny = 0;
    ls_status st = lsi_link_propagate_hook(l, 0, x, n, &y, &ny, levels_hook, &c);
    ls_free(y);
    if (st != LS_OK)
        return st;
    for (unsigned i = 0; i < M; i++)
        u[i] = creal(c.r[i]) * v[i];
    for (unsigned i = 1; i < M; i++) /* a fold-over (non-monotonic map) is outside the model */
        if (!(u[i] > u[i - 1]))
            return LS_EINVAL;
    return LS_OK;
}

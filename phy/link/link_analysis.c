/*
 * Link analysis: the small-signal model of an assembled link and what is derived from it.
 *  - operating points and small-signal propagation through FIR stages and non-linear blocks
 *    (dy = a dx + b conj(dx); modulator dynamics from the small_signal op), for the pulse response
 *    and for every noise source;
 *  - noise and crosstalk autocorrelation at the sampler, TX edge jitter as noise;
 *  - the equalizer solution (MMSE / partial-response FFE, DFE taps), the equalized SNR and the CDR
 *    detector slope;
 *  - the statistical analysis (ls_link_stat).
 * Equations: docs/link.md, docs/statistical.md, docs/crosstalk.md, docs/optics_link.md.
 */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim/eqsolve.h"
#include "lanesim/mlse.h"
#include "lanesim/pam.h"
#include "lanesim/stateye.h"
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
        if (s->blk.ops->in == LS_T_F32 && s->blk.ops->out == LS_T_CF32 && s->blk.ops->linearize) {
            /* a modulator: its small-signal response includes its dynamics (DML, ring), dE(f) = a(f) dv(f) */
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

/*
 * Noise at the sampler: every source adds white noise of variance var per sample at its place in
 * the chain (the TX before stage 0, a block after itself); its small-signal response g at the
 * sampler gives the autocorrelation R[m] = var sum_n g[n] g[n + m sps] at symbol lags m.
 */
ls_status lsi_link_noise_at_sampler(ls_link *l, double tx_var, char *msg, size_t cap)
{
    memset(l->noise_acf, 0, sizeof l->noise_acf);
    const unsigned sps = l->info.sps;
    for (size_t p = 0; p <= l->n_st; p++) {
        double var = 0;
        if (p == 0)
            var = tx_var;
        else if (!l->st[p - 1].fir && !l->st[p - 1].cfir && l->st[p - 1].blk.ops->noise_var)
            var = l->st[p - 1].blk.ops->noise_var(l->st[p - 1].blk.self);
        if (!(var > 0))
            continue;
        /* electrical noise enters as a unit impulse; relative intensity noise of a field-output block as
           dE = E0 r / 2 at its operating point (block.h) */
        const double complex one = (p > 0 && !l->st[p - 1].fir && !l->st[p - 1].cfir &&
                                    l->st[p - 1].blk.ops->out == LS_T_CF32)
                                       ? 0.5 * l->op[p]
                                       : 1.0;
        double complex *g = NULL;
        size_t ng = 0;
        ls_status st = lsi_link_propagate(l, p, &one, 1, &g, &ng);
        if (st != LS_OK) {
            lsi_say(msg, cap, "noise propagation failed (%s)", ls_strerror(st));
            return st;
        }
        for (size_t m = 0; m < LS_RX_MAX_FFE; m++) {
            double acc = 0;
            for (size_t n = 0; n + m * sps < ng; n++)
                acc += creal(g[n]) * creal(g[n + m * sps]);
            l->noise_acf[m] += var * acc;
        }
        ls_free(g);
    }
    return LS_OK;
}

/*
 * Crosstalk at the sampler (docs/crosstalk.md). Aggressor i of an xtalk block (stage p) has pulse q_i
 * at the block output; through the later FIRs it reaches the sampler as g_i at a phase uniform over
 * the sps samples of a UI (the aggressor is asynchronous), so, treated as Gaussian noise, it adds
 *   R[m] = (E[v^2] / sps) sum_n g_i[n] g_i[n + m sps]
 * to the noise autocorrelation (and to xt_acf, its crosstalk share); g_i is kept for ls_link_stat.
 */
ls_status lsi_link_xtalk_at_sampler(ls_link *l, char *msg, size_t cap)
{
    memset(l->xt_acf, 0, sizeof l->xt_acf);
    const unsigned sps = l->info.sps;
    for (size_t p = 0; p < l->n_st; p++) {
        const ls_block *b = &l->st[p].blk;
        for (size_t i = 0; !l->st[p].fir && i < ls_xtalk_count(b); i++) {
            if (l->n_xt == LS_XTALK_MAX_AGG) {
                lsi_say(msg, cap, "xtalk: more than %u aggressors in the link", LS_XTALK_MAX_AGG);
                return LS_EINVAL;
            }
            size_t ng;
            double ev2;
            const float *q = ls_xtalk_pulse(b, i, &ng, &ev2, NULL);
            float *g = ls_alloc_n(ng, sizeof *g), *t = NULL;
            if (!g)
                goto nomem;
            memcpy(g, q, ng * sizeof *g);
            for (size_t j = p + 1; j < l->n_st; j++) {
                if (!l->st[j].fir)
                    continue;
                if (!(t = ls_alloc_n(ng + l->st[j].nh - 1, sizeof *t))) {
                    ls_free(g);
                    goto nomem;
                }
                ls_status st = lsi_convolve(g, ng, l->st[j].h, l->st[j].nh, t);
                ls_free(g);
                g = t;
                if (st != LS_OK)
                    return st;
                ng += l->st[j].nh - 1;
            }
            for (size_t m = 0; m < LS_RX_MAX_FFE; m++) {
                double acc = 0;
                for (size_t n = 0; n + m * sps < ng; n++)
                    acc += (double)g[n] * g[n + m * sps];
                l->xt_acf[m] += ev2 / sps * acc;
            }
            l->xt_g[l->n_xt] = g;
            l->xt_n[l->n_xt++] = ng;
        }
    }
    for (size_t m = 0; m < LS_RX_MAX_FFE; m++)
        l->noise_acf[m] += l->xt_acf[m];
    return LS_OK;
nomem:
    lsi_say(msg, cap, "out of memory");
    return LS_ENOMEM;
}

/* Crosstalk after the FFE: the aggressors' equalized pulses (for ls_link_stat), their rms w' R_xt w and
   the ICN per aggressor type for the link info. */
ls_status lsi_link_xtalk_info(ls_link *l, const ls_rx_config *rc, char *msg, size_t cap)
{
    const unsigned sps = l->info.sps;
    for (size_t i = 0; i < l->n_xt; i++) {
        const size_t n = l->xt_n[i] + (rc->ffe_taps - 1) * sps;
        float *e = ls_alloc_n(n, sizeof *e);
        if (!e) {
            lsi_say(msg, cap, "out of memory");
            return LS_ENOMEM;
        }
        ls_status st = ls_apply_ffe(l->xt_g[i], l->xt_n[i], sps, rc->ffe, rc->ffe_taps, rc->ffe_pre, e);
        ls_free(l->xt_g[i]);
        l->xt_g[i] = e;
        l->xt_n[i] = n;
        if (st != LS_OK) {
            lsi_say(msg, cap, "xtalk: cannot equalize the aggressor pulses");
            return st;
        }
    }
    double v = 0, icn2[2] = { 0, 0 };
    for (unsigned i = 0; i < rc->ffe_taps; i++)
        for (unsigned j = 0; j < rc->ffe_taps; j++)
            v += rc->ffe[i] * rc->ffe[j] * l->xt_acf[i > j ? i - j : j - i];
    for (size_t p = 0; p < l->n_st; p++)
        for (int k = 0; k < 2 && ls_xtalk_count(&l->st[p].blk); k++) {
            double x = ls_xtalk_icn_v(&l->st[p].blk, k ? LS_XT_NEXT : LS_XT_FEXT);
            icn2[k] += x * x;
        }
    l->info.xtalk_rms_v = sqrt(v > 0 ? v : 0);
    l->info.icn_v[0] = sqrt(icn2[0]);
    l->info.icn_v[1] = sqrt(icn2[1]);
    return LS_OK;
}

/* Symbol-spaced cursors of a pulse around index main_idx: cur[0..*n), main cursor at *main. */
static size_t cursors_of(const float *p, size_t n, size_t main_idx, unsigned sps, double *cur, size_t cap, size_t *main)
{
    size_t before = LS_MIN(main_idx / sps, cap / 4), after = LS_MIN((n - 1 - main_idx) / sps, cap - before - 1);
    for (size_t i = 0; i < before + 1 + after; i++)
        cur[i] = p[main_idx + i * sps - before * sps];
    *main = before;
    return before + 1 + after;
}

/* FFE taps (given or MMSE), the equalized pulse, and DFE taps read off it. */
ls_status lsi_link_solve_equalizer(ls_link *l, lsi_link_spec *spec, size_t ns, double ev2, char *msg, size_t cap)
{
    ls_rx_config *rc = &spec->rx;
    const unsigned sps = l->info.sps, T = rc->ffe_taps;
    static const size_t CUR = 1024;
    double cur[1024];
    size_t main;
    size_t nc = cursors_of(l->pulse, l->n_pulse, ns, sps, cur, CUR, &main);
    if (spec->ffe_mode == 1 && T > 1) {
        double s2 = l->noise_acf[0] / ev2, floor2 = 1e-9 * cur[main] * cur[main];
        const double *acf = l->noise_acf[0] > 0 ? l->noise_acf : NULL;
        double dfe_mmse[LS_EQSOLVE_MAX_DFE];
        /* MLSE: target g0 (a_k + alpha a_{k-1}) (docs/receiver.md "MLSE") */
        ls_status st = rc->mlse_on ? ls_ffe_mmse_pr(cur, nc, main, T, rc->ffe_pre, s2 > floor2 ? s2 : floor2, acf,
                                                    rc->mlse_alpha, rc->ffe, NULL)
                                   : ls_ffe_mmse(cur, nc, main, T, rc->ffe_pre, s2 > floor2 ? s2 : floor2, acf,
                                                 rc->dfe_taps, rc->ffe, dfe_mmse, NULL);
        if (st != LS_OK) {
            lsi_say(msg, cap, "rx.ffe_taps: no MMSE solution for this pulse response");
            return st;
        }
    }
    l->n_peq = l->n_pulse + (T - 1) * sps;
    if (!(l->peq = ls_alloc_n(l->n_peq, sizeof *l->peq))) {
        lsi_say(msg, cap, "out of memory");
        return LS_ENOMEM;
    }
    ls_status st = ls_apply_ffe(l->pulse, l->n_pulse, sps, rc->ffe, T, rc->ffe_pre, l->peq);
    if (st != LS_OK) {
        lsi_say(msg, cap, "rx.ffe: invalid taps");
        return st;
    }
    l->peq_main = ns + rc->ffe_pre * sps;
    memcpy(l->ffe, rc->ffe, sizeof l->ffe);
    l->n_ffe = T;
    l->ffe_pre = rc->ffe_pre;
    if (!(l->peq[l->peq_main] > 0)) {
        lsi_say(msg, cap, "rx.ffe: the equalized main cursor is not positive");
        return LS_EINVAL;
    }
    nc = cursors_of(l->peq, l->n_peq, l->peq_main, sps, cur, CUR, &main);
    double lim[LS_RX_MAX_DFE];
    int any = 0;
    for (unsigned j = 0; j < rc->dfe_taps; j++) {
        lim[j] = spec->dfe_limit_rel[j] > 0 ? spec->dfe_limit_rel[j] : 1e9;
        any |= spec->dfe_limit_rel[j] > 0;
        rc->dfe_limit[j] = spec->dfe_limit_rel[j] > 0 ? spec->dfe_limit_rel[j] * cur[main] : 0;
    }
    if (rc->dfe_taps && (st = ls_dfe_from_pulse(cur, nc, main, rc->dfe_taps, any ? lim : NULL, rc->dfe)) != LS_OK) {
        lsi_say(msg, cap, "rx.dfe_taps: cannot read DFE taps off the pulse");
        return st;
    }
    l->n_dfe = rc->dfe_taps;
    memcpy(l->dfe, rc->dfe, sizeof l->dfe);
    if (rc->mlse_on) {
        /* MLSE: the detector uses the post-cursor the FFE reached, alpha' = g1/g0 in [0, 1]; SNR and
           statistical eye see the slicer equivalent, that post-cursor cancelled (docs/receiver.md "MLSE") */
        double a = main + 1 < nc ? cur[main + 1] / cur[main] : 0.0;
        rc->mlse_alpha = a < 0 ? 0 : a > 1 ? 1 : a;
        l->n_dfe = 1;
        l->dfe[0] = rc->mlse_alpha * cur[main];
    }
    return LS_OK;
}

/*
 * Equalized SNR at the slicer: noise = w' R w (R the noise autocorrelation at the FFE input),
 * residual ISI = E[v^2] sum_{j != 0, j not in DFE} g_j^2, signal = g_0^2 E[v^2].
 */
void lsi_link_equalized_snr(ls_link *l, const ls_rx_config *rc, double ev2)
{
    const unsigned T = rc->ffe_taps, sps = l->info.sps;
    double nv = 0;
    for (unsigned i = 0; i < T; i++)
        for (unsigned j = 0; j < T; j++)
            nv += rc->ffe[i] * rc->ffe[j] * l->noise_acf[i > j ? i - j : j - i];
    double isi = 0;
    for (size_t n = l->peq_main % sps; n < l->n_peq; n += sps) {
        long j = ((long)n - (long)l->peq_main) / (long)sps;
        if (j == 0 || (j > 0 && j <= (long)l->n_dfe))
            continue;
        isi += (double)l->peq[n] * l->peq[n];
    }
    isi *= ev2;
    double g0 = l->peq[l->peq_main];
    l->info.noise_rms_v = sqrt(nv > 0 ? nv : 0);
    l->info.isi_rms_v = sqrt(isi);
    l->info.snr_eq_db = 10.0 * log10(g0 * g0 * ev2 / (nv + isi + 1e-300));
}

/* Phase-detector slope per UI at lock, from the equalized pulse (see rx.h). */
ls_status lsi_link_cdr_slope(ls_link *l, ls_rx_config *rc, double ev2, char *msg, size_t cap)
{
    const unsigned sps = l->info.sps;
    if (rc->cdr == LS_CDR_BANGBANG) {
        /* probability of a symmetric (zero-crossing) transition, over a 0.02 UI rms crossing spread */
        double ptr = rc->levels == 2 ? 0.5 : 1.0 / rc->levels;
        rc->cdr_kpd = 2.0 * ptr / (sqrt(2.0 * M_PI) * 0.02);
        return LS_OK;
    }
    const long c = (long)l->peq_main, n = (long)l->n_peq, t = (long)sps;
#define PEQ(i) ((i) >= 0 && (i) < n ? (double)l->peq[(i)] : 0.0)
    /* E[u] = g0 E[v^2] (g_-1(tau) - c_pre): slope per UI by central difference over one sample */
    double k = (PEQ(c - t + 1) - PEQ(c - t - 1)) / (2.0 / sps) * l->peq[c] * ev2;
    rc->cdr_target = PEQ(c - t);
#undef PEQ
    if (!(k > 0)) {
        lsi_say(msg, cap, "cdr.type: the pre-cursor does not grow with later sampling on this pulse: no MM lock point");
        return LS_EINVAL;
    }
    rc->cdr_kpd = k;
    return LS_OK;
}

/*
 * TX edge jitter as noise at the slicer (after COM, IEEE 802.3 93A-31). With the waveform written as
 * steps y(t) = sum_k d_k s(t - kT - tau_k T), d_k = v_k - v_{k-1}, an edge error tau_k (UI) adds
 * -d_k tau_k s'(t - kT); the tau_k are independent, so at the sampling instant the variance is
 * var(tau) 2 E[v^2] sum_k s'(t_s - kT)^2 with s' per UI, s the equalized step response. RJ enters as
 * RJ^2, the dual-Dirac DJ as (DJ/2)^2 (many independent bounded terms: close to Gaussian).
 */
double lsi_link_tx_jitter_var(const ls_link *l, double ev2)
{
    const double vt = l->rj_ui * l->rj_ui + 0.25 * l->dj_ui * l->dj_ui;
    if (!(vt > 0))
        return 0;
    const long sps = (long)l->info.sps, n = (long)l->n_peq, c = (long)l->peq_main;
    /* s[m] = sum_{j >= 0} p[m - j sps]; s'(t) by central difference over one sample, per UI */
    double acc = 0;
    for (long k = -(c / sps) - 1; c - k * sps - 1 >= 0 && k * sps < n + sps; k++) {
        long t = c - k * sps;
        double sp = 0, sm = 0;
        for (long m = t + 1; m >= 0; m -= sps)
            sp += m < n ? l->peq[m] : 0.0;
        for (long m = t - 1; m >= 0; m -= sps)
            sm += m < n ? l->peq[m] : 0.0;
        double d = (sp - sm) * 0.5 * sps;
        acc += d * d;
    }
    return vt * 2.0 * ev2 * acc;
}

/*
 * Crosstalk in the statistical analysis (docs/crosstalk.md): the aggressors' symbol-spaced samples enter
 * as extra cursors with their own independent symbols (the COM crosstalk PMFs, 93A-33/44), appended to
 * the victim's pulse so that the engine convolves their PAM distributions with the ISI; the Gaussian
 * noise keeps every other source. An aggressor's phase against the victim's clock is uniform (as in the
 * Monte Carlo), so probabilities are averaged over XT_PHASES phase draws, aggressor i taking phase
 * index (j (2i + 1) + i) mod n in draw j (each aggressor sees every phase once); eye heights and widths
 * are those of the worst draw.
 */
#define XT_PHASES 8u

static ls_status stat_with_xtalk(const ls_link *l, ls_stateye_config *sc, ls_stateye_result *r)
{
    const size_t sps = l->info.sps, nph = LS_MIN(sps, XT_PHASES), c = l->peq_main;
    size_t total = l->n_peq;
    for (size_t i = 0; i < l->n_xt; i++)
        total += 2 * sps + l->xt_n[i];
    float *p = ls_alloc_n(total, sizeof *p);
    if (!p)
        return LS_ENOMEM;
    const double xv = l->info.xtalk_rms_v, nv = l->info.noise_rms_v;
    sc->sigma_noise = sqrt(LS_MAX(nv * nv - xv * xv, 0.0) + l->info.jitter_rms_v * l->info.jitter_rms_v);
    ls_stateye_result acc, one;
    memset(&acc, 0, sizeof acc);
    ls_status st = LS_OK;
    for (size_t j = 0; j < nph && st == LS_OK; j++) {
        memset(p, 0, total * sizeof *p);
        memcpy(p, l->peq, l->n_peq * sizeof *p);
        size_t end = l->n_peq;
        for (size_t i = 0; i < l->n_xt; i++) {
            /* aggressor sample phi + k sps lands on the cursor grid c + m sps: offset o = c - phi (mod sps) */
            const size_t phi = (j * (2 * i + 1) + i) % nph * sps / nph, want = (c % sps + sps - phi) % sps;
            size_t o = end + sps;
            o += (want + sps - o % sps) % sps;
            memcpy(p + o, l->xt_g[i], l->xt_n[i] * sizeof *p);
            end = o + l->xt_n[i];
        }
        sc->pulse = p;
        sc->n_pulse = end;
        if ((st = ls_stateye_run(sc, &one)) != LS_OK)
            break;
        acc.ser += one.ser / (double)nph;
        acc.ber += one.ber / (double)nph;
        for (size_t e = 0; e < 7; e++) {
            acc.ser_eye[e] += one.ser_eye[e] / (double)nph;
            if (!j || one.eye[e].height_v < acc.eye[e].height_v)
                acc.eye[e] = one.eye[e];
        }
        for (size_t k = 0; k < 128; k++) {
            acc.bathtub_ber[k] += one.bathtub_ber[k] / (double)nph;
            acc.phase_ui[k] = one.phase_ui[k];
        }
        acc.n_phase = one.n_phase;
    }
    ls_free(p);
    if (st != LS_OK)
        return st;
    acc.vertical_opening_v = INFINITY;
    for (unsigned e = 0; e + 1 < l->info.levels; e++)
        acc.vertical_opening_v = LS_MIN(acc.vertical_opening_v, acc.eye[e].height_v);
    *r = acc;
    return LS_OK;
}

ls_status ls_link_stat(const ls_link *l, double target_ber, ls_stateye_result *r)
{
    if (!l || !r)
        return LS_EINVAL;
    ls_stateye_config sc;
    ls_stateye_config_init(&sc);
    sc.pulse = l->peq;
    sc.n_pulse = l->n_peq;
    sc.sps = l->info.sps;
    sc.main_index = l->peq_main;
    sc.levels = l->info.levels;
    sc.rlm = l->rlm;
    sc.level_values = l->lv_eff;
    sc.dfe = l->n_dfe ? l->dfe : NULL;
    sc.n_dfe = l->n_dfe;
    float th[7];
    for (unsigned i = 0; i + 1 < l->info.levels; i++) /* the engine's levels carry no DC */
        th[i] = (float)(l->info.thresholds[i] - l->dcq);
    sc.thresholds = th;
    sc.sigma_noise = sqrt(l->info.noise_rms_v * l->info.noise_rms_v + l->info.jitter_rms_v * l->info.jitter_rms_v);
    sc.rj_ui = 0; /* TX jitter enters as noise (tx_jitter_var); no RX sampling jitter is modelled */
    sc.dj_ui = 0;
    sc.target_ber = target_ber;
    return l->n_xt ? stat_with_xtalk(l, &sc, r) : ls_stateye_run(&sc, r);
}


ls_status ls_link_com(const ls_link *l, double der0, double *com_db)
{
    if (!l || !com_db || !(der0 > 0 && der0 <= 0.1))
        return LS_EINVAL;
    const unsigned M = l->info.levels;
    /* the stat eye's contour sits where tail / (2 log2 M) = target: tail = DER0 / (2 (1 - 1/M)) */
    const double tail = der0 / (2.0 * (1.0 - 1.0 / M)), target = tail / (2.0 * ls_pam_bits(M));
    ls_stateye_result r;
    ls_status st = ls_link_stat(l, LS_MAX(target, 1e-15), &r);
    if (st != LS_OK)
        return st;
    const double h0 = l->peq[l->peq_main];
    double com = INFINITY;
    for (unsigned e = 0; e + 1 < M; e++) {
        double as = 0.5 * h0 * (l->lv_eff[e + 1] - l->lv_eff[e]), ani = as - 0.5 * r.eye[e].height_v;
        com = LS_MIN(com, ani < as && ani > 0 ? 20.0 * log10(as / ani) : ani <= 0 ? INFINITY : 0.0);
    }
    *com_db = isfinite(com) ? com : 99.0; /* no interference at all: a large finite margin */
    return LS_OK;
}

/*
 * Noise and crosstalk at the sampler: the autocorrelation of every noise source at the FFE input
 * (each propagated through the stages after it, lsi_link_propagate), crosstalk aggressors' pulses
 * and their share, and TX edge jitter as a noise variance. Equations: docs/link.md "Noise at the
 * sampler", docs/crosstalk.md, docs/statistical.md.
 */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim/eqsolve.h"
#include "lanesim/pam.h"
#include "ls_internal.h"
#include "link_internal.h"

/*
 * Noise at the sampler: every source adds white noise of variance var per sample at its place in
 * the chain (the TX before stage 0, a block after itself); its small-signal response g at the
 * sampler gives the autocorrelation R[m] = var sum_n g[n] g[n + m sps] at symbol lags m.
 */
/* The perturbation a source at stage input p injects per unit of its noise: electrical noise a unit
   impulse; relative intensity noise of a field-output block dE = E0 r / 2 at its operating point (block.h) */
double complex lsi_link_noise_input(const ls_link *l, size_t p)
{
    return p > 0 && !l->st[p - 1].fir && !l->st[p - 1].cfir && l->st[p - 1].blk.ops->out == LS_T_CF32 ? 0.5 * l->op[p]
                                                                                                     : 1.0;
}

ls_status lsi_link_noise_at_sampler(ls_link *l, double tx_var, int full, char *msg, size_t cap)
{
    memset(l->noise_acf, 0, sizeof l->noise_acf);
    l->info.noise_stride[0] = l->info.noise_stride[1] = 1;
    const unsigned sps = l->info.sps;
    for (size_t p = 0; p <= l->n_st; p++) {
        double var = 0;
        if (p == 0)
            var = tx_var;
        else if (!l->st[p - 1].fir && !l->st[p - 1].cfir && l->st[p - 1].blk.ops->noise_var)
            var = l->st[p - 1].blk.ops->noise_var(l->st[p - 1].blk.self);
        if (!(var > 0))
            continue;
        const double complex one = lsi_link_noise_input(l, p);
        double complex *g = NULL;
        size_t ng = 0;
        ls_status st = lsi_link_propagate(l, p, &one, 1, &g, &ng);
        if (st == LS_OK) /* the sample path's draws on every d-th sample where g allows (link_nstride.c) */
            st = lsi_link_noise_stride(l, p, g, ng, full);
        if (st != LS_OK) {
            ls_free(g);
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
 * When an IBIS-AMI receiver returned its own response to the aggressor (ls_xtalk_end_pulse), g_i is
 * that pulse, already at the chain's end.
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
            size_t ng, ne = 0;
            double ev2;
            const float *q = ls_xtalk_pulse(b, i, &ng, &ev2, NULL), *qe = ls_xtalk_end_pulse(b, i, &ne);
            if (qe) /* an AMI receiver's own response to this aggressor, at the chain's end (docs/ibis-ami.md) */
                q = qe, ng = ne;
            float *g = ls_alloc_n(ng, sizeof *g), *t = NULL;
            if (!g)
                goto nomem;
            memcpy(g, q, ng * sizeof *g);
            for (size_t j = p + 1; !qe && j < l->n_st; j++) {
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

/*
 * TX edge jitter as noise at the slicer (after COM, IEEE 802.3 93A-31). With the waveform written as
 * steps y(t) = sum_k d_k s(t - kT - tau_k T), d_k = v_k - v_{k-1}, an edge error tau_k (UI) adds
 * -d_k tau_k s'(t - kT); the tau_k are independent, so at the sampling instant the variance is
 * var(tau) 2 E[v^2] sum_k s'(t_s - kT)^2 with s' per UI, s the equalized step response. RJ enters as
 * RJ^2, the dual-Dirac DJ as (DJ/2)^2. That variance is the Gaussian analysis's; the sum is dominated by
 * the two edges of the current symbol (k = 0, 1) and so is not Gaussian for the bounded DJ: the decision-
 * directed analysis takes those two edges' DJ as a discrete mixture (lsi_link_tx_edge_slopes, link_stat.c).
 */
/* s'(t_s - kT) per UI for edges k = 0 (into the current symbol) and 1 (out of it) in g01, and
   sum_k s'(t_s - kT)^2 over every other edge in rest2; s the equalized step response,
   s[m] = sum_{j >= 0} p[m - j sps], s' by central difference over one sample. */
void lsi_link_tx_edge_slopes(const ls_link *l, double g01[2], double *rest2)
{
    const long sps = (long)l->info.sps, n = (long)l->n_peq, c = (long)l->peq_main;
    double acc = 0;
    g01[0] = g01[1] = 0;
    for (long k = -(c / sps) - 1; c - k * sps - 1 >= 0 && k * sps < n + sps; k++) {
        long t = c - k * sps;
        double sp = 0, sm = 0;
        for (long m = t + 1; m >= 0; m -= sps)
            sp += m < n ? l->peq[m] : 0.0;
        for (long m = t - 1; m >= 0; m -= sps)
            sm += m < n ? l->peq[m] : 0.0;
        double d = (sp - sm) * 0.5 * sps;
        if (k == 0 || k == 1)
            g01[k] = d;
        else
            acc += d * d;
    }
    *rest2 = acc;
}

double lsi_link_tx_jitter_var(const ls_link *l, double ev2)
{
    const double vt = l->rj_ui * l->rj_ui + 0.25 * l->dj_ui * l->dj_ui;
    if (!(vt > 0))
        return 0;
    double g[2], rest2;
    lsi_link_tx_edge_slopes(l, g, &rest2);
    return vt * 2.0 * ev2 * (rest2 + g[0] * g[0] + g[1] * g[1]);
}

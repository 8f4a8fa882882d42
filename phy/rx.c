/*
 * Receiver back end: interpolating sampler + CDR, ADC, FFE, DFE, slicer, LMS (equations in
 * include/lanesim/rx.h and docs/receiver.md). Sources: K. H. Mueller and M. Muller, "Timing
 * recovery in digital synchronous data receivers", IEEE Trans. Commun. 24(5), 1976 (baud-rate
 * detector); J. D. H. Alexander, "Clock recovery from random binary signals", Electron. Lett. 1975
 * (bang-bang detector); Gardner, "Phaselock Techniques" (second-order loop gains); S. Haykin,
 * "Adaptive Filter Theory" (LMS, sign-sign LMS). MLSE path: phy/mlse.c.
 */
#include <math.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "lanesim/mlse.h"
#include "lanesim/pam.h"
#include "lanesim/rng.h"
#include "lanesim/rx.h"
#include "ls_internal.h"
#include "rx_internal.h"

static void rx_ext_levels(ls_rx *q, unsigned sps)
{
    const ls_rx_config *c = &q->cfg;
    const double x = (q->phi + 1.0) * sps, fl = floor(x);
    const size_t i = (size_t)fl;
    if (!(c->ext_gain[sps] > 0) || i >= 2u * sps)
        return;
    const double g = c->ext_gain[i] + (x - fl) * (c->ext_gain[i + 1] - c->ext_gain[i]);
    for (unsigned j = 0; j < c->levels; j++)
        q->ref[j] = c->ext_dc + g * (c->ref_v[j] - c->ext_dc);
    for (unsigned j = 0; j + 1 < c->levels; j++)
        q->th[j] = (float)(c->ext_dc + g * (c->thresholds[j] - c->ext_dc));
}

/* External clock: the queued instant within half a UI of symbol s's nominal instant sets phi (earlier
   ones are dropped, later ones wait); none: phi is kept. */
static inline void rx_ext_clock(ls_rx *q, uint64_t s, unsigned sps)
{
    const double base = (double)q->cfg.latency + (double)s * sps, nom = base + q->phi * sps;
    while (q->clk_n) {
        const double t = q->clk[q->clk_head];
        if (t >= nom + 0.5 * sps)
            return;
        q->clk_head = (q->clk_head + 1) % q->clk_cap;
        q->clk_n--;
        if (t >= nom - 0.5 * sps) {
            const double prev = q->phi;
            q->phi = (t - base) / sps;
            if (fabs(q->phi) > 1.0) {
                q->phi = q->phi > 0 ? 1.0 : -1.0;
                if (q->limit < 0)
                    q->limit = (int64_t)s;
            }
            if (!q->clk_used || q->phi != prev)
                rx_ext_levels(q, sps);
            q->clk_used = 1;
            return;
        }
    }
}

/* The input at t: the sampler's, or the ring's samples floor(t), floor(t) + 1 interpolated. floor(t) is
   first checked against the prediction for the slot's parity (the last read of that parity plus one UI:
   the CDR moves by far less than a sample per UI), so the ring's addresses are known before t is and
   only the fraction waits for the receiver's serial chain; the same value either way. */
static inline double interp(ls_rx *q, double t, int64_t slot)
{
    if (q->sampler)
        return q->sampler(q->sampler_ctx, t, slot);
    double fl;
    const uint64_t i = (uint64_t)lsi_read_floor(&q->pred, t, slot, q->cfg.sps, &fl);
    double a = t - fl, x0 = q->ring[i & q->mask], x1 = q->ring[(i + 1) & q->mask];
    return x0 + a * (x1 - x0);
}

static inline double adc(ls_rx *q, double x)
{
    if (x > q->adc_clip_hi || x < q->adc_clip_lo)
        q->clipped++;
    double v = lsi_rx_adc_quant(q, x);
    if (q->adc_sigma > 0) {
        if (q->agpos == LSI_RX_NGAUSS) {
            lsi_rng_gauss_fill_d(&q->rng, q->agb, LSI_RX_NGAUSS);
            q->agpos = 0;
        }
        v += q->adc_sigma * q->agb[q->agpos++];
    }
    return v;
}

/* the decision: the number of the nt thresholds y reaches */
static inline unsigned slice(const ls_rx *q, double y, unsigned nt)
{
    unsigned l = 0;
    for (unsigned j = 0; j < nt; j++)
        l += y >= q->th[j];
    return l;
}

static inline double sgn(double x)
{
    return (x > 0) - (x < 0);
}

/* Sampler at the recovered phase *phi (the ring sample itself when the ideal CDR sits at phase 0), then
   the ADC; the sample enters the FFE delay line (and its eye row the row ring) and is returned. *phi is
   the caller's copy of q->phi (refreshed here when the external clock moves it): a local the compiler
   keeps in a register from the CDR's update to the next instant, where q->phi would be stored and
   loaded again on the receiver's serial chain. */
static inline double rx_sample(ls_rx *q, uint64_t s, unsigned sps, unsigned nf, double *phi)
{
    const ls_rx_config *c = &q->cfg;
    if (q->clk_n) {
        rx_ext_clock(q, s, sps);
        *phi = q->phi;
    }
    double t = (double)c->latency + (double)s * sps + *phi * sps;
    double x0 = c->cdr == LS_CDR_IDEAL && *phi == 0 && !q->sampler ? q->ring[(c->latency + s * sps) & q->mask]
                                                                    : interp(q, t, 2 * (int64_t)s);
    double xs = c->adc_on ? adc(q, x0) : x0;
    q->xp = (q->xp ? q->xp : nf) - 1;
    q->xr[q->xp] = q->xr[q->xp + nf] = xs;
    if (q->eye_on)
        lsi_rx_eye_row(q, t, x0, xs, sps, nf);
    return xs;
}

/* The equalizer's terms known before symbol k's sample is taken (called before rx_sample): the FFE's
   older taps i = 1..nf-1 over the delay line as it will be after the shift (tap i's sample is now at
   xr[xp + i - 1]), in four partial sums (tap i into p[(i - 1) % 4], ascending i; then (p0 + p1) +
   (p2 + p3)), into *zo; and D = the DFE's sum b[0] v(d_{k-1}) + b[1] v(d_{k-2}) + ... (or with MLSE the
   tentative cancellation of the target post-cursor, alpha r_{k-1}), returned. None of it waits for the
   sampler, so it is off the receiver's serial chain (sampler -> ADC -> FFE -> slicer -> CDR -> sampler). */
static inline double rx_pre(const ls_rx *q, unsigned nf, unsigned nd, double *zo)
{
    const double *xs = q->xr + q->xp, *w = q->w + 1; /* tap i = m + 1: w[m] xs[m] */
    const unsigned n = nf - 1;
    double p0 = 0, p1 = 0, p2 = 0, p3 = 0;
    unsigned m = 0;
#ifdef __SSE2__
    /* the four sums as two pairs (p0, p1), (p2, p3) in SSE2 registers: lane by lane the same products and sums in
       the same order, so the same values, in a quarter of the instructions (GCC leaves the scalar form scalar) */
    __m128d s01 = _mm_setzero_pd(), s23 = _mm_setzero_pd();
    for (; m + 4 <= n; m += 4) {
        s01 = _mm_add_pd(s01, _mm_mul_pd(_mm_loadu_pd(w + m), _mm_loadu_pd(xs + m)));
        s23 = _mm_add_pd(s23, _mm_mul_pd(_mm_loadu_pd(w + m + 2), _mm_loadu_pd(xs + m + 2)));
    }
    double t[4];
    _mm_storeu_pd(t, s01);
    _mm_storeu_pd(t + 2, s23);
    p0 = t[0], p1 = t[1], p2 = t[2], p3 = t[3];
#else
    for (; m + 4 <= n; m += 4) {
        p0 += w[m] * xs[m];
        p1 += w[m + 1] * xs[m + 1];
        p2 += w[m + 2] * xs[m + 2];
        p3 += w[m + 3] * xs[m + 3];
    }
#endif
    if (m < n)
        p0 += w[m] * xs[m];
    if (m + 1 < n)
        p1 += w[m + 1] * xs[m + 1];
    if (m + 2 < n)
        p2 += w[m + 2] * xs[m + 2];
    *zo = (p0 + p1) + (p2 + p3);
    double d = 0;
    for (unsigned j = 0; j < nd; j++)
        d += q->b[j] * q->dv[j];
    if (q->mlse)
        d += q->cfg.mlse_alpha * q->r_prev;
    return d;
}

/* FFE, then DFE (or with MLSE the tentative post-cursor cancellation), given rx_pre's older-tap sum zold
   and D: the FFE output z = zold + w[0] x0 into *zo, the slicer input y = (zold - D) + w[0] x0 returned.
   The newest sample x0 (from a register: a vector load over the value just stored would stall on store
   forwarding) enters last, so only a product and an addition follow the sampler and the ADC. */
static inline double rx_equalize(const ls_rx *q, double x0, double zold, double dsum, double *zo)
{
    const double p = q->w[0] * x0;
    *zo = zold + p;
    return (zold - dsum) + p;
}

/* Adaptation from the slicer error e of decision d: reference levels and thresholds, FFE and DFE taps. */
static inline void rx_adapt(ls_rx *q, uint64_t k, unsigned d, double e, unsigned nf, unsigned nd)
{
    const ls_rx_config *c = &q->cfg;
    if (c->level_mu > 0) {
        /* adaptive reference levels and thresholds (non-uniform levels: optical modulators) */
        q->ref[d] += c->level_mu * e;
        if (d > 0)
            q->th[d - 1] = (float)(0.5 * (q->ref[d - 1] + q->ref[d]));
        if (d + 1 < c->levels)
            q->th[d] = (float)(0.5 * (q->ref[d] + q->ref[d + 1]));
    }
    if (c->adapt != LS_ADAPT_NONE && k > 0) {
        const double *xs = q->xr + q->xp;
        if (c->adapt == LS_ADAPT_LMS) {
            for (unsigned i = 0; i < nf; i++)
                q->w[i] -= c->mu * e * xs[i];
            for (unsigned j = 0; j < nd; j++)
                q->b[j] += c->mu * e * q->dv[j];
        } else {
            for (unsigned i = 0; i < nf; i++)
                q->w[i] -= c->mu * sgn(e) * sgn(xs[i]);
            for (unsigned j = 0; j < nd; j++)
                q->b[j] += c->mu * sgn(e) * sgn(q->dv[j]);
        }
        for (unsigned j = 0; j < nd; j++)
            if (c->dfe_limit[j] > 0)
                q->b[j] = fmax(-c->dfe_limit[j], fmin(c->dfe_limit[j], q->b[j]));
    }
}

/* CDR: the phase detector (Mueller-Muller or bang-bang) on symbol k (decision d, reference r, slicer
   input y) and the previous one, then the second-order loop moves phi. */
static inline void rx_cdr(ls_rx *q, uint64_t k, unsigned d, double r, double y, unsigned sps)
{
    const ls_rx_config *c = &q->cfg;
    if (c->cdr != LS_CDR_IDEAL && q->have_prev && !q->clk_used) {
        /* u > 0 when sampling late */
        double u = 0;
        if (c->cdr == LS_CDR_MM) {
            /* pre-cursor timing function: (e_{k-1} - c_pre v(d_k)) r_k estimates g0 E[v^2] (g_-1(tau) - c_pre) */
            u = (q->y_prev - q->r_prev - q->cdr_tv[d]) * r; /* cdr_tv[d] = c_pre v(d), set at create */
        } else if ((q->r_prev > 0) != (r > 0) && fabs(q->r_prev + r) < 1e-9 * (fabs(r) + 1e-30)) {
            /* symmetric transition: its crossing sits half a UI before this symbol's sample */
            double te = (double)c->latency + (double)k * sps + (q->phi - 0.5) * sps;
            double xe = interp(q, te, 2 * (int64_t)k - 1);
            u = -sgn(xe) * (sgn(q->y_prev) - sgn(y)) * 0.5;
        }
        q->integ += q->ki * u;
        q->phi -= q->kp * u + q->integ;
        if (fabs(q->phi) > 1.0) {
            q->phi = q->phi > 0 ? 1.0 : -1.0;
            if (q->limit < 0)
                q->limit = (int64_t)k;
        }
    }
}

/* The decided symbol k into the history (previous symbol, DFE decisions) and the phase statistics. */
static inline void rx_track(ls_rx *q, uint64_t k, unsigned d, double r, double y, unsigned nd)
{
    q->y_prev = y;
    q->r_prev = r;
    q->have_prev = 1;
    if (nd) {
        for (unsigned j = nd - 1; j > 0; j--)
            q->dv[j] = q->dv[j - 1];
        q->dv[0] = q->vlev[d];
    }
    /* phase statistics and lock detection: settled when |phi - EMA(256)| < 0.005 UI for 512 symbols */
    q->ph_sum += q->phi;
    q->ph_sum2 += q->phi * q->phi;
    q->ph_n++;
    q->ema += (q->phi - q->ema) / 256.0;
    /* a select, not a branch: under noise |phi - EMA| crosses 0.005 UI at random (mispredictions) */
    const uint64_t in = fabs(q->phi - q->ema) < 0.005;
    q->settled = (q->settled + 1) & (0 - in);
    if (q->settled == 512 && q->lock < 0)
        q->lock = (int64_t)k - 511;
}

/* MLSE: the FFE output z of symbol k into the detector; a decision that comes out is emitted at
   level[*out] with the slicer input y (and eye row) kept for its symbol, and symbol k's take that slot. */
static inline ls_status rx_mlse_emit(ls_rx *q, uint64_t k, double z, double y, uint8_t *level, float *yout,
                                     size_t *out)
{
    const ls_rx_config *c = &q->cfg;
    const float zf = (float)z;
    uint8_t dm;
    size_t nm;
    if (ls_mlse_process(q->mlse, &zf, 1, &dm, &nm) != LS_OK)
        return LS_EINVAL;
    float *slot = &q->y_ring[k % c->mlse_depth]; /* holds y of symbol k - depth */
    float *erow = q->eye_on ? q->e_ring + (size_t)(k % c->mlse_depth) * c->sps : NULL;
    if (nm) {
        if (q->k_emit < q->k_limit) {
            level[*out] = dm;
            if (yout)
                yout[*out] = *slot;
            if (erow)
                memcpy(q->eout + *out * c->sps, erow, c->sps * sizeof *erow);
            (*out)++;
        }
        q->k_emit++;
    }
    *slot = (float)y;
    if (erow)
        lsi_rx_eye_emit(q, z, y, erow);
    return LS_OK;
}

/* Symbol s needs samples up to D + s sps + sps + 1 whatever the phase (phi <= 1 UI), and its eye row half
   a UI more: the samples past D + s sps that must have arrived before s is decided. */
static inline uint64_t rx_ahead(const ls_rx *q)
{
    const ls_rx_config *c = &q->cfg;
    return c->sps + 2u + (c->eye != LS_RX_EYE_NONE ? c->sps - q->eh : 0u);
}

uint64_t ls_rx_samples_left(const ls_rx *q)
{
    const ls_rx_config *c = &q->cfg;
    const uint64_t extra = q->mlse ? c->mlse_depth : 0;
    if (q->k_limit >= (UINT64_MAX >> 8) / c->sps)
        return UINT64_MAX;
    const uint64_t k_run = q->k_limit + extra; /* the front end runs symbols s < ffe_pre + k_run */
    if (!k_run)
        return 0;
    const uint64_t need = c->latency + (c->ffe_pre + k_run - 1) * c->sps + rx_ahead(q);
    return need > q->m_end ? need - q->m_end : 0;
}

ls_status ls_rx_skip(ls_rx *q, uint64_t n)
{
    if (!q)
        return LS_EINVAL;
    const uint64_t ring = (uint64_t)q->mask + 1, z = n < ring ? n : ring;
    for (uint64_t i = n - z; i < n; i++)
        q->ring[(q->m_end + i) & q->mask] = 0.0f;
    q->m_end += n;
    return LS_OK;
}

ls_status ls_rx_process(ls_rx *q, const float *x, size_t n, uint8_t *restrict level, float *restrict yout, size_t cap, size_t *n_out,
                        uint64_t *k_first)
{
    if (!q || (n && !x && !q->sampler) || !level || !n_out || !k_first || n > q->cfg.max_samples)
        return LS_EINVAL;
    const ls_rx_config *c = &q->cfg;
    const unsigned sps = c->sps, nf = c->ffe_taps, npre = c->ffe_pre, nd = c->dfe_taps;
    for (size_t i = 0; x && i < n; i++)
        q->ring[(q->m_end + i) & q->mask] = x[i];
    q->m_end += n;
    size_t out = 0;
    *k_first = q->mlse ? q->k_emit : q->s_next >= npre ? q->s_next - npre : 0;
    /* with MLSE the front end runs depth symbols ahead of the decisions */
    const uint64_t extra = q->mlse ? c->mlse_depth : 0;
    const uint64_t k_run = q->k_limit > UINT64_MAX - extra ? UINT64_MAX : q->k_limit + extra;
    const uint64_t ahead = rx_ahead(q);
    double phi = q->phi; /* rx_sample */
    /* the symbols s this call runs: latency + s sps + ahead <= m_end (its samples are in) and s < npre + k_run (the
       front end's limit), in locals: the loop's stores through q would make the compiler read q's fields again */
    const uint64_t need = c->latency + ahead, s_in = q->m_end >= need ? (q->m_end - need) / sps + 1 : 0;
    const uint64_t s_lim = k_run > UINT64_MAX - npre ? UINT64_MAX : npre + k_run, s_stop = s_in < s_lim ? s_in : s_lim;
    const unsigned nt = c->levels - 1;
    for (uint64_t s = q->s_next; s < s_stop; s++) {
        if (out >= cap || (q->eye_on && out >= q->eout_rows))
            return LS_EINVAL;
        q->s_next = s + 1;
        double zold = 0, dsum = 0;
        if (s >= npre)
            dsum = rx_pre(q, nf, nd, &zold);
        const double xn = rx_sample(q, s, sps, nf, &phi);
        if (s < npre)
            continue;
        const uint64_t k = s - npre;
        double z;
        double y = rx_equalize(q, xn, zold, dsum, &z);
        unsigned d = slice(q, y, nt);
        double r = q->ref[d], e = y - r;
        rx_adapt(q, k, d, e, nf, nd);
        rx_cdr(q, k, d, r, y, sps);
        phi = q->phi;
        rx_track(q, k, d, r, y, nd);
        if (q->mlse) {
            if (rx_mlse_emit(q, k, z, y, level, yout, &out) != LS_OK)
                return LS_EINVAL;
            continue;
        }
        level[out] = (uint8_t)d;
        if (yout)
            yout[out] = (float)y;
        if (q->eye_on)
            lsi_rx_eye_emit(q, z, y, q->eout + out * sps);
        out++;
    }
    *n_out = out;
    return LS_OK;
}

ls_status ls_rx_set_sampler(ls_rx *q, ls_rx_sampler fn, void *ctx)
{
    if (!q || (fn && q->eye_on))
        return LS_EINVAL;
    q->sampler = fn;
    q->sampler_ctx = ctx;
    return LS_OK;
}

void ls_rx_get_stats(const ls_rx *q, ls_rx_stats *s)
{
    memset(s, 0, sizeof *s);
    s->phase_ui = q->phi;
    if (q->ph_n) {
        s->phase_mean_ui = q->ph_sum / (double)q->ph_n;
        double v = q->ph_sum2 / (double)q->ph_n - s->phase_mean_ui * s->phase_mean_ui;
        s->phase_rms_ui = v > 0 ? sqrt(v) : 0;
    }
    s->lock_symbol = q->lock;
    s->limit_symbol = q->limit;
    memcpy(s->ffe, q->w, sizeof s->ffe);
    memcpy(s->dfe, q->b, sizeof s->dfe);
    s->clipped = q->clipped;
    memcpy(s->ref_v, q->ref, sizeof s->ref_v);
}

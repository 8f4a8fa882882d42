/*
 * TDECQ measurement front end (IEEE 802.3 cl. 121.8.4-121.8.5; include/lanesim/tdecq.h,
 * docs/tdecq.md): the reference receiver, the symbol timing, OMA_outer, ER, the T-spaced samples the
 * reference equalizer works on (phy/tdecq_eq.c), the equalized levels, R_LM and overshoot.
 *
 * Reference receiver: the waveform minus its mean, zero-padded, times H_BT4(f) (ls_lowpass_response,
 * 4th-order Bessel-Thomson, -3 dB at f_ref) by FFT, plus the mean back.
 * Timing: every crossing of P_ave by the filtered waveform gives a phase 2 pi t/sps; the circular mean
 * of those phases is the crossing time, the eye centre is half a UI later. The symbol delay D is the
 * integer that maximises sum_k (y(t_c + (k + D) sps) - P_ave) v(x[k]) over |D| <= max_delay_ui.
 * OMA_outer = P3 - P0, each the mean power over the central 2 UI of runs of >= 7 threes / >= 6 zeros
 * (121.8.4; shorter runs, >= 3, when the pattern has none, reported in oma_run3/oma_run0).
 * R_LM (cl. 120D.3.1.2 form, on the equalized levels at the eye centre): V_mid = (V0 + V3)/2,
 * ES1 = (V1 - V_mid)/(V0 - V_mid), ES2 = (V2 - V_mid)/(V3 - V_mid), R_LM = min(3 ES1, 3 ES2, 2 - 3 ES1, 2 - 3 ES2).
 * Overshoot/undershoot (802.3cu form): the equalized waveform over the whole UI; P_hi (P_lo) is exceeded
 * (undercut) by 1e-2 of its samples; overshoot = (P_hi - P3)/OMA_outer, undershoot = (P0 - P_lo)/OMA_outer.
 */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim/filter.h"
#include "lanesim/stats.h"
#include "ls_internal.h"
#include "tdecq_internal.h"

static const double vnom[4] = { -1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0 };

void ls_tdecq_config_init(ls_tdecq_config *cfg, ls_tdecq_class cls, double baud_bd, unsigned sps)
{
    *cfg = (ls_tdecq_config){ .baud = baud_bd, .sps = sps, .ref_filter = 1, .f_ref_hz = 0, .noise_f3db_hz = 0,
                              .target_ser = 4.8e-4, .sigma_s = 0, .hist_width_ui = 0.04, .hist_left_ui = 0.45,
                              .hist_right_ui = 0.55, .hist_points = 5, .max_delay_ui = 128, .optimize = 1 };
    if (cls == LS_TDECQ_200G) {
        cfg->n_taps = 15;
        cfg->min_pre = 0;
        cfg->max_pre = 3;
        cfg->dfe_max = 0.3;
    } else {
        cfg->n_taps = 5;
        cfg->min_pre = 1;
        cfg->max_pre = 2;
        cfg->dfe_max = 0;
    }
    cfg->skip_ui = 64;
}

double ls_tdecq_qt(double ser)
{
    return ser > 0 && ser < 1.5 ? ls_qinv(ser / 1.5) : NAN;
}

static int valid_config(const ls_tdecq_config *c)
{
    return c && isfinite(c->baud) && c->baud > 0 && c->sps >= 4 && c->sps <= 1024 && c->f_ref_hz >= 0 &&
           isfinite(c->f_ref_hz) && !isnan(c->noise_f3db_hz) && c->noise_f3db_hz >= 0 && c->n_taps >= 1 &&
           c->n_taps <= LS_TDECQ_MAX_TAPS && c->min_pre <= c->max_pre && c->max_pre < c->n_taps &&
           c->dfe_max >= 0 && c->dfe_max <= 1 && c->tap_ratio_max >= 0 && c->balance_max >= 0 &&
           c->target_ser > 0 && c->target_ser < 0.1 && isfinite(c->sigma_s) && c->sigma_s >= 0 &&
           c->hist_width_ui >= 0.01 && c->hist_width_ui <= 0.1 && c->hist_left_ui > 0 && c->hist_left_ui < 1 &&
           c->hist_right_ui > 0 && c->hist_right_ui < 1 && c->hist_points >= 1 &&
           c->hist_points <= LS_TDECQ_MAX_POINTS && c->skip_ui >= c->n_taps;
}

/* The reference receiver into y[0..n) (double), or a copy when it is off. */
static ls_status front_end(const ls_tdecq_config *cfg, const float *p, size_t n, double *y)
{
    double mean = 0;
    for (size_t i = 0; i < n; i++)
        mean += p[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++)
        y[i] = p[i];
    if (!cfg->ref_filter)
        return LS_OK;
    const double fs = cfg->baud * cfg->sps, f3 = cfg->f_ref_hz > 0 ? cfg->f_ref_hz : 0.5 * cfg->baud;
    ls_lowpass_config lc = { .type = LS_LP_BESSEL, .order = 4, .f3db_hz = f3 };
    const size_t pad = (size_t)ceil(ls_lowpass_span_s(&lc) * fs) + 16;
    const size_t N = lsi_pow2_at_least(n + pad);
    ls_status st;
    lsi_rfft *f = lsi_rfft_create(N, &st);
    if (!f)
        return st;
    float *x = lsi_rfft_time(f);
    float complex *X = lsi_rfft_freq(f);
    for (size_t i = 0; i < N; i++)
        x[i] = i < n ? (float)(p[i] - mean) : 0.0f;
    lsi_rfft_forward(f);
    for (size_t k = 0; k <= N / 2 && st == LS_OK; k++) {
        double fk = (double)k * fs / (double)N;
        double complex h;
        st = ls_lowpass_response(&lc, &fk, &h, 1);
        X[k] *= (float complex)(h / (double)N);
    }
    lsi_rfft_inverse(f);
    const float *o = lsi_rfft_out(f);
    for (size_t i = 0; i < n; i++)
        y[i] = o[i] + mean;
    lsi_rfft_destroy(f);
    return st;
}

/* y at fractional sample position u (clamped into the waveform). */
static double at(const double *y, size_t n, double u)
{
    if (u <= 0)
        return y[0];
    if (u >= (double)(n - 1))
        return y[n - 1];
    size_t i = (size_t)u;
    double a = u - (double)i;
    return y[i] + a * (y[i + 1] - y[i]);
}

/* Eye centre of symbol 0 (samples), from the mean crossing phase and the best symbol delay. */
static int timing(const ls_tdecq_config *cfg, const double *y, size_t n, const uint8_t *lev, size_t n_sym,
                  double p_ave, double *t0)
{
    const double sps = cfg->sps;
    double cs = 0, sn = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double a = y[i] - p_ave, b = y[i + 1] - p_ave;
        if ((a < 0) != (b < 0) && a != b) {
            double ph = 2.0 * M_PI * ((double)i + a / (a - b)) / sps;
            cs += cos(ph);
            sn += sin(ph);
        }
    }
    if (cs == 0 && sn == 0)
        return -1;
    double c = atan2(sn, cs) / (2.0 * M_PI) * sps + 0.5 * sps;
    c = fmod(c, sps);
    if (c < 0)
        c += sps;
    const long dmax = (long)cfg->max_delay_ui;
    const size_t kmax = LS_MIN(n_sym, (size_t)40000);
    double best = -INFINITY;
    long bd = 0;
    for (long d = -dmax; d <= dmax; d++) {
        double s = 0;
        for (size_t k = cfg->skip_ui; k < kmax; k++) {
            double u = c + ((double)k + (double)d) * sps;
            if (u >= 0 && u < (double)n)
                s += (at(y, n, u) - p_ave) * vnom[lev[k] & 3];
        }
        if (s > best) {
            best = s;
            bd = d;
        }
    }
    *t0 = c + (double)bd * sps;
    return 0;
}

/* Mean power over the central 2 UI of the runs of `value` at least `len` long; NaN if none. */
static double run_level(const double *y, size_t n, double t0, double sps, const uint8_t *lev, size_t k_lo,
                        size_t k_hi, unsigned value, unsigned len)
{
    double s = 0;
    size_t cnt = 0;
    for (size_t k = k_lo; k < k_hi;) {
        size_t e = k;
        while (e < k_hi && lev[e] == value)
            e++;
        if (e - k >= len) {
            double c = t0 + 0.5 * (double)(k + e - 1) * sps; /* run centre (samples) */
            long a = (long)ceil(c - sps), b = (long)floor(c + sps);
            for (long i = LS_MAX(a, 0L); i <= b && i < (long)n; i++, cnt++)
                s += y[i];
        }
        k = e > k ? e : k + 1;
    }
    return cnt ? s / (double)cnt : NAN;
}

/* Equalized waveform at fractional sample u, inside the UI of symbol kk (DFE from symbol kk - 1). */
static double eq_wave(const lsi_tdecq *t, const double *y, size_t n, double u, size_t kk, const ls_tdecq_results *r)
{
    double e = -r->dfe * t->lv[t->lev[kk - 1]];
    for (unsigned i = 0; i < r->n_taps; i++)
        e += r->taps[i] * at(y, n, u + ((double)r->n_pre - (double)i) * t->cfg->sps);
    return e;
}

/* Equalized levels at the eye centre, R_LM, and the over/under-shoot over the whole UI. */
static ls_status levels_and_shoot(const lsi_tdecq *t, const double *y, size_t n, ls_tdecq_results *r)
{
    const double *row = t->s + t->n_inst * t->n_sym;
    double s[4] = { 0 }, c[4] = { 0 };
    for (size_t k = t->k_lo; k < t->k_hi; k++) {
        double e = lsi_tdecq_eq_at(t, row, k, r->taps, r->n_taps, r->n_pre, r->dfe);
        s[t->lev[k]] += e;
        c[t->lev[k]] += 1;
    }
    for (unsigned i = 0; i < 4; i++)
        r->levels_w[i] = c[i] > 0 ? s[i] / c[i] : NAN;
    const double *v = r->levels_w, vm = 0.5 * (v[0] + v[3]);
    const double es1 = (v[1] - vm) / (v[0] - vm), es2 = (v[2] - vm) / (v[3] - vm);
    r->rlm = LS_MIN(LS_MIN(3 * es1, 3 * es2), LS_MIN(2 - 3 * es1, 2 - 3 * es2));
    enum { NB = 65536 };
    double *h = ls_alloc_n(NB, sizeof *h);
    if (!h)
        return LS_ENOMEM;
    const double lo = t->p_ave - 2.0 * t->oma, sc = NB / (4.0 * t->oma);
    const unsigned sps = t->cfg->sps;
    double tot = 0;
    for (size_t k = t->k_lo; k < t->k_hi; k++)
        for (unsigned m = 0; m < sps; m++) {
            double u = r->t0_samples + (double)k * sps + (double)m - 0.5 * sps;
            double b = (eq_wave(t, y, n, u, k, r) - lo) * sc;
            h[b < 0 ? 0 : (b >= NB ? NB - 1 : (size_t)b)] += 1;
            tot += 1;
        }
    double acc = 0;
    size_t i_lo = 0, i_hi = NB - 1;
    for (; i_lo < NB && (acc += h[i_lo]) < 1e-2 * tot; i_lo++) {
    }
    acc = 0;
    for (; i_hi > 0 && (acc += h[i_hi]) < 1e-2 * tot; i_hi--) {
    }
    r->overshoot = (lo + (i_hi + 0.5) / sc - r->p3_w) / r->oma_outer_w;
    r->undershoot = (r->p0_w - (lo + (i_lo + 0.5) / sc)) / r->oma_outer_w;
    ls_free(h);
    return LS_OK;
}

/* OMA_outer, P0, P3, ER from the runs (7 threes, 6 zeros; shorter runs when the pattern has none). */
static int outer_levels(const double *y, size_t n, const lsi_tdecq *t, double t0, ls_tdecq_results *r)
{
    const double sps = t->cfg->sps;
    unsigned l3 = 7, l0 = 6;
    double p3 = NAN, p0 = NAN;
    for (; l3 >= 3 && isnan(p3); l3--)
        p3 = run_level(y, n, t0, sps, t->lev, t->k_lo, t->k_hi, 3, l3);
    for (; l0 >= 3 && isnan(p0); l0--)
        p0 = run_level(y, n, t0, sps, t->lev, t->k_lo, t->k_hi, 0, l0);
    if (isnan(p3) || isnan(p0))
        return -1;
    r->oma_run3 = l3 + 1;
    r->oma_run0 = l0 + 1;
    r->p3_w = p3;
    r->p0_w = p0;
    r->oma_outer_w = p3 - p0;
    r->er_db = p0 > 0 ? 10.0 * log10(p3 / p0) : INFINITY;
    return 0;
}

/* The T-spaced sample rows: the window points, then the eye centre. */
static void fill_rows(lsi_tdecq *t, const double *y, size_t n, double t0)
{
    const ls_tdecq_config *cfg = t->cfg;
    const unsigned P = cfg->hist_points;
    double off[LSI_TDECQ_MAX_INST + 1];
    for (unsigned i = 0; i < P; i++) {
        double d = cfg->hist_width_ui * (((double)i + 0.5) / P - 0.5);
        off[i] = cfg->hist_left_ui - 0.5 + d;
        off[P + i] = cfg->hist_right_ui - 0.5 + d;
    }
    off[2 * P] = 0;
    const size_t a = t->k_lo - cfg->n_taps, b = LS_MIN(t->k_hi + cfg->n_taps, t->n_sym);
    for (unsigned j = 0; j <= t->n_inst; j++)
        for (size_t k = a; k < b; k++)
            t->s[j * t->n_sym + k] = at(y, n, t0 + ((double)k + off[j]) * cfg->sps);
}

/* Scored symbols: skip_ui from each end, and every FFE input inside the waveform. */
static void score_range(lsi_tdecq *t, double t0, size_t n)
{
    const ls_tdecq_config *cfg = t->cfg;
    const double sps = cfg->sps, m = (double)cfg->n_taps + 2.0;
    double klo = ceil(m - t0 / sps), khi = floor(((double)n - 1.0 - t0) / sps - m);
    t->k_lo = LS_MAX((size_t)cfg->skip_ui, klo > 0 ? (size_t)klo : 0);
    t->k_hi = khi > 0 ? LS_MIN(t->n_sym - cfg->skip_ui, (size_t)khi) : 0;
    if (t->k_hi < t->k_lo)
        t->k_hi = t->k_lo;
}

static ls_status check_inputs(const ls_tdecq_config *cfg, const float *p, size_t n, const uint8_t *lev,
                              size_t n_sym, char *msg, size_t cap)
{
    if (!valid_config(cfg)) {
        lsi_say(msg, cap, "tdecq: invalid configuration");
        return LS_EINVAL;
    }
    if (!p || !lev || n_sym < 2 * (size_t)cfg->skip_ui + 1000 || n < 1000 * (size_t)cfg->sps) {
        lsi_say(msg, cap, "tdecq: too short a capture (%zu samples, %zu symbols; at least 1000 UI beyond "
                "%u UI at each end)", n, n_sym, cfg->skip_ui);
        return LS_EINVAL;
    }
    for (size_t k = 0; k < n_sym; k++)
        if (lev[k] > 3) {
            lsi_say(msg, cap, "tdecq: symbol %zu is level %u: PAM4 levels are 0..3", k, lev[k]);
            return LS_EINVAL;
        }
    for (size_t i = 0; i < n; i++)
        if (!isfinite(p[i])) {
            lsi_say(msg, cap, "tdecq: sample %zu is not finite", i);
            return LS_EINVAL;
        }
    return LS_OK;
}

/* Timing, scored range, OMA, levels and thresholds of t from the filtered waveform y. */
static ls_status prepare(lsi_tdecq *t, const double *y, size_t n, ls_tdecq_results *r, char *msg, size_t cap)
{
    const ls_tdecq_config *cfg = t->cfg;
    const size_t edge = LS_MIN((size_t)cfg->skip_ui * cfg->sps, n / 4);
    double pa = 0;
    for (size_t i = edge; i < n - edge; i++)
        pa += y[i];
    t->p_ave = pa / (double)(n - 2 * edge);
    if (timing(cfg, y, n, t->lev, t->n_sym, t->p_ave, &r->t0_samples)) {
        lsi_say(msg, cap, "tdecq: the waveform never crosses its mean power (no eye)");
        return LS_EINVAL;
    }
    score_range(t, r->t0_samples, n);
    if (t->k_hi - t->k_lo < 1000) {
        lsi_say(msg, cap, "tdecq: fewer than 1000 symbols inside the capture after the symbol delay");
        return LS_EINVAL;
    }
    if (outer_levels(y, n, t, r->t0_samples, r) || !(r->oma_outer_w > 0)) {
        lsi_say(msg, cap, "tdecq: no eye (OMA_outer %.4g from runs of 3s and 0s; the symbols may not match "
                "the waveform)", r->oma_outer_w);
        return LS_EINVAL;
    }
    t->oma = r->oma_outer_w;
    for (unsigned i = 0; i < 4; i++)
        t->lv[i] = t->p_ave + 0.5 * t->oma * vnom[i];
    t->thr[0] = t->p_ave - t->oma / 3.0;
    t->thr[1] = t->p_ave;
    t->thr[2] = t->p_ave + t->oma / 3.0;
    t->qt = ls_tdecq_qt(cfg->target_ser);
    r->p_ave_w = t->p_ave;
    r->q_t = t->qt;
    memcpy(r->thresholds_w, t->thr, sizeof t->thr);
    r->n_symbols = t->k_hi - t->k_lo;
    return LS_OK;
}

ls_status ls_tdecq_measure(const ls_tdecq_config *cfg, const float *p_w, size_t n, const uint8_t *level,
                           size_t n_sym, ls_tdecq_results *r, char *msg, size_t cap)
{
    if (!r)
        return LS_EINVAL;
    memset(r, 0, sizeof *r);
    ls_status st = check_inputs(cfg, p_w, n, level, n_sym, msg, cap);
    if (st != LS_OK)
        return st;
    lsi_tdecq t = { .cfg = cfg, .lev = level, .n_sym = n_sym, .n_inst = 2 * cfg->hist_points };
    double *y = ls_alloc_n(n, sizeof *y);
    t.s = ls_alloc_n((size_t)(t.n_inst + 1) * n_sym, sizeof *t.s);
    t.e = ls_alloc_n((size_t)t.n_inst * n_sym, sizeof *t.e);
    t.e2 = ls_alloc_n((size_t)t.n_inst * n_sym, sizeof *t.e2);
    st = LS_ENOMEM;
    if (!y || !t.s || !t.e || !t.e2) {
        lsi_say(msg, cap, "tdecq: out of memory");
        goto done;
    }
    if ((st = front_end(cfg, p_w, n, y)) != LS_OK) {
        lsi_say(msg, cap, "tdecq: reference receiver failed (%s)", ls_strerror(st));
        goto done;
    }
    if ((st = prepare(&t, y, n, r, msg, cap)) != LS_OK)
        goto done;
    fill_rows(&t, y, n, r->t0_samples);
    const double fn = cfg->noise_f3db_hz > 0 ? cfg->noise_f3db_hz : (cfg->f_ref_hz > 0 ? cfg->f_ref_hz : 0.5 * cfg->baud);
    lsi_tdecq_noise_acf(cfg->baud, fn, t.R, cfg->n_taps);
    if ((st = lsi_tdecq_equalize(&t, r, msg, cap)) != LS_OK)
        goto done;
    st = levels_and_shoot(&t, y, n, r);
done:
    ls_free(y);
    ls_free(t.s);
    ls_free(t.e);
    ls_free(t.e2);
    return st;
}

ls_status ls_tdecq_eye(const ls_tdecq_config *cfg, const float *p_w, size_t n, const uint8_t *level, size_t n_sym,
                       const ls_tdecq_results *r, size_t n_ui, float *t_ui, float *eq_w, size_t cap, size_t *n_out)
{
    if (!r || !t_ui || !eq_w || !n_out || check_inputs(cfg, p_w, n, level, n_sym, NULL, 0) != LS_OK ||
        r->n_taps != cfg->n_taps || !(r->oma_outer_w > 0))
        return LS_EINVAL;
    *n_out = 0;
    double *y = ls_alloc_n(n, sizeof *y);
    if (!y)
        return LS_ENOMEM;
    ls_status st = front_end(cfg, p_w, n, y);
    lsi_tdecq t = { .cfg = cfg, .lev = level, .n_sym = n_sym, .p_ave = r->p_ave_w, .oma = r->oma_outer_w };
    for (unsigned i = 0; i < 4; i++)
        t.lv[i] = t.p_ave + 0.5 * t.oma * vnom[i];
    score_range(&t, r->t0_samples, n);
    const unsigned sps = cfg->sps;
    size_t span = t.k_hi > t.k_lo + 2 ? t.k_hi - t.k_lo - 2 : 0, m = LS_MIN(n_ui, span);
    size_t k0 = t.k_lo + 1 + (span - m) / 2, w = 0;
    for (size_t k = k0; st == LS_OK && k < k0 + m; k++)
        for (unsigned j = 0; j < 2 * sps && w < cap; j++, w++) {
            double rel = (double)j - 0.5 * sps; /* samples from symbol k's eye centre */
            size_t kk = k + (size_t)floor((rel + 0.5 * sps) / sps);
            t_ui[w] = (float)(0.5 + rel / sps);
            eq_w[w] = (float)eq_wave(&t, y, n, r->t0_samples + (double)k * sps + rel, kk, r);
        }
    *n_out = w;
    ls_free(y);
    return st;
}

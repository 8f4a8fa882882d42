/*
 * Continuous-time linear equalizer (CTLE): transfer functions, impulse-response span, adapter.
 *
 * COM form: IEEE 802.3 Annex 93A eq. (93A-22), extended in 802.3ck/dj (Annex 120F/178A) by the
 * low-frequency pole/zero pair f_LF with its own DC gain g_DC2; as coded in the open COM
 * implementations (PyChOpMarg `utility/filter.py` calc_Hctle, taken from PyBERT):
 *     H(f) = (g1 + j f/f_z) (g2 + j f/f_LF) / [(1 + j f/f_p1)(1 + j f/f_p2)(1 + j f/f_LF)],
 *     g1 = 10^(g_DC/20), g2 = 10^(g_DC2/20).
 *
 * Peaking form: H(f) = (1 + j f/f_z) / (1 + j f/f_p)^2. With x = f^2, |H|^2 = (1 + x/f_z^2) /
 * (1 + x/f_p^2)^2 has its maximum at x = f_p^2 - 2 f_z^2 (needs r = f_p^2/f_z^2 > 2), where it
 * equals r^2 / (4 (r - 1)). Setting that to P^2 (P = 10^(peaking_db/20) >= 1) gives
 * r^2 - 4 P^2 r + 4 P^2 = 0, whose root above 2 is r = 2P (P + sqrt(P^2 - 1)); then
 * f_z = f_pk / sqrt(r - 2), f_p = f_pk sqrt(r / (r - 2)). P = 1 is the flat limit H = 1.
 *
 * Span: both forms are cascades of first-order real-pole sections, strictly proper overall (one
 * section is a pure pole). The cascade gives a lower-triangular state-space model (A, b, c),
 * h(t) = c e^{At} b for t > 0, whose energy after T is exactly E(T) = x(T)' W x(T) with
 * x(T) = e^{AT} b and W the observability Gramian (A' W + W A + c c' = 0, solved as a small
 * Kronecker system). Repeated poles (the peaking double pole, f_p1 = f_p2, ...) need no special
 * case. e^{AT} is Taylor with scaling and squaring. The span is the T (bisection) with
 * E(T) = 1e-10 E(0), 10x inside the 1e-9 contract. Time is normalized by the fastest pole.
 * Checked against exact partial fractions (distinct poles, long double): relative agreement
 * 1e-11 up to a frequency spread of 1e8, 1e-9 at 1e9, 1e-4 at 1e13, broken at 1e18; hence the
 * documented LS_CTLE_MAX_FREQ_RATIO = 1e9.
 */
#include "lanesim/ctle.h"

#include <math.h>
#include <string.h>

#include "ls_internal.h"

#define NS 3            /* largest state dimension (three first-order sections) */
#define SPAN_TAIL 1e-10 /* energy fraction left outside the span (contract: < 1e-9) */

static double db_to_lin(double db)
{
    return pow(10.0, db / 20.0);
}

static int finite_pos(double x)
{
    return isfinite(x) && x > 0.0;
}

static int gain_ok(double db)
{
    return isfinite(db) && db <= 0.0 && db >= LS_CTLE_GAIN_MIN_DB;
}

static int peaking_valid(const ls_ctle_config *cfg)
{
    return finite_pos(cfg->fpk_hz) && isfinite(cfg->peaking_db) && cfg->peaking_db >= 0.0 &&
           cfg->peaking_db <= LS_CTLE_PEAKING_MAX_DB;
}

static int cfg_valid(const ls_ctle_config *cfg)
{
    if (!cfg)
        return 0;
    switch (cfg->form) {
    case LS_CTLE_COM: {
        if (!finite_pos(cfg->fz_hz) || !finite_pos(cfg->fp1_hz) || !finite_pos(cfg->fp2_hz) ||
            !finite_pos(cfg->flf_hz) || !gain_ok(cfg->gdc_db) || !gain_ok(cfg->gdc2_db))
            return 0;
        const double lo = fmin(fmin(cfg->fz_hz, cfg->fp1_hz), fmin(cfg->fp2_hz, cfg->flf_hz));
        const double hi = fmax(fmax(cfg->fz_hz, cfg->fp1_hz), fmax(cfg->fp2_hz, cfg->flf_hz));
        return hi <= LS_CTLE_MAX_FREQ_RATIO * lo;
    }
    case LS_CTLE_PEAKING: return peaking_valid(cfg);
    default: return 0;
    }
}

void ls_ctle_config_init(ls_ctle_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_ctle_config){.form = LS_CTLE_COM,
                            .fz_hz = 42.5e9,
                            .fp1_hz = 42.5e9,
                            .fp2_hz = 106.25e9,
                            .flf_hz = 1.328125e9,
                            .gdc_db = 0.0,
                            .gdc2_db = 0.0,
                            .fpk_hz = 53.125e9,
                            .peaking_db = 6.0};
}

/* Zero and pole of the peaking form; requires peaking_db > 0. */
static void peaking_zp(const ls_ctle_config *cfg, double *fz, double *fp)
{
    const double p = db_to_lin(cfg->peaking_db);
    const double r = 2.0 * p * (p + sqrt((p - 1.0) * (p + 1.0)));
    *fz = cfg->fpk_hz / sqrt(r - 2.0);
    *fp = cfg->fpk_hz * sqrt(r / (r - 2.0));
}

ls_status ls_ctle_peaking_zp(const ls_ctle_config *cfg, double *fz_hz, double *fp_hz)
{
    if (!cfg || !fz_hz || !fp_hz || !peaking_valid(cfg) || cfg->peaking_db == 0.0)
        return LS_EINVAL;
    peaking_zp(cfg, fz_hz, fp_hz);
    return LS_OK;
}

ls_status ls_ctle_response(const ls_ctle_config *cfg, const double *f_hz, double complex *h,
                           size_t n)
{
    if (!cfg_valid(cfg) || (n && (!f_hz || !h)))
        return LS_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(f_hz[i]))
            return LS_EINVAL;
    if (cfg->form == LS_CTLE_COM) {
        const double g1 = db_to_lin(cfg->gdc_db), g2 = db_to_lin(cfg->gdc2_db);
        for (size_t i = 0; i < n; i++) {
            const double f = f_hz[i];
            const double complex num = (g1 + I * (f / cfg->fz_hz)) * (g2 + I * (f / cfg->flf_hz));
            const double complex den = (1.0 + I * (f / cfg->fp1_hz)) *
                                       (1.0 + I * (f / cfg->fp2_hz)) *
                                       (1.0 + I * (f / cfg->flf_hz));
            h[i] = num / den;
        }
        return LS_OK;
    }
    if (cfg->peaking_db == 0.0) {
        for (size_t i = 0; i < n; i++)
            h[i] = 1.0;
        return LS_OK;
    }
    double fz, fp;
    peaking_zp(cfg, &fz, &fp);
    for (size_t i = 0; i < n; i++) {
        const double complex d = 1.0 + I * (f_hz[i] / fp);
        h[i] = (1.0 + I * (f_hz[i] / fz)) / (d * d);
    }
    return LS_OK;
}

/* ---- span: state space of the cascade ---------------------------------------------------- */

typedef struct {
    unsigned n;
    double a[NS][NS], b[NS], c[NS];
} ss_model;

/* Appends the section (alpha + s/wz) / (1 + s/wp) (wz = 0: the pure pole 1 / (1 + s/wp)).
 * u_coef / u_dir describe the section's input as c.x + d.impulse; they are updated in place to
 * its output. Section: x' = -wp x + u, y = C x + D u, with
 *   zero-pole: D = wp/wz, C = D (alpha wz - wp);   pure pole: D = 0, C = wp. */
static void ss_add(ss_model *m, double *u_coef, double *u_dir, double alpha, double wz, double wp)
{
    const unsigned k = m->n++;
    for (unsigned j = 0; j < k; j++)
        m->a[k][j] = u_coef[j];
    m->a[k][k] = -wp;
    m->b[k] = *u_dir;
    double cc, dd;
    if (wz > 0.0) {
        dd = wp / wz;
        cc = dd * (alpha * wz - wp);
    } else {
        dd = 0.0;
        cc = wp;
    }
    for (unsigned j = 0; j < k; j++)
        u_coef[j] *= dd;
    u_coef[k] = cc;
    *u_dir *= dd;
}

/* Model in time normalized by the fastest pole (rad/s), returned in *w0. */
static void ss_build(const ls_ctle_config *cfg, ss_model *m, double *w0)
{
    double coef[NS] = {0}, dir = 1.0;
    memset(m, 0, sizeof *m);
    if (cfg->form == LS_CTLE_COM) {
        const double wmax = fmax(fmax(cfg->fp1_hz, cfg->fp2_hz), cfg->flf_hz);
        *w0 = 2.0 * M_PI * wmax;
        /* Normalized angular frequencies: f / f_max (the 2 pi cancels). */
        ss_add(m, coef, &dir, 0.0, 0.0, cfg->fp2_hz / wmax);
        ss_add(m, coef, &dir, db_to_lin(cfg->gdc_db), cfg->fz_hz / wmax, cfg->fp1_hz / wmax);
        ss_add(m, coef, &dir, db_to_lin(cfg->gdc2_db), cfg->flf_hz / wmax, cfg->flf_hz / wmax);
    } else {
        double fz, fp;
        peaking_zp(cfg, &fz, &fp);
        *w0 = 2.0 * M_PI * fp;
        ss_add(m, coef, &dir, 0.0, 0.0, 1.0);
        ss_add(m, coef, &dir, 1.0, fz / fp, 1.0);
    }
    for (unsigned j = 0; j < m->n; j++)
        m->c[j] = coef[j];
    /* dir (the direct feed-through) is 0: the first section is a pure pole. */
}

static void mat_mul(unsigned n, double r[NS][NS], double x[NS][NS], double y[NS][NS])
{
    double t[NS][NS] = {{0}};
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < n; j++) {
            double s = 0.0;
            for (unsigned k = 0; k < n; k++)
                s += x[i][k] * y[k][j];
            t[i][j] = s;
        }
    memcpy(r, t, sizeof t);
}

/* e = exp(a t): Taylor series on a t / 2^s (norm <= 1/2), then s squarings. */
static void expm(unsigned n, double a[NS][NS], double t, double e[NS][NS])
{
    double m[NS][NS] = {{0}}, term[NS][NS] = {{0}};
    double norm = 0.0;
    for (unsigned i = 0; i < n; i++) {
        double row = 0.0;
        for (unsigned j = 0; j < n; j++)
            row += fabs(a[i][j] * t);
        norm = fmax(norm, row);
    }
    int s = 0;
    double scale = t;
    while (norm > 0.5 && s < 1000) {
        norm *= 0.5;
        scale *= 0.5;
        s++;
    }
    memset(e, 0, sizeof(double) * NS * NS);
    for (unsigned i = 0; i < n; i++) {
        for (unsigned j = 0; j < n; j++)
            m[i][j] = a[i][j] * scale;
        e[i][i] = 1.0;
        term[i][i] = 1.0;
    }
    for (int k = 1; k <= 24; k++) { /* 0.5^24 / 24! is far below double precision */
        mat_mul(n, term, term, m);
        for (unsigned i = 0; i < n; i++)
            for (unsigned j = 0; j < n; j++) {
                term[i][j] /= k;
                e[i][j] += term[i][j];
            }
    }
    for (int k = 0; k < s; k++)
        mat_mul(n, e, e, e);
}

/* Gaussian elimination with partial pivoting, in place; n <= NS * NS. 0 on success. */
static int solve_dense(unsigned n, double m[NS * NS][NS * NS], double *x)
{
    for (unsigned col = 0; col < n; col++) {
        unsigned piv = col;
        for (unsigned r = col + 1; r < n; r++)
            if (fabs(m[r][col]) > fabs(m[piv][col]))
                piv = r;
        if (m[piv][col] == 0.0)
            return -1;
        if (piv != col) {
            for (unsigned j = 0; j < n; j++) {
                double t = m[col][j];
                m[col][j] = m[piv][j];
                m[piv][j] = t;
            }
            double t = x[col];
            x[col] = x[piv];
            x[piv] = t;
        }
        for (unsigned r = col + 1; r < n; r++) {
            const double f = m[r][col] / m[col][col];
            if (f == 0.0)
                continue;
            for (unsigned j = col; j < n; j++)
                m[r][j] -= f * m[col][j];
            x[r] -= f * x[col];
        }
    }
    for (unsigned r = n; r-- > 0;) {
        double s = x[r];
        for (unsigned j = r + 1; j < n; j++)
            s -= m[r][j] * x[j];
        x[r] = s / m[r][r];
    }
    return 0;
}

/* Observability Gramian: A' W + W A = -c c'. */
static int gramian(const ss_model *m, double w[NS][NS])
{
    const unsigned n = m->n, nn = n * n;
    double k[NS * NS][NS * NS] = {{0}}, x[NS * NS];
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < n; j++) {
            const unsigned u = i * n + j;
            for (unsigned q = 0; q < n; q++) {
                k[u][q * n + j] += m->a[q][i]; /* (A' W)_ij = sum_q A_qi W_qj */
                k[u][i * n + q] += m->a[q][j]; /* (W A)_ij  = sum_q W_iq A_qj */
            }
            x[u] = -m->c[i] * m->c[j];
        }
    if (solve_dense(nn, k, x))
        return -1;
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < n; j++)
            w[i][j] = 0.5 * (x[i * n + j] + x[j * n + i]);
    return 0;
}

static double tail_energy(ss_model *m, double w[NS][NS], double t)
{
    double e[NS][NS], x[NS];
    expm(m->n, m->a, t, e);
    for (unsigned i = 0; i < m->n; i++) {
        x[i] = 0.0;
        for (unsigned j = 0; j < m->n; j++)
            x[i] += e[i][j] * m->b[j];
    }
    double s = 0.0;
    for (unsigned i = 0; i < m->n; i++)
        for (unsigned j = 0; j < m->n; j++)
            s += x[i] * w[i][j] * x[j];
    return s;
}

double ls_ctle_span_s(const ls_ctle_config *cfg)
{
    if (!cfg_valid(cfg))
        return NAN;
    if (cfg->form == LS_CTLE_PEAKING && cfg->peaking_db == 0.0)
        return 0.0;
    ss_model m;
    double w[NS][NS], w0;
    ss_build(cfg, &m, &w0);
    if (gramian(&m, w))
        return NAN; /* unreachable: the Kronecker sum of a stable A is non-singular */
    const double target = SPAN_TAIL * tail_energy(&m, w, 0.0);
    double lo = 0.0, hi = 1.0;
    for (int it = 0; it < 200 && tail_energy(&m, w, hi) > target; it++) {
        lo = hi;
        hi *= 2.0;
    }
    for (int it = 0; it < 200 && hi - lo > 1e-12 * hi; it++) {
        const double mid = 0.5 * (lo + hi);
        if (tail_energy(&m, w, mid) > target)
            lo = mid;
        else
            hi = mid;
    }
    return hi / w0;
}

/* ---- block adapter: self is an ls_alloc'd ctle_blk ---------------------------------------- */

typedef struct {
    ls_ctle_config cfg;
    double span_s;
} ctle_blk;

static ls_status blk_response(const void *self, const double *f_hz, double complex *h, size_t n)
{
    return ls_ctle_response(&((const ctle_blk *)self)->cfg, f_hz, h, n);
}

static double blk_span(const void *self)
{
    return ((const ctle_blk *)self)->span_s;
}

static double blk_pre(const void *self)
{
    (void)self;
    return 0.0;
}

static const ls_block_ops ctle_ops = {
    .name = "ctle",
    .kind = LS_KIND_LTI,
    .in = LS_T_F32,
    .out = LS_T_F32,
    .response = blk_response,
    .span_s = blk_span,
    .pre_s = blk_pre,
    .destroy = ls_free,
};

ls_status ls_ctle_into_block(const ls_ctle_config *cfg, ls_block *out)
{
    if (!out)
        return LS_EINVAL;
    out->ops = NULL;
    out->self = NULL;
    if (!cfg_valid(cfg))
        return LS_EINVAL;
    const double span = ls_ctle_span_s(cfg);
    if (!(span >= 0.0))
        return LS_EINTERNAL;
    ctle_blk *c = ls_alloc(sizeof *c);
    if (!c)
        return LS_ENOMEM;
    c->cfg = *cfg;
    c->span_s = span;
    out->ops = &ctle_ops;
    out->self = c;
    return LS_OK;
}

/*
 * The "cascade" LTI block: H(f) = S21(f) e^{+j 2 pi f tau_bulk} of a prepared cascade, bulk delay
 * removed. Its span is measured once, at create: the delay-removed S21 under a Gaussian window
 * (sigma fs/12 = 34 GHz; the window's own kernel, sigma 4.7 ps, stays inside pre_s) on a grid
 * sampled at 409.6 GHz with a period of max(40 ns, 2 span_max), inverse-FFT'd in double precision
 * (a small radix-2 FFT: create-time analysis only, FFTW stays confined to phy/core/fft.c), the
 * last eighth of the period taken as negative time; the span ends where 1e-10 of the energy is
 * left, within [50 ps, span_max]. Process-wide memos of the span and of responses on a repeated
 * grid return bit-identical values.
 * The full model statement (with the skin-effect tail that sets span_max) is in tline.c;
 * equations in docs/channels.md. Calls cascade.c.
 */
#include "lanesim/tline.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

#include "ls_internal.h"
#include "tline_internal.h"

#define SPAN_N 16384u   /* span analysis: smallest FFT size */
#define SPAN_FS 409.6e9 /* span analysis: sample rate (Hz); 16384 samples = 40 ns */
#define SPAN_TAIL 1e-10 /* energy fraction left after the span (contract: < 1e-9) */
#define SPAN_MIN_S 50e-12
#define PRE_S 20e-12

typedef struct {
    pcas p;
    double tau, span, pre;
} cblk;

/* In-place radix-2 complex FFT, x[k] <- sum_m x[m] e^{+2 pi i k m / n} (unnormalized inverse);
   tw[k] = e^{+2 pi i k / n} for k < n/2. */
static void fft_inverse(double complex *x, const double complex *tw, size_t n)
{
    for (size_t i = 1, j = 0; i < n; i++) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j |= bit;
        if (i < j) {
            double complex t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }
    for (size_t len = 2; len <= n; len <<= 1) {
        const size_t stride = n / len; /* w_len^k = w_n^(k stride), from the table */
        for (size_t i = 0; i < n; i += len)
            for (size_t k = 0; k < len / 2; k++) {
                double complex w = tw[k * stride];
                double complex u = x[i + k], v = x[i + k + len / 2] * w;
                x[i + k] = u + v;
                x[i + k + len / 2] = u - v;
            }
    }
}

/* Span (s) of the delay-removed response; negative on allocation failure. */
static double measure_span(const pcas *p, double tau)
{
    const double dt = 1.0 / SPAN_FS, fw = SPAN_FS / 12.0;
    size_t n = SPAN_N;
    while ((double)n * dt < 2.0 * p->span_max)
        n *= 2;
    const double df = SPAN_FS / (double)n;
    double complex *x = ls_alloc_n(n + n / 2, sizeof *x), *tw = x + n;
    if (!x)
        return -1.0;
    for (size_t k = 0; k < n / 2; k++)
        tw[k] = cexp(I * 2.0 * M_PI * (double)k / (double)n);
    for (size_t k = 0; k <= n / 2; k++) {
        const double f = (double)k * df, u = f / fw;
        double complex s21, s11;
        lsi_cas_eval(p, f, &s21, &s11);
        double complex h = s21 * cexp(I * 2.0 * M_PI * f * tau) * exp(-0.5 * u * u);
        if (k == 0 || k == n / 2)
            h = creal(h);
        x[k] = h;
        if (k > 0 && k < n / 2)
            x[n - k] = conj(h);
    }
    fft_inverse(x, tw, n);
    double etot = 0.0;
    for (size_t i = 0; i < n; i++)
        etot += creal(x[i]) * creal(x[i]);
    const size_t nend = n - n / 8; /* [nend, n): negative time */
    double tail = 0.0;
    size_t n0 = nend;
    while (n0 > 0) {
        double e = creal(x[n0 - 1]) * creal(x[n0 - 1]);
        if (tail + e > SPAN_TAIL * etot)
            break;
        tail += e;
        n0--;
    }
    ls_free(x);
    double span = (double)n0 * dt;
    return fmin(fmax(span, SPAN_MIN_S), p->span_max);
}

/* The span is a pure function of the prepared cascade, and the same channel is built many times
   over (the CTLE search, reach and sweeps change other blocks): a small process-wide memo keyed by
   the prepared cascade's bytes (segments are zero-filled before preparation, so equal cascades
   compare equal) saves the 8k-point span analysis. Deterministic: a hit returns what the analysis
   returns. */
#define SPAN_MEMO 32
static struct {
    pcas key[SPAN_MEMO];
    double span[SPAN_MEMO];
    unsigned n, next;
} span_memo;
static pthread_mutex_t span_lock = PTHREAD_MUTEX_INITIALIZER;

static int pcas_same(const pcas *a, const pcas *b)
{
    return a->n == b->n && a->z1 == b->z1 && a->z2 == b->z2 && a->span_max == b->span_max &&
           !memcmp(a->s, b->s, a->n * sizeof a->s[0]);
}

static double span_cached(const pcas *p, double tau)
{
    pthread_mutex_lock(&span_lock);
    for (unsigned i = 0; i < span_memo.n; i++)
        if (pcas_same(&span_memo.key[i], p)) {
            double s = span_memo.span[i];
            pthread_mutex_unlock(&span_lock);
            return s;
        }
    pthread_mutex_unlock(&span_lock);
    double s = measure_span(p, tau);
    if (s < 0.0)
        return s;
    pthread_mutex_lock(&span_lock);
    unsigned i = span_memo.next;
    span_memo.key[i] = *p;
    span_memo.span[i] = s;
    span_memo.next = (i + 1) % SPAN_MEMO;
    if (span_memo.n < SPAN_MEMO)
        span_memo.n++;
    pthread_mutex_unlock(&span_lock);
    return s;
}

/* The fused-filter design evaluates the cascade on the same frequency grid again and again (the
   CTLE g_DC search builds one link per candidate with the same channel): a small memo of the last
   responses, keyed by the prepared cascade and the exact grid, returns the stored values. Pure
   function memo: a hit gives bit-identical values, so results do not depend on it. */
#define RESP_MEMO 8
typedef struct {
    pcas key;
    size_t n;
    double *f;         /* [n] grid (Hz) */
    double complex *h; /* [n] response */
} resp_entry;
static resp_entry resp_memo[RESP_MEMO];
static unsigned resp_next;
static pthread_mutex_t resp_lock = PTHREAD_MUTEX_INITIALIZER;

static int resp_lookup(const cblk *b, const double *f, double complex *h, size_t n)
{
    int hit = 0;
    pthread_mutex_lock(&resp_lock);
    for (unsigned i = 0; i < RESP_MEMO && !hit; i++) {
        const resp_entry *e = &resp_memo[i];
        if (e->n == n && e->f && pcas_same(&e->key, &b->p) && !memcmp(e->f, f, n * sizeof *f)) {
            memcpy(h, e->h, n * sizeof *h);
            hit = 1;
        }
    }
    pthread_mutex_unlock(&resp_lock);
    return hit;
}

static void resp_store(const cblk *b, const double *f, const double complex *h, size_t n)
{
    double *fc = ls_alloc_n(n, sizeof *fc);
    double complex *hc = ls_alloc_n(n, sizeof *hc);
    if (!fc || !hc) { /* the memo is an optimisation: on failure, just do not store */
        ls_free(fc);
        ls_free(hc);
        return;
    }
    memcpy(fc, f, n * sizeof *f);
    memcpy(hc, h, n * sizeof *h);
    pthread_mutex_lock(&resp_lock);
    resp_entry *e = &resp_memo[resp_next];
    resp_next = (resp_next + 1) % RESP_MEMO;
    ls_free(e->f);
    ls_free(e->h);
    e->key = b->p;
    e->n = n;
    e->f = fc;
    e->h = hc;
    pthread_mutex_unlock(&resp_lock);
}

static ls_status blk_response(const void *self, const double *f_hz, double complex *h, size_t n)
{
    const cblk *b = self;
    if (!b || (n && (!f_hz || !h)))
        return LS_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(f_hz[i]))
            return LS_EINVAL;
    const int memo = n >= 256; /* small grids are cheaper to evaluate than to compare */
    if (memo && resp_lookup(b, f_hz, h, n))
        return LS_OK;
    for (size_t i = 0; i < n; i++) {
        const double f = fabs(f_hz[i]);
        double complex s21, s11;
        lsi_cas_eval(&b->p, f, &s21, &s11);
        double complex v = s21 * cexp(I * 2.0 * M_PI * f * b->tau);
        h[i] = f_hz[i] < 0.0 ? conj(v) : v;
    }
    if (memo)
        resp_store(b, f_hz, h, n);
    return LS_OK;
}

static double blk_span(const void *self)
{
    return ((const cblk *)self)->span;
}

static double blk_pre(const void *self)
{
    return ((const cblk *)self)->pre;
}

static const ls_block_ops cascade_ops = {
    .name = "cascade",
    .kind = LS_KIND_LTI,
    .in = LS_T_F32,
    .out = LS_T_F32,
    .response = blk_response,
    .span_s = blk_span,
    .pre_s = blk_pre,
    .destroy = ls_free,
};

ls_status ls_cascade_into_block(const ls_cascade_config *cfg, ls_block *out)
{
    if (!out)
        return LS_EINVAL;
    out->ops = NULL;
    out->self = NULL;
    pcas p;
    if (lsi_cas_prep(cfg, &p))
        return LS_EINVAL;
    cblk *b = ls_alloc(sizeof *b);
    if (!b)
        return LS_ENOMEM;
    b->p = p;
    b->tau = lsi_pcas_delay(&p);
    b->pre = PRE_S;
    b->span = span_cached(&p, b->tau);
    if (b->span < 0.0) {
        ls_free(b);
        return LS_ENOMEM;
    }
    out->ops = &cascade_ops;
    out->self = b;
    return LS_OK;
}

double ls_cascade_delay_s(const ls_block *b)
{
    if (!b || b->ops != &cascade_ops || !b->self)
        return NAN;
    return ((const cblk *)b->self)->tau;
}

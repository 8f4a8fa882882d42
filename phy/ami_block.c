/*
 * An IBIS-AMI model as a block of the link's chain (docs/ibis-ami.md).
 *  - Init-only flow: an LTI block whose H(f) is the model's equalization G(f), fitted from AMI_Init's
 *    impulse in and out (phy/ami_fit.c); the link fuses it with its LTI neighbours.
 *  - GetWave flow: a stateful block; process streams the waveform through AMI_GetWave chunk by chunk
 *    and collects the clock times; its small-signal model (pulse response, noise, statistical
 *    analysis) is G(f). A model that returns no impulse is probed once after Init: AMI_GetWave on a
 *    unit sample gives its taps. reset (every frame) runs AMI_Close and AMI_Init again, so a frame's
 *    output depends only on the frame (determinism across threads), adaptation starting afresh.
 * AMI_Init is deferred to ls_ami_block_init: the preset calls it with the chain's impulse response.
 */
#include <complex.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ami_internal.h"
#include "ls_internal.h"

#define PIN_CAP 16384

typedef struct {
    ls_ami_model *m;
    ls_ami_params *p;
    ls_ami_flow flow;
    char label[LS_AMI_PATH_LEN + LS_AMI_NAME_LEN];
    char pin[PIN_CAP];
    double fs, baud;
    double *h_in, *scratch; /* the Init impulse matrix (kept for reset) and a copy the model may overwrite */
    size_t n_in, n_agg;     /* rows; aggressor columns after the victim's */
    double *agg_out;        /* [n_agg n_in]: what AMI_Init returned for the aggressors */
    double *g;              /* the model's equalization taps, tap i at time (i - g_pre) / fs */
    size_t ng, g_pre;
    double *buf, *clk;
    size_t max_chunk;
    double *inst;           /* the last process call's sampling instants (samples since reset) */
    size_t n_inst;
    uint64_t n_clock, n_diff;
    double sum_d, sum_dd, sum_diff, t_prev, t_first;
    uint64_t k_frame;
    int inited, returns_impulse;
} ami_blk;

/* The first error a model gave while running (process has only a status to return). */
static pthread_mutex_t err_lock = PTHREAD_MUTEX_INITIALIZER;
static char run_err[1024];

static void keep_error(const char *m)
{
    pthread_mutex_lock(&err_lock);
    if (!run_err[0])
        lsi_say(run_err, sizeof run_err, "%s", m);
    pthread_mutex_unlock(&err_lock);
}

size_t ls_ami_last_error(char *buf, size_t cap, int clear)
{
    pthread_mutex_lock(&err_lock);
    size_t n = strlen(run_err);
    if (buf && cap)
        snprintf(buf, cap, "%s", run_err);
    if (clear)
        run_err[0] = '\0';
    pthread_mutex_unlock(&err_lock);
    return n;
}

void ls_ami_block_config_init(ls_ami_block_config *cfg)
{
    if (cfg)
        *cfg = (ls_ami_block_config){ .flow = LS_AMI_FLOW_AUTO, .baud = 53.125e9, .sps = 32, .max_chunk = 65536 };
}

static void blk_destroy(void *self)
{
    ami_blk *q = self;
    if (!q)
        return;
    ls_ami_model_close(q->m);
    ls_ami_params_destroy(q->p);
    ls_free(q->h_in);
    ls_free(q->scratch);
    ls_free(q->agg_out);
    ls_free(q->g);
    ls_free(q->buf);
    ls_free(q->clk);
    ls_free(q->inst);
    free(q);
}

/* N when f_hz[0..n) is the grid k fs / N, one-sided (n = N/2 + 1) or two-sided (n = N, negative
   frequencies in the upper half), N a power of two; 0 otherwise. */
static size_t uniform_grid(const double *f, size_t n, double fs)
{
    size_t N = n >= 3 && f[n - 1] > 0 ? 2 * (n - 1) : n;
    if (n < 2 || (N & (N - 1)))
        return 0;
    for (size_t k = 0; k < n; k++) {
        double want = (k <= N / 2 ? (double)k : (double)k - (double)N) * fs / (double)N;
        if (fabs(f[k] - want) > 1e-9 * fs / (double)N)
            return 0;
    }
    return N;
}

/* H(f) = sum_i g[i] exp(-j 2 pi f (i - g_pre) / fs): by one FFT of the taps folded modulo N on a
   uniform grid of N points (sampling the DTFT exactly), else directly by a rotating phasor. */
static ls_status blk_response(const void *self, const double *f_hz, double complex *h, size_t n)
{
    const ami_blk *q = self;
    if (!q->inited)
        return LS_ESTATE;
    size_t N = uniform_grid(f_hz, n, q->fs);
    if (N) {
        double complex *a = calloc(N, sizeof *a);
        if (!a)
            return LS_ENOMEM;
        for (size_t i = 0; i < q->ng; i++) {
            long long t = (long long)i - (long long)q->g_pre;
            a[(size_t)(((t % (long long)N) + (long long)N) % (long long)N)] += q->g[i];
        }
        lsi_ami_fft(a, N, 0);
        memcpy(h, a, n * sizeof *h);
        free(a);
        return LS_OK;
    }
    for (size_t k = 0; k < n; k++) {
        double w = -2 * M_PI * f_hz[k] / q->fs;
        double complex r = cexp(I * w), z = cexp(-I * w * (double)q->g_pre), acc = 0;
        for (size_t i = 0; i < q->ng; i++, z *= r)
            acc += q->g[i] * z;
        h[k] = acc;
    }
    return LS_OK;
}

static double blk_span(const void *self)
{
    const ami_blk *q = self;
    return q->inited ? (double)(q->ng - q->g_pre) / q->fs : 0.0;
}

static double blk_pre(const void *self)
{
    const ami_blk *q = self;
    return q->inited ? (double)q->g_pre / q->fs : 0.0;
}

static void clock_stats(ami_blk *q, const double *clk, size_t nc)
{
    const double T = 1.0 / q->baud;
    for (size_t i = 0; i < nc; i++, q->k_frame++, q->n_clock++) {
        if (!q->k_frame)
            q->t_first = clk[i];
        else {
            q->sum_diff += clk[i] - q->t_prev;
            q->n_diff++;
        }
        double d = clk[i] - q->t_first - (double)q->k_frame * T;
        q->sum_d += d;
        q->sum_dd += d * d;
        q->t_prev = clk[i];
    }
}

/* The clock times as sampling instants (IBIS 7.x, AMI_GetWave's clock_times: times from the start of
   the simulation, each half a symbol time before the data is sampled): (t + T/2) fs samples. */
static void keep_instants(ami_blk *q, const double *clk, size_t nc)
{
    const double half = 0.5 / q->baud;
    for (size_t i = 0; i < nc && q->n_inst < q->max_chunk + 1; i++)
        if (clk[i] >= 0)
            q->inst[q->n_inst++] = (clk[i] + half) * q->fs;
}

static void blk_clock_times(const void *self, const double **t, size_t *n)
{
    const ami_blk *q = self;
    *t = q->inst;
    *n = q->n_inst;
}

static ls_status blk_process(void *self, const void *x, void *y, size_t n)
{
    ami_blk *q = self;
    const float *in = x;
    float *out = y;
    if (!q->inited)
        return LS_ESTATE;
    q->n_inst = 0;
    for (size_t off = 0; off < n; off += q->max_chunk) {
        size_t c = n - off < q->max_chunk ? n - off : q->max_chunk, nc = 0;
        for (size_t i = 0; i < c; i++)
            q->buf[i] = in[off + i];
        char m[1400];
        ls_status st = ls_ami_model_getwave(q->m, q->buf, c, q->clk, &nc, m, sizeof m);
        if (st != LS_OK) {
            keep_error(m);
            return st;
        }
        clock_stats(q, q->clk, nc);
        keep_instants(q, q->clk, nc);
        for (size_t i = 0; i < c; i++)
            out[off + i] = (float)q->buf[i];
    }
    return LS_OK;
}

/* AMI_Init on a copy of the kept impulse matrix (the model may overwrite it). */
static ls_status run_init(ami_blk *q, char *msg, size_t cap)
{
    const size_t nm = q->n_in * (1 + q->n_agg);
    memcpy(q->scratch, q->h_in, nm * sizeof *q->scratch);
    ls_status st = ls_ami_model_init(q->m, q->scratch, q->n_in, q->n_agg, 1.0 / q->fs, 1.0 / q->baud, q->pin, msg, cap);
    for (size_t i = q->n_in; st == LS_OK && i < nm; i++)
        if (!isfinite(q->scratch[i])) {
            lsi_say(msg, cap, "%s: AMI_Init returned a non-finite impulse response for aggressor %zu (sample %zu)",
                q->label, i / q->n_in, i % q->n_in);
            st = LS_EINVAL;
        }
    return st;
}

static ls_status blk_reset(void *self)
{
    ami_blk *q = self;
    if (!q->inited)
        return LS_ESTATE;
    char m[1400];
    q->k_frame = 0;
    q->n_inst = 0;
    ls_status st = run_init(q, m, sizeof m);
    if (st != LS_OK)
        keep_error(m);
    return st;
}

static ls_status blk_linearize(const void *self, double complex x0, double complex *y0, double complex *a,
                               double complex *b)
{
    const ami_blk *q = self;
    double dc = 0;
    for (size_t i = 0; q->inited && i < q->ng; i++)
        dc += q->g[i];
    *y0 = dc * x0;
    *a = dc;
    *b = 0;
    return LS_OK;
}

static ls_status blk_small_signal(const void *self, double x0, const double *f_hz, double complex *a_f, size_t n)
{
    (void)x0;
    return blk_response(self, f_hz, a_f, n);
}

static const ls_block_ops ami_lti_ops = { .name = "ami", .kind = LS_KIND_LTI, .in = LS_T_F32, .out = LS_T_F32,
                                          .response = blk_response, .span_s = blk_span, .pre_s = blk_pre,
                                          .destroy = blk_destroy };
static const ls_block_ops ami_getwave_ops = { .name = "ami", .kind = LS_KIND_STATEFUL, .in = LS_T_F32,
                                              .out = LS_T_F32, .process = blk_process, .reset = blk_reset,
                                              .linearize = blk_linearize, .destroy = blk_destroy,
                                              .small_signal = blk_small_signal,
                                              .clock_times = blk_clock_times };

int ls_ami_block_is(const ls_block *b)
{
    return b && (b->ops == &ami_lti_ops || b->ops == &ami_getwave_ops);
}

/* "FILE.ibs:MODEL" into the file and the model ("" when not given). */
static void split_spec(const char *spec, char *file, size_t fcap, char *model, size_t mcap)
{
    const char *c = strrchr(spec, ':');
    if (c && !strchr(c, '/') && c > spec) {
        snprintf(file, fcap, "%.*s", (int)(c - spec), spec);
        snprintf(model, mcap, "%s", c + 1);
    } else {
        snprintf(file, fcap, "%s", spec);
        model[0] = '\0';
    }
}

/* "name=value;name=value" applied to the parameters. */
static ls_status apply_overrides(ls_ami_params *p, const char *ov, char *msg, size_t cap)
{
    while (ov && *ov) {
        const char *e = strchr(ov, ';');
        size_t l = e ? (size_t)(e - ov) : strlen(ov);
        char item[LS_AMI_NAME_LEN + LS_AMI_VALUE_LEN], *eq;
        snprintf(item, sizeof item, "%.*s", (int)(l < sizeof item ? l : sizeof item - 1), ov);
        if (item[0]) {
            if (!(eq = strchr(item, '='))) {
                lsi_say(msg, cap, "AMI override '%s' is not NAME=VALUE", item);
                return LS_EINVAL;
            }
            *eq = '\0';
            ls_status st = ls_ami_params_set(p, item, eq + 1, msg, cap);
            if (st != LS_OK)
                return st;
        }
        ov = e ? e + 1 : NULL;
    }
    return LS_OK;
}

/* The flow from the request and the reserved parameters. */
static ls_status pick_flow(ami_blk *q, ls_ami_flow want, char *msg, size_t cap)
{
    int gw = ls_ami_params_flag(q->p, "GetWave_Exists", 0);
    q->returns_impulse = ls_ami_params_flag(q->p, "Init_Returns_Impulse", 0);
    q->flow = want == LS_AMI_FLOW_AUTO ? (gw ? LS_AMI_FLOW_GETWAVE : LS_AMI_FLOW_INIT) : want;
    if (q->flow == LS_AMI_FLOW_GETWAVE && !gw) {
        lsi_say(msg, cap, "%s: GetWave flow asked, but the model has no GetWave (GetWave_Exists is not True)", q->label);
        return LS_EINVAL;
    }
    if (q->flow == LS_AMI_FLOW_INIT && !q->returns_impulse) {
        lsi_say(msg, cap, "%s: Init-only flow needs Init_Returns_Impulse True%s", q->label,
            gw ? " (use the GetWave flow)" : ", and the model has no GetWave either");
        return LS_EINVAL;
    }
    return LS_OK;
}

ls_status ls_ami_block_create(const ls_ami_block_config *cfg, ls_block *out, char *msg, size_t cap)
{
    if (out)
        *out = (ls_block){ 0 };
    if (!cfg || !out || !cfg->ibs || !(cfg->baud > 0) || !cfg->sps || !cfg->max_chunk) {
        lsi_say(msg, cap, "AMI block: invalid configuration");
        return LS_EINVAL;
    }
    ami_blk *q = calloc(1, sizeof *q);
    if (!q)
        return LS_ENOMEM;
    char file[LS_AMI_PATH_LEN], model[LS_AMI_NAME_LEN];
    split_spec(cfg->ibs, file, sizeof file, model, sizeof model);
    ls_ami_ibs_entry e;
    ls_status st = ls_ami_ibs_find(file, model, &e, msg, cap);
    if (st != LS_OK)
        goto fail;
    lsi_say(q->label, sizeof q->label, "%s:%s (%s)", file, e.model, e.library);
    if (!(q->p = ls_ami_params_load(e.ami, msg, cap, &st)) || (st = apply_overrides(q->p, cfg->overrides, msg, cap)) ||
        (st = pick_flow(q, cfg->flow, msg, cap)))
        goto fail;
    if (ls_ami_params_input_string(q->p, q->pin, sizeof q->pin) != LS_OK) {
        lsi_say(msg, cap, "%s: the input parameter string exceeds %d characters", e.ami, PIN_CAP);
        st = LS_EINVAL;
        goto fail;
    }
    if (!(q->m = ls_ami_model_open(e.library, q->label, cfg->isolate, msg, cap, &st)))
        goto fail;
    if (q->flow == LS_AMI_FLOW_GETWAVE && !lsi_ami_model_has_getwave(q->m)) {
        lsi_say(msg, cap, "%s: GetWave_Exists is True but the library lacks AMI_GetWave", q->label);
        st = LS_EINVAL;
        goto fail;
    }
    q->baud = cfg->baud;
    q->fs = cfg->baud * cfg->sps;
    q->max_chunk = cfg->max_chunk;
    if (q->flow == LS_AMI_FLOW_GETWAVE &&
        (!(q->buf = ls_alloc_n(q->max_chunk, sizeof *q->buf)) || !(q->clk = ls_alloc_n(q->max_chunk + 1, sizeof *q->clk)) ||
         !(q->inst = ls_alloc_n(q->max_chunk + 1, sizeof *q->inst)))) {
        st = LS_ENOMEM;
        goto fail;
    }
    out->ops = q->flow == LS_AMI_FLOW_GETWAVE ? &ami_getwave_ops : &ami_lti_ops;
    out->self = q;
    return LS_OK;
fail:
    blk_destroy(q);
    return st;
}

/* A model that returns no impulse: AMI_GetWave on a unit sample gives its taps; then Init again. */
static ls_status probe(ami_blk *q, char *msg, size_t cap)
{
    double *x = ls_alloc_n(q->n_in, sizeof *x), *c = ls_alloc_n(q->n_in + 1, sizeof *c);
    ls_status st = x && c ? LS_OK : LS_ENOMEM;
    size_t nc;
    if (st == LS_OK) {
        x[0] = 1.0;
        st = ls_ami_model_getwave(q->m, x, q->n_in, c, &nc, msg, cap);
    }
    if (st == LS_OK) {
        ls_free(q->g);
        q->g = x;
        q->ng = q->n_in;
        q->g_pre = 0;
        x = NULL;
        st = run_init(q, msg, cap);
    }
    ls_free(x);
    ls_free(c);
    return st;
}

size_t ls_ami_block_max_aggressors(const ls_block *b)
{
    if (!ls_ami_block_is(b))
        return 0;
    const ami_blk *q = b->self;
    double m = ls_ami_params_number(q->p, "Max_Init_Aggressors", 0);
    return q->returns_impulse && m >= 1 ? (size_t)LS_MIN(m, 1e6) : 0;
}

const double *ls_ami_block_aggressor(const ls_block *b, size_t k, size_t *rows)
{
    if (!ls_ami_block_is(b) || !rows)
        return NULL;
    const ami_blk *q = b->self;
    if (!q->inited || k >= q->n_agg)
        return NULL;
    *rows = q->n_in;
    return q->agg_out + k * q->n_in;
}

ls_status ls_ami_block_init(ls_block *b, const double *h, size_t n, char *msg, size_t cap)
{
    return ls_ami_block_init_matrix(b, h, n, 0, msg, cap);
}

ls_status ls_ami_block_init_matrix(ls_block *b, const double *h, size_t n, size_t aggressors, char *msg, size_t cap)
{
    if (!ls_ami_block_is(b) || !h || n < 2 || aggressors > ls_ami_block_max_aggressors(b))
        return LS_EINVAL;
    ami_blk *q = b->self;
    ls_free(q->h_in);
    ls_free(q->scratch);
    ls_free(q->agg_out);
    q->agg_out = NULL;
    q->inited = 0;
    q->n_in = n;
    q->n_agg = aggressors;
    const size_t nm = n * (1 + aggressors);
    if (!(q->h_in = ls_alloc_n(nm, sizeof *q->h_in)) || !(q->scratch = ls_alloc_n(nm, sizeof *q->scratch)) ||
        (aggressors && !(q->agg_out = ls_alloc_n(nm - n, sizeof *q->agg_out))))
        return LS_ENOMEM;
    memcpy(q->h_in, h, nm * sizeof *h);
    ls_status st = run_init(q, msg, cap);
    if (st != LS_OK)
        return st;
    if (aggressors)
        memcpy(q->agg_out, q->scratch + n, (nm - n) * sizeof *q->agg_out);
    if (q->returns_impulse)
        st = lsi_ami_fit(q->h_in, q->scratch, n, &q->g, &q->ng, &q->g_pre);
    else
        st = probe(q, msg, cap);
    q->inited = st == LS_OK;
    return st;
}

ls_status lsi_ami_block_taps(const ls_block *b, const double **g, size_t *ng, size_t *g_pre)
{
    if (!ls_ami_block_is(b))
        return LS_EINVAL;
    const ami_blk *q = b->self;
    if (!q->inited)
        return LS_ESTATE;
    *g = q->g;
    *ng = q->ng;
    *g_pre = q->g_pre;
    return LS_OK;
}

const ls_ami_params *ls_ami_block_params(const ls_block *b)
{
    return ls_ami_block_is(b) ? ((const ami_blk *)b->self)->p : NULL;
}

ls_status ls_ami_block_get_info(const ls_block *b, ls_ami_block_info *info)
{
    if (!ls_ami_block_is(b) || !info)
        return LS_EINVAL;
    const ami_blk *q = b->self;
    memset(info, 0, sizeof *info);
    info->flow = q->flow;
    snprintf(info->model, sizeof info->model, "%s", ls_ami_params_root(q->p));
    lsi_say(info->params_in, sizeof info->params_in, "%s", q->pin);
    lsi_say(info->params_out, sizeof info->params_out, "%s", ls_ami_model_params_out(q->m));
    info->ignore_bits = ls_ami_params_number(q->p, "Ignore_Bits", 0);
    info->clock_count = q->n_clock;
    info->clock_period_s = q->n_diff ? q->sum_diff / (double)q->n_diff : 0;
    if (q->n_clock > 1) {
        double m = q->sum_d / (double)q->n_clock;
        info->clock_jitter_s = sqrt(fmax(0, q->sum_dd / (double)q->n_clock - m * m));
    }
    return LS_OK;
}

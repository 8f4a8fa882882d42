/* Additive white Gaussian noise block: y = x + sigma N(0,1), ziggurat normals (rng.h); or, with a stride d
   set by the link (noise_internal.h), y = x + sqrt(d) sigma N(0,1) on every d-th sample since the reset. */
#include <math.h>

#include "lanesim/noise.h"
#include "lanesim/rng.h"
#include "ls_internal.h"
#include "noise_internal.h"

typedef struct {
    ls_awgn_config cfg;
    ls_rng rng;
    uint64_t seed, frame;
    int quiet;
    unsigned stride; /* noise on every stride-th sample */
    size_t phase;    /* samples since the reset, mod stride */
} awgn;

static ls_status awgn_process(void *self, const void *x, void *y, size_t n)
{
    awgn *q = self;
    const float *xi = x;
    float *yo = y;
    if (xi != yo)
        for (size_t i = 0; i < n; i++)
            yo[i] = xi[i];
    if (q->cfg.sigma > 0 && !q->quiet)
        lsi_rng_gauss_add_strided(&q->rng, yo, n, q->stride, (q->stride - q->phase) % q->stride, q->cfg.sigma);
    q->phase = (q->phase + n % q->stride) % q->stride;
    return LS_OK;
}

static void awgn_reseed(void *self, uint64_t seed, uint64_t frame)
{
    awgn *q = self;
    q->seed = seed;
    q->frame = frame;
    ls_rng_seed(&q->rng, seed, q->cfg.stream, frame);
    q->phase = 0;
}

static ls_status awgn_reset(void *self)
{
    awgn *q = self;
    awgn_reseed(q, q->seed, q->frame);
    return LS_OK;
}

static double awgn_noise_var(const void *self)
{
    const awgn *q = self;
    return q->cfg.sigma * q->cfg.sigma;
}

static void awgn_set_quiet(void *self, int quiet)
{
    ((awgn *)self)->quiet = quiet;
}

static const ls_block_ops awgn_ops = {
    .name = "awgn", .kind = LS_KIND_STATEFUL, .in = LS_T_F32, .out = LS_T_F32,
    .process = awgn_process, .reset = awgn_reset, .reseed = awgn_reseed, .noise_var = awgn_noise_var,
    .destroy = ls_free, .set_quiet = awgn_set_quiet,
};

ls_status ls_awgn_into_block(const ls_awgn_config *cfg, ls_block *out)
{
    if (out)
        *out = (ls_block){ 0 };
    if (!cfg || !out || !isfinite(cfg->sigma) || cfg->sigma < 0)
        return LS_EINVAL;
    awgn *q = ls_alloc(sizeof *q);
    if (!q)
        return LS_ENOMEM;
    q->cfg = *cfg;
    q->stride = 1;
    awgn_reseed(q, 0, 0);
    out->ops = &awgn_ops;
    out->self = q;
    return LS_OK;
}

ls_status lsi_awgn_set_stride(ls_block *b, unsigned d)
{
    if (!b || b->ops != &awgn_ops || !d)
        return LS_EINVAL;
    awgn *q = b->self;
    q->stride = d;
    q->phase = 0;
    return LS_OK;
}

/*
 * The S-parameter channel as an LTI block ("touchstone"): H(f) = SDD21(f) exp(+j 2 pi f tau).
 *
 * Tables: at each file frequency f_k, the gain g_k = 20 log10 |SDD21| (dB) and the residual phase
 * phi_k = arg(SDD21 e^{j 2 pi f_k tau}), unwrapped along k. The bulk delay tau is found in two
 * steps: (1) tau0 = minus the slope of a least-squares line through the unwrapped raw phase
 * over 0..min(5 GHz, fmax) (unwrapped by summing arg(H_k / H_{k-1}), exact while the file step
 * times the delay stays under half a cycle); (2) the peak of the impulse response of the
 * residual, windowed by a Hann window over 0..fmax (w(f) = (1 + cos(pi f / fmax)) / 2), refined by
 * a parabola through the three samples at the peak: tau = tau0 + t_peak. On the shared 802.3ck,
 * TE and LeCroy files this matches the peak of the Hann-windowed impulse response of the raw data
 * (within one IFFT sample).
 *
 * response(f), |f| = a:
 *  - f_0 < a < fmax: g and phi linear in a between the neighbouring file points;
 *  - a <= f_0 (files that do not start at 0 Hz): g = g_0, phi linear from phi_DC = pi
 *    round(phi_0 / pi) at 0 Hz to phi_0 (a real DC value); a file point at 0 Hz is made real the
 *    same way;
 *  - a >= fmax: g = g_K + s_g (a - fmax) - 100 ((a - fmax) / fmax)^2 dB and
 *    phi = phi_K + s_phi (a - fmax), where s_g (clamped to <= 0) and s_phi are least-squares
 *    slopes over the top 5 % of the band (at least 3 points): the loss slope and the residual
 *    group delay continue, times a Gaussian taper in amplitude that is 100 dB down at 2 fmax.
 *    Matching the slopes at fmax keeps g and phi continuously differentiable there, so the
 *    impulse response does not ring for long around t = 0. Below -400 dB the response is 0;
 *  - H(-a) = conj H(a).
 *
 * Impulse response (span, pre, causality): the response is sampled on the grid j df, df = min(the
 * smallest file step, 15.625 MHz) (period 1/df >= 64 ns), up to N/2 df >= 2 fmax with N a power
 * of two, and inverse-FFT'd (real, N points, no further window: the Gaussian taper already
 * removes the truncation at fmax). With E the total energy, span_s is the smallest t > 0 with
 * less than 1e-9 E after it (within the positive half period), capped at 20 ns; pre_s the same
 * before t = 0 (negative half period), between 20 ps and 2 ns.
 *
 * Causality check: on the Hann-windowed impulse response h_w (peak at t = 0 after delay removal),
 * the first arrival t_a is the last time before the peak where |h_w| is below 10 % of the peak
 * |h_w|; the energy of h_w in the negative half period before t_a - 3 / fmax (three widths of the
 * window's own kernel) is compared with the total: more than 1e-3 gives a warning.
 *
 * This file holds the block (its ops, ls_sparam_from_touchstone, ls_sparam_into_block with its one-entry
 * cache of the last prepared file, and the queries); sparam_build.c prepares the tables and the figures above from the Touchstone network
 * and evaluates the tables. Calls go one way: sparam.c -> sparam_build.c (sparam_internal.h).
 */
#include "lanesim/touchstone.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ls_internal.h"
#include "sparam_internal.h"

static const ls_block_ops sparam_ops;

static void sp_destroy(void *self)
{
    sparam *q = self;
    if (!q)
        return;
    ls_free(q->f);
    ls_free(q->g);
    ls_free(q->ph);
    for (size_t i = 0; i < q->n_warn; i++)
        free(q->warn[i]);
    ls_free(q);
}

static ls_status sp_response(const void *self, const double *f_hz, double complex *h, size_t n)
{
    const sparam *q = self;
    if (!q || (n && (!f_hz || !h)))
        return LS_EINVAL;
    for (size_t i = 0; i < n; i++) {
        double a = fabs(f_hz[i]), g, ph;
        if (!isfinite(a))
            return LS_EINVAL;
        lsi_sparam_eval(q, a, &g, &ph);
        if (g < SP_FLOOR_DB) {
            h[i] = 0;
            continue;
        }
        double m = pow(10.0, g / 20.0);
        h[i] = m * cos(ph) + I * (f_hz[i] < 0 ? -m * sin(ph) : m * sin(ph));
    }
    return LS_OK;
}

static double sp_span(const void *self)
{
    return ((const sparam *)self)->span;
}

static double sp_pre(const void *self)
{
    return ((const sparam *)self)->pre;
}

static const ls_block_ops sparam_ops = {
    .name = "touchstone",
    .kind = LS_KIND_LTI,
    .in = LS_T_F32,
    .out = LS_T_F32,
    .response = sp_response,
    .span_s = sp_span,
    .pre_s = sp_pre,
    .destroy = sp_destroy,
};

ls_status ls_sparam_from_touchstone(const ls_touchstone *t, const ls_port_map *m, double fs_hint_hz,
                                    ls_block *out, char *msg, size_t cap)
{
    if (!out)
        return LS_EINVAL;
    out->ops = NULL;
    out->self = NULL;
    if (!t || !isfinite(fs_hint_hz) || fs_hint_hz < 0) {
        lsi_say(msg, cap, "invalid arguments");
        return LS_EINVAL;
    }
    ls_port_map map;
    if (m) {
        map = *m;
    } else if (ls_touchstone_detect_map(t, &map) != LS_OK) {
        lsi_say(msg, cap, "%s: a %u-port file has no through path", ls_touchstone_path(t),
            ls_touchstone_ports(t));
        return LS_EINVAL;
    }
    if (ls_touchstone_check_map(t, &map) != LS_OK) {
        lsi_say(msg, cap, "%s: invalid port map for a %u-port file", ls_touchstone_path(t),
            ls_touchstone_ports(t));
        return LS_EINVAL;
    }
    sparam *q = ls_alloc(sizeof *q);
    if (!q) {
        lsi_say(msg, cap, "out of memory");
        return LS_ENOMEM;
    }
    q->map = map;
    ls_status st = lsi_sparam_build(q, t, fs_hint_hz, msg, cap);
    if (st != LS_OK) {
        sp_destroy(q);
        return st;
    }
    out->ops = &sparam_ops;
    out->self = q;
    return LS_OK;
}

/* The last prepared channel, so that building a link again from the same file (the CTLE search builds ~9
   candidate links: sim/link_config.c) reads, checks and prepares the file once: the key is the path, the
   file's identity and modification (device, inode, size, mtime in ns), the port map and fs_hint_hz; a hit
   copies the prepared tables. A file changed on disk changes the key. One entry, under a mutex. */
typedef struct {
    char *path;
    struct stat id;
    ls_port_map map;
    int auto_map;
    double fs;
    sparam *q;
} sp_cache;
static sp_cache cache;
static pthread_mutex_t cache_mutex = PTHREAD_MUTEX_INITIALIZER;

static sparam *sp_copy(const sparam *a)
{
    sparam *q = ls_alloc(sizeof *q);
    if (!q)
        return NULL;
    *q = *a;
    q->f = ls_alloc_n(a->k, sizeof *q->f);
    q->g = ls_alloc_n(a->k, sizeof *q->g);
    q->ph = ls_alloc_n(a->k, sizeof *q->ph);
    for (size_t i = 0; i < a->n_warn; i++)
        q->warn[i] = NULL;
    int ok = q->f && q->g && q->ph;
    for (size_t i = 0; ok && i < a->n_warn; i++)
        ok = (q->warn[i] = strdup(a->warn[i])) != NULL;
    if (!ok) {
        sp_destroy(q);
        return NULL;
    }
    memcpy(q->f, a->f, a->k * sizeof *q->f);
    memcpy(q->g, a->g, a->k * sizeof *q->g);
    memcpy(q->ph, a->ph, a->k * sizeof *q->ph);
    return q;
}

static int cache_key(const ls_sparam_config *cfg, const struct stat *id)
{
    const struct stat *c = &cache.id;
    return cache.q && !strcmp(cache.path, cfg->path) && c->st_dev == id->st_dev && c->st_ino == id->st_ino &&
           c->st_size == id->st_size && c->st_mtim.tv_sec == id->st_mtim.tv_sec &&
           c->st_mtim.tv_nsec == id->st_mtim.tv_nsec && cache.auto_map == !!cfg->auto_map &&
           (cfg->auto_map || !memcmp(&cache.map, &cfg->map, sizeof cache.map)) && cache.fs == cfg->fs_hint_hz;
}

/* A copy of the cached channel for cfg into *out: 1, or 0 when there is none (or no memory for the copy). */
static int cache_get(const ls_sparam_config *cfg, const struct stat *id, ls_block *out)
{
    pthread_mutex_lock(&cache_mutex);
    sparam *q = cache_key(cfg, id) ? sp_copy(cache.q) : NULL;
    pthread_mutex_unlock(&cache_mutex);
    if (!q)
        return 0;
    out->ops = &sparam_ops;
    out->self = q;
    return 1;
}

static void cache_put(const ls_sparam_config *cfg, const struct stat *id, const sparam *q)
{
    sparam *c = sp_copy(q);
    char *path = strdup(cfg->path);
    if (!c || !path) {
        sp_destroy(c);
        free(path);
        return;
    }
    pthread_mutex_lock(&cache_mutex);
    sp_destroy(cache.q);
    free(cache.path);
    cache = (sp_cache){ .path = path, .id = *id, .map = cfg->map, .auto_map = !!cfg->auto_map,
                        .fs = cfg->fs_hint_hz, .q = c };
    pthread_mutex_unlock(&cache_mutex);
}

ls_status ls_sparam_into_block(const ls_sparam_config *cfg, ls_block *out, char *msg, size_t cap)
{
    if (!out)
        return LS_EINVAL;
    out->ops = NULL;
    out->self = NULL;
    if (!cfg || !cfg->path) {
        lsi_say(msg, cap, "no Touchstone file given");
        return LS_EINVAL;
    }
    struct stat id;
    const int have_id = stat(cfg->path, &id) == 0;
    if (have_id && cache_get(cfg, &id, out))
        return LS_OK;
    ls_status st;
    ls_touchstone *t = ls_touchstone_read(cfg->path, msg, cap, &st);
    if (!t)
        return st;
    st = ls_sparam_from_touchstone(t, cfg->auto_map ? NULL : &cfg->map, cfg->fs_hint_hz, out, msg,
                                   cap);
    ls_touchstone_destroy(t);
    if (st == LS_OK && have_id)
        cache_put(cfg, &id, out->self);
    return st;
}

static const sparam *as_sparam(const ls_block *b)
{
    return b && b->ops == &sparam_ops ? b->self : NULL;
}

double ls_sparam_delay_s(const ls_block *b)
{
    const sparam *q = as_sparam(b);
    return q ? q->tau : NAN;
}

double ls_sparam_fmax_hz(const ls_block *b)
{
    const sparam *q = as_sparam(b);
    return q ? q->fmax : NAN;
}

size_t ls_sparam_warnings(const ls_block *b, const char **w, size_t cap)
{
    const sparam *q = as_sparam(b);
    if (!q)
        return 0;
    for (size_t i = 0; i < q->n_warn && i < cap; i++)
        if (w)
            w[i] = q->warn[i];
    return q->n_warn;
}

/*
 * Crosstalk paths in the frequency domain: the integrated crosstalk noise (ICN) of a coupling
 * path, the analytic coupling shapes (the "xt_shape" block) and the fusion of an aggressor's path
 * into a trimmed FIR. The aggressors and the xtalk block are in xtalk.c, whose header comment holds
 * the full statement; details and numbers in docs/crosstalk.md.
 *
 * ICN: IEEE 802.3 Annex 93A eq. 93A-57 (power weighting W(f): sinc^2 of the NRZ symbol, a 4th-power
 * transmitter roll-off at f_t, an 8th-power receiver roll-off at f_r) inside the integral of
 * eqs. 92-46 / 92-47 (Clause 92.10.7, cable-assembly ICN):
 *   sigma_x = sqrt((2 df / f_b) sum_n A^2 W(f_n) |H(f_n)|^2),
 * as the COM reference script computes MDFEXT_ICN / MDNEXT_ICN (its FD_Processing).
 * Coupling shapes: ANSI T1.417-2001 Annex B (Unger's NEXT f^(3/2) and FEXT f^2 |H_thru|^2 power
 * laws): H = g j f / f_n (FEXT), H = g (j f / f_n)^(3/4) (NEXT).
 * Path fusion: the product of the path's LTI blocks as one FIR (lsi_fuse_lti, the fusion the link
 * applies to the victim's stages); the spans being upper bounds, the taps after the point where
 * less than 1e-9 of the energy is left are dropped.
 *
 * Called by xtalk.c (xtalk_internal.h); calls no other crosstalk file.
 */
#include <complex.h>
#include <math.h>

#include "fft_internal.h"
#include "lanesim/xtalk.h"
#include "ls_internal.h"
#include "xtalk_internal.h"

#define ICN_MAX_POINTS 10000000.0
#define NEXT_SPAN_UI 32.0
#define TRIM 1e-9 /* energy left out of a path's FIR */

/* ---------------------------------------------------------------------------------------------
 * ICN
 */

void ls_icn_config_init(ls_icn_config *cfg, double fb_hz)
{
    *cfg = (ls_icn_config){.fb_hz = fb_hz,
                           .ft_hz = 0.2365 / 0.425 * fb_hz,
                           .fr_hz = 0.58 * fb_hz,
                           .f1_hz = 0.0,
                           .f2_hz = fb_hz,
                           .df_hz = fb_hz / 2048.0};
}

int lsi_xtalk_icn_config_ok(const ls_icn_config *c)
{
    return c && isfinite(c->fb_hz) && c->fb_hz > 0 && c->ft_hz > 0 && !isnan(c->ft_hz) &&
           c->fr_hz > 0 && !isnan(c->fr_hz) && isfinite(c->f1_hz) && c->f1_hz >= 0 &&
           isfinite(c->f2_hz) && c->f2_hz > c->f1_hz && isfinite(c->df_hz) && c->df_hz > 0 &&
           c->df_hz <= c->f2_hz - c->f1_hz && (c->f2_hz - c->f1_hz) / c->df_hz <= ICN_MAX_POINTS;
}

int lsi_xtalk_lti_ok(const ls_block *b)
{
    return b && b->ops && b->ops->kind == LS_KIND_LTI && b->ops->in == LS_T_F32 &&
           b->ops->out == LS_T_F32 && b->ops->response;
}

/* H(f[0..n)) = prod of the blocks' responses into h (scratch hb). */
static ls_status path_response(const ls_block *const *b, size_t nb, const double *f,
                               double complex *h, double complex *hb, size_t n)
{
    for (size_t k = 0; k < n; k++)
        h[k] = 1.0;
    for (size_t i = 0; i < nb; i++) {
        ls_status st = b[i]->ops->response(b[i]->self, f, hb, n);
        if (st != LS_OK)
            return st;
        for (size_t k = 0; k < n; k++)
            h[k] *= hb[k];
    }
    for (size_t k = 0; k < n; k++)
        if (!isfinite(creal(h[k])) || !isfinite(cimag(h[k])))
            return LS_EINVAL;
    return LS_OK;
}

ls_status ls_xtalk_icn(const ls_icn_config *cfg, double amp_v, const ls_block *const *b, size_t n,
                       double *icn_v)
{
    if (!lsi_xtalk_icn_config_ok(cfg) || !isfinite(amp_v) || amp_v < 0 || !b || !n ||
        n > LS_XTALK_MAX_PATH || !icn_v)
        return LS_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!lsi_xtalk_lti_ok(b[i]))
            return LS_EINVAL;
    const double span = cfg->f2_hz - cfg->f1_hz;
    size_t np = (size_t)ceil(span / cfg->df_hz - 1e-9);
    np = np ? np : 1;
    const double df = span / (double)np;
    double *f = ls_alloc_n(np, sizeof *f);
    double complex *h = ls_alloc_n(np, sizeof *h), *hb = ls_alloc_n(np, sizeof *hb);
    ls_status st = LS_ENOMEM;
    if (!f || !h || !hb)
        goto done;
    for (size_t k = 0; k < np; k++)
        f[k] = cfg->f1_hz + ((double)k + 0.5) * df;
    if ((st = path_response(b, n, f, h, hb, np)) != LS_OK)
        goto done;
    double acc = 0.0;
    for (size_t k = 0; k < np; k++) {
        const double x = M_PI * f[k] / cfg->fb_hz, sinc = x > 0 ? sin(x) / x : 1.0;
        const double t = f[k] / cfg->ft_hz, r = f[k] / cfg->fr_hz;
        const double w = sinc * sinc / (1.0 + t * t * t * t) / (1.0 + pow(r, 8.0));
        const double m = cabs(h[k]);
        acc += w * m * m;
    }
    *icn_v = amp_v * sqrt(2.0 * df / cfg->fb_hz * acc);
done:
    ls_free(f);
    ls_free(h);
    ls_free(hb);
    return st;
}

/* ---------------------------------------------------------------------------------------------
 * Analytic coupling shapes
 */

typedef struct {
    ls_xt_type type;
    double g, fn, span;
} shape;

static ls_status shape_response(const void *self, const double *f_hz, double complex *h, size_t n)
{
    const shape *s = self;
    if (!s || (n && (!f_hz || !h)))
        return LS_EINVAL;
    for (size_t i = 0; i < n; i++) {
        const double x = f_hz[i] / s->fn;
        if (!isfinite(x))
            return LS_EINVAL;
        if (s->type == LS_XT_FEXT) {
            h[i] = s->g * I * x;
        } else {
            /* (j x)^(3/4): magnitude |x|^0.75, phase 3 pi / 8 sign(x) (Hermitian: real h) */
            const double ph = (x < 0 ? -1.0 : 1.0) * 0.375 * M_PI;
            h[i] = x == 0.0 ? 0.0 : s->g * pow(fabs(x), 0.75) * cexp(I * ph);
        }
    }
    return LS_OK;
}

static double shape_span(const void *self)
{
    return ((const shape *)self)->span;
}

static const ls_block_ops shape_ops = {
    .name = "xt_shape",
    .kind = LS_KIND_LTI,
    .in = LS_T_F32,
    .out = LS_T_F32,
    .response = shape_response,
    .span_s = shape_span,
    .destroy = ls_free,
};

ls_status ls_xtalk_shape_into_block(ls_xt_type type, double g, double fn_hz, double fb_hz,
                                    ls_block *out)
{
    if (!out)
        return LS_EINVAL;
    *out = (ls_block){0};
    if ((type != LS_XT_FEXT && type != LS_XT_NEXT) || !isfinite(g) || !(g > 0) ||
        !isfinite(fn_hz) || !(fn_hz > 0) || !isfinite(fb_hz) || !(fb_hz > 0))
        return LS_EINVAL;
    shape *s = ls_alloc(sizeof *s);
    if (!s)
        return LS_ENOMEM;
    *s = (shape){
        .type = type, .g = g, .fn = fn_hz, .span = type == LS_XT_NEXT ? NEXT_SPAN_UI / fb_hz : 0.0};
    out->ops = &shape_ops;
    out->self = s;
    return LS_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Path fusion
 */

/* FIR of the product of b[0..nb) (lsi_fuse_lti), trimmed: the spans are upper bounds, so the taps are
   kept up to where less than TRIM of the energy is left. *h (ls_alloc'd), *nh taps. */
ls_status lsi_xtalk_fuse(const ls_block *const *b, size_t nb, double fs, float **h, size_t *nh)
{
    ls_status st = lsi_fuse_lti(b, nb, fs, h, nh, NULL, NULL, 0);
    if (st != LS_OK)
        return st;
    size_t first, n;
    lsi_fir_energy_window(*h, *nh, 0.0, TRIM, INFINITY, &first, &n);
    *nh = n;
    return LS_OK;
}

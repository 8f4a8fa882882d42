/*
 * Link assembly, stage 2 (lsi_link_assemble, link.c): the block chain becomes the link's stages.
 * Each maximal run of consecutive LTI blocks on real samples becomes one FIR (lsi_fuse_lti; the
 * recipe is stated in link.c's header and docs/link.md "Fusion"), applied by ls_fftfilt; a run on
 * the optical field becomes one complex FIR (ls_cfftfilt_design); every other block is a stage of
 * its own. CTLE blocks are kept after fusion for ls_link_response. Also running the stages on a chunk
 * (lsi_link_run_stages, shared by the frames, the pattern-dependent levels and the pattern engine's
 * training) and resetting them for a frame; with LS_CHECK_SIGNAL defined (LANESIM_CHECK_SIGNAL=ON) each
 * stage's output is checked for finiteness.
 */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim/cfftfilt.h"
#include "lanesim/fftfilt.h"
#include "link_internal.h"
#include "ls_internal.h"

/* Moves a block of a fused LTI group into l->ctle when it is a CTLE (for ls_link_response), else destroys it. */
static void keep_or_destroy(ls_link *l, ls_block *b)
{
    if (b->ops && !strcmp(b->ops->name, "ctle") && l->n_ctle < sizeof l->ctle / sizeof l->ctle[0]) {
        l->ctle[l->n_ctle++] = *b;
        *b = (ls_block){ 0 };
        return;
    }
    ls_block_destroy(b);
}

/* A warning when a fused group misses the stated accuracy, 1e-3 of its peak response in band (docs/link.md
   "Fusion"), for another reason than a tail beyond the blocks' own span_s (a capped cascade or Touchstone
   span: the DC shortfall is then at least two thirds of the largest error, and documented with the block). */
static void accuracy_warning(ls_link *l, const lsi_link_spec *spec, size_t i, size_t j, const lsi_fir_info *fi)
{
    if (fi->err_band <= 1e-3 || fi->err_band <= 1.5 * fi->err_dc || l->n_warn >= LSI_MAX_WARN)
        return;
    snprintf(l->warn[l->n_warn++], LSI_WARN_LEN,
             "the FIR of the linear blocks %s..%s misses its in-band accuracy: error %.2g of the peak response "
             "(stated: 1e-3)", spec->blocks[i].ops->name, spec->blocks[j - 1].ops->name, fi->err_band);
}

/* One complex FIR for the LTI blocks [i, j) on the optical field (fibre dispersion and loss, ...). */
static ls_status fuse_field(ls_link *l, lsi_assembly *a, size_t i, size_t j, char *msg, size_t cap)
{
    lsi_link_spec *spec = a->spec;
    ls_link_info *in = &l->info;
    ls_status st;
    float complex *hc = NULL;
    size_t nhc = 0;
    lsi_fir_info fi;
    const ls_block *grp[LSI_MAX_BLOCKS];
    for (size_t k = i; k < j; k++)
        grp[k - i] = &spec->blocks[k];
    if ((st = lsi_fuse_field(grp, j - i, a->fs, &hc, &nhc, &fi, msg, cap)) != LS_OK)
        return st;
    ls_cfftfilt_config cc;
    ls_cfftfilt_config_init(&cc);
    cc.h = hc;
    cc.n_h = nhc;
    if (!(l->st[l->n_st].cfir = ls_cfftfilt_create(&cc, &st))) {
        ls_free(hc);
        lsi_say(msg, cap, "optical FIR of %zu taps: %s", nhc, ls_strerror(st));
        return st;
    }
    accuracy_warning(l, spec, i, j, &fi);
    a->latency += ls_cfftfilt_latency(l->st[l->n_st].cfir);
    l->st[l->n_st].hc = hc;
    l->st[l->n_st].nhc = nhc;
    l->n_st++;
    in->fused_taps += nhc;
    in->n_lti_blocks += j - i;
    for (size_t k = i; k < j; k++)
        ls_block_destroy(&spec->blocks[k]);
    return LS_OK;
}

/* The filter of a fused real FIR h[0..nh) (docs/link.md "The two-rate tail"): the two-rate FIR (phy/core/fir2.c:
   head at the full rate, the slow tail's per-UI lines at the symbol rate, interpolated; DC gain kept, the change
   at every frequency and output phase at most B, its l1 bound) where B <= LSI_FIR_TOL / 10 |sum h| (the energy
   cut's allowance, CUT_ADD in phy/core/fuse.c; |sum h| = |H(0)| <= max |H| in band, so conservative) and the
   cost model says >= 10 % cheaper; else the single overlap-save FIR. */
static ls_status make_fir(stage *sg, const float *h, size_t nh, unsigned sps)
{
    ls_status st;
    double dc = 0;
    for (size_t k = 0; k < nh; k++)
        dc += h[k];
    lsi_fir2_plan p;
    const double budget = 0.1 * LSI_FIR_TOL * fabs(dc);
    const int two = sps >= 2 && budget > 0 && lsi_fir2_choose(h, nh, sps, budget, &p);
    ls_fftfilt_config fc;
    ls_fftfilt_config_init(&fc);
    fc.h = h;
    fc.n_h = two ? p.T : nh;
    fc.nfft = two ? p.head_nfft : 0;
    if (!(sg->fir = ls_fftfilt_create(&fc, &st)))
        return st;
    if (two && !(sg->fir2 = lsi_fir2_create(h, nh, &p, sg->fir, &st))) {
        ls_fftfilt_destroy(sg->fir);
        sg->fir = NULL;
        return st;
    }
    return LS_OK;
}

/* One real FIR for the LTI blocks [i, j) on real samples. */
static ls_status fuse_real(ls_link *l, lsi_assembly *a, size_t i, size_t j, char *msg, size_t cap)
{
    lsi_link_spec *spec = a->spec;
    ls_link_info *in = &l->info;
    ls_status st;
    float *h = NULL;
    size_t nh = 0;
    lsi_fir_info fi;
    const ls_block *grp[LSI_MAX_BLOCKS];
    for (size_t k = i; k < j; k++)
        grp[k - i] = &spec->blocks[k];
    if ((st = lsi_fuse_lti_cut(grp, j - i, a->fs, &h, &nh, &fi, msg, cap)) != LS_OK)
        return st;
    if ((st = make_fir(&l->st[l->n_st], h, nh, a->sps)) != LS_OK) {
        lsi_say(msg, cap, "FFT filter of %zu taps: %s", nh, ls_strerror(st));
        ls_free(h);
        return st;
    }
    accuracy_warning(l, spec, i, j, &fi);
    a->latency += ls_fftfilt_latency(l->st[l->n_st].fir);
    l->st[l->n_st].h = h;
    l->st[l->n_st].nh = nh;
    l->n_st++;
    in->fused_taps += nh;
    in->n_lti_blocks += j - i;
    for (size_t k = i; k < j; k++)
        keep_or_destroy(l, &spec->blocks[k]);
    return LS_OK;
}

ls_status lsi_link_fuse(ls_link *l, lsi_assembly *a, char *msg, size_t cap)
{
    lsi_link_spec *spec = a->spec;
    ls_status st;
    ls_sample_type cur = LS_T_F32;
    a->latency = ls_tx_latency(l->tx);
    a->any_complex = 0;
    for (size_t i = 0; i < spec->n_blocks;) {
        const ls_block_ops *o = spec->blocks[i].ops;
        if (o->in != cur) {
            lsi_say(msg, cap, "block '%s' expects %s input but receives %s", o->name,
                o->in == LS_T_F32 ? "an electrical" : "an optical field", cur == LS_T_F32 ? "an electrical" : "a field");
            return LS_EINVAL;
        }
        if (o->kind != LS_KIND_LTI) {
            l->st[l->n_st++].blk = spec->blocks[i];
            spec->blocks[i] = (ls_block){ 0 };
            cur = o->out;
            a->any_complex |= cur == LS_T_CF32;
            i++;
            continue;
        }
        size_t j = i;
        while (j < spec->n_blocks && spec->blocks[j].ops->kind == LS_KIND_LTI && spec->blocks[j].ops->in == cur)
            j++;
        if ((st = cur == LS_T_CF32 ? fuse_field(l, a, i, j, msg, cap) : fuse_real(l, a, i, j, msg, cap)) != LS_OK)
            return st;
        i = j;
    }
    spec->n_blocks = 0;
    if (cur != LS_T_F32) {
        lsi_say(msg, cap, "the chain ends in an optical field: a photodetector is missing");
        return LS_EINVAL;
    }
    return LS_OK;
}

#ifdef LS_CHECK_SIGNAL
/* Signal assertion (cmake -DLANESIM_CHECK_SIGNAL=ON): every sample a stage wrote is finite, else
   LS_EINTERNAL, a bug in that stage or its configuration's validation. Not compiled otherwise. */
static ls_status check_signal(const ls_link *l, size_t i, size_t n)
{
    const stage *sg = &l->st[i];
    const int field = sg->cfir || (!sg->fir && sg->blk.ops->out == LS_T_CF32);
    for (size_t k = 0; k < n; k++)
        if (field ? !isfinite(crealf(l->cwave[k])) || !isfinite(cimagf(l->cwave[k])) : !isfinite(l->wave[k]))
            return LS_EINTERNAL;
    return LS_OK;
}
#endif

/* Every stage back to its start state for frame (seed, frame): fused FIRs cleared, blocks reset and
   reseeded. */
ls_status lsi_link_reset_stages(ls_link *l, uint64_t seed, uint64_t frame)
{
    ls_status st = LS_OK;
    for (size_t i = 0; i < l->n_st; i++) {
        if (l->st[i].fir) {
            st = l->st[i].fir2 ? lsi_fir2_reset(l->st[i].fir2) : ls_fftfilt_reset(l->st[i].fir);
        } else if (l->st[i].cfir) {
            st = ls_cfftfilt_reset(l->st[i].cfir);
        } else {
            const ls_block_ops *o = l->st[i].blk.ops;
            if (o->reset)
                st = o->reset(l->st[i].blk.self);
            if (o->reseed)
                o->reseed(l->st[i].blk.self, seed, frame);
        }
        if (st != LS_OK)
            return st;
    }
    return LS_OK;
}

/* The chunk's n samples through every stage in place (l->wave, or l->cwave for the optical field); with q,
   stage i runs on its first q[i] <= n samples only, its input past what stage i - 1 wrote set to 0. */
ls_status lsi_link_run_stages(ls_link *l, size_t stop, size_t n, const size_t *q)
{
    ls_status st;
    for (size_t i = 0; i < stop && i < l->n_st; i++) {
        const stage *sg = &l->st[i];
        const size_t have = !q ? n : i ? q[i - 1] : n;
        if (q) {
            n = q[i];
            if (n > have) {
                const int field = sg->cfir || (!sg->fir && sg->blk.ops->in == LS_T_CF32);
                if (field)
                    memset(l->cwave + have, 0, (n - have) * sizeof *l->cwave);
                else
                    memset(l->wave + have, 0, (n - have) * sizeof *l->wave);
            }
        }
        if (sg->fir) {
            st = sg->fir2 ? lsi_fir2_process(sg->fir2, l->wave, n) : ls_fftfilt_process(sg->fir, l->wave, l->wave, n);
        } else if (sg->cfir) {
            st = ls_cfftfilt_process(sg->cfir, l->cwave, l->cwave, n);
        } else {
            const ls_block_ops *o = sg->blk.ops;
            void *xi = o->in == LS_T_F32 ? (void *)l->wave : (void *)l->cwave;
            void *yo = o->out == LS_T_F32 ? (void *)l->wave : (void *)l->cwave;
            st = o->process(sg->blk.self, xi, yo, n);
        }
        if (st != LS_OK)
            return st;
#ifdef LS_CHECK_SIGNAL
        if ((st = check_signal(l, i, n)) != LS_OK)
            return st;
#endif
    }
    return LS_OK;
}

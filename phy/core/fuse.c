/*
 * Fusion of consecutive real LTI blocks into one FIR by frequency sampling (docs/link.md):
 *   n_h = ceil((sum span_s + sum pre_s) fs) + 1,  N = 2^ceil(log2 max(2 n_h, 1024)),
 *   h[n] = (1/N) sum_k prod_b H_b(f_k) e^{-j 2 pi k d / N} e^{j 2 pi k n / N},  f_k = k fs / N,
 * d = ceil(sum pre_s fs) (the zero-phase members' pre-ringing made causal), keeping n < n_h. The FIR's
 * DTFT equals the analog product at the grid points; its DC gain is prod H_b(0). Used by the link's
 * stages and by the crosstalk paths.
 */
#include <complex.h>
#include <math.h>

#include "fft_internal.h"
#include "ls_internal.h"

#define LSI_MAX_FIR (1u << 22)

ls_status lsi_fuse_lti(const ls_block *const *b, size_t nb, double fs, float **h, size_t *nh, char *msg, size_t cap)
{
    *h = NULL;
    double span = 0, pre = 0;
    for (size_t i = 0; i < nb; i++) {
        span += b[i]->ops->span_s ? b[i]->ops->span_s(b[i]->self) : 0;
        pre += b[i]->ops->pre_s ? b[i]->ops->pre_s(b[i]->self) : 0;
    }
    const double nd = ceil((span + pre) * fs) + 1;
    if (!nb || !(nd <= LSI_MAX_FIR)) {
        lsi_say(msg, cap, "linear blocks span %.3g s: more than %u samples", span + pre, LSI_MAX_FIR);
        return LS_EINVAL;
    }
    const size_t n_h = (size_t)nd, N = lsi_pow2_at_least(LS_MAX(2 * n_h, (size_t)1024));
    const double d = ceil(pre * fs);
    ls_status st;
    lsi_rfft *f = lsi_rfft_create(N, &st);
    double *freq = ls_alloc_n(N / 2 + 1, sizeof *freq);
    double complex *H = ls_alloc_n(N / 2 + 1, sizeof *H), *Hb = ls_alloc_n(N / 2 + 1, sizeof *Hb);
    *h = ls_alloc_n(n_h, sizeof **h);
    if (!f || !freq || !H || !Hb || !*h) {
        st = f ? LS_ENOMEM : st;
        lsi_say(msg, cap, "out of memory");
        goto done;
    }
    for (size_t k = 0; k <= N / 2; k++) {
        freq[k] = fs * (double)k / (double)N;
        H[k] = cexp(-2.0 * M_PI * I * (double)k * d / (double)N);
    }
    for (size_t i = 0; i < nb; i++) {
        if ((st = b[i]->ops->response(b[i]->self, freq, Hb, N / 2 + 1)) != LS_OK) {
            lsi_say(msg, cap, "%s: frequency response failed", b[i]->ops->name);
            goto done;
        }
        for (size_t k = 0; k <= N / 2; k++)
            H[k] *= Hb[k];
    }
    float complex *F = lsi_rfft_freq(f);
    for (size_t k = 0; k <= N / 2; k++) {
        if (!isfinite(creal(H[k])) || !isfinite(cimag(H[k]))) {
            st = LS_EINVAL;
            lsi_say(msg, cap, "linear blocks: non-finite frequency response");
            goto done;
        }
        F[k] = (float complex)H[k];
    }
    F[N / 2] = crealf(F[N / 2]);
    lsi_rfft_inverse(f);
    const float *t = lsi_rfft_time(f);
    for (size_t i = 0; i < n_h; i++)
        (*h)[i] = t[i] / (float)N;
    *nh = n_h;
    st = LS_OK;
done:
    if (st != LS_OK) {
        ls_free(*h);
        *h = NULL;
    }
    lsi_rfft_destroy(f);
    ls_free(freq);
    ls_free(H);
    ls_free(Hb);
    return st;
}

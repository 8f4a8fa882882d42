/**
 * @file dfft.c
 * Double-precision real inverse FFT (dfft_internal.h): a planned FFTW c2r transform scaled by 1/n.
 * Used by the COM engine, whose impulse responses (Annex 93A, 93A-1 step "time domain") need more
 * dynamic range than single precision gives at 1e-5 of the peak.
 */
#include <complex.h> /* before fftw3.h: fftw_complex is then double complex */
#include <fftw3.h>

#include <string.h>

#include "dfft_internal.h"
#include "fft_internal.h"

ls_status lsi_irfft_d(size_t n, const double complex *X, double *x)
{
    if (n < 2 || n > (size_t)1 << 30 || !X || !x)
        return LS_EINVAL;
    size_t nb = n / 2 + 1;
    fftw_complex *in = fftw_alloc_complex(nb);
    double *out = fftw_alloc_real(n);
    if (!in || !out) {
        fftw_free(in);
        fftw_free(out);
        return LS_ENOMEM;
    }
    lsi_fft_planner_lock();
    fftw_plan p = fftw_plan_dft_c2r_1d((int)n, in, out, FFTW_ESTIMATE);
    lsi_fft_planner_unlock();
    if (!p) {
        fftw_free(in);
        fftw_free(out);
        return LS_EFFT;
    }
    memcpy(in, X, nb * sizeof *in);
    in[0] = creal(in[0]);
    if (n % 2 == 0)
        in[nb - 1] = creal(in[nb - 1]);
    fftw_execute(p);
    double s = 1.0 / (double)n;
    for (size_t m = 0; m < n; m++)
        x[m] = out[m] * s;
    lsi_fft_planner_lock();
    fftw_destroy_plan(p);
    lsi_fft_planner_unlock();
    fftw_free(in);
    fftw_free(out);
    return LS_OK;
}

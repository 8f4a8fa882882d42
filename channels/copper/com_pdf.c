/**
 * @file com_pdf.c
 * Discrete probability distributions of COM (IEEE 802.3 Annex 93A.1.7): the PDF of a sampled
 * interference signal (93A-39..40: each sample h contributes the L equiprobable values
 * h (2l/(L-1) - 1), convolved over the samples), the truncated Gaussian (93A-41..42), the
 * convolution (93A-43..45) and the tail read-out A_ni (93A-37). Bins are the reference's: a value v
 * lands in bin round(v / bin) (round half away from zero).
 *
 * Tail trim (lanesim's, not the reference's): after every convolution the outermost bins whose mass
 * adds up to at most LSI_PDF_TRIM (1e-30) at each end are dropped. A PDF built by n convolutions then
 * differs from the untrimmed one by at most 2 n LSI_PDF_TRIM in total mass, so every value of its CDF
 * moves by less than 1e-25 for n < 5e4: far below the rounding of a double CDF near DER_0 >= 1e-12
 * (its ulp is >= 1e-28 and the reference's own sums carry ~1e-16 relative error). A_ni, EH and VEC are
 * the untrimmed ones unless the CDF lies within that distance of DER_0. The ISI PDF of a long channel
 * reaches +-sum|h|, a value of probability L^-n: on lecroy's board under 120G C2M the trim takes it
 * from ~32,000 bins to a few thousand, and the convolutions in proportion (docs/com.md "Speed").
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "com_internal.h"

/* drop the outermost bins holding at most LSI_PDF_TRIM of mass at each end (header comment) */
static void trim(lsi_pdf *p)
{
    size_t lo = 0, hi = p->n;
    double m = 0;
    while (lo + 1 < hi && m + p->y[lo] <= LSI_PDF_TRIM) m += p->y[lo++];
    m = 0;
    while (hi - 1 > lo && m + p->y[hi - 1] <= LSI_PDF_TRIM) m += p->y[--hi];
    if (lo == 0 && hi == p->n) return;
    memmove(p->y, p->y + lo, (hi - lo) * sizeof *p->y);
    p->n = hi - lo;
    p->min += (long)lo;
}

void lsi_pdf_free(lsi_pdf *p)
{
    free(p->y);
    p->y = NULL;
    p->n = 0;
}

ls_status lsi_pdf_delta(lsi_pdf *p, double bin)
{
    p->bin = bin;
    p->min = 0;
    p->n = 1;
    p->y = malloc(sizeof *p->y);
    if (!p->y) return LS_ENOMEM;
    p->y[0] = 1;
    return LS_OK;
}

ls_status lsi_pdf_gauss(lsi_pdf *p, double sigma, double q, double bin)
{
    if (!(sigma > 0)) return lsi_pdf_delta(p, bin);
    long mn = -lround(2 * q * sigma / bin);
    p->bin = bin;
    p->min = mn;
    p->n = (size_t)(-2 * mn + 1);
    p->y = malloc(p->n * sizeof *p->y);
    if (!p->y) return LS_ENOMEM;
    double s = 0;
    for (size_t k = 0; k < p->n; k++) {
        double x = (double)(mn + (long)k) * bin;
        p->y[k] = exp(-x * x / (2 * sigma * sigma + 2.220446049250313e-16));
        s += p->y[k];
    }
    for (size_t k = 0; k < p->n; k++) p->y[k] /= s;
    return LS_OK;
}

ls_status lsi_pdf_conv(lsi_pdf *out, const lsi_pdf *a, const lsi_pdf *b)
{
    lsi_pdf o = {a->bin, a->min + b->min, a->n + b->n - 1, NULL};
    o.y = calloc(o.n, sizeof *o.y);
    if (!o.y) return LS_ENOMEM;
    for (size_t i = 0; i < a->n; i++) {
        double ai = a->y[i];
        if (ai == 0) continue;
        double *dst = o.y + i;
        for (size_t j = 0; j < b->n; j++) dst[j] += ai * b->y[j];
    }
    trim(&o);
    *out = o;
    return LS_OK;
}

ls_status lsi_pdf_lazy_init(lsi_pdf_lazy *z, const lsi_pdf *a, const lsi_pdf *b)
{
    z->a = a;
    z->b = b;
    z->done = 0;
    z->o = (lsi_pdf){a->bin, a->min + b->min, a->n + b->n - 1, NULL};
    z->o.y = calloc(z->o.n, sizeof *z->o.y);
    return z->o.y ? LS_OK : LS_ENOMEM;
}

/* bins [done, K) of a * b in lsi_pdf_conv's order (i ascending for every bin: the same sums, bit for
 * bit); K at least k + 1, and at least twice what is done (windows grow geometrically) */
void lsi_pdf_lazy_upto(lsi_pdf_lazy *z, size_t k)
{
    if (k < z->done || z->done >= z->o.n) return;
    size_t K = k + 1 > 2 * z->done ? k + 1 : 2 * z->done, d = z->done;
    if (K < 256) K = 256;
    if (K > z->o.n) K = z->o.n;
    const lsi_pdf *a = z->a, *b = z->b;
    for (size_t i = 0; i < a->n && i < K; i++) {
        double ai = a->y[i];
        if (ai == 0) continue;
        size_t j0 = d > i ? d - i : 0, j1 = K - i < b->n ? K - i : b->n;
        double *dst = z->o.y + i;
        for (size_t j = j0; j < j1; j++) dst[j] += ai * b->y[j];
    }
    z->done = K;
}

double lsi_pdf_lazy_tail(lsi_pdf_lazy *z, double p0)
{
    double c = 0;
    for (size_t k = 0; k < z->o.n; k++) {
        if (k >= z->done) lsi_pdf_lazy_upto(z, k);
        c += z->o.y[k];
        if (c > p0) return fabs((double)(z->o.min + (long)k) * z->o.bin);
    }
    return 0;
}

/* in place: p <- p * (L equiprobable deltas at offsets off[0..L-1], off ascending) */
static ls_status conv_levels(lsi_pdf *p, const long *off, int L)
{
    size_t w = (size_t)(off[L - 1] - off[0]);
    double *y = calloc(p->n + w, sizeof *y);
    if (!y) return LS_ENOMEM;
    double pr = 1.0 / L;
    for (int l = 0; l < L; l++) {
        double *dst = y + (off[l] - off[0]);
        for (size_t i = 0; i < p->n; i++) dst[i] += pr * p->y[i];
    }
    free(p->y);
    p->y = y;
    p->n += w;
    p->min += off[0];
    trim(p);
    return LS_OK;
}

ls_status lsi_pdf_from_samples(lsi_pdf *p, const double *h, size_t n, int L, double bin)
{
    ls_status st = lsi_pdf_delta(p, bin);
    double mx = -INFINITY;
    for (size_t k = 0; k < n; k++) mx = fmax(mx, h[k]);
    long off[16];
    if (L > 16) return LS_EINVAL;
    for (size_t k = 0; k < n && !st; k++) {
        double a = fabs(h[k]);
        if (a < bin || (mx > bin && !(a > bin))) continue;
        for (int l = 0; l < L; l++) off[l] = lround(a * (2.0 * l / (L - 1) - 1) / bin);
        if (off[L - 1] == off[0]) continue;
        st = conv_levels(p, off, L);
    }
    return st;
}

double lsi_pdf_tail(const lsi_pdf *p, double p0)
{
    double c = 0;
    for (size_t k = 0; k < p->n; k++) {
        c += p->y[k];
        if (c > p0) return fabs((double)(p->min + (long)k) * p->bin);
    }
    return 0;
}

double lsi_pdf_rms(const lsi_pdf *p)
{
    double s = 0;
    for (size_t k = 0; k < p->n; k++) {
        double x = (double)(p->min + (long)k) * p->bin;
        s += x * x * p->y[k];
    }
    return sqrt(s);
}

/* inverse of the standard normal tail: Q^-1(p) by bisection on erfc (p in (0, 0.5)) */
double lsi_com_qinv(double p)
{
    double lo = 0, hi = 40;
    for (int k = 0; k < 200; k++) {
        double mid = 0.5 * (lo + hi);
        if (0.5 * erfc(mid / sqrt(2)) > p) lo = mid; else hi = mid;
    }
    return 0.5 * (lo + hi);
}

/*
 * FFT layer (the only file that includes fftw3.h) and the overlap-save FIR engine ls_fftfilt.
 *
 * lsi_rfft: a single-precision real FFT pair planned once (fftwf_plan_dft_r2c_1d / c2r_1d) on
 * arrays it owns from fftwf_malloc; execution is fftwf_execute on those arrays only, so no
 * new-array alignment rules apply. FFTW's planner is global and not thread-safe [FFTW 3.3.10
 * manual, sec. 5.4 "Thread safety"]: every planner call made here (plan creation,
 * fftwf_destroy_plan, fftwf_malloc/fftwf_free) holds one process-wide pthread mutex.
 *
 * ls_fftfilt: overlap-save block convolution [Oppenheim & Schafer, Discrete-Time Signal
 * Processing, 3rd ed., sec. 8.7.3]. With n_h taps and FFT size N, each block takes
 * L = N - n_h + 1 new samples. The frame [previous n_h-1 samples | L new samples] is transformed,
 * multiplied by the precomputed spectrum H = FFT(h zero-padded to N) / N, and transformed back;
 * the last L points of the circular convolution equal the linear convolution and go to the
 * output queue. Blocks are aligned to the absolute stream position (block b holds samples
 * [bL, bL+L)), and the output queue starts with L zeros, so
 *
 *     y[i] = sum_k h[k] x[i - L - k]
 *
 * exactly L samples late, and the arithmetic done for every output sample is the same whatever
 * the caller's chunk sizes: the output is bit-identical for any chunking.
 *
 * Queue bookkeeping: each input sample consumed releases one output sample, so with `fill`
 * samples of the current block buffered, exactly L - fill outputs are pending, at positions
 * out[fill..L). The outputs of the last block are read straight from the inverse transform's
 * output array: it is next overwritten only when the following block is full, by which time all
 * of them have been released. The frame itself is the forward transform's input array and the
 * inverse writes a separate one (a split lsi_rfft), so a block copies nothing but its history.
 */
#include <complex.h> /* before fftw3.h: fftwf_complex is then float complex */
#include <fftw3.h>

#include <limits.h>
#include <stdint.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <assert.h>
#include <string.h>

#include "fft_internal.h"
#include "lanesim/fftfilt.h"
#include "ls_internal.h"

/* ---------------------------------------------------------------------------------------------
 * Planner lock and lsi_rfft
 */

static pthread_mutex_t planner_mutex = PTHREAD_MUTEX_INITIALIZER;

/* one line per string (ISO C caps string literals at 4095 characters); NULL-terminated */
static const char *const shipped_wisdom[] = {
#include "fft_wisdom.inc"
    NULL};
static int wisdom_loaded;      /* guarded by planner_mutex */
static int wisdom_status = -1; /* -1 not loaded, 0 refused (or no memory), 1 imported */

void lsi_fft_wisdom_load_locked(void)
{
    if (wisdom_loaded)
        return;
    wisdom_loaded = 1;
    wisdom_status = 0;
    size_t len = 1;
    for (size_t i = 0; shipped_wisdom[i]; i++)
        len += strlen(shipped_wisdom[i]);
    char *w = malloc(len), *e = w;
    if (!w) /* estimate-mode plans without it */
        return;
    for (size_t i = 0; shipped_wisdom[i]; i++)
        e = stpcpy(e, shipped_wisdom[i]);
    *e = '\0';
    wisdom_status = fftwf_import_wisdom_from_string(w) != 0; /* 0: another FFTW, estimate plans */
    free(w);
}

/* FFTW aborts the process when one of its own allocations fails (its alloc.c asserts), so before
   any FFTW call that allocates (wisdom import, planning) the wrappers check that the address space
   still holds a generous margin for it: 4 x the transform's complex arrays plus 4 MB for the wisdom
   and the planner. Caller holds the planner lock. 0 when it does not (then LS_ENOMEM). A size no
   larger than one already probed is not probed again: each probe is an mmap and munmap, and a link
   plans thousands of transforms (a reach search: ~12,000). */
static size_t probed_n; /* guarded by planner_mutex */

#if defined(__SANITIZE_ADDRESS__)
#define LS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LS_ASAN 1
#endif
#endif

int lsi_fft_headroom_locked(size_t n)
{
#ifdef LS_ASAN
    /* AddressSanitizer reserves terabytes of shadow (an address-space limit cannot apply) and makes
       every large malloc/free a shadow-poisoning mmap: the probe would cost seconds and tell nothing */
    (void)n;
    return 1;
#endif
    if (probed_n && n <= probed_n)
        return 1;
    size_t bytes = (size_t)4 << 20;
    if (n > (SIZE_MAX - bytes) / (4 * sizeof(fftwf_complex)))
        return 0;
    bytes += 4 * n * sizeof(fftwf_complex);
    void *p = malloc(bytes);
    if (!p)
        return 0;
    free(p);
    probed_n = n;
    return 1;
}

int lsi_fft_wisdom_status(void)
{
    lsi_fft_planner_lock();
    const int st = wisdom_status;
    lsi_fft_planner_unlock();
    return st;
}

int lsi_fft_wisdom_for_this_fftw(void)
{
    /* the wisdom's header "(fftw-X.Y.Z fftwf_wisdom ...": its version against fftwf_version
       ("fftw-X.Y.Z" and possibly "-sse2-avx..."), which FFTW's import also checks */
    const char *w = shipped_wisdom[0], *v = fftwf_version;
    if (!w || *w != '(')
        return 0;
    const size_t n = strcspn(w + 1, " ");
    return strncmp(w + 1, v, n) == 0 && (v[n] == '\0' || v[n] == '-');
}

char *lsi_fft_wisdom_export(void)
{
    lsi_fft_planner_lock();
    char *w = fftwf_export_wisdom_to_string();
    lsi_fft_planner_unlock();
    return w;
}

void lsi_fft_wisdom_forget(void)
{
    lsi_fft_planner_lock();
    fftwf_forget_wisdom();
    wisdom_loaded = 1;
    lsi_fft_planner_unlock();
}

unsigned lsi_fft_flags(int measure)
{
    return measure == LSI_FFT_PATIENT ? FFTW_PATIENT : measure ? FFTW_MEASURE : FFTW_ESTIMATE;
}

void lsi_fft_planner_lock(void)
{
    pthread_mutex_lock(&planner_mutex);
}

void lsi_fft_planner_unlock(void)
{
    pthread_mutex_unlock(&planner_mutex);
}

struct lsi_rfft {
    size_t n;
    float *time;         /* [n], fftwf_malloc */
    float *out;          /* [n], fftwf_malloc (split pairs), else == time */
    fftwf_complex *freq; /* [n/2+1], fftwf_malloc */
    fftwf_plan fwd, inv;
};

static lsi_rfft *rfft_make(size_t n, int measure, int split, ls_status *err)
{
    ls_status st = LS_EINVAL;
    lsi_rfft *p = NULL;
    if (n < 1 || n > ((size_t)1 << 30) || n > (size_t)INT_MAX)
        goto fail;
    st = LS_ENOMEM;
    if (!(p = calloc(1, sizeof *p)))
        goto fail;
    p->n = n;
    const size_t nb = n / 2 + 1;
    const unsigned flags = lsi_fft_flags(measure);
    lsi_fft_planner_lock();
    if (!lsi_fft_headroom_locked(n)) {
        lsi_fft_planner_unlock();
        goto fail;
    }
    lsi_fft_wisdom_load_locked();
    p->time = fftwf_malloc(n * sizeof *p->time);
    p->out = split ? fftwf_malloc(n * sizeof *p->out) : p->time;
    p->freq = fftwf_malloc(nb * sizeof *p->freq);
    if (p->time && p->out && p->freq) {
        p->fwd = fftwf_plan_dft_r2c_1d((int)n, p->time, p->freq, flags);
        p->inv = fftwf_plan_dft_c2r_1d((int)n, p->freq, p->out, flags);
    }
    lsi_fft_planner_unlock();
    if (!p->time || !p->out || !p->freq)
        goto fail;
    st = LS_EFFT;
    if (!p->fwd || !p->inv)
        goto fail;
    /* FFTW_MEASURE scribbles on the arrays while planning: clear them afterwards. */
    memset(p->time, 0, n * sizeof *p->time);
    memset(p->out, 0, n * sizeof *p->out);
    memset(p->freq, 0, nb * sizeof *p->freq);
    if (err)
        *err = LS_OK;
    return p;
fail:
    lsi_rfft_destroy(p);
    if (err)
        *err = st;
    return NULL;
}

lsi_rfft *lsi_rfft_create_planned(size_t n, int measure, ls_status *err)
{
    return rfft_make(n, measure, 0, err);
}

lsi_rfft *lsi_rfft_create_split(size_t n, int measure, ls_status *err)
{
    return rfft_make(n, measure, 1, err);
}

lsi_rfft *lsi_rfft_create(size_t n, ls_status *err)
{
    return lsi_rfft_create_planned(n, 0, err);
}

float *lsi_rfft_time(lsi_rfft *p)
{
    return p->time;
}

float *lsi_rfft_out(lsi_rfft *p)
{
    return p->out;
}

float complex *lsi_rfft_freq(lsi_rfft *p)
{
    return p->freq;
}

void lsi_rfft_forward(lsi_rfft *p)
{
    fftwf_execute(p->fwd);
}

void lsi_rfft_forward_arrays(lsi_rfft *p, const float *in, float complex *out)
{
    assert(fftwf_alignment_of((float *)in) == fftwf_alignment_of(p->time) &&
           fftwf_alignment_of((float *)out) == fftwf_alignment_of((float *)p->freq));
    fftwf_execute_dft_r2c(p->fwd, (float *)in, (fftwf_complex *)out);
}

void lsi_rfft_inverse_to(lsi_rfft *p, float *out)
{
    assert(fftwf_alignment_of(out) == fftwf_alignment_of(p->out));
    fftwf_execute_dft_c2r(p->inv, p->freq, out);
}

void lsi_rfft_inverse(lsi_rfft *p)
{
    fftwf_execute(p->inv);
}

size_t lsi_rfft_size(const lsi_rfft *p)
{
    return p->n;
}

void lsi_rfft_destroy(lsi_rfft *p)
{
    if (!p)
        return;
    lsi_fft_planner_lock();
    if (p->fwd)
        fftwf_destroy_plan(p->fwd);
    if (p->inv)
        fftwf_destroy_plan(p->inv);
    if (p->out != p->time)
        fftwf_free(p->out);
    fftwf_free(p->time);
    fftwf_free(p->freq);
    lsi_fft_planner_unlock();
    free(p);
}

/* ---------------------------------------------------------------------------------------------
 * ls_fftfilt
 */

struct ls_fftfilt {
    size_t n_h;   /* taps */
    size_t nfft;  /* FFT size N */
    size_t L;     /* new samples per block = latency */
    size_t nbins; /* N/2 + 1 */
    size_t fill;  /* samples of the current block buffered, 0..L-1 between calls */
    lsi_rfft *fft; /* split pair: forward reads the frame, inverse writes a separate array */
    float *hspec; /* [2 * nbins] interleaved re/im of FFT(h) / N (ls_alloc) */
    float *in;    /* [N] frame: [previous n_h-1 samples | L new]: the forward input array */
    float *out;   /* output queue: the last L points of the inverse output array */
};

static int is_pow2(size_t n)
{
    return n && !(n & (n - 1));
}

/* The automatic FFT size: the power of two N from lo = max(1024, 2 n_h) to 4 lo with the least cost per output sample,
   T(N) / (N - n_h + 1), T(N) the measured time of one block (forward and inverse transform with the shipped
   wisdom, spectrum product, history copy). BLOCK_US[k] is T(2^(10 + k)) in microseconds: ls_fftfilt_process on
   random taps, median of 5 runs of >= 0.4 s of thread CPU time, AMD EPYC (Zen 4, AVX-512), gcc 12 -O3, FFTW
   3.3.10, a 2-core machine at load ~12 (so +-15 %). Above 2^21, T grows as N log2 N from the last entry. Among
   sizes within 3 % of the least cost the smallest is taken (less latency). A fixed table, so the size, and
   with it the rounding, is a fixed function of n_h. docs/filters.md. */
static const double BLOCK_US[] = { 1.89, 3.98, 10.7, 24.0, 44.0, 79.5, 182.0, 393.0, 1000.0, 2930.0, 6350.0,
                                   17800.0 };
#define BLOCK_LOG2_MIN 10

static double block_us(size_t n)
{
    unsigned k = 0;
    while (((size_t)1 << (BLOCK_LOG2_MIN + k)) < n)
        k++;
    const unsigned last = sizeof BLOCK_US / sizeof BLOCK_US[0] - 1;
    if (k <= last)
        return BLOCK_US[k];
    const double lg = BLOCK_LOG2_MIN + last;
    return BLOCK_US[last] * (double)((size_t)1 << (k - last)) * (BLOCK_LOG2_MIN + k) / lg;
}

double lsi_fftfilt_block_us(size_t nfft)
{
    return block_us(nfft);
}

size_t lsi_fftfilt_auto_nfft(size_t n_h)
{
    size_t lo = (size_t)1 << BLOCK_LOG2_MIN;
    while (lo < 2 * n_h)
        lo *= 2;
    double best = INFINITY;
    size_t pick = lo;
    for (size_t n = lo; n <= 4 * lo && n <= LS_FFTFILT_MAX_NFFT; n *= 2)
        best = fmin(best, block_us(n) / (double)(n - n_h + 1));
    for (size_t n = lo; n <= 4 * lo && n <= LS_FFTFILT_MAX_NFFT; n *= 2)
        if (block_us(n) / (double)(n - n_h + 1) <= 1.03 * best) {
            pick = n;
            break;
        }
    return pick;
}

void ls_fftfilt_config_init(ls_fftfilt_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_fftfilt_config){.h = NULL, .n_h = 0, .nfft = 0, .measure = 0};
}

ls_fftfilt *ls_fftfilt_create(const ls_fftfilt_config *cfg, ls_status *err)
{
    ls_status st = LS_EINVAL;
    ls_fftfilt *q = NULL;
    if (!cfg || !cfg->h || !cfg->n_h || cfg->n_h > LS_FFTFILT_MAX_TAPS)
        goto fail;
    for (size_t k = 0; k < cfg->n_h; k++)
        if (!isfinite(cfg->h[k]))
            goto fail;
    const size_t nfft = cfg->nfft ? cfg->nfft : lsi_fftfilt_auto_nfft(cfg->n_h);
    if (!is_pow2(nfft) || nfft < 2 * cfg->n_h || nfft > LS_FFTFILT_MAX_NFFT)
        goto fail;

    st = LS_ENOMEM;
    if (!(q = calloc(1, sizeof *q)))
        goto fail;
    q->n_h = cfg->n_h;
    q->nfft = nfft;
    q->L = nfft - cfg->n_h + 1;
    q->nbins = nfft / 2 + 1;
    q->hspec = ls_alloc_n(2 * q->nbins, sizeof *q->hspec);
    if (!q->hspec)
        goto fail;
    if (!(q->fft = lsi_rfft_create_split(nfft, cfg->measure ? LSI_FFT_MEASURE : LSI_FFT_ESTIMATE, &st)))
        goto fail;
    q->in = lsi_rfft_time(q->fft);

    /* Spectrum of h zero-padded to N, with the inverse transform's 1/N folded in (exact: N is a
     * power of two). */
    float *t = lsi_rfft_time(q->fft);
    float *f = (float *)lsi_rfft_freq(q->fft); /* C11 6.2.5p13: complex = float[2] */
    memcpy(t, cfg->h, q->n_h * sizeof *t);
    lsi_rfft_forward(q->fft);
    const float scale = (float)(1.0 / (double)nfft);
    for (size_t k = 0; k < 2 * q->nbins; k++)
        q->hspec[k] = f[k] * scale;
    q->out = lsi_rfft_out(q->fft) + (q->n_h - 1);
    st = ls_fftfilt_reset(q);
    if (st != LS_OK)
        goto fail;
    if (err)
        *err = LS_OK;
    return q;
fail:
    ls_fftfilt_destroy(q);
    if (err)
        *err = st;
    return NULL;
}

/* One block: the frame q->in is full. Leaves L new outputs in q->out and the last n_h-1 input
 * samples at the head of q->in. */
static void run_block(ls_fftfilt *q)
{
    lsi_rfft_forward(q->fft); /* out of place r2c keeps its input, the frame */
    float *restrict f = (float *)lsi_rfft_freq(q->fft);
    const float *restrict hs = q->hspec;
    for (size_t k = 0; k < 2 * q->nbins; k += 2) {
        const float xr = f[k], xi = f[k + 1], hr = hs[k], hi = hs[k + 1];
        f[k] = xr * hr - xi * hi;
        f[k + 1] = xr * hi + xi * hr;
    }
    lsi_rfft_inverse(q->fft);
    /* L >= n_h + 1 > n_h - 1 (nfft >= 2 n_h): source and destination do not overlap. */
    memcpy(q->in, q->in + q->L, (q->n_h - 1) * sizeof *q->in);
}

ls_status ls_fftfilt_process(ls_fftfilt *q, const float *x, float *y, size_t n)
{
    if (!q || (n && (!x || !y)))
        return LS_EINVAL;
    const size_t hist = q->n_h - 1;
    while (n) {
        size_t m = q->L - q->fill;
        if (m > n)
            m = n;
        /* Read x before writing y over the same positions: x == y works. */
        memcpy(q->in + hist + q->fill, x, m * sizeof *x);
        memcpy(y, q->out + q->fill, m * sizeof *y);
        q->fill += m;
        x += m;
        y += m;
        n -= m;
        if (q->fill == q->L) {
            run_block(q);
            q->fill = 0;
        }
    }
    return LS_OK;
}

size_t ls_fftfilt_latency(const ls_fftfilt *q)
{
    return q ? q->L : 0;
}

size_t ls_fftfilt_nfft(const ls_fftfilt *q)
{
    return q ? q->nfft : 0;
}

ls_status ls_fftfilt_reset(ls_fftfilt *q)
{
    if (!q)
        return LS_EINVAL;
    memset(q->in, 0, q->nfft * sizeof *q->in);
    memset(lsi_rfft_out(q->fft), 0, q->nfft * sizeof(float));
    q->fill = 0;
    return LS_OK;
}

void ls_fftfilt_destroy(ls_fftfilt *q)
{
    if (!q)
        return;
    lsi_rfft_destroy(q->fft);
    ls_free(q->hspec);
    free(q);
}

/* Linear convolution c = a * b (lengths na, nb -> na + nb - 1) by FFT. */
ls_status lsi_convolve(const float *a, size_t na, const float *b, size_t nb, float *c)
{
    size_t nc = na + nb - 1, n = lsi_pow2_at_least(nc);
    ls_status st;
    lsi_rfft *fa = lsi_rfft_create(n, &st), *fb = fa ? lsi_rfft_create(n, &st) : NULL;
    if (!fa || !fb) {
        lsi_rfft_destroy(fa);
        return st;
    }
    float *ta = lsi_rfft_time(fa), *tb = lsi_rfft_time(fb);
    memset(ta, 0, n * sizeof *ta);
    memset(tb, 0, n * sizeof *tb);
    memcpy(ta, a, na * sizeof *a);
    memcpy(tb, b, nb * sizeof *b);
    lsi_rfft_forward(fa);
    lsi_rfft_forward(fb);
    float complex *A = lsi_rfft_freq(fa), *B = lsi_rfft_freq(fb);
    for (size_t k = 0; k <= n / 2; k++)
        A[k] *= B[k];
    lsi_rfft_inverse(fa);
    for (size_t i = 0; i < nc; i++)
        c[i] = ta[i] / (float)n;
    lsi_rfft_destroy(fa);
    lsi_rfft_destroy(fb);
    return LS_OK;
}

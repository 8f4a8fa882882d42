/*
 * FFT layer (the only file that includes fftw3.h): shipped wisdom, the planner's lock and lsi_rfft.
 *
 * lsi_rfft: a single-precision real FFT pair planned once (fftwf_plan_dft_r2c_1d / c2r_1d) on
 * arrays it owns from fftwf_malloc; execution is fftwf_execute on those arrays, or FFTW's new-array
 * execute (lsi_rfft_forward_arrays, lsi_rfft_inverse_to) on other arrays with the same alignment
 * (ls_alloc's 64-byte blocks; asserted) [FFTW 3.3.10 manual, sec. 4.6 "New-array Execute Functions"].
 * FFTW's planner is global and not thread-safe [sec. 5.4 "Thread safety"]: every planner call made
 * here (plan creation, fftwf_destroy_plan, fftwf_malloc/fftwf_free) holds one process-wide pthread mutex.
 * The overlap-save FIR engine ls_fftfilt built on it is in fftfilt.c.
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

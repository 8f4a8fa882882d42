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

ls_status lsi_fft_pair_make(lsi_fft_pair *q, size_t n, int measure, int split, int cplx)
{
    if (n < 1 || n > ((size_t)1 << 30) || n > (size_t)INT_MAX)
        return LS_EINVAL;
    q->n = n;
    const size_t esz = cplx ? sizeof(fftwf_complex) : sizeof(float), nb = cplx ? n : n / 2 + 1;
    const unsigned flags = lsi_fft_flags(measure);
    lsi_fft_planner_lock();
    if (!lsi_fft_headroom_locked(n)) {
        lsi_fft_planner_unlock();
        return LS_ENOMEM;
    }
    lsi_fft_wisdom_load_locked();
    q->time = fftwf_malloc(n * esz);
    q->out = split ? fftwf_malloc(n * esz) : q->time;
    q->freq = fftwf_malloc(nb * sizeof *q->freq);
    if (q->time && q->out && q->freq) {
        if (cplx) {
            q->fwd = fftwf_plan_dft_1d((int)n, q->time, q->freq, FFTW_FORWARD, flags);
            q->inv = fftwf_plan_dft_1d((int)n, q->freq, q->out, FFTW_BACKWARD, flags);
        } else {
            q->fwd = fftwf_plan_dft_r2c_1d((int)n, q->time, q->freq, flags);
            q->inv = fftwf_plan_dft_c2r_1d((int)n, q->freq, q->out, flags);
        }
    }
    lsi_fft_planner_unlock();
    if (!q->time || !q->out || !q->freq)
        return LS_ENOMEM;
    if (!q->fwd || !q->inv)
        return LS_EFFT;
    memset(q->time, 0, n * esz);
    memset(q->out, 0, n * esz);
    memset(q->freq, 0, nb * sizeof *q->freq);
    return LS_OK;
}

void lsi_fft_pair_free(lsi_fft_pair *q)
{
    lsi_fft_planner_lock();
    if (q->fwd)
        fftwf_destroy_plan(q->fwd);
    if (q->inv)
        fftwf_destroy_plan(q->inv);
    if (q->out != q->time)
        fftwf_free(q->out);
    fftwf_free(q->time);
    fftwf_free(q->freq);
    lsi_fft_planner_unlock();
    *q = (lsi_fft_pair){ 0 };
}

struct lsi_rfft {
    lsi_fft_pair q; /* the first member (lsi_fft_pair_new): real, time and out float[n], n/2 + 1 bins */
};

void *lsi_fft_pair_new(size_t size, size_t n, int measure, int split, int cplx, ls_status *err)
{
    void *obj = calloc(1, size);
    const ls_status st = obj ? lsi_fft_pair_make(obj, n, measure, split, cplx) : LS_ENOMEM;
    if (st != LS_OK) {
        lsi_fft_pair_delete(obj);
        obj = NULL;
    }
    if (err)
        *err = st;
    return obj;
}

void lsi_fft_pair_delete(void *obj)
{
    if (!obj)
        return;
    lsi_fft_pair_free(obj);
    free(obj);
}

lsi_rfft *lsi_rfft_create_planned(size_t n, int measure, ls_status *err)
{
    return lsi_fft_pair_new(sizeof(lsi_rfft), n, measure, 0, 0, err);
}

lsi_rfft *lsi_rfft_create_split(size_t n, int measure, ls_status *err)
{
    return lsi_fft_pair_new(sizeof(lsi_rfft), n, measure, 1, 0, err);
}

lsi_rfft *lsi_rfft_create(size_t n, ls_status *err)
{
    return lsi_rfft_create_planned(n, 0, err);
}

float *lsi_rfft_time(lsi_rfft *p)
{
    return p->q.time;
}

float *lsi_rfft_out(lsi_rfft *p)
{
    return p->q.out;
}

float complex *lsi_rfft_freq(lsi_rfft *p)
{
    return p->q.freq;
}

void lsi_rfft_forward(lsi_rfft *p)
{
    fftwf_execute(p->q.fwd);
}

void lsi_rfft_forward_arrays(lsi_rfft *p, const float *in, float complex *out)
{
    assert(fftwf_alignment_of((float *)in) == fftwf_alignment_of(p->q.time) &&
           fftwf_alignment_of((float *)out) == fftwf_alignment_of((float *)p->q.freq));
    fftwf_execute_dft_r2c(p->q.fwd, (float *)in, (fftwf_complex *)out);
}

void lsi_rfft_inverse_to(lsi_rfft *p, float *out)
{
    assert(fftwf_alignment_of(out) == fftwf_alignment_of(p->q.out));
    fftwf_execute_dft_c2r(p->q.inv, p->q.freq, out);
}

void lsi_rfft_inverse(lsi_rfft *p)
{
    fftwf_execute(p->q.inv);
}

size_t lsi_rfft_size(const lsi_rfft *p)
{
    return p->q.n;
}

void lsi_rfft_destroy(lsi_rfft *p)
{
    lsi_fft_pair_delete(p);
}

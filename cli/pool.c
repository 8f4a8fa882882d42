/*
 * A parallel loop for the subcommands: n independent jobs on up to `threads` worker threads, taken in
 * index order from a shared counter. Each job writes only its own result slot, so the results do not
 * depend on the thread count. An optional callback reports completions (for a progress bar); it is
 * called with the lock held, so it needs no locking of its own.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "cli.h"

typedef struct {
    cli_job_fn fn;
    cli_done_fn done;
    void *ctx;
    size_t n, next, finished;
    pthread_mutex_t lock;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            return NULL;
        p->fn(p->ctx, i);
        if (p->done) {
            pthread_mutex_lock(&p->lock);
            p->done(p->ctx, ++p->finished, p->n);
            pthread_mutex_unlock(&p->lock);
        }
    }
}

void cli_parallel(size_t n, long threads, cli_job_fn fn, cli_done_fn done, void *ctx)
{
    pool p = { .fn = fn, .done = done, .ctx = ctx, .n = n };
    pthread_mutex_init(&p.lock, NULL);
    pthread_t tid[256];
    long nt = threads < 1 ? 1 : threads > 256 ? 256 : threads, started = 0;
    if ((size_t)nt > n)
        nt = (long)n;
    for (long t = 1; t < nt; t++) /* the calling thread is the first worker */
        if (pthread_create(&tid[started], NULL, worker, &p) == 0)
            started++;
    worker(&p);
    for (long t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&p.lock);
}

void cli_bar_start(cli_bar *b, const char *what, const char *unit, int on)
{
    b->what = what;
    b->unit = unit;
    b->on = on;
    clock_gettime(CLOCK_MONOTONIC, &b->t0);
}

/* "\r  WHAT [####......] k/n UNIT  T s, R s left", a newline when done. */
void cli_bar_draw(const cli_bar *b, size_t done, size_t n)
{
    enum { W = 30 };
    if (!b->on)
        return;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double el = (double)(t.tv_sec - b->t0.tv_sec) + 1e-9 * (double)(t.tv_nsec - b->t0.tv_nsec);
    size_t k = n ? done * W / n : W;
    char bar[W + 1];
    for (size_t j = 0; j < W; j++)
        bar[j] = j < k ? '#' : '.';
    bar[W] = '\0';
    fprintf(stderr, "\r  %s [%s] %zu/%zu %s  %.0f s", b->what, bar, done, n, b->unit, el);
    if (done && done < n)
        fprintf(stderr, ", %.0f s left ", el * (double)(n - done) / (double)done);
    else
        fputs("             ", stderr);
    if (done >= n)
        fputc('\n', stderr);
    fflush(stderr);
}

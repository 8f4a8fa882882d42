/*
 * A parallel loop for the subcommands: n independent jobs on up to `threads` worker threads, taken in
 * index order from a shared counter. Each job writes only its own result slot, so the results do not
 * depend on the thread count. An optional callback reports completions (for a progress bar); it is
 * called with the lock held, so it needs no locking of its own.
 */
#include <pthread.h>

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

/*
 * An AMI model in a child process (--ami-isolate): fork, the child loads the library and serves
 * AMI_Init / AMI_GetWave / AMI_Close requests over a Unix socket pair; a model that crashes, aborts
 * or exits ends only the child, and the parent reports "the model crashed (signal N)" instead of
 * losing its own outputs. The child writes the model's stdout to stderr (lanesim's stdout stays
 * clean). Messages are fixed binary headers followed by arrays of doubles and strings.
 * Cost: one copy of each chunk through the socket each way (measured in docs/ibis-ami.md).
 */
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ami_internal.h"
#include "ls_internal.h"

/* (shared with ami_exec.c, which calls this file) */
void lsi_ami_sym(void *dl, const char *name, void *fn, size_t size)
{
    void *p = dlsym(dl, name); /* POSIX: a function's address, as an object pointer */
    memset(fn, 0, size);
    if (p && size == sizeof p)
        memcpy(fn, &p, size);
}

enum { OP_INIT = 1, OP_GETWAVE = 2, OP_CLOSE = 3, OP_QUIT = 4 };

typedef struct {
    uint32_t op;
    uint64_t n, len;      /* doubles following; length of the parameter string (with its NUL) */
    int64_t rows, aggressors;
    double sample_s, bit_s;
} request;

typedef struct {
    int64_t ret;
    uint64_t len_out, len_msg; /* strings following (with their NULs) */
} reply;

struct lsi_ami_server {
    pid_t pid;
    int fd;
    int dead;
};

static int put_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static int get_all(int fd, void *p, size_t n)
{
    char *c = p;
    while (n) {
        ssize_t r = read(fd, c, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        c += r;
        n -= (size_t)r;
    }
    return 0;
}

static int put_str(int fd, const char *s, uint64_t len)
{
    return len ? put_all(fd, s, len) : 0;
}

/* ---- the child ---- */

static void serve_init(int fd, const request *q, lsi_ami_init_fn init, void **mem)
{
    double *h = calloc(q->n ? q->n : 1, sizeof *h);
    char *pin = calloc(q->len ? q->len : 1, 1), *pout = NULL, *m = NULL;
    if (!h || !pin || get_all(fd, h, q->n * sizeof *h) || get_all(fd, pin, q->len))
        _exit(3);
    pin[q->len ? q->len - 1 : 0] = '\0';
    long ret = init(h, (long)q->rows, (long)q->aggressors, q->sample_s, q->bit_s, pin, &pout, mem, &m);
    reply r = { .ret = ret, .len_out = pout ? strlen(pout) + 1 : 0, .len_msg = m ? strlen(m) + 1 : 0 };
    if (put_all(fd, &r, sizeof r) || put_all(fd, h, q->n * sizeof *h) || put_str(fd, pout, r.len_out) ||
        put_str(fd, m, r.len_msg))
        _exit(3);
    free(h);
    free(pin);
}

static void serve_getwave(int fd, const request *q, lsi_ami_getwave_fn gw, void *mem)
{
    static double *w, *clk;
    static size_t cap;
    if (q->n + 1 > cap) {
        free(w);
        free(clk);
        cap = q->n + 1;
        if (!(w = malloc(cap * sizeof *w)) || !(clk = malloc(cap * sizeof *clk)))
            _exit(3);
    }
    if (get_all(fd, w, q->n * sizeof *w))
        _exit(3);
    for (size_t i = 0; i <= q->n; i++)
        clk[i] = -1.0;
    char *pout = NULL;
    long ret = gw(w, (long)q->n, clk, &pout, mem);
    reply r = { .ret = ret, .len_out = pout ? strlen(pout) + 1 : 0 };
    if (put_all(fd, &r, sizeof r) || put_all(fd, w, q->n * sizeof *w) || put_all(fd, clk, (q->n + 1) * sizeof *clk) ||
        put_str(fd, pout, r.len_out))
        _exit(3);
}

static void serve(int fd, const char *library)
{
    signal(SIGPIPE, SIG_IGN);
    dup2(2, 1);
    void *dl = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    lsi_ami_init_fn init = NULL;
    lsi_ami_getwave_fn gw = NULL;
    lsi_ami_close_fn cl = NULL;
    if (dl) {
        lsi_ami_sym(dl, "AMI_Init", &init, sizeof init);
        lsi_ami_sym(dl, "AMI_GetWave", &gw, sizeof gw);
        lsi_ami_sym(dl, "AMI_Close", &cl, sizeof cl);
    }
    char hello[512] = "";
    if (!dl)
        snprintf(hello, sizeof hello, "cannot load: %s", dlerror());
    else if (!init || !cl)
        snprintf(hello, sizeof hello, "the library lacks %s", !init ? "AMI_Init" : "AMI_Close");
    uint64_t hl = strlen(hello) + 1;
    if (put_all(fd, &hl, sizeof hl) || put_all(fd, hello, hl) || hello[0])
        _exit(2);
    void *mem = NULL;
    int gw_ok = gw != NULL;
    if (put_all(fd, &gw_ok, sizeof gw_ok))
        _exit(3);
    for (;;) {
        request q;
        if (get_all(fd, &q, sizeof q))
            _exit(0);
        if (q.op == OP_INIT) {
            serve_init(fd, &q, init, &mem);
        } else if (q.op == OP_GETWAVE && gw) {
            serve_getwave(fd, &q, gw, mem);
        } else if (q.op == OP_CLOSE) {
            reply r = { .ret = cl(mem) };
            mem = NULL;
            if (put_all(fd, &r, sizeof r))
                _exit(3);
        } else {
            _exit(0);
        }
    }
}

/* ---- the parent ---- */

/* Why the child stopped answering: reaps it and says so. */
static ls_status died(lsi_ami_server *s, char *msg, size_t cap)
{
    int status = 0;
    if (!s->dead) {
        s->dead = 1;
        close(s->fd);
        s->fd = -1;
        while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    if (WIFSIGNALED(status))
        lsi_say(msg, cap, "the model crashed (signal %d, %s); its process ended, lanesim's did not", WTERMSIG(status),
            strsignal(WTERMSIG(status)));
    else
        lsi_say(msg, cap, "the model's process ended (exit status %d)", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return LS_EINTERNAL;
}

lsi_ami_server *lsi_ami_server_start(const char *library, int *has_getwave, char *msg, size_t cap, ls_status *err)
{
    int sv[2];
    lsi_ami_server *s = calloc(1, sizeof *s);
    if (!s || socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
        free(s);
        lsi_say(msg, cap, "cannot start the model's process (%s)", strerror(errno));
        *err = LS_EIO;
        return NULL;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        serve(sv[1], library);
        _exit(0);
    }
    close(sv[1]);
    s->pid = pid;
    s->fd = sv[0];
    if (pid < 0) {
        close(sv[0]);
        free(s);
        lsi_say(msg, cap, "cannot start the model's process (%s)", strerror(errno));
        *err = LS_EIO;
        return NULL;
    }
    uint64_t hl = 0;
    char hello[512];
    int gw_ok;
    if (get_all(s->fd, &hl, sizeof hl) || hl > sizeof hello || get_all(s->fd, hello, hl) || hello[hl - 1] ||
        hello[0] || get_all(s->fd, &gw_ok, sizeof gw_ok)) {
        if (hl && hl <= sizeof hello && hello[0]) {
            hello[sizeof hello - 1] = '\0';
            lsi_say(msg, cap, "%s", hello);
        } else {
            (void)died(s, msg, cap);
        }
        lsi_ami_server_stop(s);
        *err = LS_EINVAL;
        return NULL;
    }
    *has_getwave = gw_ok;
    *err = LS_OK;
    return s;
}

/* A string of len bytes from the child into buf (truncated to cap); -1 when the child is gone. */
static int get_str(int fd, uint64_t len, char *buf, size_t cap)
{
    char tmp[4096];
    size_t kept = 0;
    while (len) {
        size_t k = len < sizeof tmp ? (size_t)len : sizeof tmp;
        if (get_all(fd, tmp, k))
            return -1;
        for (size_t i = 0; i < k && kept + 1 < cap; i++)
            buf[kept++] = tmp[i];
        len -= k;
    }
    if (cap)
        buf[kept < cap ? kept : cap - 1] = '\0';
    return 0;
}

ls_status lsi_ami_server_init(lsi_ami_server *s, double *impulse, size_t n_total, long rows, long aggressors,
                              double sample_s, double bit_s, const char *params_in, long *ret, char *pout,
                              size_t pout_cap, char *mmsg, size_t mmsg_cap, char *msg, size_t cap)
{
    if (s->dead)
        return died(s, msg, cap);
    request q = { .op = OP_INIT, .n = n_total, .len = strlen(params_in) + 1, .rows = rows, .aggressors = aggressors,
                  .sample_s = sample_s, .bit_s = bit_s };
    reply r;
    pout[0] = mmsg[0] = '\0';
    if (put_all(s->fd, &q, sizeof q) || put_all(s->fd, impulse, n_total * sizeof *impulse) ||
        put_all(s->fd, params_in, q.len) || get_all(s->fd, &r, sizeof r) ||
        get_all(s->fd, impulse, n_total * sizeof *impulse) || get_str(s->fd, r.len_out, pout, pout_cap) ||
        get_str(s->fd, r.len_msg, mmsg, mmsg_cap))
        return died(s, msg, cap);
    *ret = (long)r.ret;
    return LS_OK;
}

ls_status lsi_ami_server_getwave(lsi_ami_server *s, double *wave, size_t n, double *clock, long *ret, char *pout,
                                 size_t pout_cap, char *msg, size_t cap)
{
    if (s->dead)
        return died(s, msg, cap);
    request q = { .op = OP_GETWAVE, .n = n };
    reply r;
    if (put_all(s->fd, &q, sizeof q) || put_all(s->fd, wave, n * sizeof *wave) || get_all(s->fd, &r, sizeof r) ||
        get_all(s->fd, wave, n * sizeof *wave) || get_all(s->fd, clock, (n + 1) * sizeof *clock) ||
        get_str(s->fd, r.len_out, pout, pout_cap))
        return died(s, msg, cap);
    *ret = (long)r.ret;
    return LS_OK;
}

/* AMI_Close in the child; the child keeps serving (a re-Init may follow). */
ls_status lsi_ami_server_close(lsi_ami_server *s, long *ret, char *msg, size_t cap)
{
    if (s->dead)
        return died(s, msg, cap);
    request q = { .op = OP_CLOSE };
    reply r;
    if (put_all(s->fd, &q, sizeof q) || get_all(s->fd, &r, sizeof r))
        return died(s, msg, cap);
    *ret = (long)r.ret;
    return LS_OK;
}

void lsi_ami_server_stop(lsi_ami_server *s)
{
    if (!s)
        return;
    if (!s->dead) {
        request q = { .op = OP_QUIT };
        (void)put_all(s->fd, &q, sizeof q);
        close(s->fd);
        while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    free(s);
}

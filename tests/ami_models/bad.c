/*
 * Test IBIS-AMI model that misbehaves on request (parameter "mode"): init_error (AMI_Init returns 0
 * with a message), getwave_error (AMI_GetWave returns 0), nan (AMI_Init returns a NaN impulse),
 * nan_wave (AMI_GetWave returns NaN samples), crash_init / crash_getwave (SIGSEGV), ok (identity).
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_util.h"

typedef struct {
    char mode[32];
} bad;

static void crash(void)
{
    raise(SIGSEGV);
    abort();
}

AMI_EXPORT long AMI_Init(double *h, long rows, long aggressors, double dt, double ui, char *in, char **out,
                         void **mem, char **msg)
{
    (void)aggressors;
    (void)dt;
    (void)ui;
    static char m[128];
    bad *b = calloc(1, sizeof *b);
    *mem = b;
    *msg = m;
    *out = NULL;
    if (!b || ami_param(in, "mode", b->mode, sizeof b->mode))
        return 0;
    if (!strcmp(b->mode, "init_error")) {
        snprintf(m, sizeof m, "gain setting 99 is out of range (0..15)");
        return 0;
    }
    if (!strcmp(b->mode, "nan") && rows > 3)
        h[3] = NAN;
    if (!strcmp(b->mode, "crash_init"))
        crash();
    return 1;
}

AMI_EXPORT long AMI_GetWave(double *w, long n, double *clock, char **out, void *mem)
{
    bad *b = mem;
    *out = NULL;
    clock[0] = -1;
    if (!strcmp(b->mode, "getwave_error"))
        return 0;
    if (!strcmp(b->mode, "crash_getwave"))
        crash();
    if (!strcmp(b->mode, "nan_wave") && n > 0)
        w[n / 2] = NAN;
    return 1;
}

AMI_EXPORT long AMI_Close(void *mem)
{
    free(mem);
    return 1;
}

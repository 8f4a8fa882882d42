/*
 * Test IBIS-AMI model: a transmitter FFE with one pre-cursor and two post-cursor taps at UI spacing,
 *   y[n] = c_-1 x[n] + c_0 x[n - S] + c_1 x[n - 2S] + c_2 x[n - 3S],  c_0 = 1 - |c_-1| - |c_1| - |c_2|,
 * S = bit_time / sample_interval samples (one UI of delay makes the pre-cursor causal). AMI_Init
 * applies it to the impulse response (Init_Returns_Impulse), AMI_GetWave to the waveform.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_util.h"

typedef struct {
    double c[4];
    size_t S, len, pos;
    double *hist; /* the last 3 S + 1 inputs, circular */
    char out[256];
} ffe;

static double step(ffe *f, double x)
{
    f->hist[f->pos] = x;
    double y = 0;
    for (size_t k = 0; k < 4; k++)
        y += f->c[k] * f->hist[(f->pos + f->len - k * f->S) % f->len];
    f->pos = (f->pos + 1) % f->len;
    return y;
}

AMI_EXPORT long AMI_Init(double *h, long rows, long aggressors, double dt, double ui, char *in, char **out,
                         void **mem, char **msg)
{
    (void)aggressors;
    static char m[128];
    ffe *f = calloc(1, sizeof *f);
    *mem = f;
    *msg = m;
    if (!f)
        return 0;
    f->c[0] = ami_real(in, "c_pre1", 0);
    f->c[2] = ami_real(in, "c_post1", 0);
    f->c[3] = ami_real(in, "c_post2", 0);
    f->c[1] = 1 - fabs(f->c[0]) - fabs(f->c[2]) - fabs(f->c[3]);
    f->S = (size_t)lround(ui / dt);
    f->len = 3 * f->S + 1;
    if (!(f->hist = calloc(f->len, sizeof *f->hist)) || f->c[1] <= 0) {
        snprintf(m, sizeof m, "tx_ffe: taps leave no main cursor");
        return 0;
    }
    for (long i = 0; i < rows; i++) /* in place: history holds the originals */
        h[i] = step(f, h[i]);
    memset(f->hist, 0, f->len * sizeof *f->hist);
    f->pos = 0;
    snprintf(f->out, sizeof f->out, "(tx_ffe (c_main %.6f))", f->c[1]);
    *out = f->out;
    snprintf(m, sizeof m, "tx_ffe: main cursor %.4f", f->c[1]);
    return 1;
}

AMI_EXPORT long AMI_GetWave(double *w, long n, double *clock, char **out, void *mem)
{
    ffe *f = mem;
    for (long i = 0; i < n; i++)
        w[i] = step(f, w[i]);
    clock[0] = -1;
    *out = f->out;
    return 1;
}

AMI_EXPORT long AMI_Close(void *mem)
{
    ffe *f = mem;
    if (f)
        free(f->hist);
    free(f);
    return 1;
}

/*
 * Running an IBIS-AMI model (IBIS 7.x, Algorithmic Modeling Interface), its three C entry points:
 *   long AMI_Init(double *impulse_matrix, long row_size, long aggressors, double sample_interval,
 *                 double bit_time, char *AMI_parameters_in, char **AMI_parameters_out,
 *                 void **AMI_memory_handle, char **msg);
 *   long AMI_GetWave(double *wave, long wave_size, double *clock_times, char **AMI_parameters_out,
 *                    void *AMI_memory);
 *   long AMI_Close(void *AMI_memory);
 * Each returns 1 on success and 0 on failure. The impulse matrix holds the victim's impulse response
 * (row_size samples) followed by one column per aggressor; AMI_Init may overwrite the victim's
 * column with the equalized response (Init_Returns_Impulse). clock_times (wave_size + 1 entries here)
 * receives the recovered clock times, terminated by -1. The strings the model returns stay the
 * model's; they are copied at once. In this process (dlopen) or in a child process (ami_isolate.c).
 */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ami_internal.h"
#include "ls_internal.h"

#define OUT_CAP 65536

struct ls_ami_model {
    void *dl;
    lsi_ami_init_fn init;
    lsi_ami_getwave_fn getwave;
    lsi_ami_close_fn close;
    lsi_ami_server *srv;
    void *mem;
    int inited, has_gw;
    char label[LS_AMI_PATH_LEN];
    char pout[OUT_CAP];
    char mmsg[2048];
};

static void copy_str(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

ls_ami_model *ls_ami_model_open(const char *library, const char *label, int isolate, char *msg, size_t cap,
                                ls_status *err)
{
    ls_status st = LS_ENOMEM;
    ls_ami_model *m = calloc(1, sizeof *m);
    if (!m) {
        lsi_say(msg, cap, "out of memory");
        goto fail;
    }
    copy_str(m->label, sizeof m->label, label ? label : library);
    char why[600] = "";
    st = LS_EINVAL;
    if (isolate) {
        int has_gw = 0;
        if (!(m->srv = lsi_ami_server_start(library, &has_gw, why, sizeof why, &st)))
            goto fail_msg;
        m->has_gw = has_gw;
    } else {
        if (!(m->dl = dlopen(library, RTLD_NOW | RTLD_LOCAL))) {
            const char *e = dlerror();
            snprintf(why, sizeof why, "cannot load: %s", e ? e : "unknown reason");
            goto fail_msg;
        }
        lsi_ami_sym(m->dl, "AMI_Init", &m->init, sizeof m->init);
        lsi_ami_sym(m->dl, "AMI_GetWave", &m->getwave, sizeof m->getwave);
        lsi_ami_sym(m->dl, "AMI_Close", &m->close, sizeof m->close);
        m->has_gw = m->getwave != NULL;
        if (!m->init || !m->close) {
            snprintf(why, sizeof why, "the library lacks %s", !m->init ? "AMI_Init" : "AMI_Close");
            goto fail_msg;
        }
    }
    if (err)
        *err = LS_OK;
    return m;
fail_msg:
    lsi_say(msg, cap, "%s: %s", m->label, why);
fail:
    ls_ami_model_close(m);
    if (err)
        *err = st;
    return NULL;
}

int lsi_ami_model_has_getwave(const ls_ami_model *m)
{
    return m && m->has_gw;
}

static ls_status close_handle(ls_ami_model *m, char *msg, size_t cap)
{
    if (!m->inited)
        return LS_OK;
    m->inited = 0;
    long ret = 1;
    ls_status st = LS_OK;
    if (m->srv)
        st = lsi_ami_server_close(m->srv, &ret, msg, cap);
    else
        ret = m->close(m->mem);
    m->mem = NULL;
    if (st == LS_OK && ret != 1) {
        lsi_say(msg, cap, "%s: AMI_Close returned %ld", m->label, ret);
        st = LS_EINVAL;
    }
    return st;
}

ls_status ls_ami_model_init(ls_ami_model *m, double *impulse, size_t rows, size_t aggressors, double sample_s,
                            double bit_s, const char *params_in, char *msg, size_t cap)
{
    if (!m || !impulse || !rows || !params_in)
        return LS_EINVAL;
    char why[600];
    ls_status st = close_handle(m, why, sizeof why); /* a second Init starts over */
    if (st != LS_OK) {
        lsi_say(msg, cap, "%s", why);
        return st;
    }
    long ret;
    const size_t n = rows * (1 + aggressors);
    if (m->srv) {
        if ((st = lsi_ami_server_init(m->srv, impulse, n, (long)rows, (long)aggressors, sample_s, bit_s, params_in,
                                      &ret, m->pout, sizeof m->pout, m->mmsg, sizeof m->mmsg, why, sizeof why)) !=
            LS_OK) {
            lsi_say(msg, cap, "%s: AMI_Init: %s", m->label, why);
            return st;
        }
    } else {
        size_t l = strlen(params_in) + 1;
        char *pin = malloc(l), *pout = NULL, *mm = NULL;
        if (!pin)
            return LS_ENOMEM;
        memcpy(pin, params_in, l);
        ret = m->init(impulse, (long)rows, (long)aggressors, sample_s, bit_s, pin, &pout, &m->mem, &mm);
        free(pin);
        copy_str(m->pout, sizeof m->pout, pout);
        copy_str(m->mmsg, sizeof m->mmsg, mm);
    }
    m->inited = 1; /* AMI_Close follows on every path, a failed Init included */
    if (ret != 1) {
        lsi_say(msg, cap, "%s: AMI_Init failed (returned %ld): %s", m->label, ret,
            m->mmsg[0] ? m->mmsg : "the model gave no message");
        return LS_EINVAL;
    }
    for (size_t i = 0; i < rows; i++)
        if (!isfinite(impulse[i])) {
            lsi_say(msg, cap, "%s: AMI_Init returned a non-finite impulse response (sample %zu)%s%s", m->label, i,
                m->mmsg[0] ? ": " : "", m->mmsg);
            return LS_EINVAL;
        }
    return LS_OK;
}

ls_status ls_ami_model_getwave(ls_ami_model *m, double *wave, size_t n, double *clock, size_t *n_clock, char *msg,
                               size_t cap)
{
    if (!m || !m->inited || !m->has_gw) {
        lsi_say(msg, cap, "%s: AMI_GetWave %s", m ? m->label : "model", m && !m->has_gw ? "is missing" : "before Init");
        return LS_ESTATE;
    }
    long ret;
    char why[600];
    if (m->srv) {
        ls_status st = lsi_ami_server_getwave(m->srv, wave, n, clock, &ret, m->pout, sizeof m->pout, why, sizeof why);
        if (st != LS_OK) {
            lsi_say(msg, cap, "%s: AMI_GetWave: %s", m->label, why);
            return st;
        }
    } else {
        char *pout = NULL;
        for (size_t i = 0; i <= n; i++)
            clock[i] = -1.0;
        ret = m->getwave(wave, (long)n, clock, &pout, m->mem);
        if (pout)
            copy_str(m->pout, sizeof m->pout, pout);
    }
    if (ret != 1) {
        lsi_say(msg, cap, "%s: AMI_GetWave failed (returned %ld)", m->label, ret);
        return LS_EINVAL;
    }
    size_t k = 0;
    while (k <= n && clock[k] != -1.0 && isfinite(clock[k]))
        k++;
    *n_clock = k;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(wave[i])) {
            lsi_say(msg, cap, "%s: AMI_GetWave returned a non-finite sample (%zu of %zu)", m->label, i, n);
            return LS_EINVAL;
        }
    return LS_OK;
}

const char *ls_ami_model_params_out(const ls_ami_model *m)
{
    return m ? m->pout : "";
}

const char *ls_ami_model_message(const ls_ami_model *m)
{
    return m ? m->mmsg : "";
}

void ls_ami_model_close(ls_ami_model *m)
{
    if (!m)
        return;
    char why[600];
    (void)close_handle(m, why, sizeof why);
    lsi_ami_server_stop(m->srv);
    if (m->dl)
        dlclose(m->dl);
    free(m);
}

/* Status code descriptions (table lookup) and the one-line error-message helper. */
#include <stdarg.h>
#include <stdio.h>

#include "ls_internal.h"
#include "lanesim/status.h"

const char *ls_strerror(ls_status s)
{
    switch (s) {
    case LS_OK: return "success";
    case LS_EINVAL: return "invalid argument";
    case LS_ENOMEM: return "out of memory";
    case LS_ESTATE: return "invalid state";
    case LS_EFFT: return "FFT planning failed";
    case LS_EIO: return "input/output error";
    case LS_EINTERNAL: return "internal error";
    }
    return "unknown status";
}

void lsi_say(char *msg, size_t cap, const char *fmt, ...)
{
    if (!msg || !cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, cap, fmt, ap);
    va_end(ap);
}

/* Status code descriptions (table lookup). */
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

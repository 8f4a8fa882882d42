/*
 * Fuzz target: INI files (ls_config_load_ini), then the link they describe (ls_link_create, one
 * short frame). The input is the file. Inputs over 16 KB are skipped.
 *
 * Findings: a sanitizer report, a crash, a timeout, or an abort from a broken contract: a failed
 * load without a one-line "FILE:LINE: reason" (or "FILE: reason") message, LS_EINTERNAL, a link
 * that fails its first frame (fuzz_util.c: fz_link).
 */
#include <string.h>

#include "fuzz_util.h"
#include "lanesim/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n > 16384)
        return 0;
    const char *path = fz_write("in.ini", d, n);
    char msg[512];
    memset(msg, 'x', sizeof msg);
    ls_status err = LS_OK;
    ls_config *c = ls_config_load_ini(path, msg, sizeof msg, &err);
    if (!c) {
        fz_check_failure("ls_config_load_ini", err, msg, sizeof msg);
        if (strncmp(msg, path, strlen(path)))
            fz_fail("ls_config_load_ini: the message does not start with the file name");
        return 0;
    }
    fz_link(c);
    ls_config_destroy(c);
    return 0;
}

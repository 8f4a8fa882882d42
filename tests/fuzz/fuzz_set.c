/*
 * Fuzz target: `-s KEY=VALUE` on every preset. Byte 0 chooses the preset (index modulo
 * ls_preset_count(), so every preset is reached); the rest is split into lines, each applied with
 * ls_config_set_assignment (at most 32). When every line is accepted, the link is built and run for
 * one short frame (fuzz_util.c: fz_link). Inputs over 4 KB are skipped.
 *
 * Findings: a sanitizer report, a crash, a timeout, or an abort from a broken contract: a refused
 * assignment without a one-line message or that changes the configuration (ls_config_set: "on
 * failure the config is unchanged"), LS_EINTERNAL, a link that fails its first frame.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "lanesim/config.h"

/* 0 when a and b hold the same values */
static int config_differs(const ls_config *a, const ls_config *b)
{
    size_t n = ls_config_count(a);
    if (n != ls_config_count(b))
        return 1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(ls_config_text(a, i), ls_config_text(b, i)))
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 1 || n > 4096)
        return 0;
    size_t np = ls_preset_count();
    if (np == 0)
        fz_fail("no presets");
    const char *preset = ls_preset_name(d[0] % np);
    char msg[512];
    ls_status err = LS_OK;
    ls_config *c = ls_config_create(preset, msg, sizeof msg, &err);
    if (!c)
        fz_fail("a preset of the table cannot be created");
    char *lines[32];
    size_t nl = 0;
    char *buf = fz_lines(d + 1, n - 1, lines, 32, &nl);
    int ok = buf != NULL;
    for (size_t i = 0; ok && i < nl; i++) {
        ls_config *before = ls_config_copy(c);
        memset(msg, 'x', sizeof msg);
        ls_status st = ls_config_set_assignment(c, lines[i], msg, sizeof msg);
        if (st != LS_OK) {
            fz_check_failure("ls_config_set_assignment", st, msg, sizeof msg);
            if (before && config_differs(before, c))
                fz_fail("ls_config_set_assignment failed and changed the configuration");
            ok = 0;
        }
        ls_config_destroy(before);
    }
    if (ok)
        fz_link(c);
    free(buf);
    ls_config_destroy(c);
    return 0;
}

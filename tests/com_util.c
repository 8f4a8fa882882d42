/* Shared helper of the COM tests: see com_util.h. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "com_util.h"
#include "util.h"

ls_com_config *ls_test_com_config(const char *name, const char *const *kv)
{
    char path[1024], msg[512] = "";
    snprintf(path, sizeof path, LS_SOURCE_DIR "/channels/copper/com/%s.csv", name);
    ls_status st;
    ls_com_config *c = ls_com_config_read(path, msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    for (size_t k = 0; kv && kv[k]; k += 2) cr_assert(eq(int, ls_com_config_set(c, kv[k], kv[k + 1], msg, sizeof msg), LS_OK), "%s", msg);
    return c;
}

int ls_test_com_channel(const char *file, char *path, size_t cap)
{
    const char *dir = ls_test_shared_dir();
    if (!dir && access(LS_SHARED_DIR "/channels", R_OK) == 0) dir = LS_SHARED_DIR;
    if (!dir) return -1;
    snprintf(path, cap, "%s/channels/%s", dir, file);
    return access(path, R_OK) ? -1 : 0;
}

int ls_test_com_shared(const char *cfg, const char *file, const char *const *kv, ls_com_result *r, double *sec)
{
    char thru[1024], msg[512] = "";
    if (ls_test_com_channel(file, thru, sizeof thru)) return -1;
    ls_com_config *c = ls_test_com_config(cfg, kv);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ls_status st = ls_com_run(c, thru, NULL, 0, NULL, 0, r, msg, sizeof msg);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ls_com_config_destroy(c);
    *sec = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    cr_assert(eq(int, st, LS_OK), "%s", msg);
    return 0;
}

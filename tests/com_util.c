/* Shared helper of the COM tests: see com_util.h. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "com_util.h"
#include "util.h"

int ls_test_com_shared(const char *cfg, const char *file, const char *const *kv, ls_com_result *r, double *sec)
{
    const char *dir = ls_test_shared_dir();
    if (!dir && access(LS_SHARED_DIR "/channels", R_OK) == 0) dir = LS_SHARED_DIR;
    char thru[1024], path[1024], msg[512] = "";
    if (dir) snprintf(thru, sizeof thru, "%s/channels/%s", dir, file);
    if (!dir || access(thru, R_OK)) return -1;
    snprintf(path, sizeof path, LS_SOURCE_DIR "/channels/copper/com/%s.csv", cfg);
    ls_status st;
    ls_com_config *c = ls_com_config_read(path, msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    for (size_t k = 0; kv && kv[k]; k += 2) cr_assert(eq(int, ls_com_config_set(c, kv[k], kv[k + 1], msg, sizeof msg), LS_OK), "%s", msg);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    st = ls_com_run(c, thru, NULL, 0, NULL, 0, r, msg, sizeof msg);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ls_com_config_destroy(c);
    *sec = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    cr_assert(eq(int, st, LS_OK), "%s", msg);
    return 0;
}

/* Shared test helpers (tests/util.c). */
#ifndef LS_TEST_UTIL_H
#define LS_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/** The test seed: $LS_TEST_SEED if set (decimal), else dflt. Print it in failure messages. */
uint64_t ls_test_seed(uint64_t dflt);
/** x[i] uniform in [-1, 1), deterministic for the seed (independent of lanesim's RNG). */
void fill_uniform(float *x, size_t n, uint64_t seed);
/** True when the file exists and is readable. */
int ls_test_file_exists(const char *path);
/** Path of the shared test-data folder (../shared beside the source tree), or NULL if absent. */
const char *ls_test_shared_dir(void);
/** Runs a shell command, captures stdout+stderr into out (truncated to cap) and returns its exit status. */
int ls_test_run(const char *cmd, char *out, size_t cap);

/** True when sub occurs in s (criterion asserts need an int expression). */
static inline int ls_has(const char *s, const char *sub)
{
    return strstr(s, sub) != NULL;
}

#endif

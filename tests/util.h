/* Shared test helpers (tests/util.c). */
#ifndef LS_TEST_UTIL_H
#define LS_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/** The test seed: $LS_TEST_SEED if set (a decimal number), else dflt. A test that draws random data
 *  picks its seed with this and reports it through ls_assert_seeded / ls_expect_seeded. */
uint64_t ls_test_seed(uint64_t dflt);

/** printf into a per-thread buffer (valid until the next call): the message of the two macros below. */
const char *ls_test_msg(const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/**
 * cr_assert / cr_expect for an outcome that depends on a seed: on failure the message (printf
 * format and arguments, at least the format) ends with " [LS_TEST_SEED=<seed>]", so that
 * `LS_TEST_SEED=<seed> ./test_x` replays the failing draw. Pass the seed the test got from
 * ls_test_seed (not one derived from it). cond may be a Criterion criterion (eq(int, a, b), ...).
 * Arguments are evaluated only on failure, as with cr_assert.
 */
#define ls_assert_seeded(cond, seed, ...)                                                          \
    cr_assert(cond, "%s [LS_TEST_SEED=%llu]", ls_test_msg(__VA_ARGS__), (unsigned long long)(seed))
#define ls_expect_seeded(cond, seed, ...)                                                          \
    cr_expect(cond, "%s [LS_TEST_SEED=%llu]", ls_test_msg(__VA_ARGS__), (unsigned long long)(seed))
/** x[i] uniform in [-1, 1), deterministic for the seed (independent of lanesim's RNG). */
void fill_uniform(float *x, size_t n, uint64_t seed);
/** True when the file exists and is readable. */
int ls_test_file_exists(const char *path);
/** Path of the shared test-data folder (../shared beside the source tree), or NULL if absent. */
const char *ls_test_shared_dir(void);
/** The file's contents as a string (at most 1 MiB; truncated beyond) in a buffer that the next call
 *  reuses, or NULL when it cannot be opened. */
const char *ls_test_slurp(const char *path);
/** Runs a shell command, captures stdout+stderr into out (truncated to cap) and returns its exit status. */
int ls_test_run(const char *cmd, char *out, size_t cap);

/** True when sub occurs in s (criterion asserts need an int expression). */
static inline int ls_has(const char *s, const char *sub)
{
    return strstr(s, sub) != NULL;
}

#endif

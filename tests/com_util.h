/* Shared helper of the COM tests (tests/com_util.c): one shipped configuration on one ../shared channel. */
#ifndef LS_TEST_COM_UTIL_H
#define LS_TEST_COM_UTIL_H
#include "lanesim/com.h"

/** Runs the shipped configuration cfg (channels/copper/com/CFG.csv) with kv (NULL-terminated KEY, VALUE pairs
 *  set on it, or NULL) on ../shared/channels/FILE into r, asserting (Criterion) that each step succeeds; *sec:
 *  the run's wall time. Returns -1 without running when the channel is absent (the caller skips), else 0. */
int ls_test_com_shared(const char *cfg, const char *file, const char *const *kv, ls_com_result *r, double *sec);
/** The shipped configuration NAME (channels/copper/com/NAME.csv) with kv (NULL-terminated KEY, VALUE pairs, or NULL)
 *  set on it, asserting (Criterion) each step; ls_com_config_destroy it. */
ls_com_config *ls_test_com_config(const char *name, const char *const *kv);
/** The path of ../shared/channels/FILE into path[cap]: 0, or -1 when it is absent (the caller skips). */
int ls_test_com_channel(const char *file, char *path, size_t cap);
#endif

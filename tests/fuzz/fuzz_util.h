/* Shared helpers of the libFuzzer targets (tests/fuzz/, docs/robustness.md). */
#ifndef LS_FUZZ_UTIL_H
#define LS_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/status.h"

/** This process's scratch folder (created on first use under $TMPDIR or /tmp, removed at exit). */
const char *fz_dir(void);

/**
 * Writes d[0..n) to the file NAME in fz_dir() and returns its path (a static buffer, valid until
 * the next call); aborts when it cannot (a harness failure, not a finding).
 */
const char *fz_write(const char *name, const uint8_t *d, size_t n);

/**
 * The error contract of a failed call: a status other than LS_OK, and a one-line, non-empty
 * message in msg (NUL-terminated within cap). Aborts (a finding) when it is broken; `what` names
 * the call in the report.
 */
void fz_check_failure(const char *what, ls_status err, const char *msg, size_t cap);

/** Aborts with "lanesim fuzz: CONTRACT: what" on stderr (a finding). */
void fz_fail(const char *what) __attribute__((noreturn));

/**
 * The lines of d[0..n) as NUL-terminated strings in a fresh buffer: *lines gets up to cap
 * pointers into it (a NUL byte also ends a line). Returns the buffer (free it) and sets *count.
 */
char *fz_lines(const uint8_t *d, size_t n, char **lines, size_t cap, size_t *count);

#endif

struct ls_config;
/**
 * Builds the link of c (a small chunk), checks its info for finite figures, simulates one short
 * frame, and destroys it. A failure must keep the error contract; LS_EINTERNAL is a finding. Keys
 * that only make the build slow (samples per UI, FFE taps, MLSE depth, the COM CTLE search) are
 * first capped on a copy of c, so that an execution stays in milliseconds (docs/robustness.md).
 */
void fz_link(const struct ls_config *c);

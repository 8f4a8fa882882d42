/* The machinery and the shared fixtures of the API-abuse tests (tests/test_api*.c; the coverage,
 * the exclusions and the parts are listed in tests/test_api.c). Each part is its own executable, so
 * every helper is static inline and every scratch buffer unused-tolerant: a part uses only some. */
#ifndef LS_TEST_API_UTIL_H
#define LS_TEST_API_UTIL_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lanesim/ber.h"
#include "lanesim/block.h"
#include "lanesim/cfftfilt.h"
#include "lanesim/config.h"
#include "lanesim/ctle.h"
#include "lanesim/energy.h"
#include "lanesim/eqsolve.h"
#include "lanesim/eye.h"
#include "lanesim/fec.h"
#include "lanesim/fftfilt.h"
#include "lanesim/filter.h"
#include "lanesim/link.h"
#include "lanesim/mlse.h"
#include "lanesim/noise.h"
#include "lanesim/optrx.h"
#include "lanesim/optx.h"
#include "lanesim/pam.h"
#include "lanesim/prbs.h"
#include "lanesim/reach.h"
#include "lanesim/rng.h"
#include "lanesim/run.h"
#include "lanesim/rx.h"
#include "lanesim/stateye.h"
#include "lanesim/stats.h"
#include "lanesim/status.h"
#include "lanesim/tline.h"
#include "lanesim/touchstone.h"
#include "lanesim/tx.h"
#include "lanesim/xtalk.h"

/* ---------------------------------------------------------------------------------------------
 * The machinery: a row is (name, expected result, body); the body returns the observed result.
 */

/* Results that are not status codes. */
enum {
    R_NOT_NULL = 1000,        /* a creator returned an object */
    R_ERR_UNSET = 1001,       /* a creator returned NULL without setting *err */
    R_OUT_NOT_CLEARED = 1002, /* an into_block maker failed without clearing *out */
    R_NOT_NAN = 1003,         /* a pure function returned a number for an invalid argument */
    R_WRONG_VALUE = 1004      /* a documented return value (0, NULL, -1) was not returned */
};

/* What *err holds before a creator runs: distinguishable from every status code. */
#define ERR_UNSET ((ls_status)0x5a5a)

typedef struct {
    const char *name;
    int (*call)(void);
    int expect;
} api_case;

static inline const char *describe(int r)
{
    switch (r) {
    case R_NOT_NULL: return "an object (not NULL)";
    case R_ERR_UNSET: return "NULL with *err not set";
    case R_OUT_NOT_CLEARED: return "failure with *out not cleared";
    case R_NOT_NAN: return "a number (not NaN)";
    case R_WRONG_VALUE: return "a value other than the documented one";
    default: return ls_strerror((ls_status)r);
    }
}

static inline void run_case(const api_case *c)
{
    if (getenv("LS_API_TRACE"))
        fprintf(stderr, "row %s\n", c->name);
    int got = c->call();
    cr_assert(eq(int, got, c->expect), "%s: got %d (%s), want %d (%s)", c->name, got, describe(got),
              c->expect, describe(c->expect));
}

/* Body helpers. Each ends the body with a return. */

/* A creator: `expr` uses `&err`; NULL with *err set is the pass (returns *err). */
#define CREATE(expr, destroy_fn)                                                                   \
    do {                                                                                           \
        ls_status err = ERR_UNSET;                                                                 \
        void *obj_ = (void *)(expr);                                                               \
        if (obj_) {                                                                                \
            destroy_fn(obj_);                                                                      \
            return R_NOT_NULL;                                                                     \
        }                                                                                          \
        return err == ERR_UNSET ? R_ERR_UNSET : (int)err;                                          \
    } while (0)

/* The fixture a table's rows modify is valid: the creator succeeds (returns LS_OK). */
#define CREATE_OK(expr, destroy_fn)                                                                \
    do {                                                                                           \
        ls_status err = ERR_UNSET;                                                                 \
        void *obj_ = (void *)(expr);                                                               \
        if (!obj_)                                                                                 \
            return err == ERR_UNSET ? R_ERR_UNSET : (int)err;                                      \
        destroy_fn(obj_);                                                                          \
        return err == LS_OK ? LS_OK : R_ERR_UNSET;                                                 \
    } while (0)

/* A creator called with err == NULL: must return NULL without crashing (returns LS_EINVAL). */
#define CREATE_NOERR(expr, destroy_fn)                                                             \
    do {                                                                                           \
        void *obj_ = (void *)(expr);                                                               \
        if (obj_) {                                                                                \
            destroy_fn(obj_);                                                                      \
            return R_NOT_NULL;                                                                     \
        }                                                                                          \
        return LS_EINVAL;                                                                          \
    } while (0)

/* An into_block maker: `expr` uses `&out`; on failure *out must be cleared. */
static __attribute__((unused)) const ls_block_ops sentinel_ops = {.name = "sentinel"};
#define BLOCK(expr)                                                                                \
    do {                                                                                           \
        ls_block out = {&sentinel_ops, (void *)&sentinel_ops};                                     \
        ls_status s_ = (expr);                                                                     \
        if (s_ == LS_OK) {                                                                         \
            ls_block_destroy(&out);                                                                \
            return LS_OK;                                                                          \
        }                                                                                          \
        if (out.ops || out.self)                                                                   \
            return R_OUT_NOT_CLEARED;                                                              \
        return s_;                                                                                 \
    } while (0)

/* A status call. */
#define STATUS(expr) return (int)(expr)
/* A pure function whose invalid-argument answer is NaN. */
#define NAN_OF(expr) return isnan(expr) ? LS_EINVAL : R_NOT_NAN
/* A call with a documented plain return value. */
#define RETURNS(expr, want) return (expr) == (want) ? LS_OK : R_WRONG_VALUE
/* A void call that must merely survive. */
#define SURVIVES(stmt)                                                                             \
    do {                                                                                           \
        stmt;                                                                                      \
        return LS_OK;                                                                              \
    } while (0)

/* A table TABLE(X) of rows X(name, expect, body...) becomes one function per row and the test
 * api::<suite>, which runs every row in one process (fast: each part takes well under a
 * second). Built with -DLS_API_ISOLATE, each row runs in its own process instead (a parameterized
 * test), so that a crashing row fails alone: use it when adding rows. */
#define API_FN(name, expect, ...)                                                                  \
    static int name(void)                                                                          \
    {                                                                                              \
        __VA_ARGS__;                                                                               \
    }
#define API_ROW(name, expect, ...) {#name, name, expect},
#define N_ROWS(a) (sizeof(a) / sizeof(a)[0])
#ifndef LS_API_ISOLATE
static inline void run_table(const api_case *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int got = rows[i].call();
        cr_expect(eq(int, got, rows[i].expect), "%s: got %d (%s), want %d (%s)", rows[i].name, got,
                  describe(got), rows[i].expect, describe(rows[i].expect));
    }
}
#define API_TABLE(suite, TABLE, ...)                                                               \
    TABLE(API_FN)                                                                                  \
    static const api_case suite##_cases[] = {TABLE(API_ROW)};                                      \
    Test(api, suite, __VA_ARGS__)                                                                  \
    {                                                                                              \
        run_table(suite##_cases, N_ROWS(suite##_cases));                                           \
    }
#else
/* The parameters are row indices in Criterion's shared memory: the worker may be a new process
 * image (other addresses), so they hold no pointers. */
static inline void free_rows(struct criterion_test_params *p)
{
    cr_free(p->params);
}
static inline struct criterion_test_params row_indices(size_t n)
{
    size_t *ix = cr_malloc(n * sizeof *ix);
    for (size_t i = 0; i < n; i++)
        ix[i] = i;
    return cr_make_param_array(size_t, ix, n, free_rows);
}
#define API_TABLE(suite, TABLE, ...)                                                               \
    TABLE(API_FN)                                                                                  \
    static const api_case suite##_cases[] = {TABLE(API_ROW)};                                      \
    ParameterizedTestParameters(api, suite)                                                        \
    {                                                                                              \
        return row_indices(N_ROWS(suite##_cases));                                                 \
    }                                                                                              \
    ParameterizedTest(size_t *row, api, suite, __VA_ARGS__)                                        \
    {                                                                                              \
        run_case(&suite##_cases[*row]);                                                            \
    }
#endif

/* A contract violation these tests found (see its DEFECT comment): its own test, which fails if the
 * defect comes back. All of them are fixed in the library. */
#define API_DEFECT(name, expect, ...)                                                              \
    API_FN(name, expect, __VA_ARGS__)                                                              \
    Test(api_defect, name)                                                                         \
    {                                                                                              \
        const api_case c = {#name, name, expect};                                                  \
        run_case(&c);                                                                              \
    }


/* ---------------------------------------------------------------------------------------------
 * Shared fixtures.
 */

static inline ls_prbs *prbs_ok(void)
{
    ls_prbs_config c;
    ls_prbs_config_init(&c);
    return ls_prbs_create(&c, NULL);
}

static inline ls_tx_config tx_cfg(void)
{
    ls_tx_config c;
    ls_tx_config_init(&c);
    c.sps = 4;
    c.max_ui = 16;
    return c;
}
static inline ls_tx *tx_ok(void)
{
    ls_tx_config c = tx_cfg();
    return ls_tx_create(&c, NULL);
}

static inline ls_rx_config rx_cfg(void)
{
    ls_rx_config c;
    ls_rx_config_init(&c);
    c.sps = 4;
    c.max_samples = 64;
    return c;
}
static inline ls_rx *rx_ok(void)
{
    ls_rx_config c = rx_cfg();
    return ls_rx_create(&c, NULL);
}
/* An rx configuration broken by stmt (rx.h rows and the rx DEFECT tests). */
#define RX_BAD(stmt) ls_rx_config c = rx_cfg(); stmt; CREATE(ls_rx_create(&c, &err), ls_rx_destroy)

static inline ls_ctle_config ctle_cfg(void)
{
    ls_ctle_config c;
    ls_ctle_config_init(&c);
    return c;
}
static inline ls_ctle_config ctle_pk(void)
{
    ls_ctle_config c = ctle_cfg();
    c.form = LS_CTLE_PEAKING;
    return c;
}

static inline ls_lowpass_config lp_cfg(ls_lp_type t)
{
    ls_lowpass_config c;
    ls_lowpass_config_init(&c);
    c.type = t;
    return c;
}

static inline ls_awgn_config awgn_cfg(double sigma)
{
    ls_awgn_config c = {sigma, 1};
    return c;
}

static inline ls_eye_config eye_cfg(void)
{
    ls_eye_config c;
    ls_eye_config_init(&c);
    c.sps = 4;
    c.n_bins = 16;
    return c;
}
static inline ls_eye *eye_ok(void)
{
    ls_eye_config c = eye_cfg();
    return ls_eye_create(&c, NULL);
}

static inline ls_ber_config ber_cfg(void)
{
    ls_ber_config c;
    ls_ber_config_init(&c);
    return c;
}
static inline ls_ber *ber_ok(void)
{
    ls_ber_config c = ber_cfg();
    return ls_ber_create(&c, NULL);
}

/* Two LTI blocks (a low-pass) and one stateful block (AWGN) for the design calls (cfftfilt.h)
 * and the channel, optical and crosstalk rows. */
static inline ls_block lti_block(void)
{
    ls_lowpass_config c = lp_cfg(LS_LP_BESSEL);
    ls_block b = {NULL, NULL};
    ls_status s = ls_lowpass_into_block(&c, &b);
    cr_assert(s == LS_OK, "lowpass block: %s", ls_strerror(s));
    return b;
}
static inline ls_block awgn_block(void)
{
    ls_awgn_config c = awgn_cfg(0.1);
    ls_block b = {NULL, NULL};
    ls_status s = ls_awgn_into_block(&c, &b);
    cr_assert(s == LS_OK, "awgn block: %s", ls_strerror(s));
    return b;
}
/* Temporary files for the touchstone.h and config.h rows: $TMPDIR (or /tmp), removed by the row. */
static inline void ts_path(char *buf, size_t cap, const char *tag, const char *ext)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, cap, "%s/ls_api_%s_%d%s", dir && *dir ? dir : "/tmp", tag, (int)getpid(), ext);
}
/* Writes text to a fresh temporary file (the path in buf). */
static inline void ts_write(char *buf, size_t cap, const char *tag, const char *ext, const char *text)
{
    ts_path(buf, cap, tag, ext);
    FILE *f = fopen(buf, "w");
    cr_assert(f != NULL, "cannot write %s", buf);
    fputs(text, f);
    fclose(f);
}

/* Scratch buffers for process calls (unused in some parts). */
static __attribute__((unused)) uint8_t u8buf[4096], u8buf2[4096];
static __attribute__((unused)) float fbuf[4096];
static __attribute__((unused)) double dbuf[64];
static __attribute__((unused)) const double freqs[4] = {0.0, 1e9, 1e10, 5e10};
static __attribute__((unused)) double complex hbuf[64];

#endif

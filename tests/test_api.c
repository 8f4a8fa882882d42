/* Argument checking of the public entry points (the headers in include/lanesim), table-driven.
 *
 * Every row calls one create / into_block / process / run / reset / validate entry point with a
 * NULL pointer, a zero size or count, or an out-of-range configuration value (0, negative, NaN,
 * infinite, past an enum or a limit), and states what the header promises: LS_EINVAL (creators:
 * NULL with *err == LS_EINVAL, and no crash with err == NULL; into_block makers: LS_EINVAL with
 * *out cleared), LS_EIO for a missing file, or LS_OK where the header allows it (n == 0 with NULL
 * buffers). Pure functions without a status (fec, stats, span/delay/loss helpers) answer an
 * invalid argument with NaN, checked as such; getters documented for NULL (0, NULL, -1) are
 * checked too. Every destroy is called with NULL, and every block maker's ops->destroy(NULL).
 * One `*_ok` row per table checks that the fixture the other rows break is valid.
 * Rows that violated the contract when the file was written are the DEFECT tests at the end of the
 * file; the library is fixed and they run with the rest.
 *
 * Covered: block.h (ls_block_destroy), ber.h, cfftfilt.h, config.h, ctle.h, energy.h, eqsolve.h,
 * eye.h, fec.h, fftfilt.h, filter.h, link.h, mlse.h, noise.h, optrx.h, optx.h, pam.h, prbs.h,
 * reach.h, rng.h, run.h, rx.h, stateye.h, stats.h, status.h (ls_strerror, in the messages),
 * tline.h, touchstone.h, tx.h, xtalk.h.
 *
 * Deliberately excluded:
 *  - the block ops reached through ls_block_ops (process, reset, reseed, response, linearize, ...):
 *    hot-path callbacks the link assembler calls on blocks it built; block.h gives them no
 *    argument checks (only destroy is NULL-safe, and that is tested);
 *  - void functions and getters of a valid object with no error channel and no documented NULL
 *    behaviour (a NULL there is a precondition violation, not an input error):
 *    ls_pam_precode / decode / slice, ls_tx_ffe_taps / level_values / noise_var / latency,
 *    ls_rx_get_stats, ls_mlse_latency, ls_ber_get_counts / counts_add / results_from_counts,
 *    ls_link_get_info / pulse / pulse_eq / get_rx_stats, ls_touchstone_ports / points / freq_hz /
 *    s / z0 / path, ls_config_preset / count / def / text / find / real / int / bool / str / list
 *    on a NULL configuration, ls_energy_part_mw with a NULL result, ls_preset_name / summary;
 *  - ls_rng_seed / ls_rng_u64 / ls_rng_jump / ls_rng_gauss with a NULL generator and
 *    ls_fec_cer_random / ls_fec_post_ber_random with a NULL code: documented as "not NULL";
 *  - the *_config_init functions (void; the NULL-safe ones are not worth a row);
 *  - ls_link_run_frame and ls_run beyond their NULL arguments: their counts (n_warm, n_count,
 *    run.*) are validated by ls_config_set (config rows) or have no invalid value in the header.
 *
 * Each table is one test (one process: the file runs in well under a second on an idle machine).
 * Built with -DLS_API_ISOLATE every row runs in its own process (a parameterized test), so that a
 * crashing row fails alone; LS_API_TRACE=1 prints each row's name before it runs.
 */
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

static const char *describe(int r)
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

static void run_case(const api_case *c)
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
static const ls_block_ops sentinel_ops = {.name = "sentinel"};
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
 * api::<suite>, which runs every row in one process (fast: the whole file takes well under a
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
static void run_table(const api_case *rows, size_t n)
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
static void free_rows(struct criterion_test_params *p)
{
    cr_free(p->params);
}
static struct criterion_test_params row_indices(size_t n)
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

/* A contract violation this file found (see its DEFECT comment): its own test, which fails if the
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

static ls_prbs *prbs_ok(void)
{
    ls_prbs_config c;
    ls_prbs_config_init(&c);
    return ls_prbs_create(&c, NULL);
}

static ls_tx_config tx_cfg(void)
{
    ls_tx_config c;
    ls_tx_config_init(&c);
    c.sps = 4;
    c.max_ui = 16;
    return c;
}
static ls_tx *tx_ok(void)
{
    ls_tx_config c = tx_cfg();
    return ls_tx_create(&c, NULL);
}

static ls_rx_config rx_cfg(void)
{
    ls_rx_config c;
    ls_rx_config_init(&c);
    c.sps = 4;
    c.max_samples = 64;
    return c;
}
static ls_rx *rx_ok(void)
{
    ls_rx_config c = rx_cfg();
    return ls_rx_create(&c, NULL);
}

static ls_ctle_config ctle_cfg(void)
{
    ls_ctle_config c;
    ls_ctle_config_init(&c);
    return c;
}
static ls_ctle_config ctle_pk(void)
{
    ls_ctle_config c = ctle_cfg();
    c.form = LS_CTLE_PEAKING;
    return c;
}

static ls_lowpass_config lp_cfg(ls_lp_type t)
{
    ls_lowpass_config c;
    ls_lowpass_config_init(&c);
    c.type = t;
    return c;
}

static ls_awgn_config awgn_cfg(double sigma)
{
    ls_awgn_config c = {sigma, 1};
    return c;
}

static ls_eye_config eye_cfg(void)
{
    ls_eye_config c;
    ls_eye_config_init(&c);
    c.sps = 4;
    c.n_bins = 16;
    return c;
}
static ls_eye *eye_ok(void)
{
    ls_eye_config c = eye_cfg();
    return ls_eye_create(&c, NULL);
}

static ls_ber_config ber_cfg(void)
{
    ls_ber_config c;
    ls_ber_config_init(&c);
    return c;
}
static ls_ber *ber_ok(void)
{
    ls_ber_config c = ber_cfg();
    return ls_ber_create(&c, NULL);
}

/* Scratch buffers for process calls. */
static uint8_t u8buf[4096], u8buf2[4096];
static float fbuf[4096];
static double dbuf[64];
static const double freqs[4] = {0.0, 1e9, 1e10, 5e10};
static double complex hbuf[64];

/* ---------------------------------------------------------------------------------------------
 * prbs.h
 */
#define PRBS_ROWS(X)                                                                               \
    X(prbs_create_ok, LS_OK, ls_prbs_config c; ls_prbs_config_init(&c);                           \
      CREATE_OK(ls_prbs_create(&c, &err), ls_prbs_destroy))                                        \
    X(prbs_create_null_cfg, LS_EINVAL, CREATE(ls_prbs_create(NULL, &err), ls_prbs_destroy))         \
    X(prbs_create_null_cfg_null_err, LS_EINVAL, CREATE_NOERR(ls_prbs_create(NULL, NULL), ls_prbs_destroy)) \
    X(prbs_create_type_past_end, LS_EINVAL, ls_prbs_config c; ls_prbs_config_init(&c);             \
      c.type = (ls_prbs_type)LS_PRBS_N_TYPES; CREATE(ls_prbs_create(&c, &err), ls_prbs_destroy))    \
    X(prbs_create_type_negative, LS_EINVAL, ls_prbs_config c; ls_prbs_config_init(&c);             \
      c.type = (ls_prbs_type)-1; CREATE(ls_prbs_create(&c, &err), ls_prbs_destroy))                 \
    X(prbs_create_seed_zero_after_mask, LS_EINVAL, ls_prbs_config c; ls_prbs_config_init(&c);      \
      c.type = LS_PRBS7; c.seed = 0x80; CREATE(ls_prbs_create(&c, &err), ls_prbs_destroy))          \
    X(prbs_bits_null_q, LS_EINVAL, STATUS(ls_prbs_bits(NULL, u8buf, 8)))                           \
    X(prbs_bits_null_buf, LS_EINVAL, ls_prbs *q = prbs_ok(); ls_status s = ls_prbs_bits(q, NULL, 8); \
      ls_prbs_destroy(q); STATUS(s))                                                               \
    X(prbs_bits_zero_null_buf, LS_OK, ls_prbs *q = prbs_ok(); ls_status s = ls_prbs_bits(q, NULL, 0); \
      ls_prbs_destroy(q); STATUS(s))                                                               \
    X(prbs_words_null_q, LS_EINVAL, uint64_t w[2]; STATUS(ls_prbs_words(NULL, w, 2)))              \
    X(prbs_words_null_buf, LS_EINVAL, ls_prbs *q = prbs_ok(); ls_status s = ls_prbs_words(q, NULL, 2); \
      ls_prbs_destroy(q); STATUS(s))                                                               \
    X(prbs_words_zero_null_buf, LS_OK, ls_prbs *q = prbs_ok();                                     \
      ls_status s = ls_prbs_words(q, NULL, 0); ls_prbs_destroy(q); STATUS(s))                      \
    X(prbs_advance_null, LS_EINVAL, STATUS(ls_prbs_advance(NULL, 5)))                              \
    X(prbs_reset_null, LS_EINVAL, STATUS(ls_prbs_reset(NULL)))                                     \
    X(prbs_state_null, LS_OK, RETURNS(ls_prbs_state(NULL), 0u))                                    \
    X(prbs_position_null, LS_OK, RETURNS(ls_prbs_position(NULL), 0u))                              \
    X(prbs_parse_null, LS_OK, ls_prbs_type t = LS_PRBS7; RETURNS(ls_prbs_parse(NULL, &t), -1))     \
    X(prbs_name_invalid, LS_OK, RETURNS(ls_prbs_name((ls_prbs_type)99), NULL))                     \
    X(prbs_destroy_null, LS_OK, SURVIVES(ls_prbs_destroy(NULL)))
API_TABLE(prbs, PRBS_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * pam.h: ls_pam_levels is the only fallible call (precode/decode/slice are void, no checks).
 */
#define PAM_ROWS(X)                                                                                \
    X(pam_levels_null_v, LS_EINVAL, STATUS(ls_pam_levels(4, 1.0, NULL)))                           \
    X(pam_levels_zero_levels, LS_EINVAL, STATUS(ls_pam_levels(0, 1.0, dbuf)))                      \
    X(pam_levels_three_levels, LS_EINVAL, STATUS(ls_pam_levels(3, 1.0, dbuf)))                     \
    X(pam_levels_too_many, LS_EINVAL, STATUS(ls_pam_levels(16, 1.0, dbuf)))                        \
    X(pam_levels_rlm_nan, LS_EINVAL, STATUS(ls_pam_levels(4, NAN, dbuf)))                          \
    X(pam_levels_rlm_low, LS_EINVAL, STATUS(ls_pam_levels(4, 0.2, dbuf)))                          \
    X(pam_levels_rlm_high, LS_EINVAL, STATUS(ls_pam_levels(4, 1.5, dbuf)))
API_TABLE(pam, PAM_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * tx.h
 */
#define TX_ROWS(X)                                                                                 \
    X(tx_create_ok, LS_OK, ls_tx_config c = tx_cfg(); CREATE_OK(ls_tx_create(&c, &err), ls_tx_destroy)) \
    X(tx_create_null_cfg, LS_EINVAL, CREATE(ls_tx_create(NULL, &err), ls_tx_destroy))             \
    X(tx_create_null_cfg_null_err, LS_EINVAL, CREATE_NOERR(ls_tx_create(NULL, NULL), ls_tx_destroy)) \
    X(tx_create_sps_zero, LS_EINVAL, ls_tx_config c = tx_cfg(); c.sps = 0;                         \
      CREATE(ls_tx_create(&c, &err), ls_tx_destroy))                                               \
    X(tx_create_sps_129, LS_EINVAL, ls_tx_config c = tx_cfg(); c.sps = 129;                        \
      CREATE(ls_tx_create(&c, &err), ls_tx_destroy))                                               \
    X(tx_create_baud_negative, LS_EINVAL, ls_tx_config c = tx_cfg(); c.baud = -1e9;                \
      CREATE(ls_tx_create(&c, &err), ls_tx_destroy))                                               \
    X(tx_create_baud_nan, LS_EINVAL, ls_tx_config c = tx_cfg(); c.baud = NAN;                      \
      CREATE(ls_tx_create(&c, &err), ls_tx_destroy))                                               \
    X(tx_create_levels_3, LS_EINVAL, ls_tx_config c = tx_cfg(); c.levels = 3;                      \
      CREATE(ls_tx_create(&c, &err), ls_tx_destroy))                                               \
    X(tx_create_rlm_low, LS_EINVAL, ls_tx_config c = tx_cfg(); c.rlm = 0.2;                        \
      CREATE(ls_tx_create(&c, &err), ls_tx_destroy))                                               \
    X(tx_create_swing_zero, LS_EINVAL, ls_tx_config c = tx_cfg(); c.swing_vpp = 0.0;               \
      CREATE(ls_tx_create(&c, &err), ls_tx_destroy))                                               \
    X(tx_create_ffe_too_long, LS_EINVAL, ls_tx_config c = tx_cfg(); c.n_pre = 4; c.n_post = 4;     \
      CREATE(ls_tx_create(&c, &err), ls_tx_destroy))                                               \
    X(tx_create_max_ui_zero, LS_EINVAL, ls_tx_config c = tx_cfg(); c.max_ui = 0;                   \
      CREATE(ls_tx_create(&c, &err), ls_tx_destroy))                                               \
    X(tx_create_prbs_invalid, LS_EINVAL, ls_tx_config c = tx_cfg(); c.prbs = 99;                   \
      CREATE(ls_tx_create(&c, &err), ls_tx_destroy))                                               \
    X(tx_create_rj_nan, LS_EINVAL, ls_tx_config c = tx_cfg(); c.rj_ui = NAN;                       \
      CREATE(ls_tx_create(&c, &err), ls_tx_destroy))                                               \
    X(tx_create_source_invalid, LS_EINVAL, ls_tx_config c = tx_cfg(); c.source = (ls_tx_source)7; \
      CREATE(ls_tx_create(&c, &err), ls_tx_destroy))                                               \
    X(tx_create_snr_nan, LS_EINVAL, ls_tx_config c = tx_cfg(); c.snr_db = NAN;                     \
      CREATE(ls_tx_create(&c, &err), ls_tx_destroy))                                               \
    X(tx_create_dj_negative, LS_EINVAL, ls_tx_config c = tx_cfg(); c.dj_ui = -0.1;                 \
      CREATE(ls_tx_create(&c, &err), ls_tx_destroy))                                               \
    X(tx_create_ffe_tap_nan, LS_EINVAL, ls_tx_config c = tx_cfg(); c.n_post = 1; c.ffe_post[0] = NAN; \
      CREATE(ls_tx_create(&c, &err), ls_tx_destroy))                                               \
    X(tx_start_null, LS_EINVAL, STATUS(ls_tx_start(NULL, 1, 0, 0)))                                \
    X(tx_generate_null_q, LS_EINVAL, STATUS(ls_tx_generate(NULL, 1, NULL, NULL, fbuf)))            \
    X(tx_generate_null_y, LS_EINVAL, ls_tx *q = tx_ok(); ls_status s = ls_tx_start(q, 1, 0, 0);    \
      if (s == LS_OK) s = ls_tx_generate(q, 4, u8buf, u8buf2, NULL); ls_tx_destroy(q); STATUS(s))  \
    X(tx_generate_over_max_ui, LS_EINVAL, ls_tx *q = tx_ok(); ls_status s = ls_tx_start(q, 1, 0, 0); \
      if (s == LS_OK) s = ls_tx_generate(q, 17, NULL, NULL, fbuf); ls_tx_destroy(q); STATUS(s))    \
    X(tx_generate_ok, LS_OK, ls_tx *q = tx_ok(); ls_status s = ls_tx_start(q, 1, 0, 0);           \
      if (s == LS_OK) s = ls_tx_generate(q, 16, u8buf, u8buf2, fbuf); ls_tx_destroy(q); STATUS(s)) \
    X(tx_destroy_null, LS_OK, SURVIVES(ls_tx_destroy(NULL)))
API_TABLE(tx, TX_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * rx.h
 */
#define RX_BAD(stmt) ls_rx_config c = rx_cfg(); stmt; CREATE(ls_rx_create(&c, &err), ls_rx_destroy)
#define RX_ROWS(X)                                                                                 \
    X(rx_create_ok, LS_OK, ls_rx_config c = rx_cfg(); CREATE_OK(ls_rx_create(&c, &err), ls_rx_destroy)) \
    X(rx_create_null_cfg, LS_EINVAL, CREATE(ls_rx_create(NULL, &err), ls_rx_destroy))             \
    X(rx_create_null_cfg_null_err, LS_EINVAL, CREATE_NOERR(ls_rx_create(NULL, NULL), ls_rx_destroy)) \
    X(rx_create_sps_zero, LS_EINVAL, RX_BAD(c.sps = 0))                                            \
    X(rx_create_sps_129, LS_EINVAL, RX_BAD(c.sps = 129))                                           \
    X(rx_create_baud_negative, LS_EINVAL, RX_BAD(c.baud = -1e9))                                   \
    X(rx_create_baud_nan, LS_EINVAL, RX_BAD(c.baud = NAN))                                         \
    X(rx_create_levels_3, LS_EINVAL, RX_BAD(c.levels = 3))                                         \
    X(rx_create_ffe_zero, LS_EINVAL, RX_BAD(c.ffe_taps = 0))                                       \
    X(rx_create_ffe_65, LS_EINVAL, RX_BAD(c.ffe_taps = 65))                                        \
    X(rx_create_ffe_pre_ge_taps, LS_EINVAL, RX_BAD(c.ffe_pre = c.ffe_taps))                        \
    X(rx_create_dfe_9, LS_EINVAL, RX_BAD(c.dfe_taps = 9))                                          \
    X(rx_create_adc_bits_1, LS_EINVAL, RX_BAD(c.adc_on = 1; c.adc_bits = 1))                       \
    X(rx_create_max_samples_zero, LS_EINVAL, RX_BAD(c.max_samples = 0))                            \
    X(rx_create_mlse_depth_0, LS_EINVAL, RX_BAD(c.mlse_on = 1; c.dfe_taps = 0; c.mlse_depth = 0))  \
    X(rx_create_cdr_mm_kpd_zero, LS_EINVAL, RX_BAD(c.cdr = LS_CDR_MM; c.cdr_kpd = 0.0))            \
    X(rx_create_cdr_bw_nan, LS_EINVAL, RX_BAD(c.cdr = LS_CDR_BANGBANG; c.cdr_kpd = 1.0; c.cdr_bw_hz = NAN)) \
    X(rx_create_mu_nan, LS_EINVAL, RX_BAD(c.adapt = LS_ADAPT_LMS; c.mu = NAN))                     \
    X(rx_create_adc_fs_zero, LS_EINVAL, RX_BAD(c.adc_on = 1; c.adc_fs_v = 0.0))                    \
    X(rx_create_mlse_alpha_high, LS_EINVAL, RX_BAD(c.mlse_on = 1; c.dfe_taps = 0; c.mlse_alpha = 1.5)) \
    X(rx_create_mlse_with_dfe, LS_EINVAL, RX_BAD(c.mlse_on = 1; c.dfe_taps = 2))                   \
    X(rx_start_null, LS_EINVAL, STATUS(ls_rx_start(NULL, 1, 0, 100)))                              \
    X(rx_process_null_q, LS_EINVAL, size_t n_out; uint64_t k0;                                     \
      STATUS(ls_rx_process(NULL, fbuf, 8, u8buf, NULL, 64, &n_out, &k0)))                           \
    X(rx_process_null_x, LS_EINVAL, size_t n_out; uint64_t k0; ls_rx *q = rx_ok();                 \
      ls_status s = ls_rx_start(q, 1, 0, 100);                                                     \
      if (s == LS_OK) s = ls_rx_process(q, NULL, 8, u8buf, NULL, 256, &n_out, &k0);                \
      ls_rx_destroy(q); STATUS(s))                                                                 \
    X(rx_process_null_level, LS_EINVAL, size_t n_out; uint64_t k0; ls_rx *q = rx_ok();             \
      ls_status s = ls_rx_start(q, 1, 0, 100);                                                     \
      if (s == LS_OK) s = ls_rx_process(q, fbuf, 8, NULL, NULL, 256, &n_out, &k0);                 \
      ls_rx_destroy(q); STATUS(s))                                                                 \
    X(rx_process_null_n_out, LS_EINVAL, uint64_t k0; ls_rx *q = rx_ok();                           \
      ls_status s = ls_rx_start(q, 1, 0, 100);                                                     \
      if (s == LS_OK) s = ls_rx_process(q, fbuf, 8, u8buf, NULL, 256, NULL, &k0);                  \
      ls_rx_destroy(q); STATUS(s))                                                                 \
    X(rx_process_over_max_samples, LS_EINVAL, size_t n_out; uint64_t k0; ls_rx *q = rx_ok();       \
      ls_status s = ls_rx_start(q, 1, 0, 100);                                                     \
      if (s == LS_OK) s = ls_rx_process(q, fbuf, 65, u8buf, NULL, 4096, &n_out, &k0);              \
      ls_rx_destroy(q); STATUS(s))                                                                 \
    X(rx_process_cap_too_small, LS_EINVAL, size_t n_out; uint64_t k0; ls_rx *q = rx_ok();          \
      ls_status s = ls_rx_start(q, 1, 0, 100);                                                     \
      if (s == LS_OK) s = ls_rx_process(q, fbuf, 64, u8buf, NULL, 1, &n_out, &k0);                 \
      ls_rx_destroy(q); STATUS(s))                                                                 \
    X(rx_process_ok, LS_OK, size_t n_out; uint64_t k0; ls_rx *q = rx_ok();                         \
      ls_status s = ls_rx_start(q, 1, 0, 100);                                                     \
      if (s == LS_OK) s = ls_rx_process(q, fbuf, 64, u8buf, NULL, 256, &n_out, &k0);               \
      ls_rx_destroy(q); STATUS(s))                                                                 \
    X(rx_destroy_null, LS_OK, SURVIVES(ls_rx_destroy(NULL)))
API_TABLE(rx, RX_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * ctle.h
 */
#define CTLE_RESP(stmt) ls_ctle_config c = ctle_cfg(); stmt; STATUS(ls_ctle_response(&c, freqs, hbuf, 4))
#define CTLE_ROWS(X)                                                                               \
    X(ctle_response_ok, LS_OK, CTLE_RESP((void)0))                                                 \
    X(ctle_response_peaking_ok, LS_OK, CTLE_RESP(c.form = LS_CTLE_PEAKING))                        \
    X(ctle_response_null_cfg, LS_EINVAL, STATUS(ls_ctle_response(NULL, freqs, hbuf, 4)))           \
    X(ctle_response_null_f, LS_EINVAL, ls_ctle_config c = ctle_cfg();                              \
      STATUS(ls_ctle_response(&c, NULL, hbuf, 4)))                                                 \
    X(ctle_response_null_h, LS_EINVAL, ls_ctle_config c = ctle_cfg();                              \
      STATUS(ls_ctle_response(&c, freqs, NULL, 4)))                                                \
    X(ctle_response_zero_null, LS_OK, ls_ctle_config c = ctle_cfg();                               \
      STATUS(ls_ctle_response(&c, NULL, NULL, 0)))                                                 \
    X(ctle_response_nan_freq, LS_EINVAL, ls_ctle_config c = ctle_cfg();                            \
      const double f[2] = {1e9, NAN}; STATUS(ls_ctle_response(&c, f, hbuf, 2)))                    \
    X(ctle_response_fz_zero, LS_EINVAL, CTLE_RESP(c.fz_hz = 0.0))                                  \
    X(ctle_response_fp1_negative, LS_EINVAL, CTLE_RESP(c.fp1_hz = -1e9))                           \
    X(ctle_response_fp2_nan, LS_EINVAL, CTLE_RESP(c.fp2_hz = NAN))                                 \
    X(ctle_response_flf_inf, LS_EINVAL, CTLE_RESP(c.flf_hz = INFINITY))                            \
    X(ctle_response_gdc_positive, LS_EINVAL, CTLE_RESP(c.gdc_db = 1.0))                            \
    X(ctle_response_gdc_too_low, LS_EINVAL, CTLE_RESP(c.gdc_db = -31.0))                           \
    X(ctle_response_gdc2_nan, LS_EINVAL, CTLE_RESP(c.gdc2_db = NAN))                               \
    X(ctle_response_freq_ratio, LS_EINVAL, CTLE_RESP(c.flf_hz = c.fp2_hz / 1e10))                  \
    X(ctle_response_form_invalid, LS_EINVAL, CTLE_RESP(c.form = (ls_ctle_form)7))                  \
    X(ctle_response_peaking_high, LS_EINVAL, CTLE_RESP(c.form = LS_CTLE_PEAKING; c.peaking_db = 31.0)) \
    X(ctle_response_peaking_negative, LS_EINVAL, CTLE_RESP(c.form = LS_CTLE_PEAKING; c.peaking_db = -1.0)) \
    X(ctle_response_fpk_zero, LS_EINVAL, CTLE_RESP(c.form = LS_CTLE_PEAKING; c.fpk_hz = 0.0))      \
    X(ctle_span_invalid, LS_EINVAL, ls_ctle_config c = ctle_cfg(); c.fz_hz = NAN;                  \
      NAN_OF(ls_ctle_span_s(&c)))                                                                  \
    X(ctle_span_null, LS_EINVAL, NAN_OF(ls_ctle_span_s(NULL)))                                     \
    X(ctle_into_block_null_cfg, LS_EINVAL, BLOCK(ls_ctle_into_block(NULL, &out)))                  \
    X(ctle_into_block_null_out, LS_EINVAL, ls_ctle_config c = ctle_cfg();                          \
      STATUS(ls_ctle_into_block(&c, NULL)))                                                        \
    X(ctle_into_block_invalid, LS_EINVAL, ls_ctle_config c = ctle_cfg(); c.fp1_hz = 0.0;           \
      BLOCK(ls_ctle_into_block(&c, &out)))                                                         \
    X(ctle_peaking_zp_null_cfg, LS_EINVAL, double z, p; STATUS(ls_ctle_peaking_zp(NULL, &z, &p)))  \
    X(ctle_peaking_zp_null_out, LS_EINVAL, ls_ctle_config c = ctle_pk(); double p;                 \
      STATUS(ls_ctle_peaking_zp(&c, NULL, &p)))                                                    \
    X(ctle_peaking_zp_flat, LS_EINVAL, ls_ctle_config c = ctle_pk(); c.peaking_db = 0.0; double z, p; \
      STATUS(ls_ctle_peaking_zp(&c, &z, &p)))                                                      \
    X(ctle_block_ops_destroy_null, LS_OK, ls_ctle_config c = ctle_cfg(); ls_block b;               \
      if (ls_ctle_into_block(&c, &b) != LS_OK) return LS_EINTERNAL; b.ops->destroy(NULL);          \
      ls_block_destroy(&b); return LS_OK)
API_TABLE(ctle, CTLE_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * filter.h
 */
#define LP_RESP(t, stmt) ls_lowpass_config c = lp_cfg(t); stmt; STATUS(ls_lowpass_response(&c, freqs, hbuf, 4))
#define FILTER_ROWS(X)                                                                             \
    X(lowpass_response_ok, LS_OK, LP_RESP(LS_LP_BUTTERWORTH, (void)0))                             \
    X(lowpass_response_null_cfg, LS_EINVAL, STATUS(ls_lowpass_response(NULL, freqs, hbuf, 4)))     \
    X(lowpass_response_null_f, LS_EINVAL, ls_lowpass_config c = lp_cfg(LS_LP_BESSEL);              \
      STATUS(ls_lowpass_response(&c, NULL, hbuf, 4)))                                              \
    X(lowpass_response_null_h, LS_EINVAL, ls_lowpass_config c = lp_cfg(LS_LP_BESSEL);              \
      STATUS(ls_lowpass_response(&c, freqs, NULL, 4)))                                             \
    X(lowpass_response_zero_null, LS_OK, ls_lowpass_config c = lp_cfg(LS_LP_BESSEL);               \
      STATUS(ls_lowpass_response(&c, NULL, NULL, 0)))                                              \
    X(lowpass_response_order_zero, LS_EINVAL, LP_RESP(LS_LP_BUTTERWORTH, c.order = 0))             \
    X(lowpass_response_order_9, LS_EINVAL, LP_RESP(LS_LP_BESSEL, c.order = 9))                     \
    X(lowpass_response_f3db_zero, LS_EINVAL, LP_RESP(LS_LP_RC, c.f3db_hz = 0.0))                   \
    X(lowpass_response_f3db_negative, LS_EINVAL, LP_RESP(LS_LP_GAUSSIAN, c.f3db_hz = -1e9))        \
    X(lowpass_response_f3db_nan, LS_EINVAL, LP_RESP(LS_LP_BUTTERWORTH, c.f3db_hz = NAN))           \
    X(lowpass_response_type_invalid, LS_EINVAL, LP_RESP((ls_lp_type)9, (void)0))                   \
    X(lowpass_span_invalid, LS_EINVAL, ls_lowpass_config c = lp_cfg(LS_LP_BESSEL); c.order = 0;    \
      NAN_OF(ls_lowpass_span_s(&c)))                                                               \
    X(lowpass_pre_invalid, LS_EINVAL, ls_lowpass_config c = lp_cfg(LS_LP_GAUSSIAN); c.f3db_hz = 0; \
      NAN_OF(ls_lowpass_pre_s(&c)))                                                                \
    X(lowpass_into_block_null_cfg, LS_EINVAL, BLOCK(ls_lowpass_into_block(NULL, &out)))            \
    X(lowpass_into_block_null_out, LS_EINVAL, ls_lowpass_config c = lp_cfg(LS_LP_BESSEL);          \
      STATUS(ls_lowpass_into_block(&c, NULL)))                                                     \
    X(lowpass_into_block_invalid, LS_EINVAL, ls_lowpass_config c = lp_cfg(LS_LP_BESSEL);           \
      c.f3db_hz = NAN; BLOCK(ls_lowpass_into_block(&c, &out)))                                     \
    X(lowpass_parse_null, LS_OK, ls_lp_type t; RETURNS(ls_lowpass_parse(NULL, &t), -1))            \
    X(lowpass_parse_null_t, LS_OK, RETURNS(ls_lowpass_parse("bessel", NULL), -1))                  \
    X(lowpass_block_ops_destroy_null, LS_OK, ls_lowpass_config c = lp_cfg(LS_LP_BESSEL); ls_block b; \
      if (ls_lowpass_into_block(&c, &b) != LS_OK) return LS_EINTERNAL; b.ops->destroy(NULL);       \
      ls_block_destroy(&b); return LS_OK)                                                          \
    X(block_destroy_null, LS_OK, SURVIVES(ls_block_destroy(NULL)))                                 \
    X(block_destroy_cleared, LS_OK, ls_block b = {NULL, NULL}; SURVIVES(ls_block_destroy(&b)))    \
    X(block_destroy_twice, LS_OK, ls_lowpass_config c = lp_cfg(LS_LP_BESSEL); ls_block b;          \
      if (ls_lowpass_into_block(&c, &b) != LS_OK) return LS_EINTERNAL; ls_block_destroy(&b);       \
      SURVIVES(ls_block_destroy(&b)))
API_TABLE(filter, FILTER_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * noise.h
 */
#define NOISE_ROWS(X)                                                                              \
    X(awgn_into_block_null_cfg, LS_EINVAL, ls_block out = {0}; STATUS(ls_awgn_into_block(NULL, &out))) \
    X(awgn_into_block_null_out, LS_EINVAL, ls_awgn_config c = awgn_cfg(0.1);                       \
      STATUS(ls_awgn_into_block(&c, NULL)))                                                        \
    X(awgn_into_block_sigma_negative, LS_EINVAL, ls_awgn_config c = awgn_cfg(-0.1); ls_block out = {0}; \
      STATUS(ls_awgn_into_block(&c, &out)))                                                        \
    X(awgn_into_block_sigma_nan, LS_EINVAL, ls_awgn_config c = awgn_cfg(NAN); ls_block out = {0}; \
      STATUS(ls_awgn_into_block(&c, &out)))                                                        \
    X(awgn_into_block_sigma_inf, LS_EINVAL, ls_awgn_config c = awgn_cfg(INFINITY); ls_block out = {0}; \
      STATUS(ls_awgn_into_block(&c, &out)))                                                        \
    X(awgn_block_ops_destroy_null, LS_OK, ls_awgn_config c = awgn_cfg(0.1); ls_block b;            \
      if (ls_awgn_into_block(&c, &b) != LS_OK) return LS_EINTERNAL; b.ops->destroy(NULL);          \
      ls_block_destroy(&b); return LS_OK)
API_TABLE(noise, NOISE_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * eye.h
 */
#define EYE_BAD(stmt) ls_eye_config c = eye_cfg(); stmt; CREATE(ls_eye_create(&c, &err), ls_eye_destroy)
#define EYE_ROWS(X)                                                                                \
    X(eye_create_ok, LS_OK, ls_eye_config c = eye_cfg(); CREATE_OK(ls_eye_create(&c, &err), ls_eye_destroy)) \
    X(eye_create_null_cfg, LS_EINVAL, CREATE(ls_eye_create(NULL, &err), ls_eye_destroy))          \
    X(eye_create_null_cfg_null_err, LS_EINVAL, CREATE_NOERR(ls_eye_create(NULL, NULL), ls_eye_destroy)) \
    X(eye_create_sps_zero, LS_EINVAL, EYE_BAD(c.sps = 0))                                          \
    X(eye_create_sps_129, LS_EINVAL, EYE_BAD(c.sps = 129))                                         \
    X(eye_create_bins_15, LS_EINVAL, EYE_BAD(c.n_bins = 15))                                       \
    X(eye_create_bins_4097, LS_EINVAL, EYE_BAD(c.n_bins = 4097))                                   \
    X(eye_create_range_empty, LS_EINVAL, EYE_BAD(c.v_min = c.v_max))                               \
    X(eye_create_vmin_nan, LS_EINVAL, EYE_BAD(c.v_min = NAN))                                      \
    X(eye_create_vmax_inf, LS_EINVAL, EYE_BAD(c.v_max = INFINITY))                                 \
    X(eye_create_levels_1, LS_EINVAL, EYE_BAD(c.levels = 1))                                       \
    X(eye_create_levels_9, LS_EINVAL, EYE_BAD(c.levels = 9))                                       \
    X(eye_create_thresholds_unsorted, LS_EINVAL, EYE_BAD(c.thresholds[1] = c.thresholds[0]))       \
    X(eye_create_threshold_outside, LS_EINVAL, EYE_BAD(c.thresholds[2] = c.v_max + 1.0))           \
    X(eye_create_threshold_nan, LS_EINVAL, EYE_BAD(c.thresholds[1] = NAN))                         \
    X(eye_create_hit_ratio_half, LS_EINVAL, EYE_BAD(c.hit_ratio = 0.5))                            \
    X(eye_create_hit_ratio_nan, LS_EINVAL, EYE_BAD(c.hit_ratio = NAN))                             \
    X(eye_add_null_q, LS_EINVAL, STATUS(ls_eye_add(NULL, fbuf, 8, 0)))                             \
    X(eye_add_null_x, LS_EINVAL, ls_eye *q = eye_ok(); ls_status s = ls_eye_add(q, NULL, 8, 0);    \
      ls_eye_destroy(q); STATUS(s))                                                                \
    X(eye_add_zero_null, LS_OK, ls_eye *q = eye_ok(); ls_status s = ls_eye_add(q, NULL, 0, 0);     \
      ls_eye_destroy(q); STATUS(s))                                                                \
    X(eye_add_col0_out_of_range, LS_EINVAL, ls_eye *q = eye_ok();                                  \
      ls_status s = ls_eye_add(q, fbuf, 8, 8); ls_eye_destroy(q); STATUS(s))                       \
    X(eye_merge_null_dst, LS_EINVAL, ls_eye *q = eye_ok(); ls_status s = ls_eye_merge(NULL, q);    \
      ls_eye_destroy(q); STATUS(s))                                                                \
    X(eye_merge_null_src, LS_EINVAL, ls_eye *q = eye_ok(); ls_status s = ls_eye_merge(q, NULL);    \
      ls_eye_destroy(q); STATUS(s))                                                                \
    X(eye_merge_mismatch, LS_EINVAL, ls_eye *q = eye_ok(); ls_eye_config c = eye_cfg(); c.sps = 8; \
      ls_eye *r = ls_eye_create(&c, NULL); ls_status s = ls_eye_merge(q, r); ls_eye_destroy(q);    \
      ls_eye_destroy(r); STATUS(s))                                                                \
    X(eye_reset_null, LS_EINVAL, STATUS(ls_eye_reset(NULL)))                                       \
    X(eye_measure_null_q, LS_EINVAL, ls_eye_metrics m; STATUS(ls_eye_measure(NULL, &m)))           \
    X(eye_measure_null_m, LS_EINVAL, ls_eye *q = eye_ok(); ls_status s = ls_eye_measure(q, NULL);  \
      ls_eye_destroy(q); STATUS(s))                                                                \
    X(eye_histogram_null, LS_OK, unsigned cols = 7, rows = 7;                                      \
      RETURNS(ls_eye_histogram(NULL, &cols, &rows) == NULL && cols == 0 && rows == 0, 1))          \
    X(eye_bin_voltage_null, LS_EINVAL, NAN_OF(ls_eye_bin_voltage(NULL, 0)))                        \
    X(eye_bin_voltage_row_range, LS_EINVAL, ls_eye *q = eye_ok(); double v = ls_eye_bin_voltage(q, 16); \
      ls_eye_destroy(q); NAN_OF(v))                                                                \
    X(eye_destroy_null, LS_OK, SURVIVES(ls_eye_destroy(NULL)))
API_TABLE(eye, EYE_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * ber.h
 */
#define BER_BAD(stmt) ls_ber_config c = ber_cfg(); stmt; CREATE(ls_ber_create(&c, &err), ls_ber_destroy)
#define BER_UPDATE(stmt, call)                                                                     \
    ls_ber *q = ber_ok(); memset(u8buf, 0, 8); memset(u8buf2, 0, 8); stmt; ls_status s = (call);   \
    ls_ber_destroy(q); STATUS(s)
#define BER_ROWS(X)                                                                                \
    X(ber_create_ok, LS_OK, ls_ber_config c = ber_cfg(); CREATE_OK(ls_ber_create(&c, &err), ls_ber_destroy)) \
    X(ber_update_ok, LS_OK, BER_UPDATE((void)0, ls_ber_update(q, u8buf, u8buf2, u8buf, u8buf2, 4))) \
    X(ber_create_null_cfg, LS_EINVAL, CREATE(ls_ber_create(NULL, &err), ls_ber_destroy))          \
    X(ber_create_null_cfg_null_err, LS_EINVAL, CREATE_NOERR(ls_ber_create(NULL, NULL), ls_ber_destroy)) \
    X(ber_create_bps_zero, LS_EINVAL, BER_BAD(c.bits_per_symbol = 0; c.levels = 1))                \
    X(ber_create_bps_4, LS_EINVAL, BER_BAD(c.bits_per_symbol = 4; c.levels = 16))                  \
    X(ber_create_levels_mismatch, LS_EINVAL, BER_BAD(c.levels = 8))                                \
    X(ber_update_null_q, LS_EINVAL, STATUS(ls_ber_update(NULL, u8buf, u8buf, u8buf, u8buf, 4)))    \
    X(ber_update_null_tx_level, LS_EINVAL, BER_UPDATE((void)0, ls_ber_update(q, NULL, u8buf, u8buf, u8buf, 4))) \
    X(ber_update_null_rx_level, LS_EINVAL, BER_UPDATE((void)0, ls_ber_update(q, u8buf, NULL, u8buf, u8buf, 4))) \
    X(ber_update_null_tx_bits, LS_EINVAL, BER_UPDATE((void)0, ls_ber_update(q, u8buf, u8buf, NULL, u8buf, 4))) \
    X(ber_update_null_rx_bits, LS_EINVAL, BER_UPDATE((void)0, ls_ber_update(q, u8buf, u8buf, u8buf, NULL, 4))) \
    X(ber_update_zero_null, LS_OK, BER_UPDATE((void)0, ls_ber_update(q, NULL, NULL, NULL, NULL, 0))) \
    X(ber_update_level_range, LS_EINVAL, BER_UPDATE(u8buf2[3] = 4, ls_ber_update(q, u8buf, u8buf2, u8buf, u8buf, 4))) \
    X(ber_update_bits_range, LS_EINVAL, BER_UPDATE(u8buf2[1] = 4, ls_ber_update(q, u8buf, u8buf, u8buf, u8buf2, 4))) \
    X(ber_reset_null, LS_EINVAL, STATUS(ls_ber_reset(NULL)))                                       \
    X(ber_destroy_null, LS_OK, SURVIVES(ls_ber_destroy(NULL)))
API_TABLE(ber, BER_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * fec.h: pure functions; an invalid code or BER gives NaN.
 */
#define FEC_ROWS(X)                                                                                \
    X(fec_symbol_error_prob_ber_negative, LS_EINVAL, NAN_OF(ls_fec_symbol_error_prob(-0.1, 10)))   \
    X(fec_symbol_error_prob_ber_nan, LS_EINVAL, NAN_OF(ls_fec_symbol_error_prob(NAN, 10)))         \
    X(fec_symbol_error_prob_m_zero, LS_EINVAL, NAN_OF(ls_fec_symbol_error_prob(1e-4, 0)))          \
    X(fec_cer_ber_above_one, LS_EINVAL, NAN_OF(ls_fec_cer_random(&LS_RS_KP4, 1.5)))                \
    X(fec_cer_k_ge_n, LS_EINVAL, ls_rs_code c = {514u, 544u, 10u}; NAN_OF(ls_fec_cer_random(&c, 1e-4))) \
    X(fec_cer_odd_parity, LS_EINVAL, ls_rs_code c = {544u, 513u, 10u}; NAN_OF(ls_fec_cer_random(&c, 1e-4))) \
    X(fec_cer_m_zero, LS_EINVAL, ls_rs_code c = {544u, 514u, 0u}; NAN_OF(ls_fec_cer_random(&c, 1e-4))) \
    X(fec_cer_n_too_long, LS_EINVAL, ls_rs_code c = {1024u, 1000u, 10u}; NAN_OF(ls_fec_cer_random(&c, 1e-4))) \
    X(fec_post_ber_nan, LS_EINVAL, NAN_OF(ls_fec_post_ber_random(&LS_RS_KP4, NAN)))                \
    X(fec_post_ber_m_17, LS_EINVAL, ls_rs_code c = {544u, 514u, 17u}; NAN_OF(ls_fec_post_ber_random(&c, 1e-4)))
API_TABLE(fec, FEC_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * fftfilt.h
 */
static const float taps4[4] = {0.5f, 0.25f, 0.125f, 0.0625f};
static ls_fftfilt_config ff_cfg(void)
{
    ls_fftfilt_config c;
    ls_fftfilt_config_init(&c);
    c.h = taps4;
    c.n_h = 4;
    return c;
}
static ls_fftfilt *ff_ok(void)
{
    ls_fftfilt_config c = ff_cfg();
    return ls_fftfilt_create(&c, NULL);
}
#define FF_BAD(stmt) ls_fftfilt_config c = ff_cfg(); stmt; CREATE(ls_fftfilt_create(&c, &err), ls_fftfilt_destroy)
#define FF_PROC(x, y, n) ls_fftfilt *q = ff_ok(); ls_status s = ls_fftfilt_process(q, x, y, n);     \
    ls_fftfilt_destroy(q); STATUS(s)
#define FFTFILT_ROWS(X)                                                                            \
    X(fftfilt_create_ok, LS_OK, ls_fftfilt_config c = ff_cfg();                                    \
      CREATE_OK(ls_fftfilt_create(&c, &err), ls_fftfilt_destroy))                                  \
    X(fftfilt_create_null_cfg, LS_EINVAL, CREATE(ls_fftfilt_create(NULL, &err), ls_fftfilt_destroy)) \
    X(fftfilt_create_null_cfg_null_err, LS_EINVAL,                                                 \
      CREATE_NOERR(ls_fftfilt_create(NULL, NULL), ls_fftfilt_destroy))                             \
    X(fftfilt_create_null_h, LS_EINVAL, FF_BAD(c.h = NULL))                                        \
    X(fftfilt_create_n_h_zero, LS_EINVAL, FF_BAD(c.n_h = 0))                                       \
    X(fftfilt_create_n_h_too_large, LS_EINVAL, FF_BAD(c.n_h = LS_FFTFILT_MAX_TAPS + 1))            \
    X(fftfilt_create_tap_nan, LS_EINVAL, float h[2] = {1.0f, NAN}; FF_BAD(c.h = h; c.n_h = 2))     \
    X(fftfilt_create_tap_inf, LS_EINVAL, float h[2] = {INFINITY, 1.0f}; FF_BAD(c.h = h; c.n_h = 2)) \
    X(fftfilt_create_nfft_not_pow2, LS_EINVAL, FF_BAD(c.nfft = 1000))                              \
    X(fftfilt_create_nfft_below_2nh, LS_EINVAL, FF_BAD(c.nfft = 4))                                \
    X(fftfilt_create_nfft_too_large, LS_EINVAL, FF_BAD(c.nfft = LS_FFTFILT_MAX_NFFT * 2))          \
    X(fftfilt_process_null_q, LS_EINVAL, STATUS(ls_fftfilt_process(NULL, fbuf, fbuf, 8)))          \
    X(fftfilt_process_null_x, LS_EINVAL, FF_PROC(NULL, fbuf, 8))                                   \
    X(fftfilt_process_null_y, LS_EINVAL, FF_PROC(fbuf, NULL, 8))                                   \
    X(fftfilt_process_zero_null, LS_OK, FF_PROC(NULL, NULL, 0))                                    \
    X(fftfilt_reset_null, LS_EINVAL, STATUS(ls_fftfilt_reset(NULL)))                               \
    X(fftfilt_latency_null, LS_OK, RETURNS(ls_fftfilt_latency(NULL), 0u))                          \
    X(fftfilt_nfft_null, LS_OK, RETURNS(ls_fftfilt_nfft(NULL), 0u))                                \
    X(fftfilt_destroy_null, LS_OK, SURVIVES(ls_fftfilt_destroy(NULL)))
API_TABLE(fftfilt, FFTFILT_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * cfftfilt.h
 */
static const float complex ctaps4[4] = {0.5f, 0.25f * I, 0.125f, 0.0625f};
static float complex cbuf[256];
static ls_cfftfilt_config cff_cfg(void)
{
    ls_cfftfilt_config c;
    ls_cfftfilt_config_init(&c);
    c.h = ctaps4;
    c.n_h = 4;
    return c;
}
static ls_cfftfilt *cff_ok(void)
{
    ls_cfftfilt_config c = cff_cfg();
    return ls_cfftfilt_create(&c, NULL);
}
/* Two LTI blocks (a low-pass) and one stateful block (AWGN) for the design calls. */
static ls_block lti_block(void)
{
    ls_lowpass_config c = lp_cfg(LS_LP_BESSEL);
    ls_block b = {NULL, NULL};
    ls_status s = ls_lowpass_into_block(&c, &b);
    cr_assert(s == LS_OK, "lowpass block: %s", ls_strerror(s));
    return b;
}
static ls_block awgn_block(void)
{
    ls_awgn_config c = awgn_cfg(0.1);
    ls_block b = {NULL, NULL};
    ls_status s = ls_awgn_into_block(&c, &b);
    cr_assert(s == LS_OK, "awgn block: %s", ls_strerror(s));
    return b;
}
#define CFF_BAD(stmt) ls_cfftfilt_config c = cff_cfg(); stmt; CREATE(ls_cfftfilt_create(&c, &err), ls_cfftfilt_destroy)
#define CFF_PROC(x, y, n) ls_cfftfilt *q = cff_ok(); ls_status s = ls_cfftfilt_process(q, x, y, n); \
    ls_cfftfilt_destroy(q); STATUS(s)
/* design_size with a block list bl (an LTI block b made here), then destroyed. */
#define DSIZE(bl, nb, fs, nh, dl) ls_block b = lti_block(); size_t n_h_, d_;                       \
    ls_status s = ls_cfftfilt_design_size(bl, nb, fs, nh, dl); ls_block_destroy(&b); (void)n_h_;   \
    (void)d_; STATUS(s)
#define DESIGN(hh, nh, dl) ls_block b = lti_block();                                               \
    ls_status s = ls_cfftfilt_design(&b, 1, 1e11, hh, nh, dl); ls_block_destroy(&b); STATUS(s)
#define CFFTFILT_ROWS(X)                                                                           \
    X(cfftfilt_create_ok, LS_OK, ls_cfftfilt_config c = cff_cfg();                                 \
      CREATE_OK(ls_cfftfilt_create(&c, &err), ls_cfftfilt_destroy))                                \
    X(cfftfilt_design_size_ok, LS_OK, DSIZE(&b, 1, 1e11, &n_h_, &d_))                              \
    X(cfftfilt_design_ok, LS_OK, DESIGN(cbuf, 64, 0))                                              \
    X(cfftfilt_create_null_cfg, LS_EINVAL, CREATE(ls_cfftfilt_create(NULL, &err), ls_cfftfilt_destroy)) \
    X(cfftfilt_create_null_cfg_null_err, LS_EINVAL,                                                \
      CREATE_NOERR(ls_cfftfilt_create(NULL, NULL), ls_cfftfilt_destroy))                           \
    X(cfftfilt_create_null_h, LS_EINVAL, CFF_BAD(c.h = NULL))                                      \
    X(cfftfilt_create_n_h_zero, LS_EINVAL, CFF_BAD(c.n_h = 0))                                     \
    X(cfftfilt_create_n_h_too_large, LS_EINVAL, CFF_BAD(c.n_h = LS_CFFTFILT_MAX_TAPS + 1))         \
    X(cfftfilt_create_tap_nan, LS_EINVAL, float complex h[2] = {1.0f, NAN * I};                    \
      CFF_BAD(c.h = h; c.n_h = 2))                                                                 \
    X(cfftfilt_create_nfft_not_pow2, LS_EINVAL, CFF_BAD(c.nfft = 1000))                            \
    X(cfftfilt_create_nfft_below_2nh, LS_EINVAL, CFF_BAD(c.nfft = 4))                              \
    X(cfftfilt_create_nfft_too_large, LS_EINVAL, CFF_BAD(c.nfft = LS_CFFTFILT_MAX_NFFT * 2))       \
    X(cfftfilt_process_null_q, LS_EINVAL, STATUS(ls_cfftfilt_process(NULL, cbuf, cbuf, 8)))        \
    X(cfftfilt_process_null_x, LS_EINVAL, CFF_PROC(NULL, cbuf, 8))                                 \
    X(cfftfilt_process_null_y, LS_EINVAL, CFF_PROC(cbuf, NULL, 8))                                 \
    X(cfftfilt_process_zero_null, LS_OK, CFF_PROC(NULL, NULL, 0))                                  \
    X(cfftfilt_reset_null, LS_EINVAL, STATUS(ls_cfftfilt_reset(NULL)))                             \
    X(cfftfilt_latency_null, LS_OK, RETURNS(ls_cfftfilt_latency(NULL), 0u))                        \
    X(cfftfilt_nfft_null, LS_OK, RETURNS(ls_cfftfilt_nfft(NULL), 0u))                              \
    X(cfftfilt_design_size_null_blocks, LS_EINVAL, DSIZE(NULL, 1, 1e11, &n_h_, &d_))               \
    X(cfftfilt_design_size_zero_blocks, LS_EINVAL, DSIZE(&b, 0, 1e11, &n_h_, &d_))                 \
    X(cfftfilt_design_size_fs_zero, LS_EINVAL, DSIZE(&b, 1, 0.0, &n_h_, &d_))                      \
    X(cfftfilt_design_size_fs_nan, LS_EINVAL, DSIZE(&b, 1, NAN, &n_h_, &d_))                       \
    X(cfftfilt_design_size_null_n_h, LS_EINVAL, DSIZE(&b, 1, 1e11, NULL, &d_))                     \
    X(cfftfilt_design_size_null_delay, LS_EINVAL, DSIZE(&b, 1, 1e11, &n_h_, NULL))                 \
    X(cfftfilt_design_size_cleared_block, LS_EINVAL, ls_block z = {NULL, NULL};                    \
      DSIZE(&z, 1, 1e11, &n_h_, &d_))                                                              \
    X(cfftfilt_design_size_not_lti, LS_EINVAL, ls_block a = awgn_block(); size_t n_h_, d_;         \
      ls_status s = ls_cfftfilt_design_size(&a, 1, 1e11, &n_h_, &d_); ls_block_destroy(&a); STATUS(s)) \
    X(cfftfilt_design_null_h, LS_EINVAL, DESIGN(NULL, 16, 0))                                      \
    X(cfftfilt_design_n_h_zero, LS_EINVAL, DESIGN(cbuf, 0, 0))                                     \
    X(cfftfilt_design_delay_ge_n_h, LS_EINVAL, DESIGN(cbuf, 16, 16))                               \
    X(cfftfilt_design_null_blocks, LS_EINVAL, STATUS(ls_cfftfilt_design(NULL, 1, 1e11, cbuf, 16, 0))) \
    X(cfftfilt_destroy_null, LS_OK, SURVIVES(ls_cfftfilt_destroy(NULL)))
API_TABLE(cfftfilt, CFFTFILT_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * rng.h: no status and no object; only the documented n == 0 / NULL buffer cases.
 */
#define RNG_ROWS(X)                                                                                \
    X(rng_gauss_fill_zero_null, LS_OK, ls_rng r; ls_rng_seed(&r, 1, 2, 3);                         \
      SURVIVES(ls_rng_gauss_fill(&r, NULL, 0, 1.0f)))                                              \
    X(rng_gauss_add_zero_null, LS_OK, ls_rng r; ls_rng_seed(&r, 1, 2, 3);                          \
      SURVIVES(ls_rng_gauss_add(&r, NULL, 0, 1.0f)))                                               \
    X(rng_below_zero, LS_OK, ls_rng r; ls_rng_seed(&r, 1, 2, 3); RETURNS(ls_rng_below(&r, 0), 0u))
API_TABLE(rng, RNG_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * stats.h: pure functions; arguments outside the domain give NaN (a NaN interval).
 */
static int nan_interval(ls_interval iv)
{
    return isnan(iv.lo) && isnan(iv.hi) ? LS_EINVAL : R_NOT_NAN;
}
#define STATS_ROWS(X)                                                                              \
    X(stats_qinv_above_one, LS_EINVAL, NAN_OF(ls_qinv(1.5)))                                       \
    X(stats_qinv_negative, LS_EINVAL, NAN_OF(ls_qinv(-0.1)))                                       \
    X(stats_qinv_nan, LS_EINVAL, NAN_OF(ls_qinv(NAN)))                                             \
    X(stats_q_nan, LS_EINVAL, NAN_OF(ls_q(NAN)))                                                   \
    X(stats_cp_k_above_n, LS_EINVAL, return nan_interval(ls_ci_clopper_pearson(5, 3, 0.95)))       \
    X(stats_cp_conf_zero, LS_EINVAL, return nan_interval(ls_ci_clopper_pearson(1, 10, 0.0)))       \
    X(stats_cp_conf_one, LS_EINVAL, return nan_interval(ls_ci_clopper_pearson(1, 10, 1.0)))        \
    X(stats_cp_conf_nan, LS_EINVAL, return nan_interval(ls_ci_clopper_pearson(1, 10, NAN)))        \
    X(stats_cp_n_above_2p53, LS_EINVAL,                                                            \
      return nan_interval(ls_ci_clopper_pearson(1, (UINT64_C(1) << 53) + 2, 0.95)))                \
    X(stats_wilson_k_above_n, LS_EINVAL, return nan_interval(ls_ci_wilson(5, 3, 0.95)))            \
    X(stats_wilson_conf_nan, LS_EINVAL, return nan_interval(ls_ci_wilson(1, 10, NAN)))             \
    X(stats_betai_a_zero, LS_EINVAL, NAN_OF(ls_betai(0.0, 1.0, 0.5)))                              \
    X(stats_betai_b_negative, LS_EINVAL, NAN_OF(ls_betai(1.0, -1.0, 0.5)))                         \
    X(stats_betai_x_above_one, LS_EINVAL, NAN_OF(ls_betai(1.0, 1.0, 1.5)))                         \
    X(stats_betai_x_nan, LS_EINVAL, NAN_OF(ls_betai(1.0, 1.0, NAN)))                               \
    X(stats_binom_tail_p_above_one, LS_EINVAL, NAN_OF(ls_binom_tail(10, 2, 1.5)))                  \
    X(stats_binom_tail_p_nan, LS_EINVAL, NAN_OF(ls_binom_tail(10, 2, NAN)))                        \
    X(stats_pam_ser_m_1, LS_EINVAL, NAN_OF(ls_pam_ser_awgn(1, 10.0)))                              \
    X(stats_pam_ser_m_0, LS_EINVAL, NAN_OF(ls_pam_ser_awgn(0, 10.0)))                              \
    X(stats_pam_snr_ser_too_high, LS_EINVAL, NAN_OF(ls_pam_snr_for_ser(4, 0.9)))                   \
    X(stats_pam_snr_ser_zero, LS_EINVAL, NAN_OF(ls_pam_snr_for_ser(4, 0.0)))                       \
    X(stats_pam_snr_ser_nan, LS_EINVAL, NAN_OF(ls_pam_snr_for_ser(4, NAN)))
API_TABLE(stats, STATS_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * mlse.h
 */
static ls_mlse_config mlse_cfg(void)
{
    ls_mlse_config c;
    ls_mlse_config_init(&c);
    c.max_block = 64;
    return c;
}
static ls_mlse *mlse_ok(void)
{
    ls_mlse_config c = mlse_cfg();
    return ls_mlse_create(&c, NULL);
}
static const double pulse5[5] = {0.05, 0.2, 1.0, 0.4, 0.1};
static double taps_out[LS_EQSOLVE_MAX_TAPS + 8], dfe_out[LS_EQSOLVE_MAX_DFE + 8];
#define MLSE_BAD(stmt) ls_mlse_config c = mlse_cfg(); stmt; CREATE(ls_mlse_create(&c, &err), ls_mlse_destroy)
#define MLSE_PROC(yy, n, dec, nout) ls_mlse *q = mlse_ok(); size_t no_;                             \
    ls_status s = ls_mlse_process(q, yy, n, dec, nout); ls_mlse_destroy(q); (void)no_; STATUS(s)
/* ls_ffe_mmse_pr(cursors, n_cursors, main, n_taps, n_pre, sigma2, acf, alpha, taps, mse) */
#define PR(...) STATUS(ls_ffe_mmse_pr(__VA_ARGS__))
#define MLSE_ROWS(X)                                                                               \
    X(mlse_create_ok, LS_OK, ls_mlse_config c = mlse_cfg();                                        \
      CREATE_OK(ls_mlse_create(&c, &err), ls_mlse_destroy))                                        \
    X(mlse_process_ok, LS_OK, MLSE_PROC(fbuf, 4, u8buf, &no_))                                     \
    X(mlse_create_null_cfg, LS_EINVAL, CREATE(ls_mlse_create(NULL, &err), ls_mlse_destroy))       \
    X(mlse_create_null_cfg_null_err, LS_EINVAL, CREATE_NOERR(ls_mlse_create(NULL, NULL), ls_mlse_destroy)) \
    X(mlse_create_levels_3, LS_EINVAL, MLSE_BAD(c.levels = 3))                                     \
    X(mlse_create_levels_0, LS_EINVAL, MLSE_BAD(c.levels = 0))                                     \
    X(mlse_create_alpha_negative, LS_EINVAL, MLSE_BAD(c.alpha = -0.1))                             \
    X(mlse_create_alpha_above_one, LS_EINVAL, MLSE_BAD(c.alpha = 1.5))                             \
    X(mlse_create_alpha_nan, LS_EINVAL, MLSE_BAD(c.alpha = NAN))                                   \
    X(mlse_create_depth_low, LS_EINVAL, MLSE_BAD(c.depth = LS_MLSE_MIN_DEPTH - 1))                 \
    X(mlse_create_depth_high, LS_EINVAL, MLSE_BAD(c.depth = LS_MLSE_MAX_DEPTH + 1))                \
    X(mlse_create_ref_nan, LS_EINVAL, MLSE_BAD(c.ref[2] = NAN))                                    \
    X(mlse_create_max_block_zero, LS_EINVAL, MLSE_BAD(c.max_block = 0))                            \
    X(mlse_process_null_q, LS_EINVAL, size_t no; STATUS(ls_mlse_process(NULL, fbuf, 4, u8buf, &no))) \
    X(mlse_process_null_y, LS_EINVAL, MLSE_PROC(NULL, 4, u8buf, &no_))                             \
    X(mlse_process_null_decisions, LS_EINVAL, MLSE_PROC(fbuf, 4, NULL, &no_))                      \
    X(mlse_process_null_n_out, LS_EINVAL, MLSE_PROC(fbuf, 4, u8buf, NULL))                         \
    X(mlse_process_over_max_block, LS_EINVAL, MLSE_PROC(fbuf, 65, u8buf, &no_))                    \
    X(mlse_process_nan_input, LS_EINVAL, float yy[4] = {0.1f, NAN, 0.2f, 0.3f};                    \
      MLSE_PROC(yy, 4, u8buf, &no_))                                                               \
    X(mlse_reset_null, LS_EINVAL, STATUS(ls_mlse_reset(NULL)))                                     \
    X(mlse_destroy_null, LS_OK, SURVIVES(ls_mlse_destroy(NULL)))                                   \
    X(ffe_mmse_pr_ok, LS_OK, PR(pulse5, 5, 2, 5, 1, 0.01, NULL, 0.5, taps_out, NULL))              \
    X(ffe_mmse_pr_null_cursors, LS_EINVAL, PR(NULL, 5, 2, 5, 1, 0.01, NULL, 0.5, taps_out, NULL))  \
    X(ffe_mmse_pr_n_cursors_zero, LS_EINVAL, PR(pulse5, 0, 0, 5, 1, 0.01, NULL, 0.5, taps_out, NULL)) \
    X(ffe_mmse_pr_main_range, LS_EINVAL, PR(pulse5, 5, 5, 5, 1, 0.01, NULL, 0.5, taps_out, NULL))  \
    X(ffe_mmse_pr_taps_zero, LS_EINVAL, PR(pulse5, 5, 2, 0, 0, 0.01, NULL, 0.5, taps_out, NULL))   \
    X(ffe_mmse_pr_taps_65, LS_EINVAL, PR(pulse5, 5, 2, 65, 1, 0.01, NULL, 0.5, taps_out, NULL))    \
    X(ffe_mmse_pr_pre_ge_taps, LS_EINVAL, PR(pulse5, 5, 2, 5, 5, 0.01, NULL, 0.5, taps_out, NULL)) \
    X(ffe_mmse_pr_sigma_nan, LS_EINVAL, PR(pulse5, 5, 2, 5, 1, NAN, NULL, 0.5, taps_out, NULL))    \
    X(ffe_mmse_pr_sigma_negative, LS_EINVAL, PR(pulse5, 5, 2, 5, 1, -1.0, NULL, 0.5, taps_out, NULL)) \
    X(ffe_mmse_pr_alpha_above_one, LS_EINVAL, PR(pulse5, 5, 2, 5, 1, 0.01, NULL, 1.5, taps_out, NULL)) \
    X(ffe_mmse_pr_alpha_nan, LS_EINVAL, PR(pulse5, 5, 2, 5, 1, 0.01, NULL, NAN, taps_out, NULL))   \
    X(ffe_mmse_pr_null_taps, LS_EINVAL, PR(pulse5, 5, 2, 5, 1, 0.01, NULL, 0.5, NULL, NULL))       \
    X(ffe_mmse_pr_cursor_nan, LS_EINVAL, const double cc[3] = {0.1, 1.0, NAN};                     \
      PR(cc, 3, 1, 3, 1, 0.01, NULL, 0.5, taps_out, NULL))
API_TABLE(mlse, MLSE_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * eqsolve.h
 */
/* ls_ffe_mmse(cursors, n_cursors, main, n_taps, n_pre, sigma2, acf, n_dfe, taps, dfe, mse) */
#define MMSE(...) STATUS(ls_ffe_mmse(__VA_ARGS__))
/* ls_ffe_zf(cursors, n_cursors, main, n_taps, n_pre, n_dfe, taps, dfe) */
#define ZF(...) STATUS(ls_ffe_zf(__VA_ARGS__))
/* ls_dfe_from_pulse(cursors, n, main, n_dfe, limits, dfe) */
#define DFP(...) STATUS(ls_dfe_from_pulse(__VA_ARGS__))
/* ls_apply_ffe(pulse, n, sps, taps, n_taps, n_pre, out) */
#define APPLY(...) STATUS(ls_apply_ffe(__VA_ARGS__))
static const double ffe3[3] = {-0.1, 1.0, -0.2};
#define EQSOLVE_ROWS(X)                                                                            \
    X(ffe_mmse_ok, LS_OK, MMSE(pulse5, 5, 2, 5, 1, 0.01, NULL, 1, taps_out, dfe_out, NULL))        \
    X(ffe_mmse_null_cursors, LS_EINVAL, MMSE(NULL, 5, 2, 5, 1, 0.01, NULL, 1, taps_out, dfe_out, NULL)) \
    X(ffe_mmse_n_cursors_zero, LS_EINVAL, MMSE(pulse5, 0, 0, 5, 1, 0.01, NULL, 1, taps_out, dfe_out, NULL)) \
    X(ffe_mmse_main_range, LS_EINVAL, MMSE(pulse5, 5, 5, 5, 1, 0.01, NULL, 1, taps_out, dfe_out, NULL)) \
    X(ffe_mmse_main_cursor_zero, LS_EINVAL, const double cc[3] = {0.1, 0.0, 0.2};                  \
      MMSE(cc, 3, 1, 3, 1, 0.01, NULL, 0, taps_out, NULL, NULL))                                   \
    X(ffe_mmse_taps_zero, LS_EINVAL, MMSE(pulse5, 5, 2, 0, 0, 0.01, NULL, 1, taps_out, dfe_out, NULL)) \
    X(ffe_mmse_taps_65, LS_EINVAL, MMSE(pulse5, 5, 2, 65, 1, 0.01, NULL, 1, taps_out, dfe_out, NULL)) \
    X(ffe_mmse_pre_ge_taps, LS_EINVAL, MMSE(pulse5, 5, 2, 5, 5, 0.01, NULL, 1, taps_out, dfe_out, NULL)) \
    X(ffe_mmse_sigma_nan, LS_EINVAL, MMSE(pulse5, 5, 2, 5, 1, NAN, NULL, 1, taps_out, dfe_out, NULL)) \
    X(ffe_mmse_sigma_negative, LS_EINVAL, MMSE(pulse5, 5, 2, 5, 1, -0.1, NULL, 1, taps_out, dfe_out, NULL)) \
    X(ffe_mmse_acf0_zero, LS_EINVAL, const double acf[5] = {0.0, 0.0, 0.0, 0.0, 0.0};              \
      MMSE(pulse5, 5, 2, 5, 1, 0.01, acf, 1, taps_out, dfe_out, NULL))                             \
    X(ffe_mmse_acf_above_acf0, LS_EINVAL, const double acf[5] = {1.0, 2.0, 0.0, 0.0, 0.0};         \
      MMSE(pulse5, 5, 2, 5, 1, 0.01, acf, 1, taps_out, dfe_out, NULL))                             \
    X(ffe_mmse_dfe_65, LS_EINVAL, MMSE(pulse5, 5, 2, 5, 1, 0.01, NULL, 65, taps_out, dfe_out, NULL)) \
    X(ffe_mmse_null_taps, LS_EINVAL, MMSE(pulse5, 5, 2, 5, 1, 0.01, NULL, 1, NULL, dfe_out, NULL)) \
    X(ffe_mmse_null_dfe, LS_EINVAL, MMSE(pulse5, 5, 2, 5, 1, 0.01, NULL, 1, taps_out, NULL, NULL)) \
    X(ffe_zf_ok, LS_OK, ZF(pulse5, 5, 2, 5, 1, 1, taps_out, dfe_out))                              \
    X(ffe_zf_null_cursors, LS_EINVAL, ZF(NULL, 5, 2, 5, 1, 1, taps_out, dfe_out))                  \
    X(ffe_zf_n_cursors_zero, LS_EINVAL, ZF(pulse5, 0, 0, 5, 1, 1, taps_out, dfe_out))              \
    X(ffe_zf_main_range, LS_EINVAL, ZF(pulse5, 5, 9, 5, 1, 1, taps_out, dfe_out))                  \
    X(ffe_zf_taps_zero, LS_EINVAL, ZF(pulse5, 5, 2, 0, 0, 1, taps_out, dfe_out))                   \
    X(ffe_zf_taps_65, LS_EINVAL, ZF(pulse5, 5, 2, 65, 1, 1, taps_out, dfe_out))                    \
    X(ffe_zf_pre_ge_taps, LS_EINVAL, ZF(pulse5, 5, 2, 5, 6, 1, taps_out, dfe_out))                 \
    X(ffe_zf_dfe_65, LS_EINVAL, ZF(pulse5, 5, 2, 5, 1, 65, taps_out, dfe_out))                     \
    X(ffe_zf_null_taps, LS_EINVAL, ZF(pulse5, 5, 2, 5, 1, 1, NULL, dfe_out))                       \
    X(ffe_zf_null_dfe, LS_EINVAL, ZF(pulse5, 5, 2, 5, 1, 1, taps_out, NULL))                       \
    X(ffe_zf_cursor_inf, LS_EINVAL, const double cc[3] = {INFINITY, 1.0, 0.2};                     \
      ZF(cc, 3, 1, 3, 1, 0, taps_out, NULL))                                                       \
    X(dfe_from_pulse_ok, LS_OK, DFP(pulse5, 5, 2, 2, NULL, dfe_out))                               \
    X(dfe_from_pulse_null_cursors, LS_EINVAL, DFP(NULL, 5, 2, 2, NULL, dfe_out))                   \
    X(dfe_from_pulse_n_zero, LS_EINVAL, DFP(pulse5, 0, 0, 2, NULL, dfe_out))                       \
    X(dfe_from_pulse_main_range, LS_EINVAL, DFP(pulse5, 5, 5, 2, NULL, dfe_out))                   \
    X(dfe_from_pulse_main_zero, LS_EINVAL, const double cc[3] = {0.1, 0.0, 0.2};                   \
      DFP(cc, 3, 1, 1, NULL, dfe_out))                                                             \
    X(dfe_from_pulse_dfe_65, LS_EINVAL, DFP(pulse5, 5, 2, 65, NULL, dfe_out))                      \
    X(dfe_from_pulse_null_out, LS_EINVAL, DFP(pulse5, 5, 2, 2, NULL, NULL))                        \
    X(dfe_from_pulse_zero_null_out, LS_OK, DFP(pulse5, 5, 2, 0, NULL, NULL))                       \
    X(dfe_from_pulse_limit_negative, LS_EINVAL, const double lim[2] = {0.5, -0.1};                 \
      DFP(pulse5, 5, 2, 2, lim, dfe_out))                                                          \
    X(dfe_from_pulse_limit_nan, LS_EINVAL, const double lim[2] = {NAN, 0.5};                       \
      DFP(pulse5, 5, 2, 2, lim, dfe_out))                                                          \
    X(apply_ffe_ok, LS_OK, APPLY(fbuf, 16, 2, ffe3, 3, 1, fbuf + 1024))                            \
    X(apply_ffe_null_pulse, LS_EINVAL, APPLY(NULL, 16, 2, ffe3, 3, 1, fbuf + 1024))                \
    X(apply_ffe_n_zero, LS_EINVAL, APPLY(fbuf, 0, 2, ffe3, 3, 1, fbuf + 1024))                     \
    X(apply_ffe_sps_zero, LS_EINVAL, APPLY(fbuf, 16, 0, ffe3, 3, 1, fbuf + 1024))                  \
    X(apply_ffe_null_taps, LS_EINVAL, APPLY(fbuf, 16, 2, NULL, 3, 1, fbuf + 1024))                 \
    X(apply_ffe_taps_zero, LS_EINVAL, APPLY(fbuf, 16, 2, ffe3, 0, 0, fbuf + 1024))                 \
    X(apply_ffe_taps_65, LS_EINVAL, APPLY(fbuf, 16, 2, taps_out, 65, 1, fbuf + 1024))              \
    X(apply_ffe_pre_ge_taps, LS_EINVAL, APPLY(fbuf, 16, 2, ffe3, 3, 3, fbuf + 1024))               \
    X(apply_ffe_tap_nan, LS_EINVAL, const double t[3] = {0.0, 1.0, NAN};                           \
      APPLY(fbuf, 16, 2, t, 3, 1, fbuf + 1024))                                                    \
    X(apply_ffe_null_out, LS_EINVAL, APPLY(fbuf, 16, 2, ffe3, 3, 1, NULL))                         \
    X(apply_ffe_overlap, LS_EINVAL, APPLY(fbuf, 16, 2, ffe3, 3, 1, fbuf + 8))
API_TABLE(eqsolve, EQSOLVE_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * stateye.h
 */
static const float spulse[16] = {0.0f, 0.02f, 0.1f, 0.3f, 0.6f, 0.9f, 1.0f, 0.9f,
                                 0.6f, 0.35f, 0.2f, 0.1f, 0.05f, 0.02f, 0.01f, 0.0f};
static ls_stateye_result se_res;
static double se_map[4 * 8];
static ls_stateye_config se_cfg(void)
{
    ls_stateye_config c;
    ls_stateye_config_init(&c);
    c.pulse = spulse;
    c.n_pulse = 16;
    c.sps = 4;
    c.main_index = 6;
    c.n_bins = 64;
    c.sigma_noise = 0.01;
    return c;
}
#define SE_RUN(stmt) ls_stateye_config c = se_cfg(); stmt; STATUS(ls_stateye_run(&c, &se_res))
#define SE_MAP(n_v, lo, hi, map) ls_stateye_config c = se_cfg();                                   \
    STATUS(ls_stateye_map(&c, n_v, lo, hi, map))
#define STATEYE_ROWS(X)                                                                            \
    X(stateye_run_ok, LS_OK, SE_RUN((void)0))                                                      \
    X(stateye_run_null_cfg, LS_EINVAL, STATUS(ls_stateye_run(NULL, &se_res)))                      \
    X(stateye_run_null_result, LS_EINVAL, ls_stateye_config c = se_cfg();                          \
      STATUS(ls_stateye_run(&c, NULL)))                                                            \
    X(stateye_run_null_pulse, LS_EINVAL, SE_RUN(c.pulse = NULL))                                   \
    X(stateye_run_n_pulse_zero, LS_EINVAL, SE_RUN(c.n_pulse = 0; c.main_index = 0))                \
    X(stateye_run_sps_zero, LS_EINVAL, SE_RUN(c.sps = 0))                                          \
    X(stateye_run_sps_129, LS_EINVAL, SE_RUN(c.sps = 129))                                         \
    X(stateye_run_main_range, LS_EINVAL, SE_RUN(c.main_index = 16))                                \
    X(stateye_run_main_not_positive, LS_EINVAL, SE_RUN(c.main_index = 0))                          \
    X(stateye_run_pulse_nan, LS_EINVAL, float p[16]; memcpy(p, spulse, sizeof p); p[9] = NAN;      \
      SE_RUN(c.pulse = p))                                                                         \
    X(stateye_run_levels_3, LS_EINVAL, SE_RUN(c.levels = 3))                                       \
    X(stateye_run_rlm_low, LS_EINVAL, SE_RUN(c.rlm = 0.3))                                         \
    X(stateye_run_rlm_nan, LS_EINVAL, SE_RUN(c.rlm = NAN))                                         \
    X(stateye_run_levels_unsorted, LS_EINVAL, const double lv[4] = {-1.0, 0.5, 0.3, 1.0};          \
      SE_RUN(c.level_values = lv))                                                                 \
    X(stateye_run_levels_too_large, LS_EINVAL, const double lv[4] = {-1.0, -0.3, 0.3, 2.5};        \
      SE_RUN(c.level_values = lv))                                                                 \
    X(stateye_run_dfe_null, LS_EINVAL, SE_RUN(c.n_dfe = 2; c.dfe = NULL))                          \
    X(stateye_run_dfe_257, LS_EINVAL, double d[257] = {0}; SE_RUN(c.n_dfe = 257; c.dfe = d))       \
    X(stateye_run_dfe_nan, LS_EINVAL, const double d[1] = {NAN}; SE_RUN(c.n_dfe = 1; c.dfe = d))   \
    X(stateye_run_thresholds_unsorted, LS_EINVAL, const float th[3] = {0.1f, 0.0f, 0.5f};          \
      SE_RUN(c.thresholds = th))                                                                   \
    X(stateye_run_sigma_negative, LS_EINVAL, SE_RUN(c.sigma_noise = -0.1))                         \
    X(stateye_run_sigma_nan, LS_EINVAL, SE_RUN(c.sigma_noise = NAN))                               \
    X(stateye_run_rj_high, LS_EINVAL, SE_RUN(c.rj_ui = 0.2))                                       \
    X(stateye_run_dj_high, LS_EINVAL, SE_RUN(c.dj_ui = 0.6))                                       \
    X(stateye_run_dj_negative, LS_EINVAL, SE_RUN(c.dj_ui = -0.1))                                  \
    X(stateye_run_target_high, LS_EINVAL, SE_RUN(c.target_ber = 0.1))                              \
    X(stateye_run_target_low, LS_EINVAL, SE_RUN(c.target_ber = 1e-16))                             \
    X(stateye_run_bins_low, LS_EINVAL, SE_RUN(c.n_bins = LS_STATEYE_MIN_BINS - 1))                 \
    X(stateye_run_bins_high, LS_EINVAL, SE_RUN(c.n_bins = LS_STATEYE_MAX_BINS + 1))                \
    X(stateye_map_ok, LS_OK, SE_MAP(8, -1.0, 1.0, se_map))                                         \
    X(stateye_map_null_cfg, LS_EINVAL, STATUS(ls_stateye_map(NULL, 8, -1.0, 1.0, se_map)))         \
    X(stateye_map_n_v_1, LS_EINVAL, SE_MAP(1, -1.0, 1.0, se_map))                                  \
    X(stateye_map_range_empty, LS_EINVAL, SE_MAP(8, 1.0, 1.0, se_map))                             \
    X(stateye_map_range_nan, LS_EINVAL, SE_MAP(8, NAN, 1.0, se_map))                               \
    X(stateye_map_null_map, LS_EINVAL, SE_MAP(8, -1.0, 1.0, NULL))                                 \
    X(stateye_map_invalid_cfg, LS_EINVAL, ls_stateye_config c = se_cfg(); c.sps = 0;              \
      STATUS(ls_stateye_map(&c, 8, -1.0, 1.0, se_map)))
API_TABLE(stateye, STATEYE_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * tline.h
 */
static ls_tline_config tl_cfg(void)
{
    ls_tline_config c;
    ls_tline_config_init(&c);
    return c;
}
static ls_tline_config tl_explicit(void)
{
    ls_tline_config c = tl_cfg();
    c.awg = 0;
    c.rs_ohm_rthz = 1e-4;
    c.rdc_ohm_m = 0.1;
    return c;
}
static ls_cascade_config cas_cfg(void)
{
    ls_cascade_config c;
    ls_cascade_config_init(&c);
    return c;
}
/* A cascade with room for only `room` more segments (filled with 1 pH series inductances). */
static ls_cascade_config cas_full(size_t room)
{
    ls_cascade_config c = cas_cfg();
    while (c.n_seg < LS_CASCADE_MAX_SEGS - room)
        c.seg[c.n_seg++] = ls_seg_series_l(1e-12);
    return c;
}
static ls_package_config pkg_cfg(void)
{
    ls_package_config c;
    ls_package_config_init(&c);
    return c;
}
#define TL_BAD(stmt) ls_tline_config c = tl_cfg(); stmt; STATUS(ls_tline_validate(&c))
#define TLX_BAD(stmt) ls_tline_config c = tl_explicit(); stmt; STATUS(ls_tline_validate(&c))
#define CAS_ADD(seg) ls_cascade_config c = cas_cfg(); STATUS(ls_cascade_add(&c, seg))
#define CAS_BAD(stmt) ls_cascade_config c = cas_cfg(); stmt; STATUS(ls_cascade_validate(&c))
#define COM_LINE(stmt) ls_package_config p = pkg_cfg(); ls_com_line l = {92.5, 10.0, p.gamma0_per_mm, \
    p.a1_rtns_per_mm, p.a2_ns_per_mm, p.tau_ns_per_mm}; stmt; CAS_ADD(ls_seg_com_line(&l))
#define PKG(stmt, side, cas) ls_package_config p = pkg_cfg(); ls_cascade_config c = cas_cfg();     \
    stmt; STATUS(ls_package_append(&p, side, cas))
#define TLINE_ROWS(X)                                                                              \
    X(tline_validate_ok, LS_OK, TL_BAD((void)0))                                                   \
    X(tline_validate_explicit_ok, LS_OK, TLX_BAD((void)0))                                         \
    X(tline_preset_null_name, LS_EINVAL, ls_tline_config c; STATUS(ls_tline_preset(NULL, &c)))     \
    X(tline_preset_unknown, LS_EINVAL, ls_tline_config c; STATUS(ls_tline_preset("twinax99", &c))) \
    X(tline_preset_null_cfg, LS_EINVAL, STATUS(ls_tline_preset("twinax26", NULL)))                 \
    X(tline_preset_name_past_end, LS_OK, RETURNS(ls_tline_preset_name(1000), NULL))                \
    X(tline_validate_null, LS_EINVAL, STATUS(ls_tline_validate(NULL)))                             \
    X(tline_validate_length_negative, LS_EINVAL, TL_BAD(c.length_m = -1.0))                        \
    X(tline_validate_length_nan, LS_EINVAL, TL_BAD(c.length_m = NAN))                              \
    X(tline_validate_z0_zero, LS_EINVAL, TL_BAD(c.z0_ohm = 0.0))                                   \
    X(tline_validate_eps_below_one, LS_EINVAL, TL_BAD(c.eps_r = 0.5))                              \
    X(tline_validate_tand_high, LS_EINVAL, TL_BAD(c.tan_d = 0.6))                                  \
    X(tline_validate_tand_negative, LS_EINVAL, TL_BAD(c.tan_d = -0.01))                            \
    X(tline_validate_fref_low, LS_EINVAL, TL_BAD(c.f_ref_hz = 1.0))                                \
    X(tline_validate_fref_high, LS_EINVAL, TL_BAD(c.f_ref_hz = 1e12))                              \
    X(tline_validate_diel_invalid, LS_EINVAL, TL_BAD(c.diel = (ls_diel_model)5))                   \
    X(tline_validate_awg_9, LS_EINVAL, TL_BAD(c.awg = 9))                                          \
    X(tline_validate_awg_41, LS_EINVAL, TL_BAD(c.awg = 41))                                        \
    X(tline_validate_prox_below_one, LS_EINVAL, TL_BAD(c.awg = 26; c.prox_factor = 0.5))           \
    X(tline_validate_rs_negative, LS_EINVAL, TLX_BAD(c.rs_ohm_rthz = -1e-4))                       \
    X(tline_validate_rdc_nan, LS_EINVAL, TLX_BAD(c.rdc_ohm_m = NAN))                               \
    X(tline_validate_rough_invalid, LS_EINVAL, TL_BAD(c.rough = (ls_rough_model)7))                \
    X(tline_validate_rough_rms_negative, LS_EINVAL,                                                \
      TL_BAD(c.rough = LS_ROUGH_HAMMERSTAD; c.rough_rms_um = -1.0))                                \
    X(tline_validate_huray_radius_zero, LS_EINVAL,                                                 \
      TL_BAD(c.rough = LS_ROUGH_HURAY; c.huray_a_um = 0.0; c.huray_sr = 1.0))                      \
    X(tline_rlgc_null_cfg, LS_EINVAL, double complex z, y; STATUS(ls_tline_rlgc(NULL, 1e9, &z, &y))) \
    X(tline_rlgc_nan_f, LS_EINVAL, ls_tline_config c = tl_cfg(); double complex z, y;              \
      STATUS(ls_tline_rlgc(&c, NAN, &z, &y)))                                                      \
    X(tline_rlgc_invalid_cfg, LS_EINVAL, ls_tline_config c = tl_cfg(); c.z0_ohm = -1;              \
      double complex z, y; STATUS(ls_tline_rlgc(&c, 1e9, &z, &y)))                                 \
    X(tline_gamma_null_cfg, LS_EINVAL, double complex g, z; STATUS(ls_tline_gamma(NULL, 1e9, &g, &z))) \
    X(tline_gamma_f_zero, LS_EINVAL, ls_tline_config c = tl_cfg(); double complex g, z;            \
      STATUS(ls_tline_gamma(&c, 0.0, &g, &z)))                                                     \
    X(tline_gamma_f_negative, LS_EINVAL, ls_tline_config c = tl_cfg(); double complex g, z;        \
      STATUS(ls_tline_gamma(&c, -1e9, &g, &z)))                                                    \
    X(tline_gamma_f_inf, LS_EINVAL, ls_tline_config c = tl_cfg(); double complex g, z;             \
      STATUS(ls_tline_gamma(&c, INFINITY, &g, &z)))                                                \
    X(tline_loss_null, LS_EINVAL, NAN_OF(ls_tline_loss_db_per_m(NULL, 1e9)))                       \
    X(tline_loss_f_zero, LS_EINVAL, ls_tline_config c = tl_cfg(); NAN_OF(ls_tline_loss_db_per_m(&c, 0.0))) \
    X(tline_delay_null, LS_EINVAL, NAN_OF(ls_tline_delay_s(NULL)))                                 \
    X(cascade_add_null_cfg, LS_EINVAL, STATUS(ls_cascade_add(NULL, ls_seg_series_r(1.0))))         \
    X(cascade_add_line_null, LS_EINVAL, CAS_ADD(ls_seg_line(NULL)))                                \
    X(cascade_add_line_invalid, LS_EINVAL, ls_tline_config l = tl_cfg(); l.eps_r = NAN;            \
      CAS_ADD(ls_seg_line(&l)))                                                                    \
    X(cascade_add_com_null, LS_EINVAL, CAS_ADD(ls_seg_com_line(NULL)))                             \
    X(cascade_add_com_ok, LS_OK, COM_LINE((void)0))                                                \
    X(cascade_add_com_tau_zero, LS_EINVAL, COM_LINE(l.tau_ns_per_mm = 0.0))                        \
    X(cascade_add_com_zc_nan, LS_EINVAL, COM_LINE(l.zc_ohm = NAN))                                 \
    X(cascade_add_com_length_negative, LS_EINVAL, COM_LINE(l.length_mm = -1.0))                    \
    X(cascade_add_series_l_negative, LS_EINVAL, CAS_ADD(ls_seg_series_l(-1e-9)))                   \
    X(cascade_add_shunt_c_nan, LS_EINVAL, CAS_ADD(ls_seg_shunt_c(NAN)))                            \
    X(cascade_add_series_r_inf, LS_EINVAL, CAS_ADD(ls_seg_series_r(INFINITY)))                     \
    X(cascade_add_seg_type_invalid, LS_EINVAL, ls_seg g = ls_seg_series_r(1.0);                    \
      g.type = (ls_seg_type)0; CAS_ADD(g))                                                         \
    X(cascade_add_full, LS_EINVAL, ls_cascade_config c = cas_full(0);                              \
      STATUS(ls_cascade_add(&c, ls_seg_series_r(1.0))))                                            \
    X(cascade_add_unchanged_on_error, LS_OK, ls_cascade_config c = cas_cfg();                      \
      ls_status s = ls_cascade_add(&c, ls_seg_series_l(-1.0)); RETURNS(s == LS_EINVAL && c.n_seg == 0, 1)) \
    X(cascade_validate_null, LS_EINVAL, STATUS(ls_cascade_validate(NULL)))                         \
    X(cascade_validate_ok, LS_OK, CAS_BAD((void)0))                                                \
    X(cascade_validate_zsrc_zero, LS_EINVAL, CAS_BAD(c.z_src_ohm = 0.0))                           \
    X(cascade_validate_zload_nan, LS_EINVAL, CAS_BAD(c.z_load_ohm = NAN))                          \
    X(cascade_validate_span_low, LS_EINVAL, CAS_BAD(c.span_max_s = 1e-11))                         \
    X(cascade_validate_span_high, LS_EINVAL, CAS_BAD(c.span_max_s = 1e-7))                         \
    X(cascade_validate_n_seg_over, LS_EINVAL, CAS_BAD(c.n_seg = LS_CASCADE_MAX_SEGS + 1))          \
    X(cascade_validate_bad_segment, LS_EINVAL, CAS_BAD(c.seg[0] = ls_seg_series_r(1.0);            \
      c.seg[0].value = -1.0; c.n_seg = 1))                                                         \
    X(cascade_sparams_null_cfg, LS_EINVAL, STATUS(ls_cascade_sparams(NULL, freqs, 4, hbuf, NULL))) \
    X(cascade_sparams_null_f, LS_EINVAL, ls_cascade_config c = cas_cfg();                          \
      STATUS(ls_cascade_sparams(&c, NULL, 4, hbuf, hbuf + 8)))                                     \
    X(cascade_sparams_zero_null, LS_OK, ls_cascade_config c = cas_cfg();                           \
      STATUS(ls_cascade_sparams(&c, NULL, 0, NULL, NULL)))                                         \
    X(cascade_sparams_nan_f, LS_EINVAL, ls_cascade_config c = cas_cfg();                           \
      const double f[2] = {1e9, NAN}; STATUS(ls_cascade_sparams(&c, f, 2, hbuf, NULL)))            \
    X(cascade_sparams_invalid_cfg, LS_EINVAL, ls_cascade_config c = cas_cfg(); c.z_src_ohm = -50;  \
      STATUS(ls_cascade_sparams(&c, freqs, 4, hbuf, NULL)))                                        \
    X(cascade_bulk_delay_null, LS_EINVAL, NAN_OF(ls_cascade_bulk_delay_s(NULL)))                   \
    X(cascade_into_block_null_cfg, LS_EINVAL, BLOCK(ls_cascade_into_block(NULL, &out)))            \
    X(cascade_into_block_null_out, LS_EINVAL, ls_cascade_config c = cas_cfg();                     \
      STATUS(ls_cascade_into_block(&c, NULL)))                                                     \
    X(cascade_into_block_invalid, LS_EINVAL, ls_cascade_config c = cas_cfg(); c.z_load_ohm = 0.0;  \
      BLOCK(ls_cascade_into_block(&c, &out)))                                                      \
    X(cascade_delay_null, LS_EINVAL, NAN_OF(ls_cascade_delay_s(NULL)))                             \
    X(cascade_delay_other_block, LS_EINVAL, ls_block b = lti_block(); double d = ls_cascade_delay_s(&b); \
      ls_block_destroy(&b); NAN_OF(d))                                                             \
    X(cascade_block_ops_destroy_null, LS_OK, ls_cascade_config c = cas_cfg(); ls_block b;          \
      if (ls_cascade_into_block(&c, &b) != LS_OK) return LS_EINTERNAL; b.ops->destroy(NULL);       \
      ls_block_destroy(&b); return LS_OK)                                                          \
    X(package_append_ok, LS_OK, PKG((void)0, LS_PKG_TX, &c))                                       \
    X(package_append_null_pkg, LS_EINVAL, ls_cascade_config c = cas_cfg();                         \
      STATUS(ls_package_append(NULL, LS_PKG_RX, &c)))                                              \
    X(package_append_null_cas, LS_EINVAL, PKG((void)c, LS_PKG_TX, NULL))                           \
    X(package_append_side_invalid, LS_EINVAL, PKG((void)0, (ls_pkg_side)2, &c))                    \
    X(package_append_n_die_over, LS_EINVAL, PKG(p.n_die = LS_PACKAGE_MAX_DIE + 1, LS_PKG_TX, &c))  \
    X(package_append_n_line_over, LS_EINVAL, PKG(p.n_line = LS_PACKAGE_MAX_LINES + 1, LS_PKG_TX, &c)) \
    X(package_append_cd_negative, LS_EINVAL, PKG(p.c_d_f[0] = -1e-15, LS_PKG_RX, &c))              \
    X(package_append_tau_nan, LS_EINVAL, PKG(p.tau_ns_per_mm = NAN, LS_PKG_TX, &c))                \
    X(package_append_no_room, LS_EINVAL, ls_package_config p = pkg_cfg(); ls_cascade_config c = cas_full(2); \
      STATUS(ls_package_append(&p, LS_PKG_TX, &c)))
API_TABLE(tline, TLINE_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * touchstone.h: files written to $TMPDIR (or /tmp) by the row and removed after it.
 */
static const char s2p_text[] = "# GHz S MA R 50\n"
                               "1 0.1 0 0.9 -10 0.9 -10 0.1 0\n"
                               "2 0.1 0 0.8 -20 0.8 -20 0.1 0\n"
                               "3 0.1 0 0.7 -30 0.7 -30 0.1 0\n";
static const char s1p_text[] = "# GHz S MA R 50\n1 0.5 0\n2 0.4 0\n";
static void ts_path(char *buf, size_t cap, const char *tag, const char *ext)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, cap, "%s/ls_api_%s_%d%s", dir && *dir ? dir : "/tmp", tag, (int)getpid(), ext);
}
/* Writes text to a fresh temporary file (the path in buf). */
static void ts_write(char *buf, size_t cap, const char *tag, const char *ext, const char *text)
{
    ts_path(buf, cap, tag, ext);
    FILE *f = fopen(buf, "w");
    cr_assert(f != NULL, "cannot write %s", buf);
    fputs(text, f);
    fclose(f);
}
/* The S-parameters of text (a 2-port unless ext says otherwise); the file is removed at once. */
static ls_touchstone *ts_load(const char *ext, const char *text)
{
    char path[512], msg[256] = "";
    ts_write(path, sizeof path, "load", ext, text);
    ls_status st = LS_OK;
    ls_touchstone *t = ls_touchstone_read(path, msg, sizeof msg, &st);
    unlink(path);
    cr_assert(t != NULL, "%s: %s", path, msg);
    return t;
}
static ls_touchstone *ts2(void)
{
    return ts_load(".s2p", s2p_text);
}
static const ls_port_map map_se = {0, LS_PORT_NONE, 1, LS_PORT_NONE};
/* Reads a file holding text (ext names the port count) and removes it. */
static int ts_read_text(const char *ext, const char *text, int with_msg)
{
    char path[512], msg[256] = "";
    ts_write(path, sizeof path, "read", ext, text);
    ls_status err = ERR_UNSET;
    ls_touchstone *t = ls_touchstone_read(path, with_msg ? msg : NULL, with_msg ? sizeof msg : 0, &err);
    unlink(path);
    if (t) {
        ls_touchstone_destroy(t);
        return R_NOT_NULL;
    }
    return err == ERR_UNSET ? R_ERR_UNSET : (int)err;
}
/* An S-parameter block from a file holding text (fs hint fs), removed after. */
static int sparam_text(const char *text, int auto_map, ls_port_map m, double fs, int cfg_null, int out_null)
{
    char path[512], msg[256] = "";
    ts_write(path, sizeof path, "block", ".s2p", text);
    ls_sparam_config c = {path, auto_map, m, fs};
    ls_block out = {&sentinel_ops, (void *)&sentinel_ops};
    ls_status s = ls_sparam_into_block(cfg_null ? NULL : &c, out_null ? NULL : &out, msg, sizeof msg);
    unlink(path);
    if (s == LS_OK) {
        ls_block_destroy(&out);
        return LS_OK;
    }
    if (!out_null && (out.ops || out.self))
        return R_OUT_NOT_CLEARED;
    return s;
}
#define TS_CALL(expr) ls_touchstone *t = ts2(); ls_status s = (expr); ls_touchstone_destroy(t); STATUS(s)
#define TOUCHSTONE_ROWS(X)                                                                         \
    X(touchstone_read_ok, LS_OK, int r = ts_read_text(".s2p", s2p_text, 1);                        \
      return r == R_NOT_NULL ? LS_OK : r)                                                          \
    X(touchstone_read_null_path, LS_EINVAL, char msg[64];                                          \
      CREATE(ls_touchstone_read(NULL, msg, sizeof msg, &err), ls_touchstone_destroy))              \
    X(touchstone_read_null_path_null_err, LS_EINVAL,                                               \
      CREATE_NOERR(ls_touchstone_read(NULL, NULL, 0, NULL), ls_touchstone_destroy))                \
    X(touchstone_read_missing_file, LS_EIO, char path[512]; ts_path(path, sizeof path, "missing", ".s2p"); \
      CREATE(ls_touchstone_read(path, NULL, 0, &err), ls_touchstone_destroy))                      \
    X(touchstone_read_empty_file, LS_EINVAL, return ts_read_text(".s2p", "", 1))                   \
    X(touchstone_read_truncated, LS_EINVAL, return ts_read_text(".s2p", "# GHz S MA R 50\n1 0.1 0 0.9\n", 1)) \
    X(touchstone_read_nan_value, LS_EINVAL,                                                        \
      return ts_read_text(".s2p", "# GHz S MA R 50\n1 nan 0 0.9 0 0.9 0 0.1 0\n", 1))              \
    X(touchstone_read_freq_not_increasing, LS_EINVAL,                                              \
      return ts_read_text(".s2p", "# GHz S MA R 50\n2 0.1 0 0.9 0 0.9 0 0.1 0\n1 0.1 0 0.9 0 0.9 0 0.1 0\n", 1)) \
    X(touchstone_read_negative_freq, LS_EINVAL,                                                    \
      return ts_read_text(".s2p", "# GHz S MA R 50\n-1 0.1 0 0.9 0 0.9 0 0.1 0\n", 1))             \
    X(touchstone_read_y_params, LS_EINVAL,                                                         \
      return ts_read_text(".s2p", "# GHz Y MA R 50\n1 0.1 0 0.9 0 0.9 0 0.1 0\n", 1))              \
    X(touchstone_read_r_zero, LS_EINVAL,                                                           \
      return ts_read_text(".s2p", "# GHz S MA R 0\n1 0.1 0 0.9 0 0.9 0 0.1 0\n", 1))               \
    X(touchstone_read_bad_extension, LS_EINVAL, return ts_read_text(".txt", s2p_text, 1))          \
    X(touchstone_read_zero_ports, LS_EINVAL, return ts_read_text(".s0p", s2p_text, 1))             \
    X(touchstone_read_null_msg, LS_EINVAL, return ts_read_text(".s2p", "garbage\n", 0))            \
    X(touchstone_detect_map_null_t, LS_EINVAL, ls_port_map m; STATUS(ls_touchstone_detect_map(NULL, &m))) \
    X(touchstone_detect_map_null_m, LS_EINVAL, TS_CALL(ls_touchstone_detect_map(t, NULL)))         \
    X(touchstone_detect_map_one_port, LS_EINVAL, ls_touchstone *t = ts_load(".s1p", s1p_text);     \
      ls_port_map m; ls_status s = ls_touchstone_detect_map(t, &m); ls_touchstone_destroy(t); STATUS(s)) \
    X(touchstone_check_map_ok, LS_OK, TS_CALL(ls_touchstone_check_map(t, &map_se)))                \
    X(touchstone_check_map_null_t, LS_EINVAL, STATUS(ls_touchstone_check_map(NULL, &map_se)))      \
    X(touchstone_check_map_null_m, LS_EINVAL, TS_CALL(ls_touchstone_check_map(t, NULL)))           \
    X(touchstone_check_map_port_range, LS_EINVAL, ls_port_map m = {0, LS_PORT_NONE, 2, LS_PORT_NONE}; \
      TS_CALL(ls_touchstone_check_map(t, &m)))                                                     \
    X(touchstone_check_map_diff_on_2port, LS_EINVAL, ls_port_map m = {0, 1, 1, 0};                 \
      TS_CALL(ls_touchstone_check_map(t, &m)))                                                     \
    X(touchstone_mixed_ok, LS_OK, double complex a; TS_CALL(ls_touchstone_mixed(t, &map_se, 0, &a, NULL, NULL))) \
    X(touchstone_mixed_null_t, LS_EINVAL, double complex a;                                        \
      STATUS(ls_touchstone_mixed(NULL, &map_se, 0, &a, NULL, NULL)))                               \
    X(touchstone_mixed_null_map, LS_EINVAL, double complex a;                                      \
      TS_CALL(ls_touchstone_mixed(t, NULL, 0, &a, NULL, NULL)))                                    \
    X(touchstone_mixed_k_range, LS_EINVAL, double complex a;                                       \
      TS_CALL(ls_touchstone_mixed(t, &map_se, 3, &a, NULL, NULL)))                                 \
    X(touchstone_loss_null_t, LS_EINVAL, double il;                                                \
      STATUS(ls_touchstone_loss_db(NULL, &map_se, 1e9, &il, NULL)))                                \
    X(touchstone_loss_f_negative, LS_EINVAL, double il;                                            \
      TS_CALL(ls_touchstone_loss_db(t, &map_se, -1e9, &il, NULL)))                                 \
    X(touchstone_loss_f_nan, LS_EINVAL, double il; TS_CALL(ls_touchstone_loss_db(t, &map_se, NAN, &il, NULL))) \
    X(touchstone_loss_bad_map, LS_EINVAL, double il; ls_port_map m = {5, LS_PORT_NONE, 1, LS_PORT_NONE}; \
      TS_CALL(ls_touchstone_loss_db(t, &m, 1e9, &il, NULL)))                                       \
    X(touchstone_passivity_null_t, LS_EINVAL, double sm;                                           \
      STATUS(ls_touchstone_passivity(NULL, &sm, NULL, NULL)))                                      \
    X(touchstone_passivity_null_sigma, LS_EINVAL, TS_CALL(ls_touchstone_passivity(t, NULL, NULL, NULL))) \
    X(touchstone_destroy_null, LS_OK, SURVIVES(ls_touchstone_destroy(NULL)))                       \
    X(sparam_into_block_ok, LS_OK, return sparam_text(s2p_text, 1, map_se, 0.0, 0, 0))             \
    X(sparam_into_block_null_cfg, LS_EINVAL, return sparam_text(s2p_text, 1, map_se, 0.0, 1, 0))   \
    X(sparam_into_block_null_out, LS_EINVAL, return sparam_text(s2p_text, 1, map_se, 0.0, 0, 1))   \
    X(sparam_into_block_null_path, LS_EINVAL, ls_sparam_config c = {NULL, 1, map_se, 0.0};         \
      BLOCK(ls_sparam_into_block(&c, &out, NULL, 0)))                                              \
    X(sparam_into_block_fs_negative, LS_EINVAL, return sparam_text(s2p_text, 1, map_se, -1e9, 0, 0)) \
    X(sparam_into_block_bad_map, LS_EINVAL, ls_port_map m = {0, LS_PORT_NONE, 7, LS_PORT_NONE};    \
      return sparam_text(s2p_text, 0, m, 0.0, 0, 0))                                               \
    X(sparam_into_block_malformed, LS_EINVAL, return sparam_text("# GHz S MA R 50\n1 2 3\n", 1, map_se, 0.0, 0, 0)) \
    X(sparam_into_block_missing_file, LS_EIO, char path[512]; ts_path(path, sizeof path, "nofile", ".s2p"); \
      ls_sparam_config c = {path, 1, map_se, 0.0}; BLOCK(ls_sparam_into_block(&c, &out, NULL, 0))) \
    X(sparam_from_touchstone_null_t, LS_EINVAL, BLOCK(ls_sparam_from_touchstone(NULL, NULL, 0.0, &out, NULL, 0))) \
    X(sparam_from_touchstone_null_out, LS_EINVAL,                                                  \
      TS_CALL(ls_sparam_from_touchstone(t, NULL, 0.0, NULL, NULL, 0)))                             \
    X(sparam_from_touchstone_fs_nan, LS_EINVAL, ls_touchstone *t = ts2();                          \
      ls_block out = {&sentinel_ops, (void *)&sentinel_ops};                                       \
      ls_status s = ls_sparam_from_touchstone(t, &map_se, NAN, &out, NULL, 0); ls_touchstone_destroy(t); \
      if (s == LS_OK) ls_block_destroy(&out); STATUS(s))                                           \
    X(sparam_delay_null, LS_EINVAL, NAN_OF(ls_sparam_delay_s(NULL)))                               \
    X(sparam_fmax_other_block, LS_EINVAL, ls_block b = lti_block(); double f = ls_sparam_fmax_hz(&b); \
      ls_block_destroy(&b); NAN_OF(f))                                                             \
    X(sparam_warnings_null, LS_OK, RETURNS(ls_sparam_warnings(NULL, NULL, 0), 0u))                 \
    X(sparam_block_ops_destroy_null, LS_OK, ls_touchstone *t = ts2(); ls_block b;                  \
      ls_status s = ls_sparam_from_touchstone(t, &map_se, 0.0, &b, NULL, 0); ls_touchstone_destroy(t); \
      if (s != LS_OK) return LS_EINTERNAL; b.ops->destroy(NULL); ls_block_destroy(&b); return LS_OK)
API_TABLE(touchstone, TOUCHSTONE_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * optx.h
 */
#define FS 3.4e12
static ls_driver_config drv_cfg(void)
{
    ls_driver_config c;
    ls_driver_config_init(&c);
    return c;
}
static ls_eml_config eml_cfg(void)
{
    ls_eml_config c;
    ls_eml_config_init(&c);
    return c;
}
static ls_mzm_config mzm_cfg(void)
{
    ls_mzm_config c;
    ls_mzm_config_init(&c);
    return c;
}
static ls_dml_config dml_cfg(void)
{
    ls_dml_config c;
    ls_dml_config_init(&c);
    return c;
}
static ls_ring_config ring_cfg(void)
{
    ls_ring_config c;
    ls_ring_config_init(&c);
    return c;
}
static ls_block eml_block(void)
{
    ls_eml_config c = eml_cfg();
    ls_block b = {NULL, NULL};
    ls_status s = ls_eml_into_block(&c, FS, &b);
    cr_assert(s == LS_OK, "eml block: %s", ls_strerror(s));
    return b;
}
#define DRV(stmt, fs) ls_driver_config c = drv_cfg(); stmt; BLOCK(ls_driver_into_block(&c, fs, &out))
#define EML(stmt, fs) ls_eml_config c = eml_cfg(); stmt; BLOCK(ls_eml_into_block(&c, fs, &out))
#define MZM(stmt) ls_mzm_config c = mzm_cfg(); stmt; BLOCK(ls_mzm_into_block(&c, FS, &out))
#define DML(stmt, fs) ls_dml_config c = dml_cfg(); stmt; BLOCK(ls_dml_into_block(&c, fs, &out))
#define RING(stmt) ls_ring_config c = ring_cfg(); stmt; BLOCK(ls_ring_into_block(&c, FS, &out))
#define ON_EML(expr) ls_block b = eml_block(); ls_status s = (expr); ls_block_destroy(&b); STATUS(s)
#define ON_LTI(expr) ls_block b = lti_block(); ls_status s = (expr); ls_block_destroy(&b); STATUS(s)
static const double drive2[2] = {-1.0, 1.0};
#define OPTX_ROWS(X)                                                                               \
    X(driver_ok, LS_OK, DRV((void)0, FS))                                                          \
    X(driver_null_cfg, LS_EINVAL, BLOCK(ls_driver_into_block(NULL, FS, &out)))                     \
    X(driver_null_out, LS_EINVAL, ls_driver_config c = drv_cfg(); STATUS(ls_driver_into_block(&c, FS, NULL))) \
    X(driver_fs_zero, LS_EINVAL, DRV((void)0, 0.0))                                                \
    X(driver_fs_negative, LS_EINVAL, DRV((void)0, -FS))                                            \
    X(driver_fs_nan, LS_EINVAL, DRV((void)0, NAN))                                                 \
    X(driver_gain_nan, LS_EINVAL, DRV(c.gain_db = NAN, FS))                                        \
    X(driver_vsat_zero, LS_EINVAL, DRV(c.vsat_v = 0.0, FS))                                        \
    X(driver_noise_negative, LS_EINVAL, DRV(c.noise_v_rthz = -1e-9, FS))                           \
    X(driver_supply_nan, LS_EINVAL, DRV(c.supply_v = NAN, FS))                                     \
    X(driver_current_negative, LS_EINVAL, DRV(c.current_ma = -1.0, FS))                            \
    X(driver_vsat_from_p1db_zero, LS_EINVAL, NAN_OF(ls_driver_vsat_from_p1db(0.0)))                \
    X(driver_vsat_from_p1db_nan, LS_EINVAL, NAN_OF(ls_driver_vsat_from_p1db(NAN)))                 \
    X(laser_rin_var_null, LS_EINVAL, NAN_OF(ls_laser_rin_var(NULL, FS)))                           \
    X(laser_rin_var_fs_zero, LS_EINVAL, ls_laser_config l; ls_laser_config_init(&l);               \
      NAN_OF(ls_laser_rin_var(&l, 0.0)))                                                           \
    X(eml_ok, LS_OK, EML((void)0, FS))                                                             \
    X(eml_null_cfg, LS_EINVAL, BLOCK(ls_eml_into_block(NULL, FS, &out)))                           \
    X(eml_null_out, LS_EINVAL, ls_eml_config c = eml_cfg(); STATUS(ls_eml_into_block(&c, FS, NULL))) \
    X(eml_fs_nan, LS_EINVAL, EML((void)0, NAN))                                                    \
    X(eml_er_zero, LS_EINVAL, EML(c.er_db = 0.0, FS))                                              \
    X(eml_er_61, LS_EINVAL, EML(c.er_db = 61.0, FS))                                               \
    X(eml_vpp_zero, LS_EINVAL, EML(c.vpp_v = 0.0, FS))                                             \
    X(eml_il_negative, LS_EINVAL, EML(c.il_db = -1.0, FS))                                         \
    X(eml_alpha_21, LS_EINVAL, EML(c.alpha = 21.0, FS))                                            \
    X(eml_shape_low, LS_EINVAL, EML(c.shape = 0.5, FS))                                            \
    X(eml_shape_high, LS_EINVAL, EML(c.shape = 5.0, FS))                                           \
    X(eml_laser_power_zero, LS_EINVAL, EML(c.laser.laser_mw = 0.0, FS))                            \
    X(eml_laser_rin_high, LS_EINVAL, EML(c.laser.rin_db_hz = -90.0, FS))                           \
    X(eml_laser_linewidth_negative, LS_EINVAL, EML(c.laser.linewidth_hz = -1.0, FS))               \
    X(eml_laser_wavelength_low, LS_EINVAL, EML(c.laser.wavelength_nm = 700.0, FS))                 \
    X(eml_laser_efficiency_zero, LS_EINVAL, EML(c.laser.wall_plug_eff = 0.0, FS))                  \
    X(eml_laser_efficiency_above_one, LS_EINVAL, EML(c.laser.wall_plug_eff = 1.5, FS))             \
    X(eml_laser_coupling_negative, LS_EINVAL, EML(c.laser.coupling_db = -1.0, FS))                 \
    X(mzm_ok, LS_OK, MZM((void)0))                                                                 \
    X(mzm_null_cfg, LS_EINVAL, BLOCK(ls_mzm_into_block(NULL, FS, &out)))                           \
    X(mzm_vpi_zero, LS_EINVAL, MZM(c.vpi_v = 0.0))                                                 \
    X(mzm_bias_nan, LS_EINVAL, MZM(c.bias_v = NAN))                                                \
    X(mzm_drive_invalid, LS_EINVAL, MZM(c.drive = (ls_mzm_drive)2))                                \
    X(mzm_il_negative, LS_EINVAL, MZM(c.il_db = -3.0))                                             \
    X(dml_ok, LS_OK, DML((void)0, FS))                                                             \
    X(dml_null_cfg, LS_EINVAL, BLOCK(ls_dml_into_block(NULL, FS, &out)))                           \
    X(dml_fr_above_nyquist, LS_EINVAL, DML((void)0, 2.0 * 30e9))                                   \
    X(dml_fr_zero, LS_EINVAL, DML(c.fr_hz = 0.0, FS))                                              \
    X(dml_gamma_zero, LS_EINVAL, DML(c.gamma_per_s = 0.0, FS))                                     \
    X(dml_slope_negative, LS_EINVAL, DML(c.slope_w_per_a = -0.3, FS))                              \
    X(dml_ma_per_v_nan, LS_EINVAL, DML(c.ma_per_v = NAN, FS))                                      \
    X(dml_alpha_21, LS_EINVAL, DML(c.alpha = -21.0, FS))                                           \
    X(dml_kappa_negative, LS_EINVAL, DML(c.kappa_per_w_s = -1.0, FS))                              \
    X(ring_ok, LS_OK, RING((void)0))                                                               \
    X(ring_null_cfg, LS_EINVAL, BLOCK(ls_ring_into_block(NULL, FS, &out)))                         \
    X(ring_q_loaded_zero, LS_EINVAL, RING(c.q_loaded = 0.0))                                       \
    X(ring_q_intrinsic_below_loaded, LS_EINVAL, RING(c.q_intrinsic = c.q_loaded / 2))              \
    X(ring_fsr_zero, LS_EINVAL, RING(c.fsr_ghz = 0.0))                                             \
    X(ring_fwhm_over_half_fsr, LS_EINVAL, RING(c.q_loaded = 10.0; c.q_intrinsic = 100.0))          \
    X(ring_detune_nan, LS_EINVAL, RING(c.bias_detune_ghz = NAN))                                   \
    X(ring_heater_negative, LS_EINVAL, RING(c.heater_mw = -1.0))                                   \
    X(optx_levels_ok, LS_OK, double p[2]; ON_EML(ls_optx_levels(&b, drive2, 2, p)))                \
    X(optx_levels_null_block, LS_EINVAL, double p[2]; STATUS(ls_optx_levels(NULL, drive2, 2, p)))  \
    X(optx_levels_null_drive, LS_EINVAL, double p[2]; ON_EML(ls_optx_levels(&b, NULL, 2, p)))      \
    X(optx_levels_null_out, LS_EINVAL, ON_EML(ls_optx_levels(&b, drive2, 2, NULL)))                \
    X(optx_levels_zero_null, LS_OK, ON_EML(ls_optx_levels(&b, NULL, 0, NULL)))                     \
    X(optx_levels_nan_drive, LS_EINVAL, double p[2]; const double d[2] = {0.0, NAN};               \
      ON_EML(ls_optx_levels(&b, d, 2, p)))                                                         \
    X(optx_levels_not_modulator, LS_EINVAL, double p[2]; ON_LTI(ls_optx_levels(&b, drive2, 2, p))) \
    X(optx_small_signal_null_block, LS_EINVAL, STATUS(ls_optx_small_signal(NULL, 0.0, freqs, hbuf, 4))) \
    X(optx_small_signal_null_f, LS_EINVAL, ON_EML(ls_optx_small_signal(&b, 0.0, NULL, hbuf, 4)))   \
    X(optx_small_signal_null_a, LS_EINVAL, ON_EML(ls_optx_small_signal(&b, 0.0, freqs, NULL, 4)))  \
    X(optx_small_signal_v0_nan, LS_EINVAL, ON_EML(ls_optx_small_signal(&b, NAN, freqs, hbuf, 4)))  \
    X(optx_small_signal_not_modulator, LS_EINVAL, ON_LTI(ls_optx_small_signal(&b, 0.0, freqs, hbuf, 4))) \
    X(optx_get_laser_null_block, LS_EINVAL, ls_laser_config l; STATUS(ls_optx_get_laser(NULL, &l))) \
    X(optx_get_laser_null_out, LS_EINVAL, ON_EML(ls_optx_get_laser(&b, NULL)))                     \
    X(optx_get_laser_not_modulator, LS_EINVAL, ls_laser_config l; ON_LTI(ls_optx_get_laser(&b, &l))) \
    X(optx_power_split_null_block, LS_EINVAL, double a, h; STATUS(ls_optx_power_split(NULL, &a, &h))) \
    X(optx_power_split_not_modulator, LS_EINVAL, double a, h; ON_LTI(ls_optx_power_split(&b, &a, &h))) \
    X(dbm_negative, LS_EINVAL, NAN_OF(ls_dbm(-1.0)))                                               \
    X(optx_blocks_ops_destroy_null, LS_OK, ls_block b = eml_block(); b.ops->destroy(NULL);         \
      ls_block_destroy(&b); ls_driver_config d = drv_cfg(); ls_mzm_config m = mzm_cfg();           \
      ls_dml_config l = dml_cfg(); ls_ring_config r = ring_cfg();                                  \
      if (ls_driver_into_block(&d, FS, &b) != LS_OK) return LS_EINTERNAL; b.ops->destroy(NULL);    \
      ls_block_destroy(&b); if (ls_mzm_into_block(&m, FS, &b) != LS_OK) return LS_EINTERNAL;       \
      b.ops->destroy(NULL); ls_block_destroy(&b);                                                  \
      if (ls_dml_into_block(&l, FS, &b) != LS_OK) return LS_EINTERNAL; b.ops->destroy(NULL);      \
      ls_block_destroy(&b); if (ls_ring_into_block(&r, FS, &b) != LS_OK) return LS_EINTERNAL;      \
      b.ops->destroy(NULL); ls_block_destroy(&b); return LS_OK)
API_TABLE(optx, OPTX_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * optrx.h
 */
static ls_fibre_config fib_cfg(void)
{
    ls_fibre_config c;
    ls_fibre_config_init(&c);
    return c;
}
static ls_photodiode_config pd_cfg(void)
{
    ls_photodiode_config c;
    ls_photodiode_config_init(&c);
    return c;
}
static ls_tia_config tia_cfg(void)
{
    ls_tia_config c;
    ls_tia_config_init(&c);
    return c;
}
#define FIB(stmt) ls_fibre_config c = fib_cfg(); stmt; STATUS(ls_fibre_validate(&c))
#define PD(stmt) ls_photodiode_config c = pd_cfg(); stmt; STATUS(ls_photodiode_validate(&c))
#define TIA(stmt) ls_tia_config c = tia_cfg(); stmt; STATUS(ls_tia_validate(&c))
#define OPTRX_ROWS(X)                                                                              \
    X(fibre_validate_ok, LS_OK, FIB((void)0))                                                      \
    X(fibre_validate_null, LS_EINVAL, STATUS(ls_fibre_validate(NULL)))                             \
    X(fibre_validate_length_negative, LS_EINVAL, FIB(c.length_m = -1.0))                           \
    X(fibre_validate_length_high, LS_EINVAL, FIB(c.length_m = 2e6))                                \
    X(fibre_validate_length_nan, LS_EINVAL, FIB(c.length_m = NAN))                                 \
    X(fibre_validate_wavelength_low, LS_EINVAL, FIB(c.wavelength_nm = 700.0))                      \
    X(fibre_validate_dmode_invalid, LS_EINVAL, FIB(c.dmode = (ls_fibre_dmode)3))                   \
    X(fibre_validate_lambda0_low, LS_EINVAL, FIB(c.lambda0_nm = 900.0))                            \
    X(fibre_validate_s0_high, LS_EINVAL, FIB(c.s0_ps_nm2_km = 2.0))                                \
    X(fibre_validate_d_fixed_high, LS_EINVAL, FIB(c.dmode = LS_FIBRE_D_FIXED; c.d_ps_nm_km = 2000.0)) \
    X(fibre_validate_atten_negative, LS_EINVAL, FIB(c.atten_db_km = -0.5))                         \
    X(fibre_validate_connector_high, LS_EINVAL, FIB(c.connector_db = 11.0))                        \
    X(fibre_validate_n_connectors_high, LS_EINVAL, FIB(c.n_connectors = 1001))                     \
    X(fibre_validate_modal_bw_negative, LS_EINVAL, FIB(c.modal_bw_mhz_km = -1.0))                  \
    X(fibre_validate_mpi_positive, LS_EINVAL, FIB(c.mpi_db = 1.0))                                 \
    X(fibre_validate_mpi_delay_high, LS_EINVAL, FIB(c.mpi_db = -30.0; c.mpi_delay_s = 1e-5))       \
    X(fibre_validate_span_bw_low, LS_EINVAL, FIB(c.span_bw_hz = 1.0))                              \
    X(fibre_d_model_nan, LS_EINVAL, NAN_OF(ls_fibre_d_model(NAN, 1310.0, 0.093)))                  \
    X(fibre_d_model_lambda_zero, LS_EINVAL, NAN_OF(ls_fibre_d_model(0.0, 1310.0, 0.093)))          \
    X(fibre_d_null, LS_EINVAL, NAN_OF(ls_fibre_d_ps_nm_km(NULL)))                                  \
    X(fibre_cd_null, LS_EINVAL, NAN_OF(ls_fibre_cd_ps_nm(NULL)))                                   \
    X(fibre_beta2_null, LS_EINVAL, NAN_OF(ls_fibre_beta2_s2_m(NULL)))                              \
    X(fibre_loss_null, LS_EINVAL, NAN_OF(ls_fibre_loss_db(NULL)))                                  \
    X(fibre_span_null, LS_EINVAL, NAN_OF(ls_fibre_span_s(NULL)))                                   \
    X(fibre_pre_invalid, LS_EINVAL, ls_fibre_config c = fib_cfg(); c.length_m = -1;                \
      NAN_OF(ls_fibre_pre_s(&c)))                                                                  \
    X(fibre_response_ok, LS_OK, ls_fibre_config c = fib_cfg();                                     \
      STATUS(ls_fibre_response(&c, freqs, hbuf, 4)))                                               \
    X(fibre_response_null_cfg, LS_EINVAL, STATUS(ls_fibre_response(NULL, freqs, hbuf, 4)))         \
    X(fibre_response_null_f, LS_EINVAL, ls_fibre_config c = fib_cfg();                             \
      STATUS(ls_fibre_response(&c, NULL, hbuf, 4)))                                                \
    X(fibre_response_null_h, LS_EINVAL, ls_fibre_config c = fib_cfg();                             \
      STATUS(ls_fibre_response(&c, freqs, NULL, 4)))                                               \
    X(fibre_response_nan_f, LS_EINVAL, ls_fibre_config c = fib_cfg(); const double f[1] = {NAN};   \
      STATUS(ls_fibre_response(&c, f, hbuf, 1)))                                                   \
    X(fibre_into_block_null_cfg, LS_EINVAL, BLOCK(ls_fibre_into_block(NULL, &out)))                \
    X(fibre_into_block_null_out, LS_EINVAL, ls_fibre_config c = fib_cfg();                         \
      STATUS(ls_fibre_into_block(&c, NULL)))                                                       \
    X(fibre_into_block_invalid, LS_EINVAL, ls_fibre_config c = fib_cfg(); c.atten_db_km = NAN;     \
      BLOCK(ls_fibre_into_block(&c, &out)))                                                        \
    X(photodiode_validate_ok, LS_OK, PD((void)0))                                                  \
    X(photodiode_validate_null, LS_EINVAL, STATUS(ls_photodiode_validate(NULL)))                   \
    X(photodiode_validate_resp_zero, LS_EINVAL, PD(c.responsivity_a_w = 0.0))                      \
    X(photodiode_validate_resp_high, LS_EINVAL, PD(c.responsivity_a_w = 3.0))                      \
    X(photodiode_validate_dark_negative, LS_EINVAL, PD(c.dark_a = -1e-9))                          \
    X(photodiode_validate_rin_high, LS_EINVAL, PD(c.rin_db_hz = -70.0))                            \
    X(photodiode_validate_gain_below_one, LS_EINVAL, PD(c.apd_gain = 0.5))                         \
    X(photodiode_validate_k_above_one, LS_EINVAL, PD(c.apd_k = 1.5))                               \
    X(photodiode_validate_fs_low, LS_EINVAL, PD(c.fs_hz = 1.0))                                    \
    X(photodiode_validate_fs_nan, LS_EINVAL, PD(c.fs_hz = NAN))                                    \
    X(photodiode_validate_p_op_high, LS_EINVAL, PD(c.p_op_w = 2.0))                                \
    X(apd_excess_noise_m_low, LS_EINVAL, NAN_OF(ls_apd_excess_noise(0.5, 0.1)))                    \
    X(apd_excess_noise_k_high, LS_EINVAL, NAN_OF(ls_apd_excess_noise(10.0, 1.5)))                  \
    X(photodiode_noise_var_null, LS_EINVAL, NAN_OF(ls_photodiode_noise_var(NULL, 1e-3)))           \
    X(photodiode_noise_var_p_negative, LS_EINVAL, ls_photodiode_config c = pd_cfg();               \
      NAN_OF(ls_photodiode_noise_var(&c, -1e-3)))                                                  \
    X(photodiode_into_block_null_cfg, LS_EINVAL, BLOCK(ls_photodiode_into_block(NULL, &out)))      \
    X(photodiode_into_block_null_out, LS_EINVAL, ls_photodiode_config c = pd_cfg();                \
      STATUS(ls_photodiode_into_block(&c, NULL)))                                                  \
    X(photodiode_into_block_invalid, LS_EINVAL, ls_photodiode_config c = pd_cfg(); c.apd_gain = 0; \
      BLOCK(ls_photodiode_into_block(&c, &out)))                                                   \
    X(tia_validate_ok, LS_OK, TIA((void)0))                                                        \
    X(tia_validate_null, LS_EINVAL, STATUS(ls_tia_validate(NULL)))                                 \
    X(tia_validate_zt_zero, LS_EINVAL, TIA(c.zt_ohm = 0.0))                                        \
    X(tia_validate_zt_high, LS_EINVAL, TIA(c.zt_ohm = 1e8))                                        \
    X(tia_validate_noise_negative, LS_EINVAL, TIA(c.noise_pa_rthz = -1.0))                         \
    X(tia_validate_fc_nan, LS_EINVAL, TIA(c.noise_fc_hz = NAN))                                    \
    X(tia_validate_fs_zero, LS_EINVAL, TIA(c.fs_hz = 0.0))                                         \
    X(tia_validate_vlim_negative, LS_EINVAL, TIA(c.vlim_v = -1.0))                                 \
    X(tia_validate_idc_high, LS_EINVAL, TIA(c.i_dc_a = 2.0))                                       \
    X(tia_validate_power_negative, LS_EINVAL, TIA(c.power_mw = -1.0))                              \
    X(tia_validate_bw_order_zero, LS_EINVAL, TIA(c.bw.type = LS_LP_BUTTERWORTH; c.bw.order = 0))   \
    X(tia_validate_bw_f3db_nan, LS_EINVAL, TIA(c.bw.f3db_hz = NAN))                                \
    X(tia_noise_psd_null, LS_EINVAL, NAN_OF(ls_tia_noise_psd(NULL, 1e9)))                          \
    X(tia_noise_psd_generated_invalid, LS_EINVAL, ls_tia_config c = tia_cfg(); c.zt_ohm = -1;      \
      NAN_OF(ls_tia_noise_psd_generated(&c, 1e9)))                                                 \
    X(tia_into_block_null_cfg, LS_EINVAL, BLOCK(ls_tia_into_block(NULL, &out)))                    \
    X(tia_into_block_null_out, LS_EINVAL, ls_tia_config c = tia_cfg(); STATUS(ls_tia_into_block(&c, NULL))) \
    X(tia_into_block_invalid, LS_EINVAL, ls_tia_config c = tia_cfg(); c.fs_hz = NAN;               \
      BLOCK(ls_tia_into_block(&c, &out)))                                                          \
    X(tia_bw_into_block_null_cfg, LS_EINVAL, BLOCK(ls_tia_bw_into_block(NULL, &out)))              \
    X(tia_bw_into_block_null_out, LS_EINVAL, ls_tia_config c = tia_cfg();                          \
      STATUS(ls_tia_bw_into_block(&c, NULL)))                                                      \
    X(tia_bw_into_block_invalid, LS_EINVAL, ls_tia_config c = tia_cfg(); c.zt_ohm = 0.0;           \
      BLOCK(ls_tia_bw_into_block(&c, &out)))                                                       \
    X(optrx_blocks_ops_destroy_null, LS_OK, ls_fibre_config f = fib_cfg(); ls_photodiode_config p = pd_cfg(); \
      ls_tia_config t = tia_cfg(); ls_block b;                                                     \
      if (ls_fibre_into_block(&f, &b) != LS_OK) return LS_EINTERNAL; b.ops->destroy(NULL);         \
      ls_block_destroy(&b); if (ls_photodiode_into_block(&p, &b) != LS_OK) return LS_EINTERNAL;    \
      b.ops->destroy(NULL); ls_block_destroy(&b);                                                  \
      if (ls_tia_into_block(&t, &b) != LS_OK) return LS_EINTERNAL; b.ops->destroy(NULL);          \
      ls_block_destroy(&b); if (ls_tia_bw_into_block(&t, &b) != LS_OK) return LS_EINTERNAL;        \
      b.ops->destroy(NULL); ls_block_destroy(&b); return LS_OK)
API_TABLE(optrx, OPTRX_ROWS, .timeout = 20)

/* ---------------------------------------------------------------------------------------------
 * xtalk.h
 */
#define XT_BAUD 106.25e9
static ls_icn_config icn_cfg(void)
{
    ls_icn_config c;
    ls_icn_config_init(&c, XT_BAUD);
    return c;
}
static ls_block xt_shape(void)
{
    ls_block b = {NULL, NULL};
    ls_status s = ls_xtalk_shape_into_block(LS_XT_FEXT, 0.05, XT_BAUD / 2, XT_BAUD, &b);
    cr_assert(s == LS_OK, "xt_shape block: %s", ls_strerror(s));
    return b;
}
/* One FEXT aggressor through *cpl, at 8 samples per UI. */
static ls_xtalk_config xt_cfg(const ls_block *cpl)
{
    ls_xtalk_config c;
    ls_xtalk_config_init(&c);
    c.tx.sps = 8;
    c.tx.baud = XT_BAUD;
    c.block_ui = 64;
    c.n_agg = 1;
    c.agg[0] = (ls_xtalk_aggressor){.type = LS_XT_FEXT, .swing_vpp = 0.8, .coupling = {cpl}, .n_coupling = 1};
    ls_icn_config_init(&c.icn, XT_BAUD);
    return c;
}
#define ICN(stmt, amp, bl, n, out) ls_icn_config c = icn_cfg(); ls_block b = xt_shape();           \
    const ls_block *list[LS_XTALK_MAX_PATH + 1] = {&b, &b, &b, &b, &b, &b, &b, &b, &b}; double v_;  \
    stmt; ls_status s = ls_xtalk_icn(&c, amp, bl, n, out); ls_block_destroy(&b); (void)list;       \
    (void)v_; STATUS(s)
#define SHAPE(type, g, fn, fb) BLOCK(ls_xtalk_shape_into_block(type, g, fn, fb, &out))
#define XT(stmt) ls_block cpl = xt_shape(); ls_xtalk_config c = xt_cfg(&cpl); stmt;                \
    ls_block out = {&sentinel_ops, (void *)&sentinel_ops};                                         \
    ls_status s = ls_xtalk_into_block(&c, &out, NULL, 0); ls_block_destroy(&cpl);                  \
    if (s == LS_OK) { ls_block_destroy(&out); return LS_OK; }                                      \
    return out.ops || out.self ? R_OUT_NOT_CLEARED : (int)s
#define XTALK_ROWS(X)                                                                              \
    X(xtalk_icn_ok, LS_OK, ICN((void)0, 0.4, list, 1, &v_))                                        \
    X(xtalk_icn_null_cfg, LS_EINVAL, ls_block b = xt_shape(); const ls_block *l[1] = {&b}; double v; \
      ls_status s = ls_xtalk_icn(NULL, 0.4, l, 1, &v); ls_block_destroy(&b); STATUS(s))            \
    X(xtalk_icn_null_blocks, LS_EINVAL, ICN((void)0, 0.4, NULL, 1, &v_))                           \
    X(xtalk_icn_null_block_entry, LS_EINVAL, ICN(list[0] = NULL, 0.4, list, 1, &v_))               \
    X(xtalk_icn_null_out, LS_EINVAL, ICN((void)0, 0.4, list, 1, NULL))                             \
    X(xtalk_icn_n_zero, LS_EINVAL, ICN((void)0, 0.4, list, 0, &v_))                                \
    X(xtalk_icn_n_over, LS_EINVAL, ICN((void)0, 0.4, list, LS_XTALK_MAX_PATH + 1, &v_))            \
    X(xtalk_icn_amp_negative, LS_EINVAL, ICN((void)0, -0.4, list, 1, &v_))                         \
    X(xtalk_icn_amp_nan, LS_EINVAL, ICN((void)0, NAN, list, 1, &v_))                               \
    X(xtalk_icn_fb_zero, LS_EINVAL, ICN(c.fb_hz = 0.0, 0.4, list, 1, &v_))                         \
    X(xtalk_icn_f2_le_f1, LS_EINVAL, ICN(c.f2_hz = c.f1_hz, 0.4, list, 1, &v_))                    \
    X(xtalk_icn_df_zero, LS_EINVAL, ICN(c.df_hz = 0.0, 0.4, list, 1, &v_))                         \
    X(xtalk_icn_df_over_range, LS_EINVAL, ICN(c.df_hz = 2.0 * (c.f2_hz - c.f1_hz), 0.4, list, 1, &v_)) \
    X(xtalk_icn_ft_nan, LS_EINVAL, ICN(c.ft_hz = NAN, 0.4, list, 1, &v_))                          \
    X(xtalk_icn_not_lti, LS_EINVAL, ls_icn_config c = icn_cfg(); ls_block a = awgn_block();        \
      const ls_block *l[1] = {&a}; double v; ls_status s = ls_xtalk_icn(&c, 0.4, l, 1, &v);        \
      ls_block_destroy(&a); STATUS(s))                                                             \
    X(xtalk_shape_ok, LS_OK, SHAPE(LS_XT_NEXT, 0.03, XT_BAUD / 2, XT_BAUD))                        \
    X(xtalk_shape_type_invalid, LS_EINVAL, SHAPE((ls_xt_type)2, 0.03, XT_BAUD / 2, XT_BAUD))       \
    X(xtalk_shape_g_zero, LS_EINVAL, SHAPE(LS_XT_FEXT, 0.0, XT_BAUD / 2, XT_BAUD))                 \
    X(xtalk_shape_g_nan, LS_EINVAL, SHAPE(LS_XT_FEXT, NAN, XT_BAUD / 2, XT_BAUD))                  \
    X(xtalk_shape_fn_zero, LS_EINVAL, SHAPE(LS_XT_NEXT, 0.03, 0.0, XT_BAUD))                       \
    X(xtalk_shape_fb_inf, LS_EINVAL, SHAPE(LS_XT_NEXT, 0.03, XT_BAUD / 2, INFINITY))               \
    X(xtalk_shape_null_out, LS_EINVAL,                                                             \
      STATUS(ls_xtalk_shape_into_block(LS_XT_FEXT, 0.05, XT_BAUD / 2, XT_BAUD, NULL)))             \
    X(xtalk_into_block_ok, LS_OK, XT((void)0))                                                     \
    X(xtalk_into_block_null_cfg, LS_EINVAL, BLOCK(ls_xtalk_into_block(NULL, &out, NULL, 0)))       \
    X(xtalk_into_block_null_out, LS_EINVAL, ls_block cpl = xt_shape(); ls_xtalk_config c = xt_cfg(&cpl); \
      ls_status s = ls_xtalk_into_block(&c, NULL, NULL, 0); ls_block_destroy(&cpl); STATUS(s))     \
    X(xtalk_into_block_n_agg_zero, LS_EINVAL, XT(c.n_agg = 0))                                     \
    X(xtalk_into_block_n_agg_over, LS_EINVAL, XT(c.n_agg = LS_XTALK_MAX_AGG + 1))                  \
    X(xtalk_into_block_swing_zero, LS_EINVAL, XT(c.agg[0].swing_vpp = 0.0))                        \
    X(xtalk_into_block_swing_nan, LS_EINVAL, XT(c.agg[0].swing_vpp = NAN))                         \
    X(xtalk_into_block_type_invalid, LS_EINVAL, XT(c.agg[0].type = (ls_xt_type)5))                 \
    X(xtalk_into_block_n_coupling_zero, LS_EINVAL, XT(c.agg[0].n_coupling = 0))                    \
    X(xtalk_into_block_n_coupling_over, LS_EINVAL, XT(c.agg[0].n_coupling = LS_XTALK_MAX_PATH + 1)) \
    X(xtalk_into_block_null_coupling, LS_EINVAL, XT(c.agg[0].coupling[0] = NULL))                  \
    X(xtalk_into_block_null_extra, LS_EINVAL, XT(c.agg[0].n_extra = 1))                            \
    X(xtalk_into_block_n_extra_over, LS_EINVAL, XT(c.agg[0].n_extra = LS_XTALK_MAX_PATH + 1))      \
    X(xtalk_into_block_null_tx_path, LS_EINVAL, XT(c.n_tx_path = 1))                               \
    X(xtalk_into_block_n_tx_path_over, LS_EINVAL, XT(c.n_tx_path = LS_XTALK_MAX_PATH + 1))         \
    X(xtalk_into_block_tx_sps_zero, LS_EINVAL, XT(c.tx.sps = 0))                                   \
    X(xtalk_into_block_tx_baud_nan, LS_EINVAL, XT(c.tx.baud = NAN))                                \
    X(xtalk_into_block_block_ui_zero, LS_EINVAL, XT(c.block_ui = 0))                               \
    X(xtalk_into_block_icn_invalid, LS_EINVAL, XT(c.icn.df_hz = -1.0))                             \
    X(xtalk_count_null, LS_OK, RETURNS(ls_xtalk_count(NULL), 0u))                                  \
    X(xtalk_count_other_block, LS_OK, ls_block b = lti_block(); size_t n = ls_xtalk_count(&b);     \
      ls_block_destroy(&b); RETURNS(n, 0u))                                                        \
    X(xtalk_pulse_null, LS_OK, size_t n; RETURNS(ls_xtalk_pulse(NULL, 0, &n, NULL, NULL), NULL))   \
    X(xtalk_pulse_other_block, LS_OK, ls_block b = lti_block(); size_t n;                          \
      const float *pp = ls_xtalk_pulse(&b, 0, &n, NULL, NULL); ls_block_destroy(&b); RETURNS(pp, NULL)) \
    X(xtalk_icn_agg_null, LS_EINVAL, NAN_OF(ls_xtalk_icn_agg_v(NULL, 0)))                          \
    X(xtalk_icn_v_null, LS_EINVAL, NAN_OF(ls_xtalk_icn_v(NULL, LS_XT_FEXT)))                       \
    X(xtalk_blocks_ops_destroy_null, LS_OK, ls_block cpl = xt_shape(); ls_xtalk_config c = xt_cfg(&cpl); \
      ls_block b; ls_status s = ls_xtalk_into_block(&c, &b, NULL, 0); cpl.ops->destroy(NULL);      \
      ls_block_destroy(&cpl); if (s != LS_OK) return LS_EINTERNAL; b.ops->destroy(NULL);           \
      ls_block_destroy(&b); return LS_OK)
API_TABLE(xtalk, XTALK_ROWS, .timeout = 30)

/* ---------------------------------------------------------------------------------------------
 * config.h
 */
static char cmsg[512];
static ls_config *cfg_of(const char *preset)
{
    ls_status st = LS_OK;
    ls_config *c = ls_config_create(preset, cmsg, sizeof cmsg, &st);
    cr_assert(c != NULL, "%s: %s", preset, cmsg);
    return c;
}
/* Sets key=value in a fresh `preset` configuration; the value must be unchanged on failure. */
static int cfg_set(const char *preset, const char *key, const char *value)
{
    ls_config *c = cfg_of(preset);
    const ls_param_def *d = ls_config_find(c, key);
    size_t i = 0;
    while (d && i < ls_config_count(c) && ls_config_def(c, i) != d)
        i++;
    char before[256] = "";
    if (d && i < ls_config_count(c))
        snprintf(before, sizeof before, "%s", ls_config_text(c, i));
    ls_status s = ls_config_set(c, key, value, cmsg, sizeof cmsg);
    int r = s;
    if (s != LS_OK && d && i < ls_config_count(c) && strcmp(before, ls_config_text(c, i)) != 0)
        r = R_WRONG_VALUE;
    ls_config_destroy(c);
    return r;
}
static int cfg_ini(const char *text)
{
    char path[512];
    ts_write(path, sizeof path, "cfg", ".ini", text);
    ls_status err = ERR_UNSET;
    ls_config *c = ls_config_load_ini(path, cmsg, sizeof cmsg, &err);
    unlink(path);
    if (c) {
        ls_config_destroy(c);
        return R_NOT_NULL;
    }
    return err == ERR_UNSET ? R_ERR_UNSET : (int)err;
}
#define ON_CFG(expr) ls_config *c = cfg_of("awgn"); ls_status s = (expr); ls_config_destroy(c); STATUS(s)
#define CONFIG_ROWS(X)                                                                             \
    X(config_create_ok, LS_OK, CREATE_OK(ls_config_create("awgn", cmsg, sizeof cmsg, &err), ls_config_destroy)) \
    X(config_create_null_preset, LS_EINVAL,                                                        \
      CREATE(ls_config_create(NULL, cmsg, sizeof cmsg, &err), ls_config_destroy))                  \
    X(config_create_null_preset_null_err, LS_EINVAL,                                               \
      CREATE_NOERR(ls_config_create(NULL, NULL, 0, NULL), ls_config_destroy))                      \
    X(config_create_unknown, LS_EINVAL, CREATE(ls_config_create("nope", cmsg, sizeof cmsg, &err), ls_config_destroy)) \
    X(config_create_unknown_null_msg, LS_EINVAL,                                                   \
      CREATE(ls_config_create("nope", NULL, 0, &err), ls_config_destroy))                          \
    X(config_create_empty_name, LS_EINVAL, CREATE(ls_config_create("", cmsg, sizeof cmsg, &err), ls_config_destroy)) \
    X(config_load_ini_ok, LS_OK, int r = cfg_ini("preset = awgn\n[noise]\nsnr_db = 20\n");        \
      return r == R_NOT_NULL ? LS_OK : r)                                                          \
    X(config_load_ini_missing, LS_EIO, char path[512]; ts_path(path, sizeof path, "nocfg", ".ini"); \
      CREATE(ls_config_load_ini(path, cmsg, sizeof cmsg, &err), ls_config_destroy))                \
    X(config_load_ini_unknown_key, LS_EINVAL, return cfg_ini("preset = awgn\n[noise]\nnope = 1\n")) \
    X(config_load_ini_out_of_range, LS_EINVAL, return cfg_ini("preset = awgn\n[link]\nsps = 0\n")) \
    X(config_load_ini_nan, LS_EINVAL, return cfg_ini("preset = awgn\n[noise]\nsnr_db = nan\n"))    \
    X(config_load_ini_garbage, LS_EINVAL, return cfg_ini("[[[\n"))                                 \
    X(config_load_ini_unknown_preset, LS_EINVAL, return cfg_ini("preset = nope\n"))                \
    X(config_load_null, LS_EINVAL, CREATE(ls_config_load(NULL, cmsg, sizeof cmsg, &err), ls_config_destroy)) \
    X(config_load_missing_ini, LS_EIO, char path[512]; ts_path(path, sizeof path, "nocfg2", ".ini"); \
      CREATE(ls_config_load(path, cmsg, sizeof cmsg, &err), ls_config_destroy))                    \
    X(config_load_unknown, LS_EINVAL, CREATE(ls_config_load("nope", cmsg, sizeof cmsg, &err), ls_config_destroy)) \
    X(config_set_ok, LS_OK, return cfg_set("awgn", "noise.snr_db", "20"))                          \
    X(config_set_null_config, LS_EINVAL, STATUS(ls_config_set(NULL, "noise.snr_db", "20", cmsg, sizeof cmsg))) \
    X(config_set_null_key, LS_EINVAL, ON_CFG(ls_config_set(c, NULL, "20", cmsg, sizeof cmsg)))     \
    X(config_set_null_value, LS_EINVAL, ON_CFG(ls_config_set(c, "noise.snr_db", NULL, cmsg, sizeof cmsg))) \
    X(config_set_null_msg, LS_EINVAL, ON_CFG(ls_config_set(c, "noise.snr_db", "x", NULL, 0)))      \
    X(config_set_unknown_key, LS_EINVAL, return cfg_set("awgn", "noise.nope", "1"))                \
    X(config_set_real_below_min, LS_EINVAL, return cfg_set("awgn", "noise.snr_db", "-30"))         \
    X(config_set_real_nan, LS_EINVAL, return cfg_set("awgn", "noise.snr_db", "nan"))               \
    X(config_set_real_inf_not_allowed, LS_EINVAL, return cfg_set("awgn", "link.rate_gbps", "inf")) \
    X(config_set_real_negative_rate, LS_EINVAL, return cfg_set("awgn", "link.rate_gbps", "-100"))  \
    X(config_set_real_garbage, LS_EINVAL, return cfg_set("awgn", "tx.rlm", "0.9x"))                \
    X(config_set_real_empty, LS_EINVAL, return cfg_set("awgn", "tx.rlm", ""))                      \
    X(config_set_int_zero_sps, LS_EINVAL, return cfg_set("awgn", "link.sps", "0"))                 \
    X(config_set_int_fraction, LS_EINVAL, return cfg_set("awgn", "link.sps", "1.5"))               \
    X(config_set_int_huge, LS_EINVAL, return cfg_set("awgn", "run.symbols", "1e30"))               \
    X(config_set_int_nan, LS_EINVAL, return cfg_set("awgn", "run.symbols", "nan"))                 \
    X(config_set_enum_unknown, LS_EINVAL, return cfg_set("awgn", "link.modulation", "pam5"))       \
    X(config_set_bool_garbage, LS_EINVAL, return cfg_set("awgn", "adc.enable", "maybe"))           \
    X(config_set_list_item_range, LS_EINVAL, return cfg_set("awgn", "tx.ffe_pre", "0.1,0.9"))      \
    X(config_set_list_too_many, LS_EINVAL, return cfg_set("awgn", "tx.ffe_pre", "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0")) \
    X(config_set_list_nan, LS_EINVAL, return cfg_set("awgn", "tx.ffe_post", "0.1,nan"))            \
    X(config_set_assignment_ok, LS_OK, ON_CFG(ls_config_set_assignment(c, "noise.snr_db=20", cmsg, sizeof cmsg))) \
    X(config_set_assignment_null_config, LS_EINVAL,                                                \
      STATUS(ls_config_set_assignment(NULL, "noise.snr_db=20", cmsg, sizeof cmsg)))                \
    X(config_set_assignment_null, LS_EINVAL, ON_CFG(ls_config_set_assignment(c, NULL, cmsg, sizeof cmsg))) \
    X(config_set_assignment_no_equals, LS_EINVAL,                                                  \
      ON_CFG(ls_config_set_assignment(c, "noise.snr_db", cmsg, sizeof cmsg)))                      \
    X(config_set_assignment_empty_key, LS_EINVAL, ON_CFG(ls_config_set_assignment(c, "=20", cmsg, sizeof cmsg))) \
    X(config_find_unknown, LS_OK, ls_config *c = cfg_of("awgn"); const ls_param_def *d = ls_config_find(c, "x.y"); \
      ls_config_destroy(c); RETURNS(d, NULL))                                                      \
    X(config_real_unknown, LS_EINVAL, ls_config *c = cfg_of("awgn"); double v = ls_config_real(c, "x.y"); \
      ls_config_destroy(c); NAN_OF(v))                                                             \
    X(config_str_unknown, LS_OK, ls_config *c = cfg_of("awgn"); const char *v = ls_config_str(c, "x.y"); \
      ls_config_destroy(c); RETURNS(v, NULL))                                                      \
    X(config_destroy_null, LS_OK, SURVIVES(ls_config_destroy(NULL)))
API_TABLE(config, CONFIG_ROWS, .timeout = 30)

/* ---------------------------------------------------------------------------------------------
 * link.h, run.h: the awgn preset at one sample per UI (a link builds in about a millisecond).
 */
static ls_config *awgn_small(void)
{
    ls_config *c = cfg_of("awgn");
    cr_assert(ls_config_set_assignment(c, "link.sps=1", cmsg, sizeof cmsg) == LS_OK, "%s", cmsg);
    cr_assert(ls_config_set_assignment(c, "run.symbols=5440", cmsg, sizeof cmsg) == LS_OK, "%s", cmsg);
    cr_assert(ls_config_set_assignment(c, "run.frame_symbols=5440", cmsg, sizeof cmsg) == LS_OK, "%s", cmsg);
    return c;
}
static ls_link *link_ok(void)
{
    ls_config *c = awgn_small();
    ls_status st = LS_OK;
    ls_link *l = ls_link_create(c, 64, cmsg, sizeof cmsg, &st);
    ls_config_destroy(c);
    cr_assert(l != NULL, "link: %s", cmsg);
    return l;
}
static ls_stateye_result link_stat_res;
#define ON_LINK(expr) ls_link *l = link_ok(); ls_status s = (expr); ls_link_destroy(l); STATUS(s)
/* ls_run on a configuration c prepared by stmt; the result must be empty (safe to free) on failure. */
static int run_cfg(ls_config *c, int null_r)
{
    ls_run_result r;
    memset(&r, 0xa5, sizeof r);
    ls_status s = ls_run(c, NULL, NULL, null_r ? NULL : &r, cmsg, sizeof cmsg);
    if (null_r)
        return s;
    if (s != LS_OK && (r.eye_hist || r.pulse))
        return R_WRONG_VALUE;
    ls_run_result_free(&r);
    return s;
}
#define LINK_ROWS(X)                                                                               \
    X(link_create_ok, LS_OK, ls_config *c = awgn_small();                                          \
      ls_status err = ERR_UNSET; ls_link *l = ls_link_create(c, 64, cmsg, sizeof cmsg, &err);      \
      ls_config_destroy(c); if (!l) return err == ERR_UNSET ? R_ERR_UNSET : (int)err;              \
      ls_link_destroy(l); return err == LS_OK ? LS_OK : R_ERR_UNSET)                               \
    X(link_create_null_config, LS_EINVAL,                                                          \
      CREATE(ls_link_create(NULL, 64, cmsg, sizeof cmsg, &err), ls_link_destroy))                  \
    X(link_create_null_config_null_msg_err, LS_EINVAL,                                             \
      CREATE_NOERR(ls_link_create(NULL, 64, NULL, 0, NULL), ls_link_destroy))                      \
    X(link_create_max_chunk_zero, LS_EINVAL, ls_config *c = awgn_small(); ls_status err = ERR_UNSET; \
      ls_link *l = ls_link_create(c, 0, cmsg, sizeof cmsg, &err); ls_config_destroy(c);            \
      if (l) { ls_link_destroy(l); return R_NOT_NULL; } return err == ERR_UNSET ? R_ERR_UNSET : (int)err) \
    X(link_run_frame_ok, LS_OK, ON_LINK(ls_link_run_frame(l, 1, 0, 0, 64, 256, NULL, NULL)))       \
    X(link_run_frame_null, LS_EINVAL, STATUS(ls_link_run_frame(NULL, 1, 0, 0, 64, 256, NULL, NULL))) \
    X(link_stat_ok, LS_OK, ON_LINK(ls_link_stat(l, 1e-6, &link_stat_res)))                         \
    X(link_stat_null_link, LS_EINVAL, STATUS(ls_link_stat(NULL, 1e-6, &link_stat_res)))            \
    X(link_stat_null_result, LS_EINVAL, ON_LINK(ls_link_stat(l, 1e-6, NULL)))                      \
    X(link_stat_target_nan, LS_EINVAL, ON_LINK(ls_link_stat(l, NAN, &link_stat_res)))              \
    X(link_stat_target_high, LS_EINVAL, ON_LINK(ls_link_stat(l, 0.5, &link_stat_res)))             \
    X(link_stat_target_negative, LS_EINVAL, ON_LINK(ls_link_stat(l, -1e-6, &link_stat_res)))       \
    X(link_com_ok, LS_OK, double com; ON_LINK(ls_link_com(l, 1e-4, &com)))                         \
    X(link_com_null_link, LS_EINVAL, double com; STATUS(ls_link_com(NULL, 1e-4, &com)))            \
    X(link_com_null_out, LS_EINVAL, ON_LINK(ls_link_com(l, 1e-4, NULL)))                           \
    X(link_com_der0_zero, LS_EINVAL, double com; ON_LINK(ls_link_com(l, 0.0, &com)))               \
    X(link_com_der0_high, LS_EINVAL, double com; ON_LINK(ls_link_com(l, 0.2, &com)))               \
    X(link_com_der0_nan, LS_EINVAL, double com; ON_LINK(ls_link_com(l, NAN, &com)))                \
    X(link_response_ok, LS_OK, ON_LINK(ls_link_response(l, freqs, 4, hbuf, hbuf + 8, hbuf + 16)))  \
    X(link_response_null_link, LS_EINVAL, STATUS(ls_link_response(NULL, freqs, 4, hbuf, NULL, NULL))) \
    X(link_response_null_f, LS_EINVAL, ON_LINK(ls_link_response(l, NULL, 4, hbuf, NULL, NULL)))    \
    X(link_response_zero_null, LS_OK, ON_LINK(ls_link_response(l, NULL, 0, NULL, NULL, NULL)))     \
    X(link_response_nan_f, LS_EINVAL, const double f[2] = {1e9, NAN};                              \
      ON_LINK(ls_link_response(l, f, 2, hbuf, NULL, NULL)))                                        \
    X(link_destroy_null, LS_OK, SURVIVES(ls_link_destroy(NULL)))                                   \
    X(channel_sparams_null_config, LS_EINVAL, double d;                                            \
      STATUS(ls_channel_sparams(NULL, freqs, 4, hbuf, NULL, &d, cmsg, sizeof cmsg)))               \
    X(channel_sparams_no_channel, LS_EINVAL, double d;                                             \
      ON_CFG(ls_channel_sparams(c, freqs, 4, hbuf, NULL, &d, cmsg, sizeof cmsg)))                  \
    X(channel_sparams_null_f, LS_EINVAL, ls_config *c = cfg_of("copper"); double d;                \
      ls_status s = ls_channel_sparams(c, NULL, 4, hbuf, NULL, &d, cmsg, sizeof cmsg);             \
      ls_config_destroy(c); STATUS(s))                                                             \
    X(run_ok, LS_OK, ls_config *c = awgn_small(); int r = run_cfg(c, 0); ls_config_destroy(c); return r) \
    X(run_null_config, LS_EINVAL, return run_cfg(NULL, 0))                                         \
    X(run_null_result, LS_EINVAL, ls_config *c = awgn_small(); int r = run_cfg(c, 1);             \
      ls_config_destroy(c); return r)                                                              \
    X(run_null_msg, LS_EINVAL, ls_run_result r; STATUS(ls_run(NULL, NULL, NULL, &r, NULL, 0)))     \
    X(run_result_free_null, LS_OK, SURVIVES(ls_run_result_free(NULL)))                             \
    X(run_result_free_twice, LS_OK, ls_config *c = awgn_small(); ls_run_result r;                  \
      ls_status s = ls_run(c, NULL, NULL, &r, cmsg, sizeof cmsg); ls_config_destroy(c);            \
      if (s != LS_OK) return s; ls_run_result_free(&r); SURVIVES(ls_run_result_free(&r)))
API_TABLE(link, LINK_ROWS, .timeout = 30)

/* ---------------------------------------------------------------------------------------------
 * reach.h, energy.h: the flat preset (closed-form channel) and the copper preset's power model.
 */
static ls_reach_result reach_res;
static ls_reach_options reach_opts(void)
{
    ls_reach_options o;
    ls_reach_options_init(&o);
    return o;
}
static int reach_with(const char *preset, ls_reach_options o, int null_o, int null_r)
{
    ls_config *c = cfg_of(preset);
    ls_status s = ls_reach(c, null_o ? NULL : &o, null_r ? NULL : &reach_res, cmsg, sizeof cmsg);
    ls_config_destroy(c);
    return s;
}
#define REACH(stmt) ls_reach_options o = reach_opts(); stmt; return reach_with("flat", o, 0, 0)
static ls_energy energy_res;
#define REACH_ROWS(X)                                                                              \
    X(reach_ok, LS_OK, REACH((void)0))                                                             \
    X(reach_null_config, LS_EINVAL, ls_reach_options o = reach_opts();                             \
      STATUS(ls_reach(NULL, &o, &reach_res, cmsg, sizeof cmsg)))                                   \
    X(reach_null_options, LS_EINVAL, return reach_with("flat", reach_opts(), 1, 0))                \
    X(reach_null_result, LS_EINVAL, return reach_with("flat", reach_opts(), 0, 1))                 \
    X(reach_no_length_key, LS_EINVAL, return reach_with("awgn", reach_opts(), 0, 0))               \
    X(reach_grid_3, LS_EINVAL, REACH(o.grid = 3))                                                  \
    X(reach_grid_65, LS_EINVAL, REACH(o.grid = 65))                                                \
    X(reach_rel_tol_zero, LS_EINVAL, REACH(o.rel_tol = 0.0))                                       \
    X(reach_rel_tol_nan, LS_EINVAL, REACH(o.rel_tol = NAN))                                        \
    X(reach_rel_tol_negative, LS_EINVAL, REACH(o.rel_tol = -0.01))                                 \
    X(reach_min_above_max, LS_EINVAL, REACH(o.min_m = 10.0; o.max_m = 1.0))                        \
    X(reach_target_value_nan, LS_EINVAL, REACH(o.target_value = NAN))                              \
    X(reach_target_ber_above_one, LS_EINVAL, REACH(o.target_value = 2.0))                          \
    X(reach_target_ber_zero, LS_EINVAL, REACH(o.target_value = 0.0))                               \
    X(reach_com_monte_carlo, LS_EINVAL, REACH(o.target = LS_REACH_COM; o.target_value = 3.0;       \
      o.mode = LS_REACH_MC))                                                                       \
    X(reach_com_der0_zero, LS_EINVAL, REACH(o.target = LS_REACH_COM; o.target_value = 3.0; o.der0 = 0.0)) \
    X(reach_com_der0_nan, LS_EINVAL, REACH(o.target = LS_REACH_COM; o.target_value = 3.0; o.der0 = NAN)) \
    X(energy_ok, LS_OK, ls_config *c = cfg_of("copper");                                           \
      ls_status s = ls_energy_compute(c, &energy_res, cmsg, sizeof cmsg); ls_config_destroy(c); STATUS(s)) \
    X(energy_null_config, LS_EINVAL, STATUS(ls_energy_compute(NULL, &energy_res, cmsg, sizeof cmsg))) \
    X(energy_null_result, LS_EINVAL, ls_config *c = cfg_of("copper");                              \
      ls_status s = ls_energy_compute(c, NULL, cmsg, sizeof cmsg); ls_config_destroy(c); STATUS(s)) \
    X(energy_no_power_model, LS_EINVAL, ON_CFG(ls_energy_compute(c, &energy_res, cmsg, sizeof cmsg))) \
    X(energy_null_msg, LS_EINVAL, ON_CFG(ls_energy_compute(c, &energy_res, NULL, 0)))              \
    X(energy_part_unknown, LS_OK, ls_energy e; memset(&e, 0, sizeof e);                            \
      RETURNS(ls_energy_part_mw(&e, "nope"), -1.0))
API_TABLE(reach, REACH_ROWS, .timeout = 60)

/* ---------------------------------------------------------------------------------------------
 * DEFECTS: contract violations found by this file; each is fixed in the library and its test now
 * guards the fix (the comments say what the library did before).
 */

/* DEFECT: ls_awgn_into_block (phy/noise.c) returns LS_EINVAL for a NULL cfg or a negative, NaN
 * or infinite sigma but leaves *out as it was, where every other block maker clears *out on
 * failure (so that ls_block_destroy(&out) after a failed call is safe). The clearing belongs at
 * the top of ls_awgn_into_block (when out != NULL), and noise.h should say so. */
API_DEFECT(awgn_into_block_failure_clears_out, LS_EINVAL, ls_awgn_config c = awgn_cfg(NAN);
           BLOCK(ls_awgn_into_block(&c, &out)))
API_DEFECT(awgn_into_block_null_cfg_clears_out, LS_EINVAL, BLOCK(ls_awgn_into_block(NULL, &out)))

/* DEFECT: ls_config_copy(NULL) crashes (NULL dereference of c->preset in ls_config_copy,
 * phy/config.c). A copy is a creator: it should return NULL for a NULL source. The check belongs
 * at the top of ls_config_copy (and config.h should document it). */
API_DEFECT(config_copy_null, LS_OK, RETURNS(ls_config_copy(NULL), NULL))

/* DEFECT: ls_config_load_ini(NULL, ...) reports LS_EIO ("(null): cannot open", formatting a NULL
 * string with %s) instead of LS_EINVAL: the NULL path goes straight to fopen. The check belongs at
 * the top of ls_config_load_ini (phy/config.c); ls_config_load(NULL) already gives LS_EINVAL. */
API_DEFECT(config_load_ini_null_path, LS_EINVAL,
           CREATE(ls_config_load_ini(NULL, cmsg, sizeof cmsg, &err), ls_config_destroy))

/* DEFECT: ls_link_resolve(NULL, ...) crashes: it calls ls_config_copy(NULL) first (see above),
 * and with that fixed would report LS_ENOMEM ("out of memory") for what is an invalid argument.
 * The check (NULL c: LS_EINVAL, msg "invalid arguments") belongs at the top of ls_link_resolve
 * (phy/link/link.c), before the copy. */
API_DEFECT(link_resolve_null, LS_EINVAL,
           CREATE(ls_link_resolve(NULL, cmsg, sizeof cmsg, &err), ls_config_destroy))

/* DEFECT: ls_link_eye_create(NULL, &err) crashes (reads l->info.sps before any check, in
 * phy/link/link.c). Expected: NULL with *err = LS_EINVAL; the check belongs at its top. */
API_DEFECT(link_eye_create_null, LS_EINVAL, CREATE(ls_link_eye_create(NULL, &err), ls_eye_destroy))

/* DEFECT: ls_link_ber_create(NULL, &err) crashes (reads l->info.bits_per_symbol, in
 * phy/link/link.c). Expected: NULL with *err = LS_EINVAL; the check belongs at its top. */
API_DEFECT(link_ber_create_null, LS_EINVAL, CREATE(ls_link_ber_create(NULL, &err), ls_ber_destroy))

/* DEFECT: ls_reach accepts a negative or NaN search bound and silently searches the preset's
 * default range instead (the bound is used only when `> 0`, so -1 and NaN act as the documented
 * 0 = default). Found with min_m = -1 (max_m = 10) and max_m = NaN (min_m = 1) on the flat preset:
 * LS_OK. The check (min_m and max_m finite and >= 0) belongs in ls_reach's option validation
 * (sim/reach.c), next to the grid / rel_tol checks. */
API_DEFECT(reach_min_negative, LS_EINVAL, REACH(o.min_m = -1.0; o.max_m = 10.0))
API_DEFECT(reach_max_nan, LS_EINVAL, REACH(o.min_m = 1.0; o.max_m = NAN))

/* DEFECT: ls_reach does not validate the target and mode enums: target = 7 runs as a pre-FEC BER
 * search (any value but POST_FEC / COM), mode = 7 runs a Monte Carlo search (any value but STAT),
 * both returning LS_OK. The checks (target in PRE_FEC..COM, mode in STAT..MC) belong in ls_reach's
 * option validation (sim/reach.c). */
API_DEFECT(reach_target_invalid, LS_EINVAL, REACH(o.target = (ls_reach_target)7))
API_DEFECT(reach_mode_invalid, LS_EINVAL, REACH(o.mode = (ls_reach_mode)7))

/* DEFECT: ls_rx_create accepts out-of-range configurations: cdr = 7 (not an ls_cdr_type; runs as
 * a non-ideal CDR), adapt = 7 (not an ls_adapt_type) and a NaN initial FFE tap all return an
 * object. The checks (cdr and adapt within their enums, finite ffe[0..ffe_taps), dfe[0..dfe_taps),
 * ref_v and dfe_limit) belong in the validation at the top of ls_rx_create (phy/rx.c). */
API_DEFECT(rx_create_cdr_invalid, LS_EINVAL, RX_BAD(c.cdr = (ls_cdr_type)7))
API_DEFECT(rx_create_adapt_invalid, LS_EINVAL, RX_BAD(c.adapt = (ls_adapt_type)7))
API_DEFECT(rx_create_ffe_tap_nan, LS_EINVAL, RX_BAD(c.ffe[0] = NAN))

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
 * Rows that violated the contract when the tests were written are the DEFECT tests at the end of
 * test_api_sim.c; the library is fixed and they run with the rest.
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
 * The parts, one executable each (Criterion tables are per executable), all on tests/api_util.h
 * (the machinery: rows, tables, body helpers; and the shared fixtures):
 *  - test_api.c: the core and the signal blocks: prbs.h, pam.h, tx.h, ctle.h, filter.h, noise.h,
 *    fftfilt.h, cfftfilt.h, rng.h, stats.h;
 *  - test_api_rx.c: the receiver and the measurements: rx.h, eye.h, ber.h, fec.h, mlse.h,
 *    eqsolve.h, stateye.h;
 *  - test_api_channel.c: the channel models: tline.h, touchstone.h, xtalk.h;
 *  - test_api_optical.c: the optical models: optx.h, optrx.h;
 *  - test_api_sim.c: configuration and simulation: config.h, link.h, run.h, reach.h, energy.h,
 *    and the DEFECT tests.
 *
 * Each table is one test (one process: each part runs in well under a second on an idle machine).
 * Built with -DLS_API_ISOLATE every row runs in its own process (a parameterized test), so that a
 * crashing row fails alone; LS_API_TRACE=1 prints each row's name before it runs.
 */
#include "api_util.h"

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
API_TABLE(prbs, PRBS_ROWS, .timeout = LS_TIMEOUT(20))

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
API_TABLE(pam, PAM_ROWS, .timeout = LS_TIMEOUT(20))

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
API_TABLE(tx, TX_ROWS, .timeout = LS_TIMEOUT(20))

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
API_TABLE(ctle, CTLE_ROWS, .timeout = LS_TIMEOUT(20))

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
API_TABLE(filter, FILTER_ROWS, .timeout = LS_TIMEOUT(20))

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
API_TABLE(noise, NOISE_ROWS, .timeout = LS_TIMEOUT(20))

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
API_TABLE(fftfilt, FFTFILT_ROWS, .timeout = LS_TIMEOUT(20))

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
API_TABLE(cfftfilt, CFFTFILT_ROWS, .timeout = LS_TIMEOUT(20))

/* ---------------------------------------------------------------------------------------------
 * rng.h: no status and no object; only the documented n == 0 / NULL buffer cases.
 */
#define RNG_ROWS(X)                                                                                \
    X(rng_gauss_fill_zero_null, LS_OK, ls_rng r; ls_rng_seed(&r, 1, 2, 3);                         \
      SURVIVES(ls_rng_gauss_fill(&r, NULL, 0, 1.0f)))                                              \
    X(rng_gauss_add_zero_null, LS_OK, ls_rng r; ls_rng_seed(&r, 1, 2, 3);                          \
      SURVIVES(ls_rng_gauss_add(&r, NULL, 0, 1.0f)))                                               \
    X(rng_below_zero, LS_OK, ls_rng r; ls_rng_seed(&r, 1, 2, 3); RETURNS(ls_rng_below(&r, 0), 0u))
API_TABLE(rng, RNG_ROWS, .timeout = LS_TIMEOUT(20))

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
API_TABLE(stats, STATS_ROWS, .timeout = LS_TIMEOUT(20))

/* Argument checking of the public entry points, table-driven (see tests/test_api.c):
 * the receiver and the measurements: rx.h, eye.h, ber.h, fec.h, mlse.h, eqsolve.h, stateye.h. */
#include "api_util.h"

/* ---------------------------------------------------------------------------------------------
 * rx.h
 */
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
    X(rx_push_clock_null, LS_EINVAL, double t = 1.0; STATUS(ls_rx_push_clock(NULL, &t, 1)))          \
    X(rx_push_clock_null_t, LS_EINVAL, ls_rx *q = rx_ok(); ls_status s = ls_rx_push_clock(q, NULL, 1); \
      ls_rx_destroy(q); STATUS(s))                                                                 \
    X(rx_push_clock_no_ext_clock, LS_ESTATE, double t = 1.0; ls_rx *q = rx_ok();                   \
      ls_status s = ls_rx_push_clock(q, &t, 1); ls_rx_destroy(q); STATUS(s))                       \
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
API_TABLE(rx, RX_ROWS, .timeout = LS_TIMEOUT(20))

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
    X(eye_create_target_ber_big, LS_EINVAL, EYE_BAD(c.target_ber = 0.2))                          \
    X(eye_create_target_ber_nan, LS_EINVAL, EYE_BAD(c.target_ber = NAN))                           \
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
API_TABLE(eye, EYE_ROWS, .timeout = LS_TIMEOUT(20))

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
API_TABLE(ber, BER_ROWS, .timeout = LS_TIMEOUT(20))

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
API_TABLE(fec, FEC_ROWS, .timeout = LS_TIMEOUT(20))

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
API_TABLE(mlse, MLSE_ROWS, .timeout = LS_TIMEOUT(20))

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
API_TABLE(eqsolve, EQSOLVE_ROWS, .timeout = LS_TIMEOUT(20))

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
API_TABLE(stateye, STATEYE_ROWS, .timeout = LS_TIMEOUT(20))

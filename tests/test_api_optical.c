/* Argument checking of the public entry points, table-driven (see tests/test_api.c):
 * the optical models: optx.h, optrx.h. */
#include "api_util.h"

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
API_TABLE(optx, OPTX_ROWS, .timeout = LS_TIMEOUT(20))

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
API_TABLE(optrx, OPTRX_ROWS, .timeout = LS_TIMEOUT(20))

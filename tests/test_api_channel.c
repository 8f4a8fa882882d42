/* Argument checking of the public entry points, table-driven (see tests/test_api.c):
 * the channel models: tline.h, touchstone.h, xtalk.h. */
#include "api_util.h"

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
API_TABLE(tline, TLINE_ROWS, .timeout = LS_TIMEOUT(20))

/* ---------------------------------------------------------------------------------------------
 * touchstone.h: files written to $TMPDIR (or /tmp) by the row and removed after it.
 */
static const char s2p_text[] = "# GHz S MA R 50\n"
                               "1 0.1 0 0.9 -10 0.9 -10 0.1 0\n"
                               "2 0.1 0 0.8 -20 0.8 -20 0.1 0\n"
                               "3 0.1 0 0.7 -30 0.7 -30 0.1 0\n";
static const char s1p_text[] = "# GHz S MA R 50\n1 0.5 0\n2 0.4 0\n";
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
API_TABLE(touchstone, TOUCHSTONE_ROWS, .timeout = LS_TIMEOUT(20))

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
API_TABLE(xtalk, XTALK_ROWS, .timeout = LS_TIMEOUT(30))

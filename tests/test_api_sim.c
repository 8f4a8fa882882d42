/* Argument checking of the public entry points, table-driven (see tests/test_api.c):
 * configuration and simulation: config.h, link.h, run.h, reach.h, energy.h, and the DEFECT tests. */
#include "api_util.h"

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
API_TABLE(config, CONFIG_ROWS, .timeout = LS_TIMEOUT(30))

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
API_TABLE(link, LINK_ROWS, .timeout = LS_TIMEOUT(30))

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
API_TABLE(reach, REACH_ROWS, .timeout = LS_TIMEOUT(60))

/* ---------------------------------------------------------------------------------------------
 * DEFECTS: contract violations found by these tests; each is fixed in the library and its test now
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

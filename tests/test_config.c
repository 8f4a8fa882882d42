/* Configuration store: presets, keys, validation messages, INI files with file:line errors. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lanesim/config.h"

#include "util.h"

static ls_config *awgn(void)
{
    char msg[256];
    ls_status st;
    ls_config *c = ls_config_create("awgn", msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    return c;
}

static void expect_reject(const char *assignment, const char *needle)
{
    ls_config *c = awgn();
    char msg[256] = "";
    cr_assert(eq(int, ls_config_set_assignment(c, assignment, msg, sizeof msg), LS_EINVAL), "%s accepted", assignment);
    cr_assert(ls_has(msg, needle), "'%s': message '%s' lacks '%s'", assignment, msg, needle);
    ls_config_destroy(c);
}

Test(config, every_preset_exposes_rate_and_sps)
{
    cr_assert(gt(sz, ls_preset_count(), 0));
    for (size_t i = 0; i < ls_preset_count(); i++) {
        char msg[256];
        ls_status st;
        ls_config *c = ls_config_create(ls_preset_name(i), msg, sizeof msg, &st);
        cr_assert(c != NULL, "%s", msg);
        cr_assert(ls_config_find(c, "link.rate_gbps") != NULL);
        cr_assert(ls_config_find(c, "link.sps") != NULL);
        ls_config_destroy(c);
    }
}

Test(config, defaults_and_typed_getters)
{
    ls_config *c = awgn();
    cr_assert(eq(str, (char *)ls_config_preset(c), "awgn"));
    cr_assert(eq(dbl, ls_config_real(c, "link.rate_gbps"), 212.5));
    cr_assert(eq(i64, ls_config_int(c, "link.sps"), 32));
    cr_assert(eq(dbl, ls_config_real(c, "noise.snr_db"), 18.0), "the awgn preset overrides noise.snr_db");
    cr_assert(isinf(ls_config_real(c, "tx.snr_db")));
    cr_assert(eq(int, ls_config_bool(c, "tx.precoding"), 0));
    char msg[128];
    cr_assert(eq(int, ls_config_set(c, "tx.ffe_post", " -0.1, 0.02 ", msg, sizeof msg), LS_OK), "%s", msg);
    double v[4];
    cr_assert(eq(sz, ls_config_list(c, "tx.ffe_post", v, 4), 2));
    cr_assert(eq(dbl, v[0], -0.1));
    cr_assert(eq(dbl, v[1], 0.02));
    cr_assert(eq(int, ls_config_set(c, "run.symbols", "1e6", msg, sizeof msg), LS_OK));
    cr_assert(eq(i64, ls_config_int(c, "run.symbols"), 1000000));
    cr_assert(eq(int, ls_config_set(c, "tx.precoding", "ON", msg, sizeof msg), LS_OK));
    cr_assert(eq(int, ls_config_bool(c, "tx.precoding"), 1));
    ls_config *d = ls_config_copy(c);
    cr_assert(eq(str, (char *)ls_config_str(d, "tx.ffe_post"), "-0.1, 0.02"));
    ls_config_destroy(d);
    ls_config_destroy(c);
    ls_config_destroy(NULL);
}

Test(config, bad_values_name_the_key_and_the_reason)
{
    expect_reject("tx.foo=1", "unknown key 'tx.foo'");
    expect_reject("bogus.key=1", "unknown section 'bogus'");
    expect_reject("link.sps=abc", "link.sps: 'abc' is not a number");
    expect_reject("link.sps=0", "out of range");
    expect_reject("link.sps=3.5", "not a whole number");
    expect_reject("link.rate_gbps=-5", "link.rate_gbps");
    expect_reject("link.rate_gbps=nan", "not a number");
    expect_reject("link.modulation=qam16", "not one of pam2|pam4|pam8");
    expect_reject("tx.precoding=maybe", "not a boolean");
    expect_reject("tx.ffe_post=0.1,x", "list item 'x'");
    expect_reject("tx.ffe_post=0.1,0.1,0.1,0.1,0.1", "more than 4 items");
    expect_reject("tx.ffe_pre=0.9", "out of range");
    expect_reject("noise.snr_db", "section.key=value");
    expect_reject("=3", "section.key=value");
    expect_reject("rate=3", "not a section.key name");
    expect_reject("jitter.rj_ui=inf", "out of range");
}

Test(config, a_rejected_value_leaves_the_old_one)
{
    ls_config *c = awgn();
    char msg[128];
    cr_assert(eq(int, ls_config_set(c, "link.sps", "16", msg, sizeof msg), LS_OK));
    cr_assert(eq(int, ls_config_set(c, "link.sps", "999", msg, sizeof msg), LS_EINVAL));
    cr_assert(eq(i64, ls_config_int(c, "link.sps"), 16));
    ls_config_destroy(c);
}

Test(config, unknown_preset_is_rejected)
{
    char msg[256] = "";
    ls_status st;
    cr_assert(eq(ptr, ls_config_create("warp-drive", msg, sizeof msg, &st), NULL));
    cr_assert(eq(int, st, LS_EINVAL));
    cr_assert(ls_has(msg, "unknown preset 'warp-drive'"), "%s", msg);
}

static char *write_tmp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/ls_test_cfg_XXXXXX.ini");
    int fd = mkstemps(path, 4);
    cr_assert(fd >= 0);
    cr_assert(eq(sz, (size_t)write(fd, text, strlen(text)), strlen(text)));
    close(fd);
    return path;
}

Test(config, ini_file_sets_keys)
{
    char *p = write_tmp("; a link\npreset = awgn\n[link]\nsps = 16\n[noise]\nsnr_db = 15.5 ; inline comment\n"
                        "[tx]\nffe_post = -0.1,0.05\n");
    char msg[256] = "";
    ls_status st;
    ls_config *c = ls_config_load(p, msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    cr_assert(eq(i64, ls_config_int(c, "link.sps"), 16));
    cr_assert(eq(dbl, ls_config_real(c, "noise.snr_db"), 15.5));
    unlink(p);
    ls_config_destroy(c);
}

static void expect_ini_error(const char *text, const char *needle)
{
    char *p = write_tmp(text);
    char msg[512] = "";
    ls_status st;
    cr_assert(eq(ptr, ls_config_load_ini(p, msg, sizeof msg, &st), NULL));
    cr_assert(eq(int, st, LS_EINVAL));
    char want[600];
    snprintf(want, sizeof want, "%s:%s", p, needle);
    cr_assert(ls_has(msg, want), "message '%s' lacks '%s'", msg, want);
    unlink(p);
}

Test(config, ini_errors_name_file_and_line)
{
    expect_ini_error("preset = awgn\n[link]\nsps = 16\n[tx]\nswing = 1\n", "5: unknown key 'tx.swing'");
    expect_ini_error("preset = awgn\n\n[noise]\nsnr_db = loud\n", "4: noise.snr_db: 'loud' is not a number");
    expect_ini_error("preset = awgn\n[link]\nthis line is wrong\n", "3: syntax error");
    expect_ini_error("preset = awgn\n[warp]\nspeed = 9\n", "3: unknown section 'warp'");
    expect_ini_error("preset = awgn\n[link]\nsps = 0\nrate_gbps = -1\n", "3: link.sps");
    expect_ini_error("[link]\nsps = 16\n", " no 'preset = NAME'");
    expect_ini_error("preset = nosuch\n", " unknown preset 'nosuch'");
}

Test(config, missing_ini_file_is_an_io_error)
{
    char msg[256] = "";
    ls_status st;
    cr_assert(eq(ptr, ls_config_load("/nonexistent/dir/x.ini", msg, sizeof msg, &st), NULL));
    cr_assert(eq(int, st, LS_EIO));
    cr_assert(ls_has(msg, "/nonexistent/dir/x.ini"), "%s", msg);
}

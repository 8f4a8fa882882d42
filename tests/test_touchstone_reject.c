/*
 * Touchstone reader: malformed files rejected at their line, and the "touchstone" LTI block's
 * contract and rejections.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "touchstone_util.h"

/* ------------------------------------------------------------------------------------------ */
/* helpers */

static void write_and_expect_bad(const char *tag, const char *ext, const char *text, unsigned line,
                                 const char *phrase)
{
    char path[512];
    tmpname(path, sizeof path, tag, ext);
    write_text(path, text);
    expect_bad(path, line, phrase);
    unlink(path);
}

/* ------------------------------------------------------------------------------------------ */
/* malformed files */

Test(touchstone, truncated_file_is_rejected_at_its_last_line)
{
    write_and_expect_bad("trunc2", ".s2p",
                         "! c\n# GHz S RI R 50\n" TWO_PORT_LINE(1) TWO_PORT_LINE(2) "3 0.1 0 0.9\n",
                         5, "incomplete data");
    write_and_expect_bad("trunc4", ".s4p",
                         "# Hz S RI R 50\n"
                         "1 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n"
                         "2 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n",
                         7, "incomplete data");
}

Test(touchstone, non_finite_and_unparsable_numbers_are_rejected_at_their_line)
{
    write_and_expect_bad("nan", ".s2p",
                         "# GHz S RI R 50\n" TWO_PORT_LINE(1) "2 0.1 0 NaN 0 0.9 0 0.1 0\n", 3,
                         "not a finite number 'NaN'");
    write_and_expect_bad("inf", ".s2p",
                         "# GHz S RI R 50\n\n" TWO_PORT_LINE(1) "2 0.1 0 0.9 0 inf 0 0.1 0\n", 4,
                         "not a finite number");
    write_and_expect_bad("junk", ".s2p", "# GHz S RI R 50\n" TWO_PORT_LINE(1) "2 0.1 0 0.9x\n", 3,
                         "cannot parse number '0.9x'");
}

Test(touchstone, non_increasing_frequency_is_rejected_at_its_line)
{
    write_and_expect_bad("mono", ".s2p",
                         "# GHz S RI R 50\n" TWO_PORT_LINE(1) TWO_PORT_LINE(2) TWO_PORT_LINE(2)
                             TWO_PORT_LINE(3),
                         4, "not above the previous one");
    write_and_expect_bad("negf", ".s1p", "# GHz S RI R 50\n-1 0.5 0\n", 2, "negative frequency");
}

Test(touchstone, wrong_value_count_is_rejected_at_the_line_that_leaves_the_layout)
{
    write_and_expect_bad("count2", ".s2p",
                         "# GHz S RI R 50\n" TWO_PORT_LINE(1) "2 0.1 0 0.9 0 0.9 0 0.1 0 7\n", 3,
                         "wrong number of values");
    write_and_expect_bad(
        "count2b", ".s2p",
        "# GHz S RI R 50\n" TWO_PORT_LINE(1) "2 0.1 0 0.9 0 0.9 0 0.1\n" TWO_PORT_LINE(3), 3,
        "8 on this line, 9 expected");
    /* 4-port: one value missing on the second line of the second record */
    write_and_expect_bad(
        "count4", ".s4p",
        "# Hz S RI R 50\n"
        "1 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n"
        "2 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4\n 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n"
        "3 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n 1 0 2 0 3 0 4 0\n",
        7, "7 on this line, 8 expected");
}

Test(touchstone, bad_duplicate_or_unsupported_option_lines_are_rejected)
{
    write_and_expect_bad("opt1", ".s2p", "! x\n# GHz S XX R 50\n" TWO_PORT_LINE(1), 2,
                         "bad option line");
    write_and_expect_bad("opt2", ".s2p", "# GHz S RI R\n" TWO_PORT_LINE(1), 1, "R needs a value");
    write_and_expect_bad("opt3", ".s2p", "# GHz S RI R 50\n# GHz S RI R 50\n" TWO_PORT_LINE(1), 2,
                         "duplicate option line");
    write_and_expect_bad("opt4", ".s2p", "# GHz Y RI R 50\n" TWO_PORT_LINE(1), 1,
                         "unsupported parameter type 'Y'");
    write_and_expect_bad("opt5", ".s2p", "# GHz MHz S RI R 50\n" TWO_PORT_LINE(1), 1,
                         "two frequency units");
    write_and_expect_bad("opt6", ".s2p", TWO_PORT_LINE(1) "# GHz S RI R 50\n" TWO_PORT_LINE(2), 2,
                         "option line after the data");
    write_and_expect_bad("opt7", ".s2p", "# GHz S RI R -5\n" TWO_PORT_LINE(1), 1,
                         "reference impedance");
}

Test(touchstone, empty_unnamed_and_unreadable_files_are_rejected)
{
    write_and_expect_bad("empty", ".s2p", "! only comments\n# GHz S RI R 50\n\n", 3, "no data");
    write_and_expect_bad("v2nodata", ".ts", "[Version] 2.0\n[Number of Ports] 1\n[End]\n", 3,
                         "no data");
    write_and_expect_bad("v2count", ".ts",
                         "[Version] 2.0\n[Number of Ports] 1\n[Number of Frequencies] 3\n"
                         "[Network Data]\n1 0.5 0\n2 0.5 0\n[End]\n",
                         6, "[Number of Frequencies] is 3 but 2 were read");
    write_and_expect_bad("v2mixed", ".ts",
                         "[Version] 2.0\n[Number of Ports] 4\n[Mixed-Mode Order] D2,1 D1,2\n", 3,
                         "Mixed-Mode");
    char p[512], msg[512] = "";
    ls_status st = LS_OK;
    tmpname(p, sizeof p, "noext", ".txt");
    write_text(p, TWO_PORT_LINE(1));
    cr_assert(ls_touchstone_read(p, msg, sizeof msg, &st) == NULL);
    cr_assert(eq(int, st, LS_EINVAL));
    cr_assert(ls_has(msg, "number of ports"), "%s", msg);
    unlink(p);
    cr_assert(ls_touchstone_read(p, msg, sizeof msg, &st) == NULL);
    cr_assert(eq(int, st, LS_EIO));
    cr_assert(ls_has(msg, p) && ls_has(msg, "cannot read"), "%s", msg);
    cr_assert(ls_touchstone_read(NULL, NULL, 0, &st) == NULL);
    cr_assert(eq(int, st, LS_EINVAL));
    ls_touchstone_destroy(NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* block contract */

Test(touchstone, block_contract_and_rejections)
{
    const double tau = 0.3e-9;
    char p[512], msg[1024];
    tmpname(p, sizeof p, "blk", ".s2p");
    write_2port(p, W_MA, 1e9, "GHz", 0.0, 20e6, 2001, delay_line, &tau);
    ls_block b = {(const ls_block_ops *)1, (void *)1};
    cr_assert(eq(int, ls_sparam_into_block(NULL, &b, msg, sizeof msg), LS_EINVAL));
    cr_assert(b.ops == NULL && b.self == NULL, "cleared on failure");
    cr_assert(eq(
        int,
        ls_sparam_into_block(&(ls_sparam_config){.path = p, .auto_map = 1}, NULL, msg, sizeof msg),
        LS_EINVAL));
    ls_sparam_config c = {.path = p, .auto_map = 0, .map = {0, 1, 2, 3}};
    cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_EINVAL), "4 ports of 2");
    c = (ls_sparam_config){.path = p, .auto_map = 1, .fs_hint_hz = -1};
    cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_EINVAL));
    c.fs_hint_hz = 0;
    c.path = "/nonexistent/dir/x.s2p";
    cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_EIO));

    c = (ls_sparam_config){.path = p, .auto_map = 0, .map = {1, LS_PORT_NONE, 0, LS_PORT_NONE}};
    cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(str, (char *)b.ops->name, "touchstone"));
    cr_assert(eq(int, b.ops->kind, LS_KIND_LTI));
    cr_assert(eq(int, b.ops->in, LS_T_F32));
    cr_assert(eq(int, b.ops->out, LS_T_F32));
    cr_assert(b.ops->process == NULL);
    /* a vector call equals single calls, and H(-f) = conj H(f) */
    double f[64];
    double complex h[64];
    for (int i = 0; i < 64; i++)
        f[i] = (i - 32) * 1.37e9;
    cr_assert(eq(int, b.ops->response(b.self, f, h, 64), LS_OK));
    for (int i = 0; i < 64; i++) {
        double complex hi = response1(&b, f[i]);
        cr_assert(eq(dbl, creal(h[i]), creal(hi)));
        cr_assert(eq(dbl, cimag(h[i]), cimag(hi)));
    }
    for (int i = 1; i < 64; i++) { /* f[64 - i] = -f[i] */
        cr_assert(eq(dbl, creal(h[i]), creal(h[64 - i])));
        cr_assert(eq(dbl, cimag(h[i]), -cimag(h[64 - i])));
    }
    cr_assert(eq(int, b.ops->response(b.self, NULL, h, 1), LS_EINVAL));
    cr_assert(eq(int, b.ops->response(b.self, NULL, NULL, 0), LS_OK));
    cr_assert(fabs(ls_sparam_delay_s(&b) - tau) < 0.1e-12);
    cr_assert(eq(dbl, ls_sparam_fmax_hz(&b), 40e9));
    ls_block_destroy(&b);
    ls_block_destroy(&b); /* safe on a cleared block */

    ls_lowpass_config lp;
    ls_lowpass_config_init(&lp);
    cr_assert(eq(int, ls_lowpass_into_block(&lp, &b), LS_OK));
    cr_assert(isnan(ls_sparam_delay_s(&b)), "not a touchstone block");
    cr_assert(isnan(ls_sparam_fmax_hz(&b)));
    cr_assert(eq(sz, ls_sparam_warnings(&b, NULL, 0), 0));
    ls_block_destroy(&b);
    cr_assert(isnan(ls_sparam_delay_s(NULL)));

    /* a malformed file reaches the caller as FILE:LINE */
    write_text(p, "# GHz S RI R 50\n" TWO_PORT_LINE(1) "2 nan\n");
    c = (ls_sparam_config){.path = p, .auto_map = 1};
    cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_EINVAL));
    char head[600];
    snprintf(head, sizeof head, "%s:3: ", p);
    cr_assert(0 == (strncmp(msg, head, strlen(head))), "%s", msg);
    unlink(p);
}

/* ls_sparam_into_block keeps the last prepared file (sparam.c): a second block from the same file and
   settings is an equal copy (same delay, same response bits, its own memory), and a file rewritten on disk
   (new size and mtime) is read again, not served from the cache. */
Test(touchstone, a_file_read_again_is_the_same_and_a_changed_file_is_reread)
{
    double tau = 0.3e-9;
    char p[512], msg[1024];
    tmpname(p, sizeof p, "cache", ".s2p");
    write_2port(p, W_MA, 1e9, "GHz", 0.0, 20e6, 2001, delay_line, &tau);
    ls_sparam_config c = {.path = p, .auto_map = 1};
    ls_block a, b, d;
    cr_assert(eq(int, ls_sparam_into_block(&c, &a, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(a.self != b.self);
    cr_assert(eq(dbl, ls_sparam_delay_s(&a), ls_sparam_delay_s(&b)));
    for (int i = 0; i < 50; i++) {
        const double complex ha = response1(&a, i * 0.77e9), hb = response1(&b, i * 0.77e9);
        cr_assert(eq(dbl, creal(ha), creal(hb)));
        cr_assert(eq(dbl, cimag(ha), cimag(hb)));
    }
    ls_block_destroy(&a);
    tau = 0.45e-9; /* rewritten: another delay, fewer points (the size changes even within one mtime tick) */
    write_2port(p, W_MA, 1e9, "GHz", 0.0, 20e6, 1801, delay_line, &tau);
    cr_assert(eq(int, ls_sparam_into_block(&c, &d, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(fabs(ls_sparam_delay_s(&d) - 0.45e-9) < 0.1e-12, "delay %g: the old file was served",
              ls_sparam_delay_s(&d));
    cr_assert(eq(dbl, ls_sparam_fmax_hz(&d), 36e9));
    cr_assert(fabs(ls_sparam_delay_s(&b) - 0.3e-9) < 0.1e-12, "the earlier block keeps its own tables");
    ls_block_destroy(&b);
    ls_block_destroy(&d);
    unlink(p);
}

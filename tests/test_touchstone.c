/*
 * Touchstone reader on real channels: the files of ../shared/channels and the figures of its
 * README (computed there by an independent parser), their port maps, passivity and roll-off, and
 * gzip-compressed files. The `lanesim channel` command: test_touchstone_cli.c. Synthetic files:
 * test_touchstone_format.c; malformed files and the "touchstone" LTI block's contract:
 * test_touchstone_reject.c.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "touchstone_real.h"

/* True when the map's thrus {in_p,out_p}, {in_n,out_n} are the README pairs "a->b, c->d". */
static int map_matches_thru(const ls_port_map *m, const char *thru)
{
    unsigned a, b, c, d;
    if (sscanf(thru, "%u->%u, %u->%u", &a, &b, &c, &d) != 4)
        return 0;
    unsigned p1[2] = {m->in_p + 1, m->out_p + 1}, p2[2] = {m->in_n + 1, m->out_n + 1};
#define SAME(x, y, u, v) (((x) == (u) && (y) == (v)) || ((x) == (v) && (y) == (u)))
    return (SAME(p1[0], p1[1], a, b) && SAME(p2[0], p2[1], c, d)) ||
           (SAME(p1[0], p1[1], c, d) && SAME(p2[0], p2[1], a, b));
#undef SAME
}

static void check_real(size_t i)
{
    char path[1024];
    int is_tmp;
    if (!real_path(i, path, sizeof path, &is_tmp))
        cr_skip_test("shared channel files not found");
    const real_file *r = &reals[i];
    ls_touchstone *t = read_ok(path);
    cr_assert(eq(u32, ls_touchstone_ports(t), 4));
    cr_assert(eq(sz, ls_touchstone_points(t), r->points));
    cr_assert(epsilon_eq(dbl, ls_touchstone_freq_hz(t)[r->points - 1], r->fmax_ghz * 1e9, 1.0));
    cr_assert(eq(dbl, ls_touchstone_z0(t, 3), 50.0));

    ls_port_map m;
    cr_assert(eq(int, ls_touchstone_detect_map(t, &m), LS_OK));
    cr_assert(map_matches_thru(&m, r->thru), "%s: map in (%u,%u) out (%u,%u), README %s", r->file,
              m.in_p + 1, m.in_n + 1, m.out_p + 1, m.out_n + 1, r->thru);
    cr_assert(m.in_p < m.out_p && m.in_n < m.out_n, "each thru runs from its lower port");

    double il, rl;
    cr_assert(eq(int, ls_touchstone_loss_db(t, &m, 26.5625e9, &il, &rl), LS_OK));
    cr_assert(fabs(il - r->il26_db) <= 0.1, "%s: IL %.3f dB, README %.2f dB", r->file, il,
              r->il26_db);
    cr_assert(rl > 0 && rl < 60);

    ls_block b;
    char msg[1024] = "";
    cr_assert(eq(int, ls_sparam_from_touchstone(t, NULL, 0.0, &b, msg, sizeof msg), LS_OK), "%s",
              msg);
    double il_b = -20.0 * log10(cabs(response1(&b, 26.5625e9)));
    cr_assert(fabs(il_b - r->il26_db) <= 0.1, "%s: block IL %.3f dB", r->file, il_b);
    double tau = ls_sparam_delay_s(&b);
    cr_assert(fabs(tau / (r->delay_ns * 1e-9) - 1.0) <= 0.05, "%s: delay %.4f ns, README %.2f ns",
              r->file, tau * 1e9, r->delay_ns);
    double span = b.ops->span_s(b.self), pre = b.ops->pre_s(b.self);
    cr_assert(span > 0 && span <= 20e-9 + 1e-15, "span %g", span);
    cr_assert(pre >= 20e-12 && pre <= 2e-9 + 1e-15, "pre %g", pre);
    cr_assert(0 == (has_warning(&b, "non-causal")), "%s: causality warning on a physical channel",
              r->file);
    cr_assert(0 == (has_warning(&b, "fmax")), "no range warning without fs_hint_hz");
    ls_block_destroy(&b);
    ls_touchstone_destroy(t);
    if (is_tmp)
        unlink(path);
}

Test(touchstone, real_ca_19p75db_matches_readme, .timeout = LS_TIMEOUT(30))
{
    check_real(0);
}

Test(touchstone, real_tp0_tp5_matches_readme, .timeout = LS_TIMEOUT(30))
{
    check_real(1);
}

Test(touchstone, real_c2c_matches_readme, .timeout = LS_TIMEOUT(30))
{
    check_real(2);
}

Test(touchstone, real_dpo_12in_gz_matches_readme, .timeout = LS_TIMEOUT(30))
{
    check_real(3);
}

Test(touchstone, real_c2m_matches_readme, .timeout = LS_TIMEOUT(30))
{
    check_real(4);
}

Test(touchstone, real_whisper27in_matches_readme, .timeout = LS_TIMEOUT(30))
{
    check_real(5);
}

Test(touchstone, real_smt_io_matches_readme, .timeout = LS_TIMEOUT(30))
{
    check_real(6);
}

Test(touchstone, real_wavepulser_matches_readme, .timeout = LS_TIMEOUT(30))
{
    check_real(7);
}

Test(touchstone, lecroy_port_map_is_thru_2_3_and_1_4)
{
    char path[1024];
    int is_tmp;
    if (!real_path(7, path, sizeof path, &is_tmp))
        cr_skip_test("shared channel files not found");
    ls_touchstone *t = read_ok(path);
    ls_port_map m;
    cr_assert(eq(int, ls_touchstone_detect_map(t, &m), LS_OK));
    cr_assert(eq(u32, m.in_p, 0));
    cr_assert(eq(u32, m.out_p, 3));
    cr_assert(eq(u32, m.in_n, 1));
    cr_assert(eq(u32, m.out_n, 2));
    ls_touchstone_destroy(t);
}

Test(touchstone, loads_a_6001_point_4_port_file_fast, .timeout = LS_TIMEOUT(30))
{
    char path[1024];
    int is_tmp;
    if (!real_path(0, path, sizeof path, &is_tmp))
        cr_skip_test("shared channel files not found");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ls_touchstone *t = read_ok(path);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    cr_assert(s < 0.5, "reading took %.3f s", s);
    cr_assert(eq(sz, ls_touchstone_points(t), 6001));
    ls_touchstone_destroy(t);
}

Test(touchstone, passivity_flags_lecroy_but_not_the_ieee_files, .timeout = LS_TIMEOUT(60))
{
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
        char path[1024];
        int is_tmp;
        if (!real_path(i, path, sizeof path, &is_tmp))
            cr_skip_test("shared channel files not found");
        ls_touchstone *t = read_ok(path);
        double sig, f;
        size_t n_over;
        cr_assert(eq(int, ls_touchstone_passivity(t, &sig, &f, &n_over), LS_OK));
        ls_sparam_config c = {.path = path, .auto_map = 1};
        ls_block b;
        char msg[1024];
        cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_OK), "%s", msg);
        if (reals[i].lecroy) {
            cr_assert(fabs(sig - 1.0043) < 2e-4, "LeCroy sigma %.5f", sig);
            cr_assert(eq(dbl, f, 0.0));
            cr_assert(n_over > 0);
            cr_assert(has_warning(&b, "not passive"));
            cr_assert(has_warning(&b, path), "the warning names the file");
        } else {
            cr_assert(sig <= 1.0005 + 1e-5, "%s: sigma %.5f", reals[i].file, sig);
            cr_assert(eq(sz, n_over, 0));
            cr_assert(0 == (has_warning(&b, "not passive")), "%s", reals[i].file);
        }
        ls_block_destroy(&b);
        ls_touchstone_destroy(t);
        if (is_tmp)
            unlink(path);
    }
}

Test(touchstone, rolls_off_above_fmax_with_a_warning_naming_the_file, .timeout = LS_TIMEOUT(30))
{
    char path[1024];
    int is_tmp;
    if (!real_path(6, path, sizeof path, &is_tmp)) /* SMT I/O: ends at 42 GHz */
        cr_skip_test("shared channel files not found");
    ls_sparam_config c = {.path = path, .auto_map = 1, .fs_hint_hz = 32 * 106.25e9};
    ls_block b;
    char msg[1024];
    cr_assert(eq(int, ls_sparam_into_block(&c, &b, msg, sizeof msg), LS_OK), "%s", msg);
    const double fmax = ls_sparam_fmax_hz(&b);
    cr_assert(eq(dbl, fmax, 42e9));
    double g_fmax = 20.0 * log10(cabs(response1(&b, fmax))), prev = g_fmax;
    for (double f = fmax + 0.5e9; f <= 2.0 * fmax; f += 0.5e9) {
        double g = 20.0 * log10(cabs(response1(&b, f)));
        cr_assert(g < prev, "not rolling off at %g GHz", f / 1e9);
        prev = g;
    }
    cr_assert(prev <= g_fmax - 100.0 + 1e-9, "at least 100 dB down at 2 fmax: %g", prev - g_fmax);
    cr_assert(eq(dbl, cabs(response1(&b, 5.0 * fmax)), 0.0));
    const char *w[8];
    size_t n = ls_sparam_warnings(&b, w, 8);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        found |= strstr(w[i], path) && strstr(w[i], "fmax = 42 GHz");
    cr_assert(found, "a warning names the file and fmax");
    ls_block_destroy(&b);
    if (is_tmp)
        unlink(path);
}

/* ------------------------------------------------------------------------------------------ */
/* gzip-compressed files (.s4p.gz, read through zlib): a shipped test file (the fuzz corpus's
 * pair_ma.s4p without the fuzzer's leading selector byte) compressed at test time by gzip(1), an
 * independent compressor, must read back value for value */
#define GZ_CORPUS LS_SOURCE_DIR "/tests/fuzz/corpus/fuzz_touchstone/pair_ma.s4p"

/* the plain Touchstone text of the corpus file into path */
static void plain_copy(char *path, size_t cap)
{
    char cmd[1400];
    tmpname(path, cap, "plain", ".s4p");
    snprintf(cmd, sizeof cmd, "tail -c +2 '%s' > '%s'", GZ_CORPUS, path);
    cr_assert(eq(int, system(cmd), 0), "%s", cmd);
}

static void same_network(const ls_touchstone *a, const ls_touchstone *b)
{
    cr_assert(eq(u32, ls_touchstone_ports(a), ls_touchstone_ports(b)));
    cr_assert(eq(sz, ls_touchstone_points(a), ls_touchstone_points(b)));
    unsigned n = ls_touchstone_ports(a);
    for (size_t k = 0; k < ls_touchstone_points(a); k++) {
        cr_assert(eq(dbl, ls_touchstone_freq_hz(a)[k], ls_touchstone_freq_hz(b)[k]));
        for (unsigned i = 0; i < n; i++)
            for (unsigned j = 0; j < n; j++)
                cr_assert(ls_touchstone_s(a, k, i, j) == ls_touchstone_s(b, k, i, j), "point %zu S%u%u", k, i + 1, j + 1);
    }
}

static void sh(const char *cmd)
{
    cr_assert(eq(int, system(cmd), 0), "%s", cmd);
}

Test(touchstone, gzip_file_reads_as_the_plain_one, .timeout = LS_TIMEOUT(30))
{
    char gz[512], src[512], cmd[1400], msg[1024] = "";
    plain_copy(src, sizeof src);
    tmpname(gz, sizeof gz, "pair", ".s4p.gz"); /* v1 file: N = 4 from the name under ".gz" */
    snprintf(cmd, sizeof cmd, "gzip -9c '%s' > '%s'", src, gz);
    sh(cmd);
    ls_status st = LS_OK;
    ls_touchstone *t = ls_touchstone_read(gz, msg, sizeof msg, &st);
#ifdef LANESIM_HAVE_ZLIB
    cr_assert(t != NULL, "%s", msg);
    ls_touchstone *p = read_ok(src);
    cr_assert(eq(u32, ls_touchstone_ports(t), 4));
    cr_assert(ls_touchstone_points(t) >= 4);
    same_network(t, p);
    ls_touchstone_destroy(p);
    ls_touchstone_destroy(t);
#else
    cr_assert(t == NULL && st == LS_EINVAL && ls_has(msg, "without zlib"), "%s", msg);
#endif
    unlink(gz);
    unlink(src);
}

#ifdef LANESIM_HAVE_ZLIB
Test(touchstone, gzip_members_concatenated_and_damaged_streams, .timeout = LS_TIMEOUT(30))
{
    char a[512], b[512], gz[512], src[512], cmd[4096], msg[1024] = "";
    plain_copy(src, sizeof src);
    tmpname(a, sizeof a, "gza", ".part");
    tmpname(b, sizeof b, "gzb", ".part");
    tmpname(gz, sizeof gz, "multi", ".s4p.gz");
    /* two members (gzip(1) allows concatenation): the first 300 bytes, then the rest */
    snprintf(cmd, sizeof cmd, "head -c 300 '%s' | gzip -c > '%s' && tail -c +301 '%s' | gzip -c > '%s' && cat '%s' '%s' > '%s'",
             src, a, src, b, a, b, gz);
    sh(cmd);
    ls_touchstone *t = read_ok(gz), *p = read_ok(src);
    same_network(t, p);
    ls_touchstone_destroy(t);
    ls_touchstone_destroy(p);
    /* truncated stream: refused, the message names the file */
    snprintf(cmd, sizeof cmd, "gzip -c '%s' | head -c 200 > '%s'", src, gz);
    sh(cmd);
    ls_status st = LS_OK;
    cr_assert(ls_touchstone_read(gz, msg, sizeof msg, &st) == NULL);
    cr_assert(eq(int, st, LS_EINVAL));
    cr_assert(ls_has(msg, gz) && ls_has(msg, "damaged gzip"), "%s", msg);
    unlink(a);
    unlink(b);
    unlink(gz);
    unlink(src);
}

Test(touchstone, real_dpo_gz_read_directly, .timeout = LS_TIMEOUT(30))
{
    char plain[1024], gz[1200];
    int is_tmp;
    if (!real_path(3, plain, sizeof plain, &is_tmp)) /* decompressed by gzip -dc */
        cr_skip_test("shared channel files not found");
    snprintf(gz, sizeof gz, "%s/channels/%s", shared_dir(), reals[3].file);
    ls_touchstone *t = read_ok(gz), *p = read_ok(plain);
    same_network(t, p);
    ls_touchstone_destroy(t);
    ls_touchstone_destroy(p);
    if (is_tmp)
        unlink(plain);
}
#endif

/*
 * Touchstone reader on real channels: the files of ../shared/channels and the figures of its
 * README (computed there by an independent parser), their port maps, passivity and roll-off, and
 * the `lanesim channel` command. Synthetic files: test_touchstone_format.c; malformed files and
 * the "touchstone" LTI block's contract: test_touchstone_reject.c.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "touchstone_util.h"

/* ------------------------------------------------------------------------------------------ */
/* the shared real channels */

typedef struct {
    const char *file; /* under shared/channels */
    int gz;           /* stored gzip-compressed */
    size_t points;
    double fmax_ghz;
    const char *thru; /* README "thru" column, 1-based */
    double il26_db;   /* README IL at 26.5625 GHz */
    double delay_ns;  /* README delay */
    int lecroy;       /* measured, passivity 1.0043 */
} real_file;

static const real_file reals[] = {
    {"ieee3ck_mellitz_CA_19p75dB_thru.s4p", 0, 6001, 60, "3->4, 1->2", 19.74, 10.36, 0},
    {"ieee3ck_mellitz_Tp0_Tp5_28p5db_FQSFP_thru.s4p", 0, 6001, 60, "3->4, 1->2", 28.43, 13.18, 0},
    {"ieee3ck_gore_C2C_PCB_SYSVIA_12dB_thru.s4p", 0, 6000, 60, "3->4, 1->2", 12.17, 1.47, 0},
    {"ieee3ck_tracy_DPO_12in_Meg7_THRU.s4p.gz", 1, 6001, 60, "1->2, 3->4", 28.25, 4.39, 0},
    {"ieee3ck_C2M_Z100_IL14_WC_BOR_H_L_H_THRU.s4p", 0, 5001, 50, "1->2, 3->4", 13.94, 2.77, 0},
    {"te_Whisper27in_M6_THRU_G14G15_measured.s4p", 0, 4001, 40, "1->2, 3->4", 42.66, 5.00, 0},
    {"te_SMT_IO_42GHz_Thru_B5B6_10in.s4p", 0, 4201, 42, "1->2, 3->4", 16.25, 1.85, 0},
    {"lecroy_WavePulserDemoBoard_measured.s4p", 0, 1601, 40, "2->3, 1->4", 12.14, 0.91, 1},
};

/* The shared folder: ls_test_shared_dir() looks for ../shared from the working directory; the
 * test executable also knows the folder beside the source tree (LS_SHARED_DIR), which is what
 * works under ctest (run from the build tree). */
static const char *shared_dir(void)
{
    const char *dir = ls_test_shared_dir();
#ifdef LS_SHARED_DIR
    if (!dir && ls_test_file_exists(LS_SHARED_DIR))
        dir = LS_SHARED_DIR;
#endif
    return dir;
}

/* Path of real file i (decompressed to a temp file if needed); 0 if the shared folder is absent. */
static int real_path(size_t i, char *path, size_t cap, int *is_tmp)
{
    const char *dir = shared_dir();
    *is_tmp = 0;
    if (!dir)
        return 0;
    char src[1024];
    snprintf(src, sizeof src, "%s/channels/%s", dir, reals[i].file);
    if (!ls_test_file_exists(src))
        return 0;
    if (!reals[i].gz) {
        snprintf(path, cap, "%s", src);
        return 1;
    }
    tmpname(path, cap, "dpo", ".s4p");
    char cmd[2600];
    snprintf(cmd, sizeof cmd, "gzip -dc '%s' > '%s'", src, path);
    cr_assert(eq(int, system(cmd), 0), "%s", cmd);
    *is_tmp = 1;
    return 1;
}

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
/* the command line */

static char out[1 << 16];

static int cli(const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s", LS_CLI_PATH, args);
    return ls_test_run(cmd, out, sizeof out);
}

static cJSON *load_json(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert(f != NULL, "%s missing", path);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cJSON *j = cJSON_Parse(buf);
    cr_assert(j != NULL, "bad JSON: %s", buf);
    return j;
}

Test(touchstone, cli_channel_prints_loss_and_writes_json, .timeout = LS_TIMEOUT(60))
{
    char path[1024], json[512], args[2048];
    int is_tmp;
    if (!real_path(0, path, sizeof path, &is_tmp))
        cr_skip_test("shared channel files not found");
    tmpname(json, sizeof json, "cli", ".json");
    snprintf(args, sizeof args, "channel '%s' --json '%s'", path, json);
    cr_assert(eq(int, cli(args), 0), "%s", out);
    cr_assert(ls_has(out, "19.74"), "IL at 26.5625 GHz: %s", out);
    cr_assert(ls_has(out, "26.5625"));
    cr_assert(ls_has(out, "10.3"), "delay: %s", out);
    cr_assert(ls_has(out, "fmax"));
    cr_assert(ls_has(out, "106.25") && ls_has(out, "above fmax"));
    cJSON *j = load_json(json);
    cJSON *pts = cJSON_GetObjectItem(j, "points");
    cr_assert(cJSON_IsArray(pts));
    cr_assert(eq(int, cJSON_GetArraySize(pts), 3));
    cJSON *p0 = cJSON_GetArrayItem(pts, 0);
    cr_assert(epsilon_eq(dbl, cJSON_GetObjectItem(p0, "freq_hz")->valuedouble, 26.5625e9, 1));
    cr_assert(fabs(cJSON_GetObjectItem(p0, "il_db")->valuedouble - 19.74) < 0.1);
    cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(p0, "rl_db")));
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(pts, 2), "il_db")));
    cr_assert(fabs(cJSON_GetObjectItem(j, "delay_s")->valuedouble / 10.36e-9 - 1) < 0.05);
    cr_assert(eq(dbl, cJSON_GetObjectItem(j, "fmax_hz")->valuedouble, 60e9));
    cJSON *w = cJSON_GetObjectItem(j, "warnings");
    cr_assert(cJSON_IsArray(w));
    cr_assert(eq(int, cJSON_GetArraySize(w), 1), "only the range warning");
    cr_assert(ls_has(cJSON_GetArrayItem(w, 0)->valuestring, path));
    cJSON *ports = cJSON_GetObjectItem(j, "ports");
    cr_assert(cJSON_IsObject(ports));
    cr_assert(eq(int, cJSON_GetObjectItem(ports, "in_p")->valueint, 1));
    cr_assert(eq(int, cJSON_GetObjectItem(ports, "in_n")->valueint, 3));
    cr_assert(eq(int, cJSON_GetObjectItem(ports, "out_p")->valueint, 2));
    cr_assert(eq(int, cJSON_GetObjectItem(ports, "out_n")->valueint, 4));
    cJSON_Delete(j);
    unlink(json);

    snprintf(args, sizeof args, "channel '%s' --at 13.28125,40 --ports 1,3,2,4", path);
    cr_assert(eq(int, cli(args), 0), "%s", out);
    cr_assert(ls_has(out, "11.62") && ls_has(out, "32.19"), "%s", out);
    cr_assert(0 == (ls_has(out, "warnings")), "all frequencies inside the data: %s", out);
    snprintf(args, sizeof args, "channel '%s' --ports 1,1,2,4", path);
    cr_assert(eq(int, cli(args), 2));
    cr_assert(ls_has(out, "--ports"));
    snprintf(args, sizeof args, "channel '%s' --at 10,abc", path);
    cr_assert(eq(int, cli(args), 2));
    cr_assert(eq(int, cli("channel --help"), 0));
    cr_assert(ls_has(out, "--at") && ls_has(out, "PRESET"));
    cr_assert(eq(int, cli("channel"), 2));
    cr_assert(eq(int, cli("--help"), 0));
    cr_assert(ls_has(out, "channel FILE.sNp"));
    if (is_tmp)
        unlink(path);
}

Test(touchstone, cli_malformed_file_exits_2_with_file_and_line, .timeout = LS_TIMEOUT(30))
{
    char p[512], json[512], args[2048];
    tmpname(p, sizeof p, "clibad", ".s2p");
    tmpname(json, sizeof json, "clibad", ".json");
    write_text(p, "# GHz S RI R 50\n" TWO_PORT_LINE(1) TWO_PORT_LINE(0.5));
    snprintf(args, sizeof args, "channel '%s' --json '%s'", p, json);
    cr_assert(eq(int, cli(args), 2));
    char want[700];
    snprintf(want, sizeof want, "lanesim: %s:3: ", p);
    cr_assert(0 == (strncmp(out, want, strlen(want))), "got: %s", out);
    cr_assert(eq(int, (int)(strchr(out, '\n') - out), (int)strlen(out) - 1), "one line: %s", out);
    cr_assert(0 == (ls_test_file_exists(json)), "no JSON file left");
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "ls '%s'.tmp* 2>/dev/null | grep -q .", json);
    cr_assert(system(cmd) != 0, "no temporary file left");
    unlink(p);
}

/* ------------------------------------------------------------------------------------------ */
/* the Touchstone channel of the copper preset is honoured (no silent fallback to the cable) */

Test(touchstone, a_touchstone_file_with_channel_type_cable_is_a_conflict)
{
    /* before: the file was ignored and the default 1 m cable ran (BER 3.2e-7 on a 42.7 dB channel) */
    cr_assert(eq(int, cli("run copper -s channel.touchstone=some.s4p --symbols 100"), 2), "%s", out);
    cr_assert(ls_has(out, "channel.touchstone = some.s4p, but channel.type = cable ignores it"), "%s", out);
    cr_assert(eq(int, cli("channel copper -s channel.touchstone=some.s4p"), 2), "%s", out);
    cr_assert(ls_has(out, "channel.type = cable ignores it"), "%s", out);
}

Test(touchstone, reach_refuses_a_fixed_channel)
{
    /* before: 16 evaluations of a length that does not apply, "reach >= 10 m, margin 0.00" */
    cr_assert(eq(int, cli("reach copper -s channel.type=touchstone -s channel.touchstone=some.s4p"), 2), "%s", out);
    cr_assert(ls_has(out, "fixed channel"), "%s", out);
}

Test(touchstone, run_prints_and_stores_the_channel_warnings, .timeout = LS_TIMEOUT(120))
{
    char path[512], json[512], args[2048];
    tmpname(path, sizeof path, "warn", ".s2p");
    tmpname(json, sizeof json, "warn", ".json");
    /* a 2-port that ends at 40 GHz, far below the simulated band: the block warns */
    write_text(path, "# GHz S RI R 50\n0.01 0 0 0.95 0 0.95 0 0 0\n20 0 0 0.5 0 0.5 0 0 0\n"
                     "40 0 0 0.3 0 0.3 0 0 0\n");
    snprintf(args, sizeof args,
             "run copper -s channel.type=touchstone -s channel.touchstone='%s' --symbols 500 --json '%s'", path, json);
    cr_assert(eq(int, cli(args), 0), "%s", out);
    cr_assert(ls_has(out, "warning: ") && ls_has(out, "data end at fmax = 40 GHz"), "%s", out);
    cJSON *j = load_json(json);
    const cJSON *w = cJSON_GetObjectItem(j, "warnings");
    cr_assert(cJSON_IsArray(w) && cJSON_GetArraySize(w) >= 1, "no warnings in the JSON");
    cr_assert(ls_has(cJSON_GetArrayItem(w, 0)->valuestring, "40 GHz") ||
              ls_has(cJSON_GetArrayItem(w, cJSON_GetArraySize(w) - 1)->valuestring, "40 GHz"));
    cJSON_Delete(j);
    unlink(path);
    unlink(json);
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

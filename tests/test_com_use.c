/**
 * IEEE COM in use (docs/com.md "COM of a preset", "COM in reach, study and sweep"): the COM of
 * lanesim's analytic copper channel (ls_com_preset) falls with the cable length; the channel
 * exported to Touchstone by `lanesim com PRESET --export-s4p` and read back through the file path
 * of the engine (ls_com_run) gives the same COM; `reach --target com` finds the length where the
 * COM crosses the target, bracketed by direct COM evaluations on both sides.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lanesim/channel.h"
#include "lanesim/com.h"
#include "lanesim/config.h"
#include "lanesim/reach.h"
#include "util.h"

#define CFG_DIR LS_SOURCE_DIR "/channels/copper/com/"

static ls_com_config *com_cfg(const char *name, const char *zp_sel)
{
    char path[1024], msg[512] = "";
    ls_status st;
    snprintf(path, sizeof path, CFG_DIR "%s.csv", name);
    ls_com_config *c = ls_com_config_read(path, msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s", msg);
    if (zp_sel)
        cr_assert(eq(int, ls_com_config_set(c, "z_p select", zp_sel, msg, sizeof msg), LS_OK), "%s", msg);
    return c;
}

/* the copper preset at 106.25 Gb/s (53.125 GBd, the 802.3ck rate) and length_m */
static ls_config *copper(double length_m)
{
    char msg[512] = "", v[64];
    ls_status st;
    ls_config *c = ls_config_create("copper", msg, sizeof msg, &st);
    cr_assert(c != NULL);
    snprintf(v, sizeof v, "%g", length_m);
    cr_assert(eq(int, ls_config_set(c, "link.length_m", v, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(int, ls_config_set(c, "link.rate_gbps", "106.25", msg, sizeof msg), LS_OK), "%s", msg);
    return c;
}

static double com_of(const ls_com_config *cc, double length_m)
{
    ls_config *c = copper(length_m);
    ls_com_result r;
    char msg[512] = "";
    cr_assert(eq(int, ls_com_preset(cc, c, &r, msg, sizeof msg), LS_OK), "%s", msg);
    ls_config_destroy(c);
    return r.com_db;
}

/* COM falls with every added metre of cable, from a short channel that passes to one that fails */
Test(com_use, preset_com_falls_with_length, .timeout = LS_TIMEOUT(60))
{
    ls_com_config *cc = com_cfg("802.3ck-kr", "[1]");
    const double len[] = { 0.5, 2.0, 3.5, 5.0 };
    double prev = INFINITY;
    for (size_t i = 0; i < sizeof len / sizeof len[0]; i++) {
        double v = com_of(cc, len[i]);
        cr_expect(v < prev - 0.3, "COM %.3f dB at %g m is not below %.3f dB at the shorter length", v, len[i], prev);
        prev = v;
        if (i == 0)
            cr_expect(v > 3, "0.5 m of cable should pass (COM %.3f dB)", v);
    }
    cr_expect(prev < 3, "5 m at 53 GBd should fail (COM %.3f dB)", prev);
    ls_com_config_destroy(cc);
}

/* The channel handed to COM: without packages (COM adds its own) and, under Include PCB = 1, without
   the preset's host PCB; S12 = S21 (reciprocal), and the symmetric channel has S22 = S11. */
Test(com_use, preset_channel_is_board_and_cable, .timeout = LS_TIMEOUT(20))
{
    ls_com_config *kr = com_cfg("802.3ck-kr", NULL), *ca = com_cfg("802.3ck-cr-ca", NULL);
    ls_config *c = copper(1.0);
    char msg[512] = "";
    ls_com_preset_channels a, b;
    cr_assert(eq(int, ls_com_preset_channels_build(kr, c, &a, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(int, ls_com_preset_channels_build(ca, c, &b, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(sz, a.n_ch, 1));
    cr_expect(a.host_pcb_dropped == 0 && b.host_pcb_dropped == 1);
    const ls_com_sdd *t = &a.ch[0];
    cr_expect(t->f_hz[1] - t->f_hz[0] <= 10e6 + 1 && t->f_hz[t->n - 1] >= 53.125e9);
    for (size_t k = 0; k < t->n; k += 97) {
        cr_expect(cabs(t->s12[k] - t->s21[k]) < 1e-9 && cabs(t->s22[k] - t->s11[k]) < 1e-9, "k %zu", k);
        cr_expect(cabs(b.ch[0].s21[k]) >= cabs(t->s21[k]) - 1e-12, "without host PCB the loss is lower, k %zu", k);
    }
    /* the preset's own S21 (ls_channel_sparams, packages on) is lower than COM's channel without them */
    double complex s21, s11;
    const size_t k = 2655; /* 26.56 GHz */
    const double f = t->f_hz[k];
    cr_assert(eq(int, ls_channel_sparams(c, &f, 1, &s21, &s11, NULL, msg, sizeof msg), LS_OK), "%s", msg);
    cr_expect(cabs(s21) < cabs(t->s21[k]) * 0.9, "packaged %g, board only %g", cabs(s21),
              cabs(t->s21[k]));
    ls_com_preset_channels_free(&a);
    ls_com_preset_channels_free(&b);
    ls_config_destroy(c);
    ls_com_config_destroy(kr);
    ls_com_config_destroy(ca);
}

/* `lanesim com copper --export-s4p F` then `lanesim com F`: the same COM within 0.05 dB */
Test(com_use, export_round_trip, .timeout = LS_TIMEOUT(60))
{
    char dir[] = "/tmp/ls_com_use_XXXXXX", cmd[2048], out[8192];
    cr_assert(mkdtemp(dir) != NULL);
    snprintf(cmd, sizeof cmd,
             "'%s' com copper -s link.length_m=1.2 -s link.rate_gbps=106.25 --config 802.3ck-kr -s 'z_p select=[1]' "
             "--export-s4p %s/ch.s4p --json %s/a.json 2>&1",
             LS_CLI_PATH, dir, dir);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    snprintf(cmd, sizeof cmd, "'%s' com %s/ch.s4p --config 802.3ck-kr -s 'z_p select=[1]' --json %s/b.json 2>&1",
             LS_CLI_PATH, dir, dir);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    double v[2];
    for (int i = 0; i < 2; i++) {
        char path[512], buf[65536];
        snprintf(path, sizeof path, "%s/%c.json", dir, 'a' + i);
        FILE *f = fopen(path, "r");
        cr_assert(f != NULL);
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        const char *p = strstr(buf, "\"com_db\":");
        cr_assert(p != NULL, "%s", buf);
        v[i] = strtod(p + 9, NULL);
        remove(path);
    }
    cr_expect(fabs(v[0] - v[1]) < 0.05, "preset %.4f dB, exported file %.4f dB", v[0], v[1]);
    snprintf(cmd, sizeof cmd, "%s/ch.s4p", dir);
    remove(cmd);
    rmdir(dir);
}

/* a preset without an analytic channel: a one-line error, no COM */
Test(com_use, preset_without_channel, .timeout = LS_TIMEOUT(10))
{
    ls_com_config *cc = com_cfg("802.3ck-kr", NULL);
    ls_status st;
    char msg[512] = "";
    ls_config *c = ls_config_create("lpo", msg, sizeof msg, &st);
    cr_assert(c != NULL);
    ls_com_result r;
    cr_expect(eq(int, ls_com_preset(cc, c, &r, msg, sizeof msg), LS_EINVAL));
    cr_expect(ls_has(msg, "no analytic channel"), "%s", msg);
    ls_config_destroy(c);
    ls_com_config_destroy(cc);
}

/* reach with the IEEE COM target: COM >= 3 dB at the reach, below 3 dB one tolerance step beyond */
Test(com_use, reach_ieee_com_brackets_the_crossing, .timeout = LS_TIMEOUT(120))
{
    ls_com_config *cc = com_cfg("802.3ck-kr", "[1]");
    ls_config *c = copper(1.0);
    ls_reach_options o;
    ls_reach_options_init(&o);
    o.target = LS_REACH_IEEE_COM;
    o.target_value = 3.0;
    o.com_config = cc;
    o.min_m = 1.0;
    o.max_m = 8.0;
    o.grid = 4;
    o.rel_tol = 0.05;
    ls_reach_result r;
    char msg[512] = "";
    cr_assert(eq(int, ls_reach(c, &o, &r, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(r.reach_m > 1.0 && r.reach_m < 8.0 && !r.below_range && !r.above_range, "reach %g", r.reach_m);
    cr_expect(r.com_db >= 3.0 && fabs(r.com_db - com_of(cc, r.reach_m)) < 1e-9, "COM %.3f at %g m", r.com_db, r.reach_m);
    const double beyond = com_of(cc, r.reach_m * 1.05);
    cr_expect(beyond < 3.0, "COM %.3f dB at %g m, beyond the reach", beyond, r.reach_m * 1.05);
    cr_expect(r.check == LS_REACH_UNCONFIRMED && isnan(r.penalty_db));
    ls_config_destroy(c);
    ls_com_config_destroy(cc);
}

/* the study's copper row at 106.25 Gb/s carries the IEEE COM reach under 802.3ck-kr, in the CSV and the JSON */
Test(com_use, study_com_reach_column, .timeout = LS_TIMEOUT(120))
{
    char dir[] = "/tmp/ls_com_study_XXXXXX", cmd[2048], out[8192], path[512], buf[65536], cfg[512];
    cr_assert(mkdtemp(dir) != NULL);
    /* 802.3ck-kr with package case 1 only (--com-config FILE), to keep the test short */
    snprintf(cfg, sizeof cfg, "%s/802.3ck-kr.csv", dir);
    snprintf(cmd, sizeof cmd, "sed 's/^z_p select,.*/z_p select,[1],,/' " CFG_DIR "802.3ck-kr.csv > %s", cfg);
    cr_assert(eq(int, system(cmd), 0));
    snprintf(cmd, sizeof cmd,
             "'%s' study --out %s --arch copper-26awg --rates 106.25 --sps 8 --eye-rate 0 --no-confirm --no-plot "
             "--threads 1 --com-config %s 2>&1",
             LS_CLI_PATH, dir, cfg);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    cr_expect(ls_has(out, "COM reach"), "%s", out);
    snprintf(path, sizeof path, "%s/reach_vs_rate.csv", dir);
    FILE *f = fopen(path, "r");
    cr_assert(f != NULL);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    cr_assert(ls_has(buf, ",com_reach_m,com_config\n"), "%s", buf);
    const char *row = strchr(buf, '\n') + 1, *p = row;
    double reach = strtod(strchr(row, ',') + 1 + strcspn(strchr(row, ',') + 1, ",") + 1, NULL);
    for (int k = 0; k < 17; k++)
        p = strchr(p, ',') + 1;
    const double com_reach = strtod(p, NULL);
    cr_expect(ls_has(p, "802.3ck-kr.csv"), "%s", row);
    cr_expect(com_reach > 0.5 && com_reach < 2 * reach, "COM reach %g m, BER reach %g m", com_reach, reach);
    /* COM at the COM reach passes, 5 % further it fails (the search's 3 % tolerance) */
    ls_com_config *cc = com_cfg("802.3ck-kr", "[1]");
    ls_config *c = copper(com_reach);
    ls_com_result r;
    char msg[512] = "";
    cr_assert(eq(int, ls_config_set(c, "cable.awg", "26", msg, sizeof msg), LS_OK));
    cr_assert(eq(int, ls_com_preset(cc, c, &r, msg, sizeof msg), LS_OK), "%s", msg);
    cr_expect(r.com_db >= 3.0, "COM %.3f dB at the COM reach %g m", r.com_db, com_reach);
    remove(path);
    snprintf(path, sizeof path, "%s/study.json", dir);
    f = fopen(path, "r");
    cr_assert(f != NULL);
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    cr_expect(ls_has(buf, "\"com_reach_m\":") && ls_has(buf, "802.3ck-kr.csv\""), "%s", buf);
    remove(path);
    snprintf(path, sizeof path, "%s/power_breakdown.csv", dir);
    remove(path);
    remove(cfg);
    rmdir(dir);
    ls_config_destroy(c);
    ls_com_config_destroy(cc);
}

/* sweep --metric com: per point the COM of ls_com_preset on the point's configuration; thinner wire, lower COM */
Test(com_use, sweep_metric_com, .timeout = LS_TIMEOUT(60))
{
    char dir[] = "/tmp/ls_com_sweep_XXXXXX", cmd[2048], out[8192], cfg[512], csv[512];
    cr_assert(mkdtemp(dir) != NULL);
    snprintf(cfg, sizeof cfg, "%s/kr1.csv", dir);
    snprintf(csv, sizeof csv, "%s/sw.csv", dir);
    snprintf(cmd, sizeof cmd, "sed 's/^z_p select,.*/z_p select,[1],,/' " CFG_DIR "802.3ck-kr.csv > %s", cfg);
    cr_assert(eq(int, system(cmd), 0));
    snprintf(cmd, sizeof cmd,
             "'%s' sweep copper --param cable.awg=26,30 -s link.length_m=2 -s link.rate_gbps=106.25 --metric com "
             "--com-config %s --threads 2 --csv %s 2>&1",
             LS_CLI_PATH, cfg, csv);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    const char *buf = ls_test_slurp(csv);
    cr_assert(buf != NULL);
    cr_assert(ls_has(buf, "point,cable.awg,com_db,erl_db,com_pass,com_config\n"), "%s", buf);
    double v[2];
    const char *p = strchr(buf, '\n') + 1;
    for (int i = 0; i < 2; i++) {
        int pt, awg;
        cr_assert(eq(int, sscanf(p, "%d,%d,%lf", &pt, &awg, &v[i]), 3), "%s", p);
        p = strchr(p, '\n') + 1;
    }
    ls_com_config *cc = com_cfg("802.3ck-kr", "[1]");
    ls_config *c = copper(2.0);
    char msg[512] = "";
    ls_com_result r;
    cr_assert(eq(int, ls_com_preset(cc, c, &r, msg, sizeof msg), LS_OK), "%s", msg);
    cr_expect(fabs(r.com_db - v[0]) < 1e-3, "sweep %.4f, direct %.4f dB", v[0], r.com_db);
    cr_expect(v[1] < v[0] - 0.5, "30 AWG %.3f dB, 26 AWG %.3f dB", v[1], v[0]);
    ls_config_destroy(c);
    ls_com_config_destroy(cc);
    /* the CLI's refusals: a preset without an analytic channel, --com-config without the COM target */
    snprintf(cmd, sizeof cmd, "'%s' reach flat --target com 2>&1", LS_CLI_PATH);
    cr_expect(eq(int, ls_test_run(cmd, out, sizeof out), 2), "%s", out);
    cr_expect(ls_has(out, "no analytic channel"), "%s", out);
    snprintf(cmd, sizeof cmd, "'%s' reach copper --com-config 802.3ck-kr 2>&1", LS_CLI_PATH);
    cr_expect(eq(int, ls_test_run(cmd, out, sizeof out), 2), "%s", out);
    snprintf(cmd, sizeof cmd, "'%s' com lpo 2>&1", LS_CLI_PATH);
    cr_expect(eq(int, ls_test_run(cmd, out, sizeof out), 2), "%s", out);
    remove(cfg);
    remove(csv);
    rmdir(dir);
}

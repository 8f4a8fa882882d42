/*
 * IEEE 802.3 COM (lanesim com, channels/copper/com*.c): CPU time of one configuration on one
 * channel, both (all) package cases and ERL, as ls_com_run does it (Touchstone read included).
 * Cases: ck_kr_gore (802.3ck KR, the reference channel), ck_c2c_gore, ck_cr_ca (CR on the cable
 * assembly), dj_kr_ca (PyChOpMarg 802.3dj KR with its Rx FFE on the cable assembly). Arguments:
 * --case NAME runs one case; --shared DIR (default LS_SHARED_DIR or ../shared); --config DIR.
 * One JSON line per case: cpu_s (thread CPU time), wall_s, com_db, erl_db, evaluations.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "lanesim/com.h"

#ifndef LS_BENCH_SHARED
#define LS_BENCH_SHARED "../shared"
#endif
#ifndef LS_BENCH_COMDIR
#define LS_BENCH_COMDIR "channels/copper/com"
#endif

typedef struct {
    const char *name, *config, *thru;
} bcase;

static const bcase CASES[] = {
    {"ck_kr_gore", "802.3ck-kr", "ieee3ck_gore_C2C_PCB_SYSVIA_12dB_thru.s4p"},
    {"ck_c2c_gore", "802.3ck-120f-c2c", "ieee3ck_gore_C2C_PCB_SYSVIA_12dB_thru.s4p"},
    {"ck_cr_ca", "802.3ck-cr-ca", "ieee3ck_mellitz_CA_19p75dB_thru.s4p"},
    {"dj_kr_ca", "802.3dj-kr-pychopmarg", "ieee3ck_mellitz_CA_19p75dB_thru.s4p"},
};

static int run_case(const bcase *b, const char *shared, const char *cdir)
{
    char cfg[2048], thru[2048], msg[512] = "";
    snprintf(cfg, sizeof cfg, "%s/%s.csv", cdir, b->config);
    snprintf(thru, sizeof thru, "%s/channels/%s", shared, b->thru);
    if (access(thru, R_OK) || access(cfg, R_OK)) {
        fprintf(stderr, "bench_com: %s: %s or %s not readable (skipped)\n", b->name, thru, cfg);
        return 0;
    }
    ls_status st;
    ls_com_config *c = ls_com_config_read(cfg, msg, sizeof msg, &st);
    if (!c) { fprintf(stderr, "bench_com: %s\n", msg); return 1; }
    static ls_com_result r;
    double w0 = bench_now_s(), c0 = bench_cpu_s();
    st = ls_com_run(c, thru, NULL, 0, NULL, 0, &r, msg, sizeof msg);
    double cpu = bench_cpu_s() - c0, wall = bench_now_s() - w0;
    ls_com_config_destroy(c);
    if (st) { fprintf(stderr, "bench_com: %s: %s\n", b->name, msg); return 1; }
    size_t ev = 0;
    for (size_t k = 0; k < r.n_cases; k++) ev += r.cases[k].evaluations;
    printf("{\"bench\":\"com\",\"case\":\"%s\",\"config\":\"%s\",\"thru\":\"%s\",\"cases\":%zu,\"cpu_s\":%.4f,"
           "\"wall_s\":%.4f,\"com_db\":%.4f,\"erl_db\":%.4f,\"evaluations\":%zu,",
           b->name, b->config, b->thru, r.n_cases, cpu, wall, r.com_db, isfinite(r.erl_db) ? r.erl_db : -1.0, ev);
    bench_json_tail();
    return 0;
}

int main(int argc, char **argv)
{
    const char *only = NULL, *shared = LS_BENCH_SHARED, *cdir = LS_BENCH_COMDIR;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--case") && i + 1 < argc) only = argv[++i];
        else if (!strcmp(argv[i], "--shared") && i + 1 < argc) shared = argv[++i];
        else if (!strcmp(argv[i], "--config") && i + 1 < argc) cdir = argv[++i];
        else { fprintf(stderr, "usage: bench_com [--case NAME] [--shared DIR] [--config DIR]\n"); return 2; }
    }
    int rc = 0, found = 0;
    for (size_t k = 0; k < sizeof CASES / sizeof CASES[0]; k++) {
        if (only && strcmp(only, CASES[k].name)) continue;
        found = 1;
        rc |= run_case(&CASES[k], shared, cdir);
    }
    if (!found) { fprintf(stderr, "bench_com: unknown case '%s'\n", only); return 2; }
    return rc;
}

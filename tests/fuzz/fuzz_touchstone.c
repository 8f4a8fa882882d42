/*
 * Fuzz target: the Touchstone reader, the port map, mixed mode and loss, passivity, and the
 * channel block ("touchstone") evaluated at a few frequencies.
 *
 * Input: byte 0 chooses the file name and the map, the rest is the file.
 *   bits 0-2: the extension (.s2p .s4p .s2p .s4p .s1p .s3p .s6p .S4P; a v2 file ignores it)
 *   bits 3-4: the block's map: 0 auto (NULL), 1 the detected map given explicitly, 2 a
 *             single-ended map from the first to the last port, 3 the detected map with its
 *             input and output pairs swapped (the reverse channel)
 *   bit 5:    the block's fs_hint_hz: 0 or 256 GHz
 *   bits 6-7: the ports of an arbitrary map handed to ls_touchstone_check_map (mostly invalid)
 * Inputs over 64 KB are skipped (the reader is linear in the size; the corpus files are < 1 KB).
 *
 * Findings: a sanitizer report, a crash, or an abort from a broken contract of
 * include/lanesim/touchstone.h: a failure without a one-line message, frequencies not finite
 * and strictly increasing, a non-finite S, z0 or loss inside the band, a detected map that
 * check_map refuses, a block whose response is not finite or whose span/pre leave their bounds.
 */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_util.h"
#include "lanesim/touchstone.h"

#define FZ_MAX_INPUT 65536
/* The block's analysis FFT has N = 2^ceil(log2(4 fmax / df + 2)) points, df the smallest file step
   (at most 15.625 MHz, at least 1 MHz and 2 fmax / 2^20): up to 2^21. Over 2^20 points a run takes
   about a second under the sanitizers, which would slow the fuzzer down: such files are read and
   checked but not made into a block (docs/robustness.md). */
#define MAX_FFT ((size_t)1 << 20)

static void fail_at(const char *what, const char *path)
{
    char line[256];
    snprintf(line, sizeof line, "%s (%s)", what, path);
    fz_fail(line);
}

static size_t fft_points(const double *f, size_t K)
{
    double df = 15.625e6, top = f[K - 1];
    for (size_t k = 1; k < K; k++)
        df = fmin(df, f[k] - f[k - 1]);
    df = fmax(df, 1e6);
    df = fmax(df, 2.0 * top / (double)((size_t)1 << 20));
    double n = ceil(4.0 * top / df) + 2.0;
    return n > 1e12 ? (size_t)-1 : (size_t)n;
}

static void check_data(const ls_touchstone *t, const char *path)
{
    unsigned N = ls_touchstone_ports(t);
    size_t K = ls_touchstone_points(t);
    const double *f = ls_touchstone_freq_hz(t);
    if (N < 1 || N > LS_TOUCHSTONE_MAX_PORTS || K < 1 || !f)
        fail_at("port or point count out of range", path);
    for (size_t k = 0; k < K; k++)
        if (!isfinite(f[k]) || f[k] < 0 || (k && !(f[k] > f[k - 1])))
            fail_at("frequencies not finite, >= 0 and strictly increasing", path);
    for (unsigned i = 0; i < N; i++)
        if (!isfinite(ls_touchstone_z0(t, i)))
            fail_at("non-finite reference impedance", path);
    for (size_t k = 0; k < K; k++)
        for (unsigned i = 0; i < N; i++)
            for (unsigned j = 0; j < N; j++) {
                double complex s = ls_touchstone_s(t, k, i, j);
                if (!isfinite(creal(s)) || !isfinite(cimag(s)))
                    fail_at("a non-finite S parameter accepted", path);
            }
    if (!isnan(creal(ls_touchstone_s(t, K, 0, 0))) || !isnan(creal(ls_touchstone_s(t, 0, N, 0))))
        fail_at("an out-of-range S index is not NaN", path);
    if (strcmp(ls_touchstone_path(t), path))
        fail_at("ls_touchstone_path differs from the path read", path);
}

/* Map, mixed mode, loss; returns the detected map's status. */
static ls_status check_map(const ls_touchstone *t, const char *path, unsigned sel, ls_port_map *m)
{
    unsigned N = ls_touchstone_ports(t);
    size_t K = ls_touchstone_points(t);
    const double *f = ls_touchstone_freq_hz(t);
    ls_status st = ls_touchstone_detect_map(t, m);
    if ((N == 1) != (st != LS_OK))
        fail_at("detect_map: LS_EINVAL exactly when N = 1", path);
    /* an arbitrary map: must be refused or be valid */
    ls_port_map any = { sel % (N + 1), (sel + 1) % (N + 2), (sel * 3) % (N + 1), LS_PORT_NONE };
    if (sel & 2)
        any.out_n = (sel + 2) % (N + 1);
    if (ls_touchstone_check_map(t, &any) == LS_OK) {
        double complex a, b, c;
        if (ls_touchstone_mixed(t, &any, 0, &a, &b, &c) != LS_OK)
            fail_at("mixed refuses a map that check_map accepts", path);
    }
    if (st != LS_OK)
        return st;
    if (ls_touchstone_check_map(t, m) != LS_OK)
        fail_at("check_map refuses the detected map", path);
    size_t ks[3] = { 0, K / 2, K - 1 };
    for (int i = 0; i < 3; i++) {
        double complex sdd21, sdd11, scd21;
        if (ls_touchstone_mixed(t, m, ks[i], &sdd21, &sdd11, &scd21) != LS_OK)
            fail_at("mixed fails on the detected map", path);
        if (!isfinite(creal(sdd21)) || !isfinite(cimag(sdd21)) || !isfinite(creal(scd21)))
            fail_at("mixed: non-finite SDD21/SCD21", path);
    }
    if (ls_touchstone_mixed(t, m, K, NULL, NULL, NULL) == LS_OK)
        fail_at("mixed accepts k = K", path);
    double fq[6] = { 0.0, f[0], 0.5 * (f[0] + f[K - 1]), f[K - 1], f[K - 1] * 1.5 + 1.0, -1.0 };
    for (int i = 0; i < 6; i++) {
        double il = 0, rl = 0;
        ls_status s = ls_touchstone_loss_db(t, m, fq[i], &il, &rl);
        if (fq[i] < 0) {
            if (s == LS_OK)
                fail_at("loss_db accepts a negative frequency", path);
            continue;
        }
        if (s != LS_OK)
            fail_at("loss_db fails on the detected map", path);
        if (fq[i] <= f[K - 1] && (isnan(il) || isnan(rl)))
            fail_at("loss_db: NaN inside the band", path);
        if (fq[i] > f[K - 1] && !isnan(il))
            fail_at("loss_db: a value above fmax", path);
    }
    return st;
}

static void check_block(const ls_touchstone *t, const char *path, const ls_port_map *dm, unsigned bits)
{
    unsigned N = ls_touchstone_ports(t);
    size_t K = ls_touchstone_points(t);
    const double *f = ls_touchstone_freq_hz(t);
    if (fft_points(f, K) > MAX_FFT)
        return;
    ls_port_map m, *mp = NULL;
    switch ((bits >> 3) & 3) {
    case 1: m = *dm; mp = &m; break;
    case 2: m = (ls_port_map){ 0, LS_PORT_NONE, N - 1, LS_PORT_NONE }; mp = &m; break;
    case 3: m = (ls_port_map){ dm->out_p, dm->out_n, dm->in_p, dm->in_n }; mp = &m; break;
    default: break;
    }
    char msg[512] = "";
    ls_block b = { 0 };
    ls_status st = ls_sparam_from_touchstone(t, mp, (bits & 32) ? 256e9 : 0.0, &b, msg, sizeof msg);
    if (st != LS_OK) {
        fz_check_failure("ls_sparam_from_touchstone", st, msg, sizeof msg);
        if (b.ops || b.self)
            fail_at("ls_sparam_from_touchstone failed without clearing *out", path);
        return;
    }
    if (!b.ops || !b.ops->response)
        fail_at("the block has no response", path);
    double top = ls_sparam_fmax_hz(&b), tau = ls_sparam_delay_s(&b);
    if (!isfinite(top) || !isfinite(tau))
        fail_at("non-finite fmax or bulk delay", path);
    double fh[10] = { 0.0, 1e6, 1e9, f[0], 0.5 * top, top, 1.5 * top, 2.0 * top, 3.0 * top + 1e9, -1e9 };
    double complex h[10];
    if (b.ops->response(b.self, fh, h, 10) != LS_OK)
        fail_at("the block's response fails", path);
    for (int i = 0; i < 10; i++)
        if (!isfinite(creal(h[i])) || !isfinite(cimag(h[i])))
            fail_at("the block's response is not finite", path);
    if (b.ops->span_s) {
        double span = b.ops->span_s(b.self);
        if (!(span > 0 && span <= 20e-9 * (1 + 1e-9)))
            fail_at("span_s outside (0, 20 ns]", path);
    }
    if (b.ops->pre_s) {
        double pre = b.ops->pre_s(b.self);
        if (!(pre >= 20e-12 * (1 - 1e-9) && pre <= 2e-9 * (1 + 1e-9)))
            fail_at("pre_s outside [20 ps, 2 ns]", path);
    }
    const char *w[8];
    size_t nw = ls_sparam_warnings(&b, w, 8);
    for (size_t i = 0; i < nw && i < 8; i++)
        if (!w[i] || !w[i][0])
            fail_at("an empty warning", path);
    ls_block_destroy(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static const char *const ext[8] = { "s2p", "s4p", "s2p", "s4p", "s1p", "s3p", "s6p", "S4P" };
    if (n < 1 || n > FZ_MAX_INPUT)
        return 0;
    char name[16];
    snprintf(name, sizeof name, "in.%s", ext[d[0] & 7]);
    const char *p = fz_write(name, d + 1, n - 1);
    char path[640];
    snprintf(path, sizeof path, "%s", p);
    char msg[512];
    memset(msg, 'x', sizeof msg); /* a failure must write its message */
    ls_status err = LS_OK;
    ls_touchstone *t = ls_touchstone_read(path, msg, sizeof msg, &err);
    if (!t) {
        fz_check_failure("ls_touchstone_read", err, msg, sizeof msg);
        if (strncmp(msg, path, strlen(path)) && strlen(msg) + 1 < sizeof msg)
            fail_at("the reader's message does not start with the file name", path);
        return 0;
    }
    check_data(t, path);
    ls_port_map m;
    if (check_map(t, path, d[0] >> 6, &m) == LS_OK) {
        double sigma = 0, fs = 0;
        size_t over = 0;
        if (ls_touchstone_passivity(t, &sigma, &fs, &over) != LS_OK || isnan(sigma) || sigma < 0)
            fail_at("passivity: failure, or a NaN or negative singular value", path);
        check_block(t, path, &m, d[0]);
    }
    ls_touchstone_destroy(t);
    return 0;
}

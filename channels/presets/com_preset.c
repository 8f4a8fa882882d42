/*
 * IEEE 802.3 COM of a preset's analytic channel (docs/com.md, "COM of a preset").
 *
 * The channel handed to COM is the preset's board and cable part only, the cascade of
 * lsi_cable_cascade (host PCB, connector, paddle card, twinax of link.length_m, and the mirror image)
 * WITHOUT the preset's packages: COM adds its own package test cases (93A-4..15) to whatever channel
 * it is given. When the configuration asks for its own host boards (Include PCB = 1, the cable
 * assembly configurations), the preset's host PCB traces (host.pcb_mm) are left out as well, so
 * nothing is counted twice.
 *
 * The S-parameters are the cascade's ABCD product between 100 ohm terminations
 * (ls_cascade_sparams): S21 and S11 of the cascade, S12 and S22 as S21 and S11 of the reversed
 * cascade (exact for any cascade of reciprocal two-ports; equal to S21, S11 for the symmetric
 * channel the presets build). The grid: Delta_f of the configuration (at most 10 MHz) from Delta_f
 * to the first point at or above f_b, the data range the reference asks for (it warns below f_b);
 * with crosstalk files, their own grid (COM needs one grid for all channels).
 *
 * Crosstalk (xtalk.*): each Touchstone aggressor's SDD21/SDD11/SDD12/SDD22 (ports from xtalk.ports,
 * else detected); each analytic aggressor (xtalk.fext_db / xtalk.next_db, times its count) as a
 * matched two-port (S11 = S22 = 0) with S21 = S12 = the coupling of the link's own model
 * (phy/xtalk_path.c): FEXT g (j f/f_n) H(f) / |H(f_n)| with H the channel above, NEXT
 * g (j f/f_n)^(3/4), g = 10^(-dB/20), f_n half the link's symbol rate. Their amplitudes are COM's
 * (A_fe, A_ne), not xtalk.*_vpp.
 */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanesim/channel.h"
#include "lanesim/pam.h"
#include "lanesim/touchstone.h"
#include "ls_presets.h"

void ls_com_preset_channels_free(ls_com_preset_channels *pc)
{
    if (!pc)
        return;
    free(pc->f_hz);
    free(pc->data);
    pc->f_hz = NULL;
    pc->data = NULL;
    pc->n_ch = 0;
}

/* channel i's four arrays inside pc->data */
static void bind(ls_com_preset_channels *pc, size_t i, size_t n, int type, const char *name)
{
    double complex *d = pc->data + 4 * n * i;
    snprintf(pc->name[i], sizeof pc->name[i], "%s", name);
    pc->ch[i] = (ls_com_sdd){ .name = pc->name[i], .type = type, .n = n, .f_hz = pc->f_hz,
                              .s11 = d, .s12 = d + n, .s21 = d + 2 * n, .s22 = d + 3 * n };
}

/* the mutable arrays of channel i: s11, s12, s21, s22 */
static double complex *arr(ls_com_preset_channels *pc, size_t i, int which)
{
    return pc->data + 4 * pc->ch[0].n * i + (size_t)which * pc->ch[0].n;
}

/* Splits a comma-separated file list (a copy in buf) into names[]. */
static size_t split(const char *list, char *buf, size_t bcap, char **names, size_t cap)
{
    size_t n = 0;
    snprintf(buf, bcap, "%s", list ? list : "");
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t && n < cap; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ' || *t == '\t')
            t++;
        size_t l = strlen(t);
        while (l && (t[l - 1] == ' ' || t[l - 1] == '\t'))
            t[--l] = '\0';
        if (l)
            names[n++] = t;
    }
    return n;
}

/* The configuration with the parts COM models itself removed: packages, and host boards when asked. */
static ls_config *board_only(const ls_com_config *cc, const ls_config *c, int *dropped, char *msg, size_t cap)
{
    ls_config *cl = ls_config_copy(c);
    double inc = 0;
    *dropped = 0;
    if (!cl) {
        lsi_say(msg, cap, "out of memory");
        return NULL;
    }
    if (ls_config_find(cl, "package.enable") && ls_config_set(cl, "package.enable", "false", msg, cap) != LS_OK) {
        ls_config_destroy(cl);
        return NULL;
    }
    if (ls_com_config_get(cc, "Include PCB", &inc) == LS_OK && inc != 0 && ls_config_find(cl, "host.pcb_mm")) {
        *dropped = ls_config_real(cl, "host.pcb_mm") > 0;
        if (ls_config_set(cl, "host.pcb_mm", "0", msg, cap) != LS_OK) {
            ls_config_destroy(cl);
            return NULL;
        }
    }
    return cl;
}

/* One Touchstone aggressor onto channel i (its grid must be pc's). */
static ls_status file_aggressor(const ls_config *c, const char *path, int type, ls_com_preset_channels *pc, size_t i,
                                char *msg, size_t cap)
{
    ls_status st = LS_OK;
    ls_touchstone *t = ls_touchstone_read(path, msg, cap, &st);
    if (!t)
        return st;
    const size_t n = pc->ch[0].n;
    ls_port_map m;
    double ports[4];
    const size_t np = ls_config_find(c, "xtalk.ports") ? ls_config_list(c, "xtalk.ports", ports, 4) : 0;
    if (np == 4)
        m = (ls_port_map){ (unsigned)ports[0] - 1, (unsigned)ports[1] - 1, (unsigned)ports[2] - 1, (unsigned)ports[3] - 1 };
    if (ls_touchstone_ports(t) != 4 || (np == 4 ? ls_touchstone_check_map(t, &m) : ls_touchstone_detect_map(t, &m))) {
        lsi_say(msg, cap, "%s: COM needs a 4-port (differential) aggressor with a valid port map (xtalk.ports)", path);
        st = LS_EINVAL;
    } else if (ls_touchstone_points(t) != n ||
               memcmp(ls_touchstone_freq_hz(t), pc->f_hz, n * sizeof *pc->f_hz)) {
        lsi_say(msg, cap, "%s: frequency grid differs from the first crosstalk file's (COM needs one grid)", path);
        st = LS_EINVAL;
    }
    const ls_port_map r = { m.out_p, m.out_n, m.in_p, m.in_n };
    bind(pc, i, n, type, path);
    for (size_t k = 0; k < n && !st; k++) {
        st = ls_touchstone_mixed(t, &m, k, &arr(pc, i, 2)[k], &arr(pc, i, 0)[k], NULL);
        if (!st)
            st = ls_touchstone_mixed(t, &r, k, &arr(pc, i, 1)[k], &arr(pc, i, 3)[k], NULL);
    }
    ls_touchstone_destroy(t);
    return st;
}

/* The grid: the first crosstalk file's, or Delta_f (<= 10 MHz) .. >= f_b. */
static ls_status grid(const ls_com_config *cc, const char *first_file, ls_com_preset_channels *pc, size_t *n, char *msg,
                      size_t cap)
{
    if (first_file) {
        ls_status st = LS_OK;
        ls_touchstone *t = ls_touchstone_read(first_file, msg, cap, &st);
        if (!t)
            return st;
        *n = ls_touchstone_points(t);
        pc->f_hz = *n >= 2 ? malloc(*n * sizeof *pc->f_hz) : NULL;
        if (pc->f_hz)
            memcpy(pc->f_hz, ls_touchstone_freq_hz(t), *n * sizeof *pc->f_hz);
        ls_touchstone_destroy(t);
        if (!pc->f_hz)
            lsi_say(msg, cap, "%s: too few points or out of memory", first_file);
        return pc->f_hz ? LS_OK : LS_ENOMEM;
    }
    double fb = 0, df = 0.01;
    if (ls_com_config_get(cc, "f_b", &fb) != LS_OK || !(fb > 0) || !(fb < 1e3)) {
        lsi_say(msg, cap, "COM configuration %s: no usable f_b", ls_com_config_name(cc));
        return LS_EINVAL;
    }
    if (ls_com_config_get(cc, "Delta_f", &df) != LS_OK || !(df > 0) || df > 0.01)
        df = 0.01;
    *n = (size_t)ceil(fb / df - 1e-9);
    pc->f_hz = malloc(*n * sizeof *pc->f_hz);
    if (!pc->f_hz)
        return LS_ENOMEM;
    for (size_t k = 0; k < *n; k++)
        pc->f_hz[k] = (double)(k + 1) * df * 1e9;
    return LS_OK;
}

/* The analytic aggressors of type (1 FEXT, 2 NEXT) from index *i on. */
static void analytic(const ls_config *c, int type, double fn, ls_com_preset_channels *pc, size_t *i)
{
    const char *db = type == 1 ? "xtalk.fext_db" : "xtalk.next_db", *cnt = type == 1 ? "xtalk.fext_count" : "xtalk.next_count";
    if (!ls_config_find(c, db) || !(ls_config_real(c, db) > 0))
        return;
    const size_t n = pc->ch[0].n;
    const double g = pow(10.0, -ls_config_real(c, db) / 20.0);
    /* |H(f_n)| of the THRU, interpolated on the grid */
    size_t k = 0;
    while (k + 1 < n && pc->f_hz[k + 1] < fn)
        k++;
    const double w = k + 1 < n ? (fn - pc->f_hz[k]) / (pc->f_hz[k + 1] - pc->f_hz[k]) : 0;
    const double hn = (1 - w) * cabs(pc->ch[0].s21[k]) + w * cabs(pc->ch[0].s21[k + 1 < n ? k + 1 : k]);
    for (long a = 0; a < ls_config_int(c, cnt) && *i < LS_COM_PRESET_MAX_CH; a++, (*i)++) {
        char name[64];
        snprintf(name, sizeof name, "%s aggressor %ld", type == 1 ? "analytic FEXT" : "analytic NEXT", a + 1);
        bind(pc, *i, n, type, name);
        for (size_t j = 0; j < n; j++) {
            const double x = pc->f_hz[j] / fn;
            double complex h = type == 1 ? g * I * x * pc->ch[0].s21[j] / hn : g * pow(x, 0.75) * cexp(I * 0.375 * M_PI);
            arr(pc, *i, 0)[j] = arr(pc, *i, 3)[j] = 0;
            arr(pc, *i, 1)[j] = arr(pc, *i, 2)[j] = h;
        }
    }
}

static ls_status thru(const ls_config *cl, ls_com_preset_channels *pc, size_t n, char *msg, size_t cap)
{
    ls_cascade_config cas, rev;
    ls_status st = lsi_cable_cascade(cl, &cas, msg, cap);
    if (st != LS_OK)
        return st;
    rev = cas;
    for (size_t k = 0; k < cas.n_seg; k++)
        rev.seg[k] = cas.seg[cas.n_seg - 1 - k];
    rev.z_src_ohm = cas.z_load_ohm;
    rev.z_load_ohm = cas.z_src_ohm;
    bind(pc, 0, n, 0, ls_config_preset(cl));
    if ((st = ls_cascade_sparams(&cas, pc->f_hz, n, arr(pc, 0, 2), arr(pc, 0, 0))) != LS_OK ||
        (st = ls_cascade_sparams(&rev, pc->f_hz, n, arr(pc, 0, 1), arr(pc, 0, 3))) != LS_OK)
        lsi_say(msg, cap, "channel: invalid cascade (%s)", ls_strerror(st));
    return st;
}

ls_status ls_com_preset_channels_build(const ls_com_config *cc, const ls_config *c, ls_com_preset_channels *pc,
                                       char *msg, size_t cap)
{
    if (!cc || !c || !pc) {
        lsi_say(msg, cap, "invalid arguments");
        return LS_EINVAL;
    }
    memset(pc, 0, sizeof *pc);
    if (!ls_config_find(c, "channel.type") || strcmp(ls_config_str(c, "channel.type"), "cable")) {
        lsi_say(msg, cap, "preset %s has no analytic channel (channel.type = cable)%s", ls_config_preset(c),
                ls_config_find(c, "channel.type") ? ": for channel.type = touchstone give the file to 'lanesim com'" : "");
        return LS_EINVAL;
    }
    char fb[2][4096], *files[2][LS_COM_PRESET_MAX_CH];
    size_t nfile[2] = { 0, 0 };
    for (int k = 0; k < 2; k++) {
        const char *key = k ? "xtalk.next" : "xtalk.fext";
        if (ls_config_find(c, key))
            nfile[k] = split(ls_config_str(c, key), fb[k], sizeof fb[k], files[k], LS_COM_PRESET_MAX_CH);
    }
    size_t n_ana = 0;
    for (int k = 0; k < 2; k++) {
        const char *db = k ? "xtalk.next_db" : "xtalk.fext_db", *cnt = k ? "xtalk.next_count" : "xtalk.fext_count";
        if (ls_config_find(c, db) && ls_config_real(c, db) > 0)
            n_ana += (size_t)ls_config_int(c, cnt);
    }
    if (1 + nfile[0] + nfile[1] + n_ana > LS_COM_PRESET_MAX_CH) {
        lsi_say(msg, cap, "xtalk: %zu aggressors, at most %d", nfile[0] + nfile[1] + n_ana, LS_COM_PRESET_MAX_CH - 1);
        return LS_EINVAL;
    }
    int dropped;
    ls_config *cl = board_only(cc, c, &dropped, msg, cap);
    if (!cl)
        return LS_EINVAL;
    pc->host_pcb_dropped = dropped;
    size_t n = 0, i = 1;
    const char *first = nfile[0] ? files[0][0] : nfile[1] ? files[1][0] : NULL;
    ls_status st = grid(cc, first, pc, &n, msg, cap);
    if (st == LS_OK && !(pc->data = calloc(4 * n * LS_COM_PRESET_MAX_CH, sizeof *pc->data)))
        st = LS_ENOMEM;
    if (st == LS_OK)
        st = thru(cl, pc, n, msg, cap);
    for (int k = 0; k < 2 && st == LS_OK; k++)
        for (size_t j = 0; j < nfile[k] && st == LS_OK; j++, i++)
            st = file_aggressor(c, files[k][j], k + 1, pc, i, msg, cap);
    if (st == LS_OK) {
        const int bits = ls_pam_bits(!strcmp(ls_config_str(c, "link.modulation"), "pam2") ? 2
                                     : !strcmp(ls_config_str(c, "link.modulation"), "pam8") ? 8 : 4);
        const double fn = 0.5 * ls_config_real(c, "link.rate_gbps") * 1e9 / bits;
        analytic(c, 1, fn, pc, &i);
        analytic(c, 2, fn, pc, &i);
    }
    pc->n_ch = i;
    ls_config_destroy(cl);
    if (st != LS_OK)
        ls_com_preset_channels_free(pc);
    return st;
}

ls_status ls_com_preset(const ls_com_config *cc, const ls_config *c, ls_com_result *res, char *msg, size_t cap)
{
    return ls_com_preset_pulses(cc, c, res, NULL, msg, cap);
}

ls_status ls_com_preset_pulses(const ls_com_config *cc, const ls_config *c, ls_com_result *res, ls_com_pulses *pulses,
                               char *msg, size_t cap)
{
    if (pulses)
        memset(pulses, 0, sizeof *pulses);
    ls_com_preset_channels pc;
    ls_status st = ls_com_preset_channels_build(cc, c, &pc, msg, cap);
    if (st != LS_OK)
        return st;
    st = ls_com_run_sdd_pulses(cc, pc.ch, pc.n_ch, res, pulses, msg, cap);
    if (st == LS_OK && pc.host_pcb_dropped && res->n_warnings < LS_COM_MAX_WARN)
        snprintf(res->warnings[res->n_warnings++], sizeof res->warnings[0],
                 "%s: Include PCB = 1 adds COM's host boards, so the preset's host.pcb_mm traces are left out",
                 ls_com_config_name(cc));
    ls_com_preset_channels_free(&pc);
    return st;
}

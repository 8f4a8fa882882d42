/**
 * @file com.c
 * COM and ERL of a channel (IEEE 802.3 Annex 93A; docs/com.md): the Touchstone files are read and
 * converted to differential mode with the configuration's port order; per package test case the
 * packages are cascaded (93A-4..15), the terminations and the transmitter edge applied (93A-18,
 * 93A-46) with the receiver filter (93A-20), the impulse responses formed, the equalizer searched
 * (93A.1.6), the interference and noise distributions combined (93A.1.7, 93A-37..45) and
 * COM = 20 log10(A_s / A_ni) (93A-1) computed; the reported COM is the worst case. ERL per 93A.5.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "com_internal.h"
#include "lanesim/touchstone.h"

typedef struct {
    ls_touchstone *t;            /* NULL: a channel given in memory (ls_com_run_sdd) */
    int type;
    const double *f;             /* the frequency grid (Hz): the file's, or fbuf */
    size_t nf;
    double *fbuf;
    double complex *s11, *s12, *s21, *s22;
} sfile;

static ls_status read_sfile(const lsi_com_param *p, const char *path, int type, sfile *s, char *msg, size_t cap)
{
    ls_status st = LS_OK;
    memset(s, 0, sizeof *s);
    s->type = type;
    s->t = ls_touchstone_read(path, msg, cap, &st);
    if (!s->t) return st;
    if (ls_touchstone_ports(s->t) != 4) {
        if (msg) snprintf(msg, cap, "%s: COM needs a 4-port (differential) file, this one has %u ports", path, ls_touchstone_ports(s->t));
        return LS_EINVAL;
    }
    size_t n = ls_touchstone_points(s->t);
    s->f = ls_touchstone_freq_hz(s->t);
    s->nf = n;
    s->s11 = malloc(n * sizeof(double complex)); s->s12 = malloc(n * sizeof(double complex));
    s->s21 = malloc(n * sizeof(double complex)); s->s22 = malloc(n * sizeof(double complex));
    if (!s->s11 || !s->s12 || !s->s21 || !s->s22) return LS_ENOMEM;
    unsigned tp = (unsigned)p->port_order[0] - 1, tn = (unsigned)p->port_order[1] - 1;
    unsigned rp = (unsigned)p->port_order[2] - 1, rn = (unsigned)p->port_order[3] - 1;
#define S_(i, j) ls_touchstone_s(s->t, k, i, j)
    for (size_t k = 0; k < n; k++) {
        s->s11[k] = (S_(tp, tp) - S_(tp, tn) - S_(tn, tp) + S_(tn, tn)) / 2;
        s->s22[k] = (S_(rp, rp) - S_(rp, rn) - S_(rn, rp) + S_(rn, rn)) / 2;
        s->s21[k] = (S_(rp, tp) - S_(rp, tn) - S_(rn, tp) + S_(rn, tn)) / 2;
        s->s12[k] = (S_(tp, rp) - S_(tp, rn) - S_(tn, rp) + S_(tn, rn)) / 2;
    }
#undef S_
    return LS_OK;
}

static void free_sfile(sfile *s)
{
    ls_touchstone_destroy(s->t);
    free(s->fbuf);
    free(s->s11); free(s->s12); free(s->s21); free(s->s22);
}

/* channel + packages + terminations + H_t + H_r on the file grid (93A-18, 93A-46, 93A-20) */
static void channel_h(const lsi_com_param *p, const sfile *s, int cs, const double *f, size_t nf, double complex *h)
{
    const double *ltx = s->type == 0 ? p->zp_tx[cs] : s->type == 1 ? p->zp_fext[cs] : p->zp_next[cs];
    double gt = (p->rd[0] - p->r0) / (p->rd[0] + p->r0), gr = (p->rd[1] - p->r0) / (p->rd[1] + p->r0);
    for (size_t k = 0; k < nf; k++) {
        lsi_s2 ch = {s->s11[k], s->s12[k], s->s21[k], s->s22[k]};
        lsi_s2 tx = lsi_com_package(p, 0, ltx, f[k]), rx = lsi_com_package(p, 1, p->zp_rx[cs], f[k]);
        lsi_s2 rxr = {rx.s22, rx.s21, rx.s12, rx.s11};
        if (p->include_pcb) {
            /* host boards between package and channel: device end (C_0) at the package */
            double lb = s->type == 0 ? p->zbp_tx : s->type == 1 ? p->zbp_fext : p->zbp_next;
            lsi_s2 bt = lsi_com_board(p, 0, lb, f[k]), br = lsi_com_board(p, 1, p->zbp_rx, f[k]);
            lsi_s2 brr = {br.s22, br.s21, br.s12, br.s11};
            ch = lsi_com_cascade(lsi_com_cascade(bt, ch), brr);
        }
        lsi_s2 a = lsi_com_cascade(lsi_com_cascade(tx, ch), rxr);
        double complex d = 1.0 - a.s11 * gt - a.s22 * gr - a.s21 * a.s12 * gt * gr + a.s11 * a.s22 * gt * gr;
        h[k] = lsi_com_ht(f[k], p->t_r) * a.s21 * (1 - gt) * (1 + gr) / d * lsi_com_hr(p, f[k]);
        /* PKG_Tx_FFE_preset: the case's fixed Tx FFE, taps one UI apart around c(0), on every
         * transmitter's path (victim and aggressors share the package model) */
        if (p->n_pkg_ffe) {
            double complex hf = 0;
            for (size_t t = 0; t < p->n_pkg_ffe; t++)
                hf += p->pkg_ffe[cs][t] * cexp(-I * 2 * M_PI * ((double)t - (double)p->pkg_ffe_cur) * f[k] / p->fb);
            h[k] *= hf;
        }
    }
}

/* noise and interference distribution and COM of one case (93A-37..45) */
static ls_status com_of_case(const lsi_com_param *p, const lsi_com_chan *ch, size_t n_ch, const lsi_com_eq *eq,
                             ls_com_case *r)
{
    double a_s = eq->a_s, bin = 0;
    lsi_pdf isi = {0}, noise = {0}, xt = {0};
    ls_status st = lsi_com_case_pdfs(p, ch, n_ch, eq, &bin, &isi, &noise, p->c2m ? &xt : NULL);
    /* 93A-43..45 and 93A-37: only the lower tail of ISI * noise up to DER_0 is computed */
    lsi_pdf_lazy tot;
    if (!st) st = lsi_pdf_lazy_init(&tot, &isi, &noise);
    if (!st) {
        r->a_s_v = a_s;
        r->a_ni_v = lsi_pdf_lazy_tail(&tot, p->der0);
        r->com_db = 20 * log10(a_s / r->a_ni_v);
        lsi_pdf_free(&tot.o);
    }
    r->eh_v = r->vec_db = NAN;
    if (!st && p->c2m) st = lsi_com_eye_of(p, eq, &noise, &xt, &r->eh_v, &r->vec_db);
    lsi_pdf_free(&isi); lsi_pdf_free(&noise); lsi_pdf_free(&xt);
    return st;
}

static void fill_case(const lsi_com_param *p, const lsi_com_eq *eq, int cidx, ls_com_case *r)
{
    r->package_case = cidx;
    r->fom_db = eq->fom_db;
    r->g_dc_db = p->gdc[eq->i_gdc];
    r->g_dc2_db = p->gdc2[eq->i_gdc2];
    r->n_tx_ffe = eq->n_tx;
    for (size_t k = 0; k < eq->n_tx && k < 9; k++) r->tx_ffe[k] = eq->txffe[k];
    r->n_rx_ffe = eq->n_rx < 32 ? eq->n_rx : 32;
    for (size_t k = 0; k < r->n_rx_ffe; k++) r->rx_ffe[k] = eq->rxffe[k];
    r->n_dfe = (size_t)eq->ndfe < LS_COM_MAX_TAPS ? (size_t)eq->ndfe : LS_COM_MAX_TAPS;
    for (size_t k = 0; k < r->n_dfe; k++) r->dfe[k] = eq->dfe[k];
    r->sigma_isi_v = eq->sigma_isi;
    r->sigma_n_v = eq->sigma_n;
    r->sigma_tx_v = eq->sigma_tx;
    r->sigma_j_v = eq->sigma_j;
    /* sigma_j is 93A-31's (A_DD^2 + sigma_RJ^2) sigma_X^2 ||h_J||^2 term; its sigma_RJ part is the reference report's */
    double jj = sqrt(p->a_dd * p->a_dd + p->sigma_rj * p->sigma_rj);
    r->sigma_rj_v = jj > 0 ? eq->sigma_j * p->sigma_rj / jj : 0;
    r->sigma_xt_v = eq->sigma_xt;
    r->evaluations = eq->evals;
    r->search_local = eq->search_local;
    r->fom_bound_db = p->dj_bound_check && p->n_rxpre + p->n_rxpost > 0 ? eq->bound_all : NAN;
}

static void file_checks(const lsi_com_param *p, const sfile *s, const char *path, ls_com_result *res)
{
    const double *f = s->f;
    size_t n = s->nf;
    double smax = 0;
    if (f[n - 1] < p->fb)
        lsi_com_warn(res, "%s: data end at %.4g GHz, below f_b = %.4g GHz (extrapolated)", path, f[n - 1] / 1e9, p->fb / 1e9);
    if (f[0] > p->f_min)
        lsi_com_warn(res, "%s: first frequency %.3g GHz is above f_min = %.3g GHz", path, f[0] / 1e9, p->f_min / 1e9);
    if (n > 1 && f[n - 1] - f[n - 2] > p->delta_f + 1)
        lsi_com_warn(res, "%s: frequency step %.3g GHz is coarser than Delta_f = %.3g GHz", path, (f[n - 1] - f[n - 2]) / 1e9, p->delta_f / 1e9);
    if (!s->t)
        return; /* a channel given in memory: no port order to check; its passivity is the caller's */
    /* the configuration's Port Order against the through paths at the lowest frequency */
    int po[4] = {p->port_order[0] - 1, p->port_order[1] - 1, p->port_order[2] - 1, p->port_order[3] - 1}, found[2];
    for (int a = 0; a < 2; a++) {
        double best = -1;
        found[a] = -1;
        for (int j = 0; j < 4; j++) {
            double m = cabs(ls_touchstone_s(s->t, 0, (unsigned)j, (unsigned)po[a]));
            if (j != po[0] && j != po[1] && m > best) { best = m; found[a] = j; }
        }
    }
    if (s->type == 0 && (found[0] != po[2] || found[1] != po[3]))
        lsi_com_warn(res, "%s: Port Order [%d %d %d %d] does not follow the through paths (at %.3g GHz %d->%d, %d->%d): "
                     "try -s 'Port Order=[%d %d %d %d]'", path, po[0] + 1, po[1] + 1, po[2] + 1, po[3] + 1, f[0] / 1e9,
                     po[0] + 1, found[0] + 1, po[1] + 1, found[1] + 1, po[0] + 1, po[1] + 1, found[0] + 1, found[1] + 1);
    if (ls_touchstone_passivity(s->t, &smax, NULL, NULL) == LS_OK && smax > 1 + LS_TOUCHSTONE_PASSIVITY_TOL)
        lsi_com_warn(res, "%s: not passive (largest singular value %.4f)", path, smax);
}

/* COM of every selected package case and ERL of the THRU sf[0] with its aggressors sf[1..n_ch) */
static ls_status run_sfiles(const lsi_com_param *p, const sfile *sf, lsi_com_chan *ch, size_t n_ch, ls_com_result *res,
                            ls_com_pulses *pulses, char *msg, size_t cap)
{
    const double *f = sf[0].f;
    size_t nf = sf[0].nf;
    ls_status st = LS_OK;
    res->com_threshold_db = p->com_threshold;
    res->erl_threshold_db = p->erl_threshold;
    if (p->erl && p->tdr) {
        lsi_com_param pe = *p; /* a copy (not freed): the gate's automatic times set in it */
        st = lsi_com_erl_gate(&pe, sf[0].s12, sf[0].s21, f, nf, msg, cap);
        for (int port = 0; port < 2 && !st; port++)
            st = lsi_com_erl(&pe, port ? sf[0].s22 : sf[0].s11, f, nf, port, &res->erl_port_db[port], &res->erl_tfx_s[port],
                             msg, cap);
        res->erl_db = fmin(res->erl_port_db[0], res->erl_port_db[1]);
        res->erl_n_ui = pe.n_erl;
    }
    res->com_db = INFINITY;
    for (size_t c = 0; c < p->n_sel && !st && !p->erl_only; c++) {
        int cs = p->case_sel[c] - 1;
        double dt = 1 / p->fb / p->M;
        double complex *h = malloc(nf * sizeof *h);
        for (size_t i = 0; i < n_ch && !st; i++) {
            free(ch[i].ir); free(ch[i].h);
            ch[i].ir = NULL;
            ch[i].h = malloc(nf * sizeof *ch[i].h);
            if (!ch[i].h || !h) { st = LS_ENOMEM; break; }
            channel_h(p, &sf[i], cs, f, nf, ch[i].h);
            st = lsi_com_impulse(ch[i].h, f, nf, dt, p->trunc_thr, &ch[i].ir, &ch[i].n_ir, msg, cap);
            double a = ch[i].type == 0 ? p->a_v : ch[i].type == 1 ? p->a_fe : p->a_ne;
            for (size_t k = 0; !st && k < ch[i].n_ir; k++) ch[i].ir[k] *= a;
        }
        free(h);
        lsi_com_eq eq = {0};
        if (!st) st = lsi_com_optimize(p, ch, n_ch, f, nf, &eq, msg, cap);
        ls_com_case *r = &res->cases[res->n_cases];
        if (!st && eq.failed) {
            /* no pulse-response sampling point (93A-25) at any CTLE x Tx FFE setting: the channel
             * cannot be equalized by the reference receiver, a failing COM of -inf dB */
            memset(r, 0, sizeof *r);
            r->package_case = cs + 1;
            r->com_db = r->fom_db = -INFINITY;
            r->a_ni_v = r->vec_db = r->eh_v = r->fom_bound_db = NAN;
            r->evaluations = eq.evals;
            lsi_com_warn(res, "package case %d: equalization failed (the equalized pulse never rises through 1 %% of its peak "
                         "in the 4 UI before it at any CTLE x Tx FFE setting: no sampling point, 93A-25); COM = -inf dB", cs + 1);
        } else {
            if (!st && p->dj_bound_check && p->n_rxpre + p->n_rxpost > 0 && eq.ub_violations)
                lsi_com_warn(res, "package case %d: %zu evaluated settings exceed their CTLE pair's FOM bound: the bound "
                             "is not valid here (a defect, please report)", cs + 1, eq.ub_violations);
            if (!st && eq.veo_relaxed)
                lsi_com_warn(res, "package case %d: no equalizer setting meets the C2M eye floor 2 (A_s - Q^-1(DER_0) sigma) > "
                             "Min_VEO_Test - 1 mV = %g mV; chosen by FOM without it", cs + 1, p->min_veo * 1e3 - 1);
            if (!st) fill_case(p, &eq, cs + 1, r);
            if (!st) st = com_of_case(p, ch, n_ch, &eq, r);
        }
        if (!st && pulses) {
            /* the equalized pulse is the case's (none when equalization failed) */
            size_t k = res->n_cases;
            pulses->n[k] = eq.failed ? 0 : eq.n_sbr;
            pulses->cursor[k] = eq.failed ? 0 : eq.cursor;
            if (pulses->n[k] && !(pulses->v[k] = malloc(eq.n_sbr * sizeof *pulses->v[k]))) st = LS_ENOMEM;
            if (!st && pulses->n[k]) memcpy(pulses->v[k], eq.sbr, eq.n_sbr * sizeof *eq.sbr);
            if (!st) pulses->n_cases = k + 1;
        }
        lsi_com_eq_free(&eq);
        if (!st) { res->com_db = fmin(res->com_db, r->com_db); res->n_cases++; }
    }
    if (!st) {
        res->pass = (p->erl_only || res->com_db >= p->com_threshold) && (isnan(res->erl_db) || res->erl_db >= p->erl_threshold);
        /* C2M (120G.3.1): every package case also needs VEC <= its threshold and EH >= EH_min */
        for (size_t c = 0; p->c2m && !p->erl_only && c < res->n_cases; c++)
            if (!(res->cases[c].vec_db <= p->vec_thr) || !(res->cases[c].eh_v >= p->eh_min)) res->pass = 0;
        if (p->erl_only) res->com_db = NAN;
    }
    return st;
}

void ls_com_pulses_free(ls_com_pulses *p)
{
    if (!p) return;
    for (size_t k = 0; k < LS_COM_MAX_CASES; k++) free(p->v[k]);
    memset(p, 0, sizeof *p);
}

/* zeroes *pulses before a run (NULL: not kept) */
static void pulses_start(ls_com_pulses *pulses, const lsi_com_param *p)
{
    if (!pulses) return;
    memset(pulses, 0, sizeof *pulses);
    pulses->dt_s = 1 / p->fb / p->M;
    pulses->samples_per_ui = p->M;
}

ls_status ls_com_run(const ls_com_config *cfg, const char *thru, const char *const *fext, size_t n_fext,
                     const char *const *next, size_t n_next, ls_com_result *res, char *msg, size_t cap)
{
    return ls_com_run_pulses(cfg, thru, fext, n_fext, next, n_next, res, NULL, msg, cap);
}

ls_status ls_com_run_pulses(const ls_com_config *cfg, const char *thru, const char *const *fext, size_t n_fext,
                            const char *const *next, size_t n_next, ls_com_result *res, ls_com_pulses *pulses,
                            char *msg, size_t cap)
{
    if (pulses) memset(pulses, 0, sizeof *pulses);
    if (!cfg || !thru || !res || (n_fext && !fext) || (n_next && !next) || n_fext + n_next > 64) {
        if (msg) snprintf(msg, cap, "ls_com_run: invalid argument");
        return LS_EINVAL;
    }
    memset(res, 0, sizeof *res);
    res->erl_db = res->erl_port_db[0] = res->erl_port_db[1] = res->erl_tfx_s[0] = res->erl_tfx_s[1] = res->erl_n_ui = NAN;
    lsi_com_param p;
    ls_status st = lsi_com_param_fill(cfg, &p, res, msg, cap);
    if (st) return st;
    p.c2m_search = lsi_com_c2m_search_hook;
    pulses_start(pulses, &p);
    size_t n_ch = 1 + n_fext + n_next;
    sfile *sf = calloc(n_ch, sizeof *sf);
    lsi_com_chan *ch = calloc(n_ch, sizeof *ch);
    if (!sf || !ch) { st = LS_ENOMEM; goto out; }
    for (size_t i = 0; i < n_ch && !st; i++) {
        const char *path = i == 0 ? thru : i <= n_fext ? fext[i - 1] : next[i - 1 - n_fext];
        st = read_sfile(&p, path, i == 0 ? 0 : i <= n_fext ? 1 : 2, &sf[i], msg, cap);
        if (!st) file_checks(&p, &sf[i], path, res);
        if (!st && i && ls_touchstone_points(sf[i].t) != ls_touchstone_points(sf[0].t)) {
            if (msg) snprintf(msg, cap, "%s: frequency grid differs from the THRU file's", path);
            st = LS_EINVAL;
        }
        ch[i].type = sf[i].type;
    }
    if (st) goto out;
    st = run_sfiles(&p, sf, ch, n_ch, res, pulses, msg, cap);
out:
    if (st) ls_com_pulses_free(pulses);
    for (size_t i = 0; sf && i < n_ch; i++) free_sfile(&sf[i]);
    for (size_t i = 0; ch && i < n_ch; i++) { free(ch[i].ir); free(ch[i].h); }
    free(sf); free(ch);
    lsi_com_param_free(&p);
    return st;
}

/* a copy of a channel given in memory */
static ls_status copy_sdd(const ls_com_sdd *c, sfile *s)
{
    memset(s, 0, sizeof *s);
    s->type = c->type;
    s->nf = c->n;
    const size_t nb = c->n * sizeof(double complex);
    s->fbuf = malloc(c->n * sizeof *s->fbuf);
    s->s11 = malloc(nb); s->s12 = malloc(nb); s->s21 = malloc(nb); s->s22 = malloc(nb);
    if (!s->fbuf || !s->s11 || !s->s12 || !s->s21 || !s->s22) return LS_ENOMEM;
    memcpy(s->fbuf, c->f_hz, c->n * sizeof *s->fbuf);
    memcpy(s->s11, c->s11, nb); memcpy(s->s12, c->s12, nb); memcpy(s->s21, c->s21, nb); memcpy(s->s22, c->s22, nb);
    s->f = s->fbuf;
    return LS_OK;
}

ls_status ls_com_run_sdd(const ls_com_config *cfg, const ls_com_sdd *chan, size_t n_ch, ls_com_result *res, char *msg,
                         size_t cap)
{
    return ls_com_run_sdd_pulses(cfg, chan, n_ch, res, NULL, msg, cap);
}

ls_status ls_com_run_sdd_pulses(const ls_com_config *cfg, const ls_com_sdd *chan, size_t n_ch, ls_com_result *res,
                                ls_com_pulses *pulses, char *msg, size_t cap)
{
    if (pulses) memset(pulses, 0, sizeof *pulses);
    if (!cfg || !chan || !res || !n_ch || n_ch > 65 || chan[0].type != 0) {
        if (msg) snprintf(msg, cap, "ls_com_run_sdd: invalid argument");
        return LS_EINVAL;
    }
    for (size_t i = 0; i < n_ch; i++) {
        const ls_com_sdd *c = &chan[i];
        int ok = c->n >= 2 && c->f_hz && c->s11 && c->s12 && c->s21 && c->s22 && c->type >= 0 && c->type <= 2 &&
                 (i == 0) == (c->type == 0) && c->n == chan[0].n;
        for (size_t k = 1; ok && k < c->n; k++) ok = c->f_hz[k] > c->f_hz[k - 1] && c->f_hz[k] == chan[0].f_hz[k];
        if (!ok) {
            if (msg) snprintf(msg, cap, "%s: invalid channel data (one THRU first; >= 2 increasing frequencies, the "
                              "same grid for every channel)", c->name ? c->name : "ls_com_run_sdd");
            return LS_EINVAL;
        }
    }
    memset(res, 0, sizeof *res);
    res->erl_db = res->erl_port_db[0] = res->erl_port_db[1] = res->erl_tfx_s[0] = res->erl_tfx_s[1] = res->erl_n_ui = NAN;
    lsi_com_param p;
    ls_status st = lsi_com_param_fill(cfg, &p, res, msg, cap);
    if (st) return st;
    p.c2m_search = lsi_com_c2m_search_hook;
    pulses_start(pulses, &p);
    sfile *sf = calloc(n_ch, sizeof *sf);
    lsi_com_chan *ch = calloc(n_ch, sizeof *ch);
    if (!sf || !ch) st = LS_ENOMEM;
    for (size_t i = 0; i < n_ch && !st; i++) {
        st = copy_sdd(&chan[i], &sf[i]);
        if (!st) file_checks(&p, &sf[i], chan[i].name ? chan[i].name : "channel", res);
        ch[i].type = sf[i].type;
    }
    if (!st) st = run_sfiles(&p, sf, ch, n_ch, res, pulses, msg, cap);
    if (st) ls_com_pulses_free(pulses);
    for (size_t i = 0; sf && i < n_ch; i++) free_sfile(&sf[i]);
    for (size_t i = 0; ch && i < n_ch; i++) { free(ch[i].ir); free(ch[i].h); }
    free(sf); free(ch);
    lsi_com_param_free(&p);
    return st;
}

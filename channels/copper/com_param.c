/**
 * @file com_param.c
 * From a COM configuration's keywords to the engine's parameters (lsi_com_param), with the
 * reference script's defaults and units (docs/com.md "Configurations"). Keywords that the engine
 * does not read are reported once as warnings; I/O-only keywords are accepted silently.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "com_internal.h"

/* keywords accepted without effect: I/O, plotting, calibration and report switches */
static const char *const IGNORED[] = {
    "DIAGNOSTICS", "DISPLAY_WINDOW", "CSV_REPORT", "RESULT_DIR", "SAVE_FIGURES", "RUNTAG", "COM_CONTRIBUTION",
    "BREAD_CRUMBS", "SAVE_CONFIG2MAT", "PLOT_CM", "Display frequency domain", "SAVE_FIGURE_to_CSV", "SAVE_TD",
    "RX_CALIBRATION", "Sigma BBN step", "EW", "INC_PACKAGE", "IDEAL_TX_TERM", "IDEAL_RX_TERM", "INCLUDE_CTLE",
    "INCLUDE_TX_RX_FILTER", "FORCE_TR", "f_v", "f_f", "f_n", "A_ft", "A_nt", "AC_CM_RMS", "f_min", "Delta_f",
    "TDR_Butterworth", "N_v", "D_p", "Z_t", "T_k", "MLSE", "PMD_type", NULL};

typedef struct {
    const ls_com_config *c;
    ls_com_result *res;
    char *msg;
    size_t cap;
    int bad;
} rd;

static lsi_com_kv *get(rd *r, const char *key)
{
    for (size_t k = 0; k < r->c->n; k++)
        if (!strcasecmp(r->c->kv[k].key, key)) {
            r->c->kv[k].used = 1;
            return &r->c->kv[k];
        }
    return NULL;
}

static lsi_com_kv *num(rd *r, const char *key)
{
    lsi_com_kv *kv = get(r, key);
    if (kv && kv->is_text) {
        if (!r->bad && r->msg) snprintf(r->msg, r->cap, "COM keyword '%s': malformed value '%s'", key, kv->text);
        r->bad = 1;
        return NULL;
    }
    return kv;
}

static double sc(rd *r, const char *key, double def)
{
    lsi_com_kv *kv = num(r, key);
    return kv ? kv->v[0] : def;
}

static double req(rd *r, const char *key)
{
    lsi_com_kv *kv = num(r, key);
    if (!kv && !r->bad) {
        if (r->msg) snprintf(r->msg, r->cap, "COM keyword '%s' is missing", key);
        r->bad = 1;
    }
    return kv ? kv->v[0] : NAN;
}

/* a [Tx Rx] pair (a scalar applies to both) */
static void pair(rd *r, const char *key, double *out, double scale, double def)
{
    lsi_com_kv *kv = num(r, key);
    out[0] = out[1] = def;
    if (kv) {
        out[0] = kv->v[0] * scale;
        out[1] = (kv->rows * kv->cols > 1 ? kv->v[1] : kv->v[0]) * scale;
    }
}

static double *list(rd *r, const char *key, size_t *n, double scale, int required)
{
    lsi_com_kv *kv = num(r, key);
    *n = 0;
    if (!kv) {
        if (required && !r->bad) {
            if (r->msg) snprintf(r->msg, r->cap, "COM keyword '%s' is missing", key);
            r->bad = 1;
        }
        return NULL;
    }
    size_t m = kv->rows * kv->cols;
    double *v = malloc(m * sizeof *v);
    if (!v) { r->bad = 1; return NULL; }
    for (size_t k = 0; k < m; k++) v[k] = kv->v[k] * scale;
    *n = m;
    return v;
}

/* z_p matrices: rows = segments, columns = cases (transposed as the reference reads them) */
static void zp(rd *r, const char *key, double out[][LSI_COM_MAX_SEG], lsi_com_param *p)
{
    lsi_com_kv *kv = num(r, key);
    if (!kv) { if (!r->bad && r->msg) snprintf(r->msg, r->cap, "COM keyword '%s' is missing", key); r->bad = 1; return; }
    if (!p->n_cases) { p->n_cases = kv->cols; p->n_seg = kv->rows; }
    if (kv->cols != p->n_cases || kv->rows != p->n_seg || p->n_cases > LSI_COM_MAX_CASES || p->n_seg > LSI_COM_MAX_SEG) {
        if (!r->bad && r->msg) snprintf(r->msg, r->cap, "COM keyword '%s': shape %zux%zu does not match z_p (TX)", key, kv->rows, kv->cols);
        r->bad = 1;
        return;
    }
    for (size_t s = 0; s < kv->rows; s++)
        for (size_t c = 0; c < kv->cols; c++) out[c][s] = kv->v[s * kv->cols + c];
}

static void die(rd *r, lsi_com_param *p)
{
    lsi_com_kv *cd = num(r, "C_d"), *ls = num(r, "L_s");
    p->n_die = 1;
    for (int s = 0; s < 2; s++) p->cd[s][0] = p->ls[s][0] = 0;
    if (cd && cd->rows == 2) {
        p->n_die = cd->cols > LSI_COM_MAX_DIE ? LSI_COM_MAX_DIE : cd->cols;
        for (int s = 0; s < 2; s++)
            for (size_t k = 0; k < p->n_die; k++) {
                p->cd[s][k] = cd->v[s * cd->cols + k] * 1e-9;
                p->ls[s][k] = ls && ls->rows == 2 && ls->cols == cd->cols ? ls->v[s * ls->cols + k] * 1e-9 : 0;
            }
        return;
    }
    double c2[2], l2[2];
    pair(r, "C_d", c2, 1e-9, 0);
    pair(r, "L_s", l2, 1e-9, 0);
    for (int s = 0; s < 2; s++) { p->cd[s][0] = c2[s]; p->ls[s][0] = l2[s]; }
}

static void txffe(rd *r, lsi_com_param *p)
{
    char key[16];
    double *pre[LSI_COM_MAX_TXTAPS], *post[LSI_COM_MAX_TXTAPS];
    size_t npre[LSI_COM_MAX_TXTAPS], npost[LSI_COM_MAX_TXTAPS], a = 0, b = 0;
    while (a < 4) { snprintf(key, sizeof key, "c(-%zu)", a + 1); if (!get(r, key)) break; pre[a] = list(r, key, &npre[a], 1, 1); a++; }
    while (b < 3) { snprintf(key, sizeof key, "c(%zu)", b + 1); if (!get(r, key)) break; post[b] = list(r, key, &npost[b], 1, 1); b++; }
    /* outermost fixed-zero taps are dropped (the reference's cursor bookkeeping) */
    while (a && npre[a - 1] == 1 && pre[a - 1][0] == 0) { free(pre[a - 1]); a--; }
    while (b && npost[b - 1] == 1 && post[b - 1][0] == 0) { free(post[b - 1]); b--; }
    p->n_pre = a; p->n_post = b;
    for (size_t k = 0; k < a; k++) { p->tx_vals[k] = pre[a - 1 - k]; p->tx_n[k] = npre[a - 1 - k]; }
    for (size_t k = 0; k < b; k++) { p->tx_vals[a + k] = post[k]; p->tx_n[a + k] = npost[k]; }
}

static void dfe(rd *r, lsi_com_param *p)
{
    p->n_b = (int)sc(r, "N_b", 0);
    if (p->n_b < 0 || p->n_b > 64) { if (!r->bad && r->msg) snprintf(r->msg, r->cap, "COM keyword 'N_b' out of range"); r->bad = 1; return; }
    double b1 = sc(r, "b_max(1)", 0), bm1 = sc(r, "b_min(1)", -b1);
    size_t n2 = 0, m2 = 0;
    double *bx = list(r, "b_max(2..N_b)", &n2, 1, 0), *bn = list(r, "b_min(2..N_b)", &m2, 1, 0);
    for (int k = 0; k < p->n_b; k++) {
        if (k == 0) { p->bmax[0] = b1; p->bmin[0] = bm1; continue; }
        p->bmax[k] = bx ? bx[n2 == 1 ? 0 : ((size_t)k - 1 < n2 ? (size_t)k - 1 : n2 - 1)] : 0.2;
        p->bmin[k] = bn ? bn[m2 == 1 ? 0 : ((size_t)k - 1 < m2 ? (size_t)k - 1 : m2 - 1)] : -p->bmax[k];
    }
    free(bx); free(bn);
    p->n_bg = (int)sc(r, "N_bg", 0);
    p->n_bf = (int)sc(r, "N_bf", 6);
    p->n_f = (int)sc(r, "N_f", p->n_b);
    if (p->n_bg == 0) p->n_f = p->n_b;
    if (p->n_f > LSI_COM_MAX_DFE - 1 || p->n_f < p->n_b) p->n_f = p->n_b;
    p->bmaxg = sc(r, "bmaxg", 0.2);
    p->b_float_rss_max = sc(r, "B_float_RSS_MAX", 0);
    p->n_tail_start = (int)sc(r, "N_tail_start", 0);
}

/* receiver filter switches (93A-20 and the 802.3df/dj options) */
static void rxfilter(rd *r, lsi_com_param *p)
{
    p->butterworth = (int)sc(r, "Butterworth", 1) != 0;
    p->bessel_thomson = (int)sc(r, "Bessel_Thomson", 0) != 0;
    p->raised_cosine = (int)sc(r, "Raised_Cosine", 0) != 0;
    p->rc_start = sc(r, "RC_Start", p->fb / 2);
    p->rc_end = sc(r, "RC_end", p->f_r * p->fb);
    if (p->raised_cosine && !(p->rc_end > p->rc_start)) {
        if (!r->bad && r->msg) snprintf(r->msg, r->cap, "COM keyword 'RC_end' must be above RC_Start when Raised_Cosine = 1");
        r->bad = 1;
    }
}

/* PKG_Tx_FFE_preset: one row per package case (the last row serves the cases beyond); its
 * largest-magnitude entry is c(0) (the sheets write rows [c(-1) c(0)]); scalar 0 = none */
static void pkg_preset(rd *r, lsi_com_param *p)
{
    lsi_com_kv *kv = num(r, "PKG_Tx_FFE_preset");
    p->n_pkg_ffe = 0;
    if (!kv || (kv->rows * kv->cols == 1 && kv->v[0] == 0)) return;
    if (kv->cols > LSI_COM_MAX_TXTAPS) {
        if (!r->bad && r->msg) snprintf(r->msg, r->cap, "COM keyword 'PKG_Tx_FFE_preset': more than %d taps per row", LSI_COM_MAX_TXTAPS);
        r->bad = 1;
        return;
    }
    p->n_pkg_ffe = kv->cols;
    for (size_t c = 0; c < LSI_COM_MAX_CASES; c++) {
        size_t row = c < kv->rows ? c : kv->rows - 1;
        for (size_t t = 0; t < kv->cols; t++) p->pkg_ffe[c][t] = kv->v[row * kv->cols + t];
    }
    p->pkg_ffe_cur = 0;
    for (size_t t = 1; t < kv->cols; t++)
        if (fabs(kv->v[t]) > fabs(kv->v[p->pkg_ffe_cur])) p->pkg_ffe_cur = t;
}

/* Rx FFE (802.3dj 178A) and the sampling-point rule */
static void rxffe(rd *r, lsi_com_param *p)
{
    double pre = sc(r, "ffe_pre_tap_len", 0), post = sc(r, "ffe_post_tap_len", 0);
    if (pre < 0 || post < 0 || pre + post > 63) {
        if (!r->bad && r->msg) snprintf(r->msg, r->cap, "COM keyword 'ffe_pre_tap_len'/'ffe_post_tap_len' out of range");
        r->bad = 1;
        return;
    }
    p->n_rxpre = (size_t)pre;
    p->n_rxpost = (size_t)post;
    p->rx_pre1_max = sc(r, "ffe_pre_tap1_max", 0.7);
    p->rx_post1_max = sc(r, "ffe_post_tap1_max", 0.7);
    p->rx_tapn_max = sc(r, "ffe_tapn_max", 0.7);
    p->rx_main_min = sc(r, "ffe_main_cursor_min", 1);
    p->rx_step = sc(r, "ffe_tap_step_size", 0);
    if (!(p->rx_step >= 0 && p->rx_step < 1)) {
        if (!r->bad && r->msg) snprintf(r->msg, r->cap, "COM keyword 'ffe_tap_step_size' = %g: 0 (not quantised) or a step in (0, 1) expected", p->rx_step);
        r->bad = 1;
    }
    int rx = p->n_rxpre + p->n_rxpost > 0;
    /* ts_anchor absent: Mueller-Mueller without an Rx FFE; with one, the pulse peak searched
     * +-M/2 samples around (PyChOpMarg's rule for its dj KR set, which has no ts_anchor) */
    p->ts_anchor = (int)sc(r, "ts_anchor", rx ? 1 : 0);
    if (p->ts_anchor == 0) p->ts_anchor = -1;
    lsi_com_kv *sa = num(r, "sample_adjustment");
    p->sample_adj[0] = sa ? (int)sa->v[0] : (rx ? -p->M / 2 : 0);
    p->sample_adj[1] = sa ? (int)sa->v[sa->rows * sa->cols - 1] : (rx ? p->M / 2 : 0);
    if (p->ts_anchor != -1 && p->ts_anchor != 1 && p->ts_anchor != 2) {
        if (!r->bad && r->msg) snprintf(r->msg, r->cap, "COM keyword 'ts_anchor' = %d: 0 (Mueller-Mueller), 1 (peak) or 2 (cursor minus pre-cursor) expected", p->ts_anchor);
        r->bad = 1;
    }
    if (p->sample_adj[0] > p->sample_adj[1] || p->sample_adj[1] - p->sample_adj[0] > 4 * p->M) {
        if (!r->bad && r->msg) snprintf(r->msg, r->cap, "COM keyword 'sample_adjustment': [from to] with from <= to within 4 UI expected");
        r->bad = 1;
    }
}

/* C2M eye (PMD_type C2M, 120G.3.1): T_O mUI, samples_for_C2M per UI, EH_min and Min_VEO_Test mV, sigma_r UI */
static void c2m(rd *r, lsi_com_param *p)
{
    lsi_com_kv *pmd = get(r, "PMD_type"), *w = get(r, "Histogram_Window_Weight");
    p->c2m = pmd && pmd->is_text && !strcasecmp(pmd->text, "C2M");
    p->t_o_mui = sc(r, "T_O", 0);
    p->t_o = p->t_o_mui * 1e-3;
    p->s_c2m = (int)sc(r, "samples_for_C2M", 100);
    p->eh_min = sc(r, "EH_min", 0) * 1e-3;
    p->min_veo = sc(r, "Min_VEO_Test", 0) * 1e-3;
    p->vec_thr = sc(r, "VEC Pass threshold", INFINITY);
    /* the reference's read_ParamConfigFile: sigma_r (UI, default 0.02), Qr its older name (default sigma_r), and
     * QL = T_O / Qr / 1000 unless given: the gaussian and dual Rayleigh windows have sigma = T_O / QL samples */
    p->sigma_r = sc(r, "sigma_r", 0.02);
    double qr = sc(r, "Qr", p->sigma_r);
    p->ql = sc(r, "QL", qr > 0 ? p->t_o_mui / qr / 1000 : 0);
    /* lanesim's switch (not a reference keyword): 1 = the search ranks by the reference's C2M eye FOM
     * (com_c2msearch.c; seconds to minutes per case), 0 = by 93A-36 with the EH_1st gate */
    p->c2m_eye_fom = sc(r, "C2M_eye_FOM", 0) != 0;
    /* lanesim's switch (not a reference keyword): 1 = the 802.3dj search also bounds every CTLE pair's FOM and reports
     * the largest bound (com_rxbound.c; about 1-2 CPU s more per package case) */
    p->dj_bound_check = sc(r, "FOM_bound", 0) != 0;
    /* the reference's names (its default is rectangle); another name is its error */
    p->hist_w = 1;
    if (w && w->is_text) {
        static const char *const gauss[] = {"gaussian", "norm", "normal", "guassian"};
        p->hist_w = -1;
        for (size_t k = 0; k < sizeof gauss / sizeof *gauss; k++) if (!strcasecmp(w->text, gauss[k])) p->hist_w = 0;
        if (!strcasecmp(w->text, "rectangle")) p->hist_w = 1;
        else if (!strcasecmp(w->text, "triangle")) p->hist_w = 2;
        else if (!strcasecmp(w->text, "dual_rayleigh") || !strcasecmp(w->text, "dual rayleigh")) p->hist_w = 3;
        if (p->hist_w < 0 && p->c2m) {
            if (!r->bad && r->msg)
                snprintf(r->msg, r->cap, "COM keyword 'Histogram_Window_Weight' = %s: not one of gaussian, rectangle, "
                         "triangle, dual_rayleigh", w->text);
            r->bad = 1;
        }
    }
    int need_ql = (p->hist_w == 0 || p->hist_w == 3) && floor(p->t_o_mui / 1000 * p->s_c2m) > 0; /* lsi_com_eye_half */
    if (p->c2m && (p->s_c2m < 1 || p->s_c2m > 10000 || !(p->t_o >= 0 && p->t_o < 0.5) || !(p->sigma_r > 0) ||
                   !(qr > 0) || (need_ql && !(p->ql > 0)))) {
        if (!r->bad && r->msg)
            snprintf(r->msg, r->cap, "COM keywords 'T_O', 'samples_for_C2M', 'sigma_r', 'Qr', 'QL': out of range");
        r->bad = 1;
    }
    if (p->c2m && p->min_veo > 0 && !p->c2m_eye_fom)
        lsi_com_warn(r->res, "COM keyword 'Min_VEO_Test' = %g mV: the search ranks by 93A-36 with the EH_1st gate, not by the "
                     "reference's C2M eye FOM (-s C2M_eye_FOM=1: slow, docs/com.md)", p->min_veo * 1e3);
}

static void unsupported(rd *r, lsi_com_param *p)
{
    static const char *const KEYS[] = {"CTLE_type", "f_HP_Z", NULL};
    for (int k = 0; KEYS[k]; k++) {
        lsi_com_kv *kv = get(r, KEYS[k]);
        int nz = kv && (kv->is_text || kv->rows * kv->cols > 1 || kv->v[0] != 0);
        if (nz) lsi_com_warn(r->res, "COM keyword '%s' = %s is not modelled by this version (ignored)", KEYS[k], kv->text);
    }
    (void)p;
}

ls_status lsi_com_param_fill(const ls_com_config *cfg, lsi_com_param *p, ls_com_result *res, char *msg, size_t cap)
{
    memset(p, 0, sizeof *p);
    for (size_t k = 0; k < cfg->n; k++) cfg->kv[k].used = 0;
    rd r = {cfg, res, msg, cap, 0};
    p->fb = req(&r, "f_b") * 1e9;
    p->f_min = sc(&r, "f_min", 0.05) * 1e9;
    p->delta_f = sc(&r, "Delta_f", 0.01) * 1e9;
    p->L = (int)req(&r, "L");
    p->M = (int)sc(&r, "M", 32);
    p->f_r = sc(&r, "f_r", 4);
    p->f2 = sc(&r, "f_2", p->fb / 1e9) * 1e9;
    p->c0_min = sc(&r, "c(0)", 0);
    txffe(&r, p);
    dfe(&r, p);
    p->gdc = list(&r, "g_DC", &p->n_gdc, 1, 1);
    p->gdc2 = list(&r, "g_DC_HP", &p->n_gdc2, 1, 0);
    p->fz = sc(&r, "f_z", p->fb / 4e9) * 1e9;
    p->fp1 = sc(&r, "f_p1", p->fb / 4e9) * 1e9;
    p->fp2 = sc(&r, "f_p2", p->fb / 1e9) * 1e9;
    p->f_lf = p->gdc2 ? sc(&r, "f_HP_PZ", 0) * 1e9 : 0;
    if (!p->gdc2) { p->gdc2 = calloc(1, sizeof(double)); p->n_gdc2 = 1; }
    p->a_v = req(&r, "A_v");
    p->a_fe = sc(&r, "A_fe", p->a_v);
    p->a_ne = sc(&r, "A_ne", p->a_v);
    p->r0 = sc(&r, "R_0", 50);
    pair(&r, "R_d", p->rd, 1, 50);
    die(&r, p);
    pair(&r, "C_b", p->cb, 1e-9, 0);
    pair(&r, "C_p", p->cp, 1e-9, 0);
    zp(&r, "z_p (TX)", p->zp_tx, p);
    zp(&r, "z_p (NEXT)", p->zp_next, p);
    zp(&r, "z_p (FEXT)", p->zp_fext, p);
    zp(&r, "z_p (RX)", p->zp_rx, p);
    lsi_com_kv *zc = num(&r, "package_Z_c");
    for (size_t s = 0; s < LSI_COM_MAX_SEG; s++) p->zc[0][s] = p->zc[1][s] = 78.2;
    if (zc)
        for (size_t s = 0; s < zc->rows && s < LSI_COM_MAX_SEG; s++)
            for (int side = 0; side < 2; side++) p->zc[side][s] = zc->v[s * zc->cols + (zc->cols > 1 ? (size_t)side : 0)];
    double g[3] = {0, 1.734e-3, 1.455e-4};
    lsi_com_kv *gk = num(&r, "package_tl_gamma0_a1_a2");
    for (int k = 0; k < 3; k++) p->gamma[k] = gk && gk->rows * gk->cols >= 3 ? gk->v[k] : g[k];
    p->tau = sc(&r, "package_tl_tau", 6.141e-3);
    size_t ns = 0;
    double *sel = list(&r, "z_p select", &ns, 1, 0);
    p->n_sel = 0;
    for (size_t k = 0; k < (sel ? ns : 1) && k < LSI_COM_MAX_CASES; k++) {
        int cidx = sel ? (int)sel[k] : 1;
        if (cidx < 1 || (size_t)cidx > p->n_cases) { if (!r.bad && msg) snprintf(msg, cap, "COM keyword 'z_p select': case %d does not exist", cidx); r.bad = 1; break; }
        p->case_sel[p->n_sel++] = cidx;
    }
    free(sel);
    p->der0 = req(&r, "DER_0");
    p->t_r = sc(&r, "T_r", 8e-3);
    p->sigma_rj = req(&r, "sigma_RJ");
    p->a_dd = req(&r, "A_DD");
    p->eta0 = req(&r, "eta_0");
    p->snr_tx = sc(&r, "SNR_TX", 1000);
    p->r_lm = req(&r, "R_LM");
    p->com_threshold = sc(&r, "COM Pass threshold", 0);
    p->erl_threshold = sc(&r, "ERL Pass threshold", 0);
    lsi_com_kv *po = num(&r, "Port Order");
    int def_po[4] = {1, 3, 2, 4};
    for (int k = 0; k < 4; k++) p->port_order[k] = po && po->rows * po->cols == 4 ? (int)po->v[k] : def_po[k];
    p->tdr = (int)sc(&r, "TDR", 0);
    p->erl = (int)sc(&r, "ERL", 0);
    p->erl_only = (int)sc(&r, "ERL_ONLY", 0);
    p->tukey = (int)sc(&r, "Tukey_Window", 0);
    p->tdr_w_txpkg = (int)sc(&r, "TDR_W_TXPKG", 0);
    p->n_bx = (int)sc(&r, "N_bx", p->n_b);
    p->tr_tdr = sc(&r, "TR_TDR", 8e-3);
    p->n_erl = sc(&r, "N", 0);
    p->beta_x = sc(&r, "beta_x", 0);
    p->rho_x = sc(&r, "rho_x", 0.618);
    pair(&r, "fixture delay time", p->tfx, 1, -1);
    p->auto_tfx = (int)sc(&r, "AUTO_TFX", 0);
    p->tdr_duration = sc(&r, "TDR_duration", 5);
    if (!(p->n_erl >= 0) || !(p->tdr_duration > 0) || (p->auto_tfx != 0 && p->auto_tfx != 1)) {
        if (!r.bad && r.msg) snprintf(r.msg, r.cap, "COM keywords 'N' (>= 0 UI), 'TDR_duration' (> 0) or 'AUTO_TFX' (0 or 1) out of range");
        r.bad = 1;
    }
    c2m(&r, p);
    p->local_search = (int)sc(&r, "Local Search", 0);
    p->include_pcb = (int)sc(&r, "Include PCB", 0);
    lsi_com_kv *bg = num(&r, "board_tl_gamma0_a1_a2");
    double bgd[3] = {4.114e-4, 2.547e-4, 0};
    for (int k = 0; k < 3; k++) p->board_gamma[k] = bg && bg->rows * bg->cols >= 3 ? bg->v[k] : (k == 0 ? 0 : bgd[k - 1]);
    p->board_tau = sc(&r, "board_tl_tau", 6.191e-3);
    p->board_zc = sc(&r, "board_Z_c", 109.8);
    p->zbp_tx = sc(&r, "z_bp (TX)", 151);
    p->zbp_rx = sc(&r, "z_bp (RX)", 151);
    p->zbp_next = sc(&r, "z_bp (NEXT)", 72);
    p->zbp_fext = sc(&r, "z_bp (FEXT)", 72);
    pair(&r, "C_0", p->c0b, 1e-9, 0);
    pair(&r, "C_1", p->c1b, 1e-9, 0);
    lsi_com_kv *gq = num(&r, "G_Qual"), *g2q = num(&r, "G2_Qual");
    if (gq && g2q) {
        size_t n2 = g2q->rows * g2q->cols;
        if (gq->cols != 2 || gq->rows != n2 || n2 > 16) {
            if (!r.bad && msg) snprintf(msg, cap, "COM keyword 'G_Qual': %zux%zu, expected one [high low] row per G2_Qual entry (%zu)", gq->rows, gq->cols, n2);
            r.bad = 1;
        } else {
            p->g_qual = malloc(2 * n2 * sizeof *p->g_qual);
            p->g2_qual = malloc(n2 * sizeof *p->g2_qual);
            if (!p->g_qual || !p->g2_qual) r.bad = 1;
            else {
                memcpy(p->g_qual, gq->v, 2 * n2 * sizeof *p->g_qual);
                memcpy(p->g2_qual, g2q->v, n2 * sizeof *p->g2_qual);
                p->n_gq = n2;
            }
        }
    }
    rxfilter(&r, p);
    pkg_preset(&r, p);
    rxffe(&r, p);
    p->bin_size = 1e-5;
    p->trunc_thr = 1e-3;
    if (!r.bad) {
        if (!(p->fb > 0) || p->L < 2 || p->M < 4 || p->M > 256 || !(p->der0 > 0 && p->der0 < 0.5) || !p->n_cases) {
            if (msg) snprintf(msg, cap, "COM configuration: f_b, L, M, DER_0 or z_p out of range");
            r.bad = 1;
        }
        unsupported(&r, p);
        for (size_t k = 0; k < cfg->n; k++) {
            if (cfg->kv[k].used) continue;
            int ign = 0;
            for (int j = 0; IGNORED[j]; j++) ign |= !strcasecmp(IGNORED[j], cfg->kv[k].key);
            if (!ign) lsi_com_warn(res, "unknown COM keyword '%s' ignored", cfg->kv[k].key);
        }
    }
    if (r.bad) { lsi_com_param_free(p); return LS_EINVAL; }
    return LS_OK;
}

void lsi_com_param_free(lsi_com_param *p)
{
    for (size_t k = 0; k < LSI_COM_MAX_TXTAPS; k++) { free(p->tx_vals[k]); p->tx_vals[k] = NULL; }
    free(p->gdc); free(p->gdc2); free(p->g_qual); free(p->g2_qual);
    p->gdc = p->gdc2 = p->g_qual = p->g2_qual = NULL;
    p->n_gq = 0;
}

/* the Tx FFE of grid point odo (c(0) = 1 - sum |c(k)|); 0 when c(0) < c(0)_min (skipped) */
int lsi_com_tx_setting(const lsi_com_param *p, const size_t *odo, double *c)
{
    double sum = 0;
    size_t ntap = p->n_pre + p->n_post;
    for (size_t t = 0; t < ntap; t++) sum += fabs(p->tx_vals[t][odo[t]]);
    for (size_t t = 0; t < p->n_pre; t++) c[t] = p->tx_vals[t][odo[t]];
    c[p->n_pre] = 1 - sum;
    for (size_t t = 0; t < p->n_post; t++) c[p->n_pre + 1 + t] = p->tx_vals[p->n_pre + t][odo[p->n_pre + t]];
    return c[p->n_pre] >= p->c0_min;
}

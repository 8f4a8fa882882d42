/**
 * @file com_internal.h
 * Private interface of the COM engine (IEEE 802.3 Annex 93A, channels/copper/com*.c). Equations
 * and the reference implementation's conventions: docs/com.md.
 */
#ifndef LS_COM_INTERNAL_H
#define LS_COM_INTERNAL_H

#include <complex.h>
#include <stddef.h>

#include "lanesim/com.h"

#define LSI_COM_MAX_CASES 4
#define LSI_COM_MAX_SEG 4   /* package line segments (z_p rows, padded as the reference does) */
#define LSI_COM_MAX_DIE 4   /* die ladder rungs C_d/L_s */
#define LSI_COM_MAX_TXTAPS 8
#define LSI_COM_MAX_GRID 4096
#define LSI_COM_MAX_DFE 256
#define LSI_COM_MAX_M 256     /* samples per UI */
#define LSI_COM_MAX_RXFFE 32  /* Rx FFE taps (802.3dj) */
#define LSI_COM_MAX_RXBOUND (LSI_COM_MAX_RXFFE + LSI_COM_MAX_TXTAPS) /* taps of the combined FFE of the bound */

/** A numeric keyword value: rows x cols doubles (row-major), or text. */
typedef struct {
    char key[64];
    char text[256];
    int is_text;
    size_t rows, cols;
    double *v;
    int used;
} lsi_com_kv;

struct ls_com_config {
    char name[128];
    lsi_com_kv *kv;
    size_t n, cap;
};

/** The parameters the engine uses, in SI units (Hz, s, V, ohm, F, H; per-mm line data as given). */
typedef struct {
    double fb, f_min, delta_f, f_r, f2;
    int L, M;
    double c0_min;
    size_t n_pre, n_post;                       /* Tx FFE taps c(-n_pre)..c(-1), c(1)..c(n_post) */
    double *tx_vals[LSI_COM_MAX_TXTAPS];        /* value list per tap, order c(-n_pre)..c(-1) c(1).. */
    size_t tx_n[LSI_COM_MAX_TXTAPS];
    int n_b;                                    /* fixed DFE taps */
    double bmax[LSI_COM_MAX_DFE], bmin[LSI_COM_MAX_DFE];
    int n_bg, n_bf, n_f;                        /* floating DFE */
    double bmaxg, b_float_rss_max;
    int n_tail_start;
    double *gdc, *gdc2;
    size_t n_gdc, n_gdc2;
    double fz, fp1, fp2, f_lf;                  /* Hz; f_lf <= 0: one-stage CTLE */
    double a_v, a_fe, a_ne, a_ft, a_nt;
    double r0, rd[2];
    size_t n_die;
    double cd[2][LSI_COM_MAX_DIE], ls[2][LSI_COM_MAX_DIE];
    double cb[2], cp[2];
    size_t n_cases, n_seg;
    double zp_tx[LSI_COM_MAX_CASES][LSI_COM_MAX_SEG], zp_rx[LSI_COM_MAX_CASES][LSI_COM_MAX_SEG];
    double zp_next[LSI_COM_MAX_CASES][LSI_COM_MAX_SEG], zp_fext[LSI_COM_MAX_CASES][LSI_COM_MAX_SEG];
    double zc[2][LSI_COM_MAX_SEG];
    double gamma[3], tau;                       /* 1/mm, sqrt(ns)/mm, ns/mm; ns/mm */
    int case_sel[LSI_COM_MAX_CASES];
    size_t n_sel;
    double der0, t_r, sigma_rj, a_dd, eta0, snr_tx, r_lm;
    double com_threshold, erl_threshold;
    int port_order[4];
    int erl, tdr, erl_only, tukey, tdr_w_txpkg, n_bx;
    double tr_tdr, n_erl, beta_x, rho_x, tfx[2];
    int auto_tfx;                               /* AUTO_TFX: port 2's T_fx from the through path (lsi_com_erl_gate) */
    double tdr_duration;                        /* TDR_duration: N = 0's record, in through-path delays */
    int local_search;
    int include_pcb;                            /* host board traces (Include PCB) */
    double board_gamma[3], board_tau, board_zc, c0b[2], c1b[2];
    double zbp_tx, zbp_rx, zbp_next, zbp_fext;  /* mm */
    double *g_qual, *g2_qual;                   /* G_Qual rows [high low], G2_Qual band edges */
    size_t n_gq;
    double bin_size, trunc_thr;
    int exhaustive;                             /* tests: no pruning, no seed (not a keyword) */
    int dj_bound_check;                         /* 802.3dj FOM bound per CTLE pair (com_rxbound.c): every evaluated FOM checked
                                                   against it, and the largest reported; the lanesim keyword FOM_bound */
    /* receiver filter H_r (93A-20 and its 802.3df/dj options) */
    int butterworth, bessel_thomson, raised_cosine;
    double rc_start, rc_end;                    /* Hz */
    /* fixed Tx FFE per package case inserted with the package (PKG_Tx_FFE_preset rows) */
    double pkg_ffe[LSI_COM_MAX_CASES][LSI_COM_MAX_TXTAPS];
    size_t n_pkg_ffe, pkg_ffe_cur;              /* taps per row (0: none), index of c(0) */
    /* Rx FFE (802.3dj 178A): n_rxpre + 1 + n_rxpost taps, limits relative to the main tap */
    size_t n_rxpre, n_rxpost;
    double rx_pre1_max, rx_post1_max, rx_tapn_max, rx_main_min, rx_step;
    int ts_anchor;                              /* -1: Mueller-Mueller (93A-25); 1: pulse peak; 2: max h(t) - h(t - UI) */
    int sample_adj[2];                          /* sampling offsets searched around the anchor */
    /* C2M eye (120G.3.1 VEC/EH): PMD_type C2M, window +-t_o UI at 1/s_c2m UI, weight 0 gaussian (sigma_r UI),
       1 rectangle, 2 triangle, 3 dual Rayleigh; eh_min, min_veo V; vec_thr dB */
    int c2m, s_c2m, hist_w;                     /* hist_w 3: dual Rayleigh (sigma T_O / QL) */
    double t_o, sigma_r, eh_min, min_veo, vec_thr, ql;
    double t_o_mui;                             /* T_O as given (mUI): the window's half width floor(T_O / 1000 S) samples */
    int c2m_eye_fom;                            /* lanesim keyword C2M_eye_FOM: the reference's C2M FOM in the search */
    /* lsi_com_c2m_search_hook, set by com.c after lsi_com_param_fill (NULL: no eye FOM search): called through this pointer so that com_search.c
     * (which com_c2msearch.c builds on) does not depend on com_c2msearch.c */
    ls_status (*c2m_search)(void *x, const void *ch, size_t n_ch, const double *f, size_t nf, const double *ns,
                            void *eq, int *found);
} lsi_com_param;

/** Fills p from cfg; warnings about unknown or unsupported keywords are added to res. */
LS_NODISCARD ls_status lsi_com_param_fill(const ls_com_config *cfg, lsi_com_param *p, ls_com_result *res,
                                          char *msg, size_t cap);
void lsi_com_param_free(lsi_com_param *p);
void lsi_com_warn(ls_com_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- frequency-domain models (com_sig.c) ---- */

/** Two-port S-parameters at one frequency. */
typedef struct {
    double complex s11, s12, s21, s22;
} lsi_s2;

/** Cascade a then b (93A-4..7): the reference's combines4p. */
lsi_s2 lsi_com_cascade(lsi_s2 a, lsi_s2 b);
/** Package of side 0 (Tx) or 1 (Rx) at f (Hz), lengths len[] (mm): 93A-8..15 plus die L_s/C_b. */
lsi_s2 lsi_com_package(const lsi_com_param *p, int side, const double *len, double f);
/** Host board trace of side 0 (Tx) or 1 (Rx), length len mm, from the device end (C_0) to the
 * connector end (C_1): the Include PCB model. */
lsi_s2 lsi_com_board(const lsi_com_param *p, int side, double len, double f);
/** 1 when (g_DC, g_DC2) may be searched under G_Qual/G2_Qual (always without them). */
int lsi_com_gqual_ok(const lsi_com_param *p, double gdc, double gdc2);
/** Receiver filter H_r(f) of the configuration: Butterworth (93A-20) and/or Bessel-Thomson, times the
 * raised-cosine roll-off, each when switched on. */
double complex lsi_com_hr(const lsi_com_param *p, double f);
/** 4th-order Bessel-Thomson filter normalised to -3 dB at f3db. */
double complex lsi_com_bessel_thomson(double f, double f3db);
/** Raised-cosine roll-off: 1 below f1, 0 above f2, (1 + cos(pi (f - f1)/(f2 - f1)))/2 between. */
double lsi_com_raised_cosine(double f, double f1, double f2);
/** 4th-order Butterworth receiver filter H_r(f) (93A-20). */
double complex lsi_com_butterworth(double f, double f3db);
/** Transmitter rise-time filter H_t(f) of the reference with FORCE_TR (93A-46 form, squared). */
double complex lsi_com_ht(double f, double tr_ns);
/** CTLE H_ctf(f) (93A-22, with the low-frequency stage when f_lf > 0). */
double complex lsi_com_ctle(const lsi_com_param *p, double gdc, double gdc2, double f);
/**
 * The reference's s21_to_impulse_DC: H on the file grid f[n] is interpolated onto 0..M f_b/2
 * (magnitude linear with linear trends to DC and beyond the data, phase linear with group-delay
 * trends), inverse transformed, truncated after the last sample above thr times the peak.
 * *ir is allocated (free()), *n_ir its length; dt = 1/(M f_b).
 */
LS_NODISCARD ls_status lsi_com_impulse(const double complex *H, const double *f, size_t n, double dt, double thr,
                                       double **ir, size_t *n_ir, char *msg, size_t cap);
/**
 * The CTLE'd pulse is affine in each stage's linear DC gain (the bilinear stages' numerators are
 * affine in the zero): out[(2a + b) np + i] (np >= n, zero padded) is the pulse (sum of M
 * samples) of ir through the gl^a and g2l^b parts, so that the pulse at (g_DC, g_DC2) is
 * gl g2l out[3] + gl out[2] + g2l out[1] + out[0] (g2l = 0 without the second stage).
 */
LS_NODISCARD ls_status lsi_com_ctle_basis(const lsi_com_param *p, const double *ir, size_t n, size_t np, double *out);
/** Bilinear-transform CTLE stage (the reference's TD_CTLE) applied in place to x[n]. */
void lsi_com_td_ctle(double *x, size_t n, double fb, int M, double fz, double fp1, double fp2, double gdc_db);

/** Inverse of the standard normal tail, Q^-1(p), by bisection on erfc (p in (0, 0.5); com_pdf.c). */
double lsi_com_qinv(double p);

/* ---- PDFs (com_pdf.c, 93A.1.7) ---- */

typedef struct {
    double bin;
    long min; /* bin index of y[0] */
    size_t n;
    double *y;
} lsi_pdf;

/* mass dropped at each end of a PDF after each convolution (com_pdf.c) */
#define LSI_PDF_TRIM 1e-30

LS_NODISCARD ls_status lsi_pdf_delta(lsi_pdf *p, double bin);
LS_NODISCARD ls_status lsi_pdf_gauss(lsi_pdf *p, double sigma, double q, double bin);
LS_NODISCARD ls_status lsi_pdf_from_samples(lsi_pdf *p, const double *h, size_t n, int L, double bin);
LS_NODISCARD ls_status lsi_pdf_conv(lsi_pdf *out, const lsi_pdf *a, const lsi_pdf *b);
void lsi_pdf_free(lsi_pdf *p);
/** |x| of the first bin where the cumulative sum exceeds p0 (A_ni, 93A-37). */
double lsi_pdf_tail(const lsi_pdf *p, double p0);
double lsi_pdf_rms(const lsi_pdf *p);

/* The convolution a * b computed from its lowest bin up only as far as it is read (A_ni and the C2M
 * eye read only the lower tail up to DER_0): the bins are lsi_pdf_conv's, bit for bit, without its
 * tail trim. a and b must outlive it; free o with lsi_pdf_free. */
typedef struct {
    const lsi_pdf *a, *b;
    lsi_pdf o;   /* o.y[0 .. done) are final */
    size_t done;
} lsi_pdf_lazy;
LS_NODISCARD ls_status lsi_pdf_lazy_init(lsi_pdf_lazy *z, const lsi_pdf *a, const lsi_pdf *b);
/** Makes bins 0..k of o final (k < o.n). */
void lsi_pdf_lazy_upto(lsi_pdf_lazy *z, size_t k);
/** lsi_pdf_tail of a * b, computing only the bins up to the crossing. */
double lsi_pdf_lazy_tail(lsi_pdf_lazy *z, double p0);

/* ---- equalizer search (com_fom.c, 93A.1.6) ---- */

/** One channel's data prepared for the search: its impulse response and (for crosstalk) spectrum. */
typedef struct {
    int type; /* 0 thru, 1 FEXT, 2 NEXT */
    double *ir;
    size_t n_ir;
    double complex *h; /* sdd21 with packages, H_t and H_r (file grid), for ICN-type noise */
} lsi_com_chan;

typedef struct {
    double fom_db, a_s, sigma_n, sigma_isi, sigma_j, sigma_xt, sigma_tx;
    size_t i_gdc, i_gdc2;
    double txffe[LSI_COM_MAX_TXTAPS + 1];
    size_t n_tx, cur;
    size_t cursor;       /* 0-based sample index of t_s in the equalized pulse */
    double *sbr;         /* equalized pulse (allocated) */
    size_t n_sbr;
    double use_bmax[LSI_COM_MAX_DFE], use_bmin[LSI_COM_MAX_DFE];
    int ndfe;
    double dfe[LSI_COM_MAX_DFE];
    double *h_j;
    size_t n_hj;
    size_t evals;
    size_t eyes;         /* C2M eye FOM search: settings whose C2M eye was computed */
    size_t ub_violations; /* C2M eye FOM search: eyes whose FOM exceeded its bound (0 when the bound holds); with
                             dj_bound_check: MMSE FOMs above the bound of their CTLE pair */
    size_t bound_pairs, bound_dominated; /* dj_bound_check: CTLE pairs; those whose bound <= the FOM found */
    double bound_fom;    /* dj_bound_check: the bound of the chosen pair (dB) */
    double bound_all;    /* dj_bound_check: the largest pair bound, a bound of every setting's FOM (dB); NaN: none */
    int failed;          /* no setting of the grid has a sampling point (93A-25): COM = -inf */
    int veo_relaxed;     /* C2M: no setting met the Min_VEO_Test floor; searched without it */
    int search_local;    /* the 802.3dj search over a Tx FFE grid of more than one point: a local search */
    double rxffe[LSI_COM_MAX_RXFFE]; /* Rx FFE (802.3dj), applied to sbr already; 0 taps: none */
    double rx_wv[LSI_COM_MAX_RXFFE]; /* the taps as applied (scaled so that the cursor keeps its value) */
    size_t n_rx, rx_dw;  /* taps, index of the main tap */
} lsi_com_eq;

LS_NODISCARD ls_status lsi_com_optimize(const lsi_com_param *p, const lsi_com_chan *ch, size_t n_ch, const double *f,
                                        size_t nf, lsi_com_eq *eq, char *msg, size_t cap);
void lsi_com_eq_free(lsi_com_eq *eq);
/** Stable descending order of v[0..n-1] into idx (value descending, index ascending; n <= LSI_COM_MAX_DFE + 16). */
void lsi_com_sort_desc(const double *v, size_t n, int *idx);
/**
 * vs <- lsi_com_sort_desc's order of v[0..n-1], given vs holding it for v[0..n_old-1] before the entries
 * dl[0..ndl) changed or were added (dirty[i] set for exactly those; cleared on return; dl is reordered).
 */
void lsi_com_resort(const double *v, int n, int *vs, int n_old, int *dl, int ndl, unsigned char *dirty);
/** Floating DFE bank placement (the reference's findbankloc); idx[] gets N_bg*N_bf 1-based taps. */
void lsi_com_findbank(const double *hisi, int idx_st, int idx_en, int bank, double curval, double bmaxg, int n_bg,
                      int *idx);
/** Pulse response (sum of M impulse samples) with the Tx FFE applied (circular shifts of M). */
LS_NODISCARD ls_status lsi_com_eq_pulse(const double *ir, size_t n_ir, int M, const double *c, size_t n_c, size_t cur,
                                        double **out, size_t *n_out);

/** Per-CTLE-setting search state (com_fom.c, com_search.c). */
typedef struct {
    const lsi_com_param *p;
    size_t Np, nt, cur;
    int M, ndfe;
    double *P;            /* CTLE pulse, padded to a multiple of M */
    double *G, *GD;       /* [M][2nt-1] circular correlations of P and of P[i+1]-P[i-1] per phase */
    long pk0, pk1;        /* peak search window (0-based, inclusive) */
    double sigma_n, sigma_xt_next2, *w_fext; /* FEXT ICN weights per frequency, NULL if none */
    const double *f;
    size_t nf_fext;
    long w0, wn;          /* window of pre-shifted pulses Pw[k][i - w0], i in [w0, w0 + wn) */
    double *Pw;           /* [nt][wn] */
    double *bmx, *bmn;    /* [nt][nblk] per-block max/min of Pw (32-sample blocks) */
    long nblk;
    double *Pu;           /* [M][nt][nu]: Pw by phase, Pu[r][k][j] = Pw[k][r + j M] (UI-spaced rows) */
    long nu;
    double *sbmx, *sbmn;  /* [nt][nsblk] the same over 8-block super-blocks (NULL: not used) */
    long nsblk;
    double *basis;        /* [4][Np] lsi_com_ctle_basis of the THRU (NULL: filter each time) */
    double *CG;           /* [16][2][M][nt] circular cross-correlations of the basis rows (and of
                           * their central differences), filled at the first lsi_com_prep_ctle;
                           * NULL: the Gram matrices are summed from the pulse */
    long hint;            /* the last peak found (search order only) */
    double k_tx;          /* 10^(-SNR_TX/20) */
    double thr_db, thr_lin; /* the pruning threshold of the last evaluation, and 10^(thr_db/10) */
    double lb_tau;          /* the last exact DFE bound's n_bg n_bf-th largest reduction (com_search.c) */
    long p_lo, p_len;     /* P holds the samples p_lo .. p_lo + p_len - 1 (circular); p_len = Np: all */
    double p_gl, p_g2l;   /* the CTLE's linear gains (the basis combination of the other samples) */
    int veo_gate;         /* C2M with T_O and Min_VEO_Test: settings whose Gaussian eye estimate
                           * 2 (A_s - Q^-1(DER_0) sigma) <= Min_VEO_Test - 1 mV are rejected */
    double q_der0;        /* Q^-1(DER_0) */
} lsi_com_ctx;

/** What lsi_com_eval_full gives of one setting (93A-36 terms, sampling point, DFE limits and taps). */
typedef struct {
    double fom, a_s, s_isi, s_j, s_xt, s_tx;
    long cursor;
    double bmax[LSI_COM_MAX_DFE], bmin[LSI_COM_MAX_DFE], dfe[LSI_COM_MAX_DFE];
} lsi_com_evalr;

LS_NODISCARD ls_status lsi_com_prep_ctle(lsi_com_ctx *x, const double *ir, size_t n_ir, double gdc, double gdc2);
/** lsi_com_prep_ctle of ch[0] at (g_DC[i], g_DC2[j]) with its sigma_N (from the four sums ns, com_search.c) and
 * crosstalk terms. */
LS_NODISCARD ls_status lsi_com_ctle_setup(lsi_com_ctx *x, const lsi_com_chan *ch, size_t n_ch, const double *f,
                                          size_t nf, const double *ns, size_t i, size_t j);
/** The 93A-36 FOM of Tx FFE c at the prepared CTLE, every term (no pruning); with x->veo_gate the EH_1st gate
 * (-inf when it fails or there is no sampling point). */
double lsi_com_eval_full(lsi_com_ctx *x, const double *c, lsi_com_evalr *e);
/** eq from the evaluation e of Tx FFE c at the prepared CTLE: the equalized pulse, h_J, DFE (allocates). */
void lsi_com_finish(lsi_com_ctx *x, const double *c, const lsi_com_evalr *e, lsi_com_eq *eq);
/**
 * C2M search (com_c2msearch.c; the reference's OptFom_Calc_FOM with do_C2M): every CTLE x Tx FFE setting that
 * passes EH_1st gets the C2M eye without crosstalk; EH <= Min_VEO_Test rejects it; the largest
 * 20 log10(A_s / (A_s - EH/2)) wins (the first in loop order on ties). *found = 0: no setting passes (eq untouched).
 */
LS_NODISCARD ls_status lsi_com_c2m_search(lsi_com_ctx *x, const lsi_com_chan *ch, size_t n_ch, const double *f,
                                          size_t nf, const double *ns, lsi_com_eq *eq, int *found);
/** lsi_com_c2m_search with untyped pointers (lsi_com_param.c2m_search). */
ls_status lsi_com_c2m_search_hook(void *x, const void *ch, size_t n_ch, const double *f, size_t nf, const double *ns,
                                  void *eq, int *found);
/** PDFs of a case (com_casepdf.c): bin, residual ISI at the sampling phase (isi may be NULL), noise with the crosstalk
 * of ch[1 .. n_ch). */
LS_NODISCARD ls_status lsi_com_case_pdfs(const lsi_com_param *p, const lsi_com_chan *ch, size_t n_ch,
                                         const lsi_com_eq *eq, double *bin, lsi_pdf *isi, lsi_pdf *noise, lsi_pdf *xt);
/** The C2M eye's noise at each offset j of the window (2 J + 1 of them, d = (j - J) / samples_for_C2M UI; com_casepdf.c):
 * the jitter terms through the slope vector at d, convolved with the crosstalk xt (lsi_com_case_pdfs' xt); at d = 0
 * noise0 (the case's noise). out[j] points at noise0 or at own[j] (own: 2 J + 1 zeroed PDFs, the caller frees them). */
LS_NODISCARD ls_status lsi_com_eye_noises(const lsi_com_param *p, const lsi_com_eq *eq, const lsi_pdf *noise0,
                                          const lsi_pdf *xt, int J, lsi_pdf *own, const lsi_pdf **out);
/** lsi_com_eye with the noise at each offset from lsi_com_eye_noises (the report's and the C2M search's eye). */
LS_NODISCARD ls_status lsi_com_eye_of(const lsi_com_param *p, const lsi_com_eq *eq, const lsi_pdf *noise0,
                                      const lsi_pdf *xt, double *eh_v, double *vec_db);
/** h at the fractional sample position x, linear between samples; 0 outside [0, n - 1] (com_vec.c). */
double lsi_com_interp(const double *h, size_t n, double x);
/** The whole CTLE'd pulse x->P (lsi_com_prep_ctle forms only the samples the search window reads). */
void lsi_com_pulse_full(lsi_com_ctx *x);
/** Sample i (0-based) of the pulse with Tx FFE c (circular whole-UI shifts). */
double lsi_com_smp(const lsi_com_ctx *x, const double *c, long i);
/**
 * Mueller-Mueller criterion (93A-25 as the reference implements it) over 2M+1 candidate points:
 * h[0 .. 4M] holds the pulse from M before the first candidate; returns the offset (0..2M) of the
 * first candidate with the smallest |h(-1) - max(h(1) - b1 h(0), 0)|.
 */
long lsi_com_mm_argmin(const double *h, long M, double b1);
/**
 * Mueller-Mueller sampling point (93A-25 as the reference implements it) of the pulse with Tx FFE c
 * (com_cursor.c); -1: no rise through 1 % of the peak. *hint: the previous peak (search order only), updated.
 */
long lsi_com_cursor_mm(const lsi_com_ctx *x, const double *c, long *hint);
/** The n UI-spaced samples i, i + M, ... of the pulse with Tx FFE c into out[]. */
void lsi_com_fill_ui(const lsi_com_ctx *x, const double *c, long i, long n, double *out);
/** Samples i0..i1 (inclusive) of the pulse with Tx FFE c into out[]. */
void lsi_com_fill(const lsi_com_ctx *x, const double *c, long i0, long i1, double *out);
/** The reference's get_xtlk_noise pieces (com_search.c): the last grid index its sums include (the first f above
 *  f_b, else the last), a point's weight 2 df / f2 sinc^2(pi f / f_b), and FEXT's Tx FFE weighting |H_txffe(f)|
 *  (taps c[0..nt), main tap cur). */
size_t lsi_com_xt_last(const lsi_com_param *p, const double *f, size_t nf);
double lsi_com_xt_pwf(const lsi_com_param *p, double f, double df);
double lsi_com_xt_txw(const lsi_com_param *p, double f, const double *c, size_t nt, size_t cur);
/** c' G_r c: the energy of the FFE'd pulse (or of its slope for GD) at sampling phase r. */
double lsi_com_quad(const lsi_com_ctx *x, const double *G, long r, const double *c);

/* ---- 802.3dj receiver: Rx FFE by MMSE (com_rxffe.c, com_rxsearch.c, 178A) ---- */

/** What the MMSE solution needs: FFE length nw with dw pre-cursor taps, nb DFE taps and limits. */
typedef struct {
    int nw, dw, nb, L;
    double varx, r_lm, pre1, post1, tapn;
    double step;          /* ffe_tap_step_size: taps relative to the main tap are multiples of it (0: not quantised) */
    double bmin[LSI_COM_MAX_DFE], bmax[LSI_COM_MAX_DFE];
} lsi_com_rxspec;

/* com_rxffe.c: Cholesky of the n x n symmetric a (row-major) in place (0: not positive definite), the solve
   with its factor, and h[i] with zeros outside [0, nh) (also com_rxbound.c) */
int lsi_com_chol(double *a, int n);
void lsi_com_chol_solve(const double *l, int n, const double *b, double *x);
double lsi_com_hget(const double *h, long nh, long i);
/**
 * MMSE Rx FFE w[nw] (unit cursor: h0' w = 1) and DFE b[nb] for the UI-spaced pulse h[0..nh) with
 * its cursor at dh; a[0..nw) is the autocorrelation of h, rn[0..nw) the noise autocorrelation at
 * whole-UI lags. Returns the FOM (dB); *e_isi, *e_noise the two parts of the error; -inf when the
 * system is singular.
 */
double lsi_com_rxffe_mmse(const lsi_com_rxspec *s, const double *h, long nh, long dh, const double *a, const double *rn,
                          double *w, double *b, double *e_isi, double *e_noise);
/**
 * Upper bound of the MMSE FOM (com_rxbound.c): the FOM of the exact minimum error over every FFE g[n]
 * with d pre-cursor taps (unit cursor, no tap limits) and DFE b in [bmin, bmax] (limits dropped when
 * nb > 4) on h as lsi_com_rxffe_mmse reads it; a[0..n), rn[0..n). +inf when no bound is found, -inf
 * when h has no cursor (no FFE reaches h0' g = 1).
 */
double lsi_com_rxffe_bound(const lsi_com_rxspec *s, int n, int d, const double *h, long nh, long dh, const double *a,
                           const double *rn);
/**
 * Upper bound of the FOM of one CTLE pair over every Tx FFE with sum |c| = 1 and every sampling point
 * ts0..ts1 (x prepared for the pair): lsi_com_rxffe_bound on the pulse without Tx FFE with n = N_w +
 * span of the Tx FFE - 1 taps, d pre-cursor taps; A, AJ [M][nl] the circular autocorrelations of the
 * pulse rows and of their slope, rth[n] the thermal noise, k_tx2 and jit the Tx-noise and jitter
 * factors of com_rxsearch.c, rnx[n] the NEXT noise (NULL: none; FEXT is left out, a relaxation).
 */
double lsi_com_rx_pair_bound(const lsi_com_ctx *x, const lsi_com_rxspec *s, int n, int d, const double *A, const double *AJ,
                             long nl, const double *rth, double k_tx2, double jit, const double *rnx, long ts0, long ts1);
/** a[k] = sum_i h[i] h[i + k], k < nlag. */
void lsi_com_autocorr(const double *h, long n, int nlag, double *a);
/** The search of CTLE x Tx FFE x sampling point with the Rx FFE; x prepared as lsi_com_optimize does;
 * ch[1..n_ch) the crosstalk aggressors (their noise enters R_n). */
LS_NODISCARD ls_status lsi_com_rx_search(lsi_com_ctx *x, const lsi_com_chan *ch, size_t n_ch, const double *f, size_t nf,
                                         lsi_com_eq *eq);
/** Crosstalk autocorrelation at whole-UI lags 0..nw-1 of one aggressor: xa[M][nl] holds the circular
 * autocorrelations of its UI-spaced rows per phase (no Tx FFE); with Tx FFE c (nt taps, NULL: none) the phase of
 * largest energy c' A c is taken and out[k] = varx sum_m sum_n c_m c_n A[|k + m - n|] (PyChOpMarg's Sxn rule). */
void lsi_com_xt_acorr(const double *xa, long M, long nl, const double *c, int nt, int nw, double varx, double *out);
/** 178A ts_anchor rule on h[0..n) (M samples per UI): 1 the peak, 2 argmax h(t) - h(t - UI); returns the index. */
long lsi_com_ts_anchor(int anchor, const double *h, long n, long M);
/** out[i] = sum_k w[k] in[i - (k - dw) M] (zero outside in[0..n)): a UI-spaced FFE on a pulse. */
void lsi_com_apply_rxffe(const double *in, size_t n, int M, const double *w, size_t nw, size_t dw, double *out);

/* ---- C2M eye (com_vec.c, 120G.3.1) ---- */

/**
 * Eye height and VEC of the equalized pulse eq (C2M): per time offset d_j (|d| <= T_O, steps 1/samples_for_C2M UI, the
 * pulse interpolated linearly) level k's value mu_k A_s(d) + Y_d, Y_d = residual ISI at d (DFE taps fixed) + noise[j]
 * (its noise at that offset, lsi_com_eye_noises; j = 0 .. 2 J, J = floor(T_O samples_for_C2M)); mixed with the window
 * weights; each eye from the upper DER_0 quantile of the level below to the lower of the level above; EH the smallest
 * eye, VEC = 20 log10(2 A_s / EH) (+inf when EH <= 0).
 */
LS_NODISCARD ls_status lsi_com_eye(const lsi_com_param *p, const lsi_com_eq *eq, const lsi_pdf *const *noise,
                                   double *eh_v, double *vec_db);
/** J of lsi_com_eye's window: floor(T_O samples_for_C2M). */
int lsi_com_eye_half(const lsi_com_param *p);

/** The normalised window weight of the offset d = 0 in lsi_com_eye's mixture. */
double lsi_com_eye_weight0(const lsi_com_param *p);
/** The window weight of offset j (-J..J samples at samples_for_C2M per UI) as the reference's COM_eye_width sets it
 *  (gaussian and triangle peak at 1, dual Rayleigh divided by its largest value; com_vec.c). */
double lsi_com_eye_weight(const lsi_com_param *p, int j);

/* ---- ERL (com_erl.c, 93A.5) ---- */
LS_NODISCARD ls_status lsi_com_erl(const lsi_com_param *p, const double complex *rl, const double *f, size_t nf,
                                   int port, double *erl_db, double *tfx_used, char *msg, size_t cap);
/** Fixture delay detected from the port's TDR impulse ir[n] (fixture delay time -1; 0 when none is found). */
/* the Tx FFE of grid point odo into c (c(0) = 1 - sum |c(k)|); 0 when c(0) < c(0)_min (skipped) */
int lsi_com_tx_setting(const lsi_com_param *p, const size_t *odo, double *c);
double lsi_com_erl_tfx_auto(const lsi_com_param *p, const double *ir, size_t n, const double *f, size_t nf);
/** The reference script's raw FIR of a through path s (get_RAW_FIR: s times a 4th-order Butterworth at 0.75 f_b, to
    the time domain at UI/M, cut at thr of its peak): the time of its first largest value (find(fir == max(fir), 1),
    signed) into *t_pk, the last sample's time into *t_end (may be NULL). */
LS_NODISCARD ls_status lsi_com_raw_fir_peak(const lsi_com_param *p, const double complex *s, const double *f, size_t nf,
                                            double thr, double *t_pk, double *t_end, char *msg, size_t cap);
/** The ERL gate's automatic times as the reference script sets them, into p: AUTO_TFX = 1: port 2's fixture delay
    = twice the raw FIR peak time of SDD12; N = 0: the record N = (TDR_duration x the raw FIR peak time of SDD21 +
    500 ps), at most the raw FIR's length. */
LS_NODISCARD ls_status lsi_com_erl_gate(lsi_com_param *p, const double complex *s12, const double complex *s21,
                                        const double *f, size_t nf, char *msg, size_t cap);

#endif

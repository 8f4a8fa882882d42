/**
 * @file com.h
 * IEEE 802.3 Channel Operating Margin (COM) and Effective Return Loss (ERL) per Annex 93A, as
 * configured by the IEEE COM workbooks (802.3ck, 802.3dj, ...): a configuration (keyword table),
 * a channel (Touchstone THRU plus FEXT/NEXT aggressors), and the result per package test case.
 * Method, equation numbers and the reference implementation it reproduces: docs/com.md.
 */
#ifndef LS_COM_H
#define LS_COM_H

#include <complex.h>
#include <stddef.h>

#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A COM configuration: workbook keywords and their values. */
typedef struct ls_com_config ls_com_config;

/**
 * Reads a configuration in the CSV form `keyword,value,unit,meaning` (RFC 4180 quoting; the first
 * line is the header). Values are MATLAB-style scalars, vectors `[a b]`, matrices `[a b; c d]`,
 * ranges `[a:s:b]` and `x*ones(1,n)`. Malformed value: LS_EINVAL, msg names file, line, keyword.
 */
ls_com_config *ls_com_config_read(const char *path, char *msg, size_t cap, ls_status *err);

/**
 * Reads a configuration from the IEEE COM workbook (.xlsx): the COM_Settings sheet (else the first),
 * each keyword cell with the value cell to its right (docs/com.md). Without libzip/libxml2 at build
 * time: LS_EINVAL, "built without xlsx support".
 */
ls_com_config *ls_com_config_read_xlsx(const char *path, char *msg, size_t cap, ls_status *err);

/** Sets or adds keyword = value (same syntax as the CSV value); LS_EINVAL names the keyword. */
LS_NODISCARD ls_status ls_com_config_set(ls_com_config *c, const char *key, const char *value, char *msg,
                                         size_t cap);

/** Frees c; NULL-safe. */
void ls_com_config_destroy(ls_com_config *c);

#define LS_COM_MAX_CASES 4
#define LS_COM_MAX_TAPS 64
#define LS_COM_MAX_WARN 16

/** The result of one package test case. */
typedef struct {
    int package_case;          /**< 1-based column of the z_p matrices */
    double com_db, a_s_v, a_ni_v, fom_db;
    double g_dc_db, g_dc2_db;
    double tx_ffe[9];          /**< c(-n_pre) .. c(n_post) */
    size_t n_tx_ffe;
    double rx_ffe[32];         /**< 802.3dj Rx FFE taps relative to the main tap, pre-cursor first */
    size_t n_rx_ffe;           /**< 0: no Rx FFE */
    double dfe[LS_COM_MAX_TAPS]; /**< DFE taps relative to the cursor (fixed, then floating span) */
    size_t n_dfe;
    double sigma_isi_v, sigma_n_v, sigma_tx_v, sigma_j_v, sigma_xt_v;
    double sigma_rj_v;         /**< the random-jitter part of sigma_j_v, sigma_RJ sigma_X ||h_J|| (93A-28; the reference
                                    script's report gives this as sgm_rjit, the A_DD part entering as a dual Dirac) */
    double vec_db, eh_v;       /**< C2M eye (120G.3.1): VEC (dB) and eye height (V); NaN unless PMD_type C2M */
    size_t evaluations;        /**< equalizer settings whose FOM was evaluated */
    double fom_bound_db;       /**< with the lanesim keyword FOM_bound = 1 (802.3dj Rx FFE sets): a proven upper bound of
                                    the FOM over every setting of the configuration (the largest CTLE pair bound,
                                    docs/com.md "Bound per CTLE pair"), so the configuration's best FOM lies in
                                    [fom_db, fom_bound_db]; NaN when not computed */
    int search_local;          /**< 1: the equalizer search was a local one (802.3dj Rx FFE sets with a Tx FFE
                                    grid: docs/com.md "802.3dj receiver"), fom_db the best it found, a lower
                                    bound of the configuration's best; 0: every setting, or all but those
                                    proven not to be better */
} ls_com_case;

/** The result of a COM/ERL evaluation. */
typedef struct {
    double com_db;             /**< the worst package case */
    int pass;                  /**< COM >= threshold and ERL >= its threshold (when computed) */
    double com_threshold_db, erl_threshold_db;
    double erl_db;             /**< min over ports; NaN when not computed */
    double erl_port_db[2];
    double erl_tfx_s[2];       /**< the fixture delay T_fx each port's ERL gate used (s; NaN when not computed):
                                    the configuration's, AUTO_TFX's (port 2) or lanesim's rule for -1 */
    double erl_n_ui;           /**< the PTDR record length N used (UI; N = 0: the reference's TDR_duration rule) */
    size_t n_cases;
    ls_com_case cases[LS_COM_MAX_CASES];
    size_t n_warnings;
    char warnings[LS_COM_MAX_WARN][200];
} ls_com_result;

/**
 * Runs COM (every selected package case) and ERL for the THRU file and its aggressors.
 * @return LS_OK; LS_EINVAL (bad configuration value or file, msg says which); LS_EIO; LS_ENOMEM
 */
LS_NODISCARD ls_status ls_com_run(const ls_com_config *cfg, const char *thru, const char *const *fext, size_t n_fext,
                                  const char *const *next, size_t n_next, ls_com_result *res, char *msg, size_t cap);

/**
 * The equalized pulse response of each package case of a run (the reference's `sbr`): the THRU's pulse through
 * the packages, filters and chosen CTLE, with the chosen Tx FFE (and 802.3dj Rx FFE) applied, in V at the victim's
 * amplitude A_v, one sample every dt_s = 1 / (M f_b); cursor is the sample of the sampling point t_s. Case k is the
 * k-th of ls_com_result.cases. Free with ls_com_pulses_free.
 */
typedef struct {
    size_t n_cases;
    double dt_s;
    int samples_per_ui;        /**< M: dt_s = 1 / (M f_b) */
    double *v[LS_COM_MAX_CASES];
    size_t n[LS_COM_MAX_CASES];
    size_t cursor[LS_COM_MAX_CASES];
} ls_com_pulses;

/** Frees what a run put in *p and zeroes it; NULL-safe. */
void ls_com_pulses_free(ls_com_pulses *p);

/** ls_com_run that also keeps each package case's equalized pulse in *pulses (which it zeroes first; on failure
 *  nothing is left to free). */
LS_NODISCARD ls_status ls_com_run_pulses(const ls_com_config *cfg, const char *thru, const char *const *fext,
                                         size_t n_fext, const char *const *next, size_t n_next, ls_com_result *res,
                                         ls_com_pulses *pulses, char *msg, size_t cap);

/** One channel given in memory: differential two-port S-parameters on an increasing grid. */
typedef struct {
    const char *name;                           /**< for warnings and messages (may be NULL) */
    int type;                                   /**< 0 THRU (first and only first), 1 FEXT, 2 NEXT */
    size_t n;                                   /**< points, >= 2; every channel on the THRU's grid */
    const double *f_hz;                         /**< [n] increasing (Hz) */
    const double complex *s11, *s12, *s21, *s22; /**< [n] SDD11, SDD12, SDD21, SDD22 */
} ls_com_sdd;

/**
 * ls_com_run on channels given in memory (e.g. lanesim's analytic channels, ls_com_preset): the
 * same method and warnings, except the Port Order and passivity checks, which belong to files.
 * @return LS_OK; LS_EINVAL (bad configuration value or channel data, msg says which); LS_ENOMEM
 */
LS_NODISCARD ls_status ls_com_run_sdd(const ls_com_config *cfg, const ls_com_sdd *ch, size_t n_ch, ls_com_result *res,
                                      char *msg, size_t cap);
/** ls_com_run_sdd that also keeps the equalized pulses (as ls_com_run_pulses). */
LS_NODISCARD ls_status ls_com_run_sdd_pulses(const ls_com_config *cfg, const ls_com_sdd *ch, size_t n_ch,
                                             ls_com_result *res, ls_com_pulses *pulses, char *msg, size_t cap);

/** The first number of keyword key (case-insensitive) into *v: LS_OK, or LS_EINVAL when absent or text. */
LS_NODISCARD ls_status ls_com_config_get(const ls_com_config *c, const char *key, double *v);

/** A deep copy (NULL when out of memory). A run marks the keywords it reads inside its configuration
    (for the unknown-keyword warnings): threads running COM at once each need their own copy. */
ls_com_config *ls_com_config_copy(const ls_com_config *c);

/** The configuration's name (its file name without the extension). */
const char *ls_com_config_name(const ls_com_config *c);

#ifdef __cplusplus
}
#endif
#endif

/**
 * @file ctle.h
 * Continuous-time linear equalizer (CTLE) of the receiver front end, as a linear time-invariant
 * block: described by its transfer function H(f) only; the link assembler fuses it with its LTI
 * neighbours and applies the product by FFT convolution (ls_fftfilt).
 *
 * Two parameterisations (equations and the mapping between them: docs/receiver.md, "CTLE"):
 *  - LS_CTLE_COM: the IEEE 802.3 COM reference CTLE, eq. (93A-22) with the low-frequency second
 *    stage of 802.3ck/dj (Annex 120F/178A):
 *        H(f) = [g1 + j f/f_z] / [(1 + j f/f_p1)(1 + j f/f_p2)] * [g2 + j f/f_LF] / [1 + j f/f_LF]
 *    with g1 = 10^(g_DC/20), g2 = 10^(g_DC2/20). DC gain g1 g2 (<= 1). High-frequency
 *    referenced: the first stage tends to f_p1/f_z (1 with the usual f_z = f_p1) above f_p1
 *    whatever g_DC, so g_DC sets the low-frequency attenuation (peaking ~ -g_DC dB).
 *  - LS_CTLE_PEAKING: one zero and a double pole, H(f) = (1 + j f/f_z) / (1 + j f/f_p)^2, with
 *    f_z and f_p chosen in closed form so that |H| is largest exactly at f_pk and
 *    |H(f_pk)| / |H(0)| = 10^(peaking_db/20). DC referenced: H(0) = 1.
 */
#ifndef LS_CTLE_H
#define LS_CTLE_H

#include <complex.h>
#include <stddef.h>

#include "lanesim/block.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Lowest accepted DC gain of either COM stage, and highest accepted peaking (dB). */
#define LS_CTLE_GAIN_MIN_DB (-30.0)
#define LS_CTLE_PEAKING_MAX_DB 30.0
/** Largest ratio between any two COM-form frequencies (f_z, f_p1, f_p2, f_LF): the numerical
 *  range of the span computation (real CTLEs stay below 1e4). */
#define LS_CTLE_MAX_FREQ_RATIO 1e9

/** CTLE parameterisation. */
typedef enum {
    LS_CTLE_COM = 0,    /**< IEEE 802.3 COM form (93A-22 + low-frequency stage) */
    LS_CTLE_PEAKING = 1 /**< peak frequency and peaking; one zero, double pole, H(0) = 1 */
} ls_ctle_form;

/** CTLE configuration. Frequencies are absolute (Hz): a preset scales them with the baud rate. */
typedef struct {
    ls_ctle_form form; /**< which of the two groups below is used (the other is ignored) */
    /* LS_CTLE_COM */
    /* f_z, f_p1, f_p2, f_LF: finite, > 0, and within a factor LS_CTLE_MAX_FREQ_RATIO */
    double fz_hz;   /**< zero f_z (Hz), finite and > 0 */
    double fp1_hz;  /**< first pole f_p1 (Hz), finite and > 0 */
    double fp2_hz;  /**< second pole f_p2 (Hz), finite and > 0 */
    double flf_hz;  /**< low-frequency pole/zero f_LF (Hz), finite and > 0 */
    double gdc_db;  /**< first-stage DC gain g_DC (dB), in [LS_CTLE_GAIN_MIN_DB, 0] */
    double gdc2_db; /**< second-stage DC gain g_DC2 (dB), in [LS_CTLE_GAIN_MIN_DB, 0]; 0: flat */
    /* LS_CTLE_PEAKING */
    double fpk_hz;     /**< peak frequency (Hz), finite and > 0 */
    double peaking_db; /**< |H(f_pk)|/|H(0)| (dB), in [0, LS_CTLE_PEAKING_MAX_DB]; 0: H = 1 */
} ls_ctle_config;

/**
 * Defaults: COM form with the IEEE 802.3dj 200GBASE-KR1 reference values (106.25 GBd):
 * f_z = f_p1 = 42.5 GHz, f_p2 = 106.25 GHz, f_LF = 1.328125 GHz (baud/80), g_DC = g_DC2 = 0 dB;
 * peaking fields (used only when form = LS_CTLE_PEAKING): f_pk = 53.125 GHz (Nyquist),
 * peaking_db = 6 dB. NULL-safe.
 */
void ls_ctle_config_init(ls_ctle_config *cfg);

/**
 * Transfer function at n frequencies: h[i] = H(f_hz[i]). Negative frequencies give
 * H(-f) = conj H(f) (real impulse response). Never allocates; thread-safe.
 * @param cfg   configuration
 * @param f_hz  [n] frequencies (Hz), finite
 * @param h     [n] output
 * @param n     count (f_hz and h may be NULL when n == 0)
 * @return LS_OK, or LS_EINVAL for an invalid configuration, NULL arrays or a non-finite frequency
 */
LS_NODISCARD ls_status ls_ctle_response(const ls_ctle_config *cfg, const double *f_hz,
                                        double complex *h, size_t n);

/**
 * Time (s) after t = 0 beyond which the impulse response holds less than 1e-9 of its energy
 * (computed from a state-space model with the exact tail-energy Gramian, aimed at 1e-10). The
 * response is causal and strictly proper (no impulse at t = 0). 0 for a flat response
 * (peaking form with peaking_db = 0). Never allocates; thread-safe.
 * @return the span, or NaN for an invalid configuration
 */
double ls_ctle_span_s(const ls_ctle_config *cfg);

/**
 * Fills *out with an LTI block ("ctle", LS_T_F32 in and out, pre_s = 0) whose self is an
 * ls_alloc'd copy of *cfg with its span computed once; free it with ls_block_destroy(out). On
 * failure *out is cleared.
 * @return LS_OK, LS_EINVAL (invalid configuration, out NULL), LS_ENOMEM
 */
LS_NODISCARD ls_status ls_ctle_into_block(const ls_ctle_config *cfg, ls_block *out);

/**
 * The zero and double-pole frequencies (Hz) of the peaking form: with P = 10^(peaking_db/20)
 * and r = 2P (P + sqrt(P^2 - 1)), f_z = f_pk / sqrt(r - 2) and f_p = f_pk sqrt(r / (r - 2)).
 * Reads the peaking fields whatever cfg->form.
 * @return LS_OK; LS_EINVAL for invalid peaking fields, peaking_db == 0 (flat: no finite zero
 *         or pole), or NULL arguments
 */
LS_NODISCARD ls_status ls_ctle_peaking_zp(const ls_ctle_config *cfg, double *fz_hz, double *fp_hz);

#ifdef __cplusplus
}
#endif
#endif

/**
 * @file tline.h
 * Analytic copper channels: a causal lossy differential transmission line from per-unit-length
 * R(f), L(f), G(f), C(f); lumped series/shunt elements; the IEEE 802.3 COM package model; and
 * cascades of them by ABCD (chain) matrices, so impedance steps reflect. A cascade becomes an
 * LTI block (ls_cascade_into_block) whose response is S21 with the bulk delay removed.
 *
 * Conventions: phasors e^{+j w t}, w = 2 pi f, s = j w. All impedances are differential-mode
 * (a 100 ohm differential pair is z0_ohm = 100). Negative frequencies give conj(H(-f)).
 *
 * Line model (equations and sources: docs/channels.md "Analytic copper channels"):
 *
 *   Z(f) = R_dc + K(f) R_s sqrt(f) (1 + j) + j w L_ext         (series impedance, ohm/m)
 *   Y(f) = j w C_ref eps(w) / eps_r                            (shunt admittance, S/m)
 *   gamma = sqrt(Z Y),  Zc = sqrt(Z / Y),  ABCD = [cosh(gamma l), Zc sinh(gamma l);
 *                                                   sinh(gamma l) / Zc, cosh(gamma l)]
 *
 *  - L_ext = z0 sqrt(eps_r) / c0 and C_ref = sqrt(eps_r) / (c0 z0): sqrt(L_ext / C_ref) = z0 and
 *    sqrt(L_ext C_ref) = sqrt(eps_r) / c0 at f_ref_hz.
 *  - Skin effect: R_s sqrt(f) (1 + j) = R_s sqrt(s / pi), the causal sqrt(j w) surface impedance;
 *    its imaginary part is the internal inductance L_int = R_s / (2 pi sqrt(f)) [Wheeler 1942;
 *    Johnson & Graham, High-Speed Signal Propagation, 2003, ch. 2].
 *  - Dielectric: wideband Debye (Djordjevic-Sarkar) [Djordjevic, Biljic, Likar-Smiljanic, Sarkar,
 *    IEEE Trans. EMC 43(4), 2001]:
 *      eps(w) = eps_inf + d_eps / (m2 - m1) log10((w2 + j w) / (w1 + j w)),
 *    w1 = 2 pi 1e3, w2 = 2 pi 1e12 rad/s, m = log10(w); eps_inf and d_eps solve
 *    eps(w_ref) = eps_r (1 - j tan_d). Causal (analytic for Re s > -w1).
 *  - Conductor from wire gauge (twinax): d = 0.127 mm 92^((36 - AWG) / 39) [ASTM B258],
 *    rho = 1.72e-8 ohm m, delta = sqrt(rho / (pi f mu0)); two wires in series (differential loop):
 *    R_dc = 8 rho / (pi d^2), R_s = prox_factor 2 sqrt(rho mu0 / pi) / d (current in one skin depth
 *    round the perimeter pi d, times a proximity/plating/shield factor).
 *  - Roughness K(f): none; Hammerstad-Jensen K = 1 + (2/pi) atan(1.4 (D/delta)^2) (real: applied
 *    to both R and w L_int, not strictly causal); or Huray snowball in its causal form
 *    K = 1 + 1.5 SR / (1 + (1 - j) delta / (2 a)) [Huray et al. 2010; Bracken, DesignCon 2012],
 *    whose loss gives exactly Huray's ratio 1 + 1.5 SR / (1 + delta/a + delta^2 / (2 a^2)).
 *
 * Cascade S-parameters between real reference impedances Z1 (source) and Z2 (load):
 *   S21 = 2 sqrt(Z1 Z2) / (A Z2 + B + C Z1 Z2 + D Z1),  S11 = (A Z2 + B - C Z1 Z2 - D Z1) / (same);
 * for Z1 = Z2 = Z0: S21 = 2 / (A + B/Z0 + C Z0 + D). The load voltage is V_L = V_s Z2 / (A Z2 + B
 * + C Z1 Z2 + D Z1) = (S21 / 2) sqrt(Z2 / Z1) V_s for a source V_s behind Z1.
 *
 * Thread safety: every function is re-entrant; the block's response may be called from any thread.
 */
#ifndef LS_TLINE_H
#define LS_TLINE_H

#include <complex.h>
#include <stddef.h>

#include "lanesim/block.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest number of segments in one cascade. */
#define LS_CASCADE_MAX_SEGS 32u
/** Largest number of die ladder rungs (C_d, L_s pairs) in a package model. */
#define LS_PACKAGE_MAX_DIE 4u
/** Largest number of transmission-line sections in a package model. */
#define LS_PACKAGE_MAX_LINES 2u

/** Dielectric model. */
typedef enum {
    LS_DIEL_DJORDJEVIC_SARKAR = 0, /**< wideband Debye, causal (default) */
    LS_DIEL_CONST_TAND = 1         /**< eps = eps_r (1 - j tan_d) at every frequency: NOT causal
                                        (loss without the matching dispersion); kept only to
                                        demonstrate the causality check failing */
} ls_diel_model;

/** Conductor surface-roughness model. */
typedef enum {
    LS_ROUGH_NONE = 0,       /**< smooth conductor, K = 1 */
    LS_ROUGH_HAMMERSTAD = 1, /**< Hammerstad-Jensen, real K (saturates at 2); slightly non-causal */
    LS_ROUGH_HURAY = 2       /**< Huray snowball, causal complex form (one sphere size) */
} ls_rough_model;

/** A uniform differential transmission line. */
typedef struct {
    double length_m;      /**< physical length (m), finite, >= 0 */
    double z0_ohm;        /**< differential characteristic impedance of the lossless part,
                               sqrt(L_ext / C_ref) (ohm), finite, > 0 */
    double eps_r;         /**< real relative permittivity at f_ref_hz, finite, >= 1 */
    double tan_d;         /**< loss tangent at f_ref_hz, finite, 0 <= tan_d <= 0.5 */
    double f_ref_hz;      /**< frequency at which eps_r and tan_d are given, 1e4 ... 1e11 Hz */
    ls_diel_model diel;   /**< dielectric model (default Djordjevic-Sarkar) */
    unsigned awg;         /**< wire gauge 10..40: twinax conductor loss from the wire diameter
                               (rs_ohm_rthz and rdc_ohm_m ignored); 0: use rs_ohm_rthz and
                               rdc_ohm_m as given */
    double prox_factor;   /**< AWG mode: multiplier of the isolated-wire skin resistance for
                               proximity effect, plating and shield losses, finite, >= 1 */
    double rs_ohm_rthz;   /**< explicit mode: skin resistance coefficient R_s of the whole
                               differential loop (ohm / m / sqrt(Hz)), finite, >= 0 */
    double rdc_ohm_m;     /**< explicit mode: DC loop resistance (ohm / m), finite, >= 0 */
    ls_rough_model rough; /**< roughness model (default none) */
    double rough_rms_um;  /**< Hammerstad: rms roughness D (um), finite, >= 0 */
    double huray_a_um;    /**< Huray: sphere radius a (um), finite, > 0 when rough = HURAY */
    double huray_sr;      /**< Huray: sphere surface ratio SR = N 4 pi a^2 / A_flat, finite, >= 0 */
} ls_tline_config;

/** Defaults: the "twinax26" preset, length_m = 1. */
void ls_tline_config_init(ls_tline_config *cfg);

/**
 * Loads a named preset (length_m = 1; change it afterwards). Names: "twinax26", "twinax28",
 * "twinax30", "twinax34" (100 ohm twinax, foamed-FEP dielectric, silver-plated copper, calibrated
 * to 802.3ck-era DAC cable loss), "pcb_lowloss" (100 ohm differential stripline, Megtron-7 class,
 * HVLP copper). Values and calibration: docs/channels.md. Case-sensitive.
 * @return LS_OK, or LS_EINVAL (unknown or NULL name, cfg NULL; *cfg untouched)
 */
LS_NODISCARD ls_status ls_tline_preset(const char *name, ls_tline_config *cfg);

/** Name of preset i (0-based), or NULL past the last one. */
const char *ls_tline_preset_name(size_t i);

/** 0 when every field of cfg is in range (see the field comments), else LS_EINVAL. */
LS_NODISCARD ls_status ls_tline_validate(const ls_tline_config *cfg);

/**
 * Per-unit-length series impedance Z = R + j w L (ohm/m) and shunt admittance Y = G + j w C (S/m)
 * at frequency f_hz (>= 0; the sign is ignored). Either output may be NULL.
 * @return LS_OK or LS_EINVAL (invalid cfg, non-finite f)
 */
LS_NODISCARD ls_status ls_tline_rlgc(const ls_tline_config *cfg, double f_hz, double complex *z,
                                     double complex *y);

/**
 * Propagation constant gamma = alpha + j beta (1/m, Re and Im >= 0 for f > 0) and characteristic
 * impedance Zc (ohm) at f_hz > 0. Either output may be NULL.
 * @return LS_OK or LS_EINVAL (invalid cfg, f_hz <= 0 or non-finite)
 */
LS_NODISCARD ls_status ls_tline_gamma(const ls_tline_config *cfg, double f_hz,
                                      double complex *gamma, double complex *zc);

/** Attenuation of the line per metre (dB/m) at f_hz > 0: 20 log10(e) Re(gamma), the matched-line
 *  insertion loss per metre. NaN for an invalid cfg or frequency. */
double ls_tline_loss_db_per_m(const ls_tline_config *cfg, double f_hz);

/** Time of flight of the signal front, length_m sqrt(L_ext C(inf)) = length_m sqrt(eps_inf) / c0
 *  (s) (eps_inf = eps_r for LS_DIEL_CONST_TAND); nothing arrives earlier. NaN for invalid cfg. */
double ls_tline_delay_s(const ls_tline_config *cfg);

/**
 * IEEE 802.3 Annex 93A package transmission line (93A-9 .. 93A-14, the causal form coded by
 * PyChOpMarg sPkgTline): with f in GHz,
 *   gamma(f) = gamma0 + a1 (1 + j) sqrt(f) + f [a2 (1 - j (2/pi) ln f) + j 2 pi tau]   (1/mm),
 *   gamma(0) = gamma0, and a frequency-independent real differential impedance zc_ohm.
 */
typedef struct {
    double zc_ohm;         /**< differential characteristic impedance (ohm), finite, > 0 */
    double length_mm;      /**< length (mm), finite, >= 0 */
    double gamma0_per_mm;  /**< 1/mm, finite, >= 0 */
    double a1_rtns_per_mm; /**< sqrt(ns)/mm, finite, >= 0 */
    double a2_ns_per_mm;   /**< ns/mm, finite, >= 0 */
    double tau_ns_per_mm;  /**< ns/mm, finite, > 0 */
} ls_com_line;

/** Segment kinds of a cascade. */
typedef enum {
    LS_SEG_LINE = 1,     /**< RLGC transmission line (ls_seg.line) */
    LS_SEG_SERIES_L = 2, /**< series inductance, value in H */
    LS_SEG_SHUNT_C = 3,  /**< shunt capacitance, value in F */
    LS_SEG_SERIES_R = 4, /**< series resistance, value in ohm */
    LS_SEG_COM_LINE = 5  /**< 802.3 Annex 93A package line (ls_seg.com) */
} ls_seg_type;

/** One two-port of a cascade (port 1 towards the source). Build with the ls_seg_* helpers. */
typedef struct {
    ls_seg_type type;
    double value;         /**< lumped segments: H, F or ohm; finite, >= 0 */
    ls_tline_config line; /**< LS_SEG_LINE */
    ls_com_line com;      /**< LS_SEG_COM_LINE */
} ls_seg;

/** A transmission-line segment (copy of *cfg; an invalid segment if cfg is NULL). */
ls_seg ls_seg_line(const ls_tline_config *cfg);
/** A series inductance of h (H). */
ls_seg ls_seg_series_l(double h);
/** A shunt capacitance of c (F). */
ls_seg ls_seg_shunt_c(double c);
/** A series resistance of r (ohm). */
ls_seg ls_seg_series_r(double r);
/** A COM package line segment (copy of *com; an invalid segment if com is NULL). */
ls_seg ls_seg_com_line(const ls_com_line *com);

/** A cascade: segments in order from source to load, between real terminations. */
typedef struct {
    ls_seg seg[LS_CASCADE_MAX_SEGS]; /**< segments, [0] nearest the source */
    size_t n_seg;                    /**< 0..LS_CASCADE_MAX_SEGS (0: a direct connection) */
    double z_src_ohm;                /**< source (port 1) reference impedance (ohm), finite, > 0 */
    double z_load_ohm;               /**< load (port 2) reference impedance (ohm), finite, > 0 */
    double span_max_s;               /**< cap of the block's span_s (s), 1e-10 ... 5e-8; the
                                          skin-effect tail (h ~ t^-1.5) of a metre of cable needs
                                          more than 20 ns for the 1e-9 energy criterion, so most
                                          copper cascades end at this cap: see docs/channels.md */
} ls_cascade_config;

/** Defaults: no segments, 100 ohm differential source and load, span_max_s = 20 ns. */
void ls_cascade_config_init(ls_cascade_config *cfg);

/**
 * Appends a segment after validating it.
 * @return LS_OK, or LS_EINVAL (cfg NULL, cascade full, invalid segment; cfg unchanged)
 */
LS_NODISCARD ls_status ls_cascade_add(ls_cascade_config *cfg, ls_seg seg);

/** LS_OK when the cascade and all its segments are valid, else LS_EINVAL. */
LS_NODISCARD ls_status ls_cascade_validate(const ls_cascade_config *cfg);

/**
 * S21 and S11 of the cascade at n frequencies (Hz; negative ones give the conjugate), between
 * z_src_ohm and z_load_ohm, WITHOUT delay removal (for insertion and return loss). s21 or s11
 * may be NULL. Never allocates; thread-safe. Numerically safe at any frequency: a line's
 * cosh/sinh are factored as e^{gamma l} times bounded terms, so deep attenuation underflows to 0.
 * @return LS_OK, or LS_EINVAL (invalid cfg, NULL f with n > 0, non-finite frequency)
 */
LS_NODISCARD ls_status ls_cascade_sparams(const ls_cascade_config *cfg, const double *f, size_t n,
                                          double complex *s21, double complex *s11);

/** Bulk delay tau_bulk (s) of a cascade: sum of ls_tline_delay_s over its lines plus
 *  length_mm tau_ns_per_mm over its COM lines. NaN for an invalid cfg. */
double ls_cascade_bulk_delay_s(const ls_cascade_config *cfg);

/**
 * Fills *out with an LTI block ("cascade", LS_T_F32 in and out) whose self is an ls_alloc'd copy
 * of *cfg plus derived constants. Its response is H(f) = S21(f) e^{+j 2 pi f tau_bulk}: the
 * bulk delay is removed so the fused FIR stays short (read it back with ls_cascade_delay_s and
 * add it to the link latency). span_s is measured once here: S21 e^{+j 2 pi f tau} on a grid to
 * 204.8 GHz (period 40 ns, or 2 span_max_s if longer) under a Gaussian window (sigma 34 GHz),
 * inverse-FFT'd in double precision; the span is the time after which less than 1e-10 of the
 * energy remains (the block contract asks < 1e-9), at least 50 ps and at most span_max_s
 * (reached by most cables: their skin-effect tail decays as t^-1.5). pre_s is 20 ps, for the
 * steep front and the COM line's logarithmic phase term. The analysis costs about
 * 8193 x n_seg response evaluations. Free with ls_block_destroy(out). On failure *out is cleared.
 * @return LS_OK, LS_EINVAL (invalid cfg, out NULL), LS_ENOMEM
 */
LS_NODISCARD ls_status ls_cascade_into_block(const ls_cascade_config *cfg, ls_block *out);

/** tau_bulk (s) removed from a cascade block's response; NaN if b is not a cascade block. */
double ls_cascade_delay_s(const ls_block *b);

/** Which end of the link a package model sits at. */
typedef enum {
    LS_PKG_TX = 0, /**< die first: ladder, bump, line(s), pad (then the channel) */
    LS_PKG_RX = 1  /**< mirror image: pad, line(s) reversed, bump, ladder reversed (die last) */
} ls_pkg_side;

/**
 * IEEE 802.3 COM package model (Annex 93A.1.2; 802.3dj Annex 178A values). Capacitances and
 * inductances are the single-ended COM values (R_0 = 50 ohm reference); the cascade, which is
 * differential (100 ohm), uses shunt C/2 and series 2 L (equal S-parameters). Line impedances
 * are differential (as in COM: rho = (z_c - 2 R_0) / (z_c + 2 R_0)).
 */
typedef struct {
    size_t n_die;                         /**< die ladder rungs, 0..LS_PACKAGE_MAX_DIE */
    double c_d_f[LS_PACKAGE_MAX_DIE];     /**< die shunt capacitance per rung (F), [0] at the die */
    double l_s_h[LS_PACKAGE_MAX_DIE];     /**< series inductance after each rung's C_d (H) */
    double c_b_f;                         /**< bump capacitance (F), after the ladder; 0 = none */
    size_t n_line;                        /**< package line sections, 0..LS_PACKAGE_MAX_LINES */
    double z_c_ohm[LS_PACKAGE_MAX_LINES]; /**< differential impedance of each section (ohm) */
    double z_p_mm[LS_PACKAGE_MAX_LINES];  /**< length of each section (mm), [0] nearest the die */
    double c_p_f;                         /**< pad / ball capacitance (F), at the board side */
    double gamma0_per_mm;                 /**< COM line loss constant (1/mm) */
    double a1_rtns_per_mm;                /**< COM line sqrt(f) loss (sqrt(ns)/mm) */
    double a2_ns_per_mm;                  /**< COM line f loss (ns/mm) */
    double tau_ns_per_mm;                 /**< COM line delay (ns/mm) */
} ls_package_config;

/**
 * Defaults: the 802.3dj Clause 178 KR set (PyChOpMarg ieee_8023dj.py): the full 3-rung ladder
 * C_d = 40/90/110 fF with L_s = 0.13/0.15/0.14 nH, C_b = 30 fF, lines 33 mm at 87.5 ohm and
 * 1.8 mm at 92.5 ohm, C_p = 40 fF, gamma0 = 5e-4 /mm, a1 = 8.9e-4 sqrt(ns)/mm,
 * a2 = 2e-4 ns/mm, tau = 6.141e-3 ns/mm.
 */
void ls_package_config_init(ls_package_config *cfg);

/**
 * Appends the package's segments to a cascade: per rung shunt C_d/2 then series 2 L_s, shunt
 * C_b/2 (if C_b > 0), the line sections, shunt C_p/2 (if C_p > 0); mirrored for LS_PKG_RX.
 * @return LS_OK, or LS_EINVAL (invalid pkg or side, cas NULL, not enough room; cas unchanged)
 */
LS_NODISCARD ls_status ls_package_append(const ls_package_config *pkg, ls_pkg_side side,
                                         ls_cascade_config *cas);

#ifdef __cplusplus
}
#endif
#endif

/**
 * @file mmf.h
 * Multimode fibre (OM3/OM4/OM5) as an LTI block on the field envelope (CF32 -> CF32), with its
 * mode-partition-noise closed form (docs/optics_rx.md "Multimode fibre").
 *
 *   H(f) = H_smf(f) * exp(-ln2 (f / B)^2),   1/B^2 = 1/B_modal^2 + 1/B_chrom^2
 *   B_modal = EMB / L                                (effective modal bandwidth, MHz km)
 *   B_chrom = sqrt(ln2 / 2) / (pi sigma_cd),  sigma_cd = |D(lambda)| L sigma_lambda
 *   D(lambda) = (S0/4) (lambda - lambda0^4 / lambda^3)
 *
 * H_smf is the fibre block of optrx.h on the same length, wavelength, lambda0/S0, attenuation,
 * connectors and MPI echo (the coherent dispersion phase of the laser's own chirp). The Gaussian
 * is the intensity response of a Gaussian impulse response of rms width sigma (the modal delay
 * spread, and the source's rms spectral width times |D| L): H_I(B) = 1/2, the -3 dB *optical*
 * bandwidth by which fibre bandwidths are specified (TIA-492AAAD; IEEE 802.3 link model). It is
 * applied to the field as a real, even response, which the detected intensity sees exactly for a
 * small modulation depth (optrx.h "fibre").
 *
 * Mode partition noise [K. Ogawa, "Analysis of mode partition noise in laser transmission
 * systems", IEEE JQE 18(5), 849-855, 1982; G. P. Agrawal, Fiber-Optic Communication Systems,
 * sec. 5.4 / 7.4 (the form used in the IEEE 802.3 link model)]:
 *   sigma_mpn = (k / sqrt(2)) [1 - exp(-(pi B L D sigma_lambda)^2)]   (relative to the signal)
 * with B the symbol rate and k the mode-partition coefficient.
 */
#ifndef LS_MMF_H
#define LS_MMF_H

#include <complex.h>
#include <stddef.h>

#include "lanesim/block.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Multimode fibre configuration. */
typedef struct {
    double length_m;        /**< length (m), finite, 0..1e5 */
    double wavelength_nm;   /**< source wavelength (nm), finite, 800..1700 */
    double emb_mhz_km;      /**< effective modal bandwidth at wavelength_nm (MHz km), finite, > 0 */
    double lambda0_nm;      /**< zero-dispersion wavelength (nm), 1000..1700 */
    double s0_ps_nm2_km;    /**< zero-dispersion slope (ps/(nm^2 km)), 0..1 */
    double atten_db_km;     /**< attenuation (dB/km), 0..100 */
    unsigned n_connectors;  /**< connections, 0..1000 */
    double connector_db;    /**< loss per connection (dB), 0..10 */
    double source_rms_nm;   /**< source rms spectral width (nm), 0..10 (0: single-frequency) */
    double mpn_k;           /**< mode-partition coefficient k, 0..1 (0: no MPN) */
    double mpi_db;          /**< MPI echo (optrx.h fibre), -INFINITY = none */
    double mpi_delay_s;     /**< MPI echo delay (s) */
    double mpi_phase_rad;   /**< MPI echo phase (rad) */
    double span_bw_hz;      /**< band the FIR span must cover (Hz), 1e6..1e15 */
} ls_mmf_config;

/**
 * Defaults: 100 m of OM4 at 850 nm, EMB 4700 MHz km [S: TIA-492AAAD], lambda0 1316 nm, S0 0.10
 * ps/(nm^2 km) [M: 802.3 cl. 86/95 cabling tables allow 1295..1340 nm, S0 <= 0.105], 3.0 dB/km
 * [S: TIA-568 cabled MMF at 850 nm], no connectors (0.75 dB each), source width 0.15 nm rms (a
 * quasi-single-mode 200G VCSEL), k 0.3
 * [E], no MPI, span_bw_hz 1e12. NULL-safe.
 */
void ls_mmf_config_init(ls_mmf_config *cfg);

/** LS_OK when every field is in range, else LS_EINVAL. */
LS_NODISCARD ls_status ls_mmf_validate(const ls_mmf_config *cfg);

/** D at the source wavelength (ps/(nm km)); NaN if invalid. */
double ls_mmf_d_ps_nm_km(const ls_mmf_config *cfg);

/** Modal bandwidth EMB / L (Hz; +inf at L = 0); NaN if invalid. */
double ls_mmf_modal_bw_hz(const ls_mmf_config *cfg);

/** Chromatic bandwidth sqrt(ln2/2) / (pi |D| L sigma_lambda) (Hz; +inf when 0); NaN if invalid. */
double ls_mmf_chromatic_bw_hz(const ls_mmf_config *cfg);

/** Total -3 dB optical bandwidth (1/B_modal^2 + 1/B_chrom^2)^(-1/2) (Hz); NaN if invalid. */
double ls_mmf_bw_hz(const ls_mmf_config *cfg);

/** Total loss (dB): attenuation and connectors; NaN if invalid. */
double ls_mmf_loss_db(const ls_mmf_config *cfg);

/** Mode partition noise sigma_mpn (relative rms) at symbol rate baud_hz; NaN if invalid. */
double ls_mmf_mpn_sigma(const ls_mmf_config *cfg, double baud_hz);

/** H(f) at f[0..n) (f may be negative). Never allocates; thread-safe. */
LS_NODISCARD ls_status ls_mmf_response(const ls_mmf_config *cfg, const double *f_hz, double complex *h, size_t n);

/** The LTI block ("mmf", LS_T_CF32 in and out); self is an ls_alloc'd copy of *cfg. */
LS_NODISCARD ls_status ls_mmf_into_block(const ls_mmf_config *cfg, ls_block *out);

#ifdef __cplusplus
}
#endif

#endif

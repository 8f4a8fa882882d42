/*
 * Internal to the laser and modulator blocks (channels/optical: laser.c, modulator_map.c,
 * modulator.c, modulator_devices.c, optx.c): the laser's and the modulator's state, the chunk
 * size of process, the inline phasor shared by the maps and process, and the cross-file
 * functions. Physics and sources: modulator.c's header and docs/optics_tx.md.
 *
 * Calls between the files (a DAG): optx.c -> modulator.c, modulator_map.c;
 * modulator_devices.c -> modulator.c, laser.c; modulator.c -> modulator_map.c, laser.c.
 */
#ifndef LS_MODULATOR_INTERNAL_H
#define LS_MODULATOR_INTERNAL_H

#include <complex.h>
#include <stddef.h>
#include <stdint.h>

#include "lanesim/optx.h"
#include "lanesim/rng.h"
#include "ls_fastmath.h"

typedef enum { LSI_MOD_EML, LSI_MOD_MZM, LSI_MOD_DML, LSI_MOD_RING } lsi_mod_type;

#define MOD_BLK 256 /* samples per internal chunk of process */

/* The laser: parameters and noise state, shared by every modulator. */
typedef struct {
    ls_laser_config cfg;
    double e0;               /* sqrt(P0 / 1 W) */
    double sig_rin, sig_phi; /* per-sample std of r and of the phase increment (rad) */
    ls_rng rng_rin, rng_phi;
    double phi; /* Wiener phase (rad), kept in [-pi, pi] */
    uint64_t seed, frame;
} lsi_laser;

typedef struct {
    ls_block_ops ops; /* per-object copy: the kind depends on the configuration */
    lsi_mod_type type;
    double fs;
    lsi_laser las;
    union {
        ls_eml_config eml;
        ls_mzm_config mzm;
        ls_dml_config dml;
        ls_ring_config ring;
    } cfg;
    /* derived constants */
    double loss; /* amplitude factor 10^(-il/20) (MZM, ring) */
    double eml_c, eml_von, eml_ivpp, eml_lnton; /* eml_ivpp = 1 / Vpp */
    double mzm_k;  /* pi / Vpi */
    double dml_k;  /* dP/du (mW/V) */
    double dml_ad; /* adiabatic phase per sample per W: alpha/2 kappa / fs */
    double dml_jb, dml_jr; /* rollover L-I: bias current above threshold, rollover current (mA); jr 0 = linear */
    double bq_b[3], bq_a[3];
    double ring_a, ring_r, ring_c, ring_dth; /* ring_dth: d theta / d u (rad/V) */
    /* dynamic state */
    double z1, z2; /* DML biquad (transposed direct form II) */
    double phi_ad; /* DML adiabatic phase (rad) */
    double ring_u; /* ring: low-passed drive (V) */
    int quiet;     /* set_quiet: no RIN or phase noise drawn */
    /* scratch for one chunk: drive, field amplitude (re, im), phase, normal draws */
    double s_u[MOD_BLK], s_ar[MOD_BLK], s_ai[MOD_BLK], s_th[MOD_BLK], g_rin[MOD_BLK], g_phi[MOD_BLK];
} lsi_mod;

/* Floor of ln T of the EML map (eml_polar in modulator_map.c, eml_block in modulator.c). */
#define EML_LNT_MIN (-1414.0)

/* exp(j th): the sincos is skipped at th == 0 (no chirp, no laser phase). */
static inline double complex phasor(double th)
{
    if (th == 0.0)
        return 1.0;
    double s, c;
    lsi_sincos(th, &s, &c);
    return c + I * s;
}

/* DML/VCSEL power (mW) at the effective drive u (V) and dP/du (mW/V): linear P0 + eta g_m u, or with
 * thermal rollover P = eta (j - j^2 / (2 j_r)), j = j_b + g_m u (mA above threshold), flat at its
 * peak above j_r; 0 below threshold (docs/optics_tx.md "VCSEL"). */
static inline double lsi_dml_power(const lsi_mod *q, double u, double *dp)
{
    const ls_dml_config *c = &q->cfg.dml;
    double p, d;
    if (q->dml_jr == 0.0) {
        p = c->laser.laser_mw + q->dml_k * u;
        d = q->dml_k;
    } else {
        const double j = q->dml_jb + c->ma_per_v * u;
        p = j < q->dml_jr ? c->slope_w_per_a * (j - 0.5 * j * j / q->dml_jr) : 0.5 * c->slope_w_per_a * q->dml_jr;
        d = j < q->dml_jr ? q->dml_k * (1.0 - j / q->dml_jr) : 0.0;
    }
    if (!(p > 0)) {
        p = 0.0;
        d = 0.0;
    }
    *dp = d;
    return p;
}

/* laser.c */
int lsi_laser_valid(const ls_laser_config *c);
void lsi_laser_init(lsi_laser *l, const ls_laser_config *c, double fs);
void lsi_laser_reseed(lsi_laser *l, uint64_t seed, uint64_t frame);
int lsi_laser_random(const lsi_laser *l);
void lsi_laser_rin_scale(const lsi_laser *l, const double *restrict g, double *restrict ar,
                         double *restrict ai, size_t m);
void lsi_laser_phase(lsi_laser *l, double *g, double *th, size_t m);

/* modulator_map.c */
double complex lsi_map_field(const lsi_mod *q, double u, double complex *d);
void lsi_map_chunk(const lsi_mod *q, const double *restrict u, double *restrict ar,
                   double *restrict ai, double *restrict th, size_t m);

/* modulator.c */
lsi_mod *lsi_mod_new(lsi_mod_type t, const ls_laser_config *lc, double fs);
const lsi_mod *lsi_mod_of(const ls_block *b);
double lsi_laser_el_mw(const lsi_mod *q);
double lsi_heater_mw(const lsi_mod *q);

#endif

/*
 * Keys -> model configurations for the optical devices added in issue 12, shared by every preset on
 * the optical chain (optical.c): the directly modulated laser (modulator.type=dml: modulator.fr_ghz,
 * gamma_per_ns, kappa, slope_w_a, ma_per_v, rollover_ma, alpha) and the VCSEL (modulator.type=vcsel:
 * vcsel.*), the multimode fibre (mmf.*, when the preset has that section) with its mode partition
 * noise, the MPI echo (fibre.mpi_*) and the APD (pd.apd_gain, pd.apd_k, pd.dark_na). Models and
 * sources: docs/optics_tx.md "DML / VCSEL", "VCSEL"; docs/optics_rx.md "Multimode fibre", "MPI",
 * "Photodiode". A key a preset does not declare keeps the model's default.
 */
#include <math.h>
#include <string.h>

#include "lanesim/mmf.h"
#include "lanesim/optrx.h"
#include "lanesim/optx.h"
#include "lanesim/vcsel.h"
#include "ls_presets.h"

static double real_or(const ls_config *c, const char *key, double dflt)
{
    return ls_config_find(c, key) ? ls_config_real(c, key) : dflt;
}

int lsi_dml_type(const ls_config *c)
{
    if (!ls_config_find(c, "modulator.type"))
        return 0;
    const char *mt = ls_config_str(c, "modulator.type");
    return !strcmp(mt, "vcsel") ? 2 : !strcmp(mt, "dml");
}

/* modulator.type=dml or vcsel: the laser block fed by the drive (V). lc: the laser keys (laser.power_dbm is
   the power at bias of a DML; a VCSEL's follows from its bias on the L-I curve). */
ls_status lsi_dml_block(const ls_config *c, const ls_laser_config *lc, double fs, ls_block *b, char *msg, size_t cap)
{
    ls_status st;
    if (lsi_dml_type(c) == 2) {
        ls_vcsel_config v;
        ls_vcsel_config_init(&v);
        v.laser = *lc;
        v.ith_ma = real_or(c, "vcsel.ith_ma", v.ith_ma);
        v.ibias_ma = real_or(c, "vcsel.ibias_ma", v.ibias_ma);
        v.d_ghz_rtma = real_or(c, "vcsel.d_ghz_rtma", v.d_ghz_rtma);
        v.k_ns = real_or(c, "vcsel.k_ns", v.k_ns);
        v.gamma0_per_ns = real_or(c, "vcsel.gamma0_per_ns", v.gamma0_per_ns);
        v.slope_w_per_a = real_or(c, "vcsel.slope_w_a", v.slope_w_per_a);
        v.rollover_ma = real_or(c, "vcsel.rollover_ma", v.rollover_ma);
        v.ma_per_v = real_or(c, "vcsel.ma_per_v", v.ma_per_v);
        v.alpha = real_or(c, "vcsel.alpha", v.alpha);
        v.kappa_per_w_s = real_or(c, "vcsel.kappa", v.kappa_per_w_s);
        if (!(v.ibias_ma > v.ith_ma)) {
            lsi_say(msg, cap, "vcsel.ibias_ma: %g mA must exceed vcsel.ith_ma (%g mA)", v.ibias_ma, v.ith_ma);
            return LS_EINVAL;
        }
        if (v.rollover_ma > 0 && !(v.rollover_ma > v.ibias_ma - v.ith_ma)) {
            lsi_say(msg, cap, "vcsel.rollover_ma: %g mA must exceed vcsel.ibias_ma - vcsel.ith_ma (%g mA), or be 0",
                    v.rollover_ma, v.ibias_ma - v.ith_ma);
            return LS_EINVAL;
        }
        if (!(ls_vcsel_fr_hz(&v) < 0.5 * fs)) {
            lsi_say(msg, cap, "vcsel.d_ghz_rtma: f_r = %g GHz is at or above half the sample rate: raise link.sps",
                    ls_vcsel_fr_hz(&v) / 1e9);
            return LS_EINVAL;
        }
        if ((st = ls_vcsel_into_block(&v, fs, b)) != LS_OK)
            lsi_say(msg, cap, "vcsel: invalid VCSEL configuration (check vcsel.* and laser.*)");
        return st;
    }
    ls_dml_config d;
    ls_dml_config_init(&d);
    d.laser = *lc;
    d.fr_hz = real_or(c, "modulator.fr_ghz", d.fr_hz * 1e-9) * 1e9;
    d.gamma_per_s = real_or(c, "modulator.gamma_per_ns", d.gamma_per_s * 1e-9) * 1e9;
    d.kappa_per_w_s = real_or(c, "modulator.kappa", d.kappa_per_w_s);
    d.slope_w_per_a = real_or(c, "modulator.slope_w_a", d.slope_w_per_a);
    d.ma_per_v = real_or(c, "modulator.ma_per_v", d.ma_per_v);
    d.rollover_ma = real_or(c, "modulator.rollover_ma", d.rollover_ma);
    d.alpha = real_or(c, "modulator.alpha", d.alpha);
    if (!(d.fr_hz < 0.5 * fs)) {
        lsi_say(msg, cap, "modulator.fr_ghz: %g GHz is at or above half the sample rate: raise link.sps",
                d.fr_hz / 1e9);
        return LS_EINVAL;
    }
    if (d.rollover_ma > 0 && !(d.laser.laser_mw < 0.5 * d.slope_w_per_a * d.rollover_ma)) {
        lsi_say(msg, cap, "modulator.rollover_ma: the L-I peak slope_w_a x rollover_ma / 2 = %g mW is below "
                "laser.power_dbm (%g mW)", 0.5 * d.slope_w_per_a * d.rollover_ma, d.laser.laser_mw);
        return LS_EINVAL;
    }
    if ((st = ls_dml_into_block(&d, fs, b)) != LS_OK)
        lsi_say(msg, cap, "modulator: invalid DML configuration (check modulator.* and laser.*)");
    return st;
}

/* fibre.mpi_*: the echo of N reflector pairs (powers add) into the fibre configuration */
void lsi_mpi_keys(const ls_config *c, ls_fibre_config *fc)
{
    const double db = real_or(c, "fibre.mpi_db", -INFINITY);
    if (!(db > -100.0))
        return;
    const double n = real_or(c, "fibre.mpi_reflections", 1.0);
    fc->mpi_db = fmin(0.0, db + 10.0 * log10(n));
    fc->mpi_delay_s = real_or(c, "fibre.mpi_delay_ps", 500.0) * 1e-12;
    fc->mpi_phase_rad = real_or(c, "fibre.mpi_phase_rad", M_PI);
}

int lsi_mmf_on(const ls_config *c)
{
    return ls_config_find(c, "mmf.emb_mhz_km") != NULL;
}

/* The multimode fibre of the mmf.* keys on the length, wavelength, connectors and MPI of fc */
static ls_mmf_config mmf_of(const ls_config *c, const ls_fibre_config *fc)
{
    ls_mmf_config m;
    ls_mmf_config_init(&m);
    m.length_m = fc->length_m;
    m.wavelength_nm = fc->wavelength_nm;
    m.emb_mhz_km = real_or(c, "mmf.emb_mhz_km", m.emb_mhz_km);
    m.lambda0_nm = real_or(c, "mmf.lambda0_nm", m.lambda0_nm);
    m.s0_ps_nm2_km = real_or(c, "mmf.s0_ps_nm2_km", m.s0_ps_nm2_km);
    m.atten_db_km = real_or(c, "mmf.atten_db_km", m.atten_db_km);
    m.source_rms_nm = real_or(c, "mmf.source_rms_nm", m.source_rms_nm);
    m.mpn_k = real_or(c, "mmf.mpn_k", m.mpn_k);
    m.n_connectors = fc->n_connectors;
    m.connector_db = fc->connector_db;
    m.mpi_db = fc->mpi_db;
    m.mpi_delay_s = fc->mpi_delay_s;
    m.mpi_phase_rad = fc->mpi_phase_rad;
    m.span_bw_hz = fc->span_bw_hz;
    return m;
}

ls_status lsi_mmf_block(const ls_config *c, const ls_fibre_config *fc, ls_block *b, double *loss_db, char *msg,
                        size_t cap)
{
    const ls_mmf_config m = mmf_of(c, fc);
    ls_status st = ls_mmf_into_block(&m, b);
    if (st != LS_OK) {
        lsi_say(msg, cap, "mmf: invalid multimode fibre (check link.length_m, laser.wavelength_nm and mmf.*)");
        return st;
    }
    *loss_db = ls_mmf_loss_db(&m);
    return LS_OK;
}

/* pd.apd_*, pd.dark_na, and the mode partition noise of a multimode fibre as received intensity noise:
   sigma_mpn^2 white over the Nyquist band baud/2, RIN_mpn = sigma_mpn^2 / (baud/2) (the laser's own RIN is
   in the laser block, not here) */
void lsi_pd_keys(const ls_config *c, const ls_fibre_config *fc, double baud, ls_photodiode_config *pc)
{
    pc->apd_gain = real_or(c, "pd.apd_gain", pc->apd_gain);
    pc->apd_k = real_or(c, "pd.apd_k", pc->apd_k);
    pc->dark_a = real_or(c, "pd.dark_na", 0.0) * 1e-9;
    if (lsi_mmf_on(c)) {
        const ls_mmf_config m = mmf_of(c, fc);
        const double s = ls_mmf_mpn_sigma(&m, baud);
        const double rin = s > 0 ? 10.0 * log10(s * s / (0.5 * baud)) : -INFINITY;
        if (rin > -200.0) /* below: nothing the photodiode resolves */
            pc->rin_db_hz = rin;
    }
}

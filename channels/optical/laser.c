/*
 * The CW laser folded into every modulator (docs/optics_tx.md "Laser"; the full model statement
 * is modulator.c's header): defaults, validation, the RIN variance, and the two noise streams.
 *
 *  - E_L = sqrt(P0 (1 + r)) exp(j phi), r white Gaussian with variance 10^(RIN/10) fs/2 per
 *    sample (one-sided RIN over the simulated band [Coldren, Corzine & Mashanovitch, Diode Lasers
 *    and Photonic Integrated Circuits, 2nd ed., ch. 5]); the square root is clipped at 1 + r < 0.
 *  - phi a Wiener process with increment variance 2 pi linewidth / fs (Lorentzian line of FWHM =
 *    linewidth [Henry, IEEE JQE 18(2) 1982]), kept in [-pi, pi], 0 at the start of every frame.
 *  - Streams: one normal per sample from the RIN stream (if RIN is on) and one from the phase
 *    stream (if the linewidth is > 0); the phase stream is the RIN stream jumped by 2^128, so the
 *    two never overlap and switching one off leaves the other's realisation unchanged.
 */
#include <math.h>

#include "ls_internal.h"
#include "modulator_internal.h"

void ls_laser_config_init(ls_laser_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_laser_config){.laser_mw = 10.0,
                             .rin_db_hz = -150.0,
                             .linewidth_hz = 1e6,
                             .wavelength_nm = 1311.0,
                             .wall_plug_eff = 0.2,
                             .coupling_db = 0.0,
                             .stream = 0};
}

int lsi_laser_valid(const ls_laser_config *c)
{
    return isfinite(c->laser_mw) && c->laser_mw > 0 &&
           (c->rin_db_hz == -INFINITY || (isfinite(c->rin_db_hz) && c->rin_db_hz <= -100.0)) &&
           isfinite(c->linewidth_hz) && c->linewidth_hz >= 0 && c->wavelength_nm >= 800.0 &&
           c->wavelength_nm <= 1700.0 && isfinite(c->wall_plug_eff) && c->wall_plug_eff > 0 &&
           c->wall_plug_eff <= 1.0 && isfinite(c->coupling_db) && c->coupling_db >= 0.0;
}

double ls_laser_rin_var(const ls_laser_config *cfg, double fs_hz)
{
    if (!cfg || !isfinite(fs_hz) || !(fs_hz > 0) || isnan(cfg->rin_db_hz))
        return NAN;
    if (cfg->rin_db_hz == -INFINITY)
        return 0.0;
    return pow(10.0, cfg->rin_db_hz / 10.0) * fs_hz / 2.0;
}

void lsi_laser_init(lsi_laser *l, const ls_laser_config *c, double fs)
{
    l->cfg = *c;
    l->e0 = sqrt(c->laser_mw * 1e-3);
    l->sig_rin = sqrt(ls_laser_rin_var(c, fs));
    l->sig_phi = sqrt(2.0 * M_PI * c->linewidth_hz / fs);
}

void lsi_laser_reseed(lsi_laser *l, uint64_t seed, uint64_t frame)
{
    l->seed = seed;
    l->frame = frame;
    ls_rng_seed(&l->rng_rin, seed, l->cfg.stream, frame);
    l->rng_phi = l->rng_rin;
    ls_rng_jump(&l->rng_phi);
    l->phi = 0.0;
}

int lsi_laser_random(const lsi_laser *l)
{
    return l->sig_rin > 0 || l->sig_phi > 0;
}

/* E_L = sqrt(P0 (1 + r)): (ar, ai)[0..m) times sqrt(max(0, 1 + sig_rin g)), g the RIN normals. */
void lsi_laser_rin_scale(const lsi_laser *l, const double *restrict g, double *restrict ar,
                                double *restrict ai, size_t m)
{
    for (size_t i = 0; i < m; i++) {
        const double p = 1.0 + l->sig_rin * g[i], f = p > 0 ? sqrt(p) : 0.0;
        ar[i] *= f;
        ai[i] *= f;
    }
}

/* Wiener phase, kept in [-pi, pi], added to th[0..m); g: scratch for the m normals it draws. */
void lsi_laser_phase(lsi_laser *l, double *g, double *th, size_t m)
{
    double phi = l->phi;
    lsi_rng_gauss_fill_d(&l->rng_phi, g, m);
    for (size_t i = 0; i < m; i++) {
        phi += l->sig_phi * g[i];
        if (phi > M_PI)
            phi -= 2.0 * M_PI;
        else if (phi < -M_PI)
            phi += 2.0 * M_PI;
        th[i] += phi;
    }
    l->phi = phi;
}

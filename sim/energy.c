/*
 * Energy per bit, part by part (include/lanesim/energy.h; equations, defaults and their sources in
 * docs/energy.md).
 *
 * With B the symbol rate of the segment a part works in:
 *   transmitter  P = B (E_tx + N_ffe E_tap) s + V_dd Vpp / 50 ohm           (CML output stage)
 *   receiver     P = B (E_rx + E_ctle + N_ffe E_tap + N_dfe E_dfe + E_cdr + M^2 E_branch [MLSE]) s
 *                    + FOM_W 2^ENOB B                                         (Walden ADC at fs = B)
 * where s = power.dsp_scale for the module's transmitters and receivers (1 for the host's) and,
 * without an ADC, the M - 1 slicers count as a log2(M)-bit flash converter (2^ENOB -> M). Blocks report
 * their own power (power_mw): the linear driver V_dd (2 Vpp / R_L + gain stages), the TIA, the laser
 * of a modulator block (power reaching the modulator x coupling loss / wall-plug efficiency) and a
 * ring's heater. Module extras: the laser's cooler (laser.tec_mw), the module's control
 * (module.control_mw) and its DC-DC losses, P_module (1 / eta - 1).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lanesim/energy.h"
#include "lanesim/optx.h"
#include "ls_internal.h"
#include "ls_presets.h"

typedef struct {
    double tx_sym, tx_vdd, ffe_tap, rx_sym, ctle, adc_fom, dfe_tap, cdr, branch;
} epar;

static void add(ls_energy *e, const char *prefix, const char *name, double mw, int module)
{
    if (!(mw > 0) || e->n_parts >= LS_ENERGY_MAX_PARTS)
        return;
    ls_energy_part *p = &e->part[e->n_parts++];
    snprintf(p->name, sizeof p->name, "%s%s", prefix, name);
    p->mw = mw;
    p->module = module;
}

/* pJ per symbol at B symbols/s -> mW */
static double mw_of(double pj, double baud)
{
    return pj * baud * 1e-9;
}

static void tx_parts(ls_energy *e, const epar *p, double scale, const lsi_link_spec *s, const char *pre, int module)
{
    const double b = s->baud;
    const unsigned taps = 1 + s->tx.n_pre + s->tx.n_post;
    add(e, pre, "tx", mw_of(p->tx_sym * scale, b), module);
    add(e, pre, "tx_ffe", mw_of(taps * p->ffe_tap * scale, b), module);
    add(e, pre, "tx_out", 1e3 * p->tx_vdd * s->tx.swing_vpp / 50.0, module);
}

static void rx_parts(ls_energy *e, const epar *p, double scale, int ctle, const lsi_link_spec *s, const char *pre,
                     int module)
{
    const double b = s->baud;
    const ls_rx_config *r = &s->rx;
    add(e, pre, "rx_afe", mw_of(p->rx_sym * scale, b), module);
    if (ctle)
        add(e, pre, "rx_ctle", mw_of(p->ctle * scale, b), module);
    if (r->adc_on)
        add(e, pre, "rx_adc", mw_of(p->adc_fom * pow(2.0, r->adc_enob) * scale, b), module);
    else
        add(e, pre, "rx_slicers", mw_of(p->adc_fom * s->levels * scale, b), module);
    const unsigned ffe = r->adc_on ? r->ffe_taps : r->ffe_taps > 1 ? r->ffe_taps : 0;
    add(e, pre, "rx_ffe", mw_of(ffe * p->ffe_tap * scale, b), module);
    add(e, pre, "rx_dfe", mw_of(r->dfe_taps * p->dfe_tap * scale, b), module);
    add(e, pre, "rx_cdr", mw_of(p->cdr * scale, b), module);
    if (r->mlse_on)
        add(e, pre, "rx_mlse", mw_of((double)s->levels * s->levels * p->branch * scale, b), module);
}

/* The blocks that draw power (all between the host's transmitter and receiver: module scope). */
static void block_parts(ls_energy *e, const lsi_link_spec *s)
{
    for (size_t i = 0; i < s->n_blocks; i++) {
        const ls_block *bk = &s->blocks[i];
        if (!bk->ops || !bk->ops->power_mw)
            continue;
        double laser, heater;
        if (ls_optx_power_split(bk, &laser, &heater) == LS_OK) {
            add(e, "", "laser", laser, 1);
            add(e, "", "ring_heater", heater, 1);
        } else {
            add(e, "", bk->ops->name, bk->ops->power_mw(bk->self), 1);
        }
    }
}

double ls_energy_part_mw(const ls_energy *e, const char *name)
{
    for (size_t i = 0; e && name && i < e->n_parts; i++)
        if (!strcmp(e->part[i].name, name))
            return e->part[i].mw;
    return -1.0;
}

ls_status ls_energy_compute(const ls_config *c, ls_energy *e, char *msg, size_t cap)
{
    if (!e)
        return LS_EINVAL;
    memset(e, 0, sizeof *e);
    if (!c) {
        lsi_say(msg, cap, "no configuration");
        return LS_EINVAL;
    }
    const lsi_preset *pp = lsi_preset_find(ls_config_preset(c));
    if (!pp || !ls_config_find(c, "power.tx_pj_per_symbol")) {
        lsi_say(msg, cap, "preset %s has no power model (no power.* keys)", ls_config_preset(c));
        return LS_EINVAL;
    }
    const epar p = { ls_config_real(c, "power.tx_pj_per_symbol"), ls_config_real(c, "power.tx_vdd_v"),
                     ls_config_real(c, "power.ffe_tap_pj"),       ls_config_real(c, "power.rx_pj_per_symbol"),
                     ls_config_real(c, "power.ctle_pj_per_symbol"), ls_config_real(c, "power.adc_fom_fj") * 1e-3,
                     ls_config_real(c, "power.dfe_tap_pj"),       ls_config_real(c, "power.cdr_pj_per_symbol"),
                     ls_config_real(c, "power.mlse_branch_pj") };
    const double dsp = ls_config_real(c, "power.dsp_scale");
    const int ctle = ls_config_find(c, "ctle.form") && strcmp(ls_config_str(c, "ctle.form"), "none");
    const unsigned n = pp->n_segments > 1 ? pp->n_segments : 1;
    int optical = 0;
    for (unsigned k = 0; k < n; k++) {
        lsi_link_spec s;
        memset(&s, 0, sizeof s);
        s.segment = (int)k;
        ls_status st = pp->build(c, &s, msg, cap);
        if (st != LS_OK) {
            lsi_link_spec_clear(&s);
            memset(e, 0, sizeof *e);
            return st;
        }
        /* segment 0 starts at the host's transmitter, the last ends at the host's receiver; a retimed
           link's other ends are the module's retimer (electrical) or its DSP (optical segment) */
        const char *mod_pre = s.optical ? "dsp_" : "retimer_";
        if (k == 0)
            tx_parts(e, &p, 1.0, &s, "host_", 0);
        else
            tx_parts(e, &p, dsp, &s, mod_pre, 1);
        block_parts(e, &s);
        if (k + 1 == n)
            rx_parts(e, &p, 1.0, ctle, &s, "host_", 0);
        else
            rx_parts(e, &p, dsp, ctle, &s, mod_pre, 1);
        optical |= s.optical;
        lsi_link_spec_clear(&s);
    }
    if (optical) {
        add(e, "", "laser_tec", ls_config_real(c, "laser.tec_mw"), 1);
        add(e, "", "module_control", ls_config_real(c, "module.control_mw"), 1);
        double m = 0;
        for (size_t i = 0; i < e->n_parts; i++)
            m += e->part[i].module ? e->part[i].mw : 0.0;
        add(e, "", "module_dcdc", m * (1.0 / ls_config_real(c, "module.dcdc_eff") - 1.0), 1);
    }
    for (size_t i = 0; i < e->n_parts; i++) {
        if (e->part[i].module)
            e->module_mw += e->part[i].mw;
        else
            e->host_mw += e->part[i].mw;
    }
    e->total_mw = e->host_mw + e->module_mw;
    e->rate_gbps = ls_config_real(c, "link.rate_gbps");
    e->pj_per_bit = e->total_mw / e->rate_gbps;
    e->module_pj_per_bit = e->module_mw / e->rate_gbps;
    if (msg && cap)
        msg[0] = '\0';
    return LS_OK;
}

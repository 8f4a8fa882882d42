/*
 * The lane group of a cpo-wdm configuration (include/lanesim/wdm.h, docs/cpo-wdm.md): the preset's own
 * lane group (lsi_cpo_wdm_group) summarized per line.
 *
 * Shoreline density: a lane group takes one TX and one RX fibre at the pitch p (a single row at the
 * package edge), each carrying N x R one way, so the bidirectional bandwidth per mm of edge is
 * (1 mm / p) x N x R (TX and RX fibres alternate: half the fibres send, half receive, and both
 * directions count).
 */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "lanesim/wdm.h"
#include "ls_internal.h"
#include "ls_presets.h"

#define C_LIGHT 299792458.0

ls_status ls_wdm_info_get(const ls_config *c, ls_wdm_info *out, char *msg, size_t cap)
{
    if (!out)
        return LS_EINVAL;
    memset(out, 0, sizeof *out);
    if (!c || !ls_config_find(c, "wdm.channels")) {
        lsi_say(msg, cap, "preset %s has no wdm.* keys (use cpo-wdm)", c ? ls_config_preset(c) : "(none)");
        return LS_EINVAL;
    }
    ls_wdm_config w;
    double heater;
    ls_status st = lsi_cpo_wdm_group(c, &w, &heater, msg, cap);
    if (st != LS_OK)
        return st;
    out->n_ch = w.n_ch;
    out->victim = w.victim;
    out->spacing_ghz = w.spacing_hz / 1e9;
    out->fsr_ghz = w.fsr_hz / 1e9;
    out->mod_fwhm_ghz = w.nu_c_hz / w.mod_q_loaded / 1e9;
    out->drop_fwhm_ghz = w.nu_c_hz / w.drop_q_loaded / 1e9;
    for (unsigned k = 0; k < w.n_ch; k++) {
        ls_wdm_config t = w;
        t.victim = k;
        out->wavelength_nm[k] = 1e9 * C_LIGHT / ls_wdm_nu_hz(&w, k);
        out->line_dbm[k] = 10.0 * log10(w.line_mw[k]);
        out->xtalk_db[k] = ls_wdm_xtalk_db(&t);
    }
    out->bus_il_db = -20.0 * log10(cabs(ls_wdm_bus_field(&w, 0)));
    out->drop_il_db = -20.0 * log10(cabs(ls_wdm_drop_field(&w, 0)));
    out->heater_mw = heater;
    out->tbps_per_fibre = w.n_ch * ls_config_real(c, "link.rate_gbps") / 1e3;
    out->tbps_per_mm = out->tbps_per_fibre * 1e3 / ls_config_real(c, "wdm.fibre_pitch_um");
    if (msg && cap)
        msg[0] = '\0';
    return LS_OK;
}

/*
 * The key registry, continued (channels/presets/keys.c holds the link's sections): the sections of the
 * energy model, the 802.3dj PMD classes and the multi-wavelength CPO lane group.
 */
#include <string.h>

#include "ls_presets.h"

/* power, module_power: the energy model (sim/energy.c, docs/energy.md). Energies are of a 5 nm class
   SerDes/DSP; [E] engineering estimates with their anchors in docs/energy.md. */
static const ls_param_def power_defs[] = {
    { "power.tx_pj_per_symbol", LS_P_REAL, "1.2", "pJ", 0, 1000, NULL, 0,
      "transmitter serializer, clocking and DAC per symbol (analog and clock: scales with the symbol rate)" },
    { "power.tx_vdd_v", LS_P_REAL, "1", "V", 0, 10, NULL, 0,
      "transmitter output-stage supply: current tx.swing_vpp / 50 ohm (CML into 100 ohm, back-terminated)" },
    { "power.ffe_tap_pj", LS_P_REAL, "0.08", "pJ", 0, 100, NULL, 0, "digital FFE, per tap per symbol (TX and RX)" },
    { "power.rx_pj_per_symbol", LS_P_REAL, "1.5", "pJ", 0, 1000, NULL, 0,
      "receiver termination, gain, track-and-hold and clocking per symbol" },
    { "power.ctle_pj_per_symbol", LS_P_REAL, "0.3", "pJ", 0, 100, NULL, 0, "CTLE per symbol (when ctle.form is not none)" },
    { "power.adc_fom_fj", LS_P_REAL, "50", "fJ/step", 0, 1e5, NULL, 0,
      "ADC Walden figure of merit P / (2^ENOB fs), fs = symbol rate; without an ADC the M-1 slicers count as a "
      "log2(M)-bit flash" },
    { "power.dfe_tap_pj", LS_P_REAL, "0.4", "pJ", 0, 100, NULL, 0,
      "DFE, per tap per symbol (loop-unrolled: M-1 speculative slicers per tap)" },
    { "power.cdr_pj_per_symbol", LS_P_REAL, "0.3", "pJ", 0, 100, NULL, 0,
      "clock and data recovery (phase detector, loop filter, phase interpolator) per symbol" },
    { "power.mlse_branch_pj", LS_P_REAL, "0.05", "pJ", 0, 100, NULL, 0,
      "MLSE: per trellis branch (M^2 per symbol on the 1+aD trellis) per symbol" },
    { "power.dsp_scale", LS_P_REAL, "1", "", 0, 100, NULL, 0,
      "module DSP / retimer energy per operation relative to the host SerDes (process node)" },
};

static const ls_param_def module_power_defs[] = {
    { "module.control_mw", LS_P_REAL, "200", "mW", 0, 10000, NULL, 0,
      "module or optical engine control per lane (microcontroller, monitors, bias and locking loops)" },
    { "module.dcdc_eff", LS_P_REAL, "0.85", "", 0.1, 1, NULL, 0,
      "efficiency of the module's DC-DC converters (module parts / power drawn from the host supply)" },
};

/* 802.3dj PMD classes (channels/presets/pmd_class.c, sim/pmd_class.c, docs/classes.md); each class
   preset overrides these with its draft values */
static const ls_param_def class_defs[] = {
    { "class.name", LS_P_STRING, "", "", 0, 0, NULL, 0, "IEEE PMD the preset stands for" },
    { "class.budget", LS_P_ENUM, "worst", "", 0, 0, "worst|typical", 0,
      "worst: TX at its TDECQ limit and OMA_min, fibre at the dispersion corner and IL_max, penalty allocation, "
      "receiver at its sensitivity; typical: the preset's devices and fibre" },
    { "class.reach_m", LS_P_REAL, "500", "m", 1, 1e5, NULL, 0, "class reach (draft); the link runs at this length" },
    { "class.lanes_nm", LS_P_LIST, "1311", "nm", 800, 1700, NULL, 8, "lane centre wavelengths (draft grid)" },
    { "class.lane_window_nm", LS_P_REAL, "6.5", "nm", 0, 50, NULL, 0, "half width of each lane's wavelength range" },
    { "class.lambda0_min_nm", LS_P_REAL, "1300", "nm", 1000, 1700, NULL, 0, "fibre zero-dispersion wavelength, lower corner" },
    { "class.lambda0_max_nm", LS_P_REAL, "1324", "nm", 1000, 1700, NULL, 0, "fibre zero-dispersion wavelength, upper corner" },
    { "class.il_max_db", LS_P_REAL, "3", "dB", 0, 30, NULL, 0, "maximum channel insertion loss (draft)" },
    { "class.penalty_db", LS_P_REAL, "0.1", "dB", 0, 10, NULL, 0,
      "MPI + DGD + reflection penalty allocation, applied as attenuation (draft)" },
    { "class.tdecq_db", LS_P_REAL, "3.4", "dB", 0, 10, NULL, 0, "TDECQ max: the worst-case TX is tuned to it (draft)" },
    { "class.oma_minus_tdecq_dbm", LS_P_REAL, "-1.2", "dBm", -20, 10, NULL, 0,
      "OMA_outer - TDECQ min: the worst-case TX launches OMA_min = this + its TDECQ (draft)" },
    { "class.srs_dbm", LS_P_REAL, "-0.9", "dBm", -30, 10, NULL, 0, "stressed receiver sensitivity, OMA_outer (draft)" },
    { "class.secq_db", LS_P_REAL, "3.4", "dB", 0, 10, NULL, 0,
      "SECQ of the stressed signal: the worst-case receiver meets its target at SRS with a signal of SECQ (draft)" },
    { "class.rx_calibrate", LS_P_BOOL, "true", "", 0, 0, NULL, 0,
      "worst case: bisect tia.noise_pa_rthz so the whole receiver meets class.target_ber at SRS with the SECQ test "
      "signal (false: TIA noise from the thermal-noise closed form at SRS - SECQ and class.srs_ber)" },
    { "class.srs_ber", LS_P_REAL, "2.4e-4", "", 1e-15, 0.1, NULL, 0,
      "BER at which the receiver sensitivity is specified (at the inner decoder input where the class has one) (draft)" },
    { "class.target_ber", LS_P_REAL, "2.4e-4", "", 1e-15, 0.1, NULL, 0,
      "BER target at the RS(544,514) input: after the inner code where the class has one (draft)" },
    { "class.tune_tx", LS_P_BOOL, "true", "", 0, 0, NULL, 0,
      "worst case: tune modulator.bw_ghz with the TDECQ engine until TDECQ = class.tdecq_db (false: keep it)" },
    { "class.resolved", LS_P_BOOL, "false", "", 0, 0, NULL, 0,
      "set by ls_class_resolve: the budget is applied, the keys are the resolved lane's (run it as it is)" },
    { "class.limiting", LS_P_BOOL, "true", "", 0, 0, NULL, 0,
      "find the limiting term (statistical margin with each term relaxed)" },
};

/* wdm: the multi-wavelength microring lane group of cpo-wdm (channels/presets/cpo_wdm.c, docs/cpo-wdm.md) */
static const ls_param_def wdm_defs[] = {
    { "wdm.channels", LS_P_INT, "8", "", 2, 16, NULL, 0, "wavelengths (lines) per fibre, one ring modulator each" },
    { "wdm.spacing_ghz", LS_P_REAL, "400", "GHz", 10, 5000, NULL, 0,
      "DWDM grid spacing (wdm.channels x spacing must stay below modulator.fsr_ghz)" },
    { "wdm.victim", LS_P_INT, "-1", "", -1, 15, NULL, 0,
      "the line simulated as the victim (0 = shortest frequency); -1 = the one with the most crosstalk" },
    { "wdm.source", LS_P_ENUM, "array", "", 0, 0, "array|comb", 0,
      "external laser source: laser array (equal lines) or comb (lines fall off to the edges)" },
    { "wdm.comb_rolloff_db", LS_P_REAL, "3", "dB", 0, 30, NULL, 0,
      "comb: the outermost lines this far below the centre (parabolic in dB across the grid)" },
    { "wdm.drop_q_loaded", LS_P_REAL, "3000", "", 100, 1e6, NULL, 0, "receive drop-filter ring: loaded Q" },
    { "wdm.drop_q_intrinsic", LS_P_REAL, "30000", "", 100, 1e7, NULL, 0,
      "receive drop-filter ring: intrinsic Q (undoped ring; drop loss (1 - Q_l/Q_i)^2)" },
    { "wdm.tuning_nm_per_mw", LS_P_REAL, "0.25", "nm/mW", 0.001, 100, NULL, 0, "heater tuning efficiency" },
    { "wdm.temp_range_k", LS_P_REAL, "40", "K", 0, 200, NULL, 0, "temperature range the heaters must track" },
    { "wdm.dlambda_dt_nm_k", LS_P_REAL, "0.06", "nm/K", 0, 1, NULL, 0,
      "resonance drift with temperature (silicon at 1.3 um: lambda (dn/dT) / n_g)" },
    { "wdm.spread_nm", LS_P_REAL, "1", "nm", 0, 50, NULL, 0, "fabrication spread of the ring resonances" },
    { "wdm.fibre_pitch_um", LS_P_REAL, "127", "um", 10, 10000, NULL, 0,
      "fibre pitch at the package edge (shoreline bandwidth density)" },
};

#define SECTION(name, defs) { name, defs, sizeof defs / sizeof defs[0] }
static const struct {
    const char *name;
    const ls_param_def *defs;
    size_t n;
} sections[] = {
    SECTION("class", class_defs), SECTION("wdm", wdm_defs), SECTION("power", power_defs),
    SECTION("module_power", module_power_defs),
};

const ls_param_def *lsi_section_defs_sim(const char *section, size_t *n)
{
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (!strcmp(sections[i].name, section)) {
            *n = sections[i].n;
            return sections[i].defs;
        }
    *n = 0;
    return NULL;
}

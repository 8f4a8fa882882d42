/*
 * The key registry: every `section.key` a preset can expose, with type, default, unit, range and
 * help. `lanesim presets` prints these tables; docs/cli.md documents them.
 */
#include <math.h>
#include <string.h>

#include "ls_presets.h"

#define PATTERNS "prbs7|prbs9|prbs11|prbs13|prbs15|prbs23|prbs31|prbs13q|prbs31q|ssprq|random"
#define FILTERS "none|butterworth|bessel|gaussian|rc"

static const ls_param_def link_defs[] = {
    { "link.rate_gbps", LS_P_REAL, "212.5", "Gb/s", 0.1, 2000, NULL, 0,
      "lane bit rate; the symbol rate is rate / log2(M)" },
    { "link.sps", LS_P_INT, "32", "samples/UI", 1, 128, NULL, 0,
      "samples per unit interval (8..128 when the link has filters or jitter)" },
    { "link.modulation", LS_P_ENUM, "pam4", "", 0, 0, "pam2|pam4|pam8", 0, "line code (Gray-mapped PAM-M)" },
};

static const ls_param_def tx_defs[] = {
    { "tx.pattern", LS_P_ENUM, "prbs31q", "", 0, 0, PATTERNS, 0,
      "data pattern: PRBS (ITU-T O.150 / IEEE 802.3 polynomials), SSPRQ (IEEE 802.3 cl. 120.5.11.2.3, PAM4) "
      "or uniform random symbols" },
    { "tx.precoding", LS_P_BOOL, "false", "", 0, 0, NULL, 0, "1/(1+D) mod M precoding (IEEE 802.3 cl. 120.5.7.2)" },
    { "tx.swing_vpp", LS_P_REAL, "0.8", "V", 0.01, 10, NULL, 0, "peak-to-peak differential output swing" },
    { "tx.rlm", LS_P_REAL, "1", "", 0.5, 1, NULL, 0, "level mismatch ratio (IEEE 802.3 cl. 120D.3.1.2)" },
    { "tx.ffe_pre", LS_P_LIST, "", "", -0.5, 0.5, NULL, 3,
      "pre-cursor taps c(-1),c(-2),c(-3), nearest first; c0 = 1 - sum|c|" },
    { "tx.ffe_post", LS_P_LIST, "", "", -0.5, 0.5, NULL, 4, "post-cursor taps c(1),c(2),..., nearest first" },
    { "tx.snr_db", LS_P_REAL, "inf", "dB", 0, INFINITY, NULL, 0,
      "TX SNR: white noise at the DAC output, power in 0..baud/2 = signal power / SNR" },
    { "tx.filter", LS_P_ENUM, "none", "", 0, 0, FILTERS, 0, "TX output low-pass response" },
    { "tx.bw_ghz", LS_P_REAL, "80", "GHz", 0, 1000, NULL, 0,
      "TX low-pass -3 dB bandwidth (0 = scaled with the symbol rate where the preset allows: 0.525 baud)" },
    { "tx.order", LS_P_INT, "4", "", 1, 8, NULL, 0, "TX low-pass order (Butterworth, Bessel)" },
    { "tx.model", LS_P_ENUM, "own", "", 0, 0, "own|ami", 0,
      "transmitter equalizer: lanesim's FFE (tx.ffe_*), or an IBIS-AMI model (tx.ami) in its place" },
    { "tx.ami", LS_P_STRING, "", "", 0, 0, NULL, 0, "IBIS-AMI transmitter: FILE.ibs or FILE.ibs:MODEL (tx.model=ami)" },
};

static const ls_param_def jitter_defs[] = {
    { "jitter.rj_ui", LS_P_REAL, "0", "UI rms", 0, 0.2, NULL, 0, "TX random jitter (Gaussian, per edge)" },
    { "jitter.dj_ui", LS_P_REAL, "0", "UI pp", 0, 0.9, NULL, 0, "TX dual-Dirac deterministic jitter (edges at +-DJ/2)" },
    { "jitter.sj_ui", LS_P_REAL, "0", "UI pp", 0, 0.9, NULL, 0, "TX sinusoidal jitter, peak-to-peak" },
    { "jitter.sj_mhz", LS_P_REAL, "10", "MHz", 0, 1e5, NULL, 0, "sinusoidal jitter frequency" },
    { "jitter.dcd_ui", LS_P_REAL, "0", "UI pp", 0, 0.9, NULL, 0, "duty-cycle distortion (even/odd edges +-DCD/2)" },
};

static const ls_param_def noise_defs[] = {
    { "noise.snr_db", LS_P_REAL, "inf", "dB", -20, INFINITY, NULL, 0,
      "slicer-referred AWGN: mean symbol power at the slicer / noise variance (Es/sigma^2)" },
};

static const ls_param_def rx_defs[] = {
    { "rx.filter", LS_P_ENUM, "none", "", 0, 0, FILTERS, 0, "RX input low-pass response" },
    { "rx.bw_ghz", LS_P_REAL, "80", "GHz", 0, 1000, NULL, 0,
      "RX low-pass -3 dB bandwidth (0 = scaled with the symbol rate where the preset allows: 0.58 baud)" },
    { "rx.eta0_v2_ghz", LS_P_REAL, "0", "V^2/GHz", 0, 1e-3, NULL, 0,
      "RX input-referred noise, one-sided PSD (COM eta0), added before the RX filters" },
    { "rx.order", LS_P_INT, "4", "", 1, 8, NULL, 0, "RX low-pass order (Butterworth, Bessel)" },
    { "rx.phase_ui", LS_P_REAL, "0", "UI", -0.5, 0.5, NULL, 0,
      "sampling phase offset from the pulse-response peak (ideal CDR)" },
    { "rx.model", LS_P_ENUM, "own", "", 0, 0, "own|ami", 0,
      "receiver equalizer: lanesim's CTLE/ADC/FFE/DFE, or an IBIS-AMI model (rx.ami) in their place" },
    { "rx.ami", LS_P_STRING, "", "", 0, 0, NULL, 0, "IBIS-AMI receiver: FILE.ibs or FILE.ibs:MODEL (rx.model=ami)" },
};

static const ls_param_def ami_defs[] = {
    { "ami.isolate", LS_P_ENUM, "auto", "", 0, 0, "auto|true|false", 0,
      "run IBIS-AMI models in a child process (a crash ends only it); auto: when stdout is not a terminal" },
    { "ami.tx_flow", LS_P_ENUM, "auto", "", 0, 0, "auto|init|getwave", 0,
      "TX model flow: Init-only (LTI fit of AMI_Init) or AMI_GetWave; auto: GetWave when GetWave_Exists" },
    { "ami.rx_flow", LS_P_ENUM, "auto", "", 0, 0, "auto|init|getwave", 0, "RX model flow (as ami.tx_flow)" },
    { "ami.rx_dfe", LS_P_BOOL, "false", "", 0, 0, NULL, 0,
      "keep lanesim's DFE (dfe.*) after the AMI receiver (for models without a DFE of their own)" },
    { "ami.rx_clock", LS_P_BOOL, "true", "", 0, 0, NULL, 0,
      "sample at the GetWave RX model's clock times (+ UI/2, IBIS; not with ami.rx_dfe); false: lanesim's CDR "
      "(cdr.*) decides" },
    { "ami.tx.*", LS_P_STRING, "", "", 0, 0, NULL, 0,
      "TX model parameters: -s ami.tx.NAME=VALUE (NAME: the parameter's path in the .ami file, e.g. c_post1)" },
    { "ami.rx.*", LS_P_STRING, "", "", 0, 0, NULL, 0,
      "RX model parameters: -s ami.rx.NAME=VALUE (NAME: the parameter's path, e.g. ctle.peak_db)" },
};

static const ls_param_def link_length_defs[] = {
    { "link.length_m", LS_P_REAL, "1", "m", 0, 1e5, NULL, 0, "cable or fibre length" },
};

static const ls_param_def channel_defs[] = {
    { "channel.type", LS_P_ENUM, "cable", "", 0, 0, "cable|touchstone", 0,
      "cable: analytic twinax of link.length_m; touchstone: the measured channel in channel.touchstone" },
    { "channel.touchstone", LS_P_STRING, "", "", 0, 0, NULL, 0, "Touchstone file (.sNp, v1 or v2)" },
    { "channel.ports", LS_P_LIST, "", "", 1, 64, NULL, 4,
      "port map in+,in-,out+,out- (1-based); empty = from the low-frequency through paths" },
    { "cable.awg", LS_P_ENUM, "26", "AWG", 0, 0, "26|28|30|34", 0, "twinax conductor gauge" },
};

static const ls_param_def xtalk_defs[] = {
    { "xtalk.fext", LS_P_STRING, "", "", 0, 0, NULL, 0,
      "FEXT aggressors: comma-separated Touchstone files of the aggressor-to-victim path (SDD21)" },
    { "xtalk.next", LS_P_STRING, "", "", 0, 0, NULL, 0,
      "NEXT aggressors: comma-separated Touchstone files of the aggressor-to-victim path (SDD21)" },
    { "xtalk.ports", LS_P_LIST, "", "", 1, 64, NULL, 4,
      "port map of the crosstalk files, aggressor in+,in-, victim out+,out- (1-based); empty = auto" },
    { "xtalk.fext_db", LS_P_REAL, "0", "dB", 0, 200, NULL, 0,
      "analytic FEXT: coupling loss at the Nyquist frequency, |H| ~ f |H_channel| (0 = none)" },
    { "xtalk.next_db", LS_P_REAL, "0", "dB", 0, 200, NULL, 0,
      "analytic NEXT: coupling loss at the Nyquist frequency, |H| ~ f^0.75 (0 = none)" },
    { "xtalk.fext_count", LS_P_INT, "1", "", 1, 8, NULL, 0, "number of analytic FEXT aggressors (independent data)" },
    { "xtalk.next_count", LS_P_INT, "1", "", 1, 8, NULL, 0, "number of analytic NEXT aggressors (independent data)" },
    { "xtalk.fext_vpp", LS_P_REAL, "0.826", "V", 0.01, 10, NULL, 0,
      "FEXT aggressor peak-to-peak swing (COM 2 A_fe, 802.3dj)" },
    { "xtalk.next_vpp", LS_P_REAL, "0.9", "V", 0.01, 10, NULL, 0,
      "NEXT aggressor peak-to-peak swing (COM 2 A_ne, 802.3dj)" },
    { "xtalk.tx_jitter", LS_P_BOOL, "false", "", 0, 0, NULL, 0,
      "aggressors with the victim's TX jitter (jitter.*), each from its own streams (false: none, second order)" },
    { "xtalk.snr_db", LS_P_REAL, "inf", "dB", 0, INFINITY, NULL, 0,
      "aggressors' TX SNR as tx.snr_db, each from its own stream (inf: no aggressor TX noise)" },
};

static const ls_param_def host_defs[] = {
    { "host.pcb_mm", LS_P_REAL, "60", "mm", 0, 2000, NULL, 0, "host PCB trace on each side (low-loss stripline)" },
    { "host.connector_ff", LS_P_REAL, "10", "fF", 0, 2000, NULL, 0,
      "connector excess shunt capacitance on each side (differential; 10 fF: a compensated connector, "
      "RL about 20 dB at 26.6 GHz)" },
    { "host.loss_db", LS_P_REAL, "0", "dB", 0, 60, NULL, 0,
      "lpo/cpo host channel insertion loss at host.loss_ghz, die to module connector (package + host PCB + "
      "connector); the host PCB length is solved for it (0 = host.pcb_mm sets the trace; docs/lpo.md)" },
    { "host.loss_ghz", LS_P_REAL, "53.125", "GHz", 0, 500, NULL, 0,
      "frequency of host.loss_db (53.125: the Nyquist frequency of 212.5 Gb/s PAM4, so the board is the same "
      "at every lane rate; 0 = baud/2 of the link)" },
    { "host.paddle_mm", LS_P_REAL, "12", "mm", 0, 200, NULL, 0, "cable paddle card trace on each side" },
    { "package.enable", LS_P_BOOL, "true", "", 0, 0, NULL, 0,
      "IEEE 802.3 COM package model (802.3dj Clause 178 values) at TX and RX" },
    { "package.zp_mm", LS_P_REAL, "12", "mm", 0, 200, NULL, 0,
      "package transmission-line length (COM z_p; 12 mm: the 802.3ck short-package case, 33 mm: 802.3dj KR)" },
};

static const ls_param_def ctle_defs[] = {
    { "ctle.form", LS_P_ENUM, "com", "", 0, 0, "com|peaking|none", 0,
      "CTLE: IEEE 802.3 COM form (g_DC, g_DC2, f_z, f_p1, f_p2, f_LF) or peak frequency and peaking" },
    { "ctle.auto", LS_P_BOOL, "true", "", 0, 0, NULL, 0,
      "choose g_DC in 0..-15 dB (1 dB steps) maximizing the equalized SNR, as COM does" },
    { "ctle.gdc_db", LS_P_REAL, "-6", "dB", -30, 0, NULL, 0, "COM g_DC (when ctle.auto is false)" },
    { "ctle.gdc2_db", LS_P_REAL, "0", "dB", -30, 0, NULL, 0, "COM g_DC2 (low-frequency shelf)" },
    { "ctle.fz_ghz", LS_P_REAL, "0", "GHz", 0, 1000, NULL, 0, "COM zero (0 = 0.4 baud)" },
    { "ctle.fp1_ghz", LS_P_REAL, "0", "GHz", 0, 1000, NULL, 0, "COM first pole (0 = 0.4 baud)" },
    { "ctle.fp2_ghz", LS_P_REAL, "0", "GHz", 0, 1000, NULL, 0, "COM second pole (0 = baud)" },
    { "ctle.flf_ghz", LS_P_REAL, "0", "GHz", 0, 1000, NULL, 0, "COM low-frequency pole/zero (0 = baud/80)" },
    { "ctle.peak_db", LS_P_REAL, "6", "dB", 0, 30, NULL, 0, "peaking form: peaking relative to DC" },
    { "ctle.fpk_ghz", LS_P_REAL, "0", "GHz", 0, 1000, NULL, 0, "peaking form: peak frequency (0 = baud/2)" },
};

static const ls_param_def driver_defs[] = {
    { "driver.gain_db", LS_P_REAL, "0", "dB", 0, 40, NULL, 0,
      "linear driver gain (0 = the gain that maps the host TX swing onto modulator.vpp_v)" },
    { "driver.ctle_db", LS_P_REAL, "-1", "dB", -1, 30, NULL, 0,
      "lpo/cpo linear driver input CTLE: peaking at baud/2 (one zero, double pole; 0 = none, -1 = the host "
      "channel's loss at baud/2 less its DC loss; docs/lpo.md)" },
    { "driver.vsat_v", LS_P_REAL, "3", "V", 0.05, 10, NULL, 0, "driver output saturation (tanh)" },
    { "driver.noise_v_rthz", LS_P_REAL, "4e-9", "V/rtHz", 0, 1e-6, NULL, 0, "driver output-referred noise density" },
    { "driver.bw_ghz", LS_P_REAL, "0", "GHz", 0, 1000, NULL, 0, "driver bandwidth, 4th-order Bessel (0 = 0.7 baud)" },
    { "driver.power_mw", LS_P_REAL, "0", "mW", 0, 5000, NULL, 0,
      "driver supply power per lane (0 = modelled: driver.vdd_v x (output-stage current + gain stages), "
      "docs/energy.md)" },
    { "driver.vdd_v", LS_P_REAL, "3.3", "V", 0.5, 10, NULL, 0, "driver supply voltage (SiGe linear driver)" },
    { "driver.load_ohm", LS_P_REAL, "50", "ohm", 1, 1e4, NULL, 0,
      "EML / MZM termination, back-terminated in the driver: output current swing 2 Vpp / R" },
    { "driver.load_ff", LS_P_REAL, "100", "fF", 0, 1e5, NULL, 0,
      "ring: unterminated capacitive load (junction and pads), charged (M+1)/(3M) C Vpp per symbol" },
    { "driver.bias_ratio", LS_P_REAL, "1.6", "", 1, 10, NULL, 0,
      "class-A output stage: tail current / output current swing (linearity headroom)" },
    { "driver.mw_per_ghz", LS_P_REAL, "3", "mW/GHz", 0, 1000, NULL, 0,
      "gain and equalizer stages before the output stage, per GHz of driver bandwidth" },
};

static const ls_param_def laser_defs[] = {
    { "laser.power_dbm", LS_P_REAL, "7", "dBm", -20, 25, NULL, 0,
      "CW optical power into the modulator (after laser.coupling_db)" },
    { "laser.rin_db_hz", LS_P_REAL, "-150", "dB/Hz", -200, -100, NULL, 0, "relative intensity noise (one-sided)" },
    { "laser.rin", LS_P_BOOL, "true", "", 0, 0, NULL, 0,
      "laser relative intensity noise on (false: none, for comparisons with closed forms)" },
    { "laser.linewidth_mhz", LS_P_REAL, "1", "MHz", 0, 1e4, NULL, 0, "laser linewidth (phase noise)" },
    { "laser.wavelength_nm", LS_P_REAL, "1311", "nm", 800, 1700, NULL, 0, "carrier wavelength" },
    { "laser.wpe", LS_P_REAL, "0.2", "", 0.001, 1, NULL, 0, "wall-plug efficiency (electrical power = optical / wpe)" },
    { "laser.coupling_db", LS_P_REAL, "0", "dB", 0, 20, NULL, 0,
      "coupling loss from the laser to the modulator (external laser source of CPO): the laser emits "
      "laser.power_dbm + coupling_db" },
    { "laser.tec_mw", LS_P_REAL, "0", "mW", 0, 10000, NULL, 0,
      "thermo-electric cooler power per lane (0 = uncooled)" },
};

static const ls_param_def modulator_defs[] = {
    { "modulator.type", LS_P_ENUM, "eml", "", 0, 0, "eml|mzm|ring|dml|vcsel", 0,
      "EML (electro-absorption), Mach-Zehnder (push-pull), microring (all-pass, CPO), directly modulated laser "
      "(modulator.fr_ghz ...; laser.power_dbm at bias) or VCSEL (vcsel.*, preset 200g-sr)" },
    { "modulator.fr_ghz", LS_P_REAL, "30", "GHz", 1, 500, NULL, 0,
      "DML: relaxation-oscillation frequency f_r of H(f) = f_r^2 / (f_r^2 - f^2 + j f gamma / 2 pi) [E]" },
    { "modulator.gamma_per_ns", LS_P_REAL, "230", "1/ns", 1, 1e5, NULL, 0,
      "DML: damping rate gamma (230: damping ratio gamma / (4 pi f_r) = 0.6 at 30 GHz) [E]" },
    { "modulator.kappa", LS_P_REAL, "4e12", "1/(W s)", 0, 1e16, NULL, 0,
      "DML: adiabatic chirp constant kappa (frequency alpha kappa / 4 pi per W; 4e12: about 1 GHz/mW) [E]" },
    { "modulator.slope_w_a", LS_P_REAL, "0.3", "W/A", 0.001, 10, NULL, 0, "DML: slope efficiency [E]" },
    { "modulator.ma_per_v", LS_P_REAL, "8", "mA/V", 0.01, 1000, NULL, 0,
      "DML: drive transconductance (8: 16 mA pp at modulator.vpp_v = 2, ER about 4.5 dB at 7 dBm and 0.3 W/A) [E]" },
    { "modulator.rollover_ma", LS_P_REAL, "0", "mA", 0, 1000, NULL, 0,
      "DML: thermal rollover, current above threshold at the L-I peak (0 = linear L-I)" },
    { "modulator.q_loaded", LS_P_REAL, "3000", "", 100, 1e6, NULL, 0,
      "ring: loaded Q (photon-lifetime bandwidth nu0 / Q_l; 3000: about 76 GHz at 1311 nm)" },
    { "modulator.detune_ghz_per_v", LS_P_REAL, "8", "GHz/V", 0.01, 1000, NULL, 0, "ring: resonance shift per drive volt" },
    { "modulator.bias_detune_ghz", LS_P_REAL, "20", "GHz", -1000, 1000, NULL, 0,
      "ring: laser minus resonance at zero drive (positive: more drive, more light)" },
    { "modulator.er_db", LS_P_REAL, "5.2", "dB", 0.1, 30, NULL, 0, "EML extinction ratio over modulator.vpp_v" },
    { "modulator.vpp_v", LS_P_REAL, "2", "V", 0.1, 10, NULL, 0,
      "drive swing (EML: the ER's reference; MZM: V_pi unless modulator.vpi_v is set)" },
    { "modulator.vpi_v", LS_P_REAL, "0", "V", 0, 20, NULL, 0, "MZM half-wave voltage (0 = modulator.vpp_v)" },
    { "modulator.bias_vpi", LS_P_REAL, "0.5", "V_pi", -2, 2, NULL, 0,
      "MZM operating point: bias / V_pi (0.5 = quadrature on the falling slope, more drive less light; "
      "-0.5 = quadrature on the rising slope; 0 = peak)" },
    { "modulator.alpha", LS_P_REAL, "0.5", "", -10, 10, NULL, 0,
      "chirp (linewidth enhancement) factor of the EML and of the DML (transient chirp)" },
    { "modulator.il_db", LS_P_REAL, "3", "dB", 0, 20, NULL, 0, "insertion loss" },
    { "modulator.heater_mw", LS_P_REAL, "20", "mW", 0, 1000, NULL, 0, "ring: thermal tuning heater power" },
    { "modulator.fsr_ghz", LS_P_REAL, "2000", "GHz", 10, 1e5, NULL, 0,
      "ring: free spectral range c / (n_g L) (2000 GHz: L = 36 um at n_g = 4.2)" },
    { "modulator.bw_ghz", LS_P_REAL, "0", "GHz", 0, 1000, NULL, 0, "modulator bandwidth, 2nd-order Butterworth (0 = 0.75 baud)" },
};

static const ls_param_def fibre_defs[] = {
    { "fibre.lambda0_nm", LS_P_REAL, "1310", "nm", 1000, 1700, NULL, 0, "zero-dispersion wavelength (G.652: 1300..1324)" },
    { "fibre.s0_ps_nm2_km", LS_P_REAL, "0.093", "ps/nm^2/km", 0, 1, NULL, 0, "zero-dispersion slope" },
    { "fibre.atten_db_km", LS_P_REAL, "0.5", "dB/km", 0, 100, NULL, 0, "attenuation (TIA-568 OSP maximum at 1310 nm)" },
    { "fibre.connectors", LS_P_INT, "2", "", 0, 100, NULL, 0, "connections at 0.75 dB each (TIA-568 maximum)" },
    { "fibre.penalty_db", LS_P_REAL, "0", "dB", 0, 10, NULL, 0,
      "penalty allocation (MPI, DGD, reflections) applied as attenuation" },
    { "fibre.mpi_db", LS_P_REAL, "-inf", "dB", -INFINITY, 0, NULL, 0,
      "MPI: power of one doubly reflected echo relative to the signal (reflectance product minus twice the loss "
      "between the reflectors); -inf or <= -100 = none" },
    { "fibre.mpi_reflections", LS_P_INT, "1", "", 1, 100, NULL, 0,
      "MPI: reflector pairs; their echo powers add (incoherent sum) into one echo of fibre.mpi_db + 10 log10(N)" },
    { "fibre.mpi_delay_ps", LS_P_REAL, "500", "ps", 0, 1e6, NULL, 0,
      "MPI: echo delay (round trip between the reflectors; 500 ps = 5 cm of fibre) [E]" },
    { "fibre.mpi_phase_rad", LS_P_REAL, "3.14159265358979", "rad", -100, 100, NULL, 0,
      "MPI phase model: the echo's optical phase, fixed (the echo is coherent, LTI); pi = antiphase at DC, the "
      "eye-closing case; sweep it for the worst case" },
};

/* mmf: the multimode fibre of the 200g-sr preset (channels/optical/mmf.c, docs/optics_rx.md) */
static const ls_param_def mmf_defs[] = {
    { "mmf.emb_mhz_km", LS_P_REAL, "4700", "MHz km", 1, 1e7, NULL, 0,
      "effective modal bandwidth at the laser wavelength, -3 dB optical (OM4: 4700 at 850 nm, TIA-492AAAD; "
      "OM3 2000; OM5 2470 at 953 nm)" },
    { "mmf.lambda0_nm", LS_P_REAL, "1316", "nm", 1000, 1700, NULL, 0,
      "zero-dispersion wavelength (802.3 MMF cabling: 1295..1340 nm) [M]" },
    { "mmf.s0_ps_nm2_km", LS_P_REAL, "0.1", "ps/nm^2/km", 0, 1, NULL, 0,
      "zero-dispersion slope (802.3 MMF cabling: <= 0.105) [M]" },
    { "mmf.atten_db_km", LS_P_REAL, "3", "dB/km", 0, 100, NULL, 0, "attenuation (TIA-568 cabled MMF at 850 nm)" },
    { "mmf.source_rms_nm", LS_P_REAL, "0.15", "nm", 0, 10, NULL, 0,
      "source rms spectral width: chromatic spread |D| L width and mode partition noise [E]" },
    { "mmf.mpn_k", LS_P_REAL, "0.3", "", 0, 1, NULL, 0,
      "mode-partition coefficient k of sigma_mpn = k/sqrt2 (1 - exp(-(pi B L D width)^2)) (Ogawa) [E]" },
};

/* vcsel: the VCSEL of modulator.type=vcsel (channels/optical/vcsel.c, docs/optics_tx.md "VCSEL") */
static const ls_param_def vcsel_defs[] = {
    { "vcsel.ith_ma", LS_P_REAL, "0.5", "mA", 0, 100, NULL, 0, "threshold current [E]" },
    { "vcsel.ibias_ma", LS_P_REAL, "6", "mA", 0.01, 1000, NULL, 0, "bias current (> vcsel.ith_ma) [E]" },
    { "vcsel.d_ghz_rtma", LS_P_REAL, "15", "GHz/rtmA", 0.001, 1000, NULL, 0,
      "D-factor: f_r = D sqrt(I_bias - I_th) [E]" },
    { "vcsel.k_ns", LS_P_REAL, "0.15", "ns", 0, 100, NULL, 0, "K-factor: damping gamma = K f_r^2 + gamma_0 [E]" },
    { "vcsel.gamma0_per_ns", LS_P_REAL, "10", "1/ns", 0, 1e5, NULL, 0, "damping offset gamma_0 [E]" },
    { "vcsel.slope_w_a", LS_P_REAL, "0.6", "W/A", 0.001, 10, NULL, 0, "slope efficiency at threshold [E]" },
    { "vcsel.rollover_ma", LS_P_REAL, "30", "mA", 0, 1e4, NULL, 0,
      "thermal rollover: current above threshold at the L-I peak (0 = linear; else > I_bias - I_th) [E]" },
    { "vcsel.ma_per_v", LS_P_REAL, "5", "mA/V", 0.01, 1000, NULL, 0,
      "drive transconductance: modulation current pp = ma_per_v x modulator.vpp_v [E]" },
    { "vcsel.alpha", LS_P_REAL, "3", "", -10, 10, NULL, 0,
      "linewidth enhancement factor [E] (200g-sr sets 0: its multimode fibre filters the field, docs/optics_rx.md)" },
    { "vcsel.kappa", LS_P_REAL, "2e13", "1/(W s)", 0, 1e16, NULL, 0, "adiabatic chirp constant [E]" },
};

static const ls_param_def pd_defs[] = {
    { "pd.responsivity_a_w", LS_P_REAL, "0.7", "A/W", 0.01, 2, NULL, 0, "photodiode responsivity" },
    { "pd.shot_noise", LS_P_BOOL, "true", "", 0, 0, NULL, 0, "photodiode shot noise on (false: none)" },
    { "pd.bw_ghz", LS_P_REAL, "0", "GHz", 0, 1000, NULL, 0, "photodiode bandwidth, 1st order (0 = 0.75 baud)" },
    { "pd.apd_gain", LS_P_REAL, "1", "", 1, 1000, NULL, 0,
      "avalanche gain M (1 = PIN); shot noise 2 q M^2 F(M) (R P + I_d), F = k_A M + (1 - k_A)(2 - 1/M)" },
    { "pd.apd_k", LS_P_REAL, "0.1", "", 0, 1, NULL, 0,
      "APD ionization-coefficient ratio k_A (McIntyre; Ge/Si about 0.1) [E]" },
    { "pd.dark_na", LS_P_REAL, "0", "nA", 0, 1e6, NULL, 0, "primary dark current (multiplied by M)" },
    { "tia.zt_ohm", LS_P_REAL, "700", "ohm", 1, 1e6, NULL, 0, "TIA transimpedance" },
    { "tia.noise_pa_rthz", LS_P_REAL, "15", "pA/rtHz", 0, 1e4, NULL, 0, "TIA input-referred noise density" },
    { "tia.thermal_noise", LS_P_BOOL, "true", "", 0, 0, NULL, 0,
      "TIA input-referred (thermal) noise on (false: none, whatever tia.noise_pa_rthz)" },
    { "tia.bw_ghz", LS_P_REAL, "0", "GHz", 0, 1000, NULL, 0, "TIA bandwidth, 2nd-order Butterworth (0 = 0.6 baud)" },
    { "tia.power_mw", LS_P_REAL, "0", "mW", 0, 5000, NULL, 0,
      "TIA supply power per lane (0 = modelled: tia.mw_per_ghz x TIA bandwidth)" },
    { "tia.mw_per_ghz", LS_P_REAL, "6.6", "mW/GHz", 0, 1000, NULL, 0,
      "linear TIA (input stage, AGC, output buffer) power per GHz of bandwidth" },
};

static const ls_param_def segment_defs[] = {
    { "run.segment", LS_P_INT, "-1", "", -1, 7, NULL, 0,
      "retimed links: -1 = every segment (bit errors add), or one segment alone (0 = host to module, "
      "1 = optical, 2 = module to host)" },
    { "link.inner_fec", LS_P_BOOL, "false", "", 0, 0, NULL, 0,
      "optical segment with the 802.3dj inner code: Hamming(128,120) over RS(544,514) at 113.4375/106.25 the rate, "
      "decoded in the Monte Carlo (docs/fec.md)" },
    { "link.inner_fec_decoder", LS_P_ENUM, "hard", "", 0, 0, "hard|chase", 0,
      "inner decoder: hard decision (syndrome) or Chase-2 soft decision" },
    { "link.inner_fec_chase_l", LS_P_INT, "4", "", 1, 8, NULL, 0, "Chase-2: least reliable symbols tried (2^L patterns)" },
    { "module.pcb_mm", LS_P_REAL, "20", "mm", 0, 500, NULL, 0, "module PCB trace between the connector and the DSP" },
};

static const ls_param_def flat_defs[] = {
    { "flat.loss_db_per_m", LS_P_REAL, "2", "dB/m", 0, 1000, NULL, 0, "frequency-flat attenuation per metre" },
};

static const ls_param_def adc_defs[] = {
    { "adc.enable", LS_P_BOOL, "false", "", 0, 0, NULL, 0, "ADC in the receive path (DSP-based receivers)" },
    { "adc.bits", LS_P_INT, "7", "bits", 2, 16, NULL, 0, "ADC resolution" },
    { "adc.enob", LS_P_REAL, "6", "bits", 1, 16, NULL, 0, "effective bits (extra noise to this SINAD)" },
    { "adc.fs_v", LS_P_REAL, "0", "V pp", 0, 10, NULL, 0,
      "full scale peak-to-peak (0 = AGC: +-5 x the rms of signal plus noise at the ADC input)" },
};

static const ls_param_def ffe_defs[] = {
    { "ffe.taps", LS_P_INT, "1", "", 1, 64, NULL, 0, "RX FFE taps (symbol-spaced)" },
    { "ffe.pre", LS_P_INT, "0", "", 0, 63, NULL, 0, "RX FFE pre-cursor taps (< ffe.taps)" },
    { "ffe.mode", LS_P_ENUM, "mmse", "", 0, 0, "mmse|fixed", 0,
      "mmse: solved from the pulse response and noise; fixed: ffe.coeffs" },
    { "ffe.coeffs", LS_P_LIST, "", "", -10, 10, NULL, 64, "fixed FFE taps in time order (ffe.mode=fixed)" },
    { "ffe.adapt", LS_P_ENUM, "none", "", 0, 0, "none|lms|sign-sign", 0, "time-domain adaptation of FFE and DFE" },
    { "ffe.mu", LS_P_REAL, "1e-4", "", 0, 0.1, NULL, 0, "adaptation step" },
    { "ffe.level_mu", LS_P_REAL, "0", "", 0, 0.1, NULL, 0,
      "adaptive slicer reference levels and thresholds (LMS step; 0 = levels from the pulse response)" },
};

static const ls_param_def dfe_defs[] = {
    { "dfe.taps", LS_P_INT, "0", "", 0, 8, NULL, 0, "DFE taps" },
    { "dfe.limit", LS_P_LIST, "", "", 0, 10, NULL, 8,
      "|b_j| limits relative to the main cursor, one per tap (COM b_max); empty = none" },
};

/* mlse: the 1+alpha D Viterbi detector (phy/mlse.c, docs/receiver.md "MLSE") */
static const ls_param_def mlse_defs[] = {
    { "mlse.enable", LS_P_BOOL, "false", "", 0, 0, NULL, 0,
      "MLSE (Viterbi) detector on the 1 + alpha D target instead of DFE + slicer (needs dfe.taps=0)" },
    { "mlse.alpha", LS_P_REAL, "0.5", "", 0, 1, NULL, 0,
      "partial-response post-cursor / main cursor the FFE equalizes to" },
    { "mlse.depth", LS_P_INT, "64", "symbols", 8, 256, NULL, 0, "traceback depth = extra decision delay" },
};

static const ls_param_def cdr_defs[] = {
    { "cdr.type", LS_P_ENUM, "ideal", "", 0, 0, "ideal|mm|bangbang", 0,
      "ideal: fixed phase at the pulse peak; mm: baud-rate Mueller-Muller; bangbang: Alexander (edge samples)" },
    { "cdr.bw_mhz", LS_P_REAL, "10", "MHz", 0.001, 1e5, NULL, 0, "CDR loop bandwidth" },
    { "cdr.zeta", LS_P_REAL, "0.707", "", 0.1, 10, NULL, 0, "CDR loop damping" },
    { "cdr.init_ui", LS_P_REAL, "0", "UI", -1, 1, NULL, 0, "initial phase offset (lock-in tests)" },
};

static const ls_param_def slicer_defs[] = {
    { "slicer.thresholds_v", LS_P_LIST, "", "V", -10, 10, NULL, 7,
      "explicit decision thresholds, increasing; empty = midpoints of the expected levels" },
};

static const ls_param_def eye_defs[] = {
    { "eye.bins", LS_P_INT, "256", "", 16, 4096, NULL, 0, "vertical bins of the 2-UI eye histogram" },
    { "eye.target_ber", LS_P_REAL, "2.4e-4", "", 1e-15, 1e-2, NULL, 0,
      "BER at which both eyes (Monte Carlo and statistical) give height and width (docs/eye.md); "
      "default the KP4 pre-FEC target" },
    { "eye.at", LS_P_ENUM, "slicer", "", 0, 0, "slicer|input", 0,
      "Monte Carlo eye: slicer (equalized, after ADC, FFE and DFE) or input (the receiver input)" },
    { "eye.mc", LS_P_BOOL, "true", "", 0, 0, NULL, 0,
      "measure the Monte Carlo eye (per-sample output); false lets run.engine = auto take the symbol-rate "
      "engine (docs/engines.md)" },
};

static const ls_param_def run_defs[] = {
    { "run.symbols", LS_P_INT, "1e6", "symbols", 1, 1e13, NULL, 0, "symbols to simulate (the cap)" },
    { "run.max_errors", LS_P_INT, "0", "bits", 0, 1e12, NULL, 0,
      "stop after the frame in which this many bit errors are reached (0 = no limit)" },
    { "run.decide_ber", LS_P_REAL, "0", "", 0, 0.5, NULL, 0,
      "stop after the frame at which the BER's 95 % interval lies wholly above or below this BER (0 = off; "
      "the reach's Monte Carlo check sets it)" },
    { "run.seed", LS_P_INT, "1", "", 0, 9007199254740991.0, NULL, 0, "seed of every random stream" },
    { "run.threads", LS_P_INT, "1", "", 0, 256, NULL, 0, "worker threads (0 = all cores); results do not depend on it" },
    { "run.frame_symbols", LS_P_INT, "130560", "symbols", 5440, 1e9, NULL, 0,
      "symbols per independent frame (a multiple of 5440 so frames hold whole RS(544,514) codewords)" },
    { "run.chunk_symbols", LS_P_INT, "4096", "symbols", 1, 1048576, NULL, 0,
      "symbols per processing chunk; results do not depend on it" },
    { "run.warmup_symbols", LS_P_INT, "0", "symbols", 0, 1e7, NULL, 0,
      "symbols simulated before each frame's counted part (0 = from the link's memory)" },
    { "run.noise_rate", LS_P_ENUM, "auto", "", 0, 0, "auto|full", 0,
      "the sample path's TX and receiver noise: full draws it on every sample; auto on every d-th sample only "
      "(sqrt(d) times larger), d the largest the link's response from the source to the sampler allows within "
      "1e-4 of the noise's variance at every lag (a linear link; docs/engines.md)" },
    { "run.engine", LS_P_ENUM, "auto", "", 0, 0, "auto|sample|symbol|pattern", 0,
      "sample: every sample through every stage; symbol: the symbol-rate engine of a linear link (no Monte Carlo "
      "eye; docs/engines.md); pattern: the pattern engine of a non-linear (optical) link, an approximation (no "
      "eye; its measured error in docs/engines.md); auto: symbol when the link is linear and eye.mc = false (no "
      "per-sample output), else sample" },
};


#define SECTION(name, defs) { name, defs, sizeof defs / sizeof defs[0] }
static const struct {
    const char *name;
    const ls_param_def *defs;
    size_t n;
} sections[] = {
    SECTION("link", link_defs),   SECTION("tx", tx_defs),         SECTION("jitter", jitter_defs),
    SECTION("noise", noise_defs), SECTION("rx", rx_defs),         SECTION("slicer", slicer_defs),
    SECTION("eye", eye_defs),     SECTION("run", run_defs),       SECTION("adc", adc_defs),
    SECTION("ffe", ffe_defs),     SECTION("dfe", dfe_defs),       SECTION("cdr", cdr_defs),
    SECTION("mlse", mlse_defs),   SECTION("ami", ami_defs),
    SECTION("link_length", link_length_defs), SECTION("channel", channel_defs), SECTION("ctle", ctle_defs),
    SECTION("host", host_defs), SECTION("driver", driver_defs), SECTION("laser", laser_defs),
    SECTION("segment", segment_defs), SECTION("flat", flat_defs),
    SECTION("modulator", modulator_defs), SECTION("fibre", fibre_defs), SECTION("pd", pd_defs),
    SECTION("mmf", mmf_defs), SECTION("vcsel", vcsel_defs),
    SECTION("xtalk", xtalk_defs),
};

const ls_param_def *lsi_section_defs(const char *section, size_t *n)
{
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (!strcmp(sections[i].name, section)) {
            *n = sections[i].n;
            return sections[i].defs;
        }
    return lsi_section_defs_sim(section, n);
}

# The source list of every layer, named file by file: a new file gets its layer on purpose, and a move
# shows in review. Layers (docs/architecture.md; scripts/layers checks the arrows on the built objects):
#   cli -> sim -> channels/presets -> channels/copper, channels/optical -> phy -> phy/core;  cli -> plots

# phy/core: status, allocation, RNG, statistics, FFT engines, blocks and their fusion
set(LS_CORE_SOURCES
  phy/core/alloc.c
  phy/core/block.c
  phy/core/cfft.c
  phy/core/dfft.c
  phy/core/fft.c
  phy/core/fftfilt.c
  phy/core/fir2.c
  phy/core/fir_window.c
  phy/core/fuse.c
  phy/core/link_spec.c
  phy/core/rng.c
  phy/core/stats.c
  phy/core/status.c
)

# phy: generic machinery (TX, RX, filters, measurement, the key store, the link engine); names no preset
set(LS_PHY_SOURCES
  phy/ami_block.c
  phy/ami_exec.c
  phy/ami_fit.c
  phy/ami_ibs.c
  phy/ami_isolate.c
  phy/ami_params.c
  phy/ami_tree.c
  phy/ami_xtalk.c
  phy/ber.c
  phy/config.c
  phy/ctle.c
  phy/eqsolve.c
  phy/eye.c
  phy/fec.c
  phy/fec_inner.c
  phy/filter.c
  phy/mlse.c
  phy/noise.c
  phy/pam.c
  phy/prbs.c
  phy/rx.c
  phy/rx_setup.c
  phy/rx_eye.c
  phy/ssprq.c
  phy/tdecq.c
  phy/tdecq_eq.c
  phy/tx.c
  phy/xtalk.c
  phy/xtalk_path.c
)
set(LS_PHY_LINK_SOURCES
  phy/link/link.c
  phy/link/link_eq.c
  phy/link/link_frame.c
  phy/link/link_noise.c
  phy/link/link_nstride.c
  phy/link/link_probe.c
  phy/link/link_pulse.c
  phy/link/link_ssm.c
  phy/link/link_stages.c
  phy/link/link_stat.c
  phy/link/link_plut.c
  phy/link/link_pattern.c
  phy/link/link_pattern_run.c
  phy/link/link_pattern_train.c
  phy/link/link_symbol.c
  phy/link/link_symbol_noise.c
  phy/link/link_symbol_tail.c
  phy/link/link_symbol_xtalk.c
  phy/link/link_symbol_xtfft.c
  phy/link/link_trace.c
)
set(LS_PHY_STATEYE_SOURCES
  phy/stateye/stateye.c
  phy/stateye/stateye_dfe.c
  phy/stateye/stateye_grid.c
  phy/stateye/stateye_jitter.c
  phy/stateye/stateye_tail.c
)

# channels/copper: electrical channel models (RLGC lines, cascades, Touchstone); read no key
set(LS_COPPER_SOURCES
  channels/copper/cascade.c
  channels/copper/cascade_block.c
  channels/copper/com.c
  channels/copper/com_config.c
  channels/copper/com_erl.c
  channels/copper/com_vec.c
  channels/copper/com_cursor.c
  channels/copper/com_fom.c
  channels/copper/com_param.c
  channels/copper/com_pdf.c
  channels/copper/com_search.c
  channels/copper/com_c2msearch.c
  channels/copper/com_casepdf.c
  channels/copper/com_rxffe.c
  channels/copper/com_rxbound.c
  channels/copper/com_rxsearch.c
  channels/copper/com_sig.c
  channels/copper/com_xlsx.c
  channels/copper/sparam.c
  channels/copper/sparam_build.c
  channels/copper/tline.c
  channels/copper/touchstone.c
  channels/copper/touchstone_lex.c
  channels/copper/touchstone_read.c
  channels/copper/touchstone_record.c
)

# channels/optical: optical device and fibre models; read no key
set(LS_OPTICAL_SOURCES
  channels/optical/driver.c
  channels/optical/fibre.c
  channels/optical/mmf.c
  channels/optical/laser.c
  channels/optical/modulator.c
  channels/optical/modulator_devices.c
  channels/optical/modulator_map.c
  channels/optical/optx.c
  channels/optical/photodiode.c
  channels/optical/ring_wdm.c
  channels/optical/vcsel.c
)

# channels/presets: the key registry and the presets, the only channels code that reads keys
set(LS_PRESETS_SOURCES
  channels/presets/ami_link.c
  channels/presets/ami_reserved.c
  channels/presets/build_common.c
  channels/presets/copper.c
  channels/presets/host_channel.c
  channels/presets/cpc.c
  channels/presets/cpo_wdm.c
  channels/presets/com_preset.c
  channels/presets/keys.c
  channels/presets/keys_sim.c
  channels/presets/optical.c
  channels/presets/optical_devices.c
  channels/presets/pmd_class.c
  channels/presets/preset_table.c
  channels/presets/sr.c
  channels/presets/synthetic.c
)

# sim: configuration by preset name, link from a configuration, run, reach, energy
set(LS_SIM_SOURCES
  sim/cluster.c
  sim/cluster_config.c
  sim/config_load.c
  sim/energy.c
  sim/link_config.c
  sim/reach.c
  sim/reach_mc.c
  sim/run.c
  sim/pmd_class.c
  sim/class_rx.c
  sim/class_steps.c
  sim/wdm_info.c
)

# plots: the gnuplot front end of the command line
set(LS_PLOTS_SOURCES
  plots/plotcluster.c
  plots/plotcsv.c
  plots/plotdata.c
  plots/plotenergy.c
  plots/plotio.c
  plots/plotkinds.c
  plots/plotlabel.c
  plots/plotseries.c
  plots/plottdecq.c
)

# cli: the lanesim command (cli/sweep_mpi.c joins it in MPI builds)
set(LS_CLI_SOURCES
  cli/cluster_out.c
  cli/cmd_channel.c
  cli/cmd_cluster.c
  cli/cmd_com.c
  cli/cmd_merge.c
  cli/cmd_plot.c
  cli/cmd_presets.c
  cli/cmd_reach.c
  cli/cmd_run.c
  cli/cmd_study.c
  cli/cmd_sweep.c
  cli/cmd_tdecq.c
  cli/cmd_wdm.c
  cli/dump.c
  cli/main.c
  cli/plot.c
  cli/pool.c
  cli/run_class_out.c
  cli/run_out.c
  cli/study_out.c
  cli/study_class.c
  cli/study_hostloss.c
  cli/sweep_eval.c
  cli/sweep_out.c
  cli/util.c
)

set(LS_LIB_SOURCES ${LS_CORE_SOURCES} ${LS_PHY_SOURCES} ${LS_PHY_LINK_SOURCES} ${LS_PHY_STATEYE_SOURCES}
    ${LS_COPPER_SOURCES} ${LS_OPTICAL_SOURCES} ${LS_PRESETS_SOURCES} ${LS_SIM_SOURCES})

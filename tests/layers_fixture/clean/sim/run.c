/* layers fixture, clean tree: sim -> presets */
int fx_preset_find(int n);
int fx_sim_run(int n);
int fx_sim_run(int n) { return fx_preset_find(n); }

/* layers fixture, forbidden arrow: phy -> presets */
int fx_preset_find(int n);
int fx_phy_config(int n);
int fx_phy_config(int n) { return fx_preset_find(n); }

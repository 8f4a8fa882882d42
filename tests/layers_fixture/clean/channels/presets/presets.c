/* layers fixture, clean tree: presets -> models, phy */
int fx_optical_fibre(int n);
int fx_phy_tx(int n);
int fx_preset_find(int n);
int fx_preset_find(int n) { return fx_optical_fibre(n) + fx_phy_tx(n); }

/* layers fixture, clean tree: phy -> core */
int fx_core_alloc(int n);
int fx_phy_tx(int n);
int fx_phy_tx(int n) { return 2 * fx_core_alloc(n); }

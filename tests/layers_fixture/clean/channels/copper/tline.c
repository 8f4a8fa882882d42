/* layers fixture, clean tree: models -> phy */
int fx_phy_tx(int n);
int fx_copper_line(int n);
int fx_copper_line(int n) { return fx_phy_tx(n) - 1; }

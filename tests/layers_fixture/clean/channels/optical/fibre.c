/* layers fixture, clean tree: optical -> copper (same layer, no cycle) and -> core */
int fx_copper_line(int n);
int fx_core_alloc(int n);
int fx_optical_fibre(int n);
int fx_optical_fibre(int n) { return fx_copper_line(n) + fx_core_alloc(n); }

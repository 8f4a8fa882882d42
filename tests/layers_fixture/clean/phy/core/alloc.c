/* layers fixture, clean tree: core uses nothing */
int fx_core_alloc(int n);
int fx_core_alloc(int n) { return n + 1; }

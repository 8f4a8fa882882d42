/* layers fixture, two-file cycle: link.c <-> link_analysis.c */
int fx_link_solve(int n);
int fx_link_convolve(int n);
int fx_link_create(int n);
int fx_link_convolve(int n) { return n * 3; }
int fx_link_create(int n) { return fx_link_solve(n); }

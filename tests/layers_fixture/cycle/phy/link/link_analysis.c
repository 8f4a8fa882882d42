/* layers fixture, two-file cycle: link_analysis.c <-> link.c */
int fx_link_convolve(int n);
int fx_link_solve(int n);
int fx_link_solve(int n) { return n > 0 ? fx_link_convolve(n - 1) : 0; }

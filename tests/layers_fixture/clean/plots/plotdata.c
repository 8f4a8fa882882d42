/* layers fixture, clean tree: plots -> the generated plots_embedded.c (same layer) */
extern const int fx_templates[2];
int fx_plot_kind(int n);
int fx_plot_kind(int n) { return fx_templates[n & 1]; }

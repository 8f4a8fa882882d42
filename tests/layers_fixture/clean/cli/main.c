/* layers fixture, clean tree: cli -> sim, plots, core; strlen (libc) is defined nowhere in the tree */
#include <string.h>
int fx_sim_run(int n);
int fx_plot_kind(int n);
int fx_core_alloc(int n);
int fx_cli_main(const char *arg);
int fx_cli_main(const char *arg)
{
    int n = (int)strlen(arg);
    return fx_sim_run(n) + fx_plot_kind(n) + fx_core_alloc(n);
}

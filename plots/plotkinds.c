/*
 * The plot kinds (plots/plotdata.h, docs/plots.md): each kind's name, template, description and
 * preparation, for `lanesim plot` and its --help. The top of plots/: the dump kinds' preparations
 * are in plots/plotdata.c, the CSV kinds' in plots/plotcsv.c.
 */
#include <stddef.h>
#include <string.h>

#include "plotdata.h"

static const lsp_kind kinds[] = {
    {"eye", "eye",
     "eye histogram from 'lanesim run --dump eye=FILE' (density over 2 UI, openings marked)",
     lsp_prep_eye},
    {"stateye", "stateye",
     "statistical eye (BER map over one UI, contour at the eye BER) from 'lanesim run --mode stat "
     "--dump stateye=FILE'",
     lsp_prep_stateye},
    {"bathtub", "bathtub",
     "BER vs sampling phase from 'lanesim run --mode stat --dump bathtub=FILE'", lsp_prep_bathtub},
    {"pulse", "pulse", "pulse response from 'lanesim run --dump pulse=FILE'", lsp_prep_pulse},
    {"com-pulse", "com_pulse",
     "equalized pulse response of each package case from 'lanesim com --pulse FILE' (cursors marked)",
     lsp_prep_com_pulse},
    {"response", "response",
     "channel, CTLE and equalized response from 'lanesim run --dump response=FILE'",
     lsp_prep_response},
    {"ber-length", "ber_length",
     "BER (or reach, or another metric) vs the first swept key of a sweep CSV", lsp_prep_sweep},
    {"reach-rate", "reach_rate", "reach vs lane rate per architecture, from the study CSV",
     lsp_prep_reach_rate},
    {"energy-reach", "energy_reach", "pJ/bit vs reach per architecture, from the study CSV",
     lsp_prep_energy_reach},
    {"power", "power", "stacked power breakdown per architecture, from a CSV architecture,part,mw",
     lsp_prep_power},
    {"tdecq", "tdecq", "equalized eye and histogram windows from 'lanesim tdecq ... --dump FILE'",
     lsp_prep_tdecq},
    {"cluster-power", "cluster_power", "cluster power by tier per policy, from a CSV policy,tier,power_w",
     lsp_prep_cluster_power},
    {"cluster-energy", "cluster_energy",
     "pJ/bit vs reach with the tiers' length ranges, from a CSV kind,name,x1,x2,y (lanesim cluster --plot)",
     lsp_prep_cluster_energy},
    {NULL, NULL, NULL, NULL},
};

const lsp_kind *lsp_kind_at(size_t i)
{
    return i < sizeof kinds / sizeof kinds[0] - 1 ? &kinds[i] : NULL;
}

const lsp_kind *lsp_kind_find(const char *name)
{
    if (!strcmp(name, "sweep"))
        name = "ber-length";
    for (size_t i = 0; kinds[i].name; i++)
        if (!strcmp(kinds[i].name, name))
            return &kinds[i];
    return NULL;
}

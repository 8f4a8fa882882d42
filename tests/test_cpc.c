/*
 * The cpc preset (co-packaged copper, channels/presets/cpc.c): its channel is the copper channel
 * without the host PCB and paddle card, so at every frequency its insertion loss is the copper
 * channel's less 2 x (60 + 12) mm of pcb_lowloss line (from the line model, ls_tline_loss_db_per_m),
 * up to the reflections between the segments; the cable's own loss is the same.
 */
#include <complex.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>

#include "lanesim/channel.h"
#include "lanesim/config.h"
#include "lanesim/tline.h"
#include "util.h"

static double loss_db(const char *preset, double f)
{
    char msg[256];
    ls_config *c = ls_config_create(preset, msg, sizeof msg, NULL);
    cr_assert(c != NULL, "%s", msg);
    double complex s21, s11;
    cr_assert(eq(int, ls_channel_sparams(c, &f, 1, &s21, &s11, NULL, msg, sizeof msg), LS_OK), "%s", msg);
    ls_config_destroy(c);
    return -20 * log10(cabs(s21));
}

Test(cpc, channel_is_copper_without_the_host_traces)
{
    ls_tline_config pcb;
    cr_assert(eq(int, ls_tline_preset("pcb_lowloss", &pcb), LS_OK));
    for (double f = 13.28125e9; f <= 53.2e9; f *= 2) {
        const double trace = 2 * 0.072 * ls_tline_loss_db_per_m(&pcb, f);
        const double diff = loss_db("copper", f) - loss_db("cpc", f);
        cr_assert(gt(dbl, trace, 1.0), "%g GHz: the host traces lose %g dB", f / 1e9, trace);
        cr_assert(lt(dbl, fabs(diff - trace), 0.1 * trace + 0.3), "%g GHz: copper - cpc = %g dB, traces %g dB",
                  f / 1e9, diff, trace);
    }
}

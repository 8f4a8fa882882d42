/*
 * Queries on an optical-TX (modulator) block: static power levels, the small-signal response
 * (a wrapper over the block's small_signal op), the laser configuration and the power split into
 * laser and heater; dBm <-> mW. Physics and sources: modulator.c's header and docs/optics_tx.md.
 */
#include <math.h>

#include "modulator_internal.h"

ls_status ls_optx_levels(const ls_block *b, const double *drive_v, unsigned n, double *p_mw)
{
    const lsi_mod *q = lsi_mod_of(b);
    if (!q || (n && (!drive_v || !p_mw)))
        return LS_EINVAL;
    for (unsigned i = 0; i < n; i++)
        if (!isfinite(drive_v[i]))
            return LS_EINVAL;
    for (unsigned i = 0; i < n; i++) {
        double complex e = lsi_map_field(q, drive_v[i], NULL);
        p_mw[i] = (creal(e) * creal(e) + cimag(e) * cimag(e)) * 1e3;
    }
    return LS_OK;
}

ls_status ls_optx_small_signal(const ls_block *b, double v0, const double *f_hz,
                               double complex *a_f, size_t n)
{
    if (!b || !b->ops || !b->ops->small_signal || !b->self)
        return LS_EINVAL;
    return b->ops->small_signal(b->self, v0, f_hz, a_f, n);
}

ls_status ls_optx_get_laser(const ls_block *b, ls_laser_config *out)
{
    const lsi_mod *q = lsi_mod_of(b);
    if (!q || !out)
        return LS_EINVAL;
    *out = q->las.cfg;
    return LS_OK;
}

ls_status ls_optx_power_split(const ls_block *b, double *laser_mw, double *heater)
{
    const lsi_mod *q = lsi_mod_of(b);
    if (!q || !laser_mw || !heater)
        return LS_EINVAL;
    *laser_mw = lsi_laser_el_mw(q);
    *heater = lsi_heater_mw(q);
    return LS_OK;
}

double ls_dbm(double mw)
{
    return 10.0 * log10(mw);
}

double ls_mw(double dbm)
{
    return pow(10.0, dbm / 10.0);
}

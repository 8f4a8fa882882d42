/*
 * Internal: making a configuration store (phy/config.c) over a schema. The configuration layer
 * (sim/config_load.c) gathers a preset's key declarations and names; phy knows no preset.
 */
#ifndef LS_CONFIG_INTERNAL_H
#define LS_CONFIG_INTERNAL_H

#include <stddef.h>

#include "lanesim/config.h"

/** A store of the n keys defs[0..n) (pointers kept: the declarations must outlive it), each at its
    default, for the preset `name` (copied). NULL with *err = LS_ENOMEM on allocation failure. */
ls_config *lsi_config_new(const char *name, const ls_param_def *const *defs, size_t n, ls_status *err);

#endif

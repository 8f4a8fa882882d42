/*
 * The preset table: every preset lanesim knows, in the order 'lanesim presets' lists them. A new
 * preset is a builder in its own file (copper.c, cpc.c, optical.c, synthetic.c) plus one line here.
 */
#include <string.h>

#include "ls_presets.h"

static const lsi_preset presets[] = {
    LSI_COPPER_PRESET,
    LSI_CPC_PRESET,
    LSI_LPO_PRESET,
    LSI_CPO_PRESET,
    LSI_CPO_WDM_PRESET,
    LSI_RETIMED_PRESET,
    LSI_CLASS_PRESETS,
    LSI_SR_PRESET,
    LSI_FLAT_PRESET,
    LSI_AWGN_PRESET,
};

size_t lsi_preset_count(void)
{
    return sizeof presets / sizeof presets[0];
}

const lsi_preset *lsi_preset_at(size_t i)
{
    return i < lsi_preset_count() ? &presets[i] : NULL;
}

const lsi_preset *lsi_preset_find(const char *name)
{
    for (size_t i = 0; i < lsi_preset_count(); i++)
        if (!strcmp(presets[i].name, name))
            return &presets[i];
    return NULL;
}

/*
 * The link specification (ls_link_spec.h): an empty one, appending a block, freeing the blocks.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ls_link_spec.h"

void lsi_link_spec_init(lsi_link_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->ctle_gdc_db = NAN;
}

void lsi_link_spec_clear(lsi_link_spec *spec)
{
    for (size_t i = 0; i < spec->n_blocks; i++)
        ls_block_destroy(&spec->blocks[i]);
    spec->n_blocks = 0;
}

void lsi_spec_warn(lsi_link_spec *spec, const char *text)
{
    if (spec->n_warn < LSI_MAX_WARN)
        snprintf(spec->warn[spec->n_warn++], LSI_WARN_LEN, "%s", text);
}

ls_status lsi_spec_push(lsi_link_spec *s, ls_block b, char *msg, size_t cap)
{
    if (s->n_blocks >= LSI_MAX_BLOCKS) {
        ls_block_destroy(&b);
        lsi_say(msg, cap, "too many blocks in the link");
        return LS_EINVAL;
    }
    s->blocks[s->n_blocks++] = b;
    return LS_OK;
}

/* Generic block helpers. */
#include <stddef.h>
#include <string.h>

#include "lanesim/block.h"
#include "ls_internal.h"

ls_status lsi_block_copy_of(const ls_block_ops *ops, const void *cfg, size_t size, ls_block *out)
{
    void *c = ls_alloc(size);
    *out = (ls_block){ NULL, NULL };
    if (!c)
        return LS_ENOMEM;
    memcpy(c, cfg, size);
    *out = (ls_block){ ops, c };
    return LS_OK;
}

void ls_block_destroy(ls_block *b)
{
    if (!b)
        return;
    if (b->ops && b->ops->destroy && b->self)
        b->ops->destroy(b->self);
    b->ops = NULL;
    b->self = NULL;
}

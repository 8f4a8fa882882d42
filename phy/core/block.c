/* Generic block helpers. */
#include <stddef.h>

#include "lanesim/block.h"

void ls_block_destroy(ls_block *b)
{
    if (!b)
        return;
    if (b->ops && b->ops->destroy && b->self)
        b->ops->destroy(b->self);
    b->ops = NULL;
    b->self = NULL;
}

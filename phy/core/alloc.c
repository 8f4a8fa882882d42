/* Aligned, zeroed allocation with a global counter (tests check that `process` never allocates). */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "ls_internal.h"

static atomic_uint_fast64_t alloc_count;

void *ls_alloc(size_t size)
{
    if (!size)
        return NULL;
    size_t rounded = (size + 63u) & ~(size_t)63u;
    if (rounded < size)
        return NULL;
    void *p = aligned_alloc(64, rounded);
    if (!p)
        return NULL;
    memset(p, 0, rounded);
    atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
    return p;
}

void *ls_alloc_n(size_t n, size_t sz)
{
    if (sz && n > SIZE_MAX / sz)
        return NULL;
    return ls_alloc(n * sz);
}

void ls_free(void *p)
{
    free(p);
}

uint64_t lsi_alloc_count(void)
{
    return atomic_load_explicit(&alloc_count, memory_order_relaxed);
}

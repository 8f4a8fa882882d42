/*
 * PAM-M mapping, precoding and slicing. Equations in include/lanesim/pam.h and docs/tx.md;
 * sources: IEEE 802.3 cl. 120.5.7 (Gray mapping and 1/(1+D) mod 4 precoding), cl. 120D.3.1.2 (RLM).
 */
#include "lanesim/pam.h"

unsigned ls_pam_bits(unsigned levels)
{
    switch (levels) {
    case 2: return 1;
    case 4: return 2;
    case 8: return 3;
    default: return 0;
    }
}

ls_status ls_pam_levels(unsigned levels, double rlm, double *v)
{
    if (!v || !ls_pam_bits(levels) || !(rlm >= 0.5 && rlm <= 1.0))
        return LS_EINVAL;
    for (unsigned i = 0; i < levels; i++) {
        double x = (2.0 * i - (levels - 1.0)) / (levels - 1.0);
        v[i] = (i == 0 || i == levels - 1) ? x : x * rlm;
    }
    return LS_OK;
}

void ls_pam_precode(uint8_t *x, size_t n, unsigned levels, uint8_t *state)
{
    uint8_t p = *state, mask = (uint8_t)(levels - 1);
    for (size_t k = 0; k < n; k++) {
        p = (uint8_t)((x[k] - p) & mask);
        x[k] = p;
    }
    *state = p;
}

void ls_pam_decode(uint8_t *x, size_t n, unsigned levels, uint8_t *state)
{
    uint8_t prev = *state, mask = (uint8_t)(levels - 1);
    for (size_t k = 0; k < n; k++) {
        uint8_t y = x[k];
        x[k] = (uint8_t)((y + prev) & mask);
        prev = y;
    }
    *state = prev;
}

void ls_pam_slice(const float *x, uint8_t *level, size_t n, const float *th, unsigned levels)
{
    if (levels == 4) {
        const float t0 = th[0], t1 = th[1], t2 = th[2];
        for (size_t k = 0; k < n; k++)
            level[k] = (uint8_t)((x[k] >= t0) + (x[k] >= t1) + (x[k] >= t2));
        return;
    }
    for (size_t k = 0; k < n; k++) {
        uint8_t l = 0;
        for (unsigned j = 0; j + 1 < levels; j++)
            l = (uint8_t)(l + (x[k] >= th[j]));
        level[k] = l;
    }
}

/*
 * SSPRQ test pattern (IEEE 802.3 cl. 120.5.11.2.3, Table 120-2; include/lanesim/ssprq.h).
 *
 * The 32768-bit block a = three PRBS31 sections (cl. 49 Figure 49-9, output inverted) from the seeds
 * of Table 120-2; the period is a | a | a[1..] | a[..32766] (131070 bits), Gray coded two bits per
 * symbol, and the symbols 16384..32767 and 49151..65534 inverted (3 - level). The bit recurrence is
 * p[i] = p[i-31] ^ p[i-28] on the un-inverted bits with the seed as the 31 bits before the section;
 * the output is NOT p[i]. A symbol is a bit pair of the 131070-bit stream, so symbol s holds bits
 * 2s and 2s+1 of it; the block offsets of the four repetitions are 0, 32768, 65536 (+1 bit skipped)
 * and 98303 (last bit dropped).
 */
#include "lanesim/ssprq.h"

#include "lanesim/pam.h"

#define BLOCK_BITS 32768u

static const uint32_t seeds[3] = { 0x00000002u, 0x34013FF7u, 0x0CCCCCCCu };
static const unsigned section_bits[3] = { 10924u, 10922u, 10922u };

/* Bit j (0..32767) of block a, packed MSB first into 32-bit words. */
static void make_block(uint32_t *w)
{
    unsigned j = 0;
    for (unsigned s = 0; s < 3; s++) {
        uint32_t h = seeds[s] & 0x7fffffffu; /* bit i = p[-1-i] */
        for (unsigned i = 0; i < section_bits[s]; i++, j++) {
            uint32_t p = ((h >> 30) ^ (h >> 27)) & 1u; /* p[k-31] ^ p[k-28] */
            h = ((h << 1) | p) & 0x7fffffffu;
            uint32_t out = p ^ 1u;
            if (!(j & 31u))
                w[j >> 5] = 0;
            w[j >> 5] |= out << (31u - (j & 31u));
        }
    }
}

static unsigned block_bit(const uint32_t *w, unsigned j)
{
    return (w[j >> 5] >> (31u - (j & 31u))) & 1u;
}

/* Bit b (0..131069) of one period: a, a, a[1..32767], a[0..32766]. */
static unsigned period_bit(const uint32_t *w, unsigned b)
{
    if (b < 2u * BLOCK_BITS)
        return block_bit(w, b % BLOCK_BITS);
    b -= 2u * BLOCK_BITS;
    if (b < BLOCK_BITS - 1u)
        return block_bit(w, b + 1u);
    return block_bit(w, b - (BLOCK_BITS - 1u));
}

ls_status ls_ssprq_levels(uint8_t *level, size_t n, uint64_t phase)
{
    if (n && !level)
        return LS_EINVAL;
    uint32_t w[BLOCK_BITS / 32u];
    make_block(w);
    unsigned s = (unsigned)(phase % LS_SSPRQ_PERIOD);
    for (size_t k = 0; k < n; k++) {
        uint8_t g = (uint8_t)((period_bit(w, 2u * s) << 1) | period_bit(w, 2u * s + 1u));
        uint8_t x = ls_pam_gray_to_level(g);
        if ((s >= 16384u && s < 32768u) || s >= 49151u)
            x = (uint8_t)(3u - x);
        level[k] = x;
        if (++s == LS_SSPRQ_PERIOD)
            s = 0;
    }
    return LS_OK;
}

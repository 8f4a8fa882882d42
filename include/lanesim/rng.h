/**
 * @file rng.h
 * Pseudo-random numbers: a small value-type generator that any block can embed.
 *
 * Generator: xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 47(4), 2021; preprint 2018). 256 bits of state, period 2^256 - 1, passes BigCrush and
 * PractRand; about 1 ns per 64-bit output.
 *
 * Determinism: a given (seed, stream, substream) triple always yields the same sequence,
 * whatever the thread count or chunking: the state is a fixed function of the triple, and every
 * function below consumes a documented number of 64-bit outputs (ls_rng_gauss consumes a
 * variable number, which depends only on the sequence itself, so it is deterministic as well).
 * The integer and uniform outputs are bit-identical on every platform; normal deviates are too
 * wherever exp() and log() agree (the rare slow path, 1.5 % of calls, uses them).
 *
 * Threads: an ls_rng is plain data with no hidden global state; use one generator per thread
 * (or per block). Concurrent calls on different generators are safe; on the same one they race.
 *
 * Allocation: none. The struct may be copied (the copy continues the same sequence).
 */
#ifndef LS_RNG_H
#define LS_RNG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** xoshiro256** state. Never all-zero once seeded. Embed by value; copy to fork a sequence. */
typedef struct {
    uint64_t s[4]; /**< generator state (do not set by hand except in tests) */
} ls_rng;

/**
 * Seeds r from a (seed, stream, substream) triple.
 *
 * The four state words are a bijective 256-bit mixing of (seed, stream, substream, constant)
 * built from splitmix64's increment and finalizer (Steele, Lea & Flood 2014), applied in two
 * Feistel-like passes so that every state word depends on every bit of the triple. The mapping
 * is injective, so distinct triples always give distinct states (no 64-bit hash collisions);
 * the start points are effectively random on the 2^256 - 1 cycle, so streams of any practical
 * length never overlap (probability below 2^-100 for 2^40 streams of 2^64 outputs). Intended
 * use: seed = the run's seed, stream = block instance, substream = frame index.
 *
 * @param r         generator to initialise (not NULL)
 * @param seed      user seed, any value
 * @param stream    stream index, any value
 * @param substream substream index, any value
 */
void ls_rng_seed(ls_rng *r, uint64_t seed, uint64_t stream, uint64_t substream);

/** Rotate left (internal helper of the inline functions below). */
static inline uint64_t lsi_rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/** Next 64 uniformly distributed bits (xoshiro256** step). Consumes one output. */
static inline uint64_t ls_rng_u64(ls_rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = lsi_rng_rotl(s[1] * 5u, 7) * 9u;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = lsi_rng_rotl(s[3], 45);
    return result;
}

/** Uniform double in [0, 1): the top 53 bits of one output times 2^-53 (every value k 2^-53). */
static inline double ls_rng_uniform(ls_rng *r)
{
    return (double)(ls_rng_u64(r) >> 11) * 0x1.0p-53;
}

/**
 * Uniform integer in [0, n), exactly unbiased, by Lemire's multiply-and-reject method
 * ("Fast random integer generation in an interval", ACM TOMACS 29(1), 2019). Uses the top 32 bits
 * of each output; consumes one output, plus one per rejection (probability < n / 2^32).
 *
 * @param n  range, 1..2^32-1; n == 0 returns 0 (after consuming one output)
 */
static inline uint32_t ls_rng_below(ls_rng *r, uint32_t n)
{
    uint64_t m = (ls_rng_u64(r) >> 32) * (uint64_t)n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        const uint32_t threshold = (uint32_t)(0u - n) % n; /* 2^32 mod n */
        while (low < threshold) {
            m = (ls_rng_u64(r) >> 32) * (uint64_t)n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

/**
 * Advances r by 2^128 steps with the published jump polynomial (equivalent to 2^128 calls of
 * ls_rng_u64). Costs about 256 steps. Use it to split one seeded sequence into 2^128
 * non-overlapping subsequences of length 2^128.
 */
void ls_rng_jump(ls_rng *r);

/**
 * Standard normal N(0, 1) by the ziggurat method (Marsaglia & Tsang, J. Stat. Softw. 5(8),
 * 2000) with 256 layers and 64-bit draws: one output gives the layer (8 bits), the sign (1 bit)
 * and a 53-bit abscissa, so layer and value are independent (the defect Doornik 2005 found in
 * the 32-bit original). 98.5 % of calls take one output and one multiply; the rest test the
 * wedge with exp() (99.3 % of candidates are accepted overall), and the base layer samples the
 * tail beyond r = 3.6541528853610088 exactly (Marsaglia 1964). Consumes a variable number
 * (>= 1) of outputs.
 */
double ls_rng_gauss(ls_rng *r);

/**
 * y[i] = (float)(sigma * N(0,1)) for i in [0, n); bit-identical to n successive calls of
 * (float)((double)sigma * ls_rng_gauss(r)). Never allocates.
 *
 * @param y      output [n] (may be NULL when n == 0)
 * @param sigma  standard deviation, in the unit of y (any value; negative flips the sign)
 */
void ls_rng_gauss_fill(ls_rng *r, float *y, size_t n, float sigma);

/**
 * y[i] += sigma * N(0,1), computed as y[i] = (float)((double)y[i] + (double)sigma * g) with g
 * drawn as in ls_rng_gauss (one rounding per sample). Never allocates.
 *
 * @param y      input and output [n] (may be NULL when n == 0)
 * @param sigma  standard deviation, in the unit of y
 */
void ls_rng_gauss_add(ls_rng *r, float *y, size_t n, float sigma);

#ifdef __cplusplus
}
#endif
#endif

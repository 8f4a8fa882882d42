/*
 * Random numbers: xoshiro256** seeding and jump, and the ziggurat normal generator.
 *
 * xoshiro256**: D. Blackman and S. Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 47(4):36, 2021 (reference C code at prng.di.unimi.it). The step (ls_rng_u64) is
 * inline in rng.h; the jump below applies the published jump polynomial J(x) = x^(2^128) mod
 * P(x), P the characteristic polynomial of the state transition (checked in tests/test_rng.c by
 * Berlekamp-Massey).
 *
 * Seeding: splitmix64's increment (golden-ratio gamma) and finalizer (Steele, Lea & Flood,
 * "Fast splittable pseudorandom number generators", OOPSLA 2014) applied in two passes over the
 * words (seed, stream, substream, domain constant). Every step is invertible, so the map from
 * triples to states is injective.
 *
 * Normal deviates: G. Marsaglia and W. W. Tsang, "The ziggurat method for generating random
 * variables", J. Stat. Softw. 5(8), 2000, with 256 layers. Layer i (0..255) is the box
 * [0, X[i]) x [f(X[i]), f(X[i+1])] of f(x) = exp(-x^2/2), all of area v; X[1] = r is the start
 * of the tail, X[0] = v / f(r) makes the base strip (box plus tail) also of area v, and
 * X[256] = 0. r solves
 *     v(r) = r f(r) + sqrt(pi/2) erfc(r / sqrt 2),   X[i+1] = f^-1(v / X[i] + f(X[i])),
 *     X[255] (1 - f(X[255])) = v,
 * giving r = 3.6541528853610088, v = 4.928673233974655e-3. The tables were generated once with
 * 60-digit arithmetic (mpmath) and rounded to double; tests/test_rng.c re-derives r, v and every
 * entry and checks them. Following Doornik ("An improved ziggurat method to generate normal
 * random samples", 2005) the layer index and the abscissa come from disjoint bits of one 64-bit
 * draw: bits 0-7 layer, bit 8 sign, bits 11-63 a 53-bit abscissa u. Fast path: u < k[i]
 * (= 2^53 X[i+1] / X[i]) accepts x = u X[i] 2^-53 under the curve. Otherwise layer 0 samples
 * the tail x > r exactly (Marsaglia, "Generating a variable from the tail of the normal
 * distribution", Technometrics 6, 1964) and layers 1..255 test the wedge against exp(-x^2/2).
 */
#include "lanesim/rng.h"
#include "ls_internal.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define LS_NOINLINE __attribute__((noinline))
#define LS_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define LS_NOINLINE
#define LS_ALWAYS_INLINE inline
#endif

/* ---- seeding ---------------------------------------------------------------------------- */

#define SPLITMIX_GAMMA UINT64_C(0x9e3779b97f4a7c15)
#define SEED_DOMAIN UINT64_C(0x6c616e6573696d31) /* "lanesim1": separates us from other users */

/* splitmix64 output function (Stafford's Mix13): a bijection on 64-bit words. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

void ls_rng_seed(ls_rng *r, uint64_t seed, uint64_t stream, uint64_t substream)
{
    assert(r);
    uint64_t w[4] = {seed, stream, substream, SEED_DOMAIN};
    uint64_t gamma = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 4; i++) {
            w[i] = mix64(w[i] + (gamma += SPLITMIX_GAMMA)); /* bijective in w[i] */
            w[(i + 1) & 3] += w[i];                         /* invertible given w[i] */
        }
    }
    /* One 256-bit input maps to the all-zero state; its fourth word would have to equal
     * SEED_DOMAIN (chance 2^-64), so this guard exists for the invariant, not for practice. */
    if (!(w[0] | w[1] | w[2] | w[3]))
        w[0] = SPLITMIX_GAMMA;
    memcpy(r->s, w, sizeof w);
}

void ls_rng_jump(ls_rng *r)
{
    static const uint64_t jump[4] = {UINT64_C(0x180ec6d33cfd0aba), UINT64_C(0xd5a61266f0c9392c),
                                     UINT64_C(0xa9582618e03fc9aa), UINT64_C(0x39abdc4529b1661c)};
    assert(r);
    uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int i = 0; i < 4; i++) {
        for (int b = 0; b < 64; b++) {
            if (jump[i] & (UINT64_C(1) << b)) {
                s0 ^= r->s[0];
                s1 ^= r->s[1];
                s2 ^= r->s[2];
                s3 ^= r->s[3];
            }
            (void)ls_rng_u64(r);
        }
    }
    r->s[0] = s0;
    r->s[1] = s1;
    r->s[2] = s2;
    r->s[3] = s3;
}

/* ---- ziggurat tables (generated; see the header comment and tests/test_rng.c) ----------- */
#include "rng_zig_tables.inc" /* ZIG_R, ZIG_V, zig_ws (= zig_w), zig_k, zig_f */

/* Read-only view of the tables for tests/test_rng.c, which re-derives them. Declared here and
 * in the test: an internal hook, not API (its declaration belongs in ls_internal.h). */
void lsi_rng_zig_tables(const double **w, const uint64_t **k, const double **f, double *r,
                        double *v);
void lsi_rng_zig_tables(const double **w, const uint64_t **k, const double **f, double *r,
                        double *v)
{
    *w = zig_w;
    *k = zig_k;
    *f = zig_f;
    *r = ZIG_R;
    *v = ZIG_V;
}

/* ---- normal deviates -------------------------------------------------------------------- */

/* Where the slow path takes its words: first the rest of a block of outputs drawn ahead (w[p..n),
 * see zig_run), then the generator g itself. The words are one sequence either way, so the slow
 * path consumes exactly the outputs the one-at-a-time draw would. */
typedef struct {
    const uint64_t *w;
    size_t p, n;
    ls_rng g;
} zig_src;

static inline uint64_t zig_next(zig_src *s)
{
    return s->p < s->n ? s->w[s->p++] : ls_rng_u64(&s->g);
}

static inline double zig_uniform(zig_src *s) /* as ls_rng_uniform */
{
    return (double)(zig_next(s) >> 11) * 0x1.0p-53;
}

/* Everything except the fast path: tail (layer 0) or wedge (layers 1..255), and restarts.
 * b is the draw that missed the fast path; further words come from s. */
static LS_NOINLINE double zig_slow(zig_src *s, uint64_t b)
{
    for (;;) {
        const unsigned i = (unsigned)(b & 0xffu);
        const uint64_t u = b >> 11;
        const double sign = (b & 0x100u) ? -1.0 : 1.0;
        const double x = (double)(int64_t)u * zig_w[i];
        if (u < zig_k[i])
            return sign * x;
        if (i == 0) {
            if (x < ZIG_R) /* the box part of the base strip (only when k[0] was rounded) */
                return sign * x;
            double t, e;
            do { /* Marsaglia 1964; 1 - U lies in (0, 1], so log() is finite */
                t = -log(1.0 - zig_uniform(s)) * (1.0 / ZIG_R);
                e = -log(1.0 - zig_uniform(s));
            } while (e + e < t * t);
            return sign * (ZIG_R + t);
        }
        if (zig_f[i] + zig_uniform(s) * (zig_f[i + 1] - zig_f[i]) < exp(-0.5 * x * x))
            return sign * x;
        b = zig_next(s);
    }
}

/* One deviate; the fast path is inlined. The sign comes with the table entry (bit 8 of the draw
 * selects the negated half of zig_ws: a data-dependent branch would mispredict half the time).
 * The slow path works on a copy of the state: were the caller's generator itself passed to
 * zig_slow, it would live in memory, and the store-to-load round trip of its words would
 * lengthen every step's dependency chain; as a value whose address never escapes it stays in
 * registers. */
static inline double zig_draw(ls_rng *r)
{
    const uint64_t b = ls_rng_u64(r);
    const unsigned i = (unsigned)(b & 0xffu);
    const uint64_t u = b >> 11;
    if (u < zig_k[i])
        return (double)(int64_t)u * zig_ws[b & 0x1ffu];
    zig_src s = {NULL, 0, 0, *r};
    const double x = zig_slow(&s, b);
    *r = s.g;
    return x;
}

double ls_rng_gauss(ls_rng *r)
{
    assert(r);
    return zig_draw(r);
}

/* ---- the fills, and their block form on AVX-512 -----------------------------------------
 *
 * The one-at-a-time form (zig_run_1) is the loop of zig_draw. On AVX-512 (F and DQ) the fills
 * draw the same deviates, in the same order, from the same words, with most of the work on
 * vectors (zig_run_avx512):
 *   1. run the serial xoshiro recurrence ZIG_BLOCK steps ahead, keeping only the word s[1] the
 *      output is scrambled from (the recurrence's ~2 cycles a step are the floor of the draw);
 *   2. eight words at a time: the scrambler rotl(5 s[1], 7) 9 (shifts, adds, a rotate: the same
 *      integers), and for every word, as if it began a deviate, the fast-path test u < k[i] and
 *      value u w[i] (two gathers; the 53-bit u converts to double exactly either way);
 *   3. walk the block: while words pass the test, word j's deviate is x[j] (written by a vector
 *      loop up to the next failure); at a failure zig_slow runs on that word and takes its
 *      further words from the block and then the generator (zig_src), as it would from the
 *      generator, and the walk resumes at the first word it left.
 * The rest of n below a block goes one draw at a time. Every value is the one zig_draw returns
 * (the same IEEE products of the same operands; no contraction, CMakeLists.txt), and the
 * generator ends in the same state. tests/test_rng_block.c compares the fills against
 * ls_rng_gauss on millions of draws, over many seeds, lengths and offsets. */
typedef enum { ZIG_FILL_F, ZIG_ADD_F, ZIG_FILL_D } zig_mode;

/* y[i + j] from the deviates x[0..m), by the fill's output rule (ls_rng_gauss_fill, _add, _fill_d). */
static LS_ALWAYS_INLINE void zig_emit(void *y, size_t i, const double *x, size_t m, double s,
                                      zig_mode mode)
{
    if (mode == ZIG_FILL_D) {
        double *yd = (double *)y + i;
        for (size_t j = 0; j < m; j++)
            yd[j] = x[j];
    } else if (mode == ZIG_FILL_F) {
        float *yf = (float *)y + i;
        for (size_t j = 0; j < m; j++)
            yf[j] = (float)(s * x[j]);
    } else {
        float *yf = (float *)y + i;
        for (size_t j = 0; j < m; j++)
            yf[j] = (float)((double)yf[j] + s * x[j]);
    }
}

static LS_ALWAYS_INLINE void zig_run_1(ls_rng *r, void *y, size_t n, double s, zig_mode mode)
{
    ls_rng g = *r; /* a local copy stays in registers across the stores to y */
    for (size_t i = 0; i < n; i++) {
        const double v = zig_draw(&g);
        zig_emit(y, i, &v, 1, s, mode);
    }
    *r = g;
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(LSI_NO_SIMD_CLONES)
#include <immintrin.h>
#define ZIG_AVX512 1
enum { ZIG_BLOCK = 64 };

#define ZIG_TARGET __attribute__((target("avx512f,avx512dq")))

/* Stage 2 on w[0..ZIG_BLOCK) (s[1] words in, outputs out); x[j] the fast-path value of word j;
 * returns the words that miss the fast path as a bit mask. */
static ZIG_TARGET uint64_t zig_classify_avx512(uint64_t *w, double *x)
{
    const __m512i m8 = _mm512_set1_epi64(0xff), m9 = _mm512_set1_epi64(0x1ff);
    uint64_t mask = 0;
    for (int c = 0; c < ZIG_BLOCK / 8; c++) {
        __m512i v = _mm512_loadu_si512((const void *)(w + 8 * c));
        v = _mm512_add_epi64(v, _mm512_slli_epi64(v, 2)); /* 5 s[1] */
        v = _mm512_rol_epi64(v, 7);
        v = _mm512_add_epi64(v, _mm512_slli_epi64(v, 3)); /* 9 (...) */
        _mm512_storeu_si512((void *)(w + 8 * c), v);
        const __m512i u = _mm512_srli_epi64(v, 11);
        const __m512i k = _mm512_i64gather_epi64(_mm512_and_si512(v, m8), (const void *)zig_k, 8);
        const __m512d ws = _mm512_i64gather_pd(_mm512_and_si512(v, m9), (const void *)zig_ws, 8);
        _mm512_storeu_pd(x + 8 * c, _mm512_mul_pd(_mm512_cvtepi64_pd(u), ws));
        mask |= (uint64_t)_mm512_cmpge_epu64_mask(u, k) << (8 * c);
    }
    return mask;
}

static ZIG_TARGET LS_NOINLINE void zig_run_avx512(ls_rng *r, void *y, size_t n, double s,
                                                  zig_mode mode)
{
    ls_rng g = *r;
    uint64_t w[ZIG_BLOCK];
    double x[ZIG_BLOCK];
    size_t i = 0;
    while (n - i >= ZIG_BLOCK) {
        for (size_t j = 0; j < ZIG_BLOCK; j++) { /* ls_rng_u64 without its scrambler */
            uint64_t *st = g.s;
            const uint64_t t = st[1] << 17;
            w[j] = st[1];
            st[2] ^= st[0];
            st[3] ^= st[1];
            st[1] ^= st[2];
            st[0] ^= st[3];
            st[2] ^= t;
            st[3] = lsi_rng_rotl(st[3], 45);
        }
        const uint64_t mask = zig_classify_avx512(w, x);
        size_t p = 0; /* the next word of the block that begins a deviate */
        for (;;) {
            const uint64_t m = p < ZIG_BLOCK ? mask >> p : 0;
            const size_t q = m ? p + (size_t)__builtin_ctzll(m) : ZIG_BLOCK;
            zig_emit(y, i, x + p, q - p, s, mode);
            i += q - p;
            if (q == ZIG_BLOCK)
                break;
            zig_src src = {w, q + 1, ZIG_BLOCK, g};
            const double v = zig_slow(&src, w[q]);
            g = src.g;
            zig_emit(y, i++, &v, 1, s, mode);
            p = src.p;
        }
    }
    for (; i < n; i++) {
        const double v = zig_draw(&g);
        zig_emit(y, i, &v, 1, s, mode);
    }
    *r = g;
}

static int zig_use_avx512(size_t n)
{
    return n >= ZIG_BLOCK && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
}
#else
#define ZIG_AVX512 0
static int zig_use_avx512(size_t n) { (void)n; return 0; }
#define zig_run_avx512 zig_run_1
#endif

void ls_rng_gauss_fill(ls_rng *r, float *y, size_t n, float sigma)
{
    assert(r && (y || !n));
    if (zig_use_avx512(n))
        zig_run_avx512(r, y, n, sigma, ZIG_FILL_F);
    else
        zig_run_1(r, y, n, sigma, ZIG_FILL_F);
}

void lsi_rng_gauss_fill_d(ls_rng *r, double *y, size_t n)
{
    assert(r && (y || !n));
    if (zig_use_avx512(n))
        zig_run_avx512(r, y, n, 1.0, ZIG_FILL_D);
    else
        zig_run_1(r, y, n, 1.0, ZIG_FILL_D);
}

void ls_rng_gauss_add(ls_rng *r, float *y, size_t n, float sigma)
{
    assert(r && (y || !n));
    if (zig_use_avx512(n))
        zig_run_avx512(r, y, n, sigma, ZIG_ADD_F);
    else
        zig_run_1(r, y, n, sigma, ZIG_ADD_F);
}

/*
 * PRBS pattern generator (ITU-T O.150 sec. 5; IEEE 802.3 cl. 49.2.8, 94.2.9.1, 120.5.11.2).
 *
 * Sequence: the output satisfies y[k] = XOR_{t in taps} y[k - t], the taps being the exponents
 * of the non-constant terms of p(x) (x read as a one-bit delay). The bit-level LFSR state is
 * the history H[k] = sum_i y[k-1-i] 2^i (n bits); one step is
 *     y = parity(H & tapmask),  H = ((H << 1) | y) & mask,        tapmask bit t-1 = tap t.
 *
 * Word generation: over GF(2), p(D)^64 = p(D^64), so the sequence also obeys
 *     y[k] = XOR_{t in taps} y[k - 64 t].
 * Cutting the stream into 64-bit words w[j] (first bit in the MSB) gives the word recurrence
 *     w[j] = XOR_{t in taps} w[j - t]
 * with every bit lane aligned: one new word costs two (or four, PRBS13) loads and XORs, with no
 * bit loop at all. The last n words live in a 32-word ring; a long call runs the recurrence
 * directly on the caller's buffer (lags >= 28 words for PRBS31, so the compiler may vectorize).
 *
 * Seating (create / reset / advance): the history state at any position N is
 * H[N] = M^N H[0], M the companion matrix of the recurrence, whose characteristic polynomial is
 * f(x) = x^n p(1/x). By Cayley-Hamilton M^N = r(M) with r(x) = x^N mod f(x), computed by
 * square-and-multiply in O(log N) polynomial products; r(M) H needs at most n single steps.
 * The ring is then filled with the 64 n bits that precede position N (n * 64 bit steps: a
 * constant, independent of N).
 */
#include "lanesim/prbs.h"

#include <string.h>

#include "ls_internal.h"

#define RING 32u      /* ring of words; power of two > largest degree */
#define BUF_WORDS 64u /* ls_prbs_bits unpacks from this many words at a time */

typedef struct {
    const char *name;
    unsigned degree;
    unsigned n_taps;
    unsigned taps[4]; /* exponents of the non-constant terms of p(x), descending */
    uint64_t seed;    /* default seed */
} prbs_info;

static const prbs_info info_table[LS_PRBS_N_TYPES] = {
    [LS_PRBS7] = {"prbs7", 7, 2, {7, 6}, 0x7fu},
    [LS_PRBS9] = {"prbs9", 9, 2, {9, 5}, 0x1ffu},
    [LS_PRBS11] = {"prbs11", 11, 2, {11, 9}, 0x7ffu},
    [LS_PRBS13] = {"prbs13", 13, 4, {13, 12, 2, 1}, 0x1fffu},
    [LS_PRBS15] = {"prbs15", 15, 2, {15, 14}, 0x7fffu},
    [LS_PRBS23] = {"prbs23", 23, 2, {23, 18}, 0x7fffffu},
    [LS_PRBS31] = {"prbs31", 31, 2, {31, 28}, 0x7fffffffu},
    [LS_PRBS13Q] = {"prbs13q", 13, 4, {13, 12, 2, 1}, LS_PRBS13Q_SEED},
    [LS_PRBS31Q] = {"prbs31q", 31, 2, {31, 28}, 0x7fffffffu},
};

struct ls_prbs {
    uint64_t ring[RING]; /* w[j - RING] .. w[j - 1], raw (not inverted), index j % RING */
    uint64_t j;          /* index of the next word the ring produces */
    uint64_t *buf;       /* [BUF_WORDS] words already generated (final, inverted if asked) */
    size_t bpos, blen;   /* bits of buf consumed / valid; the stream continues in the ring */
    uint64_t pos;        /* bits delivered since the seed, mod period */
    uint64_t seed;       /* history state at position 0 */
    uint64_t period, mask, tapmask, charpoly; /* charpoly f(x) = x^n p(1/x) */
    uint64_t inv;                             /* 0 or ~0 */
    unsigned degree, n_taps;
    unsigned taps[4];
};

static const prbs_info *info_of(ls_prbs_type t)
{
    return (unsigned)t < LS_PRBS_N_TYPES ? &info_table[t] : NULL;
}

static unsigned parity64(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_parityll(x);
#else
    x ^= x >> 32;
    x ^= x >> 16;
    x ^= x >> 8;
    x ^= x >> 4;
    x ^= x >> 2;
    x ^= x >> 1;
    return (unsigned)(x & 1u);
#endif
}

/* One bit step of the history state; returns the output bit. */
static unsigned step(const ls_prbs *q, uint64_t *h)
{
    unsigned y = parity64(*h & q->tapmask);
    *h = ((*h << 1) | y) & q->mask;
    return y;
}

/* a * b mod f over GF(2); a, b of degree < n, f of degree n. */
static uint64_t polymulmod(uint64_t a, uint64_t b, uint64_t f, unsigned n)
{
    uint64_t r = 0;
    for (unsigned i = n; i-- > 0;) {
        r <<= 1;
        if (r >> n & 1u)
            r ^= f;
        if (b >> i & 1u)
            r ^= a;
    }
    return r;
}

/* History state N bits after state h: r(M) h with r(x) = x^N mod f(x). */
static uint64_t jump(const ls_prbs *q, uint64_t h, uint64_t n_bits)
{
    uint64_t e = n_bits % q->period;
    uint64_t r = 1;
    const uint64_t x = 2; /* the polynomial x; degree 1 < n */
    for (unsigned i = 64; i-- > 0;) {
        r = polymulmod(r, r, q->charpoly, q->degree);
        if (e >> i & 1u)
            r = polymulmod(r, x, q->charpoly, q->degree);
    }
    uint64_t acc = 0;
    for (unsigned i = 0; i < q->degree; i++) {
        if (r >> i & 1u)
            acc ^= h;
        (void)step(q, &h);
    }
    return acc;
}

/* Positions the generator at bit pos (< period): ring holds the 64 n bits before pos. */
static void seat(ls_prbs *q, uint64_t pos)
{
    uint64_t back = (64u * (uint64_t)q->degree) % q->period;
    uint64_t h = jump(q, q->seed, (pos + q->period - back) % q->period);
    for (unsigned k = 0; k < q->degree; k++) {
        uint64_t w = 0;
        for (unsigned b = 0; b < 64; b++)
            w = (w << 1) | step(q, &h);
        q->ring[k] = w;
    }
    q->j = q->degree;
    q->bpos = q->blen = 0;
    q->pos = pos;
}

/* Next word from the ring (raw). */
static uint64_t ring_next(ls_prbs *q)
{
    uint64_t j = q->j, w = 0;
    for (unsigned i = 0; i < q->n_taps; i++)
        w ^= q->ring[(j - q->taps[i]) % RING];
    q->ring[j % RING] = w;
    q->j = j + 1;
    return w;
}

/* out[i] = out[i-a] ^ out[i-b] for i in [s, e); constant lags after inlining. */
static inline void rec2(uint64_t *out, size_t s, size_t e, size_t a, size_t b)
{
    for (size_t i = s; i < e; i++)
        out[i] = out[i - a] ^ out[i - b];
}

static inline void rec4(uint64_t *out, size_t s, size_t e, size_t a, size_t b, size_t c, size_t d)
{
    for (size_t i = s; i < e; i++)
        out[i] = out[i - a] ^ out[i - b] ^ out[i - c] ^ out[i - d];
}

/* Next nw words of the stream from the ring, inverted if asked (ignores buf). */
static void gen_words(ls_prbs *q, uint64_t *out, size_t nw)
{
    size_t n = q->degree, head = nw < n ? nw : n;
    for (size_t i = 0; i < head; i++)
        out[i] = ring_next(q);
    if (nw > n) {
        switch (n) {
        case 7: rec2(out, n, nw, 7, 6); break;
        case 9: rec2(out, n, nw, 9, 5); break;
        case 11: rec2(out, n, nw, 11, 9); break;
        case 13: rec4(out, n, nw, 13, 12, 2, 1); break;
        case 15: rec2(out, n, nw, 15, 14); break;
        case 23: rec2(out, n, nw, 23, 18); break;
        default: rec2(out, n, nw, 31, 28); break;
        }
        uint64_t j = q->j + (nw - n); /* index after the last word */
        for (size_t k = 1; k <= n; k++)
            q->ring[(j - k) % RING] = out[nw - k];
        q->j = j;
    }
    if (q->inv)
        for (size_t i = 0; i < nw; i++)
            out[i] ^= q->inv;
}

static void add_pos(ls_prbs *q, uint64_t bits)
{
    q->pos = (q->pos + bits % q->period) % q->period;
}

void ls_prbs_config_init(ls_prbs_config *cfg)
{
    if (!cfg)
        return;
    *cfg = (ls_prbs_config){.type = LS_PRBS31, .seed = 0, .invert = 0};
}

ls_prbs *ls_prbs_create(const ls_prbs_config *cfg, ls_status *err)
{
    ls_status st = LS_EINVAL;
    ls_prbs *q = NULL;
    const prbs_info *in = cfg ? info_of(cfg->type) : NULL;
    if (!in)
        goto fail;
    uint64_t mask = ((uint64_t)1 << in->degree) - 1u;
    uint64_t seed = cfg->seed ? cfg->seed & mask : in->seed;
    if (!seed)
        goto fail;
    st = LS_ENOMEM;
    if (!(q = ls_alloc(sizeof *q)))
        goto fail;
    if (!(q->buf = ls_alloc_n(BUF_WORDS, sizeof *q->buf)))
        goto fail;
    q->seed = seed;
    q->degree = in->degree;
    q->n_taps = in->n_taps;
    q->mask = mask;
    q->period = mask;
    q->inv = cfg->invert ? ~(uint64_t)0 : 0;
    q->charpoly = (uint64_t)1 << in->degree;
    for (unsigned i = 0; i < in->n_taps; i++) {
        q->taps[i] = in->taps[i];
        q->tapmask |= (uint64_t)1 << (in->taps[i] - 1u);
        q->charpoly |= (uint64_t)1 << (in->degree - in->taps[i]);
    }
    seat(q, 0);
    if (err)
        *err = LS_OK;
    return q;
fail:
    ls_prbs_destroy(q);
    if (err)
        *err = st;
    return NULL;
}

ls_status ls_prbs_bits(ls_prbs *q, uint8_t *bits, size_t n)
{
    if (!q || (!bits && n))
        return LS_EINVAL;
    add_pos(q, (uint64_t)n);
    while (n) {
        if (q->bpos == q->blen) {
            gen_words(q, q->buf, BUF_WORDS);
            q->bpos = 0;
            q->blen = 64u * BUF_WORDS;
        }
        size_t m = q->blen - q->bpos < n ? q->blen - q->bpos : n;
        /* word by word: bit p of the buffer is bit 63 - p % 64 of word p / 64 */
        for (size_t i = 0, p = q->bpos; i < m;) {
            const uint64_t w = q->buf[p / 64];
            const unsigned b0 = (unsigned)(p % 64);
            const size_t c = 64u - b0 < m - i ? 64u - b0 : m - i;
            for (size_t b = 0; b < c; b++)
                bits[i + b] = (uint8_t)(w >> (63u - b0 - b) & 1u);
            i += c;
            p += c;
        }
        q->bpos += m;
        bits += m;
        n -= m;
    }
    return LS_OK;
}

ls_status ls_prbs_words(ls_prbs *q, uint64_t *out, size_t n_words)
{
    if (!q || (!out && n_words))
        return LS_EINVAL;
    if (!n_words)
        return LS_OK;
    add_pos(q, (uint64_t)(n_words % q->period) * 64u);
    size_t left = q->blen - q->bpos;
    if (left % 64 == 0) {
        /* buffered bits (if any) are whole words: copy them, then generate */
        size_t c = left / 64 < n_words ? left / 64 : n_words;
        memcpy(out, q->buf + q->bpos / 64, c * sizeof *out);
        q->bpos += 64u * c;
        if (n_words > c)
            gen_words(q, out + c, n_words - c);
        return LS_OK;
    }
    /* Unaligned: the stream is u[0] (its first `off` bits consumed), u[1], ... where
     * u[0 .. ub) are buffered and the rest come from the ring; out[i] joins u[i], u[i+1]. */
    unsigned off = (unsigned)(q->bpos % 64);
    size_t first = q->bpos / 64, ub = BUF_WORDS - first;
    uint64_t prev = q->buf[first];
    size_t from_buf = ub - 1 < n_words ? ub - 1 : n_words; /* u[1 .. from_buf] */
    memcpy(out, q->buf + first + 1, from_buf * sizeof *out);
    if (n_words > from_buf)
        gen_words(q, out + from_buf, n_words - from_buf);
    for (size_t i = 0; i < n_words; i++) {
        uint64_t t = out[i];
        out[i] = (prev << off) | (t >> (64u - off));
        prev = t;
    }
    if (n_words > from_buf) {
        /* u[n_words] came from the ring: keep it as the only buffered word */
        q->buf[BUF_WORDS - 1] = prev;
        q->bpos = 64u * (BUF_WORDS - 1) + off;
        q->blen = 64u * BUF_WORDS;
    } else {
        q->bpos += 64u * n_words;
    }
    return LS_OK;
}

ls_status ls_prbs_advance(ls_prbs *q, uint64_t n)
{
    if (!q)
        return LS_EINVAL;
    seat(q, (q->pos + n % q->period) % q->period);
    return LS_OK;
}

ls_status ls_prbs_reset(ls_prbs *q)
{
    if (!q)
        return LS_EINVAL;
    seat(q, 0);
    return LS_OK;
}

uint64_t ls_prbs_state(const ls_prbs *q)
{
    return q ? jump(q, q->seed, q->pos) : 0;
}

uint64_t ls_prbs_position(const ls_prbs *q)
{
    return q ? q->pos : 0;
}

unsigned ls_prbs_degree(ls_prbs_type t)
{
    const prbs_info *in = info_of(t);
    return in ? in->degree : 0;
}

uint64_t ls_prbs_period(ls_prbs_type t)
{
    const prbs_info *in = info_of(t);
    return in ? ((uint64_t)1 << in->degree) - 1u : 0;
}

uint64_t ls_prbs_poly(ls_prbs_type t)
{
    const prbs_info *in = info_of(t);
    if (!in)
        return 0;
    uint64_t p = 1;
    for (unsigned i = 0; i < in->n_taps; i++)
        p |= (uint64_t)1 << in->taps[i];
    return p;
}

uint64_t ls_prbs_default_seed(ls_prbs_type t)
{
    const prbs_info *in = info_of(t);
    return in ? in->seed : 0;
}

const char *ls_prbs_name(ls_prbs_type t)
{
    const prbs_info *in = info_of(t);
    return in ? in->name : NULL;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int ls_prbs_parse(const char *name, ls_prbs_type *t)
{
    if (!name || !t)
        return -1;
    for (unsigned k = 0; k < LS_PRBS_N_TYPES; k++) {
        const char *a = info_table[k].name, *b = name;
        while (*a && lower((unsigned char)*b) == *a) {
            a++;
            b++;
        }
        if (!*a && !*b) {
            *t = (ls_prbs_type)k;
            return 0;
        }
    }
    return -1;
}

void ls_prbs_destroy(ls_prbs *q)
{
    if (!q)
        return;
    ls_free(q->buf);
    ls_free(q);
}

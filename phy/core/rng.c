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
#else
#define LS_NOINLINE
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
/* zig_w[i] = X[i] 2^-53; zig_k[i] = floor(2^53 X[i+1] / X[i]); zig_f[i] = exp(-X[i]^2 / 2). */
#define ZIG_R 0x1.d3bb48209ad33p+1 /* r = 3.6541528853610088 */
#define ZIG_V 0x1.43016a5a43732p-8 /* v = 4.928673233974655e-3 */
/* zig_ws[0..256) = zig_w, zig_ws[256..512) = -zig_w: indexed by the layer and sign bits (0-8) of
 * a draw, it applies the sign in the multiply (x (-w) = -(x w) exactly in IEEE arithmetic). */
#define ZIG_W_TABLE(X) \
    X(0x1.f493b7815d982p-52) X(0x1.d3bb48209ad33p-52) X(0x1.b981f3878fdb0p-52) X(0x1.a8fdc78947759p-52) \
    X(0x1.9cbee014057aap-52) X(0x1.92ee0946f4496p-52) X(0x1.8ab0fbfaa7c14p-52) X(0x1.839030529f233p-52) \
    X(0x1.7d42df4d6ce8bp-52) X(0x1.7799556090672p-52) X(0x1.72728f05f7a33p-52) X(0x1.6db6b8d09e231p-52) \
    X(0x1.69540be9fe5c2p-52) X(0x1.653ce7b006aeap-52) X(0x1.61669cf861e4bp-52) X(0x1.5dc8a243ad0fep-52) \
    X(0x1.5a5c08b718dd9p-52) X(0x1.571b1a94ae41cp-52) X(0x1.54011523a7e43p-52) X(0x1.5109f53e9ac42p-52) \
    X(0x1.4e3250dcd8903p-52) X(0x1.4b7739d6b5a28p-52) X(0x1.48d62759c43bdp-52) X(0x1.464ce44a73a16p-52) \
    X(0x1.43d9815545e94p-52) X(0x1.417a49cb9e5dbp-52) X(0x1.3f2dbaa60f475p-52) X(0x1.3cf27b31704a6p-52) \
    X(0x1.3ac7570ae88fap-52) X(0x1.38ab39256410ap-52) X(0x1.369d27a33a840p-52) X(0x1.349c405ae12a3p-52) \
    X(0x1.32a7b5e68a4a3p-52) X(0x1.30becd256aeeep-52) X(0x1.2ee0db1a978f5p-52) X(0x1.2d0d43196db97p-52) \
    X(0x1.2b437532a0a53p-52) X(0x1.2982ecd770e78p-52) X(0x1.27cb2faa8592ep-52) X(0x1.261bcc77658e0p-52) \
    X(0x1.24745a4ac9c24p-52) X(0x1.22d477a6fd3efp-52) X(0x1.213bc9d04cc82p-52) X(0x1.1fa9fc2e2d901p-52) \
    X(0x1.1e1ebfbe4ae39p-52) X(0x1.1c99ca971a695p-52) X(0x1.1b1ad777f2f8fp-52) X(0x1.19a1a564eebadp-52) \
    X(0x1.182df74d21262p-52) X(0x1.16bf93b9deef5p-52) X(0x1.1556448602e3dp-52) X(0x1.13f1d69c4096fp-52) \
    X(0x1.129219bbb5d37p-52) X(0x1.1136e04207043p-52) X(0x1.0fdffefa69fb8p-52) X(0x1.0e8d4cf116594p-52) \
    X(0x1.0d3ea34aa3d32p-52) X(0x1.0bf3dd1eed449p-52) X(0x1.0aacd7571c0c5p-52) X(0x1.0969708e8a255p-52) \
    X(0x1.082988f632e18p-52) X(0x1.06ed023a72669p-52) X(0x1.05b3bf6adb37ep-52) X(0x1.047da4e3ef5c7p-52) \
    X(0x1.034a983a902abp-52) X(0x1.021a8028fc947p-52) X(0x1.00ed447d3a075p-52) X(0x1.ff859c118f60bp-53) \
    X(0x1.fd360d22fe785p-53) X(0x1.faebb187122bfp-53) X(0x1.f8a6604899782p-53) X(0x1.f665f20c90168p-53) \
    X(0x1.f42a40fb74d6dp-53) X(0x1.f1f328ac25321p-53) X(0x1.efc086101eca9p-53) X(0x1.ed9237610a73ap-53) \
    X(0x1.eb681c0f76f08p-53) X(0x1.e94214b2abf09p-53) X(0x1.e72002f97fe23p-53) X(0x1.e501c99c1d186p-53) \
    X(0x1.e2e74c4ea46f3p-53) X(0x1.e0d06fb49d219p-53) X(0x1.debd195522e34p-53) X(0x1.dcad2f8fc490cp-53) \
    X(0x1.daa0999206e6ep-53) X(0x1.d8973f4d7fba4p-53) X(0x1.d691096e7f123p-53) X(0x1.d48de1533c647p-53) \
    X(0x1.d28db1037ef20p-53) X(0x1.d0906328b8f6ep-53) X(0x1.ce95e3068e037p-53) X(0x1.cc9e1c73bd690p-53) \
    X(0x1.caa8fbd36a2abp-53) X(0x1.c8b66e0eba617p-53) X(0x1.c6c6608ec8705p-53) X(0x1.c4d8c136e0d1dp-53) \
    X(0x1.c2ed7e5f07a2dp-53) X(0x1.c10486cec16a0p-53) X(0x1.bf1dc9b81ae82p-53) X(0x1.bd3936b2ec0a2p-53) \
    X(0x1.bb56bdb85256ep-53) X(0x1.b9764f1e5f73dp-53) X(0x1.b797db93f8928p-53) X(0x1.b5bb541ce3d04p-53) \
    X(0x1.b3e0aa0e00c01p-53) X(0x1.b207cf09a985cp-53) X(0x1.b030b4fc3a11bp-53) X(0x1.ae5b4e18bb338p-53) \
    X(0x1.ac878cd5af5cfp-53) X(0x1.aab563e9ff10ap-53) X(0x1.a8e4c64a0313fp-53) X(0x1.a715a724aa9a7p-53) \
    X(0x1.a547f9e0bbb8bp-53) X(0x1.a37bb21a2c85ep-53) X(0x1.a1b0c39f93696p-53) X(0x1.9fe7226fad24dp-53) \
    X(0x1.9e1ec2b6f7414p-53) X(0x1.9c5798cd5d92ep-53) X(0x1.9a919933f99c1p-53) X(0x1.98ccb892e2a33p-53) \
    X(0x1.9708ebb70d5efp-53) X(0x1.954627903a28bp-53) X(0x1.9384612ef0afep-53) X(0x1.91c38dc288349p-53) \
    X(0x1.9003a2973b591p-53) X(0x1.8e44951446a28p-53) X(0x1.8c865aba10c9dp-53) X(0x1.8ac8e9205c044p-53) \
    X(0x1.890c35f47f72ep-53) X(0x1.875036f7a7ec7p-53) X(0x1.8594e1fd1f5bep-53) X(0x1.83da2ce899f16p-53) \
    X(0x1.82200dac88677p-53) X(0x1.80667a486ea1fp-53) X(0x1.7ead68c73dee7p-53) X(0x1.7cf4cf3db22fcp-53) \
    X(0x1.7b3ca3c8b140ap-53) X(0x1.7984dc8babd94p-53) X(0x1.77cd6faeff44ap-53) X(0x1.7616535e57320p-53) \
    X(0x1.745f7dc70eeddp-53) X(0x1.72a8e516914c7p-53) X(0x1.70f27f78b68ecp-53) X(0x1.6f3c43161f856p-53) \
    X(0x1.6d8626128d354p-53) X(0x1.6bd01e8b343bdp-53) X(0x1.6a1a22950b2b3p-53) X(0x1.6864283b13139p-53) \
    X(0x1.66ae257c99674p-53) X(0x1.64f8104b7260dp-53) X(0x1.6341de8a2b0a4p-53) X(0x1.618b860a31fc5p-53) \
    X(0x1.5fd4fc89f5e39p-53) X(0x1.5e1e37b2f8cd4p-53) X(0x1.5c672d17d733fp-53) X(0x1.5aafd23241b5ap-53) \
    X(0x1.58f81c60e8515p-53) X(0x1.574000e555f79p-53) X(0x1.558774e1bb2c9p-53) X(0x1.53ce6d56a6650p-53) \
    X(0x1.5214df20a8b5cp-53) X(0x1.505abef5e5563p-53) X(0x1.4ea001638a606p-53) X(0x1.4ce49acb311ddp-53) \
    X(0x1.4b287f602415ep-53) X(0x1.496ba32488f30p-53) X(0x1.47adf9e66c338p-53) X(0x1.45ef773cac75ep-53) \
    X(0x1.44300e83c30a6p-53) X(0x1.426fb2da6745fp-53) X(0x1.40ae571e09e76p-53) X(0x1.3eebede725a85p-53) \
    X(0x1.3d28698561de3p-53) X(0x1.3b63bbfb83d06p-53) X(0x1.399dd6fb2b267p-53) X(0x1.37d6abe05586cp-53) \
    X(0x1.360e2baca52d7p-53) X(0x1.3444470265ea4p-53) X(0x1.3278ee1f4b933p-53) X(0x1.30ac10d6e48dap-53) \
    X(0x1.2edd9e8cba990p-53) X(0x1.2d0d862e1b855p-53) X(0x1.2b3bb62b82edbp-53) X(0x1.29681c719d71dp-53) \
    X(0x1.2792a661dd381p-53) X(0x1.25bb40ca96bfep-53) X(0x1.23e1d7de9c322p-53) X(0x1.2206572c4c6ecp-53) \
    X(0x1.2028a9940a0a3p-53) X(0x1.1e48b93e0d431p-53) X(0x1.1c666f8f82acfp-53) X(0x1.1a81b51ee6d8bp-53) \
    X(0x1.189a71a78da37p-53) X(0x1.16b08bfc42020p-53) X(0x1.14c3e9f8e9143p-53) X(0x1.12d4707310fc1p-53) \
    X(0x1.10e20329515f1p-53) X(0x1.0eec84b16086fp-53) X(0x1.0cf3d664bcc83p-53) X(0x1.0af7d84bc6116p-53) \
    X(0x1.08f869071f40fp-53) X(0x1.06f565b72a014p-53) X(0x1.04eea9e16a5ffp-53) X(0x1.02e40f5398f9dp-53) \
    X(0x1.00d56e04234eep-53) X(0x1.fd8537dfa2eb1p-54) X(0x1.f956d9e87d7b2p-54) X(0x1.f51f654d8f68cp-54) \
    X(0x1.f0de784f0622ap-54) X(0x1.ec93abdf982d2p-54) X(0x1.e83e9337a6f04p-54) X(0x1.e3debb5d2ee02p-54) \
    X(0x1.df73aa9f17656p-54) X(0x1.dafce0023b8c8p-54) X(0x1.d679d29e41f14p-54) X(0x1.d1e9f0e80b74bp-54) \
    X(0x1.cd4c9fe72268fp-54) X(0x1.c8a13a5323b66p-54) X(0x1.c3e70f9594ef8p-54) X(0x1.bf1d62abf8239p-54) \
    X(0x1.ba4368e529f40p-54) X(0x1.b558487427a2fp-54) X(0x1.b05b16d136ca2p-54) X(0x1.ab4ad6e101636p-54) \
    X(0x1.a62676d77cd5fp-54) X(0x1.a0eccdca4a731p-54) X(0x1.9b9c98e38c54dp-54) X(0x1.96347822c1ef0p-54) \
    X(0x1.90b2ea94ecf9ep-54) X(0x1.8b1649e7b769fp-54) X(0x1.855cc53430a7dp-54) X(0x1.7f845ad46f549p-54) \
    X(0x1.798ad10b32a7ep-54) X(0x1.736dad346f8adp-54) X(0x1.6d2a292000576p-54) X(0x1.66bd261a37c44p-54) \
    X(0x1.60231cfd97ef1p-54) X(0x1.59580a707ce9cp-54) X(0x1.52575621ad379p-54) X(0x1.4b1bb363dfeadp-54) \
    X(0x1.439ef8dff9b5ap-54) X(0x1.3bd9ec1a2b134p-54) X(0x1.33c3fc05791fap-54) X(0x1.2b52e3863d885p-54) \
    X(0x1.227a28f7a1afap-54) X(0x1.192a69741367dp-54) X(0x1.0f5053b025d4ap-54) X(0x1.04d32278ebbb4p-54) \
    X(0x1.f32482d4cd5d0p-55) X(0x1.dac2f5a747281p-55) X(0x1.c004d2f386207p-55) X(0x1.a230c2e4cd0cbp-55) \
    X(0x1.801fce82fa71ap-55) X(0x1.57cb938443b71p-55) X(0x1.250af3c2c5bc6p-55) X(0x1.b8d0be3fdf702p-56)
#define ZIG_W_POS(v) v,
#define ZIG_W_NEG(v) -v,
static const double zig_ws[512] = {ZIG_W_TABLE(ZIG_W_POS) ZIG_W_TABLE(ZIG_W_NEG)};
#define zig_w zig_ws
static const uint64_t zig_k[256] = {
    UINT64_C(0x1de67b004bdeca), UINT64_C(0x1e34b496663893), UINT64_C(0x1ecd8befe06058),
    UINT64_C(0x1f13f491483bf7), UINT64_C(0x1f3d2e3c028b2e), UINT64_C(0x1f5880b05450e7),
    UINT64_C(0x1f6c0d8800a867), UINT64_C(0x1f7acb03817073), UINT64_C(0x1f86565e3c45d9),
    UINT64_C(0x1f8fa4dd9a5a45), UINT64_C(0x1f9751b0bc2363), UINT64_C(0x1f9dc408ec3f3d),
    UINT64_C(0x1fa3434f698f58), UINT64_C(0x1fa80293c5e023), UINT64_C(0x1fac275b7aca16),
    UINT64_C(0x1fafcdde919e08), UINT64_C(0x1fb30bc36574ea), UINT64_C(0x1fb5f1f05c0505),
    UINT64_C(0x1fb88dca537e25), UINT64_C(0x1fbaea138c77fa), UINT64_C(0x1fbd0f8afdfd54),
    UINT64_C(0x1fbf056056e354), UINT64_C(0x1fc0d189dccf5e), UINT64_C(0x1fc27904f10628),
    UINT64_C(0x1fc4000732aaae), UINT64_C(0x1fc56a245fc9fa), UINT64_C(0x1fc6ba6bdd6337),
    UINT64_C(0x1fc7f37ffa3c6e), UINT64_C(0x1fc917a86de8af), UINT64_C(0x1fca28e12ee500),
    UINT64_C(0x1fcb28e671ee84), UINT64_C(0x1fcc193e7060fb), UINT64_C(0x1fccfb416d57b1),
    UINT64_C(0x1fcdd020554403), UINT64_C(0x1fce98ea3ed54a), UINT64_C(0x1fcf569104677e),
    UINT64_C(0x1fd009ed21527f), UINT64_C(0x1fd0b3c0f563d4), UINT64_C(0x1fd154bb89d1cc),
    UINT64_C(0x1fd1ed7aed8bac), UINT64_C(0x1fd27e8e3a8e51), UINT64_C(0x1fd30877528f46),
    UINT64_C(0x1fd38bac5eac74), UINT64_C(0x1fd408991bb3ed), UINT64_C(0x1fd47f9ffae7ca),
    UINT64_C(0x1fd4f11b1dc64d), UINT64_C(0x1fd55d5d3244ad), UINT64_C(0x1fd5c4b23405d1),
    UINT64_C(0x1fd62760165a96), UINT64_C(0x1fd685a75a3f3c), UINT64_C(0x1fd6dfc3930a85),
    UINT64_C(0x1fd735ebdc19b8), UINT64_C(0x1fd78853416d22), UINT64_C(0x1fd7d7291cdfa1),
    UINT64_C(0x1fd82299696669), UINT64_C(0x1fd86acd0d92c3), UINT64_C(0x1fd8afea1e63fb),
    UINT64_C(0x1fd8f2141b52f0), UINT64_C(0x1fd9316c246181), UINT64_C(0x1fd96e112add68),
    UINT64_C(0x1fd9a8201d6f70), UINT64_C(0x1fd9dfb40ffc66), UINT64_C(0x1fda14e65fcc87),
    UINT64_C(0x1fda47ced45fae), UINT64_C(0x1fda7883bd4844), UINT64_C(0x1fdaa71a0d5bfe),
    UINT64_C(0x1fdad3a5738055), UINT64_C(0x1fdafe3871506c), UINT64_C(0x1fdb26e46fd319),
    UINT64_C(0x1fdb4db9d27192), UINT64_C(0x1fdb72c80859e7), UINT64_C(0x1fdb961d9c73a6),
    UINT64_C(0x1fdbb7c84408fa), UINT64_C(0x1fdbd7d4ec42d8), UINT64_C(0x1fdbf64fc69397),
    UINT64_C(0x1fdc134454288e), UINT64_C(0x1fdc2ebd7078b3), UINT64_C(0x1fdc48c55b0409),
    UINT64_C(0x1fdc6165c055ae), UINT64_C(0x1fdc78a7c2589e), UINT64_C(0x1fdc8e94000d9d),
    UINT64_C(0x1fdca3329caf6b), UINT64_C(0x1fdcb68b465111), UINT64_C(0x1fdcc8a53c00fe),
    UINT64_C(0x1fdcd987537abc), UINT64_C(0x1fdce937fe6ffe), UINT64_C(0x1fdcf7bd4f710f),
    UINT64_C(0x1fdd051cfe7bf9), UINT64_C(0x1fdd115c6d38f3), UINT64_C(0x1fdd1c80aaea2a),
    UINT64_C(0x1fdd268e781472), UINT64_C(0x1fdd2f8a49e5c7), UINT64_C(0x1fdd37784d5e5d),
    UINT64_C(0x1fdd3e5c6a4048), UINT64_C(0x1fdd443a45c9b3), UINT64_C(0x1fdd4915453d05),
    UINT64_C(0x1fdd4cf0903a48), UINT64_C(0x1fdd4fcf12eca7), UINT64_C(0x1fdd51b3800ebb),
    UINT64_C(0x1fdd52a052c81e), UINT64_C(0x1fdd5297d06677), UINT64_C(0x1fdd519c09f414),
    UINT64_C(0x1fdd4faeddadf3), UINT64_C(0x1fdd4cd1f85ae2), UINT64_C(0x1fdd4906d68556),
    UINT64_C(0x1fdd444ec5995c), UINT64_C(0x1fdd3eaae4e7e7), UINT64_C(0x1fdd381c2690b6),
    UINT64_C(0x1fdd30a35053d6), UINT64_C(0x1fdd2840fc4bb4), UINT64_C(0x1fdd1ef59990a3),
    UINT64_C(0x1fdd14c16cc685), UINT64_C(0x1fdd09a4909565), UINT64_C(0x1fdcfd9ef60d73),
    UINT64_C(0x1fdcf0b064f702), UINT64_C(0x1fdce2d87c0ef4), UINT64_C(0x1fdcd416b12fe1),
    UINT64_C(0x1fdcc46a51685b), UINT64_C(0x1fdcb3d280fe82), UINT64_C(0x1fdca24e3b610c),
    UINT64_C(0x1fdc8fdc5305e7), UINT64_C(0x1fdc7c7b713679), UINT64_C(0x1fdc682a15c977),
    UINT64_C(0x1fdc52e696ca48), UINT64_C(0x1fdc3caf200dbf), UINT64_C(0x1fdc2581b2b40c),
    UINT64_C(0x1fdc0d5c249789), UINT64_C(0x1fdbf43c1fa827), UINT64_C(0x1fdbda1f2132ff),
    UINT64_C(0x1fdbbf027915a4), UINT64_C(0x1fdba2e348dca4), UINT64_C(0x1fdb85be82cca4),
    UINT64_C(0x1fdb6790e8d566), UINT64_C(0x1fdb48570b6e08), UINT64_C(0x1fdb280d485991),
    UINT64_C(0x1fdb06afc95303), UINT64_C(0x1fdae43a829fd0), UINT64_C(0x1fdac0a93187b9),
    UINT64_C(0x1fda9bf75ab0db), UINT64_C(0x1fda7620485e98), UINT64_C(0x1fda4f1f089206),
    UINT64_C(0x1fda26ee6b0a50), UINT64_C(0x1fd9fd88ff236e), UINT64_C(0x1fd9d2e9119167),
    UINT64_C(0x1fd9a708a9f62a), UINT64_C(0x1fd979e1884ffc), UINT64_C(0x1fd94b6d223e21),
    UINT64_C(0x1fd91ba4a01968), UINT64_C(0x1fd8ea80d9dde8), UINT64_C(0x1fd8b7fa53e32c),
    UINT64_C(0x1fd884093b5fa6), UINT64_C(0x1fd84ea562b429), UINT64_C(0x1fd817c63d7bd0),
    UINT64_C(0x1fd7df62dc5c7b), UINT64_C(0x1fd7a571e8939f), UINT64_C(0x1fd769e99f3af8),
    UINT64_C(0x1fd72cbfcc4026), UINT64_C(0x1fd6ede9c509f3), UINT64_C(0x1fd6ad5c62c568),
    UINT64_C(0x1fd66b0bfc5495), UINT64_C(0x1fd626ec5fd824), UINT64_C(0x1fd5e0f0cbcc78),
    UINT64_C(0x1fd5990be7b23f), UINT64_C(0x1fd54f2fbc39de), UINT64_C(0x1fd5034daae833),
    UINT64_C(0x1fd4b556652a59), UINT64_C(0x1fd46539e2cd48), UINT64_C(0x1fd412e757ccf7),
    UINT64_C(0x1fd3be4d296daa), UINT64_C(0x1fd36758e290cb), UINT64_C(0x1fd30df7273543),
    UINT64_C(0x1fd2b213a711d5), UINT64_C(0x1fd253990f3639), UINT64_C(0x1fd1f270fa9dec),
    UINT64_C(0x1fd18e83e19d78), UINT64_C(0x1fd127b90810c8), UINT64_C(0x1fd0bdf66a2e76),
    UINT64_C(0x1fd05120a7e118), UINT64_C(0x1fcfe11aee8485), UINT64_C(0x1fcf6dc6e0e143),
    UINT64_C(0x1fcef7047d3c72), UINT64_C(0x1fce7cb2014e02), UINT64_C(0x1fcdfeabcbe9e4),
    UINT64_C(0x1fcd7ccc3c2355), UINT64_C(0x1fccf6eb8daaf0), UINT64_C(0x1fcc6cdfb220ef),
    UINT64_C(0x1fcbde7c270d12), UINT64_C(0x1fcb4b91c82424), UINT64_C(0x1fcab3ee9d78ee),
    UINT64_C(0x1fca175da52a49), UINT64_C(0x1fc975a69812b7), UINT64_C(0x1fc8ce8da8ee69),
    UINT64_C(0x1fc821d33d5afd), UINT64_C(0x1fc76f33a00055), UINT64_C(0x1fc6b666ab1a95),
    UINT64_C(0x1fc5f71f6a830c), UINT64_C(0x1fc5310bb43723), UINT64_C(0x1fc463d3b63952),
    UINT64_C(0x1fc38f19787f31), UINT64_C(0x1fc2b278517097), UINT64_C(0x1fc1cd844b44b0),
    UINT64_C(0x1fc0dfc97849e3), UINT64_C(0x1fbfe8cb33da7d), UINT64_C(0x1fbee8034d685c),
    UINT64_C(0x1fbddce11aa29c), UINT64_C(0x1fbcc6c86d3ec7), UINT64_C(0x1fbba510685f1f),
    UINT64_C(0x1fba770230e53a), UINT64_C(0x1fb93bd77334fa), UINT64_C(0x1fb7f2b8b7f9a1),
    UINT64_C(0x1fb69abb805c3f), UINT64_C(0x1fb532e020bd17), UINT64_C(0x1fb3ba0f4f5ba5),
    UINT64_C(0x1fb22f175a5917), UINT64_C(0x1fb090a8f611d0), UINT64_C(0x1faedd5391d064),
    UINT64_C(0x1fad13811d33d8), UINT64_C(0x1fab3171241ea5), UINT64_C(0x1fa935332168f3),
    UINT64_C(0x1fa71c9fe1923c), UINT64_C(0x1fa4e551c5e8a0), UINT64_C(0x1fa28c9bad89ca),
    UINT64_C(0x1fa00f7e3b9261), UINT64_C(0x1f9d6a9b1fd932), UINT64_C(0x1f9a9a25f07388),
    UINT64_C(0x1f9799d2044634), UINT64_C(0x1f9464bc97bd0a), UINT64_C(0x1f90f552512d49),
    UINT64_C(0x1f8d452ef5dc60), UINT64_C(0x1f894cf5c4b7a2), UINT64_C(0x1f8504206f4490),
    UINT64_C(0x1f8060c1fed8ae), UINT64_C(0x1f7b573a0817db), UINT64_C(0x1f75d9d343ca19),
    UINT64_C(0x1f6fd846cdfcef), UINT64_C(0x1f693f1aa6e98b), UINT64_C(0x1f61f6ce31721c),
    UINT64_C(0x1f59e2c1a6a9b7), UINT64_C(0x1f50dfbcb697f1), UINT64_C(0x1f46c1eb03f4e5),
    UINT64_C(0x1f3b520fb7ea11), UINT64_C(0x1f2e498e9ba1b4), UINT64_C(0x1f1f4caf064bbb),
    UINT64_C(0x1f0de218c6afa5), UINT64_C(0x1ef965d8508936), UINT64_C(0x1ee0f4eaa72d49),
    UINT64_C(0x1ec34bc837472c), UINT64_C(0x1e9e8d2ac24ab6), UINT64_C(0x1e6fdac3ff962e),
    UINT64_C(0x1e328e15f48957), UINT64_C(0x1dde9702fd9571), UINT64_C(0x1d64abd3a7eefc),
    UINT64_C(0x1ca3ecfd83ddd8), UINT64_C(0x1b46a9f57b028c), UINT64_C(0x18117d31f78d6c),
    UINT64_C(0x00000000000000),
};
static const double zig_f[257] = {
    0x1.f4a946f13842fp-12, 0x1.4a605b6b9f70dp-10, 0x1.55f9f43c1b070p-9, 0x1.08a1f03b0b205p-8,
    0x1.69ea8d90cb864p-8,  0x1.ce160f8ec683cp-8,  0x1.1a59229952f95p-7, 0x1.4eb96421acfe7p-7,
    0x1.841040d8da47ep-7,  0x1.ba48d274f8fb3p-7,  0x1.f152a4f72dd53p-7, 0x1.149033460301ap-6,
    0x1.30d388dab5e1ap-6,  0x1.4d6eaf2fbb067p-6,  0x1.6a5daf40bbf87p-6, 0x1.879d1b600c10bp-6,
    0x1.a529f4e22ebf4p-6,  0x1.c301983cd0912p-6,  0x1.e121adb828c69p-6, 0x1.ff881d718a5b5p-6,
    0x1.0f1982e968009p-5,  0x1.1e9059f1f6ab6p-5,  0x1.2e27ce83df495p-5, 0x1.3ddf2ce98eec7p-5,
    0x1.4db5d0e11275cp-5,  0x1.5dab23cf2add1p-5,  0x1.6dbe9b398d062p-5, 0x1.7defb77af271cp-5,
    0x1.8e3e02a68b5a9p-5,  0x1.9ea90f9295561p-5,  0x1.af30790385f6fp-5, 0x1.bfd3e0f282a2cp-5,
    0x1.d092efeadf162p-5,  0x1.e16d547b25185p-5,  0x1.f262c2b6c6e33p-5, 0x1.01b979e30e496p-4,
    0x1.0a4ed2c159622p-4,  0x1.12f14d0f2179dp-4,  0x1.1ba0cbe97897ep-4, 0x1.245d344dd0d8fp-4,
    0x1.2d266cf9b310dp-4,  0x1.35fc5e4d93e69p-4,  0x1.3edef23269a81p-4, 0x1.47ce1401b2212p-4,
    0x1.50c9b06fa2babp-4,  0x1.59d1b5774669dp-4,  0x1.62e6124854d10p-4, 0x1.6c06b73694a46p-4,
    0x1.753395aaa116dp-4,  0x1.7e6ca013eefccp-4,  0x1.87b1c9dbf2846p-4, 0x1.9103075a4a09fp-4,
    0x1.9a604dc9d5b0bp-4,  0x1.a3c9933ea627bp-4,  0x1.ad3ece9caf627p-4, 0x1.b6bff78f2e228p-4,
    0x1.c04d0680b100ap-4,  0x1.c9e5f493b7404p-4,  0x1.d38abb9bd91dcp-4, 0x1.dd3b56176e88bp-4,
    0x1.e6f7bf29aa546p-4,  0x1.f0bff29520e16p-4,  0x1.fa93ecb6b222bp-4, 0x1.0239d54067d29p-3,
    0x1.072f94bb8bf84p-3,  0x1.0c2b33d5209b9p-3,  0x1.112cb1da26eb8p-3, 0x1.16340e5a82d62p-3,
    0x1.1b41492757d42p-3,  0x1.2054625183c34p-3,  0x1.256d5a2835eb6p-3, 0x1.2a8c3137a071bp-3,
    0x1.2fb0e847c2a65p-3,  0x1.34db805b4ab89p-3,  0x1.3a0bfaae8d7eep-3, 0x1.3f4258b6931afp-3,
    0x1.447e9c20375d6p-3,  0x1.49c0c6cf5ce30p-3,  0x1.4f08dade31fc6p-3, 0x1.5456da9c8683bp-3,
    0x1.59aac88f31d74p-3,  0x1.5f04a76f88400p-3,  0x1.64647a2adf1a4p-3, 0x1.69ca43e21f261p-3,
    0x1.6f3607e964719p-3,  0x1.74a7c9c7ab5a8p-3,  0x1.7a1f8d368a323p-3, 0x1.7f9d5621f7174p-3,
    0x1.852128a819a38p-3,  0x1.8aab09192815ap-3,  0x1.903afbf74fa68p-3, 0x1.95d105f6a7c27p-3,
    0x1.9b6d2bfd2fe5ap-3,  0x1.a10f7322d7e3cp-3,  0x1.a6b7e0b19267cp-3, 0x1.ac667a2571805p-3,
    0x1.b21b452ccd13ap-3,  0x1.b7d647a8731abp-3,  0x1.bd9787abe18a2p-3, 0x1.c35f0b7d89d46p-3,
    0x1.c92cd9971df52p-3,  0x1.cf00f8a5e6fcap-3,  0x1.d4db6f8b2514cp-3, 0x1.dabc455c79006p-3,
    0x1.e0a3816457181p-3,  0x1.e6912b2283cd9p-3,  0x1.ec854a4c99c3ep-3, 0x1.f27fe6ce998ccp-3,
    0x1.f88108cb8322fp-3,  0x1.fe88b89df93bcp-3,  0x1.024b7f6c7747ap-2, 0x1.0555f2242e9d4p-2,
    0x1.0863b8f904331p-2,  0x1.0b74d88b242d4p-2,  0x1.0e895598709bdp-2, 0x1.11a134fcf241dp-2,
    0x1.14bc7bb34ee63p-2,  0x1.17db2ed5454e5p-2,  0x1.1afd539c2f04cp-2, 0x1.1e22ef6188113p-2,
    0x1.214c079f7cc9cp-2,  0x1.2478a1f17de86p-2,  0x1.27a8c414db11bp-2, 0x1.2adc73e963fdap-2,
    0x1.2e13b77210764p-2,  0x1.314e94d5af62dp-2,  0x1.348d125f9d19cp-2, 0x1.37cf368081376p-2,
    0x1.3b1507cf143acp-2,  0x1.3e5e8d08ed2d8p-2,  0x1.41abcd1357a18p-2, 0x1.44fccefc324fcp-2,
    0x1.485199fad6ad4p-2,  0x1.4baa357109ca2p-2,  0x1.4f06a8ebf6d91p-2, 0x1.5266fc2533beap-2,
    0x1.55cb3703d00fdp-2,  0x1.5933619d6eebcp-2,  0x1.5c9f84376c241p-2, 0x1.600fa7480d2c6p-2,
    0x1.6383d377be513p-2,  0x1.66fc11a25cbdfp-2,  0x1.6a786ad88de1ep-2, 0x1.6df8e86124ca6p-2,
    0x1.717d93ba96148p-2,  0x1.7506769c7b1e8p-2,  0x1.78939af9252e6p-2, 0x1.7c250aff414acp-2,
    0x1.7fbad11b8d90dp-2,  0x1.8354f7faa0dd5p-2,  0x1.86f38a8ac5ab2p-2, 0x1.8a9693fde9185p-2,
    0x1.8e3e1fcb9f113p-2,  0x1.91ea39b33cb13p-2,  0x1.959aedbe09f8fp-2, 0x1.995048418c0c3p-2,
    0x1.9d0a55e1e93dcp-2,  0x1.a0c923946843bp-2,  0x1.a48cbea20c04bp-2, 0x1.a85534aa4d87dp-2,
    0x1.ac2293a5f5a9ap-2,  0x1.aff4e9ea18550p-2,  0x1.b3cc462b331c8p-2, 0x1.b7a8b78071319p-2,
    0x1.bb8a4d6716d8fp-2,  0x1.bf7117c616a14p-2,  0x1.c35d26f1d2cb5p-2, 0x1.c74e8bb00d7c3p-2,
    0x1.cb45573c0a843p-2,  0x1.cf419b4ae5b69p-2,  0x1.d3436a102107bp-2, 0x1.d74ad6426de2dp-2,
    0x1.db57f320b56abp-2,  0x1.df6ad47763a03p-2,  0x1.e3838ea5f9b7ep-2, 0x1.e7a236a4ec3bfp-2,
    0x1.ebc6e20bd1f4fp-2,  0x1.eff1a717e8f8ep-2,  0x1.f4229cb2f7aecp-2, 0x1.f859da7a900c4p-2,
    0x1.fc9778c7bbd9bp-2,  0x1.006dc85b8cac2p-1,  0x1.02931e18b8228p-1, 0x1.04bbcafa63f2bp-1,
    0x1.06e7dccf03c33p-1,  0x1.091761d995d7dp-1,  0x1.0b4a68d70d9abp-1, 0x1.0d8101041429cp-1,
    0x1.0fbb3a232590fp-1,  0x1.11f9248311f34p-1,  0x1.143ad105ea998p-1, 0x1.16805128639d6p-1,
    0x1.18c9b709b3c4dp-1,  0x1.1b171573fd10ep-1,  0x1.1d687fe549966p-1, 0x1.1fbe0a992961dp-1,
    0x1.2217ca92ff7eep-1,  0x1.2475d5a90db80p-1,  0x1.26d84290504e9p-1, 0x1.293f28e93cd11p-1,
    0x1.2baaa14d79545p-1,  0x1.2e1ac55ea3beap-1,  0x1.308fafd6438ebp-1, 0x1.33097c9703a32p-1,
    0x1.358848bf550e6p-1,  0x1.380c32bda00d2p-1,  0x1.3a955a662cd0bp-1, 0x1.3d23e10af31a1p-1,
    0x1.3fb7e99585b7fp-1,  0x1.425198a355fe0p-1,  0x1.44f114a493676p-1, 0x1.479685fdf500fp-1,
    0x1.4a42172dc5276p-1,  0x1.4cf3f4f494ebep-1,  0x1.4fac4e820b665p-1, 0x1.526b55a656cd3p-1,
    0x1.55313f08d9e44p-1,  0x1.57fe4264c8d8cp-1,  0x1.5ad29acc85c85p-1, 0x1.5dae86f4aff66p-1,
    0x1.6092498802661p-1,  0x1.637e298550c15p-1,  0x1.667272a92e320p-1, 0x1.696f75e513b26p-1,
    0x1.6c7589e635a86p-1,  0x1.6f850baea7aebp-1,  0x1.729e5f43f6d0ep-1, 0x1.75c1f0770d852p-1,
    0x1.78f033ca0b0d2p-1,  0x1.7c29a779c6855p-1,  0x1.7f6ed4b20e2c8p-1, 0x1.82c050f56cf6bp-1,
    0x1.861ebfc37bca8p-1,  0x1.898ad48badefep-1,  0x1.8d0554fe60aa4p-1, 0x1.908f1bd31714bp-1,
    0x1.94291c21b7a43p-1,  0x1.97d4657617abep-1,  0x1.9b9228d24067ep-1, 0x1.9f63bee651fd5p-1,
    0x1.a34aafdf5af0cp-1,  0x1.a748bd550c9dep-1,  0x1.ab5fef17a2502p-1, 0x1.af92a3f6ce8a0p-1,
    0x1.b3e3a8234dd0ep-1,  0x1.b85653a8ff54fp-1,  0x1.bceeb4ee1dc7fp-1, 0x1.c1b1cd9eebae7p-1,
    0x1.c6a5ecea9787cp-1,  0x1.cbd33a8a72de8p-1,  0x1.d144978a119d9p-1, 0x1.d70920657bcefp-1,
    0x1.dd36fa704de92p-1,  0x1.e3f11e027f074p-1,  0x1.eb7545b6ca912p-1, 0x1.f446ac979f084p-1,
    0x1.0000000000000p+0,
};

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

/* Everything except the fast path: tail (layer 0) or wedge (layers 1..255), and restarts. */
static LS_NOINLINE double zig_slow(ls_rng *r, uint64_t b)
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
                t = -log(1.0 - ls_rng_uniform(r)) * (1.0 / ZIG_R);
                e = -log(1.0 - ls_rng_uniform(r));
            } while (e + e < t * t);
            return sign * (ZIG_R + t);
        }
        if (zig_f[i] + ls_rng_uniform(r) * (zig_f[i + 1] - zig_f[i]) < exp(-0.5 * x * x))
            return sign * x;
        b = ls_rng_u64(r);
    }
}

/* One deviate; the fast path is inlined into the fill loops. The sign comes with the table
 * entry (bit 8 of the draw selects the negated half of zig_ws: a data-dependent branch would
 * mispredict half the time, and a sign-bit flip costs five instructions more). The slow path
 * works on a copy of the state: were the fill loops' generator itself passed to zig_slow, it
 * would live in memory, and the store-to-load round trip of its words would lengthen every
 * step's dependency chain; as a value whose address never escapes it stays in registers. */
static inline double zig_draw(ls_rng *r)
{
    const uint64_t b = ls_rng_u64(r);
    const unsigned i = (unsigned)(b & 0xffu);
    const uint64_t u = b >> 11;
    if (u < zig_k[i])
        return (double)(int64_t)u * zig_ws[b & 0x1ffu];
    ls_rng t = *r;
    const double x = zig_slow(&t, b);
    *r = t;
    return x;
}

double ls_rng_gauss(ls_rng *r)
{
    assert(r);
    return zig_draw(r);
}

void ls_rng_gauss_fill(ls_rng *r, float *y, size_t n, float sigma)
{
    assert(r && (y || !n));
    ls_rng g = *r; /* a local copy stays in registers across the stores to y */
    const double s = sigma;
    for (size_t i = 0; i < n; i++)
        y[i] = (float)(s * zig_draw(&g));
    *r = g;
}

void lsi_rng_gauss_fill_d(ls_rng *r, double *y, size_t n)
{
    assert(r && (y || !n));
    ls_rng g = *r;
    for (size_t i = 0; i < n; i++)
        y[i] = zig_draw(&g);
    *r = g;
}

void lsi_rng_draw_pairs(ls_rng *r, double *g, uint64_t *u, size_t n)
{
    assert(r && ((g || u) || !n));
    ls_rng t = *r; /* in registers across the stores, as in the fill loops */
    for (size_t i = 0; i < n; i++) {
        if (g)
            g[i] = zig_draw(&t);
        if (u)
            u[i] = ls_rng_u64(&t);
    }
    *r = t;
}

void lsi_rng_gauss_add_strided(ls_rng *r, float *y, size_t n, unsigned d, size_t first, double sigma)
{
    assert(r && d && (y || !n));
    if (d == 1) {
        ls_rng_gauss_add(r, y, n, (float)sigma);
        return;
    }
    double g[256];
    const double s = (float)(sqrt((double)d) * sigma);
    for (size_t i = first; i < n;) {
        const size_t m = LS_MIN((n - i + d - 1) / d, sizeof g / sizeof *g);
        lsi_rng_gauss_fill_d(r, g, m);
        for (size_t k = 0; k < m; k++, i += d)
            y[i] = (float)((double)y[i] + s * g[k]);
    }
}

void ls_rng_gauss_add(ls_rng *r, float *y, size_t n, float sigma)
{
    assert(r && (y || !n));
    ls_rng g = *r;
    const double s = sigma;
    for (size_t i = 0; i < n; i++)
        y[i] = (float)((double)y[i] + s * zig_draw(&g));
    *r = g;
}

/*
 * The cluster roll-up (include/lanesim/cluster.h; docs/cluster.md states every assumption and its
 * source).
 *
 * Scale-up: L = G x links_per_gpu links (GPU to scale-up switch chip), switch chips
 *   ceil(G / D) x ceil(D x links_per_gpu x m / switch_lanes).
 * Scale-out: a Clos / fat-tree of T tiers of radix-k switches, each port m lanes per direction.
 *   Endpoints H = G x B_nic / (m r) NIC ports (r the lane's payload rate). Tier 1: L_1 = H links
 * (NIC to leaf); tier t > 1: L_t = ceil(L_{t-1} / o_t) (o_t the down:up ratio of the switches
 * below). Switches at level t: ceil(L_t / d_t), with d_t = floor(k o_{t+1} / (1 + o_{t+1})) down
 * ports below the top and d_T = k at the top. A T-tier tree holds at most k x prod_{t<T} d_t
 * endpoints: k^2/2 for a non-blocking leaf-spine, k^3/4 for three tiers (Al-Fares et al., SIGCOMM
 * 2008, "A scalable, commodity data center network architecture": k^3/4 hosts, 5k^2/4 switches).
 * Payload rate of a lane: r = R x (514/544) x (256/257) (RS(544,514) and 256b/257b transcoding of
 * 802.3: 212.5 -> 200 Gb/s exactly). Link lengths: a uniform or triangular law is cut into
 * LS_CLUSTER_BINS equal-probability bins, each represented by its upper quantile (the longest link
 * of the bin must be reached); a list is used as given. Policy lowest-energy: per bin, the
 * architecture of least pJ/bit (in the configured scope) whose reach covers the bin's length. Links
 * per architecture: L x cumulative fraction, rounded at both ends, so that they sum to L exactly.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lanesim/cluster.h"
#include "ls_internal.h"

ls_cluster_class ls_cluster_class_of(const char *preset, const char *name)
{
    preset = preset ? preset : "";
    name = name ? name : "";
    if (!strcmp(preset, "copper") || !strncmp(preset, "cpc", 3) || !strncmp(name, "copper", 6) ||
        !strncmp(name, "cpc", 3))
        return LS_CLUSTER_COPPER;
    if (!strncmp(preset, "cpo", 3) || !strncmp(name, "cpo", 3))
        return LS_CLUSTER_CPO;
    return LS_CLUSTER_PLUGGABLE;
}

const char *ls_cluster_class_name(ls_cluster_class k)
{
    return k == LS_CLUSTER_COPPER ? "copper" : k == LS_CLUSTER_CPO ? "cpo" : "pluggable";
}

static double payload_of(double rate_gbps)
{
    return rate_gbps * (514.0 / 544.0) * (256.0 / 257.0);
}

/* A tier's link lengths: n points of probability w[i] each. */
typedef struct {
    size_t n;
    double len[LS_CLUSTER_BINS], w[LS_CLUSTER_BINS];
    double lo, hi;
} lengths;

static double key_real(const ls_config *c, const char *sec, const char *k)
{
    char key[64];
    snprintf(key, sizeof key, "%s.%s", sec, k);
    return ls_config_real(c, key);
}

static const char *key_str(const ls_config *c, const char *sec, const char *k)
{
    char key[64];
    snprintf(key, sizeof key, "%s.%s", sec, k);
    return ls_config_str(c, key);
}

/* "len:frac,len:frac" into d; LS_EINVAL with the reason in msg. */
static ls_status parse_list(const char *sec, const char *s, lengths *d, char *msg, size_t cap)
{
    double sum = 0;
    d->n = 0;
    const char *p = s;
    while (*p) {
        char *end;
        double len = strtod(p, &end), frac;
        if (end == p || *end != ':' || !(len >= 0 && len <= 1e5) || d->n == LS_CLUSTER_BINS)
            goto bad;
        p = end + 1;
        frac = strtod(p, &end);
        if (end == p || (*end && *end != ',') || !(frac > 0 && frac <= 1))
            goto bad;
        d->len[d->n] = len;
        d->w[d->n++] = frac;
        sum += frac;
        p = *end ? end + 1 : end;
    }
    if (!d->n || fabs(sum - 1) > 1e-6) {
        lsi_say(msg, cap, "%s.length_list: the fractions sum to %.9g, not 1", sec, sum);
        return LS_EINVAL;
    }
    return LS_OK;
bad:
    lsi_say(msg, cap,
            "%s.length_list: '%s' is not a list of at most %d length_m:fraction pairs (0 < "
            "fraction <= 1)",
            sec, s, LS_CLUSTER_BINS);
    return LS_EINVAL;
}

static ls_status read_lengths(const ls_config *c, const char *sec, lengths *d, char *msg,
                              size_t cap)
{
    const char *law = key_str(c, sec, "length");
    if (!strcmp(law, "list")) {
        ls_status st = parse_list(sec, key_str(c, sec, "length_list"), d, msg, cap);
        if (st != LS_OK)
            return st;
    } else {
        const double a = key_real(c, sec, "length_min_m"), b = key_real(c, sec, "length_max_m");
        const double m = key_real(c, sec, "length_mode_m");
        const int tri = !strcmp(law, "triangular");
        if (!(a <= b)) {
            lsi_say(msg, cap, "%s.length_max_m: %g is below length_min_m %g", sec, b, a);
            return LS_EINVAL;
        }
        if (tri && !(m >= a && m <= b)) {
            lsi_say(msg, cap,
                    "%s.length_mode_m: %g is outside [length_min_m, length_max_m] = [%g, %g]", sec,
                    m, a, b);
            return LS_EINVAL;
        }
        d->n = LS_CLUSTER_BINS;
        for (size_t i = 0; i < d->n; i++) { /* the upper quantile of bin i */
            const double p = (double)(i + 1) / (double)d->n, f = b > a ? (m - a) / (b - a) : 0;
            d->len[i] = !tri     ? a + p * (b - a)
                        : p <= f ? a + sqrt(p * (b - a) * (m - a))
                                 : b - sqrt((1 - p) * (b - a) * (b - m));
            d->w[i] = 1.0 / (double)d->n;
        }
    }
    d->lo = INFINITY;
    d->hi = 0;
    for (size_t i = 0; i < d->n; i++)
        d->lo = fmin(d->lo, d->len[i]), d->hi = fmax(d->hi, d->len[i]);
    if (strcmp(law, "list"))
        d->lo = key_real(c, sec, "length_min_m");
    return LS_OK;
}

static int same_rate(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

/* The architecture a policy names at rate: its index, -1 for lowest-energy, -2 (msg set) for none.
 */
static int resolve(const char *sec, const char *policy, double rate, const ls_cluster_arch *a,
                   size_t n, char *msg, size_t cap)
{
    if (!strcmp(policy, "lowest-energy"))
        return -1;
    int found = -2, hits = 0;
    for (size_t i = 0; i < n; i++)
        if (same_rate(a[i].rate_gbps, rate) && !strcmp(a[i].name, policy))
            return (int)i;
    for (size_t i = 0; i < n; i++)
        if (same_rate(a[i].rate_gbps, rate) && !strncmp(a[i].name, policy, strlen(policy)))
            found = (int)i, hits++;
    if (hits == 1 && *policy)
        return found;
    char names[512] = "";
    for (size_t i = 0; i < n; i++)
        if (same_rate(a[i].rate_gbps, rate) && strlen(names) + strlen(a[i].name) + 3 < sizeof names)
            strcat(strcat(names, names[0] ? ", " : ""), a[i].name);
    lsi_say(msg, cap, "%s.policy: '%s' %s at %g Gb/s (%s%s)", sec, policy,
            hits > 1 ? "names several architectures" : "names no architecture of the study", rate,
            names[0] ? "architectures: " : "no architecture at this rate", names);
    return -2;
}

static double arch_pj(const ls_cluster_arch *a, int module_scope)
{
    return module_scope ? a->module_pj_per_bit : a->pj_per_bit;
}

/* The shares of a tier: which architecture serves each length point. */
static ls_status choose(const ls_config *c, const char *sec, const lengths *d, double rate,
                        const ls_cluster_arch *a, size_t n, int module_scope, ls_cluster_tier *t,
                        char *msg, size_t cap)
{
    const char *policy = key_str(c, sec, "policy");
    snprintf(t->policy, sizeof t->policy, "%s", policy);
    const int fixed = resolve(sec, policy, rate, a, n, msg, cap);
    if (fixed == -2)
        return LS_EINVAL;
    double frac[LS_CLUSTER_MAX_ARCH] = {0};
    for (size_t i = 0; i < d->n; i++) {
        int best = fixed;
        for (size_t k = 0; fixed == -1 && k < n; k++)
            if (same_rate(a[k].rate_gbps, rate) && a[k].reach_m >= d->len[i] &&
                (best < 0 || arch_pj(&a[k], module_scope) < arch_pj(&a[best], module_scope)))
                best = (int)k;
        if (best < 0) {
            lsi_say(msg, cap,
                    "%s.policy: lowest-energy: no architecture at %g Gb/s reaches %g m (%s's "
                    "longest links)",
                    sec, rate, d->len[i], sec);
            return LS_EINVAL;
        }
        frac[best] += d->w[i];
        if (d->len[i] > a[best].reach_m)
            t->uncovered += d->w[i];
    }
    double cum = 0;
    for (size_t k = 0; k < n; k++) {
        if (!(frac[k] > 0))
            continue;
        const uint64_t lo = (uint64_t)llround(cum * (double)t->links);
        cum += frac[k];
        const uint64_t hi = (uint64_t)llround(fmin(cum, 1.0) * (double)t->links);
        t->share[t->n_share++] = (ls_cluster_share){(int)k, frac[k], hi - lo};
        const size_t used = strlen(t->architecture);
        snprintf(t->architecture + used, sizeof t->architecture - used, "%s%s", used ? "+" : "",
                 a[k].name);
    }
    /* rounding: the last share takes what is left, so the links add up exactly */
    uint64_t sum = 0;
    for (size_t s = 0; s < t->n_share; s++)
        sum += t->share[s].links;
    if (t->n_share)
        t->share[t->n_share - 1].links += t->links - sum;
    return LS_OK;
}

/* The counts of one tier from its links and shares. */
static void count(const ls_config *c, const ls_cluster_arch *a, int module_scope,
                  ls_cluster_tier *t)
{
    const uint64_t m = t->lanes_per_dir;
    const double fit_cp = ls_config_real(c, "reliability.fit_connection_point");
    for (size_t s = 0; s < t->n_share; s++) {
        const ls_cluster_arch *x = &a[t->share[s].arch];
        const ls_cluster_class k = ls_cluster_class_of(x->preset, x->name);
        const uint64_t links = t->share[s].links, lanes = 2 * m * links;
        uint64_t modules = 0, cables = lanes;
        double cp_per_link, fit_mod = 0, usd;
        if (k == LS_CLUSTER_COPPER) {
            cp_per_link = ls_config_real(c, "reliability.cp_copper");
            usd = ls_config_real(c, "cost.copper_usd_per_gbps");
        } else if (k == LS_CLUSTER_CPO) {
            const uint64_t e = (uint64_t)ls_config_int(c, "module.cpo_engine_lanes");
            const uint64_t w = (uint64_t)ls_config_int(c, "shoreline.wavelengths_per_fibre");
            modules = (lanes + e - 1) / e;
            cables = (lanes + w - 1) / w;
            cp_per_link = ls_config_real(c, "reliability.cp_cpo");
            fit_mod = ls_config_real(c, "reliability.fit_cpo_engine");
            usd = ls_config_real(c, "cost.cpo_usd_per_gbps");
        } else {
            const uint64_t per = (uint64_t)ls_config_int(c, "module.pluggable_lanes");
            modules = 2 * links * ((m + per - 1) / per);
            cp_per_link = ls_config_real(c, "reliability.cp_pluggable");
            fit_mod = ls_config_real(c, "reliability.fit_pluggable");
            usd = ls_config_real(c, strstr(x->name, "lpo") ? "cost.lpo_usd_per_gbps"
                                                           : "cost.dsp_usd_per_gbps");
        }
        const double cp = cp_per_link * (double)links;
        t->lanes += lanes;
        t->modules += modules;
        t->cables += cables;
        t->connection_points += (uint64_t)llround(cp);
        t->power_w += (double)lanes * arch_pj(x, module_scope) * t->rate_gbps * 1e-3;
        t->module_power_w += (double)lanes * x->module_pj_per_bit * t->rate_gbps * 1e-3;
        t->cost_usd += usd * (double)lanes * t->payload_gbps;
        t->failures_per_day += 24e-9 * (cp * fit_cp + (double)modules * fit_mod);
    }
    t->pj_per_bit = t->lanes ? t->power_w * 1e3 / ((double)t->lanes * t->rate_gbps) : 0;
}

/* Fills the name, rate, lengths, shares and counts of tier t; links set by the caller. */
static ls_status do_tier(const ls_config *c, const char *sec, const char *name, double rate,
                         unsigned m, const ls_cluster_arch *a, size_t n, int module_scope,
                         ls_cluster_tier *t, char *msg, size_t cap)
{
    lengths d;
    ls_status st = read_lengths(c, sec, &d, msg, cap);
    if (st != LS_OK)
        return st;
    snprintf(t->name, sizeof t->name, "%s", name);
    t->rate_gbps = rate;
    t->payload_gbps = payload_of(rate);
    t->lanes_per_dir = m;
    t->len_min_m = d.lo;
    t->len_max_m = d.hi;
    if ((st = choose(c, sec, &d, rate, a, n, module_scope, t, msg, cap)) != LS_OK)
        return st;
    count(c, a, module_scope, t);
    return LS_OK;
}

/* The scale-out tiers' links and switches into r->tier[1..]; LS_EINVAL when the GPUs do not fit. */
static ls_status fat_tree(const ls_config *c, ls_cluster_result *r, char *msg, size_t cap)
{
    const unsigned T = (unsigned)ls_config_int(c, "scaleout.tiers");
    const uint64_t k = (uint64_t)ls_config_int(c, "scaleout.radix");
    const unsigned m = (unsigned)ls_config_int(c, "scaleout.lanes_per_port");
    const double port = m * payload_of(ls_config_real(c, "scaleout.lane_rate_gbps"));
    const double ports = ls_config_real(c, "scaleout.nic_gbps") / port;
    if (T == 0)
        return LS_OK;
    if (fabs(ports - llround(ports)) > 1e-9 * ports || llround(ports) < 1) {
        lsi_say(msg, cap,
                "scaleout.nic_gbps: %g Gb/s is not a whole number of %g Gb/s ports (%u lanes of %g "
                "Gb/s payload)",
                ls_config_real(c, "scaleout.nic_gbps"), port, m, port / m);
        return LS_EINVAL;
    }
    r->endpoints = r->gpus * (uint64_t)llround(ports);
    double o[LS_CLUSTER_MAX_OUT + 2] = {0};
    for (unsigned t = 1; t <= T; t++) {
        char sec[16];
        snprintf(sec, sizeof sec, "tier%u", t);
        o[t] = key_real(c, sec, "oversubscription");
        if (t == 1 && o[t] != 1) {
            lsi_say(msg, cap,
                    "tier1.oversubscription: %g: tier 1 rises from the NICs, which have no down "
                    "side (1 only)",
                    o[t]);
            return LS_EINVAL;
        }
    }
    uint64_t d[LS_CLUSTER_MAX_OUT + 1];
    double cap_hosts = (double)k;
    for (unsigned t = 1; t <= T; t++) {
        d[t] = t < T ? (uint64_t)floor((double)k * o[t + 1] / (1 + o[t + 1])) : k;
        if (t < T)
            cap_hosts *= (double)d[t];
        if (d[t] < 1) {
            lsi_say(msg, cap, "scaleout.radix: %llu ports leave no down port at level %u",
                    (unsigned long long)k, t);
            return LS_EINVAL;
        }
    }
    if ((double)r->endpoints > cap_hosts) {
        lsi_say(msg, cap,
                "cluster.gpus: %llu NIC ports exceed the %.0f that %u tiers of radix-%llu switches "
                "connect "
                "(scaleout.tiers)",
                (unsigned long long)r->endpoints, cap_hosts, T, (unsigned long long)k);
        return LS_EINVAL;
    }
    uint64_t links = r->endpoints;
    for (unsigned t = 1; t <= T; t++) {
        ls_cluster_tier *x = &r->tier[t];
        if (t > 1)
            links = (uint64_t)ceil((double)links / o[t] - 1e-9);
        x->links = links;
        x->switches = (links + d[t] - 1) / d[t];
    }
    return LS_OK;
}

static void shoreline(const ls_config *c, const ls_cluster_arch *a, size_t n, ls_cluster_result *r)
{
    const double pitch_mm = ls_config_real(c, "shoreline.fibre_pitch_um") * 1e-3;
    const double w = (double)ls_config_int(c, "shoreline.wavelengths_per_fibre");
    const double e = (double)ls_config_int(c, "module.cpo_engine_lanes");
    const double panel = ls_config_real(c, "shoreline.panel_width_mm");
    const double mods = (double)ls_config_int(c, "shoreline.panel_modules");
    const double per = (double)ls_config_int(c, "module.pluggable_lanes");
    for (size_t i = 0; i < n && i < LS_CLUSTER_MAX_ARCH; i++) {
        const double rp = payload_of(a[i].rate_gbps);
        if (ls_cluster_class_of(a[i].preset, a[i].name) == LS_CLUSTER_CPO)
            r->shoreline_tbps_per_mm[i] = 2 * e * rp * 1e-3 / (ceil(2 * e / w) * pitch_mm);
        else
            r->shoreline_tbps_per_mm[i] = mods * per * 2 * rp * 1e-3 / panel;
    }
}

ls_status ls_cluster_compute(const ls_config *c, const ls_cluster_arch *a, size_t n,
                             ls_cluster_result *r, char *msg, size_t cap)
{
    if (!r)
        return LS_EINVAL;
    memset(r, 0, sizeof *r);
    if (!c || !a || !n || n > LS_CLUSTER_MAX_ARCH || !ls_config_find(c, "scaleout.tiers")) {
        lsi_say(msg, cap, "no cluster configuration or no architectures (at most %d)",
                LS_CLUSTER_MAX_ARCH);
        return LS_EINVAL;
    }
    const int ms = !strcmp(ls_config_str(c, "cluster.energy_scope"), "module");
    r->energy_module_scope = ms;
    r->gpus = (uint64_t)ls_config_int(c, "cluster.gpus");
    r->n_arch = n;
    ls_status st = fat_tree(c, r, msg, cap);
    if (st != LS_OK)
        return st;
    /* the scale-up tier */
    const uint64_t D = (uint64_t)ls_config_int(c, "scaleup.domain_gpus"),
                   lpg = (uint64_t)ls_config_int(c, "scaleup.links_per_gpu");
    const unsigned mu = (unsigned)ls_config_int(c, "scaleup.lanes_per_dir");
    const uint64_t sw = (uint64_t)ls_config_int(c, "scaleup.switch_lanes");
    ls_cluster_tier *u = &r->tier[0];
    u->links = r->gpus * lpg;
    u->switches = ((r->gpus + D - 1) / D) * ((D * lpg * mu + sw - 1) / sw);
    if (lpg && (st = do_tier(c, "scaleup", "scale-up", ls_config_real(c, "scaleup.lane_rate_gbps"),
                             mu, a, n, ms, u, msg, cap)) != LS_OK)
        return st;
    if (!lpg)
        snprintf(u->name, sizeof u->name, "scale-up"),
            snprintf(u->architecture, sizeof u->architecture, "none");
    const unsigned T = (unsigned)ls_config_int(c, "scaleout.tiers");
    const double ro = ls_config_real(c, "scaleout.lane_rate_gbps");
    const unsigned mo = (unsigned)ls_config_int(c, "scaleout.lanes_per_port");
    for (unsigned t = 1; t <= T; t++) {
        char sec[16];
        snprintf(sec, sizeof sec, "tier%u", t);
        if ((st = do_tier(c, sec, sec, ro, mo, a, n, ms, &r->tier[t], msg, cap)) != LS_OK)
            return st;
    }
    r->n_tiers = 1 + T;
    double bits = 0;
    for (size_t t = 0; t < r->n_tiers; t++) {
        const ls_cluster_tier *x = &r->tier[t];
        r->total_power_w += x->power_w;
        r->module_power_w += x->module_power_w;
        r->scaleout_power_w += t ? x->power_w : 0;
        r->cost_usd += x->cost_usd;
        r->failures_per_day += x->failures_per_day;
        bits += (double)x->lanes * x->rate_gbps;
    }
    r->power_per_gpu_w = r->total_power_w / (double)r->gpus;
    r->pj_per_bit = bits > 0 ? r->total_power_w * 1e3 / bits : 0;
    shoreline(c, a, n, r);
    if (msg && cap)
        msg[0] = '\0';
    return LS_OK;
}

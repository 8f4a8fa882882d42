/*
 * Configuration store over a declared schema: validated text values for the keys a preset
 * declares (lsi_config_new), set, copy and typed getters. It keeps the preset's name, not the
 * preset: creation by preset name, INI files and the preset list are sim/config_load.c's.
 * Every value is kept as validated text; typed getters parse it again (cheap, and the text is
 * what JSON output and `lanesim presets` show).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lanesim/config.h"
#include "ls_internal.h"
#include "ls_config_internal.h"

struct ls_config {
    char *name;   /* the preset's */
    size_t n;
    const ls_param_def **defs;
    char **values;
    char **origins; /* where each value was set ("FILE:LINE"), or NULL */
    unsigned char *owned; /* 1: defs[i] was made here for an entry of a map key (freed with the store) */
};

/* A declaration for entry `key` of the map key `map` ("prefix.*"): a string key of its own. */
static ls_param_def *map_def(const ls_param_def *map, const char *key)
{
    ls_param_def *d = calloc(1, sizeof *d);
    char *k = d ? malloc(strlen(key) + 1) : NULL;
    if (!k) {
        free(d);
        return NULL;
    }
    strcpy(k, key);
    *d = (ls_param_def){ .key = k, .type = LS_P_STRING, .dflt = "", .unit = "", .help = map->help };
    return d;
}

static void free_def(const ls_param_def *d)
{
    if (d) {
        free((char *)d->key);
        free((ls_param_def *)d);
    }
}


static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void ls_config_destroy(ls_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n && c->values; i++)
        free(c->values[i]);
    for (size_t i = 0; i < c->n && c->origins; i++)
        free(c->origins[i]);
    for (size_t i = 0; i < c->n && c->owned && c->defs; i++)
        if (c->owned[i])
            free_def(c->defs[i]);
    free(c->owned);
    free(c->values);
    free(c->origins);
    free(c->defs);
    free(c->name);
    free(c);
}

static ptrdiff_t find_index(const ls_config *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->defs[i]->key, key))
            return (ptrdiff_t)i;
    return -1;
}

/* A map key "prefix.*" (a string of "NAME=VALUE;..." entries) that key "prefix.NAME" falls under, or -1. */
static ptrdiff_t find_map(const ls_config *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++) {
        const char *k = c->defs[i]->key;
        size_t l = strlen(k);
        if (l > 2 && !strcmp(k + l - 2, ".*") && !strncmp(key, k, l - 1) && key[l - 1] && !strchr(key + l - 1, '='))
            return (ptrdiff_t)i;
    }
    return -1;
}

/* Appends the entry `key` of map key index m as a key of its own; its index, or -1 (out of memory). */
static ptrdiff_t add_entry(ls_config *c, size_t m, const char *key)
{
    ls_param_def *d = map_def(c->defs[m], key);
    const ls_param_def **nd = d ? realloc(c->defs, (c->n + 1) * sizeof *nd) : NULL;
    if (nd)
        c->defs = nd;
    char **nv = nd ? realloc(c->values, (c->n + 1) * sizeof *nv) : NULL;
    if (nv)
        c->values = nv;
    char **no = nv ? realloc(c->origins, (c->n + 1) * sizeof *no) : NULL;
    if (no)
        c->origins = no;
    unsigned char *nw = no ? realloc(c->owned, c->n + 1) : NULL;
    if (nw)
        c->owned = nw;
    char *v = nw ? dupstr("") : NULL;
    if (!v) {
        free_def(d);
        return -1;
    }
    c->defs[c->n] = d;
    c->values[c->n] = v;
    c->origins[c->n] = NULL;
    c->owned[c->n] = 1;
    return (ptrdiff_t)c->n++;
}

/* Parses a real; accepts "inf"/"infinity" (any case, optional sign). 0 on success. */
static int parse_real(const char *s, double *v)
{
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return -1;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || errno == ERANGE)
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    if (*end || isnan(x))
        return -1;
    *v = x;
    return 0;
}

static const char *fmt_num(double x, char *buf, size_t cap)
{
    if (isinf(x))
        snprintf(buf, cap, "%sinf", x < 0 ? "-" : "");
    else
        snprintf(buf, cap, "%.6g", x);
    return buf;
}

static int in_range(const ls_param_def *d, double x)
{
    return x >= d->min && x <= d->max;
}

static ls_status validate(const ls_param_def *d, const char *v, char *msg, size_t cap)
{
    char lo[32], hi[32];
    double x;
    switch (d->type) {
    case LS_P_REAL:
    case LS_P_INT:
        if (parse_real(v, &x)) {
            lsi_say(msg, cap, "%s: '%s' is not a number", d->key, v);
            return LS_EINVAL;
        }
        if (d->type == LS_P_INT && (x != floor(x) || isinf(x))) {
            lsi_say(msg, cap, "%s: '%s' is not a whole number", d->key, v);
            return LS_EINVAL;
        }
        if (!in_range(d, x)) {
            lsi_say(msg, cap, "%s: %s is out of range [%s, %s]%s%s", d->key, v, fmt_num(d->min, lo, sizeof lo),
                fmt_num(d->max, hi, sizeof hi), *d->unit ? " " : "", d->unit);
            return LS_EINVAL;
        }
        return LS_OK;
    case LS_P_BOOL: {
        static const char *const ok[] = { "true", "false", "yes", "no", "on", "off", "1", "0" };
        for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
            if (!strcasecmp(v, ok[i]))
                return LS_OK;
        lsi_say(msg, cap, "%s: '%s' is not a boolean (true/false)", d->key, v);
        return LS_EINVAL;
    }
    case LS_P_ENUM: {
        size_t len = strlen(v);
        for (const char *p = d->choices; *p;) {
            const char *bar = strchr(p, '|');
            size_t m = bar ? (size_t)(bar - p) : strlen(p);
            if (m == len && !strncasecmp(p, v, m))
                return LS_OK;
            p += m + (bar ? 1 : 0);
        }
        lsi_say(msg, cap, "%s: '%s' is not one of %s", d->key, v, d->choices);
        return LS_EINVAL;
    }
    case LS_P_LIST: {
        unsigned count = 0;
        const char *p = v;
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            return LS_OK;
        char item[64];
        while (1) {
            const char *comma = strchr(p, ',');
            size_t m = comma ? (size_t)(comma - p) : strlen(p);
            if (m >= sizeof item || parse_real((memcpy(item, p, m), item[m] = '\0', item), &x)) {
                lsi_say(msg, cap, "%s: list item '%.*s' is not a number", d->key, (int)LS_MIN(m, 40), p);
                return LS_EINVAL;
            }
            if (!in_range(d, x)) {
                lsi_say(msg, cap, "%s: list item %s is out of range [%s, %s]", d->key, item,
                    fmt_num(d->min, lo, sizeof lo), fmt_num(d->max, hi, sizeof hi));
                return LS_EINVAL;
            }
            if (++count > d->max_items) {
                lsi_say(msg, cap, "%s: more than %u items", d->key, d->max_items);
                return LS_EINVAL;
            }
            if (!comma)
                break;
            p = comma + 1;
        }
        return LS_OK;
    }
    case LS_P_STRING:
        return LS_OK;
    }
    return LS_EINTERNAL;
}

ls_config *lsi_config_new(const char *name, const ls_param_def *const *defs, size_t n, ls_status *err)
{
    ls_config *c = calloc(1, sizeof *c);
    if (!c || !(c->name = dupstr(name)) || !(c->defs = calloc(n ? n : 1, sizeof *c->defs)) ||
        !(c->values = calloc(n ? n : 1, sizeof *c->values)) || !(c->origins = calloc(n ? n : 1, sizeof *c->origins)) ||
        !(c->owned = calloc(n ? n : 1, 1)))
        goto fail;
    for (; c->n < n; c->n++) {
        c->defs[c->n] = defs[c->n];
        if (!(c->values[c->n] = dupstr(defs[c->n]->dflt)))
            goto fail;
    }
    if (err)
        *err = LS_OK;
    return c;
fail:
    ls_config_destroy(c);
    if (err)
        *err = LS_ENOMEM;
    return NULL;
}

ls_config *ls_config_copy(const ls_config *c)
{
    if (!c)
        return NULL;
    ls_config *d = lsi_config_new(c->name, c->defs, c->n, NULL);
    if (!d)
        return NULL;
    for (size_t i = 0; i < c->n; i++) /* map entries: the copy owns its own declarations */
        if (c->owned[i]) {
            ls_param_def *e = map_def(c->defs[i], c->defs[i]->key);
            if (!e) {
                ls_config_destroy(d);
                return NULL;
            }
            d->defs[i] = e;
            d->owned[i] = 1;
        }
    for (size_t i = 0; i < c->n; i++) {
        char *v = dupstr(c->values[i]), *o = c->origins[i] ? dupstr(c->origins[i]) : NULL;
        if (!v || (c->origins[i] && !o)) {
            free(v);
            ls_config_destroy(d);
            return NULL;
        }
        free(d->values[i]);
        d->values[i] = v;
        d->origins[i] = o;
    }
    return d;
}

ls_status ls_config_set(ls_config *c, const char *key, const char *value, char *msg, size_t cap)
{
    if (!c || !key || !value) {
        lsi_say(msg, cap, "missing key or value");
        return LS_EINVAL;
    }
    ptrdiff_t i = find_index(c, key);
    ptrdiff_t m;
    if (i < 0 && (m = find_map(c, key)) >= 0 && (i = add_entry(c, (size_t)m, key)) < 0) {
        lsi_say(msg, cap, "out of memory");
        return LS_ENOMEM; /* "prefix.NAME" of a map key "prefix.*": a key of its own from now on */
    }
    if (i >= 0 && c->defs[i]->type == LS_P_STRING && strlen(c->defs[i]->key) > 2 &&
        !strcmp(c->defs[i]->key + strlen(c->defs[i]->key) - 2, ".*")) {
        lsi_say(msg, cap, "%s is a family of keys: set %.*sNAME=VALUE", key, (int)strlen(key) - 1, key);
        return LS_EINVAL;
    }
    if (i < 0) {
        const char *dot = strchr(key, '.');
        size_t sl = dot ? (size_t)(dot - key) : strlen(key);
        int section_known = 0;
        for (size_t j = 0; j < c->n; j++)
            if (!strncmp(c->defs[j]->key, key, sl) && c->defs[j]->key[sl] == '.')
                section_known = 1;
        if (!dot)
            lsi_say(msg, cap, "'%s' is not a section.key name", key);
        else if (!section_known)
            lsi_say(msg, cap, "unknown section '%.*s' (key '%s') for preset %s", (int)sl, key, key, c->name);
        else
            lsi_say(msg, cap, "unknown key '%s' for preset %s", key, c->name);
        return LS_EINVAL;
    }
    while (isspace((unsigned char)*value))
        value++;
    char buf[1024];
    size_t len = strlen(value);
    if (len >= sizeof buf) {
        lsi_say(msg, cap, "%s: value too long", key);
        return LS_EINVAL;
    }
    memcpy(buf, value, len + 1);
    while (len && isspace((unsigned char)buf[len - 1]))
        buf[--len] = '\0';
    ls_status st = validate(c->defs[i], buf, msg, cap);
    if (st != LS_OK)
        return st;
    char *v = dupstr(buf);
    if (!v) {
        lsi_say(msg, cap, "out of memory");
        return LS_ENOMEM;
    }
    free(c->values[i]);
    c->values[i] = v;
    free(c->origins[i]);
    c->origins[i] = NULL;
    return LS_OK;
}

ls_status ls_config_set_origin(ls_config *c, const char *key, const char *origin)
{
    ptrdiff_t i = c && key ? find_index(c, key) : -1;
    if (i < 0)
        return LS_EINVAL;
    char *o = origin ? dupstr(origin) : NULL;
    if (origin && !o)
        return LS_ENOMEM;
    free(c->origins[i]);
    c->origins[i] = o;
    return LS_OK;
}

const char *ls_config_origin(const ls_config *c, const char *key)
{
    ptrdiff_t i = c && key ? find_index(c, key) : -1;
    return i < 0 ? NULL : c->origins[i];
}

/* The first word of msg that is one of the store's keys and has an origin: the origin. A word is a
   run of letters, digits, '_' and '.'; messages about keys name them this way ("link.sps: ..."). */
const char *ls_config_blame(const ls_config *c, const char *msg)
{
    if (!c || !msg)
        return NULL;
    for (const char *p = msg; *p;) {
        size_t n = 0;
        while (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '.')
            n++;
        if (n && n < 160 && memchr(p, '.', n)) {
            char key[160];
            memcpy(key, p, n);
            key[n] = '\0';
            const char *o = ls_config_origin(c, key);
            if (o)
                return o;
        }
        p += n ? n : 1;
    }
    return NULL;
}

ls_status ls_config_set_assignment(ls_config *c, const char *a, char *msg, size_t cap)
{
    const char *eq = a ? strchr(a, '=') : NULL;
    if (!eq || eq == a) {
        lsi_say(msg, cap, "'%s' is not of the form section.key=value", a ? a : "");
        return LS_EINVAL;
    }
    char key[128];
    size_t m = (size_t)(eq - a);
    while (m && isspace((unsigned char)a[m - 1]))
        m--;
    if (m >= sizeof key) {
        lsi_say(msg, cap, "key too long in '%s'", a);
        return LS_EINVAL;
    }
    memcpy(key, a, m);
    key[m] = '\0';
    return ls_config_set(c, key, eq + 1, msg, cap);
}

/* ---- getters ---- */

const char *ls_config_preset(const ls_config *c)
{
    return c->name;
}

size_t ls_config_count(const ls_config *c)
{
    return c->n;
}

const ls_param_def *ls_config_def(const ls_config *c, size_t i)
{
    return i < c->n ? c->defs[i] : NULL;
}

const char *ls_config_text(const ls_config *c, size_t i)
{
    return i < c->n ? c->values[i] : NULL;
}

const ls_param_def *ls_config_find(const ls_config *c, const char *key)
{
    ptrdiff_t i = find_index(c, key);
    return i < 0 ? NULL : c->defs[i];
}

const char *ls_config_str(const ls_config *c, const char *key)
{
    ptrdiff_t i = find_index(c, key);
    return i < 0 ? NULL : c->values[i];
}

double ls_config_real(const ls_config *c, const char *key)
{
    const char *v = ls_config_str(c, key);
    double x;
    return v && !parse_real(v, &x) ? x : NAN;
}

long long ls_config_int(const ls_config *c, const char *key)
{
    double x = ls_config_real(c, key);
    return isfinite(x) ? (long long)x : 0;
}

int ls_config_bool(const ls_config *c, const char *key)
{
    const char *v = ls_config_str(c, key);
    return v && (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on") || !strcmp(v, "1"));
}

size_t ls_config_list(const ls_config *c, const char *key, double *v, size_t cap)
{
    const char *s = ls_config_str(c, key);
    size_t n = 0;
    if (!s)
        return 0;
    while (*s && n < cap) {
        char *end;
        double x = strtod(s, &end);
        if (end == s)
            break;
        v[n++] = x;
        s = end;
        while (*s == ',' || isspace((unsigned char)*s))
            s++;
    }
    return n;
}

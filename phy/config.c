/*
 * Configuration store: preset defaults plus validated overrides (API, -s, INI via inih).
 * Every value is kept as validated text; typed getters parse it again (cheap, and the text is
 * what JSON output and `lanesim presets` show).
 */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lanesim/config.h"
#include "ls_internal.h"
#include "ls_presets.h"

struct ls_config {
    const lsi_preset *preset;
    size_t n;
    const ls_param_def **defs;
    char **values;
};


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
    free(c->values);
    free(c->defs);
    free(c);
}

static ptrdiff_t find_index(const ls_config *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->defs[i]->key, key))
            return (ptrdiff_t)i;
    return -1;
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

ls_config *ls_config_create(const char *preset, char *msg, size_t cap, ls_status *err)
{
    ls_status st = LS_EINVAL;
    ls_config *c = NULL;
    const lsi_preset *p = preset ? lsi_preset_find(preset) : NULL;
    if (!p) {
        lsi_say(msg, cap, "unknown preset '%s' (see 'lanesim presets')", preset ? preset : "(null)");
        goto fail;
    }
    st = LS_ENOMEM;
    if (!(c = calloc(1, sizeof *c)))
        goto fail;
    c->preset = p;
    size_t total = 0;
    for (const char *const *s = p->sections; *s; s++) {
        size_t n = 0;
        if (!lsi_section_defs(*s, &n)) {
            st = LS_EINTERNAL;
            lsi_say(msg, cap, "preset '%s' names unknown section '%s'", p->name, *s);
            goto fail;
        }
        total += n;
    }
    c->defs = calloc(total, sizeof *c->defs);
    c->values = calloc(total, sizeof *c->values);
    if (!c->defs || !c->values)
        goto fail;
    for (const char *const *s = p->sections; *s; s++) {
        size_t n = 0;
        const ls_param_def *d = lsi_section_defs(*s, &n);
        for (size_t i = 0; i < n; i++) {
            c->defs[c->n] = &d[i];
            if (!(c->values[c->n++] = dupstr(d[i].dflt)))
                goto fail;
        }
    }
    for (const char *const *o = p->overrides; o && *o; o++) {
        st = ls_config_set_assignment(c, *o, msg, cap);
        if (st != LS_OK) {
            st = LS_EINTERNAL;
            goto fail;
        }
    }
    if (err)
        *err = LS_OK;
    return c;
fail:
    if (st == LS_ENOMEM)
        lsi_say(msg, cap, "out of memory");
    ls_config_destroy(c);
    if (err)
        *err = st;
    return NULL;
}

ls_config *ls_config_copy(const ls_config *c)
{
    ls_status st;
    ls_config *d = ls_config_create(c->preset->name, NULL, 0, &st);
    if (!d)
        return NULL;
    for (size_t i = 0; i < c->n; i++) {
        char *v = dupstr(c->values[i]);
        if (!v) {
            ls_config_destroy(d);
            return NULL;
        }
        free(d->values[i]);
        d->values[i] = v;
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
            lsi_say(msg, cap, "unknown section '%.*s' (key '%s') for preset %s", (int)sl, key, key, c->preset->name);
        else
            lsi_say(msg, cap, "unknown key '%s' for preset %s", key, c->preset->name);
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
    return LS_OK;
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

/* ---- INI files (inih) ---- */

typedef struct {
    ls_config *c;
    FILE *f;
    char preset[64];
    int pass, lineno, err_line;
    char msg[512];
} ini_ctx;

/* fgets that counts lines, so the handler knows where it is (inih gives handlers no line numbers). */
static char *counting_reader(char *str, int num, void *stream)
{
    ini_ctx *x = stream;
    char *r = fgets(str, num, x->f);
    if (r)
        x->lineno++;
    return r;
}

static int is_preset_key(const char *section, const char *name)
{
    return !strcasecmp(name, "preset") && (!*section || !strcasecmp(section, "link"));
}

static int on_ini_entry(void *user, const char *section, const char *name, const char *value)
{
    ini_ctx *x = user;
    if (x->pass == 0) {
        if (is_preset_key(section, name))
            snprintf(x->preset, sizeof x->preset, "%s", value);
        return 1;
    }
    if (is_preset_key(section, name))
        return 1;
    char m[512] = "";
    if (!*section) {
        snprintf(m, sizeof m, "key '%s' outside a section (only 'preset' may be)", name);
    } else {
        char key[160];
        snprintf(key, sizeof key, "%s.%s", section, name);
        if (ls_config_set(x->c, key, value, m, sizeof m) == LS_OK)
            return 1;
    }
    if (!x->err_line) {
        x->err_line = x->lineno;
        snprintf(x->msg, sizeof x->msg, "%s", m);
    }
    return 0;
}

ls_config *ls_config_load_ini(const char *path, char *msg, size_t cap, ls_status *err)
{
    ini_ctx x = { 0 };
    ls_status st = LS_EINVAL;
    ls_config *c = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        lsi_say(msg, cap, "%s: cannot open: %s", path, strerror(errno));
        st = LS_EIO;
        goto fail;
    }
    x.f = f;
    int line = ini_parse_stream(counting_reader, &x, on_ini_entry, &x);
    if (line > 0) {
        lsi_say(msg, cap, "%s:%d: syntax error", path, line);
        goto fail;
    }
    if (!x.preset[0]) {
        lsi_say(msg, cap, "%s: no 'preset = NAME' line before the first section", path);
        goto fail;
    }
    char pm[256];
    if (!(c = ls_config_create(x.preset, pm, sizeof pm, &st))) {
        lsi_say(msg, cap, "%s: %s", path, pm);
        goto fail;
    }
    x.c = c;
    x.pass = 1;
    rewind(f);
    x.lineno = 0;
    line = ini_parse_stream(counting_reader, &x, on_ini_entry, &x);
    if (line != 0) {
        lsi_say(msg, cap, "%s:%d: %s", path, line, line == x.err_line ? x.msg : "syntax error");
        st = LS_EINVAL;
        goto fail;
    }
    fclose(f);
    if (err)
        *err = LS_OK;
    return c;
fail:
    if (f)
        fclose(f);
    ls_config_destroy(c);
    if (err)
        *err = st;
    return NULL;
}

ls_config *ls_config_load(const char *s, char *msg, size_t cap, ls_status *err)
{
    size_t n = s ? strlen(s) : 0;
    if (s && ((n > 4 && !strcasecmp(s + n - 4, ".ini")) || strchr(s, '/')))
        return ls_config_load_ini(s, msg, cap, err);
    return ls_config_create(s, msg, cap, err);
}

/* ---- getters ---- */

const char *ls_config_preset(const ls_config *c)
{
    return c->preset->name;
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

size_t ls_preset_count(void)
{
    return lsi_preset_count();
}

const char *ls_preset_name(size_t i)
{
    const lsi_preset *p = lsi_preset_at(i);
    return p ? p->name : NULL;
}

const char *ls_preset_summary(size_t i)
{
    const lsi_preset *p = lsi_preset_at(i);
    return p ? p->summary : NULL;
}

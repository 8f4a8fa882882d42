/*
 * Configurations by preset name: a store (phy/config.c) of the keys the preset's sections
 * declare (channels/presets/keys.c), at their defaults plus the preset's overrides; INI files
 * (inih: a 'preset = NAME' line, then [section] key = value lines, each validated, errors as
 * FILE:LINE: reason); the list of presets. The only code besides the presets that names the
 * preset table (docs/architecture.md).
 */
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lanesim/config.h"
#include "ls_config_internal.h"
#include "ls_internal.h"
#include "ls_presets.h"

/* The configuration of preset p, with section extra (NULL: none) declared too when p lacks it. */
static ls_config *create_preset(const lsi_preset *p, const char *extra, char *msg, size_t cap, ls_status *err)
{
    ls_status st = LS_EINVAL;
    ls_config *c = NULL;
    const ls_param_def **defs = NULL;
    size_t total = 0;
    for (const char *const *s = p->sections; *s; s++) {
        size_t n = 0;
        if (!lsi_section_defs(*s, &n)) {
            st = LS_EINTERNAL;
            lsi_say(msg, cap, "preset '%s' names unknown section '%s'", p->name, *s);
            goto fail;
        }
        if (extra && !strcmp(*s, extra))
            extra = NULL;
        total += n;
    }
    size_t n_extra = 0;
    const ls_param_def *xd = extra ? lsi_section_defs(extra, &n_extra) : NULL;
    total += n_extra;
    st = LS_ENOMEM;
    if (!(defs = calloc(total ? total : 1, sizeof *defs)))
        goto fail;
    size_t k = 0;
    for (const char *const *s = p->sections; *s; s++) {
        size_t n = 0;
        const ls_param_def *d = lsi_section_defs(*s, &n);
        for (size_t i = 0; i < n; i++)
            defs[k++] = &d[i];
    }
    for (size_t i = 0; i < n_extra; i++)
        defs[k++] = &xd[i];
    if (!(c = lsi_config_new(p->name, defs, total, &st)))
        goto fail;
    for (const char *const *o = p->overrides; o && *o; o++) {
        st = ls_config_set_assignment(c, *o, msg, cap);
        if (st != LS_OK) {
            st = LS_EINTERNAL;
            goto fail;
        }
    }
    free(defs);
    if (err)
        *err = LS_OK;
    return c;
fail:
    if (st == LS_ENOMEM)
        lsi_say(msg, cap, "out of memory");
    free(defs);
    ls_config_destroy(c);
    if (err)
        *err = st;
    return NULL;
}

static int has_section(const lsi_preset *p, const char *name)
{
    for (const char *const *s = p->sections; *s; s++)
        if (!strcmp(*s, name))
            return 1;
    return 0;
}

/* ARCH@CLASS: the architecture preset's keys and devices with the PMD class preset's class keys, its
   run length, inner code and first lane (docs/classes.md, "Any optical architecture against a class"). */
static ls_config *create_with_class(const char *preset, char *msg, size_t cap, ls_status *err)
{
    const char *at = strchr(preset, '@');
    char arch[64];
    snprintf(arch, sizeof arch, "%.*s", (int)LS_MIN((size_t)(at - preset), sizeof arch - 1), preset);
    const lsi_preset *p = lsi_preset_find(arch), *q = lsi_preset_find(at + 1);
    ls_status st = LS_EINVAL;
    ls_config *c = NULL, *k = NULL;
    if (!p || !q) {
        lsi_say(msg, cap, "unknown preset '%s' (see 'lanesim presets')", p ? at + 1 : arch);
        goto fail;
    }
    if (!(k = create_preset(q, NULL, msg, cap, &st)))
        goto fail;
    if (!(c = create_preset(p, "class", msg, cap, &st)))
        goto fail;
    st = LS_EINVAL;
    if (!ls_config_find(k, "class.budget") || has_section(p, "class") || !ls_config_find(c, "laser.power_dbm") ||
        !ls_config_find(c, "tia.noise_pa_rthz")) {
        lsi_say(msg, cap, "'%s': %s is not a PMD class preset, or %s is not an optical link without class keys", preset,
                at + 1, arch);
        goto fail;
    }
    st = LS_OK;
    size_t n = 0;
    const ls_param_def *d = lsi_section_defs("class", &n);
    static const char *const more[] = { "link.length_m", "link.inner_fec", "laser.wavelength_nm" };
    for (size_t i = 0; i < n + 3 && st == LS_OK; i++) {
        const char *key = i < n ? d[i].key : more[i - n];
        if (ls_config_find(c, key))
            st = ls_config_set(c, key, ls_config_str(k, key), msg, cap);
    }
    if (st != LS_OK)
        goto fail;
    ls_config_destroy(k);
    if (err)
        *err = LS_OK;
    return c;
fail:
    ls_config_destroy(k);
    ls_config_destroy(c);
    if (err)
        *err = st;
    return NULL;
}

ls_config *ls_config_create(const char *preset, char *msg, size_t cap, ls_status *err)
{
    if (preset && strchr(preset, '@'))
        return create_with_class(preset, msg, cap, err);
    const lsi_preset *p = preset ? lsi_preset_find(preset) : NULL;
    if (!p) {
        lsi_say(msg, cap, "unknown preset '%s' (see 'lanesim presets')", preset ? preset : "(null)");
        if (err)
            *err = LS_EINVAL;
        return NULL;
    }
    return create_preset(p, NULL, msg, cap, err);
}

/* INI files */

typedef struct {
    ls_config *c;
    FILE *f;
    const char *path;
    char *buf; /* the whole current line (getline) */
    size_t buf_cap;
    char preset[64];
    int pass, lineno, err_line;
    int no_preset; /* ls_config_read_ini: a 'preset' line is an ordinary (unknown) key */
    char msg[512];
} ini_ctx;

/* Records the first error of a pass (its line and reason). */
static void ini_error(ini_ctx *x, const char *reason)
{
    if (!x->err_line) {
        x->err_line = x->lineno;
        snprintf(x->msg, sizeof x->msg, "%s", reason);
    }
}

/*
 * The line reader under inih: it counts lines (inih gives handlers no line numbers) and hands inih
 * one whole line at a time, whatever inih's line buffer (Debian's inih: 200 bytes, continuation
 * lines on, neither configurable at run time):
 *  - leading blanks are dropped, so an indented "key = value" is a key of its own and never the
 *    continuation of the key before it; an indented line without '=' or ':' is an error;
 *  - a comment longer than inih's buffer is passed as an empty comment; any other line that long is
 *    an error naming the limit (no value of lanesim's comes near it).
 * A line turned into an error reaches inih as "!", which it reports at that line.
 */
static char *counting_reader(char *str, int num, void *stream)
{
    ini_ctx *x = stream;
    ssize_t got = getline(&x->buf, &x->buf_cap, x->f);
    if (got < 0 || num < 3)
        return NULL;
    x->lineno++;
    char *s = x->buf;
    while (*s == ' ' || *s == '\t')
        s++;
    const int indented = s != x->buf;
    size_t len = strcspn(s, "\r\n");
    s[len] = '\0';
    const int comment = *s == ';' || *s == '#';
    char reason[160];
    if (len + 2 > (size_t)num && !comment) {
        snprintf(reason, sizeof reason, "line of %zu bytes is longer than the %d an INI line may have", len, num - 2);
        ini_error(x, reason);
        snprintf(str, (size_t)num, "!\n");
    } else if (indented && *s && !comment && !strpbrk(s, "=:")) {
        ini_error(x, "an indented line without '=': continuation lines are not supported (give the whole value "
                     "on the key's line)");
        snprintf(str, (size_t)num, "!\n");
    } else {
        snprintf(str, (size_t)num, "%s\n", comment ? (len + 2 > (size_t)num ? ";" : s) : s);
    }
    return str;
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
    if (!x->no_preset && is_preset_key(section, name))
        return 1;
    char m[512] = "";
    if (!*section) {
        snprintf(m, sizeof m, "key '%s' outside a section%s", name, x->no_preset ? "" : " (only 'preset' may be)");
    } else {
        char key[160], origin[1100];
        snprintf(key, sizeof key, "%s.%s", section, name);
        snprintf(origin, sizeof origin, "%s:%d", x->path, x->lineno);
        if (ls_config_set(x->c, key, value, m, sizeof m) == LS_OK &&
            ls_config_set_origin(x->c, key, origin) == LS_OK)
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
    FILE *f = NULL;
    if (!path) {
        lsi_say(msg, cap, "no INI file named");
        goto fail;
    }
    f = fopen(path, "r");
    if (!f) {
        lsi_say(msg, cap, "%s: cannot open: %s", path, strerror(errno));
        st = LS_EIO;
        goto fail;
    }
    x.f = f;
    x.path = path;
    int line = ini_parse_stream(counting_reader, &x, on_ini_entry, &x);
    if (line > 0) {
        lsi_say(msg, cap, "%s:%d: %s", path, line, line == x.err_line ? x.msg : "syntax error");
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
    x.err_line = 0;
    line = ini_parse_stream(counting_reader, &x, on_ini_entry, &x);
    if (line != 0) {
        lsi_say(msg, cap, "%s:%d: %s", path, line, line == x.err_line ? x.msg : "syntax error");
        st = LS_EINVAL;
        goto fail;
    }
    fclose(f);
    free(x.buf);
    if (err)
        *err = LS_OK;
    return c;
fail:
    if (f)
        fclose(f);
    free(x.buf);
    ls_config_destroy(c);
    if (err)
        *err = st;
    return NULL;
}

ls_status ls_config_read_ini(ls_config *c, const char *path, char *msg, size_t cap)
{
    ini_ctx x = { .c = c, .path = path, .pass = 1, .no_preset = 1 };
    if (!c || !path) {
        lsi_say(msg, cap, "no INI file named");
        return LS_EINVAL;
    }
    if (!(x.f = fopen(path, "r"))) {
        lsi_say(msg, cap, "%s: cannot open: %s", path, strerror(errno));
        return LS_EIO;
    }
    const int line = ini_parse_stream(counting_reader, &x, on_ini_entry, &x);
    fclose(x.f);
    free(x.buf);
    if (line != 0) {
        lsi_say(msg, cap, "%s:%d: %s", path, line, line == x.err_line ? x.msg : "syntax error");
        return LS_EINVAL;
    }
    return LS_OK;
}

ls_config *ls_config_load(const char *s, char *msg, size_t cap, ls_status *err)
{
    size_t n = s ? strlen(s) : 0;
    if (s && ((n > 4 && !strcasecmp(s + n - 4, ".ini")) || strchr(s, '/')))
        return ls_config_load_ini(s, msg, cap, err);
    return ls_config_create(s, msg, cap, err);
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

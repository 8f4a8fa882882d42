/*
 * The .ami parameter tree (IBIS 7.x, Algorithmic Modeling Interface): the root list names the model;
 * its branches Reserved_Parameters and Model_Specific hold parameters, each a list of
 * (Usage In|Out|InOut|Info), (Type Float|Integer|String|Boolean|Tap|UI), a data format, either
 * (Format <Value|Range|List|Corner|Increment|Steps|...> data...) or the format keyword directly
 * ((Value v), (Range typ min max), (List v...), (Corner typ slow fast), (Increment typ min max delta),
 * (Steps typ min max n)), (Default v) and (Description "..."). A list with none of these is a branch.
 * The input parameter string carries the In and InOut parameters with their current values in the
 * tree's shape, "(root (name value) (branch (name value)))", strings quoted, the two top branch names
 * left out. User values are checked against Type and Format before they are used.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ami_internal.h"
#include "ls_internal.h"

struct ls_ami_params {
    lsi_ami_node *root;
    ls_ami_param *p;
    size_t n, cap;
    char file[LS_AMI_PATH_LEN];
};

static const char *const usage_names[] = { "In", "Out", "InOut", "Info" };
static const char *const type_names[] = { "Float", "Integer", "String", "Boolean", "Tap", "UI" };
static const char *const format_names[] = { "Value", "Range", "List", "Corner", "Increment", "Steps" };
/* the jitter formats (IBIS 5.0+ Tx_Jitter, Rx_Clock_PDF), also written without "Format": kept as text */
static const char *const jitter_formats[] = { "Gaussian", "Dual-Dirac", "DjRj", "Table" };

static int lookup(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcasecmp(s, names[i]))
            return i;
    return -1;
}

static int is_attribute(const char *name)
{
    static const char *const a[] = { "Usage", "Type", "Format", "Default", "Description", "Value", "Range", "List",
                                     "Corner", "Increment", "Steps", "List_Tip", "Labels", "Table" };
    return lookup(name, a, (int)(sizeof a / sizeof *a)) >= 0;
}

static int is_leaf(const lsi_ami_node *n)
{
    if (!n->n_kids)
        return 1;
    for (size_t i = 0; i < n->n_kids; i++)
        if (is_attribute(n->kids[i]->name))
            return 1;
    return 0;
}

static int parse_num(const char *s, double *v)
{
    char *e;
    errno = 0;
    double x = strtod(s, &e);
    if (e == s || *e || errno == ERANGE || !isfinite(x))
        return -1;
    *v = x;
    return 0;
}

/* Checks value against the parameter's Type and Format; 0 or -1 with the reason in msg. */
static int check_value(const ls_ami_param *p, const char *v, char *msg, size_t cap)
{
    double x = 0, lo, hi, d;
    if (strchr(v, '"') || strchr(v, '(') || strchr(v, ')') || strlen(v) >= LS_AMI_VALUE_LEN) {
        lsi_say(msg, cap, "value '%.40s' holds a quote or parenthesis, or is too long", v);
        return -1;
    }
    if (p->type == LS_AMI_BOOLEAN && strcasecmp(v, "True") && strcasecmp(v, "False")) {
        lsi_say(msg, cap, "'%s' is not a Boolean (True or False)", v);
        return -1;
    }
    if (p->type == LS_AMI_INTEGER) {
        char *e;
        errno = 0;
        (void)strtoll(v, &e, 10);
        if (e == v || *e || errno) {
            lsi_say(msg, cap, "'%s' is not an Integer", v);
            return -1;
        }
    }
    int numeric = p->type != LS_AMI_STRING && p->type != LS_AMI_BOOLEAN;
    if (numeric && parse_num(v, &x)) {
        lsi_say(msg, cap, "'%s' is not a number", v);
        return -1;
    }
    switch (p->format) {
    case LS_AMI_LIST:
    case LS_AMI_CORNER:
        for (unsigned i = 0; i < p->n_items; i++) {
            double y;
            if (numeric ? !parse_num(p->items[i], &y) && y == x : !strcasecmp(p->items[i], v))
                return 0;
        }
        lsi_say(msg, cap, "'%s' is not one of the %s entries", v, format_names[p->format]);
        return -1;
    case LS_AMI_RANGE:
    case LS_AMI_INCREMENT:
    case LS_AMI_STEPS: {
        unsigned o = p->n_items >= 3 ? 1 : 0; /* typ min max [...] or min max */
        if (!numeric || p->n_items < o + 2 || parse_num(p->items[o], &lo) || parse_num(p->items[o + 1], &hi))
            return 0;
        if (x < lo || x > hi) {
            lsi_say(msg, cap, "%s is outside the Range [%s, %s]", v, p->items[o], p->items[o + 1]);
            return -1;
        }
        if (p->format == LS_AMI_RANGE || p->n_items < 4 || parse_num(p->items[3], &d) || !(d != 0))
            return 0;
        double step = p->format == LS_AMI_STEPS ? (hi - lo) / d : d, k = (x - lo) / step;
        if (fabs(k - round(k)) > 1e-6) {
            lsi_say(msg, cap, "%s is not on the %s grid from %s by %g", v, format_names[p->format], p->items[1], step);
            return -1;
        }
        return 0;
    }
    default:
        return 0;
    }
}

/* Usage, Type, the data format and Default of a leaf list. */
static int read_leaf(const lsi_ami_node *n, ls_ami_param *p, const char *file, char *msg, size_t cap)
{
    const char *deflt = NULL;
    p->format = LS_AMI_OTHER;
    p->usage = LS_AMI_INFO;
    p->type = LS_AMI_FLOAT;
    for (size_t i = 0; i < n->n_kids; i++) {
        const lsi_ami_node *k = n->kids[i];
        const char *a0 = k->n_atoms ? k->atoms[0] : "";
        int u;
        if (!strcasecmp(k->name, "Usage")) {
            if ((u = lookup(a0, usage_names, 4)) < 0) {
                lsi_say(msg, cap, "%s:%d: %s: unknown Usage '%s' (In, Out, InOut or Info)", file, k->line, p->name, a0);
                return -1;
            }
            p->usage = (ls_ami_usage)u;
        } else if (!strcasecmp(k->name, "Type")) {
            if ((u = lookup(a0, type_names, 6)) < 0) {
                lsi_say(msg, cap, "%s:%d: %s: unknown Type '%s'", file, k->line, p->name, a0);
                return -1;
            }
            p->type = (ls_ami_type)u;
        } else if (!strcasecmp(k->name, "Default")) {
            deflt = k->n_atoms ? k->atoms[0] : NULL;
        } else if (!strcasecmp(k->name, "Description")) {
            snprintf(p->description, sizeof p->description, "%s", a0);
        } else if (!strcasecmp(k->name, "Format") || lookup(k->name, format_names, 6) >= 0 ||
                   lookup(k->name, jitter_formats, 4) >= 0) {
            int fmt = !strcasecmp(k->name, "Format");
            const char *f = fmt ? a0 : k->name;
            u = lookup(f, format_names, 6);
            p->format = u < 0 ? LS_AMI_OTHER : (ls_ami_format)u;
            snprintf(p->format_name, sizeof p->format_name, "%s", f);
            p->n_items = 0;
            for (size_t j = fmt; j < k->n_atoms && p->n_items < LS_AMI_MAX_ITEMS; j++)
                snprintf(p->items[p->n_items++], sizeof p->items[0], "%s", k->atoms[j]);
            if (p->format != LS_AMI_OTHER && !p->n_items && !deflt) {
                lsi_say(msg, cap, "%s:%d: %s: Format %s without data", file, k->line, p->name, f);
                return -1;
            }
        }
    }
    if (!n->n_kids && n->n_atoms) { /* an old-style "(name value)" */
        p->format = LS_AMI_VALUE;
        p->n_items = 1;
        snprintf(p->items[0], sizeof p->items[0], "%s", n->atoms[0]);
        if (n->quoted[0])
            p->type = LS_AMI_STRING;
        else if (!strcasecmp(n->atoms[0], "True") || !strcasecmp(n->atoms[0], "False"))
            p->type = LS_AMI_BOOLEAN;
    }
    const char *v = deflt ? deflt : p->n_items ? p->items[0] : "";
    snprintf(p->value, sizeof p->value, "%s", v);
    if ((p->usage == LS_AMI_IN || p->usage == LS_AMI_INOUT) && p->format != LS_AMI_OTHER) {
        char m[200];
        if (check_value(p, p->value, m, sizeof m)) {
            lsi_say(msg, cap, "%s:%d: %s: default %s", file, n->line, p->name, m);
            return -1;
        }
    }
    return 0;
}

static int add_param(ls_ami_params *ps, const lsi_ami_node *n, const char *path, int reserved, char *msg, size_t cap)
{
    if (ps->n == ps->cap) {
        size_t c = ps->cap ? 2 * ps->cap : 16;
        ls_ami_param *np = c < 100000 ? realloc(ps->p, c * sizeof *np) : NULL;
        if (!np) {
            lsi_say(msg, cap, "%s: too many parameters or out of memory", ps->file);
            return -1;
        }
        ps->p = np;
        ps->cap = c;
    }
    ls_ami_param *p = &ps->p[ps->n];
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", path);
    p->reserved = reserved;
    p->line = n->line;
    if (read_leaf(n, p, ps->file, msg, cap))
        return -1;
    ps->n++;
    return 0;
}

static int walk(ls_ami_params *ps, const lsi_ami_node *n, const char *prefix, int reserved, int depth, char *msg,
                size_t cap)
{
    for (size_t i = 0; i < n->n_kids; i++) {
        const lsi_ami_node *k = n->kids[i];
        if (!depth && !strcasecmp(k->name, "Description"))
            continue;
        char path[LS_AMI_NAME_LEN];
        if ((size_t)snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", k->name) >= sizeof path) {
            lsi_say(msg, cap, "%s:%d: parameter path longer than %d characters", ps->file, k->line, LS_AMI_NAME_LEN - 1);
            return -1;
        }
        if (is_leaf(k) ? add_param(ps, k, path, reserved, msg, cap) : walk(ps, k, path, reserved, depth + 1, msg, cap))
            return -1;
    }
    return 0;
}

void ls_ami_params_destroy(ls_ami_params *p)
{
    if (!p)
        return;
    lsi_ami_tree_free(p->root);
    free(p->p);
    free(p);
}

ls_ami_params *ls_ami_params_parse(const char *text, size_t len, const char *file, char *msg, size_t cap,
                                   ls_status *err)
{
    ls_status st = LS_ENOMEM;
    ls_ami_params *ps = calloc(1, sizeof *ps);
    if (!ps)
        goto fail;
    snprintf(ps->file, sizeof ps->file, "%s", file ? file : "(text)");
    if (!(ps->root = lsi_ami_tree_parse(text, len, ps->file, msg, cap, &st)))
        goto fail;
    st = LS_EINVAL;
    for (size_t i = 0; i < ps->root->n_kids; i++) {
        const lsi_ami_node *b = ps->root->kids[i];
        int res = !strcasecmp(b->name, "Reserved_Parameters");
        if (!res && strcasecmp(b->name, "Model_Specific") && strcasecmp(b->name, "Description")) {
            lsi_say(msg, cap, "%s:%d: unknown branch '%s' (Reserved_Parameters, Model_Specific or Description)",
                ps->file, b->line, b->name);
            goto fail;
        }
        if (strcasecmp(b->name, "Description") && walk(ps, b, "", res, 1, msg, cap))
            goto fail;
    }
    if (err)
        *err = LS_OK;
    return ps;
fail:
    ls_ami_params_destroy(ps);
    if (err)
        *err = st;
    return NULL;
}

ls_ami_params *ls_ami_params_load(const char *path, char *msg, size_t cap, ls_status *err)
{
    size_t len;
    char *t = path ? lsi_ami_read_file(path, &len) : NULL;
    if (!t) {
        lsi_say(msg, cap, "%s: cannot read (%s)", path ? path : "(null)", strerror(errno));
        if (err)
            *err = LS_EIO;
        return NULL;
    }
    ls_ami_params *p = ls_ami_params_parse(t, len, path, msg, cap, err);
    free(t);
    return p;
}

const char *ls_ami_params_root(const ls_ami_params *p)
{
    return p->root->name;
}

size_t ls_ami_params_count(const ls_ami_params *p)
{
    return p ? p->n : 0;
}

const ls_ami_param *ls_ami_params_at(const ls_ami_params *p, size_t i)
{
    return p && i < p->n ? &p->p[i] : NULL;
}

static ls_ami_param *find(ls_ami_params *p, const char *name, int reserved)
{
    for (size_t i = 0; p && name && i < p->n; i++)
        if (p->p[i].reserved == reserved && !strcmp(p->p[i].name, name))
            return &p->p[i];
    return NULL;
}

const ls_ami_param *ls_ami_params_find(const ls_ami_params *p, const char *name)
{
    ls_ami_param *q = find((ls_ami_params *)p, name, 0);
    return q ? q : find((ls_ami_params *)p, name, 1);
}

ls_status ls_ami_params_set(ls_ami_params *p, const char *name, const char *value, char *msg, size_t cap)
{
    ls_ami_param *q = find(p, name, 0);
    if (!q)
        q = find(p, name, 1);
    if (!q || !value) {
        lsi_say(msg, cap, "%s: no parameter '%s'", p ? p->file : "(null)", name ? name : "");
        return LS_EINVAL;
    }
    if (q->usage != LS_AMI_IN && q->usage != LS_AMI_INOUT) {
        lsi_say(msg, cap, "%s:%d: %s has Usage %s: only In and InOut parameters can be set", p->file, q->line, name,
            usage_names[q->usage]);
        return LS_EINVAL;
    }
    char m[300];
    if (q->format != LS_AMI_OTHER && check_value(q, value, m, sizeof m)) {
        lsi_say(msg, cap, "%s:%d: %s: %s", p->file, q->line, name, m);
        return LS_EINVAL;
    }
    snprintf(q->value, sizeof q->value, "%s", value);
    return LS_OK;
}

int ls_ami_params_flag(const ls_ami_params *p, const char *name, int dflt)
{
    ls_ami_param *q = find((ls_ami_params *)p, name, 1);
    if (!q)
        return dflt;
    return !strcasecmp(q->value, "True") ? 1 : !strcasecmp(q->value, "False") ? 0 : dflt;
}

double ls_ami_params_number(const ls_ami_params *p, const char *name, double dflt)
{
    ls_ami_param *q = find((ls_ami_params *)p, name, 1);
    double v;
    return q && !parse_num(q->value, &v) ? v : dflt;
}

typedef struct {
    char *out;
    size_t cap, n;
    int over;
} sbuf;

static void put(sbuf *b, const char *s)
{
    size_t l = strlen(s);
    if (b->n + l + 1 > b->cap) {
        b->over = 1;
        return;
    }
    memcpy(b->out + b->n, s, l + 1);
    b->n += l;
}

/* The In/InOut leaves below node n (path prefix) as "(name value)" lists; returns how many. */
static size_t emit(const ls_ami_params *ps, const lsi_ami_node *n, const char *prefix, int reserved, sbuf *b)
{
    size_t count = 0;
    for (size_t i = 0; i < n->n_kids; i++) {
        const lsi_ami_node *k = n->kids[i];
        char path[LS_AMI_NAME_LEN];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", k->name);
        if (is_leaf(k)) {
            const ls_ami_param *q = find((ls_ami_params *)ps, path, reserved);
            if (!q || (q->usage != LS_AMI_IN && q->usage != LS_AMI_INOUT) || q->format == LS_AMI_OTHER)
                continue;
            put(b, "(");
            put(b, k->name);
            put(b, q->type == LS_AMI_STRING ? " \"" : " ");
            put(b, q->value);
            put(b, q->type == LS_AMI_STRING ? "\")" : ")");
            count++;
            continue;
        }
        size_t mark = b->n;
        put(b, "(");
        put(b, k->name);
        put(b, " ");
        size_t c = emit(ps, k, path, reserved, b);
        if (!c && !b->over) { /* nothing passed below: drop the branch */
            b->n = mark;
            b->out[mark] = '\0';
        } else {
            put(b, ")");
        }
        count += c;
    }
    return count;
}

ls_status ls_ami_params_input_string(const ls_ami_params *p, char *out, size_t cap)
{
    if (!p || !out || !cap)
        return LS_EINVAL;
    sbuf b = { .out = out, .cap = cap };
    out[0] = '\0';
    put(&b, "(");
    put(&b, p->root->name);
    put(&b, " ");
    for (size_t i = 0; i < p->root->n_kids; i++) {
        const lsi_ami_node *br = p->root->kids[i];
        int res = !strcasecmp(br->name, "Reserved_Parameters");
        if (res || !strcasecmp(br->name, "Model_Specific"))
            emit(p, br, "", res, &b);
    }
    put(&b, ")");
    return b.over ? LS_EINVAL : LS_OK;
}

static void flatten(const lsi_ami_node *n, const char *prefix, ls_ami_kv *kv, size_t cap, size_t *count)
{
    for (size_t i = 0; i < n->n_kids; i++) {
        const lsi_ami_node *k = n->kids[i];
        char path[LS_AMI_NAME_LEN];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", k->name);
        if (k->n_kids) {
            flatten(k, path, kv, cap, count);
            continue;
        }
        if (*count < cap) {
            ls_ami_kv *e = &kv[*count];
            snprintf(e->name, sizeof e->name, "%s", path);
            e->value[0] = '\0';
            size_t used = 0;
            for (size_t j = 0; j < k->n_atoms && used + 2 < sizeof e->value; j++) {
                int w = snprintf(e->value + used, sizeof e->value - used, "%s%s", j ? " " : "", k->atoms[j]);
                used += w > 0 ? (size_t)w : 0;
            }
        }
        (*count)++;
    }
}

ls_status ls_ami_output_parse(const char *text, ls_ami_kv *kv, size_t cap, size_t *n, char *msg, size_t mcap)
{
    ls_status st;
    *n = 0;
    lsi_ami_node *t = lsi_ami_tree_parse(text, text ? strlen(text) : 0, "AMI_parameters_out", msg, mcap, &st);
    if (!t)
        return st;
    flatten(t, "", kv, cap, n);
    if (*n > cap)
        *n = cap;
    lsi_ami_tree_free(t);
    return LS_OK;
}

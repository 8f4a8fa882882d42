/*
 * The parenthesized tree of IBIS-AMI (IBIS 7.x, Algorithmic Modeling Interface): an .ami parameter
 * file and the AMI_parameters_in/out strings share one syntax, a list "(name element ...)" whose
 * elements are atoms (bare tokens or double-quoted strings) or nested lists. A '|' outside a quoted
 * string starts a comment that runs to the end of the line. Exactly one top-level list.
 * Fuzz-safe: bounded depth (64), bounded atom length, every failure a "FILE:LINE: problem" message.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ami_internal.h"
#include "ls_internal.h"

#define MAX_DEPTH 64
#define MAX_ATOM 4096

typedef struct {
    const char *s;
    size_t len, pos;
    int line;
    const char *file;
    char *msg;
    size_t cap;
    ls_status st;
} lexer;

static void fail(lexer *x, const char *what)
{
    if (x->st == LS_OK) {
        lsi_say(x->msg, x->cap, "%s:%d: %s", x->file ? x->file : "(text)", x->line, what);
        x->st = LS_EINVAL;
    }
}

/* Skips white space and comments. */
static void skip(lexer *x)
{
    while (x->pos < x->len) {
        char c = x->s[x->pos];
        if (c == '\n') {
            x->line++;
            x->pos++;
        } else if (c == '|') {
            while (x->pos < x->len && x->s[x->pos] != '\n')
                x->pos++;
        } else if (isspace((unsigned char)c) || c == '\0') {
            x->pos++;
        } else {
            return;
        }
    }
}

/* One atom at x->pos into a malloc'd string (*quoted set for a quoted string); NULL on error. */
static char *atom(lexer *x, int *quoted)
{
    size_t start = x->pos, n;
    *quoted = x->s[x->pos] == '"';
    if (*quoted) {
        start = ++x->pos;
        while (x->pos < x->len && x->s[x->pos] != '"') {
            if (x->s[x->pos] == '\n')
                x->line++;
            x->pos++;
        }
        if (x->pos >= x->len) {
            fail(x, "unterminated quoted string");
            return NULL;
        }
        n = x->pos - start;
        x->pos++;
    } else {
        while (x->pos < x->len) {
            char c = x->s[x->pos];
            if (c == '(' || c == ')' || c == '"' || c == '|' || isspace((unsigned char)c) || c == '\0')
                break;
            x->pos++;
        }
        n = x->pos - start;
    }
    if (n > MAX_ATOM) {
        fail(x, "token longer than 4096 characters");
        return NULL;
    }
    char *a = malloc(n + 1);
    if (!a) {
        x->st = LS_ENOMEM;
        lsi_say(x->msg, x->cap, "out of memory");
        return NULL;
    }
    memcpy(a, x->s + start, n);
    a[n] = '\0';
    return a;
}

void lsi_ami_tree_free(lsi_ami_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n_kids; i++)
        lsi_ami_tree_free(n->kids[i]);
    for (size_t i = 0; i < n->n_atoms; i++)
        free(n->atoms[i]);
    free(n->kids);
    free(n->atoms);
    free(n->quoted);
    free(n->name);
    free(n);
}

static int push_atom(lsi_ami_node *n, char *a, int quoted)
{
    if (n->n_atoms == n->cap_atoms) {
        size_t c = n->cap_atoms ? 2 * n->cap_atoms : 4;
        char **na = realloc(n->atoms, c * sizeof *na);
        if (!na)
            return -1;
        n->atoms = na;
        unsigned char *nq = realloc(n->quoted, c);
        if (!nq)
            return -1;
        n->quoted = nq;
        n->cap_atoms = c;
    }
    n->atoms[n->n_atoms] = a;
    n->quoted[n->n_atoms++] = (unsigned char)quoted;
    return 0;
}

static int push_kid(lsi_ami_node *n, lsi_ami_node *k)
{
    if (n->n_kids == n->cap_kids) {
        size_t c = n->cap_kids ? 2 * n->cap_kids : 4;
        lsi_ami_node **nk = realloc(n->kids, c * sizeof *nk);
        if (!nk)
            return -1;
        n->kids = nk;
        n->cap_kids = c;
    }
    n->kids[n->n_kids++] = k;
    return 0;
}

/* A list at x->pos (which holds '('). */
static lsi_ami_node *list(lexer *x, int depth)
{
    if (depth > MAX_DEPTH) {
        fail(x, "lists nested deeper than 64");
        return NULL;
    }
    lsi_ami_node *n = calloc(1, sizeof *n);
    if (!n) {
        x->st = LS_ENOMEM;
        lsi_say(x->msg, x->cap, "out of memory");
        return NULL;
    }
    n->line = x->line;
    x->pos++;
    skip(x);
    int q;
    if (x->pos >= x->len || x->s[x->pos] == '(' || x->s[x->pos] == ')' || x->s[x->pos] == '"') {
        fail(x, x->pos >= x->len ? "'(' not closed" : "a list must start with a name");
        goto bad;
    }
    if (!(n->name = atom(x, &q)))
        goto bad;
    for (;;) {
        skip(x);
        if (x->pos >= x->len) {
            x->line = n->line;
            fail(x, "'(' not closed");
            goto bad;
        }
        char c = x->s[x->pos];
        if (c == ')') {
            x->pos++;
            return n;
        }
        if (c == '(') {
            lsi_ami_node *k = list(x, depth + 1);
            if (!k || push_kid(n, k)) {
                lsi_ami_tree_free(k);
                goto nomem;
            }
        } else {
            char *a = atom(x, &q);
            if (!a || push_atom(n, a, q)) {
                free(a);
                goto nomem;
            }
        }
    }
nomem:
    if (x->st == LS_OK) {
        x->st = LS_ENOMEM;
        lsi_say(x->msg, x->cap, "out of memory");
    }
bad:
    lsi_ami_tree_free(n);
    return NULL;
}

lsi_ami_node *lsi_ami_tree_parse(const char *text, size_t len, const char *file, char *msg, size_t cap,
                                 ls_status *err)
{
    lexer x = { .s = text ? text : "", .len = text ? len : 0, .line = 1, .file = file, .msg = msg, .cap = cap };
    lsi_ami_node *root = NULL;
    skip(&x);
    if (x.pos >= x.len)
        fail(&x, "empty: no parameter tree");
    else if (x.s[x.pos] != '(')
        fail(&x, "text before the parameter tree (expected '(')");
    else if ((root = list(&x, 0))) {
        skip(&x);
        if (x.pos < x.len) {
            fail(&x, "text after the parameter tree's closing ')'");
            lsi_ami_tree_free(root);
            root = NULL;
        }
    }
    if (err)
        *err = x.st;
    return root;
}

const lsi_ami_node *lsi_ami_child(const lsi_ami_node *n, const char *name)
{
    for (size_t i = 0; n && i < n->n_kids; i++)
        if (!strcasecmp(n->kids[i]->name, name))
            return n->kids[i];
    return NULL;
}

char *lsi_ami_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    while (b) {
        if (n + 1 >= cap) {
            char *nb = cap < ((size_t)1 << 28) ? realloc(b, cap *= 2) : NULL;
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
        }
        size_t r = fread(b + n, 1, cap - n - 1, f);
        n += r;
        if (!r)
            break;
    }
    fclose(f);
    if (b) {
        b[n] = '\0';
        *len = n;
    }
    return b;
}

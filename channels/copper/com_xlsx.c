/**
 * @file com_xlsx.c
 * A COM configuration read from the IEEE COM workbook itself (.xlsx: a zip of XML parts, ECMA-376),
 * through libzip (the archive) and libxml2 (the XML); built only when both are found
 * (LANESIM_HAVE_XLSX), else ls_com_config_read_xlsx says "built without xlsx support".
 *
 * Which sheet: `COM_Settings` (the sheet the reference script reads), else the first sheet
 * (xl/workbook.xml names the sheets, xl/_rels/workbook.xml.rels gives each one's part). Cells: shared
 * strings (t="s", xl/sharedStrings.xml), inline strings (t="inlineStr"), formula strings
 * (t="str"), booleans (t="b", 1/0) and numbers (their stored text; a formula cell by its cached
 * value, as Excel shows it). Keywords: the reference looks each keyword up by exact,
 * case-insensitive match anywhere in the sheet and takes the cell to its right. Without a keyword
 * list, a keyword here is a text cell that starts a block of the row (its left neighbour is empty)
 * and has a value to its right; so the value, unit and note cells of the workbook's three column
 * blocks (A-D, F-H, J-L; ../shared/com/README.md) are not taken for keywords, and stray annotation
 * cells (nothing to their right) are skipped. The values then go through the same parser as the
 * CSV form (ls_com_config_set).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "com_internal.h"

#ifndef LANESIM_HAVE_XLSX

ls_com_config *ls_com_config_read_xlsx(const char *path, char *msg, size_t cap, ls_status *err)
{
    if (msg) snprintf(msg, cap, "%s: lanesim was built without xlsx support (libzip and libxml2 not found); "
                      "export the COM_Settings sheet as CSV (keyword,value,unit,meaning)", path ? path : "(null)");
    if (err) *err = LS_EINVAL;
    return NULL;
}

#else

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

typedef struct {
    long row, col; /* 1-based */
    char *text;
} xcell;

typedef struct {
    zip_t *z;
    char **ss;      /* shared strings */
    size_t n_ss;
    xcell *c;
    size_t n, cap;
} xbook;

/* the archive member name into a parsed XML document (NULL when absent or malformed) */
static xmlDocPtr member(zip_t *z, const char *name)
{
    zip_stat_t sb;
    if (zip_stat(z, name, 0, &sb) || !(sb.valid & ZIP_STAT_SIZE) || sb.size > (1u << 28)) return NULL;
    zip_file_t *f = zip_fopen(z, name, 0);
    char *buf = f ? malloc(sb.size + 1) : NULL;
    zip_int64_t got = buf ? zip_fread(f, buf, sb.size) : -1;
    if (f) zip_fclose(f);
    xmlDocPtr d = got == (zip_int64_t)sb.size ? xmlReadMemory(buf, (int)sb.size, name, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS) : NULL;
    free(buf);
    return d;
}

static int is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* the text of every <t> under n, concatenated (rich-text runs) */
static void cat_t(xmlNodePtr n, char *out, size_t cap)
{
    for (xmlNodePtr k = n ? n->children : NULL; k; k = k->next) {
        if (is(k, "t")) {
            xmlChar *s = xmlNodeGetContent(k);
            if (s) strncat(out, (const char *)s, cap - strlen(out) - 1);
            xmlFree(s);
        } else if (k->type == XML_ELEMENT_NODE) {
            cat_t(k, out, cap);
        }
    }
}

static int shared_strings(xbook *b)
{
    xmlDocPtr d = member(b->z, "xl/sharedStrings.xml");
    if (!d) return 0; /* a workbook without shared strings */
    xmlNodePtr root = xmlDocGetRootElement(d);
    size_t n = 0;
    for (xmlNodePtr k = root ? root->children : NULL; k; k = k->next) n += is(k, "si");
    b->ss = calloc(n ? n : 1, sizeof *b->ss);
    for (xmlNodePtr k = root ? root->children : NULL; k && b->ss; k = k->next) {
        if (!is(k, "si")) continue;
        char t[1024] = "";
        cat_t(k, t, sizeof t);
        if (!(b->ss[b->n_ss++] = strdup(t))) break;
    }
    xmlFreeDoc(d);
    return b->ss ? 0 : -1;
}

/* the part of the sheet named COM_Settings (else the first sheet), e.g. "xl/worksheets/sheet1.xml" */
static int sheet_part(zip_t *z, char *part, size_t cap)
{
    xmlDocPtr wb = member(z, "xl/workbook.xml"), rels = member(z, "xl/_rels/workbook.xml.rels");
    char rid[128] = "";
    int rc = -1;
    xmlNodePtr r = wb ? xmlDocGetRootElement(wb) : NULL;
    for (xmlNodePtr s = r ? r->children : NULL; s; s = s->next) {
        if (!is(s, "sheets")) continue;
        for (xmlNodePtr k = s->children; k; k = k->next) {
            if (!is(k, "sheet")) continue;
            xmlChar *name = xmlGetProp(k, (const xmlChar *)"name"), *id = NULL;
            for (xmlAttrPtr a = k->properties; a; a = a->next)
                if (!strcmp((const char *)a->name, "id")) id = xmlNodeGetContent((xmlNodePtr)a);
            if (id && (!rid[0] || (name && !strcasecmp((const char *)name, "COM_Settings"))))
                snprintf(rid, sizeof rid, "%s", (const char *)id);
            int found = name && !strcasecmp((const char *)name, "COM_Settings");
            xmlFree(name);
            xmlFree(id);
            if (found) break;
        }
    }
    r = rels && rid[0] ? xmlDocGetRootElement(rels) : NULL;
    for (xmlNodePtr k = r ? r->children : NULL; k && rc; k = k->next) {
        xmlChar *id = is(k, "Relationship") ? xmlGetProp(k, (const xmlChar *)"Id") : NULL;
        xmlChar *tg = id ? xmlGetProp(k, (const xmlChar *)"Target") : NULL;
        if (id && tg && !strcmp((const char *)id, rid)) {
            const char *t = (const char *)tg;
            if (t[0] == '/') snprintf(part, cap, "%s", t + 1);
            else snprintf(part, cap, "xl/%s", t);
            rc = 0;
        }
        xmlFree(id);
        xmlFree(tg);
    }
    if (wb) xmlFreeDoc(wb);
    if (rels) xmlFreeDoc(rels);
    return rc;
}

/* "AB12" into column 28, row 12 */
static int cell_ref(const char *r, long *row, long *col)
{
    long c = 0;
    while (isalpha((unsigned char)*r)) c = c * 26 + (toupper((unsigned char)*r++) - 'A' + 1);
    char *end;
    long w = strtol(r, &end, 10);
    if (!c || w <= 0 || *end) return -1;
    *row = w;
    *col = c;
    return 0;
}

static int add_cell(xbook *b, long row, long col, const char *text)
{
    while (*text && isspace((unsigned char)*text)) text++;
    if (!*text) return 0;
    if (b->n == b->cap) {
        size_t nc = b->cap ? 2 * b->cap : 256;
        xcell *t = realloc(b->c, nc * sizeof *t);
        if (!t) return -1;
        b->c = t;
        b->cap = nc;
    }
    char *s = strdup(text);
    if (!s) return -1;
    size_t l = strlen(s);
    while (l && isspace((unsigned char)s[l - 1])) s[--l] = 0;
    b->c[b->n++] = (xcell){ row, col, s };
    return 0;
}

/* one <c> element: its text by type */
static int read_cell(xbook *b, xmlNodePtr c)
{
    xmlChar *ref = xmlGetProp(c, (const xmlChar *)"r"), *type = xmlGetProp(c, (const xmlChar *)"t");
    long row, col;
    int rc = 0;
    char text[1024] = "";
    if (ref && !cell_ref((const char *)ref, &row, &col)) {
        const char *t = type ? (const char *)type : "n";
        for (xmlNodePtr k = c->children; k; k = k->next) {
            if (is(k, "is")) cat_t(k, text, sizeof text);
            if (!is(k, "v")) continue;
            xmlChar *v = xmlNodeGetContent(k);
            if (v && !strcmp(t, "s")) {
                long i = strtol((const char *)v, NULL, 10);
                if (i >= 0 && (size_t)i < b->n_ss) snprintf(text, sizeof text, "%s", b->ss[i]);
            } else if (v && strcmp(t, "e")) {
                snprintf(text, sizeof text, "%s", (const char *)v); /* n, b (1/0), str */
            }
            xmlFree(v);
        }
        rc = add_cell(b, row, col, text);
    }
    xmlFree(ref);
    xmlFree(type);
    return rc;
}

static const char *at(const xbook *b, long row, long col)
{
    for (size_t k = 0; k < b->n; k++)
        if (b->c[k].row == row && b->c[k].col == col) return b->c[k].text;
    return NULL;
}

static int looks_value(const char *s)
{
    char *end;
    strtod(s, &end);
    return (end != s && !*end) || s[0] == '[';
}

/* the keyword/value pairs of the cells into c: LS_OK or the ls_com_config_set failure */
static ls_status pairs(const xbook *b, ls_com_config *c, const char *path, char *msg, size_t cap)
{
    for (size_t k = 0; k < b->n; k++) {
        const xcell *x = &b->c[k];
        const char *v = at(b, x->row, x->col + 1);
        if (!v || looks_value(x->text) || (x->col > 1 && at(b, x->row, x->col - 1))) continue;
        if (strlen(x->text) >= 64 || strlen(v) >= 256) continue; /* prose, not a keyword */
        ls_status st = ls_com_config_set(c, x->text, v, msg, cap);
        if (st) return st;
        for (size_t i = 0; i < c->n; i++) {
            if (strcasecmp(c->kv[i].key, x->text) || !c->kv[i].is_text || !looks_value(v)) continue;
            char col[8] = "";
            for (long n = x->col + 1, p = 6; n > 1 && p >= 0; n = (n - 2) / 26 + 1) col[p--] = (char)('A' + (n - 2) % 26);
            size_t o = 0;
            while (o < 7 && !col[o]) o++;
            if (msg) snprintf(msg, cap, "%s: cell %s%ld: keyword '%s': malformed value '%s'", path, col + o, x->row, x->text, v);
            return LS_EINVAL;
        }
    }
    return LS_OK;
}

static void free_book(xbook *b)
{
    for (size_t k = 0; k < b->n_ss; k++) free(b->ss[k]);
    for (size_t k = 0; k < b->n; k++) free(b->c[k].text);
    free(b->ss);
    free(b->c);
    if (b->z) zip_discard(b->z);
}

ls_com_config *ls_com_config_read_xlsx(const char *path, char *msg, size_t cap, ls_status *err)
{
    ls_status st = LS_EIO;
    int zerr = 0;
    xbook b = { 0 };
    ls_com_config *c = NULL;
    char part[512];
    xmlDocPtr d = NULL;
    xmlInitParser(); /* idempotent; the first call should not race (sweep loads configurations up front) */
    if (!path || !(b.z = zip_open(path, ZIP_RDONLY, &zerr))) {
        if (msg) snprintf(msg, cap, "%s: cannot read as an .xlsx workbook (zip error %d)", path ? path : "(null)", zerr);
        goto out;
    }
    st = LS_EINVAL;
    if (shared_strings(&b) || sheet_part(b.z, part, sizeof part) || !(d = member(b.z, part))) {
        if (msg) snprintf(msg, cap, "%s: not an .xlsx workbook with a worksheet (xl/workbook.xml, its relations, the sheet)", path);
        goto out;
    }
    xmlNodePtr root = xmlDocGetRootElement(d);
    for (xmlNodePtr sd = root ? root->children : NULL; sd; sd = sd->next) {
        if (!is(sd, "sheetData")) continue;
        for (xmlNodePtr row = sd->children; row; row = row->next)
            for (xmlNodePtr k = is(row, "row") ? row->children : NULL; k; k = k->next)
                if (is(k, "c") && read_cell(&b, k)) { st = LS_ENOMEM; goto out; }
    }
    if (!(c = calloc(1, sizeof *c))) { st = LS_ENOMEM; goto out; }
    if ((st = pairs(&b, c, path, msg, cap)) != LS_OK) { ls_com_config_destroy(c); c = NULL; goto out; }
    if (!c->n) {
        if (msg) snprintf(msg, cap, "%s: no keyword/value cells found in the sheet", path);
        ls_com_config_destroy(c);
        c = NULL;
        st = LS_EINVAL;
        goto out;
    }
    const char *base = strrchr(path, '/');
    snprintf(c->name, sizeof c->name, "%s", base ? base + 1 : path);
    char *dot = strrchr(c->name, '.');
    if (dot && !strcasecmp(dot, ".xlsx")) *dot = 0;
out:
    if (d) xmlFreeDoc(d);
    free_book(&b);
    if (err) *err = c ? LS_OK : st;
    return c;
}

#endif

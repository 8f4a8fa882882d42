/**
 * The IEEE COM workbook reader (channels/copper/com_xlsx.c). No .xlsx workbook ships with the project,
 * so the test writes one from a shipped CSV configuration with libzip and libxml2, laid out as the
 * IEEE workbooks are (../shared/com/README.md): a decoy first sheet, then `COM_Settings` with the
 * keywords in blocks (label, value, unit, note in columns A-D, then F-H), labels as shared strings,
 * text values inline, numbers as numeric cells, an annotation cell with nothing beside it. The
 * configuration read back must hold every keyword with the same values, and give the same COM on
 * lanesim's copper channel as the CSV. Without xlsx support in the build: the one-line refusal.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "com_internal.h"
#include "lanesim/channel.h"
#include "lanesim/com.h"
#include "util.h"

#define CSV LS_SOURCE_DIR "/channels/copper/com/802.3ck-kr.csv"

#ifdef LANESIM_HAVE_XLSX
#include <libxml/tree.h>
#include <zip.h>

/* adds an XML document as an archive member */
static void add_doc(zip_t *z, const char *name, xmlDocPtr d)
{
    xmlChar *buf = NULL;
    int n = 0;
    xmlDocDumpMemoryEnc(d, &buf, &n, "UTF-8");
    xmlFreeDoc(d);
    zip_source_t *s = zip_source_buffer(z, buf, (zip_uint64_t)n, 1); /* libzip frees buf (malloc'd by libxml2) */
    cr_assert(s != NULL && zip_file_add(z, name, s, ZIP_FL_OVERWRITE) >= 0, "%s", name);
}

static xmlNodePtr root(xmlDocPtr d, const char *name)
{
    xmlNodePtr r = xmlNewNode(NULL, (const xmlChar *)name);
    xmlDocSetRootElement(d, r);
    xmlNewNs(r, (const xmlChar *)"http://schemas.openxmlformats.org/spreadsheetml/2006/main", NULL);
    return r;
}

static char *col_ref(char *b, int col, int row) /* b: 24 bytes */
{
    snprintf(b, 24, "%c%d", (char)('A' + col - 1), row);
    return b;
}

/* a cell: shared string index, inline string, or number */
static void cell(xmlNodePtr row, int col, int r, const char *type, const char *text)
{
    char ref[24];
    xmlNodePtr c = xmlNewChild(row, NULL, (const xmlChar *)"c", NULL);
    xmlNewProp(c, (const xmlChar *)"r", (const xmlChar *)col_ref(ref, col, r));
    if (type) xmlNewProp(c, (const xmlChar *)"t", (const xmlChar *)type);
    if (type && !strcmp(type, "inlineStr"))
        xmlNewTextChild(xmlNewChild(c, NULL, (const xmlChar *)"is", NULL), NULL, (const xmlChar *)"t", (const xmlChar *)text);
    else
        xmlNewTextChild(c, NULL, (const xmlChar *)"v", (const xmlChar *)text);
}

static int numeric(const char *s)
{
    char *end;
    strtod(s, &end);
    return end != s && !*end;
}

/* the workbook of configuration c at path */
static void write_xlsx(const ls_com_config *c, const char *path)
{
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    cr_assert(z != NULL, "zip error %d", err);
    xmlDocPtr wb = xmlNewDoc((const xmlChar *)"1.0"), rel = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr sheets = xmlNewChild(root(wb, "workbook"), NULL, (const xmlChar *)"sheets", NULL);
    xmlNsPtr rns = xmlNewNs(xmlDocGetRootElement(wb), (const xmlChar *)"http://schemas.openxmlformats.org/officeDocument/2006/relationships", (const xmlChar *)"r");
    xmlNodePtr rr = xmlNewNode(NULL, (const xmlChar *)"Relationships");
    xmlDocSetRootElement(rel, rr);
    const char *names[2] = { "keywords_08_17_2022", "COM_Settings" };
    for (int k = 0; k < 2; k++) {
        char id[8], tg[64];
        snprintf(id, sizeof id, "rId%d", k + 1);
        snprintf(tg, sizeof tg, "worksheets/sheet%d.xml", k + 1);
        xmlNodePtr s = xmlNewChild(sheets, NULL, (const xmlChar *)"sheet", NULL);
        xmlNewProp(s, (const xmlChar *)"name", (const xmlChar *)names[k]);
        xmlNewNsProp(s, rns, (const xmlChar *)"id", (const xmlChar *)id);
        xmlNodePtr r = xmlNewChild(rr, NULL, (const xmlChar *)"Relationship", NULL);
        xmlNewProp(r, (const xmlChar *)"Id", (const xmlChar *)id);
        xmlNewProp(r, (const xmlChar *)"Target", (const xmlChar *)tg);
    }
    add_doc(z, "xl/workbook.xml", wb);
    add_doc(z, "xl/_rels/workbook.xml.rels", rel);
    /* the decoy sheet: keywords and other values (the reader must take COM_Settings) */
    xmlDocPtr d0 = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr r0 = xmlNewChild(xmlNewChild(root(d0, "worksheet"), NULL, (const xmlChar *)"sheetData", NULL), NULL,
                                (const xmlChar *)"row", NULL);
    cell(r0, 1, 1, "inlineStr", "f_b");
    cell(r0, 2, 1, NULL, "999");
    add_doc(z, "xl/worksheets/sheet1.xml", d0);
    /* COM_Settings: keywords alternate between the A-D and the F-H block, two keywords per row */
    xmlDocPtr sd = xmlNewDoc((const xmlChar *)"1.0"), ss = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr data = xmlNewChild(root(sd, "worksheet"), NULL, (const xmlChar *)"sheetData", NULL), sst = root(ss, "sst");
    xmlNodePtr row = NULL;
    for (size_t k = 0; k < c->n; k++) {
        const lsi_com_kv *kv = &c->kv[k];
        const int r = (int)(k / 2) + 2, base = k % 2 ? 6 : 1;
        if (!(k % 2)) {
            char rn[24];
            snprintf(rn, sizeof rn, "%d", r);
            row = xmlNewChild(data, NULL, (const xmlChar *)"row", NULL);
            xmlNewProp(row, (const xmlChar *)"r", (const xmlChar *)rn);
        }
        char idx[24];
        snprintf(idx, sizeof idx, "%zu", k);
        xmlNewTextChild(xmlNewChild(sst, NULL, (const xmlChar *)"si", NULL), NULL, (const xmlChar *)"t", (const xmlChar *)kv->key);
        cell(row, base, r, "s", idx);
        cell(row, base + 1, r, numeric(kv->text) ? NULL : "inlineStr", kv->text);
        cell(row, base + 2, r, "inlineStr", "GHz"); /* a unit cell: not a keyword */
        if (base == 1) cell(row, 4, r, "inlineStr", "a note, not a keyword");
    }
    xmlNodePtr last = xmlNewChild(data, NULL, (const xmlChar *)"row", NULL);
    cell(last, 10, (int)c->n + 5, "inlineStr", "11-2022 BenArtsi pkg"); /* an annotation with nothing beside it */
    add_doc(z, "xl/worksheets/sheet2.xml", sd);
    add_doc(z, "xl/sharedStrings.xml", ss);
    cr_assert(eq(int, zip_close(z), 0), "%s", zip_strerror(z));
}

Test(com_xlsx, round_trip_of_a_shipped_configuration, .timeout = LS_TIMEOUT(60))
{
    char msg[512] = "", path[] = "/tmp/ls_com_xlsx_XXXXXX";
    ls_status st;
    ls_com_config *a = ls_com_config_read(CSV, msg, sizeof msg, &st);
    cr_assert(a != NULL, "%s", msg);
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    char xl[600];
    snprintf(xl, sizeof xl, "%s.xlsx", path);
    write_xlsx(a, xl);
    ls_com_config *b = ls_com_config_read_xlsx(xl, msg, sizeof msg, &st);
    cr_assert(b != NULL, "%s", msg);
    cr_expect(eq(sz, b->n, a->n), "%zu keywords read back, %zu written", b->n, a->n);
    for (size_t k = 0; k < a->n; k++) {
        const lsi_com_kv *x = &a->kv[k], *y = NULL;
        for (size_t i = 0; i < b->n && !y; i++)
            if (!strcmp(b->kv[i].key, x->key)) y = &b->kv[i];
        cr_assert(y != NULL, "keyword '%s' missing", x->key);
        cr_expect(x->is_text == y->is_text && x->rows == y->rows && x->cols == y->cols, "%s", x->key);
        for (size_t i = 0; !x->is_text && i < x->rows * x->cols; i++)
            cr_expect(x->v[i] == y->v[i], "%s[%zu]: %g vs %g", x->key, i, x->v[i], y->v[i]);
        if (x->is_text) cr_expect(eq(str, (char *)x->text, (char *)y->text));
    }
    /* the same COM on lanesim's copper channel (package case 1) */
    cr_assert(eq(int, ls_com_config_set(a, "z_p select", "[1]", msg, sizeof msg), LS_OK));
    cr_assert(eq(int, ls_com_config_set(b, "z_p select", "[1]", msg, sizeof msg), LS_OK));
    ls_config *c = ls_config_create("copper", msg, sizeof msg, &st);
    cr_assert(c != NULL);
    cr_assert(eq(int, ls_config_set(c, "link.rate_gbps", "106.25", msg, sizeof msg), LS_OK));
    ls_com_result ra, rb;
    cr_assert(eq(int, ls_com_preset(a, c, &ra, msg, sizeof msg), LS_OK), "%s", msg);
    cr_assert(eq(int, ls_com_preset(b, c, &rb, msg, sizeof msg), LS_OK), "%s", msg);
    cr_expect(ra.com_db == rb.com_db && isfinite(ra.com_db), "CSV %.6f dB, xlsx %.6f dB", ra.com_db, rb.com_db);
    cr_expect(eq(str, (char *)ls_com_config_name(b), strrchr(path, '/') + 1));
    /* the command line takes the workbook too */
    char cmd[2048], out[8192];
    snprintf(cmd, sizeof cmd, "'%s' com copper -s link.rate_gbps=106.25 --config %s -s 'z_p select=[1]' 2>&1", LS_CLI_PATH, xl);
    cr_expect(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    char want[64];
    snprintf(want, sizeof want, "COM %.3f dB", ra.com_db);
    cr_expect(ls_has(out, want), "%s\n(want %s)", out, want);
    ls_config_destroy(c);
    ls_com_config_destroy(a);
    ls_com_config_destroy(b);
    remove(xl);
    remove(path);
}

Test(com_xlsx, not_a_workbook, .timeout = LS_TIMEOUT(10))
{
    char msg[512] = "";
    ls_status st;
    cr_expect(ls_com_config_read_xlsx(CSV ".xlsx", msg, sizeof msg, &st) == NULL);
    cr_expect(eq(int, st, LS_EIO), "%s", msg);
    char path[] = "/tmp/ls_com_notxlsx_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert(write(fd, "PK not a zip", 12) == 12);
    close(fd);
    char xl[600];
    snprintf(xl, sizeof xl, "%s.xlsx", path);
    cr_assert(eq(int, rename(path, xl), 0));
    cr_expect(ls_com_config_read_xlsx(xl, msg, sizeof msg, &st) == NULL);
    cr_expect(ls_has(msg, ".xlsx"), "%s", msg);
    remove(xl);
}

#else

Test(com_xlsx, built_without_xlsx_support, .timeout = LS_TIMEOUT(10))
{
    char msg[512] = "";
    ls_status st;
    cr_expect(ls_com_config_read_xlsx("/tmp/any.xlsx", msg, sizeof msg, &st) == NULL);
    cr_expect(eq(int, st, LS_EINVAL));
    cr_expect(ls_has(msg, "built without xlsx support"), "%s", msg);
}

#endif

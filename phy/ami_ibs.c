/*
 * The [Algorithmic Model] section of an IBIS (.ibs) file, IBIS 7.x:
 *     [Model] NAME
 *     ...
 *     [Algorithmic Model]
 *     Executable <Platform_Compiler_Bits> <File_Name> <Parameter_File>
 *     ...
 *     [End Algorithmic Model]
 * Platform_Compiler_Bits is "<OS>_<compiler>_<bits>" (e.g. Linux_gcc_64, Windows_VisualStudio_64);
 * this reader picks the first line whose OS is this one (Linux) and whose bits are the build's pointer
 * width; the compiler field is not compared (any C ABI-compatible compiler). Executable_Tx and
 * Executable_Rx (repeater models) are read like Executable. Keywords are case-insensitive with '_' and
 * ' ' equivalent; '|' (or the [Comment Char]) starts a comment. File names are relative to the .ibs.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ami_internal.h"
#include "ls_internal.h"

#if defined(__linux__)
#define HOST_OS "Linux"
#elif defined(__APPLE__)
#define HOST_OS "Darwin"
#else
#define HOST_OS "Unknown"
#endif

typedef struct {
    const char *file, *want;
    char dir[LS_AMI_PATH_LEN];
    char model[LS_AMI_NAME_LEN];  /* current [Model] */
    int in_algo, line, found_line;
    unsigned n_algo;              /* models with an [Algorithmic Model] */
    char algo_names[256];
    char other_platforms[256];
    ls_ami_ibs_entry *out;
    int have;                     /* out holds this platform's entry of the wanted model */
    int wanted_has_algo;
} ibs_state;

/* The keyword of "[Name] rest" normalised (lower case, '_' as ' ') into kw; returns rest. */
static const char *keyword(const char *s, char *kw, size_t cap)
{
    size_t n = 0;
    s++;
    while (*s && *s != ']' && n + 1 < cap) {
        char c = *s++ == '_' ? ' ' : (char)tolower((unsigned char)s[-1]);
        kw[n++] = c;
    }
    kw[n] = '\0';
    return *s == ']' ? s + 1 : s;
}

static void join(char *dst, size_t cap, const char *dir, const char *name)
{
    if (name[0] == '/' || !dir[0])
        snprintf(dst, cap, "%s", name);
    else
        lsi_say(dst, cap, "%s/%s", dir, name);
}

/* "Executable <plat> <lib> <ami>": 0, or -1 with a message. */
static int executable(ibs_state *t, const char *rest, char *msg, size_t cap)
{
    char plat[64] = "", lib[512] = "", ami[512] = "", extra[8] = "";
    int k = sscanf(rest, "%63s %511s %511s %7s", plat, lib, ami, extra);
    if (k != 3) {
        lsi_say(msg, cap, "%s:%d: Executable needs <Platform_Compiler_Bits> <File_Name> <Parameter_File>",
            t->file, t->line);
        return -1;
    }
    const char *us = strchr(plat, '_'), *last = strrchr(plat, '_');
    if (!us || us == last) {
        lsi_say(msg, cap, "%s:%d: platform '%s' is not <OS>_<compiler>_<bits>", t->file, t->line, plat);
        return -1;
    }
    int bits = atoi(last + 1);
    int mine = (size_t)(us - plat) == strlen(HOST_OS) && !strncasecmp(plat, HOST_OS, strlen(HOST_OS)) &&
               bits == (int)(8 * sizeof(void *));
    if (strcmp(t->model, t->want[0] ? t->want : t->model) || t->have)
        return 0;
    if (!mine) {
        size_t l = strlen(t->other_platforms);
        snprintf(t->other_platforms + l, sizeof t->other_platforms - l, "%s%s", l ? ", " : "", plat);
        return 0;
    }
    t->have = 1;
    t->found_line = t->line;
    snprintf(t->out->model, sizeof t->out->model, "%s", t->model);
    snprintf(t->out->platform, sizeof t->out->platform, "%s", plat);
    join(t->out->library, sizeof t->out->library, t->dir, lib);
    join(t->out->ami, sizeof t->out->ami, t->dir, ami);
    return 0;
}

static int line_kw(ibs_state *t, const char *s, char *msg, size_t cap)
{
    char kw[64], name[LS_AMI_NAME_LEN] = "";
    const char *rest = keyword(s, kw, sizeof kw);
    if (!strcmp(kw, "model")) {
        if (sscanf(rest, "%127s", name) != 1) {
            lsi_say(msg, cap, "%s:%d: [Model] without a name", t->file, t->line);
            return -1;
        }
        snprintf(t->model, sizeof t->model, "%s", name);
        t->in_algo = 0;
    } else if (!strcmp(kw, "algorithmic model")) {
        if (!t->model[0]) {
            lsi_say(msg, cap, "%s:%d: [Algorithmic Model] outside a [Model]", t->file, t->line);
            return -1;
        }
        t->in_algo = 1;
        t->n_algo++;
        size_t l = strlen(t->algo_names);
        snprintf(t->algo_names + l, sizeof t->algo_names - l, "%s%s", l ? ", " : "", t->model);
        if (!strcmp(t->model, t->want[0] ? t->want : t->model))
            t->wanted_has_algo = 1;
    } else if (!strcmp(kw, "end algorithmic model")) {
        t->in_algo = 0;
    } else {
        t->in_algo = 0;
    }
    return 0;
}

static int scan(ibs_state *t, const char *text, size_t len, char *msg, size_t cap)
{
    char comment = '|', buf[1024];
    size_t pos = 0;
    for (t->line = 1; pos < len; t->line++) {
        size_t e = pos;
        while (e < len && text[e] != '\n')
            e++;
        size_t n = e - pos < sizeof buf - 1 ? e - pos : sizeof buf - 1;
        memcpy(buf, text + pos, n);
        buf[n] = '\0';
        pos = e + 1;
        for (size_t i = 0; i < n; i++)
            if (buf[i] == comment || buf[i] == '\0' || buf[i] == '\r') {
                buf[i] = '\0';
                break;
            }
        const char *s = buf;
        while (isspace((unsigned char)*s))
            s++;
        if (*s == '[') {
            char kw[64];
            const char *rest = keyword(s, kw, sizeof kw);
            if (!strcmp(kw, "comment char")) {
                while (isspace((unsigned char)*rest))
                    rest++;
                if (*rest && !isspace((unsigned char)*rest))
                    comment = *rest;
                continue;
            }
            if (line_kw(t, s, msg, cap))
                return -1;
        } else if (t->in_algo && !strncasecmp(s, "Executable", 10) &&
                   (isspace((unsigned char)s[10]) || !strncasecmp(s + 10, "_Tx", 3) || !strncasecmp(s + 10, "_Rx", 3))) {
            const char *r = s + 10;
            while (*r && !isspace((unsigned char)*r))
                r++;
            if (executable(t, r, msg, cap))
                return -1;
        }
    }
    return 0;
}

ls_status ls_ami_ibs_parse(const char *text, size_t len, const char *file, const char *model, ls_ami_ibs_entry *out,
                           char *msg, size_t cap)
{
    if (!out)
        return LS_EINVAL;
    memset(out, 0, sizeof *out);
    ibs_state t = { .file = file ? file : "(ibs)", .want = model ? model : "", .out = out };
    const char *slash = file ? strrchr(file, '/') : NULL;
    if (slash)
        snprintf(t.dir, sizeof t.dir, "%.*s", (int)(slash - file), file);
    if (!t.want[0]) { /* no model named: the only one with an [Algorithmic Model] */
        ibs_state probe = t;
        ls_ami_ibs_entry tmp;
        probe.out = &tmp;
        probe.want = "\x01"; /* matches no model: only counts */
        if (scan(&probe, text ? text : "", text ? len : 0, msg, cap))
            return LS_EINVAL;
        if (probe.n_algo != 1) {
            lsi_say(msg, cap, probe.n_algo ? "%s: %u models have an [Algorithmic Model] (%s): name one as %s:MODEL"
                                           : "%s: no [Model] has an [Algorithmic Model]%.0u%s%.0s", t.file, probe.n_algo,
                probe.n_algo ? probe.algo_names : "", t.file);
            return LS_EINVAL;
        }
        const char *c = strchr(probe.algo_names, ',');
        snprintf(t.model, sizeof t.model, "%.*s", c ? (int)(c - probe.algo_names) : (int)strlen(probe.algo_names),
            probe.algo_names);
        char want[LS_AMI_NAME_LEN];
        snprintf(want, sizeof want, "%s", t.model);
        t.model[0] = '\0';
        t.want = want;
        return ls_ami_ibs_parse(text, len, file, want, out, msg, cap);
    }
    if (scan(&t, text ? text : "", text ? len : 0, msg, cap))
        return LS_EINVAL;
    if (!t.wanted_has_algo) {
        lsi_say(msg, cap, "%s: no [Model] %s with an [Algorithmic Model] (models with one: %s)", t.file, t.want,
            t.n_algo ? t.algo_names : "none");
        return LS_EINVAL;
    }
    if (!t.have) {
        lsi_say(msg, cap, "%s: [Algorithmic Model] of %s has no Executable for %s %d-bit (it has: %s)", t.file, t.want,
            HOST_OS, (int)(8 * sizeof(void *)), t.other_platforms[0] ? t.other_platforms : "none");
        return LS_EINVAL;
    }
    return LS_OK;
}

ls_status ls_ami_ibs_find(const char *ibs_path, const char *model, ls_ami_ibs_entry *out, char *msg, size_t cap)
{
    size_t len;
    char *t = ibs_path ? lsi_ami_read_file(ibs_path, &len) : NULL;
    if (!t) {
        lsi_say(msg, cap, "%s: cannot read (%s)", ibs_path ? ibs_path : "(null)", strerror(errno));
        return LS_EIO;
    }
    ls_status st = ls_ami_ibs_parse(t, len, ibs_path, model, out, msg, cap);
    free(t);
    return st;
}

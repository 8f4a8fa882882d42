/* Shared helpers of the libFuzzer targets: a scratch folder, files in it, the error contract. */
#include "fuzz_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[512];
static char names[16][64];
static size_t n_names;

static void cleanup(void)
{
    char path[640];
    for (size_t i = 0; i < n_names; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    if (dir[0])
        rmdir(dir);
}

const char *fz_dir(void)
{
    if (!dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/lanesim-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
            perror("lanesim fuzz: mkdtemp");
            abort();
        }
        atexit(cleanup);
    }
    return dir;
}

const char *fz_write(const char *name, const uint8_t *d, size_t n)
{
    static char path[640];
    snprintf(path, sizeof path, "%s/%s", fz_dir(), name);
    size_t i = 0;
    while (i < n_names && strcmp(names[i], name))
        i++;
    if (i == n_names && n_names < sizeof names / sizeof names[0])
        snprintf(names[n_names++], sizeof names[0], "%s", name);
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(d, 1, n, f) != n) || fclose(f)) {
        perror("lanesim fuzz: cannot write the input file");
        abort();
    }
    return path;
}

void fz_fail(const char *what)
{
    fprintf(stderr, "lanesim fuzz: CONTRACT: %s\n", what);
    abort();
}

void fz_check_failure(const char *what, ls_status err, const char *msg, size_t cap)
{
    char line[512];
    if (err == LS_OK) {
        snprintf(line, sizeof line, "%s failed with status LS_OK", what);
        fz_fail(line);
    }
    if (err == LS_EINTERNAL) {
        snprintf(line, sizeof line, "%s: LS_EINTERNAL (a bug by its definition): '%.300s'", what, msg);
        fz_fail(line);
    }
    if (!memchr(msg, '\0', cap) || !msg[0]) {
        snprintf(line, sizeof line, "%s failed (status %d) with an empty or unterminated message", what, (int)err);
        fz_fail(line);
    }
    if (strchr(msg, '\n')) {
        snprintf(line, sizeof line, "%s: a message of more than one line: '%.300s'", what, msg);
        fz_fail(line);
    }
}

char *fz_lines(const uint8_t *d, size_t n, char **lines, size_t cap, size_t *count)
{
    char *buf = malloc(n + 1);
    *count = 0;
    if (!buf)
        return NULL;
    memcpy(buf, d, n);
    buf[n] = '\0';
    char *p = buf, *end = buf + n;
    while (p < end && *count < cap) {
        char *q = p;
        while (q < end && *q != '\n' && *q != '\0')
            q++;
        *q = '\0';
        lines[(*count)++] = p;
        p = q + 1;
    }
    return buf;
}

/* ---- links ---- */
#include <math.h>

#include "lanesim/config.h"
#include "lanesim/link.h"

/* keys capped before a link is built: key, largest value kept (numbers) or the value forced (text).
   Large values of these only cost time: link.sps up to 128 (8 is the least a link with jitter takes), ffe.taps up to 64, and ctle.auto, the
   COM CTLE search, which builds the link 16 times (1 to 3 s a link under the sanitizers). */
static const struct {
    const char *key;
    double max;
    const char *force;
} caps[] = {
    { "link.sps", 8, NULL },
    { "ffe.taps", 24, NULL },
    { "ffe.pre", 8, NULL },
    { "ctle.auto", 0, "false" },
};

static void cap_keys(ls_config *c)
{
    char msg[256], v[32];
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        const ls_param_def *def = ls_config_find(c, caps[i].key);
        if (!def)
            continue;
        if (caps[i].force) {
            if (ls_config_set(c, caps[i].key, caps[i].force, msg, sizeof msg) != LS_OK)
                fz_fail("a capped key refused its forced value");
            continue;
        }
        double x = def->type == LS_P_INT ? (double)ls_config_int(c, caps[i].key) : ls_config_real(c, caps[i].key);
        if (x > caps[i].max) {
            snprintf(v, sizeof v, "%.17g", caps[i].max);
            if (ls_config_set(c, caps[i].key, v, msg, sizeof msg) != LS_OK)
                fz_fail("a capped key refused its cap");
        }
    }
}

void fz_link(const ls_config *c0)
{
    ls_config *c = ls_config_copy(c0);
    if (!c)
        return;
    cap_keys(c);
    char msg[512];
    memset(msg, 'x', sizeof msg);
    ls_status err = LS_OK;
    ls_link *l = ls_link_create(c, 64, msg, sizeof msg, &err);
    if (getenv("FZ_VERBOSE"))
        fprintf(stderr, "fz_link: %s: %s\n", ls_config_preset(c), l ? "built" : msg);
    if (!l) {
        if (err != LS_ENOMEM)
            fz_check_failure("ls_link_create", err, msg, sizeof msg);
        ls_config_destroy(c);
        return;
    }
    const ls_link_info *in = ls_link_get_info(l);
    if (!in)
        fz_fail("ls_link_get_info: NULL");
    if (ls_link_run_frame(l, 1, 0, 0, 0, 64, NULL, NULL) != LS_OK)
        fz_fail("ls_link_run_frame fails on a link that ls_link_create built");
    ls_link_destroy(l);
    ls_config_destroy(c);
}

/* CLI helpers: error lines, atomic output files, number lists, configuration loading, energy. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "plotdata.h"
#include "lanesim/ami.h"

int cli_quiet;

void cli_error(const char *fmt, ...)
{
    if (cli_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("lanesim: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/*
 * The registry of temporaries: each non-special output owns a slot from open until it is published,
 * discarded or aborted. The signal handler reads it, so a slot's strings are written before its state
 * is set, and the handler only unlinks, rmdirs and _exits (async-signal-safe).
 */
enum { SLOT_FREE, SLOT_WRITING, SLOT_PENDING };
enum { MAX_SLOTS = 256 };
typedef struct {
    char tmp[4096], path[4096];
    volatile sig_atomic_t state;
} out_slot;
static out_slot slots[MAX_SLOTS];
static char made_dir[4096];
static volatile sig_atomic_t have_made_dir;

static int slot_take(const char *tmp, const char *path)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        if (slots[i].state == SLOT_FREE) {
            snprintf(slots[i].tmp, sizeof slots[i].tmp, "%s", tmp);
            snprintf(slots[i].path, sizeof slots[i].path, "%s", path);
            slots[i].state = SLOT_WRITING;
            return i;
        }
    return -1;
}

static void slot_drop(int i)
{
    if (i >= 0 && i < MAX_SLOTS) {
        slots[i].state = SLOT_FREE;
        unlink(slots[i].tmp);
    }
}

static void on_signal(int sig)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        if (slots[i].state != SLOT_FREE)
            unlink(slots[i].tmp);
    if (have_made_dir)
        rmdir(made_dir);
    _exit(128 + sig);
}

void cli_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

void cli_made_dir(const char *path)
{
    snprintf(made_dir, sizeof made_dir, "%s", path);
    have_made_dir = 1;
}

int cli_out_publish(void)
{
    int bad = 0;
    for (int i = 0; i < MAX_SLOTS; i++) {
        if (slots[i].state != SLOT_PENDING)
            continue;
        if (!bad && rename(slots[i].tmp, slots[i].path) != 0) {
            cli_error("%s: write failed: %s", slots[i].path, strerror(errno));
            bad = 1;
        }
        slot_drop(i); /* after a rename the temporary is gone: unlink finds nothing */
    }
    return bad ? -1 : 0;
}

void cli_out_discard(void)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        if (slots[i].state != SLOT_FREE)
            slot_drop(i);
    if (have_made_dir)
        rmdir(made_dir); /* only when still empty */
}

int cli_out_open(cli_outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->slot = -1;
    if (!path || !*path || strlen(path) + 16 >= sizeof o->tmp) {
        cli_error("invalid output file name");
        return -1;
    }
    snprintf(o->path, sizeof o->path, "%s", path);
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        /* a device, FIFO or other special file (/dev/null, /dev/stdout, a pipe): written in place, never
           replaced by a rename */
        if (S_ISDIR(sb.st_mode) || !(o->f = fopen(path, "w"))) {
            cli_error("%s: cannot write: %s", path, S_ISDIR(sb.st_mode) ? "is a directory" : strerror(errno));
            return -1;
        }
        o->direct = 1;
        return 0;
    }
    snprintf(o->tmp, sizeof o->tmp, "%s.tmpXXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        cli_error("%s: cannot write: %s", path, strerror(errno));
        o->tmp[0] = '\0';
        return -1;
    }
    if ((o->slot = slot_take(o->tmp, path)) < 0) {
        cli_error("%s: too many output files (at most %d)", path, MAX_SLOTS);
        close(fd);
        unlink(o->tmp);
        o->tmp[0] = '\0';
        return -1;
    }
    mode_t um = umask(0); /* mkstemp makes 0600: give the file the mode a plain fopen would */
    umask(um);
    if (fchmod(fd, 0666 & ~um) != 0 || !(o->f = fdopen(fd, "w"))) {
        cli_error("%s: cannot write: %s", path, strerror(errno));
        close(fd);
        slot_drop(o->slot);
        o->slot = -1;
        o->tmp[0] = '\0';
        return -1;
    }
    return 0;
}

int cli_out_commit(cli_outfile *o)
{
    if (!o->f)
        return -1;
    int bad = ferror(o->f) | fclose(o->f);
    o->f = NULL;
    if (o->direct) {
        if (bad)
            cli_error("%s: write failed: %s", o->path, strerror(errno));
        return bad ? -1 : 0;
    }
    if (bad) {
        cli_error("%s: write failed: %s", o->path, strerror(errno));
        slot_drop(o->slot);
        o->slot = -1;
        o->tmp[0] = '\0';
        return -1;
    }
    slots[o->slot].state = SLOT_PENDING; /* complete: renamed with the others by cli_out_publish */
    o->slot = -1;
    o->tmp[0] = '\0';
    return 0;
}

int cli_exit_status(ls_status st)
{
    return st == LS_EINVAL || st == LS_EIO ? EXIT_USAGE : EXIT_RUNTIME;
}

int cli_fail(const ls_config *c, ls_status st, const char *msg)
{
    char ami[1024];
    const char *text = msg && msg[0] ? msg : ls_strerror(st);
    if (ls_ami_last_error(ami, sizeof ami, 1)) /* an AMI model failed while running: its own message */
        text = ami;
    const char *where = c ? ls_config_blame(c, text) : NULL;
    if (where && strncmp(text, where, strlen(where)))
        cli_error("%s: %s", where, text);
    else
        cli_error("%s", text);
    return cli_exit_status(st);
}

int cli_out_json(cli_outfile *o, cJSON *j)
{
    char *text = j ? cJSON_Print(j) : NULL;
    cJSON_Delete(j);
    if (!text) {
        cli_error("%s: out of memory", o->path);
        return -1;
    }
    fputs(text, o->f);
    fputc('\n', o->f);
    free(text);
    return cli_out_commit(o);
}

void cli_out_abort(cli_outfile *o)
{
    if (!o)
        return;
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    /* a zeroed, never opened outfile has no temporary (tmp[0] == 0) and its slot field means nothing */
    if (o->tmp[0] && o->slot >= 0 && o->slot < MAX_SLOTS && !strcmp(slots[o->slot].tmp, o->tmp))
        slot_drop(o->slot);
    else if (o->tmp[0])
        unlink(o->tmp);
    o->slot = -1;
    o->tmp[0] = '\0';
}

const char *cli_eye_name(unsigned levels, unsigned i, char *buf, size_t cap)
{
    static const char *const pam4[] = { "lower", "middle", "upper" };
    if (levels == 2)
        return "eye";
    if (levels == 4 && i < 3)
        return pam4[i];
    snprintf(buf, cap, "eye%u", i);
    return buf;
}

cJSON *cli_config_item(const ls_config *c, const ls_param_def *d)
{
    const char *v = ls_config_str(c, d->key);
    if (d->type == LS_P_REAL || d->type == LS_P_INT) {
        double x = ls_config_real(c, d->key);
        return isfinite(x) ? cJSON_CreateNumber(x) : cJSON_CreateString(v);
    }
    if (d->type == LS_P_BOOL)
        return cJSON_CreateBool(ls_config_bool(c, d->key));
    if (d->type == LS_P_LIST) {
        double vals[16];
        size_t n = ls_config_list(c, d->key, vals, 16);
        return cJSON_CreateDoubleArray(vals, (int)n);
    }
    return cJSON_CreateString(v);
}

int cli_add_assign(char **assign, int *n, int cap, char *arg)
{
    if (*n >= cap) {
        cli_error("too many -s options");
        return -1;
    }
    assign[(*n)++] = arg;
    return 0;
}

int cli_parse_list(const char *s, double *v, int cap, unsigned flags)
{
    const int skip = (flags & CLI_LIST_SKIP_EMPTY) != 0;
    int n = 0;
    for (const char *p = s;;) {
        while (skip && *p == ',')
            p++;
        if (!*p)
            return n;
        char *e;
        if (n == cap)
            return -1;
        v[n] = strtod(p, &e);
        if (e == p || ((flags & CLI_LIST_FINITE) && !isfinite(v[n])) ||
            ((flags & CLI_LIST_POSITIVE) && !(v[n] > 0)))
            return -1;
        n++;
        if (*e == ',' && (e[1] || skip))
            p = e + 1;
        else if (*e)
            return -1;
        else
            p = e;
    }
}

ls_config *cli_load_config(const char *what, char **assign, int n_assign)
{
    char msg[1024] = "";
    ls_status st;
    ls_config *c = ls_config_load(what, msg, sizeof msg, &st);
    if (!c) {
        cli_error("%s", msg);
        return NULL;
    }
    for (int i = 0; i < n_assign; i++) {
        if (ls_config_set_assignment(c, assign[i], msg, sizeof msg) != LS_OK) {
            cli_error("-s %s: %s", assign[i], msg);
            ls_config_destroy(c);
            return NULL;
        }
    }
    return c;
}

int cli_energy(const ls_config *c, ls_energy *e)
{
    char msg[512] = "";
    if (!ls_config_find(c, "power.tx_pj_per_symbol")) {
        memset(e, 0, sizeof *e);
        return 1;
    }
    ls_status st = ls_energy_compute(c, e, msg, sizeof msg);
    if (st != LS_OK) {
        cli_error("energy: %s", msg[0] ? msg : ls_strerror(st));
        return -1;
    }
    return 0;
}

void cli_print_energy(const ls_energy *e)
{
    printf("\n  energy per bit at %s Gb/s: %.3g pJ/bit end to end (host SerDes TX + RX and module), "
           "%.3g pJ/bit module / optical engine alone\n",
           lsp_num(e->rate_gbps).s, e->pj_per_bit, e->module_pj_per_bit);
    printf("  %-22s %10s %10s  %-6s  %s\n", "part", "mW", "pJ/bit", "scope", "group (as in the power plot)");
    for (size_t i = 0; i < e->n_parts; i++)
        printf("  %-22s %10.1f %10.3f  %-6s  %s\n", e->part[i].name, e->part[i].mw, e->part[i].mw / e->rate_gbps,
               e->part[i].module ? "module" : "host", lsp_power_group_label(lsp_power_group(e->part[i].name)));
    printf("  %-22s %10.1f %10.3f\n", "total", e->total_mw, e->pj_per_bit);
}

cJSON *cli_energy_json(const ls_energy *e)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "pj_per_bit", e->pj_per_bit);
    cJSON_AddNumberToObject(o, "module_pj_per_bit", e->module_pj_per_bit);
    cJSON_AddNumberToObject(o, "rate_gbps", e->rate_gbps);
    cJSON_AddNumberToObject(o, "host_mw", e->host_mw);
    cJSON_AddNumberToObject(o, "module_mw", e->module_mw);
    cJSON_AddNumberToObject(o, "total_mw", e->total_mw);
    cJSON *parts = cJSON_AddObjectToObject(o, "parts");
    cJSON *mod = cJSON_AddArrayToObject(o, "module_parts");
    for (size_t i = 0; i < e->n_parts; i++) {
        cJSON_AddNumberToObject(parts, e->part[i].name, e->part[i].mw);
        if (e->part[i].module)
            cJSON_AddItemToArray(mod, cJSON_CreateString(e->part[i].name));
    }
    return o;
}

int cli_inner_fec_rate_only(const ls_config *c)
{
    return c && ls_config_find(c, "link.inner_fec") && ls_config_bool(c, "link.inner_fec");
}

#define INNER_FEC_NOTE                                                                                              \
    "link.inner_fec = true: the optical lane runs at 113.4375/106.25 the rate with the Hamming(128,120) inner "     \
    "code, decoded in the Monte Carlo (BER, SER and the KP4 lines are before it; docs/fec.md)"

void cli_print_inner_fec(const ls_config *c, const char *indent)
{
    if (cli_inner_fec_rate_only(c))
        printf("%snote: %s\n", indent, INNER_FEC_NOTE);
}

void cli_inner_fec_json(cJSON *j, const ls_config *c)
{
    if (!cli_inner_fec_rate_only(c))
        return;
    cJSON *o = cJSON_AddObjectToObject(j, "inner_fec");
    cJSON_AddBoolToObject(o, "enabled", 1);
    cJSON_AddBoolToObject(o, "decoded", 1);
    cJSON_AddStringToObject(o, "decoder", ls_config_str(c, "link.inner_fec_decoder"));
    cJSON_AddStringToObject(o, "note", INNER_FEC_NOTE);
}

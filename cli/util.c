/* CLI helpers: error lines, atomic output files, configuration loading. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("lanesim: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_out_open(cli_outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (!path || !*path || strlen(path) + 16 >= sizeof o->tmp) {
        cli_error("invalid output file name");
        return -1;
    }
    snprintf(o->path, sizeof o->path, "%s", path);
    snprintf(o->tmp, sizeof o->tmp, "%s.tmpXXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        cli_error("%s: cannot write: %s", path, strerror(errno));
        o->tmp[0] = '\0';
        return -1;
    }
    mode_t um = umask(0); /* mkstemp makes 0600: give the file the mode a plain fopen would */
    umask(um);
    if (fchmod(fd, 0666 & ~um) != 0 || !(o->f = fdopen(fd, "w"))) {
        cli_error("%s: cannot write: %s", path, strerror(errno));
        close(fd);
        unlink(o->tmp);
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
    if (bad || rename(o->tmp, o->path) != 0) {
        cli_error("%s: write failed: %s", o->path, strerror(errno));
        unlink(o->tmp);
        o->tmp[0] = '\0';
        return -1;
    }
    o->tmp[0] = '\0';
    return 0;
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
    if (o->tmp[0])
        unlink(o->tmp);
    o->tmp[0] = '\0';
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

/* The lanesim command: shared helpers of the subcommands. Only cli/ parses argv, prints and exits. */
#ifndef LS_CLI_H
#define LS_CLI_H

#include <stdio.h>

#include "lanesim/config.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/** Prints "lanesim: <message>" on stderr, unless cli_quiet is set (MPI ranks other than 0). */
void cli_error(const char *fmt, ...);
extern int cli_quiet;

/**
 * An output file written atomically: opened as a temporary file in the destination folder, renamed
 * over the destination on commit, removed on abort. Opening early validates the path before a
 * long run starts.
 */
typedef struct {
    char path[4096], tmp[4096];
    FILE *f;
} cli_outfile;
int cli_out_open(cli_outfile *o, const char *path);   /* 0 on success, else prints the reason */
int cli_out_commit(cli_outfile *o);                   /* 0 on success */
struct cJSON;
/** Prints j (then frees it) into the open file o and commits it; 0 on success, else prints the reason. */
int cli_out_json(cli_outfile *o, struct cJSON *j);
void cli_out_abort(cli_outfile *o);                   /* NULL/closed-safe */

/** Name of sub-eye i (0 = lowest) of a PAM-M eye: "eye" (PAM2), lower/middle/upper (PAM4), else eyeI. */
const char *cli_eye_name(unsigned levels, unsigned i, char *buf, size_t cap);
/** The value of key d in c as JSON: a number (a string for inf/nan), a bool, an array of numbers or a string. */
struct cJSON *cli_config_item(const ls_config *c, const ls_param_def *d);

/** Loads PRESET|FILE.ini and applies -s assignments; prints the error and returns NULL on failure. */
ls_config *cli_load_config(const char *what, char **assign, int n_assign);

int cmd_run(int argc, char **argv);
int cmd_presets(int argc, char **argv);
int cmd_reach(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_channel(int argc, char **argv);
int cmd_merge(int argc, char **argv);

#endif

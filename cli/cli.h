/* The lanesim command: shared helpers of the subcommands. Only cli/ parses argv, prints and exits. */
#ifndef LS_CLI_H
#define LS_CLI_H

#include <stdio.h>

#include "lanesim/config.h"
#include "lanesim/energy.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/** Prints "lanesim: <message>" on stderr. */
void cli_error(const char *fmt, ...);

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

/**
 * Energy of the link c (lanesim/energy.h). Presets without a power model: returns 1 and prints
 * nothing. Other failures print the reason and return -1. 0 on success.
 */
int cli_energy(const ls_config *c, ls_energy *e);
/** The energy lines of a result table on stdout: both scopes and every part. */
void cli_print_energy(const ls_energy *e);
/** {"pj_per_bit", "module_pj_per_bit", "rate_gbps", "host_mw", "module_mw", "total_mw", "parts": {name: mW},
    "module_parts": [names]} */
struct cJSON *cli_energy_json(const ls_energy *e);

/** Loads PRESET|FILE.ini and applies -s assignments; prints the error and returns NULL on failure. */
ls_config *cli_load_config(const char *what, char **assign, int n_assign);

int cmd_run(int argc, char **argv);
int cmd_presets(int argc, char **argv);
int cmd_reach(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_channel(int argc, char **argv);

#endif

/* The lanesim command: shared helpers of the subcommands. Only cli/ parses argv, prints and exits. */
#ifndef LS_CLI_H
#define LS_CLI_H

#include <stdio.h>

#include "lanesim/config.h"

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

/** Loads PRESET|FILE.ini and applies -s assignments; prints the error and returns NULL on failure. */
ls_config *cli_load_config(const char *what, char **assign, int n_assign);

/* cli/plot.c: plots through gnuplot (docs/plots.md). Each returns an exit status: 0; EXIT_USAGE for a bad
   kind, output name (FILE.png or FILE.svg) or data file ("FILE:LINE: reason"); EXIT_RUNTIME when gnuplot is
   missing (one line naming the Debian package gnuplot-nox) or fails. The output is written atomically. */
/** 0 when out ends in .png or .svg, else prints why and returns EXIT_USAGE (check before a long run). */
int cli_plot_check_out(const char *out);
/** Draws data with the template of kind (eye, bathtub, pulse, response, ber-length, reach-rate, energy-reach,
    power) into out. */
int cli_plot(const char *kind, const char *data, const char *out);
/** As cli_plot, with a target BER line (NAN: none) and a title (NULL: the kind's own). */
int cli_plot_ex(const char *kind, const char *data, const char *out, double target, const char *title);
/** Draws y against x (n points, columns named xname and yname as in a sweep CSV) as a ber-length plot. */
int cli_plot_xy(const char *xname, const char *yname, const double *x, const double *y, size_t n, double target,
                const char *title, const char *out);

int cmd_run(int argc, char **argv);
int cmd_presets(int argc, char **argv);
int cmd_reach(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_channel(int argc, char **argv);
int cmd_plot(int argc, char **argv);

#endif

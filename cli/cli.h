/* The lanesim command: shared helpers of the subcommands. Only cli/ parses argv, prints and exits. */
#ifndef LS_CLI_H
#define LS_CLI_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "lanesim/config.h"
#include "lanesim/energy.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };
/** What a stage of a command (parse, run, report) returns to go on to the next; else it returns the exit status. */
enum { CLI_CONTINUE = -1 };

/** Prints "lanesim: <message>" on stderr, unless cli_quiet is set (MPI ranks other than 0). */
void cli_error(const char *fmt, ...);
extern int cli_quiet;

/**
 * An output file written atomically, and the outputs of a command as one set: a file is opened as a
 * temporary in the destination folder; commit closes it and, once it is complete, marks it pending;
 * cli_out_publish renames every pending file over its destination (main does it when the command
 * succeeds, cli_plot before gnuplot reads a file), cli_out_discard removes them (main does it when
 * the command fails), so a command leaves all of its outputs or none. Abort removes one. Opening early
 * validates the path before a long run starts. A path that names a special file (/dev/null,
 * /dev/stdout, a FIFO) is written in place. SIGINT and SIGTERM remove every temporary (and a folder
 * the command made that is still empty) and end the process with 128 + the signal (cli_signals).
 */
typedef struct {
    char path[4096], tmp[4096];
    FILE *f;
    int direct; /* a special file (device, FIFO): written in place, no temporary, no rename */
    int slot;   /* its entry in the registry of temporaries, or -1 */
} cli_outfile;
int cli_out_open(cli_outfile *o, const char *path);   /* 0 on success, else prints the reason */
int cli_out_commit(cli_outfile *o);                   /* 0 on success: complete, pending publication */
int cli_out_publish(void);                            /* 0 when every pending file reached its name */
void cli_out_discard(void);                           /* removes every temporary and pending file */
void cli_signals(void);                               /* installs the SIGINT/SIGTERM clean-up */
void cli_made_dir(const char *path);                  /* a folder the command made: removed if empty on failure */

/** The exit status of a library failure: bad input (LS_EINVAL, or LS_EIO: an input file that cannot be
    read, whether named on the command line or by a key) is EXIT_USAGE, anything else EXIT_RUNTIME. */
int cli_exit_status(ls_status st);
/** Prints a library failure (msg, else the status's text), prefixed with the INI file and line of the
    first key it names when the configuration c has one (ls_config_blame), and returns its exit status. */
int cli_fail(const ls_config *c, ls_status st, const char *msg);
struct cJSON;
/** Prints j (then frees it) into the open file o and commits it; 0 on success, else prints the reason. */
int cli_out_json(cli_outfile *o, struct cJSON *j);
void cli_out_abort(cli_outfile *o);                   /* NULL/closed-safe */

/** Name of sub-eye i (0 = lowest) of a PAM-M eye: "eye" (PAM2), lower/middle/upper (PAM4), else eyeI. */
const char *cli_eye_name(unsigned levels, unsigned i, char *buf, size_t cap);
/** The value of key d in c as JSON: a number (a string for inf/nan), a bool, an array of numbers or a string. */
struct cJSON *cli_config_item(const ls_config *c, const ls_param_def *d);
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
/** 1 when c asks for link.inner_fec: the signalling rate is raised for the inner code, which is not
    decoded (the BER is the raw BER at that rate); 0 otherwise. */
int cli_inner_fec_rate_only(const ls_config *c);
/** The one-line notice of link.inner_fec (nothing without it), after indent. */
void cli_print_inner_fec(const ls_config *c, const char *indent);
/** "inner_fec": {"enabled", "decoded": false, "note"} into j when c has link.inner_fec = true. */
void cli_inner_fec_json(struct cJSON *j, const ls_config *c);

/**
 * Comma-separated numbers (strtod syntax) into v[0..cap): their count, or -1 when a field is not a
 * number, fails a check of flags (CLI_LIST_*) or is one too many. An empty field (",,", a leading
 * or trailing comma) is -1 unless CLI_LIST_SKIP_EMPTY skips it; "" alone gives 0.
 */
int cli_parse_list(const char *s, double *v, int cap, unsigned flags);

/** One -s KEY=VALUE (or an option that stands for one) appended to assign[0..cap): 0, or -1 after
 *  printing "too many -s options". */
int cli_add_assign(char **assign, int *n, int cap, char *arg);
enum {
    CLI_LIST_SKIP_EMPTY = 1u, /* empty fields are skipped */
    CLI_LIST_FINITE = 2u,     /* every number is finite */
    CLI_LIST_POSITIVE = 4u,   /* every number is > 0 (inf included) */
};

/** Loads PRESET|FILE.ini and applies -s assignments; prints the error and returns NULL on failure. */
ls_config *cli_load_config(const char *what, char **assign, int n_assign);

/** Job i of a parallel loop; done(ctx, finished, n) reports completions (may be NULL). */
typedef void (*cli_job_fn)(void *ctx, size_t i);
typedef void (*cli_done_fn)(void *ctx, size_t finished, size_t n);
/** Runs fn(ctx, 0..n-1) on up to `threads` threads (the caller's included); returns when all are done. */
void cli_parallel(size_t n, long threads, cli_job_fn fn, cli_done_fn done, void *ctx);

/** A progress bar on stderr; drawn only when `on` (callers pass isatty(STDERR_FILENO)). */
typedef struct {
    const char *what, *unit;
    struct timespec t0;
    int on;
} cli_bar;
void cli_bar_start(cli_bar *b, const char *what, const char *unit, int on);
void cli_bar_draw(const cli_bar *b, size_t done, size_t n);

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

/* cli/cmd_com.c: IEEE COM configurations for the commands that use COM (com, reach, study, sweep) */
struct ls_com_config;
/** Loads a COM configuration (shipped NAME, FILE.csv or FILE.xlsx) and applies KEYWORD=VALUE
    assignments; prints the reason and sets *rc (exit status) on failure. */
struct ls_com_config *cli_com_config(const char *name, const char *const *set, size_t n_set, int *rc);
/** The shipped COM configurations used by default: 802.3ck KR at 53.125 GBd, the 802.3dj KR set (PyChOpMarg's,
 * with its Rx FFE) at 106.25 GBd. */
#define CLI_COM_CONFIG_CK "802.3ck-kr"
#define CLI_COM_CONFIG_DJ "802.3dj-kr-pychopmarg"
/** The shipped configuration matching c's symbol rate: <= 75 GBd CLI_COM_CONFIG_CK, above CLI_COM_CONFIG_DJ. */
const char *cli_com_default_config(const ls_config *c);

int cmd_run(int argc, char **argv);
int cmd_presets(int argc, char **argv);
int cmd_reach(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_channel(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_study(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_tdecq(int argc, char **argv);
int cmd_com(int argc, char **argv);
int cmd_cluster(int argc, char **argv);
int cmd_wdm(int argc, char **argv);

#endif

/* Dumps of lanesim run for plotting (cli/dump.c; docs/cli.md, docs/plots.md). */
#ifndef LS_CLI_DUMP_H
#define LS_CLI_DUMP_H

#include <stdio.h>

#include "lanesim/link.h"
#include "lanesim/run.h"

/** Writes the Monte Carlo eye histogram over 2 UI: '#' header (preset, seed, rates, each sub-eye's
 * threshold, center, height and width), then rows "t_ui v_volts hits", a blank line per column. */
void cli_dump_eye(FILE *f, const ls_config *c, const ls_run_result *r);
/** Writes the statistical eye as a BER map over one UI (columns t_ui v_volts ber, a block per phase),
    with the same '#' header and eye lines as cli_dump_eye. 0, or EXIT_RUNTIME after printing why. */
int cli_dump_stateye(FILE *f, const ls_config *c, const ls_link *l, const ls_stateye_result *s, double target);
/** Writes the pulse response of one outer-level symbol: rows "t_ui volts", t = 0 at the sampling instant. */
void cli_dump_pulse(FILE *f, const ls_config *c, const ls_run_result *r);
/** Writes the statistical bathtub: '#' header (preset, rates, target_ber), then rows "phase_ui
 * ber". */
void cli_dump_bathtub(FILE *f, const ls_config *c, const ls_link_info *li,
                      const ls_stateye_result *s, double target);
/** Writes the link's frequency responses, 0 to the baud rate: rows "f_ghz channel_db ctle_db
   channel_ctle_db equalized_db s21_db" ('?' = not available). Returns EXIT_OK, or EXIT_RUNTIME
   after printing why. */
int cli_dump_response(FILE *f, const ls_config *c, const ls_link *l);

#endif

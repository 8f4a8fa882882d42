/* Dumps of lanesim run for plotting (cli/dump.c; docs/cli.md, docs/plots.md). */
#ifndef LS_CLI_DUMP_H
#define LS_CLI_DUMP_H

#include <stdio.h>

#include "lanesim/link.h"

/** Writes the statistical bathtub: '#' header (preset, rates, target_ber), then rows "phase_ui
 * ber". */
void cli_dump_bathtub(FILE *f, const ls_config *c, const ls_link_info *li,
                      const ls_stateye_result *s, double target);
/** Writes the link's frequency responses, 0 to the baud rate: rows "f_ghz channel_db ctle_db
   channel_ctle_db equalized_db s21_db" ('?' = not available). Returns EXIT_OK, or EXIT_RUNTIME
   after printing why. */
int cli_dump_response(FILE *f, const ls_config *c, const ls_link *l);

#endif

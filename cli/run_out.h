/* lanesim run's results as text (cli/run_out.c): stdout tables, the CSV row, JSON documents. */
#ifndef LS_CLI_RUN_OUT_H
#define LS_CLI_RUN_OUT_H

#include <stdio.h>

#include "lanesim/config.h"
#include "lanesim/link.h"
#include "lanesim/run.h"

struct cJSON;

/** The table of a Monte Carlo run on stdout: BER, SER, errors, FEC, eyes, segments, link. */
void run_print_table(const ls_config *c, const ls_run_result *r);
void run_print_class(const ls_class_result *k); /* a class preset's verdict */
void run_class_json(cJSON *j, const ls_class_result *k); /* its "class" object into j (nothing if !k->on) */
/** The statistical analysis at the eye contour of BER target on stdout; mc (NULL: none) puts the
    Monte Carlo BER beside its own. */
void run_print_stat(const ls_link_info *li, const ls_stateye_result *s, double target,
                    const ls_run_result *mc);
/** The CSV of a Monte Carlo run: a header line and one row. */
void run_write_csv(FILE *f, const ls_config *c, const ls_run_result *r);
/** Every key of c with its value, as a JSON object. */
struct cJSON *run_config_json(const ls_config *c);
/** The JSON document of a Monte Carlo run ("mode": "mc"; the configuration included). */
struct cJSON *run_result_json(const ls_config *c, const ls_run_result *r);
/** The "rx_failed" object: {"failed": false}, or the reason, symbol, frame, segment and detail. */
struct cJSON *run_failure_json(const ls_rx_failure *f);
/** A receiver failure (nothing when f->failed is 0) as lines of the run table. */
void run_print_failure(const ls_rx_failure *f);
/** The "stat" object of the JSON document: BER, SER, eyes, crosstalk, bathtub. */
/* "ami": the IBIS-AMI models' output parameters after AMI_Init into ln, when li has some */
void run_ami_json(struct cJSON *ln, const ls_link_info *li);
struct cJSON *run_stat_json(const ls_link_info *li, const ls_stateye_result *s, double target);

#endif

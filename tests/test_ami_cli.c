/*
 * IBIS-AMI models on the command line (the "done when": a vendor's .ibs/.ami/.so trio in run,
 * reach, sweep and the statistical mode): the test models' trio through `run --mode stat` and `sweep
 * --mode stat` (two points), each output file written and holding the model's output parameters or the
 * points; `reach` is run by hand in docs/ibis-ami.md (its 20 link builds take too long for the suite).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define IBS LS_AMI_DIR "/lanesim_test.ibs"
#define MODELS "-s tx.model=ami -s tx.ami=" IBS ":tx_ffe -s ami.tx.c_pre1=-0.1 -s rx.model=ami -s rx.ami=" IBS \
               ":rx_ctle_dfe -s ami.rx.ctle.peak_db=10 -s ami.rx.ctle.fpk_ghz=53.125 -s link.length_m=0.5"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert(f, "%s not written", path);
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

Test(ami_cli, run_stat_and_sweep_take_the_trio, .timeout = LS_TIMEOUT(120))
{
    char out[8192], cmd[4096], json[] = "/tmp/ls_ami_cli_XXXXXX", csv[] = "/tmp/ls_ami_csv_XXXXXX";
    int fd = mkstemp(json), fc = mkstemp(csv);
    cr_assert(fd >= 0 && fc >= 0);
    close(fd);
    close(fc);
    snprintf(cmd, sizeof cmd, "%s run copper " MODELS " --mode stat --json %s", LS_CLI_PATH, json);
    cr_assert_eq(ls_test_run(cmd, out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "statistical analysis") != NULL, "%s", out);
    const char *t = slurp(json);
    cr_expect(strstr(t, "\"dfe_b1\"") && strstr(t, "\"c_main\""), "the models' output parameters: %.400s", t);
    snprintf(cmd, sizeof cmd, "%s sweep copper " MODELS " -s run.symbols=5440 --param link.length_m=0.3,0.6 "
             "--mode stat --threads 1 --csv %s", LS_CLI_PATH, csv);
    cr_assert_eq(ls_test_run(cmd, out, sizeof out), 0, "%s", out);
    t = slurp(csv);
    cr_expect(strstr(t, "\n0,0.3,") && strstr(t, "\n1,0.6,"), "%s", t);
    unlink(json);
    unlink(csv);
}

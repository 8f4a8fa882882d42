/*
 * lanesim: command-line front end. Subcommands: run, reach, sweep, merge, study, plot, presets,
 * channel, tdecq. Exit status 0 on success, 1 on a runtime failure, 2 on bad usage or bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lanesim/version.h"

static void usage(FILE *f)
{
    fputs("usage: lanesim COMMAND [ARGS]\n"
          "\n"
          "Signal-level simulator for high-speed PAM4 lanes (copper, LPO, DSP-retimed, CPO).\n"
          "\n"
          "commands:\n"
          "  run PRESET|FILE.ini [-s section.key=value ...] [--mode mc|stat|both] [--symbols N]\n"
          "      [--max-errors M] [--seed S] [--threads T] [--json FILE] [--csv FILE]\n"
          "      [--dump eye|pulse|bathtub|response=FILE]\n"
          "                      simulate a link sample by sample: BER, SER, eye, FEC\n"
          "  reach PRESET|FILE.ini [-s k=v] [--target-ber X] [--target pre-fec|post-fec|com] [--mode stat|mc]\n"
          "      [--min M] [--max M] [--confirm] [--json F] [--plot F.png|F.svg]\n"
          "                      longest link.length_m meeting the target, margin, what limits it\n"
          "  sweep PRESET|FILE.ini --param KEY=LIST|A:B:N[:log] [--param ...] [--metric ber,eye,reach,energy]\n"
          "      [--mode mc|stat] [--threads T] [--csv F] [--json F] [--shard I/N]\n"
          "      [--plot F.png|F.svg]\n"
          "                      every combination of the swept values, one CSV row per point\n"
          "                      (MPI builds: mpirun -n N lanesim sweep ... spreads the points over ranks)\n"
          "  merge OUT.csv SHARD.csv...\n"
          "                      join the CSVs of 'sweep --shard I/N' into the CSV of the whole sweep\n"
          "  study [--out DIR] [--rates R,..] [--arch A,..] [--threads T]\n"
          "                      reach and energy per bit versus lane rate for every architecture,\n"
          "                      eyes, bathtubs and plots: the default main job\n"
          "  plot KIND DATA [-o FILE.png|FILE.svg]\n"
          "                      draw a dump or CSV with gnuplot: eye, bathtub, pulse, response, ber-length,\n"
          "                      reach-rate, energy-reach, power (see 'lanesim plot --help')\n"
          "  tdecq PRESET|FILE.ini [-s k=v] [--tp TP2|TP3] | --waveform FILE [--sps N] [--json F] [--dump F]\n"
          "                      TDECQ/TECQ, OMA_outer, ER, RLM, overshoot, C_eq (IEEE 802.3 cl. 121.8.5)\n"
          "  cluster [FILE.ini] [-s k=v] [--study F.json] [--compare P1,P2,..] [--json F] [--csv F] [--plot F]\n"
          "                      a cluster's interconnect from the study's lanes: links, power, cost, failures\n"
          "  presets [PRESET]    list the presets, or one preset's keys with defaults and units\n"
          "  com THRU.s4p --config NAME|FILE.csv [--fext F]... [--next F]... [-s KEY=V] [--json F] [--csv F]\n"
          "                      IEEE 802.3 COM and ERL (Annex 93A); --list-configs lists the configurations\n"
          "  channel FILE.sNp|PRESET [-s k=v] [--at GHZ,..] [--ports P] [--json F]\n"
          "                      insertion and return loss, delay, checks of a channel\n"
          "  wdm [cpo-wdm|FILE.ini] [-s k=v] [--mode stat|mc|none] [--json F]\n"
          "                      a cpo-wdm lane group line by line: crosstalk, BER per line, heaters, Tb/s/mm\n"
          "\n"
          "options:\n"
          "  -h, --help          this help (also: lanesim COMMAND --help)\n"
          "  -V, --version       version\n"
          "\n"
          "Exit status: 0 success, 1 runtime failure, 2 bad usage or input. See docs/cli.md.\n",
          f);
}

/* The subcommand's exit status; its outputs are published together when it succeeds, or removed. */
static int run_command(int argc, char **argv)
{
    const char *cmd = argv[1];
    if (!strcmp(cmd, "com"))
        return cmd_com(argc - 1, argv + 1);
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "channel"))
        return cmd_channel(argc - 1, argv + 1);
    if (!strcmp(cmd, "sweep"))
        return cmd_sweep(argc - 1, argv + 1);
    if (!strcmp(cmd, "merge"))
        return cmd_merge(argc - 1, argv + 1);
    if (!strcmp(cmd, "reach"))
        return cmd_reach(argc - 1, argv + 1);
    if (!strcmp(cmd, "study"))
        return cmd_study(argc - 1, argv + 1);
    if (!strcmp(cmd, "presets"))
        return cmd_presets(argc - 1, argv + 1);
    if (!strcmp(cmd, "plot"))
        return cmd_plot(argc - 1, argv + 1);
    if (!strcmp(cmd, "tdecq"))
        return cmd_tdecq(argc - 1, argv + 1);
    if (!strcmp(cmd, "cluster"))
        return cmd_cluster(argc - 1, argv + 1);
    if (!strcmp(cmd, "wdm"))
        return cmd_wdm(argc - 1, argv + 1);
    cli_error("unknown command '%s' (see 'lanesim --help')", cmd);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("lanesim %s (%s)\n", LANESIM_VERSION, LANESIM_GIT);
        return EXIT_OK;
    }
    cli_signals();
    /* --ami-isolate / --no-ami-isolate (any subcommand that takes -s): -s ami.isolate=true|false */
    char **av = malloc((size_t)(2 * argc + 1) * sizeof *av);
    if (!av)
        return EXIT_RUNTIME;
    int ac = 0;
    for (int i = 0; i < argc; i++) {
        int on = !strcmp(argv[i], "--ami-isolate"), off = !strcmp(argv[i], "--no-ami-isolate");
        if (i > 1 && (on || off)) {
            av[ac++] = "-s";
            av[ac++] = on ? "ami.isolate=true" : "ami.isolate=false";
        } else {
            av[ac++] = argv[i];
        }
    }
    av[ac] = NULL;
    int rc = run_command(ac, av);
    free(av);
    if (rc == EXIT_OK && cli_out_publish() != 0)
        rc = EXIT_RUNTIME;
    if (rc != EXIT_OK)
        cli_out_discard();
    return rc;
}

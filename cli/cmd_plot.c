/*
 * lanesim plot KIND DATA [-o FILE.png|FILE.svg]: draws a data file with the kind's gnuplot template
 * (cli/plot.c, plots/, docs/plots.md).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "plotdata.h"

static void plot_usage(FILE *f)
{
    fputs("usage: lanesim plot KIND DATA [-o FILE.png|FILE.svg] [--title T]\n"
          "  -o, --output FILE             the plot (default: DATA with its extension replaced by "
          ".png);\n"
          "                                the terminal follows the extension: .png (pngcairo) or "
          ".svg\n"
          "      --title T                 the plot's title\n"
          "  -h, --help                    this help\n"
          "\nkinds:\n",
          f);
    for (size_t i = 0; lsp_kind_at(i); i++)
        fprintf(f, "  %-14s %s\n", lsp_kind_at(i)->name, lsp_kind_at(i)->what);
    fputs("  (sweep is another name for ber-length)\n"
          "\nNeeds gnuplot on PATH (Debian package gnuplot-nox). The templates are built in; "
          "LANESIM_PLOTS_DIR=DIR\n"
          "reads DIR/NAME.gp instead, NAME as in plots/: eye, bathtub, pulse, response, "
          "ber_length, reach_rate,\n"
          "energy_reach, power. See docs/plots.md.\n",
          f);
}

/* What the command line asks for. */
typedef struct {
    const char *kind, *data; /* KIND DATA */
    const char *out, *title; /* -o, --title; NULL when not given */
} plot_opts;

/* The command line into o: CLI_CONTINUE, or the exit status (help printed, or a usage error). */
static int plot_parse(int argc, char **argv, plot_opts *o)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"title", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'o': o->out = optarg; break;
        case 't': o->title = optarg; break;
        case 'h': plot_usage(stdout); return EXIT_OK;
        case ':': cli_error("plot: option '%s' needs a value", argv[optind - 1]); return EXIT_USAGE;
        default:
            cli_error("plot: unknown option '%s' (see 'lanesim plot --help')", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 2) {
        cli_error("plot: expected KIND and DATA (see 'lanesim plot --help')");
        return EXIT_USAGE;
    }
    o->kind = argv[optind];
    o->data = argv[optind + 1];
    if (!lsp_kind_find(o->kind)) {
        cli_error("plot: unknown kind '%s' (see 'lanesim plot --help')", o->kind);
        return EXIT_USAGE;
    }
    return CLI_CONTINUE;
}

int cmd_plot(int argc, char **argv)
{
    plot_opts o = {NULL, NULL, NULL, NULL};
    int rc = plot_parse(argc, argv, &o);
    if (rc != CLI_CONTINUE)
        return rc;
    char def[4096];
    if (!o.out) { /* DATA with its extension replaced by .png */
        const char *slash = strrchr(o.data, '/'), *dot = strrchr(o.data, '.');
        size_t stem = dot && (!slash || dot > slash + 1) ? (size_t)(dot - o.data) : strlen(o.data);
        if (stem + 5 > sizeof def) {
            cli_error("%s: file name too long", o.data);
            return EXIT_USAGE;
        }
        snprintf(def, sizeof def, "%.*s.png", (int)stem, o.data);
        o.out = def;
    }
    return cli_plot_ex(o.kind, o.data, o.out, NAN, o.title);
}

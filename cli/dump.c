/*
 * Dumps of `lanesim run` and `lanesim study` for plotting (docs/cli.md, docs/plots.md): whitespace
 * columns with '#' header lines. The Monte Carlo eye histogram and pulse response, the bathtub of the statistical analysis, and the small-signal frequency responses
 * of the link (ls_link_response) beside the passive channel's S21 (ls_channel_sparams) where the
 * preset has one.
 */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dump.h"
#include "lanesim/run.h"
#include "lanesim/version.h"

static void dump_header(FILE *f, const ls_config *c, const ls_run_result *r, const char *what)
{
    fprintf(f, "# lanesim %s %s\n# preset %s seed %llu rate_gbps %.10g sps %u\n", LANESIM_VERSION, what,
            ls_config_preset(c), (unsigned long long)r->seed, r->link.rate_bps / 1e9, r->link.sps);
}

void cli_dump_eye(FILE *f, const ls_config *c, const ls_run_result *r)
{
    unsigned cols, rows;
    const uint64_t *h = ls_eye_histogram(r->eye_hist, &cols, &rows);
    dump_header(f, c, r, "eye histogram (2 UI, decision instant at t = 0)");
    fprintf(f, "# eye_at %s target_ber %.6g\n", r->link.eye_at_input ? "input" : "slicer", r->eye.target_ber);
    for (unsigned i = r->eye.n_eyes; i-- > 0;) {
        char nb[16];
        const ls_eye_opening *e = &r->eye.eye[i];
        fprintf(f, "# eye %s threshold_v %.6e center_v %.6e height_v %.6e width_ui %.4f\n",
                cli_eye_name(r->link.levels, i, nb, sizeof nb), r->link.thresholds[i], e->center_v, e->height_v, e->width_ui);
    }
    fprintf(f, "# columns: t_ui v_volts hits\n");
    for (unsigned col = 0; col < cols; col++) {
        double t = ((double)col - r->link.sps) / r->link.sps;
        for (unsigned row = 0; row < rows; row++)
            fprintf(f, "%.6f %.6e %llu\n", t, ls_eye_bin_voltage(r->eye_hist, row),
                    (unsigned long long)h[(size_t)col * rows + row]);
        fputc('\n', f);
    }
}

int cli_dump_stateye(FILE *f, const ls_config *c, const ls_link *l, const ls_stateye_result *s, double target)
{
    enum { NV = 256 };
    const ls_link_info *li = ls_link_get_info(l);
    const unsigned sps = li->sps;
    double *map = malloc((size_t)sps * NV * sizeof *map);
    ls_status st = map ? ls_link_stat_map(l, target, NV, li->eye_vmin, li->eye_vmax, map) : LS_ENOMEM;
    if (st != LS_OK) {
        free(map);
        cli_error("statistical eye map: %s", ls_strerror(st));
        return EXIT_RUNTIME;
    }
    fprintf(f, "# lanesim %s statistical eye (BER map over one UI, decision instant at t = 0)\n"
               "# preset %s rate_gbps %.10g sps %u\n# eye_at slicer target_ber %.6g\n",
            LANESIM_VERSION, ls_config_preset(c), li->rate_bps / 1e9, sps, target);
    for (unsigned i = li->levels - 1; i-- > 0;) {
        char nb[16];
        fprintf(f, "# eye %s threshold_v %.6e center_v %.6e height_v %.6e width_ui %.4f\n",
                cli_eye_name(li->levels, i, nb, sizeof nb), li->thresholds[i],
                s->eye[i].height_v > 0 ? s->eye[i].center_v : li->thresholds[i], s->eye[i].height_v, s->eye[i].width_ui);
    }
    fprintf(f, "# columns: t_ui v_volts ber\n");
    for (unsigned i = 0; i < sps; i++) {
        for (unsigned n = 0; n < NV; n++)
            fprintf(f, "%.6f %.6e %.4e\n", ((double)i - (double)(sps / 2)) / sps,
                    li->eye_vmin + n * (li->eye_vmax - li->eye_vmin) / (NV - 1), map[(size_t)i * NV + n]);
        fputc('\n', f);
    }
    free(map);
    return EXIT_OK;
}

void cli_dump_pulse(FILE *f, const ls_config *c, const ls_run_result *r)
{
    dump_header(f, c, r, "pulse response of one outer-level symbol (sampling instant at t = 0)");
    fprintf(f, "# columns: t_ui volts\n");
    for (size_t i = 0; i < r->n_pulse; i++)
        fprintf(f, "%.6f %.6e\n", ((double)i - (double)r->link.pulse_peak) / r->link.sps, r->pulse[i]);
}

void cli_dump_bathtub(FILE *f, const ls_config *c, const ls_link_info *li,
                      const ls_stateye_result *s, double target)
{
    fprintf(f,
            "# lanesim %s bathtub (statistical analysis: BER at the fixed thresholds vs sampling "
            "phase)\n",
            LANESIM_VERSION);
    fprintf(f,
            "# preset %s rate_gbps %.10g baud_gbd %.10g sps %u\n# target_ber %.6g\n# columns: "
            "phase_ui ber\n",
            ls_config_preset(c), li->rate_bps / 1e9, li->baud / 1e9, li->sps, target);
    for (unsigned i = 0; i < s->n_phase; i++)
        fprintf(f, "%.6f %.6e\n", s->phase_ui[i], s->bathtub_ber[i]);
}

static void db_col(FILE *f, double complex h)
{
    double m = cabs(h);
    if (m > 0 && isfinite(m))
        fprintf(f, " %.6f", 20.0 * log10(m));
    else
        fputs(" ?", f);
}

int cli_dump_response(FILE *f, const ls_config *c, const ls_link *l)
{
    enum { N = 513 };
    static double fr[N];
    static double complex chain[N], ctle[N], ffe[N], s21[N], s11[N];
    const ls_link_info *li = ls_link_get_info(l);
    for (int i = 0; i < N; i++)
        fr[i] = li->baud * i / (N - 1.0); /* 0 to the symbol rate: twice the Nyquist frequency */
    ls_status st = ls_link_response(l, fr, N, chain, ctle, ffe);
    if (st != LS_OK) {
        cli_error("--dump response: %s", ls_strerror(st));
        return EXIT_RUNTIME;
    }
    char msg[256];
    const int have_s21 = ls_channel_sparams(c, fr, N, s21, s11, NULL, msg, sizeof msg) == LS_OK;
    fprintf(f,
            "# lanesim %s channel and equalizer responses (small signal, docs/link.md \"Frequency "
            "response\")\n",
            LANESIM_VERSION);
    fprintf(f, "# preset %s rate_gbps %.10g baud_gbd %.10g sps %u\n", ls_config_preset(c),
            li->rate_bps / 1e9, li->baud / 1e9, li->sps);
    fputs("# channel: TX output to the sampler without the CTLE; equalized: channel + CTLE + RX "
          "FFE;\n"
          "# s21: the passive analytic channel (packages, PCB, connectors, cable); '?' = not "
          "available\n"
          "# columns: f_ghz channel_db ctle_db channel_ctle_db equalized_db s21_db\n",
          f);
    for (int i = 0; i < N; i++) {
        fprintf(f, "%.6f", fr[i] / 1e9);
        db_col(f, ctle[i] != 0 ? chain[i] / ctle[i] : NAN);
        db_col(f, ctle[i]);
        db_col(f, chain[i]);
        db_col(f, chain[i] * ffe[i]);
        db_col(f, have_s21 ? s21[i] : NAN);
        fputc('\n', f);
    }
    return EXIT_OK;
}

/*
 * The study's "LPO vs host loss" curve (docs/lpo.md, docs/study.md): the lpo preset at the eye rate and
 * its preset length, the host channel's loss (host.loss_db at host.loss_ghz, each side) swept over
 * STUDY_HL_N points; at each, the Monte Carlo BER (run.symbols of the study, its 95 % interval) and the
 * statistical BER of the same link. Writes lpo_vs_host_loss.csv (host_loss_db, ber, ber_ci95_lo,
 * ber_ci95_hi, stat_ber, snr_eq_db; a sweep CSV) and its plot (ber-length kind: the Monte Carlo BER
 * against the loss with its 95 % interval, points without errors as upper bounds, the target as a line), and prints the largest loss whose Monte Carlo upper bound meets the target.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "study.h"

#define STUDY_HL_N 8
static const double hl_db[STUDY_HL_N] = { 4, 6, 8, 10, 12, 14, 16, 18 };

typedef struct {
    const study *s;
    double ber[STUDY_HL_N], lo[STUDY_HL_N], hi[STUDY_HL_N], stat[STUDY_HL_N], snr[STUDY_HL_N];
    ls_status st[STUDY_HL_N];
    char msg[STUDY_HL_N][256];
} hl_ctx;

static void hl_point(void *ctx, size_t i)
{
    hl_ctx *h = ctx;
    const study *s = h->s;
    char v[64], *m = h->msg[i];
    const size_t cap = sizeof h->msg[i];
    ls_config *c = ls_config_create("lpo", m, cap, &h->st[i]);
    if (!c)
        return;
    snprintf(v, sizeof v, "%.10g", s->eye_rate);
    ls_status st = ls_config_set(c, "link.rate_gbps", v, m, cap);
    snprintf(v, sizeof v, "%.10g", hl_db[i]);
    if (st == LS_OK)
        st = ls_config_set(c, "host.loss_db", v, m, cap);
    if (st == LS_OK)
        st = ls_config_set(c, "link.sps", s->sps, m, cap);
    if (st == LS_OK)
        st = ls_config_set(c, "run.symbols", s->symbols, m, cap);
    if (st == LS_OK)
        st = ls_config_set(c, "run.threads", "1", m, cap);
    ls_link *l = st == LS_OK ? ls_link_create(c, 64, m, cap, &st) : NULL;
    ls_stateye_result sr;
    if (l && (st = ls_link_stat(l, s->ro.target_value, &sr)) == LS_OK) {
        h->stat[i] = sr.ber;
        h->snr[i] = ls_link_get_info(l)->snr_eq_db;
    }
    ls_link_destroy(l);
    ls_run_result r;
    if (st == LS_OK && (st = ls_run(c, NULL, NULL, &r, m, cap)) == LS_OK) {
        h->ber[i] = r.ber.ber;
        h->lo[i] = r.ber.ber_ci95_lo;
        h->hi[i] = r.ber.ber_ci95_hi;
        ls_run_result_free(&r);
    }
    h->st[i] = st;
    ls_config_destroy(c);
}

int study_host_loss(const study *s, long threads)
{
    hl_ctx *h = calloc(1, sizeof *h);
    if (!h) {
        cli_error("out of memory");
        return EXIT_RUNTIME;
    }
    h->s = s;
    cli_parallel(STUDY_HL_N, threads, hl_point, NULL, h);
    int rc = EXIT_OK;
    for (size_t i = 0; i < STUDY_HL_N && rc == EXIT_OK; i++)
        if (h->st[i] != LS_OK) {
            cli_error("lpo at host.loss_db=%g: %s", hl_db[i], h->msg[i][0] ? h->msg[i] : ls_strerror(h->st[i]));
            rc = EXIT_RUNTIME;
        }
    char path[1024], png[1024];
    snprintf(path, sizeof path, "%s/lpo_vs_host_loss.csv", s->out);
    snprintf(png, sizeof png, "%s/lpo_vs_host_loss.png", s->out);
    cli_outfile o = { 0 };
    if (rc == EXIT_OK && cli_out_open(&o, path))
        rc = EXIT_RUNTIME;
    if (rc == EXIT_OK) {
        fputs("host.loss_db,ber,ber_ci95_lo,ber_ci95_hi,stat_ber,snr_eq_db\n", o.f);
        for (size_t i = 0; i < STUDY_HL_N; i++)
            fprintf(o.f, "%.10g,%.6e,%.6e,%.6e,%.6e,%.4f\n", hl_db[i], h->ber[i], h->lo[i], h->hi[i], h->stat[i],
                    h->snr[i]);
        if (cli_out_commit(&o))
            rc = EXIT_RUNTIME;
    }
    if (rc == EXIT_OK) {
        double last = NAN;
        for (size_t i = 0; i < STUDY_HL_N && h->hi[i] <= s->ro.target_value; i++)
            last = hl_db[i];
        printf("\nLPO vs host loss (%.10g Gb/s, lpo's preset length; Monte Carlo, upper 95 %% bound <= %.3g): ",
               s->eye_rate, s->ro.target_value);
        if (isnan(last))
            printf("fails already at %g dB per side (host.loss_db)\n", hl_db[0]);
        else
            printf("meets the target up to %g dB per side (host.loss_db, of %g..%g dB)\n", last, hl_db[0],
                   hl_db[STUDY_HL_N - 1]);
    }
    if (rc == EXIT_OK && s->plots)
        rc = cli_plot_ex("ber-length", path, png, s->ro.target_value,
                         "lpo: Monte Carlo BER vs host channel loss (each side, at host.loss_ghz)");
    free(h);
    return rc;
}

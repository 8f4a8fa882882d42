/*
 * lanesim study's report (cli/study.h, docs/study.md): the files in the output folder
 * (reach_vs_rate.csv, study.json, power_breakdown.csv, eye_ARCH.dat, stateye_ARCH.dat, bathtub_ARCH.dat, each written
 * atomically), the architecture x rate summary on stdout, and the plots through gnuplot.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "cluster.h"
#include "dump.h"
#include "run_out.h"
#include "lanesim/version.h"
#include "plotdata.h"
#include "study.h"

/* The reach as the summary prints it: "none", ">10 m", "1.2 km"; then "*" when Monte Carlo limited it
   (the statistical reach was refuted), "?" when Monte Carlo did not check it. */
static void fmt_len(char *b, size_t cap, const ls_reach_result *r)
{
    const char *mark = r->check == LS_REACH_MC_LIMITED ? "*" : r->check == LS_REACH_UNCONFIRMED ? "?" : "";
    if (r->below_range)
        snprintf(b, cap, "none%s", r->check == LS_REACH_MC_LIMITED ? "*" : "");
    else if (r->reach_m >= 1000)
        snprintf(b, cap, "%s%.3g km%s", r->above_range ? ">" : "", r->reach_m / 1000, mark);
    else
        snprintf(b, cap, "%s%.3g m%s", r->above_range ? ">" : "", r->reach_m, mark);
}

/* Opens DIR/NAME (name a format with one %s for arg) as an atomic output file; 0 on success. */
static int open_in(cli_outfile *o, const char *dir, const char *name, const char *arg)
{
    char file[512], path[4096];
    snprintf(file, sizeof file, name, arg);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return cli_out_open(o, path);
}

static int write_csv(const char *dir, const job *jobs, size_t n)
{
    cli_outfile o = { 0 };
    if (open_in(&o, dir, "reach_vs_rate.csv", ""))
        return -1;
    fputs("architecture,rate_gbps,reach_m,stat_reach_m,check,ber_at_reach,mc_ber,mc_ber_ci95_hi,margin_db,penalty_db,"
          "limited_by,pj_per_bit,module_pj_per_bit,evaluations,mc_evaluations,nonmonotonic,inner_fec,com_reach_m,com_config\n",
          o.f);
    for (size_t i = 0; i < n; i++) {
        const job *j = &jobs[i];
        if (j->eye)
            continue;
        const ls_reach_result *r = &j->r;
        fprintf(o.f, "%s,%.10g,%.6g,%.6g,%s,%.6e,%.6e,%.6e,%.4f,%.4f,%s,%.4f,%.4f,%u,%u,%d,%s,%.6g,%s\n", j->a->name,
                j->rate_gbps, r->reach_m, r->stat_reach_m, ls_reach_check_name(r->check), r->ber_at_reach,
                r->have_mc ? r->mc_ber : NAN, r->have_mc ? r->mc_ber_ci95_hi : NAN, r->margin_db, r->penalty_db,
                r->limited_by, j->e.pj_per_bit, j->e.module_pj_per_bit, r->evaluations, r->mc_evaluations,
                r->nonmonotonic, cli_inner_fec_rate_only(j->c) ? "rate_only" : "none", j->com_reach_m,
                j->com_name ? j->com_name : "");
    }
    if (cli_out_commit(&o)) /* it cleans up after itself */
        return -1;
    return 0;
}

/* The power breakdown of every architecture at the eye rate: architecture,part,mw,scope (long format). */
static int write_power(const char *dir, const job *jobs, size_t n)
{
    cli_outfile o = { 0 };
    if (open_in(&o, dir, "power_breakdown.csv", ""))
        return -1;
    fputs("architecture,part,mw,scope\n", o.f);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; jobs[i].eye && k < jobs[i].e.n_parts; k++)
            fprintf(o.f, "%s,%s,%.3f,%s\n", jobs[i].a->name, jobs[i].e.part[k].name, jobs[i].e.part[k].mw,
                    jobs[i].e.part[k].module ? "module" : "host");
    if (cli_out_commit(&o)) /* it cleans up after itself */
        return -1;
    return 0;
}

/* Each eye job's Monte Carlo eye histogram, statistical eye and statistical bathtub, as `lanesim run
   --dump eye=F` and `--mode stat --dump stateye=F --dump bathtub=F` write them. */
static int write_eyes(const char *dir, const job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const job *j = &jobs[i];
        if (!j->eye)
            continue;
        cli_outfile o = { 0 };
        if (open_in(&o, dir, "eye_%s.dat", j->a->name))
            return -1;
        cli_dump_eye(o.f, j->c, &j->mc);
        if (cli_out_commit(&o)) /* it cleans up after itself */
            return -1;
        if (open_in(&o, dir, "stateye_%s.dat", j->a->name))
            return -1;
        const double target = ls_config_real(j->c, "eye.target_ber");
        if (cli_dump_stateye(o.f, j->c, j->link, &j->sr, target) != EXIT_OK) {
            cli_out_abort(&o);
            return -1;
        }
        if (cli_out_commit(&o)) /* it cleans up after itself */
            return -1;
        if (open_in(&o, dir, "bathtub_%s.dat", j->a->name))
            return -1;
        cli_dump_bathtub(o.f, j->c, &j->info, &j->sr, ls_config_real(j->c, "eye.target_ber"));
        if (cli_out_commit(&o)) /* it cleans up after itself */
            return -1;
    }
    return 0;
}

/* The plots of the study (gnuplot): an exit status, EXIT_RUNTIME (one line) when gnuplot is missing. */
static int plot_all(const char *dir, const job *jobs, size_t n, int eyes)
{
    static const char *const main_plots[][3] = { { "reach-rate", "reach_vs_rate.csv", "reach_vs_rate.png" },
                                                 { "energy-reach", "reach_vs_rate.csv", "energy_vs_reach.png" },
                                                 { "power", "power_breakdown.csv", "power_breakdown.png" } };
    char data[4096], out[4096];
    for (size_t k = 0; k < 3; k++) {
        if (k == 2 && !eyes)
            break;
        char title[128] = "";
        for (size_t i = 0; k == 2 && i < n && !title[0]; i++) /* the power breakdown is at the eye rate */
            if (jobs[i].eye)
                snprintf(title, sizeof title, "electrical power per lane at %s Gb/s, by part",
                         lsp_num(jobs[i].rate_gbps).s);
        snprintf(data, sizeof data, "%s/%s", dir, main_plots[k][1]);
        snprintf(out, sizeof out, "%s/%s", dir, main_plots[k][2]);
        int rc = cli_plot_ex(main_plots[k][0], data, out, NAN, title[0] ? title : NULL);
        if (rc != EXIT_OK)
            return rc;
    }
    for (size_t i = 0; i < n; i++) {
        if (!jobs[i].eye)
            continue;
        static const char *const kinds[] = { "eye", "stateye", "bathtub" };
        for (int k = 0; k < 3; k++) {
            char title[256];
            snprintf(data, sizeof data, "%s/%s_%s.dat", dir, kinds[k], jobs[i].a->name);
            snprintf(out, sizeof out, "%s/%s_%s.png", dir, kinds[k], jobs[i].a->name);
            snprintf(title, sizeof title, "%s %s at %s Gb/s, %s m", jobs[i].a->name,
                     k == 1 ? "statistical eye" : kinds[k],
                     lsp_num(jobs[i].rate_gbps).s, lsp_num(jobs[i].length_m).s);
            int rc = cli_plot_ex(kinds[k], data, out, NAN, title);
            if (rc != EXIT_OK)
                return rc;
        }
    }
    return EXIT_OK;
}

static int write_json(const char *dir, const study *s, const double *rates, unsigned nr)
{
    cli_outfile o = { 0 };
    if (open_in(&o, dir, "study.json", ""))
        return -1;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "lanesim_version", LANESIM_VERSION);
    cJSON *t = cJSON_AddObjectToObject(root, "target");
    cJSON_AddStringToObject(t, "kind", "pre-fec");
    cJSON_AddNumberToObject(t, "ber", s->ro.target_value);
    cJSON_AddItemToObject(root, "rates_gbps", cJSON_CreateDoubleArray(rates, (int)nr));
    cJSON *pts = cJSON_AddArrayToObject(root, "reach");
    cJSON *eyes = cJSON_AddArrayToObject(root, "eyes");
    for (size_t i = 0; i < s->n; i++) {
        const job *j = &s->jobs[i];
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "architecture", j->a->name);
        cJSON_AddStringToObject(p, "preset", j->a->preset);
        cJSON_AddNumberToObject(p, "rate_gbps", j->rate_gbps);
        cJSON_AddItemToObject(p, "energy", cli_energy_json(&j->e));
        if (!j->eye) {
            cJSON_AddNumberToObject(p, "reach_m", j->r.reach_m);
            cJSON_AddNumberToObject(p, "stat_reach_m", j->r.stat_reach_m);
            cJSON_AddStringToObject(p, "check", ls_reach_check_name(j->r.check));
            cJSON_AddNumberToObject(p, "ber_at_reach", j->r.ber_at_reach);
            if (j->r.have_mc) {
                cJSON_AddNumberToObject(p, "mc_ber", j->r.mc_ber);
                double ci[2] = { j->r.mc_ber_ci95_lo, j->r.mc_ber_ci95_hi };
                cJSON_AddItemToObject(p, "mc_ber_ci95", cJSON_CreateDoubleArray(ci, 2));
                cJSON_AddNumberToObject(p, "mc_bits", (double)j->r.mc_bits);
            }
            if (j->r.have_mc_stat) {
                cJSON_AddNumberToObject(p, "mc_ber_at_stat_reach", j->r.mc_stat_ber);
                cJSON_AddStringToObject(p, "rx_failed_at_stat_reach", j->r.mc_stat_rx_failed);
            }
            cJSON_AddNumberToObject(p, "margin_db", j->r.margin_db);
            cJSON_AddNumberToObject(p, "penalty_db", j->r.penalty_db);
            cli_inner_fec_json(p, j->c);
            cJSON_AddStringToObject(p, "limited_by", j->r.limited_by);
            cJSON_AddNumberToObject(p, "evaluations", j->r.evaluations);
            cJSON_AddBoolToObject(p, "nonmonotonic", j->r.nonmonotonic);
            cJSON_AddBoolToObject(p, "below_range", j->r.below_range);
            cJSON_AddBoolToObject(p, "above_range", j->r.above_range);
            if (isfinite(j->com_reach_m))
                cJSON_AddNumberToObject(p, "com_reach_m", j->com_reach_m);
            else
                cJSON_AddNullToObject(p, "com_reach_m");
            if (j->com_name)
                cJSON_AddStringToObject(p, "com_config", j->com_name);
            if (j->com_msg[0])
                cJSON_AddStringToObject(p, "com_error", j->com_msg);
            cJSON_AddItemToArray(pts, p);
        } else {
            cJSON_AddNumberToObject(p, "length_m", j->length_m);
            cJSON_AddNumberToObject(p, "stat_ber", j->sr.ber);
            cJSON_AddNumberToObject(p, "snr_eq_db", j->info.snr_eq_db);
            cJSON_AddNumberToObject(p, "vertical_opening_v", j->sr.vertical_opening_v);
            if (j->have_mc) {
                cJSON_AddItemToObject(p, "rx_failed", run_failure_json(&j->mc.rx_failed));
                cJSON_AddNumberToObject(p, "mc_ber", j->mc.ber.ber);
                cJSON_AddNumberToObject(p, "mc_bits", (double)j->mc.counts.bits);
                cJSON_AddNumberToObject(p, "mc_bit_errors", (double)j->mc.counts.bit_errors);
                /* the worst sub-eye of the Monte Carlo eye at the slicer (docs/eye.md), SI units */
                double h = INFINITY, w = INFINITY;
                for (unsigned e = 0; e < j->mc.eye.n_eyes; e++)
                    h = fmin(h, j->mc.eye.eye[e].height_v), w = fmin(w, j->mc.eye.eye[e].width_ui);
                cJSON_AddNumberToObject(p, "mc_eye_height_v", j->mc.eye.n_eyes ? h : 0.0);
                cJSON_AddNumberToObject(p, "mc_eye_width_ui", j->mc.eye.n_eyes ? w : 0.0);
                cJSON_AddNumberToObject(p, "eye_target_ber", j->mc.eye.target_ber);
                /* the 95 % interval lies above the BER target: the link fails at this length in Monte Carlo */
                cJSON_AddBoolToObject(p, "mc_fails_target", j->mc.ber.ber_ci95_lo > s->ro.target_value);
            }
            cJSON_AddItemToArray(eyes, p);
        }
    }
    study_class_json(root, s);
    return cli_out_json(&o, root);
}

/* The summary on stdout: architecture x rate -> reach and energy per bit, what limits each. */
static void print_reach(const study *s)
{
    printf("lanesim %s study: reach at pre-FEC BER <= %.3g (statistical analysis, %s samples/UI, %s) / energy per\n"
           "bit (pJ/bit end to end, both host SerDes included; module / optical engine alone in parentheses)\n",
           LANESIM_VERSION, s->ro.target_value, s->sps,
           s->ro.confirm ? "each checked by Monte Carlo: upper 95 % bound <= target" : "NOT checked by Monte Carlo");
    printf(s->ro.confirm ? "*: Monte Carlo refuted the statistical reach; the length shown is where Monte Carlo meets "
                           "the target\n\n"
                         : "?: unconfirmed (--no-confirm): Monte Carlo did not check these reaches\n\n");
    printf("%-14s", "architecture");
    for (unsigned r = 0; r < s->nr; r++) {
        char h[48];
        snprintf(h, sizeof h, "%s Gb/s", lsp_num(s->rates[r]).s);
        printf(" %22s", h);
    }
    printf("   limited by (at %s Gb/s)\n", lsp_num(s->rates[s->nr - 1]).s);
    const job *jobs = s->jobs;
    const size_t n = s->n;
    for (size_t i = 0; i < n;) {
        const job *j = &jobs[i];
        printf("%-14s", j->a->name);
        const char *lim = "";
        for (unsigned r = 0; r < s->nr; r++, i++) {
            char b[32], cell[64];
            fmt_len(b, sizeof b, &jobs[i].r);
            if (jobs[i].e.module_pj_per_bit > 0)
                snprintf(cell, sizeof cell, "%s %.3g(%.3g)", b, jobs[i].e.pj_per_bit, jobs[i].e.module_pj_per_bit);
            else
                snprintf(cell, sizeof cell, "%s %.3g", b, jobs[i].e.pj_per_bit);
            printf(" %22s", cell);
            lim = jobs[i].r.limited_by;
        }
        printf("   %s\n", lim);
        if (i < n && jobs[i].eye)
            i++;
    }
}

/* The IEEE COM reach of the copper rows (COM >= 3 dB; the configuration matching the symbol rate). */
static void print_com(const study *s)
{
    int any = 0;
    for (size_t i = 0; i < s->n; i++) {
        const job *j = &s->jobs[i];
        if (j->eye || !j->com_name)
            continue;
        if (!any++)
            printf("\nIEEE 802.3 COM reach (COM >= 3 dB; the preset's channel without its packages under the "
                   "configuration's reference package and receiver) beside the BER reach:\n");
        char b[32];
        fmt_len(b, sizeof b, &j->r);
        if (isfinite(j->com_reach_m))
            printf("  %-14s %7g Gb/s  COM reach %8.3g m  (%s)   BER reach %s\n", j->a->name, j->rate_gbps,
                   j->com_reach_m, j->com_name, b);
        else
            printf("  %-14s %7g Gb/s  COM reach: none (%s: %s)   BER reach %s\n", j->a->name, j->rate_gbps,
                   j->com_name, j->com_msg, b);
    }
}

/* Each reach that Monte Carlo limited: the statistical figure it refuted, and the Monte Carlo BER there. */
static void print_mc_limited(const study *s)
{
    int any = 0;
    for (size_t i = 0; i < s->n; i++) {
        const job *j = &s->jobs[i];
        if (j->eye || j->r.check != LS_REACH_MC_LIMITED)
            continue;
        if (!any++)
            printf("\nMonte Carlo-limited reaches (*): statistical reach -> Monte Carlo at it -> reach shown:\n");
        printf("  %-14s %7g Gb/s  %10.4g m  BER %.2e (upper %.2e)%s%s  -> %.4g m\n", j->a->name, j->rate_gbps,
               j->r.stat_reach_m, j->r.mc_stat_ber, j->r.mc_stat_ber_ci95_hi,
               j->r.mc_stat_rx_failed[0] ? ", receiver failed: " : "", j->r.mc_stat_rx_failed, j->r.reach_m);
    }
}

/* The eye jobs on stdout, and a warning where the Monte Carlo eye contradicts the statistical reach. */
static void print_eyes(const study *s)
{
    const job *jobs = s->jobs;
    const size_t n = s->n;
    if (s->eye_rate > 0) {
        printf("\neyes at %s Gb/s (Monte Carlo %s symbols, statistical bathtub):\n", lsp_num(s->eye_rate).s, s->symbols);
        for (size_t i = 0; i < n; i++) {
            const job *j = &jobs[i];
            if (j->eye)
                printf("  %-14s at %-8g m  stat BER %.3e  MC BER %.3e  (%llu errors)  SNR %.2f dB%s%s\n", j->a->name,
                       j->length_m, j->sr.ber, j->mc.ber.ber, (unsigned long long)j->mc.counts.bit_errors,
                       j->info.snr_eq_db, j->mc.rx_failed.failed ? "  RECEIVER FAILED: " : "",
                       j->mc.rx_failed.failed ? j->mc.rx_failed.reason : "");
        }
    }
    /* the Monte Carlo eye is a second opinion on the statistical reach: say so when they disagree */
    for (size_t i = 0; s->eye_rate > 0 && i < n; i++) {
        const job *e = &jobs[i];
        if (!e->eye || !e->have_mc || e->mc.counts.bit_errors < 10)
            continue;
        for (size_t q = 0; q < n; q++) {
            const job *r = &jobs[q];
            if (!r->eye && r->a == e->a && r->rate_gbps == e->rate_gbps && r->r.reach_m > e->length_m &&
                e->mc.ber.ber_ci95_lo > s->ro.target_value)
                printf("  warning: %s: Monte Carlo BER %.2e at %g m is above the target, yet the statistical reach is "
                       "%.3g m:\n           the statistical analysis is optimistic for this link (non-linear ISI, "
                       "docs/statistical.md)\n",
                       e->a->name, e->mc.ber.ber, e->length_m, r->r.reach_m);
        }
    }
}

/* The cluster summary (cli/cluster_out.c): the default cluster from this study's reach rows. */
static void study_cluster(const study *s)
{
    ls_cluster_arch *a = calloc(LS_CLUSTER_MAX_ARCH, sizeof *a);
    size_t n = 0;
    if (!a)
        return;
    for (size_t i = 0; i < s->n && n < LS_CLUSTER_MAX_ARCH; i++)
        if (!s->jobs[i].eye) {
            const job *j = &s->jobs[i];
            a[n] = (ls_cluster_arch){ .rate_gbps = j->rate_gbps, .reach_m = j->r.below_range ? 0 : j->r.reach_m,
                                      .pj_per_bit = j->e.pj_per_bit, .module_pj_per_bit = j->e.module_pj_per_bit };
            snprintf(a[n].name, sizeof a[n].name, "%s", j->a->name);
            snprintf(a[n].preset, sizeof a[n].preset, "%s", j->a->preset);
            n++;
        }
    cluster_study_summary(a, n);
    free(a);
}

/* The report: the files in the output folder, the summary on stdout, then the plots. The exit status
   (EXIT_RUNTIME after printing why). */
int study_report(const study *s)
{
    const int eyes = s->eye_rate > 0;
    if (write_csv(s->out, s->jobs, s->n) || write_json(s->out, s, s->rates, s->nr) || study_class_csv(s) ||
        (eyes && (write_power(s->out, s->jobs, s->n) || write_eyes(s->out, s->jobs, s->n))))
        return EXIT_RUNTIME;
    print_reach(s);
    study_class_print(s);
    print_com(s);
    for (size_t i = 0; i < s->n; i++)
        if (cli_inner_fec_rate_only(s->jobs[i].c)) {
            putchar('\n');
            cli_print_inner_fec(s->jobs[i].c, "");
            break;
        }
    print_mc_limited(s);
    print_eyes(s);
    study_cluster(s);
    printf("\nwritten to %s/: reach_vs_rate.csv, study.json%s\n", s->out,
           eyes ? ", power_breakdown.csv, eye_*.dat, stateye_*.dat, bathtub_*.dat" : "");
    fflush(stdout);
    int rc = s->plots ? plot_all(s->out, s->jobs, s->n, eyes) : EXIT_OK;
    if (s->plots && rc == EXIT_OK)
        printf("plots: %s/reach_vs_rate.png, energy_vs_reach.png%s\n", s->out,
               eyes ? ", power_breakdown.png, eye_*.png, stateye_*.png, bathtub_*.png" : "");
    return rc;
}

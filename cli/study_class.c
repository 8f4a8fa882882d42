/*
 * The study's optical rows against the IEEE 802.3dj PMD classes (docs/study.md, "Against the PMD
 * classes"; docs/classes.md). For each selected optical architecture with one wavelength per fibre
 * (lpo, dsp-retimed, cpo; cpo-wdm's 8-line 400 GHz microring grid is the grid of no 802.3dj class)
 * and each 200G/lane class, when the study has the lane rate 212.5 Gb/s:
 *  - worst case: the class budget applied to the architecture's own link (sim/pmd_class.c through
 *    ls_run: each lane at its dispersion corner, fibre at IL_max + the penalty allocation, each
 *    lane's transmitter tuned to the class TDECQ at OMA_min, the receiver calibrated to SRS),
 *    every lane through the Monte Carlo: pass/fail at the class reach, the statistical margin (dB)
 *    and the limiting term (loss, mpi, tdecq, dispersion, receiver);
 *  - typical: the architecture's devices on the class's lane of largest |CD| at its centre
 *    wavelength, typical fibre (ls_class_resolve, class.budget = typical): the longest length
 *    (ls_reach: statistical search, checked by Monte Carlo) up to the longest class reach
 *    (study_class_cap_m), with the reach's limit named as a budget term.
 * dsp-retimed against a class is the class preset itself (the class presets are its module's
 * optical lane); lpo and cpo run as ARCH@CLASS (sim/config_load.c): their own link under the class's
 * keys. The main table's optical reaches stop at the same cap ("beyond class" past it).
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lanesim/run.h"
#include "run_out.h"
#include "study.h"

static const char *const CLASSES[] = { "200g-dr1", "200g-dr1-2", "800g-fr4", "800g-lr4" };
#define N_CLASS (sizeof CLASSES / sizeof CLASSES[0])
#define CLASS_RATE_GBPS 212.5

/* The key of a "section.key=value" assignment into key; returns the key's length in the assignment. */
size_t study_assign_key(const char *assignment, char *key, size_t cap)
{
    size_t k = strcspn(assignment, "=");
    snprintf(key, cap, "%.*s", (int)(k < cap ? k : cap - 1), assignment);
    return k;
}

/* The configuration of architecture a at a lane rate: the preset (a->preset, or preset when given), the
   architecture's keys, then the user's -s keys where the preset has them. */
ls_config *study_config(const arch *a, const char *preset, double rate, char **assign, int n_assign, const char *extra,
                        char *msg, size_t cap)
{
    ls_config *c = ls_config_create(preset ? preset : a->preset, msg, cap, NULL);
    char v[64];
    if (!c)
        return NULL;
    snprintf(v, sizeof v, "%.10g", rate);
    int bad = ls_config_set(c, "link.rate_gbps", v, msg, cap) != LS_OK;
    for (int i = 0; !bad && i < 2 && a->set[i]; i++)
        bad = ls_config_set_assignment(c, a->set[i], msg, cap) != LS_OK;
    for (int i = 0; !bad && i < n_assign; i++) {
        char key[128];
        study_assign_key(assign[i], key, sizeof key);
        if (ls_config_find(c, key))
            bad = ls_config_set_assignment(c, assign[i], msg, cap) != LS_OK;
    }
    if (!bad && extra)
        bad = ls_config_set_assignment(c, extra, msg, cap) != LS_OK;
    if (bad) {
        ls_config_destroy(c);
        return NULL;
    }
    return c;
}

/* The longest IM-DD SMF class reach: 10 km (800GBASE-LR4 at 200G/lane; 50GBASE-LR and 100GBASE-LR1 at
   50G and 100G/lane); the longer 200G/lane classes are coherent (800GBASE-ER1, 40 km), and the 40 km
   IM-DD classes of the slower lanes need APD receivers these presets do not model. */
double study_class_cap_m(double rate_gbps)
{
    (void)rate_gbps;
    return 10000.0;
}

/* An architecture the classes apply to: an optical link, one wavelength per fibre. */
static int applies(const arch *a)
{
    char msg[256];
    ls_config *c = ls_config_create(a->preset, msg, sizeof msg, NULL);
    const int ok = c && ls_config_find(c, "laser.power_dbm") && !ls_config_find(c, "wdm.channels");
    ls_config_destroy(c);
    return ok;
}

/* --classes LIST into use[]; 0, or EXIT_USAGE after printing why. */
static int parse_classes(const char *list, int *use)
{
    for (size_t k = 0; k < N_CLASS; k++)
        use[k] = !list;
    if (!list)
        return 0;
    char *copy = strdup(list), *save = NULL;
    int bad = !copy;
    for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && !bad; t = strtok_r(NULL, ",", &save)) {
        size_t k = 0;
        while (k < N_CLASS && strcmp(CLASSES[k], t))
            k++;
        if (k == N_CLASS) {
            cli_error("--classes %s: unknown class (200g-dr1, 200g-dr1-2, 800g-fr4, 800g-lr4, or none)", t);
            bad = 1;
        } else {
            use[k] = 1;
        }
    }
    free(copy);
    return bad ? EXIT_USAGE : 0;
}

int study_class_build(study *s, const arch *const *sel, size_t n_sel, char **assign, int n_assign)
{
    if (s->classes && !strcmp(s->classes, "none"))
        return CLI_CONTINUE;
    int use[N_CLASS];
    if (parse_classes(s->classes, use))
        return EXIT_USAGE;
    int rate = 0;
    for (unsigned r = 0; r < s->nr; r++)
        rate |= s->rates[r] == CLASS_RATE_GBPS;
    if (!rate)
        return CLI_CONTINUE;
    size_t n = 0;
    for (size_t a = 0; a < n_sel; a++)
        for (size_t k = 0; k < N_CLASS; k++)
            n += (size_t)(use[k] && applies(sel[a]));
    if (!n || !(s->cj = calloc(n, sizeof *s->cj))) {
        if (n)
            cli_error("out of memory");
        return n ? EXIT_RUNTIME : CLI_CONTINUE;
    }
    char spsset[32];
    snprintf(spsset, sizeof spsset, "link.sps=%s", s->sps);
    for (size_t a = 0; a < n_sel; a++) {
        if (!applies(sel[a]))
            continue;
        for (size_t k = 0; k < N_CLASS; k++) {
            if (!use[k])
                continue;
            class_job *j = &s->cj[s->n_cj++];
            j->a = sel[a];
            j->cls = CLASSES[k];
            if (!strcmp(sel[a]->preset, "dsp-retimed"))
                snprintf(j->preset, sizeof j->preset, "%s", CLASSES[k]);
            else
                snprintf(j->preset, sizeof j->preset, "%s@%s", sel[a]->preset, CLASSES[k]);
            static const char *const worst[] = { "class.budget=worst", "run.threads=1", NULL };
            static const char *const typ[] = { "class.budget=typical", "class.limiting=false", "run.threads=1", NULL };
            ls_config **cs[2] = { &j->worst, &j->typ };
            const char *const *keys[2] = { worst, typ };
            for (int m = 0; m < 2; m++) {
                /* ARCH@CLASS keeps the architecture's own samples per UI: lpo and cpo need 32 for the TDECQ
                   capture (at 16 their captured levels do not match the symbols) */
                const int own = strchr(j->preset, '@') != NULL;
                ls_config *c = *cs[m] = study_config(j->a, j->preset, CLASS_RATE_GBPS, assign, n_assign,
                                                     own ? NULL : spsset, j->msg, sizeof j->msg);
                for (const char *const *kv = keys[m]; c && *kv; kv++)
                    if (ls_config_set_assignment(c, *kv, j->msg, sizeof j->msg) != LS_OK)
                        c = NULL;
                if (!c) {
                    cli_error("%s against %s: %s", j->a->name, j->cls, j->msg);
                    return EXIT_USAGE;
                }
            }
        }
    }
    return CLI_CONTINUE;
}

/* The typical reach's limit as a budget term. */
static const char *term(const ls_reach_result *r)
{
    const char *w = r->limited_by ? r->limited_by : "unknown";
    if (r->above_range)
        return "beyond class";
    if (r->below_range)
        return "fails at the shortest length";
    if (!strcmp(w, "power budget"))
        return "loss";
    if (!strcmp(w, "isi"))
        return "tdecq"; /* the transmitter's and receiver's bandwidth, not the fibre's dispersion */
    return w;
}

static void run_class(void *ctx, size_t i)
{
    study *s = ctx;
    class_job *j = &s->cj[i];
    if ((j->st = ls_run(j->worst, NULL, NULL, &j->run, j->msg, sizeof j->msg)) != LS_OK)
        return;
    j->have_run = 1;
    ls_config *rc = NULL;
    if ((j->st = ls_class_resolve(j->typ, &rc, &j->tk, j->msg, sizeof j->msg)) != LS_OK)
        return;
    ls_reach_options ro = s->ro;
    ro.max_m = study_class_cap_m(CLASS_RATE_GBPS);
    j->st = ls_reach(rc, &ro, &j->reach, j->msg, sizeof j->msg);
    j->typ_limited = term(&j->reach);
    ls_config_destroy(rc);
}

static void progress(void *ctx, size_t done, size_t n)
{
    cli_bar_draw(&((study *)ctx)->bar, done, n);
}

int study_class_run(study *s, long threads)
{
    if (!s->n_cj)
        return CLI_CONTINUE;
    cli_parallel(s->n_cj, threads, run_class, progress, s);
    for (size_t i = 0; i < s->n_cj; i++)
        if (s->cj[i].st != LS_OK) {
            cli_error("%s against %s: %s", s->cj[i].a->name, s->cj[i].cls,
                      s->cj[i].msg[0] ? s->cj[i].msg : ls_strerror(s->cj[i].st));
            return EXIT_RUNTIME;
        }
    return CLI_CONTINUE;
}

/* "500 m", "2 km", ">10 km" */
static void fmt_m(char *b, size_t cap, double m, int above)
{
    if (m >= 1000)
        snprintf(b, cap, "%s%.3g km", above ? ">" : "", m / 1000);
    else
        snprintf(b, cap, "%s%.3g m", above ? ">" : "", m);
}

void study_class_print(const study *s)
{
    if (!s->n_cj)
        return;
    printf("\n802.3dj PMD classes at %g Gb/s (draft values, docs/classes.md). Worst case: every lane at its\n"
           "dispersion corner, IL_max + penalty allocation, TX at its TDECQ limit and OMA_min, RX calibrated to SRS;\n"
           "pass = Monte Carlo BER of the worst lane <= target at the class reach; margin: statistical, extra loss to\n"
           "the target. Typical: the architecture's devices on the class's lane of largest |CD|, typical fibre, longest\n"
           "length up to %g km (the longest class reach; \">\": beyond class):\n",
           CLASS_RATE_GBPS, study_class_cap_m(CLASS_RATE_GBPS) / 1000);
    printf("  %-12s %-11s %7s  %-5s %-26s %9s  %-11s %12s  %s\n", "architecture", "class", "reach", "", "worst case BER",
           "margin", "limited by", "typical", "limited by");
    int uncal = 0;
    for (size_t i = 0; i < s->n_cj; i++) {
        const class_job *j = &s->cj[i];
        const ls_class_result *k = &j->run.cls;
        char reach[32], typ[32], ber[40];
        fmt_m(reach, sizeof reach, k->reach_m, 0);
        if (j->reach.below_range)
            snprintf(typ, sizeof typ, "none");
        else
            fmt_m(typ, sizeof typ, j->reach.reach_m, j->reach.above_range);
        snprintf(ber, sizeof ber, "%.2e %s", k->ber, k->inner ? "(after inner)" : "(slicer)");
        /* "!": the receiver could not be calibrated to the class's SRS (docs/study.md) */
        const int nc = k->rx_cal && !k->rx_cal_ok;
        uncal |= nc;
        printf("  %-12s %-11s %7s  %-5s %-26s %+8.2f dB  %-11s %12s%s  %s\n", j->a->name, j->cls, reach,
               k->pass ? (nc ? "PASS!" : "PASS") : (nc ? "FAIL!" : "FAIL"), ber, k->margin_db, k->limited_by, typ,
               j->reach.check == LS_REACH_MC_LIMITED ? "*" : j->reach.check == LS_REACH_UNCONFIRMED ? "?" : " ",
               j->typ_limited);
    }
    if (uncal)
        printf("  !: the receiver could not be calibrated to the class's SRS (its statistical BER there is over the\n"
               "     target even with a noiseless TIA): the worst case ran with no TIA noise, a receiver that may be\n"
               "     better than one that just meets SRS; the verdict is not a compliance result (docs/study.md)\n");
}

int study_class_csv(const study *s)
{
    if (!s->n_cj)
        return 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/class_rows.csv", s->out);
    cli_outfile o = { 0 };
    if (cli_out_open(&o, path))
        return -1;
    fputs("architecture,class,class_name,rate_gbps,class_reach_m,pass,ber,ber_at,target_ber,margin_db,limited_by,"
          "tdecq_db,tx_noncompliant,rx_tia_noise_pa_rthz,typ_reach_m,typ_stat_reach_m,typ_check,typ_beyond_class,"
          "typ_limited_by,typ_lane_nm,typ_cd_ps_nm_at_reach,rx_cal_met\n",
          o.f);
    for (size_t i = 0; i < s->n_cj; i++) {
        const class_job *j = &s->cj[i];
        const ls_class_result *k = &j->run.cls;
        const unsigned w = j->tk.worst_lane;
        const double cd = j->tk.length_m > 0 ? j->tk.lane_cd_ps_nm[w] * j->reach.reach_m / j->tk.length_m : NAN;
        fprintf(o.f, "%s,%s,%s,%.10g,%.6g,%d,%.6e,%s,%.6g,%.4f,%s,%.4f,%d,%.4f,%.6g,%.6g,%s,%d,%s,%.6g,%.4f,%d\n",
                j->a->name, j->cls, k->name, CLASS_RATE_GBPS, k->reach_m, k->pass, k->ber, k->inner ? "inner" : "slicer",
                k->target_ber, k->margin_db, k->limited_by, k->tdecq_db, k->tx_noncompliant, k->tia_noise_pa_rthz,
                j->reach.reach_m, j->reach.stat_reach_m, ls_reach_check_name(j->reach.check), j->reach.above_range,
                j->typ_limited, j->tk.lane_wavelength_nm[w], cd, k->rx_cal ? k->rx_cal_ok : -1);
    }
    return cli_out_commit(&o) ? -1 : 0;
}

void study_class_json(cJSON *root, const study *s)
{
    cJSON *a = cJSON_AddArrayToObject(root, "classes");
    for (size_t i = 0; i < s->n_cj; i++) {
        const class_job *j = &s->cj[i];
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "architecture", j->a->name);
        cJSON_AddStringToObject(p, "class_preset", j->cls);
        cJSON_AddStringToObject(p, "preset", j->preset);
        cJSON_AddNumberToObject(p, "rate_gbps", CLASS_RATE_GBPS);
        run_class_json(p, &j->run.cls); /* "class": the worst-case verdict, as `lanesim run PRESET --json` */
        cJSON *t = cJSON_AddObjectToObject(p, "typical");
        cJSON_AddNumberToObject(t, "reach_m", j->reach.reach_m);
        cJSON_AddNumberToObject(t, "stat_reach_m", j->reach.stat_reach_m);
        cJSON_AddStringToObject(t, "check", ls_reach_check_name(j->reach.check));
        cJSON_AddBoolToObject(t, "beyond_class", j->reach.above_range);
        cJSON_AddBoolToObject(t, "below_range", j->reach.below_range);
        cJSON_AddNumberToObject(t, "max_m", study_class_cap_m(CLASS_RATE_GBPS));
        cJSON_AddStringToObject(t, "limited_by", j->typ_limited ? j->typ_limited : "");
        cJSON_AddNumberToObject(t, "lane_nm", j->tk.lane_wavelength_nm[j->tk.worst_lane]);
        cJSON_AddItemToArray(a, p);
    }
}

void study_class_free(study *s)
{
    for (size_t i = 0; i < s->n_cj; i++) {
        ls_config_destroy(s->cj[i].worst);
        ls_config_destroy(s->cj[i].typ);
        if (s->cj[i].have_run)
            ls_run_result_free(&s->cj[i].run);
    }
    free(s->cj);
    s->cj = NULL;
    s->n_cj = 0;
}

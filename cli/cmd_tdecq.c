/*
 * lanesim tdecq: TDECQ / TECQ of an optical transmitter (include/lanesim/tdecq.h, docs/tdecq.md).
 *   lanesim tdecq PRESET|FILE.ini [-s k=v] [--tp TP2|TP3]   the preset's own sample path, SSPRQ, the
 *       optical power at the modulator output (TP2: TECQ) or after the fibre (TP3: TDECQ)
 *   lanesim tdecq lpo|cpo [--tp module-in|host-rx-in]   EECQ: the same procedure on the differential
 *       voltage at the linear driver's input or at the host receiver's input (docs/lpo.md)
 *   lanesim tdecq --waveform FILE [--sps N] [--baud BD] [--pattern ssprq|prbs13q] [--pattern-offset K]
 *       a captured waveform: CSV "time,power" (s, W) or raw little-endian float32 power samples
 * Common: --class 100g|200g, --no-reference-filter, --taps N, --max-pre N, --dfe-max B, --target-ser X,
 * --sigma-s W, --seed S, --json FILE, --dump FILE (the equalized eye for 'lanesim plot tdecq').
 * Stages: parse (argv into opts), input (the waveform and its symbols), report (table, JSON, dump).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "cli.h"
#include "lanesim/link.h"
#include "lanesim/pam.h"
#include "lanesim/prbs.h"
#include "lanesim/ssprq.h"
#include "lanesim/tdecq.h"

#define MAX_ASSIGN 64

typedef struct {
    const char *input, *waveform, *json, *dump, *pattern;
    char *assign[MAX_ASSIGN];
    int n_assign, tp, no_filter, cls, n_taps, max_pre;
    unsigned sps;
    double baud, dfe_max, target_ser, sigma_s;
    unsigned long long seed, offset;
} opts;

typedef struct {
    float *p;
    uint8_t *lev;
    size_t n, n_sym;
    double baud;
    unsigned sps;
    char what[256];
} capture;

static int usage_err(const char *m, const char *a)
{
    cli_error("tdecq: %s%s%s (see 'lanesim tdecq --help')", m, a ? " " : "", a ? a : "");
    return EXIT_USAGE;
}

static void help(void)
{
    puts("usage: lanesim tdecq PRESET|FILE.ini [-s k=v ...] [--tp TP2|TP3|module-in|host-rx-in] [options]\n"
         "       lanesim tdecq --waveform FILE [--sps N] [--baud BD] [--pattern ssprq|prbs13q]\n"
         "                     [--pattern-offset K] [options]\n"
         "TDECQ (IEEE 802.3 cl. 121.8.5; 802.3dj 200G/lane reference equalizer) of an optical PAM4 signal.\n"
         "options: --class 100g|200g (5-tap FFE | 15-tap FFE + 1-tap DFE; default 200g)\n"
         "         --no-reference-filter  --taps N  --max-pre N  --dfe-max B  --target-ser X (4.8e-4)\n"
         "         --sigma-s W (scope noise)  --seed S  --json FILE  --dump FILE (eye for 'plot tdecq')\n"
         "A CSV waveform has 'time,power' rows (s, W; a header line is skipped); any other file is raw\n"
         "little-endian float32 power with --sps. Symbol k of the pattern (from --pattern-offset) starts\n"
         "near sample k*sps. See docs/tdecq.md.\n"
         "--tp module-in|host-rx-in: EECQ, the TDECQ procedure on the differential voltage at the linear\n"
         "driver's input or the host receiver's input of a linear module (lpo, cpo; docs/lpo.md).");
}

static int num_arg(const char *s, double *x)
{
    char *e;
    *x = strtod(s, &e);
    return *s && !*e && isfinite(*x) ? 0 : -1;
}

static int parse_value(opts *o, const char *k, const char *v)
{
    double x;
    if (!strcmp(k, "--tp")) {
        o->tp = !strcmp(v, "TP2") || !strcmp(v, "tp2")   ? 2
                : !strcmp(v, "TP3") || !strcmp(v, "tp3") ? 3
                : !strcmp(v, "module-in")               ? LS_LINK_MODULE_IN
                : !strcmp(v, "host-rx-in")              ? LS_LINK_HOST_RX_IN
                                                        : 0;
        return o->tp ? 0 : usage_err("--tp must be TP2, TP3, module-in or host-rx-in, not", v);
    }
    if (!strcmp(k, "--class")) {
        o->cls = !strcmp(v, "100g") ? LS_TDECQ_100G : !strcmp(v, "200g") ? LS_TDECQ_200G : -1;
        return o->cls >= 0 ? 0 : usage_err("--class must be 100g or 200g, not", v);
    }
    if (!strcmp(k, "--pattern")) {
        o->pattern = v;
        return !strcmp(v, "ssprq") || !strcmp(v, "prbs13q") ? 0 : usage_err("--pattern must be ssprq or prbs13q, not", v);
    }
    const char **str[] = { &o->waveform, &o->json, &o->dump };
    const char *sk[] = { "--waveform", "--json", "--dump" };
    for (int i = 0; i < 3; i++)
        if (!strcmp(k, sk[i])) {
            *str[i] = v;
            return 0;
        }
    if (num_arg(v, &x))
        return usage_err(k, "needs a number");
    if (!strcmp(k, "--sps") && x >= 4 && x <= 1024 && x == floor(x)) o->sps = (unsigned)x;
    else if (!strcmp(k, "--baud") && x > 0) o->baud = x;
    else if (!strcmp(k, "--taps") && x >= 1 && x <= LS_TDECQ_MAX_TAPS && x == floor(x)) o->n_taps = (int)x;
    else if (!strcmp(k, "--max-pre") && x >= 0 && x < LS_TDECQ_MAX_TAPS && x == floor(x)) o->max_pre = (int)x;
    else if (!strcmp(k, "--dfe-max") && x >= 0 && x <= 1) o->dfe_max = x;
    else if (!strcmp(k, "--target-ser") && x > 0 && x < 0.1) o->target_ser = x;
    else if (!strcmp(k, "--sigma-s") && x >= 0) o->sigma_s = x;
    else if (!strcmp(k, "--seed") && x >= 0 && x == floor(x)) o->seed = (unsigned long long)x;
    else if (!strcmp(k, "--pattern-offset") && x >= 0 && x == floor(x)) o->offset = (unsigned long long)x;
    else return usage_err(k, "value out of range or unknown option");
    return 0;
}

static int parse(int argc, char **argv, opts *o)
{
    *o = (opts){ .tp = 3, .cls = LS_TDECQ_200G, .n_taps = -1, .max_pre = -1, .dfe_max = -1, .target_ser = 4.8e-4,
                 .baud = 0, .pattern = "ssprq", .seed = 1 };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            help();
            return EXIT_OK;
        }
        if (!strcmp(a, "--no-reference-filter")) {
            o->no_filter = 1;
        } else if (!strcmp(a, "-s")) {
            if (++i >= argc || o->n_assign >= MAX_ASSIGN)
                return usage_err("-s needs section.key=value", NULL);
            o->assign[o->n_assign++] = argv[i];
        } else if (a[0] == '-' && a[1] == '-') {
            if (i + 1 >= argc)
                return usage_err(a, "needs a value");
            int rc = parse_value(o, a, argv[++i]);
            if (rc != 0)
                return rc;
        } else if (!o->input) {
            o->input = a;
        } else {
            return usage_err("unexpected argument", a);
        }
    }
    if (!o->input == !o->waveform)
        return usage_err("give a PRESET|FILE.ini or --waveform FILE (one of them)", NULL);
    if (o->waveform && o->n_assign)
        return usage_err("-s applies to a preset, not to --waveform", NULL);
    return CLI_CONTINUE;
}

/* The pattern's level indices from symbol offset on. */
static int pattern_levels(const char *pattern, unsigned long long offset, uint8_t *lev, size_t n)
{
    if (!strcmp(pattern, "ssprq"))
        return ls_ssprq_levels(lev, n, offset) == LS_OK ? 0 : -1;
    ls_prbs_config pc;
    ls_prbs_config_init(&pc);
    pc.type = LS_PRBS13Q;
    ls_prbs *p = ls_prbs_create(&pc, NULL);
    uint8_t b[2];
    int rc = p && ls_prbs_advance(p, (2 * offset) % ls_prbs_period(LS_PRBS13Q)) == LS_OK ? 0 : -1;
    for (size_t k = 0; !rc && k < n; k++) {
        rc = ls_prbs_bits(p, b, 2) == LS_OK ? 0 : -1;
        lev[k] = ls_pam_gray_to_level((uint8_t)(b[0] << 1 | b[1]));
    }
    ls_prbs_destroy(p);
    return rc;
}

/* CSV time,power: the samples and their spacing (uniform within 1 %). */
static int read_csv(const char *path, FILE *f, capture *cp, double *dt)
{
    char line[512];
    size_t cap = 0;
    unsigned ln = 0;
    double t_first = 0, t_prev = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        double t, p;
        char *e;
        if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
            continue;
        t = strtod(line, &e);
        if (e == line || (*e != ',' && *e != ' ' && *e != '\t')) {
            if (!cp->n && ln <= 2)
                continue; /* a header line */
            return cli_error("%s:%u: expected 'time,power'", path, ln), EXIT_USAGE;
        }
        char *s = e + strspn(e, ", \t");
        p = strtod(s, &e);
        if (e == s || !isfinite(t) || !isfinite(p) || e[strspn(e, " \t\r\n")] != '\0')
            return cli_error("%s:%u: expected 'time,power' (two finite numbers)", path, ln), EXIT_USAGE;
        if (cp->n == cap) {
            cap = cap ? 2 * cap : 1 << 16;
            float *q = realloc(cp->p, cap * sizeof *q);
            if (!q)
                return cli_error("%s: out of memory", path), EXIT_RUNTIME;
            cp->p = q;
        }
        if (cp->n == 0)
            t_first = t;
        else if (cp->n == 1)
            *dt = t - t_first;
        else if (!(fabs(t - t_prev - *dt) <= 0.01 * fabs(*dt)))
            return cli_error("%s:%u: time step %g s, not the uniform %g s of the first rows", path, ln, t - t_prev,
                             *dt), EXIT_USAGE;
        t_prev = t;
        cp->p[cp->n++] = (float)p;
    }
    if (cp->n < 2 || !(*dt > 0))
        return cli_error("%s: fewer than 2 rows, or time not increasing", path), EXIT_USAGE;
    return CLI_CONTINUE;
}

static int read_raw(const char *path, FILE *f, capture *cp)
{
    if (fseek(f, 0, SEEK_END) || ftell(f) <= 0 || ftell(f) % 4)
        return cli_error("%s: a raw float32 file must hold a whole number of 4-byte samples", path), EXIT_USAGE;
    cp->n = (size_t)ftell(f) / 4;
    rewind(f);
    if (!(cp->p = malloc(cp->n * sizeof *cp->p)) || fread(cp->p, 4, cp->n, f) != cp->n)
        return cli_error("%s: cannot read %zu samples", path, cp->n), EXIT_USAGE;
    for (size_t i = 0; i < cp->n; i++)
        if (!isfinite(cp->p[i]))
            return cli_error("%s: sample %zu is not finite", path, i), EXIT_USAGE;
    return CLI_CONTINUE;
}

static int load_waveform(const opts *o, capture *cp)
{
    const char *w = o->waveform, *dot = strrchr(w, '.');
    const int csv = dot && !strcmp(dot, ".csv");
    FILE *f = fopen(w, csv ? "r" : "rb");
    if (!f)
        return cli_error("%s: cannot open", w), EXIT_USAGE;
    double dt = 0;
    int rc = csv ? read_csv(w, f, cp, &dt) : read_raw(w, f, cp);
    fclose(f);
    if (rc != CLI_CONTINUE)
        return rc;
    cp->baud = o->baud > 0 ? o->baud : (csv && o->sps ? 1.0 / (o->sps * dt) : 106.25e9);
    cp->sps = o->sps ? o->sps : (csv ? (unsigned)lround(1.0 / (cp->baud * dt)) : 0);
    if (!cp->sps)
        return usage_err("a raw waveform needs --sps", NULL);
    if (csv && !(fabs(cp->sps * cp->baud * dt - 1.0) < 1e-3))
        return cli_error("%s: time step %g s is not 1/%u of a UI at %g Bd (give --baud or --sps)", w, dt, cp->sps,
                         cp->baud), EXIT_USAGE;
    if (cp->sps < 4 || cp->sps > 1024)
        return cli_error("%s: %u samples per UI (4..1024 needed)", w, cp->sps), EXIT_USAGE;
    cp->n_sym = cp->n / cp->sps;
    if (!(cp->lev = malloc(cp->n_sym ? cp->n_sym : 1)) || pattern_levels(o->pattern, o->offset, cp->lev, cp->n_sym))
        return cli_error("tdecq: cannot generate the pattern"), EXIT_RUNTIME;
    snprintf(cp->what, sizeof cp->what, "%s (%s, %u samples/UI, %.6g GBd)", w, o->pattern, cp->sps, cp->baud * 1e-9);
    return CLI_CONTINUE;
}

static const char *tp_name(int tp)
{
    return tp == 2 ? "TP2" : tp == 3 ? "TP3" : tp == LS_LINK_MODULE_IN ? "module-in" : "host-rx-in";
}

/* The preset's optical power at TP2 or TP3 (or its voltage at an electrical point), running SSPRQ. */
static int load_preset(const opts *o, capture *cp, ls_config **cfg_out)
{
    char msg[512] = "";
    ls_config *c = cli_load_config(o->input, (char **)o->assign, o->n_assign);
    if (!c)
        return EXIT_USAGE;
    *cfg_out = c;
    ls_status st = ls_config_set(c, "tx.pattern", "ssprq", msg, sizeof msg);
    if (st != LS_OK)
        return cli_fail(c, st, msg);
    ls_link *l = ls_link_create(c, 4096, msg, sizeof msg, &st);
    if (!l)
        return cli_fail(c, st, msg);
    const ls_link_info *in = ls_link_get_info(l);
    cp->baud = in->baud;
    cp->sps = in->sps;
    cp->n_sym = LS_SSPRQ_PERIOD + 256;
    cp->n = cp->n_sym * cp->sps;
    cp->p = malloc(cp->n * sizeof *cp->p);
    cp->lev = malloc(cp->n_sym);
    if (!cp->p || !cp->lev)
        st = LS_ENOMEM;
    else if (o->tp >= LS_LINK_MODULE_IN)
        st = ls_link_capture_electrical(l, (ls_link_tp)o->tp, o->seed, cp->n_sym, cp->p, cp->lev, msg, sizeof msg);
    else
        st = ls_link_capture_optical(l, o->tp == 2 ? LS_LINK_TP2 : LS_LINK_TP3, o->seed, cp->n_sym, cp->p, cp->lev,
                                     msg, sizeof msg);
    ls_link_destroy(l);
    if (st != LS_OK)
        return cli_fail(c, st, msg[0] ? msg : NULL);
    snprintf(cp->what, sizeof cp->what, "%s at %s (SSPRQ, %u samples/UI, %.6g GBd)", ls_config_preset(c),
             tp_name(o->tp), cp->sps, cp->baud * 1e-9);
    return CLI_CONTINUE;
}

static double dbm(double w)
{
    return w > 0 ? 10.0 * log10(w * 1e3) : -INFINITY;
}

static void print_table(const opts *o, const capture *cp, const ls_tdecq_config *tc, const ls_tdecq_results *r)
{
    const char *name = o->waveform                     ? "TDECQ"
                       : o->tp == 2                    ? "TECQ (TDECQ at TP2)"
                       : o->tp == 3                    ? "TDECQ (TP3)"
                       : o->tp == LS_LINK_MODULE_IN    ? "EECQ (module input)"
                                                       : "EECQ (host RX input)";
    const int volt = !o->waveform && o->tp >= LS_LINK_MODULE_IN;
    printf("%s\n", cp->what);
    printf("reference receiver  %s\n", tc->ref_filter ? "BT4 at f_b/2" : "bypassed");
    printf("equalizer           %u-tap FFE (%u pre), DFE b %.4f (max %.2f)\n", r->n_taps, r->n_pre, r->dfe, tc->dfe_max);
    printf("%-19s %.3f dB\n", name, r->tdecq_db);
    printf("TDECQ - 10log10Ceq  %.3f dB   (C_eq %.4f)\n", r->tdecq_minus_ceq_db, r->ceq);
    if (volt)
        printf("VMA_outer           %.2f mV   (mean %.2f mV)\n", 1e3 * r->oma_outer_w, 1e3 * r->p_ave_w);
    else
        printf("OMA_outer           %.3f dBm  (P_ave %.3f dBm)\n", dbm(r->oma_outer_w), dbm(r->p_ave_w));
    if (!volt)
        printf("ER                  %.3f dB\n", r->er_db);
    printf("RLM                 %.4f\n", r->rlm);
    printf("overshoot           %.1f %%   undershoot %.1f %%\n", 100 * r->overshoot, 100 * r->undershoot);
    printf("SER at sigma_G      %.3g (left %.3g, right %.3g; target %.3g, Q_t %.4f)\n", r->ser, r->ser_left,
           r->ser_right, tc->target_ser, r->q_t);
    printf("FFE taps           ");
    for (unsigned i = 0; i < r->n_taps; i++)
        printf(" %.4f", r->taps[i]);
    printf("\n");
}

static cJSON *tdecq_json(const opts *o, const capture *cp, const ls_tdecq_config *tc, const ls_tdecq_results *r)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "source", cp->what);
    if (o->waveform)
        cJSON_AddNullToObject(j, "tp");
    else
        cJSON_AddStringToObject(j, "tp", tp_name(o->tp));
    cJSON_AddStringToObject(j, "class", tc->dfe_max > 0 || tc->n_taps > 5 ? "200g" : "100g");
    cJSON_AddBoolToObject(j, "reference_filter", tc->ref_filter);
    cJSON_AddNumberToObject(j, "baud", cp->baud);
    cJSON_AddNumberToObject(j, "sps", cp->sps);
    double v[] = { r->tdecq_db, r->tdecq_minus_ceq_db, r->ceq, dbm(r->oma_outer_w), r->oma_outer_w, dbm(r->p_ave_w),
                   r->er_db, r->rlm, r->overshoot, r->undershoot, r->dfe, r->ser, r->ser_left, r->ser_right,
                   r->sigma_g, r->q_t, tc->target_ser };
    const char *k[] = { "tdecq_db", "tdecq_minus_ceq_db", "ceq", "oma_outer_dbm", "oma_outer_w", "p_ave_dbm",
                        "er_db", "rlm", "overshoot", "undershoot", "dfe", "ser", "ser_left", "ser_right",
                        "sigma_g_w", "q_t", "target_ser" };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        if (isfinite(v[i]))
            cJSON_AddNumberToObject(j, k[i], v[i]);
        else
            cJSON_AddStringToObject(j, k[i], isnan(v[i]) ? "nan" : v[i] > 0 ? "inf" : "-inf");
    }
    if (!o->waveform && o->tp >= LS_LINK_MODULE_IN) { /* an electrical point: levels in V, no optical power */
        static const char *const opt[] = { "oma_outer_dbm", "oma_outer_w", "p_ave_dbm", "er_db", "sigma_g_w" };
        for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++)
            cJSON_DeleteItemFromObject(j, opt[i]);
        cJSON_AddNumberToObject(j, "vma_outer_v", r->oma_outer_w);
        cJSON_AddNumberToObject(j, "sigma_g_v", r->sigma_g);
        cJSON_AddStringToObject(j, "unit", "V");
    }
    cJSON_AddItemToObject(j, "ffe_taps", cJSON_CreateDoubleArray(r->taps, (int)r->n_taps));
    cJSON_AddNumberToObject(j, "ffe_pre", r->n_pre);
    cJSON_AddItemToObject(j, "levels_w", cJSON_CreateDoubleArray(r->levels_w, 4));
    cJSON_AddItemToObject(j, "thresholds_w", cJSON_CreateDoubleArray(r->thresholds_w, 3));
    return j;
}

/* The equalized eye: '# ' header (thresholds, windows) and rows 't_ui power_w'. */
static int write_dump(const opts *o, const capture *cp, const ls_tdecq_config *tc, const ls_tdecq_results *r)
{
    const size_t n_ui = 2000, cap = n_ui * 2 * cp->sps;
    float *t = malloc(cap * sizeof *t), *y = malloc(cap * sizeof *y);
    size_t m = 0;
    ls_status st = t && y ? ls_tdecq_eye(tc, cp->p, cp->n, cp->lev, cp->n_sym, r, n_ui, t, y, cap, &m) : LS_ENOMEM;
    cli_outfile f;
    int rc = st != LS_OK ? (cli_error("tdecq: eye: %s", ls_strerror(st)), EXIT_RUNTIME)
                         : cli_out_open(&f, o->dump) ? EXIT_USAGE : CLI_CONTINUE;
    if (rc == CLI_CONTINUE) {
        fprintf(f.f, "# lanesim tdecq eye: %s\n# tdecq_db %.4f\n", cp->what, r->tdecq_db);
        fprintf(f.f, "# thresholds_w %.9g %.9g %.9g\n# levels_w %.9g %.9g %.9g %.9g\n", r->thresholds_w[0],
                r->thresholds_w[1], r->thresholds_w[2], r->levels_w[0], r->levels_w[1], r->levels_w[2], r->levels_w[3]);
        fprintf(f.f, "# windows_ui %.4f %.4f %.4f\n# t_ui power_w\n", tc->hist_left_ui, tc->hist_right_ui,
                tc->hist_width_ui);
        for (size_t i = 0; i < m; i++)
            fprintf(f.f, "%.5f %.6g\n", t[i], y[i]);
        rc = cli_out_commit(&f) ? EXIT_RUNTIME : CLI_CONTINUE;
    }
    free(t);
    free(y);
    return rc;
}

static void measurement_config(const opts *o, const capture *cp, ls_tdecq_config *tc)
{
    ls_tdecq_config_init(tc, (ls_tdecq_class)o->cls, cp->baud, cp->sps);
    tc->ref_filter = !o->no_filter;
    if (o->n_taps > 0)
        tc->n_taps = (unsigned)o->n_taps;
    if (o->max_pre >= 0)
        tc->max_pre = (unsigned)o->max_pre;
    if (tc->max_pre >= tc->n_taps)
        tc->max_pre = tc->n_taps - 1;
    if (tc->min_pre > tc->max_pre)
        tc->min_pre = tc->max_pre;
    if (tc->skip_ui < tc->n_taps)
        tc->skip_ui = tc->n_taps;
    if (o->dfe_max >= 0)
        tc->dfe_max = o->dfe_max;
    tc->target_ser = o->target_ser;
    tc->sigma_s = o->sigma_s;
    if (!o->waveform && o->tp >= LS_LINK_MODULE_IN)
        tc->max_delay_ui = 512; /* each host channel's propagation delay is about 70 UI at 106.25 GBd (docs/lpo.md) */
}

int cmd_tdecq(int argc, char **argv)
{
    opts o;
    int rc = parse(argc, argv, &o);
    if (rc != CLI_CONTINUE)
        return rc;
    capture cp = { 0 };
    ls_config *c = NULL;
    cli_outfile oj;
    if (o.json && cli_out_open(&oj, o.json))
        return EXIT_USAGE;
    if ((rc = o.waveform ? load_waveform(&o, &cp) : load_preset(&o, &cp, &c)) == CLI_CONTINUE) {
        ls_tdecq_config tc;
        ls_tdecq_results r;
        char msg[512] = "";
        measurement_config(&o, &cp, &tc);
        ls_status st = ls_tdecq_measure(&tc, cp.p, cp.n, cp.lev, cp.n_sym, &r, msg, sizeof msg);
        if (st != LS_OK) {
            cli_error("%s%s", o.waveform ? o.waveform : "", msg[0] ? msg : ls_strerror(st));
            rc = cli_exit_status(st);
        } else {
            print_table(&o, &cp, &tc, &r);
            rc = o.dump ? write_dump(&o, &cp, &tc, &r) : CLI_CONTINUE;
            if (rc == CLI_CONTINUE && o.json && cli_out_json(&oj, tdecq_json(&o, &cp, &tc, &r)))
                rc = EXIT_RUNTIME;
            if (rc == CLI_CONTINUE)
                rc = EXIT_OK;
        }
    }
    if (rc != EXIT_OK && o.json)
        cli_out_abort(&oj);
    free(cp.p);
    free(cp.lev);
    ls_config_destroy(c);
    return rc;
}

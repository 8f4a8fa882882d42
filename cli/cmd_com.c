/**
 * @file cmd_com.c
 * `lanesim com`: IEEE 802.3 COM and ERL of a Touchstone channel (docs/com.md). Configurations are
 * named (the CSVs shipped in channels/copper/com/, found at run time: $LANESIM_COM_DIR, then
 * <binary>/../share/lanesim/com, then the source tree's folder) or given as a CSV file.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "lanesim/channel.h"
#include "lanesim/touchstone.h"
#include "lanesim/com.h"

#define MAX_AGG 32

typedef struct {
    const char *thru, *config, *json, *csv, *export_s4p, *pulse;
    const char *fext[MAX_AGG], *next[MAX_AGG];
    size_t n_fext, n_next, n_set;
    const char *set[64];
    int list;
    ls_config *preset;        /* THRU names a preset or INI file: its analytic channel (ls_com_preset) */
    char label[256];          /* what the report names: the file, or the preset and its length */
} com_opts;

static void usage(FILE *f)
{
    fputs("usage: lanesim com THRU.s4p --config NAME|FILE.csv|FILE.xlsx [--fext F.s4p]... [--next F.s4p]...\n"
          "                   [-s KEYWORD=VALUE]... [--json F] [--csv F] [--pulse F]\n"
          "       lanesim com PRESET|FILE.ini [--config NAME|FILE] [-s section.key=VALUE]... [-s KEYWORD=VALUE]...\n"
          "                   [--export-s4p F.s4p] [--json F] [--csv F] [--pulse F]\n"
          "       lanesim com --list-configs\n"
          "IEEE 802.3 Annex 93A channel operating margin and effective return loss (docs/com.md).\n"
          "PRESET: the preset's analytic channel (board and cable, without its packages: COM adds its own), its\n"
          "crosstalk aggressors (xtalk.*), and by default the configuration matching its symbol rate\n"
          "(<= 75 GBd: " CLI_COM_CONFIG_CK ", above: " CLI_COM_CONFIG_DJ "). -s assigns a preset key (section.key) or a COM keyword.\n"
          "--export-s4p writes the preset's THRU as a 4-port Touchstone file (Port Order [1 3 2 4]).\n"
          "--pulse writes each package case's equalized pulse response (V; time 0 at its sampling point) as CSV.\n"
          "Exit status 0 whether the channel passes or not; 2 for bad input.\n", f);
}

/* the folder of the shipped configurations */
static int config_dir(char *out, size_t cap)
{
    const char *env = getenv("LANESIM_COM_DIR");
    if (env && *env && access(env, R_OK) == 0) { snprintf(out, cap, "%s", env); return 0; }
    char exe[2048];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *s = strrchr(exe, '/');
        if (s) {
            *s = 0;
            snprintf(out, cap, "%s/../share/lanesim/com", exe);
            if (access(out, R_OK) == 0) return 0;
        }
    }
    snprintf(out, cap, "%s", LS_COM_SOURCE_DIR);
    return access(out, R_OK) == 0 ? 0 : -1;
}

static int list_configs(void)
{
    char dir[4096];
    if (config_dir(dir, sizeof dir)) { fprintf(stderr, "lanesim com: no configuration folder found (set LANESIM_COM_DIR)\n"); return EXIT_RUNTIME; }
    struct dirent **ent;
    int n = scandir(dir, &ent, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        size_t l = strlen(ent[i]->d_name);
        if (l > 4 && !strcmp(ent[i]->d_name + l - 4, ".csv")) printf("%.*s\n", (int)(l - 4), ent[i]->d_name);
        free(ent[i]);
    }
    if (n > 0) free(ent);
    printf("(from %s)\n", dir);
    return EXIT_OK;
}

/* 1 when the name is a Touchstone file (.sNp, optionally .gz) */
static int is_touchstone(const char *p)
{
    return ls_touchstone_ports_from_name(p) > 0;
}

/* A THRU that is not a Touchstone file names a preset or INI file: load it with the -s assignments that
   are its keys (section.key); the others stay COM keywords. 0, or the exit status. */
static int preset_mode(com_opts *o)
{
    if (is_touchstone(o->thru)) {
        if (!o->config) { fprintf(stderr, "lanesim com: --config is required with a Touchstone THRU\n"); return EXIT_USAGE; }
        if (o->export_s4p) { fprintf(stderr, "lanesim com: --export-s4p needs a PRESET\n"); return EXIT_USAGE; }
        snprintf(o->label, sizeof o->label, "%s", o->thru);
        return 0;
    }
    if (o->n_fext || o->n_next) { fprintf(stderr, "lanesim com: --fext/--next go with a THRU file; a preset's aggressors are its xtalk.* keys\n"); return EXIT_USAGE; }
    char *mine[64];
    int n = 0;
    size_t keep = 0;
    char msg[512] = "";
    ls_status st;
    ls_config *c = ls_config_load(o->thru, msg, sizeof msg, &st);
    if (!c) { fprintf(stderr, "lanesim com: %s (not a Touchstone .sNp file either)\n", msg); return cli_exit_status(st); }
    for (size_t i = 0; i < o->n_set; i++) {
        const char *eq = strchr(o->set[i], '=');
        char key[128];
        snprintf(key, sizeof key, "%.*s", eq ? (int)(eq - o->set[i]) : 0, o->set[i]);
        if (eq && strchr(key, '.') && ls_config_find(c, key)) mine[n++] = (char *)o->set[i];
        else o->set[keep++] = o->set[i];
    }
    o->n_set = keep;
    ls_config_destroy(c);
    if (!(o->preset = cli_load_config(o->thru, mine, n))) return EXIT_USAGE;
    if (ls_config_find(o->preset, "link.length_m"))
        snprintf(o->label, sizeof o->label, "preset %s, link.length_m = %g m", ls_config_preset(o->preset), ls_config_real(o->preset, "link.length_m"));
    else
        snprintf(o->label, sizeof o->label, "preset %s", ls_config_preset(o->preset));
    if (!o->config) o->config = cli_com_default_config(o->preset);
    return 0;
}

const char *cli_com_default_config(const ls_config *c)
{
    const char *m = ls_config_find(c, "link.modulation") ? ls_config_str(c, "link.modulation") : "pam4";
    double bits = !strcmp(m, "pam2") ? 1 : !strcmp(m, "pam8") ? 3 : 2;
    double baud_g = ls_config_find(c, "link.rate_gbps") ? ls_config_real(c, "link.rate_gbps") / bits : 106.25;
    return baud_g <= 75.0 ? CLI_COM_CONFIG_CK : CLI_COM_CONFIG_DJ;
}

static int parse(int argc, char **argv, com_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); return -1; }
        else if (!strcmp(a, "--list-configs")) o->list = 1;
        else if (!strcmp(a, "--config") && more) o->config = argv[++i];
        else if (!strcmp(a, "--json") && more) o->json = argv[++i];
        else if (!strcmp(a, "--csv") && more) o->csv = argv[++i];
        else if (!strcmp(a, "--pulse") && more) o->pulse = argv[++i];
        else if (!strcmp(a, "--export-s4p") && more) o->export_s4p = argv[++i];
        else if (!strcmp(a, "--fext") && more && o->n_fext < MAX_AGG) o->fext[o->n_fext++] = argv[++i];
        else if (!strcmp(a, "--next") && more && o->n_next < MAX_AGG) o->next[o->n_next++] = argv[++i];
        else if (!strcmp(a, "-s") && more && o->n_set < 64) o->set[o->n_set++] = argv[++i];
        else if (a[0] != '-' && !o->thru) o->thru = a;
        else { fprintf(stderr, "lanesim com: bad argument '%s'\n", a); usage(stderr); return EXIT_USAGE; }
    }
    if (!o->list && !o->thru) { fprintf(stderr, "lanesim com: a THRU file or a PRESET is required\n"); usage(stderr); return EXIT_USAGE; }
    return o->list ? 0 : preset_mode(o);
}

ls_com_config *cli_com_config(const char *name, const char *const *set, size_t n_set, int *rc)
{
    char path[4200], msg[512] = "";
    ls_status st;
    size_t l = strlen(name);
    int xlsx = l > 5 && !strcasecmp(name + l - 5, ".xlsx");
    if (strchr(name, '/') || xlsx || (l > 4 && !strcasecmp(name + l - 4, ".csv"))) {
        snprintf(path, sizeof path, "%s", name);
    } else {
        char dir[4096];
        if (config_dir(dir, sizeof dir)) { fprintf(stderr, "lanesim com: no configuration folder found\n"); *rc = EXIT_RUNTIME; return NULL; }
        snprintf(path, sizeof path, "%s/%s.csv", dir, name);
        if (access(path, R_OK)) { fprintf(stderr, "lanesim com: unknown configuration '%s' (see --list-configs)\n", name); *rc = EXIT_USAGE; return NULL; }
    }
    ls_com_config *c = (xlsx ? ls_com_config_read_xlsx : ls_com_config_read)(path, msg, sizeof msg, &st);
    if (!c) { fprintf(stderr, "lanesim com: %s\n", msg); *rc = cli_exit_status(st); return NULL; }
    for (size_t i = 0; i < n_set; i++) {
        const char *eq = strchr(set[i], '=');
        char key[128];
        if (!eq || eq == set[i] || (size_t)(eq - set[i]) >= sizeof key) { fprintf(stderr, "lanesim com: -s '%s': expected KEYWORD=VALUE\n", set[i]); *rc = EXIT_USAGE; ls_com_config_destroy(c); return NULL; }
        snprintf(key, sizeof key, "%.*s", (int)(eq - set[i]), set[i]);
        if (ls_com_config_set(c, key, eq + 1, msg, sizeof msg)) { fprintf(stderr, "lanesim com: %s\n", msg); *rc = EXIT_USAGE; ls_com_config_destroy(c); return NULL; }
    }
    return c;
}

static cJSON *num_array(const double *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t k = 0; k < n; k++) cJSON_AddItemToArray(a, cJSON_CreateNumber(v[k]));
    return a;
}

static cJSON *to_json(const com_opts *o, const ls_com_result *r)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "config", o->config);
    cJSON_AddStringToObject(j, "thru", o->thru);
    if (o->preset) {
        cJSON_AddStringToObject(j, "preset", ls_config_preset(o->preset));
        if (ls_config_find(o->preset, "link.length_m")) cJSON_AddNumberToObject(j, "length_m", ls_config_real(o->preset, "link.length_m"));
    }
    if (isfinite(r->com_db)) cJSON_AddNumberToObject(j, "com_db", r->com_db); else cJSON_AddNullToObject(j, "com_db");
    cJSON_AddBoolToObject(j, "pass", r->pass);
    cJSON_AddNumberToObject(j, "com_threshold_db", r->com_threshold_db);
    if (isfinite(r->erl_db)) cJSON_AddNumberToObject(j, "erl_db", r->erl_db); else cJSON_AddNullToObject(j, "erl_db");
    cJSON_AddNumberToObject(j, "erl_threshold_db", r->erl_threshold_db);
    if (isfinite(r->erl_db)) {
        cJSON_AddItemToObject(j, "erl_tfx_s", cJSON_CreateDoubleArray(r->erl_tfx_s, 2));
        cJSON_AddNumberToObject(j, "erl_n_ui", r->erl_n_ui);
    }
    cJSON *w = cJSON_AddArrayToObject(j, "warnings");
    for (size_t k = 0; k < r->n_warnings; k++) cJSON_AddItemToArray(w, cJSON_CreateString(r->warnings[k]));
    cJSON *cs = cJSON_AddArrayToObject(j, "cases");
    for (size_t k = 0; k < r->n_cases; k++) {
        const ls_com_case *c = &r->cases[k];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "package_case", c->package_case);
        cJSON_AddNumberToObject(e, "com_db", c->com_db);
        cJSON_AddNumberToObject(e, "a_s_v", c->a_s_v);
        cJSON_AddNumberToObject(e, "a_ni_v", c->a_ni_v);
        cJSON_AddNumberToObject(e, "fom_db", c->fom_db);
        cJSON_AddNumberToObject(e, "g_dc_db", c->g_dc_db);
        cJSON_AddNumberToObject(e, "g_dc2_db", c->g_dc2_db);
        cJSON_AddItemToObject(e, "tx_ffe", num_array(c->tx_ffe, c->n_tx_ffe));
        cJSON_AddItemToObject(e, "rx_ffe", num_array(c->rx_ffe, c->n_rx_ffe));
        cJSON_AddItemToObject(e, "dfe", num_array(c->dfe, c->n_dfe));
        cJSON_AddNumberToObject(e, "sigma_isi_v", c->sigma_isi_v);
        cJSON_AddNumberToObject(e, "sigma_n_v", c->sigma_n_v);
        cJSON_AddNumberToObject(e, "sigma_tx_v", c->sigma_tx_v);
        cJSON_AddNumberToObject(e, "sigma_j_v", c->sigma_j_v);
        cJSON_AddNumberToObject(e, "sigma_rj_v", c->sigma_rj_v);
        cJSON_AddNumberToObject(e, "sigma_xt_v", c->sigma_xt_v);
        if (!isnan(c->vec_db)) { /* C2M eye (120G.3.1); VEC null when the eye is closed */
            if (isfinite(c->vec_db)) cJSON_AddNumberToObject(e, "vec_db", c->vec_db); else cJSON_AddNullToObject(e, "vec_db");
            cJSON_AddNumberToObject(e, "eh_v", c->eh_v);
        }
        cJSON_AddNumberToObject(e, "evaluations", (double)c->evaluations);
        cJSON_AddStringToObject(e, "search", c->search_local ? "local" : "complete");
        if (!isnan(c->fom_bound_db)) { /* FOM_bound = 1: the proven upper bound of the configuration's best FOM */
            if (isfinite(c->fom_bound_db)) cJSON_AddNumberToObject(e, "fom_bound_db", c->fom_bound_db);
            else cJSON_AddNullToObject(e, "fom_bound_db");
        }
        cJSON_AddItemToArray(cs, e);
    }
    return j;
}

static void report(const com_opts *o, const ls_com_result *r)
{
    printf("COM %s  config %s\n", o->label, o->config);
    printf("%-5s %8s %9s %9s %8s %6s %6s  %-34s %s\n", "case", "COM_dB", "A_s_mV", "A_ni_mV", "FOM_dB", "gDC", "gDC2", "TX FFE", "DFE b1..b3");
    for (size_t k = 0; k < r->n_cases; k++) {
        const ls_com_case *c = &r->cases[k];
        char tx[128] = "[", *p = tx + 1;
        for (size_t t = 0; t < c->n_tx_ffe; t++) p += snprintf(p, (size_t)(tx + sizeof tx - p), "%s%.3f", t ? " " : "", c->tx_ffe[t]);
        snprintf(p, (size_t)(tx + sizeof tx - p), "]");
        printf("%-5d %8.3f %9.3f %9.3f %8.3f %6.1f %6.1f  %-34s %.3f %.3f %.3f\n", c->package_case, c->com_db, c->a_s_v * 1e3,
               c->a_ni_v * 1e3, c->fom_db, c->g_dc_db, c->g_dc2_db, tx, c->n_dfe > 0 ? c->dfe[0] : 0,
               c->n_dfe > 1 ? c->dfe[1] : 0, c->n_dfe > 2 ? c->dfe[2] : 0);
        if (c->n_rx_ffe) {
            printf("      RX FFE [");
            for (size_t t = 0; t < c->n_rx_ffe; t++) printf("%s%.3f", t ? " " : "", c->rx_ffe[t]);
            printf("]\n");
        }
        printf("      sigma (mV): ISI %.3f  N %.3f  TX %.3f  J %.3f (RJ %.3f)  XT %.3f   (%zu settings evaluated)\n",
               c->sigma_isi_v * 1e3, c->sigma_n_v * 1e3, c->sigma_tx_v * 1e3, c->sigma_j_v * 1e3, c->sigma_rj_v * 1e3,
               c->sigma_xt_v * 1e3, c->evaluations);
        if (!isnan(c->vec_db)) printf("      C2M eye: VEC %.3f dB  EH %.3f mV\n", c->vec_db, c->eh_v * 1e3);
        if (!isnan(c->fom_bound_db))
            printf("      FOM bound: no setting of the configuration exceeds %.3f dB (found %.3f dB)\n", c->fom_bound_db,
                   c->fom_db);
    }
    int local = 0;
    for (size_t k = 0; k < r->n_cases; k++) local |= r->cases[k].search_local;
    if (local)
        printf("note: the 802.3dj search over the Tx FFE grid is a local one (a coarse lattice, then the 8 best CTLE pairs\n"
               "      polished; docs/com.md): FOM is the best found, a lower bound of the configuration's best\n");
    if (isfinite(r->com_db)) printf("COM %.3f dB (threshold %.2f dB)\n", r->com_db, r->com_threshold_db);
    else if (r->n_cases) printf("COM -inf dB (equalization failed; threshold %.2f dB)\n", r->com_threshold_db);
    if (isfinite(r->erl_db))
        printf("ERL %.3f dB (ports %.3f, %.3f dB; T_fx %.4g, %.4g ns, N %.0f UI; threshold %.2f dB)\n", r->erl_db, r->erl_port_db[0],
               r->erl_port_db[1], r->erl_tfx_s[0] * 1e9, r->erl_tfx_s[1] * 1e9, r->erl_n_ui, r->erl_threshold_db);
    printf("%s\n", r->pass ? "PASS" : "FAIL");
    for (size_t k = 0; k < r->n_warnings; k++) fprintf(stderr, "warning: %s\n", r->warnings[k]);
}

static int write_csv(cli_outfile *f, const ls_com_result *r)
{
    /* vec_db, eh_v: the C2M eye (120G.3.1), nan unless PMD_type C2M, vec_db inf for a closed eye */
    fprintf(f->f, "package_case,com_db,a_s_v,a_ni_v,fom_db,g_dc_db,g_dc2_db,sigma_isi_v,sigma_n_v,sigma_tx_v,sigma_j_v,erl_db,pass,"
                 "vec_db,eh_v\n");
    for (size_t k = 0; k < r->n_cases; k++) {
        const ls_com_case *c = &r->cases[k];
        fprintf(f->f, "%d,%.6g,%.6g,%.6g,%.6g,%g,%g,%.6g,%.6g,%.6g,%.6g,%.6g,%d,%.6g,%.6g\n", c->package_case, c->com_db, c->a_s_v,
                c->a_ni_v, c->fom_db, c->g_dc_db, c->g_dc2_db, c->sigma_isi_v, c->sigma_n_v, c->sigma_tx_v, c->sigma_j_v, r->erl_db,
                r->pass, c->vec_db, c->eh_v);
    }
    return cli_out_commit(f) ? EXIT_RUNTIME : EXIT_OK;
}

/* --pulse: each package case's equalized pulse response (V), time 0 at its sampling point t_s (in s and in UI), nan
   where a case has no sample (lanesim plot com-pulse draws it) */
static int write_pulse(cli_outfile *f, const ls_com_result *r, const ls_com_pulses *pu)
{
    long lo = 0, hi = -1;
    fputs("time_s,time_ui", f->f);
    for (size_t k = 0; k < pu->n_cases; k++) {
        fprintf(f->f, ",case%d_v", r->cases[k].package_case);
        if (!pu->n[k]) continue;
        lo = lo < -(long)pu->cursor[k] ? lo : -(long)pu->cursor[k];
        hi = hi > (long)(pu->n[k] - 1 - pu->cursor[k]) ? hi : (long)(pu->n[k] - 1 - pu->cursor[k]);
    }
    fputc('\n', f->f);
    for (long i = lo; i <= hi; i++) {
        fprintf(f->f, "%.9g,%.9g", (double)i * pu->dt_s, (double)i / pu->samples_per_ui);
        for (size_t k = 0; k < pu->n_cases; k++) {
            long j = (long)pu->cursor[k] + i;
            if (pu->n[k] && j >= 0 && j < (long)pu->n[k]) fprintf(f->f, ",%.9g", pu->v[k][j]);
            else fputs(",nan", f->f);
        }
        fputc('\n', f->f);
    }
    return cli_out_commit(f) ? EXIT_RUNTIME : EXIT_OK;
}

/* The preset's THRU as a 4-port Touchstone file, ports [Tx+ Rx+ Tx- Rx-] = 1 2 3 4 (Port Order [1 3 2 4]):
   each leg carries the differential S-parameters (no mode conversion, S_cc = S_dd), so COM's
   differential extraction gives SDD back exactly. */
static int export_s4p(const com_opts *o, const ls_com_config *cc)
{
    ls_com_preset_channels pc;
    char msg[512] = "";
    ls_status st = ls_com_preset_channels_build(cc, o->preset, &pc, msg, sizeof msg);
    if (st) { fprintf(stderr, "lanesim com: %s\n", msg[0] ? msg : ls_strerror(st)); return cli_exit_status(st); }
    cli_outfile f;
    if (cli_out_open(&f, o->export_s4p)) { ls_com_preset_channels_free(&pc); return EXIT_USAGE; }
    const ls_com_sdd *t = &pc.ch[0];
    fprintf(f.f, "! lanesim com %s --export-s4p: the analytic channel COM sees (no packages), Port Order [1 3 2 4]\n# Hz S RI R 50\n", o->label);
    for (size_t k = 0; k < t->n; k++) {
        /* single-ended ports 1 = Tx+, 2 = Rx+, 3 = Tx-, 4 = Rx- */
        double complex m[4][4] = {{t->s11[k], t->s12[k], 0, 0}, {t->s21[k], t->s22[k], 0, 0}, {0, 0, t->s11[k], t->s12[k]}, {0, 0, t->s21[k], t->s22[k]}};
        fprintf(f.f, "%.10e", t->f_hz[k]);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) fprintf(f.f, " %.15e %.15e", creal(m[i][j]), cimag(m[i][j]));
            fputc('\n', f.f);
        }
    }
    ls_com_preset_channels_free(&pc);
    return cli_out_commit(&f) ? EXIT_RUNTIME : EXIT_OK;
}

int cmd_com(int argc, char **argv)
{
    com_opts o;
    int rc = parse(argc, argv, &o);
    if (rc) { ls_config_destroy(o.preset); return rc < 0 ? EXIT_OK : rc; }
    if (o.list) return list_configs();
    ls_com_config *c = cli_com_config(o.config, o.set, o.n_set, &rc);
    if (!c) { ls_config_destroy(o.preset); return rc; }
    cli_outfile jf = {0}, cf = {0}, pf = {0}; /* opened before the run: a bad name fails at once, nothing written */
    ls_com_result r;
    char msg[512] = "";
    if ((o.export_s4p && (rc = export_s4p(&o, c))) || (o.json && cli_out_open(&jf, o.json)) ||
        (o.csv && cli_out_open(&cf, o.csv)) || (o.pulse && cli_out_open(&pf, o.pulse))) {
        cli_out_abort(&jf); cli_out_abort(&cf); cli_out_abort(&pf);
        ls_com_config_destroy(c);
        ls_config_destroy(o.preset);
        return rc ? rc : EXIT_USAGE;
    }
    ls_com_pulses pu = {0}, *pp = o.pulse ? &pu : NULL;
    ls_status st = o.preset ? ls_com_preset_pulses(c, o.preset, &r, pp, msg, sizeof msg)
                            : ls_com_run_pulses(c, o.thru, o.fext, o.n_fext, o.next, o.n_next, &r, pp, msg, sizeof msg);
    ls_com_config_destroy(c);
    if (st) {
        if (o.preset) rc = cli_fail(o.preset, st, msg);
        else { fprintf(stderr, "lanesim com: %s\n", msg[0] ? msg : ls_strerror(st)); rc = cli_exit_status(st); }
        ls_config_destroy(o.preset);
        cli_out_abort(&jf); cli_out_abort(&cf); cli_out_abort(&pf);
        return rc;
    }
    report(&o, &r);
    rc = EXIT_OK;
    if (o.json && cli_out_json(&jf, to_json(&o, &r))) rc = EXIT_RUNTIME;
    if (!rc && o.csv) rc = write_csv(&cf, &r);
    if (!rc && o.pulse) rc = write_pulse(&pf, &r, &pu);
    if (rc) { cli_out_abort(&cf); cli_out_abort(&pf); }
    ls_com_pulses_free(&pu);
    ls_config_destroy(o.preset);
    return rc;
}

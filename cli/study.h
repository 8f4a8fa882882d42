/*
 * lanesim study, shared between cli/cmd_study.c (architectures, options, jobs, running them) and
 * cli/study_out.c (the files, the summary and the plots).
 */
#ifndef LS_CLI_STUDY_H
#define LS_CLI_STUDY_H

#include <stddef.h>

#include "cli.h"
#include "lanesim/energy.h"
#include "lanesim/link.h"
#include "lanesim/reach.h"
#include "lanesim/run.h"

/* An architecture of the study (the table ARCHS in cli/cmd_study.c). */
typedef struct {
    const char *name;    /* column/file name */
    const char *preset;
    const char *set[2];  /* the architecture's own overrides */
    const char *label;
} arch;

#define MAX_RATES 16

/* One job: the reach search at one lane rate, or the eye job at the eye rate. */
typedef struct {
    const arch *a;
    double rate_gbps;
    int eye;             /* 0: reach job; 1: eye job */
    ls_config *c;
    ls_status st;
    char msg[512];
    ls_reach_result r;
    double length_m;     /* eye job: the length simulated */
    ls_run_result mc;    /* eye job */
    ls_stateye_result sr;
    ls_link *link;       /* eye job: its link, kept for the statistical eye map (stateye_ARCH.dat) */
    ls_link_info info;
    int have_mc;
    ls_energy e;         /* power model of the job's configuration */
    /* copper reach jobs whose symbol rate a shipped COM configuration has: the IEEE COM reach */
    struct ls_com_config *cc; /* the job's own copy (a COM run marks keywords in it); NULL: no COM reach */
    const char *com_name;
    double com_reach_m;  /* longest length with COM >= 3 dB (0: even the shortest fails); NAN: none */
    char com_msg[256];   /* why there is none (a failed COM search), "" otherwise */
} job;

/* A class row (cli/study_class.c): an optical architecture against an 802.3dj PMD class at 200G/lane. */
typedef struct {
    const arch *a;
    const char *cls;         /* the class preset (200g-dr1 ...) */
    char preset[64];         /* what runs: the class preset (dsp-retimed) or ARCH@CLASS */
    ls_config *worst, *typ;  /* the worst-case and typical configurations */
    ls_status st;
    char msg[512];
    ls_run_result run;       /* worst case: the class verdict in run.cls (every lane's Monte Carlo) */
    int have_run;
    ls_class_result tk;      /* typical: the budget's lane of largest |CD| */
    ls_reach_result reach;   /* typical: the longest length, searched up to the longest class reach */
    const char *typ_limited; /* the reach's limit as a budget term (loss, dispersion, tdecq, ...) */
} class_job;

/* A study: its settings (from the command line), then its jobs. */
typedef struct {
    const char *out;           /* --out DIR */
    const char *sps, *symbols; /* --sps, --symbols, as given */
    double rates[MAX_RATES];   /* --rates */
    unsigned nr;
    double eye_rate;           /* --eye-rate; 0 = no eye jobs */
    int plots;                 /* 0 with --no-plot */
    ls_reach_options ro;       /* the reach search (--target-ber) */
    int com;                   /* the IEEE COM reach of the copper rows (0 with --no-com) */
    struct ls_com_config *com_cfg[2]; /* 802.3ck-kr (53.125 GBd), 802.3dj-kr-pychopmarg (106.25 GBd); or [0] only */
    const char *com_name;      /* --com-config: one configuration for every copper row; NULL: by symbol rate */
    job *jobs;                 /* per selected architecture: a reach job per rate, then its eye job */
    size_t n;
    const char *classes;       /* --classes LIST (NULL: every class; "none": no class rows) */
    class_job *cj;             /* the class rows (cli/study_class.c) */
    size_t n_cj;
    cli_bar bar;
} study;

/** The longest reach an IEEE IM-DD SMF class allows at a lane rate (m): the optical reach searches stop there. */
double study_class_cap_m(double rate_gbps);
/** The key of a "section.key=value" assignment into key; the key's length in the assignment. */
size_t study_assign_key(const char *assignment, char *key, size_t cap);
/** The configuration of architecture a (its preset, or preset: ARCH@CLASS) at a lane rate with the -s keys it
    has (cli/study_class.c). NULL after filling msg. */
ls_config *study_config(const arch *a, const char *preset, double rate, char **assign, int n_assign, const char *extra,
                        char *msg, size_t cap);
/** The class rows of the selected optical architectures (sel[0..n_sel)) when the study has the classes' lane
    rate: their configurations into s->cj. CLI_CONTINUE, or EXIT_USAGE after printing why. */
int study_class_build(study *s, const arch *const *sel, size_t n_sel, char **assign, int n_assign);
/** Runs the class rows on threads. CLI_CONTINUE, or EXIT_RUNTIME after naming the first failed row. */
int study_class_run(study *s, long threads);
/** The class rows: the table on stdout, class_rows.csv (0, or -1 after printing why), the JSON array. */
void study_class_print(const study *s);
int study_class_csv(const study *s);
void study_class_json(struct cJSON *root, const study *s);
/** Frees the class rows. */
void study_class_free(study *s);

/** Writes the files into s->out, prints the summary, then draws the plots (unless --no-plot).
    Returns the exit status (EXIT_RUNTIME after printing why). */
int study_report(const study *s);

/** cli/study_hostloss.c: the "LPO vs host loss" curve at the eye rate into s->out (CSV, plot unless
    --no-plot, one line on stdout). Returns the exit status. */
int study_host_loss(const study *s, long threads);

/** Frees the jobs of s (their configurations, links and runs). */
void study_free(study *s);
/** `lanesim cluster`'s live path: the study's reach jobs at rates[0..nr) (every architecture, the study's
    defaults, no eyes, no files), run on `threads` threads into s->jobs. CLI_CONTINUE, or the exit status after
    printing why; free with study_free either way. */
int study_rows(study *s, const double *rates, unsigned nr, long threads);

#endif

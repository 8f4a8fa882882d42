/*
 * Internal to phy/ami_*.c: the parenthesized tree of an .ami file or parameter string (IBIS 7.x
 * AMI syntax: "(name atom ... (child ...) ...)", '|' starts a comment outside quotes).
 */
#ifndef LS_AMI_INTERNAL_H
#define LS_AMI_INTERNAL_H

#include <stddef.h>

#include "lanesim/ami.h"

typedef struct lsi_ami_node {
    char *name;                   /* the first atom */
    int line;                     /* line of the '(' */
    struct lsi_ami_node **kids;   /* sub-lists, in order */
    size_t n_kids, cap_kids;
    char **atoms;                 /* the other atoms (quotes removed), in order */
    unsigned char *quoted;        /* [n_atoms]: 1 when the atom was a quoted string */
    size_t n_atoms, cap_atoms;
} lsi_ami_node;

/* Parses one tree from text[0..len); NULL with "FILE:LINE: problem" in msg (*err LS_EINVAL / LS_ENOMEM). */
lsi_ami_node *lsi_ami_tree_parse(const char *text, size_t len, const char *file, char *msg, size_t cap,
                                 ls_status *err);
void lsi_ami_tree_free(lsi_ami_node *n);
/* The child whose name equals (case-insensitively) name, or NULL. */
const lsi_ami_node *lsi_ami_child(const lsi_ami_node *n, const char *name);
/* Whole file into a NUL-terminated malloc'd buffer (*len bytes); NULL on failure (errno kept). */
char *lsi_ami_read_file(const char *path, size_t *len);

/* phy/ami_exec.c <-> phy/ami_isolate.c: the model's entry points behind one interface. */
typedef long (*lsi_ami_init_fn)(double *, long, long, double, double, char *, char **, void **, char **);
typedef long (*lsi_ami_getwave_fn)(double *, long, double *, char **, void *);
typedef long (*lsi_ami_close_fn)(void *);
typedef struct lsi_ami_server lsi_ami_server;   /* a child process serving one model */
/* Forks the child, which loads library and checks AMI_Init and AMI_Close; *has_getwave: AMI_GetWave found. */
lsi_ami_server *lsi_ami_server_start(const char *library, int *has_getwave, char *msg, size_t cap, ls_status *err);
/* The calls over the pipe; *ret gets the model's return value, out/msg strings are copied to the buffers. */
ls_status lsi_ami_server_init(lsi_ami_server *s, double *impulse, size_t n_total, long rows, long aggressors,
                              double sample_s, double bit_s, const char *params_in, long *ret, char *pout,
                              size_t pout_cap, char *mmsg, size_t mmsg_cap, char *msg, size_t cap);
ls_status lsi_ami_server_getwave(lsi_ami_server *s, double *wave, size_t n, double *clock, long *ret, char *pout,
                                 size_t pout_cap, char *msg, size_t cap);
ls_status lsi_ami_server_close(lsi_ami_server *s, long *ret, char *msg, size_t cap);
/* Ends the child (reaped); NULL-safe. */
void lsi_ami_server_stop(lsi_ami_server *s);

/* phy/ami_fit.c: the Wiener fit of the model's equalization taps from AMI_Init's impulse in/out
   (n samples each); *g (ls_alloc'd, replaced) holds *ng taps, tap i at time (i - *g_pre) / fs. */
ls_status lsi_ami_fit(const double *h_in, const double *h_out, size_t n, double **g, size_t *ng, size_t *g_pre);
/* In-place radix-2 FFT of N (a power of two) points; inverse without the 1/N. */
void lsi_ami_fft(double _Complex *a, size_t N, int inverse);
int lsi_ami_model_has_getwave(const ls_ami_model *m);
/* The equalization taps of an initialized AMI block (tap i at time (i - *g_pre) / fs); LS_ESTATE before Init. */
ls_status lsi_ami_block_taps(const ls_block *b, const double **g, size_t *ng, size_t *g_pre);
/* dlsym of a function into *fn (a function pointer of size bytes), NULL when absent. */
void lsi_ami_sym(void *dl, const char *name, void *fn, size_t size);

#endif

/*
 * Internal to the Touchstone code of channels/copper (never installed): the network struct, the
 * reader state and the functions the reader files share.
 *
 * The model (file format, record layout, mixed mode, passivity) is stated in touchstone.c; the
 * format, the diagnostics and the checks are documented in docs/touchstone.md.
 * Reader files, bottom to top (each calls only the files below it):
 *   touchstone_lex.c     diagnostic prefix, tokens, numbers, ports of a .sNp name, option line
 *   touchstone_record.c  port count and record buffers, record assembly, count diagnostics
 *   touchstone_read.c    v2 bracket keywords, the line walk, file load, ls_touchstone_read/destroy
 * touchstone.c (accessors, port maps, mixed mode, loss, passivity) calls none of them.
 */
#ifndef LS_TOUCHSTONE_INTERNAL_H
#define LS_TOUCHSTONE_INTERNAL_H

#include <complex.h>
#include <stddef.h>

#include "lanesim/status.h"
#include "lanesim/touchstone.h"

struct ls_touchstone {
    unsigned n;        /* ports */
    size_t k;          /* frequency points */
    double *f;         /* [k] Hz */
    double complex *s; /* [k][n][n] */
    double *z0;        /* [n] ohm */
    char *path;
};

/* Bounds on the frequencies a file may give (docs/touchstone.md "Errors"): the highest frequency any
   channel measurement reaches is well under 1 THz (VNAs stop near 220 GHz); 10 THz leaves a decade
   above that and keeps every value finite once scaled to Hz. No instrument resolves a step below
   1 Hz (a VNA's narrowest IF bandwidth); a subnormal step would be undefined behaviour downstream. */
#define LSI_TS_FMAX_HZ 1e13
#define LSI_TS_MIN_STEP_HZ 1.0
/* |S| above 1000 (60 dB of gain) is no channel's, and a dB value that large overflows downstream */
#define LSI_TS_MAX_ABS_S 1e3

enum { FMT_MA, FMT_RI, FMT_DB };
enum { MAT_FULL, MAT_LOWER, MAT_UPPER };

/* Reader state. */
typedef struct {
    const char *path;
    char *msg;
    size_t cap;
    unsigned long line; /* current line (1-based) */
    int version;        /* 1 or 2 */
    int option_seen;
    double unit; /* Hz per frequency unit */
    int fmt;
    double r0;       /* option-line reference impedance */
    unsigned n;      /* ports, 0 until known */
    int order_12_21; /* v2 2-port data order 12_21 */
    int order_set;
    int matrix;           /* MAT_* */
    long n_freq;          /* v2 [Number of Frequencies], -1 unknown */
    int in_data;          /* v2: inside [Network Data] */
    int data_done;        /* noise data / [End] reached */
    int in_info;          /* inside [Begin Information] */
    unsigned ref_pending; /* v2 [Reference] values still expected */
    unsigned ref_got;
    double *ref; /* [n] v2 reference impedances */
    /* current record */
    size_t need;       /* 1 + 2 M */
    double *rec;       /* [need] */
    size_t rc;         /* values so far */
    unsigned long *rl; /* [need] line number of each record line */
    size_t *rn;        /* [need] value count of each record line */
    size_t nl;         /* record lines so far */
    size_t *lay;       /* [need] expected per-line counts of the standard layout */
    size_t n_lay;
    /* line tokens */
    double *lv;
    size_t lv_cap;
    /* result */
    ls_touchstone *t;
    size_t t_cap;
    unsigned long last_data_line;
} rd;

/* touchstone_lex.c */

/** Writes "path:line: " (line 0: "path: ") and the printf-style reason into r->msg; returns
 *  LS_EINVAL. */
ls_status lsi_ts_fail_at(rd *r, unsigned long line, const char *fmt, ...);
/** N from a ".sNp" suffix (case-insensitive); 0 when the name has none. */
unsigned lsi_ts_ports_from_name(const char *path);
/** Blank other than newline: space, tab, CR, VT, FF. */
int lsi_ts_is_sp(char c);
/** Next whitespace-separated token in [*p, end): sets *a, *b; 0 at the end. */
int lsi_ts_next_tok(const char **p, const char *end, const char **a, const char **b);
/** Parses [a, b) as a finite number; 0, or -1 with a reason in *why. */
int lsi_ts_parse_num(const char *a, const char *b, double *v, const char **why);
/** [a, b) equals word, ignoring case. */
int lsi_ts_tok_is(const char *a, const char *b, const char *word);
/** The option line after its '#': [p, end). */
ls_status lsi_ts_parse_option(rd *r, const char *p, const char *end);

/* touchstone_record.c */

/** Sets the port count and sizes the record buffers and the standard layout. */
ls_status lsi_ts_set_ports(rd *r, unsigned n);
/** The message for a record with the wrong value count (truncated: the file ended inside it). */
ls_status lsi_ts_count_error(rd *r, int truncated);
/** A data line (numbers only): [Reference] values, or values of the current record. */
ls_status lsi_ts_data_line(rd *r, const char *p, const char *end);

#endif

/*
 * Internal to the analytic copper channels (never installed): the prepared line, segment and
 * cascade shared by tline.c, cascade.c and cascade_block.c, and the functions they share.
 * The model is stated in tline.c; equations and calibration in docs/channels.md.
 * Call graph (no file calls back up): cascade_block.c -> cascade.c -> tline.c.
 */
#ifndef LS_TLINE_INTERNAL_H
#define LS_TLINE_INTERNAL_H

#include <complex.h>
#include <math.h>

#include "lanesim/tline.h"

/* A validated line with its derived constants (lsi_line_prep). */
typedef struct {
    double len;        /* m */
    double lext, cref; /* H/m, F/m */
    double eps_r, eps_inf, deps, tan_d;
    ls_diel_model diel;
    double rs, rdc; /* ohm/m/sqrt(Hz), ohm/m */
    ls_rough_model rough;
    double ham_fr;     /* Hammerstad: (D/delta)^2 = f / ham_fr */
    double hu_k, hu_c; /* Huray: K = 1 + hu_k / (1 + (1 - j) hu_c / sqrt(f)) */
} pline;

/* A validated segment: a prepared line, a lumped value or a COM package line. */
typedef struct {
    ls_seg_type type;
    double value;
    pline line;
    ls_com_line com;
} pseg;

/* A validated cascade between source z1 and load z2 (ohm); span_max in s. */
typedef struct {
    pseg s[LS_CASCADE_MAX_SEGS];
    size_t n;
    double z1, z2, span_max;
} pcas;

/* v is finite and >= lo. */
static inline int finite_ge(double v, double lo)
{
    return isfinite(v) && v >= lo;
}

/* tline.c */

/** Validates and derives the constants of a line; 0 on success, -1 on an invalid config. */
int lsi_line_prep(const ls_tline_config *c, pline *p);
/** Z (ohm/m) and Y (S/m) of a prepared line at f >= 0 (Hz). */
void lsi_line_zy(const pline *p, double f, double complex *z, double complex *y);
/** Front (speed-of-light at eps_inf) delay of a prepared line, s. */
double lsi_line_front_s(const pline *p);

/* cascade.c */

/** Validates and prepares a cascade (segments zero-filled first); 0 on success, -1 if invalid. */
int lsi_cas_prep(const ls_cascade_config *c, pcas *p);
/** S21, S11 of a prepared cascade at f >= 0 (Hz). */
void lsi_cas_eval(const pcas *p, double f, double complex *s21, double complex *s11);
/** Bulk delay of a prepared cascade (s): sum of the front delays of its lines. */
double lsi_pcas_delay(const pcas *p);

#endif

/*
 * Touchstone S-parameter files: reader, mixed-mode conversion, loss interpolation, passivity.
 * This file: accessors, port maps, mixed mode, loss interpolation and passivity. The reader is in
 * touchstone_lex.c, touchstone_record.c and touchstone_read.c (shared: touchstone_internal.h);
 * the statement below covers all four files. Documentation: docs/touchstone.md.
 *
 * Format [IBIS Open Forum, "Touchstone File Format Specification", version 2.0, 2009; version 1.1
 * for .sNp files]: `!` comments; one option line `# <unit> <parameter> <format> R <z0>` (defaults
 * GHz S MA R 50); per frequency one record of 1 + 2 M numbers (M = N^2, or N (N + 1) / 2 for the
 * v2 Lower/Upper matrix formats) that may span several lines. Record order: v1 2-ports
 * 11 21 12 22 (v2: as [Two-Port Data Order] says), otherwise row by row. Pairs are RI (real,
 * imaginary), MA (magnitude, angle in degrees) or DB (20 log10 |S|, angle in degrees).
 *
 * The reader loads the file at once and walks its lines, tokenizing each line and converting
 * with strtod (about 20 ms for a 6001-point 4-port file). A record must start at the beginning
 * of a line and end at the end of a line. When the count is wrong, the line blamed in the message
 * is the first one that differs from the standard layout (v1: a row of the matrix starts on a new
 * line, at most four pairs per line); a truncated record is reported at its last line.
 *
 * Mixed mode [D. E. Bockelman, W. R. Eisenstadt, "Combined differential and common-mode
 * scattering parameters: theory and simulation", IEEE Trans. MTT 43(7), 1995]: with the input
 * pair (ip, in) and output pair (op, on), the differential-mode and mode-conversion terms are the
 * half sums and differences written in touchstone.h.
 *
 * Passivity: sigma_max(S) = sqrt(lambda_max(S^H S)), by power iteration on the Hermitian positive
 * semi-definite S^H S from a fixed start vector (the Rayleigh quotient never exceeds lambda_max,
 * so the check never reports a violation that is not there).
 */
#include <math.h>
#include <stdlib.h>

#include "touchstone_internal.h"

unsigned ls_touchstone_ports(const ls_touchstone *t)
{
    return t ? t->n : 0;
}

size_t ls_touchstone_points(const ls_touchstone *t)
{
    return t ? t->k : 0;
}

const double *ls_touchstone_freq_hz(const ls_touchstone *t)
{
    return t ? t->f : NULL;
}

const char *ls_touchstone_path(const ls_touchstone *t)
{
    return t ? t->path : NULL;
}

static double complex S(const ls_touchstone *t, size_t k, unsigned i, unsigned j)
{
    return t->s[(k * t->n + i) * t->n + j];
}

double complex ls_touchstone_s(const ls_touchstone *t, size_t k, unsigned i, unsigned j)
{
    if (!t || k >= t->k || i >= t->n || j >= t->n)
        return NAN;
    return S(t, k, i, j);
}

double ls_touchstone_z0(const ls_touchstone *t, unsigned port)
{
    if (!t || port >= t->n)
        return NAN;
    return t->z0[port];
}

ls_status ls_touchstone_check_map(const ls_touchstone *t, const ls_port_map *m)
{
    if (!t || !m || m->in_p >= t->n || m->out_p >= t->n || m->in_p == m->out_p)
        return LS_EINVAL;
    if (m->in_n == LS_PORT_NONE && m->out_n == LS_PORT_NONE)
        return LS_OK;
    if (m->in_n >= t->n || m->out_n >= t->n)
        return LS_EINVAL;
    unsigned p[4] = {m->in_p, m->in_n, m->out_p, m->out_n};
    for (int a = 0; a < 4; a++)
        for (int b = a + 1; b < 4; b++)
            if (p[a] == p[b])
                return LS_EINVAL;
    return LS_OK;
}

ls_status ls_touchstone_detect_map(const ls_touchstone *t, ls_port_map *m)
{
    if (!t || !m || t->n < 2)
        return LS_EINVAL;
    if (t->n == 2) {
        *m = (ls_port_map){0, LS_PORT_NONE, 1, LS_PORT_NONE};
        return LS_OK;
    }
    /* strongest path, then (N >= 4) the strongest path disjoint from it */
    unsigned a0 = 0, a1 = 1, b0 = LS_PORT_NONE, b1 = LS_PORT_NONE;
    double best = -1.0;
    for (unsigned i = 0; i < t->n; i++)
        for (unsigned j = i + 1; j < t->n; j++) {
            double g = 0.5 * (cabs(S(t, 0, i, j)) + cabs(S(t, 0, j, i)));
            if (g > best) {
                best = g;
                a0 = i;
                a1 = j;
            }
        }
    if (t->n == 3) {
        *m = (ls_port_map){a0, LS_PORT_NONE, a1, LS_PORT_NONE};
        return LS_OK;
    }
    best = -1.0;
    for (unsigned i = 0; i < t->n; i++)
        for (unsigned j = i + 1; j < t->n; j++) {
            if (i == a0 || i == a1 || j == a0 || j == a1)
                continue;
            double g = 0.5 * (cabs(S(t, 0, i, j)) + cabs(S(t, 0, j, i)));
            if (g > best) {
                best = g;
                b0 = i;
                b1 = j;
            }
        }
    if (b0 < a0) { /* the thru holding the lowest port is the positive one */
        unsigned x = a0, y = a1;
        a0 = b0;
        a1 = b1;
        b0 = x;
        b1 = y;
    }
    *m = (ls_port_map){a0, b0, a1, b1};
    return LS_OK;
}

ls_status ls_touchstone_mixed(const ls_touchstone *t, const ls_port_map *m, size_t k,
                              double complex *sdd21, double complex *sdd11, double complex *scd21)
{
    if (ls_touchstone_check_map(t, m) != LS_OK || k >= t->k)
        return LS_EINVAL;
    const unsigned ip = m->in_p, in = m->in_n, op = m->out_p, on = m->out_n;
    if (in == LS_PORT_NONE) {
        if (sdd21)
            *sdd21 = S(t, k, op, ip);
        if (sdd11)
            *sdd11 = S(t, k, ip, ip);
        if (scd21)
            *scd21 = 0;
        return LS_OK;
    }
    if (sdd21)
        *sdd21 = 0.5 * (S(t, k, op, ip) - S(t, k, op, in) - S(t, k, on, ip) + S(t, k, on, in));
    if (sdd11)
        *sdd11 = 0.5 * (S(t, k, ip, ip) - S(t, k, ip, in) - S(t, k, in, ip) + S(t, k, in, in));
    if (scd21)
        *scd21 = 0.5 * (S(t, k, op, ip) - S(t, k, op, in) + S(t, k, on, ip) - S(t, k, on, in));
    return LS_OK;
}

static double db20(double complex x)
{
    double a = cabs(x);
    return a > 1e-30 ? -20.0 * log10(a) : 600.0;
}

ls_status ls_touchstone_loss_db(const ls_touchstone *t, const ls_port_map *m, double f_hz,
                                double *il_db, double *rl_db)
{
    if (ls_touchstone_check_map(t, m) != LS_OK || !isfinite(f_hz) || f_hz < 0)
        return LS_EINVAL;
    if (f_hz > t->f[t->k - 1]) {
        if (il_db)
            *il_db = NAN;
        if (rl_db)
            *rl_db = NAN;
        return LS_OK;
    }
    size_t k0 = 0, k1 = 0;
    double w = 0.0;
    if (f_hz > t->f[0]) {
        size_t lo = 0, hi = t->k - 1; /* f[lo] < f_hz <= f[hi] */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (t->f[mid] < f_hz)
                lo = mid;
            else
                hi = mid;
        }
        k0 = lo;
        k1 = hi;
        w = (f_hz - t->f[lo]) / (t->f[hi] - t->f[lo]);
    }
    double complex d21a, d11a, d21b, d11b;
    if (ls_touchstone_mixed(t, m, k0, &d21a, &d11a, NULL) != LS_OK ||
        ls_touchstone_mixed(t, m, k1, &d21b, &d11b, NULL) != LS_OK)
        return LS_EINVAL;
    if (il_db)
        *il_db = (1.0 - w) * db20(d21a) + w * db20(d21b);
    if (rl_db)
        *rl_db = (1.0 - w) * db20(d11a) + w * db20(d11b);
    return LS_OK;
}

/* Largest eigenvalue of the Hermitian PSD n x n matrix a, by power iteration. */
static double lambda_max(const double complex *a, unsigned n, double complex *v, double complex *w)
{
    for (unsigned i = 0; i < n; i++) /* fixed start with no special symmetry */
        v[i] = 1.0 + 0.37 * i + I * 0.11 * ((i * 7u) % 5u);
    double lam = 0.0;
    for (int it = 0; it < 500; it++) {
        double nv = 0.0;
        for (unsigned i = 0; i < n; i++)
            nv += creal(v[i]) * creal(v[i]) + cimag(v[i]) * cimag(v[i]);
        if (!(nv > 0))
            return 0.0;
        double num = 0.0, nw = 0.0;
        for (unsigned i = 0; i < n; i++) {
            double complex acc = 0;
            for (unsigned j = 0; j < n; j++)
                acc += a[(size_t)i * n + j] * v[j];
            w[i] = acc;
            num += creal(conj(v[i]) * acc);
            nw += creal(acc) * creal(acc) + cimag(acc) * cimag(acc);
        }
        double l = num / nv;
        if (!(nw > 0))
            return 0.0;
        double sc = 1.0 / sqrt(nw);
        for (unsigned i = 0; i < n; i++)
            v[i] = w[i] * sc;
        if (it > 2 && fabs(l - lam) <= 1e-13 * fabs(l))
            return l;
        lam = l;
    }
    return lam;
}

ls_status ls_touchstone_passivity(const ls_touchstone *t, double *sigma_max, double *f_hz,
                                  size_t *n_over)
{
    if (!t || !sigma_max)
        return LS_EINVAL;
    const unsigned n = t->n;
    double complex *a = malloc((size_t)n * n * sizeof *a), *v = malloc(2 * (size_t)n * sizeof *v);
    if (!a || !v) {
        free(a);
        free(v);
        return LS_ENOMEM;
    }
    double best = -1.0, fbest = 0.0;
    size_t over = 0;
    for (size_t k = 0; k < t->k; k++) {
        const double complex *s = t->s + k * (size_t)n * n;
        for (unsigned i = 0; i < n; i++) /* a = S^H S */
            for (unsigned j = i; j < n; j++) {
                double complex acc = 0;
                for (unsigned q = 0; q < n; q++)
                    acc += conj(s[(size_t)q * n + i]) * s[(size_t)q * n + j];
                a[(size_t)i * n + j] = acc;
                a[(size_t)j * n + i] = conj(acc);
            }
        double sig = sqrt(fmax(0.0, lambda_max(a, n, v, v + n)));
        if (sig > 1.0 + LS_TOUCHSTONE_PASSIVITY_TOL)
            over++;
        if (sig > best) {
            best = sig;
            fbest = t->f[k];
        }
    }
    free(a);
    free(v);
    *sigma_max = best;
    if (f_hz)
        *f_hz = fbest;
    if (n_over)
        *n_over = over;
    return LS_OK;
}

/*
 * The energy window of a FIR (phy/core/fft_internal.h, docs/link.md "Fusion"): the taps [first,
 * first + n) left when the tail and then the head are cut while the energy dropped at each end stays
 * within its fraction of the total and the dropped taps' l1 sum within l1_max. Split from fuse.c.
 */
#include <math.h>

#include "fft_internal.h"

void lsi_fir_energy_window(const float *h, size_t nh, double head_frac, double tail_frac, double l1_max,
                           size_t *first, size_t *n)
{
    double e = 0;
    for (size_t i = 0; i < nh; i++)
        e += (double)h[i] * h[i];
    size_t a = 0, b = nh; /* keep [a, b) */
    double drop = 0, l1 = 0;
    while (tail_frac > 0 && b > 1 && drop + (double)h[b - 1] * h[b - 1] <= tail_frac * e &&
           l1 + fabs((double)h[b - 1]) <= l1_max) {
        drop += (double)h[b - 1] * h[b - 1];
        l1 += fabs((double)h[b - 1]);
        b--;
    }
    drop = l1 = 0;
    while (head_frac > 0 && a + 1 < b && drop + (double)h[a] * h[a] <= head_frac * e &&
           l1 + fabs((double)h[a]) <= l1_max) {
        drop += (double)h[a] * h[a];
        l1 += fabs((double)h[a]);
        a++;
    }
    *first = a;
    *n = b - a;
}

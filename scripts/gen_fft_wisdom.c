/*
 * Generates phy/core/fft_wisdom.inc: FFTW wisdom (FFTW_PATIENT; FFTW_MEASURE above 2^18) for the transforms of the FIR
 * engines, as the lines of a C string array (phy/core/fft.c joins them). Plans exactly the problems that lsi_rfft and lsi_cfft create
 * (same arrays, same directions, same flags apart from the rigor), so that their estimate-mode
 * plans find it (phy/core/fft_internal.h). Build and run on the target machine kind:
 *
 *     cmake --build build --target gen_fft_wisdom
 *     build/gen_fft_wisdom --fresh > phy/core/fft_wisdom.inc   # a few minutes on 2 cores, more with 2^21
 *
 * Sizes: real 2^8 .. 2^21 (FFTW_MEASURE above 2^18) (ls_fftfilt: at least 1024 and 2 n_h; the link's fused Touchstone stages reach
 * 2^20 .. 2^21 at 32 samples/UI), complex 2^10 .. 2^16 (ls_cfftfilt). Without --fresh the shipped wisdom is
 * the start (its sizes are found at once) and only the sizes it lacks are planned, so new sizes can be
 * added without re-planning the others. Regenerate with --fresh after an FFTW upgrade (its import refuses
 * other versions' wisdom).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fft_internal.h"

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--fresh"))
        lsi_fft_wisdom_forget(); /* start from nothing, not from the shipped wisdom */
    else if (argc > 1) {
        fprintf(stderr, "usage: gen_fft_wisdom [--fresh] > phy/core/fft_wisdom.inc\n");
        return 2;
    }
    ls_status st;
    for (size_t n = 256; n <= ((size_t)1 << 21); n *= 2) {
        /* FFTW_PATIENT up to 2^18; the larger sizes FFTW_MEASURE (PATIENT takes tens of CPU minutes there) */
        lsi_rfft *p = lsi_rfft_create_planned(n, n > ((size_t)1 << 18) ? LSI_FFT_MEASURE : LSI_FFT_PATIENT, &st);
        if (!p) {
            fprintf(stderr, "gen_fft_wisdom: real %zu: %s\n", n, ls_strerror(st));
            return 1;
        }
        lsi_rfft_destroy(p);
        fprintf(stderr, "real %zu\n", n);
    }
    for (size_t n = 1024; n <= ((size_t)1 << 16); n *= 2) {
        lsi_cfft *p = lsi_cfft_create(n, LSI_FFT_PATIENT, &st);
        if (!p) {
            fprintf(stderr, "gen_fft_wisdom: complex %zu: %s\n", n, ls_strerror(st));
            return 1;
        }
        lsi_cfft_destroy(p);
        fprintf(stderr, "complex %zu\n", n);
    }
    char *w = lsi_fft_wisdom_export();
    if (!w)
        return 1;
    printf("/* FFTW wisdom (FFTW_PATIENT to 2^18, FFTW_MEASURE above), one string per line: made by "
           "scripts/gen_fft_wisdom.c. */\n");
    for (const char *c = w; *c;) {
        putchar('"');
        for (; *c && *c != '\n'; c++) {
            if (*c == '"' || *c == '\\')
                putchar('\\');
            putchar(*c);
        }
        if (*c == '\n')
            c++;
        printf("\\n\",\n");
    }
    free(w);
    return 0;
}

/*
 * The shared real channels of ../shared/channels for the Touchstone tests: the figures of its README
 * (computed there by an independent parser), where the folder is, and a readable path per file.
 */
#ifndef LS_TEST_TOUCHSTONE_REAL_H
#define LS_TEST_TOUCHSTONE_REAL_H

#include "touchstone_util.h"

/* ------------------------------------------------------------------------------------------ */
/* the shared real channels */

typedef struct {
    const char *file; /* under shared/channels */
    int gz;           /* stored gzip-compressed */
    size_t points;
    double fmax_ghz;
    const char *thru; /* README "thru" column, 1-based */
    double il26_db;   /* README IL at 26.5625 GHz */
    double delay_ns;  /* README delay */
    int lecroy;       /* measured, passivity 1.0043 */
} real_file;

/* (a file-scope array: every includer uses it through real_path) */
static const real_file reals[] = {
    {"ieee3ck_mellitz_CA_19p75dB_thru.s4p", 0, 6001, 60, "3->4, 1->2", 19.74, 10.36, 0},
    {"ieee3ck_mellitz_Tp0_Tp5_28p5db_FQSFP_thru.s4p", 0, 6001, 60, "3->4, 1->2", 28.43, 13.18, 0},
    {"ieee3ck_gore_C2C_PCB_SYSVIA_12dB_thru.s4p", 0, 6000, 60, "3->4, 1->2", 12.17, 1.47, 0},
    {"ieee3ck_tracy_DPO_12in_Meg7_THRU.s4p.gz", 1, 6001, 60, "1->2, 3->4", 28.25, 4.39, 0},
    {"ieee3ck_C2M_Z100_IL14_WC_BOR_H_L_H_THRU.s4p", 0, 5001, 50, "1->2, 3->4", 13.94, 2.77, 0},
    {"te_Whisper27in_M6_THRU_G14G15_measured.s4p", 0, 4001, 40, "1->2, 3->4", 42.66, 5.00, 0},
    {"te_SMT_IO_42GHz_Thru_B5B6_10in.s4p", 0, 4201, 42, "1->2, 3->4", 16.25, 1.85, 0},
    {"lecroy_WavePulserDemoBoard_measured.s4p", 0, 1601, 40, "2->3, 1->4", 12.14, 0.91, 1},
};

/* The shared folder: ls_test_shared_dir() looks for ../shared from the working directory; the
 * test executable also knows the folder beside the source tree (LS_SHARED_DIR), which is what
 * works under ctest (run from the build tree). */
static inline const char *shared_dir(void)
{
    const char *dir = ls_test_shared_dir();
#ifdef LS_SHARED_DIR
    if (!dir && ls_test_file_exists(LS_SHARED_DIR))
        dir = LS_SHARED_DIR;
#endif
    return dir;
}

/* Path of real file i (decompressed to a temp file if needed); 0 if the shared folder is absent. */
static inline int real_path(size_t i, char *path, size_t cap, int *is_tmp)
{
    const char *dir = shared_dir();
    *is_tmp = 0;
    if (!dir)
        return 0;
    char src[1024];
    snprintf(src, sizeof src, "%s/channels/%s", dir, reals[i].file);
    if (!ls_test_file_exists(src))
        return 0;
    if (!reals[i].gz) {
        snprintf(path, cap, "%s", src);
        return 1;
    }
    tmpname(path, cap, "dpo", ".s4p");
    char cmd[2600];
    snprintf(cmd, sizeof cmd, "gzip -dc '%s' > '%s'", src, path);
    cr_assert(eq(int, system(cmd), 0), "%s", cmd);
    *is_tmp = 1;
    return 1;
}

#endif

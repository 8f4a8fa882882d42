/**
 * @file channel.h
 * @brief A preset's analytic channel as S-parameters (channels/presets/copper.c).
 *
 * Declared here rather than in link.h: the function reads a configuration's keys, so it belongs
 * to the presets layer (docs/architecture.md), while link.h is phy's.
 */
#ifndef LS_CHANNEL_H
#define LS_CHANNEL_H

#include <complex.h>
#include <stddef.h>

#include "lanesim/com.h"
#include "lanesim/config.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The analytic channel of a preset (channel.type = cable: packages, host PCB, connectors, paddle
 * cards, cable) at n frequencies: S21 and S11 of the differential channel between 100 ohm
 * terminations, and its bulk delay. LS_EINVAL when the preset has no analytic channel.
 */
LS_NODISCARD ls_status ls_channel_sparams(const ls_config *c, const double *f_hz, size_t n, double complex *s21,
                                          double complex *s11, double *delay_s, char *msg, size_t cap);

/** Most channels ls_com_preset hands to COM: the THRU and up to 8 aggressors (as the link's xtalk). */
#define LS_COM_PRESET_MAX_CH 9

/** The channels of a preset as COM sees them (channels/presets/com_preset.c; docs/com.md). */
typedef struct {
    size_t n_ch;                          /**< THRU first, then FEXT and NEXT aggressors */
    ls_com_sdd ch[LS_COM_PRESET_MAX_CH];  /**< pointing into f_hz and data */
    double *f_hz;                         /**< the grid (owned) */
    double complex *data;                 /**< the S-parameters (owned) */
    char name[LS_COM_PRESET_MAX_CH][512];
    int host_pcb_dropped;                 /**< Include PCB = 1: the preset's host.pcb_mm traces were left out */
} ls_com_preset_channels;

/**
 * The channels that ls_com_preset gives COM: the analytic channel (channel.type = cable) without the
 * preset's packages (COM adds its own), without its host PCB traces when cc has Include PCB = 1, on
 * cc's grid (Delta_f <= 10 MHz up to f_b), with the preset's crosstalk aggressors (xtalk.*).
 * Free with ls_com_preset_channels_free. LS_EINVAL (msg says why) when the preset has no analytic channel.
 */
LS_NODISCARD ls_status ls_com_preset_channels_build(const ls_com_config *cc, const ls_config *c,
                                                    ls_com_preset_channels *out, char *msg, size_t cap);
void ls_com_preset_channels_free(ls_com_preset_channels *pc);

/** IEEE COM (ls_com_run_sdd) of the preset configuration c's analytic channel under cc. */
LS_NODISCARD ls_status ls_com_preset(const ls_com_config *cc, const ls_config *c, ls_com_result *res, char *msg,
                                     size_t cap);
/** ls_com_preset that also keeps each package case's equalized pulse (ls_com_run_pulses). */
LS_NODISCARD ls_status ls_com_preset_pulses(const ls_com_config *cc, const ls_config *c, ls_com_result *res,
                                            ls_com_pulses *pulses, char *msg, size_t cap);

#ifdef __cplusplus
}
#endif
#endif

/**
 * @file wdm.h
 * The lane group of a cpo-wdm configuration (sim/wdm_info.c; docs/cpo-wdm.md): its grid, each line's
 * closed-form crosstalk, the line the preset simulates as the victim, the heater power per ring and the
 * bandwidth per fibre and per mm of shoreline.
 */
#ifndef LS_WDM_H
#define LS_WDM_H

#include <stddef.h>

#include "lanesim/config.h"
#include "lanesim/ring_wdm.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    unsigned n_ch;    /**< wdm.channels */
    unsigned victim;  /**< the line the preset simulates (wdm.victim, or the one with the most crosstalk) */
    double spacing_ghz, fsr_ghz;
    double mod_fwhm_ghz, drop_fwhm_ghz;    /**< nu / Q_l of the modulator and drop rings */
    double wavelength_nm[LS_WDM_MAX_CH];   /**< each line */
    double line_dbm[LS_WDM_MAX_CH];        /**< each line's power into the bus */
    double xtalk_db[LS_WDM_MAX_CH];        /**< ls_wdm_xtalk_db with that line as the victim (nominal drive) */
    double bus_il_db, drop_il_db;          /**< the victim's loss through the other rings and its drop ring */
    double heater_mw;                      /**< per ring (modulator or drop) */
    double tbps_per_fibre;                 /**< wdm.channels x link.rate_gbps, one direction */
    double tbps_per_mm;                    /**< bidirectional: (TX + RX fibres per mm) x tbps_per_fibre / 2 x 2 */
} ls_wdm_info;

/** The lane group of configuration c (a cpo-wdm preset). LS_EINVAL (with msg) for a configuration
    without the wdm.* keys or an invalid lane group. */
LS_NODISCARD ls_status ls_wdm_info_get(const ls_config *c, ls_wdm_info *out, char *msg, size_t cap);

#ifdef __cplusplus
}
#endif
#endif

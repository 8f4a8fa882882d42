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

#ifdef __cplusplus
}
#endif
#endif

/**
 * @file energy.h
 * Energy per bit of a link, part by part, without simulating it (docs/energy.md).
 *
 * Every part reports its electrical power (mW) from its own parameters: the blocks of the link
 * through their power_mw operation (linear driver, TIA, the laser of a modulator block and a
 * ring's heater), and the parts that are not blocks from the power.* / module.* keys: each
 * transmitter (serializer, clocking and DAC; FFE taps; output stage) and receiver (front end, CTLE,
 * ADC, FFE and DFE taps, CDR, MLSE), the laser's cooler, the module's control and the losses of its
 * DC-DC converters. Analog and digital parts scale with the symbol rate (energy per symbol or per
 * operation times the operation rate); lasers, coolers and heaters do not.
 *
 * Accounting: one lane in one direction. Host scope: the transmitter of the host SerDes at one end
 * and the receiver of the host SerDes at the other. Module scope: everything between them (an
 * optical module's transmit half at one end and receive half at the other, which is one module's
 * worth per lane: module power / module throughput). A retimed link (several segments) counts
 * each segment's transmitter and receiver once: segment 0's TX and the last segment's RX are the
 * host's, every other TX and RX is the module's.
 *
 *     pj_per_bit = (host + module) mW / lane bit rate (Gb/s);  module_pj_per_bit = module mW / rate.
 *
 * The lane bit rate is link.rate_gbps (the payload rate; an optical segment running at the
 * inner-FEC rate spends its energy at its own symbol rate).
 */
#ifndef LS_ENERGY_H
#define LS_ENERGY_H

#include <stddef.h>

#include "lanesim/config.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LS_ENERGY_MAX_PARTS 48

/** One part's electrical power. */
typedef struct {
    char name[40];  /**< e.g. "host_rx_adc", "driver", "laser", "module_dcdc" */
    double mw;      /**< electrical power (mW) */
    int module;     /**< 1: module / optical engine scope; 0: host SerDes */
} ls_energy_part;

/** A link's power, part by part, and its energy per bit in both scopes. */
typedef struct {
    double rate_gbps;          /**< lane bit rate (Gb/s) */
    double host_mw;            /**< host SerDes transmitter and receiver */
    double module_mw;          /**< module or optical engine (0 for a passive copper cable) */
    double total_mw;           /**< host_mw + module_mw */
    double pj_per_bit;         /**< total_mw / rate_gbps: the whole lane, end to end */
    double module_pj_per_bit;  /**< module_mw / rate_gbps: the module or optical engine alone */
    size_t n_parts;
    ls_energy_part part[LS_ENERGY_MAX_PARTS]; /**< in signal order, parts of 0 mW left out */
} ls_energy;

/**
 * The energy breakdown of the link described by c (a preset with the power.* keys: copper, lpo,
 * cpo, dsp-retimed). Builds the link's blocks (every segment of a retimed link) but runs nothing:
 * about a millisecond. LS_EINVAL with a one-line reason in msg when the preset has no power model or
 * the configuration does not build.
 */
LS_NODISCARD ls_status ls_energy_compute(const ls_config *c, ls_energy *e, char *msg, size_t cap);

/** The power of the part called name in e (mW), or -1 if e has no such part. */
double ls_energy_part_mw(const ls_energy *e, const char *name);

#ifdef __cplusplus
}
#endif
#endif

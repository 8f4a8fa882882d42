/**
 * @file lanesim.h
 * lanesim: signal-level physical-layer simulator for high-speed PAM4 lanes.
 * Umbrella header: includes every public header of the library.
 */
#ifndef LANESIM_H
#define LANESIM_H

/* phy/core: status, version, random numbers, statistics, blocks, FFT engines */
#include "lanesim/status.h"
#include "lanesim/version.h"
#include "lanesim/rng.h"
#include "lanesim/stats.h"
#include "lanesim/block.h"
#include "lanesim/fftfilt.h"
#include "lanesim/cfftfilt.h"
/* phy: signal machinery, transmitter, receiver, measurement, the key store, the link engine */
#include "lanesim/filter.h"
#include "lanesim/noise.h"
#include "lanesim/ctle.h"
#include "lanesim/eqsolve.h"
#include "lanesim/mlse.h"
#include "lanesim/rx.h"
#include "lanesim/stateye.h"
#include "lanesim/prbs.h"
#include "lanesim/pam.h"
#include "lanesim/tx.h"
#include "lanesim/ber.h"
#include "lanesim/fec.h"
#include "lanesim/eye.h"
#include "lanesim/xtalk.h"
#include "lanesim/ami.h"
#include "lanesim/config.h"
#include "lanesim/link.h"
/* channels/copper and channels/optical: channel and device models */
#include "lanesim/touchstone.h"
#include "lanesim/com.h"
#include "lanesim/tline.h"
#include "lanesim/optx.h"
#include "lanesim/ring_wdm.h"
#include "lanesim/optrx.h"
#include "lanesim/mmf.h"
#include "lanesim/vcsel.h"
/* channels/presets: a preset's analytic channel */
#include "lanesim/channel.h"
/* sim: configuration to link, run, reach, energy */
#include "lanesim/run.h"
#include "lanesim/reach.h"
#include "lanesim/energy.h"
#include "lanesim/wdm.h"

#endif

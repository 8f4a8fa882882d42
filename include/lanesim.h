/**
 * @file lanesim.h
 * lanesim: signal-level physical-layer simulator for high-speed PAM4 lanes.
 * Umbrella header: includes every public header of the library.
 */
#ifndef LANESIM_H
#define LANESIM_H

#include "lanesim/status.h"
#include "lanesim/version.h"
#include "lanesim/rng.h"
#include "lanesim/stats.h"
#include "lanesim/block.h"
#include "lanesim/fftfilt.h"
#include "lanesim/filter.h"
#include "lanesim/noise.h"
#include "lanesim/ctle.h"
#include "lanesim/eqsolve.h"
#include "lanesim/mlse.h"
#include "lanesim/rx.h"
#include "lanesim/stateye.h"
#include "lanesim/touchstone.h"
#include "lanesim/tline.h"
#include "lanesim/prbs.h"
#include "lanesim/pam.h"
#include "lanesim/tx.h"
#include "lanesim/ber.h"
#include "lanesim/fec.h"
#include "lanesim/eye.h"
#include "lanesim/config.h"
#include "lanesim/link.h"
#include "lanesim/xtalk.h"
#include "lanesim/cfftfilt.h"
#include "lanesim/optx.h"
#include "lanesim/optrx.h"
#include "lanesim/run.h"
#include "lanesim/energy.h"

#endif

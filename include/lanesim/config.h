/**
 * @file config.h
 * Link descriptions: a preset plus `section.key = value` overrides, from the API, from
 * `-s section.key=value` on the command line, or from an INI file.
 *
 * Every key is declared once (name, type, default, unit, range, help) and validated when it is
 * set, so a typo or an out-of-range value is reported with the key, and for INI files the file and
 * line, before anything runs. Keys carry their unit in the name (`link.rate_gbps`, `tx.swing_vpp`).
 *
 * Key families: a key declared as "prefix.*" (a string) stands for any "prefix.NAME": setting one adds it
 * as a string key of its own (listed, copied, typed getters and origins as for declared keys); the
 * family key itself cannot be set. The IBIS-AMI model parameters ami.tx.NAME and ami.rx.NAME are such.
 *
 * INI files: `preset = NAME` before the first section (or in [link]), then sections:
 *     preset = awgn
 *     [noise]
 *     snr_db = 17
 */
#ifndef LS_CONFIG_H
#define LS_CONFIG_H

#include <stddef.h>

#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Value type of a key. */
typedef enum {
    LS_P_REAL,   /**< real number; "inf" allowed when max is INFINITY */
    LS_P_INT,    /**< integer (also written 1e6) */
    LS_P_BOOL,   /**< true/false, yes/no, on/off, 1/0 */
    LS_P_ENUM,   /**< one of `choices` ("a|b|c") */
    LS_P_LIST,   /**< comma-separated reals, each in [min, max], at most max_items; may be empty */
    LS_P_STRING  /**< free text (e.g. a file name) */
} ls_param_type;

/** Declaration of one key. */
typedef struct {
    const char *key;      /**< "section.name" */
    ls_param_type type;
    const char *dflt;     /**< default value as text */
    const char *unit;     /**< unit ("" if none) */
    double min, max;      /**< inclusive range of numbers / list items */
    const char *choices;  /**< enum choices "a|b|c" */
    unsigned max_items;   /**< list capacity */
    const char *help;     /**< one-line description */
} ls_param_def;

typedef struct ls_config ls_config;

/** A configuration holding the preset's defaults. msg (cap bytes) gets a one-line reason on failure. */
ls_config *ls_config_create(const char *preset, char *msg, size_t cap, ls_status *err);
/** Reads an INI file (see above); msg gets "FILE:LINE: reason" on failure (LS_EINVAL or LS_EIO). */
ls_config *ls_config_load_ini(const char *path, char *msg, size_t cap, ls_status *err);
/** Reads the `[section] key = value` lines of an INI file into c (a store that has no preset line, such
    as the cluster's, lanesim/cluster.h), recording each key's origin; msg gets "FILE:LINE: reason" on the
    first bad line (LS_EINVAL, c then holds the lines before it) or an unreadable file (LS_EIO). */
LS_NODISCARD ls_status ls_config_read_ini(ls_config *c, const char *path, char *msg, size_t cap);
/** A preset name, or a path ending in .ini (or naming an existing file) loaded with ls_config_load_ini. */
ls_config *ls_config_load(const char *preset_or_file, char *msg, size_t cap, ls_status *err);
/** Deep copy; NULL on allocation failure. */
ls_config *ls_config_copy(const ls_config *c);
/** Sets key to value after validating both; on failure the config is unchanged and msg says why. */
LS_NODISCARD ls_status ls_config_set(ls_config *c, const char *key, const char *value, char *msg, size_t cap);
/** Parses "section.key=value" and sets it. */
LS_NODISCARD ls_status ls_config_set_assignment(ls_config *c, const char *assignment, char *msg, size_t cap);
/** Records where the value of key came from (e.g. "FILE:LINE", copied; NULL clears it), so that a
    later error about the key can name that place. ls_config_set clears it; INI loading sets it. */
LS_NODISCARD ls_status ls_config_set_origin(ls_config *c, const char *key, const char *origin);
/** Where the value of key was set, or NULL (a default, an API or -s value). */
const char *ls_config_origin(const ls_config *c, const char *key);
/** The origin of the first key named in msg that has one (e.g. the INI line of "link.sps" in
    "link.sps: 4 is too few samples per UI for rx.filter"), or NULL. */
const char *ls_config_blame(const ls_config *c, const char *msg);
/** Name of the preset this configuration starts from. */
const char *ls_config_preset(const ls_config *c);
/** Number of keys, their declarations and current values (text), for listing and JSON output. */
size_t ls_config_count(const ls_config *c);
const ls_param_def *ls_config_def(const ls_config *c, size_t i);
const char *ls_config_text(const ls_config *c, size_t i);
/** Declaration of key, or NULL when the preset does not have it. */
const ls_param_def *ls_config_find(const ls_config *c, const char *key);
/** Typed getters; the key must exist in the preset (programming error otherwise: NAN / 0 / NULL). */
double ls_config_real(const ls_config *c, const char *key);
long long ls_config_int(const ls_config *c, const char *key);
int ls_config_bool(const ls_config *c, const char *key);
const char *ls_config_str(const ls_config *c, const char *key);
/** List value into v[0..cap); returns the number of items. */
size_t ls_config_list(const ls_config *c, const char *key, double *v, size_t cap);
void ls_config_destroy(ls_config *c);

/** The presets: count, names and one-line summaries. */
size_t ls_preset_count(void);
const char *ls_preset_name(size_t i);
const char *ls_preset_summary(size_t i);

#ifdef __cplusplus
}
#endif
#endif

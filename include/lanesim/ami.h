/**
 * @file ami.h
 * IBIS-AMI (IBIS 7.x, "Algorithmic Modeling Interface"): vendors' SerDes equalizer models, a
 * shared library with AMI_Init, AMI_GetWave and AMI_Close, described by an .ami parameter file and
 * named in the [Algorithmic Model] section of an .ibs file. docs/ibis-ami.md.
 *
 * Three layers, each usable alone:
 *  - readers: the .ami parameter tree (ls_ami_params: Reserved_Parameters and Model_Specific,
 *    Usage/Type/Format/Default/Description), the input parameter string built from the defaults and
 *    the user's overrides, the output parameter string flattened to NAME=VALUE pairs, and the .ibs
 *    [Algorithmic Model] Executable lines (ls_ami_ibs_find);
 *  - execution (ls_ami_model): dlopen in this process, or in a child process over a socket pair
 *    (isolate: a model that crashes takes only the child down);
 *  - the block (ls_ami_block_*): an AMI model as a block of the link's chain: Init-only flow as an
 *    LTI block whose H(f) is the model's equalization fitted from AMI_Init's impulse in/out, GetWave
 *    flow as a stateful block that streams the waveform through AMI_GetWave.
 *
 * Errors: every function returns an ls_status and a one-line message naming the file (and line
 * for the readers, or the model's own message); nothing prints or exits.
 */
#ifndef LS_AMI_H
#define LS_AMI_H

#include <stddef.h>
#include <stdint.h>

#include "lanesim/block.h"
#include "lanesim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LS_AMI_NAME_LEN 128   /**< longest parameter path ("branch.leaf") */
#define LS_AMI_VALUE_LEN 256  /**< longest value text */
#define LS_AMI_MAX_ITEMS 64   /**< most items of a Format (List entries, Range typ/min/max, ...) */
#define LS_AMI_PATH_LEN 1024  /**< longest file path */

/** Usage of a parameter. */
typedef enum { LS_AMI_IN = 0, LS_AMI_OUT, LS_AMI_INOUT, LS_AMI_INFO } ls_ami_usage;
/** Type of a parameter. */
typedef enum { LS_AMI_FLOAT = 0, LS_AMI_INTEGER, LS_AMI_STRING, LS_AMI_BOOLEAN, LS_AMI_TAP, LS_AMI_UI } ls_ami_type;
/** Format (data format) of a parameter. */
typedef enum {
    LS_AMI_VALUE = 0, /**< (Value v) */
    LS_AMI_RANGE,     /**< (Range typ min max) */
    LS_AMI_LIST,      /**< (List typ? v1 v2 ...): the default is the Default, else the first entry */
    LS_AMI_CORNER,    /**< (Corner typ slow fast) */
    LS_AMI_INCREMENT, /**< (Increment typ min max delta) */
    LS_AMI_STEPS,     /**< (Steps typ min max n) */
    LS_AMI_OTHER      /**< Table, Gaussian, Dual-Dirac, DjRj, ...: kept as text, not passed */
} ls_ami_format;

/** One leaf parameter of the tree. */
typedef struct {
    char name[LS_AMI_NAME_LEN];  /**< path below Reserved_Parameters / Model_Specific, '.'-joined */
    int reserved;                /**< 1: under Reserved_Parameters */
    int line;                    /**< line of the parameter in the .ami file */
    ls_ami_usage usage;
    ls_ami_type type;
    ls_ami_format format;
    char items[LS_AMI_MAX_ITEMS][48]; /**< the Format's data as written (List entries, typ min max ...) */
    unsigned n_items;
    char value[LS_AMI_VALUE_LEN];     /**< current value: Default, else the Format's typical, or an override */
    char description[160];
    char format_name[24];             /**< the Format's name as written ("Range", "Gaussian", "DjRj", ...) */
} ls_ami_param;

typedef struct ls_ami_params ls_ami_params;

/** Parses an .ami parameter tree from text; `file` names it in messages ("FILE:LINE: problem").
    NULL on failure (*err LS_EINVAL, or LS_ENOMEM). Never crashes on any input. */
ls_ami_params *ls_ami_params_parse(const char *text, size_t len, const char *file, char *msg, size_t cap,
                                   ls_status *err);
/** Reads and parses an .ami file (LS_EIO when it cannot be read). */
ls_ami_params *ls_ami_params_load(const char *path, char *msg, size_t cap, ls_status *err);
void ls_ami_params_destroy(ls_ami_params *p);
/** The root name (the model's name, first token of the tree). */
const char *ls_ami_params_root(const ls_ami_params *p);
size_t ls_ami_params_count(const ls_ami_params *p);
const ls_ami_param *ls_ami_params_at(const ls_ami_params *p, size_t i);
/** The parameter named `name` (its path, case-sensitive), or NULL. */
const ls_ami_param *ls_ami_params_find(const ls_ami_params *p, const char *name);
/** Overrides a parameter's value after checking it against Usage (In or InOut), Type and Format. */
LS_NODISCARD ls_status ls_ami_params_set(ls_ami_params *p, const char *name, const char *value, char *msg,
                                         size_t cap);
/** A reserved Boolean (Init_Returns_Impulse, GetWave_Exists, ...): 1/0, or dflt when absent. */
int ls_ami_params_flag(const ls_ami_params *p, const char *name, int dflt);
/** A reserved number (Ignore_Bits, Max_Init_Aggressors, ...), or dflt when absent or not a number. */
double ls_ami_params_number(const ls_ami_params *p, const char *name, double dflt);
/**
 * The AMI_parameters_in string: "(root (name value) ...)" with every In and InOut parameter of the
 * Model_Specific branch (nested branches kept as sub-lists) and the In/InOut reserved parameters the
 * model declares, strings quoted. out gets at most cap bytes; LS_EINVAL when it does not fit.
 */
LS_NODISCARD ls_status ls_ami_params_input_string(const ls_ami_params *p, char *out, size_t cap);

/** One output parameter: its path below the root ('.'-joined) and its value text. */
typedef struct {
    char name[LS_AMI_NAME_LEN];
    char value[LS_AMI_VALUE_LEN];
} ls_ami_kv;
/** Flattens a parameter string "(root (a 1) (b (c 2)))" into {a=1, b.c=2}; *n gets the count (at most
    cap kept). LS_EINVAL with a message for malformed text. */
LS_NODISCARD ls_status ls_ami_output_parse(const char *text, ls_ami_kv *kv, size_t cap, size_t *n, char *msg,
                                           size_t mcap);

/** What an .ibs file names for a model's [Algorithmic Model] on this platform. */
typedef struct {
    char model[LS_AMI_NAME_LEN];   /**< the [Model] name */
    char platform[64];             /**< Platform_Compiler_Bits of the chosen Executable line */
    char library[LS_AMI_PATH_LEN]; /**< the shared library, relative to the .ibs file's folder resolved */
    char ami[LS_AMI_PATH_LEN];     /**< the .ami file, likewise */
} ls_ami_ibs_entry;
/**
 * Finds the [Algorithmic Model] of `model` (NULL or "": the only model that has one) in an .ibs file
 * and the Executable line for this platform (Linux, the build's pointer width in bits). Messages
 * "FILE:LINE: problem" (LS_EINVAL), LS_EIO when the file cannot be read.
 */
LS_NODISCARD ls_status ls_ami_ibs_find(const char *ibs_path, const char *model, ls_ami_ibs_entry *out, char *msg,
                                       size_t cap);
/** As ls_ami_ibs_find on text in memory (`file` for messages and relative paths; NULL: none). */
LS_NODISCARD ls_status ls_ami_ibs_parse(const char *text, size_t len, const char *file, const char *model,
                                        ls_ami_ibs_entry *out, char *msg, size_t cap);

/** A loaded model: one AMI_Init memory handle. */
typedef struct ls_ami_model ls_ami_model;
/** Loads library (dlopen) and checks the three symbols; isolate: in a child process. `label` names
    the model in messages (e.g. the .ibs file and model). */
ls_ami_model *ls_ami_model_open(const char *library, const char *label, int isolate, char *msg, size_t cap,
                                ls_status *err);
/**
 * AMI_Init: impulse[0..rows*(1+aggressors)) in place (the returned impulse when the model returns
 * one), sample interval and bit time (s), the input parameter string. A non-zero return is an
 * error with the model's own message; a non-finite returned impulse is an error too.
 */
LS_NODISCARD ls_status ls_ami_model_init(ls_ami_model *m, double *impulse, size_t rows, size_t aggressors,
                                         double sample_s, double bit_s, const char *params_in, char *msg,
                                         size_t cap);
/** AMI_GetWave on wave[0..n) in place; clock[0..n] gets the clock times, *n_clock their count (up to the
    model's -1 terminator). Non-finite output is an error. */
LS_NODISCARD ls_status ls_ami_model_getwave(ls_ami_model *m, double *wave, size_t n, double *clock, size_t *n_clock,
                                            char *msg, size_t cap);
/** The last output parameter string the model returned (Init or GetWave), or "". */
const char *ls_ami_model_params_out(const ls_ami_model *m);
/** The model's last message from AMI_Init, or "". */
const char *ls_ami_model_message(const ls_ami_model *m);
/** AMI_Close (when Init succeeded) and unload; NULL-safe. */
void ls_ami_model_close(ls_ami_model *m);

/** Flow of an AMI block. */
typedef enum {
    LS_AMI_FLOW_AUTO = 0, /**< GetWave when GetWave_Exists, else Init-only */
    LS_AMI_FLOW_INIT,     /**< Init-only: the model's equalization fitted from AMI_Init as an LTI block */
    LS_AMI_FLOW_GETWAVE   /**< AMI_GetWave on the waveform, chunk by chunk */
} ls_ami_flow;

/** An AMI model as a block of the link's chain. */
typedef struct {
    const char *ibs;             /**< "FILE.ibs" or "FILE.ibs:MODEL" */
    const char *overrides;       /**< "name=value;name=value" (the model's parameter paths), or NULL */
    int isolate;                 /**< run the model in a child process */
    ls_ami_flow flow;
    double baud;                 /**< symbol rate (Bd): bit_time = 1 / baud (one UI) */
    unsigned sps;                /**< samples per UI: sample_interval = 1 / (sps baud) */
    size_t max_chunk;            /**< longest process call (samples) */
} ls_ami_block_config;
void ls_ami_block_config_init(ls_ami_block_config *cfg);
/** Reads the .ibs and .ami files, applies the overrides and loads the model; AMI_Init is deferred
    to ls_ami_block_init (the impulse response is the chain's). msg names the file. */
LS_NODISCARD ls_status ls_ami_block_create(const ls_ami_block_config *cfg, ls_block *out, char *msg, size_t cap);
/** 1 when b is an AMI block. */
int ls_ami_block_is(const ls_block *b);
/**
 * AMI_Init with the impulse response h[0..n) (1/s, at the block's sample interval) of the chain the
 * model sees; fits the model's equalization H(f) from the returned impulse (when it returns one) for
 * the Init-only flow and the link's small-signal model. Must be called once before the block runs.
 */
LS_NODISCARD ls_status ls_ami_block_init(ls_block *b, const double *h, size_t n, char *msg, size_t cap);
/**
 * AMI_Init with an impulse matrix (IBIS 7.x): h holds n rows of column 0, the victim's impulse
 * response as for ls_ami_block_init, then column k = 1..aggressors, aggressor k's impulse response
 * at the model's input (1/s, same sample interval); aggressors <= ls_ami_block_max_aggressors(b).
 * What the model returns in the aggressor columns is kept (ls_ami_block_aggressor).
 */
LS_NODISCARD ls_status ls_ami_block_init_matrix(ls_block *b, const double *h, size_t n, size_t aggressors,
                                                char *msg, size_t cap);
/** The model's Max_Init_Aggressors (0 when absent or when AMI_Init returns no impulse). */
size_t ls_ami_block_max_aggressors(const ls_block *b);
/** What AMI_Init returned for aggressor k (0-based; column k + 1), *rows samples, owned by the block;
    NULL before Init or when k >= the aggressors passed. */
const double *ls_ami_block_aggressor(const ls_block *b, size_t k, size_t *rows);
/**
 * AMI_Init of the receiver model blocks[i_ami] with the impulse response of blocks[0..i_ami) and,
 * when the model is the chain's last block, an "xtalk" block precedes it and the model accepts
 * aggressors (Max_Init_Aggressors, Init_Returns_Impulse), the responses of the first
 * Max_Init_Aggressors aggressors from their DACs to the model's input (the xtalk block's path FIR
 * convolved with the impulse response of the blocks between); what the model returns for them
 * becomes their pulses at the chain's end (ls_xtalk_set_end_pulse) for the statistical analysis.
 * phy/ami_xtalk.c, docs/ibis-ami.md "Aggressors".
 */
LS_NODISCARD ls_status ls_ami_block_init_rx(ls_block *blocks, size_t n_blocks, size_t i_ami, double fs, char *msg,
                                            size_t cap);
/** The small-signal impulse response (1/s, sample interval 1/fs) of blocks[0..n) (LTI responses,
    small_signal or linearize of the others) into h[0..len); the blocks' pre-cursor time is a delay. */
LS_NODISCARD ls_status ls_ami_chain_impulse(const ls_block *blocks, size_t n, double fs, double *h, size_t len);
/** A length (samples, a power of two) that holds the impulse response of blocks[0..n) at fs. */
size_t ls_ami_chain_length(const ls_block *blocks, size_t n, double fs);

/** What an AMI block reports. */
typedef struct {
    ls_ami_flow flow;               /**< the flow it runs */
    char model[LS_AMI_NAME_LEN];    /**< root name of the .ami tree */
    char params_in[1024];           /**< the input parameter string (truncated) */
    char params_out[1024];          /**< the last output parameter string (truncated) */
    double ignore_bits;             /**< Ignore_Bits (0 when absent) */
    uint64_t clock_count;           /**< clock times returned by GetWave since create */
    double clock_period_s;          /**< mean interval between them (0 when fewer than 2) */
    double clock_jitter_s;          /**< rms deviation from a straight line through them */
} ls_ami_block_info;
LS_NODISCARD ls_status ls_ami_block_get_info(const ls_block *b, ls_ami_block_info *info);
/** The block's parameters (the .ami tree with the overrides), or NULL when b is not an AMI block. */
const ls_ami_params *ls_ami_block_params(const ls_block *b);
/** The first error an AMI block met while running (a block's process can return only a status):
    copies it into buf and returns its length (0: none); clear: forget it. Thread-safe. */
size_t ls_ami_last_error(char *buf, size_t cap, int clear);

#ifdef __cplusplus
}
#endif
#endif

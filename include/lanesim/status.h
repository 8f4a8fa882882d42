/**
 * @file status.h
 * Status codes returned by every fallible lanesim call.
 *
 * Codes are negative on failure [Opus]; LS_OK is zero. `create` functions return NULL and
 * store the code in `*err` (when err is not NULL); everything else returns the code.
 */
#ifndef LS_STATUS_H
#define LS_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/** Result of a fallible call. */
typedef enum {
    LS_OK = 0,           /**< success */
    LS_EINVAL = -1,      /**< invalid argument or configuration */
    LS_ENOMEM = -2,      /**< allocation failed */
    LS_ESTATE = -3,      /**< call not valid in the object's current state */
    LS_EFFT = -4,        /**< FFTW could not make a plan */
    LS_EIO = -5,         /**< file could not be read or written */
    LS_EINTERNAL = -6    /**< internal error (a bug) */
} ls_status;

#if defined(__GNUC__) || defined(__clang__)
#define LS_NODISCARD __attribute__((warn_unused_result))
#else
#define LS_NODISCARD
#endif

/** Short English description of a status code; never NULL ("unknown status" for others). */
const char *ls_strerror(ls_status s);

#ifdef __cplusplus
}
#endif
#endif

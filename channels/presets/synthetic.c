/*
 * The synthetic presets (each names its key sections, overrides some defaults and builds an
 * lsi_link_spec from a validated configuration, as every preset does; table in preset_table.c):
 *
 *  awgn  ideal channel plus slicer-referred AWGN (noise.snr_db = Es/sigma^2 at the slicer), with
 *        optional TX and RX low-pass filters (Butterworth, Bessel-Thomson, Gaussian, RC) and TX
 *        jitter, so band-limited links can be built before the channel models exist.
 *  flat  a frequency-flat attenuator and fixed RX noise: a BER with a closed form in the length.
 */
#include <complex.h>
#include <math.h>

#include "ls_internal.h"
#include "ls_presets.h"

ls_status lsi_build_awgn(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    ls_status st;
    if ((st = lsi_build_common(c, s, msg, cap)) != LS_OK || (st = lsi_add_lowpass(c, s, "tx", 0, msg, cap)) != LS_OK ||
        (st = lsi_add_rx_noise(c, s, msg, cap)) != LS_OK || (st = lsi_add_lowpass(c, s, "rx", 0, msg, cap)) != LS_OK ||
        (st = lsi_build_receiver(c, s, msg, cap)) != LS_OK)
        return st;
    return LS_OK;
}

/*
 * flat: a synthetic channel whose BER has a closed form in the length: a frequency-flat attenuator
 * H = 10^(-a L / 20) (a = flat.loss_db_per_m) and fixed RX input noise (rx.eta0_v2_ghz), so the slicer
 * SNR is SNR0 - a L dB. It checks reach searches and sweeps against the PAM closed form.
 */
typedef struct {
    double g;
} flat_att;

static ls_status flat_response(const void *self, const double *f_hz, double complex *h, size_t n)
{
    (void)f_hz;
    for (size_t i = 0; i < n; i++)
        h[i] = ((const flat_att *)self)->g;
    return LS_OK;
}

static double flat_zero(const void *self)
{
    (void)self;
    return 0.0;
}

static void flat_destroy(void *self)
{
    ls_free(self);
}

static const ls_block_ops flat_ops = { .name = "attenuator", .kind = LS_KIND_LTI, .in = LS_T_F32, .out = LS_T_F32,
                                       .response = flat_response, .span_s = flat_zero, .pre_s = flat_zero,
                                       .destroy = flat_destroy };

ls_status lsi_build_flat(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    ls_status st;
    if ((st = lsi_build_common(c, s, msg, cap)) != LS_OK)
        return st;
    flat_att *q = ls_alloc(sizeof *q);
    if (!q)
        return LS_ENOMEM;
    q->g = pow(10.0, -ls_config_real(c, "flat.loss_db_per_m") * ls_config_real(c, "link.length_m") / 20.0);
    if ((st = lsi_spec_push(s, (ls_block){ &flat_ops, q }, msg, cap)) != LS_OK ||
        (st = lsi_add_rx_noise(c, s, msg, cap)) != LS_OK || (st = lsi_build_receiver(c, s, msg, cap)) != LS_OK)
        return st;
    return LS_OK;
}

const char *const lsi_flat_sections[] = { "link", "link_length", "flat", "tx", "jitter", "noise", "rx", "adc",
                                           "ffe", "dfe", "cdr", "slicer", "eye", "run", NULL };
const char *const lsi_flat_overrides[] = { "link.sps=1", "rx.eta0_v2_ghz=1.7e-6", NULL };

const char *const lsi_awgn_sections[] = { "link", "tx", "jitter", "noise", "rx", "adc", "ffe", "dfe", "cdr",
                                             "mlse", "slicer", "eye", "run", NULL };
const char *const lsi_awgn_overrides[] = { "noise.snr_db=18", NULL };

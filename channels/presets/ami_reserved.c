/*
 * IBIS-AMI reserved jitter, noise and sensitivity parameters applied to lanesim's link where lanesim
 * has the mechanism (docs/ibis-ami.md "Reserved parameters"). Conventions of IBIS 5.1+ (BIRD 123; the
 * jitter figures are "half the peak to peak" except RJ, rms), in seconds for Type Float, in UI for
 * Type UI; lanesim's jitter keys are peak-to-peak (DJ dual-Dirac, SJ, DCD) and rms (RJ):
 *   TX model: Tx_Rj (rms)       -> jitter.rj_ui  (added in quadrature to lanesim's own)
 *             Tx_Dj (half pp)   -> jitter.dj_ui += 2 Tx_Dj (IBIS: uniform over +-Tx_Dj; lanesim's DJ is
 *                                  dual-Dirac with the same peak-to-peak, the bounded law's worst case)
 *             Tx_DCD (half pp)  -> jitter.dcd_ui += 2 Tx_DCD
 *             Tx_Sj (half pp) with Tx_Sj_Frequency (Hz) -> jitter.sj_ui = 2 Tx_Sj, jitter.sj_mhz (replace;
 *                                  Tx_Sj without its frequency is ignored, as IBIS says)
 *             Tx_Jitter (IBIS 5.0): Gaussian mean sigma -> RJ sigma; Dual-Dirac mean offset sigma ->
 *                                  DJ pp 2 offset, RJ sigma; DjRj minDj maxDj sigma -> DJ pp maxDj - minDj,
 *                                  RJ sigma (means are a fixed delay: dropped); Table: not applied.
 *   RX model: Rx_Noise (V rms)  -> slicer-referred AWGN (link noise_v_rms, with noise.snr_db's in power)
 *             Rx_Receiver_Sensitivity (V) -> every slicer threshold raised by it (a comparator offset
 *                                  of that size: the worst-case reading of a sensitivity)
 *   Not applied (named in a warning of the link): Rx_Rj, Rx_Dj, Rx_Sj, Rx_DCD, Rx_Clock_PDF,
 *   Rx_Clock_Recovery_Mean/_Rj/_Dj/_Sj/_DCD (lanesim has no receiver clock jitter; a GetWave model's
 *   clock times carry its clock).
 * A parameter of Usage Out or InOut is read from the model's output string after AMI_Init when it is
 * there, else (and for Info) from the .ami file's value.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lanesim/ami.h"
#include "ls_internal.h"
#include "ls_presets.h"

/* The number a reserved parameter of block b holds (output string first for Out/InOut); *ui when its Type
   is UI. 0 when found and numeric. */
static int reserved(const ls_block *b, const char *name, double *v, int *ui)
{
    const ls_ami_param *p = ls_ami_params_find(ls_ami_block_params(b), name);
    if (!p || !p->reserved)
        return -1;
    *ui = p->type == LS_AMI_UI;
    const char *text = p->value;
    ls_ami_block_info info;
    ls_ami_kv kv[64];
    size_t n = 0;
    char m[200];
    if ((p->usage == LS_AMI_OUT || p->usage == LS_AMI_INOUT) && ls_ami_block_get_info(b, &info) == LS_OK &&
        ls_ami_output_parse(info.params_out, kv, 64, &n, m, sizeof m) == LS_OK)
        for (size_t i = 0; i < n; i++)
            if (!strcmp(kv[i].name, name))
                text = kv[i].value;
    char *end;
    *v = strtod(text, &end);
    return end != text && isfinite(*v) ? 0 : -1;
}

/* A time-valued reserved parameter in UI (0 when absent); -1 when present but not a number >= 0. */
static int reserved_ui(const ls_block *b, const char *name, double baud, double *v_ui)
{
    int ui;
    *v_ui = 0;
    if (!ls_ami_params_find(ls_ami_block_params(b), name))
        return 0;
    if (reserved(b, name, v_ui, &ui) || *v_ui < 0)
        return -1;
    if (!ui)
        *v_ui *= baud;
    return 0;
}

/* Tx_Jitter (IBIS 5.0 formats) into rms RJ and peak-to-peak DJ (UI). */
static int tx_jitter(const ls_block *b, double baud, double *rj, double *dj)
{
    const ls_ami_param *p = ls_ami_params_find(ls_ami_block_params(b), "Tx_Jitter");
    *rj = *dj = 0;
    if (!p)
        return 0;
    double x[3] = { 0 }, k = p->type == LS_AMI_UI ? 1.0 : baud;
    for (unsigned i = 0; i < 3 && i < p->n_items; i++)
        x[i] = strtod(p->items[i], NULL) * k;
    if (!strcasecmp(p->format_name, "Gaussian") && p->n_items >= 2)
        *rj = x[1];
    else if (!strcasecmp(p->format_name, "Dual-Dirac") && p->n_items >= 3)
        *rj = x[2], *dj = 2 * fabs(x[1]);
    else if (!strcasecmp(p->format_name, "DjRj") && p->n_items >= 3)
        *rj = x[2], *dj = fabs(x[1] - x[0]);
    else
        return 1; /* Table or unknown: not applied */
    return *rj >= 0 && isfinite(*rj) && isfinite(*dj) ? 0 : -1;
}

static ls_status tx_side(lsi_link_spec *s, const ls_block *b, char *msg, size_t cap)
{
    ls_tx_config *t = &s->tx;
    double rj, dj, dcd, sj, sjf = 0, jrj, jdj;
    int ui;
    if (reserved_ui(b, "Tx_Rj", s->baud, &rj) || reserved_ui(b, "Tx_Dj", s->baud, &dj) ||
        reserved_ui(b, "Tx_DCD", s->baud, &dcd) || reserved_ui(b, "Tx_Sj", s->baud, &sj) ||
        tx_jitter(b, s->baud, &jrj, &jdj) < 0 ||
        (ls_ami_params_find(ls_ami_block_params(b), "Tx_Sj_Frequency") &&
         (reserved(b, "Tx_Sj_Frequency", &sjf, &ui) || !(sjf >= 0)))) {
        lsi_say(msg, cap, "tx.ami: a Tx_Rj/Tx_Dj/Tx_DCD/Tx_Sj/Tx_Sj_Frequency/Tx_Jitter value that is not a number >= 0");
        return LS_EINVAL;
    }
    if (tx_jitter(b, s->baud, &jrj, &jdj) == 1) {
        jrj = jdj = 0;
        lsi_spec_warn(s, "tx.ami: Tx_Jitter in a Table format is not applied");
    }
    t->rj_ui = sqrt(t->rj_ui * t->rj_ui + rj * rj + jrj * jrj);
    t->dj_ui += 2 * dj + jdj;
    t->dcd_ui += 2 * dcd;
    if (sj > 0 && sjf > 0) {
        t->sj_ui = 2 * sj;
        t->sj_hz = sjf;
    }
    s->rj_ui = t->rj_ui;
    s->dj_ui = t->dj_ui;
    const double sum = t->dj_ui / 2 + t->sj_ui / 2 + t->dcd_ui / 2 + 6 * t->rj_ui;
    if (sum > 0.49 || (sum > 0 && s->sps < 8)) {
        lsi_say(msg, cap, "tx.ami: with the model's Tx jitter, %s", sum > 0.49 ? "DJ/2 + SJ/2 + DCD/2 + 6 RJ reaches "
                                                                                  "half a UI (edges would cross)"
                                                                                : "link.sps must be 8..128");
        return LS_EINVAL;
    }
    return LS_OK;
}

static const char *const rx_not_applied[] = { "Rx_Rj", "Rx_Dj", "Rx_Sj", "Rx_DCD", "Rx_Clock_PDF",
                                              "Rx_Clock_Recovery_Mean", "Rx_Clock_Recovery_Rj",
                                              "Rx_Clock_Recovery_Dj", "Rx_Clock_Recovery_Sj",
                                              "Rx_Clock_Recovery_DCD" };

static ls_status rx_side(lsi_link_spec *s, const ls_block *b, char *msg, size_t cap)
{
    const ls_ami_params *p = ls_ami_block_params(b);
    double v;
    int ui;
    if (ls_ami_params_find(p, "Rx_Noise")) {
        if (reserved(b, "Rx_Noise", &v, &ui) || !(v >= 0)) {
            lsi_say(msg, cap, "rx.ami: Rx_Noise is not a number >= 0 (V rms)");
            return LS_EINVAL;
        }
        s->noise_v_rms = v;
    }
    if (ls_ami_params_find(p, "Rx_Receiver_Sensitivity")) {
        if (reserved(b, "Rx_Receiver_Sensitivity", &v, &ui) || !(v >= 0)) {
            lsi_say(msg, cap, "rx.ami: Rx_Receiver_Sensitivity is not a number >= 0 (V)");
            return LS_EINVAL;
        }
        s->slicer_offset_v = v;
    }
    char w[LSI_WARN_LEN] = "";
    size_t n = 0;
    for (size_t i = 0; i < sizeof rx_not_applied / sizeof *rx_not_applied; i++)
        if (ls_ami_params_find(p, rx_not_applied[i]) && n < sizeof w)
            n += (size_t)snprintf(w + n, sizeof w - n, "%s%s", n ? ", " : "rx.ami: not applied (no receiver clock "
                                                                         "jitter in lanesim): ", rx_not_applied[i]);
    if (n)
        lsi_spec_warn(s, w);
    return LS_OK;
}

ls_status lsi_ami_reserved(lsi_link_spec *s, size_t i_tx, size_t i_rx, char *msg, size_t cap)
{
    ls_status st;
    if (i_tx < s->n_blocks && (st = tx_side(s, &s->blocks[i_tx], msg, cap)) != LS_OK)
        return st;
    if (i_rx < s->n_blocks && (st = rx_side(s, &s->blocks[i_rx], msg, cap)) != LS_OK)
        return st;
    return LS_OK;
}

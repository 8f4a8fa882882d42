/*
 * The host channel of a module with a host side (lpo, cpo; docs/lpo.md): from the host SerDes die
 * to the module's electrical connector, package (COM model, package.zp_mm) -> host PCB
 * (pcb_lowloss stripline) -> connector (shunt host.connector_ff), and its mirror image on the way
 * back. The same copper blocks as the copper preset (copper.c: lsi_add_package, lsi_add_line,
 * lsi_add_shunt, lsi_push_cascade).
 *
 * host.loss_db > 0 fixes the channel by its insertion loss at host.loss_ghz (default 53.125 GHz, the
 * Nyquist frequency f_N of 212.5 Gb/s PAM4, so that the board is one physical board at every lane
 * rate; 0 = the link's own baud/2), the figure host budgets are written in (LPO MSA 100G-DR-LPO: host die -> module connector
 * <= 16 dB at 26.56 GHz; at 200G/lane NPO/near-package hosts 7-10 dB, front-panel ~22 dB:
 * ../shared/standards/optics_pmd_tdecq_com.md section 4): the PCB length L is solved so that
 *     IL(f_L) = -20 log10 |S21(f_L; L)| = host.loss_db   (f_L = host.loss_ghz),
 * S21 of the whole cascade between 100 ohm terminations (ls_cascade_sparams, reflections
 * included), by bisection on L in [0, 2 m]. The mirror image (RX side) has the same S21 (a
 * reciprocal network reversed: S21' = S12 = S21). host.loss_db = 0 leaves host.pcb_mm in charge.
 */
#include <complex.h>
#include <math.h>

#include "ls_presets.h"

/* package, PCB of pcb_m, connector on one side (TX: die first; RX: the mirror image) */
static ls_status host_cascade(const ls_config *c, ls_pkg_side side, double pcb_m, ls_cascade_config *cas, char *msg,
                              size_t cap)
{
    ls_cascade_config_init(cas);
    /* a host trace and package settle within about a nanosecond (no cable echoes): a 3 ns span keeps
       the FIR short; the tail beyond it is below 1e-6 of the energy (tested against 20 ns) */
    cas->span_max_s = 3e-9;
    const double conn = ls_config_real(c, "host.connector_ff") * 1e-15;
    ls_status st;
    if (side == LS_PKG_TX) {
        if ((st = lsi_add_package(c, LS_PKG_TX, cas, msg, cap)) != LS_OK ||
            (st = lsi_add_line(cas, "pcb_lowloss", pcb_m, msg, cap)) != LS_OK ||
            (st = lsi_add_shunt(cas, conn, msg, cap)) != LS_OK)
            return st;
    } else {
        if ((st = lsi_add_shunt(cas, conn, msg, cap)) != LS_OK ||
            (st = lsi_add_line(cas, "pcb_lowloss", pcb_m, msg, cap)) != LS_OK ||
            (st = lsi_add_package(c, LS_PKG_RX, cas, msg, cap)) != LS_OK)
            return st;
    }
    return LS_OK;
}

double lsi_cascade_loss_db(const ls_cascade_config *cas, double f_hz)
{
    if (!cas->n_seg)
        return 0.0;
    double complex s21;
    if (ls_cascade_sparams(cas, &f_hz, 1, &s21, NULL) != LS_OK)
        return NAN;
    return -20.0 * log10(cabs(s21));
}

ls_status lsi_host_pcb_m(const ls_config *c, double baud, double *pcb_m, char *msg, size_t cap)
{
    const double target = ls_config_real(c, "host.loss_db");
    *pcb_m = ls_config_real(c, "host.pcb_mm") * 1e-3;
    if (!(target > 0))
        return LS_OK;
    const double f_ghz = ls_config_real(c, "host.loss_ghz"), f_n = f_ghz > 0 ? f_ghz * 1e9 : 0.5 * baud;
    double lo = 0.0, hi = 2.0, il_lo, il_hi;
    ls_cascade_config cas;
    ls_status st;
    if ((st = host_cascade(c, LS_PKG_TX, lo, &cas, msg, cap)) != LS_OK)
        return st;
    il_lo = lsi_cascade_loss_db(&cas, f_n);
    if ((st = host_cascade(c, LS_PKG_TX, hi, &cas, msg, cap)) != LS_OK)
        return st;
    il_hi = lsi_cascade_loss_db(&cas, f_n);
    if (!(il_lo <= target) || !(il_hi >= target)) {
        lsi_say(msg, cap, "host.loss_db: %g dB at %.4g GHz is outside what the host channel gives (%.3g dB with no "
                "PCB: package and connector; %.3g dB with 2 m of PCB)", target, f_n / 1e9, il_lo, il_hi);
        return LS_EINVAL;
    }
    for (int it = 0; it < 60 && hi - lo > 1e-9; it++) {
        const double mid = 0.5 * (lo + hi);
        if ((st = host_cascade(c, LS_PKG_TX, mid, &cas, msg, cap)) != LS_OK)
            return st;
        if (lsi_cascade_loss_db(&cas, f_n) < target)
            lo = mid;
        else
            hi = mid;
    }
    *pcb_m = 0.5 * (lo + hi);
    return LS_OK;
}

ls_status lsi_host_channel(const ls_config *c, double baud, ls_pkg_side side, ls_cascade_config *cas, char *msg,
                           size_t cap)
{
    double pcb_m;
    ls_status st = lsi_host_pcb_m(c, baud, &pcb_m, msg, cap);
    return st != LS_OK ? st : host_cascade(c, side, pcb_m, cas, msg, cap);
}

ls_status lsi_host_side(const ls_config *c, lsi_link_spec *s, ls_pkg_side side, char *msg, size_t cap)
{
    ls_cascade_config cas;
    ls_status st = lsi_host_channel(c, s->baud, side, &cas, msg, cap);
    if (st != LS_OK)
        return st;
    return cas.n_seg ? lsi_push_cascade(s, &cas, msg, cap) : LS_OK;
}

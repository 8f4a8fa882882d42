/*
 * lanesim run's results for a class preset (cli/run_out.h): the "class" object of the JSON document
 * and the verdict under the table (sim/pmd_class.c, docs/classes.md). Split from cli/run_out.c.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "run_out.h"

/* "class" of a class preset's run (sim/pmd_class.c, docs/classes.md) */
void run_class_json(cJSON *j, const ls_class_result *k)
{
    if (!k->on)
        return;
    static const char *const terms[LS_CLASS_TERMS] = { "loss", "mpi", "tdecq", "dispersion", "receiver" };
    cJSON *o = cJSON_AddObjectToObject(j, "class");
    cJSON_AddStringToObject(o, "name", k->name);
    cJSON_AddNumberToObject(o, "reach_m", k->reach_m);
    cJSON_AddNumberToObject(o, "length_m", k->length_m);
    cJSON_AddBoolToObject(o, "pass", k->pass);
    cJSON_AddNumberToObject(o, "margin_db", k->margin_db);
    cJSON_AddNumberToObject(o, "margin_stat_db", k->margin_stat_db);
    cJSON_AddNumberToObject(o, "mc_stat_ratio", k->mc_stat_ratio);
    cJSON_AddStringToObject(o, "limited_by", k->limited_by);
    cJSON_AddStringToObject(o, "budget", k->budget);
    cJSON_AddNumberToObject(o, "target_ber", k->target_ber);
    cJSON_AddStringToObject(o, "verdict_by", k->mc ? "mc" : "stat");
    if (k->mc)
        cJSON_AddNumberToObject(o, "ber", k->ber);
    else
        cJSON_AddNullToObject(o, "ber");
    cJSON_AddStringToObject(o, "ber_at", k->inner ? "after the inner code" : "slicer (RS input)");
    cJSON_AddNumberToObject(o, "tdecq_db", k->tdecq_db);
    cJSON_AddNumberToObject(o, "tecq_db", k->tecq_db);
    cJSON_AddNumberToObject(o, "tdecq_tp3_db", k->tdecq_tp3_db);
    if (k->worst) {
        cJSON_AddNumberToObject(o, "oma_min_dbm", k->oma_min_dbm);
        cJSON_AddNumberToObject(o, "tx_modulator_bw_ghz", k->tx_bw_ghz);
        cJSON_AddNumberToObject(o, "rx_tia_noise_pa_rthz", k->tia_noise_pa_rthz);
        cJSON_AddBoolToObject(o, "tx_noncompliant", k->tx_noncompliant);
        if (k->rx_cal) { /* the receiver calibrated to its stressed sensitivity (sim/class_rx.c) */
            cJSON *rc = cJSON_AddObjectToObject(o, "rx_calibration");
            cJSON_AddBoolToObject(rc, "met", k->rx_cal_ok);
            cJSON_AddNumberToObject(rc, "secq_db", k->rx_cal_secq_db);
            cJSON_AddNumberToObject(rc, "tx_modulator_bw_ghz", k->rx_cal_bw_ghz);
            cJSON_AddNumberToObject(rc, "oma_dbm", k->rx_cal_oma_dbm);
            cJSON_AddNumberToObject(rc, "target_ber", k->rx_cal_target_ber);
            cJSON_AddStringToObject(rc, "ber_at", k->inner ? "after the inner code" : "slicer");
            cJSON_AddNumberToObject(rc, "stat_ber", k->rx_cal_stat_ber);
            cJSON_AddNumberToObject(rc, "mc_ber", k->rx_cal_mc_ber);
            double ci[2] = { k->rx_cal_mc_ci95_lo, k->rx_cal_mc_ci95_hi };
            cJSON_AddItemToObject(rc, "mc_ber_ci95", cJSON_CreateDoubleArray(ci, 2));
            cJSON_AddNumberToObject(rc, "stat_bias", k->rx_cal_bias);
            if (k->rx_cal_bias != 1.0) { /* the first calibration, refuted by its Monte Carlo */
                cJSON_AddNumberToObject(rc, "first_stat_ber", k->rx_cal_stat0_ber);
                cJSON_AddNumberToObject(rc, "first_mc_ber", k->rx_cal_mc0_ber);
            }
        }
    }
    cJSON *p = cJSON_AddObjectToObject(o, "penalties_db");
    for (int i = 0; i < LS_CLASS_TERMS; i++)
        cJSON_AddNumberToObject(p, terms[i], k->pen_db[i]);
    cJSON *ln = cJSON_AddArrayToObject(o, "lanes");
    for (unsigned i = 0; i < k->lanes; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "centre_nm", k->lane_nm[i]);
        cJSON_AddNumberToObject(e, "wavelength_nm", k->lane_wavelength_nm[i]);
        cJSON_AddNumberToObject(e, "cd_ps_nm", k->lane_cd_ps_nm[i]);
        cJSON_AddNumberToObject(e, "ber", k->lane_ber[i]);
        if (k->worst) {
            cJSON_AddNumberToObject(e, "tdecq_db", k->lane_tdecq_db[i]);
            cJSON_AddNumberToObject(e, "tx_modulator_bw_ghz", k->lane_tx_bw_ghz[i]);
        }
        cJSON_AddItemToArray(ln, e);
    }
    cJSON_AddNumberToObject(o, "worst_lane", k->worst_lane);
}

void run_print_class(const ls_class_result *k)
{
    if (!k->on)
        return;
    if (k->mc)
        printf("\n  class %s (%s budget, draft values): %s at %.6g m, BER %.3e %s vs target %.3g, margin %.2f dB%s, "
               "limited by %s%s\n",
               k->name, k->budget, k->pass ? "PASS" : "FAIL", k->length_m, k->ber,
               k->inner ? "after the inner code" : "at the slicer", k->target_ber, k->margin_db,
               k->mc_stat_ratio != 1.0 ? " (statistical, anchored on the Monte Carlo BER)" : "", k->limited_by,
               k->worst && k->rx_cal && !k->rx_cal_ok
                   ? " (not a compliance result: the receiver could not be calibrated to SRS, see below)"
                   : "");
    else /* ls_class_resolve: the statistical analysis of the lane of largest |CD| */
        printf("\n  class %s (%s budget, draft values, statistical, lane %u): %s at %.6g m, margin %.2f dB to BER %.3g "
               "%s, limited by %s\n",
               k->name, k->budget, k->worst_lane, k->pass ? "PASS" : "FAIL", k->length_m, k->margin_db, k->target_ber,
               k->inner ? "after the inner code" : "at the slicer", k->limited_by);
    printf("  TDECQ %.2f dB (TECQ %.2f, TP3 %.2f)", k->tdecq_db, k->tecq_db, k->tdecq_tp3_db);
    if (k->worst)
        printf(", OMA_min %.2f dBm, TX modulator %.1f GHz, RX TIA %.1f pA/rtHz", k->oma_min_dbm, k->tx_bw_ghz,
               k->tia_noise_pa_rthz);
    if (k->worst && k->rx_cal)
        printf("\n  RX calibrated to SRS %.2f dBm with a test signal of SECQ %.2f dB (%.1f GHz): statistical BER %.3e "
               "%s vs %.3g%s, Monte Carlo %.3e [%.2e, %.2e]",
               k->rx_cal_oma_dbm, k->rx_cal_secq_db, k->rx_cal_bw_ghz, k->rx_cal_stat_ber,
               k->inner ? "after the inner code" : "at the slicer", k->rx_cal_target_ber,
               k->rx_cal_ok ? "" : " (NOT met: the receiver's other noise alone is over it)", k->rx_cal_mc_ber,
               k->rx_cal_mc_ci95_lo, k->rx_cal_mc_ci95_hi);
    if (k->worst && k->rx_cal && k->rx_cal_bias != 1.0)
        printf("\n  (the statistical calibration gave %.3e where the Monte Carlo measured %.3e: recalibrated on the "
               "statistical BER x %.3g)",
               k->rx_cal_stat0_ber, k->rx_cal_mc0_ber, k->rx_cal_bias);
    printf("\n  penalties (dB): loss %.2f, mpi %.2f, tdecq %.2f, dispersion %.2f, receiver %.2f\n",
           k->pen_db[LS_CLASS_LOSS], k->pen_db[LS_CLASS_MPI], k->pen_db[LS_CLASS_TDECQ], k->pen_db[LS_CLASS_DISPERSION],
           k->pen_db[LS_CLASS_RECEIVER]);
    for (unsigned i = 0; i < k->lanes; i++)
    {
        char td[48] = "";
        if (k->worst)
            snprintf(td, sizeof td, "TX TDECQ %.2f dB (%.1f GHz), ", k->lane_tdecq_db[i], k->lane_tx_bw_ghz[i]);
        if (k->mc)
            printf("  lane %u: %.2f nm (centre %.2f), CD %+.2f ps/nm, %sBER %.3e%s\n", i, k->lane_wavelength_nm[i],
                   k->lane_nm[i], k->lane_cd_ps_nm[i], td, k->lane_ber[i],
                   i == k->worst_lane ? "  (worst: the run above)" : "");
        else
            printf("  lane %u: %.2f nm (centre %.2f), CD %+.2f ps/nm%s%.*s%s\n", i, k->lane_wavelength_nm[i],
                   k->lane_nm[i], k->lane_cd_ps_nm[i], td[0] ? ", " : "", td[0] ? (int)strlen(td) - 2 : 0, td,
                   i == k->worst_lane ? "  (the statistical analysis below)" : "");
    }
    if (k->tx_noncompliant)
        printf("  no transmitter meets the class TDECQ on every lane's fibre corner (worst %.2f dB): the class fails\n",
               k->tdecq_db);
}

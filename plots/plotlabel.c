/*
 * Words for the reader (plots/plotdata.h, docs/plots.md), shared by the plot kinds and the
 * command's tables: numbers in their shortest exact form (106.25 and 53.125, not 106.2 or
 * 106.250000), axis labels in words and units from column names ("link.length_m" -> "link length
 * (m)"), and the group of each part of the power account (sim/energy.c names the parts; the power
 * plot stacks groups). A leaf of plots/: it calls only the C library.
 *
 * Numbers: printf's "%.10g" keeps 10 significant digits and drops trailing zeros, so a value
 * written with at most 10 significant digits (every lane and baud rate of the
 * standards: 26.5625, 53.125, 106.25, 212.5, 425) prints exactly as written, and the last-bit noise
 * of a computed rate (rate x 544/514 / bits per symbol) is not shown.
 */
#include <stdio.h>
#include <string.h>

#include "plotdata.h"

lsp_numstr lsp_num(double x)
{
    lsp_numstr r;
    snprintf(r.s, sizeof r.s, "%.10g", x);
    return r;
}

/* ---- axis labels from column names ---- */

/* Whole names with their own words (the usual axes of a sweep or a study). */
static const char *const NAMES[][2] = {
    {"link.length_m", "link length (m)"},
    {"link.rate_gbps", "lane rate (Gb/s)"},
    {"rate_gbps", "lane rate (Gb/s)"},
    {"link.sps", "samples per UI"},
    {"cable.awg", "cable gauge (AWG)"},
    {"tx.swing_vpp", "TX swing (V peak to peak)"},
    {"noise.snr_db", "SNR of the added noise (dB)"},
    {"ber", "BER"},
    {"stat_ber", "BER (statistical analysis)"},
    {"mc_ber", "BER (Monte Carlo)"},
    {"ser", "symbol error ratio"},
    {"cer", "post-FEC codeword error ratio (RS(544,514))"},
    {"reach_m", "reach (m)"},
    {"ber_at_reach", "BER at the reach"},
    {"snr_eq_db", "equalized SNR (dB)"},
    {"margin_db", "margin (dB)"},
    {"com_db", "COM (dB)"},
    {"pj_per_bit", "energy per bit (pJ/bit)"},
    {"module_pj_per_bit", "module energy per bit (pJ/bit)"},
};

/* Unit suffixes of key names, longest first where one ends another. */
static const char *const UNITS[][2] = {
    {"_ps_nm2_km", "ps/(nm^2 km)"},
    {"_pa_rthz", "pA/sqrt(Hz)"},
    {"_v_rthz", "V/sqrt(Hz)"},
    {"_mw_per_ghz", "mW/GHz"},
    {"_ghz_per_v", "GHz/V"},
    {"_v2_ghz", "V^2/GHz"},
    {"_db_per_m", "dB/m"},
    {"_db_km", "dB/km"},
    {"_db_hz", "dB/Hz"},
    {"_pj_per_symbol", "pJ/symbol"},
    {"_pj_per_bit", "pJ/bit"},
    {"_a_w", "A/W"},
    {"_gbps", "Gb/s"},
    {"_ghz", "GHz"},
    {"_mhz", "MHz"},
    {"_hz", "Hz"},
    {"_dbm", "dBm"},
    {"_db", "dB"},
    {"_km", "km"},
    {"_mm", "mm"},
    {"_nm", "nm"},
    {"_m", "m"},
    {"_mw", "mW"},
    {"_ma", "mA"},
    {"_vpp", "V peak to peak"},
    {"_v", "V"},
    {"_ui", "UI"},
    {"_ff", "fF"},
    {"_ohm", "ohm"},
    {"_pj", "pJ"},
    {"_fj", "fJ"},
    {"_ps", "ps"},
    {"_s", "s"},
};

/* Words for the abbreviations of key names. */
static const char *const WORDS[][2] = {
    {"tx", "TX"},
    {"rx", "RX"},
    {"ctle", "CTLE"},
    {"ffe", "FFE"},
    {"dfe", "DFE"},
    {"cdr", "CDR"},
    {"adc", "ADC"},
    {"tia", "TIA"},
    {"pd", "photodiode"},
    {"mlse", "MLSE"},
    {"snr", "SNR"},
    {"rin", "RIN"},
    {"er", "extinction ratio"},
    {"bw", "bandwidth"},
    {"gdc", "DC gain"},
    {"gdc2", "second DC gain"},
    {"awg", "gauge (AWG)"},
    {"rj", "random jitter"},
    {"dj", "deterministic jitter"},
    {"sj", "sinusoidal jitter"},
    {"dcd", "duty-cycle distortion"},
    {"pcb", "PCB"},
    {"vdd", "supply"},
    {"enob", "ENOB"},
    {"fext", "FEXT"},
    {"next", "NEXT"},
    {"wpe", "wall-plug efficiency"},
    {"dcdc", "DC-DC"},
    {"il", "insertion loss"},
    {"fs", "full scale"},
    {"fz", "zero"},
    {"fp1", "first pole"},
    {"fp2", "second pole"},
    {"vsat", "saturation"},
    {"zt", "transimpedance"},
    {"dsp", "DSP"},
};

static const char *word_of(const char *w)
{
    for (size_t i = 0; i < sizeof WORDS / sizeof WORDS[0]; i++)
        if (!strcmp(w, WORDS[i][0]))
            return WORDS[i][1];
    return w;
}

/* Appends the words of s[0..n) ('_' and '.' separate them) to b at *k. */
static void put_words(char *b, size_t cap, size_t *k, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] != '_' && s[j] != '.')
            j++;
        if (j > i) {
            char w[64];
            snprintf(w, sizeof w, "%.*s", (int)(j - i), s + i);
            *k += (size_t)snprintf(b + *k, *k < cap ? cap - *k : 0, "%s%s", *k ? " " : "",
                                   word_of(w));
            if (*k >= cap)
                *k = cap - 1;
        }
        i = j + 1;
    }
}

void lsp_axis_label(const char *name, char *b, size_t cap)
{
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
        if (!strcmp(name, NAMES[i][0])) {
            snprintf(b, cap, "%s", NAMES[i][1]);
            return;
        }
    const char *dot = strchr(name, '.'), *key = dot ? dot + 1 : name;
    size_t n = strlen(key), k = 0;
    const char *unit = NULL;
    for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0] && !unit; i++) {
        size_t u = strlen(UNITS[i][0]);
        if (n > u && !strcmp(key + n - u, UNITS[i][0])) {
            unit = UNITS[i][1];
            n -= u;
        }
    }
    char words[256];
    words[0] = '\0';
    put_words(words, sizeof words, &k, key, n);
    b[0] = '\0';
    k = 0;
    /* the section first ("ctle.gdc_db" -> "CTLE DC gain"), unless the key's words already name it
       ("jitter.rj_ui" -> "random jitter") */
    if (dot) {
        char sec[64];
        snprintf(sec, sizeof sec, "%.*s", (int)(dot - name), name);
        if (!strstr(words, word_of(sec)))
            put_words(b, cap, &k, sec, strlen(sec));
    }
    k += (size_t)snprintf(b + k, k < cap ? cap - k : 0, "%s%s", k ? " " : "", words);
    if (unit && k < cap)
        snprintf(b + k, cap - k, " (%s)", unit);
}

/* ---- the groups of the power account ---- */

/* The groups in stacking order (bottom first), with their colours; the prefixes or names of the
   parts of sim/energy.c in each. */
static const struct {
    const char *label, *colour, *parts[6];
} GROUPS[LSP_POWER_GROUPS] = {
    {"host SerDes TX", "#4e79a7", {"host_tx", NULL}},
    {"host SerDes RX", "#76b7b2", {"host_rx", NULL}},
    {"retimer / DSP", "#b07aa1", {"retimer_", "dsp_", NULL}},
    {"modulator driver", "#f28e2b", {"driver", NULL}},
    {"laser, TEC and heaters", "#e15759", {"laser", "laser_tec", "ring_heater", NULL}},
    {"TIA", "#59a14f", {"tia", "photodiode", NULL}},
    {"module control and DC-DC", "#9c755f", {"module_control", "module_dcdc", NULL}},
};

int lsp_power_group(const char *part)
{
    for (int g = 0; g < LSP_POWER_GROUPS; g++)
        for (int i = 0; GROUPS[g].parts[i]; i++) {
            const char *p = GROUPS[g].parts[i];
            size_t n = strlen(p);
            /* "dsp_" covers every part it begins; "host_tx" the part of that name and its sub-parts
               ("host_tx_ffe"), not "host_txx" */
            if (!strncmp(part, p, n) && (p[n - 1] == '_' || part[n] == '\0' || part[n] == '_'))
                return g;
        }
    return -1;
}

const char *lsp_power_group_label(int g)
{
    return g >= 0 && g < LSP_POWER_GROUPS ? GROUPS[g].label : "";
}

const char *lsp_power_group_colour(int g)
{
    return g >= 0 && g < LSP_POWER_GROUPS ? GROUPS[g].colour : "#bab0ac";
}

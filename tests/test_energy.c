/*
 * Energy per bit (sim/energy.c, docs/energy.md): the presets against the published figures of
 * docs/references.md §1 and §5 in the scope each is quoted for, hand-computed parts, the rate
 * scaling each part's model states, the external laser's coupling loss, the retimed accounting, the
 * inner-FEC rate, the CLI's JSON and table, and rejected keys.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lanesim/config.h"
#include "lanesim/energy.h"
#include "util.h"

/* Energy of preset with "key=value" overrides (NULL-terminated). */
static ls_energy energy_of(const char *preset, const char *const *sets)
{
    char msg[512];
    ls_status st;
    ls_config *c = ls_config_create(preset, msg, sizeof msg, &st);
    cr_assert(c != NULL, "%s: %s", preset, msg);
    for (size_t i = 0; sets && sets[i]; i++)
        cr_assert(eq(int, ls_config_set_assignment(c, sets[i], msg, sizeof msg), LS_OK), "%s: %s", sets[i], msg);
    ls_energy e;
    st = ls_energy_compute(c, &e, msg, sizeof msg);
    cr_assert(eq(int, st, LS_OK), "%s: %s", preset, msg);
    ls_config_destroy(c);
    return e;
}

static double part(const ls_energy *e, const char *name)
{
    double mw = ls_energy_part_mw(e, name);
    cr_assert(mw > 0, "part %s missing", name);
    return mw;
}

static int within(double x, double lo, double hi)
{
    return x >= lo && x <= hi;
}

static int count_suffix(const ls_energy *e, const char *suffix)
{
    int n = 0;
    size_t ls = strlen(suffix);
    for (size_t i = 0; i < e->n_parts; i++) {
        size_t ln = strlen(e->part[i].name);
        n += ln >= ls && !strcmp(e->part[i].name + ln - ls, suffix);
    }
    return n;
}

/* docs/references.md §1/§5: copper 4-5 pJ/bit for the lane (two SerDes, passive cable); per
   module or optical engine (module power / module throughput): LPO ~10 (8-9 W per 800G; the '~'
   read as +-20 %), DSP-retimed 17.5-20 (14-16 W per 800G), CPO 5.6-7 (Nvidia 9 W per 1.6T,
   Broadcom 5.5 W per 800G). */
Test(energy, presets_land_in_the_published_ranges_at_212g)
{
    ls_energy cu = energy_of("copper", NULL), lpo = energy_of("lpo", NULL), dsp = energy_of("dsp-retimed", NULL),
              cpo = energy_of("cpo", NULL);
    cr_log_info("212.5G: copper %.2f pJ/b (lane); module: lpo %.2f, dsp-retimed %.2f, cpo %.2f pJ/b; end to end: "
                "lpo %.2f, dsp-retimed %.2f, cpo %.2f", cu.pj_per_bit, lpo.module_pj_per_bit, dsp.module_pj_per_bit,
                cpo.module_pj_per_bit, lpo.pj_per_bit, dsp.pj_per_bit, cpo.pj_per_bit);
    cr_assert(eq(dbl, cu.rate_gbps, 212.5));
    cr_assert(within(cu.pj_per_bit, 4.0, 5.0), "copper %.3f", cu.pj_per_bit);
    cr_assert(eq(dbl, cu.module_mw, 0.0), "a passive cable draws nothing");
    cr_assert(within(lpo.module_pj_per_bit, 8.0, 12.0), "lpo %.3f",
              lpo.module_pj_per_bit);
    cr_assert(within(dsp.module_pj_per_bit, 17.5, 20.0), "dsp %.3f",
              dsp.module_pj_per_bit);
    cr_assert(within(cpo.module_pj_per_bit, 5.6, 7.0), "cpo %.3f",
              cpo.module_pj_per_bit);
    /* the ordering of the module figures */
    cr_assert(lt(dbl, cpo.module_pj_per_bit, lpo.module_pj_per_bit));
    cr_assert(lt(dbl, lpo.module_pj_per_bit, dsp.module_pj_per_bit));
    /* scopes add up: end to end = host + module */
    const ls_energy *all[] = { &cu, &lpo, &dsp, &cpo };
    for (int k = 0; k < 4; k++) {
        double h = 0, m = 0;
        for (size_t i = 0; i < all[k]->n_parts; i++)
            *(all[k]->part[i].module ? &m : &h) += all[k]->part[i].mw;
        cr_assert(ieee_ulp_eq(dbl, h, all[k]->host_mw, 8));
        cr_assert(ieee_ulp_eq(dbl, m, all[k]->module_mw, 8));
        cr_assert(ieee_ulp_eq(dbl, all[k]->pj_per_bit, (h + m) / 212.5, 8));
    }
}

/* Known answers computed by hand from the default keys (docs/energy.md), copper at 106.25 GBd. */
Test(energy, copper_parts_match_hand_calculation)
{
    ls_energy e = energy_of("copper", NULL);
    const double b = 106.25; /* GBd: pJ x GBd = mW */
    cr_assert(ieee_ulp_eq(dbl, part(&e, "host_tx"), 1.2 * b, 8));
    cr_assert(ieee_ulp_eq(dbl, part(&e, "host_tx_ffe"), 2 * 0.08 * b, 8));       /* c(-1) and c(0) */
    cr_assert(ieee_ulp_eq(dbl, part(&e, "host_tx_out"), 1e3 * 1.0 * 0.826 / 50, 8)); /* 16.52 mA at 1 V */
    cr_assert(ieee_ulp_eq(dbl, part(&e, "host_rx_adc"), 50e-15 * 64 * 106.25e9 * 1e3, 8)); /* 340 mW */
    cr_assert(ieee_ulp_eq(dbl, part(&e, "host_rx_ffe"), 16 * 0.08 * b, 8));
    cr_assert(ieee_ulp_eq(dbl, part(&e, "host_rx_dfe"), 0.4 * b, 8));
    cr_assert(ieee_ulp_eq(dbl, part(&e, "host_rx_cdr"), 0.3 * b, 8));
    cr_assert(ieee_ulp_eq(dbl, part(&e, "host_rx_ctle"), 0.3 * b, 8));
    cr_assert(ieee_ulp_eq(dbl, part(&e, "host_rx_afe"), 1.5 * b, 8));
    cr_assert(lt(dbl, ls_energy_part_mw(&e, "host_rx_mlse"), 0.0), "no MLSE by default");
    /* the MLSE on the 1+aD trellis: M^2 = 16 branches per symbol; no ADC: 3 slicers as a 2-bit flash */
    static const char *const sets[] = { "mlse.enable=true", "dfe.taps=0", "adc.enable=false", NULL };
    ls_energy m = energy_of("copper", sets);
    cr_assert(ieee_ulp_eq(dbl, part(&m, "host_rx_mlse"), 16 * 0.05 * b, 8));
    cr_assert(ieee_ulp_eq(dbl, part(&m, "host_rx_slicers"), 50e-15 * 4 * 106.25e9 * 1e3, 8));
    cr_assert(lt(dbl, ls_energy_part_mw(&m, "host_rx_dfe"), 0.0));
}

/* Digital and analog per-symbol parts: mW proportional to the symbol rate, pJ/bit constant; lasers,
   coolers and control: mW constant, pJ/bit halves; the driver's gain stages follow its bandwidth. */
Test(energy, parts_scale_with_rate_as_their_models_say)
{
    static const char *const half[] = { "link.rate_gbps=106.25", NULL };
    ls_energy a = energy_of("lpo", half), b = energy_of("lpo", NULL);
    static const char *const per_symbol[] = { "host_tx", "host_tx_ffe", "host_rx_afe", "host_rx_ctle", "host_rx_adc",
                                              "host_rx_ffe", "host_rx_dfe", "host_rx_cdr", "tia" };
    for (size_t i = 0; i < sizeof per_symbol / sizeof *per_symbol; i++) {
        double pa = part(&a, per_symbol[i]), pb = part(&b, per_symbol[i]);
        cr_assert(ieee_ulp_eq(dbl, pb, 2.0 * pa, 16), "%s: %g mW at 106.25G, %g at 212.5G", per_symbol[i], pa, pb);
        cr_assert(ieee_ulp_eq(dbl, pb / 212.5, pa / 106.25, 16), "%s pJ/bit", per_symbol[i]);
    }
    static const char *const fixed[] = { "laser", "laser_tec", "module_control", "host_tx_out" };
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        cr_assert(ieee_ulp_eq(dbl, part(&b, fixed[i]), part(&a, fixed[i]), 8), "%s", fixed[i]);
    /* driver: V_dd I_out (swing into 50 ohm, rate-independent) + 3 mW/GHz x 0.7 baud */
    cr_assert(lt(dbl, fabs(part(&b, "driver") - part(&a, "driver") - 3.0 * 0.7 * 53.125), 1e-9));
    /* the same module spends less per bit at the higher rate (fixed parts amortized) */
    cr_assert(lt(dbl, b.module_pj_per_bit, a.module_pj_per_bit));
    /* copper: nearly constant pJ/bit (only the output stage is fixed) */
    ls_energy ca = energy_of("copper", half), cb = energy_of("copper", NULL);
    cr_assert(lt(dbl, fabs(ca.pj_per_bit - cb.pj_per_bit - part(&ca, "host_tx_out") * (1 / 106.25 - 1 / 212.5)),
                 1e-9));
    /* more equalizer, more power: each RX FFE tap adds 0.08 pJ x baud */
    static const char *const more[] = { "ffe.taps=24", NULL };
    ls_energy c = energy_of("copper", more);
    cr_assert(ieee_ulp_eq(dbl, part(&c, "host_rx_ffe") - part(&cb, "host_rx_ffe"), 8 * 0.08 * 106.25, 64));
}

/* CPO: the external laser source must emit coupling_db more than reaches the ring, so its electrical
   power rises as 10^(coupling/10) while the light at the modulator (the simulated signal) stays. */
Test(energy, external_laser_power_rises_with_coupling_loss)
{
    ls_energy a = energy_of("cpo", NULL);
    cr_assert(ieee_ulp_eq(dbl, part(&a, "laser"), pow(10.0, 0.7) * pow(10.0, 0.3) / 0.2, 16)); /* 50.1 mW */
    cr_assert(ieee_ulp_eq(dbl, part(&a, "ring_heater"), 20.0, 4));
    double prev = part(&a, "laser"), prev_mod = a.module_pj_per_bit;
    for (int db = 4; db <= 8; db += 2) {
        char v[32];
        snprintf(v, sizeof v, "laser.coupling_db=%d", db);
        const char *const sets[] = { v, NULL };
        ls_energy e = energy_of("cpo", sets);
        double want = pow(10.0, 0.7) * pow(10.0, db / 10.0) / 0.2;
        cr_assert(ieee_ulp_eq(dbl, part(&e, "laser"), want, 16), "%d dB: %g mW", db, part(&e, "laser"));
        cr_assert(gt(dbl, part(&e, "laser"), prev));
        cr_assert(gt(dbl, e.module_pj_per_bit, prev_mod));
        prev = part(&e, "laser");
        prev_mod = e.module_pj_per_bit;
    }
    /* a better wall-plug efficiency needs less */
    static const char *const wpe[] = { "laser.wpe=0.4", NULL };
    ls_energy w = energy_of("cpo", wpe);
    cr_assert(ieee_ulp_eq(dbl, part(&w, "laser"), part(&a, "laser") / 2, 16));
}

/* dsp-retimed: every transmitter and receiver of the three segments once; the host owns segment 0's TX
   and segment 2's RX; driver, laser and TIA once; the inner-FEC rate makes the optical DSP work faster. */
Test(energy, retimed_module_counts_each_part_once)
{
    ls_energy e = energy_of("dsp-retimed", NULL);
    cr_assert(eq(int, count_suffix(&e, "rx_cdr"), 3));
    cr_assert(eq(int, count_suffix(&e, "_tx"), 3));
    cr_assert(eq(int, count_suffix(&e, "driver"), 1));
    cr_assert(eq(int, count_suffix(&e, "laser"), 1));
    cr_assert(eq(int, count_suffix(&e, "tia"), 1));
    for (size_t i = 0; i < e.n_parts; i++) {
        int host = !strncmp(e.part[i].name, "host_", 5);
        cr_assert(eq(int, e.part[i].module, !host), "%s", e.part[i].name);
    }
    static const char *const module_dsp[] = { "retimer_rx_adc", "retimer_rx_cdr", "dsp_tx", "dsp_tx_ffe", "dsp_rx_adc",
                                              "dsp_rx_ffe", "retimer_tx" };
    for (size_t i = 0; i < sizeof module_dsp / sizeof *module_dsp; i++)
        cr_assert(gt(dbl, part(&e, module_dsp[i]), 0));
    /* module DC-DC: (1/eta - 1) of the other module parts */
    double m = e.module_mw - part(&e, "module_dcdc");
    cr_assert(ieee_ulp_eq(dbl, part(&e, "module_dcdc"), m * (1 / 0.85 - 1), 64));
    /* process node: the module DSP at half the energy per operation */
    static const char *const node[] = { "power.dsp_scale=0.5", NULL };
    ls_energy h = energy_of("dsp-retimed", node);
    cr_assert(ieee_ulp_eq(dbl, part(&h, "dsp_rx_ffe"), part(&e, "dsp_rx_ffe") / 2, 16));
    cr_assert(ieee_ulp_eq(dbl, part(&h, "host_rx_ffe"), part(&e, "host_rx_ffe"), 4));
    /* inner FEC: the optical segment runs at 113.4375 GBd, the electrical ones stay at 106.25 */
    static const char *const fec[] = { "link.inner_fec=true", NULL };
    ls_energy f = energy_of("dsp-retimed", fec);
    cr_assert(ieee_ulp_eq(dbl, part(&f, "dsp_rx_ffe"), part(&e, "dsp_rx_ffe") * 113.4375 / 106.25, 16));
    cr_assert(ieee_ulp_eq(dbl, part(&f, "retimer_rx_ffe"), part(&e, "retimer_rx_ffe"), 4));
    cr_assert(eq(dbl, f.rate_gbps, 212.5));
}

Test(energy, bad_keys_and_presets_are_rejected)
{
    char msg[512];
    ls_status st;
    ls_config *c = ls_config_create("lpo", msg, sizeof msg, &st);
    cr_assert(c != NULL);
    static const char *const bad[] = { "power.adc_fom_fj=-1", "driver.power_mw=-5", "tia.mw_per_ghz=-1",
                                       "laser.tec_mw=-1", "module.dcdc_eff=0", "module.control_mw=-1",
                                       "power.ffe_tap_pj=abc", "laser.coupling_db=-3" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        msg[0] = '\0';
        cr_assert(eq(int, ls_config_set_assignment(c, bad[i], msg, sizeof msg), LS_EINVAL), "%s accepted", bad[i]);
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)(strchr(bad[i], '=') - bad[i]), bad[i]);
        cr_assert(ls_has(msg, key), "%s: message '%s'", bad[i], msg);
    }
    ls_config_destroy(c);
    /* a preset without a power model */
    c = ls_config_create("awgn", msg, sizeof msg, &st);
    ls_energy e;
    cr_assert(eq(int, ls_energy_compute(c, &e, msg, sizeof msg), LS_EINVAL));
    cr_assert(ls_has(msg, "no power model"), "%s", msg);
    ls_config_destroy(c);
    cr_assert(eq(int, ls_energy_compute(NULL, &e, msg, sizeof msg), LS_EINVAL));
    /* the command line: one line naming the key, exit 2, no output file */
    char cmd[1024], out[4096], js[128];
    snprintf(js, sizeof js, "/tmp/ls_energy_bad_%d.json", (int)getpid());
    snprintf(cmd, sizeof cmd, "%s run cpo --mode stat -s power.cdr_pj_per_symbol=-0.1 --json %s", LS_CLI_PATH, js);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 2), "%s", out);
    cr_assert(ls_has(out, "power.cdr_pj_per_symbol"), "%s", out);
    cr_assert(eq(int, ls_test_file_exists(js), 0));
}

/* lanesim run --json: energy {pj_per_bit, module_pj_per_bit, parts {name: mW}}; the table shows it. */
Test(energy, cli_reports_energy_in_json_and_table, .timeout = LS_TIMEOUT(60))
{
    char cmd[1024], out[16384], js[128];
    snprintf(js, sizeof js, "/tmp/ls_energy_%d.json", (int)getpid());
    snprintf(cmd, sizeof cmd, "%s run lpo --mode stat --json %s", LS_CLI_PATH, js);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    cr_assert(ls_has(out, "energy per bit"), "%s", out);
    cr_assert(ls_has(out, "module / optical engine alone"));
    const char *text = ls_test_slurp(js);
    cr_assert(text != NULL);
    cJSON *j = cJSON_Parse(text);
    unlink(js);
    cr_assert(j != NULL);
    const cJSON *en = cJSON_GetObjectItem(j, "energy");
    cr_assert(en != NULL);
    ls_energy e = energy_of("lpo", NULL);
    cr_assert(ieee_ulp_eq(dbl, cJSON_GetObjectItem(en, "pj_per_bit")->valuedouble, e.pj_per_bit, 4));
    cr_assert(ieee_ulp_eq(dbl, cJSON_GetObjectItem(en, "module_pj_per_bit")->valuedouble, e.module_pj_per_bit, 4));
    const cJSON *parts = cJSON_GetObjectItem(en, "parts");
    cr_assert(parts != NULL);
    cr_assert(eq(int, cJSON_GetArraySize(parts), (int)e.n_parts));
    cr_assert(ieee_ulp_eq(dbl, cJSON_GetObjectItem(parts, "tia")->valuedouble, part(&e, "tia"), 4));
    cJSON_Delete(j);
}

/* lanesim reach --json: the energy at the reach (here the top of a short search range). */
Test(energy, reach_reports_energy_at_the_reach, .timeout = LS_TIMEOUT(240))
{
    char cmd[1024], out[8192], js[128];
    snprintf(js, sizeof js, "/tmp/ls_energy_reach_%d.json", (int)getpid());
    snprintf(cmd, sizeof cmd, "%s reach cpo --min 100 --max 150 --json %s", LS_CLI_PATH, js);
    cr_assert(eq(int, ls_test_run(cmd, out, sizeof out), 0), "%s", out);
    cr_assert(ls_has(out, "energy at reach"), "%s", out);
    const char *text = ls_test_slurp(js);
    cr_assert(text != NULL);
    cJSON *j = cJSON_Parse(text);
    unlink(js);
    cr_assert(j != NULL);
    const cJSON *en = cJSON_GetObjectItem(j, "energy");
    cr_assert(en != NULL);
    ls_energy e = energy_of("cpo", NULL);
    cr_assert(ieee_ulp_eq(dbl, cJSON_GetObjectItem(en, "module_pj_per_bit")->valuedouble, e.module_pj_per_bit, 4));
    cJSON_Delete(j);
}

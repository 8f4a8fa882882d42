/*
 * IBIS-AMI models in a preset's link (docs/ibis-ami.md): tx.model=ami puts the model named by tx.ami
 * (FILE.ibs[:MODEL]) at the transmitter's DAC output in place of lanesim's TX FFE; rx.model=ami puts
 * the rx.ami model after the RX analog front end (noise, low-pass) in place of the CTLE, ADC, FFE and
 * (unless ami.rx_dfe) the DFE, which become pass-through. The model parameters come from the .ami
 * defaults and the ami.tx.* / ami.rx.* overrides. Once the chain is complete, AMI_Init runs in the
 * IBIS order: the TX model with the impulse response of the chain after it, then the RX model with
 * that of the chain before it (the TX model's equalization included) and, with crosstalk, the
 * aggressors' responses up to Max_Init_Aggressors (ls_ami_block_init_rx).
 * Host side only: in a retimed preset the TX model is the host's (segment 0) and the RX model the
 * host's (segment 2); the module's own equalizers stay lanesim's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lanesim/ami.h"
#include "ls_internal.h"
#include "ls_presets.h"

/* 1 when side ("tx" or "rx") runs an AMI model in the segment s builds. */
int lsi_ami_on(const ls_config *c, const lsi_link_spec *s, const char *side)
{
    char key[16];
    snprintf(key, sizeof key, "%s.model", side);
    if (!ls_config_find(c, key) || strcmp(ls_config_str(c, key), "ami"))
        return 0;
    if (!ls_config_find(c, "run.segment"))
        return 1;
    return side[0] == 't' ? s->segment == 0 : s->segment == 2;
}

/* The keys "ami.SIDE.NAME" (entries of the map key ami.SIDE.*) as "NAME=VALUE;..." into out. */
static ls_status overrides(const ls_config *c, const char *side, char *out, size_t cap, char *msg, size_t mcap)
{
    char prefix[16];
    size_t pl = (size_t)snprintf(prefix, sizeof prefix, "ami.%s.", side), n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ls_config_count(c); i++) {
        const char *k = ls_config_def(c, i)->key, *v = ls_config_text(c, i);
        if (strncmp(k, prefix, pl) || !strcmp(k + pl, "*"))
            continue;
        int w = snprintf(out + n, cap - n, "%s%s=%s", n ? ";" : "", k + pl, v);
        if (strchr(v, ';') || w < 0 || (size_t)w >= cap - n) {
            lsi_say(msg, mcap, "%s: a value holding ';', or too many model parameters", k);
            return LS_EINVAL;
        }
        n += (size_t)w;
    }
    return LS_OK;
}

static ls_status add_block(const ls_config *c, lsi_link_spec *s, const char *side, char *msg, size_t cap)
{
    char k_model[16], k_file[16], k_flow[16], ov[8192];
    snprintf(k_model, sizeof k_model, "%s.model", side);
    snprintf(k_file, sizeof k_file, "%s.ami", side);
    snprintf(k_flow, sizeof k_flow, "ami.%s_flow", side);
    if (!ls_config_find(c, "ami.isolate")) {
        lsi_say(msg, cap, "%s: ami is not available in preset %s (copper, lpo, cpo, dsp-retimed)", k_model,
            ls_config_preset(c));
        return LS_EINVAL;
    }
    const char *file = ls_config_str(c, k_file);
    if (!file || !*file) {
        lsi_say(msg, cap, "%s=ami needs %s=FILE.ibs[:MODEL]", k_model, k_file);
        return LS_EINVAL;
    }
    ls_status st = overrides(c, side, ov, sizeof ov, msg, cap);
    if (st != LS_OK)
        return st;
    ls_ami_block_config ac;
    ls_ami_block_config_init(&ac);
    ac.ibs = file;
    ac.overrides = ov;
    const char *iso = ls_config_str(c, "ami.isolate");
    ac.isolate = !strcmp(iso, "auto") ? !isatty(STDOUT_FILENO) : !strcmp(iso, "true");
    const char *fl = ls_config_str(c, k_flow);
    ac.flow = !strcmp(fl, "init") ? LS_AMI_FLOW_INIT : !strcmp(fl, "getwave") ? LS_AMI_FLOW_GETWAVE : LS_AMI_FLOW_AUTO;
    ac.baud = s->baud;
    ac.sps = s->sps;
    ls_block b;
    char m[1400];
    st = ls_ami_block_create(&ac, &b, m, sizeof m);
    if (st != LS_OK) {
        lsi_say(msg, cap, "%s: %s", k_file, m);
        return st;
    }
    return lsi_spec_push(s, b, msg, cap);
}

/* The TX model at the DAC output (the chain's first block); lanesim's TX FFE off. */
ls_status lsi_ami_add_tx(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    if (!lsi_ami_on(c, s, "tx"))
        return LS_OK;
    s->tx.n_pre = s->tx.n_post = 0;
    return add_block(c, s, "tx", msg, cap);
}

/* AMI_Init of the block at index i with the impulse response of blocks [from, to). */
static ls_status init_block(lsi_link_spec *s, size_t i, size_t from, size_t to, const char *key, char *msg, size_t cap)
{
    const double fs = s->baud * s->sps;
    size_t n = ls_ami_chain_length(&s->blocks[from], to - from, fs);
    double *h = malloc(n * sizeof *h);
    if (!h)
        return LS_ENOMEM;
    char m[1400] = "";
    ls_status st = ls_ami_chain_impulse(&s->blocks[from], to - from, fs, h, n);
    if (st != LS_OK)
        lsi_say(m, sizeof m, "the chain's impulse response: %s", ls_strerror(st));
    else
        st = ls_ami_block_init(&s->blocks[i], h, n, m, sizeof m);
    free(h);
    if (st != LS_OK)
        lsi_say(msg, cap, "%s: %s", key, m);
    return st;
}

/* The output parameters into the spec (the link's info); Ignore_Bits longer than the run's warm-up: a
   warning in the link's info. */
static void after_init(const ls_config *c, lsi_link_spec *s, size_t i, const char *key)
{
    ls_ami_block_info info;
    if (ls_ami_block_get_info(&s->blocks[i], &info) != LS_OK)
        return;
    lsi_say(s->ami_out[key[0] == 'r'], sizeof s->ami_out[0], "%s", info.params_out);
    if (!ls_config_find(c, "run.warmup_symbols"))
        return;
    long long warm = ls_config_int(c, "run.warmup_symbols");
    if (info.ignore_bits > 0 && warm > 0 && (double)warm < info.ignore_bits) {
        char w[LSI_WARN_LEN];
        snprintf(w, sizeof w, "%s: the model asks to ignore %.0f bits, more than run.warmup_symbols = %lld", key,
            info.ignore_bits, warm);
        lsi_spec_warn(s, w);
    }
}

/* The RX model at the end of the chain (lanesim's equalizers pass-through), then AMI_Init of both. */
ls_status lsi_ami_add_rx(const ls_config *c, lsi_link_spec *s, char *msg, size_t cap)
{
    ls_status st;
    size_t i_tx = SIZE_MAX, i_rx = SIZE_MAX;
    for (size_t i = 0; i < s->n_blocks; i++)
        if (ls_ami_block_is(&s->blocks[i]))
            i_tx = i;
    if (lsi_ami_on(c, s, "rx")) {
        if ((st = add_block(c, s, "rx", msg, cap)) != LS_OK)
            return st;
        i_rx = s->n_blocks - 1;
        ls_rx_config *r = &s->rx;
        r->adc_on = 0;
        r->ffe_taps = 1;
        r->ffe_pre = 0;
        memset(r->ffe, 0, sizeof r->ffe);
        r->ffe[0] = 1.0;
        s->ffe_mode = 0;
        r->adapt = LS_ADAPT_NONE;
        r->mlse_on = 0;
        if (!ls_config_bool(c, "ami.rx_dfe"))
            r->dfe_taps = 0;
        ls_ami_block_info bi;
        /* a GetWave model's clock times steer the sampler (ls_rx_push_clock), unless lanesim's DFE follows
           the model (its taps are designed at lanesim's own sampling point) */
        r->ext_clock = ls_config_bool(c, "ami.rx_clock") && !ls_config_bool(c, "ami.rx_dfe") &&
                       ls_ami_block_get_info(&s->blocks[i_rx], &bi) == LS_OK && bi.flow == LS_AMI_FLOW_GETWAVE;
        s->ctle_gdc_db = NAN;
    }
    if (i_tx != SIZE_MAX) {
        if ((st = init_block(s, i_tx, i_tx + 1, i_rx != SIZE_MAX ? i_rx : s->n_blocks, "tx.ami", msg, cap)) != LS_OK)
            return st;
        after_init(c, s, i_tx, "tx.ami");
    }
    if (i_rx != SIZE_MAX) {
        char m[1400] = "";
        if ((st = ls_ami_block_init_rx(s->blocks, s->n_blocks, i_rx, s->baud * s->sps, m, sizeof m)) != LS_OK) {
            lsi_say(msg, cap, "rx.ami: %s", m[0] ? m : ls_strerror(st));
            return st;
        }
        after_init(c, s, i_rx, "rx.ami");
    }
    return lsi_ami_reserved(s, i_tx, i_rx, msg, cap);
}

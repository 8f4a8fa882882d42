/*
 * The tdecq plot kind (docs/plots.md, docs/tdecq.md): reads the equalized eye that
 * 'lanesim tdecq ... --dump FILE' writes ('# thresholds_w a b c', '# windows_ui left right width' header
 * lines, then rows 't_ui power_w'), checks it, and hands the thresholds and the histogram windows to
 * plots/tdecq.gp.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plotdata.h"

int lsp_prep_tdecq(const char *data, FILE *aux, const char *aux_path, lsp_vars *v, char *msg, size_t cap)
{
    (void)aux, (void)aux_path;
    lsp_reader r;
    int rc = lsp_rd_open(&r, data, msg, cap);
    if (rc)
        return rc;
    double thr[3] = { NAN, NAN, NAN }, win[3] = { NAN, NAN, NAN }, td = NAN;
    size_t rows = 0;
    char *s;
    while (!rc && (s = lsp_rd_line(&r))) {
        s = lsp_skip_ws(s);
        double a, b;
        if (s[0] == '#') {
            if (sscanf(s, "# thresholds_w %lf %lf %lf", &thr[0], &thr[1], &thr[2]) != 3 &&
                sscanf(s, "# windows_ui %lf %lf %lf", &win[0], &win[1], &win[2]) != 3)
                sscanf(s, "# tdecq_db %lf", &td);
        } else if (*s) {
            char tail;
            if (sscanf(s, "%lf %lf %c", &a, &b, &tail) != 2 || !isfinite(a) || !isfinite(b) || a < 0 || a > 2)
                rc = lsp_say(msg, cap, 2, "%s:%u: expected 't_ui power_w' with t_ui in [0, 2]", data, r.line);
            rows++;
        }
    }
    free(r.buf);
    if (rc)
        return rc;
    if (rows < 2 || !isfinite(thr[0]) || !isfinite(win[0]))
        return lsp_say(msg, cap, 2, "%s: not a 'lanesim tdecq --dump' file (thresholds, windows and rows needed)",
                       data);
    lsp_var_str(v, "in", data);
    lsp_var_num(v, "th1", thr[0] * 1e3);
    lsp_var_num(v, "th2", thr[1] * 1e3);
    lsp_var_num(v, "th3", thr[2] * 1e3);
    lsp_var_num(v, "wl", win[0]);
    lsp_var_num(v, "wr", win[1]);
    lsp_var_num(v, "ww", win[2]);
    char t[96];
    snprintf(t, sizeof t, isfinite(td) ? "TDECQ %.2f dB: equalized eye and histogram windows" : "equalized eye", td);
    lsp_var_str(v, "ttl", t);
    return 0;
}

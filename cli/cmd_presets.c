/* lanesim presets [PRESET]: the presets (list_presets), or one preset's keys with defaults, units and ranges
   (show_preset). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char *type_name(ls_param_type t)
{
    switch (t) {
    case LS_P_REAL: return "real";
    case LS_P_INT: return "int";
    case LS_P_BOOL: return "bool";
    case LS_P_ENUM: return "enum";
    case LS_P_LIST: return "list";
    case LS_P_STRING: return "string";
    }
    return "?";
}

static void range_text(const ls_param_def *d, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (d->type == LS_P_ENUM) {
        snprintf(buf, cap, "%s", d->choices);
    } else if (d->type == LS_P_REAL || d->type == LS_P_INT || d->type == LS_P_LIST) {
        char hi[32];
        if (isinf(d->max))
            snprintf(hi, sizeof hi, "inf");
        else
            snprintf(hi, sizeof hi, "%g", d->max);
        snprintf(buf, cap, "[%g, %s]%s", d->min, hi, d->type == LS_P_LIST ? " each" : "");
    }
}

/* The presets and what they model, on stdout. */
static int list_presets(void)
{
    printf("%-14s %s\n", "preset", "summary");
    for (size_t i = 0; i < ls_preset_count(); i++)
        printf("%-14s %s\n", ls_preset_name(i), ls_preset_summary(i));
    printf("\nkeys of a preset: lanesim presets PRESET\n");
    return EXIT_OK;
}

/* Every key of PRESET (or FILE.ini) with its type, default, unit, range and meaning, on stdout. */
static int show_preset(const char *name)
{
    ls_config *c = cli_load_config(name, NULL, 0);
    if (!c)
        return EXIT_USAGE;
    int kw = 22; /* key column: as wide as the longest key */
    for (size_t i = 0; i < ls_config_count(c); i++)
        kw = (int)strlen(ls_config_def(c, i)->key) > kw ? (int)strlen(ls_config_def(c, i)->key) : kw;
    printf("preset %s\n\n%-*s %-6s %-10s %-11s %-24s %s\n", ls_config_preset(c), kw, "key", "type", "default", "unit",
           "range", "meaning");
    for (size_t i = 0; i < ls_config_count(c); i++) {
        const ls_param_def *d = ls_config_def(c, i);
        char range[128];
        range_text(d, range, sizeof range);
        const char *v = ls_config_text(c, i);
        printf("%-*s %-6s %-10s %-11s %-24s %s\n", kw, d->key, type_name(d->type), *v ? v : "\"\"", d->unit, range,
               d->help);
    }
    ls_config_destroy(c);
    return EXIT_OK;
}

int cmd_presets(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        puts("usage: lanesim presets [PRESET]\n"
             "  without PRESET: the presets and what they model\n"
             "  with PRESET: every key (section.name), its type, default, unit, range and meaning");
        return EXIT_OK;
    }
    if (argc > 2) {
        cli_error("presets: at most one PRESET");
        return EXIT_USAGE;
    }
    return argc == 1 ? list_presets() : show_preset(argv[1]);
}

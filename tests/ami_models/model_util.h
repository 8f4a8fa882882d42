/*
 * Test IBIS-AMI models' helpers: reading "(name value)" from an AMI_parameters_in string, and the
 * entry points' export attribute. Tiny on purpose: these are lanesim's test models, not a library.
 */
#ifndef AMI_MODEL_UTIL_H
#define AMI_MODEL_UTIL_H

#include <stdlib.h>
#include <string.h>

#define AMI_EXPORT __attribute__((visibility("default")))

/* The value text after "(name " in s into buf (up to the closing parenthesis, quotes removed); 0 if found. */
static inline int ami_param(const char *s, const char *name, char *buf, size_t cap)
{
    size_t l = strlen(name);
    for (const char *p = s; (p = strchr(p, '(')) != NULL; p++) {
        if (strncmp(p + 1, name, l) || p[1 + l] != ' ')
            continue;
        const char *v = p + 2 + l;
        while (*v == ' ' || *v == '"')
            v++;
        size_t n = 0;
        while (v[n] && v[n] != ')' && v[n] != '"' && n + 1 < cap) {
            buf[n] = v[n];
            n++;
        }
        buf[n] = '\0';
        return 0;
    }
    return -1;
}

static inline double ami_real(const char *s, const char *name, double dflt)
{
    char b[64];
    return ami_param(s, name, b, sizeof b) ? dflt : strtod(b, NULL);
}

#endif

/*
 * Fuzz target: `lanesim merge OUT.csv SHARD.csv...` (cli/cmd_merge.c, linked into this target with
 * cli/util.c; cmd_merge is called as main() would). The input holds up to 8 shard files separated
 * by lines "%%"; each is written to the scratch folder and merged into OUT.csv there. Inputs over
 * 64 KB are skipped. Error lines are silenced (cli_quiet) and the success line goes to /dev/null.
 *
 * Findings: a sanitizer report, a crash, a timeout, or an abort from a broken contract: an exit
 * status other than 0, 1, 2; on failure an OUT.csv or a leftover temporary (the output set is
 * atomic: written to a temporary, renamed on success, removed otherwise); on success an OUT.csv
 * that is not the header followed by the shards' rows (its size is the sum of theirs minus the
 * duplicated first two lines).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fuzz_util.h"

#define MAX_SHARDS 8

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cli_quiet = 1;
    if (!freopen("/dev/null", "w", stdout))
        abort();
    return 0;
}

/* Nothing but the shards in the scratch folder: no OUT.csv, no OUT.csv.tmp* */
static void check_no_output(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        abort();
    struct dirent *e;
    while ((e = readdir(dp)))
        if (!strncmp(e->d_name, "out.csv", 7)) {
            char line[300];
            snprintf(line, sizeof line, "merge failed and left '%s' behind", e->d_name);
            closedir(dp);
            fz_fail(line);
        }
    closedir(dp);
}

/* Bytes of the first two lines of s[0..n) (the shard line and the header); n when it has fewer. */
static size_t head_len(const uint8_t *s, size_t n)
{
    const uint8_t *a = memchr(s, '\n', n);
    const uint8_t *b = a ? memchr(a + 1, '\n', n - (size_t)(a + 1 - s)) : NULL;
    return b ? (size_t)(b + 1 - s) : n;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n > 65536)
        return 0;
    const char *dir = fz_dir();
    static char paths[MAX_SHARDS + 1][640];
    char *argv[MAX_SHARDS + 3];
    int argc = 0;
    argv[argc++] = "merge";
    snprintf(paths[0], sizeof paths[0], "%s/out.csv", dir);
    argv[argc++] = paths[0];
    size_t rows = 0, header = 0; /* bytes of the shards' rows, of the first shard's header line */
    /* shards: lines "%%" separate them */
    size_t start = 0;
    unsigned ns = 0;
    for (size_t i = 0; i <= n && ns < MAX_SHARDS; i++) {
        int at_sep = i + 3 <= n && (i == 0 || d[i - 1] == '\n') && !memcmp(d + i, "%%\n", 3);
        if (!at_sep && i < n)
            continue;
        char name[16];
        snprintf(name, sizeof name, "shard%u.csv", ns);
        const uint8_t *s = d + start;
        size_t len = i - start;
        const char *p = fz_write(name, s, len);
        snprintf(paths[ns + 1], sizeof paths[0], "%s", p);
        argv[argc++] = paths[ns + 1];
        rows += len - head_len(s, len);
        if (ns == 0) {
            const uint8_t *nl = memchr(s, '\n', len);
            header = head_len(s, len) - (nl ? (size_t)(nl + 1 - s) : len);
        }
        ns++;
        start = i + 3;
        i += 2;
    }
    argv[argc] = NULL;
    int rc = cmd_merge(argc, argv);
    /* what main() does after a command: publish its outputs on success, remove them otherwise */
    if (rc == EXIT_OK && cli_out_publish() != 0)
        rc = EXIT_RUNTIME;
    if (rc != EXIT_OK)
        cli_out_discard();
    if (rc != EXIT_OK && rc != EXIT_RUNTIME && rc != EXIT_USAGE)
        fz_fail("merge: an exit status other than 0, 1, 2");
    if (rc != EXIT_OK) {
        check_no_output(dir);
        return 0;
    }
    struct stat sb;
    if (stat(paths[0], &sb) != 0)
        fz_fail("merge succeeded without writing OUT.csv");
    /* OUT = the first shard's header line + every shard's rows (all but its first two lines) */
    size_t want = header + rows;
    if ((size_t)sb.st_size != want) {
        char line[200];
        snprintf(line, sizeof line, "merge wrote %lld bytes, expected %zu", (long long)sb.st_size, want);
        fz_fail(line);
    }
    unlink(paths[0]);
    check_no_output(dir);
    return 0;
}

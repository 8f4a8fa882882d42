/*
 * lanesim merge OUT.csv SHARD.csv...: joins the CSVs written by `lanesim sweep --shard I/N --csv` into
 * the CSV that the sweep writes in one process, byte for byte. Each shard opens with the line
 *     # lanesim sweep shard I/N: P points, sweep ID
 * then the header and its rows, each starting with the point index. The shards must come from one
 * sweep (the same N, P and ID: ID fingerprints the configuration, the grid, the metrics and the mode)
 * with the same header; every row must belong to its shard (index % N == I); together they must hold
 * each point 0..P-1 exactly once. The rows are written in point order under the header, atomically.
 * Anything else is one line naming the file and line, exit 2, and no output file. In stages:
 * merge_parse, load_shards (heads), collect_rows (rows into point slots), write_merged.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sweep.h"

typedef struct {
    const char *path;
    char *text;
    unsigned shard_i, shard_n;
    size_t points;
    unsigned long long id;
    const char *header; /* the header line, with its '\n' */
    size_t header_len;
} shard;

typedef struct {
    const char *row; /* the row, with its '\n'; NULL while unseen */
    size_t len, line;
    unsigned file;
} slot;

static void merge_usage(FILE *f)
{
    fputs("usage: lanesim merge OUT.csv SHARD.csv...\n"
          "  joins the CSVs of 'lanesim sweep --shard I/N --csv SHARD.csv' into the CSV of the whole sweep\n"
          "  (the rows in point order, exactly as one process writes it); checks that the shards belong to one\n"
          "  sweep, share the header and hold every point once\n"
          "  -h, --help   this help\n",
          f);
}

/* The whole file as a NUL-terminated string (embedded NULs are rejected). */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_error("%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - 1 - n, f);
        if (n < cap - 1)
            break;
        char *grown = realloc(buf, cap *= 2);
        if (!grown)
            free(buf);
        buf = grown;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        cli_error("%s: %s", path, !buf ? "out of memory" : "read error");
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (strlen(buf) != n) {
        cli_error("%s: not a text file", path);
        free(buf);
        return NULL;
    }
    return buf;
}

/* Reads the shard's first two lines; 0 or -1 (after printing why). */
static int read_head(shard *s)
{
    char *nl = strchr(s->text, '\n');
    char tail;
    if (!nl || sscanf(s->text, "# lanesim sweep shard %u/%u: %zu points, sweep %16llx%c", &s->shard_i, &s->shard_n,
                      &s->points, &s->id, &tail) != 5 || tail != '\n' || s->shard_n == 0 ||
        s->shard_i >= s->shard_n) {
        cli_error("%s:1: not a shard of lanesim sweep (expected '# lanesim sweep shard I/N: P points, sweep ID';"
                  " write shards with 'lanesim sweep --shard I/N --csv FILE')", s->path);
        return -1;
    }
    if (s->points < 1 || s->points > SWEEP_MAX_POINTS) {
        cli_error("%s:1: %zu points (expected 1..%d)", s->path, s->points, SWEEP_MAX_POINTS);
        return -1;
    }
    s->header = nl + 1;
    char *end = strchr(s->header, '\n');
    if (!end || strncmp(s->header, "point", 5) || (s->header[5] != ',' && s->header[5] != '\n')) {
        cli_error("%s:2: expected the CSV header 'point,...'", s->path);
        return -1;
    }
    s->header_len = (size_t)(end + 1 - s->header);
    return 0;
}

/* Files every row of shard f into slots; 0 or -1 (after printing why). */
/* Fields of the CSV line p..end (commas outside double quotes, plus one). */
static size_t csv_fields(const char *p, const char *end)
{
    size_t n = 1;
    int quoted = 0;
    for (; p < end; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == ',' && !quoted)
            n++;
    }
    return n;
}

static int read_rows(const shard *sh, unsigned f, slot *slots)
{
    const shard *s = &sh[f];
    const size_t width = csv_fields(s->header, s->header + s->header_len - 1);
    size_t line = 3;
    for (const char *p = s->header + s->header_len; *p; line++) {
        const char *nl = strchr(p, '\n');
        if (!nl) {
            cli_error("%s:%zu: the last line has no end of line (a truncated file?)", s->path, line);
            return -1;
        }
        char *end;
        unsigned long long i = p[0] >= '0' && p[0] <= '9' ? strtoull(p, &end, 10) : 0;
        if (!(p[0] >= '0' && p[0] <= '9') || (*end != ',' && end != nl)) {
            cli_error("%s:%zu: expected a row starting with its point index", s->path, line);
            return -1;
        }
        if (csv_fields(p, nl) != width) {
            cli_error("%s:%zu: %zu fields, but the header has %zu", s->path, line, csv_fields(p, nl), width);
            return -1;
        }
        if (i >= s->points || i % s->shard_n != s->shard_i) {
            cli_error("%s:%zu: point %llu does not belong to shard %u/%u of %zu points", s->path, line, i, s->shard_i,
                      s->shard_n, s->points);
            return -1;
        }
        if (slots[i].row) {
            cli_error("%s:%zu: point %llu appears twice (also %s:%zu)", s->path, line, i, sh[slots[i].file].path,
                      slots[i].line);
            return -1;
        }
        slots[i] = (slot){ .row = p, .len = (size_t)(nl + 1 - p), .line = line, .file = f };
        p = nl + 1;
    }
    return 0;
}

/* What the command line asks for. */
typedef struct {
    const char *out;  /* OUT.csv */
    char **paths;     /* [n] SHARD.csv */
    unsigned n;
} merge_opts;

/* The command line into o: CLI_CONTINUE, or the exit status (help printed, or a usage error). */
static int merge_parse(int argc, char **argv, merge_opts *o)
{
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        merge_usage(stdout);
        return EXIT_OK;
    }
    for (int a = 1; a < argc; a++)
        if (argv[a][0] == '-' && argv[a][1]) {
            cli_error("merge: unknown option '%s' (see 'lanesim merge --help')", argv[a]);
            return EXIT_USAGE;
        }
    if (argc < 3) {
        cli_error("merge: expected OUT.csv and at least one SHARD.csv (see 'lanesim merge --help')");
        return EXIT_USAGE;
    }
    o->out = argv[1];
    o->paths = argv + 2;
    o->n = (unsigned)(argc - 2);
    return CLI_CONTINUE;
}

/* Reads every shard's head; they must be shards of one sweep, each given once, with one header. 0, or
   -1 after printing why. */
static int load_shards(const merge_opts *o, shard *sh)
{
    for (unsigned f = 0; f < o->n; f++) {
        shard *s = &sh[f];
        s->path = o->paths[f];
        if (!(s->text = slurp(s->path)) || read_head(s))
            return -1;
        const shard *s0 = &sh[0];
        if (s->shard_n != s0->shard_n || s->points != s0->points || s->id != s0->id) {
            cli_error("%s:1: shard %u/%u of %zu points, sweep %016llx: not the sweep of %s (shard %u/%u of %zu points, "
                      "sweep %016llx)",
                      s->path, s->shard_i, s->shard_n, s->points, s->id, s0->path, s0->shard_i, s0->shard_n,
                      s0->points, s0->id);
            return -1;
        }
        for (unsigned g = 0; g < f; g++)
            if (sh[g].shard_i == s->shard_i) {
                cli_error("%s: shard %u/%u given twice (also %s)", s->path, s->shard_i, s->shard_n, sh[g].path);
                return -1;
            }
        if (s->header_len != s0->header_len || memcmp(s->header, s0->header, s->header_len)) {
            cli_error("%s:2: the header differs from %s's", s->path, s0->path);
            return -1;
        }
    }
    return 0;
}

/* Files the rows of the n shards into slots; every point must be there. 0, or -1 after printing why. */
static int collect_rows(const shard *sh, unsigned n, slot *slots)
{
    for (unsigned f = 0; f < n; f++)
        if (read_rows(sh, f, slots))
            return -1;
    size_t missing = 0, first = 0;
    for (size_t i = sh[0].points; i-- > 0;)
        if (!slots[i].row) {
            missing++;
            first = i;
        }
    if (missing) {
        cli_error("merge: point %zu is missing (shard %zu/%u), %zu of %zu points in all", first,
                  first % sh[0].shard_n, sh[0].shard_n, missing, sh[0].points);
        return -1;
    }
    return 0;
}

/* The header and the rows in point order into OUT.csv, atomically, and a line on stdout. EXIT_OK, or
   EXIT_RUNTIME after printing why. */
static int write_merged(const merge_opts *o, const shard *sh, const slot *slots)
{
    cli_outfile f = { 0 };
    int rc = EXIT_RUNTIME;
    if (!cli_out_open(&f, o->out)) {
        fwrite(sh[0].header, 1, sh[0].header_len, f.f);
        for (size_t i = 0; i < sh[0].points; i++)
            fwrite(slots[i].row, 1, slots[i].len, f.f);
        if (!cli_out_commit(&f)) {
            printf("lanesim merge: %zu points from %u shard%s -> %s\n", sh[0].points, o->n, o->n == 1 ? "" : "s",
                   o->out);
            rc = EXIT_OK;
        }
    }
    cli_out_abort(&f);
    return rc;
}

int cmd_merge(int argc, char **argv)
{
    merge_opts o;
    int rc = merge_parse(argc, argv, &o);
    if (rc != CLI_CONTINUE)
        return rc;
    shard *sh = calloc(o.n, sizeof *sh);
    slot *slots = NULL;
    if (!sh) {
        cli_error("out of memory");
        return EXIT_RUNTIME;
    }
    rc = EXIT_USAGE;
    if (!load_shards(&o, sh)) {
        if (!(slots = calloc(sh[0].points, sizeof *slots))) {
            cli_error("out of memory");
            rc = EXIT_RUNTIME;
        } else if (!collect_rows(sh, o.n, slots)) {
            rc = write_merged(&o, sh, slots);
        }
    }
    for (unsigned f = 0; f < o.n; f++)
        free(sh[f].text);
    free(sh);
    free(slots);
    return rc;
}

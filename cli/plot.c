/*
 * Plots through gnuplot (docs/plots.md). A kind's preparation (plots/plotdata.c, plots/plotcsv.c)
 * checks the data and writes what its template needs into a temporary file next to the output;
 * gnuplot, found on PATH and started with posix_spawnp, reads the variable assignments followed by
 * the template on its standard input and draws into another temporary file next to the output (both
 * from cli_out_open), which is renamed over the output once gnuplot succeeded. The templates are
 * the plots/ templates embedded at build time, or $LANESIM_PLOTS_DIR/NAME.gp when that variable is
 * set. The terminal follows the output's extension: .png -> pngcairo, .svg -> svg.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "plotdata.h"

extern char **environ;

static const char *terminal_for(const char *out)
{
    size_t n = out ? strlen(out) : 0;
    if (n > 4 && !strcasecmp(out + n - 4, ".png"))
        return "pngcairo";
    if (n > 4 && !strcasecmp(out + n - 4, ".svg"))
        return "svg";
    return NULL;
}

int cli_plot_check_out(const char *out)
{
    if (terminal_for(out))
        return 0;
    cli_error("%s: a plot is written as FILE.png or FILE.svg", out ? out : "(none)");
    return EXIT_USAGE;
}

/* The template's text (malloc'd, *len bytes), or NULL after printing why. */
static char *template_text(const char *name, size_t *len)
{
    const char *dir = getenv("LANESIM_PLOTS_DIR");
    if (dir && *dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.gp", dir, name);
        errno = 0;
        FILE *f = fopen(path, "rb");
        char *t = NULL;
        long n = -1;
        if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
            (t = malloc((size_t)n + 1)) && fread(t, 1, (size_t)n, f) == (size_t)n) {
            fclose(f);
            *len = (size_t)n;
            return t;
        }
        cli_error("%s: cannot read the template (LANESIM_PLOTS_DIR): %s", path,
                  errno ? strerror(errno) : "read error");
        if (f)
            fclose(f);
        free(t);
        return NULL;
    }
    for (size_t i = 0; i < lsp_n_templates; i++)
        if (!strcmp(lsp_templates[i].name, name)) {
            char *t = malloc(lsp_templates[i].len + 1);
            if (t) {
                memcpy(t, lsp_templates[i].text, lsp_templates[i].len);
                *len = lsp_templates[i].len;
            }
            return t;
        }
    cli_error("internal error: no template %s.gp in this build", name);
    return NULL;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Runs gnuplot on head + body (its standard input); 0, or EXIT_RUNTIME after printing why. */
static int run_gnuplot(const char *head, size_t nh, const char *body, size_t nb, const char *what)
{
    int pfd[2];
    if (pipe(pfd) != 0) {
        cli_error("cannot run gnuplot: %s", strerror(errno));
        return EXIT_RUNTIME;
    }
    fcntl(pfd[1], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pfd[0], STDIN_FILENO);
    posix_spawn_file_actions_addclose(&fa, pfd[0]);
    char *argv[] = {"gnuplot", NULL};
    pid_t pid;
    int e = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pfd[0]);
    if (e != 0) {
        close(pfd[1]);
        if (e == ENOENT)
            cli_error("gnuplot not found on PATH: install the Debian package gnuplot-nox (apt-get "
                      "install gnuplot-nox)");
        else
            cli_error("cannot run gnuplot: %s", strerror(e));
        return EXIT_RUNTIME;
    }
    struct sigaction ign = {.sa_handler = SIG_IGN}, old;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old);
    int wfail = write_all(pfd[1], head, nh) || write_all(pfd[1], body, nb);
    close(pfd[1]);
    sigaction(SIGPIPE, &old, NULL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || wfail) {
        if (WIFEXITED(status))
            cli_error("gnuplot failed on the %s plot (exit status %d)", what, WEXITSTATUS(status));
        else
            cli_error("gnuplot failed on the %s plot (signal %d)", what,
                      WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        return EXIT_RUNTIME;
    }
    return 0;
}

int cli_plot_ex(const char *kind, const char *data, const char *out, double target,
                const char *title)
{
    if (cli_out_publish() != 0) /* gnuplot reads the files this command has written so far */
        return EXIT_RUNTIME;
    const lsp_kind *k = lsp_kind_find(kind);
    if (!k) {
        cli_error("plot: unknown kind '%s' (see 'lanesim plot --help')", kind);
        return EXIT_USAGE;
    }
    int rc = cli_plot_check_out(out);
    if (rc)
        return rc;
    char msg[1024] = "";
    static lsp_vars v;
    char *body = NULL;
    size_t nb = 0;
    cli_outfile aux = {0},
                img = {0}; /* aux: the template's data, never kept; img: gnuplot's output */
    memset(&v, 0, sizeof v);
    if (cli_out_open(&aux, out))
        return EXIT_RUNTIME;
    if ((rc = k->prepare(data, aux.f, aux.tmp, &v, msg, sizeof msg)) != 0) {
        cli_error("%s", msg);
        goto done;
    }
    rc = EXIT_RUNTIME;
    if (fflush(aux.f) != 0 || ferror(aux.f)) {
        cli_error("%s: write failed", aux.tmp);
        goto done;
    }
    if (!isnan(target))
        lsp_var_num(&v, "target", target);
    if (title)
        lsp_var_str(&v, "ttl", title);
    if (cli_out_open(&img, out))
        goto done;
    fclose(img.f);
    img.f = NULL;
    lsp_var_str(&v, "out", img.tmp);
    lsp_var_str(&v, "term", terminal_for(out));
    if (v.overflow) {
        cli_error("%s: too many or too long plot labels", data);
        goto done;
    }
    if (!(body = template_text(k->tmpl, &nb)) || run_gnuplot(v.text, v.len, body, nb, k->name) != 0)
        goto done;
    struct stat sb;
    if (stat(img.tmp, &sb) != 0 || sb.st_size == 0) {
        cli_error("%s: gnuplot wrote nothing", out);
        goto done;
    }
    if (rename(img.tmp, out) != 0) {
        cli_error("%s: cannot write: %s", out, strerror(errno));
        goto done;
    }
    img.tmp[0] = '\0';
    rc = 0;
done:
    free(body);
    cli_out_abort(&aux);
    cli_out_abort(&img);
    return rc;
}

int cli_plot(const char *kind, const char *data, const char *out)
{
    return cli_plot_ex(kind, data, out, NAN, NULL);
}

int cli_plot_xy(const char *xname, const char *yname, const double *x, const double *y, size_t n,
                double target, const char *title, const char *out)
{
    int rc = cli_plot_check_out(out);
    if (rc)
        return rc;
    cli_outfile f = {0}; /* the points as a sweep CSV, never kept */
    if (cli_out_open(&f, out))
        return EXIT_RUNTIME;
    fprintf(f.f, "%s,%s\n", xname, yname);
    for (size_t i = 0; i < n; i++)
        fprintf(f.f, "%.10g,%.6e\n", x[i], y[i]);
    if (fflush(f.f) != 0 || ferror(f.f)) {
        cli_error("%s: write failed", f.tmp);
        rc = EXIT_RUNTIME;
    } else {
        rc = cli_plot_ex("ber-length", f.tmp, out, target, title);
    }
    cli_out_abort(&f);
    return rc;
}

/* build_report: two growing strings. Errors past the cap are only counted: a sheet
 * with a wrong date format in every one of 5 000 rows should say so in twenty lines,
 * not scroll the first mistake off the terminal. */
#include "content/build_report.h"

#include "base/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void build_report_init(BuildReport *r)
{
    memset(r, 0, sizeof *r);
}

void build_report_free(BuildReport *r)
{
    if (!r) {
        return;
    }
    free(r->errors);
    free(r->notes);
    memset(r, 0, sizeof *r);
}

static void append(char **buf, size_t *len, const char *s)
{
    size_t n = strlen(s);
    char *b = realloc(*buf, *len + n + 2);
    if (!b) {
        abort(); /* out of memory: nothing sensible to do in a build */
    }
    memcpy(b + *len, s, n);
    b[*len + n] = '\n';
    b[*len + n + 1] = '\0';
    *buf = b;
    *len += n + 1;
}

/* "path:line: message", with the message from the table in the current language. */
static void format_line(char *out, size_t len, const char *path, int line, BuildText what,
                        va_list ap)
{
    char msg[1200];
    vsnprintf(msg, sizeof msg, build_text(what), ap);
    if (line > 0) {
        utf8_format_cut(out, len, "%s:%d: %s", path, line, msg);
    } else {
        utf8_format_cut(out, len, "%s: %s", path, msg);
    }
}

int build_report_verror(BuildReport *r, const char *path, int line, BuildText what, va_list ap)
{
    r->n_errors++;
    if (r->n_shown >= BUILD_REPORT_MAX_SHOWN) {
        return -1;
    }
    char buf[1600];
    format_line(buf, sizeof buf, path, line, what, ap);
    append(&r->errors, &r->errors_len, buf);
    r->n_shown++;
    return -1;
}

int build_report_error(BuildReport *r, const char *path, int line, BuildText what, ...)
{
    va_list ap;
    va_start(ap, what);
    build_report_verror(r, path, line, what, ap);
    va_end(ap);
    return -1;
}

void build_report_note(BuildReport *r, const char *path, BuildText what, ...)
{
    char buf[1600];
    va_list ap;
    va_start(ap, what);
    format_line(buf, sizeof buf, path, 0, what, ap);
    va_end(ap);
    append(&r->notes, &r->notes_len, buf);
}

int build_report_raw(BuildReport *r, const char *line)
{
    r->n_errors++;
    if (r->n_shown < BUILD_REPORT_MAX_SHOWN) {
        append(&r->errors, &r->errors_len, line);
        r->n_shown++;
    }
    return -1;
}

void build_report_errors(const BuildReport *r, char *out, size_t len)
{
    if (len == 0) {
        return;
    }
    out[0] = '\0';
    if (r->errors) {
        utf8_copy_cut(out, len, r->errors);
    }
    if (r->n_errors > r->n_shown) {
        char more[300];
        snprintf(more, sizeof more, build_text(BT_MORE_ERRORS), r->n_errors - r->n_shown);
        utf8_append_cut(out, len, more);
        utf8_append_cut(out, len, "\n");
    }
    /* one line per error: no trailing newline, as the err strings of other modules */
    size_t n = strlen(out);
    if (n > 0 && out[n - 1] == '\n') {
        out[n - 1] = '\0';
    }
}

/* build_report: everything one build found, so that staff see every problem of a
 * build in one run. Owns the collected lines: errors (each "FILE:LINE: what is
 * wrong — what to do", at most BUILD_REPORT_MAX_SHOWN kept, the rest counted) and
 * notes (what the build assumed, e.g. an encoding). Texts come from build_text. */
#ifndef LITFASS_BUILD_REPORT_H
#define LITFASS_BUILD_REPORT_H

#include "content/build_text.h"

#include <stdarg.h>
#include <stddef.h>

#define BUILD_REPORT_MAX_SHOWN 20

typedef struct {
    char *errors; /* shown error lines, each ending in '\n' */
    size_t errors_len;
    char *notes; /* note lines, each ending in '\n' */
    size_t notes_len;
    int n_errors; /* every error found, shown or not */
    int n_shown;
} BuildReport;

/* Starts an empty report. */
void build_report_init(BuildReport *r);

/* Releases what the report holds and leaves it empty. Accepts NULL. */
void build_report_free(BuildReport *r);

/* Adds an error at path:line (line 0: the file as a whole) with the message `what`
 * formatted with the arguments that follow. Always returns -1, so that a parser can
 * `return build_report_error(...)`. */
int build_report_error(BuildReport *r, const char *path, int line, BuildText what, ...);

/* build_report_error with a va_list. Always returns -1. */
int build_report_verror(BuildReport *r, const char *path, int line, BuildText what, va_list ap);

/* Adds a note about path (not an error: the build still succeeds). */
void build_report_note(BuildReport *r, const char *path, BuildText what, ...);

/* Adds an error line as it is (already "FILE:LINE: ..."), e.g. from another module. */
int build_report_raw(BuildReport *r, const char *line);

/* Writes the shown errors, one a line, followed by "… and N more" when some were
 * not shown, into out (cut to fit, always NUL-terminated; "" without errors). */
void build_report_errors(const BuildReport *r, char *out, size_t len);

#endif

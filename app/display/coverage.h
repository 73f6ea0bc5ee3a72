/* coverage: which characters of the staff's sources the shipped fonts cannot draw, so
 * that `litfassctl build` refuses them by file and line before a screen shows an empty
 * box. Owns nothing; reads the sources and asks text_can_draw. */
#ifndef LITFASS_COVERAGE_H
#define LITFASS_COVERAGE_H

#include "display/text.h"

#include <stdint.h>

/* Called once per character and file, at its first line: path, line (from 1), the
 * character, and it as UTF-8. */
typedef void (*CoverageFn)(void *ctx, const char *path, int line, uint32_t cp,
                           const char *utf8);

/* Reads campaign*.md and every CSV and iCalendar file in src_dir (not hidden ones; in
 * name order) and reports each character none of the fonts has. Files that are not
 * UTF-8 are Windows-1252, which Noto Sans covers: skipped. Returns how many were
 * reported. */
int coverage_check(Text *t, const char *src_dir, CoverageFn found, void *ctx);

#endif

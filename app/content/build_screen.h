/* build_screen: screen.csv — a site's opening hours, when the screen is on, as staff
 * type them in a spreadsheet — into the screen times a display reads (the form of the
 * configuration's screen_on and screen_off_days). */
#ifndef LITFASS_BUILD_SCREEN_H
#define LITFASS_BUILD_SCREEN_H

#include "content/build_report.h"

#include <stddef.h>

/* Parses screen.csv. Columns by heading (English or German, any case): days/Tag (a
 * weekday, a range of weekdays "Mo-Fr", "täglich", or a date "24.12.2026" or range of
 * dates "24.12.2026-26.12.2026"), from/von, to/bis (07:30, 7.30, 18 Uhr, 24:00; past
 * midnight when to is earlier), optional closed/geschlossen (ja: no times, the screen
 * stays off) and note/Bemerkung (for staff, not read). Weekday rows give the weekly
 * on-times; date rows are whole days off. Windows-1252 files are converted (a note in
 * r). Every bad row is reported to r with path:line. On success writes the times into
 * on and the days off into off ("" for none) and returns 0; else -1. */
int build_parse_screen_csv_report(const char *path, const char *text, size_t len, char *on,
                                  size_t onlen, char *off, size_t offlen, BuildReport *r);

#endif

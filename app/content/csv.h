/* csv: reads CSV the way spreadsheets export it — UTF-8 with or without a byte
 * order mark, comma, semicolon or tab separators (detected from the header line),
 * quoted fields with "" escapes and line breaks inside quotes, CRLF or LF. */
#ifndef LITFASS_CSV_H
#define LITFASS_CSV_H

#include <stddef.h>

typedef struct {
    const char *s;
    size_t len, pos;
    char sep;
    int line; /* line number of the next character */
} Csv;

/* Starts reading text[0..len) (not necessarily NUL-terminated). */
void csv_open(Csv *c, const char *text, size_t len);

/* Reads the next non-empty record into *fields (n strings, each malloc'd; free with
 * csv_free). *line is the line the record starts on. Returns 1 for a record, 0 at
 * the end, -1 for an unterminated quote (then *line is where it started). */
int csv_next(Csv *c, char ***fields, int *n, int *line);

void csv_free(char **fields, int n);

/* Reads a yes/no cell: 1 (ja, yes, true, 1, x), -1 (nein, no, false, 0), 0 when
 * empty. Returns 0, or -1 for anything else. */
int csv_yes_no(const char *v, int *out);

#endif

/* csv: reads CSV the way spreadsheets export it — UTF-8 with or without a byte
 * order mark, comma, semicolon or tab separators (detected from the header line),
 * quoted fields with "" escapes and line breaks inside quotes, CRLF or LF. */
#ifndef LITFASS_CSV_H
#define LITFASS_CSV_H

#include "content/build_report.h"

#include <stddef.h>

#define CSV_MAX_LANG_COLUMNS 64

typedef struct {
    const char *s;
    size_t len, pos;
    char sep;
    int line;             /* line number of the next character */
    int n_header;         /* columns up to the last named one (set by csv_map_header) */
    unsigned char *named; /* [n_header]: 1 where the header names the column */
    /* per-language columns ("title_ar", "Name_uk"): field index, the column they
     * translate, the language's code (static) */
    int n_lang;
    struct {
        int field, col;
        const char *lang;
    } lang[CSV_MAX_LANG_COLUMNS];
} Csv;

/* A column a table knows: its English and German name (used in messages) and other
 * headings staff use, separated by '|'. Headings match ignoring case, spaces, '_',
 * '-' and other punctuation, and the spelling of umlauts (ganztägig = ganztaegig =
 * ganztagig). */
typedef struct {
    const char *english, *german, *aliases;
    int required;
    int translatable; /* may have per-language columns: "title_ar", "Titel_uk", "name fa" */
} CsvColumn;

/* Starts reading text[0..len) (not necessarily NUL-terminated). */
void csv_open(Csv *c, const char *text, size_t len);

/* Reads the next non-empty record into *fields (n strings, each malloc'd; free with
 * csv_free). *line is the line the record starts on. Returns 1 for a record, 0 at
 * the end, -1 for an unterminated quote (then *line is where it started). */
int csv_next(Csv *c, char ***fields, int *n, int *line);

void csv_free(char **fields, int n);

/* Releases what csv_map_header keeps in c. Accepts a Csv that never mapped one. */
void csv_close(Csv *c);

/* Maps the header record fields[0..n) to cols[0..ncols): col[k] is the field index of
 * column k or -1; heading[k] the heading as the file writes it (a pointer into
 * fields, which the caller keeps) or, for a column not present, its name in the
 * language of the messages.
 * A heading that is a translatable column's name followed by '_', '-' or a space and a
 * language code other than German ("title_en", "Titel_ar", "description uk") is a
 * per-language column of it (c->lang); an unknown code there is reported.
 * Empty headings are ignored, so the trailing ";;" spreadsheets write are harmless;
 * csv_stray_cell finds values under them. Every unknown or repeated heading and every
 * missing required column is reported to r as path:line. Returns 0, or -1 when
 * anything was reported. */
int csv_map_header(Csv *c, char **fields, int n, const CsvColumn *cols, int ncols, int *col,
                   const char **heading, BuildReport *r, const char *path, int line);

/* Opens text as a table: csv_open, then its first record mapped as the header
 * (csv_map_header). An empty file or an unterminated quote in the header is reported
 * to r as path:line. *hdr keeps the header's fields (the caller frees them with
 * csv_free, *nh of them; heading points into them). Returns 0, or -1 when anything was
 * reported: without its columns no row can be read. */
int csv_open_table(Csv *c, const char *text, size_t len, char ***hdr, int *nh,
                   const CsvColumn *cols, int ncols, int *col, const char **heading,
                   BuildReport *r, const char *path, int *line);

/* The first non-blank cell of a row that no heading names (past the header's last
 * named column, or under an empty heading), or NULL; *beyond is 1 when it lies past
 * the last named column. */
const char *csv_stray_cell(const Csv *c, char **fields, int n, int *beyond);

/* Checks the per-language cells of a record as other cells are checked (length,
 * stacked combining marks; reported to r with the heading from header) and calls
 * add(ctx, column, lang, text) for each non-blank one, trimmed. Returns 0, or -1 when
 * a cell was reported. */
int csv_lang_cells(const Csv *c, char **fields, int n, char **header, int max_chars,
                   void (*add)(void *ctx, int col, const char *lang, const char *text),
                   void *ctx, BuildReport *r, const char *path, int line);

/* 1 if v holds only spaces and tabs. */
int csv_blank(const char *v);

/* Reads a yes/no cell: 1 (ja, yes, true, 1, x), -1 (nein, no, false, 0), 0 when
 * empty. Returns 0, or -1 for anything else. */
int csv_yes_no(const char *v, int *out);

/* A day as staff write it, "2021-06-01" or "01.06.2021" (len bytes of v), into
 * "YYYY-MM-DD" (out holds 16 bytes). Returns 0, or -1 for anything else or an impossible
 * date. */
int csv_day(const char *v, size_t len, char *out);

#endif

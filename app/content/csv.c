/* csv: RFC 4180 plus what real exports do (semicolons in German locales, BOMs,
 * stray spaces around quoted fields). */
#include "content/csv.h"

#include "base/clock.h"
#include "base/ui.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void csv_open(Csv *c, const char *text, size_t len)
{
    memset(c, 0, sizeof *c);
    c->s = text;
    c->len = len;
    c->line = 1;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        c->pos = 3;
    }
    /* the separator is the most frequent candidate outside quotes on the first line */
    int counts[3] = { 0, 0, 0 }, quoted = 0;
    const char seps[3] = { ',', ';', '\t' };
    for (size_t i = c->pos; i < len && (quoted || (text[i] != '\n' && text[i] != '\r')); i++) {
        if (text[i] == '"') {
            quoted = !quoted;
        }
        for (int k = 0; k < 3 && !quoted; k++) {
            counts[k] += text[i] == seps[k];
        }
    }
    int best = 0;
    for (int k = 1; k < 3; k++) {
        if (counts[k] > counts[best]) {
            best = k;
        }
    }
    c->sep = seps[best];
}

static void push(char ***fields, int *n, int *cap, const char *buf, size_t len)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *fields = realloc(*fields, sizeof **fields * (size_t)*cap);
        if (!*fields) {
            abort();
        }
    }
    char *f = malloc(len + 1);
    if (!f) {
        abort();
    }
    memcpy(f, buf, len);
    f[len] = '\0';
    (*fields)[(*n)++] = f;
}

int csv_next(Csv *c, char ***fields, int *n, int *line)
{
    *fields = NULL;
    *n = 0;
    int cap = 0;
    /* skip empty lines */
    while (c->pos < c->len && (c->s[c->pos] == '\n' || c->s[c->pos] == '\r')) {
        c->line += c->s[c->pos] == '\n';
        c->pos++;
    }
    if (c->pos >= c->len) {
        return 0;
    }
    *line = c->line;
    size_t cap_buf = 256, blen = 0;
    char *buf = malloc(cap_buf);
    if (!buf) {
        abort();
    }
    int in_quotes = 0, was_quoted = 0;
    for (;;) {
        if (c->pos >= c->len) {
            if (in_quotes) {
                free(buf);
                csv_free(*fields, *n);
                *fields = NULL;
                *n = 0;
                return -1;
            }
            break;
        }
        char ch = c->s[c->pos++];
        if (blen + 2 > cap_buf) {
            cap_buf *= 2;
            buf = realloc(buf, cap_buf);
            if (!buf) {
                abort();
            }
        }
        if (in_quotes) {
            if (ch == '"') {
                if (c->pos < c->len && c->s[c->pos] == '"') {
                    buf[blen++] = '"';
                    c->pos++;
                } else {
                    in_quotes = 0;
                }
            } else {
                if (ch == '\n') {
                    c->line++;
                }
                buf[blen++] = ch;
            }
            continue;
        }
        if (ch == '"' && !was_quoted) {
            /* a quote opens a quoted field only at its start (after spaces) */
            size_t k = 0;
            while (k < blen && buf[k] == ' ') {
                k++;
            }
            if (k == blen) {
                blen = 0;
                in_quotes = was_quoted = 1;
                continue;
            }
        }
        if (ch == c->sep) {
            push(fields, n, &cap, buf, blen);
            blen = 0;
            was_quoted = 0;
            continue;
        }
        if (ch == '\r' || ch == '\n') {
            if (ch == '\r' && c->pos < c->len && c->s[c->pos] == '\n') {
                c->pos++;
            }
            c->line++;
            break;
        }
        if (was_quoted && ch == ' ') {
            continue; /* spaces after a closing quote */
        }
        buf[blen++] = ch;
    }
    push(fields, n, &cap, buf, blen);
    free(buf);
    return 1;
}

void csv_free(char **fields, int n)
{
    for (int i = 0; i < n; i++) {
        free(fields[i]);
    }
    free(fields);
}

int csv_yes_no(const char *v, int *out)
{
    static const char *const yes[] = { "1", "ja", "yes", "true", "x", "wahr" };
    static const char *const no[] = { "0", "nein", "no", "false", "falsch" };
    while (*v == ' ' || *v == '\t') {
        v++;
    }
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) {
        n--;
    }
    if (n == 0) {
        *out = 0;
        return 0;
    }
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (strlen(yes[i]) == n && strncasecmp(v, yes[i], n) == 0) {
            *out = 1;
            return 0;
        }
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        if (strlen(no[i]) == n && strncasecmp(v, no[i], n) == 0) {
            *out = -1;
            return 0;
        }
    }
    return -1;
}

void csv_close(Csv *c)
{
    free(c->named);
    c->named = NULL;
    c->n_header = 0;
}

int csv_blank(const char *v)
{
    return v[strspn(v, " \t")] == '\0';
}

/* The form headings are compared in: ASCII letters and digits in lower case, ä ö ü ß
 * (either case) as a o u s, and ae oe ue ss folded the same way, so that "Längengrad",
 * "Laengengrad" and "langengrad" agree; everything else (spaces, '_', '-', '?') goes. */
static void heading_key(const char *in, char *out, size_t len)
{
    size_t k = 0;
    for (const unsigned char *s = (const unsigned char *)in; *s && k + 1 < len; s++) {
        char c = 0;
        if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')) {
            c = (char)*s;
        } else if (*s >= 'A' && *s <= 'Z') {
            c = (char)(*s - 'A' + 'a');
        } else if (s[0] == 0xC3 && s[1]) {
            switch (s[1]) {
            case 0xA4: case 0x84: c = 'a'; break;
            case 0xB6: case 0x96: c = 'o'; break;
            case 0xBC: case 0x9C: c = 'u'; break;
            case 0x9F: c = 's'; break;
            default: break;
            }
            s++;
        }
        if (!c) {
            continue;
        }
        /* ae -> a, oe -> o, ue -> u, ss -> s */
        if (k > 0 && ((c == 'e' && strchr("aou", out[k - 1])) || (c == 's' && out[k - 1] == 's'))) {
            continue;
        }
        out[k++] = c;
    }
    out[k] = '\0';
}

/* The i-th name of a column: English, German, then the aliases. Returns 0, or -1 if
 * there is none. */
static int column_name(const CsvColumn *col, int i, char *buf, size_t len)
{
    if (i < 2) {
        snprintf(buf, len, "%s", i == 0 ? col->english : col->german);
        return 0;
    }
    const char *p = col->aliases;
    for (i -= 2; i > 0 && p; i--) {
        p = strchr(p, '|');
        p = p ? p + 1 : NULL;
    }
    if (!p || !*p) {
        return -1;
    }
    size_t n = strcspn(p, "|");
    snprintf(buf, len, "%.*s", (int)n, p);
    return 0;
}

/* "start/Beginn", or "id" where both languages say the same. */
static void both_names(const CsvColumn *col, char *buf, size_t len)
{
    char a[64], b[64];
    heading_key(col->english, a, sizeof a);
    heading_key(col->german, b, sizeof b);
    if (strcmp(a, b) == 0) {
        snprintf(buf, len, "%s", col->english);
    } else {
        snprintf(buf, len, "%s/%s", col->english, col->german);
    }
}

/* The column k of cols that heading h names, or -1. */
static int find_column(const char *h, const CsvColumn *cols, int ncols)
{
    char key[64], want[64], name[64];
    heading_key(h, key, sizeof key);
    for (int k = 0; k < ncols && key[0]; k++) {
        for (int j = 0; column_name(&cols[k], j, name, sizeof name) == 0; j++) {
            heading_key(name, want, sizeof want);
            if (strcmp(key, want) == 0) {
                return k;
            }
        }
    }
    return -1;
}

/* A per-language heading "title_ar": *k the translatable column, *lang the language
 * (NULL when the code is not one the display speaks, *code the code as written).
 * Returns 1 if h has that form, else 0. */
static int lang_heading(const char *h, const CsvColumn *cols, int ncols, int *k,
                        const UiLanguage **lang, char *code, size_t codelen)
{
    size_t n = strlen(h);
    size_t cut = n;
    while (cut > 0 && !strchr("_- ", h[cut - 1])) {
        cut--;
    }
    if (cut < 2 || n - cut < 2 || n - cut > 3) {
        return 0;
    }
    char base[64];
    snprintf(base, sizeof base, "%.*s", (int)(cut - 1), h);
    *k = find_column(base, cols, ncols);
    if (*k < 0 || !cols[*k].translatable) {
        return 0;
    }
    snprintf(code, codelen, "%s", h + cut);
    for (char *p = code; *p; p++) {
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    }
    *lang = ui_language_find(code);
    if (*lang && !strcmp((*lang)->code, "de")) {
        *lang = NULL; /* German is the column without a suffix */
    }
    return 1;
}

int csv_map_header(Csv *c, char **fields, int n, const CsvColumn *cols, int ncols, int *col,
                   const char **heading, BuildReport *r, const char *path, int line)
{
    c->n_lang = 0;
    int rc = 0, english = strcmp(ui_language(), "en") == 0;
    char known[800] = "", both[130];
    for (int k = 0; k < ncols; k++) {
        col[k] = -1;
        heading[k] = english ? cols[k].english : cols[k].german;
        both_names(&cols[k], both, sizeof both);
        size_t used = strlen(known);
        snprintf(known + used, sizeof known - used, "%s%s", k ? ", " : "", both);
    }
    free(c->named);
    c->named = calloc((size_t)(n > 0 ? n : 1), 1);
    if (!c->named) {
        abort();
    }
    c->n_header = 0;
    for (int i = 0; i < n; i++) {
        if (csv_blank(fields[i])) {
            continue; /* an empty heading: the spreadsheet's trailing ";;" */
        }
        c->named[i] = 1;
        c->n_header = i + 1;
        int found = find_column(fields[i], cols, ncols);
        /* the heading as written, trimmed, for the message */
        char shown[80];
        char *h = fields[i] + strspn(fields[i], " \t");
        size_t hl = strlen(h);
        while (hl > 0 && (h[hl - 1] == ' ' || h[hl - 1] == '\t')) {
            h[--hl] = '\0';
        }
        utf8_copy_cut(shown, sizeof shown, h);
        int lk;
        const UiLanguage *lang;
        char code[8];
        if (found < 0 && lang_heading(h, cols, ncols, &lk, &lang, code, sizeof code)) {
            int twice = 0;
            for (int j = 0; lang && j < c->n_lang; j++) {
                twice |= c->lang[j].col == lk && c->lang[j].lang == lang->code;
            }
            if (!lang) {
                rc = build_report_error(r, path, line, BT_UNKNOWN_LANGUAGE, shown, code,
                                        ui_language_codes());
            } else if (twice) {
                rc = build_report_error(r, path, line, BT_COLUMN_TWICE, shown);
            } else if (c->n_lang < CSV_MAX_LANG_COLUMNS) {
                c->lang[c->n_lang].field = i;
                c->lang[c->n_lang].col = lk;
                c->lang[c->n_lang].lang = lang->code;
                c->n_lang++;
            }
        } else if (found < 0) {
            rc = build_report_error(r, path, line, BT_UNKNOWN_COLUMN, shown, known);
        } else if (col[found] >= 0) {
            rc = build_report_error(r, path, line, BT_COLUMN_TWICE, shown);
        } else {
            col[found] = i;
            heading[found] = h;
        }
    }
    for (int k = 0; k < ncols; k++) {
        if (cols[k].required && col[k] < 0) {
            both_names(&cols[k], both, sizeof both);
            rc = build_report_error(r, path, line, BT_COLUMN_MISSING, both);
        }
    }
    return rc;
}

int csv_lang_cells(const Csv *c, char **fields, int n, char **header, int max_chars,
                   void (*add)(void *ctx, int col, const char *lang, const char *text),
                   void *ctx, BuildReport *r, const char *path, int line)
{
    int rc = 0;
    for (int j = 0; j < c->n_lang; j++) {
        int f = c->lang[j].field;
        const char *v = f < n ? fields[f] : "";
        if (csv_blank(v)) {
            continue; /* German stays for this field */
        }
        size_t chars = utf8_count(v);
        size_t run = utf8_mark_run(v, strlen(v), NULL);
        if (chars > (size_t)max_chars) {
            rc = build_report_error(r, path, line, BT_CELL_TOO_LONG, header[f], chars, max_chars);
        } else if (run > UTF8_MAX_MARK_RUN) {
            rc = build_report_error(r, path, line, BT_CELL_MARKS, header[f], run,
                                    UTF8_MAX_MARK_RUN);
        } else {
            const char *t = v + strspn(v, " \t");
            size_t len = strlen(t);
            while (len > 0 && (t[len - 1] == ' ' || t[len - 1] == '\t')) {
                len--;
            }
            char *copy = malloc(len + 1);
            if (!copy) {
                abort();
            }
            memcpy(copy, t, len);
            copy[len] = '\0';
            add(ctx, c->lang[j].col, c->lang[j].lang, copy);
            free(copy);
        }
    }
    return rc;
}

const char *csv_stray_cell(const Csv *c, char **fields, int n, int *beyond)
{
    for (int i = 0; i < n; i++) {
        if ((i >= c->n_header || !c->named[i]) && !csv_blank(fields[i])) {
            *beyond = i >= c->n_header;
            return fields[i];
        }
    }
    *beyond = 0;
    return NULL;
}

int csv_open_table(Csv *c, const char *text, size_t len, char ***hdr, int *nh,
                   const CsvColumn *cols, int ncols, int *col, const char **heading,
                   BuildReport *r, const char *path, int *line)
{
    csv_open(c, text, len);
    int k = csv_next(c, hdr, nh, line);
    if (k <= 0) {
        build_report_error(r, path, k < 0 ? *line : 1,
                           k < 0 ? BT_UNTERMINATED_QUOTE : BT_EMPTY_FILE);
        return -1;
    }
    return csv_map_header(c, *hdr, *nh, cols, ncols, col, heading, r, path, *line);
}

/* A day as staff write it, "2021-06-01" or "01.06.2021", into "YYYY-MM-DD" (out holds
 * 16 bytes). Returns 0, or -1 for anything else or an impossible date. */
int csv_day(const char *v, size_t len, char *out)
{
    char buf[32];
    if (len >= sizeof buf) {
        return -1;
    }
    memcpy(buf, v, len);
    buf[len] = '\0';
    int y, m, d, n = 0;
    if (sscanf(buf, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || buf[n]) {
        n = 0;
        if (sscanf(buf, "%2d.%2d.%4d%n", &d, &m, &y, &n) != 3 || buf[n]) {
            return -1;
        }
    }
    char iso[16], back[16];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
    /* impossible days (31.02.) do not survive a round trip through the calendar */
    if (y < 1970 || y > 9999 || clock_date_add(iso, 0, back, sizeof back) != 0 ||
        strcmp(back, iso) != 0) {
        return -1;
    }
    snprintf(out, 16, "%s", iso);
    return 0;
}

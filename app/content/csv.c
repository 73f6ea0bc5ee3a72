/* csv: RFC 4180 plus what real exports do (semicolons in German locales, BOMs,
 * stray spaces around quoted fields). */
#include "content/csv.h"

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

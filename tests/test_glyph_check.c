/* `litfassctl build` refuses a character none of the shipped fonts can draw (issue 15),
 * naming the file, the line and the character, every one at once, in German unless
 * --lang en; the previous build stays. Persian's zero-width non-joiner, the joiner and
 * bidi marks are never drawn and pass, as do Arabic, Persian, Ukrainian and Turkish.
 * Usage: test_glyph_check LITFASSCTL */
#include "testutil.h"

#include "check.h"

static const char *ctl, *tmp;

static int run(const char *args, char *out, size_t len)
{
    char *cmd = test_fmt(LITFASS_TEST_EXEC "'%s' %s", ctl, args);
    int rc = test_run(cmd, out, len);
    free(cmd);
    return rc;
}

/* The default content with line 4 of campaign.md (the subtitle) and the title of the
 * schedule's first row (line 2) replaced. */
static char *content_with(const char *name, const char *subtitle, const char *event)
{
    char out[512];
    char *dir = test_fmt("%s/%s", tmp, name);
    char *cmd = test_fmt("rm -rf '%s' && cp -r '%s' '%s'", dir, LITFASS_CONTENT_DIR, dir);
    CHECK_INT(test_run(cmd, out, sizeof out), 0);
    free(cmd);
    char *path = test_fmt("%s/campaign.md", dir);
    char *md = test_read(path, NULL);
    CHECK(md && !strncmp(md, "---\n", 4));
    char *l4 = md, *end;
    for (int i = 1; i < 4 && l4; i++) {
        l4 = strchr(l4, '\n');
        l4 = l4 ? l4 + 1 : NULL;
    }
    CHECK(l4 && !strncmp(l4, "subtitle: ", 10));
    end = l4 ? strchr(l4, '\n') : NULL;
    if (end) {
        char *text = test_fmt("%.*ssubtitle: %s%s", (int)(l4 - md), md, subtitle, end);
        test_write(path, text, strlen(text));
        free(text);
    }
    free(md);
    free(path);
    path = test_fmt("%s/schedule.csv", dir);
    char *csv = test_read(path, NULL);
    char *title = csv ? strstr(csv, ";ja;Digitaler Aktionstag") : NULL;
    CHECK(title != NULL);
    if (title) {
        title += 4;
        char *text = test_fmt("%.*s%s%s", (int)(title - csv), csv, event, strchr(title, ';'));
        test_write(path, text, strlen(text));
        free(text);
    }
    free(csv);
    free(path);
    return dir;
}

TEST(build_names_file_line_and_character_without_a_font)
{
    char out[8192];
    char *bundle = test_fmt("%s/inhalt.litfass", tmp);
    char *args = test_fmt("build '%s' -o '%s' --version 5", LITFASS_CONTENT_DIR, bundle);
    CHECK_INT(run(args, out, sizeof out), 0);
    free(args);
    struct stat before, after;
    CHECK_INT(stat(bundle, &before), 0);

    /* Devanagari and Chinese: in none of the fonts */
    char *src = content_with("missing", "Aktionstag नमस्ते", "Aktionstag 中文 中");
    args = test_fmt("build '%s' -o '%s' --version 6", src, bundle);
    CHECK_INT(run(args, out, sizeof out), 1);
    char *want = test_fmt("kein Zeichensatz für U+0928 („न“) in %s/campaign.md:4", src);
    CHECK_HAS(out, want);
    free(want);
    want = test_fmt("kein Zeichensatz für U+4E2D („中“) in %s/schedule.csv:2", src);
    CHECK_HAS(out, want);
    free(want);
    CHECK_HAS(out, "U+6587"); /* 文 */
    CHECK(strstr(strstr(out, "U+4E2D") + 1, "U+4E2D") == NULL); /* once per file */
    CHECK_HAS(out, "nicht gebaut:");
    CHECK_INT(stat(bundle, &after), 0);
    CHECK(before.st_mtime == after.st_mtime && before.st_size == after.st_size);
    char *checking = test_fmt("%s.checking", bundle);
    CHECK(access(checking, F_OK) != 0);
    free(checking);
    free(args);

    args = test_fmt("build '%s' -o '%s' --version 6 --lang en", src, bundle);
    CHECK_INT(run(args, out, sizeof out), 1);
    want = test_fmt("no font for U+0928 ('न') in %s/campaign.md:4", src);
    CHECK_HAS(out, want);
    free(want);
    CHECK_HAS(out, "not built:");
    free(args);
    free(src);
    free(bundle);
}

TEST(build_passes_joiners_bidi_marks_and_the_six_languages)
{
    char out[8192];
    /* ZWNJ in می‌خواهم, an RLM, a ZWJ, Arabic, Ukrainian, Turkish */
    char *src = content_with("languages", "می\u200cخواهم \u200fDRK\u200d 2024",
                             "Привіт ґ — İstanbul ılık şeker ğ — مرحبا");
    char *bundle = test_fmt("%s/languages.litfass", tmp);
    char *args = test_fmt("build '%s' -o '%s' --version 7", src, bundle);
    int rc = run(args, out, sizeof out);
    if (rc != 0) {
        fprintf(stderr, "%s\n", out);
    }
    CHECK_INT(rc, 0);
    CHECK(strstr(out, "Zeichensatz") == NULL);
    free(args);
    free(bundle);
    free(src);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_glyph_check LITFASSCTL\n");
        return 2;
    }
    ctl = argv[1];
    tmp = test_tmpdir();
    RUN(build_names_file_line_and_character_without_a_font);
    RUN(build_passes_joiners_bidi_marks_and_the_six_languages);
    return check_report();
}

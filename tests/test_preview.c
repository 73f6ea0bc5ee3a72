/* What staff write is what visitors see, with the real litfassctl: `preview` renders one
 * full rotation (every page and panel page at the four sizes) with frames.json and a
 * contact sheet; `build` refuses content the screen would cut, naming file and line,
 * keeps the previous build, and with --allow-overflow only warns.
 * Usage: test_preview LITFASSCTL */
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

/* The default content plus a paragraph and an "Öffnungszeiten" list: too much for the
 * campaign page at every size. */
static char *long_content(void)
{
    char *dir = test_fmt("%s/long", tmp);
    char *cmd = test_fmt("rm -rf '%s' && cp -r '%s' '%s'", dir, LITFASS_CONTENT_DIR, dir);
    char out[512];
    CHECK_INT(test_run(cmd, out, sizeof out), 0);
    free(cmd);
    char *md = test_fmt("%s/campaign.md", dir);
    FILE *f = fopen(md, "a");
    CHECK(f != NULL);
    fputs("\nWer selbst Patin oder Pate werden möchte, findet beim DRK vor Ort "
          "Ansprechpersonen, die beraten, vermitteln und die Tandems über die ganze Zeit "
          "begleiten.\n\n## Öffnungszeiten\n\n- Montag bis Donnerstag 9 bis 16 Uhr\n"
          "- Freitag 9 bis 13 Uhr\n- Samstag nach Vereinbarung\n",
          f);
    fclose(f);
    free(md);
    return dir;
}

TEST(preview_renders_every_frame_of_a_rotation_with_a_contact_sheet)
{
    char out[8192];
    char *dir = test_fmt("%s/preview", tmp);
    char *args = test_fmt("preview '%s' -o '%s' --now 2021-06-01T15:05 --lang en",
                          LITFASS_CONTENT_DIR, dir);
    CHECK_INT(run(args, out, sizeof out), 0);
    CHECK_HAS(out, "every text fits");
    char *path = test_fmt("%s/frames.json", dir);
    char *frames = test_read(path, NULL);
    CHECK(frames != NULL);
    /* every page at every size; the map's site list on each of its pages */
    static const char *const sizes[] = { "1280x720", "1920x1080", "3840x2160", "1080x1920" };
    int listed = 0;
    for (const char *p = frames; p && (p = strstr(p, "\"png\": \"")); p += 8) {
        char name[200];
        CHECK(sscanf(p + 8, "%199[^\"]", name) == 1);
        char *png = test_fmt("%s/%s", dir, name);
        struct stat st;
        CHECK(stat(png, &st) == 0 && st.st_size > 1000);
        free(png);
        listed++;
    }
    for (int s = 0; s < 4; s++) {
        char *want = test_fmt("\"size\": \"%s\", \"page\": \"campaign\", \"at_ms\": 0", sizes[s]);
        CHECK_HAS(frames, want);
        free(want);
        want = test_fmt("%s/01-map-1.png", sizes[s]);
        CHECK_HAS(frames, want);
        free(want);
    }
    CHECK_HAS(frames, "\"page\": \"schedule\"");
    CHECK_HAS(frames, "map-4.png"); /* 19 sites: at least four list pages */
    CHECK(listed >= 4 * 6);
    free(path);
    path = test_fmt("%s/index.html", dir);
    char *html = test_read(path, NULL);
    CHECK(html && strstr(html, "<img src=\"1920x1080/00-campaign.png\""));
    CHECK(html && strstr(html, "0 Texte passen nicht"));
    free(html);
    free(path);
    free(frames);
    free(args);
    free(dir);
}

TEST(preview_and_build_name_every_text_the_screen_would_cut)
{
    char out[16384];
    char *src = long_content();
    char *dir = test_fmt("%s/preview-long", tmp);
    char *args = test_fmt("preview '%s' -o '%s' --now 2021-06-01T15:05", src, dir);
    CHECK_INT(run(args, out, sizeof out), 0); /* a preview shows, it does not refuse */
    CHECK_HAS(out, "preview: 1920x1080 campaign: text does not fit, cut from");
    CHECK_HAS(out, "Ansprechpersonen");
    free(args);
    char *index = test_fmt("%s/index.html", dir);
    char *html = test_read(index, NULL);
    CHECK(html && strstr(html, "class=\"cut\"") && strstr(html, "nicht vollständig"));
    free(html);
    free(index);

    /* the build refuses it, with the file and line of the text; the previous build stays */
    char *bundle = test_fmt("%s/inhalt.litfass", tmp);
    args = test_fmt("build '%s' -o '%s' --version 5", LITFASS_CONTENT_DIR, bundle);
    CHECK_INT(run(args, out, sizeof out), 0);
    free(args);
    struct stat before, after;
    CHECK_INT(stat(bundle, &before), 0);
    args = test_fmt("build '%s' -o '%s' --version 6", src, bundle);
    CHECK_INT(run(args, out, sizeof out), 1);
    char *where = test_fmt("%s/campaign.md:", src);
    CHECK_HAS(out, where);
    CHECK_HAS(out, "auf der Seite campaign passt bei 1920x1080 nicht alles: ab „Ansprechpersonen");
    CHECK_HAS(out, "nicht gebaut: 4 Texte");
    CHECK_INT(stat(bundle, &after), 0);
    CHECK(before.st_mtime == after.st_mtime && before.st_size == after.st_size);
    char *checking = test_fmt("%s.checking", bundle);
    CHECK(access(checking, F_OK) != 0); /* nothing half-built left behind */
    free(args);
    /* ... in English on request; with --allow-overflow a warning, and built */
    args = test_fmt("build '%s' -o '%s' --version 6 --lang en --allow-overflow", src, bundle);
    CHECK_INT(run(args, out, sizeof out), 0);
    CHECK_HAS(out, "warning: on the campaign page at 1280x720 not everything fits");
    CHECK_HAS(out, "built");
    free(args);
    free(checking);
    free(where);
    free(bundle);
    free(dir);
    free(src);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_preview LITFASSCTL\n");
        return 2;
    }
    ctl = argv[1];
    tmp = test_tmpdir();
    RUN(preview_renders_every_frame_of_a_rotation_with_a_contact_sheet);
    RUN(preview_and_build_name_every_text_the_screen_would_cut);
    return check_report();
}

/* Pictures as staff deliver them — PNG, JPEG, WebP, a CMYK JPEG from a print shop, a
 * phone photo with EXIF orientation, a PDF poster — come out of the build upright, in
 * sRGB, at a few sizes never larger than the source; a decompression bomb, a truncated
 * file and a missing one are refused with the file (and the line naming it). */
#include "picture_fixtures.h"

#include "base/ui.h"
#include "check.h"
#include "content/build.h"
#include "content/build_picture.h"
#include "store/store.h"

#include <sys/stat.h>

static const unsigned char RED[3] = { 220, 20, 20 }, BLUE[3] = { 20, 20, 220 };

static const char *folder(const char *campaign_extra)
{
    const char *d = test_tmpdir();
    char *md = test_fmt("---\ntitle: Bilder\n%s---\n\nText.\n", campaign_extra);
    test_write(test_fmt("%s/campaign.md", d), md, strlen(md));
    mkdir(test_fmt("%s/posters", d), 0755);
    return d;
}

/* Builds d; returns 0 or -1 with every error in err. */
static int build(const char *d, char *err, size_t len)
{
    err[0] = '\0';
    return build_content(d, test_fmt("%s/out.litfass", d), 7, 0, NULL, err, len);
}

static int load(const char *d, Model *m)
{
    memset(m, 0, sizeof *m);
    model_free(m);
    return store_load_path(test_fmt("%s/out.litfass", d), m);
}

/* The colour at (x, y) of level l of picture id, as the display would get it. */
static void pixel(const char *d, int id, int l, double fx, double fy, int *rgb)
{
    Store *s;
    char err[300];
    unsigned char *data;
    size_t len;
    PictureLevel info;
    rgb[0] = rgb[1] = rgb[2] = -1;
    if (store_open(test_fmt("%s/out.litfass", d), &s, err, sizeof err) ||
        store_picture_read(s, id, l, &data, &len, &info, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    store_close(s);
    VipsImage *img = vips_image_new_from_buffer(data, len, "", NULL);
    double *v;
    int n;
    if (img && vips_getpoint(img, &v, &n, (int)(fx * img->Xsize), (int)(fy * img->Ysize),
                             NULL) == 0) {
        for (int i = 0; i < 3 && i < n; i++) {
            rgb[i] = (int)v[i];
        }
        g_free(v);
    }
    if (img) {
        g_object_unref(img);
    }
    free(data);
}

TEST(png_jpeg_webp_posters_become_levels_never_upscaled)
{
    const char *d = folder("");
    fixture_write(test_fmt("%s/posters/a.png", d), 2400, 1200, 3, RED, BLUE, 0);
    fixture_write(test_fmt("%s/posters/b.jpg", d), 1000, 500, 3, RED, BLUE, 0);
    fixture_write(test_fmt("%s/posters/c.webp", d), 300, 600, 3, RED, BLUE, 0);
    char err[2000];
    CHECK_INT(build(d, err, sizeof err), 0);
    CHECK_STR(err, "");
    Model m;
    CHECK_INT(load(d, &m), 0);
    CHECK_INT(m.n_posters, 3);
    CHECK_INT(m.n_pictures, 3);
    if (m.n_pictures == 3) {
        /* 2400 wide: 2400 (not 3840), 1920, 1280, 640, 320 */
        CHECK_INT(m.pictures[0].n_levels, 5);
        CHECK_INT(m.pictures[0].levels[0].width, 2400);
        CHECK_INT(m.pictures[0].levels[1].width, 1920);
        CHECK_INT(m.pictures[0].levels[1].height, 960);
        CHECK_INT(m.pictures[0].levels[2].width, 1280);
        CHECK_INT(m.pictures[0].levels[3].width, 640);
        CHECK_INT(m.pictures[0].levels[4].width, 320);
        CHECK_INT(m.pictures[0].levels[4].height, 160);
        CHECK_STR(m.pictures[0].name, "posters/a.png");
        /* 1000 wide: 1000, 640, 320 */
        CHECK_INT(m.pictures[1].n_levels, 3);
        CHECK_INT(m.pictures[1].levels[0].width, 1000);
        CHECK_INT(m.pictures[2].levels[0].height, 600);
        CHECK_INT(m.pictures[2].levels[0].format, PICTURE_JPEG);
        /* the level nearest above the need: a 1280x720 screen takes the 1280 one */
        CHECK_INT(model_picture_level(&m.pictures[0], 1280, 720), 2);
        CHECK_INT(model_picture_level(&m.pictures[0], 1920, 1080), 1);
        CHECK_INT(model_picture_level(&m.pictures[0], 3840, 2160), 0);
        /* a logo in a header band: a small level, not a screen's worth of pixels */
        CHECK_INT(model_picture_level(&m.pictures[0], 300, 150), 4);
        CHECK_INT(model_picture_level(&m.pictures[0], 600, 300), 3);
    }
    int rgb[3];
    pixel(d, 1, 0, 0.1, 0.5, rgb);
    CHECK(rgb[0] > 180 && rgb[2] < 60);
    pixel(d, 3, 0, 0.9, 0.5, rgb); /* WebP, right half blue */
    CHECK(rgb[2] > 180 && rgb[0] < 110); /* JPEG's chroma is coarse */
    model_free(&m);
    /* a schema 5 database: pictures need it; the display reads 3 to 5 */
    Store *s;
    CHECK_INT(store_open(test_fmt("%s/out.litfass", d), &s, err, sizeof err), 0);
    CHECK_INT(s ? store_schema(s) : 0, 5);
    store_close(s);
}

TEST(exif_rotated_photo_is_stored_upright)
{
    const char *d = folder("logo: bilder/foto.jpg\n");
    mkdir(test_fmt("%s/bilder", d), 0755);
    /* landscape pixels, EXIF "rotate 90 clockwise to show" (6): a portrait photo, its
     * left half (red) on top once upright */
    fixture_write(test_fmt("%s/bilder/foto.jpg", d), 400, 200, 3, RED, BLUE, 6);
    char err[2000];
    CHECK_INT(build(d, err, sizeof err), 0);
    CHECK_STR(err, "");
    Model m;
    CHECK_INT(load(d, &m), 0);
    CHECK_INT(m.campaign.logo, 1);
    CHECK_INT(m.n_posters, 0);
    if (m.n_pictures == 1) {
        CHECK_INT(m.pictures[0].levels[0].width, 200);
        CHECK_INT(m.pictures[0].levels[0].height, 400);
    }
    int rgb[3];
    pixel(d, 1, 0, 0.5, 0.1, rgb);
    CHECK(rgb[0] > 180 && rgb[2] < 60);
    pixel(d, 1, 0, 0.5, 0.9, rgb);
    CHECK(rgb[2] > 180 && rgb[0] < 110); /* JPEG's chroma is coarse */
    model_free(&m);
}

TEST(cmyk_jpeg_is_converted_to_srgb)
{
    const char *d = folder("");
    const unsigned char cyan[4] = { 255, 0, 0, 0 }, black[4] = { 0, 0, 0, 255 };
    fixture_write(test_fmt("%s/posters/druck.jpg", d), 200, 100, 4, cyan, black, 0);
    char err[2000];
    CHECK_INT(build(d, err, sizeof err), 0);
    CHECK_STR(err, "");
    int rgb[3];
    pixel(d, 1, 0, 0.2, 0.5, rgb);
    /* cyan ink: little red, much green and blue (read as RGB it would be red) */
    CHECK(rgb[0] < 90 && rgb[1] > 120 && rgb[2] > 170);
    pixel(d, 1, 0, 0.8, 0.5, rgb);
    CHECK(rgb[0] < 70 && rgb[1] < 70 && rgb[2] < 70);
}

TEST(pdf_poster_is_rasterised_at_build_time)
{
    const char *d = folder("");
    fixture_pdf(test_fmt("%s/posters/plakat.pdf", d), 595, 842, "0 0.5 0");
    char err[2000];
    CHECK_INT(build(d, err, sizeof err), 0);
    CHECK_STR(err, "");
    Model m;
    CHECK_INT(load(d, &m), 0);
    if (m.n_pictures == 1) {
        /* A4 portrait, drawn at 3840 on the longer side, not at 72 dpi */
        CHECK_INT(m.pictures[0].levels[0].height, 3840);
        CHECK(m.pictures[0].levels[0].width > 2700 && m.pictures[0].levels[0].width < 2730);
        CHECK_INT(m.pictures[0].n_levels, 5);
    }
    int rgb[3];
    pixel(d, 1, 2, 0.5, 0.5, rgb);
    CHECK(rgb[1] > 100 && rgb[0] < 40 && rgb[2] < 40);
    model_free(&m);
}

TEST(pdf_poster_page_from_posters_csv)
{
    const char *d = folder("");
    fixture_pdf2(test_fmt("%s/posters/heft.pdf", d), 842, 595, "1 0 0", "0 0 1");
    const char *csv = "file;page\nheft.pdf;2\n";
    test_write(test_fmt("%s/posters.csv", d), csv, strlen(csv));
    char err[2000];
    CHECK_INT(build(d, err, sizeof err), 0);
    CHECK_STR(err, "");
    int rgb[3];
    pixel(d, 1, 0, 0.5, 0.5, rgb); /* page 2: blue, landscape at 3840 */
    CHECK(rgb[2] > 180 && rgb[0] < 60);
    Model m;
    CHECK_INT(load(d, &m), 0);
    CHECK_INT(m.n_pictures ? m.pictures[0].levels[0].width : 0, 3840);
    model_free(&m);
    /* a page the PDF does not have, and a page that is no number: errors at the row */
    csv = "file;page\nheft.pdf;3\n";
    test_write(test_fmt("%s/posters.csv", d), csv, strlen(csv));
    CHECK_INT(build(d, err, sizeof err), -1);
    CHECK_HAS(err, "posters.csv:2: picture 'posters/heft.pdf'");
    csv = "file;page\nheft.pdf;zwei\n";
    test_write(test_fmt("%s/posters.csv", d), csv, strlen(csv));
    CHECK_INT(build(d, err, sizeof err), -1);
    CHECK_HAS(err, "posters.csv:2: 'page' 'zwei' is not a page number");
}

TEST(posters_csv_gives_caption_and_validity)
{
    const char *d = folder("");
    fixture_write(test_fmt("%s/posters/a.png", d), 100, 100, 3, RED, BLUE, 0);
    fixture_write(test_fmt("%s/posters/b.png", d), 100, 100, 3, RED, BLUE, 0);
    const char *csv = "Datei;Bildunterschrift;Bildunterschrift_ar;gültig_ab;gültig_bis\n"
                      "b.png;Sommerfest im Park;مهرجان الصيف;01.06.2026;30.06.2026\n";
    test_write(test_fmt("%s/posters.csv", d), csv, strlen(csv));
    char err[2000];
    CHECK_INT(build(d, err, sizeof err), 0);
    CHECK_STR(err, "");
    Model m;
    CHECK_INT(load(d, &m), 0);
    CHECK_INT(m.n_posters, 2);
    if (m.n_posters == 2) {
        CHECK(m.posters[0].caption == NULL);
        CHECK_STR(m.posters[1].caption, "Sommerfest im Park");
        CHECK_STR(m.posters[1].valid_from, "2026-06-01");
        CHECK_STR(m.posters[1].valid_until, "2026-06-30");
        CHECK_STR(model_picture(&m, m.posters[1].picture)->alt, "Sommerfest im Park");
    }
    model_free(&m);
    /* the caption in Arabic on Arabic pages (caption_ar / Bildunterschrift_ar) */
    CHECK_INT(store_load_lang_path(test_fmt("%s/out.litfass", d), "ar", &m), 0);
    CHECK_INT(m.n_posters, 2);
    if (m.n_posters == 2) {
        CHECK_STR(m.posters[1].caption, "مهرجان الصيف");
        CHECK(m.posters[0].caption == NULL);
    }
    model_free(&m);
}

TEST(bomb_truncated_missing_and_unsupported_are_named_with_file_and_line)
{
    const char *d = folder("title_x: y\n");
    (void)d;
    d = folder("logo: fehlt.png\n");
    fixture_bomb(test_fmt("%s/posters/bombe.png", d), 30000);
    fixture_write(test_fmt("%s/posters/halb.jpg", d), 600, 400, 3, RED, BLUE, 0);
    fixture_truncate(test_fmt("%s/posters/halb.jpg", d));
    fixture_write(test_fmt("%s/posters/halb2.png", d), 600, 400, 3, RED, BLUE, 0);
    fixture_truncate(test_fmt("%s/posters/halb2.png", d));
    test_write(test_fmt("%s/posters/text.png", d), "GIF89a not a png", 16);
    const char *csv = "file;caption\nweg.png;Gibt es nicht\n";
    test_write(test_fmt("%s/posters.csv", d), csv, strlen(csv));
    char err[4000];
    CHECK_INT(build(d, err, sizeof err), -1);
    CHECK_HAS(err, "campaign.md:3: ");
    CHECK_HAS(err, "fehlt.png");
    CHECK_HAS(err, "posters.csv:2: ");
    CHECK_HAS(err, "posters/weg.png");
    CHECK_HAS(err, "posters/bombe.png");
    CHECK_HAS(err, "30000 x 30000");
    CHECK_HAS(err, "posters/halb.jpg");
    CHECK_HAS(err, "posters/halb2.png");
    CHECK_HAS(err, "posters/text.png");
    struct stat st;
    CHECK(stat(test_fmt("%s/out.litfass", d), &st) != 0); /* nothing written */
}

TEST(limits_from_configuration_are_kept)
{
    const char *d = folder("");
    fixture_write(test_fmt("%s/posters/a.png", d), 1000, 1000, 3, RED, BLUE, 0);
    BuildPictureLimits l = { 500 * 500, 0, 0 };
    build_picture_set_limits(&l);
    char err[2000];
    CHECK_INT(build(d, err, sizeof err), -1);
    CHECK_HAS(err, "1000 x 1000");
    l = (BuildPictureLimits){ 0, 0, 1000 };
    build_picture_set_limits(&l);
    CHECK_INT(build(d, err, sizeof err), -1);
    CHECK_HAS(err, "1000");
    l = (BuildPictureLimits){ 0, 0, 0 };
    build_picture_set_limits(&l);
    CHECK_INT(build(d, err, sizeof err), 0);
}

TEST(markdown_picture_is_a_block_in_the_text_with_its_alt)
{
    const char *d = test_tmpdir();
    const char *md = "---\ntitle: Bilder\n---\n\nErster Absatz.\n\n"
                     "![Patinnen beim Treffen](bilder/treffen.jpg)\n\nZweiter Absatz.\n";
    test_write(test_fmt("%s/campaign.md", d), md, strlen(md));
    mkdir(test_fmt("%s/bilder", d), 0755);
    fixture_write(test_fmt("%s/bilder/treffen.jpg", d), 800, 400, 3, RED, BLUE, 0);
    char err[2000];
    CHECK_INT(build(d, err, sizeof err), 0);
    CHECK_STR(err, "");
    Model m;
    CHECK_INT(load(d, &m), 0);
    CHECK_INT(m.campaign.n_blocks, 3);
    if (m.campaign.n_blocks == 3) {
        const Block *b = &m.campaign.blocks[1];
        CHECK_INT(b->kind, BLOCK_IMAGE);
        CHECK_INT(b->picture, 1);
        CHECK_STR(b->spans[0].text, "Patinnen beim Treffen");
        CHECK_INT(m.campaign.blocks[2].kind, BLOCK_PARAGRAPH);
    }
    CHECK_INT(m.n_pictures, 1);
    CHECK_INT(m.n_posters, 0); /* a picture in the text is no poster */
    model_free(&m);

    /* a missing picture at its line (7) */
    md = "---\ntitle: Bilder\n---\n\nErster Absatz.\n\n![Fehlt](bilder/fehlt.jpg)\n";
    test_write(test_fmt("%s/campaign.md", d), md, strlen(md));
    CHECK_INT(build(d, err, sizeof err), -1);
    CHECK_HAS(err, "campaign.md:7: picture 'bilder/fehlt.jpg' not found");
    /* a picture inside a paragraph, at its line (5) */
    md = "---\ntitle: Bilder\n---\n\nText mit ![Bild](bilder/treffen.jpg) mittendrin.\n";
    test_write(test_fmt("%s/campaign.md", d), md, strlen(md));
    CHECK_INT(build(d, err, sizeof err), -1);
    CHECK_HAS(err, "campaign.md:5: a picture inside a paragraph");
}

TEST(content_without_pictures_stays_schema_3)
{
    const char *d = folder("");
    char err[2000];
    CHECK_INT(build(d, err, sizeof err), 0);
    CHECK_STR(err, "");
    Store *s;
    CHECK_INT(store_open(test_fmt("%s/out.litfass", d), &s, err, sizeof err), 0);
    CHECK_INT(s ? store_schema(s) : 0, 3);
    store_close(s);
}

int main(void)
{
    ui_set_language("en");
    RUN(png_jpeg_webp_posters_become_levels_never_upscaled);
    RUN(exif_rotated_photo_is_stored_upright);
    RUN(cmyk_jpeg_is_converted_to_srgb);
    RUN(pdf_poster_is_rasterised_at_build_time);
    RUN(pdf_poster_page_from_posters_csv);
    RUN(posters_csv_gives_caption_and_validity);
    RUN(bomb_truncated_missing_and_unsupported_are_named_with_file_and_line);
    RUN(limits_from_configuration_are_kept);
    RUN(markdown_picture_is_a_block_in_the_text_with_its_alt);
    RUN(content_without_pictures_stays_schema_3);
    return check_report();
}

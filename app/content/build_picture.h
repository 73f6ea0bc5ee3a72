/* build_picture: staff's picture files (PNG, JPEG, WebP, a page of a PDF) to what a
 * content database stores — normalised once with libvips (EXIF orientation applied,
 * colour converted to sRGB, CMYK too) and encoded at a few sizes, never upscaled.
 * Owns the picture limits; refuses a picture whose header already exceeds them
 * before any pixel is decoded. The posters folder and posters.csv are read here too. */
#ifndef LITFASS_BUILD_PICTURE_H
#define LITFASS_BUILD_PICTURE_H

#include "content/build_report.h"
#include "store/model.h"

#include <stddef.h>

typedef struct {
    long long max_pixels;      /* width x height of a source picture (a PDF page as drawn) */
    long long max_file_bytes;  /* one source file */
    long long max_total_bytes; /* every stored level of every picture together */
} BuildPictureLimits;

/* The defaults: 64 megapixels (a 48 MP phone photo passes, a decompression bomb does
 * not), 50 MB per file, 48 MB for all pictures of one bundle (a bundle is accepted up
 * to max_bundle_mb, 64 MB by default). */
#define BUILD_PICTURE_MAX_PIXELS (64LL * 1000 * 1000)
#define BUILD_PICTURE_MAX_FILE_BYTES (50LL * 1024 * 1024)
#define BUILD_PICTURE_MAX_TOTAL_BYTES (48LL * 1024 * 1024)

/* The longest side of each stored level (each no larger than the picture itself). */
#define BUILD_PICTURE_SIDES { 3840, 1920, 1280, 640, 320 }

/* Sets the limits every later build uses (a field <= 0 keeps the default). */
void build_picture_set_limits(const BuildPictureLimits *l);

/* Reads src_dir/rel (page `page` of a PDF, 1 the first) into p (free with
 * pictures_free or by hand): its levels encoded, name = rel. Problems are reported
 * to r as `at`:line (the Markdown or CSV that names the picture). Returns 0 or -1. */
int build_picture_load(const char *src_dir, const char *rel, int page, const char *at,
                       int line, Picture *p, BuildReport *r);

/* Adds a picture to m (id assigned) unless m holds one of that name already; returns
 * its id, or 0 after reporting the problem to r. */
int build_picture_add(Model *m, const char *src_dir, const char *rel, int page, const char *at,
                      int line, BuildReport *r);

/* The posters: every posters/NAME.{png,jpg,jpeg,webp,pdf}, in name order, with caption,
 * validity and PDF page from posters.csv (columns file, caption, valid_from,
 * valid_until, page; only file is required) where it names the file. Returns 0, or
 * -1 after reporting every problem to r. */
int build_read_posters(const char *src_dir, Model *m, BuildReport *r);

/* Reports an error when m's pictures together exceed the total limit. Returns 0/-1. */
int build_pictures_check_total(const Model *m, const char *src_dir, BuildReport *r);

#endif

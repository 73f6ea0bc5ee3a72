/* poster_page: the posters of the content (posters/ folder), each shown full screen in
 * turn — contained on the theme background, with its caption when it has one — while
 * its validity days hold by the trusted clock. */
#ifndef LITFASS_POSTER_PAGE_H
#define LITFASS_POSTER_PAGE_H

#include "pages/page.h"

#include <stddef.h>

/* How long one poster stays before the next (the page's panel time). */
#define POSTER_MS 10000

/* The indexes (into m->posters) of the posters valid at now_ms, in order, into idx
 * (room for max); returns how many. While the clock is untrusted (untrusted set), a
 * poster's start is not judged and only floor_ms (a time surely past) ends one. */
int poster_valid(const Model *m, int64_t now_ms, int untrusted, int64_t floor_ms, int *idx,
                 int max);

/* Whether the poster page is left out of the rotation at now_ms (no poster valid; the
 * arguments as for poster_valid): 1 with why set to one line for staff (which page,
 * why, what to do), 0 (why "") when at least one poster is valid. */
int poster_left_out(const Model *m, int64_t now_ms, int untrusted, int64_t floor_ms, char *why,
                    size_t len);

/* The poster page: the valid posters one after another (panel pages of POSTER_MS). */
void page_posters(Page *p);

#endif

/* map_page: the map page — the region fitted into its area, sites as markers or
 * clusters with labels, and a side panel (below the map in portrait) with the legend
 * and the list of sites, paged on a timer when it does not fit. */
#ifndef LITFASS_MAP_PAGE_H
#define LITFASS_MAP_PAGE_H

#include "pages/page.h"

void page_map(Page *p);

#endif

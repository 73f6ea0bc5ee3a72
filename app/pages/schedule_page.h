/* schedule_page: the schedule page — the day's events as rows with their time,
 * "Jetzt" / "Als Nächstes" marks and a countdown, paged when the day does not fit. */
#ifndef LITFASS_SCHEDULE_PAGE_H
#define LITFASS_SCHEDULE_PAGE_H

#include "pages/page.h"

void page_schedule(Page *p);

#endif

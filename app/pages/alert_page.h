/* alert_page: what an active alert (issue 14) puts on screen, as a pure function like
 * every page. Danger and warning take over the whole page in a strong colour with the
 * text as large as fits; info is a band across the top of every page, the page itself
 * laid out in the space below it. */
#ifndef LITFASS_ALERT_PAGE_H
#define LITFASS_ALERT_PAGE_H

#include "pages/layout.h"
#include "store/alert.h"

/* layout_build with the alert a over it (a NULL or inactive one: layout_build alone;
 * the caller decides activity). The JSON of *out then carries "alert". Returns what
 * layout_build returns. */
int alert_page_build(const Model *m, const char *page, const Alert *a, int w, int h,
                     const LayoutEnv *env, const TextMetrics *tm, DrawList *out);

#endif

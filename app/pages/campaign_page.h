/* campaign_page: the campaign message — header band with title, subtitle and
 * hashtag, the text from the Markdown, key figures as tiles and the QR code of the
 * web address; landscape and portrait have their own arrangement. */
#ifndef LITFASS_CAMPAIGN_PAGE_H
#define LITFASS_CAMPAIGN_PAGE_H

#include "pages/page.h"

void page_campaign(Page *p);

#endif

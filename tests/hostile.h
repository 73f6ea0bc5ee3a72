/* hostile: the heaviest content a signed bundle can carry past the store's checks,
 * built directly as a Model — every text near the store's 8 KB cap, 1 000 campaign
 * blocks, 10 000 events on one day, 20 000 sites, a map of 2 rings x 100 000 points
 * zig-zagging across the whole region. For the tests and the benchmark that show
 * layout and drawing are bounded by the screen, not by the content. */
#ifndef LITFASS_HOSTILE_H
#define LITFASS_HOSTILE_H

#include "store/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2021-06-01 00:00 Europe/Berlin: the day every hostile event is on */
#define HOSTILE_DAY_MS 1622498400000LL

/* n bytes of words ("Wort123 Wort124 …"), NUL-terminated; words of `word` letters. */
static inline char *hostile_text(size_t n, int word)
{
    char *s = malloc(n + 1);
    if (!s) {
        abort();
    }
    size_t i = 0;
    for (int k = 0; i < n; k++) {
        for (int c = 0; c < word && i < n; c++) {
            s[i++] = (char)('a' + (k + c) % 26);
        }
        if (i < n) {
            s[i++] = ' ';
        }
    }
    s[n] = '\0';
    return s;
}

static inline void hostile_model(Model *m)
{
    memset(m, 0, sizeof *m);
    m->has_content = 1;
    m->content_version = 7;
    Campaign *c = &m->campaign;
    campaign_init(c);
    c->title = hostile_text(8000, 9);
    c->subtitle = hostile_text(8000, 7);
    c->hashtag = hostile_text(8000, 8000); /* one word */
    c->url = strdup("https://example.org/");
    c->url_label = hostile_text(8000, 12);
    c->source = hostile_text(8000, 5);
    c->map_title = hostile_text(8000, 6);
    c->map_note = hostile_text(8000, 6);
    c->n_figures = 8;
    c->figures = calloc(8, sizeof *c->figures);
    for (int i = 0; i < 8; i++) {
        c->figures[i].value = hostile_text(8000, 8000);
        c->figures[i].label = hostile_text(8000, 10);
    }
    c->n_blocks = 1000;
    c->blocks = calloc(1000, sizeof *c->blocks);
    for (int i = 0; i < 1000; i++) {
        Block *b = &c->blocks[i];
        b->kind = i % 10 == 0 ? BLOCK_HEADING : i % 3 ? BLOCK_PARAGRAPH : BLOCK_ITEM;
        b->level = b->kind == BLOCK_HEADING ? 2 : 0;
        char *t = hostile_text(8000, i % 7 ? 8 : 8000);
        block_add_span(b, t, strlen(t), i % 2);
        free(t);
    }
    /* the map: two rings, each 100 000 points zig-zagging over the whole region */
    MapGeo *g = &m->map;
    g->lon0 = 5.9, g->lat0 = 47.3, g->lon1 = 15.0, g->lat1 = 55.0;
    g->n_rings = 2;
    g->rings = calloc(2, sizeof *g->rings);
    for (int r = 0; r < 2; r++) {
        MapRing *ring = &g->rings[r];
        ring->focus = 1;
        snprintf(ring->name, sizeof ring->name, "Z%d", r);
        ring->n = 100000;
        ring->lonlat = malloc(sizeof(float) * 2 * 100000);
        for (int i = 0; i < 100000; i++) {
            double t = i / 100000.0;
            /* every edge spans the whole height: each scanline crosses all of them */
            ring->lonlat[2 * i] = (float)(5.9 + 9.1 * (r ? 1 - t : t));
            ring->lonlat[2 * i + 1] = (float)(i % 2 ? 55.0 : 47.3);
        }
    }
    m->n_sites = 20000;
    m->sites = calloc(20000, sizeof *m->sites);
    for (int i = 0; i < 20000; i++) {
        Site *s = &m->sites[i];
        char id[16];
        snprintf(id, sizeof id, "h%05d", i);
        s->id = strdup(id);
        s->name = i < 200 ? hostile_text(8000, 11) : strdup(id);
        s->organisation = i < 200 ? hostile_text(8000, 6) : strdup("DRK");
        s->city = i < 200 ? hostile_text(8000, 8000) : strdup("Neustadt");
        s->kind = i < 200 ? hostile_text(8000, 9) : strdup("DRK");
        s->lat = 47.3 + 7.7 * ((i * 7919) % 20000) / 20000.0;
        s->lon = 5.9 + 9.1 * ((i * 104729) % 20000) / 20000.0;
        s->demo = 1;
    }
    /* 10 000 events on one day, every minute-ish, long titles and descriptions */
    m->n_events = 10000;
    m->events = calloc(10000, sizeof *m->events);
    for (int i = 0; i < 10000; i++) {
        Event *e = &m->events[i];
        int minute = (i * 7) % (24 * 60 - 1);
        snprintf(e->start, sizeof e->start, "2021-06-01T%02d:%02d:00", minute / 60, minute % 60);
        snprintf(e->end, sizeof e->end, "2021-06-01T%02d:%02d:00", (minute + 1) / 60,
                 (minute + 1) % 60);
        e->title = hostile_text(i < 2000 ? 2000 : 200, i % 2 ? 9 : 2000);
        e->place = i < 2000 ? hostile_text(1000, 7) : NULL;
        e->description = hostile_text(i < 2000 ? 2000 : 100, 6);
    }
}

#endif

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

/* Sizes of a hostile model: counts and the length of every text. */
typedef struct {
    int blocks, events, sites, ring_points;
    size_t text;
} HostileSize;

/* What a signed bundle can hold at most past the store's caps. */
#define HOSTILE_FULL ((HostileSize){ 1000, 10000, 20000, 100000, 8000 })

static inline void hostile_model_sized(Model *m, HostileSize z)
{
    memset(m, 0, sizeof *m);
    m->has_content = 1;
    m->content_version = 7;
    Campaign *c = &m->campaign;
    campaign_init(c);
    c->title = hostile_text(z.text, 9);
    c->subtitle = hostile_text(z.text, 7);
    c->hashtag = hostile_text(z.text, (int)z.text); /* one word */
    c->url = strdup("https://example.org/");
    c->url_label = hostile_text(z.text, 12);
    c->source = hostile_text(z.text, 5);
    c->map_title = hostile_text(z.text, 6);
    c->map_note = hostile_text(z.text, 6);
    c->n_figures = 8;
    c->figures = calloc(8, sizeof *c->figures);
    for (int i = 0; i < 8; i++) {
        c->figures[i].value = hostile_text(z.text, (int)z.text);
        c->figures[i].label = hostile_text(z.text, 10);
    }
    c->n_blocks = z.blocks;
    c->blocks = calloc((size_t)z.blocks, sizeof *c->blocks);
    for (int i = 0; i < z.blocks; i++) {
        Block *b = &c->blocks[i];
        b->kind = i % 10 == 0 ? BLOCK_HEADING : i % 3 ? BLOCK_PARAGRAPH : BLOCK_ITEM;
        b->level = b->kind == BLOCK_HEADING ? 2 : 0;
        char *t = hostile_text(z.text, i % 7 ? 8 : (int)z.text);
        block_add_span(b, t, strlen(t), i % 2);
        free(t);
    }
    /* the map: two rings of ring_points zig-zagging over the whole region */
    MapGeo *g = &m->map;
    g->lon0 = 5.9, g->lat0 = 47.3, g->lon1 = 15.0, g->lat1 = 55.0;
    g->n_rings = 2;
    g->rings = calloc(2, sizeof *g->rings);
    for (int r = 0; r < 2; r++) {
        MapRing *ring = &g->rings[r];
        ring->focus = 1;
        snprintf(ring->name, sizeof ring->name, "Z%d", r);
        ring->n = z.ring_points;
        ring->lonlat = malloc(sizeof(float) * 2 * (size_t)z.ring_points);
        for (int i = 0; i < z.ring_points; i++) {
            double t = (double)i / z.ring_points;
            /* every edge spans the whole height: each scanline crosses all of them */
            ring->lonlat[2 * i] = (float)(5.9 + 9.1 * (r ? 1 - t : t));
            ring->lonlat[2 * i + 1] = (float)(i % 2 ? 55.0 : 47.3);
        }
    }
    m->n_sites = z.sites;
    m->sites = calloc((size_t)z.sites, sizeof *m->sites);
    for (int i = 0; i < z.sites; i++) {
        Site *s = &m->sites[i];
        char id[16];
        snprintf(id, sizeof id, "h%05d", i);
        s->id = strdup(id);
        s->name = i < 200 ? hostile_text(z.text, 11) : strdup(id);
        s->organisation = i < 200 ? hostile_text(z.text, 6) : strdup("DRK");
        s->city = i < 200 ? hostile_text(z.text, (int)z.text) : strdup("Neustadt");
        s->kind = i < 200 ? hostile_text(z.text, 9) : strdup("DRK");
        s->lat = 47.3 + 7.7 * ((i * 7919L) % z.sites) / z.sites;
        s->lon = 5.9 + 9.1 * ((i * 104729L) % z.sites) / z.sites;
        s->demo = 1;
    }
    /* events on one day, every minute-ish, long titles and descriptions (the first
     * fifth at the full length, to keep the memory sane) */
    m->n_events = z.events;
    m->events = calloc((size_t)z.events, sizeof *m->events);
    for (int i = 0; i < z.events; i++) {
        Event *e = &m->events[i];
        int minute = (i * 7) % (24 * 60 - 1);
        snprintf(e->start, sizeof e->start, "2021-06-01T%02d:%02d:00", minute / 60, minute % 60);
        snprintf(e->end, sizeof e->end, "2021-06-01T%02d:%02d:00", (minute + 1) / 60,
                 (minute + 1) % 60);
        int full = i < z.events / 5;
        e->title = hostile_text(full ? z.text : 200, i % 2 ? 9 : (int)z.text);
        e->place = full ? hostile_text(z.text / 2, 7) : NULL;
        e->description = hostile_text(full ? z.text : 100, 6);
    }
}

static inline void hostile_model(Model *m)
{
    hostile_model_sized(m, HOSTILE_FULL);
}

#endif

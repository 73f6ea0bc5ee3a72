/* model: ownership helpers for the plain content structs. */
#define _POSIX_C_SOURCE 200809L
#include "store/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void campaign_init(Campaign *c)
{
    memset(c, 0, sizeof *c);
    c->color_primary = MODEL_COLOR_PRIMARY;
    c->color_background = MODEL_COLOR_BACKGROUND;
    c->color_text = MODEL_COLOR_TEXT;
    c->color_accent = MODEL_COLOR_ACCENT;
}

void campaign_free(Campaign *c)
{
    if (!c) {
        return;
    }
    free(c->title);
    free(c->hashtag);
    free(c->subtitle);
    free(c->url);
    free(c->url_label);
    free(c->source);
    free(c->map_title);
    free(c->map_note);
    free(c->logo_src);
    for (int i = 0; i < c->n_figures; i++) {
        free(c->figures[i].value);
        free(c->figures[i].label);
    }
    free(c->figures);
    for (int i = 0; i < c->n_blocks; i++) {
        for (int j = 0; j < c->blocks[i].n_spans; j++) {
            free(c->blocks[i].spans[j].text);
        }
        free(c->blocks[i].spans);
        free(c->blocks[i].src);
    }
    free(c->blocks);
    campaign_init(c);
}

void model_free(Model *m)
{
    if (!m) {
        return;
    }
    campaign_free(&m->campaign);
    map_geo_free(&m->map);
    sites_free(m->sites, m->n_sites);
    events_free(m->events, m->n_events);
    pictures_free(m->pictures, m->n_pictures);
    posters_free(m->posters, m->n_posters);
    for (int i = 0; i < m->n_campaign_variants; i++) {
        campaign_free(&m->campaign_variants[i].campaign);
    }
    free(m->campaign_variants);
    for (int i = 0; i < m->n_variants; i++) {
        free(m->variants[i].item);
        free(m->variants[i].value);
    }
    free(m->variants);
    memset(m, 0, sizeof *m);
    campaign_init(&m->campaign);
}

int model_add_variant(Model *m, const char *lang, const char *item, const char *field,
                      const char *value)
{
    TextVariant *v = realloc(m->variants, sizeof *v * (size_t)(m->n_variants + 1));
    if (!v) {
        abort();
    }
    m->variants = v;
    v += m->n_variants++;
    memset(v, 0, sizeof *v);
    snprintf(v->lang, sizeof v->lang, "%s", lang);
    snprintf(v->field, sizeof v->field, "%s", field);
    v->item = strdup(item);
    v->value = strdup(value);
    if (!v->item || !v->value) {
        abort();
    }
    return 0;
}

void map_geo_free(MapGeo *g)
{
    if (!g) {
        return;
    }
    for (int i = 0; i < g->n_rings; i++) {
        free(g->rings[i].lonlat);
    }
    free(g->rings);
    memset(g, 0, sizeof *g);
}

void sites_free(Site *sites, int n)
{
    for (int i = 0; i < n; i++) {
        free(sites[i].id);
        free(sites[i].name);
        free(sites[i].organisation);
        free(sites[i].city);
        free(sites[i].kind);
        free(sites[i].address);
        free(sites[i].url);
    }
    free(sites);
}

void events_free(Event *events, int n)
{
    for (int i = 0; i < n; i++) {
        free(events[i].title);
        free(events[i].place);
        free(events[i].description);
    }
    free(events);
}

int block_add_span(Block *b, const char *text, size_t len, int bold)
{
    /* merge with the previous span of the same style: fewer draw items */
    if (b->n_spans > 0 && b->spans[b->n_spans - 1].bold == bold) {
        Span *s = &b->spans[b->n_spans - 1];
        size_t old = strlen(s->text);
        char *t = realloc(s->text, old + len + 1);
        if (!t) {
            return -1;
        }
        memcpy(t + old, text, len);
        t[old + len] = '\0';
        s->text = t;
        return 0;
    }
    Span *spans = realloc(b->spans, sizeof *spans * (size_t)(b->n_spans + 1));
    if (!spans) {
        return -1;
    }
    b->spans = spans;
    char *t = malloc(len + 1);
    if (!t) {
        return -1;
    }
    memcpy(t, text, len);
    t[len] = '\0';
    spans[b->n_spans].text = t;
    spans[b->n_spans].bold = bold;
    b->n_spans++;
    return 0;
}

void pictures_free(Picture *p, int n)
{
    for (int i = 0; p && i < n; i++) {
        free(p[i].name);
        free(p[i].alt);
        for (int l = 0; l < p[i].n_levels; l++) {
            free(p[i].levels[l].data);
        }
    }
    free(p);
}

void posters_free(Poster *p, int n)
{
    for (int i = 0; p && i < n; i++) {
        free(p[i].caption);
    }
    free(p);
}

const Picture *model_picture(const Model *m, int id)
{
    for (int i = 0; m && id > 0 && i < m->n_pictures; i++) {
        if (m->pictures[i].id == id) {
            return &m->pictures[i];
        }
    }
    return NULL;
}

int model_picture_level(const Picture *p, int w, int h)
{
    if (!p || p->n_levels < 1) {
        return -1;
    }
    int best = 0; /* levels are stored largest first */
    for (int l = 1; l < p->n_levels; l++) {
        const PictureLevel *v = &p->levels[l];
        /* the picture contained in w x h: which side binds */
        int need_w = (int64_t)v->width * h >= (int64_t)v->height * w;
        if (need_w ? v->width >= w : v->height >= h) {
            best = l;
        }
    }
    return best;
}

/* Map page: projection, sites.csv import, and the map's draw list at 19, 900 and
 * 10 000 sites at every resolution — markers where the cities are, clusters that
 * add up, labels that never overlap or cover a marker. */
#include "testutil.h"

#include "fixtures.h"

#include "content/build.h"
#include "check.h"
#include "base/clock.h"
#include "pages/layout.h"
#include "layoututil.h"
#include "pages/map.h"
#include "store/store.h"
#include "display/text.h"
#include "base/ui.h"

#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static TextMetrics tm;
static const int sizes[][2] = { { 1280, 720 }, { 1920, 1080 }, { 3840, 2160 }, { 1080, 1920 } };

static const char *sites_err(const char *csv, const MapGeo *g)
{
    static char err[512];
    Site *s;
    int n;
    err[0] = '\0';
    CHECK_INT(build_parse_sites("sites.csv", csv, strlen(csv), g, &s, &n, err, sizeof err), -1);
    return err;
}

static void load_geo(MapGeo *g)
{
    char err[512];
    const char *path = LITFASS_SOURCE_DIR "/assets/germany.geo";
    size_t len;
    char *text = test_read(path, &len);
    CHECK_INT(build_parse_geo(path, text, len, g, err, sizeof err), 0);
    free(text);
}

/* The default content, built and loaded the way the display does it. */
static void load_default(Model *m)
{
    CHECK_INT(test_default_model(m), 0);
}

/* Replaces the model's sites with n generated ones spread over Germany. */
static void generate_sites(Model *m, int n)
{
    sites_free(m->sites, m->n_sites);
    m->sites = calloc((size_t)n, sizeof *m->sites);
    m->n_sites = n;
    unsigned long long seed = 7;
    for (int i = 0; i < n; i++) {
        char buf[64];
        Site *s = &m->sites[i];
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double a = (seed >> 11) / 9007199254740992.0;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double b = (seed >> 11) / 9007199254740992.0;
        /* cluster half of them around Berlin and Köln, like real programmes */
        if (i % 2) {
            s->lat = (i % 4 == 1 ? 52.52 : 50.94) + (a - 0.5) * 0.3;
            s->lon = (i % 4 == 1 ? 13.40 : 6.96) + (b - 0.5) * 0.5;
        } else {
            s->lat = 47.6 + a * 7.2;
            s->lon = 6.2 + b * 8.6;
        }
        snprintf(buf, sizeof buf, "g%05d", i);
        s->id = strdup(buf);
        snprintf(buf, sizeof buf, "Projekt %d", i);
        s->name = strdup(buf);
        s->organisation = strdup("DRK");
        s->city = strdup(i % 3 ? "Neustadt" : "Altdorf");
        s->kind = strdup("DRK");
    }
}

TEST(projection_is_conformal_and_north_up)
{
    MapGeo g;
    load_geo(&g);
    Projection p;
    map_projection(&g, &p);
    double lats[] = { 47.5, 51.0, 54.8 }, lons[] = { 6.0, 10.5, 15.0 };
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
            double x0, y0, xe, ye, xn, yn, d = 1e-4;
            map_project(&p, lats[i], lons[j], &x0, &y0);
            map_project(&p, lats[i], lons[j] + d, &xe, &ye);
            map_project(&p, lats[i] + d, lons[j], &xn, &yn);
            double east = hypot(xe - x0, ye - y0) / (d * cos(lats[i] * M_PI / 180));
            double north = hypot(xn - x0, yn - y0) / d;
            CHECK(fabs(east / north - 1) < 1e-4); /* same scale in every direction */
            CHECK(yn > y0);                       /* north is up */
            /* a parallel and a meridian cross at a right angle */
            double dot = (xe - x0) * (xn - x0) + (ye - y0) * (yn - y0);
            CHECK(fabs(dot) / (hypot(xe - x0, ye - y0) * hypot(xn - x0, yn - y0)) < 1e-4);
        }
    }
    /* Germany is about 1.3 times as tall as wide on a conformal map */
    MapFit f;
    map_fit(&p, &g, (Rect){ 0, 0, 1000, 1000 }, &f);
    double aspect = (double)f.used.h / f.used.w;
    CHECK(aspect > 1.25 && aspect < 1.4);
    CHECK_INT(f.used.h, 1000);
    map_geo_free(&g);
}

TEST(sites_csv_as_spreadsheets_export_it)
{
    MapGeo g;
    load_geo(&g);
    const char *excel = "\xEF\xBB\xBFid;name;organisation;city;latitude;longitude;kind;demo\r\n"
                        "a;\"Treff; am Markt\";DRK;Köln;50,9375;6,9603;DRK;ja\r\n"
                        "\r\n"
                        "b;\"Das \"\"Haus\"\"\";DRK;Berlin;52,52;13,405;DRK;nein\r\n"
                        ";;;;;;;\r\n";
    Site *s;
    int n;
    char err[512] = "";
    CHECK_INT(build_parse_sites("sites.csv", excel, strlen(excel), &g, &s, &n, err, sizeof err), 0);
    CHECK_STR(err, "");
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(s[0].name, "Treff; am Markt");
        CHECK(fabs(s[0].lat - 50.9375) < 1e-9 && fabs(s[0].lon - 6.9603) < 1e-9);
        CHECK_INT(s[0].demo, 1);
        CHECK_STR(s[1].name, "Das \"Haus\"");
        CHECK_INT(s[1].demo, 0);
        CHECK_STR(s[1].city, "Berlin");
    }
    sites_free(s, n);
    const char *commas = "ID,Name,Organization,City,Lat,Lon,Kind,Address,URL\n"
                         "x,\"Zentrum, Nord\",AWO,Kiel,\"54,3233\",10.1228,AWO,\"Hafenstr. 1\nKiel\",https://x.de\n";
    CHECK_INT(build_parse_sites("sites.csv", commas, strlen(commas), &g, &s, &n, err, sizeof err), 0);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_STR(s[0].name, "Zentrum, Nord");
        CHECK(fabs(s[0].lat - 54.3233) < 1e-9);
        CHECK_STR(s[0].address, "Hafenstr. 1\nKiel");
        CHECK_INT(s[0].demo, 0);
    }
    sites_free(s, n);
    map_geo_free(&g);
}

TEST(bad_site_rows_are_rejected_with_row_and_reason)
{
    ui_set_language("en"); /* these checks read the build's English messages */
    MapGeo g;
    load_geo(&g);
    const char *h = "id,name,organisation,city,latitude,longitude,kind\n";
    char csv[1024];
    snprintf(csv, sizeof csv, "%sa,A,DRK,Köln,50.9,6.9,DRK\nb,B,DRK,Bonn,,7.1,DRK\n", h);
    CHECK_HAS(sites_err(csv, &g), "sites.csv:3: 'latitude' is empty");
    snprintf(csv, sizeof csv, "%sa,A,DRK,Köln,50.9,6.9,DRK\nb,B,DRK,Paris,48.85,2.35,DRK\n", h);
    CHECK_HAS(sites_err(csv, &g), "sites.csv:3: site 'b' at 48.8500, 2.3500 lies outside the map region");
    snprintf(csv, sizeof csv, "%sa,A,DRK,Köln,6.96,50.93,DRK\n", h);
    CHECK_HAS(sites_err(csv, &g), "latitude and longitude swapped?");
    snprintf(csv, sizeof csv, "%sa,A,DRK,Köln,50.9,6.9,DRK\nb,B,DRK,Bonn,50.7,7.1,DRK\na,C,DRK,Ulm,48.4,9.9,DRK\n", h);
    CHECK_HAS(sites_err(csv, &g), "sites.csv:4: duplicate id 'a' (already used in line 2)");
    /* partly UTF-8, partly Latin-1 (Latin-1 alone is read as Windows-1252) */
    snprintf(csv, sizeof csv, "%sa,A,DRK,K\xf6ln,50.9,6.9,DRK\nb,B,DRK,K\xc3\xb6ln,50.9,6.9,DRK\n", h);
    CHECK_HAS(sites_err(csv, &g), "sites.csv:2: invalid UTF-8");
    snprintf(csv, sizeof csv, "%sa,A,DRK,Köln,fünfzig,6.9,DRK\n", h);
    CHECK_HAS(sites_err(csv, &g), "sites.csv:2: latitude 'fünfzig' is not a number");
    CHECK_HAS(sites_err("id,name,organisation,city,latitute,longitude,kind\n", &g),
              "sites.csv:1: unknown column 'latitute'");
    CHECK_HAS(sites_err("id,name,city,latitude,longitude,kind\n", &g),
              "sites.csv:1: required column 'organisation' is missing");
    snprintf(csv, sizeof csv, "%sa,\"A,DRK,Köln,50.9,6.9,DRK\n", h);
    CHECK_HAS(sites_err(csv, &g), "sites.csv:2: unterminated quote");
    snprintf(csv, sizeof csv, "%sa,A,DRK,Köln,50.9,6.9,DRK,vielleicht\n", "id,name,organisation,city,latitude,longitude,kind,demo\n");
    CHECK_HAS(sites_err(csv, &g), "sites.csv:2: 'demo' must be ja/nein");
    map_geo_free(&g);
    ui_set_language("de");
}

/* Checks a map page's draw list; returns the number of sites it accounts for. */
static int check_map(const DrawList *dl, int w, int h, const char *what)
{
    Rect screen = { 0, 0, w, h }, area = { 0, 0, 0, 0 };
    int n_sites = 0, outside = 0, label_overlaps = 0, covers = 0, off_map = 0;
    for (int i = 0; i < dl->n; i++) {
        if (dl->items[i].kind == ITEM_MAP) {
            area = dl->items[i].rect;
        }
    }
    CHECK(area.w > w / 3 || area.h > h / 3);
    for (int i = 0; i < dl->n; i++) {
        const DrawItem *a = &dl->items[i];
        if (!rect_inside(a->rect, screen)) {
            outside++;
        }
        if (a->kind == ITEM_MARKER || a->kind == ITEM_CLUSTER || a->kind == ITEM_LABEL) {
            if (!rect_inside(a->rect, area)) {
                off_map++;
            }
        }
        if (a->kind == ITEM_MARKER) {
            n_sites++;
        } else if (a->kind == ITEM_CLUSTER) {
            n_sites += atoi(a->text);
            CHECK(atoi(a->text) >= 2);
        }
        if (a->kind != ITEM_LABEL) {
            continue;
        }
        for (int j = 0; j < dl->n; j++) {
            const DrawItem *b = &dl->items[j];
            if (j != i && b->kind == ITEM_LABEL && rects_overlap(a->rect, b->rect)) {
                label_overlaps++;
            }
            if ((b->kind == ITEM_MARKER || b->kind == ITEM_CLUSTER) &&
                rects_overlap(a->rect, b->rect)) {
                covers++;
            }
        }
    }
    if (outside || label_overlaps || covers || off_map) {
        fprintf(stderr, "%s %dx%d: outside %d, label overlaps %d, covers %d, off map %d\n", what,
                w, h, outside, label_overlaps, covers, off_map);
    }
    CHECK_INT(outside, 0);
    CHECK_INT(label_overlaps, 0);
    CHECK_INT(covers, 0);
    CHECK_INT(off_map, 0);
    return n_sites;
}

static const DrawItem *marker_at(const DrawList *dl, double x, double y)
{
    const DrawItem *best = NULL;
    double bd = 1e9;
    for (int i = 0; i < dl->n; i++) {
        const DrawItem *a = &dl->items[i];
        if (a->kind != ITEM_MARKER) {
            continue;
        }
        double d = hypot(a->rect.x + a->rect.w / 2.0 - x, a->rect.y + a->rect.h / 2.0 - y);
        if (d < bd) {
            bd = d;
            best = a;
        }
    }
    return bd <= 1.5 ? best : NULL;
}

TEST(default_sites_are_where_their_cities_are)
{
    Model m;
    load_default(&m);
    CHECK_INT(m.n_sites, 19);
    for (size_t s = 0; s < 4; s++) {
        int w = sizes[s][0], h = sizes[s][1];
        DrawList dl;
        drawlist_init(&dl, 0, 0);
        CHECK_INT(layout_build(&m, "map", w, h, LAYOUT_ENV(0), &tm, &dl), 0);
        CHECK_INT(check_map(&dl, w, h, "default"), 19);
        Rect area = { 0, 0, 0, 0 };
        for (int i = 0; i < dl.n; i++) {
            if (dl.items[i].kind == ITEM_MAP) {
                area = dl.items[i].rect;
            }
        }
        Projection p;
        MapFit f;
        map_projection(&m.map, &p);
        map_fit(&p, &m.map, area, &f);
        /* every site has a marker at its projected position */
        for (int i = 0; i < m.n_sites; i++) {
            double x, y, sx, sy;
            map_project(&p, m.sites[i].lat, m.sites[i].lon, &x, &y);
            map_to_screen(&f, x, y, &sx, &sy);
            CHECK(marker_at(&dl, sx, sy) != NULL);
            /* and roughly where a plain lat/lon reading of the outline's box puts it */
            double fx = (m.sites[i].lon - m.map.lon0) / (m.map.lon1 - m.map.lon0);
            double fy = (m.map.lat1 - m.sites[i].lat) / (m.map.lat1 - m.map.lat0);
            CHECK(fabs((sx - f.used.x) / f.used.w - fx) < 0.06);
            CHECK(fabs((sy - f.used.y) / f.used.h - fy) < 0.06);
        }
        /* known geography: Hamburg north of München, Köln west of Berlin */
        double hx, hy, mx, my, kx, ky, bx, by;
        map_project(&p, 53.5511, 9.9937, &hx, &hy);
        map_project(&p, 48.1351, 11.5820, &mx, &my);
        map_project(&p, 50.9375, 6.9603, &kx, &ky);
        map_project(&p, 52.5200, 13.4050, &bx, &by);
        CHECK(hy > my && kx < bx);
        CHECK(find_text(&dl, "Beispieldaten") >= 0); /* demo data is marked */
        CHECK(find_text(&dl, "DRK an 19 Standorten") >= 0);
        CHECK(find_text(&dl, "900 Standorte bundesweit") >= 0);
        int labels = 0;
        for (int i = 0; i < dl.n; i++) {
            labels += dl.items[i].kind == ITEM_LABEL;
        }
        CHECK(labels >= 15); /* 19 cities spread over Germany: nearly all get a label */
        drawlist_free(&dl);
    }
    model_free(&m);
}

TEST(own_site_is_highlighted_and_the_list_sorted_by_distance)
{
    Model m;
    load_default(&m);
    LayoutEnv env = { 0, 0, "drk-kas", NULL, 0, 0, NULL, 0 };
    DrawList dl;
    drawlist_init(&dl, 0, 0);
    layout_build(&m, "map", 1920, 1080, &env, &tm, &dl);
    CHECK_INT(check_map(&dl, 1920, 1080, "own"), 18 + 1);
    int own = 0;
    for (int i = 0; i < dl.n; i++) {
        own += dl.items[i].kind == ITEM_MARKER && dl.items[i].text &&
               !strcmp(dl.items[i].text, "own");
    }
    CHECK_INT(own, 1);
    int here = find_text(&dl, "Sie sind hier");
    CHECK(here >= 0);
    int labelled_here = 0;
    for (int i = 0; i < dl.n; i++) {
        labelled_here |= dl.items[i].kind == ITEM_LABEL && !strcmp(dl.items[i].text, "Sie sind hier");
    }
    CHECK(labelled_here);
    /* the list starts with the own site, then the nearest (Erfurt, ~ 125 km) */
    int first = find_text(&dl, "Beispielprojekt Kassel");
    int second = find_text(&dl, "Beispielprojekt Erfurt");
    CHECK(first >= 0 && second > first);
    CHECK(find_text(&dl, "0 km") >= 0);
    drawlist_free(&dl);
    /* without an own site: alphabetical */
    drawlist_init(&dl, 0, 0);
    layout_build(&m, "map", 1920, 1080, LAYOUT_ENV(0), &tm, &dl);
    CHECK(find_text(&dl, "Beispielprojekt Berlin") >= 0);
    CHECK(find_text(&dl, "Beispielprojekt Kassel") < 0 ||
          find_text(&dl, "Beispielprojekt Berlin") < find_text(&dl, "Beispielprojekt Kassel"));
    drawlist_free(&dl);
    model_free(&m);
}

TEST(dense_sites_merge_into_clusters_that_add_up)
{
    int counts[] = { 900, 10000 };
    for (int c = 0; c < 2; c++) {
        Model m;
        load_default(&m);
        generate_sites(&m, counts[c]);
        for (size_t s = 0; s < 4; s++) {
            DrawList dl;
            drawlist_init(&dl, 0, 0);
            LayoutEnv env = { 0, 0, "g00003", NULL, 0, 0, NULL, 0 };
            layout_build(&m, "map", sizes[s][0], sizes[s][1], &env, &tm, &dl);
            CHECK_INT(check_map(&dl, sizes[s][0], sizes[s][1], "generated"), counts[c]);
            int clusters = 0, markers = 0;
            for (int i = 0; i < dl.n; i++) {
                clusters += dl.items[i].kind == ITEM_CLUSTER;
                markers += dl.items[i].kind == ITEM_MARKER;
            }
            CHECK(clusters > 10);
            CHECK(clusters + markers < 400); /* legible: not thousands of dots */
            CHECK(find_text(&dl, "Beispieldaten") < 0); /* generated sites are not demo */
            drawlist_free(&dl);
        }
        model_free(&m);
    }
}

TEST(the_site_list_pages_on_a_timer)
{
    Model m;
    load_default(&m);
    generate_sites(&m, 900);
    DrawList a, b;
    drawlist_init(&a, 0, 0);
    drawlist_init(&b, 0, 0);
    LayoutEnv e1 = { 0, 0, NULL, NULL, 0, 0, NULL, 0 }, e2 = { 0, 8000, NULL, NULL, 0, 0, NULL, 0 };
    layout_build(&m, "map", 1920, 1080, &e1, &tm, &a);
    layout_build(&m, "map", 1920, 1080, &e2, &tm, &b);
    CHECK(find_text(&a, "Seite 1 von 5") >= 0);
    CHECK(find_text(&b, "Seite 2 von 5") >= 0);
    CHECK_INT(a.valid_ms, 8000); /* the kiosk wakes up for the next page */
    CHECK(find_text(&a, "900 Standorte") >= 0);
    LayoutEnv e5 = { 0, 4 * 8000, NULL, NULL, 0, 0, NULL, 0 };
    layout_build(&m, "map", 1920, 1080, &e5, &tm, &b);
    CHECK(find_text(&b, "weitere") >= 0); /* the last page says how many are not listed */
    drawlist_free(&a);
    drawlist_free(&b);
    model_free(&m);
}

/* map.geo text: a circle of n points (radius 2 degrees around 8E 50N) and, if tiny, a
 * ring far smaller than a pixel. */
static char *circle_geo(int n, int tiny)
{
    size_t cap = (size_t)n * 40 + 400, len = 0;
    char *t = malloc(cap);
    len += (size_t)snprintf(t + len, cap - len, "region 6 48 10 52\nring focus C %d\n", n);
    for (int i = 0; i < n; i++) {
        double a = 2 * 3.14159265358979 * i / n;
        len += (size_t)snprintf(t + len, cap - len, "%.6f %.6f\n", 8 + 2 * cos(a), 50 + 2 * sin(a));
    }
    if (tiny) {
        len += (size_t)snprintf(t + len, cap - len,
                                "ring context T 3\n7 49\n7.0001 49\n7 49.0001\n");
    }
    return t;
}

TEST(map_geometry_finer_than_any_screen_is_dropped_at_build)
{
    MapGeo g = { 0 };
    char err[512] = "";
    char *text = circle_geo(100000, 1);
    CHECK_INT(build_parse_geo("dense.geo", text, strlen(text), &g, err, sizeof err), 0);
    free(text);
    /* the pixel-sized ring is gone; the circle keeps about one point per 1/8000 of the
     * region (4 degrees): its 12.6-degree perimeter needs no more than ~25 000 */
    CHECK_INT(g.n_rings, 1);
    printf("  100 000 points on the circle: %d kept\n", g.n_rings ? g.rings[0].n : 0);
    CHECK(g.n_rings == 1 && g.rings[0].n < 30000 && g.rings[0].n > 3000);
    int off = 0; /* every kept point is one of the circle's */
    for (int i = 0; g.n_rings == 1 && i < g.rings[0].n; i++) {
        double dx = g.rings[0].lonlat[2 * i] - 8, dy = g.rings[0].lonlat[2 * i + 1] - 50;
        off += fabs(sqrt(dx * dx + dy * dy) - 2) > 1e-4;
    }
    CHECK_INT(off, 0);
    map_geo_free(&g);
    /* the default map is already as coarse as the screen: nothing of it is dropped */
    load_geo(&g);
    int total = 0;
    for (int i = 0; i < g.n_rings; i++) {
        total += g.rings[i].n;
    }
    CHECK_INT(total, 3221);
    CHECK_INT(g.n_rings, 49);
    map_geo_free(&g);
    /* only pixel-sized rings: an error, not an empty map */
    const char *only_tiny = "region 6 48 10 52\nring focus T 3\n7 49\n7.0001 49\n7 49.0001\n";
    CHECK_INT(build_parse_geo("tiny.geo", only_tiny, strlen(only_tiny), &g, err, sizeof err), -1);
    CHECK_HAS(err, "smaller than the map can show");
}

int main(void)
{
    Text *text = test_fonts();
    tm = text_metrics(text);
    clock_set_zone("Europe/Berlin");
    RUN(projection_is_conformal_and_north_up);
    RUN(sites_csv_as_spreadsheets_export_it);
    RUN(bad_site_rows_are_rejected_with_row_and_reason);
    RUN(default_sites_are_where_their_cities_are);
    RUN(own_site_is_highlighted_and_the_list_sorted_by_distance);
    RUN(dense_sites_merge_into_clusters_that_add_up);
    RUN(the_site_list_pages_on_a_timer);
    RUN(map_geometry_finer_than_any_screen_is_dropped_at_build);
    text_close(text);
    return check_report();
}

/* map: the geometry of the map page, pure and without SDL. Owns the projection
 * (Lambert conformal conic on the sphere, standard parallels inside the region, so
 * shapes and angles are right and north is up), fitting the region into a screen
 * rectangle, clustering of sites that are too close to show apart, and placing
 * labels so that none overlaps another label or covers a marker. */
#ifndef LITFASS_MAP_H
#define LITFASS_MAP_H

#include "pages/drawlist.h"
#include "store/model.h"

typedef struct {
    double lon0; /* central meridian, radians */
    double n, F, rho0;
} Projection;

/* Projection for the region of g (standard parallels at 1/6 and 5/6 of its
 * latitude span, origin at its centre). */
void map_projection(const MapGeo *g, Projection *p);

/* Projects degrees to plane coordinates in Earth radii: x east, y north. */
void map_project(const Projection *p, double lat, double lon, double *x, double *y);

typedef struct {
    double scale;  /* pixels per Earth radius */
    double ox, oy; /* screen position of the plane origin */
    Rect used;     /* screen rectangle the region's outline occupies */
} MapFit;

/* Fits the focus rings of g centred into area, keeping the aspect ratio. */
void map_fit(const Projection *p, const MapGeo *g, Rect area, MapFit *f);

static inline void map_to_screen(const MapFit *f, double x, double y, double *sx, double *sy)
{
    *sx = f->ox + x * f->scale;
    *sy = f->oy - y * f->scale;
}

typedef struct {
    float x, y;  /* screen position of the cluster (its first site) */
    int count;   /* sites in it */
    int site;    /* index of its first site */
} MapCluster;

/* Leader clustering: each point joins the first cluster whose centre is closer than
 * radius, else starts a new one, so cluster centres are more than radius apart.
 * Point `skip` (or -1) is left out. Returns the number of clusters in *out (caller
 * frees); cluster_of[i] (may be NULL) gets each point's cluster or -1. */
int map_cluster(const float *xy, int n, float radius, int skip, MapCluster **out,
                int *cluster_of);

typedef struct {
    float x, y;   /* anchor: the marker's centre */
    float r;      /* marker radius: the label keeps clear of it */
    int w, h;     /* label size */
} LabelRequest;

/* Places labels in priority order at the first free of eight positions around their
 * anchor: inside bounds, not overlapping an obstacle or an earlier label. out[i] is
 * the label's rectangle, or w == 0 when it found no place. Returns how many were
 * placed. */
int map_place_labels(const LabelRequest *req, int n, const Rect *obstacles, int n_obst,
                     Rect bounds, Rect *out);

/* Great-circle distance in km. */
double map_distance_km(double lat1, double lon1, double lat2, double lon2);

#endif

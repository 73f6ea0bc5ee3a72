/* gen_sites N [SEED]: writes a sites.csv with N generated sites to stdout, spread
 * around real German cities (population-weighted, with a Gaussian jitter), for
 * screenshots, tests and benchmarks at 900 or 10 000 sites. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const struct {
    const char *city;
    double lat, lon;
    int weight;
} cities[] = {
    { "Berlin", 52.5200, 13.4050, 36 },     { "Hamburg", 53.5511, 9.9937, 18 },
    { "München", 48.1351, 11.5820, 15 },    { "Köln", 50.9375, 6.9603, 11 },
    { "Frankfurt am Main", 50.1109, 8.6821, 8 }, { "Stuttgart", 48.7758, 9.1829, 6 },
    { "Düsseldorf", 51.2277, 6.7735, 6 },   { "Leipzig", 51.3397, 12.3731, 6 },
    { "Dortmund", 51.5136, 7.4653, 6 },     { "Essen", 51.4556, 7.0116, 6 },
    { "Bremen", 53.0793, 8.8017, 6 },       { "Dresden", 51.0504, 13.7373, 6 },
    { "Hannover", 52.3759, 9.7320, 5 },     { "Nürnberg", 49.4521, 11.0767, 5 },
    { "Duisburg", 51.4344, 6.7623, 5 },     { "Bochum", 51.4818, 7.2162, 4 },
    { "Wuppertal", 51.2562, 7.1508, 4 },    { "Bielefeld", 52.0302, 8.5325, 3 },
    { "Bonn", 50.7374, 7.0982, 3 },         { "Münster", 51.9607, 7.6261, 3 },
    { "Mannheim", 49.4875, 8.4660, 3 },     { "Karlsruhe", 49.0069, 8.4037, 3 },
    { "Augsburg", 48.3705, 10.8978, 3 },    { "Wiesbaden", 50.0782, 8.2398, 3 },
    { "Kiel", 54.3233, 10.1228, 2 },        { "Rostock", 54.0924, 12.0991, 2 },
    { "Erfurt", 50.9848, 11.0299, 2 },      { "Magdeburg", 52.1205, 11.6276, 2 },
    { "Potsdam", 52.3906, 13.0645, 2 },     { "Saarbrücken", 49.2402, 6.9969, 2 },
    { "Mainz", 49.9929, 8.2473, 2 },        { "Freiburg im Breisgau", 47.9990, 7.8421, 2 },
    { "Schwerin", 53.6355, 11.4012, 1 },    { "Kassel", 51.3127, 9.4797, 2 },
    { "Regensburg", 49.0134, 12.1016, 1 },  { "Würzburg", 49.7913, 9.9534, 1 },
    { "Göttingen", 51.5413, 9.9158, 1 },    { "Flensburg", 54.7937, 9.4469, 1 },
    { "Passau", 48.5665, 13.4312, 1 },      { "Görlitz", 51.1526, 14.9872, 1 },
    { "Trier", 49.7499, 6.6371, 1 },        { "Oldenburg", 53.1435, 8.2146, 1 },
    { "Cottbus", 51.7563, 14.3329, 1 },     { "Ulm", 48.4011, 9.9876, 1 },
};

static unsigned long long seed;

static double uniform(void)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((seed >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(void)
{
    return sqrt(-2 * log(uniform())) * cos(6.283185307179586 * uniform());
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 900;
    seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
    int nc = (int)(sizeof cities / sizeof cities[0]), total = 0;
    for (int i = 0; i < nc; i++) {
        total += cities[i].weight;
    }
    printf("id,name,organisation,city,latitude,longitude,kind,demo\n");
    static const char *const orgs[] = { "DRK", "Caritas", "Diakonie", "AWO", "Malteser",
                                        "Johanniter" };
    for (int i = 0; i < n; i++) {
        int pick = (int)(uniform() * total), c = 0;
        while (pick >= cities[c].weight) {
            pick -= cities[c++].weight;
        }
        /* about 15 km around the city; sometimes farther out into the region */
        double spread = uniform() < 0.8 ? 0.12 : 0.45;
        double lat = cities[c].lat + gauss() * spread;
        double lon = cities[c].lon + gauss() * spread * 1.5;
        lat = lat < 47.4 ? 47.4 : lat > 54.9 ? 54.9 : lat;
        lon = lon < 6.0 ? 6.0 : lon > 14.9 ? 14.9 : lon;
        const char *org = orgs[i % 6];
        printf("gen-%05d,%s Projekt %d,%s,%s,%.5f,%.5f,%s,ja\n", i + 1, org, i + 1, org,
               cities[c].city, lat, lon, org);
    }
    return 0;
}

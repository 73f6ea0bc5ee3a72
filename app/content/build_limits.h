/* build_limits: how much a content source may hold; the parsers of staff input
 * refuse what exceeds these caps. */
#ifndef LITFASS_BUILD_LIMITS_H
#define LITFASS_BUILD_LIMITS_H

#define BUILD_MAX_SOURCE_BYTES (256 * 1024)
#define BUILD_MAX_FIGURES 8
#define BUILD_MAX_BLOCKS 200
#define BUILD_MAX_FIELD_CHARS 160
#define BUILD_MAX_URL_BYTES 256
#define BUILD_MAX_SITES 20000
#define BUILD_MAX_MAP_POINTS 200000
#define BUILD_MAX_MAP_RINGS 5000
#define BUILD_MAX_EVENTS 5000

#endif

/* build_text: every message the build gives staff, one table per language in the
 * style of base/ui (German by default, English with ui_set_language("en")). Each
 * message says what is wrong and, after " — ", what to do; the report puts
 * "FILE:LINE: " in front. Messages name the column or key and quote the text around
 * a problem, never a byte offset. */
#ifndef LITFASS_BUILD_TEXT_H
#define LITFASS_BUILD_TEXT_H

typedef enum {
    /* files */
    BT_CANNOT_OPEN,   /* %s: strerror */
    BT_READ_ERROR,
    BT_FILE_TOO_LARGE, /* %zu: bytes */
    BT_BAD_ENCODING,   /* %s: the text around the first bad byte */
    BT_BROKEN_UTF8,    /* %s: the text around the first bad byte */
    BT_NOTE_CP1252,    /* a note, not an error */
    BT_MORE_ERRORS,    /* %d: errors not shown */
    BT_BAD_VERSION,
    BT_CHECK_FAILED, /* %s: the display's own check, in English */
    BT_WRITE_FAILED, /* %s: why, in English */
    BT_GEO,          /* %s: a map geometry error, in English (a technical asset) */
    BT_BUILT,        /* %s file, %lld version (given with --version) */
    BT_BUILT_AUTO,   /* %s file, %lld version (made from the date and time) */
    /* campaign.md */
    BT_MARKS,             /* %s field, %zu run, %d max */
    BT_KEY_TWICE,         /* %s key */
    BT_KEY_EMPTY,         /* %s key */
    BT_TOO_LONG,          /* %s field, %d max */
    BT_EXPECTED_KEY_VALUE,
    BT_BAD_URL,        /* %d max bytes, %zu bytes */
    BT_FIGURE_FORM,
    BT_FIGURE_BOTH,
    BT_FIGURES_MANY,   /* %d */
    BT_FIGURE_LONG,
    BT_BAD_COLOUR,     /* %s key */
    BT_UNKNOWN_KEY,    /* %s key */
    BT_PARAGRAPH_LONG, /* %zu bytes, %d max */
    BT_NO_IMAGES,
    BT_NO_HTML,
    BT_BLOCKS_MANY, /* %d */
    BT_NO_CODE,
    BT_NO_QUOTES,
    BT_UNSUPPORTED_MD, /* %s element */
    BT_NO_FRONT_MATTER,
    BT_FRONT_NOT_CLOSED,
    BT_NO_TITLE,
    /* CSV tables */
    BT_UNTERMINATED_QUOTE,
    BT_EMPTY_FILE,
    BT_UNKNOWN_COLUMN,   /* %s header as written, %s known columns */
    BT_COLUMN_TWICE,     /* %s header as written */
    BT_COLUMN_MISSING,   /* %s column names */
    BT_TOO_MANY_FIELDS,  /* %s the extra text */
    BT_UNNAMED_COLUMN,   /* %s the text */
    BT_TOO_MANY_ROWS,    /* %d */
    BT_CELL_TOO_LONG,    /* %s column, %zu chars, %d max */
    BT_CELL_MARKS,       /* %s column, %zu run, %d max */
    BT_CELL_EMPTY,       /* %s column */
    BT_BAD_YES_NO,       /* %s column, %s value */
    /* sites.csv */
    BT_BAD_LATITUDE,  /* %s column, %s value */
    BT_BAD_LONGITUDE, /* %s column, %s value */
    BT_OUTSIDE_MAP,   /* %s id, %.4f lat, %.4f lon, %.1f x4 */
    BT_DUPLICATE_ID,  /* %s id, %d line */
    /* schedule.csv */
    BT_BAD_START,      /* %s column, %s value */
    BT_BAD_END,        /* %s column, %s value */
    BT_END_BEFORE,     /* %s end, %s start */
    BT_NO_START_TIME,  /* %s all-day column */
    BT_ALLDAY_AND_TIME, /* %s all-day column, %s start or end column, %s value */
    BT_END_TIME_ONLY,   /* %s end column, %s start column */
    /* iCalendar */
    BT_ICS_NOT_UTF8, /* %s: the text around the first bad byte */
    BT_ICS_NOT_CALENDAR,
    BT_ICS_BROKEN,      /* %s libical's words */
    BT_ICS_NO_SUMMARY,
    BT_ICS_NO_START,    /* %s title */
    BT_ICS_END_BEFORE,  /* %s title */
    BT_ICS_RRULE,       /* %s title */
    BT_EVENT_TOO_LONG,  /* %s title, %s field, %zu chars, %d max */
    BT_EVENT_MARKS,     /* %s title, %s field, %zu run, %d max */
    /* the content laid out at the reference screen sizes */
    BT_CUT,           /* %s page, %d w, %d h, %s the text where it is cut, %d shown, %d of */
    BT_CUT_WARNING,   /* the same, as a warning (--allow-overflow) */
    BT_NOT_BUILT_CUT, /* %s file, %d texts */
    BT_CANNOT_CHECK,  /* %s why */
    BT_NO_GLYPH,      /* %04X code point, %s the character, %s file, %d line */
    BT_NOT_BUILT_GLYPH, /* %s file, %d characters */
    BT_BAD_DAY,       /* %s key */
    BT_UNTIL_BEFORE_FROM,
    /* screen.csv */
    BT_SCREEN_BAD_DAYS,   /* %s column, %s value */
    BT_SCREEN_BAD_TIME,   /* %s column, %s value */
    BT_SCREEN_NO_TIMES,   /* %s days value, %s from column, %s to column, %s closed column */
    BT_SCREEN_SAME_TIME,  /* %s from column, %s to column, %s time */
    BT_SCREEN_DATE_TIMES, /* %s date value, %s from column, %s to column */
    BT_SCREEN_CLOSED_AND_TIMES, /* %s closed, %s from, %s to, %s closed column */
    BT_SCREEN_TOO_MANY,   /* %d ranges, %d days */
    /* languages (issue 15) */
    BT_UNKNOWN_LANGUAGE,   /* %s heading or file name, %s code, %s known codes */
    BT_TRANSLATION_KEY,    /* %s key that only campaign.md may set */
    BT_TRANSLATION_FIGURES, /* %d figures in the translation, %d in campaign.md */
    /* pictures (issue 16): %s is the picture's file as staff wrote it */
    BT_PICTURE_MISSING,     /* %s file, %s strerror */
    BT_PICTURE_UNSUPPORTED, /* %s file */
    BT_PICTURE_DAMAGED,     /* %s file, %s what the decoder said (English) */
    BT_PICTURE_PIXELS,      /* %s file, %lld width, %lld height, %lld max pixels */
    BT_PICTURE_BYTES,       /* %s file, %lld bytes, %lld max */
    BT_PICTURES_TOTAL,      /* %lld bytes, %lld max */
    BT_PICTURE_PATH,        /* %s file */
    BT_PICTURE_NO_SUPPORT,  /* %s file */
    BT_POSTER_PAGE,         /* %s value */
    BT_COUNT
} BuildText;

/* The message's printf format in the language ui_language() names (German when
 * that language has no table). Never NULL. */
const char *build_text(BuildText id);

#endif

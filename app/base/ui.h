/* ui: every string the display itself shows (not content), one table per
 * language, so that a second language is a table and not a code change. */
#ifndef LITFASS_UI_H
#define LITFASS_UI_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    UI_NO_CONTENT_TITLE,
    UI_NO_CONTENT_BODY,
    UI_CONTENT_VERSION, /* printf format taking one long long */
    UI_SCAN_HINT,
    UI_MAP_TITLE,
    UI_SITES_AT,     /* "%s an %s Standorten": kind, formatted count */
    UI_SITES_AT_ONE, /* "%s an einem Standort": kind */
    UI_YOU_ARE_HERE,
    UI_DEMO_DATA,
    UI_CLUSTER_HINT,
    UI_SITE_LIST, /* "%s Standorte": formatted count */
    UI_PAGE_OF,   /* "Seite %d von %d" */
    UI_MORE_SITES, /* "… und %s weitere": formatted count */
    UI_NO_SITES,
    UI_SCHEDULE_TITLE,
    UI_NOW,
    UI_NEXT,
    UI_ALL_DAY,
    UI_NO_MORE_EVENTS,
    UI_TODAY_NONE,       /* shown above the next day's programme */
    UI_PAST_PROGRAMME,   /* shown above the last programme when nothing is ahead */
    UI_UNTIL,            /* "bis %s" */
    UI_FROM,             /* "ab %s" */
    /* countdowns: "%s" is an amount with its unit ("6 Std.", "6 ساعات"), formatted by
     * ui_format_countdown in the plural form the number asks for */
    UI_IN_MINUTES,       /* "in %s": minutes */
    UI_IN_HOURS,         /* "in %s": hours */
    UI_IN_HOURS_MINUTES, /* "in %s %s": hours, minutes */
    UI_TOMORROW_AT,      /* "morgen um %02d:%02d Uhr" */
    UI_IN_DAYS,          /* "in %s": days */
    UI_ON_DATE,          /* "am %02d.%02d.%04lld": day, month, year (long long) */
    UI_PLACE_ONLINE,
    /* bundle results, in the order of BundleResult */
    UI_BUNDLE_OK,
    UI_BUNDLE_NO_SIGNATURE,
    UI_BUNDLE_BAD_SIGNATURE,
    UI_BUNDLE_UNTRUSTED_KEY,
    UI_BUNDLE_BAD_COMMENT,
    UI_BUNDLE_NOT_NEWER,
    UI_BUNDLE_TOO_LARGE,
    UI_BUNDLE_BAD_SCHEMA,
    UI_BUNDLE_BAD_CONTENT,
    UI_BUNDLE_BAD_NAME,
    UI_BUNDLE_IO,
    UI_BUNDLE_SIG_UNREADABLE,
    UI_BUNDLE_READ_FAILED,
    UI_BUNDLE_NOT_REGULAR,
    UI_BUNDLE_BUSY,
    UI_BUNDLE_TOO_MANY,
    UI_UPDATED,     /* "Inhalt aktualisiert: Version %lld" */
    UI_NOT_TAKEN,   /* "Nicht übernommen: %s" */
    UI_NOTHING_NEW, /* "Keine neuere Version auf dem Stick (installiert: %lld)" */
    UI_ONLINE,
    UI_OFFLINE,
    UI_OFFLINE_SINCE,  /* "offline seit %s" */
    UI_ONLINE_UPDATED, /* "online · aktualisiert %s" */
    /* issue 12, sticks and keys: results added after BUNDLE_TOO_MANY, stick notices,
     * key problems */
    UI_BUNDLE_RENAMED,
    UI_BUNDLE_NO_BUNDLE,
    UI_RENAMED_FROM,     /* "Datei wurde umbenannt – ursprünglicher Name: %s" */
    UI_USB_NO_BUNDLE,    /* no bundle anywhere on a stick */
    UI_USB_FOUND_AT_TOP, /* "%s – gefunden oben auf dem Stick, ...": the outcome */
    UI_USB_FOUND_IN,     /* "%s – gefunden im Ordner %s, ...": the outcome, the folder */
    UI_KEY_MISSING,      /* "Schlüssel fehlt: %s – ...": the key file */
    UI_KEY_UNUSABLE,     /* "Schlüssel unbrauchbar: %s – ...": the key file */
    UI_NO_KEYS,          /* not a single trusted key loaded */
    UI_KEY_MARK,         /* footer mark "Schlüssel fehlt: %s": the key file's name */
    UI_NO_KEYS_MARK,     /* footer mark when no key loaded */
    UI_CLOCK_NOT_SET,    /* footer, instead of date and time, while the clock is not trusted */
    UI_PROGRAMME_OF,     /* "Programm vom %s": a date, above a programme while the clock is not set */
    UI_NOTHING_CURRENT,  /* the neutral page when no content is valid now */
    /* issue 14, alerts: the heading by level, the notices for staff */
    UI_ALERT_INFO,       /* heading of an info alert's band */
    UI_ALERT_WARNING,    /* heading of a warning alert's page */
    UI_ALERT_DANGER,     /* heading of a danger alert's page */
    UI_ALERT_TAKEN,      /* "Meldung übernommen: %s": the start of its text */
    UI_ALERT_CLEARED,    /* a signed clear was accepted */
    UI_ALERT_NOT_TAKEN,  /* "Meldung nicht übernommen: %s": bundle_result_text */
    UI_ALERT_NOT_NEWER,  /* "Meldung nicht neuer als die angezeigte (Version %lld)" */
    UI_COUNT
} UiString;

/* The languages the display speaks. German is the reference and the fallback: a
 * string missing in a table is taken from German, never shown empty. */
#define UI_MAX_LANGUAGES 8
typedef struct {
    const char *code; /* "de", "ar", ... (ISO 639-1) */
    const char *name; /* the language's own name in its own script: "العربية" */
    int rtl;          /* written right to left (ar, fa) */
} UiLanguage;

/* The number of languages with a table, and the i-th (0 is German). */
int ui_language_count(void);
const UiLanguage *ui_language_at(int i);
/* The language with this code, or NULL when there is no table for it. */
const UiLanguage *ui_language_find(const char *code);
/* The codes of every language, "de, en, ar, fa, uk, tr", for messages. */
const char *ui_language_codes(void);

/* Sets the process's language by code ("de", "en"): the configuration's first
 * language. Call it at start-up, before worker threads run (they read it: reports and
 * notices stay in it). Returns 0, or -1 if unknown (the language stays). */
int ui_set_language(const char *code);

/* Sets the calling thread's language (NULL: back to the process's): the kiosk's main
 * thread lays out each page in its language this way while the USB and sync workers
 * keep the process's. Thread-local, so no other thread sees it. Returns 0, or -1 if
 * unknown (nothing changes). */
int ui_use_language(const char *code);

/* The code of the calling thread's language ("de", "en"): the one ui_use_language
 * set, else the process's. Tables beside this one (the build's messages) follow it. */
const char *ui_language(void);

/* The string id in the language lang (NULL or unknown: German). Never NULL. */
const char *ui_text_in(const char *lang, UiString id);

/* 1 if lang's own table has the string id (no German fallback), for the tests that
 * every table is complete. */
int ui_has_text(const char *lang, UiString id);

/* The string id in the calling thread's language: ui_text_in(ui_language(), id). */
const char *ui_str(UiString id);

/* Formats a local date in lang's usual form, e.g. "Dienstag, 1. Juni 2021". */
void ui_format_date_in(const char *lang, int64_t wall_ms, char *buf, size_t len);

/* Formats a local time of day, e.g. "15:30" (24 hours and Western digits in every
 * language: see ui.c). */
void ui_format_time_in(const char *lang, int64_t wall_ms, char *buf, size_t len);

/* Formats a local date and time for the footer in lang's usual form, e.g. "Dienstag,
 * 1. Juni 2021 · 15:30 Uhr". */
void ui_format_datetime_in(const char *lang, int64_t wall_ms, char *buf, size_t len);

/* The same in the calling thread's language. */
void ui_format_date(int64_t wall_ms, char *buf, size_t len);
void ui_format_time(int64_t wall_ms, char *buf, size_t len);
void ui_format_datetime(int64_t wall_ms, char *buf, size_t len);

/* Plural categories of CLDR's cardinal rules, for whole numbers. */
typedef enum {
    UI_PLURAL_ZERO,
    UI_PLURAL_ONE,
    UI_PLURAL_TWO,
    UI_PLURAL_FEW,
    UI_PLURAL_MANY,
    UI_PLURAL_OTHER,
    UI_PLURAL_FORMS
} UiPlural;

/* The units a countdown counts in. */
typedef enum { UI_UNIT_MINUTES, UI_UNIT_HOURS, UI_UNIT_DAYS, UI_UNITS } UiUnit;

/* The plural category of n (n >= 0) in lang (NULL or unknown: German) by CLDR: Arabic
 * 0 zero, 1 one, 2 two, 3-10 few, 11-99 many (mod 100), others other; Ukrainian one
 * (1, 21, 31, ... not 11), few (2-4, 22-24, ... not 12-14), many; English, German and
 * Turkish one for 1; Persian one for 0 and 1; everything else other. */
UiPlural ui_plural_in(const char *lang, long long n);

/* An amount with its unit in the form n asks for in lang: "1 Tag", "6 ساعات",
 * "ساعتين" (Arabic says one and two by the noun's own forms), "21 хвилину". */
void ui_format_amount_in(const char *lang, UiUnit unit, long long n, char *buf, size_t len);

/* A countdown string: id is UI_IN_MINUTES, UI_IN_HOURS or UI_IN_DAYS with n of that
 * unit, or UI_IN_HOURS_MINUTES with n hours and m minutes; each amount in its plural
 * form. ui_format_countdown uses the calling thread's language. */
void ui_format_countdown_in(const char *lang, UiString id, long long n, long long m, char *buf,
                            size_t len);
void ui_format_countdown(UiString id, long long n, long long m, char *buf, size_t len);

/* Formats a count for display: "900", "1764", "10 000" (narrow no-break space). */
void ui_format_count(long n, char *buf, size_t len);

#endif

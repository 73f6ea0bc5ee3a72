/* ui: German is the default; month and weekday names are part of the table
 * because strftime's names depend on the machine's installed locales. */
#include "base/ui.h"

#include "base/clock.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *code;
    const char *strings[UI_COUNT];
    const char *weekdays[7];
    const char *months[12];
    const char *datetime_fmt; /* weekday, day, month, year, hour, minute */
    const char *date_fmt;     /* weekday, day, month, year */
} UiTable;

static const UiTable tables[] = {
    {
        "de",
        {
            [UI_NO_CONTENT_TITLE] = "Zurzeit kein Inhalt",
            [UI_NO_CONTENT_BODY] = "Diese Anzeige hat noch keinen gültigen Inhalt. "
                                   "Bitte einen USB-Stick mit einem Inhaltspaket einstecken "
                                   "oder das Netzwerk prüfen.",
            [UI_CONTENT_VERSION] = "Inhalt Version %lld",
            [UI_SCAN_HINT] = "Mehr erfahren",
            [UI_MAP_TITLE] = "Standorte",
            [UI_SITES_AT] = "%s an %s Standorten",
            [UI_SITES_AT_ONE] = "%s an einem Standort",
            [UI_YOU_ARE_HERE] = "Sie sind hier",
            [UI_DEMO_DATA] = "Beispieldaten",
            [UI_CLUSTER_HINT] = "Mehrere Standorte",
            [UI_SITE_LIST] = "%s Standorte",
            [UI_PAGE_OF] = "Seite %d von %d",
            [UI_MORE_SITES] = "\xe2\x80\xa6 und %s weitere",
            [UI_NO_SITES] = "Noch keine Standorte eingetragen",
            [UI_SCHEDULE_TITLE] = "Programm",
            [UI_NOW] = "Jetzt",
            [UI_NEXT] = "Als Nächstes",
            [UI_ALL_DAY] = "ganztägig",
            [UI_NO_MORE_EVENTS] = "Keine weiteren Termine",
            [UI_TODAY_NONE] = "Heute keine Termine \xe2\x80\x93 das nächste Programm:",
            [UI_PAST_PROGRAMME] = "Keine weiteren Termine \xe2\x80\x93 zuletzt:",
            [UI_UNTIL] = "bis %s",
            [UI_FROM] = "ab %s",
            [UI_IN_MINUTES] = "in %lld Min.",
            [UI_IN_HOURS] = "in %lld Std.",
            [UI_IN_HOURS_MINUTES] = "in %lld Std. %lld Min.",
            [UI_TOMORROW_AT] = "morgen um %02d:%02d Uhr",
            [UI_IN_DAYS] = "in %lld Tagen",
            [UI_ON_DATE] = "am %02d.%02d.%04lld",
            [UI_PLACE_ONLINE] = "online",
            [UI_BUNDLE_OK] = "übernommen",
            [UI_BUNDLE_NO_SIGNATURE] = "Signatur fehlt",
            [UI_BUNDLE_BAD_SIGNATURE] = "Signatur ungültig",
            [UI_BUNDLE_UNTRUSTED_KEY] = "Schlüssel nicht vertrauenswürdig",
            [UI_BUNDLE_BAD_COMMENT] = "Signatur passt nicht zur Datei",
            [UI_BUNDLE_NOT_NEWER] = "Version nicht neuer als die installierte \xe2\x80\x93 mit "
                                     "litfassctl build ohne --version neu bauen",
            [UI_BUNDLE_TOO_LARGE] = "Datei zu groß",
            [UI_BUNDLE_BAD_SCHEMA] = "Format wird nicht unterstützt",
            [UI_BUNDLE_BAD_CONTENT] = "Inhalt beschädigt oder ungültig",
            [UI_BUNDLE_BAD_NAME] = "Dateiname ungültig",
            [UI_BUNDLE_IO] = "Lese- oder Schreibfehler",
            [UI_BUNDLE_SIG_UNREADABLE] = "Signatur nicht lesbar",
            [UI_BUNDLE_READ_FAILED] = "Stick während des Kopierens entfernt oder Lesefehler",
            [UI_BUNDLE_NOT_REGULAR] = "Verknüpfung oder Sonderdatei statt normaler Datei",
            [UI_BUNDLE_BUSY] =
                "Eine andere Installation läuft gerade, bitte später erneut versuchen",
            [UI_BUNDLE_TOO_MANY] = "Zu viele Inhaltspakete im Ordner litfass",
            [UI_UPDATED] = "Inhalt aktualisiert: Version %lld",
            [UI_NOT_TAKEN] = "Nicht übernommen: %s",
            [UI_NOTHING_NEW] = "Keine neuere Version auf dem Stick (installiert: %lld) \xe2\x80\x93 "
                                "mit litfassctl build ohne --version neu bauen",
            [UI_ONLINE] = "online",
            [UI_OFFLINE] = "keine Verbindung zum Server",
            [UI_OFFLINE_SINCE] = "offline seit %s",
            [UI_ONLINE_UPDATED] = "online \xc2\xb7 aktualisiert %s",
            [UI_BUNDLE_RENAMED] = "Datei wurde umbenannt",
            [UI_BUNDLE_NO_BUNDLE] = "kein Inhaltspaket gefunden",
            [UI_RENAMED_FROM] = "Datei wurde umbenannt \xe2\x80\x93 ursprünglicher Name: %s",
            [UI_USB_NO_BUNDLE] = "Kein Inhaltspaket auf dem Stick \xe2\x80\x93 Dateien gehören "
                                 "in den Ordner litfass/",
            [UI_USB_FOUND_AT_TOP] = "%s \xe2\x80\x93 gefunden oben auf dem Stick, gehört in den "
                                    "Ordner litfass/",
            [UI_USB_FOUND_IN] = "%s \xe2\x80\x93 gefunden im Ordner %s, gehört in den Ordner "
                                "litfass/",
            [UI_KEY_MISSING] = "Schlüssel fehlt: %s \xe2\x80\x93 Updates mit diesem Schlüssel "
                               "werden abgelehnt",
            [UI_KEY_UNUSABLE] = "Schlüssel unbrauchbar: %s \xe2\x80\x93 Updates mit diesem "
                                "Schlüssel werden abgelehnt",
            [UI_NO_KEYS] = "Kein gültiger Schlüssel \xe2\x80\x93 Updates per USB und Netz sind "
                           "ausgeschaltet",
            [UI_KEY_MARK] = "Schlüssel fehlt: %s",
            [UI_NO_KEYS_MARK] = "keine Updates: Schlüssel fehlt",
            [UI_CLOCK_NOT_SET] = "Uhrzeit nicht gestellt",
            [UI_PROGRAMME_OF] = "Programm vom %s",
            [UI_NOTHING_CURRENT] = "Zurzeit keine aktuellen Inhalte",
            [UI_ALERT_INFO] = "Hinweis",
            [UI_ALERT_WARNING] = "Wichtiger Hinweis",
            [UI_ALERT_DANGER] = "Achtung",
            [UI_ALERT_TAKEN] = "Meldung übernommen: %s",
            [UI_ALERT_CLEARED] = "Meldung aufgehoben",
            [UI_ALERT_NOT_TAKEN] = "Meldung nicht übernommen: %s",
            [UI_ALERT_NOT_NEWER] = "Meldung nicht neuer als die zuletzt übernommene "
                                   "(Version %lld)",
        },
        { "Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag" },
        { "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember" },
        "%s, %d. %s %d \xc2\xb7 %02d:%02d Uhr",
        "%s, %d. %s %d",
    },
    {
        "en",
        {
            [UI_NO_CONTENT_TITLE] = "No content at the moment",
            [UI_NO_CONTENT_BODY] = "This display has no valid content yet. Please plug in a "
                                   "USB stick with a content bundle or check the network.",
            [UI_CONTENT_VERSION] = "Content version %lld",
            [UI_SCAN_HINT] = "Learn more",
            [UI_MAP_TITLE] = "Sites",
            [UI_SITES_AT] = "%s at %s sites",
            [UI_SITES_AT_ONE] = "%s at one site",
            [UI_YOU_ARE_HERE] = "You are here",
            [UI_DEMO_DATA] = "Example data",
            [UI_CLUSTER_HINT] = "Several sites",
            [UI_SITE_LIST] = "%s sites",
            [UI_PAGE_OF] = "Page %d of %d",
            [UI_MORE_SITES] = "\xe2\x80\xa6 and %s more",
            [UI_NO_SITES] = "No sites entered yet",
            [UI_SCHEDULE_TITLE] = "Programme",
            [UI_NOW] = "Now",
            [UI_NEXT] = "Next",
            [UI_ALL_DAY] = "all day",
            [UI_NO_MORE_EVENTS] = "No further events",
            [UI_TODAY_NONE] = "No events today \xe2\x80\x93 the next programme:",
            [UI_PAST_PROGRAMME] = "No further events \xe2\x80\x93 the last programme:",
            [UI_UNTIL] = "until %s",
            [UI_FROM] = "from %s",
            [UI_IN_MINUTES] = "in %lld min",
            [UI_IN_HOURS] = "in %lld h",
            [UI_IN_HOURS_MINUTES] = "in %lld h %lld min",
            [UI_TOMORROW_AT] = "tomorrow at %02d:%02d",
            [UI_IN_DAYS] = "in %lld days",
            [UI_ON_DATE] = "on %3$04lld-%2$02d-%1$02d", /* ISO order: unambiguous */
            [UI_PLACE_ONLINE] = "online",
            [UI_BUNDLE_OK] = "accepted",
            [UI_BUNDLE_NO_SIGNATURE] = "signature missing",
            [UI_BUNDLE_BAD_SIGNATURE] = "signature invalid",
            [UI_BUNDLE_UNTRUSTED_KEY] = "key not trusted",
            [UI_BUNDLE_BAD_COMMENT] = "signature does not fit the file",
            [UI_BUNDLE_NOT_NEWER] = "version not newer than the installed one \xe2\x80\x93 build "
                                     "again with litfassctl build without --version",
            [UI_BUNDLE_TOO_LARGE] = "file too large",
            [UI_BUNDLE_BAD_SCHEMA] = "format not supported",
            [UI_BUNDLE_BAD_CONTENT] = "content damaged or invalid",
            [UI_BUNDLE_BAD_NAME] = "file name invalid",
            [UI_BUNDLE_IO] = "read or write error",
            [UI_BUNDLE_SIG_UNREADABLE] = "signature unreadable",
            [UI_BUNDLE_READ_FAILED] = "stick removed during copying, or read error",
            [UI_BUNDLE_NOT_REGULAR] = "link or special file instead of a normal file",
            [UI_BUNDLE_BUSY] = "another installation is running, try again later",
            [UI_BUNDLE_TOO_MANY] = "too many bundles in the litfass folder",
            [UI_UPDATED] = "Content updated: version %lld",
            [UI_NOT_TAKEN] = "Not accepted: %s",
            [UI_NOTHING_NEW] = "No newer version on the stick (installed: %lld) \xe2\x80\x93 build "
                                "again with litfassctl build without --version",
            [UI_ONLINE] = "online",
            [UI_OFFLINE] = "no connection to the server",
            [UI_OFFLINE_SINCE] = "offline since %s",
            [UI_ONLINE_UPDATED] = "online \xc2\xb7 updated %s",
            [UI_BUNDLE_RENAMED] = "file was renamed",
            [UI_BUNDLE_NO_BUNDLE] = "no content bundle found",
            [UI_RENAMED_FROM] = "File was renamed \xe2\x80\x93 original name: %s",
            [UI_USB_NO_BUNDLE] = "No content bundle on the stick \xe2\x80\x93 files belong in "
                                 "the folder litfass/",
            [UI_USB_FOUND_AT_TOP] = "%s \xe2\x80\x93 found at the top of the stick; it belongs "
                                    "in the folder litfass/",
            [UI_USB_FOUND_IN] = "%s \xe2\x80\x93 found in the folder %s; it belongs in the "
                                "folder litfass/",
            [UI_KEY_MISSING] = "Key missing: %s \xe2\x80\x93 updates signed with it are refused",
            [UI_KEY_UNUSABLE] = "Key unusable: %s \xe2\x80\x93 updates signed with it are "
                                "refused",
            [UI_NO_KEYS] = "No valid key \xe2\x80\x93 updates by USB and network are off",
            [UI_KEY_MARK] = "key missing: %s",
            [UI_NO_KEYS_MARK] = "no updates: key missing",
            [UI_CLOCK_NOT_SET] = "clock not set",
            [UI_PROGRAMME_OF] = "Programme of %s",
            [UI_NOTHING_CURRENT] = "Nothing current to show",
            [UI_ALERT_INFO] = "Notice",
            [UI_ALERT_WARNING] = "Important notice",
            [UI_ALERT_DANGER] = "Attention",
            [UI_ALERT_TAKEN] = "Alert accepted: %s",
            [UI_ALERT_CLEARED] = "Alert cleared",
            [UI_ALERT_NOT_TAKEN] = "Alert not accepted: %s",
            [UI_ALERT_NOT_NEWER] = "Alert not newer than the last one accepted (version %lld)",
        },
        { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" },
        { "January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December" },
        "%s, %d %s %d \xc2\xb7 %02d:%02d",
        "%s, %d %s %d",
    },
};

static const UiTable *current = &tables[0];

int ui_set_language(const char *code)
{
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        if (strcmp(tables[i].code, code) == 0) {
            current = &tables[i];
            return 0;
        }
    }
    return -1;
}

const char *ui_language(void)
{
    return current->code;
}

const char *ui_str(UiString id)
{
    return (id >= 0 && id < UI_COUNT && current->strings[id]) ? current->strings[id] : "";
}

void ui_format_date(int64_t wall_ms, char *buf, size_t len)
{
    struct tm tm;
    clock_local(wall_ms, &tm);
    snprintf(buf, len, current->date_fmt, current->weekdays[tm.tm_wday], tm.tm_mday,
             current->months[tm.tm_mon], tm.tm_year + 1900);
}

void ui_format_time(int64_t wall_ms, char *buf, size_t len)
{
    struct tm tm;
    clock_local(wall_ms, &tm);
    snprintf(buf, len, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

void ui_format_datetime(int64_t wall_ms, char *buf, size_t len)
{
    struct tm tm;
    clock_local(wall_ms, &tm);
    snprintf(buf, len, current->datetime_fmt, current->weekdays[tm.tm_wday], tm.tm_mday,
             current->months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
}

void ui_format_count(long n, char *buf, size_t len)
{
    /* DIN 5008: groups of three from five digits on, with a narrow no-break space */
    char digits[32];
    snprintf(digits, sizeof digits, "%ld", n < 0 ? -n : n);
    size_t nd = strlen(digits), o = 0;
    if (n < 0 && o + 1 < len) {
        buf[o++] = '-';
    }
    for (size_t i = 0; i < nd && o + 4 < len; i++) {
        if (nd >= 5 && i > 0 && (nd - i) % 3 == 0) {
            memcpy(buf + o, "\xe2\x80\xaf", 3);
            o += 3;
        }
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

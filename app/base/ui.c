/* ui: German is the default; month and weekday names are part of the table
 * because strftime's names depend on the machine's installed locales.
 *
 * Languages and threads: the kiosk lays out pages in several languages in turn on its
 * main thread while the USB and sync workers write notices and reports concurrently. A
 * process-wide "current language" switched per page would race with them, so every
 * lookup names its language: ui_text_in(lang, id) and the *_in formatters. ui_str()
 * and the formatters without a language read the calling thread's language (a
 * thread-local set by ui_use_language, which only the kiosk's main thread calls) and
 * otherwise the process's, set once at start-up from the first configured language:
 * the workers' notices and the reports on a stick stay in that language.
 *
 * Digits: Western (0-9) in every language, also Arabic and Persian. Arabic-Indic
 * (٠١٢) and Persian (۰۱۲) digits are what school books in Syria, Iraq, Iran and
 * Afghanistan use, but the people in front of a DRK screen in Germany read Western
 * digits everywhere else in their day — street numbers, bus and train times, tickets,
 * phone numbers, the very dates on the German pages of this rotation — and times on
 * this screen must be compared with the clock on the wall and the date on a letter.
 * So a time reads "15:30" on every page, whatever the language; numbers in the
 * content stay as staff typed them.
 */
#include "base/ui.h"

#include "base/clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *code;
    const char *strings[UI_COUNT];
    const char *weekdays[7];
    const char *months[12];
    const char *datetime_fmt; /* weekday, day, month, year, hour, minute */
    const char *date_fmt;     /* weekday, day, month, year */
    /* amounts per unit and plural form, printf formats taking the number (long long)
     * or none; a form left out falls back to UI_PLURAL_OTHER */
    const char *amounts[UI_UNITS][UI_PLURAL_FORMS];
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
            [UI_IN_MINUTES] = "in %s",
            [UI_IN_HOURS] = "in %s",
            [UI_IN_HOURS_MINUTES] = "in %s %s",
            [UI_TOMORROW_AT] = "morgen um %02d:%02d Uhr",
            [UI_IN_DAYS] = "in %s",
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
        {
            [UI_UNIT_MINUTES] = { [UI_PLURAL_OTHER] = "%lld Min." },
            [UI_UNIT_HOURS] = { [UI_PLURAL_OTHER] = "%lld Std." },
            [UI_UNIT_DAYS] = { [UI_PLURAL_ONE] = "%lld Tag", [UI_PLURAL_OTHER] = "%lld Tagen" },
        },
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
            [UI_IN_MINUTES] = "in %s",
            [UI_IN_HOURS] = "in %s",
            [UI_IN_HOURS_MINUTES] = "in %s %s",
            [UI_TOMORROW_AT] = "tomorrow at %02d:%02d",
            [UI_IN_DAYS] = "in %s",
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
        {
            [UI_UNIT_MINUTES] = { [UI_PLURAL_ONE] = "%lld minute",
                                  [UI_PLURAL_OTHER] = "%lld minutes" },
            [UI_UNIT_HOURS] = { [UI_PLURAL_ONE] = "%lld hour", [UI_PLURAL_OTHER] = "%lld hours" },
            [UI_UNIT_DAYS] = { [UI_PLURAL_ONE] = "%lld day", [UI_PLURAL_OTHER] = "%lld days" },
        },
    },
    {
        /* Arabic. Months: the Levantine names (كانون الثاني … كانون الأول), which the
         * largest Arabic-reading groups here (from Syria and Iraq) use. */
        "ar",
        {
            [UI_NO_CONTENT_TITLE] = "لا يوجد محتوى حاليًا",
            [UI_NO_CONTENT_BODY] = "لا يوجد لهذه الشاشة محتوى صالح بعد. يُرجى توصيل ذاكرة USB "
                                   "عليها حزمة محتوى أو التحقق من الشبكة.",
            [UI_CONTENT_VERSION] = "المحتوى، الإصدار %lld",
            [UI_SCAN_HINT] = "لمعرفة المزيد",
            [UI_MAP_TITLE] = "المواقع",
            [UI_SITES_AT] = "%s – عدد المواقع: %s", /* a count, not a noun that agrees with it */
            [UI_SITES_AT_ONE] = "%s في موقع واحد",
            [UI_YOU_ARE_HERE] = "أنت هنا",
            [UI_DEMO_DATA] = "بيانات تجريبية",
            [UI_CLUSTER_HINT] = "عدة مواقع",
            [UI_SITE_LIST] = "عدد المواقع: %s",
            [UI_PAGE_OF] = "صفحة %d من %d",
            [UI_MORE_SITES] = "\xe2\x80\xa6 وغيرها: %s",
            [UI_NO_SITES] = "لم تُسجَّل أي مواقع بعد",
            [UI_SCHEDULE_TITLE] = "البرنامج",
            [UI_NOW] = "الآن",
            [UI_NEXT] = "التالي",
            [UI_ALL_DAY] = "طوال اليوم",
            [UI_NO_MORE_EVENTS] = "لا توجد مواعيد أخرى",
            [UI_TODAY_NONE] = "لا مواعيد اليوم \xe2\x80\x93 البرنامج القادم:",
            [UI_PAST_PROGRAMME] = "لا مواعيد أخرى \xe2\x80\x93 آخر برنامج:",
            [UI_UNTIL] = "حتى %s",
            [UI_FROM] = "ابتداءً من %s",
            [UI_IN_MINUTES] = "بعد %s",
            [UI_IN_HOURS] = "بعد %s",
            [UI_IN_HOURS_MINUTES] = "بعد %s و%s",
            [UI_TOMORROW_AT] = "غدًا الساعة %02d:%02d",
            [UI_IN_DAYS] = "بعد %s",
            [UI_ON_DATE] = "في %02d/%02d/%04lld",
            [UI_PLACE_ONLINE] = "عبر الإنترنت",
            [UI_BUNDLE_OK] = "تم القبول",
            [UI_BUNDLE_NO_SIGNATURE] = "التوقيع مفقود",
            [UI_BUNDLE_BAD_SIGNATURE] = "التوقيع غير صالح",
            [UI_BUNDLE_UNTRUSTED_KEY] = "المفتاح غير موثوق",
            [UI_BUNDLE_BAD_COMMENT] = "التوقيع لا يطابق الملف",
            [UI_BUNDLE_NOT_NEWER] = "الإصدار ليس أحدث من المثبّت \xe2\x80\x93 أعد البناء بالأمر "
                                     "litfassctl build بدون --version",
            [UI_BUNDLE_TOO_LARGE] = "الملف كبير جدًا",
            [UI_BUNDLE_BAD_SCHEMA] = "التنسيق غير مدعوم",
            [UI_BUNDLE_BAD_CONTENT] = "المحتوى تالف أو غير صالح",
            [UI_BUNDLE_BAD_NAME] = "اسم الملف غير صالح",
            [UI_BUNDLE_IO] = "خطأ في القراءة أو الكتابة",
            [UI_BUNDLE_SIG_UNREADABLE] = "تعذّرت قراءة التوقيع",
            [UI_BUNDLE_READ_FAILED] = "أُزيلت الذاكرة أثناء النسخ أو حدث خطأ في القراءة",
            [UI_BUNDLE_NOT_REGULAR] = "رابط أو ملف خاص بدلًا من ملف عادي",
            [UI_BUNDLE_BUSY] = "عملية تثبيت أخرى جارية، يُرجى المحاولة لاحقًا",
            [UI_BUNDLE_TOO_MANY] = "حزم محتوى كثيرة جدًا في المجلد litfass",
            [UI_UPDATED] = "تم تحديث المحتوى: الإصدار %lld",
            [UI_NOT_TAKEN] = "لم يُقبل: %s",
            [UI_NOTHING_NEW] = "لا يوجد إصدار أحدث على الذاكرة (المثبّت: %lld) \xe2\x80\x93 أعد "
                                "البناء بالأمر litfassctl build بدون --version",
            [UI_ONLINE] = "متصل",
            [UI_OFFLINE] = "لا يوجد اتصال بالخادم",
            [UI_OFFLINE_SINCE] = "غير متصل منذ %s",
            [UI_ONLINE_UPDATED] = "متصل \xc2\xb7 آخر تحديث %s",
            [UI_BUNDLE_RENAMED] = "تمت إعادة تسمية الملف",
            [UI_BUNDLE_NO_BUNDLE] = "لم يُعثر على حزمة محتوى",
            [UI_RENAMED_FROM] = "تمت إعادة تسمية الملف \xe2\x80\x93 الاسم الأصلي: %s",
            [UI_USB_NO_BUNDLE] = "لا توجد حزمة محتوى على الذاكرة \xe2\x80\x93 مكان الملفات هو "
                                 "المجلد litfass/",
            [UI_USB_FOUND_AT_TOP] = "%s \xe2\x80\x93 وُجد في أعلى الذاكرة، ومكانه المجلد "
                                    "litfass/",
            [UI_USB_FOUND_IN] = "%s \xe2\x80\x93 وُجد في المجلد %s، ومكانه المجلد litfass/",
            [UI_KEY_MISSING] = "المفتاح مفقود: %s \xe2\x80\x93 تُرفض التحديثات الموقّعة به",
            [UI_KEY_UNUSABLE] = "المفتاح غير صالح للاستخدام: %s \xe2\x80\x93 تُرفض التحديثات "
                                "الموقّعة به",
            [UI_NO_KEYS] = "لا يوجد مفتاح صالح \xe2\x80\x93 التحديثات عبر USB والشبكة متوقفة",
            [UI_KEY_MARK] = "المفتاح مفقود: %s",
            [UI_NO_KEYS_MARK] = "لا تحديثات: المفتاح مفقود",
            [UI_CLOCK_NOT_SET] = "الساعة غير مضبوطة",
            [UI_PROGRAMME_OF] = "برنامج يوم %s",
            [UI_NOTHING_CURRENT] = "لا يوجد محتوى حالي",
            [UI_ALERT_INFO] = "ملاحظة",
            [UI_ALERT_WARNING] = "تنبيه مهم",
            [UI_ALERT_DANGER] = "تحذير",
            [UI_ALERT_TAKEN] = "تم قبول الرسالة: %s",
            [UI_ALERT_CLEARED] = "أُلغيت الرسالة",
            [UI_ALERT_NOT_TAKEN] = "لم تُقبل الرسالة: %s",
            [UI_ALERT_NOT_NEWER] = "الرسالة ليست أحدث من آخر رسالة مقبولة (الإصدار %lld)",
        },
        { "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت" },
        { "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
          "تشرين الأول", "تشرين الثاني", "كانون الأول" },
        "%s\xd8\x8c %d %s %d \xc2\xb7 %02d:%02d",
        "%s\xd8\x8c %d %s %d",
        /* after بعد the genitive: one and two are the noun's own forms, 3-10 take
         * the plural, 11-99 the singular accusative (يومًا), 100+ the genitive */
        {
            [UI_UNIT_MINUTES] = { [UI_PLURAL_ZERO] = "%lld دقيقة",
                                  [UI_PLURAL_ONE] = "دقيقة واحدة",
                                  [UI_PLURAL_TWO] = "دقيقتين",
                                  [UI_PLURAL_FEW] = "%lld دقائق",
                                  [UI_PLURAL_MANY] = "%lld دقيقة",
                                  [UI_PLURAL_OTHER] = "%lld دقيقة" },
            [UI_UNIT_HOURS] = { [UI_PLURAL_ZERO] = "%lld ساعة",
                                [UI_PLURAL_ONE] = "ساعة واحدة",
                                [UI_PLURAL_TWO] = "ساعتين",
                                [UI_PLURAL_FEW] = "%lld ساعات",
                                [UI_PLURAL_MANY] = "%lld ساعة",
                                [UI_PLURAL_OTHER] = "%lld ساعة" },
            [UI_UNIT_DAYS] = { [UI_PLURAL_ZERO] = "%lld يوم",
                               [UI_PLURAL_ONE] = "يوم واحد",
                               [UI_PLURAL_TWO] = "يومين",
                               [UI_PLURAL_FEW] = "%lld أيام",
                               [UI_PLURAL_MANY] = "%lld يومًا",
                               [UI_PLURAL_OTHER] = "%lld يوم" },
        },
    },
    {
        /* Persian (Farsi, Dari): the Gregorian calendar (the dates are German ones) with
         * the month names Iranian and Afghan readers both know from the news. */
        "fa",
        {
            [UI_NO_CONTENT_TITLE] = "فعلاً محتوایی نیست",
            [UI_NO_CONTENT_BODY] = "این نمایشگر هنوز محتوای معتبری ندارد. لطفاً یک حافظهٔ USB "
                                   "با بستهٔ محتوا وصل کنید یا شبکه را بررسی کنید.",
            [UI_CONTENT_VERSION] = "نسخهٔ محتوا %lld",
            [UI_SCAN_HINT] = "اطلاعات بیشتر",
            [UI_MAP_TITLE] = "مکان\u200cها",
            [UI_SITES_AT] = "%s در %s مکان",
            [UI_SITES_AT_ONE] = "%s در یک مکان",
            [UI_YOU_ARE_HERE] = "شما اینجا هستید",
            [UI_DEMO_DATA] = "داده\u200cهای نمونه",
            [UI_CLUSTER_HINT] = "چند مکان",
            [UI_SITE_LIST] = "%s مکان",
            [UI_PAGE_OF] = "صفحهٔ %d از %d",
            [UI_MORE_SITES] = "\xe2\x80\xa6 و %s مکان دیگر",
            [UI_NO_SITES] = "هنوز مکانی ثبت نشده است",
            [UI_SCHEDULE_TITLE] = "برنامه",
            [UI_NOW] = "اکنون",
            [UI_NEXT] = "بعدی",
            [UI_ALL_DAY] = "تمام روز",
            [UI_NO_MORE_EVENTS] = "برنامهٔ دیگری نیست",
            [UI_TODAY_NONE] = "امروز برنامه\u200cای نیست \xe2\x80\x93 برنامهٔ بعدی:",
            [UI_PAST_PROGRAMME] = "برنامهٔ دیگری نیست \xe2\x80\x93 آخرین برنامه:",
            [UI_UNTIL] = "تا %s",
            [UI_FROM] = "از %s",
            [UI_IN_MINUTES] = "%s دیگر",
            [UI_IN_HOURS] = "%s دیگر",
            [UI_IN_HOURS_MINUTES] = "%s و %s دیگر",
            [UI_TOMORROW_AT] = "فردا ساعت %02d:%02d",
            [UI_IN_DAYS] = "%s دیگر",
            [UI_ON_DATE] = "در %3$04lld/%2$02d/%1$02d", /* year first, as Persian writes it */
            [UI_PLACE_ONLINE] = "آنلاین",
            [UI_BUNDLE_OK] = "پذیرفته شد",
            [UI_BUNDLE_NO_SIGNATURE] = "امضا وجود ندارد",
            [UI_BUNDLE_BAD_SIGNATURE] = "امضا نامعتبر است",
            [UI_BUNDLE_UNTRUSTED_KEY] = "کلید مورد اعتماد نیست",
            [UI_BUNDLE_BAD_COMMENT] = "امضا با فایل مطابقت ندارد",
            [UI_BUNDLE_NOT_NEWER] = "نسخه از نسخهٔ نصب\u200cشده جدیدتر نیست \xe2\x80\x93 با "
                                     "litfassctl build بدون --version دوباره بسازید",
            [UI_BUNDLE_TOO_LARGE] = "فایل بیش از حد بزرگ است",
            [UI_BUNDLE_BAD_SCHEMA] = "این قالب پشتیبانی نمی\u200cشود",
            [UI_BUNDLE_BAD_CONTENT] = "محتوا آسیب\u200cدیده یا نامعتبر است",
            [UI_BUNDLE_BAD_NAME] = "نام فایل نامعتبر است",
            [UI_BUNDLE_IO] = "خطای خواندن یا نوشتن",
            [UI_BUNDLE_SIG_UNREADABLE] = "امضا خوانا نیست",
            [UI_BUNDLE_READ_FAILED] = "حافظه هنگام کپی جدا شد یا خطای خواندن رخ داد",
            [UI_BUNDLE_NOT_REGULAR] = "پیوند یا فایل ویژه به جای فایل معمولی",
            [UI_BUNDLE_BUSY] = "نصب دیگری در جریان است، لطفاً بعداً دوباره امتحان کنید",
            [UI_BUNDLE_TOO_MANY] = "بسته\u200cهای محتوای بیش از حد در پوشهٔ litfass",
            [UI_UPDATED] = "محتوا به\u200cروز شد: نسخهٔ %lld",
            [UI_NOT_TAKEN] = "پذیرفته نشد: %s",
            [UI_NOTHING_NEW] = "نسخهٔ جدیدتری روی حافظه نیست (نصب\u200cشده: %lld) \xe2\x80\x93 "
                                "با litfassctl build بدون --version دوباره بسازید",
            [UI_ONLINE] = "آنلاین",
            [UI_OFFLINE] = "اتصال به سرور برقرار نیست",
            [UI_OFFLINE_SINCE] = "آفلاین از %s",
            [UI_ONLINE_UPDATED] = "آنلاین \xc2\xb7 به\u200cروزرسانی %s",
            [UI_BUNDLE_RENAMED] = "نام فایل تغییر کرده است",
            [UI_BUNDLE_NO_BUNDLE] = "بستهٔ محتوایی پیدا نشد",
            [UI_RENAMED_FROM] = "نام فایل تغییر کرده است \xe2\x80\x93 نام اصلی: %s",
            [UI_USB_NO_BUNDLE] = "بستهٔ محتوایی روی حافظه نیست \xe2\x80\x93 فایل\u200cها باید در "
                                 "پوشهٔ litfass/ باشند",
            [UI_USB_FOUND_AT_TOP] = "%s \xe2\x80\x93 در بالای حافظه پیدا شد؛ جای آن در پوشهٔ "
                                    "litfass/ است",
            [UI_USB_FOUND_IN] = "%s \xe2\x80\x93 در پوشهٔ %s پیدا شد؛ جای آن در پوشهٔ litfass/ "
                                "است",
            [UI_KEY_MISSING] = "کلید وجود ندارد: %s \xe2\x80\x93 به\u200cروزرسانی\u200cهای "
                               "امضاشده با آن رد می\u200cشوند",
            [UI_KEY_UNUSABLE] = "کلید قابل استفاده نیست: %s \xe2\x80\x93 "
                                "به\u200cروزرسانی\u200cهای امضاشده با آن رد می\u200cشوند",
            [UI_NO_KEYS] = "هیچ کلید معتبری نیست \xe2\x80\x93 به\u200cروزرسانی از طریق USB و "
                           "شبکه خاموش است",
            [UI_KEY_MARK] = "کلید وجود ندارد: %s",
            [UI_NO_KEYS_MARK] = "بدون به\u200cروزرسانی: کلید وجود ندارد",
            [UI_CLOCK_NOT_SET] = "ساعت تنظیم نشده است",
            [UI_PROGRAMME_OF] = "برنامهٔ %s",
            [UI_NOTHING_CURRENT] = "فعلاً محتوای جاری نیست",
            [UI_ALERT_INFO] = "اطلاعیه",
            [UI_ALERT_WARNING] = "اطلاعیهٔ مهم",
            [UI_ALERT_DANGER] = "هشدار",
            [UI_ALERT_TAKEN] = "پیام پذیرفته شد: %s",
            [UI_ALERT_CLEARED] = "پیام لغو شد",
            [UI_ALERT_NOT_TAKEN] = "پیام پذیرفته نشد: %s",
            [UI_ALERT_NOT_NEWER] = "پیام از آخرین پیام پذیرفته\u200cشده جدیدتر نیست (نسخهٔ %lld)",
        },
        { "یکشنبه", "دوشنبه", "سه\u200cشنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه" },
        { "ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر",
          "نوامبر", "دسامبر" },
        "%s\xd8\x8c %d %s %d \xc2\xb7 %02d:%02d",
        "%s\xd8\x8c %d %s %d",
        /* Persian counts with the singular noun: one form for every number */
        {
            [UI_UNIT_MINUTES] = { [UI_PLURAL_OTHER] = "%lld دقیقهٔ" },
            [UI_UNIT_HOURS] = { [UI_PLURAL_OTHER] = "%lld ساعت" },
            [UI_UNIT_DAYS] = { [UI_PLURAL_OTHER] = "%lld روز" },
        },
    },
    {
        "uk",
        {
            [UI_NO_CONTENT_TITLE] = "Зараз немає вмісту",
            [UI_NO_CONTENT_BODY] = "Цей екран ще не має чинного вмісту. Будь ласка, вставте "
                                   "USB-накопичувач із пакетом вмісту або перевірте мережу.",
            [UI_CONTENT_VERSION] = "Версія вмісту %lld",
            [UI_SCAN_HINT] = "Дізнатися більше",
            [UI_MAP_TITLE] = "Місця",
            [UI_SITES_AT] = "%s у %s місцях",
            [UI_SITES_AT_ONE] = "%s в одному місці",
            [UI_YOU_ARE_HERE] = "Ви тут",
            [UI_DEMO_DATA] = "Демонстраційні дані",
            [UI_CLUSTER_HINT] = "Кілька місць",
            [UI_SITE_LIST] = "Місць: %s",
            [UI_PAGE_OF] = "Сторінка %d з %d",
            [UI_MORE_SITES] = "\xe2\x80\xa6 і ще %s",
            [UI_NO_SITES] = "Місця ще не внесено",
            [UI_SCHEDULE_TITLE] = "Програма",
            [UI_NOW] = "Зараз",
            [UI_NEXT] = "Далі",
            [UI_ALL_DAY] = "увесь день",
            [UI_NO_MORE_EVENTS] = "Більше подій немає",
            [UI_TODAY_NONE] = "Сьогодні подій немає \xe2\x80\x93 наступна програма:",
            [UI_PAST_PROGRAMME] = "Більше подій немає \xe2\x80\x93 остання програма:",
            [UI_UNTIL] = "до %s",
            [UI_FROM] = "з %s",
            [UI_IN_MINUTES] = "через %s",
            [UI_IN_HOURS] = "через %s",
            [UI_IN_HOURS_MINUTES] = "через %s %s",
            [UI_TOMORROW_AT] = "завтра о %02d:%02d",
            [UI_IN_DAYS] = "через %s",
            [UI_ON_DATE] = "%02d.%02d.%04lld",
            [UI_PLACE_ONLINE] = "онлайн",
            [UI_BUNDLE_OK] = "прийнято",
            [UI_BUNDLE_NO_SIGNATURE] = "підпис відсутній",
            [UI_BUNDLE_BAD_SIGNATURE] = "підпис недійсний",
            [UI_BUNDLE_UNTRUSTED_KEY] = "ключ не є довіреним",
            [UI_BUNDLE_BAD_COMMENT] = "підпис не відповідає файлу",
            [UI_BUNDLE_NOT_NEWER] = "версія не новіша за встановлену \xe2\x80\x93 зберіть знову "
                                     "командою litfassctl build без --version",
            [UI_BUNDLE_TOO_LARGE] = "файл завеликий",
            [UI_BUNDLE_BAD_SCHEMA] = "формат не підтримується",
            [UI_BUNDLE_BAD_CONTENT] = "вміст пошкоджений або недійсний",
            [UI_BUNDLE_BAD_NAME] = "недійсна назва файлу",
            [UI_BUNDLE_IO] = "помилка читання або запису",
            [UI_BUNDLE_SIG_UNREADABLE] = "підпис не читається",
            [UI_BUNDLE_READ_FAILED] = "накопичувач вийнято під час копіювання або помилка читання",
            [UI_BUNDLE_NOT_REGULAR] = "посилання або спеціальний файл замість звичайного файлу",
            [UI_BUNDLE_BUSY] = "триває інше встановлення, спробуйте пізніше",
            [UI_BUNDLE_TOO_MANY] = "забагато пакетів вмісту в папці litfass",
            [UI_UPDATED] = "Вміст оновлено: версія %lld",
            [UI_NOT_TAKEN] = "Не прийнято: %s",
            [UI_NOTHING_NEW] = "На накопичувачі немає новішої версії (встановлено: %lld) "
                                "\xe2\x80\x93 зберіть знову командою litfassctl build без "
                                "--version",
            [UI_ONLINE] = "онлайн",
            [UI_OFFLINE] = "немає з\xe2\x80\x99єднання з сервером",
            [UI_OFFLINE_SINCE] = "офлайн з %s",
            [UI_ONLINE_UPDATED] = "онлайн \xc2\xb7 оновлено %s",
            [UI_BUNDLE_RENAMED] = "файл перейменовано",
            [UI_BUNDLE_NO_BUNDLE] = "пакет вмісту не знайдено",
            [UI_RENAMED_FROM] = "Файл перейменовано \xe2\x80\x93 початкова назва: %s",
            [UI_USB_NO_BUNDLE] = "На накопичувачі немає пакета вмісту \xe2\x80\x93 файли мають "
                                 "бути в папці litfass/",
            [UI_USB_FOUND_AT_TOP] = "%s \xe2\x80\x93 знайдено в корені накопичувача, має бути в "
                                    "папці litfass/",
            [UI_USB_FOUND_IN] = "%s \xe2\x80\x93 знайдено в папці %s, має бути в папці litfass/",
            [UI_KEY_MISSING] = "Ключ відсутній: %s \xe2\x80\x93 оновлення з цим ключем "
                               "відхиляються",
            [UI_KEY_UNUSABLE] = "Ключ непридатний: %s \xe2\x80\x93 оновлення з цим ключем "
                                "відхиляються",
            [UI_NO_KEYS] = "Немає дійсного ключа \xe2\x80\x93 оновлення через USB і мережу "
                           "вимкнено",
            [UI_KEY_MARK] = "ключ відсутній: %s",
            [UI_NO_KEYS_MARK] = "без оновлень: ключ відсутній",
            [UI_CLOCK_NOT_SET] = "годинник не налаштовано",
            [UI_PROGRAMME_OF] = "Програма на %s",
            [UI_NOTHING_CURRENT] = "Зараз немає актуального вмісту",
            [UI_ALERT_INFO] = "Повідомлення",
            [UI_ALERT_WARNING] = "Важливе повідомлення",
            [UI_ALERT_DANGER] = "Увага",
            [UI_ALERT_TAKEN] = "Повідомлення прийнято: %s",
            [UI_ALERT_CLEARED] = "Повідомлення скасовано",
            [UI_ALERT_NOT_TAKEN] = "Повідомлення не прийнято: %s",
            [UI_ALERT_NOT_NEWER] = "Повідомлення не новіше за останнє прийняте (версія %lld)",
        },
        /* weekdays capitalised: they begin the footer and the schedule's date line */
        { "Неділя", "Понеділок", "Вівторок", "Середа", "Четвер", "П\xe2\x80\x99ятниця",
          "Субота" },
        /* months in the genitive, as a date says them: "1 червня 2021 р." */
        { "січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
          "вересня", "жовтня", "листопада", "грудня" },
        "%s, %d %s %d р. \xc2\xb7 %02d:%02d",
        "%s, %d %s %d р.",
        /* after через the accusative: 1 хвилину, 2-4 хвилини, 5-20 хвилин, 21 хвилину */
        {
            [UI_UNIT_MINUTES] = { [UI_PLURAL_ONE] = "%lld хвилину",
                                  [UI_PLURAL_FEW] = "%lld хвилини",
                                  [UI_PLURAL_MANY] = "%lld хвилин",
                                  [UI_PLURAL_OTHER] = "%lld хвилини" },
            [UI_UNIT_HOURS] = { [UI_PLURAL_ONE] = "%lld годину",
                                [UI_PLURAL_FEW] = "%lld години",
                                [UI_PLURAL_MANY] = "%lld годин",
                                [UI_PLURAL_OTHER] = "%lld години" },
            [UI_UNIT_DAYS] = { [UI_PLURAL_ONE] = "%lld день",
                               [UI_PLURAL_FEW] = "%lld дні",
                               [UI_PLURAL_MANY] = "%lld днів",
                               [UI_PLURAL_OTHER] = "%lld дня" },
        },
    },
    {
        "tr",
        {
            [UI_NO_CONTENT_TITLE] = "Şu anda içerik yok",
            [UI_NO_CONTENT_BODY] = "Bu ekranın henüz geçerli bir içeriği yok. Lütfen içerik "
                                   "paketi olan bir USB bellek takın veya ağı kontrol edin.",
            [UI_CONTENT_VERSION] = "İçerik sürümü %lld",
            [UI_SCAN_HINT] = "Daha fazla bilgi",
            [UI_MAP_TITLE] = "Yerler",
            [UI_SITES_AT] = "%s, %s yerde",
            [UI_SITES_AT_ONE] = "%s, bir yerde",
            [UI_YOU_ARE_HERE] = "Buradasınız",
            [UI_DEMO_DATA] = "Örnek veriler",
            [UI_CLUSTER_HINT] = "Birden fazla yer",
            [UI_SITE_LIST] = "%s yer",
            [UI_PAGE_OF] = "Sayfa %d / %d",
            [UI_MORE_SITES] = "\xe2\x80\xa6 ve %s yer daha",
            [UI_NO_SITES] = "Henüz yer girilmedi",
            [UI_SCHEDULE_TITLE] = "Program",
            [UI_NOW] = "Şimdi",
            [UI_NEXT] = "Sıradaki",
            [UI_ALL_DAY] = "tüm gün",
            [UI_NO_MORE_EVENTS] = "Başka etkinlik yok",
            [UI_TODAY_NONE] = "Bugün etkinlik yok \xe2\x80\x93 sonraki program:",
            [UI_PAST_PROGRAMME] = "Başka etkinlik yok \xe2\x80\x93 son program:",
            /* no suffix after the time ("15:30'a"): its vowel harmony depends on the digits */
            [UI_UNTIL] = "bitiş %s",
            [UI_FROM] = "başlangıç %s",
            [UI_IN_MINUTES] = "%s sonra",
            [UI_IN_HOURS] = "%s sonra",
            [UI_IN_HOURS_MINUTES] = "%s %s sonra",
            [UI_TOMORROW_AT] = "yarın saat %02d:%02d",
            [UI_IN_DAYS] = "%s sonra",
            [UI_ON_DATE] = "%02d.%02d.%04lld tarihinde",
            [UI_PLACE_ONLINE] = "çevrimiçi",
            [UI_BUNDLE_OK] = "kabul edildi",
            [UI_BUNDLE_NO_SIGNATURE] = "imza eksik",
            [UI_BUNDLE_BAD_SIGNATURE] = "imza geçersiz",
            [UI_BUNDLE_UNTRUSTED_KEY] = "anahtar güvenilir değil",
            [UI_BUNDLE_BAD_COMMENT] = "imza dosyaya uymuyor",
            [UI_BUNDLE_NOT_NEWER] = "sürüm yüklü olandan yeni değil \xe2\x80\x93 litfassctl build "
                                     "ile --version olmadan yeniden oluşturun",
            [UI_BUNDLE_TOO_LARGE] = "dosya çok büyük",
            [UI_BUNDLE_BAD_SCHEMA] = "biçim desteklenmiyor",
            [UI_BUNDLE_BAD_CONTENT] = "içerik bozuk veya geçersiz",
            [UI_BUNDLE_BAD_NAME] = "dosya adı geçersiz",
            [UI_BUNDLE_IO] = "okuma veya yazma hatası",
            [UI_BUNDLE_SIG_UNREADABLE] = "imza okunamıyor",
            [UI_BUNDLE_READ_FAILED] = "bellek kopyalama sırasında çıkarıldı veya okuma hatası",
            [UI_BUNDLE_NOT_REGULAR] = "normal dosya yerine bağlantı veya özel dosya",
            [UI_BUNDLE_BUSY] = "başka bir yükleme sürüyor, lütfen daha sonra tekrar deneyin",
            [UI_BUNDLE_TOO_MANY] = "litfass klasöründe çok fazla içerik paketi var",
            [UI_UPDATED] = "İçerik güncellendi: sürüm %lld",
            [UI_NOT_TAKEN] = "Kabul edilmedi: %s",
            [UI_NOTHING_NEW] = "Bellekte daha yeni sürüm yok (yüklü: %lld) \xe2\x80\x93 "
                                "litfassctl build ile --version olmadan yeniden oluşturun",
            [UI_ONLINE] = "çevrimiçi",
            [UI_OFFLINE] = "sunucuya bağlantı yok",
            [UI_OFFLINE_SINCE] = "çevrimdışı \xc2\xb7 son bağlantı %s",
            [UI_ONLINE_UPDATED] = "çevrimiçi \xc2\xb7 güncelleme %s",
            [UI_BUNDLE_RENAMED] = "dosya yeniden adlandırıldı",
            [UI_BUNDLE_NO_BUNDLE] = "içerik paketi bulunamadı",
            [UI_RENAMED_FROM] = "Dosya yeniden adlandırıldı \xe2\x80\x93 özgün adı: %s",
            [UI_USB_NO_BUNDLE] = "Bellekte içerik paketi yok \xe2\x80\x93 dosyalar litfass/ "
                                 "klasörüne konmalı",
            [UI_USB_FOUND_AT_TOP] = "%s \xe2\x80\x93 belleğin en üst düzeyinde bulundu, litfass/ "
                                    "klasörüne konmalı",
            [UI_USB_FOUND_IN] = "%s \xe2\x80\x93 %s klasöründe bulundu, litfass/ klasörüne "
                                "konmalı",
            [UI_KEY_MISSING] = "Anahtar eksik: %s \xe2\x80\x93 bu anahtarla imzalanan "
                               "güncellemeler reddedilir",
            [UI_KEY_UNUSABLE] = "Anahtar kullanılamıyor: %s \xe2\x80\x93 bu anahtarla imzalanan "
                                "güncellemeler reddedilir",
            [UI_NO_KEYS] = "Geçerli anahtar yok \xe2\x80\x93 USB ve ağ üzerinden güncellemeler "
                           "kapalı",
            [UI_KEY_MARK] = "anahtar eksik: %s",
            [UI_NO_KEYS_MARK] = "güncelleme yok: anahtar eksik",
            [UI_CLOCK_NOT_SET] = "saat ayarlanmamış",
            [UI_PROGRAMME_OF] = "%s programı",
            [UI_NOTHING_CURRENT] = "Şu anda güncel içerik yok",
            [UI_ALERT_INFO] = "Bilgi",
            [UI_ALERT_WARNING] = "Önemli bilgi",
            [UI_ALERT_DANGER] = "Dikkat",
            [UI_ALERT_TAKEN] = "Duyuru kabul edildi: %s",
            [UI_ALERT_CLEARED] = "Duyuru kaldırıldı",
            [UI_ALERT_NOT_TAKEN] = "Duyuru kabul edilmedi: %s",
            [UI_ALERT_NOT_NEWER] = "Duyuru son kabul edilenden yeni değil (sürüm %lld)",
        },
        { "Pazar", "Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi" },
        { "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül",
          "Ekim", "Kasım", "Aralık" },
        /* Turkish puts the weekday last: "1 Haziran 2021 Salı" */
        "%2$d %3$s %4$d %1$s \xc2\xb7 %5$02d:%6$02d",
        "%2$d %3$s %4$d %1$s",
        /* Turkish counts with the singular noun: one form for every number */
        {
            [UI_UNIT_MINUTES] = { [UI_PLURAL_OTHER] = "%lld dk." },
            [UI_UNIT_HOURS] = { [UI_PLURAL_OTHER] = "%lld sa." },
            [UI_UNIT_DAYS] = { [UI_PLURAL_OTHER] = "%lld gün" },
        },
    },
};

#define N_TABLES (sizeof tables / sizeof tables[0])

static const UiLanguage languages[] = {
    { "de", "Deutsch", 0 },  { "en", "English", 0 },  { "ar", "العربية", 1 },
    { "fa", "فارسی", 1 },    { "uk", "Українська", 0 }, { "tr", "Türkçe", 0 },
};

_Static_assert(sizeof languages / sizeof languages[0] == N_TABLES,
               "one entry in languages[] per table, in the same order");
_Static_assert(N_TABLES <= UI_MAX_LANGUAGES, "UI_MAX_LANGUAGES is too small");

/* The process's language: written at start-up (before the workers start), read by
 * every thread; atomic so that a late write is still no data race. */
static _Atomic(const UiTable *) process_table = &tables[0];
/* The calling thread's language, or NULL: the process's. */
static _Thread_local const UiTable *thread_table;

static const UiTable *find_table(const char *code)
{
    for (size_t i = 0; code && i < N_TABLES; i++) {
        if (strcmp(tables[i].code, code) == 0) {
            return &tables[i];
        }
    }
    return NULL;
}

/* The table of lang, or German when lang is NULL or unknown. */
static const UiTable *table_in(const char *lang)
{
    const UiTable *t = find_table(lang);
    return t ? t : &tables[0];
}

static const UiTable *current(void)
{
    return thread_table ? thread_table : atomic_load(&process_table);
}

int ui_language_count(void)
{
    return (int)N_TABLES;
}

const UiLanguage *ui_language_at(int i)
{
    return i >= 0 && i < (int)N_TABLES ? &languages[i] : NULL;
}

const UiLanguage *ui_language_find(const char *code)
{
    for (size_t i = 0; code && i < N_TABLES; i++) {
        if (strcmp(languages[i].code, code) == 0) {
            return &languages[i];
        }
    }
    return NULL;
}

const char *ui_language_codes(void)
{
    return "de, en, ar, fa, uk, tr";
}

int ui_set_language(const char *code)
{
    const UiTable *t = find_table(code);
    if (!t) {
        return -1;
    }
    atomic_store(&process_table, t);
    return 0;
}

int ui_use_language(const char *code)
{
    if (!code) {
        thread_table = NULL;
        return 0;
    }
    const UiTable *t = find_table(code);
    if (!t) {
        return -1;
    }
    thread_table = t;
    return 0;
}

const char *ui_language(void)
{
    return current()->code;
}

const char *ui_text_in(const char *lang, UiString id)
{
    if (id < 0 || id >= UI_COUNT) {
        return "";
    }
    const UiTable *t = table_in(lang);
    /* a string missing in a language falls back to German, never to nothing */
    return t->strings[id] ? t->strings[id] : tables[0].strings[id] ? tables[0].strings[id] : "";
}

int ui_has_text(const char *lang, UiString id)
{
    const UiTable *t = find_table(lang);
    return t && id >= 0 && id < UI_COUNT && t->strings[id] && t->strings[id][0];
}

const char *ui_str(UiString id)
{
    return ui_text_in(ui_language(), id);
}

void ui_format_date_in(const char *lang, int64_t wall_ms, char *buf, size_t len)
{
    const UiTable *t = table_in(lang);
    struct tm tm;
    clock_local(wall_ms, &tm);
    snprintf(buf, len, t->date_fmt, t->weekdays[tm.tm_wday], tm.tm_mday, t->months[tm.tm_mon],
             tm.tm_year + 1900);
}

void ui_format_time_in(const char *lang, int64_t wall_ms, char *buf, size_t len)
{
    (void)lang; /* 24 hours and Western digits everywhere (see the top of this file) */
    struct tm tm;
    clock_local(wall_ms, &tm);
    snprintf(buf, len, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

void ui_format_datetime_in(const char *lang, int64_t wall_ms, char *buf, size_t len)
{
    const UiTable *t = table_in(lang);
    struct tm tm;
    clock_local(wall_ms, &tm);
    snprintf(buf, len, t->datetime_fmt, t->weekdays[tm.tm_wday], tm.tm_mday,
             t->months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
}

void ui_format_date(int64_t wall_ms, char *buf, size_t len)
{
    ui_format_date_in(ui_language(), wall_ms, buf, len);
}

void ui_format_time(int64_t wall_ms, char *buf, size_t len)
{
    ui_format_time_in(ui_language(), wall_ms, buf, len);
}

void ui_format_datetime(int64_t wall_ms, char *buf, size_t len)
{
    ui_format_datetime_in(ui_language(), wall_ms, buf, len);
}

UiPlural ui_plural_in(const char *lang, long long n)
{
    const char *code = table_in(lang)->code;
    long long n10 = n % 10, n100 = n % 100;
    if (strcmp(code, "ar") == 0) {
        return n == 0                     ? UI_PLURAL_ZERO
               : n == 1                   ? UI_PLURAL_ONE
               : n == 2                   ? UI_PLURAL_TWO
               : n100 >= 3 && n100 <= 10  ? UI_PLURAL_FEW
               : n100 >= 11 && n100 <= 99 ? UI_PLURAL_MANY
                                          : UI_PLURAL_OTHER;
    }
    if (strcmp(code, "uk") == 0) { /* whole numbers never fall into "other" */
        return n10 == 1 && n100 != 11                               ? UI_PLURAL_ONE
               : n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14) ? UI_PLURAL_FEW
                                                                    : UI_PLURAL_MANY;
    }
    if (strcmp(code, "fa") == 0) {
        return n == 0 || n == 1 ? UI_PLURAL_ONE : UI_PLURAL_OTHER;
    }
    return n == 1 ? UI_PLURAL_ONE : UI_PLURAL_OTHER; /* de, en, tr */
}

void ui_format_amount_in(const char *lang, UiUnit unit, long long n, char *buf, size_t len)
{
    const UiTable *t = table_in(lang);
    if (unit < 0 || unit >= UI_UNITS) {
        snprintf(buf, len, "%lld", n);
        return;
    }
    const char *fmt = t->amounts[unit][ui_plural_in(t->code, n)];
    if (!fmt) {
        fmt = t->amounts[unit][UI_PLURAL_OTHER];
    }
    if (!fmt) {
        fmt = tables[0].amounts[unit][UI_PLURAL_OTHER];
    }
    /* a form without a number ("ساعتين") leaves the argument unused */
    if (strstr(fmt, "%lld")) {
        snprintf(buf, len, fmt, n);
    } else {
        snprintf(buf, len, "%s", fmt);
    }
}

void ui_format_countdown_in(const char *lang, UiString id, long long n, long long m, char *buf,
                            size_t len)
{
    char a[96], b[96];
    UiUnit unit = id == UI_IN_MINUTES ? UI_UNIT_MINUTES
                  : id == UI_IN_DAYS  ? UI_UNIT_DAYS
                                      : UI_UNIT_HOURS;
    ui_format_amount_in(lang, unit, n, a, sizeof a);
    if (id == UI_IN_HOURS_MINUTES) {
        ui_format_amount_in(lang, UI_UNIT_MINUTES, m, b, sizeof b);
        snprintf(buf, len, ui_text_in(lang, id), a, b);
    } else if (id == UI_IN_MINUTES || id == UI_IN_HOURS || id == UI_IN_DAYS) {
        snprintf(buf, len, ui_text_in(lang, id), a);
    } else {
        snprintf(buf, len, "%s", a);
    }
}

void ui_format_countdown(UiString id, long long n, long long m, char *buf, size_t len)
{
    ui_format_countdown_in(ui_language(), id, n, m, buf, len);
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

/* build_text: the tables. Both languages take the same printf arguments in the same
 * order (tests/content/test_build.c formats every entry of both). The advice after
 * " — " is for a staff member with a spreadsheet or a text editor, not a developer. */
#include "content/build_text.h"

#include "base/ui.h"

#include <string.h>

typedef struct {
    const char *code;
    const char *s[BT_COUNT];
} BuildTable;

static const BuildTable tables[] = {
    {
        "de",
        {
            [BT_CANNOT_OPEN] = "kann nicht geöffnet werden (%s) — Namen und Ordner der Datei "
                               "prüfen",
            [BT_READ_ERROR] = "Lesefehler — die Datei erneut speichern oder kopieren",
            [BT_FILE_TOO_LARGE] = "die Datei ist größer als %zu Bytes — auf mehrere Dateien "
                                  "aufteilen oder kürzen",
            [BT_BAD_ENCODING] = "enthält Zeichen, die weder UTF-8 noch Windows-1252 sind (bei "
                                "„%s“) — die Datei als „CSV UTF-8“ bzw. „Unicode (UTF-8)“ "
                                "speichern",
            [BT_BROKEN_UTF8] = "ungültiges UTF-8 (bei „%s“): die Datei ist teils UTF-8, teils "
                               "nicht — die Stelle korrigieren und als UTF-8 speichern",
            [BT_NOTE_CP1252] = "Hinweis: nicht UTF-8, als Windows-1252 (Excel/LibreOffice, "
                               "westeuropäisch) gelesen und umgewandelt — Umlaute auf dem "
                               "Bildschirm prüfen; beim Speichern „CSV UTF-8“ wählen, dann "
                               "entfällt dieser Hinweis",
            [BT_MORE_ERRORS] = "… und %d weitere Fehler — zuerst die obigen beheben, dann neu "
                               "bauen",
            [BT_BAD_VERSION] = "--version muss eine positive ganze Zahl sein — ohne --version "
                               "bauen, dann wird die Version aus Datum und Uhrzeit gebildet",
            [BT_CHECK_FAILED] = "würde von der Anzeige abgelehnt: %s — den genannten Eintrag "
                                "korrigieren",
            [BT_WRITE_FAILED] = "kann nicht geschrieben werden: %s — Speicherplatz und "
                                "Schreibrechte im Zielordner prüfen",
            [BT_GEO] = "Kartengeometrie fehlerhaft: %s — siehe assets/README.md",
            [BT_BUILT] = "gebaut: %s (Inhaltsversion %lld)",
            [BT_BUILT_AUTO] = "gebaut: %s (Inhaltsversion %lld, aus Datum und Uhrzeit; jede "
                              "Anzeige mit einer älteren Version übernimmt sie)",
            [BT_MARKS] = "„%s“ hat %zu Akzentzeichen hintereinander (höchstens %d je "
                         "Buchstabe) — die gestapelten Akzente entfernen",
            [BT_KEY_TWICE] = "der Eintrag „%s“ steht zweimal im Kopf — einen davon löschen",
            [BT_KEY_EMPTY] = "der Eintrag „%s“ ist leer — einen Text eintragen oder die Zeile "
                             "löschen",
            [BT_TOO_LONG] = "„%s“ ist länger als %d Zeichen — kürzen",
            [BT_EXPECTED_KEY_VALUE] = "im Kopf wird „Name: Wert“ erwartet — z. B. "
                                      "„title: Menschen stärken Menschen“",
            [BT_BAD_URL] = "„url“ muss eine Webadresse sein, die mit https:// oder http:// "
                           "beginnt, ohne Leerzeichen, höchstens %d Bytes (diese hat %zu) — "
                           "die Adresse aus dem Browser kopieren",
            [BT_FIGURE_FORM] = "„figure“ braucht die Form „Wert | Beschriftung“ — z. B. "
                               "„900 | Standorte“",
            [BT_FIGURE_BOTH] = "„figure“ braucht Wert und Beschriftung — z. B. "
                               "„900 | Standorte“",
            [BT_FIGURES_MANY] = "mehr als %d Kennzahlen (figure) — überzählige löschen",
            [BT_FIGURE_LONG] = "Wert oder Beschriftung der Kennzahl zu lang (höchstens 40/80 "
                               "Bytes) — kürzen",
            [BT_BAD_COLOUR] = "„%s“ muss eine Farbe wie #E60005 sein — # und sechs Ziffern "
                              "0-9/A-F schreiben",
            [BT_UNKNOWN_KEY] = "unbekannter Eintrag „%s“ im Kopf — bekannt sind: title, "
                               "hashtag, subtitle, url, url_label, source, figure, map_title, "
                               "map_note, color_primary, color_background, color_text, "
                               "color_accent, logo",
            [BT_PARAGRAPH_LONG] = "ein Absatz ist %zu Bytes lang, mehr als %d — in mehrere "
                                  "Absätze teilen (Leerzeile dazwischen)",
            [BT_NO_IMAGES] = "ein Bild mitten im Text wird nicht unterstützt — das Bild "
                             "in eine eigene Zeile stellen: ![Beschreibung](bilder/foto.jpg)",
            [BT_NO_HTML] = "HTML wird im Kampagnentext nicht unterstützt — nur Text, "
                           "Überschriften (#), Listen (-) und **fett** verwenden",
            [BT_BLOCKS_MANY] = "mehr als %d Absätze, Überschriften und Listenpunkte — den Text "
                               "kürzen",
            [BT_NO_CODE] = "eingerückter Text wird als Codeblock gelesen und nicht unterstützt "
                           "— die Einrückung am Zeilenanfang entfernen",
            [BT_NO_QUOTES] = "Zitatblöcke (>) werden nicht unterstützt — das > am Zeilenanfang "
                             "entfernen",
            [BT_UNSUPPORTED_MD] = "Markdown-Element „%s“ wird nicht unterstützt — nur Absätze, "
                                  "Überschriften und Listen verwenden",
            [BT_NO_FRONT_MATTER] = "muss mit dem Kopf beginnen — erste Zeile „---“, dann "
                                   "„title: …“ und die anderen Einträge, dann wieder „---“",
            [BT_FRONT_NOT_CLOSED] = "der Kopf wird nicht mit einer Zeile „---“ abgeschlossen — "
                                    "nach dem letzten Eintrag eine Zeile „---“ einfügen",
            [BT_NO_TITLE] = "im Kopf fehlt „title“ — eine Zeile „title: …“ ergänzen",
            [BT_UNTERMINATED_QUOTE] = "ein Anführungszeichen \" wird nicht geschlossen — das "
                                      "fehlende \" ergänzen (die Zeile ist die, in der das "
                                      "Feld beginnt)",
            [BT_EMPTY_FILE] = "die Datei ist leer — die Kopfzeile mit den Spaltennamen und "
                              "die Zeilen eintragen",
            [BT_UNKNOWN_COLUMN] = "unbekannte Spalte „%s“ — die Überschrift korrigieren; "
                                  "bekannt sind: %s",
            [BT_COLUMN_TWICE] = "die Spalte „%s“ gibt es zweimal — eine davon löschen oder "
                                "umbenennen",
            [BT_COLUMN_MISSING] = "die Spalte „%s“ fehlt — in der ersten Zeile eine Spalte mit "
                                  "dieser Überschrift ergänzen",
            [BT_TOO_MANY_FIELDS] = "die Zeile hat mehr Felder als die Kopfzeile Spalten (bei "
                                   "„%s“) — steht ein Trennzeichen im Text? Dann den Text in "
                                   "Anführungszeichen setzen",
            [BT_UNNAMED_COLUMN] = "„%s“ steht in einer Spalte ohne Überschrift — eine "
                                  "Überschrift ergänzen oder den Wert löschen",
            [BT_TOO_MANY_ROWS] = "mehr als %d Zeilen — die Tabelle aufteilen oder kürzen",
            [BT_CELL_TOO_LONG] = "„%s“ hat %zu Zeichen, mehr als %d — kürzen",
            [BT_CELL_MARKS] = "„%s“ hat %zu Akzentzeichen hintereinander (höchstens %d je "
                              "Buchstabe) — die gestapelten Akzente entfernen",
            [BT_CELL_EMPTY] = "„%s“ ist leer — einen Wert eintragen",
            [BT_BAD_YES_NO] = "„%s“ muss ja oder nein sein, nicht „%s“ — ja/nein, x oder leer "
                              "eintragen",
            [BT_BAD_LATITUDE] = "„%s“ „%s“ ist keine Zahl von -90 bis 90 — Breitengrad mit "
                                "Komma oder Punkt schreiben, z. B. 52,52",
            [BT_BAD_LONGITUDE] = "„%s“ „%s“ ist keine Zahl von -180 bis 180 — Längengrad mit "
                                 "Komma oder Punkt schreiben, z. B. 13,40",
            [BT_OUTSIDE_MAP] = "Standort „%s“ bei %.4f, %.4f liegt außerhalb der Karte "
                               "(Breite %.1f bis %.1f, Länge %.1f bis %.1f) — Breiten- und "
                               "Längengrad vertauscht?",
            [BT_DUPLICATE_ID] = "die id „%s“ ist schon in Zeile %d vergeben — eine andere id "
                                "wählen",
            [BT_BAD_START] = "„%s“ „%s“ ist kein Datum mit Uhrzeit — so schreiben: 01.06.2021 "
                             "15:30, 1.6.21 15.30 Uhr oder 2021-06-01 15:30 (ohne Uhrzeit: "
                             "ganztägig)",
            [BT_BAD_END] = "„%s“ „%s“ ist kein Datum und keine Uhrzeit — so schreiben: "
                           "01.06.2021 17:00, nur 17:00 (gleicher Tag) oder leer lassen",
            [BT_END_BEFORE] = "das Ende %s liegt vor dem Beginn %s — Ende korrigieren (geht es "
                              "über Mitternacht, das Datum mit angeben)",
            [BT_NO_START_TIME] = "der Beginn hat keine Uhrzeit, aber „%s“ ist „nein“ — eine "
                                 "Uhrzeit ergänzen oder ganztägig auf „ja“ setzen",
            [BT_ALLDAY_AND_TIME] = "„%s“ ist „ja“, aber „%s“ hat eine Uhrzeit („%s“) — "
                                   "entweder die Uhrzeit löschen oder ganztägig auf „nein“ "
                                   "setzen",
            [BT_END_TIME_ONLY] = "„%s“ hat eine Uhrzeit, „%s“ nicht — beim Beginn die "
                                 "Uhrzeit ergänzen oder beim Ende löschen",
            [BT_ICS_NOT_UTF8] = "ungültiges UTF-8 (bei „%s“) — den Kalender erneut als .ics "
                                "exportieren (iCalendar ist immer UTF-8)",
            [BT_ICS_NOT_CALENDAR] = "keine iCalendar-Datei (kein BEGIN:VCALENDAR … "
                                    "END:VCALENDAR) — den Kalender erneut als .ics exportieren",
            [BT_ICS_BROKEN] = "fehlerhaftes iCalendar: %s — den Kalender erneut als .ics "
                              "exportieren",
            [BT_ICS_NO_SUMMARY] = "ein Termin hat keinen Titel (SUMMARY) — im Kalender einen "
                                  "Titel eintragen",
            [BT_ICS_NO_START] = "der Termin „%s“ hat keinen gültigen Beginn (DTSTART) — im "
                                "Kalender den Beginn eintragen",
            [BT_ICS_END_BEFORE] = "der Termin „%s“ endet, bevor er beginnt — im Kalender das "
                                  "Ende korrigieren",
            [BT_ICS_RRULE] = "die Wiederholung des Termins „%s“ kann nicht berechnet werden "
                             "(RRULE) — die Wiederholung im Kalender einfacher fassen",
            [BT_EVENT_TOO_LONG] = "Termin „%s“: %s hat %zu Zeichen, mehr als %d — kürzen",
            [BT_CUT] = "auf der Seite %s passt bei %dx%d nicht alles: ab „%s“ abgeschnitten (%d von "
                       "%d vollständig) — kürzen; litfassctl preview zeigt jede Seite",
            [BT_CUT_WARNING] = "Warnung: auf der Seite %s passt bei %dx%d nicht alles: ab „%s“ "
                               "abgeschnitten (%d von %d vollständig)",
            [BT_NOT_BUILT_CUT] = "%s nicht gebaut: %d Texte würden auf dem Bildschirm "
                                 "abgeschnitten (siehe oben) — kürzen, oder mit "
                                 "--allow-overflow bauen, wenn das gewollt ist",
            [BT_CANNOT_CHECK] = "kann nicht prüfen, ob alles auf den Bildschirm passt: %s",
            [BT_NO_GLYPH] = "kein Zeichensatz für U+%04X („%s“) in %s:%d — die Schriften der "
                            "Anzeige (Noto Sans, Noto Sans Arabic) haben dieses Zeichen nicht; "
                            "es entfernen oder ersetzen",
            [BT_NOT_BUILT_GLYPH] = "%s nicht gebaut: %d Zeichen kann die Anzeige nicht "
                                   "darstellen (siehe oben)",
            [BT_BAD_DAY] = "„%s“ ist kein Tag — als 2021-06-01 oder 01.06.2021 schreiben",
            [BT_UNTIL_BEFORE_FROM] = "valid_until liegt vor valid_from — die Tage prüfen",
            [BT_SCREEN_BAD_DAYS] = "„%s“ „%s“ ist weder ein Wochentag noch ein Datum — z. B. "
                                   "Mo-Fr, Sa, täglich, 24.12.2026 oder 24.12.2026-26.12.2026 "
                                   "schreiben",
            [BT_SCREEN_BAD_TIME] = "„%s“ „%s“ ist keine Uhrzeit — z. B. 07:30, 18 Uhr oder 24:00 "
                                   "schreiben",
            [BT_SCREEN_NO_TIMES] = "für „%s“ fehlen „%s“ und „%s“ — beide Uhrzeiten eintragen, "
                                   "oder „%s“ auf ja setzen, wenn der Bildschirm dann aus bleibt",
            [BT_SCREEN_SAME_TIME] = "„%s“ und „%s“ sind beide %s — eine Zeitspanne eintragen "
                                    "(über Mitternacht geht: 20:00 bis 02:00)",
            [BT_SCREEN_DATE_TIMES] = "„%s“ ist ein Datum mit Uhrzeiten in „%s“/„%s“: an einem "
                                     "Datum bleibt der Bildschirm den ganzen Tag aus — die "
                                     "Uhrzeiten löschen (oder einen Wochentag schreiben)",
            [BT_SCREEN_CLOSED_AND_TIMES] = "„%s“ ist ja, aber „%s“/„%s“ haben Uhrzeiten — "
                                           "entweder die Uhrzeiten löschen oder „%s“ leeren",
            [BT_SCREEN_TOO_MANY] = "mehr als %d Zeitspannen oder %d geschlossene Tage — Tage "
                                   "zusammenfassen (Mo-Fr statt fünf Zeilen), vergangene "
                                   "Daten löschen",
            [BT_EVENT_MARKS] = "Termin „%s“: %s hat %zu Akzentzeichen hintereinander "
                               "(höchstens %d je Buchstabe) — die gestapelten Akzente "
                               "entfernen",
            [BT_UNKNOWN_LANGUAGE] = "„%s“: unbekannter Sprachcode „%s“ (bekannt: %s) — den Code "
                                    "korrigieren, z. B. campaign.ar.md oder title_ar",
            [BT_TRANSLATION_KEY] = "„%s“ gilt für alle Sprachen und steht nur in campaign.md — "
                                   "die Zeile aus der Übersetzung löschen",
            [BT_TRANSLATION_FIGURES] = "die Übersetzung hat %d Kennzahlen, campaign.md nur %d — "
                                       "jede Kennzahl der Reihe nach übersetzen, keine hinzufügen",
            [BT_PICTURE_MISSING] = "Bild „%s“ nicht gefunden (%s) — Dateiname und Ordner "
                                   "prüfen (Groß-/Kleinschreibung zählt)",
            [BT_PICTURE_UNSUPPORTED] = "„%s“ ist kein Bild in einem der Formate PNG, JPEG, "
                                       "WebP oder PDF — als PNG oder JPEG speichern",
            [BT_PICTURE_DAMAGED] = "Bild „%s“ ist beschädigt oder unvollständig (%s) — die "
                                   "Datei neu exportieren oder erneut kopieren",
            [BT_PICTURE_PIXELS] = "Bild „%s“ ist %lld x %lld Pixel groß, mehr als %lld Pixel "
                                  "— verkleinern (z. B. auf 3840 Pixel an der längeren Seite)",
            [BT_PICTURE_BYTES] = "Bild „%s“ hat %lld Bytes, mehr als %lld — verkleinern oder "
                                 "stärker komprimieren",
            [BT_PICTURES_TOTAL] = "alle Bilder zusammen brauchen %lld Bytes, mehr als %lld — "
                                  "Bilder weglassen oder verkleinern",
            [BT_PICTURE_NO_SUPPORT] = "Bild „%s“: dieses litfassctl kann keine Bilder "
                                       "aufbereiten (ohne libvips gebaut, wie im Paket für "
                                       "die Anzeigen) — den Inhalt auf einem PC mit dem "
                                       "amd64-Paket bauen",
            [BT_PICTURE_PATH] = "„%s“ liegt nicht im Inhaltsordner — das Bild in den Ordner "
                                "kopieren und den Pfad relativ angeben (z. B. bilder/logo.png)",
            [BT_POSTER_PAGE] = "„page“ „%s“ ist keine Seitenzahl — z. B. 1 für die erste Seite",
        },
    },
    {
        "en",
        {
            [BT_CANNOT_OPEN] = "cannot open: %s — check the file's name and folder",
            [BT_READ_ERROR] = "read error — save or copy the file again",
            [BT_FILE_TOO_LARGE] = "file is larger than %zu bytes — split or shorten it",
            [BT_BAD_ENCODING] = "holds characters that are neither UTF-8 nor Windows-1252 (at "
                                "'%s') — save the file as 'CSV UTF-8' or 'Unicode (UTF-8)'",
            [BT_BROKEN_UTF8] = "invalid UTF-8 (at '%s'): the file is partly UTF-8, partly not "
                               "— fix that place and save the file as UTF-8",
            [BT_NOTE_CP1252] = "note: not UTF-8, read as Windows-1252 (Excel/LibreOffice, "
                               "Western European) and converted — check the umlauts on "
                               "screen; save as 'CSV UTF-8' and this note goes away",
            [BT_MORE_ERRORS] = "… and %d more errors — fix the ones above first, then build "
                               "again",
            [BT_BAD_VERSION] = "--version must be a positive whole number — build without "
                               "--version to get one from the date and time",
            [BT_CHECK_FAILED] = "would be refused by the display: %s — correct that entry",
            [BT_WRITE_FAILED] = "cannot be written: %s — check free space and write "
                                "permission in the target folder",
            [BT_GEO] = "map geometry: %s — see assets/README.md",
            [BT_BUILT] = "built %s (content version %lld)",
            [BT_BUILT_AUTO] = "built %s (content version %lld, from the date and time; every "
                              "display with an older version takes it)",
            [BT_MARKS] = "'%s' has %zu combining marks in a row (at most %d per letter) — "
                         "remove the stacked accents",
            [BT_KEY_TWICE] = "front matter key '%s' appears twice — delete one of them",
            [BT_KEY_EMPTY] = "front matter key '%s' has an empty value — write a text or "
                             "delete the line",
            [BT_TOO_LONG] = "'%s' is longer than %d characters — shorten it",
            [BT_EXPECTED_KEY_VALUE] = "expected 'key: value' in the front matter — e.g. "
                                      "'title: Menschen stärken Menschen'",
            [BT_BAD_URL] = "'url' must be a web address starting with https:// or http://, "
                           "without spaces, at most %d bytes (this one has %zu) — copy the "
                           "address from the browser",
            [BT_FIGURE_FORM] = "'figure' must be 'value | label' — e.g. '900 | Standorte'",
            [BT_FIGURE_BOTH] = "'figure' needs both a value and a label — e.g. "
                               "'900 | Standorte'",
            [BT_FIGURES_MANY] = "more than %d figures — delete the extra ones",
            [BT_FIGURE_LONG] = "figure value or label too long (40/80 bytes at most) — "
                               "shorten it",
            [BT_BAD_COLOUR] = "'%s' must be a colour like #E60005 — write # and six digits "
                              "0-9/A-F",
            [BT_UNKNOWN_KEY] = "unknown front matter key '%s' — known: title, hashtag, "
                               "subtitle, url, url_label, source, figure, map_title, map_note, "
                               "color_primary, color_background, color_text, color_accent, logo",
            [BT_PARAGRAPH_LONG] = "a paragraph is %zu bytes long, more than %d — split it "
                                  "(an empty line between the parts)",
            [BT_NO_IMAGES] = "a picture inside a paragraph is not supported — put it on a "
                             "line of its own: ![description](pictures/photo.jpg)",
            [BT_NO_HTML] = "HTML is not supported in the campaign text — use only text, "
                           "headings (#), lists (-) and **bold**",
            [BT_BLOCKS_MANY] = "more than %d paragraphs, headings and list items — shorten "
                               "the text",
            [BT_NO_CODE] = "code blocks are not supported (indented text) — remove the "
                           "indentation at the start of the line",
            [BT_NO_QUOTES] = "block quotes are not supported — remove the > at the start of "
                             "the line",
            [BT_UNSUPPORTED_MD] = "unsupported Markdown element '%s' — use only paragraphs, "
                                  "headings and lists",
            [BT_NO_FRONT_MATTER] = "must start with front matter — a line '---', then "
                                   "'title: ...' and the other keys, then '---'",
            [BT_FRONT_NOT_CLOSED] = "front matter is not closed by a line '---' — add a line "
                                    "'---' after the last key",
            [BT_NO_TITLE] = "front matter has no 'title' — add a line 'title: ...'",
            [BT_UNTERMINATED_QUOTE] = "unterminated quote \" — add the missing \" (this is "
                                      "the line where the field starts)",
            [BT_EMPTY_FILE] = "empty file — write the header line with the column names, "
                              "then the rows",
            [BT_UNKNOWN_COLUMN] = "unknown column '%s' — correct the heading; known: %s",
            [BT_COLUMN_TWICE] = "column '%s' appears twice — delete or rename one of them",
            [BT_COLUMN_MISSING] = "required column '%s' is missing — add a column with this "
                                  "heading in the first line",
            [BT_TOO_MANY_FIELDS] = "row has more fields than the header has columns (at '%s')"
                                   " — a separator inside a text? Put the text in quotes",
            [BT_UNNAMED_COLUMN] = "'%s' stands in a column without a heading — add a heading "
                                  "or delete the value",
            [BT_TOO_MANY_ROWS] = "more than %d rows — split or shorten the table",
            [BT_CELL_TOO_LONG] = "'%s' has %zu characters, more than %d — shorten it",
            [BT_CELL_MARKS] = "'%s' has %zu combining marks in a row (at most %d per letter) — "
                              "remove the stacked accents",
            [BT_CELL_EMPTY] = "'%s' is empty — fill it in",
            [BT_BAD_YES_NO] = "'%s' must be ja/nein, yes/no, x or empty, not '%s' — write one "
                              "of these",
            [BT_BAD_LATITUDE] = "%s '%s' is not a number from -90 to 90 — write the latitude "
                                "with a decimal point or comma, e.g. 52.52",
            [BT_BAD_LONGITUDE] = "%s '%s' is not a number from -180 to 180 — write the "
                                 "longitude with a decimal point or comma, e.g. 13.40",
            [BT_OUTSIDE_MAP] = "site '%s' at %.4f, %.4f lies outside the map region (latitude "
                               "%.1f to %.1f, longitude %.1f to %.1f) — latitude and longitude "
                               "swapped?",
            [BT_DUPLICATE_ID] = "duplicate id '%s' (already used in line %d) — choose another "
                                "id",
            [BT_BAD_START] = "%s '%s' is not a date and time — write 01.06.2021 15:30, "
                             "1.6.21 15.30 Uhr or 2021-06-01 15:30 (no time: all day)",
            [BT_BAD_END] = "%s '%s' is neither a date nor a time — write 01.06.2021 17:00, "
                           "only 17:00 (same day) or leave it empty",
            [BT_END_BEFORE] = "end %s is before start %s — correct the end (past midnight: "
                              "write the date too)",
            [BT_NO_START_TIME] = "the start has no time but '%s' is 'no' — add a time or set "
                                 "all day to 'yes'",
            [BT_ALLDAY_AND_TIME] = "'%s' is 'yes' but '%s' has a time ('%s') — delete the "
                                   "time or set all day to 'no'",
            [BT_END_TIME_ONLY] = "'%s' has a time but '%s' has none — add the start's time "
                                 "or delete the end's",
            [BT_ICS_NOT_UTF8] = "invalid UTF-8 (at '%s') — export the calendar as .ics again "
                                "(iCalendar is always UTF-8)",
            [BT_ICS_NOT_CALENDAR] = "not an iCalendar file (no BEGIN:VCALENDAR ... "
                                    "END:VCALENDAR) — export the calendar as .ics again",
            [BT_ICS_BROKEN] = "broken iCalendar: %s — export the calendar as .ics again",
            [BT_ICS_NO_SUMMARY] = "event has no title (SUMMARY) — give it a title in the "
                                  "calendar",
            [BT_ICS_NO_START] = "event '%s' has no valid start (DTSTART) — set its start in "
                                "the calendar",
            [BT_ICS_END_BEFORE] = "event '%s' ends before it starts — correct its end in the "
                                  "calendar",
            [BT_ICS_RRULE] = "event '%s' has an RRULE libical cannot expand — simplify the "
                             "repetition in the calendar",
            [BT_EVENT_TOO_LONG] = "event '%s': %s is %zu characters long, more than %d — "
                                  "shorten it",
            [BT_CUT] = "on the %s page at %dx%d not everything fits: cut from \"%s\" on (%d of %d "
                       "in full) — shorten it; litfassctl preview shows every page",
            [BT_CUT_WARNING] = "warning: on the %s page at %dx%d not everything fits: cut from "
                               "\"%s\" on (%d of %d in full)",
            [BT_NOT_BUILT_CUT] = "%s not built: %d texts would be cut on the screen (see above) — "
                                 "shorten them, or build with --allow-overflow if that is meant",
            [BT_CANNOT_CHECK] = "cannot check whether everything fits the screen: %s",
            [BT_NO_GLYPH] = "no font for U+%04X ('%s') in %s:%d — the display's fonts (Noto "
                            "Sans, Noto Sans Arabic) lack this character; remove or replace it",
            [BT_NOT_BUILT_GLYPH] = "%s not built: characters the display cannot draw: %d "
                                   "(see above)",
            [BT_BAD_DAY] = "'%s' is not a day — write it as 2021-06-01 or 01.06.2021",
            [BT_UNTIL_BEFORE_FROM] = "valid_until lies before valid_from — check the days",
            [BT_SCREEN_BAD_DAYS] = "%s '%s' is neither a weekday nor a date — write e.g. "
                                   "Mo-Fr, Sa, daily, 2026-12-24 or 24.12.2026-26.12.2026",
            [BT_SCREEN_BAD_TIME] = "%s '%s' is not a time of day — write e.g. 07:30, 18 Uhr or "
                                   "24:00",
            [BT_SCREEN_NO_TIMES] = "'%s' has no '%s' and '%s' — fill in both times, or set '%s' "
                                   "to yes when the screen stays off then",
            [BT_SCREEN_SAME_TIME] = "'%s' and '%s' are both %s — give a span of time (past "
                                    "midnight works: 20:00 to 02:00)",
            [BT_SCREEN_DATE_TIMES] = "'%s' is a date with times in '%s'/'%s': on a date the "
                                     "screen stays off all day — delete the times (or write a "
                                     "weekday)",
            [BT_SCREEN_CLOSED_AND_TIMES] = "'%s' is yes but '%s'/'%s' hold times — delete the "
                                           "times or empty '%s'",
            [BT_SCREEN_TOO_MANY] = "more than %d time spans or %d closed days — combine days "
                                   "(Mo-Fr instead of five rows), delete past dates",
            [BT_EVENT_MARKS] = "event '%s': %s has %zu combining marks in a row (at most %d "
                               "per letter) — remove the stacked accents",
            [BT_UNKNOWN_LANGUAGE] = "'%s': unknown language code '%s' (known: %s) — correct the "
                                    "code, e.g. campaign.ar.md or title_ar",
            [BT_TRANSLATION_KEY] = "'%s' is the same in every language and belongs in campaign.md "
                                   "only — delete the line from the translation",
            [BT_TRANSLATION_FIGURES] = "the translation has %d figures, campaign.md only %d — "
                                       "translate each figure in order, add none",
            [BT_PICTURE_MISSING] = "picture '%s' not found (%s) — check the file name and "
                                   "folder (case matters)",
            [BT_PICTURE_UNSUPPORTED] = "'%s' is not a picture in one of the formats PNG, "
                                       "JPEG, WebP or PDF — save it as PNG or JPEG",
            [BT_PICTURE_DAMAGED] = "picture '%s' is damaged or incomplete (%s) — export or "
                                   "copy the file again",
            [BT_PICTURE_PIXELS] = "picture '%s' is %lld x %lld pixels, more than %lld pixels "
                                  "— make it smaller (e.g. 3840 pixels on the longer side)",
            [BT_PICTURE_BYTES] = "picture '%s' has %lld bytes, more than %lld — make it "
                                 "smaller or compress it more",
            [BT_PICTURES_TOTAL] = "all pictures together need %lld bytes, more than %lld — "
                                  "leave pictures out or make them smaller",
            [BT_PICTURE_NO_SUPPORT] = "picture '%s': this litfassctl cannot prepare pictures "
                                       "(built without libvips, like the displays' package) — "
                                       "build the content on a PC with the amd64 package",
            [BT_PICTURE_PATH] = "'%s' is not inside the content folder — copy the picture "
                                "into it and give a relative path (e.g. pictures/logo.png)",
            [BT_POSTER_PAGE] = "'page' '%s' is not a page number — e.g. 1 for the first page",
        },
    },
};

const char *build_text(BuildText id)
{
    const BuildTable *t = &tables[0];
    const char *lang = ui_language();
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        if (strcmp(tables[i].code, lang) == 0) {
            t = &tables[i];
        }
    }
    if (id < 0 || id >= BT_COUNT) {
        return "";
    }
    /* a message missing in a language falls back to German, never to nothing */
    return t->s[id] ? t->s[id] : tables[0].s[id] ? tables[0].s[id] : "";
}

import deErrors from "./messages/de/errors.json";
import enErrors from "./messages/en/errors.json";
import dePeople from "./messages/de/people.json";
import enPeople from "./messages/en/people.json";
import { formatDay, formatLongDay, formatNumber } from "./format";
import type { SlotWords } from "./server-messages";
import { ENGLISH_MONTHS, table } from "./server-messages-table";
import { GERMAN_RUN_MESSAGES } from "./server-messages-de-runs";
import { GERMAN_REQUEST_MESSAGES } from "./server-messages-de-requests";
import { GERMAN_REQUEST_FULFIL_MESSAGES } from "@/lib/requests/fulfil/messages-de";
import { GERMAN_ACCOUNT_MESSAGES } from "@/lib/account/messages-de";
import { GERMAN_WEBHOOK_MESSAGES } from "@/lib/webhooks/messages-de";
import { GERMAN_TICKET_MESSAGES } from "@/lib/tickets/messages-de";
import { GERMAN_OPENAPI_MESSAGES } from "@/lib/openapi/messages-de";

// The German of the domain's refusals, keyed by the English message (see
// server-messages.ts for why). A data table: it grows with every message lib/ writes,
// so it is longer than the usual file; server-messages.test.ts fails when a message
// of lib/ has no entry here. Field messages continue the field's label, as the English
// ones do ("Grund ist erforderlich"). What runs and tasks leave behind (their stored
// errors, notes and reasons) is in server-messages-de-runs.ts.

const STATUS: Record<string, string> = {
  queued: "in der Warteschlange", running: "in Bearbeitung", completed: "abgeschlossen", failed: "fehlgeschlagen", cancelled: "abgebrochen",
  awaiting_approval: "zur Freigabe vorgelegt",
};
const POLICY: Record<string, string> = { keep: "behalten", blank: "geleert", mask: "maskiert", generalise: "verallgemeinert", pseudonymise: "pseudonymisiert" };
const MONATE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"];
const TYPES: Record<string, string> = {
  string: "Text", number: "Zahl", boolean: "Ja/Nein", array: "Liste", object: "Objekt", date: "Datum",
  undefined: "nichts", null: "null", nan: "keine Zahl",
};

type FieldLabels = { fields?: Record<string, string> };

/** The German label of a person field, from the people catalogue; a custom field's key stays. */
function fieldLabel(english: string) {
  const key = Object.entries((enPeople as FieldLabels).fields ?? {}).find(([, label]) => label === english)?.[0];
  return (key && (dePeople as FieldLabels).fields?.[key]) ?? english;
}

export const GERMAN_SLOTS: SlotWords = {
  n: (v) => formatNumber(Number(v.replaceAll(",", "")), { locale: "de" }),
  text: (v, translate) => translate(v),
  status: (v) => STATUS[v] ?? v,
  field: fieldLabel,
  policy: (v) => POLICY[v] ?? v,
  object: (v) => (v === "person" ? "Personen" : "Ticket"),
  day: (v) => {
    const long = /^(\d{1,2}) (\w+) (\d{4})$/.exec(v);
    if (!long) return formatDay(v, { locale: "de", timeZone: "UTC" });
    const month = String(ENGLISH_MONTHS.indexOf(long[2]) + 1).padStart(2, "0");
    return formatLongDay(`${long[3]}-${month}-${long[1].padStart(2, "0")}`, { locale: "de", timeZone: "UTC" });
  },
  dayOfYear: (v) => {
    const [day, month] = v.split(" ");
    const i = ENGLISH_MONTHS.indexOf(month);
    return i < 0 ? v : `${day}. ${MONATE[i]}`;
  },
  month: (v) => MONATE[ENGLISH_MONTHS.indexOf(v)] ?? v,
  failures: (v, translate) => v.split("; ").map((item) => {
    const m = /^(.+?) \((.+)\)$/s.exec(item);
    return m ? `${translate(m[1])} (${translate(m[2])})` : translate(item);
  }).join("; "),
  list: (v, translate) => {
    // A list may close with the sentence's full stop ("a; b."): the items are translated without it.
    const end = v.endsWith(".") ? "." : "";
    return v.slice(0, v.length - end.length).split("; ").map(translate).join("; ") + end;
  },
  expected: (v) => TYPES[v] ?? v,
  received: (v) => TYPES[v] ?? v,
};

/** The defaults of lib/errors.ts, from the errors catalogue of both languages. */
const DEFAULTS = Object.fromEntries(
  Object.entries(enErrors.codes).map(([key, english]) => [english, deErrors.codes[key as keyof typeof deErrors.codes]]),
);

const MESSAGES = table({
  // Records that are not there
  "Person {id} does not exist.": "Die Person {id} existiert nicht.",
  "Account {id} does not exist.": "Das Konto {id} existiert nicht.",
  "Role {id} does not exist.": "Die Rolle {id} existiert nicht.",
  "Retention obligation {id} does not exist.": "Die Aufbewahrungspflicht {id} existiert nicht.",
  "This record type already has a retention obligation: edit that one.": "Für diese Datensatzart gibt es bereits eine Aufbewahrungspflicht: Bearbeiten Sie diese.",
  "already has an obligation": "hat bereits eine Aufbewahrungspflicht",
  "the period must be longer than 0": "die Frist muss länger als 0 sein",
  "must be a date of the record type: {text}": "muss ein Datum der Datensatzart sein: {text}",
  "must be one of the record types that can be kept: {text}": "muss eine der Datensatzarten sein, die aufbewahrt werden können: {text}",
  "Retention rule #{id} does not exist.": "Die Aufbewahrungsregel #{id} existiert nicht.",
  "Task #{id} does not exist.": "Der Auftrag #{id} existiert nicht.",
  "Task {id} does not exist.": "Der Auftrag {id} existiert nicht.",
  "Token {id} does not exist or is already revoked.": "Das Token {id} existiert nicht oder wurde bereits widerrufen.",
  "One of the roles does not exist.": "Eine der Rollen existiert nicht.",
  "Review item {id} does not exist.": "Die Fundstelle {id} existiert nicht.",
  "Review item {id} was already decided.": "Über die Fundstelle {id} wurde bereits entschieden.",
  "The record no longer exists; nothing was changed.": "Der Datensatz existiert nicht mehr; nichts wurde geändert.",
  "The record has changed since the name was found there; nothing was changed. Its current text is shown: decide again, or keep it.":
    "Der Datensatz wurde geändert, seit der Name dort gefunden wurde; nichts wurde geändert. Sein aktueller Text wird angezeigt: neu entscheiden oder behalten.",
  "must be redact, blank or keep": "muss redact, blank oder keep sein",
  "must be redact or keep": "muss redact oder keep sein",
  "Unknown role “{name}”. Roles: {text}.": "Unbekannte Rolle „{name}“. Rollen: {text}.",

  // Administration
  "An account for {name} already exists.": "Für {name} gibt es bereits ein Konto.",
  "A role named “{name}” already exists.": "Eine Rolle namens „{name}“ gibt es bereits.",
  "The account is deactivated; a token for it would not work.": "Das Konto ist deaktiviert; ein Token dafür würde nicht funktionieren.",
  "This would leave no active account that can manage settings (admin.settings). Give another account that permission first.":
    "Danach gäbe es kein aktives Konto mehr, das die Einstellungen verwalten darf (admin.settings). Geben Sie zuerst einem anderen Konto diese Berechtigung.",

  // Anonymisation, prevention, deletion
  "This person has already been anonymised.": "Diese Person wurde bereits anonymisiert.",
  "This person cannot be anonymised: {text}.": "Diese Person kann nicht anonymisiert werden: {text}.",
  "Manual anonymisation is not possible: {failures}.": "Eine manuelle Anonymisierung ist nicht möglich: {failures}.",
  "This person has already been anonymised; there is nothing left to prevent.": "Diese Person wurde bereits anonymisiert; es gibt nichts mehr zu verhindern.",
  "This person is already prevented from anonymisation. Only staff who may set preventions can change or lift it, on the person's page.":
    "Die Anonymisierung dieser Person ist bereits verhindert. Nur wer Verhinderungen setzen darf, kann sie auf der Seite der Person ändern oder aufheben.",
  "This person has been anonymised; their record can no longer be edited.": "Diese Person wurde anonymisiert; ihr Datensatz kann nicht mehr bearbeitet werden.",
  "System people cannot be edited.": "Systempersonen können nicht bearbeitet werden.",
  "Anonymisation is switched off in the privacy settings. An administrator can enable it under Privacy → Settings.":
    "Die Anonymisierung ist in den Datenschutzeinstellungen ausgeschaltet. Eine Administratorin oder ein Administrator kann sie unter Datenschutz → Einstellungen einschalten.",
  "Anonymisation is disabled in the settings: the annual cycle waits until it is enabled.":
    "Die Anonymisierung ist in den Einstellungen ausgeschaltet: Der Jahreszyklus wartet, bis sie eingeschaltet ist.",
  "This person already has an open anonymisation task.": "Für diese Person gibt es bereits einen offenen Anonymisierungsauftrag.",
  "This person already has an open anonymisation task: #{id} ({status}).": "Für diese Person gibt es bereits einen offenen Anonymisierungsauftrag: #{id} ({status}).",
  "This person already has an open deletion task.": "Für diese Person gibt es bereits einen offenen Löschauftrag.",
  "This person already has an open deletion task: #{id}.": "Für diese Person gibt es bereits einen offenen Löschauftrag: #{id}.",
  "This person already has an open deletion task: #{id} ({status}).": "Für diese Person gibt es bereits einen offenen Löschauftrag: #{id} ({status}).",
  "Task #{id} is {status}; only a queued task can be cancelled.": "Der Auftrag #{id} ist {status}; nur ein Auftrag in der Warteschlange kann abgebrochen werden.",
  "Task #{id} is {status}; only a queued task or one awaiting approval can be cancelled.": "Der Auftrag #{id} ist {status}; nur ein Auftrag in der Warteschlange oder einer, der auf Freigabe wartet, kann abgebrochen werden.",
  "Task #{id} is {status}; only a task awaiting approval can be approved.": "Der Auftrag #{id} ist {status}; nur ein Auftrag, der auf Freigabe wartet, kann freigegeben werden.",
  "is {status}, not awaiting approval": "ist {status} und wartet nicht auf Freigabe",
  "You requested this deletion; another admin.data_privacy holder must approve it.": "Sie haben diese Löschung beantragt; eine andere Person mit der Berechtigung admin.data_privacy muss sie freigeben.",
  "must not be the account that requested the deletion": "darf nicht das Konto sein, das die Löschung beantragt hat",
  "The person of task #{id} no longer exists; cancel the task.": "Die Person des Auftrags #{id} existiert nicht mehr; brechen Sie den Auftrag ab.",
  "This deletion can no longer be approved: {text} Cancel the task; it can be requested again.": "Diese Löschung kann nicht mehr freigegeben werden: {text} Brechen Sie den Auftrag ab; er kann erneut beantragt werden.",
  "Task #{id} is {status}; only a failed task can be retried.": "Der Auftrag #{id} ist {status}; nur ein fehlgeschlagener Auftrag kann erneut versucht werden.",
  "A system person cannot be deleted.": "Eine Systemperson kann nicht gelöscht werden.",
  "You cannot delete your own account.": "Sie können Ihr eigenes Konto nicht löschen.",
  "This is the last active account that can change the settings; it cannot be deleted.":
    "Dies ist das letzte aktive Konto, das die Einstellungen ändern kann; es kann nicht gelöscht werden.",
  "The organisation can only be deleted with its last member; {name} has other members.":
    "Die Organisation kann nur mit ihrem letzten Mitglied gelöscht werden; {name} hat weitere Mitglieder.",
  "This person belongs to no organisation.": "Diese Person gehört zu keiner Organisation.",
  "Only possible when the person is the last member of their organisation": "Nur möglich, wenn die Person das letzte Mitglied ihrer Organisation ist",
  "Blocking obligations: {list}. Give a reason to override them.": "Entgegenstehende Verpflichtungen: {list}. Geben Sie einen Grund an, um sie zu übergehen.",
  "Give a reason to override the blocking obligations": "Geben Sie einen Grund an, um die entgegenstehenden Verpflichtungen zu übergehen",
  // Holds (a prevention in force)
  "This person is on hold since {day}: {name}. Give a reason to override the hold for this task.":
    "Diese Person ist seit dem {day} gesperrt: {name}. Geben Sie einen Grund an, um die Sperre für diesen Auftrag zu übergehen.",
  "is required while the person is on hold": "ist erforderlich, solange die Person gesperrt ist",
  "Nothing was anonymised: the customer of {name} is on hold. Leave those tickets out, or lift the hold on the customer's profile.":
    "Es wurde nichts anonymisiert: Die Kundin oder der Kunde von {name} ist gesperrt. Lassen Sie diese Tickets weg oder heben Sie die Sperre im Profil auf.",
  "Open loan: {name} since {day}": "Offene Leihe: {name} seit {day}",
  "Open instrument hire: {name} since {day}": "Offene Instrumentenmiete: {name} seit {day}",
  "Outstanding debt: {name} on invoice {text} (due {day})": "Offene Forderung: {name} auf Rechnung {text} (fällig am {day})",

  // The eligibility rules a manual anonymisation fails, and their details
  "already anonymised": "bereits anonymisiert",
  "staff with a role, or a system person": "Personal mit einer Rolle oder eine Systemperson",
  "anonymisation is prevented": "die Anonymisierung ist verhindert",
  "has an active course enrolment": "hat eine aktive Kursanmeldung",
  "is on a waiting list": "steht auf einer Warteliste",
  "has an open loan or instrument hire": "hat eine offene Leihe oder Instrumentenmiete",
  "has an active family link": "hat eine aktive Familienverknüpfung",
  "has outstanding debt": "hat offene Forderungen",
  "was active in the recent teaching periods": "war in den letzten Unterrichtsperioden aktiv",
  "the time criteria of the settings are not met": "die Zeitkriterien der Einstellungen sind nicht erfüllt",
  "outside the scope of the settings": "außerhalb des Geltungsbereichs der Einstellungen",
  "enrolled in {name}": "angemeldet in {name}",
  "loan of {name}": "Leihe von {name}",
  "last activity on {day}": "letzte Aktivität am {day}",

  // Retention rules
  "The rule is not valid: {text}": "Die Regel ist ungültig: {text}",
  "Must be a number of days": "Muss eine Anzahl von Tagen sein",
  "Must be a whole number of days": "Muss eine ganze Zahl von Tagen sein",
  "At least 1 day": "Mindestens 1 Tag",
  "At most {n} days": "Höchstens {n} Tage",
  "At most {n} characters": "Höchstens {n} Zeichen",
  "Must be yes or no": "Muss Ja oder Nein sein",
  "Must be true or false": "Muss wahr oder falsch sein",
  "Choose student, customer, member or staff": "Wählen Sie Schüler/in, Kunde/Kundin, Mitglied oder Personal",
  "Choose active or inactive": "Wählen Sie aktiv oder inaktiv",
  "Choose new, open, pending or closed": "Wählen Sie neu, offen, wartend oder geschlossen",
  "Choose an hour": "Wählen Sie eine Stunde",
  "Choose a whole hour": "Wählen Sie eine volle Stunde",
  "Between 0 and 23": "Zwischen 0 und 23",
  "Days are 0 (Sunday) to 6 (Saturday)": "Tage sind 0 (Sonntag) bis 6 (Samstag)",
  "Choose at least one day of the week": "Wählen Sie mindestens einen Wochentag",
  "Choose daily or weekly": "Wählen Sie täglich oder wöchentlich",
  "Give the rule a name": "Geben Sie der Regel einen Namen",
  "Choose person or ticket": "Wählen Sie Person oder Ticket",
  "Choose at least one condition": "Wählen Sie mindestens eine Bedingung",
  "Choose anonymise or delete": "Wählen Sie anonymisieren oder löschen",
  "Not a condition of {object} rules": "Keine Bedingung für {object}regeln",
  "Choose at least one condition: a rule without conditions would match everything":
    "Wählen Sie mindestens eine Bedingung: Eine Regel ohne Bedingungen träfe auf alles zu",
  "The run failed; the error has been logged on the server.": "Der Lauf ist fehlgeschlagen; der Fehler wurde auf dem Server protokolliert.",
  "This step failed; the error has been logged on the server.": "Dieser Schritt ist fehlgeschlagen; der Fehler wurde auf dem Server protokolliert.",

  // Privacy settings
  "{field} is always removed; it cannot have a policy.": "{field} wird immer entfernt; dafür kann keine Regel gelten.",
  "{field} can be kept, blanked or generalised, not {policy}ed.": "{field} kann behalten, geleert oder verallgemeinert werden, nicht {policy}.",
  "Unknown field: use email, externalId, phone, address, dateOfBirth or custom.<key>.": "Unbekanntes Feld: Verwenden Sie email, externalId, phone, address, dateOfBirth oder custom.<key>.",
  "{field} is always removed: it can be blanked or pseudonymised.": "{field} wird immer entfernt: Es kann geleert oder pseudonymisiert werden.",
  "{field} is a date: it cannot be pseudonymised.": "{field} ist ein Datum: Es kann nicht pseudonymisiert werden.",
  "{field} cannot be pseudonymised: PSEUDONYM_KEY is not set (at least 32 characters).": "{field} kann nicht pseudonymisiert werden: PSEUDONYM_KEY ist nicht gesetzt (mindestens 32 Zeichen).",
  "{field} is to be pseudonymised, but PSEUDONYM_KEY is not set. Set the key again (the same one, or pseudonyms will differ) or choose another policy in the privacy settings.": "{field} soll pseudonymisiert werden, aber PSEUDONYM_KEY ist nicht gesetzt. Setzen Sie den Schlüssel wieder (denselben, sonst ändern sich die Pseudonyme) oder wählen Sie in den Datenschutzeinstellungen eine andere Regel.",
  "must be blank_message or redact": "muss blank_message oder redact sein",
  "Duplicate key \"{name}\".": "Doppelter Schlüssel „{name}“.",
  "letters, digits, - and _ only (at most 64)": "nur Buchstaben, Ziffern, - und _ (höchstens 64)",
  "not a known IANA time zone (e.g. Europe/Berlin)": "keine bekannte IANA-Zeitzone (z. B. Europe/Berlin)",
  "not a known ISO 3166 two-letter country code (e.g. DE)": "kein bekannter zweistelliger Ländercode nach ISO 3166 (z. B. DE)",
  "must be en (English) or de (Deutsch)": "muss en (English) oder de (Deutsch) sein",
  "The run date ({dayOfYear}) is before the notice date ({text}): the run must come after the notice, at most {n} days later":
    "Das Laufdatum ({dayOfYear}) liegt vor dem Datum der Ankündigung ({text}): Der Lauf muss nach der Ankündigung kommen, höchstens {n} Tage später",
  "{dayOfYear}": "{dayOfYear}",
  "is not a setting": "ist keine Einstellung",
  "must be text, a number or yes/no": "muss Text, eine Zahl oder Ja/Nein sein",
  "at most {n} entries": "höchstens {n} Einträge",
  "required": "erforderlich",

  // Fields (continuing the field's label)
  "is required": "ist erforderlich",
  "must be at most {n} characters": "darf höchstens {n} Zeichen lang sein",
  "must be at least {n} characters": "muss mindestens {n} Zeichen lang sein",
  "must be at most {n}": "darf höchstens {n} sein",
  "must be {n} or more": "muss {n} oder mehr sein",
  "must be a whole number": "muss eine ganze Zahl sein",
  "must be a whole number from {n} to {text}": "muss eine ganze Zahl von {n} bis {text} sein",
  "must be an id: a whole number from 1 to {n}": "muss eine ID sein: eine ganze Zahl von 1 bis {n}",
  "must be a person id": "muss eine Personen-ID sein",
  "must be one of the record types of the register": "muss eine der Datenarten des Verzeichnisses sein",
  "must be a type of request: {text}": "muss eine Art von Anfrage sein: {text}",
  "must be a section of the export": "muss ein Abschnitt der Auskunft sein",
  "is not an item of this export": "ist kein Eintrag dieser Auskunft",
  "An item to withhold is not part of this export.": "Ein zurückzuhaltender Eintrag gehört nicht zu dieser Auskunft.",
  "must be a list of items": "muss eine Liste von Einträgen sein",
  "must hold at most {n} items": "darf höchstens {n} Einträge enthalten",
  "must be zip for a family export": "muss für eine Familienauskunft zip sein",
  "must be a list of role ids": "muss eine Liste von Rollen-IDs sein",
  "must be a list of ticket ids": "muss eine Liste von Ticket-IDs sein",
  "must be a comma-separated list of at most 5,000 ticket ids": "muss eine kommagetrennte Liste von höchstens 5.000 Ticket-IDs sein",
  "must be a batch id": "muss eine Stapel-ID sein",
  "Not a batch id": "Keine Stapel-ID",
  "must be a date (YYYY-MM-DD)": "muss ein Datum sein (JJJJ-MM-TT)",
  "must be a date (YYYY-MM-DD) of the calendar": "muss ein Kalenderdatum sein (JJJJ-MM-TT)",
  "must be a date (YYYY-MM-DD) or an ISO instant": "muss ein Datum (JJJJ-MM-TT) oder ein ISO-Zeitpunkt sein",
  "must be a date between the years 1 and 9999": "muss ein Datum zwischen den Jahren 1 und 9999 sein",
  "is not a day of the calendar": "ist kein Tag des Kalenders",
  "must be a valid e-mail address": "muss eine gültige E-Mail-Adresse sein",
  "must be a phone number (digits, spaces, + - ( ) /)": "muss eine Telefonnummer sein (Ziffern, Leerzeichen, + - ( ) /)",
  "may contain letters, digits, spaces, _ . -": "darf Buchstaben, Ziffern, Leerzeichen, _ . - enthalten",
  "must be English, German or the organisation's language": "muss Englisch, Deutsch oder die Sprache der Organisation sein",
  "must be true or false": "muss wahr oder falsch sein",
  "must be text": "muss Text sein",
  "must be csv or xlsx": "muss csv oder xlsx sein",
  "must be an action name such as person.prevention_set": "muss der Name einer Handlung sein, etwa person.prevention_set",
  "must be a kind of object of the audit log: {text}": "muss eine Objektart des Prüfprotokolls sein: {text}",
  "must be on or after the start of the period (from)": "darf nicht vor dem Beginn des Zeitraums (from) liegen",
  "must be zip or xlsx": "muss zip oder xlsx sein",
  "select at least one ticket": "wählen Sie mindestens ein Ticket",
  "at most {n} tickets at once": "höchstens {n} Tickets auf einmal",
  "Select at least one person": "Wählen Sie mindestens eine Person",
  "At most {n} people at once": "Höchstens {n} Personen auf einmal",
  "does not exist": "existiert nicht",
  "is already taken": "ist bereits vergeben",
  "contains an unknown role": "enthält eine unbekannte Rolle",
  "is out of range": "liegt außerhalb des zulässigen Bereichs",

  // Forms and request bodies
  "must be text, not a file": "muss Text sein, keine Datei",
  "must be text without NUL bytes or broken characters": "muss Text ohne NUL-Bytes oder defekte Zeichen sein",
  "must be ticked or not (on, true, off or false)": "muss angekreuzt sein oder nicht (on, true, off oder false)",
  "must be given once": "darf nur einmal angegeben werden",
  "must have at most {n} entries": "darf höchstens {n} Einträge haben",
  "is nested too deeply": "ist zu tief verschachtelt",
  "field names must be text without NUL bytes": "Feldnamen müssen Text ohne NUL-Bytes sein",
  "The request body is too large.": "Der Inhalt der Anfrage ist zu groß.",
  "is too large": "ist zu groß",
  "The request body must be JSON.": "Der Inhalt der Anfrage muss JSON sein.",
  "is not valid JSON": "ist kein gültiges JSON",
  "A valid API token is required: Authorization: Bearer <token>.": "Ein gültiges API-Token ist erforderlich: Authorization: Bearer <token>.",
  "{name} is not allowed here. Allowed: {text}.": "{name} ist hier nicht erlaubt. Erlaubt: {text}.",
  "must be \"anonymise\" or \"delete\"": "muss \"anonymise\" oder \"delete\" sein",
  "must be a JSON object": "muss ein JSON-Objekt sein",
  "Type DELETE to confirm": "Geben Sie zum Bestätigen DELETE ein",

  // zod's own words, where a schema gives none
  "Invalid input": "Ungültige Eingabe",
  "Invalid input: expected {expected}, received {received}": "Ungültige Eingabe: {expected} erwartet, {received} erhalten",
  "Invalid option: expected one of {name}": "Ungültige Auswahl: erwartet wird eines von {name}",
  "Too small: expected number to be >={n}": "Zu klein: muss mindestens {n} sein",
  "Too small: expected number to be >{n}": "Zu klein: muss größer als {n} sein",
  "Too big: expected number to be <={n}": "Zu groß: darf höchstens {n} sein",
  "Too big: expected number to be <{n}": "Zu groß: muss kleiner als {n} sein",
  "Too small: expected string to have >={n} characters": "Zu kurz: muss mindestens {n} Zeichen haben",
  "Too big: expected string to have <={n} characters": "Zu lang: darf höchstens {n} Zeichen haben",
  "Too small: expected array to have >={n} items": "Zu wenige: mindestens {n} Einträge erwartet",
  "Too big: expected array to have <={n} items": "Zu viele: höchstens {n} Einträge erlaubt",
  "Unrecognized key: {name}": "Unbekannter Schlüssel: {name}",
  "Unrecognized keys: {name}": "Unbekannte Schlüssel: {name}",
  "Invalid UUID": "Ungültige UUID",
  "Invalid email address": "Ungültige E-Mail-Adresse",
  "Invalid ISO datetime": "Ungültiger ISO-Zeitpunkt",
  "Invalid string: must match pattern {name}": "Ungültiger Text: muss dem Muster {name} entsprechen",
});

export const GERMAN: Record<string, string> = { ...DEFAULTS, ...MESSAGES, ...GERMAN_RUN_MESSAGES, ...GERMAN_REQUEST_MESSAGES, ...GERMAN_REQUEST_FULFIL_MESSAGES, ...GERMAN_ACCOUNT_MESSAGES, ...GERMAN_TICKET_MESSAGES, ...GERMAN_WEBHOOK_MESSAGES, ...GERMAN_OPENAPI_MESSAGES };

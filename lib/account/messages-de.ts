import { table } from "@/lib/i18n/server-messages-table";

// The German of the refusals of one's own account page (lib/account) and of rectification
// by API (PATCH /api/v1/people/{id}), keyed by the English message like the rest of
// lib/i18n/server-messages-de.ts, which includes this table.

export const GERMAN_ACCOUNT_MESSAGES = table({
  "must match the new password": "muss mit dem neuen Passwort übereinstimmen",
  "must be a session hash": "muss der Hashwert einer Sitzung sein",
  "The person of this account can no longer be edited.": "Die Person dieses Kontos kann nicht mehr bearbeitet werden.",
  "can no longer be changed": "kann nicht mehr geändert werden",
  "Too many wrong passwords. Try again in a few minutes.": "Zu viele falsche Passwörter. Versuchen Sie es in einigen Minuten erneut.",
  "was entered wrongly too often; try again in a few minutes": "wurde zu oft falsch eingegeben; versuchen Sie es in einigen Minuten erneut",
  "The current password is not correct.": "Das aktuelle Passwort ist nicht richtig.",
  "is not correct": "ist nicht richtig",
  "Another account already uses this e-mail address.": "Ein anderes Konto verwendet diese E-Mail-Adresse bereits.",
  "is not a field that can be changed": "ist kein Feld, das geändert werden kann",
  "Give at least one of: {name}.": "Geben Sie mindestens eines an: {name}.",
  "Person {id} has been anonymised; their record can no longer be changed.": "Die Person {id} wurde anonymisiert; ihr Datensatz kann nicht mehr geändert werden.",
});

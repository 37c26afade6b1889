import { table } from "./server-messages-table";

// The German of what Lethe's runs leave behind for a reader: the errors, notes and reasons
// the privacy worker, the annual cycle, the retention rules and the outbox store or report
// in English, and the cycle's checks of its calendar. Shown through translateMessage
// (a task's error and verification note, a rule run's error, the cycle's timeline, the
// reports' e-mails). Kept apart from server-messages-de.ts, the refusals of requests.

export const GERMAN_RUN_MESSAGES = table({
  // Privacy tasks: the worker
  "The worker stopped {n} times while processing this task; it was not retried again.":
    "Der Worker ist bei diesem Auftrag {n}-mal abgebrochen; der Auftrag wird nicht erneut versucht.",
  "The worker stopped with an error: {text}": "Der Worker ist mit einem Fehler abgebrochen: {text}",
  "Verification unavailable: the worker stopped after the work and before the scan, and the former identifiers no longer exist to search for.":
    "Prüfung nicht möglich: Der Worker ist nach der Arbeit und vor der Suche abgebrochen, und die früheren Kennungen, nach denen zu suchen wäre, gibt es nicht mehr.",
  "Skipped: the person no longer exists.": "Übersprungen: Die Person existiert nicht mehr.",
  "Skipped: no longer eligible when the worker ran — {list}": "Übersprungen: Bei der Ausführung nicht mehr zur Anonymisierung fällig – {list}",
  "The person was deleted by task #{id}.": "Die Person wurde durch den Auftrag #{id} gelöscht.",
  "New blocking obligations since the request: {list}.": "Neue entgegenstehende Verpflichtungen seit dem Antrag: {list}.",
  "The person is on hold since {day}; the deletion was stopped. Lift the hold, or queue a new task with a reason to override it.":
    "Die Person ist seit dem {day} gesperrt; die Löschung wurde angehalten. Heben Sie die Sperre auf oder legen Sie einen neuen Auftrag mit einem Grund an, die Sperre zu übergehen.",
  "Stopped before removing the person: their account is the last active account that can change the settings (admin.settings). Give another account that permission, then retry the task.":
    "Vor dem Entfernen der Person angehalten: Das Konto der Person ist das letzte aktive Konto, das die Einstellungen ändern kann (admin.settings). Geben Sie einem anderen Konto diese Berechtigung und wiederholen Sie dann den Auftrag.",
  // A task's reason, when a rule or the cycle queued it
  "Retention rule #{id}: {name}": "Aufbewahrungsregel #{id}: {name}",
  "Annual retention cycle {id}": "Jährlicher Aufbewahrungszyklus {id}",
  // A task's reference, when a rule or the cycle queued it
  "Rule #{id}: {name}": "Regel #{id}: {name}",
  "Annual cycle {id}": "Jahreszyklus {id}",

  // Retention rule runs
  "Anonymisation is disabled in the settings; nothing was done.": "Die Anonymisierung ist in den Einstellungen ausgeschaltet; es wurde nichts getan.",
  "The rule was changed or removed during the run.": "Die Regel wurde während des Laufs geändert oder entfernt.",

  // The annual cycle: why a step waits, was skipped, or the run moves
  "No active account holds R_CAN_ANONYMIZE_USERS: the notice waits until one does.":
    "Kein aktives Konto hat R_CAN_ANONYMIZE_USERS: Die Ankündigung wartet, bis ein Konto diese Berechtigung hat.",
  "Not sent: the run was due before this reminder could go out.": "Nicht versendet: Der Lauf war fällig, bevor diese Erinnerung versendet werden konnte.",
  "Not needed: the run came first.": "Nicht nötig: Der Lauf kam zuerst.",
  "skipped": "übersprungen",
  "The cycle settings are not valid: {list}": "Die Einstellungen des Jahreszyklus sind ungültig: {list}",
  "The notice went out on {day}, after the planned run date ({day2}); the run comes {n} days after the notice, on {day3}.":
    "Die Ankündigung wurde am {day} versendet, nach dem geplanten Datum des Laufs ({day2}); der Lauf folgt {n} Tage nach der Ankündigung, am {day3}.",
  "The notice went out on {day}, less than {n} days before the planned run date ({day2}); the run is postponed to {day3}.":
    "Die Ankündigung wurde am {day} versendet, weniger als {n} Tage vor dem geplanten Datum des Laufs ({day2}); der Lauf wird auf den {day3} verschoben.",
  "The notice has not gone out yet, so the run planned for {day} moves to {n} days after it: {day2} at the earliest.":
    "Die Ankündigung ist noch nicht versendet; daher rückt der für den {day} geplante Lauf auf {n} Tage nach ihr: frühestens auf den {day2}.",

  // The cycle's calendar (privacy settings)
  "Choose a month": "Wählen Sie einen Monat",
  "{month} has no day {n} every year": "Den {n}. {month} gibt es nicht in jedem Jahr",
  "Between 1 and 365 days after the notice": "Zwischen 1 und 365 Tagen nach der Ankündigung",
  "Between 1 and 365 days after the first reminder": "Zwischen 1 und 365 Tagen nach der ersten Erinnerung",
  "Between 0 and 365 days": "Zwischen 0 und 365 Tagen",
  "Not a known IANA time zone (e.g. Europe/Berlin)": "Keine bekannte IANA-Zeitzone (z. B. Europe/Berlin)",
  "The first reminder must come before the run, which is {n} days after the notice":
    "Die erste Erinnerung muss vor dem Lauf kommen, der {n} Tage nach der Ankündigung stattfindet",
  "The second reminder must come before the run, which is {n} days after the notice":
    "Die zweite Erinnerung muss vor dem Lauf kommen, der {n} Tage nach der Ankündigung stattfindet",
  "The notice period cannot be longer than the {n} days between notice and run, or every run would be postponed":
    "Die Mindestfrist darf nicht länger sein als die {n} Tage zwischen Ankündigung und Lauf, sonst würde jeder Lauf verschoben",

  // The erasure ledger: its export and its replay after a restore
  "Applied again after a backup restore (erasure ledger).": "Nach einer Wiederherstellung aus einer Sicherung erneut angewandt (Löschprotokoll).",
  "Applied again after a backup restore (erasure ledger, task #{id}).": "Nach einer Wiederherstellung aus einer Sicherung erneut angewandt (Löschprotokoll, Auftrag #{id}).",
  "PSEUDONYM_KEY is not set: the export's header names the key its hashes were made with. Nothing was written.":
    "PSEUDONYM_KEY ist nicht gesetzt: Der Kopf des Exports nennt den Schlüssel, mit dem seine Hashes gebildet wurden. Es wurde nichts geschrieben.",
  "PSEUDONYM_KEY is not set: the ledger's hashes cannot be compared. Set the key the ledger was written with. Nothing was changed.":
    "PSEUDONYM_KEY ist nicht gesetzt: Die Hashes des Löschprotokolls lassen sich nicht vergleichen. Setzen Sie den Schlüssel, mit dem das Protokoll geschrieben wurde. Es wurde nichts geändert.",
  "The ledger file {name} cannot be read: {text}. Nothing was changed.": "Die Protokolldatei {name} kann nicht gelesen werden: {text}. Es wurde nichts geändert.",
  "The ledger file {name} is not an erasure ledger export (line {n}: {text}). Nothing was changed.":
    "Die Datei {name} ist kein Export des Löschprotokolls (Zeile {n}: {text}). Es wurde nichts geändert.",
  "The ledger file was written with another PSEUDONYM_KEY (key fingerprint {name}, this key {name2}). Nothing was changed.":
    "Die Protokolldatei wurde mit einem anderen PSEUDONYM_KEY geschrieben (Schlüssel-Fingerabdruck {name}, dieser Schlüssel {name2}). Es wurde nichts geändert.",
  "Ledger rows were written with another PSEUDONYM_KEY (key fingerprint {name}, this key {name2}). Nothing was changed.":
    "Einträge des Löschprotokolls wurden mit einem anderen PSEUDONYM_KEY geschrieben (Schlüssel-Fingerabdruck {name}, dieser Schlüssel {name2}). Es wurde nichts geändert.",
  "This database holds erasures newer than the ledger file (completed {name}, the file's newest {name2}): export the ledger of the newest database and replay that. Nothing was changed.":
    "Diese Datenbank enthält neuere Löschungen als die Protokolldatei (abgeschlossen {name}, der neueste Eintrag der Datei {name2}): Exportieren Sie das Protokoll der neuesten Datenbank und spielen Sie dieses ein. Es wurde nichts geändert.",

  // The outbox
  "Not sent: its body was purged because it named a person who has since been anonymised or deleted.":
    "Nicht versendet: Der Inhalt wurde gelöscht, weil er eine Person nannte, die inzwischen anonymisiert oder gelöscht wurde.",
});

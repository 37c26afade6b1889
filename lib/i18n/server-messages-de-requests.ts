import { table } from "./server-messages-table";

// The German of what the data-subject requests' domain says when it refuses (SPEC §11):
// registering, confirming the identity, extending, changing and withdrawing a request,
// and the queue's filters. Kept apart from server-messages-de.ts like the runs' messages.

export const GERMAN_REQUEST_MESSAGES = table({
  "Request #{id} does not exist.": "Der Antrag Nr. {id} existiert nicht.",
  "Request #{id} is closed; it cannot be changed.": "Der Antrag Nr. {id} ist abgeschlossen; er kann nicht mehr geändert werden.",
  "is closed: fulfilled, refused or withdrawn": "ist abgeschlossen: erfüllt, abgelehnt oder zurückgezogen",
  "The identity of request #{id} is already confirmed.": "Die Identität zum Antrag Nr. {id} ist bereits bestätigt.",
  "is already confirmed": "ist bereits bestätigt",
  "Request #{id} was already extended; a request can be extended only once.":
    "Der Antrag Nr. {id} wurde bereits verlängert; ein Antrag kann nur einmal verlängert werden.",
  "was already given: a request can be extended only once": "wurde bereits gewährt: Ein Antrag kann nur einmal verlängert werden",
  "must be 1 or {n}: a request is answered within three months at most": "muss 1 oder {n} sein: Ein Antrag wird spätestens nach drei Monaten beantwortet",
  "must not be in the future": "darf nicht in der Zukunft liegen",
  "must be in the year 2000 or later": "muss im Jahr 2000 oder später liegen",
  "must be a date and time (YYYY-MM-DDTHH:MM, or an ISO instant with its offset)":
    "muss ein Datum mit Uhrzeit sein (JJJJ-MM-TTTHH:MM oder ein ISO-Zeitpunkt mit Zeitverschiebung)",
  "a person or the requester's e-mail address is required": "eine Person oder die E-Mail-Adresse der antragstellenden Person ist erforderlich",
  "has been anonymised: register the requester by name and e-mail address instead":
    "wurde anonymisiert: Erfassen Sie die antragstellende Person stattdessen mit Name und E-Mail-Adresse",
  "must be an active account that may handle requests (privacy.requests)": "muss ein aktives Konto sein, das Anträge bearbeiten darf (privacy.requests)",
  "must be one of: {text}": "muss einer dieser Werte sein: {text}",
  "must be asc or desc": "muss asc oder desc sein",
  "must be me, unassigned or an account id": "muss me, unassigned oder eine Konto-ID sein",
  "The request body must be a JSON object.": "Der Inhalt der Anfrage muss ein JSON-Objekt sein.",
  "must be true: it confirms the identity with personId": "muss true sein: Damit wird die Identität mit personId bestätigt",
  "is required to confirm the identity": "ist erforderlich, um die Identität zu bestätigen",
  "Task #{id} from this request is running; the request cannot be withdrawn while it erases.":
    "Die Aufgabe Nr. {id} zu diesem Antrag läuft; solange sie löscht, kann der Antrag nicht zurückgezogen werden.",
  "has task #{id} running": "hat die laufende Aufgabe Nr. {id}",
  "Task #{id} from this request has not started yet; cancel it before withdrawing the request.":
    "Die Aufgabe Nr. {id} zu diesem Antrag hat noch nicht begonnen; brechen Sie sie ab, bevor Sie den Antrag zurückziehen.",
  "has task #{id} waiting: cancel it first": "hat die wartende Aufgabe Nr. {id}: Brechen Sie sie zuerst ab",
  "The account that requested this deletion no longer holds admin.data_privacy; cancel the task, and a holder may request it again.":
    "Das Konto, das diese Löschung beantragt hat, besitzt admin.data_privacy nicht mehr; brechen Sie die Aufgabe ab, eine berechtigte Person kann sie erneut beantragen.",
  "no longer holds admin.data_privacy": "besitzt admin.data_privacy nicht mehr",
  "Give at least one of: assigneeAccountId, notes, personId with identityConfirmed, extend, status.":
    "Geben Sie mindestens eines an: assigneeAccountId, notes, personId mit identityConfirmed, extend, status.",
});

import { table } from "@/lib/i18n/server-messages-table";

// The German of the refusals of answering a data-subject request (lib/requests/fulfil),
// keyed by the English message like the rest of lib/i18n/server-messages-de.ts, which
// includes this table.

export const GERMAN_REQUEST_FULFIL_MESSAGES = table({
  "Request #{id} does not exist.": "Der Antrag #{id} existiert nicht.",
  "This request was withdrawn; it can no longer be answered.": "Dieser Antrag wurde zurückgezogen; er kann nicht mehr beantwortet werden.",
  "This request has already been fulfilled.": "Dieser Antrag wurde bereits erfüllt.",
  "This request has already been refused.": "Dieser Antrag wurde bereits abgelehnt.",
  "Confirm the requester's identity before answering the request.": "Bestätigen Sie die Identität der antragstellenden Person, bevor Sie den Antrag beantworten.",
  "Match the request to a person before answering it.": "Ordnen Sie den Antrag einer Person zu, bevor Sie ihn beantworten.",
  "is withdrawn": "ist zurückgezogen",
  "is fulfilled": "ist erfüllt",
  "is refused": "ist abgelehnt",
  "is awaiting identity": "wartet auf die Bestätigung der Identität",
  "An erasure request is fulfilled by its anonymisation or deletion task when the task completes clean: create the task from the request.":
    "Ein Löschantrag wird durch seinen Anonymisierungs- oder Löschauftrag erfüllt, wenn dieser ohne Fund abgeschlossen ist: Legen Sie den Auftrag aus dem Antrag an.",
  "is erasure": "ist ein Löschantrag",
  "The request has no e-mail address to send the download link to.": "Der Antrag hat keine E-Mail-Adresse, an die der Download-Link gesendet werden kann.",
  "is required for a download link": "ist für einen Download-Link erforderlich",
  "Creating a task from a request needs the permission privacy.requests.": "Einen Auftrag aus einem Antrag anzulegen erfordert die Berechtigung privacy.requests.",
  "Linking a correction to a request needs the permission privacy.requests.": "Eine Berichtigung mit einem Antrag zu verknüpfen erfordert die Berechtigung privacy.requests.",
  "Only an erasure request is answered by a task.": "Nur ein Löschantrag wird durch einen Auftrag beantwortet.",
  "is not an erasure request": "ist kein Löschantrag",
  "The request is not a rectification request.": "Der Antrag ist kein Antrag auf Berichtigung.",
  "is not a rectification request": "ist kein Antrag auf Berichtigung",
  "The request is about another person.": "Der Antrag betrifft eine andere Person.",
  "is about another person": "betrifft eine andere Person",
  "must be one of the listed legal bases": "muss eine der aufgeführten Rechtsgrundlagen sein",
  "is not a download link": "ist kein Download-Link",
  "is required to refuse a request": "ist für eine Ablehnung erforderlich",
});

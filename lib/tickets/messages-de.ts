import { table } from "@/lib/i18n/server-messages-table";

// The German of ticket deletion's refusals (lib/tickets/deletion), keyed by the English
// message like the rest of lib/i18n/server-messages-de.ts, which includes this table.

export const GERMAN_TICKET_MESSAGES = table({
  "Nothing was deleted: these ticket ids do not exist: {name}.": "Es wurde nichts gelöscht: Diese Ticket-IDs gibt es nicht: {name}.",
  "Nothing was deleted: the customer of {name} has an open deletion task, which deletes their tickets itself. Leave those tickets out, or cancel the task.":
    "Es wurde nichts gelöscht: Für die Kundin oder den Kunden von {name} gibt es einen offenen Löschauftrag, der diese Tickets selbst löscht. Lassen Sie diese Tickets weg oder brechen Sie den Auftrag ab.",
  "Nothing was deleted: the customer of {name} is on hold. Leave those tickets out, or give a reason to override the hold.":
    "Es wurde nichts gelöscht: Die Kundin oder der Kunde von {name} ist gesperrt. Lassen Sie diese Tickets weg oder geben Sie einen Grund an, um die Sperre zu übergehen.",
  "Nothing was deleted: the tickets changed while they were read. Try again.":
    "Es wurde nichts gelöscht: Die Tickets haben sich beim Lesen geändert. Versuchen Sie es erneut.",
  "is required while the customer of a ticket is on hold": "ist erforderlich, solange die Kundin oder der Kunde eines Tickets gesperrt ist",
  "must be an object with ticketIds": "muss ein Objekt mit ticketIds sein",
});

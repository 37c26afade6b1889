import { recordActivity, recordAudits } from "@/lib/audit";
import { defineOperation } from "@/lib/operation";
import { customersMasker } from "./customers-masker";
import { deleteTicketRows } from "./delete-rows";
import { deleteTicketsSchema } from "./schemas";
import { assertDeletable, lockTicketSelection } from "./selection";

// Deleting tickets on their own (SPEC §12, HESK's right to erasure): one ticket from its
// page or up to 5,000 ticked in the ticket list, in ONE transaction of a handful of
// statements whatever their number — the tickets read and locked with what the rules ask
// (selection.ts), their deletion with messages, review items and ledger rows
// (delete-rows.ts), one activity event and the audit entries. Every refusal comes before
// the first write, so a refused request changes nothing. The audit log and the activity
// stream name the tickets by number only: a title often repeats the customer's words.

/** How many ticket numbers an activity entry spells out before "and N more". */
export const ACTIVITY_NUMBERS = 10;

export function ticketsDeletedSummary(deleted: { numbers: number[]; messages: number }) {
  const n = deleted.numbers.length;
  const shown = deleted.numbers.slice(0, ACTIVITY_NUMBERS).map((x) => `#${x}`).join(", ");
  const more = n > ACTIVITY_NUMBERS ? ` and ${n - ACTIVITY_NUMBERS} more` : "";
  return `Deleted ${n} ${n === 1 ? "ticket" : "tickets"} with ${deleted.messages} ${deleted.messages === 1 ? "message" : "messages"}: ${shown}${more}`;
}

export const deleteTickets = defineOperation({
  name: "deleteTickets",
  permission: "admin.data_privacy",
  input: deleteTicketsSchema,
  async run({ tx, actor, input }) {
    const now = new Date();
    const selected = await lockTicketSelection(tx, input.ticketIds, { now, check: (found) => assertDeletable(input.ticketIds, found, input) });
    const { held } = assertDeletable(input.ticketIds, selected, input);
    const typed = input.reference || (held.length && input.holdOverrideReason);
    const mask = typed ? await customersMasker(tx, selected.flatMap((t) => (t.customerId === null ? [] : [t.customerId]))) : (s: string | undefined) => s;
    const deleted = await deleteTicketRows(tx, selected, { now });
    const counts = { tickets: deleted.tickets, messages: deleted.messages, nameMentions: deleted.nameMentions };
    await recordActivity(tx, {
      actorAccountId: actor.accountId, verb: "deleted", objectType: "ticket", objectId: null,
      summary: ticketsDeletedSummary(deleted), permission: "admin.data_privacy",
    });
    // The audit entries last: the log's append lock is held to the end of the transaction.
    await recordAudits(tx, [
      {
        actorAccountId: actor.accountId, action: "tickets.deleted", targetType: "ticket",
        details: { ticketNumbers: deleted.numbers, counts, ...(input.reference ? { reference: mask(input.reference) } : {}) },
      },
      ...(held.length ? [{
        actorAccountId: actor.accountId, action: "tickets.hold_overridden", targetType: "ticket",
        details: { ticketNumbers: held.map((t) => t.number), reason: mask(input.holdOverrideReason) ?? "" },
      }] : []),
    ]);
    return { ...counts, ticketNumbers: deleted.numbers };
  },
});

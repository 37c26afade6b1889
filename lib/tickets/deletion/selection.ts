import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { DomainError } from "@/lib/errors";
import { lockCustomersOfTickets } from "@/lib/privacy/erasure/lock-order";
import { ticketFingerprintSql } from "@/lib/privacy/ledger/tickets";
import { ticketOnHoldSql } from "@/lib/privacy/prevention/holds";

// What the rules of ticket deletion ask of each selected ticket, read in one statement for
// the preview and, with the tickets locked, for the deletion itself:
//
// - a ticket that does not exist is refused (404), naming the ids;
// - a ticket whose customer has an OPEN deletion task (queued, running or awaiting
//   approval) is refused (409), naming the tickets and tasks: the task deletes that
//   customer's tickets itself, counts and records them (deleted_ticket_numbers), and a
//   deletion beside it would take tickets from under its receipt. Tasks concern people;
//   no task holds a ticket by itself, so the customer is what ties a ticket to a task;
// - a ticket whose customer is on hold (SPEC §13) is refused (422) unless a reason to
//   override the hold is given. The rule is the person deletion's (check-deletion.ts): a
//   hold blocks deletion, and only an admin.data_privacy holder — who alone may delete
//   tickets — may override it, with a reason, which the audit log keeps;
// - legal retention obligations (lib/obligations) do not apply: they keep records of the
//   types in KEEPABLE_RECORD_TYPES (invoices), detached from the person, and tickets are not
//   one of them, so no ticket is ever kept under an obligation and none blocks a deletion.
//   A record type added there would need a column to detach tickets first.

export type SelectedTicket = {
  id: number; number: number; customerId: number | null; messages: number; anonymised: boolean;
  /** The customer's open deletion task, if any. */
  openTaskId: number | null; openTaskStatus: string | null;
  onHold: boolean;
  /** What the ticket's ledger row hashes (lib/privacy/ledger/tickets.ts). */
  fingerprint: string;
};

/**
 * The selected tickets that exist, in id order; with `lock`, locked FOR UPDATE in that
 * order (lib/privacy/erasure/lock-order.ts: tickets in id order before any message).
 */
export async function readTicketSelection(tx: DbOrTx, ids: number[], { now, lock = false }: { now: Date; lock?: boolean }) {
  return rows<SelectedTicket>(await tx.execute(sql`
    select t.id, t.number, t.customer_id as "customerId", t.anonymised_at is not null as anonymised,
      (select count(*)::int from messages m where m.ticket_id = t.id) as messages,
      task.id as "openTaskId", task.status::text as "openTaskStatus",
      ${ticketOnHoldSql("t", now)} as "onHold",
      ${ticketFingerprintSql("t")} as fingerprint
    from tickets t
    left join lateral (
      select pt.id, pt.status from privacy_tasks pt
      where pt.subject_person_id = t.customer_id and pt.action = 'delete' and pt.status in ('queued', 'running', 'awaiting_approval')
      order by pt.id limit 1) task on true
    where t.id = any(${intArray(ids)})
    order by t.id
    ${lock ? sql`for update of t` : sql``}`)).map((r) => ({ ...r, id: Number(r.id), number: Number(r.number), messages: Number(r.messages) }));
}

/**
 * The selection as deleteTickets must judge it: the tickets' customers locked FOR SHARE
 * first (lockCustomersOfTickets), then the tickets read and locked — the one lock order of
 * lib/privacy/erasure/lock-order.ts. The rules are read once the customers are held, so no
 * task or hold committed while the deletion waits for a ticket's lock goes unseen; and they
 * are judged (`check`) before any ticket is locked too, so that a refusal waits for nobody:
 * the worker running a customer's deletion task holds their tickets and then takes their
 * row, which this deletion holds — waiting for those tickets would close a cycle.
 */
export async function lockTicketSelection(tx: DbOrTx, ids: number[], { now, check }: { now: Date; check: (selected: SelectedTicket[]) => void }) {
  const locked = new Set<number>();
  // A ticket given to another customer between the reads is read again with that one
  // locked too; once the tickets are locked their customers cannot change, so the second
  // round is the last.
  for (let round = 0; round < 3; round++) {
    for (const id of await lockCustomersOfTickets(tx, ids, locked)) locked.add(id);
    check(await readTicketSelection(tx, ids, { now }));
    const selected = await readTicketSelection(tx, ids, { now, lock: true });
    // Judged again by the caller: a ticket may have gone while this waited for its lock.
    if (selected.every((t) => t.customerId === null || locked.has(Number(t.customerId)))) return selected;
  }
  throw new DomainError("conflict", "Nothing was deleted: the tickets changed while they were read. Try again.");
}

const numbers = (tickets: { number: number }[]) => tickets.map((t) => `#${t.number}`).join(", ");

/** The ids asked for that are not there. */
export function missingIds(ids: number[], found: { id: number }[]) {
  const present = new Set(found.map((t) => t.id));
  return ids.filter((id) => !present.has(id));
}

/** Throws the first refusal of the rules above, in the order the statuses rank them: 404, 409, 422. */
export function assertDeletable(ids: number[], selected: SelectedTicket[], { holdOverrideReason }: { holdOverrideReason?: string }) {
  const missing = missingIds(ids, selected);
  if (missing.length) {
    throw new DomainError(
      "not_found",
      `Nothing was deleted: these ticket ids do not exist: ${missing.join(", ")}.`,
      undefined, { missing },
    );
  }
  const inTask = selected.filter((t) => t.openTaskId !== null);
  if (inTask.length) {
    throw new DomainError(
      "conflict",
      `Nothing was deleted: the customer of ${numbers(inTask)} has an open deletion task, which deletes their tickets itself. Leave those tickets out, or cancel the task.`,
      undefined, { inOpenTask: inTask.map((t) => ({ number: t.number, taskId: t.openTaskId })) },
    );
  }
  const held = selected.filter((t) => t.onHold);
  if (held.length && !holdOverrideReason) {
    throw new DomainError(
      "rule_violation",
      `Nothing was deleted: the customer of ${numbers(held)} is on hold. Leave those tickets out, or give a reason to override the hold.`,
      { holdOverrideReason: ["is required while the customer of a ticket is on hold"] },
      { onHold: held.map((t) => t.number) },
    );
  }
  return { held };
}

import { asc, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { people, tickets } from "@/db/schema";
import { intArray } from "@/db/sql";

// THE lock order of every transaction that writes tickets or messages (anonymisation of
// people, anonymisation and deletion of tickets, deletion tasks, retention rules):
//
//   1. people          — the subjects, FOR UPDATE in id order; for tickets deleted on
//                        their own, their customers FOR SHARE;
//   2. tickets         — every ticket whose messages or row will be written, in id order,
//                        before any of its messages is touched;
//   3. messages        — last; a ticket's lock guards its messages, so two transactions
//                        never meet on messages while each waits for the other's ticket.
//
// Two transactions taking the same rows in opposite orders wait for each other forever;
// PostgreSQL then aborts one of them (40P01). Anonymising a person used to write
// messages before tickets while anonymising tickets did the reverse, and the worker
// failed a whole batch of tasks for it.
//
// One exception is known and accepted: anonymising a person also blanks messages in
// OTHER customers' tickets (mentions, cc/bcc) without those tickets' locks — finding
// them is the expensive part of the work and is done in the same statement. A cycle
// there needs two transactions on the same foreign messages at the same moment; if it
// happens, PostgreSQL aborts one and the worker runs it again (db/transaction-retry.ts).

/** Locks tickets by id, in id order. */
export async function lockTickets(tx: DbOrTx, ticketIds: number[]) {
  if (!ticketIds.length) return [];
  return tx.select({ id: tickets.id, customerId: tickets.customerId }).from(tickets)
    .where(sql`${tickets.id} = any(${intArray(ticketIds)})`).orderBy(asc(tickets.id)).for("update");
}

/**
 * Locks the tickets these people are the customer (or, with `owned`, the owner) of, in
 * id order: the step before their messages are written.
 */
export async function lockTicketsOfPeople(tx: DbOrTx, personIds: number[], options: { owned?: boolean } = {}) {
  if (!personIds.length) return 0;
  const ids = intArray(personIds);
  const theirs = sql`${tickets.customerId} = any(${ids})`;
  const locked = await tx.select({ id: tickets.id }).from(tickets)
    .where(options.owned ? sql`${theirs} or ${tickets.ownerId} = any(${ids})` : theirs)
    .orderBy(asc(tickets.id)).for("update");
  return locked.length;
}

/**
 * Locks FOR SHARE, in id order, the customers of these tickets (those not in `held`), and
 * returns their ids: the step before tickets chosen by id are judged and written. A hold set
 * on a customer (an update of the row), a deletion task created for them and their erasure
 * (FOR UPDATE) all take the customer's row first, so none of them can commit between the
 * moment the rules are read and the commit of the work on the tickets.
 */
export async function lockCustomersOfTickets(tx: DbOrTx, ticketIds: number[], held: ReadonlySet<number> = new Set()) {
  if (!ticketIds.length) return [];
  const locked = await tx.select({ id: people.id }).from(people)
    .where(sql`${people.id} in (select ${tickets.customerId} from ${tickets} where ${tickets.id} = any(${intArray(ticketIds)}))
      and ${people.id} <> all(${intArray([...held])})`)
    .orderBy(asc(people.id)).for("share");
  return locked.map((r) => r.id);
}

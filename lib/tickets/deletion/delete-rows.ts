import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { intArray, ts } from "@/db/sql";
import { insertTicketLedgerRows, ticketLedgerValues } from "@/lib/privacy/ledger/tickets";

// The deletion of tickets with everything that hangs off them, in one statement
// (data-modifying CTEs), for any number of tickets: the caller has locked them in id order
// (lib/privacy/erasure/lock-order.ts). What references a ticket or its messages:
//
//   messages        ticket_id, on delete cascade — deleted here explicitly, to count them;
//   name_mentions   record_table 'tickets' / 'messages' + record_id, no foreign key: the
//                   redaction review's items found in the title or a message (a salted
//                   hash and a position, never the name) — nothing is left to review;
//   word and address indexes (messages_words_idx, the mentioned e-mails and phones,
//                   tickets_title_words_idx…) are expression indexes: they go with the rows;
//   erasure_ledger  gains one row per ticket (lib/privacy/ledger/tickets.ts), so that a
//                   replay after a backup restore deletes the ticket again.
//
// Not touched: audit entries and activity events (ticket numbers only, kept as the log),
// deletion tasks' receipts (numbers of tickets they deleted), and an access export already
// built for a data subject, which is their copy and expires within 7 days (a person's
// erasure empties it: lib/requests/fulfil/download.ts).

export type DeletedTickets = { tickets: number; messages: number; nameMentions: number; numbers: number[] };

export async function deleteTicketRows(
  tx: DbOrTx,
  tickets: { id: number; fingerprint: string }[],
  { now, replay = false }: { now: Date; replay?: boolean },
): Promise<DeletedTickets> {
  if (!tickets.length) return { tickets: 0, messages: 0, nameMentions: 0, numbers: [] };
  const ids = intArray(tickets.map((t) => t.id));
  const ledger = ticketLedgerValues(tickets);
  const [r] = rows<DeletedTickets>(await tx.execute(sql`
    with dm as (delete from messages m where m.ticket_id = any(${ids}) returning m.id),
    dt as (delete from tickets t where t.id = any(${ids}) returning t.id, t.number),
    nm as (delete from name_mentions n
      where (n.record_table = 'messages' and n.record_id in (select id from dm))
         or (n.record_table = 'tickets' and n.record_id in (select id from dt))
      returning 1),
    -- Run to completion although nothing reads it, as every data-modifying WITH is.
    led as (${insertTicketLedgerRows(sql`dt`, ledger, ts(now), replay)})
    select (select count(*) from dt)::int as tickets, (select count(*) from dm)::int as messages,
      (select count(*) from nm)::int as "nameMentions",
      coalesce((select array_agg(number order by number) from dt), '{}')::int[] as numbers`));
  return { tickets: Number(r.tickets), messages: Number(r.messages), nameMentions: Number(r.nameMentions), numbers: (r.numbers ?? []).map(Number) };
}

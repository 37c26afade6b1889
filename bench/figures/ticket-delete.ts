import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { DEMO_ACCOUNTS } from "@/db/seed/demo-people";
import { intArray } from "@/db/sql";
import { runOperation } from "@/lib/operation";
import { ticketOnHoldSql } from "@/lib/privacy/prevention/holds";
import { deleteTickets } from "@/lib/tickets/deletion/delete-tickets";
import type { BenchContext } from "../lib/context";
import { timeOnce } from "../lib/measure";

// Issue 14: "Delete selected tickets" with 1,000 tickets ticked — deleteTickets through
// runOperation as the server action calls it (the actor read, the permission, the 1,000
// ids parsed, one transaction: the tickets locked and checked, one statement deleting
// them with their messages and review items and writing their ledger rows, the activity
// event, the audit entry). Baseline: one hand-written statement doing the same deletion
// and writes (ledger rows with an md5 instead of the keyed hash computed in Node),
// without the checks, in a transaction rolled back before Lethe's call on the same copy.

const COUNT = 1000;

async function pickTickets(db: Db) {
  // Tickets whose customer is neither on hold nor under an open deletion task: the ones the
  // list would let an administrator delete without a refusal.
  return rows<{ id: number }>(await db.execute(sql`
    select t.id from tickets t
    where not ${ticketOnHoldSql("t", new Date())}
      and not exists (select 1 from privacy_tasks pt where pt.subject_person_id = t.customer_id and pt.action = 'delete'
                      and pt.status in ('queued', 'running', 'awaiting_approval'))
    order by md5(t.id::text) limit ${COUNT}`)).map((r) => Number(r.id));
}

const byHand = (ids: number[]) => sql`
  with sel as (select id from tickets where id = any(${intArray(ids)}) order by id for update),
  dm as (delete from messages m using sel where m.ticket_id = sel.id returning m.id),
  dt as (delete from tickets t using sel where t.id = sel.id returning t.id, t.number, t.created_at),
  nm as (delete from name_mentions n
    where (n.record_table = 'messages' and n.record_id in (select id from dm)) or (n.record_table = 'tickets' and n.record_id in (select id from sel))
    returning 1),
  led as (insert into erasure_ledger (action, ticket_id, completed_at, hashes, key_fingerprint)
    select 'delete_ticket', dt.id, now(), array[md5('ticket:' || dt.id || ':' || dt.number || ':' || dt.created_at::text)], 'bench' from dt returning 1),
  au as (insert into audit_entries (actor_account_id, action, target_type, details)
    select null, 'tickets.deleted', 'ticket', jsonb_build_object('ticketNumbers', (select jsonb_agg(number order by number) from dt)) returning 1)
  select (select count(*) from dt)::int as tickets, (select count(*) from dm)::int as messages`;

export async function run(ctx: BenchContext) {
  await ctx.withCopy("ticket_delete", async (db) => {
    const ids = await pickTickets(db);
    const [admin] = rows<{ id: number }>(await db.execute(sql`select id from accounts where email = ${DEMO_ACCOUNTS[0].email}`));
    // Both read the same pages from a warm cache: the baseline does not pay for Lethe's reads.
    await db.execute(sql`select count(*) from messages where ticket_id = any(${intArray(ids)})`);

    const Rollback = class extends Error {};
    let hand = { tickets: 0, messages: 0 };
    const baseline = await timeOnce(() => db.transaction(async (tx) => {
      [hand] = rows<{ tickets: number; messages: number }>(await tx.execute(byHand(ids)));
      throw new Rollback();
    }).catch((e) => { if (!(e instanceof Rollback)) throw e; }));

    const lethe = await timeOnce(() => runOperation(deleteTickets, { db, accountId: admin.id, input: { ticketIds: ids } }));
    if (!lethe.value.ok) throw new Error(`deleteTickets: ${lethe.value.code} ${lethe.value.message}`);
    const done = lethe.value.data;
    const [{ left }] = rows<{ left: number }>(await db.execute(sql`select count(*)::int as left from tickets where id = any(${intArray(ids)})`));
    const same = done.tickets === hand.tickets && done.messages === hand.messages && left === 0
      ? "the same tickets and messages as the baseline, none left"
      : `RESULT DIFFERS: Lethe ${done.tickets} tickets / ${done.messages} messages, baseline ${hand.tickets} / ${hand.messages}, ${left} left`;
    ctx.record({
      name: `delete ${COUNT.toLocaleString("en")} selected tickets`,
      ms: lethe.ms,
      baselineMs: baseline.ms,
      baseline: "one hand-written statement deleting the tickets, messages and review items and writing the ledger rows and the audit entry, rolled back",
      note: `${done.messages.toLocaleString("en")} messages; one call, one transaction of four statements (read and lock with the checks, the deletion, activity, audit); ${same}`,
    });
  });
}

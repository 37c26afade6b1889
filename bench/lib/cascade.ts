import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { organisationToday } from "@/lib/obligations/keep";
import { anonymiseByHand } from "./anonymise-sql";

// The hand-written baseline of a deletion (SPEC §5), set-based for any number of people,
// in one transaction, doing the same work as lib/privacy/deletion/delete.ts: their customer tickets
// with all messages deleted; tickets they own kept without owner; what they left
// elsewhere cleared exactly as the hand-written anonymisation does it (identifier set
// with former values and every phone form, messages blanked and to/cc/bcc scrubbed,
// others' titles, custom fields and history redacted, family links, households, annual
// notices, sign-in attempts, sessions, stored e-mails); invoices under an open legal
// retention obligation kept, detached from the person (SPEC §13); then their related
// records, account and person deleted. No task bookkeeping, no verification.

export async function deleteCascadeByHand(db: Db, personIds: number[], now = new Date()) {
  const ids = sql`${`{${personIds.join(",")}}`}::int[]`;
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    const [deleted] = rows<{ messages: number; tickets: number }>(await tx.execute(sql`
      with t as (select id from tickets where customer_id = any(${ids}) order by id for update),
      dm as (delete from messages m using t where m.ticket_id = t.id returning 1),
      dt as (delete from tickets x using t where x.id = t.id returning 1)
      select (select count(*) from dm)::int as messages, (select count(*) from dt)::int as tickets`));
    await tx.execute(sql`update tickets set owner_id = null where owner_id = any(${ids})`);
    // The person row, account and field history are deleted below, not blanked first.
    await anonymiseByHand(tx, personIds, now, { deleting: true });
    // The keeping of lib/obligations/keep.ts by hand: the last day each invoice is kept,
    // and those still within it detached under one random reference per person.
    const from = sql`(case o.counted_from when 'issued_on' then r.issued_on when 'due_on' then r.due_on end)::date`;
    const until = sql`(case when o.from_end_of_year
      then make_date(extract(year from ${from})::int, 12, 31) + make_interval(years => o.period_years, months => o.period_months)
      else ${from} + make_interval(years => o.period_years, months => o.period_months) end)::date`;
    const salt = Math.random().toString(36).slice(2);
    await tx.execute(sql`
      update invoices r set person_id = null, kept_ref = 'K-' || upper(substr(md5(r.person_id::text || ${salt}), 1, 16)),
        kept_until = ${until}, kept_law = o.law
      from retention_obligations o
      where o.record_type = 'invoices' and r.person_id = any(${ids}) and ${until} >= ${await organisationToday(tx, now)}::date`);
    await tx.execute(sql`
      with fh as (delete from field_history where person_id = any(${ids})),
      en as (delete from enrolments where person_id = any(${ids})),
      wl as (delete from waiting_list_entries where person_id = any(${ids})),
      lo as (delete from loans where person_id = any(${ids})),
      inv as (delete from invoices where person_id = any(${ids})),
      acc as (delete from accounts where person_id = any(${ids}))
      select 1`);
    await tx.execute(sql`delete from people where id = any(${ids})`);
    return { tickets: Number(deleted.tickets), messages: Number(deleted.messages) };
  });
}

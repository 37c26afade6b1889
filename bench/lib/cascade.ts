import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { anonymiseByHand } from "./anonymise-sql";

// The hand-written baseline of a deletion (SPEC §5), set-based for any number of people,
// in one transaction, doing the same work as lib/privacy/deletion/delete.ts: their customer tickets
// with all messages deleted; tickets they own kept without owner; what they left
// elsewhere cleared exactly as the hand-written anonymisation does it (identifier set
// with former values and every phone form, messages blanked and to/cc/bcc scrubbed,
// others' titles, custom fields and history redacted, family links, households, annual
// notices, sign-in attempts, sessions, stored e-mails); then their related records,
// account and person deleted. No task bookkeeping, no verification.

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

import { type SQL, sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";

// The hand-written baseline of a deletion (SPEC §5), set-based for any number of people,
// in one transaction: their customer tickets with all messages; tickets they own kept
// without owner; messages they sent, received as the customer, or that mention their
// address blanked; their address removed from every to/cc/bcc; their related records,
// account and person deleted. No task bookkeeping, no outbox scrub, no verification.

export async function deleteCascadeByHand(db: Db, personIds: number[]) {
  const ids = sql`${`{${personIds.join(",")}}`}::int[]`;
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    const [{ addresses }] = rows<{ addresses: string }>(await tx.execute(sql`
      select coalesce(array_agg(distinct lower(e)), '{}')::text as addresses from (
        select email as e from people where id = any(${ids}) and email is not null
        union all select email from accounts where person_id = any(${ids})) s`));
    const addr = sql`${addresses}::text[]`;
    // One GIN probe per address: one `&&` with many addresses is planned as a sequential scan.
    const probe = (where: SQL) =>
      sql`select x.id from unnest(${addr}) v(a) cross join lateral (select id from messages where ${where} offset 0) x`;
    const [deleted] = rows<{ messages: number; tickets: number }>(await tx.execute(sql`
      with t as (select id from tickets where customer_id = any(${ids})),
      dm as (delete from messages m using t where m.ticket_id = t.id returning 1),
      dt as (delete from tickets x using t where x.id = t.id returning 1)
      select (select count(*) from dm)::int as messages, (select count(*) from dt)::int as tickets`));
    await tx.execute(sql`update tickets set owner_id = null where owner_id = any(${ids})`);
    await tx.execute(sql`
      update messages m set subject = '', body = '', sender = null, from_person_id = null, ip_address = null,
        "to" = array(select x from unnest(m."to") x where x <> all(${addr})),
        cc = array(select x from unnest(m.cc) x where x <> all(${addr})),
        bcc = array(select x from unnest(m.bcc) x where x <> all(${addr}))
      where m.id in (
        select id from messages where from_person_id = any(${ids})
        union select id from messages where direction = 'incoming' and sender = any(${addr})
        union ${probe(sql`direction = 'outgoing' and "to" @> array[v.a]`)}
        union ${probe(sql`lethe_mentioned_emails(subject, body) @> array[v.a]`)})`);
    await tx.execute(sql`
      update messages m set
        "to" = array(select x from unnest(m."to") x where x <> all(${addr})),
        cc = array(select x from unnest(m.cc) x where x <> all(${addr})),
        bcc = array(select x from unnest(m.bcc) x where x <> all(${addr}))
      where m.id in (${probe(sql`"to" @> array[v.a]`)} union ${probe(sql`cc @> array[v.a]`)} union ${probe(sql`bcc @> array[v.a]`)})`);
    await tx.execute(sql`
      with fh as (delete from field_history where person_id = any(${ids})),
      en as (delete from enrolments where person_id = any(${ids})),
      wl as (delete from waiting_list_entries where person_id = any(${ids})),
      lo as (delete from loans where person_id = any(${ids})),
      inv as (delete from invoices where person_id = any(${ids})),
      fl as (delete from family_links where person_id = any(${ids}) or related_person_id = any(${ids})),
      acc as (delete from accounts where person_id = any(${ids}))
      select 1`);
    await tx.execute(sql`delete from people where id = any(${ids})`);
    return { tickets: Number(deleted.tickets), messages: Number(deleted.messages) };
  });
}

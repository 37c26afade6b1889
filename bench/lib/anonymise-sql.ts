import { type SQL, sql } from "drizzle-orm";
import { type Db, type DbOrTx, rows } from "@/db/client";

// The hand-written baseline of anonymising a set of people (SPEC §4) in the caller's
// transaction, doing the same work as lib/privacy/anonymise.ts with the seeded settings
// (every field policy "blank"): messages they sent, outgoing messages to them and
// messages mentioning their address or phone blanked; their addresses out of every
// to/cc/bcc; their tickets' and messages' IPs cleared, a title naming them replaced;
// stored e-mails scrubbed; an account closed; field history erased; the person blanked.
// Without per-person counts. The same indexed expressions, so the same indexes serve it.

export async function anonymiseByHand(tx: DbOrTx, personIds: number[], now: Date) {
  const ids = sql`${`{${personIds.join(",")}}`}::int[]`;
  const at = sql`${now.toISOString()}::timestamptz`;
  // Cost estimates over unnest() are far off; JIT would compile every statement for nothing.
  await tx.execute(sql`set local jit = off`);
  await tx.execute(sql`select id from people where id = any(${ids}) order by id for update`);
  const [cap] = rows<{ emails: string; phones: string; links: string }>(await tx.execute(sql`
    select array(select distinct e from (
        select lower(email) as e from people where id = any(${ids}) and anonymised_at is null and email like '%@%'
        union all select lower(a.email) from accounts a join people p on p.id = a.person_id
        where p.id = any(${ids}) and p.anonymised_at is null and a.email like '%@%') x)::text as emails,
      array(select distinct d from (select regexp_replace(phone, '[^0-9]', '', 'g') as d from people
        where id = any(${ids}) and anonymised_at is null) x where length(d) >= 7)::text as phones,
      '/people/(' || array_to_string(${ids}, '|') || ')([^0-9]|$)' as links`));
  const E = sql`${cap.emails}::text[]`;
  const P = sql`${cap.phones}::text[]`;
  const keep = (col: string) => sql.raw(`array(select a from unnest(m."${col}") a where a <> all(`);
  // One GIN probe per address (`@> array[address]`): a single `&&` with thousands of
  // addresses is estimated as a large share of the table and planned as a sequential scan.
  const probe = (values: SQL, where: SQL) =>
    sql`select x.id from unnest(${values}) v(a) cross join lateral (select id from messages where ${where} offset 0) x`;
  // The messages to blank and those to scrub go to two small analysed temporary tables,
  // so that the one update below (each message written once) joins them by primary key.
  await tx.execute(sql`create temporary table bench_blank on commit drop as
    select id from messages where from_person_id = any(${ids})
    union select id from messages where sender = any(${E})
    union ${probe(E, sql`"to" @> array[v.a] and direction = 'outgoing'`)}
    union ${probe(E, sql`lethe_mentioned_emails(subject, body) @> array[v.a]`)}
    union ${probe(P, sql`lethe_mentioned_phones(subject, body) @> array[v.a]`)}`);
  await tx.execute(sql`create temporary table bench_scrub on commit drop as
    ${probe(E, sql`"to" @> array[v.a]`)} union ${probe(E, sql`cc @> array[v.a]`)} union ${probe(E, sql`bcc @> array[v.a]`)}`);
  await tx.execute(sql`analyze bench_blank, bench_scrub`);
  const blanked = (col: string, value: string) => sql.raw(`case when b.id is not null then ${value} else m.${col} end`);
  const scrubbed = (col: string) => sql`case when s.id is not null then ${keep(col)}${E})) else m.${sql.identifier(col)} end`;
  await tx.execute(sql`
    update messages m set subject = ${blanked("subject", "''")}, body = ${blanked("body", "''")},
      sender = ${blanked("sender", "null")}, ip_address = ${blanked("ip_address", "null")},
      "to" = ${scrubbed("to")}, cc = ${scrubbed("cc")}, bcc = ${scrubbed("bcc")}
    from (select id from bench_blank union select id from bench_scrub) x
      left join bench_blank b on b.id = x.id left join bench_scrub s on s.id = x.id
    where m.id = x.id and (s.id is not null
      or m.subject <> '' or m.body <> '' or m.sender is not null or m.ip_address is not null)`);
  await tx.execute(sql`
    with t as (
      select t.id, t.ip_address,
        (p.last_name <> '' and position(lower(p.first_name || ' ' || p.last_name) in lower(t.title)) > 0)
        or (p.email is not null and position(lower(p.email) in lower(t.title)) > 0)
        or (length(regexp_replace(p.phone, '[^0-9]', '', 'g')) >= 7
            and position(regexp_replace(p.phone, '[^0-9]', '', 'g') in regexp_replace(t.title, '[^0-9]', '', 'g')) > 0) as named
      from tickets t join people p on p.id = t.customer_id
      where t.customer_id = any(${ids}) and p.anonymised_at is null)
    update tickets x set ip_address = null, title = case when t.named then 'Ticket #' || x.number else x.title end
    from t where x.id = t.id and (t.ip_address is not null or t.named)`);
  await tx.execute(sql`
    update messages m set ip_address = null from tickets t
    where t.id = m.ticket_id and t.customer_id = any(${ids}) and m.ip_address is not null`);
  await tx.execute(sql`
    update outbox_emails o set html = null, text = null, body_purged_at = coalesce(o.body_purged_at, ${at}),
      "to" = case when lower(o."to") = any(${E}) then '' else o."to" end,
      subject = case when lower(o."to") = any(${E}) then '' else o.subject end
    where lower(o."to") = any(${E}) or ((o.html is not null or o.text is not null) and (
      lethe_mentioned_emails('', o.subject || ' ' || coalesce(o.html, '') || ' ' || coalesce(o.text, '')) && ${E}
      or lethe_mentioned_phones('', o.subject || ' ' || coalesce(o.html, '') || ' ' || coalesce(o.text, '')) && ${P}
      or o.subject || ' ' || coalesce(o.html, '') || ' ' || coalesce(o.text, '') ~ ${cap.links}))`);
  await tx.execute(sql`
    with a as (
      update accounts set email = 'anonymised-' || id || '@invalid', password_hash = '!', active = false
      where person_id = any(${ids}) and email <> 'anonymised-' || id || '@invalid' returning id),
    s as (delete from sessions where account_id in (select id from a)),
    t as (delete from api_tokens where account_id in (select id from a))
    select 1`);
  await tx.execute(sql`delete from sign_in_attempts where key in (select 'email:' || e from unnest(${E}) e)`);
  await tx.execute(sql`delete from field_history where person_id = any(${ids})`);
  await tx.execute(sql`
    update people set first_name = 'Anonymized', last_name = '', email = null, external_id = null, phone = null,
      address = null, date_of_birth = null, custom_fields = '{}', status = 'inactive', anonymised_at = ${at},
      prevented_at = null, prevention_reason = null, prevented_by_account_id = null, prevention_expires_at = null, updated_at = ${at}
    where id = any(${ids}) and anonymised_at is null`);
}

/** Every given person, 5,000 per transaction, as the annual run does. */
export async function anonymiseChunksByHand(db: Db, personIds: number[], now: Date, chunk = 5000) {
  for (let i = 0; i < personIds.length; i += chunk) {
    await db.transaction((tx) => anonymiseByHand(tx, personIds.slice(i, i + chunk), now));
  }
}

import { type SQL, sql } from "drizzle-orm";
import { type Db, type DbOrTx, rows } from "@/db/client";
import { scrubNoticeLines } from "@/lib/privacy/erasure/around-person";
import { MIN_IDENTIFIER_LENGTH } from "@/lib/privacy/erasure/identifiers";
import {
  DEFAULT_PHONE_COUNTRY, literalRegex, phoneForms, phoneIdentity, phoneRegex,
} from "@/lib/privacy/erasure/written-forms";

// The hand-written baseline of anonymising a set of people (SPEC §4, §10) in the caller's
// transaction, doing the same work as lib/privacy/anonymise/anonymise.ts with the seeded settings
// (every field policy "blank"), without per-person counts:
//   - the identifier set: current address, number and account addresses, and the former
//     ones of the field history unless another person or account holds them today;
//     numbers expanded to every written digit form (the pure helpers of written-forms.ts);
//   - family links both ways, household organisations left and renamed, their line in
//     stored annual notices, sign-in attempts and sessions;
//   - messages they sent, outgoing messages to them and messages mentioning an address
//     or number of theirs blanked; their addresses out of every to/cc/bcc;
//   - their tickets' and messages' IPs cleared, a title naming them replaced;
//   - their address or number in others' ticket titles, custom fields, field history and
//     stored e-mail subjects replaced by "[redacted]";
//   - stored e-mails to, mentioning or linking to them scrubbed; an account closed;
//     field history erased; the person blanked.
// The same indexed expressions as Lethe, so the same indexes serve it; one probe per
// value where a GIN index is asked (`@> array[value]` under `offset 0`): a single `&&`
// with thousands of values is estimated as a large share of the table and planned as a
// sequential scan.

const REDACTED = "[redacted]";

/** A text[] literal as one parameter, so the planner sees the values. */
function texts(values: readonly string[]): SQL {
  return sql`${`{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`}::text[]`;
}
const ints = (values: readonly number[]) => sql`${`{${values.join(",")}}`}::int[]`;

type Captured = {
  id: number; first_name: string; last_name: string; phone: string | null;
  emails: string[]; former_emails: string[]; former_phones: string[];
};

/** (person, value) pairs of what is searched for, the identifier set of SPEC §10. */
type Pairs = { pids: number[]; values: string[] };
const pairs = (): Pairs => ({ pids: [], values: [] });

/**
 * Two statements: the people's current and former values, then which former values
 * another person or account holds today (people_email_idx, people_phone_digits_idx).
 * Phone numbers are compared through their E.164 form and expanded to their digit forms
 * in JS, where the numbering plans are.
 */
async function identifiersByHand(tx: DbOrTx, personIds: number[]) {
  const ids = ints(personIds);
  const history = (field: string, value: string) => sql.raw(`select distinct ${value} from field_history h
    cross join lateral unnest(array[h.old_value, h.new_value]) v where h.person_id = p.id and h.field = '${field}' and v is not null`);
  const found = rows<Captured & { country: string | null }>(await tx.execute(sql`
    select p.id, p.first_name, p.last_name, p.phone,
      to_json(array(select lower(trim(p.email)) where p.email is not null
        union select lower(trim(a.email)) from accounts a where a.person_id = p.id and a.email not like 'anonymised-%@invalid')) as emails,
      to_json(array(${history("email", "lower(trim(v))")})) as former_emails,
      to_json(array(${history("phone", "v")})) as former_phones,
      (select default_phone_country from privacy_settings limit 1) as country
    from people p where p.id = any(${ids}) and p.anonymised_at is null order by p.id`));
  const country = found[0]?.country ?? DEFAULT_PHONE_COUNTRY;
  const former = found.map((p) => {
    const current = p.phone ? phoneIdentity(p.phone, country) : null;
    return {
      emails: p.former_emails.filter((e) => e.includes("@") && !p.emails.includes(e)),
      phones: p.former_phones.filter((v) => phoneForms(v, country).length && phoneIdentity(v, country) !== current),
    };
  });
  const emailKeys = [...new Set(former.flatMap((f) => f.emails))];
  const phoneKeys = [...new Set(former.flatMap((f) => f.phones).flatMap((v) =>
    [v.replace(/\D/g, ""), ...phoneForms(v, country)].flatMap((d) => [d, `+${d}`])))];
  const holders = emailKeys.length || phoneKeys.length ? rows<{ k: string; holder: number; phone: string | null }>(await tx.execute(sql`
    select x.k, p.id as holder, null as phone from unnest(${texts(emailKeys)}) x(k)
      join people p on lower(p.email) = x.k where p.anonymised_at is null
    union all select x.k, coalesce(a.person_id, 0), null from unnest(${texts(emailKeys)}) x(k) join accounts a on lower(a.email) = x.k
    union all select x.k, p.id, p.phone from unnest(${texts(phoneKeys)}) x(k)
      join people p on regexp_replace(p.phone, '[^0-9+]', '', 'g') = x.k where p.anonymised_at is null`)) : [];
  const heldEmail = (e: string, pid: number) => holders.some((h) => h.phone == null && h.k === e && Number(h.holder) !== pid);
  const heldPhone = (v: string, pid: number) => {
    const identity = phoneIdentity(v, country);
    const keys = new Set([v.replace(/\D/g, ""), ...phoneForms(v, country)].flatMap((d) => [d, `+${d}`]));
    return holders.some((h) => h.phone != null && keys.has(h.k) && Number(h.holder) !== pid && phoneIdentity(h.phone, country) === identity);
  };

  const emails = pairs();
  const phones = pairs();
  const names = pairs();
  found.forEach((p, i) => {
    const pid = Number(p.id);
    for (const e of new Set([...p.emails, ...former[i].emails.filter((e) => !heldEmail(e, pid))])) {
      if (e.includes("@") && e.length >= MIN_IDENTIFIER_LENGTH) { emails.pids.push(pid); emails.values.push(e); }
    }
    const forms = new Set([p.phone, ...former[i].phones.filter((v) => !heldPhone(v, pid))].flatMap((v) => phoneForms(v, country)));
    for (const f of forms) { phones.pids.push(pid); phones.values.push(f); }
    const name = `${p.first_name} ${p.last_name}`.trim().toLowerCase();
    if (name.length >= MIN_IDENTIFIER_LENGTH && name.includes(" ")) { names.pids.push(pid); names.values.push(name); }
  });
  return { emails, phones, names };
}

/**
 * What identifies them around their own record: family links, households, their line in
 * annual notices, sign-in attempts and sessions.
 */
async function clearAroundByHand(tx: DbOrTx, personIds: number[], emails: string[]) {
  const ids = ints(personIds);
  await tx.execute(sql`delete from family_links where person_id = any(${ids}) or related_person_id = any(${ids})`);
  // Households locked in id order, their members detached, and a household left with no
  // identifiable member renamed — in one statement (the rename sees the people as they
  // were, so the members just detached are left out by hand).
  await tx.execute(sql`
    with h as (
      select o.id from organisations o
      where o.kind = 'household' and o.id in (select organisation_id from people where id = any(${ids}))
      order by o.id for update),
    detach as (update people p set organisation_id = null from h where p.id = any(${ids}) and p.organisation_id = h.id returning 1),
    rename as (
      update organisations o set name = 'Household #' || o.id from h
      where o.id = h.id and o.name <> 'Household #' || o.id
        and not exists (select 1 from people p where p.organisation_id = o.id and p.anonymised_at is null and p.id <> all(${ids})))
    select (select count(*) from detach)`);
  // Annual notices are few: found by a profile link to one of them, their lines rewritten
  // with the same pure function Lethe uses (a 5,000-way alternation with a back-reference
  // is more than PostgreSQL's regex engine should be asked), written back in one update.
  const notices = rows<{ id: number; html: string | null; text: string | null }>(await tx.execute(sql`
    select id, html, text from outbox_emails o
    where template = 'annual-notice' and exists (
      select 1 from regexp_matches(coalesce(o.html, '') || ' ' || coalesce(o.text, ''), '/people/([0-9]{1,9})(?![0-9])', 'g') l
      where l[1]::int = any(${ids}))
    order by id for update`));
  const scrubbed = notices.map((n) => ({ id: Number(n.id), ...scrubNoticeLines(n, personIds) }))
    .filter((n, i) => n.html !== notices[i].html || n.text !== notices[i].text);
  if (scrubbed.length) {
    await tx.execute(sql`
      update outbox_emails o set html = v.html, text = v.text
      from jsonb_to_recordset(${JSON.stringify(scrubbed)}::jsonb) as v(id int, html text, text text) where o.id = v.id`);
  }
  await tx.execute(sql`
    delete from sign_in_attempts s using unnest(${texts(emails)}) e
    where s.key = 'email:' || e or starts_with(s.key, 'email:' || e || '|ip:') or starts_with(s.key, 'email:' || e || '|device:')`);
  await tx.execute(sql`delete from sessions where account_id in (select id from accounts where person_id = any(${ids}))`);
}

/**
 * Anonymises the given people. With `deleting`, the person row, their account and their
 * field history are left to the deletion that follows (it removes them).
 */
export async function anonymiseByHand(tx: DbOrTx, personIds: number[], now: Date, opts: { deleting?: boolean } = {}) {
  const ids = ints(personIds);
  const at = sql`${now.toISOString()}::timestamptz`;
  // Cost estimates over unnest() are far off; JIT would compile every statement for nothing.
  await tx.execute(sql`set local jit = off`);
  await tx.execute(sql`select id from people where id = any(${ids}) order by id for update`);
  const set = await identifiersByHand(tx, personIds);
  const allEmails = [...new Set(set.emails.values)];
  const allForms = [...new Set(set.phones.values)];
  await clearAroundByHand(tx, personIds, allEmails);
  const E = texts(allEmails);
  const P = texts(allForms);
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
  const scrubbed = (col: string) => sql`case when s.id is not null
    then array(select a from unnest(m.${sql.identifier(col)}) a where lower(a) <> all(${E})) else m.${sql.identifier(col)} end`;
  await tx.execute(sql`
    update messages m set subject = ${blanked("subject", "''")}, body = ${blanked("body", "''")},
      sender = ${blanked("sender", "null")}, ip_address = ${blanked("ip_address", "null")},
      "to" = ${scrubbed("to")}, cc = ${scrubbed("cc")}, bcc = ${scrubbed("bcc")}
    from (select id from bench_blank union select id from bench_scrub) x
      left join bench_blank b on b.id = x.id left join bench_scrub s on s.id = x.id
    where m.id = x.id and (s.id is not null
      or m.subject <> '' or m.body <> '' or m.sender is not null or m.ip_address is not null)`);

  // Their tickets: IPs cleared, a title naming them (full name, an address or a number
  // of theirs) replaced by the number. The numbers a title mentions are read once per
  // ticket and joined with their forms.
  await tx.execute(sql`
    with names as (select * from unnest(${ints(set.names.pids)}, ${texts(set.names.values)}) x(pid, name)),
    subj as (select * from unnest(${ints(set.emails.pids)}, ${texts(set.emails.values)}) x(pid, email)),
    phones as (select * from unnest(${ints(set.phones.pids)}, ${texts(set.phones.values)}) x(pid, digits)),
    theirs as materialized (
      select t.id, t.customer_id, lower(t.title) as title, lethe_mentioned_phones(t.title, '') as mentioned
      from tickets t where t.customer_id = any(${ids})),
    named as (
      select t.id from theirs t join names n on n.pid = t.customer_id and position(n.name in t.title) > 0
      union select t.id from theirs t join subj s on s.pid = t.customer_id and position(s.email in t.title) > 0
      union select t.id from theirs t cross join unnest(t.mentioned) f(d) join phones s on s.pid = t.customer_id and s.digits = f.d)
    update tickets x set ip_address = null, title = case when x.id in (select id from named) then 'Ticket #' || x.number else x.title end
    where x.customer_id = any(${ids}) and (x.ip_address is not null or x.id in (select id from named))`);

  // Their address or number in what belongs to others, replaced by "[redacted]": one GIN
  // probe per value on titles, custom fields and field history, one pass over the few
  // stored e-mail subjects; every row written once with all patterns that hit it. One
  // statement: the four tables are independent.
  const keys = [...allEmails, ...allForms];
  if (keys.length) {
    const res = [...allEmails.map(literalRegex), ...allForms.map((f) => phoneRegex([f]))];
    const mentioned = (text: string) => sql.raw(`(lethe_mentioned_emails(${text}, '') || lethe_mentioned_phones(${text}, ''))`);
    const history = "coalesce(h.old_value, '') || ' ' || coalesce(h.new_value, '')";
    await tx.execute(sql`
      with pats as (select * from unnest(${texts(keys)}, ${texts(res)}) x(key, re)),
      th as (
        select t.id, string_agg(distinct p.re, '|') as re from pats p cross join lateral (
          select t.id, t.customer_id from tickets t where ${mentioned("t.title")} @> array[p.key] offset 0) t
        where t.customer_id is null or t.customer_id <> all(${ids}) group by t.id),
      tu as (update tickets t set title = regexp_replace(t.title, th.re, ${REDACTED}, 'gi') from th where t.id = th.id),
      qh as (
        select q.id, string_agg(distinct p.re, '|') as re from pats p cross join lateral (
          select q.id from people q where q.custom_fields <> '{}'::jsonb and ${mentioned("q.custom_fields::text")} @> array[p.key] offset 0) q
        where q.id <> all(${ids}) group by q.id),
      qu as (update people q set custom_fields = regexp_replace(q.custom_fields::text, qh.re, ${REDACTED}, 'gi')::jsonb from qh where q.id = qh.id),
      hh as (
        select h.id, string_agg(distinct p.re, '|') as re from pats p cross join lateral (
          select h.id, h.person_id from field_history h where ${mentioned(history)} @> array[p.key] offset 0) h
        where h.person_id <> all(${ids}) group by h.id),
      hu as (
        update field_history h set old_value = regexp_replace(h.old_value, hh.re, ${REDACTED}, 'gi'),
          new_value = regexp_replace(h.new_value, hh.re, ${REDACTED}, 'gi') from hh where h.id = hh.id),
      oh as (
        select o.id, string_agg(distinct p.re, '|') as re from outbox_emails o
          cross join lateral unnest(${mentioned("o.subject")}) f(k) join pats p on p.key = f.k group by o.id),
      ou as (update outbox_emails o set subject = regexp_replace(o.subject, oh.re, ${REDACTED}, 'gi') from oh where o.id = oh.id)
      select 1`);
  }

  await tx.execute(sql`
    update messages m set ip_address = null
    where m.ticket_id = any(array(select id from tickets where customer_id = any(${ids}))) and m.ip_address is not null`);
  // Stored e-mails addressed to them, mentioning an address or number of theirs, or
  // linking to their profile lose their bodies.
  await tx.execute(sql`
    update outbox_emails o set html = null, text = null, body_purged_at = coalesce(o.body_purged_at, ${at}),
      "to" = case when lower(o."to") = any(${E}) then '' else o."to" end,
      subject = case when lower(o."to") = any(${E}) then '' else o.subject end
    where lower(o."to") = any(${E}) or ((o.html is not null or o.text is not null) and (
      lethe_mentioned_emails('', o.subject || ' ' || coalesce(o.html, '') || ' ' || coalesce(o.text, '')) && ${E}
      or lethe_mentioned_phones('', o.subject || ' ' || coalesce(o.html, '') || ' ' || coalesce(o.text, '')) && ${P}
      or exists (select 1 from regexp_matches(o.subject || ' ' || coalesce(o.html, '') || ' ' || coalesce(o.text, ''),
        '/people/([0-9]{1,9})(?![0-9])', 'g') l where l[1]::int = any(${ids}))))`);
  if (opts.deleting) return;
  await tx.execute(sql`
    with a as (
      update accounts set email = 'anonymised-' || id || '@invalid', password_hash = '!', active = false
      where person_id = any(${ids}) and email <> 'anonymised-' || id || '@invalid' returning id)
    delete from api_tokens where account_id in (select id from a)`);
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

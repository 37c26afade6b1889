import { type SQL, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import type { PrivacySettings, TaskCounts } from "@/db/schema";
import {
  generaliseAddress, generaliseCustomValue, generaliseDate, generalisePhone, maskPhone, maskText,
} from "@/lib/privacy/masking";
import { clearAroundPeople } from "@/lib/privacy/erasure/around-person";
import { type IdentifierSet, MIN_IDENTIFIER_LENGTH, readIdentifierSets, verificationValues } from "@/lib/privacy/erasure/identifiers";
import { literalRegex, phoneRegex } from "@/lib/privacy/erasure/written-forms";
import { requirePseudonymKey, pseudonymOf } from "@/lib/privacy/pseudonym";
import { policyFor } from "@/lib/privacy/settings/settings";
import { intArray, jsonb, textArrayLiteral, ts } from "@/db/sql";

// Anonymisation of people (SPEC §4), set-based: a handful of statements over the whole
// selection, whether it holds one person or five thousand. The caller has decided who
// is eligible and owns the transaction; this module only does the work, and does it
// idempotently — a person already anonymised is left as is and counts zeros, so a task
// retried after a crash cannot do harm.
//
// Longer than most files (~360 lines) on purpose: its statements are the steps of one
// transaction and share the subjects' CTEs (addresses, phone forms, names), the lock
// order and the per-person counts; the bench measures them together.

export const ANONYMIZED_NAME = "Anonymized";

export { MIN_IDENTIFIER_LENGTH };

/** What replaces a subject's address or number in text that is not theirs to blank. */
export const REDACTED = "[redacted]";

export const COUNT_KEYS = [
  "person", "fieldHistory", "messagesBlanked", "addressesRemoved", "ticketsTouched", "messageIpsCleared",
  "outboxScrubbed", "accountsClosed", "mentionsRedacted",
] as const;

type CapturedPerson = {
  id: number; first_name: string; last_name: string; email: string | null; external_id?: string | null; phone: string | null; address: string | null;
  date_of_birth: string | null; custom_fields: Record<string, string>; anonymised: boolean;
};

/** Pairs (person, value) that anonymisation searches the helpdesk for. */
type Subjects = { pids: number[]; emails: string[]; phonePids: number[]; phones: string[]; namePids: number[]; names: string[] };

function subjectsOf(people: CapturedPerson[], sets: IdentifierSet[]): Subjects {
  const s: Subjects = { pids: [], emails: [], phonePids: [], phones: [], namePids: [], names: [] };
  const live = new Set(people.filter((p) => !p.anonymised).map((p) => Number(p.id)));
  for (const set of sets) {
    if (!live.has(set.personId)) continue;
    for (const e of set.emails) {
      s.pids.push(set.personId);
      s.emails.push(e);
    }
    for (const f of set.phoneForms) {
      s.phonePids.push(set.personId);
      s.phones.push(f);
    }
  }
  for (const p of people) {
    if (p.anonymised) continue;
    const name = `${p.first_name} ${p.last_name}`.trim().toLowerCase();
    if (name.length >= MIN_IDENTIFIER_LENGTH && name.includes(" ")) {
      s.namePids.push(p.id);
      s.names.push(name);
    }
  }
  return s;
}

/**
 * The person's new field values under the settings' field policies. `pseudonymKey` is
 * PSEUDONYM_KEY when a policy pseudonymises (requirePseudonymKey); an empty value stays
 * empty rather than becoming the pseudonym of "".
 */
export function anonymisedFields(
  p: Pick<CapturedPerson, "email" | "external_id" | "phone" | "address" | "date_of_birth" | "custom_fields">, settings: PrivacySettings,
  pseudonymKey: string | null = null,
) {
  const pseudonym = (field: string, value: string | null | undefined) => {
    if (!pseudonymKey) throw new Error("anonymisedFields: a pseudonymise policy needs PSEUDONYM_KEY (requirePseudonymKey).");
    return value?.trim() ? pseudonymOf(pseudonymKey, field, value, settings.defaultPhoneCountry) : null;
  };
  const phonePolicy = policyFor(settings, "phone");
  const addressPolicy = policyFor(settings, "address");
  const dobPolicy = policyFor(settings, "dateOfBirth");
  const email = policyFor(settings, "email") === "pseudonymise" ? pseudonym("email", p.email) : null;
  const externalId = policyFor(settings, "externalId") === "pseudonymise" ? pseudonym("externalId", p.external_id) : null;
  const phone = phonePolicy === "keep" ? p.phone : phonePolicy === "mask" ? maskPhone(p.phone) || null
    : phonePolicy === "generalise" ? generalisePhone(p.phone) : phonePolicy === "pseudonymise" ? pseudonym("phone", p.phone) : null;
  const address = addressPolicy === "keep" ? p.address : addressPolicy === "mask" ? maskText(p.address) || null
    : addressPolicy === "generalise" ? generaliseAddress(p.address) : addressPolicy === "pseudonymise" ? pseudonym("address", p.address) : null;
  const dateOfBirth = dobPolicy === "keep" ? p.date_of_birth : dobPolicy === "blank" ? null : generaliseDate(p.date_of_birth);
  const custom: Record<string, string> = {};
  for (const [key, value] of Object.entries(p.custom_fields)) {
    const policy = policyFor(settings, `custom.${key}`);
    const text = value == null ? "" : String(value);
    const next = policy === "keep" ? text : policy === "mask" ? maskText(text) : policy === "generalise" ? generaliseCustomValue(text)
      : policy === "pseudonymise" ? pseudonym(`custom.${key}`, text) : null;
    if (next) custom[key] = next;
  }
  return { email, external_id: externalId, phone, address, date_of_birth: dateOfBirth, custom_fields: custom };
}

function emptyCounts(): TaskCounts {
  return Object.fromEntries(COUNT_KEYS.map((k) => [k, 0]));
}

function tallyPerPerson(out: Map<number, TaskCounts>, key: (typeof COUNT_KEYS)[number], result: unknown) {
  for (const r of rows<{ pid: number; n: number }>(result)) {
    const counts = out.get(Number(r.pid));
    if (counts) counts[key] += Number(r.n);
  }
}

/**
 * Anonymises the given people in the caller's transaction and returns the counts per
 * person. Order matters: the people are locked and their former addresses captured
 * first, the helpdesk is searched with those addresses, and the person rows are
 * blanked last.
 */
export async function anonymisePeople(
  tx: DbOrTx, personIds: number[], opts: { settings: PrivacySettings; now: Date },
): Promise<Map<number, TaskCounts>> {
  const ids = [...new Set(personIds)].sort((a, b) => a - b);
  const out = new Map<number, TaskCounts>();
  if (!ids.length) return out;
  const { settings, now } = opts;
  // A stored "pseudonymise" policy whose key is gone stops here, before anything changes.
  const pseudonymKey = requirePseudonymKey(settings.fieldPolicies);
  const idList = intArray(ids);

  // 1. Lock the people (in id order, so concurrent batches cannot deadlock on them) and
  //    capture what identifies them before anything is blanked.
  const captured = rows<CapturedPerson>(await tx.execute(sql`
    select p.id, p.first_name, p.last_name, p.email, p.external_id, p.phone, p.address, p.date_of_birth::text as date_of_birth,
      p.custom_fields, p.anonymised_at is not null as anonymised
    from people p where p.id = any(${idList}) order by p.id for update of p`));
  for (const p of captured) out.set(Number(p.id), emptyCounts());
  if (!captured.length) return out;
  // The row estimates of these statements are far off (arrays, unnest), which makes
  // PostgreSQL compile them with JIT — seconds lost per batch for nothing. Local to the
  // caller's transaction, and put back at the end.
  await tx.execute(sql`set local jit = off`);
  await clearAroundPeople(tx, ids, { counts: out });
  // Every address and number they ever had (SPEC §10), read before the field history
  // that holds the former ones is erased below.
  const s = subjectsOf(captured, await readIdentifierSets(tx, ids, settings));
  const E = textArrayLiteral(s.emails);
  const P = textArrayLiteral(s.phones);
  const subj = sql`select * from unnest(${intArray(s.pids)}, ${E}) as x(pid, email)`;
  const phones = sql`select * from unnest(${intArray(s.phonePids)}, ${P}) as x(pid, digits)`;

  // 2–3. In one statement over the messages (a message both blanked and scrubbed is
  //    written once):
  //    - blanked: every message they sent, every outgoing message to them, every message
  //      whose subject or body mentions their address or phone number;
  //    - scrubbed: their addresses removed from every to/cc/bcc list, the order of the
  //      others kept.
  //    Every lookup is made per subject through a lateral join (`@> array[address]`,
  //    `= address`): a cheap index probe each, and a plan that stays the same for a
  //    batch of one or of 5,000. One `&&` with thousands of addresses is rechecked row
  //    by row against the whole array and, estimated as a large share of the table,
  //    becomes a sequential scan — a minute for 5,000 people instead of a fifth of a
  //    second. The indexed expressions (lethe_mentioned_emails/phones) must stay exactly
  //    as indexed; `offset 0` keeps each lateral lookup a parameterised index probe.
  const probe = (where: SQL) => sql`cross join lateral (select m.id from messages m where ${where} offset 0) m`;
  const blank: SQL[] = [
    sql`select m.id, i.pid from unnest(${idList}) i(pid) ${probe(sql`m.from_person_id = i.pid`)}`,
  ];
  const lists: SQL[] = [];
  // With the setting "redact" (SPEC §10) a message that only mentions them — they
  // neither sent nor received it — is not blanked: each of their addresses and written
  // numbers in its subject and body becomes "[redacted]", the rest kept byte for byte.
  const redactMentions = settings.othersMentions === "redact";
  const mention: SQL[] = [];
  const mentionsOf = (cte: "subjre" | "phonesre", where: SQL) => redactMentions
    ? mention.push(sql`select m.id, s.pid, s.re from ${sql.raw(cte)} s ${probe(where)}`)
    : blank.push(sql`select m.id, s.pid from ${sql.raw(cte)} s ${probe(where)}`);
  if (s.emails.length) {
    blank.push(
      sql`select m.id, s.pid from subj s ${probe(sql`m.sender = s.email`)}`,
      sql`select m.id, s.pid from subj s ${probe(sql`m."to" @> array[s.email] and m.direction = 'outgoing'`)}`,
    );
    mentionsOf("subjre", sql`lethe_mentioned_emails(m.subject, m.body) @> array[s.email]`);
    for (const col of ["to", "cc", "bcc"]) {
      lists.push(sql`select m.id, s.pid, s.email from subj s ${probe(sql`m.${sql.identifier(col)} @> array[s.email]`)}`);
    }
  }
  if (s.phones.length) mentionsOf("phonesre", sql`lethe_mentioned_phones(m.subject, m.body) @> array[s.digits]`);
  if (!lists.length) lists.push(sql`select null::int, null::int, null::text where false`);
  if (!mention.length) mention.push(sql`select null::int, null::int, null::text where false`);
  // An address is replaced wherever verification would find it: not glued to a letter or digit.
  const subjre = sql`select * from unnest(${intArray(s.pids)}, ${E},
    ${textArrayLiteral(s.emails.map((e) => `(?<![[:alnum:]])${literalRegex(e)}(?![[:alnum:]])`))}) as x(pid, email, re)`;
  const phonesre = sql`select * from unnest(${intArray(s.phonePids)}, ${P}, ${textArrayLiteral(s.phones.map((f) => phoneRegex([f])))}) as x(pid, digits, re)`;
  const keep = (col: "to" | "cc" | "bcc") => sql`case when t.emails is null then m.${sql.identifier(col)} else
    array(select a from unnest(m.${sql.identifier(col)}) with ordinality u(a, n) where lower(a) <> all(t.emails) order by n) end`;
  const messageCounts = await tx.execute(sql`
    with subj as (${subj}), phones as (${phones}), subjre as (${subjre}), phonesre as (${phonesre}),
    blank(mid, pid) as (${sql.join(blank, sql` union all `)}),
    lists(id, pid, email) as (${sql.join(lists, sql` union all `)}),
    mention(mid, pid, re) as (${sql.join(mention, sql` union all `)}),
    removal as (select id, array_agg(distinct email) as emails from lists group by id),
    blanked as (select distinct mid as id from blank),
    redaction as (select mid as id, string_agg(distinct re, '|') as re from mention where mid not in (select id from blanked) group by mid),
    targets as (
      select m.id, r.emails, d.re,
        b.id is not null and (m.subject <> '' or m.body <> '' or m.sender is not null or m.ip_address is not null) as blank
      from (select id from blanked union select id from removal union select id from redaction) x
        join messages m on m.id = x.id
        left join blanked b on b.id = x.id
        left join removal r on r.id = x.id
        left join redaction d on d.id = x.id
    ),
    upd as (
      update messages m set
        subject = case when t.blank then '' when t.re is not null then regexp_replace(m.subject, t.re, ${REDACTED}, 'gi') else m.subject end,
        body = case when t.blank then '' when t.re is not null then regexp_replace(m.body, t.re, ${REDACTED}, 'gi') else m.body end,
        sender = case when t.blank then null else m.sender end, ip_address = case when t.blank then null else m.ip_address end,
        "to" = ${keep("to")}, cc = ${keep("cc")}, bcc = ${keep("bcc")}
      from targets t where m.id = t.id and (t.blank or t.emails is not null or t.re is not null)
      returning m.id, t.blank, t.emails is not null as scrubbed, t.re is not null as redacted
    )
    select 'messagesBlanked' as k, b.pid, count(distinct b.mid)::int as n from blank b join upd u on u.id = b.mid where u.blank group by b.pid
    union all
    select 'addressesRemoved', l.pid, count(*)::int from lists l join upd u on u.id = l.id where u.scrubbed group by l.pid
    union all
    select 'mentionsRedacted', d.pid, count(distinct d.mid)::int from mention d join upd u on u.id = d.mid where u.redacted group by d.pid`);
  for (const key of ["messagesBlanked", "addressesRemoved", "mentionsRedacted"] as const) {
    tallyPerPerson(out, key, rows<{ k: string; pid: number; n: number }>(messageCounts).filter((r) => r.k === key));
  }

  // 4. Their tickets keep number, dates and state; the IP addresses go, and a title that
  //    names them (address, phone or full name) is replaced by the ticket's number.
  const names = sql`select * from unnest(${intArray(s.namePids)}, ${textArrayLiteral(s.names)}) as x(pid, name)`;
  const theirTickets = sql`select t.id, t.customer_id, t.title from tickets t where t.customer_id = any(${idList})`;
  tallyPerPerson(out, "ticketsTouched", await tx.execute(sql`
    with names as (${names}), subj as (${subj}), phones as (${phones}), theirs as (${theirTickets}),
    named as (
      select t.id from theirs t join names n on n.pid = t.customer_id where position(n.name in lower(t.title)) > 0
      union select t.id from theirs t join subj s on s.pid = t.customer_id where position(s.email in lower(t.title)) > 0
      union select t.id from theirs t join phones s on s.pid = t.customer_id
        where lethe_mentioned_phones(t.title, '') @> array[s.digits]
    ),
    upd as (
      update tickets t set ip_address = null,
        title = case when t.id in (select id from named) then 'Ticket #' || t.number else t.title end
      where t.customer_id = any(${idList}) and (t.ip_address is not null or t.id in (select id from named))
      returning t.customer_id
    )
    select customer_id as pid, count(*)::int as n from upd group by customer_id`));
  // 4b. Their address or number in what belongs to others — other customers' ticket
  //    titles, other people's custom fields and field history, the subjects of stored
  //    e-mails — is replaced by "[redacted]", the rest of the text kept. Candidates are
  //    found the way the message index finds them (every address and digit form written
  //    in the text), then each value is rewritten once with all patterns that hit it.
  //    Titles, custom fields and field history are probed through their GIN indexes of
  //    mentioned identifiers, one probe per identifier ("offset 0" keeps each probe a
  //    separate index scan); the outbox's subjects are few and read in one pass.
  const patPids: number[] = [];
  const patKeys: string[] = [];
  const patRes: string[] = [];
  s.emails.forEach((e, i) => { patPids.push(s.pids[i]); patKeys.push(e); patRes.push(literalRegex(e)); });
  s.phones.forEach((f, i) => { patPids.push(s.phonePids[i]); patKeys.push(f); patRes.push(phoneRegex([f])); });
  if (patKeys.length) {
    const pats = sql`select * from unnest(${intArray(patPids)}, ${textArrayLiteral(patKeys)}, ${textArrayLiteral(patRes)}) as x(pid, key, re)`;
    const found = (text: SQL) => sql`cross join lateral unnest(lethe_mentioned_emails(${text}, '') || lethe_mentioned_phones(${text}, '')) f(k)
      join pats p on p.key = f.k`;
    const redact = (col: SQL) => sql`regexp_replace(${col}, a.re, ${REDACTED}, 'gi')`;
    const statements: SQL[] = [
      sql`with pats as (${pats}),
        hit as (
          select t.id, p.pid, p.re from pats p
          cross join lateral (
            select t.id, t.customer_id from tickets t
            where (lethe_mentioned_emails(t.title, '') || lethe_mentioned_phones(t.title, '')) @> array[p.key] offset 0
          ) t
          where t.customer_id is null or t.customer_id <> all(${idList})),
        agg as (select id, string_agg(distinct re, '|') as re from hit group by id),
        upd as (update tickets t set title = ${redact(sql`t.title`)} from agg a where t.id = a.id returning t.id)
        select h.pid, count(distinct h.id)::int as n from hit h join upd u on u.id = h.id group by h.pid`,
      sql`with pats as (${pats}),
        hit as (
          select q.id, p.pid, p.re from pats p
          cross join lateral (
            select q.id from people q
            where q.custom_fields <> '{}'::jsonb
              and (lethe_mentioned_emails(q.custom_fields::text, '') || lethe_mentioned_phones(q.custom_fields::text, '')) @> array[p.key] offset 0
          ) q
          where q.id <> all(${idList})),
        agg as (select id, string_agg(distinct re, '|') as re from hit group by id),
        upd as (update people q set custom_fields = ${redact(sql`q.custom_fields::text`)}::jsonb from agg a where q.id = a.id returning q.id)
        select h.pid, count(distinct h.id)::int as n from hit h join upd u on u.id = h.id group by h.pid`,
      sql`with pats as (${pats}),
        hit as (
          select h.id, p.pid, p.re from pats p
          cross join lateral (
            select h.id, h.person_id from field_history h
            where (lethe_mentioned_emails(coalesce(h.old_value, '') || ' ' || coalesce(h.new_value, ''), '')
              || lethe_mentioned_phones(coalesce(h.old_value, '') || ' ' || coalesce(h.new_value, ''), '')) @> array[p.key] offset 0
          ) h
          where h.person_id <> all(${idList})),
        agg as (select id, string_agg(distinct re, '|') as re from hit group by id),
        upd as (update field_history h set old_value = ${redact(sql`h.old_value`)}, new_value = ${redact(sql`h.new_value`)}
          from agg a where h.id = a.id returning h.id)
        select h.pid, count(distinct h.id)::int as n from hit h join upd u on u.id = h.id group by h.pid`,
      sql`with pats as (${pats}),
        hit as (select o.id, p.pid, p.re from outbox_emails o ${found(sql`o.subject`)}),
        agg as (select id, string_agg(distinct re, '|') as re from hit group by id),
        upd as (update outbox_emails o set subject = ${redact(sql`o.subject`)} from agg a where o.id = a.id returning o.id)
        select h.pid, count(distinct h.id)::int as n from hit h join upd u on u.id = h.id group by h.pid`,
    ];
    for (const statement of statements) tallyPerPerson(out, "mentionsRedacted", await tx.execute(statement));
  }

  // "= any(array(...))": the planner cannot guess how many tickets, so it walks the
  // ticket index instead of scanning every message carrying an IP address.
  tallyPerPerson(out, "messageIpsCleared", await tx.execute(sql`
    with upd as (
      update messages m set ip_address = null
      where m.ticket_id = any(array(select id from tickets where customer_id = any(${idList}))) and m.ip_address is not null
      returning m.ticket_id
    )
    select t.customer_id as pid, count(*)::int as n from upd join tickets t on t.id = upd.ticket_id group by t.customer_id`));

  // 5. Stored e-mails are personal data too: any addressed to them, mentioning their
  //    address or phone, or linking to their profile lose their bodies.
  const idText = textArrayLiteral(ids.map(String));
  tallyPerPerson(out, "outboxScrubbed", await tx.execute(sql`
    with subj as (${subj}), phones as (${phones}),
    mail as (
      select o.id, lower(o."to") as rcpt, o.subject || ' ' || coalesce(o.html, '') || ' ' || coalesce(o.text, '') as content
      from outbox_emails o where o.html is not null or o.text is not null or lower(o."to") = any(${E})
    ),
    hit as (
      select m.id, s.pid from mail m join subj s on s.email = m.rcpt
      union select m.id, s.pid from mail m cross join lateral unnest(lethe_mentioned_emails('', m.content)) f(addr) join subj s on s.email = f.addr
      union select m.id, s.pid from mail m cross join lateral unnest(lethe_mentioned_phones('', m.content)) f(digits) join phones s on s.digits = f.digits
      union select m.id, (l[1])::int from mail m cross join lateral regexp_matches(m.content, '/people/([0-9]{1,9})(?![0-9])', 'g') l
        where l[1] = any(${idText})
    ),
    upd as (
      update outbox_emails o set html = null, text = null, body_purged_at = coalesce(o.body_purged_at, ${ts(now)}),
        "to" = case when lower(o."to") = any(${E}) then '' else o."to" end,
        subject = case when lower(o."to") = any(${E}) then '' else o.subject end
      where o.id in (select id from hit)
      returning o.id
    )
    select h.pid, count(distinct h.id)::int as n from hit h join upd u on u.id = h.id group by h.pid`));

  // 6. An account they may still have (without roles, or they would not be eligible)
  //    loses its address and can no longer sign in; sessions, tokens and sign-in
  //    throttling rows keyed by their address go.
  tallyPerPerson(out, "accountsClosed", await tx.execute(sql`
    with upd as (
      update accounts a set email = 'anonymised-' || a.id || '@invalid', password_hash = '!', active = false
      where a.person_id = any(${idList}) and a.email <> 'anonymised-' || a.id || '@invalid'
      returning a.id, a.person_id
    ), s as (delete from sessions where account_id in (select id from upd)),
    t as (delete from api_tokens where account_id in (select id from upd))
    select person_id as pid, count(*)::int as n from upd group by person_id`));
  if (s.emails.length) {
    await tx.execute(sql`delete from sign_in_attempts where key in (select 'email:' || e from unnest(${E}) e)`);
  }

  // 7. Their field history is erased.
  tallyPerPerson(out, "fieldHistory", await tx.execute(sql`
    with del as (delete from field_history where person_id = any(${idList}) returning person_id)
    select person_id as pid, count(*)::int as n from del group by person_id`));

  // 8. Finally the person: names and identifiers removed, the other fields per policy;
  //    organisation, kind, dates and amounts stay for the statistics.
  const values = captured.filter((p) => !p.anonymised).map((p) => ({ id: Number(p.id), ...anonymisedFields(p, settings, pseudonymKey) }));
  if (values.length) {
    tallyPerPerson(out, "person", await tx.execute(sql`
      with upd as (
        update people p set first_name = ${ANONYMIZED_NAME}, last_name = '', email = v.email, external_id = v.external_id,
          phone = v.phone, address = v.address, date_of_birth = v.date_of_birth, custom_fields = coalesce(v.custom_fields, '{}'::jsonb),
          status = 'inactive', anonymised_at = ${ts(now)}, prevented_at = null, prevention_reason = null,
          prevented_by_account_id = null, prevention_expires_at = null, updated_at = ${ts(now)}
        from jsonb_to_recordset(${jsonb(values)}) as v(id int, email text, external_id text, phone text, address text, date_of_birth date, custom_fields jsonb)
        where p.id = v.id and p.anonymised_at is null
        returning p.id
      )
      select id as pid, 1 as n from upd`));
  }
  await tx.execute(sql`set local jit to default`);
  return out;
}

/**
 * The identifiers to verify against after the work (SPEC §4, §10): every e-mail address
 * (and account address), phone number (as digit forms) and external id the person has
 * ever had. Read by the worker before anonymisation or deletion, in the same
 * transaction. A phone that the policy keeps is not listed (it stays by choice); a
 * deletion passes keepPhone: false, since nothing of the person stays.
 */
export async function collectIdentifiers(
  tx: DbOrTx, personIds: number[], opts: { settings: PrivacySettings; keepPhone?: boolean },
): Promise<{ personId: number; values: string[] }[]> {
  const sets = await readIdentifierSets(tx, personIds, opts.settings, { keepPhone: opts.keepPhone });
  return sets.map((set) => ({ personId: set.personId, values: verificationValues(set) }));
}

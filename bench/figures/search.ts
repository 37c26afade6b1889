import { type SQL, sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { textArrayLiteral } from "@/db/sql";
import { phoneSearchKeys, selectPeople, searchPeopleSchema } from "@/lib/people/search";
import { toE164 } from "@/lib/privacy/erasure/written-forms";
import { listTickets, listTicketsSchema } from "@/lib/tickets/queries";
import type { BenchContext } from "../lib/context";
import { medianOf, percentile } from "../lib/measure";
import { pickSearchSample } from "../lib/samples";

// SPEC §9 and §10: search under 50 ms, and it finds the person the way erasure does.
// Lethe's selectPeople (the same call the people page and GET /api/v1/people make: first
// page of 25 and the total) for each kind of term — e-mail, its local part, the phone
// number as stored and in its national and "00" forms, the name as "Last, First" and
// folded, the external id in another case, an IP — beside a hand-written statement
// returning the same page and total with the one indexed lookup the term needs, already
// knowing which kind of term it is. Then the ticket list searched by a phrase of a message
// body (seeded bodies are built from templates, so such a phrase is shared by thousands of
// messages: the worst case), by a name written in a body (a rare phrase) and by a cc
// address, beside the same page by hand. Each is reported as p50 (the
// figure) with its p95 in the note.

const PAGE = sql`
  select p.id, p.first_name, p.last_name, p.email, p.phone, p.external_id, p.kind, p.status,
         o.name as organisation, p.last_activity_at, p.anonymised_at, p.system, count(*) over () as total
  from people p left join organisations o on o.id = p.organisation_id`;
const ORDER = sql`order by lower(p.last_name), lower(p.first_name), p.id limit 25`;

const TICKET_PAGE = sql`
  select t.id, t.number, t.title, t.state, t.created_at, count(*) over () as total
  from tickets t`;
const TICKET_ORDER = sql`order by t.created_at desc, t.id desc limit 25`;

type Term = { kind: string; query: string; baseline: SQL; describe: string };

function escapeLike(value: string) {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A person from the middle of the id range with every identifier, and a message with a cc. */
async function pickTerms(db: Db) {
  const sample = await pickSearchSample(db);
  const [person] = rows<{ id: number; first_name: string; last_name: string; external_id: string }>(await db.execute(sql`
    select id, first_name, last_name, external_id from people where id = ${sample.personId}`));
  const [message] = rows<{ cc: string[]; body: string; name: string | null }>(await db.execute(sql`
    select m.cc, m.body, (select p.first_name || ' ' || p.last_name from people p where p.id = m.from_person_id) as name
    from messages m
    where cardinality(m.cc) > 0 and length(m.body) > 60 and m.id >= (select (min(id) + max(id)) / 2 from messages)
    order by m.id limit 1`));
  return { sample, person, message };
}

async function peopleIds(db: Db, query: string) {
  return (await selectPeople(db, searchPeopleSchema.parse({ query }))).rows.map((r) => Number(r.id));
}

async function ticketIds(db: Db, query: string) {
  return (await listTickets(db, listTicketsSchema.parse({ query }))).rows.map((r) => Number(r.id));
}

async function handWritten(db: Db, statement: SQL) {
  return rows<{ id: number }>(await db.execute(statement)).map((r) => Number(r.id));
}

export async function run(ctx: BenchContext) {
  const db = ctx.db();
  const { sample, person, message } = await pickTerms(db);
  const runs = Math.max(ctx.args.runs, 21);
  const e164 = toE164(sample.phone) ?? sample.phone;
  const national = `0${e164.replace(/^\+49/, "")}`;
  const international00 = e164.replace(/^\+/, "00");
  const local = sample.email.split("@")[0];
  const phoneKeys = phoneSearchKeys(sample.phone, "DE");
  const byPhone = (query: string, describe: string): Term => ({
    kind: `phone, ${describe}`, query, describe: "indexed equality on the stored number's digit key, any of its forms",
    baseline: sql`${PAGE} where regexp_replace(p.phone, '[^0-9+]', '', 'g') = any(${textArrayLiteral(phoneKeys)}) ${ORDER}`,
  });
  const people: Term[] = [
    { kind: "e-mail", query: sample.email, describe: "indexed e-mail equality", baseline: sql`${PAGE} where lower(p.email) = ${sample.email.toLowerCase()} ${ORDER}` },
    { kind: "e-mail local part", query: local, describe: "indexed prefix `local@`", baseline: sql`${PAGE} where lower(p.email) like ${`${escapeLike(local.toLowerCase())}@%`} ${ORDER}` },
    byPhone(sample.phone, "as stored"),
    byPhone(national, "national 0…"),
    byPhone(international00, "00…"),
    {
      kind: "name, \"Last, First\"", query: `${person.last_name}, ${person.first_name}`, describe: "indexed folded prefixes of last and first name",
      baseline: sql`${PAGE} where lethe_fold(p.last_name) like lethe_fold(${escapeLike(person.last_name)}) || '%'
        and lethe_fold(p.first_name) like lethe_fold(${escapeLike(person.first_name)}) || '%' ${ORDER}`,
    },
    {
      kind: "name, folded lower case", query: `${person.first_name} ${person.last_name}`.toLowerCase().replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue"),
      describe: "indexed folded prefixes of first and last name",
      baseline: sql`${PAGE} where lethe_fold(p.first_name) like lethe_fold(${escapeLike(person.first_name)}) || '%'
        and lethe_fold(p.last_name) like lethe_fold(${escapeLike(person.last_name)}) || '%' ${ORDER}`,
    },
    {
      kind: "external id, other case", query: person.external_id.toLowerCase() === person.external_id ? person.external_id.toUpperCase() : person.external_id.toLowerCase(),
      describe: "indexed lower(external_id) equality", baseline: sql`${PAGE} where lower(p.external_id) = ${person.external_id.toLowerCase()} ${ORDER}`,
    },
    {
      kind: "IP", query: sample.ip, describe: "indexed IP lookups on tickets and messages",
      baseline: sql`${PAGE} where p.id in (
        select customer_id from tickets where ip_address = ${sample.ip}
        union all select from_person_id from messages where ip_address = ${sample.ip}) ${ORDER}`,
    },
  ];
  for (const term of people) await measure(ctx, runs, `search by ${term.kind}`, () => peopleIds(db, term.query), () => handWritten(db, term.baseline), term.describe);

  if (!message) return;
  const words = message.body.split(/\s+/).map((w) => w.replace(/[^\p{L}\p{N}@.-]/gu, "")).filter((w) => w.length > 1);
  const phrase = words.slice(Math.min(3, Math.max(0, words.length - 3)), Math.min(3, Math.max(0, words.length - 3)) + 3).join(" ");
  const cc = message.cc[0];
  const nameWords = sql`(plainto_tsquery('simple', lethe_fold(${message.name ?? ""}))::text || ':*')::tsquery`;
  const bodyWords = sql`(plainto_tsquery('simple', lethe_fold(${phrase}))::text || ':*')::tsquery`;
  const tickets: Term[] = [
    {
      kind: "tickets by a phrase of a message body", query: phrase, describe: "the title and message word indexes",
      baseline: sql`${TICKET_PAGE} where t.id in (select ticket_id from messages
        where lethe_message_words(subject, body) @@ ${bodyWords}
        union select id from tickets where to_tsvector('simple', lethe_fold(left(title, 100000))) @@ ${bodyWords}) ${TICKET_ORDER}`,
    },
    ...(message.name && message.body.includes(message.name) ? [{
      kind: "tickets by a name written in a message body", query: message.name, describe: "the title and message word indexes",
      baseline: sql`${TICKET_PAGE} where t.id in (select ticket_id from messages
        where lethe_message_words(subject, body) @@ ${nameWords}
        union select id from tickets where to_tsvector('simple', lethe_fold(left(title, 100000))) @@ ${nameWords}) ${TICKET_ORDER}`,
    }] : []),
    {
      kind: "tickets by a cc address", query: cc, describe: "the GIN index on cc alone",
      baseline: sql`${TICKET_PAGE} where t.id in (select ticket_id from messages where cc @> array[${cc}]::text[]) ${TICKET_ORDER}`,
    },
  ];
  for (const term of tickets) await measure(ctx, runs, `search ${term.kind}`, () => ticketIds(db, term.query), () => handWritten(db, term.baseline), term.describe);
}

async function measure(ctx: BenchContext, runs: number, name: string, lethe: () => Promise<number[]>, hand: () => Promise<number[]>, baseline: string) {
  const mine = await medianOf(runs, lethe);
  const base = await medianOf(runs, hand);
  const same = mine.value.length === base.value.length && mine.value.every((id, i) => id === base.value[i]);
  ctx.record({
    name,
    ms: mine.ms,
    baselineMs: base.ms,
    target: "< 50 ms",
    targetMs: 50,
    baseline: `${baseline}, page + total`,
    note: `p50 of ${runs}; p95 ${percentile(mine.samples, 95).toFixed(1)} ms (hand-written p95 ${percentile(base.samples, 95).toFixed(1)} ms); ${mine.value.length} found${same ? "" : `; the results differ (hand-written found ${base.value.length})`}`,
  });
}

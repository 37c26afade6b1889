import { createHash, randomBytes } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import type { MentionTable } from "@/db/schema";
import { intArray, jsonb } from "@/db/sql";
import { foldWithPositions, fold, words } from "./fold";

// Name mentions (SPEC §10): after an anonymisation or deletion, the subject's name in
// the free text of OTHER people's records — message subjects and bodies, ticket titles,
// people's custom fields, stored e-mails — as "first last" or "last, first", folded for
// case, diacritics and transliteration. The name is read before the work blanks it
// (readSubjectNames, beside the identifier set) and lives only in the worker's memory;
// what is stored is the position of each hit and a salted hash of the text there.
//
// Discovery is set-based: ONE statement per table for every subject finished in a
// worker run, through the full-text indexes over folded text (migrations 0012, 0015),
// which it asks once per name for the rows holding all of that name's words. The index
// narrows the rows; the exact position is then found here, in the folded text whose
// every character maps back to the original (fold.ts), and a row is attributed to the
// subject whose words it holds.

/** A name too short or with one part only would match everywhere: it is not searched. */
export const MIN_NAME_PART_LETTERS = 2;
export const MIN_NAME_LETTERS = 6;

export type SubjectName = { firstName: string; lastName: string };
export type MentionSubject = SubjectName & { taskId: number; personId: number };

export type FoundMention = {
  taskId: number; personId: number; recordTable: MentionTable; recordId: number; field: string;
  start: number; length: number; salt: string; hash: string;
};

const letters = (value: string) => (value.match(/\p{L}/gu) ?? []).length;

/** The two phrases (first + last, last + first) of a searchable name, folded; null for a name not searched. */
export function namePhrases(name: SubjectName): string[][] | null {
  const first = words(fold(name.firstName)).map((w) => w.word);
  const last = words(fold(name.lastName)).map((w) => w.word);
  if (!first.length || !last.length) return null;
  if (letters(name.firstName) < MIN_NAME_PART_LETTERS || letters(name.lastName) < MIN_NAME_PART_LETTERS) return null;
  if (letters(name.firstName) + letters(name.lastName) < MIN_NAME_LETTERS) return null;
  return [[...first, ...last], [...last, ...first]];
}

/** The salted hash that tells whether the text at a hit's position is still what was found. */
export function mentionHash(salt: string, text: string) {
  return createHash("sha256").update(salt).update("\u0000").update(text).digest("hex");
}

/** Names of the given people, as they are now: read before the work blanks them. */
export async function readSubjectNames(tx: DbOrTx, personIds: number[]): Promise<Map<number, SubjectName>> {
  if (!personIds.length) return new Map();
  const found = rows<{ id: number; first_name: string; last_name: string }>(await tx.execute(sql`
    select id, first_name, last_name from people where id = any(${intArray(personIds)})`));
  return new Map(found.map((r) => [Number(r.id), { firstName: r.first_name, lastName: r.last_name }]));
}

type Phrase = { subject: MentionSubject; words: string[] };
// Between two words of a name: spaces, a comma ("Müller, Jürgen"), a hyphen of a double
// name, or an apostrophe within one ("O'Brien").
const GAP = /^[\s,'’-]{1,3}$/u;

/** The key of a phrase's first two words (every phrase has two or more: first and last name). */
const firstTwo = (a: string, b: string) => `${a}\u0000${b}`;

/**
 * The phrases by their first two words. By the first word alone, a first name shared by
 * hundreds of the subjects (an annual run's thousands) had each of its occurrences in
 * the found texts tried against every one of their phrases: work that grew with the
 * square of the number of subjects.
 */
function byFirstWords(phrases: Phrase[]) {
  const out = new Map<string, Phrase[]>();
  for (const p of phrases) {
    const key = firstTwo(p.words[0], p.words[1]);
    const list = out.get(key);
    if (list) list.push(p);
    else out.set(key, [p]);
  }
  return out;
}

/** Every hit of any phrase in one text: positions in the original text. */
export function findInText(value: string, byFirstWords: Map<string, Phrase[]>): { phrase: Phrase; start: number; length: number; text: string }[] {
  const folded = foldWithPositions(value);
  const ws = words(folded.text);
  const out: { phrase: Phrase; start: number; length: number; text: string }[] = [];
  for (let i = 0; i + 1 < ws.length; i++) {
    for (const phrase of byFirstWords.get(firstTwo(ws[i].word, ws[i + 1].word)) ?? []) {
      const n = phrase.words.length;
      if (i + n > ws.length) continue;
      let ok = true;
      for (let k = 1; k < n && ok; k++) {
        ok = ws[i + k].word === phrase.words[k] && GAP.test(folded.text.slice(ws[i + k - 1].end, ws[i + k].start));
      }
      // A double-barrelled name goes on: "Müller-Lüdenscheidt" is not "Müller".
      if (!ok || /^-[\p{L}\p{N}]/u.test(folded.text.slice(ws[i + n - 1].end, ws[i + n - 1].end + 2))
        || /[\p{L}\p{N}]-$/u.test(folded.text.slice(Math.max(0, ws[i].start - 2), ws[i].start))) continue;
      const start = folded.from[ws[i].start];
      const end = folded.to[ws[i + n - 1].end - 1];
      out.push({ phrase, start, length: end - start, text: value.slice(start, end) });
    }
  }
  return out;
}

const quoted = (w: string) => `'${w.replace(/'/g, "''")}'`;

/**
 * Every name to look up once: the AND of its words (both orders hold the same words),
 * with the subjects who bear it (two subjects may share a name).
 */
export function nameQueries(subjects: MentionSubject[]): { q: string; ids: number[] }[] {
  const byQuery = new Map<string, Set<number>>();
  for (const subject of subjects) {
    const phrases = namePhrases(subject);
    if (!phrases) continue;
    const q = [...new Set(phrases[0])].sort().map(quoted).join(" & ");
    byQuery.set(q, (byQuery.get(q) ?? new Set()).add(subject.personId));
  }
  return [...byQuery].map(([q, ids]) => ({ q, ids: [...ids] }));
}

type Probe = { table: string; vector: SQL; columns: SQL; owner?: SQL };

/**
 * The rows of one table that hold every word of at least one name, in ONE statement: a
 * lateral join probes the word index once per name. An AND of two or three words is a
 * cheap GIN lookup (its rarest word leads), where one OR of thousands of names made the
 * index evaluate the whole query for every row holding any of the words. `owner` is the
 * person whose own record the row is: a row found only by that person's own name is not
 * fetched (below it would be skipped anyway).
 */
function probe(tx: DbOrTx, names: SQL, { table, vector, columns, owner }: Probe, extra = sql``) {
  const own = owner ? sql` and exists (select 1 from unnest(n.ids) s where ${owner})` : sql``;
  return tx.execute(sql`
    with names as materialized (select to_tsquery('simple', n.q) as q, n.ids from jsonb_to_recordset(${names}) as n(q text, ids int[])),
    found as materialized (
      select distinct r.id from names n cross join lateral (
        select r.id from ${sql.raw(table)} r where ${vector} @@ n.q${own}) r)
    select ${columns} from ${sql.raw(table)} r ${extra} where r.id = any(array(select id from found))`);
}

/**
 * Finds the names of the given subjects in other people's records: four statements
 * (messages, tickets, people, outbox e-mails), whatever the number of subjects.
 */
export async function discoverNameMentions(db: DbOrTx, subjects: MentionSubject[]): Promise<FoundMention[]> {
  const phrases: Phrase[] = [];
  for (const subject of subjects) for (const p of namePhrases(subject) ?? []) phrases.push({ subject, words: p });
  if (!phrases.length) return [];
  const index = byFirstWords(phrases);
  const names = jsonb(nameQueries(subjects));
  // What the subjects sent was blanked by their own erasure: not looked at again.
  const subjectIds = new Set(subjects.map((s) => s.personId));
  const vector = (expr: SQL) => sql`to_tsvector('simple'::regconfig, lethe_fold(left(${expr}, 100000)))`;

  const [messages, tickets, people, outbox] = await db.transaction(async (tx) => {
    // Planned for thousands of probes of a few thousand rows each, every statement would
    // otherwise be compiled by JIT first (~0.4 s) for lookups that take milliseconds.
    await tx.execute(sql`select set_config('jit', 'off', true)`);
    return [
      rows<{ id: number; subject: string; body: string; from_person_id: number | null; customer_id: number | null }>(await probe(tx, names, {
        table: "messages", vector: sql`lethe_message_words(r.subject, r.body)`,
        columns: sql`r.id, r.subject, r.body, r.from_person_id, t.customer_id`,
        owner: sql`s is distinct from r.from_person_id and s is distinct from (select customer_id from tickets where id = r.ticket_id)`,
      }, sql`join tickets t on t.id = r.ticket_id`)),
      rows<{ id: number; title: string; customer_id: number | null }>(await probe(tx, names, {
        table: "tickets", vector: vector(sql`r.title`), columns: sql`r.id, r.title, r.customer_id`,
        owner: sql`s is distinct from r.customer_id`,
      })),
      rows<{ id: number; custom_fields: Record<string, unknown> }>(await probe(tx, names, {
        table: "people", vector: vector(sql`r.custom_fields::text`), columns: sql`r.id, r.custom_fields`, owner: sql`s <> r.id`,
      })),
      rows<{ id: number; subject: string; text: string | null }>(await probe(tx, names, {
        table: "outbox_emails", vector: vector(sql`r.subject || ' ' || coalesce(r.text, '')`), columns: sql`r.id, r.subject, r.text`,
      })),
    ] as const;
  });

  const found: FoundMention[] = [];
  const add = (recordTable: MentionTable, recordId: number, field: string, value: unknown, notOf: (personId: number) => boolean) => {
    if (typeof value !== "string" || !value) return;
    for (const hit of findInText(value, index)) {
      if (!notOf(hit.phrase.subject.personId)) continue;
      const salt = randomBytes(16).toString("hex");
      found.push({
        taskId: hit.phrase.subject.taskId, personId: hit.phrase.subject.personId, recordTable, recordId: Number(recordId), field,
        start: hit.start, length: hit.length, salt, hash: mentionHash(salt, hit.text),
      });
    }
  };
  // The subject's own records are not "other people's": they were erased by the task itself.
  for (const m of messages) {
    if (m.from_person_id !== null && subjectIds.has(Number(m.from_person_id))) continue;
    const other = (p: number) => m.from_person_id !== p && m.customer_id !== p;
    add("messages", m.id, "subject", m.subject, other);
    add("messages", m.id, "body", m.body, other);
  }
  for (const t of tickets) add("tickets", t.id, "title", t.title, (p) => t.customer_id !== p);
  for (const p of people) {
    for (const [key, value] of Object.entries(p.custom_fields ?? {})) add("people", p.id, `customFields.${key}`, value, (s) => Number(p.id) !== s);
  }
  for (const o of outbox) {
    add("outbox_emails", o.id, "subject", o.subject, () => true);
    add("outbox_emails", o.id, "text", o.text, () => true);
  }
  return found;
}

/** Stores the hits of the tasks that were completed: one insert for all of them. */
export async function insertNameMentions(tx: DbOrTx, found: FoundMention[], taskIds: number[]) {
  const done = new Set(taskIds);
  const items = found.filter((f) => done.has(f.taskId)).map(({ personId: _, ...f }) => f);
  if (!items.length) return 0;
  await tx.execute(sql`
    insert into name_mentions (task_id, record_table, record_id, field, start, length, salt, hash)
    select v."taskId", v."recordTable", v."recordId", v.field, v.start, v.length, v.salt, v.hash
    from jsonb_to_recordset(${jsonb(items)}) as v("taskId" int, "recordTable" text, "recordId" int, field text, start int, length int, salt text, hash text)`);
  return items.length;
}

/** Hits per task, for the verification report. */
export function countByTask(found: FoundMention[]) {
  const out = new Map<number, number>();
  for (const f of found) out.set(f.taskId, (out.get(f.taskId) ?? 0) + 1);
  return out;
}

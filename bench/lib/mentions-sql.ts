import { type SQL, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { jsonb } from "@/db/sql";
import { type MentionSubject, namePhrases } from "@/lib/privacy/mentions/discover";

// The name-mention search of one worker run as a careful hand would write it in SQL: per
// table ONE statement that probes the word index once per name (the AND of its words, which
// GIN answers alone), leaves out each subject's own records and whatever the run's subjects
// sent, and only then checks the name as a phrase in either order ("first <-> last |
// last <-> first") on the rows left, computing their words once more (a phrase in the index
// condition would make PostgreSQL recheck every row the words find, the subjects' own
// included). It answers which records of other people name which subject; it does not say
// where in the text (Lethe's discovery does, in Node).

const phraseQuery = (subject: MentionSubject) =>
  namePhrases(subject)!.map((words) => `(${words.map((w) => `'${w.replace(/'/g, "''")}'`).join(" <-> ")})`).join(" | ");

/** The (record, subject) pairs found in each table. */
export async function countNameMentionsBySql(tx: DbOrTx, subjects: MentionSubject[]) {
  const byQuery = new Map<string, { and: string; ids: number[] }>();
  for (const s of subjects) {
    const phrases = namePhrases(s);
    if (!phrases) continue;
    const q = phraseQuery(s);
    const and = [...new Set(phrases[0])].sort().map((w) => `'${w.replace(/'/g, "''")}'`).join(" & ");
    byQuery.set(q, { and, ids: [...(byQuery.get(q)?.ids ?? []), s.personId] });
  }
  const names = jsonb([...byQuery].map(([q, { and, ids }]) => ({ q, w: and, ids })));
  const folded = (expr: SQL) => sql`to_tsvector('simple'::regconfig, lethe_fold(left(${expr}, 100000)))`;
  const count = async (table: string, words: (alias: string) => SQL, other: SQL) => Number(rows<{ n: number }>(await tx.execute(sql`
    with names as materialized (
      select to_tsquery('simple', n.w) as words, to_tsquery('simple', n.q) as phrase, n.ids
      from jsonb_to_recordset(${names}) as n(q text, w text, ids int[])),
    run as materialized (select distinct unnest(ids) as id from names)
    select count(*)::int as n from (
      select distinct x.id, x.person_id from names n cross join lateral (
        select r.*, s.id as person_id from ${sql.raw(table)} r cross join unnest(n.ids) s(id)
        where ${words("r")} @@ n.words and ${other} offset 0) x
      where ${words("x")} @@ n.phrase) y`))[0].n);
  return {
    messages: await count("messages", (a) => sql`lethe_message_words(${sql.raw(a)}.subject, ${sql.raw(a)}.body)`, sql`r.from_person_id is distinct from s.id
      and (select customer_id from tickets t where t.id = r.ticket_id) is distinct from s.id
      and not exists (select 1 from run where run.id = r.from_person_id)`),
    tickets: await count("tickets", (a) => folded(sql`${sql.raw(a)}.title`), sql`r.customer_id is distinct from s.id`),
    people: await count("people", (a) => folded(sql`${sql.raw(a)}.custom_fields::text`), sql`r.id <> s.id`),
    outbox: await count("outbox_emails", (a) => folded(sql`${sql.raw(a)}.subject || ' ' || coalesce(${sql.raw(a)}.text, '')`), sql`true`),
  };
}

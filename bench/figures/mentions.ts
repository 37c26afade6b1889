import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { discoverNameMentions, namePhrases } from "@/lib/privacy/mentions/discover";
import type { BenchContext } from "../lib/context";
import { medianOf, timeOnce } from "../lib/measure";

// Name mentions (issue 12): finding many subjects' names in every other person's free
// text after one worker run — Lethe's four statements through the word indexes over
// folded text (migrations 0012, 0015), beside the same search by hand: one sequential
// scan per table computing every row's folded words. Read-only: discovery writes
// nothing, so it runs on the seeded database. The note gives the size of the word
// indexes and what building them costs.
// (A regular expression of every phrase, the obvious hand-written search, takes minutes
// per table at 5,000 people with 1,000 subjects; the baseline is the same tsquery with
// the indexes switched off, so the ratio is what the indexes save.)

// The annual run's size: the customers and members past every limit are about 29 % of the
// seeded people; the worker discovers after each run of at most 5,000 subjects, so the
// figure does the same, chunk by chunk (a fifth of the people below 5,000).
const SHARE = 0.29;
const WORKER_RUN = 5000;

export async function run(ctx: BenchContext) {
  const db = ctx.db();
  const wanted = ctx.args.people < 5000 ? Math.max(10, Math.floor(ctx.args.people / 5)) : Math.round(ctx.args.people * SHARE);
  const people = rows<{ id: number; first_name: string; last_name: string }>(await db.execute(sql`
    select id, first_name, last_name from people where kind in ('customer', 'member', 'student') and not system order by id limit ${wanted}`));
  const subjects = people.map((p, i) => ({ taskId: i + 1, personId: Number(p.id), firstName: p.first_name, lastName: p.last_name }))
    .filter((s) => namePhrases(s));
  const chunks: (typeof subjects)[] = [];
  for (let i = 0; i < subjects.length; i += WORKER_RUN) chunks.push(subjects.slice(i, i + WORKER_RUN));
  const vector = (expr: ReturnType<typeof sql>) => sql`to_tsvector('simple'::regconfig, lethe_fold(left(${expr}, 100000)))`;
  // The same question without the indexes, per worker run: every row's folded words computed and matched.
  const byHandChunk = (chunk: typeof subjects) => db.transaction(async (tx) => {
    // The same question as Lethe's: every name's words, then the same rows.
    const query = [...new Set(chunk.map((s) => `(${[...new Set(namePhrases(s)![0])].sort().map((x) => `'${x}'`).join(" & ")})`))].join(" | ");
    const ids = sql.raw(`'{${chunk.map((s) => s.personId).join(",")}}'::int[]`);
    await tx.execute(sql`set local enable_bitmapscan = off`);
    await tx.execute(sql`set local enable_indexscan = off`);
    const q = sql`to_tsquery('simple', ${query})`;
    let n = 0;
    for (const statement of [
      sql`select count(*) as n from messages m join tickets t on t.id = m.ticket_id where ${vector(sql`m.subject || ' ' || m.body`)} @@ ${q} and coalesce(m.from_person_id, 0) <> all(${ids})`,
      sql`select count(*) as n from tickets where ${vector(sql`title`)} @@ ${q}`,
      sql`select count(*) as n from people where ${vector(sql`custom_fields::text`)} @@ ${q}`,
      sql`select count(*) as n from outbox_emails where ${vector(sql`subject || ' ' || coalesce(text, '')`)} @@ ${q}`,
    ]) n += Number(rows<{ n: number }>(await tx.execute(statement))[0].n);
    return n;
  });
  const mineAll = async () => {
    let found = 0;
    for (const chunk of chunks) found += (await discoverNameMentions(db, chunk)).length;
    return found;
  };
  const byHand = async () => {
    let n = 0;
    for (const chunk of chunks) n += await byHandChunk(chunk);
    return n;
  };
  const runs = Math.min(ctx.args.runs, 3);
  const mine = await medianOf(runs, mineAll);
  const base = await medianOf(runs, byHand);
  const [sizes] = rows<{ words: string; total: string }>(await db.execute(sql`
    select pg_size_pretty(pg_relation_size('messages_words_idx')) as words,
      pg_size_pretty(pg_relation_size('tickets_title_words_idx') + pg_relation_size('people_custom_fields_words_idx')
        + pg_relation_size('outbox_emails_words_idx')) as total`));
  // What the indexes cost to keep up: building the one over message text again, on a copy.
  const build = await ctx.withCopy("mentions", async (copy) => (await timeOnce(() => copy.execute(sql`reindex index messages_words_idx`))).ms);
  ctx.record({
    name: `name mentions of ${subjects.length.toLocaleString("en")} subjects in other people's text`,
    target: "within 1.5× of the hand-written search and under 60 s at 100,000 people",
    ms: mine.ms,
    baselineMs: base.ms,
    baseline: "the same four statements with index scans switched off: every row's folded words computed and matched",
    note: `${chunks.length} worker run(s) of at most ${WORKER_RUN.toLocaleString("en")}; hits: Lethe ${mine.value} places, by hand ${base.value} rows (the same rows before Node finds positions); messages word index ${sizes.words}, the three others ${sizes.total}; `
      + `rebuilding the message word index ${Math.round(build ?? 0)} ms; median of ${runs}`,
  });
}

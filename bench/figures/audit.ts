import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/db/seed/demo-people";
import { type AuditInput, recordAudits } from "@/lib/audit";
import { verifyAuditChain } from "@/lib/audit/chain";
import { selectAuditEntries } from "@/lib/audit/queries";
import type { BenchContext } from "../lib/context";
import { fetchPage, load, signIn } from "../lib/http-load";
import { medianOf, timeOnce } from "../lib/measure";
import { buildApp, serverEnv, startServer } from "../lib/next-server";

// Issue 11, the audit log's figures, on a copy of the seeded database (sizes below):
//   1. appending 100,000 entries through recordAudits (one statement; the trigger numbers,
//      hashes and links every row under the chain's lock), set against a plain INSERT of
//      the same rows into a copy of the table without the chain (same columns and indexes);
//   2. verifying a chain of 1,000,000 entries (verifyAuditChain, what `npm run
//      audit:verify` runs, in batches of 5,000), set against one sequential scan of the
//      table (count(*) over every row);
//   3. the audit page filtered by one subject on those 1,000,000 entries: the page's
//      query (selectAuditEntries: page of 50 + count) against the hand-written SQL, and,
//      unless --no-http, GET /privacy/audit?subject=… 50 at a time (p95) against GET /login.

// The issue's sizes; a small run (fewer than 20,000 people seeded: the scripts' test) takes a tenth.
const FULL = { append: 100_000, chain: 1_000_000 };
const sizes = (people: number) => (people >= 20_000 ? FULL : { append: FULL.append / 10, chain: FULL.chain / 10 });
const CONCURRENCY = 50;
const ROUNDS = 5;
const ACTIONS = ["person.rectified", "person.prevention_set", "privacy_task.created", "privacy_task.completed", "person.exported", "tickets.exported"];

export async function run(ctx: BenchContext) {
  const { append: APPEND, chain: CHAIN } = sizes(ctx.args.people);
  await ctx.withCopy("audit", async (db, name) => {
    const [{ people }] = rows<{ people: number }>(await db.execute(sql`select count(*)::int as people from people`));
    const entries: AuditInput[] = Array.from({ length: APPEND }, (_, i) => ({
      actorAccountId: null, action: ACTIONS[i % ACTIONS.length], targetType: i % 3 === 0 ? "privacy_task" : "person",
      targetId: (i % people) + 1, details: { subjectPersonId: (i % people) + 1, subjectLabel: "A**a B***r", n: i },
    }));
    await db.execute(sql`create table audit_plain (like audit_entries including all)`);
    const plain = await timeOnce(() => db.execute(sql`
      insert into audit_plain (actor_account_id, action, target_type, target_id, details)
      select v.actor, v.action, v.type, v.target, v.details
      from rows from (jsonb_to_recordset(${JSON.stringify(entries.map((e) => ({ actor: e.actorAccountId, action: e.action, type: e.targetType, target: e.targetId, details: e.details })))}::jsonb)
        as (actor int, action text, type text, target int, details jsonb)) with ordinality as v(actor, action, type, target, details, n)
      order by v.n`));
    const chained = await timeOnce(() => db.transaction((tx) => recordAudits(tx, entries)));
    await db.execute(sql`drop table audit_plain`);
    ctx.record({
      name: `append ${APPEND.toLocaleString("en")} audit entries (hash chain)`,
      ms: chained.ms,
      baselineMs: plain.ms,
      baseline: "the same rows by one plain INSERT … SELECT into a copy of the table without the chain's trigger",
      note: "recordAudits: one statement; each row numbered, SHA-256-hashed over its canonical content and linked to the previous under the chain's lock",
    });

    // Up to a million entries, written as the worker writes them (INSERT … SELECT).
    const [{ have }] = rows<{ have: number }>(await db.execute(sql`select count(*)::int as have from audit_entries`));
    const fill = await timeOnce(() => db.execute(sql`
      insert into audit_entries (actor_account_id, action, target_type, target_id, details)
      select null, (${`{${ACTIONS.join(",")}}`}::text[])[1 + g % ${ACTIONS.length}::int], case when g % 3 = 0 then 'privacy_task' else 'person' end,
        g % ${people}::int + 1, jsonb_build_object('subjectPersonId', g % ${people}::int + 1, 'n', g)
      from generate_series(1, ${Math.max(0, CHAIN - have)}::int) g`));
    await db.execute(sql`vacuum analyze audit_entries`);
    const [{ total }] = rows<{ total: number }>(await db.execute(sql`select count(*)::int as total from audit_entries`));
    const runs = Math.min(ctx.args.runs, 3);
    const verified = await medianOf(runs, () => verifyAuditChain(db), 0);
    if (!verified.value.intact) throw new Error(`the bench chain does not verify: ${JSON.stringify(verified.value)}`);
    const scan = await medianOf(runs, () => db.execute(sql`select count(*) from audit_entries`), 0);
    ctx.record({
      name: `audit:verify over ${total.toLocaleString("en")} entries`,
      ms: verified.ms,
      baselineMs: scan.ms,
      baseline: "select count(*) from audit_entries: one sequential scan of the same rows",
      note: `batches of 5,000 by id, each entry's hash recomputed in SQL and its link checked; median of ${runs}. Writing the ${(total - have).toLocaleString("en")} filler entries through the chain took ${(fill.ms / 1000).toFixed(1)} s`,
    });

    // The page filtered by a subject: a person with their tasks.
    const subject = Math.max(1, Math.floor(people / 2));
    const page = await medianOf(ctx.args.runs, () => selectAuditEntries(db, { subject: String(subject) }));
    const hand = await medianOf(ctx.args.runs, () => Promise.all([
      db.execute(sql`
        select a.*, ac.email from audit_entries a left join accounts ac on ac.id = a.actor_account_id
        where (a.target_type = 'person' and a.target_id = ${subject}::int) or a.details ->> 'subjectPersonId' = ${String(subject)}
        order by a.id desc limit 50`),
      db.execute(sql`select count(*) from audit_entries a
        where (a.target_type = 'person' and a.target_id = ${subject}::int) or a.details ->> 'subjectPersonId' = ${String(subject)}`),
    ]));
    ctx.record({
      name: `audit log filtered by subject, ${total.toLocaleString("en")} entries (query only)`,
      ms: page.ms,
      baselineMs: hand.ms,
      baseline: "the same page of 50 + count by hand-written SQL",
      note: `${page.value.total.toLocaleString("en")} entries about person #${subject}; median of ${ctx.args.runs}`,
    });

    if (!ctx.args.http) {
      ctx.skip("GET /privacy/audit filtered by subject under load", "skipped with --no-http");
      return;
    }
    const env = serverEnv(ctx.dbs.url(name), ctx.args.port);
    const built = await timeOnce(async () => buildApp(env, { reuse: ctx.args.reuseBuild, log: (l) => ctx.log(l) }));
    ctx.log(`app: ${built.value} (${(built.ms / 1000).toFixed(0)} s)`);
    const server = await startServer(env, ctx.args.port);
    try {
      const admin = DEMO_ACCOUNTS.find((a) => a.role === "Admin")!;
      const cookie = await signIn(server.url, admin.email, DEMO_PASSWORD);
      const url = `${server.url}/privacy/audit?subject=${subject}`;
      if (!(await fetchPage(url, cookie)).includes('aria-label="Audit entries"')) throw new Error("GET /privacy/audit did not return the audit table");
      const getAudit = () => fetchPage(url, cookie);
      const getLogin = () => fetchPage(`${server.url}/login`);
      await load(1, CONCURRENCY, getAudit);
      await load(1, CONCURRENCY, getLogin);
      const audit = await load(ROUNDS, CONCURRENCY, getAudit);
      const login = await load(ROUNDS, CONCURRENCY, getLogin);
      ctx.record({
        name: `GET /privacy/audit filtered by subject p95, ${CONCURRENCY} concurrent, ${total.toLocaleString("en")} entries`,
        ms: audit.p95,
        baselineMs: login.p95,
        baseline: `GET /login p95 under the same load: the framework's floor (no database)`,
        note: `${ROUNDS}×${CONCURRENCY} signed-in requests to next start, p50 ${audit.p50.toFixed(0)} ms, max ${audit.max.toFixed(0)} ms; built from ${built.value}`,
      });
    } finally {
      await server.stop();
    }
  });
}

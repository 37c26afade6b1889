import { sql } from "drizzle-orm";
import { type Db, rows } from "@/db/client";
import { DEMO_ACCOUNTS, DEMO_HEAVY_CUSTOMER, FIRST_GENERATED_PERSON_ID } from "@/db/seed/demo-people";
import { runOperation } from "@/lib/operation";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { runWorker } from "@/lib/privacy/worker/worker";
import { deleteCascadeByHand } from "../lib/cascade";
import { type BenchContext, TimeLimitError } from "../lib/context";
import { compareFingerprints, fingerprint } from "../lib/fingerprint";
import { timeOnce } from "../lib/measure";
import { runDeletionSteps } from "../lib/worker-steps";

// SPEC §9 / issue 4: delete the heavy customer (people/20 tickets: 5,000 at 100k) through
// a deletion task and the worker — under 1 s for the deletion, under 15 s end to end with
// verification — and 1,000 customers queued at once, processed by one worker run.
// Baseline: the hand-written cascade (lib/cascade.ts) on another copy of the same data.

const MANY = 1000;

async function pickCustomers(db: Db) {
  return rows<{ id: number }>(await db.execute(sql`
    select p.id from people p
    where p.kind = 'customer' and not p.system and p.id >= ${FIRST_GENERATED_PERSON_ID} and p.id <> ${DEMO_HEAVY_CUSTOMER.id}
      and p.anonymised_at is null and not exists (select 1 from accounts a where a.person_id = p.id)
    order by md5(p.id::text) limit ${MANY}`)).map((r) => Number(r.id));
}

async function queueDeletions(db: Db, personIds: number[]) {
  const [admin] = rows<{ id: number }>(await db.execute(sql`select id from accounts where email = ${DEMO_ACCOUNTS[0].email}`));
  for (const personId of personIds) {
    // Overrides open loans or debt, and a hold, as an administrator would with a reason.
    const input = { personId, confirm: "DELETE", overrideReason: "Benchmark deletion", holdOverrideReason: "Benchmark deletion" };
    const result = await runOperation(createDeletionTask, { db, accountId: admin.id, input });
    if (!result.ok) throw new Error(`createDeletionTask(${personId}): ${result.code} ${result.message}`);
  }
}

async function heavySize(db: Db) {
  const [size] = rows<{ tickets: number; messages: number }>(await db.execute(sql`
    select count(distinct t.id)::int as tickets, count(m.id)::int as messages
    from tickets t left join messages m on m.ticket_id = t.id where t.customer_id = ${DEMO_HEAVY_CUSTOMER.id}`));
  return { tickets: Number(size.tickets), messages: Number(size.messages) };
}

export async function run(ctx: BenchContext) {
  const manyIds = await pickCustomers(ctx.db());
  const size = await heavySize(ctx.db());
  const label = `delete 1 person with ${size.tickets.toLocaleString("en")} tickets`;

  // The result of each step is kept to compare with Lethe's on the other copy.
  const baseline = await ctx.withCopy("del_sql", async (db) => {
    const heavy = await timeOnce(() => deleteCascadeByHand(db, [DEMO_HEAVY_CUSTOMER.id]));
    const heavyData = await fingerprint(db);
    const many = await timeOnce(() => deleteCascadeByHand(db, manyIds));
    return { heavy, heavyData, many, manyData: await fingerprint(db) };
  });

  let heavyDone = false;
  await ctx.withCopy("del", async (db) => {
    const queued = await timeOnce(() => queueDeletions(db, [DEMO_HEAVY_CUSTOMER.id]));
    const steps = await runDeletionSteps(db, "bench-delete");
    const [task] = rows<{ status: string; found: number | null }>(await db.execute(sql`
      select status::text as status, (verification->>'found')::int as found from privacy_tasks where id = ${steps.taskId}`));
    const outcome = `task ${task.status}, residue found: ${task.found ?? "not verified"}; ${compareFingerprints(await fingerprint(db), baseline.heavyData)}`;
    ctx.record({
      name: `${label}: deletion`,
      ms: steps.deletionMs,
      baselineMs: baseline.heavy.ms,
      target: "< 1 s",
      targetMs: 1000,
      baseline: "hand-written set-based cascade in one transaction",
      note: `${size.messages.toLocaleString("en")} messages; ${steps.batches} transactions of up to 500 tickets, the last with the final work; ${outcome}`,
    });
    const e2e = queued.ms + steps.deletionMs + steps.verificationMs;
    ctx.record({
      name: `${label}: end to end`,
      ms: e2e,
      baselineMs: baseline.heavy.ms,
      target: "< 15 s",
      targetMs: 15_000,
      note: `queue ${queued.ms.toFixed(0)} ms + deletion ${steps.deletionMs.toFixed(0)} ms + verification and completion ${steps.verificationMs.toFixed(0)} ms`,
    });

    heavyDone = true;
    const queuedMany = await timeOnce(() => queueDeletions(db, manyIds));
    const worker = await timeOnce(() => runWorker(db, { workerId: "bench-delete-many" }));
    const [done] = rows<{ completed: number; clean: number }>(await db.execute(sql`
      select count(*) filter (where status = 'completed')::int as completed,
             count(*) filter (where (verification->>'found')::int = 0)::int as clean
      from privacy_tasks where subject_person_id = any(${`{${manyIds.join(",")}}`}::int[])`));
    const same = compareFingerprints(await fingerprint(db), baseline.manyData);
    const perMinute = Math.round((MANY / worker.ms) * 60_000);
    ctx.record({
      name: `delete ${MANY.toLocaleString("en")} customers queued at once`,
      ms: worker.ms,
      baselineMs: baseline.many.ms,
      target: "≤ 3× hand-written SQL",
      targetRatio: 3,
      baseline: `hand-written cascade for all ${MANY.toLocaleString("en")} in one transaction`,
      note: `one worker run: ${perMinute.toLocaleString("en")} tasks/minute; ${done.completed} completed, ${done.clean} verified clean; queueing them (one createDeletionTask each) took ${(queuedMany.ms / 1000).toFixed(1)} s; ${same}`,
    });
  }).catch((error) => {
    if (!(error instanceof TimeLimitError) || !heavyDone) throw error;
    ctx.record({
      name: `delete ${MANY.toLocaleString("en")} customers queued at once`,
      ms: error.limitMs,
      lowerBound: true,
      baselineMs: baseline.many.ms,
      baseline: `hand-written cascade for all ${MANY.toLocaleString("en")} in one transaction`,
      note: `the worker run ${error.message}`,
    });
  });

  // The same 1,000 as before deletion groups existed: one task after the other.
  await ctx.withCopy("del_one", async (db) => {
    // From the same data as the timed run above: the heavy customer deleted first.
    await queueDeletions(db, [DEMO_HEAVY_CUSTOMER.id]);
    await runWorker(db, { workerId: "bench-delete-heavy" });
    await queueDeletions(db, manyIds);
    const alone = await timeOnce(() => runWorker(db, { workerId: "bench-delete-alone", deletionGroups: false }));
    ctx.record({
      name: `delete ${MANY.toLocaleString("en")} customers queued at once, one task at a time`,
      ms: alone.ms,
      baselineMs: baseline.many.ms,
      baseline: `hand-written cascade for all ${MANY.toLocaleString("en")} in one transaction`,
      note: `the worker without deletion groups (deletionGroups: false), for comparison; ${alone.value.completed} completed; ${compareFingerprints(await fingerprint(db), baseline.manyData)}`,
    });
  }).catch((error) => {
    if (!(error instanceof TimeLimitError)) throw error;
    ctx.record({
      name: `delete ${MANY.toLocaleString("en")} customers queued at once, one task at a time`,
      ms: error.limitMs, lowerBound: true, baselineMs: baseline.many.ms, note: `the worker without deletion groups ${error.message}`,
    });
  });
}

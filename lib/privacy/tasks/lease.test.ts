import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { privacyTasks } from "@/db/schema";
import { runOperation } from "@/lib/operation";
import { claimTasks, createWorkerContext, runWorker } from "@/lib/privacy/worker/worker";
import { onPostgres, useTestDatabase } from "@/test/db";
import { createPerson, createRoleAccounts, getTask } from "@/test/fixtures";
import { renewLeases, startHeartbeat } from "./lease";
import { createAnonymisationTask } from "./tasks";

// Short leases kept alive by a heartbeat: a living worker keeps its tasks however long
// it works on them, a killed one loses them one lease later, to the next cron call.

const handle = await useTestDatabase();
const { db } = handle;
let superUser: number;
beforeAll(async () => {
  superUser = (await createRoleAccounts(db)).SuperUser.account.id;
  await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
});

async function queuedTask() {
  const person = await createPerson(db);
  const created = await runOperation(createAnonymisationTask, { db, accountId: superUser, input: { personId: person.id } });
  if (!created.ok) throw new Error(created.message);
  return created.data.id;
}

const leaseOf = async (id: number) => (await getTask(db, id)).leaseUntil!.getTime();

describe("renewLeases", () => {
  it("moves on the leases of the tasks this worker holds, and no other worker's", async () => {
    const mine = await queuedTask();
    const ctxA = createWorkerContext({ workerId: "lease-a", leaseSeconds: 30 });
    expect((await claimTasks(db, ctxA, "anonymise", 1)).map((t) => t.id)).toEqual([mine]);
    const theirs = await queuedTask();
    const ctxB = createWorkerContext({ workerId: "lease-b", leaseSeconds: 30 });
    expect((await claimTasks(db, ctxB, "anonymise", 1)).map((t) => t.id)).toEqual([theirs]);
    const theirLease = await leaseOf(theirs);

    const until = new Date(Date.now() + 90_000);
    expect(await renewLeases(db, { workerId: "lease-a", leaseUntil: until })).toBe(1);
    expect(await leaseOf(mine)).toBe(until.getTime());
    expect(await leaseOf(theirs)).toBe(theirLease);
    await db.update(privacyTasks).set({ status: "cancelled" }).where(eq(privacyTasks.id, mine));
    await db.update(privacyTasks).set({ status: "cancelled" }).where(eq(privacyTasks.id, theirs));
  });

  it.runIf(onPostgres)("skips a task the worker's own transaction has locked instead of waiting for it", async () => {
    const id = await queuedTask();
    const ctx = createWorkerContext({ workerId: "lease-locked", leaseSeconds: 30 });
    await claimTasks(db, ctx, "anonymise", 1);
    const before = await leaseOf(id);
    await db.transaction(async (tx) => {
      await tx.execute(sql`select id from privacy_tasks where id = ${id} for update`);
      // From another connection, as the heartbeat's timer runs: answered at once, nothing renewed.
      expect(await renewLeases(db, { workerId: "lease-locked", leaseUntil: new Date(Date.now() + 90_000) })).toBe(0);
    });
    expect(await leaseOf(id)).toBe(before);
    await db.update(privacyTasks).set({ status: "cancelled" }).where(eq(privacyTasks.id, id));
  });
});

describe("the heartbeat", () => {
  it("renews while it runs and writes nothing once stopped", async () => {
    const id = await queuedTask();
    const ctx = createWorkerContext({ workerId: "lease-beat", leaseSeconds: 3 });
    await claimTasks(db, ctx, "anonymise", 1);
    const claimedUntil = await leaseOf(id);
    const heartbeat = startHeartbeat(db, ctx);
    await new Promise((r) => setTimeout(r, 1_600));
    await heartbeat.stop();
    const renewed = await leaseOf(id);
    expect(renewed).toBeGreaterThan(claimedUntil);
    await new Promise((r) => setTimeout(r, 1_300));
    expect(await leaseOf(id)).toBe(renewed);
    await db.update(privacyTasks).set({ status: "cancelled" }).where(eq(privacyTasks.id, id));
  });

  it("a killed worker's tasks go to the next run one lease later, not five minutes later", async () => {
    const id = await queuedTask();
    // The worker claims the task and is killed: no heartbeat renews its lease any more.
    await claimTasks(db, createWorkerContext({ workerId: "lease-killed" }), "anonymise", 1);
    const run = async (secondsLater: number) => runWorker(db, { workerId: `rescuer-${secondsLater}`, now: new Date(Date.now() + secondsLater * 1000) });
    expect(await run(10)).toMatchObject({ claimed: 0 });
    expect(await getTask(db, id)).toMatchObject({ status: "running", workerId: "lease-killed" });
    expect(await run(31)).toMatchObject({ claimed: 1, completed: 1 });
    expect(await getTask(db, id)).toMatchObject({ status: "completed", attempts: 2 });
  });
});

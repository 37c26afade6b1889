import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, type DbHandle, rows } from "@/db/client";
import { privacyTasks } from "@/db/schema";
import { onPostgres, openConnections, openTestDatabase } from "@/test/db";
import { anonymiseTicketRows } from "@/lib/privacy/anonymise/anonymise-tickets";
import { createCustomerWithTickets } from "@/test/fixtures";
import { intArray } from "@/db/sql";
import { runWorker, type WorkerResult } from "./worker";

// People anonymised by the worker while their tickets are anonymised on their own, on
// connections of their own. Only on the PostgreSQL server: PGlite runs one transaction
// at a time, so the two can never wait for each other there.

/** Until some connection of this database waits for a row lock. */
async function waitForLockWait(db: Db) {
  for (let i = 0; i < 200; i++) {
    const [{ n }] = rows<{ n: number }>(await db.execute(sql`
      select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`));
    if (Number(n) > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("Nobody waited for a lock.");
}

describe.runIf(onPostgres)("anonymisation of people and of tickets at the same time (PostgreSQL)", () => {
  let handle: DbHandle;
  let extra: DbHandle[] = [];
  beforeAll(async () => {
    handle = await openTestDatabase();
    extra = await openConnections(handle.db, 3);
    await handle.db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
  });
  afterAll(async () => {
    await Promise.all(extra.map((h) => h.close()));
    await handle?.close();
  });

  it("a ticket anonymisation holding the person's tickets when the worker comes: both finish, no deadlock, no retry", async () => {
    const { db } = handle;
    const { person, tickets } = await createCustomerWithTickets(db, 3, 3);
    const ids = tickets.map((t) => t.id);
    const [task] = await db.insert(privacyTasks).values({
      action: "anonymise", origin: "manual", subjectPersonId: person.id, subjectLabel: "A**a", progressTotal: 1,
    }).returning();
    let worker!: Promise<WorkerResult>;
    await extra[0].db.transaction(async (tx) => {
      // What anonymiseTicketRows does first: lock the tickets.
      await tx.execute(sql`select id from tickets where id = any(${intArray(ids)}) order by id for update`);
      worker = runWorker(extra[1].db, { workerId: "worker-blocked" });
      worker.catch(() => {});
      await waitForLockWait(db);
      await anonymiseTicketRows(tx, ids, { now: new Date() });
    });
    const result = await worker;
    expect(result).toMatchObject({ claimed: 1, completed: 1, failed: 0, retried: 0 });
    const [after] = await db.select().from(privacyTasks).where(eq(privacyTasks.id, task.id));
    expect(after).toMatchObject({ status: "completed", error: null });
  });

  it("a batch PostgreSQL aborts as a deadlock victim is run again, and its task completes instead of failing", async () => {
    const { db } = handle;
    const { person, tickets } = await createCustomerWithTickets(db, 1, 2);
    const [task] = await db.insert(privacyTasks).values({
      action: "anonymise", origin: "manual", subjectPersonId: person.id, subjectLabel: "A**a", progressTotal: 1,
    }).returning();
    let worker!: Promise<WorkerResult>;
    // PostgreSQL checks a wait for a cycle once, deadlock_timeout after it began, and
    // aborts the one that finds it. The worker (one connection) checks after 3 s, by when
    // the writer surely waits too, however loaded the machine; the writer only after 30 s.
    await extra[1].db.execute(sql`set deadlock_timeout = '3s'`);
    // A writer that takes the locks against the order (a message, then the person).
    await extra[0].db.transaction(async (tx) => {
      await tx.execute(sql`set local deadlock_timeout = '30s'`);
      await tx.execute(sql`update messages set body = body where ticket_id = ${tickets[0].id}`);
      worker = runWorker(extra[1].db, { workerId: "worker-victim" });
      worker.catch(() => {});
      await waitForLockWait(db);
      await tx.execute(sql`select id from people where id = ${person.id} for update`);
    }).catch(() => {});
    const result = await worker;
    await extra[1].db.execute(sql`reset deadlock_timeout`);
    expect(result).toMatchObject({ claimed: 1, completed: 1, failed: 0 });
    expect(result.retried).toBeGreaterThanOrEqual(1);
    const [after] = await db.select().from(privacyTasks).where(eq(privacyTasks.id, task.id));
    expect(after).toMatchObject({ status: "completed", error: null });
  });

  it("overlapping work many times over: every task completes and no ticket anonymisation is aborted", async () => {
    const { db } = handle;
    const taskIds: number[] = [];
    const ticketErrors: unknown[] = [];
    for (let round = 0; round < 5; round++) {
      const customers: Awaited<ReturnType<typeof createCustomerWithTickets>>[] = [];
      for (let i = 0; i < 6; i++) customers.push(await createCustomerWithTickets(db, 3, 3));
      const queued = await db.insert(privacyTasks).values(customers.map(({ person }) => ({
        action: "anonymise" as const, origin: "manual" as const, subjectPersonId: person.id, subjectLabel: "A**a", progressTotal: 1,
      }))).returning({ id: privacyTasks.id });
      taskIds.push(...queued.map((t) => t.id));
      // Each ticket transaction takes the tickets of two customers, in an order that
      // crosses the worker's batches of two people.
      const selections = customers.map((_, i) => [...customers[i].tickets, ...customers[(i + 3) % customers.length].tickets].map((t) => t.id));
      await Promise.all([
        runWorker(db, { workerId: `worker-${round}`, anonymiseBatchSize: 2 }),
        ...extra.map(async (h, lane) => {
          for (let i = lane; i < selections.length; i += extra.length) {
            await h.db.transaction((tx) => anonymiseTicketRows(tx, selections[i], { now: new Date() })).catch((e) => ticketErrors.push(e));
          }
        }),
      ]);
    }
    const tasks = await db.select({ id: privacyTasks.id, status: privacyTasks.status, error: privacyTasks.error })
      .from(privacyTasks).where(inArray(privacyTasks.id, taskIds));
    expect(tasks.filter((t) => t.status !== "completed")).toEqual([]);
    expect(ticketErrors).toEqual([]);
  });

  it("a deletion in batches while the same tickets are anonymised: the task completes, no ticket anonymisation is aborted", async () => {
    const { db } = handle;
    const ticketErrors: unknown[] = [];
    for (let round = 0; round < 4; round++) {
      const { person, tickets } = await createCustomerWithTickets(db, 8, 2);
      const [task] = await db.insert(privacyTasks).values({
        action: "delete", origin: "manual", subjectPersonId: person.id, subjectLabel: "A**a", progressTotal: tickets.length + 1,
      }).returning();
      const ids = tickets.map((t) => t.id);
      await Promise.all([
        runWorker(db, { workerId: `deleter-${round}`, batchSize: 2 }),
        ...extra.map(async (h, lane) => {
          for (let i = 0; i < 4; i++) {
            const selection = ids.filter((_, k) => (k + lane + i) % 3 !== 0).reverse();
            await h.db.transaction((tx) => anonymiseTicketRows(tx, selection, { now: new Date() })).catch((e) => ticketErrors.push(e));
          }
        }),
      ]);
      const [after] = await db.select().from(privacyTasks).where(eq(privacyTasks.id, task.id));
      expect(after).toMatchObject({ status: "completed", error: null });
    }
    expect(ticketErrors).toEqual([]);
  });
});

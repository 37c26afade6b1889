import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { privacyTasks, tickets } from "@/db/schema";
import { anonymiseTicketRows } from "@/lib/privacy/anonymise/anonymise-tickets";
import { runWorker } from "@/lib/privacy/worker/worker";
import { localDate, zonedTime } from "@/lib/schedule/clock";
import { runDueCycleSteps } from "@/lib/schedule/cycle";
import { onPostgres, openConnections, openTestDatabase } from "@/test/db";
import { createCustomerWithTickets, createRoleAccounts } from "@/test/fixtures";
import { keptMonthCounts, recountMonthCounts } from "@/test/month-counts";

// The overview's monthly counts (migration 0018) through the annual run, and under
// writers working at the same moment on connections of their own (PostgreSQL only:
// PGlite runs one transaction at a time). Each scenario has a database of its own.

const TZ = "Europe/Berlin";

describe("the annual run", () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
    await handle.db.execute(sql`update privacy_settings set cycle_enabled = true, anonymisation_enabled = true, time_zone = ${TZ}`);
  });
  afterAll(async () => handle?.close());

  it("counts every person it anonymised in the month it ran, and their tickets as anonymised in the months they were created", async () => {
    const { db } = handle;
    await createRoleAccounts(db);
    const customers = await Promise.all(Array.from({ length: 5 }, () => createCustomerWithTickets(db, 3, 2)));
    await db.update(tickets).set({ createdAt: new Date("2025-06-15T10:00:00Z") })
      .where(sql`customer_id = any(${intArray(customers.map((c) => c.person.id))})`);
    expect(await keptMonthCounts(db)).toEqual({ "tickets 2025-06": 15 });

    await runDueCycleSteps(db, { now: zonedTime("2026-10-01", 9, TZ) });
    const run = zonedTime("2026-11-01", 9, TZ);
    for (let call = 0; call < 5; call++) await runDueCycleSteps(db, { now: run });
    const queued = rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from privacy_tasks where origin = 'annual_cycle'`))[0];
    expect(Number(queued.n)).toBe(5);
    expect(await runWorker(db, { workerId: "annual", now: new Date(run.getTime() + 5 * 60_000) })).toMatchObject({ failed: 0 });

    expect(await keptMonthCounts(db)).toEqual({ "tickets 2025-06": 15, "tickets_anonymised 2025-06": 15, "anonymisations 2026-11": 5 });
    expect(await keptMonthCounts(db)).toEqual(await recountMonthCounts(db));
  });
});

describe.runIf(onPostgres)("writers at the same moment (PostgreSQL)", () => {
  let handle: DbHandle;
  let extra: DbHandle[] = [];
  beforeAll(async () => {
    handle = await openTestDatabase();
    extra = await openConnections(handle.db, 4);
    await handle.db.execute(sql`update privacy_settings set anonymisation_enabled = true, time_zone = ${TZ}`);
  });
  afterAll(async () => {
    await Promise.all(extra.map((h) => h.close()));
    await handle?.close();
  });

  it("tickets inserted, anonymised on their own, their customers anonymised and deleted, and tickets deleted on four connections at once: the counts equal a fresh count", async () => {
    const { db } = handle;
    const months = ["2026-01-10T10:00:00Z", "2026-02-10T10:00:00Z", "2026-03-10T10:00:00Z"];
    const customers = await Promise.all(Array.from({ length: 24 }, () => createCustomerWithTickets(db, 4, 1)));
    for (const [i, c] of customers.entries()) {
      await db.update(tickets).set({ createdAt: new Date(months[i % 3]) }).where(sql`customer_id = ${c.person.id}`);
    }
    const [inserter, worker, ticketAnonymiser, deleter] = extra.map((h) => h.db);
    // The inserter writes for customers nobody deletes: a ticket for a person being deleted would wait for the deletion and then fail its foreign key.
    const people = customers.map((c) => c.person.id);
    // The worker anonymises the first eight and deletes the next four.
    await db.insert(privacyTasks).values([
      ...people.slice(0, 8).map((id) => ({ action: "anonymise" as const, origin: "manual" as const, subjectPersonId: id, subjectLabel: "A**a", progressTotal: 1 })),
      ...people.slice(8, 12).map((id) => ({ action: "delete" as const, origin: "manual" as const, subjectPersonId: id, subjectLabel: "A**a", progressTotal: 5 })),
    ]);
    const ticketsOf = (from: number, to: number) => customers.slice(from, to).flatMap((c) => c.tickets.map((t) => t.id));

    await Promise.all([
      (async () => {
        for (let i = 0; i < 20; i++) {
          await inserter.insert(tickets).values(Array.from({ length: 10 }, (_, j) => ({
            number: 8_800_000 + i * 10 + j, title: "Concurrent", customerId: people[12 + ((i + j) % 12)], createdAt: new Date(months[(i + j) % 3]),
          })));
        }
      })(),
      runWorker(worker, { workerId: "concurrent", anonymiseBatchSize: 3 }),
      (async () => {
        for (const c of customers.slice(4, 16)) await ticketAnonymiser.transaction((tx) => anonymiseTicketRows(tx, c.tickets.map((t) => t.id), { now: new Date() }));
      })(),
      (async () => {
        for (const id of ticketsOf(16, 24)) await deleter.execute(sql`delete from tickets where id = ${id}`);
      })(),
    ]);

    const [{ n: left }] = rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from privacy_tasks where status <> 'completed'`));
    expect(Number(left)).toBe(0);
    const kept = await keptMonthCounts(db);
    expect(kept).toEqual(await recountMonthCounts(db));
    expect(kept[`anonymisations ${localDate(new Date(), TZ).slice(0, 7)}`]).toBe(8);
  });
});

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, rows } from "@/db/client";
import { onPostgres, openConnections, openTestDatabase } from "@/test/db";
import { createPerson, createRoleAccounts } from "@/test/fixtures";
import { zonedTime } from "./clock";
import { runDueCycleSteps } from "./cycle";

// Concurrent cron calls, each on a connection of its own. Only on the PostgreSQL server:
// PGlite runs one transaction at a time in one process, so calls cannot overlap there
// and the race this guards against (two inserts of the same step row) cannot happen.

describe.runIf(onPostgres)("concurrent cron calls (PostgreSQL)", () => {
  let handle: DbHandle;
  let extra: DbHandle[] = [];
  beforeAll(async () => {
    handle = await openTestDatabase();
    extra = await openConnections(handle.db, 20);
  });
  afterAll(async () => {
    await Promise.all(extra.map((h) => h.close()));
    await handle?.close();
  });

  it("20 concurrent calls on the notice date send exactly one notice per holder of R_CAN_ANONYMIZE_USERS", async () => {
    const { db } = handle;
    await db.execute(sql`update privacy_settings set cycle_enabled = true, anonymisation_enabled = true`);
    const accounts = await createRoleAccounts(db);
    for (let i = 0; i < 3; i++) await createPerson(db);
    const now = zonedTime("2026-10-01", 7, "Europe/Berlin");
    const results = await Promise.all(extra.map((h) => runDueCycleSteps(h.db, { now })));
    expect(results.flatMap((r) => r.done).map((d) => d.step)).toEqual(["notice"]);

    const mails = rows<{ key: string }>(await db.execute(sql`select idempotency_key as key from outbox_emails order by 1`));
    expect(mails.map((m) => m.key)).toEqual(
      [accounts.Admin.account.id, accounts.SuperUser.account.id].map((id) => `cycle:2026:notice:account:${id}`).sort(),
    );
    const [steps] = rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from annual_cycle_steps`));
    expect(Number(steps.n)).toBe(1);

    // And the run: 20 calls on the run date queue each person's task once.
    const runAt = zonedTime("2026-11-01", 7, "Europe/Berlin");
    const runs = await Promise.all(extra.map((h) => runDueCycleSteps(h.db, { now: runAt })));
    expect(runs.flatMap((r) => r.done).filter((d) => d.step === "run")).toHaveLength(1);
    const [tasks] = rows<{ n: number; people: number }>(await db.execute(sql`
      select count(*)::int as n, count(distinct subject_person_id)::int as people from privacy_tasks where origin = 'annual_cycle'`));
    expect(Number(tasks.n)).toBe(3);
    expect(Number(tasks.people)).toBe(3);
  });
});

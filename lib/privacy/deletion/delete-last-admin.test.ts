import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { accounts } from "@/db/schema";
import { countActiveSettingsAdmins } from "@/lib/admin/guards";
import { setAccountRoles } from "@/lib/admin/roles";
import { runOperation } from "@/lib/operation";
import { useTestDatabase } from "@/test/db";
import { countRows, createAccount, createPrivacyOfficer, createTicket } from "@/test/fixtures";
import { DeletionRefusedError, runDeletionStep } from "./delete";
import { createDeletionTask } from "./create-deletion-task";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { claimTasks, createWorkerContext, describeError } from "@/lib/privacy/worker/worker";

// The last administrator must survive a deletion that runs in several transactions:
// the rules are checked in the first, the account goes in the last, and another
// administrator may lose their role in between. (A file of its own: it deactivates
// every other account of its database.)

const handle = await useTestDatabase();

it("a deletion in batches never removes the last account that can manage settings", async () => {
  const db = handle.db;
  await db.update(accounts).set({ active: false }); // only the two administrators below
  const a = await createAccount(db, "Admin");
  const b = await createAccount(db, "Admin");
  const officer = await createPrivacyOfficer(db);
  for (let i = 0; i < 3; i++) await createTicket(db, { customerId: a.person.id });
  const queued = await runOperation(createDeletionTask, { db, accountId: officer.account.id, input: { personId: a.person.id, origin: "api" } });
  expect(queued.ok).toBe(true);

  const ctx = createWorkerContext({ workerId: "w", leaseSeconds: 600 });
  const [claim] = await claimTasks(db, ctx, "delete", 1);
  const settings = await getPrivacySettings(db);
  const step = (first: boolean) => runDeletionStep(db, claim, { batchSize: 1, first, leaseUntil: ctx.leaseUntil(), settings, now: new Date() });
  expect(await step(true)).toMatchObject({ finished: false });

  // Between two batches, A takes B's administrator role away: A is still there, so allowed.
  const removed = await runOperation(setAccountRoles, { db, accountId: a.account.id, input: { accountId: b.account.id, roleIds: [] } });
  expect(removed.ok).toBe(true);

  let outcome: unknown = null;
  try {
    for (let i = 0; i < 5; i++) if ((await step(false)).finished) break;
  } catch (error) {
    outcome = error;
  }
  expect(outcome).toBeInstanceOf(DeletionRefusedError);
  expect(describeError(outcome)).toMatch(/last active account that can change the settings/);
  expect(await countActiveSettingsAdmins(db)).toBe(1);
  // The final step was rolled back whole: the person and their account are still there.
  expect(await countRows(db, "people", sql`id = ${a.person.id}`)).toBe(1);
  expect(await db.select().from(accounts).where(eq(accounts.id, a.account.id))).toHaveLength(1);
});

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { accountRoles, accounts, privacySettings } from "@/db/schema";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { approvePrivacyTask } from "@/lib/privacy/deletion/four-eyes";
import { cancelPrivacyTask } from "@/lib/privacy/tasks/tasks";
import { runOperation } from "@/lib/operation";
import { onPostgres, openConnections, useTestDatabase } from "./db";
import { countRows, createAccount, createPerson, createPrivacyOfficer, getTask } from "./fixtures";

// Four-eyes deletions under attack (SPEC §11): two holders of admin.data_privacy must
// agree. A deletion whose requester has since lost the permission (the role taken away,
// the account deactivated) has only one pair of eyes left: the approval is refused and
// the task can only be cancelled (and requested again by a holder).

const { db } = await useTestDatabase();
type Officer = Awaited<ReturnType<typeof createPrivacyOfficer>>;
let approver: Officer;

beforeAll(async () => {
  approver = await createPrivacyOfficer(db);
  await createAccount(db, "Admin");
  await db.insert(privacySettings).values({ id: 1 }).onConflictDoNothing();
  await db.update(privacySettings).set({ fourEyesDeletions: true }).where(eq(privacySettings.id, 1));
});

async function awaitingDeletionBy(requester: Officer) {
  const person = await createPerson(db);
  const created = await runOperation(createDeletionTask, { db, accountId: requester.account.id, input: { personId: person.id, origin: "manual" } });
  if (!created.ok) throw new Error(created.message);
  expect(created.data.status).toBe("awaiting_approval");
  return created.data;
}

const snapshot = async (taskId: number) => ({
  task: await getTask(db, taskId), audit: await countRows(db, "audit_entries"), activity: await countRows(db, "activity_events"),
});

describe("approving a deletion whose requester no longer holds admin.data_privacy", () => {
  const losses = [
    ["the requester's role was taken away", (o: Officer) => db.delete(accountRoles).where(eq(accountRoles.accountId, o.account.id))],
    ["the requester's account was deactivated", (o: Officer) => db.update(accounts).set({ active: false }).where(eq(accounts.id, o.account.id))],
  ] as const;
  for (const [what, lose] of losses) {
    it(`is refused naming the requester when ${what}, writes nothing, and the task can still be cancelled`, async () => {
      const requester = await createPrivacyOfficer(db);
      const task = await awaitingDeletionBy(requester);
      await lose(requester);
      const before = await snapshot(task.id);
      const result = await runOperation(approvePrivacyTask, { db, accountId: approver.account.id, input: { id: task.id } });
      expect(result).toMatchObject({ ok: false, code: "rule_violation", fieldErrors: { requestedBy: [expect.any(String)] } });
      expect(await snapshot(task.id)).toEqual(before);
      expect(await runOperation(cancelPrivacyTask, { db, accountId: approver.account.id, input: { id: task.id } })).toMatchObject({ ok: true, data: { status: "cancelled" } });
    });
  }

  it("a requester who still holds it is approved by a second holder as before", async () => {
    const requester = await createPrivacyOfficer(db);
    const task = await awaitingDeletionBy(requester);
    expect(await runOperation(approvePrivacyTask, { db, accountId: approver.account.id, input: { id: task.id } })).toMatchObject({ ok: true, data: { status: "queued" } });
  });
});

describe.runIf(onPostgres)("approving and cancelling at once (PostgreSQL, two connections)", () => {
  let connections: DbHandle[] = [];
  beforeAll(async () => {
    connections = await openConnections(db, 2);
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.close()));
  });

  it("ends cancelled whenever the cancellation succeeded, and queued only when it was refused", async () => {
    for (let round = 0; round < 5; round++) {
      const requester = await createPrivacyOfficer(db);
      const task = await awaitingDeletionBy(requester);
      const [approved, cancelled] = await Promise.all([
        runOperation(approvePrivacyTask, { db: connections[0].db, accountId: approver.account.id, input: { id: task.id } }),
        runOperation(cancelPrivacyTask, { db: connections[1].db, accountId: requester.account.id, input: { id: task.id } }),
      ]);
      const { status } = await getTask(db, task.id);
      expect(status).toBe(cancelled.ok ? "cancelled" : "queued");
      if (!cancelled.ok) expect(approved.ok).toBe(true);
    }
  });
});

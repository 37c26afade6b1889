import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { people, privacyRequests, privacyTasks } from "@/db/schema";
import { runOperation } from "@/lib/operation";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { runWorker } from "@/lib/privacy/worker/worker";
import { useTestDatabase } from "@/test/db";
import { createPerson, createRoleAccounts } from "@/test/fixtures";

// A request about a person does not stand in the way of deleting that person: the
// requests that named them only by their person record (no requester address) lose the
// link and stay, closed or open, on the queue's record.

const { db } = await useTestDatabase();
let adminId: number;
beforeAll(async () => {
  adminId = (await createRoleAccounts(db)).Admin.account.id;
  await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
});

describe("deleting a person with requests about them", () => {
  it("completes, and the requests that named only the person keep their rows without it", async () => {
    const person = await createPerson(db, { firstName: "Ottilie" });
    const values = { channel: "letter" as const, receivedAt: new Date(), dueAt: "2099-01-01", personId: person.id };
    const [open] = await db.insert(privacyRequests).values({ ...values, type: "access", status: "open" }).returning();
    const [closed] = await db.insert(privacyRequests).values({ ...values, type: "objection", status: "fulfilled", closedAt: new Date() }).returning();

    const created = await runOperation(createDeletionTask, { db, accountId: adminId, input: { personId: person.id } });
    if (!created.ok) throw new Error(created.message);
    await runWorker(db, { workerId: "person-deletion-requests" });

    const [task] = await db.select().from(privacyTasks).where(eq(privacyTasks.id, created.data.id));
    expect(task.status).toBe("completed");
    expect(await db.select().from(people).where(eq(people.id, person.id))).toEqual([]);
    for (const request of [open, closed]) {
      const [row] = await db.select().from(privacyRequests).where(eq(privacyRequests.id, request.id));
      expect(row).toMatchObject({ id: request.id, personId: null, requesterEmail: null, status: request.status });
    }
  });
});

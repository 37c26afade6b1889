import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEntries, privacyTasks } from "@/db/schema";
import { runOperation } from "@/lib/operation";
import { useTestDatabase } from "@/test/db";
import { createPerson, createRoleAccounts } from "@/test/fixtures";
import { createDeletionTaskFromDialog } from "./deletion-confirmation";

// The dialog's typed word: checked on the server, after the permission, and only here.

const handle = await useTestDatabase();
let accounts: Awaited<ReturnType<typeof createRoleAccounts>>;

beforeAll(async () => {
  accounts = await createRoleAccounts(handle.db);
});

const request = (accountId: number, input: Record<string, unknown>) =>
  runOperation(createDeletionTaskFromDialog, { db: handle.db, accountId, input: { origin: "manual", ...input } });

describe("createDeletionTaskFromDialog", () => {
  it("needs the word DELETE typed exactly, and queues nothing without it", async () => {
    const person = await createPerson(handle.db);
    for (const confirm of [undefined, "", "delete", "DELETE ", "REMOVE", 1]) {
      const result = await request(accounts.Admin.account.id, { personId: person.id, confirm });
      expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { confirm: ["Type DELETE to confirm"] } });
    }
    expect(await handle.db.select().from(privacyTasks).where(eq(privacyTasks.subjectPersonId, person.id))).toEqual([]);
  });

  it("refuses a caller without admin.data_privacy before it looks at the word", async () => {
    const person = await createPerson(handle.db);
    expect(await request(accounts.SuperUser.account.id, { personId: person.id })).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("queues the deletion as a manual one; the audit entry says it came from the UI", async () => {
    const person = await createPerson(handle.db);
    const result = await request(accounts.Admin.account.id, { personId: person.id, confirm: "DELETE" });
    expect(result).toMatchObject({ ok: true, data: { action: "delete", status: "queued", origin: "manual" } });
    if (!result.ok) return;
    const audits = await handle.db.select().from(auditEntries).where(eq(auditEntries.targetId, result.data.id));
    expect(audits.find((a) => a.action === "privacy_task.created")?.details).toMatchObject({ action: "delete", via: "ui" });
  });
});

import { describe, expect, it } from "vitest";
import { activityEvents, privacyTasks } from "@/db/schema";
import { useTestDatabase } from "@/test/db";
import { createAccount, createPerson, createTicket } from "@/test/fixtures";
import { ACTIVITY_SHOWN, countRecords, listActivityByPermissions } from "./overview";

const { db } = await useTestDatabase();

describe("overview reads", () => {
  it("counts people, tickets and the queued and running tasks", async () => {
    const before = await countRecords(db);
    const person = await createPerson(db);
    await createTicket(db, { customerId: person.id });
    await db.insert(privacyTasks).values([
      { action: "anonymise", subjectLabel: "A. B.", status: "queued" },
      { action: "anonymise", subjectLabel: "C. D.", status: "running" },
      { action: "anonymise", subjectLabel: "E. F.", status: "completed" },
    ]);
    expect(await countRecords(db)).toEqual({
      people: before.people + 1, tickets: before.tickets + 1, queued: before.queued + 1, running: before.running + 1,
    });
  });

  it("shows entries for everyone and those the viewer's permissions allow, newest first", async () => {
    const at = (minutes: number) => new Date(Date.UTC(2030, 0, 1, 12, minutes));
    await db.insert(activityEvents).values([
      { verb: "created", objectType: "x", summary: "for everyone", createdAt: at(1) },
      { verb: "created", objectType: "x", summary: "for privacy", permission: "admin.data_privacy", createdAt: at(2) },
      { verb: "created", objectType: "x", summary: "for anonymisers", permission: "R_CAN_ANONYMIZE_USERS", createdAt: at(3) },
    ]);
    const summaries = async (permissions: string[]) =>
      (await listActivityByPermissions(db, { permissions })).map((e) => e.summary).filter((s) => s.startsWith("for "));
    expect(await summaries([])).toEqual(["for everyone"]);
    expect(await summaries(["admin.data_privacy"])).toEqual(["for privacy", "for everyone"]);
    expect(await summaries(["admin.data_privacy", "R_CAN_ANONYMIZE_USERS"])).toEqual(["for anonymisers", "for privacy", "for everyone"]);
    const [newest] = await listActivityByPermissions(db, { permissions: [] });
    expect(newest.createdAt).toBeInstanceOf(Date);
    expect((await listActivityByPermissions(db, { permissions: [] })).length).toBeLessThanOrEqual(ACTIVITY_SHOWN);
  });

  it("names who did it, and lets an auditor read every entry", async () => {
    const { account } = await createAccount(db, "Admin");
    const at = new Date(Date.UTC(2031, 0, 1, 12));
    await db.insert(activityEvents).values([
      { verb: "created", objectType: "x", summary: "by an account", permission: "admin.data_privacy", actorAccountId: account.id, createdAt: at },
      { verb: "created", objectType: "x", summary: "by the scheduled run", permission: "R_CAN_ANONYMIZE_USERS", createdAt: at },
    ]);
    const seen = (await listActivityByPermissions(db, { permissions: ["privacy.audit"] })).filter((e) => e.summary.startsWith("by "));
    expect(seen.map((e) => [e.summary, e.actorEmail]).sort()).toEqual([["by an account", account.email], ["by the scheduled run", null]]);
    expect((await listActivityByPermissions(db, { permissions: ["people.read"] })).filter((e) => e.summary.startsWith("by "))).toEqual([]);
  });
});

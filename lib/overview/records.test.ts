import { describe, expect, it } from "vitest";
import { activityEvents, privacyRequests, privacyTasks } from "@/db/schema";
import { useTestDatabase } from "@/test/db";
import { createAccount, createPerson, createTicket } from "@/test/fixtures";
import { ACTIVITY_SHOWN, countRecords, listActivityByPermissions } from "./records";
import { countOpenRequests } from "./requests";

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

  it("counts the open requests, those due within 7 days and the overdue ones by the effective due date", async () => {
    const now = new Date("2030-05-10T22:30:00Z"); // 00:30 on 11 May in Berlin
    const request = (dueAt: string, values: Partial<typeof privacyRequests.$inferInsert> = {}) => ({
      type: "access" as const, channel: "email" as const, requesterEmail: "r@example.org", receivedAt: now, dueAt, ...values,
    });
    await db.insert(privacyRequests).values([
      request("2030-05-10"), // overdue since today (in Berlin)
      request("2030-05-11", { status: "awaiting_identity" }), // due today
      request("2030-05-18", { status: "extended" }), // due in 7 days
      request("2030-05-19"), // in 8 days
      request("2030-05-05", { status: "awaiting_identity", pausedSince: new Date("2030-05-01T10:00:00Z") }), // paused 10 days: due 15 May
      request("2030-04-01", { status: "fulfilled", closedAt: now }),
      request("2030-04-01", { status: "refused", closedAt: now }),
      request("2030-04-01", { status: "withdrawn", closedAt: now }),
    ]);
    const byStatus = { awaiting_identity: 2, open: 2, extended: 1 };
    expect(await countOpenRequests(db, { now, timeZone: "Europe/Berlin" })).toEqual({ open: 5, dueSoon: 3, overdue: 1, byStatus });
    // In New York it is still 10 May: nothing is overdue yet, the first is due today.
    expect(await countOpenRequests(db, { now, timeZone: "America/New_York" })).toEqual({ open: 5, dueSoon: 3, overdue: 0, byStatus });
  });
});

import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activityEvents, outboxEmails, privacyTasks } from "@/db/schema";
import { useTestDatabase } from "@/test/db";
import { purgeLogs } from "./purge";

const handle = await useTestDatabase();

const now = new Date("2026-06-15T12:00:00Z");
const monthsAgo = (m: number) => new Date(Date.UTC(2026, 5 - m, 15, 12));
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

async function task(status: "queued" | "completed" | "failed" | "cancelled", finishedAt: Date | null, createdAt = finishedAt ?? now) {
  const [t] = await handle.db.insert(privacyTasks).values({ action: "delete", status, subjectLabel: "A**a", finishedAt, createdAt }).returning();
  await handle.db.insert(activityEvents).values({ verb: "created", objectType: "privacy_task", objectId: t.id, summary: `Deletion task #${t.id}` });
  return t.id;
}

describe("purgeLogs", () => {
  it("purges finished task logs after the retention period, with their activity events, and old e-mail bodies", async () => {
    await handle.db.execute(sql`update privacy_settings set task_log_retention_months = 12, email_body_retention_days = 30`);
    const oldCompleted = await task("completed", monthsAgo(13));
    const oldFailed = await task("failed", monthsAgo(14));
    const oldCancelled = await task("cancelled", monthsAgo(25));
    const recent = await task("completed", monthsAgo(11));
    const oldButQueued = await task("queued", null, monthsAgo(13));
    const [oldSent, recentSent, oldQueued] = await handle.db.insert(outboxEmails).values([
      { idempotencyKey: "a", template: "t", to: "a@lethe.test", subject: "A", html: "<p>A</p>", text: "A", status: "sent", sentAt: daysAgo(31) },
      { idempotencyKey: "b", template: "t", to: "b@lethe.test", subject: "B", html: "<p>B</p>", text: "B", status: "sent", sentAt: daysAgo(29) },
      { idempotencyKey: "c", template: "t", to: "c@lethe.test", subject: "C", html: "<p>C</p>", text: "C", status: "queued", createdAt: daysAgo(40) },
    ]).returning();

    expect(await purgeLogs(handle.db, { now })).toEqual({ tasks: 3, activityEvents: 3, ruleRuns: 0, emailBodies: 1 });
    const left = (await handle.db.select({ id: privacyTasks.id }).from(privacyTasks)).map((t) => t.id).sort();
    expect(left).toEqual([recent, oldButQueued].sort());
    expect(left).not.toContain(oldCompleted);
    expect(left).not.toContain(oldFailed);
    expect(left).not.toContain(oldCancelled);
    const events = (await handle.db.select({ id: activityEvents.objectId }).from(activityEvents)).map((e) => e.id);
    expect(events.sort()).toEqual([recent, oldButQueued].sort());

    const mails = new Map((await handle.db.select().from(outboxEmails)).map((m) => [m.id, m]));
    expect(mails.get(oldSent.id)).toMatchObject({ html: null, text: null, subject: "A", bodyPurgedAt: now });
    expect(mails.get(recentSent.id)).toMatchObject({ html: "<p>B</p>", bodyPurgedAt: null });
    expect(mails.get(oldQueued.id)).toMatchObject({ html: "<p>C</p>", bodyPurgedAt: null });

    // Idempotent: a second call finds nothing more.
    expect(await purgeLogs(handle.db, { now })).toEqual({ tasks: 0, activityEvents: 0, ruleRuns: 0, emailBodies: 0 });
  });

  it("follows the configured periods", async () => {
    await handle.db.execute(sql`update privacy_settings set task_log_retention_months = 1, email_body_retention_days = 1`);
    const t = await task("completed", monthsAgo(2));
    await handle.db.insert(outboxEmails).values({ idempotencyKey: "d", template: "t", to: "d@lethe.test", subject: "D", html: "x", text: "x", status: "sent", sentAt: daysAgo(2) });
    expect(await purgeLogs(handle.db, { now })).toMatchObject({ tasks: 2, emailBodies: 2 });
    expect(await handle.db.select().from(privacyTasks).where(eq(privacyTasks.id, t))).toHaveLength(0);
    await handle.db.execute(sql`update privacy_settings set task_log_retention_months = 12, email_body_retention_days = 30`);
  });
});

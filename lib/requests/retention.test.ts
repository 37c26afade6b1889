import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import {
  auditEntries, fieldHistory, type NewPrivacyRequest, outboxEmails, privacyRequestEvents, privacyRequests, privacySettings, privacyTasks,
  requestDownloads, requestSubmissions,
} from "@/db/schema";
import { useTestDatabase } from "@/test/db";
import { createPerson } from "@/test/fixtures";
import { PURGED_ADDRESS, purgeRequests } from "./retention";

// Closed requests are purged after privacy_settings.request_retention_months, with the
// requester's address wherever Lethe wrote it; expired download files are emptied and
// expired public submissions deleted.

const { db } = await useTestDatabase();
const NOW = new Date("2030-06-15T10:00:00Z");
const monthsAgo = (m: number, days = 0) => new Date(Date.UTC(2030, 5 - m, 15 - days, 10));

beforeEach(async () => {
  for (const table of [privacyRequests, requestSubmissions, outboxEmails]) await db.delete(table);
  await db.update(privacySettings).set({ requestRetentionMonths: 36 });
});

async function request(values: Partial<NewPrivacyRequest>) {
  const [row] = await db.insert(privacyRequests).values({
    type: "erasure", channel: "web_form", requesterEmail: "old.requester@example.org", requesterName: "Old Requester",
    receivedAt: monthsAgo(40), dueAt: "2027-03-15", status: "fulfilled", ...values,
  }).returning();
  return row;
}

describe("request retention", () => {
  it("purges closed requests older than the retention with their timeline, downloads, submission and the address in the outbox", async () => {
    const old = await request({ closedAt: monthsAgo(36, 1) });
    const recent = await request({ closedAt: monthsAgo(36, -1), status: "refused" });
    const open = await request({ status: "open", closedAt: null, receivedAt: monthsAgo(50) });
    const person = await createPerson(db);
    await db.insert(privacyRequestEvents).values([{ requestId: old.id, kind: "registered" }, { requestId: recent.id, kind: "registered" }]);
    await db.insert(requestDownloads).values({ requestId: old.id, tokenHash: `h-${old.id}`, fileName: "export.zip", contentType: "application/zip", content: new Uint8Array([1, 2]), byteSize: 2, expiresAt: monthsAgo(39) });
    const [task] = await db.insert(privacyTasks).values({ action: "delete", subjectLabel: "O** R*******", status: "completed", requestId: old.id }).returning();
    const [history] = await db.insert(fieldHistory).values({ personId: person.id, field: "phone", oldValue: null, newValue: null, requestId: old.id }).returning();
    const [submission] = await db.insert(requestSubmissions).values({
      type: "erasure", email: "old.requester@example.org", tokenHash: `t-${old.id}`, ipHash: "i", emailHash: "e", expiresAt: monthsAgo(40), usedAt: monthsAgo(40), requestId: old.id,
    }).returning();
    await db.insert(outboxEmails).values([
      { idempotencyKey: `privacy-request:${old.id}:reply:fulfilled`, template: "request-reply", to: "old.requester@example.org", subject: "Reply", html: "<p>x</p>", text: "x", status: "sent" },
      { idempotencyKey: `request-submission:${submission.id}:confirm`, template: "request-confirmation", to: "old.requester@example.org", subject: "Confirm", status: "sent" },
      { idempotencyKey: `privacy-request:${recent.id}:reply:refused`, template: "request-reply", to: "old.requester@example.org", subject: "Reply", status: "sent" },
      // A request whose number begins with the purged one's is not touched.
      { idempotencyKey: `privacy-request:${old.id}0:reply:fulfilled`, template: "request-reply", to: "other@example.org", subject: "Reply", status: "sent" },
    ]);
    // A public request whose submission the form's own purge removed long ago: its
    // confirmation mail is found by address and day; a later one to the same address is kept.
    const pub = await request({ closedAt: monthsAgo(37), status: "withdrawn", source: "public", requesterEmail: "Public.Person@example.net", receivedAt: monthsAgo(40) });
    await db.insert(outboxEmails).values([
      { idempotencyKey: "request-submission:999001:confirm", template: "request-confirmation", to: "public.person@example.net", subject: "Confirm", status: "sent", createdAt: monthsAgo(40) },
      { idempotencyKey: "request-submission:999002:confirm", template: "request-confirmation", to: "public.person@example.net", subject: "Confirm", status: "sent", createdAt: monthsAgo(2) },
    ]);

    const result = await purgeRequests(db, { now: NOW });
    expect(result).toEqual({ requests: 2, submissions: 1, outboxAddresses: 3, downloadsEmptied: 0 });
    const left = (await db.select({ id: privacyRequests.id }).from(privacyRequests)).map((r) => r.id).sort();
    expect(left).not.toContain(pub.id);
    expect(left).toEqual([recent.id, open.id].sort());
    expect(await db.$count(privacyRequestEvents, eq(privacyRequestEvents.requestId, old.id))).toBe(0);
    expect(await db.$count(privacyRequestEvents, eq(privacyRequestEvents.requestId, recent.id))).toBe(1);
    expect(await db.$count(requestDownloads)).toBe(0);
    expect(await db.$count(requestSubmissions)).toBe(0);
    expect((await db.select().from(privacyTasks).where(eq(privacyTasks.id, task.id)))[0].requestId).toBeNull();
    expect((await db.select().from(fieldHistory).where(eq(fieldHistory.id, history.id)))[0].requestId).toBeNull();
    const mails = await db.select().from(outboxEmails).orderBy(outboxEmails.id);
    expect(mails.map((m) => m.to)).toEqual([PURGED_ADDRESS, PURGED_ADDRESS, "old.requester@example.org", "other@example.org", PURGED_ADDRESS, "public.person@example.net"]);
    expect(mails[0]).toMatchObject({ html: null, text: null, bodyPurgedAt: NOW });
    const [audit] = await db.select().from(auditEntries).where(eq(auditEntries.action, "privacy_request.purged")).orderBy(sql`id desc`).limit(1);
    expect(audit).toMatchObject({ actorAccountId: null, targetType: "privacy_request", details: { counts: result } });
    expect(JSON.stringify(audit.details)).not.toMatch(/example\.org|Requester/);

    // Idempotent: nothing more, and no second audit entry.
    const audits = await db.$count(auditEntries);
    expect(await purgeRequests(db, { now: NOW })).toEqual({ requests: 0, submissions: 0, outboxAddresses: 0, downloadsEmptied: 0 });
    expect(await db.$count(auditEntries)).toBe(audits);
  });

  it("follows the setting", async () => {
    await request({ closedAt: monthsAgo(2), status: "withdrawn" });
    expect((await purgeRequests(db, { now: NOW })).requests).toBe(0);
    await db.update(privacySettings).set({ requestRetentionMonths: 1 });
    expect((await purgeRequests(db, { now: NOW })).requests).toBe(1);
  });

  it("empties an export once its link expired, keeping its size; leaves public submissions to their own step", async () => {
    const r = await request({ status: "open", closedAt: null, receivedAt: NOW });
    const file = { requestId: r.id, fileName: "export.zip", contentType: "application/zip", content: new Uint8Array(1000), byteSize: 1000 };
    await db.insert(requestDownloads).values([
      { ...file, tokenHash: "expired", expiresAt: new Date(NOW.getTime() - 1000) },
      { ...file, tokenHash: "valid", expiresAt: new Date(NOW.getTime() + 1000) },
    ]);
    const sub = { type: "access" as const, email: "someone@example.org", ipHash: "i", emailHash: "e" };
    await db.insert(requestSubmissions).values([
      { ...sub, tokenHash: "s-expired", expiresAt: new Date(NOW.getTime() - 1000) },
      { ...sub, tokenHash: "s-valid", expiresAt: new Date(NOW.getTime() + 1000) },
      { ...sub, tokenHash: "s-used", expiresAt: new Date(NOW.getTime() - 1000), usedAt: NOW, requestId: r.id },
    ]);
    expect(await purgeRequests(db, { now: NOW })).toMatchObject({ requests: 0, downloadsEmptied: 1 });
    const files = await db.select().from(requestDownloads).orderBy(requestDownloads.tokenHash);
    expect(files.map((f) => [f.tokenHash, f.content === null, f.byteSize])).toEqual([["expired", true, 1000], ["valid", false, 1000]]);
    expect((await db.select().from(requestSubmissions)).map((s) => s.tokenHash).sort()).toEqual(["s-expired", "s-used", "s-valid"]);
  });
});

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type DbHandle, rows } from "@/db/client";
import { accounts, type NewPrivacyRequest, outboxEmails, privacyRequestEvents, privacyRequests } from "@/db/schema";
import { runCron } from "@/lib/cron";
import { addDays } from "@/lib/schedule/clock";
import { onPostgres, openConnections, useTestDatabase } from "@/test/db";
import { createAccount, createRoleAccounts } from "@/test/fixtures";
import { createElement } from "react";
import RequestReminderEmail from "@/emails/request-reminder";
import { renderEmail } from "@/lib/email/outbox";
import { env } from "@/lib/env";
import { sendRequestReminders } from "./reminders";

// Reminders of data-subject requests: 7 days and 1 day before the due date and once
// overdue, each once, to the assignee or (unassigned) to every holder of privacy.requests.

const handle = await useTestDatabase();
const { db } = handle;
let roles: Awaited<ReturnType<typeof createRoleAccounts>>;

beforeAll(async () => {
  roles = await createRoleAccounts(db);
});
beforeEach(async () => {
  await db.execute(sql`delete from privacy_requests`);
  await db.execute(sql`delete from outbox_emails`);
});

/** Noon in Berlin on `day`. */
const at = (day: string) => new Date(`${day}T11:00:00Z`);
const TODAY = "2030-03-10";

async function request(values: Partial<NewPrivacyRequest> & { dueAt: string }) {
  const [row] = await db.insert(privacyRequests).values({
    type: "access", channel: "email", requesterName: "Rosa Requester", requesterEmail: "rosa.requester@example.org",
    receivedAt: at("2030-02-01"), status: "open", assigneeAccountId: roles.Admin.account.id, ...values,
  }).returning();
  return row;
}

async function reminders(requestId: number) {
  return db.select().from(outboxEmails).where(sql`idempotency_key like ${`request-reminder:${requestId}:%`}`).orderBy(outboxEmails.id);
}
async function events(requestId: number) {
  return rows<{ reminder: string; due_at: string; recipients: number[] }>(await db.execute(sql`
    select details->>'reminder' as reminder, details->>'dueAt' as due_at, details->'recipientAccountIds' as recipients
    from privacy_request_events where request_id = ${requestId} and kind = 'reminder_sent' order by id`));
}

describe("request reminders", () => {
  it("sends the 7-day, the 1-day and the overdue reminder to the assignee, each once however often cron runs", async () => {
    const r = await request({ dueAt: addDays(TODAY, 7) });
    const run = (day: string) => sendRequestReminders(db, { now: at(day) });
    expect(await run(addDays(TODAY, -1))).toEqual({ reminders: 0, emails: 0 });
    expect(await run(TODAY)).toEqual({ reminders: 1, emails: 1 });
    expect(await run(TODAY)).toEqual({ reminders: 0, emails: 0 });
    expect(await run(addDays(TODAY, 3))).toEqual({ reminders: 0, emails: 0 });
    expect(await run(addDays(TODAY, 6))).toEqual({ reminders: 1, emails: 1 });
    expect(await run(addDays(TODAY, 7))).toEqual({ reminders: 0, emails: 0 });
    expect(await run(addDays(TODAY, 8))).toEqual({ reminders: 1, emails: 1 });
    for (const d of [8, 9, 30]) expect(await run(addDays(TODAY, d))).toEqual({ reminders: 0, emails: 0 });

    const mails = await reminders(r.id);
    expect(mails.map((m) => m.idempotencyKey)).toEqual(["7d", "1d", "overdue"].map((k) => `request-reminder:${r.id}:${k}:2030-03-17:${roles.Admin.account.id}`));
    expect(mails.every((m) => m.to === roles.Admin.account.email && m.recipientAccountId === roles.Admin.account.id && m.template === "request-reminder")).toBe(true);
    expect(mails.map((m) => m.subject)).toEqual([
      `Request #${r.id} is due on 17 March 2030`, `Request #${r.id} is due tomorrow`, `Request #${r.id} is overdue: it was due on 17 March 2030`,
    ]);
    expect(mails[0].text).toContain("7 days left");
    expect(mails[0].text).toContain(`/requests/${r.id}`);
    expect(mails[2].text).toContain("1 day ago");
    // The reminder names the request, never the requester.
    for (const m of mails) expect(`${m.subject} ${m.html} ${m.text}`).not.toMatch(/Rosa|Requester|example\.org/);
    expect((await events(r.id)).map((e) => [e.reminder, e.due_at, e.recipients])).toEqual(
      ["7d", "1d", "overdue"].map((k) => [k, "2030-03-17", [roles.Admin.account.id]]),
    );
  });

  it("a late run sends the current reminder once, never a stale one after it", async () => {
    const r = await request({ dueAt: addDays(TODAY, 3) });
    expect(await sendRequestReminders(db, { now: at(TODAY) })).toMatchObject({ reminders: 1 });
    // Down until the due day: the 1-day reminder goes late, the 7-day one is not repeated.
    expect(await sendRequestReminders(db, { now: at(addDays(TODAY, 3)) })).toMatchObject({ reminders: 1 });
    expect(await sendRequestReminders(db, { now: at(addDays(TODAY, 3)) })).toMatchObject({ reminders: 0 });
    const mails = await reminders(r.id);
    expect(mails.map((m) => m.idempotencyKey.split(":")[2])).toEqual(["7d", "1d"]);
    expect(mails[0].text).toContain("3 days left");
    expect(mails[1].subject).toBe(`Request #${r.id} is due today`);
    // A request registered long after it came in is reminded of once, as overdue.
    const late = await request({ dueAt: addDays(TODAY, -20) });
    expect(await sendRequestReminders(db, { now: at(TODAY) })).toMatchObject({ reminders: 1 });
    expect((await reminders(late.id)).map((m) => m.idempotencyKey.split(":")[2])).toEqual(["overdue"]);
    expect((await reminders(late.id))[0].text).toContain("20 days ago");
  });

  it("sends nothing for closed requests, and a paused clock moves the due date on", async () => {
    for (const status of ["fulfilled", "refused", "withdrawn"] as const) await request({ dueAt: TODAY, status, closedAt: at(TODAY) });
    // Due in 5 days as stored, but paused for 10 days: effectively due in 15.
    const paused = await request({ dueAt: addDays(TODAY, 5), status: "awaiting_identity", pausedSince: at(addDays(TODAY, -10)) });
    expect(await sendRequestReminders(db, { now: at(TODAY) })).toEqual({ reminders: 0, emails: 0 });
    // Awaiting identity without a pause (the setting is off) is reminded of like any open request.
    const unpaused = await request({ dueAt: addDays(TODAY, 1), status: "awaiting_identity" });
    const extended = await request({ dueAt: addDays(TODAY, 1), status: "extended", extensionMonths: 2 });
    expect(await sendRequestReminders(db, { now: at(TODAY) })).toEqual({ reminders: 2, emails: 2 });
    expect(await reminders(paused.id)).toEqual([]);
    expect((await reminders(unpaused.id)).length).toBe(1);
    expect((await reminders(extended.id)).length).toBe(1);
    // The pause ends: the effective date is the stored one plus the paused days.
    await db.update(privacyRequests).set({ status: "fulfilled", closedAt: at(TODAY) }).where(sql`id in (${unpaused.id}, ${extended.id})`);
    await db.update(privacyRequests).set({ pausedSince: null, pausedDays: 10, dueAt: addDays(TODAY, 15), status: "open" }).where(sql`id = ${paused.id}`);
    expect(await sendRequestReminders(db, { now: at(addDays(TODAY, 8)) })).toMatchObject({ reminders: 1 });
    expect((await events(paused.id))[0]).toMatchObject({ reminder: "7d", due_at: addDays(TODAY, 15) });
  });

  it("an extension moves the due date and earns a new set of reminders", async () => {
    const r = await request({ dueAt: addDays(TODAY, 1) });
    expect(await sendRequestReminders(db, { now: at(TODAY) })).toMatchObject({ reminders: 1 });
    const newDue = addDays(TODAY, 61);
    await db.update(privacyRequests).set({ status: "extended", extensionMonths: 2, dueAt: newDue }).where(sql`id = ${r.id}`);
    expect(await sendRequestReminders(db, { now: at(addDays(TODAY, 2)) })).toMatchObject({ reminders: 0 });
    expect(await sendRequestReminders(db, { now: at(addDays(newDue, -7)) })).toMatchObject({ reminders: 1 });
    expect(await sendRequestReminders(db, { now: at(addDays(newDue, -1)) })).toMatchObject({ reminders: 1 });
    expect(await sendRequestReminders(db, { now: at(addDays(newDue, 1)) })).toMatchObject({ reminders: 1 });
    expect((await events(r.id)).map((e) => `${e.reminder}@${e.due_at}`)).toEqual([
      `1d@${addDays(TODAY, 1)}`, `7d@${newDue}`, `1d@${newDue}`, `overdue@${newDue}`,
    ]);
    // The extension is used: the 7-day reminder no longer suggests one.
    const [sevenDays] = (await reminders(r.id)).filter((m) => m.idempotencyKey.includes(":7d:"));
    expect(sevenDays.text).not.toContain("extended once");
  });

  it("goes to every active holder of privacy.requests while unassigned, each in their language", async () => {
    const german = await createAccount(db, "Admin");
    await db.update(accounts).set({ locale: "de" }).where(sql`id = ${german.account.id}`);
    const gone = await createAccount(db, "SuperUser");
    await db.update(accounts).set({ active: false }).where(sql`id = ${gone.account.id}`);
    const r = await request({ dueAt: addDays(TODAY, 7), assigneeAccountId: null });
    // Assigned to an account that has lost the permission: as if unassigned.
    const staffOwned = await request({ dueAt: addDays(TODAY, 7), assigneeAccountId: roles.Staff.account.id });
    expect(await sendRequestReminders(db, { now: at(TODAY) })).toEqual({ reminders: 2, emails: 6 });
    for (const id of [r.id, staffOwned.id]) {
      const mails = await reminders(id);
      expect(mails.map((m) => m.recipientAccountId)).toEqual([roles.Admin.account.id, roles.SuperUser.account.id, german.account.id]);
      expect(mails[2].subject).toBe(`Antrag #${id} ist am 17. März 2030 fällig`);
      expect(mails[2].html).toContain('lang="de"');
      expect(mails[0].text).toContain("has no assignee");
    }
  });

  it("writes each reminder as the template renders it on its own, though React renders once per language and kind", async () => {
    const german = await createAccount(db, "Admin");
    await db.update(accounts).set({ locale: "de" }).where(sql`id = ${german.account.id}`);
    const made = [
      await request({ dueAt: addDays(TODAY, 5), type: "erasure", assigneeAccountId: german.account.id }),
      await request({ dueAt: addDays(TODAY, 0), type: "objection" }),
      await request({ dueAt: addDays(TODAY, -12), type: "restriction", assigneeAccountId: german.account.id, extensionMonths: 1, status: "extended" }),
      await request({ dueAt: addDays(TODAY, -1), type: "portability" }),
    ];
    await sendRequestReminders(db, { now: at(TODAY) });
    const [{ organisation_name }] = rows<{ organisation_name: string }>(await db.execute(sql`select organisation_name from privacy_settings`));
    const kinds = ["7d", "1d", "overdue", "overdue"] as const;
    for (const [i, r] of made.entries()) {
      const [mail] = await reminders(r.id);
      const german_ = r.assigneeAccountId === german.account.id;
      const direct = await renderEmail(createElement(RequestReminderEmail, {
        locale: german_ ? "de" : "en", timeZone: "Europe/Berlin", requestId: String(r.id), type: r.type, kind: kinds[i], dueAt: r.dueAt,
        daysLeft: [5, 0, -12, -1][i], extendable: r.extensionMonths === 0, assigned: true,
        requestUrl: `${env().APP_URL.replace(/\/$/, "")}/requests/${r.id}`, organisationName: organisation_name,
      }));
      expect(mail.text).toBe(direct.text);
      // Byte for byte but for the preview line's invisible padding, which follows the length of the request's number.
      const unpadded = (html: string) => html.replace(/<div>[\u00a0\u200c\u200b\u200d\u200e\u200f\ufeff]+<\/div>/, "<div></div>");
      expect(unpadded(mail.html!)).toBe(unpadded(direct.html));
    }
    expect((await reminders(made[2].id))[0].text).toContain("seit 12 Tagen");
  });

  it("a removed outbox row never causes a second reminder: the timeline bounds the selection", async () => {
    const r = await request({ dueAt: addDays(TODAY, 7) });
    await sendRequestReminders(db, { now: at(TODAY) });
    await db.delete(outboxEmails);
    expect(await sendRequestReminders(db, { now: at(addDays(TODAY, 1)) })).toEqual({ reminders: 0, emails: 0 });
    expect(await reminders(r.id)).toEqual([]);
    expect(await db.$count(privacyRequestEvents, sql`request_id = ${r.id}`)).toBe(1);
  });

  it("runs as a cron step before the outbox, which then keeps them (no transport)", async () => {
    const r = await request({ dueAt: addDays(TODAY, 1) });
    const result = await runCron(db, { now: at(TODAY), workerId: "cron-reminders" });
    expect(result.requestReminders).toEqual({ reminders: 1, emails: 1 });
    expect((await reminders(r.id))[0].status).toBe("kept");
  });
});

describe.runIf(onPostgres)("request reminders under concurrent cron calls (PostgreSQL)", () => {
  let connections: DbHandle[] = [];
  beforeAll(async () => {
    connections = await openConnections(db, 20);
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.close()));
  });

  it("20 calls at once send each reminder exactly once", async () => {
    const due = [];
    for (let i = 0; i < 30; i++) due.push(await request({ dueAt: addDays(TODAY, i % 9 - 1), assigneeAccountId: i % 3 ? roles.Admin.account.id : null }));
    const results = await Promise.all(connections.map((c, i) => runCron(c.db, { now: at(TODAY), workerId: `cron-${i}` })));
    const sent = results.map((r) => r.requestReminders as { reminders: number; emails: number });
    const expectedReminders = due.filter((_, i) => i % 9 - 1 <= 7).length;
    expect(sent.reduce((n, s) => n + s.reminders, 0)).toBe(expectedReminders);
    const [{ keys, distinct }] = rows<{ keys: number; distinct: number }>(await db.execute(sql`
      select count(*)::int as keys, count(distinct idempotency_key)::int as distinct from outbox_emails where template = 'request-reminder'`));
    expect(Number(keys)).toBe(sent.reduce((n, s) => n + s.emails, 0));
    expect(Number(distinct)).toBe(Number(keys));
    const [{ duplicates }] = rows<{ duplicates: number }>(await db.execute(sql`
      select count(*)::int as duplicates from (
        select request_id from privacy_request_events where kind = 'reminder_sent' group by request_id having count(*) > 1) d`));
    expect(Number(duplicates)).toBe(0);
    expect(await db.$count(privacyRequestEvents, sql`kind = 'reminder_sent'`)).toBe(expectedReminders);
    // And again, all at once: nothing more.
    const again = await Promise.all(connections.map((c) => sendRequestReminders(c.db, { now: at(TODAY) })));
    expect(again.reduce((n, s) => n + s.reminders, 0)).toBe(0);
  });
});

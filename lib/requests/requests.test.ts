import { desc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { auditEntries, outboxEmails, privacyRequestEvents, privacyRequests } from "@/db/schema";
import type { z } from "zod";
import { type Operation, runOperation } from "@/lib/operation";
import { useTestDatabase } from "@/test/db";
import { createAccount, createPerson } from "@/test/fixtures";
import { arrangeRoles } from "@/test/roles";
import { addDays, localDate } from "@/lib/schedule/clock";
import { requestDueDate } from "./clock";
import { getRequest, listRequests } from "./queries";
import { confirmRequestIdentity, extendRequest, receivedInstant, registerRequest, updateRequest, withdrawRequest } from "./requests";

// Registering a request and moving its clock (SPEC §11), on a real database: the status a
// request starts in, the pause while identity is unconfirmed, the one extension and its
// e-mail, withdrawal, and the rules that refuse bad input naming the field and write nothing.

const { db } = await useTestDatabase();
const { accounts } = await arrangeRoles(db);
const admin = accounts.Admin.account.id;
const TZ = "Europe/Berlin";
const DAY = 86_400_000;

const run = <S extends z.ZodType, R>(op: Operation<S, R>, input: unknown, accountId = admin) => runOperation(op, { db, accountId, input });

async function register(input: Record<string, unknown>) {
  const result = await runOperation(registerRequest, { db, accountId: admin, input: { type: "access", channel: "email", receivedAt: new Date(Date.now() - DAY).toISOString(), ...input } });
  if (!result.ok) throw new Error(`${result.message} ${JSON.stringify(result.fieldErrors)}`);
  return result.data.id;
}

async function requestRow(id: number) {
  const [row] = await db.select().from(privacyRequests).where(eq(privacyRequests.id, id));
  return row;
}

async function kinds(id: number) {
  return (await db.select({ kind: privacyRequestEvents.kind }).from(privacyRequestEvents).where(eq(privacyRequestEvents.requestId, id)).orderBy(privacyRequestEvents.id)).map((e) => e.kind);
}

async function counts() {
  return rows<{ requests: number; events: number; audit: number; outbox: number }>(await db.execute(sql`
    select (select count(*)::int from privacy_requests) as requests, (select count(*)::int from privacy_request_events) as events,
      (select count(*)::int from audit_entries) as audit, (select count(*)::int from outbox_emails) as outbox`))[0];
}

/** Sets the request's pause back by `days`, as if the days had passed. */
async function pausedFor(id: number, days: number) {
  await db.update(privacyRequests).set({ pausedSince: new Date(Date.now() - days * DAY) }).where(eq(privacyRequests.id, id));
}

describe("registering", () => {
  it("a person chosen by staff: open, due one month after the day it was received in the organisation's calendar", async () => {
    const person = await createPerson(db);
    // 23:30 in Berlin on 31 January is 22:30 UTC: received on the Berlin day, due on the last day of February.
    const id = await register({ personId: person.id, receivedAt: "2026-01-31T22:30:00Z", assigneeAccountId: admin, notes: "By letter" });
    const row = await requestRow(id);
    expect(row).toMatchObject({ status: "open", personId: person.id, dueAt: "2026-02-28", pausedSince: null, pausedDays: 0, source: "staff", assigneeAccountId: admin, notes: "By letter" });
    expect(row.identityConfirmedAt).not.toBeNull();
    expect(await kinds(id)).toEqual(["registered"]);
    const [entry] = await db.select().from(auditEntries).orderBy(desc(auditEntries.id)).limit(1);
    expect(entry).toMatchObject({ action: "privacy_request.registered", targetType: "privacy_request", targetId: id, actorAccountId: admin });
    expect(JSON.stringify(entry.details)).not.toContain(person.email!);
  });

  it("a wall-clock time without offset is read in the organisation's time zone", () => {
    expect(receivedInstant("2026-03-29T02:30", TZ).toISOString()).toBe("2026-03-29T01:30:00.000Z"); // in the gap: after it
    expect(receivedInstant("2026-07-01T09:15", TZ).toISOString()).toBe("2026-07-01T07:15:00.000Z");
    expect(receivedInstant("2026-12-31", TZ).toISOString()).toBe("2026-12-30T23:00:00.000Z");
    expect(receivedInstant("2026-07-01T09:15:00+02:00", TZ).toISOString()).toBe("2026-07-01T07:15:00.000Z");
  });

  it("a requester known only by name and e-mail waits for identity, the clock paused from receipt", async () => {
    const receivedAt = new Date(Date.now() - 3 * DAY);
    const id = await register({ requesterName: "Berta Vogel", requesterEmail: "berta@example.org", receivedAt: receivedAt.toISOString() });
    const row = await requestRow(id);
    expect(row).toMatchObject({ status: "awaiting_identity", personId: null, requesterEmail: "berta@example.org", identityConfirmedAt: null });
    expect(row.pausedSince?.toISOString()).toBe(receivedAt.toISOString());
    // The queue shows the due date moved on by the three paused days.
    const got = await run(getRequest, { id });
    if (!got.ok) throw new Error(got.message);
    expect(got.data.totalPausedDays).toBe(3);
    expect(got.data.effectiveDueAt).toBe(addDays(requestDueDate({ receivedAt, timeZone: TZ }), 3));
  });

  it("a person whose identity staff have not confirmed waits too; with the pause switched off the clock runs", async () => {
    const person = await createPerson(db);
    const waiting = await requestRow(await register({ personId: person.id, identityConfirmed: false }));
    expect(waiting).toMatchObject({ status: "awaiting_identity", personId: person.id });
    expect(waiting.pausedSince).not.toBeNull();
    await db.execute(sql`update privacy_settings set request_clock_pause = false where id = 1`);
    try {
      const running = await requestRow(await register({ requesterEmail: "c@example.org" }));
      expect(running).toMatchObject({ status: "awaiting_identity", pausedSince: null });
    } finally {
      await db.execute(sql`update privacy_settings set request_clock_pause = true where id = 1`);
    }
  });

  const valid = { type: "erasure", channel: "letter", receivedAt: "2026-01-10T10:00", requesterEmail: "d@example.org" };
  it.each([
    ["a received time in the future", { receivedAt: new Date(Date.now() + 2 * 3600_000).toISOString() }, "receivedAt"],
    ["a received day in the future", { receivedAt: localDate(new Date(Date.now() + 2 * DAY), TZ) }, "receivedAt"],
    ["an impossible day", { receivedAt: "2026-02-30T10:00" }, "receivedAt"],
    ["an impossible hour", { receivedAt: "2026-02-03T25:00" }, "receivedAt"],
    ["a received time long ago", { receivedAt: "1999-12-31T12:00:00Z" }, "receivedAt"],
    ["a received time that is not a time", { receivedAt: 1_700_000_000 }, "receivedAt"],
    ["neither a person nor an e-mail address", { requesterEmail: "", requesterName: "Only a name" }, "requesterEmail"],
    ["an e-mail address that is none", { requesterEmail: "not-an-address" }, "requesterEmail"],
    ["a person who does not exist", { personId: 2_000_000_000 }, "personId"],
    ["a person id beyond integer", { personId: 2 ** 40 }, "personId"],
    ["an unknown type", { type: "deletion" }, "type"],
    ["an unknown channel", { channel: "fax" }, "channel"],
    ["an assignee without privacy.requests", { assigneeAccountId: "staff" }, "assigneeAccountId"],
    ["an assignee that does not exist", { assigneeAccountId: 2_000_000_000 }, "assigneeAccountId"],
    ["notes with a NUL byte", { notes: "a\u0000b" }, "notes"],
    ["notes too long", { notes: "x".repeat(5001) }, "notes"],
    ["identityConfirmed that is not a flag", { identityConfirmed: "perhaps" }, "identityConfirmed"],
  ])("refuses %s naming the field, writing nothing", async (_name, change, field) => {
    const input: Record<string, unknown> = { ...valid, ...change };
    if (input.assigneeAccountId === "staff") input.assigneeAccountId = accounts.Staff.account.id;
    const before = await counts();
    const result = await run(registerRequest, input);
    expect(result).toMatchObject({ ok: false, code: "invalid_input" });
    if (!result.ok) expect(Object.keys(result.fieldErrors ?? {})).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it("refuses an anonymised person naming personId", async () => {
    const person = await createPerson(db, { anonymisedAt: new Date() });
    const result = await run(registerRequest, { ...valid, requesterEmail: undefined, personId: person.id });
    expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { personId: [expect.stringContaining("anonymised")] } });
  });

  it("refuses a deactivated assignee", async () => {
    const { account } = await createAccount(db, "Admin");
    await db.execute(sql`update accounts set active = false where id = ${account.id}`);
    const result = await run(registerRequest, { ...valid, assigneeAccountId: account.id });
    expect(result).toMatchObject({ ok: false, fieldErrors: { assigneeAccountId: expect.any(Array) } });
  });
});

describe("confirming the identity", () => {
  it("closes the pause: its whole days are added to the due date, and the clock runs again", async () => {
    const receivedAt = new Date(Date.now() - 12 * DAY);
    const id = await register({ requesterEmail: "e@example.org", receivedAt: receivedAt.toISOString() });
    await pausedFor(id, 10);
    const person = await createPerson(db);
    const result = await run(confirmRequestIdentity, { requestId: id, personId: person.id });
    expect(result.ok).toBe(true);
    const row = await requestRow(id);
    expect(row).toMatchObject({ status: "open", personId: person.id, pausedSince: null, pausedDays: 10 });
    expect(row.dueAt).toBe(requestDueDate({ receivedAt, timeZone: TZ, pausedDays: 10 }));
    expect(await kinds(id)).toEqual(["registered", "identity_confirmed"]);
    // Once confirmed, it cannot be confirmed again.
    expect(await run(confirmRequestIdentity, { requestId: id, personId: person.id })).toMatchObject({ ok: false, code: "conflict", fieldErrors: { identityConfirmed: expect.any(Array) } });
  });

  it("refuses an anonymised person and an unknown request", async () => {
    const id = await register({ requesterEmail: "f@example.org" });
    const gone = await createPerson(db, { anonymisedAt: new Date() });
    expect(await run(confirmRequestIdentity, { requestId: id, personId: gone.id })).toMatchObject({ ok: false, fieldErrors: { personId: expect.any(Array) } });
    expect((await requestRow(id)).status).toBe("awaiting_identity");
    expect(await run(confirmRequestIdentity, { requestId: 2_000_000_000, personId: gone.id })).toMatchObject({ ok: false, code: "not_found" });
  });
});

describe("extending", () => {
  it("once, by two months with a reason: status extended, due three months after receipt, the requester told why and when", async () => {
    const id = await register({ requesterEmail: "g@example.org", personId: (await createPerson(db)).id, receivedAt: "2026-01-31T09:00" });
    const result = await run(extendRequest, { requestId: id, months: 2, reason: "Twelve years of records in three archives" });
    expect(result).toMatchObject({ ok: true, data: { dueAt: "2026-04-30" } });
    const row = await requestRow(id);
    expect(row).toMatchObject({ status: "extended", extensionMonths: 2, extensionReason: "Twelve years of records in three archives", dueAt: "2026-04-30" });
    const [mail] = await db.select().from(outboxEmails).where(eq(outboxEmails.idempotencyKey, `privacy-request:${id}:extended`));
    expect(mail).toMatchObject({ to: "g@example.org", template: "request-extended" });
    expect(mail.text).toContain("Twelve years of records in three archives");
    expect(mail.text).toContain("30 April 2026");
    expect(await kinds(id)).toEqual(["registered", "extended", "reply_sent"]);
  });

  it("writes to the person's address when the requester gave none, in the organisation's language", async () => {
    const person = await createPerson(db);
    const id = await register({ personId: person.id, receivedAt: "2026-03-15T09:00" });
    await db.execute(sql`update privacy_settings set language = 'de' where id = 1`);
    try {
      expect((await run(extendRequest, { requestId: id, months: 1, reason: "Viele Anträge" })).ok).toBe(true);
    } finally {
      await db.execute(sql`update privacy_settings set language = 'en' where id = 1`);
    }
    const [mail] = await db.select().from(outboxEmails).where(eq(outboxEmails.idempotencyKey, `privacy-request:${id}:extended`));
    expect(mail.to).toBe(person.email);
    expect(mail.text).toContain("15. Mai 2026");
  });

  it("refuses a second extension naming `extension`, and more than three months in all naming `months`; nothing is written", async () => {
    const id = await register({ requesterEmail: "h@example.org" });
    expect((await run(extendRequest, { requestId: id, months: 1, reason: "Complex" })).ok).toBe(true);
    const before = await counts();
    expect(await run(extendRequest, { requestId: id, months: 1, reason: "Again" })).toMatchObject({ ok: false, code: "conflict", fieldErrors: { extension: expect.any(Array) } });
    const other = await register({ requesterEmail: "i@example.org" });
    const after = await counts();
    for (const months of [3, 0, -1, 1.5, "2x", null]) {
      expect(await run(extendRequest, { requestId: other, months, reason: "Complex" }), String(months)).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { months: expect.any(Array) } });
    }
    expect(await run(extendRequest, { requestId: other, months: 2, reason: "   " })).toMatchObject({ ok: false, fieldErrors: { reason: expect.any(Array) } });
    expect(await counts()).toEqual(after);
    expect(after.events).toBe(before.events + 1);
    expect((await requestRow(id)).extensionMonths).toBe(1);
  });
});

describe("updating and withdrawing", () => {
  it("assigns, unassigns and takes notes, on the timeline without the notes' words", async () => {
    const id = await register({ requesterEmail: "j@example.org" });
    expect((await run(updateRequest, { requestId: id, assigneeAccountId: accounts.SuperUser.account.id, notes: "Called back" })).ok).toBe(true);
    expect(await requestRow(id)).toMatchObject({ assigneeAccountId: accounts.SuperUser.account.id, notes: "Called back" });
    expect((await run(updateRequest, { requestId: id, assigneeAccountId: "" })).ok).toBe(true);
    expect(await requestRow(id)).toMatchObject({ assigneeAccountId: null, notes: "Called back" });
    const [event] = await db.select().from(privacyRequestEvents).where(eq(privacyRequestEvents.requestId, id)).orderBy(desc(privacyRequestEvents.id)).limit(1);
    expect(JSON.stringify(event.details)).not.toContain("Called back");
    expect(await run(updateRequest, { requestId: id, assigneeAccountId: accounts.Agent.account.id })).toMatchObject({ ok: false, fieldErrors: { assigneeAccountId: expect.any(Array) } });
  });

  it("withdraws; a closed request cannot be changed (409 naming status), and its clock no longer runs", async () => {
    const id = await register({ requesterEmail: "k@example.org" });
    await pausedFor(id, 4);
    expect(await run(withdrawRequest, { requestId: id, reason: "Requester changed their mind" })).toMatchObject({ ok: true, data: { status: "withdrawn" } });
    const row = await requestRow(id);
    expect(row).toMatchObject({ status: "withdrawn", pausedSince: null, pausedDays: 4 });
    expect(row.closedAt).not.toBeNull();
    const before = await counts();
    const personId = (await createPerson(db)).id;
    for (const attempt of [
      () => run(withdrawRequest, { requestId: id }),
      () => run(updateRequest, { requestId: id, notes: "late" }),
      () => run(extendRequest, { requestId: id, months: 1, reason: "late" }),
      () => run(confirmRequestIdentity, { requestId: id, personId }),
    ]) {
      expect(await attempt()).toMatchObject({ ok: false, code: "conflict", fieldErrors: { status: expect.any(Array) } });
    }
    expect(await counts()).toEqual(before);
    const got = await run(getRequest, { id });
    expect(got).toMatchObject({ ok: true, data: { daysLeft: null, totalPausedDays: 4 } });
  });
});

describe("the queue", () => {
  it("sorts open requests by the due date a running pause moves on, with the days left, and filters", async () => {
    await db.execute(sql`delete from privacy_requests`);
    const now = Date.now();
    const soon = await register({ requesterEmail: "soon@example.org", personId: (await createPerson(db)).id, receivedAt: new Date(now - 25 * DAY).toISOString(), assigneeAccountId: admin });
    const overdue = await register({ requesterEmail: "late@example.org", personId: (await createPerson(db)).id, receivedAt: new Date(now - 40 * DAY).toISOString(), type: "erasure" });
    // Received earliest of all, but paused for 30 days: due after the others.
    const paused = await register({ requesterName: "Paula Pause", requesterEmail: "paused@example.org", receivedAt: new Date(now - 45 * DAY).toISOString() });
    const closed = await register({ requesterEmail: "closed@example.org" });
    await run(withdrawRequest, { requestId: closed });

    const list = async (input: Record<string, unknown>, accountId = admin) => {
      const result = await run(listRequests, input, accountId);
      if (!result.ok) throw new Error(result.message);
      return result.data;
    };
    const open = await list({});
    expect(open.items.map((r) => r.id)).toEqual([overdue, soon, paused]);
    expect(open.total).toBe(3);
    expect(open.items[0].daysLeft).toBeLessThan(0);
    expect(open.items[1].daysLeft).toBeGreaterThan(0);
    expect(open.items[2].totalPausedDays).toBeGreaterThanOrEqual(44);
    expect(open.items[2].daysLeft).toBeGreaterThan(open.items[1].daysLeft!);

    expect((await list({ status: "withdrawn" })).items.map((r) => r.id)).toEqual([closed]);
    expect((await list({ status: "all" })).total).toBe(4);
    expect((await list({ type: "erasure" })).items.map((r) => r.id)).toEqual([overdue]);
    expect((await list({ assignee: "me" })).items.map((r) => r.id)).toEqual([soon]);
    expect((await list({ assignee: String(admin) })).items.map((r) => r.id)).toEqual([soon]);
    expect((await list({ assignee: "unassigned" })).items.map((r) => r.id)).toEqual([overdue, paused]);
    expect((await list({ query: "paula" })).items.map((r) => r.id)).toEqual([paused]);
    // The overview's links: due within 7 days, overdue.
    expect((await list({ due: "overdue" })).items.map((r) => r.id)).toEqual([overdue]);
    expect((await list({ due: "7d" })).items.map((r) => r.id)).toEqual([soon]);
    expect((await list({ query: `#${soon}` })).items.map((r) => r.id)).toEqual([soon]);
    expect((await list({ query: "99999999999" })).items).toEqual([]);
    expect((await list({ query: "100%_" })).items).toEqual([]);
    expect((await list({ sort: "due", dir: "desc" })).items.map((r) => r.id)).toEqual([paused, soon, overdue]);
    const second = await list({ pageSize: 2, page: 2 });
    expect(second).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(second.items.map((r) => r.id)).toEqual([paused]);
    expect(await list({ pageSize: 2, page: 9 })).toMatchObject({ items: [], total: 3 });
  });

  it.each([
    [{ status: "pending" }, "status"], [{ type: 7 }, "type"], [{ assignee: "someone" }, "assignee"], [{ assignee: "0" }, "assignee"],
    [{ page: "0" }, "page"], [{ pageSize: "201" }, "pageSize"], [{ sort: "name" }, "sort"], [{ dir: "up" }, "dir"], [{ due: "tomorrow" }, "due"], [{ query: "x".repeat(201) }, "query"],
  ])("refuses the filter %j naming it", async (input, field) => {
    expect(await run(listRequests, input)).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { [field]: expect.any(Array) } });
  });

  it("answers a page of 10,000 open requests in one statement, quickly", async () => {
    await db.execute(sql`delete from privacy_requests`);
    await db.execute(sql`
      insert into privacy_requests (type, status, requester_email, channel, received_at, due_at, paused_since, assignee_account_id)
      select 'access', case when i % 10 = 0 then 'awaiting_identity' else 'open' end, 'r' || i || '@example.org', 'email',
        now() - (i % 40) * interval '1 day', (now() - (i % 40) * interval '1 day' + interval '1 month')::date,
        case when i % 10 = 0 then now() - (i % 40) * interval '1 day' end, case when i % 3 = 0 then ${admin}::int end
      from generate_series(1, 10000) i`);
    const started = performance.now();
    const result = await run(listRequests, { page: 3 });
    const elapsed = performance.now() - started;
    if (!result.ok) throw new Error(result.message);
    expect(result.data.total).toBe(10_000);
    expect(result.data.items).toHaveLength(25);
    const dues = result.data.items.map((r) => r.effectiveDueAt);
    expect(dues).toEqual([...dues].sort());
    expect(elapsed).toBeLessThan(2000);
  });
});

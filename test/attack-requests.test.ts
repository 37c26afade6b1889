import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, rows } from "@/db/client";
import { outboxEmails, privacyRequests, privacySettings, privacyTasks, requestDownloads } from "@/db/schema";
import type { z } from "zod";
import { type Operation, runOperation } from "@/lib/operation";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { createAnonymisationTask } from "@/lib/privacy/tasks/tasks";
import { runWorker } from "@/lib/privacy/worker/worker";
import { takeRequestDownload } from "@/lib/requests/fulfil/download";
import { fulfilRequest, refuseRequest } from "@/lib/requests/fulfil/fulfil";
import { getRequest } from "@/lib/requests/queries";
import { confirmRequestIdentity, extendRequest, registerRequest, withdrawRequest } from "@/lib/requests/requests";
import { addDays } from "@/lib/schedule/clock";
import { onPostgres, openConnections, useTestDatabase } from "./db";
import { countRows, createPerson } from "./fixtures";
import { arrangeRoles } from "./roles";

// Data-subject requests under attack (SPEC §11): what the audit log keeps of a request's
// free text, the clock when the organisation's time zone changes after registration, and
// a withdrawal while the erasure it asked for is on its way.

const { db } = await useTestDatabase();
const { accounts } = await arrangeRoles(db);
const admin = accounts.Admin.account.id;

const run = <S extends z.ZodType, R>(op: Operation<S, R>, input: unknown) => runOperation(op, { db, accountId: admin, input });

async function register(input: Record<string, unknown>) {
  const result = await run(registerRequest, { type: "access", channel: "email", ...input });
  if (!result.ok) throw new Error(`${result.message} ${JSON.stringify(result.fieldErrors)}`);
  return result.data.id;
}

const setTimeZone = (timeZone: string) => db.update(privacySettings).set({ timeZone }).where(eq(privacySettings.id, 1));

afterEach(async () => {
  await setTimeZone("Europe/Berlin");
  await db.update(privacySettings).set({ requestClockPause: true, anonymisationEnabled: true }).where(eq(privacySettings.id, 1));
});

async function auditDump() {
  return rows<{ line: string }>(await db.execute(sql`select a::text as line from audit_entries a union all select e::text from activity_events e`))
    .map((r) => r.line).join("\n").toLowerCase();
}

describe("the audit log keeps no personal data of the requester", () => {
  it("an extension's and a withdrawal's reasons that name the requester stay on the request, not in the log", async () => {
    const id = await register({ requesterName: "Philippa Grünewald-Ostrowski", requesterEmail: "p.ostrowski@example.org", receivedAt: "2026-11-01T10:00" });
    const extended = await run(extendRequest, { requestId: id, months: 1, reason: "Philippa Grünewald-Ostrowski (p.ostrowski@example.org) asked for 40 years of letters" });
    expect(extended.ok).toBe(true);
    const withdrawn = await run(withdrawRequest, { requestId: id, reason: "Ms Grünewald-Ostrowski phoned: no longer needed" });
    expect(withdrawn.ok).toBe(true);
    const dump = await auditDump();
    expect(dump).toContain("privacy_request.extended");
    expect(dump).toContain("privacy_request.withdrawn");
    expect(dump).toContain("40 years of letters");
    for (const identifier of ["Philippa", "Grünewald", "Ostrowski", "p.ostrowski@example.org"]) expect(dump).not.toContain(identifier.toLowerCase());
    // The request's own timeline keeps the words (it is purged with the request).
    const detail = await run(getRequest, { id });
    if (!detail.ok) throw new Error(detail.message);
    expect(detail.data.timeline.find((e) => e.kind === "extended")?.details).toMatchObject({ reason: expect.stringContaining("40 years of letters") });
    expect(detail.data.timeline.find((e) => e.kind === "withdrawn")?.details).toMatchObject({ reason: expect.stringContaining("no longer needed") });
  });
});

describe("the clock when the organisation's time zone changes after registration", () => {
  // Received at 00:30 in Berlin on 1 February (23:30 UTC on 31 January): due on 1 March.
  const receivedAt = "2026-01-31T23:30:00Z";

  it("an extension moves the stored due date by its months, not by a day lost to the new calendar", async () => {
    const person = await createPerson(db);
    const id = await register({ personId: person.id, receivedAt });
    const [registered] = await db.select().from(privacyRequests).where(eq(privacyRequests.id, id));
    expect(registered.dueAt).toBe("2026-03-01");
    await setTimeZone("UTC");
    const extended = await run(extendRequest, { requestId: id, months: 1, reason: "Archive records" });
    expect(extended).toMatchObject({ ok: true, data: { dueAt: "2026-04-01" } });
  });

  it("confirming the identity moves the due date by the paused days shown, whatever the calendar did in between", async () => {
    const id = await register({ requesterName: "Zeno Example", requesterEmail: "zeno@example.org", receivedAt });
    await setTimeZone("UTC");
    // What the queue shows just before the confirmation is what the request is due on after it.
    const before = await run(getRequest, { id });
    if (!before.ok) throw new Error(before.message);
    const person = await createPerson(db);
    const confirmed = await run(confirmRequestIdentity, { requestId: id, personId: person.id });
    if (!confirmed.ok) throw new Error(confirmed.message);
    expect(confirmed.data.dueAt).toBe(addDays("2026-03-01", confirmed.data.pausedDays));
    expect(confirmed.data.dueAt).toBe(before.data.effectiveDueAt);
  });

  it("without a time zone change, the queue's due date before a confirmation is the due date after it", async () => {
    const id = await register({ requesterName: "Zeno Example", requesterEmail: "zeno2@example.org", receivedAt: "2026-10-25T00:30:00Z" });
    const before = await run(getRequest, { id });
    if (!before.ok) throw new Error(before.message);
    const confirmed = await run(confirmRequestIdentity, { requestId: id, personId: (await createPerson(db)).id });
    expect(confirmed).toMatchObject({ ok: true, data: { dueAt: before.data.effectiveDueAt, pausedDays: before.data.totalPausedDays } });
  });
});

describe("withdrawing an erasure request while its task is on its way", () => {
  it("is refused naming the task while it is queued, awaiting approval or running, and allowed once it is cancelled", async () => {
    const person = await createPerson(db);
    const id = await register({ type: "erasure", personId: person.id, receivedAt: "2026-11-01T10:00" });
    const task = await run(createAnonymisationTask, { personId: person.id, origin: "manual", requestId: id });
    if (!task.ok) throw new Error(`${task.message} ${JSON.stringify(task.fieldErrors)}`);
    const before = { audit: await countRows(db, "audit_entries"), events: await countRows(db, "privacy_request_events") };
    for (const status of ["queued", "awaiting_approval", "running"] as const) {
      await db.update(privacyTasks).set({ status }).where(eq(privacyTasks.id, task.data.id));
      const result = await run(withdrawRequest, { requestId: id, reason: "Changed my mind" });
      expect(result).toMatchObject({ ok: false, code: "conflict", fieldErrors: { status: [expect.stringContaining(`#${task.data.id}`)] } });
      const [row] = await db.select().from(privacyRequests).where(eq(privacyRequests.id, id));
      expect(row.status).toBe("open");
      expect({ audit: await countRows(db, "audit_entries"), events: await countRows(db, "privacy_request_events") }).toEqual(before);
    }
    await db.update(privacyTasks).set({ status: "cancelled", finishedAt: new Date() }).where(eq(privacyTasks.id, task.data.id));
    expect(await run(withdrawRequest, { requestId: id })).toMatchObject({ ok: true, data: { status: "withdrawn" } });
  });
});

describe("refusing a request whose identity was never confirmed", () => {
  it("closes the pause: the refused request's due date and paused days stop moving", async () => {
    const id = await register({ requesterName: "Una Known", requesterEmail: "una@example.org", receivedAt: "2026-11-01T10:00" });
    const before = await run(getRequest, { id });
    if (!before.ok) throw new Error(before.message);
    expect(await run(refuseRequest, { requestId: id, refusalBasis: "art11_2", reply: "We could not identify you." })).toMatchObject({ ok: true });
    const [row] = await db.select().from(privacyRequests).where(eq(privacyRequests.id, id));
    expect(row).toMatchObject({ status: "refused", pausedSince: null, pausedDays: before.data.totalPausedDays, dueAt: before.data.effectiveDueAt });
  });
});

describe("a restriction's prevention day", () => {
  it("a day already past is refused naming preventionUntil, the field given, and nothing is written", async () => {
    const id = await register({ type: "restriction", personId: (await createPerson(db)).id, receivedAt: "2026-11-01T10:00" });
    const before = { audit: await countRows(db, "audit_entries"), events: await countRows(db, "privacy_request_events"), outbox: await countRows(db, "outbox_emails") };
    const result = await run(fulfilRequest, { requestId: id, preventionUntil: "2001-01-01" });
    expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { preventionUntil: [expect.any(String)] } });
    expect(result.ok ? {} : result.fieldErrors).not.toHaveProperty("expiresAt");
    expect(result.ok ? "" : result.message).toMatch(/^preventionUntil: /);
    expect({ audit: await countRows(db, "audit_entries"), events: await countRows(db, "privacy_request_events"), outbox: await countRows(db, "outbox_emails") }).toEqual(before);
    const [row] = await db.select().from(privacyRequests).where(eq(privacyRequests.id, id));
    expect(row.status).toBe("open");
  });
});

describe("an access request's export when the person is erased afterwards", () => {
  async function answeredAccess() {
    const person = await createPerson(db, { firstName: "Ottilie", lastName: "Brennecke", email: "o.brennecke@example.org" });
    const id = await register({ personId: person.id, receivedAt: "2026-11-01T10:00" });
    expect(await run(fulfilRequest, { requestId: id })).toMatchObject({ ok: true });
    const [mail] = await db.select().from(outboxEmails).where(sql`${outboxEmails.idempotencyKey} like ${`privacy-request:${id}:reply:%`}`);
    const token = /\/request\/download\/([A-Za-z0-9_-]{43})/.exec(mail.text ?? "")?.[1];
    expect(token).toBeTruthy();
    expect((await takeRequestDownload(db, { token })).kind).toBe("file");
    return { person, id, token: token! };
  }

  const stored = async (requestId: number) =>
    (await db.select({ content: requestDownloads.content }).from(requestDownloads).where(eq(requestDownloads.requestId, requestId)))[0].content;

  it("anonymisation empties the file: the link answers as expired, nothing of the person is left in it", async () => {
    const { person, id, token } = await answeredAccess();
    await db.insert(privacyTasks).values({ action: "anonymise", subjectPersonId: person.id, subjectLabel: "O***e", progressTotal: 1 });
    await runWorker(db, { workerId: "attack-requests" });
    expect(await stored(id)).toBeNull();
    expect(await takeRequestDownload(db, { token })).toEqual({ kind: "expired" });
  });

  it("deletion empties the file too", async () => {
    const { person, id, token } = await answeredAccess();
    const created = await run(createDeletionTask, { personId: person.id });
    if (!created.ok) throw new Error(`${created.message} ${JSON.stringify(created.fieldErrors)}`);
    await runWorker(db, { workerId: "attack-requests" });
    expect((await db.select({ status: privacyTasks.status }).from(privacyTasks).where(eq(privacyTasks.id, created.data.id)))[0].status).toBe("completed");
    expect(await stored(id)).toBeNull();
    expect(await takeRequestDownload(db, { token })).toEqual({ kind: "expired" });
  });
});

describe.runIf(onPostgres)("two staff at once on one request (PostgreSQL, two connections)", () => {
  let connections: DbHandle[] = [];
  beforeAll(async () => {
    connections = await openConnections(db, 2);
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.close()));
  });
  const both = <S extends z.ZodType, R>(op: Operation<S, R>, inputs: [unknown, unknown]) =>
    Promise.all(connections.map((c, i) => runOperation(op, { db: c.db, accountId: admin, input: inputs[i] })));

  it("fulfilling twice builds one export and sends one reply; the other is told it is fulfilled", async () => {
    const id = await register({ personId: (await createPerson(db)).id, receivedAt: "2026-11-01T10:00" });
    const results = await both(fulfilRequest, [{ requestId: id }, { requestId: id }]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ code: "conflict", fieldErrors: { status: ["is fulfilled"] } });
    expect(await countRows(db, "request_downloads", sql`request_id = ${id}`)).toBe(1);
    expect(await countRows(db, "outbox_emails", sql`idempotency_key like ${`privacy-request:${id}:reply:%`}`)).toBe(1);
  });

  it("extending twice extends once and e-mails once", async () => {
    const id = await register({ personId: (await createPerson(db)).id, receivedAt: "2026-11-01T10:00" });
    const results = await both(extendRequest, [{ requestId: id, months: 1, reason: "a" }, { requestId: id, months: 2, reason: "b" }]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ code: "conflict", fieldErrors: { extension: expect.any(Array) } });
    expect(await countRows(db, "privacy_request_events", sql`request_id = ${id} and kind = 'extended'`)).toBe(1);
  });

  it("a withdrawal and the erasure task from the request at once: one of them, never a withdrawn request with a task on its way", async () => {
    const person = await createPerson(db);
    const id = await register({ type: "erasure", personId: person.id, receivedAt: "2026-11-01T10:00" });
    const [withdrawn, created] = await Promise.all([
      runOperation(withdrawRequest, { db: connections[0].db, accountId: admin, input: { requestId: id } }),
      runOperation(createDeletionTask, { db: connections[1].db, accountId: admin, input: { personId: person.id, requestId: id } }),
    ]);
    expect([withdrawn.ok, created.ok].filter(Boolean)).toHaveLength(1);
    const [row] = await db.select().from(privacyRequests).where(eq(privacyRequests.id, id));
    const open = await countRows(db, "privacy_tasks", sql`request_id = ${id} and status in ('queued', 'running', 'awaiting_approval')`);
    expect({ status: row.status, open }).toEqual(withdrawn.ok ? { status: "withdrawn", open: 0 } : { status: "open", open: 1 });
  });
});

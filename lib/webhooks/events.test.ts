import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type DbHandle, rows } from "@/db/client";
import { type NewPrivacyRequest, privacyRequests } from "@/db/schema";
import { runCron } from "@/lib/cron";
import { runOperation } from "@/lib/operation";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { addDays } from "@/lib/schedule/clock";
import { onPostgres, openConnections, useTestDatabase } from "@/test/db";
import { createAccount, createCustomerWithTickets, createPerson, createPrivacyOfficer, getTask, openLoan } from "@/test/fixtures";
import { type Receiver, startReceiver } from "@/test/webhook-receiver";
import { deliveriesOf, registerEndpoint, useWebhookEnvironment } from "@/test/webhooks";
import { webhookPayloadSchema } from "./payloads";

// Which events are queued, when, and what they carry: a privacy task's end (the real worker,
// through runCron), a data-subject request due within 7 days or overdue — each once, however
// often and however concurrently cron runs — and never a byte of personal data.

useWebhookEnvironment();
const handle = await useTestDatabase();
const { db } = handle;
const admin = (await createAccount(db, "Admin")).account.id;
const officer = (await createPrivacyOfficer(db)).account.id;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());
beforeEach(async () => {
  receiver.received.length = 0;
  await db.execute(sql`delete from webhook_endpoints`);
  await db.execute(sql`delete from privacy_requests`);
});

/** Noon in Berlin on `day`. */
const at = (day: string) => new Date(`${day}T11:00:00Z`);
const TODAY = "2030-03-10";

async function queueDeletion() {
  const { person } = await createCustomerWithTickets(db, 2, 1);
  const result = await runOperation(createDeletionTask, { db, accountId: officer, input: { personId: person.id, origin: "api" } });
  if (!result.ok) throw new Error(result.message);
  return { task: result.data, person };
}

async function request(values: Partial<NewPrivacyRequest> & { dueAt: string }) {
  const [row] = await db.insert(privacyRequests).values({
    type: "erasure", channel: "email", requesterName: "Rosalind Quellbrunn", requesterEmail: "rosalind.quellbrunn@example.org",
    notes: "Called about her daughter's lessons", receivedAt: at("2030-02-01"), status: "open", ...values,
  }).returning();
  return row;
}

/** Every stored delivery as text (event id and body), to look for personal data in. */
async function storedText() {
  return rows<{ text: string }>(await db.execute(sql`select event_id || ' ' || payload::text || ' ' || coalesce(last_error, '') as text from webhook_deliveries`))
    .map((r) => r.text).join("\n");
}

describe("task.completed and task.failed", () => {
  it("are queued by the worker in the transaction that ends the task, one per subscribed endpoint, and sent in the same cron call", async () => {
    const all = await registerEndpoint(db, admin, receiver.url);
    const failedOnly = await registerEndpoint(db, admin, receiver.url, ["task.failed"]);
    await registerEndpoint(db, admin, receiver.url, ["request.overdue"]);
    const { task: completing, person } = await queueDeletion();
    // A system person cannot be deleted: the worker fails that task.
    const { task: failing } = await queueDeletion();
    await db.execute(sql`update people set system = true where id = (select subject_person_id from privacy_tasks where id = ${failing.id})`);

    const result = await runCron(db, { workerId: "webhook-events" });
    expect(result.tasks).toMatchObject({ completed: 1, failed: 1 });
    expect(result.webhooks).toEqual({ queued: { dueSoon: 0, overdue: 0 }, delivered: 3, retrying: 0, failed: 0, purged: 0 });
    expect((await getTask(db, completing.id)).status).toBe("completed");
    expect((await getTask(db, failing.id)).status).toBe("failed");

    const toAll = (await deliveriesOf(db, all.id)).sort((a, b) => a.event_type.localeCompare(b.event_type));
    expect(toAll.map((d) => [d.event_type, d.event_id, d.status, d.attempts])).toEqual([
      ["task.completed", `task.completed:${completing.id}:0`, "delivered", 1],
      ["task.failed", `task.failed:${failing.id}:0`, "delivered", 1],
    ]);
    expect((await deliveriesOf(db, failedOnly.id)).map((d) => d.event_id)).toEqual([`task.failed:${failing.id}:0`]);
    const completed = toAll[0].payload;
    expect(webhookPayloadSchema.parse(completed)).toEqual(completed);
    expect(completed).toEqual({
      id: `task.completed:${completing.id}:0`, type: "task.completed", createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      data: {
        taskId: completing.id, action: "delete", origin: "api", status: "completed", subjectPersonId: person.id, requestId: null,
        counts: expect.objectContaining({ tickets: 2 }), deletedTickets: 2, residueFound: 0,
        createdAt: expect.any(String), finishedAt: expect.any(String), url: `http://localhost:3000/privacy/tasks/${completing.id}`,
      },
    });
    expect(toAll[1].payload).toMatchObject({ type: "task.failed", data: { taskId: failing.id, status: "failed", residueFound: null } });
    expect(receiver.received.map((r) => r.headers["lethe-event-id"]).sort()).toEqual(
      [`task.completed:${completing.id}:0`, `task.failed:${failing.id}:0`, `task.failed:${failing.id}:0`].sort(),
    );
    // A second call finds nothing new to queue or send.
    expect((await runCron(db, { workerId: "webhook-events-2" })).webhooks).toMatchObject({ delivered: 0, retrying: 0, failed: 0 });
  });

  it("a task skipped because its person is no longer eligible completes too, and says so in its counts", async () => {
    await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
    try {
      const { id } = await registerEndpoint(db, admin, receiver.url, ["task.completed"]);
      // An open loan: not eligible when the worker comes.
      const person = await createPerson(db);
      await openLoan(db, person.id);
      const [task] = rows<{ id: number }>(await db.execute(sql`
        insert into privacy_tasks (action, origin, subject_person_id, subject_label, progress_total)
        values ('anonymise', 'manual', ${person.id}, 'A***a', 1) returning id`));
      await runCron(db, { workerId: "webhook-skipped" });
      expect(await getTask(db, task.id)).toMatchObject({ status: "completed", counts: { skipped: 1 } });
      expect(await deliveriesOf(db, id)).toMatchObject([{
        event_id: `task.completed:${task.id}:0`, status: "delivered",
        payload: { type: "task.completed", data: { taskId: task.id, action: "anonymise", origin: "manual", counts: { skipped: 1 }, residueFound: null } },
      }]);
    } finally {
      await db.execute(sql`update privacy_settings set anonymisation_enabled = false`);
    }
  });

  it("carry no personal data of the subject: not the name, e-mail, phone, external id or masked label", async () => {
    await registerEndpoint(db, admin, receiver.url);
    const { task, person } = await queueDeletion();
    await runCron(db, { workerId: "webhook-personal-data" });
    const text = await storedText();
    expect(text).toContain(`task.completed:${task.id}:0`);
    for (const value of [person.firstName, person.lastName, person.email, person.phone, person.externalId, task.subjectLabel]) {
      expect(text).not.toContain(value);
    }
    for (const r of receiver.received) for (const value of [person.lastName, person.email, task.subjectLabel]) expect(r.body).not.toContain(value);
  });
});

describe("request.due_soon and request.overdue", () => {
  it("are queued once per request and due date, as the overview counts them, and again after an extension moves the due date", async () => {
    const { id } = await registerEndpoint(db, admin, receiver.url, ["request.due_soon", "request.overdue"]);
    const soon = await request({ dueAt: addDays(TODAY, 7) });
    const late = await request({ dueAt: addDays(TODAY, -1) });
    const later = await request({ dueAt: addDays(TODAY, 8) });
    await request({ dueAt: addDays(TODAY, -3), status: "fulfilled", closedAt: at(TODAY) });
    // Paused for 2 days while identity is unconfirmed: due in 8 days, not 6, and moving on while the clock stands still.
    const paused = await request({ dueAt: addDays(TODAY, 6), status: "awaiting_identity", pausedSince: at(addDays(TODAY, -2)) });

    const first = await runCron(db, { now: at(TODAY), workerId: "requests-1" });
    expect(first.webhooks).toMatchObject({ queued: { dueSoon: 1, overdue: 1 }, delivered: 2 });
    expect((await runCron(db, { now: at(TODAY), workerId: "requests-2" })).webhooks).toMatchObject({ queued: { dueSoon: 0, overdue: 0 }, delivered: 0 });
    let events = (await deliveriesOf(db, id)).map((d) => d.event_id);
    expect([...events].sort()).toEqual([`request.due_soon:${soon.id}:${addDays(TODAY, 7)}`, `request.overdue:${late.id}:${addDays(TODAY, -1)}`].sort());
    const dueSoon = (await deliveriesOf(db, id)).find((d) => d.event_type === "request.due_soon")!.payload;
    expect(webhookPayloadSchema.parse(dueSoon)).toEqual(dueSoon);
    expect(dueSoon).toEqual({
      id: `request.due_soon:${soon.id}:${addDays(TODAY, 7)}`, type: "request.due_soon", createdAt: "2030-03-10T11:00:00.000Z",
      data: { requestId: soon.id, requestType: "erasure", status: "open", dueAt: addDays(TODAY, 7), daysLeft: 7, url: `http://localhost:3000/requests/${soon.id}` },
    });

    // Two days on: `later` is due within 7 days; `soon` is not yet overdue; the paused request is still 8 days away.
    expect((await runCron(db, { now: at(addDays(TODAY, 2)), workerId: "requests-3" })).webhooks).toMatchObject({ queued: { dueSoon: 1, overdue: 0 } });
    // Eight days on: `soon` is overdue (once), `later` is due today.
    expect((await runCron(db, { now: at(addDays(TODAY, 8)), workerId: "requests-4" })).webhooks).toMatchObject({ queued: { dueSoon: 0, overdue: 1 } });
    // An extension moves `late`'s due date by two months: due soon and overdue again around the new date.
    await db.execute(sql`update privacy_requests set status = 'extended', extension_months = 2, due_at = ${addDays(TODAY, 55)} where id = ${late.id}`);
    // (By then `later` is overdue too.)
    expect((await runCron(db, { now: at(addDays(TODAY, 50)), workerId: "requests-5" })).webhooks).toMatchObject({ queued: { dueSoon: 1, overdue: 1 } });
    events = (await deliveriesOf(db, id)).map((d) => d.event_id);
    expect(events.filter((e) => e.includes(`:${late.id}:`))).toEqual([
      `request.overdue:${late.id}:${addDays(TODAY, -1)}`, `request.due_soon:${late.id}:${addDays(TODAY, 55)}`,
    ]);
    expect(events.filter((e) => e.includes(`:${paused.id}:`))).toEqual([]);
    expect(events.filter((e) => e.includes(`:${later.id}:`))).toEqual([`request.due_soon:${later.id}:${addDays(TODAY, 8)}`, `request.overdue:${later.id}:${addDays(TODAY, 8)}`]);
    expect(new Set(events).size).toBe(events.length);
  });

  it("carry no personal data of the requester: not the name, e-mail address or notes", async () => {
    await registerEndpoint(db, admin, receiver.url);
    await request({ dueAt: addDays(TODAY, 2) });
    await request({ dueAt: addDays(TODAY, -2) });
    await runCron(db, { now: at(TODAY), workerId: "requests-personal-data" });
    const text = await storedText();
    expect(text).toContain("request.overdue");
    for (const value of ["Rosalind", "Quellbrunn", "rosalind.quellbrunn@example.org", "daughter"]) expect(text).not.toContain(value);
    expect(receiver.received).toHaveLength(2);
    for (const r of receiver.received) expect(r.body).not.toMatch(/Rosalind|Quellbrunn|daughter/);
  });
});

// Concurrent calls overlap only on the server (PGlite runs one transaction at a time).
describe.runIf(onPostgres)("20 concurrent cron calls (PostgreSQL)", () => {
  let extra: DbHandle[] = [];
  beforeAll(async () => {
    extra = await openConnections(db, 20);
  });
  afterAll(async () => {
    await Promise.all(extra.map((h) => h.close()));
  });

  it("queue each request's event once and send each delivery once", async () => {
    const endpoints = [await registerEndpoint(db, admin, receiver.url), await registerEndpoint(db, admin, receiver.url, ["request.overdue"])];
    const due = [];
    for (let i = 0; i < 6; i++) due.push(await request({ dueAt: addDays(TODAY, i % 2 === 0 ? 3 : -3) }));
    const { task } = await queueDeletion();
    const results = await Promise.all(extra.map((h, i) => runCron(h.db, { now: at(TODAY), workerId: `concurrent-${i}` })));
    const sum = (key: "delivered" | "retrying" | "failed") => results.reduce((n, r) => n + (r.webhooks as Record<string, number>)[key], 0);
    const queued = results.reduce((n, r) => n + (r.webhooks as { queued: { dueSoon: number; overdue: number } }).queued.dueSoon
      + (r.webhooks as { queued: { dueSoon: number; overdue: number } }).queued.overdue, 0);
    // Endpoint 1 hears all six requests and the task; endpoint 2 the three overdue ones.
    expect(queued).toBe(9);
    const rowsNow = await deliveriesOf(db);
    expect(rowsNow).toHaveLength(10);
    expect(rowsNow.filter((d) => d.endpoint_id === endpoints[0].id).map((d) => d.event_id)).toContain(`task.completed:${task.id}:0`);
    expect(rowsNow.every((d) => d.status === "delivered" && d.attempts === 1)).toBe(true);
    expect(sum("delivered")).toBe(10);
    expect(sum("retrying") + sum("failed")).toBe(0);
    const sent = receiver.received.map((r) => `${r.headers["lethe-event-id"]}`);
    expect(sent).toHaveLength(10);
    expect(new Set(sent).size).toBe(7);
  });
});

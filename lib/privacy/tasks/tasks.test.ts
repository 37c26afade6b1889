import { and, eq, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { activityEvents, auditEntries, people, privacyTasks } from "@/db/schema";
import type { ZodType } from "zod";
import { type Operation, runOperation } from "@/lib/operation";
import { onPostgres, useTestDatabase } from "@/test/db";
import { intArray } from "@/db/sql";
import { rows } from "@/db/client";
import { countRows, createCustomerWithTickets, createMessage, createPerson, createRoleAccounts, createTicket, getTask, openLoan } from "@/test/fixtures";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { countBulkSelection } from "./bulk-selection";
import { getBatchProgressById, mayReadTask, selectPrivacyTasks } from "./queries";
import { cancelAnonymisationTasks, createAnonymisationTask, createBulkAnonymisation, retryPrivacyTask } from "./tasks";
import { claimTasks, createWorkerContext, describeError, runWorker } from "@/lib/privacy/worker/worker";

// Anonymisation as queued tasks: one person or a bulk selection is queued, the worker
// anonymises in set-based batches, records counts and one verification per subject.

const handle = await useTestDatabase();
let accounts: Awaited<ReturnType<typeof createRoleAccounts>>;

beforeAll(async () => {
  accounts = await createRoleAccounts(handle.db);
});
beforeEach(async () => {
  // Each test starts with an empty queue and anonymisation enabled.
  await handle.db.execute(sql`update privacy_tasks set status = 'cancelled' where status in ('queued', 'running')`);
  await setEnabled(true);
});

async function setEnabled(enabled: boolean) {
  await handle.db.execute(sql`update privacy_settings set anonymisation_enabled = ${enabled}`);
}

const asSuperUser = <S extends ZodType, R>(op: Operation<S, R>, input: unknown) =>
  runOperation(op, { db: handle.db, accountId: accounts.SuperUser.account.id, input });

/** A customer with one ticket: an incoming message from them and a reply to them. */
async function customerWithTicket() {
  const person = await createPerson(handle.db);
  const ticket = await createTicket(handle.db, { customerId: person.id, ipAddress: "198.51.100.4" });
  await createMessage(handle.db, { ticketId: ticket.id, direction: "incoming", fromPersonId: person.id, sender: person.email!.toLowerCase(), body: `From ${person.email}` });
  await createMessage(handle.db, { ticketId: ticket.id, direction: "outgoing", to: [person.email!.toLowerCase()], body: "Reply" });
  return person;
}

describe("createAnonymisationTask", () => {
  it("refuses while anonymisation is disabled", async () => {
    await setEnabled(false);
    const person = await createPerson(handle.db);
    expect(await asSuperUser(createAnonymisationTask, { personId: person.id })).toMatchObject({ ok: false, code: "disabled" });
  });

  it("queues one task per person, with a masked label; a second request conflicts", async () => {
    const person = await createPerson(handle.db, { firstName: "Alma", lastName: "Kirsten" });
    const first = await asSuperUser(createAnonymisationTask, { personId: person.id, reason: "Left the school" });
    expect(first).toMatchObject({ ok: true, data: { action: "anonymise", status: "queued", subjectLabel: "A**a K*****n", reason: "Left the school", progressTotal: 1 } });
    const second = await asSuperUser(createAnonymisationTask, { personId: person.id });
    expect(second).toMatchObject({ ok: false, code: "conflict", details: { taskId: first.ok ? first.data.id : -1 } });
    // The activity stream says so, with who asked, under the anonymisers' permission.
    const events = await handle.db.select().from(activityEvents).where(and(eq(activityEvents.objectType, "privacy_task"), eq(activityEvents.objectId, first.ok ? first.data.id : -1)));
    expect(events.map((e) => ({ summary: e.summary, actor: e.actorAccountId, permission: e.permission }))).toEqual([
      { summary: `Anonymisation task #${first.ok ? first.data.id : -1} created for A**a K*****n`, actor: accounts.SuperUser.account.id, permission: "R_CAN_ANONYMIZE_USERS" },
    ]);
  });

  it("refuses an ineligible or unknown person and callers without the permission", async () => {
    const prevented = await createPerson(handle.db, { preventedAt: new Date(), preventionReason: "Legal hold" });
    expect(await asSuperUser(createAnonymisationTask, { personId: prevented.id })).toMatchObject({ ok: false });
    expect(await asSuperUser(createAnonymisationTask, { personId: 99_999_999 })).toMatchObject({ ok: false, code: "not_found" });
    const person = await createPerson(handle.db);
    for (const role of ["Staff", "Agent"] as const) {
      expect(await runOperation(createAnonymisationTask, { db: handle.db, accountId: accounts[role].account.id, input: { personId: person.id } }))
        .toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(await countRows(handle.db, "privacy_tasks", sql`subject_person_id in (${prevented.id}, ${person.id})`)).toBe(0);
  });
});

describe("bulk anonymisation", () => {
  it("shows a dry run, queues the still-eligible people under one batch, and the worker completes them", async () => {
    const subjects = [await customerWithTicket(), await customerWithTicket(), await customerWithTicket()];
    const prevented = await createPerson(handle.db, { preventedAt: new Date(), preventionReason: "Legal hold" });
    const alreadyQueued = await createPerson(handle.db);
    await asSuperUser(createAnonymisationTask, { personId: alreadyQueued.id });
    const selection = { personIds: [...subjects.map((p) => p.id), prevented.id, alreadyQueued.id] };

    const dry = await countBulkSelection(handle.db, selection);
    expect(dry).toMatchObject({ selected: 5, people: 3, alreadyQueued: 1, tickets: 3, messages: 6 });

    const bulk = await asSuperUser(createBulkAnonymisation, selection);
    if (!bulk.ok) throw new Error(bulk.message);
    expect(bulk.data).toMatchObject({ queued: 3, skipped: 2 });
    expect(await getBatchProgressById(handle.db, { batchId: bulk.data.batchId })).toMatchObject({ total: 3, byStatus: { queued: 3 } });

    const run = await runWorker(handle.db, { workerId: "bulk-test" });
    expect(run).toMatchObject({ claimed: 4, completed: 4, failed: 0, skipped: 0 });
    const { items } = await selectPrivacyTasks(handle.db, { batchId: bulk.data.batchId });
    expect(items).toHaveLength(3);
    for (const task of items) {
      expect(task).toMatchObject({ status: "completed", origin: "bulk", progressDone: 1, progressTotal: 1, error: null, requesterEmail: accounts.SuperUser.account.email });
      expect(task.verification).toMatchObject({ found: 0 });
      expect(Object.values(task.counts).some((n) => n > 0)).toBe(true);
    }
    for (const p of subjects) {
      const [after] = await handle.db.select().from(people).where(eq(people.id, p.id));
      expect(after).toMatchObject({ firstName: "Anonymized", email: null, phone: null });
      expect(after.anonymisedAt).not.toBeNull();
    }
  });

  it("queues all eligible people with filters", async () => {
    const member = await createPerson(handle.db, { kind: "member", imported: true });
    const result = await asSuperUser(createBulkAnonymisation, { allEligible: true, filters: { kind: "member", imported: true } });
    if (!result.ok) throw new Error(result.message);
    const { items } = await selectPrivacyTasks(handle.db, { batchId: result.data.batchId });
    expect(items.map((t) => t.subjectPersonId)).toContain(member.id);
    expect(result.data.queued).toBe(items.length);
    expect(await countRows(handle.db, "people", sql`id = any(${`{${items.map((t) => t.subjectPersonId).join(",")}}`}::int[]) and (kind <> 'member' or not imported)`)).toBe(0);
  });

  it("validates the selection", async () => {
    expect(await asSuperUser(createBulkAnonymisation, { personIds: [] })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await asSuperUser(createBulkAnonymisation, { personIds: ["x"] })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await asSuperUser(createBulkAnonymisation, { allEligible: false })).toMatchObject({ ok: false, code: "invalid_input" });
  });

  it("skips a person who was prevented after queuing, and says why", async () => {
    const person = await customerWithTicket();
    const bulk = await asSuperUser(createBulkAnonymisation, { personIds: [person.id] });
    if (!bulk.ok) throw new Error(bulk.message);
    await handle.db.update(people).set({ preventedAt: new Date(), preventionReason: "Asked by the parents", preventionExpiresAt: null }).where(eq(people.id, person.id));
    expect(await runWorker(handle.db, { workerId: "skip-test" })).toMatchObject({ claimed: 1, skipped: 1, completed: 0 });
    const [task] = (await selectPrivacyTasks(handle.db, { batchId: bulk.data.batchId })).items;
    expect(task).toMatchObject({ status: "completed", counts: { skipped: 1 }, verification: null });
    expect(task.error).toMatch(/^Skipped: no longer eligible/);
    const [after] = await handle.db.select().from(people).where(eq(people.id, person.id));
    expect(after.email).toBe(person.email);
  });

  it("in a batch of more than 1,000, judged by the one anti-join, skips each person no longer eligible with their own reason", async () => {
    // 1,003 people in one batch: the worker asks who is still eligible with the population's
    // anti-join (it probes rule by rule only up to 1,000 people) and names the rules only
    // for those who fail them.
    const stamp = Date.now();
    const personIds = rows<{ id: number }>(await handle.db.execute(sql`
      insert into people (first_name, last_name, email, external_id, kind)
      select 'Batch', 'Person ' || n, 'batch.' || n || '.' || ${stamp} || '@example.org', 'BATCH-' || n || '-' || ${stamp}, 'customer'
      from generate_series(1, 1003) n returning id`)).map((r) => Number(r.id)).sort((a, b) => a - b);
    expect(personIds).toHaveLength(1003);
    const bulk = await asSuperUser(createBulkAnonymisation, { personIds });
    if (!bulk.ok) throw new Error(bulk.message);
    expect(bulk.data).toMatchObject({ queued: 1003 });
    const [prevented, borrower] = personIds;
    await handle.db.update(people).set({ preventedAt: new Date(), preventionReason: "Asked by the parents", preventionExpiresAt: null }).where(eq(people.id, prevented));
    await openLoan(handle.db, borrower);
    expect(await runWorker(handle.db, { workerId: "large-batch" })).toMatchObject({ claimed: 1003, skipped: 2, completed: 1001, failed: 0 });
    const tasks = await handle.db.select().from(privacyTasks).where(eq(privacyTasks.batchId, bulk.data.batchId));
    const bySubject = new Map(tasks.map((t) => [t.subjectPersonId, t]));
    expect(bySubject.get(prevented)).toMatchObject({ status: "completed", counts: { skipped: 1 } });
    expect(bySubject.get(prevented)!.error).toBe("Skipped: no longer eligible when the worker ran — anonymisation is prevented.");
    expect(bySubject.get(borrower)).toMatchObject({ status: "completed", counts: { skipped: 1 } });
    // The open loan, and the activity it counts as in the recent periods.
    expect(bySubject.get(borrower)!.error).toMatch(/^Skipped: no longer eligible when the worker ran — has an open loan or instrument hire(; [a-z ]+)*\.$/);
    expect(bySubject.get(personIds[2])).toMatchObject({ status: "completed", error: null });
    expect(await countRows(handle.db, "people", sql`id = any(${intArray(personIds.slice(2))}) and anonymised_at is null`)).toBe(0);
    expect(await countRows(handle.db, "people", sql`id = any(${intArray(personIds.slice(0, 2))}) and anonymised_at is not null`)).toBe(0);
  }, 120_000);

  it("leaves anonymisation tasks queued while the function is disabled", async () => {
    const person = await createPerson(handle.db);
    const created = await asSuperUser(createAnonymisationTask, { personId: person.id });
    if (!created.ok) throw new Error(created.message);
    await setEnabled(false);
    expect(await runWorker(handle.db, { workerId: "disabled" })).toMatchObject({ claimed: 0, anonymisation: "disabled", waitingWhileDisabled: 1 });
    expect((await getTask(handle.db, created.data.id)).status).toBe("queued");
  });

  it("cancels the queued rest of a bulk run", async () => {
    const a = await createPerson(handle.db);
    const b = await createPerson(handle.db);
    const bulk = await asSuperUser(createBulkAnonymisation, { personIds: [a.id, b.id] });
    if (!bulk.ok) throw new Error(bulk.message);
    expect(await asSuperUser(cancelAnonymisationTasks, { batchId: bulk.data.batchId })).toEqual({ ok: true, data: { cancelled: 2 } });
    expect(await countRows(handle.db, "privacy_tasks", sql`batch_id = ${bulk.data.batchId} and status = 'cancelled'`)).toBe(2);
  });
});

describe("retryPrivacyTask", () => {
  const asAdmin = (input: unknown) => runOperation(retryPrivacyTask, { db: handle.db, accountId: accounts.Admin.account.id, input });

  /** A deletion that the worker failed for real: an open loan appeared after the request. */
  async function failedDeletion() {
    const { person } = await createCustomerWithTickets(handle.db, 2, 1);
    const created = await runOperation(createDeletionTask, { db: handle.db, accountId: accounts.Admin.account.id, input: { personId: person.id, origin: "api" } });
    if (!created.ok) throw new Error(created.message);
    await openLoan(handle.db, person.id);
    expect(await runWorker(handle.db, { workerId: "w" })).toMatchObject({ failed: 1 });
    return { person, task: await getTask(handle.db, created.data.id) };
  }

  it("puts a failed task back in the queue with the previous error in the audit log; the worker then completes it", async () => {
    const { person, task } = await failedDeletion();
    expect(task).toMatchObject({ status: "failed", attempts: 1 });
    await handle.db.execute(sql`update loans set returned_at = now() where person_id = ${person.id}`);
    expect(await asAdmin({ id: task.id })).toMatchObject({ ok: true, data: { id: task.id, status: "queued", retries: 1 } });
    expect(await getTask(handle.db, task.id)).toMatchObject({
      status: "queued", error: null, finishedAt: null, leaseUntil: null, retries: 1, attemptsBeforeRetry: 1,
    });
    const [audit] = await handle.db.select().from(auditEntries)
      .where(and(eq(auditEntries.targetId, task.id), eq(auditEntries.action, "privacy_task.retried")));
    expect(audit).toMatchObject({
      actorAccountId: accounts.Admin.account.id, details: { action: "delete", previousError: task.error, attempts: 1, retries: 1 },
    });
    expect(await runWorker(handle.db, { workerId: "w" })).toMatchObject({ claimed: 1, completed: 1 });
    expect(await getTask(handle.db, task.id)).toMatchObject({ status: "completed", attempts: 2, error: null });
    expect(await countRows(handle.db, "people", sql`id = ${person.id}`)).toBe(0);
    // The requester hears of both ends, the failure and the completion.
    expect(await countRows(handle.db, "outbox_emails", sql`idempotency_key like ${`privacy-task:${task.id}:finished%`}`)).toBe(2);
  });

  it("refuses a task that has not failed (409), an unknown task (404), a second open task for the person (409)", async () => {
    const queued = await asSuperUser(createAnonymisationTask, { personId: (await createPerson(handle.db)).id });
    if (!queued.ok) throw new Error(queued.message);
    expect(await asAdmin({ id: queued.data.id })).toMatchObject({ ok: false, code: "conflict", message: expect.stringMatching(/is queued; only a failed task/) });
    expect(await asAdmin({ id: 99_999_999 })).toMatchObject({ ok: false, code: "not_found" });
    const { person, task } = await failedDeletion();
    const other = await runOperation(createDeletionTask, {
      db: handle.db, accountId: accounts.Admin.account.id, input: { personId: person.id, origin: "api", overrideReason: "Instrument written off" },
    });
    if (!other.ok) throw new Error(other.message);
    expect(await asAdmin({ id: task.id })).toMatchObject({ ok: false, code: "conflict", details: { taskId: other.data.id } });
    expect(await getTask(handle.db, task.id)).toMatchObject({ status: "failed", retries: 0 });
    expect(await asAdmin({ id: "x" })).toMatchObject({ ok: false, code: "invalid_input" });
  });

  it("needs admin.data_privacy; others change nothing", async () => {
    const { task } = await failedDeletion();
    for (const role of ["SuperUser", "Staff", "Agent"] as const) {
      expect(await runOperation(retryPrivacyTask, { db: handle.db, accountId: accounts[role].account.id, input: { id: task.id } }))
        .toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(await getTask(handle.db, task.id)).toMatchObject({ status: "failed", retries: 0 });
  });

  it("counts the worker's dead claims afresh: a task failed for dying workers is taken again after a retry", async () => {
    const person = await createPerson(handle.db);
    const created = await asSuperUser(createAnonymisationTask, { personId: person.id });
    if (!created.ok) throw new Error(created.message);
    // As the worker leaves a task whose workers died five times.
    await handle.db.execute(sql`update privacy_tasks set status = 'failed', attempts = 5, error = 'The worker stopped 5 times' where id = ${created.data.id}`);
    expect(await asAdmin({ id: created.data.id })).toMatchObject({ ok: true });
    // The worker taking it dies once more...
    const ctx = createWorkerContext({ workerId: "doomed", leaseSeconds: 60 });
    expect((await claimTasks(handle.db, ctx, "anonymise", 1)).map((t) => t.id)).toEqual([created.data.id]);
    // ...and the next run continues it instead of failing it as abandoned.
    const run = await runWorker(handle.db, { workerId: "rescuer", now: new Date(Date.now() + 5 * 60_000) });
    expect(run).toMatchObject({ claimed: 1, completed: 1, failed: 0 });
    expect(await getTask(handle.db, created.data.id)).toMatchObject({ status: "completed", attempts: 7 });
  });
});

// PGlite runs one transaction at a time: overlapping workers exist only on the server.
describe.runIf(onPostgres)("two workers on anonymisation tasks (PostgreSQL)", () => {
  it("split the queue without overlap", async () => {
    const ids = [];
    for (let i = 0; i < 20; i++) ids.push((await createPerson(handle.db)).id);
    const bulk = await asSuperUser(createBulkAnonymisation, { personIds: ids });
    if (!bulk.ok) throw new Error(bulk.message);
    const runs = await Promise.all(["a", "b"].map((w) => runWorker(handle.db, { workerId: w, anonymiseBatchSize: 3 })));
    const taken = runs.flatMap((r) => r.taskIds);
    expect(new Set(taken).size).toBe(20);
    expect(taken).toHaveLength(20);
    const tasks = await handle.db.select().from(privacyTasks).where(eq(privacyTasks.batchId, bulk.data.batchId));
    expect(tasks.every((t) => t.status === "completed" && t.attempts === 1)).toBe(true);
  });
});

describe("describeError", () => {
  it("records what the database said, not the statement and its parameters", async () => {
    const error = await handle.db.execute(sql`select 1 / ${0} as n, ${"alma.secret@example.org"} as e`).then(() => null, (e: unknown) => e);
    const described = describeError(error);
    expect(described).toMatch(/^The worker stopped with an error: division by zero/);
    expect(described).not.toMatch(/select|alma\.secret/i);
  });
});

describe("mayReadTask", () => {
  it("lets data-privacy administrators read every task and anonymisation reviewers the anonymisations only", () => {
    expect(mayReadTask(["admin.data_privacy"], { action: "delete" })).toBe(true);
    expect(mayReadTask(["admin.data_privacy"], { action: "anonymise" })).toBe(true);
    expect(mayReadTask(["R_CAN_ANONYMIZE_USERS"], { action: "anonymise" })).toBe(true);
    expect(mayReadTask(["R_CAN_ANONYMIZE_USERS"], { action: "delete" })).toBe(false);
    expect(mayReadTask(["people.read"], { action: "anonymise" })).toBe(false);
  });
});

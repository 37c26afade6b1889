import { eq, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { activityEvents, auditEntries, organisations } from "@/db/schema";
import { runOperation } from "@/lib/operation";
import { useTestDatabase } from "@/test/db";
import {
  countRows, createAccount, createCustomerWithTickets, createMessage, createPerson, createPrivacyOfficer, createRoleAccounts, createTicket,
  getTask, openLoan,
} from "@/test/fixtures";
import { runDeletionStep } from "./delete";
import { getDeletionPreview } from "./preview";
import { createDeletionTask } from "./create-deletion-task";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { cancelPrivacyTask } from "@/lib/privacy/tasks/tasks";
import { claimTasks, createWorkerContext, runWorker } from "@/lib/privacy/worker/worker";

// The rules of SPEC §5 checked when a deletion task is requested. A refused request
// writes nothing.

const handle = await useTestDatabase();
let accounts: Awaited<ReturnType<typeof createRoleAccounts>>;
let officer: Awaited<ReturnType<typeof createPrivacyOfficer>>;

beforeAll(async () => {
  accounts = await createRoleAccounts(handle.db);
  officer = await createPrivacyOfficer(handle.db);
});

const request = (accountId: number, input: Record<string, unknown>) =>
  runOperation(createDeletionTask, { db: handle.db, accountId, input });

async function expectNothingWritten<T>(fn: () => Promise<T>) {
  const before = await countRows(handle.db, "privacy_tasks");
  const result = await fn();
  expect(await countRows(handle.db, "privacy_tasks")).toBe(before);
  return result;
}

describe("createDeletionTask", () => {
  it("refuses the last active account holding admin.settings, then allows it once another exists", async () => {
    const admin = accounts.Admin;
    const refused = await expectNothingWritten(() => request(officer.account.id, { personId: admin.person.id }));
    expect(refused).toMatchObject({ ok: false, code: "rule_violation", message: expect.stringMatching(/last active account/) });
    const preview = await getDeletionPreview(handle.db, { personId: admin.person.id, actorPersonId: officer.person.id });
    expect(preview?.refusals.map((r) => r.code)).toEqual(["last_admin"]);

    const second = await createAccount(handle.db, "Admin");
    const allowed = await request(officer.account.id, { personId: admin.person.id });
    expect(allowed.ok).toBe(true);
    if (allowed.ok) await runOperation(cancelPrivacyTask, { db: handle.db, accountId: officer.account.id, input: { id: allowed.data.id } });
    expect(second.account.id).toBeGreaterThan(0);
  });

  it("refuses one's own account", async () => {
    const result = await expectNothingWritten(() => request(accounts.Admin.account.id, { personId: accounts.Admin.person.id }));
    expect(result).toMatchObject({ ok: false, code: "rule_violation", message: "You cannot delete your own account." });
  });

  it("refuses a system person", async () => {
    const daemon = await createPerson(handle.db, { firstName: "Mailer", lastName: "Daemon", system: true });
    const result = await expectNothingWritten(() => request(officer.account.id, { personId: daemon.id }));
    expect(result).toMatchObject({ ok: false, code: "rule_violation", message: "A system person cannot be deleted." });
  });

  it("answers 404 for an unknown person", async () => {
    const result = await expectNothingWritten(() => request(officer.account.id, { personId: 99_999_999 }));
    expect(result).toMatchObject({ ok: false, code: "not_found" });
  });

  it("asks for no typed word, and records where the request came from", async () => {
    const person = await createPerson(handle.db);
    const viaApi = await runOperation(createDeletionTask, { db: handle.db, accountId: officer.account.id, input: { personId: person.id, origin: "api" } });
    expect(viaApi).toMatchObject({ ok: true, data: { status: "queued", origin: "api", action: "delete" } });
    if (!viaApi.ok) return;
    const audits = await handle.db.select().from(auditEntries).where(eq(auditEntries.targetId, viaApi.data.id));
    expect(audits.find((a) => a.action === "privacy_task.created")?.details).toMatchObject({ action: "delete", via: "api" });
  });

  it("refuses callers without admin.data_privacy", async () => {
    const person = await createPerson(handle.db);
    for (const role of ["SuperUser", "Staff", "Agent"] as const) {
      const result = await expectNothingWritten(() => request(accounts[role].account.id, { personId: person.id }));
      expect(result).toMatchObject({ ok: false, code: "forbidden" });
    }
  });

  it("allows one open task per person: a second request is a conflict naming the first", async () => {
    const { person } = await createCustomerWithTickets(handle.db, 2);
    const first = await request(officer.account.id, { personId: person.id });
    expect(first.ok).toBe(true);
    const second = await expectNothingWritten(() => request(accounts.Admin.account.id, { personId: person.id }));
    if (!first.ok) return;
    expect(second).toMatchObject({ ok: false, code: "conflict", details: { taskId: first.data.id } });
    expect(second.ok ? "" : second.message).toContain(`#${first.data.id}`);
  });

  it("stores a masked label, no personal data, and records the creation", async () => {
    const { person } = await createCustomerWithTickets(handle.db, 3);
    const result = await request(officer.account.id, { personId: person.id });
    if (!result.ok) throw new Error(result.message);
    const task = await getTask(handle.db, result.data.id);
    expect(task).toMatchObject({ status: "queued", subjectPersonId: person.id, progressTotal: 4, requestedByAccountId: officer.account.id });
    expect(task.subjectLabel).toMatch(/^A\*\*a K\*+\d$/);
    const serialised = JSON.stringify(task);
    for (const value of [person.email, person.phone, person.externalId, person.lastName]) expect(serialised).not.toContain(value);
    const [event] = await handle.db.select().from(activityEvents).where(eq(activityEvents.objectId, task.id));
    expect(event).toMatchObject({ verb: "created", objectType: "privacy_task", permission: "admin.data_privacy" });
    expect(event.summary).toBe(`Deletion task #${task.id} created for ${task.subjectLabel}`);
    const audits = await handle.db.select().from(auditEntries).where(eq(auditEntries.targetId, task.id));
    expect(audits.map((a) => a.action)).toContain("privacy_task.created");
  });

  it("offers deleting the organisation only with its last member", async () => {
    const [org] = await handle.db.insert(organisations).values({ name: "Quartet GmbH" }).returning();
    const a = await createPerson(handle.db, { organisationId: org.id });
    const b = await createPerson(handle.db, { organisationId: org.id });
    const refused = await expectNothingWritten(() => request(officer.account.id, { personId: a.id, deleteOrganisation: true }));
    expect(refused).toMatchObject({ ok: false, code: "rule_violation", fieldErrors: { deleteOrganisation: expect.any(Array) } });
    expect((await getDeletionPreview(handle.db, { personId: a.id }))?.organisation).toMatchObject({ name: "Quartet GmbH", lastMember: false });

    await handle.db.execute(sql`update people set organisation_id = null where id = ${b.id}`);
    expect((await getDeletionPreview(handle.db, { personId: a.id }))?.organisation?.lastMember).toBe(true);
    const allowed = await request(officer.account.id, { personId: a.id, deleteOrganisation: "on" });
    expect(allowed).toMatchObject({ ok: true, data: { options: { deleteOrganisation: true } } });
  });

  it("blocks on an open loan or outstanding debt unless a reason overrides it", async () => {
    const person = await createPerson(handle.db);
    await openLoan(handle.db, person.id);
    const refused = await expectNothingWritten(() => request(officer.account.id, { personId: person.id }));
    expect(refused).toMatchObject({ ok: false, code: "rule_violation", fieldErrors: { overrideReason: expect.any(Array) } });
    expect(refused.ok ? "" : refused.message).toContain("Violin #V-114");
    const preview = await getDeletionPreview(handle.db, { personId: person.id });
    expect(preview?.obligations).toHaveLength(1);

    const allowed = await request(officer.account.id, { personId: person.id, overrideReason: "Instrument written off by the bursar" });
    if (!allowed.ok) throw new Error(allowed.message);
    expect(allowed.data.options).toEqual({ overrideReason: "Instrument written off by the bursar" });
    const [audit] = await handle.db.select().from(auditEntries).where(eq(auditEntries.targetId, allowed.data.id));
    expect(audit.details).toMatchObject({ overrideReason: "Instrument written off by the bursar" });
  });
});

describe("getDeletionPreview", () => {
  it("lists the customer tickets, messages, other records and what a staff person keeps", async () => {
    const { account, person: agent } = await createAccount(handle.db, "Agent");
    const customer = await createPerson(handle.db);
    const agentTicket = await createTicket(handle.db, { customerId: agent.id, title: "Laptop broken" });
    await createMessage(handle.db, { ticketId: agentTicket.id, direction: "incoming", fromPersonId: agent.id });
    const owned = await createTicket(handle.db, { customerId: customer.id, ownerId: agent.id });
    await createMessage(handle.db, { ticketId: owned.id, direction: "outgoing", fromPersonId: agent.id, sender: account.email });
    await createMessage(handle.db, { ticketId: owned.id, direction: "incoming", fromPersonId: customer.id, cc: [agent.email!.toLowerCase()] });
    await openLoan(handle.db, agent.id);

    const preview = await getDeletionPreview(handle.db, { personId: agent.id, actorPersonId: officer.person.id });
    expect(preview).toMatchObject({
      person: { id: agent.id, kind: "staff", label: expect.stringMatching(/^A\*+t /) },
      tickets: { count: 1, items: [{ number: agentTicket.number, title: "Laptop broken" }], truncated: false },
      messages: 1,
      messagesElsewhere: 2,
      ownedTicketsKept: 1,
      records: { loans: 1, account: true },
      refusals: [],
      openTask: null,
      canDelete: true,
      note: expect.stringMatching(/may change before the task runs/),
    });
    expect(preview?.obligations[0].description).toBe("Open instrument hire: Violin #V-114 since 2025-03-02");
    expect(await getDeletionPreview(handle.db, { personId: 99_999_999 })).toBeNull();
  });
});

describe("cancelPrivacyTask", () => {
  it("cancels a queued task only", async () => {
    const person = await createPerson(handle.db);
    const created = await request(officer.account.id, { personId: person.id });
    if (!created.ok) throw new Error(created.message);
    const cancel = () => runOperation(cancelPrivacyTask, { db: handle.db, accountId: officer.account.id, input: { id: created.data.id } });
    expect(await cancel()).toMatchObject({ ok: true, data: { status: "cancelled" } });
    expect(await cancel()).toMatchObject({ ok: false, code: "conflict" });
    expect(await runOperation(cancelPrivacyTask, { db: handle.db, accountId: officer.account.id, input: { id: 987654 } }))
      .toMatchObject({ ok: false, code: "not_found" });

    // Cancelled frees the person for a new request; a running one cannot be cancelled.
    const again = await request(officer.account.id, { personId: person.id });
    if (!again.ok) throw new Error(again.message);
    await handle.db.execute(sql`update privacy_tasks set status = 'running' where id = ${again.data.id}`);
    expect(await runOperation(cancelPrivacyTask, { db: handle.db, accountId: officer.account.id, input: { id: again.data.id } }))
      .toMatchObject({ ok: false, code: "conflict", message: expect.stringMatching(/running/) });
    await handle.db.execute(sql`update privacy_tasks set status = 'failed' where id = ${again.data.id}`);
  });
});

describe("a deletion resumed after an interruption", () => {
  beforeEach(async () => {
    // Only the task of the test is in the queue.
    await handle.db.execute(sql`update privacy_tasks set status = 'cancelled' where status in ('queued', 'running')`);
  });

  it("finishes once tickets are being deleted, even if a loan appeared meanwhile; the rules were checked before its first batch", async () => {
    const { person, tickets: list } = await createCustomerWithTickets(handle.db, 5, 1);
    const created = await request(officer.account.id, { personId: person.id });
    if (!created.ok) throw new Error(created.message);
    const ctx = createWorkerContext({ workerId: "interrupted", leaseSeconds: 60 });
    const [claim] = await claimTasks(handle.db, ctx, "delete", 1);
    const settings = await getPrivacySettings(handle.db);
    // The first step (rules checked, then one batch) commits; then the worker dies.
    const step = await runDeletionStep(handle.db, claim, { batchSize: 2, leaseUntil: ctx.leaseUntil(), settings, now: new Date(), first: true });
    expect(step).toMatchObject({ deleted: 2, remaining: 3, finished: false });
    await openLoan(handle.db, person.id);
    const run = await runWorker(handle.db, { workerId: "rescuer", batchSize: 2, now: new Date(Date.now() + 5 * 60_000) });
    expect(run).toMatchObject({ claimed: 1, completed: 1, failed: 0 });
    const done = await getTask(handle.db, created.data.id);
    expect(done).toMatchObject({ status: "completed", error: null });
    expect(done.counts).toMatchObject({ tickets: 5, people: 1, loans: 1 });
    expect([...done.deletedTicketNumbers].sort()).toEqual(list.map((t) => t.number).sort());
    expect(await countRows(handle.db, "people", sql`id = ${person.id}`)).toBe(0);
  });

  it("still refuses before anything was deleted", async () => {
    const { person } = await createCustomerWithTickets(handle.db, 3, 1);
    const created = await request(officer.account.id, { personId: person.id });
    if (!created.ok) throw new Error(created.message);
    const ctx = createWorkerContext({ workerId: "interrupted", leaseSeconds: 60 });
    const [claim] = await claimTasks(handle.db, ctx, "delete", 1);
    await handle.db.execute(sql`update privacy_tasks set lease_until = now() - interval '1 minute' where id = ${claim.id}`);
    await openLoan(handle.db, person.id);
    expect(await runWorker(handle.db, { workerId: "rescuer", batchSize: 2 })).toMatchObject({ claimed: 1, failed: 1 });
    const failed = await getTask(handle.db, created.data.id);
    expect(failed.error).toMatch(/^New blocking obligations since the request/);
    expect(failed.progressDone).toBe(0);
    expect(await countRows(handle.db, "tickets", sql`customer_id = ${person.id}`)).toBe(3);
  });
});

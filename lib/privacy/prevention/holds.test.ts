import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { auditEntries, people, preventionEvents, tickets } from "@/db/schema";
import { runOperation } from "@/lib/operation";
import { anonymiseTickets } from "@/lib/privacy/anonymise/anonymise-tickets";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { getDeletionPreview } from "@/lib/privacy/deletion/preview";
import { cancelPrivacyTask, createAnonymisationTask, createBulkAnonymisation } from "@/lib/privacy/tasks/tasks";
import { getPrivacyTaskById } from "@/lib/privacy/tasks/queries";
import { runWorker } from "@/lib/privacy/worker/worker";
import { runDueRules } from "@/lib/schedule/rule-run";
import { createRetentionRule, dryRunRule } from "@/lib/schedule/rules";
import { useTestDatabase } from "@/test/db";
import { countRows, createCustomerWithTickets, createPerson, createPrivacyOfficer, createRoleAccounts, createTicket, getTask } from "@/test/fixtures";
import { listPreventionEventsByPersonId } from "./history";
import { liftPrevention, preventAnonymisation } from "./prevention";

// A prevention is a hold (SPEC §13): it blocks anonymisation, deletion and ticket rules
// on the person's tickets; one deletion may override it with a reason; lifting it asks
// for a reason; the profile's history and the audit log keep both.

const { db } = await useTestDatabase();
let accounts: Awaited<ReturnType<typeof createRoleAccounts>>;
let officer: Awaited<ReturnType<typeof createPrivacyOfficer>>;
const longAgo = new Date("2020-01-01T00:00:00Z");

beforeAll(async () => {
  accounts = await createRoleAccounts(db);
  officer = await createPrivacyOfficer(db);
  await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
});

/** Sets a hold through the operation, as staff do on the profile. */
async function hold(personId: number, reason = "Lawyer's letter of 3 November") {
  const result = await runOperation(preventAnonymisation, { db, accountId: accounts.Staff.account.id, input: { personId, reason } });
  expect(result.ok).toBe(true);
}
const eligible = () => createPerson(db, { status: "inactive", lastActivityAt: longAgo, leavingDate: "2020-01-01" });
const deletion = (input: Record<string, unknown>, accountId = officer.account.id) => runOperation(createDeletionTask, { db, accountId, input });

describe("a hold blocks deletion", () => {
  it("refuses the task without a reason to override, naming the field, and writes nothing", async () => {
    const { person } = await createCustomerWithTickets(db, 2, 1);
    await hold(person.id);
    const before = await countRows(db, "privacy_tasks");
    const refused = await deletion({ personId: person.id });
    expect(refused).toMatchObject({
      ok: false, code: "rule_violation",
      fieldErrors: { holdOverrideReason: ["is required while the person is on hold"] },
    });
    expect(!refused.ok && refused.message).toMatch(/^This person is on hold since \d{4}-\d{2}-\d{2}: Lawyer's letter of 3 November\./);
    expect(await countRows(db, "privacy_tasks")).toBe(before);
    // Blank is no reason.
    expect(await deletion({ personId: person.id, holdOverrideReason: "   " })).toMatchObject({ ok: false, code: "rule_violation" });
    expect(await countRows(db, "privacy_tasks")).toBe(before);
    // The dialog's preview shows the hold.
    const preview = await getDeletionPreview(db, { personId: person.id });
    expect(preview?.hold).toMatchObject({ personId: person.id, reason: "Lawyer's letter of 3 November", by: accounts.Staff.account.email, expiresOn: null });
  });

  it("only admin.data_privacy may override, with a reason: stored on the task, audited, and the worker deletes", async () => {
    const { person } = await createCustomerWithTickets(db, 2, 1);
    await hold(person.id);
    // A superuser (R_CAN_ANONYMIZE_USERS) and staff (privacy.prevent) may not.
    for (const role of ["SuperUser", "Staff"] as const) {
      expect(await deletion({ personId: person.id, holdOverrideReason: "Court order 12 O 345/26" }, accounts[role].account.id))
        .toEqual({ ok: false, code: "forbidden", message: "You do not have permission to do this." });
    }
    const created = await deletion({ personId: person.id, holdOverrideReason: "Court order 12 O 345/26", reference: "REQ-2026-17" });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.data).toMatchObject({ reference: "REQ-2026-17", options: { holdOverrideReason: "Court order 12 O 345/26" } });
    const audits = await db.select().from(auditEntries)
      .where(and(eq(auditEntries.targetType, "privacy_task"), eq(auditEntries.targetId, created.data.id)));
    expect(audits.find((a) => a.action === "privacy_task.hold_overridden")).toMatchObject({
      actorAccountId: officer.account.id, details: { subjectPersonId: person.id, reason: "Court order 12 O 345/26" },
    });
    await runWorker(db, { workerId: "holds", batchSize: 1 });
    expect(await getTask(db, created.data.id)).toMatchObject({ status: "completed" });
    expect(await db.select().from(people).where(eq(people.id, person.id))).toEqual([]);
    // The hold's history went with the person.
    expect(await countRows(db, "prevention_events", sql`person_id = ${person.id}`)).toBe(0);
  });

  it("stops a queued deletion when the hold is set after the request; nothing of the person goes", async () => {
    const { person } = await createCustomerWithTickets(db, 3, 1);
    const created = await deletion({ personId: person.id });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    await hold(person.id, "Hold placed after the request");
    await runWorker(db, { workerId: "holds", batchSize: 1 });
    const task = await getTask(db, created.data.id);
    expect(task).toMatchObject({ status: "failed", progressDone: 0 });
    expect(task.error).toMatch(/^The person is on hold since \d{4}-\d{2}-\d{2}; the deletion was stopped\./);
    // The reason is staff text about the person: the task, which keeps no personal data, does not copy it.
    expect(task.error).not.toContain("Hold placed after the request");
    expect(await countRows(db, "tickets", sql`customer_id = ${person.id}`)).toBe(3);
    expect(await db.select({ id: people.id }).from(people).where(eq(people.id, person.id))).toEqual([{ id: person.id }]);
  });

  it("an expired prevention holds nothing", async () => {
    const person = await createPerson(db, {
      preventedAt: longAgo, preventionReason: "Old", preventionExpiresAt: new Date("2021-01-01T00:00:00Z"), preventedByAccountId: accounts.Staff.account.id,
    });
    expect((await getDeletionPreview(db, { personId: person.id }))?.hold).toBeNull();
    const created = await deletion({ personId: person.id });
    expect(created).toMatchObject({ ok: true, data: { options: {} } });
  });
});

describe("a hold blocks anonymisation, with no override", () => {
  it("manual, API-shaped and bulk requests are refused or skip the person; the worker skips a hold set after queueing", async () => {
    const held = await eligible();
    await hold(held.id);
    const manual = await runOperation(createAnonymisationTask, { db, accountId: accounts.SuperUser.account.id, input: { personId: held.id, origin: "api" } });
    expect(manual).toMatchObject({ ok: false, code: "not_eligible" });
    const bulk = await runOperation(createBulkAnonymisation, { db, accountId: accounts.SuperUser.account.id, input: { personIds: [held.id] } });
    expect(bulk).toMatchObject({ ok: true, data: { queued: 0, skipped: 1 } });

    const later = await eligible();
    const queued = await runOperation(createAnonymisationTask, { db, accountId: accounts.SuperUser.account.id, input: { personId: later.id, reference: "REQ-9" } });
    expect(queued).toMatchObject({ ok: true, data: { reference: "REQ-9" } });
    if (!queued.ok) return;
    await hold(later.id);
    await runWorker(db, { workerId: "holds" });
    expect(await getTask(db, queued.data.id)).toMatchObject({ status: "completed", counts: { skipped: 1 } });
    const [row] = await db.select().from(people).where(eq(people.id, later.id));
    expect(row.anonymisedAt).toBeNull();
  });
});

describe("a hold blocks ticket rules and manual ticket anonymisation", () => {
  it("the dry run shows the held tickets, the run leaves them, and the run's counts say so", async () => {
    const [{ id: organisationId }] = rows<{ id: number }>(await db.execute(sql`insert into organisations (name) values ('Holds') returning id`));
    const free = await createPerson(db);
    const held = await createPerson(db);
    await hold(held.id);
    const closedAt = new Date("2024-01-01T00:00:00Z");
    const freeTickets = [await createTicket(db, { customerId: free.id, organisationId, state: "closed", closedAt })];
    const heldTickets = [];
    for (let i = 0; i < 3; i++) heldTickets.push(await createTicket(db, { customerId: held.id, organisationId, state: "closed", closedAt }));
    const created = await runOperation(createRetentionRule, {
      db, accountId: accounts.Admin.account.id,
      input: { name: "Old tickets (holds)", object: "ticket", action: "delete", conditions: { organisationId }, schedule: { kind: "daily", hour: 3 }, enabled: true },
    });
    if (!created.ok) throw new Error(created.message);
    await db.execute(sql`update retention_rules set updated_at = '2026-01-01T00:00:00Z', enabled = (id = ${created.data.id})`);
    const now = new Date("2027-03-01T10:00:00Z");
    const dry = await dryRunRule(db, created.data.id, { now });
    expect(dry).toMatchObject({ matched: 4, count: 1, skipped: 3, onHold: 3, items: [{ id: freeTickets[0].id }] });
    const result = await runDueRules(db, { now });
    expect(result.ran.find((r) => r.ruleId === created.data.id)).toMatchObject({ finished: true, counts: { ticketsDeleted: 1, onHold: 3 } });
    expect(await countRows(db, "tickets", sql`customer_id = ${held.id}`)).toBe(3);
    expect(await countRows(db, "tickets", sql`customer_id = ${free.id}`)).toBe(0);
  });

  it("a person rule's dry run counts the people a hold keeps back; the run files its tasks under the rule", async () => {
    const [{ id: organisationId }] = rows<{ id: number }>(await db.execute(sql`insert into organisations (name) values ('Holds, people') returning id`));
    const free = await createPerson(db, { organisationId });
    const held = await createPerson(db, { organisationId });
    await hold(held.id);
    const created = await runOperation(createRetentionRule, {
      db, accountId: accounts.Admin.account.id,
      input: { name: "Delete the org (holds)", object: "person", action: "delete", conditions: { organisationId }, schedule: { kind: "daily", hour: 3 }, enabled: true },
    });
    if (!created.ok) throw new Error(created.message);
    await db.execute(sql`update retention_rules set updated_at = '2026-01-01T00:00:00Z', enabled = (id = ${created.data.id})`);
    const now = new Date("2027-03-01T10:00:00Z");
    expect(await dryRunRule(db, created.data.id, { now })).toMatchObject({ matched: 2, count: 1, onHold: 1, items: [{ id: free.id }] });
    await runDueRules(db, { now });
    const queued = rows<{ subject_person_id: number; reference: string }>(await db.execute(sql`
      select subject_person_id, reference from privacy_tasks where origin = 'rule' and subject_person_id in (${free.id}, ${held.id})`));
    expect(queued).toEqual([{ subject_person_id: free.id, reference: `Rule #${created.data.id}: Delete the org (holds)` }]);
  });

  it("manual ticket anonymisation refuses held tickets by number and anonymises nothing", async () => {
    const free = await createPerson(db);
    const held = await createPerson(db);
    await hold(held.id);
    const a = await createTicket(db, { customerId: free.id });
    const b = await createTicket(db, { customerId: held.id });
    const refused = await runOperation(anonymiseTickets, { db, accountId: accounts.SuperUser.account.id, input: { ticketIds: [a.id, b.id] } });
    expect(refused).toMatchObject({
      ok: false, code: "rule_violation",
      message: `Nothing was anonymised: the customer of #${b.number} is on hold. Leave those tickets out, or lift the hold on the customer's profile.`,
    });
    const after = await db.select({ customerId: tickets.customerId }).from(tickets).where(sql`${tickets.id} in (${a.id}, ${b.id})`).orderBy(tickets.id);
    expect(after).toEqual([{ customerId: free.id }, { customerId: held.id }]);
    expect(await runOperation(anonymiseTickets, { db, accountId: accounts.SuperUser.account.id, input: { ticketIds: [a.id] } })).toMatchObject({ ok: true });
  });
});

describe("lifting a hold asks for a reason; the history and the audit log keep it", () => {
  it("refuses a lift without a reason, too long or with a NUL, and changes nothing", async () => {
    const person = await createPerson(db);
    await hold(person.id);
    for (const input of [{ personId: person.id }, { personId: person.id, reason: "  " }, { personId: person.id, reason: "x".repeat(501) }, { personId: person.id, reason: "a\u0000b" }]) {
      const result = await runOperation(liftPrevention, { db, accountId: accounts.Staff.account.id, input });
      expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { reason: [expect.any(String)] } });
    }
    const [row] = await db.select().from(people).where(eq(people.id, person.id));
    expect(row.preventedAt).not.toBeNull();
    expect(await countRows(db, "prevention_events", sql`person_id = ${person.id} and kind = 'lifted'`)).toBe(0);
  });

  it("the history lists set and lifted with who, when and why; the audit log has both reasons, the person's names masked", async () => {
    const person = await createPerson(db, { firstName: "Nora", lastName: "Heldmann" });
    await hold(person.id, "Letter from Nora Heldmann's lawyer");
    const lifted = await runOperation(liftPrevention, { db, accountId: accounts.Staff.account.id, input: { personId: person.id, reason: "Case closed (REQ-44)" } });
    expect(lifted).toEqual({ ok: true, data: { personId: person.id, lifted: true } });
    const history = await listPreventionEventsByPersonId(db, { personId: person.id });
    expect(history.map(({ kind, reason, by, expiresAt }) => ({ kind, reason, by, expiresAt }))).toEqual([
      { kind: "lifted", reason: "Case closed (REQ-44)", by: accounts.Staff.account.email, expiresAt: null },
      { kind: "set", reason: "Letter from Nora Heldmann's lawyer", by: accounts.Staff.account.email, expiresAt: null },
    ]);
    const audits = await db.select({ action: auditEntries.action, details: auditEntries.details, actor: auditEntries.actorAccountId })
      .from(auditEntries).where(and(eq(auditEntries.targetType, "person"), eq(auditEntries.targetId, person.id))).orderBy(auditEntries.id);
    expect(audits).toEqual([
      { action: "person.prevention_set", actor: accounts.Staff.account.id, details: { reason: "Letter from N**a H******n's lawyer", expiresAt: null, replaced: false } },
      { action: "person.prevention_lifted", actor: accounts.Staff.account.id, details: { reason: "Case closed (REQ-44)" } },
    ]);
  });

  it("every written form of the person's phone, their e-mail and external id are masked in the audited reasons, the task's reference and override", async () => {
    const person = await createPerson(db, { firstName: "Ida", lastName: "Quast", email: "ida.quast@example.org", phone: "+49 341 5550 7788", externalId: "S-Q-4711" });
    await hold(person.id, "Called from 0341 55507788 and 0049 341 5550 7788, id s-q-4711, ida.quast@example.org");
    const [set] = await db.select({ details: auditEntries.details }).from(auditEntries)
      .where(and(eq(auditEntries.action, "person.prevention_set"), eq(auditEntries.targetId, person.id)));
    const reason = String(set.details.reason);
    for (const form of ["0341 55507788", "0049 341 5550 7788", "s-q-4711", "ida.quast@example.org"]) expect(reason).not.toContain(form);
    expect(reason).toMatch(/^Called from .+ and .+, id .+, .+$/);
    const queued = await deletion({ personId: person.id, reference: "REQ-9 from Ida Quast, +49 341 5550 7788", holdOverrideReason: "Court order for Ida Quast" });
    expect(queued.ok).toBe(true);
    const task = await getTask(db, queued.ok ? queued.data.id : -1);
    const written = JSON.stringify({ reference: task.reference, options: task.options });
    for (const form of ["Ida", "Quast", "5550 7788"]) expect(written).not.toContain(form);
    expect(task.reference).toMatch(/^REQ-9 from /);
  });

  it("anonymising the person erases their hold history", async () => {
    const person = await eligible();
    await hold(person.id);
    await runOperation(liftPrevention, { db, accountId: accounts.Staff.account.id, input: { personId: person.id, reason: "Settled" } });
    expect(await countRows(db, "prevention_events", sql`person_id = ${person.id}`)).toBe(2);
    const queued = await runOperation(createAnonymisationTask, { db, accountId: accounts.SuperUser.account.id, input: { personId: person.id } });
    expect(queued.ok).toBe(true);
    await runWorker(db, { workerId: "holds" });
    expect(await db.select().from(preventionEvents).where(eq(preventionEvents.personId, person.id))).toEqual([]);
  });
});

describe("a reference on every erasure, and who cancelled", () => {
  it("stores the reference, refuses one over 200 characters by name, and records who cancelled", async () => {
    const person = await createPerson(db);
    const tooLong = await deletion({ personId: person.id, reference: "R".repeat(201) });
    expect(tooLong).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { reference: ["At most 200 characters"] } });
    const created = await deletion({ personId: person.id, reference: "  Ticket #4711  " });
    expect(created).toMatchObject({ ok: true, data: { reference: "Ticket #4711", cancelledByAccountId: null } });
    if (!created.ok) return;
    const cancelled = await runOperation(cancelPrivacyTask, { db, accountId: officer.account.id, input: { id: created.data.id } });
    expect(cancelled.ok).toBe(true);
    const view = await getPrivacyTaskById(db, { id: created.data.id });
    expect(view).toMatchObject({ status: "cancelled", cancelledByAccountId: officer.account.id, cancelledByEmail: officer.account.email, reference: "Ticket #4711" });
    expect(view?.finishedAt).toBeInstanceOf(Date);
    const [audit] = await db.select().from(auditEntries)
      .where(and(eq(auditEntries.action, "privacy_task.cancelled"), eq(auditEntries.targetId, created.data.id)));
    expect(audit.actorAccountId).toBe(officer.account.id);
  });

  it("a bulk anonymisation files every task under its reference", async () => {
    const a = await eligible();
    const b = await eligible();
    const result = await runOperation(createBulkAnonymisation, { db, accountId: accounts.SuperUser.account.id, input: { personIds: [a.id, b.id], reference: "Annual review 2026" } });
    expect(result).toMatchObject({ ok: true, data: { queued: 2 } });
    const refs = rows<{ reference: string }>(await db.execute(sql`select reference from privacy_tasks where subject_person_id in (${a.id}, ${b.id}) order by id`));
    expect(refs).toEqual([{ reference: "Annual review 2026" }, { reference: "Annual review 2026" }]);
  });
});

import { and, eq, sql } from "drizzle-orm";
import { createElement } from "react";
import { render } from "@react-email/components";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accounts, activityEvents, auditEntries, outboxEmails, people, privacySettings, privacyTasks } from "@/db/schema";
import DeletionApprovalEmail, { deletionApprovalSubject } from "@/emails/deletion-approval";
import { runOperation } from "@/lib/operation";
import { useTestDatabase } from "@/test/db";
import { countRows, createAccount, createPerson, createPrivacyOfficer, getTask, openLoan } from "@/test/fixtures";
import { cancelPrivacyTask } from "@/lib/privacy/tasks/tasks";
import { runWorker } from "@/lib/privacy/worker/worker";
import { createDeletionTask } from "./create-deletion-task";
import { approvePrivacyTask, deletionAwaitsApproval, notifyApprovers } from "./four-eyes";
import { getDeletionPreview } from "./preview";

// Four-eyes deletions (SPEC §11): with the setting on, a deletion a person asks for waits
// until a second admin.data_privacy holder approves it; the requester cannot, either can
// cancel, and an approval checks the deletion's rules again. A refusal writes nothing.

const handle = await useTestDatabase();
const db = handle.db;
type Officer = Awaited<ReturnType<typeof createPrivacyOfficer>>;
let requester: Officer;
let approver: Officer;
let german: Officer;
let agent: Awaited<ReturnType<typeof createAccount>>;
let superUser: Awaited<ReturnType<typeof createAccount>>;

beforeAll(async () => {
  requester = await createPrivacyOfficer(db);
  approver = await createPrivacyOfficer(db);
  german = await createPrivacyOfficer(db);
  await db.update(accounts).set({ locale: "de" }).where(eq(accounts.id, german.account.id));
  agent = await createAccount(db, "Agent");
  superUser = await createAccount(db, "SuperUser");
  // The last-admin rule needs an account that can change the settings.
  await createAccount(db, "Admin");
});

async function fourEyes(on: boolean) {
  await db.insert(privacySettings).values({ id: 1 }).onConflictDoNothing();
  await db.update(privacySettings).set({ fourEyesDeletions: on }).where(eq(privacySettings.id, 1));
}

beforeEach(() => fourEyes(true));

const request = (accountId: number, input: Record<string, unknown>) => runOperation(createDeletionTask, { db, accountId, input });
const approve = (accountId: number, input: unknown) => runOperation(approvePrivacyTask, { db, accountId, input });
const cancel = (accountId: number, id: number) => runOperation(cancelPrivacyTask, { db, accountId, input: { id } });

async function awaitingDeletion(values: Parameters<typeof createPerson>[1] = {}, origin: "manual" | "api" = "manual") {
  const person = await createPerson(db, values);
  const created = await request(requester.account.id, { personId: person.id, origin });
  if (!created.ok) throw new Error(created.message);
  expect(created.data.status).toBe("awaiting_approval");
  return { person, task: created.data };
}

/** What a refused call must leave as it was: the task row, the audit log, the activity stream, the outbox. */
async function snapshot(taskId: number) {
  return {
    task: await getTask(db, taskId),
    audit: await countRows(db, "audit_entries"),
    activity: await countRows(db, "activity_events"),
    outbox: await countRows(db, "outbox_emails"),
  };
}

describe("creating a deletion", () => {
  it("with four-eyes off, queues it as before and e-mails nobody", async () => {
    await fourEyes(false);
    const before = await countRows(db, "outbox_emails");
    const person = await createPerson(db);
    const created = await request(requester.account.id, { personId: person.id });
    expect(created).toMatchObject({ ok: true, data: { status: "queued", approvedByAccountId: null, approvedAt: null } });
    expect(await countRows(db, "outbox_emails")).toBe(before);
    expect((await getDeletionPreview(db, { personId: (await createPerson(db)).id }))?.awaitsApproval).toBe(false);
  });

  it("with four-eyes on, it awaits approval, from the dialog and the API alike, and the preview says so", async () => {
    expect((await getDeletionPreview(db, { personId: (await createPerson(db)).id }))?.awaitsApproval).toBe(true);
    const manual = await awaitingDeletion();
    const api = await awaitingDeletion({}, "api");
    for (const { task } of [manual, api]) {
      const [entry] = await db.select().from(auditEntries).where(and(eq(auditEntries.targetId, task.id), eq(auditEntries.action, "privacy_task.created")));
      expect(entry.details).toMatchObject({ action: "delete", awaitingApproval: true });
    }
  });

  it("e-mails every other data-privacy holder once, in each one's language, with the task link; never the requester", async () => {
    const { task } = await awaitingDeletion();
    const mails = await db.select().from(outboxEmails).where(sql`${outboxEmails.idempotencyKey} like ${`privacy-task:${task.id}:approval:%`}`);
    const to = mails.map((m) => m.recipientAccountId).sort((a, b) => a! - b!);
    expect(to).toContain(approver.account.id);
    expect(to).toContain(german.account.id);
    expect(to).not.toContain(requester.account.id);
    expect(to).not.toContain(agent.account.id);
    expect(to).not.toContain(superUser.account.id);
    const inGerman = mails.find((m) => m.recipientAccountId === german.account.id)!;
    const inEnglish = mails.find((m) => m.recipientAccountId === approver.account.id)!;
    expect(inGerman).toMatchObject({ template: "deletion-approval", subject: `Löschauftrag #${task.id} wartet auf Ihre Freigabe` });
    expect(inEnglish.subject).toBe(`Deletion task #${task.id} awaits your approval`);
    for (const mail of [inGerman, inEnglish]) {
      expect(mail.text).toContain(task.subjectLabel);
      expect(mail.text).toContain(`/privacy/tasks/${task.id}`);
      // No personal data of the subject and no staff addresses in the stored e-mail.
      expect(mail.text).not.toContain("@");
    }
    // The key is per task and recipient: telling them again queues nothing new.
    const before = await countRows(db, "outbox_emails");
    await notifyApprovers(db, await getTask(db, task.id));
    expect(await countRows(db, "outbox_emails")).toBe(before);
  });

  it("a second request for the same person conflicts with the task awaiting approval", async () => {
    const { person, task } = await awaitingDeletion();
    const second = await request(approver.account.id, { personId: person.id });
    expect(second).toMatchObject({ ok: false, code: "conflict", message: `This person already has an open deletion task: #${task.id} (awaiting_approval).` });
  });

  it("holds only the deletions a person asks for, not those of retention rules", () => {
    const on = { fourEyesDeletions: true };
    expect(["manual", "api", "bulk", "rule", "annual_cycle"].map((o) => deletionAwaitsApproval(on, o as never))).toEqual([true, true, true, false, false]);
    expect(deletionAwaitsApproval({ fourEyesDeletions: false }, "manual")).toBe(false);
  });
});

describe("the worker", () => {
  it("never claims a task awaiting approval", async () => {
    const { task } = await awaitingDeletion();
    const result = await runWorker(db, { workerId: "four-eyes-test" });
    expect(result.taskIds).not.toContain(task.id);
    expect(await getTask(db, task.id)).toMatchObject({ status: "awaiting_approval", attempts: 0, startedAt: null });
  });
});

describe("approvePrivacyTask", () => {
  it("refuses the requester, naming the approver, and writes nothing", async () => {
    const { task } = await awaitingDeletion();
    const before = await snapshot(task.id);
    const result = await approve(requester.account.id, { id: task.id });
    expect(result).toMatchObject({
      ok: false, code: "rule_violation", message: "You requested this deletion; another admin.data_privacy holder must approve it.",
      fieldErrors: { approver: ["must not be the account that requested the deletion"] },
    });
    expect(await snapshot(task.id)).toEqual(before);
  });

  it("refuses callers without admin.data_privacy (forbidden) and without a session, writing nothing", async () => {
    const { task } = await awaitingDeletion();
    const before = await snapshot(task.id);
    for (const account of [agent, superUser]) expect(await approve(account.account.id, { id: task.id })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await runOperation(approvePrivacyTask, { db, accountId: null, input: { id: task.id } })).toMatchObject({ ok: false, code: "unauthorized" });
    expect(await snapshot(task.id)).toEqual(before);
  });

  it("lets a second holder approve: queued, who and when, audited, in the activity stream; then the worker deletes the person", async () => {
    const { person, task } = await awaitingDeletion();
    const result = await approve(approver.account.id, { id: task.id });
    expect(result).toMatchObject({ ok: true, data: { id: task.id, status: "queued", approvedByAccountId: approver.account.id, approvedAt: expect.any(Date), approvedByEmail: approver.account.email } });
    const [entry] = await db.select().from(auditEntries).where(and(eq(auditEntries.targetId, task.id), eq(auditEntries.action, "privacy_task.approved")));
    expect(entry).toMatchObject({ actorAccountId: approver.account.id, details: { action: "delete", subjectPersonId: person.id, requestedByAccountId: requester.account.id } });
    const [event] = await db.select().from(activityEvents).where(and(eq(activityEvents.objectId, task.id), eq(activityEvents.verb, "approved")));
    expect(event).toMatchObject({ summary: `Deletion task #${task.id} for ${task.subjectLabel} approved`, permission: "admin.data_privacy" });

    await runWorker(db, { workerId: "four-eyes-test" });
    expect(await getTask(db, task.id)).toMatchObject({ status: "completed", approvedByAccountId: approver.account.id });
    expect(await db.select().from(people).where(eq(people.id, person.id))).toEqual([]);
  });

  it("refuses a task that is queued, completed, cancelled or an anonymisation, naming the status, and writes nothing", async () => {
    await fourEyes(false);
    const queued = await request(requester.account.id, { personId: (await createPerson(db)).id });
    if (!queued.ok) throw new Error(queued.message);
    await fourEyes(true);
    const { task: cancelled } = await awaitingDeletion();
    expect(await cancel(requester.account.id, cancelled.id)).toMatchObject({ ok: true });
    const { task: completed } = await awaitingDeletion();
    await db.update(privacyTasks).set({ status: "completed", finishedAt: new Date() }).where(eq(privacyTasks.id, completed.id));
    const [anonymisation] = await db.insert(privacyTasks).values({ action: "anonymise", subjectPersonId: (await createPerson(db)).id, subjectLabel: "A***a" }).returning();
    for (const [id, status] of [[queued.data.id, "queued"], [cancelled.id, "cancelled"], [completed.id, "completed"], [anonymisation.id, "queued"]] as const) {
      const before = await snapshot(id);
      expect(await approve(approver.account.id, { id })).toMatchObject({
        ok: false, code: "conflict", message: `Task #${id} is ${status}; only a task awaiting approval can be approved.`,
        fieldErrors: { status: [`is ${status}, not awaiting approval`] },
      });
      expect(await snapshot(id)).toEqual(before);
    }
  });

  it("checks the deletion's rules again: a hold or an obligation that arose since, or the approver's own account, refuses it", async () => {
    const { person: held, task: heldTask } = await awaitingDeletion();
    await db.update(people).set({ preventedAt: new Date(), preventionReason: "Court order of 3 March" }).where(eq(people.id, held.id));
    const { person: borrower, task: loanTask } = await awaitingDeletion();
    await openLoan(db, borrower.id);
    for (const [task, pattern] of [[heldTask, /on hold since .*Court order of 3 March/], [loanTask, /Blocking obligations: Open instrument hire: Violin/]] as const) {
      const before = await snapshot(task.id);
      const result = await approve(approver.account.id, { id: task.id });
      expect(result).toMatchObject({ ok: false, code: "rule_violation", message: expect.stringMatching(/^This deletion can no longer be approved: .* Cancel the task; it can be requested again\.$/) });
      expect(result.ok ? "" : result.message).toMatch(pattern);
      expect(await snapshot(task.id)).toEqual(before);
    }
    // The subject is the approver: they cannot send their own deletion on its way; another holder can.
    const own = await request(requester.account.id, { personId: german.person.id });
    if (!own.ok) throw new Error(own.message);
    expect(await approve(german.account.id, { id: own.data.id })).toMatchObject({ ok: false, code: "rule_violation", message: expect.stringContaining("You cannot delete your own account.") });
    expect(await approve(approver.account.id, { id: own.data.id })).toMatchObject({ ok: true, data: { status: "queued" } });
    expect(await cancel(approver.account.id, own.data.id)).toMatchObject({ ok: true });
  });

  it("a task whose person is gone is not approved", async () => {
    const { person, task } = await awaitingDeletion();
    await db.delete(people).where(eq(people.id, person.id));
    expect(await approve(approver.account.id, { id: task.id })).toMatchObject({ ok: false, code: "conflict", message: `The person of task #${task.id} no longer exists; cancel the task.` });
    expect((await getTask(db, task.id)).status).toBe("awaiting_approval");
  });

  it("refuses spoiled ids with a 4xx naming the field, and an unknown task with not_found", async () => {
    const before = await countRows(db, "audit_entries");
    for (const id of ["", "abc", "1; drop table people", -1, 0, 1.5, 2 ** 31, "1\u0000", "9".repeat(5000), null, true, [1], { id: 1 }]) {
      const result = await approve(approver.account.id, { id });
      expect(result, JSON.stringify(id).slice(0, 40)).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { id: expect.any(Array) } });
    }
    expect(await approve(approver.account.id, {})).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { id: expect.any(Array) } });
    expect(await approve(approver.account.id, "not an object")).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await approve(approver.account.id, { id: 99_999_999 })).toMatchObject({ ok: false, code: "not_found", message: "Task #99999999 does not exist." });
    expect(await countRows(db, "audit_entries")).toBe(before);
  });

  // On PostgreSQL the two transactions meet at the task's row lock; PGlite runs them one after the other.
  it("approves once when two holders approve at the same moment", async () => {
    const { task } = await awaitingDeletion();
    const holders = [approver, german, approver, german, approver, german];
    const results = await Promise.all(holders.map((h) => approve(h.account.id, { id: task.id })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const refused of results.filter((r) => !r.ok)) {
      expect(refused).toMatchObject({ ok: false, code: "conflict", fieldErrors: { status: ["is queued, not awaiting approval"] } });
    }
    expect(await countRows(db, "audit_entries", sql`action = 'privacy_task.approved' and target_id = ${task.id}`)).toBe(1);
    const winner = results.find((r) => r.ok);
    expect((await getTask(db, task.id)).approvedByAccountId).toBe(winner?.ok ? winner.data.approvedByAccountId : null);
  });
});

describe("cancelling a task awaiting approval", () => {
  it("the requester can, and so can another holder; the audit entry says it was awaiting approval", async () => {
    const { task: first } = await awaitingDeletion();
    const { task: second } = await awaitingDeletion();
    expect(await cancel(requester.account.id, first.id)).toMatchObject({ ok: true, data: { id: first.id, status: "cancelled" } });
    expect(await cancel(approver.account.id, second.id)).toMatchObject({ ok: true, data: { id: second.id, status: "cancelled" } });
    expect(await getTask(db, first.id)).toMatchObject({ status: "cancelled", cancelledByAccountId: requester.account.id, finishedAt: expect.any(Date) });
    expect(await getTask(db, second.id)).toMatchObject({ status: "cancelled", cancelledByAccountId: approver.account.id });
    const [entry] = await db.select().from(auditEntries).where(and(eq(auditEntries.targetId, first.id), eq(auditEntries.action, "privacy_task.cancelled")));
    expect(entry.details).toEqual({ awaitingApproval: true });
  });

  it("not by a caller without admin.data_privacy; a cancelled task cannot be cancelled again", async () => {
    const { task } = await awaitingDeletion();
    expect(await cancel(agent.account.id, task.id)).toMatchObject({ ok: false, code: "forbidden" });
    expect((await getTask(db, task.id)).status).toBe("awaiting_approval");
    await cancel(approver.account.id, task.id);
    expect(await cancel(requester.account.id, task.id)).toMatchObject({
      ok: false, code: "conflict", message: `Task #${task.id} is cancelled; only a queued task or one awaiting approval can be cancelled.`,
    });
  });
});

describe("the approval e-mail", () => {
  it("renders in English and German with the masked label, the date and the link, and no addresses", async () => {
    const props = DeletionApprovalEmail.PreviewProps;
    for (const locale of ["en", "de"] as const) {
      const text = await render(createElement(DeletionApprovalEmail, { ...props, locale }), { plainText: true });
      expect(text).toContain("A**a K*****n");
      expect(text).toContain("http://localhost:3000/privacy/tasks/12");
      expect(text).toContain(locale === "en" ? "Reference: Request 2026-041" : "Aktenzeichen: Request 2026-041");
      expect(text).toContain(locale === "en" ? "2 November 2026 at 10:30" : "2. November 2026 um 10:30");
      expect(text).not.toContain("@");
    }
    expect(deletionApprovalSubject({ ...props, locale: "de" })).toBe("Löschauftrag #12 wartet auf Ihre Freigabe");
  });
});

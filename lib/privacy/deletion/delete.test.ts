import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  accounts, activityEvents, fieldHistory, messages, organisations, outboxEmails, people, privacySettings, tickets,
} from "@/db/schema";
import { runOperation } from "@/lib/operation";
import { onPostgres, useTestDatabase } from "@/test/db";
import {
  countRows, countTaskReports, createAccount, createCustomerWithTickets, createMessage, createPerson, createPrivacyOfficer, createRoleAccounts, createTicket,
  getTask, openLoan, queueDeletionTask,
} from "@/test/fixtures";
import { runDeletionStep } from "./delete";
import { createDeletionTask } from "./create-deletion-task";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { claimTasks, createWorkerContext, runWorker } from "@/lib/privacy/worker/worker";

// The deletion worker (SPEC §5): what is deleted, what is kept, what is blanked, and
// that an interrupted task resumes and ends with the same totals.

const handle = await useTestDatabase();
let officer: Awaited<ReturnType<typeof createPrivacyOfficer>>;

beforeAll(async () => {
  await createRoleAccounts(handle.db);
  officer = await createPrivacyOfficer(handle.db);
});

const queueDeletion = (personId: number, extra: Record<string, unknown> = {}) => queueDeletionTask(handle.db, officer.account.id, personId, extra);

const worker = (extra: Parameters<typeof runWorker>[1] | object = {}) =>
  runWorker(handle.db, { workerId: "test-worker", batchSize: 3, ...extra } as Parameters<typeof runWorker>[1]);

describe("deletion worker", () => {
  it("deletes the customer's tickets, messages and records, including a ticket that arrived after the request", async () => {
    const { person, tickets: before } = await createCustomerWithTickets(handle.db, 4, 3);
    const other = await createCustomerWithTickets(handle.db, 1, 2);
    const task = await queueDeletion(person.id);
    const late = await createTicket(handle.db, { customerId: person.id, title: "Arrived after the request" });
    await createMessage(handle.db, { ticketId: late.id, direction: "incoming", fromPersonId: person.id, body: "late" });

    const run = await worker();
    expect(run).toMatchObject({ claimed: 1, completed: 1, failed: 0 });
    const done = await getTask(handle.db, task.id);
    expect(done.status).toBe("completed");
    expect([...done.deletedTicketNumbers].sort()).toEqual([...before, late].map((t) => t.number).sort());
    expect(done.counts).toMatchObject({ tickets: 5, messages: 13, people: 1 });
    expect(done.progressDone).toBe(done.progressTotal);
    expect(done.verification).toMatchObject({ found: 0 });
    expect(done.leaseUntil).toBeNull();
    expect(await countRows(handle.db, "people", sql`id = ${person.id}`)).toBe(0);
    expect(await countRows(handle.db, "tickets", sql`customer_id = ${person.id} or id = ${late.id}`)).toBe(0);
    // Someone else's ticket is untouched.
    expect(await countRows(handle.db, "messages", sql`ticket_id = ${other.tickets[0].id}`)).toBe(2);
  });

  it("removes the redaction review's items in the deleted tickets and messages, and no one else's", async () => {
    const { person } = await createCustomerWithTickets(handle.db, 2, 2);
    const other = await createCustomerWithTickets(handle.db, 1, 1);
    // An earlier erasure found a name in these records (what name_mentions keeps: a place, never the name).
    const earlier = await queueDeletion((await createPerson(handle.db)).id);
    await handle.db.execute(sql`
      insert into name_mentions (task_id, record_table, record_id, field, start, length, salt, hash)
      select ${earlier.id}::int, 'messages', m.id, 'body', 0, 4, 's', 'h' from messages m join tickets t on t.id = m.ticket_id
        where t.customer_id in (${person.id}, ${other.person.id})
      union all
      select ${earlier.id}::int, 'tickets', t.id, 'title', 0, 4, 's', 'h' from tickets t where t.customer_id in (${person.id}, ${other.person.id})`);
    const mentionsOf = (customerId: number) => countRows(handle.db, "name_mentions", sql`
      (record_table = 'messages' and record_id in (select m.id from messages m join tickets t on t.id = m.ticket_id where t.customer_id = ${customerId}))
      or (record_table = 'tickets' and record_id in (select id from tickets where customer_id = ${customerId}))`);
    expect(await mentionsOf(person.id)).toBe(6);
    const before = await countRows(handle.db, "name_mentions", sql`task_id = ${earlier.id}`);

    await queueDeletion(person.id);
    await worker();
    expect(await countRows(handle.db, "name_mentions", sql`task_id = ${earlier.id}`)).toBe(before - 6);
    expect(await mentionsOf(other.person.id)).toBe(2);
  });

  it("keeps a staff person's owned tickets without owner, blanks their messages elsewhere, strips their address", async () => {
    const { account, person: agent } = await createAccount(handle.db, "Agent");
    const address = account.email.toLowerCase();
    await handle.db.update(people).set({ email: account.email }).where(eq(people.id, agent.id));
    const customer = await createPerson(handle.db);
    const owned = await createTicket(handle.db, { customerId: customer.id, ownerId: agent.id });
    const question = await createMessage(handle.db, { ticketId: owned.id, direction: "incoming", fromPersonId: customer.id, body: "My violin is broken", cc: [address, "friend@example.org"] });
    const reply = await createMessage(handle.db, { ticketId: owned.id, direction: "outgoing", fromPersonId: agent.id, sender: address, to: [customer.email!.toLowerCase()], body: "Best regards, the agent" });
    const mention = await createMessage(handle.db, { ticketId: owned.id, direction: "note", body: `Ask ${address} about it` });
    const unrelated = await createMessage(handle.db, { ticketId: owned.id, direction: "note", body: "Unrelated note", bcc: ["x@example.org"] });
    await handle.db.insert(outboxEmails).values({ idempotencyKey: `t-${agent.id}`, template: "x", to: address, subject: "Hi", html: "<p>hi</p>", text: "hi" });

    const task = await queueDeletion(agent.id);
    await worker();
    const done = await getTask(handle.db, task.id);
    expect(done.status).toBe("completed");
    expect(done.counts).toMatchObject({ ownedTicketsKept: 1, messagesBlanked: 2, addressesRemoved: 1, accounts: 1, outboxEmails: 1 });
    const [kept] = await handle.db.select().from(tickets).where(eq(tickets.id, owned.id));
    expect(kept).toMatchObject({ ownerId: null, customerId: customer.id });
    const after = new Map((await handle.db.select().from(messages).where(inArray(messages.id, [question.id, reply.id, mention.id, unrelated.id]))).map((m) => [m.id, m]));
    expect(after.get(question.id)).toMatchObject({ body: "My violin is broken", cc: ["friend@example.org"] });
    expect(after.get(reply.id)).toMatchObject({ body: "", subject: "", sender: null, fromPersonId: null });
    expect(after.get(mention.id)).toMatchObject({ body: "" });
    expect(after.get(unrelated.id)).toMatchObject({ body: "Unrelated note", bcc: ["x@example.org"] });
    expect(await countRows(handle.db, "accounts", sql`id = ${account.id}`)).toBe(0);
    expect(done.verification).toMatchObject({ found: 0 });
  });

  it("removes and verifies former addresses and numbers, and redacts them in others' titles, whatever the phone policy", async () => {
    const person = await createPerson(handle.db, { firstName: "Dora", lastName: "Former", email: "dora.now@example.org", phone: "+49 40 5559 8181" });
    await handle.db.insert(fieldHistory).values([
      { personId: person.id, field: "email", oldValue: "dora.former@example.org", newValue: person.email },
      { personId: person.id, field: "phone", oldValue: "0171 5559 8282", newValue: person.phone },
    ]);
    const other = await createPerson(handle.db, { firstName: "Egon", lastName: "Other", email: "egon.other@example.org" });
    const ticket = await createTicket(handle.db, { customerId: other.id, title: "Forwarded from Dora.Former@example.org" });
    const cc = await createMessage(handle.db, { ticketId: ticket.id, direction: "outgoing", sender: "help@lethe.test", to: [other.email!], cc: ["dora.former@example.org"], body: "Answer" });
    const body = await createMessage(handle.db, { ticketId: ticket.id, direction: "note", body: "Dora's old mobile: 0171/5559-8282. 2 calls" });
    const settings = await getPrivacySettings(handle.db);
    await handle.db.update(privacySettings).set({ fieldPolicies: { ...settings.fieldPolicies, phone: "keep" } });
    try {
      const task = await queueDeletion(person.id);
      expect(await worker()).toMatchObject({ completed: 1 });
      const done = await getTask(handle.db, task.id);
      expect(done.verification).toMatchObject({ found: 0 });
      expect(done.counts).toMatchObject({ mentionsRedacted: 1 });
    } finally {
      await handle.db.update(privacySettings).set({ fieldPolicies: settings.fieldPolicies });
    }
    const [t] = await handle.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(t.title).toBe("Forwarded from [redacted]");
    const [m1] = await handle.db.select().from(messages).where(eq(messages.id, cc.id));
    const [m2] = await handle.db.select().from(messages).where(eq(messages.id, body.id));
    expect(m1.cc).toEqual([]);
    expect(m2.body).toBe("");
  });

  it("deletes the organisation when asked and still empty", async () => {
    const [org] = await handle.db.insert(organisations).values({ name: "Solo Ltd" }).returning();
    const person = await createPerson(handle.db, { organisationId: org.id });
    const task = await queueDeletion(person.id, { deleteOrganisation: true });
    await worker();
    expect((await getTask(handle.db, task.id)).counts).toMatchObject({ organisations: 1 });
    expect(await countRows(handle.db, "organisations", sql`id = ${org.id}`)).toBe(0);
  });

  it("resumes a task whose worker died mid-way and ends with the same totals", async () => {
    const { person, tickets: list } = await createCustomerWithTickets(handle.db, 7, 2);
    const task = await queueDeletion(person.id);
    const ctx = createWorkerContext({ workerId: "doomed", leaseSeconds: 60 });
    const [claim] = await claimTasks(handle.db, ctx, "delete", 1);
    expect(claim.id).toBe(task.id);
    expect(await runDeletionStep(handle.db, claim, { batchSize: 3, leaseUntil: ctx.leaseUntil(), first: true })).toMatchObject({ deleted: 3, remaining: 4, finished: false });
    // The worker dies here. A run before the lease expires does not touch the task…
    expect(await worker()).toMatchObject({ claimed: 0 });
    expect((await getTask(handle.db, task.id)).progressDone).toBe(3);
    // …the next one after it does, and finishes it.
    const later = new Date(Date.now() + 5 * 60_000);
    const run = await worker({ now: later, workerId: "rescuer" });
    expect(run).toMatchObject({ claimed: 1, completed: 1 });
    const done = await getTask(handle.db, task.id);
    expect(done).toMatchObject({ status: "completed", attempts: 2, workerId: "rescuer", progressDone: 8, progressTotal: 8 });
    expect(done.counts).toMatchObject({ tickets: 7, messages: 14, people: 1 });
    expect([...done.deletedTicketNumbers].sort()).toEqual(list.map((t) => t.number).sort());
    // The dead worker's claim is fenced off: it can no longer write.
    await expect(runDeletionStep(handle.db, claim, { batchSize: 3, leaseUntil: ctx.leaseUntil(), first: false })).rejects.toThrow(/Lease lost/);
  });

  it("records the verification as unavailable when the worker died between the work and the scan", async () => {
    const { person } = await createCustomerWithTickets(handle.db, 1, 1);
    const task = await queueDeletion(person.id);
    const ctx = createWorkerContext({ workerId: "doomed", leaseSeconds: 60 });
    const [claim] = await claimTasks(handle.db, ctx, "delete", 1);
    const step = { batchSize: 10, leaseUntil: ctx.leaseUntil(), settings: await getPrivacySettings(handle.db), now: new Date(), first: true };
    expect(await runDeletionStep(handle.db, claim, step)).toMatchObject({ deleted: 1, remaining: 0, finished: true });
    await worker({ now: new Date(Date.now() + 5 * 60_000) });
    const done = await getTask(handle.db, task.id);
    expect(done.status).toBe("completed");
    expect(done.counts).toMatchObject({ tickets: 1, messages: 1, people: 1 });
    expect(done.verification).toMatchObject({ found: null, note: expect.stringMatching(/unavailable/) });
  });

  it("fails with the reason in words when a new obligation appeared, and tells the requester", async () => {
    const person = await createPerson(handle.db);
    const task = await queueDeletion(person.id);
    await openLoan(handle.db, person.id);
    expect(await worker()).toMatchObject({ failed: 1 });
    const failed = await getTask(handle.db, task.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^New blocking obligations since the request: Open instrument hire: Violin #V-114/);
    expect(await countRows(handle.db, "people", sql`id = ${person.id}`)).toBe(1);
    const events = await handle.db.select().from(activityEvents).where(eq(activityEvents.objectId, task.id));
    expect(events.map((e) => e.verb).sort()).toEqual(["created", "failed"]);
    const [mail] = await handle.db.select().from(outboxEmails).where(eq(outboxEmails.idempotencyKey, `privacy-task:${task.id}:finished`));
    expect(mail).toMatchObject({ subject: `Deletion task #${task.id} failed`, to: officer.account.email, recipientAccountId: officer.account.id });
  });

  it("announces completion in the activity stream and mails the requester, without personal data", async () => {
    const { person, tickets: list } = await createCustomerWithTickets(handle.db, 2, 1);
    const task = await queueDeletion(person.id);
    await worker();
    const events = await handle.db.select().from(activityEvents).where(eq(activityEvents.objectId, task.id));
    const finished = events.find((e) => e.verb === "completed");
    expect(finished).toMatchObject({ permission: "admin.data_privacy", summary: `Deletion task #${task.id} for ${task.subjectLabel} completed: 2 tickets deleted` });
    const [mail] = await handle.db.select().from(outboxEmails).where(eq(outboxEmails.idempotencyKey, `privacy-task:${task.id}:finished`));
    expect(mail.subject).toBe(`Deletion task #${task.id} completed`);
    for (const t of list) expect(mail.text).toContain(`#${t.number}`);
    expect(mail.html).toContain(`/privacy/tasks/${task.id}`);
    for (const value of [person.email!, person.phone!, person.lastName]) {
      expect(mail.html).not.toContain(value);
      expect(mail.text).not.toContain(value);
    }
  });

  it("gives up on a task whose workers died five times", async () => {
    const person = await createPerson(handle.db);
    const task = await queueDeletion(person.id);
    await handle.db.execute(sql`update privacy_tasks set status = 'running', attempts = 5, lease_until = now() - interval '1 minute' where id = ${task.id}`);
    expect(await worker()).toMatchObject({ claimed: 0, failed: 1 });
    expect(await getTask(handle.db, task.id)).toMatchObject({ status: "failed", error: expect.stringMatching(/stopped 5 times/) });
    expect(await countRows(handle.db, "people", sql`id = ${person.id}`)).toBe(1);
  });

  it("does not mail a requester whose account is gone", async () => {
    const { account } = await createPrivacyOfficer(handle.db);
    const person = await createPerson(handle.db);
    const result = await runOperation(createDeletionTask, { db: handle.db, accountId: account.id, input: { personId: person.id, origin: "api" } });
    if (!result.ok) throw new Error(result.message);
    await handle.db.update(accounts).set({ active: false }).where(eq(accounts.id, account.id));
    await worker();
    expect((await getTask(handle.db, result.data.id)).status).toBe("completed");
    expect(await countRows(handle.db, "outbox_emails", sql`idempotency_key = ${`privacy-task:${result.data.id}:finished`}`)).toBe(0);
  });
});

// PGlite runs one transaction at a time, so two workers cannot overlap there; the
// claim's FOR UPDATE SKIP LOCKED is exercised on the PostgreSQL server only.
describe.runIf(onPostgres)("two workers at once (PostgreSQL)", () => {
  it("never take the same task", async () => {
    const queued = [];
    for (let i = 0; i < 12; i++) {
      const { person } = await createCustomerWithTickets(handle.db, 2, 1);
      queued.push(await queueDeletion(person.id));
    }
    const [a, b, c] = await Promise.all(["w-a", "w-b", "w-c"].map((workerId) => worker({ workerId, batchSize: 1 })));
    const taken = [...a.taskIds, ...b.taskIds, ...c.taskIds];
    expect(new Set(taken).size).toBe(taken.length);
    expect([...taken].sort((x, y) => x - y)).toEqual(queued.map((t) => t.id));
    expect(a.completed + b.completed + c.completed).toBe(12);
    for (const t of queued) {
      expect(await getTask(handle.db, t.id)).toMatchObject({ status: "completed", attempts: 1, counts: { tickets: 2, messages: 2 } });
    }
    // Each task's end reported once to its requester (several that end together, in one e-mail).
    const reports = await countTaskReports(handle.db, queued.map((t) => t.id));
    expect([...reports.values()]).toEqual(queued.map(() => 1));
  });
});

import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Db, type DbHandle, rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { runOperation } from "@/lib/operation";
import { anonymiseTickets } from "@/lib/privacy/anonymise/anonymise-tickets";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { mentionHash } from "@/lib/privacy/mentions/discover";
import { decideNameMention } from "@/lib/privacy/mentions/review";
import { replayErasures } from "@/lib/privacy/ledger/replay";
import { runWorker } from "@/lib/privacy/worker/worker";
import { createRetentionRule } from "@/lib/schedule/rules";
import { runDueRules } from "@/lib/schedule/rule-run";
import { preventAnonymisation } from "@/lib/privacy/prevention/prevention";
import { deleteTickets } from "@/lib/tickets/deletion/delete-tickets";
import { onPostgres, openConnections, useTestDatabase } from "@/test/db";
import { dumpTextColumns } from "@/test/dump";
import { createAccount, createCustomerWithTickets, createMessage, createPerson, createPrivacyOfficer, createTicket } from "@/test/fixtures";
import { comparable, dumpAffected, eraseThroughWorker, restoreAffected } from "@/test/ledger-restore";
import { keptMonthCounts, recountMonthCounts } from "@/test/month-counts";

// Ticket deletion (lib/tickets/deletion) against what else writes the same customer at the
// same moment, on connections of their own (PostgreSQL only: PGlite runs one transaction at
// a time). A third connection holds a lock on the ticket so that the deletion has read its
// selection and waits while the other writer commits: the window every real race opens.

const { db } = await useTestDatabase();
let officer: number;
let staff: number;
let admin: number;

beforeAll(async () => {
  officer = (await createPrivacyOfficer(db)).account.id;
  staff = (await createAccount(db, "Staff")).account.id;
  admin = (await createAccount(db, "Admin")).account.id;
});

const remove = (input: unknown, on: Db = db) => runOperation(deleteTickets, { db: on, accountId: officer, input });
const present = async (ids: number[]) => rows<{ id: number }>(await db.execute(sql`
  select id from tickets where id = any(${intArray(ids)}) order by id`)).map((r) => Number(r.id));
/** How many ledger rows each of these tickets has. */
async function ledgerRows(ids: number[]) {
  const found = rows<{ id: number; n: number }>(await db.execute(sql`
    select ticket_id as id, count(*)::int as n from erasure_ledger where ticket_id = any(${intArray(ids)}) group by ticket_id`));
  return Object.fromEntries(found.map((r) => [Number(r.id), Number(r.n)]));
}

/** Until some connection of this database waits for a lock. */
async function waitForLockWait(count = 1) {
  for (let i = 0; i < 400; i++) {
    const [{ n }] = rows<{ n: number }>(await db.execute(sql`
      select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`));
    if (Number(n) >= count) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("Nobody waited for a lock.");
}

/** The audit entries of these actions, in the order the log appended them. */
async function auditOrder(actions: string[], since: number) {
  return rows<{ action: string }>(await db.execute(sql`
    select action from audit_entries where id > ${since} and action = any(${sql`${`{${actions.join(",")}}`}::text[]`}) order by id`)).map((r) => r.action);
}

async function lastAuditId() {
  const [{ id }] = rows<{ id: number }>(await db.execute(sql`select coalesce(max(id), 0)::int as id from audit_entries`));
  return Number(id);
}

describe.runIf(onPostgres)("ticket deletion while the customer is written elsewhere (PostgreSQL)", () => {
  let c: DbHandle[] = [];
  beforeAll(async () => {
    c = await openConnections(db, 3);
  });
  afterAll(async () => {
    await Promise.all(c.map((h) => h.close()));
  });

  /**
   * Runs the deletion of `ticketIds` on one connection while another holds a lock on the
   * first ticket; `meanwhile` runs on a third connection once the deletion waits, and the
   * lock is let go when it returns (or when it waits for a lock itself).
   */
  async function deleteWhile<T>(ticketIds: number[], meanwhile: (other: Db) => Promise<T>) {
    let deletion!: ReturnType<typeof remove>;
    let other!: Promise<T>;
    await c[0].db.transaction(async (tx) => {
      await tx.execute(sql`select id from tickets where id = ${ticketIds[0]} for update`);
      deletion = remove({ ticketIds }, c[1].db);
      deletion.catch(() => {});
      await waitForLockWait(1);
      other = meanwhile(c[2].db);
      other.catch(() => {});
      // The other writer either finishes or waits for the deletion: either way the lock goes.
      await Promise.race([other, waitForLockWait(2)]);
    });
    return { deleted: await deletion, other: await other };
  }

  it("a deletion task created for the customer while the deletion waits: the tickets are refused (409), or deleted before the task exists", async () => {
    const { person, tickets } = await createCustomerWithTickets(db, 2, 1);
    const since = await lastAuditId();
    const { deleted, other } = await deleteWhile(tickets.map((t) => t.id), (other) =>
      runOperation(createDeletionTask, { db: other, accountId: officer, input: { personId: person.id } }));
    expect(other).toMatchObject({ ok: true });
    const order = await auditOrder(["tickets.deleted", "privacy_task.created"], since);
    if (deleted.ok) {
      // Deleted by hand first; the task, created afterwards, counted no ticket of theirs.
      expect(order).toEqual(["tickets.deleted", "privacy_task.created"]);
      expect(other.ok && other.data.progressTotal).toBe(1);
    } else {
      expect(deleted).toMatchObject({ code: "conflict" });
      expect(rows(await db.execute(sql`select id from tickets where id = any(${intArray(tickets.map((t) => t.id))})`))).toHaveLength(2);
    }
  });

  it("a hold set on the customer while the deletion waits: refused without a reason (422), or deleted before the hold", async () => {
    const { person, tickets } = await createCustomerWithTickets(db, 1, 1);
    const since = await lastAuditId();
    const { deleted, other } = await deleteWhile([tickets[0].id], (other) =>
      runOperation(preventAnonymisation, { db: other, accountId: staff, input: { personId: person.id, reason: "A lawyer's letter arrived" } }));
    expect(other).toMatchObject({ ok: true });
    const order = (await auditOrder(["tickets.deleted", "person.prevention_set"], since));
    if (deleted.ok) expect(order).toEqual(["tickets.deleted", "person.prevention_set"]);
    else expect(deleted).toMatchObject({ code: "rule_violation", details: { onHold: [tickets[0].number] } });
    expect(await keptMonthCounts(db)).toEqual(await recountMonthCounts(db));
  });

  it("the dialog's other action: a hold set on the customer while an anonymisation of their ticket waits refuses it (422), or comes after it", async () => {
    await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
    const { person, tickets } = await createCustomerWithTickets(db, 1, 1);
    const since = await lastAuditId();
    let anonymisation!: ReturnType<typeof runOperation<typeof anonymiseTickets.input, unknown>>;
    let hold!: ReturnType<typeof runOperation<typeof preventAnonymisation.input, unknown>>;
    await c[0].db.transaction(async (tx) => {
      await tx.execute(sql`select id from tickets where id = ${tickets[0].id} for update`);
      anonymisation = runOperation(anonymiseTickets, { db: c[1].db, accountId: admin, input: { ticketIds: [tickets[0].id] } });
      anonymisation.catch(() => {});
      await waitForLockWait(1);
      hold = runOperation(preventAnonymisation, { db: c[2].db, accountId: staff, input: { personId: person.id, reason: "A lawyer's letter arrived" } });
      hold.catch(() => {});
      await Promise.race([hold, waitForLockWait(2)]);
    });
    const [anonymised, held] = await Promise.all([anonymisation, hold]);
    expect(held).toMatchObject({ ok: true });
    const order = await auditOrder(["tickets.anonymised", "person.prevention_set"], since);
    if (anonymised.ok) expect(order).toEqual(["tickets.anonymised", "person.prevention_set"]);
    else expect(anonymised).toMatchObject({ code: "rule_violation", details: { onHold: [tickets[0].number] } });
  });

  it("the worker anonymising the customer while the deletion waits: both finish, and the monthly counts stay exact", async () => {
    await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
    const { person, tickets } = await createCustomerWithTickets(db, 2, 2);
    const kept = await createTicket(db, { customerId: person.id });
    const [task] = rows<{ id: number }>(await db.execute(sql`insert into privacy_tasks (action, origin, subject_person_id, subject_label, progress_total)
      values ('anonymise', 'manual', ${person.id}, 'A***a', 1) returning id`));
    const { deleted, other } = await deleteWhile(tickets.map((t) => t.id), (other) => runWorker(other, { workerId: "attack-worker" }));
    expect(deleted).toMatchObject({ ok: true, data: { tickets: 2, messages: 4 } });
    expect(other).toMatchObject({ failed: 0 });
    expect(other.taskIds).toContain(Number(task.id));
    expect(rows(await db.execute(sql`select status::text as status from privacy_tasks where id = ${task.id}`))).toEqual([{ status: "completed" }]);
    expect(await present([...tickets.map((t) => t.id), kept.id])).toEqual([kept.id]);
    expect(await keptMonthCounts(db)).toEqual(await recountMonthCounts(db));
  });

  it("a message arriving while the ticket is deleted: it goes with the ticket or is refused by its foreign key; nothing is left behind", async () => {
    const { tickets } = await createCustomerWithTickets(db, 1, 1);
    const { deleted, other } = await deleteWhile([tickets[0].id], (other) =>
      createMessage(other, { ticketId: tickets[0].id, direction: "incoming", body: "One more thing" }).then(() => "inserted", (e: { cause?: { code?: string }; code?: string }) => e.cause?.code ?? e.code));
    expect(["inserted", "23503"]).toContain(other);
    expect(deleted).toMatchObject({ ok: true, data: { tickets: 1, messages: other === "inserted" ? 2 : 1 } });
    expect(rows(await db.execute(sql`select 1 from messages where ticket_id = ${tickets[0].id}`))).toEqual([]);
  });

  it("a retention rule deleting the same tickets at the same time: each ticket is deleted once, with one ledger row; the hand deletion is whole or refused", async () => {
    const [org] = rows<{ id: number }>(await db.execute(sql`insert into organisations (name) values ('Attack rule org') returning id`));
    const customer = await createPerson(db);
    const tickets = [];
    for (let i = 0; i < 3; i++) tickets.push(await createTicket(db, { customerId: customer.id, organisationId: Number(org.id) }));
    await db.execute(sql`update retention_rules set enabled = false`);
    const rule = await runOperation(createRetentionRule, { db, accountId: admin, input: {
      name: "Attack: delete the organisation's tickets", object: "ticket", action: "delete", conditions: { organisationId: Number(org.id) },
      schedule: { kind: "daily", hour: 0 }, enabled: true,
    } });
    if (!rule.ok) throw new Error(rule.message);
    await db.execute(sql`update retention_rules set updated_at = now() - interval '3 days' where id = ${rule.data.id}`);
    const ids = tickets.map((t) => t.id);
    const { deleted, other } = await deleteWhile(ids, (other) => runDueRules(other, { now: new Date() }));
    expect(other.failed).toEqual([]);
    if (deleted.ok) expect(deleted.data.tickets).toBe(3);
    else expect(deleted).toMatchObject({ code: "not_found" });
    // The rule leaves what the hand deletion held; a second run takes the rest.
    await runDueRules(db, { now: new Date(Date.now() + 86_400_000) });
    expect(await present(ids)).toEqual([]);
    expect(await ledgerRows(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
    expect(await keptMonthCounts(db)).toEqual(await recountMonthCounts(db));
    await db.execute(sql`update retention_rules set enabled = false where id = ${rule.data.id}`);
  });

  // Two answers, both without a deadlock, a retry or a 500, depending on which path the
  // worker takes. One task at a time (delete.ts) it takes the ticket first (its batch) and
  // the customer's row after it: the hand deletion gets the customer and is refused, the
  // task being open (409). In a group (delete-group.ts) it takes the customer first, as
  // lock-order.ts has it: the hand deletion waits for the customer and finds the ticket
  // gone with them (404, naming it).
  it.each([
    { path: "one task at a time", deletionGroups: false },
    { path: "in a group", deletionGroups: true },
  ])("a deletion task the worker runs $path for the customer while their ticket is deleted by hand: no deadlock", async ({ deletionGroups }) => {
    const { person, tickets } = await createCustomerWithTickets(db, 1, 1);
    const [task] = rows<{ id: number }>(await db.execute(sql`insert into privacy_tasks (action, origin, subject_person_id, subject_label, progress_total)
      values ('delete', 'manual', ${person.id}, 'A***a', 2) returning id`));
    // The worker is the one PostgreSQL would let go on: the hand deletion checks for a cycle first.
    await c[2].db.execute(sql`set deadlock_timeout = '5s'`);
    let worker!: ReturnType<typeof runWorker>;
    let deletion!: ReturnType<typeof remove>;
    try {
      await c[0].db.transaction(async (tx) => {
        await tx.execute(sql`select id from tickets where id = ${tickets[0].id} for update`);
        worker = runWorker(c[2].db, { workerId: "attack-deleter", deletionGroups });
        worker.catch(() => {});
        await waitForLockWait(1);
        deletion = remove({ ticketIds: [tickets[0].id] }, c[1].db);
        deletion.catch(() => {});
        await Promise.race([deletion, waitForLockWait(2)]);
      });
      const [worked, deleted] = await Promise.all([worker, deletion]);
      expect(deleted).toMatchObject(deletionGroups
        ? { ok: false, code: "not_found", details: { missing: [tickets[0].id] } }
        : { ok: false, code: "conflict", details: { inOpenTask: [{ number: tickets[0].number, taskId: Number(task.id) }] } });
      expect(worked).toMatchObject({ failed: 0, retried: 0 });
      expect(rows(await db.execute(sql`select status::text as status from privacy_tasks where id = ${task.id}`))).toEqual([{ status: "completed" }]);
    } finally {
      await c[2].db.execute(sql`reset deadlock_timeout`);
    }
  });

  it("a redaction decided on one of its messages while the ticket is deleted: one waits or is run again, no 500; the ticket goes with its review items", async () => {
    const { tickets } = await createCustomerWithTickets(db, 1, 1);
    const message = await createMessage(db, { ticketId: tickets[0].id, direction: "outgoing", body: "Greetings to Hedwig Brandt from us" });
    const [task] = rows<{ id: number }>(await db.execute(sql`
      insert into privacy_tasks (action, status, subject_label) values ('anonymise', 'completed', 'H*****g B****t') returning id`));
    const [item] = rows<{ id: number }>(await db.execute(sql`
      insert into name_mentions (task_id, record_table, record_id, field, start, length, salt, hash)
      values (${task.id}, 'messages', ${message.id}, 'body', 13, 13, 'salt', ${mentionHash("salt", "Hedwig Brandt")}) returning id`));
    let decision!: ReturnType<typeof runOperation<typeof decideNameMention.input, unknown>>;
    let deletion!: ReturnType<typeof remove>;
    // The review item held: the decision waits for it, the deletion deletes the messages and
    // waits for it too; let go, the decision wants the message the deletion holds.
    await c[0].db.transaction(async (tx) => {
      await tx.execute(sql`select id from name_mentions where id = ${item.id} for update`);
      decision = runOperation(decideNameMention, { db: c[1].db, accountId: admin, input: { id: item.id, decision: "redact" } });
      decision.catch(() => {});
      await waitForLockWait(1);
      deletion = remove({ ticketIds: [tickets[0].id] }, c[2].db);
      deletion.catch(() => {});
      await waitForLockWait(2);
    });
    const [decided, deleted] = await Promise.all([decision, deletion]);
    expect(deleted).toMatchObject({ ok: true, data: { tickets: 1, messages: 2, nameMentions: 1 } });
    if (!decided.ok) expect(decided).toMatchObject({ code: "not_found" });
    expect(await present([tickets[0].id])).toEqual([]);
    expect(rows(await db.execute(sql`select 1 from name_mentions where id = ${item.id}`))).toEqual([]);
  });

  it("two bulk deletions overlapping on some tickets: one deletes its tickets, the other is refused whole; each ticket ledgered once", async () => {
    const { tickets } = await createCustomerWithTickets(db, 4, 1);
    const ids = tickets.map((t) => t.id);
    const since = await lastAuditId();
    const results = await Promise.all([remove({ ticketIds: ids.slice(0, 3) }, c[0].db), remove({ ticketIds: ids.slice(1) }, c[1].db)]);
    expect(results.map((r) => (r.ok ? "deleted" : r.code)).sort()).toEqual(["deleted", "not_found"]);
    const winner = results.findIndex((r) => r.ok);
    const theirs = winner === 0 ? ids.slice(0, 3) : ids.slice(1);
    expect(await present(ids)).toEqual(ids.filter((id) => !theirs.includes(id)));
    expect(await ledgerRows(ids)).toEqual(Object.fromEntries(theirs.map((id) => [id, 1])));
    expect(await auditOrder(["tickets.deleted"], since)).toEqual(["tickets.deleted"]);
  });
});

// One ledger key for the whole file, whatever PSEUDONYM_KEY the environment sets (CI sets
// its own): the replay below refuses ledger rows written under another key, and the
// deletions of the earlier tests are within its window.
const cachedEnv = globalThis as { __letheEnv?: unknown };
beforeAll(() => {
  vi.stubEnv("PSEUDONYM_KEY", "an-attack-test-ledger-key-of-32-characters");
  delete cachedEnv.__letheEnv;
});
afterAll(() => {
  vi.unstubAllEnvs();
  delete cachedEnv.__letheEnv;
});

describe("a deletion of many customers' tickets with a reference typed", () => {
  it("5,000 tickets of 5,000 customers: deleted in one call within seconds, the reference audited with the named customer masked", async () => {
    const tag = randomBytes(4).toString("hex");
    await db.execute(sql`insert into people (first_name, last_name, email, phone, external_id, kind)
      select 'Many' || g, 'Customer${sql.raw(tag)}' || g, 'many' || g || '.${sql.raw(tag)}@example.org', '+49 30 77' || lpad(g::text, 6, '0'), 'M-${sql.raw(tag)}-' || g, 'customer'
      from generate_series(1, 5000) g`);
    await db.execute(sql`insert into tickets (number, title, customer_id, state)
      select 70000000 + p.id, 'Question', p.id, 'open' from people p where p.email like ${`%.${tag}@example.org`}`);
    const ids = rows<{ id: number }>(await db.execute(sql`
      select t.id from tickets t join people p on p.id = t.customer_id where p.email like ${`%.${tag}@example.org`} order by t.id`)).map((r) => Number(r.id));
    expect(ids).toHaveLength(5000);
    const reference = `Request 2026-17 from many17.${tag}@example.org, Many17 Customer${tag}17, +49 30 77000017`;
    const started = performance.now();
    const result = await remove({ ticketIds: ids, reference });
    // Masking every customer's identifiers in turn took over 30 s here.
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(result).toMatchObject({ ok: true, data: { tickets: 5000 } });
    const [audit] = rows<{ details: { reference: string } }>(await db.execute(sql`
      select details from audit_entries where action = 'tickets.deleted' order by id desc limit 1`));
    expect(audit.details.reference).not.toContain(tag);
    expect(audit.details.reference).not.toMatch(/77000017/);
    expect(audit.details.reference).toMatch(/^Request 2026-17 from /);
  }, 60_000);
});

describe("what a deletion leaves behind", () => {
  /** Words, addresses and IP addresses found nowhere else, on a ticket, its messages and review items. */
  async function markedTicket(customerId: number | null, values: { anonymisedAt?: Date; messages?: boolean } = {}) {
    const tag = randomBytes(4).toString("hex");
    const ipv4 = `198.18.${parseInt(tag.slice(0, 2), 16)}.${parseInt(tag.slice(2, 4), 16)}`;
    const ipv6 = `2001:db8:${tag.slice(0, 4)}:${tag.slice(4, 8)}::17`;
    const ticket = await createTicket(db, { customerId, title: `Title ${tag}`, ipAddress: ipv4, createdAt: new Date("2026-05-14T10:00:00Z"), anonymisedAt: values.anonymisedAt });
    if (values.messages !== false) {
      const m = await createMessage(db, {
        ticketId: ticket.id, direction: "incoming", sender: `from.${tag}@example.org`, to: [`to.${tag}@example.org`],
        cc: [`cc.${tag}@example.org`], bcc: [`bcc.${tag}@example.org`], subject: `Subject ${tag}`, body: `Body ${tag}, call 030 ${tag.replace(/\D/g, "7")}`, ipAddress: ipv6,
      });
      await createMessage(db, { ticketId: ticket.id, direction: "note", body: `Note ${tag}`, ipAddress: ipv4 });
      const [task] = rows<{ id: number }>(await db.execute(sql`
        insert into privacy_tasks (action, status, subject_label) values ('anonymise', 'completed', 'A***a') returning id`));
      await db.execute(sql`insert into name_mentions (task_id, record_table, record_id, field, start, length, salt, hash) values
        (${task.id}, 'messages', ${m.id}, 'body', 0, 4, 's', 'h'), (${task.id}, 'tickets', ${ticket.id}, 'title', 0, 5, 's', 'h')`);
    }
    const expanded = `2001:0db8:${tag.slice(0, 4)}:${tag.slice(4, 8)}:0000:0000:0000:0017`;
    return { ticket, marks: [tag, ipv4, ipv6, expanded] };
  }

  it("a ticket with messages, one without, and one anonymised on its own: the dump holds none of their words, addresses or IP addresses; the month's counts drop", async () => {
    const customer = await createPerson(db);
    const full = await markedTicket(customer.id);
    const empty = await markedTicket(customer.id, { messages: false });
    const anonymised = await markedTicket(null, { anonymisedAt: new Date("2026-06-01T00:00:00Z") });
    const keep = await markedTicket(customer.id);
    const before = await keptMonthCounts(db);

    const result = await remove({ ticketIds: [full.ticket.id, empty.ticket.id, anonymised.ticket.id] });
    expect(result).toMatchObject({ ok: true, data: { tickets: 3, messages: 4, nameMentions: 4 } });

    const dump = (await dumpTextColumns(db)).join("\n").toLowerCase();
    for (const mark of [...full.marks, ...empty.marks, ...anonymised.marks]) expect(dump, mark).not.toContain(mark.toLowerCase());
    expect(dump, "the ticket kept").toContain(keep.marks[0]);
    const after = await keptMonthCounts(db);
    expect(after).toEqual(await recountMonthCounts(db));
    expect(after["tickets 2026-05"]).toBe(before["tickets 2026-05"] - 3);
    expect(after["tickets_anonymised 2026-05"] ?? 0).toBe((before["tickets_anonymised 2026-05"] ?? 0) - 1);
  });
});

describe("a backup restored after a ticket was deleted by hand and its customer by a task", () => {

  it("the replay deletes the ticket and the customer again: the tables are as after the erasures, the counts exact, a second replay finds nothing", async () => {
    const started = new Date(Date.now() - 60_000);
    const runs = { from: started, until: new Date(started.getTime() + 60 * 60_000) };
    const { person, tickets } = await createCustomerWithTickets(db, 3, 2);
    const bystander = await createPerson(db);
    const other = await createTicket(db, { customerId: bystander.id });
    await createMessage(db, { ticketId: other.id, direction: "incoming", fromPersonId: bystander.id, body: `Ask ${person.email} about it` });
    const ticketIds = [...tickets.map((t) => t.id), other.id];
    const messageIds = rows<{ id: number }>(await db.execute(sql`select id from messages where ticket_id = any(${intArray(ticketIds)})`)).map((r) => Number(r.id));
    const ids = { people: [person.id, bystander.id], tickets: ticketIds, messages: messageIds };
    const backup = await dumpAffected(db, ids);

    expect(await remove({ ticketIds: [tickets[0].id] })).toMatchObject({ ok: true });
    expect(await eraseThroughWorker(db, { anonymise: [], delete: [person.id] })).toMatchObject({ failed: 0 });
    const erased = comparable(await dumpAffected(db, ids), runs);
    expect(erased.tickets.map((t) => t.id)).toEqual([other.id]);

    await restoreAffected(db, backup, ids);
    expect(await present(ticketIds)).toEqual(ticketIds);
    const replayed = await replayErasures(db, { since: started });
    expect(replayed).toMatchObject({ found: { tickets: 1, delete: 1 }, ticketsDeleted: 1, failed: 0 });
    expect(comparable(await dumpAffected(db, ids), runs)).toEqual(erased);
    expect(await keptMonthCounts(db)).toEqual(await recountMonthCounts(db));
    expect(await replayErasures(db, { since: started })).toMatchObject({ found: { tickets: 0, delete: 0 }, ticketsDeleted: 0 });
  });
});

import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type Db, type DbOrTx, rows } from "@/db/client";
import { intArray } from "@/db/sql";
import { readActivity } from "@/lib/activity-words";
import { runOperation } from "@/lib/operation";
import { onPostgres, openConnections, useTestDatabase } from "@/test/db";
import { dumpTextColumns } from "@/test/dump";
import { createCustomerWithTickets, createMessage, createPerson, createPrivacyOfficer, createTicket } from "@/test/fixtures";
import { deleteTickets, ticketsDeletedSummary } from "./delete-tickets";
import { previewTicketDeletion } from "./preview";

// Deleting tickets on their own (SPEC §12): what goes (tickets, messages, review items),
// what is written (ledger, audit, activity), and what refuses the whole request before
// anything is written (an id that is not there, a customer with an open deletion task, a
// customer on hold without a reason). Runs on PGlite and, with DATABASE_URL, on PostgreSQL.

const { db } = await useTestDatabase();
let officer: number;

beforeAll(async () => {
  officer = (await createPrivacyOfficer(db)).account.id;
});

const run = (input: unknown, database: Db = db) => runOperation(deleteTickets, { db: database, accountId: officer, input });
const preview = (ticketIds: number[]) => runOperation(previewTicketDeletion, { db, accountId: officer, input: { ticketIds } });

/** What a refused request must leave as it was. */
async function written() {
  const [r] = rows<Record<string, number>>(await db.execute(sql`select
    (select count(*) from tickets)::int as tickets, (select count(*) from messages)::int as messages,
    (select count(*) from name_mentions)::int as mentions, (select count(*) from erasure_ledger)::int as ledger,
    (select count(*) from audit_entries)::int as audit, (select count(*) from activity_events)::int as activity`));
  return r;
}

/** A ticket with words found nowhere else: its title, messages, addresses and IP, and a review item on a message. */
async function markedTicket(customerId: number | null) {
  const tag = randomBytes(5).toString("hex");
  const ticket = await createTicket(db, { customerId, title: `Marker title ${tag}`, ipAddress: `198.51.100.${parseInt(tag.slice(0, 2), 16) % 250}` });
  const m1 = await createMessage(db, { ticketId: ticket.id, direction: "incoming", sender: `writer.${tag}@example.org`, subject: `Marker subject ${tag}`, body: `Marker body ${tag}`, cc: [`cc.${tag}@example.org`] });
  await createMessage(db, { ticketId: ticket.id, direction: "outgoing", to: [`writer.${tag}@example.org`], body: `Marker answer ${tag}` });
  const [task] = rows<{ id: number }>(await db.execute(sql`
    insert into privacy_tasks (action, status, subject_label) values ('anonymise', 'completed', 'A***a') returning id`));
  await db.execute(sql`insert into name_mentions (task_id, record_table, record_id, field, start, length, salt, hash) values
    (${task.id}, 'messages', ${m1.id}, 'body', 0, 6, 's', 'h'), (${task.id}, 'tickets', ${ticket.id}, 'title', 0, 6, 's', 'h')`);
  return { ticket, tag };
}

describe("deleteTickets", () => {
  it("deletes one ticket with its messages and review items; a dump of every table holds none of its words; ledger, audit and activity record the number", async () => {
    const customer = await createPerson(db);
    const { ticket, tag } = await markedTicket(customer.id);
    const other = await markedTicket(customer.id);

    const result = await run({ ticketIds: [ticket.id] });
    expect(result).toEqual({ ok: true, data: { tickets: 1, messages: 2, nameMentions: 2, ticketNumbers: [ticket.number] } });

    const dump = await dumpTextColumns(db);
    expect(dump.filter((line) => line.includes(tag))).toEqual([]);
    expect(dump.some((line) => line.includes(other.tag)), "the other ticket is untouched").toBe(true);
    const [left] = rows<{ tickets: number; messages: number; mentions: number }>(await db.execute(sql`select
      (select count(*) from tickets where id = ${ticket.id})::int as tickets,
      (select count(*) from messages where ticket_id = ${ticket.id})::int as messages,
      (select count(*) from name_mentions where (record_table = 'tickets' and record_id = ${ticket.id})
         or (record_table = 'messages' and record_id not in (select id from messages)))::int as mentions`));
    expect(left).toEqual({ tickets: 0, messages: 0, mentions: 0 });

    const [ledger] = rows<{ action: string; subject: number | null; hashes: string[] }>(await db.execute(sql`
      select action, subject_person_id as subject, hashes from erasure_ledger where ticket_id = ${ticket.id}`));
    expect(ledger.action).toBe("delete_ticket");
    expect(ledger.subject).toBeNull();

    const [audit] = rows<{ action: string; actor: number; details: Record<string, unknown> }>(await db.execute(sql`
      select action, actor_account_id as actor, details from audit_entries where action = 'tickets.deleted' order by id desc limit 1`));
    expect(audit).toEqual({ action: "tickets.deleted", actor: officer, details: { ticketNumbers: [ticket.number], counts: { tickets: 1, messages: 2, nameMentions: 2 } } });
    const [activity] = rows<{ summary: string; permission: string }>(await db.execute(sql`
      select summary, permission from activity_events where object_type = 'ticket' order by id desc limit 1`));
    expect(activity).toEqual({ summary: `Deleted 1 ticket with 2 messages: #${ticket.number}`, permission: "admin.data_privacy" });
    expect(readActivity(activity.summary)).toEqual({ kind: "ticketsDeleted", count: 1, messages: 2, numbers: `#${ticket.number}`, more: 0 });
  });

  it("deletes a selection in one call, the same id twice counted once", async () => {
    const { tickets } = await createCustomerWithTickets(db, 3, 2);
    const ids = tickets.map((t) => t.id);
    const result = await run({ ticketIds: [...ids, ids[0], String(ids[1])] });
    expect(result).toEqual({ ok: true, data: { tickets: 3, messages: 6, nameMentions: 0, ticketNumbers: tickets.map((t) => t.number).sort((a, b) => a - b) } });
    expect(rows(await db.execute(sql`select 1 from tickets where id = any(${intArray(ids)})`))).toEqual([]);
  });

  it("refuses ids that do not exist with 404 naming them, and writes nothing", async () => {
    const { ticket } = await markedTicket(null);
    const before = await written();
    const result = await run({ ticketIds: [ticket.id, 2_000_000_001, 2_000_000_002] });
    expect(result).toEqual({
      ok: false, code: "not_found", message: "Nothing was deleted: these ticket ids do not exist: 2000000001, 2000000002.",
      details: { missing: [2_000_000_001, 2_000_000_002] },
    });
    expect(await written()).toEqual(before);
  });

  it.each(["queued", "running", "awaiting_approval"])("refuses a ticket whose customer has a %s deletion task with 409 naming it, and writes nothing", async (status) => {
    const { person, tickets } = await createCustomerWithTickets(db, 2, 1);
    const free = await markedTicket(null);
    const [task] = rows<{ id: number }>(await db.execute(sql`
      insert into privacy_tasks (action, status, subject_person_id, subject_label) values ('delete', ${status}, ${person.id}, 'A***a') returning id`));
    const before = await written();
    const result = await run({ ticketIds: [free.ticket.id, tickets[1].id] });
    expect(result).toMatchObject({ ok: false, code: "conflict", details: { inOpenTask: [{ number: tickets[1].number, taskId: task.id }] } });
    if (!result.ok) expect(result.message).toContain(`the customer of #${tickets[1].number} has an open deletion task`);
    expect(await written()).toEqual(before);
  });

  it("lets a ticket through whose customer's deletion task is finished or cancelled", async () => {
    const { person, tickets } = await createCustomerWithTickets(db, 1, 1);
    await db.execute(sql`insert into privacy_tasks (action, status, subject_person_id, subject_label) values
      ('delete', 'cancelled', ${person.id}, 'A***a'), ('delete', 'failed', ${person.id}, 'A***a'), ('anonymise', 'queued', ${person.id}, 'A***a')`);
    expect(await run({ ticketIds: [tickets[0].id] })).toMatchObject({ ok: true, data: { tickets: 1 } });
  });

  it("refuses a customer on hold without a reason (422 naming holdOverrideReason); with one, deletes and audits the override, the customer's name masked", async () => {
    const held = await createPerson(db, { firstName: "Henrike", lastName: "Haltmann", preventedAt: new Date(), preventionReason: "Lawyer's letter" });
    const ticket = await createTicket(db, { customerId: held.id });
    const before = await written();
    const refused = await run({ ticketIds: [ticket.id] });
    expect(refused).toMatchObject({ ok: false, code: "rule_violation", fieldErrors: { holdOverrideReason: [expect.any(String)] }, details: { onHold: [ticket.number] } });
    expect(await written()).toEqual(before);

    const done = await run({ ticketIds: [ticket.id], holdOverrideReason: "Henrike Haltmann's court order allows it", reference: "Request 2026-17" });
    expect(done).toMatchObject({ ok: true, data: { tickets: 1 } });
    const entries = rows<{ action: string; details: Record<string, unknown> }>(await db.execute(sql`
      select action, details from audit_entries where action like 'tickets.%' order by id desc limit 2`));
    expect(entries.map((e) => e.action).sort()).toEqual(["tickets.deleted", "tickets.hold_overridden"]);
    const override = entries.find((e) => e.action === "tickets.hold_overridden")!;
    expect(override.details).toEqual({ ticketNumbers: [ticket.number], reason: "H*****e H******n's court order allows it" });
    expect(entries.find((e) => e.action === "tickets.deleted")!.details).toMatchObject({ reference: "Request 2026-17" });
  });

  it("refuses an empty list, more than 5,000 ids and ids of the wrong type, naming ticketIds", async () => {
    for (const ticketIds of [[], Array.from({ length: 5001 }, (_, i) => i + 1), ["seven"], [0], "1,2", null]) {
      const result = await run({ ticketIds });
      expect(result, JSON.stringify(ticketIds).slice(0, 30)).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { [Array.isArray(ticketIds) && ticketIds.length === 1 ? "ticketIds.0" : "ticketIds"]: expect.any(Array) } });
    }
  });
});

describe("previewTicketDeletion", () => {
  it("names the count of tickets and messages, what refuses, and what is the last record of an anonymised person", async () => {
    const anonymised = await createCustomerWithTickets(db, 2, 3);
    await db.execute(sql`update people set first_name = 'Anonymized', last_name = '', email = null, anonymised_at = now() where id = ${anonymised.person.id}`);
    const partly = await createCustomerWithTickets(db, 2, 1);
    await db.execute(sql`update people set anonymised_at = now() where id = ${partly.person.id}`);
    const loose = await createTicket(db, { customerId: null, anonymisedAt: new Date() });
    const ids = [...anonymised.tickets.map((t) => t.id), partly.tickets[0].id, loose.id];

    const result = await preview([...ids, 2_000_000_003]);
    expect(result).toEqual({
      ok: true,
      data: {
        tickets: 4, messages: 7, numbers: [...anonymised.tickets, partly.tickets[0], loose].map((t) => t.number).sort((a, b) => a - b), truncated: false,
        missing: [2_000_000_003], onHold: [], inOpenTask: [], anonymisedTickets: 1, canDelete: false,
        // The partly selected person keeps a ticket: no warning for them.
        lastRecords: [{ personId: anonymised.person.id, numbers: anonymised.tickets.map((t) => t.number).sort((a, b) => a - b) }],
      },
    });
    expect(await preview(ids)).toMatchObject({ ok: true, data: { missing: [], canDelete: true } });
  });
});

/** A database whose `transaction` counts the statements its domain call sends. */
function counting(database: Db) {
  const seen = { statements: 0 };
  const wrap = (tx: DbOrTx) => new Proxy(tx, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function" || !["execute", "select", "selectDistinct", "insert", "update", "delete"].includes(String(prop))) return value;
      return (...args: unknown[]) => {
        seen.statements++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const proxied = new Proxy(database, {
    get(target, prop, receiver) {
      if (prop !== "transaction") return Reflect.get(target, prop, receiver);
      return (work: (tx: DbOrTx) => Promise<unknown>, ...rest: unknown[]) =>
        (target.transaction as (w: (tx: DbOrTx) => Promise<unknown>, ...r: unknown[]) => Promise<unknown>)((tx) => work(wrap(tx)), ...rest);
    },
  });
  return { db: proxied as Db, seen };
}

describe("1,000 tickets", () => {
  it("are deleted in one call, by as many statements as one ticket", async () => {
    const customer = await createPerson(db);
    const tag = randomBytes(4).toString("hex");
    const ids = rows<{ id: number }>(await db.execute(sql`
      insert into tickets (number, title, customer_id, state)
      select 70000000 + g + ${parseInt(tag.slice(0, 4), 16)} * 1000, 'Bulk ' || ${tag} || ' ' || g, ${customer.id}, 'closed' from generate_series(1, 1000) g
      returning id`)).map((r) => Number(r.id));
    await db.execute(sql`insert into messages (ticket_id, direction, subject, body)
      select t.id, 'incoming', 'Bulk', 'Body ' || ${tag} from tickets t cross join generate_series(1, 2) where t.id = any(${intArray(ids)})`);
    const single = await createCustomerWithTickets(db, 1, 2);

    const one = counting(db);
    expect(await run({ ticketIds: [single.tickets[0].id] }, one.db)).toMatchObject({ ok: true, data: { tickets: 1, messages: 2 } });
    const many = counting(db);
    const result = await run({ ticketIds: ids }, many.db);
    expect(result).toMatchObject({ ok: true, data: { tickets: 1000, messages: 2000 } });
    expect(many.seen.statements).toBe(one.seen.statements);
    expect(many.seen.statements).toBeLessThanOrEqual(6);
    expect(rows(await db.execute(sql`select 1 from tickets where id = any(${intArray(ids)})`))).toEqual([]);
    const [{ ledgered }] = rows<{ ledgered: number }>(await db.execute(sql`select count(*)::int as ledgered from erasure_ledger where ticket_id = any(${intArray(ids)})`));
    expect(ledgered).toBe(1000);
    const [activity] = rows<{ summary: string }>(await db.execute(sql`select summary from activity_events order by id desc limit 1`));
    expect(readActivity(activity.summary)).toMatchObject({ kind: "ticketsDeleted", count: 1000, messages: 2000, more: 990 });
  });

  it("the activity summary spells out ten numbers and counts the rest", () => {
    expect(ticketsDeletedSummary({ numbers: Array.from({ length: 12 }, (_, i) => i + 1), messages: 1 }))
      .toBe("Deleted 12 tickets with 1 message: #1, #2, #3, #4, #5, #6, #7, #8, #9, #10 and 2 more");
  });
});

describe.runIf(onPostgres)("two deletions of the same tickets at once (PostgreSQL)", () => {
  it("one deletes them, the other waits for its locks, finds them gone and answers 404 having written nothing", async () => {
    const { tickets } = await createCustomerWithTickets(db, 3, 2);
    const ids = tickets.map((t) => t.id);
    const handles = await openConnections(db, 2);
    try {
      const before = await written();
      const results = await Promise.all(handles.map((h) => run({ ticketIds: ids }, h.db)));
      const outcomes = results.map((r) => (r.ok ? "deleted" : r.code)).sort();
      expect(outcomes).toEqual(["deleted", "not_found"]);
      const after = await written();
      // One deletion's writes: 3 tickets and 6 messages gone, 3 ledger rows, one activity event, one audit entry.
      expect(after).toEqual({ ...before, tickets: before.tickets - 3, messages: before.messages - 6, ledger: before.ledger + 3, audit: before.audit + 1, activity: before.activity + 1 });
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  });
});

import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, type DbHandle, rows } from "@/db/client";
import { accounts, apiTokens, familyLinks, organisations, people, privacySettings, sessions } from "@/db/schema";
import { runWorker } from "@/lib/privacy/worker/worker";
import { onPostgres, openConnections, openTestDatabase, useTestDatabase } from "@/test/db";
import {
  countRows, countTaskReports, createAccount, createCustomerWithTickets, createMessage, createPerson, createPrivacyOfficer,
  createRoleAccounts, createTicket, getTask, queueDeletionTask,
} from "@/test/fixtures";

// Attacks on the grouped deletion path (delete-group.ts): each case builds the same data
// twice, runs the first copy one task at a time (deletionGroups: false) and the second in
// groups, and expects the same end: statuses, counts, ticket numbers, progress, and what
// stays in the database.

const handle = await useTestDatabase();
let officer: Awaited<ReturnType<typeof createPrivacyOfficer>>;

beforeAll(async () => {
  await createRoleAccounts(handle.db);
  officer = await createPrivacyOfficer(handle.db);
});

const queue = async (db: Db, personId: number, extra: Record<string, unknown> = {}, accountId = officer.account.id) =>
  (await queueDeletionTask(db, accountId, personId, extra)).id;

async function organisation(name: string, kind = "company") {
  const [row] = await handle.db.insert(organisations).values({ name, kind }).returning();
  return row.id;
}

async function outcomes(tasks: Record<string, number>) {
  const out: Record<string, unknown> = {};
  for (const [role, id] of Object.entries(tasks)) {
    const task = await getTask(handle.db, id);
    out[role] = {
      status: task.status, counts: task.counts, tickets: task.deletedTicketNumbers.length,
      progress: [task.progressDone, task.progressTotal], found: task.verification?.found ?? null, error: task.error?.replace(/[0-9]+/g, "N") ?? null,
      kept: task.kept,
    };
  }
  return out;
}

/** The scenario built and run one task at a time, then built again and run in groups. */
async function both<T extends { tasks: Record<string, number> }>(build: (tag: string) => Promise<T>, options: { batchSize?: number } = {}) {
  const one = await build("alone");
  await runWorker(handle.db, { workerId: "alone", deletionGroups: false, ...options });
  const alone = await outcomes(one.tasks);
  const two = await build("grouped");
  await runWorker(handle.db, { workerId: "grouped", ...options });
  const grouped = await outcomes(two.tasks);
  return { one, two, alone, grouped };
}

describe("grouped deletions against the one-task path", () => {
  it("deleteOrganisation asked while the last member, then a colleague joins and is deleted too: the organisation stays, as one at a time", async () => {
    const { one, two, alone, grouped } = await both(async (tag) => {
      const org = await organisation(`Shared ${tag}`);
      const a = await createCustomerWithTickets(handle.db, 1, 1);
      const b = await createCustomerWithTickets(handle.db, 1, 1);
      await handle.db.update(people).set({ organisationId: org }).where(eq(people.id, a.person.id));
      // A is the last member when the task is created; B joins afterwards and is deleted without the option.
      const taskA = await queue(handle.db, a.person.id, { deleteOrganisation: true });
      await handle.db.update(people).set({ organisationId: org }).where(eq(people.id, b.person.id));
      return { org, tasks: { a: taskA, b: await queue(handle.db, b.person.id) } };
    });
    // One at a time: A's deletion found B still in the organisation and kept it; B's did not ask for it.
    expect(alone.a).toMatchObject({ status: "completed", counts: { organisations: 0, organisationsKept: 1 } });
    expect(await countRows(handle.db, "organisations", sql`id = ${one.org}`)).toBe(1);
    expect(grouped).toEqual(alone);
    expect(await countRows(handle.db, "organisations", sql`id = ${two.org}`)).toBe(1);
  });

  it("deleteOrganisation asked by two members (each the last one when asked): the same task reports it deleted, the same one kept", async () => {
    const { alone, grouped } = await both(async (tag) => {
      const org = await organisation(`Both ${tag}`);
      const a = await createCustomerWithTickets(handle.db, 1, 1);
      const b = await createCustomerWithTickets(handle.db, 1, 1);
      await handle.db.update(people).set({ organisationId: org }).where(eq(people.id, a.person.id));
      const taskA = await queue(handle.db, a.person.id, { deleteOrganisation: true });
      await handle.db.update(people).set({ organisationId: null }).where(eq(people.id, a.person.id));
      await handle.db.update(people).set({ organisationId: org }).where(eq(people.id, b.person.id));
      const taskB = await queue(handle.db, b.person.id, { deleteOrganisation: true });
      await handle.db.update(people).set({ organisationId: org }).where(eq(people.id, a.person.id));
      return { tasks: { a: taskA, b: taskB } };
    });
    expect(alone).toMatchObject({ a: { counts: { organisations: 0, organisationsKept: 1 } }, b: { counts: { organisations: 1 } } });
    expect(grouped).toEqual(alone);
  });

  it("deleteOrganisation on a company with no other member: deleted, counted once", async () => {
    const { one, two, alone, grouped } = await both(async (tag) => {
      const org = await organisation(`Solo ${tag}`);
      const a = await createCustomerWithTickets(handle.db, 0, 0);
      await handle.db.update(people).set({ organisationId: org }).where(eq(people.id, a.person.id));
      return { org, tasks: { a: await queue(handle.db, a.person.id, { deleteOrganisation: true }) } };
    });
    expect(grouped).toEqual(alone);
    expect(alone.a).toMatchObject({ status: "completed", counts: { organisations: 1, tickets: 0 }, progress: [1, 1] });
    expect(await countRows(handle.db, "organisations", sql`id in (${one.org}, ${two.org})`)).toBe(0);
  });

  it("a member who owns another member's ticket (and one of their own as customer): the same end, the other's ticket counted with its customer", async () => {
    const { alone, grouped } = await both(async () => {
      const owner = await createCustomerWithTickets(handle.db, 1, 1);
      const customer = await createCustomerWithTickets(handle.db, 1, 1);
      // The owner is customer AND owner of their own ticket, and owner of the other member's ticket.
      await handle.db.execute(sql`update tickets set owner_id = ${owner.person.id} where id in (${owner.tickets[0].id}, ${customer.tickets[0].id})`);
      return { tasks: { owner: await queue(handle.db, owner.person.id), customer: await queue(handle.db, customer.person.id) } };
    });
    expect(alone.owner).toMatchObject({ status: "completed", counts: { ownedTicketsKept: 1 } });
    // One at a time the owner's task first kept the other member's ticket without owner, and
    // the customer's task then deleted it; in a group it goes with its customer at once, so
    // the owner's task keeps nothing. The ticket is gone either way: a difference of counts.
    const owner = alone.owner as { counts: Record<string, number> };
    expect(grouped).toEqual({ ...alone, owner: { ...owner, counts: { ...owner.counts, ownedTicketsKept: 0 } } });
  });

  it("a message sent by one member that mentions another member's address, in a third person's ticket: blanked, counted for both", async () => {
    const { two, alone, grouped } = await both(async () => {
      const sender = await createCustomerWithTickets(handle.db, 1, 1);
      const named = await createCustomerWithTickets(handle.db, 1, 1);
      const third = await createCustomerWithTickets(handle.db, 1, 0);
      await createMessage(handle.db, {
        ticketId: third.tickets[0].id, direction: "incoming", fromPersonId: sender.person.id, sender: sender.person.email!.toLowerCase(),
        to: ["support@lethe.test"], body: `Please write to ${named.person.email} as well`,
      });
      return { third, tasks: { sender: await queue(handle.db, sender.person.id), named: await queue(handle.db, named.person.id) } };
    });
    expect(alone.named).toMatchObject({ status: "completed", counts: { messagesBlanked: 0 } });
    // In a group the message is blanked once and counted for each subject it concerns, as
    // in an anonymisation batch; one at a time the sender's task blanked it first.
    const named = alone.named as { counts: Record<string, number> };
    expect(grouped).toEqual({ ...alone, named: { ...named, counts: { ...named.counts, messagesBlanked: 1 } } });
    expect(await countRows(handle.db, "messages", sql`ticket_id = ${two.third.tickets[0].id} and body <> ''`)).toBe(0);
  });

  it("0 tickets, exactly batchSize (500) tickets and 501 tickets: same counts, ticket numbers and progress", async () => {
    let base = 9_000_000;
    const { two, alone, grouped } = await both(async () => {
      const make = async (n: number) => {
        const person = await createPerson(handle.db);
        const start = (base += 10_000);
        await handle.db.execute(sql`insert into tickets (number, title, state, customer_id)
          select ${start}::int + g, 'Bulk', 'open', ${person.id}::int from generate_series(1, ${n}::int) g`);
        await handle.db.execute(sql`insert into messages (ticket_id, direction, subject, body, from_person_id)
          select id, 'incoming', 'Bulk', 'Hello', customer_id from tickets where customer_id = ${person.id}`);
        return person;
      };
      const zero = await make(0);
      const full = await make(500);
      const over = await make(501);
      return { people: [zero.id, full.id, over.id], tasks: { zero: await queue(handle.db, zero.id), full: await queue(handle.db, full.id), over: await queue(handle.db, over.id) } };
    }, { batchSize: 500 });
    expect(alone).toMatchObject({
      zero: { status: "completed", progress: [1, 1], counts: { tickets: 0, people: 1 } },
      full: { status: "completed", progress: [501, 501], tickets: 500, counts: { tickets: 500, messages: 500 } },
      over: { status: "completed", progress: [502, 502], tickets: 501, counts: { tickets: 501, messages: 501 } },
    });
    expect(grouped).toEqual(alone);
    const [full] = await handle.db.select().from(people).where(eq(people.id, two.people[1]));
    expect(full).toBeUndefined();
    expect(await countRows(handle.db, "tickets", sql`title = 'Bulk'`)).toBe(0);
  });

  it("holds: without override, lapsed, overridden; obligations paid off or new: the same tasks delete, the same fail", async () => {
    const { two, alone, grouped } = await both(async () => {
      const past = new Date(Date.now() - 86_400_000);
      const held = await createCustomerWithTickets(handle.db, 1, 1);
      const lapsed = await createCustomerWithTickets(handle.db, 1, 1);
      const overridden = await createCustomerWithTickets(handle.db, 1, 1);
      const paid = await createCustomerWithTickets(handle.db, 1, 1);
      const debt = await createCustomerWithTickets(handle.db, 1, 1);
      await handle.db.update(people).set({ preventedAt: new Date(), preventionReason: "Court" }).where(eq(people.id, overridden.person.id));
      const tasks = {
        held: await queue(handle.db, held.person.id),
        lapsed: await queue(handle.db, lapsed.person.id),
        overridden: await queue(handle.db, overridden.person.id, { holdOverrideReason: "Order lifted" }),
        paid: await queue(handle.db, paid.person.id),
        debt: await queue(handle.db, debt.person.id),
      };
      await handle.db.update(people).set({ preventedAt: new Date(), preventionReason: "Court" }).where(eq(people.id, held.person.id));
      await handle.db.update(people).set({ preventedAt: past, preventionExpiresAt: past, preventionReason: "Old" }).where(eq(people.id, lapsed.person.id));
      await handle.db.execute(sql`insert into invoices (person_id, number, amount, amount_paid, issued_on, due_on)
        values (${paid.person.id}, ${`P-${paid.person.id}`}, 100, 100, '2019-01-10', '2019-02-10'),
               (${debt.person.id}, ${`D-${debt.person.id}`}, 100, 40, '2019-01-10', '2019-02-10')`);
      return { held, tasks };
    });
    expect(alone).toMatchObject({
      held: { status: "failed" }, lapsed: { status: "completed" }, overridden: { status: "completed" },
      paid: { status: "completed", counts: { invoices: 1 } }, debt: { status: "failed" },
    });
    expect(grouped).toEqual(alone);
    expect(await countRows(handle.db, "people", sql`id = ${two.held.person.id}`)).toBe(1);
  });

  it("accounts with sessions and API tokens, a household of two, a family link between members, pseudonymise policies", async () => {
    await handle.db.update(privacySettings).set({ fieldPolicies: { email: "pseudonymise", phone: "pseudonymise", address: "pseudonymise" } }).where(eq(privacySettings.id, 1));
    try {
      const { two, alone, grouped } = await both(async (tag) => {
        const household = await organisation(`Familie ${tag}`, "household");
        const staff = await createAccount(handle.db, "Agent");
        await handle.db.insert(sessions).values({ tokenHash: `s-${tag}-${staff.account.id}`, accountId: staff.account.id, expiresAt: new Date(Date.now() + 3_600_000) });
        await handle.db.insert(apiTokens).values({ accountId: staff.account.id, name: "CI", prefix: "lt_x", tokenHash: `t-${tag}-${staff.account.id}` });
        const parent = await createCustomerWithTickets(handle.db, 1, 1);
        const child = await createCustomerWithTickets(handle.db, 1, 1);
        await handle.db.update(people).set({ organisationId: household }).where(sql`id in (${parent.person.id}, ${child.person.id}, ${staff.person.id})`);
        await handle.db.insert(familyLinks).values({ personId: child.person.id, relatedPersonId: parent.person.id, relation: "parent" });
        return {
          household, staff,
          tasks: {
            staff: await queue(handle.db, staff.person.id),
            parent: await queue(handle.db, parent.person.id),
            child: await queue(handle.db, child.person.id),
          },
        };
      });
      // The family link between two deleted people counts for both in a group (documented, accepted).
      const child = alone.child as { counts: Record<string, number> };
      expect(grouped).toEqual({ ...alone, child: { ...child, counts: { ...child.counts, familyLinks: (child.counts.familyLinks ?? 0) + 1 } } });
      expect(alone.staff).toMatchObject({ status: "completed", counts: { accounts: 1 } });
      expect(await countRows(handle.db, "accounts", sql`id = ${two.staff.account.id}`)).toBe(0);
      expect(await countRows(handle.db, "api_tokens", sql`account_id = ${two.staff.account.id}`)).toBe(0);
      expect(await countRows(handle.db, "sessions", sql`account_id = ${two.staff.account.id}`)).toBe(0);
    } finally {
      await handle.db.update(privacySettings).set({ fieldPolicies: {} }).where(eq(privacySettings.id, 1));
    }
  });

  it("the last settings admin and a system person are never deleted by a group; their tasks fail as one at a time", async () => {
    // Every other settings admin loses the permission for the length of this case.
    const others = await handle.db.execute(sql`update accounts set active = false where active and id in (
      select ar.account_id from account_roles ar join roles r on r.id = ar.role_id where 'admin.settings' = any(r.permissions)) returning id`);
    const deactivated = rows<{ id: number }>(others);
    try {
      const build = async () => {
        const admin = await createAccount(handle.db, "Admin");
        const system = await createPerson(handle.db);
        const plain = await createCustomerWithTickets(handle.db, 1, 1);
        const tasks = {
          system: await queue(handle.db, system.id),
          plain: await queue(handle.db, plain.person.id),
          // Made the last admin after the request (the request refuses the last admin).
          admin: 0,
        };
        await handle.db.update(people).set({ system: true }).where(eq(people.id, system.id));
        const extra = await createAccount(handle.db, "Admin");
        tasks.admin = await queue(handle.db, admin.person.id);
        await handle.db.update(accounts).set({ active: false }).where(eq(accounts.id, extra.account.id));
        return { admin, system, tasks };
      };
      const one = await build();
      await runWorker(handle.db, { workerId: "alone", deletionGroups: false });
      const alone = await outcomes(one.tasks);
      // The first copy's admin stays (its task failed): off again, so that the second is the last one too.
      await handle.db.update(accounts).set({ active: false }).where(eq(accounts.id, one.admin.account.id));
      const two = await build();
      await runWorker(handle.db, { workerId: "grouped" });
      const grouped = await outcomes(two.tasks);
      expect(alone).toMatchObject({ system: { status: "failed" }, admin: { status: "failed" }, plain: { status: "completed" } });
      expect(grouped).toEqual(alone);
      expect(await countRows(handle.db, "people", sql`id in (${two.admin.person.id}, ${two.system.id})`)).toBe(2);
    } finally {
      const ids = deactivated.map((r) => Number(r.id));
      if (ids.length) await handle.db.execute(sql`update accounts set active = true where id = any(${`{${ids.join(",")}}`}::int[])`);
    }
  });

  it("request exports and name_mentions of the deleted people: emptied and gone as one at a time", async () => {
    const { two, alone, grouped } = await both(async (tag) => {
      const a = await createCustomerWithTickets(handle.db, 1, 1);
      const b = await createCustomerWithTickets(handle.db, 1, 1);
      const [req] = rows<{ id: number }>(await handle.db.execute(sql`insert into privacy_requests (type, person_id, channel, received_at, due_at)
        values ('access', ${a.person.id}, 'email', now(), current_date + 30) returning id`));
      await handle.db.execute(sql`insert into request_downloads (request_id, token_hash, file_name, content_type, content, byte_size, expires_at)
        values (${req.id}, ${`tok-${tag}-${req.id}`}, 'export.zip', 'application/zip', '\\x504b'::bytea, 2, now() + interval '1 day')`);
      // Someone else's ticket names A: after the run, a mention to review on A's task only.
      const other = await createCustomerWithTickets(handle.db, 1, 0);
      await createMessage(handle.db, { ticketId: other.tickets[0].id, direction: "incoming", body: `Ask ${a.person.firstName} ${a.person.lastName} about it` });
      return { req: Number(req.id), tasks: { a: await queue(handle.db, a.person.id), b: await queue(handle.db, b.person.id) } };
    });
    expect(grouped).toEqual(alone);
    expect(await countRows(handle.db, "request_downloads", sql`request_id = ${two.req} and content is not null`)).toBe(0);
    // The mention of A in someone else's message: found on A's task in both runs, none on B's.
    expect(await countRows(handle.db, "name_mentions", sql`task_id = ${two.tasks.a}`)).toBeGreaterThan(0);
    expect(await countRows(handle.db, "name_mentions", sql`task_id = ${two.tasks.b}`)).toBe(0);
  });

  it("e-mails: a requester with 3 tasks gets 3 e-mails, one with 5 gets one digest; each task reported exactly once", async () => {
    const second = await createPrivacyOfficer(handle.db);
    const few: number[] = [];
    const many: number[] = [];
    for (let i = 0; i < 3; i++) few.push(await queue(handle.db, (await createCustomerWithTickets(handle.db, 1, 1)).person.id));
    for (let i = 0; i < 5; i++) many.push(await queue(handle.db, (await createCustomerWithTickets(handle.db, 1, 1)).person.id, {}, second.account.id));
    const run = await runWorker(handle.db, { workerId: "mail" });
    expect(run.failed).toBe(0);
    expect([...(await countTaskReports(handle.db, [...few, ...many])).values()]).toEqual([...few, ...many].map(() => 1));
    expect(await countRows(handle.db, "outbox_emails", sql`template = 'deletion-digest' and recipient_account_id = ${second.account.id}`)).toBe(1);
    expect(await countRows(handle.db, "outbox_emails", sql`template = 'deletion-finished' and recipient_account_id = ${officer.account.id}
      and idempotency_key = any(${`{${few.map((id) => `privacy-task:${id}:finished`).join(",")}}`}::text[])`)).toBe(3);
  });
});

// Interleavings: only on the PostgreSQL server, where transactions run at once.
describe.runIf(onPostgres)("a group while other transactions write (PostgreSQL)", () => {
  let own: DbHandle;
  let extra: DbHandle[] = [];
  beforeAll(async () => {
    own = await openTestDatabase();
    extra = await openConnections(own.db, 4);
  });
  afterAll(async () => {
    await Promise.all(extra.map((h) => h.close()));
    await own?.close();
  });

  it("a ticket inserted, a hold set and a loan opened for group members while the group runs: nothing slips in, nothing is orphaned", async () => {
    const { db } = own;
    await createRoleAccounts(db);
    const dpo = await createPrivacyOfficer(db);
    const members: Awaited<ReturnType<typeof createCustomerWithTickets>>[] = [];
    for (let i = 0; i < 4; i++) members.push(await createCustomerWithTickets(db, 1, 1));
    const ids = [];
    for (const m of members) ids.push(await queue(db, m.person.id, {}, dpo.account.id));
    const [blocker, worker, writer, writer2] = extra.map((h) => h.db);
    // Hold the first member's ticket: the group locks the people, then waits for it.
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => { locked = r; });
    const holding = blocker.transaction(async (tx) => {
      await tx.execute(sql`select id from tickets where id = ${members[0].tickets[0].id} for update`);
      locked();
      await released;
    });
    await isLocked;
    const run = runWorker(worker, { workerId: "blocked" });
    // Wait until the worker is waiting for the ticket lock (it then holds the people).
    for (let i = 0; i < 100; i++) {
      const waiting = await db.execute(sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`);
      if (Number(rows<{ n: number }>(waiting)[0].n) > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const insert = createTicket(writer, { customerId: members[1].person.id, title: "Slipped in" }).then(() => "inserted", (e) => `failed: ${String(e?.cause?.message ?? e)}`);
    const hold = writer2.execute(sql`update people set prevented_at = now(), prevention_reason = 'Late' where id = ${members[2].person.id} returning id`)
      .then((r) => rows(r).length);
    await new Promise((r) => setTimeout(r, 300));
    release();
    await holding;
    const result = await run;
    expect(result).toMatchObject({ completed: 4, failed: 0 });
    expect(await insert).toMatch(/failed/);
    expect(await hold).toBe(0);
    expect(await countRows(db, "tickets", sql`title = 'Slipped in'`)).toBe(0);
    expect(await countRows(db, "people", sql`id = any(${`{${members.map((m) => m.person.id).join(",")}}`}::int[])`)).toBe(0);
  });

  it("two workers on tasks of one organisation (both asking deleteOrganisation) and an owner/customer pair: every task ends once, no lost task", async () => {
    const { db } = own;
    const dpo = await createPrivacyOfficer(db);
    const [org] = await db.insert(organisations).values({ name: "Race GmbH" }).returning();
    const members = [];
    for (let i = 0; i < 20; i++) members.push(await createCustomerWithTickets(db, 1, 1));
    for (let i = 0; i < members.length; i++) {
      await db.execute(sql`update tickets set owner_id = ${members[(i + 7) % members.length].person.id} where id = ${members[i].tickets[0].id}`);
    }
    // Each asked while the organisation's only member; all of them in it when the workers run.
    const ids = [];
    for (const m of members) {
      await db.update(people).set({ organisationId: org.id }).where(eq(people.id, m.person.id));
      ids.push(await queue(db, m.person.id, { deleteOrganisation: true }, dpo.account.id));
      await db.update(people).set({ organisationId: null }).where(eq(people.id, m.person.id));
    }
    await db.update(people).set({ organisationId: org.id }).where(sql`id = any(${`{${members.map((m) => m.person.id).join(",")}}`}::int[])`);
    const runs = await Promise.all(extra.slice(0, 2).map((h, i) => runWorker(h.db, { workerId: `race-${i}`, deletionClaimSize: 5 })));
    expect(runs.reduce((s, r) => s + r.completed, 0)).toBe(20);
    expect(await countRows(db, "privacy_tasks", sql`id = any(${`{${ids.join(",")}}`}::int[]) and status = 'completed'`)).toBe(20);
    // The organisation went once, and exactly one task says so.
    expect(await countRows(db, "organisations", sql`id = ${org.id}`)).toBe(0);
    expect(await countRows(db, "privacy_tasks", sql`id = any(${`{${ids.join(",")}}`}::int[]) and (counts->>'organisations')::int = 1`)).toBe(1);
    expect([...(await countTaskReports(db, ids)).values()]).toEqual(ids.map(() => 1));
  });
});

import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { familyLinks, organisations, outboxEmails, people } from "@/db/schema";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { claimTasks, createWorkerContext, runWorker } from "@/lib/privacy/worker/worker";
import { onPostgres, openConnections, openTestDatabase, useTestDatabase } from "@/test/db";
import {
  countRows, countTaskReports, createAccount, createCustomerWithTickets, createMessage, createPerson, createPrivacyOfficer, createRoleAccounts, createTicket,
  getTask, openLoan, queueDeletionTask,
} from "@/test/fixtures";
import { runDeletionGroup } from "./delete-group";

// Small deletion tasks are deleted together, many people in one transaction
// (delete-group.ts). The same queue of tasks — plain ones, overrides, an organisation two
// of them leave empty, a hold and a loan that appeared after the request, a large deletion, an
// account, a family link, mentions in someone else's ticket — is run once in groups and
// once task by task: every task ends the same, with the same counts.

const handle = await useTestDatabase();
let officer: Awaited<ReturnType<typeof createPrivacyOfficer>>;

beforeAll(async () => {
  await createRoleAccounts(handle.db);
  officer = await createPrivacyOfficer(handle.db);
});

const queue = async (personId: number, extra: Record<string, unknown> = {}) => (await queueDeletionTask(handle.db, officer.account.id, personId, extra)).id;

async function organisation(name: string) {
  const [row] = await handle.db.insert(organisations).values({ name }).returning();
  return row.id;
}

async function hold(personId: number) {
  await handle.db.update(people).set({ preventedAt: new Date(), preventionReason: "Court order" }).where(eq(people.id, personId));
}

/** One queue of deletion tasks of every kind; returns the task of each role. */
async function scenario(tag: string) {
  const soloOrg = await organisation(`Solo ${tag}`);
  const pairOrg = await organisation(`Pair ${tag}`);
  const a = await createCustomerWithTickets(handle.db, 2, 2);
  await handle.db.update(people).set({ organisationId: soloOrg }).where(eq(people.id, a.person.id));
  const b = await createCustomerWithTickets(handle.db, 1, 1);
  const c = await createCustomerWithTickets(handle.db, 1, 3);
  await handle.db.update(people).set({ organisationId: pairOrg }).where(sql`id in (${b.person.id}, ${c.person.id})`);
  const loaned = await createCustomerWithTickets(handle.db, 1, 1);
  await openLoan(handle.db, loaned.person.id);
  const held = await createCustomerWithTickets(handle.db, 1, 1);
  await hold(held.person.id);
  const heldLater = await createCustomerWithTickets(handle.db, 1, 1);
  const loanLater = await createCustomerWithTickets(handle.db, 2, 1);
  const large = await createCustomerWithTickets(handle.db, 5, 2);
  const withAccount = await createAccount(handle.db, null);
  await createTicket(handle.db, { customerId: withAccount.person.id, title: "From staff" });
  const relative = await createPerson(handle.db);
  await handle.db.insert(familyLinks).values({ personId: relative.id, relatedPersonId: a.person.id, relation: "parent" });
  // Someone else's ticket mentions A's address and copies them in; the relative owns a ticket of theirs.
  const other = await createCustomerWithTickets(handle.db, 1, 0);
  await createMessage(handle.db, {
    ticketId: other.tickets[0].id, direction: "outgoing", sender: "support@lethe.test", to: [other.person.email!.toLowerCase()],
    cc: [a.person.email!.toLowerCase()], body: `Please also write to ${a.person.email}`,
  });
  await handle.db.execute(sql`update tickets set owner_id = ${relative.id} where id = ${other.tickets[0].id}`);

  const tasks = {
    a: await queue(a.person.id, { deleteOrganisation: true }),
    b: await queue(b.person.id),
    c: await queue(c.person.id),
    loaned: await queue(loaned.person.id, { overrideReason: "Instrument written off" }),
    held: await queue(held.person.id, { holdOverrideReason: "Court order lifted in part" }),
    heldLater: await queue(heldLater.person.id),
    loanLater: await queue(loanLater.person.id),
    large: await queue(large.person.id),
    withAccount: await queue(withAccount.person.id),
    relative: await queue(relative.id),
  };
  // After the request: a hold and a loan, which stop their tasks at run time.
  await hold(heldLater.person.id);
  await openLoan(handle.db, loanLater.person.id);
  return { tasks, organisations: { solo: soloOrg, pair: pairOrg }, other };
}

async function outcomes(tasks: Record<string, number>) {
  const out: Record<string, unknown> = {};
  for (const [role, id] of Object.entries(tasks)) {
    const task = await getTask(handle.db, id);
    out[role] = {
      status: task.status, counts: task.counts, tickets: task.deletedTicketNumbers.length,
      progress: [task.progressDone, task.progressTotal], found: task.verification?.found ?? null, error: task.error,
    };
  }
  return out;
}

describe("deletion tasks in groups", () => {
  it("end exactly as the same tasks run one at a time: statuses, counts, ticket numbers, progress, verification", async () => {
    const one = await scenario("one by one");
    const ranAlone = await runWorker(handle.db, { workerId: "alone", batchSize: 3, deletionGroups: false });
    const alone = await outcomes(one.tasks);
    const two = await scenario("grouped");
    const ranGrouped = await runWorker(handle.db, { workerId: "grouped", batchSize: 3 });
    const grouped = await outcomes(two.tasks);

    // One difference, in a count only: the family link between A and the relative, both
    // deleted, counts for each in the group (as in an anonymisation batch); one at a time,
    // A's deletion took it and the relative's found none.
    const relative = alone.relative as { counts: Record<string, number> };
    expect(relative.counts.familyLinks).toBe(0);
    expect(grouped).toEqual({ ...alone, relative: { ...relative, counts: { ...relative.counts, familyLinks: 1 } } });
    expect(ranGrouped).toMatchObject({ claimed: ranAlone.claimed, completed: ranAlone.completed, failed: ranAlone.failed });
    // What the outcomes are, so that both runs agreeing on a wrong answer cannot pass.
    expect(grouped).toMatchObject({
      a: { status: "completed", found: 0, tickets: 2, counts: { tickets: 2, messages: 4, people: 1, organisations: 1, familyLinks: 1 } },
      b: { status: "completed", counts: { people: 1, organisations: 0 } },
      c: { status: "completed", counts: { people: 1, organisations: 0, messages: 3 } },
      loaned: { status: "completed", counts: { loans: 1 } },
      held: { status: "completed" },
      heldLater: { status: "failed", error: expect.stringMatching(/on hold/) },
      loanLater: { status: "failed", error: expect.stringMatching(/New blocking obligations/) },
      large: { status: "completed", tickets: 5, counts: { tickets: 5, messages: 10 } },
      withAccount: { status: "completed", counts: { accounts: 1, tickets: 1 } },
      relative: { status: "completed", counts: { ownedTicketsKept: 1 } },
    });
    expect((grouped.a as { counts: Record<string, number> }).counts.messagesBlanked).toBeGreaterThan(0);
    expect((grouped.a as { counts: Record<string, number> }).counts.addressesRemoved).toBeGreaterThan(0);
    // The officer hears of the eight completed tasks in one e-mail, of each failed one in its own.
    const completed = ["a", "b", "c", "loaned", "held", "large", "withAccount", "relative"] as const;
    const [digest, ...others] = await handle.db.select().from(outboxEmails)
      .where(and(eq(outboxEmails.template, "deletion-digest"), sql`${outboxEmails.text} like ${`%#${two.tasks.a} (%`}`));
    expect(others).toEqual([]);
    expect(digest.subject).toBe("8 deletion tasks finished");
    expect(digest.recipientAccountId).toBe(officer.account.id);
    for (const role of completed) expect(digest.text).toContain(`#${two.tasks[role]} (`);
    expect(digest.text).toMatch(new RegExp(`#${two.tasks.large} \\([^)]*\\): completed, 5 tickets deleted; no trace`));
    for (const run of [one, two]) {
      expect([...(await countTaskReports(handle.db, Object.values(run.tasks))).values()]).toEqual(Object.values(run.tasks).map(() => 1));
      // The organisation A was the last member of goes with them; the one B and C leave stays, empty.
      expect(await countRows(handle.db, "organisations", sql`id = ${run.organisations.solo}`)).toBe(0);
      expect(await countRows(handle.db, "organisations", sql`id = ${run.organisations.pair}`)).toBe(1);
      expect(await countRows(handle.db, "messages", sql`ticket_id = ${run.other.tickets[0].id} and body like '%@%'`)).toBe(0);
      expect(await countRows(handle.db, "tickets", sql`id = ${run.other.tickets[0].id} and owner_id is null`)).toBe(1);
    }
  });

  it("takes the plain tasks of a claim in one transaction and leaves the others, untouched, to the one-task path", async () => {
    const { tasks } = await scenario("partition");
    const ctx = createWorkerContext({ workerId: "partition", batchSize: 3 });
    const claimed = await claimTasks(handle.db, ctx, "delete", 50);
    const settings = await getPrivacySettings(handle.db);
    // A lease far beyond the claim's 30 s, to see who got it.
    const leaseUntil = new Date(Date.now() + 3_600_000);
    const outcome = await runDeletionGroup(handle.db, claimed, { leaseUntil, settings, now: new Date(), maxTickets: 3 });
    const byId = new Map(Object.entries(tasks).map(([role, id]) => [id, role]));
    expect(outcome.finished.map((f) => byId.get(f.task.id)).sort()).toEqual(["a", "b", "c", "held", "loaned", "relative", "withAccount"]);
    expect(outcome.rest.map((t) => byId.get(t.id)).sort()).toEqual(["heldLater", "large", "loanLater"]);
    for (const role of ["heldLater", "large", "loanLater"]) {
      const task = await getTask(handle.db, tasks[role as keyof typeof tasks]);
      expect(task).toMatchObject({ status: "running", progressDone: 0, deletedTicketNumbers: [] });
      // The heartbeat skipped them while the group held their rows: their lease is the group's.
      expect(task.leaseUntil?.getTime()).toBe(leaseUntil.getTime());
    }
    // Their verification is the worker's, after the run: the finished ones still run.
    expect(await getTask(handle.db, tasks.a)).toMatchObject({ status: "running", progressDone: 3, progressTotal: 3 });
    expect(outcome.finished.find((f) => f.task.id === tasks.a)?.identifiers?.length).toBeGreaterThan(0);
  });

  it("leaves to the one-task path a task asking for its organisation when a resumed task of another member is in the claim", async () => {
    const org = await organisation("Resumed member's");
    const a = await createCustomerWithTickets(handle.db, 1, 1);
    await handle.db.update(people).set({ organisationId: org }).where(eq(people.id, a.person.id));
    const first = await queue(a.person.id, { deleteOrganisation: true });
    const b = await createCustomerWithTickets(handle.db, 1, 1);
    await handle.db.update(people).set({ organisationId: org }).where(eq(people.id, b.person.id));
    const second = await queue(b.person.id);
    // B's task had begun (a batch done by an earlier claim): it is not fresh, yet a member.
    await handle.db.execute(sql`update privacy_tasks set progress_done = 1, progress_total = 3 where id = ${second}`);
    const ctx = createWorkerContext({ workerId: "resumed", batchSize: 3 });
    const claimed = (await claimTasks(handle.db, ctx, "delete", 50)).filter((t) => t.id === first || t.id === second);
    const settings = await getPrivacySettings(handle.db);
    const outcome = await runDeletionGroup(handle.db, claimed, { leaseUntil: ctx.leaseUntil(), settings, now: new Date(), maxTickets: 3 });
    expect(outcome.finished).toEqual([]);
    expect(outcome.rest.map((t) => t.id).sort((x, y) => x - y)).toEqual([first, second]);
    await handle.db.execute(sql`update privacy_tasks set status = 'cancelled', lease_until = null where id in (${first}, ${second})`);
  });

  it("a claim taken over meanwhile stops the whole group before anything is written", async () => {
    const { tasks } = await scenario("lease lost");
    const ctx = createWorkerContext({ workerId: "slow", batchSize: 3 });
    const claimed = await claimTasks(handle.db, ctx, "delete", 50);
    await handle.db.execute(sql`update privacy_tasks set attempts = attempts + 1 where id = ${tasks.b}`);
    const settings = await getPrivacySettings(handle.db);
    await expect(runDeletionGroup(handle.db, claimed, { leaseUntil: ctx.leaseUntil(), settings, now: new Date(), maxTickets: 3 }))
      .rejects.toThrow(/Lease lost on task\(s\) \d+/);
    expect(await getTask(handle.db, tasks.a)).toMatchObject({ status: "running", progressDone: 0 });
    expect(await countRows(handle.db, "privacy_tasks", sql`id = ${tasks.c} and progress_done > 0`)).toBe(0);
  });
});

// Two workers on connections of their own, each claiming ten at a time: their groups
// blank messages in each other's customers' tickets (every customer is copied into the
// next one's ticket). Only on the PostgreSQL server, where transactions run at once.
describe.runIf(onPostgres)("two workers deleting in groups at the same time (PostgreSQL)", () => {
  let own: DbHandle;
  let extra: DbHandle[] = [];
  beforeAll(async () => {
    own = await openTestDatabase();
    extra = await openConnections(own.db, 2);
  });
  afterAll(async () => {
    await Promise.all(extra.map((h) => h.close()));
    await own?.close();
  });

  it("every task completes once, verified clean, and nobody is left", async () => {
    const { db } = own;
    await createRoleAccounts(db);
    const dpo = await createPrivacyOfficer(db);
    const customers = [];
    for (let i = 0; i < 40; i++) customers.push(await createCustomerWithTickets(db, 1 + (i % 2), 1));
    for (let i = 0; i < customers.length; i++) {
      const next = customers[(i + 1) % customers.length];
      await createMessage(db, {
        ticketId: next.tickets[0].id, direction: "outgoing", sender: "support@lethe.test", to: [next.person.email!.toLowerCase()],
        cc: [customers[i].person.email!.toLowerCase()], body: "Copied in",
      });
    }
    const ids: number[] = [];
    for (const { person } of customers) {
      ids.push((await queueDeletionTask(db, dpo.account.id, person.id)).id);
    }
    const runs = await Promise.all(extra.map((h, i) => runWorker(h.db, { workerId: `pair-${i}`, deletionClaimSize: 10 })));
    expect(runs.reduce((sum, r) => sum + r.completed, 0)).toBe(40);
    expect(runs.every((r) => r.failed === 0 && r.leaseLost === 0)).toBe(true);
    const done = await countRows(db, "privacy_tasks", sql`id = any(${`{${ids.join(",")}}`}::int[]) and status = 'completed' and (verification->>'found')::int = 0`);
    expect(done).toBe(40);
    expect(await countRows(db, "people", sql`id = any(${`{${customers.map((c) => c.person.id).join(",")}}`}::int[])`)).toBe(0);
    expect(await countRows(db, "messages", sql`body = 'Copied in' and cardinality(cc) > 0`)).toBe(0);
  });
});

import { sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { runOperation } from "@/lib/operation";
import { maskedLabel } from "@/lib/privacy/masking";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { onPostgres, openConnections, useTestDatabase } from "@/test/db";
import { createAccount, createMessage, createPerson, createRoleAccounts, createTicket } from "@/test/fixtures";
import { runDueRules, runRuleSlot, TICKET_BATCH } from "./rule-run";
import { createRetentionRule, dryRunRule, getRetentionRuleById, latestSlot, listRuleRuns } from "./rules";

// Running retention rules: each action, the dry run against the real run, exactly one
// run per schedule slot, batches of tickets that resume after an interruption.

const NOW = new Date("2027-03-01T10:00:00Z"); // Monday 11:00 in Berlin
const TZ = "Europe/Berlin";
const hours = (n: number) => new Date(NOW.getTime() + n * 3600_000);

const { db } = await useTestDatabase();
let accounts: Awaited<ReturnType<typeof createRoleAccounts>>;

beforeAll(async () => {
  accounts = await createRoleAccounts(db);
  await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
});
// Every runDueRules call runs every enabled rule: each test enables only its own.
beforeEach(async () => {
  await db.execute(sql`update retention_rules set enabled = false`);
});

async function organisation() {
  return rows<{ id: number }>(await db.execute(sql`insert into organisations (name) values ('Rule run test') returning id`))[0].id;
}

/** A rule created through the operation by the admin, last changed long before NOW. */
async function rule(input: { object: "person" | "ticket"; action: "anonymise" | "delete"; conditions: Record<string, unknown>; schedule?: unknown; name?: string }) {
  const result = await runOperation(createRetentionRule, {
    db, accountId: accounts.Admin.account.id,
    input: { name: input.name ?? `Rule ${Math.random().toString(36).slice(2, 7)}`, schedule: { kind: "daily", hour: 3 }, enabled: true, ...input },
  });
  if (!result.ok) throw new Error(result.message);
  await db.execute(sql`update retention_rules set updated_at = '2026-01-01T00:00:00Z' where id = ${result.data.id}`);
  return (await getRetentionRuleById(db, { id: result.data.id }))!;
}

async function tasksOf(ruleName: string) {
  return rows<{ subject_person_id: number; action: string; origin: string; progress_total: number; batch_id: string; id: number }>(await db.execute(sql`
    select id, subject_person_id, action::text as action, origin::text as origin, progress_total, batch_id from privacy_tasks
    where reason like ${`%${ruleName}`} order by subject_person_id`));
}

async function mailsFor(ruleId: number) {
  return rows<{ idempotency_key: string; subject: string; text: string }>(await db.execute(sql`
    select idempotency_key, subject, text from outbox_emails where idempotency_key like ${`rule:${ruleId}:%`} order by id`));
}

describe("person rules", () => {
  it("anonymise: queues tasks for the eligible matches only — the same people as the dry run — once per slot", async () => {
    const o = await organisation();
    const eligible = [await createPerson(db, { organisationId: o }), await createPerson(db, { organisationId: o })];
    await createPerson(db, { organisationId: o, preventedAt: new Date("2027-01-01T00:00:00Z"), preventionReason: "Keep" });
    const r = await rule({ object: "person", action: "anonymise", conditions: { organisationId: o }, name: "Anonymise org" });

    const dry = await dryRunRule(db, r.id, { now: NOW });
    expect(dry).toMatchObject({ matched: 3, count: 2, skipped: 1 });
    const result = await runDueRules(db, { now: NOW });
    expect(result.ran).toHaveLength(1);
    const tasks = await tasksOf("Anonymise org");
    expect(tasks.map((t) => t.subject_person_id)).toEqual(dry.items.map((i) => i.id));
    expect(tasks.map((t) => t.subject_person_id)).toEqual(eligible.map((p) => p.id));
    expect(new Set(tasks.map((t) => `${t.action}/${t.origin}`))).toEqual(new Set(["anonymise/rule"]));
    expect(new Set(tasks.map((t) => t.batch_id)).size).toBe(1);

    const [run] = await listRuleRuns(db, r.id);
    expect(run).toMatchObject({ matched: 3, tasksCreated: 2, counts: { matched: 3, selected: 2, skipped: 1, tasksCreated: 2, alreadyQueued: 0 }, error: null });
    expect(run.slot.toISOString()).toBe("2027-03-01T02:00:00.000Z");
    expect(run.finishedAt).not.toBeNull();
    expect((await getRetentionRuleById(db, { id: r.id }))?.lastRunAt?.toISOString()).toBe(NOW.toISOString());

    // The report goes to the rule's creator (an active admin.data_privacy holder).
    const mails = await mailsFor(r.id);
    expect(mails.map((m) => m.idempotency_key)).toEqual([`rule:${r.id}:run:${run.id}:account:${accounts.Admin.account.id}`]);
    expect(mails[0].text).toContain("Tasks queued: 2");

    // Same slot again, later that day: nothing. Next day's slot: runs, nothing new to queue, no e-mail.
    expect((await runDueRules(db, { now: hours(5) })).ran).toEqual([]);
    const next = await runDueRules(db, { now: hours(24) });
    expect(next.ran).toHaveLength(1);
    expect(next.ran[0].counts).toMatchObject({ matched: 3, selected: 0, tasksCreated: 0 });
    expect(await tasksOf("Anonymise org")).toHaveLength(2);
    expect(await mailsFor(r.id)).toHaveLength(1);
    expect((await listRuleRuns(db, r.id)).map((x) => x.slot.toISOString())).toEqual(["2027-03-02T02:00:00.000Z", "2027-03-01T02:00:00.000Z"]);
  });

  it("delete: queues deletion tasks, skipping (and counting) people the deletion rules protect", async () => {
    const o = await organisation();
    const plain = await createPerson(db, { organisationId: o });
    await createTicket(db, { customerId: plain.id });
    await createTicket(db, { customerId: plain.id });
    const withLoan = await createPerson(db, { organisationId: o });
    await db.execute(sql`insert into loans (person_id, item, lent_at) values (${withLoan.id}, 'Harmony book', now())`);
    const staff = await createAccount(db, "Staff");
    await db.execute(sql`update people set organisation_id = ${o} where id = ${staff.person.id}`);
    const r = await rule({ object: "person", action: "delete", conditions: { organisationId: o }, name: "Delete org" });

    const dry = await dryRunRule(db, r.id, { now: NOW });
    const result = await runDueRules(db, { now: NOW });
    const tasks = await tasksOf("Delete org");
    expect(tasks.map((t) => t.subject_person_id)).toEqual(dry.items.map((i) => i.id));
    expect(tasks).toMatchObject([{ subject_person_id: plain.id, action: "delete", origin: "rule", progress_total: 3 }]);
    expect(result.ran[0].counts).toMatchObject({ matched: 3, selected: 1, skipped: 2, tasksCreated: 1 });
    const audit = rows<{ details: Record<string, unknown> }>(await db.execute(sql`
      select details from audit_entries where action = 'privacy_task.created' and target_id = ${tasks[0].id}`));
    expect(audit[0].details).toMatchObject({ action: "delete", origin: "rule", ruleId: r.id, subjectPersonId: plain.id });
    const activity = rows<{ summary: string; permission: string }>(await db.execute(sql`
      select summary, permission from activity_events where object_type = 'privacy_task' and object_id = ${tasks[0].id}`));
    expect(activity).toEqual([{ summary: `Deletion task #${tasks[0].id} created for ${maskedLabel(plain.firstName, plain.lastName)} by retention rule #${r.id}`, permission: "admin.data_privacy" }]);
  });

  /** An anonymising rule run while anonymisation is disabled, its creator reading `locale`. */
  async function runWhileDisabled(name: string, locale: "en" | "de" | null = null) {
    const o = await organisation();
    await createPerson(db, { organisationId: o });
    const r = await rule({ object: "person", action: "anonymise", conditions: { organisationId: o }, name });
    await db.execute(sql`update privacy_settings set anonymisation_enabled = false`);
    await db.execute(sql`update accounts set locale = ${locale} where id = ${accounts.Admin.account.id}`);
    try {
      await runDueRules(db, { now: NOW });
    } finally {
      await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
      await db.execute(sql`update accounts set locale = null where id = ${accounts.Admin.account.id}`);
    }
    return r;
  }

  it("anonymise while anonymisation is disabled: the slot is logged with the reason, nothing queued", async () => {
    const r = await runWhileDisabled("Disabled anonymise");
    expect(await tasksOf("Disabled anonymise")).toEqual([]);
    expect((await listRuleRuns(db, r.id))[0]).toMatchObject({ error: "Anonymisation is disabled in the settings; nothing was done.", tasksCreated: 0 });
    expect((await mailsFor(r.id))[0].subject).toContain("failed");
  });

  it("words the run's error in the report's language", async () => {
    const r = await runWhileDisabled("Disabled, in German", "de");
    expect((await listRuleRuns(db, r.id))[0].error).toBe("Anonymisation is disabled in the settings; nothing was done.");
    expect((await mailsFor(r.id))[0].text).toContain("Die Anonymisierung ist in den Einstellungen ausgeschaltet; es wurde nichts getan.");
  });

  it("a stored rule that is no longer valid is logged as failed, not run", async () => {
    const r = await rule({ object: "person", action: "delete", conditions: { kind: "customer" }, name: "Broken" });
    await db.execute(sql`update retention_rules set conditions = '{}'::jsonb where id = ${r.id}`);
    await runDueRules(db, { now: NOW });
    expect((await listRuleRuns(db, r.id))[0].error).toMatch(/^The rule is not valid: conditions Choose at least one condition/);
    expect(await tasksOf("Broken")).toEqual([]);
  });
});

describe("schedules", () => {
  it("runs a weekly rule at its latest chosen weekday; not a slot from before the rule's last change; not when disabled", async () => {
    const o = await organisation();
    await createPerson(db, { organisationId: o });
    const weekly = await rule({ object: "person", action: "delete", conditions: { organisationId: o }, schedule: { kind: "weekly", days: [5], hour: 6 } });
    const fresh = await rule({ object: "person", action: "delete", conditions: { organisationId: o, kind: "student" } });
    await db.execute(sql`update retention_rules set updated_at = ${hours(-1).toISOString()}::timestamptz where id = ${fresh.id}`);
    const off = await rule({ object: "person", action: "delete", conditions: { organisationId: o, kind: "member" } });
    await db.execute(sql`update retention_rules set enabled = false where id = ${off.id}`);

    const result = await runDueRules(db, { now: NOW });
    expect(result.ran.map((x) => [x.ruleId, x.slot.toISOString()])).toEqual([[weekly.id, "2027-02-26T05:00:00.000Z"]]);
    expect(await listRuleRuns(db, fresh.id)).toEqual([]);
    expect(await listRuleRuns(db, off.id)).toEqual([]);
    // The fresh rule's first slot is the next day at 03:00.
    expect((await runDueRules(db, { now: hours(17) })).ran.map((x) => x.ruleId)).toEqual([fresh.id]);
  });
});

describe("ticket rules", () => {
  async function bulkTickets(organisationId: number, n: number, state: "closed" | "open") {
    await db.execute(sql`
      with t as (
        insert into tickets (number, title, organisation_id, state, created_at, closed_at)
        select 9000000 + ${organisationId}::int * 10000 + g + ${state === "open" ? 5000 : 0}::int, 'Old question', ${organisationId}, ${state}::ticket_state,
          '2020-01-01T00:00:00Z', ${state === "closed" ? sql`'2020-02-01T00:00:00Z'::timestamptz` : sql`null`}
        from generate_series(1, ${n}::int) g returning id)
      insert into messages (ticket_id, direction, subject, body)
      select id, d::message_direction, 'Lessons', 'Hello' from t, unnest(array['incoming', 'outgoing']) d`);
  }
  const count = async (q: ReturnType<typeof sql>) => Number(rows<{ n: number }>(await db.execute(q))[0].n);

  it("delete: in batches; an interrupted run is continued by the next call, and its slot is not run twice", async () => {
    const o = await organisation();
    await bulkTickets(o, 2 * TICKET_BATCH + 500, "closed");
    await bulkTickets(o, 3, "open");
    const r = await rule({ object: "ticket", action: "delete", conditions: { organisationId: o, state: "closed" }, name: "Delete old tickets" });
    const dry = await dryRunRule(db, r.id, { now: NOW });
    expect(dry).toMatchObject({ count: 2500, matched: 2500 });
    expect(dry.items).toHaveLength(50);

    // Out of time after the first batch.
    const slot = latestSlot(r.schedule, NOW, TZ)!;
    const first = await runRuleSlot(db, r, slot, { now: NOW, settings: await settings(), deadline: Date.now() });
    expect(first).toMatchObject({ finished: false, counts: { ticketsDeleted: TICKET_BATCH, messagesDeleted: 2 * TICKET_BATCH } });
    expect(await count(sql`select count(*)::int as n from tickets where organisation_id = ${o}`)).toBe(1503);

    const next = await runDueRules(db, { now: hours(1) });
    expect(next).toMatchObject({ continued: 1, ran: [] });
    const [run] = await listRuleRuns(db, r.id);
    expect(run).toMatchObject({ matched: 2500, counts: { matched: 2500, ticketsDeleted: 2500, messagesDeleted: 5000 } });
    expect(run.finishedAt).not.toBeNull();
    expect(await count(sql`select count(*)::int as n from tickets where organisation_id = ${o}`)).toBe(3);
    expect(await count(sql`select count(*)::int as n from messages m join tickets t on t.id = m.ticket_id where t.organisation_id = ${o}`)).toBe(6);
    expect((await mailsFor(r.id))[0].text).toContain("Tickets deleted: 2500");
    // Each deleted ticket is in the erasure ledger, so a restored backup does not bring it back.
    expect(await count(sql`select count(*)::int as n from erasure_ledger where action = 'delete_ticket' and completed_at >= ${NOW.toISOString()}::timestamptz - interval '1 day'
      and ticket_id not in (select id from tickets)`)).toBeGreaterThanOrEqual(2500);
  });

  it("anonymise: every selected ticket is anonymised, the dry run named them", async () => {
    const o = await organisation();
    const customer = await createPerson(db);
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const t = await createTicket(db, { customerId: customer.id, organisationId: o, state: "closed", ipAddress: "198.51.100.4", closedAt: new Date("2025-01-01T00:00:00Z") });
      await createMessage(db, { ticketId: t.id, direction: "incoming", fromPersonId: customer.id, sender: customer.email!.toLowerCase(), body: `Call ${customer.phone}` });
      ids.push(t.id);
    }
    const r = await rule({ object: "ticket", action: "anonymise", conditions: { organisationId: o, closedOlderThanDays: 365 }, name: "Anonymise tickets" });
    const dry = await dryRunRule(db, r.id, { now: NOW });
    expect(dry.items.map((i) => i.id)).toEqual(ids);
    const result = await runDueRules(db, { now: NOW });
    expect(result.ran[0]).toMatchObject({ finished: true, counts: { matched: 3, ticketsAnonymised: 3, messagesBlanked: 3 } });
    const after = rows<{ customer_id: number | null; ip_address: string | null; anonymised: boolean; bodies: string }>(await db.execute(sql`
      select t.customer_id, t.ip_address, t.anonymised_at is not null as anonymised, coalesce(string_agg(m.body, ''), '') as bodies
      from tickets t left join messages m on m.ticket_id = t.id where t.organisation_id = ${o} group by t.id order by t.id`));
    expect(after).toEqual(ids.map(() => ({ customer_id: null, ip_address: null, anonymised: true, bodies: "" })));
    expect((await dryRunRule(db, r.id, { now: hours(24) })).count).toBe(0);
  });
});

const settings = () => getPrivacySettings(db);

// Concurrent cron calls on their own connections. Only on the PostgreSQL server: PGlite
// runs one transaction at a time, so the calls could not overlap there.
describe.runIf(onPostgres)("concurrent cron calls (PostgreSQL)", () => {
  it("10 concurrent calls run each due slot once and queue each task once", async () => {
    const o = await organisation();
    for (let i = 0; i < 5; i++) await createPerson(db, { organisationId: o });
    const r = await rule({ object: "person", action: "anonymise", conditions: { organisationId: o }, name: "Concurrent" });
    const handles = await openConnections(db, 10);
    try {
      const results = await Promise.all(handles.map((h) => runDueRules(h.db, { now: NOW })));
      expect(results.flatMap((x) => x.ran).map((x) => x.ruleId)).toEqual([r.id]);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
    expect(await listRuleRuns(db, r.id)).toHaveLength(1);
    expect(await tasksOf("Concurrent")).toHaveLength(5);
    expect(await mailsFor(r.id)).toHaveLength(1);
  });
});

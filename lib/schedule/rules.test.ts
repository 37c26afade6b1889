import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import type { Person } from "@/db/schema";
import { runOperation } from "@/lib/operation";
import { useTestDatabase } from "@/test/db";
import { createAccount, createPerson, createRoleAccounts, createTicket } from "@/test/fixtures";
import { zonedTime } from "./clock";
import { retentionRuleSchema } from "./rule-schemas";
import { createRetentionRule, deleteRetentionRule, dryRunRule, latestSlot, nextSlot, type RuleDefinition, updateRetentionRule } from "./rules";

// Retention rules: input validation, every condition, the safety checks, schedule slots.
// Running them: rule-run.test.ts.

const NOW = new Date("2027-03-01T10:00:00Z"); // 11:00 in Berlin, a Monday
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

const { db } = await useTestDatabase();
let accounts: Awaited<ReturnType<typeof createRoleAccounts>>;
const org: Record<string, number> = {};
const p: Record<string, Person> = {};
const t: Record<string, number> = {};
const tn: Record<string, number> = {};

async function organisation(name: string) {
  return rows<{ id: number }>(await db.execute(sql`insert into organisations (name) values (${name}) returning id`))[0].id;
}

beforeAll(async () => {
  accounts = await createRoleAccounts(db);
  await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
  for (const name of ["O1", "O2", "O3"]) org[name] = await organisation(`Rule test ${name}`);
  p.A = await createPerson(db, { kind: "student", status: "active", organisationId: org.O1, imported: true, lastActivityAt: daysAgo(90), createdAt: daysAgo(2000) });
  p.B = await createPerson(db, {
    kind: "customer", status: "inactive", organisationId: org.O2, imported: false, lastActivityAt: daysAgo(1200), createdAt: daysAgo(2000),
    leavingDate: "2025-06-30", markedForDeletionAt: daysAgo(76),
  });
  // No recorded activity: counts from the creation of the record.
  p.C = await createPerson(db, { kind: "member", status: "inactive", imported: true, lastActivityAt: null, createdAt: daysAgo(2600) });
  p.D = await createPerson(db, { kind: "member", status: "active", imported: false, lastActivityAt: null, createdAt: daysAgo(9) });
  // Matching everything in O3, but protected by the safety checks of deletion rules.
  p.prevented = await createPerson(db, { organisationId: org.O3, preventedAt: daysAgo(5), preventionReason: "Legal hold" });
  p.loan = await createPerson(db, { organisationId: org.O3 });
  await db.execute(sql`insert into loans (person_id, kind, item, lent_at) values (${p.loan.id}, 'instrument', 'Cello #C-7', ${daysAgo(100).toISOString()}::timestamptz)`);
  p.debt = await createPerson(db, { organisationId: org.O3 });
  await db.execute(sql`insert into invoices (person_id, number, amount, amount_paid, issued_on, due_on) values (${p.debt.id}, 'R-RULE-1', 100, 40, '2026-01-01', '2026-02-01')`);
  p.system = await createPerson(db, { organisationId: org.O3, system: true, firstName: "Mailer", lastName: "Daemon" });
  const staff = await createAccount(db, null);
  await db.execute(sql`update people set organisation_id = ${org.O3} where id = ${staff.person.id}`);
  p.account = staff.person;
  p.plain = await createPerson(db, { organisationId: org.O3 });

  const oldClosed = await createTicket(db, { customerId: p.A.id, state: "closed", organisationId: org.O1, createdAt: daysAgo(455), closedAt: daysAgo(424) });
  t.oldClosed = oldClosed.id;
  tn.oldClosed = oldClosed.number;
  t.newOpen = (await createTicket(db, { customerId: p.B.id, state: "open", organisationId: org.O2, createdAt: daysAgo(28) })).id;
  t.recentClosed = (await createTicket(db, { customerId: p.B.id, state: "closed", createdAt: daysAgo(273), closedAt: daysAgo(9) })).id;
  t.oldPending = (await createTicket(db, { customerId: null, state: "pending", createdAt: daysAgo(1155) })).id;
});

const ids = (...keys: string[]) => keys.map((k) => p[k].id).sort((a, b) => a - b);

async function selection(rule: RuleDefinition) {
  const dry = await dryRunRule(db, rule, { now: NOW });
  return { ids: dry.items.map((i) => i.id), dry };
}

describe("retention rule input", () => {
  const valid = { name: "Old customers", object: "person", action: "delete", conditions: { kind: "customer" }, schedule: { kind: "daily", hour: 3 }, enabled: true };

  it("accepts a valid rule and coerces form values", () => {
    const parsed = retentionRuleSchema.parse({ ...valid, conditions: { lastActivityOlderThanDays: "365", imported: "true", kind: "" }, schedule: { kind: "weekly", days: ["5", "1", "1"], hour: "22" }, enabled: "on" });
    expect(parsed).toMatchObject({ conditions: { lastActivityOlderThanDays: 365, imported: true }, schedule: { kind: "weekly", days: [1, 5], hour: 22 }, enabled: true });
    expect(parsed.conditions).not.toHaveProperty("kind");
  });

  it("names the field of every error", async () => {
    const errorsOf = (input: unknown) => {
      const r = retentionRuleSchema.safeParse(input);
      return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
    };
    expect(errorsOf({ ...valid, conditions: {} })).toEqual({ conditions: "Choose at least one condition: a rule without conditions would match everything" });
    expect(errorsOf({ ...valid, conditions: { kind: "", status: "" } })).toHaveProperty("conditions");
    expect(errorsOf({ ...valid, conditions: { closedOlderThanDays: 30 } })).toEqual({ "conditions.closedOlderThanDays": "Not a condition of person rules" });
    expect(errorsOf({ ...valid, object: "ticket", conditions: { kind: "customer", state: "closed" } })).toEqual({ "conditions.kind": "Not a condition of ticket rules" });
    expect(errorsOf({ ...valid, conditions: { lastActivityOlderThanDays: 0 } })).toEqual({ "conditions.lastActivityOlderThanDays": "At least 1 day" });
    expect(errorsOf({ ...valid, conditions: { leavingDateOlderThanDays: "abc" } })).toEqual({ "conditions.leavingDateOlderThanDays": "Must be a number of days" });
    expect(errorsOf({ ...valid, conditions: { kind: "alien" } })).toEqual({ "conditions.kind": "Choose student, customer, member or staff" });
    expect(errorsOf({ ...valid, schedule: { kind: "weekly", days: [], hour: 3 } })).toEqual({ "schedule.days": "Choose at least one day of the week" });
    expect(errorsOf({ ...valid, schedule: { kind: "weekly", days: [7], hour: 3 } })).toEqual({ "schedule.days.0": "Days are 0 (Sunday) to 6 (Saturday)" });
    expect(errorsOf({ ...valid, schedule: { kind: "daily", hour: 24 } })).toEqual({ "schedule.hour": "Between 0 and 23" });
    expect(errorsOf({ ...valid, schedule: { kind: "hourly" } })).toHaveProperty("schedule.kind");
    expect(errorsOf({ ...valid, name: " " })).toEqual({ name: "Give the rule a name" });
    expect(errorsOf({ ...valid, action: "archive" })).toEqual({ action: "Choose anonymise or delete" });
  });

  it("operations: admin.data_privacy only, field errors as invalid_input, audited", async () => {
    for (const role of ["SuperUser", "Staff", "Agent"] as const) {
      expect(await runOperation(createRetentionRule, { db, accountId: accounts[role].account.id, input: valid })).toMatchObject({ ok: false, code: "forbidden" });
    }
    const admin = accounts.Admin.account.id;
    const bad = await runOperation(createRetentionRule, { db, accountId: admin, input: { ...valid, conditions: {} } });
    expect(bad).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { conditions: [expect.stringMatching(/at least one condition/)] } });
    const created = await runOperation(createRetentionRule, { db, accountId: admin, input: valid });
    if (!created.ok) throw new Error(created.message);
    expect(created.data).toMatchObject({ name: "Old customers", object: "person", action: "delete", enabled: true, createdByAccountId: admin });
    const updated = await runOperation(updateRetentionRule, { db, accountId: admin, input: { ...valid, id: created.data.id, name: "Renamed", enabled: "false" } });
    expect(updated).toMatchObject({ ok: true, data: { name: "Renamed", enabled: false } });
    expect(await runOperation(updateRetentionRule, { db, accountId: admin, input: { ...valid, id: 999999 } })).toMatchObject({ ok: false, code: "not_found" });
    expect(await runOperation(deleteRetentionRule, { db, accountId: accounts.Agent.account.id, input: { id: created.data.id } })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await runOperation(deleteRetentionRule, { db, accountId: admin, input: { id: created.data.id } })).toMatchObject({ ok: true });
    const audit = rows<{ action: string }>(await db.execute(sql`
      select action from audit_entries where target_type = 'retention_rule' and target_id = ${created.data.id} order by id`));
    expect(audit.map((a) => a.action)).toEqual(["retention_rule.created", "retention_rule.updated", "retention_rule.deleted"]);
  });
});

describe("person conditions (delete action: the conditions and the deletion safety checks)", () => {
  const rule = (conditions: Record<string, unknown>): RuleDefinition => ({ object: "person", action: "delete", conditions });

  it.each([
    ["kind", { kind: "student" }, ["A"]],
    ["status", { status: "inactive" }, ["B", "C"]],
    ["organisation", { organisationId: 0 /* O1 */ }, ["A"]],
    ["imported", { imported: true }, ["A", "C"]],
    ["last activity older than N days (no activity: since creation)", { lastActivityOlderThanDays: 365 }, ["B", "C"]],
    ["leaving date older than N days", { leavingDateOlderThanDays: 180 }, ["B"]],
    ["marked for deletion older than N days", { markedForDeletionOlderThanDays: 30 }, ["B"]],
    ["several conditions are ANDed", { status: "inactive", imported: true }, ["C"]],
  ] as const)("%s", async (_name, conditions, expected) => {
    const c = "organisationId" in conditions ? { organisationId: org.O1 } : conditions;
    const mine = new Set(Object.values(p).map((x) => x.id));
    const { ids: found } = await selection(rule(c));
    expect(found.filter((id) => mine.has(id))).toEqual(ids(...expected));
  });

  it("boundaries: a condition of N days does not match N − 1 days", async () => {
    expect((await selection(rule({ markedForDeletionOlderThanDays: 76 }))).ids).toContain(p.B.id);
    expect((await selection(rule({ markedForDeletionOlderThanDays: 77 }))).ids).not.toContain(p.B.id);
  });

  it("never deletes system people, account holders, people with an open loan or debt, or prevented profiles", async () => {
    const { ids: found, dry } = await selection(rule({ organisationId: org.O3 }));
    expect(found).toEqual(ids("plain"));
    expect(dry).toMatchObject({ matched: 6, count: 1, skipped: 5 });
    expect(dry.items[0]).toEqual({ id: p.plain.id, label: `${p.plain.firstName} ${p.plain.lastName}`, detail: "customer" });
  });

  it("anonymise action: only people eligible for anonymisation are selected", async () => {
    const { ids: found, dry } = await selection({ object: "person", action: "anonymise", conditions: { organisationId: org.O3 } });
    // The account holder has no role: eligible. The prevented, loan, debt and system people are not.
    expect(found).toEqual(ids("account", "plain"));
    expect(dry.skipped).toBe(4);
  });
});

describe("ticket conditions", () => {
  const rule = (conditions: Record<string, unknown>, action: "delete" | "anonymise" = "delete"): RuleDefinition => ({ object: "ticket", action, conditions });
  const tickets = (...keys: string[]) => keys.map((k) => t[k]).sort((a, b) => a - b);
  const mine = () => new Set(Object.values(t));

  it.each([
    ["state", { state: "closed" }, ["oldClosed", "recentClosed"]],
    ["closed older than N days", { closedOlderThanDays: 30 }, ["oldClosed"]],
    ["created older than N days", { createdOlderThanDays: 365 }, ["oldClosed", "oldPending"]],
    ["organisation", { organisationId: 0 }, ["oldClosed"]],
    ["ANDed", { state: "closed", createdOlderThanDays: 200 }, ["oldClosed", "recentClosed"]],
  ] as const)("%s", async (_name, conditions, expected) => {
    const c = "organisationId" in conditions ? { organisationId: org.O1 } : conditions;
    const { ids: found, dry } = await selection(rule(c));
    expect(found.filter((id) => mine().has(id))).toEqual(tickets(...expected));
    const oldClosed = dry.items.find((i) => i.id === t.oldClosed);
    if (oldClosed) expect(oldClosed).toEqual({ id: t.oldClosed, label: `#${tn.oldClosed}`, detail: "Question about lessons" });
  });

  it("anonymise action skips tickets already anonymised", async () => {
    await db.execute(sql`update tickets set anonymised_at = now() where id = ${t.recentClosed}`);
    const { ids: found, dry } = await selection(rule({ state: "closed" }, "anonymise"));
    expect(found.filter((id) => mine().has(id))).toEqual(tickets("oldClosed"));
    expect(dry.skipped).toBe(1);
    await db.execute(sql`update tickets set anonymised_at = null where id = ${t.recentClosed}`);
  });
});

describe("schedule slots (Europe/Berlin)", () => {
  const tz = "Europe/Berlin";
  it("daily: today's hour once it has passed, else yesterday's", () => {
    expect(latestSlot({ kind: "daily", hour: 3 }, NOW, tz)?.toISOString()).toBe("2027-03-01T02:00:00.000Z");
    expect(latestSlot({ kind: "daily", hour: 12 }, NOW, tz)?.toISOString()).toBe("2027-02-28T11:00:00.000Z");
    expect(nextSlot({ kind: "daily", hour: 12 }, NOW, tz)?.toISOString()).toBe("2027-03-01T11:00:00.000Z");
  });

  it("weekly: the latest chosen weekday at the hour", () => {
    // 1 March 2027 is a Monday (1); Friday is 5.
    expect(latestSlot({ kind: "weekly", days: [1], hour: 3 }, NOW, tz)?.toISOString()).toBe("2027-03-01T02:00:00.000Z");
    expect(latestSlot({ kind: "weekly", days: [1], hour: 23 }, NOW, tz)?.toISOString()).toBe("2027-02-22T22:00:00.000Z");
    expect(latestSlot({ kind: "weekly", days: [5, 0], hour: 6 }, NOW, tz)?.toISOString()).toBe("2027-02-28T05:00:00.000Z");
    expect(nextSlot({ kind: "weekly", days: [5], hour: 6 }, NOW, tz)?.toISOString()).toBe("2027-03-05T05:00:00.000Z");
  });

  it("across daylight-saving changes the slot keeps its local hour", () => {
    // Summer time starts on 28 March 2027: 02:00 does not exist, the slot is at 03:00 CEST.
    expect(latestSlot({ kind: "daily", hour: 2 }, zonedTime("2027-03-28", 12, tz), tz)?.toISOString()).toBe("2027-03-28T01:00:00.000Z");
    expect(latestSlot({ kind: "daily", hour: 3 }, zonedTime("2027-03-29", 12, tz), tz)?.toISOString()).toBe("2027-03-29T01:00:00.000Z");
    expect(latestSlot({ kind: "daily", hour: 3 }, zonedTime("2027-11-01", 12, tz), tz)?.toISOString()).toBe("2027-11-01T02:00:00.000Z");
  });
});

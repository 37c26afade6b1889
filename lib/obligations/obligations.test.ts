import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rows } from "@/db/client";
import { runOperation } from "@/lib/operation";
import { getDeletionPreview } from "@/lib/privacy/deletion/preview";
import { createDeletionTask } from "@/lib/privacy/deletion/create-deletion-task";
import { runWorker } from "@/lib/privacy/worker/worker";
import { buildPersonExport } from "@/lib/people/export";
import { useTestDatabase } from "@/test/db";
import { countRows, createPerson, createPrivacyOfficer, createRoleAccounts, getTask } from "@/test/fixtures";
import { removeEndedKeptRecords } from "./expire";
import { summariseKeptRecords } from "./keep";
import {
  createRetentionObligation, deleteRetentionObligation, seedRetentionObligations, updateRetentionObligation,
} from "./obligations";

// Legal retention obligations (SPEC §13): editing them, keeping invoices after a deletion
// or an anonymisation, and removing them the day after the obligation ends.

const { db } = await useTestDatabase();
let admin: number;
let officer: number;

beforeAll(async () => {
  admin = (await createRoleAccounts(db)).Admin.account.id;
  await db.execute(sql`update privacy_settings set anonymisation_enabled = true`);
  officer = (await createPrivacyOfficer(db)).account.id;
});

const auditCount = async (action: string) => countRows(db, "audit_entries", sql`action = ${action}`);

let invoiceSeq = 0;
/** Paid invoices of a person (no outstanding debt, so nothing blocks the deletion). */
async function addInvoices(personId: number, issuedOn: string[]) {
  for (const day of issuedOn) {
    await db.execute(sql`insert into invoices (person_id, number, amount, amount_paid, issued_on, due_on)
      values (${personId}, ${`RE-T-${process.pid}-${++invoiceSeq}`}, 120, 120, ${day}::date, ${day}::date + 30)`);
  }
}

const invoiceObligation = { recordType: "invoices", periodYears: 10, periodMonths: 0, countedFrom: "issued_on", fromEndOfYear: true, law: "§147 AO" };

describe("editing retention obligations", () => {
  it.each([
    ["a period of 0", { periodYears: 0, periodMonths: 0 }, "periodYears", "the period must be longer than 0"],
    ["a date field invoices lack", { countedFrom: "lent_at" }, "countedFrom", "must be a date of the record type: issued_on, due_on"],
    ["an empty law", { law: "  " }, "law", "is required"],
    ["a record type that cannot be kept", { recordType: "people" }, "recordType", "must be one of the record types that can be kept: invoices"],
  ])("refuses %s, naming the field, and writes nothing", async (_case, change, field, message) => {
    await db.execute(sql`delete from retention_obligations`);
    const before = await auditCount("retention_obligation.created");
    const result = await runOperation(createRetentionObligation, { db, accountId: admin, input: { ...invoiceObligation, ...change } });
    expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { [field]: [message] } });
    expect(await countRows(db, "retention_obligations")).toBe(0);
    expect(await auditCount("retention_obligation.created")).toBe(before);
  });

  it("creates, updates and deletes an obligation, each audited without personal data; one per record type", async () => {
    await db.execute(sql`delete from retention_obligations`);
    const created = await runOperation(createRetentionObligation, { db, accountId: admin, input: invoiceObligation });
    expect(created).toMatchObject({ ok: true, data: { recordType: "invoices", periodYears: 10, countedFrom: "issued_on", law: "§147 AO" } });
    if (!created.ok) return;
    const twice = await runOperation(createRetentionObligation, { db, accountId: admin, input: invoiceObligation });
    expect(twice).toMatchObject({ ok: false, code: "conflict", fieldErrors: { recordType: ["already has an obligation"] } });

    const updated = await runOperation(updateRetentionObligation, {
      db, accountId: admin, input: { ...invoiceObligation, obligationId: created.data.id, periodYears: 6, law: "§257 HGB" },
    });
    expect(updated).toMatchObject({ ok: true, data: { periodYears: 6, law: "§257 HGB" } });
    const badUpdate = await runOperation(updateRetentionObligation, {
      db, accountId: admin, input: { ...invoiceObligation, obligationId: created.data.id, periodYears: 0 },
    });
    expect(badUpdate).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { periodYears: ["the period must be longer than 0"] } });
    const [entry] = rows<{ details: unknown }>(await db.execute(sql`
      select details from audit_entries where action = 'retention_obligation.updated' and target_id = ${created.data.id}`));
    expect(entry.details).toMatchObject({ before: { periodYears: 10, law: "§147 AO" }, after: { periodYears: 6, law: "§257 HGB" } });

    expect(await runOperation(deleteRetentionObligation, { db, accountId: admin, input: { obligationId: created.data.id } }))
      .toMatchObject({ ok: true });
    expect(await countRows(db, "retention_obligations")).toBe(0);
    expect(await auditCount("retention_obligation.deleted")).toBe(1);
  });
});

describe("records kept under an obligation", () => {
  const NOW = new Date("2026-11-29T10:00:00Z");
  const ISSUED = ["2024-03-05", "2024-04-05", "2024-05-05", "2024-06-05", "2024-07-05", "2024-08-05", "2024-09-05",
    "2024-10-05", "2025-01-10", "2026-02-01", "2026-06-01"];

  beforeAll(async () => {
    await db.execute(sql`delete from retention_obligations`);
    await seedRetentionObligations(db);
  });

  it("a deletion keeps 11 invoices, detached under a pseudonym, and the cron step removes them the day after the obligation ends", async () => {
    const person = await createPerson(db, { kind: "member" });
    await addInvoices(person.id, ISSUED);
    await addInvoices(person.id, ["2014-02-01"]); // its obligation ended on 2024-12-31: deleted as before

    const preview = await getDeletionPreview(db, { personId: person.id, now: NOW });
    expect(preview?.kept).toEqual([{ recordType: "invoices", count: 11, law: "§147 AO", keptUntil: "2036-12-31", firstUntil: "2034-12-31" }]);
    expect(preview?.records.invoices).toBe(1);

    const queued = await runOperation(createDeletionTask, { db, accountId: officer, input: { personId: person.id, origin: "api" } });
    if (!queued.ok) throw new Error(queued.message);
    expect(await runWorker(db, { workerId: "obligations-test", now: NOW })).toMatchObject({ completed: 1, failed: 0 });
    const task = await getTask(db, queued.data.id);
    expect(task.status).toBe("completed");
    expect(task.kept).toEqual([{ recordType: "invoices", count: 11, law: "§147 AO", keptUntil: "2036-12-31", firstUntil: "2034-12-31" }]);
    expect(task.keptRef).toMatch(/^K-[0-9A-F]{16}$/);
    expect(task.counts.invoices).toBe(1);
    // Verification: no residue, the kept invoices counted apart.
    expect(task.verification).toMatchObject({ found: 0, kept: 11 });

    const kept = rows<{ person_id: number | null; kept_until: string; kept_law: string }>(await db.execute(sql`
      select person_id, kept_until::text, kept_law from invoices where kept_ref = ${task.keptRef} order by kept_until`));
    expect(kept).toHaveLength(11);
    expect(kept.every((r) => r.person_id === null && r.kept_law === "§147 AO")).toBe(true);
    expect(kept[0].kept_until).toBe("2034-12-31");
    // Nothing of the person is in a kept invoice: every text column, searched for their identifiers.
    const texts = rows<{ t: string }>(await db.execute(sql`select i::text as t from invoices i where kept_ref = ${task.keptRef}`));
    for (const value of [person.email!, person.externalId!, person.lastName, person.phone!]) {
      expect(texts.filter((r) => r.t.toLowerCase().includes(value.toLowerCase()))).toEqual([]);
    }
    expect(await summariseKeptRecords(db)).toContainEqual(expect.objectContaining({ recordType: "invoices", law: "§147 AO", count: 11 }));

    // The cron step: nothing on 2034-12-31, the last day of the 2024 invoices; they go on 2035-01-01, once
    // (a second call that day removes and audits nothing); the rest the day after each one's kept_until.
    const removals = () => auditCount("kept_records.removed");
    const before = await removals();
    expect(await removeEndedKeptRecords(db, { now: new Date("2034-12-31T12:00:00Z") })).toEqual({ removed: { invoices: 0 } });
    expect(await countRows(db, "invoices", sql`kept_ref = ${task.keptRef}`)).toBe(11);
    expect(await removals()).toBe(before);
    expect(await removeEndedKeptRecords(db, { now: new Date("2035-01-01T12:00:00Z") })).toEqual({ removed: { invoices: 8 } });
    expect(await removals()).toBe(before + 1);
    expect(await removeEndedKeptRecords(db, { now: new Date("2035-01-01T13:00:00Z") })).toEqual({ removed: { invoices: 0 } });
    expect(await removals()).toBe(before + 1);
    // 2036-12-31: the 2025 invoice (kept until 2035-12-31) goes, the two of 2026 are kept through that day.
    expect(await removeEndedKeptRecords(db, { now: new Date("2036-12-31T12:00:00Z") })).toEqual({ removed: { invoices: 1 } });
    expect(await countRows(db, "invoices", sql`kept_ref = ${task.keptRef}`)).toBe(2);
    expect(await removeEndedKeptRecords(db, { now: new Date("2037-01-01T12:00:00Z") })).toEqual({ removed: { invoices: 2 } });
    expect(await countRows(db, "invoices", sql`kept_ref = ${task.keptRef}`)).toBe(0);
    const [audit] = rows<{ details: unknown }>(await db.execute(sql`
      select details from audit_entries where action = 'kept_records.removed' order by id desc limit 1`));
    expect(audit.details).toEqual({ counts: { invoices: 2 }, endedBefore: "2037-01-01" });
    // The receipt stays as written.
    expect((await getTask(db, queued.data.id)).kept).toEqual(task.kept);
  });

  it("an anonymisation keeps the invoices under the obligation too: gone from the person's export, listed on the receipt", async () => {
    const longAgo = new Date(NOW.getTime() - 3 * 365 * 86_400_000);
    const person = await createPerson(db, { status: "inactive", leavingDate: longAgo.toISOString().slice(0, 10), lastActivityAt: longAgo });
    await addInvoices(person.id, ["2023-09-01", "2023-10-01"]);
    await addInvoices(person.id, ["2012-09-01"]); // ended: stays with the anonymised person, as before
    const [{ id }] = rows<{ id: number }>(await db.execute(sql`
      insert into privacy_tasks (action, origin, subject_person_id, subject_label) values ('anonymise', 'manual', ${person.id}, 'A***a') returning id`));
    expect(await runWorker(db, { workerId: "obligations-test", now: NOW })).toMatchObject({ completed: 1, failed: 0 });
    const task = await getTask(db, id);
    expect(task.counts).toMatchObject({ person: 1 });
    expect(task.kept).toEqual([{ recordType: "invoices", count: 2, law: "§147 AO", keptUntil: "2033-12-31", firstUntil: "2033-12-31" }]);
    expect(task.verification).toMatchObject({ found: 0, kept: 2 });
    expect(await countRows(db, "invoices", sql`person_id = ${person.id}`)).toBe(1);
    const exported = await buildPersonExport(db, { id: person.id });
    expect(JSON.stringify(exported)).not.toContain("2023-09-01");
  });

  it("keeps nothing when no obligation is set: the invoices go as before", async () => {
    await db.execute(sql`delete from retention_obligations`);
    const person = await createPerson(db);
    await addInvoices(person.id, ["2025-05-05"]);
    const preview = await getDeletionPreview(db, { personId: person.id, now: NOW });
    expect(preview?.kept).toEqual([]);
    const queued = await runOperation(createDeletionTask, { db, accountId: officer, input: { personId: person.id, origin: "api" } });
    if (!queued.ok) throw new Error(queued.message);
    await runWorker(db, { workerId: "obligations-test", now: NOW });
    const task = await getTask(db, queued.data.id);
    expect(task).toMatchObject({ status: "completed", kept: [], keptRef: null, counts: expect.objectContaining({ invoices: 1 }) });
    expect(task.verification).not.toHaveProperty("kept");
    await seedRetentionObligations(db);
  });
});

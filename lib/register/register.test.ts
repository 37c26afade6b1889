import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { rows } from "@/db/client";
import { registerEntries } from "@/db/schema";
import { writeRegisterEntries } from "@/db/seed/register";
import { catalogues } from "@/lib/i18n/catalogues";
import { runOperation } from "@/lib/operation";
import { useTestDatabase } from "@/test/db";
import { createAccount } from "@/test/fixtures";
import { selectRegisterEntries, updateRegisterEntry } from "./register";
import { REGISTER_RECORD_TYPES } from "./schema";

const handle = await useTestDatabase();
const { account: admin } = await createAccount(handle.db, "Admin");
const save = (input: unknown) => runOperation(updateRegisterEntry, { db: handle.db, accountId: admin.id, input });
const entryOf = async (recordType: (typeof REGISTER_RECORD_TYPES)[number]) =>
  (await handle.db.select().from(registerEntries).where(eq(registerEntries.recordType, recordType)))[0];
const audits = async () => rows<{ action: string; details: Record<string, unknown> }>(
  await handle.db.execute(sql`select action, details from audit_entries where action = 'register.updated' order by id`));

const valid = {
  recordType: "loans", purposes: "Lending instruments", categories: "Item, dates", legalBasis: "Art. 6(1)(b) GDPR",
  recipients: "Office staff", source: "Own records", retention: "Until returned",
};

it("installs an entry for every record type, unedited, so a fresh install has a register to fill in", async () => {
  const entries = await selectRegisterEntries(handle.db);
  expect(entries.map((e) => e.recordType)).toEqual([...REGISTER_RECORD_TYPES]);
  for (const e of entries) {
    expect(e.updatedByAccountId).toBeNull();
    for (const text of [e.purposes, e.categories, e.legalBasis, e.recipients, e.source, e.retention]) expect(text.length).toBeGreaterThan(5);
  }
  expect((await entryOf("invoices")).legalBasis).toContain("Art. 6(1)(c)");
});

it("saves an entry and audits which fields changed, with a short diff", async () => {
  const before = await entryOf("loans");
  const result = await save({ ...valid, source: before.source });
  expect(result).toMatchObject({ ok: true, data: { recordType: "loans", purposes: "Lending instruments", updatedByAccountId: admin.id } });
  const entry = await entryOf("loans");
  expect(entry).toMatchObject({ ...valid, source: before.source });
  const [audit] = (await audits()).slice(-1);
  expect(audit.details).toEqual({
    recordType: "loans",
    changed: ["purposes", "categories", "legalBasis", "recipients", "retention"],
    diff: expect.objectContaining({ purposes: { before: before.purposes.length > 80 ? expect.stringMatching(/…$/) : before.purposes, after: "Lending instruments" } }),
  });
  // Saving the same text again changes nothing and is not audited.
  const count = (await audits()).length;
  expect(await save({ ...valid, source: before.source })).toMatchObject({ ok: true });
  expect((await audits()).length).toBe(count);
});

it.each([
  ["a missing field", { ...valid, purposes: undefined }, "purposes", "is required"],
  ["an empty field", { ...valid, retention: "   " }, "retention", "is required"],
  ["a text too long", { ...valid, source: "x".repeat(1001) }, "source", "must be at most 1000 characters"],
  ["a NUL byte", { ...valid, recipients: "Office\u0000staff" }, "recipients", "must be text without NUL bytes or broken characters"],
  ["an unknown record type", { ...valid, recordType: "passwords" }, "recordType", "must be one of the record types of the register"],
])("refuses %s, naming the field, and writes nothing", async (_name, input, field, message) => {
  const before = await selectRegisterEntries(handle.db);
  const count = (await audits()).length;
  const result = await save(input);
  expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { [field]: [message] } });
  expect(await selectRegisterEntries(handle.db)).toEqual(before);
  expect((await audits()).length).toBe(count);
});

it("the demo seed writes the register in the organisation's language and keeps what an administrator wrote", async () => {
  await writeRegisterEntries(handle.db, "de");
  const german = catalogues.de.register.seed;
  expect((await entryOf("invoices")).legalBasis).toBe(german.invoices.legalBasis);
  expect((await entryOf("tickets")).purposes).toBe(german.tickets.purposes);
  // Edited above by the administrator: left as written.
  expect((await entryOf("loans")).purposes).toBe("Lending instruments");
  // After a --force reseed has emptied the table, the seed writes every entry again.
  await handle.db.delete(registerEntries);
  await writeRegisterEntries(handle.db, "en");
  expect((await selectRegisterEntries(handle.db)).map((e) => e.purposes)).toEqual(REGISTER_RECORD_TYPES.map((t) => catalogues.en.register.seed[t].purposes));
});

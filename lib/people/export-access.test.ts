import { eq, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { strFromU8, unzipSync } from "fflate";
import { expect, it } from "vitest";
import { rows } from "@/db/client";
import { courses, enrolments, familyLinks, fieldHistory, invoices, loans, privacySettings, teachingPeriods } from "@/db/schema";
import { catalogues } from "@/lib/i18n/catalogues";
import { getOrganisationLanguage } from "@/lib/i18n/organisation";
import { localDate } from "@/lib/schedule/clock";
import { runOperation } from "@/lib/operation";
import { useTestDatabase } from "@/test/db";
import { createAccount, createMessage, createPerson, createTicket } from "@/test/fixtures";
import { buildPersonExport, exportPerson, exportReader, type PersonExport } from "./export";
import { listMinorsInCare } from "./export-family";
import { familyExportZip, personExportHtml, personExportXlsx, personExportZip } from "./export-files";

const handle = await useTestDatabase();
const db = handle.db;
const { account: dpo } = await createAccount(db, "Admin");
const GERMAN = { locale: "de", timeZone: "Europe/Berlin" } as const;
const ENGLISH = { locale: "en", timeZone: "Europe/Berlin" } as const;
const exportAs = (input: Record<string, unknown>) => runOperation(exportPerson, { db, accountId: dpo.id, input });
const auditsOf = async (action: string) =>
  rows<{ target_id: number; details: Record<string, unknown> }>(await db.execute(sql`select target_id, details from audit_entries where action = ${action} order by id`));

/** A person with something of every kind: tickets and messages, school records, family, a correction. */
async function richPerson() {
  const person = await createPerson(db, { firstName: "Greta", lastName: "Lindner", email: `greta.${Math.random().toString(36).slice(2)}@example.org`, dateOfBirth: "1980-05-06" });
  const ticket = await createTicket(db, { customerId: person.id, title: "Lesson times" });
  const message = await createMessage(db, { ticketId: ticket.id, direction: "incoming", fromPersonId: person.id, sender: person.email, body: "When does cello start?" });
  const [period] = await db.insert(teachingPeriods).values({ name: `Autumn ${Math.random()}`, startsOn: "2026-09-01", endsOn: "2027-01-31" }).returning();
  const [course] = await db.insert(courses).values({ name: "Cello basics", code: `CB-${Math.random()}` }).returning();
  await db.insert(enrolments).values({ personId: person.id, courseId: course.id, teachingPeriodId: period.id });
  await db.insert(loans).values({ personId: person.id, kind: "instrument", item: "Cello #C-101", lentAt: new Date("2026-09-02T08:00:00Z") });
  const [invoice] = await db.insert(invoices).values({ personId: person.id, number: `R-${Math.random()}`, amount: "120.50", amountPaid: "0", issuedOn: "2026-09-05", dueOn: "2026-09-30" }).returning();
  const relative = await createPerson(db, { firstName: "Paul", lastName: "Lindner" });
  await db.insert(familyLinks).values([
    { personId: relative.id, relatedPersonId: person.id, relation: "parent" },
    { personId: person.id, relatedPersonId: relative.id, relation: "child" },
  ]);
  await db.insert(fieldHistory).values({ personId: person.id, field: "phone", oldValue: "030 1", newValue: "030 2" });
  return { person, ticket, message, invoice };
}

it("holds the register's entries for exactly the record types it contains, and the person's rights", async () => {
  const alone = await createPerson(db);
  const bare = (await buildPersonExport(db, { id: alone.id }))!;
  expect(bare.information.register.map((e) => e.recordType)).toEqual(["people"]);
  expect(bare.information.rights.map((r) => r.right)).toEqual(["rectification", "erasure", "restriction", "objection", "portability", "complaint"]);

  const { person } = await richPerson();
  const data = (await buildPersonExport(db, { id: person.id }))!;
  expect(data.information.register.map((e) => e.recordType)).toEqual(["people", "tickets", "enrolments", "loans", "invoices", "family_links"]);
  const [invoicesEntry] = rows<{ purposes: string; legal_basis: string }>(await db.execute(sql`select purposes, legal_basis from register_entries where record_type = 'invoices'`));
  expect(data.information.register.find((e) => e.recordType === "invoices")).toMatchObject({ purposes: invoicesEntry.purposes, legalBasis: invoicesEntry.legal_basis });

  const html = personExportHtml(data, ENGLISH);
  expect(html).toContain("<h2>Purposes, legal basis and retention</h2>");
  expect(html).toContain(`<td>Invoices</td><td>${invoicesEntry.purposes}</td>`);
  expect(html).not.toContain("<td>Waiting lists</td>");
  expect(html).toContain("to complain to a data protection supervisory authority (Art. 77 GDPR).");
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await personExportXlsx(data, ENGLISH)) as unknown as ArrayBuffer);
  const sheet = book.getWorksheet("Purposes, legal basis and reten")!;
  expect(sheet.getColumn(1).values.slice(2)).toEqual(["People", "Tickets and messages", "Enrolments", "Loans and hires", "Invoices", "Family links"]);
});

it("writes a German export without English labels, raw keys or a second date format", async () => {
  const { person } = await richPerson();
  const data = (await buildPersonExport(db, { id: person.id }))!;
  const html = personExportHtml(data, GERMAN);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await personExportXlsx(data, GERMAN)) as unknown as ArrayBuffer);
  const cells = book.worksheets.flatMap((ws) => [ws.name, ...ws.getSheetValues().flatMap((row) => (Array.isArray(row) ? row.map((c) => String(c ?? "")) : []))]);
  const labels = [...html.matchAll(/<(?:th|h2)>([^<]*)<\/(?:th|h2)>/g)].map((m) => m[1]);
  const fieldNames = [...html.matchAll(/<tr><td>([^<]*)<\/td><td>/g)].map((m) => m[1]);

  const en = catalogues.en.people.export;
  const de = catalogues.de.people.export;
  const english = [...Object.values(en.columns), ...Object.values(en.sections)].filter((w) => !Object.values(de.columns).includes(w) && !Object.values(de.sections).includes(w));
  for (const word of english) {
    expect(labels, word).not.toContain(word);
    expect(cells, word).not.toContain(word);
  }
  for (const raw of ["customerId", "createdAt", "ticketId", "otherPersonId", "firstName", "dateOfBirth", "lastActivityAt", "amountPaid", "thisPersonIs"]) {
    expect(html).not.toContain(`>${raw}<`);
    expect(cells).not.toContain(raw);
  }
  expect(fieldNames).toContain("Geburtsdatum");
  // Enumerations in words, every date as 06.05.1980 (with the time where it is an instant).
  expect(html).toContain("<td>Geburtsdatum</td><td>06.05.1980</td>");
  expect(html).toContain("<td>Instrument</td>");
  expect(html).toContain("<td>120,50</td>");
  expect(html).toContain("von Ihnen gesendet");
  expect(html).toContain("Elternteil von Paul Lindner");
  expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  expect(cells.join(" ")).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  // The JSON stays the contract: English keys, ISO dates.
  expect(JSON.parse(strFromU8(unzipSync(personExportZip(data, GERMAN))["person.json"])).person.dateOfBirth).toBe("1980-05-06");
});

it("is written in the organisation's language, whoever downloads it", async () => {
  await db.update(privacySettings).set({ language: "de" }).where(eq(privacySettings.id, 1));
  try {
    expect(await exportReader(db)).toMatchObject({ locale: "de", timeZone: expect.any(String) });
  } finally {
    await db.update(privacySettings).set({ language: "en" }).where(eq(privacySettings.id, 1));
  }
  expect(await exportReader(db)).toMatchObject({ locale: "en" });
});

it("leaves withheld items out of the JSON, the index and the spreadsheet, and audits each with its reason", async () => {
  const { person, ticket, message, invoice } = await richPerson();
  const other = await createMessage(db, { ticketId: ticket.id, direction: "outgoing", body: "Her brother Tom also asked about cello" });
  const before = (await auditsOf("person.export_item_withheld")).length;
  const result = await exportAs({
    id: person.id, format: "zip",
    withhold: [{ section: "messages", id: other.id, reason: "Reveals a third party" }, { section: "invoices", id: invoice.id, reason: "Paid by a third party" }],
  });
  if (!result.ok) throw new Error(result.message);
  const data = result.data.data as PersonExport;
  expect(data.messages.map((m) => m.id)).toEqual([message.id]);
  expect(data.tickets).toEqual([expect.objectContaining({ id: ticket.id, messages: 1 })]);
  expect(data.invoices).toEqual([]);
  expect(data.withheld).toEqual([{ section: "messages", count: 1 }, { section: "invoices", count: 1 }]);
  // Withholding the only invoice leaves the invoices out of the register's information too.
  expect(data.information.register.map((e) => e.recordType)).not.toContain("invoices");

  const files = unzipSync(personExportZip(data, ENGLISH));
  const json = strFromU8(files["person.json"]);
  const html = strFromU8(files["index.html"]);
  const xlsx = await personExportXlsx(data, ENGLISH);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(xlsx) as unknown as ArrayBuffer);
  const cells = book.worksheets.flatMap((ws) => ws.getSheetValues().flatMap((row) => (Array.isArray(row) ? row.map((c) => String(c ?? "")) : [])));
  for (const gone of ["Her brother Tom", invoice.number]) {
    expect(json).not.toContain(gone);
    expect(html).not.toContain(gone);
    expect(cells.join("\n")).not.toContain(gone);
  }
  expect(html).toContain("2 items were left out of this copy because they would reveal other people&#39;s data (Art. 15(4) GDPR): Messages, Invoices.");

  const audits = (await auditsOf("person.export_item_withheld")).slice(before);
  expect(audits).toEqual([
    { target_id: person.id, details: { section: "messages", recordId: other.id, reason: "Reveals a third party" } },
    { target_id: person.id, details: { section: "invoices", recordId: invoice.id, reason: "Paid by a third party" } },
  ]);
  expect((await auditsOf("person.exported")).at(-1)).toEqual({ target_id: person.id, details: { format: "zip", withheld: data.withheld } });
});

it.each([
  ["without a reason", (id: number) => [{ section: "messages", id }], "withhold.0.reason", "is required"],
  ["with a blank reason", (id: number) => [{ section: "messages", id, reason: "  " }], "withhold.0.reason", "is required"],
  ["of an item not in the export", () => [{ section: "messages", id: 2_000_000_000, reason: "Third party" }], "withhold.0.id", "is not an item of this export"],
  ["of an unknown section", (id: number) => [{ section: "passwords", id, reason: "Third party" }], "withhold.0.section", "must be a section of the export"],
])("refuses a withholding %s, naming the field, and writes nothing", async (_name, withhold, field, message) => {
  const { person, message: own } = await richPerson();
  const count = async () => rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from audit_entries`))[0].n;
  const before = await count();
  const result = await exportAs({ id: person.id, withhold: withhold(own.id) });
  expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { [field]: [message] } });
  expect(await count()).toBe(before);
});

it("exports a guardian with the minors in their care, and nobody else", async () => {
  // The organisation's day, as the export counts ages: the UTC date is yesterday's there
  // for an hour every night (Europe/Berlin), and the ward would turn 18 a day early.
  const today = localDate(new Date(), (await getOrganisationLanguage(db)).timeZone);
  const yearsAgo = (n: number, days = 0) => { const d = new Date(`${today}T12:00:00Z`); d.setUTCFullYear(d.getUTCFullYear() - n); d.setUTCDate(d.getUTCDate() + days); return d.toISOString().slice(0, 10); };
  const mother = await createPerson(db, { firstName: "Maria", lastName: "Kranz", dateOfBirth: "1985-01-01" });
  const child = await createPerson(db, { firstName: "Lili", lastName: "Kranz", dateOfBirth: yearsAgo(9) });
  const ward = await createPerson(db, { firstName: "Ben", lastName: "Ortmann", dateOfBirth: yearsAgo(18, 1) });
  const adultChild = await createPerson(db, { firstName: "Jan", lastName: "Kranz", dateOfBirth: yearsAgo(18) });
  const niece = await createPerson(db, { firstName: "Ida", lastName: "Kranz", dateOfBirth: yearsAgo(8) });
  const stranger = await createPerson(db, { firstName: "Otto", lastName: "Fremd", dateOfBirth: yearsAgo(7) });
  await db.insert(familyLinks).values([
    { personId: child.id, relatedPersonId: mother.id, relation: "parent" },
    { personId: mother.id, relatedPersonId: child.id, relation: "child" },
    // Only the guardian's side of the link is stored here.
    { personId: mother.id, relatedPersonId: ward.id, relation: "ward" },
    { personId: adultChild.id, relatedPersonId: mother.id, relation: "parent" },
    { personId: niece.id, relatedPersonId: mother.id, relation: "aunt" },
  ]);
  await createTicket(db, { customerId: stranger.id, title: "Stranger's ticket" });

  expect(await listMinorsInCare(db, { guardianId: mother.id, today })).toEqual([ward.id, child.id]);
  expect(await listMinorsInCare(db, { guardianId: child.id, today })).toEqual([]);

  const result = await exportAs({ id: mother.id, family: "true" });
  if (!result.ok) throw new Error(result.message);
  const family = result.data.family as PersonExport[];
  expect(family.map((d) => d.person.id)).toEqual([ward.id, child.id]);
  const exported = (await auditsOf("person.exported")).slice(-3);
  expect(exported.map((a) => a.target_id)).toEqual([mother.id, ward.id, child.id]);
  expect(exported.every((a) => a.details.family === mother.id)).toBe(true);

  const files = unzipSync(familyExportZip(result.data.data as PersonExport, family, ENGLISH));
  expect(Object.keys(files).sort()).toEqual([
    "index.html",
    `person-${child.id}/index.html`, `person-${child.id}/person.json`,
    `person-${mother.id}/index.html`, `person-${mother.id}/person.json`,
    `person-${ward.id}/index.html`, `person-${ward.id}/person.json`,
  ].sort());
  const everything = Object.values(files).map((f) => strFromU8(f)).join("\n");
  // The adult son and the niece are named only as the mother's own family links; the stranger nowhere.
  for (const absent of ["Otto", "Stranger's ticket", adultChild.email!, niece.email!]) expect(everything).not.toContain(absent);
  expect(strFromU8(files["index.html"])).toContain("Lili Kranz: folder person-");

  expect(await exportAs({ id: mother.id, family: true, format: "xlsx" })).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { format: ["must be zip for a family export"] } });
});

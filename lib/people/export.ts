import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { strToU8, zipSync } from "fflate";
import { z } from "zod";
import { type DbOrTx, rows } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import { catalogues } from "@/lib/i18n/catalogues";
import { formatsFor, type Language } from "@/lib/i18n/format";
import { translatorFor } from "@/lib/i18n/translate";
import { defineOperation } from "@/lib/operation";
import { findFormerValuesHeldByOthers } from "@/lib/privacy/erasure/identifiers";
import { idSchema } from "@/lib/validation";
import { listExportMessages, type SubjectIdentifiers } from "./export-messages";
import { familyLinkLabel } from "./family";
import { getPersonProfile, type PersonProfile } from "./profile";

// The portability answer (GDPR art. 15/20): everything Lethe holds on one person, as
// JSON for machines, an HTML index for people, and a spreadsheet. Unlike the profile
// page, which shows the latest records, the export has no limit; what it shows of
// messages follows Art. 15(4) (see export-messages.ts). The JSON is the machine-readable
// contract and stays in English; the HTML index and the spreadsheet are for the person and
// speak the requester's language, with dates in the organisation's time zone.

/** What identifies the person in messages: every address and number they have had. */
async function subjectIdentifiers(db: DbOrTx, profile: PersonProfile): Promise<SubjectIdentifiers> {
  const emails = new Set<string>();
  const phones = new Set<string>();
  const addEmail = (v: string | null | undefined) => { const e = (v ?? "").trim().toLowerCase(); if (e.includes("@")) emails.add(e); };
  const addPhone = (v: string | null | undefined) => { const p = (v ?? "").trim(); if (p.replace(/\D/g, "").length >= 7) phones.add(p); };
  addEmail(profile.person.email);
  addPhone(profile.person.phone);
  const accountEmails = rows<{ email: string }>(await db.execute(sql`select email from accounts where person_id = ${profile.person.id}`));
  for (const a of accountEmails) addEmail(a.email);
  // A former value is often a correction of a mistake: another person's address or
  // number typed on this profile. What another person holds today stays theirs, or the
  // export would hand over their messages whole, bcc list and IP address included.
  const current = new Set([...emails, ...phones]);
  const formerEmails = new Set<string>();
  const formerPhones = new Set<string>();
  for (const h of profile.history) {
    for (const v of [h.oldValue, h.newValue]) {
      if (h.field === "email") { const e = (v ?? "").trim().toLowerCase(); if (e.includes("@") && !current.has(e)) formerEmails.add(e); }
      if (h.field === "phone") { const p = (v ?? "").trim(); if (p.replace(/\D/g, "").length >= 7 && !current.has(p)) formerPhones.add(p); }
    }
  }
  const personId = profile.person.id;
  const taken = await findFormerValuesHeldByOthers(db, [{ personId, emails: [...formerEmails], phones: [...formerPhones], externalIds: [] }]);
  const othersNow = taken.get(personId)!;
  for (const e of formerEmails) if (!othersNow.emails.has(e)) emails.add(e);
  for (const p of formerPhones) if (!othersNow.phones.has(p)) phones.add(p);
  return { personId, emails: [...emails], phones: [...phones] };
}

/** Every ticket the person is the customer or the owner of (the profile shows the latest only). */
async function listExportTickets(db: DbOrTx, id: number) {
  return rows<{ id: number; number: number; title: string; state: string; createdAt: string; ipAddress: string | null; role: "customer" | "owner"; messages: number }>(
    await db.execute(sql`
      select t.id, t.number, t.title, t.state, t.created_at as "createdAt",
             case when t.customer_id = ${id} then t.ip_address end as "ipAddress",
             case when t.customer_id = ${id} then 'customer' else 'owner' end as role,
             (select count(*)::int from messages m where m.ticket_id = t.id) as messages
      from tickets t where t.customer_id = ${id} or t.owner_id = ${id}
      order by t.created_at, t.id`),
  );
}

export async function buildPersonExport(db: DbOrTx, { id }: { id: number }) {
  const profile = await getPersonProfile(db, { id });
  if (!profile) return null;
  const identifiers = await subjectIdentifiers(db, profile);
  const [tickets, messages] = [await listExportTickets(db, id), await listExportMessages(db, identifiers)];
  const { person, organisation, account } = profile;
  return {
    format: "lethe-person-export/2",
    exportedAt: new Date().toISOString(),
    person: {
      id: person.id, externalId: person.externalId, firstName: person.firstName, lastName: person.lastName,
      email: person.email, phone: person.phone, address: person.address, dateOfBirth: person.dateOfBirth,
      customFields: person.customFields, kind: person.kind, status: person.status, imported: person.imported,
      leavingDate: person.leavingDate, lastActivityAt: person.lastActivityAt, markedForDeletionAt: person.markedForDeletionAt,
      anonymisedAt: person.anonymisedAt, createdAt: person.createdAt,
      prevention: person.preventedAt ? { since: person.preventedAt, reason: person.preventionReason, expiresAt: person.preventionExpiresAt } : null,
    },
    organisation: organisation ? { id: organisation.id, name: organisation.name } : null,
    account: account ? { email: account.email, roles: account.roles, active: account.active, lastSignInAt: account.lastSignInAt } : null,
    fieldHistory: profile.history.map((h) => ({ field: h.field, oldValue: h.oldValue, newValue: h.newValue, changedAt: h.changedAt, by: h.by })),
    tickets,
    messages,
    enrolments: profile.enrolments,
    waitingList: profile.waitingList,
    loans: profile.loans.map((l) => ({ item: l.item, kind: l.kind, lentAt: l.lentAt, dueAt: l.dueAt, returnedAt: l.returnedAt })),
    invoices: profile.invoices.map((i) => ({ number: i.number, amount: i.amount, amountPaid: i.amountPaid, issuedOn: i.issuedOn, dueOn: i.dueOn })),
    familyLinks: profile.familyLinks.map((f) => ({
      link: `${familyLinkLabel(f)} ${f.otherName}`, thisPersonIs: f.personIs, relativeIs: f.relativeIs,
      otherPersonId: f.otherId, otherName: f.otherName, active: f.active,
    })),
    privacyTasks: profile.tasks.map((t) => ({ id: t.id, action: t.action, status: t.status, createdAt: t.createdAt, finishedAt: t.finishedAt })),
  };
}
export type PersonExport = NonNullable<Awaited<ReturnType<typeof buildPersonExport>>>;

/** Right of access: everything held on the person, and an audit entry that it left Lethe. */
export const exportPerson = defineOperation({
  name: "exportPerson",
  permission: "people.export",
  input: z.object({
    id: idSchema,
    format: z.enum(["zip", "xlsx", "json"], { error: "must be zip or xlsx" }).default("zip"),
    origin: z.enum(["manual", "api"]).default("manual"),
  }),
  async run({ tx, actor, input }) {
    const data = await buildPersonExport(tx, { id: input.id });
    if (!data) throw new DomainError("not_found", `Person ${input.id} does not exist.`);
    await recordAudit(tx, {
      actorAccountId: actor.accountId, action: "person.exported", targetType: "person", targetId: input.id,
      // Entries have always said `via: "api"` for the API's downloads and nothing for the page's.
      details: { format: input.format, ...(input.origin === "api" ? { via: "api" } : {}) },
    });
    return { id: input.id, format: input.format, data };
  },
});

const escapeHtml = (v: unknown) =>
  String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The human-readable words of one export: section names, column names and cells in the reader's language. */
function wordsFor(language: Language) {
  const t = translatorFor(language.locale);
  const f = formatsFor(language);
  const keys: Readonly<Record<string, string>> = catalogues[language.locale].people.export.keys;
  return {
    t,
    /** A JSON key as a column or field name; a custom field's own key stays as it is. */
    key: (k: string) => keys[k] ?? k,
    cell: (v: unknown): string | number =>
      v instanceof Date ? f.dateTime(v)
        : typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? f.day(v)
        : typeof v === "boolean" ? t("people.export.boolean", { value: String(v) })
        : typeof v === "object" && v !== null ? JSON.stringify(v)
        : typeof v === "number" ? v : String(v ?? ""),
  };
}
type Words = ReturnType<typeof wordsFor>;

function htmlTable(w: Words, title: string, items: Record<string, unknown>[]) {
  if (!items.length) return `<h2>${escapeHtml(title)}</h2><p>${escapeHtml(w.t("people.export.none"))}</p>`;
  const keys = Object.keys(items[0]);
  return `<h2>${escapeHtml(title)}</h2><table><thead><tr>${keys.map((k) => `<th>${escapeHtml(w.key(k))}</th>`).join("")}</tr></thead><tbody>${items
    .map((row) => `<tr>${keys.map((k) => `<td>${escapeHtml(w.cell(row[k]))}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

export function personExportHtml(data: PersonExport, language: Language) {
  const w = wordsFor(language);
  const section = (name: keyof typeof catalogues.en.people.export.sections) => w.t(`people.export.sections.${name}`);
  const p = data.person;
  const fields = Object.entries(p).filter(([k]) => k !== "customFields" && k !== "prevention").map(([k, v]) => ({ field: w.key(k), value: v }));
  const custom = Object.entries(p.customFields).map(([field, value]) => ({ field, value }));
  const title = escapeHtml(w.t("people.export.title", { name: `${p.firstName} ${p.lastName}` }));
  const exported = w.t.markup("people.export.exported", { when: escapeHtml(w.cell(new Date(data.exportedAt))), code: (chunks) => `<code>${chunks}</code>` });
  return `<!doctype html><html lang="${language.locale}"><meta charset="utf-8"><title>${title}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#1f2430}table{border-collapse:collapse;margin-bottom:1.5em}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f5f6f8}</style>
<h1>${title}</h1>
<p>${exported}</p>
${htmlTable(w, section("fields"), [...fields, ...custom])}
${htmlTable(w, section("organisation"), data.organisation ? [data.organisation] : [])}
${htmlTable(w, section("fieldHistory"), data.fieldHistory)}
${htmlTable(w, section("tickets"), data.tickets)}
${htmlTable(w, section("messages"), data.messages)}
${htmlTable(w, section("enrolments"), data.enrolments)}
${htmlTable(w, section("waitingLists"), data.waitingList)}
${htmlTable(w, section("loansAndHires"), data.loans)}
${htmlTable(w, section("invoices"), data.invoices)}
${htmlTable(w, section("familyLinks"), data.familyLinks)}
${htmlTable(w, section("privacyTasks"), data.privacyTasks)}
</html>`;
}

export function personExportZip(data: PersonExport, language: Language): Uint8Array {
  return zipSync({
    "person.json": strToU8(JSON.stringify(data, null, 2)),
    "index.html": strToU8(personExportHtml(data, language)),
  });
}

export async function personExportXlsx(data: PersonExport, language: Language): Promise<Uint8Array> {
  const w = wordsFor(language);
  const book = new ExcelJS.Workbook();
  book.creator = "Lethe";
  // Dates stay dates, so the spreadsheet program shows and sorts them as its reader expects.
  const sheet = (name: keyof typeof catalogues.en.people.export.sections, items: Record<string, unknown>[]) => {
    const ws = book.addWorksheet(w.t(`people.export.sections.${name}`));
    if (!items.length) { ws.addRow([w.t("people.export.noneCell")]); return; }
    const keys = Object.keys(items[0]);
    ws.addRow(keys.map(w.key)).font = { bold: true };
    for (const item of items) ws.addRow(keys.map((k) => { const v = item[k]; return v instanceof Date ? v : typeof v === "object" && v !== null ? JSON.stringify(v) : v; }));
  };
  sheet("person", Object.entries(data.person).map(([field, value]) => ({ field: w.key(field), value: typeof value === "object" && value !== null && !(value instanceof Date) ? JSON.stringify(value) : value })));
  sheet("fieldHistory", data.fieldHistory);
  sheet("tickets", data.tickets);
  sheet("messages", data.messages);
  sheet("enrolments", data.enrolments);
  sheet("waitingLists", data.waitingList);
  sheet("loans", data.loans);
  sheet("invoices", data.invoices);
  sheet("familyLinks", data.familyLinks);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

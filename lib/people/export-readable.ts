import { catalogues } from "@/lib/i18n/catalogues";
import { formatsFor, type Language } from "@/lib/i18n/format";
import { translatorFor } from "@/lib/i18n/translate";
import { REGISTER_FIELDS } from "@/lib/register/schema";
import type { PersonExport } from "./export";
import type { WithholdSection } from "./export-schema";
import { familyLinkLabel } from "./family";
import { personFieldLabel } from "./fields";

// The access export as a person reads it (SPEC §13): one table per kind of record, in
// the organisation's language, with labels instead of the JSON's keys, enumerations in
// words, every date in one format (lib/i18n/format.ts) and without the internal ids that
// mean nothing to the reader. The HTML index, the spreadsheet and the preview before
// sending are all drawn from these tables, so they show the same thing.

export type ReadableRow = { cells: string[]; /** Set on rows the preview may withhold. */ item?: { section: WithholdSection; id: number } };
export type ReadableSection = { key: string; title: string; columns: string[]; rows: ReadableRow[] };

type ExportWords = typeof catalogues.en.people.export;
type Column = keyof ExportWords["columns"];
type ValueKind = keyof ExportWords["values"];
type SectionName = keyof ExportWords["sections"];

export function exportWords(language: Language) {
  const t = translatorFor(language.locale);
  const f = formatsFor(language);
  const amount = new Intl.NumberFormat(language.locale === "de" ? "de-DE" : "en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return {
    t,
    section: (name: SectionName) => t(`people.export.sections.${name}`),
    column: (name: Column) => t(`people.export.columns.${name}`),
    value: (kind: ValueKind, value: string | boolean | null | undefined) => (value == null ? "" : t(`people.export.values.${kind}`, { value: String(value) })),
    /** A calendar day or an instant: 01.11.2026 / 01.11.2026, 09:30 (English: 2026-11-01 / 2026-11-01 09:30). */
    date: (v: Date | string | null | undefined) => (v == null || v === "" ? "" : typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? f.day(v) : f.dateTime(v)),
    amount: (v: string | number) => amount.format(Number(v)),
    list: (v: readonly string[]) => v.join(", "),
  };
}
export type ExportWordsOf = ReturnType<typeof exportWords>;

const text = (v: unknown) => (v == null ? "" : String(v));

/** The tables of one person's export, in the order the index shows them. */
export function readableSections(data: PersonExport, language: Language, customFieldLabels: Readonly<Record<string, string>> = {}): ReadableSection[] {
  const w = exportWords(language);
  const p = data.person;
  const table = (key: string, title: string, columns: Column[], rows: ReadableRow[]): ReadableSection => ({ key, title, columns: columns.map(w.column), rows });
  const field = (label: string, value: string): ReadableRow => ({ cells: [label, value] });

  const fields = [
    field(w.column("customerNumber"), text(p.externalId)),
    field(w.column("firstName"), p.firstName),
    field(w.column("lastName"), p.lastName),
    field(w.column("email"), text(p.email)),
    field(w.column("phone"), text(p.phone)),
    field(w.column("address"), text(p.address)),
    field(w.column("dateOfBirth"), w.date(p.dateOfBirth)),
    field(w.column("kind"), w.value("kind", p.kind)),
    field(w.column("status"), w.value("status", p.status)),
    field(w.column("imported"), w.value("boolean", p.imported)),
    field(w.column("leavingDate"), w.date(p.leavingDate)),
    field(w.column("lastActivityAt"), w.date(p.lastActivityAt)),
    field(w.column("markedForDeletionAt"), w.date(p.markedForDeletionAt)),
    field(w.column("anonymisedAt"), w.date(p.anonymisedAt)),
    field(w.column("createdAt"), w.date(p.createdAt)),
    field(w.column("organisation"), text(data.organisation?.name)),
    ...Object.entries(p.customFields).map(([key, value]) => field(customFieldLabels[key] ?? key, text(value))),
  ];
  const withhold = (section: WithholdSection, id: number) => ({ item: { section, id } });

  return [
    table("fields", w.section("fields"), ["field", "value"], fields),
    table("account", w.section("account"), ["accountEmail", "roles", "accountActive", "lastSignInAt"],
      data.account ? [{ cells: [data.account.email, w.list(data.account.roles), w.value("boolean", data.account.active), w.date(data.account.lastSignInAt)] }] : []),
    table("fieldHistory", w.section("fieldHistory"), ["changedAt", "changedField", "oldValue", "newValue", "changedBy"],
      data.fieldHistory.map((h) => ({ ...withhold("fieldHistory", h.id), cells: [w.date(h.changedAt), personFieldLabel(h.field, language.locale), text(h.oldValue), text(h.newValue), text(h.by)] }))),
    table("tickets", w.section("tickets"), ["ticketNumber", "ticketTitle", "ticketState", "ticketRole", "messageCount", "ipAddress", "openedAt"],
      data.tickets.map((r) => ({ ...withhold("tickets", r.id), cells: [`#${r.number}`, r.title, w.value("state", r.state), w.value("role", r.role), String(r.messages), text(r.ipAddress), w.date(r.createdAt)] }))),
    table("messages", w.section("messages"), ["sentAt", "ticketNumber", "direction", "involvement", "sender", "to", "cc", "bcc", "subject", "body", "ipAddress"],
      data.messages.map((m) => ({
        ...withhold("messages", m.id),
        cells: [w.date(m.createdAt), `#${m.ticketNumber}`, w.value("direction", m.direction), w.value("involvement", m.involvement), text(m.sender), w.list(m.to), w.list(m.cc), w.list(m.bcc), m.subject, m.body, text(m.ipAddress)],
      }))),
    table("enrolments", w.section("enrolments"), ["course", "period", "startsOn", "active"],
      data.enrolments.map((e) => ({ ...withhold("enrolments", e.id), cells: [e.course, e.period, w.date(e.startsOn), w.value("boolean", e.active)] }))),
    table("waitingList", w.section("waitingLists"), ["course", "waitingSince", "active"],
      data.waitingList.map((e) => ({ ...withhold("waitingList", e.id), cells: [e.course, w.date(e.createdAt), w.value("boolean", e.active)] }))),
    table("loans", w.section("loansAndHires"), ["item", "itemKind", "lentAt", "dueAt", "returnedAt"],
      data.loans.map((l) => ({ ...withhold("loans", l.id), cells: [l.item, w.value("loanKind", l.kind), w.date(l.lentAt), w.date(l.dueAt), w.date(l.returnedAt)] }))),
    table("invoices", w.section("invoices"), ["invoiceNumber", "amount", "amountPaid", "issuedOn", "dueOn"],
      data.invoices.map((i) => ({ ...withhold("invoices", i.id), cells: [i.number, w.amount(i.amount), w.amount(i.amountPaid), w.date(i.issuedOn), w.date(i.dueOn)] }))),
    table("familyLinks", w.section("familyLinks"), ["relation", "active"],
      data.familyLinks.map((l) => ({
        ...withhold("familyLinks", l.id),
        cells: [`${familyLinkLabel({ personIs: l.thisPersonIs, relativeIs: l.relativeIs }, language.locale)} ${l.otherName}`, w.value("boolean", l.active)],
      }))),
    table("privacyTasks", w.section("privacyTasks"), ["taskAction", "taskStatus", "requestedAt", "finishedAt"],
      data.privacyTasks.map((t) => ({ cells: [w.value("taskAction", t.action), w.value("taskStatus", t.status), w.date(t.createdAt), w.date(t.finishedAt)] }))),
    table("information", w.section("information"), ["recordType", ...REGISTER_FIELDS],
      data.information.register.map((e) => ({ cells: [w.t(`register.recordTypes.${e.recordType}`), ...REGISTER_FIELDS.map((f) => e[f])] }))),
  ];
}

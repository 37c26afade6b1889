import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import type { Ticket } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import type { Language } from "@/lib/i18n/format";
import { getOrganisationLanguage } from "@/lib/i18n/organisation";
import { defineOperation } from "@/lib/operation";
import { findFormerValuesHeldByOthers } from "@/lib/privacy/erasure/identifiers";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { selectRegisterEntries } from "@/lib/register/register";
import type { RecordType } from "@/lib/register/schema";
import { localDate } from "@/lib/schedule/clock";
import { listExportMessages, type SubjectIdentifiers } from "./export-messages";
import { exportPersonSchema, WITHHOLD_SECTIONS, type WithheldItem, type WithholdSection } from "./export-schema";
import { listMinorsInCare } from "./export-family";
import { familyLinkLabel } from "./family";
import { getPersonProfile, type PersonProfile } from "./profile";

// The portability answer (GDPR art. 15/20): everything Lethe holds on one person, as
// JSON for machines, an HTML index for people, and a spreadsheet (export-files.ts).
// Unlike the profile page, which shows the latest records, the export has no limit; what
// it shows of messages follows Art. 15(4) (see export-messages.ts), and before sending,
// the DPO may withhold whole items that would reveal others, each with a reason that is
// audited. The JSON is the machine-readable contract: its keys stay in English and are
// only ever added to. The register's entries for the record types the export holds
// answer Art. 15(1)(a)–(h). The index and the spreadsheet are for the person and speak
// the organisation's language (export-readable.ts).

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
  const found = rows<{ id: number; number: number; title: string; state: Ticket["state"]; createdAt: string; ipAddress: string | null; role: "customer" | "owner"; messages: number }>(
    await db.execute(sql`
      select t.id, t.number, t.title, t.state, t.created_at as "createdAt",
             case when t.customer_id = ${id} then t.ip_address end as "ipAddress",
             case when t.customer_id = ${id} then 'customer' else 'owner' end as role,
             (select count(*)::int from messages m where m.ticket_id = t.id) as messages
      from tickets t where t.customer_id = ${id} or t.owner_id = ${id}
      order by t.created_at, t.id`),
  );
  // Raw rows carry the server's text for a moment; the JSON has ISO instants throughout.
  return found.map((t) => ({ ...t, createdAt: new Date(t.createdAt) }));
}

/** The rights the person is told of (Art. 15(1)(e) and (f)), with the article granting each. */
const RIGHTS = [
  { right: "rectification", article: "Art. 16 GDPR" },
  { right: "erasure", article: "Art. 17 GDPR" },
  { right: "restriction", article: "Art. 18 GDPR" },
  { right: "objection", article: "Art. 21 GDPR" },
  { right: "portability", article: "Art. 20 GDPR" },
  { right: "complaint", article: "Art. 77 GDPR" },
] as const;

/** Everything held on the person, with an id on every item the preview may withhold. */
async function collectPersonExport(db: DbOrTx, id: number) {
  const profile = await getPersonProfile(db, { id });
  if (!profile) return null;
  const identifiers = await subjectIdentifiers(db, profile);
  const [tickets, messages] = [await listExportTickets(db, id), await listExportMessages(db, identifiers)];
  const { person, organisation, account } = profile;
  return {
    format: "lethe-person-export/2" as const,
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
    fieldHistory: profile.history.map((h) => ({ id: h.id, field: h.field, oldValue: h.oldValue, newValue: h.newValue, changedAt: h.changedAt, by: h.by })),
    tickets,
    messages,
    enrolments: profile.enrolments,
    waitingList: profile.waitingList,
    loans: profile.loans.map((l) => ({ id: l.id, item: l.item, kind: l.kind, lentAt: l.lentAt, dueAt: l.dueAt, returnedAt: l.returnedAt })),
    invoices: profile.invoices.map((i) => ({ id: i.id, number: i.number, amount: i.amount, amountPaid: i.amountPaid, issuedOn: i.issuedOn, dueOn: i.dueOn })),
    familyLinks: profile.familyLinks.map((f) => ({
      id: f.id, link: `${familyLinkLabel(f)} ${f.otherName}`, thisPersonIs: f.personIs, relativeIs: f.relativeIs,
      otherPersonId: f.otherId, otherName: f.otherName, active: f.active,
    })),
    privacyTasks: profile.tasks.map((t) => ({ id: t.id, action: t.action, status: t.status, createdAt: t.createdAt, finishedAt: t.finishedAt })),
  };
}
type CollectedExport = NonNullable<Awaited<ReturnType<typeof collectPersonExport>>>;

/** The record types of the register that an export holds: the person always, the rest when it has any. */
export function recordTypesOf(data: Pick<CollectedExport, "tickets" | "messages" | "enrolments" | "waitingList" | "loans" | "invoices" | "familyLinks">): RecordType[] {
  const present: [RecordType, boolean][] = [
    ["people", true],
    ["tickets", data.tickets.length > 0 || data.messages.length > 0],
    ["enrolments", data.enrolments.length > 0],
    ["waiting_lists", data.waitingList.length > 0],
    ["loans", data.loans.length > 0],
    ["invoices", data.invoices.length > 0],
    ["family_links", data.familyLinks.length > 0],
  ];
  return present.filter(([, held]) => held).map(([type]) => type);
}

/** Leaves out the withheld items, then adds what the person is told: the register's entries, their rights, how much was withheld. */
async function finishPersonExport(db: DbOrTx, collected: CollectedExport, withhold: readonly WithheldItem[]) {
  const out = (section: WithholdSection) => new Set(withhold.filter((w) => w.section === section).map((w) => w.id));
  const keep = <T extends { id: number }>(section: WithholdSection, items: T[]) => { const gone = out(section); return items.filter((i) => !gone.has(i.id)); };
  const withheldMessages = out("messages");
  const withheldPerTicket = new Map<number, number>();
  for (const m of collected.messages) if (withheldMessages.has(m.id)) withheldPerTicket.set(m.ticketId, (withheldPerTicket.get(m.ticketId) ?? 0) + 1);
  const data = {
    ...collected,
    fieldHistory: keep("fieldHistory", collected.fieldHistory),
    // A ticket's count of messages leaves out those withheld, or it would tell that they exist.
    tickets: keep("tickets", collected.tickets).map((t) => ({ ...t, messages: t.messages - (withheldPerTicket.get(t.id) ?? 0) })),
    messages: keep("messages", collected.messages),
    enrolments: keep("enrolments", collected.enrolments),
    waitingList: keep("waitingList", collected.waitingList),
    loans: keep("loans", collected.loans),
    invoices: keep("invoices", collected.invoices),
    familyLinks: keep("familyLinks", collected.familyLinks),
  };
  const types = recordTypesOf(data);
  const entries = (await selectRegisterEntries(db)).filter((e) => types.includes(e.recordType));
  const withheld = WITHHOLD_SECTIONS
    .map((section) => ({ section, count: collected[section].length - data[section].length }))
    .filter((w) => w.count > 0);
  return {
    ...data,
    information: {
      register: entries.map((e) => ({
        recordType: e.recordType, purposes: e.purposes, categories: e.categories, legalBasis: e.legalBasis,
        recipients: e.recipients, source: e.source, retention: e.retention,
      })),
      rights: RIGHTS.map((r) => ({ ...r })),
    },
    withheld,
  };
}

export async function buildPersonExport(db: DbOrTx, { id, withhold = [] }: { id: number; withhold?: readonly WithheldItem[] }) {
  const collected = await collectPersonExport(db, id);
  return collected ? finishPersonExport(db, collected, withhold) : null;
}
export type PersonExport = NonNullable<Awaited<ReturnType<typeof buildPersonExport>>>;

/** The items of an export that the preview offers to withhold, as "section:id". */
export function itemKeysOf(data: Pick<CollectedExport, WithholdSection>): Set<string> {
  return new Set(WITHHOLD_SECTIONS.flatMap((section) => data[section].map((item) => `${section}:${item.id}`)));
}

/** Who reads the index and the spreadsheet: the organisation's language and time zone, its custom fields' labels. */
export async function exportReader(db: DbOrTx): Promise<Language & { customFieldLabels: Record<string, string> }> {
  const [organisation, settings] = await Promise.all([getOrganisationLanguage(db), getPrivacySettings(db)]);
  return {
    locale: organisation.language, timeZone: organisation.timeZone,
    customFieldLabels: Object.fromEntries(settings.customFieldDefinitions.map((d) => [d.key, d.label])),
  };
}

/** Right of access: everything held on the person (and the minors in their care), and an audit entry per person that it left Lethe. */
export const exportPerson = defineOperation({
  name: "exportPerson",
  permission: "people.export",
  input: exportPersonSchema,
  async run({ tx, actor, input }) {
    const collected = await collectPersonExport(tx, input.id);
    if (!collected) throw new DomainError("not_found", `Person ${input.id} does not exist.`);
    const { timeZone } = await getOrganisationLanguage(tx);
    const minorIds = input.family ? await listMinorsInCare(tx, { guardianId: input.id, today: localDate(new Date(), timeZone) }) : [];
    const minors: CollectedExport[] = [];
    for (const minorId of minorIds) minors.push((await collectPersonExport(tx, minorId))!);

    // Only what is in this export can be withheld: a stale or mistyped item is refused, naming it.
    const available = new Set([collected, ...minors].flatMap((d) => [...itemKeysOf(d)]));
    const unknown: Record<string, string[]> = {};
    input.withhold.forEach((w, i) => { if (!available.has(`${w.section}:${w.id}`)) unknown[`withhold.${i}.id`] = ["is not an item of this export"]; });
    if (Object.keys(unknown).length) throw new DomainError("invalid_input", "An item to withhold is not part of this export.", unknown);

    const data = await finishPersonExport(tx, collected, input.withhold);
    const family = await Promise.all(minors.map((m) => finishPersonExport(tx, m, input.withhold)));
    const via = input.origin === "api" ? { via: "api" } : {};
    for (const person of [data, ...family]) {
      await recordAudit(tx, {
        actorAccountId: actor.accountId, action: "person.exported", targetType: "person", targetId: person.person.id,
        // Entries have always said `via: "api"` for the API's downloads and nothing for the page's.
        details: { format: input.format, ...via, ...(input.family ? { family: input.id } : {}), ...(person.withheld.length ? { withheld: person.withheld } : {}) },
      });
    }
    // The reason is written by staff and kept in the entry; the form asks for one without personal data.
    for (const w of input.withhold) {
      await recordAudit(tx, {
        actorAccountId: actor.accountId, action: "person.export_item_withheld", targetType: "person", targetId: input.id,
        details: { section: w.section, recordId: w.id, reason: w.reason },
      });
    }
    return { id: input.id, format: input.format, data, family: input.family ? family : null };
  },
});

import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { defineQuery } from "@/lib/operation";
import type { PrivacySettings } from "@/db/schema";
import { listEligiblePersonIds } from "@/lib/privacy/eligibility/population";
import { eligibilitySql } from "@/lib/privacy/eligibility/rules";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { intArray } from "@/db/sql";
import { type BulkSelection, bulkSelectionSchema } from "./schemas";

// The people a bulk anonymisation applies to: the selected ones (or all eligible ones,
// optionally filtered) that are eligible now. Set-based throughout, in SQL: the
// eligibility rules are SQL over `people p` (lib/privacy/eligibility/rules.ts), and the
// dry run's counts share one selection and its addresses in one statement.

export async function selectBulkSubjects(tx: DbOrTx, selection: BulkSelection, settings: PrivacySettings, now: Date) {
  if ("personIds" in selection) {
    const wanted = [...new Set(selection.personIds)];
    return { selected: wanted.length, eligibleIds: await listEligiblePersonIds(tx, { settings, now, personIds: wanted }) };
  }
  const f = selection.filters ?? {};
  const eligibleIds = rows<{ id: number }>(await tx.execute(sql`
    select p.id from people p where ${eligibilitySql({ settings, now })}
      ${f.kind ? sql`and p.kind = ${f.kind}` : sql``}
      ${f.organisationId ? sql`and p.organisation_id = ${f.organisationId}` : sql``}
      ${f.imported === undefined ? sql`` : sql`and p.imported = ${f.imported}`}
    order by p.id`)).map((r) => Number(r.id));
  return { selected: eligibleIds.length, eligibleIds };
}

export type BulkDryRun = { selected: number; people: number; alreadyQueued: number; tickets: number; messages: number };

/**
 * What a bulk anonymisation would touch now: eligible people (without an open task),
 * their customer tickets, and the messages that would be blanked or scrubbed (from or
 * to them, mentioning their address, or naming it in to/cc/bcc, or on their tickets).
 */
export async function countBulkSelection(db: DbOrTx, input: BulkSelection, options: { now?: Date } = {}): Promise<BulkDryRun> {
  const selection = bulkSelectionSchema.parse(input);
  const settings = await getPrivacySettings(db);
  const { selected, eligibleIds } = await selectBulkSubjects(db, selection, settings, options.now ?? new Date());
  const [r] = rows<{ people: number; queued: number; tickets: number; messages: number }>(await db.execute(sql`
    with s as (select unnest(${intArray(eligibleIds)}) as id),
    open as (select t.subject_person_id as id from privacy_tasks t join s on s.id = t.subject_person_id
             where t.action = 'anonymise' and t.status in ('queued', 'running')),
    subj as (select id from s except select id from open),
    addr as (select coalesce(array_agg(distinct lower(p.email)), '{}') as a from people p join subj on subj.id = p.id
             where p.email is not null and p.email <> '')
    select (select count(*) from subj)::int as people, (select count(*) from open)::int as queued,
      (select count(*) from tickets t join subj on subj.id = t.customer_id)::int as tickets,
      (select count(*) from (
        select m.id from messages m join subj on subj.id = m.from_person_id
        union select m.id from messages m join tickets t on t.id = m.ticket_id join subj on subj.id = t.customer_id
        union select id from messages where "to" && (select a from addr)
        union select id from messages where cc && (select a from addr)
        union select id from messages where bcc && (select a from addr)
        union select id from messages where sender = any((select a from addr)::text[])
        union select id from messages where lethe_mentioned_emails(subject, body) && (select a from addr)) x)::int as messages`));
  return { selected, people: Number(r.people), alreadyQueued: Number(r.queued), tickets: Number(r.tickets), messages: Number(r.messages) };
}

export const dryRunBulkAnonymisation = defineQuery({
  name: "dryRunBulkAnonymisation",
  permission: "R_CAN_ANONYMIZE_USERS",
  input: bulkSelectionSchema,
  run: ({ db, input }) => countBulkSelection(db, input),
});
